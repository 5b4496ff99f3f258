package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	glossaryHeadRE = regexp.MustCompile(`^名\s*词\s*解\s*释\s*[：:]?$`)
	glossaryItemRE = regexp.MustCompile(`^(\d{1,3})\s*[.．、]\s*(.+?)\s*[：:]\s*(.*)$`)
	footnoteRE     = regexp.MustCompile(`^\[\[?(\d{1,4}|\x{FFFD}*)\]\]?\s*(.+)$`)
	// The heading where a report turns from the past year to the plan.
	planHeadRE = regexp.MustCompile(`((?:19|20)\d{2})\s*年|今年|明年|十[四五六七]五|今后五年|未来五年`)
	planWordRE = regexp.MustCompile(`工作安排|计划安排|工作思路|工作任务|主要目标|预期目标|计划草案|重点工作|主要考虑|发展目标|奋斗目标|总体要求`)
	headingRE  = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])`)
)

// block is a Block with the cleaned text of a paragraph (cleanText), worked out
// once: most rules read it, and cleaning takes longer than they do.
type block struct {
	Block
	text string
}

// Interpret applies the rules of the documents to a Doc read from any format.
func Interpret(doc *Doc) (*Extraction, error) { return InterpretWith(doc, Hints{}) }

// InterpretWith is Interpret with an office's hints.
func InterpretWith(doc *Doc, h Hints) (*Extraction, error) {
	x := &Extraction{Source: doc.Source, Kind: KindOther, Tasks: []Task{}, Tables: []IndicatorTable{},
		Targets: []Target{}, Glossary: []GlossaryEntry{}, Warnings: []Warning{}}
	source := flatTables(doc.Blocks, h)
	blocks := make([]block, len(source))
	var paras []block
	var pm pageMeta
	for i, b := range source {
		blocks[i].Block = b
		if b.Table == nil {
			blocks[i].text = foldPunct(cleanText(b.Text))
			if len(blocks[i].text) <= maxFurnitureBytes && furniture(blocks[i].text, &pm) {
				blocks[i].text = ""
				continue
			}
			paras = append(paras, blocks[i])
		}
	}
	paras = append(paras, leadingTableRows(blocks)...)
	m := readMeta(paras, pm)
	x.Title = m.title
	x.DocNumber, x.Issuer, x.Date = optString(m.docNumber), optString(m.issuer), optString(m.date)
	if m.year == 0 {
		m.year = startYear(paras)
	}
	if m.year > 0 {
		x.Year = &m.year
	}

	d := &decomposer{file: doc.Source, year: x.Year, hints: h}
	var lastPara block
	for i, b := range blocks {
		if b.Table == nil {
			if b.text != "" {
				lastPara = b
			}
			continue
		}
		ok, err := d.table(b.Table)
		if err != nil {
			return nil, err
		}
		if ok {
			continue
		}
		title := tableTitle(blocks[:i], lastPara)
		t, warns, err := indicatorTable(doc.Source, b.Table, title, b.Line)
		if err != nil {
			return nil, err
		}
		if t == nil {
			x.Warnings = append(x.Warnings, Warning{Line: b.Line, Message: "无法识别的表格，已跳过"})
			continue
		}
		t.Remarks = tableRemarks(blocks[i+1:])
		x.Tables = append(x.Tables, *t)
		x.Warnings = append(x.Warnings, warns...)
	}
	x.Headers = d.headers
	x.Warnings = append(x.Warnings, d.warnings...)
	taken := map[int]bool{}
	if len(d.tasks) == 0 {
		tasks, warns, took := readItems(paras[bodyStart(paras, m):], x.Year)
		d.tasks, taken = tasks, took
		x.Warnings = append(x.Warnings, warns...)
	}
	x.Tasks = nonNil(d.tasks)
	x.Warnings = append(x.Warnings, resolveUnits(x.Tasks, paras)...)
	x.Kind, x.KindReason = kindOf(m, len(x.Tasks), len(x.Tables), paras)
	x.Glossary = glossary(blocks)
	x.Unread = unread(paras[bodyStart(paras, m):], taken)
	if x.Kind == KindWorkReport || x.Kind == KindPlanReport || x.Kind == KindOther {
		x.Targets = runningTargets(blocks, x.Year)
		if x.Kind == KindOther && len(x.Targets) >= 3 {
			// Targets stated for the coming year without a title to say
			// more: a page of a work report, the commonest of them.
			x.Kind = KindWorkReport
			x.KindReason = fmt.Sprintf("无标题，正文读出 %d 个目标", len(x.Targets))
		}
	}
	x.Warnings = append(x.Warnings, nothingRead(x)...)
	return x, nil
}

// leadingTableRows returns the one-cell rows above a table's header as
// paragraphs: a spreadsheet keeps its title in such rows.
func leadingTableRows(blocks []block) []block {
	var out []block
	for _, b := range blocks {
		if b.Table == nil {
			if b.text != "" {
				return nil
			}
			continue
		}
		for _, r := range b.Table.Rows {
			var texts []string
			for _, c := range r.Cells {
				if t := cleanText(c.Text); t != "" {
					texts = append(texts, t)
				}
			}
			if len(texts) != 1 {
				break
			}
			out = append(out, block{Block: Block{Line: r.Line, Text: texts[0]}, text: cleanText(texts[0])})
		}
		return out
	}
	return out
}

// tableTitle is the paragraph just above a table that names it ("…情况表"),
// skipping "附件1" lines.
func tableTitle(before []block, last block) string {
	for i := len(before) - 1; i >= 0 && i >= len(before)-4; i-- {
		b := before[i]
		if b.Table != nil {
			break
		}
		t := removeSpaces(b.text)
		if t == "" || strings.HasPrefix(t, "附件") || strings.HasPrefix(t, "附表") {
			continue
		}
		return t
	}
	return removeSpaces(last.text)
}

// tableRemarks collects the 备注 / 注 paragraphs right below a table.
func tableRemarks(after []block) []string {
	out := []string{}
	for _, b := range after {
		if b.Table != nil {
			break
		}
		t := b.text
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "备注") && !strings.HasPrefix(t, "注：") && !strings.HasPrefix(t, "注:") {
			break
		}
		out = append(out, t)
	}
	return out
}

// glossary reads the numbered entries under a 名词解释 heading, and footnote
// bodies ("[[3]] text", "[3] text") written at the end of the document.
func glossary(blocks []block) []GlossaryEntry {
	out := []GlossaryEntry{}
	in := false
	notes := 0
	for _, b := range blocks {
		if b.Table != nil {
			in = false
			continue
		}
		raw := strings.TrimSpace(b.Text)
		if m := footnoteRE.FindStringSubmatch(raw); m != nil {
			in = false
			notes++
			n := m[1]
			if _, err := strconv.Atoi(n); err != nil {
				n = strconv.Itoa(notes)
			}
			out = append(out, GlossaryEntry{Term: "[" + n + "]", Definition: cleanText(m[2]), Line: b.Line})
			continue
		}
		t := b.text
		if glossaryHeadRE.MatchString(t) {
			in = true
			continue
		}
		if !in || t == "" {
			continue
		}
		if m := glossaryItemRE.FindStringSubmatch(t); m != nil {
			out = append(out, GlossaryEntry{Term: m[2], Definition: m[3], Line: b.Line})
			continue
		}
		// A line that is not an entry ends the glossary (the 印发 line of the
		// colophon), unless it continues the entry above.
		if strings.Contains(t, "印发") || len(out) == 0 || isDateLine(t) {
			in = false
			continue
		}
		out[len(out)-1].Definition += t
	}
	return out
}

// runningTargets finds the targets stated in the running text of the part of a
// report that plans ahead: from the heading that turns to the plan year or the
// coming years ("三、2021 年工作安排", "二、2022年经济社会发展计划安排", "二、
// “十五五”时期发展的主要考虑") to the end of the main text (the 附件 list, the
// first annex table, the glossary or the footnotes). When no such heading
// exists the whole main text is read, except what follows a heading that
// reviews past years (a page of a report's review plans nothing).
//
// Each target has the year its part plans for: the document's year, the end of
// the span a heading or a lead-in names ("“十五五”时期" is 2030, "今后五年" the
// document's year and four more, "到2030年" 2030), or a year the sentence
// itself names.
func runningTargets(blocks []block, year *int) []Target {
	start, end, review := -1, len(blocks), -1
	for i, b := range blocks {
		t := b.text
		// A heading opens with a Chinese numeral or a bracket: "三、", "（一）".
		if first, _ := utf8.DecodeRuneInString(t); b.Table != nil || !strings.ContainsRune("一二三四五六七八九十（(", first) {
			continue
		}
		t = removeSpaces(t)
		if !headingRE.MatchString(t) || runeLen(t) > 40 {
			continue
		}
		if review < 0 && reviewHeading(t, year) {
			review = i
		}
		if !planWordRE.MatchString(t) {
			continue
		}
		m := planHeadRE.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		if m[1] != "" && year != nil && m[1] != strconv.Itoa(*year) {
			continue
		}
		start = i
		break
	}
	if start < 0 {
		start = 0
		if review >= 0 {
			end = review
		}
	}
	out := []Target{}
	base := 0
	if year != nil {
		base = *year
	}
	top, lead := base, 0 // the year of the current heading, of a lead-in
	for _, b := range blocks[start:end] {
		if b.Table != nil {
			break
		}
		t := b.text
		if glossaryHeadRE.MatchString(t) || footnoteRE.MatchString(strings.TrimSpace(b.Text)) ||
			strings.HasPrefix(t, "附件") || strings.HasPrefix(t, "附表") {
			break
		}
		if t == "" {
			continue
		}
		switch k := readMarker(t).kind; {
		case (k == markHanComma || k == markHanParen) && runeLen(t) <= 60:
			if strings.ContainsRune("一二三四五六七八九十", []rune(t)[0]) || top == base {
				top = base
			}
			if y := spanYear(leadIn(t), base); y > 0 {
				top = y
			}
			lead = 0
		case strings.HasPrefix(t, "——") || strings.HasPrefix(t, "—"):
			// A bullet under a lead-in keeps its year.
		default:
			lead = spanYear(leadIn(t), base)
		}
		y := top
		if lead > 0 {
			y = lead
		}
		var py *int
		if y > 0 {
			py = &y
		}
		out = append(out, FindTargets(t, b.Line, py)...)
	}
	return out
}

// leadIn is the part of a paragraph that introduces it: up to its first colon
// or full stop, or its first 40 characters.
func leadIn(t string) string {
	if len(t) > 240 {
		t = t[:240] // 40 characters and more
	}
	if k := strings.IndexAny(t, "：。"); k >= 0 {
		t = t[:k]
	}
	n := 0
	for i := range t {
		if n == 40 {
			return t[:i]
		}
		n++
	}
	return t
}

var (
	fiveYearRE  = regexp.MustCompile(`十([一二三四五六七八九])五[”"]?(?:时期|期间|末|规划目标|发展的主要目标|的主要目标|主要目标|的奋斗目标)`)
	byYearRE    = regexp.MustCompile(`(?:到|至)((?:20|19)\d{2})年`)
	reviewYearR = regexp.MustCompile(`((?:19|20)\d{2})年`)
)

