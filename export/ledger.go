package export

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"duban"
)

// SheetMode says how a ledger is split into sheets.
type SheetMode string

// The ways of splitting a ledger.
const (
	SheetsOne        SheetMode = ""          // one sheet for all tasks
	SheetsBySection  SheetMode = "section"   // one sheet per section (一、主要预期指标 …)
	SheetsByLeadUnit SheetMode = "lead_unit" // one sheet per lead unit; a task with two lead units is on both
	SheetsByOrg      SheetMode = "org"       // one sheet per organisation, for a city's roll-up
)

// Editor says who may edit a ledger offline, and so which columns are open.
type Editor string

// The editors of a ledger.
const (
	EditNone   Editor = ""       // a ledger to read and print
	EditUnit   Editor = "unit"   // a unit: the report of the current cycle of the tasks it leads
	EditOffice Editor = "office" // the office: the deadline and the note
)

// LedgerInput is what a ledger (一表) is made of.
type LedgerInput struct {
	// OrgName names the organisation in the title: "渝中区".
	OrgName string
	Year    int
	// Tasks are the rows, in the decomposition's order; a ledger groups them by
	// section in the order the sections first appear, and orders each section
	// by task number.
	Tasks []*duban.Task
	// Reports holds the latest report of each task, by task ID; a task without
	// one has no entry.
	Reports map[int64]*duban.Report
	// Previous holds, by task ID, the latest report of a cycle before that of
	// the task's latest report. When the latest is of the current cycle (a
	// draft, say), an editable ledger shows Previous as 上期进展, and any
	// ledger takes 报送日期 from it until the latest is submitted.
	Previous map[int64]*duban.Report
	// Cycle is the reporting cycle the ledger is made in: its label is shown,
	// and in an editable ledger the reports of this cycle (Report.CycleID ==
	// Cycle.ID) are the ones a unit edits. A latest report of an earlier cycle
	// is shown as 上期进展 and the current one starts empty.
	Cycle duban.Cycle
	// Generated is the time of the export, shown under the title. Its location
	// is the organisation's time zone, in which submission dates are shown.
	Generated time.Time
	// Sheets splits the tasks into sheets.
	Sheets SheetMode
	// OrgNames names the organisations of the tasks, by ID. Set, it makes the
	// ledger a roll-up of several organisations (a city's districts): a read
	// ledger gets a 区县 column, sheets by lead unit are per organisation and
	// name it, and each section lists its tasks by organisation.
	OrgNames map[int64]string
	// Editable adds what a re-import needs (hidden columns with each task's ID
	// and versions, a hidden sheet describing the file) and opens the columns
	// the editor may change, locking the others.
	Editable Editor
	// Unit is, with EditUnit, the unit whose ledger it is: only the rows of
	// the tasks it leads have their report open, since a unit that only
	// supports a task (配合) does not report it. 0 opens every row.
	Unit int64
}

// column is one column of a ledger.
type column struct {
	key    string
	header string
	width  float64 // in Excel's units, the width of a "0"; a Chinese character takes two
	center bool
	// editors are who may edit the column in an editable ledger.
	editors []Editor
	hidden  bool
}

// The keys of the columns a re-import reads.
const (
	colNumber        = "number"
	colOrg           = "org"
	colDeadline      = "deadline"
	colLight         = "light"
	colProgress      = "progress"
	colProblems      = "problems"
	colNextSteps     = "next_steps"
	colPercent       = "percent"
	colNote          = "note"
	colTaskID        = "task_id"
	colTaskVersion   = "task_version"
	colReportVersion = "report_version"
	colCheck         = "check"
	colExported      = "exported"
)

// reporters are who may edit a report's columns: the lead unit only, and
// the office never writes a unit's report for it.
var reporters = []Editor{EditUnit}

// readColumns are the columns of a ledger to read: the decomposition's, then
// those of progress. Their widths add up to what A3 landscape holds at 100%
// with the 区县 column of a roll-up; a ledger leaves out the columns empty
// for every task, and the 区县 column unless it is a roll-up.
var readColumns = []column{
	{key: colNumber, header: "序号", width: 10, center: true},
	{key: colOrg, header: "区县", width: 10, center: true},
	{key: "content", header: "任务内容", width: 34},
	{key: "leaders", header: "责任区领导", width: 10, center: true},
	{key: "lead_units", header: "牵头单位", width: 14, center: true},
	{key: "responsible_units", header: "责任单位", width: 16},
	{key: colDeadline, header: "完成时限", width: 12, center: true},
	{key: "status", header: "状态", width: 9, center: true},
	{key: colLight, header: "灯", width: 5, center: true},
	{key: "light_rules", header: "亮灯原因", width: 16},
	{key: colProgress, header: "最新进展", width: 34},
	{key: colPercent, header: "完成进度（%）", width: 9, center: true},
	{key: "figures", header: "目标值/最新数值", width: 18},
	{key: "submitted", header: "报送日期", width: 12, center: true},
}

