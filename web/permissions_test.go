package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"duban"
)

// walkCaller is who TestRoutesByRole sends requests as: a fixture user, the
// city account, or nobody ("").
type walkCaller struct {
	user string
	role duban.Role
}

var walkCallers = []walkCaller{
	{"admin", duban.RoleAdmin},
	{"supervisor", duban.RoleSupervisor},
	{"leader", duban.RoleLeader},
	{"reporter", duban.RoleReporter},
	{"viewer", duban.RoleViewer},
	{"city", duban.RoleSupervisor}, // a supervisor of the parent organisation
	{"", ""},
}

// walkIDs fills a path's {id} by what comes before it: fixture names of
// walkHarness.
var walkIDs = map[string]string{
	"/api/v1/orgs/{id}":              "org_a",
	"/api/v1/units/{id}":             "unit_a",
	"/api/v1/documents/{id}":         "doc_a",
	"/api/v1/tasks/{id}":             "task_a",
	"/api/v1/indicators/{id}":        "indicator",
	"/api/v1/reports/{id}":           "report",
	"/api/v1/evidence/{id}":          "evidence",
	"/api/v1/extensions/{id}":        "extension",
	"/api/v1/notices/{id}":           "notice",
	"/api/v1/notifications/{id}":     "notification",
	"/api/v1/channels/{id}":          "channel",
	"/api/v1/users/{id}":             "user_viewer",
	"/api/v1/tokens/{id}":            "token",
	"/api/v1/identity-requests/{id}": "identity_request",
	"/account/tokens/{id}":           "token",
	"/tasks/{id}":                    "task_a",
	"/notices/{id}":                  "notice",
	"/extensions/{id}":               "extension",
	"/admin/units/{id}":              "unit_a",
}

// TestRoutesByRole holds the server to routePermissions: every route of the
// OpenAPI document and every page, sent by every role, the city account and
// an anonymous caller, over real HTTP with path parameters filled with
// existing IDs. A role the table allows must not get 401 or 403 (or, on a
// page, the sign-in page); a role it refuses gets 403; nobody gets 401 (the
// sign-in page). Writes carry a malformed body, so whatever passes the role
// check is refused as invalid and each answer depends only on the role; each
// caller has a fresh server and each request a fresh session.
func TestRoutesByRole(t *testing.T) {
	doc := mustSpec(t)
	s := NewServer(Config{}, Deps{Store: fakeStore{}}, discardLogger())

	// The table, the routes and the document list the same routes.
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(documented)
	registered := append(slices.Clone(s.patterns), s.pagePatterns...)
	for _, p := range registered {
		if _, ok := routePermissions[p]; !ok {
			t.Errorf("route %q is not in routePermissions (web/permissions.go): add\n\t%q: permXxx,\nwith the permission of the page or API call over the same resource", p, p)
		}
	}
	for p := range routePermissions {
		if !slices.Contains(registered, p) {
			t.Errorf("routePermissions (web/permissions.go) lists %q, which is not registered: remove the entry", p)
		}
	}
	for _, p := range s.patterns {
		if !slices.Contains(documented, p) {
			t.Errorf("route %q is not in web/openapi.json: describe it", p)
		}
	}
	for _, p := range documented {
		if !slices.Contains(s.patterns, p) {
			t.Errorf("web/openapi.json describes %q, which is not registered", p)
		}
	}
	// The document tells clients of every refusal the table makes.
	for _, p := range documented {
		method, path, _ := strings.Cut(p, " ")
		op := doc.Paths.Find(path).GetOperation(method)
		perm := routePermissions[p]
		if !perm.public && op.Responses.Status(http.StatusUnauthorized) == nil {
			t.Errorf("web/openapi.json: %s needs a sign-in but documents no 401", p)
		}
		refuses := false
		for _, who := range walkCallers {
			refuses = refuses || who.user != "" && !perm.allows(who.role)
		}
		if refuses && op.Responses.Status(http.StatusForbidden) == nil {
			t.Errorf("web/openapi.json: %s refuses roles (%s only) but documents no 403", p, rolesText(perm))
		}
	}
	if t.Failed() {
		return
	}

	for _, who := range walkCallers {
		name := who.user
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := walkHarness(t)
			for _, p := range documented {
				h.walk(t, who, p, false)
			}
			for _, p := range s.pagePatterns {
				h.walk(t, who, p, true)
			}
		})
	}
}

