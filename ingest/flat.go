package ingest

import (
	"strings"
	"unicode/utf8"
)

// Task tables that reached the text flattened: a web page's table copied as
// text gives one row per line with its cells set apart by "|", tabs or spaces,
// or one cell per line. flatTables finds such a table by its header (序号,
// 任务, 牵头单位… as cells of one line, or as lines of their own) and turns
// the lines below it into a Table, which the decomposer then reads like any
// other.

// flatStyle is how the cells of a flattened row are set apart.
type flatStyle int

const (
	flatPipe  flatStyle = iota // a | b | c
	flatTab                    // a⇥b⇥c
	flatSpace                  // a b c
	flatLines                  // one cell per line
)

// flatTables returns blocks with every flattened task table turned into a
// Table block. Blocks that are tables already stay as they are.
func flatTables(blocks []Block, h Hints) []Block {
	var out []Block
	changed := false
	for i := 0; i < len(blocks); {
		b := blocks[i]
		if b.Table == nil && mayBeHeader(b.Text) {
			if t, before, n := flatTableAt(blocks, i, h); t != nil {
				if !changed {
					out = append(make([]Block, 0, len(blocks)), blocks[:i]...)
					changed = true
				}
				if before != "" {
					out = append(out, Block{Line: b.Line, Text: before})
				}
				out = append(out, Block{Line: t.Rows[0].Line, Table: t})
				i += n
				continue
			}
		}
		if changed {
			out = append(out, b)
		}
		i++
	}
	if !changed {
		return blocks
	}
	return out
}

// mayBeHeader is a quick test for a paragraph that may hold a task table's
// header, or its first cell.
func mayBeHeader(s string) bool {
	if len(s) > 160 {
		// A long paragraph is a header only at its end ("…分解表 序号 名称
		// 工作任务 牵头责任单位"), and such a header names 序号.
		tail := s[max(0, len(s)-200):]
		return strings.Contains(tail, "序号") || strings.Contains(tail, "编号")
	}
	return strings.Contains(s, "序号") || strings.Contains(s, "单位") || strings.Contains(s, "部门") ||
		strings.Contains(s, "领导") || strings.Contains(s, "任务") || strings.Contains(s, "编号")
}

// flatHeader is a header found in the text: its cells, their columns and how
// the rows below will be set apart.
type flatHeader struct {
	cells  []string
	cols   []column
	style  flatStyle
	before string // text before a header glued to the end of a paragraph
	lines  int    // paragraphs the header takes
}

// flatTableAt reads a flattened task table whose header starts at blocks[i]. It
// returns the table, any text before the header in its paragraph, and the
// number of blocks the table takes; nil if there is no such table.
func flatTableAt(blocks []Block, i int, h Hints) (*Table, string, int) {
	hd, ok := readFlatHeader(blocks, i, h)
	if !ok {
		return nil, "", 0
	}
	t := &Table{Layout: [...]string{flatPipe: "pipe", flatTab: "tab", flatSpace: "space", flatLines: "lines"}[hd.style]}
	head := Row{Line: blocks[i].Line}
	for _, c := range hd.cells {
		head.Cells = append(head.Cells, Cell{Line: blocks[i].Line, Text: c})
	}
	t.Rows = append(t.Rows, head)
	j := i + hd.lines
	var rows []Row
	switch hd.style {
	case flatPipe, flatTab:
		rows, j = cellRows(blocks, j, hd)
	default:
		rows, j = tokenRows(blocks, j, hd)
	}
	if len(rows) == 0 {
		return nil, "", 0
	}
	t.Rows = append(t.Rows, rows...)
	return t, hd.before, j - i
}

