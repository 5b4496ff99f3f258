package web

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/identity"
	"duban/identity/testidp"
	"duban/jobs"
)

// oidcHarness is the real wiring with sign-in through the test provider:
// cfg's Identity gets an OIDC source for a provider that knows the
// harness's callback.
type oidcHarness struct {
	*harness
	idp *testidp.Server
	o   *identity.OIDC
}

func newOIDCHarness(t *testing.T, cfg Config) *oidcHarness {
	t.Helper()
	h := newHarness(t, cfg)
	callback := h.srv.URL + "/auth/oidc/callback"
	idp, err := testidp.Start("127.0.0.1:0", testidp.Config{RedirectURIs: []string{callback}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close() })
	o, err := identity.NewOIDC(identity.OIDCConfig{Issuer: idp.Issuer, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: callback, Claims: identity.OIDCClaims{Unit: "department"}})
	if err != nil {
		t.Fatal(err)
	}
	// The callback's URL is known once the server listens: the source is
	// set before the first request.
	h.server().cfg.Identity.OIDC = o
	h.secrets = append(h.secrets, testidp.Password)
	return &oidcHarness{harness: h, idp: idp, o: o}
}

// server is the harness's *Server.
func (h *harness) server() *Server { return h.srv.Config.Handler.(*Server) }

// browser is a client with cookies that follows redirects, as a browser
// does, but stops at answers of duban's other than the callback's, so that
// tests see where the callback sent it.
func (h *harness) browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), h.srv.URL) && req.URL.Path != "/auth/oidc/callback" {
				return http.ErrUseLastResponse
			}
			return nil
		}}
}

func TestOIDCLoginPage(t *testing.T) {
	t.Run("off", func(t *testing.T) {
		h := newHarness(t, Config{})
		got := h.pageGet(t, "", "/login")
		if got.status != http.StatusOK || strings.Contains(got.text(), "/auth/oidc/login") || !strings.Contains(got.text(), `name="password"`) {
			t.Errorf("GET /login without OIDC: %s", got)
		}
		for _, path := range []string{"/auth/oidc/login", "/auth/oidc/callback?code=x&state=y"} {
			got := h.pageGet(t, "", path)
			if got.status != http.StatusNotFound || !strings.Contains(got.text(), "未配置统一身份认证") {
				t.Errorf("GET %s without OIDC: %s", path, got)
			}
		}
	})
	t.Run("beside the form", func(t *testing.T) {
		h := newOIDCHarness(t, Config{})
		got := h.pageGet(t, "", "/login?next=/tasks%3Flight%3Dred")
		text := got.text()
		for _, want := range []string{`href="/auth/oidc/login?next=%2ftasks%3flight%3dred"`, ">统一身份认证登录<", `name="password"`, "或使用用户名和密码登录"} {
			if !strings.Contains(text, want) {
				t.Errorf("GET /login lacks %q:\n%s", want, text)
			}
		}
		got = h.pageGet(t, "", "/login?lang=en")
		if !strings.Contains(got.text(), ">Sign in with the government identity service<") {
			t.Errorf("GET /login?lang=en lacks the English label:\n%s", got.text())
		}
	})
	t.Run("alone", func(t *testing.T) {
		h := newOIDCHarness(t, Config{Identity: IdentityConfig{NoLocalLogin: true, OIDCLabel: "政务服务网统一身份认证"}})
		text := h.pageGet(t, "", "/login").text()
		if !strings.Contains(text, ">政务服务网统一身份认证<") || strings.Contains(text, `name="password"`) || !strings.Contains(text, "请使用统一身份认证登录") {
			t.Errorf("GET /login with NoLocalLogin: want the configured button and no form:\n%s", text)
		}
	})
}

func TestOIDCLoginRedirect(t *testing.T) {
	h := newOIDCHarness(t, Config{SecureCookies: true})
	got := h.pageGet(t, "", "/auth/oidc/login?next=/tasks%3Flight%3Dred")
	loc, _ := url.Parse(got.header.Get("Location"))
	if got.status != http.StatusFound || !strings.HasPrefix(loc.String(), h.idp.Issuer+"/") {
		t.Fatalf("GET /auth/oidc/login: %d Location %q, want a redirect to the provider", got.status, loc)
	}
	var flow *http.Cookie
	for _, c := range (&http.Response{Header: got.header}).Cookies() {
		if c.Name == oidcFlowCookie {
			flow = c
		}
	}
	if flow == nil {
		t.Fatal("no flow cookie")
	}
	if flow.Path != "/auth/oidc" || !flow.HttpOnly || !flow.Secure || flow.SameSite != http.SameSiteLaxMode || flow.MaxAge != 600 {
		t.Errorf("flow cookie %s: want Path=/auth/oidc, HttpOnly, Secure, SameSite=Lax, Max-Age=600", flow)
	}
	f, err := identity.DecodeFlow(flow.Value)
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if f.Next != "/tasks?light=red" || q.Get("state") != f.State || q.Get("nonce") != f.Nonce || q.Get("code_challenge_method") != "S256" {
		t.Errorf("flow %+v against the authorization URL %s", f, loc)
	}

	// Another site is not a place to go after sign-in.
	got = h.pageGet(t, "", "/auth/oidc/login?next=//evil.example/")
	for _, c := range (&http.Response{Header: got.header}).Cookies() {
		if f, err := identity.DecodeFlow(c.Value); c.Name == oidcFlowCookie && (err != nil || f.Next != "/") {
			t.Errorf("flow for next=//evil.example/: %+v, %v; want next /", f, err)
		}
	}
}

