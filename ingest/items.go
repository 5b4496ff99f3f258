package ingest

import (
	"fmt"
	"strings"
)

// The tasks of a decomposition written as numbered paragraphs rather than a
// table: each item ends with its responsibility in brackets ("（X牵头，Y、Z按职
// 责分工负责）"), or is followed by labelled lines ("牵头单位：X", "完成时限：…").
// The items that are tasks are found by structure, not by their numbers: in
// each section, the kind of number most items with a responsibility carry
// (1. or （一） or none) marks the tasks; shallower numbers are headings.

// item is one paragraph of the body, read as a possible item.
type item struct {
	line    int
	end     int    // the last line the item takes
	rule    string // how its responsibility was written
	text    string // the paragraph, cleaned and folded
	mark    marker
	content string // without the number and the responsibility
	duty    duty
	hasDuty bool
}

// readItem reads one paragraph (cleaned and folded) as an item: its number,
// its content, and a responsibility written at its end, in brackets or after a
// label ("…增长7%以上 责任单位：区发改局").
func readItem(text string, line int) item {
	it := item{line: line, end: line, text: text, mark: readMarker(text), rule: "item/plain"}
	body := text[it.mark.size:]
	if d, content, ok := inlineDuty(body); ok {
		it.duty, it.hasDuty, body = d, true, content
		it.rule = "item/bracket"
		if !strings.HasSuffix(strings.TrimRight(text, "。；; "), "）") {
			it.rule = "item/inline-labels"
		}
	}
	it.content = trimSpace(body)
	return it
}

// inlineDuty finds the responsibility at the end of an item's text: a
// trailing bracket that parses as a duty, or labels after the content.
func inlineDuty(body string) (duty, string, bool) {
	if inner, before, ok := trailingParen(body); ok {
		if d, ok := parseDuty(inner); ok {
			return d, before, true
		}
	}
	// "（一）地区生产总值增长7%以上 责任单位：区发改局": a label after the
	// content, set apart by a space or a full stop.
	if !strings.Contains(body, "：") || !mayHoldLabel(body) {
		return duty{}, body, false
	}
	for i := 0; i < len(body); {
		k := strings.IndexAny(body[i:], " \t\u3000。；")
		if k < 0 {
			break
		}
		k += i
		rest := strings.TrimLeft(body[k:], " \t\u3000。；")
		if rest == "" {
			break
		}
		if _, _, found := cutLabel(rest); found {
			if d, ok := parseDuty(rest); ok {
				content := body[:k]
				if strings.HasPrefix(body[k:], "。") {
					content += "。"
				}
				return d, content, true
			}
		}
		i = k + 1
		for i < len(body) && body[i]&0xC0 == 0x80 {
			i++
		}
	}
	return duty{}, body, false
}

// labelLine reads a paragraph made only of labelled responsibility:
// "牵头单位：X", "责任领导：张三 完成时限：2024年底".
func labelLine(text string) (duty, bool) {
	if _, _, found := cutLabel(text); !found {
		return duty{}, false
	}
	// Several labels on one line may be set apart by spaces only.
	var d duty
	for _, part := range splitAtLabels(text) {
		e, ok := parseDuty(part)
		if !ok {
			return duty{}, false
		}
		d.merge(e)
	}
	return d, true
}

// splitAtLabels splits a line before every label that follows white space.
func splitAtLabels(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' && !strings.HasPrefix(s[i:], "\u3000") {
			continue
		}
		j := i + spacesAt(s[i:])
		if j > i && j < len(s) {
			if _, _, found := cutLabel(s[j:]); found {
				out = append(out, s[start:i])
				start = j
			}
		}
		i = j - 1
		if i < 0 {
			i = 0
		}
	}
	return append(out, s[start:])
}

// ItemTask reads one paragraph as a task: its number, its content and the
// responsibility written at its end. The wizard uses it for a paragraph the
// office marks as a task that the reader passed over.
func ItemTask(text string, line int, year *int) Task {
	it := readItem(foldPunct(cleanText(text)), line)
	t := it.task("", nil)
	t.Rule = "paragraph"
	if it.mark.kind == markNone {
		t.Number = 0
	}
	t.Targets = nonNil(FindTargets(t.Content, line, year))
	return t
}

// task turns an item into a Task of the given section and sub-group.
func (it *item) task(section string, group *string) Task {
	t := Task{Section: section, Subsection: group, Number: it.mark.n, Content: it.content, Line: it.line,
		Leaders: []string{}, LeadUnits: []string{}, ResponsibleUnits: []string{}, Targets: []Target{},
		Rule: it.rule, EndLine: it.end}
	lead, others := it.duty.units()
	t.LeadUnits, t.ResponsibleUnits = nonNil(lead), nonNil(others)
	t.Leaders = nonNil(dedupeNames(it.duty.leaders))
	t.Deadline = optString(it.duty.deadline)
	return t
}

