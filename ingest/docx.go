package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// ReadDOCX reads a Word document (.docx) into a Doc. name is the file name, used
// as Doc.Source and in errors; lim bounds the file and what is decompressed from it
// (zero fields take DefaultLimits).
//
// The body is read in order: each paragraph with text becomes a Block with Text
// (empty paragraphs are left out but counted), each table a Block with Table. A
// Block's, Row's or Cell's Line is the number of its first paragraph, counting
// every paragraph from 1 in reading order, those inside tables included.
//
// Text is what a reader of the document sees: tracked deletions and field codes
// are left out, insertions and field results kept; tabs become "\t", line breaks
// "\n", non-breaking hyphens "-". Hyperlinks, content controls and smart tags are
// read through; drawings and text boxes are skipped. In tables, w:gridSpan gives
// Cell.Span, a w:vMerge continuation gives Merged (with empty Text), the
// paragraphs of a cell are joined by "\n" without blank ones at either end, and a
// table nested in a cell is read as more paragraphs of that cell. Each footnote or
// endnote reference becomes "[[n]]", numbered 1, 2, 3 in order of first reference,
// and the notes follow the body as paragraphs "[[n]] text".
//
// A file that cannot be read returns an *Error naming it (and the paragraph where
// it applies): not a zip, truncated, encrypted, a zip bomb, no word/document.xml,
// malformed XML.
func ReadDOCX(name string, data []byte, lim Limits) (*Doc, error) {
	pkg, err := openPackage(name, data, lim, ".docx")
	if err != nil {
		return nil, err
	}
	rootRels, err := pkg.relationships("")
	if err != nil {
		return nil, err
	}
	mainPart := relTarget(rootRels, "/officeDocument", "word/document.xml")
	p := &docxParser{pkg: pkg, part: mainPart, doc: &Doc{Source: name}}
	ok, err := pkg.scan(mainPart, &p.s)
	if err != nil {
		return nil, p.fail(err)
	}
	if !ok {
		return nil, pkg.fail(0, "不是有效的 .docx 文件（缺少正文 %s）", mainPart)
	}
	if err := p.document(); err != nil {
		return nil, err
	}
	if len(p.refs) > 0 {
		if err := p.notes(); err != nil {
			return nil, err
		}
	}
	return p.doc, nil
}

// noteKey names a footnote or an endnote by its w:id.
type noteKey struct {
	endnote bool
	id      string
}

// docxParser reads one WordprocessingML part with s. Each method is called
// just after the start tag of its element and returns after its end tag.
type docxParser struct {
	pkg   *ooxmlPackage
	part  string // the part being read, for errors
	s     xmlScanner
	doc   *Doc
	line  int    // paragraphs read so far
	items int    // blocks and grid cells produced, against Limits.MaxCells
	text  int    // bytes of text kept, against Limits.MaxTextBytes
	buf   []byte // text of the paragraph being read

	rowCells int // cells in the last row, to size the next

	inNotes bool            // reading footnotes: references there are not numbered
	notesOf map[noteKey]int // number of each referenced note
	refs    []noteKey       // referenced notes, by number
}

// fail returns an *Error at the paragraph being read.
func (p *docxParser) fail(err error) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	line := p.line
	if p.inNotes {
		line = 0 // a note's paragraphs are numbered only once all are read
	}
	return p.pkg.fail(line, "%s 无法读取：%v", p.part, err)
}

// next returns the next token, or an *Error.
func (p *docxParser) next() (tokenKind, error) {
	tok, err := p.s.next()
	if err != nil {
		return tok, p.fail(err)
	}
	return tok, nil
}

func (p *docxParser) skip() error {
	if err := p.s.skip(); err != nil {
		return p.fail(err)
	}
	return nil
}

func (p *docxParser) count() error { return p.countColumns(1) }

// keep counts text of n bytes kept in the Doc against Limits.MaxTextBytes.
func (p *docxParser) keep(n int) error {
	p.text += n
	if p.text > p.pkg.lim.MaxTextBytes {
		return p.pkg.fail(p.line, "%s", tooMuchText(p.pkg.lim))
	}
	return nil
}

// countColumns counts n grid columns of cells against Limits.MaxCells: a
// cell spanning many columns costs each of them to whoever lays it out.
func (p *docxParser) countColumns(n int) error {
	p.items += n
	if p.items > p.pkg.lim.MaxCells {
		return p.pkg.fail(p.line, "文档过大（超过 %d 个段落或单元格）", p.pkg.lim.MaxCells)
	}
	return nil
}

