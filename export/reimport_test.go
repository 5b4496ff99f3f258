package export_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"duban"
	"duban/export"
)

// editableLedger writes the sample ledger for editor and returns the file.
func editableLedger(t *testing.T, editor export.Editor) []byte {
	t.Helper()
	l := sampleLedger()
	l.Editable = editor
	var buf bytes.Buffer
	if err := export.Ledger(&buf, l); err != nil {
		t.Fatalf("Ledger: %v", err)
	}
	return buf.Bytes()
}

// edit opens a workbook with excelize, lets fn change it as a user would in
// Excel or WPS, and returns the saved file.
func edit(t *testing.T, data []byte, fn func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fn(f)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// set sets a cell of the sample's sheet, failing the test on an error.
func set(t *testing.T, f *excelize.File, cell string, value any) {
	t.Helper()
	if err := f.SetCellValue("任务台账", cell, value); err != nil {
		t.Fatal(err)
	}
}

// sampleCurrent returns the current rows of the sample: each task with its
// report of November, the cycle of the ledger.
func sampleCurrent() map[int64]export.CurrentRow {
	reports := sampleReports()
	current := map[int64]export.CurrentRow{}
	for _, task := range sampleTasks() {
		r := reports[task.ID]
		if r != nil && r.CycleID != november.ID {
			r = nil
		}
		current[task.ID] = export.CurrentRowOf(task, r)
	}
	return current
}

func parse(t *testing.T, data []byte) []export.LedgerEdit {
	t.Helper()
	edits, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("ParseLedger: %v", err)
	}
	return edits
}

// The rows of the sample's tasks in the editable ledger.
const (
	row101 = 5  // 1.1
	row102 = 7  // 1.4
	row104 = 9  // 4.1
	row105 = 11 // 4.27
	row109 = 14 // 10.2
)

func TestParseLedgerUnedited(t *testing.T) {
	edits := parse(t, editableLedger(t, export.EditUnit))
	if len(edits) != 9 {
		t.Fatalf("%d rows read, want 9", len(edits))
	}
	got := edits[2] // 1.4
	if len(got.Exported) != 6 {
		t.Errorf("exported digests of 1.4 = %q, want six", got.Exported)
	}
	got.Exported = nil
	want := export.LedgerEdit{
		Sheet: "任务台账", SheetIndex: 1, Row: row102, Number: "一、4", Content: "社会消费品零售总额增长7.5%。",
		TaskID: 102, TaskVersion: 1, ReportVersion: 3, CycleID: november.ID,
		Progress: longProgress, Problems: "传统商圈客流恢复不及预期，部分商业体空置率偏高。", NextSteps: "谋划元旦春节消费季活动，加快首店引进。",
		Percent: ptr(70),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("row of 1.4 mismatch (-want +got):\n%s", diff)
	}
	if changes := export.DiffLedger(edits, sampleCurrent()); len(changes) != 0 {
		t.Errorf("an unedited ledger changes %+v", changes)
	}
}