// editColumns are the columns of an editable ledger: the report of the
// current cycle in full, the last one beside it, the note, and the hidden
// columns of the re-import at the end.
var editColumns = []column{
	{key: colNumber, header: "序号", width: 10, center: true},
	{key: "content", header: "任务内容", width: 40},
	{key: "leaders", header: "责任区领导", width: 10, center: true},
	{key: "lead_units", header: "牵头单位", width: 16, center: true},
	{key: "responsible_units", header: "责任单位", width: 18},
	{key: colDeadline, header: "完成时限", width: 12, center: true, editors: []Editor{EditOffice}},
	{key: "status", header: "状态", width: 9, center: true},
	{key: colLight, header: "灯", width: 6, center: true},
	{key: "light_rules", header: "亮灯原因", width: 22},
	{key: "previous", header: "上期进展", width: 30},
	{key: colProgress, header: "进展情况", width: 40, editors: reporters},
	{key: colProblems, header: "存在问题", width: 26, editors: reporters},
	{key: colNextSteps, header: "下一步措施", width: 26, editors: reporters},
	{key: colPercent, header: "完成进度（%）", width: 9, center: true, editors: reporters},
	{key: "figures", header: "目标值/最新数值", width: 22},
	{key: "submitted", header: "报送日期", width: 12, center: true},
	{key: colNote, header: "备注", width: 18, editors: []Editor{EditOffice}},
	{key: colTaskID, header: "任务编号", width: 10, hidden: true},
	{key: colTaskVersion, header: "任务版本", width: 8, hidden: true},
	{key: colReportVersion, header: "报告版本", width: 8, hidden: true},
	{key: colCheck, header: "校验码", width: 14, hidden: true},
	{key: colExported, header: "导出值", width: 14, hidden: true},
}

// rollupEditColumns are the columns of a city's editable roll-up: those of
// editColumns with the 区县 column after 序号, so that each row names its
// district.
var rollupEditColumns = slices.Concat(editColumns[:1], []column{{key: colOrg, header: "区县", width: 10, center: true}}, editColumns[1:])

// The rows of a ledger sheet: the title, a line of particulars, the header,
// then the tasks.
const (
	titleRow  = 1
	infoRow   = 2
	headerRow = 3
	firstRow  = 4
)

// metaSheet is the very hidden sheet that says a workbook is an editable
// ledger of duban, and how it was made.
const metaSheet = "_duban"

// ledgerFormat names the layout of an editable ledger; a re-import refuses
// any other.
const ledgerFormat = "duban-ledger/1"

// maxSheets bounds the sheets of a ledger, written or read.
const maxSheets = 500

