package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"duban"
)

// reportingHarness is the harness with the year 2024 scheduled monthly (due
// on the 28th) and the clock on 1 March 2024.
func reportingHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, Config{})
	got := h.do(t, request{method: "PUT", path: "/api/v1/schedule", as: "admin",
		body: `{"year":2024,"kind":"monthly","day":28,"grace_days":2,"shift":"before"}`})
	if got.status != 200 {
		t.Fatalf("schedule: %s", got)
	}
	var sr struct {
		Cycles []duban.Cycle `json:"cycles"`
	}
	got.decode(t, &sr)
	if len(sr.Cycles) != 12 {
		t.Fatalf("%d cycles", len(sr.Cycles))
	}
	for i, c := range sr.Cycles {
		h.ids[fmt.Sprintf("cycle%d", i+1)] = c.ID
	}
	return h
}

// TestReportingRoles: who may do what in the reporting loop, over real HTTP.
func TestReportingRoles(t *testing.T) {
	h := reportingHarness(t)
	draft := `{"progress":"一季度增长5.8%","problems":"消费偏弱","next_steps":"抓项目","percent":20,"version":0}`
	tests := []struct {
		name   string
		req    request
		status int
		want   string
	}{
		{"supervisor may not set the schedule", request{method: "PUT", path: "/api/v1/schedule", as: "supervisor", body: `{"year":2024,"kind":"monthly","day":28}`}, 403, ""},
		{"a bad schedule", request{method: "PUT", path: "/api/v1/schedule", as: "admin", body: `{"year":2024,"kind":"weekly"}`, offContract: true}, 400, ""},
		{"a bad calendar date", request{method: "PUT", path: "/api/v1/calendar", as: "admin", body: `{"days":[{"date":"2024-13-01"}]}`, offContract: true}, 400, "2024-13-01"},
		{"a supervisor may not submit for a unit", request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle1}/submit", as: "supervisor", body: draft}, 403, ""},
		{"an admin may not write a unit's report", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "admin", body: draft}, 403, ""},
		{"a leader may not edit", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "leader", body: draft}, 403, ""},
		{"a viewer may not edit", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "viewer", body: draft}, 403, ""},
		{"another unit sees no such task", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "reporter_b", body: draft}, 404, ""},
		{"a responsible unit does not write the report", request{method: "PUT", path: "/api/v1/tasks/{task_ab}/reports/{cycle1}", as: "reporter_b", body: draft}, 403, "配合"},
		{"the lead unit saves a draft", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "reporter", body: draft}, 200, `"status":"draft"`},
		{"a stale draft", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "reporter", body: draft}, 409, "版本"},
		{"an unknown field", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "reporter", body: `{"progres":"x"}`, offContract: true}, 400, "progres"},
		{"percent over 100", request{method: "PUT", path: "/api/v1/tasks/{task_b}/reports/{cycle1}", as: "reporter_b", body: `{"percent":101}`, offContract: true}, 400, ""},
		{"the office does not read drafts", request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "supervisor"}, 404, ""},
		{"the unit reads its draft", request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "reporter"}, 200, "一季度"},
		{"a responsible unit contributes", request{method: "PUT", path: "/api/v1/tasks/{task_ab}/contributions/{cycle1}", as: "reporter_b", body: `{"progress":"商务委部分"}`}, 200, "区商务委"},
		{"the lead unit may not contribute", request{method: "PUT", path: "/api/v1/tasks/{task_ab}/contributions/{cycle1}", as: "reporter", body: `{"progress":"x"}`}, 403, ""},
		{"the unit submits", request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle1}/submit", as: "reporter", body: `{"progress":"一季度增长5.8%","percent":20,"version":1}`}, 200, `"status":"submitted"`},
		{"a leader reads the submitted report", request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle1}", as: "leader"}, 200, `"late":true`},
		{"the office lists what waits for review", request{method: "GET", path: "/api/v1/reports?status=submitted", as: "supervisor"}, 200, `"total":1`},
		{"a bad status filter", request{method: "GET", path: "/api/v1/reports?status=lost", as: "supervisor", offContract: true}, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(t, tt.req)
			if got.status != tt.status || !strings.Contains(string(got.body), tt.want) {
				t.Errorf("%s %s as %s: %s; want %d with %q", tt.req.method, tt.req.path, tt.req.as, got, tt.status, tt.want)
			}
		})
	}

	var page struct {
		Reports []duban.Report `json:"reports"`
	}
	h.do(t, request{method: "GET", path: "/api/v1/reports?task_id={task_a}", as: "supervisor"}).decode(t, &page)
	if len(page.Reports) != 1 {
		t.Fatalf("reports of task_a: %d", len(page.Reports))
	}
	h.ids["report_a"] = page.Reports[0].ID
	review := []struct {
		name   string
		req    request
		status int
		want   string
	}{
		{"a unit cannot approve", request{method: "POST", path: "/api/v1/reports/{report_a}/reviews", as: "reporter", body: `{"decision":"approve"}`}, 403, ""},
		{"a leader cannot approve", request{method: "POST", path: "/api/v1/reports/{report_a}/reviews", as: "leader", body: `{"decision":"approve"}`}, 403, ""},
		{"a return needs a comment", request{method: "POST", path: "/api/v1/reports/{report_a}/reviews", as: "supervisor", body: `{"decision":"return"}`}, 400, "意见"},
		{"the office returns it", request{method: "POST", path: "/api/v1/reports/{report_a}/reviews", as: "supervisor", body: `{"decision":"return","comment":"请补充数据","quality":2}`}, 200, `"status":"returned"`},
		{"the unit is told", request{method: "GET", path: "/api/v1/notifications?unread=true", as: "reporter"}, 200, "退回"},
		{"the unit resubmits", request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle1}/submit", as: "reporter", body: `{"progress":"一季度增长5.8%，投资40亿元","percent":100,"version":3}`}, 200, `"status":"submitted"`},
		{"the office approves", request{method: "POST", path: "/api/v1/reports/{report_a}/reviews", as: "supervisor", body: `{"decision":"approve","quality":4}`}, 200, `"status":"approved"`},
		{"approving twice", request{method: "POST", path: "/api/v1/reports/{report_a}/reviews", as: "supervisor", body: `{"decision":"approve"}`}, 409, ""},
		{"the task is done", request{method: "GET", path: "/api/v1/tasks/{task_a}", as: "viewer"}, 200, `"status":"done"`},
		{"February copies January's text", request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle2}/previous", as: "reporter"}, 200, "投资40亿元"},
		{"January has nothing before it", request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle1}/previous", as: "reporter"}, 404, ""},
	}
	for _, tt := range review {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(t, tt.req)
			if got.status != tt.status || !strings.Contains(string(got.body), tt.want) {
				t.Errorf("%s %s as %s: %s; want %d with %q", tt.req.method, tt.req.path, tt.req.as, got, tt.status, tt.want)
			}
		})
	}
}

