package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"duban"
	"duban/identity"
)

// IdentityConfig is how people sign in besides duban's own passwords: the
// government's identity systems (统一身份认证) and the rules that give their
// people accounts.
type IdentityConfig struct {
	// NoLocalLogin refuses duban's own passwords: people sign in only
	// through the identity systems.
	NoLocalLogin bool
	// OIDC signs people in through an OpenID Connect provider (the 统一身份认证
	// button of the sign-in page); nil means none.
	OIDC *identity.OIDC
	// OIDCLabel is the text of that button; "" means 统一身份认证登录 (in
	// English: Sign in with the government identity service).
	OIDCLabel string
	// LDAP checks the sign-in form's names and passwords against a
	// directory; nil means none.
	LDAP identity.PasswordSource
	// Rules give the people of the identity systems their accounts
	// (identity.Rule); a person no rule matches waits for approval.
	Rules []identity.Rule
	// ApprovalOrg names the organisation whose administrators (and those
	// above) approve the people no rule matches; "" means the top one.
	ApprovalOrg string
	// Sealer encrypts what a source gives for the periodic check before it
	// is stored; nil keeps nothing.
	Sealer *identity.Sealer
}

var (
	errPending = duban.Errorf(duban.CodeForbidden,
		"您的账号申请已提交，正在等待管理员审批；审批通过后即可登录（Your request awaits an administrator's approval）")
	errRequestRejected  = duban.Errorf(duban.CodeForbidden, "您的账号申请未获批准，请联系管理员")
	errUpstreamDisabled = duban.Errorf(duban.CodeUnauthorized, "账号已在统一身份认证系统中停用，请联系管理员")
	errLocalLoginOff    = duban.Errorf(duban.CodeUnauthorized, "本系统账号登录已关闭，请使用统一身份认证登录")
	errSourceDown       = duban.Errorf(codeBusy, "统一身份认证系统暂时无法访问，请稍后再试")
)

// The methods of signing in, as the audit log names them.
const methodPassword = "password"

// identityActor is who provisions and updates the accounts of a source: the
// system, named after the source, over every organisation.
func identityActor(source string) duban.Actor {
	return duban.Actor{Username: "统一身份认证(" + source + ")", Role: duban.RoleAdmin}
}

// signInExternal signs in a person an identity system vouched for: it maps
// them by the rules, provisions their account on the first sign-in or brings
// it in line with the source on later ones, keeps secret (sealed) for the
// periodic check, starts the session and audits it. A person no rule matches
// is recorded for approval and gets errPending (errRequestRejected once
// rejected); a disabled account gets errDisabled.
func (s *Server) signInExternal(w http.ResponseWriter, r *http.Request, p identity.Person, secret string) (*duban.User, error) {
	u, _, err := s.startExternal(w, r, p, secret)
	return u, err
}

func (s *Server) startExternal(w http.ResponseWriter, r *http.Request, p identity.Person, secret string) (*duban.User, *duban.Session, error) {
	ctx := r.Context()
	if p.Source == "" || p.Subject == "" {
		return nil, nil, fmt.Errorf("sign in: source %q gave no subject", p.Source)
	}
	u, err := s.syncExternalUser(r, p)
	if err != nil {
		return nil, nil, err
	}
	if secret != "" && s.cfg.Identity.Sealer != nil {
		if err := s.store.SetExternalSecret(ctx, u.ID, s.cfg.Identity.Sealer.Seal(secret)); err != nil {
			return nil, nil, fmt.Errorf("keep source secret: %w", err)
		}
	}
	sess, err := s.startSession(w, r, u, p.Source)
	if err != nil {
		return nil, nil, err
	}
	return u, sess, nil
}

