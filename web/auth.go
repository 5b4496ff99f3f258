package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"duban"
)

// Sessions, tokens and sign-in throttling.
const (
	sessionCookie = "duban_session"
	// sessionIdle ends a session nobody used for two hours; sessionLifetime
	// ends any session twelve hours after sign-in.
	sessionIdle     = 2 * time.Hour
	sessionLifetime = 12 * time.Hour
	// sessionTouchEvery bounds the writes that keep a session alive: at most
	// one a minute per session.
	sessionTouchEvery = time.Minute

	// After loginMaxFailures failed sign-ins for one user name from one
	// address within loginWindow, sign-in answers 429 until the window has
	// passed without more attempts.
	loginMaxFailures = 5
	loginWindow      = 15 * time.Minute

	// tokenPrefix marks API tokens, so that secret scanners and people can
	// tell them from other strings.
	tokenPrefix = "dbn_"

	minPasswordLen = 8
	maxPasswordLen = 256
	maxUsernameLen = 64
)

var (
	errNotSignedIn    = duban.Errorf(duban.CodeUnauthorized, "请先登录")
	errBadCredentials = duban.Errorf(duban.CodeUnauthorized, "用户名或密码错误")
	errDisabled       = duban.Errorf(duban.CodeUnauthorized, "账号已停用，请联系管理员")
)

// Password hashing: argon2id with the parameters OWASP recommends (19 MiB, two
// passes, one lane), stored as a PHC string.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashSlots bounds concurrent hashing: each hash holds 19 MiB and a core for
// tens of milliseconds, and a burst of sign-ins must not take the server down.
var hashSlots = make(chan struct{}, 2)

// dummyHash is checked when a user name is unknown, so that a wrong name costs
// the same time as a wrong password.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$3mGyrrlExAeKSW0UfjqdAA$TqzU5vQyyi8E82eX8lUyuvmGzj1LdUyQU+RCiCt91/Q"

// HashPassword returns the argon2id hash of pw as a PHC string
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), for User.PasswordHash. It
// refuses an empty password.
func HashPassword(pw string) (string, error) {
	return hashPassword(context.Background(), pw)
}

// CheckPassword reports whether pw matches hash, a string from HashPassword.
// A malformed hash matches no password.
func CheckPassword(hash, pw string) bool {
	ok, _ := checkPassword(context.Background(), hash, pw)
	return ok
}

type argonParams struct {
	memory, time uint32
	threads      uint8
}

func hashPassword(ctx context.Context, pw string) (string, error) {
	if pw == "" {
		return "", errors.New("hash password: empty password")
	}
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	p := argonParams{memory: argonMemory, time: argonTime, threads: argonThreads}
	key, err := argonKey(ctx, pw, salt, p, argonKeyLen)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword compares in constant time. It fails only when ctx ends while
// waiting for a hashing slot.
func checkPassword(ctx context.Context, hash, pw string) (bool, error) {
	p, salt, want, ok := parsePHC(hash)
	if !ok {
		return false, nil
	}
	got, err := argonKey(ctx, pw, salt, p, uint32(len(want)))
	if err != nil {
		return false, fmt.Errorf("check password: %w", err)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func argonKey(ctx context.Context, pw string, salt []byte, p argonParams, keyLen uint32) ([]byte, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, keyLen), nil
}

// parsePHC reads an argon2id PHC string. The bounds keep a corrupt row from
// asking for gigabytes.
func parsePHC(s string) (p argonParams, salt, key []byte, ok bool) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, false
	}
	var m, t, threads uint64
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &threads); n != 3 || err != nil {
		return p, nil, nil, false
	}
	if m < 8 || m > 1<<20 || t < 1 || t > 16 || threads < 1 || threads > 16 {
		return p, nil, nil, false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, false
	}
	key, err = base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, false
	}
	return argonParams{memory: uint32(m), time: uint32(t), threads: uint8(threads)}, salt, key, true
}

// CheckPasswordPolicy refuses, with CodeInvalid, a password too short to resist
// guessing or too long to hash.
func CheckPasswordPolicy(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < minPasswordLen {
		return duban.Errorf(duban.CodeInvalid, "密码至少 %d 位", minPasswordLen)
	}
	if len(pw) > maxPasswordLen {
		return duban.Errorf(duban.CodeInvalid, "密码不能超过 %d 个字节", maxPasswordLen)
	}
	return nil
}

// newToken returns 32 random bytes in base64url, for a session cookie or (with
// tokenPrefix) an API token.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the store keeps of a token.
func hashToken(token string) string { return duban.HashToken(token) }

