package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"duban"
)

// Limits of a re-imported ledger. A city's roll-up of 10,000 tasks with long
// reports is a few megabytes packed and some tens unpacked.
const (
	// MaxLedgerBytes bounds the file ParseLedger reads.
	MaxLedgerBytes = 32 << 20
	// maxUnpackedBytes bounds what the parts of the file unpack to, all
	// together, by the sizes the zip declares; archive/zip refuses a part that
	// unpacks to more than it declares.
	maxUnpackedBytes = 256 << 20
	// maxZipEntries bounds the parts; a ledger of maxSheets sheets has about
	// twice as many.
	maxZipEntries = 2 * (maxSheets + 20)
	// maxLedgerRows bounds the rows read from one sheet, and all sheets
	// together hold no more than maxLedgerRows tasks.
	maxLedgerRows = 100_000
	// maxProblems is how many problems one error lists.
	maxProblems = 10
)

// LedgerEdit is one task's row of an editable ledger as read back: where it
// is, what it was exported from, and the values of the columns its editor may
// change.
type LedgerEdit struct {
	// Sheet, SheetIndex (from 1) and Row (Excel's row number) place the row,
	// for messages.
	Sheet      string `json:"sheet"`
	SheetIndex int    `json:"sheet_index"`
	Row        int    `json:"row"`
	// Number and Content are the row's 序号 and 任务内容, to show beside its
	// changes.
	Number  string `json:"number"`
	Content string `json:"content"`
	// TaskID, TaskVersion and ReportVersion are what the row was exported
	// from: the task and the version of its report of the cycle (0 for none).
	TaskID        int64 `json:"task_id"`
	TaskVersion   int   `json:"task_version"`
	ReportVersion int   `json:"report_version"`
	// CycleID is the cycle of the report, from the ledger's hidden sheet.
	CycleID int64 `json:"cycle_id"`
	// Progress, Problems, NextSteps and Percent are the report of the cycle
	// (进展情况, 存在问题, 下一步措施, 完成进度); Percent is nil when empty.
	Progress  string `json:"progress"`
	Problems  string `json:"problems"`
	NextSteps string `json:"next_steps"`
	Percent   *int   `json:"percent"`
	// Deadline and Note are set only in a ledger exported for the office
	// (EditOffice). The caller still checks that whoever imports the file may
	// change them: a unit can unhide and edit anything in a workbook.
	Deadline *string `json:"deadline"`
	Note     *string `json:"note"`
	// Exported holds the digests of the row's editable values as exported,
	// in the order progress, problems, next steps, percent, deadline, note;
	// nil for a file exported before they were kept.
	Exported []string `json:"-"`
	// DeadlineCell is the 完成时限 as the cell holds it, before ParseDeadline
	// (Deadline is what it reads as).
	DeadlineCell string `json:"-"`
}

// exportedValues is how many digests a row's 导出值 holds.
const exportedValues = 6

// ParseLedger reads back an editable ledger written by Ledger and edited in
// Excel or WPS: for every task row, the values of the columns its editor may
// change, with the IDs and versions the row was exported with. size is the
// file's size as the caller knows it (an upload's Content-Length or the
// file's size); at most MaxLedgerBytes are read.
//
// It returns a *duban.Error with CodeInvalid whose message lists, in Chinese,
// up to ten problems each with its place ("第2张表（商务委）第15行：完成进度应为0到100的整数"):
// a file too large, not a zip, not a workbook, not a ledger of duban or one
// not exported for editing, a sheet renamed or removed, columns moved, a
// hidden ID, version or check code changed, a task twice with different
// values, a row added with content, a percentage that is not a whole number
// from 0 to 100. Its memory is bounded by the limits above whatever the file
// holds. Nothing is half read: an error means no edits.
func ParseLedger(r io.Reader, size int64) (edits []LedgerEdit, err error) {
	f, err := ReadLedger(r, size)
	if err != nil {
		return nil, err
	}
	return f.Edits, nil
}

// LedgerFile is an edited ledger as read back.
type LedgerFile struct {
	// Edits are the task rows, as ParseLedger returns them.
	Edits []LedgerEdit
	// Deleted are the tasks exported in the file whose rows are no longer in
	// it, in order of ID; nil when the file does not say what it held.
	Deleted []int64
}

