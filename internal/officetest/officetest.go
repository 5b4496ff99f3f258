//go:build unix

// Package officetest reads documents back the way their readers will: it
// converts them to PDF with LibreOffice, a reader that shares no code with
// duban's writers, and measures the PDF's pages with poppler's pdfinfo. The
// tests of docx and export use it. It needs Debian's
// libreoffice-writer-nogui (and libreoffice-calc-nogui with
// fonts-crosextra-carlito, Calibri's metrics, for workbooks), poppler-utils
// and fonts-noto-cjk; DUBAN_SKIP_LIBREOFFICE=1 skips the tests
// that call it, and scripts/test refuses to run with it set.
package officetest

import (
	"context"
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
)

// FontsConf maps the official font names to free fonts, as the operations
// guide tells a server without the official fonts to, so that the PDF looks
// like the real thing.
const FontsConf = `<?xml version="1.0"?>
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

// Timeout bounds one LibreOffice run; a cold start with a new profile takes
// a few seconds, more on a loaded machine.
const Timeout = 3 * time.Minute

// Program returns the path of the first of names found, or fails the test
// naming the Debian packages to install. DUBAN_SKIP_LIBREOFFICE=1 skips it.
func Program(t testing.TB, names ...string) string {
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

// A Conversion is a document and the PDF LibreOffice made of it.
type Conversion struct {
	Source, PDF string
	// Env is the environment of the conversion (its HOME and FontsConf),
	// for the tools that render the PDF in turn.
	Env []string
}

// Convert writes data to name in a temporary folder and converts it to PDF.
// Each call has its own HOME and LibreOffice profile, so that conversions
// running at once do not collide.
func Convert(t testing.TB, name string, data []byte) Conversion {
	t.Helper()
	soffice := Program(t, "libreoffice", "soffice")
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	conf := filepath.Join(home, ".config", "fontconfig")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(conf, "fonts.conf"), []byte(FontsConf), 0o644); err != nil {
		t.Fatal(err)
	}
	c := Conversion{Source: filepath.Join(dir, name),
		Env: append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))}
	if err := os.WriteFile(c.Source, data, 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), Timeout)
	defer cancel()
	profile := url.URL{Scheme: "file", Path: filepath.Join(dir, "profile")}
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation="+profile.String(), "--convert-to", "pdf", "--outdir", dir, c.Source)
	cmd.Env = c.Env
	// LibreOffice's start script hands over to soffice.bin: on a timeout, end
	// the whole process group, not just the script.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("LibreOffice did not finish within %v: %s", Timeout, out)
	}
	if err != nil {
		t.Fatalf("LibreOffice: %v: %s", err, out)
	}
	c.PDF = strings.TrimSuffix(c.Source, filepath.Ext(c.Source)) + ".pdf"
	if _, err := os.Stat(c.PDF); err != nil {
		t.Fatalf("LibreOffice made no PDF of %s: %v: %s", name, err, out)
	}
	return c
}

// Keep copies files into dir, creating it.
func Keep(t testing.TB, dir string, files ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

var (
	pagesLine    = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	pageSizeLine = regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)
)

// PageSizes returns each page's width and height in points, from pdfinfo.
func PageSizes(t testing.TB, pdf string) [][2]float64 {
	t.Helper()
	out, err := exec.Command(Program(t, "pdfinfo"), "-f", "1", "-l", "1000", pdf).Output()
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
		t.Fatalf("pdfinfo: %d pages but %d sizes: %s", n, len(sizes), out)
	}
	return sizes
}
