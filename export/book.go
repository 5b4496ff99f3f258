package export

// This file is the small reader ParseLedger reads a workbook back with. It
// streams each part out of the zip through encoding/xml instead of unpacking
// the workbook into memory, and counts what it reads against one budget per
// file: the bytes unpacked, the bytes of text it keeps (the shared strings)
// and the cells. A sheet's rows are handed over one at a time, in a slice of
// as many columns as the caller reads; a cell beyond them is an error, not an
// allocation.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"duban"
	"duban/ingest"
)

// Limits of what one workbook may make the reader hold.
const (
	// maxHeldBytes bounds the text of the shared string table, which is the
	// only part kept in memory: a city's 10,000 tasks with long reports hold
	// some tens of megabytes.
	maxHeldBytes = 64 << 20
	// maxLedgerCells bounds the cells with a value, all sheets together.
	maxLedgerCells = maxLedgerRows * 24
	// maxXMLRun bounds the bytes between two '>' of a part: a tag with all
	// its attributes, or a text. Excel holds at most 32,767 characters in a
	// cell; encoding/xml allocates a token whole, so without this a short
	// compressed run of attributes would cost gigabytes.
	maxXMLRun = 1 << 20
)

// errUnpacked, errHeld and errCells end reading when the budget is spent.
var (
	errUnpacked = errors.New("unpacked too much")
	errHeld     = errors.New("too much text")
	errCells    = errors.New("too many cells")
	errXMLRun   = errors.New("xml token too long")
)

// cellBeyondError is a cell with a value in a column past those read.
type cellBeyondError struct {
	row, col int
}

func (e *cellBeyondError) Error() string {
	return fmt.Sprintf("cell beyond the columns: row %d, column %d", e.row, e.col)
}

// book is a workbook opened for reading back.
type book struct {
	parts    map[string]*zip.File // by lower-case name
	sheets   []bookSheet          // in the workbook's order
	strings  []string             // the shared strings
	styles   []numKind            // by cell style (cellXfs index)
	unpacked int64                // bytes unpacked so far, all parts
	held     int64                // bytes of text kept
	cells    int                  // cells with a value read so far
}

type bookSheet struct {
	name, part string
}

// numKind is how a cell style shows a number.
type numKind uint8

const (
	numGeneral numKind = iota
	numPercent
	numDate
)

// openBook reads the workbook, its relationships, shared strings and styles
// of a zip that checkZip accepted. Errors are *duban.Error.
func openBook(data []byte) (*book, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notAWorkbook()
	}
	b := &book{parts: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		b.parts[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	rels := map[string]string{} // relationship ID → part
	var sharedPart, stylesPart string
	err = b.scan("xl/_rels/workbook.xml.rels", func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "Relationship" {
			return nil
		}
		id, typ, target := attr(se, "Id"), attr(se, "Type"), attr(se, "Target")
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(path.Clean(target), "/")
		} else {
			target = path.Join("xl", target)
		}
		switch {
		case strings.HasSuffix(typ, "/sharedStrings"):
			sharedPart = target
		case strings.HasSuffix(typ, "/styles"):
			stylesPart = target
		}
		if len(rels) < 2*maxZipEntries {
			rels[id] = target
		}
		return nil
	})
	if err != nil {
		return nil, b.fail(err)
	}
	err = b.scan("xl/workbook.xml", func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "sheet" {
			return nil
		}
		if len(b.sheets) >= maxSheets+1 {
			return notOurs()
		}
		id := ""
		for _, a := range se.Attr {
			if a.Name.Local == "id" && a.Name.Space != "" {
				id = a.Value
			}
		}
		b.sheets = append(b.sheets, bookSheet{name: attr(se, "name"), part: rels[id]})
		return nil
	})
	if err != nil {
		return nil, b.fail(err)
	}
	if err := b.readStyles(stylesPart); err != nil {
		return nil, b.fail(err)
	}
	if err := b.readStrings(sharedPart); err != nil {
		return nil, b.fail(err)
	}
	return b, nil
}

// fail turns an error of reading into the *duban.Error the user sees.
func (b *book) fail(err error) error {
	var de *duban.Error
	switch {
	case errors.As(err, &de):
		return err
	case errors.Is(err, errUnpacked):
		return duban.Errorf(duban.CodeInvalid, "文件解压后过大（超过 %d MB），不是正常的台账", maxUnpackedBytes>>20)
	case errors.Is(err, errHeld):
		return duban.Errorf(duban.CodeInvalid, "台账中的文字过多（超过 %d MB），不是正常的台账", maxHeldBytes>>20)
	case errors.Is(err, errCells):
		return duban.Errorf(duban.CodeInvalid, "台账中的单元格过多（超过 %d 个），不是正常的台账", maxLedgerCells)
	}
	return notAWorkbook()
}

