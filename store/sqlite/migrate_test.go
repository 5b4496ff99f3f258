package sqlite

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/store/synth"
)

// TestMigrateSearchTerms: a database whose search index was made before
// 0007_search_terms finds the same tasks once it is migrated.
func TestMigrateSearchTerms(t *testing.T) {
	ctx := t.Context()
	s := mustOpen(t)
	city, err := synth.Seed(ctx, s, 1, 40)
	if err != nil {
		t.Fatal(err)
	}
	district := city.Districts[0].ID
	admin := duban.Actor{Username: "admin", Role: duban.RoleAdmin, OrgID: district}
	tasks, _, err := s.FindTasks(ctx, admin, duban.TaskFilter{OrgID: district, Limit: 100})
	if err != nil || len(tasks) != 40 {
		t.Fatalf("%d tasks, %v", len(tasks), err)
	}
	queries := []string{string([]rune(tasks[7].Content)[:4]), string([]rune(tasks[3].Content)[2:3]), tasks[0].LeadUnits[0]}
	find := func() [][]int64 {
		var found [][]int64
		for _, q := range queries {
			ts, _, err := s.FindTasks(ctx, admin, duban.TaskFilter{OrgID: district, Limit: 100, Query: &q})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, task := range ts {
				ids = append(ids, task.ID)
			}
			found = append(found, ids)
		}
		return found
	}
	want := find()
	for i, ids := range want {
		if len(ids) == 0 {
			t.Fatalf("query %q finds nothing", queries[i])
		}
	}

	// The index as 0001_init made it, and 0007 not yet applied.
	old := []string{
		`DROP TABLE task_search`,
		`CREATE VIRTUAL TABLE task_search USING fts5 (tokens, tokenize = 'unicode61')`,
		`DELETE FROM schema_migrations WHERE name = '0007_search_terms'`,
	}
	for _, q := range old {
		if _, err := s.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, task := range tasks {
		if _, err := s.write.ExecContext(ctx, `INSERT INTO task_search (rowid, tokens) VALUES ($1, $2)`, task.ID, searchTokens(task)); err != nil {
			t.Fatal(err)
		}
	}
	applied, err := s.Migrate(ctx)
	if err != nil || !cmp.Equal(applied, []string{"0007_search_terms"}) {
		t.Fatalf("Migrate = %v, %v", applied, err)
	}
	if diff := cmp.Diff(want, find()); diff != "" {
		t.Errorf("found after the migration (-before +after):\n%s", diff)
	}
}