func TestLedgerRoundTrip(t *testing.T) {
	data := edit(t, editableLedger(t, export.EditUnit), func(f *excelize.File) {
		// November's report of 4.27, not started: filled in.
		set(t, f, "K"+itoa(row105), "已盘活闲置楼宇21.3万平方米，完成老旧楼宇改造6栋。\r\n另有2栋进入施工阶段。")
		set(t, f, "L"+itoa(row105), "部分楼宇产权分散，整合难度大。")
		set(t, f, "N"+itoa(row105), 55)
		// 1.4: the percentage raised, typed as text.
		set(t, f, "N"+itoa(row102), "75")
		// 1.1: the problems cleared and trailing spaces left in the next steps.
		set(t, f, "L"+itoa(row101), "")
		set(t, f, "M"+itoa(row101), "加强重点企业调度，确保全年目标完成。  ")
		// A unit cannot change the deadline: the cell is read as locked.
		set(t, f, "F"+itoa(row104), "2025年6月底")
	})
	got := export.DiffLedger(parse(t, data), sampleCurrent())
	want := []export.LedgerChange{
		{TaskID: 101, Number: "一、1", Sheet: "任务台账", Row: row101, TaskVersion: 1, ReportVersion: 2, Fields: []export.FieldChange{
			{Field: export.FieldProblems, Label: "存在问题", Before: "部分重点企业产值增速放缓。", After: ""},
		}},
		{TaskID: 102, Number: "一、4", Sheet: "任务台账", Row: row102, TaskVersion: 1, ReportVersion: 3, Fields: []export.FieldChange{
			{Field: export.FieldPercent, Label: "完成进度（%）", Before: "70", After: "75"},
		}},
		{TaskID: 105, Number: "四、27", Sheet: "任务台账", Row: row105, TaskVersion: 1, ReportVersion: 0, Fields: []export.FieldChange{
			{Field: export.FieldProgress, Label: "进展情况", Before: "", After: "已盘活闲置楼宇21.3万平方米，完成老旧楼宇改造6栋。\n另有2栋进入施工阶段。"},
			{Field: export.FieldProblems, Label: "存在问题", Before: "", After: "部分楼宇产权分散，整合难度大。"},
			{Field: export.FieldPercent, Label: "完成进度（%）", Before: "", After: "55"},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiffLedger mismatch (-want +got):\n%s", diff)
	}
}

func TestLedgerRoundTripOffice(t *testing.T) {
	data := edit(t, editableLedger(t, export.EditOffice), func(f *excelize.File) {
		set(t, f, "F"+itoa(row104), "2025年6月底")
		set(t, f, "Q"+itoa(row109), "区民政局牵头，各街道配合选址")
		set(t, f, "N"+itoa(row109), "80%") // as a cell formatted as a percentage shows it
	})
	got := export.DiffLedger(parse(t, data), sampleCurrent())
	want := []export.LedgerChange{
		{TaskID: 104, Number: "四、1", Sheet: "任务台账", Row: row104, TaskVersion: 1, ReportVersion: 2, Fields: []export.FieldChange{
			{Field: export.FieldDeadline, Label: "完成时限", Before: "2024年12月底", After: "2025-06-30"},
		}},
		{TaskID: 109, Number: "十、2", Sheet: "任务台账", Row: row109, TaskVersion: 3, ReportVersion: 0, Fields: []export.FieldChange{
			{Field: export.FieldPercent, Label: "完成进度（%）", Before: "", After: "80"},
			{Field: export.FieldNote, Label: "备注", Before: "", After: "区民政局牵头，各街道配合选址"},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiffLedger mismatch (-want +got):\n%s", diff)
	}
}

func TestDiffLedgerConflicts(t *testing.T) {
	data := edit(t, editableLedger(t, export.EditOffice), func(f *excelize.File) {
		set(t, f, "N"+itoa(row102), 75)
		set(t, f, "F"+itoa(row102), "2025年3月底")
		set(t, f, "N"+itoa(row101), 90)
	})
	edits := parse(t, data)

	current := sampleCurrent()
	// Since the export, someone saved 1.4's report again and edited the task;
	// 1.1's task changed, but only its report is edited in the file.
	c := current[102]
	c.ReportVersion, c.Percent = 4, ptr(72)
	c.TaskVersion = 2
	current[102] = c
	c = current[101]
	c.TaskVersion = 5
	current[101] = c

	got := export.DiffLedger(edits, current)
	want := []export.LedgerChange{
		{TaskID: 101, Number: "一、1", Sheet: "任务台账", Row: row101, TaskVersion: 1, ReportVersion: 2, Fields: []export.FieldChange{
			{Field: export.FieldPercent, Label: "完成进度（%）", Before: "85", After: "90"},
		}},
		{TaskID: 102, Number: "一、4", Sheet: "任务台账", Row: row102, TaskVersion: 1, ReportVersion: 3, Fields: []export.FieldChange{
			{Field: export.FieldPercent, Label: "完成进度（%）", Before: "72", After: "75", Conflict: true},
			// The task moved, but not its deadline: no conflict there.
			{Field: export.FieldDeadline, Label: "完成时限", Before: "2024年12月底", After: "2025-03-31"},
		}, Conflict: true, Reason: "导出后本期报告已被他人修改（版本3→4），请核对后确认"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiffLedger mismatch (-want +got):\n%s", diff)
	}

	// A task that is gone, or not the importer's, conflicts as a whole.
	delete(current, 101)
	got = export.DiffLedger(edits, current)
	if len(got) == 0 || got[0].TaskID != 101 || !got[0].Conflict || got[0].Reason != "任务已不存在，或不在您可填报的范围内" {
		t.Errorf("change of a missing task = %+v", got[0])
	}
}

func TestParseLedgerSheets(t *testing.T) {
	l := sampleLedger()
	l.Editable, l.Sheets = export.EditUnit, export.SheetsByLeadUnit
	var buf bytes.Buffer
	if err := export.Ledger(&buf, l); err != nil {
		t.Fatal(err)
	}
	// 4.1 has two lead units and so is on two sheets; the file reads as nine
	// tasks.
	edits := parse(t, buf.Bytes())
	if len(edits) != 9 {
		t.Errorf("%d rows, want 9", len(edits))
	}

	// The same task filled in differently on its two sheets is refused.
	data := edit(t, buf.Bytes(), func(f *excelize.File) {
		if err := f.SetCellValue("解放碑CBD管委会", "N5", 95); err != nil {
			t.Fatal(err)
		}
	})
	_, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
	wantError(t, err, "第4张表（解放碑CBD管委会）第5行：与第1张表第7行是同一任务（序号四、1），但填写的内容不一致，请只保留一处")
}

func TestParseLedgerErrors(t *testing.T) {
	good := editableLedger(t, export.EditUnit)
	foreign := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		f.SetCellValue("Sheet1", "A1", "序号")
		var buf bytes.Buffer
		f.WriteTo(&buf)
		return buf.Bytes()
	}()
	readOnly := func() []byte {
		var buf bytes.Buffer
		if err := export.Ledger(&buf, sampleLedger()); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "文件为空"},
		{"text", []byte("序号,任务内容\n1,地区生产总值增长6%左右\n"), "文件不是有效的 Excel 工作簿（.xlsx），请导入从系统导出并填写后的台账"},
		{"legacy xls", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 512)...), "这是旧版 Excel 文件（.xls）或设有打开密码的文件，请另存为不加密的 .xlsx 后再导入"},
		{"corrupt zip", good[:len(good)/2], "文件不是有效的 Excel 工作簿（.xlsx），请导入从系统导出并填写后的台账"},
		{"zip without a workbook", zipOf(t, map[string]string{"word/document.xml": "<w:document/>"}), "文件不是有效的 Excel 工作簿（.xlsx），请导入从系统导出并填写后的台账"},
		{"foreign workbook", foreign, "这不是从系统导出的可填报台账，请先在系统中导出“可填报台账”，填写后再导入"},
		{"ledger to read", readOnly, "这不是从系统导出的可填报台账，请先在系统中导出“可填报台账”，填写后再导入"},
		{"tampered ID", edit(t, good, func(f *excelize.File) { set(t, f, "R"+itoa(row102), "105") }),
			"第1张表（任务台账）第7行：隐藏的任务编号、版本或校验码被改动，无法确认是哪项任务，请重新导出后填写"},
		{"tampered version", edit(t, good, func(f *excelize.File) { set(t, f, "T"+itoa(row102), "4") }),
			"第1张表（任务台账）第7行：隐藏的任务编号、版本或校验码被改动，无法确认是哪项任务，请重新导出后填写"},
		{"percent too high", edit(t, good, func(f *excelize.File) { set(t, f, "N"+itoa(row102), 120) }),
			"第1张表（任务台账）第7行：完成进度应为0到100的整数（现为“120”）"},
		{"percent in words and a fraction", edit(t, good, func(f *excelize.File) {
			set(t, f, "N"+itoa(row101), "八十")
			set(t, f, "N"+itoa(row102), 50.5)
		}), "第1张表（任务台账）第5行：完成进度应为0到100的整数（现为“八十”）\n第1张表（任务台账）第7行：完成进度应为0到100的整数（现为“50.5”）"},
		{"column removed", edit(t, good, func(f *excelize.File) {
			f.UnprotectSheet("任务台账")
			if err := f.RemoveCol("任务台账", "L"); err != nil {
				t.Fatal(err)
			}
		}), "第1张表（任务台账）第3行：第L列应为“存在问题”，表格的列被移动、插入或删除，请重新导出后填写"},
		{"sheet renamed", edit(t, good, func(f *excelize.File) { f.SetSheetName("任务台账", "台账") }),
			"找不到第1张表（任务台账），请勿修改或删除表格名称"},
		{"row added", edit(t, good, func(f *excelize.File) {
			set(t, f, "A17", "十、9")
			set(t, f, "K17", "新增一项工作")
		}), "第1张表（任务台账）第17行：没有任务编号，不能导入新增的行，请在系统中新增任务"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edits, err := export.ParseLedger(bytes.NewReader(tt.data), int64(len(tt.data)))
			if edits != nil {
				t.Errorf("edits = %d rows, want none with an error", len(edits))
			}
			wantError(t, err, tt.want)
		})
	}
}

