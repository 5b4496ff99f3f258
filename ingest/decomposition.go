package ingest

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// column is the role of a decomposition table column.
type column int

const (
	colNone column = iota
	colGroup
	colSeq
	colContent
	colLeaders
	colLead
	colResponsible
	colDeadline
	numColumns // the number of column roles
)

// headerWords name each column role in the headers seen across governments. The
// first word that a header cell contains decides; longer words come first.
var headerWords = []struct {
	word string
	col  column
}{
	{"牵头单位", colLead}, {"牵头部门", colLead}, {"主责单位", colLead}, {"主责部门", colLead},
	{"牵头责任单位", colLead}, {"主要责任单位", colLead}, {"主办单位", colLead},
	{"责任单位", colResponsible}, {"责任部门", colResponsible}, {"配合单位", colResponsible},
	{"协办单位", colResponsible}, {"参与单位", colResponsible}, {"协同单位", colResponsible},
	{"领导", colLeaders},
	{"完成时限", colDeadline}, {"时间节点", colDeadline}, {"完成时间", colDeadline}, {"时限", colDeadline},
	{"时间要求", colDeadline}, {"进度安排", colDeadline}, {"完成期限", colDeadline},
	{"序号", colSeq}, {"编号", colSeq},
	{"任务", colContent}, {"工作内容", colContent}, {"目标", colContent}, {"内容", colContent},
	{"民生实事", colContent}, {"实事", colContent}, {"事项", colContent},
	{"类别", colGroup}, {"分类", colGroup}, {"领域", colGroup}, {"板块", colGroup},
	{"牵头", colLead},
}

func headerColumn(text string) column {
	t := removeSpaces(text)
	for _, w := range headerWords {
		if strings.Contains(t, w.word) {
			return w.col
		}
	}
	return colNone
}

// decompositionHeader returns the grid columns of a decomposition table header
// row, or nil when the row is not one: it must name the task content and at least
// one of the leaders, lead units or responsible units.
func decompositionHeader(row Row, h Hints) []column {
	var cols []column
	var has [numColumns]bool
	for _, c := range row.Cells {
		col := headerColumn(c.Text)
		if len(h.Columns) > 0 {
			if r, ok := h.Columns[removeSpaces(joinLines(cleanText(c.Text)))]; ok && r.Valid() {
				col = roleColumns[r]
			}
		}
		has[col] = true
		for range c.Columns() {
			cols = append(cols, col)
		}
	}
	if !has[colContent] || !(has[colLeaders] || has[colLead] || has[colResponsible]) {
		return nil
	}
	return cols
}

var sectionRE = regexp.MustCompile(`^[一二三四五六七八九十百〇零]+[、．.]`)

// decomposer turns the rows of decomposition tables into tasks.
type decomposer struct {
	file     string
	cols     []column
	section  string
	group    *string
	lastNum  int
	cells    []gridCell // scratch for place, reused from row to row
	tasks    []Task
	warnings []Warning
	year     *int
	hints    Hints
	headers  []TableHeader
	layout   string // of the table being read
	// unsectioned is set once a task before any section has been warned of.
	unsectioned bool
}

// table reads one table. It returns false when the table holds no decomposition
// header, so the caller can try other readings.
func (d *decomposer) table(t *Table) (bool, error) {
	d.layout = t.Layout
	start := -1
	for i, row := range t.Rows {
		if cols := decompositionHeader(row, d.hints); cols != nil {
			d.cols, start = cols, i
			d.headers = append(d.headers, tableHeader(row, cols))
			break
		}
	}
	if start < 0 {
		if d.cols == nil {
			return false, nil
		}
		start = -1 // a table continuing the previous one on a new page
	}
	// Each row holds at most one task.
	d.tasks = slices.Grow(d.tasks, len(t.Rows)-start-1)
	for _, row := range t.Rows[start+1:] {
		if err := d.row(row); err != nil {
			return true, err
		}
	}
	return true, nil
}

// rowEnd is the last line a row's cells take.
func rowEnd(row Row) int {
	end := row.Line
	for _, c := range row.Cells {
		end = max(end, c.Line+strings.Count(c.Text, "\n"))
	}
	return end
}

