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
	// Number is its document number (发文字号): "渝中督查〔2024〕11号"; empty
	// leaves the line out.
	Number string
	// Period names what it reports on: "2024年11月".
	Period string
	// Title replaces the default, "关于2024年11月重点工作推进情况的督查通报".
	Title string
	// Date is its date (成文日期), under the signature. AsOf is the day the
	// figures stand at ("截至2024年11月15日"); zero means Date.
	Date time.Time
	AsOf time.Time
	// Tasks are all the tasks of the year, with their status and light.
	Tasks []*duban.Task
	// Returned are the reports returned in the period, with their reviews;
	// their status says whether the unit has resubmitted.
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
	Note  string // e.g. 较上期上升3位
}

// DefaultRequirements are the next steps a bulletin asks of the units when
// the office writes none.
var DefaultRequirements = []string{
	"一是压实工作责任。各牵头单位要对照任务清单逐项梳理进展，对亮红灯、黄灯的任务分析原因、制定措施，责任区领导要加强调度，确保年度目标任务按期完成。",
	"二是抓好整改落实。报告被退回的单位要在规定时限内补充完善后重新报送；收到督办单的单位要按时限办结，并书面反馈办理情况。",
	"三是提高报送质量。各单位要如实填报进展情况、存在问题和下一步措施，用数据和事实说话，按时报送，杜绝以文代实、敷衍应付。",
	"四是强化督查问效。区政府督查室将持续跟踪督办，对连续亮红灯、整改不力的单位，按程序报请区政府领导约谈，督查结果纳入年度目标考核。",
}

// Bulletin writes a supervision bulletin (督查通报) as a Word document to w,
// laid out by GB/T 9704 on A4: the document number, the title, then 总体情况
// (counts by status and light, and a table of completion by section),
// 进度滞后及逾期事项 (the red tasks with unit, leader and rule), 退回及整改情况
// (the returned reports), 督办事项 (the open notices), 赛马比拼 (the ranking
// and how it was made), 下一步工作要求, and the signature and date. A part with
// nothing to report says so in a sentence. It returns the errors of writing.
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

	d := docx.New(docx.Options{Title: title, Creator: b.Issuer, Created: b.Date})
	if b.Number != "" {
		d.DocNumber(b.Number)
		d.Paragraph("")
	}
	d.Title(breakTitle(title))

	h := 0
	heading := func(text string) {
		h++
		d.Heading(1, docx.Numbering(1, h)+text)
	}

	heading("总体情况")
	c := countTasks(b.Tasks)
	d.Paragraph(fmt.Sprintf("截至%s，%s%s共有重点工作任务%d项。其中，已完成%d项（已销号%d项），正常推进%d项，进度滞后%d项，尚未启动%d项；"+
		"亮红灯%d项、黄灯%d项、绿灯%d项，整体完成率%s。各板块推进情况如下：",
		chineseDate(asOf), whole(b.OrgName), yearOf(b.Tasks), c.total, c.done+c.closed, c.closed, c.onTrack, c.behind, c.notStarted,
		c.red, c.yellow, c.green, rate(c.done+c.closed, c.total)))
	d.Table(sectionTable(b.Tasks, c))

	heading("进度滞后及逾期事项")
	var red []*duban.Task
	for _, t := range b.Tasks {
		if t != nil && t.Light == duban.LightRed {
			red = append(red, t)
		}
	}
	if len(red) == 0 {
		d.Paragraph("本期无亮红灯任务。")
	} else {
		d.Paragraph(fmt.Sprintf("本期亮红灯任务%d项，主要是报告逾期未报送、退回后未按时重新报送或进度明显滞后于序时进度，请相关牵头单位和责任区领导重点关注：", len(red)))
		d.Table(redTable(red))
	}
	if c.yellow > 0 {
		d.Paragraph(fmt.Sprintf("另有%d项任务亮黄灯，进度略慢于序时进度或报告临近截止尚未报送，请牵头单位加快推进。", c.yellow))
	}

	heading("退回及整改情况")
	if len(b.Returned) == 0 {
		d.Paragraph("本期无退回报告。")
	} else {
		waiting := 0
		for _, r := range b.Returned {
			if r.Status == duban.ReportReturned {
				waiting++
			}
		}
		d.Paragraph(fmt.Sprintf("本期退回报告%d份，已重新报送%d份，尚待整改%d份。退回的主要原因是进展情况不具体、缺少数据支撑或未说明问题和措施：",
			len(b.Returned), len(b.Returned)-waiting, waiting))
		d.Table(returnedTable(b.Returned, tasks))
	}

	heading("督办事项")
	if len(b.Notices) == 0 {
		d.Paragraph("本期无在办督办事项。")
	} else {
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
		d.Paragraph(line + "：")
		d.Table(noticeTable(b.Notices, tasks, asOf))
	}

	heading("赛马比拼")
	if len(b.Ranking) == 0 {
		d.Paragraph("本期未开展排名。")
	} else {
		rule := strings.TrimRight(b.RankingRule, "。")
		if rule != "" {
			rule += "，"
		}
		d.Paragraph(rule + "本期各单位得分及排名如下：")
		d.Table(rankingTable(b.Ranking))
	}

	heading("下一步工作要求")
	reqs := b.Requirements
	if reqs == nil {
		reqs = DefaultRequirements
	}
	for _, r := range reqs {
		d.Paragraph(r)
	}

	d.Signature(b.Issuer, chineseDate(b.Date))
	if _, err := d.WriteTo(w); err != nil {
		return fmt.Errorf("bulletin: %w", err)
	}
	return nil
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
		Size:       docx.SizeNo5,
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

