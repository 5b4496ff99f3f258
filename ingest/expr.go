package ingest

import (
	"strings"
	"unicode/utf8"
)

// ParseExpr reads one value cell of an indicator table ("6左右", "≥300", "市计划",
// "（保持全市第1）", "——") into an Expr. Text is the cell trimmed of surrounding
// white space; everything else is read from a normalised copy in which full-width
// digits, letters and signs (０-９, ．, ％, ＞＜≥≤, ～) count as their ASCII forms
// and white space is ignored.
//
// The rules, in order:
//   - empty, a run of dashes ("——", "—", "-", "--"), "/", or a word such as 无,
//     暂无, 待定 → unknown;
//   - 与…同步 → sync;
//   - 零新增, 零增长 → eq 0;
//   - 第N after 全市, 全省, 保持, 位居… (or at the start), and 全市前N, ending the
//     cell → rank with value N; Chinese numerals (一, 二, 十二, 两) are understood;
//   - a number → its value as written, in the unit as written ("2200亿元" is 2200):
//     左右, 上下, 约, 近 → approx; 以上, ≥, 不低于, 不少于 → ge; ＞, 超过, 突破,
//     高于, 逾, and 余 or 多 after the number → gt; 以内, 以下, ≤, 不超过, 控制在
//     → le; ＜, 低于, 少于 → lt; otherwise reach;
//   - a range ("5-6", "5～6", "5%至6%") → ge its lower bound: the lower end is the
//     commitment, and the written range stays in Text;
//   - no number, with 计划 or 下达 ("市计划", "按市下达计划") → external;
//   - any other text without a number ("高于全市平均水平") → qualitative.
//
// 预计 anywhere in the cell sets Estimated ("（预计保持全市第1）", "预计6左右").
// A leading minus sign makes the value negative. ParseExpr never panics, and Value,
// when set, is always a finite number.
func ParseExpr(s string) Expr {
	text := strings.TrimSpace(s)
	e := Expr{Text: text}
	r := foldRunes(text)
	r = trimBrackets(r)
	if i := indexWord(r, 0, len(r), "预计"); i >= 0 {
		e.Estimated = true
		r = append(r[:i], r[i+2:]...)
		r = dropEmptyBrackets(r)
		r = trimBrackets(r)
	}
	switch {
	case isUnknownCell(r):
		e.Op = OpUnknown
		return e
	case indexWord(r, 0, len(r), "同步") >= 0:
		e.Op = OpSync
		return e
	case indexWord(r, 0, len(r), "零新增") >= 0 || indexWord(r, 0, len(r), "零增长") >= 0:
		e.Op, e.Value = OpEq, new(0.0)
		return e
	}
	if n, ok := cellRank(r); ok {
		e.Op, e.Value = OpRank, new(float64(n))
		return e
	}
	start := -1
	for i, c := range r {
		if isDigitRune(c) {
			start = i
			break
		}
	}
	if start < 0 {
		e.Op = OpQualitative
		if indexWord(r, 0, len(r), "计划") >= 0 || indexWord(r, 0, len(r), "下达") >= 0 {
			e.Op = OpExternal
		}
		return e
	}
	v, end, ok := scanNumber(r, start)
	if !ok {
		e.Op = OpQualitative
		return e
	}
	neg := start > 0 && r[start-1] == '-' && (start == 1 || !isDigitRune(r[start-2]))
	if neg {
		v = -v
	}
	u := scanUnit(r, end, true)
	op := Op("")
	if u.more {
		op = OpGT
	}
	j := u.end
	if lo, rEnd, ok := scanRangeEnd(r, j, v, neg); ok {
		v, op = lo, OpGE
		j = rEnd
	}
	if sop, _ := suffixOp(r, j); sop != "" && (op != OpGE || sop != OpApprox) {
		op = sop
	}
	if op == "" {
		op = prefixOp(r[:start])
	}
	if op == "" {
		op = OpReach
	}
	e.Op, e.Value = op, new(v)
	return e
}

