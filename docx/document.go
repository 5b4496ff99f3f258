package docx

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Size is a font size in half-points, the unit of w:sz.
type Size int

// The Chinese font sizes (字号) that official documents use.
const (
	SizeSmallNo0 Size = 72 // 小初, 36 pt: the masthead (发文机关标志)
	SizeNo2      Size = 44 // 二号, 22 pt: the title
	SizeNo3      Size = 32 // 三号, 16 pt: body text, headings, signature
	SizeNo4      Size = 28 // 四号, 14 pt: page numbers
	SizeSmallNo4 Size = 24 // 小四, 12 pt: tables, the default
	SizeNo5      Size = 21 // 五号, 10.5 pt: dense tables
	SizeSmallNo5 Size = 18 // 小五, 9 pt: the densest tables
)

// Fonts names the fonts of a document by their role. The defaults are the fonts
// of GB/T 9704, which Chinese government machines have. Free stand-ins for
// machines without them: "Noto Serif CJK SC" (or "Noto Serif SC") for Title,
// Body and PageNumber, "Noto Sans CJK SC" (or "Noto Sans SC") for Heading1, and
// "LXGW WenKai" for Heading2.
type Fonts struct {
	// Title is the font of the title: 方正小标宋简体 by default.
	Title string
	// Heading1 is the font of level-1 headings and table header rows: 黑体.
	Heading1 string
	// Heading2 is the font of level-2 headings and subtitles: 楷体_GB2312.
	Heading2 string
	// Body is the font of body text, level-3 headings, tables, document
	// numbers and the signature: 仿宋_GB2312.
	Body string
	// PageNumber is the font of the page numbers: 宋体.
	PageNumber string
	// Latin, if set, is the font of Latin letters and digits everywhere, such as
	// "Times New Roman". Empty means each run's own font, whose digits are
	// half-width, as official documents want.
	Latin string
}

// DefaultFonts are the fonts of GB/T 9704.
var DefaultFonts = Fonts{
	Title:      "方正小标宋简体",
	Heading1:   "黑体",
	Heading2:   "楷体_GB2312",
	Body:       "仿宋_GB2312",
	PageNumber: "宋体",
}

// Options are the settings of a new document.
type Options struct {
	// Title is the document's title in its properties (docProps/core.xml); it
	// does not appear on the page.
	Title string
	// Creator is the author in the document's properties, e.g. "区政府督查室".
	Creator string
	// Created is the creation (and last modification) time in the document's
	// properties. The zero time leaves both out.
	Created time.Time
	// Fonts names the fonts; empty fields take DefaultFonts.
	Fonts Fonts
}

// Document is a Word document being built; make one with New. Its methods add
// blocks (paragraphs, tables, breaks) in reading order; WriteTo writes it, as
// often as wanted.
//
// The adding methods return no error: the first mistake, such as a heading
// level out of range or a table whose cells do not fill its columns, is kept
// and returned by WriteTo, and the block in error is left out.
type Document struct {
	opts Options
	// body is the XML of the blocks added so far, without the final w:sectPr.
	body strings.Builder
	// orientation is that of the section being added to.
	orientation Orientation
	// endsWithTable is true when the last block added is a table, after which
	// Word wants a paragraph before a section ends.
	endsWithTable bool
	tables        int // tables added, to name one in an error
	err           error
}

// New returns an empty document with the given options. The first section is
// portrait.
func New(opts Options) *Document {
	f := &opts.Fonts
	setDefault(&f.Title, DefaultFonts.Title)
	setDefault(&f.Heading1, DefaultFonts.Heading1)
	setDefault(&f.Heading2, DefaultFonts.Heading2)
	setDefault(&f.Body, DefaultFonts.Body)
	setDefault(&f.PageNumber, DefaultFonts.PageNumber)
	return &Document{opts: opts}
}

// setDefault sets *s to def when it is empty.
func setDefault(s *string, def string) {
	if *s == "" {
		*s = def
	}
}

// fail keeps the first error for WriteTo.
func (d *Document) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// format returns the run format of a font at a size.
func (d *Document) format(font string, size Size, bold bool) runFormat {
	return textFormat(font, d.opts.Fonts.Latin, size, bold)
}

// paragraph adds a paragraph block; newlines in text become line breaks.
func (d *Document) paragraph(style, props string, f runFormat, text string) {
	writeParagraph(&d.body, style, props, f, text)
	d.endsWithTable = false
}

// Title adds the document's title (标题): 方正小标宋简体 二号, centred, with a
// blank line after it. A newline in text breaks the title into lines; GB/T 9704
// wants long titles broken where the sense allows, in a trapezoid or diamond.
func (d *Document) Title(text string) {
	d.paragraph("Title", "", d.format(d.opts.Fonts.Title, SizeNo2, false), text)
}

// red is the red of mastheads and separator lines (GB/T 9704 7.2.2, 7.2.5).
const red = "FF0000"