// tableHeader describes a header row read as cols.
func tableHeader(row Row, cols []column) TableHeader {
	h := TableHeader{Line: row.Line}
	pos := 0
	for _, c := range row.Cells {
		if pos < len(cols) {
			h.Columns = append(h.Columns, HeaderColumn{Header: removeSpaces(joinLines(cleanText(c.Text))), Role: cols[pos].role()})
		}
		pos += c.Columns()
	}
	return h
}

// gridCell is a cell placed on the header's grid.
type gridCell struct {
	col    column
	text   string
	line   int
	merged bool
}

// place aligns a row's cells with the header columns. Rows wider than the header
// carry leading sub-group cells (a merged left column the header does not name);
// narrower rows are aligned on the right, the side that always has every column.
// The result is valid until the next call.
func (d *decomposer) place(row Row) []gridCell {
	out := d.cells[:0]
	width := 0
	for _, c := range row.Cells {
		out = append(out, gridCell{text: foldPunct(cleanText(c.Text)), line: c.Line, merged: c.Merged})
		width += c.Columns()
	}
	d.cells = out
	offset := width - len(d.cols)
	if offset != 0 {
		// Anchor on the numbered task content when there is one: a row that
		// lost a trailing cell still lines up.
		pos := 0
		for k, c := range row.Cells {
			if _, _, ok := taskNumber(out[k].text); ok {
				// The content sits in the last grid column of its header, which
				// may span the sub-group column too.
				if i := lastIndexColumn(d.cols, colContent); i >= 0 {
					offset = pos - i
				}
				break
			}
			pos += c.Columns()
		}
	}
	pos := 0
	for k, c := range row.Cells {
		out[k].col = colGroup
		if i := pos - offset; i >= 0 && i < len(d.cols) {
			out[k].col = d.cols[i]
		}
		pos += c.Columns()
	}
	// A header that spans 任务内容 over the sub-group column too: the first of two
	// content cells is the sub-group.
	for i := 0; i+1 < len(out); i++ {
		if out[i].col == colContent && out[i+1].col == colContent {
			out[i].col = colGroup
		}
	}
	return out
}

func (d *decomposer) row(row Row) error {
	cells := d.place(row)
	// A row whose only text is one heading, perhaps repeated across merged
	// cells: a section (一、…) or a sub-group.
	heading, oneText := "", true
	for _, c := range cells {
		switch {
		case c.text == "":
		case heading == "":
			heading = c.text
		case c.text != heading:
			oneText = false
		}
	}
	if heading == "" {
		return nil
	}
	if oneText {
		text := joinLines(heading)
		if sectionRE.MatchString(text) {
			d.section, d.group, d.lastNum = text, nil, 0
			return nil
		}
		if _, _, numbered := taskNumber(text); !numbered {
			d.group = optString(text)
			return nil
		}
	}
	task := Task{Section: d.section, Line: row.Line, Leaders: []string{}, LeadUnits: []string{},
		ResponsibleUnits: []string{}, Targets: []Target{}, Rule: "table/" + d.layout, EndLine: rowEnd(row)}
	var content, seq string
	var seen [numColumns]bool
	for _, c := range cells {
		seen[c.col] = true
		switch c.col {
		case colGroup:
			if c.text != "" {
				d.group = optString(joinLines(c.text))
			}
		case colSeq:
			seq = c.text
		case colContent:
			content = c.text
			task.Line = c.line
		case colLeaders:
			task.Leaders = splitNames(c.text)
		case colLead:
			task.LeadUnits = splitUnits(c.text)
		case colResponsible:
			task.ResponsibleUnits = splitUnits(c.text)
		case colDeadline:
			task.Deadline = optString(joinLines(c.text))
		}
	}
	if content == "" {
		return &Error{File: d.file, Line: row.Line, Msg: fmt.Sprintf("任务行缺少“任务内容”单元格（该行有 %d 个单元格，表头有 %d 列）", len(row.Cells), len(d.cols))}
	}
	for _, need := range []column{colLeaders, colLead} {
		if !seen[need] && containsColumn(d.cols, need) {
			return &Error{File: d.file, Line: row.Line, Msg: fmt.Sprintf("任务行缺少单元格（该行有 %d 个单元格，表头有 %d 列），无法确定责任领导和牵头单位", len(row.Cells), len(d.cols))}
		}
	}
	if !seen[colResponsible] && containsColumn(d.cols, colResponsible) {
		d.warnings = append(d.warnings, Warning{Line: row.Line, Message: "任务行缺少“责任单位”单元格，按空处理"})
	}
	if !containsColumn(d.cols, colLead) {
		// Only 责任单位 named: the units in it answer for the task.
		task.LeadUnits, task.ResponsibleUnits = task.ResponsibleUnits, []string{}
	}
	task.Subsection = d.group
	task.Content, task.Note = splitNote(content)
	task.Number = d.number(&task, seq, row.Line)
	if len(task.LeadUnits) == 0 && containsColumn(d.cols, colLead) {
		d.warnings = append(d.warnings, Warning{Line: task.Line, Message: fmt.Sprintf("任务 %s%d 的牵头单位为空", sectionNumber(d.section), task.Number)})
	}
	if d.section == "" && !d.unsectioned {
		// Said once: a short table often has no sections at all.
		d.unsectioned = true
		d.warnings = append(d.warnings, Warning{Line: task.Line, Message: "任务出现在任何章节标题之前"})
	}
	task.Targets = nonNil(FindTargets(task.Content, task.Line, d.year))
	d.tasks = append(d.tasks, task)
	return nil
}