// TestEvidenceClosureExtensionNotice goes through evidence, closure (销号),
// an extension (延期) and a supervision notice (督办单).
func TestEvidenceClosureExtensionNotice(t *testing.T) {
	h := reportingHarness(t)
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
	body, ct := upload(t, "完成情况.pdf", pdf, nil)
	got := h.do(t, request{method: "POST", path: "/api/v1/tasks/{task_a}/evidence", as: "reporter", body: body, contentType: ct})
	if got.status != 201 {
		t.Fatalf("evidence: %s", got)
	}
	var ev duban.Evidence
	got.decode(t, &ev)
	h.ids["evidence"] = ev.ID
	if ev.ContentType != "application/pdf" || ev.Size != int64(len(pdf)) {
		t.Errorf("evidence = %+v", ev)
	}
	exe, ct2 := upload(t, "伪装.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00 this program cannot be run"), nil)
	if got := h.do(t, request{method: "POST", path: "/api/v1/tasks/{task_a}/evidence", as: "reporter", body: exe, contentType: ct2}); got.status != 400 {
		t.Errorf("an executable renamed .pdf: %s", got)
	}
	script, ct3 := upload(t, "a.html", []byte("<script>alert(1)</script>"), nil)
	if got := h.do(t, request{method: "POST", path: "/api/v1/tasks/{task_a}/evidence", as: "reporter", body: script, contentType: ct3}); got.status != 400 {
		t.Errorf("an HTML file: %s", got)
	}
	dl := h.do(t, request{method: "GET", path: "/api/v1/evidence/{evidence}/content", as: "viewer"})
	if dl.status != 200 || string(dl.body) != string(pdf) || dl.header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %d %q %v", dl.status, dl.body, dl.header)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/evidence/{evidence}/content", as: "reporter_b"}); got.status != 404 {
		t.Errorf("another unit downloads: %s", got)
	}

	steps := []struct {
		name   string
		req    request
		status int
		want   string
	}{
		{"closing before approval", request{method: "POST", path: "/api/v1/tasks/{task_a}/close", as: "supervisor", body: `{"reason":"完成"}`}, 409, "审核通过"},
		{"submit", request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle2}/submit", as: "reporter", body: `{"progress":"全部完成","percent":100}`}, 200, ""},
		{"a unit may not close", request{method: "POST", path: "/api/v1/tasks/{task_a}/close", as: "reporter", body: `{"reason":"完成"}`}, 403, ""},
		{"extension by the lead unit", request{method: "POST", path: "/api/v1/tasks/{task_b}/extensions", as: "reporter_b", body: `{"reason":"资金未到位","new_deadline":"2025-03-31"}`}, 201, `"status":"pending"`},
		{"a deadline in the past", request{method: "POST", path: "/api/v1/tasks/{task_b}/extensions", as: "reporter_b", body: `{"reason":"x","new_deadline":"2024-01-01"}`}, 400, ""},
		{"the office lists pending requests", request{method: "GET", path: "/api/v1/extensions?status=pending", as: "supervisor"}, 200, `"total":1`},
		{"notice to the lead unit", request{method: "POST", path: "/api/v1/notices", as: "supervisor", body: `{"task_id":{task_b},"title":"督促加快进度","body":"请说明原因","deadline":"2024-03-10"}`}, 201, "督办〔2024〕1号"},
		{"a unit may not issue notices", request{method: "POST", path: "/api/v1/notices", as: "reporter", body: `{"task_id":{task_b},"title":"x","deadline":"2024-03-10"}`}, 403, ""},
		{"the unit sees its notice", request{method: "GET", path: "/api/v1/notices?status=open", as: "reporter_b"}, 200, "督促加快进度"},
		{"the unit's notifications", request{method: "GET", path: "/api/v1/notifications", as: "reporter_b"}, 200, "督办"},
		{"read them all", request{method: "POST", path: "/api/v1/notifications/read", as: "reporter_b"}, 204, ""},
		{"none unread", request{method: "GET", path: "/api/v1/notifications", as: "reporter_b"}, 200, `"unread":0`},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(t, tt.req)
			if got.status != tt.status || !strings.Contains(string(got.body), tt.want) {
				t.Errorf("%s %s as %s: %s; want %d with %q", tt.req.method, tt.req.path, tt.req.as, got, tt.status, tt.want)
			}
		})
	}

	var reports struct {
		Reports []duban.Report `json:"reports"`
	}
	h.do(t, request{method: "GET", path: "/api/v1/reports?task_id={task_a}&status=submitted", as: "supervisor"}).decode(t, &reports)
	h.ids["report"] = reports.Reports[0].ID
	var xs struct {
		Extensions []duban.Extension `json:"extensions"`
	}
	h.do(t, request{method: "GET", path: "/api/v1/extensions", as: "supervisor"}).decode(t, &xs)
	h.ids["extension"] = xs.Extensions[0].ID
	var ns struct {
		Notices []duban.Notice `json:"notices"`
	}
	h.do(t, request{method: "GET", path: "/api/v1/notices", as: "supervisor"}).decode(t, &ns)
	h.ids["notice"] = ns.Notices[0].ID

	more := []struct {
		name   string
		req    request
		status int
		want   string
	}{
		{"approve", request{method: "POST", path: "/api/v1/reports/{report}/reviews", as: "supervisor", body: `{"decision":"approve"}`}, 200, ""},
		{"close", request{method: "POST", path: "/api/v1/tasks/{task_a}/close", as: "supervisor", body: `{"reason":"经核实已完成"}`}, 200, `"status":"closed"`},
		{"reopen needs a reason", request{method: "POST", path: "/api/v1/tasks/{task_a}/reopen", as: "supervisor", body: `{"reason":""}`}, 400, "理由"},
		{"reopen", request{method: "POST", path: "/api/v1/tasks/{task_a}/reopen", as: "supervisor", body: `{"reason":"复核未完成"}`}, 200, `"closed_at":null`},
		{"a unit may not decide its own extension", request{method: "POST", path: "/api/v1/extensions/{extension}/decision", as: "reporter_b", body: `{"approve":true}`}, 403, ""},
		{"the office approves the extension", request{method: "POST", path: "/api/v1/extensions/{extension}/decision", as: "supervisor", body: `{"approve":true,"comment":"同意"}`}, 200, `"status":"approved"`},
		{"the unit responds", request{method: "POST", path: "/api/v1/notices/{notice}/response", as: "reporter_b", body: `{"response":"已加快进度"}`}, 200, `"status":"responded"`},
		{"the office closes the notice", request{method: "POST", path: "/api/v1/notices/{notice}/close", as: "supervisor"}, 200, `"status":"closed"`},
	}
	for _, tt := range more {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(t, tt.req)
			if got.status != tt.status || !strings.Contains(string(got.body), tt.want) {
				t.Errorf("%s %s as %s: %s; want %d with %q", tt.req.method, tt.req.path, tt.req.as, got, tt.status, tt.want)
			}
		})
	}

	// Every change is in the audit log with its author.
	for entity, action := range map[string]string{"evidence": "evidence.add", "extension": "extension.decide", "notice": "notice.close", "task": "task.reopen"} {
		entries, _, err := h.store.FindAudit(context.Background(), duban.AuditFilter{OrgID: h.ids["org_a"], Entity: &entity})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			found = found || e.Action == action && e.ActorID != 0 && !e.At.IsZero()
		}
		if !found {
			t.Errorf("no %s in the audit log", action)
		}
	}
}

