package ranking_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"duban"
	"duban/calendar"
	"duban/ranking"
)

// year is a unit's reporting in the first four months of 2024, as of 28 April:
// unit 1 (区发改委) reports on task 1, unit 2 (区商务委) closes task 2 early in
// April, unit 3 (区教委) has task 3 done by its targets as of 28 April.
func year() ranking.Input {
	t2 := closedTask(2, "2024-06-30", "2024-04-10")
	t2.LeadUnitIDs = []int64{2}
	t3 := task(3, "2024-03-20")
	t3.LeadUnitIDs, t3.Status = []int64{3}, duban.StatusDone
	in := org("2024-04-28", []ranking.Task{task(1, ""), t2, t3}, []ranking.Report{
		// Returned, resubmitted and approved on 2 February.
		report(1, 1, "2024-01-20", 8, returned("2024-01-22"), approved(4, "2024-02-02")),
		report(1, 2, "2024-03-01", 15, approved(3, "2024-03-03")), // after grace
		report(1, 3, "2024-03-27", 22),                            // within grace, not reviewed
	}, ranking.Notice{ID: 1, TaskID: 1, UnitID: 1, IssuedAt: at("2024-03-05"), Deadline: day("2024-03-12"),
		RespondedAt: new(at("2024-04-01"))})
	in.Units[2], in.Units[3] = "区商务委", "区教委"
	return in
}

func TestHistoryKnowsOnlyThePast(t *testing.T) {
	in := year()
	days := []calendar.Date{day("2024-01-28"), day("2024-02-28"), day("2024-03-28"), day("2024-04-28")}
	got := ranking.History(in, ranking.DefaultRules(), days)
	if len(got) != len(days) {
		t.Fatalf("History gave %d snapshots for %d days", len(got), len(days))
	}
	// Unit 1, day by day:
	//   - 28 January: January on time; its report returned on the 22nd and
	//     approved only on 2 February, so nothing is in and nothing rated.
	//   - 28 February: February missing at its grace end; January approved
	//     and rated 4: 8% on 20 January is ahead of 序时进度.
	//   - 28 March: February in after grace, March within grace; March's 22%
	//     on 27 March is 92.55% of 序时进度 (87/366); the notice due on 12
	//     March unanswered.
	//   - 28 April: April missing; the notice answered late on 1 April.
	want := []ranking.Standing{
		{ID: 1, Name: "区发改委", Score: 51, Timeliness: 30, Completion: 0, Quality: 12, Notice: 10, Deducted: 1},
		{ID: 1, Name: "区发改委", Score: 78, Timeliness: 15, Completion: 40, Quality: 16, Notice: 10, Deducted: 3},
		{ID: 1, Name: "区发改委", Score: 61.02, Timeliness: 15, Completion: 37.02, Quality: 14, Notice: 0, Deducted: 5},
		{ID: 1, Name: "区发改委", Score: 60.27, Timeliness: 11.25, Completion: 37.02, Quality: 14, Notice: 5, Deducted: 7},
	}
	var unit1 []ranking.Standing
	for i, s := range got {
		if s.Day != days[i] {
			t.Errorf("snapshot %d is of %s, want %s", i, s.Day, days[i])
		}
		unit1 = append(unit1, standing(t, s.Units, 1))
	}
	if diff := cmp.Diff(want, unit1, cmpopts.IgnoreFields(ranking.Standing{}, "Rank")); diff != "" {
		t.Errorf("unit 1 mismatch (-want +got):\n%s", diff)
	}

	// Task 2, closed on 10 April, earns its bonus only in April; task 3,
	// done as of 28 April, is past its deadline on 28 March.
	if b := standing(t, got[2].Units, 2).Bonus; b != 0 {
		t.Errorf("unit 2 has a bonus of %v on 28 March, before its closure", b)
	}
	if b := standing(t, got[3].Units, 2).Bonus; b != 1 {
		t.Errorf("unit 2 has a bonus of %v on 28 April, want 1", b)
	}
	if s := standing(t, got[2].Units, 3); s.Completion != 0 || s.Deducted != 3+3*2 {
		t.Errorf("unit 3 on 28 March = %+v, want no completion and 3 deducted for the deadline, 2 for each month", s)
	}
	if s := standing(t, got[3].Units, 3); s.Completion != 40 {
		t.Errorf("unit 3 on 28 April = %+v, want it done", s)
	}

	// The last day is Input.AsOf: History agrees with Score.
	res := ranking.Score(in, ranking.DefaultRules())
	for i, e := range res.Units {
		s := got[3].Units[i]
		if e.ID != s.ID || e.Rank != s.Rank || e.Score != s.Score || e.Deducted != s.Deducted || e.Bonus != s.Bonus {
			t.Errorf("Score gives %d %s rank %d score %v, History %+v", e.ID, e.Name, e.Rank, e.Score, s)
		}
	}
	if e := entry(t, res.Leaders, 9, ""); e.Score != standing(t, got[3].Leaders, 9).Score {
		t.Errorf("leader 9: Score gives %v, History %+v", e.Score, got[3].Leaders)
	}
}

