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

// UnitTasksInput is what a unit's task list is made of.
type UnitTasksInput struct {
	// OrgName names the government: "渝中区".
	OrgName string
	Year    int
	// Unit is the unit's name ("区商务委") and UnitID its ID: a task whose
	// LeadUnitIDs hold it, or whose LeadUnits name it, is one the unit leads;
	// the others it supports.
	Unit   string
	UnitID int64
	// Tasks are the unit's tasks, lead and supporting, in the decomposition's
	// order.
	Tasks []*duban.Task
	// Reports holds the latest report of each task, by task ID.
	Reports map[int64]*duban.Report
	// Date is the day the list stands at, in the organisation's time zone.
	Date time.Time
}

// leads reports whether the unit of u leads t.
func (u UnitTasksInput) leads(t *duban.Task) bool {
	return (u.UnitID != 0 && slices.Contains(t.LeadUnitIDs, u.UnitID)) || slices.Contains(t.LeadUnits, u.Unit)
}

// UnitTasks writes a unit's task list as a Word document to w, for the unit
// to print: the title ("区商务委2024年重点工作任务清单"), the day it stands at, a
// count of the tasks it leads and supports and of their lights, then a table
// by section of each task with its number as the pages write it ("一、4"),
// content, responsible leader, lead units (so that a supporting unit knows
// whom it supports), the unit's part (牵头 or 配合), the deadline, the light
// with the rules that lit it and the latest progress with its percentage and
// the day it came in, on A4 landscape with the header repeated and no row
// split across pages. It returns the errors of writing.
func UnitTasks(w io.Writer, u UnitTasksInput) error {
	title := u.Unit + strconv.Itoa(u.Year) + "年重点工作任务清单"
	d := docx.New(docx.Options{Title: title, Creator: u.Unit, Created: u.Date})
	d.StartSection(docx.Landscape)
	d.Title(title)
	if !u.Date.IsZero() {
		d.Subtitle("（截至" + chineseDate(u.Date) + "）")
	}

	var lead, support int
	var c taskCounts
	for _, t := range u.Tasks {
		if t == nil {
			continue
		}
		if u.leads(t) {
			lead++
		} else {
			support++
		}
		c.add(t)
	}
	summary := fmt.Sprintf("%s%s年承担%s重点工作任务%d项，其中牵头%d项、配合%d项。目前已完成%d项，正常推进%d项，进度滞后%d项，尚未启动%d项；亮红灯%d项、黄灯%d项。",
		u.Unit, strconv.Itoa(u.Year), whole(u.OrgName), c.total, lead, support, c.done+c.closed, c.onTrack, c.behind, c.notStarted, c.red, c.yellow)
	if c.red+c.yellow > 0 {
		summary += "亮灯任务请对照亮灯原因抓紧整改，按时报送进展。"
	}
	d.Paragraph(summary)

	tbl := &docx.Table{
		Columns: []docx.Column{
			{Width: 1.2, Align: docx.AlignCenter}, // 序号, "四、27" on one line
			{Width: 4.0},                          // 任务内容
			{Width: 1.1, Align: docx.AlignCenter}, // 责任区领导
			{Width: 1.6, Align: docx.AlignCenter}, // 牵头单位
			{Width: 0.9, Align: docx.AlignCenter}, // 牵头/配合
			{Width: 1.8, Align: docx.AlignCenter}, // 完成时限
			{Width: 2.2},                          // 灯
			{Width: 4.8},                          // 最新进展
		},
		HeaderRows: 1,
		Size:       docx.SizeNo5,
		RowHeight:  8,
		Rows: [][]docx.Cell{{
			{Text: "序号"}, {Text: "任务内容"}, {Text: "责任区\n领导"}, {Text: "牵头单位"}, {Text: "职责"}, {Text: "完成时限"},
			{Text: "亮灯情况"}, {Text: "最新进展"},
		}},
	}
	for _, s := range sections(slices.DeleteFunc(slices.Clone(u.Tasks), func(t *duban.Task) bool { return t == nil })) {
		if s.heading != "" {
			tbl.Rows = append(tbl.Rows, []docx.Cell{{Text: s.heading, ColSpan: len(tbl.Columns), Bold: true, Shade: docx.ShadeGray, Align: docx.AlignLeft, KeepWithNext: true}})
		}
		for _, t := range s.tasks {
			part := "配合"
			if u.leads(t) {
				part = "牵头"
			}
			light := lightLabel(t.Light) + "灯"
			if t.Light == duban.LightNone {
				light = statusLabel(t.Status)
			}
			if len(t.LightRules) > 0 {
				light += "\n" + strings.Join(t.LightRules, "；")
			}
			progress := ""
			if r := u.Reports[t.ID]; r != nil {
				progress = r.Progress
				var notes []string
				if r.Percent != nil {
					notes = append(notes, "完成进度"+strconv.Itoa(*r.Percent)+"%")
				}
				if r.SubmittedAt != nil {
					day := r.SubmittedAt.In(location(u.Date))
					notes = append(notes, strconv.Itoa(int(day.Month()))+"月"+strconv.Itoa(day.Day())+"日报送")
				}
				if len(notes) > 0 {
					progress += "（" + strings.Join(notes, "，") + "）"
				}
			}
			tbl.Rows = append(tbl.Rows, []docx.Cell{
				{Text: officialNumber(t)}, {Text: t.Content}, {Text: joinNames(t.Leaders)}, {Text: joinNames(t.LeadUnits)}, {Text: part},
				{Text: t.Deadline}, {Text: light, Shade: lightShade(t.Light)}, {Text: progress},
			})
		}
	}
	d.Table(tbl)
	if _, err := d.WriteTo(w); err != nil {
		return fmt.Errorf("unit tasks: %w", err)
	}
	return nil
}
