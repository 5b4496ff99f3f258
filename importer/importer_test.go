package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/importer"
	"duban/ingest"
	"duban/store/sqlite"
)

const seed002 = "../testdata/002_df832bfe8d5b9f39.txt"

// newLedger is an empty organisation in a fresh SQLite store, with the import
// service over it and an administrator to act as.
func newLedger(t *testing.T) (*importer.Service, *sqlite.Store, duban.Actor) {
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
	admin := duban.Actor{UserID: 0, Username: "office", Role: duban.RoleAdmin, OrgID: org.ID}
	return &importer.Service{Store: st, Limits: ingest.DefaultLimits, Now: func() time.Time { return today }}, st, admin
}

// today is the day the tests import on: the seeds are of 2024.
var today = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func readSeed(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(seed002)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importAll previews data and confirms it with every proposed merge accepted
// and any other place or year acknowledged.
func importAll(t *testing.T, svc *importer.Service, a duban.Actor, name string, data []byte) (*importer.Preview, *duban.ImportResult) {
	t.Helper()
	ctx := context.Background()
	req := importer.Request{OrgID: a.OrgID, FileName: name, Data: data, Merges: map[string]string{}, Acknowledge: true}
	p, err := svc.Preview(ctx, a, req)
	if err != nil {
		t.Fatalf("preview %s: %v", name, err)
	}
	for _, m := range p.Merges {
		req.Merges[m.Name] = m.Into
	}
	if p, err = svc.Preview(ctx, a, req); err != nil {
		t.Fatal(err)
	}
	req.Fingerprint = p.Fingerprint
	res, err := svc.Confirm(ctx, a, req)
	if err != nil {
		t.Fatalf("confirm %s: %v", name, err)
	}
	return p, res
}

func TestFirstImportProposesMergesAndRemembersAliases(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	p, err := svc.Preview(ctx, admin, importer.Request{OrgID: admin.OrgID, FileName: "002.txt", Data: readSeed(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Created) != 194 || len(p.Updated) != 0 || p.AlreadyImported != nil {
		t.Errorf("preview: %d created, %d updated, already %v", len(p.Created), len(p.Updated), p.AlreadyImported)
	}
	merge := func(name string) *importer.ProposedMerge {
		for i := range p.Merges {
			if p.Merges[i].Name == name {
				return &p.Merges[i]
			}
		}
		return nil
	}
	if m := merge("区政服办"); m == nil || m.Into != "区政务服务办" {
		t.Errorf("区政服办 not proposed as 区政务服务办: %+v", p.Merges)
	}
	if !slices.ContainsFunc(p.Groups, func(g importer.GroupExpansion) bool { return g.Name == "各街道" }) {
		t.Errorf("各街道 not shown as a group: %+v", p.Groups)
	}
	if !slices.ContainsFunc(p.Warnings, func(w ingest.Warning) bool { return w.Line > 0 }) {
		t.Errorf("warnings carry no lines: %+v", p.Warnings)
	}
	if docs, _ := st.FindDocuments(ctx, admin.OrgID); len(docs) != 0 {
		t.Fatalf("the preview wrote %d documents", len(docs))
	}

	_, res := importAll(t, svc, admin, "002.txt", readSeed(t))
	if res.TasksCreated != 194 {
		t.Errorf("created %d tasks", res.TasksCreated)
	}
	units, err := st.FindUnits(ctx, admin.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	var office *duban.Unit
	for _, u := range units {
		if u.Name == "区政服办" {
			t.Errorf("the merged name 区政服办 became a unit of its own")
		}
		if u.Name == "区政务服务办" {
			office = u
		}
	}
	if office == nil || !slices.Contains(office.Aliases, "区政服办") {
		t.Fatalf("区政务服务办 does not remember 区政服办: %+v", office)
	}
	// The task that wrote 区政服办 is held by 区政务服务办.
	tasks, _, err := st.FindTasks(ctx, admin, duban.TaskFilter{OrgID: admin.OrgID, UnitID: &office.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) < 5 {
		t.Errorf("区政务服务办 holds %d tasks", len(tasks))
	}
	for _, task := range tasks {
		for _, n := range append(task.LeadUnits, task.ResponsibleUnits...) {
			if n == "区政服办" {
				t.Errorf("task %d still names 区政服办", task.ID)
			}
		}
	}
}

func TestRevisedDocumentUpdatesAndShowsTheDifference(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	original := readSeed(t)
	importAll(t, svc, admin, "002.txt", original)

	// The same file again: the preview says so, and nothing would change.
	again, err := svc.Preview(ctx, admin, importer.Request{OrgID: admin.OrgID, FileName: "002.txt", Data: original})
	if err != nil {
		t.Fatal(err)
	}
	if again.AlreadyImported == nil || again.Unchanged != 194 || len(again.Created)+len(again.Updated) != 0 {
		t.Errorf("same file: already %v, unchanged %d, created %d, updated %d", again.AlreadyImported, again.Unchanged, len(again.Created), len(again.Updated))
	}

	// A revision: a target raised, a leader changed, a task dropped.
	revised := string(original)
	revised = strings.Replace(revised, "1.地区生产总值增长6%左右。", "1.地区生产总值增长6.5%左右。", 1)
	revised = strings.Replace(revised, "\t2.区级一般公共预算收入增长6%。\n\t邓光怀\n", "\t2.区级一般公共预算收入增长6%。\n\t陈  平\n", 1)
	i := strings.Index(revised, "\t3.固定资产投资")
	j := strings.Index(revised[i:], "\n\n") + i + 2
	revised = revised[:i] + revised[j:]
	if revised == string(original) || i < 0 {
		t.Fatal("the revision did not apply to the seed")
	}
	p, res := importAll(t, svc, admin, "002_revised.txt", []byte(revised))
	if len(p.Updated) != 2 || res.TasksUpdated != 2 || res.TasksCreated != 0 || p.Unchanged != 191 {
		t.Fatalf("revision: %d updated (%d applied), %d created, %d unchanged: %+v", len(p.Updated), res.TasksUpdated, res.TasksCreated, p.Unchanged, p.Updated)
	}
	changes := map[string]importer.FieldChange{}
	for _, u := range p.Updated {
		for _, c := range u.Changes {
			changes[c.Field] = c
		}
	}
	if c := changes["content"]; c.Before != "地区生产总值增长6%左右。" || c.After != "地区生产总值增长6.5%左右。" {
		t.Errorf("content change: %+v", c)
	}
	if c := changes["leaders"]; c.Before != "邓光怀" || c.After != "陈平" {
		t.Errorf("leader change: %+v", changes)
	}
	if len(p.Missing) != 1 || p.Missing[0].Number != 3 {
		t.Errorf("missing: %+v", p.Missing)
	}
	all, total, err := st.FindTasks(ctx, admin, duban.TaskFilter{OrgID: admin.OrgID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if total != 194 {
		t.Errorf("after the revision the ledger holds %d tasks; a task no longer in the document is kept for the office to decide", total)
	}
	for _, task := range all {
		if task.Section == "一、主要预期指标" && task.Number == 1 {
			if task.Version != 2 || len(task.Targets) != 1 || *task.Targets[0].Value != 6.5 {
				t.Errorf("task 1 after the revision: version %d, targets %+v", task.Version, task.Targets)
			}
		}
	}
}

func TestConfirmRefusesAChangedPlan(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	req := importer.Request{OrgID: admin.OrgID, FileName: "002.txt", Data: readSeed(t)}
	p, err := svc.Preview(ctx, admin, req)
	if err != nil {
		t.Fatal(err)
	}
	// Someone creates a unit the document names between preview and confirm.
	if err := st.CreateUnit(ctx, admin, &duban.Unit{OrgID: admin.OrgID, Name: "区发改委", Kind: duban.UnitSingle}); err != nil {
		t.Fatal(err)
	}
	req.Fingerprint = p.Fingerprint
	if _, err := svc.Confirm(ctx, admin, req); duban.ErrorCode(err) != duban.CodeConflict {
		t.Fatalf("confirm after the ledger changed: %v, want conflict", err)
	}
	if docs, _ := st.FindDocuments(ctx, admin.OrgID); len(docs) != 0 {
		t.Errorf("a refused confirm wrote %d documents", len(docs))
	}
}

func TestImportRefusals(t *testing.T) {
	svc, _, admin := newLedger(t)
	ctx := context.Background()
	reporter := admin
	reporter.Role = duban.RoleReporter
	if _, err := svc.Preview(ctx, reporter, importer.Request{FileName: "002.txt", Data: readSeed(t)}); duban.ErrorCode(err) != duban.CodeForbidden {
		t.Errorf("a reporter previews an import: %v", err)
	}
	other := admin
	if _, err := svc.Preview(ctx, other, importer.Request{OrgID: admin.OrgID + 1, FileName: "002.txt", Data: readSeed(t)}); duban.ErrorCode(err) != duban.CodeForbidden {
		t.Errorf("an import into another organisation: %v", err)
	}
	for name, data := range map[string][]byte{
		"empty.txt":  {},
		"binary.txt": {0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7},
		"bad.docx":   []byte("PK\x03\x04garbage"),
		"notes.txt":  []byte("随便写的一段话，没有年度。\n"),
	} {
		_, err := svc.Preview(ctx, admin, importer.Request{FileName: name, Data: data})
		if duban.ErrorCode(err) != duban.CodeInvalid || !strings.Contains(duban.ErrorMessage(err), name) {
			t.Errorf("%s: %v, want an invalid-document error naming the file", name, err)
		}
	}
}

// BenchmarkImportSeed002 measures what confirming the 2024 decomposition
// costs end to end: extraction, the comparison with the ledger, and the write
// of 194 tasks with their units, people and targets in one transaction, into
// a new organisation each time. Run with DUBAN_TEST_POSTGRES_URL set for the
// PostgreSQL figure.
func BenchmarkImportSeed002(b *testing.B) {
	data, err := os.ReadFile(seed002)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			st := openBenchStore(b, name)
			ctx := context.Background()
			svc := &importer.Service{Store: st, Limits: ingest.DefaultLimits}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				org := &duban.Org{Name: fmt.Sprintf("区%d", i)}
				if err := st.CreateOrg(ctx, duban.System(0), org); err != nil {
					b.Fatal(err)
				}
				a := duban.Actor{Username: "bench", Role: duban.RoleAdmin, OrgID: org.ID}
				req := importer.Request{OrgID: org.ID, FileName: "002.txt", Data: data, Acknowledge: true}
				res, err := svc.Confirm(ctx, a, req)
				if err != nil || res.TasksCreated != 194 {
					b.Fatalf("import: %v, %+v", err, res)
				}
			}
		})
	}
}

// TestIndicatorSystem: the plan report's tables make the indicators; the
// decomposition's first section adds its year's targets to them, by name
// as the two documents write it, and makes indicators of the targets the
// tables lack; the work report's targets join indicators already known.
func TestIndicatorSystem(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	read := func(name string) []byte {
		b, err := os.ReadFile("../testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	importAll(t, svc, admin, "001.txt", read("001_9361f94df469906e.txt"))
	before, err := st.FindIndicators(ctx, admin.OrgID, nil)
	if err != nil {
		t.Fatal(err)
	}
	importAll(t, svc, admin, "002.txt", readSeed(t))
	importAll(t, svc, admin, "003.txt", read("003_01cb3e3d49b1f6f6.txt"))
	after, err := st.FindIndicators(ctx, admin.OrgID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) <= len(before) {
		t.Errorf("%d indicators before the decomposition, %d after", len(before), len(after))
	}
	var gdp *duban.Indicator
	for _, ind := range after {
		if strings.HasPrefix(ind.Name, "地区生产总值") && strings.Contains(ind.Name, "增速") {
			gdp = ind
		}
	}
	if gdp == nil {
		t.Fatal("no GDP growth indicator")
	}
	years := map[string]string{}
	for _, v := range gdp.Values {
		years[fmt.Sprintf("%d %s", v.Year, v.Kind)] = v.Text
	}
	for _, want := range []string{"2021 target", "2021 actual", "2022 target", "2024 target"} {
		if _, ok := years[want]; !ok {
			t.Errorf("%s has no %s: %v", gdp.Name, want, years)
		}
	}
	if !strings.Contains(years["2024 target"], "6%左右") {
		t.Errorf("2024 target = %q", years["2024 target"])
	}
	// The plan report's 2021 target stands: the work report of 2021 does not
	// replace it.
	for _, ind := range before {
		if ind.Name != gdp.Name {
			continue
		}
		for _, v := range ind.Values {
			if v.Year == 2021 && v.Kind == "target" && years["2021 target"] != v.Text {
				t.Errorf("the 2021 target changed from %q to %q", v.Text, years["2021 target"])
			}
		}
	}
}
