package docx

import (
	"fmt"
	"math"
	"strings"
)

// Table is a table with single-line borders, as wide as the type area of its
// section and centred. Rows are given top to bottom; each row lists its cells
// left to right, leaving out the grid positions that a cell above covers with
// RowSpan, as HTML does.
type Table struct {
	// Columns gives the grid: one entry per column. There must be at least one.
	Columns []Column
	// Rows holds the cells of each row.
	Rows [][]Cell
	// HeaderRows is the number of leading rows that form the header (表头):
	// Word and LibreOffice repeat them at the top of every page the table
	// runs onto. They are set in the Heading1 font (黑体) and centred by
	// default. No row of a table, header or not, splits across pages, and a
	// cell holding one number does not wrap.
	HeaderRows int
	// Size is the text size: zero means SizeSmallNo4 (小四); use SizeNo5 (五号)
	// or SizeSmallNo5 for dense tables.
	Size Size
	// RowHeight is the least height of each row in millimetres; zero lets the
	// text decide.
	RowHeight float64
}

// Column is one column of a table's grid.
type Column struct {
	// Width is the column's share of the table's width: widths 2, 1, 1 make the
	// first column half the table. Zero counts as 1.
	Width float64
	// Align is the alignment of the column's cells that do not set their own;
	// AlignDefault means centred in header rows and left elsewhere.
	Align Align
}

// Cell is one table cell. Its text is vertically centred.
type Cell struct {
	// Text is the cell's text; each line (split at newlines) becomes a paragraph.
	Text string
	// Align overrides the column's alignment.
	Align Align
	// Bold sets the text in bold.
	Bold bool
	// Shade is the background colour, e.g. ShadeGreen for a status light; empty
	// means none.
	Shade Shade
	// ColSpan is the number of grid columns the cell covers (w:gridSpan); 0 and
	// 1 both mean one.
	ColSpan int
	// RowSpan is the number of rows the cell covers, merged vertically
	// (w:vMerge); 0 and 1 both mean one. The rows below leave out the positions
	// it covers. A merge stays within the header rows or within the others.
	RowSpan int
	// KeepWithNext keeps the cell's row on the page of the row below, as a
	// section's heading row must stay with its first task.
	KeepWithNext bool
}

// Align is the horizontal alignment of text in a cell.
type Align int

const (
	// AlignDefault leaves the choice to the column, then to the table.
	AlignDefault Align = iota
	// AlignLeft sets text flush left.
	AlignLeft
	// AlignCenter centres text.
	AlignCenter
	// AlignRight sets text flush right, e.g. for figures.
	AlignRight
	// AlignJustify spreads lines to both edges, as in body text.
	AlignJustify
)

// jc returns the value of w:jc for a.
func (a Align) jc() string {
	switch a {
	case AlignCenter:
		return "center"
	case AlignRight:
		return "right"
	case AlignJustify:
		return "both"
	}
	return "left"
}

// Shade is a cell's background colour as six hexadecimal digits RRGGBB.
type Shade string

// Shades for status lights (红黄绿灯) and header rows. The three lights are pale
// enough for black text to stay readable in print.
const (
	ShadeGreen  Shade = "C6EFCE" // on track, done
	ShadeYellow Shade = "FFEB9C" // behind, at risk
	ShadeRed    Shade = "FFC7CE" // late, missed
	ShadeGray   Shade = "D9D9D9" // header rows
)

