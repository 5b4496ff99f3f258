package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	isoDateRE = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	hanDateRE = regexp.MustCompile(`([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日`)
	// An issuer ends with the kind of body that issues documents.
	issuerRE = regexp.MustCompile(`^[\p{Han}]{2,30}(人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管委会|局)$`)
)

// meta is the head of a document: what it is, who issued it and when.
type meta struct {
	title, issuer, docNumber, date string
	year                           int
	titleLine                      int
	// masthead is the body named by a masthead line ("…人民政府办公室文件").
	masthead string
	// wrapped is the title of the document a notice issues (关于印发《…》的通
	// 知), and wrappedLine the last line of that title where it stands in the
	// text, 0 when it does not.
	wrapped     string
	wrappedLine int
}

// readMeta reads title, 发文字号, issuer and date from the document's paragraphs
// (page furniture already taken out, its disclosure box in pm). The title is
// the run of heading lines before the salutation or the first body paragraph,
// without a masthead ("…人民政府办公室文件"), a 文号 glued before it, or the
// same title repeated (a web page shows its title above the document's own); a
// leading line naming the issuer ("…人民政府办公室" above "关于…的通知") is the
// issuer and part of the title. The date is the first line holding only a date
// (the 成文日期 under the signature), or failing that a date in a subtitle.
// A notice that issues another document (关于印发《…》的通知) records where that
// document's own title stands in the text.
func readMeta(paras []block, pm pageMeta) meta {
	var m meta
	m.docNumber = pm.docNumber
	for _, p := range paras[:min(len(paras), 40)] {
		if m.docNumber != "" {
			break
		}
		if strings.Contains(p.Text, "号") {
			m.docNumber = findDocNumber(removeSpaces(p.Text))
		}
	}
	title, titleLine, titleEnd, mast := findTitle(paras)
	m.titleLine, m.masthead = titleLine, mast
	if len(title) > 4 {
		title = title[:4]
	}
	if len(title) == 0 && pm.title != "" {
		title = []string{removeSpaces(pm.title)}
	}
	if len(title) == 0 {
		title = cutTitle(paras)
	}
	if len(title) > 1 && issuerRE.MatchString(title[0]) && strings.HasPrefix(title[1], "关于") {
		m.issuer = title[0]
	}
	m.title = strings.Join(title, "")
	for _, p := range paras {
		t := p.text
		if isDateLine(t) {
			m.date = isoDate(t)
			break
		}
	}
	if m.date == "" {
		for _, p := range paras[:min(len(paras), 10)] {
			if t := p.text; strings.HasPrefix(t, "—") {
				if d := isoDate(t); d != "" {
					m.date = d
					break
				}
			}
		}
	}
	if m.issuer == "" {
		m.issuer = signature(paras)
	}
	if m.issuer == "" {
		m.issuer = m.masthead
	}
	if m.issuer == "" {
		m.issuer = headIssuer(paras)
	}
	if m.issuer == "" && pm.issuer != "" && issuerRE.MatchString(removeSpaces(pm.issuer)) {
		m.issuer = removeSpaces(pm.issuer)
	}
	if m.date == "" {
		m.date = pm.date
	}
	m.wrapped, m.wrappedLine = wrappedTitle(m.title, paras[max(titleEnd+1, 0):])
	if m.issuer == "" {
		if i := strings.Index(m.title, "人民政府工作报告"); i > 0 {
			name := m.title[:i]
			name = strings.TrimLeft(yearRE.ReplaceAllString(name, ""), "年")
			m.issuer = name + "人民政府"
		}
	}
	m.year = planYear(m.title)
	if y := planYear(m.wrapped); y > m.year {
		m.year = y
	}
	if m.year == 0 && len(m.date) >= 4 {
		m.year, _ = strconv.Atoi(m.date[:4])
	}
	if m.year == 0 && m.docNumber != "" {
		// "常政办发〔2018〕32号": a document is numbered in the year it is
		// issued, which for a decomposition is the year it plans.
		m.year = planYear(m.docNumber)
	}
	return m
}

// findDocNumber returns the first 发文字号 in s, which holds no white space: an
// issuer abbreviation of one to twelve Han characters or Latin letters, the year
// in 〔〕 (or [], ［］, （）), a number of one to four digits and 号, as in
// "渝中府办〔2024〕2号". It returns "" if there is none.
func findDocNumber(s string) string {
	for from := 0; from < len(s); {
		k := strings.Index(s[from:], "号")
		if k < 0 {
			break
		}
		k += from
		if a := docNumberStart(s[:k]); a >= 0 {
			return s[a : k+len("号")]
		}
		from = k + len("号")
	}
	return ""
}

