package ingest

// Doc is a document read into paragraphs and tables, in reading order, before any
// interpretation. Each reader (.txt, .docx, .xlsx) produces one; Interpret turns it
// into an Extraction, so every format goes through the same rules.
type Doc struct {
	Source string
	Blocks []Block
}

// Block is a paragraph (Table is nil) or a table.
type Block struct {
	// Line is the 1-based place of the block: the text line in .txt, the paragraph
	// number in .docx (paragraphs inside tables count), the row number in .xlsx.
	Line  int
	Text  string
	Table *Table
}

// Table is a table as laid out in the file: rows of cells, with merges kept.
type Table struct {
	Rows []Row
	// Layout names how the table was written, for `duban extract --explain`:
	// "text" (cells after a TAB), "docx", "xlsx", or a table a web page
	// flattened: "pipe" (a | b), "tab", "space", "lines" (a cell per line).
	Layout string
}

// Row is one table row.
type Row struct {
	Line  int
	Cells []Cell
}

// Cell is one table cell. Text holds the cell's paragraphs (or wrapped lines)
// joined by "\n", without leading or trailing blank lines.
type Cell struct {
	Line int
	Text string
	// Span is the number of grid columns the cell covers (w:gridSpan, or an
	// .xlsx merge across columns); 0 and 1 both mean one column.
	Span int
	// Merged marks a cell that continues the merged cell above it (w:vMerge
	// without "restart", or a non-top-left cell of an .xlsx merge). Its Text is
	// empty: the value sits in the first cell of the merge.
	Merged bool
}

// Columns returns the number of grid columns the cell covers.
func (c Cell) Columns() int {
	if c.Span > 1 {
		return c.Span
	}
	return 1
}
