package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"duban"
	"duban/calendar"
	"duban/jobs"
	"duban/notify"
	"duban/progress"
	"duban/store/sqlite"
)

// office is one district with two tasks held by 区发改委 (led by 邓光怀), a
// reporter of the unit, a monthly schedule due on the 28th and a clock.
type office struct {
	st       *sqlite.Store
	org      int64
	unit     int64
	leader   int64
	tasks    []int64
	reporter duban.Actor
	cycles   []*duban.Cycle
	now      time.Time
}

func newOffice(t *testing.T) *office {
	t.Helper()
	ctx := context.Background()
	o := &office{now: time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC)}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "duban.db"), sqlite.Options{Migrate: true, Now: func() time.Time { return o.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.SetLocation(time.UTC)
	st.SetProgressFunc(progress.Func(time.UTC))
	o.st = st
	org := &duban.Org{Name: "渝中区"}
	must(t, st.CreateOrg(ctx, duban.System(0), org))
	o.org = org.ID
	sys := duban.System(org.ID)
	plan := &duban.ImportPlan{OrgID: org.ID,
		Document:  duban.Document{FileName: "d.txt", Kind: "decomposition", Year: 2024, Content: []byte("d")},
		NewUnits:  []duban.Unit{{Name: "区发改委"}},
		NewPeople: []duban.Person{{Name: "邓光怀"}},
		Tasks: []duban.PlannedTask{
			{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 1, Content: "地区生产总值增长6%左右。"},
				LeaderNames: []string{"邓光怀"}, LeadUnitNames: []string{"区发改委"}},
			{Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 2, Content: "区级一般公共预算收入增长6%。"},
				LeaderNames: []string{"邓光怀"}, LeadUnitNames: []string{"区发改委"}},
		}}
	if _, err := st.ApplyImport(ctx, sys, plan); err != nil {
		t.Fatal(err)
	}
	units, _ := st.FindUnits(ctx, org.ID)
	o.unit = units[0].ID
	people, _ := st.FindPeople(ctx, org.ID)
	o.leader = people[0].ID
	tasks, _, _ := st.FindTasks(ctx, sys, duban.TaskFilter{OrgID: org.ID})
	for _, task := range tasks {
		o.tasks = append(o.tasks, task.ID)
	}
	u := &duban.User{OrgID: org.ID, Username: "fgw", PasswordHash: "x", Role: duban.RoleReporter, UnitID: &o.unit}
	must(t, st.CreateUser(ctx, sys, u))
	o.reporter = duban.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: org.ID, UnitID: u.UnitID}
	sc := duban.Schedule{OrgID: org.ID, Year: 2024, Kind: duban.ScheduleMonthly, Day: 28, Shift: duban.ShiftBefore}
	cycles, err := calendar.Cycles(sc, calendar.Calendar{})
	if err != nil {
		t.Fatal(err)
	}
	must(t, st.SetSchedule(ctx, sys, &sc, cycles))
	o.cycles, err = st.FindCycles(ctx, sys, org.ID, 2024)
	must(t, err)
	return o
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// notes returns the notifications of the unit and of the leader by kind.
func (o *office) notes(t *testing.T) map[duban.NotificationKind]int {
	t.Helper()
	out := map[duban.NotificationKind]int{}
	for _, a := range []duban.Actor{o.reporter, {UserID: 999, Role: duban.RoleLeader, OrgID: o.org, PersonID: &o.leader}} {
		list, _, _, err := o.st.FindNotifications(context.Background(), a, duban.NotificationFilter{Limit: 500})
		must(t, err)
		for _, n := range list {
			out[n.Kind]++
		}
	}
	return out
}

func TestRemindIsIdempotentAndFollowsTheRules(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	j := &jobs.Remind{Store: o.st, Location: time.UTC}
	day := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d.Add(9 * time.Hour)
	}
	// January's report is due Sunday 28 January, moved to Friday 26.
	if o.cycles[0].Due != "2024-01-26" {
		t.Fatalf("January due %s", o.cycles[0].Due)
	}
	must(t, j.Run(ctx, day("2024-01-23")))
	if j.Created != 2 {
		t.Errorf("three working days before: %d reminders, want one per task", j.Created)
	}
	must(t, j.Run(ctx, day("2024-01-23")))
	if j.Created != 0 {
		t.Errorf("the same day again: %d reminders, want none", j.Created)
	}
	// Task 1 reports; task 2 does not.
	o.now = day("2024-01-24")
	if _, err := o.st.SubmitReport(ctx, o.reporter, o.tasks[0], o.cycles[0].ID, duban.ReportContent{Progress: "一月进展"}); err != nil {
		t.Fatal(err)
	}
	must(t, j.Run(ctx, day("2024-01-26")))
	if j.Created != 2 {
		t.Errorf("on the due day: %d notifications, want one for the task not reported and the office's digest", j.Created)
	}
	for _, d := range []string{"2024-01-29", "2024-01-30", "2024-01-31"} {
		must(t, j.Run(ctx, day(d)))
	}
	got := o.notes(t)
	if got[duban.NotifyBeforeDue] != 2 || got[duban.NotifyDue] != 1 || got[duban.NotifyOverdue] != 3 || got[duban.NotifyEscalation] != 1 {
		t.Errorf("notifications by kind: %v", got)
	}
	// A restart on the same day sends nothing twice.
	restarted := &jobs.Remind{Store: o.st, Location: time.UTC}
	must(t, restarted.Run(ctx, day("2024-01-31")))
	if restarted.Created != 0 {
		t.Errorf("after a restart: %d reminders", restarted.Created)
	}
}