// TestChannels: an administrator configures a webhook channel, tests it
// against a receiver started here, and secrets never come back.
func TestChannels(t *testing.T) {
	h := reportingHarness(t)
	var mu sync.Mutex
	var received []map[string]any
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var v map[string]any
		json.Unmarshal(b, &v)
		mu.Lock()
		received = append(received, v)
		mu.Unlock()
		w.WriteHeader(204)
	}))
	defer receiver.Close()
	h.secrets = append(h.secrets, "hook-secret-123")
	create := fmt.Sprintf(`{"kind":"webhook","name":"督查群","enabled":true,"config":{"url":%q,"secret":"hook-secret-123"}}`, receiver.URL+"/hook")
	got := h.do(t, request{method: "POST", path: "/api/v1/channels", as: "admin", body: create})
	if got.status != 201 || strings.Contains(string(got.body), "hook-secret-123") {
		t.Fatalf("create channel: %s", got)
	}
	var ch duban.Channel
	got.decode(t, &ch)
	h.ids["channel"] = ch.ID
	steps := []struct {
		name   string
		req    request
		status int
		want   string
	}{
		{"a supervisor may not add channels", request{method: "POST", path: "/api/v1/channels", as: "supervisor", body: create}, 403, ""},
		{"a bad url", request{method: "POST", path: "/api/v1/channels", as: "admin", body: `{"kind":"webhook","name":"坏","enabled":true,"config":{"url":"ftp://x"}}`}, 400, ""},
		{"the list hides the secret", request{method: "GET", path: "/api/v1/channels", as: "supervisor"}, 200, "******"},
		{"a unit may not see channels", request{method: "GET", path: "/api/v1/channels", as: "reporter"}, 403, ""},
		{"test it", request{method: "POST", path: "/api/v1/channels/{channel}/test", as: "admin", body: `{}`}, 204, ""},
		{"an edit sent back masked keeps the secret", request{method: "PUT", path: "/api/v1/channels/{channel}", as: "admin",
			body: fmt.Sprintf(`{"kind":"webhook","name":"督查群（新）","enabled":true,"config":{"url":%q,"secret":"******"}}`, receiver.URL+"/hook")}, 200, "督查群（新）"},
		{"test it again", request{method: "POST", path: "/api/v1/channels/{channel}/test", as: "admin", body: `{}`}, 204, ""},
		{"the send log", request{method: "GET", path: "/api/v1/deliveries", as: "supervisor"}, 200, `"deliveries"`},
		{"delete it", request{method: "DELETE", path: "/api/v1/channels/{channel}", as: "admin"}, 204, ""},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(t, tt.req)
			if got.status != tt.status || !strings.Contains(string(got.body), tt.want) {
				t.Errorf("%s %s as %s: %s; want %d with %q", tt.req.method, tt.req.path, tt.req.as, got, tt.status, tt.want)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) != 2 {
		t.Errorf("the receiver got %d test messages, want 2", len(received))
	}
}