// Masthead adds the issuing authority's mark (发文机关标志), such as "督查通报"
// or "渝中区人民政府督查室文件": red, centred, in the title font (方正小标宋简体)
// 小初. A newline breaks it into lines.
func (d *Document) Masthead(text string) {
	f := d.format(d.opts.Fonts.Title, SizeSmallNo0, false)
	f.color = red
	d.paragraph("Masthead", "", f, text)
}

// IssueLine adds the line under a masthead with left flush left and right
// flush right, such as "区政府督查室" and "2024年11月18日", in 仿宋_GB2312 三号,
// and under it the red separator line (版头中的分隔线, GB/T 9704 7.2.5) as the
// paragraph's bottom border, as wide as the type area.
func (d *Document) IssueLine(left, right string) {
	f := d.format(d.opts.Fonts.Body, SizeNo3, false)
	d.paragraph("IssueLine", "", f, cleanLine(left)+"\t"+cleanLine(right))
}

// Recipient adds the main recipients (主送机关), flush left under the title and
// ended by a full-width colon: "各街道办事处，区政府各部门，有关单位：".
func (d *Document) Recipient(text string) {
	d.paragraph("Recipient", "", d.format(d.opts.Fonts.Body, SizeNo3, false), cleanLine(text))
}

// ClosingParagraph adds body text like Paragraph that stays on the page of
// what follows: written before Signature, it keeps the signature and date from
// standing alone on a page (GB/T 9704 7.3.5). Newlines start paragraphs, each
// kept with the next.
func (d *Document) ClosingParagraph(text string) {
	f := d.format(d.opts.Fonts.Body, SizeNo3, false)
	for _, line := range splitLines(text) {
		d.paragraph("BodyText", "<w:keepNext/>", f, line)
	}
}

// AnnexList adds the list of annexes (附件说明, GB/T 9704 7.3.4) after the
// text: "附件：1．title", each further title under the first, numbered from 1,
// kept with what follows (the signature). One annex goes unnumbered.
func (d *Document) AnnexList(titles []string) {
	f := d.format(d.opts.Fonts.Body, SizeNo3, false)
	for i, t := range titles {
		text := cleanLine(t)
		if len(titles) > 1 {
			text = itoa(i+1) + "．" + text
		}
		prefix := "附件："
		if i > 0 {
			prefix = "　　　"
		}
		d.paragraph("BodyText", "<w:keepNext/>", f, prefix+text)
	}
}

// AnnexHeading adds the label on the first page of an annex, such as "附件2":
// 黑体 三号, flush left on the first line (GB/T 9704 8).
func (d *Document) AnnexHeading(text string) {
	d.paragraph("AnnexHeading", "", d.format(d.opts.Fonts.Heading1, SizeNo3, false), cleanLine(text))
}

// Colophon adds the colophon (版记, GB/T 9704 7.4) after the last text: the
// copy recipients (抄送机关, left out when cc is empty), then the printing
// office (印发机关) flush left and the printing date (印发日期) flush right, in
// 仿宋_GB2312 四号, one character in from each edge, between a thick line above
// and below and a thin one between the two lines. Its lines stay together; it
// follows the last text rather than being pinned to the foot of the page.
func (d *Document) Colophon(cc, printer, date string) {
	f := d.format(d.opts.Fonts.Body, SizeNo4, false)
	if cc = cleanLine(cc); cc != "" {
		d.paragraph("Colophon", `<w:keepNext/><w:pBdr>`+colophonRule("top", 8)+colophonRule("bottom", 4)+`</w:pBdr>`,
			f, "抄送："+strings.TrimSuffix(cc, "。")+"。")
	}
	top := ""
	if cc == "" {
		top = colophonRule("top", 8)
	}
	d.paragraph("Colophon", `<w:pBdr>`+top+colophonRule("bottom", 8)+`</w:pBdr>`,
		f, cleanLine(printer)+"\t"+cleanLine(date)+"印发")
}

// colophonRule returns a black border of a side, sz eighths of a point thick:
// 8 (1 pt, 0.35 mm) for the colophon's first and last lines, 4 (0.5 pt) between.
func colophonRule(side string, sz int) string {
	return `<w:` + side + ` w:val="single" w:sz="` + itoa(sz) + `" w:space="1" w:color="000000"/>`
}

// cleanLine cleans s and makes it one line: newlines and tabs become spaces.
func cleanLine(s string) string {
	return strings.Join(strings.FieldsFunc(cleanText(s), func(r rune) bool { return r == '\n' || r == '\t' }), " ")
}

// Subtitle adds a centred line in 楷体_GB2312 三号 under the title, such as
// "（2024年1月10日区十八届人大四次会议通过）".
func (d *Document) Subtitle(text string) {
	d.paragraph("Subtitle", "", d.format(d.opts.Fonts.Heading2, SizeNo3, false), text)
}

// DocNumber adds a centred document number line (发文字号) in 仿宋_GB2312 三号,
// such as "渝中府办发〔2024〕1号".
func (d *Document) DocNumber(text string) {
	d.paragraph("DocNumber", "", d.format(d.opts.Fonts.Body, SizeNo3, false), text)
}

