package export

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"duban"
	"duban/assess"
	"duban/docx"
	"duban/ingest"
)

// TargetsInput is what the year's 主要目标完成情况表 is made of.
type TargetsInput struct {
	// OrgName names the government: "渝中区".
	OrgName string
	// Year is the year the targets are for.
	Year int
	// Title replaces the default title, "渝中区2021年经济社会发展主要目标完成情况".
	Title string
	// Rows are the indicators in the plan report's order.
	Rows []TargetRow
	// Remarks are the notes under the table (备注), each one entry.
	Remarks []string
	// Issuer and Date sign the document when Issuer is set ("区发展改革委",
	// "2022年1月14日"); Date is also its creation time.
	Issuer string
	Date   time.Time
}

// TargetRow is one indicator of the table with its evaluation.
type TargetRow struct {
	Seq       int
	Category  string // 指标类别, merged over the rows that share it
	Name      string
	Unit      string
	Attribute string // 预期性 or 约束性
	Target    string // as written: "6左右"
	Actual    string // as written: "6.1", "——"
	Status    assess.Status
	Reason    string
	// Expected is set when the outcome is not published ("——") but a remark
	// of the table says such outcomes are expected to be met (预计能完成):
	// the row is then judged met on that remark, as 预计完成.
	Expected bool
}

// TargetsFromExtraction makes the input of TargetsReport from a plan report
// read by ingest and evaluated by assess.EvaluateExtraction: the first table
// of x with evaluations for year, its rows in order with their categories,
// units and attributes, and its remarks. It returns a *duban.Error with
// CodeNotFound when no table of x has a target and an outcome for year.
func TargetsFromExtraction(org string, year int, x *ingest.Extraction, a *assess.Assessment) (TargetsInput, error) {
	in := TargetsInput{OrgName: org, Year: year}
	type key struct {
		table string
		seq   int
	}
	evals := map[key]assess.Evaluation{}
	for _, e := range a.Evaluations {
		if e.Year != nil && *e.Year == year {
			evals[key{e.Table, e.Seq}] = e
		}
	}
	for _, tbl := range x.Tables {
		for _, ind := range tbl.Indicators {
			e, ok := evals[key{tbl.Title, ind.Seq}]
			if !ok {
				continue
			}
			in.Rows = append(in.Rows, TargetRow{
				Seq: ind.Seq, Category: ind.Category, Name: ind.Name, Unit: ind.Unit, Attribute: ind.Attribute,
				Target: e.Target, Actual: e.Actual, Status: e.Status, Reason: e.Reason,
			})
		}
		if len(in.Rows) > 0 {
			in.Remarks = splitRemarks(tbl.Remarks)
			if note := expectedNote(in.Remarks); note != "" {
				for i, r := range in.Rows {
					if r.Status == assess.StatusPending && isDash(r.Actual) {
						in.Rows[i].Status, in.Rows[i].Expected = assess.StatusMet, true
						in.Rows[i].Reason = r.Reason + "；备注称" + note + "，按预计完成评价"
					}
				}
			}
			return in, nil
		}
	}
	return in, duban.Errorf(duban.CodeNotFound, "文件中没有%d年的目标和完成情况", year)
}

// TargetsFromTasks makes the input of TargetsReport from the targets of a
// year's tasks, for a year no plan report has yet reported on: one row per
// target, under its task's section, its outcome the latest figure a report
// gives for it ("——" when none has), judged by assess.Evaluate with s. It
// returns a *duban.Error with CodeNotFound when no task has a target for
// year.
func TargetsFromTasks(org string, year int, tasks []*duban.Task, reports map[int64]*duban.Report, s assess.Settings) (TargetsInput, error) {
	in := TargetsInput{OrgName: org, Year: year}
	for _, sec := range sections(slices.DeleteFunc(slices.Clone(tasks), func(t *duban.Task) bool { return t == nil || t.Year != year })) {
		for _, t := range sec.tasks {
			for _, tg := range t.Targets {
				if tg.Year != 0 && tg.Year != year {
					continue
				}
				name := tg.Subject
				if name == "" {
					name = tg.Text
				} else if tg.Measure == "growth" {
					name += "增速"
				}
				target := ingest.Expr{Op: ingest.Op(tg.Op), Value: tg.Value, Text: tg.Text}
				row := TargetRow{
					Seq: len(in.Rows) + 1, Category: sectionTitle(sec.heading), Name: name, Unit: tg.Unit,
					Target: targetText(tg), Actual: "——", Status: assess.StatusPending, Reason: "尚无完成数据",
				}
				if f, ok := latestFigure(reports[t.ID], tg.ID); ok {
					v := f.Value
					row.Actual = formatFigure(v)
					if f.Note != "" {
						row.Actual += "（" + f.Note + "）"
					}
					actual := ingest.Expr{Op: ingest.OpEq, Value: &v, Text: formatFigure(v)}
					r := assess.Evaluate(target, actual, assess.PolarityOf(name, s.Polarity), s)
					row.Status, row.Reason = r.Status, r.Reason
				}
				in.Rows = append(in.Rows, row)
			}
		}
	}
	if len(in.Rows) == 0 {
		return in, duban.Errorf(duban.CodeNotFound, "%d年的任务中没有目标", year)
	}
	return in, nil
}

