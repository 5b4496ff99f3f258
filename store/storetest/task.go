package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/store/synth"
)

func testTaskOrder(t *testing.T, e *env) {
	l := newLedger(t, e)
	tasks, total, err := e.s.FindTasks(e.ctx, l.admin, duban.TaskFilter{OrgID: l.district})
	must(t, "FindTasks", err)
	// Sections by their number (十 after 二), then tasks by number; not in
	// the order imported, nor by section text.
	if diff := cmp.Diff(allKeys, keys(tasks)); diff != "" {
		t.Errorf("order mismatch (-want +got):\n%s", diff)
	}
	if total != len(allKeys) {
		t.Errorf("total = %d, want %d", total, len(allKeys))
	}
	// FindTasks and FindTaskByID return the same task.
	for _, want := range tasks {
		got, err := e.s.FindTaskByID(e.ctx, l.admin, want.ID)
		must(t, "FindTaskByID", err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindTaskByID(%s) mismatch (-FindTasks +FindTaskByID):\n%s", key(want), diff)
		}
	}
	_, err = e.s.FindTaskByID(e.ctx, l.admin, 987654)
	wantCode(t, "FindTaskByID(unknown)", err, duban.CodeNotFound)
	wantMessage(t, "FindTaskByID(unknown)", err, "任务不存在")
}

func testTaskFilters(t *testing.T, e *env) {
	l := newLedger(t, e)
	status := func(s duban.TaskStatus) *duban.TaskStatus { return &s }
	tests := []struct {
		name   string
		actor  duban.Actor
		filter duban.TaskFilter
		want   []string
	}{
		{"year", l.admin, duban.TaskFilter{Year: new(2024)}, allKeys},
		{"other year", l.admin, duban.TaskFilter{Year: new(2023)}, nil},
		{"section", l.admin, duban.TaskFilter{Section: new("二、推动高质量发展")}, []string{"二1", "二2"}},
		{"leader", l.admin, duban.TaskFilter{LeaderID: &l.deng}, []string{"一1", "二1", "二2"}},
		{"unit as lead or responsible", l.admin, duban.TaskFilter{UnitID: &l.fgw}, []string{"一1", "一2", "二2"}},
		{"unit through its group", l.admin, duban.TaskFilter{UnitID: &l.jfb}, []string{"一1", "二1"}},
		{"the group itself", l.admin, duban.TaskFilter{UnitID: &l.streets}, []string{"一1"}},
		{"status", l.admin, duban.TaskFilter{Status: status(duban.StatusNotStarted)}, allKeys},
		{"other status", l.admin, duban.TaskFilter{Status: status(duban.StatusDone)}, nil},
		{"two-character query", l.admin, duban.TaskFilter{Query: new("金融")}, []string{"一2"}},
		{"one-character query", l.admin, duban.TaskFilter{Query: new("融")}, []string{"一2"}},
		{"one character ending a run", l.admin, duban.TaskFilter{Query: new("右")}, []string{"一1"}},
		{"one character standing alone", l.admin, duban.TaskFilter{Query: new("个 万")}, []string{"十1"}},
		{"longer query as a phrase", l.admin, duban.TaskFilter{Query: new("老旧小区改造")}, []string{"二1"}},
		{"words not adjacent", l.admin, duban.TaskFilter{Query: new("小区老旧")}, nil},
		{"every term required", l.admin, duban.TaskFilter{Query: new("金融 改造")}, nil},
		{"query over unit names", l.admin, duban.TaskFilter{Query: new("解放碑")}, []string{"二1"}},
		{"query over leaders", l.admin, duban.TaskFilter{Query: new("邓光怀")}, []string{"一1", "二1", "二2"}},
		{"query over sections", l.admin, duban.TaskFilter{Query: new("民生")}, []string{"十1"}},
		{"query over notes, any case", l.admin, duban.TaskFilter{Query: new("gdp")}, []string{"一1"}},
		{"query with nothing to search", l.admin, duban.TaskFilter{Query: new("，。")}, allKeys},
		{"query within scope", l.repJFB, duban.TaskFilter{Query: new("金融")}, nil},
		{"filters combine", l.admin, duban.TaskFilter{UnitID: &l.fgw, Query: new("增长")}, []string{"一1", "一2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			f.OrgID = l.district
			tasks, total, err := e.s.FindTasks(e.ctx, tt.actor, f)
			must(t, "FindTasks", err)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, keys(tasks)); diff != "" {
				t.Errorf("FindTasks mismatch (-want +got):\n%s", diff)
			}
			if total != len(want) {
				t.Errorf("total = %d, want %d", total, len(want))
			}
		})
	}
}

