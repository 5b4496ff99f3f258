package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"duban"
)

// City is what Seed created.
type City struct {
	ID        int64
	Districts []District
}

// District is one organisation Seed created under the city.
type District struct {
	ID    int64
	Name  string
	Tasks int
}

// Seed creates, as the system actor, a city with districts organisations
// below it, each holding a ledger of tasksPerDistrict tasks for year 2024
// imported from a synthetic document (Plan), with the members of its groups
// set (各街道 holds the streets).
func Seed(ctx context.Context, s duban.Store, districts, tasksPerDistrict int) (*City, error) {
	sys := duban.System(0)
	city := &duban.Org{Name: "示范市"}
	if err := s.CreateOrg(ctx, sys, city); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	c := &City{ID: city.ID}
	for i := range districts {
		d := &duban.Org{Name: districtName(i), ParentID: &city.ID}
		if err := s.CreateOrg(ctx, sys, d); err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
		if err := Ledger(ctx, s, sys, d.ID, 2024, tasksPerDistrict, uint64(i)); err != nil {
			return nil, fmt.Errorf("seed %s: %w", d.Name, err)
		}
		c.Districts = append(c.Districts, District{ID: d.ID, Name: d.Name, Tasks: tasksPerDistrict})
	}
	return c, nil
}

// Ledger imports Plan(orgID, year, tasks, seed) into organisation orgID as
// actor a, then sets the members of its groups.
func Ledger(ctx context.Context, s duban.Store, a duban.Actor, orgID int64, year, tasks int, seed uint64) error {
	if _, err := s.ApplyImport(ctx, a, Plan(orgID, year, tasks, seed)); err != nil {
		return err
	}
	units, err := s.FindUnits(ctx, orgID)
	if err != nil {
		return err
	}
	byName := make(map[string]int64)
	for _, u := range units {
		byName[u.Name] = u.ID
	}
	for group, members := range groupMembers() {
		var ids []int64
		for _, m := range members {
			ids = append(ids, byName[m])
		}
		if _, err := s.UpdateUnit(ctx, a, byName[group], duban.UnitUpdate{MemberIDs: &ids}); err != nil {
			return err
		}
	}
	return nil
}

func districtName(i int) string {
	names := []string{"渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区", "大渡口区", "北碚区", "渝北区", "巴南区", "长寿区"}
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("第%d区", i+1)
}

var departments = []string{
	"区发改委", "区教委", "区科技局", "区经济信息委", "区民政局", "区司法局", "区财政局", "区人力社保局",
	"区规划自然资源分局", "区生态环境局", "区住房城乡建委", "区城市管理局", "区交通局", "区水利局", "区商务委",
	"区文化旅游委", "区卫生健康委", "区退役军人事务局", "区应急局", "区审计局", "区国资委", "区市场监管局",
	"区统计局", "区医保局", "区信访办", "区大数据发展局", "区政务服务办", "区机关事务局", "区金融发展中心",
	"区投资促进中心", "区税务局", "区公安分局", "区消防救援支队", "区总工会", "团区委", "区妇联", "区残联",
	"区科协", "区工商联", "区人防办", "区档案馆", "区融媒体中心", "区城市更新中心", "区楼宇经济服务中心",
	"区招商投资集团", "区城市建设发展集团", "区国有资产经营公司", "区文旅集团",
}

var streets = []string{
	"解放碑街道", "朝天门街道", "南纪门街道", "七星岗街道", "大溪沟街道", "上清寺街道", "两路口街道",
	"菜园坝街道", "石油路街道", "大坪街道", "化龙桥街道",
}

var committees = []string{
	"解放碑商圈管委会", "时代天街商圈管委会", "历史文化街区管委会", "数字经济产业园区管委会", "化龙桥片区管委会",
}

var groups = []string{"各街道", "各管委会", "各产业部门", "区属各重点国企"}

func groupMembers() map[string][]string {
	return map[string][]string{
		"各街道":     streets,
		"各管委会":    committees,
		"各产业部门":   {"区发改委", "区经济信息委", "区商务委", "区文化旅游委", "区金融发展中心"},
		"区属各重点国企": {"区招商投资集团", "区城市建设发展集团", "区国有资产经营公司", "区文旅集团"},
	}
}

// aliases are other names the documents use for some units.
var aliases = map[string][]string{
	"区政务服务办":      {"区政服办"},
	"数字经济产业园区管委会": {"数字经济产业园管委会"},
	"时代天街商圈管委会":   {"时代天街管委会"},
}

var leaders = []string{
	"李明华", "王建国", "张晓东", "刘志强", "陈平", "杨丽", "赵伟", "黄晓燕", "周强", "吴敏", "徐涛", "孙静",
	"马俊", "朱红", "胡斌",
}

var sections = []string{
	"一、主要预期指标", "二、坚持创新驱动发展", "三、加快建设现代化产业体系", "四、全面深化改革开放",
	"五、推动城市更新提质", "六、提升城市治理水平", "七、加强生态文明建设", "八、增进民生福祉",
	"九、繁荣发展文化事业", "十、统筹发展和安全", "十一、加强法治政府建设", "十二、全面加强政府自身建设",
}

var subsections = []string{"（一）稳住经济基本盘", "（二）培育发展新动能", "（三）扩大有效投资", "（四）优化营商环境"}

var verbs = []string{"推进", "加快", "深化", "实施", "完善", "提升", "打造", "培育", "建设", "推动", "健全", "落实"}

