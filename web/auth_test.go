package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestHashPassword(t *testing.T) {
	hash, err := HashPassword("四月的春风 2024")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(hash) {
		t.Errorf("HashPassword = %q, not an argon2id PHC string with the expected parameters", hash)
	}
	if !CheckPassword(hash, "四月的春风 2024") {
		t.Error("CheckPassword(hash, the password) = false")
	}
	for _, wrong := range []string{"", "四月的春风 2025", "四月的春风 2024 "} {
		if CheckPassword(hash, wrong) {
			t.Errorf("CheckPassword(hash, %q) = true", wrong)
		}
	}
	again, err := HashPassword("四月的春风 2024")
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if _, err := HashPassword(""); err == nil {
		t.Error("HashPassword(\"\") succeeded")
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	for _, hash := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=19456,t=2,p=1$3mGyrrlExAeKSW0UfjqdAA$TqzU5vQyyi8E82eX8lUyuvmGzj1LdUyQU+RCiCt91/Q",
		"$argon2id$v=18$m=19456,t=2,p=1$3mGyrrlExAeKSW0UfjqdAA$TqzU5vQyyi8E82eX8lUyuvmGzj1LdUyQU+RCiCt91/Q",
		"$argon2id$v=19$m=99999999,t=2,p=1$3mGyrrlExAeKSW0UfjqdAA$TqzU5vQyyi8E82eX8lUyuvmGzj1LdUyQU+RCiCt91/Q",
		"$argon2id$v=19$m=19456,t=2,p=1$!!$TqzU5vQyyi8E82eX8lUyuvmGzj1LdUyQU+RCiCt91/Q",
		"$argon2id$v=19$m=19456,t=2,p=1$3mGyrrlExAeKSW0UfjqdAA$",
	} {
		if CheckPassword(hash, "x") {
			t.Errorf("CheckPassword(%q, x) = true", hash)
		}
	}
	if _, _, _, ok := parsePHC(dummyHash); !ok {
		t.Error("dummyHash does not parse: unknown user names would answer faster than wrong passwords")
	}
}

func TestSessionCookie(t *testing.T) {
	h := newHarness(t, Config{SecureCookies: true})
	resp := h.do(t, request{method: "POST", path: "/api/v1/session", body: sessionRequest{Username: "admin", Password: testPassword}})
	if resp.status != http.StatusCreated {
		t.Fatalf("sign in: %s", resp)
	}
	cookie := resp.header.Get("Set-Cookie")
	for _, attr := range []string{sessionCookie + "=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("Set-Cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, "Expires") || strings.Contains(cookie, "Max-Age") {
		t.Errorf("Set-Cookie %q outlives the browser", cookie)
	}
	token := strings.TrimPrefix(strings.SplitN(cookie, ";", 2)[0], sessionCookie+"=")
	h.secrets = append(h.secrets, token)
	if len(token) != 43 {
		t.Errorf("session token %q is not 32 bytes in base64url", token)
	}
	if _, err := h.store.FindSession(t.Context(), token); err == nil {
		t.Error("the store keeps the session token itself, not its hash")
	}
	if _, err := h.store.FindSession(t.Context(), hashToken(token)); err != nil {
		t.Errorf("the session is not stored by its hash: %v", err)
	}
}

func TestSessionTimeouts(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		h := newHarness(t, Config{})
		me := request{method: "GET", path: "/api/v1/me", as: "viewer"}
		if got := h.do(t, me); got.status != 200 {
			t.Fatalf("fresh session: %s", got)
		}
		h.clock.Advance(sessionIdle - time.Minute)
		if got := h.do(t, me); got.status != 200 {
			t.Fatalf("session used within the idle time: %s", got)
		}
		// Used a moment ago, so the idle time starts again.
		h.clock.Advance(sessionIdle - time.Minute)
		if got := h.do(t, me); got.status != 200 {
			t.Fatalf("session kept alive: %s", got)
		}
		h.clock.Advance(sessionIdle + time.Second)
		got := h.do(t, me)
		if got.status != 401 || !strings.Contains(string(got.body), "过期") {
			t.Errorf("after %v unused: %s, want 401 saying it expired", sessionIdle, got)
		}
	})
	t.Run("absolute", func(t *testing.T) {
		h := newHarness(t, Config{})
		me := request{method: "GET", path: "/api/v1/me", as: "viewer"}
		for elapsed := time.Duration(0); elapsed < sessionLifetime-time.Hour; elapsed += time.Hour {
			if got := h.do(t, me); got.status != 200 {
				t.Fatalf("after %v in use: %s", elapsed, got)
			}
			h.clock.Advance(time.Hour)
		}
		h.clock.Advance(time.Hour)
		if got := h.do(t, me); got.status != 401 {
			t.Errorf("after %v in use: %s, want 401", sessionLifetime, got)
		}
	})
}

