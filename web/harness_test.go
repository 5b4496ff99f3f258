package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/calendar"
	"duban/importer"
	"duban/ingest"
	"duban/notify"
	"duban/progress"
	"duban/store/sqlite"
)

// testPassword is every fixture user's password.
const testPassword = "correct-horse-电池"

// fixtureHash is testPassword hashed once per test binary: hashing is slow on
// purpose, and every fixture user may share it.
var fixtureHash = sync.OnceValues(func() (string, error) { return HashPassword(testPassword) })

// testClock is a clock tests move by hand; the server and the store share it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// lockedBuffer collects the server's log lines across goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// harness is the real wiring on a random port: the server, the SQLite store in
// t.TempDir() and the import service, with a small ledger in it.
type harness struct {
	t     *testing.T
	srv   *httptest.Server
	store *sqlite.Store
	clock *testClock
	logs  *lockedBuffer
	// ids holds the fixture's IDs by name: city, org_a, org_b, unit_a,
	// unit_b, person, doc_a, doc_b, task_a (held by unit A), task_b (unit B),
	// task_ab (A leads, B shares), task_edit, task_other (in org B), and
	// user_<name> for each user.
	ids map[string]int64
	// sessions holds the session cookie of each fixture user who signed in.
	sessions map[string]string
	// secrets are tokens and passwords that must never reach the log.
	secrets []string
}

// The fixture users, by role; reporter_b reports for unit B.
var fixtureUsers = []struct {
	name string
	role duban.Role
	unit string // key in ids
}{
	{"admin", duban.RoleAdmin, ""},
	{"supervisor", duban.RoleSupervisor, ""},
	{"leader", duban.RoleLeader, ""},
	{"reporter", duban.RoleReporter, "unit_a"},
	{"reporter_b", duban.RoleReporter, "unit_b"},
	{"viewer", duban.RoleViewer, ""},
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{now: time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC)}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "duban.db"), sqlite.Options{Migrate: true, Now: clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st.SetProgressFunc(progress.Func(time.UTC))
	st.SetLocation(time.UTC)
	cfg.Location = time.UTC
	srv := NewServer(cfg, Deps{
		Store:    st,
		Importer: &importer.Service{Store: st, Limits: ingest.DefaultLimits, Now: clock.Now, Location: time.UTC},
		Now:      clock.Now,
		Cycles: func(sc duban.Schedule, days []duban.CalendarDay) ([]duban.Cycle, error) {
			cal, err := calendar.New(days)
			if err != nil {
				return nil, err
			}
			return calendar.Cycles(sc, cal)
		},
		Tester: notify.New(notify.Options{Location: time.UTC, Now: clock.Now}),
	}, logger)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	h := &harness{t: t, srv: ts, store: st, clock: clock, logs: logs,
		ids: map[string]int64{}, sessions: map[string]string{}, secrets: []string{testPassword}}
	h.seed(ctx)
	t.Cleanup(h.checkLogs)
	return h
}

// seed builds a city with two districts; district A has two units, a leader,
// four tasks and a user of every role.
func (h *harness) seed(ctx context.Context) {
	t := h.t
	t.Helper()
	sys := duban.System(0)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	city := &duban.Org{Name: "重庆市"}
	must(h.store.CreateOrg(ctx, sys, city))
	orgA := &duban.Org{Name: "渝中区", ParentID: &city.ID}
	must(h.store.CreateOrg(ctx, sys, orgA))
	orgB := &duban.Org{Name: "江北区", ParentID: &city.ID}
	must(h.store.CreateOrg(ctx, sys, orgB))
	h.ids["city"], h.ids["org_a"], h.ids["org_b"] = city.ID, orgA.ID, orgB.ID

	unitA := &duban.Unit{OrgID: orgA.ID, Name: "区发改委"}
	must(h.store.CreateUnit(ctx, duban.System(orgA.ID), unitA))
	unitB := &duban.Unit{OrgID: orgA.ID, Name: "区商务委", Aliases: []string{"区商务局"}}
	must(h.store.CreateUnit(ctx, duban.System(orgA.ID), unitB))
	person := &duban.Person{OrgID: orgA.ID, Name: "邓光怀", Title: "副区长"}
	must(h.store.CreatePerson(ctx, duban.System(orgA.ID), person))
	h.ids["unit_a"], h.ids["unit_b"], h.ids["person"] = unitA.ID, unitB.ID, person.ID

	task := func(n int, content string, lead, resp []string) duban.PlannedTask {
		return duban.PlannedTask{
			Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: n, Content: content,
				SourceLine: 10 * n, Status: duban.StatusNotStarted},
			LeaderNames:          []string{"邓光怀"},
			LeadUnitNames:        lead,
			ResponsibleUnitNames: resp,
		}
	}
	h.ids["doc_a"] = h.apply(ctx, orgA.ID, "fixture_a.txt", []duban.PlannedTask{
		task(1, "地区生产总值增长6%左右。", []string{"区发改委"}, nil),
		task(2, "社会消费品零售总额增长7.5%。", []string{"区商务委"}, nil),
		task(3, "新增首店品牌50个。", []string{"区发改委"}, []string{"区商务委"}),
		task(4, "空气质量优良天数达到300天。", []string{"区发改委"}, nil),
	})
	h.ids["doc_b"] = h.apply(ctx, orgB.ID, "fixture_b.txt", []duban.PlannedTask{{
		Task: duban.Task{Year: 2024, Section: "一、主要预期指标", Number: 1, Content: "江北区的任务。"},
	}})
	for _, name := range []string{"task_a", "task_b", "task_ab", "task_edit"} {
		h.ids[name] = h.taskID(ctx, orgA.ID, name)
	}
	h.ids["task_other"] = h.taskID(ctx, orgB.ID, "task_other")

	hash, err := fixtureHash()
	must(err)
	for _, fu := range fixtureUsers {
		u := &duban.User{OrgID: orgA.ID, Username: fu.name, DisplayName: fu.name, PasswordHash: hash, Role: fu.role}
		if fu.unit != "" {
			id := h.ids[fu.unit]
			u.UnitID = &id
		}
		if fu.role == duban.RoleLeader {
			u.PersonID = &person.ID
		}
		must(h.store.CreateUser(ctx, duban.System(orgA.ID), u))
		h.ids["user_"+fu.name] = u.ID
	}
	adminB := &duban.User{OrgID: orgB.ID, Username: "admin_b", PasswordHash: hash, Role: duban.RoleAdmin}
	must(h.store.CreateUser(ctx, duban.System(orgB.ID), adminB))
	h.ids["user_admin_b"] = adminB.ID
}

