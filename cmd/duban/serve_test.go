package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/store/sqlite"

	"github.com/xuri/excelize/v2"
)

// server is `duban serve` or `duban demo` running in the test, on a port of
// its own.
type server struct {
	url    string
	stdout *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// syncBuffer collects a command's output while the command runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startCommand runs `duban args...` until the test ends and waits until it
// serves.
func startCommand(t *testing.T, getenv func(string) string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	stderr := &syncBuffer{}
	go func() { s.done <- run(ctx, args, getenv, s.stdout, stderr) }()
	// The demo seeds a year of reports before it serves: seconds on a
	// release build, a minute or more under the race detector.
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		if _, after, ok := strings.Cut(s.stdout.String(), "serving on "); ok {
			s.url = strings.TrimSpace(strings.SplitN(after, "\n", 2)[0])
			break
		}
		select {
		case err := <-s.done:
			t.Fatalf("duban %s ended before serving: %v\n%s\n%s", args[0], err, s.stdout, stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if s.url == "" {
		cancel()
		t.Fatalf("duban %s did not start serving\n%s", args[0], stderr)
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop ends the command as SIGTERM would and checks it shut down cleanly.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("server did not shut down")
	}
}

// demoPasswords reads the accounts table `duban demo` prints.
func demoPasswords(t *testing.T, out string) map[string]string {
	t.Helper()
	pw := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	in := false
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) > 0 && f[0] == "user":
			in = true
		case in && len(f) >= 3:
			pw[f[0]] = f[1]
		case in:
			in = false
		}
	}
	if len(pw) == 0 {
		t.Fatalf("no accounts in the output:\n%s", out)
	}
	return pw
}

// client is a signed-in API client.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func signIn(t *testing.T, base, username, password string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)
	resp, err := c.http.Post(base+"/api/v1/session", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("sign in as %s: %s %s", username, resp.Status, b)
	}
	return c
}

// get fetches path and decodes the JSON answer into v, wanting status.
func (c *client) get(path string, status int, v any) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		c.t.Fatalf("GET %s: %s, want %d: %s", path, resp.Status, status, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			c.t.Fatalf("GET %s: %v", path, err)
		}
	}
}

type taskPage struct {
	Tasks []duban.Task `json:"tasks"`
	Total int          `json:"total"`
}

func noEnv(string) string { return "" }

