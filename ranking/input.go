package ranking

import (
	"time"

	"duban"
	"duban/calendar"
)

// Input is the supervision record of an organisation for one year, as Score
// and History read it: plain values the store fills with a few queries. Items
// that point at nothing (a report of a task or cycle not given, a cycle
// without a due date) are left out; of two tasks, cycles or notices with the
// same ID the first counts, and of two reports of a task for a cycle the one
// submitted first.
type Input struct {
	// AsOf is the day of the ranking: Score judges at its end. It also dates
	// Task.Status, which History uses only from this day on.
	AsOf calendar.Date
	// Location is the organisation's time zone, in which the instants below
	// are read as days; nil reads them where they are.
	Location *time.Location
	Cycles   []Cycle
	Tasks    []Task
	Reports  []Report
	Notices  []Notice
	// Units names the units (ID → name); units without a task are listed as
	// 未参评. People names the leaders the same way.
	Units  map[int64]string
	People map[int64]string
	// Groups gives the member units of each group unit (各街道 → the
	// streets); a task led by a group counts for each member. A group is not
	// listed as a unit unless it has no members and leads a task.
	Groups map[int64][]int64
}

// Cycle is a reporting period (填报周期).
type Cycle struct {
	ID    int64  `json:"id"`
	Label string `json:"label"` // 2024年3月
	// PeriodEnd is the last day the period's reports cover; the zero Date
	// dates a report at its submission.
	PeriodEnd calendar.Date `json:"period_end"`
	Due       calendar.Date `json:"due"`
	// GraceEnd is the last day of the grace window (宽限期); the zero Date
	// means the due date.
	GraceEnd calendar.Date `json:"grace_end"`
}

// Task is a task of the ledger with who answers for it.
type Task struct {
	ID   int64 `json:"id"`
	Year int   `json:"year"` // its 序时进度 runs from 1 January of this year
	// LeadUnitIDs are its lead units (牵头单位); LeadUnits are their names
	// in the same order, used for a unit Input.Units does not name, and for
	// an ID of 0 (a name not matched to a unit).
	LeadUnitIDs []int64  `json:"lead_unit_ids"`
	LeadUnits   []string `json:"lead_units"`
	// LeaderIDs and Leaders are its responsible leaders (责任区领导), the
	// same way.
	LeaderIDs []int64  `json:"leader_ids"`
	Leaders   []string `json:"leaders"`
	// Status is the task's derived status as of Input.AsOf: done (by its
	// targets, say) counts as done from that day on; closed without
	// ClosedAt counts as closed on that day.
	Status duban.TaskStatus `json:"status"`
	// Deadline is the deadline in force, after approved extensions; the zero
	// Date means 31 December of Year.
	Deadline calendar.Date `json:"deadline"`
	ClosedAt *time.Time    `json:"closed_at"` // 销号
}

// Report is a task's report for a cycle, one per task and cycle.
type Report struct {
	ID      int64              `json:"id"`
	TaskID  int64              `json:"task_id"`
	CycleID int64              `json:"cycle_id"`
	Status  duban.ReportStatus `json:"status"` // as of now
	// SubmittedAt is its first submission; nil for a report never submitted.
	SubmittedAt *time.Time `json:"submitted_at"`
	// Late is set when it was first submitted after its due date
	// (duban.Report.Late); a report submitted after the due date day counts
	// as late whatever Late says.
	Late bool `json:"late"`
	// Percent is how far the task is, 0 to 100: the report's own percent,
	// or what its figures measure; nil when neither is known.
	Percent *float64 `json:"percent"`
	Reviews []Review `json:"reviews"`
}

// Review is one decision of the office on a report.
type Review struct {
	Decision duban.ReviewDecision `json:"decision"`
	Quality  *int                 `json:"quality"` // 1–5; others are ignored
	At       time.Time            `json:"at"`
}

// Notice is a supervision notice (督办单) about a task.
type Notice struct {
	ID     int64 `json:"id"`
	TaskID int64 `json:"task_id"`
	UnitID int64 `json:"unit_id"` // the unit it was issued to
	// Deadline is the day it must be answered by; the zero Date never
	// passes.
	Deadline calendar.Date `json:"deadline"`
	IssuedAt time.Time     `json:"issued_at"`
	// RespondedAt is the unit's response; ClosedAt the office's closure,
	// which counts as the answer of a notice closed without one.
	RespondedAt *time.Time `json:"responded_at"`
	ClosedAt    *time.Time `json:"closed_at"`
}