// TestOIDCCallbackRefuses: a callback that does not finish this browser's
// flow is refused with the error page.
func TestOIDCCallbackRefuses(t *testing.T) {
	h := newOIDCHarness(t, Config{})

	got := h.pageGet(t, "", "/auth/oidc/callback?code=abc&state=def")
	if got.status != http.StatusBadRequest || !strings.Contains(got.text(), "统一身份认证登录已失效") {
		t.Errorf("callback without a flow: %s", got)
	}

	// The provider's code for this browser, with another state.
	c := h.browser(t)
	resp, err := c.Get(h.srv.URL + "/auth/oidc/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	authURL := resp.Request.URL.String()
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), h.srv.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err = testidp.Login(c, authURL, "zhangwei", testidp.Password)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cb, _ := url.Parse(resp.Header.Get("Location"))
	q := cb.Query()
	q.Set("state", strings.Repeat("A", 43))
	cb.RawQuery = q.Encode()
	resp, err = c.Get(cb.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("callback with another state: %s", resp.Status)
	}

	// The provider's error comes back to the person as an error page.
	c = h.browser(t)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = c.Get(h.srv.URL + "/auth/oidc/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	resp, err = c.Get(h.srv.URL + "/auth/oidc/callback?error=access_denied&state=" + loc.Query().Get("state"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("callback with access_denied: %s", resp.Status)
	}

	// Each refusal is in the audit log of the top organisation (nobody's
	// account is known).
	entries, _, err := h.store.FindAudit(context.Background(), duban.AuditFilter{OrgID: h.ids["city"], Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range entries {
		lines = append(lines, e.Action+" "+string(e.After))
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{"no sign-in flow in this browser", "state does not match", "access_denied"} {
		if !strings.Contains(all, want) || !strings.Contains(all, `"method":"oidc"`) {
			t.Errorf("audit lacks the refusal %q:\n%s", want, all)
		}
	}
}

// oidcSignIn signs a person in at the provider in a new browser, starting
// from duban's button with next, and returns the browser and duban's last
// answer (the callback's, or the provider's form when it refused).
func (h *oidcHarness) oidcSignIn(t *testing.T, username, next string) (*http.Client, *http.Response, string) {
	t.Helper()
	c := h.browser(t)
	resp, err := testidp.Login(c, h.srv.URL+"/auth/oidc/login?next="+url.QueryEscape(next), username, testidp.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return c, resp, html.UnescapeString(string(b))
}

// getJSON gets a path of duban's API with the browser's cookies.
func (h *oidcHarness) getJSON(t *testing.T, c *http.Client, path string, v any) int {
	t.Helper()
	resp, err := c.Get(h.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// TestOIDCSignIn: the whole flow over real HTTP, from duban's button to the
// provider's form and back, maps the person by the rules, keeps the refresh
// token for the periodic check, and the check ends the session once the
// provider disables the person.
func TestOIDCSignIn(t *testing.T) {
	sealer, err := identity.NewSealer("a sealing secret for the test")
	if err != nil {
		t.Fatal(err)
	}
	h := newOIDCHarness(t, Config{Identity: IdentityConfig{Sealer: sealer, Rules: []identity.Rule{
		{Group: "督查室", Org: "渝中区", Role: duban.RoleSupervisor},
		{Group: "填报员", Org: "渝中区", Unit: "*", Role: duban.RoleReporter},
	}}})
	ctx := context.Background()

	c, resp, _ := h.oidcSignIn(t, "zhangwei", "/tasks?light=red")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/tasks?light=red" {
		t.Fatalf("callback: %s Location %q; want 303 to next", resp.Status, resp.Header.Get("Location"))
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == oidcFlowCookie && ck.MaxAge >= 0 {
			t.Errorf("the callback kept the flow cookie: %s", ck)
		}
	}
	var me meResponse
	if st := h.getJSON(t, c, "/api/v1/me", &me); st != http.StatusOK {
		t.Fatalf("GET /api/v1/me after the callback: %d", st)
	}
	u := me.User
	if u.Username != "zhangwei" || u.DisplayName != "张伟" || u.Role != duban.RoleSupervisor || u.OrgID != h.ids["org_a"] ||
		u.Source != identity.SourceOIDC || u.Email != "zhangwei@example.gov.cn" {
		t.Errorf("signed in as %+v; want zhangwei (张伟), supervisor of 渝中区 by the 督查室 rule, from oidc", u)
	}

	// The sign-in is in the audit log of the person's organisation, by them.
	var audit auditList
	if st := h.getJSON(t, h.adminBrowser(t), "/api/v1/audit?entity=user&entity_id="+strconv.FormatInt(u.ID, 10), &audit); st != http.StatusOK {
		t.Fatalf("GET /api/v1/audit: %d", st)
	}
	var actions []string
	for _, e := range audit.Entries {
		actions = append(actions, e.Action+" by "+e.Actor+" "+string(e.After))
	}
	all := strings.Join(actions, "\n")
	if !strings.Contains(all, "session.create by zhangwei") || !strings.Contains(all, `"method":"oidc"`) || !strings.Contains(all, "user.provision by 统一身份认证(oidc)") {
		t.Errorf("audit of the account lacks its provisioning and its oidc sign-in:\n%s", all)
	}

	// The provider's refresh token is kept, sealed, for the check.
	accounts, err := h.store.FindExternalAccounts(ctx, identity.SourceOIDC)
	if err != nil || len(accounts) != 1 || accounts[0].Subject != "u-zhangwei" || accounts[0].Secret == "" {
		t.Fatalf("external accounts = %+v, %v; want zhangwei's with a sealed refresh token", accounts, err)
	}

	// The periodic check: active while the provider refreshes, then the
	// provider disables zhangwei, refuses the token, and the session ends.
	job := &jobs.CheckIdentities{Store: h.store, Checkers: []identity.Checker{h.o}, Sealer: sealer}
	if err := job.Run(ctx, h.clock.Now()); err != nil || job.Disabled != 0 {
		t.Fatalf("check while active: disabled %d, %v", job.Disabled, err)
	}
	if st := h.getJSON(t, c, "/api/v1/me", nil); st != http.StatusOK {
		t.Fatalf("GET /api/v1/me after an active check: %d", st)
	}
	h.idp.SetDisabled("zhangwei", true)
	if err := job.Run(ctx, h.clock.Now()); err != nil || job.Disabled != 1 {
		t.Fatalf("check after the provider disabled zhangwei: disabled %d, %v", job.Disabled, err)
	}
	if st := h.getJSON(t, c, "/api/v1/me", nil); st != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me after the check: %d, want 401", st)
	}

	// Disabled at the provider, zhangwei cannot sign in again: the provider
	// keeps them at its form.
	_, resp, body := h.oidcSignIn(t, "zhangwei", "/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "账号已停用") || strings.HasPrefix(resp.Request.URL.String(), h.srv.URL) {
		t.Errorf("disabled person's sign-in: %s at %s; want the provider's form with its message", resp.Status, resp.Request.URL)
	}

	// Enabled again upstream, their duban account stays disabled until an
	// administrator enables it.
	h.idp.SetDisabled("zhangwei", false)
	_, resp, body = h.oidcSignIn(t, "zhangwei", "/")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "账号已停用") {
		t.Errorf("sign-in to a disabled account: %s; want 401 with the message", resp.Status)
	}
}

// adminBrowser is a browser signed in as the fixture admin.
func (h *harness) adminBrowser(t *testing.T) *http.Client {
	t.Helper()
	c := h.browser(t)
	u, _ := url.Parse(h.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: h.session(t, "admin"), Path: "/"}})
	return c
}

// TestOIDCSignInPending: a person no rule matches is told their request
// awaits approval, and the request is recorded.
func TestOIDCSignInPending(t *testing.T) {
	h := newOIDCHarness(t, Config{Identity: IdentityConfig{ApprovalOrg: "渝中区", Rules: []identity.Rule{
		{Group: "督查室", Org: "渝中区", Role: duban.RoleSupervisor},
	}}})
	c, resp, body := h.oidcSignIn(t, "lina", "/")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "等待管理员审批") || !strings.Contains(body, "李娜") || !strings.Contains(body, "区卫健委") {
		t.Fatalf("callback for lina: %s\n%s", resp.Status, body)
	}
	if st := h.getJSON(t, c, "/api/v1/me", nil); st != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me of a pending person: %d, want 401", st)
	}
	var list struct {
		Requests []duban.IdentityRequest `json:"requests"`
	}
	if st := h.getJSON(t, h.adminBrowser(t), "/api/v1/identity-requests", &list); st != http.StatusOK {
		t.Fatalf("GET /api/v1/identity-requests: %d", st)
	}
	if len(list.Requests) != 1 || list.Requests[0].Username != "lina" || list.Requests[0].Source != identity.SourceOIDC {
		t.Errorf("identity requests = %+v; want lina's from oidc", list.Requests)
	}
}
