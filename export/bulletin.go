package export

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"duban"
	"duban/docx"
)

// BulletinInput is what a supervision bulletin (督查通报) is made of.
type BulletinInput struct {
	// OrgName names the government: "渝中区".
	OrgName string
	// Issuer is the office that issues it and signs it: "区政府督查室".
	Issuer string
	// Issue is its number in the year's series (期号), shown as "第11期"; 0
	// takes the month of From (a monthly bulletin's issue is its month), and
	// a negative one leaves the issue out.
	Issue int
	// Number is its document number (发文字号): "渝中督查〔2024〕11号"; empty
	// leaves it out.
	Number string
	// Period names what it reports on: "2024年11月".
	Period string
	// From and To bound the period, To excluded: the returns counted are
	// those made in it. A zero From counts every return up to To, a zero To
	// every return from From.
	From, To time.Time
	// Title replaces the default, "关于2024年11月重点工作推进情况的督查通报".
	Title string
	// Recipients are the main recipients (主送), CC the copy recipients
	// (抄送) of the colophon; empty takes DefaultRecipients and DefaultCC.
	Recipients string
	CC         string
	// Date is its date (成文日期, and 印发日期 in the colophon). AsOf is the day
	// the figures stand at ("截至2024年11月15日"); zero means Date.
	Date time.Time
	AsOf time.Time
	// Tasks are all the tasks of the year, with their status and light.
	Tasks []*duban.Task
	// Returned are the reports of the year that were ever returned, with
	// their reviews; the bulletin counts those returned in the period, and
	// their status says whether the unit has resubmitted since.
	Returned []*duban.Report
	// Notices are the supervision notices (督办单) still open or answered but
	// not closed.
	Notices []*duban.Notice
	// Ranking is the ranking of units (赛马比拼) in order, and RankingRule how
	// it was made, in one sentence: "按报送及时率40%、任务推进率40%、报告质量20%计分".
	Ranking     []RankRow
	RankingRule string
	// Requirements are the paragraphs of 下一步工作要求; nil takes
	// DefaultRequirements.
	Requirements []string
}

// RankRow is one unit's line in a ranking.
type RankRow struct {
	Rank  int
	Unit  string
	Score float64
	// Parts are the points of the score's weighted parts, each a column of
	// the ranking table named by its Name.
	Parts []RankPart
	Note  string // e.g. 较上期上升3位, or the deductions
}

// RankPart is the points of one part of a score: 按时报送 18.5.
type RankPart struct {
	Name   string
	Points float64
}

// DefaultRecipients are the main recipients of a bulletin when none are given.
const DefaultRecipients = "各街道办事处，区政府各部门，有关单位："

// DefaultCC are the copy recipients of a bulletin when none are given.
const DefaultCC = "区委办公室，区人大常委会办公室，区政协办公室"

// DefaultRequirements are the next steps a bulletin asks of the units when
// the office writes none.
var DefaultRequirements = []string{
	"一是压实工作责任。各牵头单位要对照任务清单逐项梳理进展，对亮红灯、黄灯的任务分析原因、制定措施，责任区领导要加强调度，确保年度目标任务按期完成。",
	"二是抓好整改落实。报告被退回的单位要在规定时限内补充完善后重新报送；收到督办单的单位要按时限办结，并书面反馈办理情况。",
	"三是提高报送质量。各单位要如实填报进展情况、存在问题和下一步措施，用数据和事实说话，按时报送，杜绝以文代实、敷衍应付。",
	"四是强化督查问效。区政府督查室将持续跟踪督办，对连续亮红灯、整改不力的单位，按程序报请区政府领导约谈，督查结果纳入年度目标考核。",
}

// annex is one detail table of the bulletin's annex (附件).
type annex struct {
	title string
	table *docx.Table
}

