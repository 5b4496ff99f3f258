package duban

import "time"

// Dates in this file are civil dates in the organisation's time zone, written
// as ISO 8601 strings ("2024-07-05"): a due date is a day, not an instant.

// ScheduleKind is the rhythm of an organisation's reporting.
type ScheduleKind string

// The rhythms of reporting (DOMAIN.md, 查账).
const (
	ScheduleMonthly    ScheduleKind = "monthly"    // every month, due on Day (每月28日前)
	ScheduleQuarterly  ScheduleKind = "quarterly"  // after each quarter, due on Day of the following month
	ScheduleSemiannual ScheduleKind = "semiannual" // twice a year, due on Dates (7月上旬, 12月底)
	ScheduleCustom     ScheduleKind = "custom"     // due on Dates
)

// Shift says where a due date that falls on a day off moves.
type Shift string

// The ways a due date moves off a day off.
const (
	ShiftBefore Shift = "before" // to the last working day before it: nobody is late for a holiday
	ShiftAfter  Shift = "after"  // to the first working day after it
	ShiftNone   Shift = "none"   // stays where it is
)

// Schedule is how an organisation's units report in a year (填报周期). Setting
// it opens the year's cycles.
type Schedule struct {
	OrgID int64        `json:"org_id"`
	Year  int          `json:"year"`
	Kind  ScheduleKind `json:"kind"`
	// Day is the day of the month a monthly or quarterly report is due (28
	// for 每月28日前); 0 or more than the month has means its last day.
	Day int `json:"day"`
	// Dates are the due dates of a semiannual or custom schedule, in order.
	Dates []string `json:"dates"`
	// GraceDays accepts a report this many days after its due date without
	// counting it missing; it still counts as late.
	GraceDays int       `json:"grace_days"`
	Shift     Shift     `json:"shift"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CalendarDay is an exception to the working week in an organisation's
// calendar: a public holiday on a weekday (Working false) or a weekend day
// worked in exchange (调休, Working true).
type CalendarDay struct {
	Date    string `json:"date"`
	Working bool   `json:"working"`
	Name    string `json:"name"` // 国庆节, 国庆节调休
}

// Cycle is one reporting period of an organisation: every task of the year
// reports once in it, its lead unit consolidating what the responsible units
// contribute.
type Cycle struct {
	ID          int64  `json:"id"`
	OrgID       int64  `json:"org_id"`
	Year        int    `json:"year"`
	Seq         int    `json:"seq"`          // 1, 2, … within the year
	Label       string `json:"label"`        // 2024年3月, 2024年第一季度, 2024年上半年
	PeriodStart string `json:"period_start"` // the days the report covers
	PeriodEnd   string `json:"period_end"`
	Due         string `json:"due"`       // the day the report is due, moved off days off
	GraceEnd    string `json:"grace_end"` // the last day a late report is still accepted as on time enough
}

// ReportStatus is where a unit's report for a cycle stands.
type ReportStatus string

// The statuses of a report.
const (
	ReportDraft             ReportStatus = "draft"              // being written; only its unit sees it
	ReportSubmitted         ReportStatus = "submitted"          // waiting for review
	ReportReturned          ReportStatus = "returned"           // sent back with comments; the unit must resubmit
	ReportEvidenceRequested ReportStatus = "evidence_requested" // the office asks for evidence
	ReportApproved          ReportStatus = "approved"
)

// Figure is the cumulative value to date of one quantitative target of a task,
// as a report states it.
type Figure struct {
	TargetID int64   `json:"target_id"`
	Value    float64 `json:"value"`
	Note     string  `json:"note"` // 1-11月累计, 预计
}

// Report is a task's report for a cycle: what was done (进展情况), what blocks
// (存在问题), what comes next (下一步措施), the figures behind its targets and
// how far it is. The lead unit writes and submits it; each submission is kept.
type Report struct {
	ID        int64        `json:"id"`
	OrgID     int64        `json:"org_id"`
	TaskID    int64        `json:"task_id"`
	CycleID   int64        `json:"cycle_id"`
	UnitID    int64        `json:"unit_id"` // the lead unit that reports
	Status    ReportStatus `json:"status"`
	Progress  string       `json:"progress"`   // 进展情况
	Problems  string       `json:"problems"`   // 存在问题
	NextSteps string       `json:"next_steps"` // 下一步措施
	Percent   *int         `json:"percent"`    // 0–100, as the unit judges it
	Figures   []Figure     `json:"figures"`
	Evidence  []Evidence   `json:"evidence"`
	// Late is set when the report was first submitted after its cycle's due
	// date.
	Late        bool       `json:"late"`
	SubmittedAt *time.Time `json:"submitted_at"`
	SubmittedBy *int64     `json:"submitted_by"`
	Reviews     []Review   `json:"reviews"`
	// Version counts the report's changes; a save naming an older version
	// is refused with CodeConflict.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Contribution is a responsible unit's part of a task's report for a cycle,
// which the lead unit consolidates.
type Contribution struct {
	ID        int64     `json:"id"`
	TaskID    int64     `json:"task_id"`
	CycleID   int64     `json:"cycle_id"`
	UnitID    int64     `json:"unit_id"`
	Unit      string    `json:"unit"`
	Progress  string    `json:"progress"`
	Problems  string    `json:"problems"`
	NextSteps string    `json:"next_steps"`
	Figures   []Figure  `json:"figures"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
}

