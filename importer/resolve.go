package importer

import (
	"fmt"
	"sort"
	"strings"

	"duban"
	"duban/ingest"
)

// resolver maps the unit and leader names of a document to the ledger's units
// and people, collecting what is new.
type resolver struct {
	st        *ledgerState
	merges    map[string]string
	newUnits  []*duban.Unit
	newByName map[string]*duban.Unit
	aliases   []duban.UnitAlias
	aliased   map[string]bool
	newPeople []string
	groups    map[string]bool
}

func newResolver(st *ledgerState, merges map[string]string) *resolver {
	return &resolver{st: st, merges: merges, newByName: map[string]*duban.Unit{}, aliased: map[string]bool{}, groups: map[string]bool{}}
}

// trailing "等" forms: "区税务局等" is 区税务局 and others; "等相关部门" alone names
// no unit.
var etcSuffixes = []string{"等相关部门", "等相关单位", "等有关部门", "等有关单位", "等部门", "等单位", "等"}

// unitName returns the unit a written name stands for, without "等…".
func unitName(written string) string {
	n := strings.TrimRight(strings.TrimSpace(written), "、，,")
	for _, suf := range etcSuffixes {
		if strings.HasSuffix(n, suf) {
			return strings.TrimSpace(strings.TrimSuffix(n, suf))
		}
	}
	return n
}

// isGroupName reports whether a name is a collective (各街道, 区属各重点国企,
// 区政府各部门, 各相关部门及街道) rather than one unit.
func isGroupName(n string) bool { return strings.Contains(n, "各") }

// units resolves the names of one cell, returning the names the store will
// find: existing units' own names, or new names.
func (r *resolver) units(written []string, line int, warns *[]ingest.Warning) []string {
	out := []string{}
	for _, w := range written {
		n := unitName(w)
		if n == "" {
			*warns = append(*warns, ingest.Warning{Line: line, Message: fmt.Sprintf("“%s”不是单位名称，已忽略", w)})
			continue
		}
		name := r.unit(n)
		if !containsString(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func (r *resolver) unit(n string) string {
	if into, ok := r.merges[n]; ok && into != "" && into != n {
		target := r.unit(into)
		if !r.aliased[n] {
			r.aliased[n] = true
			if u := r.st.units[target]; u != nil {
				r.aliases = append(r.aliases, duban.UnitAlias{UnitID: u.ID, Alias: n})
			} else if u := r.newByName[target]; u != nil {
				u.Aliases = append(u.Aliases, n)
			}
		}
		return target
	}
	if u := r.st.units[n]; u != nil {
		if u.Kind == duban.UnitGroup {
			r.groups[u.Name] = true
		}
		return u.Name
	}
	if u := r.newByName[n]; u != nil {
		return u.Name
	}
	u := &duban.Unit{Name: n, Kind: duban.UnitSingle, Aliases: []string{}, MemberIDs: []int64{}}
	if isGroupName(n) {
		u.Kind = duban.UnitGroup
		r.groups[n] = true
	}
	r.newUnits = append(r.newUnits, u)
	r.newByName[n] = u
	return n
}

func (r *resolver) people(names []string) []string {
	for _, n := range names {
		if r.st.people[n] == nil && !containsString(r.newPeople, n) {
			r.newPeople = append(r.newPeople, n)
		}
	}
	return names
}

// finish fills the preview's unit lists and proposals and the plan's new units,
// people and aliases.
func (r *resolver) finish(p *Preview, plan *duban.ImportPlan) {
	for _, u := range r.newUnits {
		p.NewUnits = append(p.NewUnits, u.Name)
		plan.NewUnits = append(plan.NewUnits, duban.Unit{OrgID: plan.OrgID, Name: u.Name, Kind: u.Kind, Aliases: u.Aliases, MemberIDs: []int64{}})
	}
	plan.Aliases = r.aliases
	for _, n := range r.newPeople {
		p.NewPeople = append(p.NewPeople, n)
		plan.NewPeople = append(plan.NewPeople, duban.Person{OrgID: plan.OrgID, Name: n})
	}
	p.Merges = r.proposals()
	var names []string
	for n := range r.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		g := GroupExpansion{Name: n, Members: []string{}}
		if u := r.st.units[n]; u != nil {
			g.UnitID = u.ID
			for _, id := range u.MemberIDs {
				if m := r.unitByID(id); m != nil {
					g.Members = append(g.Members, m.Name)
				}
			}
		}
		p.Groups = append(p.Groups, g)
	}
}

func (r *resolver) unitByID(id int64) *duban.Unit {
	for _, u := range r.st.units {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// proposals suggests merging each new unit name into an existing unit, or into
// another new name, when one reads as an abbreviation of the other
// (区政服办 → 区政务服务办, 时代天街管委会 → 时代天街商圈管委会).
func (r *resolver) proposals() []ProposedMerge {
	out := []ProposedMerge{}
	existing := map[string]*duban.Unit{}
	for _, u := range r.st.units {
		existing[u.Name] = u
	}
	var known []string
	for n := range existing {
		known = append(known, n)
	}
	sort.Strings(known)
	for _, u := range r.newUnits {
		if u.Kind == duban.UnitGroup {
			continue
		}
		proposed := false
		for _, k := range known {
			if ex := existing[k]; ex.Kind != duban.UnitGroup && abbreviates(u.Name, k) {
				out = append(out, ProposedMerge{Name: u.Name, Into: k, UnitID: ex.ID, Reason: fmt.Sprintf("“%s”像是已有单位“%s”的简称", u.Name, k)})
				proposed = true
				break
			}
		}
		if proposed {
			continue
		}
		for _, other := range r.newUnits {
			if other != u && other.Kind != duban.UnitGroup && abbreviates(u.Name, other.Name) {
				out = append(out, ProposedMerge{Name: u.Name, Into: other.Name, Reason: fmt.Sprintf("“%s”与本文件中的“%s”像是同一单位", u.Name, other.Name)})
				break
			}
		}
	}
	return out
}

// abbreviates reports whether short reads as a shortened form of long: its
// characters appear in long in order, it starts and ends as long does, and it
// keeps at least half of long.
func abbreviates(short, long string) bool {
	s, l := []rune(short), []rune(long)
	if len(s) >= len(l) || len(s) < 2 || 2*len(s) < len(l) || s[0] != l[0] || s[len(s)-1] != l[len(l)-1] {
		return false
	}
	i := 0
	for _, c := range l {
		if i < len(s) && s[i] == c {
			i++
		}
	}
	return i == len(s)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
