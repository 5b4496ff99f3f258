package web

import (
	"strconv"
	"strings"
	"testing"
)

// scrape reads /metrics and returns the value of each series, by its name
// and labels as written ("duban_report_submissions_total").
func scrape(t *testing.T, h *harness) map[string]float64 {
	t.Helper()
	got := h.do(t, request{method: "GET", path: "/metrics"})
	if got.status != 200 {
		t.Fatalf("GET /metrics = %s", got)
	}
	if ct := got.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("GET /metrics: Content-Type %q, want the text format", ct)
	}
	series := map[string]float64{}
	for line := range strings.Lines(string(got.body)) {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(strings.TrimSpace(line[i+1:]), 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return series
}

// TestMetricsMove: a request and a report submission move their counters
// between two scrapes; unmatched paths are counted under "unmatched", never
// under the path.
func TestMetricsMove(t *testing.T) {
	h := reportingHarness(t)
	before := scrape(t, h)

	got := h.do(t, request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle1}/submit", as: "reporter",
		body: `{"progress":"一季度增长5.8%","percent":20,"version":0}`})
	if got.status != 200 {
		t.Fatalf("submit: %s", got)
	}
	got = h.do(t, request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle1}/submit", as: "reporter",
		body: `{"progress":"again","percent":20,"version":0}`})
	if got.status != 409 {
		t.Fatalf("stale submit: %s, want 409", got)
	}
	h.do(t, request{method: "GET", path: "/api/v1/no-such-thing-4711", offContract: true})
	h.undocumented(t, "GET", "/no/such/page-4711", "admin")

	after := scrape(t, h)
	submitRoute := `route="POST /api/v1/tasks/{id}/reports/{cycle}/submit"`
	moved := []struct {
		series string
		by     float64
	}{
		{`duban_report_submissions_total`, 1},
		{`duban_report_submission_failures_total{code="conflict"}`, 1},
		{`duban_http_requests_total{method="POST",` + submitRoute + `,status="200"}`, 1},
		{`duban_http_requests_total{method="POST",` + submitRoute + `,status="409"}`, 1},
		{`duban_http_request_duration_seconds_count{` + submitRoute + `}`, 2},
		{`duban_http_requests_total{method="GET",route="GET /metrics",status="200"}`, 1},
	}
	for _, m := range moved {
		if got := after[m.series] - before[m.series]; got != m.by {
			t.Errorf("%s moved by %v between scrapes, want %v", m.series, got, m.by)
		}
	}
	for series := range after {
		if strings.Contains(series, "4711") {
			t.Errorf("a series names a requested path: %s", series)
		}
	}
	if after[`duban_http_requests_total{method="GET",route="unmatched",status="404"}`] < 1 {
		t.Errorf("no request counted as unmatched")
	}
	for _, name := range []string{
		`duban_cache_hits_total{cache="ledger_pages"}`,
		`duban_cache_misses_total{cache="ledger_pages"}`,
		`go_goroutines`,
	} {
		if _, ok := after[name]; !ok {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

// TestMetricsOnOwnListener: with MetricsOnOwnListener the server answers
// 404 to /metrics, and MetricsHandler serves them.
func TestMetricsOnOwnListener(t *testing.T) {
	h := newHarness(t, Config{MetricsOnOwnListener: true})
	if got := h.undocumented(t, "GET", "/metrics", "admin"); got.status != 404 {
		t.Errorf("GET /metrics on the public handler = %d, want 404", got.status)
	}
	if got := h.do(t, request{method: "GET", path: "/healthz"}); got.status != 200 {
		t.Errorf("GET /healthz = %s", got)
	}
}