// ReviewDecision is what the supervision office decides on a submitted report.
type ReviewDecision string

// The decisions of a review.
const (
	DecisionApprove         ReviewDecision = "approve"
	DecisionReturn          ReviewDecision = "return"           // with comments; the unit resubmits
	DecisionRequestEvidence ReviewDecision = "request_evidence" // the unit adds evidence and resubmits
)

// Review is one decision of the supervision office on a report.
type Review struct {
	ID         int64          `json:"id"`
	ReportID   int64          `json:"report_id"`
	Decision   ReviewDecision `json:"decision"`
	Comment    string         `json:"comment"`
	Quality    *int           `json:"quality"` // 1–5, the office's rating of the report, for assessment
	ReviewerID int64          `json:"reviewer_id"`
	Reviewer   string         `json:"reviewer"`
	At         time.Time      `json:"at"`
}

// Evidence is a file that backs a report or a closure (佐证材料), stored by the
// SHA-256 of its content.
type Evidence struct {
	ID          int64     `json:"id"`
	TaskID      int64     `json:"task_id"`
	ReportID    *int64    `json:"report_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Content     []byte    `json:"-"` // set when uploading; loaded only on download
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// Light is the green–yellow–red signal of a task (红黄绿灯).
type Light string

// The lights.
const (
	LightGreen  Light = "green"
	LightYellow Light = "yellow"
	LightRed    Light = "red"
	LightNone   Light = "" // closed, or nothing to judge yet
)

// ExtensionStatus is where a request for more time stands.
type ExtensionStatus string

// The statuses of an extension request.
const (
	ExtensionPending  ExtensionStatus = "pending"
	ExtensionApproved ExtensionStatus = "approved"
	ExtensionRejected ExtensionStatus = "rejected"
)

// Extension is a lead unit's request to move a task's deadline (延期申请),
// decided by the supervision office.
type Extension struct {
	ID          int64           `json:"id"`
	OrgID       int64           `json:"org_id"`
	TaskID      int64           `json:"task_id"`
	UnitID      int64           `json:"unit_id"`
	Reason      string          `json:"reason"`
	OldDeadline string          `json:"old_deadline"`
	NewDeadline string          `json:"new_deadline"`
	Status      ExtensionStatus `json:"status"`
	RequestedBy int64           `json:"requested_by"`
	RequestedAt time.Time       `json:"requested_at"`
	DecidedBy   *int64          `json:"decided_by"`
	DecidedAt   *time.Time      `json:"decided_at"`
	Comment     string          `json:"comment"`
}

// NoticeStatus is where a supervision notice stands.
type NoticeStatus string

// The statuses of a supervision notice.
const (
	NoticeOpen      NoticeStatus = "open"      // issued, waiting for the unit's response
	NoticeResponded NoticeStatus = "responded" // the unit answered; the office closes it or not
	NoticeClosed    NoticeStatus = "closed"
)

// Notice is a supervision notice (督办单) the office issues to a task's lead
// unit about a lagging task, with its own deadline and the unit's response.
type Notice struct {
	ID          int64        `json:"id"`
	OrgID       int64        `json:"org_id"`
	TaskID      int64        `json:"task_id"`
	UnitID      int64        `json:"unit_id"`
	Number      string       `json:"number"` // 督办〔2024〕3号
	Title       string       `json:"title"`
	Body        string       `json:"body"`
	Deadline    string       `json:"deadline"`
	Status      NoticeStatus `json:"status"`
	IssuedBy    int64        `json:"issued_by"`
	IssuedAt    time.Time    `json:"issued_at"`
	Response    string       `json:"response"`
	RespondedBy *int64       `json:"responded_by"`
	RespondedAt *time.Time   `json:"responded_at"`
	ClosedAt    *time.Time   `json:"closed_at"`
}

// ChannelKind is how notifications leave duban.
type ChannelKind string

// The notification channels. In-app notifications need no channel.
const (
	ChannelEmail    ChannelKind = "email"    // SMTP
	ChannelDingTalk ChannelKind = "dingtalk" // DingTalk group robot (钉钉机器人), 政务钉钉 too
	ChannelWeCom    ChannelKind = "wecom"    // WeCom group robot (企业微信机器人)
	ChannelWebhook  ChannelKind = "webhook"  // plain JSON POST
)

// Channel is a configured way to send an organisation's notifications.
type Channel struct {
	ID      int64       `json:"id"`
	OrgID   int64       `json:"org_id"`
	Kind    ChannelKind `json:"kind"`
	Name    string      `json:"name"`
	Enabled bool        `json:"enabled"`
	// Config holds the channel's settings: url and secret for robots and
	// webhooks; host, port, username, password, from and tls for e-mail.
	// Secrets are never returned by the API.
	Config map[string]string `json:"config"`
}

// NotificationKind says what a notification is about.
type NotificationKind string

// The kinds of notifications.
const (
	NotifyBeforeDue  NotificationKind = "before_due"  // 催办: the report is due soon
	NotifyDue        NotificationKind = "due"         // due today
	NotifyOverdue    NotificationKind = "overdue"     // daily while missing
	NotifyEscalation NotificationKind = "escalation"  // to the responsible leader
	NotifyNotice     NotificationKind = "notice"      // a 督办单 was issued
	NotifyReturned   NotificationKind = "returned"    // a report was sent back
	NotifyReviewed   NotificationKind = "reviewed"    // a report was approved
	NotifyExtension  NotificationKind = "extension"   // an extension was decided
	NotifySubmitted  NotificationKind = "submitted"   // a report waits for review (to the office)
	NotifyNoticeLate NotificationKind = "notice_late" // a 督办单 passed its deadline unanswered
)

// Notification is one message to a unit, a leader or a user, shown in the
// app and sent over the organisation's channels. Key makes it idempotent:
// a job that runs twice finds the key and sends nothing more.
type Notification struct {
	ID       int64            `json:"id"`
	OrgID    int64            `json:"org_id"`
	Key      string           `json:"key"` // remind:before_due:task=12:cycle=3:2024-03-25
	Kind     NotificationKind `json:"kind"`
	TaskID   *int64           `json:"task_id"`
	UnitID   *int64           `json:"unit_id"`   // to the unit's users
	PersonID *int64           `json:"person_id"` // to the leader
	UserID   *int64           `json:"user_id"`   // to one user
	Title    string           `json:"title"`
	Body     string           `json:"body"`
	Link     string           `json:"link"`
	At       time.Time        `json:"at"`
	ReadAt   *time.Time       `json:"read_at"`
}

// DeliveryStatus is where the sending of a notification over a channel stands.
type DeliveryStatus string

// The statuses of a delivery.
const (
	DeliveryPending DeliveryStatus = "pending" // waiting for its next attempt
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed" // out of attempts
)

// Delivery is the sending of one notification over one channel, with every
// attempt logged.
type Delivery struct {
	ID             int64          `json:"id"`
	NotificationID int64          `json:"notification_id"`
	ChannelID      int64          `json:"channel_id"`
	Status         DeliveryStatus `json:"status"`
	Attempts       int            `json:"attempts"`
	NextAttemptAt  *time.Time     `json:"next_attempt_at"`
	LastError      string         `json:"last_error"`
	SentAt         *time.Time     `json:"sent_at"`
}

// ReportContent is what a unit writes into a task's report for a cycle: the
// draft saved as it types, or the report it submits. Version is the report's
// version the writer read (0 for a report not yet started); a stale version
// gets CodeConflict with the current report.
type ReportContent struct {
	Progress  string   `json:"progress"`
	Problems  string   `json:"problems"`
	NextSteps string   `json:"next_steps"`
	Percent   *int     `json:"percent"`
	Figures   []Figure `json:"figures"`
	Version   int      `json:"version"`
}

// ReportFilter selects reports. Pointer fields mean "not given"; the actor's
// scope applies on top (a reporter sees the reports of tasks their unit
// holds).
type ReportFilter struct {
	OrgID   int64
	TaskID  *int64
	CycleID *int64
	UnitID  *int64
	Status  *ReportStatus
	Year    *int
	// Brief leaves out what a report says (progress, problems, next steps,
	// figures) and its evidence, keeping its status, percent, times and
	// reviews: what scoring and counting need, at a fraction of the cost.
	Brief  bool
	Limit  int // 0 means 50; at most 500, or MaxBriefReports when Brief
	Offset int
}

// MaxBriefReports is the largest page of brief reports: a district's year.
const MaxBriefReports = 20000

// ExtensionFilter selects extension requests, newest first.
type ExtensionFilter struct {
	OrgID  int64
	TaskID *int64
	Status *ExtensionStatus
	Limit  int
	Offset int
}

// NoticeFilter selects supervision notices, newest first.
type NoticeFilter struct {
	OrgID  int64
	TaskID *int64
	Status *NoticeStatus
	Limit  int
	Offset int
}

// NotificationFilter selects the notifications an actor receives: their own,
// their unit's and, for a leader, their person's; newest first.
type NotificationFilter struct {
	Unread bool
	Limit  int
	Offset int
}

// OrgSettings are the settings of an organisation's reporting loop that an
// administrator changes while the system runs.
type OrgSettings struct {
	// RemindBeforeDays is how many working days before a due date the
	// first reminder goes out.
	RemindBeforeDays int `json:"remind_before_days"`
	// EscalateAfterDays is how many working days after a due date a missing
	// report is escalated to the task's responsible leaders.
	EscalateAfterDays int `json:"escalate_after_days"`
	// SkipIfReportedWithinDays spares a reminder to a task reported this
	// many days ago or less.
	SkipIfReportedWithinDays int `json:"skip_if_reported_within_days"`
	// SoonDays is how many days before a due date an unsubmitted report
	// turns a task's light yellow.
	SoonDays int `json:"soon_days"`
	// YellowBelow and RedBelow are how many percentage points below
	// time-proportional progress (序时进度) turn the light yellow or red.
	YellowBelow float64 `json:"yellow_below"`
	RedBelow    float64 `json:"red_below"`
	// Tolerance is the relative band of 左右 and 约 in evaluations (0.05 is
	// ±5%).
	Tolerance float64 `json:"tolerance"`
	// MaxEvidenceBytes bounds one evidence file.
	MaxEvidenceBytes int64 `json:"max_evidence_bytes"`
}

// DefaultOrgSettings are the settings of an organisation that has set none.
func DefaultOrgSettings() OrgSettings {
	return OrgSettings{
		RemindBeforeDays: 3, EscalateAfterDays: 3, SkipIfReportedWithinDays: 5, SoonDays: 3,
		YellowBelow: 10, RedBelow: 20, Tolerance: 0.05, MaxEvidenceBytes: 20 << 20,
	}
}

// Progress is a task's derived standing: its status, its light and the rules
// that gave them, in words.
type Progress struct {
	Status   TaskStatus `json:"status"`
	Light    Light      `json:"light"`
	Rules    []string   `json:"rules"`    // in Chinese, one per rule that applied
	Expected *float64   `json:"expected"` // 序时进度, percent
	Actual   *float64   `json:"actual"`   // percent complete as reported or measured
}

// ProgressInput is what a task's progress is derived from, read in one
// transaction.
type ProgressInput struct {
	Now       time.Time // the transaction's time; the deriver turns it into a local day
	Task      *Task
	Cycles    []*Cycle
	Reports   []*Report // the task's reports, with their figures
	Extension *Extension
	ClosedAt  *time.Time
	Settings  OrgSettings
}

// ProgressFunc derives a task's progress. Stores call it, inside the
// transaction of every change that can move it, with what they read there;
// main gives them the real one (package progress).
type ProgressFunc func(ProgressInput) Progress

// DueDelivery is a delivery waiting to be sent, with what it sends and how.
type DueDelivery struct {
	Delivery     Delivery
	Notification Notification
	Channel      Channel
	// Emails and Mobiles are how to reach the notification's recipients:
	// the users of its unit (or of the units of its group), the users who
	// are its leader, its user, or the office of its organisation.
	Emails, Mobiles []string
}

// LinkKind says how an indicator continues an earlier one.
type LinkKind string

// The kinds of indicator lineage.
const (
	LinkRenamed   LinkKind = "renamed"   // the same measure under a new name
	LinkRedefined LinkKind = "redefined" // measured differently from now on (a share became a growth rate)
)

// IndicatorLink is the office's confirmation that an indicator continues an
// earlier one, so that its values line up across years.
type IndicatorLink struct {
	IndicatorID int64     `json:"indicator_id"`
	PreviousID  int64     `json:"previous_id"`
	Kind        LinkKind  `json:"kind"`
	Note        string    `json:"note"`
	ConfirmedBy int64     `json:"confirmed_by"`
	ConfirmedAt time.Time `json:"confirmed_at"`
}
