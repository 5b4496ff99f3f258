package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
)

func testOrgs(t *testing.T, e *env) {
	l := newLedger(t, e)
	tests := []struct {
		name  string
		actor duban.Actor
		org   duban.Org
		want  duban.Code
	}{
		{"system creates a top-level org", l.sys, duban.Org{Name: "四川省"}, ""},
		{"city admin creates a district", l.cityAdmin, duban.Org{Name: "南岸区", ParentID: &l.city}, ""},
		{"district admin creates below itself", l.admin, duban.Org{Name: "渝中区经开区", ParentID: &l.district}, ""},
		{"admin may not create a top-level org", l.cityAdmin, duban.Org{Name: "四川省"}, duban.CodeForbidden},
		{"district admin may not create beside itself", l.admin, duban.Org{Name: "南岸区", ParentID: &l.city}, duban.CodeNotFound},
		{"supervisor may not create", l.super, duban.Org{Name: "某区", ParentID: &l.district}, duban.CodeForbidden},
		{"unknown parent", l.sys, duban.Org{Name: "某区", ParentID: new(int64(987654))}, duban.CodeNotFound},
		{"empty name", l.sys, duban.Org{Name: "  "}, duban.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.org
			err := e.s.CreateOrg(e.ctx, tt.actor, &o)
			wantCode(t, "CreateOrg", err, tt.want)
			if err != nil {
				return
			}
			got, err := e.s.FindOrgByID(e.ctx, o.ID)
			must(t, "FindOrgByID", err)
			if diff := cmp.Diff(&o, got); diff != "" {
				t.Errorf("FindOrgByID mismatch (-want +got):\n%s", diff)
			}
			if !got.CreatedAt.Equal(e.clock.Now()) {
				t.Errorf("CreatedAt = %v, want the clock's %v", got.CreatedAt, e.clock.Now())
			}
		})
	}
	orgs, err := e.s.FindOrgs(e.ctx)
	must(t, "FindOrgs", err)
	var names []string
	for _, o := range orgs {
		names = append(names, o.Name)
	}
	want := []string{"重庆市", "渝中区", "江北区", "四川省", "南岸区", "渝中区经开区"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("FindOrgs names mismatch (-want +got):\n%s", diff)
	}
	_, err = e.s.FindOrgByID(e.ctx, 987654)
	wantCode(t, "FindOrgByID(unknown)", err, duban.CodeNotFound)
	wantMessage(t, "FindOrgByID(unknown)", err, "组织不存在")
}

