package assess_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/assess"
	"duban/ingest"
)

func TestEvaluate(t *testing.T) {
	zh := assess.DefaultSettings()
	exact := assess.Settings{}
	en := assess.Settings{Tolerance: assess.DefaultTolerance, Lang: assess.LangEN}
	higher, lower := assess.HigherIsBetter, assess.LowerIsBetter
	tests := []struct {
		name           string
		target, actual string
		pol            assess.Polarity
		s              assess.Settings
		want           assess.Result
	}{
		{"approx both equal", "6左右", "6左右", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况约6，达到目标6左右"}},
		{"approx outcome counts by its centre", "6", "6左右", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况约6，达到目标6"}},
		{"approx outcome below inclusive target", "0.8", "0.7左右", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况约0.7，低于目标0.8"}},
		{"below at least", "≥40", "39.4", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况39.4，低于目标≥40"}},
		{"approx outcome on a strict bound", "＞4.5", "4.5左右", higher, zh, assess.Result{Status: assess.StatusBorderline, Reason: "完成情况约4.5，与目标＞4.5的界限大致持平，难以判定"}},
		{"exact outcome on a strict bound", "＞4.5", "4.5", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况4.5，未达到目标＞4.5"}},
		{"approx outcome clear of a strict bound", "＞6", "7左右", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况约7，达到目标＞6"}},
		{"approx outcome near a strict bound", "＞6", "6.2左右", higher, zh, assess.Result{Status: assess.StatusBorderline, Reason: "完成情况约6.2，与目标＞6的界限大致持平，难以判定"}},
		{"inside the band of an approx target", "6左右", "5.8", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况5.8，略低于6，仍在目标6左右的范围内（±5%）"}},
		{"outside the band of an approx target", "6左右", "5.5", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况5.5，低于目标6左右，超出“左右”的范围（±5%）"}},
		{"no tolerance", "6左右", "5.8", higher, exact, assess.Result{Status: assess.StatusMissed, Reason: "完成情况5.8，低于目标6左右，超出“左右”的范围（±0%）"}},
		{"above an approx target", "5左右", "5.3", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况5.3，达到目标5左右"}},
		{"lower is better, outcome a cap", "5左右", "5以内", lower, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况5以内，达到目标5左右（该指标越低越好）"}},
		{"lower is better, inside the band", "5左右", "5.2", lower, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况5.2，略高于5，仍在目标5左右的范围内（±5%）（该指标越低越好）"}},
		{"lower is better, bare target", "35", "36", lower, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况36，高于目标35（该指标越低越好）"}},
		{"above a strict cap", "＜35", "36", lower, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况36，高于目标＜35"}},
		{"on a strict cap", "＜35", "35", lower, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况35，未达到目标＜35"}},
		{"approx outcome on a strict cap", "＜35", "35左右", lower, zh, assess.Result{Status: assess.StatusBorderline, Reason: "完成情况约35，与目标＜35的界限大致持平，难以判定"}},
		{"under a strict cap", "＜0.01", "0.0043", lower, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况0.0043，达到目标＜0.01"}},
		{"a cap holds whatever the polarity", "≤5", "6", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况6，高于目标≤5"}},
		{"no target, no outcome", "——", "——", higher, zh, assess.Result{Status: assess.StatusPending, Reason: "尚无目标值和完成数据"}},
		{"city plan, no outcome", "市计划", "——", higher, zh, assess.Result{Status: assess.StatusPending, Reason: "目标按市计划下达，尚无完成数据"}},
		{"no outcome", "12.6", "——", higher, zh, assess.Result{Status: assess.StatusPending, Reason: "尚无完成数据"}},
		{"empty outcome", "12.6", "", higher, zh, assess.Result{Status: assess.StatusPending, Reason: "尚无完成数据"}},
		{"no target", "——", "5", higher, zh, assess.Result{Status: assess.StatusNotApplicable, Reason: "未设定目标值，无法评价"}},
		{"city plan against a figure", "市计划", "3.2", higher, zh, assess.Result{Status: assess.StatusNotApplicable, Reason: "目标按市计划下达，本表没有可比的目标值"}},
		{"qualitative target against a figure", "高于全市平均水平", "12", higher, zh, assess.Result{Status: assess.StatusNotApplicable, Reason: "目标为文字表述（高于全市平均水平），无法与数值比较"}},
		{"qualitative, same words", "高于全市平均水平", "高于全市平均水平", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况“高于全市平均水平”与目标表述一致"}},
		{"qualitative, other words", "高于全市平均水平", "低于全市平均水平", higher, zh, assess.Result{Status: assess.StatusNotApplicable, Reason: "完成情况为文字表述（低于全市平均水平），无法自动判断"}},
		{"text outcome met", "市计划", "完成市下达任务", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况为“完成市下达任务”，按文字判断为完成"}},
		{"text outcome missed", "市计划", "未完成市下达任务", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况为“未完成市下达任务”，按文字判断为未完成"}},
		{"text outcome partly", "100", "基本完成", higher, zh, assess.Result{Status: assess.StatusBorderline, Reason: "完成情况为“基本完成”，按文字难以判定"}},
		{"estimated rank", "（保持全市第1）", "（预计保持全市第1）", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况保持全市第1，达到目标保持全市第1（预计数，待正式数据确认）"}},
		{"rank outside the top", "（保持全市前3）", "全市第4", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况全市第4，未达到目标保持全市前3"}},
		{"rank against a figure", "（保持全市第1）", "5.3", higher, zh, assess.Result{Status: assess.StatusNotApplicable, Reason: "目标与完成情况一为名次、一为数值，无法比较"}},
		{"sync without reference", "与经济发展同步", "7", higher, zh, assess.Result{Status: assess.StatusNotApplicable, Reason: "目标为与经济发展同步，缺少对照指标，无法评价"}},
		{"outcome floor below target", "≥40", "30以上", higher, zh, assess.Result{Status: assess.StatusBorderline, Reason: "完成情况30以上，无法确定是否达到目标≥40"}},
		{"outcome floor above target", "≥40", "45以上", higher, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况45以上，达到目标≥40"}},
		{"outcome floor on a strict bound", "＞6", "6以上", higher, zh, assess.Result{Status: assess.StatusBorderline, Reason: "完成情况6以上，无法确定是否达到目标＞6"}},
		{"outcome cap below target", "≥40", "35以内", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况35以内，未达到目标≥40"}},
		{"estimated miss", "≤5.5", "预计5.6", lower, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况5.6，高于目标≤5.5（预计数，待正式数据确认）"}},
		{"zero new, none", "零新增", "0", lower, zh, assess.Result{Status: assess.StatusMet, Reason: "完成情况0，达到目标零新增（该指标越低越好）"}},
		{"zero new, some", "零新增", "3", lower, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况3，高于目标零新增（该指标越低越好）"}},
		{"no polarity means higher", "100", "98", "", zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况98，低于目标100"}},
		{"negative outcome", "6以上", "-1.5", higher, zh, assess.Result{Status: assess.StatusMissed, Reason: "完成情况-1.5，低于目标6以上"}},
		{"en miss", "0.8", "0.7左右", higher, en, assess.Result{Status: assess.StatusMissed, Reason: "outcome about 0.7 is below the target 0.8"}},
		{"en met", "≥300", "302", higher, en, assess.Result{Status: assess.StatusMet, Reason: "outcome 302 meets the target of at least 300"}},
		{"en borderline", "＞4.5", "4.5左右", higher, en, assess.Result{Status: assess.StatusBorderline, Reason: "outcome about 4.5 is about level with the bound of the target of more than 4.5; cannot tell"}},
		{"en band", "6左右", "5.8", higher, en, assess.Result{Status: assess.StatusMet, Reason: "outcome 5.8 is slightly below 6 but within the band of the target of about 6 (±5%)"}},
		{"en lower", "5左右", "5以内", lower, en, assess.Result{Status: assess.StatusMet, Reason: "outcome at most 5 meets the target of about 5 (lower is better)"}},
		{"en pending", "市计划", "——", higher, en, assess.Result{Status: assess.StatusPending, Reason: "target set by the city plan (市计划); no outcome yet"}},
		{"en estimated rank", "（保持全市第1）", "（预计保持全市第1）", higher, en, assess.Result{Status: assess.StatusMet, Reason: "outcome rank 1 meets the target of rank 1 (estimate, not final)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := assess.Evaluate(ingest.ParseExpr(tt.target), ingest.ParseExpr(tt.actual), tt.pol, tt.s)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Evaluate(%q, %q) mismatch (-want +got):\n%s", tt.target, tt.actual, diff)
			}
		})
	}
}

func TestEvaluateSync(t *testing.T) {
	s := assess.DefaultSettings()
	tests := []struct {
		name                string
		target, actual, ref string
		want                assess.Result
	}{
		{"faster than the economy", "与经济发展同步", "7", "6左右", assess.Result{Status: assess.StatusMet, Reason: "完成情况7，达到目标与经济发展同步（对照值约6）"}},
		{"a little slower", "与经济增长同步", "5.8", "6", assess.Result{Status: assess.StatusMet, Reason: "完成情况5.8，略低于6，仍在目标与经济增长同步（对照值6）的范围内（±5%）"}},
		{"much slower", "与经济增长同步", "5", "6", assess.Result{Status: assess.StatusMissed, Reason: "完成情况5，低于目标与经济增长同步（对照值6），超出“左右”的范围（±5%）"}},
		{"no reference yet", "与经济增长同步", "5", "——", assess.Result{Status: assess.StatusPending, Reason: "目标为与经济增长同步，对照指标尚无数据"}},
		{"no outcome yet", "与经济增长同步", "——", "6", assess.Result{Status: assess.StatusPending, Reason: "尚无完成数据"}},
		{"not a sync target", "6左右", "6", "——", assess.Result{Status: assess.StatusMet, Reason: "完成情况6，达到目标6左右"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := assess.EvaluateSync(ingest.ParseExpr(tt.target), ingest.ParseExpr(tt.actual), ingest.ParseExpr(tt.ref), assess.HigherIsBetter, s)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("EvaluateSync mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEvaluateTolerance shows the band growing with the setting.
func TestEvaluateTolerance(t *testing.T) {
	target, actual := ingest.ParseExpr("6左右"), ingest.ParseExpr("5.5")
	for _, tt := range []struct {
		tol  float64
		want assess.Status
	}{{0, assess.StatusMissed}, {0.05, assess.StatusMissed}, {0.1, assess.StatusMet}, {-1, assess.StatusMissed}, {5, assess.StatusMet}} {
		got := assess.Evaluate(target, actual, assess.HigherIsBetter, assess.Settings{Tolerance: tt.tol})
		if got.Status != tt.want {
			t.Errorf("tolerance %v: got %s (%s), want %s", tt.tol, got.Status, got.Reason, tt.want)
		}
	}
}

// TestEvaluateNonFinite checks that values no parser gives still do no harm.
func TestEvaluateNonFinite(t *testing.T) {
	nan, inf := 0.0, 1.0
	nan /= nan
	inf /= 0
	for _, v := range []float64{nan, inf} {
		e := ingest.Expr{Op: ingest.OpGE, Value: &v, Text: "x"}
		got := assess.Evaluate(e, ingest.ParseExpr("5"), assess.HigherIsBetter, assess.DefaultSettings())
		if got.Status != assess.StatusNotApplicable || strings.TrimSpace(got.Reason) == "" {
			t.Errorf("target %v: got %+v, want not_applicable with a reason", v, got)
		}
	}
}
