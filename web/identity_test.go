package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"duban"
	"duban/identity"
)

// passwordBook is a directory held in memory for the tests of what the
// server does with what a directory answers: the mapping, provisioning,
// approval and audit. The LDAP reader itself is tested against a real
// OpenLDAP in package identity.
type passwordBook struct {
	mu       sync.Mutex
	people   map[string]identity.Person // by user name
	password map[string]string
	disabled map[string]bool
	down     bool
}

func newPasswordBook() *passwordBook {
	return &passwordBook{people: map[string]identity.Person{}, password: map[string]string{}, disabled: map[string]bool{}}
}

func (b *passwordBook) add(p identity.Person, password string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p.Source = identity.SourceLDAP
	p.Subject = "uid=" + p.Username + ",ou=people,dc=test"
	b.people[p.Username] = p
	b.password[p.Username] = password
}

func (b *passwordBook) Authenticate(_ context.Context, username, password string) (identity.Person, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.down {
		return identity.Person{}, errors.New("dial tcp 127.0.0.1:389: connection refused")
	}
	p, ok := b.people[username]
	if !ok || b.password[username] != password {
		return identity.Person{}, identity.ErrRejected
	}
	if b.disabled[username] {
		return identity.Person{}, identity.ErrDisabled
	}
	return p, nil
}

// identityHarness is the fixture with a directory beside the local
// accounts: members of 督查室 become supervisors of 渝中区, people whose unit
// names one of its units become its reporters, and requests wait for 渝中区's
// admin.
func identityHarness(t *testing.T, noLocal bool) (*harness, *passwordBook) {
	t.Helper()
	book := newPasswordBook()
	h := newHarness(t, Config{Identity: IdentityConfig{
		NoLocalLogin: noLocal,
		LDAP:         book,
		ApprovalOrg:  "渝中区",
		Rules: []identity.Rule{
			{Group: "督查室", Org: "渝中区", Role: duban.RoleSupervisor},
			{Unit: "*", Org: "渝中区", Role: duban.RoleReporter},
		},
	}})
	book.add(identity.Person{Username: "zhangsan", DisplayName: "张三", Unit: "区委办", Groups: []string{"督查室"}}, "directory-pw-1")
	book.add(identity.Person{Username: "wangwu", DisplayName: "王五", Unit: "区商务局", Email: "ww@example.gov.cn"}, "directory-pw-2")
	book.add(identity.Person{Username: "lisi", DisplayName: "李四", Unit: "区住建委", Groups: []string{"全体职工"}}, "directory-pw-3")
	book.add(identity.Person{Username: "admin", DisplayName: "目录里的同名人"}, "directory-pw-4")
	h.secrets = append(h.secrets, "directory-pw-1", "directory-pw-2", "directory-pw-3", "directory-pw-4")
	return h, book
}

func (h *harness) signInStatus(t *testing.T, user, password string) response {
	t.Helper()
	return h.do(t, request{method: "POST", path: "/api/v1/session", body: sessionRequest{Username: user, Password: password}})
}