// scanRangeEnd reads the upper end of a range such as "5-6", "5%～6%" or "5至6"
// that starts at r[i], right after the lower number and its unit. It returns the
// lower bound and the index after the upper end's unit.
func scanRangeEnd(r []rune, i int, lo float64, neg bool) (float64, int, bool) {
	if i+1 >= len(r) || !isRangeSep(r[i]) || !isDigitRune(r[i+1]) {
		return 0, i, false
	}
	hi, end, ok := scanNumber(r, i+1)
	if !ok {
		return 0, i, false
	}
	u := scanUnit(r, end, true)
	if !neg && hi < lo {
		lo = hi
	}
	return lo, u.end, true
}

func isRangeSep(c rune) bool {
	switch c {
	case '-', '~', '—', '–', '至', '到':
		return true
	}
	return false
}

// cellRank reads a rank cell: "保持全市第1", "第一", "全市前3名". The rank must
// end the cell, so that "第一季度增长6%" is not a rank.
func cellRank(r []rune) (int, bool) {
	for i := 0; i < len(r); i++ {
		switch r[i] {
		case '第':
			if i > 0 && !endsWithWord(r[:i], rankLeads) {
				continue
			}
		case '前':
			if !endsWithWord(r[:i], rankScopes) {
				continue
			}
		default:
			continue
		}
		n, end := scanSmallNumber(r, i+1)
		if end < len(r) && (r[end] == '名' || r[end] == '位') {
			end++
		}
		if end > i+1 && n > 0 && end == len(r) {
			return n, true
		}
	}
	return 0, false
}

// rankLeads are the words that make 第N a rank ("保持全市第1", "居全省第二").
var rankLeads = newWords("全市", "全省", "全国", "全区", "全县", "区县", "城区", "排名", "排", "保持", "位居", "位列", "稳居", "居", "列")

// rankScopes are the scopes that make 前N a rank ("全市前3").
var rankScopes = newWords("全市", "全省", "全国", "全区", "全县", "区县", "城区", "排名", "进入", "保持", "位居", "位列", "稳居")

// scanSmallNumber reads an Arabic or Chinese whole number at r[i] ("12", "十二",
// "两") and returns it with the index after it; end == i when there is none.
func scanSmallNumber(r []rune, i int) (int, int) {
	if i < len(r) && isDigitRune(r[i]) {
		n, j := 0, i
		for j < len(r) && isDigitRune(r[j]) && j-i < 6 {
			n = n*10 + int(r[j]-'0')
			j++
		}
		return n, j
	}
	total, cur, j := 0, 0, i
	for ; j < len(r) && j-i < 8; j++ {
		switch c := r[j]; c {
		case '十':
			total += max(cur, 1) * 10
			cur = 0
		case '百':
			total += max(cur, 1) * 100
			cur = 0
		default:
			d := chineseDigit(c)
			if d < 0 {
				return total + cur, j
			}
			cur = d
		}
	}
	return total + cur, j
}

func chineseDigit(c rune) int {
	switch c {
	case '〇', '零':
		return 0
	case '一':
		return 1
	case '二', '两':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	}
	return -1
}

// isUnknownCell reports whether a cell says there is no figure: empty, dashes,
// a slash, or a word for "none yet".
func isUnknownCell(r []rune) bool {
	if len(r) == 0 {
		return true
	}
	dashes := true
	for _, c := range r {
		switch c {
		case '-', '—', '–', '―', '─', '‒', '/', '／', '\\', '…', '.', '·':
		default:
			dashes = false
		}
	}
	if dashes {
		return true
	}
	s := string(r)
	switch strings.ToLower(s) {
	case "无", "暂无", "待定", "待统计", "待公布", "未公布", "暂未公布", "未发布", "暂缺", "缺", "n/a", "na", "null", "none":
		return true
	}
	return false
}

// prefixOp returns the operator of the last comparison word in r, "" if none.
func prefixOp(r []rune) Op {
	op := Op("")
	for i := 0; i < len(r); {
		if w, o := matchOpWord(r, i); w > 0 {
			op = o
			i += w
			continue
		}
		i++
	}
	return op
}