// readFlatHeader finds a header at blocks[i]: the cells of one paragraph
// (split by "|", tabs, or spaces at the paragraph's end), or paragraphs of one
// header word each.
func readFlatHeader(blocks []Block, i int, h Hints) (flatHeader, bool) {
	text := strings.TrimRight(blocks[i].Text, " \t\u3000")
	var hd flatHeader
	switch {
	case strings.Contains(text, "|"):
		hd.style = flatPipe
		hd.cells = splitCells(text, "|")
	case strings.Contains(strings.Trim(text, "\t "), "\t"):
		hd.style = flatTab
		hd.cells = splitCells(text, "\t")
	default:
		fields := strings.Fields(text)
		if len(fields) >= 3 {
			// The header may end a paragraph that runs on from the notice:
			// "…分解表 序号 名称 工作任务 牵头责任单位".
			k := len(fields)
			for k > 0 && headerToken(fields[k-1]) {
				k--
			}
			if len(fields)-k >= 3 {
				hd.style = flatSpace
				hd.cells = fields[k:]
				if k > 0 {
					hd.before = strings.TrimRight(text[:indexOfFields(text, k)], " \t\u3000")
				}
			}
		} else if len(fields) == 1 && headerColumn(fields[0]) != colNone {
			// One header word per paragraph.
			for j := i; j < len(blocks) && j < i+8 && blocks[j].Table == nil; j++ {
				w := removeSpaces(blocks[j].Text)
				if !headerToken(w) {
					break
				}
				hd.cells = append(hd.cells, w)
			}
			hd.style = flatLines
		}
	}
	if len(hd.cells) < 3 {
		return hd, false
	}
	row := Row{}
	for _, c := range hd.cells {
		row.Cells = append(row.Cells, Cell{Text: c})
	}
	hd.cols = decompositionHeader(row, h)
	if hd.cols == nil {
		return hd, false
	}
	// A header is all header words: a row of a table of figures is not.
	known := 0
	for _, c := range hd.cols {
		if c != colNone {
			known++
		}
	}
	if known*3 < len(hd.cols)*2 {
		return hd, false
	}
	hd.lines = 1
	if hd.style == flatLines {
		hd.lines = len(hd.cells)
	}
	return hd, true
}

// indexOfFields returns the byte offset in text where field k (of
// strings.Fields) starts.
func indexOfFields(text string, k int) int {
	n, in := 0, false
	for i, c := range text {
		sp := isSpace(c)
		if !sp && !in {
			if n == k {
				return i
			}
			n++
		}
		in = !sp
	}
	return len(text)
}

// headerToken reports whether a word can be a cell of a task table's header:
// a header word, or a short word of the kind (名称, 备注).
func headerToken(w string) bool {
	w = removeSpaces(w)
	if headerColumn(w) != colNone {
		return runeLen(w) <= 10
	}
	switch w {
	case "名称", "备注", "类别", "项目", "事项", "具体内容":
		return true
	}
	return false
}

// splitCells splits a row of a table written with sep between its cells,
// dropping the empty cell a leading or trailing separator leaves.
func splitCells(s, sep string) []string {
	parts := strings.Split(s, sep)
	if len(parts) > 0 && trimSpace(parts[0]) == "" && sep == "|" {
		parts = parts[1:]
	}
	if len(parts) > 0 && trimSpace(parts[len(parts)-1]) == "" {
		parts = parts[:len(parts)-1]
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = trimSpace(p)
	}
	return out
}

// cellRows reads the rows of a table whose cells are set apart by "|" or
// tabs, one row per paragraph, until a paragraph without the separator.
func cellRows(blocks []Block, j int, hd flatHeader) ([]Row, int) {
	sep := "|"
	if hd.style == flatTab {
		sep = "\t"
	}
	var rows []Row
	for ; j < len(blocks) && blocks[j].Table == nil; j++ {
		b := blocks[j]
		t := trimSpace(b.Text)
		if t == "" {
			continue
		}
		if !strings.Contains(t, sep) {
			if sectionRE.MatchString(t) && runeLen(t) <= 60 {
				rows = append(rows, Row{Line: b.Line, Cells: []Cell{{Line: b.Line, Text: t}}})
				continue
			}
			break
		}
		if markdownRuleRE.MatchString(t) {
			continue
		}
		row := Row{Line: b.Line}
		for _, c := range splitCells(t, sep) {
			row.Cells = append(row.Cells, Cell{Line: b.Line, Text: c})
		}
		rows = append(rows, row)
	}
	return rows, j
}

// flatToken is one piece of a flattened row: a cell, or part of one.
type flatToken struct {
	text    string
	line    int
	newLine bool // the token starts a paragraph of its own
}

// tokenRows reads the rows of a table set apart by spaces or given one cell
// per line. A row starts with its number (a paragraph holding only digits, or
// digits and a space); a section heading (一、…) is a row of its own; the
// paragraphs after the number are the row's cells.
func tokenRows(blocks []Block, j int, hd flatHeader) ([]Row, int) {
	var rows []Row
	var toks []flatToken
	flush := func() {
		if len(toks) > 0 {
			rows = append(rows, assignRow(toks, hd)...)
			toks = nil
		}
	}
	for ; j < len(blocks) && blocks[j].Table == nil; j++ {
		b := blocks[j]
		t := trimSpace(b.Text)
		if t == "" {
			continue
		}
		num, rest := rowNumber(t)
		switch {
		case num != "":
			flush()
			toks = append(toks, flatToken{text: num, line: b.Line, newLine: true})
			if rest != "" {
				toks = append(toks, splitTokens(rest, b.Line, hd.style, false)...)
			}
		case sectionRE.MatchString(t) && runeLen(t) <= 60 && !strings.ContainsAny(t, "。；"):
			flush()
			rows = append(rows, Row{Line: b.Line, Cells: []Cell{{Line: b.Line, Text: t}}})
		case len(toks) > 0 && fitsRow(t, hd):
			toks = append(toks, splitTokens(t, b.Line, hd.style, true)...)
		case len(toks) == 0 && len(rows) == 0:
			// Text between the header and the first row: a group heading.
			if runeLen(t) > 40 {
				return nil, j
			}
			rows = append(rows, Row{Line: b.Line, Cells: []Cell{{Line: b.Line, Text: t}}})
		default:
			flush()
			return rows, j
		}
	}
	flush()
	return rows, j
}

