//go:build !race

package ingest

import (
	"errors"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// heapObjects returns /memory/classes/heap/objects:bytes of runtime/metrics:
// the bytes of heap objects, live or dead but not yet swept.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakHeapGrowth runs f while sampling the heap every 2 ms, and returns the
// highest growth over the heap after a collection before f.
func peakHeapGrowth(f func()) uint64 {
	runtime.GC()
	runtime.GC()
	base := heapObjects()
	stop, done := make(chan struct{}), make(chan struct{})
	var peak uint64
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapObjects())
			select {
			case <-stop:
				peak = max(peak, heapObjects())
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	if peak < base {
		return 0
	}
	return peak - base
}

// hostileFiles builds the files of the probe of the "no upload can exhaust
// memory" issue: small uploads that unpack, or split, into far more than a
// document holds.
func hostileFiles(t *testing.T) []struct {
	name string
	data func() []byte
	want string // in the error; "" when the file may be read
} {
	docx := func(body string) []byte { return wordDocx(t, body, "", "") }
	sheet := func(rows string) string {
		return excelPart + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
	}
	return []struct {
		name string
		data func() []byte
		want string
	}{
		{"paras.docx", func() []byte {
			return docx(strings.Repeat(`<w:p><w:r><w:t>一二三</w:t></w:r></w:p>`, 5_000_000))
		}, "文档过大"},
		{"text.docx", func() []byte {
			return docx(`<w:p><w:r><w:t>` + strings.Repeat("一二三四五六七八九十", 8_000_000) + `</w:t></w:r></w:p>`)
		}, "段落过长"},
		{"lines.docx", func() []byte {
			return docx(`<w:p><w:r><w:t>` + strings.Repeat("一二三四五六七八九十<w:br/>", 4_000_000) + `</w:t></w:r></w:p>`)
		}, "段落过长"},
		{"empty-paras.docx", func() []byte {
			return docx(strings.Repeat(`<w:p/>`, 40_000_000))
		}, "文档过大"},
		{"long-paras.docx", func() []byte {
			// 240 paragraphs just under the limit of one: 240 MB of text.
			return docx(strings.Repeat(`<w:p><w:r><w:t>`+strings.Repeat("一二三四五六七八九十", 33_000)+`</w:t></w:r></w:p>`, 240))
		}, "文字过多"},
		{"strings.xlsx", func() []byte {
			return excelXLSX(t, strings.Repeat(`<si><t>a</t></si>`, 10_000_000), "",
				[2]string{"表", sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)})
		}, "字符串"},
		{"empty-cells.xlsx", func() []byte {
			row := `<row>` + strings.Repeat(`<c/>`, 16_000) + `</row>`
			return excelXLSX(t, "", "", [2]string{"表", sheet(strings.Repeat(row, 3_500))})
		}, "工作簿过大"},
		{"shared-long-string.xlsx", func() []byte {
			// One shared string of 990 KB in 100,000 cells.
			row := `<row>` + strings.Repeat(`<c t="s"><v>0</v></c>`, 100) + `</row>`
			return excelXLSX(t, `<si><t>`+strings.Repeat("一二三四五六七八九十", 33_000)+`</t></si>`, "",
				[2]string{"表", sheet(strings.Repeat(row, 1_000))})
		}, "文字过多"},
		{"one-line.txt", func() []byte {
			return []byte(strings.Repeat("一二三四五六七八", 32<<20/24) + "\n")
		}, "过长"},
		{"short-lines.txt", func() []byte {
			return []byte(strings.Repeat("a\n", 16<<20))
		}, "文档过大"},
	}
}

// TestHostileFileMemory extracts each file of the probe with DefaultLimits and
// holds the peak growth of the heap under 100 MB and the time under 5 s. It
// runs without the race detector (which inflates memory): scripts/test runs
// it on its own.
func TestHostileFileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and reads files of hundreds of MB")
	}
	const mb = 1 << 20
	for _, f := range hostileFiles(t) {
		t.Run(f.name, func(t *testing.T) {
			data := f.data()
			var err error
			var took time.Duration
			peak := peakHeapGrowth(func() {
				start := time.Now()
				_, err = Extract(f.name, data, DefaultLimits)
				took = time.Since(start)
			})
			t.Logf("%s (%.1f MB): %v, peak heap growth %.1f MB; %v", f.name, float64(len(data))/mb, took.Round(time.Millisecond), float64(peak)/mb, err)
			var e *Error
			switch {
			case err != nil && !errors.As(err, &e):
				t.Errorf("error %T %v, want *Error", err, err)
			case err != nil && (f.want == "" || !strings.Contains(e.Msg, f.want) || e.File != f.name):
				t.Errorf("error %v, want one about %q", err, f.want)
			case err == nil && f.want != "":
				t.Errorf("read, want an error about %q", f.want)
			}
			if peak > 100*mb {
				t.Errorf("peak heap growth %.1f MB, want under 100 MB", float64(peak)/mb)
			}
			if took > 5*time.Second {
				t.Errorf("took %v, want under 5 s", took)
			}
		})
	}
}