// Ledger writes the ledger (一表) as an Excel workbook (.xlsx) to w: a title,
// the cycle and the time of the export, then a header row and the tasks in the
// decomposition's column order followed by status, light (in words and in
// colour), the rules that lit it, the latest progress and percentage, the
// targets with their latest figures and the date the report came in. Each
// section starts with a merged heading row. The header row and the first
// column stay in view, the header carries filters, and the sheets print on A4
// or A3 landscape at a scale that keeps the text readable (see pageSize),
// repeating the header on every page. A ledger to read leaves out the columns
// empty for every task; a roll-up (OrgNames set) names each task's 区县.
//
// With l.Editable set the workbook can be edited offline and read back with
// ParseLedger: see LedgerInput.Editable. The sheets are streamed: a sheet of
// more than 16 MB of XML (some 10,000 tasks) is buffered by excelize in a
// temporary file, removed before Ledger returns. It returns a *duban.Error with
// CodeInvalid for an input it cannot lay out (an unknown SheetMode or Editor,
// too many sheets), and write errors as they are.
func Ledger(w io.Writer, l LedgerInput) error {
	switch l.Sheets {
	case SheetsOne, SheetsBySection, SheetsByLeadUnit, SheetsByOrg:
	default:
		return duban.Errorf(duban.CodeInvalid, "未知的分表方式 %q", l.Sheets)
	}
	switch l.Editable {
	case EditNone, EditUnit, EditOffice:
	default:
		return duban.Errorf(duban.CodeInvalid, "未知的编辑角色 %q", l.Editable)
	}
	groups := sheetGroups(l)
	if len(groups) > maxSheets {
		return duban.Errorf(duban.CodeInvalid, "分表过多（%d 张），上限为 %d 张", len(groups), maxSheets)
	}

	f := excelize.NewFile()
	defer f.Close()
	lw, err := newLedgerWriter(f, l)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", groups[0].name); err != nil {
		return fmt.Errorf("ledger sheet %q: %w", groups[0].name, err)
	}
	// The hidden sheet comes before the others are written: hiding a sheet
	// makes excelize read every sheet there is.
	if l.Editable != EditNone {
		if err := lw.meta(groups); err != nil {
			return fmt.Errorf("ledger meta: %w", err)
		}
	}
	for i, g := range groups {
		if err := lw.sheet(i, g); err != nil {
			return fmt.Errorf("ledger sheet %q: %w", g.name, err)
		}
	}
	// The first sheet is the active one already; SetActiveSheet would read
	// every streamed sheet back to mark it.
	created := ""
	if !l.Generated.IsZero() {
		created = l.Generated.UTC().Format(time.RFC3339)
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: lw.title(""), Creator: "duban", LastModifiedBy: "duban",
		Created: created, Modified: created, Language: "zh-CN",
	}); err != nil {
		return fmt.Errorf("ledger properties: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	return nil
}

// sheetGroup is the tasks of one sheet, grouped by section.
type sheetGroup struct {
	name     string // the sheet's name
	label    string // what the sheet holds, for its title; "" for all
	sections []section
}

// section is the tasks of one section of a sheet, ordered by number.
type section struct {
	heading string
	tasks   []*duban.Task
}

// sheetGroups splits the tasks into the sheets of l.Sheets, in order of
// first appearance, each holding its tasks by section.
func sheetGroups(l LedgerInput) []sheetGroup {
	type bucket struct {
		label string
		tasks []*duban.Task
	}
	var order []string
	buckets := map[string]*bucket{}
	add := func(key, label string, t *duban.Task) {
		b := buckets[key]
		if b == nil {
			b = &bucket{label: label}
			buckets[key] = b
			order = append(order, key)
		}
		b.tasks = append(b.tasks, t)
	}
	for _, t := range l.Tasks {
		if t == nil {
			continue
		}
		switch l.Sheets {
		case SheetsBySection:
			add(t.Section, t.Section, t)
		case SheetsByLeadUnit:
			units := t.LeadUnits
			if len(units) == 0 {
				units = []string{"未定牵头单位"}
			}
			for _, u := range slices.Compact(slices.Clone(units)) {
				// In a roll-up each district's 区商务委 is its own unit.
				if l.rollup() {
					org := orgName(l, t.OrgID)
					add(strconv.FormatInt(t.OrgID, 10)+"\x00"+u, org+u, t)
					continue
				}
				add(u, u, t)
			}
		case SheetsByOrg:
			add(strconv.FormatInt(t.OrgID, 10), orgName(l, t.OrgID), t)
		default:
			add("", "", t)
		}
	}
	if len(order) == 0 {
		order = append(order, "")
		buckets[""] = &bucket{}
	}
	used := map[string]bool{metaSheet: true}
	groups := make([]sheetGroup, 0, len(order))
	for _, key := range order {
		b := buckets[key]
		name := sheetName(b.label, len(groups)+1, used)
		if l.Sheets == SheetsOne {
			name = sheetName("任务台账", 1, used)
		}
		secs := sections(b.tasks)
		if l.rollup() {
			// A section of a roll-up lists each organisation's tasks
			// together, in the order the organisations first appear.
			rank := map[int64]int{}
			for _, t := range l.Tasks {
				if _, ok := rank[t.OrgID]; t != nil && !ok {
					rank[t.OrgID] = len(rank)
				}
			}
			for i := range secs {
				slices.SortStableFunc(secs[i].tasks, func(a, b *duban.Task) int {
					return cmp.Or(cmp.Compare(rank[a.OrgID], rank[b.OrgID]), cmp.Compare(a.Number, b.Number))
				})
			}
		}
		groups = append(groups, sheetGroup{name: name, label: b.label, sections: secs})
	}
	return groups
}

// rollup reports whether the ledger rolls up several organisations: see
// LedgerInput.OrgNames.
func (l LedgerInput) rollup() bool { return len(l.OrgNames) > 0 }

// orgName returns the name of organisation id in l, "组织n" when l has none.
func orgName(l LedgerInput, id int64) string {
	if name := l.OrgNames[id]; name != "" {
		return name
	}
	return "组织" + strconv.FormatInt(id, 10)
}

// officialNumber returns the 序号 of a task as the pages write it: its section's
// numeral and its number, "一、3"; just the number when the section heading
// starts with no numeral.
func officialNumber(t *duban.Task) string {
	sec := []rune(strings.TrimSpace(t.Section))
	if i := slices.Index(sec, '、'); i > 0 && i <= 4 {
		return string(sec[:i+1]) + strconv.Itoa(t.Number)
	}
	return strconv.Itoa(t.Number)
}

// sections groups tasks by section in order of first appearance and orders
// each section by task number, keeping the given order among equal numbers.
func sections(tasks []*duban.Task) []section {
	var out []section
	index := map[string]int{}
	for _, t := range tasks {
		i, ok := index[t.Section]
		if !ok {
			i = len(out)
			index[t.Section] = i
			out = append(out, section{heading: t.Section})
		}
		out[i].tasks = append(out[i].tasks, t)
	}
	for i := range out {
		slices.SortStableFunc(out[i].tasks, func(a, b *duban.Task) int { return cmp.Compare(a.Number, b.Number) })
	}
	return out
}

// sheetName makes a valid, unused sheet name of label: at most 31 characters,
// none of : \ / ? * [ ], not starting or ending with an apostrophe; an empty
// label becomes "表n".
func sheetName(label string, n int, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']', '：', '\n', '\r', '\t':
			return '_'
		}
		if !xmlChar(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(label))
	name = strings.Trim(name, "'")
	if name == "" {
		name = "表" + strconv.Itoa(n)
	}
	name = truncateRunes(name, 31)
	base := name
	for k := 2; used[strings.ToLower(name)]; k++ {
		suffix := "(" + strconv.Itoa(k) + ")"
		name = truncateRunes(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// ledgerWriter writes the sheets of one workbook with shared styles.
type ledgerWriter struct {
	f       *excelize.File
	l       LedgerInput
	loc     *time.Location
	cols    []column
	visible int // the columns shown: the hidden ones come last

	titleStyle, info, header, sectionRow int
	// cell styles by whether the column is centred and whether it is open.
	cell [2][2]int
	// light styles by light, for the 灯 column.
	light map[duban.Light]int
}

// Fonts of a ledger: the title in the font of official titles, the header in
// 黑体 and the cells in 宋体, which every Chinese machine has. docx's doc.go
// names free stand-ins.
const (
	titleFont  = "方正小标宋简体"
	headerFont = "黑体"
	cellFont   = "宋体"
	cellSize   = 10.5 // 五号
)

// Colours of a ledger besides the lights.
const (
	headerFill  = "D9E1F2"
	sectionFill = "EDEDED"
	openFill    = "FFFDE7" // cells an editor may change
	borderColor = "808080"
)

func newLedgerWriter(f *excelize.File, l LedgerInput) (*ledgerWriter, error) {
	lw := &ledgerWriter{f: f, l: l, loc: location(l.Generated), cols: readColumns, light: map[duban.Light]int{}}
	if l.Editable != EditNone {
		lw.cols = editColumns
		if l.rollup() {
			lw.cols = rollupEditColumns
		}
	} else {
		lw.cols = lw.printedColumns()
	}
	for _, c := range lw.cols {
		if !c.hidden {
			lw.visible++
		}
	}
	borders := []excelize.Border{
		{Type: "left", Color: borderColor, Style: 1}, {Type: "right", Color: borderColor, Style: 1},
		{Type: "top", Color: borderColor, Style: 1}, {Type: "bottom", Color: borderColor, Style: 1},
	}
	locked := &excelize.Protection{Locked: true}
	styles := []struct {
		id *int
		s  *excelize.Style
	}{
		{&lw.titleStyle, &excelize.Style{
			Font:      &excelize.Font{Family: titleFont, Size: 16},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		}},
		{&lw.info, &excelize.Style{
			Font:      &excelize.Font{Family: cellFont, Size: cellSize},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true},
		}},
		{&lw.header, &excelize.Style{
			Border: borders, Protection: locked,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}},
			Font:      &excelize.Font{Family: headerFont, Size: 11, Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&lw.sectionRow, &excelize.Style{
			Border: borders, Protection: locked,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{sectionFill}},
			Font:      &excelize.Font{Family: headerFont, Size: 11, Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"},
		}},
	}
	for centre := range 2 {
		for open := range 2 {
			s := &excelize.Style{
				Border:    borders,
				Font:      &excelize.Font{Family: cellFont, Size: cellSize},
				Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true},
				// Text cells stay text when typed into: a deadline typed as
				// 2024-12-31 must not become a date serial.
				NumFmt:     49,
				Protection: &excelize.Protection{Locked: open == 0},
			}
			if centre == 1 {
				s.Alignment.Horizontal = "center"
			}
			if open == 1 {
				s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{openFill}}
			}
			styles = append(styles, struct {
				id *int
				s  *excelize.Style
			}{&lw.cell[centre][open], s})
		}
	}
	for _, s := range styles {
		id, err := f.NewStyle(s.s)
		if err != nil {
			return nil, fmt.Errorf("ledger style: %w", err)
		}
		*s.id = id
	}
	for _, light := range []duban.Light{duban.LightRed, duban.LightYellow, duban.LightGreen} {
		id, err := f.NewStyle(&excelize.Style{
			Border: borders, Protection: locked,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{string(lightShade(light))}},
			Font:      &excelize.Font{Family: headerFont, Size: cellSize, Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		})
		if err != nil {
			return nil, fmt.Errorf("ledger style: %w", err)
		}
		lw.light[light] = id
	}
	return lw, nil
}