// TestRankingRule: 一榜 shows every unit's scores and deductions, so the
// office, leaders and viewers read it and a unit's reporter is refused, on the
// page and in the API alike.
func TestRankingRule(t *testing.T) {
	h := newHarness(t, Config{})
	h.startSessions(t)
	for _, tt := range []struct {
		as   string
		want int
	}{
		{"admin", 200}, {"supervisor", 200}, {"leader", 200}, {"viewer", 200}, {"reporter", 403},
	} {
		for _, path := range []string{"/api/v1/ranking", "/ranking"} {
			got := h.do(t, request{method: "GET", path: path, as: tt.as, offContract: path == "/ranking"})
			if got.status != tt.want {
				t.Errorf("GET %s as %s: %d; want %d", path, tt.as, got.status, tt.want)
			}
		}
	}
}

// walkHarness is the harness with the year 2024 scheduled and one of
// everything a path may name: a report, evidence, an extension, a notice, a notification and a
// channel, and the city account.
func walkHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, Config{})
	ctx := context.Background()
	hash, err := fixtureHash()
	if err != nil {
		t.Fatal(err)
	}
	city := &duban.User{OrgID: h.ids["city"], Username: "city", DisplayName: "市督查室", PasswordHash: hash, Role: duban.RoleSupervisor}
	if err := h.store.CreateUser(ctx, duban.System(h.ids["city"]), city); err != nil {
		t.Fatalf("create the city account: %v", err)
	}
	h.ids["user_city"] = city.ID
	h.startSessions(t)

	must := func(r request, want int) response {
		t.Helper()
		got := h.do(t, r)
		if got.status != want {
			t.Fatalf("walk fixture %s %s: %s", r.method, r.path, got)
		}
		return got
	}
	var sr struct {
		Cycles []duban.Cycle `json:"cycles"`
	}
	must(request{method: "PUT", path: "/api/v1/schedule", as: "admin", body: `{"year":2024,"kind":"monthly","day":28}`}, 200).decode(t, &sr)
	h.ids["cycle1"] = sr.Cycles[0].ID
	var rep duban.Report
	must(request{method: "POST", path: "/api/v1/tasks/{task_a}/reports/{cycle1}/submit", as: "reporter",
		body: `{"progress":"一季度增长5.8%","percent":20}`}, 200).decode(t, &rep)
	h.ids["report"] = rep.ID
	pdf, ct := upload(t, "完成情况.pdf", []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"), nil)
	var ev duban.Evidence
	must(request{method: "POST", path: "/api/v1/tasks/{task_a}/evidence", as: "reporter", body: pdf, contentType: ct}, 201).decode(t, &ev)
	h.ids["evidence"] = ev.ID
	var x duban.Extension
	must(request{method: "POST", path: "/api/v1/tasks/{task_a}/extensions", as: "reporter",
		body: `{"reason":"资金未到位","new_deadline":"2025-03-31"}`}, 201).decode(t, &x)
	h.ids["extension"] = x.ID
	var n duban.Notice
	must(request{method: "POST", path: "/api/v1/notices", as: "supervisor",
		body: `{"task_id":{task_a},"title":"督促加快进度","body":"请说明原因","deadline":"2024-03-10"}`}, 201).decode(t, &n)
	h.ids["notice"] = n.ID
	var notes struct {
		Notifications []duban.Notification `json:"notifications"`
	}
	must(request{method: "GET", path: "/api/v1/notifications", as: "reporter"}, 200).decode(t, &notes)
	if len(notes.Notifications) == 0 {
		t.Fatal("walk fixture: the reporter has no notification")
	}
	h.ids["notification"] = notes.Notifications[0].ID
	var ch duban.Channel
	must(request{method: "POST", path: "/api/v1/channels", as: "admin",
		body: `{"kind":"webhook","name":"督查群","enabled":true,"config":{"url":"http://127.0.0.1:9/hook"}}`}, 201).decode(t, &ch)
	h.ids["channel"] = ch.ID
	var tok tokenCreateResponse
	must(request{method: "POST", path: "/api/v1/tokens", as: "viewer", body: `{"name":"脚本"}`}, 201).decode(t, &tok)
	h.ids["token"] = tok.APIToken.ID
	req, err := h.store.RecordIdentityRequest(ctx, &duban.IdentityRequest{Source: "oidc", Subject: "walk-1", Username: "walker"})
	if err != nil {
		t.Fatal(err)
	}
	h.ids["identity_request"] = req.ID
	// The fixture has no indicators: an unknown one is refused by its
	// permission first, then not found.
	h.ids["indicator"], h.ids["previous"] = 999999, 999998
	return h
}

