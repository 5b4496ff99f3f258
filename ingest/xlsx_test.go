package ingest

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadXLSXDecomposition002(t *testing.T) {
	before, rows := seedRows(t)
	// Row 1 is the title, merged across the five columns; the seed's rows
	// follow from row 2, every cell of a row with the row's number.
	num := 1
	table := seedTable(t, rows, func(int) int { return num })
	for i := range table.Rows {
		num = i + 2
		r := &table.Rows[i]
		r.Line = num
		for j := range r.Cells {
			r.Cells[j].Line = num
		}
		// Empty cells at the end of a row are left out.
		for len(r.Cells) > 0 {
			if c := r.Cells[len(r.Cells)-1]; c.Text != "" || c.Merged {
				break
			}
			r.Cells = r.Cells[:len(r.Cells)-1]
		}
	}
	title := Row{Line: 1, Cells: []Cell{{Line: 1, Text: before[len(before)-1], Span: 5}}}
	table.Rows = append([]Row{title}, table.Rows...)
	want := &Doc{Source: "decomposition_002.xlsx", Blocks: []Block{{Line: 1, Table: table}}}

	data, err := os.ReadFile("testdata/decomposition_002.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadXLSX("decomposition_002.xlsx", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, ignoreLayout); diff != "" {
		t.Errorf("ReadXLSX mismatch (-want +got):\n%s", diff)
	}
}

// TestReadXLSXFeatures reads a small workbook LibreOffice wrote (see
// scripts/make_fixtures.py): a merge across rows and columns whose covered
// cells are written as empty styled cells, shared strings with "&#10;" line
// breaks, numbers (one written "-2.5E-007"), a percentage in a custom format,
// a formula, a boolean, a date, empty rows, an empty sheet and a third sheet.
func TestReadXLSXFeatures(t *testing.T) {
	data, err := os.ReadFile("testdata/ooxml_features.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadXLSX("ooxml_features.xlsx", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := &Doc{Source: "ooxml_features.xlsx", Blocks: []Block{
		{Line: 1, Table: &Table{Rows: []Row{
			{Line: 1, Cells: []Cell{{Line: 1, Text: "合并标题", Span: 3}, {Line: 1, Text: "第一行\n第二行"}}},
			{Line: 2, Cells: []Cell{{Line: 2, Span: 3, Merged: true}, {Line: 2, Text: "陈  平"}}},
			{Line: 3, Cells: []Cell{{Line: 3, Text: "6"}, {Line: 3, Text: "0.0043"}, {Line: 3, Text: "7.5"}, {Line: 3, Text: "6.5%"}, {Line: 3, Text: "0.3"}}},
			{Line: 4, Cells: []Cell{{Line: 4, Text: "TRUE"}, {Line: 4}, {Line: 4}, {Line: 4, Text: "45316"}, {Line: 4, Text: "第一行\n第二行"}}},
			{Line: 7, Cells: []Cell{{Line: 7}, {Line: 7, Text: "1100"}, {Line: 7, Text: "-0.00000025"}}},
		}}},
		{Line: 1, Table: &Table{Rows: []Row{
			{Line: 1, Cells: []Cell{{Line: 1, Text: "甲"}, {Line: 1, Text: "乙"}}},
		}}},
	}}
	if diff := cmp.Diff(want, got, ignoreLayout); diff != "" {
		t.Errorf("ReadXLSX mismatch (-want +got):\n%s", diff)
	}
}

// excelPart is the XML declaration Excel starts every part with.
const excelPart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"

