package ingest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Excel's grid: columns A to XFD, rows 1 to 1,048,576; and a bound on the
// sheets of a workbook, which each cost a part to read.
const (
	xlsxMaxCol    = 16384
	xlsxMaxRow    = 1048576
	xlsxMaxSheets = 1000
)

// ReadXLSX reads an Excel workbook (.xlsx) into a Doc: one Block with a Table per
// worksheet that has content, in the workbook's sheet order (sheet names are not
// kept). name is the file name, used as Doc.Source and in errors; lim bounds the
// file and what is decompressed from it (zero fields take DefaultLimits).
//
// A Row's and a Cell's Line is the sheet row number (1-based), a Block's the
// first row's. Cells keep their columns: gaps are filled with empty cells, while
// empty cells at the end of a row and rows without content are left out. Text is
// the cell's value as stored: shared and inline strings (rich text runs joined,
// line breaks kept as "\n"), formula results, TRUE/FALSE, and numbers written as
// the shortest decimal that Excel's 15 significant digits show ("6", "0.0043");
// a number in a percent format is written as a percentage ("6.5%"). Dates stay
// serial numbers. A merged range keeps its value in the top-left cell, with Span
// the number of columns; each lower row of the range has one cell with Merged set
// and the same Span; the other cells of the range are left out.
//
// A file that cannot be read returns an *Error naming it (and the row where it
// applies): not a zip, truncated, encrypted, a zip bomb, no xl/workbook.xml,
// malformed XML.
func ReadXLSX(name string, data []byte, lim Limits) (*Doc, error) {
	pkg, err := openPackage(name, data, lim, ".xlsx")
	if err != nil {
		return nil, err
	}
	rootRels, err := pkg.relationships("")
	if err != nil {
		return nil, err
	}
	wbPart := relTarget(rootRels, "/officeDocument", "xl/workbook.xml")
	r := &xlsxReader{pkg: pkg}
	sheets, err := r.workbook(wbPart)
	if err != nil {
		return nil, err
	}
	rels, err := pkg.relationships(wbPart)
	if err != nil {
		return nil, err
	}
	if err := r.sharedStrings(relTarget(rels, "/sharedStrings", "xl/sharedStrings.xml")); err != nil {
		return nil, err
	}
	if err := r.styles(relTarget(rels, "/styles", "xl/styles.xml")); err != nil {
		return nil, err
	}
	doc := &Doc{Source: name}
	for _, sh := range sheets {
		i := slices.IndexFunc(rels, func(rel relationship) bool { return rel.id == sh.rid })
		if i < 0 {
			return nil, pkg.fail(0, "不是有效的 .xlsx 文件（找不到工作表“%s”）", sh.name)
		}
		if !strings.HasSuffix(rels[i].typ, "/worksheet") {
			continue // a chart sheet or a dialog sheet holds no cells
		}
		t, err := r.sheet(sh.name, rels[i].target)
		if err != nil {
			return nil, err
		}
		if len(t.Rows) > 0 {
			doc.Blocks = append(doc.Blocks, Block{Line: t.Rows[0].Line, Table: t})
		}
	}
	return doc, nil
}

// xlsxReader holds what the sheets of one workbook share.
type xlsxReader struct {
	pkg     *ooxmlPackage
	s       xmlScanner
	part    string // the part being read, for errors
	row     int    // the row being read, for errors
	strings []string
	percent []bool // by cell style (cellXfs index): a percent number format
	cells   int    // cells with content read, against Limits.MaxCells
	grid    int    // grid cells laid out, merges included, against Limits.MaxCells
	text    int    // bytes of text kept, shared strings and cells, against Limits.MaxTextBytes
	elems   int    // <c> elements read, empty ones included, against maxElements
	buf     []byte

	rowCells int // cells in the last row, to size the next
}

type sheetRef struct {
	name, rid string
}

// fail returns an *Error at the row being read.
func (r *xlsxReader) fail(err error) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return r.pkg.fail(r.row, "%s 无法读取：%v", r.part, err)
}

// failOrNil is fail for an error that may be nil.
func (r *xlsxReader) failOrNil(err error) error {
	if err == nil {
		return nil
	}
	return r.fail(err)
}

func (r *xlsxReader) next() (tokenKind, error) {
	tok, err := r.s.next()
	if err != nil {
		return tok, r.fail(err)
	}
	return tok, nil
}

func (r *xlsxReader) skip() error {
	if err := r.s.skip(); err != nil {
		return r.fail(err)
	}
	return nil
}

