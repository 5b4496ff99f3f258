//go:build unix

package docx_test

import (
	"flag"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"duban/docx"
	"duban/internal/officetest"
)

// These tests give the documents to LibreOffice, a reader that shares no code
// with the writer, and check the PDF it makes with poppler's pdfinfo and
// pdftotext (package officetest says what they need and how to skip them).

var keepDir = flag.String("keep", "", "copy the documents and the PDFs LibreOffice makes of them into this directory")

func TestLibreOfficeRendersSample(t *testing.T) {
	pdf := convertToPDF(t, "sample.docx", mustWrite(t, sampleDocument()))

	sizes := officetest.PageSizes(t, pdf)
	if len(sizes) != samplePages {
		t.Fatalf("LibreOffice made %d pages, want %d", len(sizes), samplePages)
	}
	for i, s := range sizes {
		want := [2]float64{595.3, 841.9} // A4 in points
		if i == samplePages-1 {
			want = [2]float64{841.9, 595.3}
		}
		if !near(s[0], want[0], 1) || !near(s[1], want[1], 1) {
			t.Errorf("page %d is %.1f × %.1f pt, want %.1f × %.1f (A4)", i+1, s[0], s[1], want[0], want[1])
		}
	}

	pages := readPages(t, pdf)
	wantText := [][]string{
		{sampleTitle, sampleHeading, sampleBody, "（一）重点项目加快推进", "1.存在问题", sampleSignature, sampleDate},
		{sampleHeader, "第1项重点任务", "牵头单位1", "未完成"},
		{sampleHeader, "第22项重点任务"},
		{sampleHeader, "第55项重点任务", "牵头单位11"},
		{sampleWideTitle, "2023年", "地区生产总值增长5", "预期性"},
	}
	for i, want := range wantText {
		got := pages[i].text()
		for _, w := range append(want, "—"+strconv.Itoa(i+1)+"—") {
			if !strings.Contains(got, w) {
				t.Errorf("page %d lacks %q; it reads %q", i+1, w, got)
			}
		}
	}
	// The header row is repeated on each page of the long table, and only there.
	for i, p := range pages {
		want := 0
		if 2 <= i+1 && i+1 <= 4 {
			want = 1
		}
		if n := strings.Count(p.text(), sampleHeader); n != want {
			t.Errorf("page %d shows the header %d times, want %d", i+1, n, want)
		}
	}
	// Page numbers sit on the outside: right on odd pages, left on even ones.
	for i, p := range pages {
		number := strconv.Itoa(i + 1)
		w, ok := p.lowest(number)
		if !ok {
			t.Errorf("page %d: no page number %s", i+1, number)
			continue
		}
		side, want := "left", "left"
		if w.xMin > p.width/2 {
			side = "right"
		}
		if (i+1)%2 == 1 {
			want = "right"
		}
		if side != want {
			t.Errorf("page %d: page number on the %s (x = %.0f of %.0f pt), want the %s", i+1, side, w.xMin, p.width, want)
		}
	}
}

// TestLibreOfficeKeepsTheGrid checks the type area of GB/T 9704: 22 lines to a
// page and 28 characters to a line. Eleven paragraphs of 54 characters take
// two lines each, 26 after the indent and then 28, and fill page 1 exactly; one
// more line starts page 2.
func TestLibreOfficeKeepsTheGrid(t *testing.T) {
	const line = "督办任务按时推进落实到位"
	fill := strings.Repeat(line, 5)
	text := string([]rune(fill)[:54])
	d := docx.New(docx.Options{})
	for range 11 {
		d.Paragraph(text)
	}
	d.Paragraph("第二页")
	pdf := convertToPDF(t, "grid.docx", mustWrite(t, d))

	if n := len(officetest.PageSizes(t, pdf)); n != 2 {
		t.Fatalf("LibreOffice made %d pages, want 2", n)
	}
	pages := readPages(t, pdf)
	var got []int
	for _, l := range pages[0].lines() {
		if strings.Trim(l, line) == "" { // a line of text, not the page number
			got = append(got, utf8.RuneCountInString(l))
		}
	}
	want := slices.Repeat([]int{26, 28}, 11)
	if !slices.Equal(got, want) {
		t.Errorf("page 1 line lengths = %v, want %v", got, want)
	}
	if !strings.Contains(pages[1].text(), "第二页") {
		t.Errorf("page 2 reads %q, want the 23rd line", pages[1].text())
	}
}

