package web

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"duban/importer"
	"duban/ingest"
)

// pageGet fetches a page as a fixture user ("" for nobody).
func (h *harness) pageGet(t *testing.T, as, path string) response {
	t.Helper()
	return h.do(t, request{method: "GET", path: path, as: as, offContract: true})
}

// pagePost posts a form as a fixture user.
func (h *harness) pagePost(t *testing.T, as, path string, form url.Values) response {
	t.Helper()
	return h.do(t, request{method: "POST", path: path, as: as, offContract: true,
		body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded"})
}

// text is a page's body with its HTML entities decoded, for substring checks.
func (r response) text() string { return html.UnescapeString(string(r.body)) }

// TestPagesByRole: every page answers every role over real HTTP as the
// roles allow; a page outside a role is 403, a task outside the scope 404.
func TestPagesByRole(t *testing.T) {
	h := reportingHarness(t)
	all := []string{"admin", "supervisor", "leader", "reporter", "reporter_b", "viewer"}
	ok := func(users ...string) map[string]int {
		m := map[string]int{}
		for _, u := range all {
			m[u] = http.StatusForbidden
		}
		for _, u := range users {
			m[u] = http.StatusOK
		}
		return m
	}
	everyone := ok(all...)
	tests := []struct {
		path string
		want map[string]int
		// wantText is a string each page that answers 200 holds.
		wantText string
	}{
		{"/dashboard", everyone, "一图总览"},
		{"/tasks", everyone, "任务台账"},
		{"/tasks?section=" + url.QueryEscape("一、主要预期指标") + "&status=not_started&q=" + url.QueryEscape("增长"), everyone, "任务台账"},
		{"/tasks/{task_ab}", everyone, "新增首店品牌50个"},
		{"/tasks/{task_a}", func() map[string]int { m := ok(all...); m["reporter_b"] = 404; return m }(), "地区生产总值增长6%左右"},
		{"/portal", ok("reporter", "reporter_b"), "本单位任务"},
		{"/tasks/{task_a}/report/{cycle1}", func() map[string]int { m := ok("reporter"); m["reporter_b"] = 404; return m }(), "进展情况"},
		{"/tasks/{task_ab}/report/{cycle1}", ok("reporter", "reporter_b"), "进展情况"},
		{"/inbox", ok("admin", "supervisor"), "待审核报告"},
		{"/ranking", ok("admin", "supervisor", "leader", "viewer"), "单位排名"},
		{"/indicators", everyone, "指标"},
		{"/import", ok("admin"), "上传并预览"},
		{"/ledger/edits", ok("admin", "supervisor", "reporter", "reporter_b"), "上传并核对"},
		{"/admin", ok("admin"), "新增下级组织"},
		{"/admin?tab=units", ok("admin"), "区商务局"},
		{"/admin?tab=people", ok("admin"), "邓光怀"},
		{"/admin?tab=users", ok("admin"), "reporter_b"},
		{"/admin?tab=cycles", ok("admin"), "2024年3月"},
		{"/admin?tab=channels", ok("admin"), "新增通知渠道"},
		{"/admin/units/{unit_b}", ok("admin"), "区商务局"},
	}
	for _, tt := range tests {
		for _, user := range all {
			t.Run(user+tt.path, func(t *testing.T) {
				got := h.pageGet(t, user, tt.path)
				if got.status != tt.want[user] {
					t.Fatalf("GET %s as %s: %d, want %d\n%.600s", tt.path, user, got.status, tt.want[user], got.body)
				}
				if ct := got.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("content type %q", ct)
				}
				if got.status == http.StatusOK && !strings.Contains(got.text(), tt.wantText) {
					t.Errorf("GET %s as %s lacks %q", tt.path, user, tt.wantText)
				}
				if csp := got.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
					t.Errorf("Content-Security-Policy %q", csp)
				}
			})
		}
	}
}

