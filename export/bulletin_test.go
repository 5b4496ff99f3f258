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
	returned := func(task int64, day int, status duban.ReportStatus, comment string) *duban.Report {
		return &duban.Report{ID: 9000 + task, TaskID: task, CycleID: november.ID, UnitID: 500, Status: status,
			Reviews: []duban.Review{{Decision: duban.DecisionReturn, Comment: comment, Reviewer: "王督查", At: *at(day, 10)}}}
	}
	// Two returns of October, which November's bulletin leaves out: one
	// still waiting, one resubmitted and approved.
	octoberReturn := func(task int64, status duban.ReportStatus) *duban.Report {
		r := returned(task, 1, status, "十月退回")
		r.CycleID = october.ID
		r.Reviews[0].At = time.Date(2024, 10, 20, 10, 0, 0, 0, cst).UTC()
		return r
	}
	return export.BulletinInput{
		OrgName: "渝中区", Issuer: "区政府督查室", Number: "渝中督查〔2024〕11号", Period: "2024年11月",
		From: time.Date(2024, 11, 1, 0, 0, 0, 0, cst), To: time.Date(2024, 12, 1, 0, 0, 0, 0, cst),
		Date: bulletinDate, AsOf: exportTime, Tasks: tasks,
		Returned: []*duban.Report{
			octoberReturn(3, duban.ReportReturned),
			returned(8, 4, duban.ReportReturned, "未说明3个未建成站点的选址和时间安排"),
			returned(15, 5, duban.ReportSubmitted, "进展情况只有工作过程，缺少完成数据"),
			returned(42, 6, duban.ReportApproved, "未附佐证材料"),
			octoberReturn(60, duban.ReportApproved),
			returned(77, 7, duban.ReportReturned, "存在问题和下一步措施与上月完全相同"),
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
		"督查通报", "第11期　渝中督查〔2024〕11号", "区政府督查室2024年11月18日",
		"关于2024年11月重点工作推进情况的督查通报", "各街道办事处，区政府各部门，有关单位：",
		"一、总体情况",
		"截至2024年11月15日，全区2024年共有重点工作任务194项。其中，已完成或销号19项（已销号7项），正常推进99项，进度滞后57项，尚未启动19项；亮红灯19项、黄灯38项、绿灯111项。完成率9.8%（已完成或销号的任务占全部任务）（详见附件1）。",
		"二、工作亮点", "赛马比拼中，区财政局、区商务委、解放碑CBD管委会位列前三。",
		"三、进度滞后及逾期事项", "本期亮红灯任务19项", "亮红灯任务较多的牵头单位是：区金融办（2项）",
		"目前在办督办单3件，其中1件已超过办理时限：渝中督办〔2024〕7号（", "办理时限2024-11-10，已超时限）；",
		"渝中督办〔2024〕9号（", "已反馈待核）。",
		// October's two returns are not this period's.
		"四、退回及整改情况", "本期退回报告4份，涉及1个单位；截至2024年11月15日，已重新报送2份（其中审核通过1份），尚待整改2份。",
		"未说明3个未建成站点的选址和时间安排", "存在问题和下一步措施与上月完全相同",
		"赛马比拼各单位得分及排名（详见附件4），计分规则列于表后。", "解放碑CBD管委会", "98.5",
		"计分规则：按报送及时率（40%）、任务推进率（40%）和报告质量（20%）计分。",
		"五、下一步工作要求", "一是压实工作责任。", "特此通报。", "附件：1．各板块任务推进情况",
		"区政府督查室", "2024年11月18日", "附件4赛马比拼排名",
		"抄送：区委办公室，区人大常委会办公室，区政协办公室。", "区政府督查室2024年11月18日印发",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the bulletin lacks %q", want)
		}
	}
	if strings.Contains(text, "十月退回") {
		t.Error("the bulletin lists a return of October")
	}
}

func TestBulletinLayout(t *testing.T) {
	data := docxBytes(t, func(w *bytes.Buffer) error { return export.Bulletin(w, sampleBulletin(t)) })
	body, styles := documentPart(t, data, "word/document.xml"), documentPart(t, data, "word/styles.xml")
	masthead := body[strings.Index(body, `<w:pStyle w:val="Masthead"/>`):]
	masthead = masthead[:strings.Index(masthead, "</w:p>")]
	if !strings.Contains(masthead, `<w:color w:val="FF0000"/>`) || !strings.Contains(masthead, "督查通报") {
		t.Errorf("the masthead is not 督查通报 in red: %s", masthead)
	}
	issue := styles[strings.Index(styles, `w:styleId="IssueLine"`):]
	issue = issue[:strings.Index(issue, "</w:style>")]
	if !strings.Contains(issue, `<w:bottom w:val="single" w:sz="18" w:space="4" w:color="FF0000"/>`) {
		t.Errorf("the issue line has no red rule under it: %s", issue)
	}
	if n := strings.Count(body, `<w:pStyle w:val="IssueLine"/>`); n != 1 {
		t.Errorf("%d issue lines, want 1", n)
	}
	if n := strings.Count(body, `<w:pStyle w:val="Colophon"/>`); n != 2 {
		t.Errorf("%d colophon lines, want 2", n)
	}
	rows := strings.Count(body, "<w:tr>")
	if n := strings.Count(body, "<w:trPr><w:cantSplit/>"); n != rows || rows == 0 {
		t.Errorf("%d of %d rows cannot split", n, rows)
	}
	if n := strings.Count(body, "<w:tblHeader/>"); n != 4 {
		t.Errorf("%d header rows repeat, want one in each of the 4 tables", n)
	}
}