func TestRemindTellsOfLateNotices(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	super := duban.Actor{Username: "super", Role: duban.RoleSupervisor, OrgID: o.org}
	n := &duban.Notice{TaskID: o.tasks[1], Title: "请加快进度", Deadline: "2024-01-10"}
	must(t, o.st.IssueNotice(ctx, super, n))
	j := &jobs.Remind{Store: o.st, Location: time.UTC}
	must(t, j.Run(ctx, time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC)))
	before := j.Created
	must(t, j.Run(ctx, time.Date(2024, 1, 11, 9, 0, 0, 0, time.UTC)))
	if got := o.notes(t)[duban.NotifyNoticeLate]; got != 1 || j.Created-before > 2 {
		t.Errorf("late notice notifications to the unit: %d", got)
	}
}

func TestRefreshMovesLightsAsDaysPass(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	j := &jobs.Refresh{Store: o.st}
	must(t, j.Run(ctx, o.now))
	task, err := o.st.FindTaskByID(ctx, duban.System(o.org), o.tasks[0])
	must(t, err)
	if task.Light == duban.LightRed {
		t.Fatalf("a task on 2 January is red: %v", task.LightRules)
	}
	// Two months without a report.
	o.now = time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	must(t, j.Run(ctx, o.now))
	if j.Changed != 2 {
		t.Errorf("%d tasks changed", j.Changed)
	}
	task, _ = o.st.FindTaskByID(ctx, duban.System(o.org), o.tasks[0])
	if task.Light != duban.LightRed || task.Status != duban.StatusBehind || len(task.LightRules) == 0 {
		t.Errorf("after two months without reports: %s %s %v", task.Status, task.Light, task.LightRules)
	}
	must(t, j.Run(ctx, o.now))
	if j.Changed != 0 {
		t.Errorf("a second run the same day changed %d tasks", j.Changed)
	}
}

// TestRefreshPrunesLoginFailures: the nightly refresh deletes failed
// sign-ins older than a day, so that user names tried once do not stay.
func TestRefreshPrunesLoginFailures(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	old := o.now.Add(-25 * time.Hour)
	for _, key := range []string{"nobody-1|10.9.9.9", "nobody-2|10.9.9.9"} {
		_, err := o.st.RecordLoginFailure(ctx, key, old, old)
		must(t, err)
	}
	_, err := o.st.RecordLoginFailure(ctx, "zhang|10.0.0.1", o.now.Add(-time.Hour), o.now.Add(-2*time.Hour))
	must(t, err)
	must(t, (&jobs.Refresh{Store: o.st}).Run(ctx, o.now))
	// What the refresh kept answers for itself; what it pruned is gone.
	n, err := o.st.PruneLoginFailures(ctx, o.now)
	must(t, err)
	if n != 1 {
		t.Errorf("after the refresh, %d failures before now, want the one of an hour ago", n)
	}
}

