package storetest

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"duban"
)

// ClockSetter is implemented by stores whose clock a test can set. The suite
// requires it: audit times are checked against the test's clock.
type ClockSetter interface {
	SetClock(now func() time.Time)
}

// RawDB is implemented by stores that expose their database for tools and
// tests. The suite uses it to prove that the audit log refuses changes made
// behind the store's back.
type RawDB interface {
	DB() *sql.DB
}

// Run runs every case of the suite against stores made by open, in parallel.
// open must return a fresh, migrated, empty store and close it in t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) duban.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, e *env)
	}{
		{"Orgs", testOrgs},
		{"Units", testUnits},
		{"People", testPeople},
		{"Import", testImport},
		{"ImportAtomic", testImportAtomic},
		{"Reimport", testReimport},
		{"Documents", testDocuments},
		{"Indicators", testIndicators},
		{"TaskOrder", testTaskOrder},
		{"TaskFilters", testTaskFilters},
		{"TaskPaging", testTaskPaging},
		{"Scope", testScope},
		{"UpdateTask", testUpdateTask},
		{"UpdateTaskStale", testUpdateTaskStale},
		{"UpdateTaskConcurrent", testUpdateTaskConcurrent},
		{"RollUp", testRollUp},
		{"Freshness", testFreshness},
		{"LedgerVersion", testLedgerVersion},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"APITokens", testAPITokens},
		{"APITokenExpiryAndRevocation", testAPITokenExpiryAndRevocation},
		{"CredentialsEndOnReset", testCredentialsEndOnReset},
		{"ChangePassword", testChangePassword},
		{"LoginFailures", testLoginFailures},
		{"ExternalUsers", testExternalUsers},
		{"IdentityRequests", testIdentityRequests},
		{"SignInEvents", testSignInEvents},
		{"LedgerEditsRoundTrip", testLedgerEditsRoundTrip},
		{"LedgerEditsThreeWay", testLedgerEditsThreeWay},
		{"Audit", testAudit},
		{"AuditAppendOnly", testAuditAppendOnly},
		{"Schedule", testSchedule},
		{"ReportFlow", testReportFlow},
		{"EvidenceAndClosure", testEvidenceAndClosure},
		{"ExtensionsAndNotices", testExtensionsAndNotices},
		{"NotificationDelivery", testNotificationDelivery},
		{"ConcurrentSubmissions", testConcurrentSubmissions},
		{"SyntheticReports", testSyntheticReports},
		{"Ready", testReady},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newEnv(t, open(t)))
		})
	}
}

// env is one case's store, clock and context.
type env struct {
	s     duban.Store
	clock *Clock
	ctx   context.Context
}

func newEnv(t *testing.T, s duban.Store) *env {
	t.Helper()
	cs, ok := s.(ClockSetter)
	if !ok {
		t.Fatalf("store %T has no SetClock method", s)
	}
	c := NewClock(time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC))
	cs.SetClock(c.Now)
	return &env{s: s, clock: c, ctx: t.Context()}
}

// Clock is a clock that moves only when told. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// wantCode fails the test unless err carries code (nil for "no error").
func wantCode(t *testing.T, what string, err error, want duban.Code) {
	t.Helper()
	if got := duban.ErrorCode(err); got != want {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

// wantMessage fails the test unless err's message contains sub.
func wantMessage(t *testing.T, what string, err error, sub string) {
	t.Helper()
	if msg := duban.ErrorMessage(err); !strings.Contains(msg, sub) {
		t.Errorf("%s: message %q does not contain %q", what, msg, sub)
	}
}

// must fails the test on a non-nil error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// actorOf is the actor a signed-in user becomes.
func actorOf(u *duban.User) duban.Actor {
	return duban.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID, UnitID: u.UnitID, PersonID: u.PersonID}
}

// cmpIgnoreTimes ignores every time in a comparison, for values made at
// different moments of a test.
var cmpIgnoreTimes = cmpopts.IgnoreTypes(time.Time{})
