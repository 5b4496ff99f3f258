package importer

import (
	"fmt"
	"slices"
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
	// written are the names the tasks write, in order, with the unit each
	// stands for; inTask are those of the task being resolved.
	written []*UnitName
	byName  map[string]*UnitName
	inTask  map[string]bool
}

func newResolver(st *ledgerState, merges map[string]string) *resolver {
	return &resolver{st: st, merges: merges, newByName: map[string]*duban.Unit{}, aliased: map[string]bool{}, groups: map[string]bool{},
		byName: map[string]*UnitName{}, inTask: map[string]bool{}}
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
		name, how := r.unit(n)
		if !containsString(out, name) {
			out = append(out, name)
		}
		if r.byName[n] == nil {
			w := &UnitName{Name: n, Unit: name, How: how}
			if u := r.st.units[name]; u != nil {
				w.UnitID, w.Group = u.ID, u.Kind == duban.UnitGroup
			} else if u := r.newByName[name]; u != nil {
				w.Group = u.Kind == duban.UnitGroup
			}
			r.byName[n] = w
			r.written = append(r.written, w)
		}
		r.inTask[n] = true
	}
	return out
}

// countTask counts the names of the task just resolved, once each.
func (r *resolver) countTask() {
	for n := range r.inTask {
		r.byName[n].Tasks++
		delete(r.inTask, n)
	}
}

// unit returns the name of the unit a written name stands for, and how that
// was decided (UnitExisting, UnitAlias, UnitMerged, UnitNew).
func (r *resolver) unit(n string) (string, string) {
	if into, ok := r.merges[n]; ok && into != "" && into != n {
		target, _ := r.unit(into)
		if !r.aliased[n] {
			r.aliased[n] = true
			if u := r.st.units[target]; u != nil {
				r.aliases = append(r.aliases, duban.UnitAlias{UnitID: u.ID, Alias: n})
			} else if u := r.newByName[target]; u != nil {
				u.Aliases = append(u.Aliases, n)
			}
		}
		return target, UnitMerged
	}
	if u := r.st.units[n]; u != nil {
		if u.Kind == duban.UnitGroup {
			r.groups[u.Name] = true
		}
		if u.Name != n {
			return u.Name, UnitAlias
		}
		return u.Name, UnitExisting
	}
	if u := r.newByName[n]; u != nil {
		return u.Name, UnitNew
	}
	u := &duban.Unit{Name: n, Kind: duban.UnitSingle, Aliases: []string{}, MemberIDs: []int64{}}
	if isGroupName(n) {
		u.Kind = duban.UnitGroup
		r.groups[n] = true
	}
	r.newUnits = append(r.newUnits, u)
	r.newByName[n] = u
	return n, UnitNew
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
	for _, w := range r.written {
		p.Units = append(p.Units, *w)
	}
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
// another new name, when one is an abbreviation of the other on strong
// evidence (see abbreviation), with the evidence as the reason. A proposal is
// only a suggestion: nothing is merged unless the office confirms it.
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
			ex := existing[k]
			if ex.Kind == duban.UnitGroup {
				continue
			}
			why, ok := abbreviation(u.Name, k)
			if !ok {
				why, ok = abbreviation(k, u.Name)
			}
			if ok {
				out = append(out, ProposedMerge{Name: u.Name, Into: k, UnitID: ex.ID, Reason: why})
				proposed = true
				break
			}
		}
		if proposed {
			continue
		}
		for _, other := range r.newUnits {
			if other == u || other.Kind == duban.UnitGroup {
				continue
			}
			if why, ok := abbreviation(u.Name, other.Name); ok {
				out = append(out, ProposedMerge{Name: u.Name, Into: other.Name, Reason: why})
				break
			}
		}
	}
	return out
}

// The parts of a unit name around its distinctive words: the level it
// belongs to (区, 区委) and the kind of body it is (管委会, 局), with the
// long and short forms of a kind that mean the same.
var (
	unitLevels = []string{"省委", "市委", "县委", "区委", "省政府", "市政府", "县政府", "区政府", "省", "市", "县", "区"}
	unitKinds  = []struct{ written, kind string }{
		{"管理委员会", "管委会"}, {"管委会", "管委会"}, {"委员会", "委"}, {"办公室", "办"}, {"指挥部", "指挥部"},
		{"分局", "分局"}, {"支队", "支队"}, {"中心", "中心"}, {"公司", "公司"}, {"集团", "集团"}, {"街道", "街道"},
		{"局", "局"}, {"委", "委"}, {"办", "办"}, {"部", "部"}, {"院", "院"}, {"会", "会"}, {"所", "所"}, {"站", "站"},
	}
	// genericWords may be left out of a name without changing the unit:
	// 应急管理局 is 应急局, 时代天街商圈管委会 is 时代天街管委会.
	genericWords = []string{"管理", "事务", "工作", "综合", "行政", "商圈", "片区"}
)

