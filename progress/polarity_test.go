package progress

import (
	"testing"

	"duban/assess"
)

// TestPolarityOf checks that polarityOf, with its memory, says what
// assess.PolarityOf says, asked twice.
func TestPolarityOf(t *testing.T) {
	names := []string{"城镇调查失业率", "城镇调查失业率（%）", "全区城镇调查失业率", "单位GDP能耗降低", "人口自然增长率",
		"新增首店品牌", "违法建筑", "拆除违法建筑", "绿化覆盖率", "", "PM2.5年均浓度", "ＰＭ２.５浓度"}
	overrides := []map[string]assess.Polarity{
		nil,
		{},
		{"人口自然增长率": assess.LowerIsBetter, "城镇调查失业率（%）": assess.HigherIsBetter, "绿化覆盖率": "sideways"},
		{"城镇调查失业率（%）": assess.LowerIsBetter, "城镇调查失业率(%)": assess.HigherIsBetter, "全区城镇调查失业率": "x"},
		{"pm2.5年均浓度": assess.HigherIsBetter, "": assess.HigherIsBetter},
	}
	for _, o := range overrides {
		for _, n := range names {
			want := assess.PolarityOf(n, o)
			for range 2 {
				if got := polarityOf(n, o); got != want {
					t.Errorf("polarityOf(%q, %v) = %q, want %q", n, o, got, want)
				}
			}
		}
	}
}