// syncExternalUser returns the account of p, made or brought in line with the
// source.
func (s *Server) syncExternalUser(r *http.Request, p identity.Person) (*duban.User, error) {
	ctx := r.Context()
	actor := identityActor(p.Source)
	dir, err := s.identityDirectory(ctx)
	if err != nil {
		return nil, err
	}
	grant, matched := identity.Map(s.cfg.Identity.Rules, p, dir)
	u, err := s.store.FindExternalUser(ctx, p.Source, p.Subject)
	switch {
	case duban.ErrorCode(err) == duban.CodeNotFound:
		if !matched {
			return nil, s.requestApproval(r, p, dir)
		}
		u = &duban.User{OrgID: grant.OrgID, DisplayName: p.DisplayName, Role: grant.Role, UnitID: grant.UnitID,
			PersonID: grant.PersonID, Email: p.Email, Mobile: p.Mobile, Source: p.Source, Subject: p.Subject}
		if u.Username, err = s.freeUsername(ctx, p); err != nil {
			return nil, err
		}
		if err := s.store.CreateUser(ctx, actor, u); err != nil {
			if duban.ErrorCode(err) != duban.CodeConflict {
				return nil, fmt.Errorf("provision user: %w", err)
			}
			// The same person signing in twice at once: the other made it.
			if u, err = s.store.FindExternalUser(ctx, p.Source, p.Subject); err != nil {
				return nil, fmt.Errorf("provision user: %w", err)
			}
		}
	case err != nil:
		return nil, fmt.Errorf("find external user: %w", err)
	}
	if u.Disabled {
		s.recordSignIn(r, duban.SignInEvent{UserID: u.ID, Username: u.Username, Method: p.Source, Outcome: "refused", Reason: "account disabled"})
		return nil, errDisabled
	}
	// The source is the truth about a person: their name and contacts, and
	// the rules about their role. An account approved by hand keeps what the
	// administrator gave it while no rule matches.
	var up duban.UserUpdate
	changed := false
	if p.DisplayName != "" && p.DisplayName != u.DisplayName {
		up.DisplayName, changed = &p.DisplayName, true
	}
	if p.Email != "" && p.Email != u.Email {
		up.Email, changed = &p.Email, true
	}
	if p.Mobile != "" && p.Mobile != u.Mobile {
		up.Mobile, changed = &p.Mobile, true
	}
	if matched && grant.OrgID == u.OrgID {
		if grant.Role != u.Role {
			up.Role, changed = &grant.Role, true
		}
		if !sameID(grant.UnitID, u.UnitID) {
			up.UnitID, changed = &grant.UnitID, true
		}
		if !sameID(grant.PersonID, u.PersonID) {
			up.PersonID, changed = &grant.PersonID, true
		}
	}
	if changed {
		if u, err = s.store.UpdateUser(ctx, actor, u.ID, up); err != nil {
			return nil, fmt.Errorf("update user from source: %w", err)
		}
	}
	return u, nil
}

