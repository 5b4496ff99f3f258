package export_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"duban"
	"duban/export"
)

// writeLedger writes l and opens the workbook again with excelize.
func writeLedger(t *testing.T, l export.LedgerInput) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Ledger(&buf, l); err != nil {
		t.Fatalf("Ledger: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("excelize cannot open the ledger: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

var readHeaders = []string{"序号", "任务内容", "责任区领导", "牵头单位", "责任单位", "完成时限", "状态", "灯", "亮灯原因",
	"最新进展", "完成进度（%）", "目标值/最新数值", "报送日期"}

var editHeaders = []string{"序号", "任务内容", "责任区领导", "牵头单位", "责任单位", "完成时限", "状态", "灯", "亮灯原因",
	"上期进展", "进展情况", "存在问题", "下一步措施", "完成进度（%）", "目标值/最新数值", "报送日期", "备注",
	"任务编号", "任务版本", "报告版本", "校验码", "导出值"}

// rows returns the rows of a sheet as excelize reads them, failing the test
// on an error.
func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("GetRows(%q): %v", sheet, err)
	}
	return rs
}

// rowOf returns the number of the row whose first cell is first.
func rowOf(t *testing.T, rs [][]string, first string) int {
	t.Helper()
	for i, r := range rs {
		if len(r) > 0 && r[0] == first {
			return i + 1
		}
	}
	t.Fatalf("no row starts with %q", first)
	return 0
}

