package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"duban"
)

func testImport(t *testing.T, e *env) {
	l := newLedger(t, e)
	want := &duban.ImportResult{DocumentID: l.result.DocumentID, TasksCreated: 5, UnitsCreated: 5, PeopleAdded: 2}
	if diff := cmp.Diff(want, l.result); diff != "" {
		t.Errorf("ApplyImport result mismatch (-want +got):\n%s", diff)
	}
	if l.plan.Document.ID != l.result.DocumentID || !l.plan.Document.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("plan document not filled in: ID %d CreatedAt %v", l.plan.Document.ID, l.plan.Document.CreatedAt)
	}
	// Names resolve through aliases to the unit's own name, repeats dropped.
	got := l.tasks["一2"]
	doc := l.result.DocumentID
	want2 := &duban.Task{
		ID: got.ID, OrgID: l.district, DocumentID: &doc, Year: 2024, Section: "一、主要预期指标", Number: 2,
		Content: "金融业增加值增长5%。", Deadline: "2024年12月底", SourceLine: 34,
		LeaderIDs: []int64{l.chen}, Leaders: []string{"陈平"},
		LeadUnitIDs: []int64{l.czj}, LeadUnits: []string{"区财政局"},
		ResponsibleUnitIDs: []int64{l.fgw, l.czj}, ResponsibleUnits: []string{"区发改委", "区财政局"},
		Targets: []duban.Target{}, Status: duban.StatusNotStarted, LightRules: []string{}, Version: 1,
		CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now(),
	}
	if diff := cmp.Diff(want2, got); diff != "" {
		t.Errorf("imported task mismatch (-want +got):\n%s", diff)
	}
	g := l.tasks["一1"].Targets
	if len(g) != 1 || g[0].ID == 0 || g[0].Text != "地区生产总值增长6%左右" || g[0].Value == nil || *g[0].Value != 6 || g[0].Op != "approx" {
		t.Errorf("targets of 一1 = %+v", g)
	}
	// One audit entry for the import and one per task created.
	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, ActorID: &l.admin.UserID, Limit: 100})
	must(t, "FindAudit", err)
	actions := map[string]int{}
	for _, en := range entries {
		actions[en.Action]++
		if en.Action == "document.import" {
			// The office's corrections and acknowledgements are kept with it.
			var after struct {
				Review duban.ImportReview `json:"review"`
			}
			if err := json.Unmarshal(en.After, &after); err != nil {
				t.Fatalf("the import's audit entry: %v", err)
			}
			if diff := cmp.Diff(l.plan.Review, after.Review); diff != "" {
				t.Errorf("the import's review in the audit log (-want +got):\n%s", diff)
			}
		}
	}
	if actions["document.import"] != 1 || actions["task.create"] != 5 {
		t.Errorf("audit actions of the import = %v, want 1 document.import and 5 task.create", actions)
	}

	t.Run("same file again", func(t *testing.T) {
		before := l.count(t, l.district)
		p := ledgerPlan(l.district)
		p.NewUnits, p.NewPeople, p.Tasks = nil, nil, nil
		_, err := e.s.ApplyImport(e.ctx, l.admin, p)
		wantCode(t, "ApplyImport", err, duban.CodeConflict)
		wantMessage(t, "ApplyImport", err, "该文件已导入")
		if diff := cmp.Diff(before, l.count(t, l.district)); diff != "" {
			t.Errorf("a refused import wrote (-before +after):\n%s", diff)
		}
		// Another organisation may import the same file.
		p.OrgID = l.other
		_, err = e.s.ApplyImport(e.ctx, l.otherAdmin, p)
		must(t, "same file in another org", err)
	})
	t.Run("hash must match", func(t *testing.T) {
		_, err := e.s.ApplyImport(e.ctx, l.admin, &duban.ImportPlan{OrgID: l.district,
			Document: duban.Document{Content: []byte("x"), SHA256: hex.EncodeToString(make([]byte, 32))}})
		wantCode(t, "ApplyImport", err, duban.CodeInvalid)
	})
	t.Run("who may import", func(t *testing.T) {
		for _, a := range []duban.Actor{l.super, l.leader, l.viewer, l.repFGW} {
			_, err := e.s.ApplyImport(e.ctx, a, &duban.ImportPlan{OrgID: l.district, Document: duban.Document{Content: []byte(a.Username)}})
			wantCode(t, "ApplyImport as "+string(a.Role), err, duban.CodeForbidden)
		}
		_, err := e.s.ApplyImport(e.ctx, l.otherAdmin, &duban.ImportPlan{OrgID: l.district, Document: duban.Document{Content: []byte("jb")}})
		wantCode(t, "ApplyImport into another org", err, duban.CodeNotFound)
	})
	t.Run("aliases", func(t *testing.T) {
		p := &duban.ImportPlan{OrgID: l.district,
			Document: duban.Document{FileName: "补充.txt", Year: 2024, Content: []byte("补充任务")},
			Aliases:  []duban.UnitAlias{{UnitID: l.fgw, Alias: "发改委"}, {UnitID: l.czj, Alias: "区财局"}},
			Tasks: []duban.PlannedTask{{Task: duban.Task{Year: 2024, Section: "十二、其他", Number: 1, Content: "做好统计工作。"},
				LeadUnitNames: []string{"发改委"}}},
		}
		res, err := e.s.ApplyImport(e.ctx, l.admin, p)
		must(t, "ApplyImport", err)
		if res.TasksCreated != 1 {
			t.Errorf("TasksCreated = %d, want 1", res.TasksCreated)
		}
		u, err := e.s.FindUnitByID(e.ctx, l.fgw)
		must(t, "FindUnitByID", err)
		if diff := cmp.Diff([]string{"发改委"}, u.Aliases); diff != "" {
			t.Errorf("aliases mismatch (-want +got):\n%s", diff)
		}
		p = &duban.ImportPlan{OrgID: l.district, Document: duban.Document{Content: []byte("别名冲突")},
			Aliases: []duban.UnitAlias{{UnitID: l.czj, Alias: "发改委"}}}
		_, err = e.s.ApplyImport(e.ctx, l.admin, p)
		wantCode(t, "alias of another unit", err, duban.CodeConflict)
		p = &duban.ImportPlan{OrgID: l.district, Document: duban.Document{Content: []byte("别名单位")},
			Aliases: []duban.UnitAlias{{UnitID: l.otherFGW, Alias: "江北发改委"}}}
		_, err = e.s.ApplyImport(e.ctx, l.admin, p)
		wantCode(t, "alias for another org's unit", err, duban.CodeInvalid)
	})
}

