package assess_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/assess"
	"duban/ingest"
)

func TestEvaluateExtraction(t *testing.T) {
	x := newDoc("pr.txt", ingest.KindPlanReport, 2024, "")
	const tbl = "2023年主要目标完成情况表"
	addRow(x, tbl, 10, "地区生产总值增速", "%", target(2023, "6左右"), actual(2023, "5.5"))
	addRow(x, tbl, 11, "居民人均可支配收入增速", "%", target(2023, "与经济增长同步"), actual(2023, "6"))
	addRow(x, tbl, 12, "农村居民人均可支配收入增速", "%", target(2023, "与城镇居民收入同步"), actual(2023, "6"))
	addRow(x, tbl, 13, "城镇调查失业率", "%", target(2023, "5.5以内"), actual(2023, "5.6"))
	addRow(x, tbl, 14, "PM2.5年均浓度", "微克/立方米", actual(2023, "36"), target(2024, "＜35"))
	addRow(x, "2024年建议表", 20, "地区生产总值增速", "%", actual(2023, "5.5"), target(2024, "与经济增长同步"))
	noYear := ingest.Indicator{Seq: 9, Name: "无年份", Line: 30, Values: []ingest.IndicatorValue{
		{Kind: ingest.ValueTarget, Text: "10", Expr: ingest.ParseExpr("10")},
		{Kind: ingest.ValueActual, Text: "12", Expr: ingest.ParseExpr("12")},
	}}
	x.Tables = append(x.Tables, ingest.IndicatorTable{Title: "无年份表", Indicators: []ingest.Indicator{noYear}})

	got := assess.EvaluateExtraction(x, assess.DefaultSettings())
	want := &assess.Assessment{Source: "pr.txt", Evaluations: []assess.Evaluation{
		{Table: tbl, Seq: 1, Name: "地区生产总值增速", Year: year(2023), Target: "6左右", Actual: "5.5", Status: assess.StatusMissed,
			Reason: "完成情况5.5，低于目标6左右，超出“左右”的范围（±5%）"},
		{Table: tbl, Seq: 2, Name: "居民人均可支配收入增速", Year: year(2023), Target: "与经济增长同步", Actual: "6", Status: assess.StatusMet,
			Reason: "完成情况6，达到目标与经济增长同步（对照值5.5）"},
		{Table: tbl, Seq: 3, Name: "农村居民人均可支配收入增速", Year: year(2023), Target: "与城镇居民收入同步", Actual: "6", Status: assess.StatusNotApplicable,
			Reason: "目标为与城镇居民收入同步，缺少对照指标，无法评价"},
		{Table: tbl, Seq: 4, Name: "城镇调查失业率", Year: year(2023), Target: "5.5以内", Actual: "5.6", Status: assess.StatusMissed,
			Reason: "完成情况5.6，高于目标5.5以内"},
		{Table: "无年份表", Seq: 9, Name: "无年份", Target: "10", Actual: "12", Status: assess.StatusMet,
			Reason: "完成情况12，达到目标10"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EvaluateExtraction mismatch (-want +got):\n%s", diff)
	}
}

func TestEvaluateExtractionPolarityOverride(t *testing.T) {
	x := newDoc("pr.txt", ingest.KindPlanReport, 2024, "")
	addRow(x, "表", 10, "人口自然增长率", "‰", target(2023, "3"), actual(2023, "2.5"))
	s := assess.DefaultSettings()
	if got := assess.EvaluateExtraction(x, s).Evaluations[0].Status; got != assess.StatusMissed {
		t.Errorf("preset: %s, want missed", got)
	}
	s.Polarity = map[string]assess.Polarity{"人口自然增长率": assess.LowerIsBetter}
	if got := assess.EvaluateExtraction(x, s).Evaluations[0].Status; got != assess.StatusMet {
		t.Errorf("override: %s, want met", got)
	}
}

func TestEvaluateExtractionEmpty(t *testing.T) {
	got := assess.EvaluateExtraction(&ingest.Extraction{Source: "x.txt"}, assess.DefaultSettings())
	if got.Evaluations == nil || len(got.Evaluations) != 0 {
		t.Errorf("evaluations = %#v, want an empty non-nil slice", got.Evaluations)
	}
}