func testTaskPaging(t *testing.T, e *env) {
	sys := duban.System(0)
	org := &duban.Org{Name: "示范区"}
	must(t, "CreateOrg", e.s.CreateOrg(e.ctx, sys, org))
	must(t, "synth.Ledger", synth.Ledger(e.ctx, e.s, sys, org.ID, 2024, 120, 1))
	all, total, err := e.s.FindTasks(e.ctx, sys, duban.TaskFilter{OrgID: org.ID, Limit: 500})
	must(t, "FindTasks(all)", err)
	if len(all) != 120 || total != 120 {
		t.Fatalf("FindTasks(all) = %d tasks, total %d, want 120", len(all), total)
	}
	tests := []struct {
		limit, offset int
		wantFrom      int
		wantLen       int
	}{
		{0, 0, 0, 50},
		{50, 50, 50, 50},
		{50, 100, 100, 20},
		{50, 200, 0, 0},
		{7, 3, 3, 7},
		{1000, 0, 0, 120},
		{10, -5, 0, 10},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("limit %d offset %d", tt.limit, tt.offset), func(t *testing.T) {
			page, total, err := e.s.FindTasks(e.ctx, sys, duban.TaskFilter{OrgID: org.ID, Limit: tt.limit, Offset: tt.offset})
			must(t, "FindTasks", err)
			if total != 120 {
				t.Errorf("total = %d, want 120", total)
			}
			want := all[tt.wantFrom : tt.wantFrom+tt.wantLen]
			if diff := cmp.Diff(keys(want), keys(page)); diff != "" {
				t.Errorf("page mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// Paging a filtered list counts the filtered tasks.
	_, total, err = e.s.FindTasks(e.ctx, sys, duban.TaskFilter{OrgID: org.ID, Section: new("一、主要预期指标"), Limit: 2, Offset: 1})
	must(t, "FindTasks(section)", err)
	if total != 10 {
		t.Errorf("total of one section = %d, want 10", total)
	}
	// The ledger order holds across the whole list.
	prev := ""
	for i, task := range all {
		k := fmt.Sprintf("%02d-%03d", sectionNumber(task.Section), task.Number)
		if i > 0 && k <= prev {
			t.Fatalf("task %d (%s) sorts before %s", i, k, prev)
		}
		prev = k
	}
}

// sectionNumber reads the Chinese numeral of synth's section headings.
func sectionNumber(s string) int {
	n := strings.Index(s, "、")
	return map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
		"十": 10, "十一": 11, "十二": 12}[s[:n]]
}

// testScope proves that every way to a task applies the actor's scope: what a
// reporter may not see they can neither find, read nor update.
func testScope(t *testing.T, e *env) {
	l := newLedger(t, e)
	tests := []struct {
		name  string
		actor duban.Actor
		see   []string
		edit  bool
		other bool // sees the other district's task
	}{
		{"admin", l.admin, allKeys, true, false},
		{"supervisor", l.super, allKeys, true, false},
		{"leader", l.leader, allKeys, false, false},
		{"viewer", l.viewer, allKeys, false, false},
		{"reporter of 区发改委", l.repFGW, []string{"一1", "一2", "二2"}, false, false},
		{"reporter of 区财政局", l.repCZJ, []string{"一2", "十1"}, false, false},
		{"reporter of a street sees its group's tasks", l.repJFB, []string{"一1", "二1"}, false, false},
		{"reporter of the other street", l.repCTM, []string{"一1", "十1"}, false, false},
		{"reporter without a unit", duban.Actor{UserID: 99, Role: duban.RoleReporter, OrgID: l.district}, nil, false, false},
		{"reporter of another org's unit", duban.Actor{UserID: 99, Role: duban.RoleReporter, OrgID: l.other, UnitID: &l.otherFGW}, nil, false, true},
		{"admin of another district", l.otherAdmin, nil, true, true},
		{"admin of the city", l.cityAdmin, allKeys, true, true},
		{"unknown role", duban.Actor{UserID: 99, Role: "guest", OrgID: l.district}, nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tasks, total, err := e.s.FindTasks(e.ctx, tt.actor, duban.TaskFilter{OrgID: l.district})
			must(t, "FindTasks", err)
			see := tt.see
			if see == nil {
				see = []string{}
			}
			if diff := cmp.Diff(see, keys(tasks)); diff != "" {
				t.Errorf("FindTasks mismatch (-want +got):\n%s", diff)
			}
			if total != len(see) {
				t.Errorf("total = %d, want %d", total, len(see))
			}
			// Rolled up over the actor's organisation, "金融" finds 一2 and the
			// other district's task, as far as the actor sees them.
			_, total, err = e.s.FindTasks(e.ctx, tt.actor, duban.TaskFilter{OrgID: tt.actor.OrgID, Rollup: true, Query: new("金融")})
			must(t, "FindTasks(rollup)", err)
			want := 0
			if contains(see, "一2") {
				want++
			}
			if tt.other {
				want++
			}
			if total != want {
				t.Errorf("roll-up total = %d, want %d", total, want)
			}
			for _, k := range allKeys {
				task := l.tasks[k]
				visible := contains(see, k)
				got, err := e.s.FindTaskByID(e.ctx, tt.actor, task.ID)
				if visible {
					must(t, "FindTaskByID("+k+")", err)
					if got.ID != task.ID {
						t.Errorf("FindTaskByID(%s) returned task %d", k, got.ID)
					}
				} else {
					wantCode(t, "FindTaskByID("+k+")", err, duban.CodeNotFound)
					wantMessage(t, "FindTaskByID("+k+")", err, "任务不存在")
				}
				// An update that changes nothing still goes through every check.
				_, err = e.s.UpdateTask(e.ctx, tt.actor, task.ID, duban.TaskUpdate{Version: task.Version})
				switch {
				case !visible:
					wantCode(t, "UpdateTask("+k+")", err, duban.CodeNotFound)
				case !tt.edit:
					wantCode(t, "UpdateTask("+k+")", err, duban.CodeForbidden)
				default:
					must(t, "UpdateTask("+k+")", err)
				}
				if !visible || !tt.edit {
					_, err = e.s.UpdateTask(e.ctx, tt.actor, task.ID, duban.TaskUpdate{Version: task.Version, Note: new("越权修改")})
					if err == nil {
						t.Errorf("UpdateTask(%s) changed a task it may not", k)
					}
				}
			}
			// Nothing a refused actor tried has changed.
			for _, k := range allKeys {
				got, err := e.s.FindTaskByID(e.ctx, l.admin, l.tasks[k].ID)
				must(t, "FindTaskByID", err)
				if got.Note == "越权修改" || got.Version != 1 {
					t.Errorf("task %s was changed by %s", k, tt.name)
				}
			}
		})
	}
	// A task of another organisation is not found by the district's admin.
	others, _, err := e.s.FindTasks(e.ctx, l.otherAdmin, duban.TaskFilter{OrgID: l.other})
	must(t, "FindTasks(other)", err)
	if len(others) != 1 {
		t.Fatalf("other district has %d tasks, want 1", len(others))
	}
	_, err = e.s.FindTaskByID(e.ctx, l.admin, others[0].ID)
	wantCode(t, "FindTaskByID(other org's task)", err, duban.CodeNotFound)
	_, err = e.s.UpdateTask(e.ctx, l.admin, others[0].ID, duban.TaskUpdate{Version: 1, Note: new("x")})
	wantCode(t, "UpdateTask(other org's task)", err, duban.CodeNotFound)
	tasks, _, err := e.s.FindTasks(e.ctx, l.repFGW, duban.TaskFilter{OrgID: l.other})
	must(t, "FindTasks(other org as reporter)", err)
	if len(tasks) != 0 {
		t.Errorf("reporter of 区发改委 found %d tasks of another org's 区发改委", len(tasks))
	}
}

func testUpdateTask(t *testing.T, e *env) {
	l := newLedger(t, e)
	before := l.tasks["二2"]
	e.clock.Advance(3600e9)
	got, err := e.s.UpdateTask(e.ctx, l.super, before.ID, duban.TaskUpdate{
		Version:            1,
		Content:            new(" 建设国际消费中心城市核心区，打造解放碑步行街。 "),
		Deadline:           new("2024年11月底"),
		LeaderIDs:          &[]int64{l.chen, l.deng, l.chen},
		LeadUnitIDs:        &[]int64{l.jfb},
		ResponsibleUnitIDs: &[]int64{l.fgw, l.streets},
	})
	must(t, "UpdateTask", err)
	want := *before
	want.Content = "建设国际消费中心城市核心区，打造解放碑步行街。"
	want.Deadline = "2024年11月底"
	want.LeaderIDs, want.Leaders = []int64{l.chen, l.deng}, []string{"陈平", "邓光怀"}
	want.LeadUnitIDs, want.LeadUnits = []int64{l.jfb}, []string{"解放碑街道"}
	want.ResponsibleUnitIDs, want.ResponsibleUnits = []int64{l.fgw, l.streets}, []string{"区发改委", "各街道"}
	want.Version = 2
	want.UpdatedAt = e.clock.Now()
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("UpdateTask mismatch (-want +got):\n%s", diff)
	}
	stored, err := e.s.FindTaskByID(e.ctx, l.admin, before.ID)
	must(t, "FindTaskByID", err)
	if diff := cmp.Diff(got, stored); diff != "" {
		t.Errorf("stored task mismatch (-returned +stored):\n%s", diff)
	}
	// The new text and units are searchable, and the reporter of the new
	// lead unit now sees the task.
	found, _, err := e.s.FindTasks(e.ctx, l.repJFB, duban.TaskFilter{OrgID: l.district, Query: new("步行街")})
	must(t, "FindTasks", err)
	if diff := cmp.Diff([]string{"二2"}, keys(found)); diff != "" {
		t.Errorf("search after update mismatch (-want +got):\n%s", diff)
	}
	// The audit log has the change, by whom and when.
	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: new("task"), EntityID: &before.ID})
	must(t, "FindAudit", err)
	if len(entries) != 2 {
		t.Fatalf("audit entries of the task = %d, want create and update", len(entries))
	}
	en := entries[0]
	if en.Action != "task.update" || en.ActorID != l.super.UserID || en.Actor != "yz_super" || !en.At.Equal(e.clock.Now()) {
		t.Errorf("audit entry = %+v", en)
	}
	wantJSON(t, "audit before", en.Before, before)
	wantJSON(t, "audit after", en.After, got)

	tests := []struct {
		name string
		up   duban.TaskUpdate
		want duban.Code
	}{
		{"empty content", duban.TaskUpdate{Content: new("  ")}, duban.CodeInvalid},
		{"unit of another org", duban.TaskUpdate{LeadUnitIDs: &[]int64{l.otherFGW}}, duban.CodeInvalid},
		{"unknown unit", duban.TaskUpdate{ResponsibleUnitIDs: &[]int64{987654}}, duban.CodeInvalid},
		{"unknown leader", duban.TaskUpdate{LeaderIDs: &[]int64{987654}}, duban.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := tt.up
			up.Version = 2
			_, err := e.s.UpdateTask(e.ctx, l.admin, before.ID, up)
			wantCode(t, "UpdateTask", err, tt.want)
		})
	}
	_, err = e.s.UpdateTask(e.ctx, l.admin, 987654, duban.TaskUpdate{Version: 1, Note: new("x")})
	wantCode(t, "UpdateTask(unknown)", err, duban.CodeNotFound)
	wantMessage(t, "UpdateTask(unknown)", err, "任务不存在")
	// Clearing the lists is allowed.
	got, err = e.s.UpdateTask(e.ctx, l.admin, before.ID, duban.TaskUpdate{Version: 2, ResponsibleUnitIDs: &[]int64{}, Note: new("")})
	must(t, "UpdateTask(clear)", err)
	if len(got.ResponsibleUnitIDs) != 0 || got.Version != 3 {
		t.Errorf("after clearing: %+v", got)
	}
}

