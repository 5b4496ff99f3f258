package web

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"duban/identity"
	"duban/identity/testidp"
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
}