// caller is who sent a request: the signed-in user and the actor the store
// sees.
type caller struct {
	user  *duban.User
	actor duban.Actor
	// sessionHash is the hash of the session the request came with; "" when
	// it came with an API token.
	sessionHash string
}

func actorOf(u *duban.User) duban.Actor {
	return duban.Actor{
		UserID:   u.ID,
		Username: u.Username,
		Role:     u.Role,
		OrgID:    u.OrgID,
		UnitID:   u.UnitID,
		PersonID: u.PersonID,
	}
}

// authenticate finds the caller from an Authorization: Bearer token or else
// the session cookie. Nothing is cached: a revoked session, a disabled user or
// a changed role takes effect on the next request.
func (s *Server) authenticate(r *http.Request) (*caller, error) {
	var c *caller
	var err error
	if h := r.Header.Get("Authorization"); h != "" {
		c, err = s.authenticateToken(r.Context(), h)
	} else {
		c, err = s.authenticateSession(r.Context(), r)
	}
	if err != nil {
		return nil, err
	}
	setRequestUser(r.Context(), c.user.ID)
	return c, nil
}

func (s *Server) authenticateSession(ctx context.Context, r *http.Request) (*caller, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, errNotSignedIn
	}
	hash := hashToken(ck.Value)
	sess, err := s.store.FindSession(ctx, hash)
	if duban.ErrorCode(err) == duban.CodeNotFound {
		return nil, errNotSignedIn
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= sessionIdle {
		if err := s.store.DeleteSession(ctx, hash); err != nil && duban.ErrorCode(err) != duban.CodeNotFound {
			return nil, fmt.Errorf("delete expired session: %w", err)
		}
		return nil, duban.Errorf(duban.CodeUnauthorized, "登录已过期，请重新登录")
	}
	u, err := s.store.FindUserByID(ctx, sess.UserID)
	if duban.ErrorCode(err) == duban.CodeNotFound {
		return nil, errNotSignedIn
	} else if err != nil {
		return nil, fmt.Errorf("find session user: %w", err)
	}
	if u.Disabled {
		return nil, errDisabled
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		// A read must not fail because the last-seen time could not be
		// written; the next request tries again.
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			s.logger.Warn("touch session", "request_id", requestID(ctx), "err", err)
		}
	}
	return &caller{user: u, actor: actorOf(u), sessionHash: hash}, nil
}

func (s *Server) authenticateToken(ctx context.Context, header string) (*caller, error) {
	scheme, token, _ := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, duban.Errorf(duban.CodeUnauthorized, "Authorization 头应为 Bearer 加令牌")
	}
	t, err := s.store.FindAPIToken(ctx, hashToken(token))
	if duban.ErrorCode(err) == duban.CodeNotFound {
		return nil, duban.Errorf(duban.CodeUnauthorized, "令牌无效或已撤销")
	} else if err != nil {
		return nil, fmt.Errorf("find api token: %w", err)
	}
	u, err := s.store.FindUserByID(ctx, t.UserID)
	if duban.ErrorCode(err) == duban.CodeNotFound {
		return nil, duban.Errorf(duban.CodeUnauthorized, "令牌无效或已撤销")
	} else if err != nil {
		return nil, fmt.Errorf("find token user: %w", err)
	}
	if u.Disabled {
		return nil, errDisabled
	}
	if t.Expired(s.now()) {
		return nil, duban.Errorf(duban.CodeUnauthorized, "令牌已过期")
	}
	return &caller{user: u, actor: actorOf(u)}, nil
}