// keep counts text of n bytes kept against Limits.MaxTextBytes.
func (r *xlsxReader) keep(n int) error {
	r.text += n
	if r.text > r.pkg.lim.MaxTextBytes {
		return r.pkg.fail(r.row, "%s", tooMuchText(r.pkg.lim))
	}
	return nil
}

// checkLength fails when the n bytes of text read are more than a line may
// hold.
func (r *xlsxReader) checkLength(n int) error {
	if n > r.pkg.lim.MaxLineBytes {
		return r.pkg.fail(r.row, "%s 中的单元格文字过长（超过 %s）", r.part, sizeText(int64(r.pkg.lim.MaxLineBytes)))
	}
	return nil
}

// workbook reads the sheets of workbook.xml in order.
func (r *xlsxReader) workbook(part string) ([]sheetRef, error) {
	r.part, r.row = part, 0
	ok, err := r.pkg.scan(part, &r.s)
	if err != nil {
		return nil, r.fail(err)
	}
	if !ok {
		return nil, r.pkg.fail(0, "不是有效的 .xlsx 文件（缺少工作簿 %s）", part)
	}
	tok, err := r.next()
	if err != nil {
		return nil, err
	}
	if tok != tokStart || !r.s.is(nsS, "workbook") {
		if r.s.is(nsW, "document") {
			return nil, r.pkg.fail(0, "这是 Word 文档，不是 Excel 工作簿")
		}
		return nil, r.pkg.fail(0, "不是有效的 .xlsx 文件（%s 不是 Excel 工作簿）", part)
	}
	var sheets []sheetRef
	for {
		tok, err := r.next()
		if err != nil {
			return nil, err
		}
		if tok == tokEOF {
			return sheets, nil
		}
		if tok == tokStart && r.s.is(nsS, "sheet") {
			if len(sheets) >= xlsxMaxSheets {
				return nil, r.pkg.fail(0, "工作簿中的工作表过多（超过 %d 个）", xlsxMaxSheets)
			}
			name, _ := r.s.attr(nsNone, "name")
			rid, _ := r.s.attr(nsR, "id")
			sheets = append(sheets, sheetRef{name: name, rid: rid})
		}
	}
}

// sharedStrings reads the shared string table, if the workbook has one.
func (r *xlsxReader) sharedStrings(part string) error {
	r.part, r.row = part, 0
	ok, err := r.pkg.scan(part, &r.s)
	if err != nil || !ok {
		return r.failOrNil(err)
	}
	for {
		tok, err := r.next()
		if err != nil {
			return err
		}
		if tok == tokEOF {
			return nil
		}
		if tok == tokStart && r.s.is(nsS, "si") {
			text, err := r.richText()
			if err != nil {
				return err
			}
			if len(r.strings) >= maxDocCells {
				return r.pkg.fail(0, "工作簿过大（超过 %d 个字符串）", maxDocCells)
			}
			if err := r.keep(len(text)); err != nil {
				return err
			}
			r.strings = append(r.strings, text)
		}
	}
}

// richText reads the text of an <si> or <is>: its <t>, or the <t> of each run,
// without phonetic runs (<rPh>).
func (r *xlsxReader) richText() (string, error) {
	r.buf = r.buf[:0]
	depth, inText := 0, 0
	for {
		tok, err := r.next()
		if err != nil {
			return "", err
		}
		switch tok {
		case tokStart:
			switch {
			case r.s.is(nsS, "t"):
				inText++
			case r.s.is(nsS, "rPh"), r.s.is(nsS, "rPr"), r.s.is(nsS, "phoneticPr"):
				if err := r.skip(); err != nil {
					return "", err
				}
				continue
			}
			depth++
		case tokText:
			if inText > 0 {
				if r.buf, err = r.s.appendText(r.buf); err != nil {
					return "", r.fail(err)
				}
				if err := r.checkLength(len(r.buf)); err != nil {
					return "", err
				}
			}
		case tokEnd:
			if depth == 0 {
				return xlsxText(r.buf), nil
			}
			depth--
			if r.s.is(nsS, "t") {
				inText--
			}
		}
	}
}

// xlsxText decodes the _xHHHH_ escapes of a cell's text and makes every line
// end "\n".
func xlsxText(b []byte) string {
	t := UnescapeXLSX(string(b))
	t = strings.ReplaceAll(t, "\r\n", "\n")
	return strings.ReplaceAll(t, "\r", "\n")
}

