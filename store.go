package duban

import (
	"context"
	"time"
)

// TaskFilter selects tasks. Pointer fields mean "not given". The actor's scope
// is applied on top of it by the store, in the query itself.
type TaskFilter struct {
	OrgID    int64 // required; a parent organisation's filter also covers its children when Rollup is set
	Rollup   bool
	Year     *int
	Section  *string
	LeaderID *int64
	// UnitID matches tasks whose lead or responsible units include the unit, or a
	// group the unit belongs to.
	UnitID *int64
	Status *TaskStatus
	// Query is a Chinese text search over content, note, section and units.
	Query  *string
	Limit  int // 0 means 50; at most 500
	Offset int
}

// TaskUpdate changes a task. Pointer fields mean "not given". Version must be the
// version the editor read; a stale version gets CodeConflict with the current
// task, nothing overwritten.
type TaskUpdate struct {
	Version            int
	Content            *string
	Note               *string
	Deadline           *string
	LeaderIDs          *[]int64
	LeadUnitIDs        *[]int64
	ResponsibleUnitIDs *[]int64
}

// UnitUpdate changes a unit. Pointer fields mean "not given".
type UnitUpdate struct {
	Name      *string
	Aliases   *[]string
	MemberIDs *[]int64
}

// UserUpdate changes a user. Pointer fields mean "not given".
type UserUpdate struct {
	DisplayName  *string
	PasswordHash *string
	Role         *Role
	UnitID       **int64
	PersonID     **int64
	Disabled     *bool
	Email        *string
	Mobile       *string
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	OrgID    int64
	Entity   *string
	EntityID *int64
	ActorID  *int64
	Limit    int // 0 means 100
	Offset   int
}

// OrgSummary is one organisation's line in a roll-up.
type OrgSummary struct {
	OrgID    int64              `json:"org_id"`
	Name     string             `json:"name"`
	Tasks    int                `json:"tasks"`
	ByStatus map[TaskStatus]int `json:"by_status"`
}

// ImportPlan is what confirming an import writes, computed by the import
// service from an extraction and the current ledger. A store applies it in one
// transaction or not at all.
type ImportPlan struct {
	OrgID    int64
	Document Document // Content and SHA256 set; ID and CreatedAt are filled in
	// NewUnits and NewPeople are created first; tasks refer to them by name
	// through the Pending fields below.
	NewUnits  []Unit
	NewPeople []Person
	// Aliases are names to add to existing units (confirmed merges).
	Aliases []UnitAlias
	// Tasks are created when ID is 0 and updated otherwise; an update names the
	// Version it was planned against and fails with CodeConflict if the task has
	// changed since.
	Tasks      []PlannedTask
	Indicators []Indicator
	// Review is what the office corrected and acknowledged in the import
	// wizard; the store keeps it in the audit log with the import.
	Review ImportReview
}

// ImportReview records the office's decisions on an import's preview beyond
// what the plan itself shows: the tasks it corrected, dropped or added (by
// the line they start on in the document), the table columns it gave a role,
// and the warnings it confirmed the import despite (issuer, year).
type ImportReview struct {
	Edited       []int             `json:"edited"`
	Dropped      []int             `json:"dropped"`
	Added        []int             `json:"added"`
	Columns      map[string]string `json:"columns"`
	Acknowledged []string          `json:"acknowledged"`
	// Year is the year the office gave the document, nil when it kept the
	// year read from it.
	Year *int `json:"year"`
}

// UnitAlias adds Alias to the names of unit UnitID.
type UnitAlias struct {
	UnitID int64
	Alias  string
}

// PlannedTask is a task of an ImportPlan. Units and leaders are given by name
// and resolved against existing units (names and aliases) and people, and those
// the plan creates.
type PlannedTask struct {
	Task
	LeaderNames          []string
	LeadUnitNames        []string
	ResponsibleUnitNames []string
}

// ImportResult says what an applied import did.
type ImportResult struct {
	DocumentID   int64 `json:"document_id"`
	TasksCreated int   `json:"tasks_created"`
	TasksUpdated int   `json:"tasks_updated"`
	UnitsCreated int   `json:"units_created"`
	PeopleAdded  int   `json:"people_created"`
	Indicators   int   `json:"indicators"`
}

