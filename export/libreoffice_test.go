//go:build unix

package export_test

import (
	"bytes"
	"flag"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"duban/internal/officetest"
)

// The documents are read back by LibreOffice, a reader that shares no code
// with duban's writer, and the PDF it makes is checked with poppler's pdfinfo
// and pdftotext (package officetest says what they need and how to skip them).

var keepDir = flag.String("keep", "", "write each document, its PDF and a PNG of its first page (pdftoppm -r 80) into this directory")

// pdfDoc is a document converted by LibreOffice.
type pdfDoc struct {
	path  string
	sizes [][2]float64 // each page's width and height in points
	pages []string     // each page's text without white space
}

// toPDF converts a .docx with LibreOffice and reads the PDF back. With
// -keep, it also writes the document, the PDF and the first page as PNG.
func toPDF(t *testing.T, name string, data []byte) pdfDoc {
	t.Helper()
	c := officetest.Convert(t, name+".docx", data)
	doc := pdfDoc{path: c.PDF, sizes: officetest.PageSizes(t, c.PDF), pages: pageTexts(t, c.PDF)}
	if len(doc.pages) != len(doc.sizes) {
		t.Fatalf("pdftotext read %d pages, pdfinfo %d", len(doc.pages), len(doc.sizes))
	}
	if *keepDir != "" {
		officetest.Keep(t, *keepDir, c.Source, c.PDF)
		cmd := exec.Command(officetest.Program(t, "pdftoppm"), "-r", "80", "-png", "-singlefile", "-f", "1", "-l", "1",
			c.PDF, filepath.Join(*keepDir, name))
		cmd.Env = c.Env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, out)
		}
	}
	return doc
}

// pageTexts returns the text of each page with all white space removed:
// pdftotext puts spaces where Chinese meets digits and breaks lines anywhere.
func pageTexts(t *testing.T, pdf string) []string {
	t.Helper()
	out, err := exec.Command(officetest.Program(t, "pdftotext"), pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	for i, p := range pages {
		pages[i] = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, p)
	}
	return pages
}

// text returns the text of the whole document.
func (d pdfDoc) text() string { return strings.Join(d.pages, "") }

// A4 in points, upright.
var a4 = [2]float64{595.3, 841.9}

// checkPages checks the page count and that every page is A4, turned when
// landscape.
func (d pdfDoc) checkPages(t *testing.T, want int, landscape bool) {
	t.Helper()
	if len(d.sizes) != want {
		t.Errorf("LibreOffice made %d pages, want %d", len(d.sizes), want)
	}
	size := a4
	if landscape {
		size = [2]float64{a4[1], a4[0]}
	}
	for i, s := range d.sizes {
		if !near(s[0], size[0]) || !near(s[1], size[1]) {
			t.Errorf("page %d is %.1f × %.1f pt, want A4 %.1f × %.1f", i+1, s[0], s[1], size[0], size[1])
		}
	}
}

// checkText checks that the document reads each of want, white space aside.
func (d pdfDoc) checkText(t *testing.T, want ...string) {
	t.Helper()
	all := d.text()
	for _, w := range want {
		w = strings.Join(strings.Fields(w), "")
		if !strings.Contains(all, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
}

// checkPageNumbers checks the page numbers "— n —" of GB/T 9704.
func (d pdfDoc) checkPageNumbers(t *testing.T) {
	t.Helper()
	for i, p := range d.pages {
		if n := "—" + strconv.Itoa(i+1) + "—"; !strings.Contains(p, n) {
			t.Errorf("page %d lacks its number %q", i+1, n)
		}
	}
}

func near(a, b float64) bool { return a-1 <= b && b <= a+1 }

// docxBytes runs a writer of the package into a buffer.
func docxBytes(t *testing.T, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLedgerPrintsInLibreOffice prints the ledger of the 194 tasks of the
// 2024 decomposition with LibreOffice Calc: every page landscape on A4 or
// A3, the header row repeated on every page, and every task's number on
// paper. (checkPrintable holds the page setup to the font-size bound; this
// shows a reader that shares no code with duban's writer honours it.)
func TestLedgerPrintsInLibreOffice(t *testing.T) {
	x := seedExtraction(t, "002_df832bfe8d5b9f39.txt")
	tasks, reports := seedTasks(t, x, 1, 1, len(x.Tasks))
	l := sampleLedger()
	l.Tasks, l.Reports = tasks, reports
	_, data := writeLedger(t, l)
	c := officetest.Convert(t, "ledger.xlsx", data)
	sizes := officetest.PageSizes(t, c.PDF)
	pages := pageTexts(t, c.PDF)
	if len(pages) != len(sizes) || len(pages) < 2 {
		t.Fatalf("%d pages of text, %d sizes: want the same, and more than one page", len(pages), len(sizes))
	}
	a3 := [2]float64{841.9, 1190.6}
	for i, s := range sizes {
		landscape := s[0] > s[1]
		isA4 := near(s[1], a4[0]) && near(s[0], a4[1])
		isA3 := near(s[1], a3[0]) && near(s[0], a3[1])
		if !landscape || !(isA4 || isA3) {
			t.Errorf("page %d is %.0f × %.0f pt, want A4 or A3 landscape", i+1, s[0], s[1])
		}
		if !strings.Contains(pages[i], "序号") || !strings.Contains(pages[i], "任务内容") {
			t.Errorf("page %d has no header row: %.60s", i+1, pages[i])
		}
	}
	all := strings.Join(pages, "")
	for _, task := range tasks {
		sec, _, _ := strings.Cut(task.Section, "、")
		if want := sec + "、" + strconv.Itoa(task.Number); !strings.Contains(all, want) {
			t.Errorf("task %s is not on paper in one piece", want)
		}
	}
}