// opWord is a word that states how a number is to be read.
type opWord struct {
	w  string
	op Op
}

// prefixOps are the comparison words written before a number, longest first.
// 达到 and 达 read as reach.
var prefixOps = []opWord{
	{"大于等于", OpGE}, {"小于等于", OpLE},
	{"不低于", OpGE}, {"不少于", OpGE}, {"不小于", OpGE},
	{"不超过", OpLE}, {"不高于", OpLE}, {"不多于", OpLE}, {"不大于", OpLE},
	{"控制在", OpLE},
	{"至少", OpGE}, {"最少", OpGE}, {"至多", OpLE}, {"最多", OpLE},
	{"超过", OpGT}, {"多于", OpGT}, {"大于", OpGT}, {"高于", OpGT}, {"突破", OpGT},
	{"低于", OpLT}, {"少于", OpLT}, {"小于", OpLT},
	{"大约", OpApprox}, {"接近", OpApprox}, {"达到", OpReach},
	{">=", OpGE}, {"<=", OpLE},
	{"约", OpApprox}, {"近", OpApprox}, {"超", OpGT}, {"逾", OpGT}, {"达", OpReach},
	{"≥", OpGE}, {"≤", OpLE}, {">", OpGT}, {"<", OpLT},
}

// prefixOpWords and suffixOpWords are prefixOps and suffixOps ready to match.
var (
	prefixOpWords = newOpWords(prefixOps)
	suffixOpWords = newOpWords(suffixOps)
)

// matchOpWord returns the length and operator of the comparison word at r[i].
func matchOpWord(r []rune, i int) (int, Op) {
	if w, ok := matchWord(r, i, prefixOpWords); ok {
		return len(w.r), w.op
	}
	return 0, ""
}

// endOpWord returns the operator and length of the comparison word that r[a:b]
// ends with, "" and 0 if none.
func endOpWord(r []rune, a, b int) (Op, int) {
	if w, ok := endingWord(r, a, b, prefixOpWords); ok {
		return w.op, len(w.r)
	}
	return "", 0
}

// suffixOps are the words written after a number and its unit, longest first.
var suffixOps = []opWord{
	{"及以上", OpGE}, {"及以下", OpLE},
	{"以上", OpGE}, {"之上", OpGE}, {"以下", OpLE}, {"以内", OpLE}, {"之内", OpLE},
	{"左右", OpApprox}, {"上下", OpApprox},
}

// suffixOp returns the operator of the word at r[i] and the index after it.
func suffixOp(r []rune, i int) (Op, int) {
	if w, ok := matchWord(r, i, suffixOpWords); ok {
		return w.op, i + len(w.r)
	}
	return "", i
}

// unitKind sorts units by what they measure.
type unitKind uint8

const (
	unitNone     unitKind = iota
	unitCount             // 个, 家, 万人: things and people
	unitAmount            // 亿元, 万平方米, 公里, 天: amounts
	unitPercent           // %, 个百分点
	unitRatio             // 倍
	unitExcluded          // 年, 号, 小时: the number is not a target
)

// unit is the unit found after a number.
type qtyUnit struct {
	kind unitKind
	a, b int  // the unit in r, without 余/多
	skip int  // index of a 余 or 多 inside [a, b), -1 if none
	more bool // 余 or 多: "60余栋" is more than 60
	end  int  // index after the unit
}

// excludedUnits mark numbers that are dates, times, ordinals or names.
var excludedUnits = newWords(
	"周年", "世纪", "季度", "小时", "分钟", "年", "月", "日", "号", "时", "分", "秒", "周",
	"届", "期", "代", "版", "点", "强", "后", "级", "星", "线", "楼", "路", "层", "度",
	"寸", "维", "环", "轴", "纵", "横", "大", "型", "岁")

// timeAfterCount make 个 a span of time: "3个月", "5个工作日".
var timeAfterCount = newWords("工作日", "小时", "季度", "星期", "阶段", "月")

// percentUnits are the units of a share or a change.
var percentUnits = newWords("个百分点", "百分点", "%", "‰")

