package ingest

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// FindTargets returns the quantitative targets stated in one paragraph of running
// text: a sentence of a work report, or the content of a decomposition task. Each
// Target carries line as given, and year as given unless its sentence sets its
// own ("到2025年…", "5年内…": the span's last year); nil if neither. The result
// is never nil, so that it prints as [] in JSON.
//
// A target is a subject, a measure and a figure, as in "地区生产总值增长 6%左右":
//   - Text is the span it came from, with white space removed (a single space is
//     kept between two Latin letters), so "增长 6%左右" and "增长6%左右" give the
//     same Text. The span starts where its clause (or list item after 、) starts,
//     so it keeps words such as 全年 or 力争, and ends after the figure's unit
//     and 左右/以上. Targets split from one 分别 sentence share its whole span.
//   - Subject is the thing measured, with leading filler (全年, 全社会, 力争, 确保,
//     促进, 实现, 完成, 保持, 要, a year such as "2021年", an ordinal such as 一是)
//     and the verb before the figure (增长, 达到, 突破, 稳定在…) removed. A verb
//     that says what is counted stays: "新增发明专利 200 件" has subject 新增发明专利.
//     A verb of decrease stays too, so the direction is not lost: "能耗强度下降3%"
//     has subject 能耗强度下降. Before a count written ahead of its noun, 完成
//     and 实现 stay as well: "完成15个校园建设项目" has subject 完成校园建设项目.
//     A subject neither starts nor ends with a separator (、，；：。): "…工作、"
//     is a list of actions, not a subject. A closing quote or bracket may end
//     it: 创建区级以上文化产业示范园区（基地）.
//   - Measure is share when the subject has 占比 or 比重, rate when it ends in 率,
//     cumulative with 累计, growth for a percentage after 增长, 增速, 提高, 下降,
//     降低, 压减…, count for things and people (个, 家, 件, 项, 名, 万人…), level
//     for other amounts (亿元, 万平方米, 公里, 天) and for percentages that are not
//     a change, and other for what remains.
//   - Op and Value read the figure as ParseExpr does: 左右, 约 → approx; 以上,
//     不低于 → ge; 突破, 超过, 超, 余 → gt; 以内, 不超过, 控制在 → le; 低于 → lt;
//     下降到 → le; 达到 or a bare figure → reach; a range "5%-6%" → ge its
//     lower bound.
//     与经济增长同步 gives sync, 完成市下达任务 gives external, 保持零新增 gives
//     eq 0, 保持全市第一 gives rank 1. The subject of an external target is
//     read from its own list item, after the last 、: "推进节能改造、单位地区生产
//     总值能耗降低完成市下达任务" gives 单位地区生产总值能耗降低, and "积极推进
//     助销巫溪农特产品及消费扶贫工作、完成市下达目标任务" gives no target, as no
//     item says what the city's target measures.
//   - Unit is the unit as written ("%", "亿元", "万平方米", "家"), nil if none;
//     Value is the number as written (2200 for "2200亿元").
//   - Stretch is set when 力争 comes before the figure in its clause, and for the
//     rest of the sentence once 力争 has introduced a target.
//
// "A、B分别增长6%、5%" gives one target per subject when the counts agree, and
// none when they do not; "城乡居民…分别增长6%、7.5%" gives one for 城镇居民… and
// one for 农村居民…. "新增首店品牌50个、国际知名品牌10个" carries the verb
// over: the second subject is 新增国际知名品牌. A list item that is only a verb
// of delivery and a figure delivers more of what the item before it delivered:
// "新开工…等12个老旧小区改造项目、完工100万平方米" gives 完工老旧小区改造项目,
// 100 万平方米. With no such item before it, a verb and a figure are no target:
// "完工100万平方米" alone does not say what is finished. A count written before
// its noun ("建成4家非遗工坊") is a target only after a verb of delivery (新增,
// 建成, 完成, 引进, 打造…); "以20个重大项目为抓手" is not.
//
// Skipped, on purpose: years and time spans ("2021 年", "3年", "24小时"),
// ordinals ("第一"), names and codes ("18号线", "5G", "PM2.5", "5A级"), numbers
// inside quotes or brackets ("“11241”", "“10 分钟便民服务圈”", footnote marks),
// Chinese numerals other than in ranks, figures without a unit unless a word such
// as 达到 or 不低于 says they are a target, and figures whose subject is missing or
// longer than a clause subject can reasonably be.
//
// FindTargets runs in time linear in the length of text and never panics.
func FindTargets(text string, line int, year *int) []Target {
	out := []Target{}
	if !mayHoldTarget(text) {
		return out
	}
	sc := scannerPool.Get().(*targetScanner)
	sc.load(text)
	sc.openQuotedGoals()
	sc.line, sc.year, sc.out = line, nil, out
	if year != nil {
		y := *year
		sc.year = &y
	}
	sc.scan()
	out = sc.out
	sc.text, sc.out, sc.year = "", nil, nil
	if cap(sc.r) <= maxPooledRunes {
		scannerPool.Put(sc)
	}
	return out
}

// maxSubjectRunes bounds a subject: a longer one means the clause holds more than
// a subject, and a wrong subject is worse than none.
const maxSubjectRunes = 32

// maxSegmentRunes bounds the words read before a figure: the subject with its
// fillers, verbs and comparison words.
const maxSegmentRunes = 96

// scannerPool keeps scratch buffers between calls, so that a long document read
// paragraph by paragraph allocates little more than its targets.
var scannerPool = sync.Pool{New: func() any { return new(targetScanner) }}

// maxPooledRunes bounds the buffers kept in scannerPool: one huge paragraph should
// not pin its memory for the life of the process.
const maxPooledRunes = 1 << 16

// mayHoldTarget is a quick test that spares the scan for paragraphs without
// figures: it looks, in one pass, for a digit and for the words of the targets
// that have none (同步, 下达, 零新增, 第一, 前十, 完成年度任务, 高于全省, 水平,
// 保持, 进一步, 增速, 目标范围, Ⅲ类).
func mayHoldTarget(s string) bool {
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9', c >= '０' && c <= '９', c == '零', c == '第', c == '前':
			return true
		case c == '同' && strings.HasPrefix(s[i+len("同"):], "步"), c == '下' && strings.HasPrefix(s[i+len("下"):], "达"):
			return true
		case c >= 'Ⅰ' && c <= 'Ⅻ':
			return true
		case c == '完' && strings.HasPrefix(s[i+len("完"):], "成年度"), c == '于' && strings.HasPrefix(s[i+len("于"):], "全"),
			c == '水' && strings.HasPrefix(s[i+len("水"):], "平"), c == '保' && strings.HasPrefix(s[i+len("保"):], "持"),
			c == '进' && strings.HasPrefix(s[i+len("进"):], "一步"), c == '增' && strings.HasPrefix(s[i+len("增"):], "速"),
			c == '目' && strings.HasPrefix(s[i+len("目"):], "标范围"), c == '前' && strings.HasPrefix(s[i+len("前"):], "列"):
			return true
		}
	}
	return false
}

// targetScanner holds one paragraph, folded (full-width forms as ASCII) and
// without white space, with the byte offset in the original text of each rune.
type targetScanner struct {
	text   string
	r      []rune
	off    []int
	nested []bool // inside quotes or brackets
	out    []Target
	year   *int
	line   int
	// sentStretch is set once 力争 has introduced a target in the sentence.
	sentStretch bool
	// carry is the last target of the clause before, whose verb a clause
	// that opens with a count takes over.
	carry listed
	// sentYear is the year the sentence sets its targets for ("到2025年",
	// "5年内"), 0 when it names none.
	sentYear int
	// rule names the form being read, for Target.Rule.
	rule string
	// sentLast is the index in out of the sentence's last target, -1 if none.
	sentLast int
}

func (sc *targetScanner) load(text string) {
	sc.text = text
	sc.r, sc.off, sc.nested = sc.r[:0], sc.off[:0], sc.nested[:0]
	depth, asciiQuote := 0, false
	space := -1
	for i, c := range text {
		if c >= '\u4e00' && c <= '\u9fff' {
			// A CJK ideograph, as most of the text is: nothing to fold, and
			// neither white space nor a bracket nor a sentence end.
			sc.add(c, i, depth > 0 || asciiQuote)
			space = -1
			continue
		}
		if isSpaceRune(c) {
			if space < 0 {
				space = i
			}
			continue
		}
		f := foldRune(c)
		if space >= 0 {
			if n := len(sc.r); n > 0 && isLatinLetter(sc.r[n-1]) && isLatinLetter(f) {
				sc.add(' ', space, depth > 0 || asciiQuote)
			}
			space = -1
		}
		if isSentenceEnd(f) {
			depth, asciiQuote = 0, false
		}
		if opensNest(f) {
			depth++
		}
		sc.add(f, i, depth > 0 || asciiQuote || f == '"')
		if closesNest(f) && depth > 0 {
			depth--
		}
		if f == '"' {
			asciiQuote = !asciiQuote
		}
	}
}

