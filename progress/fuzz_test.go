package progress_test

import (
	"math"
	"testing"
	"time"
	"unicode/utf8"

	"duban"
	"duban/calendar"
	"duban/progress"
)

// FuzzParseDeadline checks that ParseDeadline never panics, that a day it
// finds is a real day of a year it reads, and that the day read again is
// itself.
func FuzzParseDeadline(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string, year int) {
		date, ok := progress.ParseDeadline(text, year)
		if ok != (date != "") {
			t.Fatalf("ParseDeadline(%q, %d) = %q, %v", text, year, date, ok)
		}
		if !ok {
			return
		}
		d, err := calendar.Parse(date)
		if err != nil {
			t.Fatalf("ParseDeadline(%q, %d) = %q: %v", text, year, date, err)
		}
		if y := d.Year(); y < calendar.MinYear || y > calendar.MaxYear {
			t.Errorf("ParseDeadline(%q, %d) = %q, a year it cannot mean", text, year, date)
		}
		if again, ok := progress.ParseDeadline(date, year); !ok || again != date {
			t.Errorf("ParseDeadline(%q, %d) = %q, but ParseDeadline(%q) = %q, %v", text, year, date, date, again, ok)
		}
	})
}

var (
	validStatus = map[duban.TaskStatus]bool{duban.StatusNotStarted: true, duban.StatusOnTrack: true,
		duban.StatusBehind: true, duban.StatusDone: true, duban.StatusClosed: true}
	lightRank       = map[duban.Light]int{duban.LightNone: 0, duban.LightGreen: 1, duban.LightYellow: 2, duban.LightRed: 3}
	reportStatuses  = []duban.ReportStatus{duban.ReportDraft, duban.ReportSubmitted, duban.ReportReturned, duban.ReportEvidenceRequested, duban.ReportApproved, "lost"}
	targetOps       = []string{"reach", "ge", "gt", "le", "lt", "eq", "approx", "rank", "sync", "unknown"}
	targetMeasures  = []string{"count", "cumulative", "level", "growth", "rate", "share", "other", ""}
	targetUnits     = []string{"个", "%", "亿元", ""}
	targetSubjects  = []string{"新增首店品牌", "城镇调查失业率", "地区生产总值增长", "", "违法建筑"}
	extensionStates = []duban.ExtensionStatus{duban.ExtensionApproved, duban.ExtensionPending, duban.ExtensionRejected}
)

// FuzzDerive checks that Derive never panics, gives a known status and light,
// explains every light but closure with at least one rule in both languages,
// shows the worst light of its rules, and keeps its percentages in range.
func FuzzDerive(f *testing.F) {
	f.Fuzz(func(t *testing.T, today int16, year int, deadline string, closed bool, reports []byte,
		fig1, fig2 float64, targets uint16, newDeadline string, extension uint8, dueSoon int8, yellow, red float64) {
		cycleYear := year
		if cycleYear < calendar.MinYear || cycleYear > calendar.MaxYear {
			cycleYear = 2024
		}
		cycles, err := calendar.Cycles(duban.Schedule{Year: cycleYear, Kind: duban.ScheduleMonthly, Day: 28, GraceDays: 3, Shift: duban.ShiftBefore}, calendar.Calendar{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range cycles {
			cycles[i].ID = int64(i + 1)
		}
		cycles = append(cycles, duban.Cycle{ID: 13, Label: "坏", PeriodStart: "x", Due: deadline})
		start := calendar.NewDate(cycleYear, 1, 1)
		in := progress.Input{
			Today:    start.AddDays(int(today)),
			Task:     duban.Task{ID: 1, Year: year, Deadline: deadline},
			Cycles:   cycles,
			Settings: progress.Settings{DueSoonDays: int(dueSoon), YellowGap: yellow, RedGap: red},
			Location: time.FixedZone("CST", 8*3600),
		}
		for i := 0; i < 2; i++ {
			k := int(targets >> (8 * i))
			in.Task.Targets = append(in.Task.Targets, duban.Target{
				ID: int64(i + 1), Subject: targetSubjects[k%len(targetSubjects)],
				Op: targetOps[k%len(targetOps)], Measure: targetMeasures[(k/3)%len(targetMeasures)],
				Unit: targetUnits[(k/5)%len(targetUnits)], Value: new(float64(k%7) * 10),
			})
		}
		if closed {
			in.ClosedAt = new(time.Date(2024, 6, 30, 16, 30, 0, 0, time.UTC))
		}
		if extension > 0 {
			in.Extensions = []duban.Extension{{Status: extensionStates[int(extension)%len(extensionStates)], NewDeadline: newDeadline}}
		}
		if len(reports) > 24 {
			reports = reports[:24]
		}
		for i, b := range reports {
			r := duban.Report{CycleID: int64(i%14 + 1), Status: reportStatuses[int(b)%len(reportStatuses)],
				Figures: []duban.Figure{{TargetID: 1, Value: fig1}, {TargetID: int64(b%3 + 1), Value: fig2}}}
			if b&0x80 == 0 {
				r.Percent = new(int(b) - 20)
			}
			if b&0x40 == 0 {
				at := time.Date(cycleYear, time.Month(i%12+1), int(b%40), 3, 0, 0, 0, time.UTC)
				r.SubmittedAt = &at
			}
			in.Reports = append(in.Reports, r)
		}

		got := progress.Derive(in)
		if !validStatus[got.Status] {
			t.Fatalf("Derive: status %q", got.Status)
		}
		if _, ok := lightRank[got.Light]; !ok {
			t.Fatalf("Derive: light %q", got.Light)
		}
		if math.IsNaN(got.Expected) || got.Expected < 0 || got.Expected > 100 {
			t.Errorf("Derive: expected %v", got.Expected)
		}
		if a := got.Actual; a != nil && (math.IsNaN(*a) || *a < 0 || *a > 100) {
			t.Errorf("Derive: actual %v", *a)
		}
		switch {
		case closed:
			if got.Status != duban.StatusClosed || got.Light != duban.LightNone {
				t.Errorf("Derive of a closed task: %s %s", got.Status, got.Light)
			}
		case len(got.Rules) == 0:
			t.Errorf("Derive: %s %s without a rule", got.Status, got.Light)
		case got.Status == duban.StatusDone && got.Light != duban.LightGreen:
			t.Errorf("Derive: done with a %s light", got.Light)
		}
		worst := duban.LightNone
		for _, r := range got.Rules {
			rank, ok := lightRank[r.Light]
			if !ok || r.Kind == "" || r.Text == "" || r.TextEN == "" || !utf8.ValidString(r.Text) || !utf8.ValidString(r.TextEN) {
				t.Errorf("Derive: rule %+v", r)
			}
			if rank > lightRank[worst] {
				worst = r.Light
			}
		}
		if !closed && worst != got.Light {
			t.Errorf("Derive: light %s, but the worst rule is %s", got.Light, worst)
		}
	})
}
