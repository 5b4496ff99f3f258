package docx_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/docx"
	"duban/ingest"
)

func TestSampleIsValidPackage(t *testing.T) {
	trees := parts(t, mustWrite(t, sampleDocument()))
	checkPackage(t, trees)
	for _, name := range []string{
		"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
		"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
		"word/footer1.xml", "word/footer2.xml", "docProps/core.xml", "docProps/app.xml",
	} {
		if trees[name] == nil {
			t.Errorf("no part %s", name)
		}
	}
}

func TestWriteToIsDeterministic(t *testing.T) {
	first := mustWrite(t, sampleDocument())
	second := mustWrite(t, sampleDocument())
	if !bytes.Equal(first, second) {
		t.Error("two writes of the same document differ")
	}
	d := sampleDocument()
	if again := mustWrite(t, d); !bytes.Equal(mustWrite(t, d), again) {
		t.Error("writing one document twice gives different bytes")
	}
}

func TestPageGeometry(t *testing.T) {
	doc := parts(t, mustWrite(t, sampleDocument()))["word/document.xml"]
	type geometry struct {
		W, H, Orient                          string
		Top, Bottom, Left, Right, Footer, Gap string
		Footers                               []string
	}
	var got []geometry
	for _, s := range doc.all("sectPr") {
		size, mar := s.child("pgSz"), s.child("pgMar")
		g := geometry{
			W: size.Attr["w"], H: size.Attr["h"], Orient: size.Attr["orient"],
			Top: mar.Attr["top"], Bottom: mar.Attr["bottom"], Left: mar.Attr["left"], Right: mar.Attr["right"],
			Footer: mar.Attr["footer"], Gap: mar.Attr["gutter"],
		}
		for _, f := range s.all("footerReference") {
			g.Footers = append(g.Footers, f.Attr["type"]+"="+f.Attr["id"])
		}
		got = append(got, g)
	}
	footers := []string{"default=rIdFooterOdd", "even=rIdFooterEven"}
	// A4 is 11906 × 16838 twips; margins 37, 35, 28 and 26 mm are 2098, 1984,
	// 1587 and 1474. The footer's bottom sits 35 − 7 mm − 16 pt from the edge.
	want := []geometry{
		{W: "11906", H: "16838", Top: "2098", Bottom: "1984", Left: "1587", Right: "1474", Footer: "1267", Gap: "0", Footers: footers},
		{W: "16838", H: "11906", Orient: "landscape", Top: "1587", Bottom: "1474", Left: "1984", Right: "2098", Footer: "757", Gap: "0", Footers: footers},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sections mismatch (-want +got):\n%s", diff)
	}
	// The last section's w:sectPr belongs to the body, the others to the last
	// paragraph of their section.
	if body := doc.first("body"); body.Kids[len(body.Kids)-1].Name != "sectPr" {
		t.Error("the body does not end with its w:sectPr")
	}
}

func TestBodyLayout(t *testing.T) {
	styles := parts(t, mustWrite(t, sampleDocument()))["word/styles.xml"]
	byID := map[string]*node{}
	for _, s := range styles.all("style") {
		byID[s.Attr["styleId"]] = s
	}
	normal := byID["Normal"]
	// 225 mm hold 22 lines of 579 twips (28.95 pt).
	if got := normal.first("spacing").Attr; got["line"] != "579" || got["lineRule"] != "exact" {
		t.Errorf("Normal line spacing = %v, want exactly 579", got)
	}
	// 三号 is tightened by 0.25 pt so 28 characters fill 156 mm.
	if got := normal.first("rPr").child("spacing").Attr["val"]; got != "-5" {
		t.Errorf("Normal letter spacing = %s, want -5", got)
	}
	for _, id := range []string{"BodyText", "Heading1", "Heading2", "Heading3"} {
		ind := byID[id].first("ind")
		if ind == nil || ind.Attr["firstLineChars"] != "200" || ind.Attr["firstLine"] != "632" {
			t.Errorf("%s: first-line indent %v, want two characters", id, ind)
		}
	}
	for id, want := range map[string]string{"Title": "center", "Subtitle": "center", "DocNumber": "center", "Signature": "right"} {
		if got := byID[id].first("jc").Attr["val"]; got != want {
			t.Errorf("%s: alignment %s, want %s", id, got, want)
		}
	}
}

