package export_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/export"
	"duban/ingest"
)

// cst is the organisation's time zone in the tests.
var cst = time.FixedZone("CST", 8*3600)

// exportTime is when the tests export: 15 November 2024, 09:30 in Chongqing.
var exportTime = time.Date(2024, 11, 15, 9, 30, 0, 0, cst)

// The cycles of the tests: October's reports are in, November's are being
// written.
var (
	october  = duban.Cycle{ID: 10, OrgID: 1, Year: 2024, Seq: 10, Label: "2024年10月", Due: "2024-10-28"}
	november = duban.Cycle{ID: 11, OrgID: 1, Year: 2024, Seq: 11, Label: "2024年11月", Due: "2024-11-28"}
)

// Sections of the sample, as the 2024 decomposition heads them.
const (
	sectionTargets  = "一、主要预期指标"
	sectionIndustry = "四、焕新升级“11241”现代产业体系，打造经济高地"
	sectionLife     = "十、加强基础性、普惠性、兜底性民生建设，同筑幸福家园"
)

// longProgress is a report as long as real ones get.
const longProgress = "1—10月，全区实现社会消费品零售总额1186.3亿元，同比增长6.8%。" +
	"解放碑—朝天门商圈持续焕新，新开业首店品牌42家，其中全国首店3家、西南首店11家；" +
	"举办“不夜重庆·渝中有礼”等促消费活动126场，发放消费券2800万元，带动消费超过9亿元；" +
	"十八梯、山城巷等传统风貌区夜间客流同比增长23.5%，重庆来福士、大融城等重点商业体销售额保持两位数增长。"

func ptr[T any](v T) *T { return &v }

func at(day, hour int) *time.Time {
	t := time.Date(2024, 11, day, hour, 0, 0, 0, cst).UTC()
	return &t
}

// sampleTasks returns nine tasks of a district in three sections, with every
// light, several leaders and lead units, targets and a note.
func sampleTasks() []*duban.Task {
	task := func(id int64, section string, number int, content string) *duban.Task {
		return &duban.Task{
			ID: id, OrgID: 1, Year: 2024, Section: section, Number: number, Content: content,
			Deadline: "2024年12月底", Version: 1, Status: duban.StatusOnTrack, Light: duban.LightGreen,
			LightRules: []string{"报告按时报送，进度无滞后"},
		}
	}
	t1 := task(101, sectionTargets, 1, "地区生产总值增长6%左右。")
	t1.Leaders, t1.LeadUnits = []string{"邓光怀"}, []string{"区发改委"}
	t1.ResponsibleUnits = []string{"各产业部门", "各管委会", "各街道"}
	t1.Targets = []duban.Target{{ID: 1001, Year: 2024, Subject: "地区生产总值", Measure: "growth", Op: "approx", Value: ptr(6.0), Unit: "%", Text: "地区生产总值增长6%左右"}}

	t2 := task(102, sectionTargets, 4, "社会消费品零售总额增长7.5%。")
	t2.Leaders, t2.LeadUnits = []string{"陈平"}, []string{"区商务委"}
	t2.ResponsibleUnits = []string{"区文旅委", "各管委会", "各街道"}
	t2.Targets = []duban.Target{{ID: 1002, Year: 2024, Subject: "社会消费品零售总额", Measure: "growth", Op: "reach", Value: ptr(7.5), Unit: "%", Text: "社会消费品零售总额增长7.5%"}}
	t2.Status, t2.Light = duban.StatusBehind, duban.LightYellow
	t2.LightRules = []string{"完成进度低于序时进度12个百分点"}

	t3 := task(103, sectionTargets, 2, "区级一般公共预算收入增长6%。")
	t3.Leaders, t3.LeadUnits = []string{"邓光怀"}, []string{"区财政局"}
	t3.ResponsibleUnits = []string{"区国资委", "区税务局等"}
	t3.Status, t3.Light = duban.StatusDone, duban.LightGreen
	t3.LightRules = []string{"10月报告已审核，完成进度100%"}

	t4 := task(104, sectionIndustry, 1, "构建解放碑朝天门“一轴、一环、百巷”空间结构，分区、分层布局解放碑高端商务商贸、"+
		"下半城都市文旅体验、黄花园现代服务业融合示范等六大功能组团，促进解放碑朝天门一体化发展。")
	t4.Leaders = []string{"邓光怀", "陈平"}
	t4.LeadUnits = []string{"解放碑CBD管委会", "区发改委"}
	t4.ResponsibleUnits = []string{"区商务委", "区文旅委", "区金融办", "区规资局"}
	t4.Note = "解放碑CBD管委会负责空间规划，区发改委负责统筹调度"

	t5 := task(105, sectionIndustry, 27, "统筹楼宇“招租”和政府“招商”，推行“空间+产业+运营”发展模式，盘活闲置楼宇30万平方米，改造老旧楼宇10栋。")
	t5.Leaders, t5.LeadUnits = []string{"邓光怀"}, []string{"区发改委"}
	t5.ResponsibleUnits = []string{"区住建委", "区招商局", "区税务局", "各产业部门"}
	t5.Targets = []duban.Target{
		{ID: 1051, Subject: "闲置楼宇", Measure: "count", Op: "reach", Value: ptr(30.0), Unit: "万平方米", Text: "盘活闲置楼宇30万平方米"},
		{ID: 1052, Subject: "老旧楼宇", Measure: "count", Op: "reach", Value: ptr(10.0), Unit: "栋", Text: "改造老旧楼宇10栋"},
	}
	t5.Status, t5.Light = duban.StatusBehind, duban.LightRed
	t5.LightRules = []string{"10月报告已逾期18天未报送（截止2024-10-28，宽限至2024-10-31）", "完成进度低于序时进度25个百分点"}

	t6 := task(106, sectionIndustry, 3, "推动重庆来福士、大融城等重点商业体品质提升，新增首店品牌50个。")
	t6.Leaders, t6.LeadUnits = []string{"陈平"}, []string{"区商务委"}
	t6.ResponsibleUnits = []string{"解放碑CBD管委会", "时代天街商圈管委会"}
	t6.Targets = []duban.Target{{ID: 1061, Subject: "首店品牌", Measure: "count", Op: "reach", Value: ptr(50.0), Unit: "个", Text: "新增首店品牌50个"}}

	t7 := task(107, sectionLife, 5, "新增城镇就业2.5万人，城镇调查失业率控制在5.5%以内。")
	t7.Leaders, t7.LeadUnits = []string{"陈平"}, []string{"区人社局"}
	t7.ResponsibleUnits = []string{"各街道"}
	t7.Status, t7.Light, t7.LightRules = duban.StatusNotStarted, duban.LightNone, nil

	t8 := task(108, sectionLife, 1, "完成老旧小区改造40个，惠及居民1.2万户。")
	t8.Leaders, t8.LeadUnits = []string{"陈平"}, []string{"区住建委"}
	t8.ResponsibleUnits = []string{"区财政局", "各街道"}
	t8.Status, t8.Light = duban.StatusClosed, duban.LightNone
	t8.LightRules = []string{"已于2024年10月30日销号"}

	t9 := task(109, sectionLife, 2, "新建社区养老服务站8个，提升社区居家养老服务能力。")
	t9.Leaders, t9.LeadUnits = []string{"陈平"}, []string{"区民政局"}
	t9.ResponsibleUnits = []string{"各街道"}
	t9.Status, t9.Light = duban.StatusBehind, duban.LightRed
	t9.LightRules = []string{"10月报告被退回后逾期未重新报送（宽限至2024-10-31）"}
	t9.Version = 3
	return []*duban.Task{t1, t2, t3, t4, t5, t6, t7, t8, t9}
}