// skipped reports whether the current element holds nothing a reader sees:
// properties, tracked deletions, field codes, drawings, phonetic guides.
func (p *docxParser) skipped() bool {
	switch p.s.ns {
	case nsW:
		switch string(p.s.localName()) {
		case "pPr", "rPr", "sectPr", "tblPr", "tblGrid", "tblPrEx", "trPr", "tcPr",
			"del", "moveFrom", "delText", "instrText", "delInstrText", "fldData",
			"sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr",
			"drawing", "pict", "object", "rt", "rubyPr", "footnotePr", "endnotePr":
			return true
		}
	case nsMC:
		// AlternateContent wraps drawings and text boxes, twice over.
		return string(p.s.localName()) == "AlternateContent"
	}
	return false
}

// document reads the root w:document down to the end of w:body.
func (p *docxParser) document() error {
	tok, err := p.next()
	if err != nil {
		return err
	}
	for tok == tokText {
		tok, err = p.next()
		if err != nil {
			return err
		}
	}
	if tok != tokStart || !p.s.is(nsW, "document") {
		if p.s.is(nsS, "workbook") {
			return p.pkg.fail(0, "这是 Excel 工作簿，不是 Word 文档")
		}
		return p.pkg.fail(0, "不是有效的 .docx 文件（%s 不是 Word 正文）", p.part)
	}
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokStart:
			if p.s.is(nsW, "body") {
				return p.body()
			}
			if err := p.skip(); err != nil {
				return err
			}
		case tokEnd, tokEOF:
			return p.pkg.fail(0, "不是有效的 .docx 文件（%s 中没有 w:body）", p.part)
		}
	}
}

// body reads the blocks of w:body (or of any element holding paragraphs and
// tables, read through like w:sdtContent).
func (p *docxParser) body() error {
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokStart:
			switch {
			case p.s.is(nsW, "p"):
				line := p.line + 1
				text, err := p.paragraph()
				if err != nil {
					return err
				}
				if blankText(text) {
					continue
				}
				if err := p.count(); err != nil {
					return err
				}
				if err := p.keep(len(text)); err != nil {
					return err
				}
				p.doc.Blocks = append(p.doc.Blocks, Block{Line: line, Text: text})
			case p.s.is(nsW, "tbl"):
				t, err := p.table()
				if err != nil {
					return err
				}
				if len(t.Rows) > 0 {
					p.doc.Blocks = append(p.doc.Blocks, Block{Line: t.Rows[0].Line, Table: t})
				}
			case p.skipped():
				if err := p.skip(); err != nil {
					return err
				}
			default:
				depth++
			}
		case tokEnd:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// paragraph reads a w:p and returns its text. It counts the paragraph.
func (p *docxParser) paragraph() (string, error) {
	p.line++
	if p.line > maxElements(p.pkg.lim) {
		return "", p.pkg.fail(p.line, "文档过大（超过 %d 个段落，空段落也计入）", maxElements(p.pkg.lim))
	}
	p.buf = p.buf[:0]
	depth := 0
	inText := 0 // open w:t elements
	for {
		tok, err := p.next()
		if err != nil {
			return "", err
		}
		switch tok {
		case tokText:
			if inText > 0 {
				if p.buf, err = p.s.appendText(p.buf); err != nil {
					return "", p.fail(err)
				}
				if len(p.buf) > p.pkg.lim.MaxLineBytes {
					return "", p.fail(fmt.Errorf("段落过长（超过 %s）", sizeText(int64(p.pkg.lim.MaxLineBytes))))
				}
			}
			continue
		case tokEnd:
			if depth == 0 {
				return string(p.buf), nil
			}
			depth--
			if p.s.is(nsW, "t") {
				inText--
			}
			continue
		case tokEOF:
			return string(p.buf), nil
		}
		if p.skipped() {
			if err := p.skip(); err != nil {
				return "", err
			}
			continue
		}
		if p.s.ns != nsW {
			depth++
			continue
		}
		leaf := true
		switch string(p.s.localName()) {
		case "t":
			inText++
			depth++
			leaf = false
		case "tab", "ptab":
			p.buf = append(p.buf, '\t')
		case "br":
			// Page and column breaks are layout, not text.
			if typ, _ := p.s.attr(nsW, "type"); typ != "page" && typ != "column" {
				p.buf = append(p.buf, '\n')
			}
		case "cr":
			p.buf = append(p.buf, '\n')
		case "noBreakHyphen":
			p.buf = append(p.buf, '-')
		case "footnoteReference", "endnoteReference":
			if !p.inNotes {
				id, _ := p.s.attr(nsW, "id")
				p.buf = p.noteRef(p.buf, noteKey{endnote: p.s.localName()[0] == 'e', id: id})
			}
		case "sym", "softHyphen", "footnoteRef", "endnoteRef", "separator", "continuationSeparator":
			// Nothing a reader would copy: a symbol-font glyph, an optional
			// hyphen, a note's own mark, a note separator line.
		default:
			depth++
			leaf = false
		}
		if leaf {
			if err := p.skip(); err != nil {
				return "", err
			}
		}
	}
}

// noteRef appends "[[n]]" for a reference to note k.
func (p *docxParser) noteRef(buf []byte, k noteKey) []byte {
	if p.notesOf == nil {
		p.notesOf = make(map[noteKey]int)
	}
	n, ok := p.notesOf[k]
	if !ok {
		p.refs = append(p.refs, k)
		n = len(p.refs)
		p.notesOf[k] = n
	}
	buf = append(buf, "[["...)
	buf = strconv.AppendInt(buf, int64(n), 10)
	return append(buf, "]]"...)
}

// table reads a w:tbl.
func (p *docxParser) table() (*Table, error) {
	t := &Table{Layout: "docx"}
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokStart:
			switch {
			case p.s.is(nsW, "tr"):
				r, keep, err := p.row()
				if err != nil {
					return nil, err
				}
				if keep {
					t.Rows = append(t.Rows, r)
				}
			case p.skipped():
				if err := p.skip(); err != nil {
					return nil, err
				}
			default:
				depth++
			}
		case tokEnd:
			if depth == 0 {
				return t, nil
			}
			depth--
		}
	}
}

