package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"duban"
)

// ReportOptions shape the reports Reports makes.
type ReportOptions struct {
	// Months is how many months of the year are reported (1–12).
	Months int
	// PasswordHash is every generated reporter's password hash.
	PasswordHash string
	// SetClock, when set, moves the store's clock into each month before its
	// reports are submitted (the 20th to the 27th) and again before they are
	// reviewed (the 28th), so that the history reads as if it happened then.
	SetClock func(time.Time)
	// Missing is the share (0–1) of tasks that stop reporting a month or two
	// before the last, so that some are late.
	Missing float64
}

// Reports gives organisation orgID a monthly schedule for year and, through
// the store's own reporting path, reports for each of its tasks: the lead
// unit's reporter (created here, one per unit) submits each month, and the
// office approves most of them and returns a few. The submissions of a month
// run side by side, as units do, so that a batching store commits them
// together. The same arguments give the same reports.
func Reports(ctx context.Context, s duban.Store, orgID int64, year int, o ReportOptions) error {
	months := o.Months
	if months < 1 || months > 12 {
		return fmt.Errorf("reports: want 1–12 months, got %d", months)
	}
	sys := duban.System(orgID)
	var cycles []duban.Cycle
	for m := 1; m <= 12; m++ {
		start := time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 1, -1)
		due := time.Date(year, time.Month(m), 28, 0, 0, 0, 0, time.UTC)
		cycles = append(cycles, duban.Cycle{OrgID: orgID, Year: year, Seq: m, Label: fmt.Sprintf("%d年%d月", year, m),
			PeriodStart: start.Format(time.DateOnly), PeriodEnd: end.Format(time.DateOnly),
			Due: due.Format(time.DateOnly), GraceEnd: due.AddDate(0, 0, 2).Format(time.DateOnly)})
	}
	sc := &duban.Schedule{OrgID: orgID, Year: year, Kind: duban.ScheduleMonthly, Day: 28, Shift: duban.ShiftNone}
	if err := s.SetSchedule(ctx, sys, sc, cycles); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	stored, err := s.FindCycles(ctx, sys, orgID, year)
	if err != nil {
		return err
	}
	var tasks []*duban.Task
	for offset := 0; ; offset += 500 {
		page, total, err := s.FindTasks(ctx, sys, duban.TaskFilter{OrgID: orgID, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return err
		}
		tasks = append(tasks, page...)
		if len(tasks) >= total || len(page) == 0 {
			break
		}
	}
	// One reporter per lead unit.
	reporters := map[int64]duban.Actor{}
	for _, t := range tasks {
		if len(t.LeadUnitIDs) == 0 {
			continue
		}
		unit := t.LeadUnitIDs[0]
		if _, ok := reporters[unit]; ok {
			continue
		}
		u := &duban.User{OrgID: orgID, Username: fmt.Sprintf("synth%d_%d", orgID, unit), PasswordHash: o.PasswordHash,
			Role: duban.RoleReporter, UnitID: &unit}
		if err := s.CreateUser(ctx, sys, u); err != nil {
			return fmt.Errorf("reports: %w", err)
		}
		reporters[unit] = duban.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: orgID, UnitID: &unit}
	}
	office := duban.Actor{Username: "synth-office", Role: duban.RoleSupervisor, OrgID: orgID}
	r := rand.New(rand.NewPCG(uint64(orgID), uint64(year)))
	type plan struct {
		task *duban.Task
		pace float64 // some tasks ahead of the year, some behind
		last int     // the last month reported
	}
	var plans []plan
	for _, t := range tasks {
		if len(t.LeadUnitIDs) == 0 {
			continue
		}
		// As in an office's real ledger, most tasks keep to the year's pace
		// or run ahead of it, about one in eight is somewhat behind and one
		// in twelve far behind.
		p := plan{task: t, pace: 0.9 + 0.3*r.Float64(), last: months}
		switch x := r.Float64(); {
		case x < 0.08:
			p.pace = 0.4 + 0.3*r.Float64()
		case x < 0.2:
			p.pace = 0.74 + 0.14*r.Float64()
		}
		if r.Float64() < o.Missing {
			p.last = max(0, months-1-r.IntN(2))
		}
		plans = append(plans, p)
	}
	for m := 1; m <= months; m++ {
		if o.SetClock != nil {
			o.SetClock(time.Date(year, time.Month(m), 20+r.IntN(8), 10, r.IntN(60), 0, 0, time.Local))
		}
		var done []*duban.Report
		var mu sync.Mutex
		err := each(plans, func(p plan) error {
			if m > p.last {
				return nil
			}
			pct := min(100, int(float64(m)/12*100*p.pace))
			rep, err := s.SubmitReport(ctx, reporters[p.task.LeadUnitIDs[0]], p.task.ID, stored[m-1].ID, duban.ReportContent{
				Progress:  fmt.Sprintf("%d月：%s截至本月完成年度任务的%d%%。", m, strings.TrimSuffix(p.task.Content, "。")+"，", pct),
				NextSteps: "继续按计划推进，加强调度。", Percent: &pct, Version: 0,
			})
			if err != nil {
				return fmt.Errorf("reports: task %d month %d: %w", p.task.ID, m, err)
			}
			mu.Lock()
			done = append(done, rep)
			mu.Unlock()
			return nil
		})
		if err != nil {
			return err
		}
		if o.SetClock != nil {
			o.SetClock(time.Date(year, time.Month(m), 28, 15, r.IntN(60), 0, 0, time.Local))
		}
		verdicts := make(map[int64]duban.ReviewDecision, len(done))
		for _, rep := range done {
			verdicts[rep.ID] = duban.DecisionApprove
			if r.IntN(20) == 0 {
				verdicts[rep.ID] = duban.DecisionReturn
			}
		}
		err = each(done, func(rep *duban.Report) error {
			v := verdicts[rep.ID]
			comment := ""
			if v == duban.DecisionReturn {
				comment = "请补充具体数据和佐证材料"
			}
			_, err := s.ReviewReport(ctx, office, rep.ID, duban.Review{Decision: v, Comment: comment})
			return err
		})
		if err != nil {
			return fmt.Errorf("reports: review month %d: %w", m, err)
		}
	}
	return nil
}

// each runs fn for every item with 64 workers, and returns the first error.
func each[T any](items []T, fn func(T) error) error {
	work := make(chan T)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for it := range work {
				if err := fn(it); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, it := range items {
		select {
		case work <- it:
		case err := <-errs:
			close(work)
			wg.Wait()
			return err
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}