// TestForeignCycleNotFound: a cycle of another organisation is not found on
// every route that takes a {cycle}, like any foreign ID, never an empty list.
func TestForeignCycleNotFound(t *testing.T) {
	h := reportingHarness(t)
	h.startSessions(t)
	got := h.do(t, request{method: "PUT", path: "/api/v1/schedule", as: "admin_b",
		body: `{"year":2024,"kind":"monthly","day":28}`})
	if got.status != 200 {
		t.Fatalf("schedule of org B: %s", got)
	}
	var sr struct {
		Cycles []duban.Cycle `json:"cycles"`
	}
	got.decode(t, &sr)
	h.ids["cycle_b"] = sr.Cycles[0].ID
	content := `{"progress":"进展","version":0}`
	tests := []struct {
		name string
		req  request
	}{
		{"report", request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle_b}", as: "supervisor"}},
		{"previous report", request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle_b}/previous", as: "reporter"}},
		{"contributions", request{method: "GET", path: "/api/v1/tasks/{task_ab}/contributions/{cycle_b}", as: "supervisor"}},
		{"contributions to the unit", request{method: "GET", path: "/api/v1/tasks/{task_ab}/contributions/{cycle_b}", as: "reporter_b"}},
		{"save a report", request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle_b}", as: "reporter", body: content}},
		{"submit a report", request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle_b}/submit", as: "reporter", body: content}},
		{"save a contribution", request{method: "PUT", path: "/api/v1/tasks/{task_ab}/contributions/{cycle_b}", as: "reporter_b", body: `{"progress":"配合"}`}},
		{"the report page", request{method: "GET", path: "/tasks/{task_a}/report/{cycle_b}", as: "reporter", offContract: true}},
		{"the report form", request{method: "POST", path: "/tasks/{task_a}/report/{cycle_b}", as: "reporter", offContract: true,
			body: []byte("progress=x&version=0"), contentType: "application/x-www-form-urlencoded"}},
		{"the draft", request{method: "PUT", path: "/tasks/{task_a}/report/{cycle_b}/draft", as: "reporter", offContract: true,
			body: []byte("progress=x&version=0"), contentType: "application/x-www-form-urlencoded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.do(t, tt.req); got.status != http.StatusNotFound {
				t.Errorf("%s %s as %s: %d %.300s; want 404", tt.req.method, tt.req.path, tt.req.as, got.status, got.body)
			}
		})
	}
}
