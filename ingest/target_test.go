package ingest_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/ingest"
)

// brief is the part of a Target that a table test states.
type brief struct {
	Text    string
	Subject string
	Measure ingest.Measure
	Op      ingest.Op
	Value   *float64
	Unit    *string
	Stretch bool
}

func briefs(ts []ingest.Target) []brief {
	out := []brief{}
	for _, t := range ts {
		out = append(out, brief{t.Text, t.Subject, t.Measure, t.Op, t.Value, t.Unit, t.Stretch})
	}
	return out
}

// Lines 121 and 125 of seed 003 (the 2021 work report of 渝中区), as written,
// with the spaces around numbers.
const (
	workReport121 = "今年是“十四五”的开局之年，要实现“十四五”规划目标，做好全年工作至关重要。2021 年全区经济社会发展主要预期目标是：地区生产总值增长 6%左右，区级一般公共预算收入增长 5%左右，固定资产投资总额增长 6%以上，社会消费品零售总额增长 7%左右，城镇居民人均可支配收入增长 6%以上。重点做好以下八个方面工作："
	workReport125 = "激发创新注入动力。强化创新意识，优化创新生态，让科技、制度、模式等各类创新源泉充分涌流。加强与重点院校、科研机构深度合作，支持重点企业创新发展，新增一批重点实验室和技术创新中心，探索知识价值信用贷款担保试点，发挥创新创业引导基金作用，全年研发经费支出突破 10 亿元，新增发明专利 200 件，国家高新技术企业达到 126 家。强化人才支撑，实施“鸿雁计划”“渝中英才计划”，办好重庆·渝中人力资源峰会，培育引进急需紧缺人才 200 名，助推渝中产业升级、创新发展。"
)

// TestFindTargetsWorkReport is the acceptance check: every target of
// gold/targets_003.json is found in lines 121 and 125 of seed 003.
func TestFindTargetsWorkReport(t *testing.T) {
	type gold struct {
		Subject string
		Measure ingest.Measure
		Op      ingest.Op
		Value   float64
		Unit    string
	}
	want := []gold{
		{"地区生产总值", ingest.MeasureGrowth, ingest.OpApprox, 6, "%"},
		{"区级一般公共预算收入", ingest.MeasureGrowth, ingest.OpApprox, 5, "%"},
		{"固定资产投资总额", ingest.MeasureGrowth, ingest.OpGE, 6, "%"},
		{"社会消费品零售总额", ingest.MeasureGrowth, ingest.OpApprox, 7, "%"},
		{"城镇居民人均可支配收入", ingest.MeasureGrowth, ingest.OpGE, 6, "%"},
		{"研发经费支出", ingest.MeasureLevel, ingest.OpGT, 10, "亿元"},
		{"新增发明专利", ingest.MeasureCount, ingest.OpReach, 200, "件"},
		{"国家高新技术企业", ingest.MeasureCount, ingest.OpReach, 126, "家"},
	}
	year := 2021
	found := map[gold]bool{}
	for line, text := range map[int]string{121: workReport121, 125: workReport125} {
		for _, tg := range ingest.FindTargets(text, line, &year) {
			if tg.Line != line || tg.Year == nil || *tg.Year != 2021 {
				t.Errorf("target %q: line %d, year %v; want line %d, year 2021", tg.Text, tg.Line, tg.Year, line)
			}
			if tg.Value == nil || tg.Unit == nil {
				continue
			}
			found[gold{tg.Subject, tg.Measure, tg.Op, *tg.Value, *tg.Unit}] = true
		}
	}
	for _, g := range want {
		if !found[g] {
			t.Errorf("gold target not found: %+v", g)
		}
	}
}

