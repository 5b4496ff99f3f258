package export_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/export"
)

// bulletinDate is the day November's bulletin is issued.
var bulletinDate = time.Date(2024, 11, 18, 10, 0, 0, 0, cst)

// sampleBulletin is November's bulletin of 渝中区: the 194 tasks of the 2024
// decomposition with made-up progress, four returned reports, three open
// notices and a ranking of ten units.
func sampleBulletin(t testing.TB) export.BulletinInput {
	t.Helper()
	x := seedExtraction(t, "002_df832bfe8d5b9f39.txt")
	tasks, _ := seedTasks(t, x, 1, 1, len(x.Tasks))
	rules := []string{
		"10月报告已逾期18天未报送（截止2024-10-28，宽限至2024-10-31）",
		"10月报告被退回后逾期未重新报送（宽限至2024-10-31）",
		"完成进度低于序时进度23个百分点",
		"已过完成时限（2024-10-31），尚未完成",
	}
	red := 0
	for _, task := range tasks {
		for i := range task.LeadUnits {
			task.LeadUnitIDs = append(task.LeadUnitIDs, 500+int64(i))
		}
		if task.Light == duban.LightRed {
			task.LightRules = []string{rules[red%len(rules)]}
			red++
		}
		if task.Status == duban.StatusDone && task.ID%3 == 0 {
			task.Status, task.Light, task.LightRules = duban.StatusClosed, duban.LightNone, []string{"已于2024年10月30日销号"}
		}
	}
	returned := func(task int64, status duban.ReportStatus, comment string) *duban.Report {
		return &duban.Report{ID: 9000 + task, TaskID: task, CycleID: november.ID, UnitID: 500, Status: status,
			Reviews: []duban.Review{{Decision: duban.DecisionReturn, Comment: comment, Reviewer: "王督查"}}}
	}
	return export.BulletinInput{
		OrgName: "渝中区", Issuer: "区政府督查室", Number: "渝中督查〔2024〕11号", Period: "2024年11月",
		Date: bulletinDate, AsOf: exportTime, Tasks: tasks,
		Returned: []*duban.Report{
			returned(8, duban.ReportReturned, "未说明3个未建成站点的选址和时间安排"),
			returned(15, duban.ReportSubmitted, "进展情况只有工作过程，缺少完成数据"),
			returned(42, duban.ReportApproved, "未附佐证材料"),
			returned(77, duban.ReportReturned, "存在问题和下一步措施与上月完全相同"),
		},
		Notices: []*duban.Notice{
			{ID: 1, TaskID: 18, UnitID: 500, Number: "渝中督办〔2024〕7号", Title: "关于加快推进闲置楼宇盘活工作的督办通知", Deadline: "2024-11-10", Status: duban.NoticeOpen},
			{ID: 2, TaskID: 28, UnitID: 500, Number: "渝中督办〔2024〕8号", Deadline: "2024-11-30", Status: duban.NoticeOpen},
			{ID: 3, TaskID: 38, UnitID: 500, Number: "渝中督办〔2024〕9号", Title: "关于加快老旧小区改造项目进度的督办通知", Deadline: "2024-11-20", Status: duban.NoticeResponded},
		},
		RankingRule: "按报送及时率（40%）、任务推进率（40%）和报告质量（20%）计分",
		Ranking: []export.RankRow{
			{Rank: 1, Unit: "区财政局", Score: 98.5, Note: "连续3个月第一"},
			{Rank: 2, Unit: "区商务委", Score: 96.2},
			{Rank: 3, Unit: "解放碑CBD管委会", Score: 95.8, Note: "较上期上升4位"},
			{Rank: 4, Unit: "区发改委", Score: 94.1},
			{Rank: 5, Unit: "区文旅委", Score: 92.7},
			{Rank: 6, Unit: "区住建委", Score: 90.3},
			{Rank: 7, Unit: "区人社局", Score: 88.6},
			{Rank: 8, Unit: "区民政局", Score: 85.2, Note: "1份报告被退回"},
			{Rank: 9, Unit: "区规资局", Score: 81.9},
			{Rank: 10, Unit: "区城市管理局", Score: 76.4, Note: "2项任务亮红灯"},
		},
	}
}

func TestBulletinText(t *testing.T) {
	b := sampleBulletin(t)
	text := documentText(t, docxBytes(t, func(w *bytes.Buffer) error { return export.Bulletin(w, b) }))
	for _, want := range []string{
		"渝中督查〔2024〕11号",
		"关于2024年11月重点工作推进情况的督查通报",
		"一、总体情况",
		"截至2024年11月15日，全区2024年共有重点工作任务194项。其中，已完成19项（已销号7项），正常推进99项，进度滞后57项，尚未启动19项；亮红灯19项、黄灯38项、绿灯111项，整体完成率9.8%。",
		"二、进度滞后及逾期事项", "本期亮红灯任务19项",
		"三、退回及整改情况", "本期退回报告4份，已重新报送2份，尚待整改2份。", "未说明3个未建成站点的选址和时间安排", "待重新报送",
		"四、督办事项", "目前在办督办单3件，其中1件已超过办理时限：", "渝中督办〔2024〕7号", "已超时限", "已反馈待核",
		"五、赛马比拼", "按报送及时率（40%）、任务推进率（40%）和报告质量（20%）计分，本期各单位得分及排名如下：", "解放碑CBD管委会", "98.5",
		"六、下一步工作要求", "一是压实工作责任。",
		"区政府督查室", "2024年11月18日",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the bulletin lacks %q", want)
		}
	}
}

func TestBulletinEmpty(t *testing.T) {
	b := export.BulletinInput{OrgName: "渝中区", Issuer: "区政府督查室", Period: "2024年11月", Date: bulletinDate,
		Requirements: []string{"请各单位按时报送12月进展。"}}
	text := documentText(t, docxBytes(t, func(w *bytes.Buffer) error { return export.Bulletin(w, b) }))
	for _, want := range []string{"本期无亮红灯任务。", "本期无退回报告。", "本期无在办督办事项。", "本期未开展排名。", "请各单位按时报送12月进展。"} {
		if !strings.Contains(text, want) {
			t.Errorf("an empty bulletin lacks %q", want)
		}
	}
	if strings.Contains(text, "一是压实工作责任") {
		t.Errorf("the requirements given did not replace the default ones")
	}
}

func TestBulletinLibreOffice(t *testing.T) {
	b := sampleBulletin(t)
	pdf := toPDF(t, "bulletin", docxBytes(t, func(w *bytes.Buffer) error { return export.Bulletin(w, b) }))
	pdf.checkPages(t, 5, false)
	pdf.checkPageNumbers(t)
	pdf.checkText(t,
		"渝中督查〔2024〕11号", "关于2024年11月重点工作推进情况的督查通报",
		"一、总体情况", "二、进度滞后及逾期事项", "三、退回及整改情况", "四、督办事项", "五、赛马比拼", "六、下一步工作要求",
		"合计", "区财政局", "98.5", "未说明3个未建成站点的选址和时间安排", "渝中督办〔2024〕7号",
		"区政府督查室", "2024年11月18日",
	)
}

func BenchmarkBulletin(b *testing.B) {
	in := sampleBulletin(b)
	for b.Loop() {
		if err := export.Bulletin(&countingWriter{}, in); err != nil {
			b.Fatal(err)
		}
	}
}