// sampleReports returns the latest report of the sample's tasks: November's
// for some, October's for others, none for 107.
func sampleReports() map[int64]*duban.Report {
	report := func(task int64, cycle duban.Cycle, progress string, pct int, day int) *duban.Report {
		return &duban.Report{
			ID: task*10 + cycle.ID, OrgID: 1, TaskID: task, CycleID: cycle.ID, Status: duban.ReportSubmitted,
			Progress: progress, Percent: ptr(pct), SubmittedAt: at(day, 16), Version: 2,
		}
	}
	r1 := report(101, november, "1—10月，全区地区生产总值同比增长6.1%，高于全市平均水平。", 85, 12)
	r1.Figures = []duban.Figure{{TargetID: 1001, Value: 6.1, Note: "1-10月"}}
	r1.Problems = "部分重点企业产值增速放缓。"
	r1.NextSteps = "加强重点企业调度，确保全年目标完成。"
	r2 := report(102, november, longProgress, 70, 13)
	r2.Figures = []duban.Figure{{TargetID: 1002, Value: 6.8, Note: "1-10月累计"}}
	r2.Problems = "传统商圈客流恢复不及预期，部分商业体空置率偏高。"
	r2.NextSteps = "谋划元旦春节消费季活动，加快首店引进。"
	r2.Version = 3
	r3 := report(103, october, "1—10月，区级一般公共预算收入完成32.6亿元，增长6.3%，已完成全年目标。", 100, 0)
	r3.Status, r3.SubmittedAt = duban.ReportApproved, ptr(time.Date(2024, 10, 25, 10, 0, 0, 0, time.UTC))
	r4 := report(104, november, "“一轴、一环、百巷”空间规划已通过区规委会审议，六大功能组团项目库完成编制。", 90, 14)
	r5 := report(105, october, "已盘活闲置楼宇18.6万平方米，完成老旧楼宇改造4栋。", 45, 0)
	r5.SubmittedAt = ptr(time.Date(2024, 10, 31, 17, 30, 0, 0, time.UTC))
	r5.Figures = []duban.Figure{{TargetID: 1051, Value: 18.6}, {TargetID: 1052, Value: 4}}
	r6 := report(106, november, "新开业首店品牌42家。", 84, 13)
	r6.Figures = []duban.Figure{{TargetID: 1061, Value: 42, Note: "1-10月累计"}}
	r8 := report(108, october, "40个老旧小区改造全部完工并通过验收。", 100, 0)
	r8.SubmittedAt = ptr(time.Date(2024, 10, 20, 3, 0, 0, 0, time.UTC))
	r9 := report(109, october, "已建成社区养老服务站5个。", 60, 0)
	r9.Status, r9.SubmittedAt = duban.ReportReturned, ptr(time.Date(2024, 10, 27, 2, 0, 0, 0, time.UTC))
	r9.Reviews = []duban.Review{{ID: 1, ReportID: r9.ID, Decision: duban.DecisionReturn, Comment: "未说明3个未建成站点的选址和时间安排", Reviewer: "王督查"}}
	return map[int64]*duban.Report{101: r1, 102: r2, 103: r3, 104: r4, 105: r5, 106: r6, 108: r8, 109: r9}
}