// TestPagesNeedSignIn: a page without a session goes to the sign-in page
// and comes back after it.
func TestPagesNeedSignIn(t *testing.T) {
	h := newHarness(t, Config{})
	got := h.pageGet(t, "", "/tasks?light=red")
	if got.status != http.StatusSeeOther || got.header.Get("Location") != "/login?next="+url.QueryEscape("/tasks?light=red") {
		t.Fatalf("GET /tasks: %d Location %q", got.status, got.header.Get("Location"))
	}
	if got := h.pageGet(t, "", "/login"); got.status != 200 || !strings.Contains(got.text(), `name="username"`) {
		t.Fatalf("GET /login: %s", got)
	}
	form := url.Values{"username": {"supervisor"}, "password": {testPassword}, "next": {"/tasks?light=red"}}
	got = h.pagePost(t, "", "/signin", form)
	if got.status != http.StatusSeeOther || got.header.Get("Location") != "/tasks?light=red" {
		t.Fatalf("sign in: %d Location %q", got.status, got.header.Get("Location"))
	}
	form.Set("next", "//elsewhere.example")
	if got = h.pagePost(t, "", "/signin", form); got.header.Get("Location") != "/" {
		t.Errorf("sign in to another site: Location %q", got.header.Get("Location"))
	}
	if got := h.pageGet(t, "reporter", "/"); got.header.Get("Location") != "/portal" {
		t.Errorf("a reporter's home: %q", got.header.Get("Location"))
	}
	if got := h.pageGet(t, "leader", "/"); got.header.Get("Location") != "/dashboard" {
		t.Errorf("a leader's home: %q", got.header.Get("Location"))
	}
}

// TestReporterSeesOnlyTheirUnit: no page shows unit B's reporter a task
// that only unit A holds, nor anyone a task of another district.
func TestReporterSeesOnlyTheirUnit(t *testing.T) {
	h := reportingHarness(t)
	onlyA := []string{"地区生产总值增长6%左右", "空气质量优良天数达到300天"}
	pages := []string{"/dashboard", "/tasks", "/tasks?q=" + url.QueryEscape("地区生产总值"), "/portal",
		"/tasks/{task_a}", "/tasks/{task_edit}", "/tasks/{task_b}", "/tasks/{task_ab}", "/tasks/{task_a}/report/{cycle1}",
		"/indicators", "/inbox", "/ranking"}
	for _, p := range pages {
		got := h.pageGet(t, "reporter_b", p)
		for _, s := range onlyA {
			if strings.Contains(got.text(), s) {
				t.Errorf("reporter_b sees %q on %s (%d)", s, p, got.status)
			}
		}
		for _, user := range []string{"reporter_b", "reporter", "admin", "supervisor"} {
			if strings.Contains(h.pageGet(t, user, p).text(), "江北区的任务") {
				t.Errorf("%s sees org B's task on %s", user, p)
			}
		}
	}
	if got := h.pageGet(t, "reporter_b", "/tasks"); !strings.Contains(got.text(), "社会消费品零售总额增长7.5%") ||
		!strings.Contains(got.text(), "新增首店品牌50个") {
		t.Errorf("reporter_b's ledger lacks their own tasks")
	}
	if got := h.pageGet(t, "reporter", "/tasks/{task_other}"); got.status != http.StatusNotFound {
		t.Errorf("org B's task for reporter A: %d", got.status)
	}
}