func TestDemoServesTheSamples(t *testing.T) {
	dir := t.TempDir()
	s := startCommand(t, noEnv, "demo", "--data", dir, "--addr", "127.0.0.1:0")
	pw := demoPasswords(t, s.stdout.String())
	for _, user := range []string{"admin", "duchashi", "leader", "fagaiwei", "jiefangbei", "viewer", "city"} {
		if pw[user] == "" {
			t.Errorf("no demo account %s", user)
		}
	}

	admin := signIn(t, s.url, "admin", pw["admin"])
	var all taskPage
	admin.get("/api/v1/tasks?limit=1", http.StatusOK, &all)
	if all.Total != 194 {
		t.Errorf("admin sees %d tasks, want the decomposition's 194", all.Total)
	}
	var inds struct {
		Indicators []duban.Indicator `json:"indicators"`
	}
	admin.get("/api/v1/indicators", http.StatusOK, &inds)
	if len(inds.Indicators) == 0 {
		t.Error("the plan report's indicators were not imported")
	}

	// The demo merged the names its office knows are one unit, and no
	// other: 区委办 (task 九、10) is not 区委编办.
	var units struct {
		Units []duban.Unit `json:"units"`
	}
	admin.get("/api/v1/units", http.StatusOK, &units)
	aliases := map[string][]string{}
	for _, u := range units.Units {
		aliases[u.Name] = u.Aliases
	}
	if !slices.Contains(aliases["区政务服务办"], "区政服办") || !slices.Contains(aliases["时代天街商圈管委会"], "时代天街管委会") {
		t.Errorf("the known other names were not merged: %v", aliases)
	}
	if _, ok := aliases["区委办"]; !ok || slices.Contains(aliases["区委编办"], "区委办") {
		t.Errorf("区委办 was merged into 区委编办: %v", aliases["区委编办"])
	}
	var ledger taskPage
	admin.get("/api/v1/tasks?limit=500", http.StatusOK, &ledger)
	for _, task := range ledger.Tasks {
		if strings.HasPrefix(task.Section, "九、") && task.Number == 10 && !slices.Equal(task.LeadUnits, []string{"区委办"}) {
			t.Errorf("task 九、10 is led by %v, want 区委办", task.LeadUnits)
		}
	}

	// The street's clerk sees the tasks of 各街道 and no others.
	street := signIn(t, s.url, "jiefangbei", pw["jiefangbei"])
	var mine taskPage
	street.get("/api/v1/tasks?limit=500", http.StatusOK, &mine)
	if mine.Total == 0 || mine.Total >= all.Total {
		t.Fatalf("the street's reporter sees %d of %d tasks", mine.Total, all.Total)
	}
	for _, task := range mine.Tasks {
		units := strings.Join(append(append([]string{}, task.LeadUnits...), task.ResponsibleUnits...), "、")
		if !strings.Contains(units, "街道") {
			t.Errorf("the street's reporter sees task %d held by %s", task.ID, units)
		}
	}
	var other taskPage
	admin.get("/api/v1/tasks?limit=500&q=金融", http.StatusOK, &other)
	for _, task := range other.Tasks {
		visible := false
		for _, m := range mine.Tasks {
			visible = visible || m.ID == task.ID
		}
		if !visible {
			street.get(fmt.Sprintf("/api/v1/tasks/%d", task.ID), http.StatusNotFound, nil)
			break
		}
	}

	// The city's supervisor sees the roll-up of three districts.
	city := signIn(t, s.url, "city", pw["city"])
	var me struct {
		User duban.User `json:"user"`
	}
	city.get("/api/v1/me", http.StatusOK, &me)
	var rollup struct {
		Orgs []duban.OrgSummary `json:"orgs"`
	}
	city.get(fmt.Sprintf("/api/v1/orgs/%d/rollup", me.User.OrgID), http.StatusOK, &rollup)
	districts := 0
	for _, o := range rollup.Orgs {
		if o.Tasks > 0 {
			districts++
		}
	}
	if districts != 3 {
		t.Errorf("city roll-up has %d districts with tasks, want 3: %+v", districts, rollup.Orgs)
	}
	s.stop(t)

	// Started again on the same folder, the demo keeps its data and prints
	// new passwords.
	s2 := startCommand(t, noEnv, "demo", "--data", dir, "--addr", "127.0.0.1:0")
	pw2 := demoPasswords(t, s2.stdout.String())
	if pw2["admin"] == "" || pw2["admin"] == pw["admin"] {
		t.Errorf("admin password after restart: %q (was %q)", pw2["admin"], pw["admin"])
	}
	var again taskPage
	signIn(t, s2.url, "admin", pw2["admin"]).get("/api/v1/tasks?limit=1", http.StatusOK, &again)
	if again.Total != all.Total {
		t.Errorf("after restart %d tasks, want %d", again.Total, all.Total)
	}
}