func testUpdateTaskStale(t *testing.T, e *env) {
	l := newLedger(t, e)
	task := l.tasks["一1"]
	first, err := e.s.UpdateTask(e.ctx, l.admin, task.ID, duban.TaskUpdate{Version: 1, Note: new("第一人的修改")})
	must(t, "first update", err)
	current, err := e.s.UpdateTask(e.ctx, l.super, task.ID, duban.TaskUpdate{Version: 1, Note: new("第二人的修改")})
	wantCode(t, "stale update", err, duban.CodeConflict)
	wantMessage(t, "stale update", err, "他人修改")
	// The conflict comes with the current task, and nothing was overwritten.
	if diff := cmp.Diff(first, current); diff != "" {
		t.Errorf("task returned with the conflict mismatch (-want +got):\n%s", diff)
	}
	stored, err := e.s.FindTaskByID(e.ctx, l.admin, task.ID)
	must(t, "FindTaskByID", err)
	if diff := cmp.Diff(first, stored); diff != "" {
		t.Errorf("stored task mismatch (-want +got):\n%s", diff)
	}
	_, audit, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: new("task"), EntityID: &task.ID})
	must(t, "FindAudit", err)
	if audit != 2 {
		t.Errorf("audit entries = %d, want create and one update", audit)
	}
	// A version from the future is stale too.
	_, err = e.s.UpdateTask(e.ctx, l.admin, task.ID, duban.TaskUpdate{Version: 9, Note: new("x")})
	wantCode(t, "future version", err, duban.CodeConflict)
}