// Store keeps the ledger. Every method runs in one transaction, takes ctx first,
// and returns *Error values with codes for what the caller can act on
// (CodeNotFound, CodeConflict, CodeForbidden, CodeInvalid); any other error is
// internal. Methods that take an Actor enforce the actor's scope inside the
// query and write an AuditEntry for every change, with the actor and the
// store's clock.
type Store interface {
	Close() error
	// Ready returns nil when the store can serve: its database answers
	// within a short time and its schema is the newest this program's
	// migrations make. Otherwise it returns an error, wrapping
	// ErrSchemaOutdated when the schema is behind (or ahead). Readiness
	// probes call it often: it costs one small query.
	Ready(ctx context.Context) error
	Supervision

	CreateOrg(ctx context.Context, a Actor, o *Org) error
	FindOrgs(ctx context.Context) ([]*Org, error)
	FindOrgByID(ctx context.Context, id int64) (*Org, error)

	CreateUnit(ctx context.Context, a Actor, u *Unit) error
	UpdateUnit(ctx context.Context, a Actor, id int64, up UnitUpdate) (*Unit, error)
	FindUnits(ctx context.Context, orgID int64) ([]*Unit, error)
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)

	CreatePerson(ctx context.Context, a Actor, p *Person) error
	FindPeople(ctx context.Context, orgID int64) ([]*Person, error)

	// ApplyImport writes an ImportPlan in one transaction (CodeConflict when a
	// planned update is stale) and records it in the audit log.
	ApplyImport(ctx context.Context, a Actor, p *ImportPlan) (*ImportResult, error)
	FindDocuments(ctx context.Context, orgID int64) ([]*Document, error)
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	FindDocumentContent(ctx context.Context, id int64) ([]byte, error)

	// FindTasks returns a page of the tasks the actor may see and the total
	// count. A reporter sees only tasks whose lead or responsible units include
	// their unit or a group holding it; a leader and the office roles see all
	// of their organisation (and its children on roll-up).
	FindTasks(ctx context.Context, a Actor, f TaskFilter) ([]*Task, int, error)
	// LedgerVersion names the state of the page FindTasks gives the actor for
	// f when that page depends on nothing but the organisation's ledger (by
	// year, section or status, for anyone but a reporter): the name changes
	// whenever any task of the organisation does, and is the same on every
	// instance sharing the database. "" when the page needs a query of its own
	// (a reporter, a roll-up, a unit, a leader or words) or the organisation
	// is not the actor's.
	LedgerVersion(ctx context.Context, a Actor, f TaskFilter) (string, error)
	// FindTaskByID returns CodeNotFound for a task outside the actor's scope,
	// exactly as for a task that does not exist.
	FindTaskByID(ctx context.Context, a Actor, id int64) (*Task, error)
	UpdateTask(ctx context.Context, a Actor, id int64, up TaskUpdate) (*Task, error)
	RollUp(ctx context.Context, a Actor, orgID int64) ([]OrgSummary, error)

	FindIndicators(ctx context.Context, orgID int64, year *int) ([]*Indicator, error)

	CreateUser(ctx context.Context, a Actor, u *User) error
	// UpdateUser changes an account. A new password hash, or disabling the
	// account, also ends all the user's sessions and revokes all their API
	// tokens in the same transaction, each recorded in the audit log.
	UpdateUser(ctx context.Context, a Actor, id int64, up UserUpdate) (*User, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	FindUsers(ctx context.Context, orgID int64) ([]*User, error)
	// FindExternalUser returns the user who signs in through source as
	// subject, or CodeNotFound.
	FindExternalUser(ctx context.Context, source, subject string) (*User, error)
	// FindExternalAccounts returns every user who signs in through source,
	// for its periodic check.
	FindExternalAccounts(ctx context.Context, source string) ([]ExternalAccount, error)
	// SetExternalSecret keeps what the source gave at a sign-in or check.
	SetExternalSecret(ctx context.Context, userID int64, secret string) error
	// RecordIdentityRequest notes a person no mapping rule gives an account,
	// once per source and subject (a later attempt counts and refreshes what
	// the source said), in the audit log, and returns the request as stored:
	// its status tells a rejected person from one still waiting.
	RecordIdentityRequest(ctx context.Context, r *IdentityRequest) (*IdentityRequest, error)
	// FindIdentityRequests returns the requests of the organisations an admin
	// manages in status ("" for all), newest first.
	FindIdentityRequests(ctx context.Context, a Actor, status string) ([]*IdentityRequest, error)
	// DecideIdentityRequest approves a pending request, creating the account,
	// or rejects it; both are in the audit log. A request decided already is
	// CodeConflict.
	DecideIdentityRequest(ctx context.Context, a Actor, id int64, d IdentityDecision) (*IdentityRequest, *User, error)
	// RecordSignIn writes a failed sign-in, or one through an identity
	// system, to the audit log of the user's organisation (the top one for an
	// unknown name).
	RecordSignIn(ctx context.Context, e SignInEvent) error

	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, tokenHash string) (*Session, error)
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error

	CreateAPIToken(ctx context.Context, a Actor, t *APIToken) error
	// FindAPIToken returns the unrevoked token with that hash, expired or
	// not (the caller compares ExpiresAt with its clock), or CodeNotFound.
	FindAPIToken(ctx context.Context, tokenHash string) (*APIToken, error)
	// FindAPITokens returns a user's unrevoked tokens, expired ones included,
	// oldest first. The user themself or an admin of their organisation (or
	// one above) may ask; others get CodeForbidden, and an unknown user is
	// CodeNotFound.
	FindAPITokens(ctx context.Context, a Actor, userID int64) ([]*APIToken, error)
	// RevokeAPIToken revokes token id of user userID and records it in the
	// audit log. A token that is not the user's, or is revoked already, is
	// CodeNotFound; who may revoke is as for FindAPITokens.
	RevokeAPIToken(ctx context.Context, a Actor, userID, id int64) error
	// ChangePassword sets the actor's own password hash and, in the same
	// transaction, ends their sessions but keepSessionHash (the one the change
	// came from; "" ends all) and revokes all their API tokens. The audit log
	// records the change, the sessions ended and the tokens revoked.
	ChangePassword(ctx context.Context, a Actor, passwordHash, keepSessionHash string) error

	// RecordLoginFailure notes a failed sign-in for key (user name and client
	// address) and returns the failures since the given time.
	RecordLoginFailure(ctx context.Context, key string, at, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error
	// PruneLoginFailures deletes the failures noted before the given time,
	// whatever their key (user names tried once and never again), and
	// returns how many.
	PruneLoginFailures(ctx context.Context, before time.Time) (int, error)

	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
}

