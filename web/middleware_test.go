package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"duban"
)

// TestInternalErrorIsHidden: an error that is not a *duban.Error answers 500
// with "系统内部错误", and is logged once with the request ID; the client
// never sees the cause.
func TestInternalErrorIsHidden(t *testing.T) {
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	st := signedIn(now)
	st.findTasks = func(context.Context, duban.Actor, duban.TaskFilter) ([]*duban.Task, int, error) {
		return nil, 0, errors.New("database disk image is malformed")
	}
	logs := &lockedBuffer{}
	srv := NewServer(Config{}, Deps{Store: st, Now: func() time.Time { return now }}, slog.New(slog.NewTextHandler(logs, nil)))
	req := httptest.NewRequest("GET", "/api/v1/tasks", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "token"})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)

	if rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
	id := rec.Header().Get("X-Request-ID")
	if body := rec.Body.String(); !strings.Contains(body, `{"error":{"code":"internal","message":"系统内部错误","request_id":"`+id+`"}}`) || strings.Contains(body, "malformed") {
		t.Errorf("body %s, want the request ID %q in it", body, id)
	}
	log := logs.String()
	if n := strings.Count(log, "database disk image is malformed"); n != 1 {
		t.Errorf("the cause is logged %d times, want once:\n%s", n, log)
	}
	// The line of the error itself carries the ID, not only the request's.
	for line := range strings.Lines(log) {
		if strings.Contains(line, `msg="internal error"`) && !strings.Contains(line, "request_id="+id) {
			t.Errorf("the error's log line lacks request_id=%s: %s", id, line)
		}
	}
	for _, want := range []string{"level=ERROR msg=\"internal error\"", "request_id=" + id} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestPanicIsRecovered(t *testing.T) {
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	st := signedIn(now)
	st.findTasks = func(context.Context, duban.Actor, duban.TaskFilter) ([]*duban.Task, int, error) {
		panic("nil map")
	}
	logs := &lockedBuffer{}
	srv := NewServer(Config{}, Deps{Store: st, Now: func() time.Time { return now }}, slog.New(slog.NewTextHandler(logs, nil)))
	req := httptest.NewRequest("GET", "/api/v1/tasks", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "token"})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "系统内部错误") {
		t.Errorf("panicking handler: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "msg=panic") || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("log:\n%s", logs)
	}
}

// TestRequestLogLine: one line per request with method, path, status,
// duration, request ID and user ID, and nothing of the query string.
func TestRequestLogLine(t *testing.T) {
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	st := signedIn(now)
	st.findTasks = func(context.Context, duban.Actor, duban.TaskFilter) ([]*duban.Task, int, error) {
		return nil, 0, nil
	}
	logs := &lockedBuffer{}
	srv := NewServer(Config{}, Deps{Store: st, Now: func() time.Time { return now }}, slog.New(slog.NewTextHandler(logs, nil)))
	req := httptest.NewRequest("GET", "/api/v1/tasks?q=秘密", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "token"})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"tasks":[]`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1:\n%s", len(lines), logs)
	}
	for _, want := range []string{"msg=request", "method=GET", "path=/api/v1/tasks ", "status=200", "duration=",
		"request_id=" + rec.Header().Get("X-Request-ID"), "user_id=7"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log line lacks %q: %s", want, lines[0])
		}
	}
	if strings.Contains(lines[0], "秘密") || strings.Contains(lines[0], "token") {
		t.Errorf("log line shows the query or the token: %s", lines[0])
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err        error
		wantStatus int
		wantCode   duban.Code
	}{
		{duban.Errorf(duban.CodeInvalid, "x"), 400, duban.CodeInvalid},
		{duban.Errorf(duban.CodeUnauthorized, "x"), 401, duban.CodeUnauthorized},
		{duban.Errorf(duban.CodeForbidden, "x"), 403, duban.CodeForbidden},
		{duban.Errorf(duban.CodeNotFound, "x"), 404, duban.CodeNotFound},
		{duban.Errorf(duban.CodeConflict, "x"), 409, duban.CodeConflict},
		{duban.Errorf(duban.CodeTooMany, "x"), 429, duban.CodeTooMany},
		{duban.Errorf(duban.CodeInternal, "x"), 500, duban.CodeInternal},
		{duban.Errorf("strange", "x"), 500, duban.CodeInternal},
		{errors.New("x"), 500, duban.CodeInternal},
		{&http.MaxBytesError{Limit: 32 << 20}, 413, codeTooLarge},
	}
	for _, tt := range tests {
		status, detail := classify(fmtWrap(tt.err))
		if status != tt.wantStatus || detail.Code != tt.wantCode {
			t.Errorf("classify(%v) = %d %s, want %d %s", tt.err, status, detail.Code, tt.wantStatus, tt.wantCode)
		}
		if status == 500 && detail.Message != "系统内部错误" {
			t.Errorf("classify(%v) shows %q", tt.err, detail.Message)
		}
	}
}

// fmtWrap wraps an error the way handlers do.
func fmtWrap(err error) error { return errors.Join(err) }