// hasSheet reports whether the workbook has a sheet of that name.
func (b *book) hasSheet(name string) bool {
	for _, s := range b.sheets {
		if s.name == name {
			return true
		}
	}
	return false
}

// open returns a decoder of a part, reading it as it unpacks, and false if
// there is no such part.
func (b *book) open(part string) (*xml.Decoder, io.Closer, bool, error) {
	f, ok := b.parts[strings.ToLower(part)]
	if !ok {
		return nil, nil, false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, true, err
	}
	d := xml.NewDecoder(bufio.NewReaderSize(&runLimiter{r: &budgetReader{r: rc, b: b}}, 16<<10))
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8") {
			return input, nil
		}
		return nil, fmt.Errorf("charset %s", charset)
	}
	return d, rc, true, nil
}

// scan calls fn with each start element of a part; a missing part has none.
func (b *book) scan(part string, fn func(*xml.Decoder, xml.StartElement) error) error {
	d, c, ok, err := b.open(part)
	if err != nil || !ok {
		return err
	}
	defer c.Close()
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := fn(d, se); err != nil {
				return err
			}
		}
	}
}

// budgetReader counts what a part unpacks to against the book's budget.
type budgetReader struct {
	r io.Reader
	b *book
}

func (r *budgetReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.b.unpacked += int64(n)
	if r.b.unpacked > maxUnpackedBytes {
		return n, errUnpacked
	}
	return n, err
}

// runLimiter fails when more than maxXMLRun bytes come without a '>'.
type runLimiter struct {
	r   io.Reader
	run int
}

func (l *runLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '>' {
			l.run = 0
			continue
		}
		l.run++
		if l.run > maxXMLRun {
			return n, errXMLRun
		}
	}
	return n, err
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// skip reads through the end of the element just started. (Decoder.Skip
// checks nesting against what Token read, which RawToken leaves out.)
func skip(d *xml.Decoder) error {
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// text reads the text of the element just started, through its end: the
// <t> of an <si> or <is> and of its runs, without phonetic runs, or the text
// of a <v>.
func (b *book) text(d *xml.Decoder, dst []byte) ([]byte, error) {
	depth, skip := 0, 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return dst, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if skip > 0 || t.Name.Local == "rPh" || t.Name.Local == "phoneticPr" {
				skip++
			}
		case xml.EndElement:
			if depth == 0 {
				return dst, nil
			}
			depth--
			if skip > 0 {
				skip--
			}
		case xml.CharData:
			if skip == 0 {
				dst = append(dst, t...)
				if len(dst) > maxXMLRun {
					return dst, errXMLRun
				}
			}
		}
	}
}

// readStrings reads the shared string table into memory, within the budget.
func (b *book) readStrings(part string) error {
	var buf []byte
	return b.scan(part, func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "si" {
			return nil
		}
		var err error
		if buf, err = b.text(d, buf[:0]); err != nil {
			return err
		}
		b.held += int64(len(buf)) + 16
		if b.held > maxHeldBytes {
			return errHeld
		}
		if len(b.strings) >= maxLedgerCells {
			return errCells
		}
		b.strings = append(b.strings, cellText(buf))
		return nil
	})
}

// readStyles reads how each cell style shows numbers: as a percentage, a
// date, or as they are.
func (b *book) readStyles(part string) error {
	formats := map[int]numKind{9: numPercent, 10: numPercent}
	for id := 14; id <= 22; id++ {
		formats[id] = numDate
	}
	inXfs := false
	d, c, ok, err := b.open(part)
	if err != nil || !ok {
		return err
	}
	defer c.Close()
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, err := strconv.Atoi(attr(t, "numFmtId"))
				if err == nil && len(formats) < maxLedgerCells {
					formats[id] = formatKind(attr(t, "formatCode"))
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if !inXfs {
					continue
				}
				if len(b.styles) >= 64<<10 {
					return errCells
				}
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				b.styles = append(b.styles, formats[id])
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
}

// formatKind tells a number format code that shows a percentage or a date
// by the first section's characters outside quotes and escapes.
func formatKind(code string) numKind {
	quoted := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			// A colour or a condition: [Red], [<=100].
			if j := strings.IndexByte(code[i:], ']'); j > 0 {
				i += j
			}
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == ';':
			return numGeneral
		case c == '%':
			return numPercent
		case c == 'y' || c == 'Y' || c == 'd' || c == 'D':
			return numDate
		}
	}
	return numGeneral
}

