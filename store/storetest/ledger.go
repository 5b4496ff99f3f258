package storetest

import (
	"fmt"
	"slices"
	"testing"
	"unicode/utf8"

	"duban"
)

// ledger is the standard set-up: a city with two districts. The district 渝中区
// holds five tasks, five units (各街道 a group of the two streets), two
// leaders and a user of every role; the district 江北区 holds one task of its
// own 区发改委.
type ledger struct {
	*env
	city, district, other int64

	sys, admin, super, leader, viewer duban.Actor
	repFGW, repCZJ, repJFB, repCTM    duban.Actor // reporters of 区发改委, 区财政局 and the two streets
	cityAdmin, otherAdmin             duban.Actor

	fgw, czj, jfb, ctm, streets int64 // units of 渝中区
	otherFGW                    int64 // 区发改委 of 江北区
	deng, chen                  int64 // people of 渝中区

	plan   *duban.ImportPlan // the plan that created the tasks
	result *duban.ImportResult
	tasks  map[string]*duban.Task // by key: "一1" is the first task of section 一、
}

// allKeys are the keys of the district's tasks in ledger order.
var allKeys = []string{"一1", "一2", "二1", "二2", "十1"}

func fval(v float64) *float64 { return &v }

// ledgerPlan is the import of 渝中区's decomposition, tasks not in ledger order.
func ledgerPlan(orgID int64) *duban.ImportPlan {
	return &duban.ImportPlan{
		OrgID: orgID,
		Document: duban.Document{
			FileName: "002.txt", Kind: "decomposition", Title: "2024年区政府工作报告重点工作目标任务分解",
			DocNumber: "渝中府办〔2024〕2号", Year: 2024, Content: []byte("任务分解 2024"),
		},
		NewUnits: []duban.Unit{
			{Name: "区发改委"},
			{Name: "区财政局", Aliases: []string{"区财局"}},
			{Name: "解放碑街道"},
			{Name: "朝天门街道"},
			{Name: "各街道", Kind: duban.UnitGroup},
		},
		NewPeople: []duban.Person{{Name: "邓光怀", Title: "副区长"}, {Name: "陈平", Title: "副区长"}},
		Tasks: []duban.PlannedTask{
			{Task: duban.Task{Year: 2024, Section: "十、民生保障", Number: 1, Content: "新增城镇就业岗位1.5万个。", SourceLine: 90},
				LeaderNames: []string{"陈平"}, LeadUnitNames: []string{"区财政局"}, ResponsibleUnitNames: []string{"朝天门街道"}},
			{Task: duban.Task{Year: 2024, Section: "二、推动高质量发展", Number: 2, Content: "建设国际消费中心城市核心区。", SourceLine: 60},
				LeaderNames: []string{"邓光怀"}, LeadUnitNames: []string{"区发改委"}},
			{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 1, Content: "地区生产总值增长6%左右。", Note: "GDP按可比价格计算",
				SourceLine: 30, Targets: []duban.Target{{Year: 2024, Subject: "地区生产总值", Measure: "growth", Op: "approx", Value: fval(6), Unit: "%", Text: "地区生产总值增长6%左右"}}},
				LeaderNames: []string{"邓光怀"}, LeadUnitNames: []string{"区发改委"}, ResponsibleUnitNames: []string{"各街道"}},
			{Task: duban.Task{Year: 2024, Section: "二、推动高质量发展", Number: 1, Content: "推进老旧小区改造，完成年度目标。", Subsection: "（一）城市更新", SourceLine: 50},
				LeaderNames: []string{"邓光怀", "陈平"}, LeadUnitNames: []string{"解放碑街道"}},
			{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 2, Content: "金融业增加值增长5%。", Deadline: "2024年12月底", SourceLine: 34},
				LeaderNames: []string{"陈平"}, LeadUnitNames: []string{"区财局"}, ResponsibleUnitNames: []string{"区发改委", "区财政局"}},
		},
		Review: duban.ImportReview{Edited: []int{34}, Dropped: []int{40}, Added: []int{}, Columns: map[string]string{},
			Acknowledged: []string{"year"}},
	}
}