// testImportAtomic proves that a plan failing half-way writes nothing.
func testImportAtomic(t *testing.T, e *env) {
	l := newLedger(t, e)
	tests := []struct {
		name   string
		change func(p *duban.ImportPlan)
		code   duban.Code
		msg    string
	}{
		{"unknown unit", func(p *duban.ImportPlan) {
			p.Tasks[3].ResponsibleUnitNames = []string{"区不存在局"}
		}, duban.CodeInvalid, "区不存在局"},
		{"unknown leader", func(p *duban.ImportPlan) {
			p.Tasks[4].LeaderNames = []string{"无名氏"}
		}, duban.CodeInvalid, "无名氏"},
		{"task already there", func(p *duban.ImportPlan) {
			p.Tasks[4].Section, p.Tasks[4].Number = "一、主要预期指标", 1
		}, duban.CodeConflict, "已存在"},
		{"same task twice", func(p *duban.ImportPlan) {
			p.Tasks[0].Number = 2
			p.Tasks[1].Section, p.Tasks[1].Number = p.Tasks[0].Section, 2
		}, duban.CodeInvalid, "重复"},
		{"new unit name taken", func(p *duban.ImportPlan) {
			p.NewUnits = append(p.NewUnits, duban.Unit{Name: "区发改委"})
		}, duban.CodeConflict, "区发改委"},
		{"stale update", func(p *duban.ImportPlan) {
			p.Tasks[0].ID, p.Tasks[0].Version = 0, 0
			p.Tasks[1].ID, p.Tasks[1].Version = l.tasks["一1"].ID, 7
		}, duban.CodeConflict, "已被他人修改"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := l.count(t, l.district)
			p := ledgerPlan(l.district)
			p.Document.Content = []byte("第二份文件")
			p.NewUnits = []duban.Unit{{Name: "区统计局", Aliases: []string{"统计局"}}}
			p.NewPeople = []duban.Person{{Name: "周强"}}
			p.Aliases = []duban.UnitAlias{{UnitID: l.fgw, Alias: "发改委"}}
			p.Indicators = []duban.Indicator{{Name: "地区生产总值增速", Values: []duban.IndicatorValue{{Year: 2024, Kind: "target", Text: "6左右"}}}}
			for i := range p.Tasks {
				p.Tasks[i].Section = "十一、新增" // all new tasks
				p.Tasks[i].Number = i + 1
			}
			tt.change(p)
			_, err := e.s.ApplyImport(e.ctx, l.admin, p)
			wantCode(t, "ApplyImport", err, tt.code)
			wantMessage(t, "ApplyImport", err, tt.msg)
			if diff := cmp.Diff(before, l.count(t, l.district)); diff != "" {
				t.Errorf("a failed import wrote (-before +after):\n%s", diff)
			}
		})
	}
}