// ReadLedger is ParseLedger, and also says which exported task rows were
// deleted in the file. Its errors are ParseLedger's.
func ReadLedger(r io.Reader, size int64) (*LedgerFile, error) {
	if size > MaxLedgerBytes {
		return nil, tooLarge(size)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxLedgerBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	if int64(len(data)) > MaxLedgerBytes {
		return nil, tooLarge(int64(len(data)))
	}
	if err := checkZip(data); err != nil {
		return nil, err
	}
	b, err := openBook(data)
	if err != nil {
		return nil, err
	}
	p, err := readMeta(b)
	if err != nil {
		return nil, err
	}
	edits, err := p.read(b)
	if err != nil {
		return nil, err
	}
	f := &LedgerFile{Edits: edits}
	if p.tasks != nil {
		in := make(map[int64]bool, len(edits))
		for _, e := range edits {
			in[e.TaskID] = true
		}
		f.Deleted = []int64{}
		for _, id := range p.tasks {
			if !in[id] {
				f.Deleted = append(f.Deleted, id)
			}
		}
	}
	return f, nil
}

// parseTaskRanges reads the hidden sheet's "tasks" (see taskRanges), at most
// maxLedgerRows IDs; ok is false for anything else.
func parseTaskRanges(s string) (ids []int64, ok bool) {
	ids = []int64{}
	if s == "" {
		return ids, true
	}
	for _, part := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseInt(from, 10, 64)
		if err != nil || a <= 0 {
			return nil, false
		}
		b := a
		if isRange {
			if b, err = strconv.ParseInt(to, 10, 64); err != nil || b < a {
				return nil, false
			}
		}
		if b-a >= int64(maxLedgerRows-len(ids)) {
			return nil, false
		}
		for id := a; id <= b; id++ {
			ids = append(ids, id)
		}
	}
	return ids, true
}

func tooLarge(size int64) error {
	return duban.Errorf(duban.CodeInvalid, "文件过大（%.1f MB），上限为 %d MB", float64(size)/(1<<20), MaxLedgerBytes>>20)
}

func notAWorkbook() error {
	return duban.Errorf(duban.CodeInvalid, "文件不是有效的 Excel 工作簿（.xlsx），请导入从系统导出并填写后的台账")
}

func notOurs() error {
	return duban.Errorf(duban.CodeInvalid, "这不是从系统导出的可填报台账，请先在系统中导出“可填报台账”，填写后再导入")
}

