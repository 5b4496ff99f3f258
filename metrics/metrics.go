package metrics

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the counters of one server and the registry they are
// scraped from. Jobs are labelled job_name, not job: Prometheus gives every
// scraped series a job label of its own.
type Metrics struct {
	registry *prometheus.Registry
	stats    *statsCollector

	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	submissions    prometheus.Counter
	submitFailures *prometheus.CounterVec
	jobRuns        *prometheus.CounterVec
	jobFailures    *prometheus.CounterVec
	jobLastSuccess *prometheus.GaugeVec
	sent           *prometheus.CounterVec
	failed         *prometheus.CounterVec
}

// New returns metrics on a registry of their own, with the Go runtime's and
// the process's collectors.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		stats:    newStatsCollector(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "duban_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		submissions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "duban_report_submissions_total",
			Help: "Reports submitted successfully (API and pages).",
		}),
		submitFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_report_submission_failures_total",
			Help: "Report submissions refused or failed, by error code.",
		}, []string{"code"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_job_runs_total",
			Help: "Job runs finished (successful or not), by job.",
		}, []string{"job_name"}),
		jobFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_job_failures_total",
			Help: "Job runs that failed, by job.",
		}, []string{"job_name"}),
		jobLastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "duban_job_last_success_timestamp_seconds",
			Help: "Unix time of the last successful run of a job in this process.",
		}, []string{"job_name"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_notifications_sent_total",
			Help: "Notifications delivered, by channel kind.",
		}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_notifications_failed_total",
			Help: "Notification delivery attempts that failed, by channel kind.",
		}, []string{"kind"}),
	}
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.stats,
		m.requests, m.latency,
		m.submissions, m.submitFailures,
		m.jobRuns, m.jobFailures, m.jobLastSuccess,
		m.sent, m.failed,
	)
	return m
}

// Handler serves the metrics in the Prometheus text format. Errors while
// gathering are logged to logger and answered 500.
func (m *Metrics) Handler(logger *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(logger.Handler(), slog.LevelError),
		ErrorHandling: promhttp.HTTPErrorOnError,
	})
}

// Registry returns the registry the metrics are gathered from.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// ObserveRequest counts an answered request under its route (the mux's
// pattern, never the raw path), method and status, and its duration under the
// route.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, method, statusText(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// statusTexts are the statuses' labels, made once.
var statusTexts = func() [600]string {
	var t [600]string
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func statusText(code int) string {
	if code >= 0 && code < len(statusTexts) {
		return statusTexts[code]
	}
	return strconv.Itoa(code)
}

// Submission counts a report submission: a success when code is "", a
// failure under code (the domain's error code) otherwise.
func (m *Metrics) Submission(code string) {
	if m == nil {
		return
	}
	if code == "" {
		m.submissions.Inc()
		return
	}
	m.submitFailures.WithLabelValues(code).Inc()
}

// JobRun counts a finished run of job, failed when err is not nil, ended at
// end.
func (m *Metrics) JobRun(job string, end time.Time, err error) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(job).Inc()
	if err != nil {
		m.jobFailures.WithLabelValues(job).Inc()
		return
	}
	m.jobLastSuccess.WithLabelValues(job).Set(float64(end.UnixNano()) / 1e9)
}

// Notification counts a delivery attempt over a channel of kind: sent when
// err is nil, failed otherwise.
func (m *Metrics) Notification(kind string, err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.failed.WithLabelValues(kind).Inc()
		return
	}
	m.sent.WithLabelValues(kind).Inc()
}
