package identity

import (
	"context"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig is how duban signs people in through an OpenID Connect
// provider (统一身份认证) with the authorization code flow, PKCE (S256),
// state and nonce. duban is a confidential client registered at the provider
// with RedirectURL as its redirect URI.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, as its discovery document
	// (Issuer + "/.well-known/openid-configuration") states it. It must be
	// https, except on a loopback address (tests).
	Issuer       string `json:"issuer"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// RedirectURL is duban's callback as registered at the provider:
	// https://duban.example.gov.cn/auth/oidc/callback.
	RedirectURL string `json:"redirect_url"`
	// Scopes are asked for at sign-in; empty means DefaultOIDCScopes.
	// "openid" is always asked for. offline_access gets the refresh token
	// the periodic check uses: without it (or when the provider gives no
	// refresh token) a person disabled upstream keeps their duban account
	// until an administrator disables it.
	Scopes []string `json:"scopes"`
	// Claims name the claims the person's attributes are read from.
	Claims OIDCClaims `json:"claims"`
	// UseUserInfo merges the claims of the provider's userinfo endpoint
	// over those of the ID token: set it for providers that put the
	// profile only there.
	UseUserInfo bool `json:"use_userinfo"`
	// CAFile is a PEM file of certificate authorities trusted beside the
	// system's, for a provider whose certificate a government CA signed.
	CAFile string `json:"ca_file"`
	// TimeoutSeconds bounds each request to the provider; 0 means 10.
	TimeoutSeconds int `json:"timeout_seconds"`
}

// OIDCClaims name the claims a Person is read from. A name with dots
// ("org.unit") also finds a nested claim ({"org": {"unit": …}}) when no
// claim has the whole name. An empty name means the default below; "-"
// means the attribute is not read.
type OIDCClaims struct {
	// Username defaults to preferred_username; a person without it is
	// known by their sub.
	Username string `json:"username"`
	// Name defaults to name.
	Name string `json:"name"`
	// Unit has no default: there is no standard claim for it (department,
	// org_name, …). An array gives its first value.
	Unit string `json:"unit"`
	// Groups defaults to groups: an array of names, or one name.
	Groups string `json:"groups"`
	// Email defaults to email.
	Email string `json:"email"`
	// Mobile defaults to phone_number.
	Mobile string `json:"mobile"`
}

// DefaultOIDCScopes are the scopes asked for when the configuration names
// none.
var DefaultOIDCScopes = []string{oidc.ScopeOpenID, "profile", "email", "phone", oidc.ScopeOfflineAccess}

// FlowLifetime is how long a person has, from the sign-in button, to come
// back from the provider.
const FlowLifetime = 10 * time.Minute

// Errors of the OIDC sign-in flow, beside ErrRejected and ErrDisabled.
var (
	// ErrFlowInvalid is a callback that does not finish the flow this
	// browser started: no flow, another state, expired, a code the provider
	// does not know (any more), or an ID token for another nonce. The
	// person starts again.
	ErrFlowInvalid = errors.New("identity: sign-in flow invalid or expired")
	// ErrTokenInvalid is an ID token that does not verify (signature,
	// issuer, audience, expiry) or lacks the subject.
	ErrTokenInvalid = errors.New("identity: invalid id token")
)

// ProviderError is an error the provider sent back to the callback instead
// of a code (RFC 6749 4.1.2.1), such as access_denied.
type ProviderError struct {
	Code        string
	Description string
}

func (e *ProviderError) Error() string {
	if e.Description == "" {
		return "identity: provider answered " + e.Code
	}
	return "identity: provider answered " + e.Code + ": " + e.Description
}

// OIDC signs people in through an OpenID Connect provider and checks them
// with their refresh tokens. It is safe for concurrent use.
type OIDC struct {
	cfg    OIDCConfig
	client *http.Client
	now    func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    *oauth2.Config
	// failedAt and failure are the last discovery that failed.
	failedAt time.Time
	failure  error
}

var _ Checker = (*OIDC)(nil)

// NewOIDC checks cfg and returns the source. It does not reach the
// provider: discovery happens on first use and is tried again on each use
// until it succeeds, so duban starts while the provider is down.
func NewOIDC(cfg OIDCConfig) (*OIDC, error) {
	if err := checkHTTPS("issuer", cfg.Issuer); err != nil {
		return nil, err
	}
	if err := checkHTTPS("redirect_url", cfg.RedirectURL); err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		return nil, errors.New("oidc: client_id is required")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultOIDCScopes
	}
	if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	cfg.Scopes = slices.Clone(cfg.Scopes)
	c := &cfg.Claims
	for _, d := range []struct {
		field *string
		def   string
	}{
		{&c.Username, "preferred_username"}, {&c.Name, "name"}, {&c.Groups, "groups"},
		{&c.Email, "email"}, {&c.Mobile, "phone_number"},
	} {
		if *d.field == "" {
			*d.field = d.def
		}
	}
	if cfg.TimeoutSeconds < 0 {
		return nil, errors.New("oidc: timeout_seconds must not be negative")
	}
	if cfg.TimeoutSeconds == 0 {
		cfg.TimeoutSeconds = 10
	}
	timeout := time.Duration(cfg.TimeoutSeconds) * time.Second
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSHandshakeTimeout = timeout
	tr.ResponseHeaderTimeout = timeout
	tr.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("oidc: read ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("oidc: ca_file %s holds no PEM certificate", cfg.CAFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &OIDC{
		cfg:    cfg,
		client: &http.Client{Transport: tr, Timeout: timeout},
		now:    time.Now,
	}, nil
}

// checkHTTPS refuses a URL that is not absolute https; http is allowed on
// loopback addresses only.
func checkHTTPS(name, s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("oidc: %s must be an absolute https URL, not %q", name, s)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("oidc: %s must be https (http only on a loopback address): %q", name, s)
		}
	}
	return nil
}

// Source returns SourceOIDC.
func (o *OIDC) Source() string { return SourceOIDC }

// Config returns the configuration with its defaults filled in.
func (o *OIDC) Config() OIDCConfig { return o.cfg }

// discover fetches the provider's discovery document once it can. Callers
// wait for one another, and those who waited for an attempt that failed
// share its error: a provider that is down is asked once per wave of
// sign-ins, not once per person, each waiting for the timeout.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, *oauth2.Config, error) {
	arrived := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, o.verifier, o.oauth, nil
	}
	if o.failedAt.After(arrived) {
		return nil, nil, nil, o.failure
	}
	p, err := oidc.NewProvider(o.clientContext(ctx), o.cfg.Issuer)
	if err != nil {
		o.failedAt, o.failure = time.Now(), fmt.Errorf("oidc discovery: %w", err)
		return nil, nil, nil, o.failure
	}
	o.provider = p
	// The verifier fetches the provider's keys with o.client, whatever
	// request first needs them.
	o.verifier = p.VerifierContext(o.clientContext(context.Background()), &oidc.Config{ClientID: o.cfg.ClientID, Now: func() time.Time { return o.now() }})
	o.oauth = &oauth2.Config{
		ClientID:     o.cfg.ClientID,
		ClientSecret: o.cfg.ClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  o.cfg.RedirectURL,
		Scopes:       o.cfg.Scopes,
	}
	return o.provider, o.verifier, o.oauth, nil
}

// clientContext makes go-oidc and oauth2 use o.client.
func (o *OIDC) clientContext(ctx context.Context) context.Context {
	ctx = oidc.ClientContext(ctx, o.client)
	return context.WithValue(ctx, oauth2.HTTPClient, o.client)
}

// Begin starts a sign-in: it returns the provider's authorization URL to
// send the browser to and the Flow to keep in the browser until the
// callback. next is where the person goes after signing in (a local path,
// which the caller checks). It fails when the provider cannot be reached.
func (o *OIDC) Begin(ctx context.Context, next string) (authURL string, f Flow, err error) {
	_, _, oc, err := o.discover(ctx)
	if err != nil {
		return "", Flow{}, err
	}
	f = Flow{
		State:    oauth2.GenerateVerifier(),
		Nonce:    oauth2.GenerateVerifier(),
		Verifier: oauth2.GenerateVerifier(),
		Next:     next,
		Expires:  o.now().Add(FlowLifetime).Truncate(time.Second),
	}
	authURL = oc.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return authURL, f, nil
}

// Finish ends a sign-in at the callback: q is the callback's query, f the
// Flow Begin gave this browser. It checks the state and the flow's expiry,
// exchanges the code with the PKCE verifier, verifies the ID token (issuer,
// audience, expiry, signature) and its nonce, and reads the person from the
// token's claims (merged with userinfo's when configured).
//
// It returns the person and the refresh token ("" when the provider gave
// none), or ErrFlowInvalid, a *ProviderError (the provider refused or
// failed), ErrTokenInvalid, or another error when the provider could not be
// reached.
func (o *OIDC) Finish(ctx context.Context, f Flow, q url.Values) (p Person, refreshToken string, err error) {
	// The state comes first: an error parameter from another flow is not
	// this person's answer.
	state := q.Get("state")
	if f.State == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return Person{}, "", fmt.Errorf("%w: state does not match", ErrFlowInvalid)
	}
	if !o.now().Before(f.Expires) {
		return Person{}, "", fmt.Errorf("%w: flow expired", ErrFlowInvalid)
	}
	if code := q.Get("error"); code != "" {
		return Person{}, "", &ProviderError{Code: code, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return Person{}, "", fmt.Errorf("%w: no code", ErrFlowInvalid)
	}
	prov, verifier, oc, err := o.discover(ctx)
	if err != nil {
		return Person{}, "", err
	}
	ctx = o.clientContext(ctx)
	tok, err := oc.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			return Person{}, "", fmt.Errorf("%w: code refused: %s", ErrFlowInvalid, re.ErrorDescription)
		}
		if errors.As(err, &re) && re.ErrorCode != "" {
			return Person{}, "", &ProviderError{Code: re.ErrorCode, Description: re.ErrorDescription}
		}
		return Person{}, "", fmt.Errorf("oidc exchange code: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Person{}, "", fmt.Errorf("%w: the token response has no id_token", ErrTokenInvalid)
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return Person{}, "", fmt.Errorf("%w: %v", ErrTokenInvalid, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return Person{}, "", fmt.Errorf("%w: nonce does not match", ErrFlowInvalid)
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Person{}, "", fmt.Errorf("%w: claims: %v", ErrTokenInvalid, err)
	}
	if o.cfg.UseUserInfo {
		ui, err := prov.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return Person{}, "", fmt.Errorf("oidc userinfo: %w", err)
		}
		// OpenID Connect Core 5.3.2: the userinfo's sub must be the ID
		// token's, or the answer is not about this person.
		if ui.Subject != idt.Subject {
			return Person{}, "", fmt.Errorf("%w: userinfo is about another subject", ErrTokenInvalid)
		}
		extra := map[string]any{}
		if err := ui.Claims(&extra); err != nil {
			return Person{}, "", fmt.Errorf("oidc userinfo claims: %w", err)
		}
		for k, v := range extra {
			claims[k] = v
		}
	}
	p = o.person(idt.Subject, claims)
	if p.Subject == "" {
		return Person{}, "", fmt.Errorf("%w: no sub", ErrTokenInvalid)
	}
	return p, tok.RefreshToken, nil
}

// person reads a Person from claims.
func (o *OIDC) person(subject string, claims map[string]any) Person {
	c := o.cfg.Claims
	p := Person{
		Source:      SourceOIDC,
		Subject:     subject,
		Username:    claimString(claims, c.Username),
		DisplayName: claimString(claims, c.Name),
		Email:       claimString(claims, c.Email),
		Mobile:      claimString(claims, c.Mobile),
		Unit:        claimString(claims, c.Unit),
		Groups:      claimStrings(claims, c.Groups),
	}
	if p.Username == "" {
		p.Username = subject
	}
	return p
}

// claim finds name in claims: the claim of that name, else the nested claim
// its dots lead to.
func claim(claims map[string]any, name string) any {
	if name == "" || name == "-" {
		return nil
	}
	if v, ok := claims[name]; ok {
		return v
	}
	var cur any = claims
	for part := range strings.SplitSeq(name, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[part]; !ok {
			return nil
		}
	}
	return cur
}

// claimString reads a claim as one string: a string as is, a number or
// boolean as written, the first non-empty string of an array.
func claimString(claims map[string]any, name string) string {
	switch v := claim(claims, name).(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	case float64, bool:
		return fmt.Sprint(v)
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

// claimStrings reads a claim as a list of names: an array's strings, or one
// string.
func claimStrings(claims map[string]any, name string) []string {
	var out []string
	switch v := claim(claims, name).(type) {
	case string:
		if s := strings.TrimSpace(v); s != "" {
			out = append(out, s)
		}
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		}
	}
	return out
}

// Check asks the provider whether subject may still sign in, by refreshing
// refreshToken. A provider that refuses the token (invalid_grant: the person
// was disabled or deleted, or the grant revoked) answers Gone. A refresh
// token the provider rotated comes back as newSecret. An empty refreshToken
// (the provider gave none) answers Active: there is nothing to ask with, so
// only an administrator can disable such a person. Any other failure is an
// error, and the person is left as they are.
func (o *OIDC) Check(ctx context.Context, subject, refreshToken string) (Status, string, error) {
	if refreshToken == "" {
		return Active, "", nil
	}
	_, verifier, oc, err := o.discover(ctx)
	if err != nil {
		return Active, "", err
	}
	ctx = o.clientContext(ctx)
	tok, err := oc.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			return Gone, "", nil
		}
		return Active, "", fmt.Errorf("oidc refresh: %w", err)
	}
	// A new ID token, when the provider sends one, must still be about the
	// same person.
	if raw, _ := tok.Extra("id_token").(string); raw != "" {
		idt, err := verifier.Verify(ctx, raw)
		if err != nil {
			return Active, "", fmt.Errorf("oidc refresh: %w: %v", ErrTokenInvalid, err)
		}
		if idt.Subject != subject {
			return Active, "", fmt.Errorf("oidc refresh: %w: the token is about another subject", ErrTokenInvalid)
		}
	}
	newSecret := ""
	if tok.RefreshToken != "" && tok.RefreshToken != refreshToken {
		newSecret = tok.RefreshToken
	}
	return Active, newSecret, nil
}

// Flow is what the browser keeps, in a short-lived cookie, between the
// sign-in button and the provider's callback: the state the callback must
// bring back, the nonce the ID token must carry, the PKCE verifier, where to
// go afterwards and when the flow expires. It is meaningful only to the
// browser that started it.
type Flow struct {
	State    string
	Nonce    string
	Verifier string
	Next     string
	Expires  time.Time
}

// MaxFlowLen bounds an encoded Flow, and so the cookie that holds it.
const MaxFlowLen = 2048

// maxNextLen bounds Flow.Next.
const maxNextLen = 1024

// flowJSON is the encoded form of a Flow.
type flowJSON struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Expires  int64  `json:"e"`
}

// flowPrefix versions the encoding.
const flowPrefix = "1."

// Encode returns f as a cookie value: URL-safe text of at most MaxFlowLen
// bytes for any Flow that DecodeFlow accepts.
func (f Flow) Encode() string {
	b, _ := json.Marshal(flowJSON{f.State, f.Nonce, f.Verifier, f.Next, f.Expires.Unix()})
	return flowPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// DecodeFlow reads a Flow from Encode's text. It refuses, with
// ErrFlowInvalid, text that is too long or malformed, and a flow whose
// state, nonce or verifier is not a 43-character base64url string (what
// Begin makes) or whose next is not a path.
func DecodeFlow(s string) (Flow, error) {
	if len(s) > MaxFlowLen || !strings.HasPrefix(s, flowPrefix) {
		return Flow{}, fmt.Errorf("%w: malformed flow", ErrFlowInvalid)
	}
	b, err := base64.RawURLEncoding.DecodeString(s[len(flowPrefix):])
	if err != nil {
		return Flow{}, fmt.Errorf("%w: malformed flow", ErrFlowInvalid)
	}
	var j flowJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Flow{}, fmt.Errorf("%w: malformed flow", ErrFlowInvalid)
	}
	for _, v := range []string{j.State, j.Nonce, j.Verifier} {
		if !isToken(v) {
			return Flow{}, fmt.Errorf("%w: malformed flow", ErrFlowInvalid)
		}
	}
	if j.Next != "" && (!strings.HasPrefix(j.Next, "/") || len(j.Next) > maxNextLen || !utf8.ValidString(j.Next)) {
		return Flow{}, fmt.Errorf("%w: malformed flow", ErrFlowInvalid)
	}
	return Flow{State: j.State, Nonce: j.Nonce, Verifier: j.Verifier, Next: j.Next, Expires: time.Unix(j.Expires, 0)}, nil
}

// isToken reports whether s is 43 base64url characters: 32 random bytes.
func isToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