func TestBulletinEmpty(t *testing.T) {
	b := export.BulletinInput{OrgName: "渝中区", Issuer: "区政府督查室", Period: "2024年11月", Date: bulletinDate,
		Requirements: []string{"请各单位按时报送12月进展。"}}
	text := documentText(t, docxBytes(t, func(w *bytes.Buffer) error { return export.Bulletin(w, b) }))
	for _, want := range []string{"本期无亮红灯任务。", "本期无退回报告。", "请各单位按时报送12月进展。", "特此通报。"} {
		if !strings.Contains(text, want) {
			t.Errorf("an empty bulletin lacks %q", want)
		}
	}
	for _, unwanted := range []string{"一是压实工作责任", "附件：2"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("an empty bulletin has %q", unwanted)
		}
	}
}

func TestBulletinLibreOffice(t *testing.T) {
	b := sampleBulletin(t)
	pdf := toPDF(t, "bulletin", docxBytes(t, func(w *bytes.Buffer) error { return export.Bulletin(w, b) }))
	if n := len(pdf.pages); n > 8 {
		t.Errorf("LibreOffice made %d pages, want at most 8", n)
	}
	pdf.checkPages(t, len(pdf.pages), false)
	pdf.checkPageNumbers(t)
	pdf.checkText(t,
		"督查通报", "渝中督查〔2024〕11号", "关于2024年11月重点工作推进情况的督查通报",
		"一、总体情况", "二、工作亮点", "三、进度滞后及逾期事项", "四、退回及整改情况", "五、下一步工作要求",
		"合计", "区财政局", "98.5", "未说明3个未建成站点的选址和时间安排", "渝中督办〔2024〕7号",
		"区政府督查室", "2024年11月18日", "抄送：", "2024年11月18日印发",
	)
	checkSignaturePage(t, pdf)
}

// TestBulletinDemoSize renders the bulletin of a district as the demo
// holds it — 194 tasks at about 80% progress, a ranking of every lead unit
// with its four parts, returns in two months — and checks it keeps to 8
// pages, counts only November's returns, and names the measures as the
// dashboard does.
func TestBulletinDemoSize(t *testing.T) {
	b := sampleBulletin(t)
	units := map[string]bool{}
	b.Ranking = nil
	for i, task := range b.Tasks {
		task.Actual = ptr(float64(60 + i%41))
		for _, u := range task.LeadUnits {
			if units[u] {
				continue
			}
			units[u] = true
			n := len(b.Ranking)
			row := export.RankRow{Rank: n + 1, Unit: u, Score: 99 - float64(n)*0.3, Parts: []export.RankPart{
				{Name: "按时报送", Points: 38.5}, {Name: "任务完成", Points: 36.2}, {Name: "报告质量", Points: 15.6}, {Name: "督办响应", Points: 9.5},
			}}
			if n%7 == 3 {
				row.Note = "退回报告2份，每份扣0.5分，扣1分"
			}
			b.Ranking = append(b.Ranking, row)
		}
	}
	b.Returned = nil
	for i, task := range b.Tasks[:146] {
		status := duban.ReportReturned
		if i%4 == 0 {
			status = duban.ReportSubmitted
		}
		day := time.Date(2024, 10, 1+i%28, 10, 0, 0, 0, cst)
		if i%2 == 1 {
			day = time.Date(2024, 11, 1+i%14, 10, 0, 0, 0, cst)
		}
		b.Returned = append(b.Returned, &duban.Report{ID: 7000 + task.ID, TaskID: task.ID, UnitID: 500, Status: status,
			Reviews: []duban.Review{{Decision: duban.DecisionReturn, Comment: "进展情况不具体", At: day.UTC()}}})
	}
	data := docxBytes(t, func(w *bytes.Buffer) error { return export.Bulletin(w, b) })
	text := documentText(t, data)
	// 73 returns in November, none of them resubmitted (the resubmitted ones
	// are every fourth, all in October).
	for _, want := range []string{
		"本期退回报告73份", "已重新报送0份（其中审核通过0份），尚待整改73份。",
		"完成率9.8%（已完成或销号的任务占全部任务），平均完成进度79.1%",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the bulletin lacks %q", want)
		}
	}
	pdf := toPDF(t, "bulletin-demo", data)
	if n := len(pdf.pages); n > 8 {
		t.Errorf("the demo-sized bulletin has %d pages, want at most 8", n)
	}
	checkSignaturePage(t, pdf)
	pdf.checkText(t, "赛马比拼排名", "按时报送", "备注", "2024年11月18日印发")
}

// checkSignaturePage checks that the signature and date share their page
// with body text: the closing lines stand before them.
func checkSignaturePage(t *testing.T, pdf pdfDoc) {
	t.Helper()
	for i, p := range pdf.pages {
		// The signature ends its page's text, before the page number; the
		// issuer and date under the masthead and in the colophon do not.
		j := strings.LastIndex(p, "区政府督查室2024年11月18日—")
		if j < 0 {
			continue
		}
		if !strings.Contains(p[:j], "特此通报。") {
			t.Errorf("page %d has the signature without body text before it: %q", i+1, p[:j])
		}
		return
	}
	t.Error("no page has the signature and date")
}

func BenchmarkBulletin(b *testing.B) {
	in := sampleBulletin(b)
	for b.Loop() {
		if err := export.Bulletin(&countingWriter{}, in); err != nil {
			b.Fatal(err)
		}
	}
}