// clientIP is the address sign-in throttling keys on.
func (s *Server) clientIP(r *http.Request) string {
	if name := s.cfg.ClientIPHeader; name != "" {
		v := r.Header.Get(name)
		// A proxy appends the address it saw: the last entry is the one it
		// vouches for.
		if i := strings.LastIndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		}
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// signIn checks a user name and password and starts a session: it sets the
// cookie and ends the session the request came with, so a session token
// never survives a sign-in. Attempts are throttled per client address, over
// all clients, per user name and address (five failures in 15 minutes, kept
// in the store so that every server process sees them) and per user name
// (failures only), in that order (loginlimit.go); a refusal is 429 with
// Retry-After.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, username, password string) (*duban.User, *duban.Session, error) {
	ctx := r.Context()
	username = strings.TrimSpace(username)
	if username == "" || password == "" {
		return nil, nil, duban.Errorf(duban.CodeInvalid, "请输入用户名和密码")
	}
	if utf8.RuneCountInString(username) > maxUsernameLen || len(password) > maxPasswordLen {
		return nil, nil, errBadCredentials
	}
	if s.cfg.Identity.NoLocalLogin && s.cfg.Identity.LDAP == nil {
		return nil, nil, errLocalLoginOff
	}
	now := s.now()
	ip := s.clientIP(r)
	if ok, wait := s.loginAddresses.take(addressKey(ip), now); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		return nil, nil, duban.Errorf(duban.CodeTooMany, "本机登录请求过多，请稍后再试")
	}
	if !s.loginLimiter.AllowN(now, 1) {
		w.Header().Set("Retry-After", "1")
		return nil, nil, duban.Errorf(duban.CodeTooMany, "登录请求过多，请稍后再试")
	}

	// The attempt is counted before the password is checked, and the count is
	// cleared on success: so a locked-out key is refused without hashing, and
	// concurrent guesses cannot slip past the limit.
	account := accountKey(username)
	key := account + "|" + ip
	n, err := s.store.RecordLoginFailure(ctx, key, now, now.Add(-loginWindow))
	if err != nil {
		return nil, nil, fmt.Errorf("record login attempt: %w", err)
	}
	if n > loginMaxFailures {
		w.Header().Set("Retry-After", strconv.Itoa(int(loginWindow.Seconds())))
		return nil, nil, duban.Errorf(duban.CodeTooMany, "登录失败次数过多，请 %d 分钟后再试", int(loginWindow.Minutes()))
	}
	// The account's token is taken now, so that concurrent guesses cannot
	// slip past, and given back when the password was right.
	if ok, wait := s.loginAccounts.take(account, now); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		return nil, nil, duban.Errorf(duban.CodeTooMany, "该账号登录失败次数过多，请稍后再试")
	}

	u, err := s.store.FindUserByUsername(ctx, username)
	switch {
	case err == nil:
	case duban.ErrorCode(err) == duban.CodeNotFound:
		u = nil
	default:
		return nil, nil, fmt.Errorf("find user: %w", err)
	}
	// duban's own password signs in a local account while local sign-in is
	// on; the directory checks everyone else (and the accounts it brought).
	local := u != nil && u.Source == "" && !s.cfg.Identity.NoLocalLogin
	if !local && s.cfg.Identity.LDAP != nil {
		u, sess, err := s.signInLDAP(w, r, username, password)
		if err == nil || err == errPending || err == errRequestRejected {
			// A right password does not count against its account or its
			// address.
			s.loginAccounts.give(account, now)
			s.loginAddresses.give(addressKey(ip), now)
			if cerr := s.store.ClearLoginFailures(ctx, key); cerr != nil {
				return nil, nil, fmt.Errorf("clear login failures: %w", cerr)
			}
		}
		return u, sess, err
	}
	hash := dummyHash
	if local {
		if _, _, _, ok := parsePHC(u.PasswordHash); ok {
			hash = u.PasswordHash
		}
	}
	match, err := checkPassword(ctx, hash, password)
	if err != nil {
		return nil, nil, err
	}
	if !local || hash != u.PasswordHash || !match {
		ev := duban.SignInEvent{Username: username, Method: methodPassword, Outcome: "failed", Reason: "wrong user name or password"}
		if u != nil {
			ev.UserID = u.ID
			if !local {
				ev.Reason = "no local sign-in for this account"
			}
		}
		s.recordSignIn(r, ev)
		return nil, nil, errBadCredentials
	}
	// A right password does not count against its account or its address:
	// a whole office behind one address (a NAT, a proxy without
	// DUBAN_CLIENT_IP_HEADER) signs in at nine without waiting.
	s.loginAccounts.give(account, now)
	s.loginAddresses.give(addressKey(ip), now)
	if err := s.store.ClearLoginFailures(ctx, key); err != nil {
		return nil, nil, fmt.Errorf("clear login failures: %w", err)
	}
	if u.Disabled {
		s.recordSignIn(r, duban.SignInEvent{UserID: u.ID, Username: u.Username, Method: methodPassword, Outcome: "refused", Reason: "account disabled"})
		return nil, nil, errDisabled
	}
	sess, err := s.startSession(w, r, u, methodPassword)
	if err != nil {
		return nil, nil, err
	}
	return u, sess, nil
}

