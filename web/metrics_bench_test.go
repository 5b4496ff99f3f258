package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkObserve measures what the request middleware (observe) costs per
// request with the metrics counted and without them, around a handler that
// writes a short JSON answer, so that the difference is the metrics' price:
//
//	go test -run '^$' -bench Observe -benchmem -count 6 ./web
//
// With log=json the request line goes to a JSON handler writing to
// io.Discard, as in production less the disk; with log=none it is not
// written, which leaves the metrics' share plain. "bare" is the handler
// without the middleware.
func BenchmarkObserve(b *testing.B) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/tasks/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, `{"id":1}`)
	})
	server := func(logger *slog.Logger, metrics bool) http.Handler {
		s := NewServer(Config{}, Deps{Store: fakeStore{}}, logger)
		if !metrics {
			s.metrics = nil
		}
		return s.observe(mux)
	}
	quiet := slog.New(slog.DiscardHandler)
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"bare", mux},
		{"log=json/metrics=off", server(logger, false)},
		{"log=json/metrics=on", server(logger, true)},
		{"log=none/metrics=off", server(quiet, false)},
		{"log=none/metrics=on", server(quiet, true)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{header: http.Header{}}
				// One request per goroutine: observe serves a copy of it.
				r := httptest.NewRequest("GET", "/api/v1/tasks/42", nil)
				for pb.Next() {
					clear(w.header)
					c.h.ServeHTTP(w, r)
				}
			})
		})
	}
}

// discardWriter is a ResponseWriter that keeps nothing but its headers.
type discardWriter struct {
	header http.Header
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}
