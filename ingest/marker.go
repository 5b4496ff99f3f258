package ingest

import (
	"strings"
	"unicode/utf8"
)

// markerKind is the style of an item's number. Documents nest them in a fixed
// order: 一、 then （一） then 1. then （1） then ①.
type markerKind int

const (
	markNone       markerKind = iota
	markHanComma              // 一、
	markHanParen              // （一）
	markDigitDot              // 1. 1． 1、
	markDigitParen            // （1） (1) 1）
	markCircled               // ①
)

// marker is the number that opens a paragraph.
type marker struct {
	kind markerKind
	n    int
	size int // bytes of the number and the spaces after it
	// digitAfter is set when a digit follows "N." directly ("3.5G基站"): a
	// number only where the numbering expects N.
	digitAfter bool
}

// readMarker reads the item number that opens s, if any.
func readMarker(s string) marker {
	if s == "" {
		return marker{}
	}
	c, size := utf8.DecodeRuneInString(s)
	switch {
	case c >= '①' && c <= '⑳':
		return marker{kind: markCircled, n: int(c-'①') + 1, size: size + spacesAt(s[size:])}
	case c == '（' || c == '(':
		inner := s[size:]
		if n, k := hanNumeralPrefix(inner); k > 0 {
			if cl := closeParenAt(inner[k:]); cl > 0 {
				end := size + k + cl
				return marker{kind: markHanParen, n: n, size: end + spacesAt(s[end:])}
			}
		}
		if n, k := digitPrefix(inner); k > 0 && k <= 3 {
			if cl := closeParenAt(inner[k:]); cl > 0 {
				end := size + k + cl
				return marker{kind: markDigitParen, n: n, size: end + spacesAt(s[end:])}
			}
		}
		return marker{}
	case c >= '0' && c <= '9':
		n, k := digitPrefix(s)
		if k > 3 {
			return marker{}
		}
		rest := s[k:]
		if cl := closeParenAt(rest); cl > 0 {
			end := k + cl
			return marker{kind: markDigitParen, n: n, size: end + spacesAt(s[end:])}
		}
		for _, sep := range []string{".", "．", "﹒", "、"} {
			if strings.HasPrefix(rest, sep) {
				end := k + len(sep)
				sp := spacesAt(s[end:])
				m := marker{kind: markDigitDot, n: n, size: end + sp}
				if end+sp < len(s) && isDigitByte(s[end+sp]) {
					if sep == "、" {
						return marker{} // "1、2号线" is a list
					}
					m.digitAfter = true
				}
				return m
			}
		}
		return marker{}
	}
	if n, k := hanNumeralPrefix(s); k > 0 && strings.HasPrefix(s[k:], "、") {
		end := k + len("、")
		return marker{kind: markHanComma, n: n, size: end + spacesAt(s[end:])}
	}
	return marker{}
}

// hanNumeralPrefix reads a Chinese numeral up to 九十九 opening s.
func hanNumeralPrefix(s string) (n, size int) {
	i := 0
	for i < len(s) {
		c, sz := utf8.DecodeRuneInString(s[i:])
		if c != '十' && c != '〇' && c != '零' && hanDigit(c) == 0 {
			break
		}
		i += sz
		if i > 3*len("十") {
			return 0, 0
		}
	}
	if i == 0 {
		return 0, 0
	}
	n = hanNumber(s[:i])
	if n == 0 {
		return 0, 0
	}
	return n, i
}

// digitPrefix reads ASCII digits opening s.
func digitPrefix(s string) (n, size int) {
	for size < len(s) && isDigitByte(s[size]) {
		n = n*10 + int(s[size]-'0')
		size++
	}
	return n, size
}

// closeParenAt returns the length of a closing parenthesis opening s, 0 if none.
func closeParenAt(s string) int {
	switch {
	case strings.HasPrefix(s, "）"):
		return len("）")
	case strings.HasPrefix(s, ")"):
		return 1
	}
	return 0
}

// spacesAt returns the length of the white space opening s.
func spacesAt(s string) int {
	i := 0
	for i < len(s) {
		c, size := utf8.DecodeRuneInString(s[i:])
		if !isSpace(c) {
			break
		}
		i += size
	}
	return i
}