func TestSignInRotatesAndSignOutEnds(t *testing.T) {
	h := newHarness(t, Config{})
	old := h.session(t, "admin")
	// Signing in again with the old cookie ends the old session.
	resp := h.do(t, request{method: "POST", path: "/api/v1/session",
		header: http.Header{"Cookie": {sessionCookie + "=" + old}},
		body:   sessionRequest{Username: "admin", Password: testPassword}})
	if resp.status != 201 {
		t.Fatalf("sign in again: %s", resp)
	}
	fresh := h.signIn(t, "admin", testPassword)
	if fresh == old {
		t.Fatal("sign-in reused the session token")
	}
	withCookie := func(tok string) request {
		return request{method: "GET", path: "/api/v1/me", header: http.Header{"Cookie": {sessionCookie + "=" + tok}}}
	}
	if got := h.do(t, withCookie(old)); got.status != 401 {
		t.Errorf("old session after a new sign-in: %s, want 401", got)
	}
	if got := h.do(t, withCookie(fresh)); got.status != 200 {
		t.Fatalf("new session: %s", got)
	}
	out := h.do(t, request{method: "DELETE", path: "/api/v1/session", header: http.Header{"Cookie": {sessionCookie + "=" + fresh}}})
	if out.status != 204 || !strings.Contains(out.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("sign out: %d, Set-Cookie %q", out.status, out.header.Get("Set-Cookie"))
	}
	if got := h.do(t, withCookie(fresh)); got.status != 401 {
		t.Errorf("session after sign-out: %s, want 401", got)
	}
}

func TestFormLogin(t *testing.T) {
	h := newHarness(t, Config{})
	form := func(v url.Values) request {
		return request{method: "POST", path: "/login", body: []byte(v.Encode()), contentType: "application/x-www-form-urlencoded",
			offContract: v.Get("username") == ""}
	}
	tests := []struct {
		name     string
		form     url.Values
		want     int
		location string
		contains string
	}{
		{"to the start page", url.Values{"username": {"leader"}, "password": {testPassword}}, 303, "/", ""},
		{"to next", url.Values{"username": {"leader"}, "password": {testPassword}, "next": {"/tasks?status=behind"}}, 303, "/tasks?status=behind", ""},
		{"not to another site", url.Values{"username": {"leader"}, "password": {testPassword}, "next": {"//evil.example/"}}, 303, "/", ""},
		{"wrong password", url.Values{"username": {"leader"}, "password": {"guess"}}, 401, "", "用户名或密码错误"},
		{"unknown user", url.Values{"username": {"nobody"}, "password": {"guess"}}, 401, "", "用户名或密码错误"},
		{"empty", url.Values{}, 400, "", "请输入用户名和密码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(t, form(tt.form))
			if got.status != tt.want {
				t.Fatalf("status %d, want %d: %s", got.status, tt.want, got.body)
			}
			if loc := got.header.Get("Location"); loc != tt.location {
				t.Errorf("Location %q, want %q", loc, tt.location)
			}
			if tt.want == 303 && !strings.Contains(got.header.Get("Set-Cookie"), sessionCookie+"=") {
				t.Error("no session cookie")
			}
			if !strings.Contains(string(got.body), tt.contains) {
				t.Errorf("body lacks %q: %s", tt.contains, got.body)
			}
		})
	}
	t.Run("logout", func(t *testing.T) {
		got := h.do(t, request{method: "POST", path: "/logout", as: "leader"})
		if got.status != 303 || got.header.Get("Location") != "/login" {
			t.Errorf("logout: %d to %q", got.status, got.header.Get("Location"))
		}
		delete(h.sessions, "leader")
	})
}

