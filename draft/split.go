package draft

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"duban/ingest"
)

// A work report reviews the last year, then sets out the coming one: a heading
// such as "三、2021年工作安排" or "二、2024年主要目标任务", the year's main
// expected targets in one sentence ("主要预期目标是：地区生产总值增长6%左右，…"),
// then sections "（一）…。" each with paragraphs that open with a short
// sub-heading ("激发创新注入动力。") and go on with the commitments. A
// decomposition notice keeps that order: its first section lists the targets
// one by one, the others follow the report's sections and sub-headings, one
// task per commitment. Split does the same.

// The sizes of a task, in characters, as decompositions cut them: a sentence
// shorter than minTaskRunes is joined to the next one of its paragraph, and a
// sentence longer than maxTaskRunes is cut at its semicolons.
const (
	minTaskRunes = 36
	maxTaskRunes = 160
)

// targetsSection names the first section, the main expected targets, as
// decompositions name it.
const targetsSection = "主要预期目标"

var (
	topHeadingRE = regexp.MustCompile(`^\s*([一二三四五六七八九十]{1,3})\s*[、．.]\s*`)
	subHeadingRE = regexp.MustCompile(`^\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*`)
	yearRE       = regexp.MustCompile(`(20\d\d|二〇[一二三四五六七八九〇]{2})\s*年`)
)

// planWords mark a heading of the coming year's part; reviewWords one of the
// last year's or of a five-year plan.
var (
	planWords   = []string{"工作安排", "目标任务", "主要任务", "重点工作", "工作部署", "今年工作", "年工作", "主要目标", "预期目标", "总体要求"}
	reviewWords = []string{"回顾", "完成情况", "十三五", "十四五", "十五五", "五年", "远景", "时期"}
)

// endWords open the matter after a report's body: notes and glossaries.
var endWords = []string{"名词解释", "名 词 解 释", "注释", "注 释", "附件", "附：", "附:"}

// Split cuts the coming year's part of a work report into tasks, in the
// order and with the sections a decomposition notice gives them. year is the
// plan year (for the tasks' targets), or nil. Each task's Line is the line of
// the report's paragraph it comes from, and Rule is "draft/target" for a main
// target or "draft/sentence" for a commitment. The warnings say where the
// coming year's part was taken from when the report does not mark it.
// Split never fails: a document without a recognisable plan part is cut whole,
// with a warning.
func Split(doc *ingest.Doc, year *int) ([]ingest.Task, []ingest.Warning) {
	var paras []ingest.Block
	for _, b := range doc.Blocks {
		if b.Table == nil && strings.TrimSpace(b.Text) != "" {
			paras = append(paras, b)
		}
	}
	s := splitter{year: year}
	start, how := planStart(paras, year)
	if how != "" {
		line := 0
		if start < len(paras) {
			line = paras[start].Line
		}
		s.warns = append(s.warns, ingest.Warning{Line: line, Message: how})
	}
	for _, p := range paras[start:] {
		text := strings.TrimSpace(p.Text)
		if hasAnyPrefix(text, endWords) {
			break
		}
		s.paragraph(text, p.Line)
	}
	if len(s.tasks) == 0 {
		s.warns = append(s.warns, ingest.Warning{Line: 0, Message: "报告中没有切分出任何任务"})
	}
	return s.tasks, s.warns
}

// planStart returns the index of the first paragraph of the coming year's
// part, and a note when it had to be guessed.
func planStart(paras []ingest.Block, year *int) (int, string) {
	for i, p := range paras {
		if isPlanHeading(p.Text, year) {
			return i + 1, ""
		}
	}
	for i, p := range paras {
		if isTargetsParagraph(p.Text) {
			return i, fmt.Sprintf("未找到“工作安排”一类的标题，从第%d行的预期目标起切分", p.Line)
		}
	}
	return 0, "未找到今年工作安排部分，整篇按工作安排切分"
}

