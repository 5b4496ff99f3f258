package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
)

// makeToken creates an API token as a fixture user with the given JSON body
// and returns the secret and the token.
func (h *harness) makeToken(t *testing.T, user, body string) (string, *duban.APIToken) {
	t.Helper()
	got := h.do(t, request{method: "POST", path: "/api/v1/tokens", as: user, body: body})
	if got.status != 201 {
		t.Fatalf("create token %s as %s: %s", body, user, got)
	}
	var created tokenCreateResponse
	got.decode(t, &created)
	h.secrets = append(h.secrets, created.Token)
	return created.Token, created.APIToken
}

// auditActions returns "actor action" of the audit entries of org A about
// entity (and entity_id when not 0), oldest first, read as the admin.
func (h *harness) auditActions(t *testing.T, entity string, entityID int64) []string {
	t.Helper()
	path := "/api/v1/audit?limit=200&entity=" + entity
	if entityID != 0 {
		path += "&entity_id=" + itoa(entityID)
	}
	got := h.do(t, request{method: "GET", path: path, as: "admin"})
	if got.status != 200 {
		t.Fatalf("audit: %s", got)
	}
	var list auditList
	got.decode(t, &list)
	var actions []string
	for i := len(list.Entries) - 1; i >= 0; i-- {
		e := list.Entries[i]
		if !e.At.Equal(h.clock.Now()) && e.At.IsZero() {
			t.Errorf("audit entry %s without a time", e.Action)
		}
		actions = append(actions, e.Actor+" "+e.Action)
	}
	return actions
}