// openQuotedGoals clears the nesting of a quotation that states targets
// rather than names something: "实现“重点引进和培养高层次人才达到2000名左
// 右，人才贡献率达到40%”的三大人才发展目标". Such a quotation is long, runs
// over clauses and holds a verb of achievement; a name in quotes ("“11241”",
// "“10分钟便民服务圈”") does neither.
func (sc *targetScanner) openQuotedGoals() {
	r := sc.r
	for i := 0; i < len(r); i++ {
		if r[i] != '“' {
			continue
		}
		j := i + 1
		for j < len(r) && r[j] != '”' && r[j] != '“' {
			j++
		}
		if j >= len(r) || r[j] != '”' {
			continue
		}
		inner := r[i+1 : j]
		if len(inner) >= 16 && indexWord(inner, 0, len(inner), "，") >= 0 && goalVerbAt(inner) {
			for k := i + 1; k < j; k++ {
				if r[k] != '（' && r[k] != '(' {
					sc.nested[k] = false
				}
			}
		}
		i = j
	}
}

// goalVerbAt reports whether r holds a verb that states a target.
func goalVerbAt(r []rune) bool {
	for _, w := range []string{"达到", "增长", "突破", "提高到", "超过", "不低于", "控制在"} {
		if indexWord(r, 0, len(r), w) >= 0 {
			return true
		}
	}
	return false
}

// add appends the rune c, found at byte offset off of the text.
func (sc *targetScanner) add(c rune, off int, nested bool) {
	sc.r = append(sc.r, c)
	sc.off = append(sc.off, off)
	sc.nested = append(sc.nested, nested)
}

func opensNest(c rune) bool {
	switch c {
	case '“', '‘', '《', '「', '『', '（', '(', '[', '【', '〔', '〈', '〖':
		return true
	}
	return false
}

func closesNest(c rune) bool {
	switch c {
	case '”', '’', '》', '」', '』', '）', ')', ']', '】', '〕', '〉', '〗':
		return true
	}
	return false
}

func isSentenceEnd(c rune) bool {
	switch c {
	case '。', '；', ';', '！', '!', '？', '?':
		return true
	}
	return false
}

// isSeparator reports whether c separates list items, clauses or sentences.
// Closing brackets and quotes are not separators: they may end a subject, as in
// 创建区级以上文化产业示范园区（基地）.
func isSeparator(c rune) bool {
	switch c {
	case '、', '，', ',', '：', ':':
		return true
	}
	return isSentenceEnd(c)
}

// isClauseEnd reports whether r[i] ends a clause: a comma, a colon or the end of
// a sentence, but not the comma of "1,100".
func isClauseEnd(r []rune, i int) bool {
	switch r[i] {
	case '，', '：', ':':
		return true
	case ',':
		return !(i > 0 && isDigitRune(r[i-1]) && isThousands(r, i))
	}
	return isSentenceEnd(r[i])
}

// scan reads the paragraph clause by clause.
func (sc *targetScanner) scan() {
	r := sc.r
	cs := 0
	sc.sentStretch = false
	sc.carry = listed{}
	sc.sentYear = 0
	sc.sentLast = -1
	for i := 0; i <= len(r); i++ {
		if i < len(r) && (sc.nested[i] || !isClauseEnd(r, i)) {
			continue
		}
		if i > cs {
			if y := sc.clauseYear(cs, i); y > 0 {
				sc.sentYear = y
			}
			sc.clause(cs, i)
		}
		if i < len(r) && isSentenceEnd(r[i]) {
			sc.sentStretch = false
			sc.carry = listed{}
			sc.sentYear = 0
			sc.sentLast = -1
		}
		cs = i + 1
	}
}

// quantity is a figure found in the text: a number, its unit and the words
// around it that say how it is to be read.
type quantity struct {
	start, end int // the figure in r, from its first digit to after 左右/以上
	value      float64
	unit       qtyUnit
	op         Op // from 余/多, a range or a word after the unit; "" if none
	ok         bool
}

// quantity reads the figure whose first digit is r[i]. When ok is false the
// number is not a target (a year, a name, a time span) and end is where to go on.
func (sc *targetScanner) quantity(i, ce int) quantity {
	r := sc.r[:ce]
	v, numEnd, ok := scanNumber(r, i)
	q := quantity{start: i, end: numEnd, value: v}
	if !ok || numEnd == i {
		q.end = max(numEnd, i+1)
		return q
	}
	if i > 0 {
		switch p := r[i-1]; {
		case isLatinLetter(p), p == '第', p == '+', p == '.', p == '/', p == '#', p == '×', p == '*', p == '_':
			return q
		case p == '-' && i > 1 && isDigitRune(r[i-2]):
			return q
		}
	}
	if numEnd < len(r) {
		switch n := r[numEnd]; {
		case isLatinLetter(n), n == '+', n == '.', n == '/', n == '×', n == '*', n == ':', n == '_', n == '#':
			return q
		}
	}
	u := scanUnit(r, numEnd, false)
	q.end = u.end
	if u.kind == unitExcluded {
		if !sc.yearsAllowed(i, u, v) {
			return q
		}
		u.kind = unitAmount
	}
	if u.more {
		q.op = OpGT
	}
	j := u.end
	if j+1 < len(r) && isRangeSep(r[j]) && isDigitRune(r[j+1]) {
		hi, hiEnd, ok := scanNumber(r, j+1)
		if !ok {
			q.end = hiEnd
			return q
		}
		u2 := scanUnit(r, hiEnd, false)
		q.end = u2.end
		if u2.kind == unitExcluded || u2.end < len(r) && isRangeSep(r[u2.end]) {
			return q
		}
		if u.a == u.b {
			u = u2
		}
		q.value, q.op = min(v, hi), OpGE
		j = u2.end
	}
	if sop, sEnd := suffixOp(r, j); sop != "" {
		if q.op != OpGE || sop != OpApprox {
			q.op = sop
		}
		j = sEnd
	}
	q.unit, q.end, q.ok = u, j, true
	return q
}

// levelWords allow a figure in years or of age.
var levelWords = newWords("达到", "提高到", "提高至", "提升到", "提升至", "延长到", "延长至", "达")

// yearsAllowed reports whether "12.6年" or "81岁" is a figure in years
// (受教育年限达到12.6年, 人均预期寿命达到81岁) rather than a date, a time span or
// an age group (3岁以下婴幼儿): only after a word of level.
func (sc *targetScanner) yearsAllowed(i int, u qtyUnit, v float64) bool {
	r := sc.r
	if u.b != u.a+1 || r[u.a] != '年' && r[u.a] != '岁' || v >= 200 {
		return false
	}
	_, n := endWord(r, 0, i, levelWords)
	return n > 0
}

// endsTarget reports whether the figure ending at r[j] closes a target: the clause
// ends, a list goes on (、), a note or footnote mark follows, or "的…目标".
func (sc *targetScanner) endsTarget(j, ce int) bool {
	if j >= ce {
		return true
	}
	switch sc.r[j] {
	case '、', '[', '【', '（', '(', '”':
		return true
	case '的':
		return indexWord(sc.r, j+1, min(ce, j+8), "目标") >= 0
	case '和', '及':
		return sc.digitAhead(j+1, ce)
	}
	return false
}

// digitAhead reports whether a figure follows in r[from:ce] before the next 、.
func (sc *targetScanner) digitAhead(from, ce int) bool {
	for k := from; k < ce; k++ {
		if sc.r[k] == '、' && !sc.nested[k] {
			return false
		}
		if isDigitRune(sc.r[k]) && !sc.nested[k] {
			return true
		}
	}
	return false
}

// listed is the last target of the clause when a list item (after 、) follows it.
type listed struct {
	ok   bool
	idx  int    // in sc.out
	verb string // the delivery verb its subject starts with
	// r[objA:objB] is what the verb delivers: the subject without the verb.
	objA, objB int
	textA      int
	unit       string
	kind       unitKind
}