// printedColumns returns the columns of a ledger to read: readColumns
// without the 区县 column unless the ledger is a roll-up, and without the
// columns empty for every task (完成时限 when no task has one), which would
// take room on paper for nothing. 序号 and 任务内容 always stay.
func (lw *ledgerWriter) printedColumns() []column {
	var cols []column
	for _, c := range readColumns {
		switch {
		case c.key == colOrg && !lw.l.rollup():
			continue
		case c.key == colNumber || c.key == "content":
		case !lw.anyValue(c.key):
			continue
		}
		cols = append(cols, c)
	}
	return cols
}

// anyValue reports whether the column of key has a value for some task.
func (lw *ledgerWriter) anyValue(key string) bool {
	for _, t := range lw.l.Tasks {
		if t != nil && lw.value(key, t, lw.l.Reports[t.ID], nil) != nil {
			return true
		}
	}
	return false
}

// title returns the title of the ledger, naming what a sheet holds.
func (lw *ledgerWriter) title(label string) string {
	t := lw.l.OrgName
	if lw.l.Year > 0 {
		t += strconv.Itoa(lw.l.Year) + "年"
	}
	t += "重点工作任务推进台账"
	if label != "" {
		t += "（" + label + "）"
	}
	return t
}

// infoLine returns the line under the title: the cycle, the time of the
// export and, in an editable ledger, how to fill it in.
func (lw *ledgerWriter) infoLine(tasks int) string {
	var parts []string
	if lw.l.Cycle.Label != "" {
		parts = append(parts, "填报周期："+lw.l.Cycle.Label)
	}
	if !lw.l.Generated.IsZero() {
		parts = append(parts, "导出时间："+lw.l.Generated.In(lw.loc).Format("2006-01-02 15:04"))
	}
	parts = append(parts, "任务"+strconv.Itoa(tasks)+"项")
	line := strings.Join(parts, "　　")
	switch lw.l.Editable {
	case EditUnit:
		line += "\n请只在浅黄色单元格中填写本单位牵头任务的本期进展情况、存在问题、下一步措施和完成进度（0—100的整数），其余内容及表格结构请勿改动，填好后导入系统。"
	case EditOffice:
		line += "\n浅黄色单元格（完成时限、备注）可修改；进展情况等由牵头单位填报，不能代填。其余内容及表格结构请勿改动，改好后导入系统。"
	}
	return line
}

