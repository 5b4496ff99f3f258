package metrics

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// exported returns every series name duban's /metrics can hold, with the
// label names each may carry: what a dashboard may ask for.
func exported(t *testing.T) map[string][]string {
	t.Helper()
	m := New()
	m.ObserveRequest("GET /healthz", "GET", 200, time.Millisecond)
	m.Submission("")
	m.Submission("conflict")
	m.JobRun("deliver", time.Now(), nil)
	m.JobRun("deliver", time.Now(), errors.New("failed"))
	m.Notification("email", nil)
	m.Notification("email", errors.New("failed"))
	m.WatchPools(func() map[string]sql.DBStats { return map[string]sql.DBStats{"main": {}} })
	m.WatchWriteQueue(func() (uint64, time.Duration, uint64) { return 0, 0, 0 })
	m.WatchCache("tasks", func() (uint64, uint64) { return 0, 0 })
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]string{}
	add := func(name string, labels ...string) {
		for _, l := range labels {
			if !slices.Contains(names[name], l) {
				names[name] = append(names[name], l)
			}
		}
		if names[name] == nil {
			names[name] = []string{}
		}
	}
	for _, f := range families {
		var labels []string
		for _, metric := range f.GetMetric() {
			for _, lp := range metric.GetLabel() {
				labels = append(labels, lp.GetName())
			}
		}
		switch f.GetType() {
		case dto.MetricType_HISTOGRAM:
			add(f.GetName()+"_bucket", append(labels, "le")...)
			add(f.GetName()+"_sum", labels...)
			add(f.GetName()+"_count", labels...)
		case dto.MetricType_SUMMARY:
			add(f.GetName(), append(labels, "quantile")...)
			add(f.GetName()+"_sum", labels...)
			add(f.GetName()+"_count", labels...)
		default:
			add(f.GetName(), labels...)
		}
	}
	return names
}

// targetLabels are the labels Prometheus gives every series it scrapes.
var targetLabels = []string{"instance", "job"}

var (
	promQuoted   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	promVariable = regexp.MustCompile(`\$\{?\w+\}?`)
	promRange    = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)`)
	promMatchers = regexp.MustCompile(`\{([^}]*)\}`)
	promMatcher  = regexp.MustCompile(`([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)`)
	promIdent    = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*\s*\(?`)
	promKeywords = []string{"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"}
)

// checkExpr returns the problems of a PromQL expression against the
// exported series: metric names duban does not export, and labels none of
// the expression's metrics carry.
func checkExpr(expr string, series map[string][]string) []string {
	var problems []string
	s := promQuoted.ReplaceAllString(expr, `""`)
	s = promVariable.ReplaceAllString(s, "")
	s = promRange.ReplaceAllString(s, "")
	var labels []string
	for _, g := range promGrouping.FindAllStringSubmatch(s, -1) {
		for l := range strings.SplitSeq(g[1], ",") {
			if l = strings.TrimSpace(l); l != "" {
				labels = append(labels, l)
			}
		}
	}
	s = promGrouping.ReplaceAllString(s, " ")
	for _, g := range promMatchers.FindAllStringSubmatch(s, -1) {
		for _, m := range promMatcher.FindAllStringSubmatch(g[1], -1) {
			labels = append(labels, m[1])
		}
	}
	s = promMatchers.ReplaceAllString(s, " ")
	var names []string
	for _, id := range promIdent.FindAllString(s, -1) {
		if strings.HasSuffix(id, "(") || slices.Contains(promKeywords, strings.ToLower(id)) {
			continue // a function, an aggregation or a keyword
		}
		names = append(names, strings.TrimSpace(id))
	}
	if len(names) == 0 {
		return []string{fmt.Sprintf("no metric named in %q", expr)}
	}
	known := slices.Clone(targetLabels)
	for _, n := range names {
		ls, ok := series[n]
		if !ok {
			problems = append(problems, fmt.Sprintf("metric %s is not exported", n))
		}
		known = append(known, ls...)
	}
	for _, l := range labels {
		if !slices.Contains(known, l) {
			problems = append(problems, fmt.Sprintf("label %s is on none of %v", l, names))
		}
	}
	return problems
}

// TestDashboard holds docs/grafana/duban.json to the metrics: it is valid
// JSON, and every PromQL expression of its panels and variables names only
// series and labels duban exports.
func TestDashboard(t *testing.T) {
	b, err := os.ReadFile("../docs/grafana/duban.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string `json:"title"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("docs/grafana/duban.json: %v", err)
	}
	series := exported(t)
	exprs := 0
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			exprs++
			for _, problem := range checkExpr(tg.Expr, series) {
				t.Errorf("panel %q: %s\n\t%s", p.Title, problem, tg.Expr)
			}
		}
	}
	labelValues := regexp.MustCompile(`^label_values\((\w+),\s*(\w+)\)$`)
	for _, v := range dash.Templating.List {
		q, ok := v.Query.(map[string]any)
		if !ok {
			continue
		}
		text, _ := q["query"].(string)
		m := labelValues.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(metric, label)", v.Name, text)
			continue
		}
		if _, ok := series[m[1]]; !ok {
			t.Errorf("variable %s: metric %s is not exported", v.Name, m[1])
		}
		if !slices.Contains(targetLabels, m[2]) && !slices.Contains(series[m[1]], m[2]) {
			t.Errorf("variable %s: label %s is not on %s", v.Name, m[2], m[1])
		}
	}
	if exprs < 10 {
		t.Errorf("%d queries in the dashboard; want the panels of docs/OPERATIONS.md", exprs)
	}
}

// TestCheckExpr: the check of TestDashboard finds what it should.
func TestCheckExpr(t *testing.T) {
	series := exported(t)
	tests := []struct {
		expr string
		want int // problems
	}{
		{`sum by (route) (rate(duban_http_requests_total{instance=~"$instance", status=~"5.."}[$__rate_interval]))`, 0},
		{`histogram_quantile(0.99, sum by (le) (rate(duban_http_request_duration_seconds_bucket[5m])))`, 0},
		{`rate(duban_no_such_total[5m])`, 1},
		{`sum by (path) (rate(duban_http_requests_total[5m]))`, 1},
		{`duban_job_runs_total{job="deliver"}`, 0}, // job is Prometheus's; our label is job_name
		{`http_requests_total`, 1},
		{`time() - duban_job_last_success_timestamp_seconds`, 0},
	}
	for _, tt := range tests {
		if got := checkExpr(tt.expr, series); len(got) != tt.want {
			t.Errorf("checkExpr(%s) = %q, want %d problems", tt.expr, got, tt.want)
		}
	}
}