// sectionTitle returns a section heading without its numeral and its tail
// after the first comma: "四、焕新升级“11241”现代产业体系，打造经济高地" is
// "焕新升级“11241”现代产业体系".
func sectionTitle(heading string) string {
	h := strings.TrimSpace(heading)
	if i := strings.Index(h, "、"); i >= 0 && i <= 12 {
		h = h[i+len("、"):]
	}
	if i := strings.Index(h, "，"); i > 0 {
		h = h[:i]
	}
	return h
}

// targetText returns a target's value as a plan table writes it: "7.5", or
// its text when it has no value.
func targetText(tg duban.Target) string {
	if tg.Value == nil {
		return tg.Text
	}
	v := formatFigure(*tg.Value)
	switch ingest.Op(tg.Op) {
	case ingest.OpApprox:
		return v + "左右"
	case ingest.OpGE:
		return "≥" + v
	case ingest.OpGT:
		return "＞" + v
	case ingest.OpLE:
		return "≤" + v
	case ingest.OpLT:
		return "＜" + v
	case ingest.OpEq, ingest.OpReach, "":
		return v
	}
	return tg.Text
}

// latestFigure returns the figure r gives for target id.
func latestFigure(r *duban.Report, id int64) (duban.Figure, bool) {
	if r == nil || id == 0 {
		return duban.Figure{}, false
	}
	for _, f := range r.Figures {
		if f.TargetID == id {
			return f, true
		}
	}
	return duban.Figure{}, false
}

// splitRemarks splits the remarks under a table ("备注：1.…2.…") into their
// numbered entries, without the "备注：" prefix.
func splitRemarks(remarks []string) []string {
	var out []string
	for _, r := range remarks {
		r = strings.TrimSpace(r)
		r = strings.TrimPrefix(strings.TrimPrefix(r, "备注："), "备注:")
		// Entries are numbered 1. 2. …; split before each next number.
		n := 1
		for {
			next := strconv.Itoa(n+1) + "."
			i := strings.Index(r, next)
			if !strings.HasPrefix(r, strconv.Itoa(n)+".") || i < 0 {
				break
			}
			out = append(out, strings.TrimSpace(r[:i]))
			r = r[i:]
			n++
		}
		if r != "" {
			out = append(out, strings.TrimSpace(r))
		}
	}
	return out
}

// expectedNote returns the remark that says the outcomes written "——" are
// expected to be met ("5.——为目前尚未公布数据，预计能完成。"), without its
// number and final stop, or "" when no remark says so.
func expectedNote(remarks []string) string {
	for _, r := range remarks {
		i := strings.Index(r, "——")
		j := strings.Index(r, "预计")
		if i < 0 || j < i {
			continue
		}
		if rest := r[j:]; !strings.Contains(rest, "完成") && !strings.Contains(rest, "实现") {
			continue
		}
		note := strings.TrimLeft(r, "0123456789.．、 ")
		return strings.TrimRight(note, "。；;")
	}
	return ""
}

// isDash reports whether an outcome is written as a dash: not published.
func isDash(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.Trim(s, "—－-–") == ""
}

// verdict is the word of an evaluation in the table, as plan reports write
// it, and its shade.
func verdict(row TargetRow) (string, docx.Shade) {
	estimated := row.Expected || strings.Contains(row.Actual, "预计")
	switch row.Status {
	case assess.StatusMet:
		if estimated {
			return "预计完成", ""
		}
		return "完成", ""
	case assess.StatusMissed:
		return "未完成", docx.ShadeRed
	case assess.StatusBorderline:
		return "基本持平", docx.ShadeYellow
	case assess.StatusPending:
		return "待定", ""
	}
	return "无法评价", ""
}

// whole returns "全区" for a district, "全县" for a county, "全市" for a city:
// how a government names itself in its reports.
func whole(org string) string {
	r, _ := utf8.DecodeLastRuneInString(org)
	switch r {
	case '区', '县', '市', '旗', '州', '省':
		return "全" + string(r)
	}
	return "全" + org
}

