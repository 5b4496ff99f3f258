package ingest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/ingest"
)

func TestParseExpr(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want ingest.Expr
	}{
		// Every value cell of the two tables of seed 001 (gold_001.json).
		{"approx", "6左右", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "6左右"}},
		{"approx decimal", "0.75左右", ingest.Expr{Op: ingest.OpApprox, Value: new(0.75), Text: "0.75左右"}},
		{"approx hundred", "100左右", ingest.Expr{Op: ingest.OpApprox, Value: new(100.0), Text: "100左右"}},
		{"bare", "18.5", ingest.Expr{Op: ingest.OpReach, Value: new(18.5), Text: "18.5"}},
		{"bare small", "0.0043", ingest.Expr{Op: ingest.OpReach, Value: new(0.0043), Text: "0.0043"}},
		{"bare whole", "302", ingest.Expr{Op: ingest.OpReach, Value: new(302.0), Text: "302"}},
		{"le 以内", "5以内", ingest.Expr{Op: ingest.OpLE, Value: new(5.0), Text: "5以内"}},
		{"ge sign", "≥300", ingest.Expr{Op: ingest.OpGE, Value: new(300.0), Text: "≥300"}},
		{"gt full-width", "＞4.5", ingest.Expr{Op: ingest.OpGT, Value: new(4.5), Text: "＞4.5"}},
		{"lt full-width", "＜0.01", ingest.Expr{Op: ingest.OpLT, Value: new(0.01), Text: "＜0.01"}},
		{"unknown long dash", "——", ingest.Expr{Op: ingest.OpUnknown, Text: "——"}},
		{"external city plan", "市计划", ingest.Expr{Op: ingest.OpExternal, Text: "市计划"}},
		{"qualitative", "高于全市平均水平", ingest.Expr{Op: ingest.OpQualitative, Text: "高于全市平均水平"}},
		{"rank", "（保持全市第1）", ingest.Expr{Op: ingest.OpRank, Value: new(1.0), Text: "（保持全市第1）"}},
		{"rank estimated", "（预计保持全市第1）", ingest.Expr{Op: ingest.OpRank, Value: new(1.0), Text: "（预计保持全市第1）", Estimated: true}},

		// The rest of the vocabulary.
		{"approx 约", "约6", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "约6"}},
		{"approx with unit", "6%左右", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "6%左右"}},
		{"approx 上下", "6上下", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "6上下"}},
		{"ge 以上", "6以上", ingest.Expr{Op: ingest.OpGE, Value: new(6.0), Text: "6以上"}},
		{"ge 不低于", "不低于6", ingest.Expr{Op: ingest.OpGE, Value: new(6.0), Text: "不低于6"}},
		{"ge ascii", ">=6", ingest.Expr{Op: ingest.OpGE, Value: new(6.0), Text: ">=6"}},
		{"ge 及以上", "6%及以上", ingest.Expr{Op: ingest.OpGE, Value: new(6.0), Text: "6%及以上"}},
		{"gt ascii", ">6", ingest.Expr{Op: ingest.OpGT, Value: new(6.0), Text: ">6"}},
		{"gt 超过", "超过6", ingest.Expr{Op: ingest.OpGT, Value: new(6.0), Text: "超过6"}},
		{"gt 突破", "突破1450亿元", ingest.Expr{Op: ingest.OpGT, Value: new(1450.0), Text: "突破1450亿元"}},
		{"gt 余", "60余栋", ingest.Expr{Op: ingest.OpGT, Value: new(60.0), Text: "60余栋"}},
		{"le sign", "≤5", ingest.Expr{Op: ingest.OpLE, Value: new(5.0), Text: "≤5"}},
		{"le 不超过", "不超过5", ingest.Expr{Op: ingest.OpLE, Value: new(5.0), Text: "不超过5"}},
		{"le 控制在", "控制在5.5%以内", ingest.Expr{Op: ingest.OpLE, Value: new(5.5), Text: "控制在5.5%以内"}},
		{"lt ascii", "<0.01", ingest.Expr{Op: ingest.OpLT, Value: new(0.01), Text: "<0.01"}},
		{"lt 低于", "低于0.01", ingest.Expr{Op: ingest.OpLT, Value: new(0.01), Text: "低于0.01"}},
		{"unit days", "300天", ingest.Expr{Op: ingest.OpReach, Value: new(300.0), Text: "300天"}},
		{"unit never scaled", "2200亿元", ingest.Expr{Op: ingest.OpReach, Value: new(2200.0), Text: "2200亿元"}},
		{"unit with 以上", "1100亿元以上", ingest.Expr{Op: ingest.OpGE, Value: new(1100.0), Text: "1100亿元以上"}},
		{"thousands comma", "1,100", ingest.Expr{Op: ingest.OpReach, Value: new(1100.0), Text: "1,100"}},
		{"negative", "-2", ingest.Expr{Op: ingest.OpReach, Value: new(-2.0), Text: "-2"}},
		{"full-width digits", "６．５％左右", ingest.Expr{Op: ingest.OpApprox, Value: new(6.5), Text: "６．５％左右"}},
		{"full-width ge", "≧３００", ingest.Expr{Op: ingest.OpGE, Value: new(300.0), Text: "≧３００"}},
		{"trimmed", "  6左右\t", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "6左右"}},
		{"inner space", "6 左右", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "6 左右"}},
		{"estimated approx", "预计6左右", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "预计6左右", Estimated: true}},
		{"estimated note", "6左右（预计）", ingest.Expr{Op: ingest.OpApprox, Value: new(6.0), Text: "6左右（预计）", Estimated: true}},

		// Ranges read as at least the lower bound.
		{"range hyphen", "5-6", ingest.Expr{Op: ingest.OpGE, Value: new(5.0), Text: "5-6"}},
		{"range wave", "5～6", ingest.Expr{Op: ingest.OpGE, Value: new(5.0), Text: "5～6"}},
		{"range percent", "5%-6%", ingest.Expr{Op: ingest.OpGE, Value: new(5.0), Text: "5%-6%"}},
		{"range 至", "6.5至7", ingest.Expr{Op: ingest.OpGE, Value: new(6.5), Text: "6.5至7"}},
		{"range dash", "6—7", ingest.Expr{Op: ingest.OpGE, Value: new(6.0), Text: "6—7"}},
		{"range reversed", "7-6", ingest.Expr{Op: ingest.OpGE, Value: new(6.0), Text: "7-6"}},

		// No figure yet.
		{"unknown empty", "", ingest.Expr{Op: ingest.OpUnknown, Text: ""}},
		{"unknown blank", " \u3000 ", ingest.Expr{Op: ingest.OpUnknown, Text: ""}},
		{"unknown dash", "—", ingest.Expr{Op: ingest.OpUnknown, Text: "—"}},
		{"unknown hyphen", "-", ingest.Expr{Op: ingest.OpUnknown, Text: "-"}},
		{"unknown hyphens", "--", ingest.Expr{Op: ingest.OpUnknown, Text: "--"}},
		{"unknown slash", "/", ingest.Expr{Op: ingest.OpUnknown, Text: "/"}},
		{"unknown word", "暂无", ingest.Expr{Op: ingest.OpUnknown, Text: "暂无"}},

		// Set elsewhere, kept in step, ranked, described.
		{"external province", "省计划", ingest.Expr{Op: ingest.OpExternal, Text: "省计划"}},
		{"external issued", "按市下达计划", ingest.Expr{Op: ingest.OpExternal, Text: "按市下达计划"}},
		{"sync development", "与经济发展同步", ingest.Expr{Op: ingest.OpSync, Text: "与经济发展同步"}},
		{"sync growth", "与经济增长同步", ingest.Expr{Op: ingest.OpSync, Text: "与经济增长同步"}},
		{"rank chinese", "保持全市第一", ingest.Expr{Op: ingest.OpRank, Value: new(1.0), Text: "保持全市第一"}},
		{"rank chinese twelve", "居全省第十二位", ingest.Expr{Op: ingest.OpRank, Value: new(12.0), Text: "居全省第十二位"}},
		{"rank top", "全市前3", ingest.Expr{Op: ingest.OpRank, Value: new(3.0), Text: "全市前3"}},
		{"rank top chinese", "全市前三名", ingest.Expr{Op: ingest.OpRank, Value: new(3.0), Text: "全市前三名"}},
		{"not a rank", "第一季度增长6%", ingest.Expr{Op: ingest.OpReach, Value: new(6.0), Text: "第一季度增长6%"}},
		{"qualitative 前列", "保持全市前列", ingest.Expr{Op: ingest.OpQualitative, Text: "保持全市前列"}},
		{"zero new", "零新增", ingest.Expr{Op: ingest.OpEq, Value: new(0.0), Text: "零新增"}},
		{"too many digits", "12345678901234567890", ingest.Expr{Op: ingest.OpQualitative, Text: "12345678901234567890"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ingest.ParseExpr(tt.in)); diff != "" {
				t.Errorf("ParseExpr(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