// trimBlankLines removes blank lines from both ends of a cell's text.
func trimBlankLines(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !unicode.IsSpace(first) && !unicode.IsSpace(last) {
		return s // nearly every cell
	}
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || !blankText(line) {
			break
		}
		s = rest
	}
	for {
		i := strings.LastIndexByte(s, '\n')
		if i < 0 || !blankText(s[i+1:]) {
			break
		}
		s = s[:i]
	}
	if blankText(s) {
		return ""
	}
	return s
}

// styles reads which cell styles show numbers as percentages.
func (r *xlsxReader) styles(part string) error {
	r.part, r.row = part, 0
	ok, err := r.pkg.scan(part, &r.s)
	if err != nil || !ok {
		return r.failOrNil(err)
	}
	percentFmt := map[int]bool{9: true, 10: true} // built-in 0% and 0.00%
	inXfs := false
	for {
		tok, err := r.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokEOF:
			return nil
		case tokStart:
			switch {
			case r.s.is(nsS, "numFmt"):
				id, err := strconv.Atoi(xlsxAttr(&r.s, "numFmtId"))
				code, _ := r.s.attr(nsNone, "formatCode")
				if err == nil {
					percentFmt[id] = xlsxPercentFormat(code)
				}
			case r.s.is(nsS, "cellXfs"):
				inXfs = true
			case inXfs && r.s.is(nsS, "xf"):
				id, _ := strconv.Atoi(xlsxAttr(&r.s, "numFmtId"))
				if len(r.percent) >= maxDocCells {
					return r.pkg.fail(0, "工作簿过大（样式过多）")
				}
				r.percent = append(r.percent, percentFmt[id])
				if err := r.skip(); err != nil {
					return err
				}
			}
		case tokEnd:
			if r.s.is(nsS, "cellXfs") {
				inXfs = false
			}
		}
	}
}

func xlsxAttr(s *xmlScanner, local string) string {
	v, _ := s.attr(nsNone, local)
	return v
}

// xlsxPercentFormat reports whether a number format code shows a percentage: a %
// outside quoted text and escapes, in its first section.
func xlsxPercentFormat(code string) bool {
	quoted := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal, or padding
		case c == ';':
			return false
		case c == '%':
			return true
		}
	}
	return false
}

// xlsxCell is a cell with content, at its 1-based column.
type xlsxCell struct {
	col  int
	text string
}

// xlsxRow is a sheet row with its cells that have content.
type xlsxRow struct {
	num   int
	cells []xlsxCell
}

// xlsxRange is a merged range, 1-based and inclusive.
type xlsxRange struct {
	r1, c1, r2, c2 int
}

// sheet reads one worksheet part into a Table.
func (r *xlsxReader) sheet(name, part string) (*Table, error) {
	r.part, r.row = part, 0
	ok, err := r.pkg.scan(part, &r.s)
	if err != nil {
		return nil, r.fail(err)
	}
	if !ok {
		return nil, r.pkg.fail(0, "不是有效的 .xlsx 文件（缺少工作表“%s”：%s）", name, part)
	}
	var rows []xlsxRow
	var merges []xlsxRange
	for {
		tok, err := r.next()
		if err != nil {
			return nil, err
		}
		if tok == tokEOF {
			break
		}
		if tok != tokStart {
			continue
		}
		switch {
		case r.s.is(nsS, "row"):
			row, err := r.sheetRow()
			if err != nil {
				return nil, err
			}
			if len(row.cells) > 0 {
				rows = append(rows, row)
			}
		case r.s.is(nsS, "mergeCell"):
			ref, _ := r.s.attr(nsNone, "ref")
			if m, ok := xlsxRangeRef(ref); ok {
				if len(merges) >= maxDocCells {
					return nil, r.pkg.fail(0, "%s 中的合并单元格过多", r.part)
				}
				merges = append(merges, m)
			}
		case r.s.is(nsS, "mergeCells"):
			r.row = 0 // past the rows: errors have no row to point at
		case r.s.is(nsS, "worksheet"), r.s.is(nsS, "sheetData"):
			// Read through.
		default:
			if err := r.skip(); err != nil {
				return nil, err
			}
		}
	}
	r.row = 0
	return r.layout(rows, merges)
}