// clause finds the targets of the clause r[cs:ce].
func (sc *targetScanner) clause(cs, ce int) {
	r := sc.r
	before := len(sc.out)
	seg := cs
	// "选拔培养10名…青年拔尖人才，60名…青年优秀人才": a clause that opens
	// with a count goes on with the verb of the clause before.
	prev := sc.carry
	if len(r[cs:ce]) == 0 || !(isDigitRune(r[cs]) || matchWords(r[:ce], cs, boundWords) > 0) {
		prev = listed{}
	}
	strive := sc.strive(cs, ce)
	var last listed
	for i := cs; i < ce; {
		if !isDigitRune(r[i]) || sc.nested[i] {
			i++
			continue
		}
		q := sc.quantity(i, ce)
		if !q.ok {
			i = max(q.end, i+1)
			continue
		}
		strives := strive >= 0 && strive < q.start
		stretch := sc.sentStretch || strives
		var next listed
		var end int
		closes := sc.endsTarget(q.end, ce)
		if closes {
			next, end = sc.postfix(seg, q, ce, prev, stretch)
		} else {
			next, end = sc.prenoun(seg, q, ce, prev, stretch)
		}
		if next.ok && strives {
			sc.sentStretch = true
		}
		if next.ok {
			last = next
		}
		if closes && end < ce && opensNest(r[end]) {
			// "包含建设项目150个（子项279个）、前期项目91个": step over the note.
			for end < ce && sc.nested[end] {
				end++
			}
		}
		i = max(end, i+1)
		switch {
		case end < ce && (r[end] == '、' || (closes || next.ok) && (r[end] == '和' || r[end] == '及')):
			seg, prev = end+1, next
			i = end + 1
		case closes || next.ok:
			seg, prev = end, listed{}
		}
	}
	if len(sc.out) > before && last.ok && last.verb != "" {
		sc.carry = last
	} else if len(sc.out) > before || cs < ce && !isDigitRune(r[cs]) {
		sc.carry = listed{}
	}
	switch {
	case len(sc.out) == before:
		sc.special(cs, ce)
	case seg > cs && seg < ce && r[seg-1] == '、':
		// "进出口总额增长9%左右、增速高于全国平均水平": the item after the
		// last figure may be a target without one.
		sc.qualitative(seg, ce, sc.out[len(sc.out)-1].Subject)
	}
}

// strive returns the index of 力争 (strive for) in r[a:b], -1 if none. 全力争取
// and 努力争取 do not count: they are 全力 or 努力 followed by 争取 (seek).
func (sc *targetScanner) strive(a, b int) int {
	for k := indexWord(sc.r, a, b, "力争"); k >= 0; k = indexWord(sc.r, k+1, b, "力争") {
		if k == 0 || !strings.ContainsRune("全努尽极", sc.r[k-1]) || !wordAt(sc.r[:b], k+2, "取") {
			return k
		}
	}
	return -1
}

// postfix reads a target whose figure closes it: "地区生产总值增长6%左右". It
// returns the list state for a following item and the index after the target.
func (sc *targetScanner) postfix(seg int, q quantity, ce int, prev listed, stretch bool) (listed, int) {
	r := sc.r
	sc.rule = "figure"
	p := sc.predicate(seg, q.start)
	if p.respectively {
		return sc.respectively(p, q, ce, stretch)
	}
	unit := unitText(r, q.unit)
	subject := ""
	var objA, objB int
	textA := p.textA
	verb := p.verb
	if p.achieved {
		verb = ""
	}
	switch {
	case p.subjA >= p.subjB && !prev.ok && p.growth && unit == "%" && sc.sentLast >= 0 && sc.sentLast < len(sc.out):
		// "完成投资1000亿元以上，增长20%左右": a growth with no subject of
		// its own is the growth of what the sentence measured before it.
		last := sc.out[sc.sentLast]
		if last.Unit != nil && *last.Unit == "%" {
			return listed{}, q.end
		}
		subject = last.Subject
	case p.subjA >= p.subjB:
		// "改造提升老旧小区6个、46万平方米": the item measures the same subject.
		if !prev.ok || prev.unit == unit {
			return listed{}, q.end
		}
		subject, textA, verb = sc.out[prev.idx].Subject, prev.textA, prev.verb
		objA, objB = prev.objA, prev.objB
	case prev.ok && prev.objA < prev.objB && verb != "" && p.verbA == p.subjA && p.subjB-p.subjA == utf8.RuneCountInString(verb):
		// "新开工…12个老旧小区改造项目、完工100万平方米": a verb alone delivers
		// more of what the item before delivered.
		objA, objB = prev.objA, prev.objB
		if p.subjB-p.subjA+objB-objA > maxSubjectRunes {
			return listed{}, q.end
		}
		subject = verb + string(r[objA:objB])
	case !sc.validSubject(p.subjA, p.subjB):
		return listed{}, q.end
	case prev.ok && prev.verb != "" && p.bare && verb == "" && q.unit.kind == unitCount && prev.kind == unitCount &&
		!startsWithVerb(r, p.subjA):
		// "新增首店品牌50个、国际知名品牌10个": 新增 counts both.
		subject, verb = prev.verb+string(r[p.subjA:p.subjB]), prev.verb
		objA, objB = p.subjA, p.subjB
	default:
		subject = string(r[p.subjA:p.subjB])
		if k := p.verbA + utf8.RuneCountInString(verb); verb != "" && k < p.subjB {
			objA, objB = k, p.subjB
		}
	}
	if q.unit.kind == unitNone && p.op == "" && !p.level && !p.growth {
		return listed{}, q.end
	}
	op := q.op
	if op == "" {
		op = p.op
	}
	if op == "" {
		op = OpReach
	}
	idx := sc.emit(textA, q.end, subject, measureOf(subject, p, q.unit.kind), op, &q.value, unit, stretch)
	return listed{ok: true, idx: idx, verb: verb, objA: objA, objB: objB, textA: textA, unit: unit, kind: q.unit.kind}, q.end
}

// respectively reads "A、B、C分别增长10%、20%、30%以上": one target per subject,
// paired in order, or none when the counts differ.
func (sc *targetScanner) respectively(p predicate, q quantity, ce int, stretch bool) (listed, int) {
	r := sc.r
	sc.rule = "respectively"
	var parts [8][2]int
	n, a := 0, p.subjA
	sep := func(c rune) bool { return c == '、' }
	if indexWord(r, p.subjA, p.subjB, "、") < 0 {
		sep = func(c rune) bool { return c == '和' || c == '及' || c == '与' }
	}
	for k := p.subjA; k <= p.subjB && n < len(parts); k++ {
		if k == p.subjB || sep(r[k]) && !sc.nested[k] {
			parts[n] = [2]int{a, k}
			n++
			a = k + 1
		}
	}
	var qs [8]quantity
	qs[0] = q
	m, end := 1, q.end
	for m < len(qs) && end+1 < ce && (r[end] == '、' || r[end] == '和' || r[end] == '及' || r[end] == ',') &&
		isDigitRune(r[end+1]) && !sc.nested[end+1] {
		q2 := sc.quantity(end+1, ce)
		if !q2.ok {
			break
		}
		qs[m] = q2
		m++
		end = q2.end
	}
	var subjects [8]string
	switch {
	case n == 1 && m == 2 && indexWord(r, parts[0][0], parts[0][1], "城乡") >= 0:
		// "城乡居民人均可支配收入分别增长6%、7.5%": 城乡 is 城镇 and 农村.
		if !sc.validSubject(parts[0][0], parts[0][1]) {
			return listed{}, end
		}
		whole := string(r[parts[0][0]:parts[0][1]])
		subjects[0] = strings.Replace(whole, "城乡", "城镇", 1)
		subjects[1] = strings.Replace(whole, "城乡", "农村", 1)
		n = 2
	case m != n || n < 2:
		return listed{}, end
	default:
		for k := 0; k < n; k++ {
			if !sc.validSubject(parts[k][0], parts[k][1]) && !(k < n-1 && parts[k][1]-parts[k][0] >= 1) {
				return listed{}, end
			}
			subjects[k] = string(r[parts[k][0]:parts[k][1]])
		}
		shareTail(subjects[:n])
	}
	last := qs[m-1].unit
	// "分别增长6%、7.5%左右": 左右 after the last figure binds them all (以上
	// binds only its own: "分别增长10%、30%以上" does not promise 10% or more).
	lastOp := qs[m-1].op
	for k := 0; k < n; k++ {
		u := qs[k].unit
		if u.kind == unitNone {
			u = last
		}
		op := qs[k].op
		if op == "" && lastOp == OpApprox {
			op = lastOp
		}
		if op == "" {
			op = p.op
		}
		if op == "" {
			op = OpReach
		}
		sc.emit(p.textA, end, subjects[k], measureOf(subjects[k], p, u.kind), op, &qs[k].value, unitText(r, u), stretch)
	}
	return listed{}, end
}

