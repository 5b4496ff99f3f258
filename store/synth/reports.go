package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"duban"
)

// Reports gives organisation orgID a monthly schedule for year and, through
// the store's own reporting path, months reports for each of its tasks: the
// lead unit's reporter (created here, one per unit, all sharing passwordHash)
// submits each month, and the office approves most of them and returns a few.
// Submissions run side by side, as units do, so that a batching store commits
// them together. The same arguments give the same reports.
func Reports(ctx context.Context, s duban.Store, orgID int64, year, months int, passwordHash string) error {
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
		u := &duban.User{OrgID: orgID, Username: fmt.Sprintf("synth%d_%d", orgID, unit), PasswordHash: passwordHash,
			Role: duban.RoleReporter, UnitID: &unit}
		if err := s.CreateUser(ctx, sys, u); err != nil {
			return fmt.Errorf("reports: %w", err)
		}
		reporters[unit] = duban.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: orgID, UnitID: &unit}
	}
	office := duban.Actor{Username: "synth-office", Role: duban.RoleSupervisor, OrgID: orgID}
	r := rand.New(rand.NewPCG(uint64(orgID), uint64(year)))
	type job struct {
		task    *duban.Task
		cycle   int64
		month   int
		percent int
		verdict duban.ReviewDecision
	}
	var jobs []job
	for _, t := range tasks {
		if len(t.LeadUnitIDs) == 0 {
			continue
		}
		pace := 0.6 + 0.6*r.Float64() // some tasks ahead of the year, some behind
		for m := 1; m <= months; m++ {
			p := min(100, int(float64(m)/12*100*pace))
			verdict := duban.DecisionApprove
			if r.IntN(20) == 0 {
				verdict = duban.DecisionReturn
			}
			jobs = append(jobs, job{task: t, cycle: stored[m-1].ID, month: m, percent: p, verdict: verdict})
		}
	}
	// A unit reports one month after the other; units report side by side.
	byTask := map[int64][]job{}
	var order []int64
	for _, j := range jobs {
		if _, ok := byTask[j.task.ID]; !ok {
			order = append(order, j.task.ID)
		}
		byTask[j.task.ID] = append(byTask[j.task.ID], j)
	}
	work := make(chan []job)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for list := range work {
				for _, j := range list {
					a := reporters[j.task.LeadUnitIDs[0]]
					rep, err := s.SubmitReport(ctx, a, j.task.ID, j.cycle, duban.ReportContent{
						Progress:  fmt.Sprintf("%d月：%s，完成年度任务的%d%%。", j.month, j.task.Content, j.percent),
						NextSteps: "继续按计划推进。", Percent: &j.percent,
					})
					if err == nil {
						comment := ""
						if j.verdict == duban.DecisionReturn {
							comment = "请补充具体数据"
						}
						_, err = s.ReviewReport(ctx, office, rep.ID, duban.Review{Decision: j.verdict, Comment: comment})
					}
					if err != nil {
						select {
						case errs <- fmt.Errorf("reports: task %d month %d: %w", j.task.ID, j.month, err):
						default:
						}
						return
					}
				}
			}
		})
	}
	for _, id := range order {
		select {
		case work <- byTask[id]:
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
