package ranking_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/calendar"
	"duban/ranking"
)

// bytes reads a fuzzer's data a byte at a time, 0 once it runs out.
type bytes struct{ b []byte }

func (r *bytes) next() int {
	if len(r.b) == 0 {
		return 0
	}
	v := int(r.b[0])
	r.b = r.b[1:]
	return v
}

// of is a byte below n.
func (r *bytes) of(n int) int { return r.next() % n }

var (
	fuzzStatuses   = []duban.TaskStatus{duban.StatusOnTrack, duban.StatusDone, duban.StatusClosed, duban.StatusBehind, "", "lost"}
	fuzzReports    = []duban.ReportStatus{duban.ReportSubmitted, duban.ReportApproved, duban.ReportReturned, duban.ReportEvidenceRequested, duban.ReportDraft, "lost"}
	fuzzDecisions  = []duban.ReviewDecision{duban.DecisionApprove, duban.DecisionReturn, duban.DecisionRequestEvidence, "lost"}
	fuzzPercents   = []float64{0, 10, 55, 99.995, 100, 150, -5, math.NaN(), math.Inf(1), math.Inf(-1)}
	fuzzLocations  = []*time.Location{nil, cst, time.UTC, time.FixedZone("west", -11*3600)}
	fuzzYears      = []int{2024, 0, 2023, 99999}
	fuzzNamesUnits = []string{"", "区城管局", "各部门"}
)

// fuzzInput makes an organisation of up to 6 units, a group, 4 leaders, 5
// cycles, 8 tasks, 16 reports and 6 notices of data, with IDs that point at
// nothing, odd percents, statuses and decisions among them.
func fuzzInput(data []byte, asOf int16) ranking.Input {
	r := &bytes{data}
	base := calendar.NewDate(2024, 1, 1)
	loc := fuzzLocations[r.of(len(fuzzLocations))]
	instant := func() time.Time {
		d := base.AddDays(r.next() + r.next() - 40)
		y, m, dd := d.Parts()
		return time.Date(y, time.Month(m), dd, r.of(24), r.of(60), 0, 0, cst)
	}
	date := func() calendar.Date {
		if v := r.next(); v != 0 {
			return base.AddDays(v + r.next() - 60)
		}
		return calendar.Date{}
	}
	in := ranking.Input{
		AsOf: base.AddDays(int(asOf)), Location: loc,
		Units: map[int64]string{}, People: map[int64]string{}, Groups: map[int64][]int64{},
	}
	nu := 1 + r.of(6)
	for u := 1; u <= nu; u++ {
		in.Units[int64(u)] = "单位" + strconv.Itoa(u)
	}
	group := int64(nu + 1)
	in.Units[group] = "各街道"
	switch r.of(4) {
	case 0:
		in.Groups[group] = []int64{1, group, 2} // among its own members
	case 1:
		in.Groups[group] = nil
	default:
		in.Groups[group] = []int64{1, 2}
	}
	for p := 1; p <= r.of(5); p++ {
		in.People[int64(100+p)] = "领导" + strconv.Itoa(p)
	}
	for c := 1; c <= r.of(6); c++ {
		due := date()
		in.Cycles = append(in.Cycles, ranking.Cycle{ID: int64(r.of(7)), PeriodEnd: date(), Due: due, GraceEnd: due.AddDays(r.of(9) - 2)})
	}
	for i := range r.of(9) {
		t := ranking.Task{ID: int64(r.of(10)), Year: fuzzYears[r.of(len(fuzzYears))],
			Status: fuzzStatuses[r.of(len(fuzzStatuses))], Deadline: date()}
		for range r.of(3) {
			t.LeadUnitIDs = append(t.LeadUnitIDs, int64(r.of(nu+3)))
			t.LeadUnits = append(t.LeadUnits, fuzzNamesUnits[r.of(len(fuzzNamesUnits))])
		}
		for range r.of(3) {
			t.LeaderIDs = append(t.LeaderIDs, int64([]int{0, 101, 102, 107}[r.of(4)]))
		}
		if i%2 == 0 {
			t.Leaders = []string{"张三"}
		}
		if r.of(3) == 0 {
			t.ClosedAt = new(instant())
		}
		in.Tasks = append(in.Tasks, t)
	}
	for range r.of(17) {
		rep := ranking.Report{ID: int64(r.next()), TaskID: int64(r.of(10)), CycleID: int64(r.of(7)),
			Status: fuzzReports[r.of(len(fuzzReports))], Late: r.of(2) == 0}
		if r.of(4) > 0 {
			rep.SubmittedAt = new(instant())
		}
		if v := r.of(len(fuzzPercents) + 1); v < len(fuzzPercents) {
			rep.Percent = new(fuzzPercents[v])
		}
		for range r.of(4) {
			rep.Reviews = append(rep.Reviews, ranking.Review{Decision: fuzzDecisions[r.of(len(fuzzDecisions))],
				Quality: new(r.of(8) - 1), At: instant()})
		}
		in.Reports = append(in.Reports, rep)
	}
	for range r.of(7) {
		n := ranking.Notice{ID: int64(r.of(8)), TaskID: int64(r.of(10)), UnitID: int64(r.of(nu + 3)), Deadline: date(), IssuedAt: instant()}
		if r.of(2) == 0 {
			n.RespondedAt = new(instant())
		}
		if r.of(3) == 0 {
			n.ClosedAt = new(instant())
		}
		in.Notices = append(in.Notices, n)
	}
	return in
}