// isPlanHeading reports whether a paragraph is the heading of the coming
// year's part: numbered or short, naming the plan and not a review. A heading
// that names a year names the plan year.
func isPlanHeading(text string, year *int) bool {
	t := strings.TrimSpace(text)
	numbered := topHeadingRE.MatchString(t)
	if !numbered && (utf8.RuneCountInString(t) > 30 || strings.ContainsAny(t, "，。；")) {
		return false
	}
	if numbered {
		head := topHeadingRE.ReplaceAllString(t, "")
		if i := strings.Index(head, "。"); i >= 0 {
			head = head[:i]
		}
		if utf8.RuneCountInString(head) > 40 {
			return false
		}
		t = head
	}
	if !containsAny(t, planWords) {
		return false
	}
	if m := yearRE.FindStringSubmatch(t); m != nil && year != nil {
		// "2021 年工作安排" names the year itself; "二〇三五年远景目标" another.
		return m[1] == fmt.Sprint(*year)
	}
	return !containsAny(t, reviewWords)
}

// isTargetsParagraph reports whether a paragraph states the year's main
// expected targets.
func isTargetsParagraph(text string) bool {
	return (strings.Contains(text, "预期目标") || strings.Contains(text, "主要目标")) &&
		!containsAny(text, []string{"十四五", "十五五", "五年"}) || strings.Contains(text, "主要预期目标是")
}

type splitter struct {
	year          *int
	tasks         []ingest.Task
	warns         []ingest.Warning
	section       string // as numbered in the draft: "二、…"
	sections      int
	subsection    *string
	number        int
	targetsPassed bool
}

// newSection starts a section of the draft, numbered in order.
func (s *splitter) newSection(title string) {
	s.sections++
	s.section = chineseNumber(s.sections) + "、" + title
	s.subsection = nil
	s.number = 0
}

func (s *splitter) add(content string, line int, rule string) {
	content = strings.TrimSpace(content)
	if content == "" {
		return
	}
	if s.section == "" {
		s.newSection("重点工作")
	}
	s.number++
	s.tasks = append(s.tasks, ingest.Task{
		Section:          s.section,
		Subsection:       s.subsection,
		Number:           s.number,
		Content:          content,
		Leaders:          []string{},
		LeadUnits:        []string{},
		ResponsibleUnits: []string{},
		Targets:          nonNil(ingest.FindTargets(content, line, s.year)),
		Line:             line,
		EndLine:          line,
		Rule:             rule,
	})
}

// paragraph reads one paragraph of the plan part.
func (s *splitter) paragraph(text string, line int) {
	if strings.HasPrefix(text, "各位代表") || containsAny(text, []string{"总体要求是", "指导思想是"}) {
		return // an address to the congress or the year's guidance, not a commitment
	}
	if !s.targetsPassed && isTargetsParagraph(text) {
		s.targetsPassed = true
		if rest, ok := s.targets(text, line); ok {
			s.body(rest, line, false)
			return
		}
	}
	if m := subHeadingRE.FindString(text); m != "" || topHeadingRE.MatchString(text) {
		if m == "" {
			m = topHeadingRE.FindString(text)
		}
		title, rest := firstSentence(text[len(m):])
		s.newSection(strings.TrimRight(title, "。：:；; "))
		// What follows a section's title sums it up; it is a task only when it
		// says more than one thing or holds a figure.
		if len(sentences(rest)) > 1 || len(ingest.FindTargets(rest, line, s.year)) > 0 {
			s.body(rest, line, false)
		}
		return
	}
	s.body(text, line, true)
}

// targets cuts the sentence of main expected targets into one task per
// target, in a section of its own, and returns the rest of the paragraph.
func (s *splitter) targets(text string, line int) (string, bool) {
	i := strings.Index(text, "目标是")
	if i < 0 {
		i = strings.Index(text, "目标")
	}
	if i < 0 {
		return text, false
	}
	list := strings.TrimPrefix(strings.TrimPrefix(text[i:], "目标是"), "目标")
	if j := strings.IndexAny(list, "：:"); j >= 0 && j < 30 {
		_, size := utf8.DecodeRuneInString(list[j:])
		list = list[j+size:]
	}
	end := strings.Index(list, "。")
	rest := ""
	if end >= 0 {
		rest = list[end+len("。"):]
		list = list[:end]
	}
	clauses := splitAny(list, "，；,;")
	var groups []string
	for _, c := range clauses {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if len(ingest.FindTargets(c, line, s.year)) > 0 || len(groups) == 0 {
			groups = append(groups, c)
			continue
		}
		groups[len(groups)-1] += "，" + c
	}
	n := 0
	for _, g := range groups {
		if len(ingest.FindTargets(g, line, s.year)) > 0 {
			n++
		}
	}
	if n < 2 {
		return text, false // not a list of targets after all
	}
	s.newSection(targetsSection)
	for _, g := range groups {
		s.add(g+"。", line, "draft/target")
	}
	s.section = "" // the sections of work follow
	return rest, true
}