// TestTokenLifecycle: tokens are named, expire when asked to, are listed
// without their secrets (expired ones marked) and are revoked by their owner
// only; each change is in the audit log.
func TestTokenLifecycle(t *testing.T) {
	h := newHarness(t, Config{})
	forever, tf := h.makeToken(t, "supervisor", `{"name":"周报脚本"}`)
	daily, td := h.makeToken(t, "supervisor", `{"name":"临时","expires_in_days":1}`)
	at := h.clock.Now().Add(72 * time.Hour).UTC()
	_, ta := h.makeToken(t, "supervisor", `{"name":"三天","expires_at":"`+at.Format(time.RFC3339)+`"}`)
	if tf.ExpiresAt != nil || td.ExpiresAt == nil || !td.ExpiresAt.Equal(h.clock.Now().Add(24*time.Hour)) || ta.ExpiresAt == nil || !ta.ExpiresAt.Equal(at) {
		t.Errorf("expiries: %v, %v, %v", tf.ExpiresAt, td.ExpiresAt, ta.ExpiresAt)
	}
	_, other := h.makeToken(t, "reporter", `{"name":"别人的"}`)

	for _, tt := range []struct{ name, body string }{
		{"both expiries", `{"name":"x","expires_in_days":1,"expires_at":"` + at.Format(time.RFC3339) + `"}`},
		{"zero days", `{"name":"x","expires_in_days":0}`},
		{"in the past", `{"name":"x","expires_at":"2020-01-01T00:00:00Z"}`},
	} {
		got := h.do(t, request{method: "POST", path: "/api/v1/tokens", as: "supervisor", body: tt.body, offContract: true})
		if got.status != 400 {
			t.Errorf("%s: %s, want 400", tt.name, got)
		}
	}

	// The list is the owner's own, without secrets.
	got := h.do(t, request{method: "GET", path: "/api/v1/tokens", as: "supervisor"})
	if got.status != 200 || strings.Contains(string(got.body), tokenPrefix) || strings.Contains(string(got.body), "hash") {
		t.Fatalf("list: %s", got)
	}
	var list tokenList
	got.decode(t, &list)
	var names []string
	for _, tok := range list.Tokens {
		names = append(names, tok.Name)
	}
	if diff := cmp.Diff([]string{"周报脚本", "临时", "三天"}, names); diff != "" {
		t.Errorf("listed tokens (-want +got):\n%s", diff)
	}

	// A day later the daily token is refused and listed as expired.
	h.clock.Advance(25 * time.Hour)
	delete(h.sessions, "supervisor") // idle for a day: signed out
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", token: daily}); got.status != 401 || !strings.Contains(string(got.body), "已过期") {
		t.Errorf("expired token: %s, want 401 已过期", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", token: forever}); got.status != 200 {
		t.Errorf("token without expiry: %s, want 200", got)
	}
	h.do(t, request{method: "GET", path: "/api/v1/tokens", as: "supervisor"}).decode(t, &list)
	expired := map[string]bool{}
	for _, tok := range list.Tokens {
		expired[tok.Name] = tok.Expired
	}
	if diff := cmp.Diff(map[string]bool{"周报脚本": false, "临时": true, "三天": false}, expired); diff != "" {
		t.Errorf("expired flags (-want +got):\n%s", diff)
	}

	// Revoking: the owner's own tokens only, once.
	if got := h.do(t, request{method: "DELETE", path: "/api/v1/tokens/" + itoa(other.ID), as: "supervisor"}); got.status != 404 {
		t.Errorf("revoke another user's token: %s, want 404", got)
	}
	if got := h.do(t, request{method: "DELETE", path: "/api/v1/tokens/" + itoa(tf.ID), as: "supervisor"}); got.status != 204 {
		t.Fatalf("revoke: %s, want 204", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", token: forever}); got.status != 401 {
		t.Errorf("revoked token: %s, want 401", got)
	}
	if got := h.do(t, request{method: "DELETE", path: "/api/v1/tokens/" + itoa(tf.ID), as: "supervisor"}); got.status != 404 {
		t.Errorf("revoke again: %s, want 404", got)
	}
	h.do(t, request{method: "GET", path: "/api/v1/tokens", as: "supervisor"}).decode(t, &list)
	if len(list.Tokens) != 2 {
		t.Errorf("after revoking, %d tokens listed, want 2", len(list.Tokens))
	}

	want := []string{"supervisor api_token.create", "supervisor api_token.create", "supervisor api_token.create",
		"reporter api_token.create", "supervisor api_token.revoke"}
	if diff := cmp.Diff(want, h.auditActions(t, "api_token", 0)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

// TestPasswordChange: a user changes their own password with the current
// one; the session they did it from stays, their other sessions end and
// their tokens are revoked; all of it is in the audit log.
func TestPasswordChange(t *testing.T) {
	h := newHarness(t, Config{})
	h.session(t, "reporter") // the session the change comes from
	there := h.signIn(t, "reporter", testPassword)
	token, _ := h.makeToken(t, "reporter", `{"name":"脚本"}`)
	const newPassword = "新的密码-horse-42"
	h.secrets = append(h.secrets, newPassword)

	for _, tt := range []struct {
		name string
		req  request
		want int
	}{
		{"wrong current password", request{as: "reporter", body: passwordChangeRequest{CurrentPassword: "wrong", NewPassword: newPassword}}, 400},
		{"too short", request{as: "reporter", body: passwordChangeRequest{CurrentPassword: testPassword, NewPassword: "short"}}, 400},
		{"the same", request{as: "reporter", body: passwordChangeRequest{CurrentPassword: testPassword, NewPassword: testPassword}}, 400},
		{"with a token", request{token: token, body: passwordChangeRequest{CurrentPassword: testPassword, NewPassword: newPassword}}, 403},
		{"signed out", request{body: passwordChangeRequest{CurrentPassword: testPassword, NewPassword: newPassword}}, 401},
	} {
		tt.req.method, tt.req.path = "PUT", "/api/v1/me/password"
		if got := h.do(t, tt.req); got.status != tt.want {
			t.Errorf("%s: %s, want %d", tt.name, got, tt.want)
		}
	}

	got := h.do(t, request{method: "PUT", path: "/api/v1/me/password", as: "reporter",
		body: passwordChangeRequest{CurrentPassword: testPassword, NewPassword: newPassword}})
	if got.status != 204 {
		t.Fatalf("change password: %s, want 204", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", as: "reporter"}); got.status != 200 {
		t.Errorf("the session of the change: %s, want 200", got)
	}
	for name, req := range map[string]request{
		"the other session": {method: "GET", path: "/api/v1/me", header: http.Header{"Cookie": {sessionCookie + "=" + there}}},
		"the token":         {method: "GET", path: "/api/v1/me", token: token},
	} {
		if got := h.do(t, req); got.status != 401 {
			t.Errorf("%s after the change: %s, want 401", name, got)
		}
	}
	if got := h.do(t, request{method: "POST", path: "/api/v1/session", body: sessionRequest{Username: "reporter", Password: testPassword}}); got.status != 401 {
		t.Errorf("sign in with the old password: %s, want 401", got)
	}
	h.signIn(t, "reporter", newPassword)

	// The sign-in with the old password is in the log as a failure.
	want := []string{"reporter user.change_password", "reporter session.delete_all", "reporter api_token.revoke_all", "reporter session.fail"}
	var got2 []string
	for _, a := range h.auditActions(t, "user", h.ids["user_reporter"]) {
		if !strings.HasSuffix(a, "session.create") && !strings.HasSuffix(a, "user.create") {
			got2 = append(got2, a)
		}
	}
	if diff := cmp.Diff(want, got2); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

// TestAdminResetEndsCredentials: an admin's password reset and disabling
// end the user's sessions and revoke their tokens, recorded as done by the
// admin.
func TestAdminResetEndsCredentials(t *testing.T) {
	h := newHarness(t, Config{})
	for _, tt := range []struct {
		user, body string
		want       []string
	}{
		{"supervisor", `{"password":"reset-by-admin-1"}`,
			[]string{"admin user.update_password", "admin session.delete_all", "admin api_token.revoke_all"}},
		{"leader", `{"disabled":true}`,
			[]string{"admin user.update", "admin session.delete_all", "admin api_token.revoke_all"}},
	} {
		t.Run(tt.user, func(t *testing.T) {
			h.secrets = append(h.secrets, "reset-by-admin-1")
			token, _ := h.makeToken(t, tt.user, `{"name":"脚本"}`)
			if got := h.do(t, request{method: "GET", path: "/api/v1/me", token: token}); got.status != 200 {
				t.Fatalf("token before: %s", got)
			}
			if got := h.do(t, request{method: "PATCH", path: "/api/v1/users/{user_" + tt.user + "}", as: "admin", body: tt.body}); got.status != 200 {
				t.Fatalf("admin update: %s", got)
			}
			if got := h.do(t, request{method: "GET", path: "/api/v1/me", as: tt.user}); got.status != 401 {
				t.Errorf("session after: %s, want 401", got)
			}
			if tt.user == "supervisor" {
				// Re-enabling would not bring the token back either: it is
				// revoked, not just refused.
				if got := h.do(t, request{method: "GET", path: "/api/v1/me", token: token}); got.status != 401 || !strings.Contains(string(got.body), "撤销") {
					t.Errorf("token after the reset: %s, want 401 revoked", got)
				}
			}
			got := h.auditActions(t, "user", h.ids["user_"+tt.user])
			if len(got) < len(tt.want) {
				t.Fatalf("audit: %v", got)
			}
			if diff := cmp.Diff(tt.want, got[len(got)-len(tt.want):]); diff != "" {
				t.Errorf("audit (-want +got):\n%s", diff)
			}
		})
	}
	// The leader's token stays revoked once they are enabled again.
	if got := h.do(t, request{method: "PATCH", path: "/api/v1/users/{user_leader}", as: "admin", body: `{"disabled":false}`}); got.status != 200 {
		t.Fatalf("enable: %s", got)
	}
	toks, err := h.store.FindAPITokens(t.Context(), duban.System(h.ids["org_a"]), h.ids["user_leader"])
	if err != nil || len(toks) != 0 {
		t.Errorf("the leader's tokens after enabling: %v, %v; want none", toks, err)
	}
}

// TestAccountPage: 我的账号 over real HTTP: linked from the header, a token
// made in the form is shown once and listed, revoked with its button, and
// the password changed with the form.
func TestAccountPage(t *testing.T) {
	h := newHarness(t, Config{})
	got := h.pageGet(t, "reporter", "/account")
	if got.status != 200 || !strings.Contains(got.text(), "我的账号") || !strings.Contains(got.text(), `href="/account"`) ||
		!strings.Contains(got.text(), "还没有令牌") {
		t.Fatalf("account page: %s", got)
	}
	if got := h.pageGet(t, "", "/account"); got.status != 303 {
		t.Errorf("signed out: %d, want 303 to sign in", got.status)
	}

	if got := h.pagePost(t, "reporter", "/account/tokens", url.Values{"name": {""}, "days": {"30"}}); got.status != 400 {
		t.Errorf("token without a name: %d, want 400", got.status)
	}
	got = h.pagePost(t, "reporter", "/account/tokens", url.Values{"name": {"周报脚本"}, "days": {"30"}})
	secret := regexp.MustCompile(tokenPrefix + `[A-Za-z0-9_-]+`).FindString(got.text())
	if got.status != 201 || secret == "" || !strings.Contains(got.text(), "只显示这一次") {
		t.Fatalf("create token: %d, secret %q", got.status, secret)
	}
	h.secrets = append(h.secrets, secret)
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", token: secret}); got.status != 200 {
		t.Errorf("the page's token: %s", got)
	}
	got = h.pageGet(t, "reporter", "/account")
	if !strings.Contains(got.text(), "周报脚本") || strings.Contains(got.text(), secret) || !strings.Contains(got.text(), "有效") {
		t.Errorf("the list after creating: %s", got.text())
	}
	h.clock.Advance(31 * 24 * time.Hour)
	delete(h.sessions, "reporter")
	if got := h.pageGet(t, "reporter", "/account"); !strings.Contains(got.text(), "已过期") {
		t.Errorf("an expired token is not marked 已过期: %s", got.text())
	}
	toks, err := h.store.FindAPITokens(t.Context(), duban.System(h.ids["org_a"]), h.ids["user_reporter"])
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens: %v, %v", toks, err)
	}
	got = h.pagePost(t, "reporter", "/account/tokens/"+itoa(toks[0].ID)+"/revoke", nil)
	if got.status != 303 || got.header.Get("Location") != "/account?ok=revoked" {
		t.Errorf("revoke: %d to %q", got.status, got.header.Get("Location"))
	}
	if got := h.pageGet(t, "reporter", "/account?ok=revoked"); !strings.Contains(got.text(), "令牌已撤销") || strings.Contains(got.text(), "周报脚本") {
		t.Errorf("after revoking: %s", got.text())
	}

	const newPassword = "页面上的新密码-123"
	h.secrets = append(h.secrets, newPassword)
	got = h.pagePost(t, "reporter", "/account/password", url.Values{"current_password": {testPassword},
		"new_password": {newPassword}, "confirm_password": {newPassword + "x"}})
	if got.status != 400 || !strings.Contains(got.text(), "不一致") || strings.Contains(got.text(), newPassword) {
		t.Errorf("mismatched passwords: %d", got.status)
	}
	got = h.pagePost(t, "reporter", "/account/password", url.Values{"current_password": {"wrong"},
		"new_password": {newPassword}, "confirm_password": {newPassword}})
	if got.status != 400 || !strings.Contains(got.text(), "当前密码不正确") {
		t.Errorf("wrong current password: %d", got.status)
	}
	got = h.pagePost(t, "reporter", "/account/password", url.Values{"current_password": {testPassword},
		"new_password": {newPassword}, "confirm_password": {newPassword}})
	if got.status != 303 || got.header.Get("Location") != "/account?ok=password" {
		t.Fatalf("change password: %d to %q", got.status, got.header.Get("Location"))
	}
	if got := h.pageGet(t, "reporter", "/account?ok=password"); got.status != 200 || !strings.Contains(got.text(), "密码已修改") {
		t.Errorf("after the change the session stays: %d", got.status)
	}
	h.signIn(t, "reporter", newPassword)
}
