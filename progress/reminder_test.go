package progress_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/calendar"
	"duban/progress"
)

// holidays of April 2024: 清明 on Thursday the 4th and Friday the 5th, worked
// back on Sunday the 7th.
var qingming = []duban.CalendarDay{
	{Date: "2024-04-04", Name: "清明节"}, {Date: "2024-04-05", Name: "清明节"},
	{Date: "2024-04-07", Working: true, Name: "清明节调休"},
}

// keys writes reminders as their keys.
func keys(rs []progress.Reminder) []string {
	var out []string
	for _, r := range rs {
		if r.Key != string(r.Kind)+":cycle=3:"+r.Day.String() && r.Key != string(r.Kind)+":cycle=8:"+r.Day.String() {
			out = append(out, "bad key "+r.Key)
		}
		out = append(out, r.Key)
	}
	return out
}

func TestReminders(t *testing.T) {
	cal, err := calendar.New(qingming)
	if err != nil {
		t.Fatal(err)
	}
	// March 2024 of a monthly schedule: due on Thursday the 28th.
	march := duban.Cycle{ID: 3, Year: 2024, Seq: 3, Label: "2024年3月", PeriodStart: "2024-03-01", PeriodEnd: "2024-03-31", Due: "2024-03-28", GraceEnd: "2024-04-02"}
	// A short custom cycle that opens on Saturday 1 June and is due on
	// Wednesday the 5th.
	short := duban.Cycle{ID: 8, Year: 2024, Seq: 2, Label: "2024年第2次", PeriodStart: "2024-06-01", PeriodEnd: "2024-06-05", Due: "2024-06-05", GraceEnd: "2024-06-05"}
	day := calendar.MustParse
	tests := []struct {
		name string
		in   progress.ReminderInput
		want []string
	}{
		{"too early", progress.ReminderInput{Today: day("2024-03-22"), Cycle: march}, nil},
		{"three working days before", progress.ReminderInput{Today: day("2024-03-25"), Cycle: march},
			[]string{"before_due:cycle=3:2024-03-25"}},
		{"before, caught up the next day", progress.ReminderInput{Today: day("2024-03-27"), Cycle: march},
			[]string{"before_due:cycle=3:2024-03-25"}},
		{"due today", progress.ReminderInput{Today: day("2024-03-28"), Cycle: march},
			[]string{"due:cycle=3:2024-03-28"}},
		{"first day overdue", progress.ReminderInput{Today: day("2024-03-29"), Cycle: march},
			[]string{"overdue:cycle=3:2024-03-29"}},
		{"no reminder on a Saturday", progress.ReminderInput{Today: day("2024-03-30"), Cycle: march}, nil},
		{"overdue on Monday, only today's", progress.ReminderInput{Today: day("2024-04-01"), Cycle: march},
			[]string{"overdue:cycle=3:2024-04-01"}},
		{"escalated after three working days", progress.ReminderInput{Today: day("2024-04-02"), Cycle: march},
			[]string{"escalation:cycle=3:2024-04-02", "overdue:cycle=3:2024-04-02"}},
		{"escalation stays, no overdue on 清明", progress.ReminderInput{Today: day("2024-04-04"), Cycle: march, Calendar: cal},
			[]string{"escalation:cycle=3:2024-04-02"}},
		{"overdue on a Sunday worked for 清明", progress.ReminderInput{Today: day("2024-04-07"), Cycle: march, Calendar: cal},
			[]string{"escalation:cycle=3:2024-04-02", "overdue:cycle=3:2024-04-07"}},
		{"submitted on time", progress.ReminderInput{Today: day("2024-04-02"), Cycle: march, Submitted: day("2024-03-27")}, nil},
		{"submitted late", progress.ReminderInput{Today: day("2024-04-02"), Cycle: march, Submitted: day("2024-04-01")}, nil},
		{"submitted today", progress.ReminderInput{Today: day("2024-03-28"), Cycle: march, Submitted: day("2024-03-28")}, nil},
		{"submitted after today is not yet", progress.ReminderInput{Today: day("2024-04-02"), Cycle: march, Submitted: day("2024-04-05")},
			[]string{"escalation:cycle=3:2024-04-02", "overdue:cycle=3:2024-04-02"}},
		{"skipped, reported yesterday", progress.ReminderInput{Today: day("2024-03-25"), Cycle: march, LastReported: day("2024-03-24")}, nil},
		{"skipped, reported four days ago", progress.ReminderInput{Today: day("2024-03-28"), Cycle: march, LastReported: day("2024-03-24")}, nil},
		{"not skipped after five days", progress.ReminderInput{Today: day("2024-03-29"), Cycle: march, LastReported: day("2024-03-24")},
			[]string{"overdue:cycle=3:2024-03-29"}},
		{"a report after today does not skip", progress.ReminderInput{Today: day("2024-03-28"), Cycle: march, LastReported: day("2024-03-30")},
			[]string{"due:cycle=3:2024-03-28"}},
		{"skipping turned off", progress.ReminderInput{Today: day("2024-03-25"), Cycle: march, LastReported: day("2024-03-24"),
			Options: progress.ReminderOptions{SkipIfReportedWithinDays: -1}},
			[]string{"before_due:cycle=3:2024-03-25"}},
		{"skipped for a week", progress.ReminderInput{Today: day("2024-03-29"), Cycle: march, LastReported: day("2024-03-24"),
			Options: progress.ReminderOptions{SkipIfReportedWithinDays: 7}}, nil},
		{"five working days before", progress.ReminderInput{Today: day("2024-03-21"), Cycle: march,
			Options: progress.ReminderOptions{BeforeDays: 5}},
			[]string{"before_due:cycle=3:2024-03-21"}},
		{"no reminder before", progress.ReminderInput{Today: day("2024-03-27"), Cycle: march,
			Options: progress.ReminderOptions{BeforeDays: -1}}, nil},
		{"escalated the first working day after", progress.ReminderInput{Today: day("2024-03-29"), Cycle: march,
			Options: progress.ReminderOptions{EscalateAfterDays: 1}},
			[]string{"escalation:cycle=3:2024-03-29", "overdue:cycle=3:2024-03-29"}},
		{"never escalated", progress.ReminderInput{Today: day("2024-04-10"), Cycle: march,
			Options: progress.ReminderOptions{EscalateAfterDays: -1}},
			[]string{"overdue:cycle=3:2024-04-10"}},
		{"not before the cycle opens", progress.ReminderInput{Today: day("2024-05-31"), Cycle: short}, nil},
		{"before, from the day the cycle opens", progress.ReminderInput{Today: day("2024-06-01"), Cycle: short},
			[]string{"before_due:cycle=8:2024-06-01"}},
		{"reported the day before the cycle opened", progress.ReminderInput{Today: day("2024-06-03"), Cycle: short, LastReported: day("2024-05-31")}, nil},
		{"due five days after that report", progress.ReminderInput{Today: day("2024-06-05"), Cycle: short, LastReported: day("2024-05-31")},
			[]string{"due:cycle=8:2024-06-05"}},
		{"a cycle without a due date", progress.ReminderInput{Today: day("2024-03-28"), Cycle: duban.Cycle{ID: 3, PeriodStart: "2024-03-01"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := progress.Reminders(tt.in)
			if diff := cmp.Diff(tt.want, keys(got)); diff != "" {
				t.Errorf("Reminders mismatch (-want +got):\n%s", diff)
			}
			if again := progress.Reminders(tt.in); !cmp.Equal(got, again) {
				t.Errorf("Reminders differ between calls: %v, %v", got, again)
			}
		})
	}
}

func TestReminderKinds(t *testing.T) {
	march := duban.Cycle{ID: 3, PeriodStart: "2024-03-01", PeriodEnd: "2024-03-31", Due: "2024-03-28"}
	got := progress.Reminders(progress.ReminderInput{Today: calendar.MustParse("2024-04-02"), Cycle: march})
	want := []progress.Reminder{
		{Kind: duban.NotifyEscalation, Day: calendar.MustParse("2024-04-02"), Key: "escalation:cycle=3:2024-04-02"},
		{Kind: duban.NotifyOverdue, Day: calendar.MustParse("2024-04-02"), Key: "overdue:cycle=3:2024-04-02"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Reminders mismatch (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		today string
		kind  duban.NotificationKind
	}{{"2024-03-25", duban.NotifyBeforeDue}, {"2024-03-28", duban.NotifyDue}} {
		got := progress.Reminders(progress.ReminderInput{Today: calendar.MustParse(c.today), Cycle: march})
		if len(got) != 1 || got[0].Kind != c.kind {
			t.Errorf("Reminders on %s = %v, want one %s", c.today, got, c.kind)
		}
	}
}
