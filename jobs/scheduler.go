package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"duban"
)

// Locker lets one of several servers run a job. TryLock takes the lock named
// name without waiting and reports whether it got it; release gives it back.
// The PostgreSQL store holds an advisory lock; the SQLite store, which one
// process serves, a lock of its own.
type Locker interface {
	TryLock(ctx context.Context, name string) (release func(), ok bool, err error)
}

// Entry is a job and when it runs: every Every, or daily at At ("08:30") in
// the scheduler's time zone, and once at start-up to catch up on a day the
// server was down.
type Entry struct {
	Job   Job
	Every time.Duration
	At    string
}

// Scheduler runs jobs on their schedule until its context ends.
type Scheduler struct {
	Entries  []Entry
	Location *time.Location
	Locker   Locker
	// Store records each run (job_runs); nil records nothing.
	Store  duban.Store
	Logger *slog.Logger
	// Timeout bounds one run; 0 means 10 minutes.
	Timeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Observe, when set, is told of every finished run of a scheduled job
	// (not of runs skipped because another server holds the job's lock, nor
	// of runs cut short by shutdown): the job's name, when it ended and its
	// error. cmd/duban counts them in the metrics.
	Observe func(job string, end time.Time, err error)

	wg sync.WaitGroup
}

// ErrUnknownJob is returned for a job name no entry has.
var ErrUnknownJob = errors.New("unknown job")

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Run runs every entry on its schedule and returns when ctx ends, after the
// runs under way have finished.
func (s *Scheduler) Run(ctx context.Context) error {
	for _, e := range s.Entries {
		if e.Every <= 0 && e.At == "" {
			return fmt.Errorf("job %s has no schedule", e.Job.Name())
		}
		if e.At != "" {
			if _, err := time.Parse("15:04", e.At); err != nil {
				return fmt.Errorf("job %s: time %q: want HH:MM", e.Job.Name(), e.At)
			}
		}
	}
	for _, e := range s.Entries {
		s.wg.Go(func() { s.loop(ctx, e) })
	}
	<-ctx.Done()
	s.wg.Wait()
	return nil
}

// loop runs one entry: once now, then on its schedule.
func (s *Scheduler) loop(ctx context.Context, e Entry) {
	for {
		s.runLogged(ctx, e.Job, s.now())
		wait := s.next(e, s.now())
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// next is how long until entry e runs again after now.
func (s *Scheduler) next(e Entry, now time.Time) time.Duration {
	if e.At == "" {
		return e.Every
	}
	at, _ := time.Parse("15:04", e.At)
	local := now.In(s.Location)
	day := time.Date(local.Year(), local.Month(), local.Day(), at.Hour(), at.Minute(), 0, 0, s.Location)
	if !day.After(local) {
		day = day.AddDate(0, 0, 1)
	}
	return day.Sub(local)
}

// RunOnce runs the job named name once as of now, as `duban job run` does:
// under its lock, recorded, and with its error returned.
func (s *Scheduler) RunOnce(ctx context.Context, name string, now time.Time) error {
	for _, e := range s.Entries {
		if e.Job.Name() == name {
			return s.run(ctx, e.Job, now)
		}
	}
	return fmt.Errorf("%w %q", ErrUnknownJob, name)
}

// runLogged runs a job and logs its outcome, the one place a job's error
// stops travelling.
func (s *Scheduler) runLogged(ctx context.Context, j Job, now time.Time) {
	start := time.Now()
	err := s.run(ctx, j, now)
	if s.Observe != nil && !errors.Is(err, errLocked) && (err == nil || ctx.Err() == nil) {
		s.Observe(j.Name(), time.Now(), err)
	}
	switch {
	case errors.Is(err, errLocked):
		s.Logger.Debug("job skipped: another server runs it", "job", j.Name())
	case err != nil && ctx.Err() == nil:
		s.Logger.Error("job failed", "job", j.Name(), "duration", time.Since(start), "err", err)
	case err == nil:
		s.Logger.Info("job done", "job", j.Name(), "duration", time.Since(start), "summary", Summary(j))
	}
}

var errLocked = errors.New("job is running elsewhere")

// run runs a job under its lock and a timeout, recovering a panic, and
// records the run.
func (s *Scheduler) run(ctx context.Context, j Job, now time.Time) (err error) {
	if s.Locker != nil {
		release, ok, err := s.Locker.TryLock(ctx, "duban.job."+j.Name())
		if err != nil {
			return fmt.Errorf("lock %s: %w", j.Name(), err)
		}
		if !ok {
			return errLocked
		}
		defer release()
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sys := duban.System(0)
	var runID int64
	if s.Store != nil {
		if runID, err = s.Store.StartJobRun(ctx, sys, j.Name(), now); err != nil {
			return fmt.Errorf("record %s: %w", j.Name(), err)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name(), p)
		}
		if s.Store != nil {
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			// Record the end even when the job's context ran out.
			if ferr := s.Store.FinishJobRun(context.WithoutCancel(ctx), sys, runID, msg, Summary(j)); ferr != nil && err == nil {
				err = fmt.Errorf("record %s: %w", j.Name(), ferr)
			}
		}
	}()
	return j.Run(ctx, now)
}

// Summary is a job's one-line account of its last run.
func Summary(j Job) string {
	switch j := j.(type) {
	case *Remind:
		return fmt.Sprintf("%d notifications created", j.Created)
	case *Refresh:
		return fmt.Sprintf("%d tasks changed", j.Changed)
	case *Deliver:
		return fmt.Sprintf("%d sent, %d failed", j.Sent, j.Failed)
	case *CheckIdentities:
		return fmt.Sprintf("%d checked, %d disabled, %d not checked", j.Checked, j.Disabled, j.Failed)
	}
	return ""
}
