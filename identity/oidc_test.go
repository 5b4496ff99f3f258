package identity_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban/identity"
	"duban/identity/testidp"
)

// redirectURL is duban's callback in these tests; nothing listens there:
// the browser stops at the provider's redirect to it.
const redirectURL = "http://127.0.0.1:9/auth/oidc/callback"

// startIdP starts the test provider for the rest of the test.
func startIdP(t *testing.T, cfg testidp.Config) *testidp.Server {
	t.Helper()
	cfg.RedirectURIs = append(cfg.RedirectURIs, redirectURL)
	idp, err := testidp.Start("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close() })
	return idp
}

func newOIDC(t *testing.T, idp *testidp.Server, edit func(*identity.OIDCConfig)) *identity.OIDC {
	t.Helper()
	cfg := identity.OIDCConfig{
		Issuer:       idp.Issuer,
		ClientID:     idp.ClientID,
		ClientSecret: idp.ClientSecret,
		RedirectURL:  redirectURL,
		Claims:       identity.OIDCClaims{Unit: "department"},
	}
	if edit != nil {
		edit(&cfg)
	}
	o, err := identity.NewOIDC(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// browser is a client with cookies that stops at the provider's redirect to
// duban's callback.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), redirectURL) {
				return http.ErrUseLastResponse
			}
			return nil
		}}
}

// login begins a flow, signs in at the provider and returns the flow and
// the callback's query.
func login(t *testing.T, o *identity.OIDC, username, password string) (identity.Flow, url.Values) {
	t.Helper()
	authURL, f, err := o.Begin(context.Background(), "/tasks?light=red")
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	resp, err := testidp.Login(browser(t), authURL, username, password)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), redirectURL) {
		t.Fatalf("provider answered %s, Location %q; want a redirect to the callback", resp.Status, resp.Header.Get("Location"))
	}
	return f, loc.Query()
}

var zhangwei = identity.Person{
	Source:      identity.SourceOIDC,
	Subject:     "u-zhangwei",
	Username:    "zhangwei",
	DisplayName: "张伟",
	Email:       "zhangwei@example.gov.cn",
	Mobile:      "13800000001",
	Unit:        "区发改委",
	Groups:      []string{"督查室"},
}

func TestOIDCSignIn(t *testing.T) {
	idp := startIdP(t, testidp.Config{})
	o := newOIDC(t, idp, nil)
	authURL, f, err := o.Begin(context.Background(), "/tasks")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(authURL)
	q := u.Query()
	for k, want := range map[string]string{
		"client_id": idp.ClientID, "redirect_uri": redirectURL, "response_type": "code",
		"state": f.State, "nonce": f.Nonce, "code_challenge_method": "S256",
		"scope": "openid profile email phone offline_access",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("authorization URL %s = %q, want %q", k, got, want)
		}
	}
	if q.Get("code_challenge") == "" || strings.Contains(authURL, f.Verifier) {
		t.Errorf("authorization URL %s: want the S256 challenge and not the verifier", authURL)
	}
	if f.Next != "/tasks" || time.Until(f.Expires) > identity.FlowLifetime || time.Until(f.Expires) < identity.FlowLifetime-time.Minute {
		t.Errorf("flow = %+v; want next /tasks, expiring in %v", f, identity.FlowLifetime)
	}

	f, cb := login(t, o, "zhangwei", testidp.Password)
	p, refresh, err := o.Finish(context.Background(), f, cb)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if diff := cmp.Diff(zhangwei, p); diff != "" {
		t.Errorf("person mismatch (-want +got):\n%s", diff)
	}
	if refresh == "" {
		t.Error("no refresh token; offline_access is asked for by default")
	}
}

