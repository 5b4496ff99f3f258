package docx

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The namespaces of WordprocessingML and of the package relationships.
const (
	nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// xmlHeader starts every XML part.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// cleanText makes s safe to put into XML 1.0: invalid UTF-8 and the characters
// XML cannot hold (control characters other than tab and newline, surrogates,
// U+FFFE and U+FFFF) are dropped, and "\r\n" and "\r" become "\n".
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r != utf8.RuneError || size > 1) && xmlChar(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// xmlChar reports whether r is a Char of XML 1.0 (its production [2]).
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false // surrogates
	case r <= 0xFFFD:
		return true
	case r < 0x10000:
		return false // U+FFFE and U+FFFF
	default:
		return r <= 0x10FFFF
	}
}

var xmlEscaper = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	`"`, "&quot;",
	"'", "&apos;",
	"\t", "&#x9;",
	"\n", "&#xA;",
)

// esc cleans s and escapes it for XML text or a quoted attribute value.
func esc(s string) string {
	return xmlEscaper.Replace(cleanText(s))
}

// attr writes ` name="value"` with value escaped.
func attr(b *strings.Builder, name, value string) {
	b.WriteString(" ")
	b.WriteString(name)
	b.WriteString(`="`)
	b.WriteString(esc(value))
	b.WriteString(`"`)
}

// itoa is strconv.Itoa, short for the many numeric attributes.
func itoa(n int) string { return strconv.Itoa(n) }

// runFormat is how a run of text looks: its fonts, size, weight and letter
// spacing.
type runFormat struct {
	font    string // East Asian font (w:eastAsia)
	latin   string // font for Latin letters and digits (w:ascii, w:hAnsi); empty means font
	size    Size
	bold    bool
	color   string // RRGGBB (w:color); empty means automatic
	spacing int    // letter spacing in 1/20 pt (w:spacing), negative to tighten
}

// textFormat returns the format of text in font at size. 三号 text, which fills
// the 28-character lines, gets the tightened letterSpacing.
func textFormat(font, latin string, size Size, bold bool) runFormat {
	f := runFormat{font: font, latin: latin, size: size, bold: bold}
	if size == SizeNo3 {
		f.spacing = letterSpacing
	}
	return f
}

// latinFont returns the font for Latin letters and digits.
func (f runFormat) latinFont() string {
	if f.latin == "" {
		return f.font
	}
	return f.latin
}

// writeRunProps writes w:rPr. The hint makes Word draw the characters that both
// scripts share, such as “” — …, with the East Asian font, as Chinese text wants.
func writeRunProps(b *strings.Builder, f runFormat) {
	latin := f.latinFont()
	b.WriteString("<w:rPr><w:rFonts")
	attr(b, "w:ascii", latin)
	attr(b, "w:hAnsi", latin)
	attr(b, "w:eastAsia", f.font)
	attr(b, "w:cs", latin)
	b.WriteString(` w:hint="eastAsia"/>`)
	if f.bold {
		b.WriteString("<w:b/><w:bCs/>")
	}
	if f.color != "" {
		b.WriteString(`<w:color w:val="` + f.color + `"/>`)
	}
	if f.spacing != 0 {
		b.WriteString(`<w:spacing w:val="` + itoa(f.spacing) + `"/>`)
	}
	sz := itoa(int(f.size))
	b.WriteString(`<w:sz w:val="` + sz + `"/><w:szCs w:val="` + sz + `"/></w:rPr>`)
}

// writeRun writes text as one w:r: tabs become w:tab and newlines w:br. It
// writes nothing for empty text.
func writeRun(b *strings.Builder, f runFormat, text string) {
	text = cleanText(text)
	if text == "" {
		return
	}
	b.WriteString("<w:r>")
	writeRunProps(b, f)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString("<w:tab/>")
			}
			if part != "" {
				b.WriteString(`<w:t xml:space="preserve">` + esc(part) + "</w:t>")
			}
		}
	}
	b.WriteString("</w:r>")
}

// writeParagraph writes one w:p in the given style holding text in one run.
// props are more paragraph properties, already XML, in the schema's order after
// w:pStyle (w:keepNext … w:spacing, w:ind, w:jc). The paragraph mark gets the
// run's format too, so an empty paragraph is as tall as a full one.
func writeParagraph(b *strings.Builder, style, props string, f runFormat, text string) {
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
	b.WriteString(props)
	writeRunProps(b, f)
	b.WriteString("</w:pPr>")
	writeRun(b, f, text)
	b.WriteString("</w:p>")
}

// splitLines cleans s and splits it at newlines; an empty s gives one empty line.
func splitLines(s string) []string {
	return strings.Split(cleanText(s), "\n")
}