// multipliers scale a base unit; the value stays as written ("1.2万户" is 1.2).
var multipliers = newWords("万亿", "千万", "百万", "十万", "万", "亿", "千", "百")

// countUnits count things or people.
var countUnits = newWords(
	"人次", "户次", "家次", "车次", "架次", "个", "家", "件", "项", "名", "人", "户", "栋",
	"幢", "座", "条", "处", "场", "次", "台", "辆", "艘", "架", "所", "张", "套", "间",
	"支", "部", "批", "位", "款", "只", "棵", "株", "宗", "例", "起", "种", "门", "篇",
	"册", "份", "床", "笔", "单", "艘", "列", "颗")

// amountUnits measure money, area, length, weight, energy or time to come.
var amountUnits = newWords(
	"平方公里", "平方千米", "平方米", "立方米", "千瓦时", "标准煤", "千瓦", "兆瓦", "千克",
	"吨标准煤", "公斤", "公里", "千米", "公顷", "美元", "欧元", "港元", "标箱", "微克", "毫克",
	"吨", "亩", "米", "斤",
	"元", "天", "箱")

// perUnits may follow a slash: "万元/人".
var perUnits = newWords("平方米", "立方米", "人", "户", "年", "天", "吨", "亩", "床")

// scanUnit reads the unit after a number that ends at r[i]. With cell set (a
// table cell), nothing is excluded: the number is the cell's value whatever follows.
func scanUnit(r []rune, i int, cell bool) qtyUnit {
	u := qtyUnit{kind: unitNone, a: i, b: i, skip: -1, end: i}
	j := i
	if j < len(r) && (r[j] == '余' || r[j] == '多') {
		u.more, u.skip = true, j
		j++
	}
	if !cell {
		if w := matchWords(r, j, excludedUnits); w > 0 {
			u.kind, u.b, u.end = unitExcluded, j+w, j+w
			return u
		}
		if j < len(r) && r[j] == '个' && matchWords(r, j+1, timeAfterCount) > 0 {
			u.kind, u.b, u.end = unitExcluded, j+1, j+1
			return u
		}
	}
	if w := matchWords(r, j, percentUnits); w > 0 {
		u.kind, u.b, u.end = unitPercent, j+w, j+w
		return u
	}
	if j < len(r) && r[j] == '倍' {
		u.kind, u.b, u.end = unitRatio, j+1, j+1
		return u
	}
	if w := matchWords(r, j, amountUnits); w > 0 {
		u.kind, j = unitAmount, j+w
	} else if w := matchWords(r, j, countUnits); w > 0 {
		u.kind, j = unitCount, j+w
	} else if w := matchWords(r, j, multipliers); w > 0 {
		j += w
		u.kind = unitAmount
		if !u.more && j < len(r) && (r[j] == '余' || r[j] == '多') {
			u.more, u.skip = true, j
			j++
		}
		if w := matchWords(r, j, amountUnits); w > 0 {
			j += w
		} else if w := matchWords(r, j, countUnits); w > 0 {
			u.kind, j = unitCount, j+w
		}
	} else {
		// 余 or 多 with no unit after it is not ours to read: "10多" alone.
		if u.more && !cell {
			u.more, u.skip = false, -1
			j = i
		}
		u.b, u.end = j, j
		if u.more {
			u.a = j
		}
		return u
	}
	if j+1 < len(r) && r[j] == '/' {
		if w := matchWords(r, j+1, perUnits); w > 0 {
			j += 1 + w
			u.kind = unitAmount
		}
	}
	u.b, u.end = j, j
	return u
}

// unitText returns the unit as a string without 余 or 多, or "" if none.
func unitText(r []rune, u qtyUnit) string {
	if u.a >= u.b {
		return ""
	}
	if u.skip < u.a || u.skip >= u.b {
		return string(r[u.a:u.b])
	}
	if u.skip == u.a {
		return string(r[u.a+1 : u.b])
	}
	return string(r[u.a:u.skip]) + string(r[u.skip+1:u.b])
}

