package calendar

import (
	"strconv"
	"strings"

	"duban"
)

// The limits of a schedule.
const (
	MinYear      = 1900
	MaxYear      = 2200
	MaxGraceDays = 60
	// MaxShift is how far a due date may move to reach a working day. A
	// calendar without a working day that near is a mistake in its holidays.
	MaxShift = 31
)

var quarterNames = [4]string{"第一季度", "第二季度", "第三季度", "第四季度"}

// Cycles returns the reporting periods of s's year, in order, numbered from 1
// (Seq), with OrgID and Year from s and no ID. They are:
//   - monthly: one a month, "2024年3月", covering the month and due on Day of
//     the same month (每月28日前);
//   - quarterly: "2024年第一季度" … "2024年第四季度", due on Day of the month
//     after the quarter (April, July, October), except the fourth quarter,
//     which is due on Day of December of the same year: the year's ledger
//     closes in December, so its last report cannot wait for January. An
//     office that wants it in January uses a custom schedule;
//   - semiannual: "2024年上半年" (1 January–30 June) and "2024年下半年"
//     (1 July–31 December), due on Dates[0] and Dates[1]. The first must lie in
//     June or July, the second in December or the following January;
//   - custom: "2024年第1次", "2024年第2次" …, one per date of Dates. A period
//     runs from the day after the previous one ends (1 January for the first)
//     to its due date, or to 31 December for a date in the following January.
//     Dates lie from 1 January of the year to 31 January of the next, only
//     the last may be in January of the next year.
//
// Day 0, or a day the month does not have, is the month's last day. Dates must
// be strictly increasing. A due date on a day off then moves by s.Shift:
// ShiftBefore to the last working day before it in the same month (the first
// working day after it when the month has none before it, so that a report is
// never due in the month before), ShiftAfter to the first working day after
// it, ShiftNone and "" not at all. GraceEnd is Due plus GraceDays working days.
//
// Every due date therefore lies from 31 days before its period's end to 62
// days after it. Cycles returns a *duban.Error with CodeInvalid for an unknown
// Kind or Shift, a Year outside MinYear–MaxYear, Day outside 0–31, GraceDays
// outside 0–MaxGraceDays, Dates missing, unparsable, out of order or outside
// their window, and a due date with no working day within MaxShift days.
func Cycles(s duban.Schedule, cal Calendar) ([]duban.Cycle, error) {
	if err := checkSchedule(s); err != nil {
		return nil, err
	}
	y := s.Year
	var cs []duban.Cycle
	add := func(label string, start, end, due Date) error {
		due, err := shift(due, s.Shift, cal)
		if err != nil {
			return err
		}
		cs = append(cs, duban.Cycle{
			OrgID: s.OrgID, Year: y, Seq: len(cs) + 1,
			Label:       strconv.Itoa(y) + "年" + label,
			PeriodStart: start.String(), PeriodEnd: end.String(),
			Due: due.String(), GraceEnd: cal.AddWorkingDays(due, s.GraceDays).String(),
		})
		return nil
	}
	var err error
	switch s.Kind {
	case duban.ScheduleMonthly:
		cs = make([]duban.Cycle, 0, 12)
		for m := 1; m <= 12 && err == nil; m++ {
			err = add(strconv.Itoa(m)+"月", NewDate(y, m, 1), NewDate(y, m, DaysInMonth(y, m)), dayOf(y, m, s.Day))
		}
	case duban.ScheduleQuarterly:
		cs = make([]duban.Cycle, 0, 4)
		for q := 0; q < 4 && err == nil; q++ {
			dueMonth := 3*q + 4
			if q == 3 {
				dueMonth = 12
			}
			end := NewDate(y, 3*q+3, DaysInMonth(y, 3*q+3))
			err = add(quarterNames[q], NewDate(y, 3*q+1, 1), end, dayOf(y, dueMonth, s.Day))
		}
	case duban.ScheduleSemiannual:
		dates, derr := checkDates(s, 2, 2)
		if derr != nil {
			return nil, derr
		}
		halves := [2]struct {
			label      string
			start, end Date
		}{
			{"上半年", NewDate(y, 1, 1), NewDate(y, 6, 30)},
			{"下半年", NewDate(y, 7, 1), NewDate(y, 12, 31)},
		}
		for i, h := range halves {
			// The report of a half is due in its last month or the month after.
			from, to := NewDate(y, 6*i+6, 1), NewDate(y, 6*i+8, 0)
			if dates[i].Before(from) || dates[i].After(to) {
				return nil, duban.Errorf(duban.CodeInvalid, "%s报告的截止日期%s应在%s至%s之间", h.label, dates[i], from, to)
			}
		}
		cs = make([]duban.Cycle, 0, 2)
		for i := 0; i < 2 && err == nil; i++ {
			err = add(halves[i].label, halves[i].start, halves[i].end, dates[i])
		}
	case duban.ScheduleCustom:
		dates, derr := checkDates(s, 1, 0)
		if derr != nil {
			return nil, derr
		}
		first, last, yearEnd := NewDate(y, 1, 1), NewDate(y+1, 1, 31), NewDate(y, 12, 31)
		for i, d := range dates {
			if d.Before(first) || d.After(last) {
				return nil, duban.Errorf(duban.CodeInvalid, "截止日期%s应在%s至%s之间", d, first, last)
			}
			if i < len(dates)-1 && d.After(yearEnd) {
				return nil, duban.Errorf(duban.CodeInvalid, "截止日期%s在次年，只有年度最后一期可以在次年1月截止", d)
			}
		}
		cs = make([]duban.Cycle, 0, len(dates))
		start := first
		for i := 0; i < len(dates) && err == nil; i++ {
			end := dates[i]
			if end.After(yearEnd) {
				end = yearEnd
			}
			err = add("第"+strconv.Itoa(i+1)+"次", start, end, dates[i])
			start = end.AddDays(1)
		}
	}
	if err != nil {
		return nil, err
	}
	return cs, nil
}