// TestOperatorCommands walks an office's first day on the command line:
// create the database, an organisation and an administrator, preview and
// import the decomposition, re-import it, back up, serve.
func TestOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "duban.db")
	env := func(k string) string {
		if k == "DUBAN_DATABASE_URL" {
			return "sqlite://" + db
		}
		return ""
	}
	cli := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, env, &out, &errOut); err != nil {
			t.Fatalf("duban %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	fails := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, env, &out, &errOut)
		if err == nil {
			t.Fatalf("duban %s succeeded, want an error\n%s", strings.Join(args, " "), out.String())
		}
		return err.Error() + errOut.String()
	}

	if msg := fails("serve", "--addr", "127.0.0.1:0"); !strings.Contains(msg, "duban migrate") {
		t.Errorf("serve without a database: %s", msg)
	}
	if out := cli("migrate"); !strings.Contains(out, "created") {
		t.Errorf("migrate: %s", out)
	}
	if out := cli("migrate"); !strings.Contains(out, "up to date") {
		t.Errorf("second migrate: %s", out)
	}
	cli("org", "add", "示范市")
	cli("org", "add", "--parent", "示范市", "示范区")
	if out := cli("org", "list"); !strings.Contains(out, "示范区") {
		t.Errorf("org list: %s", out)
	}
	out := cli("user", "add", "--org", "示范区", "--role", "admin", "--name", "办公室", "office")
	_, pw, ok := strings.Cut(out, "password: ")
	if !ok {
		t.Fatalf("user add printed no password: %s", out)
	}
	pw = strings.TrimSpace(pw)
	if msg := fails("user", "add", "--org", "示范区", "--role", "reporter", "clerk"); !strings.Contains(msg, "单位") {
		t.Errorf("a reporter without a unit: %s", msg)
	}

	seed := "../../testdata/002_df832bfe8d5b9f39.txt"
	preview := cli("import", "--org", "示范区", seed)
	if !strings.Contains(preview, "新建任务 created: 194") || !strings.Contains(preview, "未写入") {
		t.Errorf("preview: %s", preview)
	}
	st := openSQLite(t, db)
	if tasks := countTasks(t, st); tasks != 0 {
		t.Fatalf("the preview wrote %d tasks", tasks)
	}
	st.Close()
	// 示范区 is not 渝中区, the issuer: the import needs an acknowledgement.
	if msg := fails("import", "--org", "示范区", "--yes", "--accept-merges", seed); !strings.Contains(msg, "--acknowledge") {
		t.Errorf("an import of another place's document: %s", msg)
	}
	if out := cli("import", "--org", "示范区", "--yes", "--accept-merges", "--acknowledge", seed); !strings.Contains(out, "194 tasks created") {
		t.Errorf("import: %s", out)
	}
	if out := cli("import", "--org", "示范区", "--yes", seed); !strings.Contains(out, "不变 unchanged: 194") || !strings.Contains(out, "已导入") {
		t.Errorf("re-import: %s", out)
	}
	broken := filepath.Join(dir, "broken.docx")
	os.WriteFile(broken, []byte("PK\x03\x04 not really a zip"), 0o644)
	if msg := fails("import", "--org", "示范区", "--yes", broken); !strings.Contains(msg, "broken.docx") {
		t.Errorf("a corrupt file: %s", msg)
	}

	if out := cli("job", "run", "-now", "2024-03-01", "refresh"); !strings.Contains(out, "refresh done for 2024-03-01") {
		t.Errorf("job run refresh: %s", out)
	}
	if out := cli("job", "run", "-now", "2024-03-01", "remind"); !strings.Contains(out, "remind done") {
		t.Errorf("job run remind: %s", out)
	}
	if msg := fails("job", "run", "sweep"); !strings.Contains(msg, "unknown job") {
		t.Errorf("an unknown job: %s", msg)
	}

	for _, args := range [][]string{
		{"export", "ledger", "--org", "示范区", "--year", "2024", "--sheets", "section", "-o", filepath.Join(dir, "台账.xlsx")},
		{"export", "bulletin", "--org", "示范区", "--year", "2024", "--period", "2024年3月", "-o", filepath.Join(dir, "通报.docx")},
		{"export", "bulletin", "--org", "示范区", "--year", "2024", "--period", "2024年第1季度", "--issue", "2", "--as-of", "2024-03-31", "-o", filepath.Join(dir, "季报.docx")},
		{"export", "unit", "--org", "示范区", "--unit", "区发改委", "--year", "2024", "-o", filepath.Join(dir, "清单.docx")},
		// No plan report covers 2024: the table is made of the tasks' targets.
		{"export", "targets", "--org", "示范区", "--year", "2024", "-o", filepath.Join(dir, "目标.docx")},
	} {
		if out := cli(args...); !strings.Contains(out, "wrote") {
			t.Errorf("%v: %s", args, out)
		}
		if b, err := os.ReadFile(args[len(args)-1]); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
			t.Errorf("%s is not a zip: %v", args[len(args)-1], err)
		}
	}
	if msg := fails("export", "ledger", "--org", "示范区", "--as-of", "31/03/2024", "-o", filepath.Join(dir, "x.xlsx")); !strings.Contains(msg, "--as-of") {
		t.Errorf("a ledger as of no date: %s", msg)
	}
	if msg := fails("export", "bulletin", "--org", "示范区", "--period", "春季", "-o", filepath.Join(dir, "x.docx")); !strings.Contains(msg, "通报期间") {
		t.Errorf("a bulletin of a period it cannot read: %s", msg)
	}
	// The office's editable ledger, its first deadline changed offline, comes
	// back with import-edits: previewed, then applied with --yes.
	office := filepath.Join(dir, "办公室台账.xlsx")
	cli("export", "ledger", "--org", "示范区", "--year", "2024", "--editable", "office", "-o", office)
	edited := filepath.Join(dir, "改后台账.xlsx")
	editFirstDeadline(t, office, edited, "2024年11月底")
	if out := cli("import-edits", "--org", "示范区", edited); !strings.Contains(out, "修改 changes: 1 项任务") ||
		!strings.Contains(out, `→ "2024-11-30"`) || !strings.Contains(out, "未写入") {
		t.Errorf("import-edits preview: %s", out)
	}
	if out := cli("import-edits", "--org", "示范区", "--yes", edited); !strings.Contains(out, "已写入 applied: 1 项任务") {
		t.Errorf("import-edits --yes: %s", out)
	}
	if out := cli("import-edits", "--org", "示范区", edited); !strings.Contains(out, "修改 changes: 0 项任务") {
		t.Errorf("import-edits after applying: %s", out)
	}
	// A unit's file: only with the unit named, and only its tasks.
	if msg := fails("export", "ledger", "--org", "示范区", "--year", "2024", "--editable", "unit", "-o", filepath.Join(dir, "x.xlsx")); !strings.Contains(msg, "--unit") {
		t.Errorf("a unit's editable ledger without the unit: %s", msg)
	}
	unitFile := filepath.Join(dir, "单位台账.xlsx")
	cli("export", "ledger", "--org", "示范区", "--year", "2024", "--editable", "unit", "--unit", "区发改委", "-o", unitFile)
	if all, mine := ledgerRows(t, office), ledgerRows(t, unitFile); mine == 0 || mine >= all {
		t.Errorf("区发改委's editable ledger has %d task rows, the office's %d: want some, fewer", mine, all)
	}
	if msg := fails("import-edits", "--org", "示范区", seed); !strings.Contains(msg, "002_df832bfe8d5b9f39.txt") {
		t.Errorf("import-edits of a text file: %s", msg)
	}
	if msg := fails("export", "targets", "--org", "示范区", "--year", "2021", "-o", filepath.Join(dir, "x.docx")); !strings.Contains(msg, "计划报告") {
		t.Errorf("targets without a plan report: %s", msg)
	}

	backup := filepath.Join(dir, "copy.db")
	cli("backup", backup)
	if msg := fails("backup", backup); !strings.Contains(msg, "exists") {
		t.Errorf("backup over a file: %s", msg)
	}
	cp := openSQLite(t, backup)
	if n := countTasks(t, cp); n != 194 {
		t.Errorf("backup holds %d tasks", n)
	}
	cp.Close()

	s := startCommand(t, env, "serve", "--addr", "127.0.0.1:0")
	var page taskPage
	signIn(t, s.url, "office", pw).get("/api/v1/tasks?limit=1", http.StatusOK, &page)
	if page.Total != 194 {
		t.Errorf("served %d tasks", page.Total)
	}
	var audit struct {
		Entries []duban.AuditEntry `json:"entries"`
	}
	signIn(t, s.url, "office", pw).get("/api/v1/audit?limit=100", http.StatusOK, &audit)
	found := false
	for _, e := range audit.Entries {
		found = found || e.Action == "document.import" && e.Actor == "cli"
	}
	if !found {
		t.Errorf("no document.import by cli in the audit log: %+v", audit.Entries)
	}
	s.stop(t)

	cli("user", "disable", "office")
	s = startCommand(t, env, "serve", "--addr", "127.0.0.1:0")
	resp, err := http.Post(s.url+"/api/v1/session", "application/json", strings.NewReader(fmt.Sprintf(`{"username":"office","password":%q}`, pw)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user signs in: %s", resp.Status)
	}
}

