package progress_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/assess"
	"duban/calendar"
	"duban/progress"
)

var shanghai = time.FixedZone("CST", 8*3600)

// monthly2024 returns the cycles of a monthly schedule due on the 28th (moved
// before weekends) with three working days' grace, with IDs 1 to 12. In the
// plain working week:
//
//	1月 due 1月26日, grace 1月31日     2月 due 2月28日, grace 3月4日
//	3月 due 3月28日, grace 4月2日      4月 due 4月26日, grace 5月1日
//	5月 due 5月28日, grace 5月31日     6月 due 6月28日, grace 7月3日
//	7月 due 7月26日, grace 7月31日     …
func monthly2024(t testing.TB) []duban.Cycle {
	t.Helper()
	cs, err := calendar.Cycles(duban.Schedule{Year: 2024, Kind: duban.ScheduleMonthly, Day: 28, GraceDays: 3, Shift: duban.ShiftBefore}, calendar.Calendar{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		cs[i].ID = int64(cs[i].Seq)
	}
	return cs
}

// at is 10:00 in Beijing on a day.
func at(day string) *time.Time {
	d := calendar.MustParse(day)
	t := time.Date(d.Year(), time.Month(d.Month()), d.Day(), 10, 0, 0, 0, shanghai).UTC()
	return &t
}

// rep is a report of the month's cycle.
func rep(month int, status duban.ReportStatus, submitted string, percent *int, figures ...duban.Figure) duban.Report {
	r := duban.Report{ID: int64(100 + month), TaskID: 1, CycleID: int64(month), Status: status, Percent: percent, Figures: figures}
	if submitted != "" {
		r.SubmittedAt = at(submitted)
	}
	return r
}

func fig(id int64, v float64) duban.Figure { return duban.Figure{TargetID: id, Value: v} }

var (
	shops   = duban.Target{ID: 11, Year: 2024, Subject: "新增首店品牌", Measure: "count", Op: "reach", Value: new(50.0), Unit: "个", Text: "新增首店品牌50个"}
	retail  = duban.Target{ID: 12, Year: 2024, Subject: "社会消费品零售总额增长", Measure: "growth", Op: "reach", Value: new(7.5), Unit: "%", Text: "社会消费品零售总额增长7.5%"}
	jobless = duban.Target{ID: 13, Year: 2024, Subject: "城镇调查失业率", Measure: "rate", Op: "approx", Value: new(5.5), Unit: "%", Text: "城镇调查失业率5.5%左右"}
	deaths  = duban.Target{ID: 14, Year: 2024, Subject: "生产安全事故死亡人数", Measure: "count", Op: "le", Value: new(10.0), Unit: "人", Text: "生产安全事故死亡人数控制在10人以内"}
	zeroNew = duban.Target{ID: 15, Year: 2024, Subject: "违法建筑", Measure: "count", Op: "eq", Value: new(0.0), Unit: "处", Text: "违法建筑保持零新增"}
	gdp     = duban.Target{ID: 16, Year: 2024, Subject: "地区生产总值", Measure: "level", Op: "ge", Value: new(1500.0), Unit: "亿元", Text: "地区生产总值达到1500亿元以上"}
	pm25    = duban.Target{ID: 18, Year: 2024, Subject: "PM2.5年均浓度", Measure: "level", Op: "lt", Value: new(35.0), Unit: "微克/立方米", Text: "PM2.5年均浓度低于35微克/立方米"}
	output  = duban.Target{ID: 19, Year: 2024, Subject: "规上工业总产值", Measure: "level", Op: "gt", Value: new(1450.0), Unit: "亿元", Text: "规上工业总产值突破1450亿元"}
	life    = duban.Target{ID: 20, Year: 2024, Subject: "人均预期寿命", Measure: "level", Op: "reach", Value: new(81.0), Unit: "岁", Text: "人均预期寿命达到81岁"}
	rank    = duban.Target{ID: 17, Year: 2024, Subject: "营商环境", Measure: "other", Op: "rank", Value: new(1.0), Text: "保持全市第1"}
)

func task(deadline string, targets ...duban.Target) duban.Task {
	return duban.Task{ID: 1, OrgID: 1, Year: 2024, Number: 3, Content: "推动商圈提档升级", Deadline: deadline, Targets: targets}
}

// rules writes rules as "light kind text" for comparison.
func rules(rs []progress.Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Light)+" "+string(r.Kind)+" "+r.Text)
	}
	return out
}

