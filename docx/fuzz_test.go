package docx_test

import (
	"bytes"
	"strings"
	"testing"

	"duban/docx"
)

// FuzzText puts any string through the properties, a title, a heading, body
// text, a table cell and a signature. Every part of the result must be
// well-formed XML, and the text must come back as given, less what XML cannot
// hold and the tabs and line breaks that become elements of their own.
func FuzzText(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d := docx.New(docx.Options{Title: s, Creator: s})
		d.Title(s)
		d.Heading(2, s)
		d.Paragraph(s)
		d.Table(&docx.Table{Columns: []docx.Column{{}}, HeaderRows: 1, Rows: [][]docx.Cell{{{Text: s}}}})
		d.Signature(s, "")

		var buf bytes.Buffer
		if _, err := d.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		files, err := unzipFiles(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		trees := map[string]*node{}
		for name, data := range files {
			tree, err := parseTree(data)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			trees[name] = tree
		}

		want := strings.Repeat(kept(s), 5)
		if got := trees["word/document.xml"].text(); got != want {
			t.Errorf("document text = %q, want %q", got, want)
		}
		if got := trees["docProps/core.xml"].first("title").Text; got != keptInProperties(s) {
			t.Errorf("title property = %q, want %q", got, keptInProperties(s))
		}
	})
}

// kept returns what of s should appear in w:t elements: valid XML characters
// other than tab, newline and carriage return. Invalid UTF-8 is first replaced
// by U+FFFE, which XML cannot hold either, so it is dropped too.
func kept(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || !xmlChar(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\ufffe"))
}

// keptInProperties returns what of s the document properties should hold:
// valid XML characters, with "\r\n" and "\r" read as "\n".
func keptInProperties(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.Map(func(r rune) rune {
		if !xmlChar(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\ufffe"))
}

// xmlChar reports whether r is a Char of XML 1.0, written apart from the one in
// the package so that a mistake there shows.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		0x20 <= r && r <= 0xD7FF || 0xE000 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0x10FFFF
}
