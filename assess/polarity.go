package assess

import (
	"slices"
	"strings"
)

// Polarity says which direction of an indicator is good.
type Polarity string

// The polarities.
const (
	HigherIsBetter Polarity = "higher" // 地区生产总值增速, 绿化覆盖率
	LowerIsBetter  Polarity = "lower"  // 城镇调查失业率, PM2.5 年均浓度, 事故死亡率
)

// reductionWords mark an indicator that measures a reduction or a clean-up, which
// is better when larger even if its subject is bad: 单位GDP能耗降低, 能耗强度下降,
// 拆除违法建筑, 重大矛盾化解率, 事故隐患整改率, 投诉办结率.
var reductionWords = []string{
	"降低", "下降", "减少", "降幅", "压减", "削减", "减排",
	"拆除", "整治", "治理", "整改", "查处", "化解", "消除", "处置", "破案", "侦破", "清理", "防治", "救治", "回收",
	"办结", "结案", "满意", "受理", "处理",
}

// lowerWords mark an indicator that is better when lower.
var lowerWords = []string{
	"失业率", "能耗", "能源消耗", "碳排放", "排放量", "排放强度", "死亡", "伤亡", "亡人",
	"浓度", "pm2.5", "pm10", "细颗粒物", "可吸入颗粒物", "污染天数", "劣v类", "劣Ⅴ类", "噪声", "超标",
	"事故", "火灾", "发生率", "发病率", "患病率", "发案", "刑事案件", "违法建筑", "违章建筑",
	"不良贷款率", "负债率", "债务率", "亏损", "逾期", "投诉", "信访", "空置率", "拥堵", "漏损率",
	"用水量", "辍学率", "近视率", "肥胖率", "恩格尔系数", "基尼系数", "消费价格", "价格涨幅", "返贫",
}

// PolarityOf returns the polarity of the named indicator. An entry of overrides
// wins when its name, or its NormalizeName key, is the indicator's. Otherwise the
// presets apply: a name that measures a reduction or a clean-up (…降低, …下降,
// 减少, 拆除…, 整治…, …化解率) is higher-is-better; a name with a word for
// something bad (失业率, 能耗, 碳排放, 死亡, 浓度/PM2.5, 事故, 火灾, 发生率,
// 发病率, 违法建筑, 不良贷款率, 负债率, 投诉, 恩格尔系数, 消费价格…) is
// lower-is-better; every other indicator is higher-is-better.
func PolarityOf(name string, overrides map[string]Polarity) Polarity {
	if p, ok := overrides[name]; ok && p.valid() {
		return p
	}
	key := NormalizeName(name)
	if len(overrides) > 0 {
		names := make([]string, 0, len(overrides))
		for n := range overrides {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			if p := overrides[n]; p.valid() && NormalizeName(n) == key {
				return p
			}
		}
	}
	return presetPolarity(key)
}

func presetPolarity(key string) Polarity {
	for _, w := range reductionWords {
		if strings.Contains(key, w) {
			return HigherIsBetter
		}
	}
	for _, w := range lowerWords {
		if strings.Contains(key, w) {
			return LowerIsBetter
		}
	}
	return HigherIsBetter
}

func (p Polarity) valid() bool { return p == HigherIsBetter || p == LowerIsBetter }