func TestDeliverRetriesWithBackoffAndLogsEverySend(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	var calls atomic.Int32
	var fail atomic.Bool
	fail.Store(true)
	var mu sync.Mutex
	var bodies []map[string]any
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var v map[string]any
		json.Unmarshal(b, &v)
		mu.Lock()
		bodies = append(bodies, v)
		mu.Unlock()
	}))
	defer receiver.Close()
	admin := duban.Actor{Username: "admin", Role: duban.RoleAdmin, OrgID: o.org}
	ch := &duban.Channel{OrgID: o.org, Kind: duban.ChannelWebhook, Name: "督查群", Enabled: true, Config: map[string]string{"url": receiver.URL}}
	must(t, o.st.SaveChannel(ctx, admin, ch))
	email, mobile := "fgw@yuzhong.gov.cn", "13800000000"
	if _, err := o.st.UpdateUser(ctx, admin, o.reporter.UserID, duban.UserUpdate{Email: &email, Mobile: &mobile}); err != nil {
		t.Fatal(err)
	}
	remind := &jobs.Remind{Store: o.st, Location: time.UTC}
	must(t, remind.Run(ctx, time.Date(2024, 1, 23, 9, 0, 0, 0, time.UTC)))

	attempts := map[string]int{} // by kind and outcome, as Observe is told
	j := &jobs.Deliver{Store: o.st, Sender: notify.New(notify.Options{}), Rand: func() float64 { return 0.5 },
		Observe: func(kind duban.ChannelKind, err error) {
			attempts[fmt.Sprintf("%s %v", kind, err == nil)]++
		}}
	now := time.Date(2024, 1, 23, 9, 1, 0, 0, time.UTC)
	must(t, j.Run(ctx, now))
	if j.Failed != 2 || j.Sent != 0 {
		t.Fatalf("first run: %d sent, %d failed", j.Sent, j.Failed)
	}
	if want := map[string]int{"webhook false": 2}; !maps.Equal(attempts, want) {
		t.Errorf("Observe was told of %v, want %v", attempts, want)
	}
	must(t, j.Run(ctx, now))
	if j.Failed+j.Sent != 0 {
		t.Errorf("retried before the backoff: %d", j.Failed+j.Sent)
	}
	fail.Store(false)
	must(t, j.Run(ctx, now.Add(time.Hour)))
	if j.Sent != 2 {
		t.Errorf("after the backoff: %d sent", j.Sent)
	}
	must(t, j.Run(ctx, now.Add(2*time.Hour)))
	if j.Sent != 0 || calls.Load() != 4 {
		t.Errorf("sent again: %d, calls %d", j.Sent, calls.Load())
	}
	if want := map[string]int{"webhook false": 2, "webhook true": 2}; !maps.Equal(attempts, want) {
		t.Errorf("Observe was told of %v, want %v", attempts, want)
	}
	mu.Lock()
	if len(bodies) != 2 || bodies[0]["kind"] != string(duban.NotifyBeforeDue) {
		t.Errorf("bodies = %v", bodies)
	}
	// The reminder reaches the unit's clerk.
	if to, _ := json.Marshal(bodies[0]["to"]); !strings.Contains(string(to), email) || !strings.Contains(string(to), mobile) {
		t.Errorf("recipients of a unit's reminder: %s", to)
	}
	mu.Unlock()
	log, _, err := o.st.FindDeliveries(ctx, admin, o.org, 10, 0)
	must(t, err)
	for _, d := range log {
		if d.Status != duban.DeliverySent || d.Attempts != 2 {
			t.Errorf("delivery %+v", d)
		}
	}
}

// fakeJob counts its runs; it can panic once.
type fakeJob struct {
	name  string
	runs  atomic.Int32
	panic atomic.Bool
}

func (j *fakeJob) Name() string { return j.name }
func (j *fakeJob) Run(ctx context.Context, now time.Time) error {
	j.runs.Add(1)
	if j.panic.CompareAndSwap(true, false) {
		panic("boom")
	}
	return nil
}

// oneLock is a Locker whose lock another server may hold.
type oneLock struct{ held atomic.Bool }

func (l *oneLock) TryLock(context.Context, string) (func(), bool, error) {
	if !l.held.CompareAndSwap(false, true) {
		return nil, false, nil
	}
	return func() { l.held.Store(false) }, true, nil
}

func TestSchedulerRunsOnScheduleAndSurvivesPanics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		loc := time.UTC
		daily := &fakeJob{name: "daily"}
		every := &fakeJob{name: "every"}
		every.panic.Store(true)
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		runs, failures := map[string]int32{}, map[string]int32{}
		s := &jobs.Scheduler{
			Entries:  []jobs.Entry{{Job: daily, At: "08:30"}, {Job: every, Every: 30 * time.Second}},
			Location: loc,
			Logger:   slog.New(slog.DiscardHandler),
			Observe: func(job string, _ time.Time, err error) {
				mu.Lock()
				defer mu.Unlock()
				runs[job]++
				if err != nil {
					failures[job]++
				}
			},
		}
		// The bubble's clock starts at 2000-01-01 00:00 UTC.
		done := make(chan error)
		go func() { done <- s.Run(ctx) }()
		time.Sleep(24*time.Hour + time.Minute)
		synctest.Wait()
		// daily: at start-up, 08:30; every: at start-up (panicking), then
		// every 30 s.
		if got := daily.runs.Load(); got != 2 {
			t.Errorf("daily job ran %d times in a day, want 2", got)
		}
		if got := every.runs.Load(); got < 2880 || got > 2883 {
			t.Errorf("30-second job ran %d times in a day", got)
		}
		mu.Lock()
		if runs["daily"] != 2 || runs["every"] != every.runs.Load() || failures["every"] != 1 || failures["daily"] != 0 {
			t.Errorf("Observe was told of runs %v and failures %v, want every run and the one panic", runs, failures)
		}
		mu.Unlock()
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}

func TestSchedulerLockAndRunOnce(t *testing.T) {
	job := &fakeJob{name: "remind"}
	lock := &oneLock{}
	s := &jobs.Scheduler{Entries: []jobs.Entry{{Job: job, At: "08:30"}}, Location: time.UTC, Locker: lock,
		Logger: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	if err := s.RunOnce(ctx, "remind", time.Now()); err != nil || job.runs.Load() != 1 {
		t.Fatalf("RunOnce: %v, %d runs", err, job.runs.Load())
	}
	lock.held.Store(true) // another server runs it
	if err := s.RunOnce(ctx, "remind", time.Now()); err == nil || job.runs.Load() != 1 {
		t.Errorf("ran while another server held the lock: %v, %d runs", err, job.runs.Load())
	}
	if err := s.RunOnce(ctx, "nonsense", time.Now()); err == nil {
		t.Error("an unknown job ran")
	}
}
