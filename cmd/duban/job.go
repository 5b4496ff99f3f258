package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"duban/jobs"
	"duban/notify"
)

// The schedule of the jobs inside `duban serve`, in the configured time zone.
const (
	refreshAt    = "01:00"          // lights move as days pass: before anyone looks
	remindAt     = "08:30"          // reminders arrive at the start of the working day
	deliverEvery = 30 * time.Second // notifications leave within half a minute
)

// newScheduler builds the scheduler of the jobs over st.
// The identity check runs when idn names identity systems; idn may be nil.
func newScheduler(st ledgerStore, loc *time.Location, logger *slog.Logger, idn *identitySetup) *jobs.Scheduler {
	var locker jobs.Locker
	if l, ok := st.(jobs.Locker); ok {
		locker = l
	}
	entries := []jobs.Entry{
		{Job: &jobs.Refresh{Store: st}, At: refreshAt},
		{Job: &jobs.Remind{Store: st, Location: loc}, At: remindAt},
		{Job: &jobs.Deliver{Store: st, Sender: notify.New(notify.Options{Location: loc})}, Every: deliverEvery},
	}
	if idn != nil && len(idn.checkers) > 0 {
		entries = append(entries, jobs.Entry{Job: &jobs.CheckIdentities{Store: st, Checkers: idn.checkers, Sealer: idn.sealer}, Every: idn.every})
	}
	return &jobs.Scheduler{
		Entries:  entries,
		Location: loc,
		Locker:   locker,
		Store:    st,
		Logger:   logger.With("component", "jobs"),
	}
}

// runJob is `duban job run NAME [-now DATE]`: one job, once, as of a day (at
// 09:00 in the configured time zone) or now.
func runJob(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "job run [-now 2024-07-01] refresh|remind|deliver|identity"
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintln(stderr, "Usage: duban "+usage)
		return errReported
	}
	c := newStoreCommand("job run", usage, stderr)
	day := c.fs.String("now", "", "the day to run for, YYYY-MM-DD (default: now)")
	if err := c.parse(args[1:], getenv, 1); err != nil {
		return err
	}
	loc, err := time.LoadLocation(c.cfg.Timezone)
	if err != nil {
		return err
	}
	now := time.Now()
	if *day != "" {
		d, err := time.ParseInLocation(time.DateOnly, *day, loc)
		if err != nil {
			return fmt.Errorf("-now %q: want a date such as 2024-07-01", *day)
		}
		now = d.Add(9 * time.Hour)
	}
	st, err := openStore(ctx, c.cfg, schemaCheck)
	if err != nil {
		return err
	}
	defer st.Close()
	if *day != "" {
		// The job's changes carry the day it ran for.
		st.SetClock(func() time.Time { return now })
	}
	logger := newLogger(c.cfg, stderr)
	idn, err := buildIdentity(c.cfg.Identity, logger)
	if err != nil {
		return err
	}
	s := newScheduler(st, loc, logger, idn)
	name := c.fs.Arg(0)
	if err := s.RunOnce(ctx, name, now); err != nil {
		return err
	}
	for _, e := range s.Entries {
		if e.Job.Name() == name {
			fmt.Fprintf(stdout, "%s done for %s: %s\n", name, now.In(loc).Format(time.DateOnly), jobs.Summary(e.Job))
		}
	}
	return nil
}
