package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"duban"
)

// TestConcurrentTaskEdit: two editors save the same version at once; one
// wins, the other gets 409 with the task as the winner left it.
func TestConcurrentTaskEdit(t *testing.T) {
	h := newHarness(t, Config{})
	h.session(t, "admin")
	h.session(t, "supervisor")
	var wg sync.WaitGroup
	results := make([]response, 2)
	start := make(chan struct{})
	for i, who := range []string{"admin", "supervisor"} {
		wg.Go(func() {
			<-start
			results[i] = h.do(t, request{method: "PATCH", path: "/api/v1/tasks/{task_edit}", as: who,
				body: fmt.Sprintf(`{"version":1,"note":"%s 的修改"}`, who)})
		})
	}
	close(start)
	wg.Wait()

	var ok, conflict *response
	for i := range results {
		switch results[i].status {
		case 200:
			ok = &results[i]
		case 409:
			conflict = &results[i]
		}
	}
	if ok == nil || conflict == nil {
		t.Fatalf("want one 200 and one 409, got %s and %s", results[0], results[1])
	}
	var saved duban.Task
	ok.decode(t, &saved)
	var body conflictBody
	conflict.decode(t, &body)
	if body.Error.Code != duban.CodeConflict || body.Current == nil {
		t.Fatalf("409 body %s", conflict.body)
	}
	if body.Current.Version != 2 || body.Current.Note != saved.Note || saved.Version != 2 {
		t.Errorf("409 current version %d note %q; the saved task has version %d note %q",
			body.Current.Version, body.Current.Note, saved.Version, saved.Note)
	}
	// The loser retries with the current version and wins.
	retry := h.do(t, request{method: "PATCH", path: "/api/v1/tasks/{task_edit}", as: "admin", body: `{"version":2,"note":"合并后的修改"}`})
	if retry.status != 200 || !strings.Contains(string(retry.body), `"version":3`) {
		t.Errorf("retry: %s", retry)
	}
}