// TestLoginThrottling: five failures for one user name from one address
// lock that pair out for 15 minutes, even with the right password; another
// address is not locked; success clears the count.
func TestLoginThrottling(t *testing.T) {
	h := newHarness(t, Config{ClientIPHeader: "X-Real-IP"})
	attempt := func(password, ip string) response {
		return h.do(t, request{method: "POST", path: "/api/v1/session",
			header: http.Header{"X-Real-IP": {ip}},
			body:   sessionRequest{Username: "supervisor", Password: password}})
	}
	for i := range loginMaxFailures {
		if got := attempt("wrong", "10.0.0.1"); got.status != 401 {
			t.Fatalf("failure %d: %s, want 401", i+1, got)
		}
	}
	got := attempt(testPassword, "10.0.0.1")
	if got.status != 429 || !strings.Contains(string(got.body), "15 分钟") || got.header.Get("Retry-After") != "900" {
		t.Fatalf("after %d failures: %s (Retry-After %q), want 429 asking to wait 15 minutes",
			loginMaxFailures, got, got.header.Get("Retry-After"))
	}
	if got := attempt(testPassword, "10.0.0.2"); got.status != 201 {
		t.Errorf("from another address: %s, want 201", got)
	}
	h.clock.Advance(10 * time.Minute)
	if got := attempt(testPassword, "10.0.0.1"); got.status != 429 {
		t.Errorf("10 minutes later: %s, want 429", got)
	}
	h.clock.Advance(loginWindow + time.Second)
	if got := attempt(testPassword, "10.0.0.1"); got.status != 201 {
		t.Fatalf("15 minutes after the last attempt: %s, want 201", got)
	}
	// The success cleared the count: four more failures do not lock.
	for range loginMaxFailures - 1 {
		attempt("wrong", "10.0.0.1")
	}
	if got := attempt(testPassword, "10.0.0.1"); got.status != 201 {
		t.Errorf("after a success and %d failures: %s, want 201", loginMaxFailures-1, got)
	}
	// The count keys on the user name, whatever its case.
	for range loginMaxFailures {
		h.do(t, request{method: "POST", path: "/api/v1/session", header: http.Header{"X-Real-IP": {"10.0.0.3"}},
			body: sessionRequest{Username: "SUPERVISOR", Password: "wrong"}})
	}
	if got := attempt(testPassword, "10.0.0.3"); got.status != 429 {
		t.Errorf("after failures as SUPERVISOR: %s, want 429", got)
	}
}

func TestLoginRateLimit(t *testing.T) {
	h := newHarness(t, Config{LoginRate: 0.001, LoginBurst: 2})
	var got response
	for range 3 {
		got = h.do(t, request{method: "POST", path: "/api/v1/session", body: sessionRequest{Username: "viewer", Password: "wrong"}})
	}
	if got.status != 429 || !strings.Contains(string(got.body), "登录请求过多") {
		t.Errorf("third attempt with a burst of 2: %s, want 429", got)
	}
}

// TestCrossOriginRefused: a form posted from another site is refused before
// it reaches a handler; the same request from the same origin or from a
// script is not.
func TestCrossOriginRefused(t *testing.T) {
	h := newHarness(t, Config{})
	login := url.Values{"username": {"admin"}, "password": {testPassword}}.Encode()
	crossSite := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
	got := h.do(t, request{method: "POST", path: "/login", body: []byte(login),
		contentType: "application/x-www-form-urlencoded", header: crossSite})
	if got.status != 403 || !strings.Contains(string(got.body), "跨站请求被拒绝") {
		t.Errorf("cross-site login form: %s, want 403", got)
	}
	if strings.Contains(got.header.Get("Set-Cookie"), sessionCookie+"=") {
		t.Error("cross-site login form got a session")
	}
	got = h.do(t, request{method: "POST", path: "/api/v1/units", as: "admin", body: `{"name":"区财政局"}`,
		header: http.Header{"Origin": {"https://evil.example"}}})
	if got.status != 403 {
		t.Errorf("cross-origin unit create with the admin's cookie: %s, want 403", got)
	}
	got = h.do(t, request{method: "POST", path: "/api/v1/units", as: "admin", body: `{"name":"区财政局"}`,
		header: http.Header{"Sec-Fetch-Site": {"same-origin"}}})
	if got.status != 201 {
		t.Errorf("same-origin unit create: %s, want 201", got)
	}
	got = h.do(t, request{method: "GET", path: "/api/v1/units", as: "admin", header: crossSite})
	if got.status != 200 {
		t.Errorf("cross-site GET: %s, want 200 (safe methods pass)", got)
	}
}