// row reads a w:tr. It reports false for a row without cells and for a row
// deleted with tracked changes.
func (p *docxParser) row() (Row, bool, error) {
	r := Row{Line: p.line + 1, Cells: make([]Cell, 0, p.rowCells)}
	deleted, gridBefore := false, 0
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return r, false, err
		}
		switch tok {
		case tokStart:
			switch {
			case p.s.is(nsW, "tc"):
				c, err := p.cell()
				if err != nil {
					return r, false, err
				}
				r.Cells = append(r.Cells, c)
			case depth == 0 && p.s.is(nsW, "trPr"):
				if deleted, gridBefore, err = p.rowProps(); err != nil {
					return r, false, err
				}
			case p.skipped():
				if err := p.skip(); err != nil {
					return r, false, err
				}
			default:
				depth++
			}
		case tokEnd:
			if depth > 0 {
				depth--
				continue
			}
			if deleted || len(r.Cells) == 0 {
				return r, false, nil
			}
			p.rowCells = len(r.Cells)
			if gridBefore > 0 {
				// An empty cell keeps the others at their grid columns.
				gap := Cell{Line: r.Line}
				if gridBefore > 1 {
					gap.Span = gridBefore
				}
				if err := p.countColumns(gridBefore); err != nil {
					return r, false, err
				}
				r.Cells = append([]Cell{gap}, r.Cells...)
			}
			return r, true, nil
		}
	}
}

// rowProps reads a w:trPr: whether the row is a tracked deletion, and how many
// grid columns come before its first cell.
func (p *docxParser) rowProps() (deleted bool, gridBefore int, err error) {
	for {
		tok, err := p.next()
		if err != nil {
			return false, 0, err
		}
		switch tok {
		case tokStart:
			switch {
			case p.s.is(nsW, "del"):
				deleted = true
			case p.s.is(nsW, "gridBefore"):
				gridBefore = p.intAttr("val")
			}
			// Children are leaves or revisions (w:trPrChange) of older properties.
			if err := p.skip(); err != nil {
				return false, 0, err
			}
		case tokEnd:
			return deleted, gridBefore, nil
		}
	}
}

// intAttr returns the w: attribute local as a column count, or 0 when it is
// missing or not a number. Word allows 63 columns; more is clamped.
func (p *docxParser) intAttr(local string) int {
	v, _ := p.s.attr(nsW, local)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, 1000)
}

// cell reads a w:tc.
func (p *docxParser) cell() (Cell, error) {
	c := Cell{Line: p.line + 1}
	if err := p.count(); err != nil {
		return c, err
	}
	var lines []string
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return c, err
		}
		switch tok {
		case tokStart:
			switch {
			case p.s.is(nsW, "p"):
				text, err := p.paragraph()
				if err != nil {
					return c, err
				}
				lines = append(lines, text)
			case p.s.is(nsW, "tbl"):
				if lines, err = p.flatten(lines); err != nil {
					return c, err
				}
			case depth == 0 && p.s.is(nsW, "tcPr"):
				if err := p.cellProps(&c); err != nil {
					return c, err
				}
			case p.skipped():
				if err := p.skip(); err != nil {
					return c, err
				}
			default:
				depth++
			}
		case tokEnd:
			if depth > 0 {
				depth--
				continue
			}
			if !c.Merged {
				c.Text = joinCellLines(lines)
				if err := p.keep(len(c.Text)); err != nil {
					return c, err
				}
			}
			return c, p.countColumns(c.Columns() - 1)
		}
	}
}