// Bulletin writes a supervision bulletin (督查通报) as a Word document to w,
// laid out as GB/T 9704 sets out a document of the supervision office on A4:
// the red masthead "督查通报" with the issue (第N期), the issuer and date over
// the red separator line; the title and the main recipients; the text — 总体情况
// (counts by status and light, 完成率 and 平均完成进度 as the dashboard names
// them), 工作亮点, 进度滞后及逾期事项 (the units with red tasks by name),
// 退回及整改情况 (the returns of the period and how many came back), 下一步工作要求
// — with the signature and date kept with the last paragraphs; then the annex,
// one table to a part (completion by section, the red tasks, the open notices
// when more than three, the returns by unit, the ranking and its rule), each
// sized to its text, rows never split and headers repeated; and the colophon (版记) at the foot of the last
// page. A part with nothing to report says so in a sentence. It returns the
// errors of writing.
func Bulletin(w io.Writer, b BulletinInput) error {
	title := b.Title
	if title == "" {
		title = "关于" + b.Period + "重点工作推进情况的督查通报"
	}
	asOf := b.AsOf
	if asOf.IsZero() {
		asOf = b.Date
	}
	tasks := map[int64]*duban.Task{}
	for _, t := range b.Tasks {
		if t != nil {
			tasks[t.ID] = t
		}
	}
	issue := b.Issue
	if issue == 0 && !b.From.IsZero() {
		issue = int(b.From.Month())
	}

	d := docx.New(docx.Options{Title: title, Creator: b.Issuer, Created: b.Date})
	d.Masthead("督查通报")
	number := ""
	if issue > 0 {
		number = "第" + strconv.Itoa(issue) + "期"
	}
	if b.Number != "" {
		number = strings.TrimSpace(number + "　" + b.Number)
	}
	if number != "" {
		d.DocNumber(number)
	}
	d.IssueLine(b.Issuer, chineseDate(b.Date))
	d.Title(breakTitle(title))
	recipients := b.Recipients
	if recipients == "" {
		recipients = DefaultRecipients
	}
	d.Recipient(recipients)

	var annexes []annex
	// see names the annex the next table becomes: "（详见附件2）".
	see := func(title string, t *docx.Table) string {
		annexes = append(annexes, annex{title, t})
		return "（详见附件" + strconv.Itoa(len(annexes)) + "）"
	}
	h := 0
	heading := func(text string) {
		h++
		d.Heading(1, docx.Numbering(1, h)+text)
	}

	heading("总体情况")
	c := countTasks(b.Tasks)
	d.Paragraph(fmt.Sprintf("截至%s，%s%s共有重点工作任务%d项。其中，已完成或销号%d项（已销号%d项），正常推进%d项，进度滞后%d项，尚未启动%d项；"+
		"亮红灯%d项、黄灯%d项、绿灯%d项。完成率%s（已完成或销号的任务占全部任务）%s%s。",
		chineseDate(asOf), whole(b.OrgName), yearOf(b.Tasks), c.total, c.done+c.closed, c.closed, c.onTrack, c.behind, c.notStarted,
		c.red, c.yellow, c.green, rate(c.done+c.closed, c.total), averageProgress(b.Tasks),
		see("各板块任务推进情况", sectionTable(b.Tasks, c))))

	heading("工作亮点")
	d.Paragraph(highlights(b.Tasks, c, b.Ranking))

	heading("进度滞后及逾期事项")
	var red []*duban.Task
	overdue := 0
	for _, t := range b.Tasks {
		if t != nil && t.Light == duban.LightRed {
			red = append(red, t)
			if isOverdue(t) {
				overdue++
			}
		}
	}
	if len(red) == 0 {
		d.Paragraph("本期无亮红灯任务。")
	} else {
		line := fmt.Sprintf("本期亮红灯任务%d项，其中逾期未报送、退回后逾期未重新报送或已过完成时限的%d项。", len(red), overdue)
		if names := laggards(red, 8); names != "" {
			line += "亮红灯任务较多的牵头单位是：" + names + "。"
		}
		d.Paragraph(line + "请相关牵头单位和责任区领导重点关注" + see("亮红灯任务清单", redTable(red)) + "。")
	}
	if c.yellow > 0 {
		d.Paragraph(fmt.Sprintf("另有%d项任务亮黄灯，进度略慢于序时进度或报告临近截止尚未报送，请牵头单位加快推进。", c.yellow))
	}
	if len(b.Notices) > 0 {
		late := 0
		for _, n := range b.Notices {
			if noticeLate(n, asOf) {
				late++
			}
		}
		line := fmt.Sprintf("目前在办督办单%d件", len(b.Notices))
		if late > 0 {
			line += fmt.Sprintf("，其中%d件已超过办理时限", late)
		}
		// A few notices are named in the text; more go to the annex.
		if len(b.Notices) <= 3 {
			var named []string
			for _, n := range b.Notices {
				named = append(named, noticeLine(n, tasks, asOf))
			}
			d.Paragraph(line + "：" + strings.Join(named, "；") + "。")
		} else {
			d.Paragraph(line + see("在办督办事项", noticeTable(b.Notices, tasks, asOf)) + "。")
		}
	}

	heading("退回及整改情况")
	returned := returnsIn(b.Returned, b.From, b.To)
	if len(returned) == 0 {
		d.Paragraph("本期无退回报告。")
	} else {
		back, approved := 0, 0
		units := map[int64]bool{}
		for _, r := range returned {
			units[r.UnitID] = true
			if resubmitted(r.Status) {
				back++
			}
			if r.Status == duban.ReportApproved {
				approved++
			}
		}
		d.Paragraph(fmt.Sprintf("本期退回报告%d份，涉及%d个单位；截至%s，已重新报送%d份（其中审核通过%d份），尚待整改%d份。"+
			"退回的主要原因是进展情况不具体、缺少数据支撑或未说明问题和措施%s。",
			len(returned), len(units), chineseDate(asOf), back, approved, len(returned)-back,
			see("本期退回报告及整改情况", returnedTable(returned, tasks))))
	}
	if len(b.Ranking) > 0 {
		d.Paragraph("赛马比拼各单位得分及排名" + see("赛马比拼排名", rankingTable(b.Ranking, b.RankingRule)) + "，计分规则列于表后。")
	}

	heading("下一步工作要求")
	reqs := b.Requirements
	if reqs == nil {
		reqs = DefaultRequirements
	}
	// The last paragraphs go with the signature to its page, so that it
	// never stands alone there.
	for i, r := range reqs {
		if i == len(reqs)-1 {
			d.ClosingParagraph(r)
		} else {
			d.Paragraph(r)
		}
	}
	d.ClosingParagraph("特此通报。")
	if len(annexes) > 0 {
		var titles []string
		for _, a := range annexes {
			titles = append(titles, a.title)
		}
		d.ClosingParagraph("")
		d.AnnexList(titles)
	}
	d.Signature(b.Issuer, chineseDate(b.Date))

	// The annexes follow one another, the first on a new page: a page each
	// would leave most of them blank.
	for i, a := range annexes {
		if i == 0 {
			d.PageBreak()
		}
		d.AnnexHeading("附件" + strconv.Itoa(i+1))
		d.Title(a.title)
		fitColumns(a.table)
		d.Table(a.table)
	}
	d.Colophon(ccOf(b.CC), b.Issuer, chineseDate(b.Date))
	if _, err := d.WriteTo(w); err != nil {
		return fmt.Errorf("bulletin: %w", err)
	}
	return nil
}