// targetsSummary returns the paragraph above the table: how many indicators,
// met, missed, borderline and pending, naming all but those met.
func targetsSummary(t TargetsInput) string {
	var met, estimated int
	var missed, borderline, pending, other []string
	for _, r := range t.Rows {
		switch r.Status {
		case assess.StatusMet:
			met++
			if r.Expected || strings.Contains(r.Actual, "预计") {
				estimated++
			}
		case assess.StatusMissed:
			missed = append(missed, r.Name)
		case assess.StatusBorderline:
			borderline = append(borderline, r.Name)
		case assess.StatusPending:
			pending = append(pending, r.Name)
		default:
			other = append(other, r.Name)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d年，%s经济社会发展主要目标共%d项。其中，已完成%d项", t.Year, whole(t.OrgName), len(t.Rows), met)
	if estimated > 0 {
		fmt.Fprintf(&b, "（%d项为预计数）", estimated)
	}
	named := func(n []string, what, tail string) {
		if len(n) > 0 {
			fmt.Fprintf(&b, "；%s%d项，为%s%s", what, len(n), strings.Join(n, "、"), tail)
		}
	}
	named(missed, "未完成", "")
	named(borderline, "与目标基本持平", "")
	named(pending, "待定", "，尚无完成数据或目标由市计划下达")
	named(other, "无法评价", "")
	b.WriteString("。各项指标的评价依据见表中“说明”栏。")
	return b.String()
}

// TargetsReport writes the year's 主要目标完成情况表 as a Word document to w:
// the title, a summary naming the indicators missed, and the table in the
// plan report's layout (序号, 指标类别 merged over its rows, 指标名称, 单位,
// 指标属性, the year's target and outcome) with each indicator's evaluation
// and its reason, the remarks in the table's last row, on A4 landscape with
// the header repeated on every page. It returns the errors of writing.
func TargetsReport(w io.Writer, t TargetsInput) error {
	title := t.Title
	if title == "" {
		title = t.OrgName + strconv.Itoa(t.Year) + "年经济社会发展主要目标完成情况"
	}
	d := docx.New(docx.Options{Title: title, Creator: t.Issuer, Created: t.Date})
	d.StartSection(docx.Landscape)
	d.Title(title)
	d.Paragraph(targetsSummary(t))

	year := strconv.Itoa(t.Year) + "年"
	tbl := &docx.Table{
		Columns: []docx.Column{
			{Width: 0.9, Align: docx.AlignCenter}, // 序号
			{Width: 1.5, Align: docx.AlignCenter}, // 指标类别
			{Width: 4.1},                          // 指标名称
			{Width: 1.4, Align: docx.AlignCenter}, // 单位
			{Width: 1.2, Align: docx.AlignCenter}, // 指标属性
			{Width: 1.6, Align: docx.AlignCenter}, // 计划目标
			{Width: 1.6, Align: docx.AlignCenter}, // 完成情况
			{Width: 1.5, Align: docx.AlignCenter}, // 评价
			{Width: 4.2},                          // 说明
		},
		HeaderRows: 1,
		Size:       docx.SizeNo5,
		RowHeight:  8,
		Rows: [][]docx.Cell{{
			{Text: "序号"}, {Text: "指标类别"}, {Text: "指标名称"}, {Text: "单位"}, {Text: "指标\n属性"},
			{Text: year + "\n计划目标"}, {Text: year + "\n完成情况"}, {Text: "评价"}, {Text: "说明"},
		}},
	}
	for i, r := range t.Rows {
		row := []docx.Cell{{Text: strconv.Itoa(r.Seq)}}
		if i == 0 || r.Category != t.Rows[i-1].Category {
			span := 1
			for i+span < len(t.Rows) && t.Rows[i+span].Category == r.Category {
				span++
			}
			row = append(row, docx.Cell{Text: r.Category, RowSpan: span})
		}
		word, shade := verdict(r)
		row = append(row,
			docx.Cell{Text: r.Name}, docx.Cell{Text: r.Unit}, docx.Cell{Text: r.Attribute},
			docx.Cell{Text: r.Target}, docx.Cell{Text: r.Actual},
			docx.Cell{Text: word, Bold: true, Shade: shade}, docx.Cell{Text: r.Reason},
		)
		tbl.Rows = append(tbl.Rows, row)
	}
	if len(t.Remarks) > 0 {
		tbl.Rows = append(tbl.Rows, []docx.Cell{{
			Text: "备注：" + strings.Join(t.Remarks, "\n"), ColSpan: len(tbl.Columns), Align: docx.AlignJustify,
		}})
	}
	d.Table(tbl)
	if t.Issuer != "" {
		date := ""
		if !t.Date.IsZero() {
			date = chineseDate(t.Date)
		}
		d.Signature(t.Issuer, date)
	}
	if _, err := d.WriteTo(w); err != nil {
		return fmt.Errorf("targets report: %w", err)
	}
	return nil
}