// colName returns the letters of the i-th column, from 0.
func colName(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

func cellName(col, row int) string { return colName(col) + strconv.Itoa(row) }

// sheet writes one sheet of the ledger with excelize's stream writer, which
// writes each row's XML once instead of keeping every cell in memory: a
// city's roll-up takes a fraction of the time. What the stream writer puts
// around the rows (sheet properties, columns, panes) is set before the first
// row; what comes after them (filters, print setup, protection, validation)
// is set on the sheet before Flush.
func (lw *ledgerWriter) sheet(index int, g sheetGroup) error {
	f := lw.f
	name := g.name
	if index > 0 {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	// The page is scaled, never fitted: fitting a wide ledger to A4 shrinks
	// its text below what anyone can read. See printSetup.
	fit := false
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, c := range lw.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		if c.hidden {
			if err := sw.SetColVisible(i+1, i+1, false); err != nil {
				return err
			}
		}
	}
	// Freeze the rows down to the header and the 序号 column.
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: 1, YSplit: headerRow, TopLeftCell: cellName(1, firstRow), ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: cellName(1, firstRow), ActiveCell: cellName(1, firstRow), Pane: "bottomRight"}},
	}); err != nil {
		return err
	}

	tasks := 0
	for _, s := range g.sections {
		tasks += len(s.tasks)
	}
	// Title and particulars, merged over the visible columns.
	if err := lw.mergedRow(sw, titleRow, lw.title(g.label), lw.titleStyle, 30); err != nil {
		return err
	}
	info := lw.infoLine(tasks)
	if err := lw.mergedRow(sw, infoRow, info, lw.info, float64(strings.Count(info, "\n")+1)*16+4); err != nil {
		return err
	}
	headers := make([]any, len(lw.cols))
	for i, c := range lw.cols {
		headers[i] = excelize.Cell{StyleID: lw.header, Value: c.header}
	}
	if err := sw.SetRow(cellName(0, headerRow), headers, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}

	row := firstRow
	for _, s := range g.sections {
		if s.heading != "" {
			if err := lw.mergedRow(sw, row, s.heading, lw.sectionRow, 22); err != nil {
				return err
			}
			row++
		}
		for _, t := range s.tasks {
			if err := lw.taskRow(sw, row, t); err != nil {
				return err
			}
			row++
		}
	}
	lastRow := max(row-1, headerRow)

	last := colName(lw.visible - 1)
	if err := f.AutoFilter(name, cellName(0, headerRow)+":"+last+strconv.Itoa(lastRow), nil); err != nil {
		return err
	}
	if err := lw.printSetup(name, last, lastRow); err != nil {
		return err
	}
	if lw.l.Editable != EditNone {
		if err := lw.protect(name, lastRow); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// mergedRow writes text into a row merged over the visible columns, every
// cell of it styled so the borders run through.
func (lw *ledgerWriter) mergedRow(sw *excelize.StreamWriter, row int, text string, style int, height float64) error {
	cells := make([]any, lw.visible)
	cells[0] = excelize.Cell{StyleID: style, Value: cleanCell(text)}
	for i := 1; i < len(cells); i++ {
		cells[i] = excelize.Cell{StyleID: style}
	}
	if err := sw.SetRow(cellName(0, row), cells, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	return sw.MergeCell(cellName(0, row), cellName(lw.visible-1, row))
}

// taskRow writes the row of one task.
func (lw *ledgerWriter) taskRow(sw *excelize.StreamWriter, row int, t *duban.Task) error {
	latest := lw.l.Reports[t.ID]
	var current *duban.Report
	if latest != nil && latest.CycleID == lw.l.Cycle.ID {
		current = latest
	}
	values := make([]any, len(lw.cols))
	cells := make([]any, len(lw.cols))
	for i, c := range lw.cols {
		values[i] = lw.value(c.key, t, latest, current)
		cells[i] = excelize.Cell{StyleID: lw.cellStyle(i, t), Value: values[i]}
	}
	return sw.SetRow(cellName(0, row), cells, excelize.RowOpts{Height: lw.rowHeight(values)})
}

// cellStyle returns the style of column i in the row of t.
func (lw *ledgerWriter) cellStyle(i int, t *duban.Task) int {
	c := lw.cols[i]
	if c.key == colLight {
		if id, ok := lw.light[t.Light]; ok {
			return id
		}
	}
	centre, open := 0, 0
	if c.center {
		centre = 1
	}
	if slices.Contains(c.editors, lw.l.Editable) && (!isReportColumn(c.key) || lw.l.Editable != EditUnit || lw.l.Unit == 0 || slices.Contains(t.LeadUnitIDs, lw.l.Unit)) {
		open = 1
	}
	return lw.cell[centre][open]
}

// isReportColumn reports whether a column is one of the report's.
func isReportColumn(key string) bool {
	switch key {
	case colProgress, colProblems, colNextSteps, colPercent:
		return true
	}
	return false
}

// value returns the content of a column in the row of t: a string, an int,
// or nil for an empty cell.
func (lw *ledgerWriter) value(key string, t *duban.Task, latest, current *duban.Report) any {
	text := func(s string) any {
		if s = cleanCell(s); s != "" {
			return s
		}
		return nil
	}
	percent := func(r *duban.Report) any {
		if r != nil && r.Percent != nil {
			return *r.Percent
		}
		return nil
	}
	switch key {
	case colNumber:
		return officialNumber(t)
	case colOrg:
		return text(orgName(lw.l, t.OrgID))
	case "content":
		return text(t.Content)
	case "leaders":
		return text(joinNames(t.Leaders))
	case "lead_units":
		return text(joinNames(t.LeadUnits))
	case "responsible_units":
		return text(strings.Join(t.ResponsibleUnits, "、"))
	case colDeadline:
		return text(t.Deadline)
	case "status":
		return statusLabel(t.Status)
	case colLight:
		return lightLabel(t.Light)
	case "light_rules":
		return text(strings.Join(t.LightRules, "；"))
	case "previous":
		if latest != nil && current == nil {
			return text(latest.Progress)
		}
		if p := lw.l.Previous[t.ID]; p != nil && current != nil {
			return text(p.Progress)
		}
		return nil
	case colProgress:
		if lw.l.Editable != EditNone {
			if current == nil {
				return nil
			}
			return text(current.Progress)
		}
		if latest == nil {
			return nil
		}
		return text(latest.Progress)
	case colProblems:
		if current != nil {
			return text(current.Problems)
		}
		return nil
	case colNextSteps:
		if current != nil {
			return text(current.NextSteps)
		}
		return nil
	case colPercent:
		if lw.l.Editable != EditNone {
			return percent(current)
		}
		if p := percent(latest); p != nil {
			return p
		}
		if t.Actual != nil && !math.IsNaN(*t.Actual) {
			return int(math.Round(*t.Actual))
		}
		return nil
	case "figures":
		return text(figuresText(t, latest))
	case "submitted":
		// A draft has no date: the last report submitted gives it.
		for _, r := range []*duban.Report{latest, lw.l.Previous[t.ID]} {
			if r != nil && r.SubmittedAt != nil {
				return text(localDate(r.SubmittedAt, lw.loc))
			}
		}
		return nil
	case colNote:
		return text(t.Note)
	case colTaskID:
		return strconv.FormatInt(t.ID, 10)
	case colTaskVersion:
		return strconv.Itoa(t.Version)
	case colReportVersion:
		return strconv.Itoa(reportVersion(current))
	case colCheck:
		return checkCode(t.ID, t.Version, reportVersion(current), lw.l.Cycle.ID)
	case colExported:
		c := CurrentRowOf(t, current)
		return exportedDigest(c.Progress, c.Problems, c.NextSteps, percentText(c.Percent), c.Deadline, c.Note)
	}
	return nil
}

// reportVersion returns the version of a report, 0 for none: the version a
// save of a report not yet started names.
func reportVersion(r *duban.Report) int {
	if r == nil {
		return 0
	}
	return r.Version
}

// checkCode returns the check code of a row of an editable ledger, which a
// re-import recomputes to find hidden cells changed by hand. It guards against
// mistakes, not against forgery: the store still checks who may change what.
func checkCode(taskID int64, taskVersion, reportVersion int, cycleID int64) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d\x00%d\x00%d", ledgerFormat, taskID, taskVersion, reportVersion, cycleID))
	return hex.EncodeToString(sum[:6])
}

// exportedDigest returns the hidden 导出值 of a row: a short digest of each
// editable value as exported (progress, problems, next steps, percent,
// deadline, note), joined by ".". A re-import compares the file's values and
// the store's with them, so that only what the user changed is a change and a
// conflict is a value changed on both sides. It keeps no text of the row.
func exportedDigest(values ...string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = valueDigest(v)
	}
	return strings.Join(parts, ".")
}

