package duban

import (
	"encoding/json"
	"time"
)

// Org is an organisation: a government (district, county, city) with its own
// ledger. A city's organisation is the parent of its districts and sees their
// roll-up.
type Org struct {
	ID        int64     `json:"id"`
	ParentID  *int64    `json:"parent_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// UnitKind tells a unit from a group of units.
type UnitKind string

// The kinds of units.
const (
	UnitSingle UnitKind = "unit"  // a real body: 区发改委
	UnitGroup  UnitKind = "group" // a collective name: 各街道, 各管委会, expanding to members
)

// Unit is a body that answers for tasks: a 牵头单位 or 责任单位. A group unit
// (各街道) stands for its members.
type Unit struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	Name      string    `json:"name"`
	Kind      UnitKind  `json:"kind"`
	Aliases   []string  `json:"aliases"`    // other names seen in documents: 区政服办 for 区政务服务办
	MemberIDs []int64   `json:"member_ids"` // for groups: the units the group expands to
	CreatedAt time.Time `json:"created_at"`
}

// Person is a leader (区领导) with a portfolio (分管).
type Person struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	Name      string    `json:"name"`
	Title     string    `json:"title"`     // 副区长
	Portfolio string    `json:"portfolio"` // 分管领域
	CreatedAt time.Time `json:"created_at"`
}

// Document is an imported official document, kept verbatim with its hash.
type Document struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	FileName  string    `json:"file_name"`
	Kind      string    `json:"kind"` // decomposition, plan_report, work_report, other
	Title     string    `json:"title"`
	DocNumber string    `json:"doc_number"`
	Year      int       `json:"year"`
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size"`
	Content   []byte    `json:"-"` // the file as uploaded; loaded only by FindDocumentContent
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by"`
}

// TaskStatus is where a task stands. It is derived from reports and reviews,
// never typed by hand.
type TaskStatus string

// The task statuses.
const (
	StatusNotStarted TaskStatus = "not_started"
	StatusOnTrack    TaskStatus = "on_track"
	StatusBehind     TaskStatus = "behind"
	StatusDone       TaskStatus = "done"
	StatusClosed     TaskStatus = "closed" // 销号
)

// Task is one numbered task of a decomposition, with who answers for it.
type Task struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"org_id"`
	DocumentID *int64 `json:"document_id"`
	Year       int    `json:"year"`
	Section    string `json:"section"`
	Subsection string `json:"subsection"`
	Number     int    `json:"number"`
	Content    string `json:"content"`
	Note       string `json:"note"`
	Deadline   string `json:"deadline"`
	SourceLine int    `json:"source_line"` // line of the document the task came from
	// LeaderIDs, LeadUnitIDs and ResponsibleUnitIDs point at people and units;
	// the names beside them are filled in when a task is read.
	LeaderIDs          []int64  `json:"leader_ids"`
	LeadUnitIDs        []int64  `json:"lead_unit_ids"`
	ResponsibleUnitIDs []int64  `json:"responsible_unit_ids"`
	Leaders            []string `json:"leaders"`
	LeadUnits          []string `json:"lead_units"`
	ResponsibleUnits   []string `json:"responsible_units"`
	Targets            []Target `json:"targets"`
	// Status, Light, LightRules, Expected and Actual are derived from the
	// task's reports, reviews, closure and dates (ProgressFunc), never typed.
	Status     TaskStatus `json:"status"`
	Light      Light      `json:"light"`
	LightRules []string   `json:"light_rules"`
	Expected   *float64   `json:"expected"` // 序时进度, percent
	Actual     *float64   `json:"actual"`   // percent complete
	// ClosedAt, ClosedBy and CloseReason record the closure (销号).
	ClosedAt    *time.Time `json:"closed_at"`
	ClosedBy    *int64     `json:"closed_by"`
	CloseReason string     `json:"close_reason"`
	// Version counts the task's changes; an update naming an older version is
	// refused with CodeConflict.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Target is a quantitative commitment, kept beside the text it was read from
// ("6左右" beside op approx, value 6).
type Target struct {
	ID      int64    `json:"id"`
	Year    int      `json:"year"`
	Subject string   `json:"subject"`
	Measure string   `json:"measure"`
	Op      string   `json:"op"`
	Value   *float64 `json:"value"`
	Unit    string   `json:"unit"`
	Text    string   `json:"text"`
}

// Indicator is a row of a plan report's indicator table, with its values by year.
type Indicator struct {
	ID         int64            `json:"id"`
	OrgID      int64            `json:"org_id"`
	DocumentID *int64           `json:"document_id"`
	Name       string           `json:"name"`
	Category   string           `json:"category"`
	Unit       string           `json:"unit"`
	Attribute  string           `json:"attribute"` // 预期性 or 约束性
	Values     []IndicatorValue `json:"values"`
}

// IndicatorValue is a target or an outcome of an indicator for one year.
type IndicatorValue struct {
	Year  int      `json:"year"`
	Kind  string   `json:"kind"` // target or actual
	Text  string   `json:"text"`
	Op    string   `json:"op"`
	Value *float64 `json:"value"`
}

// AuditEntry records one change: who, when, what, before and after. The audit
// log is append-only.
type AuditEntry struct {
	ID       int64           `json:"id"`
	OrgID    int64           `json:"org_id"`
	ActorID  int64           `json:"actor_id"` // 0 for the system
	Actor    string          `json:"actor"`
	At       time.Time       `json:"at"`
	Action   string          `json:"action"` // task.update, document.import, user.create …
	Entity   string          `json:"entity"` // task, unit, user …
	EntityID int64           `json:"entity_id"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
}

// DefaultYear is the year of the ledger shown when none is asked for, given
// the years the organisation holds tasks of and the current year: the current
// year when the ledger has it, else the newest year before it, else the
// nearest after it, and the current year itself when there are none. A
// document of another year imported by mistake therefore does not move what
// everyone sees, unless the ledger has nothing nearer.
func DefaultYear(years []int, current int) int {
	best, found := current, false
	for _, y := range years {
		switch {
		case y == current:
			return current
		case !found:
			best, found = y, true
		case y < current && (best > current || y > best):
			best = y
		case y > current && best > current && y < best:
			best = y
		}
	}
	return best
}
