package sqlite

import (
	"encoding/json"
	"testing"

	"duban"
)

// TestImportAuditJSON checks that the audit entries an import writes in one
// statement hold each task's JSON exactly as audit would write it, the
// characters JSON escapes included.
func TestImportAuditJSON(t *testing.T) {
	ctx := t.Context()
	s := mustOpen(t)
	sys := duban.System(0)
	org := &duban.Org{Name: "渝中区"}
	if err := s.CreateOrg(ctx, sys, org); err != nil {
		t.Fatal(err)
	}
	v := 6.5
	res, err := s.ApplyImport(ctx, sys, &duban.ImportPlan{OrgID: org.ID,
		Document: duban.Document{FileName: "002.txt", Year: 2024, Content: []byte("任务分解")},
		NewUnits: []duban.Unit{{Name: "区发改委"}},
		Tasks: []duban.PlannedTask{{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 1,
			Content: "地区生产总值<增长>6.5%左右 & \"稳中求进\"\u2028\\。", Note: "\t按可比价格",
			Targets: []duban.Target{{Year: 2024, Op: "approx", Value: &v, Unit: "%", Text: "增长6.5%左右"}, {Text: "——"}}},
			LeadUnitNames: []string{"区发改委"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tasks, _, err := s.FindTasks(ctx, sys, duban.TaskFilter{OrgID: org.ID})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("FindTasks = %d tasks, %v", len(tasks), err)
	}
	want, err := json.Marshal(tasks[0])
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := s.FindAudit(ctx, duban.AuditFilter{OrgID: org.ID})
	if err != nil {
		t.Fatal(err)
	}
	var created, imported *duban.AuditEntry
	for _, e := range entries {
		switch e.Action {
		case "task.create":
			created = e
		case "document.import":
			imported = e
		}
	}
	if created == nil || imported == nil {
		t.Fatalf("audit entries %+v", entries)
	}
	if created.Before != nil || string(created.After) != string(want) {
		t.Errorf("task.create entry: before %s, after\n%s\nwant\n%s", created.Before, created.After, want)
	}
	if imported.EntityID != res.DocumentID || imported.Before != nil || !json.Valid(imported.After) {
		t.Errorf("document.import entry = %+v", imported)
	}
}