func checkSchedule(s duban.Schedule) error {
	switch s.Kind {
	case duban.ScheduleMonthly, duban.ScheduleQuarterly, duban.ScheduleSemiannual, duban.ScheduleCustom:
	case "":
		return duban.Errorf(duban.CodeInvalid, "未设置填报周期类型（应为 monthly、quarterly、semiannual 或 custom）")
	default:
		return duban.Errorf(duban.CodeInvalid, "未知的填报周期类型“%s”（应为 monthly、quarterly、semiannual 或 custom）", clip(string(s.Kind)))
	}
	switch s.Shift {
	case duban.ShiftBefore, duban.ShiftAfter, duban.ShiftNone, "":
	default:
		return duban.Errorf(duban.CodeInvalid, "未知的节假日调整方式“%s”（应为 before、after 或 none）", clip(string(s.Shift)))
	}
	if s.Year < MinYear || s.Year > MaxYear {
		return duban.Errorf(duban.CodeInvalid, "年度%d无效，应在%d至%d之间", s.Year, MinYear, MaxYear)
	}
	if s.Day < 0 || s.Day > 31 {
		return duban.Errorf(duban.CodeInvalid, "每月截止日%d无效，应为1至31（0表示月末）", s.Day)
	}
	if s.GraceDays < 0 || s.GraceDays > MaxGraceDays {
		return duban.Errorf(duban.CodeInvalid, "宽限期%d个工作日无效，应为0至%d", s.GraceDays, MaxGraceDays)
	}
	return nil
}

// checkDates parses s.Dates, which must number from min to max (0: no limit)
// and be strictly increasing.
func checkDates(s duban.Schedule, min, max int) ([]Date, error) {
	n := len(s.Dates)
	switch {
	case n == 0 && s.Kind == duban.ScheduleSemiannual:
		return nil, duban.Errorf(duban.CodeInvalid, "半年报须给出两个截止日期（上半年、下半年各一个）")
	case n == 0:
		return nil, duban.Errorf(duban.CodeInvalid, "自定义周期须至少给出一个截止日期")
	case n < min || (max > 0 && n > max):
		return nil, duban.Errorf(duban.CodeInvalid, "半年报须给出两个截止日期，现有%d个", n)
	}
	dates := make([]Date, n)
	for i, t := range s.Dates {
		d, err := Parse(t)
		if err != nil {
			return nil, duban.Errorf(duban.CodeInvalid, "第%d个截止日期有误：%s", i+1, duban.ErrorMessage(err))
		}
		if i > 0 && !d.After(dates[i-1]) {
			return nil, duban.Errorf(duban.CodeInvalid, "截止日期须按先后排列：%s不晚于前一个日期%s", d, dates[i-1])
		}
		dates[i] = d
	}
	return dates, nil
}

// dayOf returns day of month m of year y, or the month's last day for 0 and a
// day the month does not have.
func dayOf(y, m, day int) Date {
	last := DaysInMonth(y, m)
	if day <= 0 || day > last {
		day = last
	}
	return NewDate(y, m, day)
}

// shift moves d off a day off as how says.
func shift(d Date, how duban.Shift, cal Calendar) (Date, error) {
	if how == duban.ShiftNone || how == "" || cal.IsWorkingDay(d) {
		return d, nil
	}
	if how == duban.ShiftBefore {
		first := d.AddDays(1 - d.Day())
		for p := d.AddDays(-1); !p.Before(first); p = p.AddDays(-1) {
			if cal.IsWorkingDay(p) {
				return p, nil
			}
		}
	}
	for i := 1; i <= MaxShift; i++ {
		if n := d.AddDays(i); cal.IsWorkingDay(n) {
			return n, nil
		}
	}
	return Date{}, duban.Errorf(duban.CodeInvalid, "截止日期%s之后%d天内没有工作日，请检查节假日设置", d, MaxShift)
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "�")
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

var englishQuarters = map[string]string{"第一季度": "Q1", "第二季度": "Q2", "第三季度": "Q3", "第四季度": "Q4"}

var englishMonths = [13]string{"", "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// EnglishLabel renders a label that Cycles writes in English: "2024年3月" is
// "March 2024", "2024年第一季度" is "Q1 2024", "2024年上半年" is "H1 2024",
// "2024年第2次" is "2024 report 2". Any other label is returned as it is.
func EnglishLabel(label string) string {
	year, rest, ok := strings.Cut(label, "年")
	if !ok || len(year) != 4 {
		return label
	}
	if _, ok := digits(year); !ok {
		return label
	}
	if q, ok := englishQuarters[rest]; ok {
		return q + " " + year
	}
	switch rest {
	case "上半年":
		return "H1 " + year
	case "下半年":
		return "H2 " + year
	}
	if m, ok := strings.CutSuffix(rest, "月"); ok {
		if n, ok := digits(m); ok && len(m) <= 2 && n >= 1 && n <= 12 {
			return englishMonths[n] + " " + year
		}
	}
	if mid, ok := strings.CutPrefix(rest, "第"); ok {
		if n, ok := strings.CutSuffix(mid, "次"); ok {
			if _, ok := digits(n); ok && n != "" {
				return year + " report " + n
			}
		}
	}
	return label
}
