package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// field returns the value of the first input named name in a page.
func field(t *testing.T, page response, name string) string {
	t.Helper()
	re := regexp.MustCompile(`<input[^>]*name="` + regexp.QuoteMeta(name) + `"[^>]*value="([^"]*)"`)
	m := re.FindStringSubmatch(string(page.body))
	if m == nil {
		t.Fatalf("no input %s in the page", name)
	}
	return html.UnescapeString(m[1])
}

// TestReportLoopPages goes through the loop as the pages do: a unit saves
// a draft as it types, submits, the office returns it, the unit submits
// again, the office approves and, on evidence, closes the task.
func TestReportLoopPages(t *testing.T) {
	h := reportingHarness(t)
	form := h.pageGet(t, "reporter", "/tasks/{task_a}/report/{cycle2}")
	if form.status != 200 || field(t, form, "version") != "0" {
		t.Fatalf("report form: %d", form.status)
	}
	draft := h.do(t, request{method: "PUT", path: "/tasks/{task_a}/report/{cycle2}/draft", as: "reporter", offContract: true,
		body: []byte(url.Values{"progress": {"一季度开工项目12个"}, "version": {"0"}}.Encode()), contentType: "application/x-www-form-urlencoded"})
	if draft.status != 200 || !strings.Contains(draft.text(), "草稿已自动保存") || !strings.Contains(draft.text(), `name="version" value="1"`) {
		t.Fatalf("autosave: %s", draft)
	}
	if got := h.pageGet(t, "reporter", "/tasks/{task_a}/report/{cycle2}"); !strings.Contains(got.text(), "一季度开工项目12个") {
		t.Errorf("the draft is not in the form")
	}

	bad := url.Values{"action": {"submit"}, "version": {"1"}, "progress": {""}, "problems": {"资金缺口较大"}, "percent": {"150"}}
	got := h.pagePost(t, "reporter", "/tasks/{task_a}/report/{cycle2}", bad)
	if got.status != http.StatusBadRequest {
		t.Fatalf("submit without progress: %s", got)
	}
	for _, want := range []string{"提交前请填写进展情况", "请填写 0 到 100 的整数", "资金缺口较大", `value="150"`, `aria-invalid="true"`} {
		if !strings.Contains(got.text(), want) {
			t.Errorf("the form shown again lacks %q", want)
		}
	}
	good := url.Values{"action": {"submit"}, "version": {"1"}, "progress": {"一季度开工项目12个，完成投资3亿元。"}, "percent": {"30"}}
	if got := h.pagePost(t, "reporter", "/tasks/{task_a}/report/{cycle2}", good); got.status != http.StatusSeeOther || got.header.Get("Location") != "/portal?ok=submitted" {
		t.Fatalf("submit: %s %v", got, got.header)
	}

	inbox := h.pageGet(t, "supervisor", "/inbox")
	if !strings.Contains(inbox.text(), "地区生产总值增长6%左右") {
		t.Errorf("the inbox lacks the submitted report")
	}
	task := h.pageGet(t, "supervisor", "/tasks/{task_a}")
	reportID := field(t, task, "report_id")
	got = h.pagePost(t, "supervisor", "/tasks/{task_a}/review", url.Values{"report_id": {reportID}, "decision": {"return"}})
	if got.status != http.StatusBadRequest || !strings.Contains(got.text(), "退回或要求佐证时请填写意见") {
		t.Fatalf("return without a comment: %d", got.status)
	}
	got = h.pagePost(t, "supervisor", "/tasks/{task_a}/review", url.Values{"report_id": {reportID}, "decision": {"return"}, "comment": {"请补充投资完成数据"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("return: %s", got)
	}

	portal := h.pageGet(t, "reporter", "/portal")
	if !strings.Contains(portal.text(), "请补充投资完成数据") || !strings.Contains(portal.text(), "已退回") {
		t.Errorf("the portal does not show the returned report")
	}
	form = h.pageGet(t, "reporter", "/tasks/{task_a}/report/{cycle2}")
	good.Set("version", field(t, form, "version"))
	good.Set("progress", "一季度开工项目12个，完成投资3.2亿元，占年度计划的30%。")
	if got := h.pagePost(t, "reporter", "/tasks/{task_a}/report/{cycle2}", good); got.status != http.StatusSeeOther {
		t.Fatalf("resubmit: %s", got)
	}
	reportID = field(t, h.pageGet(t, "supervisor", "/tasks/{task_a}"), "report_id")
	if got := h.pagePost(t, "supervisor", "/tasks/{task_a}/review", url.Values{"report_id": {reportID}, "decision": {"approve"}, "quality": {"4"}}); got.status != http.StatusSeeOther {
		t.Fatalf("approve: %s", got)
	}

	if got := h.pagePost(t, "supervisor", "/tasks/{task_a}/close", url.Values{"reason": {""}}); got.status != http.StatusBadRequest || !strings.Contains(got.text(), "请填写理由") {
		t.Errorf("close without a reason: %d", got.status)
	}
	body, ct := upload(t, "完成情况.pdf", []byte("%PDF-1.4\n%%EOF\n"), nil)
	if got := h.do(t, request{method: "POST", path: "/tasks/{task_a}/evidence", as: "reporter", body: body, contentType: ct, offContract: true}); got.status != http.StatusSeeOther {
		t.Fatalf("evidence: %s", got)
	}
	exe, ct := upload(t, "报告.pdf", []byte("MZ\x90\x00 not a pdf"), nil)
	if got := h.do(t, request{method: "POST", path: "/tasks/{task_a}/evidence", as: "reporter", body: exe, contentType: ct, offContract: true}); got.status != http.StatusBadRequest || !strings.Contains(got.text(), "field-error") {
		t.Errorf("a renamed executable as evidence: %d", got.status)
	}
	if got := h.pagePost(t, "supervisor", "/tasks/{task_a}/close", url.Values{"reason": {"经核实已完成"}}); got.status != http.StatusSeeOther {
		t.Fatalf("close: %s", got)
	}
	task = h.pageGet(t, "viewer", "/tasks/{task_a}")
	for _, want := range []string{"已销号", "经核实已完成", "完成情况.pdf", "请补充投资完成数据", "30%"} {
		if !strings.Contains(task.text(), want) {
			t.Errorf("the closed task's page lacks %q", want)
		}
	}
	if got := h.pagePost(t, "reporter", "/tasks/{task_a}/close", url.Values{"reason": {"x"}}); got.status != http.StatusForbidden {
		t.Errorf("a unit closing: %d", got.status)
	}
}

// TestFormsKeepWhatWasTyped: a form with errors comes back with what was
// typed and each message next to its field.
func TestFormsKeepWhatWasTyped(t *testing.T) {
	h := reportingHarness(t)
	tests := []struct {
		name, as, path string
		form           url.Values
		status         int
		want           []string
	}{
		{"wrong password", "", "/signin", url.Values{"username": {"supervisor"}, "password": {"wrong-password"}}, 401,
			[]string{`value="supervisor"`, "用户名或密码错误", `id="password-error"`}},
		{"empty sign-in", "", "/signin", url.Values{}, 400, []string{"请输入用户名", "请输入密码"}},
		{"short password", "admin", "/admin/user", url.Values{"username": {"zhangsan"}, "display_name": {"张三"}, "role": {"reporter"}, "password": {"abc"}}, 400,
			[]string{`value="zhangsan"`, `value="张三"`, "密码至少", "单位填报员必须选择所属单位"}},
		{"unit taken", "admin", "/admin/unit", url.Values{"name": {"区发改委"}, "kind": {"unit"}, "aliases": {"发改委"}}, 409,
			[]string{`value="区发改委"`, `value="发改委"`, "field-error"}},
		{"notice without a date", "supervisor", "/tasks/{task_b}/notices", url.Values{"title": {"督促加快进度"}, "body": {"请说明原因"}, "deadline": {"下周"}}, 400,
			[]string{`value="督促加快进度"`, "请说明原因", "请填写日期"}},
		{"extension in the past", "reporter_b", "/tasks/{task_b}/extensions", url.Values{"new_deadline": {"2024-01-01"}, "reason": {"资金未到位"}}, 400,
			[]string{"资金未到位", "新的完成时限应晚于今天"}},
		{"schedule without a year", "admin", "/admin/schedule", url.Values{"year": {"明年"}, "kind": {"monthly"}, "day": {"28"}, "shift": {"before"}}, 400,
			[]string{`value="明年"`, "年度应在 2000 到 2100 之间"}},
		{"channel without a name", "admin", "/admin/channel", url.Values{"kind": {"webhook"}, "url": {"http://127.0.0.1:9/hook"}}, 400,
			[]string{"请填写渠道名称", `value="http://127.0.0.1:9/hook"`}},
		{"person without a name", "admin", "/admin/person", url.Values{"title": {"副区长"}}, 400, []string{`value="副区长"`, "姓名不能为空"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.pagePost(t, tt.as, tt.path, tt.form)
			if got.status != tt.status {
				t.Fatalf("POST %s: %d, want %d\n%.800s", tt.path, got.status, tt.status, got.text())
			}
			for _, want := range tt.want {
				if !strings.Contains(got.text(), want) {
					t.Errorf("POST %s: the page lacks %q", tt.path, want)
				}
			}
		})
	}
	// A stale draft is refused without losing what was typed.
	first := url.Values{"progress": {"第一稿"}, "version": {"0"}, "action": {"save"}}
	if got := h.pagePost(t, "reporter", "/tasks/{task_edit}/report/{cycle2}", first); got.status != http.StatusSeeOther {
		t.Fatalf("save: %s", got)
	}
	stale := url.Values{"progress": {"另一处写的稿"}, "version": {"0"}, "action": {"save"}}
	got := h.pagePost(t, "reporter", "/tasks/{task_edit}/report/{cycle2}", stale)
	if got.status != http.StatusConflict || !strings.Contains(got.text(), "另一处写的稿") || !strings.Contains(got.text(), "已被他人修改") {
		t.Fatalf("a stale save: %d", got.status)
	}
	if v := field(t, got, "version"); v != "1" {
		t.Errorf("version after a conflict: %s", v)
	}
}

// TestAdminPages: the office adds a unit, a group with members, a leader, a
// user and a schedule through the forms.
func TestAdminPages(t *testing.T) {
	h := newHarness(t, Config{})
	steps := []struct {
		path string
		form url.Values
	}{
		{"/admin/unit", url.Values{"name": {"解放碑街道"}, "kind": {"unit"}}},
		{"/admin/unit", url.Values{"name": {"各街道"}, "kind": {"group"}}},
		{"/admin/person", url.Values{"name": {"陈平"}, "title": {"副区长"}}},
		{"/admin/user", url.Values{"username": {"jiefangbei"}, "role": {"reporter"}, "unit_id": {h.expand("{unit_a}")}, "password": {"long-enough-1"}}},
		{"/admin/schedule", url.Values{"year": {"2024"}, "kind": {"quarterly"}, "day": {"10"}, "grace_days": {"0"}, "shift": {"before"}}},
		{"/admin/org", url.Values{"name": {"渝中区下属园区"}}},
	}
	for _, s := range steps {
		if got := h.pagePost(t, "admin", s.path, s.form); got.status != http.StatusSeeOther {
			t.Fatalf("POST %s: %d\n%.600s", s.path, got.status, got.text())
		}
	}
	units := h.pageGet(t, "admin", "/admin?tab=units").text()
	m := regexp.MustCompile(`<a href="/admin/units/(\d+)">各街道</a>`).FindStringSubmatch(units)
	street := regexp.MustCompile(`<a href="/admin/units/(\d+)">解放碑街道</a>`).FindStringSubmatch(units)
	if m == nil || street == nil {
		t.Fatalf("units page lacks the new units")
	}
	got := h.pagePost(t, "admin", "/admin/units/"+m[1], url.Values{"name": {"各街道"}, "aliases": {"全区各街道"}, "group": {"1"}, "member": {street[1]}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("set members: %s", got)
	}
	if page := h.pageGet(t, "admin", "/admin?tab=units").text(); !strings.Contains(page, "全区各街道") {
		t.Errorf("the group's alias is not shown")
	}
	if page := h.pageGet(t, "admin", "/admin?tab=cycles").text(); !strings.Contains(page, "2024年第一季度") {
		t.Errorf("the quarterly cycles are not shown")
	}
	if page := h.pageGet(t, "admin", "/admin?tab=users").text(); !strings.Contains(page, "jiefangbei") {
		t.Errorf("the new user is not listed")
	}
	h.session(t, "viewer")
	id := h.expand("{user_viewer}")
	if got := h.pagePost(t, "admin", "/admin/user-update", url.Values{"id": {id}, "op": {"disable"}}); got.status != http.StatusSeeOther {
		t.Fatalf("disable: %s", got)
	}
	if got := h.pageGet(t, "viewer", "/dashboard"); got.status == http.StatusOK {
		t.Errorf("a disabled user still sees pages: %d", got.status)
	}
}