// spanYear is the last year of a span that a lead-in names: "“十五五”时期" is
// 2030, "今后五年" base+4, "到2030年" 2030; 0 when it names none.
func spanYear(t string, base int) int {
	if !strings.Contains(t, "五") && !strings.Contains(t, "到") && !strings.Contains(t, "至") {
		return 0 // names no span: most paragraphs
	}
	if strings.Contains(t, "今年") || base > 0 && strings.Contains(removeSpaces(t), strconv.Itoa(base)+"年") {
		return 0 // the plan year itself
	}
	if m := fiveYearRE.FindStringSubmatch(t); m != nil {
		// The Nth five-year plan ends in 1955+5N: 十四五 (the 14th) in 2025.
		return 1955 + 5*(10+hanDigit([]rune(m[1])[0]))
	}
	if base > 0 && (strings.Contains(t, "今后五年") || strings.Contains(t, "未来五年")) {
		return base + 4
	}
	if m := byYearRE.FindStringSubmatch(t); m != nil {
		y, _ := strconv.Atoi(m[1])
		if y >= base {
			return y
		}
	}
	return 0
}

// reviewHeading reports whether a heading turns to past years: "一、2022年国民
// 经济和社会发展计划执行情况", "一、过去一年工作回顾".
func reviewHeading(t string, year *int) bool {
	if strings.Contains(t, "回顾") || strings.Contains(t, "执行情况") || strings.Contains(t, "过去") {
		if m := reviewYearR.FindStringSubmatch(t); m != nil && year != nil {
			y, _ := strconv.Atoi(m[1])
			return y < *year
		}
		return true
	}
	return false
}