// sheetRow reads a <row>. A row or a cell without a reference follows the one
// before it.
func (r *xlsxReader) sheetRow() (xlsxRow, error) {
	row := xlsxRow{num: r.row + 1, cells: make([]xlsxCell, 0, r.rowCells)}
	if v, ok := r.s.attr(nsNone, "r"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > xlsxMaxRow {
			return row, r.pkg.fail(r.row, "%s 中的行号“%s”无效", r.part, v)
		}
		row.num = n
	}
	if row.num > xlsxMaxRow {
		return row, r.pkg.fail(r.row, "%s 中的行超出了 Excel 的行数", r.part)
	}
	r.row = row.num
	col := 0
	for {
		tok, err := r.next()
		if err != nil {
			return row, err
		}
		switch tok {
		case tokEnd:
			r.rowCells = len(row.cells)
			return row, nil
		case tokStart:
			if !r.s.is(nsS, "c") {
				if err := r.skip(); err != nil {
					return row, err
				}
				continue
			}
			col++
			r.elems++
			if r.elems > maxElements(r.pkg.lim) {
				return row, r.pkg.fail(r.row, "工作簿过大（超过 %d 个单元格，空单元格也计入）", maxElements(r.pkg.lim))
			}
			if ref, ok := r.s.attr(nsNone, "r"); ok {
				_, c, ok := xlsxCellRef(ref)
				if !ok {
					return row, r.pkg.fail(r.row, "%s 中的单元格引用“%s”无效", r.part, ref)
				}
				col = c
			}
			if col > xlsxMaxCol {
				return row, r.pkg.fail(r.row, "%s 中的单元格超出了 Excel 的列数", r.part)
			}
			text, err := r.cell()
			if err != nil {
				return row, err
			}
			text = trimBlankLines(text)
			if text != "" {
				r.cells++
				if r.cells > r.pkg.lim.MaxCells {
					return row, r.pkg.fail(r.row, "工作簿过大（超过 %d 个单元格）", r.pkg.lim.MaxCells)
				}
				if err := r.keep(len(text)); err != nil {
					return row, err
				}
				row.cells = append(row.cells, xlsxCell{col: col, text: text})
			}
		}
	}
}

// cell reads a <c> and returns its text.
func (r *xlsxReader) cell() (string, error) {
	typ, _ := r.s.attr(nsNone, "t")
	style := -1
	if v, ok := r.s.attr(nsNone, "s"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			style = n
		}
	}
	var value string
	hasValue := false
	for {
		tok, err := r.next()
		if err != nil {
			return "", err
		}
		switch tok {
		case tokEnd:
			if !hasValue {
				return "", nil
			}
			return r.cellValue(typ, style, value)
		case tokStart:
			switch {
			case r.s.is(nsS, "v"):
				r.buf = r.buf[:0]
				if r.buf, err = r.textOf(r.buf); err != nil {
					return "", err
				}
				value, hasValue = string(r.buf), true
			case r.s.is(nsS, "is"):
				if value, err = r.richText(); err != nil {
					return "", err
				}
				hasValue = true
			default: // <f>ormula, extLst
				if err := r.skip(); err != nil {
					return "", err
				}
			}
		}
	}
}

// textOf appends the text of the element just started, through its end.
func (r *xlsxReader) textOf(dst []byte) ([]byte, error) {
	depth := 0
	for {
		tok, err := r.next()
		if err != nil {
			return dst, err
		}
		switch tok {
		case tokText:
			if dst, err = r.s.appendText(dst); err != nil {
				return dst, r.fail(err)
			}
			if err := r.checkLength(len(dst)); err != nil {
				return dst, err
			}
		case tokStart:
			depth++
		case tokEnd:
			if depth == 0 {
				return dst, nil
			}
			depth--
		}
	}
}

// cellValue turns a cell's stored value into its text, by the cell's type.
func (r *xlsxReader) cellValue(typ string, style int, v string) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(r.strings) {
			return "", r.pkg.fail(r.row, "%s 中的共享字符串编号“%s”无效", r.part, v)
		}
		return r.strings[i], nil
	case "inlineStr":
		return v, nil
	case "str", "e", "d":
		// A formula's text result, an error such as #N/A, an ISO 8601 date.
		return xlsxText([]byte(v)), nil
	case "b":
		switch strings.TrimSpace(v) {
		case "1", "true":
			return "TRUE", nil
		case "0", "false":
			return "FALSE", nil
		}
		return v, nil
	}
	percent := style >= 0 && style < len(r.percent) && r.percent[style]
	return xlsxNumber(v, percent), nil
}

