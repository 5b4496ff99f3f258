package identity

import (
	"strings"
	"testing"
	"unicode/utf8"

	"duban"
)

func ptr(v int64) *int64 { return &v }

// directory is a city with one district: the city has 市发改委 (alias 发改委),
// the district 区发改委 and the group 各街道; 陈平 leads in the city, and two
// leaders of the district share a name.
func directory() Directory {
	city := &duban.Org{ID: 1, Name: "重庆市"}
	district := &duban.Org{ID: 2, Name: "渝中区", ParentID: ptr(1)}
	return Directory{
		Orgs: []*duban.Org{city, district},
		Units: map[int64][]*duban.Unit{
			1: {{ID: 10, OrgID: 1, Name: "市发改委", Aliases: []string{"发改委"}}},
			2: {{ID: 20, OrgID: 2, Name: "区发改委"}, {ID: 21, OrgID: 2, Name: "各街道", Kind: duban.UnitGroup}},
		},
		People: map[int64][]*duban.Person{
			1: {{ID: 100, OrgID: 1, Name: "陈平"}},
			2: {{ID: 200, OrgID: 2, Name: "王强"}, {ID: 201, OrgID: 2, Name: "王强"}},
		},
	}
}

func TestMap(t *testing.T) {
	rules := []Rule{
		{Group: "督查室", Role: duban.RoleSupervisor},
		{Group: "市领导", Role: duban.RoleLeader},
		{Group: "区领导", Org: "渝中区", Role: duban.RoleLeader},
		{Group: "区政府办", Org: "渝中区", Role: duban.RoleAdmin},
		{Unit: "*", Org: "渝中区", Role: duban.RoleReporter},
		{Unit: "*", Role: duban.RoleReporter},
		{Unit: "市人大办", Role: duban.RoleViewer},
		{Group: "统计员", Role: duban.RoleReporter, AsUnit: "市发改委"},
		{Group: "外区", Org: "江北区", Role: duban.RoleViewer},
	}
	if err := Check(rules); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    Person
		want *Grant // nil: no rule matches
	}{
		{"group by name", Person{Groups: []string{"全体", "督查室"}}, &Grant{Rule: 0, OrgID: 1, Role: duban.RoleSupervisor}},
		{"group by DN, any case", Person{Groups: []string{"CN=督查室,OU=Groups,DC=cq,DC=gov"}}, &Grant{Rule: 0, OrgID: 1, Role: duban.RoleSupervisor}},
		{"leader bound to the person of that name", Person{DisplayName: "陈平", Groups: []string{"市领导"}},
			&Grant{Rule: 1, OrgID: 1, Role: duban.RoleLeader, PersonID: ptr(100)}},
		{"leader whose name is two people is bound to none", Person{DisplayName: "王强", Groups: []string{"区领导"}},
			&Grant{Rule: 2, OrgID: 2, Role: duban.RoleLeader}},
		{"admin of the district", Person{Groups: []string{"区政府办"}}, &Grant{Rule: 3, OrgID: 2, Role: duban.RoleAdmin}},
		{"reporter of the unit the attribute names", Person{Unit: " 区发改委 "}, &Grant{Rule: 4, OrgID: 2, Role: duban.RoleReporter, UnitID: ptr(20)}},
		{"reporter by alias in the city", Person{Unit: "发改委"}, &Grant{Rule: 5, OrgID: 1, Role: duban.RoleReporter, UnitID: ptr(10)}},
		{"a group unit is no reporter's unit", Person{Unit: "各街道"}, nil},
		{"unit text matched exactly", Person{Unit: "市人大办"}, &Grant{Rule: 6, OrgID: 1, Role: duban.RoleViewer}},
		{"reporter of a named unit", Person{Groups: []string{"统计员"}}, &Grant{Rule: 7, OrgID: 1, Role: duban.RoleReporter, UnitID: ptr(10)}},
		{"unknown organisation matches nobody", Person{Groups: []string{"外区"}}, nil},
		{"nobody in particular", Person{Username: "lisi", Unit: "区住建委", Groups: []string{"全体职工"}}, nil},
		{"no attributes at all", Person{}, nil},
		{"group name inside another is no match", Person{Groups: []string{"督查室副组"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := Map(rules, tt.p, directory())
			if tt.want == nil {
				if ok {
					t.Fatalf("Map = %+v, want no match", g)
				}
				return
			}
			if !ok {
				t.Fatalf("Map: no match, want %+v", *tt.want)
			}
			if g.Rule != tt.want.Rule || g.OrgID != tt.want.OrgID || g.Role != tt.want.Role ||
				!sameID(g.UnitID, tt.want.UnitID) || !sameID(g.PersonID, tt.want.PersonID) {
				t.Errorf("Map = %+v (unit %v person %v), want %+v", g, deref(g.UnitID), deref(g.PersonID), *tt.want)
			}
		})
	}
}

func sameID(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestCheck(t *testing.T) {
	tests := []struct {
		rule Rule
		want string // part of the error; "" for none
	}{
		{Rule{Group: "督查室", Role: duban.RoleSupervisor}, ""},
		{Rule{Role: duban.RoleViewer}, "needs a group or a unit"},
		{Rule{Group: "x", Role: "root"}, "unknown role"},
		{Rule{Group: "x", Role: duban.RoleReporter}, "reporter needs a unit"},
		{Rule{Group: "x", Role: duban.RoleViewer, AsUnit: "区发改委"}, "as_unit is for reporters"},
	}
	for _, tt := range tests {
		err := Check([]Rule{tt.rule})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Check(%+v) = %v", tt.rule, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Check(%+v) = %v, want %q", tt.rule, err, tt.want)
		}
	}
}

func TestFirstCN(t *testing.T) {
	tests := map[string]string{
		"cn=督查室,ou=groups,dc=gov":   "督查室",
		"CN=Admins,OU=x":            "Admins",
		`cn=A\,B,ou=x`:              "A,B",
		`cn=\E7\9D\A3查室,ou=x`:       "督查室",
		"cn=a+uid=b,ou=x":           "a",
		"ou=groups,cn=x":            "",
		"督查室":                       "",
		"cn=":                       "",
		" cn= 区领导 , ou=x":           "区领导",
		`cn=trailing\`:              "trailing",
		"uid=zhangsan,ou=people,dc": "",
	}
	for dn, want := range tests {
		if got := FirstCN(dn); got != want {
			t.Errorf("FirstCN(%q) = %q, want %q", dn, got, want)
		}
	}
}

func FuzzFirstCN(f *testing.F) {
	for _, s := range []string{"cn=督查室,ou=groups,dc=gov", `cn=A\,B`, `cn=\E7\9D\A3`, "CN=x+y", `cn=\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dn string) {
		cn := FirstCN(dn)
		if len(cn) > len(dn) {
			t.Fatalf("FirstCN(%q) = %q, longer than the DN", dn, cn)
		}
		if utf8.ValidString(dn) && !strings.Contains(dn, `\`) && cn != "" && !strings.Contains(dn, cn) {
			t.Fatalf("FirstCN(%q) = %q, not in the DN", dn, cn)
		}
	})
}