func TestParseLedgerLimits(t *testing.T) {
	t.Run("size given", func(t *testing.T) {
		_, err := export.ParseLedger(strings.NewReader("PK"), export.MaxLedgerBytes+1)
		wantError(t, err, "文件过大（32.0 MB），上限为 32 MB")
	})
	t.Run("size read", func(t *testing.T) {
		// A reader longer than it said: reading stops past the limit.
		r := io.MultiReader(strings.NewReader("PK\x03\x04"), zeros{})
		_, err := export.ParseLedger(r, 100)
		wantError(t, err, "文件过大（32.0 MB），上限为 32 MB")
	})
	t.Run("zip bomb declared", func(t *testing.T) {
		// A part that says it unpacks to 1 GB is refused before anything is
		// unpacked.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate,
			CompressedSize64: 2, UncompressedSize64: 1 << 30})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte{3, 0})
		zw.Close()
		_, err = export.ParseLedger(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		wantError(t, err, "文件解压后过大（超过 256 MB），不是正常的台账")
	})
	t.Run("zip bomb lying", func(t *testing.T) {
		// A part that says it is small and unpacks to 64 MB: archive/zip stops
		// at the size it declared.
		good := editableLedger(t, export.EditUnit)
		bomb := rezip(t, good, "xl/sharedStrings.xml", bytes.Repeat([]byte(" "), 64<<20), 1<<10)
		_, err := export.ParseLedger(bytes.NewReader(bomb), int64(len(bomb)))
		if duban.ErrorCode(err) != duban.CodeInvalid {
			t.Errorf("ParseLedger = %v, want CodeInvalid", err)
		}
	})
	t.Run("rows far down", func(t *testing.T) {
		good := editableLedger(t, export.EditUnit)
		// Written into the sheet's XML: excelize would make every row between.
		data := replacePart(t, good, "xl/worksheets/sheet1.xml", func(s string) string {
			return strings.Replace(s, "</sheetData>", `<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>`, 1)
		})
		_, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
		wantError(t, err, "第1张表（任务台账）：行数过多（上限 100000 行）")
	})
	t.Run("hidden sheet rows in column XFD", func(t *testing.T) {
		// The probe of issue 15: rows added to the hidden sheet, one cell
		// each in the last column, once took gigabytes.
		data := hiddenSheetRows(t, editableLedger(t, export.EditUnit), 200_000, "XFD")
		_, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
		wantError(t, err, "台账的隐藏信息表（_duban）被改动：第14行第XFD列有内容，该表只用 A、B 两列，请重新导出后填写")
	})
	t.Run("hidden sheet rows", func(t *testing.T) {
		data := hiddenSheetRows(t, editableLedger(t, export.EditUnit), 2_000, "B")
		_, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
		wantError(t, err, "台账的隐藏信息表（_duban）被改动：行数过多（上限 540 行），请重新导出后填写")
	})
	t.Run("value beyond the columns", func(t *testing.T) {
		data := edit(t, editableLedger(t, export.EditUnit), func(f *excelize.File) { set(t, f, "XFD"+itoa(row102), "备注") })
		_, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
		wantError(t, err, "第1张表（任务台账）第7行：第XFD列有内容，超出了台账的列（A 至 V 列），请删除该列的内容后再导入")
	})
	t.Run("huge tag", func(t *testing.T) {
		// encoding/xml keeps a tag whole: a run of attributes that packs to
		// little must not unpack into memory.
		good := editableLedger(t, export.EditUnit)
		attrs := strings.Repeat(` a=""`, 1<<20)
		data := replacePart(t, good, "xl/worksheets/sheet1.xml", func(s string) string {
			return strings.Replace(s, "<sheetData>", "<sheetData><row r=\"1\""+attrs+"/>", 1)
		})
		_, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
		wantError(t, err, "第1张表（任务台账）：无法读取（表格内容损坏）")
	})
}

