package assess_test

import (
	"testing"

	"duban/assess"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"地区生产总值（GDP）增速", "地区生产总值"},
		{"地区生产总值增长", "地区生产总值"},
		{"全区地区生产总值", "地区生产总值"},
		{"GDP增速", "地区生产总值"},
		{"单位GDP能耗降低", "单位地区生产总值能耗降低"},
		{"区级一般公共预算收入增速", "一般公共预算收入"},
		{"区级以上文化产业示范园区", "区级以上文化产业示范园区"},
		{"城镇居民人均可支配收入增速", "城镇居民人均可支配收入"},
		{"实际利用外资", "实际使用外资"},
		{"城镇新增就业", "新增城镇就业"},
		{"新增城镇就业", "新增城镇就业"},
		{"每千人口拥有执业（助理）医师数", "每千人口拥有执业医师数"},
		{"“小升规”企业", "小升规企业"},
		{"ＰＭ２．５ 年均浓度", "pm2.5年均浓度"},
		{"全员劳动生产率 ", "全员劳动生产率"},
		{"2021年社会消费品零售总额增长", "社会消费品零售总额"},
		{"万元/人", "万元/人"},
		{"增长", "增长"},
		{"（注）", ""},
		{"养老保险、医疗保险参保率", "养老保险医疗保险参保率"},
		{"居民人均可支配收入增长率", "居民人均可支配收入"},
		{"数字经济增加值占GDP比重", "数字经济增加值占地区生产总值比重"},
		{"研发经费投入强度（", "研发经费投入强度"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := assess.NormalizeName(tt.in); got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeNameKeepsApart lists names that must not meet.
func TestNormalizeNameKeepsApart(t *testing.T) {
	for _, p := range [][2]string{
		{"研发经费投入强度", "研发经费支出"},
		{"社会消费品零售总额", "解放碑商圈社会消费品零售总额"},
		{"新增市级以上金融机构", "市级以上金融机构"},
		{"城镇居民人均可支配收入", "农村居民人均可支配收入"},
		{"单位GDP能耗", "单位GDP能耗降低"},
		{"规模以上工业增加值", "规模以上工业"},
	} {
		if a, b := assess.NormalizeName(p[0]), assess.NormalizeName(p[1]); a == b {
			t.Errorf("NormalizeName(%q) = NormalizeName(%q) = %q", p[0], p[1], a)
		}
	}
}