func TestDerive(t *testing.T) {
	cycles := monthly2024(t)
	jan, feb := rep(1, duban.ReportApproved, "2024-01-25", new(5)), rep(2, duban.ReportApproved, "2024-02-27", new(20))
	tests := []struct {
		name       string
		in         progress.Input
		wantStatus duban.TaskStatus
		wantLight  duban.Light
		want       []string
	}{
		{
			name:       "nothing due yet",
			in:         progress.Input{Today: calendar.MustParse("2024-01-10"), Task: task("年底前")},
			wantStatus: duban.StatusNotStarted, wantLight: duban.LightNone,
			want: []string{" not_started 尚未报送进展，1月报告于1月26日截止"},
		},
		{
			name:       "first report due in two days",
			in:         progress.Input{Today: calendar.MustParse("2024-01-24"), Task: task("年底前")},
			wantStatus: duban.StatusNotStarted, wantLight: duban.LightYellow,
			want: []string{"yellow report_due_soon 1月报告将于1月26日截止，尚未报送（还有2天）"},
		},
		{
			name:       "due today",
			in:         progress.Input{Today: calendar.MustParse("2024-03-28"), Task: task("年底前"), Reports: []duban.Report{jan, feb}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow report_due_soon 3月报告今天（3月28日）截止，尚未报送"},
		},
		{
			name:       "due in five days is not yet soon",
			in:         progress.Input{Today: calendar.MustParse("2024-03-23"), Task: task("年底前"), Reports: []duban.Report{jan, feb}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 2月报告已于2月27日报送",
				"green progress 截至2月27日累计完成20%，达到序时进度15.8%",
			},
		},
		{
			name: "due in five days with seven days' notice",
			in: progress.Input{Today: calendar.MustParse("2024-03-23"), Task: task("年底前"), Reports: []duban.Report{jan, feb},
				Settings: progress.Settings{DueSoonDays: 7}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow report_due_soon 3月报告将于3月28日截止，尚未报送（还有5天）"},
		},
		{
			name:       "late within the grace window",
			in:         progress.Input{Today: calendar.MustParse("2024-04-01"), Task: task("年底前"), Reports: []duban.Report{jan, feb}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow report_overdue 3月报告已逾期4天未报送（截止3月28日，宽限至4月2日）"},
		},
		{
			name:       "missing past the grace window",
			in:         progress.Input{Today: calendar.MustParse("2024-04-05"), Task: task("年底前"), Reports: []duban.Report{jan, feb}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red report_missing 3月报告已逾期8天未报送（截止3月28日）"},
		},
		{
			name:       "three reports missing",
			in:         progress.Input{Today: calendar.MustParse("2024-04-05"), Task: task("年底前")},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red report_missing 3月报告已逾期8天未报送（截止3月28日），此前另有2期未报送"},
		},
		{
			name:       "a draft is not a report",
			in:         progress.Input{Today: calendar.MustParse("2024-02-05"), Task: task("年底前"), Reports: []duban.Report{rep(1, duban.ReportDraft, "", new(10))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red report_missing 1月报告已逾期10天未报送（截止1月26日）"},
		},
		{
			name: "returned, within the grace window",
			in: progress.Input{Today: calendar.MustParse("2024-04-01"), Task: task("年底前"),
				Reports: []duban.Report{jan, feb, rep(3, duban.ReportReturned, "2024-03-27", new(30))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow report_returned 3月报告被退回，须在宽限期（4月2日）内重新报送"},
		},
		{
			name: "returned and not resubmitted after the grace window",
			in: progress.Input{Today: calendar.MustParse("2024-04-03"), Task: task("年底前"),
				Reports: []duban.Report{jan, feb, rep(3, duban.ReportReturned, "2024-03-27", new(30))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red report_returned 3月报告被退回后逾期未重新报送（宽限至4月2日）"},
		},
		{
			name: "returned before its due date",
			in: progress.Input{Today: calendar.MustParse("2024-03-20"), Task: task("年底前"),
				Reports: []duban.Report{jan, feb, rep(3, duban.ReportReturned, "2024-03-15", new(30))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow report_returned 3月报告被退回，须在3月28日前重新报送"},
		},
		{
			name: "evidence requested",
			in: progress.Input{Today: calendar.MustParse("2024-04-10"), Task: task("年底前"),
				Reports: []duban.Report{jan, feb, rep(3, duban.ReportEvidenceRequested, "2024-03-26", new(25))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow evidence_requested 3月报告需补充佐证材料"},
		},
		{
			name: "evidence requested on a report not yet due",
			in: progress.Input{Today: calendar.MustParse("2024-03-20"), Task: task("年底前"),
				Reports: []duban.Report{jan, feb, rep(3, duban.ReportEvidenceRequested, "2024-03-15", new(25))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow evidence_requested 3月报告需补充佐证材料（截止3月28日）"},
		},
		{
			name: "far behind 序时进度",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前"),
				Reports: []duban.Report{jan, feb, rep(6, duban.ReportSubmitted, "2024-06-25", new(20))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red progress 截至6月25日累计完成20%，低于序时进度48.4%超过20个百分点"},
		},
		{
			name: "somewhat behind 序时进度",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前"),
				Reports: []duban.Report{rep(6, duban.ReportSubmitted, "2024-06-25", new(35))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightYellow,
			want: []string{"yellow progress 截至6月25日累计完成35%，低于序时进度48.4%超过10个百分点"},
		},
		{
			name: "a little behind 序时进度",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前"),
				Reports: []duban.Report{rep(6, duban.ReportSubmitted, "2024-06-25", new(45))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 6月报告已于6月25日报送",
				"green progress 截至6月25日累计完成45%，略低于序时进度48.4%，差距在10个百分点以内",
			},
		},
		{
			name: "thresholds set by the office",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前"),
				Reports:  []duban.Report{rep(6, duban.ReportSubmitted, "2024-06-25", new(45))},
				Settings: progress.Settings{YellowGap: 2, RedGap: 1}}, // red raised to yellow
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red progress 截至6月25日累计完成45%，低于序时进度48.4%超过2个百分点"},
		},
		{
			name: "a deadline in June: 序时进度 of the task's span",
			in: progress.Input{Today: calendar.MustParse("2024-04-10"), Task: task("6月底前"),
				Reports: []duban.Report{rep(3, duban.ReportApproved, "2024-03-27", new(40))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 3月报告已于3月27日报送",
				"green progress 截至3月27日累计完成40%，略低于序时进度47.8%，差距在10个百分点以内",
			},
		},
		{
			name: "deadline passed",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("6月底前"),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", new(90))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red deadline_passed 已超过完成时限（6月30日）10天，尚未完成"},
		},
		{
			name: "deadline passed, reported done and waiting for approval",
			in: progress.Input{Today: calendar.MustParse("2024-07-02"), Task: task("6月底前"),
				Reports: []duban.Report{rep(6, duban.ReportSubmitted, "2024-06-28", new(100))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightYellow,
			want: []string{"yellow deadline_passed 已超过完成时限（6月30日）2天，报告称已完成，待审核确认"},
		},
		{
			name: "deadline extended",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("6月底前"),
				Extensions: []duban.Extension{
					{Status: duban.ExtensionApproved, OldDeadline: "2024-06-30", NewDeadline: "2024-08-31", DecidedAt: at("2024-06-01")},
					{Status: duban.ExtensionApproved, OldDeadline: "2024-08-31", NewDeadline: "2024-09-30", DecidedAt: at("2024-06-20")},
					{Status: duban.ExtensionPending, NewDeadline: "2024-12-31"},
					{Status: duban.ExtensionRejected, NewDeadline: "2024-11-30", DecidedAt: at("2024-06-25")},
				},
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", new(60))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 6月报告已于6月25日报送",
				"green progress 截至6月25日累计完成60%，略低于序时进度64.6%，差距在10个百分点以内", // 177 of 274 days
			},
		},
		{
			name: "extended deadline passed",
			in: progress.Input{Today: calendar.MustParse("2024-10-08"), Task: task("6月底前"),
				Extensions: []duban.Extension{{Status: duban.ExtensionApproved, NewDeadline: "2024-09-30"}},
				Reports:    []duban.Report{rep(9, duban.ReportApproved, "2024-09-25", new(90))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red deadline_passed 已超过延期后的完成时限（9月30日）8天，尚未完成"},
		},
		{
			name: "done: approved at 100%",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("6月底前"),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", new(100))}},
			wantStatus: duban.StatusDone, wantLight: duban.LightGreen,
			want: []string{"green done 6月报告已审核，完成进度100%"},
		},
		{
			name: "100% not yet approved",
			in: progress.Input{Today: calendar.MustParse("2024-06-26"), Task: task("年底前"),
				Reports: []duban.Report{rep(6, duban.ReportSubmitted, "2024-06-25", new(100))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green progress 截至6月25日累计完成100%，达到序时进度48.4%",
			},
		},
		{
			name: "done: a count reached",
			in: progress.Input{Today: calendar.MustParse("2024-10-10"), Task: task("年底前", shops, rank),
				Reports: []duban.Report{rep(9, duban.ReportApproved, "2024-09-25", nil, fig(11, 52))}},
			wantStatus: duban.StatusDone, wantLight: duban.LightGreen,
			want: []string{"green done 量化目标均已达到：新增首店品牌52个（目标50个）"},
		},
		{
			name: "a count behind 序时进度",
			in: progress.Input{Today: calendar.MustParse("2024-10-10"), Task: task("年底前", shops),
				Reports: []duban.Report{rep(9, duban.ReportSubmitted, "2024-09-25", nil, fig(11, 22))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red target 新增首店品牌截至9月25日累计22个，为目标50个的44%，低于序时进度73.5%超过20个百分点"},
		},
		{
			name: "a growth rate met mid-year is not done",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", retail),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(12, 8))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 6月报告已于6月25日报送",
				"green target 社会消费品零售总额增长截至6月25日为8%，达到目标7.5%",
			},
		},
		{
			name: "a growth rate short of its target",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", retail),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(12, 7))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightYellow,
			want: []string{"yellow target 社会消费品零售总额增长截至6月25日为7%，低于目标7.5%"},
		},
		{
			name: "a growth rate far short of its target",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", retail),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(12, 4.2))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red target 社会消费品零售总额增长截至6月25日为4.2%，低于目标7.5%，相差超过目标值的20%"},
		},
		{
			name: "unemployment is better lower",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", jobless),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(13, 5.2))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 6月报告已于6月25日报送",
				"green target 城镇调查失业率截至6月25日为5.2%，在控制目标5.5%左右以内",
			},
		},
		{
			name: "unemployment above its target",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", jobless),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(13, 5.8))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightYellow,
			want: []string{"yellow target 城镇调查失业率截至6月25日为5.8%，高于目标5.5%左右"},
		},
		{
			name: "a polarity override",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", jobless),
				Polarity: map[string]assess.Polarity{"城镇调查失业率": assess.HigherIsBetter},
				Reports:  []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(13, 5.8))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 6月报告已于6月25日报送",
				"green target 城镇调查失业率截至6月25日为5.8%，达到目标5.5%左右",
			},
		},
		{
			name: "done: every target met by the December report",
			in: progress.Input{Today: calendar.MustParse("2024-12-30"), Task: task("年底前", jobless, retail),
				Reports: []duban.Report{rep(12, duban.ReportApproved, "2024-12-20", nil, fig(13, 5.1), fig(12, 7.6))}},
			wantStatus: duban.StatusDone, wantLight: duban.LightGreen,
			want: []string{"green done 量化目标均已达到：城镇调查失业率5.1%（目标5.5%左右）；社会消费品零售总额增长7.6%（目标7.5%）"},
		},
		{
			name: "not done while a target waits for approval",
			in: progress.Input{Today: calendar.MustParse("2024-12-30"), Task: task("年底前", jobless, retail),
				Reports: []duban.Report{
					rep(11, duban.ReportApproved, "2024-11-20", nil, fig(13, 5.1), fig(12, 7.6)),
					rep(12, duban.ReportSubmitted, "2024-12-20", nil, fig(13, 5.1), fig(12, 7.6)),
				}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 12月报告已于12月20日报送",
				"green target 城镇调查失业率截至12月20日为5.1%，在控制目标5.5%左右以内",
				"green target 社会消费品零售总额增长截至12月20日为7.6%，达到目标7.5%",
			},
		},
		{
			name: "deaths ahead of the allowed pace",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", deaths),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(14, 7))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red target 生产安全事故死亡人数截至6月25日累计7人，占全年控制目标（不超过10人）的70%，高于序时进度48.4%超过20个百分点"},
		},
		{
			name: "deaths beyond the year's limit",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", deaths),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(14, 11))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red target 生产安全事故死亡人数截至6月25日累计11人，已超出全年控制目标（不超过10人）"},
		},
		{
			name: "deaths within the pace",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", deaths),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(14, 4))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 6月报告已于6月25日报送",
				"green target 生产安全事故死亡人数截至6月25日累计4人，占全年控制目标（不超过10人）的40%，在序时控制范围内",
			},
		},
		{
			name: "zero new illegal buildings kept, an amount behind",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", zeroNew, gdp),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(15, 0), fig(16, 500))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightYellow,
			want: []string{"yellow target 地区生产总值截至6月25日累计500亿元，为目标（不低于1500亿元）的33.3%，低于序时进度48.4%超过10个百分点"},
		},
		{
			name: "zero new illegal buildings broken",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", zeroNew),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(15, 2))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightRed,
			want: []string{"red target 违法建筑截至6月25日累计2处，已超出全年控制目标0处"},
		},
		{
			name: "a concentration is a state, compared with its target",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", pm25, life),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(18, 30), fig(20, 81.2))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 6月报告已于6月25日报送",
				"green target PM2.5年均浓度截至6月25日为30微克/立方米，在控制目标（低于35微克/立方米）以内",
				"green target 人均预期寿命截至6月25日为81.2岁，达到目标81岁",
			},
		},
		{
			name: "a concentration at its strict limit",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", pm25),
				Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(18, 35))}},
			wantStatus: duban.StatusBehind, wantLight: duban.LightYellow,
			want: []string{"yellow target PM2.5年均浓度截至6月25日为35微克/立方米，高于目标（低于35微克/立方米）"},
		},
		{
			name: "more than 1450 is not 1450",
			in: progress.Input{Today: calendar.MustParse("2024-12-30"), Task: task("年底前", output),
				Reports: []duban.Report{rep(12, duban.ReportApproved, "2024-12-20", nil, fig(19, 1450))}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{
				"green reported 12月报告已于12月20日报送",
				"green target 规上工业总产值截至12月20日累计1450亿元，为目标（超过1450亿元）的100%，达到序时进度97%",
			},
		},
		{
			name: "done: more than 1450",
			in: progress.Input{Today: calendar.MustParse("2024-12-30"), Task: task("年底前", output),
				Reports: []duban.Report{rep(12, duban.ReportApproved, "2024-12-20", nil, fig(19, 1451))}},
			wantStatus: duban.StatusDone, wantLight: duban.LightGreen,
			want: []string{"green done 量化目标均已达到：规上工业总产值1451亿元（目标超过1450亿元）"},
		},
		{
			name: "percent reported zero early on",
			in: progress.Input{Today: calendar.MustParse("2024-01-29"), Task: task("年底前"),
				Reports: []duban.Report{rep(1, duban.ReportSubmitted, "2024-01-25", new(0))}},
			wantStatus: duban.StatusNotStarted, wantLight: duban.LightGreen,
			want: []string{
				"green reported 1月报告已于1月25日报送",
				"green progress 截至1月25日累计完成0%，略低于序时进度6.8%，差距在10个百分点以内",
			},
		},
		{
			name: "reported early without a percent",
			in: progress.Input{Today: calendar.MustParse("2024-01-20"), Task: task("年底前"),
				Reports: []duban.Report{rep(1, duban.ReportSubmitted, "2024-01-19", nil)}},
			wantStatus: duban.StatusOnTrack, wantLight: duban.LightGreen,
			want: []string{"green reported 报告按时报送，进度无滞后"},
		},
		{
			name: "a report of an unknown cycle still counts for progress",
			in: progress.Input{Today: calendar.MustParse("2024-01-20"), Task: task("年底前"),
				Reports: []duban.Report{{CycleID: 99, Status: duban.ReportApproved, SubmittedAt: at("2024-01-15"), Percent: new(100)}}},
			wantStatus: duban.StatusDone, wantLight: duban.LightGreen,
			want: []string{"green done 最近一期报告已审核，完成进度100%"},
		},
		{
			name: "closed",
			in: progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("6月底前"), Location: shanghai,
				ClosedAt: new(time.Date(2024, 6, 30, 16, 30, 0, 0, time.UTC))}, // 00:30 on 1 July in Beijing
			wantStatus: duban.StatusClosed, wantLight: duban.LightNone,
			want: []string{" closed 已于2024年7月1日销号"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.Cycles == nil {
				in.Cycles = cycles
			}
			if in.Location == nil {
				in.Location = shanghai
			}
			got := progress.Derive(in)
			if got.Status != tt.wantStatus || got.Light != tt.wantLight {
				t.Errorf("Derive: %s %s, want %s %s", got.Status, got.Light, tt.wantStatus, tt.wantLight)
			}
			if diff := cmp.Diff(tt.want, rules(got.Rules)); diff != "" {
				t.Errorf("Derive rules mismatch (-want +got):\n%s", diff)
			}
			for _, r := range got.Rules {
				if r.TextEN == "" {
					t.Errorf("rule %s has no English", r.Kind)
				}
			}
		})
	}
}

func TestDeriveResult(t *testing.T) {
	in := progress.Input{
		Today: calendar.MustParse("2024-04-01"), Task: task("3月底", shops), Cycles: monthly2024(t), Location: shanghai,
		Reports: []duban.Report{
			rep(2, duban.ReportApproved, "2024-02-27", new(5), fig(11, 4)),
			rep(1, duban.ReportApproved, "2024-01-25", new(3), fig(11, 2)),
		},
	}
	got := progress.Derive(in)
	want := progress.Result{
		Status: duban.StatusBehind, Light: duban.LightRed,
		Deadline: calendar.MustParse("2024-03-31"), AsOf: calendar.MustParse("2024-02-27"),
		Expected: 100 * 58.0 / 91, Actual: new(5.0),
		Rules: []progress.Rule{
			{Kind: progress.RuleDeadlinePassed, Light: duban.LightRed,
				Text: "已超过完成时限（3月31日）1天，尚未完成", TextEN: "past its deadline (31 March) by 1 day and not done"},
			{Kind: progress.RuleProgress, Light: duban.LightRed, CycleID: 2,
				Text:   "截至2月27日累计完成5%，低于序时进度63.7%超过20个百分点",
				TextEN: "5% done by 27 February, more than 20 points behind time-proportional progress of 63.7%"},
			{Kind: progress.RuleTarget, Light: duban.LightRed, CycleID: 2, TargetID: 11,
				Text:   "新增首店品牌截至2月27日累计4个，为目标50个的8%，低于序时进度63.7%超过20个百分点",
				TextEN: "新增首店品牌: 4个 by 27 February, 8% of the target of 50个, more than 20 points behind time-proportional progress of 63.7%"},
			{Kind: progress.RuleReportOverdue, Light: duban.LightYellow, CycleID: 3,
				Text:   "3月报告已逾期4天未报送（截止3月28日，宽限至4月2日）",
				TextEN: "the March 2024 report is 4 days overdue (due 28 March, grace until 2 April)"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Derive mismatch (-want +got):\n%s", diff)
	}
}

func TestDeriveActualFromFigures(t *testing.T) {
	in := progress.Input{
		Today: calendar.MustParse("2024-07-10"), Task: task("年底前", shops, gdp, deaths), Cycles: monthly2024(t),
		Reports: []duban.Report{rep(6, duban.ReportSubmitted, "2024-06-25", nil, fig(11, 60), fig(16, 600), fig(14, 3))},
	}
	got := progress.Derive(in)
	// Shops count up to 100%, the GDP at 40%; the cap on deaths is no progress.
	if got.Actual == nil || *got.Actual != 70 {
		t.Errorf("Actual = %v, want 70", got.Actual)
	}
	in.Reports[0].Figures = nil
	if got := progress.Derive(in); got.Actual != nil {
		t.Errorf("Actual without figures = %v, want nil", *got.Actual)
	}
}

func TestDeriveEnglish(t *testing.T) {
	cycles := monthly2024(t)
	tests := []struct {
		name string
		in   progress.Input
		want []string
	}{
		{"missing", progress.Input{Today: calendar.MustParse("2024-04-05"), Task: task("年底前")},
			[]string{"the March 2024 report is 8 days overdue (due 28 March); 2 earlier reports are missing too"}},
		{"returned", progress.Input{Today: calendar.MustParse("2024-04-03"), Task: task("年底前"),
			Reports: []duban.Report{rep(3, duban.ReportReturned, "2024-03-27", nil)}},
			[]string{"the March 2024 report was returned and not resubmitted by the end of its grace window (2 April)"}},
		{"due soon", progress.Input{Today: calendar.MustParse("2024-01-25"), Task: task("年底前")},
			[]string{"the January 2024 report is due on 26 January and not yet submitted (1 day left)"}},
		{"not started", progress.Input{Today: calendar.MustParse("2024-01-02"), Task: task("年底前")},
			[]string{"nothing reported yet; the next report, the January 2024, is due on 26 January"}},
		{"unemployment", progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前", jobless),
			Reports: []duban.Report{rep(6, duban.ReportApproved, "2024-06-25", nil, fig(13, 5.8))}},
			[]string{"城镇调查失业率: 5.8% by 25 June, above the target of about 5.5%"}},
		{"closed", progress.Input{Today: calendar.MustParse("2024-07-10"), Task: task("年底前"), ClosedAt: at("2024-06-30")},
			[]string{"closed on 30 June 2024"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Cycles = cycles
			var got []string
			for _, r := range progress.Derive(tt.in).Rules {
				got = append(got, r.TextEN)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("English rules mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