// TestLibreOfficeAddsNoBlankPages fills pages to the last line before a section
// break and before a page break: neither may leave a blank page behind.
func TestLibreOfficeAddsNoBlankPages(t *testing.T) {
	text := string([]rune(strings.Repeat("督办任务按时推进落实到位", 5))[:54])
	d := docx.New(docx.Options{})
	for range 11 {
		d.Paragraph(text)
	}
	d.StartSection(docx.Landscape)
	d.Paragraph("横页")
	d.StartSection(docx.Portrait)
	for range 11 {
		d.Paragraph(text)
	}
	d.PageBreak()
	d.Paragraph("末页")
	pdf := convertToPDF(t, "breaks.docx", mustWrite(t, d))

	pages := readPages(t, pdf)
	var got []string
	for _, p := range pages {
		got = append(got, string([]rune(p.text())[:2]))
	}
	if want := []string{"督办", "横页", "督办", "末页"}; !slices.Equal(got, want) {
		t.Errorf("pages start with %q, want %q", got, want)
	}
}

// convertToPDF converts data, a document called name, with LibreOffice and
// returns the path of the PDF; with -keep, both go into that directory too.
func convertToPDF(t *testing.T, name string, data []byte) string {
	t.Helper()
	officetest.Program(t, "pdftotext")
	c := officetest.Convert(t, name, data)
	if *keepDir != "" {
		officetest.Keep(t, *keepDir, c.Source, c.PDF)
	}
	return c.PDF
}

// pdfPage is one page of a PDF as pdftotext -bbox reads it.
type pdfPage struct {
	width float64
	words []pdfWord
}

// pdfWord is a word and where it starts, in points from the top left.
type pdfWord struct {
	text       string
	xMin, yMin float64
}

// readPages returns the words of each page of a PDF.
func readPages(t *testing.T, pdf string) []pdfPage {
	t.Helper()
	pdftotext := officetest.Program(t, "pdftotext")
	out, err := exec.Command(pdftotext, "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var pages []pdfPage
	for _, p := range parseXML(t, "pdftotext -bbox", out).all("page") {
		page := pdfPage{width: number(t, p.Attr["width"])}
		for _, w := range p.all("word") {
			page.words = append(page.words, pdfWord{text: w.Text, xMin: number(t, w.Attr["xMin"]), yMin: number(t, w.Attr["yMin"])})
		}
		pages = append(pages, page)
	}
	return pages
}

// text returns the page's words run together without spaces, which pdftotext
// puts wherever letters and digits meet Chinese characters.
func (p pdfPage) text() string {
	var b strings.Builder
	for _, w := range p.words {
		b.WriteString(strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, w.text))
	}
	return b.String()
}

// lines returns the text of each line of the page, top to bottom.
func (p pdfPage) lines() []string {
	var lines []string
	var last float64
	for i, w := range p.words {
		if i == 0 || !near(w.yMin, last, 2) {
			lines = append(lines, "")
		}
		lines[len(lines)-1] += w.text
		last = w.yMin
	}
	return lines
}

// lowest returns the word text nearest the bottom of the page.
func (p pdfPage) lowest(text string) (pdfWord, bool) {
	var found pdfWord
	ok := false
	for _, w := range p.words {
		if w.text == text && (!ok || w.yMin > found.yMin) {
			found, ok = w, true
		}
	}
	return found, ok
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func near(a, b, tolerance float64) bool {
	return a-tolerance <= b && b <= a+tolerance
}
