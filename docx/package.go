package docx

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"
)

// zipTime is the modification time of every zip entry: a fixed time keeps the
// output the same from run to run. 1980 is the first year a zip file can hold.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// part is one file of the package.
type part struct {
	name    string
	content string
}

// WriteTo writes the document as a .docx file to w and returns the number of
// bytes written. It returns the first error kept by the adding methods before
// writing anything, and otherwise the first write error, each prefixed "docx:".
// The document is not changed: calling WriteTo again writes the same bytes.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	if d.err != nil {
		return 0, fmt.Errorf("docx: %w", d.err)
	}
	cw := &countingWriter{w: w}
	zw := zip.NewWriter(cw)
	for _, p := range d.parts() {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return cw.n, fmt.Errorf("docx: write %s: %w", p.name, err)
		}
		if _, err := io.WriteString(f, p.content); err != nil {
			return cw.n, fmt.Errorf("docx: write %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("docx: write: %w", err)
	}
	return cw.n, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// parts returns the files of the package, [Content_Types].xml first.
func (d *Document) parts() []part {
	fonts := d.opts.Fonts
	return []part{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", packageRelsXML},
		{"docProps/core.xml", coreXML(d.opts)},
		{"docProps/app.xml", appXML},
		{"word/_rels/document.xml.rels", documentRelsXML},
		{"word/document.xml", d.documentXML()},
		{"word/styles.xml", stylesXML(fonts)},
		{"word/settings.xml", settingsXML},
		{"word/fontTable.xml", fontTableXML(fonts)},
		{"word/footer1.xml", footerXML(fonts, true)},
		{"word/footer2.xml", footerXML(fonts, false)},
	}
}

// documentXML returns word/document.xml: the blocks added, then the w:sectPr of
// the last section.
func (d *Document) documentXML() string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	b.WriteString(d.body.String())
	if d.endsWithTable || d.body.Len() == 0 {
		// Word wants a paragraph between a table and the end of the body, and
		// at least one in a body.
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Break"/></w:pPr></w:p>`)
	}
	writeSectPr(&b, pageFor(d.orientation))
	b.WriteString("</w:body></w:document>")
	return b.String()
}

const contentTypesXML = xmlHeader +
	`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`</Types>`

// relsNS is the namespace of relationship parts; relType prefixes the types of
// the document's own relationships.
const (
	relsNS  = "http://schemas.openxmlformats.org/package/2006/relationships"
	relType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

const packageRelsXML = xmlHeader +
	`<Relationships xmlns="` + relsNS + `">` +
	`<Relationship Id="rId1" Type="` + relType + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relType + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRelsXML = xmlHeader +
	`<Relationships xmlns="` + relsNS + `">` +
	`<Relationship Id="rIdStyles" Type="` + relType + `styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="` + relType + `settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFontTable" Type="` + relType + `fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="` + footerOddID + `" Type="` + relType + `footer" Target="footer1.xml"/>` +
	`<Relationship Id="` + footerEvenID + `" Type="` + relType + `footer" Target="footer2.xml"/>` +
	`</Relationships>`

// coreXML returns docProps/core.xml: title, creator and, unless zero, the
// creation time, also given as the last modification.
func coreXML(opts Options) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString("<dc:title>" + esc(opts.Title) + "</dc:title>")
	b.WriteString("<dc:creator>" + esc(opts.Creator) + "</dc:creator>")
	b.WriteString("<cp:lastModifiedBy>" + esc(opts.Creator) + "</cp:lastModifiedBy>")
	if !opts.Created.IsZero() {
		t := opts.Created.UTC().Format("2006-01-02T15:04:05Z")
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + t + "</dcterms:created>")
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + t + "</dcterms:modified>")
	}
	b.WriteString("</cp:coreProperties>")
	return b.String()
}

const appXML = xmlHeader +
	`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
	`<Application>duban</Application></Properties>`

// settingsXML turns on different footers for odd and even pages, which the
// outside page numbers need, and keeps punctuation full width (no compression).
var settingsXML = xmlHeader +
	`<w:settings xmlns:w="` + nsW + `">` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="` + itoa(chars(2)) + `"/>` +
	`<w:evenAndOddHeaders/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
	`</w:settings>`

// fontTableXML lists the fonts the document names. Marking the Chinese ones with
// the GB2312 character set (86) lets Word choose a Chinese font for one that is
// missing.
func fontTableXML(f Fonts) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:fonts xmlns:w="` + nsW + `">`)
	seen := map[string]bool{}
	for _, name := range []string{f.Body, f.Title, f.Heading1, f.Heading2, f.PageNumber, f.Latin} {
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		charset := "86"
		if name == f.Latin {
			charset = "00"
		}
		b.WriteString("<w:font")
		attr(&b, "w:name", name)
		b.WriteString(`><w:charset w:val="` + charset + `"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`)
	}
	b.WriteString("</w:fonts>")
	return b.String()
}

// style is a paragraph style of word/styles.xml.
type style struct {
	id, name string
	// props are the paragraph properties, XML in the schema's order.
	props string
	font  runFormat
}

