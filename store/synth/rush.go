package synth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"duban"
)

// Rush is the set-up of a deadline rush: one district whose every task is
// led by a unit of its own, each unit with a reporter holding an API token,
// and the year's first reporting cycle open.
type Rush struct {
	OrgID   int64      `json:"org_id"`
	CycleID int64      `json:"cycle_id"`
	Units   []RushUnit `json:"units"`
}

// RushUnit is one unit of a rush: its task and its reporter's API token
// (sent as Authorization: Bearer).
type RushUnit struct {
	TaskID int64  `json:"task_id"`
	Token  string `json:"token"`
}

// SeedRush creates, as the system actor, a district of n units and n tasks
// for year with one monthly cycle, and a reporter with an API token for each
// unit. passwordHash is every reporter's password hash: hashing thousands of
// passwords would take minutes.
func SeedRush(ctx context.Context, s duban.Store, n, year int, passwordHash string) (*Rush, error) {
	sys := duban.System(0)
	org := &duban.Org{Name: fmt.Sprintf("赛马区%d", year)}
	if err := s.CreateOrg(ctx, sys, org); err != nil {
		return nil, fmt.Errorf("rush: %w", err)
	}
	as := duban.System(org.ID)
	plan := &duban.ImportPlan{OrgID: org.ID, Document: duban.Document{
		FileName: "rush.txt", Kind: "decomposition", Year: year, Title: fmt.Sprintf("%d年赛马任务", year),
		Content: fmt.Appendf(nil, "赛马 %d %d", n, year),
	}}
	for i := range n {
		unit := fmt.Sprintf("第%d单位", i+1)
		plan.NewUnits = append(plan.NewUnits, duban.Unit{Name: unit, Kind: duban.UnitSingle})
		plan.Tasks = append(plan.Tasks, duban.PlannedTask{
			Task:          duban.Task{Year: year, Section: sections[i%len(sections)], Number: i/len(sections) + 1, Content: fmt.Sprintf("完成第%d项重点工作。", i+1)},
			LeadUnitNames: []string{unit},
		})
	}
	if _, err := s.ApplyImport(ctx, as, plan); err != nil {
		return nil, fmt.Errorf("rush: import: %w", err)
	}
	sc := &duban.Schedule{OrgID: org.ID, Year: year, Kind: duban.ScheduleCustom, Dates: []string{fmt.Sprintf("%d-12-31", year)}, Shift: duban.ShiftNone}
	cycle := duban.Cycle{OrgID: org.ID, Year: year, Seq: 1, Label: fmt.Sprintf("%d年", year),
		PeriodStart: fmt.Sprintf("%d-01-01", year), PeriodEnd: fmt.Sprintf("%d-12-31", year),
		Due: fmt.Sprintf("%d-12-31", year), GraceEnd: fmt.Sprintf("%d-12-31", year)}
	if err := s.SetSchedule(ctx, as, sc, []duban.Cycle{cycle}); err != nil {
		return nil, fmt.Errorf("rush: schedule: %w", err)
	}
	cycles, err := s.FindCycles(ctx, as, org.ID, year)
	if err != nil {
		return nil, err
	}
	units, err := s.FindUnits(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	unitByName := map[string]int64{}
	for _, u := range units {
		unitByName[u.Name] = u.ID
	}
	r := &Rush{OrgID: org.ID, CycleID: cycles[0].ID}
	for offset := 0; offset < n; offset += 500 {
		tasks, _, err := s.FindTasks(ctx, as, duban.TaskFilter{OrgID: org.ID, Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			unit := unitByName[t.LeadUnits[0]]
			u := &duban.User{OrgID: org.ID, Username: fmt.Sprintf("rush%d_%d", org.ID, unit), PasswordHash: passwordHash,
				Role: duban.RoleReporter, UnitID: &unit}
			if err := s.CreateUser(ctx, as, u); err != nil {
				return nil, fmt.Errorf("rush: user: %w", err)
			}
			b := make([]byte, 24)
			rand.Read(b)
			token := "dbn_" + hex.EncodeToString(b)
			if err := s.CreateAPIToken(ctx, as, &duban.APIToken{UserID: u.ID, Name: "rush", TokenHash: duban.HashToken(token)}); err != nil {
				return nil, fmt.Errorf("rush: token: %w", err)
			}
			r.Units = append(r.Units, RushUnit{TaskID: t.ID, Token: token})
		}
	}
	return r, nil
}