func openSQLite(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func countTasks(t *testing.T, st *sqlite.Store) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM tasks`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConfigLayers(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "duban.json")
	os.WriteFile(file, []byte(`{"http_addr": "127.0.0.1:9000", "timezone": "UTC", "database_url": "postgres://duban:secret@db/duban"}`), 0o600)
	env := map[string]string{"DUBAN_CONFIG": file, "DUBAN_HTTP_ADDR": "127.0.0.1:9001"}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"config", "--addr", "127.0.0.1:9002"}, func(k string) string { return env[k] }, &out, &errOut)
	if err != nil {
		t.Fatalf("config: %v %s", err, errOut.String())
	}
	var got Config
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.HTTPAddr != "127.0.0.1:9002" || got.Timezone != "UTC" {
		t.Errorf("flags override env override file: got %+v", got)
	}
	if strings.Contains(out.String(), "secret") {
		t.Errorf("config prints the password: %s", out.String())
	}
	for _, bad := range [][]string{
		{"config", "--database", "mysql://x"},
		{"config", "--addr", "nowhere"},
		{"config", "--timezone", "Mars/Olympus"},
		{"config", "--log-format", "xml"},
	} {
		if err := run(context.Background(), bad, noEnv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	os.WriteFile(file, []byte(`{"no_such_setting": 1}`), 0o600)
	if err := run(context.Background(), []string{"config"}, func(k string) string { return env[k] }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "no_such_setting") {
		t.Errorf("unknown setting in the file: %v", err)
	}
	if err := run(context.Background(), []string{"nonsense"}, noEnv, io.Discard, io.Discard); !errors.Is(err, errReported) {
		t.Errorf("unknown command: %v", err)
	}
}

// TestConfigLoginLimits: the sign-in limits come from the file and from
// DUBAN_LOGIN_* variables; nonsense is refused.
func TestConfigLoginLimits(t *testing.T) {
	file := filepath.Join(t.TempDir(), "duban.json")
	os.WriteFile(file, []byte(`{"login_limits": {"address_rate": 2, "account_burst": 5}}`), 0o600)
	env := map[string]string{"DUBAN_CONFIG": file, "DUBAN_LOGIN_ADDRESS_BURST": "60", "DUBAN_LOGIN_ACCOUNT_RATE": "0.05"}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"config"}, func(k string) string { return env[k] }, &out, io.Discard); err != nil {
		t.Fatalf("config: %v", err)
	}
	var got Config
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := LoginLimits{AddressRate: 2, AddressBurst: 60, AccountRate: 0.05, AccountBurst: 5}
	if got.LoginLimits != want {
		t.Errorf("login limits = %+v, want %+v", got.LoginLimits, want)
	}
	for _, bad := range []string{"-1", "many", "NaN"} {
		env := map[string]string{"DUBAN_LOGIN_RATE": bad}
		if err := run(context.Background(), []string{"config"}, func(k string) string { return env[k] }, io.Discard, io.Discard); err == nil {
			t.Errorf("DUBAN_LOGIN_RATE=%s accepted", bad)
		}
	}
}

// TestTuneCollector: serve collects less often (GOGC=400) within a soft
// memory limit of 1 GiB, unless the operator set GOGC or GOMEMLIMIT.
func TestTuneCollector(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	tuneCollector(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != 400 {
		t.Errorf("GOGC %d, want 400", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != defaultMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, defaultMemoryLimit)
	}
	tuneCollector(func(k string) string { return map[string]string{"GOGC": "100", "GOMEMLIMIT": "512MiB"}[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: %d, want it left at 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: limit %d, want it left alone", got)
	}
}

// editFirstDeadline copies an editable ledger, with the 完成时限 of its first
// task row set to deadline, as a spreadsheet program would.
func editFirstDeadline(t *testing.T, from, to, deadline string) {
	t.Helper()
	f, err := excelize.OpenFile(from)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if col, id := slices.Index(r, "完成时限"), slices.Index(r, "任务编号"); col >= 0 && id >= 0 {
			for j := i + 1; j < len(rows); j++ {
				if len(rows[j]) > id && rows[j][id] != "" {
					cell, _ := excelize.CoordinatesToCellName(col+1, j+1)
					if err := f.SetCellStr(sheet, cell, deadline); err != nil {
						t.Fatal(err)
					}
					if err := f.SaveAs(to); err != nil {
						t.Fatal(err)
					}
					return
				}
			}
		}
	}
	t.Fatalf("%s has no task row", from)
}

// ledgerRows counts the task rows of a ledger's first sheet: rows below the
// header whose 序号 is filled.
func ledgerRows(t *testing.T, path string) int {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows[min(3, len(rows)):] {
		if len(r) > 1 && r[0] != "" && r[1] != "" {
			n++
		}
	}
	return n
}