func TestDirectorySignIn(t *testing.T) {
	h, book := identityHarness(t, false)
	ctx := context.Background()

	// A member of 督查室 signs in with the directory's password and gets the
	// supervisor's account the first rule gives.
	got := h.signInStatus(t, "zhangsan", "directory-pw-1")
	if got.status != http.StatusCreated {
		t.Fatalf("zhangsan: %s", got)
	}
	var sess sessionResponse
	got.decode(t, &sess)
	if u := sess.User; u.Role != duban.RoleSupervisor || u.OrgID != h.ids["org_a"] || u.Source != "ldap" || u.DisplayName != "张三" {
		t.Errorf("zhangsan's account = %+v", u)
	}

	// The unit attribute 区商务局 is an alias of 区商务委: a reporter of it.
	got = h.signInStatus(t, "wangwu", "directory-pw-2")
	if got.status != http.StatusCreated {
		t.Fatalf("wangwu: %s", got)
	}
	got.decode(t, &sess)
	if u := sess.User; u.Role != duban.RoleReporter || u.UnitID == nil || *u.UnitID != h.ids["unit_b"] || u.Email != "ww@example.gov.cn" {
		t.Errorf("wangwu's account = %+v", u)
	}

	// A wrong password, or a name the directory does not know, is refused
	// and audited.
	if got := h.signInStatus(t, "wangwu", "wrong-password"); got.status != http.StatusUnauthorized {
		t.Errorf("wrong password: %s", got)
	}
	// The local admin still signs in with duban's own password, not the
	// directory's of the same name.
	if got := h.signInStatus(t, "admin", testPassword); got.status != http.StatusCreated {
		t.Errorf("local admin: %s", got)
	}
	if got := h.signInStatus(t, "admin", "directory-pw-4"); got.status != http.StatusUnauthorized {
		t.Errorf("local admin with the directory's password: %s", got)
	}

	// Nobody matches 李四: he waits for approval, and trying again waits
	// too, counted.
	for range 2 {
		got = h.signInStatus(t, "lisi", "directory-pw-3")
		if got.status != http.StatusForbidden || !strings.Contains(string(got.body), "审批") {
			t.Fatalf("lisi: %s, want 403 awaiting approval", got)
		}
	}
	var list struct {
		Requests []duban.IdentityRequest `json:"requests"`
	}
	h.do(t, request{method: "GET", path: "/api/v1/identity-requests?status=pending", as: "admin"}).decode(t, &list)
	if len(list.Requests) != 1 || list.Requests[0].Username != "lisi" || list.Requests[0].Attempts != 2 || list.Requests[0].Unit != "区住建委" {
		t.Fatalf("pending requests = %+v", list.Requests)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/identity-requests", as: "supervisor"}); got.status != http.StatusForbidden {
		t.Errorf("supervisor lists requests: %s", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/identity-requests", as: "admin_b"}); got.status != http.StatusOK || strings.Contains(string(got.body), "lisi") {
		t.Errorf("another district's admin sees 渝中区's requests: %s", got)
	}

	// The admin approves him as a reporter of 区发改委; he signs in.
	id := itoa(list.Requests[0].ID)
	got = h.do(t, request{method: "POST", path: "/api/v1/identity-requests/" + id + "/decision", as: "admin",
		body: map[string]any{"approve": true, "role": "reporter", "unit_id": h.ids["unit_a"]}})
	if got.status != http.StatusOK {
		t.Fatalf("approve: %s", got)
	}
	if got := h.do(t, request{method: "POST", path: "/api/v1/identity-requests/" + id + "/decision", as: "admin",
		body: map[string]any{"approve": false}}); got.status != http.StatusConflict {
		t.Errorf("deciding twice: %s", got)
	}
	got = h.signInStatus(t, "lisi", "directory-pw-3")
	if got.status != http.StatusCreated {
		t.Fatalf("lisi after approval: %s", got)
	}
	got.decode(t, &sess)
	if u := sess.User; u.Role != duban.RoleReporter || u.UnitID == nil || *u.UnitID != h.ids["unit_a"] {
		t.Errorf("lisi's approved account = %+v", u)
	}

	// The directory moves 王五 to 区发改委: the rules follow it at his next
	// sign-in.
	book.mu.Lock()
	p := book.people["wangwu"]
	p.Unit = "区发改委"
	book.people["wangwu"] = p
	book.mu.Unlock()
	got = h.signInStatus(t, "wangwu", "directory-pw-2")
	got.decode(t, &sess)
	if u := sess.User; u.UnitID == nil || *u.UnitID != h.ids["unit_a"] {
		t.Errorf("wangwu after moving = %+v, want a reporter of 区发改委", u)
	}

	// Disabled in the directory: refused with the reason.
	book.mu.Lock()
	book.disabled["zhangsan"] = true
	book.mu.Unlock()
	got = h.signInStatus(t, "zhangsan", "directory-pw-1")
	if got.status != http.StatusUnauthorized || !strings.Contains(string(got.body), "停用") {
		t.Errorf("disabled in the directory: %s", got)
	}

	// Disabled in duban: refused though the directory lets him in.
	zs, err := h.store.FindExternalUser(ctx, "ldap", "uid=zhangsan,ou=people,dc=test")
	if err != nil {
		t.Fatal(err)
	}
	book.mu.Lock()
	book.disabled["zhangsan"] = false
	book.mu.Unlock()
	if _, err := h.store.UpdateUser(ctx, duban.System(0), zs.ID, duban.UserUpdate{Disabled: new(true)}); err != nil {
		t.Fatal(err)
	}
	if got := h.signInStatus(t, "zhangsan", "directory-pw-1"); got.status != http.StatusUnauthorized {
		t.Errorf("disabled in duban: %s", got)
	}

	// The directory is down: 503, not a wrong password.
	book.mu.Lock()
	book.down = true
	book.mu.Unlock()
	if got := h.signInStatus(t, "wangwu", "directory-pw-2"); got.status != http.StatusServiceUnavailable {
		t.Errorf("directory down: %s", got)
	}

	// Everything is in the audit log: provisioning, approval, sign-ins by
	// method, failures, refusals and the pending ones.
	entries, _, err := h.store.FindAudit(ctx, duban.AuditFilter{OrgID: h.ids["org_a"], Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, e := range entries {
		line := e.Actor + " " + e.Action
		switch e.Action {
		case "session.fail", "session.pending":
			line += " " + string(e.After)
		case "session.create":
			if strings.Contains(string(e.After), `"method":"ldap"`) {
				line += " ldap"
			}
		}
		seen = append(seen, line)
	}
	for _, want := range []string{
		"统一身份认证(ldap) user.provision",
		"admin identity.approve",
		"zhangsan session.create ldap",
		`"reason":"wrong user name or password"`,
		`"outcome":"refused","reason":"disabled in the directory"`,
		`"outcome":"refused","reason":"account disabled"`,
		`"outcome":"pending"`,
		`"reason":"directory unavailable"`,
		"统一身份认证(ldap) user.update",
	} {
		if !slices.ContainsFunc(seen, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("audit log has no entry with %q:\n%s", want, strings.Join(seen, "\n"))
		}
	}
}

func TestNoLocalLogin(t *testing.T) {
	h, _ := identityHarness(t, true)
	// The local admin's own password no longer signs in; the directory's
	// people still do.
	if got := h.signInStatus(t, "admin", testPassword); got.status != http.StatusUnauthorized {
		t.Errorf("local sign-in while off: %s", got)
	}
	if got := h.signInStatus(t, "zhangsan", "directory-pw-1"); got.status != http.StatusCreated {
		t.Errorf("directory sign-in while local is off: %s", got)
	}

	// Without a directory, every password is refused with the reason.
	h2 := newHarness(t, Config{Identity: IdentityConfig{NoLocalLogin: true}})
	got := h2.signInStatus(t, "admin", testPassword)
	if got.status != http.StatusUnauthorized || !strings.Contains(string(got.body), "统一身份认证") {
		t.Errorf("local sign-in off, no directory: %s", got)
	}
}

func TestFreeUsername(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	tests := []struct {
		p    identity.Person
		want string
	}{
		{identity.Person{Source: "ldap", Subject: "uid=new", Username: "newcomer"}, "newcomer"},
		{identity.Person{Source: "ldap", Subject: "uid=admin", Username: "admin"}, "admin@ldap"},
		{identity.Person{Source: "oidc", Subject: "abc", Username: ""}, "oidc-"},
		{identity.Person{Source: "oidc", Subject: "x", Username: strings.Repeat("长", 80)}, strings.Repeat("长", maxUsernameLen)},
	}
	for _, tt := range tests {
		got, err := h.srv.Config.Handler.(*Server).freeUsername(ctx, tt.p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("freeUsername(%q) = %q, want %q…", tt.p.Username, got, tt.want)
		}
	}
}

// TestApprovalPage: the admin sees who waits on the users tab, approves one
// with a role and unit from the page and rejects another, who stays out.
func TestApprovalPage(t *testing.T) {
	h, _ := identityHarness(t, false)
	if got := h.signInStatus(t, "lisi", "directory-pw-3"); got.status != http.StatusForbidden {
		t.Fatalf("lisi: %s", got)
	}
	page := h.pageGet(t, "admin", "/admin?tab=users")
	if page.status != http.StatusOK || !strings.Contains(string(page.body), "待审批的统一身份认证账号") || !strings.Contains(string(page.body), "区住建委") {
		t.Fatalf("users tab does not show the waiting person: %d", page.status)
	}
	reqs, err := h.store.FindIdentityRequests(context.Background(), duban.System(0), duban.RequestPending)
	if err != nil || len(reqs) != 1 {
		t.Fatalf("requests: %v, %v", reqs, err)
	}
	id := itoa(reqs[0].ID)
	// A reporter without a unit is refused on the page, and nothing changes.
	got := h.pagePost(t, "admin", "/admin/identity-decision", url.Values{"id": {id}, "op": {"approve"}, "role": {"reporter"}})
	if got.status != http.StatusBadRequest || !strings.Contains(string(got.body), "单位") {
		t.Errorf("approve a reporter without a unit: %d", got.status)
	}
	got = h.pagePost(t, "admin", "/admin/identity-decision", url.Values{"id": {id}, "op": {"approve"}, "role": {"reporter"}, "unit_id": {itoa(h.ids["unit_b"])}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", got.status, got.body)
	}
	resp := h.signInStatus(t, "lisi", "directory-pw-3")
	var sess sessionResponse
	resp.decode(t, &sess)
	if resp.status != http.StatusCreated || sess.User.UnitID == nil || *sess.User.UnitID != h.ids["unit_b"] {
		t.Errorf("lisi after approval on the page: %s", resp)
	}
	page = h.pageGet(t, "admin", "/admin?tab=users")
	if !strings.Contains(string(page.body), "统一身份认证") && !strings.Contains(string(page.body), "目录账号") {
		t.Error("the users tab does not mark lisi as a directory account")
	}

	// Someone else is rejected and stays out.
	h2, book2 := identityHarness(t, false)
	book2.add(identity.Person{Username: "zhaoliu", DisplayName: "赵六", Unit: "外单位"}, "directory-pw-5")
	h2.secrets = append(h2.secrets, "directory-pw-5")
	h2.signInStatus(t, "zhaoliu", "directory-pw-5")
	reqs, _ = h2.store.FindIdentityRequests(context.Background(), duban.System(0), duban.RequestPending)
	if len(reqs) != 1 {
		t.Fatalf("requests in the second office: %d", len(reqs))
	}
	if got := h2.pagePost(t, "admin", "/admin/identity-decision", url.Values{"id": {itoa(reqs[0].ID)}, "op": {"reject"}}); got.status != http.StatusSeeOther {
		t.Fatalf("reject: %d", got.status)
	}
	got = h2.signInStatus(t, "zhaoliu", "directory-pw-5")
	if got.status != http.StatusForbidden || !strings.Contains(string(got.body), "未获批准") {
		t.Errorf("rejected person signs in: %s", got)
	}
}