func newLedger(t *testing.T, e *env) *ledger {
	t.Helper()
	l := &ledger{env: e, sys: duban.System(0), tasks: make(map[string]*duban.Task)}
	city := &duban.Org{Name: "重庆市"}
	must(t, "create city", e.s.CreateOrg(e.ctx, l.sys, city))
	district := &duban.Org{Name: "渝中区", ParentID: &city.ID}
	must(t, "create district", e.s.CreateOrg(e.ctx, l.sys, district))
	other := &duban.Org{Name: "江北区", ParentID: &city.ID}
	must(t, "create other district", e.s.CreateOrg(e.ctx, l.sys, other))
	l.city, l.district, l.other = city.ID, district.ID, other.ID

	l.admin = l.user(t, l.district, "yz_admin", duban.RoleAdmin, nil, nil)
	l.plan = ledgerPlan(l.district)
	res, err := e.s.ApplyImport(e.ctx, l.admin, l.plan)
	must(t, "import ledger", err)
	l.result = res

	units, err := e.s.FindUnits(e.ctx, l.district)
	must(t, "find units", err)
	byName := make(map[string]int64)
	for _, u := range units {
		byName[u.Name] = u.ID
	}
	l.fgw, l.czj, l.jfb, l.ctm, l.streets = byName["区发改委"], byName["区财政局"], byName["解放碑街道"], byName["朝天门街道"], byName["各街道"]
	_, err = e.s.UpdateUnit(e.ctx, l.admin, l.streets, duban.UnitUpdate{MemberIDs: &[]int64{l.jfb, l.ctm}})
	must(t, "set group members", err)
	people, err := e.s.FindPeople(e.ctx, l.district)
	must(t, "find people", err)
	for _, p := range people {
		switch p.Name {
		case "邓光怀":
			l.deng = p.ID
		case "陈平":
			l.chen = p.ID
		}
	}

	l.super = l.user(t, l.district, "yz_super", duban.RoleSupervisor, nil, nil)
	l.leader = l.user(t, l.district, "yz_leader", duban.RoleLeader, nil, &l.deng)
	l.viewer = l.user(t, l.district, "yz_viewer", duban.RoleViewer, nil, nil)
	l.repFGW = l.user(t, l.district, "yz_fgw", duban.RoleReporter, &l.fgw, nil)
	l.repCZJ = l.user(t, l.district, "yz_czj", duban.RoleReporter, &l.czj, nil)
	l.repJFB = l.user(t, l.district, "yz_jfb", duban.RoleReporter, &l.jfb, nil)
	l.repCTM = l.user(t, l.district, "yz_ctm", duban.RoleReporter, &l.ctm, nil)
	l.cityAdmin = l.user(t, l.city, "cq_admin", duban.RoleAdmin, nil, nil)
	l.otherAdmin = l.user(t, l.other, "jb_admin", duban.RoleAdmin, nil, nil)

	_, err = e.s.ApplyImport(e.ctx, l.otherAdmin, &duban.ImportPlan{
		OrgID:    l.other,
		Document: duban.Document{FileName: "jb.txt", Kind: "decomposition", Year: 2024, Content: []byte("江北 2024")},
		NewUnits: []duban.Unit{{Name: "区发改委"}},
		Tasks: []duban.PlannedTask{{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 1, Content: "金融业增加值增长6%。"},
			LeadUnitNames: []string{"区发改委"}}},
	})
	must(t, "import other ledger", err)
	units, err = e.s.FindUnits(e.ctx, l.other)
	must(t, "find other units", err)
	l.otherFGW = units[0].ID

	tasks, _, err := e.s.FindTasks(e.ctx, l.admin, duban.TaskFilter{OrgID: l.district})
	must(t, "find tasks", err)
	for _, task := range tasks {
		l.tasks[key(task)] = task
	}
	if len(l.tasks) != len(allKeys) {
		t.Fatalf("ledger has %d tasks, want %d", len(l.tasks), len(allKeys))
	}
	return l
}

// user creates a user of org and returns it as an actor.
func (l *ledger) user(t *testing.T, org int64, name string, role duban.Role, unit, person *int64) duban.Actor {
	t.Helper()
	u := &duban.User{OrgID: org, Username: name, DisplayName: name, PasswordHash: "$argon2id$" + name, Role: role, UnitID: unit, PersonID: person}
	must(t, "create user "+name, l.s.CreateUser(l.ctx, l.sys, u))
	return actorOf(u)
}

// key names a task by the first character of its section and its number.
func key(t *duban.Task) string {
	r, _ := utf8.DecodeRuneInString(t.Section)
	return fmt.Sprintf("%c%d", r, t.Number)
}

func keys(tasks []*duban.Task) []string {
	out := []string{}
	for _, t := range tasks {
		out = append(out, key(t))
	}
	return out
}

// taskIDs returns the IDs of the ledger's tasks with the given keys.
func (l *ledger) taskIDs(ks ...string) []int64 {
	var ids []int64
	for _, k := range ks {
		ids = append(ids, l.tasks[k].ID)
	}
	return ids
}

// count returns the number of rows of each kind an organisation holds, to
// prove that a failed operation wrote nothing.
func (l *ledger) count(t *testing.T, org int64) map[string]int {
	t.Helper()
	_, tasks, err := l.s.FindTasks(l.ctx, l.sys, duban.TaskFilter{OrgID: org})
	must(t, "count tasks", err)
	units, err := l.s.FindUnits(l.ctx, org)
	must(t, "count units", err)
	aliases := 0
	for _, u := range units {
		aliases += len(u.Aliases)
	}
	people, err := l.s.FindPeople(l.ctx, org)
	must(t, "count people", err)
	docs, err := l.s.FindDocuments(l.ctx, org)
	must(t, "count documents", err)
	inds, err := l.s.FindIndicators(l.ctx, org, nil)
	must(t, "count indicators", err)
	_, audit, err := l.s.FindAudit(l.ctx, duban.AuditFilter{OrgID: org})
	must(t, "count audit", err)
	return map[string]int{"tasks": tasks, "units": len(units), "aliases": aliases, "people": len(people),
		"documents": len(docs), "indicators": len(inds), "audit": audit}
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
