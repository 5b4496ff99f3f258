package metrics

import (
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsExposition(t *testing.T) {
	m := New()
	m.ObserveRequest("GET /api/v1/tasks", "GET", 200, 30*time.Millisecond)
	m.Submission("")
	m.Submission("conflict")
	m.JobRun("deliver", time.Unix(1700000000, 0), nil)
	m.JobRun("remind", time.Unix(1700000000, 0), errors.New("boom"))
	m.Notification("email", nil)
	m.Notification("dingtalk", errors.New("timeout"))
	m.WatchPools(func() map[string]sql.DBStats {
		return map[string]sql.DBStats{"read": {OpenConnections: 3, InUse: 1, Idle: 2, WaitCount: 4, WaitDuration: time.Second}}
	})
	m.WatchWriteQueue(func() (uint64, time.Duration, uint64) { return 10, 2 * time.Second, 3 })
	m.WatchCache("tasks", func() (uint64, uint64) { return 7, 1 })

	rec := httptest.NewRecorder()
	m.Handler(slog.New(slog.NewTextHandler(io.Discard, nil))).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`duban_http_requests_total{method="GET",route="GET /api/v1/tasks",status="200"} 1`,
		`duban_http_request_duration_seconds_count{route="GET /api/v1/tasks"} 1`,
		`duban_report_submissions_total 1`,
		`duban_report_submission_failures_total{code="conflict"} 1`,
		`duban_job_runs_total{job_name="remind"} 1`,
		`duban_job_failures_total{job_name="remind"} 1`,
		`duban_job_last_success_timestamp_seconds{job_name="deliver"} 1.7e+09`,
		`duban_notifications_sent_total{kind="email"} 1`,
		`duban_notifications_failed_total{kind="dingtalk"} 1`,
		`duban_db_open_connections{pool="read"} 3`,
		`duban_db_wait_count_total{pool="read"} 4`,
		`duban_db_wait_duration_seconds_total{pool="read"} 1`,
		`duban_write_queue_writes_total 10`,
		`duban_write_queue_wait_seconds_total 2`,
		`duban_cache_hits_total{cache="tasks"} 7`,
		`duban_cache_misses_total{cache="tasks"} 1`,
		`go_goroutines `,
		`process_cpu_seconds_total `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestNil checks that a nil *Metrics counts nothing and does not panic.
func TestNil(t *testing.T) {
	var m *Metrics
	m.ObserveRequest("unmatched", "GET", 404, time.Millisecond)
	m.Submission("")
	m.JobRun("deliver", time.Now(), nil)
	m.Notification("email", nil)
	m.WatchCache("tasks", func() (uint64, uint64) { return 0, 0 })
}
