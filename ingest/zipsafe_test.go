package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// zipEntry is one file of a zip built by a test.
type zipEntry struct {
	name, body string
}

// ooxmlZip builds a zip of entries, deflated as Office writes them.
func ooxmlZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipReader(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}

// wantError checks that err is an *Error naming file whose message holds
// every one of want.
func wantError(t *testing.T, err error, file string, want ...string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *ingest.Error", err, err)
	}
	if e.File != file {
		t.Errorf("Error.File = %q, want %q", e.File, file)
	}
	for _, w := range want {
		if !strings.Contains(e.Msg, w) {
			t.Errorf("Error.Msg = %q, want it to contain %q", e.Msg, w)
		}
	}
	return e
}

// readers are the two OOXML readers, for tests that hold for both.
var readers = []struct {
	ext  string
	read func(string, []byte, Limits) (*Doc, error)
}{
	{".docx", ReadDOCX},
	{".xlsx", ReadXLSX},
}

func TestZipRejectsBadFiles(t *testing.T) {
	fixture, err := os.ReadFile("testdata/decomposition_002.docx")
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	cfb := []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 504))
	encrypted := append(append([]byte{}, cfb...), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...)

	var many []zipEntry
	for i := range maxZipEntries + 1 {
		many = append(many, zipEntry{name: fmt.Sprintf("media/%d.bin", i)})
	}
	var locked bytes.Buffer
	zw := zip.NewWriter(&locked)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, Flags: 0x1})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("secret"))
	zw.Close()

	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"文件为空"}},
		{"random bytes", random, []string{"不是有效的", "zip 结构损坏"}},
		{"plain text", []byte("2024年区政府工作报告重点工作目标任务分解\n"), []string{"zip 结构损坏"}},
		{"cut in half", fixture[:len(fixture)/2], []string{"zip 结构损坏", "不完整"}},
		{"last byte missing", fixture[:len(fixture)-1], []string{"zip 结构损坏"}},
		{"legacy doc or xls", cfb, []string{"旧版", "另存为"}},
		{"password protected", encrypted, []string{"密码"}},
		{"encrypted entry", locked.Bytes(), []string{"已加密"}},
		{"too many entries", ooxmlZip(t, many...), []string{"条目过多"}},
	}
	for _, r := range readers {
		for _, tt := range tests {
			t.Run(r.ext+"/"+tt.name, func(t *testing.T) {
				name := "bad" + r.ext
				doc, err := r.read(name, tt.data, DefaultLimits)
				if doc != nil {
					t.Errorf("got a Doc, want none")
				}
				wantError(t, err, name, tt.want...)
			})
		}
	}
}

