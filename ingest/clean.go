package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Export artefacts that carry no meaning: bookmarks written out by Word's text
// export ("[bookmark: _GoBack]") and footnote reference marks ("[[3]]", "[3]", or a
// bracketed replacement character where the reference was an embedded object).
var (
	bookmarkRE = regexp.MustCompile(`\[bookmark:[^\]]*\]`)
	footRefRE  = regexp.MustCompile(`\[\[\d{1,4}\]\]|\[\d{1,4}\]|\[\x{FFFD}*\]`)
)

// cleanText removes export artefacts and trims white space, including the
// ideographic space.
func cleanText(s string) string {
	if strings.IndexByte(s, '[') >= 0 {
		if strings.Contains(s, "[bookmark:") {
			s = bookmarkRE.ReplaceAllString(s, "")
		}
		s = footRefRE.ReplaceAllString(s, "")
	}
	return trimSpace(s)
}

// trimSpace is strings.TrimSpace, which on text that starts with a Chinese
// character leaves its ASCII path for strings.TrimFunc and a call through a
// function value per character.
func trimSpace(s string) string {
	for s != "" {
		c, n := utf8.DecodeRuneInString(s)
		if !isSpace(c) {
			break
		}
		s = s[n:]
	}
	for s != "" {
		c, n := utf8.DecodeLastRuneInString(s)
		if !isSpace(c) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// isSpace is unicode.IsSpace, with a quick answer for the Chinese characters that
// make up most of the text: no white space lies above the ideographic space U+3000.
func isSpace(c rune) bool { return c <= '\u3000' && unicode.IsSpace(c) }

// removeSpaces drops every space inside s: names padded for alignment ("陈  平")
// and numbers set apart ("增长 6%") read the same without them.
func removeSpaces(s string) string {
	if !hasSpace(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
}

// hasSpace reports whether s holds white space.
func hasSpace(s string) bool {
	for _, c := range s {
		if isSpace(c) {
			return true
		}
	}
	return false
}

// joinLines joins the lines of a cell without separator, as Chinese text wrapped
// in a narrow column reads as one line.
func joinLines(s string) string {
	if !strings.Contains(s, "\n") {
		return trimSpace(s)
	}
	parts := strings.Split(s, "\n")
	for i := range parts {
		parts[i] = trimSpace(parts[i])
	}
	return strings.Join(parts, "")
}

// runeLen is the length of s in characters.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// optString returns nil for an empty string.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// foldPunct writes the half-width punctuation of a paragraph in its full-width
// form, as Chinese text sets it: ( ) always, and , : ; except between two
// digits ("1,100", "10:30"). Web pages and some exports write the half-width
// forms; the rules read only the full-width ones.
func foldPunct(s string) string {
	if !needsFold(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '.':
			// A full stop written as ".": after a character that is not a
			// digit or a Latin letter, at the end or before a space or a
			// Chinese character ("增长8%以上." "比重47.1%. 发改委").
			if i > 0 && !isDigitByte(s[i-1]) && !isASCIILetter(s[i-1]) && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] >= 0x80) {
				b.WriteString("。")
				continue
			}
			b.WriteByte(c)
		case '(':
			b.WriteString("（")
		case ')':
			b.WriteString("）")
		case ',', ':', ';':
			if i > 0 && isDigitByte(s[i-1]) && i+1 < len(s) && isDigitByte(s[i+1]) {
				b.WriteByte(c)
				continue
			}
			if c == ':' && i+2 < len(s) && s[i+1] == '/' && s[i+2] == '/' {
				b.WriteByte(c) // a web address
				continue
			}
			b.WriteString(map[byte]string{',': "，", ':': "：", ';': "；"}[c])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// needsFold reports whether foldPunct would change s: most text holds no
// half-width punctuation, or only the "." of "1." and "5.5%".
func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', ')', ',', ':', ';':
			return true
		case '.':
			if i > 0 && !isDigitByte(s[i-1]) && !isASCIILetter(s[i-1]) && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] >= 0x80) {
				return true
			}
		}
	}
	return false
}
