package calendar_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/calendar"
)

// row writes a cycle as "label start end due grace".
func row(c duban.Cycle) string {
	return strings.Join([]string{c.Label, c.PeriodStart, c.PeriodEnd, c.Due, c.GraceEnd}, " ")
}

func TestCycles(t *testing.T) {
	cal := mustCalendar(t, holidays2024)
	tests := []struct {
		name string
		s    duban.Schedule
		want []string
	}{
		{
			name: "monthly on the 28th, before days off, two days' grace",
			s:    duban.Schedule{Year: 2024, Kind: duban.ScheduleMonthly, Day: 28, GraceDays: 2, Shift: duban.ShiftBefore},
			want: []string{
				"2024年1月 2024-01-01 2024-01-31 2024-01-26 2024-01-30", // 28th a Sunday
				"2024年2月 2024-02-01 2024-02-29 2024-02-28 2024-03-01",
				"2024年3月 2024-03-01 2024-03-31 2024-03-28 2024-04-01",
				"2024年4月 2024-04-01 2024-04-30 2024-04-28 2024-04-30", // a Sunday worked for 劳动节
				"2024年5月 2024-05-01 2024-05-31 2024-05-28 2024-05-30",
				"2024年6月 2024-06-01 2024-06-30 2024-06-28 2024-07-02",
				"2024年7月 2024-07-01 2024-07-31 2024-07-26 2024-07-30",
				"2024年8月 2024-08-01 2024-08-31 2024-08-28 2024-08-30",
				"2024年9月 2024-09-01 2024-09-30 2024-09-27 2024-09-30", // grace over the 调休 Sunday 29th
				"2024年10月 2024-10-01 2024-10-31 2024-10-28 2024-10-30",
				"2024年11月 2024-11-01 2024-11-30 2024-11-28 2024-12-02",
				"2024年12月 2024-12-01 2024-12-31 2024-12-27 2024-12-31",
			},
		},
		{
			name: "monthly at month end, after days off",
			s:    duban.Schedule{Year: 2024, Kind: duban.ScheduleMonthly, Day: 0, Shift: duban.ShiftAfter},
			want: []string{
				"2024年1月 2024-01-01 2024-01-31 2024-01-31 2024-01-31",
				"2024年2月 2024-02-01 2024-02-29 2024-02-29 2024-02-29",
				"2024年3月 2024-03-01 2024-03-31 2024-04-01 2024-04-01",
				"2024年4月 2024-04-01 2024-04-30 2024-04-30 2024-04-30",
				"2024年5月 2024-05-01 2024-05-31 2024-05-31 2024-05-31",
				"2024年6月 2024-06-01 2024-06-30 2024-07-01 2024-07-01",
				"2024年7月 2024-07-01 2024-07-31 2024-07-31 2024-07-31",
				"2024年8月 2024-08-01 2024-08-31 2024-09-02 2024-09-02",
				"2024年9月 2024-09-01 2024-09-30 2024-09-30 2024-09-30",
				"2024年10月 2024-10-01 2024-10-31 2024-10-31 2024-10-31",
				"2024年11月 2024-11-01 2024-11-30 2024-12-02 2024-12-02",
				"2024年12月 2024-12-01 2024-12-31 2024-12-31 2024-12-31",
			},
		},
		{
			// The third quarter's report would be due on the 国庆 holidays; the
			// month has no working day before the 5th, so it moves after them.
			name: "quarterly on the 5th, due in the national day holidays",
			s:    duban.Schedule{Year: 2024, Kind: duban.ScheduleQuarterly, Day: 5, GraceDays: 3, Shift: duban.ShiftBefore},
			want: []string{
				"2024年第一季度 2024-01-01 2024-03-31 2024-04-03 2024-04-09", // 清明 on the 4th and 5th, 调休 on Sunday the 7th
				"2024年第二季度 2024-04-01 2024-06-30 2024-07-05 2024-07-10",
				"2024年第三季度 2024-07-01 2024-09-30 2024-10-08 2024-10-11",
				"2024年第四季度 2024-10-01 2024-12-31 2024-12-05 2024-12-10",
			},
		},
		{
			name: "quarterly on the 12th, a Saturday worked for 国庆",
			s:    duban.Schedule{Year: 2024, Kind: duban.ScheduleQuarterly, Day: 12, Shift: duban.ShiftAfter},
			want: []string{
				"2024年第一季度 2024-01-01 2024-03-31 2024-04-12 2024-04-12",
				"2024年第二季度 2024-04-01 2024-06-30 2024-07-12 2024-07-12",
				"2024年第三季度 2024-07-01 2024-09-30 2024-10-12 2024-10-12",
				"2024年第四季度 2024-10-01 2024-12-31 2024-12-12 2024-12-12",
			},
		},
		{
			name: "quarterly on the 5th, not moved",
			s:    duban.Schedule{Year: 2024, Kind: duban.ScheduleQuarterly, Day: 5, GraceDays: 1, Shift: duban.ShiftNone},
			want: []string{
				"2024年第一季度 2024-01-01 2024-03-31 2024-04-05 2024-04-07",
				"2024年第二季度 2024-04-01 2024-06-30 2024-07-05 2024-07-08",
				"2024年第三季度 2024-07-01 2024-09-30 2024-10-05 2024-10-08",
				"2024年第四季度 2024-10-01 2024-12-31 2024-12-05 2024-12-06",
			},
		},
		{
			name: "quarterly, day 31 is each due month's last day",
			s:    duban.Schedule{Year: 2023, Kind: duban.ScheduleQuarterly, Day: 31},
			want: []string{
				"2023年第一季度 2023-01-01 2023-03-31 2023-04-30 2023-04-30",
				"2023年第二季度 2023-04-01 2023-06-30 2023-07-31 2023-07-31",
				"2023年第三季度 2023-07-01 2023-09-30 2023-10-31 2023-10-31",
				"2023年第四季度 2023-10-01 2023-12-31 2023-12-31 2023-12-31",
			},
		},
		{
			// The seed's rhythm: early July and the end of December.
			name: "semiannual, early July and end of December",
			s:    duban.Schedule{Year: 2024, Kind: duban.ScheduleSemiannual, Dates: []string{"2024-07-05", "2024-12-28"}, GraceDays: 5, Shift: duban.ShiftBefore},
			want: []string{
				"2024年上半年 2024-01-01 2024-06-30 2024-07-05 2024-07-12",
				"2024年下半年 2024-07-01 2024-12-31 2024-12-27 2025-01-03",
			},
		},
		{
			name: "semiannual, the second in January",
			s:    duban.Schedule{Year: 2024, Kind: duban.ScheduleSemiannual, Dates: []string{"2024-06-20", "2025-01-10"}},
			want: []string{
				"2024年上半年 2024-01-01 2024-06-30 2024-06-20 2024-06-20",
				"2024年下半年 2024-07-01 2024-12-31 2025-01-10 2025-01-10",
			},
		},
		{
			name: "custom dates, one on 国庆 moved before into September",
			s: duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2024-04-30", "2024-09-30", "2024-10-06", "2025-01-15"},
				GraceDays: 1, Shift: duban.ShiftBefore},
			want: []string{
				"2024年第1次 2024-01-01 2024-04-30 2024-04-30 2024-05-06", // grace over 劳动节 to Monday the 6th
				"2024年第2次 2024-05-01 2024-09-30 2024-09-30 2024-10-08",
				"2024年第3次 2024-10-01 2024-10-06 2024-10-08 2024-10-09", // no working day before it in October
				"2024年第4次 2024-10-07 2024-12-31 2025-01-15 2025-01-16",
			},
		},
		{
			name: "custom, one date",
			s:    duban.Schedule{OrgID: 7, Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2024-12-15"}, Shift: duban.ShiftAfter},
			want: []string{"2024年第1次 2024-01-01 2024-12-15 2024-12-16 2024-12-16"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := calendar.Cycles(tt.s, cal)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, c := range cs {
				got = append(got, row(c))
				if c.Seq != i+1 || c.Year != tt.s.Year || c.OrgID != tt.s.OrgID || c.ID != 0 {
					t.Errorf("cycle %d: seq %d, year %d, org %d, id %d", i, c.Seq, c.Year, c.OrgID, c.ID)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Cycles mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCyclesPlainWeek checks a schedule in a calendar without holidays, where
// the 国庆 days are ordinary weekdays.
func TestCyclesPlainWeek(t *testing.T) {
	cs, err := calendar.Cycles(duban.Schedule{Year: 2024, Kind: duban.ScheduleQuarterly, Day: 5, Shift: duban.ShiftBefore}, calendar.Calendar{})
	if err != nil {
		t.Fatal(err)
	}
	if got := cs[2].Due; got != "2024-10-04" {
		t.Errorf("third quarter due %s, want 2024-10-04 (Friday before Saturday the 5th)", got)
	}
}

func TestCyclesInvalid(t *testing.T) {
	ok := duban.Schedule{Year: 2024, Kind: duban.ScheduleMonthly, Day: 28, Shift: duban.ShiftBefore}
	with := func(f func(*duban.Schedule)) duban.Schedule {
		s := ok
		f(&s)
		return s
	}
	tests := []struct {
		name string
		s    duban.Schedule
		cal  []duban.CalendarDay
		want string
	}{
		{"unknown kind", with(func(s *duban.Schedule) { s.Kind = "weekly" }), nil, "未知的填报周期类型“weekly”"},
		{"no kind", with(func(s *duban.Schedule) { s.Kind = "" }), nil, "未设置填报周期类型"},
		{"unknown shift", with(func(s *duban.Schedule) { s.Shift = "later" }), nil, "未知的节假日调整方式“later”"},
		{"day too large", with(func(s *duban.Schedule) { s.Day = 32 }), nil, "每月截止日32无效，应为1至31（0表示月末）"},
		{"day negative", with(func(s *duban.Schedule) { s.Day = -1 }), nil, "每月截止日-1无效"},
		{"grace negative", with(func(s *duban.Schedule) { s.GraceDays = -1 }), nil, "宽限期-1个工作日无效，应为0至60"},
		{"grace too long", with(func(s *duban.Schedule) { s.GraceDays = 61 }), nil, "宽限期61个工作日无效"},
		{"year", with(func(s *duban.Schedule) { s.Year = 0 }), nil, "年度0无效，应在1900至2200之间"},
		{"semiannual without dates", duban.Schedule{Year: 2024, Kind: duban.ScheduleSemiannual}, nil, "半年报须给出两个截止日期（上半年、下半年各一个）"},
		{"semiannual with one date", duban.Schedule{Year: 2024, Kind: duban.ScheduleSemiannual, Dates: []string{"2024-07-05"}}, nil, "半年报须给出两个截止日期，现有1个"},
		{"semiannual in March", duban.Schedule{Year: 2024, Kind: duban.ScheduleSemiannual, Dates: []string{"2024-03-05", "2024-12-31"}}, nil,
			"上半年报告的截止日期2024-03-05应在2024-06-01至2024-07-31之间"},
		{"semiannual in February", duban.Schedule{Year: 2024, Kind: duban.ScheduleSemiannual, Dates: []string{"2024-07-05", "2025-02-01"}}, nil,
			"下半年报告的截止日期2025-02-01应在2024-12-01至2025-01-31之间"},
		{"custom without dates", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom}, nil, "自定义周期须至少给出一个截止日期"},
		{"custom unordered", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2024-06-30", "2024-03-31"}}, nil,
			"截止日期须按先后排列：2024-03-31不晚于前一个日期2024-06-30"},
		{"custom repeated", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2024-06-30", "2024-06-30"}}, nil,
			"截止日期须按先后排列"},
		{"custom bad date", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2024-06-30", "2024-06-31"}}, nil,
			"第2个截止日期有误：日期“2024-06-31”无效：2024年6月没有31日"},
		{"custom last year", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2023-12-31"}}, nil,
			"截止日期2023-12-31应在2024-01-01至2025-01-31之间"},
		{"custom far after the year", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2025-02-01"}}, nil,
			"截止日期2025-02-01应在2024-01-01至2025-01-31之间"},
		{"custom two in January", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2025-01-05", "2025-01-15"}}, nil,
			"截止日期2025-01-05在次年，只有年度最后一期可以在次年1月截止"},
		{"no working day", duban.Schedule{Year: 2024, Kind: duban.ScheduleCustom, Dates: []string{"2024-08-01"}, Shift: duban.ShiftAfter},
			offDays("2024-08-01", 40), "截止日期2024-08-01之后31天内没有工作日，请检查节假日设置"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := calendar.Cycles(tt.s, mustCalendar(t, tt.cal))
			if cs != nil || duban.ErrorCode(err) != duban.CodeInvalid || !strings.Contains(duban.ErrorMessage(err), tt.want) {
				t.Errorf("Cycles = %d cycles, %v; want CodeInvalid with %q", len(cs), err, tt.want)
			}
		})
	}
}

// offDays returns n days off from the date on, weekends included.
func offDays(from string, n int) []duban.CalendarDay {
	d := calendar.MustParse(from)
	var days []duban.CalendarDay
	for i := 0; i < n; i++ {
		days = append(days, duban.CalendarDay{Date: d.AddDays(i).String(), Name: "停工"})
	}
	return days
}

func TestEnglishLabel(t *testing.T) {
	for in, want := range map[string]string{
		"2024年3月":    "March 2024",
		"2024年12月":   "December 2024",
		"2024年第一季度":  "Q1 2024",
		"2024年第四季度":  "Q4 2024",
		"2024年上半年":   "H1 2024",
		"2024年下半年":   "H2 2024",
		"2024年第2次":   "2024 report 2",
		"2024年13月":   "2024年13月",
		"2024年+3月":   "2024年+3月",
		"年中":         "年中",
		"二〇二四年3月":    "二〇二四年3月",
		"2024年第次":    "2024年第次",
		"2024年第一次会议": "2024年第一次会议",
	} {
		if got := calendar.EnglishLabel(in); got != want {
			t.Errorf("EnglishLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