// prenoun reads a count written before its noun: "建成4家非遗工坊", "新增5个社区
// 老年食堂". It is a target only after a verb of delivery.
func (sc *targetScanner) prenoun(seg int, q quantity, ce int, prev listed, stretch bool) (listed, int) {
	r := sc.r
	sc.rule = "count"
	nounEnd := q.end
	for nounEnd < ce && !(r[nounEnd] == '、' && !sc.nested[nounEnd]) && r[nounEnd] != '[' && r[nounEnd] != '【' {
		if (r[nounEnd] == '和' || r[nounEnd] == '及') && nounEnd+1 < ce && isDigitRune(r[nounEnd+1]) && !sc.nested[nounEnd+1] {
			break // "30名金融高级管理人才和50名…": the next count of the list
		}
		if isDigitRune(r[nounEnd]) && !sc.nested[nounEnd] {
			return listed{}, q.end
		}
		nounEnd++
	}
	// "1万名左右具有博士、硕士学位的企业紧缺人才": a 、 inside the noun, when
	// no count follows it, belongs to the noun.
	for nounEnd < ce && r[nounEnd] == '、' && !sc.digitAhead(nounEnd+1, ce) && nounEnd-q.end < maxSubjectRunes {
		k := nounEnd + 1
		for k < ce && !(r[k] == '、' && !sc.nested[k]) {
			k++
		}
		if k-q.end > maxSubjectRunes {
			break
		}
		nounEnd = k
	}
	noun := r[q.end:nounEnd]
	if len(noun) == 0 || len(noun) > maxSubjectRunes || q.unit.kind != unitCount && q.unit.kind != unitAmount {
		return listed{}, q.end
	}
	if indexWord(noun, 0, len(noun), "为") >= 0 || endsWithWord(noun, nounVerbs) {
		return listed{}, q.end
	}
	p := sc.predicate(seg, q.start)
	var subject, verb string
	textA := p.textA
	switch {
	case prev.ok && prev.verb != "" && (seg == q.start || matchWords(r[:q.start], seg, boundWords) == q.start-seg):
		verb = prev.verb
		subject = verb + string(noun)
		if op, n := endOpWord(r, seg, q.start); n > 0 && p.op == "" {
			p.op = op
		}
	case p.verb != "":
		verb = p.verb
		// "建成区妇女儿童中心和2个儿童之家": the count is of the last item only.
		between := r[p.verbA+utf8.RuneCountInString(verb) : q.start]
		if k := len(between) - 1; k >= 0 && (between[k] == '和' || between[k] == '及' || between[k] == '、') {
			subject = verb + string(noun)
		} else {
			subject = string(r[p.verbA:q.start]) + string(noun)
		}
	default:
		// "城区再新建1个农贸市场", "抓好1万名乡村医生线下培训", "重点培养
		// 不少于10名…": a verb of delivery right before the count (or before
		// the word that bounds it), after words that set the scene.
		b := q.start
		if op, n := endOpWord(r, seg, b); n > 0 {
			b -= n
			if p.op == "" {
				p.op = op
			}
		}
		w, n := endWord(r, seg, b, countVerbs)
		if n == 0 {
			return listed{}, q.end
		}
		verb = w
		subject = w + string(noun)
	}
	if utf8.RuneCountInString(subject) > maxSubjectRunes {
		return listed{}, nounEnd
	}
	op := q.op
	if op == "" {
		op = p.op
	}
	if op == "" {
		op = OpReach
	}
	unit := unitText(r, q.unit)
	idx := sc.emit(textA, nounEnd, subject, measureOf(subject, predicate{}, q.unit.kind), op, &q.value, unit, stretch)
	return listed{ok: true, idx: idx, verb: verb, objA: q.end, objB: nounEnd, textA: textA, unit: unit, kind: q.unit.kind}, nounEnd
}

// boundWords bound a count written after them: 不少于10名.
var boundWords = newWords("不少于", "不低于", "不超过", "超过", "达到", "约")

// countVerbs deliver a count written right after them: "新建1个农贸市场",
// "建设5个左右概念验证中心", "推进100余万平方米标准厂房建设".
var countVerbs = newWords("新组建", "新建", "建成", "建设", "组建", "打造", "培育", "创建", "引进", "实施", "举办", "推进",
	"抓好", "开工", "启动", "建立", "布局", "认定", "培训", "新增", "完成", "改造", "提供", "开通", "落实", "办好", "推出",
	"培养", "选拔", "资助", "扶持", "支持", "评选", "遴选", "选派", "筹建", "发动", "服务", "转化", "创办", "吸引",
	"集聚", "聘请", "招收", "招录", "帮扶", "奖励", "表彰", "评定", "设立", "新设", "开展", "培训", "引育", "招引")

// nounVerbs end a phrase that merely mentions a count ("5个重点项目落户",
// "16个重点创新平台建设"): the count is what is worked on, not what is promised.
var nounVerbs = newWords("落户", "落地", "需求", "推进", "融合", "发展")

// special reads the targets of a clause without figures: 与…同步, 市下达任务,
// 零新增 and ranks.
func (sc *targetScanner) special(cs, ce int) {
	r := sc.r
	// One look at the clause for the characters each form needs: most
	// clauses of a report have none of them.
	var has struct{ sync, issued, done, rangeOf, roman, zero, rank, qual bool }
	for _, c := range r[cs:ce] {
		switch {
		case c == '步': // 同步, 进一步
			has.sync, has.qual = true, true
		case c == '达':
			has.issued, has.qual = true, true
		case c == '完':
			has.done = true
		case c == '范':
			has.rangeOf = true
		case c >= 'Ⅰ' && c <= 'Ⅻ':
			has.roman = true
		case c == '零':
			has.zero = true
		case c == '第' || c == '前':
			has.rank, has.qual = true, true
		case c == '于' || c == '持' || c == '入' || c == '居' || c == '在':
			has.qual = true
		}
	}
	if !(has.sync || has.issued || has.done || has.rangeOf || has.roman || has.zero || has.rank || has.qual) {
		return
	}
	if k := indexWord(r, cs, ce, "同步"); has.sync && k > cs {
		sc.sync(cs, ce, k)
		return
	}
	if !has.issued {
	} else if k := indexWord(r, cs, ce, "下达"); k > cs {
		sc.external(cs, ce, k)
		return
	}
	if !has.done {
	} else if k := lastIndexWord(r, cs, ce, []rune("完成")); k > cs && sc.yearlyTask(cs, ce, k) {
		return
	}
	if !has.rangeOf {
	} else if k := indexWord(r, cs, ce, "目标范围"); k > cs && sc.targetRange(cs, ce, k) {
		return
	}
	for k := cs + 1; has.roman && k < ce; k++ {
		if r[k] >= 'Ⅰ' && r[k] <= 'Ⅻ' && !sc.nested[k] {
			if sc.romanClass(cs, ce, k) {
				return
			}
			break
		}
	}
	sc.rule = "zero"
	for _, w := range []string{"零新增", "零增长"} {
		if !has.zero {
			break
		}
		if z := indexWord(r, cs, ce, w); z > cs && z+3 == ce && !sc.nested[z] {
			p := sc.predicate(cs, z)
			if !sc.validSubject(p.subjA, p.subjB) {
				return
			}
			subject := string(r[p.subjA:p.subjB])
			m := MeasureCount
			if w == "零增长" {
				m = MeasureGrowth
			}
			sc.emit(p.textA, ce, subject, m, OpEq, new(0.0), "", sc.sentStretch)
			return
		}
	}
	if has.rank && sc.rank(cs, ce) {
		return
	}
	if has.qual {
		sc.qualitative(cs, ce, "")
	}
}

// issuers set a figure from above: 市下达, 上级下达.
var issuers = newWords("上级", "国家", "省", "市", "区", "县")

// issueVerbs come before the issuer: 完成市下达任务, 按市下达计划.
var issueVerbs = newWords("完成", "达到", "执行", "落实", "按照", "按")

// issuedTasks end an external target: 市下达任务, 市下达的目标.
var issuedTasks = newWords("目标任务", "任务", "目标", "计划", "指标")