// checkZip looks at the zip before anything is unpacked: a workbook, not a
// legacy or encrypted file, with a bounded number of parts that declare
// bounded sizes.
func checkZip(data []byte) error {
	switch {
	case len(data) == 0:
		return duban.Errorf(duban.CodeInvalid, "文件为空")
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return duban.Errorf(duban.CodeInvalid, "这是旧版 Excel 文件（.xls）或设有打开密码的文件，请另存为不加密的 .xlsx 后再导入")
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return notAWorkbook()
	}
	// archive/zip allocates every central directory header it finds: count
	// them first.
	if bytes.Count(data, []byte("PK\x01\x02")) > maxZipEntries {
		return notOurs()
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return notAWorkbook()
	}
	if len(zr.File) > maxZipEntries {
		return notOurs()
	}
	var total uint64
	workbook := false
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > maxUnpackedBytes {
			return duban.Errorf(duban.CodeInvalid, "文件解压后过大（超过 %d MB），不是正常的台账", maxUnpackedBytes>>20)
		}
		if zf.Flags&1 != 0 {
			return duban.Errorf(duban.CodeInvalid, "文件中有加密的内容，请取消密码后再导入")
		}
		if strings.EqualFold(strings.ReplaceAll(zf.Name, `\`, "/"), "xl/workbook.xml") {
			workbook = true
		}
	}
	if !workbook {
		return notAWorkbook()
	}
	return nil
}

// ledgerMeta is what the hidden sheet says about an editable ledger.
type ledgerMeta struct {
	editor  Editor
	cycleID int64
	columns []string
	sheets  []string
	cols    []column // the columns of the file's rows
	year    int      // the ledger's year, for a deadline without one
	tasks   []int64  // the tasks exported, nil if the file does not say
}

// maxMetaRows bounds the rows of the hidden sheet: Ledger writes eight and
// one per sheet.
const maxMetaRows = 8 + maxSheets + 32

// readMeta reads the hidden sheet, streaming its first two columns and at
// most maxMetaRows rows, and checks it names a ledger of this format.
func readMeta(b *book) (*ledgerMeta, error) {
	if len(b.sheets) > maxSheets+1 || !b.hasSheet(metaSheet) {
		return nil, notOurs()
	}
	var rows [][2]string
	err := b.eachRow(metaSheet, maxMetaRows, make([]string, 2), func(_ int, cells []string) bool {
		rows = append(rows, [2]string{cells[0], cells[1]})
		return true
	})
	var beyond *cellBeyondError
	switch {
	case errors.Is(err, errTooManyRows):
		return nil, duban.Errorf(duban.CodeInvalid, "台账的隐藏信息表（%s）被改动：行数过多（上限 %d 行），请重新导出后填写", metaSheet, maxMetaRows)
	case errors.As(err, &beyond):
		return nil, duban.Errorf(duban.CodeInvalid, "台账的隐藏信息表（%s）被改动：第%d行第%s列有内容，该表只用 A、B 两列，请重新导出后填写", metaSheet, beyond.row, colName(beyond.col-1))
	case err != nil:
		return nil, b.fail(err)
	}
	m := &ledgerMeta{}
	format := ""
	for _, r := range rows {
		switch r[0] {
		case "format":
			format = r[1]
		case "editor":
			m.editor = Editor(r[1])
		case "cycle_id":
			var err error
			if m.cycleID, err = strconv.ParseInt(r[1], 10, 64); err != nil {
				return nil, notOurs()
			}
		case "year":
			m.year, _ = strconv.Atoi(r[1])
		case "columns":
			m.columns = strings.Split(r[1], "|")
		case "tasks":
			var ok bool
			if m.tasks, ok = parseTaskRanges(r[1]); !ok {
				return nil, notOurs()
			}
		case "sheet":
			m.sheets = append(m.sheets, r[1])
		}
	}
	if format != ledgerFormat || (m.editor != EditUnit && m.editor != EditOffice) || len(m.sheets) == 0 || len(m.sheets) > maxSheets {
		return nil, notOurs()
	}
	// A file exported before 导出值 was added has every column but the last;
	// a city's roll-up has the 区县 column too.
	for _, cols := range [][]column{editColumns, editColumns[:len(editColumns)-1], rollupEditColumns} {
		if slices.Equal(m.columns, headersOf(cols)) {
			m.cols = cols
			return m, nil
		}
	}
	return nil, notOurs()
}

// headersOf returns the headers of cols.
func headersOf(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.header
	}
	return out
}

// problems collects the problems of a file, up to maxProblems.
type problems struct {
	list  []string
	count int
}

func (p *problems) add(format string, args ...any) {
	p.count++
	if len(p.list) < maxProblems {
		p.list = append(p.list, fmt.Sprintf(format, args...))
	}
}

func (p *problems) err() error {
	if p.count == 0 {
		return nil
	}
	msg := strings.Join(p.list, "\n")
	if p.count > len(p.list) {
		msg += fmt.Sprintf("\n……共 %d 处问题", p.count)
	}
	return duban.Errorf(duban.CodeInvalid, "%s", msg)
}

// errTooManyRows stops reading a sheet with too many rows.
var errTooManyRows = errors.New("too many rows")

// read reads the task rows of every sheet the hidden sheet lists.
func (m *ledgerMeta) read(b *book) ([]LedgerEdit, error) {
	var probs problems
	index := map[string]int{}
	for i, c := range m.cols {
		index[c.key] = i
	}
	var edits []LedgerEdit
	cells := make([]string, len(m.cols))
	seen := map[int64]int{} // task ID → index in edits
	for si, name := range m.sheets {
		place := fmt.Sprintf("第%d张表（%s）", si+1, name)
		if !b.hasSheet(name) {
			probs.add("找不到%s，请勿修改或删除表格名称", place)
			continue
		}
		err := b.eachRow(name, maxLedgerRows+firstRow, cells, func(row int, cells []string) bool {
			cell := func(key string) string {
				if i := index[key]; i < len(cells) {
					return cells[i]
				}
				return ""
			}
			switch {
			case row == headerRow:
				for i, c := range m.cols {
					got := ""
					if i < len(cells) {
						got = strings.TrimSpace(cells[i])
					}
					if got != c.header {
						probs.add("%s第%d行：第%s列应为“%s”，表格的列被移动、插入或删除，请重新导出后填写", place, row, colName(i), c.header)
						return false
					}
				}
				return true
			case row < firstRow:
				return true
			}
			id := strings.TrimSpace(cell(colTaskID))
			if id == "" {
				// A section heading, or a row the user added.
				for _, key := range []string{colProgress, colProblems, colNextSteps, colPercent} {
					if strings.TrimSpace(cell(key)) != "" {
						probs.add("%s第%d行：没有任务编号，不能导入新增的行，请在系统中新增任务", place, row)
						break
					}
				}
				return true
			}
			if len(edits) >= maxLedgerRows {
				probs.add("%s：任务行过多（上限 %d 行）", place, maxLedgerRows)
				return false
			}
			e, ok := m.edit(&probs, place, row, cell)
			if !ok {
				return true
			}
			e.Sheet, e.SheetIndex, e.Row = name, si+1, row
			if j, dup := seen[e.TaskID]; dup {
				if !sameEdit(edits[j], e) {
					first := edits[j]
					probs.add("%s第%d行：与第%d张表第%d行是同一任务（序号%s），但填写的内容不一致，请只保留一处", place, row, first.SheetIndex, first.Row, e.Number)
				}
				return true
			}
			seen[e.TaskID] = len(edits)
			edits = append(edits, e)
			return true
		})
		var beyond *cellBeyondError
		switch {
		case errors.Is(err, errTooManyRows):
			probs.add("%s：行数过多（上限 %d 行）", place, maxLedgerRows)
		case errors.As(err, &beyond):
			probs.add("%s第%d行：第%s列有内容，超出了台账的列（A 至 %s 列），请删除该列的内容后再导入", place, beyond.row, colName(beyond.col-1), colName(len(m.cols)-1))
			return nil, probs.err()
		case errors.Is(err, errUnpacked), errors.Is(err, errHeld), errors.Is(err, errCells):
			return nil, b.fail(err)
		case err != nil:
			probs.add("%s：无法读取（%s）", place, "表格内容损坏")
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	if edits == nil {
		edits = []LedgerEdit{}
	}
	return edits, nil
}

// edit reads the row of one task, adding its problems to probs; ok is false
// when it has any.
func (m *ledgerMeta) edit(probs *problems, place string, row int, cell func(string) string) (LedgerEdit, bool) {
	before := probs.count
	e := LedgerEdit{
		Number:    strings.TrimSpace(cell(colNumber)),
		Content:   cell("content"),
		CycleID:   m.cycleID,
		Progress:  normalizeText(cell(colProgress)),
		Problems:  normalizeText(cell(colProblems)),
		NextSteps: normalizeText(cell(colNextSteps)),
	}
	id, err1 := strconv.ParseInt(strings.TrimSpace(cell(colTaskID)), 10, 64)
	tv, err2 := strconv.Atoi(strings.TrimSpace(cell(colTaskVersion)))
	rv, err3 := strconv.Atoi(strings.TrimSpace(cell(colReportVersion)))
	if err1 != nil || err2 != nil || err3 != nil || id <= 0 || tv < 0 || rv < 0 ||
		strings.TrimSpace(cell(colCheck)) != checkCode(id, tv, rv, m.cycleID) {
		probs.add("%s第%d行：隐藏的任务编号、版本或校验码被改动，无法确认是哪项任务，请重新导出后填写", place, row)
		return e, false
	}
	e.TaskID, e.TaskVersion, e.ReportVersion = id, tv, rv
	if pct, ok := parsePercent(cell(colPercent)); ok {
		e.Percent = pct
	} else {
		probs.add("%s第%d行：完成进度应为0到100的整数（现为“%s”）", place, row, strings.TrimSpace(cell(colPercent)))
	}
	if m.cols[len(m.cols)-1].key == colExported {
		e.Exported = strings.Split(strings.TrimSpace(cell(colExported)), ".")
		if len(e.Exported) != exportedValues || slices.ContainsFunc(e.Exported, func(d string) bool { return len(d) != 8 }) {
			probs.add("%s第%d行：隐藏的导出值被改动，请重新导出后填写", place, row)
			return e, false
		}
	}
	if m.editor == EditOffice {
		raw, n := normalizeText(cell(colDeadline)), normalizeText(cell(colNote))
		d := raw
		// A deadline the user wrote is read as a date or a recognised
		// non-date; one left as exported (or in a file that cannot tell) is
		// kept as it was.
		if p, ok := ParseDeadline(raw, m.year); ok {
			d = p
		} else if e.Exported != nil && valueDigest(raw) != e.Exported[4] {
			col := slices.IndexFunc(m.cols, func(c column) bool { return c.key == colDeadline })
			probs.add("%s第%d行第%s列（完成时限）：“%s”不是日期，请写成“2024-12-31”“2024年12月底”“12月31日”，或“年底前”“长期坚持”等", place, row, colName(col), raw)
		}
		e.Deadline, e.Note, e.DeadlineCell = &d, &n, raw
	}
	return e, probs.count == before
}

// parsePercent reads 完成进度 as Excel or WPS shows it: a whole number from 0
// to 100, maybe with a percent sign ("80" or "80%", which is how a cell
// formatted as a percentage shows 0.8). Empty means not given; ok is false for
// anything else.
func parsePercent(s string) (pct *int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "%"), "％"))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 100 || v != math.Trunc(v) || strings.ContainsAny(s, "eExXpP_") {
		return nil, false
	}
	n := int(v)
	return &n, true
}

// sameEdit reports whether two rows of the same task say the same.
func sameEdit(a, b LedgerEdit) bool {
	eq := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	pe := (a.Percent == nil) == (b.Percent == nil) && (a.Percent == nil || *a.Percent == *b.Percent)
	return a.TaskVersion == b.TaskVersion && a.ReportVersion == b.ReportVersion &&
		a.Progress == b.Progress && a.Problems == b.Problems && a.NextSteps == b.NextSteps && pe &&
		eq(a.Deadline, b.Deadline) && eq(a.Note, b.Note)
}