// eachRow streams the rows of a sheet, calling fn with each row that has a
// value and its number, until fn returns false. cells holds the sheet's first
// len(cells) columns, empty where a row has no value; a value in a later
// column ends reading with a *cellBeyondError, a row with a value numbered
// past maxRows with errTooManyRows. Empty rows are skipped wherever they are.
func (b *book) eachRow(sheet string, maxRows int, cells []string, fn func(row int, cells []string) bool) error {
	part := ""
	for _, s := range b.sheets {
		if s.name == sheet {
			part = s.part
			break
		}
	}
	d, c, ok, err := b.open(part)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("sheet part missing")
	}
	defer c.Close()
	var buf []byte
	row := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "row" {
			continue
		}
		row++
		if v := attr(se, "r"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fmt.Errorf("row number %q", v)
			}
			row = n
		}
		clear(cells)
		has := false
		col := 0
		// The cells of the row, through its end.
		for {
			tok, err := d.RawToken()
			if err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return err
			}
			if _, end := tok.(xml.EndElement); end {
				break
			}
			ce, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			if ce.Name.Local != "c" {
				if err := skip(d); err != nil {
					return err
				}
				continue
			}
			col++
			if ref := attr(ce, "r"); ref != "" {
				if col, err = refColumn(ref); err != nil {
					return err
				}
			}
			var value string
			if value, buf, err = b.cell(d, ce, buf); err != nil {
				return err
			}
			if value == "" {
				continue
			}
			if col > len(cells) {
				return &cellBeyondError{row: row, col: col}
			}
			b.cells++
			if b.cells > maxLedgerCells {
				return errCells
			}
			cells[col-1], has = value, true
		}
		// Only a row with a value counts against maxRows: LibreOffice writes
		// an empty row 1048576 after a row was deleted, and empty rows cost
		// only what they unpack to, which the book's budget bounds.
		if has && row > maxRows {
			return errTooManyRows
		}
		if has && !fn(row, cells) {
			return nil
		}
	}
}

// refColumn returns the column of a cell reference such as "B3", from 1.
func refColumn(ref string) (int, error) {
	col, i := 0, 0
	for ; i < len(ref) && i < 3; i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	if i == 0 || i == len(ref) || ref[i] < '0' || ref[i] > '9' || col > 16384 {
		return 0, fmt.Errorf("cell reference %q", ref)
	}
	return col, nil
}

// cell reads a <c> through its end and returns its value as Excel shows it,
// near enough for a ledger: shared and inline strings, formula results,
// TRUE/FALSE, numbers as the shortest decimal of 15 significant digits, with
// "%" in a percent format and as 2006-01-02 in a date format.
func (b *book) cell(d *xml.Decoder, ce xml.StartElement, buf []byte) (string, []byte, error) {
	typ := attr(ce, "t")
	style, _ := strconv.Atoi(attr(ce, "s"))
	var value []byte
	has := false
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", buf, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if !has {
				return "", buf, nil
			}
			v, err := b.value(typ, style, value)
			return v, buf, err
		case xml.StartElement:
			switch t.Name.Local {
			case "v", "is":
				if buf, err = b.text(d, buf[:0]); err != nil {
					return "", buf, err
				}
				value, has = buf, true
			default: // <f>ormula, extLst
				if err := skip(d); err != nil {
					return "", buf, err
				}
			}
		}
	}
}

// value turns a cell's stored value into its text, by the cell's type.
func (b *book) value(typ string, style int, v []byte) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(string(v)))
		if err != nil || i < 0 || i >= len(b.strings) {
			return "", fmt.Errorf("shared string %q", v)
		}
		return b.strings[i], nil
	case "inlineStr", "str", "e", "d":
		return cellText(v), nil
	case "b":
		switch strings.TrimSpace(string(v)) {
		case "1", "true":
			return "TRUE", nil
		case "0", "false":
			return "FALSE", nil
		}
		return string(v), nil
	}
	kind := numGeneral
	if style >= 0 && style < len(b.styles) {
		kind = b.styles[style]
	}
	return numberText(string(v), kind), nil
}

// numberText writes a stored number as a ledger's reader expects it.
func numberText(v string, kind numKind) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	switch kind {
	case numPercent:
		f *= 100
	case numDate:
		// Excel's serial day 1 is 1900-01-01, counting the 29 February 1900
		// that never was.
		if f >= 61 && f < 2958466 {
			day := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
			return day.Format("2006-01-02")
		}
	}
	s := formatFigure(f)
	if kind == numPercent {
		s += "%"
	}
	return s
}

// cellText decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold, mostly "_x000D_".
func cellText(b []byte) string { return ingest.UnescapeXLSX(string(b)) }