// ccOf returns the copy recipients, DefaultCC when none are given.
func ccOf(cc string) string {
	if cc == "" {
		return DefaultCC
	}
	return cc
}

// averageProgress is the clause of the dashboard's 平均完成进度: the mean
// percent complete of the tasks that have one, "" when none has.
func averageProgress(tasks []*duban.Task) string {
	sum, n := 0.0, 0
	for _, t := range tasks {
		if t != nil && t.Actual != nil {
			sum += *t.Actual
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return "，平均完成进度" + strconv.FormatFloat(sum/float64(n), 'f', 1, 64) + "%"
}

// highlights is the paragraph of 工作亮点: the tasks done and on pace, the
// sections furthest ahead and the units at the head of the ranking.
func highlights(tasks []*duban.Task, c taskCounts, ranking []RankRow) string {
	if c.total == 0 {
		return "本期暂无任务进展。"
	}
	line := fmt.Sprintf("%d项任务已完成或销号，%d项亮绿灯、按序时推进，占全部任务的%s。", c.done+c.closed, c.green, rate(c.green, c.total))
	type section struct {
		name string
		c    taskCounts
	}
	var sections []*section
	by := map[string]*section{}
	for _, t := range tasks {
		if t == nil || t.Section == "" {
			continue
		}
		s := by[t.Section]
		if s == nil {
			s = &section{name: shortSection(t.Section)}
			by[t.Section] = s
			sections = append(sections, s)
		}
		s.c.add(t)
	}
	slices.SortStableFunc(sections, func(a, b *section) int {
		ra := float64(a.c.done+a.c.closed+a.c.green) / float64(a.c.total)
		rb := float64(b.c.done+b.c.closed+b.c.green) / float64(b.c.total)
		switch {
		case ra > rb:
			return -1
		case ra < rb:
			return 1
		}
		return 0
	})
	var names []string
	for _, s := range sections[:min(2, len(sections))] {
		if s.c.red == 0 || len(names) == 0 {
			names = append(names, fmt.Sprintf("“%s”板块（%d项中%d项已完成或按序时推进）", s.name, s.c.total, s.c.done+s.c.closed+s.c.green))
		}
	}
	if len(names) > 0 {
		line += "推进较好的是" + strings.Join(names, "和") + "。"
	}
	var top []string
	for _, r := range ranking[:min(3, len(ranking))] {
		top = append(top, r.Unit)
	}
	if len(top) > 0 {
		line += "赛马比拼中，" + strings.Join(top, "、") + "位列前" + chineseCount(len(top)) + "。"
	}
	return line
}

// chineseCount writes 1 to 3 as 一, 二, 三 (前三); others in digits.
func chineseCount(n int) string {
	if n >= 1 && n <= 3 {
		return []string{"一", "二", "三"}[n-1]
	}
	return strconv.Itoa(n)
}

// isOverdue reports whether a task is red for a deadline passed: a report
// overdue or a completion date passed.
func isOverdue(t *duban.Task) bool {
	for _, r := range t.LightRules {
		if strings.Contains(r, "逾期") || strings.Contains(r, "已过完成时限") {
			return true
		}
	}
	return false
}

// laggards names the lead units of the red tasks, most first, up to n of
// them: "区住建委（3项）、区城市管理局（2项）".
func laggards(red []*duban.Task, n int) string {
	count := map[string]int{}
	var units []string
	for _, t := range red {
		for _, u := range t.LeadUnits {
			if count[u] == 0 {
				units = append(units, u)
			}
			count[u]++
		}
	}
	slices.SortStableFunc(units, func(a, b string) int { return count[b] - count[a] })
	var parts []string
	for _, u := range units[:min(n, len(units))] {
		parts = append(parts, fmt.Sprintf("%s（%d项）", u, count[u]))
	}
	return strings.Join(parts, "、")
}

// returnedAt returns when a report was last returned in [from, to), and
// whether it was: a zero bound is open.
func returnedAt(r *duban.Report, from, to time.Time) (time.Time, bool) {
	for i := len(r.Reviews) - 1; i >= 0; i-- {
		v := r.Reviews[i]
		if v.Decision != duban.DecisionReturn {
			continue
		}
		if (from.IsZero() || !v.At.Before(from)) && (to.IsZero() || v.At.Before(to)) {
			return v.At, true
		}
	}
	return time.Time{}, false
}

// returnsIn returns the reports returned in [from, to), each once, whatever
// became of them since.
func returnsIn(reports []*duban.Report, from, to time.Time) []*duban.Report {
	var in []*duban.Report
	for _, r := range reports {
		if r == nil {
			continue
		}
		if _, ok := returnedAt(r, from, to); ok {
			in = append(in, r)
		}
	}
	return in
}

// resubmitted reports whether a report returned is in again: submitted since,
// under review, or approved.
func resubmitted(s duban.ReportStatus) bool {
	switch s {
	case duban.ReportSubmitted, duban.ReportEvidenceRequested, duban.ReportApproved:
		return true
	}
	return false
}

// fitColumns sizes a table's columns by their text, so that a serial number
// stays narrow and a remark gets the room it needs. Each column needs its
// longest line, header included, plus a character of margin. When the needs
// pass the width of the type area (156 mm), the short columns keep their
// lines whole and the long ones share what is left in proportion to their
// needs, which makes their rows wrap to about as many lines each.
func fitColumns(t *docx.Table) {
	size := t.Size
	if size <= 0 {
		size = docx.SizeSmallNo4
	}
	// Characters of the table's size in a line of the type area.
	room := 156 / (float64(size) / 2 * 25.4 / 72)
	need := make([]float64, len(t.Columns))
	for _, row := range t.Rows {
		col := 0
		for _, c := range row {
			span := max(c.ColSpan, 1)
			if span == 1 && col < len(need) {
				for _, line := range strings.Split(c.Text, "\n") {
					need[col] = max(need[col], width(line)+1)
				}
			}
			col += span
		}
	}
	total := 0.0
	for _, n := range need {
		total += n
	}
	if total > room {
		// A column is short when it needs no more than an even share of
		// what the other short ones leave.
		short := make([]bool, len(need))
		for changed := true; changed; {
			changed = false
			left, long := room, 0
			for i, n := range need {
				if short[i] {
					left -= n
				} else {
					long++
				}
			}
			for i, n := range need {
				if !short[i] && long > 0 && n <= left/float64(long) {
					short[i], changed = true, true
				}
			}
		}
		left, longNeed := room, 0.0
		for i, n := range need {
			if short[i] {
				left -= n
			} else {
				longNeed += n
			}
		}
		for i, n := range need {
			if !short[i] {
				need[i] = max(left*n/longNeed, 2)
			}
		}
	}
	for i := range t.Columns {
		t.Columns[i].Width = max(need[i], 1)
	}
}

// breakTitle breaks a title that does not fit one line (20 characters of
// 二号) into two, after a word where the sense allows, the first line no
// shorter than the second, as even as can be (GB/T 9704 7.3.1: 梯形).
func breakTitle(title string) string {
	// A line of 二号 holds 20 characters, a little less where digits are.
	const line = 18
	if width(title) <= line || strings.Contains(title, "\n") {
		return title
	}
	best, bestDiff := -1, 1e9
	for _, after := range []string{"工作", "情况", "的", "关于", "年", "月"} {
		for i := 0; ; {
			j := strings.Index(title[i:], after)
			if j < 0 {
				break
			}
			p := i + j + len(after)
			i = p
			w1, w2 := width(title[:p]), width(title[p:])
			if w1 > line || w2 > line || w1 < w2 || p == len(title) {
				continue
			}
			if diff := w1 - w2; diff < bestDiff {
				best, bestDiff = p, diff
			}
		}
	}
	if best < 0 {
		return title
	}
	return title[:best] + "\n" + title[best:]
}

// width returns the width of s in Chinese characters: other characters count
// half.
func width(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w++
		} else {
			w += 0.5
		}
	}
	return w
}