// body cuts running text into commitments. When lead is true, a short first
// sentence is the paragraph's sub-heading.
func (s *splitter) body(text string, line int, lead bool) {
	sents := sentences(text)
	if lead && len(sents) > 0 {
		first := strings.TrimSpace(sents[0])
		r := utf8.RuneCountInString(first)
		if r <= 20 && !strings.ContainsAny(strings.TrimRight(first, "。"), "，,；;：:") && (len(sents) > 1 || !strings.HasSuffix(first, "。")) {
			sub := strings.TrimRight(first, "。！!；;：: ")
			s.subsection = &sub
			sents = sents[1:]
		}
	}
	var cur string
	flush := func() {
		if cur != "" {
			s.add(cur, line, "draft/sentence")
			cur = ""
		}
	}
	for _, sent := range sents {
		sent = strings.TrimSpace(sent)
		if sent == "" || isProse(sent) {
			continue
		}
		for _, part := range cutLong(sent) {
			// A sentence stands alone when it is long enough, or when it
			// holds a figure to reach: that is a commitment of its own.
			if n := utf8.RuneCountInString(cur); cur != "" && (n >= minTaskRunes || n >= minTaskRunes/3 && len(ingest.FindTargets(cur, line, s.year)) > 0) {
				flush()
			}
			cur += part
		}
	}
	if cur != "" && utf8.RuneCountInString(cur) < minTaskRunes/2 && len(s.tasks) > 0 && s.tasks[len(s.tasks)-1].Line == line {
		// A short tail belongs to the commitment before it.
		last := &s.tasks[len(s.tasks)-1]
		last.Content += cur
		last.Targets = nonNil(ingest.FindTargets(last.Content, line, s.year))
		return
	}
	flush()
}

// isProse reports whether a sentence introduces or exhorts rather than
// commits: "重点抓好以下工作：", "今年是……之年".
func isProse(s string) bool {
	t := strings.TrimRight(s, "。！!")
	return strings.HasSuffix(t, "：") || strings.HasSuffix(t, ":") ||
		strings.HasPrefix(t, "今年是") || strings.Contains(t, "方面工作") ||
		strings.Contains(t, "以下") && strings.Contains(t, "工作")
}

// cutLong cuts a sentence longer than a task at its semicolons, keeping them.
func cutLong(s string) []string {
	if utf8.RuneCountInString(s) <= maxTaskRunes || !strings.ContainsAny(s, "；;") {
		return []string{s}
	}
	var out []string
	start := 0
	for i, r := range s {
		if r == '；' || r == ';' {
			end := i + utf8.RuneLen(r)
			out = append(out, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	// Pieces too short to stand alone go with the piece before them.
	var merged []string
	for _, p := range out {
		if len(merged) > 0 && utf8.RuneCountInString(merged[len(merged)-1]) < minTaskRunes {
			merged[len(merged)-1] += p
			continue
		}
		merged = append(merged, p)
	}
	return merged
}

// sentences cuts text after each 。！？, keeping the marks; a closing quote or
// bracket right after the mark stays with its sentence.
func sentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	pos := 0 // byte offset of rs[i]
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		size := utf8.RuneLen(r)
		if r == '。' || r == '！' || r == '？' || r == '!' || r == '?' {
			end := pos + size
			for i+1 < len(rs) && strings.ContainsRune("”’」）)", rs[i+1]) {
				i++
				end += utf8.RuneLen(rs[i])
			}
			out = append(out, text[start:end])
			start = end
			pos = end
			continue
		}
		pos += size
	}
	if strings.TrimSpace(text[start:]) != "" {
		out = append(out, text[start:])
	}
	return out
}

// firstSentence returns the text up to its first 。 (kept) and the rest.
func firstSentence(text string) (string, string) {
	if i := strings.Index(text, "。"); i >= 0 {
		return text[:i+len("。")], text[i+len("。"):]
	}
	return text, ""
}

func splitAny(s, seps string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// chineseNumber writes 1…99 as 一…九十九.
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