// docNumberStart returns where the 发文字号 that s ends with, just before its 号,
// begins; -1 if s does not end with one. It reads s backwards: the number, the
// closing bracket, the year, the opening bracket and the abbreviation.
func docNumberStart(s string) int {
	i := len(s)
	for i > 0 && isDigitByte(s[i-1]) {
		i--
	}
	if n := len(s) - i; n < 1 || n > 4 {
		return -1
	}
	c, size := utf8.DecodeLastRuneInString(s[:i])
	switch c {
	case '〕', ']', '］', '）', ')':
	default:
		return -1
	}
	i -= size
	if i < 4 || !isYearText(s[i-4:i]) {
		return -1
	}
	i -= 4
	c, size = utf8.DecodeLastRuneInString(s[:i])
	switch c {
	case '〔', '[', '［', '（', '(':
	default:
		return -1
	}
	i -= size
	a := i
	for n := 0; n < 12 && a > 0; n++ {
		c, size := utf8.DecodeLastRuneInString(s[:a])
		if !isLatinLetter(c) && !unicode.Is(unicode.Han, c) {
			break
		}
		a -= size
	}
	if a == i {
		return -1
	}
	return a
}

// isYearText reports whether s is a year from 1900 to 2099 in ASCII digits.
func isYearText(s string) bool {
	return len(s) == 4 && (s[:2] == "19" || s[:2] == "20") && isDigitByte(s[2]) && isDigitByte(s[3])
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// isBodyParagraph reports whether a paragraph is running text rather than a
// heading: a salutation ("各位代表：", "区政府各部门…：") or a sentence.
func isBodyParagraph(t string) bool {
	return strings.HasSuffix(t, "：") || strings.HasSuffix(t, ":") || strings.HasSuffix(t, "！") ||
		strings.Contains(t, "。") || runeLen(t) > 80
}

func isDateLine(t string) bool {
	// A date line is short and ends with 日; most paragraphs are neither.
	if len(t) > 96 || !strings.HasSuffix(strings.TrimRightFunc(t, isSpace), "日") {
		return false
	}
	t = removeSpaces(t)
	if m := isoDateRE.FindStringIndex(t); m != nil && m[0] == 0 && m[1] == len(t) {
		return true
	}
	m := hanDateRE.FindStringIndex(t)
	return m != nil && m[0] == 0 && m[1] == len(t)
}

// isoDate returns the first date in t as YYYY-MM-DD, or "".
func isoDate(t string) string {
	t = removeSpaces(t)
	if m := isoDateRE.FindStringSubmatch(t); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
		}
	}
	if m := hanDateRE.FindStringSubmatch(t); m != nil {
		y := 0
		for _, r := range m[1] {
			y = y*10 + hanDigit(r)
		}
		mo, d := hanNumber(m[2]), hanNumber(m[3])
		if mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
		}
	}
	return ""
}

// hanDigit is the value of one Chinese digit, 0 for anything else.
func hanDigit(r rune) int {
	for i, d := range []rune("〇一二三四五六七八九") {
		if r == d {
			return i
		}
	}
	return 0
}

// hanNumber reads a Chinese numeral up to 99 (十二, 二十五, 三十一).
func hanNumber(s string) int {
	n, cur := 0, 0
	for _, r := range s {
		if r == '十' {
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
			continue
		}
		cur = hanDigit(r)
	}
	return n + cur
}

// signature finds the issuer named in the signature block: the line just above
// the 成文日期.
func signature(paras []block) string {
	for i, p := range paras {
		if i > 0 && isDateLine(p.text) {
			prev := removeSpaces(paras[i-1].text)
			if issuerRE.MatchString(prev) {
				return prev
			}
			return ""
		}
	}
	return ""
}

// headIssuer finds a line naming the issuing body between the title and the
// body text, as reports presented by a department carry it.
func headIssuer(paras []block) string {
	for i, p := range paras {
		t := removeSpaces(p.text)
		if i > 12 || isBodyParagraph(t) {
			break
		}
		if issuerRE.MatchString(t) {
			return t
		}
	}
	return ""
}

