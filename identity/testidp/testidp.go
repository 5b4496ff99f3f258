// Package testidp runs a real OpenID Connect provider for tests: zitadel's
// example provider (github.com/zitadel/oidc/v3/example/server), with one
// web client for duban and test people whose claims carry a name in
// Chinese, a unit (department) and groups, as a government's 统一身份认证
// would. A person can be disabled while it runs: they can no longer sign in,
// and their refresh tokens are refused (invalid_grant).
//
// Go tests start it in-process with Start; scripts/testidp runs it for the
// browser tests. It is for tests only: passwords are plain text and keys
// are made up at start.
package testidp

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Person is a test person at the provider.
type Person struct {
	// ID is the person's sub.
	ID       string
	Username string
	Password string
	Name     string
	Email    string
	Phone    string
	// Department is given in the "department" claim.
	Department string
	// Groups are given in the "groups" claim.
	Groups []string
}

// Password is the password of DefaultPeople.
const Password = "Ceshi-2026"

// DefaultPeople are the people a provider has when Config names none:
// zhangwei (张伟) of 区发改委 in group 督查室, wangfang (王芳) of 区教育局 in
// group 填报员, and lina (李娜) of 区卫健委 in no group.
func DefaultPeople() []Person {
	return []Person{
		{ID: "u-zhangwei", Username: "zhangwei", Password: Password, Name: "张伟", Email: "zhangwei@example.gov.cn",
			Phone: "13800000001", Department: "区发改委", Groups: []string{"督查室"}},
		{ID: "u-wangfang", Username: "wangfang", Password: Password, Name: "王芳", Email: "wangfang@example.gov.cn",
			Phone: "13800000002", Department: "区教育局", Groups: []string{"填报员"}},
		{ID: "u-lina", Username: "lina", Password: Password, Name: "李娜", Email: "lina@example.gov.cn",
			Phone: "13800000003", Department: "区卫健委"},
	}
}

// Config configures a provider.
type Config struct {
	// ClientID and ClientSecret are duban's client; empty means "duban" and
	// "duban-secret".
	ClientID     string
	ClientSecret string
	// RedirectURIs are the client's registered redirect URIs.
	RedirectURIs []string
	// People are the people who can sign in; nil means DefaultPeople.
	People []Person
	// ClaimsInUserInfoOnly leaves name, unit, groups and the rest out of
	// the ID token, as providers that follow OpenID Connect Core 5.4 to the
	// letter do; the userinfo endpoint still gives them.
	ClaimsInUserInfoOnly bool
}

// Server is a running provider.
type Server struct {
	// Issuer is the provider's issuer URL: http://127.0.0.1:PORT.
	Issuer       string
	ClientID     string
	ClientSecret string

	store *store
	srv   *http.Server
	done  chan struct{}
}

// Start starts a provider listening on addr ("127.0.0.1:0" picks a port).
// Besides the provider's endpoints and its sign-in form (/login/username,
// fields username and password), it serves POST /test/disable?user=NAME and
// POST /test/enable?user=NAME.
func Start(addr string, cfg Config) (*Server, error) {
	if cfg.ClientID == "" {
		cfg.ClientID = "duban"
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = "duban-secret"
	}
	if cfg.People == nil {
		cfg.People = DefaultPeople()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("testidp: %w", err)
	}
	issuer := "http://" + ln.Addr().String()
	users := &userStore{byID: map[string]*storage.User{}, people: map[string]Person{}}
	for _, p := range cfg.People {
		users.byID[p.ID] = &storage.User{
			ID: p.ID, Username: p.Username, Password: p.Password, FirstName: p.Name,
			Email: p.Email, EmailVerified: true, Phone: p.Phone, PhoneVerified: true,
			PreferredLanguage: language.Chinese,
		}
		users.people[p.ID] = p
	}
	clients := map[string]*storage.Client{
		cfg.ClientID: storage.WebClient(cfg.ClientID, cfg.ClientSecret, cfg.RedirectURIs...),
	}
	st := &store{Storage: storage.NewStorageWithClients(users, clients), users: users,
		userInfoOnly: cfg.ClaimsInUserInfoOnly, disabled: map[string]bool{}}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /test/disable", func(w http.ResponseWriter, r *http.Request) { st.setDisabled(w, r, true) })
	mux.HandleFunc("POST /test/enable", func(w http.ResponseWriter, r *http.Request) { st.setDisabled(w, r, false) })
	mux.Handle("/", exampleop.SetupServer(issuer, st, nil, false))

	s := &Server{Issuer: issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, store: st,
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.srv.Serve(ln)
	}()
	return s, nil
}

// Close stops the provider.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}

