package ingest

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// decompositionSeed is the 002 decomposition as text; the .docx and .xlsx
// fixtures were made from it by scripts/make-fixtures.
const decompositionSeed = "../testdata/002_df832bfe8d5b9f39.txt"

// seedRows reads the seed's text form: the lines before the table, then the
// table's rows, each a list of cells, each a list of lines.
func seedRows(t *testing.T) (before []string, rows [][][]string) {
	t.Helper()
	data, err := os.ReadFile(decompositionSeed)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	i := 0
	for i < len(lines) && !strings.HasPrefix(lines[i], "\t") {
		i++
	}
	before = lines[:i]
	for len(before) > 0 && before[len(before)-1] == "" {
		before = before[:len(before)-1]
	}
	var row [][]string
	for _, l := range lines[i:] {
		switch {
		case l == "":
			if row != nil {
				rows = append(rows, row)
				row = nil
			}
		case strings.HasPrefix(l, "\t"):
			row = append(row, []string{l[1:]})
		default:
			row[len(row)-1] = append(row[len(row)-1], l)
		}
	}
	if row != nil {
		rows = append(rows, row)
	}
	return before, rows
}

// seedTable lays the seed's rows out as make-fixtures does, as Word and Excel
// users do: five grid columns (sub-group, 任务内容, 责任区领导, 牵头单位,
// 责任单位); a section heading spans all five; the header and section 一's rows
// have no sub-group, so their first cell spans two; a sub-group cell is merged
// down over the rows of its group. line gives each cell's Line from the
// number of its paragraphs (a continuation cell has one, empty).
func seedTable(t *testing.T, rows [][][]string, line func(cellLines int) int) *Table {
	t.Helper()
	var table Table
	inGroup := false
	for _, cells := range rows {
		if len(cells) == 4 && len(cells[0]) == 1 && cells[0][0] == "" {
			// The text lost the empty 责任单位 cell of its last row.
			cells = append(cells, []string{""})
		}
		var r Row
		for i, c := range cells {
			cell := Cell{Line: line(len(c))}
			// Cell text has no blank lines at either end (the seed's last
			// line is a lone space).
			for len(c) > 0 && strings.TrimSpace(c[len(c)-1]) == "" {
				c = c[:len(c)-1]
			}
			text := strings.ReplaceAll(strings.Join(c, "\n"), "[bookmark: _GoBack]", "")
			cell.Text = text
			switch {
			case len(cells) == 1:
				cell.Span = 5
				inGroup = false
			case len(cells) == 4 && i == 0:
				cell.Span = 2
				inGroup = false
			case len(cells) == 5 && i == 0:
				if text == "" && inGroup {
					cell.Merged = true
				}
				inGroup = true
			}
			if i == 0 {
				r.Line = cell.Line
			}
			r.Cells = append(r.Cells, cell)
		}
		table.Rows = append(table.Rows, r)
	}
	return &table
}

func TestReadDOCXDecomposition002(t *testing.T) {
	before, rows := seedRows(t)
	var want Doc
	want.Source = "decomposition_002.docx"
	// make-fixtures writes one paragraph per line of the seed, blank ones
	// included, so a paragraph's number is its line number.
	for i, l := range before {
		if strings.TrimSpace(l) != "" {
			want.Blocks = append(want.Blocks, Block{Line: i + 1, Text: l})
		}
	}
	n := len(before)
	table := seedTable(t, rows, func(paragraphs int) int {
		line := n + 1
		n += paragraphs
		return line
	})
	want.Blocks = append(want.Blocks, Block{Line: table.Rows[0].Line, Table: table})

	data, err := os.ReadFile("testdata/decomposition_002.docx")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadDOCX("decomposition_002.docx", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, got, ignoreLayout); diff != "" {
		t.Errorf("ReadDOCX mismatch (-want +got):\n%s", diff)
	}
}