// stylesXML returns word/styles.xml. The styles carry the layout rules; the
// runs name their fonts and sizes again, so readers that ignore styles agree.
func stylesXML(f Fonts) string {
	format := func(font string, size Size, bold bool) runFormat {
		return textFormat(font, f.Latin, size, bold)
	}
	body := format(f.Body, SizeNo3, false)
	fixedLines := `<w:spacing w:before="0" w:after="0" w:line="` + itoa(linePitch) + `" w:lineRule="exact"/>`
	indent := `<w:ind w:firstLine="` + itoa(chars(2)) + `" w:firstLineChars="200"/>`
	offGrid := `<w:snapToGrid w:val="0"/>`
	styles := []style{
		// Widow control is off so that every full page holds 22 lines.
		{"Normal", "Normal", `<w:widowControl w:val="0"/>` + fixedLines + `<w:jc w:val="both"/>`, body},
		// 标题: a blank line follows before the addressee or the text.
		{"Title", "Title", `<w:keepNext/><w:spacing w:before="0" w:after="` + itoa(linePitch) +
			`" w:line="` + itoa(linePitch) + `" w:lineRule="exact"/><w:jc w:val="center"/>`, format(f.Title, SizeNo2, false)},
		{"Subtitle", "Subtitle", `<w:keepNext/><w:jc w:val="center"/>`, format(f.Heading2, SizeNo3, false)},
		{"DocNumber", "发文字号", `<w:jc w:val="center"/>`, body},
		// The masthead: single spacing, so its large type is not cut by the
		// body's fixed lines.
		{"Masthead", "发文机关标志", `<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>`,
			withColor(format(f.Title, SizeSmallNo0, false), red)},
		// The issuer and date under the masthead, the red separator line 4 mm
		// under them (GB/T 9704 7.2.5).
		{"IssueLine", "版头分隔线", `<w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="` + red + `"/></w:pBdr>` +
			`<w:tabs><w:tab w:val="right" w:pos="` + itoa(pageFor(Portrait).textWidth()) + `"/></w:tabs>` +
			`<w:spacing w:before="0" w:after="` + itoa(linePitch) + `" w:line="` + itoa(linePitch) + `" w:lineRule="exact"/>` +
			`<w:ind w:left="` + itoa(chars(1)) + `" w:right="` + itoa(chars(1)) + `"/>`, body},
		{"AnnexHeading", "附件标识", `<w:keepNext/><w:jc w:val="left"/>`, format(f.Heading1, SizeNo3, false)},
		{"Recipient", "主送机关", `<w:keepNext/><w:jc w:val="left"/>`, body},
		// The colophon: 四号 lines one 四号 character in from each edge.
		{"Colophon", "版记", `<w:tabs><w:tab w:val="right" w:pos="` + itoa(pageFor(Portrait).textWidth()-2*int(SizeNo4)*10) + `"/></w:tabs>` +
			offGrid + `<w:spacing w:before="0" w:after="0" w:line="` + itoa(linePitch) + `" w:lineRule="exact"/>` +
			`<w:ind w:left="` + itoa(int(SizeNo4)*10) + `" w:right="` + itoa(int(SizeNo4)*10) + `"/><w:jc w:val="left"/>`,
			format(f.Body, SizeNo4, false)},
		{"BodyText", "Body Text", indent, body},
		{"Heading1", "heading 1", `<w:keepNext/>` + indent + `<w:outlineLvl w:val="0"/>`, format(f.Heading1, SizeNo3, false)},
		{"Heading2", "heading 2", `<w:keepNext/>` + indent + `<w:outlineLvl w:val="1"/>`, format(f.Heading2, SizeNo3, false)},
		{"Heading3", "heading 3", `<w:keepNext/>` + indent + `<w:outlineLvl w:val="2"/>`, format(f.Body, SizeNo3, true)},
		// No extra space between Chinese characters and digits in the signature,
		// or the date grows wider than the characters Signature counts.
		{"Signature", "署名", `<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:jc w:val="right"/>`, body},
		// Table text has single spacing, not the body's fixed 28.95 pt. Like the
		// footer and the breaks it stays off Word's line grid, should a user
		// turn one on.
		{"TableText", "表格文字", offGrid + `<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`,
			format(f.Body, SizeSmallNo4, false)},
		{"Footer", "footer", offGrid + `<w:spacing w:before="0" w:after="0" w:line="` + itoa(footerLine) + `" w:lineRule="exact"/>`,
			format(f.PageNumber, SizeNo4, false)},
		// Page breaks and section ends: as thin as a line can be (1 twip), so
		// that they fit under 22 full lines, which leave only 18 twips, and never
		// add a blank page.
		{"Break", "分隔符", offGrid + `<w:spacing w:before="0" w:after="0" w:line="1" w:lineRule="exact"/>`,
			format(f.Body, 2, false)},
	}

	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:styles xmlns:w="` + nsW + `">`)
	// The defaults are body text; the language makes Word apply the Chinese
	// line-breaking rules (避头尾).
	b.WriteString("<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts")
	attr(&b, "w:ascii", body.latinFont())
	attr(&b, "w:hAnsi", body.latinFont())
	attr(&b, "w:eastAsia", body.font)
	attr(&b, "w:cs", body.latinFont())
	b.WriteString(`/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr>`)
	b.WriteString("</w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>")
	for _, s := range styles {
		b.WriteString(`<w:style w:type="paragraph"`)
		if s.id == "Normal" {
			b.WriteString(` w:default="1"`)
		}
		b.WriteString(` w:styleId="` + s.id + `">`)
		attrElement(&b, "w:name", s.name)
		if s.id != "Normal" {
			b.WriteString(`<w:basedOn w:val="Normal"/>`)
		}
		b.WriteString(`<w:qFormat/><w:pPr>` + s.props + `</w:pPr>`)
		writeRunProps(&b, s.font)
		b.WriteString("</w:style>")
	}
	b.WriteString("</w:styles>")
	return b.String()
}

// withColor returns f in colour c (RRGGBB).
func withColor(f runFormat, c string) runFormat {
	f.color = c
	return f
}

// attrElement writes an empty element with one w:val attribute.
func attrElement(b *strings.Builder, name, val string) {
	b.WriteString("<" + name)
	attr(b, "w:val", val)
	b.WriteString("/>")
}