// external reads "单位地区生产总值能耗降低完成市下达任务", with 下达 at r[k]:
// a target whose figure is set elsewhere. What is measured is named before
// the issuer ("能耗降低完成市下达任务"), or after it ("完成省、市下达的节能减
// 排考核目标任务"); the task may carry the span it belongs to ("国家下达“十五
// 五”目标任务的序时进度").
func (sc *targetScanner) external(cs, ce, k int) {
	r := sc.r
	sc.rule = "external"
	j := k + 2
	if j < ce && r[j] == '的' {
		j++
	}
	// What follows 下达: perhaps a subject, then the task, then 的序时进度.
	tail := ce
	if m := lastIndexWord(r, j, ce, []rune("的序时进度")); m >= 0 && m+5 == ce {
		tail = m
	}
	task := -1
	for _, w := range issuedTasks.list {
		if m := lastIndexWord(r, j, tail, w.r); m >= 0 && m+len(w.r) == tail && (task < 0 || m < task) {
			task = m
		}
	}
	if task < 0 && j+2 == ce && wordAt(r[:ce], j, "为准") && !sc.nested[k] {
		// "节能减排指标以国家和省下达为准".
		if m := lastIndexWord(r, cs, k, []rune("以")); m > cs {
			p := sc.predicate(cs, m)
			if sc.validSubject(p.subjA, p.subjB) {
				subject := string(r[p.subjA:p.subjB])
				sc.emit(p.textA, ce, subject, measureOf(subject, p, unitNone), OpExternal, nil, "", sc.sentStretch)
			}
		}
		return
	}
	if task < 0 || sc.nested[k] {
		return
	}
	_, n := endWord(r, cs, k, issuers)
	if n == 0 {
		return
	}
	b := k - n
	// "省、市下达": more issuers before the first.
	for b-1 > cs && r[b-1] == '、' {
		_, m := endWord(r, cs, b-1, issuers)
		if m == 0 {
			break
		}
		b -= 1 + m
	}
	if _, n := endWord(r, cs, b, issueVerbs); n > 0 {
		b -= n
	}
	// The subject named after the issuer, between 下达的 and the task, with
	// what it is (考核, 约束性) and the span (“十五五”) left out.
	after := j
	for after < task && sc.nested[after] {
		after++
	}
	if a, z := after, trimTaskWords(r, after, task); z-a >= 2 && !sc.nested[a] {
		subject := string(r[a:z])
		sc.emit(b, ce, subject, measureOf(subject, predicate{}, unitNone), OpExternal, nil, "", sc.sentStretch)
		return
	}
	// The subject is in the list item that is given the task: the item after
	// the last 、. "推进节能改造、单位地区生产总值能耗降低完成市下达任务" is the
	// task of 单位地区生产总值能耗降低; in "积极推进…消费扶贫工作、完成市下达目标
	// 任务" nothing says what the task measures.
	p := sc.predicate(sc.itemStart(cs, b), b)
	if !sc.validSubject(p.subjA, p.subjB) {
		return
	}
	subject := string(r[p.subjA:p.subjB])
	sc.emit(p.textA, ce, subject, measureOf(subject, p, unitNone), OpExternal, nil, "", sc.sentStretch)
}

// itemStart returns where the list item that ends at r[b] starts: after the
// last 、 of the clause r[cs:b] outside brackets, or cs.
func (sc *targetScanner) itemStart(cs, b int) int {
	for j := b - 1; j >= cs; j-- {
		if sc.r[j] == '、' && !sc.nested[j] {
			return j + 1
		}
	}
	return cs
}

// trimTaskWords returns where the subject r[a:z] named before an issued task
// ends, without the words that say what kind of task it is (考核, 约束性).
func trimTaskWords(r []rune, a, z int) int {
	for changed := true; changed && z > a; {
		changed = false
		if _, n := endWord(r, a, z, taskKinds); n > 0 {
			z -= n
			changed = true
		}
	}
	return z
}

// taskKinds qualify an issued task: 考核目标任务, 约束性指标.
var taskKinds = newWords("考核", "约束性", "年度", "计划")

// yearlyTask reads "空气质量完成年度目标任务": the year's task set from above,
// with 完成 at r[k].
func (sc *targetScanner) yearlyTask(cs, ce, k int) bool {
	r := sc.r
	sc.rule = "yearly"
	j := k + 2
	n := matchWords(r[:ce], j, yearlyTasks)
	if n == 0 || j+n != ce {
		return false
	}
	p := sc.predicate(sc.itemStart(cs, k), k)
	if !sc.validSubject(p.subjA, p.subjB) {
		return false
	}
	subject := string(r[p.subjA:p.subjB])
	sc.emit(p.textA, ce, subject, measureOf(subject, p, unitNone), OpExternal, nil, "", sc.sentStretch)
	return true
}

// targetRange reads "主要污染物排放控制在市定目标范围内", with 目标范围 at
// r[k]: a bound set by the level above.
func (sc *targetScanner) targetRange(cs, ce, k int) bool {
	r := sc.r
	sc.rule = "range"
	if end := k + 4; !(end == ce || end+1 == ce && (r[end] == '内')) {
		return false
	}
	b := k
	if b > cs && r[b-1] == '的' {
		b--
	}
	if b-1 > cs && r[b-1] == '定' {
		b--
	}
	_, n := endWord(r, cs, b, issuers)
	if n == 0 {
		return false
	}
	b -= n
	if b > cs && r[b-1] == '在' {
		b--
	}
	_, n = endWord(r, cs, b, holdVerbs)
	if n == 0 {
		return false
	}
	b -= n
	p := sc.predicate(cs, b)
	if !sc.validSubject(p.subjA, p.subjB) {
		return false
	}
	subject := string(r[p.subjA:p.subjB])
	sc.emit(p.textA, ce, subject, measureOf(subject, p, unitNone), OpExternal, nil, "", sc.sentStretch)
	return true
}

// yearlyTasks end "完成年度目标任务".
var yearlyTasks = newWords("年度目标任务", "年度任务", "年度目标", "目标任务")

// qualitative reads a commitment without a figure in the fixed forms offices
// use: "增速高于全国平均水平", "人均GDP达到全省中等水平", "比重保持稳定",
// "差距进一步缩小", "水质保持优良". It reports whether it found one. prev is
// the subject of a target just before in the same list, for an item that
// names only what it adds ("增长9%左右、增速高于全国平均水平").
func (sc *targetScanner) qualitative(cs, ce int, prev string) bool {
	r := sc.r
	sc.rule = "qualitative"
	for k := cs + 1; k < ce; k++ {
		if sc.nested[k] {
			continue
		}
		w, ok := matchWord(r[:ce], k, qualVerbs)
		if !ok {
			continue
		}
		rest := k + len(w.r)
		if !sc.qualTail(rest, ce, w.s) {
			continue
		}
		a := sc.itemStart(cs, k)
		p := sc.predicate(a, k)
		subjA, subjB := p.subjA, p.subjB
		if list := sc.subjectList(cs, a, subjA, subjB); len(list) > 1 {
			// "制造业增加值、数字经济增加值占生产总值比重进一步提升": one
			// target for each item of the list.
			for _, subject := range list {
				sc.emit(p.textA, ce, subject, measureOf(subject, p, unitNone), OpQualitative, nil, "", sc.sentStretch)
			}
			return true
		}
		subject := ""
		switch {
		case sc.validSubject(subjA, subjB):
			subject = string(r[subjA:subjB])
			if prev != "" && (subject == "增速" || subject == "增幅" || subject == "比重") {
				subject = prev + subject
			}
		case prev != "" && subjB-subjA == 0:
			subject = prev
		default:
			return false
		}
		if !indicatorLike(subject) {
			return false
		}
		sc.emit(p.textA, ce, subject, measureOf(subject, p, unitNone), OpQualitative, nil, "", sc.sentStretch)
		return true
	}
	return false
}

// subjectList returns the subjects of a list "A、B…X" that ends with the
// subject r[subjA:subjB] (its item starting at a), completed by shareTail, when
// every item before it names an indicator; nil otherwise.
func (sc *targetScanner) subjectList(cs, a, subjA, subjB int) []string {
	r := sc.r
	if a <= cs || r[a-1] != '、' || !sc.validSubject(subjA, subjB) {
		return nil
	}
	items := []string{string(r[subjA:subjB])}
	end := a - 1
	for k := end - 1; k >= cs-1; k-- {
		if k >= cs && (r[k] != '、' || sc.nested[k]) {
			continue
		}
		item := string(r[k+1 : end])
		if !indicatorLike(item) || startsWithVerb(r, k+1) || runeLen(item) > maxSubjectRunes {
			return nil
		}
		items = append([]string{item}, items...)
		end = k
	}
	shareTail(items)
	return items
}

