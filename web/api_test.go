package web

import (
	"net/http"
	"strings"
	"testing"
)

// scenario is one request of the API matrix and what it must answer.
type scenario struct {
	name string
	request
	want     int
	contains []string
	excludes []string
}

// TestAPIMatrix walks every role (and an anonymous caller) through the API:
// what each may read, what each may change, and what is refused. Rows run in
// order on one ledger; the rows that change data change distinct things.
func TestAPIMatrix(t *testing.T) {
	h := newHarness(t, Config{})
	get := func(as, path string) request { return request{method: "GET", path: path, as: as} }
	send := func(as, method, path, body string) request {
		return request{method: method, path: path, as: as, body: body}
	}
	offContract := func(r request) request { r.offContract = true; return r }

	tests := []scenario{
		// Anonymous callers see the spec and nothing else.
		{name: "anonymous reads the spec", request: get("", "/api/v1/openapi.json"), want: 200, contains: []string{`"openapi"`, "/api/v1/tasks"}},
		{name: "anonymous me", request: get("", "/api/v1/me"), want: 401, contains: []string{`"unauthorized"`, "请先登录"}},
		{name: "anonymous tasks", request: get("", "/api/v1/tasks"), want: 401},
		{name: "anonymous task", request: get("", "/api/v1/tasks/{task_a}"), want: 401},
		{name: "anonymous task edit", request: send("", "PATCH", "/api/v1/tasks/{task_a}", `{"version":1,"note":"x"}`), want: 401},
		{name: "anonymous orgs", request: get("", "/api/v1/orgs"), want: 401},
		{name: "anonymous units", request: get("", "/api/v1/units"), want: 401},
		{name: "anonymous unit create", request: send("", "POST", "/api/v1/units", `{"name":"区财政局"}`), want: 401},
		{name: "anonymous documents", request: get("", "/api/v1/documents"), want: 401},
		{name: "anonymous document content", request: get("", "/api/v1/documents/{doc_a}/content"), want: 401},
		{name: "anonymous indicators", request: get("", "/api/v1/indicators"), want: 401},
		{name: "anonymous users", request: get("", "/api/v1/users"), want: 401},
		{name: "anonymous audit", request: get("", "/api/v1/audit"), want: 401},
		{name: "anonymous token", request: send("", "POST", "/api/v1/tokens", `{"name":"x"}`), want: 401},
		{name: "anonymous sign-out", request: request{method: "DELETE", path: "/api/v1/session"}, want: 204},
		{name: "bad token", request: request{method: "GET", path: "/api/v1/tasks", token: "dbn_nope"}, want: 401, contains: []string{"令牌无效"}},
		{name: "garbage cookie", request: offContract(request{method: "GET", path: "/api/v1/me",
			header: http.Header{"Cookie": {sessionCookie + "=forged"}}}), want: 401},
		{name: "unknown api path", request: offContract(get("admin", "/api/v1/nothing")), want: 404, contains: []string{`"not_found"`}},

		// admin: everything in their organisation.
		{name: "admin me", request: get("admin", "/api/v1/me"), want: 200, contains: []string{`"role":"admin"`, "渝中区"}},
		{name: "admin orgs", request: get("admin", "/api/v1/orgs"), want: 200, contains: []string{"渝中区"}, excludes: []string{"重庆市", "江北区"}},
		{name: "admin org create", request: send("admin", "POST", "/api/v1/orgs", `{"name":"解放碑街道"}`), want: 201, contains: []string{"解放碑街道", `"parent_id":{org_a}`}},
		{name: "admin org create above", request: send("admin", "POST", "/api/v1/orgs", `{"name":"某区","parent_id":{city}}`), want: 404},
		{name: "admin org create blank", request: offContract(send("admin", "POST", "/api/v1/orgs", `{"name":" "}`)), want: 400, contains: []string{"组织名称不能为空"}},
		{name: "admin rollup", request: get("admin", "/api/v1/orgs/{org_a}/rollup"), want: 200, contains: []string{"渝中区", `"tasks":4`, `"not_started":4`}},
		{name: "admin rollup of the city above", request: get("admin", "/api/v1/orgs/{city}/rollup"), want: 404},
		{name: "admin rollup of another district", request: get("admin", "/api/v1/orgs/{org_b}/rollup"), want: 404},
		{name: "admin units", request: get("admin", "/api/v1/units"), want: 200, contains: []string{"区发改委", "区商务局"}},
		{name: "admin units of another district", request: get("admin", "/api/v1/units?org_id={org_b}"), want: 404},
		{name: "admin unit create", request: send("admin", "POST", "/api/v1/units", `{"name":"区财政局","aliases":["区财政局 ", "财政局"]}`), want: 201, contains: []string{"区财政局", `"aliases":["财政局"]`, `"kind":"unit"`}},
		{name: "admin group create", request: send("admin", "POST", "/api/v1/units", `{"name":"各相关部门","kind":"group","member_ids":[{unit_a},{unit_b}]}`), want: 201, contains: []string{`"member_ids":[{unit_a},{unit_b}]`}},
		{name: "admin unit create taken", request: send("admin", "POST", "/api/v1/units", `{"name":"区发改委"}`), want: 409, contains: []string{`"conflict"`}},
		{name: "admin unit create unknown field", request: offContract(send("admin", "POST", "/api/v1/units", `{"name":"区教委","parent":1}`)), want: 400, contains: []string{"未知字段"}},
		{name: "admin unit create not json", request: offContract(request{method: "POST", path: "/api/v1/units", as: "admin", body: []byte("name=x"), contentType: "application/x-www-form-urlencoded"}), want: 400, contains: []string{"JSON"}},
		{name: "admin unit create bad json", request: offContract(send("admin", "POST", "/api/v1/units", `{"name":`)), want: 400, contains: []string{"不是有效的 JSON"}},
		{name: "admin unit update", request: send("admin", "PATCH", "/api/v1/units/{unit_b}", `{"aliases":["区商务局","商务委"]}`), want: 200, contains: []string{`"aliases":["区商务局","商务委"]`}},
		{name: "admin unit update missing", request: send("admin", "PATCH", "/api/v1/units/999999", `{"name":"x"}`), want: 404},
		{name: "admin unit update bad id", request: offContract(send("admin", "PATCH", "/api/v1/units/abc", `{"name":"x"}`)), want: 400},
		{name: "admin people", request: get("admin", "/api/v1/people"), want: 200, contains: []string{"邓光怀", "副区长"}},
		{name: "admin person create", request: send("admin", "POST", "/api/v1/people", `{"name":"陈平","title":"副区长","portfolio":"商贸"}`), want: 201, contains: []string{"陈平", "商贸"}},
		{name: "admin documents", request: get("admin", "/api/v1/documents"), want: 200, contains: []string{"fixture_a.txt"}, excludes: []string{"fixture_b.txt"}},
		{name: "admin document", request: get("admin", "/api/v1/documents/{doc_a}"), want: 200, contains: []string{"fixture_a.txt", `"sha256"`}, excludes: []string{`"content"`}},
		{name: "admin document of another district", request: get("admin", "/api/v1/documents/{doc_b}"), want: 404},
		{name: "admin document content", request: get("admin", "/api/v1/documents/{doc_a}/content"), want: 200, contains: []string{"fixture fixture_a.txt"}},
		{name: "admin document content of another district", request: get("admin", "/api/v1/documents/{doc_b}/content"), want: 404},
		{name: "admin tasks", request: get("admin", "/api/v1/tasks"), want: 200, contains: []string{`"total":4`, `"limit":50`, "地区生产总值", "社会消费品"}, excludes: []string{"江北区的任务"}},
		{name: "admin tasks page", request: get("admin", "/api/v1/tasks?limit=2&offset=1"), want: 200, contains: []string{`"total":4`, `"limit":2`, `"offset":1`, "社会消费品"}, excludes: []string{"地区生产总值"}},
		{name: "admin tasks by unit", request: get("admin", "/api/v1/tasks?unit_id={unit_b}"), want: 200, contains: []string{`"total":2`}},
		{name: "admin tasks by leader", request: get("admin", "/api/v1/tasks?leader_id={person}&year=2024&section=一、主要预期指标&status=not_started"), want: 200, contains: []string{`"total":4`}},
		{name: "admin tasks search", request: get("admin", "/api/v1/tasks?q=首店"), want: 200, contains: []string{`"total":1`, "首店品牌"}},
		{name: "admin tasks of the city above", request: get("admin", "/api/v1/tasks?org_id={city}&rollup=true"), want: 404},
		{name: "admin tasks bad status", request: offContract(get("admin", "/api/v1/tasks?status=finished")), want: 400, contains: []string{"status"}},
		{name: "admin tasks bad year", request: offContract(get("admin", "/api/v1/tasks?year=今年")), want: 400, contains: []string{"year"}},
		{name: "admin tasks limit too big", request: offContract(get("admin", "/api/v1/tasks?limit=501")), want: 400, contains: []string{"limit"}},
		{name: "admin task", request: get("admin", "/api/v1/tasks/{task_a}"), want: 200, contains: []string{"地区生产总值", `"leaders":["邓光怀"]`, `"lead_units":["区发改委"]`, `"version":1`}},
		{name: "admin task of another district", request: get("admin", "/api/v1/tasks/{task_other}"), want: 404},
		{name: "admin task missing", request: get("admin", "/api/v1/tasks/999999"), want: 404, contains: []string{"任务"}},
		{name: "admin task edit", request: send("admin", "PATCH", "/api/v1/tasks/{task_a}", `{"version":1,"note":"管理员备注","lead_unit_ids":[{unit_a}],"responsible_unit_ids":[]}`), want: 200, contains: []string{"管理员备注", `"version":2`, `"lead_units":["区发改委"]`, `"responsible_units":[]`}},
		{name: "admin task edit without version", request: offContract(send("admin", "PATCH", "/api/v1/tasks/{task_a}", `{"note":"x"}`)), want: 400, contains: []string{"version"}},
		{name: "admin task edit of status", request: offContract(send("admin", "PATCH", "/api/v1/tasks/{task_a}", `{"version":2,"status":"done"}`)), want: 400, contains: []string{"未知字段"}},
		{name: "admin task edit blank content", request: offContract(send("admin", "PATCH", "/api/v1/tasks/{task_a}", `{"version":2,"content":"  "}`)), want: 400, contains: []string{"任务内容不能为空"}},
		{name: "admin task edit of another district", request: send("admin", "PATCH", "/api/v1/tasks/{task_other}", `{"version":1,"note":"x"}`), want: 404},
		{name: "admin indicators", request: get("admin", "/api/v1/indicators?year=2024"), want: 200, contains: []string{`"indicators":[]`}},
		{name: "admin users", request: get("admin", "/api/v1/users"), want: 200, contains: []string{"reporter_b", `"role":"viewer"`}, excludes: []string{"admin_b", "password", "argon2"}},
		{name: "admin user create", request: send("admin", "POST", "/api/v1/users", `{"username":"clerk","password":"long enough 1","role":"reporter","unit_id":{unit_a}}`), want: 201, contains: []string{`"username":"clerk"`, `"display_name":"clerk"`}, excludes: []string{"password", "long enough"}},
		{name: "admin user create taken", request: send("admin", "POST", "/api/v1/users", `{"username":"viewer","password":"long enough 1","role":"viewer"}`), want: 409},
		{name: "admin user create short password", request: offContract(send("admin", "POST", "/api/v1/users", `{"username":"clerk2","password":"short","role":"viewer"}`)), want: 400, contains: []string{"密码至少"}},
		{name: "admin user create reporter without unit", request: send("admin", "POST", "/api/v1/users", `{"username":"clerk3","password":"long enough 1","role":"reporter"}`), want: 400, contains: []string{"单位"}},
		{name: "admin user create bad role", request: offContract(send("admin", "POST", "/api/v1/users", `{"username":"clerk4","password":"long enough 1","role":"root"}`)), want: 400, contains: []string{"角色"}},
		{name: "admin user update", request: send("admin", "PATCH", "/api/v1/users/{user_viewer}", `{"display_name":"人大办"}`), want: 200, contains: []string{"人大办"}},
		{name: "admin user update clears unit of reporter", request: send("admin", "PATCH", "/api/v1/users/{user_reporter_b}", `{"unit_id":null}`), want: 400},
		{name: "admin disables self", request: send("admin", "PATCH", "/api/v1/users/{user_admin}", `{"disabled":true}`), want: 400, contains: []string{"不能停用自己"}},
		{name: "admin user of another district", request: send("admin", "PATCH", "/api/v1/users/{user_admin_b}", `{"display_name":"x"}`), want: 404},
		{name: "admin audit", request: get("admin", "/api/v1/audit"), want: 200, contains: []string{"task.update", `"total":`}},
		{name: "admin audit of a task", request: get("admin", "/api/v1/audit?entity=task&entity_id={task_a}&limit=5"), want: 200, contains: []string{"task.update", "管理员备注"}},
		{name: "admin preview without file", request: offContract(request{method: "POST", path: "/api/v1/documents/preview", as: "admin",
			body: []byte("--b\r\nContent-Disposition: form-data; name=\"merges\"\r\n\r\n{}\r\n--b--\r\n"), contentType: "multipart/form-data; boundary=b"}), want: 400, contains: []string{"缺少上传文件"}},
		{name: "admin preview as json", request: offContract(send("admin", "POST", "/api/v1/documents/preview", `{}`)), want: 400, contains: []string{"multipart"}},

		// supervisor: reads everything, edits tasks, manages nothing else.
		{name: "supervisor tasks", request: get("supervisor", "/api/v1/tasks"), want: 200, contains: []string{`"total":4`}},
		{name: "supervisor task edit", request: send("supervisor", "PATCH", "/api/v1/tasks/{task_b}", `{"version":1,"deadline":"2024年6月底"}`), want: 200, contains: []string{"2024年6月底", `"version":2`}},
		{name: "supervisor rollup", request: get("supervisor", "/api/v1/orgs/{org_a}/rollup"), want: 200},
		{name: "supervisor audit", request: get("supervisor", "/api/v1/audit?entity=task"), want: 200, contains: []string{"2024年6月底"}},
		{name: "supervisor org create", request: send("supervisor", "POST", "/api/v1/orgs", `{"name":"某街道"}`), want: 403, contains: []string{`"forbidden"`}},
		{name: "supervisor unit create", request: send("supervisor", "POST", "/api/v1/units", `{"name":"区审计局"}`), want: 403},
		{name: "supervisor unit update", request: send("supervisor", "PATCH", "/api/v1/units/{unit_a}", `{"name":"x"}`), want: 403},
		{name: "supervisor person create", request: send("supervisor", "POST", "/api/v1/people", `{"name":"张三"}`), want: 403},
		{name: "supervisor users", request: get("supervisor", "/api/v1/users"), want: 403},
		{name: "supervisor user create", request: send("supervisor", "POST", "/api/v1/users", `{"username":"x1","password":"long enough 1","role":"admin"}`), want: 403},
		{name: "supervisor user update", request: send("supervisor", "PATCH", "/api/v1/users/{user_supervisor}", `{"role":"admin"}`), want: 403},
		{name: "supervisor document import", request: multipartRequest(t, "supervisor", "/api/v1/documents", map[string]string{"fingerprint": "x"}), want: 403},

		// leader: reads the whole picture, changes nothing.
		{name: "leader me", request: get("leader", "/api/v1/me"), want: 200, contains: []string{`"person_id":{person}`}},
		{name: "leader tasks", request: get("leader", "/api/v1/tasks"), want: 200, contains: []string{`"total":4`}},
		{name: "leader tasks of their portfolio", request: get("leader", "/api/v1/tasks?leader_id={person}"), want: 200, contains: []string{`"total":4`}},
		{name: "leader task", request: get("leader", "/api/v1/tasks/{task_b}"), want: 200},
		{name: "leader rollup", request: get("leader", "/api/v1/orgs/{org_a}/rollup"), want: 200},
		{name: "leader documents", request: get("leader", "/api/v1/documents"), want: 200},
		{name: "leader task edit", request: send("leader", "PATCH", "/api/v1/tasks/{task_a}", `{"version":2,"note":"x"}`), want: 403},
		{name: "leader unit create", request: send("leader", "POST", "/api/v1/units", `{"name":"区审计局"}`), want: 403},
		{name: "leader org create", request: send("leader", "POST", "/api/v1/orgs", `{"name":"某街道"}`), want: 403},
		{name: "leader users", request: get("leader", "/api/v1/users"), want: 403},
		{name: "leader audit", request: get("leader", "/api/v1/audit"), want: 403},
		{name: "leader preview", request: multipartRequest(t, "leader", "/api/v1/documents/preview", nil), want: 403},

		// reporter of unit A: only the tasks unit A holds.
		{name: "reporter me", request: get("reporter", "/api/v1/me"), want: 200, contains: []string{`"role":"reporter"`, `"unit_id":{unit_a}`}},
		{name: "reporter tasks", request: get("reporter", "/api/v1/tasks"), want: 200, contains: []string{`"total":3`, "地区生产总值", "首店品牌"}, excludes: []string{"社会消费品"}},
		{name: "reporter tasks filtered to unit B", request: get("reporter", "/api/v1/tasks?unit_id={unit_b}"), want: 200, contains: []string{"首店品牌"}, excludes: []string{"社会消费品"}},
		{name: "reporter tasks searching unit B's", request: get("reporter", "/api/v1/tasks?q=社会消费品"), want: 200, contains: []string{`"total":0`, `"tasks":[]`}},
		{name: "reporter own task", request: get("reporter", "/api/v1/tasks/{task_a}"), want: 200},
		{name: "reporter shared task", request: get("reporter", "/api/v1/tasks/{task_ab}"), want: 200},
		{name: "reporter unit B's task", request: get("reporter", "/api/v1/tasks/{task_b}"), want: 404, contains: []string{`"not_found"`}},
		{name: "reporter edits unit B's task", request: send("reporter", "PATCH", "/api/v1/tasks/{task_b}", `{"version":2,"note":"x"}`), want: 403},
		{name: "reporter edits own task", request: send("reporter", "PATCH", "/api/v1/tasks/{task_a}", `{"version":2,"note":"x"}`), want: 403},
		{name: "reporter units", request: get("reporter", "/api/v1/units"), want: 200},
		{name: "reporter rollup", request: get("reporter", "/api/v1/orgs/{org_a}/rollup"), want: 403},
		{name: "reporter audit", request: get("reporter", "/api/v1/audit"), want: 403},
		{name: "reporter users", request: get("reporter", "/api/v1/users"), want: 403},
		{name: "reporter unit create", request: send("reporter", "POST", "/api/v1/units", `{"name":"区审计局"}`), want: 403},
		{name: "reporter person create", request: send("reporter", "POST", "/api/v1/people", `{"name":"张三"}`), want: 403},
		{name: "reporter import", request: multipartRequest(t, "reporter", "/api/v1/documents", map[string]string{"fingerprint": "x"}), want: 403},
		{name: "reporter B tasks", request: get("reporter_b", "/api/v1/tasks"), want: 200, contains: []string{`"total":2`, "社会消费品", "首店品牌"}, excludes: []string{"地区生产总值"}},
		{name: "reporter B unit A's task", request: get("reporter_b", "/api/v1/tasks/{task_a}"), want: 404},

		// viewer: reads, changes nothing.
		{name: "viewer tasks", request: get("viewer", "/api/v1/tasks"), want: 200, contains: []string{`"total":4`}},
		{name: "viewer task", request: get("viewer", "/api/v1/tasks/{task_ab}"), want: 200},
		{name: "viewer rollup", request: get("viewer", "/api/v1/orgs/{org_a}/rollup"), want: 200},
		{name: "viewer indicators", request: get("viewer", "/api/v1/indicators"), want: 200},
		{name: "viewer people", request: get("viewer", "/api/v1/people"), want: 200},
		{name: "viewer task edit", request: send("viewer", "PATCH", "/api/v1/tasks/{task_a}", `{"version":2,"note":"x"}`), want: 403},
		{name: "viewer person create", request: send("viewer", "POST", "/api/v1/people", `{"name":"张三"}`), want: 403},
		{name: "viewer unit update", request: send("viewer", "PATCH", "/api/v1/units/{unit_a}", `{"name":"x"}`), want: 403},
		{name: "viewer users", request: get("viewer", "/api/v1/users"), want: 403},
		{name: "viewer audit", request: get("viewer", "/api/v1/audit"), want: 403},
		{name: "viewer import", request: multipartRequest(t, "viewer", "/api/v1/documents", map[string]string{"fingerprint": "x"}), want: 403},
		{name: "viewer token", request: send("viewer", "POST", "/api/v1/tokens", `{"name":"脚本"}`), want: 201, contains: []string{`"token":"dbn_`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, s := range tt.contains {
				tt.contains[i] = h.expand(s)
			}
			got := h.do(t, tt.request)
			if got.status != tt.want {
				t.Errorf("%s %s as %q: status %d, want %d; body %s", tt.method, tt.path, tt.as, got.status, tt.want, got.body)
			}
			for _, s := range tt.contains {
				if !strings.Contains(string(got.body), s) {
					t.Errorf("body lacks %q: %s", s, got.body)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(string(got.body), s) {
					t.Errorf("body has %q: %s", s, got.body)
				}
			}
			if got.status >= 400 && got.header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("error answered with Content-Type %q", got.header.Get("Content-Type"))
			}
		})
	}
}

// multipartRequest is an upload of a small text document as user as.
func multipartRequest(t *testing.T, as, path string, fields map[string]string) request {
	body, contentType := upload(t, "任务分解.txt", []byte("一、测试\n"), fields)
	return request{method: "POST", path: path, as: as, body: body, contentType: contentType}
}
