package progress

import (
	"time"

	"duban"
	"duban/calendar"
)

// Func returns the deriver the stores call (duban.ProgressFunc): Derive on
// what they read, with the organisation's settings, on the day their
// transaction's time falls in loc.
func Func(loc *time.Location) duban.ProgressFunc {
	return func(in duban.ProgressInput) duban.Progress {
		di := Input{
			Today:    calendar.DateOf(in.Now.In(loc)),
			ClosedAt: in.ClosedAt,
			Settings: Settings{DueSoonDays: in.Settings.SoonDays, YellowGap: in.Settings.YellowBelow, RedGap: in.Settings.RedBelow},
			Location: loc,
		}
		if in.Task != nil {
			di.Task = *in.Task
		}
		if in.Settings.SoonDays == 0 {
			di.Settings.DueSoonDays = -1 // 0 days before: no warning
		}
		if in.Extension != nil {
			di.Extensions = []duban.Extension{*in.Extension}
		}
		for _, c := range in.Cycles {
			di.Cycles = append(di.Cycles, *c)
		}
		for _, r := range in.Reports {
			di.Reports = append(di.Reports, *r)
		}
		res := Derive(di)
		p := duban.Progress{Status: res.Status, Light: res.Light, Rules: make([]string, 0, len(res.Rules)), Actual: res.Actual}
		for _, r := range res.Rules {
			p.Rules = append(p.Rules, r.Text)
		}
		if in.ClosedAt == nil {
			expected := res.Expected
			p.Expected = &expected
		}
		return p
	}
}