// sampleLedger is the ledger of the sample tasks, made in November.
func sampleLedger() export.LedgerInput {
	return export.LedgerInput{
		OrgName: "渝中区", Year: 2024, Tasks: sampleTasks(), Reports: sampleReports(),
		Cycle: november, Generated: exportTime,
	}
}

// seedExtraction reads a seed document of the repository through ingest.
func seedExtraction(tb testing.TB, name string) *ingest.Extraction {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	x, err := ingest.Extract(name, data, ingest.Limits{})
	if err != nil {
		tb.Fatalf("extract %s: %v", name, err)
	}
	return x
}

// seedTasks turns the 2024 decomposition of 渝中区 (194 tasks) into tasks of
// organisation org, with IDs from firstID and a spread of statuses, lights and
// reports that depends only on the task's place, and returns them with their
// latest reports.
func seedTasks(tb testing.TB, x *ingest.Extraction, org, firstID int64, n int) ([]*duban.Task, map[int64]*duban.Report) {
	tb.Helper()
	var tasks []*duban.Task
	reports := map[int64]*duban.Report{}
	for i := range n {
		src := x.Tasks[i%len(x.Tasks)]
		id := firstID + int64(i)
		t := &duban.Task{
			ID: id, OrgID: org, Year: 2024, Section: src.Section, Number: src.Number + 200*(i/len(x.Tasks)),
			Content: src.Content, Leaders: src.Leaders, LeadUnits: src.LeadUnits, ResponsibleUnits: src.ResponsibleUnits,
			Deadline: "2024年12月底", Version: 1 + i%3,
		}
		if src.Subsection != nil {
			t.Subsection = *src.Subsection
		}
		if src.Note != nil {
			t.Note = *src.Note
		}
		for k, g := range src.Targets {
			tg := duban.Target{ID: id*10 + int64(k), Subject: g.Subject, Measure: string(g.Measure), Op: string(g.Op), Value: g.Value, Text: g.Text}
			if g.Unit != nil {
				tg.Unit = *g.Unit
			}
			t.Targets = append(t.Targets, tg)
		}
		switch i % 10 {
		case 0, 1, 2, 3, 4:
			t.Status, t.Light, t.LightRules = duban.StatusOnTrack, duban.LightGreen, []string{"报告按时报送，进度无滞后"}
		case 5, 6:
			t.Status, t.Light, t.LightRules = duban.StatusBehind, duban.LightYellow, []string{"完成进度低于序时进度11个百分点"}
		case 7:
			t.Status, t.Light, t.LightRules = duban.StatusBehind, duban.LightRed, []string{"10月报告已逾期18天未报送（截止2024-10-28，宽限至2024-10-31）"}
		case 8:
			t.Status, t.Light, t.LightRules = duban.StatusDone, duban.LightGreen, []string{"10月报告已审核，完成进度100%"}
		case 9:
			t.Status = duban.StatusNotStarted
		}
		tasks = append(tasks, t)
		if i%10 == 9 {
			continue
		}
		cycle := november
		if i%10 == 7 || i%10 == 8 {
			cycle = october
		}
		unit := "牵头单位"
		if len(t.LeadUnits) > 0 {
			unit = t.LeadUnits[0]
		}
		r := &duban.Report{
			ID: id, OrgID: org, TaskID: id, CycleID: cycle.ID, Status: duban.ReportSubmitted, Version: 1 + i%2,
			Progress: fmt.Sprintf("%s按计划推进，已完成年度工作量的%d%%。%s", unit, 60+i%40,
				strings.Repeat("召开专题调度会，梳理问题清单，逐项明确责任人和完成时限。", 1+i%3)),
			Problems:    "要素保障仍需加强。",
			NextSteps:   "加快推进，确保年底前完成。",
			Percent:     ptr(60 + i%40),
			SubmittedAt: at(10+i%5, 15),
		}
		for _, tg := range t.Targets {
			if tg.Value != nil {
				r.Figures = append(r.Figures, duban.Figure{TargetID: tg.ID, Value: *tg.Value * 0.85, Note: "1-10月"})
			}
		}
		reports[id] = r
	}
	return tasks, reports
}