// TestOIDCSignInUserInfo: a provider that gives the profile only at its
// userinfo endpoint is read with use_userinfo.
func TestOIDCSignInUserInfo(t *testing.T) {
	idp := startIdP(t, testidp.Config{ClaimsInUserInfoOnly: true})

	o := newOIDC(t, idp, nil)
	f, cb := login(t, o, "zhangwei", testidp.Password)
	p, _, err := o.Finish(context.Background(), f, cb)
	if err != nil {
		t.Fatalf("Finish without userinfo: %v", err)
	}
	want := identity.Person{Source: identity.SourceOIDC, Subject: "u-zhangwei", Username: "u-zhangwei"}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("without userinfo, the person is only their sub (-want +got):\n%s", diff)
	}

	o = newOIDC(t, idp, func(c *identity.OIDCConfig) { c.UseUserInfo = true })
	f, cb = login(t, o, "zhangwei", testidp.Password)
	p, _, err = o.Finish(context.Background(), f, cb)
	if err != nil {
		t.Fatalf("Finish with userinfo: %v", err)
	}
	if diff := cmp.Diff(zhangwei, p); diff != "" {
		t.Errorf("with userinfo: person mismatch (-want +got):\n%s", diff)
	}
}

func TestOIDCFinishRefuses(t *testing.T) {
	idp := startIdP(t, testidp.Config{})
	o := newOIDC(t, idp, nil)
	other := func(s string) string { return strings.Repeat("A", len(s)) }
	tests := []struct {
		name string
		edit func(f *identity.Flow, q url.Values)
		want error
	}{
		{"state mismatch", func(f *identity.Flow, q url.Values) { q.Set("state", other(f.State)) }, identity.ErrFlowInvalid},
		{"no state", func(f *identity.Flow, q url.Values) { q.Del("state") }, identity.ErrFlowInvalid},
		{"no flow", func(f *identity.Flow, q url.Values) { *f = identity.Flow{} }, identity.ErrFlowInvalid},
		{"expired flow", func(f *identity.Flow, q url.Values) { f.Expires = time.Now().Add(-time.Second) }, identity.ErrFlowInvalid},
		{"wrong nonce", func(f *identity.Flow, q url.Values) { f.Nonce = other(f.Nonce) }, identity.ErrFlowInvalid},
		{"wrong verifier", func(f *identity.Flow, q url.Values) { f.Verifier = other(f.Verifier) }, identity.ErrFlowInvalid},
		{"no code", func(f *identity.Flow, q url.Values) { q.Del("code") }, identity.ErrFlowInvalid},
		{"unknown code", func(f *identity.Flow, q url.Values) { q.Set("code", "made-up") }, identity.ErrFlowInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, q := login(t, o, "zhangwei", testidp.Password)
			tt.edit(&f, q)
			if _, _, err := o.Finish(context.Background(), f, q); !errors.Is(err, tt.want) {
				t.Errorf("Finish = %v, want %v", err, tt.want)
			}
		})
	}

	t.Run("provider error", func(t *testing.T) {
		_, f, err := o.Begin(context.Background(), "/")
		if err != nil {
			t.Fatal(err)
		}
		q := url.Values{"state": {f.State}, "error": {"access_denied"}, "error_description": {"用户取消了授权"}}
		_, _, err = o.Finish(context.Background(), f, q)
		var pe *identity.ProviderError
		if !errors.As(err, &pe) || pe.Code != "access_denied" || pe.Description != "用户取消了授权" {
			t.Errorf("Finish = %v, want the provider's access_denied", err)
		}
		// The error of another browser's flow is not this one's answer.
		q.Set("state", other(f.State))
		if _, _, err := o.Finish(context.Background(), f, q); !errors.Is(err, identity.ErrFlowInvalid) {
			t.Errorf("Finish with another state = %v, want ErrFlowInvalid", err)
		}
	})

	t.Run("code used twice", func(t *testing.T) {
		f, q := login(t, o, "zhangwei", testidp.Password)
		if _, _, err := o.Finish(context.Background(), f, q); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.Finish(context.Background(), f, q); !errors.Is(err, identity.ErrFlowInvalid) {
			t.Errorf("second Finish = %v, want ErrFlowInvalid", err)
		}
	})
}