// splitUnitName cuts a unit name into its level, its distinctive core and its
// kind (normalised: 委员会 is 委). The core keeps the order of the name;
// connectives (和, 与, 及) are left out of it.
func splitUnitName(name string) (level string, core []rune, kind, kindWritten string) {
	rest := name
	for _, l := range unitLevels {
		if strings.HasPrefix(rest, l) {
			level, rest = l, rest[len(l):]
			break
		}
	}
	for _, k := range unitKinds {
		if strings.HasSuffix(rest, k.written) && len(rest) > len(k.written) {
			kind, kindWritten, rest = k.kind, k.written, rest[:len(rest)-len(k.written)]
			break
		}
	}
	for _, c := range rest {
		if c != '和' && c != '与' && c != '及' {
			core = append(core, c)
		}
	}
	return level, core, kind, kindWritten
}

// abbreviation reports whether short is an abbreviation of long on strong
// evidence, and the evidence in words. Both names must be of the same level
// and kind (区…办, …管委会). The same words with fewer connectives or a
// shorter kind are one unit (县发展改革局, 县发展和改革局). Else the core of long, read as two-character words,
// must give the core of short word by word: each word kept whole, or by its
// first character (区政务服务办 → 区政服办, 数字经济产业园区 → 数字经济产业园), or
// left out when it is a generic word (商圈, 管理) or most words stay. The first
// word always stays. Cores shorter than two words (区委编办, whose 编 stands
// for a word of its own) and of an odd length (not words of two) are never
// abbreviated: 区委办 is not 区委编办.
func abbreviation(short, long string) (string, bool) {
	if len([]rune(short)) >= len([]rune(long)) {
		return "", false
	}
	sl, sc, sk, skw := splitUnitName(short)
	ll, lc, lk, lkw := splitUnitName(long)
	if sl != ll || sk != lk || sk == "" {
		return "", false
	}
	if slices.Equal(sc, lc) && len(sc) >= 2 {
		// The same words, written with fewer connectives or a shorter kind:
		// 县发展改革局, 县发展和改革局.
		var why []string
		if strings.ContainsAny(long, "和与及") && !strings.ContainsAny(short, "和与及") {
			why = append(why, "省略连接词")
		}
		if skw != lkw {
			why = append(why, fmt.Sprintf("“%s”简作“%s”", lkw, skw))
		}
		return fmt.Sprintf("“%s”与“%s”用字相同（%s）", short, long, strings.Join(why, "，")), true
	}
	if len(lc) < 4 || len(lc)%2 != 0 || len(sc) < 2 || len(sc) >= len(lc) {
		return "", false
	}
	var firsts, dropped []string
	kept, i := 0, 0
	for w := 0; w < len(lc); w += 2 {
		word := string(lc[w : w+2])
		switch {
		case i+1 < len(sc) && sc[i] == lc[w] && sc[i+1] == lc[w+1]:
			i += 2
			kept++
		case i < len(sc) && sc[i] == lc[w]:
			i++
			kept++
			firsts = append(firsts, word)
		case w == 0:
			return "", false
		default:
			dropped = append(dropped, word)
		}
	}
	if i != len(sc) {
		return "", false
	}
	words := len(lc) / 2
	for _, d := range dropped {
		if !slices.Contains(genericWords, d) && 2*kept <= words {
			return "", false
		}
	}
	var why []string
	if len(firsts) > 0 {
		why = append(why, "取"+quoteAll(firsts)+"的首字")
	}
	if len(dropped) > 0 {
		why = append(why, "省略"+quoteAll(dropped))
	}
	if skw != lkw {
		why = append(why, fmt.Sprintf("“%s”简作“%s”", lkw, skw))
	}
	return fmt.Sprintf("“%s”是“%s”的简称（%s）", short, long, strings.Join(why, "，")), true
}

func quoteAll(words []string) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString("“" + w + "”")
	}
	return b.String()
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
