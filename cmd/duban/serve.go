package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"duban"
	"duban/calendar"
	"duban/importer"
	"duban/ingest"
	"duban/metrics"
	"duban/notify"
	"duban/web"
)

// runServe is `duban serve`: it opens the store named by the configuration and
// serves the ledger until ctx ends.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addConfigFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban serve [options]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		if err == nil {
			fs.Usage()
		}
		return errReported
	}
	cfg, err := cf.load(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	mode := schemaCheck
	if cfg.Migrate {
		mode = schemaMigrate
	}
	st, err := openStore(ctx, cfg, mode)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, cfg, st, logger, stdout, nil)
}

// newLogger builds the one logger of the process: text for a terminal, JSON
// for log collectors.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// defaultMemoryLimit is the soft limit of the Go runtime's memory that serve
// sets unless GOMEMLIMIT is set.
const defaultMemoryLimit = 1 << 30

// tuneCollector lets the heap grow to five times what is live before the
// garbage collector runs (GOGC=400) unless the operator set GOGC: a server's
// live heap is small (the task cache, at most about 90 MB), and collecting four
// times less often cut the task list's p99 latency under load by a third. So
// that the garbage of a few large uploads cannot take the process towards
// five times its live heap, the runtime also gets a soft memory limit of
// 1 GiB (the collector works harder near it) unless GOMEMLIMIT is set.
func tuneCollector(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// scheduleCycles computes a schedule's cycles with an organisation's
// calendar.
func scheduleCycles(s duban.Schedule, days []duban.CalendarDay) ([]duban.Cycle, error) {
	cal, err := calendar.New(days)
	if err != nil {
		return nil, err
	}
	return calendar.Cycles(s, cal)
}

// shutdownGrace is how long requests in flight get to finish at shutdown.
const shutdownGrace = 15 * time.Second

// serve runs the HTTP server on st until ctx ends, then shuts it down
// gracefully. It prints the address it listens on to stdout once it accepts
// connections ("serving on http://127.0.0.1:8080"), so that scripts and tests
// using port 0 learn the port.
// now is the clock of sessions and jobs; nil means time.Now (the demo runs on
// a day of its sample year).
func serve(ctx context.Context, cfg Config, st ledgerStore, logger *slog.Logger, stdout io.Writer, now func() time.Time) error {
	tuneCollector(os.Getenv)
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	idn, err := buildIdentity(cfg.Identity, logger)
	if err != nil {
		return err
	}
	m := metrics.New()
	watchStore(m, st)
	handler := web.NewServer(web.Config{SecureCookies: cfg.SecureCookies, Location: loc, Identity: idn.web, MetricsOnOwnListener: cfg.MetricsAddr != "",
		TrustedOrigins: cfg.TrustedOrigins, ClientIPHeader: cfg.ClientIPHeader, UploadConcurrency: cfg.UploadConcurrency,
		LoginRate: cfg.LoginLimits.Rate, LoginBurst: cfg.LoginLimits.Burst,
		LoginAddressRate: cfg.LoginLimits.AddressRate, LoginAddressBurst: cfg.LoginLimits.AddressBurst,
		LoginAccountRate: cfg.LoginLimits.AccountRate, LoginAccountBurst: cfg.LoginLimits.AccountBurst}, web.Deps{
		Store:    st,
		Importer: &importer.Service{Store: st, Limits: ingest.DefaultLimits, Now: now, Location: loc},
		Cycles:   scheduleCycles,
		Tester:   notify.New(notify.Options{Location: loc, Now: now}),
		Now:      now,
		Metrics:  m,
	}, logger)
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of large documents on slow links
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	jobsDone := make(chan struct{})
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer close(jobsDone)
		if cfg.Jobs {
			sched := newScheduler(st, loc, logger, idn)
			sched.Now = now
			observeJobs(m, sched)
			if err := sched.Run(jobCtx); err != nil {
				logger.Error("jobs", "err", err)
			}
		}
	}()
	defer func() {
		stopJobs()
		<-jobsDone
	}()
	if cfg.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, handler.MetricsHandler(), logger, stdout)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopMetrics()
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "serving on http://%s\n", ln.Addr())

	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
