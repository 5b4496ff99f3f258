package web

import (
	"net/http"
	"sync/atomic"

	"duban/metrics"
)

// /metrics serves the server's metrics (package metrics) in the Prometheus
// text format. On the public listener it is public, like /healthz: the
// numbers are counts by route pattern, job and channel kind and the state of
// the process and its pools, nothing of any organisation. Operators who
// would rather not publish them set Config.MetricsOnOwnListener and serve
// MetricsHandler on an address of their own (DUBAN_METRICS_ADDR), or refuse
// /metrics at their proxy.

// handleMetrics serves the metrics.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	s.metricsHandler.ServeHTTP(w, r)
	return nil
}

// MetricsHandler serves GET /metrics and answers 404 to anything else, for
// a listener of its own. Its requests are neither counted nor logged.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		s.handleMetrics(w, r)
	})
	return mux
}

// Metrics returns the metrics the server counts into, for the rest of the
// process (jobs, the store's statistics) to count into the same registry.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// routeLabel names the route a request matched for the metrics: the mux's
// pattern ("GET /api/v1/tasks/{id}"), never the path, so that the number of
// series stays that of the routes; "unmatched" for what matched none (404,
// 405, a refused cross-site request).
func routeLabel(r *http.Request) string {
	if r.Pattern == "" {
		return "unmatched"
	}
	return r.Pattern
}

// methodLabel is a request's method for the metrics: one of the methods the
// server knows, or "other", so that made-up methods add no series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// quietRoute reports whether a route's request lines are logged at debug
// level: the probes and scrapes that arrive every few seconds.
func quietRoute(pattern string) bool {
	switch pattern {
	case "GET /healthz", "GET /readyz", "GET /metrics":
		return true
	}
	return false
}

// countSubmission counts a report submission, successful when err is nil,
// else under the code its answer carries.
func (s *Server) countSubmission(err error) {
	if err == nil {
		s.metrics.Submission("")
		return
	}
	_, detail := classify(err)
	s.metrics.Submission(string(detail.Code))
}

// cacheCounters count the lookups of a cache, for metrics.WatchCache.
type cacheCounters struct {
	hits, misses atomic.Uint64
}

func (c *cacheCounters) count(hit bool) {
	if hit {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
}

func (c *cacheCounters) stats() (hits, misses uint64) {
	return c.hits.Load(), c.misses.Load()
}