// TestMessages: every key the pages use is in the table in both
// languages, and ?lang=en gives English pages and remembers it.
func TestMessages(t *testing.T) {
	for k, m := range messages {
		if strings.TrimSpace(m.zh) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("message %s is empty in a language", k)
		}
		if strings.Count(m.zh, "%") != strings.Count(m.en, "%") {
			t.Errorf("message %s: the languages format differently: %q %q", k, m.zh, m.en)
		}
	}
	used := regexp.MustCompile(`\.Tf? "([a-z_.]+)"|\bT\("([a-z_.]+)"\)|\bTf\("([a-z_.]+)"`)
	files, _ := filepath.Glob("templates/*.html")
	goFiles, _ := filepath.Glob("page*.go")
	goFiles = slices.DeleteFunc(append(goFiles, "pages.go"), func(f string) bool { return strings.HasSuffix(f, "_test.go") })
	for _, f := range append(files, goFiles...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2] + m[3]
			if _, ok := messages[key]; !ok {
				t.Errorf("%s uses message %q, which is not in the table", f, key)
			}
		}
	}
	// Keys built from values: every value must have its message.
	for _, prefix := range []string{"status.", "light.", "role.", "report.", "decision.", "notice.", "ext.", "verdict.", "delivery.", "kind.", "admin.tab.", "admin.kind.", "admin.ch.", "import.status.", "import.col.", "import.how."} {
		var values []string
		switch prefix {
		case "status.":
			values = []string{"not_started", "on_track", "behind", "done", "closed"}
		case "light.":
			values = []string{"red", "yellow", "green", "none"}
		case "role.":
			values = []string{"admin", "supervisor", "leader", "reporter", "viewer"}
		case "report.":
			values = []string{"draft", "submitted", "returned", "evidence_requested", "approved"}
		case "decision.":
			values = []string{"approve", "return", "request_evidence"}
		case "notice.":
			values = []string{"open", "responded", "closed"}
		case "ext.":
			values = []string{"pending", "approved", "rejected"}
		case "verdict.":
			values = []string{"met", "missed", "borderline", "pending", "not_applicable"}
		case "delivery.":
			values = []string{"pending", "sent", "failed"}
		case "kind.":
			values = []string{"decomposition", "plan_report", "work_report", "other"}
		case "admin.tab.":
			values = adminTabs
		case "admin.kind.":
			values = []string{"unit", "group"}
		case "admin.ch.":
			values = []string{"email", "dingtalk", "wecom", "webhook"}
		case "import.status.":
			values = []string{importer.TaskCreated, importer.TaskUpdated, importer.TaskUnchanged, importer.TaskDropped, importer.TaskRepeated}
		case "import.col.":
			for _, r := range ingest.ColumnRoles {
				values = append(values, string(r))
			}
		case "import.how.":
			values = []string{importer.UnitExisting, importer.UnitAlias, importer.UnitMerged, importer.UnitNew}
		}
		for _, v := range values {
			if _, ok := messages[prefix+v]; !ok {
				t.Errorf("no message %s%s", prefix, v)
			}
		}
	}

	h := newHarness(t, Config{})
	got := h.pageGet(t, "supervisor", "/dashboard?lang=en")
	if !strings.Contains(got.text(), `lang="en"`) || !strings.Contains(got.text(), "Overview") || strings.Contains(got.text(), "一图总览") {
		t.Errorf("?lang=en did not give English")
	}
	var cookie string
	for _, c := range (&http.Response{Header: got.header}).Cookies() {
		if c.Name == langCookie {
			cookie = c.Value
		}
	}
	if cookie != "en" {
		t.Errorf("language cookie %q", cookie)
	}
	en := h.do(t, request{method: "GET", path: "/tasks", as: "supervisor", offContract: true,
		header: http.Header{"Cookie": {langCookie + "=en"}}})
	if !strings.Contains(en.text(), "Ledger") {
		t.Errorf("the cookie did not keep English")
	}
}

// TestStaticFiles: static files are served under their content hash with a
// year of caching, gzipped when asked; other names are not found.
func TestStaticFiles(t *testing.T) {
	h := newHarness(t, Config{})
	page := h.pageGet(t, "admin", "/dashboard").text()
	links := regexp.MustCompile(`/static/[a-z/.]+\.[0-9a-f]{10}\.(?:css|js)`).FindAllString(page, -1)
	if len(links) < 3 {
		t.Fatalf("static links in the page: %v", links)
	}
	for _, l := range links {
		req, _ := http.NewRequest("GET", h.srv.URL+l, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") ||
			resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s: %d %q %q", l, resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Encoding"))
		}
	}
	if got := h.pageGet(t, "", "/static/app.css"); got.status != http.StatusNotFound {
		t.Errorf("an unhashed name: %d", got.status)
	}
	for _, f := range []string{"vendor/htmx.min.js", "vendor/echarts.min.js", "vendor/htmx.LICENSE.txt", "vendor/echarts.LICENSE.txt"} {
		if _, err := staticFS.ReadFile("static/" + f); err != nil {
			t.Errorf("vendored file missing: %v", err)
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Errorf("the page refers to another site")
	}
}

// TestRankingPage: the ranking shows each unit's score, how it was made and
// the rules, in either language.
func TestRankingPage(t *testing.T) {
	h := reportingHarness(t)
	got := h.pageGet(t, "leader", "/ranking")
	for _, want := range []string{"单位排名", "计分规则", "区发改委", "区商务委", "数据截至"} {
		if !strings.Contains(got.text(), want) {
			t.Errorf("ranking lacks %q", want)
		}
	}
	if en := h.pageGet(t, "leader", "/ranking?lang=en"); !strings.Contains(en.text(), "Leaders' portfolios") {
		t.Errorf("the English ranking lacks its headings")
	}
}