// walkPath fills a route pattern's path parameters with the fixture's IDs.
func (h *harness) walkPath(t *testing.T, path string) string {
	t.Helper()
	if i := strings.Index(path, "{id}"); i >= 0 {
		name, ok := walkIDs[path[:i+len("{id}")]]
		if !ok {
			t.Fatalf("no fixture for {id} in %s: add %q to walkIDs (web/permissions_test.go)", path, path[:i+len("{id}")])
		}
		path = strings.Replace(path, "{id}", strconv.FormatInt(h.ids[name], 10), 1)
	}
	path = strings.ReplaceAll(path, "{cycle}", strconv.FormatInt(h.ids["cycle1"], 10))
	path = strings.ReplaceAll(path, "{previous}", strconv.FormatInt(h.ids["previous"], 10))
	path = strings.ReplaceAll(path, "{what}", "units")
	path = strings.ReplaceAll(path, "{name...}", "missing.css")
	path = strings.TrimSuffix(path, "{$}")
	if strings.Contains(path, "{") {
		t.Fatalf("walk: cannot fill the parameters of %s: teach walkPath (web/permissions_test.go)", path)
	}
	return path
}

// startSessions gives every fixture user a session started in the store, so
// that h.do's callers skip signing in: hashing a password is slow on purpose,
// and slower still under the race detector.
func (h *harness) startSessions(t *testing.T) {
	t.Helper()
	for name := range h.ids {
		if user, ok := strings.CutPrefix(name, "user_"); ok {
			h.sessions[user] = h.freshSession(t, user)
		}
	}
}

// freshSession starts a session for a fixture user in the store, without
// signing in, and returns its token.
func (h *harness) freshSession(t *testing.T, user string) string {
	t.Helper()
	tok := newToken()
	now := h.clock.Now()
	sess := &duban.Session{TokenHash: hashToken(tok), UserID: h.ids["user_"+user], CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(sessionLifetime)}
	if err := h.store.CreateSession(context.Background(), sess); err != nil {
		t.Fatalf("session of %s: %v", user, err)
	}
	h.secrets = append(h.secrets, tok)
	return tok
}

// walk sends one route as who and compares the answer with routePermissions.
func (h *harness) walk(t *testing.T, who walkCaller, pattern string, page bool) {
	t.Helper()
	method, path, _ := strings.Cut(pattern, " ")
	r := request{method: method, path: h.walkPath(t, path), body: []byte(nil)}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodDelete:
	default:
		if page {
			r.body, r.contentType = []byte("%zz"), "application/x-www-form-urlencoded"
		} else {
			r.body, r.contentType = []byte("{"), "application/json"
		}
	}
	req, err := http.NewRequest(r.method, h.srv.URL+r.path, bytes.NewReader(r.body.([]byte)))
	if err != nil {
		t.Fatal(err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if who.user != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: h.freshSession(t, who.user)})
	}
	// Not h.do: checking each answer against the document is slow under the
	// race detector, and TestRoutesByRole checks the statuses it documents.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", pattern, err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%s: %v", pattern, err)
	}
	got := response{status: resp.StatusCode, header: resp.Header, body: body}
	perm := routePermissions[pattern]
	toLogin := got.status == http.StatusSeeOther && strings.HasPrefix(got.header.Get("Location"), "/login")
	refused := got.status == http.StatusUnauthorized || got.status == http.StatusForbidden || page && toLogin
	var want string
	switch {
	case perm.public || who.user != "" && perm.allows(who.role):
		if refused {
			want = "not refused"
		}
	case who.user == "" && page:
		if !toLogin {
			want = "303 to /login"
		}
	case who.user == "":
		if got.status != http.StatusUnauthorized {
			want = "401"
		}
	default:
		if got.status != http.StatusForbidden {
			want = "403"
		}
	}
	if want != "" {
		t.Errorf("%s as %s: %d %.200s; want %s: routePermissions gives it %s (%s)",
			pattern, callerName(who), got.status, strings.TrimSpace(string(got.body)), want, perm.name, rolesText(perm))
	}
}

func callerName(who walkCaller) string {
	if who.user == "" {
		return "anonymous"
	}
	return fmt.Sprintf("%s (%s)", who.user, who.role)
}

func rolesText(p *permission) string {
	switch {
	case p.public:
		return "anyone"
	case p.roles == nil:
		return "any signed-in role"
	}
	var names []string
	for _, r := range p.roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}