// qualVerbs open the comparison of a qualitative target.
var qualVerbs = newWords("不低于", "高于", "快于", "优于", "好于", "达到", "保持", "进一步", "稳定在", "进入", "位居", "稳居")

// qualTail reports whether r[a:ce], after the verb w, ends a qualitative
// target: a level of comparison (全国平均水平, 各项贷款增速), a state kept
// (稳定, 增长, 优良), or a change for the better (缩小, 提升).
func (sc *targetScanner) qualTail(a, ce int, w string) bool {
	r := sc.r
	tail := string(r[a:ce])
	switch w {
	case "不低于", "高于", "快于", "优于", "好于", "达到":
		if strings.HasSuffix(tail, "水平") || strings.HasSuffix(tail, "增速") || strings.HasSuffix(tail, "平均") ||
			strings.HasSuffix(tail, "增幅") {
			return runeLen(tail) <= 14 && !strings.ContainsAny(tail, "0123456789")
		}
	case "保持", "稳定在":
		switch tail {
		case "稳定", "增长", "优良", "良好", "优秀", "优秀水平", "较快增长", "稳定增长", "合理增长", "基本稳定",
			"总体稳定", "在合理区间", "合理区间", "基本平衡", "领先", "全国领先", "全省领先", "全市领先", "前列",
			"全国前列", "全省前列", "全市前列":
			return true
		}
	case "进入", "位居", "稳居":
		return strings.HasSuffix(tail, "前列") && runeLen(tail) <= 10
	case "进一步":
		switch tail {
		case "缩小", "提升", "提高", "增强", "优化", "改善", "降低", "下降", "扩大", "上升":
			return true
		}
	}
	return false
}

