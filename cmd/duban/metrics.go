package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"duban"
	"duban/jobs"
	"duban/metrics"
)

// observeJobs counts the scheduler's runs and the deliveries' attempts in m.
func observeJobs(m *metrics.Metrics, s *jobs.Scheduler) {
	s.Observe = m.JobRun
	for _, e := range s.Entries {
		if d, ok := e.Job.(*jobs.Deliver); ok {
			d.Observe = func(kind duban.ChannelKind, err error) { m.Notification(string(kind), err) }
		}
	}
}

// serveMetrics serves /metrics on an address of its own (DUBAN_METRICS_ADDR)
// and prints it ("metrics on http://127.0.0.1:9100/metrics"). The returned
// function shuts the listener down.
func serveMetrics(addr string, h http.Handler, logger *slog.Logger, stdout io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics: %w", err)
	}
	ms := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ms.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("serve metrics", "err", err)
		}
	}()
	logger.Info("serving metrics", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", ln.Addr())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ms.Shutdown(ctx)
		<-done
	}, nil
}
