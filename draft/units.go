package draft

import (
	"strings"

	"duban/ingest"
)

// The same unit is written several ways across years and documents: with
// spaces, with "等" after it, in full or short (区政务服务办 / 区政服办). A
// suggestion counts them as one.

// adminPrefixes open a unit's name with its level of government.
var adminPrefixes = []string{"省", "市", "区", "县", "州", "盟", "旗", "镇", "乡"}

// etcSuffixes follow a unit that stands for itself and others.
var etcSuffixes = []string{"等相关部门", "等相关单位", "等有关部门", "等有关单位", "等部门", "等单位", "等"}

// unitNames maps the written names of units to the one name used for each.
type unitNames struct {
	to map[string]string
}

// newUnitNames learns the names: given aliases first, then each name that
// is, by the rule of official short forms, a shortening of exactly one longer
// name seen.
func newUnitNames(names []string, aliases map[string]string) *unitNames {
	u := &unitNames{to: map[string]string{}}
	for a, n := range aliases {
		u.to[cleanUnit(a)] = cleanUnit(n)
	}
	seen := map[string]bool{}
	var list []string
	for _, n := range names {
		n = u.resolve(cleanUnit(n))
		if n != "" && !seen[n] {
			seen[n] = true
			list = append(list, n)
		}
	}
	for _, s := range list {
		found := ""
		for _, l := range list {
			if l != s && ingest.Abbreviates(s, l) {
				if found != "" {
					found = ""
					break
				}
				found = l
			}
		}
		if found != "" {
			u.to[s] = found
		}
	}
	return u
}

// resolve follows aliases to the name used.
func (u *unitNames) resolve(n string) string {
	for range 8 { // aliases may chain; a circle stops here
		m, ok := u.to[n]
		if !ok || m == n {
			return n
		}
		n = m
	}
	return n
}

// canonical returns the names used for written names, without repeats.
func (u *unitNames) canonical(names []string) []string {
	out := []string{}
	for _, n := range names {
		c := u.resolve(cleanUnit(n))
		if c == "" {
			continue
		}
		dup := false
		for _, o := range out {
			if o == c {
				dup = true
			}
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// cleanUnit removes white space and a trailing "等…" or list mark.
func cleanUnit(n string) string {
	n = strings.TrimRight(normText(n), "、，,；;。")
	for _, s := range etcSuffixes {
		if strings.HasSuffix(n, s) && len(n) > len(s) {
			return strings.TrimSuffix(n, s)
		}
	}
	return n
}