// readItems reads the paragraphs from the start of the body and returns the
// tasks, with the lines of the paragraphs it took.
func readItems(paras []block, year *int) ([]Task, []Warning, map[int]bool) {
	taken := map[int]bool{}
	if !anyDuty(paras) {
		return nil, nil, taken // a report: no item names who answers for it
	}
	items := make([]item, 0, len(paras))
	for _, p := range paras {
		t := p.text
		if t == "" {
			continue
		}
		if d, ok := labelLine(t); ok && len(items) > 0 {
			last := &items[len(items)-1]
			last.duty.merge(d)
			last.hasDuty = true
			last.rule, last.end = "item/labels", p.Line
			taken[p.Line] = true
			continue
		}
		it := readItem(t, p.Line)
		if it.mark.kind == markNone && len(items) > 0 {
			// A paragraph without a number continues the item above while
			// that item's responsibility is still to come.
			last := &items[len(items)-1]
			if !last.hasDuty && last.mark.kind != markNone && !looksLikeHeading(t) {
				last.content += it.content
				last.end = p.Line
				if it.hasDuty {
					last.duty, last.hasDuty, last.rule = it.duty, true, it.rule
				}
				taken[p.Line] = true
				continue
			}
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil, nil, taken
	}

	// The sections: the shallowest kind of number that is not a task's.
	withDuty := map[markerKind]int{}
	for _, it := range items {
		if it.hasDuty {
			withDuty[it.mark.kind]++
		}
	}
	if len(withDuty) == 0 {
		return nil, nil, taken
	}
	docKind := mostCommon(withDuty)

	var tasks []Task
	var warnings []Warning
	// Split into sections at the shallowest numbering that carries no duty.
	sectionKind := markNone
	for k := markHanComma; k <= markCircled; k++ {
		if k == docKind {
			break
		}
		if hasKind(items, k) {
			sectionKind = k
			break
		}
	}
	type section struct {
		head  *item
		items []item
	}
	var sections []section
	cur := section{}
	for i := range items {
		it := items[i]
		if sectionKind != markNone && it.mark.kind == sectionKind && !it.hasDuty {
			sections = append(sections, cur)
			cur = section{head: &items[i]}
			continue
		}
		cur.items = append(cur.items, it)
	}
	sections = append(sections, cur)
	lastDuty := -1
	firstDuty := -1
	for i, s := range sections {
		for _, it := range s.items {
			if it.hasDuty {
				if firstDuty < 0 {
					firstDuty = i
				}
				lastDuty = i
				break
			}
		}
	}
	for i, s := range sections {
		if i > lastDuty || i < firstDuty && !sameKind(s.items, docKind) {
			continue
		}
		counts := map[markerKind]int{}
		for _, it := range s.items {
			if it.hasDuty {
				counts[it.mark.kind]++
			}
		}
		kind := docKind
		if len(counts) > 0 {
			kind = mostCommon(counts)
		}
		name := ""
		if s.head != nil {
			name = s.head.text
			taken[s.head.line] = true
		}
		var group *string
		last := 0
		for _, it := range s.items {
			switch {
			case it.hasDuty || it.mark.kind == kind && kind != markNone:
				if it.mark.digitAfter && it.mark.n != last+1 {
					continue
				}
				t := it.task(name, group)
				if it.mark.kind == markNone || it.mark.kind != kind {
					t.Number = last + 1
				}
				last = t.Number
				t.Targets = nonNil(FindTargets(t.Content, t.Line, year))
				tasks = append(tasks, t)
				taken[it.line] = true
			case it.mark.kind != markNone && it.mark.kind < kind:
				group = &it.text
				taken[it.line] = true
			}
		}
	}
	if len(tasks) > 0 && len(tasks) < 3 && len(withDuty) == 1 && withDuty[docKind] < 2 {
		// One bracket with names in a whole document is a remark, not a
		// decomposition.
		return nil, []Warning{{Line: tasks[0].Line, Message: fmt.Sprintf("只有 %d 项带责任单位的条目，未按任务分解读取", len(tasks))}}, map[int]bool{}
	}
	return tasks, warnings, taken
}

// looksLikeHeading reports whether a paragraph without a number reads as a
// heading or an annex line rather than more of an item's words.
func looksLikeHeading(t string) bool {
	return strings.HasPrefix(t, "附件") || strings.HasPrefix(t, "附表")
}

func hasKind(items []item, k markerKind) bool {
	for _, it := range items {
		if it.mark.kind == k {
			return true
		}
	}
	return false
}

// mostCommon returns the kind with the highest count, the shallower on a tie.
func mostCommon(counts map[markerKind]int) markerKind {
	best, n := markNone, -1
	for k := markNone; k <= markCircled; k++ {
		if c, ok := counts[k]; ok && c > n {
			best, n = k, c
		}
	}
	return best
}

// sameKind reports whether a section without responsibilities numbers its
// items as the tasks are numbered elsewhere: its items are tasks without units
// ("1.目标。…" before the sections that name units).
func sameKind(items []item, k markerKind) bool {
	return k != markNone && hasKind(items, k)
}

// mayHoldLabel is a quick test for a label of responsibility in a paragraph:
// every label names a unit, a leader or a time.
func mayHoldLabel(s string) bool {
	var prev rune
	for _, c := range s {
		switch c {
		case '位', '门':
			if prev == '单' || prev == '部' {
				return true
			}
		case '导':
			if prev == '领' {
				return true
			}
		case '限', '间':
			if prev == '时' {
				return true
			}
		case '任':
			if prev == '责' {
				return true
			}
		case '头':
			if prev == '牵' {
				return true
			}
		case '体':
			if prev == '主' {
				return true
			}
		case '合':
			if prev == '配' {
				return true
			}
		}
		prev = c
	}
	return false
}

// anyDuty reports whether some paragraph names who answers for an item, in
// brackets, on a labelled line or after a label: without one, a document has
// no tasks written as items.
func anyDuty(paras []block) bool {
	for _, p := range paras {
		if p.text == "" {
			continue
		}
		if _, ok := labelLine(p.text); ok {
			return true
		}
		body := p.text[readMarker(p.text).size:]
		if _, _, ok := inlineDuty(body); ok {
			return true
		}
	}
	return false
}
