package web

import (
	"errors"
	"net/http"
	"time"

	"duban"
	"duban/identity"
)

// Sign-in through the government's OpenID Connect provider (统一身份认证):
// GET /auth/oidc/login sends the browser to the provider with a new flow
// (state, nonce, PKCE verifier) kept in a cookie; the provider sends it back
// to GET /auth/oidc/callback, which finishes the flow and signs the person
// in by the mapping rules (signInExternal).
const (
	// oidcFlowCookie holds the identity.Flow between the two; it is sent to
	// /auth/oidc only. A second sign-in started in another tab replaces it,
	// and the first then fails as not matching.
	oidcFlowCookie = "duban_oidc_flow"
	oidcCookiePath = "/auth/oidc"
)

var (
	errOIDCOff = duban.Errorf(duban.CodeNotFound, "未配置统一身份认证")
	// errOIDCFlow is a callback that does not finish this browser's flow:
	// no cookie, another state, expired, or a code or ID token that does not
	// belong to it.
	errOIDCFlow = duban.Errorf(duban.CodeInvalid, "统一身份认证登录已失效或与本次登录不匹配，请重新登录")
	// errOIDCToken is an ID token that does not verify: a misconfigured
	// client or provider, or a forgery.
	errOIDCToken = duban.Errorf(duban.CodeUnauthorized, "统一身份认证返回的身份凭证无效，请联系管理员")
)

// oidcLabel is the text of the sign-in button.
func (s *Server) oidcLabel(lg lang) string {
	if l := s.cfg.Identity.OIDCLabel; l != "" {
		return l
	}
	return lg.T("login.oidc")
}

// handleOIDCLogin starts a sign-in at the provider: 302 to its
// authorization endpoint, with the flow cookie. ?next= is where to go
// afterwards (a local path). Without OIDC configured it answers 404; with
// the provider unreachable, 503.
func (s *Server) handleOIDCLogin(ps *pageSet, w http.ResponseWriter, r *http.Request) error {
	setPageHeaders(w)
	lg := requestLang(w, r)
	o := s.cfg.Identity.OIDC
	if o == nil {
		s.renderError(ps, w, r, lg, nil, errOIDCOff)
		return nil
	}
	authURL, f, err := o.Begin(r.Context(), localPath(r.URL.Query().Get("next")))
	if err != nil {
		s.logger.Error("oidc begin", "request_id", requestID(r.Context()), "err", err)
		s.renderError(ps, w, r, lg, nil, errSourceDown)
		return nil
	}
	http.SetCookie(w, &http.Cookie{
		Name:     oidcFlowCookie,
		Value:    f.Encode(),
		Path:     oidcCookiePath,
		MaxAge:   int(identity.FlowLifetime / time.Second),
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, authURL, http.StatusFound)
	return nil
}

// signInPendingView is the page of a person whose account awaits approval.
type signInPendingView struct {
	*pageBase
	Message string
	Person  identity.Person
}

// handleOIDCCallback finishes a sign-in: it reads and clears the flow
// cookie, lets the provider's answer be checked (identity.OIDC.Finish) and
// signs the person in. Success is 303 to the flow's next page; a person no
// rule matches sees that their request awaits approval (403); any other
// failure is the error page, and is written to the audit log.
func (s *Server) handleOIDCCallback(ps *pageSet, w http.ResponseWriter, r *http.Request) error {
	setPageHeaders(w)
	lg := requestLang(w, r)
	o := s.cfg.Identity.OIDC
	if o == nil {
		s.renderError(ps, w, r, lg, nil, errOIDCOff)
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: oidcFlowCookie, Value: "", Path: oidcCookiePath, MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	fail := func(reason string, err error) error {
		s.auditSignInFailure(r, identity.SourceOIDC, "", truncateRunes(reason, 200))
		s.renderError(ps, w, r, lg, nil, err)
		return nil
	}

	var f identity.Flow
	ck, err := r.Cookie(oidcFlowCookie)
	if err == nil {
		f, err = identity.DecodeFlow(ck.Value)
	}
	if err != nil {
		return fail("no sign-in flow in this browser", errOIDCFlow)
	}
	p, refresh, err := o.Finish(r.Context(), f, r.URL.Query())
	var pe *identity.ProviderError
	switch {
	case err == nil:
	case errors.Is(err, identity.ErrFlowInvalid):
		return fail(err.Error(), errOIDCFlow)
	case errors.As(err, &pe):
		return fail(err.Error(), providerRefusal(pe))
	case errors.Is(err, identity.ErrTokenInvalid):
		s.logger.Warn("oidc callback", "request_id", requestID(r.Context()), "err", err)
		return fail(err.Error(), errOIDCToken)
	default:
		s.logger.Error("oidc callback", "request_id", requestID(r.Context()), "err", err)
		return fail("provider unavailable", errSourceDown)
	}

	// signInExternal audits what it refuses (pending, disabled) itself.
	if _, err := s.signInExternal(w, r, p, refresh); err != nil {
		if errors.Is(err, errPending) {
			b := s.newBase(r, nil, lg)
			b.Title = lg.T("pending.title")
			view := signInPendingView{pageBase: b, Message: duban.ErrorMessage(err), Person: p}
			if err := s.render(ps, w, r, http.StatusForbidden, "signin_pending", view); err != nil {
				s.renderError(ps, w, r, lg, b, err)
			}
			return nil
		}
		s.renderError(ps, w, r, lg, nil, err)
		return nil
	}
	http.Redirect(w, r, localPath(f.Next), http.StatusSeeOther)
	return nil
}

// providerRefusal is what a person is told of an error the provider sent
// back: its code, which the provider's documentation explains.
func providerRefusal(pe *identity.ProviderError) error {
	code := truncateRunes(pe.Code, 64)
	switch code {
	case "access_denied", "login_required", "consent_required", "interaction_required", "account_selection_required":
		return duban.Errorf(duban.CodeForbidden, "统一身份认证未允许本次登录（%s），请重新登录或联系管理员", code)
	case "temporarily_unavailable", "server_error":
		return errSourceDown
	}
	return duban.Errorf(duban.CodeInvalid, "统一身份认证返回错误（%s），请联系管理员", code)
}