// taskCounts counts tasks by status and light.
type taskCounts struct {
	total, notStarted, onTrack, behind, done, closed int
	red, yellow, green                               int
}

func (c *taskCounts) add(t *duban.Task) {
	c.total++
	switch t.Status {
	case duban.StatusNotStarted:
		c.notStarted++
	case duban.StatusOnTrack:
		c.onTrack++
	case duban.StatusBehind:
		c.behind++
	case duban.StatusDone:
		c.done++
	case duban.StatusClosed:
		c.closed++
	}
	switch t.Light {
	case duban.LightRed:
		c.red++
	case duban.LightYellow:
		c.yellow++
	case duban.LightGreen:
		c.green++
	}
}

func countTasks(tasks []*duban.Task) taskCounts {
	var c taskCounts
	for _, t := range tasks {
		if t != nil {
			c.add(t)
		}
	}
	return c
}

// yearOf returns "2024年" for tasks of 2024, "" when they have no one year.
func yearOf(tasks []*duban.Task) string {
	year := 0
	for _, t := range tasks {
		if t == nil {
			continue
		}
		if year != 0 && t.Year != year {
			return ""
		}
		year = t.Year
	}
	if year == 0 {
		return ""
	}
	return strconv.Itoa(year) + "年"
}

// rate returns n of total as a percentage with one decimal: "12.5%".
func rate(n, total int) string {
	if total == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64) + "%"
}