// indicatorLike reports whether a subject names a measured quantity (比重,
// 收入, 增速…) rather than an action or a thing to build: a qualitative target
// must be about an indicator.
func indicatorLike(s string) bool {
	for _, w := range []string{"比重", "占比", "差距", "收入", "增速", "增幅", "增加值", "总额", "总值", "产值", "水平",
		"质量", "指标", "率", "GDP", "gdp", "投资", "消费", "水质", "效益", "规模", "总量", "产量", "价格", "贷款", "余额"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// romanClass reads "水质稳定保持在地表水Ⅲ类", "保持国家Ⅱ类标准": a class of
// water or air quality in Roman numerals, with the class at r[k].
func (sc *targetScanner) romanClass(cs, ce, k int) bool {
	r := sc.r
	sc.rule = "class"
	n := int(r[k]-'Ⅰ') + 1
	end := k + 1
	if end >= ce || r[end] != '类' {
		return false
	}
	end++
	unit := "类"
	if wordAt(r[:ce], end, "标准") {
		end += 2
		unit = "类标准"
	}
	if end != ce {
		return false
	}
	// The verb before it: 保持, 稳定保持在, 达到; the subject before that.
	b := k
	for b > cs && !isSeparator(r[b-1]) {
		if _, m := endWord(r, cs, b, holdVerbs); m > 0 {
			break
		}
		b--
	}
	if b == cs {
		return false
	}
	p := sc.predicate(cs, b)
	if !sc.validSubject(p.subjA, p.subjB) {
		return false
	}
	subject := string(r[p.subjA:p.subjB])
	v := float64(n)
	sc.emit(p.textA, ce, subject, MeasureLevel, OpEq, &v, unit, sc.sentStretch)
	return true
}

// sync reads "城镇居民人均可支配收入增速保持与经济发展同步", with 同步 at r[k].
func (sc *targetScanner) sync(cs, ce, k int) {
	r := sc.r
	sc.rule = "sync"
	c := -1
	for m := k - 1; m > cs && k-m <= 14; m-- {
		if r[m] == '与' || r[m] == '和' || r[m] == '同' {
			c = m
			break
		}
	}
	if c < 0 || k-c < 3 || sc.nested[k] {
		return
	}
	ref := r[c+1 : k]
	if indexWord(ref, 0, len(ref), "经济") < 0 && indexWord(ref, 0, len(ref), "增长") < 0 &&
		indexWord(ref, 0, len(ref), "生产总值") < 0 && indexWord(ref, 0, len(ref), "GDP") < 0 {
		return
	}
	if tail := r[k+2 : ce]; len(tail) > 0 && matchWords(tail, 0, growthVerbs) != len(tail) {
		return
	}
	p := sc.predicate(cs, c)
	if !sc.validSubject(p.subjA, p.subjB) {
		return
	}
	subject := string(r[p.subjA:p.subjB])
	m := measureOf(subject, p, unitNone)
	if m == MeasureOther || m == MeasureLevel {
		m = MeasureGrowth
	}
	sc.emit(p.textA, ce, subject, m, OpSync, nil, "", sc.sentStretch)
}

// rankAreas are where a rank holds: "全市第一".
var rankAreas = newWords("中心城区", "主城区", "全市", "全省", "全国", "全区", "全县", "区县", "城区")

// rankVerbs introduce a rank: "保持全市第一".
var rankVerbs = newWords("继续保持", "保持", "位居", "稳居", "位列", "排名", "进入", "居")

// rank reads "全员劳动生产率保持全市第1" and "进入全国前十", and reports
// whether it found one.
func (sc *targetScanner) rank(cs, ce int) bool {
	r := sc.r
	sc.rule = "rank"
	for k := cs + 1; k < ce; k++ {
		if r[k] != '第' && r[k] != '前' || sc.nested[k] {
			continue
		}
		n, end := scanSmallNumber(r[:ce], k+1)
		if end == k+1 || n < 1 {
			continue
		}
		if end < ce && (r[end] == '名' || r[end] == '位') {
			end++
		}
		if end != ce {
			continue
		}
		b := k
		scoped := false
		if _, n := endWord(r, cs, b, rankAreas); n > 0 {
			b -= n
			scoped = true
		}
		if r[k] == '前' && !scoped {
			continue
		}
		_, vn := endWord(r, cs, b, rankVerbs)
		if vn == 0 {
			continue
		}
		vb := b - vn
		p := sc.predicate(cs, vb)
		if !sc.validSubject(p.subjA, p.subjB) {
			return false
		}
		subject := string(r[p.subjA:p.subjB])
		v := float64(n)
		sc.emit(p.textA, ce, subject, measureOf(subject, p, unitNone), OpRank, &v, "", sc.sentStretch)
		return true
	}
	return false
}

// clauseYear is the year a clause sets its sentence's targets for: "到2025年"
// or "2025年底前" at its start, or "5年内" (the span's last year counted from
// the scanner's year); 0 when it names none.
func (sc *targetScanner) clauseYear(cs, ce int) int {
	r := sc.r
	k := cs
	if wordAt(r[:ce], k, "力争") || wordAt(r[:ce], k, "确保") {
		k += 2
	}
	if k < ce && (r[k] == '到' || r[k] == '至') {
		k++
		if y, ok := yearDigits(r, k, ce); ok && (sc.year == nil || y >= *sc.year) {
			return y
		}
	}
	for j := cs; j+2 < ce && j < cs+12; j++ {
		if !isDigitRune(r[j]) || j > cs && isDigitRune(r[j-1]) {
			continue
		}
		n := 0
		m := j
		for m < ce && isDigitRune(r[m]) && m-j < 2 {
			n = n*10 + int(r[m]-'0')
			m++
		}
		if m+1 < ce && r[m] == '年' && r[m+1] == '内' && n >= 2 && n <= 10 && sc.year != nil {
			return *sc.year + n - 1
		}
	}
	return 0
}

// yearDigits reads a year of four digits followed by 年 at r[k].
func yearDigits(r []rune, k, ce int) (int, bool) {
	if k+4 >= ce || !isYear(r[k:k+4]) || r[k+4] != '年' {
		return 0, false
	}
	y := 0
	for _, c := range r[k : k+4] {
		y = y*10 + int(c-'0')
	}
	return y, true
}

// targetYear is the year of a target found now: the sentence's own, or the
// year the scanner was given.
func (sc *targetScanner) targetYear() *int {
	if sc.sentYear > 0 {
		y := sc.sentYear
		return &y
	}
	return sc.year
}

// emit appends a target and returns its index.
func (sc *targetScanner) emit(a, b int, subject string, m Measure, op Op, value *float64, unit string, stretch bool) int {
	t := Target{
		Text:    sc.span(a, b),
		Year:    sc.targetYear(),
		Subject: subject,
		Measure: m,
		Op:      op,
		Line:    sc.line,
		Stretch: stretch,
		Rule:    sc.rule,
	}
	if value != nil {
		t.Value = new(*value)
	}
	if unit != "" {
		t.Unit = new(unit)
	}
	sc.out = append(sc.out, t)
	sc.sentLast = len(sc.out) - 1
	return len(sc.out) - 1
}

// span returns the original text of r[a:b] without white space, except a single
// space between two Latin letters.
func (sc *targetScanner) span(a, b int) string {
	if a >= b {
		return ""
	}
	end := len(sc.text)
	if b < len(sc.off) {
		end = sc.off[b]
	}
	return compactSpace(sc.text[sc.off[a]:end])
}

// compactSpace removes white space from s but keeps one space between two Latin
// letters. Bytes that are not valid UTF-8 are kept as they are.
func compactSpace(s string) string {
	has := false
	for _, c := range s {
		if isSpaceRune(c) {
			has = true
			break
		}
	}
	if !has {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var last rune
	pending := false
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if isSpaceRune(c) {
			pending = true
			i += size
			continue
		}
		if pending && isLatinLetter(foldRune(last)) && isLatinLetter(foldRune(c)) {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteString(s[i : i+size])
		last = c
		i += size
	}
	return b.String()
}

// validSubject reports whether r[a:b] can be a subject: two to maxSubjectRunes
// runes, with a Han character or a Latin letter; not starting with a figure, a
// comparison (高于) or 已, neither starting nor ending with a separator (、，；：),
// holding no year or word of status (现有), and not a bare verb.
func (sc *targetScanner) validSubject(a, b int) bool {
	if b-a < 2 || b-a > maxSubjectRunes || isDigitRune(sc.r[a]) {
		return false
	}
	if isSeparator(sc.r[a]) || isSeparator(sc.r[b-1]) {
		return false // "积极推进…工作、": the span holds a list, not a subject
	}
	if sc.r[b-1] == '年' && isDigitRune(sc.r[b-2]) {
		return false // "是2015年的1.5倍": a comparison with a year, not a subject
	}
	if matchWords(sc.r[:b], a, comparisons) > 0 || sc.r[a] == '已' {
		return false
	}
	for k := a; k < b; k++ {
		switch {
		case matchWords(sc.r[:b], k, statusWords) > 0:
			return false // "渝中现有上市企业9家": what there is, not what is promised
		case k+4 < b && sc.r[k+4] == '年' && isYear(sc.r[k:k+4]) && (k == a || !isDigitRune(sc.r[k-1])):
			return false // "对2017年4月12日后引进的…": a condition with a date
		}
	}
	for _, ws := range []*words{deliveryVerbs, growthVerbs, declineVerbs, holdVerbs} {
		if matchWords(sc.r[:b], a, ws) == b-a {
			return false // "完工100万平方米": a verb alone measures nothing
		}
	}
	for _, c := range sc.r[a:b] {
		if isLatinLetter(c) || unicode.Is(unicode.Han, c) {
			return true
		}
	}
	return false
}

// isYear reports whether four runes are the digits of a year.
func isYear(r []rune) bool {
	for _, c := range r {
		if !isDigitRune(c) {
			return false
		}
	}
	return true
}

// measureOf decides what a target measures from its subject, the words before
// its figure and the kind of its unit.
func measureOf(subject string, p predicate, kind unitKind) Measure {
	switch {
	case strings.Contains(subject, "占比") || strings.Contains(subject, "比重") || strings.Contains(subject, "比例") ||
		kind == unitPercent && strings.Contains(subject, "占"):
		return MeasureShare
	case strings.HasSuffix(subject, "率") || kind == unitPercent && strings.Contains(subject, "率"):
		return MeasureRate
	case p.cumulative || strings.HasPrefix(subject, "累计"):
		return MeasureCumulative
	case (p.growth || p.leadChange) && !p.to && (kind == unitPercent || kind == unitRatio || kind == unitNone):
		return MeasureGrowth
	case kind == unitCount:
		return MeasureCount
	case kind == unitAmount || kind == unitPercent || kind == unitRatio || p.level:
		return MeasureLevel
	}
	return MeasureOther
}

// predicate is what the words before a figure say about it.
type predicate struct {
	textA        int // where the target's Text starts
	subjA, subjB int // the subject
	verbA        int // where a delivery verb starts, when verb is set
	verb         string
	op           Op
	growth       bool // 增长, 下降…: the figure is a change
	to           bool // 提高到: the figure is a level after all
	level        bool // 达到, 突破, 完成
	cumulative   bool
	respectively bool // 分别
	bare         bool // the subject runs straight into the figure
	leadChange   bool // the subject starts with a verb of change: 压减一般性支出
	achieved     bool // the delivery verb is 完成 or 实现, dropped from the subject
}

// Word lists of predicate, longest first where one is a prefix of another.
var (
	growthVerbs  = newWords("年均增长", "同比增长", "增长", "增速", "增幅", "涨幅", "提高", "提升", "上升", "增加", "递增")
	declineVerbs = newWords("年均下降", "同比下降", "下降", "降低", "减少", "压减", "缩减", "削减", "压降", "压缩", "缩短")
	holdVerbs    = newWords("稳定保持", "保持稳定", "继续保持", "稳定", "保持", "维持", "控制", "实现", "完成", "达成", "力争", "确保", "基本")
	modifiers    = newWords("比上年同期", "比上年", "较上年", "比去年", "较去年", "同比", "共计", "总计", "合计", "年均")
	connectors   = newWords("在", "为", "到", "至")
	// fillers open a clause without belonging to its subject.
	fillers = newWords(
		"全社会", "进一步", "全年", "今年", "年内", "当年", "明年", "每年", "全区", "全县", "全市", "全镇",
		"全省", "力争", "确保", "促进", "力促", "推动", "带动", "努力", "力求", "保持", "继续",
		"持续", "同时", "其中", "预计", "全力", "相应", "提出", "要", "将", "使", "并", "是")
	// clauseFillers start a new clause even after 、.
	clauseFillers = newWords("力争", "确保", "力促", "促进", "推动", "实现", "全年")
	// fillerCompounds start with a one-rune filler but are words of their own.
	fillerCompounds = newWords("要素", "要件", "使用", "使馆", "并购", "并网", "将军", "是否")
	// comparisons open a clause that compares rather than commits: 高于年度预期目标1个百分点.
	comparisons = newWords("高于", "低于", "高出", "超出", "快于", "慢于", "优于", "多于", "少于", "比", "较")
	// statusWords describe what already is: 现有, 已有.
	statusWords = newWords("现有", "已有", "已经")
	// achieveVerbs open a subject and are dropped from it: 完成固定资产投资220亿元.
	achieveVerbs = newWords("完成", "实现")
	// manners come before a verb: 加快建成, 高标准打造.
	manners = newWords("高质量", "高标准", "高水平", "大力", "积极", "着力", "加快", "加速", "加紧", "深入", "扎实", "有序", "稳步", "全面", "精心", "精致", "切实", "再")
	// deliveryVerbs say what is delivered and stay in the subject: 新增发明专利.
	deliveryVerbs = newWords(
		"建成投用", "新认定", "新引进", "新开发", "新培育", "新增", "新建", "新开", "新设", "引进", "引入",
		"引育", "招引", "培育", "培养", "建成", "完成", "完工", "打造", "举办", "开展", "推出",
		"落地", "拆除", "改造", "盘活", "创建", "升级", "置换", "办好", "提供", "认定", "开通",
		"形成", "设立", "组建", "新开工", "签约", "缔结", "修缮")
	ordinals = newWords("首先", "其次", "此外", "另外", "同时")
	// leadIns end the words before a subject: 主要预期目标是.
	leadIns = newWords("目标是", "目标为", "期间", "以来")
)

// predicate reads r[a:b], the words of a clause before its figure at r[b].
func (sc *targetScanner) predicate(a, b int) predicate {
	r := sc.r
	p := predicate{}
	if b-a > maxSegmentRunes {
		// Too long to be a subject with its verbs; giving up here also keeps
		// the scan linear on text without commas.
		p.textA, p.subjA, p.subjB = b, b, b
		return p
	}
	orig := b
	declEnd := -1
	for changed := true; changed && b > a; {
		changed = false
		if op, n := endOpWord(r, a, b); n > 0 {
			if p.op == "" {
				p.op = op
			}
			if op == OpReach || op == OpGT {
				p.level = true // 达到, 突破, 超过
			}
			b -= n
			changed = true
			continue
		}
		if w, n := endWord(r, a, b, connectors); n > 0 {
			if w == "到" || w == "至" {
				p.to = true
			}
			b -= n
			changed = true
			continue
		}
		if _, n := endWord(r, a, b, declineVerbs); n > 0 {
			if !p.to && declEnd < 0 {
				declEnd = b
			}
			if p.to && p.op == "" {
				p.op = OpLE // 下降到30: at most 30
			}
			p.growth = true
			b -= n
			changed = true
			continue
		}
		if _, n := endWord(r, a, b, growthVerbs); n > 0 {
			p.growth = true
			b -= n
			changed = true
			continue
		}
		if w, n := endWord(r, a, b, holdVerbs); n > 0 {
			switch w {
			case "控制":
				if p.op == "" {
					p.op = OpLE
				}
			case "实现", "完成", "达成":
				p.level = true
			}
			b -= n
			changed = true
			continue
		}
		if _, n := endWord(r, a, b, modifiers); n > 0 {
			b -= n
			changed = true
			continue
		}
		switch {
		case b-a >= 2 && r[b-2] == '分' && r[b-1] == '别':
			p.respectively = true
			b -= 2
			changed = true
		case b-a >= 2 && r[b-2] == '累' && r[b-1] == '计':
			p.cumulative = true
			b -= 2
			changed = true
		case b-a >= 2 && r[b-1] == '均' && !strings.ContainsRune("人户亩日月年", r[b-2]):
			// 占比均超过10%: 均 (each) belongs to the verb.
			b--
			changed = true
		case b-a >= 3 && r[b-1] == '年' && isDigitRune(r[b-2]):
			// 比2020年增长: a comparison with a past year.
			k := b - 2
			for k > a && isDigitRune(r[k-1]) {
				k--
			}
			if k > a && (r[k-1] == '比' || r[k-1] == '较') {
				b = k - 1
				changed = true
			}
		}
	}
	if p.to {
		p.growth = false
		declEnd = -1
	}
	p.bare = b == orig

	// The start: ordinals and lead-ins, then fillers.
	for changed := true; changed && a < b; {
		changed = false
		if n := sc.ordinalAt(a, b); n > 0 {
			a += n
			changed = true
		} else if closesNest(r[a]) || r[a] == '、' {
			a++ // "]营业收入": the end of a footnote mark
			changed = true
		}
	}
	// Lead-ins end before the subject: "主要预期目标是", "“十三五”期间".
	for _, lead := range leadIns.list {
		if k := lastIndexWord(r, a, b, lead.r); k >= 0 {
			a = k + len(lead.r)
		}
	}
	// "推行全流程电子招投标、力争电子化率达100%": the subject starts after 、力争.
	for k := b - 1; k > a; k-- {
		if r[k-1] == '、' && !sc.nested[k-1] && matchWords(r[:b], k, clauseFillers) > 0 {
			a = k
			break
		}
	}
	p.textA = a
	for changed := true; changed && a < b; {
		changed = false
		if n := matchWords(r[:b], a, fillers); n > 0 && !(n == 1 && matchWords(r[:b], a, fillerCompounds) > 0) {
			a += n
			changed = true
			continue
		}
		if n := yearAt(r, a, b); n > 0 {
			a += n
			changed = true
			continue
		}
		if wordAt(r[:b], a, "累计") {
			p.cumulative = true
			a += 2
			changed = true
		}
	}
	// A delivery verb, perhaps after a word of manner: 加快建成. It is looked for
	// up to the figure, since 完成 in "完成15个校园建设项目" was stripped above.
	v := a
	for n := matchWords(r[:orig], v, manners); n > 0; n = matchWords(r[:orig], v, manners) {
		v += n
	}
	if w, ok := matchWord(r[:orig], v, deliveryVerbs); ok {
		p.verb, p.verbA = w.s, v
	}
	if n := matchWords(r[:b], a, achieveVerbs); n > 0 {
		p.achieved = p.verb != "" && p.verbA == a
		a += n
	}
	if n := matchWords(r[:b], a, growthVerbs); n > 0 {
		p.leadChange = true
	} else if n := matchWords(r[:b], a, declineVerbs); n > 0 {
		p.leadChange = true
	}
	if declEnd > b {
		b = declEnd
	}
	for b > a && (r[b-1] == '等' || r[b-1] == '的') {
		b--
	}
	p.subjA, p.subjB = a, b
	return p
}

// ordinalAt returns the length of an ordinal opening r[a:b]: "（一）", "一是",
// "1.", "首先", or 0.
func (sc *targetScanner) ordinalAt(a, b int) int {
	r := sc.r[:b]
	if a >= b {
		return 0
	}
	if c := closingBracket(r[a]); c != 0 {
		for k := a + 1; k < b && k <= a+4; k++ {
			if r[k] == c {
				return k + 1 - a
			}
		}
		return 0
	}
	if n := matchWords(r, a, ordinals); n > 0 {
		return n
	}
	k := a
	for k < b && k-a < 3 && (chineseDigit(r[k]) > 0 || r[k] == '十') {
		k++
	}
	if k > a && k < b && (r[k] == '是' || r[k] == '、') {
		return k + 1 - a
	}
	k = a
	for k < b && k-a < 3 && isDigitRune(r[k]) {
		k++
	}
	if k > a && k < b && (r[k] == '.' || r[k] == '、' || r[k] == ')' || r[k] == '）') {
		return k + 1 - a
	}
	return 0
}

// yearAt returns the length of a year phrase opening r[a:b]: "2021年",
// "到2025年底", "5年内", or 0.
func yearAt(r []rune, a, b int) int {
	k := a
	if k < b && (r[k] == '到' || r[k] == '至' || r[k] == '在') {
		k++
	}
	d := k
	for k < b && isDigitRune(r[k]) {
		k++
	}
	if n := k - d; (n == 1 || n == 2) && k+1 < b && r[k] == '年' && r[k+1] == '内' {
		return k + 2 - a // "5年内": a span, not a figure
	}
	if k-d != 4 || k >= b || r[k] != '年' {
		return 0
	}
	k++
	if k < b && (r[k] == '底' || r[k] == '末' || r[k] == '前' || r[k] == '内' || r[k] == '度') {
		k++
	}
	return k - a
}

// lastIndexWord returns the last index of w in r[a:b], -1 if none.
func lastIndexWord(r []rune, a, b int, w []rune) int {
	for k := b - len(w); k >= a; k-- {
		if r[k] == w[0] && runesAt(r[:b], k, w) {
			return k
		}
	}
	return -1
}

// startsWithVerb reports whether the words at r[a] open with a verb, so that a
// list item does not inherit the verb of the item before it.
func startsWithVerb(r []rune, a int) bool {
	for _, ws := range []*words{deliveryVerbs, growthVerbs, declineVerbs, holdVerbs, manners} {
		if matchWords(r, a, ws) > 0 {
			return true
		}
	}
	return false
}

// shareTail completes the short items of a list that share the last item's
// ending: "城镇、农村居民人均可支配收入" is 城镇居民人均可支配收入 and 农村居民人均
// 可支配收入; "制造业增加值、数字经济增加值占生产总值比重" is 制造业增加值占生产
// 总值比重 and 数字经济增加值占生产总值比重.
func shareTail(subjects []string) {
	n := len(subjects)
	if n < 2 {
		return
	}
	last := []rune(subjects[n-1])
	for k := 0; k < n-1; k++ {
		item := []rune(subjects[k])
		if len(item) >= len(last) {
			continue
		}
		// The last item holds this item's ending: what follows it there is
		// the shared tail ("增加值" then "占生产总值比重").
		for m := min(len(item), 4); m >= 2; m-- {
			end := string(item[len(item)-m:])
			if i := strings.LastIndex(string(last), end); i > 0 {
				tail := string(last)[i+len(end):]
				if tail != "" && !strings.Contains(subjects[k], tail) {
					subjects[k] += tail
				}
				goto next
			}
		}
		// A short qualifier ("城镇" beside "农村居民…"): it takes the place
		// of the last item's qualifier of the same length.
		if len(item) <= 3 && len(last) > len(item)+2 {
			subjects[k] += string(last[len(item):])
		}
	next:
	}
}