// excelSheet is a worksheet part as Excel writes it around sheetData and
// mergeCells.
func excelSheet(sheetData, mergeCells string) string {
	return excelPart + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xr:uid="{00000000-0001-0000-0000-000000000000}">` +
		`<dimension ref="A1:E12"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><selection activeCell="B3" sqref="B3"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="14.25" x14ac:dyDescent="0.2"/><cols><col min="1" max="1" width="18.625" customWidth="1"/></cols>` +
		`<sheetData>` + sheetData + `</sheetData>` + mergeCells +
		`<phoneticPr fontId="1" type="noConversion"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="portrait" r:id="rId1"/></worksheet>`
}

// excelXLSX builds a .xlsx the way Excel lays one out: sheets are (name,
// part body) in workbook order; sharedStrings and styles are the contents of
// their parts ("" for none). A sheet body "chart" makes a chart sheet.
func excelXLSX(t testing.TB, sharedStrings, styles string, sheets ...[2]string) []byte {
	t.Helper()
	const relType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	entries := []zipEntry{
		{"[Content_Types].xml", excelPart + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`},
		{"_rels/.rels", excelPart + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="` + relType + `extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="` + relType + `officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	}
	var sheetList, rels strings.Builder
	for i, sh := range sheets {
		// Excel numbers relationships from the last sheet backwards at times;
		// the order of the workbook's <sheets> is what counts.
		id := fmt.Sprintf("rId%d", len(sheets)-i)
		fmt.Fprintf(&sheetList, `<sheet name="%s" sheetId="%d" r:id="%s"/>`, sh[0], i+1, id)
		if sh[1] == "chart" {
			fmt.Fprintf(&rels, `<Relationship Id="%s" Type="%schartsheet" Target="chartsheets/sheet%d.xml"/>`, id, relType, i+1)
			entries = append(entries, zipEntry{fmt.Sprintf("xl/chartsheets/sheet%d.xml", i+1), excelPart + `<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`})
			continue
		}
		fmt.Fprintf(&rels, `<Relationship Id="%s" Type="%sworksheet" Target="worksheets/sheet%d.xml"/>`, id, relType, i+1)
		entries = append(entries, zipEntry{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), sh[1]})
	}
	if sharedStrings != "" {
		rels.WriteString(`<Relationship Id="rId90" Type="` + relType + `sharedStrings" Target="sharedStrings.xml"/>`)
		entries = append(entries, zipEntry{"xl/sharedStrings.xml", excelPart + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="9">` + sharedStrings + `</sst>`})
	}
	if styles != "" {
		rels.WriteString(`<Relationship Id="rId91" Type="` + relType + `styles" Target="styles.xml"/>`)
		entries = append(entries, zipEntry{"xl/styles.xml", excelPart + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2 xr" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">` + styles + `</styleSheet>`})
	}
	entries = append(entries,
		zipEntry{"xl/workbook.xml", excelPart + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15 xr xr6 xr10 xr2" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/><workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840"/></bookViews><sheets>` +
			sheetList.String() + `</sheets><calcPr calcId="191029"/></workbook>`},
		zipEntry{"xl/_rels/workbook.xml.rels", excelPart + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`},
	)
	return ooxmlZip(t, entries...)
}

