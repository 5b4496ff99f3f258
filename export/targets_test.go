package export_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/assess"
	"duban/export"
)

// seedTargets is the input of the 2021 table of 渝中区's plan report (001), read
// by ingest and evaluated by assess.
func seedTargets(t *testing.T) export.TargetsInput {
	t.Helper()
	x := seedExtraction(t, "001_9361f94df469906e.txt")
	in, err := export.TargetsFromExtraction("渝中区", 2021, x, assess.EvaluateExtraction(x, assess.DefaultSettings()))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestTargetsFromExtraction(t *testing.T) {
	in := seedTargets(t)
	if len(in.Rows) != 23 {
		t.Fatalf("%d rows, want the 23 indicators of the 2021 table", len(in.Rows))
	}
	want := export.TargetRow{Seq: 6, Category: "推动高质量发展", Name: "研发经费投入强度", Unit: "%", Attribute: "预期性",
		Target: "0.8", Actual: "0.7左右", Status: assess.StatusMissed, Reason: "完成情况约0.7，低于目标0.8"}
	if diff := cmp.Diff(want, in.Rows[5]); diff != "" {
		t.Errorf("row 6 mismatch (-want +got):\n%s", diff)
	}
	// An outcome not yet published ("——") is judged with remark 5, "——为目前
	// 尚未公布数据，预计能完成", not left 待定.
	want = export.TargetRow{Seq: 13, Category: "创造高品质生活", Name: "人均预期寿命", Unit: "岁", Attribute: "预期性",
		Target: "80.9", Actual: "——", Status: assess.StatusMet, Expected: true,
		Reason: "尚无完成数据；备注称——为目前尚未公布数据，预计能完成，按预计完成评价"}
	if diff := cmp.Diff(want, in.Rows[12]); diff != "" {
		t.Errorf("row 13 mismatch (-want +got):\n%s", diff)
	}
	if len(in.Remarks) != 5 || !strings.HasPrefix(in.Remarks[0], "1.科技进步贡献率") || !strings.HasPrefix(in.Remarks[4], "5.——为目前尚未公布数据") {
		t.Errorf("remarks = %q, want the five numbered notes", in.Remarks)
	}

	x := seedExtraction(t, "001_9361f94df469906e.txt")
	_, err := export.TargetsFromExtraction("渝中区", 2019, x, assess.EvaluateExtraction(x, assess.DefaultSettings()))
	if duban.ErrorCode(err) != duban.CodeNotFound {
		t.Errorf("a year the document lacks: %v, want CodeNotFound", err)
	}
}

// TestTargetsWithoutExpectation checks that without a remark expecting the
// unpublished outcomes to be met, they stay 待定.
func TestTargetsWithoutExpectation(t *testing.T) {
	x := seedExtraction(t, "001_9361f94df469906e.txt")
	for i := range x.Tables {
		for j, r := range x.Tables[i].Remarks {
			if k := strings.Index(r, "5.——"); k >= 0 {
				x.Tables[i].Remarks[j] = r[:k]
			}
		}
	}
	in, err := export.TargetsFromExtraction("渝中区", 2021, x, assess.EvaluateExtraction(x, assess.DefaultSettings()))
	if err != nil {
		t.Fatal(err)
	}
	if r := in.Rows[12]; r.Status != assess.StatusPending || r.Expected {
		t.Errorf("row 13 without remark 5: status %s, expected %v; want pending", r.Status, r.Expected)
	}
}

// TestTargetsFromTasks checks the table of a year no plan report covers: the
// tasks' targets, each with the latest figure reported and judged by it.
func TestTargetsFromTasks(t *testing.T) {
	in, err := export.TargetsFromTasks("渝中区", 2024, sampleTasks(), sampleReports(), assess.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Rows) != 5 {
		t.Fatalf("%d rows, want the 5 targets of the sample tasks", len(in.Rows))
	}
	got := in.Rows[0]
	if got.Name != "地区生产总值增速" || got.Category != "主要预期指标" || got.Target != "6左右" || got.Actual != "6.1（1-10月）" || got.Status != assess.StatusMet {
		t.Errorf("row 1 = %+v", got)
	}
	for _, r := range in.Rows {
		if r.Actual == "——" && r.Status != assess.StatusPending {
			t.Errorf("%s has no figure but is judged %s", r.Name, r.Status)
		}
	}
	data := docxBytes(t, func(b *bytes.Buffer) error { return export.TargetsReport(b, in) })
	if text := documentText(t, data); !strings.Contains(text, "2024年，全区经济社会发展主要目标共5项") {
		t.Errorf("the summary does not count the 5 targets: %q", text)
	}
	if _, err := export.TargetsFromTasks("渝中区", 2023, sampleTasks(), sampleReports(), assess.DefaultSettings()); duban.ErrorCode(err) != duban.CodeNotFound {
		t.Errorf("a year without targets: %v, want CodeNotFound", err)
	}
}

func TestTargetsReportSummary(t *testing.T) {
	in := seedTargets(t)
	data := docxBytes(t, func(b *bytes.Buffer) error { return export.TargetsReport(b, in) })
	text := documentText(t, data)
	// The five outcomes written "——" are expected to be met, as remark 5
	// says: none is left 待定.
	want := "2021年，全区经济社会发展主要目标共23项。其中，已完成20项（6项为预计数）；未完成2项，为研发经费投入强度、绿化覆盖率；" +
		"与目标基本持平1项，为实际利用外资。各项指标的评价依据见表中“说明”栏。"
	if !strings.Contains(text, want) {
		t.Errorf("the summary is not %q; the document reads %q", want, text)
	}
}

func TestTargetsReportLibreOffice(t *testing.T) {
	in := seedTargets(t)
	data := docxBytes(t, func(b *bytes.Buffer) error { return export.TargetsReport(b, in) })
	pdf := toPDF(t, "targets", data)
	pdf.checkPages(t, 3, true)
	pdf.checkPageNumbers(t)
	pdf.checkText(t,
		"渝中区2021年经济社会发展主要目标完成情况",
		"指标类别", "2021年计划目标", "推动高质", "实现安全",
		"研发经费投入强度", "完成情况约0.7，低于目标0.8", "绿化覆盖率", "未完成", "基本持平", "预计完成",
		"备注：1.科技进步贡献率由市科技局掌握",
	)
	// The header is repeated on every page of the table.
	for i, p := range pdf.pages {
		if !strings.Contains(p, "指标名称") {
			t.Errorf("page %d lacks the header row", i+1)
		}
	}
}
