package identity

import (
	"fmt"
	"strings"

	"duban"
)

// Rule gives an account to the people it matches. The administrator writes
// the rules in the configuration; the first that matches a person decides,
// and a person no rule matches waits for an administrator's approval:
// nothing is granted by default.
//
//	{"group": "督查室", "role": "supervisor"}
//	{"group": "区领导", "role": "leader"}
//	{"unit": "*", "role": "reporter"}
//
// The first gives the members of the group 督查室 the supervisor's role in
// the top organisation; the second makes the members of 区领导 leaders, bound
// to the leader of the same name when there is one; the third makes anyone
// whose unit attribute names a unit of the organisation a reporter of that
// unit.
type Rule struct {
	// Group matches the members of the group of this name (or whose DN's
	// first cn is this name), compared without regard to case.
	Group string `json:"group,omitempty"`
	// Unit matches a person whose unit attribute is this text; "*" matches
	// any value that names a unit of the organisation (by its name or an
	// alias).
	Unit string `json:"unit,omitempty"`

	// Org is the name of the organisation the account is in; "" means the
	// top organisation (the first without a parent).
	Org string `json:"org,omitempty"`
	// Role is the account's role.
	Role duban.Role `json:"role"`
	// AsUnit is the unit of a reporter, by name; "" means the unit the
	// person's unit attribute names. A reporter rule whose unit cannot be
	// found does not match.
	AsUnit string `json:"as_unit,omitempty"`
}

// Check returns what is wrong with the rules, naming the rule.
func Check(rules []Rule) error {
	for i, r := range rules {
		n := i + 1
		if strings.TrimSpace(r.Group) == "" && strings.TrimSpace(r.Unit) == "" {
			return fmt.Errorf("identity rule %d: needs a group or a unit to match (a rule for everyone would grant by default)", n)
		}
		if !r.Role.Valid() {
			return fmt.Errorf("identity rule %d: unknown role %q (admin, supervisor, leader, reporter, viewer)", n, r.Role)
		}
		if r.Role == duban.RoleReporter && strings.TrimSpace(r.AsUnit) == "" && strings.TrimSpace(r.Unit) == "" {
			return fmt.Errorf("identity rule %d: a reporter needs a unit: set as_unit, or match on unit", n)
		}
		if r.Role != duban.RoleReporter && r.AsUnit != "" {
			return fmt.Errorf("identity rule %d: as_unit is for reporters only", n)
		}
	}
	return nil
}

// Directory is what the rules are matched against: the organisations, and
// the units and leaders of each.
type Directory struct {
	Orgs   []*duban.Org
	Units  map[int64][]*duban.Unit
	People map[int64][]*duban.Person
}

// Grant is what a rule gives.
type Grant struct {
	// Rule is the index of the rule that matched.
	Rule     int
	OrgID    int64
	Role     duban.Role
	UnitID   *int64
	PersonID *int64
}

// Map returns the grant of the first rule that matches p, and false when none
// does.
func Map(rules []Rule, p Person, d Directory) (Grant, bool) {
	for i, r := range rules {
		if g, ok := r.grant(p, d); ok {
			g.Rule = i
			return g, true
		}
	}
	return Grant{}, false
}

// OrgNames returns the names of the organisations the rules name, "" for the
// top one, once each: the directory needs the units and people of these.
func OrgNames(rules []Rule) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rules {
		name := strings.TrimSpace(r.Org)
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// FindOrg returns the organisation of that name, or the top one for "".
func (d Directory) FindOrg(name string) *duban.Org {
	name = strings.TrimSpace(name)
	for _, o := range d.Orgs {
		if name == "" && o.ParentID == nil || name != "" && o.Name == name {
			return o
		}
	}
	return nil
}

func (r Rule) grant(p Person, d Directory) (Grant, bool) {
	if g := strings.TrimSpace(r.Group); g != "" && !inGroup(p.Groups, g) {
		return Grant{}, false
	}
	org := d.FindOrg(r.Org)
	if org == nil {
		return Grant{}, false
	}
	units := d.Units[org.ID]
	var unitOfPerson *duban.Unit
	switch want := strings.TrimSpace(r.Unit); {
	case want == "":
	case want == "*":
		if unitOfPerson = findUnit(units, p.Unit); unitOfPerson == nil {
			return Grant{}, false
		}
	default:
		if strings.TrimSpace(p.Unit) != want {
			return Grant{}, false
		}
		unitOfPerson = findUnit(units, p.Unit)
	}
	g := Grant{OrgID: org.ID, Role: r.Role}
	switch r.Role {
	case duban.RoleReporter:
		u := unitOfPerson
		if name := strings.TrimSpace(r.AsUnit); name != "" {
			u = findUnit(units, name)
		}
		if u == nil {
			return Grant{}, false
		}
		g.UnitID = &u.ID
	case duban.RoleLeader:
		g.PersonID = findPerson(d.People[org.ID], p.DisplayName)
	}
	return g, true
}

// inGroup reports whether group is among groups, by name or by the first cn
// of a DN, without regard to case.
func inGroup(groups []string, group string) bool {
	for _, g := range groups {
		if strings.EqualFold(strings.TrimSpace(g), group) || strings.EqualFold(FirstCN(g), group) {
			return true
		}
	}
	return false
}

// FirstCN returns the value of the first RDN of a DN when it is a cn
// ("cn=督查室,ou=groups,dc=gov" gives 督查室), else "". Escaped characters
// (\, or \2C) are unescaped.
func FirstCN(dn string) string {
	dn = strings.TrimSpace(dn)
	if len(dn) < 3 || !strings.EqualFold(dn[:3], "cn=") {
		return ""
	}
	var b strings.Builder
	s := dn[3:]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ',' || c == '+':
			return strings.TrimSpace(b.String())
		case c == '\\':
			if i+1 == len(s) {
				// A dangling escape escapes nothing.
				break
			}
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
				i += 2
			} else {
				b.WriteByte(s[i+1])
				i++
			}
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// findUnit returns the single unit named name (or by an alias), nil when none
// or the name is empty.
func findUnit(units []*duban.Unit, name string) *duban.Unit {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	for _, u := range units {
		if u.Kind == duban.UnitGroup {
			continue
		}
		if u.Name == name {
			return u
		}
	}
	for _, u := range units {
		if u.Kind == duban.UnitGroup {
			continue
		}
		for _, a := range u.Aliases {
			if a == name {
				return u
			}
		}
	}
	return nil
}

// findPerson returns the leader named name when exactly one is, else nil.
func findPerson(people []*duban.Person, name string) *int64 {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	var found *int64
	for _, p := range people {
		if p.Name == name {
			if found != nil {
				return nil
			}
			found = &p.ID
		}
	}
	return found
}