// valueDigest is the digest of one value as the file would hold it.
func valueDigest(v string) string {
	h := fnv.New32a()
	h.Write([]byte(normalizeText(cleanCell(v))))
	return fmt.Sprintf("%08x", h.Sum32())
}

// rowHeight returns a height in points that shows the row's wrapped text:
// the most lines any cell needs at its column's width.
func (lw *ledgerWriter) rowHeight(values []any) float64 {
	lines := 1
	for i, v := range values {
		s, ok := v.(string)
		if !ok || lw.cols[i].hidden {
			continue
		}
		lines = max(lines, wrappedLines(s, lw.cols[i].width))
	}
	// 五号 text takes about 14 points a line in Excel and WPS; Excel's
	// rows stop at 409 points.
	return min(float64(lines)*14+6, 409)
}

// wrappedLines estimates the lines text takes in a column of the given width:
// a Chinese character is two units wide, other characters one.
func wrappedLines(text string, width float64) int {
	room := max(width-1.5, 2)
	n := 0
	for _, line := range strings.Split(text, "\n") {
		units := 0.0
		for _, r := range line {
			if r >= 0x2E80 {
				units += 2
			} else {
				units++
			}
		}
		n += max(1, int(math.Ceil(units/room)))
	}
	return n
}

// Paper sizes of a ledger, in Excel's numbering.
const (
	paperA3 = 8
	paperA4 = 9
)