// valid reports whether s is six hexadecimal digits.
func (s Shade) valid() bool {
	if len(s) != 6 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// Table adds t. A table that does not fit its columns (a row whose cells cover
// fewer or more columns than the grid, a span past an edge, a merge that
// overlaps another) is left out, and WriteTo returns the error, naming the table
// (counting from 1), the row and the cell.
func (d *Document) Table(t *Table) {
	d.tables++
	var b strings.Builder
	if err := d.writeTable(&b, t); err != nil {
		d.fail(fmt.Errorf("table %d: %w", d.tables, err))
		return
	}
	d.body.WriteString(b.String())
	d.endsWithTable = true
}

// merge is a vertical merge going on below its first cell.
type merge struct {
	rows  int // rows still to cover
	span  int // grid columns covered
	shade Shade
}

// writeTable writes t as a w:tbl, or returns why it cannot.
func (d *Document) writeTable(b *strings.Builder, t *Table) error {
	widths, err := columnWidths(t.Columns, pageFor(d.orientation).textWidth())
	if err != nil {
		return err
	}
	if t.HeaderRows < 0 || t.HeaderRows > len(t.Rows) {
		return fmt.Errorf("%d header rows in %d rows", t.HeaderRows, len(t.Rows))
	}
	if math.IsNaN(t.RowHeight) || math.IsInf(t.RowHeight, 0) || t.RowHeight < 0 {
		return fmt.Errorf("row height %v mm", t.RowHeight)
	}
	size := t.Size
	if size <= 0 {
		size = SizeSmallNo4
	}

	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + itoa(sum(widths)) + `" w:type="dxa"/>`)
	b.WriteString(`<w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
	b.WriteString(`<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`)
	b.WriteString(`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + itoa(w) + `"/>`)
	}
	b.WriteString("</w:tblGrid>")

	merges := make([]merge, len(widths)) // by the grid column where a merge starts
	for r, row := range t.Rows {
		header := r < t.HeaderRows
		// No row is split across pages: a task cut in two reads as two.
		b.WriteString("<w:tr><w:trPr><w:cantSplit/>")
		if t.RowHeight > 0 {
			b.WriteString(`<w:trHeight w:val="` + itoa(twips(t.RowHeight)) + `" w:hRule="atLeast"/>`)
		}
		if header {
			b.WriteString("<w:tblHeader/>")
		}
		b.WriteString("</w:trPr>")

		next := 0 // the next cell of row to place
		for col := 0; col < len(widths); {
			if m := merges[col]; m.rows > 0 {
				writeCell(b, sum(widths[col:col+m.span]), m.span, "continue", m.shade, false, "")
				merges[col].rows--
				col += m.span
				continue
			}
			if next == len(row) {
				return fmt.Errorf("row %d: cells cover %d of %d columns", r+1, col, len(widths))
			}
			c := row[next]
			next++
			span := max(c.ColSpan, 1)
			if col+span > len(widths) {
				return fmt.Errorf("row %d, cell %d: spans past the last column", r+1, next)
			}
			for k := col + 1; k < col+span; k++ {
				if merges[k].rows > 0 {
					return fmt.Errorf("row %d, cell %d: overlaps a merged cell above", r+1, next)
				}
			}
			if c.Shade != "" && !c.Shade.valid() {
				return fmt.Errorf("row %d, cell %d: shade %q: want six hex digits", r+1, next, c.Shade)
			}
			vMerge := ""
			if rows := max(c.RowSpan, 1); rows > 1 {
				last, kind := len(t.Rows), "table"
				if header {
					last, kind = t.HeaderRows, "header"
				}
				if r+rows > last {
					return fmt.Errorf("row %d, cell %d: merges %d rows, past the last %s row", r+1, next, rows, kind)
				}
				merges[col] = merge{rows: rows - 1, span: span, shade: c.Shade}
				vMerge = "restart"
			}

			align := c.Align
			if align == AlignDefault {
				align = t.Columns[col].Align
			}
			if align == AlignDefault && header {
				align = AlignCenter
			}
			font := d.opts.Fonts.Body
			if header {
				font = d.opts.Fonts.Heading1
			}
			var text strings.Builder
			f := d.format(font, size, c.Bold)
			props := `<w:jc w:val="` + align.jc() + `"/>`
			if c.KeepWithNext {
				props = `<w:keepNext/>` + props
			}
			for _, line := range splitLines(c.Text) {
				writeParagraph(&text, "TableText", props, f, line)
			}
			writeCell(b, sum(widths[col:col+span]), span, vMerge, c.Shade, numeric(c.Text), text.String())
			col += span
		}
		if next < len(row) {
			return fmt.Errorf("row %d: %d cells more than the %d columns hold", r+1, len(row)-next, len(widths))
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return nil
}

// writeCell writes a w:tc of the given width in twips over span grid columns.
// vMerge is "", "restart" or "continue"; paragraphs is the content, already XML,
// and an empty one becomes the empty paragraph a cell must hold. A noWrap cell
// keeps its text on one line.
func writeCell(b *strings.Builder, width, span int, vMerge string, shade Shade, noWrap bool, paragraphs string) {
	b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + itoa(width) + `" w:type="dxa"/>`)
	if span > 1 {
		b.WriteString(`<w:gridSpan w:val="` + itoa(span) + `"/>`)
	}
	switch vMerge {
	case "restart":
		b.WriteString(`<w:vMerge w:val="restart"/>`)
	case "continue":
		b.WriteString(`<w:vMerge/>`)
	}
	if shade != "" {
		b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="` + string(shade) + `"/>`)
	}
	if noWrap {
		b.WriteString(`<w:noWrap/>`)
	}
	b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
	if paragraphs == "" {
		paragraphs = `<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p>`
	}
	b.WriteString(paragraphs)
	b.WriteString("</w:tc>")
}

// columnWidths shares total twips among the columns by their Width, the last
// column taking what rounding leaves.
func columnWidths(cols []Column, total int) ([]int, error) {
	if len(cols) == 0 {
		return nil, fmt.Errorf("no columns")
	}
	shares := make([]float64, len(cols))
	all := 0.0
	for i, c := range cols {
		if math.IsNaN(c.Width) || math.IsInf(c.Width, 0) || c.Width < 0 {
			return nil, fmt.Errorf("column %d: width %v", i+1, c.Width)
		}
		shares[i] = c.Width
		if shares[i] == 0 {
			shares[i] = 1
		}
		all += shares[i]
	}
	widths := make([]int, len(cols))
	left := total
	for i := range cols[:len(cols)-1] {
		widths[i] = int(math.Round(float64(total) * shares[i] / all))
		left -= widths[i]
	}
	widths[len(cols)-1] = left
	for i, w := range widths {
		if w < 1 {
			return nil, fmt.Errorf("column %d: too narrow", i+1)
		}
	}
	return widths, nil
}

// sum adds up widths.
func sum(widths []int) int {
	n := 0
	for _, w := range widths {
		n += w
	}
	return n
}

// numeric reports whether text is one short number, such as "6.5", "-0.3",
// "12,345" or "98%": a number broken over two lines in a narrow column reads
// as two, so such a cell does not wrap.
func numeric(text string) bool {
	if text == "" || len(text) > 16 {
		return false
	}
	digits := 0
	for i, r := range text {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' || r == ',' || r == '%':
		case (r == '-' || r == '+') && i == 0:
		default:
			return false
		}
	}
	return digits > 0
}