func TestLedgerLayout(t *testing.T) {
	f, _ := writeLedger(t, sampleLedger())

	if got, want := f.GetSheetList(), []string{"任务台账"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	const sheet = "任务台账"
	rs := rows(t, f, sheet)
	if got, want := rs[0][0], "渝中区2024年重点工作任务推进台账"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if got := rs[1][0]; !strings.Contains(got, "填报周期：2024年11月") || !strings.Contains(got, "导出时间：2024-11-15 09:30") || !strings.Contains(got, "任务9项") {
		t.Errorf("info line = %q", got)
	}
	if diff := cmp.Diff(readHeaders, rs[2]); diff != "" {
		t.Errorf("header row mismatch (-want +got):\n%s", diff)
	}

	// Sections in order of appearance, tasks by number within them.
	var firsts []string
	for _, r := range rs[3:] {
		firsts = append(firsts, r[0])
	}
	want := []string{sectionTargets, "一、1", "一、2", "一、4", sectionIndustry, "四、1", "四、3", "四、27", sectionLife, "十、1", "十、2", "十、5"}
	if diff := cmp.Diff(want, firsts); diff != "" {
		t.Errorf("first column mismatch (-want +got):\n%s", diff)
	}

	// A task row in full.
	r := rs[rowOf(t, rs, "一、4")-1]
	wantRow := []string{"一、4", "社会消费品零售总额增长7.5%。", "陈平", "区商务委", "区文旅委、各管委会、各街道", "2024年12月底",
		"滞后", "黄", "完成进度低于序时进度12个百分点", longProgress, "70", "社会消费品零售总额增长7.5%；最新6.8%（1-10月累计）", "2024-11-13"}
	if diff := cmp.Diff(wantRow, r); diff != "" {
		t.Errorf("row 1.4 mismatch (-want +got):\n%s", diff)
	}
	r = rs[rowOf(t, rs, "四、1")-1]
	if got, want := r[2], "邓光怀\n陈平"; got != want {
		t.Errorf("leaders of 4.1 = %q, want one a line %q", got, want)
	}
	r = rs[rowOf(t, rs, "四、27")-1]
	if got, want := r[11], "盘活闲置楼宇30万平方米；最新18.6万平方米\n改造老旧楼宇10栋；最新4栋"; got != want {
		t.Errorf("figures of 4.27 = %q, want %q", got, want)
	}
	if got, want := r[8], "10月报告已逾期18天未报送（截止2024-10-28，宽限至2024-10-31）；完成进度低于序时进度25个百分点"; got != want {
		t.Errorf("light rules of 4.27 = %q, want %q", got, want)
	}
	// A date is the organisation's: 2024-10-31 17:30 UTC is 1 November in Chongqing.
	if got, want := r[12], "2024-11-01"; got != want {
		t.Errorf("submitted of 4.27 = %q, want %q", got, want)
	}

	// Merged title, info and section rows.
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, m := range merged {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis()+"="+m.GetCellValue())
	}
	slices.Sort(refs)
	wantMerged := []string{"A12:M12=" + sectionLife, "A1:M1=渝中区2024年重点工作任务推进台账", "A2:M2=" + rs[1][0], "A4:M4=" + sectionTargets, "A8:M8=" + sectionIndustry}
	slices.Sort(wantMerged)
	if diff := cmp.Diff(wantMerged, refs); diff != "" {
		t.Errorf("merged cells mismatch (-want +got):\n%s", diff)
	}
	if s := cellStyle(t, f, sheet, "A4"); s.Font == nil || !s.Font.Bold {
		t.Errorf("section row A4 is not bold: %+v", s.Font)
	}

	// The styled header: bold, filled, bordered, wrapped.
	h := cellStyle(t, f, sheet, "B3")
	if h.Font == nil || !h.Font.Bold || len(h.Fill.Color) == 0 || len(h.Border) != 4 || h.Alignment == nil || !h.Alignment.WrapText {
		t.Errorf("header style = font %+v fill %+v borders %d alignment %+v", h.Font, h.Fill, len(h.Border), h.Alignment)
	}

	// Lights in words and colours.
	for first, want := range map[string]struct {
		word, fill string
	}{"一、4": {"黄", "FFEB9C"}, "四、27": {"红", "FFC7CE"}, "一、1": {"绿", "C6EFCE"}, "十、5": {"—", ""}} {
		row := rowOf(t, rs, first)
		if got := rs[row-1][7]; got != want.word {
			t.Errorf("light of %s = %q, want %q", first, got, want.word)
		}
		s := cellStyle(t, f, sheet, "H"+itoa(row))
		got := ""
		if len(s.Fill.Color) > 0 {
			got = strings.ToUpper(strings.TrimPrefix(s.Fill.Color[0], "#"))
		}
		if got != want.fill {
			t.Errorf("light cell of %s is filled %q, want %q", first, got, want.fill)
		}
	}

	// Frozen header and first column.
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 3 || panes.TopLeftCell != "B4" {
		t.Errorf("panes = %+v, want frozen at B4", panes)
	}

	// Filters on the header, down to the last row, and the printed titles.
	names := map[string]string{}
	for _, d := range f.GetDefinedName() {
		names[d.Name+"@"+d.Scope] = d.RefersTo
	}
	if got, want := names["_xlnm._FilterDatabase@"+sheet], "'任务台账'!$A$3:$M$15"; got != want {
		t.Errorf("filter range = %q, want %q (all names %v)", got, want, names)
	}
	if got, want := names["_xlnm.Print_Titles@"+sheet], "'任务台账'!$A:$A,'任务台账'!$3:$3"; got != want {
		t.Errorf("print titles = %q, want %q", got, want)
	}
	if got, want := names["_xlnm.Print_Area@"+sheet], "'任务台账'!$A$1:$M$15"; got != want {
		t.Errorf("print area = %q, want %q", got, want)
	}

	// Widths for Chinese text and heights that show it wrapped.
	for col, want := range map[string]float64{"A": 10, "B": 34, "J": 34} {
		if got, err := f.GetColWidth(sheet, col); err != nil || got != want {
			t.Errorf("width of column %s = %v, %v; want %v", col, got, err, want)
		}
	}
	long, short := rowHeight(t, f, sheet, rowOf(t, rs, "一、4")), rowHeight(t, f, sheet, rowOf(t, rs, "十、5"))
	if long < 5*14 || short > long/2 {
		t.Errorf("row heights: %v for a long report, %v for a short row", long, short)
	}

	// Printed readably: A3 at 100% for the thirteen columns.
	checkPrintable(t, f, sheet)

	// A ledger to read is not protected and has no hidden parts.
	if p, err := f.GetSheetProtection(sheet); err == nil && p != (excelize.SheetProtectionOptions{}) {
		t.Errorf("a ledger to read is protected: %+v", p)
	}
}

