package ranking_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"duban"
	"duban/calendar"
	"duban/ranking"
)

// district is a district's year as of 31 December 2024, made from seed: 100
// units (the last 20 of them streets, also led as the group 各街道), 15
// leaders, 250 tasks (one in ten led by two units, one in twenty by the
// group), 12 monthly cycles, a report of each task for each cycle (3,000,
// some late, after grace or never submitted, with reviews and ratings), 60
// supervision notices and some closures.
func district(seed uint64) ranking.Input {
	rng := rand.New(rand.NewPCG(seed, 2024))
	in := ranking.Input{
		AsOf: day("2024-12-31"), Location: cst, Cycles: monthly2024(),
		Units: map[int64]string{}, People: map[int64]string{}, Groups: map[int64][]int64{},
	}
	for u := int64(1); u <= 100; u++ {
		in.Units[u] = "单位" + strconv.FormatInt(u, 10)
		if u > 80 {
			in.Groups[200] = append(in.Groups[200], u)
		}
	}
	in.Units[200] = "各街道"
	for p := int64(1001); p <= 1015; p++ {
		in.People[p] = "领导" + strconv.FormatInt(p, 10)
	}
	stamp := func(d calendar.Date, hour int) *time.Time {
		y, m, dd := d.Parts()
		return new(time.Date(y, time.Month(m), dd, hour, 0, 0, 0, cst))
	}
	for id := int64(1); id <= 250; id++ {
		t := ranking.Task{ID: id, Year: 2024, Status: duban.StatusOnTrack,
			LeadUnitIDs: []int64{1 + rng.Int64N(100)}, LeaderIDs: []int64{1001 + rng.Int64N(15)}}
		switch rng.IntN(20) {
		case 0:
			t.LeadUnitIDs = []int64{200}
		case 1, 2:
			t.LeadUnitIDs = append(t.LeadUnitIDs, 1+rng.Int64N(100))
			t.LeaderIDs = append(t.LeaderIDs, 1001+rng.Int64N(15))
		}
		if rng.IntN(3) == 0 {
			t.Deadline = calendar.NewDate(2024, 6+rng.IntN(6), 30)
		}
		if rng.IntN(8) == 0 {
			t.ClosedAt = stamp(calendar.NewDate(2024, 3+rng.IntN(9), 1+rng.IntN(28)), 15)
			t.Status = duban.StatusClosed
		}
		in.Tasks = append(in.Tasks, t)
		pct := 0.0
		for m := 1; m <= 12; m++ {
			r := ranking.Report{ID: id*100 + int64(m), TaskID: id, CycleID: int64(m), Status: duban.ReportDraft}
			due := calendar.NewDate(2024, m, 25)
			switch k := rng.IntN(40); {
			case k == 0: // never submitted
			case k < 4:
				r.SubmittedAt, r.Late = stamp(due.AddDays(1+rng.IntN(6)), 9), true
			default:
				r.SubmittedAt = stamp(due.AddDays(-rng.IntN(10)), 9+rng.IntN(10))
			}
			pct = min(pct+rng.Float64()*12, 100)
			if rng.IntN(10) > 0 {
				r.Percent = new(float64(int(pct)))
			}
			if r.SubmittedAt != nil {
				r.Status = duban.ReportSubmitted
				if rng.IntN(10) < 9 {
					at := r.SubmittedAt.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
					if rng.IntN(8) == 0 {
						r.Reviews = append(r.Reviews, ranking.Review{Decision: duban.DecisionReturn, Quality: new(1 + rng.IntN(3)), At: at})
						at = at.Add(48 * time.Hour)
					}
					r.Reviews = append(r.Reviews, ranking.Review{Decision: duban.DecisionApprove, Quality: new(2 + rng.IntN(4)), At: at})
					r.Status = duban.ReportApproved
				}
			}
			in.Reports = append(in.Reports, r)
		}
	}
	for id := int64(1); id <= 60; id++ {
		t := in.Tasks[rng.IntN(len(in.Tasks))]
		issued := calendar.NewDate(2024, 2+rng.IntN(10), 1+rng.IntN(20))
		n := ranking.Notice{ID: id, TaskID: t.ID, UnitID: t.LeadUnitIDs[0], IssuedAt: *stamp(issued, 11), Deadline: issued.AddDays(7)}
		switch rng.IntN(4) {
		case 0: // unanswered
		case 1:
			n.RespondedAt = stamp(issued.AddDays(9), 16)
		default:
			n.RespondedAt = stamp(issued.AddDays(rng.IntN(7)), 16)
		}
		in.Notices = append(in.Notices, n)
	}
	return in
}

// graceEnds are the days History charts: each cycle's grace end.
func graceEnds(in ranking.Input) []calendar.Date {
	var ds []calendar.Date
	for _, c := range in.Cycles {
		ds = append(ds, c.GraceEnd)
	}
	return ds
}

// BenchmarkScore ranks a district (100 units, 250 tasks, 12 cycles, 3,000
// reports, 60 notices) with every line written: what the ranking page
// computes on each view.
func BenchmarkScore(b *testing.B) {
	in := district(1)
	r := ranking.DefaultRules()
	if res := ranking.Score(in, r); len(res.Units) != 100 || res.Units[0].Rank != 1 {
		b.Fatalf("Score gave %d units", len(res.Units))
	}
	b.ReportAllocs()
	for b.Loop() {
		ranking.Score(in, r)
	}
}

// BenchmarkHistory charts the same district at the twelve grace ends.
func BenchmarkHistory(b *testing.B) {
	in := district(1)
	r := ranking.DefaultRules()
	days := graceEnds(in)
	b.ReportAllocs()
	for b.Loop() {
		ranking.History(in, r, days)
	}
}