// testReimport imports a revised decomposition: planned updates change tasks
// in place instead of adding them again.
func testReimport(t *testing.T, e *env) {
	l := newLedger(t, e)
	e.clock.Advance(24 * 3600e9)
	p := ledgerPlan(l.district)
	p.Document.Content = []byte("任务分解 2024 修订版")
	p.NewUnits, p.NewPeople = nil, nil
	for i := range p.Tasks {
		pt := &p.Tasks[i]
		cur := l.tasks[key(&pt.Task)]
		pt.ID, pt.Version = cur.ID, cur.Version
	}
	// 一1: new content and target; 十1: new responsible unit; the rest unchanged.
	p.Tasks[2].Content = "地区生产总值增长6.5%左右。"
	p.Tasks[2].Targets = []duban.Target{{Year: 2024, Subject: "地区生产总值", Measure: "growth", Op: "approx", Value: fval(6.5), Unit: "%", Text: "地区生产总值增长6.5%左右"}}
	p.Tasks[0].ResponsibleUnitNames = []string{"朝天门街道", "解放碑街道"}
	p.Tasks = append(p.Tasks, duban.PlannedTask{
		Task:          duban.Task{Year: 2024, Section: "十、民生保障", Number: 2, Content: "新建社区食堂10个。"},
		LeadUnitNames: []string{"区发改委"},
	})
	res, err := e.s.ApplyImport(e.ctx, l.admin, p)
	must(t, "ApplyImport", err)
	want := &duban.ImportResult{DocumentID: res.DocumentID, TasksCreated: 1, TasksUpdated: 2}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result mismatch (-want +got):\n%s", diff)
	}
	tasks, total, err := e.s.FindTasks(e.ctx, l.admin, duban.TaskFilter{OrgID: l.district})
	must(t, "FindTasks", err)
	if total != 6 {
		t.Errorf("total = %d after re-import, want 6", total)
	}
	byKey := map[string]*duban.Task{}
	for _, task := range tasks {
		byKey[key(task)] = task
	}
	g := byKey["一1"]
	if g.Version != 2 || g.Content != "地区生产总值增长6.5%左右。" || len(g.Targets) != 1 || *g.Targets[0].Value != 6.5 ||
		!g.UpdatedAt.Equal(e.clock.Now()) || *g.DocumentID != res.DocumentID {
		t.Errorf("updated task 一1 = %+v", g)
	}
	if g := byKey["十1"]; g.Version != 2 || len(g.ResponsibleUnitIDs) != 2 {
		t.Errorf("updated task 十1 = %+v", g)
	}
	if g := byKey["二1"]; g.Version != 1 || *g.DocumentID != l.result.DocumentID {
		t.Errorf("unchanged task 二1 was rewritten: %+v", g)
	}
	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: new("task"), EntityID: &byKey["二1"].ID})
	must(t, "FindAudit", err)
	if len(entries) != 1 || entries[0].Action != "task.create" {
		t.Errorf("audit of unchanged task = %d entries", len(entries))
	}
	// The same plan again is stale: the tasks have moved on.
	p.Document.Content, p.Document.SHA256 = []byte("任务分解 2024 修订版二"), ""
	p.Tasks = p.Tasks[:5]
	_, err = e.s.ApplyImport(e.ctx, l.admin, p)
	wantCode(t, "stale re-import", err, duban.CodeConflict)
}

func testDocuments(t *testing.T, e *env) {
	l := newLedger(t, e)
	docs, err := e.s.FindDocuments(e.ctx, l.district)
	must(t, "FindDocuments", err)
	content := []byte("任务分解 2024")
	sum := sha256.Sum256(content)
	want := []*duban.Document{{
		ID: l.result.DocumentID, OrgID: l.district, FileName: "002.txt", Kind: "decomposition",
		Title: "2024年区政府工作报告重点工作目标任务分解", DocNumber: "渝中府办〔2024〕2号", Year: 2024,
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)), CreatedAt: e.clock.Now(), CreatedBy: l.admin.UserID,
	}}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("FindDocuments mismatch (-want +got):\n%s", diff)
	}
	d, err := e.s.FindDocumentByID(e.ctx, l.result.DocumentID)
	must(t, "FindDocumentByID", err)
	if diff := cmp.Diff(want[0], d); diff != "" {
		t.Errorf("FindDocumentByID mismatch (-want +got):\n%s", diff)
	}
	b, err := e.s.FindDocumentContent(e.ctx, l.result.DocumentID)
	must(t, "FindDocumentContent", err)
	if string(b) != string(content) {
		t.Errorf("FindDocumentContent = %q, want %q", b, content)
	}
	_, err = e.s.FindDocumentByID(e.ctx, 987654)
	wantCode(t, "FindDocumentByID(unknown)", err, duban.CodeNotFound)
	_, err = e.s.FindDocumentContent(e.ctx, 987654)
	wantCode(t, "FindDocumentContent(unknown)", err, duban.CodeNotFound)
	docs, err = e.s.FindDocuments(e.ctx, 987654)
	must(t, "FindDocuments(unknown org)", err)
	if docs == nil || len(docs) != 0 {
		t.Errorf("FindDocuments(unknown org) = %v, want empty", docs)
	}
}

