package briefing

import (
	"context"
	"fmt"
	"time"

	"duban"
	"duban/calendar"
	"duban/progress"
	"duban/ranking"
)

// rulesKey is the organisation's configuration document of ranking rules.
const rulesKey = "ranking"

// Rules returns the organisation's ranking rules, the defaults where none
// were set.
func Rules(ctx context.Context, st duban.Store, a duban.Actor, org int64) (ranking.Rules, error) {
	r := ranking.DefaultRules()
	if _, err := st.FindConfig(ctx, a, org, rulesKey, &r); err != nil {
		return r, err
	}
	return r, nil
}

// SetRules checks and stores the organisation's ranking rules.
func SetRules(ctx context.Context, st duban.Store, a duban.Actor, org int64, r ranking.Rules) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return st.SetConfig(ctx, a, org, rulesKey, r)
}

// Ranking is 一榜: the units and the leaders' portfolios of an organisation
// scored and ranked for a year as of a day, with the rules in words, and the
// ranking's history at the end of each cycle's grace so far.
type Ranking struct {
	Year    int                `json:"year"`
	Result  ranking.Result     `json:"result"`
	History []ranking.Snapshot `json:"history"`
}

// Rank scores an organisation's units for year with its rules, as of the
// end of the day before asOf (数据截至昨日: a deadline of today is not over),
// and their history at each cycle's grace end before it.
func Rank(ctx context.Context, st duban.Store, a duban.Actor, org int64, year int, asOf time.Time, loc *time.Location) (*Ranking, error) {
	rules, err := Rules(ctx, st, a, org)
	if err != nil {
		return nil, err
	}
	in, err := rankingInput(ctx, st, a, org, year, loc)
	if err != nil {
		return nil, err
	}
	in.AsOf = calendar.DateOf(asOf.In(loc)).AddDays(-1)
	if end := calendar.NewDate(year, 12, 31); in.AsOf.After(end) {
		in.AsOf = end
	}
	var days []calendar.Date
	for _, c := range in.Cycles {
		if !c.GraceEnd.After(in.AsOf) {
			days = append(days, c.GraceEnd)
		}
	}
	return &Ranking{Year: year, Result: ranking.Score(in, rules), History: ranking.History(in, rules, days)}, nil
}

// rankingInput reads the facts of an organisation's year for the ranking.
func rankingInput(ctx context.Context, st duban.Store, a duban.Actor, org int64, year int, loc *time.Location) (ranking.Input, error) {
	in := ranking.Input{Location: loc, Units: map[int64]string{}, People: map[int64]string{}, Groups: map[int64][]int64{}}
	cycles, err := st.FindCycles(ctx, a, org, year)
	if err != nil {
		return in, err
	}
	for _, c := range cycles {
		rc := ranking.Cycle{ID: c.ID, Label: c.Label}
		var errs [3]error
		rc.PeriodEnd, errs[0] = calendar.Parse(c.PeriodEnd)
		rc.Due, errs[1] = calendar.Parse(c.Due)
		rc.GraceEnd, errs[2] = calendar.Parse(c.GraceEnd)
		if errs[0] != nil || errs[1] != nil || errs[2] != nil {
			return in, fmt.Errorf("cycle %d: bad dates", c.ID)
		}
		in.Cycles = append(in.Cycles, rc)
	}
	units, err := st.FindUnits(ctx, org)
	if err != nil {
		return in, err
	}
	for _, u := range units {
		in.Units[u.ID] = u.Name
		if u.Kind == duban.UnitGroup {
			in.Groups[u.ID] = u.MemberIDs
		}
	}
	people, err := st.FindPeople(ctx, org)
	if err != nil {
		return in, err
	}
	for _, p := range people {
		in.People[p.ID] = p.Name
	}
	// The deadline in force: an approved extension's, else the 完成时限.
	extended := map[int64]string{}
	approved := duban.ExtensionApproved
	for offset := 0; ; offset += 500 {
		xs, total, err := st.FindExtensions(ctx, a, duban.ExtensionFilter{OrgID: org, Status: &approved, Limit: 500, Offset: offset})
		if err != nil {
			return in, err
		}
		for i := len(xs) - 1; i >= 0; i-- { // newest first: the oldest is written first, the newest wins
			extended[xs[i].TaskID] = xs[i].NewDeadline
		}
		if offset+len(xs) >= total || len(xs) == 0 {
			break
		}
	}
	for offset := 0; ; offset += 500 {
		tasks, total, err := st.FindTasks(ctx, a, duban.TaskFilter{OrgID: org, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return in, err
		}
		for _, t := range tasks {
			deadline := calendar.NewDate(t.Year, 12, 31)
			if d, ok := progress.ParseDeadline(t.Deadline, t.Year); ok {
				deadline = calendar.MustParse(d)
			}
			if d, ok := extended[t.ID]; ok {
				if ed, err := calendar.Parse(d); err == nil {
					deadline = ed
				}
			}
			in.Tasks = append(in.Tasks, ranking.Task{ID: t.ID, Year: t.Year, LeadUnitIDs: t.LeadUnitIDs, LeadUnits: t.LeadUnits,
				LeaderIDs: t.LeaderIDs, Leaders: t.Leaders, Status: t.Status, Deadline: deadline, ClosedAt: t.ClosedAt})
		}
		if offset+len(tasks) >= total || len(tasks) == 0 {
			break
		}
	}
	for offset := 0; ; offset += duban.MaxBriefReports {
		reports, total, err := st.FindReports(ctx, a, duban.ReportFilter{OrgID: org, Year: &year, Brief: true, Limit: duban.MaxBriefReports, Offset: offset})
		if err != nil {
			return in, err
		}
		for _, r := range reports {
			rr := ranking.Report{ID: r.ID, TaskID: r.TaskID, CycleID: r.CycleID, Status: r.Status, SubmittedAt: r.SubmittedAt, Late: r.Late}
			if r.Percent != nil {
				p := float64(*r.Percent)
				rr.Percent = &p
			}
			for _, v := range r.Reviews {
				rr.Reviews = append(rr.Reviews, ranking.Review{Decision: v.Decision, Quality: v.Quality, At: v.At})
			}
			in.Reports = append(in.Reports, rr)
		}
		if offset+len(reports) >= total || len(reports) == 0 {
			break
		}
	}
	for offset := 0; ; offset += 500 {
		notices, total, err := st.FindNotices(ctx, a, duban.NoticeFilter{OrgID: org, Limit: 500, Offset: offset})
		if err != nil {
			return in, err
		}
		for _, n := range notices {
			d, err := calendar.Parse(n.Deadline)
			if err != nil {
				continue
			}
			in.Notices = append(in.Notices, ranking.Notice{ID: n.ID, TaskID: n.TaskID, UnitID: n.UnitID, Deadline: d,
				IssuedAt: n.IssuedAt, RespondedAt: n.RespondedAt, ClosedAt: n.ClosedAt})
		}
		if offset+len(notices) >= total || len(notices) == 0 {
			break
		}
	}
	return in, nil
}