// shortSection returns a section heading up to its first comma, as bulletins
// name sections: "二、坚持以成渝地区双城经济圈建设为总牵引".
func shortSection(heading string) string {
	if i := strings.Index(heading, "，"); i > 0 && width(heading[:i]) >= 6 {
		return heading[:i]
	}
	return heading
}

// sectionTable is completion by section, with a total.
func sectionTable(tasks []*duban.Task, all taskCounts) *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Width: 3.6}, {Width: 1.1, Align: docx.AlignCenter}, {Width: 1.1, Align: docx.AlignCenter}, {Width: 1.1, Align: docx.AlignCenter},
			{Width: 1.1, Align: docx.AlignCenter}, {Width: 1.1, Align: docx.AlignCenter}, {Width: 1.1, Align: docx.AlignCenter},
			{Width: 1.4, Align: docx.AlignCenter},
		},
		HeaderRows: 1,
		Size:       docx.SizeSmallNo5,
		Rows: [][]docx.Cell{{
			{Text: "板块"}, {Text: "任务数"}, {Text: "已完成"}, {Text: "正常\n推进"}, {Text: "滞后"}, {Text: "未启动"},
			{Text: "红灯"}, {Text: "完成率"},
		}},
	}
	counts := map[string]*taskCounts{}
	var order []string
	for _, task := range tasks {
		if task == nil {
			continue
		}
		c := counts[task.Section]
		if c == nil {
			c = &taskCounts{}
			counts[task.Section] = c
			order = append(order, task.Section)
		}
		c.add(task)
	}
	row := func(name string, c taskCounts, bold bool) []docx.Cell {
		cells := []docx.Cell{{Text: name, Bold: bold}}
		for _, n := range []int{c.total, c.done + c.closed, c.onTrack, c.behind, c.notStarted, c.red} {
			cells = append(cells, docx.Cell{Text: strconv.Itoa(n), Bold: bold})
		}
		red := docx.Cell{Text: strconv.Itoa(c.red), Bold: bold}
		if c.red > 0 {
			red.Shade = docx.ShadeRed
		}
		cells[6] = red
		return append(cells, docx.Cell{Text: rate(c.done+c.closed, c.total), Bold: bold})
	}
	for _, s := range order {
		name := shortSection(s)
		if name == "" {
			name = "未分板块"
		}
		t.Rows = append(t.Rows, row(name, *counts[s], false))
	}
	t.Rows = append(t.Rows, row("合计", all, true))
	t.Rows[len(t.Rows)-1][0].Align = docx.AlignCenter
	return t
}