// metaPart returns the name of the hidden sheet's part, by the workbook and
// its relationships.
func metaPart(t *testing.T, data []byte) string {
	t.Helper()
	part := func(name string) string {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		rc, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	m := regexp.MustCompile(`<sheet [^>]*name="_duban"[^>]*r:id="([^"]+)"`).FindStringSubmatch(part("xl/workbook.xml"))
	if m == nil {
		t.Fatal("no hidden sheet in xl/workbook.xml")
	}
	rel := regexp.MustCompile(`<Relationship [^>]*Id="` + m[1] + `"[^>]*Target="([^"]+)"`).FindStringSubmatch(part("xl/_rels/workbook.xml.rels"))
	if rel == nil {
		t.Fatalf("no relationship %s", m[1])
	}
	return "xl/" + strings.TrimPrefix(rel[1], "/xl/")
}

// hiddenSheetRows adds n rows to the hidden sheet of an editable ledger, each
// with one cell in column col, after the rows it has.
func hiddenSheetRows(t *testing.T, data []byte, n int, col string) []byte {
	t.Helper()
	var rows strings.Builder
	for i := range n {
		r := itoa(14 + i)
		rows.WriteString(`<row r="` + r + `"><c r="` + col + r + `" t="inlineStr"><is><t>x</t></is></c></row>`)
	}
	return replacePart(t, data, metaPart(t, data), func(s string) string {
		return strings.Replace(s, "</sheetData>", rows.String()+"</sheetData>", 1)
	})
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// zipOf returns a zip holding the given files.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// replacePart copies a zip, changing the content of one part.
func replacePart(t *testing.T, data []byte, name string, change func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, f := range zr.File {
		if f.Name != name {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		found = true
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, change(string(content)))
	}
	if !found {
		t.Fatalf("no part %s", name)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rezip copies a zip, replacing one part by content that declares the size
// declared.
func rezip(t *testing.T, data []byte, name string, content []byte, declared uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != name {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var packed bytes.Buffer
		fw, err := flate.NewWriter(&packed, flate.BestSpeed)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
			CompressedSize64: uint64(packed.Len()), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wantError checks err is a *duban.Error with CodeInvalid and message want.
func wantError(t *testing.T, err error, want string) {
	t.Helper()
	if duban.ErrorCode(err) != duban.CodeInvalid {
		t.Fatalf("error = %v (code %q), want CodeInvalid %q", err, duban.ErrorCode(err), want)
	}
	if got := duban.ErrorMessage(err); got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

// TestDiffLedgerThreeWay: the value when exported, the file's and the
// store's. A report saved in duban after the export leaves an untouched row
// of the file without changes; a cell the user changed is a change even if
// the report moved, and a conflict only if the store changed that cell too.
func TestDiffLedgerThreeWay(t *testing.T) {
	data := edit(t, editableLedger(t, export.EditUnit), func(f *excelize.File) {
		set(t, f, "L"+itoa(row101), "用地指标偏紧。") // 1.1: 存在问题, changed in the file only
		set(t, f, "K"+itoa(row102), "文件里改的进展") // 1.4: 进展情况, changed on both sides
	})
	edits := parse(t, data)
	current := sampleCurrent()
	// Since the export, each report was saved again in duban: 1.1's
	// progress, 1.4's progress, and 4.1's (untouched in the file).
	for id, progress := range map[int64]string{101: "系统里改的进展一", 102: "系统里改的进展二", 104: "系统里改的进展三"} {
		c := current[id]
		c.ReportVersion++
		c.Progress = progress
		current[id] = c
	}
	got := export.DiffLedger(edits, current)
	want := []export.LedgerChange{
		{TaskID: 101, Number: "一、1", Sheet: "任务台账", Row: row101, TaskVersion: 1, ReportVersion: 2, Fields: []export.FieldChange{
			{Field: export.FieldProblems, Label: "存在问题", Before: current[101].Problems, After: "用地指标偏紧。"},
		}},
		{TaskID: 102, Number: "一、4", Sheet: "任务台账", Row: row102, TaskVersion: 1, ReportVersion: 3, Fields: []export.FieldChange{
			{Field: export.FieldProgress, Label: "进展情况", Before: "系统里改的进展二", After: "文件里改的进展", Conflict: true},
		}, Conflict: true, Reason: "导出后本期报告已被他人修改（版本3→4），请核对后确认"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiffLedger mismatch (-want +got):\n%s", diff)
	}
}

// TestParseLedgerEmptyLastRow: after a row is deleted, LibreOffice writes an
// empty, formatted row 1048576; a row without a value does not count
// against the limit of rows.
func TestParseLedgerEmptyLastRow(t *testing.T) {
	good := editableLedger(t, export.EditUnit)
	data := replacePart(t, good, "xl/worksheets/sheet1.xml", func(s string) string {
		return strings.Replace(s, "</sheetData>", `<row r="1048576" s="1" customFormat="true"><c r="A1048576" s="1"/><c r="B1048576" s="1" t="s"></c></row></sheetData>`, 1)
	})
	if edits := parse(t, data); len(edits) != 9 {
		t.Errorf("%d rows read, want 9", len(edits))
	}
}

// TestLedgerDeadlines: the office's 完成时限 is read as one date whether the
// cell is an Excel date, a serial number or a Chinese form; a recognised
// non-date is kept as text; anything else is refused with its cell named.
// An untouched deadline is no change, whatever it says.
func TestLedgerDeadlines(t *testing.T) {
	data := edit(t, editableLedger(t, export.EditOffice), func(f *excelize.File) {
		set(t, f, "F"+itoa(row101), 45657)
		set(t, f, "F"+itoa(row102), "12月31日")
		set(t, f, "F"+itoa(row104), "长期坚持")
	})
	got := map[int64]string{}
	for _, ch := range export.DiffLedger(parse(t, data), sampleCurrent()) {
		for _, f := range ch.Fields {
			if f.Field == export.FieldDeadline {
				got[ch.TaskID] = f.After
			}
		}
	}
	want := map[int64]string{101: "2024-12-31", 102: "2024-12-31", 104: "长期坚持"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deadlines mismatch (-want +got):\n%s", diff)
	}

	data = edit(t, editableLedger(t, export.EditOffice), func(f *excelize.File) { set(t, f, "F"+itoa(row102), "尽快完成") })
	_, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
	wantError(t, err, "第1张表（任务台账）第7行第F列（完成时限）：“尽快完成”不是日期，请写成“2024-12-31”“2024年12月底”“12月31日”，或“年底前”“长期坚持”等")
}

// TestReadLedgerDeletedRows: a task row deleted in the file, as a
// spreadsheet program deletes it, is named among the deleted tasks; the
// other rows are read as they are.
func TestReadLedgerDeletedRows(t *testing.T) {
	data := edit(t, editableLedger(t, export.EditUnit), func(f *excelize.File) {
		if err := f.RemoveRow("任务台账", row102); err != nil {
			t.Fatal(err)
		}
	})
	got, err := export.ReadLedger(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("ReadLedger: %v", err)
	}
	if len(got.Edits) != 8 || !slices.Equal(got.Deleted, []int64{102}) {
		t.Errorf("%d rows read, deleted %v; want 8 rows and task 102 deleted", len(got.Edits), got.Deleted)
	}
	unedited := editableLedger(t, export.EditUnit)
	if got, err := export.ReadLedger(bytes.NewReader(unedited), int64(len(unedited))); err != nil || len(got.Deleted) != 0 || got.Deleted == nil {
		t.Errorf("an unedited ledger: deleted %v, %v", got.Deleted, err)
	}
}

// TestLedgerRoundTripRollup: a city's editable roll-up names each row's
// district in a 区县 column, and the office's edits come back from it as
// from a district's file (the columns after 区县 one to the right).
func TestLedgerRoundTripRollup(t *testing.T) {
	l := sampleLedger()
	l.Editable, l.OrgName = export.EditOffice, "重庆市"
	l.OrgNames = map[int64]string{1: "渝中区"}
	var buf bytes.Buffer
	if err := export.Ledger(&buf, l); err != nil {
		t.Fatalf("Ledger: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rs := rows(t, f, "任务台账")
	f.Close()
	if got := rs[2][1]; got != "区县" {
		t.Fatalf("column B of the roll-up is %q, want 区县", got)
	}
	r := rowOf(t, rs, "四、1")
	if got := rs[r-1][1]; got != "渝中区" {
		t.Errorf("the district of 四、1 is %q", got)
	}
	data := edit(t, buf.Bytes(), func(f *excelize.File) {
		set(t, f, "G"+itoa(r), "2025年6月底") // 完成时限, one column right of a district's F
	})
	got := export.DiffLedger(parse(t, data), sampleCurrent())
	if len(got) != 1 || got[0].TaskID != 104 || len(got[0].Fields) != 1 || got[0].Fields[0].After != "2025-06-30" {
		t.Errorf("changes of the roll-up = %+v, want 四、1's deadline 2025-06-30", got)
	}
}