func TestFindTargets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []brief
	}{
		// Spans from the seeds: task contents of the 2024 decomposition (002), the
		// 2021 work report (003, with its spaces) and the plan report (001), and a
		// few written the same way to pin a rule.
		{"growth approx", "地区生产总值增长6%左右。", []brief{
			{"地区生产总值增长6%左右", "地区生产总值", ingest.MeasureGrowth, ingest.OpApprox, new(6.0), new("%"), false},
		}},
		{"growth bare", "区级一般公共预算收入增长6%。", []brief{
			{"区级一般公共预算收入增长6%", "区级一般公共预算收入", ingest.MeasureGrowth, ingest.OpReach, new(6.0), new("%"), false},
		}},
		{"growth decimal", "社会消费品零售总额增长7.5%。", []brief{
			{"社会消费品零售总额增长7.5%", "社会消费品零售总额", ingest.MeasureGrowth, ingest.OpReach, new(7.5), new("%"), false},
		}},
		{"sync", "城镇居民人均可支配收入增速保持与经济发展同步。", []brief{
			{"城镇居民人均可支配收入增速保持与经济发展同步", "城镇居民人均可支配收入", ingest.MeasureGrowth, ingest.OpSync, nil, nil, false},
		}},
		{"gt count after lead clauses", "做大银行、保险、证券等核心业态规模，吸引金融总部、区域中心等落户，市级以上金融机构突破110家。", []brief{
			{"市级以上金融机构突破110家", "市级以上金融机构", ingest.MeasureCount, ingest.OpGT, new(110.0), new("家"), false},
		}},
		{"list carries verb", "新增首店品牌50个、国际知名品牌10个以上，商圈社会消费品零售总额达到1100亿元。", []brief{
			{"新增首店品牌50个", "新增首店品牌", ingest.MeasureCount, ingest.OpReach, new(50.0), new("个"), false},
			{"国际知名品牌10个以上", "新增国际知名品牌", ingest.MeasureCount, ingest.OpGE, new(10.0), new("个"), false},
			{"商圈社会消费品零售总额达到1100亿元", "商圈社会消费品零售总额", ingest.MeasureLevel, ingest.OpReach, new(1100.0), new("亿元"), false},
		}},
		{"verb alone in a list of deliveries", "新开工巴县衙门、较场口片区等12个老旧小区改造项目、完工100万平方米。", []brief{
			{"新开工巴县衙门、较场口片区等12个老旧小区改造项目", "新开工巴县衙门、较场口片区等老旧小区改造项目", ingest.MeasureCount, ingest.OpReach, new(12.0), new("个"), false},
			{"完工100万平方米", "完工老旧小区改造项目", ingest.MeasureLevel, ingest.OpReach, new(100.0), new("万平方米"), false},
		}},
		{"verb alone after a subject with its count", "改造老旧小区60个、完工120万平方米。", []brief{
			{"改造老旧小区60个", "改造老旧小区", ingest.MeasureCount, ingest.OpReach, new(60.0), new("个"), false},
			{"完工120万平方米", "完工老旧小区", ingest.MeasureLevel, ingest.OpReach, new(120.0), new("万平方米"), false},
		}},
		{"count after noun with 等", "打造国家体育产业示范基地，建成马鞍山东区等特色产业园3个。", []brief{
			{"建成马鞍山东区等特色产业园3个", "建成马鞍山东区等特色产业园", ingest.MeasureCount, ingest.OpReach, new(3.0), new("个"), false},
		}},
		{"two amounts", "对口巫溪深化教育、医疗、劳务等领域合作，资金帮扶4000万元、消费帮扶2000万元以上。", []brief{
			{"资金帮扶4000万元", "资金帮扶", ingest.MeasureLevel, ingest.OpReach, new(4000.0), new("万元"), false},
			{"消费帮扶2000万元以上", "消费帮扶", ingest.MeasureLevel, ingest.OpGE, new(2000.0), new("万元"), false},
		}},
		{"growth of two subjects", "鼓励重点物流企业布局海外仓，带动成套设备、机电摩配产品出口，经通道货运量、货运值增长15%以上。", []brief{
			{"经通道货运量、货运值增长15%以上", "经通道货运量、货运值", ingest.MeasureGrowth, ingest.OpGE, new(15.0), new("%"), false},
		}},
		{"count ge and growth", "新增外资企业及其分支机构50家以上，实际使用外资增长20%。", []brief{
			{"新增外资企业及其分支机构50家以上", "新增外资企业及其分支机构", ingest.MeasureCount, ingest.OpGE, new(50.0), new("家"), false},
			{"实际使用外资增长20%", "实际使用外资", ingest.MeasureGrowth, ingest.OpReach, new(20.0), new("%"), false},
		}},
		{"stretch over list", "落地一批商务机构、国际组织、跨国企业，力争缔结友好城市2个、新增驻渝总领事馆2个。", []brief{
			{"力争缔结友好城市2个", "缔结友好城市", ingest.MeasureCount, ingest.OpReach, new(2.0), new("个"), true},
			{"新增驻渝总领事馆2个", "新增驻渝总领事馆", ingest.MeasureCount, ingest.OpReach, new(2.0), new("个"), true},
		}},
		{"stretch over sentence", "力争金融业增加值占全市比重保持在15%左右，本外币存贷款余额、保费收入增长12%左右。", []brief{
			{"力争金融业增加值占全市比重保持在15%左右", "金融业增加值占全市比重", ingest.MeasureShare, ingest.OpApprox, new(15.0), new("%"), true},
			{"本外币存贷款余额、保费收入增长12%左右", "本外币存贷款余额、保费收入", ingest.MeasureGrowth, ingest.OpApprox, new(12.0), new("%"), true},
		}},
		{"count of events and 超", "开展“金桥行动”30次，深化绿色金融改革创新试验区核心区建设，绿色金融规模超1400亿元。", []brief{
			{"开展“金桥行动”30次", "开展“金桥行动”", ingest.MeasureCount, ingest.OpReach, new(30.0), new("次"), false},
			{"绿色金融规模超1400亿元", "绿色金融规模", ingest.MeasureLevel, ingest.OpGT, new(1400.0), new("亿元"), false},
		}},
		{"respectively with stretch", "社会消费品零售总额突破1450亿元。力争批发业、零售业销售额分别增长15%、10%，力争网络零售额突破120亿元。", []brief{
			{"社会消费品零售总额突破1450亿元", "社会消费品零售总额", ingest.MeasureLevel, ingest.OpGT, new(1450.0), new("亿元"), false},
			{"力争批发业、零售业销售额分别增长15%、10%", "批发业销售额", ingest.MeasureGrowth, ingest.OpReach, new(15.0), new("%"), true},
			{"力争批发业、零售业销售额分别增长15%、10%", "零售业销售额", ingest.MeasureGrowth, ingest.OpReach, new(10.0), new("%"), true},
			{"力争网络零售额突破120亿元", "网络零售额", ingest.MeasureLevel, ingest.OpGT, new(120.0), new("亿元"), true},
		}},
		{"prenoun 艘", "新开发线路6条。新增3艘豪华游轮。", []brief{
			{"新开发线路6条", "新开发线路", ingest.MeasureCount, ingest.OpReach, new(6.0), new("条"), false},
			{"新增3艘豪华游轮", "新增豪华游轮", ingest.MeasureCount, ingest.OpReach, new(3.0), new("艘"), false},
		}},
		{"decrease keeps verb", "能耗强度下降3%。", []brief{
			{"能耗强度下降3%", "能耗强度下降", ingest.MeasureGrowth, ingest.OpReach, new(3.0), new("%"), false},
		}},
		{"percent level", "路灯节能改造达到100%。", []brief{
			{"路灯节能改造达到100%", "路灯节能改造", ingest.MeasureLevel, ingest.OpReach, new(100.0), new("%"), false},
		}},
		{"zero new", "违法建筑保持零新增。", []brief{
			{"违法建筑保持零新增", "违法建筑", ingest.MeasureCount, ingest.OpEq, new(0.0), nil, false},
		}},
		{"prenoun list", "传承母城记忆，建成4家非遗工坊、3个研学基地，联动42家文博场馆建设“博物馆之城”。", []brief{
			{"建成4家非遗工坊", "建成非遗工坊", ingest.MeasureCount, ingest.OpReach, new(4.0), new("家"), false},
			{"3个研学基地", "建成研学基地", ingest.MeasureCount, ingest.OpReach, new(3.0), new("个"), false},
		}},
		{"力促 is not stretch", "力促社会投资增长6%以上。民营经济增加值达650亿元。", []brief{
			{"力促社会投资增长6%以上", "社会投资", ingest.MeasureGrowth, ingest.OpGE, new(6.0), new("%"), false},
			{"民营经济增加值达650亿元", "民营经济增加值", ingest.MeasureLevel, ingest.OpReach, new(650.0), new("亿元"), false},
		}},
		{"全社会 stripped", "全社会研发经费投入12亿元，新增发明专利300件。", []brief{
			{"全社会研发经费投入12亿元", "研发经费投入", ingest.MeasureLevel, ingest.OpReach, new(12.0), new("亿元"), false},
			{"新增发明专利300件", "新增发明专利", ingest.MeasureCount, ingest.OpReach, new(300.0), new("件"), false},
		}},
		{"employment in 万人", "以产业带就业、创业促就业，城镇新增就业4.6万人。", []brief{
			{"城镇新增就业4.6万人", "城镇新增就业", ingest.MeasureCount, ingest.OpReach, new(4.6), new("万人"), false},
		}},
		{"rate 稳定在", "推进参保扩面提质，确保养老、医疗保险参保率稳定在97%以上。", []brief{
			{"确保养老、医疗保险参保率稳定在97%以上", "养老、医疗保险参保率", ingest.MeasureRate, ingest.OpGE, new(97.0), new("%"), false},
		}},
		{"rate 达 以上", "家庭医生签约覆盖率达36%以上。", []brief{
			{"家庭医生签约覆盖率达36%以上", "家庭医生签约覆盖率", ingest.MeasureRate, ingest.OpGE, new(36.0), new("%"), false},
		}},
		{"same subject second unit", "改造提升国际村等老旧小区6个、46万平方米，探索“三无”老旧小区社会化多元治理。", []brief{
			{"改造提升国际村等老旧小区6个", "改造提升国际村等老旧小区", ingest.MeasureCount, ingest.OpReach, new(6.0), new("个"), false},
			{"改造提升国际村等老旧小区6个、46万平方米", "改造提升国际村等老旧小区", ingest.MeasureLevel, ingest.OpReach, new(46.0), new("万平方米"), false},
		}},
		{"完成 stripped", "完成住宅加装电梯30台、老旧电梯隐患整治30台。", []brief{
			{"完成住宅加装电梯30台", "住宅加装电梯", ingest.MeasureCount, ingest.OpReach, new(30.0), new("台"), false},
			{"老旧电梯隐患整治30台", "老旧电梯隐患整治", ingest.MeasureCount, ingest.OpReach, new(30.0), new("台"), false},
		}},
		{"保持 stripped", "保持学前三年毛入园率100%、普惠性幼儿园覆盖率91.3%以上。", []brief{
			{"保持学前三年毛入园率100%", "学前三年毛入园率", ingest.MeasureRate, ingest.OpReach, new(100.0), new("%"), false},
			{"普惠性幼儿园覆盖率91.3%以上", "普惠性幼儿园覆盖率", ingest.MeasureRate, ingest.OpGE, new(91.3), new("%"), false},
		}},
		{"age group kept in subject", "千人拥有3岁以下婴幼儿托位数3.5个以上，呵护好“最柔软群体”。", []brief{
			{"千人拥有3岁以下婴幼儿托位数3.5个以上", "千人拥有3岁以下婴幼儿托位数", ingest.MeasureCount, ingest.OpGE, new(3.5), new("个"), false},
		}},
		{"prenoun and 万人次", "升级2个社区养老服务站，新增5个社区老年食堂、560张家庭养老床位，提供居家上门服务3万人次，托起幸福“夕阳红”。", []brief{
			{"升级2个社区养老服务站", "升级社区养老服务站", ingest.MeasureCount, ingest.OpReach, new(2.0), new("个"), false},
			{"新增5个社区老年食堂", "新增社区老年食堂", ingest.MeasureCount, ingest.OpReach, new(5.0), new("个"), false},
			{"560张家庭养老床位", "新增家庭养老床位", ingest.MeasureCount, ingest.OpReach, new(560.0), new("张"), false},
			{"提供居家上门服务3万人次", "提供居家上门服务", ingest.MeasureCount, ingest.OpReach, new(3.0), new("万人次"), false},
		}},
		{"leading decrease", "逗硬预算执行和财政绩效管理，习惯过紧日子，压减一般性支出10%以上。", []brief{
			{"压减一般性支出10%以上", "压减一般性支出", ingest.MeasureGrowth, ingest.OpGE, new(10.0), new("%"), false},
		}},
		{"全力争取 is not stretch", "优先保障长滨沿线等3个重大项目，全力争取各类资金30亿元以上，完成固定资产投资220亿元。", []brief{
			{"全力争取各类资金30亿元以上", "争取各类资金", ingest.MeasureLevel, ingest.OpGE, new(30.0), new("亿元"), false},
			{"完成固定资产投资220亿元", "固定资产投资", ingest.MeasureLevel, ingest.OpReach, new(220.0), new("亿元"), false},
		}},
		{"verb carried over two items", "深入实施“双倍增”行动，新认定国家高新技术企业90家、市级科技型企业260家、专精特新企业20家。", []brief{
			{"新认定国家高新技术企业90家", "新认定国家高新技术企业", ingest.MeasureCount, ingest.OpReach, new(90.0), new("家"), false},
			{"市级科技型企业260家", "新认定市级科技型企业", ingest.MeasureCount, ingest.OpReach, new(260.0), new("家"), false},
			{"专精特新企业20家", "新认定专精特新企业", ingest.MeasureCount, ingest.OpReach, new(20.0), new("家"), false},
		}},
		{"carried verb with quotes", "引育人工智能、数据服务等新赛道链主企业50家，新增中高端人才4000名。新归集产业载体10万平方米，打造“满天星”示范楼宇2栋、示范企业20家。", []brief{
			{"引育人工智能、数据服务等新赛道链主企业50家", "引育人工智能、数据服务等新赛道链主企业", ingest.MeasureCount, ingest.OpReach, new(50.0), new("家"), false},
			{"新增中高端人才4000名", "新增中高端人才", ingest.MeasureCount, ingest.OpReach, new(4000.0), new("名"), false},
			{"新归集产业载体10万平方米", "新归集产业载体", ingest.MeasureLevel, ingest.OpReach, new(10.0), new("万平方米"), false},
			{"打造“满天星”示范楼宇2栋", "打造“满天星”示范楼宇", ingest.MeasureCount, ingest.OpReach, new(2.0), new("栋"), false},
			{"示范企业20家", "打造示范企业", ingest.MeasureCount, ingest.OpReach, new(20.0), new("家"), false},
		}},
		{"share with 占", "盘活国有资产占可盘活国有资产总额15%以上，国有投资收益、资产收益增长10%。", []brief{
			{"盘活国有资产占可盘活国有资产总额15%以上", "盘活国有资产占可盘活国有资产总额", ingest.MeasureShare, ingest.OpGE, new(15.0), new("%"), false},
			{"国有投资收益、资产收益增长10%", "国有投资收益、资产收益", ingest.MeasureGrowth, ingest.OpReach, new(10.0), new("%"), false},
		}},
		{"respectively with spaces", "新增市级以上金融机构 10 家，存贷款余额、保费收入、代理证券交易额分别增长 10%、20%、30%以上。", []brief{
			{"新增市级以上金融机构10家", "新增市级以上金融机构", ingest.MeasureCount, ingest.OpReach, new(10.0), new("家"), false},
			{"存贷款余额、保费收入、代理证券交易额分别增长10%、20%、30%以上", "存贷款余额", ingest.MeasureGrowth, ingest.OpReach, new(10.0), new("%"), false},
			{"存贷款余额、保费收入、代理证券交易额分别增长10%、20%、30%以上", "保费收入", ingest.MeasureGrowth, ingest.OpReach, new(20.0), new("%"), false},
			{"存贷款余额、保费收入、代理证券交易额分别增长10%、20%、30%以上", "代理证券交易额", ingest.MeasureGrowth, ingest.OpGE, new(30.0), new("%"), false},
		}},
		{"days ge with spaces", "空气质量优良天数稳定在 300 天以上，让天更蓝、地更绿、水更清、空气更清新。", []brief{
			{"空气质量优良天数稳定在300天以上", "空气质量优良天数", ingest.MeasureLevel, ingest.OpGE, new(300.0), new("天"), false},
		}},
		{"rate with space before 以上", "提升垃圾分类实效，生活垃圾回收利用率 38% 以上。", []brief{
			{"生活垃圾回收利用率38%以上", "生活垃圾回收利用率", ingest.MeasureRate, ingest.OpGE, new(38.0), new("%"), false},
		}},
		{"four targets with spaces", "一体推进招商、育商、稳商，新增市场主体 1.2 万户以上、挂牌上市企业 2 家，落地“招大引强”项目 100 个，市外项目签约合同额达到 400 亿元以上。", []brief{
			{"新增市场主体1.2万户以上", "新增市场主体", ingest.MeasureCount, ingest.OpGE, new(1.2), new("万户"), false},
			{"挂牌上市企业2家", "新增挂牌上市企业", ingest.MeasureCount, ingest.OpReach, new(2.0), new("家"), false},
			{"落地“招大引强”项目100个", "落地“招大引强”项目", ingest.MeasureCount, ingest.OpReach, new(100.0), new("个"), false},
			{"市外项目签约合同额达到400亿元以上", "市外项目签约合同额", ingest.MeasureLevel, ingest.OpGE, new(400.0), new("亿元"), false},
		}},
		{"three targets 全年", "力促各项对外合作事项落地见效，全年到位各类资金 200 亿元以上，实际利用外资 4.5 亿美元以上，进出口总额超过 100 亿元。", []brief{
			{"全年到位各类资金200亿元以上", "到位各类资金", ingest.MeasureLevel, ingest.OpGE, new(200.0), new("亿元"), false},
			{"实际利用外资4.5亿美元以上", "实际利用外资", ingest.MeasureLevel, ingest.OpGE, new(4.5), new("亿美元"), false},
			{"进出口总额超过100亿元", "进出口总额", ingest.MeasureLevel, ingest.OpGT, new(100.0), new("亿元"), false},
		}},
		{"prenoun 完成", "进一步提高集团化办学水平，完成 15 个校园建设项目，争创国家义务教育优质均衡发展区。", []brief{
			{"完成15个校园建设项目", "完成校园建设项目", ingest.MeasureCount, ingest.OpReach, new(15.0), new("个"), false},
		}},
		{"抓手 skipped", "积极扩大有效投资，以20个重大项目为抓手，促进固定资产投资完成200亿元以上。", []brief{
			{"促进固定资产投资完成200亿元以上", "固定资产投资", ingest.MeasureLevel, ingest.OpGE, new(200.0), new("亿元"), false},
		}},
		{"游客 count", "努力成为国际知名文化旅游目的地，游客达到5000万人次，旅游收入突破380亿元。", []brief{
			{"游客达到5000万人次", "游客", ingest.MeasureCount, ingest.OpReach, new(5000.0), new("万人次"), false},
			{"旅游收入突破380亿元", "旅游收入", ingest.MeasureLevel, ingest.OpGT, new(380.0), new("亿元"), false},
		}},
		{"rate 稳定保持", "深入实施全民参保计划，养老保险、医疗保险参保率稳定保持 96% 以上。", []brief{
			{"养老保险、医疗保险参保率稳定保持96%以上", "养老保险、医疗保险参保率", ingest.MeasureRate, ingest.OpGE, new(96.0), new("%"), false},
		}},
		{"level percent 保持在", "确保群众安全感指数保持在95%以上，努力建设更高水平的“平安渝中”。", []brief{
			{"确保群众安全感指数保持在95%以上", "群众安全感指数", ingest.MeasureLevel, ingest.OpGE, new(95.0), new("%"), false},
		}},
		{"demolition area", "深入推进市容秩序、环境卫生等专项整治，拆除违法建筑 5.5 万平方米。", []brief{
			{"拆除违法建筑5.5万平方米", "拆除违法建筑", ingest.MeasureLevel, ingest.OpReach, new(5.5), new("万平方米"), false},
		}},
		{"area ge", "持续提升和淘汰低端低效物业业态，去化产业楼宇面积 70 万平方米以上。", []brief{
			{"去化产业楼宇面积70万平方米以上", "去化产业楼宇面积", ingest.MeasureLevel, ingest.OpGE, new(70.0), new("万平方米"), false},
		}},
		{"prenoun after manner", "精致打造“母城游”“云端游”“影视游”等 10 条精品旅游线路，建成开放大礼堂·华夏文创生态园等 3 个产业园。", []brief{
			{"精致打造“母城游”“云端游”“影视游”等10条精品旅游线路", "打造“母城游”“云端游”“影视游”等精品旅游线路", ingest.MeasureCount, ingest.OpReach, new(10.0), new("条"), false},
			{"建成开放大礼堂·华夏文创生态园等3个产业园", "建成开放大礼堂·华夏文创生态园等产业园", ingest.MeasureCount, ingest.OpReach, new(3.0), new("个"), false},
		}},
		{"prenoun last item after 和", "新增一批公厕、停车场、人行过街设施，建成区妇女儿童中心和 2 个儿童之家。", []brief{
			{"建成区妇女儿童中心和2个儿童之家", "建成儿童之家", ingest.MeasureCount, ingest.OpReach, new(2.0), new("个"), false},
		}},
		{"le 控制在", "调查失业率控制在5%以内。", []brief{
			{"调查失业率控制在5%以内", "调查失业率", ingest.MeasureRate, ingest.OpLE, new(5.0), new("%"), false},
		}},
		{"万亿元", "存贷款余额达到1.17万亿元。", []brief{
			{"存贷款余额达到1.17万亿元", "存贷款余额", ingest.MeasureLevel, ingest.OpReach, new(1.17), new("万亿元"), false},
		}},
		{"的目标 ends target", "提出地区生产总值增长5%左右的预期目标建议。", []brief{
			{"提出地区生产总值增长5%左右", "地区生产总值", ingest.MeasureGrowth, ingest.OpApprox, new(5.0), new("%"), false},
		}},
		{"range", "地区生产总值增长5%-6%。", []brief{
			{"地区生产总值增长5%-6%", "地区生产总值", ingest.MeasureGrowth, ingest.OpGE, new(5.0), new("%"), false},
		}},
		{"rank", "全员劳动生产率保持全市第一。", []brief{
			{"全员劳动生产率保持全市第一", "全员劳动生产率", ingest.MeasureRate, ingest.OpRank, new(1.0), nil, false},
		}},
		{"years of age after 达到", "人均预期寿命达到81岁。", []brief{
			{"人均预期寿命达到81岁", "人均预期寿命", ingest.MeasureLevel, ingest.OpReach, new(81.0), new("岁"), false},
		}},
		{"full width", "地区生产总值增长６％左右。", []brief{
			{"地区生产总值增长６％左右", "地区生产总值", ingest.MeasureGrowth, ingest.OpApprox, new(6.0), new("%"), false},
		}},
		{"year lead-in", "2024年全区地区生产总值增长6%左右。", []brief{
			{"2024年全区地区生产总值增长6%左右", "地区生产总值", ingest.MeasureGrowth, ingest.OpApprox, new(6.0), new("%"), false},
		}},
		{"clause heading", "大坪商圈，新增潮流时尚品牌50个，社会消费品零售总额突破210亿元。", []brief{
			{"新增潮流时尚品牌50个", "新增潮流时尚品牌", ingest.MeasureCount, ingest.OpReach, new(50.0), new("个"), false},
			{"社会消费品零售总额突破210亿元", "社会消费品零售总额", ingest.MeasureLevel, ingest.OpGT, new(210.0), new("亿元"), false},
		}},
		{"cut after 、力争", "推行全流程电子招投标、力争电子化率达100%。", []brief{
			{"力争电子化率达100%", "电子化率", ingest.MeasureRate, ingest.OpReach, new(100.0), new("%"), true},
		}},
		{"年均增速", "数字经济年均增速20%以上。", []brief{
			{"数字经济年均增速20%以上", "数字经济", ingest.MeasureGrowth, ingest.OpGE, new(20.0), new("%"), false},
		}},
		{"cumulative", "累计挂牌上市企业达89家。", []brief{
			{"累计挂牌上市企业达89家", "挂牌上市企业", ingest.MeasureCumulative, ingest.OpReach, new(89.0), new("家"), false},
		}},
		// Written like the work reports of other governments and years.
		{"other report growth and sync", "居民消费价格涨幅3%左右；居民收入增长和经济增长同步；粮食产量保持在1.3万亿斤以上。", []brief{
			{"居民消费价格涨幅3%左右", "居民消费价格", ingest.MeasureGrowth, ingest.OpApprox, new(3.0), new("%"), false},
			{"居民收入增长和经济增长同步", "居民收入", ingest.MeasureGrowth, ingest.OpSync, nil, nil, false},
			{"粮食产量保持在1.3万亿斤以上", "粮食产量", ingest.MeasureLevel, ingest.OpGE, new(1.3), new("万亿斤"), false},
		}},
		{"other report decrease to", "到2025年，常住人口城镇化率达到70%，PM2.5平均浓度下降到30微克/立方米。", []brief{
			{"常住人口城镇化率达到70%", "常住人口城镇化率", ingest.MeasureRate, ingest.OpReach, new(70.0), new("%"), false},
			{"PM2.5平均浓度下降到30微克/立方米", "PM2.5平均浓度", ingest.MeasureLevel, ingest.OpLE, new(30.0), new("微克/立方米"), false},
		}},
		{"other report range", "全省地区生产总值增长6.5%—7%，规模以上工业增加值增长8%左右。", []brief{
			{"全省地区生产总值增长6.5%—7%", "地区生产总值", ingest.MeasureGrowth, ingest.OpGE, new(6.5), new("%"), false},
			{"规模以上工业增加值增长8%左右", "规模以上工业增加值", ingest.MeasureGrowth, ingest.OpApprox, new(8.0), new("%"), false},
		}},
		{"other report 年内", "年内新增城镇就业8万人以上，新建改造农村公路1000公里。", []brief{
			{"年内新增城镇就业8万人以上", "新增城镇就业", ingest.MeasureCount, ingest.OpGE, new(8.0), new("万人"), false},
			{"新建改造农村公路1000公里", "新建改造农村公路", ingest.MeasureLevel, ingest.OpReach, new(1000.0), new("公里"), false},
		}},
		{"other report 城乡 respectively and external", "城乡居民人均可支配收入分别增长6%、7.5%；单位地区生产总值能耗降低完成市下达任务。", []brief{
			{"城乡居民人均可支配收入分别增长6%、7.5%", "城镇居民人均可支配收入", ingest.MeasureGrowth, ingest.OpReach, new(6.0), new("%"), false},
			{"城乡居民人均可支配收入分别增长6%、7.5%", "农村居民人均可支配收入", ingest.MeasureGrowth, ingest.OpReach, new(7.5), new("%"), false},
			{"单位地区生产总值能耗降低完成市下达任务", "单位地区生产总值能耗降低", ingest.MeasureGrowth, ingest.OpExternal, nil, nil, false},
		}},
		{"external in a list item", "推进节能改造、单位地区生产总值能耗降低完成市下达任务。", []brief{
			{"单位地区生产总值能耗降低完成市下达任务", "单位地区生产总值能耗降低", ingest.MeasureGrowth, ingest.OpExternal, nil, nil, false},
		}},
		{"other report level and growth of one subject", "过去一年，全县地区生产总值达到312.6亿元、增长6.1%，城镇新增就业3200人，粮食产量达到17.8万吨。", []brief{
			{"全县地区生产总值达到312.6亿元", "地区生产总值", ingest.MeasureLevel, ingest.OpReach, new(312.6), new("亿元"), false},
			{"全县地区生产总值达到312.6亿元、增长6.1%", "地区生产总值", ingest.MeasureGrowth, ingest.OpReach, new(6.1), new("%"), false},
			{"城镇新增就业3200人", "城镇新增就业", ingest.MeasureCount, ingest.OpReach, new(3200.0), new("人"), false},
			{"粮食产量达到17.8万吨", "粮食产量", ingest.MeasureLevel, ingest.OpReach, new(17.8), new("万吨"), false},
		}},
		{"other report farmland", "粮食播种面积稳定在42万亩以上，粮食产量不低于18万吨，新建高标准农田2万亩。", []brief{
			{"粮食播种面积稳定在42万亩以上", "粮食播种面积", ingest.MeasureLevel, ingest.OpGE, new(42.0), new("万亩"), false},
			{"粮食产量不低于18万吨", "粮食产量", ingest.MeasureLevel, ingest.OpGE, new(18.0), new("万吨"), false},
			{"新建高标准农田2万亩", "新建高标准农田", ingest.MeasureLevel, ingest.OpReach, new(2.0), new("万亩"), false},
		}},
		{"other report stretch", "力争全社会研发经费投入突破25亿元，新培育国家高新技术企业30家。", []brief{
			{"力争全社会研发经费投入突破25亿元", "研发经费投入", ingest.MeasureLevel, ingest.OpGT, new(25.0), new("亿元"), true},
			{"新培育国家高新技术企业30家", "新培育国家高新技术企业", ingest.MeasureCount, ingest.OpReach, new(30.0), new("家"), true},
		}},
	}
	year := 2024
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ingest.FindTargets(tt.in, 7, &year)
			if diff := cmp.Diff(tt.want, briefs(got)); diff != "" {
				t.Errorf("FindTargets(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			checkTargets(t, tt.in, got)
		})
	}
}