// testUpdateTaskConcurrent races editors holding the same version: exactly
// one wins.
func testUpdateTaskConcurrent(t *testing.T, e *env) {
	l := newLedger(t, e)
	task := l.tasks["二1"]
	const editors = 8
	var wg sync.WaitGroup
	errs := make([]error, editors)
	for i := range editors {
		wg.Go(func() {
			_, errs[i] = e.s.UpdateTask(e.ctx, l.admin, task.ID, duban.TaskUpdate{Version: 1, Note: new(fmt.Sprintf("编辑%d", i))})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch duban.ErrorCode(err) {
		case "":
			won++
		case duban.CodeConflict:
		default:
			t.Errorf("concurrent update: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d concurrent updates won, want 1", won)
	}
	stored, err := e.s.FindTaskByID(e.ctx, l.admin, task.ID)
	must(t, "FindTaskByID", err)
	if stored.Version != 2 {
		t.Errorf("version = %d, want 2", stored.Version)
	}
}

func testRollUp(t *testing.T, e *env) {
	l := newLedger(t, e)
	sum := func(id int64, name string, n int) duban.OrgSummary {
		return duban.OrgSummary{OrgID: id, Name: name, Tasks: n, ByStatus: map[duban.TaskStatus]int{
			duban.StatusNotStarted: n, duban.StatusOnTrack: 0, duban.StatusBehind: 0, duban.StatusDone: 0, duban.StatusClosed: 0}}
	}
	tests := []struct {
		name  string
		actor duban.Actor
		org   int64
		want  []duban.OrgSummary
		code  duban.Code
	}{
		{"city", l.cityAdmin, l.city, []duban.OrgSummary{sum(l.city, "重庆市", 0), sum(l.district, "渝中区", 5), sum(l.other, "江北区", 1)}, ""},
		{"system", l.sys, l.city, []duban.OrgSummary{sum(l.city, "重庆市", 0), sum(l.district, "渝中区", 5), sum(l.other, "江北区", 1)}, ""},
		{"district first", l.admin, l.district, []duban.OrgSummary{sum(l.district, "渝中区", 5)}, ""},
		{"reporter counts their tasks", l.repJFB, l.district, []duban.OrgSummary{sum(l.district, "渝中区", 2)}, ""},
		{"district admin may not roll up the city", l.admin, l.city, nil, duban.CodeNotFound},
		{"another district", l.otherAdmin, l.district, nil, duban.CodeNotFound},
		{"unknown org", l.sys, 987654, nil, duban.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.s.RollUp(e.ctx, tt.actor, tt.org)
			wantCode(t, "RollUp", err, tt.code)
			if diff := cmp.Diff(tt.want, got); err == nil && diff != "" {
				t.Errorf("RollUp mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// FindTasks rolls up the same way.
	_, total, err := e.s.FindTasks(e.ctx, l.cityAdmin, duban.TaskFilter{OrgID: l.city, Rollup: true})
	must(t, "FindTasks(rollup)", err)
	if total != 6 {
		t.Errorf("roll-up total = %d, want 6", total)
	}
	_, total, err = e.s.FindTasks(e.ctx, l.cityAdmin, duban.TaskFilter{OrgID: l.city})
	must(t, "FindTasks(city)", err)
	if total != 0 {
		t.Errorf("city's own total = %d, want 0", total)
	}
	_, total, err = e.s.FindTasks(e.ctx, l.admin, duban.TaskFilter{OrgID: l.city, Rollup: true})
	must(t, "FindTasks(rollup as district admin)", err)
	if total != 0 {
		t.Errorf("district admin rolled up the city: total %d, want 0", total)
	}

	t.Run("counts follow status changes", func(t *testing.T) {
		raw, ok := e.s.(RawDB)
		if !ok {
			t.Fatal("the store does not expose its database (storetest.RawDB)")
		}
		tasks, _, err := e.s.FindTasks(e.ctx, l.admin, duban.TaskFilter{OrgID: l.district})
		must(t, "FindTasks", err)
		// Two tasks move on, one of them twice; the counts are kept by the
		// schema, whatever writes the status.
		for _, st := range []struct {
			id     int64
			status duban.TaskStatus
		}{{tasks[0].ID, duban.StatusOnTrack}, {tasks[1].ID, duban.StatusOnTrack}, {tasks[1].ID, duban.StatusDone}} {
			if _, err := raw.DB().ExecContext(e.ctx, `UPDATE tasks SET status = $1 WHERE id = $2`, string(st.status), st.id); err != nil {
				t.Fatal(err)
			}
		}
		got, err := e.s.RollUp(e.ctx, l.admin, l.district)
		must(t, "RollUp", err)
		want := []duban.OrgSummary{{OrgID: l.district, Name: "渝中区", Tasks: 5, ByStatus: map[duban.TaskStatus]int{
			duban.StatusNotStarted: 3, duban.StatusOnTrack: 1, duban.StatusBehind: 0, duban.StatusDone: 1, duban.StatusClosed: 0}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("RollUp after status changes (-want +got):\n%s", diff)
		}
		for _, id := range []int64{tasks[0].ID, tasks[1].ID} {
			if _, err := raw.DB().ExecContext(e.ctx, `UPDATE tasks SET status = 'not_started' WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("seeded city", func(t *testing.T) {
		city, err := synth.Seed(e.ctx, e.s, 3, 20)
		must(t, "synth.Seed", err)
		got, err := e.s.RollUp(e.ctx, l.sys, city.ID)
		must(t, "RollUp", err)
		if len(got) != 4 || got[0].OrgID != city.ID || got[0].Tasks != 0 {
			t.Fatalf("RollUp = %+v", got)
		}
		for i, d := range city.Districts {
			if got[i+1].OrgID != d.ID || got[i+1].Tasks != 20 || got[i+1].Name != d.Name {
				t.Errorf("line %d = %+v, want %s with 20 tasks", i+1, got[i+1], d.Name)
			}
		}
	})
}

// testFreshness proves that task lists never serve stale data, whatever
// changed a task: the store's own methods, or SQL behind its back (another
// process, a tool), that the ledger's version moves on with every such
// change, and that changing a returned task changes nothing stored.
func testFreshness(t *testing.T, e *env) {
	l := newLedger(t, e)
	version := func() string {
		t.Helper()
		v, err := e.s.LedgerVersion(e.ctx, l.admin, duban.TaskFilter{OrgID: l.district})
		must(t, "LedgerVersion", err)
		if v == "" {
			t.Fatal("the district's ledger has no version")
		}
		return v
	}
	last := version()
	moved := func(what string) {
		t.Helper()
		if v := version(); v == last {
			t.Errorf("the ledger's version stays %q after %s", v, what)
		} else {
			last = v
		}
	}
	find := func() map[string]*duban.Task {
		t.Helper()
		tasks, _, err := e.s.FindTasks(e.ctx, l.admin, duban.TaskFilter{OrgID: l.district})
		must(t, "FindTasks", err)
		m := map[string]*duban.Task{}
		for _, task := range tasks {
			m[key(task)] = task
		}
		return m
	}
	byID := func(k string) *duban.Task {
		t.Helper()
		task, err := e.s.FindTaskByID(e.ctx, l.admin, l.tasks[k].ID)
		must(t, "FindTaskByID", err)
		return task
	}
	find()
	byID("一1")

	// Changing what was returned changes nothing stored.
	got := find()
	got["一1"].Leaders[0] = "改名"
	got["一1"].Targets[0].Text = "改写"
	*got["一1"].Targets[0].Value = 99
	got["一1"].Content = "改写"
	if g := find()["一1"]; g.Leaders[0] != "邓光怀" || g.Targets[0].Text != "地区生产总值增长6%左右" || *g.Targets[0].Value != 6 || g.Content != "地区生产总值增长6%左右。" {
		t.Errorf("a change to a returned task leaked into the store: %+v", g)
	}
	if v := version(); v != last {
		t.Errorf("reading moved the ledger's version from %q to %q", last, v)
	}

	_, err := e.s.UpdateTask(e.ctx, l.admin, l.tasks["二1"].ID, duban.TaskUpdate{Version: 1, Content: new("推进老旧小区改造200个。")})
	must(t, "UpdateTask", err)
	if g := find()["二1"]; g.Content != "推进老旧小区改造200个。" || byID("二1").Version != 2 {
		t.Errorf("after UpdateTask: %+v", g)
	}
	moved("UpdateTask")
	_, err = e.s.UpdateUnit(e.ctx, l.admin, l.fgw, duban.UnitUpdate{Name: new("区发展改革委")})
	must(t, "UpdateUnit", err)
	if g := find()["二2"]; g.LeadUnits[0] != "区发展改革委" || byID("二2").LeadUnits[0] != "区发展改革委" {
		t.Errorf("after renaming a unit: lead units %q", g.LeadUnits)
	}
	moved("renaming a unit")
	raw, ok := e.s.(RawDB)
	if !ok {
		t.Fatalf("store %T has no DB method", e.s)
	}
	for _, tt := range []struct {
		name, stmt string
		check      func(m map[string]*duban.Task) bool
	}{
		{"status", `UPDATE tasks SET status = 'done' WHERE id = ` + fmt.Sprint(l.tasks["十1"].ID),
			func(m map[string]*duban.Task) bool { return m["十1"].Status == duban.StatusDone }},
		{"target", `UPDATE targets SET text = '增长7%' WHERE task_id = ` + fmt.Sprint(l.tasks["一1"].ID),
			func(m map[string]*duban.Task) bool { return m["一1"].Targets[0].Text == "增长7%" }},
		{"leader removed", `DELETE FROM task_leaders WHERE task_id = ` + fmt.Sprint(l.tasks["一2"].ID),
			func(m map[string]*duban.Task) bool { return len(m["一2"].LeaderIDs) == 0 }},
		{"unit removed", `DELETE FROM task_units WHERE task_id = ` + fmt.Sprint(l.tasks["一2"].ID),
			func(m map[string]*duban.Task) bool {
				return len(m["一2"].LeadUnitIDs) == 0 && len(m["一2"].ResponsibleUnitIDs) == 0
			}},
		{"person renamed", `UPDATE people SET name = '邓光怀同志' WHERE id = ` + fmt.Sprint(l.deng),
			func(m map[string]*duban.Task) bool { return m["二1"].Leaders[0] == "邓光怀同志" }},
	} {
		if _, err := raw.DB().ExecContext(e.ctx, tt.stmt); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !tt.check(find()) {
			t.Errorf("FindTasks after a raw change of %s serves stale data", tt.name)
		}
		moved("a raw change of " + tt.name)
	}
}

// testLedgerVersion: the ledger has a version exactly when the page asked for
// depends on nothing but the organisation's ledger, the same for everyone who
// may read it, and none for an organisation outside the actor's.
func testLedgerVersion(t *testing.T, e *env) {
	l := newLedger(t, e)
	district := duban.TaskFilter{OrgID: l.district}
	version := func(a duban.Actor, f duban.TaskFilter) string {
		t.Helper()
		v, err := e.s.LedgerVersion(e.ctx, a, f)
		must(t, "LedgerVersion", err)
		return v
	}
	want := version(l.admin, district)
	if want == "" {
		t.Fatal("the district's ledger has no version for its admin")
	}
	for name, a := range map[string]duban.Actor{"supervisor": l.super, "leader": l.leader, "viewer": l.viewer, "city admin": l.cityAdmin, "system": l.sys} {
		if v := version(a, district); v != want {
			t.Errorf("%s: version %q, want %q as for the admin", name, v, want)
		}
	}
	year, section, status := 2024, "一、主要预期指标", duban.StatusNotStarted
	if v := version(l.admin, duban.TaskFilter{OrgID: l.district, Year: &year, Section: &section, Status: &status, Limit: 2, Offset: 1}); v != want {
		t.Errorf("a page by year, section and status: version %q, want %q", v, want)
	}
	q := "老旧小区"
	for name, tt := range map[string]struct {
		a duban.Actor
		f duban.TaskFilter
	}{
		"reporter":       {l.repFGW, district},
		"other district": {l.otherAdmin, district},
		"unknown org":    {l.sys, duban.TaskFilter{OrgID: 1 << 40}},
		"roll-up":        {l.cityAdmin, duban.TaskFilter{OrgID: l.city, Rollup: true}},
		"by unit":        {l.admin, duban.TaskFilter{OrgID: l.district, UnitID: &l.fgw}},
		"by leader":      {l.admin, duban.TaskFilter{OrgID: l.district, LeaderID: &l.deng}},
		"by words":       {l.admin, duban.TaskFilter{OrgID: l.district, Query: &q}},
	} {
		if v := version(tt.a, tt.f); v != "" {
			t.Errorf("%s: version %q, want none", name, v)
		}
	}
	if v := version(l.otherAdmin, duban.TaskFilter{OrgID: l.other}); v == "" || v == want {
		t.Errorf("the other district's version %q, want one of its own (not %q)", v, want)
	}
}
