package progress_test

import (
	"testing"

	"duban"
	"duban/calendar"
	"duban/progress"
)

// BenchmarkDerive judges a task with three targets, twelve monthly cycles and
// twelve reports with percent and figures: the nightly job runs it for every
// task of a city.
func BenchmarkDerive(b *testing.B) {
	in := progress.Input{
		Today: calendar.MustParse("2024-12-30"), Task: task("年底前", shops, retail, jobless),
		Cycles: monthly2024(b), Location: shanghai,
	}
	for m := 1; m <= 12; m++ {
		status := duban.ReportApproved
		if m == 12 {
			status = duban.ReportSubmitted
		}
		day := calendar.NewDate(2024, m, 20).String()
		in.Reports = append(in.Reports, rep(m, status, day, new(m*8), fig(11, float64(m*4)), fig(12, 7.6), fig(13, 5.4)))
	}
	if got := progress.Derive(in); got.Status != duban.StatusOnTrack || len(got.Rules) == 0 {
		b.Fatalf("Derive = %s %s %v", got.Status, got.Light, got.Rules)
	}
	b.ReportAllocs()
	for b.Loop() {
		progress.Derive(in)
	}
}

// BenchmarkReminders computes the reminders of one task and cycle.
func BenchmarkReminders(b *testing.B) {
	in := progress.ReminderInput{
		Today: calendar.MustParse("2024-04-02"),
		Cycle: duban.Cycle{ID: 3, PeriodStart: "2024-03-01", PeriodEnd: "2024-03-31", Due: "2024-03-28"},
	}
	b.ReportAllocs()
	for b.Loop() {
		progress.Reminders(in)
	}
}