func TestReadXLSXExcelMarkup(t *testing.T) {
	shared := `<si><t>标题</t><phoneticPr fontId="1" type="noConversion"/></si>` +
		`<si><r><rPr><b/><sz val="11"/><color theme="1"/><rFont val="等线"/><family val="3"/><charset val="134"/><scheme val="minor"/></rPr><t>粗体</t></r><r><rPr><sz val="11"/><rFont val="等线"/></rPr><t xml:space="preserve">普通 </t></r><rPh sb="0" eb="2"><t>cuti</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>` +
		`<si><t>第一行_x000D_` + "\n" + `第二行</t></si>` +
		`<si><t xml:space="preserve">` + "\n" + `值  ` + "\n \n" + `</t></si>` +
		`<si><t>甲</t></si>`
	styles := `<numFmts count="1"><numFmt numFmtId="176" formatCode="0.0%"/></numFmts>` +
		`<fonts count="1"><font><sz val="11"/><name val="等线"/><charset val="134"/></font></fonts>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"><alignment vertical="center"/></xf></cellStyleXfs>` +
		`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"><alignment vertical="center"/></xf><xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles><dxfs count="1"><dxf><numFmt numFmtId="176" formatCode="0.00"/></dxf></dxfs>`
	first := excelSheet(
		`<row r="1" spans="1:5" x14ac:dyDescent="0.2"><c r="A1" t="s"><v>0</v></c><c r="B1"/><c r="C1"/><c r="D1" s="1"><v>6.5000000000000002E-2</v></c><c r="E1" s="2"><v>0.1234</v></c></row>`+
			`<row r="2" spans="1:5"><c r="A2" t="inlineStr"><is><t>内联</t></is></c><c r="B2" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></is></c><c r="C2" t="str"><f>A2&amp;B2</f><v>内联富文本</v></c><c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E2" t="b"><v>0</v></c></row>`+
			`<row r="3" spans="1:5"><c><v>6.0000000000000009</v></c><c><v>0.0043</v></c><c s="3"><v>45316</v></c></row>`+
			`<row><c r="B4" t="s"><v>1</v></c></row>`+
			`<row r="6"><c r="D6" t="s"><v>2</v></c></row>`+
			`<row r="8"><c r="A8" t="s"><v>4</v></c><c r="D8"/></row>`+
			`<row r="10"><c r="A10" s="1"/><c r="C10" t="inlineStr"><is><t xml:space="preserve">  </t></is></c></row>`+
			`<row r="12"><c r="A12" s="1"/><c r="C12" t="s"><v>3</v></c></row>`,
		`<mergeCells count="3"><mergeCell ref="A1:C1"/><mergeCell ref="D6:D8"/><mergeCell ref="A10:B10"/></mergeCells>`)
	second := excelSheet(`<row r="3"><c r="C3" t="inlineStr"><is><t>乙表</t></is></c></row>`, "")
	empty := excelSheet("", "")
	data := excelXLSX(t, shared, styles, [2]string{"任务", first}, [2]string{"图表", "chart"}, [2]string{"空表", empty}, [2]string{"乙", second})
	got, err := ReadXLSX("excel.xlsx", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	cells := func(line int, texts ...string) Row {
		r := Row{Line: line}
		for _, text := range texts {
			r.Cells = append(r.Cells, Cell{Line: line, Text: text})
		}
		return r
	}
	r1 := cells(1, "标题", "6.5%", "12.34%")
	r1.Cells[0].Span = 3
	r7 := cells(7, "", "", "", "")
	r7.Cells[3].Merged = true
	r8 := cells(8, "甲", "", "", "")
	r8.Cells[3].Merged = true
	want := &Doc{Source: "excel.xlsx", Blocks: []Block{
		{Line: 1, Table: &Table{Rows: []Row{
			r1,
			cells(2, "内联", "富文本", "内联富文本", "#DIV/0!", "FALSE"),
			cells(3, "6", "0.0043", "45316"),
			cells(4, "", "粗体普通 "),
			cells(6, "", "", "", "第一行\n第二行"),
			r7,
			r8,
			cells(12, "", "", "值  "),
		}}},
		{Line: 3, Table: &Table{Rows: []Row{cells(3, "", "", "乙表")}}},
	}}
	if diff := cmp.Diff(want, got, ignoreLayout); diff != "" {
		t.Errorf("ReadXLSX mismatch (-want +got):\n%s", diff)
	}
}

func TestReadXLSXOutOfOrder(t *testing.T) {
	// Other tools than Excel may write rows and cells out of order, or twice.
	sheet := excelSheet(`<row r="3"><c r="C3" t="inlineStr"><is><t>丙</t></is></c><c r="A3" t="inlineStr"><is><t>甲</t></is></c></row>`+
		`<row r="1"><c r="B1" t="inlineStr"><is><t>旧</t></is></c></row>`+
		`<row r="1"><c r="B1" t="inlineStr"><is><t>新</t></is></c><c r="A1" t="inlineStr"><is><t>首</t></is></c></row>`,
		`<mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells>`)
	got, err := ReadXLSX("odd.xlsx", excelXLSX(t, "", "", [2]string{"表", sheet}), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := &Doc{Source: "odd.xlsx", Blocks: []Block{{Line: 1, Table: &Table{Rows: []Row{
		{Line: 1, Cells: []Cell{{Line: 1, Text: "首"}, {Line: 1, Text: "新"}}},
		{Line: 2, Cells: []Cell{{Line: 2, Merged: true}}},
		{Line: 3, Cells: []Cell{{Line: 3, Merged: true}, {Line: 3}, {Line: 3, Text: "丙"}}},
	}}}}}
	if diff := cmp.Diff(want, got, ignoreLayout); diff != "" {
		t.Errorf("ReadXLSX mismatch (-want +got):\n%s", diff)
	}
}

func TestReadXLSXErrors(t *testing.T) {
	docx, err := os.ReadFile("testdata/ooxml_features.docx")
	if err != nil {
		t.Fatal(err)
	}
	sheet := func(rows string) []byte {
		return excelXLSX(t, `<si><t>唯一</t></si>`, "", [2]string{"表", excelSheet(rows, "")})
	}
	noPart := excelXLSX(t, "", "", [2]string{"表", excelSheet("", "")})
	noPart = rewriteZip(t, noPart, "xl/worksheets/sheet1.xml", "")
	tests := []struct {
		name string
		data []byte
		line int
		want []string
	}{
		{"no workbook", ooxmlZip(t, zipEntry{"[Content_Types].xml", `<Types/>`}), 0, []string{"不是有效的 .xlsx 文件", "xl/workbook.xml"}},
		{"a Word document", docx, 0, []string{"Word 文档"}},
		{"no such shared string", sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="5"><c r="A5" t="s"><v>1</v></c></row>`), 5, []string{"共享字符串", "“1”"}},
		{"bad row number", sheet(`<row r="0"><c r="A1"><v>1</v></c></row>`), 0, []string{"行号“0”"}},
		{"bad cell reference", sheet(`<row r="2"><c r="1A"><v>1</v></c></row>`), 2, []string{"单元格引用“1A”"}},
		{"beyond column XFD", sheet(`<row r="2"><c r="XFD2"><v>1</v></c><c><v>2</v></c></row>`), 2, []string{"列数"}},
		{"malformed XML", sheet(`<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1</c></row>`), 2, []string{"xl/worksheets/sheet1.xml", "XML 格式错误"}},
		{"missing sheet part", noPart, 0, []string{"缺少工作表“表”"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadXLSX("bad.xlsx", tt.data, DefaultLimits)
			e := wantError(t, err, "bad.xlsx", tt.want...)
			if e.Line != tt.line {
				t.Errorf("Error.Line = %d, want %d", e.Line, tt.line)
			}
		})
	}
}

func TestReadXLSXLimits(t *testing.T) {
	long := excelXLSX(t, "", "", [2]string{"表", excelSheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>短</t></is></c></row><row r="7"><c r="B7" t="inlineStr"><is><t>`+strings.Repeat("长", 400)+`</t></is></c></row>`, "")})
	_, err := ReadXLSX("long.xlsx", long, Limits{MaxLineBytes: 1000})
	if e := wantError(t, err, "long.xlsx", "单元格文字过长", "1000 字节"); e.Line != 7 {
		t.Errorf("Error.Line = %d, want 7", e.Line)
	}

	var sheets [][2]string
	for i := range xlsxMaxSheets + 1 {
		sheets = append(sheets, [2]string{fmt.Sprint("表", i), excelSheet("", "")})
	}
	_, err = ReadXLSX("many.xlsx", excelXLSX(t, "", "", sheets...), DefaultLimits)
	wantError(t, err, "many.xlsx", "工作表过多")
}

// rewriteZip returns data with part replaced by body, or removed if body is "".
func rewriteZip(t testing.TB, data []byte, part, body string) []byte {
	t.Helper()
	zr, err := zipReader(data)
	if err != nil {
		t.Fatal(err)
	}
	var entries []zipEntry
	for _, f := range zr.File {
		if f.Name == part {
			if body != "" {
				entries = append(entries, zipEntry{part, body})
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, zipEntry{f.Name, string(b)})
	}
	return ooxmlZip(t, entries...)
}

func TestXLSXNumber(t *testing.T) {
	tests := []struct {
		in      string
		percent bool
		want    string
	}{
		{"6", false, "6"},
		{"6.0000000000000009", false, "6"},
		{"5.9999999999999991", false, "6"},
		{"0.0043", false, "0.0043"},
		{"4.3E-3", false, "0.0043"},
		{"-2.5E-007", false, "-0.00000025"},
		{"0.30000000000000004", false, "0.3"},
		{"1100", false, "1100"},
		{"123456789012", false, "123456789012"},
		{"-0", false, "0"},
		{" 7.5 ", false, "7.5"},
		{"0.065", true, "6.5%"},
		{"1", true, "100%"},
		{"0.1234", true, "12.34%"},
		{"abc", false, "abc"},
		{"NaN", false, "NaN"},
		{"1e400", false, "1e400"},
	}
	for _, tt := range tests {
		if got := xlsxNumber(tt.in, tt.percent); got != tt.want {
			t.Errorf("xlsxNumber(%q, %v) = %q, want %q", tt.in, tt.percent, got, tt.want)
		}
	}
}

func TestXLSXPercentFormat(t *testing.T) {
	tests := map[string]bool{
		"0%":                  true,
		"0.0%":                true,
		`#,##0.00%;[Red]-0%`:  true,
		`0.00"%"`:             false,
		`0\%`:                 false,
		"General":             false,
		"0.00;[Red]-0.00%":    false,
		`yyyy"年"m"月"d"日"`:     false,
		`[$-804]0.0%;@`:       true,
		`_(* #,##0_);_(* "-"`: false,
	}
	for code, want := range tests {
		if got := xlsxPercentFormat(code); got != want {
			t.Errorf("xlsxPercentFormat(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestXLSXRefs(t *testing.T) {
	tests := []struct {
		ref      string
		row, col int
		ok       bool
	}{
		{"A1", 1, 1, true},
		{"E12", 12, 5, true},
		{"AA3", 3, 27, true},
		{"XFD1048576", 1048576, 16384, true},
		{"XFE1", 0, 0, false},
		{"A1048577", 0, 0, false},
		{"A0", 0, 0, false},
		{"A+1", 0, 0, false},
		{"1A", 0, 0, false},
		{"A", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		row, col, ok := xlsxCellRef(tt.ref)
		if row != tt.row || col != tt.col || ok != tt.ok {
			t.Errorf("xlsxCellRef(%q) = %d, %d, %v; want %d, %d, %v", tt.ref, row, col, ok, tt.row, tt.col, tt.ok)
		}
	}
	if m, ok := xlsxRangeRef("C5:A1"); !ok || m != (xlsxRange{1, 1, 5, 3}) {
		t.Errorf("xlsxRangeRef(C5:A1) = %v, %v", m, ok)
	}
	for _, ref := range []string{"A1", "A1:A1", "A1:", "A1:B"} {
		if _, ok := xlsxRangeRef(ref); ok {
			t.Errorf("xlsxRangeRef(%q) ok, want not a merge", ref)
		}
	}
}

func BenchmarkReadXLSX(b *testing.B) {
	data, err := os.ReadFile("testdata/decomposition_002.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadXLSX("decomposition_002.xlsx", data, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// mergeSheet is a sheet with a title in A1, a cell in last (if any), and one
// merge over the whole grid, A1:XFD1048576: the probe of issue 15.
func mergeSheet(last string) string {
	far := ""
	if last != "" {
		far = `<row r="1048576"><c r="` + last + `" t="inlineStr"><is><t>末行</t></is></c></row>`
	}
	return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>重点任务分解表</t></is></c></row>` + far +
		`</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>`
}

func TestReadXLSXMergeOverTheGrid(t *testing.T) {
	t.Run("title in a merge of the first row", func(t *testing.T) {
		// A merge reaches no further than the content: one cell.
		sheet := strings.Replace(mergeSheet(""), "A1:XFD1048576", "A1:XFD1", 1)
		var doc *Doc
		var err error
		n := allocated(func() {
			doc, err = ReadXLSX("merge.xlsx", excelXLSX(t, "", "", [2]string{"表", sheet}), DefaultLimits)
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []Row{{Line: 1, Cells: []Cell{{Line: 1, Text: "重点任务分解表"}}}}
		if diff := cmp.Diff(want, doc.Blocks[0].Table.Rows); diff != "" {
			t.Errorf("rows mismatch (-want +got):\n%s", diff)
		}
		if n > 4<<20 {
			t.Errorf("reading allocated %d bytes, want under 4 MB", n)
		}
	})
	t.Run("over the grid", func(t *testing.T) {
		for _, last := range []string{"", "A1048576", "XFD1048576"} {
			data := excelXLSX(t, "", "", [2]string{"表", mergeSheet(last)})
			var err error
			n := allocated(func() { _, err = ReadXLSX("merge.xlsx", data, DefaultLimits) })
			wantError(t, err, "merge.xlsx", "合并单元格过大（A1:XFD1048576", "请取消多余的合并后重新导入")
			if n > 4<<20 {
				t.Errorf("%s: reading allocated %d bytes, want under 4 MB", last, n)
			}
		}
	})
}
