package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestExportPages: the pages offer the files each role may have, the
// links answer with the files, and a failure is a page, not JSON.
func TestExportPages(t *testing.T) {
	h := reportingHarness(t)
	if got := h.do(t, importRequest(t, h, "admin", readTestdata(t, "001_9361f94df469906e.txt"))); got.status != 201 {
		t.Fatalf("import 001: %s", got)
	}
	links := regexp.MustCompile(`href="(/export/[^"]+)"`)
	for _, tt := range []struct {
		as, page string
		want     []string // links the page must offer
		not      string   // a link it must not
	}{
		{"supervisor", "/tasks?year=2024", []string{"/export/ledger?year=2024", "/export/ledger?year=2024&sheets=unit", "/export/ledger?year=2024&editable=office"}, "editable=unit"},
		{"reporter", "/tasks?year=2024", []string{"/export/ledger?year=2024&editable=unit"}, "editable=office"},
		{"viewer", "/tasks?year=2024", []string{"/export/ledger?year=2024"}, "editable="},
		{"reporter", "/portal", []string{"/export/unit-tasks?year=2024", "/export/ledger?editable=unit&year=2024"}, "bulletin"},
		{"leader", "/dashboard?year=2024", []string{"/export/ledger?year=2024"}, "editable="},
		{"viewer", "/indicators", []string{"/export/targets?year=2021"}, "ledger"},
	} {
		page := h.pageGet(t, tt.as, tt.page)
		if page.status != 200 {
			t.Fatalf("%s as %s: %d", tt.page, tt.as, page.status)
		}
		var found []string
		for _, m := range links.FindAllStringSubmatch(page.text(), -1) {
			found = append(found, m[1])
		}
		for _, w := range tt.want {
			if !slices.Contains(found, w) {
				t.Errorf("%s as %s offers %v, not %s", tt.page, tt.as, found, w)
			}
		}
		for _, l := range found {
			if strings.Contains(l, tt.not) {
				t.Errorf("%s as %s offers %s", tt.page, tt.as, l)
			}
			got := h.pageGet(t, tt.as, l)
			if got.status != 200 || !bytes.HasPrefix(got.body, []byte("PK\x03\x04")) {
				t.Errorf("%s as %s: %d %.200s", l, tt.as, got.status, got.body)
			}
		}
	}
	if !strings.Contains(h.pageGet(t, "leader", "/dashboard?year=2024").text(), `action="/export/bulletin"`) {
		t.Error("the dashboard has no bulletin form")
	}
	got := h.pageGet(t, "leader", "/export/bulletin?year=2024&period="+url.QueryEscape("2024年3月"))
	if got.status != 200 || got.header.Get("Content-Type") != docxType {
		t.Errorf("bulletin: %d %s", got.status, got.header.Get("Content-Type"))
	}
	for _, bad := range []struct {
		as, path string
		status   int
	}{
		{"leader", "/export/targets?year=2030", http.StatusNotFound},
		{"reporter", "/export/bulletin?year=2024", http.StatusForbidden},
		{"reporter", "/export/ledger?editable=office", http.StatusForbidden},
		{"viewer", "/export/ledger?sheets=nonsense", http.StatusBadRequest},
	} {
		got := h.pageGet(t, bad.as, bad.path)
		if got.status != bad.status || !strings.HasPrefix(got.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s as %s: %d %s, want %d as a page", bad.path, bad.as, got.status, got.header.Get("Content-Type"), bad.status)
		}
	}
}

// TestLedgerEditsWizard: a unit exports its sheet, fills it in a
// spreadsheet program, uploads it, sees the change, ticks it and applies
// it; its report of the cycle is then that draft. A stale file's change is
// shown as a conflict and cannot be ticked; a file that is no ledger is
// refused on the upload form.
func TestLedgerEditsWizard(t *testing.T) {
	h := reportingHarness(t)
	if got := h.do(t, importRequest(t, h, "admin", readTestdata(t, "001_9361f94df469906e.txt"))); got.status != 201 {
		t.Fatalf("import 001: %s", got)
	}
	sheet := h.pageGet(t, "reporter", "/export/ledger?year=2024&editable=unit")
	if sheet.status != 200 {
		t.Fatalf("the unit's sheet: %d", sheet.status)
	}
	edited := editLedger(t, sheet.body, "地区生产总值", "进展情况", "离线填写：一季度增长5.9%", "社会消费品零售总额")
	body, ct := upload(t, "台账.xlsx", edited, nil)
	prev := h.do(t, request{method: "POST", path: "/ledger/edits/preview", as: "reporter", body: body, contentType: ct, offContract: true})
	if prev.status != 200 || !strings.Contains(prev.text(), "离线填写：一季度增长5.9%") || !strings.Contains(prev.text(), "共 1 项任务有修改，其中 0 项有冲突") {
		t.Fatalf("preview: %d\n%s", prev.status, prev.text())
	}
	task := regexp.MustCompile(`name="task" value="(\d+)" checked`).FindStringSubmatch(string(prev.body))
	if task == nil {
		t.Fatal("the change is not ticked")
	}
	form := url.Values{"data": {field(t, prev, "data")}, "task": {task[1]}}
	done := h.pagePost(t, "reporter", "/ledger/edits", form)
	if done.status != 200 || !strings.Contains(done.text(), "已写入 1 项任务的修改") {
		t.Fatalf("apply: %d\n%s", done.status, done.text())
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter"}); !strings.Contains(string(got.body), "离线填写") {
		t.Errorf("the draft after applying: %s", got)
	}

	// The draft moves on in the application: the file is stale now.
	var draft struct {
		Version int `json:"version"`
	}
	h.do(t, request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter"}).decode(t, &draft)
	if got := h.do(t, request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter",
		body: map[string]any{"progress": "在系统里又改了", "version": draft.Version}}); got.status != 200 {
		t.Fatalf("save: %s", got)
	}
	prev = h.do(t, request{method: "POST", path: "/ledger/edits/preview", as: "reporter", body: body, contentType: ct, offContract: true})
	if !strings.Contains(prev.text(), "其中 1 项有冲突") || !regexp.MustCompile(`name="task" value="\d+" disabled`).Match(prev.body) {
		t.Errorf("a stale file's change is not a conflict:\n%s", prev.text())
	}
	// Posting the conflicting task anyway changes nothing.
	form.Set("data", field(t, prev, "data"))
	done = h.pagePost(t, "reporter", "/ledger/edits", form)
	if !strings.Contains(done.text(), "已写入 0 项任务的修改") || !strings.Contains(done.text(), "未写入的修改") {
		t.Errorf("applying a conflict: %s", done.text())
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter"}); !strings.Contains(string(got.body), "在系统里又改了") {
		t.Errorf("the newer draft was overwritten: %s", got)
	}

	junk, jct := upload(t, "x.xlsx", []byte("not a workbook"), nil)
	got := h.do(t, request{method: "POST", path: "/ledger/edits/preview", as: "reporter", body: junk, contentType: jct, offContract: true})
	if got.status != http.StatusBadRequest || !strings.Contains(got.text(), "field-error") {
		t.Errorf("a file that is no ledger: %d\n%.800s", got.status, got.text())
	}
}
