package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/identity"
	"duban/identity/testidp"
)

// TestOIDCSignInEndToEnd runs `duban serve` with the identity section's
// OpenID Connect provider (the test provider): a member of its 督查室 group
// signs in through the 统一身份认证 button and is a supervisor; once the
// provider disables her, `duban job run identity` ends her session.
func TestOIDCSignInEndToEnd(t *testing.T) {
	// duban's address comes first: the provider must know its callback.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	idp, err := testidp.Start("127.0.0.1:0", testidp.Config{RedirectURIs: []string{base + "/auth/oidc/callback"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close() })

	dir := t.TempDir()
	cfg := map[string]any{
		"database_url": "sqlite://" + filepath.Join(dir, "duban.db"),
		"identity": map[string]any{
			"oidc": identity.OIDCConfig{Issuer: idp.Issuer, ClientID: idp.ClientID, RedirectURL: base + "/auth/oidc/callback",
				Claims: identity.OIDCClaims{Unit: "department"}},
			"oidc_label": "区政务服务统一身份认证",
			"rules":      []identity.Rule{{Group: "督查室", Role: "supervisor"}},
			"secret_key": "a key of the test, long enough",
		},
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "duban.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		return map[string]string{"DUBAN_CONFIG": file, "DUBAN_JOBS": "0", "DUBAN_OIDC_CLIENT_SECRET": idp.ClientSecret}[k]
	}
	cli := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, env, &out, &errOut); err != nil {
			t.Fatalf("duban %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String() + errOut.String()
	}
	cli("migrate")
	cli("org", "add", "示范区")
	if out := cli("config"); strings.Contains(out, idp.ClientSecret) || !strings.Contains(out, idp.Issuer) {
		t.Errorf("duban config shows the client secret or not the provider:\n%s", out)
	}
	srv := startCommand(t, env, "serve", "--addr", addr)

	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: srv.url, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), base) && req.URL.Path != "/auth/oidc/callback" {
				return http.ErrUseLastResponse
			}
			return nil
		}}}
	c.get("/login", http.StatusOK, nil)
	resp, err := testidp.Login(c.http, base+"/auth/oidc/login?next=/dashboard", "zhangwei", testidp.Password)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard" {
		t.Fatalf("callback: %s Location %q; want 303 to /dashboard", resp.Status, resp.Header.Get("Location"))
	}
	var me struct {
		User struct {
			Username, Role, Source string
			DisplayName            string `json:"display_name"`
		} `json:"user"`
	}
	c.get("/api/v1/me", http.StatusOK, &me)
	if me.User.Role != "supervisor" || me.User.Source != "oidc" || me.User.DisplayName != "张伟" {
		t.Errorf("the provider's 督查室 member is %+v", me.User)
	}

	// The provider disables her; the next check ends her session.
	idp.SetDisabled("zhangwei", true)
	if out := cli("job", "run", "identity"); !strings.Contains(out, "1 disabled") {
		t.Errorf("job run identity: %s", out)
	}
	c.get("/api/v1/me", http.StatusUnauthorized, nil)
}

func TestIdentitySettingsOIDC(t *testing.T) {
	o := &identity.OIDCConfig{Issuer: "https://sso.example.gov.cn", ClientID: "duban", ClientSecret: "a client secret of 16+ bytes",
		RedirectURL: "https://duban.example.gov.cn/auth/oidc/callback"}
	off := false
	s := IdentitySettings{OIDC: o, LocalLogin: &off}
	if err := s.validate(); err != nil {
		t.Errorf("OIDC alone with local_login off: %v", err)
	}
	if m := s.masked(); m.OIDC.ClientSecret != "xxxxx" || o.ClientSecret == "xxxxx" {
		t.Errorf("masked: %q, original %q", m.OIDC.ClientSecret, o.ClientSecret)
	}
	bad := *o
	bad.Issuer = "http://sso.example.gov.cn"
	if err := (IdentitySettings{OIDC: &bad}).validate(); err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("an http issuer: %v", err)
	}
	setup, err := buildIdentity(s, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if setup.web.OIDC == nil || setup.sealer == nil || len(setup.checkers) != 1 || !setup.web.NoLocalLogin {
		t.Errorf("buildIdentity: %+v; want the OIDC source as a checker, sealing with the client secret", setup)
	}
}