// TestMutationsAreAudited: every change made through the API leaves an entry
// in the audit log, with the actor.
func TestMutationsAreAudited(t *testing.T) {
	h := newHarness(t, Config{})
	created := func(r response) int64 {
		t.Helper()
		var v struct {
			ID         int64 `json:"id"`
			DocumentID int64 `json:"document_id"`
			APIToken   *struct {
				ID int64 `json:"id"`
			} `json:"api_token"`
		}
		r.decode(t, &v)
		switch {
		case v.APIToken != nil:
			return v.APIToken.ID
		case v.DocumentID != 0:
			return v.DocumentID
		}
		return v.ID
	}
	mutations := []struct {
		name   string
		req    func() request
		entity string
		id     int64 // 0: the ID in the answer
		org    string
	}{
		{"org create", func() request {
			return request{method: "POST", path: "/api/v1/orgs", body: `{"name":"解放碑街道"}`}
		}, "org", 0, "new"},
		{"unit create", func() request { return request{method: "POST", path: "/api/v1/units", body: `{"name":"区财政局"}`} }, "unit", 0, ""},
		{"unit update", func() request {
			return request{method: "PATCH", path: "/api/v1/units/{unit_a}", body: `{"aliases":["发改委"]}`}
		}, "unit", h.ids["unit_a"], ""},
		{"person create", func() request { return request{method: "POST", path: "/api/v1/people", body: `{"name":"陈平"}`} }, "person", 0, ""},
		{"task update", func() request {
			return request{method: "PATCH", path: "/api/v1/tasks/{task_a}", body: `{"version":1,"note":"备注"}`}
		}, "task", h.ids["task_a"], ""},
		{"user create", func() request {
			return request{method: "POST", path: "/api/v1/users", body: `{"username":"clerk","password":"long enough 1","role":"viewer"}`}
		}, "user", 0, ""},
		{"user update", func() request {
			return request{method: "PATCH", path: "/api/v1/users/{user_viewer}", body: `{"display_name":"人大办"}`}
		}, "user", h.ids["user_viewer"], ""},
		{"token create", func() request { return request{method: "POST", path: "/api/v1/tokens", body: `{"name":"脚本"}`} }, "api_token", 0, ""},
		{"document import", func() request { return importRequest(t, h, "admin", readTestdata(t, "002_df832bfe8d5b9f39.txt")) }, "document", 0, ""},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			req := m.req()
			req.as = "admin"
			got := h.do(t, req)
			if got.status >= 300 {
				t.Fatalf("%s: %s", m.name, got)
			}
			id := m.id
			if id == 0 {
				id = created(got)
			}
			orgID := h.ids["org_a"]
			if m.org == "new" {
				orgID = id
			}
			entries, _, err := h.store.FindAudit(context.Background(), duban.AuditFilter{OrgID: orgID, Entity: &m.entity, EntityID: &id})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) == 0 {
				t.Fatalf("no audit entry for %s %d", m.entity, id)
			}
			if e := entries[0]; e.ActorID != h.ids["user_admin"] || e.Actor != "admin" {
				t.Errorf("audit entry by %d %q, want the admin", e.ActorID, e.Actor)
			}
		})
	}
	// The API shows the same log.
	got := h.do(t, request{method: "GET", path: "/api/v1/audit?entity=task&entity_id={task_a}", as: "supervisor"})
	if got.status != 200 || !strings.Contains(string(got.body), "task.update") {
		t.Errorf("GET /audit: %s", got)
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importRequest previews a document as user as and returns the request that
// confirms it, acknowledging an issuer or a year that is not the district's
// (the fixtures import the seeds of other years).
func importRequest(t *testing.T, h *harness, as string, data []byte) request {
	t.Helper()
	body, ct := upload(t, "002.txt", data, nil)
	got := h.do(t, request{method: "POST", path: "/api/v1/documents/preview", as: as, body: body, contentType: ct})
	if got.status != 200 {
		t.Fatalf("preview: %s", got)
	}
	var p struct {
		Fingerprint string            `json:"fingerprint"`
		Mismatches  []json.RawMessage `json:"mismatches"`
	}
	got.decode(t, &p)
	fields := map[string]string{"fingerprint": p.Fingerprint}
	if len(p.Mismatches) > 0 {
		fields["acknowledge"] = "true"
	}
	body, ct = upload(t, "002.txt", data, fields)
	return request{method: "POST", path: "/api/v1/documents", as: as, body: body, contentType: ct}
}

// TestDocumentImport goes through preview, confirmation and download of a
// real decomposition.
func TestDocumentImport(t *testing.T) {
	h := newHarness(t, Config{})
	data := readTestdata(t, "002_df832bfe8d5b9f39.txt")
	body, ct := upload(t, "002.txt", data, map[string]string{"merges": "{}"})
	got := h.do(t, request{method: "POST", path: "/api/v1/documents/preview", as: "admin", body: body, contentType: ct})
	if got.status != 200 {
		t.Fatalf("preview: %s", got)
	}
	var preview struct {
		Fingerprint string            `json:"fingerprint"`
		Kind        string            `json:"kind"`
		Created     []json.RawMessage `json:"created"`
		Updated     []json.RawMessage `json:"updated"`
	}
	got.decode(t, &preview)
	if preview.Kind != "decomposition" || preview.Fingerprint == "" || len(preview.Created)+len(preview.Updated) != 194 {
		t.Errorf("preview: kind %q, fingerprint %q, %d created and %d updated; want 194 tasks",
			preview.Kind, preview.Fingerprint, len(preview.Created), len(preview.Updated))
	}
	if got, _ := h.store.FindDocuments(context.Background(), h.ids["org_a"]); len(got) != 1 {
		t.Errorf("a preview wrote a document: %d documents", len(got))
	}

	stale, ct := upload(t, "002.txt", data, map[string]string{"fingerprint": "stale"})
	if got := h.do(t, request{method: "POST", path: "/api/v1/documents", as: "admin", body: stale, contentType: ct}); got.status != 409 {
		t.Errorf("confirm with a stale fingerprint: %s, want 409", got)
	}
	noPrint, ct := upload(t, "002.txt", data, nil)
	if got := h.do(t, request{method: "POST", path: "/api/v1/documents", as: "admin", body: noPrint, contentType: ct, offContract: true}); got.status != 400 {
		t.Errorf("confirm without a fingerprint: %s, want 400", got)
	}

	body, ct = upload(t, "002.txt", data, map[string]string{"fingerprint": preview.Fingerprint, "merges": "{}"})
	got = h.do(t, request{method: "POST", path: "/api/v1/documents", as: "admin", body: body, contentType: ct})
	if got.status != 201 {
		t.Fatalf("confirm: %s", got)
	}
	var res duban.ImportResult
	got.decode(t, &res)
	if res.TasksCreated+res.TasksUpdated != 194 || got.header.Get("Location") != fmt.Sprintf("/api/v1/documents/%d", res.DocumentID) {
		t.Errorf("import result %+v, Location %q", res, got.header.Get("Location"))
	}
	content := h.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/documents/%d/content", res.DocumentID), as: "reporter"})
	if content.status != 200 || !bytes.Equal(content.body, data) {
		t.Errorf("content: %d, %d bytes; want the %d bytes uploaded", content.status, len(content.body), len(data))
	}
	if cd := content.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "002.txt") {
		t.Errorf("Content-Disposition %q", cd)
	}
	etag := content.header.Get("ETag")
	notModified := h.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/documents/%d/content", res.DocumentID), as: "reporter",
		header: http.Header{"If-None-Match": {etag}}})
	if notModified.status != 304 {
		t.Errorf("If-None-Match %s: %d, want 304", etag, notModified.status)
	}
	tasks := h.do(t, request{method: "GET", path: "/api/v1/tasks?year=2024&limit=500", as: "viewer"})
	if !strings.Contains(string(tasks.body), `"total":194`) {
		t.Errorf("tasks after the import: %.300s", tasks.body)
	}

	again := h.do(t, request{method: "POST", path: "/api/v1/documents/preview", as: "admin", body: body, contentType: ct})
	if again.status != 200 && again.status != 409 {
		t.Errorf("previewing the same file again: %s", again)
	}
}