// planYear is the year a document plans for: the latest year its title names
// ("2021年计划执行情况及2022年计划草案" plans 2022).
func planYear(title string) int {
	year := 0
	for _, y := range yearRE.FindAllString(title, -1) {
		if n, _ := strconv.Atoi(y); n > year {
			year = n
		}
	}
	return year
}

// kindOf classifies a document by what it holds first, then by its title: a
// notice is classified by the title of the document it issues. Tasks with their
// units make a decomposition whatever the title says; a report without a title
// (a page of a longer one) is told by its words.
func kindOf(m meta, tasks, tables int, paras []block) (Kind, string) {
	name, whose := m.title, "标题"
	if m.wrapped != "" {
		name, whose = m.wrapped, "所印发文件的标题"
	}
	t := removeSpaces(name)
	decomposition := ""
	for _, w := range []string{"分解", "分工", "台账", "工作要点", "任务清单", "责任清单", "民生实事"} {
		if strings.Contains(t, w) {
			decomposition = w
			break
		}
	}
	plan := ""
	for _, w := range []string{"计划执行情况", "计划草案", "国民经济和社会发展计划", "经济社会发展计划"} {
		if strings.Contains(t, w) {
			plan = w
			break
		}
	}
	switch {
	case tasks >= 3:
		return KindDecomposition, fmt.Sprintf("读出 %d 项带责任单位的任务", tasks)
	case decomposition != "":
		return KindDecomposition, fmt.Sprintf("%s含“%s”", whose, decomposition)
	case plan != "":
		return KindPlanReport, fmt.Sprintf("%s含“%s”", whose, plan)
	case strings.Contains(t, "政府工作报告"):
		return KindWorkReport, whose + "含“政府工作报告”"
	case tasks > 0:
		return KindDecomposition, fmt.Sprintf("读出 %d 项任务", tasks)
	case tables > 0:
		return KindPlanReport, fmt.Sprintf("读出 %d 张指标表", tables)
	}
	return contentKind(paras)
}

// contentKind tells a report without a telling title by its words: a work
// report is addressed to the deputies (各位代表) and speaks of 政府工作; a plan
// report speaks of the plan's execution and draft.
func contentKind(paras []block) (Kind, string) {
	work, plan := 0, 0
	for i, p := range paras {
		if i >= 400 {
			break
		}
		t := p.text
		if strings.Contains(t, "各位代表") {
			work += 2
		}
		if strings.Contains(t, "政府工作") {
			work++
		}
		if strings.Contains(t, "计划执行") || strings.Contains(t, "计划草案") || strings.Contains(t, "年度计划") ||
			strings.Contains(t, "预期性指标") || strings.Contains(t, "约束性指标") {
			plan++
		}
	}
	switch {
	case work > 0 && work >= plan:
		return KindWorkReport, "正文称“各位代表”或谈及政府工作"
	case plan > 0:
		return KindPlanReport, "正文谈及计划执行、计划草案或预期性、约束性指标"
	}
	return KindOther, "标题和正文都不像任务分解、计划报告或政府工作报告"
}

// withoutRepeat drops a title shown twice: lines that spell again, from the
// start, what the lines before them said ("X的通知", "X的", "通知").
func withoutRepeat(lines []string) []string {
	for k := 1; k < len(lines); k++ {
		first, rest := titleKey(strings.Join(lines[:k], "")), titleKey(strings.Join(lines[k:], ""))
		if rest == first || strings.HasPrefix(first, rest) && runeLen(rest) >= 8 || strings.HasPrefix(rest, first) && runeLen(first) >= 8 {
			return lines[:k]
		}
	}
	return lines
}

var noticeRE = regexp.MustCompile(`关于(?:印发|转发|下达)(.+?)的通知$`)

// wrappedTitle finds the document a notice issues: the title inside
// "关于印发《…》的通知", and the line where that title stands again above the
// document itself (perhaps wrapped over several lines, perhaps after 附件).
func wrappedTitle(title string, after []block) (string, int) {
	sm := noticeRE.FindStringSubmatch(title)
	if sm == nil {
		return "", 0
	}
	want := titleKey(sm[1])
	if runeLen(want) < 4 {
		return sm[1], 0
	}
	for i := range after {
		acc := ""
		for j := i; j < len(after) && j < i+4; j++ {
			acc += titleKey(after[j].text)
			if acc == want {
				return sm[1], after[j].Line
			}
			if acc == "" || !strings.HasPrefix(want, acc) {
				break
			}
		}
	}
	return sm[1], 0
}

