package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"duban"
)

func TestHealthz(t *testing.T) {
	h := newHarness(t, Config{})
	got := h.do(t, request{method: "GET", path: "/healthz"})
	if got.status != http.StatusOK || string(got.body) != `{"status":"ok"}`+"\n" {
		t.Errorf("GET /healthz = %s, want 200 {\"status\":\"ok\"}", got)
	}
	if cc := got.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET /healthz: Cache-Control %q, want no-store", cc)
	}
}

// TestReadyz: ready on a current database; 503 with its reason when the
// newest migration is missing and when the database is gone, logged once per
// change (not once per probe) with the probe's request ID.
func TestReadyz(t *testing.T) {
	h := newHarness(t, Config{})
	probe := func(wantStatus int, wantBody string) response {
		t.Helper()
		got := h.do(t, request{method: "GET", path: "/readyz"})
		if got.status != wantStatus || strings.TrimSpace(string(got.body)) != wantBody {
			t.Errorf("GET /readyz = %s, want %d %s", got, wantStatus, wantBody)
		}
		if cc := got.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET /readyz: Cache-Control %q, want no-store", cc)
		}
		return got
	}
	probe(200, `{"status":"ok"}`)

	_, err := h.store.DB().Exec(`DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)`)
	if err != nil {
		t.Fatal(err)
	}
	behind := probe(503, `{"status":"unavailable","reason":"schema_outdated"}`)

	h.store.Close()
	down := probe(503, `{"status":"unavailable","reason":"database_unavailable"}`)
	probe(503, `{"status":"unavailable","reason":"database_unavailable"}`)

	logs := h.logs.String()
	if n := strings.Count(logs, `msg="not ready"`); n != 2 {
		t.Errorf("%d lines of \"not ready\" for two changes of readiness over four probes, want 2:\n%s", n, logs)
	}
	for _, got := range []response{behind, down} {
		id := got.header.Get("X-Request-ID")
		found := false
		for line := range strings.Lines(logs) {
			found = found || strings.Contains(line, `msg="not ready"`) && strings.Contains(line, "request_id="+id)
		}
		if !found {
			t.Errorf("no \"not ready\" line with request_id=%s:\n%s", id, logs)
		}
	}
	// The probes' own request lines are at debug level, not info.
	for line := range strings.Lines(logs) {
		if strings.Contains(line, "path=/readyz") && strings.Contains(line, "msg=request") && !strings.Contains(line, "level=DEBUG") {
			t.Errorf("a probe's request line above debug: %s", line)
		}
	}
}

// TestRequestIDEverywhere: the ID a client is given is in the error it
// reads (JSON and page) and in every log line about its request.
func TestRequestIDEverywhere(t *testing.T) {
	h := newHarness(t, Config{})
	h.startSessions(t)
	h.store.Close() // every query now fails: an internal error

	// Not h.do: the document promises no 500s.
	got := h.undocumented(t, "GET", h.expand("/api/v1/tasks?org_id={org_a}"), "admin")
	id := got.header.Get("X-Request-ID")
	if got.status != 500 || id == "" || !strings.Contains(string(got.body), `"request_id":"`+id+`"`) {
		t.Errorf("GET /api/v1/tasks on a closed store = %s (X-Request-ID %q), want 500 with the request ID", got, id)
	}
	page := h.undocumented(t, "GET", "/tasks", "admin")
	pageID := page.header.Get("X-Request-ID")
	if page.status != 500 || !strings.Contains(string(page.body), pageID) {
		t.Errorf("GET /tasks on a closed store = %d, want 500 and a page showing %q:\n%s", page.status, pageID, page.body)
	}
	for _, id := range []string{id, pageID} {
		n := 0
		for line := range strings.Lines(h.logs.String()) {
			if strings.Contains(line, "request_id="+id+" ") || strings.HasSuffix(strings.TrimSpace(line), "request_id="+id) {
				n++
			}
		}
		// The handler's error and the request line.
		if n < 2 {
			t.Errorf("%d log lines carry request_id=%s, want the error's and the request's:\n%s", n, id, h.logs)
		}
	}
	for line := range strings.Lines(h.logs.String()) {
		if strings.Contains(line, `msg="internal error"`) && !strings.Contains(line, "request_id=") {
			t.Errorf("an error logged without its request ID: %s", line)
		}
	}
}

// TestRequestIDFromProxy: behind a trusted proxy (ClientIPHeader set) a
// short, plain X-Request-ID is kept; anything else, or any ID from a client
// without such a proxy, is replaced.
func TestRequestIDFromProxy(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		incoming string
		keep     bool
	}{
		{"from the proxy", Config{ClientIPHeader: "X-Real-IP"}, "7f3a9c2e-01.b_x", true},
		{"too long", Config{ClientIPHeader: "X-Real-IP"}, strings.Repeat("a", 65), false},
		{"markup", Config{ClientIPHeader: "X-Real-IP"}, "<script>", false},
		{"spaces", Config{ClientIPHeader: "X-Real-IP"}, "a level=ERROR", false},
		{"no trusted proxy", Config{}, "7f3a9c2e", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.cfg)
			got := h.do(t, request{method: "GET", path: "/api/v1/nothing-here", header: http.Header{"X-Request-ID": {tt.incoming}}, offContract: true})
			id := got.header.Get("X-Request-ID")
			if (id == tt.incoming) != tt.keep || id == "" {
				t.Errorf("X-Request-ID %q answered with %q; want it kept: %v", tt.incoming, id, tt.keep)
			}
			if !strings.Contains(string(got.body), `"request_id":"`+id+`"`) {
				t.Errorf("body %s lacks the request ID %q", got.body, id)
			}
		})
	}
}

// undocumented sends a request as a fixture user without holding the answer
// to the OpenAPI document.
func (h *harness) undocumented(t *testing.T, method, path, as string) response {
	t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: h.session(t, as)})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// TestReadyzReasons: the answer names the kind of failure, never the error.
func TestReadyzReasons(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"ready", nil, `{"status":"ok"}`},
		{"schema behind", fmt.Errorf("ready: %w: newest migration applied is 0007", duban.ErrSchemaOutdated), `{"status":"unavailable","reason":"schema_outdated"}`},
		{"database down", errors.New("dial tcp 10.0.0.9:5432: connect: connection refused"), `{"status":"unavailable","reason":"database_unavailable"}`},
		{"too slow", context.DeadlineExceeded, `{"status":"unavailable","reason":"database_unavailable"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := fakeStore{ready: func(context.Context) error { return tt.err }}
			srv := NewServer(Config{}, Deps{Store: st}, discardLogger())
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			wantStatus := http.StatusOK
			if tt.err != nil {
				wantStatus = http.StatusServiceUnavailable
			}
			if got := strings.TrimSpace(rec.Body.String()); rec.Code != wantStatus || got != tt.want {
				t.Errorf("GET /readyz = %d %s, want %d %s", rec.Code, got, wantStatus, tt.want)
			}
		})
	}
}