// taskRef names a task in a table: its number and content, cut to n
// characters.
func taskRef(t *duban.Task, n int) string {
	if t == nil {
		return "（任务已删除）"
	}
	sn, _ := sectionNumber(t.Section)
	return taskNumber(sn, t) + " " + cutText(t.Content, n)
}

// cutText cuts s to n characters, ending with "……".
func cutText(s string, n int) string {
	s = strings.Join(strings.Fields(s), "")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "……"
}

// redTable lists the red tasks with unit, leader and the rules that lit them.
func redTable(red []*duban.Task) *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Width: 0.9, Align: docx.AlignCenter}, {Width: 4.2}, {Width: 1.7, Align: docx.AlignCenter},
			{Width: 1.2, Align: docx.AlignCenter}, {Width: 3.4},
		},
		HeaderRows: 1,
		Size:       docx.SizeSmallNo5,
		Rows:       [][]docx.Cell{{{Text: "序号"}, {Text: "任务"}, {Text: "牵头单位"}, {Text: "责任区\n领导"}, {Text: "亮灯原因"}}},
	}
	for i, task := range red {
		t.Rows = append(t.Rows, []docx.Cell{
			{Text: strconv.Itoa(i + 1)}, {Text: taskRef(task, 18)}, {Text: joinNames(task.LeadUnits)},
			{Text: joinNames(task.Leaders)}, {Text: strings.Join(task.LightRules, "；")},
		})
	}
	return t
}