var objects = []string{
	"金融业高质量发展", "数字经济核心产业集聚", "老旧小区改造", "历史文化街区保护利用", "国际消费中心城市核心区建设",
	"社区养老服务网络", "智慧城市运行管理平台", "营商环境综合改革", "科技创新平台建设", "首店经济和夜间经济",
	"城市更新试点项目", "长江文化艺术湾区", "楼宇经济提质增效", "社区嵌入式服务设施", "垃圾分类示范片区",
	"公共法律服务体系", "安全生产治本攻坚", "基层治理体系", "中小学校集团化办学", "医疗卫生服务能力",
}

var details = []string{
	"完成年度目标任务", "形成一批可复制推广的经验", "确保按期建成投用", "持续巩固提升", "力争取得突破性进展",
	"加强统筹协调和督促检查", "建立健全长效机制", "推动重点项目落地见效",
}

var targets = []struct {
	text, subject, measure, op, unit string
	value                            float64
}{
	{"地区生产总值增长6%左右", "地区生产总值", "growth", "approx", "%", 6},
	{"社会消费品零售总额增长7.5%", "社会消费品零售总额", "growth", "reach", "%", 7.5},
	{"新增首店品牌50个", "新增首店品牌", "count", "reach", "个", 50},
	{"空气质量优良天数达到300天", "空气质量优良天数", "level", "reach", "天", 300},
	{"城镇调查失业率控制在5.5%以内", "城镇调查失业率", "rate", "le", "%", 5.5},
	{"固定资产投资增长8%以上", "固定资产投资", "growth", "ge", "%", 8},
}

// Plan returns the import plan of a synthetic task decomposition of n tasks
// for year, as a first import into an empty organisation orgID: it creates
// every unit, group and leader the tasks name. seed varies the text; the same
// arguments give the same plan.
func Plan(orgID int64, year, n int, seed uint64) *duban.ImportPlan {
	r := rand.New(rand.NewPCG(seed, uint64(year)))
	p := &duban.ImportPlan{OrgID: orgID}
	for _, name := range departments {
		p.NewUnits = append(p.NewUnits, duban.Unit{Name: name, Kind: duban.UnitSingle, Aliases: aliases[name]})
	}
	for _, name := range append(append([]string{}, streets...), committees...) {
		p.NewUnits = append(p.NewUnits, duban.Unit{Name: name, Kind: duban.UnitSingle, Aliases: aliases[name]})
	}
	for _, name := range groups {
		p.NewUnits = append(p.NewUnits, duban.Unit{Name: name, Kind: duban.UnitGroup})
	}
	for i, name := range leaders {
		title := "副区长"
		if i == 0 {
			title = "区长"
		}
		p.NewPeople = append(p.NewPeople, duban.Person{Name: name, Title: title})
	}
	unitNames := append(append(append([]string{}, departments...), streets...), committees...)
	pick := func(list []string, k int) []string {
		var out []string
		for _, i := range r.Perm(len(list))[:k] {
			out = append(out, list[i])
		}
		return out
	}
	var text strings.Builder
	fmt.Fprintf(&text, "示范区人民政府办公室关于印发%d年区政府工作报告重点工作目标任务分解的通知（组织%d，样本%d）\n", year, orgID, seed)
	perSection := (n + len(sections) - 1) / len(sections)
	line := 30
	for i := range n {
		section := sections[min(i/max(perSection, 1), len(sections)-1)]
		number := 1
		if k := len(p.Tasks); k > 0 && p.Tasks[k-1].Section == section {
			number = p.Tasks[k-1].Number + 1
		}
		t := duban.PlannedTask{Task: duban.Task{
			Year:       year,
			Section:    section,
			Subsection: subsections[r.IntN(len(subsections))],
			Number:     number,
			Content: fmt.Sprintf("%s%s，%s%s，%s。", verbs[r.IntN(len(verbs))], objects[r.IntN(len(objects))],
				verbs[r.IntN(len(verbs))], objects[r.IntN(len(objects))], details[r.IntN(len(details))]),
			SourceLine: line,
		}}
		line += 4 + r.IntN(4)
		if i%4 == 0 {
			g := targets[r.IntN(len(targets))]
			t.Targets = []duban.Target{{Year: year, Subject: g.subject, Measure: g.measure, Op: g.op,
				Value: &g.value, Unit: g.unit, Text: g.text}}
			t.Content = g.text + "，" + t.Content
		}
		if i%7 == 0 {
			t.Deadline = fmt.Sprintf("%d年12月底", year)
		}
		t.LeaderNames = pick(leaders, 1+r.IntN(2))
		t.LeadUnitNames = pick(unitNames, 1+r.IntN(2))
		t.ResponsibleUnitNames = pick(unitNames, r.IntN(4))
		if r.IntN(3) == 0 {
			t.ResponsibleUnitNames = append(t.ResponsibleUnitNames, groups[r.IntN(len(groups))])
		}
		fmt.Fprintf(&text, "%s\t%d\t%s\t%s\t%s\t%s\n", t.Section, t.Number, t.Content,
			strings.Join(t.LeaderNames, "、"), strings.Join(t.LeadUnitNames, "、"), strings.Join(t.ResponsibleUnitNames, "、"))
		p.Tasks = append(p.Tasks, t)
	}
	p.Document = duban.Document{
		FileName: fmt.Sprintf("decomposition_%d_%d.txt", year, seed),
		Kind:     "decomposition",
		Title:    fmt.Sprintf("%d年区政府工作报告重点工作目标任务分解", year),
		Year:     year,
		Content:  []byte(text.String()),
	}
	return p
}