// Supervision is the part of a Store that keeps the reporting and
// supervision loop. Every method takes the acting user, checks their scope in
// the query itself, returns *Error values with codes, writes the audit log
// for every change, and derives again, in the same transaction, the progress
// of the tasks a change can move. Writes return once the change is on disk.
type Supervision interface {
	// SetSchedule sets an organisation's schedule for a year with the cycles
	// computed from it; cycles holding reports keep their period
	// (CodeConflict). Administrators only.
	SetSchedule(ctx context.Context, a Actor, s *Schedule, cycles []Cycle) error
	FindSchedule(ctx context.Context, a Actor, orgID int64, year int) (*Schedule, error)
	FindCycles(ctx context.Context, a Actor, orgID int64, year int) ([]*Cycle, error)
	SetCalendar(ctx context.Context, a Actor, orgID int64, days []CalendarDay) error
	FindCalendar(ctx context.Context, a Actor, orgID int64) ([]CalendarDay, error)
	FindSettings(ctx context.Context, a Actor, orgID int64) (OrgSettings, error)
	UpdateSettings(ctx context.Context, a Actor, orgID int64, s OrgSettings) error

	// SaveReport saves a draft and SubmitReport submits a task's report for
	// a cycle; only a reporter of a unit leading the task may.
	SaveReport(ctx context.Context, a Actor, taskID, cycleID int64, c ReportContent) (*Report, error)
	SubmitReport(ctx context.Context, a Actor, taskID, cycleID int64, c ReportContent) (*Report, error)
	// ReviewReport approves, returns or asks for evidence; the office only.
	ReviewReport(ctx context.Context, a Actor, reportID int64, r Review) (*Report, error)
	FindReports(ctx context.Context, a Actor, f ReportFilter) ([]*Report, int, error)
	FindReportByID(ctx context.Context, a Actor, id int64) (*Report, error)
	// SaveContribution saves a responsible unit's part of a report.
	SaveContribution(ctx context.Context, a Actor, taskID, cycleID int64, c ReportContent) (*Contribution, error)
	FindContributions(ctx context.Context, a Actor, taskID, cycleID int64) ([]*Contribution, error)

	AddEvidence(ctx context.Context, a Actor, e *Evidence) error
	FindEvidence(ctx context.Context, a Actor, taskID int64) ([]Evidence, error)
	FindEvidenceContent(ctx context.Context, a Actor, id int64) (*Evidence, error)

	// CloseTask closes a task (销号) on evidence and an approved report;
	// ReopenTask reopens it with a reason. The office only.
	CloseTask(ctx context.Context, a Actor, taskID int64, reason string) error
	ReopenTask(ctx context.Context, a Actor, taskID int64, reason string) error
	// RefreshProgress derives the progress of an organisation's tasks again.
	RefreshProgress(ctx context.Context, a Actor, orgID int64) (int, error)

	RequestExtension(ctx context.Context, a Actor, x *Extension) error
	DecideExtension(ctx context.Context, a Actor, id int64, approve bool, comment string) (*Extension, error)
	FindExtensions(ctx context.Context, a Actor, f ExtensionFilter) ([]*Extension, int, error)

	IssueNotice(ctx context.Context, a Actor, n *Notice) error
	RespondNotice(ctx context.Context, a Actor, id int64, response string) (*Notice, error)
	CloseNotice(ctx context.Context, a Actor, id int64) (*Notice, error)
	FindNotices(ctx context.Context, a Actor, f NoticeFilter) ([]*Notice, int, error)

	// CreateNotification creates a notification once per key and reports
	// whether it did.
	CreateNotification(ctx context.Context, a Actor, n *Notification) (bool, error)
	FindNotifications(ctx context.Context, a Actor, f NotificationFilter) ([]*Notification, int, int, error)
	MarkNotificationRead(ctx context.Context, a Actor, id int64) error

	SaveChannel(ctx context.Context, a Actor, c *Channel) error
	DeleteChannel(ctx context.Context, a Actor, orgID, id int64) error
	FindChannels(ctx context.Context, a Actor, orgID int64) ([]*Channel, error)
	FindDueDeliveries(ctx context.Context, a Actor, now time.Time, limit int) ([]DueDelivery, error)
	RecordDeliveryAttempt(ctx context.Context, a Actor, id int64, attemptErr string, status DeliveryStatus, next *time.Time) error
	FindDeliveries(ctx context.Context, a Actor, orgID int64, limit, offset int) ([]*Delivery, int, error)

	// LinkIndicators confirms that an indicator continues an earlier one.
	LinkIndicators(ctx context.Context, a Actor, orgID int64, l *IndicatorLink) error
	UnlinkIndicators(ctx context.Context, a Actor, orgID, id, previousID int64) error
	FindIndicatorLinks(ctx context.Context, a Actor, orgID int64) ([]IndicatorLink, error)
	// FindConfig and SetConfig keep an organisation's configuration
	// documents (the ranking rules, the polarity of indicators) as JSON.
	FindConfig(ctx context.Context, a Actor, orgID int64, key string, v any) (bool, error)
	SetConfig(ctx context.Context, a Actor, orgID int64, key string, v any) error

	StartJobRun(ctx context.Context, a Actor, job string, now time.Time) (int64, error)
	FinishJobRun(ctx context.Context, a Actor, id int64, runErr, summary string) error
}