// fuzzRules are the default rules with some values taken from the fuzzer,
// valid or not, as mode's bits say.
func fuzzRules(mode uint16, weight, credit, points float64, daysAhead int16) ranking.Rules {
	r := ranking.DefaultRules()
	set := []func(){
		func() { r.Timeliness.Weight = weight },
		func() { r.Completion.Weight, r.Quality.Weight = weight, weight },
		func() { r.Notice.Weight = weight },
		func() { r.Timeliness.LateCredit, r.Notice.LateCredit = credit, credit },
		func() { r.Quality.Unrated = credit },
		func() { r.Returned.Points, r.BeyondGrace.Points = points, points },
		func() { r.NoticeOverdue.Points, r.PastDeadline.Points = points, points },
		func() { r.Returned.Cap, r.PastDeadline.Cap = points, points },
		func() { r.DeductionCap = points },
		func() { r.EarlyClosure.Points = points },
		func() { r.EarlyClosure.Cap = weight },
		func() { r.EarlyClosure.DaysAhead = int(daysAhead) },
	}
	for i, f := range set {
		if mode&(1<<i) != 0 {
			f()
		}
	}
	return r
}

// FuzzScore checks that Score never panics on any input and rules; that
// every score lies within [0, Max] and is the sum of its parts; that the
// ranked come first, ranked 1 to n by score, and the others have no rank,
// score or parts; that every line is written in both languages; that Score is
// deterministic; and that History on AsOf agrees with it.
func FuzzScore(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, asOf int16, mode uint16, weight, credit, points float64, daysAhead int16) {
		in := fuzzInput(data, asOf)
		r := fuzzRules(mode, weight, credit, points, daysAhead)
		res := ranking.Score(in, r)
		if math.IsNaN(res.Max) || res.Max < 0 {
			t.Fatalf("Max = %v", res.Max)
		}
		for _, l := range res.Rules {
			if l.Text == "" || l.TextEN == "" {
				t.Errorf("rule line %+v", l)
			}
		}
		for _, es := range [][]ranking.Entry{res.Units, res.Leaders} {
			for i, e := range es {
				switch {
				case !e.Rated && (e.Rank != 0 || e.Score != 0 || len(e.Parts) != 0 || e.Reason == "" || e.ReasonEN == ""):
					t.Errorf("entry not assessed %+v", e)
				case !e.Rated:
				case e.Rank != i+1:
					t.Errorf("%s is %d-th with rank %d", e.Name, i+1, e.Rank)
				case !(e.Score >= 0 && e.Score <= res.Max):
					t.Errorf("%s scores %v, out of [0, %v]", e.Name, e.Score, res.Max)
				case i > 0 && (!es[i-1].Rated || es[i-1].Score < e.Score):
					t.Errorf("%s (%v) ranked after %s (%v)", e.Name, e.Score, es[i-1].Name, es[i-1].Score)
				case i > 0 && es[i-1].Score == e.Score && e.TieBreak == nil:
					t.Errorf("%s ties with %s without a word", e.Name, es[i-1].Name)
				}
				for _, p := range e.Parts {
					if p.Text == "" || p.TextEN == "" || math.IsNaN(p.Points) {
						t.Errorf("%s: part %+v", e.Name, p)
					}
				}
			}
			checkSum(t, es)
		}
		if diff := cmp.Diff(res, ranking.Score(in, r)); diff != "" {
			t.Fatalf("Score twice differs (-first +second):\n%s", diff)
		}
		snap := ranking.History(in, r, []calendar.Date{in.AsOf})[0]
		for i, e := range res.Units {
			if s := snap.Units[i]; s.ID != e.ID || s.Name != e.Name || s.Rank != e.Rank || s.Score != e.Score {
				t.Errorf("History on AsOf gives %+v, Score %+v", s, e)
			}
		}
	})
}