// xlsxNumber writes a stored number as Excel shows it in the General format:
// rounded to 15 significant digits, then the shortest decimal, never an
// exponent ("6", not "6.0000000000000009"; "0.0043"). With percent it writes
// the value times 100 and "%". Text that is not a number is returned as is.
func xlsxNumber(v string, percent bool) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	if percent {
		f *= 100
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if f == 0 {
		f = 0 // no "-0"
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if percent {
		s += "%"
	}
	return s
}

// xlsxCellRef parses "B3" into row 3, column 2.
func xlsxCellRef(ref string) (row, col int, ok bool) {
	i := 0
	for i < len(ref) && i < 4 {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		i++
	}
	if i == 0 || col > xlsxMaxCol {
		return 0, 0, false
	}
	row, err := strconv.Atoi(ref[i:])
	if err != nil || row < 1 || row > xlsxMaxRow || ref[i] == '+' {
		return 0, 0, false
	}
	return row, col, true
}

// xlsxRangeRef parses "A1:E2"; a single cell is no merge.
func xlsxRangeRef(ref string) (xlsxRange, bool) {
	a, b, ok := strings.Cut(ref, ":")
	if !ok {
		return xlsxRange{}, false
	}
	r1, c1, ok1 := xlsxCellRef(a)
	r2, c2, ok2 := xlsxCellRef(b)
	if !ok1 || !ok2 {
		return xlsxRange{}, false
	}
	m := xlsxRange{r1: min(r1, r2), c1: min(c1, c2), r2: max(r1, r2), c2: max(c1, c2)}
	return m, m != xlsxRange{m.r1, m.c1, m.r1, m.c1}
}

// xlsxRangeText writes a range as Excel does: "A1:XFD1048576".
func xlsxRangeText(m xlsxRange) string {
	name := func(col int) string {
		var b []byte
		for ; col > 0; col = (col - 1) / 26 {
			b = append([]byte{byte('A' + (col-1)%26)}, b...)
		}
		return string(b)
	}
	return fmt.Sprintf("%s%d:%s%d", name(m.c1), m.r1, name(m.c2), m.r2)
}

// layout turns a sheet's rows and merged ranges into a Table.
func (r *xlsxReader) layout(rows []xlsxRow, merges []xlsxRange) (*Table, error) {
	byNum := func(a, b xlsxRow) int { return cmp.Compare(a.num, b.num) }
	// Rows and cells may come out of order, or twice: Excel would not write
	// that, other tools might.
	if !slices.IsSortedFunc(rows, byNum) {
		slices.SortStableFunc(rows, byNum)
	}
	w := 0
	for i, row := range rows {
		if i > 0 && row.num == rows[w-1].num {
			rows[w-1].cells = append(rows[w-1].cells, row.cells...)
			continue
		}
		rows[w] = row
		w++
	}
	rows = rows[:w]
	if len(rows) == 0 {
		return &Table{}, nil
	}
	byCol := func(a, b xlsxCell) int { return cmp.Compare(a.col, b.col) }
	for i, row := range rows {
		if !slices.IsSortedFunc(row.cells, byCol) {
			slices.SortStableFunc(row.cells, byCol)
		}
		// A cell written twice keeps its last value.
		w := 0
		for j, c := range row.cells {
			if j > 0 && c.col == row.cells[w-1].col {
				row.cells[w-1] = c
				continue
			}
			row.cells[w] = c
			w++
		}
		rows[i].cells = row.cells[:w]
	}
	// rowAt returns the index of the row numbered num, or where it would go.
	rowAt := func(num int) (int, bool) {
		return slices.BinarySearchFunc(rows, num, func(row xlsxRow, num int) int { return cmp.Compare(row.num, num) })
	}
	textAt := func(num, col int) string {
		if i, ok := rowAt(num); ok {
			cells := rows[i].cells
			if j, ok := slices.BinarySearchFunc(cells, col, func(c xlsxCell, col int) int { return cmp.Compare(c.col, col) }); ok {
				return cells[j].text
			}
		}
		return ""
	}

	// Each merge, row by row: where a cell starts it, which columns it covers.
	// A merge whose top-left cell is empty shows nothing and is left out, and
	// so are merged rows past the last row with content, which would be empty.
	type rowMerge struct {
		num, c1, c2 int
		top         bool
	}
	var perRow []rowMerge
	var added []xlsxRow // rows a merge covers that have no content
	// A merge larger than the budget of cells is refused as written, whatever
	// it covers: A1:XFD1048576 is no table. Any other reaches no further than
	// the content (A1:XFD1 over a title is the title's cell), and what is
	// left of it is counted against the budget before any of it is laid out.
	last, lastCol := rows[len(rows)-1].num, 0
	for _, row := range rows {
		if n := len(row.cells); n > 0 {
			lastCol = max(lastCol, row.cells[n-1].col)
		}
	}
	for _, m := range merges {
		if textAt(m.r1, m.c1) == "" {
			continue
		}
		ref := xlsxRangeText(m)
		if (m.r2-m.r1+1)*(m.c2-m.c1+1) > r.pkg.lim.MaxCells {
			return nil, r.pkg.fail(m.r1, "%s 中的合并单元格过大（%s，超过 %d 个单元格），请取消多余的合并后重新导入", r.part, ref, r.pkg.lim.MaxCells)
		}
		m.r2, m.c2 = min(m.r2, last), max(m.c1, min(m.c2, lastCol))
		if m.r2 == m.r1 && m.c2 == m.c1 {
			continue
		}
		r.grid += (m.r2 - m.r1 + 1) * (m.c2 - m.c1 + 1)
		if r.grid > r.pkg.lim.MaxCells {
			return nil, r.pkg.fail(m.r1, "%s 中的合并单元格过大（%s，合计超过 %d 个单元格），请取消多余的合并后重新导入", r.part, ref, r.pkg.lim.MaxCells)
		}
		for num := m.r1; num <= m.r2; num++ {
			perRow = append(perRow, rowMerge{num: num, c1: m.c1, c2: m.c2, top: num == m.r1})
			if _, ok := rowAt(num); !ok {
				added = append(added, xlsxRow{num: num})
			}
		}
	}
	if len(added) > 0 {
		rows = append(rows, added...)
		slices.SortFunc(rows, byNum)
		rows = slices.CompactFunc(rows, func(a, b xlsxRow) bool { return a.num == b.num && len(b.cells) == 0 })
	}
	slices.SortStableFunc(perRow, func(a, b rowMerge) int { return cmp.Compare(a.num, b.num) })

	t := &Table{Rows: make([]Row, 0, len(rows)), Layout: "xlsx"}
	for _, row := range rows {
		merged := perRow
		for len(merged) > 0 && merged[0].num < row.num {
			merged = merged[1:]
		}
		n := 0
		for n < len(merged) && merged[n].num == row.num {
			n++
		}
		perRow, merged = merged[n:], merged[:n]

		width := 0
		for _, c := range row.cells {
			width = max(width, c.col)
		}
		for _, m := range merged {
			width = max(width, m.c1)
		}
		r.grid += width
		if r.grid > r.pkg.lim.MaxCells {
			return nil, r.pkg.fail(row.num, "工作簿过大（超过 %d 个单元格）", r.pkg.lim.MaxCells)
		}
		// grid[col-1] is the cell at col; a merge hides the columns it covers
		// after its first.
		grid := make([]Cell, width)
		for col := range grid {
			grid[col] = Cell{Line: row.num}
		}
		for _, c := range row.cells {
			grid[c.col-1].Text = c.text
		}
		covered := make([]bool, width)
		for _, m := range merged {
			c := &grid[m.c1-1]
			if cols := m.c2 - m.c1 + 1; cols > 1 {
				c.Span = cols
			}
			if !m.top {
				c.Text, c.Merged = "", true
			}
			for col := m.c1 + 1; col <= min(m.c2, width); col++ {
				covered[col-1] = true
			}
		}
		cells := grid[:0]
		for col, c := range grid {
			if !covered[col] {
				cells = append(cells, c)
			}
		}
		for len(cells) > 0 {
			if c := cells[len(cells)-1]; c.Text != "" || c.Merged {
				break
			}
			cells = cells[:len(cells)-1]
		}
		if len(cells) > 0 {
			t.Rows = append(t.Rows, Row{Line: row.num, Cells: cells})
		}
	}
	return t, nil
}

// UnescapeXLSX decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold (ECMA-376 Part 1, 22.9.2.19), mostly "_x000D_" before a line
// break; control characters other than TAB, CR and LF are dropped. Every
// reader of a workbook's text uses it (the editable ledger's too).
func UnescapeXLSX(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var out strings.Builder
	for {
		i := strings.Index(s, "_x")
		if i < 0 || len(s) < i+7 {
			break
		}
		out.WriteString(s[:i])
		code, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
		if err != nil || s[i+6] != '_' {
			out.WriteString("_x")
			s = s[i+2:]
			continue
		}
		if code >= 0x20 || code == '\t' || code == '\n' || code == '\r' {
			out.WriteRune(rune(code))
		}
		s = s[i+7:]
	}
	out.WriteString(s)
	return out.String()
}
