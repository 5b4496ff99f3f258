package sqlite

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/progress"
	"duban/store/synth"
)

// BenchmarkDeadlineRush submits the first report of 2,000 units at once,
// straight to the store (the HTTP figure is scripts/rush's): each
// submission is on disk (synchronous=FULL) when SubmitReport returns.
//
//	go test ./store/sqlite -run '^$' -bench DeadlineRush -benchtime 3x
func BenchmarkDeadlineRush(b *testing.B) {
	ctx := context.Background()
	const units = 2000
	for b.Loop() {
		b.StopTimer()
		s := mustOpen(b)
		s.SetProgressFunc(progress.Func(time.UTC))
		r, err := synth.SeedRush(ctx, s, units, 2024, "x")
		if err != nil {
			b.Fatal(err)
		}
		actors := make([]duban.Actor, len(r.Units))
		for i, u := range r.Units {
			tok, err := s.FindAPIToken(ctx, duban.HashToken(u.Token))
			if err != nil {
				b.Fatal(err)
			}
			usr, err := s.FindUserByID(ctx, tok.UserID)
			if err != nil {
				b.Fatal(err)
			}
			actors[i] = duban.Actor{UserID: usr.ID, Username: usr.Username, Role: usr.Role, OrgID: usr.OrgID, UnitID: usr.UnitID}
		}
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, units)
		for i, u := range r.Units {
			wg.Go(func() {
				_, err := s.SubmitReport(ctx, actors[i], u.TaskID, r.CycleID, duban.ReportContent{Progress: fmt.Sprintf("第%d单位本期进展", i)})
				if err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		b.ReportMetric(units/time.Since(start).Seconds(), "submissions/s")
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
}