// TestReadDOCXFeatures reads a small document LibreOffice wrote (see
// scripts/make_fixtures.py): runs split at every change of script, a tab and a
// line break, footnotes with ids from 2 (0 and 1 are separators), a tracked
// deletion and insertion, a hyperlink, a PAGE field, a non-breaking hyphen,
// and a table with w:gridSpan, w:vMerge="restart"/"continue", blank
// paragraphs at the ends of a cell, and a table nested in a cell.
func TestReadDOCXFeatures(t *testing.T) {
	data, err := os.ReadFile("testdata/ooxml_features.docx")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadDOCX("ooxml_features.docx", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := &Doc{Source: "ooxml_features.docx", Blocks: []Block{
		{Line: 1, Text: "渝中府办〔2024〕2号"},
		{Line: 2, Text: "第一段\t有制表符\n和换行"},
		{Line: 4, Text: "地区生产总值增长6%左右[[1]]，收入增长6%[[2]]。"},
		{Line: 5, Text: "保留这段新增文字"},
		{Line: 6, Text: "详见渝中区政府网。第1页"},
		{Line: 7, Text: "2023-2025年"},
		{Line: 8, Table: &Table{Rows: []Row{
			{Line: 8, Cells: []Cell{
				{Line: 8, Text: "任务内容", Span: 2},
				{Line: 9, Text: "责任区领导"},
			}},
			{Line: 10, Cells: []Cell{
				{Line: 10, Text: "强化“双千亿”\n极核引领带动"},
				{Line: 12, Text: "1.第一项任务。\n\n（备注）"},
				{Line: 17, Text: "邓光怀\n陈  平"},
			}},
			{Line: 19, Cells: []Cell{
				{Line: 19, Merged: true},
				{Line: 20, Text: "2.第二项任务。"},
				{Line: 21, Text: "嵌套甲\n嵌套乙\n梁  栋"},
			}},
		}}},
		{Line: 24, Text: "完"},
		{Line: 25, Text: "[[1]] 按可比价格计算。"},
		{Line: 26, Text: "[[2]] 一般公共预算收入。\n第二段说明。"},
	}}
	if diff := cmp.Diff(want, got, ignoreLayout); diff != "" {
		t.Errorf("ReadDOCX mismatch (-want +got):\n%s", diff)
	}
}

// wordDocx builds a .docx the way Word lays one out: body is the content of
// w:body (Word's w:sectPr is added), footnotes and endnotes the content of
// their parts ("" for none).
func wordDocx(t testing.TB, body, footnotes, endnotes string) []byte {
	t.Helper()
	const ns = `xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
		`xmlns:o="urn:schemas-microsoft-com:office:office" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:v="urn:schemas-microsoft-com:vml" ` +
		`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
		`xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ` +
		`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
		`mc:Ignorable="w14 wp14"`
	const decl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
	rels := `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
	entries := []zipEntry{
		{"[Content_Types].xml", decl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", decl + `<w:document ` + ns + `><w:body>` + body +
			`<w:sectPr w:rsidR="00C23A7B" w:rsidRPr="00C23A7B"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr></w:body></w:document>`},
		{"word/styles.xml", decl + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`},
	}
	notes := func(kind, content string) {
		rels += `<Relationship Id="rId` + kind + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/` + kind + `" Target="` + kind + `.xml"/>`
		tag := strings.TrimSuffix(kind, "s")
		entries = append(entries, zipEntry{"word/" + kind + ".xml", decl + `<w:` + kind + ` ` + ns + `>` +
			`<w:` + tag + ` w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:` + tag + `>` +
			`<w:` + tag + ` w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:` + tag + `>` +
			content + `</w:` + kind + `>`})
	}
	if footnotes != "" {
		notes("footnotes", footnotes)
	}
	if endnotes != "" {
		notes("endnotes", endnotes)
	}
	entries = append(entries, zipEntry{"word/_rels/document.xml.rels", decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`})
	return ooxmlZip(t, entries...)
}

// wp is a paragraph as Word writes it: rsid attributes, a style, and one run
// per piece of text with East Asian font hints.
func wp(runs ...string) string {
	var b strings.Builder
	b.WriteString(`<w:p w:rsidR="00A41C2B" w:rsidRDefault="00A41C2B" w:rsidP="00E6253F"><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:pPr>`)
	for _, r := range runs {
		if strings.HasPrefix(r, "<") {
			b.WriteString(r)
			continue
		}
		b.WriteString(`<w:r w:rsidRPr="00E6253F"><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString(`</w:p>`)
	return b.String()
}

// wtc is a table cell as Word writes it; props go into w:tcPr.
func wtc(props string, paragraphs ...string) string {
	return `<w:tc><w:tcPr><w:tcW w:w="1838" w:type="dxa"/>` + props + `<w:vAlign w:val="center"/></w:tcPr>` + strings.Join(paragraphs, "") + `</w:tc>`
}

// wtbl is a table as Word writes it.
func wtbl(rows ...string) string {
	return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid><w:gridCol w:w="1838"/><w:gridCol w:w="1838"/><w:gridCol w:w="1838"/></w:tblGrid>` +
		strings.Join(rows, "") + `</w:tbl>`
}

// wtr is a table row as Word writes it; props go into w:trPr.
func wtr(props string, cells ...string) string {
	return `<w:tr w:rsidR="00E6253F" w:rsidTr="00E6253F"><w:trPr>` + props + `<w:trHeight w:val="567"/></w:trPr>` + strings.Join(cells, "") + `</w:tr>`
}

// wnote is a footnote or endnote as Word writes it.
func wnote(tag, id string, paragraphs ...string) string {
	return `<w:` + tag + ` w:id="` + id + `">` + strings.Join(paragraphs, "") + `</w:` + tag + `>`
}

func TestReadDOCXWordMarkup(t *testing.T) {
	const run = `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>`
	footRef := func(id string) string {
		return `<w:r><w:rPr><w:rStyle w:val="a7"/></w:rPr><w:footnoteReference w:id="` + id + `"/></w:r>`
	}
	noteBody := func(mark, text string) string {
		return `<w:p><w:pPr><w:pStyle w:val="a5"/></w:pPr><w:r><w:rPr><w:rStyle w:val="a7"/></w:rPr><w:` + mark + `/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>` +
			run + `<w:t>` + text + `</w:t></w:r></w:p>`
	}
	tests := []struct {
		name                string
		body, foot, endnote string
		want                []Block
	}{
		{
			name: "runs, tabs, breaks and hyphens",
			body: wp("一、", "主要预期指标") +
				wp(`<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:cr/><w:t>丁</w:t></w:r>`) +
				wp(`<w:r><w:t>2023</w:t><w:noBreakHyphen/><w:t>2025</w:t><w:softHyphen/><w:t>年</w:t><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>`) +
				wp(`<w:r><w:t>分页前</w:t><w:br w:type="page"/><w:lastRenderedPageBreak/><w:t>分页后</w:t></w:r>`),
			want: []Block{
				{Line: 1, Text: "一、主要预期指标"},
				{Line: 2, Text: "甲\t乙\n丙\n丁"},
				{Line: 3, Text: "2023-2025年"},
				{Line: 4, Text: "分页前分页后"},
			},
		},
		{
			name: "empty paragraphs are counted but not kept",
			body: `<w:p/><w:p w:rsidR="00A41C2B"><w:pPr><w:jc w:val="center"/></w:pPr></w:p>` + wp("  ") + wp("正文"),
			want: []Block{{Line: 4, Text: "正文"}},
		},
		{
			name: "tracked changes",
			body: wp("保留",
				`<w:del w:id="1" w:author="审校" w:date="2024-01-20T10:00:00Z"><w:r><w:delText>删除的</w:delText></w:r></w:del>`,
				`<w:ins w:id="2" w:author="审校" w:date="2024-01-20T10:00:00Z"><w:r><w:t>插入的</w:t></w:r></w:ins>`,
				`<w:moveFrom w:id="3" w:author="审校" w:date="2024-01-20T10:00:00Z"><w:r><w:t>移走的</w:t></w:r></w:moveFrom>`,
				`<w:moveTo w:id="4" w:author="审校" w:date="2024-01-20T10:00:00Z"><w:r><w:t>移来的</w:t></w:r></w:moveTo>`,
				"文字"),
			want: []Block{{Line: 1, Text: "保留插入的移来的文字"}},
		},
		{
			name: "fields keep their result",
			body: wp("第",
				`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE   \* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`,
				"页，",
				`<w:fldSimple w:instr=" DATE \@ &quot;yyyy年M月d日&quot; "><w:r><w:t>2024年1月25日</w:t></w:r></w:fldSimple>`),
			want: []Block{{Line: 1, Text: "第3页，2024年1月25日"}},
		},
		{
			name: "links, smart tags, content controls and bookmarks are read through",
			body: `<w:sdt><w:sdtPr><w:alias w:val="标题"/><w:id w:val="-1"/><w:text/></w:sdtPr><w:sdtEndPr/><w:sdtContent>` + wp("控件内的段落") + `</w:sdtContent></w:sdt>` +
				wp(`<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>`, "见",
					`<w:hyperlink r:id="rId9" w:history="1"><w:r><w:rPr><w:rStyle w:val="a8"/></w:rPr><w:t>政府网</w:t></w:r></w:hyperlink>`,
					`<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="chsdate"><w:smartTagPr><w:attr w:name="Year" w:val="2024"/></w:smartTagPr><w:r><w:t>1月25日</w:t></w:r></w:smartTag>`,
					`<w:sdt><w:sdtPr><w:id w:val="7"/></w:sdtPr><w:sdtContent><w:r><w:t>（内联控件）</w:t></w:r></w:sdtContent></w:sdt>`),
			want: []Block{{Line: 1, Text: "控件内的段落"}, {Line: 2, Text: "见政府网1月25日（内联控件）"}},
		},
		{
			name: "drawings, text boxes and phonetic guides are skipped",
			body: wp("图", `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`,
				"后", `<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="center"/></w:rubyPr><w:rt><w:r><w:t>yú</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>渝</w:t></w:r></w:rubyBase></w:ruby></w:r>`),
			want: []Block{{Line: 1, Text: "图后渝"}},
		},
		{
			name: "merged cells as Word writes them",
			body: wp("附件") + wtbl(
				wtr(`<w:tblHeader/>`, wtc(`<w:gridSpan w:val="2"/>`, wp("任务内容")), wtc("", wp("责任区领导"))),
				wtr("", wtc(`<w:vMerge w:val="restart"/>`, wp("强化“双千亿”"), wp("极核引领带动")), wtc("", wp("1.任务。")), wtc("", wp("邓光怀"), wp("陈  平"))),
				wtr("", wtc(`<w:vMerge/>`, wp("")), wtc("", wp("2.任务。")), wtc("", wp(""), wp("梁  栋"), wp(""))),
				wtr("", wtc(`<w:vMerge/>`, wp("续格里的字不算")), wtc(`<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>`, wp("3.任务。"))),
			),
			want: []Block{
				{Line: 1, Text: "附件"},
				{Line: 2, Table: &Table{Rows: []Row{
					{Line: 2, Cells: []Cell{{Line: 2, Text: "任务内容", Span: 2}, {Line: 3, Text: "责任区领导"}}},
					{Line: 4, Cells: []Cell{{Line: 4, Text: "强化“双千亿”\n极核引领带动"}, {Line: 6, Text: "1.任务。"}, {Line: 7, Text: "邓光怀\n陈  平"}}},
					{Line: 9, Cells: []Cell{{Line: 9, Merged: true}, {Line: 10, Text: "2.任务。"}, {Line: 11, Text: "梁  栋"}}},
					{Line: 14, Cells: []Cell{{Line: 14, Merged: true}, {Line: 15, Text: "3.任务。", Span: 2}}},
				}}},
			},
		},
		{
			name: "deleted rows, grid before, cells in content controls, nested tables",
			body: wtbl(
				wtr(`<w:gridBefore w:val="1"/>`, wtc("", wp("乙")), wtc("", wp("丙"))),
				wtr(`<w:del w:id="9" w:author="审校" w:date="2024-01-20T10:00:00Z"/>`, wtc("", wp(`<w:del w:id="10" w:author="审校" w:date="2024-01-20T10:00:00Z"><w:r><w:delText>删掉的行</w:delText></w:r></w:del>`))),
				wtr("", `<w:sdt><w:sdtPr><w:id w:val="3"/></w:sdtPr><w:sdtContent>`+wtc("", wp("控件格"))+`</w:sdtContent></w:sdt>`,
					wtc("", wp("外层"), wtbl(wtr("", wtc("", wp("里甲")), wtc("", wp("里乙"), wp("里丙")))), wp(""))),
			),
			want: []Block{{Line: 1, Table: &Table{Rows: []Row{
				{Line: 1, Cells: []Cell{{Line: 1}, {Line: 1, Text: "乙"}, {Line: 2, Text: "丙"}}},
				{Line: 4, Cells: []Cell{{Line: 4, Text: "控件格"}, {Line: 5, Text: "外层\n里甲\n里乙\n里丙"}}},
			}}}},
		},
		{
			name: "footnotes and endnotes",
			body: wp("增长6%", footRef("1"), "，收入", footRef("2"), "，再引", footRef("1"), `<w:r><w:endnoteReference w:id="1"/></w:r>`, "。") +
				wp("缺注", footRef("7")),
			foot: wnote("footnote", "1", noteBody("footnoteRef", "按可比价格计算。")) +
				wnote("footnote", "2", noteBody("footnoteRef", "第一段。"), `<w:p><w:r><w:t>第二段。</w:t></w:r></w:p>`) +
				wnote("footnote", "3", noteBody("footnoteRef", "没有被引用。")),
			endnote: wnote("endnote", "1", noteBody("endnoteRef", "尾注。")),
			want: []Block{
				{Line: 1, Text: "增长6%[[1]]，收入[[2]]，再引[[1]][[3]]。"},
				{Line: 2, Text: "缺注[[4]]"},
				{Line: 3, Text: "[[1]] 按可比价格计算。"},
				{Line: 4, Text: "[[2]] 第一段。\n第二段。"},
				{Line: 6, Text: "[[3]] 尾注。"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := wordDocx(t, tt.body, tt.foot, tt.endnote)
			got, err := ReadDOCX("word.docx", data, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			want := &Doc{Source: "word.docx", Blocks: tt.want}
			if diff := cmp.Diff(want, got, ignoreLayout); diff != "" {
				t.Errorf("ReadDOCX mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadDOCXStrict(t *testing.T) {
	// Word's "Strict Open XML Document" uses other namespace names.
	doc := `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>严格格式</w:t></w:r></w:p></w:body></w:document>`
	data := ooxmlZip(t,
		zipEntry{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/word/main.xml"/></Relationships>`},
		zipEntry{"word/main.xml", doc},
	)
	got, err := ReadDOCX("strict.docx", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := &Doc{Source: "strict.docx", Blocks: []Block{{Line: 1, Text: "严格格式"}}}
	if diff := cmp.Diff(want, got, ignoreLayout); diff != "" {
		t.Errorf("ReadDOCX mismatch (-want +got):\n%s", diff)
	}
}

func TestReadDOCXErrors(t *testing.T) {
	xlsx, err := os.ReadFile("testdata/ooxml_features.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	doc := func(body string) []byte {
		return ooxmlZip(t, zipEntry{"word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` + body + `</w:document>`})
	}
	tests := []struct {
		name string
		data []byte
		line int
		want []string
	}{
		{"no word/document.xml", ooxmlZip(t, zipEntry{"[Content_Types].xml", `<Types/>`}, zipEntry{"docProps/app.xml", `<Properties/>`}), 0, []string{"不是有效的 .docx 文件", "word/document.xml"}},
		{"a workbook", xlsx, 0, []string{"Excel 工作簿"}},
		{"not a Word body", ooxmlZip(t, zipEntry{"word/document.xml", `<html><body/></html>`}), 0, []string{"不是 Word 正文"}},
		{"no w:body", doc(`<w:background/>`), 0, []string{"没有 w:body"}},
		{"malformed XML", doc(`<w:body><w:p/><w:p><w:r><w:t>坏</w:r></w:p></w:body>`), 2, []string{"word/document.xml", "XML 格式错误", "不匹配"}},
		{"cut off", ooxmlZip(t, zipEntry{"word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>断`}), 1, []string{"结束之前中断"}},
		{"bad entity", doc(`<w:body><w:p/><w:p/><w:p><w:r><w:t>R&D</w:t></w:r></w:p></w:body>`), 3, []string{"实体引用"}},
		{"broken .rels", ooxmlZip(t, zipEntry{"_rels/.rels", `<Relationships`}, zipEntry{"word/document.xml", ""}), 0, []string{"_rels/.rels"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDOCX("bad.docx", tt.data, DefaultLimits)
			e := wantError(t, err, "bad.docx", tt.want...)
			if e.Line != tt.line {
				t.Errorf("Error.Line = %d, want %d", e.Line, tt.line)
			}
		})
	}
}

func TestReadDOCXLongParagraph(t *testing.T) {
	data := wordDocx(t, wp("短")+wp(strings.Repeat("长", 400)), "", "")
	_, err := ReadDOCX("long.docx", data, Limits{MaxLineBytes: 1000})
	e := wantError(t, err, "long.docx", "段落过长", "1000 字节")
	if e.Line != 2 {
		t.Errorf("Error.Line = %d, want 2", e.Line)
	}
}

func BenchmarkReadDOCX(b *testing.B) {
	data, err := os.ReadFile("testdata/decomposition_002.docx")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadDOCX("decomposition_002.docx", data, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// ignoreLayout leaves out the table's layout name, which the readers set and
// the expected documents of these tests do not spell.
var ignoreLayout = cmpopts.IgnoreFields(Table{}, "Layout")

func TestReadDOCXWideSpans(t *testing.T) {
	// Cells spanning huge grids: each costs its columns to whoever lays the
	// table out, so 1,000 such cells are refused before Interpret sees them.
	cell := wtc(`<w:gridSpan w:val="100000000"/>`, wp("x"))
	data := wordDocx(t, wtbl(wtr("", strings.Repeat(cell, 1000))), "", "")
	var err error
	n := allocated(func() { _, err = ReadDOCX("wide.docx", data, DefaultLimits) })
	wantError(t, err, "wide.docx", "文档过大（超过 400000 个段落或单元格）")
	if n > 8<<20 {
		t.Errorf("reading allocated %d bytes, want under 8 MB", n)
	}
}