func sameID(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// requestApproval records a person no rule matches and returns what they are
// told.
func (s *Server) requestApproval(r *http.Request, p identity.Person, dir identity.Directory) error {
	var org int64
	if o := dir.FindOrg(s.cfg.Identity.ApprovalOrg); o != nil {
		org = o.ID
	}
	req, err := s.store.RecordIdentityRequest(r.Context(), &duban.IdentityRequest{OrgID: org, Source: p.Source, Subject: p.Subject,
		Username: p.Username, DisplayName: p.DisplayName, Email: p.Email, Mobile: p.Mobile, Unit: p.Unit, Groups: p.Groups})
	if err != nil {
		return fmt.Errorf("record identity request: %w", err)
	}
	s.recordSignIn(r, duban.SignInEvent{Username: p.Username, Method: p.Source, Outcome: "pending", Reason: "no rule matches"})
	if req.Status == duban.RequestRejected {
		return errRequestRejected
	}
	return errPending
}

// identityDirectory reads what the rules match against: the organisations,
// and the units and leaders of those the rules name.
func (s *Server) identityDirectory(ctx context.Context) (identity.Directory, error) {
	orgs, err := s.store.FindOrgs(ctx)
	if err != nil {
		return identity.Directory{}, fmt.Errorf("find orgs: %w", err)
	}
	d := identity.Directory{Orgs: orgs, Units: map[int64][]*duban.Unit{}, People: map[int64][]*duban.Person{}}
	for _, name := range identity.OrgNames(s.cfg.Identity.Rules) {
		o := d.FindOrg(name)
		if o == nil {
			continue
		}
		if d.Units[o.ID], err = s.store.FindUnits(ctx, o.ID); err != nil {
			return d, fmt.Errorf("find units: %w", err)
		}
		if d.People[o.ID], err = s.store.FindPeople(ctx, o.ID); err != nil {
			return d, fmt.Errorf("find people: %w", err)
		}
	}
	return d, nil
}

// freeUsername picks the new account's user name: the one the source gave
// when nobody has it, else that name with the source's (zhangsan@ldap), else
// one made of the subject.
func (s *Server) freeUsername(ctx context.Context, p identity.Person) (string, error) {
	sum := sha256.Sum256([]byte(p.Subject))
	fallback := p.Source + "-" + hex.EncodeToString(sum[:6])
	base := strings.TrimSpace(p.Username)
	var candidates []string
	if base != "" {
		candidates = append(candidates, truncateRunes(base, maxUsernameLen), truncateRunes(base, maxUsernameLen-len(p.Source)-1)+"@"+p.Source)
	}
	candidates = append(candidates, fallback)
	for _, name := range candidates {
		_, err := s.store.FindUserByUsername(ctx, name)
		if duban.ErrorCode(err) == duban.CodeNotFound {
			return name, nil
		}
		if err != nil {
			return "", fmt.Errorf("find user: %w", err)
		}
	}
	return fallback + "-" + hex.EncodeToString(sum[6:9]), nil
}

func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	for utf8.RuneCountInString(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// recordSignIn writes a failed or refused sign-in to the audit log. A failure
// to write is logged, never shown: the person is told why they were refused.
func (s *Server) recordSignIn(r *http.Request, e duban.SignInEvent) {
	e.Address = s.clientIP(r)
	if e.UserID == 0 && s.cfg.Identity.ApprovalOrg != "" {
		// A name nobody has goes where the people of the identity systems
		// are approved.
		if orgs, err := s.store.FindOrgs(r.Context()); err == nil {
			if o := (identity.Directory{Orgs: orgs}).FindOrg(s.cfg.Identity.ApprovalOrg); o != nil {
				e.OrgID = o.ID
			}
		}
	}
	if err := s.store.RecordSignIn(context.WithoutCancel(r.Context()), e); err != nil {
		s.logger.Warn("record sign-in", "request_id", requestID(r.Context()), "err", err)
	}
}

// auditSignInFailure records a failed sign-in through an identity system.
func (s *Server) auditSignInFailure(r *http.Request, source, username, reason string) {
	s.recordSignIn(r, duban.SignInEvent{Username: username, Method: source, Outcome: "failed", Reason: reason})
}

// signInLDAP checks a name and password against the directory and signs the
// person in. The throttling of signIn has been applied.
func (s *Server) signInLDAP(w http.ResponseWriter, r *http.Request, username, password string) (*duban.User, *duban.Session, error) {
	p, err := s.cfg.Identity.LDAP.Authenticate(r.Context(), username, password)
	switch {
	case errors.Is(err, identity.ErrRejected):
		s.auditSignInFailure(r, identity.SourceLDAP, username, "wrong user name or password")
		return nil, nil, errBadCredentials
	case errors.Is(err, identity.ErrDisabled):
		s.recordSignIn(r, duban.SignInEvent{Username: username, Method: identity.SourceLDAP, Outcome: "refused", Reason: "disabled in the directory"})
		return nil, nil, errUpstreamDisabled
	case err != nil:
		s.logger.Error("ldap sign-in", "request_id", requestID(r.Context()), "err", err)
		s.auditSignInFailure(r, identity.SourceLDAP, username, "directory unavailable")
		return nil, nil, errSourceDown
	}
	return s.startExternal(w, r, p, "")
}

// handleIdentityRequestIndex lists the people waiting for approval (or all
// requests with ?status=).
func (s *Server) handleIdentityRequestIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	status := r.URL.Query().Get("status")
	list, err := s.store.FindIdentityRequests(r.Context(), c.actor, status)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"requests": list})
}

type identityDecisionResponse struct {
	Request *duban.IdentityRequest `json:"request"`
	User    *duban.User            `json:"user"`
}

// handleIdentityRequestDecide approves (creating the account) or rejects a
// request.
func (s *Server) handleIdentityRequestDecide(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var d duban.IdentityDecision
	if err := decodeJSON(w, r, &d); err != nil {
		return err
	}
	req, u, err := s.store.DecideIdentityRequest(r.Context(), c.actor, id, d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, identityDecisionResponse{Request: req, User: u})
}
