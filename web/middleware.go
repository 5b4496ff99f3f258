package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"duban"
)

// requestInfo is what the middleware learns about a request while it is
// served: its ID, and the signed-in user once authentication found one.
type requestInfo struct {
	id     string
	userID int64
}

type requestInfoKey struct{}

// requestID returns the ID of the request ctx belongs to, or "".
func requestID(ctx context.Context) string {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// setRequestUser records the signed-in user for the request's log line.
func setRequestUser(ctx context.Context, userID int64) {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		info.userID = userID
	}
}

// requestIDs hands out request IDs: a random prefix per process and a counter,
// unique without a system call per request.
type requestIDs struct {
	prefix string
	next   atomic.Uint64
}

func newRequestIDs() requestIDs {
	b := make([]byte, 4)
	rand.Read(b)
	return requestIDs{prefix: hex.EncodeToString(b) + "-"}
}

func (ids *requestIDs) new() string {
	return ids.prefix + strconv.FormatUint(ids.next.Add(1), 10)
}

// newRequestID returns the ID of a request: the X-Request-ID a trusted
// reverse proxy sent (Config.ClientIPHeader is set) when validRequestID
// accepts it, so that the proxy's log and this one share it; otherwise a
// new one.
func (s *Server) newRequestID(r *http.Request) string {
	if s.cfg.ClientIPHeader != "" {
		if id := r.Header.Get("X-Request-ID"); validRequestID(id) {
			return id
		}
	}
	return s.requestIDs.new()
}

// observe gives each request an ID (also sent as X-Request-ID), recovers a
// panicking handler with a logged 500, counts the request in the metrics by
// route pattern, method and status, and logs one line per request: method,
// path, status, duration, request_id and user_id (at debug level for probes
// and scrapes). The query string is left out of the log: it may hold search
// text.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: s.newRequestID(r)}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		sw := &statusWriter{ResponseWriter: w}
		h := w.Header()
		h.Set("X-Request-ID", info.id)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")

		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.ErrorContext(r.Context(), "panic", "method", r.Method,
					"path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if !sw.wroteHeader {
					writeJSON(sw, http.StatusInternalServerError,
						errorBody{errorDetail{Code: duban.CodeInternal, Message: internalMessage, RequestID: info.id}})
				}
			}
			// The mux has set the pattern it matched on r (this very request).
			d := time.Since(start)
			if s.metrics != nil {
				s.metrics.ObserveRequest(routeLabel(r), methodLabel(r.Method), sw.status(), d)
			}
			// Probes and scrapes come every few seconds: their lines are
			// for debugging; a change of readiness is logged on its own.
			level := slog.LevelInfo
			if quietRoute(r.Pattern) {
				level = slog.LevelDebug
			}
			s.logger.LogAttrs(r.Context(), level, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status()),
				slog.Duration("duration", d),
				slog.String("request_id", info.id),
				slog.Int64("user_id", info.userID),
			)
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader && code >= 200 {
		w.code = code
		w.wroteHeader = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.code = http.StatusOK
		w.wroteHeader = true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if !w.wroteHeader {
		// A handler that writes nothing answers 200.
		return http.StatusOK
	}
	return w.code
}