func TestLedgerSheets(t *testing.T) {
	tests := []struct {
		name   string
		sheets export.SheetMode
		want   map[string][]string // sheet → first column of its task rows
	}{
		{"by section", export.SheetsBySection, map[string][]string{
			"一、主要预期指标": {"一、1", "一、2", "一、4"},
			"四、焕新升级“11241”现代产业体系，打造经济高地": {"四、1", "四、3", "四、27"},
			"十、加强基础性、普惠性、兜底性民生建设，同筑幸福家园": {"十、1", "十、2", "十、5"},
		}},
		{"by lead unit", export.SheetsByLeadUnit, map[string][]string{
			"区发改委": {"一、1", "四、1", "四、27"}, "区商务委": {"一、4", "四、3"}, "区财政局": {"一、2"}, "解放碑CBD管委会": {"四、1"},
			"区人社局": {"十、5"}, "区住建委": {"十、1"}, "区民政局": {"十、2"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := sampleLedger()
			l.Sheets = tt.sheets
			f, _ := writeLedger(t, l)
			got := map[string][]string{}
			for _, sheet := range f.GetSheetList() {
				checkPrintable(t, f, sheet)
				for _, r := range rows(t, f, sheet)[3:] {
					if len(r) > 1 {
						got[sheet] = append(got[sheet], r[0])
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sheets mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("by org", func(t *testing.T) {
		tasks := sampleTasks()
		tasks[0].OrgID, tasks[1].OrgID = 2, 2
		l := sampleLedger()
		l.Tasks, l.Sheets, l.OrgName = tasks, export.SheetsByOrg, "重庆市"
		l.OrgNames = map[int64]string{1: "渝中区", 2: "江北区"}
		f, _ := writeLedger(t, l)
		if got, want := f.GetSheetList(), []string{"江北区", "渝中区"}; !slices.Equal(got, want) {
			t.Errorf("sheets = %q, want %q", got, want)
		}
		if got, want := rows(t, f, "江北区")[0][0], "重庆市2024年重点工作任务推进台账（江北区）"; got != want {
			t.Errorf("title = %q, want %q", got, want)
		}
	})
}

// TestLedgerRollup checks that every sheet of a city's roll-up names the
// district of each task in a 区县 column, lists a section's tasks district by
// district, and splits by lead unit per district, naming it.
func TestLedgerRollup(t *testing.T) {
	tasks := sampleTasks()
	// Both districts have a 一、1 and a 区发改委.
	jiangbei := *tasks[0]
	jiangbei.ID, jiangbei.OrgID = 201, 2
	tasks = append(tasks, &jiangbei)
	for _, sheets := range []export.SheetMode{export.SheetsOne, export.SheetsBySection, export.SheetsByLeadUnit, export.SheetsByOrg} {
		t.Run(string(sheets), func(t *testing.T) {
			l := sampleLedger()
			l.Tasks, l.Sheets, l.OrgName = tasks, sheets, "重庆市"
			l.OrgNames = map[int64]string{1: "渝中区", 2: "江北区"}
			f, _ := writeLedger(t, l)
			var firsts []string
			for _, sheet := range f.GetSheetList() {
				checkPrintable(t, f, sheet)
				rs := rows(t, f, sheet)
				if got := rs[2][1]; got != "区县" {
					t.Errorf("%s: column B is %q, want 区县", sheet, got)
				}
				for _, r := range rs[3:] {
					if len(r) < 2 {
						continue
					}
					if r[1] != "渝中区" && r[1] != "江北区" {
						t.Errorf("%s: task %s names no district: %q", sheet, r[0], r[1])
					}
					if sheet == f.GetSheetList()[0] {
						firsts = append(firsts, r[1]+r[0])
					}
				}
			}
			if sheets == export.SheetsBySection {
				if want := []string{"渝中区一、1", "渝中区一、2", "渝中区一、4", "江北区一、1"}; !slices.Equal(firsts, want) {
					t.Errorf("first section lists %q, want %q", firsts, want)
				}
			}
			if sheets == export.SheetsByLeadUnit {
				list := f.GetSheetList()
				if !slices.Contains(list, "渝中区区发改委") || !slices.Contains(list, "江北区区发改委") {
					t.Errorf("sheets by lead unit = %q, want one 区发改委 per district, named", list)
				}
			}
		})
	}
}

// TestLedgerOfDecomposition checks the ledger of the 194 tasks of the 2024
// decomposition, which give no 完成时限: the column is left out, and every
// sheet prints readably.
func TestLedgerOfDecomposition(t *testing.T) {
	x := seedExtraction(t, "002_df832bfe8d5b9f39.txt")
	tasks, reports := seedTasks(t, x, 1, 1, len(x.Tasks))
	for _, task := range tasks {
		task.Deadline = ""
	}
	for _, sheets := range []export.SheetMode{export.SheetsOne, export.SheetsBySection} {
		l := sampleLedger()
		l.Tasks, l.Reports, l.Sheets = tasks, reports, sheets
		f, _ := writeLedger(t, l)
		for _, sheet := range f.GetSheetList() {
			checkPrintable(t, f, sheet)
			if header := rows(t, f, sheet)[2]; slices.Contains(header, "完成时限") {
				t.Errorf("%s: a 完成时限 column though no task has one: %q", sheet, header)
			}
		}
	}
}

// TestLedgerEditableDraft checks that a task whose report of the current cycle
// is a draft keeps, in an editable ledger, the last cycle's progress as
// 上期进展 and the day that one came in as 报送日期, beside the draft.
func TestLedgerEditableDraft(t *testing.T) {
	l := sampleLedger()
	l.Editable = export.EditUnit
	draft := *l.Reports[102]
	draft.Status, draft.SubmittedAt, draft.Progress = duban.ReportDraft, nil, "草稿：11月新开业首店品牌5家。"
	l.Reports[102] = &draft
	l.Previous = map[int64]*duban.Report{102: {
		ID: 1021, TaskID: 102, CycleID: october.ID, Status: duban.ReportSubmitted,
		Progress: "1—9月社会消费品零售总额增长6.5%。", SubmittedAt: at(14, 2),
	}}
	f, _ := writeLedger(t, l)
	rs := rows(t, f, "任务台账")
	r := rs[rowOf(t, rs, "一、4")-1]
	got := []string{r[9], r[10], r[15]}
	want := []string{"1—9月社会消费品零售总额增长6.5%。", "草稿：11月新开业首店品牌5家。", "2024-11-14"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("上期进展, 进展情况, 报送日期 of a drafted task mismatch (-want +got):\n%s", diff)
	}
}

// TestLedgerLeavesOutEmptyColumns checks that a column no task fills (完成时限
// when the decomposition gives none) is not printed, and that a ledger
// narrow enough then prints on A4 at a readable scale.
func TestLedgerLeavesOutEmptyColumns(t *testing.T) {
	tasks := sampleTasks()
	for _, task := range tasks {
		task.Deadline = ""
	}
	l := sampleLedger()
	l.Tasks = tasks
	f, _ := writeLedger(t, l)
	const sheet = "任务台账"
	header := rows(t, f, sheet)[2]
	if slices.Contains(header, "完成时限") || slices.Contains(header, "区县") {
		t.Errorf("header = %q, want no 完成时限 and no 区县", header)
	}
	if len(header) != len(readHeaders)-1 {
		t.Errorf("header has %d columns, want %d", len(header), len(readHeaders)-1)
	}
	checkPrintable(t, f, sheet)

	// A ledger of a few columns fits A4.
	l.Reports = nil
	for _, task := range tasks {
		task.Leaders, task.ResponsibleUnits, task.LightRules, task.Targets, task.Actual = nil, nil, nil, nil, nil
	}
	f, _ = writeLedger(t, l)
	checkPrintable(t, f, sheet)
	if pl, err := f.GetPageLayout(sheet); err != nil || pl.Size == nil || *pl.Size != 9 {
		t.Errorf("a narrow ledger prints on paper %v (%v), want A4", deref(pl.Size), err)
	}
}

func TestLedgerSheetNames(t *testing.T) {
	tasks := sampleTasks()
	// Names Excel refuses, one too long, and two that clash once cut.
	tasks[0].LeadUnits = []string{"区发改委/区统计局[试点]"}
	tasks[1].LeadUnits = []string{strings.Repeat("很长的单位名称", 6) + "甲"}
	tasks[2].LeadUnits = []string{strings.Repeat("很长的单位名称", 6) + "乙"}
	l := sampleLedger()
	l.Tasks, l.Sheets = tasks[:3], export.SheetsByLeadUnit
	f, _ := writeLedger(t, l)
	got := f.GetSheetList()
	if len(got) != 3 || got[0] != "区发改委_区统计局_试点_" {
		t.Fatalf("sheets = %q", got)
	}
	if got[1] == got[2] || len([]rune(got[1])) > 31 || len([]rune(got[2])) > 31 {
		t.Errorf("long names = %q and %q: want distinct, at most 31 characters", got[1], got[2])
	}
}

func TestLedgerEditable(t *testing.T) {
	for _, editor := range []export.Editor{export.EditUnit, export.EditOffice} {
		t.Run(string(editor), func(t *testing.T) {
			l := sampleLedger()
			l.Editable = editor
			// The unit leads 1.4 (ID 102) and only supports the others (配合).
			l.Unit = 7
			for _, task := range l.Tasks {
				if task.ID == 102 {
					task.LeadUnitIDs = []int64{7}
				}
			}
			f, _ := writeLedger(t, l)
			const sheet = "任务台账"
			if got, want := f.GetSheetList(), []string{sheet, "_duban"}; !slices.Equal(got, want) {
				t.Fatalf("sheets = %q, want %q", got, want)
			}
			if visible, err := f.GetSheetVisible("_duban"); err != nil || visible {
				t.Errorf("the meta sheet is visible (%v)", err)
			}
			checkPrintable(t, f, sheet)
			rs := rows(t, f, sheet)
			if diff := cmp.Diff(editHeaders, rs[2]); diff != "" {
				t.Errorf("header row mismatch (-want +got):\n%s", diff)
			}
			for i, h := range editHeaders {
				col := colLetter(i)
				visible, err := f.GetColVisible(sheet, col)
				if err != nil {
					t.Fatal(err)
				}
				if hidden := i >= 17; visible == hidden {
					t.Errorf("column %s (%s) visible = %v", col, h, visible)
				}
			}

			row := rowOf(t, rs, "一、4")
			r := rs[row-1]
			if got, want := r[17:], []string{"102", "1", "3"}; !slices.Equal(got[:3], want) || len(got[3]) != 12 {
				t.Errorf("hidden cells of 1.4 = %q, want ID, versions %q and a check code", got, want)
			}
			if got := r[10]; got != longProgress {
				t.Errorf("进展情况 of 1.4 = %q, want November's report", got)
			}
			// October's report is the last one of 4.27: shown beside, the
			// current one empty with report version 0.
			r = rs[rowOf(t, rs, "四、27")-1]
			if r[9] != "已盘活闲置楼宇18.6万平方米，完成老旧楼宇改造4栋。" || r[10] != "" || r[13] != "" || r[19] != "0" {
				t.Errorf("4.27: 上期进展 %q, 进展情况 %q, 完成进度 %q, 报告版本 %q", r[9], r[10], r[13], r[19])
			}

			prot, err := f.GetSheetProtection(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !prot.AutoFilter || !prot.Sort || prot.InsertRows || prot.DeleteColumns || prot.Password != "" {
				t.Errorf("protection = %+v: want filters and sorting allowed, no inserting or deleting", prot)
			}
			// The report is the lead unit's alone; the office's are the
			// deadline and the note.
			unit, office := editor == export.EditUnit, editor == export.EditOffice
			open := map[string]bool{"K": unit, "L": unit, "M": unit, "N": unit, "F": office, "Q": office}
			for i, h := range editHeaders[:17] {
				col := colLetter(i)
				s := cellStyle(t, f, sheet, col+itoa(row))
				locked := s.Protection == nil || s.Protection.Locked
				if locked == open[col] {
					t.Errorf("column %s (%s): locked = %v", col, h, locked)
				}
			}
			supported := itoa(rowOf(t, rs, "四、27"))
			for _, col := range []string{"K", "L", "M", "N"} {
				if s := cellStyle(t, f, sheet, col+supported); s.Protection != nil && !s.Protection.Locked {
					t.Errorf("column %s of 四、27, a task the unit supports, is open", col)
				}
			}
			dvs, err := f.GetDataValidations(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(dvs) != 1 || dvs[0].Sqref != "N4:N15" || dvs[0].Type != "whole" || dvs[0].Formula1 != "0" || dvs[0].Formula2 != "100" {
				for _, dv := range dvs {
					t.Logf("validation %+v", *dv)
				}
				t.Errorf("want one validation of whole numbers 0–100 over N4:N15")
			}
		})
	}
}

func TestLedgerEmpty(t *testing.T) {
	l := sampleLedger()
	l.Tasks = nil
	f, _ := writeLedger(t, l)
	rs := rows(t, f, "任务台账")
	if len(rs) != 3 {
		t.Errorf("an empty ledger has %d rows, want title, info and header", len(rs))
	}
}

func TestLedgerRejectsUnknownOptions(t *testing.T) {
	for _, l := range []export.LedgerInput{{Sheets: "leader"}, {Editable: "leader"}} {
		err := export.Ledger(&bytes.Buffer{}, l)
		if duban.ErrorCode(err) != duban.CodeInvalid {
			t.Errorf("Ledger(%+v) = %v, want CodeInvalid", l, err)
		}
	}
}

// TestLedgerIsDeterministic writes the same ledger twice.
func TestLedgerIsDeterministic(t *testing.T) {
	l := sampleLedger()
	l.Editable = export.EditOffice
	var a, b bytes.Buffer
	if err := export.Ledger(&a, l); err != nil {
		t.Fatal(err)
	}
	if err := export.Ledger(&b, l); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two exports of the same ledger differ")
	}
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rowHeight(t *testing.T, f *excelize.File, sheet string, row int) float64 {
	t.Helper()
	h, err := f.GetRowHeight(sheet, row)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func colLetter(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// checkPrintable checks that a ledger sheet prints readably: landscape, not
// fitted to a page, as many pages tall as it takes, the header row repeated,
// and either A4 at a scale that keeps the body at 9 points or more, or A3 at
// 100% with a body of 10 points or more. The body's size is read from the
// style of the first task row's 任务内容 cell.
func checkPrintable(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage != nil && *props.FitToPage {
		t.Errorf("%s: fitted to a page, which may shrink the text", sheet)
	}
	if pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("%s: fit to height = %v, want 0", sheet, deref(pl.FitToHeight))
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("%s: orientation %v, want landscape", sheet, deref(pl.Orientation))
	}
	body := cellStyle(t, f, sheet, "B5")
	if body.Font == nil {
		t.Fatalf("%s: B5 has no font", sheet)
	}
	size := body.Font.Size
	scale := 100.0
	if pl.AdjustTo != nil {
		scale = float64(*pl.AdjustTo)
	}
	paper := 0
	if pl.Size != nil {
		paper = *pl.Size
	}
	switch paper {
	case 9: // A4
		if got := size * scale / 100; got < 9 {
			t.Errorf("%s: A4 at %v%% prints %v pt text at %v pt, want 9 or more", sheet, scale, size, got)
		}
	case 8: // A3
		if scale != 100 || size < 10 {
			t.Errorf("%s: A3 at %v%% with %v pt text, want 100%% and 10 pt or more", sheet, scale, size)
		}
	default:
		t.Errorf("%s: paper size %d, want A4 (9) or A3 (8)", sheet, paper)
	}
	titles := ""
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == sheet {
			titles = d.RefersTo
		}
	}
	if !strings.HasSuffix(titles, "!$3:$3") {
		t.Errorf("%s: print titles %q do not repeat the header row", sheet, titles)
	}
}