func TestOIDCDisabledAtProvider(t *testing.T) {
	idp := startIdP(t, testidp.Config{})
	o := newOIDC(t, idp, nil)

	f, cb := login(t, o, "zhangwei", testidp.Password)
	p, refresh, err := o.Finish(context.Background(), f, cb)
	if err != nil {
		t.Fatal(err)
	}

	st, rotated, err := o.Check(context.Background(), p.Subject, refresh)
	if err != nil || st != identity.Active || rotated == "" || rotated == refresh {
		t.Fatalf("Check = %v, %q, %v; want active with the rotated refresh token", st, rotated, err)
	}
	if st, _, err := o.Check(context.Background(), p.Subject, ""); err != nil || st != identity.Active {
		t.Errorf("Check without a refresh token = %v, %v; want active", st, err)
	}

	if !idp.SetDisabled("zhangwei", true) {
		t.Fatal("provider does not know zhangwei")
	}
	if st, _, err := o.Check(context.Background(), p.Subject, rotated); err != nil || st != identity.Gone {
		t.Errorf("Check after disabling = %v, %v; want gone", st, err)
	}

	// A disabled person cannot sign in again: the provider shows its form
	// again and never sends them back.
	authURL, _, err := o.Begin(context.Background(), "/")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := testidp.Login(browser(t), authURL, "zhangwei", testidp.Password)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" {
		t.Errorf("disabled person's sign-in answered %s, Location %q; want the form again", resp.Status, resp.Header.Get("Location"))
	}
}

func TestOIDCProviderUnreachable(t *testing.T) {
	// A port nothing listens on yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	o, err := identity.NewOIDC(identity.OIDCConfig{Issuer: "http://" + addr, ClientID: "duban",
		ClientSecret: "duban-secret", RedirectURL: redirectURL, TimeoutSeconds: 2})
	if err != nil {
		t.Fatalf("NewOIDC must not reach the provider: %v", err)
	}
	if _, _, err := o.Begin(context.Background(), "/"); err == nil {
		t.Fatal("Begin with the provider down succeeded")
	}
	if _, _, err := o.Check(context.Background(), "u-zhangwei", "some-token"); err == nil {
		t.Fatal("Check with the provider down succeeded")
	}

	// The provider comes up: the next use discovers it.
	idp, err := testidp.Start(addr, testidp.Config{RedirectURIs: []string{redirectURL}})
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	t.Cleanup(func() { idp.Close() })
	f, cb := login(t, o, "lina", testidp.Password)
	p, _, err := o.Finish(context.Background(), f, cb)
	if err != nil {
		t.Fatalf("Finish after the provider came up: %v", err)
	}
	if p.Username != "lina" || p.DisplayName != "李娜" || p.Groups != nil {
		t.Errorf("person = %+v", p)
	}
}