// titleKey is a title without spaces, quotes, book-title marks and a leading
// 附件 mark, for comparing two writings of it.
func titleKey(s string) string {
	s = removeSpaces(s)
	if rest, ok := strings.CutPrefix(s, "附件"); ok {
		rest = strings.TrimLeft(rest, "0123456789：:")
		if rest != "" {
			s = rest
		}
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '《', '》', '〈', '〉', '“', '”', '"', '<', '>':
			return -1
		}
		return r
	}, s)
}

// titleWords name a kind of document: a title holds one, a portal's banner
// does not.
var titleWords = []string{"通知", "报告", "方案", "意见", "计划", "要点", "分解", "分工", "决定", "办法", "规划", "纲要",
	"清单", "台账", "安排", "实事", "目标", "任务"}

func hasTitleWord(s string) bool {
	for _, w := range titleWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// findTitle returns the lines of a document's title (white space removed),
// the line where it starts, its last paragraph's index and the body named by
// a masthead. The title is looked for among the heading lines above the body:
// runs of them, the first run that names a kind of document winning over a
// portal's banner above it; a title shown twice (the page's and the
// document's own, perhaps with its 文号) counts once. A text that starts with
// its body (the head was cut off) takes the first heading line below the
// notice that names a kind of document: the title of the document the notice
// issues.
func findTitle(paras []block) (title []string, line, end int, mast string) {
	var runs [][]int // indexes of paras
	var cur []int
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
	}
	lines := make(map[int]string)
	for i, p := range paras {
		t := p.text
		if i > 30 || isBodyParagraph(t) && !bannerColon(t) || readMarker(t).kind != markNone {
			break
		}
		if body, ok := masthead(t); ok {
			flush()
			if mast == "" {
				mast = body
			}
			continue
		}
		l := removeSpaces(t)
		if dn := findDocNumber(l); dn != "" && strings.HasPrefix(l, dn) && runeLen(l) > runeLen(dn)+4 {
			l = l[len(dn):] // "江政办〔2020〕2号区人民政府办公室关于…": a title with its 文号
		}
		if strings.Contains(l, "|") {
			// "关注两会|2023年济南市政府工作报告（全文）": the part that is a title.
			best := ""
			for part := range strings.SplitSeq(l, "|") {
				if hasTitleWord(part) && runeLen(part) > runeLen(best) {
					best = part
				}
			}
			l = best
		}
		skip := l == "" || bannerColon(t) || strings.Contains(l, "号") && findDocNumber(l) != "" || isDateLine(t) ||
			strings.HasPrefix(t, "——") || strings.HasPrefix(t, "—") || strings.HasPrefix(t, "（") || strings.HasPrefix(t, "附件")
		if skip {
			flush()
			continue
		}
		lines[i] = l
		cur = append(cur, i)
	}
	flush()
	pick := -1
	for k, r := range runs {
		joined := ""
		for _, i := range r {
			joined += lines[i]
		}
		if hasTitleWord(joined) {
			pick = k
			break
		}
	}
	if pick < 0 && len(runs) > 0 {
		pick = 0
	}
	if pick < 0 {
		return nil, 0, -1, mast
	}
	r := runs[pick]
	for _, i := range r {
		title = append(title, lines[i])
	}
	title = withoutRepeat(title)
	return title, paras[r[0]].Line, r[len(r)-1], mast
}

// bannerColon reports whether a short line ending with a colon is a portal's
// banner ("齐鲁大地："), not a salutation ("各位代表：", "区政府各部门、…："),
// which is addressed to someone.
func bannerColon(t string) bool {
	t = removeSpaces(t)
	if !strings.HasSuffix(t, "：") || runeLen(t) > 9 {
		return false
	}
	return !strings.HasPrefix(t, "各") && !strings.HasPrefix(t, "同志") && !strings.ContainsAny(t, "、，")
}

// cutTitle is the title of a text whose head was cut off: the first heading
// line under the notice that names a kind of document.
func cutTitle(paras []block) []string {
	for i, p := range paras {
		if i > 40 {
			break
		}
		t := p.text
		if isBodyParagraph(t) || readMarker(t).kind != markNone || isDateLine(t) || issuerRE.MatchString(removeSpaces(t)) ||
			strings.HasPrefix(t, "（") || runeLen(t) > 80 {
			continue
		}
		if l := removeSpaces(t); hasTitleWord(l) && runeLen(l) >= 8 {
			return []string{l}
		}
	}
	return nil
}