// Heading adds a heading of level 1, 2 or 3 (一级、二级、三级标题): 黑体,
// 楷体_GB2312 or bold 仿宋_GB2312, all 三号 and indented two characters like the
// body. text is written as given, number included: see Numbering. Any other
// level is an error that WriteTo returns.
func (d *Document) Heading(level int, text string) {
	fonts := d.opts.Fonts
	switch level {
	case 1:
		d.paragraph("Heading1", "", d.format(fonts.Heading1, SizeNo3, false), text)
	case 2:
		d.paragraph("Heading2", "", d.format(fonts.Heading2, SizeNo3, false), text)
	case 3:
		d.paragraph("Heading3", "", d.format(fonts.Body, SizeNo3, true), text)
	default:
		d.fail(fmt.Errorf("heading level %d: want 1, 2 or 3", level))
	}
}

// Paragraph adds body text (正文): 仿宋_GB2312 三号, justified, on a fixed line
// height of 28.95 pt, the first line indented two characters. Each line of text (split
// at newlines) becomes a paragraph of its own; tabs are kept.
func (d *Document) Paragraph(text string) {
	f := d.format(d.opts.Fonts.Body, SizeNo3, false)
	for _, line := range splitLines(text) {
		d.paragraph("BodyText", "", f, line)
	}
}

// PageBreak starts a new page.
func (d *Document) PageBreak() {
	d.body.WriteString(`<w:p><w:pPr><w:pStyle w:val="Break"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>`)
	d.endsWithTable = false
}

// StartSection ends the current section and starts a new one, on a new page,
// whose pages have orientation o. Page numbers go on counting. At the start of
// the document it only sets the first section's orientation.
func (d *Document) StartSection(o Orientation) {
	if d.body.Len() > 0 {
		d.endSection()
	}
	d.orientation = o
}

// endSection writes the paragraph that carries the w:sectPr of the current
// section: WordprocessingML ends a section with its last paragraph. The
// paragraph is a hair tall (style "Break") so it never needs a page of its own.
// PageBreak uses the same style for the same reason.
func (d *Document) endSection() {
	d.body.WriteString(`<w:p><w:pPr><w:pStyle w:val="Break"/>`)
	writeSectPr(&d.body, pageFor(d.orientation))
	d.body.WriteString("</w:pPr></w:p>")
	d.endsWithTable = false
}

// Signature adds the signature block of a document without a seal (GB/T 9704
// 7.3.5.2): after a blank line, the issuer's name (发文机关署名) right-aligned two
// characters in from the edge, and under it the date (成文日期, e.g.
// "2024年7月10日") starting two characters right of the name's start. When that
// would put the date closer than two characters to the edge, the date is set two
// characters in and the name moves left to keep the offset.
func (d *Document) Signature(name, date string) {
	name, date = cleanText(name), cleanText(date)
	nameIn := 2.0
	dateIn := nameIn + width(name) - width(date) - 2
	if dateIn < 2 {
		dateIn = 2
		nameIn = dateIn + width(date) + 2 - width(name)
	}
	f := d.format(d.opts.Fonts.Body, SizeNo3, false)
	// The blank line and the name stay with the date, so that the three
	// never part across a page.
	d.paragraph("Signature", "<w:keepNext/>", f, "")
	d.paragraph("Signature", "<w:keepNext/>"+rightIndent(nameIn), f, name)
	d.paragraph("Signature", rightIndent(dateIn), f, date)
}

// rightIndent returns the w:ind of a right indent of n body characters; Word
// reads the characters, other readers the twips.
func rightIndent(n float64) string {
	return `<w:ind w:right="` + itoa(chars(n)) + `" w:rightChars="` + itoa(int(n*100+0.5)) + `"/>`
}

// width returns the width of the longest line of s in body characters: Chinese
// characters and full-width forms count one, other characters half.
func width(s string) float64 {
	longest := 0.0
	for _, line := range strings.Split(s, "\n") {
		w := 0.0
		for _, r := range line {
			if r >= 0x2E80 || unicode.Is(unicode.Han, r) {
				w++
			} else {
				w += 0.5
			}
		}
		longest = max(longest, w)
	}
	return longest
}

// Numbering returns the number of the n-th heading (n from 1) at a level of the
// official hierarchy (GB/T 9704 7.3.3): "一、", "（一）", "1." and "（1）" for
// levels 1 to 4. Chinese numerals go up to 99 and Arabic ones follow; it
// returns "" for a level outside 1–4 or an n below 1.
func Numbering(level, n int) string {
	if n < 1 {
		return ""
	}
	switch level {
	case 1:
		return chineseNumeral(n) + "、"
	case 2:
		return "（" + chineseNumeral(n) + "）"
	case 3:
		return itoa(n) + "."
	case 4:
		return "（" + itoa(n) + "）"
	}
	return ""
}

// chineseNumeral writes n in Chinese numerals for 1–99 (十, 十一, 二十一) and
// in Arabic numerals beyond.
func chineseNumeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return itoa(n)
}
