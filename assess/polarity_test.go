package assess_test

import (
	"testing"

	"duban/assess"
)

func TestPolarityOf(t *testing.T) {
	higher, lower := assess.HigherIsBetter, assess.LowerIsBetter
	tests := []struct {
		name string
		want assess.Polarity
	}{
		{"地区生产总值（GDP）增速", higher},
		{"城镇调查失业率", lower},
		{"亿元GDP安全事故死亡率", lower},
		{"PM2.5年均浓度", lower},
		{"ＰＭ２.５浓度", lower},
		{"细颗粒物（PM2.5）平均浓度", lower},
		{"单位地区生产总值能耗", lower},
		{"单位GDP能耗降低", higher},
		{"单位GDP二氧化碳排放降低", higher},
		{"能耗强度下降", higher},
		{"碳排放强度", lower},
		{"生产安全事故起数", lower},
		{"事故隐患整改率", higher},
		{"贫困发生率", lower},
		{"违法建筑", lower},
		{"拆除违法建筑", higher},
		{"重大矛盾化解率", higher},
		{"不良贷款率", lower},
		{"居民消费价格涨幅", lower},
		{"投诉办结率", higher},
		{"绿化覆盖率", higher},
		{"空气质量优良天数", higher},
		{"研发经费投入强度", higher},
		{"实际利用外资", higher},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := assess.PolarityOf(tt.name, nil); got != tt.want {
				t.Errorf("PolarityOf(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestPolarityOverrides(t *testing.T) {
	over := map[string]assess.Polarity{
		"人口自然增长率":    assess.LowerIsBetter,
		"城镇调查失业率（%）": assess.HigherIsBetter, // matched by its key
		"绿化覆盖率":      "sideways",            // not a polarity: ignored
	}
	for name, want := range map[string]assess.Polarity{
		"人口自然增长率": assess.LowerIsBetter,
		"城镇调查失业率": assess.HigherIsBetter,
		"绿化覆盖率":   assess.HigherIsBetter,
		"死亡率":     assess.LowerIsBetter,
	} {
		if got := assess.PolarityOf(name, over); got != want {
			t.Errorf("PolarityOf(%q) = %q, want %q", name, got, want)
		}
	}
}