func testIndicators(t *testing.T, e *env) {
	l := newLedger(t, e)
	// The plan report's two tables name the same indicators: they merge.
	p := &duban.ImportPlan{OrgID: l.district,
		Document: duban.Document{FileName: "001.txt", Kind: "plan_report", Year: 2022, Content: []byte("计划报告")},
		Indicators: []duban.Indicator{
			{Name: "地区生产总值增速", Category: "经济发展", Unit: "%", Attribute: "预期性", Values: []duban.IndicatorValue{
				{Year: 2021, Kind: "target", Text: "6以上", Op: "ge", Value: fval(6)},
				{Year: 2021, Kind: "actual", Text: "预计7左右", Op: "approx", Value: fval(7)},
			}},
			{Name: "研发经费投入强度", Category: "创新驱动", Unit: "%", Attribute: "预期性", Values: []duban.IndicatorValue{
				{Year: 2021, Kind: "target", Text: "0.8", Op: "reach", Value: fval(0.8)},
				{Year: 2021, Kind: "actual", Text: "——", Op: "unknown"},
			}},
			{Name: "地区生产总值增速", Values: []duban.IndicatorValue{
				{Year: 2021, Kind: "actual", Text: "7.1", Op: "reach", Value: fval(7.1)},
				{Year: 2022, Kind: "target", Text: "6左右", Op: "approx", Value: fval(6)},
			}},
		},
	}
	res, err := e.s.ApplyImport(e.ctx, l.admin, p)
	must(t, "ApplyImport", err)
	if res.Indicators != 2 {
		t.Errorf("Indicators = %d, want 2", res.Indicators)
	}
	inds, err := e.s.FindIndicators(e.ctx, l.district, nil)
	must(t, "FindIndicators", err)
	doc := res.DocumentID
	want := []*duban.Indicator{
		{OrgID: l.district, DocumentID: &doc, Name: "地区生产总值增速", Category: "经济发展", Unit: "%", Attribute: "预期性", Values: []duban.IndicatorValue{
			{Year: 2021, Kind: "target", Text: "6以上", Op: "ge", Value: fval(6)},
			{Year: 2021, Kind: "actual", Text: "7.1", Op: "reach", Value: fval(7.1)},
			{Year: 2022, Kind: "target", Text: "6左右", Op: "approx", Value: fval(6)},
		}},
		{OrgID: l.district, DocumentID: &doc, Name: "研发经费投入强度", Category: "创新驱动", Unit: "%", Attribute: "预期性", Values: []duban.IndicatorValue{
			{Year: 2021, Kind: "target", Text: "0.8", Op: "reach", Value: fval(0.8)},
			{Year: 2021, Kind: "actual", Text: "——", Op: "unknown"},
		}},
	}
	ignoreID := cmpopts.IgnoreFields(duban.Indicator{}, "ID")
	if diff := cmp.Diff(want, inds, ignoreID); diff != "" {
		t.Errorf("FindIndicators mismatch (-want +got):\n%s", diff)
	}
	inds, err = e.s.FindIndicators(e.ctx, l.district, new(2022))
	must(t, "FindIndicators(2022)", err)
	if diff := cmp.Diff(want[:1], inds, ignoreID); diff != "" {
		t.Errorf("FindIndicators(2022) mismatch (-want +got):\n%s", diff)
	}
	inds, err = e.s.FindIndicators(e.ctx, l.district, new(2020))
	must(t, "FindIndicators(2020)", err)
	if len(inds) != 0 {
		t.Errorf("FindIndicators(2020) = %d indicators, want none", len(inds))
	}
	_, err = e.s.ApplyImport(e.ctx, l.admin, &duban.ImportPlan{OrgID: l.district, Document: duban.Document{Content: []byte("坏指标")},
		Indicators: []duban.Indicator{{Name: "某指标", Values: []duban.IndicatorValue{{Year: 2021, Kind: "outcome"}}}}})
	wantCode(t, "unknown value kind", err, duban.CodeInvalid)
}
