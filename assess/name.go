package assess

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizeName returns the key under which an indicator is matched across
// documents and years, so that "地区生产总值（GDP）增速" in a plan report's table
// and "地区生产总值增长" in a work report meet under one key, 地区生产总值. The
// rules, applied until nothing changes:
//   - white space and zero-width characters go; full-width letters, digits and
//     signs count as ASCII ("（" as "("); Latin letters are lower-cased;
//   - bracketed parts go with their brackets: "（GDP）", "（助理）", "【注】";
//     a bracket left without its partner goes alone;
//   - quotes and punctuation go ("“小升规”", "、"), but ".", "%", "/", "+" and
//     "-" stay inside a name ("PM2.5", "万元/人");
//   - two official synonyms are unified: GDP is 地区生产总值, and 利用外资 is
//     使用外资 (the name in use since 2020);
//   - a leading scope or year goes: 全区, 全县, 全市, 全省, 全年, 全社会, 我区,
//     本县…, "2021年", and the own level 区级, 县级, 本级 (not 区级以上);
//   - a trailing word for a change goes: 增速, 增长, 增幅, 增长率, 年均增长,
//     同比增长, 比上年增长 (the measure is matched separately);
//   - 新增 is moved to the front, so "城镇新增就业" and "新增城镇就业" agree.
//
// A word is taken off only when at least two characters remain. The result is
// valid UTF-8 without white space, and NormalizeName of it is itself.
func NormalizeName(s string) string {
	for range 32 {
		n := normalizePass(s)
		if n == s {
			break
		}
		s = n
	}
	return s
}

// looseName applies the first steps of NormalizeName only (folding, brackets,
// punctuation, synonyms), so that a name can be looked for inside a sentence.
func looseName(s string) string {
	return unifySynonyms(dropPunct(dropBrackets(foldName(s))))
}

func normalizePass(s string) string {
	s = looseName(s)
	s = trimScope(s)
	s = trimChange(s)
	return frontNew(s)
}

// foldName drops white space and control characters, folds full-width ASCII and
// lower-cases Latin letters. Invalid bytes become U+FFFD.
func foldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch {
		case unicode.IsSpace(c), unicode.IsControl(c), c == '\u200b', c == '\u200c', c == '\u200d', c == '\ufeff', c == '\u00ad':
			continue
		case c >= '！' && c <= '～':
			c -= '！' - '!'
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isOpenBracket(c rune) bool {
	switch c {
	case '(', '[', '{', '【', '〔', '〖', '［', '｛', '⟨', '〘':
		return true
	}
	return false
}

func isCloseBracket(c rune) bool {
	switch c {
	case ')', ']', '}', '】', '〕', '〗', '］', '｝', '⟩', '〙':
		return true
	}
	return false
}

// dropBrackets removes every bracketed part, nested or not, with its brackets,
// and any bracket left without its partner.
func dropBrackets(s string) string {
	r := []rune(s)
	drop := make([]bool, len(r))
	var open []int
	for i, c := range r {
		switch {
		case isOpenBracket(c):
			open = append(open, i)
		case isCloseBracket(c):
			if len(open) == 0 {
				drop[i] = true
				continue
			}
			start := open[len(open)-1]
			open = open[:len(open)-1]
			for k := start; k <= i; k++ {
				drop[k] = true
			}
		}
	}
	for _, i := range open {
		drop[i] = true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, c := range r {
		if !drop[i] {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// keptSigns are the signs that belong to a name; they stay inside it but not at
// its ends.
func isKeptSign(c rune) bool {
	switch c {
	case '.', '%', '/', '+', '-', '‰':
		return true
	}
	return false
}

// dropPunct removes quotes, punctuation and symbols except the signs a name
// may hold, and trims those signs from both ends.
func dropPunct(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		if (unicode.IsPunct(c) || unicode.IsSymbol(c)) && !isKeptSign(c) {
			continue
		}
		b.WriteRune(c)
	}
	return strings.TrimFunc(b.String(), isKeptSign)
}

// synonyms are names that official usage treats as one indicator.
var synonyms = strings.NewReplacer("gdp", "地区生产总值", "利用外资", "使用外资")

func unifySynonyms(s string) string { return synonyms.Replace(s) }

// scopeWords open a name without changing what it measures.
var scopeWords = []string{
	"全社会", "全区", "全县", "全市", "全省", "全州", "全旗", "全镇", "全年",
	"我区", "我县", "我市", "本区", "本县", "本市",
}

// levelWords name the document's own level of government.
var levelWords = []string{"区级", "县级", "本级"}

// trimScope removes leading scope words, levels and a leading year.
func trimScope(s string) string {
	for {
		n := trimScopeOnce(s)
		if n == s {
			return s
		}
		s = n
	}
}

func trimScopeOnce(s string) string {
	for _, w := range scopeWords {
		if rest, ok := strings.CutPrefix(s, w); ok && enough(rest) {
			return rest
		}
	}
	for _, w := range levelWords {
		if rest, ok := strings.CutPrefix(s, w); ok && enough(rest) && !strings.HasPrefix(rest, "以") {
			return rest
		}
	}
	if len(s) > 4 && isASCIIDigits(s[:4]) {
		if rest, ok := strings.CutPrefix(s[4:], "年"); ok && enough(rest) {
			return rest
		}
	}
	return s
}

func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// changeWords close a name with the measure of a change, longest first.
var changeWords = []string{"比上年增长", "同比增长", "年均增长", "年均增速", "增长率", "增速", "增幅", "增长"}

// trimChange removes trailing words for a change.
func trimChange(s string) string {
	for {
		cut := false
		for _, w := range changeWords {
			if rest, ok := strings.CutSuffix(s, w); ok && enough(rest) {
				s, cut = rest, true
				break
			}
		}
		if !cut {
			return s
		}
	}
}

// frontNew moves every 新增 in s to a single one at the front.
func frontNew(s string) string {
	const w = "新增"
	if !strings.Contains(s, w) || (strings.HasPrefix(s, w) && strings.Count(s, w) == 1) {
		return s
	}
	return w + strings.ReplaceAll(s, w, "")
}

// enough reports whether s keeps at least two characters.
func enough(s string) bool { return utf8.RuneCountInString(s) >= 2 }