// TestFindTargetsSkips lists numbers that are not commitments.
func TestFindTargetsSkips(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"years and 十四五", "今年是“十四五”的开局之年，要实现“十四五”规划目标，做好全年工作至关重要。"},
		{"date", "重庆市渝中区人民政府办公室2024年1月25日"},
		{"number in quotes", "深化实施“10 分钟便民服务圈”工程，把更高水平的公共服务送到群众身边。"},
		{"code in quotes", "围绕“11241”产业体系，完善招商产业图谱、项目图谱、企业图谱。"},
		{"chinese numerals", "构建解放碑朝天门“一轴、一环、百巷”空间结构，加快打造GDP、社会消费品零售总额“双千亿”中央商务区。"},
		{"metro lines", "服务保障轨道18号线北延伸段、27号线等城市轨道交通续建项目。"},
		{"building number", "重庆中心一期、恒大云邸2号楼，确保按质如期交付。"},
		{"time span", "用3年时间完成老旧小区改造，推行24小时自助服务。"},
		{"anniversary", "以优异成绩庆祝中国共产党成立100周年！"},
		{"grade", "大鹅岭山脊自然生态带，厚植绿色本底，积极创建5A级景区。"},
		{"latin codes", "突出抓好 PM2.5 和臭氧污染协同控制，谋划实施 5G、数据中心等一批新型基础设施项目。"},
		{"count used as means", "积极扩大有效投资，以20个重大项目为抓手。"},
		{"count being worked on", "加快重医生命健康前沿技术交叉研究院等16个重点创新平台建设。"},
		{"count that settles", "推动重庆对外文化贸易基地等 5 个重点项目落户。"},
		{"existing resources", "用好2个国家级文化产业示范基地、10个市级文化产业示范园区基地。"},
		{"no measurable subject", "重点做好以下8个方面工作。"},
		{"comparison not commitment", "高于年度预期目标约1个百分点。"},
		{"verb alone", "完工100万平方米。"},
		{"external after a list of actions", "积极推进助销巫溪农特产品及消费扶贫工作、完成市下达目标任务。"},
		{"rank after a list of actions", "加快建设智慧城市、保持全市第一。"},
		{"multiple of a year", "城镇居民人均可支配收入是2015年的1.5倍。"},
		{"no figure", "高层次教育人才比例保持全市领先，让人气、业态、景观、价值同步提升。"},
		{"quoted years", "唱响“15年高品质教育在渝中”。"},
		{"bare number", "地区生产总值6。"},
		{"what there is", "渝中现有上市企业9家。"},
		{"condition with a date", "对2017年4月12日后从市外引进的年薪在30万元以上。"},
		{"empty", ""},
	}
	year := 2024
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ingest.FindTargets(tt.in, 1, &year)
			if got == nil {
				t.Fatalf("FindTargets(%q) = nil, want an empty slice", tt.in)
			}
			if diff := cmp.Diff([]brief{}, briefs(got)); diff != "" {
				t.Errorf("FindTargets(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestFindTargetsYearAndLine(t *testing.T) {
	year := 2021
	got := ingest.FindTargets("地区生产总值增长6%左右，新增发明专利200件。", 42, &year)
	year = 1999
	if len(got) != 2 {
		t.Fatalf("got %d targets, want 2", len(got))
	}
	for _, tg := range got {
		if tg.Line != 42 {
			t.Errorf("%q: Line = %d, want 42", tg.Text, tg.Line)
		}
		if tg.Year == nil || *tg.Year != 2021 {
			t.Errorf("%q: Year = %v, want a copy of 2021", tg.Text, tg.Year)
		}
	}
	for _, tg := range ingest.FindTargets("地区生产总值增长6%左右。", 1, nil) {
		if tg.Year != nil {
			t.Errorf("%q: Year = %d, want nil for a nil year", tg.Text, *tg.Year)
		}
	}
}

// TestFindTargetsLongInput guards against work that grows faster than the text:
// figures, lists and quotes repeated without a clause break.
func TestFindTargetsLongInput(t *testing.T) {
	for _, unit := range []string{"新增企业5家、", "增长6%", "“1”", "3岁以下", "第1", "A1", "1.", "（2个", "分别增长1%、"} {
		in := strings.Repeat(unit, 20000)
		got := ingest.FindTargets(in, 1, nil)
		checkTargets(t, in, got)
	}
}

func BenchmarkFindTargets(b *testing.B) {
	paragraphs := []string{workReport121, workReport125}
	size := len(workReport121) + len(workReport125)
	year := 2021
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range paragraphs {
			ingest.FindTargets(p, i, &year)
		}
	}
}