// rowNumber splits "12 地区生产总值…" into "12" and the rest, when a paragraph
// starts with a row number alone.
func rowNumber(t string) (string, string) {
	_, n := digitPrefix(t)
	if n == 0 || n > 3 {
		return "", t
	}
	rest := t[n:]
	if rest == "" {
		return t, ""
	}
	if sp := spacesAt(rest); sp > 0 {
		return t[:n], trimSpace(rest)
	}
	return "", t
}

// fitsRow reports whether a paragraph can be more of a flattened row: a cell
// of a one-cell-per-line table, or the wrapped end of a cell.
func fitsRow(t string, hd flatHeader) bool {
	if strings.HasPrefix(t, "附件") || strings.HasPrefix(t, "分享") {
		return false
	}
	return hd.style == flatLines || runeLen(t) <= 200
}

// splitTokens splits a paragraph of a row into its cells: by runs of spaces
// in a space-separated table, not at all in a one-cell-per-line one.
func splitTokens(t string, line int, style flatStyle, newLine bool) []flatToken {
	if style == flatLines {
		return []flatToken{{text: t, line: line, newLine: newLine}}
	}
	var out []flatToken
	for i, f := range strings.Fields(t) {
		out = append(out, flatToken{text: f, line: line, newLine: newLine && i == 0})
	}
	return out
}