func TestRunsNameTheirFonts(t *testing.T) {
	trees := parts(t, mustWrite(t, sampleDocument()))
	want := map[string]string{
		sampleTitle:     "方正小标宋简体 44 bold=false",
		sampleHeading:   "黑体 32 bold=false",
		"（一）重点项目加快推进":   "楷体_GB2312 32 bold=false",
		"1.存在问题":        "仿宋_GB2312 32 bold=true",
		sampleSignature: "仿宋_GB2312 32 bold=false",
		sampleHeader:    "黑体 21 bold=false",
		"牵头单位1":         "仿宋_GB2312 21 bold=false",
		"— ":            "宋体 28 bold=false",
	}
	got := map[string]string{}
	for _, name := range []string{"word/document.xml", "word/footer1.xml", "word/footer2.xml"} {
		for _, r := range trees[name].all("r") {
			if r.child("t") == nil {
				continue
			}
			f := r.first("rFonts")
			if f == nil {
				t.Fatalf("%s: run %q names no fonts", name, r.text())
			}
			for _, a := range []string{"eastAsia", "ascii", "hAnsi"} {
				if f.Attr[a] == "" {
					t.Errorf("%s: run %q has no %s font", name, r.text(), a)
				}
			}
			if _, ok := want[r.text()]; ok {
				got[r.text()] = fmt.Sprintf("%s %s bold=%t", f.Attr["eastAsia"], r.first("sz").Attr["val"], r.first("b") != nil)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("run fonts mismatch (-want +got):\n%s", diff)
	}
}

func TestFontsOption(t *testing.T) {
	d := docx.New(docx.Options{Fonts: docx.Fonts{Body: "Noto Serif CJK SC", Latin: "Times New Roman"}})
	d.Paragraph("正文2024")
	d.Heading(1, "一、标题")
	trees := parts(t, mustWrite(t, d))
	var got []string
	for _, f := range trees["word/document.xml"].all("rFonts") {
		got = append(got, f.Attr["eastAsia"]+"/"+f.Attr["ascii"]+"/"+f.Attr["hAnsi"])
	}
	want := []string{
		"Noto Serif CJK SC/Times New Roman/Times New Roman", "Noto Serif CJK SC/Times New Roman/Times New Roman",
		"黑体/Times New Roman/Times New Roman", "黑体/Times New Roman/Times New Roman",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fonts mismatch (-want +got):\n%s", diff)
	}
	var fonts []string
	for _, f := range trees["word/fontTable.xml"].all("font") {
		fonts = append(fonts, f.Attr["name"])
	}
	if want := []string{"Noto Serif CJK SC", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体", "Times New Roman"}; !cmp.Equal(want, fonts) {
		t.Errorf("font table = %v, want %v", fonts, want)
	}
}

func TestTableHeaderAndMerges(t *testing.T) {
	doc := parts(t, mustWrite(t, sampleDocument()))["word/document.xml"]
	tables := doc.all("tbl")
	if len(tables) != 2 {
		t.Fatalf("got %d tables, want 2", len(tables))
	}
	for i, tbl := range tables {
		grid := len(tbl.child("tblGrid").Kids)
		for r, tr := range tbl.all("tr") {
			cols := 0
			for _, tc := range tr.all("tc") {
				cols++
				if span := tc.first("gridSpan"); span != nil {
					n, err := strconv.Atoi(span.Attr["val"])
					if err != nil {
						t.Fatal(err)
					}
					cols += n - 1
				}
			}
			if cols != grid {
				t.Errorf("table %d row %d covers %d of %d grid columns", i+1, r+1, cols, grid)
			}
		}
	}

	long := tables[0]
	rows := long.all("tr")
	if len(rows) != 1+sampleDataRows {
		t.Fatalf("long table has %d rows, want %d", len(rows), 1+sampleDataRows)
	}
	for r, tr := range rows {
		header := tr.first("tblHeader") != nil
		if header != (r == 0) {
			t.Errorf("row %d: repeated header = %v", r+1, header)
		}
		if h := tr.first("trHeight"); h == nil || h.Attr["val"] != "567" || h.Attr["hRule"] != "atLeast" {
			t.Errorf("row %d: height %v, want at least 567 twips", r+1, h)
		}
	}
	// The 牵头单位 column starts a merge every sampleGroupRows rows and
	// continues it in the rows between.
	var merges []string
	for _, tr := range rows[1:] {
		tc := tr.all("tc")[2]
		if m := tc.first("vMerge"); m == nil {
			merges = append(merges, "none")
		} else if m.Attr["val"] == "restart" {
			merges = append(merges, "restart "+tc.text())
		} else {
			merges = append(merges, "continue "+tc.text())
		}
	}
	for i, got := range merges {
		want := "continue "
		if i%sampleGroupRows == 0 {
			want = fmt.Sprintf("restart 牵头单位%d", i/sampleGroupRows+1)
		}
		if got != want {
			t.Errorf("data row %d, column 3: %q, want %q", i+1, got, want)
		}
	}
	// The status column is shaded like a traffic light.
	if got := rows[3].all("tc")[3].first("shd").Attr["fill"]; got != string(docx.ShadeRed) {
		t.Errorf("row 4 status shading = %s, want %s", got, docx.ShadeRed)
	}

	wide := tables[1]
	head := wide.all("tr")[:2]
	first := head[0].all("tc")
	if got := first[2].first("gridSpan").Attr["val"]; got != "4" {
		t.Errorf("2023年 spans %s columns, want 4", got)
	}
	if got := first[0].first("vMerge").Attr["val"]; got != "restart" {
		t.Errorf("序号 vMerge = %q, want restart", got)
	}
	if c := head[1].all("tc")[0]; c.first("vMerge") == nil || c.first("vMerge").Attr["val"] != "" {
		t.Error("序号 does not continue into the second header row")
	}
	for r, tr := range wide.all("tr") {
		if header := tr.first("tblHeader") != nil; header != (r < 2) {
			t.Errorf("wide table row %d: repeated header = %v", r+1, header)
		}
	}
	// A table is as wide as its section's type area: 156 mm, then 225 mm.
	for i, want := range []string{"8845", "12756"} {
		if got := tables[i].first("tblW").Attr["w"]; got != want {
			t.Errorf("table %d width = %s, want %s", i+1, got, want)
		}
	}
}

func TestSettingsAndFooters(t *testing.T) {
	trees := parts(t, mustWrite(t, sampleDocument()))
	if trees["word/settings.xml"].first("evenAndOddHeaders") == nil {
		t.Error("settings.xml does not turn on even and odd footers")
	}
	for name, want := range map[string]string{"word/footer1.xml": "right", "word/footer2.xml": "left"} {
		f := trees[name]
		field := f.first("fldSimple")
		if field == nil || strings.TrimSpace(field.Attr["instr"]) != "PAGE" {
			t.Errorf("%s: no PAGE field", name)
			continue
		}
		if got := f.first("jc").Attr["val"]; got != want {
			t.Errorf("%s: aligned %s, want %s", name, got, want)
		}
		if got := f.text(); got != "— 1 —" {
			t.Errorf("%s: text %q, want %q", name, got, "— 1 —")
		}
	}
}

func TestCoreProperties(t *testing.T) {
	core := parts(t, mustWrite(t, sampleDocument()))["docProps/core.xml"]
	got := map[string]string{}
	for _, k := range core.Kids {
		got[k.Name] = k.Text
	}
	want := map[string]string{
		"title": "督查通报", "creator": "区政府督查室", "lastModifiedBy": "区政府督查室",
		"created": "2024-07-10T01:00:00Z", "modified": "2024-07-10T01:00:00Z",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("core properties mismatch (-want +got):\n%s", diff)
	}

	core = parts(t, mustWrite(t, docx.New(docx.Options{})))["docProps/core.xml"]
	if core.first("created") != nil {
		t.Error("a zero Created time still writes dcterms:created")
	}
}

func TestTextIsEscapedAndCleaned(t *testing.T) {
	d := docx.New(docx.Options{Title: "a<b>&\x00"})
	d.Paragraph("<w:t>&amp;\"'\x01\x0b\ufffe第1段\r\n第\t2段\xff")
	d.Table(&docx.Table{Columns: []docx.Column{{}}, Rows: [][]docx.Cell{{{Text: "]]><![CDATA[\x1f"}}}})
	trees := parts(t, mustWrite(t, d))
	doc := trees["word/document.xml"]
	var got []string
	for _, p := range doc.all("p") {
		if s := p.text(); s != "" {
			got = append(got, s)
		}
	}
	want := []string{"<w:t>&amp;\"'第1段", "第2段", "]]><![CDATA["}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("text mismatch (-want +got):\n%s", diff)
	}
	if n := len(doc.all("tab")); n != 1 {
		t.Errorf("got %d tabs, want 1", n)
	}
	if got := trees["docProps/core.xml"].first("title").Text; got != "a<b>&" {
		t.Errorf("title = %q, want %q", got, "a<b>&")
	}
}

func TestSignatureIndents(t *testing.T) {
	tests := []struct {
		name, signer, date string
		want               []string // rightChars of the name and of the date
	}{
		// The date, 6.5 characters wide, is longer than the name: it keeps two
		// characters from the edge and the name moves in to start two characters
		// before it.
		{"long date", "区政府督查室", "2024年7月10日", []string{"450", "200"}},
		// A long name (13 characters) stays two characters in; the date starts
		// two characters right of the name's start, 6.5 characters in.
		{"long name", "重庆市渝中区人民政府办公室", "2024年7月10日", []string{"200", "650"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docx.New(docx.Options{})
			d.Signature(tt.signer, tt.date)
			var got []string
			for _, p := range parts(t, mustWrite(t, d))["word/document.xml"].all("p") {
				if ind := p.first("ind"); ind != nil {
					got = append(got, ind.Attr["rightChars"])
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("right indents mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	cols := []docx.Column{{}, {}}
	tests := []struct {
		name  string
		build func(d *docx.Document)
		want  string
	}{
		{"heading level", func(d *docx.Document) { d.Heading(4, "（1）") }, "docx: heading level 4: want 1, 2 or 3"},
		{"no columns", func(d *docx.Document) { d.Table(&docx.Table{}) }, "docx: table 1: no columns"},
		{"negative width", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: []docx.Column{{Width: -1}}})
		}, "docx: table 1: column 1: width -1"},
		{"too few cells", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols, Rows: [][]docx.Cell{{{Text: "a"}}}})
		}, "docx: table 1: row 1: cells cover 1 of 2 columns"},
		{"too many cells", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols, Rows: [][]docx.Cell{{{}, {}, {}}}})
		}, "docx: table 1: row 1: 1 cells more than the 2 columns hold"},
		{"span past the edge", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols, Rows: [][]docx.Cell{{{}, {ColSpan: 2}}}})
		}, "docx: table 1: row 1, cell 2: spans past the last column"},
		{"merge past the end", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols, Rows: [][]docx.Cell{{{RowSpan: 3}, {}}, {{}}}})
		}, "docx: table 1: row 1, cell 1: merges 3 rows, past the last table row"},
		{"merge out of the header", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols, HeaderRows: 1, Rows: [][]docx.Cell{{{RowSpan: 2}, {}}, {{}}}})
		}, "docx: table 1: row 1, cell 1: merges 2 rows, past the last header row"},
		{"overlapping merge", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: []docx.Column{{}, {}, {}}, Rows: [][]docx.Cell{{{}, {RowSpan: 2}, {}}, {{ColSpan: 2}, {}}}})
		}, "docx: table 1: row 2, cell 1: overlaps a merged cell above"},
		{"bad shade", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols[:1], Rows: [][]docx.Cell{{{Shade: "green"}}}})
		}, `docx: table 1: row 1, cell 1: shade "green": want six hex digits`},
		{"header rows", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols, HeaderRows: 1})
		}, "docx: table 1: 1 header rows in 0 rows"},
		{"the first error wins", func(d *docx.Document) {
			d.Table(&docx.Table{Columns: cols, Rows: [][]docx.Cell{{{}, {}}}})
			d.Table(&docx.Table{})
			d.Heading(0, "")
		}, "docx: table 2: no columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docx.New(docx.Options{})
			tt.build(d)
			var buf bytes.Buffer
			n, err := d.WriteTo(&buf)
			if err == nil || err.Error() != tt.want {
				t.Errorf("WriteTo error = %v, want %q", err, tt.want)
			}
			if n != 0 || buf.Len() != 0 {
				t.Errorf("WriteTo wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, bytes.ErrTooLarge }

func TestWriteToWrapsWriteErrors(t *testing.T) {
	_, err := sampleDocument().WriteTo(errWriter{})
	if err == nil || !strings.HasPrefix(err.Error(), "docx: write") || !errors.Is(err, bytes.ErrTooLarge) {
		t.Errorf("WriteTo error = %v, want a wrapped write error", err)
	}
}

func TestNumbering(t *testing.T) {
	tests := []struct {
		level, n int
		want     string
	}{
		{1, 1, "一、"}, {1, 10, "十、"}, {1, 12, "十二、"}, {1, 20, "二十、"}, {1, 99, "九十九、"}, {1, 100, "100、"},
		{2, 3, "（三）"}, {3, 7, "7."}, {4, 2, "（2）"},
		{0, 1, ""}, {5, 1, ""}, {1, 0, ""},
	}
	for _, tt := range tests {
		if got := docx.Numbering(tt.level, tt.n); got != tt.want {
			t.Errorf("Numbering(%d, %d) = %q, want %q", tt.level, tt.n, got, tt.want)
		}
	}
}

// TestIngestReadsSample reads the sample back with duban's own .docx reader:
// text, tables and merges come out as they went in.
func TestIngestReadsSample(t *testing.T) {
	doc, err := ingest.ReadDOCX("sample.docx", mustWrite(t, sampleDocument()), ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var tables []*ingest.Table
	for _, b := range doc.Blocks {
		if b.Table != nil {
			tables = append(tables, b.Table)
		} else {
			texts = append(texts, b.Text)
		}
	}
	for _, want := range []string{sampleTitle, sampleHeading, sampleSignature, sampleDate, sampleWideTitle} {
		if !slices.Contains(texts, want) {
			t.Errorf("ingest did not read %q; read %q", want, texts)
		}
	}
	if len(tables) != 2 {
		t.Fatalf("ingest read %d tables, want 2", len(tables))
	}
	rows := tables[0].Rows
	if len(rows) != 1+sampleDataRows {
		t.Fatalf("ingest read %d rows, want %d", len(rows), 1+sampleDataRows)
	}
	if got := rows[1].Cells[2]; got.Text != "牵头单位1" || got.Merged {
		t.Errorf("row 2, cell 3 = %+v, want the start of a merge", got)
	}
	if got := rows[2].Cells[2]; !got.Merged {
		t.Errorf("row 3, cell 3 = %+v, want a merged continuation", got)
	}
	if got := tables[1].Rows[0].Cells[2]; got.Text != "2023年" || got.Span != 4 {
		t.Errorf("wide table header cell 3 = %+v, want 2023年 over 4 columns", got)
	}
}

func TestStartSectionAtTheStart(t *testing.T) {
	d := docx.New(docx.Options{})
	d.StartSection(docx.Landscape)
	d.Table(&docx.Table{Columns: []docx.Column{{}}, Rows: [][]docx.Cell{{{Text: "宽表"}}}})
	body := parts(t, mustWrite(t, d))["word/document.xml"].first("body")
	sections := body.all("sectPr")
	if len(sections) != 1 || sections[0].child("pgSz").Attr["orient"] != "landscape" {
		t.Fatalf("got %d sections, want one landscape section", len(sections))
	}
	// Word wants a paragraph between the last table and the body's w:sectPr.
	if got := body.Kids[len(body.Kids)-2].Name; got != "p" {
		t.Errorf("the body ends with %s before its w:sectPr, want a paragraph", got)
	}
}

func TestEmptyDocumentHasAParagraph(t *testing.T) {
	body := parts(t, mustWrite(t, docx.New(docx.Options{})))["word/document.xml"].first("body")
	if len(body.all("p")) != 1 || len(body.all("sectPr")) != 1 {
		t.Errorf("empty body holds %d paragraphs and %d sections, want 1 and 1", len(body.all("p")), len(body.all("sectPr")))
	}
}

func TestMastheadAndColophon(t *testing.T) {
	d := docx.New(docx.Options{})
	d.Masthead("督查通报")
	d.DocNumber("第11期")
	d.IssueLine("区政府督查室", "2024年11月18日")
	d.Title("关于2024年11月重点工作推进情况的督查通报")
	d.Recipient("各街道办事处，区政府各部门：")
	d.Paragraph("正文。")
	d.ClosingParagraph("特此通报。")
	d.AnnexList([]string{"各板块任务推进情况", "赛马比拼排名"})
	d.Signature("区政府督查室", "2024年11月18日")
	d.AnnexHeading("附件1")
	d.Colophon("区委办公室", "区政府督查室", "2024年11月18日")
	trees := parts(t, mustWrite(t, d))
	checkPackage(t, trees)
	styles := map[string]*node{}
	for _, s := range trees["word/styles.xml"].all("style") {
		styles[s.Attr["styleId"]] = s
	}
	byStyle := map[string][]*node{}
	for _, p := range trees["word/document.xml"].all("p") {
		if s := p.first("pStyle"); s != nil {
			byStyle[s.Attr["val"]] = append(byStyle[s.Attr["val"]], p)
		}
	}

	masthead := byStyle["Masthead"]
	if len(masthead) != 1 || masthead[0].text() != "督查通报" {
		t.Fatalf("masthead paragraphs %d, want one reading 督查通报", len(masthead))
	}
	for _, c := range masthead[0].all("color") {
		if c.Attr["val"] != "FF0000" {
			t.Errorf("masthead colour %s, want FF0000", c.Attr["val"])
		}
	}
	if len(masthead[0].all("color")) == 0 {
		t.Error("the masthead has no colour")
	}

	line := styles["IssueLine"].first("bottom")
	if line == nil || line.Attr["color"] != "FF0000" || line.Attr["val"] != "single" {
		t.Errorf("the issue line's style has no red bottom border: %+v", line)
	}
	if p := byStyle["IssueLine"]; len(p) != 1 || p[0].first("tab") == nil {
		t.Errorf("the issue line does not set issuer and date apart with a tab")
	}

	colophon := byStyle["Colophon"]
	if len(colophon) != 2 {
		t.Fatalf("colophon has %d paragraphs, want 2", len(colophon))
	}
	if got := colophon[0].text(); got != "抄送：区委办公室。" {
		t.Errorf("colophon line 1 = %q", got)
	}
	if got := colophon[1].text(); got != "区政府督查室2024年11月18日印发" {
		t.Errorf("colophon line 2 = %q", got)
	}
	for i, want := range [][2]string{{"8", "4"}, {"", "8"}} {
		bdr := colophon[i].first("pBdr")
		got := [2]string{}
		if top := bdr.child("top"); top != nil {
			got[0] = top.Attr["sz"]
		}
		if bottom := bdr.child("bottom"); bottom != nil {
			got[1] = bottom.Attr["sz"]
		}
		if got != want {
			t.Errorf("colophon line %d borders (top, bottom) = %v, want %v", i+1, got, want)
		}
	}

	// The closing paragraph, the annex list and the signature's blank line
	// and name stay with what follows, so the date never stands alone.
	var kept, texts []string
	for _, p := range append(byStyle["BodyText"][1:], byStyle["Signature"]...) {
		kept = append(kept, fmt.Sprint(p.first("keepNext") != nil))
		texts = append(texts, p.text())
	}
	if diff := cmp.Diff([]string{"true", "true", "true", "true", "true", "false"}, kept); diff != "" {
		t.Errorf("keepNext of %q (-want +got):\n%s", texts, diff)
	}
	if diff := cmp.Diff([]string{"特此通报。", "附件：1．各板块任务推进情况", "　　　2．赛马比拼排名", "", "区政府督查室", "2024年11月18日"}, texts); diff != "" {
		t.Errorf("closing texts (-want +got):\n%s", diff)
	}
	if p := byStyle["AnnexHeading"]; len(p) != 1 || p[0].text() != "附件1" {
		t.Errorf("annex heading missing")
	}
}

func TestEveryRowCannotSplit(t *testing.T) {
	doc := parts(t, mustWrite(t, sampleDocument()))["word/document.xml"]
	for i, tr := range doc.all("tr") {
		if tr.first("cantSplit") == nil {
			t.Errorf("row %d may split across pages", i+1)
		}
	}
}

// TestTableRowsKeepTogether checks that no row of a table may split across
// pages, and that a cell holding one number does not wrap in a narrow column
// while a cell of words does.
func TestTableRowsKeepTogether(t *testing.T) {
	d := docx.New(docx.Options{})
	d.Table(&docx.Table{
		Columns:    []docx.Column{{Width: 0.3}, {Width: 5}, {Width: 0.3}},
		HeaderRows: 1,
		Rows: [][]docx.Cell{
			{{Text: "序号"}, {Text: "任务内容"}, {Text: "数值"}},
			{{Text: "1"}, {Text: strings.Repeat("推进重点项目建设", 30)}, {Text: "12345.67"}},
			{{Text: "2"}, {Text: "新增首店品牌"}, {Text: "-0.3%"}},
			{{Text: "二、扩大有效需求", ColSpan: 3, KeepWithNext: true}},
			{{Text: "1"}, {Text: "扩大消费"}, {Text: "7.5"}},
		},
	})
	doc := parts(t, mustWrite(t, d))["word/document.xml"]
	for r, tr := range doc.all("tr") {
		if tr.first("cantSplit") == nil {
			t.Errorf("row %d may split across pages", r+1)
		}
		if got, want := tr.first("keepNext") != nil, r == 3; got != want {
			t.Errorf("row %d: kept with the next = %v, want %v", r+1, got, want)
		}
		for c, tc := range tr.all("tc") {
			want := r > 0 && r != 3 && c != 1
			if got := tc.first("noWrap") != nil; got != want {
				t.Errorf("row %d cell %d %q: noWrap = %v, want %v", r+1, c+1, tc.text(), got, want)
			}
		}
	}
}