// The page of a ledger: landscape, with these margins in inches, and the
// least scale at which the body's 五号 text still prints at 9 points.
const (
	sideMargin    = 0.3
	minA4Scale    = 86    // 10.5 pt × 86% = 9.03 pt
	a4Landscape   = 841.9 // points
	a3Landscape   = 1190.6
	pointsPerInch = 72
)

// printWidth returns the width in points of the visible columns on paper:
// a column w wide is 7w+5 pixels of 0.75 points.
func (lw *ledgerWriter) printWidth() float64 {
	pt := 0.0
	for _, c := range lw.cols {
		if !c.hidden {
			pt += (c.width*7 + 5) * 0.75
		}
	}
	return pt
}

// pageSize returns the paper and scale that print the ledger readably: A4
// landscape when its columns fit there at a scale that keeps the body at
// 9 points or more, else A3 landscape at 100%, where the body prints at its
// 10.5 points and columns that do not fit go on to a page beside (with 序号
// repeated there). It never fits to a page, and so never shrinks further.
func (lw *ledgerWriter) pageSize() (paper int, scale uint) {
	need := lw.printWidth()
	room := a4Landscape - 2*sideMargin*pointsPerInch
	if fit := int(math.Floor(room / need * 100)); fit >= minA4Scale {
		return paperA4, uint(min(fit, 100))
	}
	return paperA3, 100
}

