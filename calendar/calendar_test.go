package calendar_test

import (
	"strings"
	"testing"

	"duban"
	"duban/calendar"
)

var holidays2024 = calendar.Holidays2024

func mustCalendar(t testing.TB, days []duban.CalendarDay) calendar.Calendar {
	t.Helper()
	c, err := calendar.New(days)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsWorkingDay(t *testing.T) {
	cal := mustCalendar(t, holidays2024)
	tests := []struct {
		date string
		want bool
	}{
		{"2024-03-28", true},  // Thursday
		{"2024-03-30", false}, // Saturday
		{"2024-03-31", false}, // Sunday
		{"2024-10-01", false}, // 国庆节, a Tuesday
		{"2024-10-05", false}, // Saturday in the holiday, not listed
		{"2024-10-07", false}, // Monday, 国庆节
		{"2024-10-08", true},
		{"2024-10-12", true}, // Saturday, 国庆节调休
		{"2024-09-29", true}, // Sunday, 国庆节调休
		{"2024-09-28", false},
		{"2024-02-04", true}, // Sunday, 春节调休
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			if got := cal.IsWorkingDay(calendar.MustParse(tt.date)); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
	var plain calendar.Calendar
	if plain.IsWorkingDay(calendar.MustParse("2024-10-01")) != true || plain.IsWorkingDay(calendar.MustParse("2024-10-12")) != false {
		t.Error("the zero Calendar is not the plain working week")
	}
	if got := cal.DayName(calendar.MustParse("2024-10-12")); got != "国庆节调休" {
		t.Errorf("DayName(2024-10-12) = %q", got)
	}
	if got := cal.DayName(calendar.MustParse("2024-10-08")); got != "" {
		t.Errorf("DayName(2024-10-08) = %q, want empty", got)
	}
}

func TestWorkingDayMoves(t *testing.T) {
	cal := mustCalendar(t, holidays2024)
	tests := []struct {
		name string
		got  calendar.Date
		want string
	}{
		{"next over the national day", cal.NextWorkingDay(calendar.MustParse("2024-09-30")), "2024-10-08"},
		{"next from a holiday", cal.NextWorkingDay(calendar.MustParse("2024-10-03")), "2024-10-08"},
		{"next on a working Saturday", cal.NextWorkingDay(calendar.MustParse("2024-10-11")), "2024-10-12"},
		{"next from a working day", cal.NextWorkingDay(calendar.MustParse("2024-03-27")), "2024-03-28"},
		{"prev over the national day", cal.PrevWorkingDay(calendar.MustParse("2024-10-08")), "2024-09-30"},
		{"prev to a working Sunday", cal.PrevWorkingDay(calendar.MustParse("2024-09-30")), "2024-09-29"},
		{"prev over a weekend", cal.PrevWorkingDay(calendar.MustParse("2024-09-29")), "2024-09-27"},
		{"add zero", cal.AddWorkingDays(calendar.MustParse("2024-10-05"), 0), "2024-10-05"},
		{"add three over the holiday", cal.AddWorkingDays(calendar.MustParse("2024-09-27"), 3), "2024-10-08"},
		{"add four to a working Saturday", cal.AddWorkingDays(calendar.MustParse("2024-10-08"), 4), "2024-10-12"},
		{"add five", cal.AddWorkingDays(calendar.MustParse("2024-10-08"), 5), "2024-10-14"},
		{"add from a holiday", cal.AddWorkingDays(calendar.MustParse("2024-10-01"), 1), "2024-10-08"},
		{"back three", cal.AddWorkingDays(calendar.MustParse("2024-10-08"), -3), "2024-09-27"},
		{"back over the spring festival", cal.AddWorkingDays(calendar.MustParse("2024-02-19"), -2), "2024-02-09"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.String() != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	cal := mustCalendar(t, holidays2024)
	tests := []struct {
		from, to string
		want     int
	}{
		{"2024-09-27", "2024-10-08", 3}, // 29 September, 30 September, 8 October
		{"2024-09-27", "2024-09-27", 0},
		{"2024-10-01", "2024-10-07", 0},
		{"2024-10-08", "2024-09-27", -3},
		{"2024-03-01", "2024-03-31", 20},
	}
	for _, tt := range tests {
		t.Run(tt.from+"_"+tt.to, func(t *testing.T) {
			if got := cal.WorkingDaysBetween(calendar.MustParse(tt.from), calendar.MustParse(tt.to)); got != tt.want {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
	d := calendar.MustParse("2024-09-20")
	for n := 0; n < 30; n++ {
		if got := cal.WorkingDaysBetween(d, cal.AddWorkingDays(d, n)); got != n {
			t.Errorf("WorkingDaysBetween(d, AddWorkingDays(d, %d)) = %d", n, got)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		days []duban.CalendarDay
		want string
	}{
		{"bad date", []duban.CalendarDay{{Date: "2024-10-32", Name: "国庆节"}}, "节假日设置有误：日期“2024-10-32”无效"},
		{"contradiction", []duban.CalendarDay{{Date: "2024-10-12", Working: true}, {Date: "2024-10-12"}}, "2024-10-12既设为工作日又设为休息日"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := calendar.New(tt.days)
			if duban.ErrorCode(err) != duban.CodeInvalid || !strings.Contains(duban.ErrorMessage(err), tt.want) {
				t.Errorf("New = %v, want CodeInvalid with %q", err, tt.want)
			}
		})
	}
	if _, err := calendar.New([]duban.CalendarDay{{Date: "2024-10-01"}, {Date: "2024-10-01", Name: "国庆节"}}); err != nil {
		t.Errorf("New with a date listed twice alike: %v", err)
	}
}