// assignRow deals the tokens of one row to the header's columns: the number,
// then the task's words, then from the end the deadline, the units and the
// leaders, by what each token looks like. A one-cell-per-line row that goes
// on after its deadline with more words holds a second task under the same
// number and units (a merged cell).
func assignRow(toks []flatToken, hd flatHeader) []Row {
	cols := hd.cols
	cells := make([]string, len(cols))
	line := toks[0].line
	k := 0
	if i := indexColumn(cols, colSeq); i >= 0 && k < len(toks) && isNumber(toks[k].text) {
		cells[i] = toks[k].text
		k++
	}
	ci := lastIndexColumn(cols, colContent)
	if ci < 0 || k >= len(toks) {
		return nil
	}
	// The tail: tokens that read as units, leaders or a deadline.
	var tail []flatToken
	end := len(toks)
	var extra []flatToken
	if hd.style == flatLines {
		// After the deadline, a token of words starts a second task.
		for m := k + 1; m < len(toks); m++ {
			if deadlineLike(toks[m].text) && m+1 < len(toks) && !unitListLike(toks[m+1].text) && !deadlineLike(toks[m+1].text) {
				extra = toks[m+1:]
				end = m + 1
				break
			}
		}
	}
	start := end
	for start-1 > k && (unitListLike(toks[start-1].text) || deadlineLike(toks[start-1].text) || namesLike(toks[start-1].text)) {
		start--
	}
	tail = toks[start:end]
	var words []string
	for _, t := range toks[k:start] {
		words = append(words, t.text)
	}
	sep := ""
	if hd.style == flatSpace {
		sep = " "
	}
	cells[ci] = strings.Join(words, sep)
	line = toks[k].line
	// Deadline and leaders first, then the unit columns in order.
	if i := indexColumn(cols, colDeadline); i >= 0 && len(tail) > 0 && deadlineLike(tail[len(tail)-1].text) {
		cells[i] = tail[len(tail)-1].text
		tail = tail[:len(tail)-1]
	}
	if i := indexColumn(cols, colLeaders); i >= 0 && len(tail) > 0 && namesLike(tail[0].text) && !unitListLike(tail[0].text) {
		cells[i] = tail[0].text
		tail = tail[1:]
	}
	var unitCols []int
	for i, c := range cols {
		if c == colLead || c == colResponsible {
			unitCols = append(unitCols, i)
		}
	}
	groups := mergeUnitTokens(tail, len(unitCols))
	for n, g := range groups {
		if n < len(unitCols) {
			cells[unitCols[n]] = g
		}
	}
	row := Row{Line: line}
	for _, c := range cells {
		row.Cells = append(row.Cells, Cell{Line: line, Text: c})
	}
	rows := []Row{row}
	if len(extra) > 0 {
		sub := append([]flatToken{{text: cells[max(indexColumn(cols, colSeq), 0)], line: extra[0].line}}, extra...)
		for _, r := range assignRow(sub, hd) {
			// The sub-task shares the merged cells of its row.
			for i, c := range cols {
				if (c == colLead || c == colResponsible || c == colLeaders) && r.Cells[i].Text == "" {
					r.Cells[i].Text = cells[i]
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// mergeUnitTokens groups unit tokens into n cells. When there are more tokens
// than cells, a one-name token at the end of a line joins the next token (the
// cell was wrapped: "区财政局⏎区税务局"); what is still left over goes to the
// last cell.
func mergeUnitTokens(toks []flatToken, n int) []string {
	groups := make([][]flatToken, 0, len(toks))
	for _, t := range toks {
		groups = append(groups, []flatToken{t})
	}
	for len(groups) > n && n > 0 {
		merged := false
		for i := 0; i+1 < len(groups); i++ {
			a, b := groups[i], groups[i+1]
			if b[0].newLine && singleName(a[len(a)-1].text) && singleName(b[0].text) {
				groups[i] = append(a, b...)
				groups = append(groups[:i+1], groups[i+2:]...)
				merged = true
				break
			}
		}
		if !merged {
			// "县文体广新局⏎县代建中心" under one 责任单位: what is left
			// over belongs to the last cell; the first unit of a cell
			// answers for the task.
			last := groups[n-1]
			for _, g := range groups[n:] {
				last = append(last, g...)
			}
			groups = append(groups[:n-1], last)
		}
	}
	out := make([]string, len(groups))
	for i, g := range groups {
		var parts []string
		for _, t := range g {
			parts = append(parts, strings.TrimRight(t.text, "。.；;"))
		}
		out[i] = strings.Join(parts, "\n")
	}
	return out
}

// isNumber reports whether s is a row number: one to three digits.
func isNumber(s string) bool {
	_, n := digitPrefix(s)
	return n > 0 && n <= 3 && n == len(s)
}

// unitListLike reports whether a token reads as a list of units: every name
// ends as a unit's name ends, or names a collective.
func unitListLike(s string) bool {
	s = strings.TrimRight(trimSpace(s), "。.；;，,、")
	if s == "" || runeLen(s) > 200 {
		return false
	}
	n := 0
	for part := range splitTop(foldPunct(s), "、，,；;") {
		p := removeSpaces(part)
		if p == "" {
			continue
		}
		if !unitLike(p) || startsWithAction(p) || !(unitEnd(p) || strings.HasPrefix(p, "各") || strings.HasSuffix(p, "等")) {
			return false
		}
		n++
	}
	return n > 0
}

// singleName reports whether a token is one unit's name, not a list.
func singleName(s string) bool {
	s = strings.TrimRight(s, "。.；;")
	return unitListLike(s) && !strings.ContainsAny(s, "、，,；;")
}

// namesLike reports whether a token is a list of people's names: two to four
// Han characters each.
func namesLike(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == '，' || r == ',' || r == ' ' })
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		n := utf8.RuneCountInString(p)
		if n < 2 || n > 4 || unitEnd(p) || strings.ContainsAny(p, "0123456789。；") {
			return false
		}
		for _, c := range p {
			if c < '\u4e00' || c > '\u9fff' {
				return false
			}
		}
	}
	return true
}

// deadlineLike reports whether a token reads as a time limit: "12月底前",
// "2024年12月底", "长期坚持", "9月投入使用".
func deadlineLike(s string) bool {
	s = removeSpaces(s)
	if s == "" || runeLen(s) > 20 {
		return false
	}
	switch {
	case strings.Contains(s, "长期"), strings.Contains(s, "持续推进"), strings.HasPrefix(s, "全年"), s == "年内", s == "年底前":
		return true
	}
	return strings.ContainsAny(s, "0123456789") && (strings.Contains(s, "月") || strings.Contains(s, "年") || strings.Contains(s, "季度"))
}

// actionWords open a task's words, never a unit's name: "开工建设老年大学"
// ends as a unit does but is work to do.
var actionWords = []string{"开工", "建设", "建成", "新建", "迁建", "改建", "扩建", "启动", "推进", "加快", "完成", "实施",
	"开展", "改造", "提升", "打造", "推动", "深化", "强化", "加强", "落实", "做好", "全面", "持续", "积极", "争取",
	"确保", "力争", "实现", "组织", "举办", "筹建", "创建", "支持", "引导", "培育", "发展", "优化", "健全", "完善"}

func startsWithAction(s string) bool {
	for _, w := range actionWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}
