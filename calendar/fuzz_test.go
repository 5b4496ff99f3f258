package calendar_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/calendar"
)

// FuzzParse checks that Parse never panics, that a date it accepts prints back
// as the input without its white space, and that it refuses everything else
// with CodeInvalid and a valid UTF-8 message.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := calendar.Parse(s)
		if err != nil {
			if duban.ErrorCode(err) != duban.CodeInvalid || !utf8.ValidString(err.Error()) {
				t.Errorf("Parse(%q): %v (%s)", s, err, duban.ErrorCode(err))
			}
			return
		}
		if got := d.String(); got != strings.TrimSpace(s) {
			t.Errorf("Parse(%q).String() = %q", s, got)
		}
		y, m, day := d.Parts()
		if calendar.NewDate(y, m, day) != d || d.AddDays(1).Sub(d) != 1 {
			t.Errorf("Parse(%q) = %v does not add up", s, d)
		}
	})
}

// FuzzCycles checks that Cycles never panics, refuses a schedule only with
// CodeInvalid, and otherwise gives the same cycles on every call: numbered from
// 1, their periods back to back from 1 January, due dates in order, each due
// date from 31 days before its period's end to 62 days after it, on a working
// day unless the schedule does not move it, and no grace end before it.
func FuzzCycles(f *testing.F) {
	f.Fuzz(func(t *testing.T, year int, kind, shift uint8, day, grace int, dates string, offFrom uint16, offDays uint8, workFrom uint16) {
		kinds := []duban.ScheduleKind{duban.ScheduleMonthly, duban.ScheduleQuarterly, duban.ScheduleSemiannual, duban.ScheduleCustom, "weekly", ""}
		shifts := []duban.Shift{duban.ShiftBefore, duban.ShiftAfter, duban.ShiftNone, "", "later"}
		s := duban.Schedule{
			Year: year, Kind: kinds[int(kind)%len(kinds)], Shift: shifts[int(shift)%len(shifts)],
			Day: day, GraceDays: grace,
		}
		if dates != "" {
			s.Dates = strings.Split(dates, ",")
		}
		// A run of days off and a run of weekend days worked, within the
		// schedule's year and the next.
		var days []duban.CalendarDay
		if year >= calendar.MinYear && year <= calendar.MaxYear {
			start := calendar.NewDate(year, 1, 1)
			off := make(map[calendar.Date]bool)
			for i := 0; i < int(offDays)%80; i++ {
				d := start.AddDays(int(offFrom)%730 + i)
				off[d] = true
				days = append(days, duban.CalendarDay{Date: d.String()})
			}
			for i := 0; i < 14; i++ {
				if d := start.AddDays(int(workFrom)%730 + i); d.Weekday()%6 == 0 && !off[d] {
					days = append(days, duban.CalendarDay{Date: d.String(), Working: true})
				}
			}
		}
		cal, err := calendar.New(days)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		cs, err := calendar.Cycles(s, cal)
		if err != nil {
			if duban.ErrorCode(err) != duban.CodeInvalid || !utf8.ValidString(err.Error()) || cs != nil {
				t.Errorf("Cycles(%+v): %v (%s), %d cycles", s, err, duban.ErrorCode(err), len(cs))
			}
			return
		}
		if len(cs) == 0 {
			t.Fatalf("Cycles(%+v): no cycles and no error", s)
		}
		again, _ := calendar.Cycles(s, cal)
		if diff := cmp.Diff(cs, again); diff != "" {
			t.Errorf("Cycles(%+v) differs between calls:\n%s", s, diff)
		}
		prevEnd := calendar.NewDate(year, 1, 0)
		var prevDue calendar.Date
		for i, c := range cs {
			start, err1 := calendar.Parse(c.PeriodStart)
			end, err2 := calendar.Parse(c.PeriodEnd)
			due, err3 := calendar.Parse(c.Due)
			graceEnd, err4 := calendar.Parse(c.GraceEnd)
			if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
				t.Fatalf("cycle %d of %+v has a bad date: %+v", i, s, c)
			}
			switch {
			case c.Seq != i+1 || c.Year != year || c.Label == "" || !strings.HasPrefix(c.Label, c.PeriodStart[:4]+"年"):
				t.Errorf("cycle %d of %+v: %+v", i, s, c)
			case start != prevEnd.AddDays(1) || end.Before(start) || end.Year() != year:
				t.Errorf("cycle %d of %+v: period %s–%s after %s", i, s, start, end, prevEnd)
			case due.Before(prevDue):
				t.Errorf("cycle %d of %+v: due %s before the previous %s", i, s, due, prevDue)
			case due.Sub(end) < -31 || due.Sub(end) > 62:
				t.Errorf("cycle %d of %+v: due %s, period ends %s", i, s, due, end)
			case s.Shift != duban.ShiftNone && s.Shift != "" && !cal.IsWorkingDay(due):
				t.Errorf("cycle %d of %+v: due %s on a day off", i, s, due)
			case graceEnd.Before(due) || (graceEnd != due && cal.WorkingDaysBetween(due, graceEnd) != s.GraceDays):
				t.Errorf("cycle %d of %+v: due %s, grace end %s", i, s, due, graceEnd)
			}
			prevEnd, prevDue = end, due
		}
	})
}