// cellProps reads a w:tcPr into c's Span and Merged.
func (p *docxParser) cellProps(c *Cell) error {
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokStart:
			switch {
			case p.s.is(nsW, "gridSpan"):
				if n := p.intAttr("val"); n > 1 {
					c.Span = n
				}
			case p.s.is(nsW, "vMerge"):
				// <w:vMerge/> without w:val continues the merge above (Word);
				// LibreOffice writes w:val="continue".
				val, ok := p.s.attr(nsW, "val")
				c.Merged = !ok || val == "continue"
			}
			if err := p.skip(); err != nil {
				return err
			}
		case tokEnd:
			return nil
		}
	}
}

// flatten reads a table nested in a cell as more paragraphs of the cell.
func (p *docxParser) flatten(lines []string) ([]string, error) {
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return lines, err
		}
		switch tok {
		case tokStart:
			switch {
			case p.s.is(nsW, "p"):
				text, err := p.paragraph()
				if err != nil {
					return lines, err
				}
				lines = append(lines, text)
			case p.skipped():
				if err := p.skip(); err != nil {
					return lines, err
				}
			default:
				depth++
			}
		case tokEnd:
			if depth == 0 {
				return lines, nil
			}
			depth--
		}
	}
}

// joinCellLines joins a cell's paragraphs with "\n", leaving out blank ones at
// either end.
func joinCellLines(lines []string) string {
	for len(lines) > 0 && blankText(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blankText(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// blankText reports whether s holds nothing but white space.
func blankText(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// notes appends one paragraph "[[n]] text" per referenced footnote and endnote,
// in number order, numbered on from the body's last paragraph.
func (p *docxParser) notes() error {
	rels, err := p.pkg.relationships(p.part)
	if err != nil {
		return err
	}
	texts := make(map[noteKey][]string)
	var wantFoot, wantEnd bool
	for _, k := range p.refs {
		wantFoot = wantFoot || !k.endnote
		wantEnd = wantEnd || k.endnote
	}
	if wantFoot {
		part := relTarget(rels, "/footnotes", "word/footnotes.xml")
		if err := p.readNotes(part, false, texts); err != nil {
			return err
		}
	}
	if wantEnd {
		part := relTarget(rels, "/endnotes", "word/endnotes.xml")
		if err := p.readNotes(part, true, texts); err != nil {
			return err
		}
	}
	for i, k := range p.refs {
		lines, ok := texts[k]
		if !ok {
			continue // a reference to a note the file lacks keeps its [[n]] only
		}
		if err := p.count(); err != nil {
			return err
		}
		text := strings.TrimSpace(joinCellLines(lines))
		if err := p.keep(len(text)); err != nil {
			return err
		}
		p.doc.Blocks = append(p.doc.Blocks, Block{
			Line: p.line + 1,
			Text: "[[" + strconv.Itoa(i+1) + "]] " + text,
		})
		p.line += max(len(lines), 1)
	}
	return nil
}

// readNotes reads the referenced notes of a footnotes or endnotes part into
// texts, one string per paragraph. A missing part is no error: the references
// then stand alone.
func (p *docxParser) readNotes(part string, endnote bool, texts map[noteKey][]string) error {
	saved, savedPart := p.line, p.part
	p.part, p.inNotes, p.line = part, true, 0
	ok, err := p.pkg.scan(part, &p.s)
	if err != nil || !ok {
		p.line, p.part, p.inNotes = saved, savedPart, false
		return err
	}
	defer func() { p.line, p.part, p.inNotes = saved, savedPart, false }()
	elem := "footnote"
	if endnote {
		elem = "endnote"
	}
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		if tok == tokEOF {
			return nil
		}
		if tok != tokStart || !p.s.is(nsW, elem) {
			continue
		}
		id, _ := p.s.attr(nsW, "id")
		typ, _ := p.s.attr(nsW, "type")
		k := noteKey{endnote: endnote, id: id}
		_, referenced := p.notesOf[k]
		if !referenced || (typ != "" && typ != "normal") {
			// Separators (w:type="separator", "continuationSeparator",
			// "continuationNotice") draw the line above the notes.
			if err := p.skip(); err != nil {
				return err
			}
			continue
		}
		lines, err := p.flatten(nil)
		if err != nil {
			return err
		}
		if _, dup := texts[k]; !dup {
			texts[k] = lines
		}
	}
}