// taskRef names a task in a table: its number and content, cut short.
func taskRef(t *duban.Task) string {
	if t == nil {
		return "（任务已删除）"
	}
	n, _ := sectionNumber(t.Section)
	return taskNumber(n, t) + " " + cutText(t.Content, 40)
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
		Size:       docx.SizeNo5,
		Rows:       [][]docx.Cell{{{Text: "序号"}, {Text: "任务"}, {Text: "牵头单位"}, {Text: "责任区\n领导"}, {Text: "亮灯原因"}}},
	}
	for i, task := range red {
		t.Rows = append(t.Rows, []docx.Cell{
			{Text: strconv.Itoa(i + 1)}, {Text: taskRef(task)}, {Text: joinNames(task.LeadUnits)},
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

// returnedTable lists the returned reports and whether they came back.
func returnedTable(reports []*duban.Report, tasks map[int64]*duban.Task) *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Width: 0.9, Align: docx.AlignCenter}, {Width: 3.6}, {Width: 1.7, Align: docx.AlignCenter},
			{Width: 3.4}, {Width: 1.6, Align: docx.AlignCenter},
		},
		HeaderRows: 1,
		Size:       docx.SizeNo5,
		Rows:       [][]docx.Cell{{{Text: "序号"}, {Text: "任务"}, {Text: "报送单位"}, {Text: "退回意见"}, {Text: "整改情况"}}},
	}
	for i, r := range reports {
		task := tasks[r.TaskID]
		state := "已重新报送"
		var shade docx.Shade
		switch r.Status {
		case duban.ReportReturned:
			state, shade = "待重新报送", docx.ShadeYellow
		case duban.ReportApproved:
			state = "已整改通过"
		}
		t.Rows = append(t.Rows, []docx.Cell{
			{Text: strconv.Itoa(i + 1)}, {Text: taskRef(task)}, {Text: unitOf(task, r.UnitID)},
			{Text: returnComment(r)}, {Text: state, Shade: shade},
		})
	}
	return t
}

// noticeLate reports whether a notice still open has passed its deadline on
// the day asOf.
func noticeLate(n *duban.Notice, asOf time.Time) bool {
	return n.Status == duban.NoticeOpen && n.Deadline != "" && n.Deadline < asOf.Format(time.DateOnly)
}

// noticeTable lists the open notices.
func noticeTable(notices []*duban.Notice, tasks map[int64]*duban.Task, asOf time.Time) *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Width: 2.9, Align: docx.AlignCenter}, {Width: 3.7}, {Width: 1.6, Align: docx.AlignCenter},
			{Width: 1.6, Align: docx.AlignCenter}, {Width: 1.4, Align: docx.AlignCenter},
		},
		HeaderRows: 1,
		Size:       docx.SizeNo5,
		Rows:       [][]docx.Cell{{{Text: "督办单号"}, {Text: "督办事项"}, {Text: "承办单位"}, {Text: "办理时限"}, {Text: "办理情况"}}},
	}
	for _, n := range notices {
		task := tasks[n.TaskID]
		subject := n.Title
		if subject == "" {
			subject = taskRef(task)
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

// rankingTable lists the ranking as given.
func rankingTable(rows []RankRow) *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Width: 1, Align: docx.AlignCenter}, {Width: 3.5, Align: docx.AlignCenter}, {Width: 1.4, Align: docx.AlignCenter}, {Width: 3},
		},
		HeaderRows: 1,
		Size:       docx.SizeNo5,
		Rows:       [][]docx.Cell{{{Text: "名次"}, {Text: "单位"}, {Text: "得分"}, {Text: "备注"}}},
	}
	for _, r := range rows {
		t.Rows = append(t.Rows, []docx.Cell{
			{Text: strconv.Itoa(r.Rank)}, {Text: r.Unit}, {Text: strconv.FormatFloat(r.Score, 'f', 1, 64)}, {Text: r.Note},
		})
	}
	return t
}
