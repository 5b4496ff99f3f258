package briefing_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"duban"
	"duban/assess"
	"duban/briefing"
	"duban/importer"
	"duban/ingest"
	"duban/ranking"
	"duban/store/sqlite"
	"duban/store/synth"
)

// district is an organisation with the given sample documents imported.
func district(t *testing.T, files ...string) (*sqlite.Store, duban.Actor) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "duban.db"), sqlite.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	org := &duban.Org{Name: "渝中区"}
	if err := st.CreateOrg(ctx, duban.System(0), org); err != nil {
		t.Fatal(err)
	}
	admin := duban.Actor{Username: "office", Role: duban.RoleAdmin, OrgID: org.ID}
	svc := &importer.Service{Store: st, Limits: ingest.DefaultLimits}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("..", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		// The seeds are of years other than today's: acknowledged.
		req := importer.Request{OrgID: org.ID, FileName: f, Data: data, Acknowledge: true}
		if _, err := svc.Confirm(ctx, admin, req); err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
	}
	return st, admin
}

// TestEvaluateSeed001: the 2021 targets of the imported plan report judged
// as the report itself judges them: two misses, five pending, one
// borderline, the rest met.
func TestEvaluateSeed001(t *testing.T) {
	st, admin := district(t, "001_9361f94df469906e.txt")
	evals, err := briefing.Evaluate(context.Background(), st, admin, admin.OrgID, 2021, assess.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	by := map[assess.Status][]string{}
	for _, e := range evals {
		by[e.Status] = append(by[e.Status], e.Name)
		if e.Reason == "" {
			t.Errorf("%s: no reason", e.Name)
		}
	}
	if len(evals) != 23 || len(by[assess.StatusMissed]) != 2 || len(by[assess.StatusPending]) != 5 ||
		len(by[assess.StatusBorderline]) != 1 || len(by[assess.StatusMet]) != 15 {
		t.Fatalf("%d indicators: %v", len(evals), by)
	}
	for _, want := range []string{"研发经费投入强度", "绿化覆盖率"} {
		found := false
		for _, n := range by[assess.StatusMissed] {
			found = found || n == want
		}
		if !found {
			t.Errorf("%s is not among the misses %v", want, by[assess.StatusMissed])
		}
	}
	// An office that judges 研发经费投入强度 (a bare 0.8, reached by 0.7左右
	// only if less is better) lower-is-better sees it met; 绿化覆盖率's ≥40 is
	// a bound whatever the polarity.
	if err := briefing.SetPolarities(context.Background(), st, admin, admin.OrgID, map[string]assess.Polarity{"研发经费投入强度": assess.LowerIsBetter}); err != nil {
		t.Fatal(err)
	}
	evals, _ = briefing.Evaluate(context.Background(), st, admin, admin.OrgID, 2021, assess.LangZH)
	for _, e := range evals {
		if e.Name == "研发经费投入强度" && (e.Status == assess.StatusMissed || e.Polarity != assess.LowerIsBetter) {
			t.Errorf("the polarity override was not applied: %+v", e)
		}
	}
	if err := briefing.SetPolarities(context.Background(), st, admin, admin.OrgID, map[string]assess.Polarity{"x": "sideways"}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a bad polarity: %v", err)
	}
}

func TestConsistencyOfTheImportedDocuments(t *testing.T) {
	st, admin := district(t, "001_9361f94df469906e.txt", "003_01cb3e3d49b1f6f6.txt")
	rep, err := briefing.Consistency(context.Background(), st, admin, admin.OrgID, assess.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sources) != 2 || len(rep.Findings) == 0 {
		t.Fatalf("consistency: %d sources, %d findings", len(rep.Sources), len(rep.Findings))
	}
	restated := 0
	for _, f := range rep.Findings {
		if f.Kind == assess.FindingTargetRestated {
			restated++
		}
	}
	if restated == 0 {
		t.Errorf("no 2021 target of the work report found restated in the plan report: %+v", rep.Findings)
	}
}

func TestProposeLineage(t *testing.T) {
	v := func(year int) duban.IndicatorValue {
		return duban.IndicatorValue{Year: year, Kind: "target", Text: "6"}
	}
	inds := []*duban.Indicator{
		{ID: 1, Name: "地区生产总值（GDP）增速", Values: []duban.IndicatorValue{v(2020), v(2021)}},
		{ID: 2, Name: "地区生产总值增长", Values: []duban.IndicatorValue{v(2022), v(2023)}},
		{ID: 3, Name: "研发经费投入强度", Values: []duban.IndicatorValue{v(2021), v(2022)}},
		{ID: 4, Name: "绿化覆盖率", Values: []duban.IndicatorValue{v(2023)}},
	}
	got := briefing.ProposeLineage(inds, nil)
	if len(got) != 1 || got[0].IndicatorID != 2 || got[0].PreviousID != 1 {
		t.Fatalf("proposals %+v", got)
	}
	if got := briefing.ProposeLineage(inds, []duban.IndicatorLink{{IndicatorID: 2, PreviousID: 1}}); len(got) != 0 {
		t.Errorf("a confirmed link proposed again: %+v", got)
	}
}

func TestLinkIndicators(t *testing.T) {
	st, admin := district(t, "001_9361f94df469906e.txt")
	ctx := context.Background()
	inds, err := st.FindIndicators(ctx, admin.OrgID, nil)
	if err != nil || len(inds) < 2 {
		t.Fatalf("indicators: %d %v", len(inds), err)
	}
	l := &duban.IndicatorLink{IndicatorID: inds[1].ID, PreviousID: inds[0].ID, Kind: duban.LinkRedefined, Note: "口径调整"}
	if err := st.LinkIndicators(ctx, admin, admin.OrgID, l); err != nil {
		t.Fatal(err)
	}
	if err := st.LinkIndicators(ctx, admin, admin.OrgID, l); duban.ErrorCode(err) != duban.CodeConflict {
		t.Errorf("a link twice: %v", err)
	}
	viewer := admin
	viewer.Role = duban.RoleViewer
	if err := st.LinkIndicators(ctx, viewer, admin.OrgID, &duban.IndicatorLink{IndicatorID: inds[2].ID, PreviousID: inds[0].ID, Kind: duban.LinkRenamed}); duban.ErrorCode(err) != duban.CodeForbidden {
		t.Errorf("a viewer links: %v", err)
	}
	lin, err := briefing.FindLineage(ctx, st, viewer, admin.OrgID)
	if err != nil || len(lin.Links) != 1 || lin.Links[0].Kind != duban.LinkRedefined {
		t.Fatalf("lineage %+v %v", lin, err)
	}
	if err := st.UnlinkIndicators(ctx, admin, admin.OrgID, l.IndicatorID, l.PreviousID); err != nil {
		t.Fatal(err)
	}
}

func TestProjections(t *testing.T) {
	st, admin := district(t, "002_df832bfe8d5b9f39.txt")
	ctx := context.Background()
	year := 2024
	tasks, _, err := st.FindTasks(ctx, admin, duban.TaskFilter{OrgID: admin.OrgID, Year: &year, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var task *duban.Task
	for _, tk := range tasks {
		for _, g := range tk.Targets {
			if task == nil && g.Value != nil && g.Unit == "个" && len(tk.LeadUnitIDs) > 0 {
				task = tk
			}
		}
	}
	if task == nil {
		t.Fatal("no task with a count target in seed 002")
	}
	sc := duban.Schedule{OrgID: admin.OrgID, Year: 2024, Kind: duban.ScheduleQuarterly}
	cycles := []duban.Cycle{
		{OrgID: admin.OrgID, Year: 2024, Seq: 1, Label: "一季度", PeriodStart: "2024-01-01", PeriodEnd: "2024-03-31", Due: "2024-04-10", GraceEnd: "2024-04-12"},
		{OrgID: admin.OrgID, Year: 2024, Seq: 2, Label: "二季度", PeriodStart: "2024-04-01", PeriodEnd: "2024-06-30", Due: "2024-07-10", GraceEnd: "2024-07-12"},
	}
	if err := st.SetSchedule(ctx, admin, &sc, cycles); err != nil {
		t.Fatal(err)
	}
	stored, _ := st.FindCycles(ctx, admin, admin.OrgID, 2024)
	unit := task.LeadUnitIDs[0]
	u := &duban.User{OrgID: admin.OrgID, Username: "clerk", PasswordHash: "x", Role: duban.RoleReporter, UnitID: &unit}
	if err := st.CreateUser(ctx, admin, u); err != nil {
		t.Fatal(err)
	}
	rep := duban.Actor{UserID: u.ID, Username: "clerk", Role: duban.RoleReporter, OrgID: admin.OrgID, UnitID: &unit}
	g := task.Targets[0]
	for i, c := range stored {
		v := *g.Value * 0.15 * float64(i+1) // far behind 序时进度
		if _, err := st.SubmitReport(ctx, rep, task.ID, c.ID, duban.ReportContent{Progress: "x", Figures: []duban.Figure{{TargetID: g.ID, Value: v}}}); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := briefing.Projections(ctx, st, admin, admin.OrgID, 2024, time.Date(2024, 7, 15, 0, 0, 0, 0, time.UTC), assess.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || len(ps[0].Figures) != 2 || !ps[0].Projection.LikelyMiss || ps[0].Projection.Method == "" {
		t.Fatalf("projections %+v", ps)
	}
}

// TestRank: a district with ten months of reports is ranked, each score
// with its parts, and its history at each cycle's grace end.
func TestRank(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2024, 11, 15, 9, 0, 0, 0, time.UTC)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "duban.db"), sqlite.Options{Migrate: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	city, err := synth.Seed(ctx, st, 1, 60)
	if err != nil {
		t.Fatal(err)
	}
	org := city.Districts[0].ID
	if err := synth.Reports(ctx, st, org, 2024, synth.ReportOptions{Months: 10, PasswordHash: "x", Missing: 0.2,
		SetClock: func(at time.Time) { st.SetClock(func() time.Time { return at }) }}); err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return now })
	office := duban.Actor{Username: "office", Role: duban.RoleSupervisor, OrgID: org}
	rk, err := briefing.Rank(ctx, st, office, org, 2024, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	rated := 0
	for i, e := range rk.Result.Units {
		if !e.Rated {
			continue
		}
		rated++
		if e.Rank != rated || len(e.Parts) == 0 || e.Score < 0 || e.Score > rk.Result.Max {
			t.Fatalf("unit %d: %+v", i, e)
		}
		if i > 0 && rk.Result.Units[i-1].Rated && rk.Result.Units[i-1].Score < e.Score {
			t.Errorf("not in score order at %d", i)
		}
	}
	if rated < 10 || len(rk.Result.Leaders) == 0 || len(rk.Result.Rules) == 0 {
		t.Errorf("%d units rated, %d leaders, %d rule lines", rated, len(rk.Result.Leaders), len(rk.Result.Rules))
	}
	if len(rk.History) != 10 {
		t.Errorf("%d snapshots, want one per cycle whose grace ended", len(rk.History))
	}
	bad := ranking.DefaultRules()
	bad.Timeliness.Weight = -1
	admin := duban.Actor{Username: "admin", Role: duban.RoleAdmin, OrgID: org}
	if err := briefing.SetRules(ctx, st, admin, org, bad); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("bad rules: %v", err)
	}
	r := ranking.DefaultRules()
	r.Timeliness.Weight = 50
	if err := briefing.SetRules(ctx, st, admin, org, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := briefing.Rules(ctx, st, office, org); got.Timeliness.Weight != 50 {
		t.Errorf("rules read back: %+v", got.Timeliness)
	}
}
