package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// A document names a unit in full the first time and shortly after that:
// 市发展和改革委员会 … 发展改革委. resolveUnits writes the short names in full
// where the document itself says what they stand for: a definition
// ("市发展和改革委员会（以下简称市发展改革委）"), or a full name given earlier
// that the short name shortens the way official names are shortened, by
// dropping only the joining and generic characters (和, 员会 of 委员会, 公室 of
// 办公室, 理 of 管理). A short name that drops a character of meaning is
// another unit: 区委办 is not 区委编办.

var definedRE = regexp.MustCompile(`([\p{Han}（）]{3,40})（以下简称[“"]?([\p{Han}]{2,16})[”"]?）`)

// droppable are the characters a short form of an official name may leave out.
const droppable = "和与及员会公室理的"

// adminPrefixes open a unit's name with its level of government.
var adminPrefixes = []string{"省", "市", "区", "县", "州", "盟", "旗", "镇", "乡"}

// resolveUnits rewrites, in tasks, the short unit names the document defines
// or names in full before, and returns a note per name rewritten.
func resolveUnits(tasks []Task, paras []block) []Warning {
	full := map[string]string{} // short → full
	defined := map[string]int{} // short → line of its definition
	for _, p := range paras {
		if !strings.Contains(p.text, "以下简称") {
			continue
		}
		for _, m := range definedRE.FindAllStringSubmatch(p.text, -1) {
			long := unitAtEnd(m[1])
			if long != "" && long != m[2] {
				full[m[2]] = long
				defined[m[2]] = p.Line
			}
		}
	}
	seen := map[rune][]string{} // by the first character after the level of government
	seenSet := map[string]bool{}
	var notes []Warning
	resolve := func(names []string, line int) {
		for i, n := range names {
			if f, ok := full[n]; ok {
				names[i] = f
				continue
			}
			if seenSet[n] {
				continue
			}
			key := firstAfterLevel(n)
			if f := shortened(n, seen[key]); f != "" {
				full[n] = f
				names[i] = f
				notes = append(notes, Warning{Line: line, Message: fmt.Sprintf("“%s”按前文全称记为“%s”", n, f)})
				continue
			}
			seenSet[n] = true
			seen[key] = append(seen[key], n)
		}
	}
	for i := range tasks {
		resolve(tasks[i].LeadUnits, tasks[i].Line)
		resolve(tasks[i].ResponsibleUnits, tasks[i].Line)
	}
	for short, line := range defined {
		notes = append(notes, Warning{Line: line, Message: fmt.Sprintf("“%s”是文中定义的“%s”的简称", short, full[short])})
	}
	return notes
}

// unitAtEnd returns the unit's name that ends s: from the last point where a
// level of government starts it ("由市发展和改革委员会" gives 市发展和改革委员会).
func unitAtEnd(s string) string {
	r := []rune(s)
	for i := range r {
		rest := string(r[i:])
		if unitStart(rest) && unitEnd(rest) {
			return rest
		}
	}
	return ""
}

// shortened returns the one name of seen that short is a shortened form of,
// or "" when there is none or more than one.
func shortened(short string, seen []string) string {
	found := ""
	for _, long := range seen {
		if abbreviationOf(short, long) {
			if found != "" {
				return ""
			}
			found = long
		}
	}
	return found
}

// Abbreviates reports whether short is long written short by the rule of
// official short forms (区发改委 for 区发展和改革委员会, not 区委办 for 区委编办):
// what the reader uses to write a document's short names in full, for other
// packages that match unit names (draft).
func Abbreviates(short, long string) bool { return abbreviationOf(short, long) }

// abbreviationOf reports whether short is long written short: the same level
// of government (or none written), the same first character after it, the
// same kind of body at the end, and only droppable characters left out.
func abbreviationOf(short, long string) bool {
	s, l := short, long
	for _, p := range adminPrefixes {
		if strings.HasPrefix(l, p) {
			l = l[len(p):]
			if strings.HasPrefix(s, p) {
				s = s[len(p):]
			}
			break
		}
	}
	for _, p := range adminPrefixes {
		if strings.HasPrefix(s, p) && !strings.HasPrefix(long, p) {
			return false // 区发改委 is not 市发展和改革委员会
		}
	}
	if len(s) >= len(l) || s == "" {
		return false
	}
	c0, n0 := utf8.DecodeRuneInString(s)
	if c1, _ := utf8.DecodeRuneInString(l); c0 != c1 || len(s) == n0 {
		return false
	}
	// s must be l with droppable characters left out.
	i := 0
	for _, c := range l {
		if i < len(s) {
			if sc, n := utf8.DecodeRuneInString(s[i:]); sc == c {
				i += n
				continue
			}
		}
		if !strings.ContainsRune(droppable, c) {
			return false
		}
	}
	return i == len(s)
}

// firstAfterLevel is the first character of a unit's name after its level of
// government: a short name and its full name share it.
func firstAfterLevel(n string) rune {
	for _, p := range adminPrefixes {
		if rest, ok := strings.CutPrefix(n, p); ok && rest != "" {
			n = rest
			break
		}
	}
	c, _ := utf8.DecodeRuneInString(n)
	return c
}