func TestNewOIDC(t *testing.T) {
	ok := identity.OIDCConfig{Issuer: "https://sso.example.gov.cn/oidc", ClientID: "duban",
		RedirectURL: "https://duban.example.gov.cn/auth/oidc/callback"}
	tests := []struct {
		name    string
		edit    func(*identity.OIDCConfig)
		wantErr string
	}{
		{"valid", func(*identity.OIDCConfig) {}, ""},
		{"http on loopback", func(c *identity.OIDCConfig) { c.Issuer = "http://127.0.0.1:8080" }, ""},
		{"http on localhost", func(c *identity.OIDCConfig) { c.RedirectURL = "http://localhost:8080/auth/oidc/callback" }, ""},
		{"no issuer", func(c *identity.OIDCConfig) { c.Issuer = "" }, "issuer"},
		{"relative issuer", func(c *identity.OIDCConfig) { c.Issuer = "sso.example.gov.cn" }, "issuer"},
		{"http issuer", func(c *identity.OIDCConfig) { c.Issuer = "http://sso.example.gov.cn" }, "issuer must be https"},
		{"no client", func(c *identity.OIDCConfig) { c.ClientID = " " }, "client_id"},
		{"no redirect", func(c *identity.OIDCConfig) { c.RedirectURL = "" }, "redirect_url"},
		{"negative timeout", func(c *identity.OIDCConfig) { c.TimeoutSeconds = -1 }, "timeout_seconds"},
		{"missing CA file", func(c *identity.OIDCConfig) { c.CAFile = t.TempDir() + "/none.pem" }, "ca_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			_, err := identity.NewOIDC(cfg)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("NewOIDC = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}

	o, err := identity.NewOIDC(identity.OIDCConfig{Issuer: ok.Issuer, ClientID: "duban", RedirectURL: ok.RedirectURL,
		Scopes: []string{"profile"}, Claims: identity.OIDCClaims{Name: "cn", Unit: "org.unit"}})
	if err != nil {
		t.Fatal(err)
	}
	got := o.Config()
	want := identity.OIDCConfig{Issuer: ok.Issuer, ClientID: "duban", RedirectURL: ok.RedirectURL,
		Scopes: []string{"openid", "profile"}, TimeoutSeconds: 10,
		Claims: identity.OIDCClaims{Username: "preferred_username", Name: "cn", Unit: "org.unit", Groups: "groups",
			Email: "email", Mobile: "phone_number"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config with defaults mismatch (-want +got):\n%s", diff)
	}
}

func TestFlowEncoding(t *testing.T) {
	tok := strings.Repeat("a", 42) + "_"
	f := identity.Flow{State: tok, Nonce: strings.Repeat("B", 43), Verifier: strings.Repeat("-", 43),
		Next: "/tasks?q=任务&light=red", Expires: time.Unix(1_900_000_000, 0)}
	got, err := identity.DecodeFlow(f.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	if n := len(identity.Flow{State: tok, Nonce: tok, Verifier: tok, Next: "/" + strings.Repeat("任", 341)}.Encode()); n > identity.MaxFlowLen {
		t.Errorf("a flow with the longest next encodes to %d bytes, over %d", n, identity.MaxFlowLen)
	}

	for _, bad := range []string{
		"",
		"1.",
		"2." + f.Encode()[2:],
		f.Encode() + "!",
		identity.Flow{State: "short", Nonce: tok, Verifier: tok}.Encode(),
		identity.Flow{State: tok, Nonce: tok, Verifier: tok, Next: "https://evil.example"}.Encode(),
		identity.Flow{State: tok, Nonce: tok, Verifier: tok, Next: "/" + strings.Repeat("x", 1024)}.Encode(),
		"1." + strings.Repeat("A", identity.MaxFlowLen),
	} {
		if _, err := identity.DecodeFlow(bad); !errors.Is(err, identity.ErrFlowInvalid) {
			t.Errorf("DecodeFlow(%.40q) = %v, want ErrFlowInvalid", bad, err)
		}
	}
}

func FuzzDecodeFlow(f *testing.F) {
	tok := strings.Repeat("x", 43)
	f.Add(identity.Flow{State: tok, Nonce: tok, Verifier: tok, Next: "/", Expires: time.Unix(1, 0)}.Encode())
	f.Add("1.e30")
	f.Add("1.")
	f.Fuzz(func(t *testing.T, s string) {
		fl, err := identity.DecodeFlow(s)
		if err != nil {
			return
		}
		// What decodes encodes within bounds and decodes the same again.
		enc := fl.Encode()
		if len(enc) > identity.MaxFlowLen {
			t.Fatalf("decoded flow encodes to %d bytes", len(enc))
		}
		again, err := identity.DecodeFlow(enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if diff := cmp.Diff(fl, again); diff != "" {
			t.Fatalf("re-decode mismatch (-first +second):\n%s", diff)
		}
	})
}

// TestOIDCDiscoveryShared: people who arrive while the provider is being
// asked share that attempt's failure instead of each waiting for a timeout.
func TestOIDCDiscoveryShared(t *testing.T) {
	var asked atomic.Int32
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		<-hang
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hang) })
	o, err := identity.NewOIDC(identity.OIDCConfig{Issuer: srv.URL, ClientID: "duban", RedirectURL: redirectURL, TimeoutSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, _, err := o.Begin(context.Background(), "/"); err == nil {
				t.Error("Begin with a provider that does not answer succeeded")
			}
		})
	}
	wg.Wait()
	if n := asked.Load(); n != 1 {
		t.Errorf("the provider was asked %d times by five people at once, want 1", n)
	}
}