// bodyStart is the index in paras of the first paragraph after the document's
// title and head.
func bodyStart(paras []block, m meta) int {
	for i, p := range paras {
		if p.Line > max(m.titleLine, m.wrappedLine) {
			return i
		}
	}
	return len(paras)
}

// unread lists the paragraphs no rule took.
func unread(paras []block, taken map[int]bool) []Paragraph {
	var out []Paragraph
	for _, p := range paras {
		if p.text != "" && !taken[p.Line] {
			out = append(out, Paragraph{Line: p.Line, Text: p.text})
		}
	}
	return out
}

var startYearRE = regexp.MustCompile(`(?:从|自)?((?:19|20)\d{2})\s*年(?:起|开始)`)

// startYear is the year a document without a dated title or signature starts
// from, when its text says so ("2012年起5年内"); 0 otherwise.
func startYear(paras []block) int {
	for i, p := range paras {
		if i > 60 {
			break
		}
		if m := startYearRE.FindStringSubmatch(p.text); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y
		}
	}
	return 0
}

// nothingRead warns when a document gave nothing the ledger can use, naming
// what was looked for, so that an empty result is never silent.
func nothingRead(x *Extraction) []Warning {
	if len(x.Tasks) > 0 || len(x.Tables) > 0 || len(x.Targets) > 0 {
		return nil
	}
	if x.Kind == KindDecomposition {
		return []Warning{{Message: "标题像任务分解，却没有读出任务：查找了表头含“任务/工作内容”和“牵头单位/责任单位/责任领导”等列的表格" +
			"（含网页展平的表格：以 | 、制表符或空格分隔单元格，或每格一行），以及带责任单位的编号条目（条目末尾括号“（X牵头，Y配合）”" +
			"“（牵头单位：X；配合单位：Y）”，或条目下“牵头单位：”“责任单位：”等标注行）。可在导入向导中指定表格各列的含义，或把段落标为任务"}}
	}
	return []Warning{{Message: "没有读出任何任务、指标表或目标：查找了任务分解表格与带责任单位的编号条目、含“指标名称”和“目标/完成情况”列的指标表，" +
		"以及报告计划部分（如“今年经济社会发展的主要预期目标是”之后）的目标语句。请确认文件是任务分解、计划报告或政府工作报告的正文"}}
}