// unitOf names the unit of a report or notice: the task's lead unit of that
// ID, or all its lead units.
func unitOf(t *duban.Task, unitID int64) string {
	if t == nil {
		return ""
	}
	if i := slices.Index(t.LeadUnitIDs, unitID); i >= 0 && i < len(t.LeadUnits) {
		return t.LeadUnits[i]
	}
	return strings.Join(t.LeadUnits, "、")
}

// returnComment returns the comment of the last return of a report.
func returnComment(r *duban.Report) string {
	for i := len(r.Reviews) - 1; i >= 0; i-- {
		if r.Reviews[i].Decision == duban.DecisionReturn {
			return r.Reviews[i].Comment
		}
	}
	return ""
}

// returnedTable sums up the returned reports by unit, in the order of their
// first return: how many, how many came back, the tasks by number and the
// comments, each once.
func returnedTable(reports []*duban.Report, tasks map[int64]*duban.Task) *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Align: docx.AlignCenter}, {Align: docx.AlignCenter}, {Align: docx.AlignCenter}, {Align: docx.AlignCenter},
			{Align: docx.AlignCenter}, {}, {},
		},
		HeaderRows: 1,
		Size:       docx.SizeSmallNo5,
		Rows: [][]docx.Cell{{{Text: "序号"}, {Text: "报送单位"}, {Text: "退回"}, {Text: "已重新\n报送"}, {Text: "待整改"},
			{Text: "涉及任务"}, {Text: "退回意见"}}},
	}
	type unit struct {
		name              string
		returned, back    int
		numbers, comments []string
	}
	var units []*unit
	by := map[string]*unit{}
	for _, r := range reports {
		task := tasks[r.TaskID]
		name := unitOf(task, r.UnitID)
		if name == "" {
			name = "（未知单位）"
		}
		u := by[name]
		if u == nil {
			u = &unit{name: name}
			by[name] = u
			units = append(units, u)
		}
		u.returned++
		if resubmitted(r.Status) {
			u.back++
		}
		if task != nil {
			n, _ := sectionNumber(task.Section)
			if num := taskNumber(n, task); !slices.Contains(u.numbers, num) {
				u.numbers = append(u.numbers, num)
			}
		}
		if c := cutText(returnComment(r), 30); c != "" && !slices.Contains(u.comments, c) {
			u.comments = append(u.comments, c)
		}
	}
	for i, u := range units {
		waiting := docx.Cell{Text: strconv.Itoa(u.returned - u.back)}
		if u.returned > u.back {
			waiting.Shade = docx.ShadeYellow
		}
		t.Rows = append(t.Rows, []docx.Cell{
			{Text: strconv.Itoa(i + 1)}, {Text: u.name}, {Text: strconv.Itoa(u.returned)}, {Text: strconv.Itoa(u.back)}, waiting,
			{Text: strings.Join(u.numbers, "、")}, {Text: strings.Join(u.comments, "；")},
		})
	}
	return t
}

// noticeLate reports whether a notice still open has passed its deadline on
// the day asOf.
func noticeLate(n *duban.Notice, asOf time.Time) bool {
	return n.Status == duban.NoticeOpen && n.Deadline != "" && n.Deadline < asOf.Format(time.DateOnly)
}