// exactPow10 holds the exact powers of ten used to place a decimal point.
var exactPow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// maxNumberDigits bounds the digits of a number we read; longer runs are not figures.
const maxNumberDigits = 15

// scanNumber reads an unsigned decimal number at r[i] ("18.5", "1,100") and
// returns its value and the index after it. ok is false for digit runs too long
// to be a figure; end still moves past them. Since the mantissa has at most 15
// digits and is divided once by an exact power of ten, the value is the correctly
// rounded one that strconv.ParseFloat would give.
func scanNumber(r []rune, i int) (v float64, end int, ok bool) {
	var mant uint64
	digits, frac := 0, -1
	j := i
	for j < len(r) {
		c := r[j]
		switch {
		case isDigitRune(c):
			digits++
			if digits <= maxNumberDigits {
				mant = mant*10 + uint64(c-'0')
			}
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && j+1 < len(r) && isDigitRune(r[j+1]) && j > i:
			frac = 0
		case c == ',' && frac < 0 && j > i && isThousands(r, j):
		default:
			return finishNumber(mant, digits, frac, j)
		}
		j++
	}
	return finishNumber(mant, digits, frac, j)
}

func finishNumber(mant uint64, digits, frac, end int) (float64, int, bool) {
	if digits == 0 || digits > maxNumberDigits {
		return 0, end, false
	}
	v := float64(mant)
	if frac > 0 {
		v /= exactPow10[frac]
	}
	return v, end, true
}

// isThousands reports whether the comma at r[j] separates thousands: "1,100".
func isThousands(r []rune, j int) bool {
	if j+3 >= len(r) {
		return false
	}
	for k := j + 1; k <= j+3; k++ {
		if !isDigitRune(r[k]) {
			return false
		}
	}
	return j+4 == len(r) || !isDigitRune(r[j+4])
}

func isDigitRune(c rune) bool { return c >= '0' && c <= '9' }

func isLatinLetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isSpaceRune reports white space, including the ideographic space and zero-width
// characters that Word leaves behind.
func isSpaceRune(c rune) bool {
	return isSpace(c) || c == '\u200b' || c == '\ufeff'
}

// fold maps full-width digits, letters and signs to their ASCII forms.
func foldRune(c rune) rune {
	switch {
	case c >= '０' && c <= '９':
		return c - '０' + '0'
	case c >= 'Ａ' && c <= 'Ｚ':
		return c - 'Ａ' + 'A'
	case c >= 'ａ' && c <= 'ｚ':
		return c - 'ａ' + 'a'
	}
	switch c {
	case '．':
		return '.'
	case '％', '﹪':
		return '%'
	case '＞':
		return '>'
	case '＜':
		return '<'
	case '＝':
		return '='
	case '≧', '⩾':
		return '≥'
	case '≦', '⩽':
		return '≤'
	case '～', '〜', '∼':
		return '~'
	case '－', '−', '﹣':
		return '-'
	case '＋':
		return '+'
	case '／':
		return '/'
	}
	return c
}

// foldRunes returns s folded, without white space.
func foldRunes(s string) []rune {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if !isSpaceRune(c) {
			r = append(r, foldRune(c))
		}
	}
	return r
}

// trimBrackets removes brackets that enclose the whole of r: "（保持全市第1）".
func trimBrackets(r []rune) []rune {
	for len(r) >= 2 && closingBracket(r[0]) != 0 && r[len(r)-1] == closingBracket(r[0]) {
		r = r[1 : len(r)-1]
	}
	return r
}

// dropEmptyBrackets removes "（）" and "()" pairs left empty.
func dropEmptyBrackets(r []rune) []rune {
	out := r[:0]
	for i := 0; i < len(r); i++ {
		if i+1 < len(r) && closingBracket(r[i]) != 0 && r[i+1] == closingBracket(r[i]) {
			i++
			continue
		}
		out = append(out, r[i])
	}
	return out
}

// closingBracket returns the bracket that closes c, or 0 if c opens none.
func closingBracket(c rune) rune {
	switch c {
	case '（':
		return '）'
	case '(':
		return ')'
	case '[':
		return ']'
	case '【':
		return '】'
	case '〔':
		return '〕'
	}
	return 0
}

