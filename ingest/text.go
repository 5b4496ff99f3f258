package ingest

import (
	"bytes"
	"cmp"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// DecodeText returns data as UTF-8 text. It accepts UTF-8 (with or without a BOM),
// UTF-16 with a BOM, and GB18030 (which covers GBK and GB2312), in that order of
// preference. Empty files, binary files and text too large or in no known encoding
// are refused with an *Error naming the file.
func DecodeText(name string, data []byte, lim Limits) (string, error) {
	if len(data) == 0 {
		return "", &Error{File: name, Msg: "文件为空"}
	}
	if lim.MaxFileBytes > 0 && int64(len(data)) > lim.MaxFileBytes {
		return "", &Error{File: name, Msg: fmt.Sprintf("文件过大（%d 字节，上限 %d 字节）", len(data), lim.MaxFileBytes)}
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(name, data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(name, data[2:], true)
	}
	if looksBinary(data) {
		return "", &Error{File: name, Msg: "不是文本文件（含二进制数据）；请提供 .txt、.docx 或 .xlsx 文件"}
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !mostlyText(out) {
		return "", &Error{File: name, Msg: "文本编码无法识别（应为 UTF-8 或 GB18030/GBK）"}
	}
	return string(out), nil
}

func decodeUTF16(name string, data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", &Error{File: name, Msg: "UTF-16 文本长度不完整"}
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	s := string(utf16.Decode(u))
	if strings.ContainsRune(s, 0) {
		return "", &Error{File: name, Msg: "不是文本文件（含二进制数据）"}
	}
	return s, nil
}

// looksBinary reports whether data holds NUL bytes or many control characters,
// which no text export of a government document has.
func looksBinary(data []byte) bool {
	sample := data
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	if bytes.IndexByte(sample, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, b := range sample {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			ctrl++
		}
	}
	return ctrl*100 > len(sample)
}

// mostlyText reports whether decoded text has few replacement characters.
func mostlyText(b []byte) bool {
	bad := bytes.Count(b, []byte("\uFFFD"))
	return bad*50 <= utf8.RuneCount(b)
}

// ReadText reads a plain-text document as exported from Word or a web page. A table
// cell starts with a TAB at the start of a line; a line without a leading TAB
// continues the cell above; a row ends at an empty line; a line holding only a TAB
// is an empty cell. A cell may itself hold a blank line followed by more text
// ("指标⏎⏎属性"): such short continuations stay in the cell, while longer text
// after a blank line, or any text after two blank lines, ends the table.
func ReadText(name string, data []byte, lim Limits) (*Doc, error) {
	text, err := DecodeText(name, data, lim)
	if err != nil {
		return nil, err
	}
	// Check the lines before splitting: a file of millions of short lines
	// would become millions of strings, and as many blocks.
	maxLines := 2 * cmp.Or(max(lim.MaxCells, 0), DefaultLimits.MaxCells)
	for n, rest := 1, text; ; n++ {
		l, after, more := strings.Cut(rest, "\n")
		if lim.MaxLineBytes > 0 && len(l) > lim.MaxLineBytes {
			return nil, &Error{File: name, Line: n, Msg: fmt.Sprintf("行过长（%d 字节，上限 %d 字节）", len(l), lim.MaxLineBytes)}
		}
		if n > maxLines {
			return nil, &Error{File: name, Line: n, Msg: fmt.Sprintf("文档过大（超过 %d 行）", maxLines)}
		}
		if !more {
			break
		}
		rest = after
	}
	if len(text) > lim.maxText() {
		return nil, &Error{File: name, Msg: tooMuchText(lim)}
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	r := textReader{lines: lines, doc: &Doc{Source: name}}
	r.read()
	return r.doc, nil
}

type textReader struct {
	lines []string
	doc   *Doc
	table *Table // the table being read, nil outside tables
	width int    // the most cells a row of the table has had
	blank int    // blank lines since the last content line
}

// isBlank reports whether s holds only white space.
func isBlank(s string) bool {
	for _, c := range s {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

func (r *textReader) read() {
	for i := 0; i < len(r.lines); i++ {
		l := r.lines[i]
		n := i + 1
		switch {
		case strings.HasPrefix(l, "\t"):
			r.cell(n, l[1:])
		case isBlank(l):
			r.blank++
		case r.table != nil && r.continuesCell(i):
			r.appendToCell(l)
		default:
			r.endTable()
			// A footnote reference lost in export splits a paragraph as "…[⏎]…".
			for strings.HasSuffix(l, "[") && i+1 < len(r.lines) && strings.HasPrefix(r.lines[i+1], "]") {
				i++
				l += r.lines[i]
			}
			r.doc.Blocks = append(r.doc.Blocks, Block{Line: n, Text: l})
		}
		if !isBlank(l) {
			r.blank = 0
		}
	}
	r.endTable()
}

// cell starts a new cell, and a new row after a blank line.
func (r *textReader) cell(n int, text string) {
	if r.table == nil {
		r.table = &Table{Layout: "text"}
		r.doc.Blocks = append(r.doc.Blocks, Block{Line: n, Table: r.table})
		r.blank = 1
		r.width = 4
	}
	if r.blank > 0 || len(r.table.Rows) == 0 {
		// Most rows of a table have all its columns: size a new row for them.
		r.table.Rows = append(r.table.Rows, Row{Line: n, Cells: make([]Cell, 0, r.width)})
	}
	row := &r.table.Rows[len(r.table.Rows)-1]
	row.Cells = append(row.Cells, Cell{Line: n, Text: text})
	r.width = max(r.width, len(row.Cells))
}

// continuesCell decides whether the non-TAB line i belongs to the cell above.
func (r *textReader) continuesCell(i int) bool {
	if r.blank == 0 {
		return true
	}
	if r.blank > 1 {
		return false
	}
	l := trimSpace(r.lines[i])
	if utf8.RuneCountInString(l) > 24 || strings.ContainsAny(l, "。；：:") ||
		strings.HasPrefix(l, "附件") || strings.HasPrefix(l, "附表") || strings.HasPrefix(l, "备注") ||
		strings.HasPrefix(l, "注") || strings.HasSuffix(l, "表") {
		return false
	}
	// It must be followed, after at most one blank line, by more of the table.
	for j, blanks := i+1, 0; j < len(r.lines) && blanks <= 1; j++ {
		switch {
		case strings.HasPrefix(r.lines[j], "\t"):
			return true
		case isBlank(r.lines[j]):
			blanks++
		default:
			if blanks > 0 {
				return false
			}
		}
	}
	return false
}

func (r *textReader) appendToCell(l string) {
	row := &r.table.Rows[len(r.table.Rows)-1]
	c := &row.Cells[len(row.Cells)-1]
	if c.Text == "" {
		c.Text = l
	} else {
		c.Text += "\n" + l
	}
}

func (r *textReader) endTable() {
	if r.table == nil {
		return
	}
	for i := range r.table.Rows {
		for j := range r.table.Rows[i].Cells {
			c := &r.table.Rows[i].Cells[j]
			c.Text = strings.Trim(c.Text, "\n")
		}
	}
	r.table = nil
}