// SetDisabled disables (or enables again) the person with username at the
// provider. It reports whether the provider knows them.
func (s *Server) SetDisabled(username string, disabled bool) bool {
	return s.store.disable(username, disabled)
}

// userStore is the example storage's UserStore over the test people.
type userStore struct {
	byID   map[string]*storage.User
	people map[string]Person
}

func (u *userStore) GetUserByID(id string) *storage.User { return u.byID[id] }

func (u *userStore) GetUserByUsername(username string) *storage.User {
	for _, user := range u.byID {
		if user.Username == username {
			return user
		}
	}
	return nil
}

func (u *userStore) ExampleClientID() string { return storage.ServiceUserID }

// store is the example storage with the test people's claims and a switch
// to disable them.
type store struct {
	*storage.Storage
	users        *userStore
	userInfoOnly bool

	mu       sync.Mutex
	disabled map[string]bool // by ID
}

var errDisabled = errors.New("账号已停用 (account disabled)")

func (s *store) disable(username string, disabled bool) bool {
	user := s.users.GetUserByUsername(username)
	if user == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disabled[user.ID] = disabled
	return true
}

func (s *store) isDisabled(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disabled[id]
}

func (s *store) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	if !s.disable(r.URL.Query().Get("user"), disabled) {
		http.Error(w, "no such user", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// CheckUsernamePassword refuses a disabled person at the sign-in form.
func (s *store) CheckUsernamePassword(username, password, id string) error {
	if user := s.users.GetUserByUsername(username); user != nil && s.isDisabled(user.ID) {
		return errDisabled
	}
	return s.Storage.CheckUsernamePassword(username, password, id)
}

// TokenRequestByRefreshToken refuses the refresh tokens of a disabled
// person: the provider answers invalid_grant.
func (s *store) TokenRequestByRefreshToken(ctx context.Context, refreshToken string) (op.RefreshTokenRequest, error) {
	req, err := s.Storage.TokenRequestByRefreshToken(ctx, refreshToken)
	if err != nil {
		return nil, err
	}
	if s.isDisabled(req.GetSubject()) {
		return nil, errDisabled
	}
	return req, nil
}

// SetUserinfoFromRequest fills the ID token's claims.
func (s *store) SetUserinfoFromRequest(ctx context.Context, userinfo *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, userinfo, token, scopes); err != nil {
		return err
	}
	if !s.userInfoOnly {
		s.addClaims(userinfo, token.GetSubject())
	}
	return nil
}

// SetUserinfoFromToken fills the userinfo endpoint's answer.
func (s *store) SetUserinfoFromToken(ctx context.Context, userinfo *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, userinfo, tokenID, subject, origin); err != nil {
		return err
	}
	if s.isDisabled(subject) {
		return errDisabled
	}
	s.addClaims(userinfo, subject)
	return nil
}

// addClaims gives the person's profile, unit and groups, whatever scopes
// were asked for, as government providers do.
func (s *store) addClaims(userinfo *oidc.UserInfo, subject string) {
	p, ok := s.users.people[subject]
	if !ok {
		return
	}
	userinfo.Subject = p.ID
	userinfo.PreferredUsername = p.Username
	userinfo.Name = p.Name
	userinfo.GivenName = ""
	userinfo.FamilyName = ""
	userinfo.Email = p.Email
	userinfo.PhoneNumber = p.Phone
	userinfo.AppendClaims("department", p.Department)
	userinfo.AppendClaims("groups", slices.Clone(nonNil(p.Groups)))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// loginID finds the auth request's ID in the provider's sign-in form.
var loginID = regexp.MustCompile(`name="id" value="([^"]*)"`)

// Login signs in at the provider as a browser would: it opens authURL
// (which leads to the provider's sign-in form) and posts username and
// password there. It returns the answer to the post, after the redirects
// client follows: at the client's redirect URI when client follows every
// redirect, or the provider's redirect to it when client's CheckRedirect
// stops there. A refused password answers 200 with the form again.
func Login(client *http.Client, authURL, username, password string) (*http.Response, error) {
	resp, err := client.Get(authURL)
	if err != nil {
		return nil, fmt.Errorf("testidp: open %s: %w", authURL, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("testidp: read sign-in form: %w", err)
	}
	m := loginID.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		return nil, fmt.Errorf("testidp: %s answered %s, not the sign-in form: %.500s", authURL, resp.Status, body)
	}
	action, err := resp.Request.URL.Parse("/login/username")
	if err != nil {
		return nil, err
	}
	return client.PostForm(action.String(), url.Values{
		"id": {html.UnescapeString(string(m[1]))}, "username": {username}, "password": {password}})
}