// standing finds the standing of id in ss.
func standing(t *testing.T, ss []ranking.Standing, id int64) ranking.Standing {
	t.Helper()
	for _, s := range ss {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no standing %d in %+v", id, ss)
	return ranking.Standing{}
}

func TestHistoryDays(t *testing.T) {
	in := year()
	days := []calendar.Date{day("2024-03-28"), day("2024-01-01"), day("2024-03-28")}
	got := ranking.History(in, ranking.DefaultRules(), days)
	if diff := cmp.Diff(got[0], got[2]); diff != "" {
		t.Errorf("the same day twice differs (-first +second):\n%s", diff)
	}
	for _, s := range got[1].Units {
		if s.Rank != 0 || s.Score != 0 {
			t.Errorf("on 1 January, before anything is due, %+v is ranked", s)
		}
	}
	if diff := cmp.Diff(got, ranking.History(in, ranking.DefaultRules(), days)); diff != "" {
		t.Errorf("History twice differs (-first +second):\n%s", diff)
	}
	if got := ranking.History(in, ranking.DefaultRules(), nil); len(got) != 0 {
		t.Errorf("History without days = %v", got)
	}
}

func TestHistoryOfADistrict(t *testing.T) {
	in := district(3)
	r := ranking.DefaultRules()
	got := ranking.History(in, r, graceEnds(in))
	res := ranking.Score(in, r)
	for i, snap := range got {
		for _, ss := range [][]ranking.Standing{snap.Units, snap.Leaders} {
			checkRanks(t, snap.Day.String(), ss, res.Max)
		}
		if i == 0 {
			continue
		}
		// Nothing is forgotten: what was judged stays judged.
		for _, s := range got[i-1].Units {
			if s.Rank > 0 && standing(t, snap.Units, s.ID).Rank == 0 {
				t.Errorf("unit %d ranked on %s, not on %s", s.ID, got[i-1].Day, snap.Day)
			}
		}
	}
}

// checkRanks fails unless the ranked of ss come first with ranks 1 to n, in
// order of score, each score within [0, max], and the others have rank 0 and
// no score.
func checkRanks(t *testing.T, what string, ss []ranking.Standing, max float64) {
	t.Helper()
	for i, s := range ss {
		switch {
		case s.Rank == 0 && s.Score != 0:
			t.Errorf("%s: %s not ranked has score %v", what, s.Name, s.Score)
		case s.Rank != 0 && s.Rank != i+1:
			t.Errorf("%s: %s is %d-th with rank %d", what, s.Name, i+1, s.Rank)
		case s.Score < 0 || s.Score > max:
			t.Errorf("%s: %s scores %v, out of [0, %v]", what, s.Name, s.Score, max)
		case i > 0 && s.Rank != 0 && (ss[i-1].Rank == 0 || ss[i-1].Score < s.Score):
			t.Errorf("%s: %s (%v) after %s (%v, rank %d)", what, s.Name, s.Score, ss[i-1].Name, ss[i-1].Score, ss[i-1].Rank)
		}
	}
}