func TestUploadErrors(t *testing.T) {
	h := newHarness(t, Config{MaxUploadBytes: 4 << 10})
	preview := func(name string, data []byte) response {
		body, ct := upload(t, name, data, nil)
		return h.do(t, request{method: "POST", path: "/api/v1/documents/preview", as: "admin", body: body, contentType: ct})
	}
	if got := preview("big.txt", bytes.Repeat([]byte("任务"), 4<<10)); got.status != 413 || !strings.Contains(string(got.body), "上限为 4 KB") {
		t.Errorf("upload over the limit: %s, want 413 naming the limit", got)
	}
	if got := preview("empty.txt", nil); got.status != 400 || !strings.Contains(string(got.body), "为空") {
		t.Errorf("empty upload: %s, want 400", got)
	}
	if got := preview("junk.docx", []byte("PK\x03\x04 not a zip")); got.status != 400 {
		t.Errorf("broken .docx: %s, want 400", got)
	}
	body, ct := upload(t, "a.txt", []byte("一、测试\n"), map[string]string{"merges": "[1,2]"})
	if got := h.do(t, request{method: "POST", path: "/api/v1/documents/preview", as: "admin", body: body, contentType: ct}); got.status != 400 || !strings.Contains(string(got.body), "merges") {
		t.Errorf("merges not an object: %s, want 400", got)
	}
	big := `{"name":"` + strings.Repeat("长", maxJSONBytes/3+1) + `"}`
	if got := h.do(t, request{method: "POST", path: "/api/v1/units", as: "admin", body: big, offContract: true}); got.status != 413 {
		t.Errorf("JSON body over 1 MB: %d, want 413", got.status)
	}
}
