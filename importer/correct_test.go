package importer_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/importer"
	"duban/ingest"
)

const (
	county2025 = "../testdata/own/county_decomposition_2025.txt"
	baotou2011 = "../testdata/real/city_baotou_2011_decomposition.txt"
)

func ptr[T any](v T) *T { return &v }

func findTask(p *importer.Preview, line int) *importer.PreviewTask {
	for i := range p.Tasks {
		if p.Tasks[i].Line == line {
			return &p.Tasks[i]
		}
	}
	return nil
}

// TestCorrections corrects the 2024 decomposition before importing it: a
// task's fields edited, a task dropped, and an edit that changes nothing
// left out.
func TestCorrections(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	data := readSeed(t)
	plain, err := svc.Preview(ctx, admin, importer.Request{FileName: "002.txt", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Tasks) != 194 || len(plain.Headers) != 1 {
		t.Fatalf("the preview shows %d tasks, %d headers", len(plain.Tasks), len(plain.Headers))
	}
	first := findTask(plain, 27)
	if first == nil || first.Status != importer.TaskCreated || first.Content != "地区生产总值增长6%左右。" ||
		!slices.Equal(first.Leaders, []string{"邓光怀"}) || len(first.Targets) != 1 || first.Targets[0].Text != "地区生产总值增长6%左右" {
		t.Fatalf("task of line 27: %+v", first)
	}

	req := importer.Request{FileName: "002.txt", Data: data, Corrections: importer.Corrections{
		Tasks: []importer.TaskEdit{
			{Line: 27, Content: ptr("地区生产总值增长6.5%左右。"), Leaders: &[]string{"陈  平"}, Deadline: ptr("2024年12月底")},
			// The same as read: no correction.
			{Line: 32, LeadUnits: &[]string{"区财政局"}, Content: ptr(" 区级一般公共预算收入增长6%。\r\n")},
		},
		Dropped: []int{37},
	}}
	p, err := svc.Preview(ctx, admin, req)
	if err != nil {
		t.Fatal(err)
	}
	want := importer.Corrections{
		Tasks:   []importer.TaskEdit{{Line: 27, Content: ptr("地区生产总值增长6.5%左右。"), Leaders: &[]string{"陈平"}, Deadline: ptr("2024年12月底")}},
		Dropped: []int{37},
		Added:   []importer.TaskEdit{},
		Columns: map[string]ingest.ColumnRole{},
	}
	if diff := cmp.Diff(want, p.Corrections); diff != "" {
		t.Errorf("the corrections that change something (-want +got):\n%s", diff)
	}
	if p.Fingerprint == plain.Fingerprint {
		t.Error("the fingerprint does not cover the corrections")
	}
	edited := findTask(p, 27)
	if edited.Content != "地区生产总值增长6.5%左右。" || !slices.Equal(edited.Leaders, []string{"陈平"}) || edited.Deadline != "2024年12月底" ||
		!slices.Equal(edited.Edited, []string{"content", "leaders", "deadline"}) || len(edited.Targets) != 1 || *edited.Targets[0].Value != 6.5 {
		t.Errorf("the edited task: %+v", edited)
	}
	if got := findTask(p, 37); got == nil || got.Status != importer.TaskDropped {
		t.Errorf("the dropped task: %+v", got)
	}
	if len(p.Created) != 193 {
		t.Errorf("%d tasks to create, want 193 (one dropped)", len(p.Created))
	}

	req.Fingerprint = plain.Fingerprint
	if _, err := svc.Confirm(ctx, admin, req); duban.ErrorCode(err) != duban.CodeConflict {
		t.Errorf("confirming corrections with the fingerprint of the plain preview: %v, want conflict", err)
	}
	req.Fingerprint = p.Fingerprint
	if _, err := svc.Confirm(ctx, admin, req); err != nil {
		t.Fatal(err)
	}
	tasks, total, err := st.FindTasks(ctx, admin, duban.TaskFilter{OrgID: admin.OrgID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if total != 193 {
		t.Errorf("the ledger holds %d tasks", total)
	}
	for _, task := range tasks {
		switch task.SourceLine {
		case 27:
			if task.Content != "地区生产总值增长6.5%左右。" || !slices.Equal(task.Leaders, []string{"陈平"}) || task.Deadline != "2024年12月底" {
				t.Errorf("the edited task in the ledger: %+v", task)
			}
		case 37:
			t.Errorf("the dropped task was imported")
		}
	}
	want2 := duban.ImportReview{Edited: []int{27}, Dropped: []int{37}, Added: []int{}, Columns: map[string]string{}, Acknowledged: []string{}}
	if diff := cmp.Diff(want2, importReview(t, st, admin, "002.txt")); diff != "" {
		t.Errorf("the audit log's record of the corrections (-want +got):\n%s", diff)
	}
}

// importReview is the review the audit log keeps of the import of a file.
func importReview(t *testing.T, st duban.Store, admin duban.Actor, file string) duban.ImportReview {
	t.Helper()
	entries, _, err := st.FindAudit(context.Background(), duban.AuditFilter{OrgID: admin.OrgID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		var after struct {
			Document duban.Document     `json:"document"`
			Review   duban.ImportReview `json:"review"`
		}
		if e.Action == "document.import" && json.Unmarshal(e.After, &after) == nil && after.Document.FileName == file {
			return after.Review
		}
	}
	t.Fatalf("no import of %s in the audit log", file)
	return duban.ImportReview{}
}

// TestParagraphTakenAsTask takes a paragraph that no rule of the reader took
// (包头市's notice asks for plans by 20 April) as a task: it joins the
// section of the task above it, or of the first, numbered after the last of
// that section, with the units the office gives.
func TestParagraphTakenAsTask(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	data, err := os.ReadFile(baotou2011)
	if err != nil {
		t.Fatal(err)
	}
	req := importer.Request{FileName: "baotou.txt", Data: data, Acknowledge: true}
	plain, err := svc.Preview(ctx, admin, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Unread) == 0 || len(plain.Tasks) == 0 {
		t.Fatalf("%d paragraphs not read and %d tasks: nothing to take", len(plain.Unread), len(plain.Tasks))
	}
	para := plain.Unread[len(plain.Unread)-1]
	section, last := plain.Tasks[0].Section, 0
	for _, task := range plain.Tasks {
		if task.Line < para.Line {
			section = task.Section
		}
	}
	for _, task := range plain.Tasks {
		if task.Section == section {
			last = max(last, task.Number)
		}
	}
	req.Corrections = importer.Corrections{Added: []importer.TaskEdit{{Line: para.Line, LeadUnits: &[]string{"市政府督查室"}, Deadline: ptr("4月20日前")}}}
	p, err := svc.Preview(ctx, admin, req)
	if err != nil {
		t.Fatal(err)
	}
	added := findTask(p, para.Line)
	if added == nil || !added.Added || added.Status != importer.TaskCreated || added.Section != section || added.Number != last+1 ||
		!slices.Equal(added.LeadUnits, []string{"市政府督查室"}) || added.Deadline != "4月20日前" || added.Content == "" {
		t.Fatalf("the paragraph of line %d taken as a task: %+v", para.Line, added)
	}
	if len(p.Created) != len(plain.Created)+1 || !slices.Contains(p.NewUnits, "市政府督查室") {
		t.Errorf("%d tasks to create (%d before), new units %v", len(p.Created), len(plain.Created), p.NewUnits)
	}
	// Taken and dropped again, it is simply not taken.
	again := req
	again.Corrections.Dropped = []int{para.Line}
	if q, err := svc.Preview(ctx, admin, again); err != nil || findTask(q, para.Line) != nil || len(q.Corrections.Added) != 0 {
		t.Errorf("a paragraph taken and dropped: %v", err)
	}
	req.Fingerprint = p.Fingerprint
	if _, err := svc.Confirm(ctx, admin, req); err != nil {
		t.Fatal(err)
	}
	tasks, _, err := st.FindTasks(ctx, admin, duban.TaskFilter{OrgID: admin.OrgID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(tasks, func(task *duban.Task) bool {
		return task.SourceLine == para.Line && slices.Equal(task.LeadUnits, []string{"市政府督查室"})
	}) {
		t.Errorf("the task of line %d is not in the ledger", para.Line)
	}
	if got := importReview(t, st, admin, "baotou.txt"); !slices.Equal(got.Added, []int{para.Line}) {
		t.Errorf("the audit log keeps %v added", got.Added)
	}
}

func TestCorrectionsRefused(t *testing.T) {
	svc, _, admin := newLedger(t)
	ctx := context.Background()
	data := readSeed(t)
	for name, c := range map[string]importer.Corrections{
		"an edit of no task":       {Tasks: []importer.TaskEdit{{Line: 28, Content: ptr("x")}}},
		"an empty content":         {Tasks: []importer.TaskEdit{{Line: 27, Content: ptr("  ")}}},
		"a number below one":       {Tasks: []importer.TaskEdit{{Line: 27, Number: ptr(0)}}},
		"a drop of no task":        {Dropped: []int{3}},
		"a task taken again":       {Added: []importer.TaskEdit{{Line: 27}}},
		"a paragraph that is none": {Added: []importer.TaskEdit{{Line: 100000}}},
		"a column that is none":    {Columns: map[string]ingest.ColumnRole{"备注": ingest.ColumnNone}},
		"a role that is none":      {Columns: map[string]ingest.ColumnRole{"牵头单位": "boss"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := svc.Preview(ctx, admin, importer.Request{FileName: "002.txt", Data: data, Corrections: c})
			if duban.ErrorCode(err) != duban.CodeInvalid {
				t.Errorf("%v, want invalid", err)
			}
		})
	}
	for name, merges := range map[string]map[string]string{
		"merges in a circle":     {"区政服办": "区政务服务办", "区政务服务办": "区政服办"},
		"merges in a longer one": {"区发改委": "区财政局", "区财政局": "区税务局", "区税务局": "区发改委"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := svc.Preview(ctx, admin, importer.Request{FileName: "002.txt", Data: data, Merges: merges})
			if duban.ErrorCode(err) != duban.CodeInvalid {
				t.Errorf("%v, want invalid", err)
			}
		})
	}
}

// TestColumnRoles reads a county's table again with a column given another
// role.
func TestColumnRoles(t *testing.T) {
	svc, _, admin := newLedger(t)
	ctx := context.Background()
	data, err := os.ReadFile(county2025)
	if err != nil {
		t.Fatal(err)
	}
	req := importer.Request{FileName: "county.txt", Data: data, Corrections: importer.Corrections{
		Columns: map[string]ingest.ColumnRole{"牵头领导": ingest.ColumnNone, "牵头单位": ingest.ColumnLead}}}
	p, err := svc.Preview(ctx, admin, req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]ingest.ColumnRole{"牵头领导": ingest.ColumnNone}, p.Corrections.Columns); diff != "" {
		t.Errorf("the column roles that change something (-want +got):\n%s", diff)
	}
	if len(p.Tasks) == 0 || len(p.NewPeople) != 0 {
		t.Errorf("%d tasks, leaders %v: the leaders' column is read", len(p.Tasks), p.NewPeople)
	}
	for _, task := range p.Tasks {
		if len(task.Leaders) != 0 {
			t.Errorf("task of line %d has leaders %v", task.Line, task.Leaders)
		}
	}
	var role ingest.ColumnRole
	for _, h := range p.Headers {
		for _, c := range h.Columns {
			if c.Header == "牵头领导" {
				role = c.Role
			}
		}
	}
	if role != ingest.ColumnNone {
		t.Errorf("the preview shows 牵头领导 as %q", role)
	}
}

// TestMismatches imports another county's document of next year: the
// preview says so, and confirming needs an acknowledgement.
func TestMismatches(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	importAll(t, svc, admin, "002.txt", readSeed(t))
	data, err := os.ReadFile(county2025)
	if err != nil {
		t.Fatal(err)
	}
	req := importer.Request{FileName: "county.txt", Data: data}
	p, err := svc.Preview(ctx, admin, req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Org != "渝中区" || p.Issuer == nil || *p.Issuer != "云溪县人民政府办公室" {
		t.Errorf("the preview names org %q and issuer %v", p.Org, p.Issuer)
	}
	kinds := map[string]importer.Mismatch{}
	for _, m := range p.Mismatches {
		kinds[m.Kind] = m
	}
	if m := kinds[importer.MismatchIssuer]; m.Document != "云溪县" || m.Ledger != "渝中区" {
		t.Errorf("issuer mismatch %+v", m)
	}
	if m := kinds[importer.MismatchYear]; m.Document != "2025" || m.Ledger != "2024" || m.DefaultYear == nil || *m.DefaultYear != 2024 ||
		!strings.Contains(m.Message, "仍默认显示2024年") {
		t.Errorf("year mismatch %+v", m)
	}
	req.Fingerprint = p.Fingerprint
	_, err = svc.Confirm(ctx, admin, req)
	if duban.ErrorCode(err) != duban.CodeInvalid || !strings.Contains(duban.ErrorMessage(err), "云溪县") || !strings.Contains(duban.ErrorMessage(err), "2025") {
		t.Fatalf("confirm without acknowledging: %v", err)
	}
	req.Acknowledge = true
	if _, err := svc.Confirm(ctx, admin, req); err != nil {
		t.Fatal(err)
	}
	acknowledged := importReview(t, st, admin, "county.txt").Acknowledged
	if !slices.Equal(acknowledged, []string{"issuer", "year"}) {
		t.Errorf("the audit log keeps %v acknowledged", acknowledged)
	}

	// The district's own document of this year asks nothing.
	own, err := svc.Preview(ctx, admin, importer.Request{FileName: "002.txt", Data: readSeed(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(own.Mismatches) != 0 {
		t.Errorf("mismatches of the district's own document: %+v", own.Mismatches)
	}
}

// TestLearnedAliases: a unit name the office corrects into an existing unit
// becomes that unit's alias, and the next document that writes it so
// resolves it without asking.
func TestLearnedAliases(t *testing.T) {
	svc, st, admin := newLedger(t)
	ctx := context.Background()
	for _, name := range []string{"县发展和改革局", "共青团云溪县委员会"} {
		if err := st.CreateUnit(ctx, admin, &duban.Unit{OrgID: admin.OrgID, Name: name, Kind: duban.UnitSingle}); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(county2025)
	if err != nil {
		t.Fatal(err)
	}
	req := importer.Request{FileName: "county.txt", Data: data, Acknowledge: true}
	p, err := svc.Preview(ctx, admin, req)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(p.Merges, func(m importer.ProposedMerge) bool {
		return m.Name == "县发展改革局" && m.Into == "县发展和改革局"
	}) {
		t.Errorf("县发展改革局 not proposed as 县发展和改革局: %+v", p.Merges)
	}
	// The office accepts the proposal and corrects a name nothing proposed.
	req.Merges = map[string]string{"县发展改革局": "县发展和改革局", "团县委": "共青团云溪县委员会"}
	if p, err = svc.Preview(ctx, admin, req); err != nil {
		t.Fatal(err)
	}
	units := map[string]importer.UnitName{}
	for _, u := range p.Units {
		units[u.Name] = u
	}
	if u := units["团县委"]; u.How != importer.UnitMerged || u.Unit != "共青团云溪县委员会" || u.UnitID == 0 || u.Tasks != 1 {
		t.Errorf("团县委 in the preview: %+v", u)
	}
	if slices.Contains(p.NewUnits, "团县委") || slices.Contains(p.NewUnits, "县发展改革局") {
		t.Errorf("a corrected name is still a new unit: %v", p.NewUnits)
	}
	req.Fingerprint = p.Fingerprint
	if _, err := svc.Confirm(ctx, admin, req); err != nil {
		t.Fatal(err)
	}

	// A revision of the document: the names resolve by the learned aliases.
	revised := strings.Replace(string(data), "\t2025年12月底前", "\t2025年12月31日前", 1)
	again, err := svc.Preview(ctx, admin, importer.Request{FileName: "county_revised.txt", Data: []byte(revised)})
	if err != nil {
		t.Fatal(err)
	}
	units = map[string]importer.UnitName{}
	for _, u := range again.Units {
		units[u.Name] = u
	}
	for name, unit := range map[string]string{"团县委": "共青团云溪县委员会", "县发展改革局": "县发展和改革局"} {
		if u := units[name]; u.How != importer.UnitAlias || u.Unit != unit {
			t.Errorf("%s on the next import: %+v, want the alias of %s", name, u, unit)
		}
	}
	if len(again.Merges) != 0 || len(again.NewUnits) != 0 {
		t.Errorf("the next import asks again: merges %+v, new units %v", again.Merges, again.NewUnits)
	}
}

// TestYearGiven imports a real page that names no year (嘉兴市's table of
// 2023, whose year only its address gave): refused until the office gives the
// year, then read as of that year, targets included; a year given over the
// one read is a correction too.
func TestYearGiven(t *testing.T) {
	svc, _, admin := newLedger(t)
	ctx := context.Background()
	data, err := os.ReadFile("../testdata/real/city_jiaxing_2023_decomposition.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Preview(ctx, admin, importer.Request{FileName: "jiaxing.txt", Data: data})
	if duban.ErrorCode(err) != duban.CodeInvalid || !strings.Contains(duban.ErrorMessage(err), "请在导入时填写年度") {
		t.Fatalf("a document without a year: %v, want CodeInvalid asking for the year", err)
	}
	p, err := svc.Preview(ctx, admin, importer.Request{FileName: "jiaxing.txt", Data: data, Corrections: importer.Corrections{Year: ptr(2023)}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Year == nil || *p.Year != 2023 || p.Corrections.Year == nil || *p.Corrections.Year != 2023 || len(p.Tasks) != 15 {
		t.Fatalf("year %v, correction %v, %d tasks", p.Year, p.Corrections.Year, len(p.Tasks))
	}
	if g := p.Tasks[0].Targets; len(g) != 1 || g[0].Year != 2023 {
		t.Errorf("the first task's targets %+v, want one of 2023", g)
	}
	if _, err := svc.Preview(ctx, admin, importer.Request{FileName: "jiaxing.txt", Data: data, Corrections: importer.Corrections{Year: ptr(202)}}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("year 202: %v, want CodeInvalid", err)
	}
	same, err := svc.Preview(ctx, admin, importer.Request{FileName: "002.txt", Data: readSeed(t), Corrections: importer.Corrections{Year: ptr(2024)}})
	if err != nil || same.Corrections.Year != nil {
		t.Errorf("the year read, given again: %v, correction %v; want no correction", err, same.Corrections.Year)
	}
}