// startSession ends the request's previous session, if any, starts one for
// u (audited with how they signed in) and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *duban.User, method string) (*duban.Session, error) {
	ctx := r.Context()
	now := s.now()
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.store.DeleteSession(ctx, hashToken(ck.Value)); err != nil && duban.ErrorCode(err) != duban.CodeNotFound {
			return nil, fmt.Errorf("end previous session: %w", err)
		}
	}
	token := newToken()
	sess := &duban.Session{
		TokenHash:  hashToken(token),
		UserID:     u.ID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(sessionLifetime),
		Method:     method,
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	setRequestUser(ctx, u.ID)
	// No Expires: the cookie ends with the browser, the session at the latest
	// after sessionLifetime.
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
	return sess, nil
}

// signOut ends the request's session, if any, and clears the cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.store.DeleteSession(r.Context(), hashToken(ck.Value)); err != nil && duban.ErrorCode(err) != duban.CodeNotFound {
			return fmt.Errorf("delete session: %w", err)
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
	return nil
}

type sessionRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type sessionResponse struct {
	User      *duban.User `json:"user"`
	ExpiresAt time.Time   `json:"expires_at"`
}

// handleSessionCreate signs in with JSON {username, password}: 201 with the
// user and the session cookie.
func (s *Server) handleSessionCreate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	var req sessionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, sess, err := s.signIn(w, r, req.Username, req.Password)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sessionResponse{User: u, ExpiresAt: sess.ExpiresAt})
}

// handleSessionDelete signs out: 204, whether or not there was a session.
func (s *Server) handleSessionDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.signOut(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// maxFormBytes bounds the sign-in form.
const maxFormBytes = 16 << 10

// loginFailedPage answers a failed form sign-in until the HTML pages exist.
var loginFailedPage = template.Must(template.New("login_failed").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>登录失败 - 督办</title></head>
<body><p>{{.Message}}</p><p><a href="/login">返回登录</a></p></body></html>
`))

type loginFailedView struct {
	Message string
}

// handleLogin signs in from the HTML form (username, password, optional next):
// 303 to next (a local path) or /. A failure answers its status with a short
// page; an internal error goes to the adapter.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	err := s.loginForm(w, r)
	if err == nil {
		http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
		return nil
	}
	status, detail := classify(err)
	if status == http.StatusInternalServerError {
		return err
	}
	var buf bytes.Buffer
	if err := loginFailedPage.Execute(&buf, loginFailedView{Message: detail.Message}); err != nil {
		return fmt.Errorf("render login page: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return duban.Errorf(duban.CodeInvalid, "登录表单无法解析")
	}
	_, _, err := s.signIn(w, r, r.PostForm.Get("username"), r.PostForm.Get("password"))
	return err
}

// handleLogout signs out from the HTML pages: 303 to /login.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.signOut(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// localPath returns next when it is a path on this server, else "/": a
// sign-in link must not send the user elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t") {
		return "/"
	}
	return next
}

type meResponse struct {
	User *duban.User `json:"user"`
	Org  *duban.Org  `json:"org"`
}

// handleMe returns the signed-in user and their organisation.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.store.FindOrgByID(r.Context(), c.user.OrgID)
	if err != nil {
		return fmt.Errorf("find org of user: %w", err)
	}
	return writeJSON(w, http.StatusOK, meResponse{User: c.user, Org: org})
}

type tokenCreateRequest struct {
	Name string `json:"name"`
	// ExpiresAt or ExpiresInDays (at most one) set when the token expires;
	// neither means never.
	ExpiresAt     *time.Time `json:"expires_at"`
	ExpiresInDays *int       `json:"expires_in_days"`
}

type tokenCreateResponse struct {
	// Token is shown once; only its hash is kept.
	Token    string          `json:"token"`
	APIToken *duban.APIToken `json:"api_token"`
}

// handleTokenCreate gives the signed-in user an API token for scripts, with
// an optional expiry. It needs a browser session: a token cannot mint more
// tokens.
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	if c.sessionHash == "" {
		return duban.Errorf(duban.CodeForbidden, "请登录后在浏览器中创建令牌")
	}
	var req tokenCreateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	name, err := cleanName("令牌名称", req.Name, 100)
	if err != nil {
		return err
	}
	expires, err := tokenExpiry(s.now(), req.ExpiresAt, req.ExpiresInDays)
	if err != nil {
		return err
	}
	token := tokenPrefix + newToken()
	t := &duban.APIToken{
		UserID:    c.user.ID,
		Name:      name,
		TokenHash: hashToken(token),
		CreatedAt: s.now(),
		ExpiresAt: expires,
	}
	if err := s.store.CreateAPIToken(r.Context(), c.actor, t); err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	return writeJSON(w, http.StatusCreated, tokenCreateResponse{Token: token, APIToken: t})
}
