package docx

import (
	"math"
	"strings"
)

// Orientation is the way a section's pages are turned.
type Orientation int

const (
	// Portrait is A4 upright, 210 mm wide: the default.
	Portrait Orientation = iota
	// Landscape is A4 turned, 297 mm wide, for wide tables (横排表格).
	Landscape
)

// twips converts millimetres to twips (1/20 pt, 1/1440 inch), the unit of page
// geometry in WordprocessingML.
func twips(mm float64) int {
	return int(math.Round(mm * 1440 / 25.4))
}

// The layout of GB/T 9704 (5.2.2): 22 lines of 28 characters in the 156 × 225 mm
// type area, for body text in 三号 (16 pt). It is made with a fixed line height
// and a slightly tightened letter spacing rather than with Word's character
// grid (w:docGrid type "linesAndChars"), which LibreOffice lays out with half as
// many characters to a line.
const (
	linesPerPage = 22
	charsPerLine = 28
	bodySizePt   = 16
)

var (
	// linePitch is the fixed line height of body text: 225 mm / 22 ≈ 28.95 pt.
	linePitch = twips(225) / linesPerPage
	// charPitch is the room of one character on a line: 156 mm / 28 ≈ 15.8 pt,
	// a little less than the 16 pt of the font. Indents of "two characters" use it.
	charPitch = float64(twips(156)) / charsPerLine
	// letterSpacing tightens 三号 text so that 28 characters fit a line: the
	// difference between charPitch and the font size, rounded down to 1/20 pt
	// (w:spacing), here -0.25 pt.
	letterSpacing = int(math.Floor((charPitch/20 - bodySizePt) * 20))
)

// chars converts a length in characters of body text (charPitch) to twips.
func chars(n float64) int {
	return int(math.Round(n * charPitch))
}

// page is the geometry of one section's pages, in twips.
type page struct {
	width, height            int
	top, bottom, left, right int // margins
	orientation              Orientation
}

// pageFor returns the page of an orientation. The landscape page keeps the
// portrait margins where they are on the sheet, which the reader turns a quarter
// clockwise: the portrait left margin becomes the top one, so the top of a wide
// table lies along the binding edge (GB/T 9704 10.2: 表头在订口一边).
func pageFor(o Orientation) page {
	p := page{
		width: twips(210), height: twips(297),
		top: twips(37), bottom: twips(35), left: twips(28), right: twips(26),
		orientation: Portrait,
	}
	if o == Landscape {
		p = page{
			width: p.height, height: p.width,
			top: p.left, bottom: p.right, left: p.bottom, right: p.top,
			orientation: Landscape,
		}
	}
	return p
}

// textWidth returns the width of the type area.
func (p page) textWidth() int { return p.width - p.left - p.right }

// footerLine is the line height of the page number, 16 pt for 四号 (14 pt) digits.
const footerLine = 320

// footerDistance returns w:footer, the distance from the bottom of the sheet to
// the bottom of the footer: the page number's line starts 7 mm below the type
// area (GB/T 9704 7.5: 一字线上距版心下边缘7mm).
func (p page) footerDistance() int {
	return p.bottom - twips(7) - footerLine
}

// The relationship IDs of the two footers, named in word/_rels/document.xml.rels.
const (
	footerOddID  = "rIdFooterOdd"
	footerEvenID = "rIdFooterEven"
)

// writeSectPr writes the w:sectPr of a section: both footers, the page and the
// margins. w:docGrid only records the line pitch for Word's page setup dialog;
// it turns no grid on.
func writeSectPr(b *strings.Builder, p page) {
	b.WriteString("<w:sectPr>")
	b.WriteString(`<w:footerReference w:type="default" r:id="` + footerOddID + `"/>`)
	b.WriteString(`<w:footerReference w:type="even" r:id="` + footerEvenID + `"/>`)
	b.WriteString(`<w:pgSz w:w="` + itoa(p.width) + `" w:h="` + itoa(p.height) + `"`)
	if p.orientation == Landscape {
		b.WriteString(` w:orient="landscape"`)
	}
	b.WriteString("/>")
	b.WriteString(`<w:pgMar w:top="` + itoa(p.top) + `" w:right="` + itoa(p.right) +
		`" w:bottom="` + itoa(p.bottom) + `" w:left="` + itoa(p.left) +
		`" w:header="` + itoa(twips(15)) + `" w:footer="` + itoa(p.footerDistance()) + `" w:gutter="0"/>`)
	b.WriteString(`<w:docGrid w:linePitch="` + itoa(linePitch) + `"/>`)
	b.WriteString("</w:sectPr>")
}

// footerXML returns a footer part holding the page number "— n —" in the
// official style: 宋体 四号 with half-width digits, one character in from the
// right edge of the type area on odd pages and from the left on even pages
// (GB/T 9704 7.5: 单页码居右空一字，双页码居左空一字).
func footerXML(fonts Fonts, odd bool) string {
	f := textFormat(fonts.PageNumber, fonts.Latin, SizeNo4, false)
	one := itoa(int(SizeNo4) * 10) // one 四号 character, in twips
	props := `<w:ind w:left="` + one + `" w:leftChars="100"/><w:jc w:val="left"/>`
	if odd {
		props = `<w:ind w:right="` + one + `" w:rightChars="100"/><w:jc w:val="right"/>`
	}
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">`)
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Footer"/>` + props)
	writeRunProps(&b, f)
	b.WriteString("</w:pPr>")
	writeRun(&b, f, "— ")
	b.WriteString(`<w:fldSimple w:instr=" PAGE ">`)
	writeRun(&b, f, "1")
	b.WriteString("</w:fldSimple>")
	writeRun(&b, f, " —")
	b.WriteString("</w:p></w:ftr>")
	return b.String()
}