// number takes the task number from a 序号 cell or the "1." prefix of the
// content, stripping the prefix; unnumbered tasks follow the previous number.
func (d *decomposer) number(task *Task, seq string, line int) int {
	n := 0
	if s := strings.Trim(seq, " .．、（）()"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	if m, size, ok := taskNumber(task.Content); ok {
		if n == 0 {
			n = m
		}
		task.Content = trimSpace(task.Content[size:])
	}
	if n == 0 {
		n = d.lastNum + 1
		d.warnings = append(d.warnings, Warning{Line: line, Message: fmt.Sprintf("任务没有编号，按顺序编为 %d", n)})
	} else if n != d.lastNum+1 {
		d.warnings = append(d.warnings, Warning{Line: line, Message: fmt.Sprintf("任务编号 %d 不连续（上一项为 %d）", n, d.lastNum)})
	}
	d.lastNum = n
	return n
}

// taskNumber reads the "1." or "（1）" that starts a task's content: one to three
// digits, after "（" or "(" and before "）" or ")", or before one of . ． 、 ， ,.
// It returns the number and the length of the prefix with the ASCII spaces after
// it. ok is false when s starts with no such number, or when a digit follows the
// prefix ("1. 5" is not numbered).
func taskNumber(s string) (n, size int, ok bool) {
	i := 0
	closers := []string{".", "．", "、", "，", ","}
	for _, open := range []string{"（", "("} {
		if strings.HasPrefix(s, open) {
			i, closers = len(open), []string{")", "）"}
			break
		}
	}
	d := i
	for i < len(s) && isDigitByte(s[i]) {
		i++
	}
	if i == d || i-d > 3 {
		return 0, 0, false
	}
	n, _ = strconv.Atoi(s[d:i])
	closed := false
	for _, c := range closers {
		if strings.HasPrefix(s[i:], c) {
			i += len(c)
			closed = true
			break
		}
	}
	if !closed {
		return 0, 0, false
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	if i < len(s) && isDigitByte(s[i]) {
		return 0, 0, false
	}
	return n, i, true
}

func containsColumn(cols []column, c column) bool { return indexColumn(cols, c) >= 0 }

// lastIndexColumn returns the last grid position of column c, or -1.
func lastIndexColumn(cols []column, c column) int {
	for i := len(cols) - 1; i >= 0; i-- {
		if cols[i] == c {
			return i
		}
	}
	return -1
}

// indexColumn returns the first grid position of column c, or -1.
func indexColumn(cols []column, c column) int {
	for i, x := range cols {
		if x == c {
			return i
		}
	}
	return -1
}

func sectionNumber(section string) string {
	if m := sectionRE.FindString(section); m != "" {
		return m
	}
	return ""
}

// splitNote separates a parenthesised remark written on its own line inside the
// task cell, such as a later change of the lead unit, from the task content.
func splitNote(cell string) (string, *string) {
	if !strings.Contains(cell, "\n") {
		return trimSpace(cell), nil // a note needs content on a line above it
	}
	var content, notes []string
	for l := range strings.SplitSeq(cell, "\n") {
		l = trimSpace(l)
		if l == "" {
			continue
		}
		if note, ok := noteLine(l); ok && len(content) > 0 {
			notes = append(notes, trimSpace(note))
			continue
		}
		content = append(content, l)
	}
	if len(notes) == 0 {
		return strings.Join(content, ""), nil
	}
	return strings.Join(content, ""), new(strings.Join(notes, "；"))
}

// noteLine returns what a line wrapped in parentheses, "（…）" or "(…)", holds.
func noteLine(l string) (string, bool) {
	inner, ok := strings.CutPrefix(l, "（")
	if !ok {
		inner, ok = strings.CutPrefix(l, "(")
	}
	if !ok {
		return "", false
	}
	inner, ok = strings.CutSuffix(inner, "）")
	if !ok {
		inner, ok = strings.CutSuffix(inner, ")")
	}
	if !ok || inner == "" {
		return "", false
	}
	return inner, true
}

// splitNames splits a leaders cell into names, one per line or separated by
// 、 or ，, with the alignment spaces removed ("陈  平" is 陈平).
func splitNames(cell string) []string {
	if cell == "" {
		return []string{}
	}
	out := make([]string, 0, 1+strings.Count(cell, "\n")+strings.Count(cell, "、"))
	for f := range strings.FieldsFuncSeq(cell, isNameSep) {
		if f = removeSpaces(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func isNameSep(r rune) bool {
	return r == '\n' || r == '、' || r == '，' || r == ',' || r == '；' || r == ';' || r == '/'
}

// unitSuffixes are endings that never stand alone as a unit: a line holding only
// one continues the unit name wrapped from the line above ("历史文化街区⏎管委会").
var unitSuffixes = map[string]bool{
	"管委会": true, "管理委员会": true, "委员会": true, "委": true, "局": true, "办": true,
	"办公室": true, "公司": true, "有限公司": true, "集团": true, "中心": true, "服务中心": true,
	"分局": true, "支队": true, "大队": true, "街道": true, "街道办事处": true, "办事处": true,
	"部": true, "院": true, "所": true, "站": true, "队": true, "会": true, "处": true,
}

// splitUnits splits a units cell into unit names, as written: on line breaks,
// 、 and ，, rejoining a name that was wrapped across lines.
func splitUnits(cell string) []string {
	if cell == "" {
		return []string{}
	}
	out := make([]string, 0, 1+strings.Count(cell, "\n")+strings.Count(cell, "、"))
	for line := range strings.SplitSeq(cell, "\n") {
		first := true
		for p := range strings.FieldsFuncSeq(trimSpace(line), isUnitSep) {
			p = removeSpaces(p)
			wrapped := first && len(out) > 0 && unitSuffixes[p] && !endsWithSep(out, cell)
			first = false
			switch {
			case p == "":
			case wrapped:
				out[len(out)-1] += p
			default:
				out = append(out, p)
			}
		}
	}
	return out
}

func isUnitSep(r rune) bool {
	return r == '、' || r == '，' || r == ',' || r == '；' || r == ';'
}

// endsWithSep reports whether the unit before a line break was closed by a
// separator, so the next line starts a new unit.
func endsWithSep(out []string, cell string) bool {
	last := out[len(out)-1]
	i := strings.LastIndex(cell, last)
	if i < 0 {
		return false
	}
	rest := strings.TrimLeft(cell[i+len(last):], " \t")
	return strings.HasPrefix(rest, "、") || strings.HasPrefix(rest, "，")
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