func testUnits(t *testing.T, e *env) {
	l := newLedger(t, e)
	t.Run("create", func(t *testing.T) {
		tests := []struct {
			name  string
			actor duban.Actor
			unit  duban.Unit
			want  duban.Code
		}{
			{"unit with aliases", l.admin, duban.Unit{OrgID: l.district, Name: " 区政务服务办 ", Aliases: []string{"区政服办", "", "区政服办"}}, ""},
			{"group with members", l.admin, duban.Unit{OrgID: l.district, Name: "各部门", Kind: duban.UnitGroup, MemberIDs: []int64{l.fgw, l.czj}}, ""},
			{"same name in another org", l.otherAdmin, duban.Unit{OrgID: l.other, Name: "区财政局"}, ""},
			{"name taken", l.admin, duban.Unit{OrgID: l.district, Name: "区发改委"}, duban.CodeConflict},
			{"name taken by an alias", l.admin, duban.Unit{OrgID: l.district, Name: "区财局"}, duban.CodeConflict},
			{"alias taken by a name", l.admin, duban.Unit{OrgID: l.district, Name: "区统计局", Aliases: []string{"区发改委"}}, duban.CodeConflict},
			{"member of another org", l.admin, duban.Unit{OrgID: l.district, Name: "各单位", Kind: duban.UnitGroup, MemberIDs: []int64{l.otherFGW}}, duban.CodeInvalid},
			{"group as member", l.admin, duban.Unit{OrgID: l.district, Name: "各单位", Kind: duban.UnitGroup, MemberIDs: []int64{l.streets}}, duban.CodeInvalid},
			{"members of a single unit", l.admin, duban.Unit{OrgID: l.district, Name: "区统计局", MemberIDs: []int64{l.fgw}}, duban.CodeInvalid},
			{"unknown kind", l.admin, duban.Unit{OrgID: l.district, Name: "区统计局", Kind: "team"}, duban.CodeInvalid},
			{"empty name", l.admin, duban.Unit{OrgID: l.district, Name: ""}, duban.CodeInvalid},
			{"supervisor may not", l.super, duban.Unit{OrgID: l.district, Name: "区统计局"}, duban.CodeForbidden},
			{"reporter may not", l.repFGW, duban.Unit{OrgID: l.district, Name: "区统计局"}, duban.CodeForbidden},
			{"admin of another org", l.otherAdmin, duban.Unit{OrgID: l.district, Name: "区统计局"}, duban.CodeNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := tt.unit
				err := e.s.CreateUnit(e.ctx, tt.actor, &u)
				wantCode(t, "CreateUnit", err, tt.want)
				if err != nil {
					return
				}
				got, err := e.s.FindUnitByID(e.ctx, u.ID)
				must(t, "FindUnitByID", err)
				if diff := cmp.Diff(&u, got); diff != "" {
					t.Errorf("FindUnitByID mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
	t.Run("find", func(t *testing.T) {
		units, err := e.s.FindUnits(e.ctx, l.district)
		must(t, "FindUnits", err)
		got := map[string]duban.Unit{}
		var names []string
		for _, u := range units {
			got[u.Name] = *u
			names = append(names, u.Name)
		}
		wantNames := []string{"区发改委", "区财政局", "解放碑街道", "朝天门街道", "各街道", "区政务服务办", "各部门"}
		if diff := cmp.Diff(wantNames, names); diff != "" {
			t.Errorf("FindUnits names mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"区政服办"}, got["区政务服务办"].Aliases); diff != "" {
			t.Errorf("aliases mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]int64{l.jfb, l.ctm}, got["各街道"].MemberIDs); diff != "" {
			t.Errorf("members mismatch (-want +got):\n%s", diff)
		}
		if g := got["各街道"]; g.Kind != duban.UnitGroup {
			t.Errorf("各街道 kind = %q, want group", g.Kind)
		}
		_, err = e.s.FindUnitByID(e.ctx, 987654)
		wantCode(t, "FindUnitByID(unknown)", err, duban.CodeNotFound)
		wantMessage(t, "FindUnitByID(unknown)", err, "单位不存在")
	})
	t.Run("update", func(t *testing.T) {
		// Renaming to an alias makes the alias the name.
		u, err := e.s.UpdateUnit(e.ctx, l.admin, l.czj, duban.UnitUpdate{Name: new("区财局")})
		must(t, "rename to alias", err)
		if u.Name != "区财局" || len(u.Aliases) != 0 {
			t.Errorf("after rename: name %q aliases %q, want 区财局 and none", u.Name, u.Aliases)
		}
		u, err = e.s.UpdateUnit(e.ctx, l.admin, l.czj, duban.UnitUpdate{Name: new("区财政局"), Aliases: &[]string{"区财局", "财政局"}})
		must(t, "rename back with aliases", err)
		if diff := cmp.Diff([]string{"区财局", "财政局"}, u.Aliases); diff != "" {
			t.Errorf("aliases mismatch (-want +got):\n%s", diff)
		}
		// Tasks show the unit's current name.
		task, err := e.s.FindTaskByID(e.ctx, l.admin, l.tasks["一2"].ID)
		must(t, "FindTaskByID", err)
		if diff := cmp.Diff([]string{"区财政局"}, task.LeadUnits); diff != "" {
			t.Errorf("lead units mismatch (-want +got):\n%s", diff)
		}
		u, err = e.s.UpdateUnit(e.ctx, l.admin, l.streets, duban.UnitUpdate{MemberIDs: &[]int64{l.jfb}})
		must(t, "set members", err)
		if diff := cmp.Diff([]int64{l.jfb}, u.MemberIDs); diff != "" {
			t.Errorf("members mismatch (-want +got):\n%s", diff)
		}
		_, err = e.s.UpdateUnit(e.ctx, l.admin, l.czj, duban.UnitUpdate{Name: new("区发改委")})
		wantCode(t, "rename to a taken name", err, duban.CodeConflict)
		_, err = e.s.UpdateUnit(e.ctx, l.admin, l.fgw, duban.UnitUpdate{MemberIDs: &[]int64{l.czj}})
		wantCode(t, "members of a single unit", err, duban.CodeInvalid)
		_, err = e.s.UpdateUnit(e.ctx, l.super, l.fgw, duban.UnitUpdate{Name: new("发改委")})
		wantCode(t, "supervisor renames", err, duban.CodeForbidden)
		_, err = e.s.UpdateUnit(e.ctx, l.otherAdmin, l.fgw, duban.UnitUpdate{Name: new("发改委")})
		wantCode(t, "admin of another org renames", err, duban.CodeNotFound)
		_, err = e.s.UpdateUnit(e.ctx, l.admin, 987654, duban.UnitUpdate{Name: new("发改委")})
		wantCode(t, "unknown unit", err, duban.CodeNotFound)
		got, err := e.s.FindUnitByID(e.ctx, l.fgw)
		must(t, "FindUnitByID", err)
		if got.Name != "区发改委" {
			t.Errorf("refused updates changed the name to %q", got.Name)
		}
	})
}

func testPeople(t *testing.T, e *env) {
	l := newLedger(t, e)
	p := &duban.Person{OrgID: l.district, Name: " 黄晓燕 ", Title: "副区长", Portfolio: "教育、卫生健康"}
	must(t, "CreatePerson", e.s.CreatePerson(e.ctx, l.admin, p))
	if p.Name != "黄晓燕" || p.ID == 0 || !p.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("CreatePerson filled in %+v", p)
	}
	err := e.s.CreatePerson(e.ctx, l.admin, &duban.Person{OrgID: l.district, Name: "黄晓燕"})
	wantCode(t, "same name", err, duban.CodeConflict)
	err = e.s.CreatePerson(e.ctx, l.otherAdmin, &duban.Person{OrgID: l.other, Name: "黄晓燕"})
	wantCode(t, "same name in another org", err, "")
	err = e.s.CreatePerson(e.ctx, l.leader, &duban.Person{OrgID: l.district, Name: "周强"})
	wantCode(t, "leader creates", err, duban.CodeForbidden)
	err = e.s.CreatePerson(e.ctx, l.admin, &duban.Person{OrgID: l.district})
	wantCode(t, "no name", err, duban.CodeInvalid)
	people, err := e.s.FindPeople(e.ctx, l.district)
	must(t, "FindPeople", err)
	want := []*duban.Person{
		{ID: l.deng, OrgID: l.district, Name: "邓光怀", Title: "副区长"},
		{ID: l.chen, OrgID: l.district, Name: "陈平", Title: "副区长"},
		p,
	}
	if diff := cmp.Diff(want, people, cmpIgnoreTimes); diff != "" {
		t.Errorf("FindPeople mismatch (-want +got):\n%s", diff)
	}
}
