package web

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"duban"
)

// Health probes for load balancers and orchestrators. Both are public, cost
// no sign-in, are never rate limited and are never cached. Their request
// lines are logged at debug level, not info: a probe every few seconds from
// each balancer would bury the log. What operators need to see, a change of
// readiness, is logged once per change instead (noteReadiness).

// healthBody is the answer of /healthz and /readyz: status "ok", or
// "unavailable" with a reason: "database_unavailable" (the database does not
// answer in time) or "schema_outdated" (its migrations are not the newest
// this program has).
type healthBody struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// handleHealthz answers 200 while the process serves HTTP. It touches no
// database: a database outage must not make an orchestrator restart every
// instance.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, healthBody{Status: "ok"})
}

// handleReadyz answers 200 when the store is ready (the database answers
// within two seconds and its schema is current) and 503 with a reason
// otherwise, so that a load balancer sends requests elsewhere. The reason
// names the kind of failure only; the error itself goes to the log.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	err := s.store.Ready(r.Context())
	s.readiness.note(r.Context(), s, err)
	if err != nil {
		reason := "database_unavailable"
		if errors.Is(err, duban.ErrSchemaOutdated) {
			reason = "schema_outdated"
		}
		return writeJSON(w, http.StatusServiceUnavailable, healthBody{Status: "unavailable", Reason: reason})
	}
	return writeJSON(w, http.StatusOK, healthBody{Status: "ok"})
}

// readiness remembers the last answer of /readyz, to log changes only.
type readiness struct {
	mu   sync.Mutex
	last string // "" while ready (and before the first probe), else the error
}

// note logs err when readiness changes: a warning when the store stops being
// ready (or fails differently), a line at info when it is ready again.
func (rd *readiness) note(ctx context.Context, s *Server, err error) {
	now := ""
	if err != nil {
		now = err.Error()
	}
	rd.mu.Lock()
	changed := now != rd.last
	rd.last = now
	rd.mu.Unlock()
	switch {
	case !changed:
	case err != nil:
		s.logger.WarnContext(ctx, "not ready", "err", err)
	default:
		s.logger.InfoContext(ctx, "ready")
	}
}