// wordAt reports whether w occurs in r at index i.
func wordAt(r []rune, i int, w string) bool {
	if i < 0 {
		return false
	}
	for _, c := range w {
		if i >= len(r) || r[i] != c {
			return false
		}
		i++
	}
	return true
}

// word is a word with its runes decoded once, and for a comparison word the
// operator it states.
type word struct {
	s  string
	r  []rune
	op Op
}

// words is a list of words to match, longest first where one is a prefix of
// another. The list is also kept by first and by last rune: a match at a place
// tries only the words that start (or end) with the rune found there, and most
// places start no word of a list at all, so a long list costs no more than a
// short one.
type words struct {
	list    []word
	byFirst map[rune][]word
	byLast  map[rune][]word
	// firsts and lasts have bit c%64 set for the first (last) rune c of every
	// word: a clear bit rules a place out without a map lookup.
	firsts, lasts uint64
}

func newWords(ws ...string) *words {
	out := &words{byFirst: map[rune][]word{}, byLast: map[rune][]word{}}
	for _, w := range ws {
		out.add(word{s: w, r: []rune(w)})
	}
	return out
}

func newOpWords(ops []opWord) *words {
	out := &words{byFirst: map[rune][]word{}, byLast: map[rune][]word{}}
	for _, o := range ops {
		out.add(word{s: o.w, r: []rune(o.w), op: o.op})
	}
	return out
}

func (ws *words) add(w word) {
	first, last := w.r[0], w.r[len(w.r)-1]
	ws.list = append(ws.list, w)
	ws.firsts |= 1 << (uint32(first) % 64)
	ws.lasts |= 1 << (uint32(last) % 64)
	ws.byFirst[first] = append(ws.byFirst[first], w)
	ws.byLast[last] = append(ws.byLast[last], w)
}

// runesAt reports whether w occurs in r at index i.
func runesAt(r []rune, i int, w []rune) bool {
	if i < 0 || i+len(w) > len(r) {
		return false
	}
	for k, c := range w {
		if r[i+k] != c {
			return false
		}
	}
	return true
}

// matchWord returns the first word of ws found at r[i].
func matchWord(r []rune, i int, ws *words) (word, bool) {
	if i < 0 || i >= len(r) || ws.firsts&(1<<(uint32(r[i])%64)) == 0 {
		return word{}, false
	}
	for _, w := range ws.byFirst[r[i]] {
		if runesAt(r, i, w.r) {
			return w, true
		}
	}
	return word{}, false
}

// matchWords returns the length in runes of the first word of ws found at r[i],
// 0 if none.
func matchWords(r []rune, i int, ws *words) int {
	w, _ := matchWord(r, i, ws)
	return len(w.r)
}

// endingWord returns the first word of ws that r[a:b] ends with.
func endingWord(r []rune, a, b int, ws *words) (word, bool) {
	if b <= a || b < 1 || b > len(r) || ws.lasts&(1<<(uint32(r[b-1])%64)) == 0 {
		return word{}, false
	}
	for _, w := range ws.byLast[r[b-1]] {
		if n := len(w.r); b-n >= a && runesAt(r, b-n, w.r) {
			return w, true
		}
	}
	return word{}, false
}

// endWord returns the first word of ws that r[a:b] ends with, and its length in
// runes; "" and 0 if none.
func endWord(r []rune, a, b int, ws *words) (string, int) {
	w, _ := endingWord(r, a, b, ws)
	return w.s, len(w.r)
}

// endsWithWord reports whether r ends with one of ws.
func endsWithWord(r []rune, ws *words) bool {
	_, n := endWord(r, 0, len(r), ws)
	return n > 0
}

// indexWord returns the first index of w in r[from:to], -1 if none.
func indexWord(r []rune, from, to int, w string) int {
	first, _ := utf8.DecodeRuneInString(w)
	for i := from; i < to; i++ {
		if r[i] == first && wordAt(r[:to], i, w) {
			return i
		}
	}
	return -1
}
