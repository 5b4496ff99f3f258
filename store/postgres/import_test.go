package postgres

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"duban"
	"duban/store/internal/zh"
)

// TestLedgerSeqOncePerTransaction checks the triggers of migration 0003: a
// change to what a task shows, made behind the store's back, bumps its
// organisation's sequence number, and a transaction of many changes bumps it
// once.
func TestLedgerSeqOncePerTransaction(t *testing.T) {
	ctx := t.Context()
	s := mustOpen(t, Options{})
	sys := duban.System(0)
	org := &duban.Org{Name: "渝中区"}
	if err := s.CreateOrg(ctx, sys, org); err != nil {
		t.Fatal(err)
	}
	_, err := s.ApplyImport(ctx, sys, &duban.ImportPlan{OrgID: org.ID,
		Document:  duban.Document{FileName: "002.txt", Year: 2024, Content: []byte("任务分解")},
		NewUnits:  []duban.Unit{{Name: "区发改委"}, {Name: "区财政局"}},
		NewPeople: []duban.Person{{Name: "陈平"}},
		Tasks: []duban.PlannedTask{
			{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 1, Content: "地区生产总值增长6%左右。",
				Targets: []duban.Target{{Year: 2024, Text: "增长6%左右"}}},
				LeaderNames: []string{"陈平"}, LeadUnitNames: []string{"区发改委"}},
			{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 2, Content: "金融业增加值增长5%。"},
				LeadUnitNames: []string{"区财政局"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var task, person, unit int64
	row := s.DB().QueryRowContext(ctx, `SELECT t.id, p.id, u.id FROM tasks t, people p, units u
		WHERE t.org_id = $1 AND t.number = 1 AND p.org_id = $1 AND u.org_id = $1 AND u.name = '区财政局'`, org.ID)
	if err := row.Scan(&task, &person, &unit); err != nil {
		t.Fatal(err)
	}
	seq := func() int64 {
		t.Helper()
		var n int64
		if err := s.DB().QueryRowContext(ctx, `SELECT seq FROM ledger_seq WHERE org_id = $1`, org.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name  string
		stmts []string
	}{
		{"task inserted", []string{`INSERT INTO tasks (org_id, year, section, section_pos, number, content, created_at, updated_at)
			VALUES (%[4]d, 2024, '十、其他', 10, 1, '新增任务。', now(), now())`}},
		{"task updated", []string{`UPDATE tasks SET content = '改写。' WHERE id = %[1]d`}},
		{"leader inserted", []string{`DELETE FROM task_leaders WHERE task_id = %[1]d`,
			`INSERT INTO task_leaders (task_id, person_id, position) VALUES (%[1]d, %[2]d, 0)`}},
		{"unit inserted", []string{`INSERT INTO task_units (task_id, unit_id, role, position) VALUES (%[1]d, %[3]d, 'responsible', 0)`}},
		{"unit updated", []string{`UPDATE task_units SET position = 1 WHERE task_id = %[1]d AND unit_id = %[3]d`}},
		{"unit deleted", []string{`DELETE FROM task_units WHERE task_id = %[1]d AND unit_id = %[3]d`}},
		{"target inserted", []string{`INSERT INTO targets (task_id, position, text) VALUES (%[1]d, 1, '新目标')`}},
		{"targets changed", []string{`UPDATE targets SET text = '增长7%%' WHERE task_id = %[1]d`,
			`DELETE FROM targets WHERE task_id = %[1]d AND position = 1`}},
		{"many changes", []string{`UPDATE tasks SET note = '备注' WHERE org_id = %[4]d`,
			`INSERT INTO task_units (task_id, unit_id, role, position)
				SELECT id, %[3]d, 'responsible', 5 FROM tasks WHERE org_id = %[4]d`,
			`DELETE FROM task_units WHERE unit_id = %[3]d AND position = 5`,
			`UPDATE people SET name = '陈平同志' WHERE id = %[2]d`}},
		{"task deleted", []string{`DELETE FROM tasks WHERE id = %[1]d`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := seq()
			tx, err := s.DB().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			for _, stmt := range tt.stmts {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(stmt, task, person, unit, org.ID)); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if got := seq(); got != before+1 {
				t.Errorf("sequence number went from %d to %d, want %d", before, got, before+1)
			}
		})
	}
}

// TestTaskCountsKept checks that task_counts, counted per statement on insert
// since migration 0003, agrees with the tasks after inserts, status changes
// and deletes.
func TestTaskCountsKept(t *testing.T) {
	ctx := t.Context()
	s := mustOpen(t, Options{})
	var orgs []int64
	for _, name := range []string{"渝中区", "江北区"} {
		org := &duban.Org{Name: name}
		if err := s.CreateOrg(ctx, duban.System(0), org); err != nil {
			t.Fatal(err)
		}
		orgs = append(orgs, org.ID)
	}
	for _, stmt := range []string{
		`INSERT INTO tasks (org_id, year, section, section_pos, number, content, status, created_at, updated_at)
			SELECT CASE WHEN i %% 3 = 0 THEN %[2]d ELSE %[1]d END, 2024, '一、', 1, i, '任务',
				CASE WHEN i %% 4 = 0 THEN 'done' ELSE 'not_started' END, now(), now()
			FROM generate_series(1, 50) AS i`,
		`UPDATE tasks SET status = 'behind' WHERE number %% 5 = 0 AND org_id IN (%[1]d, %[2]d)`,
		`DELETE FROM tasks WHERE number %% 7 = 0 AND org_id IN (%[1]d, %[2]d)`,
		`INSERT INTO tasks (org_id, year, section, section_pos, number, content, created_at, updated_at)
			VALUES (%[2]d, 2025, '一、', 1, 1, '任务', now(), now())`,
	} {
		if _, err := s.DB().ExecContext(ctx, fmt.Sprintf(stmt, orgs[0], orgs[1])); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	var wrong int
	err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM
		(SELECT org_id, status, count(*) AS n FROM tasks GROUP BY org_id, status) t
		FULL JOIN (SELECT org_id, status, n FROM task_counts WHERE n <> 0) c USING (org_id, status)
		WHERE t.n IS DISTINCT FROM c.n`).Scan(&wrong)
	if err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("task_counts disagrees with the tasks on %d lines", wrong)
	}
}

// TestTSVector checks that tsVector quotes its lexemes as lexeme does.
func TestTSVector(t *testing.T) {
	tk := zh.Tokens{Sequence: []string{"金融", "it's", `a\b`, "gdp"}, Ends: []string{"金", "'", `\`}}
	var want strings.Builder
	for i, tok := range tk.Sequence {
		want.WriteString(lexeme(tok) + ":" + strconv.Itoa(i+1) + " ")
	}
	for _, c := range tk.Ends {
		want.WriteString(lexeme(c) + " ")
	}
	if got := tsVector(tk); got != want.String() {
		t.Errorf("tsVector = %q, want %q", got, want.String())
	}
}
