package docx_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"duban/docx"
)

// The sample document has five pages: the text with its signature on page 1,
// a long table on pages 2–4 and a landscape section on page 5.
const (
	samplePages     = 5
	sampleDataRows  = 55 // 21 rows of 10 mm under the header fill a page
	sampleGroupRows = 5  // rows merged in the 牵头单位 column
)

// sampleTitle and the other sample texts are checked in the rendered PDF.
const (
	sampleTitle     = "关于2024年上半年重点工作推进情况的通报"
	sampleHeading   = "一、总体情况"
	sampleBody      = "上半年，全区各单位坚持稳中求进工作总基调，扎实推进政府工作报告确定的重点任务。"
	sampleHeader    = "任务内容"
	sampleWideTitle = "附件：主要指标完成情况表"
	sampleSignature = "区政府督查室"
	sampleDate      = "2024年7月10日"
)

// sampleCreated is the sample's creation time: a parameter, never the clock.
var sampleCreated = time.Date(2024, 7, 10, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// sampleDocument builds the sample: a title, headings of the three levels,
// body text, a signature, a three-page table with a repeated header row, cells
// merged across rows and columns and status shading, then a landscape section
// with a wide table.
func sampleDocument() *docx.Document {
	d := docx.New(docx.Options{Title: "督查通报", Creator: "区政府督查室", Created: sampleCreated})
	d.DocNumber("渝中督〔2024〕12号")
	d.Title(sampleTitle)
	d.Subtitle("（2024年7月10日）")
	d.Heading(1, sampleHeading)
	d.Paragraph(sampleBody + "截至6月底，194项任务中已完成23项，按序时进度推进161项，滞后10项。" +
		"各牵头单位要对照任务清单，逐项梳理进展，确保“时间过半、任务过半”。")
	d.Heading(2, docx.Numbering(2, 1)+"重点项目加快推进")
	d.Paragraph("重庆来福士、解放碑—朝天门步行大道等项目按计划推进，完成投资78.5亿元，同比增长6.2%。")
	d.Heading(3, docx.Numbering(3, 1)+"存在问题")
	d.Paragraph("部分任务进展滞后，个别单位报送材料不及时、不规范。\n下一步，区政府督查室将加强跟踪问效。")
	d.Signature(sampleSignature, sampleDate)

	d.PageBreak()
	d.Table(longTable())

	d.StartSection(docx.Landscape)
	d.Heading(1, sampleWideTitle)
	d.Table(wideTable())
	return d
}

// longTable returns a table of sampleDataRows rows of 10 mm under one header
// row: three pages.
func longTable() *docx.Table {
	t := &docx.Table{
		Columns: []docx.Column{
			{Width: 1, Align: docx.AlignCenter}, {Width: 5}, {Width: 2, Align: docx.AlignCenter}, {Width: 1.5, Align: docx.AlignCenter},
		},
		HeaderRows: 1,
		Size:       docx.SizeNo5,
		RowHeight:  10,
		Rows:       [][]docx.Cell{{{Text: "序号"}, {Text: sampleHeader}, {Text: "牵头单位"}, {Text: "状态", Shade: docx.ShadeGray}}},
	}
	shades := []docx.Shade{docx.ShadeGreen, docx.ShadeYellow, docx.ShadeRed}
	for i := range sampleDataRows {
		row := []docx.Cell{
			{Text: fmt.Sprint(i + 1)},
			{Text: fmt.Sprintf("第%d项重点任务：推进城市更新和老旧小区改造", i+1)},
		}
		if i%sampleGroupRows == 0 {
			row = append(row, docx.Cell{Text: fmt.Sprintf("牵头单位%d", i/sampleGroupRows+1), RowSpan: sampleGroupRows})
		}
		row = append(row, docx.Cell{Text: []string{"正常", "滞后", "未完成"}[i%3], Shade: shades[i%3]})
		t.Rows = append(t.Rows, row)
	}
	return t
}

// wideTable returns a ten-column table with a two-row header whose first cells
// are merged down and across.
func wideTable() *docx.Table {
	t := &docx.Table{
		Columns:    []docx.Column{{Width: 0.8}, {Width: 3}, {}, {}, {}, {}, {}, {}, {}, {Width: 1.5}},
		HeaderRows: 2,
		Rows: [][]docx.Cell{
			{{Text: "序号", RowSpan: 2}, {Text: "指标名称", RowSpan: 2}, {Text: "2023年", ColSpan: 4}, {Text: "2024年", ColSpan: 4}},
			{{Text: "目标"}, {Text: "完成"}, {Text: "单位"}, {Text: "属性"}, {Text: "目标"}, {Text: "完成"}, {Text: "单位"}, {Text: "属性"}},
		},
	}
	for i := range 5 {
		t.Rows = append(t.Rows, []docx.Cell{
			{Text: fmt.Sprint(i + 1), Align: docx.AlignCenter},
			{Text: fmt.Sprintf("地区生产总值增长%d", i+1)},
			{Text: "6左右", Align: docx.AlignRight}, {Text: "6.1", Align: docx.AlignRight}, {Text: "%"}, {Text: "预期性"},
			{Text: "6以上", Align: docx.AlignRight}, {Text: "——", Align: docx.AlignCenter}, {Text: "%"}, {Text: "预期性", Shade: docx.ShadeYellow},
		})
	}
	return t
}

// mustWrite returns the bytes of d.
func mustWrite(t *testing.T, d *docx.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := d.WriteTo(&buf)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
	}
	return buf.Bytes()
}
