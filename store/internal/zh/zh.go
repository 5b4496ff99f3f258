package zh

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"duban"
)

// Tokens are the index terms of a text.
type Tokens struct {
	// Sequence holds the overlapping bigrams of every run of Han characters
	// and the lower-case words of letters and digits, in reading order, so
	// that a query's bigrams can be matched as a phrase.
	Sequence []string
	// Ends holds, once each, the Han characters that end a run ("业" of
	// "金融业"). Every other character of a run begins a bigram, so the
	// bigrams and Ends together hold each Han character of the text at the
	// start of a token: a one-character query is a prefix query (Term.Prefix).
	// An index holding every distinct character instead, as duban's did
	// before, answers the same queries.
	Ends []string
}

// TaskText is what the search index holds of a task, to Tokenize: its
// section, content and note, and the names of its leaders and units.
func TaskText(t *duban.Task) []string {
	return []string{t.Section, t.Subsection, t.Content, t.Note,
		strings.Join(t.Leaders, " "), strings.Join(t.LeadUnits, " "), strings.Join(t.ResponsibleUnits, " ")}
}

// Tokenize returns the index terms of texts, read one after another. The
// terms are substrings of one string per run, not a string each.
func Tokenize(texts ...string) Tokens {
	var tk Tokens
	var seen map[rune]bool
	for _, text := range texts {
		scan(text, func(run []rune, han bool) {
			s := string(run)
			if !han {
				tk.Sequence = append(tk.Sequence, s)
				return
			}
			at := 0 // where run[i] starts in s
			for i, r := range run[:len(run)-1] {
				n := utf8.RuneLen(r)
				tk.Sequence = append(tk.Sequence, s[at:at+n+utf8.RuneLen(run[i+1])])
				at += n
			}
			if last := run[len(run)-1]; !seen[last] {
				if seen == nil {
					seen = make(map[rune]bool)
				}
				seen[last] = true
				tk.Ends = append(tk.Ends, s[at:])
			}
		})
	}
	return tk
}

// maxTerms bounds the terms of a query: a pasted paragraph must not become a
// query of hundreds of phrases.
const maxTerms = 16

// A Term is a query part that must appear in the text: one token, or several
// tokens that must appear consecutively (the bigrams of "金融业").
type Term struct {
	Tokens []string
	// Prefix marks a single Han character, found as the first character of
	// any token: a bigram or an end of a run (Tokens.Ends).
	Prefix bool
}

// Query returns the terms of a search query, tokenised like the index: a run
// of two or more Han characters becomes the phrase of its bigrams, a single
// Han character a prefix term, and a word a one-token term. It returns nil
// when q has nothing to search for.
func Query(q string) []Term {
	var terms []Term
	scan(q, func(run []rune, han bool) {
		if len(terms) >= maxTerms {
			return
		}
		if !han || len(run) == 1 {
			terms = append(terms, Term{Tokens: []string{string(run)}, Prefix: han})
			return
		}
		var t Term
		for i := 0; i+1 < len(run); i++ {
			t.Tokens = append(t.Tokens, string(run[i:i+2]))
		}
		terms = append(terms, t)
	})
	return terms
}

// scan calls emit for each run of Han characters and each word of other
// letters and digits in s, after folding full-width forms to ASCII and
// letters to lower case. Everything else separates runs.
func scan(s string, emit func(run []rune, han bool)) {
	var run []rune
	runHan := false
	flush := func() {
		if len(run) > 0 {
			emit(run, runHan)
			run = nil
		}
	}
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII: ＧＤＰ, ５
			r -= 0xFEE0
		}
		switch {
		case isHan(r):
			if !runHan {
				flush()
			}
			runHan = true
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if runHan {
				flush()
			}
			runHan = false
			run = append(run, unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
}

// isHan reports whether r is a Han character, without a table search for the
// common cases: the CJK Unified Ideographs block, and anything below the
// first Han block.
func isHan(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	case r < 0x2E80:
		return false
	}
	return unicode.Is(unicode.Han, r)
}

// SectionOrder returns the ordinal of a numbered section heading: 12 for
// "十二、民生保障", 3 for "（三）…", "第三章…" or "3. …". A heading without a
// number gets fallback, which callers choose above any real ordinal so that
// such sections follow the numbered ones in the order first seen.
func SectionOrder(section string, fallback int) int {
	s := strings.TrimSpace(section)
	s = strings.TrimLeft(s, "（(第")
	if n, size := arabic(s); size > 0 {
		return n
	}
	if n, size := chinese(s); size > 0 {
		return n
	}
	return fallback
}

func arabic(s string) (n, size int) {
	for size < len(s) && size < 4 && s[size] >= '0' && s[size] <= '9' {
		n = n*10 + int(s[size]-'0')
		size++
	}
	return n, size
}

var digits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chinese reads a numeral below 100 written in Chinese at the start of s.
func chinese(s string) (n, size int) {
	cur := -1 // the digit read but not yet placed
	for size < len(s) {
		r, w := utf8.DecodeRuneInString(s[size:])
		if d, ok := digits[r]; ok {
			cur = d
		} else if r == '十' {
			if cur < 0 {
				cur = 1
			}
			n += cur * 10
			cur = -1
		} else {
			break
		}
		size += w
	}
	if cur > 0 {
		n += cur
	}
	return n, size
}