// printSetup sets the page of pageSize in landscape, with the rows down to
// the header and the 序号 column repeated on every page, the rows running on
// to as many pages as they take, and page numbers in the footer.
func (lw *ledgerWriter) printSetup(sheet, lastCol string, lastRow int) error {
	f := lw.f
	size, scale := lw.pageSize()
	orient, tall := "landscape", 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, AdjustTo: &scale, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	top, bottom, side, centre := 0.6, 0.6, sideMargin, true // inches
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Top: &top, Bottom: &bottom, Left: &side, Right: &side, Horizontally: &centre,
	}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddFooter: "&C第 &P 页，共 &N 页",
	}); err != nil {
		return err
	}
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: quoted + "!$A:$A," + quoted + "!$" + strconv.Itoa(headerRow) + ":$" + strconv.Itoa(headerRow), Scope: sheet,
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Area", RefersTo: quoted + "!$A$1:$" + lastCol + "$" + strconv.Itoa(lastRow), Scope: sheet,
	})
}

// protect locks the sheet, without a password: the open cells stay editable,
// filters and sorting keep working, and rows and columns cannot be added or
// removed. It is guidance, not security. The percentage takes a whole number
// from 0 to 100 only.
func (lw *ledgerWriter) protect(sheet string, lastRow int) error {
	f := lw.f
	if lastRow >= firstRow {
		for i, c := range lw.cols {
			if c.key != colPercent {
				continue
			}
			dv := excelize.NewDataValidation(true)
			dv.Sqref = cellName(i, firstRow) + ":" + cellName(i, lastRow)
			if err := dv.SetRange(0, 100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, "完成进度", "请填写0到100之间的整数")
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
		AutoFilter: true, Sort: true, FormatColumns: true, FormatRows: true,
		SelectLockedCells: true, SelectUnlockedCells: true,
	})
}

// maxTaskRanges bounds the text of the hidden sheet's "tasks": an Excel cell
// holds 32,767 characters. A ledger whose tasks need more has none, and its
// rows deleted in the file go unnoticed (they change nothing either way).
const maxTaskRanges = 32_000

// taskRanges writes the IDs of the tasks as sorted ranges: "101-109,115".
// A re-import reads them to tell a task row deleted in the file.
func taskRanges(tasks []*duban.Task) string {
	ids := make([]int64, 0, len(tasks))
	for _, t := range tasks {
		ids = append(ids, t.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var b strings.Builder
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(ids[i], 10))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.FormatInt(ids[j], 10))
		}
		i = j + 1
	}
	return b.String()
}

// meta writes the very hidden sheet that describes an editable ledger: its
// format, editor, organisation, year, cycle, time of export, columns and
// sheets.
func (lw *ledgerWriter) meta(groups []sheetGroup) error {
	f := lw.f
	if _, err := f.NewSheet(metaSheet); err != nil {
		return err
	}
	headers := make([]string, len(lw.cols))
	for i, c := range lw.cols {
		headers[i] = c.header
	}
	rows := [][]string{
		{"format", ledgerFormat},
		{"editor", string(lw.l.Editable)},
		{"org", cleanCell(lw.l.OrgName)},
		{"year", strconv.Itoa(lw.l.Year)},
		{"cycle_id", strconv.FormatInt(lw.l.Cycle.ID, 10)},
		{"cycle", cleanCell(lw.l.Cycle.Label)},
		{"generated_at", lw.l.Generated.Format(time.RFC3339)},
		{"columns", strings.Join(headers, "|")},
	}
	for _, g := range groups {
		rows = append(rows, []string{"sheet", g.name})
	}
	if ids := taskRanges(lw.l.Tasks); len(ids) <= maxTaskRanges {
		rows = append(rows, []string{"tasks", ids})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(metaSheet, "A"+strconv.Itoa(i+1), &r); err != nil {
			return err
		}
	}
	return f.SetSheetVisible(metaSheet, false, true)
}