func TestZipRejectsLargeFile(t *testing.T) {
	data, err := os.ReadFile("testdata/decomposition_002.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadXLSX("big.xlsx", data, Limits{MaxFileBytes: 10 << 10})
	wantError(t, err, "big.xlsx", "文件过大", "10 KB")
}

// bombZip returns a zip whose word/document.xml inflates to size bytes of
// zeros, written through a streaming compressor so the test holds only the
// compressed bytes.
func bombZip(t testing.TB, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for n := int64(0); n < size; n += int64(len(zeros)) {
		if _, err := w.Write(zeros[:min(int64(len(zeros)), size-n)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lyingZip returns a zip whose one part declares declared bytes but holds
// the deflated body.
func lyingZip(t testing.TB, part string, body []byte, declared uint64) []byte {
	t.Helper()
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
	fw.Write(body)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name:               part,
		Method:             zip.Deflate,
		CRC32:              crc32.ChecksumIEEE(body),
		CompressedSize64:   uint64(deflated.Len()),
		UncompressedSize64: declared,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestZipBomb(t *testing.T) {
	t.Run("300 MB of zeros", func(t *testing.T) {
		if testing.Short() {
			t.Skip("compressing 300 MB takes a while")
		}
		data := bombZip(t, 300<<20)
		var err error
		start := time.Now()
		n := allocated(func() { _, err = ReadDOCX("bomb.docx", data, DefaultLimits) })
		wantError(t, err, "bomb.docx", "word/document.xml", "解压后超过 256 MB", "压缩炸弹")
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v, want it to fail fast", d)
		}
		if n > 4<<20 {
			t.Errorf("allocated %d bytes, want little", n)
		}
	})
	t.Run("declares 10 GB", func(t *testing.T) {
		data := lyingZip(t, "xl/workbook.xml", make([]byte, 1<<20), 10<<30)
		var err error
		n := allocated(func() { _, err = ReadXLSX("bomb.xlsx", data, DefaultLimits) })
		wantError(t, err, "bomb.xlsx", "xl/workbook.xml", "压缩炸弹")
		if n > 1<<20 {
			t.Errorf("allocated %d bytes, want little", n)
		}
	})
	t.Run("declares less than it holds", func(t *testing.T) {
		data := lyingZip(t, "word/document.xml", make([]byte, 64<<20), 1000)
		var err error
		n := allocated(func() { _, err = ReadDOCX("bomb.docx", data, DefaultLimits) })
		wantError(t, err, "bomb.docx", "word/document.xml", "已损坏")
		if n > 1<<20 {
			t.Errorf("allocated %d bytes, want little", n)
		}
	})
	t.Run("over the limit in all", func(t *testing.T) {
		body := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p></w:body></w:document>`
		data := ooxmlZip(t,
			zipEntry{"word/document.xml", body + strings.Repeat(" ", 600<<10)},
			zipEntry{"word/footnotes.xml", strings.Repeat(" ", 600<<10)},
		)
		_, err := ReadDOCX("two.docx", data, Limits{MaxUnpackedBytes: 1 << 20})
		wantError(t, err, "two.docx", "超过 1 MB", "word/footnotes.xml")
	})
}

func TestZipReadsUpToTheLimit(t *testing.T) {
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>满</w:t></w:r></w:p></w:body></w:document>`
	data := ooxmlZip(t, zipEntry{"word/document.xml", doc})
	got, err := ReadDOCX("exact.docx", data, Limits{MaxUnpackedBytes: int64(len(doc))})
	if err != nil {
		t.Fatalf("ReadDOCX at the exact limit: %v", err)
	}
	if len(got.Blocks) != 1 || got.Blocks[0].Text != "满" {
		t.Errorf("ReadDOCX = %+v, want one paragraph 满", got.Blocks)
	}
	_, err = ReadDOCX("exact.docx", data, Limits{MaxUnpackedBytes: int64(len(doc)) - 1})
	wantError(t, err, "exact.docx", "压缩炸弹")
}

func TestSizeText(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{256 << 20, "256 MB"},
		{3 << 19, "1.5 MB"},
		{64 << 10, "64 KB"},
		{100, "100 字节"},
	}
	for _, tt := range tests {
		if got := sizeText(tt.n); got != tt.want {
			t.Errorf("sizeText(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// scanTokens returns the tokens of data read with xmlScanner, written as
// strings: "<ns:local a=v>", "</ns:local>", text. Adjacent text is joined and
// namespace declarations are left out, as in decodeTokens.
func scanTokens(data []byte) ([]string, error) {
	return scanTokensWindow(data, 0)
}

// scanTokensWindow is scanTokens reading data through a window of about
// window bytes, or whole for 0.
func scanTokensWindow(data []byte, window int) ([]string, error) {
	var toks []string
	var text []byte
	flush := func() {
		if len(text) > 0 {
			toks = append(toks, string(text))
			text = text[:0]
		}
	}
	s := newXMLScanner(data)
	if window > 0 {
		if err := s.stream(iotest.OneByteReader(bytes.NewReader(data)), window); err != nil {
			return nil, err
		}
	}
	for {
		tok, err := s.next()
		if err != nil {
			return toks, err
		}
		switch tok {
		case tokEOF:
			flush()
			return toks, nil
		case tokText:
			if text, err = s.appendText(text); err != nil {
				return toks, err
			}
		case tokStart:
			flush()
			var b strings.Builder
			fmt.Fprintf(&b, "<%d:%s", s.ns, s.localName())
			if err := s.readAttrs(); err != nil {
				return toks, err
			}
			for _, a := range s.attrs {
				prefix, local := s.bytes(a.prefix), string(s.bytes(a.local))
				if string(prefix) == "xmlns" || (len(prefix) == 0 && local == "xmlns") {
					continue
				}
				var ns xmlNS
				if len(prefix) > 0 {
					ns = s.resolve(a.prefix)
				}
				v, err := appendXMLText(nil, s.bytes(a.value), false)
				if err != nil {
					return toks, err
				}
				fmt.Fprintf(&b, " %d:%s=%q", ns, local, v)
			}
			b.WriteString(">")
			toks = append(toks, b.String())
		case tokEnd:
			flush()
			toks = append(toks, fmt.Sprintf("</%d:%s>", s.ns, s.localName()))
		}
	}
}

// decodeTokens returns the tokens of data read with encoding/xml, in the form
// of scanTokens.
func decodeTokens(data []byte) ([]string, error) {
	var toks []string
	var text []byte
	flush := func() {
		if len(text) > 0 {
			toks = append(toks, string(text))
			text = text[:0]
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			flush()
			return toks, nil
		}
		if err != nil {
			return toks, err
		}
		switch tok := tok.(type) {
		case xml.CharData:
			if depth > 0 {
				text = append(text, tok...)
			}
		case xml.StartElement:
			flush()
			depth++
			var b strings.Builder
			fmt.Fprintf(&b, "<%d:%s", xmlNamespaces[tok.Name.Space], tok.Name.Local)
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				fmt.Fprintf(&b, " %d:%s=%q", xmlNamespaces[a.Name.Space], a.Name.Local, a.Value)
			}
			b.WriteString(">")
			toks = append(toks, b.String())
		case xml.EndElement:
			flush()
			depth--
			toks = append(toks, fmt.Sprintf("</%d:%s>", xmlNamespaces[tok.Name.Space], tok.Name.Local))
		}
	}
}

// checkScannerAgrees fails t if data is well-formed for encoding/xml and the
// scanner reads it differently. The scanner may refuse what encoding/xml lets
// through (several roots, DTDs); it must never accept it differently.
func checkScannerAgrees(t *testing.T, data []byte) {
	t.Helper()
	got, gotErr := scanTokens(data)
	for _, window := range []int{1, 7, 64} {
		streamed, err := scanTokensWindow(data, window)
		if (err == nil) != (gotErr == nil) {
			t.Fatalf("through a window of %d bytes: error %v, read whole: %v", window, err, gotErr)
		}
		if err == nil {
			if diff := cmp.Diff(got, streamed); diff != "" {
				t.Errorf("tokens through a window of %d bytes differ from those read whole (-whole +window):\n%s", window, diff)
			}
		}
	}
	want, wantErr := decodeTokens(data)
	if gotErr != nil || wantErr != nil {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("xmlScanner tokens differ from encoding/xml (-want +got):\n%s", diff)
	}
}

// xmlSamples are small parts with what OOXML writers do: prefixes bound on
// the root or deeper, default namespaces, entities, CDATA, comments,
// processing instructions, odd spacing.
var xmlSamples = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">陈  平 </w:t></w:r></w:p></w:body></w:document>`,
	`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><si><t>第一行&#10;第二行 &amp; &lt;3&gt; &quot;&apos;&#x4E2D;</t></si></sst>`,
	`<a xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:p x:val='1' ><b xmlns:x="urn:other"><x:p/></b><x:p/></x:p ></a>`,
	`<a><![CDATA[<w:t>不是标签</w:t> & ]]>尾<!-- 注释 <w:p> -->巴</a>`,
	"<a attr=\"x>y\" b = 'q\"'>line\r\nbreak\rend</a>",
	`<?xml version="1.0"?><?mso-application progid="Word.Document"?><root/>`,
	`<r xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="t" Target="word/document.xml"/></r>`,
	"\xef\xbb\xbf<a>带 BOM</a>",
}

func TestXMLScannerAgreesWithEncodingXML(t *testing.T) {
	for i, sample := range xmlSamples {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			got, err := scanTokens([]byte(sample))
			if err != nil {
				t.Fatalf("scanner: %v", err)
			}
			if len(got) == 0 {
				t.Fatal("scanner read nothing")
			}
			checkScannerAgrees(t, []byte(sample))
		})
	}
	// Every part of the fixtures, as LibreOffice wrote them.
	for _, name := range []string{"decomposition_002.docx", "decomposition_002.xlsx", "ooxml_features.docx", "ooxml_features.xlsx"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			t.Run(name+"/"+f.Name, func(t *testing.T) {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				part, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := scanTokens(part); err != nil {
					t.Fatalf("scanner: %v", err)
				}
				if _, err := decodeTokens(part); err != nil {
					t.Fatalf("encoding/xml: %v", err)
				}
				checkScannerAgrees(t, part)
			})
		}
	}
}

func TestXMLScannerRejectsMalformed(t *testing.T) {
	tests := []struct {
		name, xml, want string
	}{
		{"empty", ``, "没有根元素"},
		{"unclosed", `<a><b></b>`, "结束之前中断"},
		{"mismatched", `<a><b></a></b>`, "不匹配"},
		{"stray end", `<a></a></b>`, "多余的结束标签"},
		{"two roots", `<a/><b/>`, "多个根元素"},
		{"text outside", `<a/>tail`, "根元素之外"},
		{"unquoted attribute", `<a b=1/>`, "没有引号"},
		{"attribute without value", `<a b/>`, "没有值"},
		{"unterminated value", `<a b="1/>`, "没有结束"},
		{"less-than in value", `<a b="<"/>`, "值中有 <"},
		{"unknown entity", `<a>&nbsp;</a>`, "未知的实体"},
		{"bare ampersand", `<a>R&D</a>`, "实体引用"},
		{"forbidden character reference", `<a>&#0;</a>`, "未知的实体"},
		{"control character", "<a>\x01</a>", "控制字符"},
		{"bad UTF-8", "<a>\xff</a>", "UTF-8"},
		{"DTD", `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`, "DTD"},
		{"UTF-16 declared", `<?xml version="1.0" encoding="UTF-16"?><a/>`, "UTF-16"},
		{"unterminated comment", `<a><!-- </a>`, "注释没有结束"},
		{"unterminated CDATA", `<a><![CDATA[ </a>`, "CDATA 没有结束"},
		{"cut in a tag", `<a><b c="1"`, "没有结束"},
		{"empty name", `<a>< b/></a>`, "标签名为空"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, window := range []int{0, 1, 7} {
				_, err := scanTokensWindow([]byte(tt.xml), window)
				var se *xmlSyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("window %d: error = %v, want an *xmlSyntaxError", window, err)
				}
				if !strings.Contains(se.msg, tt.want) {
					t.Errorf("window %d: error = %q, want it to contain %q", window, se.msg, tt.want)
				}
			}
		})
	}
}

func TestXMLScannerSkip(t *testing.T) {
	data := []byte(`<root><skip a=">" b='"'><x/><skip><!-- </skip> --><![CDATA[</skip>]]></skip><y z="1">t</y></skip><after k="v">文本</after></root>`)
	s := newXMLScanner(data)
	for _, want := range []string{"root", "skip"} {
		if tok, err := s.next(); err != nil || tok != tokStart || string(s.localName()) != want {
			t.Fatalf("next = %v %q, %v; want start of %s", tok, s.localName(), err, want)
		}
	}
	if err := s.skip(); err != nil {
		t.Fatalf("skip: %v", err)
	}
	tok, err := s.next()
	if err != nil || tok != tokStart || string(s.localName()) != "after" {
		t.Fatalf("after skip, next = %v %q, %v; want start of after", tok, s.localName(), err)
	}
	if v, _ := s.attr(nsNone, "k"); v != "v" {
		t.Errorf("attr k = %q, want v", v)
	}

	bad := []string{
		`<root><skip><x></skip></root>`,
		`<root><skip><x a="1></x></skip></root>`,
		`<root><skip><x>`,
	}
	for _, b := range bad {
		s := newXMLScanner([]byte(b))
		s.next()
		s.next()
		if err := s.skip(); err == nil {
			t.Errorf("skip of %s: no error, want one", b)
		}
	}
}
