package progress

import (
	"strconv"

	"duban"
	"duban/calendar"
)

// The defaults of ReminderOptions.
const (
	DefaultBeforeDays               = 3
	DefaultEscalateAfterDays        = 3
	DefaultSkipIfReportedWithinDays = 5
)

// ReminderOptions are what an office may set for reminders. A zero field takes
// its default; a negative one turns its reminder (or the skipping) off.
type ReminderOptions struct {
	// BeforeDays is how many working days before the due date the reminder
	// before it is due (DefaultBeforeDays).
	BeforeDays int `json:"before_days"`
	// EscalateAfterDays is how many working days after the due date a
	// missing report is escalated to the responsible leader
	// (DefaultEscalateAfterDays).
	EscalateAfterDays int `json:"escalate_after_days"`
	// SkipIfReportedWithinDays skips every reminder while the task's last
	// report, of any cycle, is less than this many calendar days old
	// (DefaultSkipIfReportedWithinDays): with 5, a report on 1 March holds
	// reminders back to 5 March.
	SkipIfReportedWithinDays int `json:"skip_if_reported_within_days"`
}

func (o ReminderOptions) withDefaults() ReminderOptions {
	if o.BeforeDays == 0 {
		o.BeforeDays = DefaultBeforeDays
	}
	if o.EscalateAfterDays == 0 {
		o.EscalateAfterDays = DefaultEscalateAfterDays
	}
	if o.SkipIfReportedWithinDays == 0 {
		o.SkipIfReportedWithinDays = DefaultSkipIfReportedWithinDays
	}
	return o
}

// ReminderInput is one task's reporting in one cycle.
type ReminderInput struct {
	// Today is the day the reminder job runs for, in the organisation's time
	// zone.
	Today    calendar.Date
	Cycle    duban.Cycle
	Calendar calendar.Calendar
	// Submitted is the day the task's report for Cycle was submitted, zero
	// while it is not. A day after Today counts as not yet.
	Submitted calendar.Date
	// LastReported is the day the task last submitted a report for any
	// cycle, zero if never. A day after Today is ignored.
	LastReported calendar.Date
	Options      ReminderOptions
}

// Reminder is one 催办 to create. Key is stable: the same reminder always has
// the same key, so that a job that runs twice, or again after a restart,
// creates it once. The caller prefixes it with the task
// ("remind:task=12:" + Key).
type Reminder struct {
	Kind duban.NotificationKind `json:"kind"`
	Day  calendar.Date          `json:"day"` // the day the reminder is for
	Key  string                 `json:"key"` // before_due:cycle=3:2024-03-25
}

// Reminders returns the reminders of in.Cycle that should exist as of
// in.Today, in the order of their days:
//   - NotifyBeforeDue, for the day BeforeDays working days before the due
//     date (not before the cycle's period starts), from that day until the
//     day before the due date, so that a job that missed its day catches up;
//   - NotifyDue on the due date;
//   - NotifyOverdue on each working day after the due date, only the one for
//     Today: a job runs daily and must not send yesterday's again;
//   - NotifyEscalation, once, for the day EscalateAfterDays working days after
//     the due date, from that day on.
//
// There are none once the report is submitted, none while the task's last
// report is less than SkipIfReportedWithinDays days old (a task that reported
// the day before the cycle opened is not chased for it at once), and none for a
// cycle whose dates do not parse. Reminders is pure.
func Reminders(in ReminderInput) []Reminder {
	o := in.Options.withDefaults()
	today := in.Today
	due, err := calendar.Parse(in.Cycle.Due)
	if err != nil {
		return nil
	}
	if !in.Submitted.IsZero() && !in.Submitted.After(today) {
		return nil
	}
	if last := in.LastReported; o.SkipIfReportedWithinDays > 0 && !last.IsZero() && !last.After(today) &&
		today.Sub(last) < o.SkipIfReportedWithinDays {
		return nil
	}
	id := strconv.FormatInt(in.Cycle.ID, 10)
	reminder := func(kind duban.NotificationKind, day calendar.Date) Reminder {
		return Reminder{Kind: kind, Day: day, Key: string(kind) + ":cycle=" + id + ":" + day.String()}
	}
	var out []Reminder
	switch {
	case today.Before(due):
		if o.BeforeDays < 0 {
			break
		}
		day := in.Calendar.AddWorkingDays(due, -o.BeforeDays)
		if start, err := calendar.Parse(in.Cycle.PeriodStart); err == nil && day.Before(start) {
			day = start
		}
		if !today.Before(day) {
			out = append(out, reminder(duban.NotifyBeforeDue, day))
		}
	case today == due:
		out = append(out, reminder(duban.NotifyDue, due))
	default:
		if o.EscalateAfterDays >= 0 {
			if day := in.Calendar.AddWorkingDays(due, o.EscalateAfterDays); !today.Before(day) {
				out = append(out, reminder(duban.NotifyEscalation, day))
			}
		}
		if in.Calendar.IsWorkingDay(today) {
			out = append(out, reminder(duban.NotifyOverdue, today))
		}
	}
	return out
}