// TestBearerToken: a script uses a token made in a browser session.
func TestBearerToken(t *testing.T) {
	h := newHarness(t, Config{})
	made := h.do(t, request{method: "POST", path: "/api/v1/tokens", as: "supervisor", body: `{"name":"周报脚本"}`})
	if made.status != 201 {
		t.Fatalf("create token: %s", made)
	}
	var created tokenCreateResponse
	made.decode(t, &created)
	h.secrets = append(h.secrets, created.Token)
	if !strings.HasPrefix(created.Token, tokenPrefix) || created.APIToken.UserID != h.ids["user_supervisor"] || created.APIToken.Name != "周报脚本" {
		t.Errorf("token %+v", created)
	}

	list := h.do(t, request{method: "GET", path: "/api/v1/tasks", token: created.Token})
	if list.status != 200 || !strings.Contains(string(list.body), `"total":4`) {
		t.Errorf("list tasks with the token: %s", list)
	}
	edit := h.do(t, request{method: "PATCH", path: "/api/v1/tasks/{task_edit}", token: created.Token, body: `{"version":1,"note":"脚本写入"}`})
	if edit.status != 200 {
		t.Errorf("edit a task with the token: %s", edit)
	}
	again := h.do(t, request{method: "POST", path: "/api/v1/tokens", token: created.Token, body: `{"name":"再来一个"}`})
	if again.status != 403 {
		t.Errorf("a token making a token: %s, want 403", again)
	}
	users := h.do(t, request{method: "GET", path: "/api/v1/users", token: created.Token})
	if users.status != 403 {
		t.Errorf("a supervisor's token listing users: %s, want 403", users)
	}
	for _, header := range []string{"Bearer", "Basic " + created.Token, "Bearer " + created.Token + "x"} {
		got := h.do(t, request{method: "GET", path: "/api/v1/me", header: http.Header{"Authorization": {header}}, offContract: true})
		if got.status != 401 {
			t.Errorf("Authorization %.12q…: %s, want 401", header, got)
		}
	}
	// Disabling the user stops the token at once.
	if got := h.do(t, request{method: "PATCH", path: "/api/v1/users/{user_supervisor}", as: "admin", body: `{"disabled":true}`}); got.status != 200 {
		t.Fatalf("disable: %s", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", token: created.Token}); got.status != 401 {
		t.Errorf("token of a disabled user: %s, want 401", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", as: "supervisor"}); got.status != 401 {
		t.Errorf("session of a disabled user: %s, want 401", got)
	}
}

// TestPasswordChangeEndsSessions: after an admin sets a new password, the
// user's sessions end and only the new password signs in.
func TestPasswordChangeEndsSessions(t *testing.T) {
	h := newHarness(t, Config{})
	h.session(t, "viewer")
	newPassword := "新的密码 abc123"
	h.secrets = append(h.secrets, newPassword)
	if got := h.do(t, request{method: "PATCH", path: "/api/v1/users/{user_viewer}", as: "admin",
		body: map[string]string{"password": newPassword}}); got.status != 200 {
		t.Fatalf("set password: %s", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/me", as: "viewer"}); got.status != 401 {
		t.Errorf("old session after the password change: %s, want 401", got)
	}
	if got := h.do(t, request{method: "POST", path: "/api/v1/session", body: sessionRequest{"viewer", testPassword}}); got.status != 401 {
		t.Errorf("old password: %s, want 401", got)
	}
	h.signIn(t, "viewer", newPassword)
}

func TestLocalPath(t *testing.T) {
	tests := map[string]string{
		"":                     "/",
		"/":                    "/",
		"/tasks?x=1":           "/tasks?x=1",
		"//evil.example":       "/",
		`/\evil.example`:       "/",
		"https://evil.example": "/",
		"/a\r\nSet-Cookie:":    "/",
		"tasks":                "/",
	}
	for in, want := range tests {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
