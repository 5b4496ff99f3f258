package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The files of the probe of issue 15, built as the probe built them.

// hiddenRowsLedger returns the reporter's own editable ledger, exported by
// the server, with n rows added to its hidden sheet _duban, one cell each in
// column XFD.
func hiddenRowsLedger(t *testing.T, h *harness, n int) []byte {
	t.Helper()
	got := h.do(t, request{method: "GET", path: "/api/v1/exports/ledger?year=2024&editable=unit", as: "reporter"})
	if got.status != 200 {
		t.Fatalf("editable ledger: %s", got)
	}
	parts := unzipParts(t, got.body)
	m := regexp.MustCompile(`<sheet [^>]*name="_duban"[^>]*r:id="([^"]+)"`).FindStringSubmatch(parts["xl/workbook.xml"])
	if m == nil {
		t.Fatal("no hidden sheet in the exported ledger")
	}
	rel := regexp.MustCompile(`<Relationship [^>]*Id="` + m[1] + `"[^>]*Target="([^"]+)"`).FindStringSubmatch(parts["xl/_rels/workbook.xml.rels"])
	if rel == nil {
		t.Fatalf("no relationship %s", m[1])
	}
	part := "xl/" + strings.TrimPrefix(rel[1], "/xl/")
	var rows strings.Builder
	for i := range n {
		r := fmt.Sprint(100 + i)
		rows.WriteString(`<row r="` + r + `"><c r="XFD` + r + `" t="inlineStr"><is><t>x</t></is></c></row>`)
	}
	parts[part] = strings.Replace(parts[part], "</sheetData>", rows.String()+"</sheetData>", 1)
	return zipParts(t, parts)
}

// mergeWorkbook returns a small .xlsx whose one sheet has a title in A1, a
// value in far (if any) and one merge over the whole grid, A1:XFD1048576.
func mergeWorkbook(t *testing.T, far string) []byte {
	t.Helper()
	farRow := ""
	if far != "" {
		farRow = `<row r="1048576"><c r="` + far + `" t="inlineStr"><is><t>末行</t></is></c></row>`
	}
	return zipParts(t, map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"_rels/.rels":                `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="任务" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>2024年重点工作任务分解表</t></is></c></row>` + farRow +
			`</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>`,
	})
}

// paragraphsDocument is a .docx of 0.6 MB whose document.xml unpacks to
// 200 MB: five million paragraphs of three characters. Read whole, it cost
// 600 MB of heap before it was refused.
func paragraphsDocument(t *testing.T) []byte {
	t.Helper()
	return zipParts(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			strings.Repeat(`<w:p><w:r><w:t>一二三</w:t></w:r></w:p>`, 5_000_000) + `</w:body></w:document>`,
	})
}

func unzipParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	return parts
}

func zipParts(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// post sends a multipart upload of file to path with the session of a
// fixture user (taken beforehand with h.session), safe to call from several
// goroutines. It returns the status, the Retry-After header and the body.
func post(h *harness, session, path, fileName string, file []byte) (int, string, string, error) {
	var buf bytes.Buffer
	body, ct := uploadBody(&buf, fileName, file)
	req, err := http.NewRequest("POST", h.srv.URL+path, body)
	if err != nil {
		return 0, "", "", err
	}
	req.Header.Set("Content-Type", ct)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(b), err
}

func uploadBody(buf *bytes.Buffer, fileName string, file []byte) (io.Reader, string) {
	mw := multipart.NewWriter(buf)
	fw, _ := mw.CreateFormFile("file", fileName)
	fw.Write(file)
	mw.Close()
	return bytes.NewReader(buf.Bytes()), mw.FormDataContentType()
}

// attack is one file of the probe, where it is posted and what the answer
// must say.
type attack struct {
	name, path, as, file string
	data                 []byte
	want                 string
}

func probeAttacks(t *testing.T, h *harness) []attack {
	t.Helper()
	ledger := hiddenRowsLedger(t, h, 200_000)
	t.Logf("ledger with 200,000 hidden rows: %d bytes", len(ledger))
	const hidden = "台账的隐藏信息表（_duban）被改动"
	return []attack{
		{"hidden rows, preview", "/api/v1/ledger/edits/preview", "reporter", "台账.xlsx", ledger, hidden},
		{"hidden rows, apply", "/api/v1/ledger/edits", "reporter", "台账.xlsx", ledger, hidden},
		{"hidden rows, page", "/ledger/edits/preview", "reporter", "台账.xlsx", ledger, hidden},
		{"merge over the grid", "/api/v1/documents/preview", "admin", "分解.xlsx", mergeWorkbook(t, ""), "合并单元格过大（A1:XFD1048576"},
		{"merge over the grid, value in the last row", "/api/v1/documents/preview", "admin", "分解.xlsx", mergeWorkbook(t, "XFD1048576"),
			"合并单元格过大（A1:XFD1048576"},
		{"paragraphs unpacked to 200 MB", "/api/v1/documents/preview", "admin", "分解.docx", paragraphsDocument(t), "文档过大"},
	}
}

// TestUploadProbeRefused posts each file of the probe over HTTP and checks it
// is refused with a clear message. The memory it may take is checked in
// upload_memory_test.go, without the race detector.
func TestUploadProbeRefused(t *testing.T) {
	h := newHarness(t, Config{})
	for _, a := range probeAttacks(t, h) {
		t.Run(a.name, func(t *testing.T) {
			status, _, body, err := post(h, h.session(t, a.as), a.path, a.file, a.data)
			if err != nil {
				t.Fatal(err)
			}
			if status < 400 || status >= 500 || !strings.Contains(body, a.want) {
				t.Errorf("%s: %d %.300s, want 4xx with %q", a.path, status, body, a.want)
			}
		})
	}
}

func TestUploadGateBusy(t *testing.T) {
	h := newHarness(t, Config{UploadConcurrency: 1, UploadWait: 20 * time.Millisecond})
	session := h.session(t, "reporter")
	// The first upload takes the only slot and holds it while its body
	// trickles in.
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", h.srv.URL+"/api/v1/ledger/edits/preview", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	pw.Write([]byte("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK"))
	t.Cleanup(func() { pw.Close(); <-done })

	deadline := time.Now().Add(10 * time.Second)
	for _, path := range []string{"/api/v1/ledger/edits/preview", "/api/v1/ledger/edits", "/ledger/edits/preview"} {
		for {
			status, retry, body, err := post(h, session, path, "台账.xlsx", []byte("PK\x03\x04"))
			if err != nil {
				t.Fatal(err)
			}
			if status == http.StatusServiceUnavailable {
				if retry != "1" || !strings.Contains(body, "服务器正在处理其他上传的文件，请稍后重试") {
					t.Errorf("%s: Retry-After %q, body %.300s", path, retry, body)
				}
				if strings.HasPrefix(path, "/api/") && !strings.Contains(body, `"code":"busy"`) {
					t.Errorf("%s: %s, want a JSON error with code busy", path, body)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d %.300s, want 503 while the slot is taken", path, status, body)
			}
			time.Sleep(5 * time.Millisecond) // the first upload has not taken its slot yet
		}
	}
	// Other kinds have their own gates.
	status, _, body, err := post(h, h.session(t, "admin"), "/api/v1/documents/preview", "a.txt", []byte("没有任务"))
	if err != nil {
		t.Fatal(err)
	}
	if status == http.StatusServiceUnavailable {
		t.Errorf("document preview: %d %s, want its own gate", status, body)
	}
}
