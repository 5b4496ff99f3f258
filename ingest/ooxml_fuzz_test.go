package ingest

import (
	"errors"
	"os"
	"testing"
	"unicode/utf8"
)

// fuzzLimits keep each fuzzed input cheap.
var fuzzLimits = Limits{MaxFileBytes: 1 << 20, MaxUnpackedBytes: 4 << 20, MaxLineBytes: 1 << 16}

// The corpora in testdata/fuzz/FuzzReadDOCX and FuzzReadXLSX hold the
// LibreOffice fixtures, documents built like wordDocx and excelXLSX but
// stored without compression and with no CRC (so mutations reach the XML
// instead of failing the checksum), and truncated copies of both.

func FuzzReadDOCX(f *testing.F) {
	addFixture(f, "testdata/ooxml_features.docx")
	f.Add([]byte{})
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadDOCX("fuzz.docx", data, fuzzLimits)
		checkRead(t, "fuzz.docx", doc, err, true)
	})
}

func FuzzReadXLSX(f *testing.F) {
	addFixture(f, "testdata/ooxml_features.xlsx")
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadXLSX("fuzz.xlsx", data, fuzzLimits)
		checkRead(t, "fuzz.xlsx", doc, err, false)
	})
}

// FuzzXMLScanner checks that the scanner never panics, reads well-formed XML
// as encoding/xml does, and skips subtrees without losing its place.
func FuzzXMLScanner(f *testing.F) {
	for _, s := range xmlSamples {
		f.Add([]byte(s))
	}
	f.Add([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>字</w:t></w:r></w:p></w:body></w:document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScannerAgrees(t, data)
		// Skip every element two levels down; what follows must still read.
		s := newXMLScanner(data)
		for {
			tok, err := s.next()
			if err != nil || tok == tokEOF {
				return
			}
			if tok == tokStart && len(s.open) == 2 {
				if err := s.skip(); err != nil {
					return
				}
				if len(s.open) != 1 {
					t.Fatalf("after skip, depth %d, want 1", len(s.open))
				}
			}
		}
	})
}

func addFixture(f *testing.F, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
}

// checkRead fails t unless a reader either returned an *Error naming the file
// and no Doc, or a Doc that keeps the model's promises. With runOn, lines
// run on across blocks (.docx); otherwise each table counts its own (.xlsx).
func checkRead(t *testing.T, name string, doc *Doc, err error, runOn bool) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is a %T, want *ingest.Error", err, err)
		}
		if e.File != name || e.Msg == "" || e.Line < 0 {
			t.Fatalf("error %+v, want File %q, a message and no negative line", e, name)
		}
		if doc != nil {
			t.Fatalf("got a Doc with an error")
		}
		return
	}
	if doc == nil || doc.Source != name {
		t.Fatalf("Doc = %+v, want Source %q", doc, name)
	}
	last := 0
	for _, b := range doc.Blocks {
		if !runOn {
			last = 0
		}
		if b.Line < 1 || b.Line < last {
			t.Fatalf("block at line %d after line %d", b.Line, last)
		}
		last = b.Line
		if !utf8.ValidString(b.Text) {
			t.Fatalf("block text %q is not UTF-8", b.Text)
		}
		if b.Table == nil {
			continue
		}
		if b.Text != "" || len(b.Table.Rows) == 0 {
			t.Fatalf("table block with text %q and %d rows", b.Text, len(b.Table.Rows))
		}
		for _, r := range b.Table.Rows {
			if r.Line < last || len(r.Cells) == 0 {
				t.Fatalf("row at line %d after line %d, %d cells", r.Line, last, len(r.Cells))
			}
			last = r.Line
			for _, c := range r.Cells {
				if c.Line < r.Line || c.Span < 0 || (c.Merged && c.Text != "") || !utf8.ValidString(c.Text) {
					t.Fatalf("bad cell %+v in row at line %d", c, r.Line)
				}
			}
		}
	}
}