// apply imports tasks into an organisation as the system, with a small
// document of the given name, and returns the document's ID.
func (h *harness) apply(ctx context.Context, orgID int64, name string, tasks []duban.PlannedTask) int64 {
	h.t.Helper()
	content := []byte("fixture " + name)
	sum := sha256.Sum256(content)
	plan := &duban.ImportPlan{
		OrgID: orgID,
		Document: duban.Document{OrgID: orgID, FileName: name, Kind: "decomposition", Title: name, Year: 2024,
			Content: content, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content))},
		Tasks: tasks,
	}
	res, err := h.store.ApplyImport(ctx, duban.System(orgID), plan)
	if err != nil {
		h.t.Fatalf("seed import %s: %v", name, err)
	}
	return res.DocumentID
}

// taskID finds a seeded task: task_a is number 1 of org A, and so on.
func (h *harness) taskID(ctx context.Context, orgID int64, name string) int64 {
	h.t.Helper()
	number := map[string]int{"task_a": 1, "task_b": 2, "task_ab": 3, "task_edit": 4, "task_other": 1}[name]
	tasks, _, err := h.store.FindTasks(ctx, duban.System(orgID), duban.TaskFilter{OrgID: orgID})
	if err != nil {
		h.t.Fatalf("seed: find tasks: %v", err)
	}
	for _, task := range tasks {
		if task.Number == number {
			return task.ID
		}
	}
	h.t.Fatalf("seed: task %s not found", name)
	return 0
}

// expand replaces {name} in s with the fixture's IDs.
func (h *harness) expand(s string) string {
	for name, id := range h.ids {
		s = strings.ReplaceAll(s, "{"+name+"}", strconv.FormatInt(id, 10))
	}
	return s
}

// checkLogs fails the test when a password or token reached the log, and
// shows the log of a failed test.
func (h *harness) checkLogs() {
	logs := h.logs.String()
	for _, s := range h.secrets {
		if strings.Contains(logs, s) {
			h.t.Errorf("the log contains a secret (%.6s…)", s)
		}
	}
	if h.t.Failed() {
		h.t.Logf("server log:\n%s", logs)
	}
}

// response is what a request got.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// decode reads the JSON body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r, err)
	}
}

// request describes one call of the API.
type request struct {
	method string
	path   string
	// body is sent as JSON unless it is []byte (sent as is, with
	// contentType) or nil.
	body        any
	contentType string
	header      http.Header
	// as is a fixture user whose session cookie is sent; "" sends none.
	as string
	// token is sent as Authorization: Bearer.
	token string
	// offContract marks requests that break the OpenAPI document on
	// purpose; their responses are still checked.
	offContract bool
}

// do sends r and checks the exchange against the OpenAPI document.
func (h *harness) do(t *testing.T, r request) response {
	t.Helper()
	var body []byte
	contentType := r.contentType
	switch b := r.body.(type) {
	case nil:
	case []byte:
		body = b
	case string:
		body = []byte(h.expand(b))
		if contentType == "" {
			contentType = "application/json"
		}
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
		if contentType == "" {
			contentType = "application/json"
		}
	}
	req, err := http.NewRequest(r.method, h.srv.URL+h.expand(r.path), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body = http.NoBody
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.as != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: h.session(t, r.as)})
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	validateExchange(t, req, body, resp.StatusCode, resp.Header, got, !r.offContract)
	return response{status: resp.StatusCode, header: resp.Header, body: got}
}

// session signs the fixture user in once and returns their session token.
func (h *harness) session(t *testing.T, user string) string {
	t.Helper()
	if tok, ok := h.sessions[user]; ok {
		return tok
	}
	tok := h.signIn(t, user, testPassword)
	h.sessions[user] = tok
	return tok
}

// signIn signs in through the API and returns the session token.
func (h *harness) signIn(t *testing.T, user, password string) string {
	t.Helper()
	resp := h.do(t, request{method: "POST", path: "/api/v1/session",
		body: sessionRequest{Username: user, Password: password}})
	if resp.status != http.StatusCreated {
		t.Fatalf("sign in as %s: %s", user, resp)
	}
	for _, c := range (&http.Response{Header: resp.header}).Cookies() {
		if c.Name == sessionCookie {
			h.secrets = append(h.secrets, c.Value)
			return c.Value
		}
	}
	t.Fatalf("sign in as %s: no session cookie", user)
	return ""
}

// upload builds a multipart body of fields and a file.
func upload(t *testing.T, fileName string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}