// noticeLine names an open notice in a sentence: "渝中督办〔2024〕7号（区商务委，
// 办理时限2024-11-10，已超时限）".
func noticeLine(n *duban.Notice, tasks map[int64]*duban.Task, asOf time.Time) string {
	var parts []string
	if u := unitOf(tasks[n.TaskID], n.UnitID); u != "" {
		parts = append(parts, u)
	}
	if n.Deadline != "" {
		parts = append(parts, "办理时限"+n.Deadline)
	}
	switch {
	case noticeLate(n, asOf):
		parts = append(parts, "已超时限")
	case n.Status == duban.NoticeResponded:
		parts = append(parts, "已反馈待核")
	}
	name := n.Number
	if name == "" {
		name = n.Title
	}
	if len(parts) == 0 {
		return name
	}
	return name + "（" + strings.Join(parts, "，") + "）"
}

// noticeTable lists the open notices.
func noticeTable(notices []*duban.Notice, tasks map[int64]*duban.Task, asOf time.Time) *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Width: 2.9, Align: docx.AlignCenter}, {Width: 3.7}, {Width: 1.6, Align: docx.AlignCenter},
			{Width: 1.6, Align: docx.AlignCenter}, {Width: 1.4, Align: docx.AlignCenter},
		},
		HeaderRows: 1,
		Size:       docx.SizeSmallNo5,
		Rows:       [][]docx.Cell{{{Text: "督办单号"}, {Text: "督办事项"}, {Text: "承办单位"}, {Text: "办理时限"}, {Text: "办理情况"}}},
	}
	for _, n := range notices {
		task := tasks[n.TaskID]
		subject := n.Title
		if subject == "" {
			subject = taskRef(task, 24)
		}
		state := "办理中"
		var shade docx.Shade
		switch {
		case noticeLate(n, asOf):
			state, shade = "已超时限", docx.ShadeRed
		case n.Status == duban.NoticeResponded:
			state = "已反馈待核"
		case n.Status == duban.NoticeClosed:
			state = "已办结"
		}
		t.Rows = append(t.Rows, []docx.Cell{
			{Text: n.Number}, {Text: subject}, {Text: unitOf(task, n.UnitID)}, {Text: n.Deadline}, {Text: state, Shade: shade},
		})
	}
	return t
}

// rankingTable lists the ranking as given: place, unit, score, a column for
// each part of the score named in any row, and the note; the rule, if any,
// fills a last row of its own.
func rankingTable(rows []RankRow, rule string) *docx.Table {
	var parts []string
	for _, r := range rows {
		for _, p := range r.Parts {
			if !slices.Contains(parts, p.Name) {
				parts = append(parts, p.Name)
			}
		}
	}
	center := docx.Column{Align: docx.AlignCenter}
	t := &docx.Table{
		Columns:    []docx.Column{center, center, center},
		HeaderRows: 1,
		Size:       docx.SizeSmallNo5,
		Rows:       [][]docx.Cell{{{Text: "名次"}, {Text: "单位"}, {Text: "得分"}}},
	}
	for _, p := range parts {
		t.Columns = append(t.Columns, center)
		t.Rows[0] = append(t.Rows[0], docx.Cell{Text: p})
	}
	t.Columns = append(t.Columns, docx.Column{})
	t.Rows[0] = append(t.Rows[0], docx.Cell{Text: "备注"})
	points := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	for _, r := range rows {
		row := []docx.Cell{{Text: strconv.Itoa(r.Rank)}, {Text: r.Unit}, {Text: points(r.Score)}}
		for _, name := range parts {
			cell := docx.Cell{Text: "—"}
			if i := slices.IndexFunc(r.Parts, func(p RankPart) bool { return p.Name == name }); i >= 0 {
				cell.Text = points(r.Parts[i].Points)
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, append(row, docx.Cell{Text: r.Note}))
	}
	if rule = strings.TrimRight(strings.TrimSpace(rule), "。"); rule != "" {
		t.Rows = append(t.Rows, []docx.Cell{{Text: "计分规则：" + rule + "。", ColSpan: len(t.Columns), Align: docx.AlignJustify}})
	}
	return t
}
