//go:build unix

package export_test

import (
	"bytes"
	"context"
	"flag"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
)

// The documents are read back by LibreOffice, a reader that shares no code
// with duban's writer, and the PDF it makes is checked with poppler's pdfinfo
// and pdftotext. They need Debian's libreoffice-writer-nogui, poppler-utils
// and fonts-noto-cjk; DUBAN_SKIP_LIBREOFFICE=1 skips them.

var keepDir = flag.String("keep", "", "write each document, its PDF and a PNG of its first page (pdftoppm -r 80) into this directory")

// conversionTimeout bounds one LibreOffice run; a cold start with a new
// profile takes a few seconds, more on a loaded machine.
const conversionTimeout = 3 * time.Minute

// fontsConf maps the official fonts to free ones, as docs say a server
// without them should, so the pages look like the real thing.
const fontsConf = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>LXGW WenKai</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
`

// program returns the path of a program the test needs, or fails the test
// naming the Debian packages to install. DUBAN_SKIP_LIBREOFFICE=1 skips.
func program(t *testing.T, names ...string) string {
	t.Helper()
	if os.Getenv("DUBAN_SKIP_LIBREOFFICE") == "1" {
		t.Skip("DUBAN_SKIP_LIBREOFFICE=1: not reading the documents back with LibreOffice")
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("%s not found: install the Debian packages libreoffice-writer-nogui poppler-utils fonts-noto-cjk "+
		"(apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk), or set DUBAN_SKIP_LIBREOFFICE=1 to skip", names[0])
	return ""
}

// pdfDoc is a document converted by LibreOffice.
type pdfDoc struct {
	path  string
	sizes [][2]float64 // each page's width and height in points
	pages []string     // each page's text without white space
}

// toPDF converts a .docx with LibreOffice, with its own HOME and profile so
// that conversions at once do not collide, and reads the PDF back. With
// -keep, it also writes the document, the PDF and the first page as PNG.
func toPDF(t *testing.T, name string, data []byte) pdfDoc {
	t.Helper()
	soffice := program(t, "libreoffice", "soffice")
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	conf := filepath.Join(home, ".config", "fontconfig")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(conf, "fonts.conf"), []byte(fontsConf), 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, name+".docx")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))

	ctx, cancel := context.WithTimeout(t.Context(), conversionTimeout)
	defer cancel()
	profile := url.URL{Scheme: "file", Path: filepath.Join(dir, "profile")}
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation="+profile.String(), "--convert-to", "pdf", "--outdir", dir, src)
	cmd.Env = env
	// The start script hands over to soffice.bin: a timeout ends the group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("LibreOffice did not finish within %v: %s", conversionTimeout, out)
	}
	if err != nil {
		t.Fatalf("LibreOffice: %v: %s", err, out)
	}
	pdf := filepath.Join(dir, name+".pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("LibreOffice made no PDF of %s: %s", name, out)
	}
	doc := pdfDoc{path: pdf, sizes: pageSizes(t, pdf), pages: pageTexts(t, pdf)}
	if len(doc.pages) != len(doc.sizes) {
		t.Fatalf("pdftotext read %d pages, pdfinfo %d", len(doc.pages), len(doc.sizes))
	}
	if *keepDir != "" {
		keep(t, src, pdf, name, env)
	}
	return doc
}

// keep copies the document and its PDF into -keep and renders the PDF's
// first page there as name.png.
func keep(t *testing.T, src, pdf, name string, env []string) {
	t.Helper()
	if err := os.MkdirAll(*keepDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{src, pdf} {
		b, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(filepath.Join(*keepDir, filepath.Base(f)), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	pdftoppm := program(t, "pdftoppm")
	cmd := exec.Command(pdftoppm, "-r", "80", "-png", "-singlefile", "-f", "1", "-l", "1", pdf, filepath.Join(*keepDir, name))
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
}

var (
	pagesLine    = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	pageSizeLine = regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)
)

// pageSizes returns each page's width and height in points, from pdfinfo.
func pageSizes(t *testing.T, pdf string) [][2]float64 {
	t.Helper()
	out, err := exec.Command(program(t, "pdfinfo"), "-f", "1", "-l", "1000", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := pagesLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count: %s", out)
	}
	var sizes [][2]float64
	for _, s := range pageSizeLine.FindAllSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(string(s[1]), 64)
		h, _ := strconv.ParseFloat(string(s[2]), 64)
		sizes = append(sizes, [2]float64{w, h})
	}
	if n, _ := strconv.Atoi(string(m[1])); n != len(sizes) {
		t.Fatalf("pdfinfo: %d pages but %d sizes", n, len(sizes))
	}
	return sizes
}

// pageTexts returns the text of each page with all white space removed:
// pdftotext puts spaces where Chinese meets digits and breaks lines anywhere.
func pageTexts(t *testing.T, pdf string) []string {
	t.Helper()
	out, err := exec.Command(program(t, "pdftotext"), pdf, "-").Output()
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
