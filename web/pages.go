package web

import (
	"net/http"
	"strings"

	"duban"
)

// registerPages registers the HTML pages of the web application: sign-in,
// dashboard, ledger, task, unit portal, supervision inbox, ranking,
// indicators, import wizard, the user's own account and administration. Pages are not part of the
// JSON API, so they are not in s.patterns, which the OpenAPI document is
// held to. Who may open a page is the permission routePermissions gives its
// pattern, the same as the API call over the same resource; pages call the
// same store methods as the API, which enforce the caller's scope; forms
// post, then redirect, then get.
func (s *Server) registerPages() {
	ps := newPageSet()
	s.publicPage("GET /static/{name...}", ps.assets.serve)
	s.publicPage("GET /login", func(w http.ResponseWriter, r *http.Request) { s.handleLoginPage(ps, w, r) })
	s.publicPage("POST /signin", func(w http.ResponseWriter, r *http.Request) { s.handleSignIn(ps, w, r) })
	// The provider of 统一身份认证 sends people to these, so they are in the
	// API's description (handle), though they answer with pages.
	s.handle("GET /auth/oidc/login", func(w http.ResponseWriter, r *http.Request) error { return s.handleOIDCLogin(ps, w, r) })
	s.handle("GET /auth/oidc/callback", func(w http.ResponseWriter, r *http.Request) error { return s.handleOIDCCallback(ps, w, r) })

	s.page(ps, "GET /{$}", s.handleHome)
	s.page(ps, "GET /dashboard", s.pageDashboard(ps))

	s.page(ps, "GET /tasks", s.pageLedger(ps))
	s.page(ps, "GET /ledger/edits", s.pageLedgerEdits(ps))
	s.page(ps, "POST /ledger/edits/preview", s.pageLedgerEditsPreview(ps))
	s.page(ps, "POST /ledger/edits", s.pageLedgerEditsApply(ps))
	s.page(ps, "GET /export/ledger", s.download(s.handleExportLedger))
	s.page(ps, "GET /export/targets", s.download(s.handleExportTargets))
	s.page(ps, "GET /export/bulletin", s.download(s.handleExportBulletin))
	s.page(ps, "GET /export/unit-tasks", s.download(s.handleExportUnitTasks))
	s.page(ps, "GET /tasks/{id}", s.pageTask(ps))
	s.page(ps, "POST /tasks/{id}/review", s.pageReview(ps))
	s.page(ps, "POST /tasks/{id}/close", s.pageClose(ps))
	s.page(ps, "POST /tasks/{id}/reopen", s.pageReopen(ps))
	s.page(ps, "POST /tasks/{id}/notices", s.pageNoticeIssue(ps))
	s.page(ps, "POST /tasks/{id}/extensions", s.pageExtensionRequest(ps))
	s.page(ps, "POST /tasks/{id}/evidence", s.pageEvidence(ps))

	s.page(ps, "GET /portal", s.pagePortal(ps))
	s.page(ps, "GET /tasks/{id}/report/{cycle}", s.pageReportForm(ps))
	s.page(ps, "POST /tasks/{id}/report/{cycle}", s.pageReportPost(ps))
	s.page(ps, "PUT /tasks/{id}/report/{cycle}/draft", s.pageReportDraft)
	s.page(ps, "POST /notices/{id}/response", s.pageNoticeRespond(ps))

	s.page(ps, "GET /inbox", s.pageInbox(ps))
	s.page(ps, "POST /notices/{id}/close", s.pageNoticeClose(ps))
	s.page(ps, "POST /extensions/{id}/decision", s.pageExtensionDecide(ps))

	s.page(ps, "GET /ranking", s.pageRanking(ps))
	s.page(ps, "GET /indicators", s.pageIndicators(ps))

	s.page(ps, "GET /import", s.pageImport(ps))
	s.page(ps, "POST /import/preview", s.pageImportPreview(ps))
	s.page(ps, "POST /import/confirm", s.pageImportConfirm(ps))

	s.page(ps, "GET /account", s.pageAccount(ps))
	s.page(ps, "POST /account/password", s.pageAccountPassword(ps))
	s.page(ps, "POST /account/tokens", s.pageAccountToken(ps))
	s.page(ps, "POST /account/tokens/{id}/revoke", s.pageAccountRevoke(ps))

	s.page(ps, "GET /admin", s.pageAdmin(ps))
	s.page(ps, "POST /admin/{what}", s.pageAdminPost(ps))
	s.page(ps, "GET /admin/units/{id}", s.pageAdminUnit(ps))
	s.page(ps, "POST /admin/units/{id}", s.pageAdminUnitPost(ps))
}

// publicPage registers a page anyone may open; routePermissions must say it
// is public.
func (s *Server) publicPage(pattern string, h http.HandlerFunc) {
	if !permissionOf(pattern).public {
		panic("web: page " + pattern + " is registered as public but routePermissions says otherwise")
	}
	s.pagePatterns = append(s.pagePatterns, pattern)
	s.mux.HandleFunc(pattern, h)
}

// handleHome sends a unit's reporter to their tasks and everyone else to the
// dashboard.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
	if c.actor.Role == duban.RoleReporter {
		return redirect(w, r, "/portal")
	}
	return redirect(w, r, "/dashboard")
}

type loginView struct {
	*pageBase
	Form *form
	Next string
	// OIDCLabel is the text of the 统一身份认证 button; "" when OIDC is not
	// configured.
	OIDCLabel string
	// PasswordForm shows the form of user name and password: duban's own
	// passwords are allowed, or a directory (LDAP) checks them.
	PasswordForm bool
}

// newLoginView is the sign-in page with form f.
func (s *Server) newLoginView(b *pageBase, f *form, next string) loginView {
	v := loginView{pageBase: b, Form: f, Next: next,
		PasswordForm: !s.cfg.Identity.NoLocalLogin || s.cfg.Identity.LDAP != nil}
	if s.cfg.Identity.OIDC != nil {
		v.OIDCLabel = s.oidcLabel(b.Lang)
	}
	return v
}

// handleLoginPage shows the sign-in form; a caller already signed in goes on
// to where they wanted.
func (s *Server) handleLoginPage(ps *pageSet, w http.ResponseWriter, r *http.Request) {
	setPageHeaders(w)
	lg := requestLang(w, r)
	next := localPath(r.URL.Query().Get("next"))
	if _, err := s.authenticate(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	b := s.newBase(r, nil, lg)
	b.Title = lg.T("login.title")
	if err := s.render(ps, w, r, http.StatusOK, "login", s.newLoginView(b, newForm(nil), next)); err != nil {
		s.renderError(ps, w, r, lg, b, err)
	}
}

// handleSignIn signs in from the page's form. A failure shows the form again
// with the user name kept and the message beside the field at fault.
func (s *Server) handleSignIn(ps *pageSet, w http.ResponseWriter, r *http.Request) {
	setPageHeaders(w)
	lg := requestLang(w, r)
	b := s.newBase(r, nil, lg)
	b.Title = lg.T("login.title")
	if err := parseForm(w, r, maxFormBytes); err != nil {
		s.renderError(ps, w, r, lg, b, err)
		return
	}
	f := newForm(r.PostForm)
	f.Values.Del("password")
	next := localPath(r.PostForm.Get("next"))
	user, pw := strings.TrimSpace(r.PostForm.Get("username")), r.PostForm.Get("password")
	if user == "" {
		f.Fail("username", lg.T("login.need"))
	}
	if pw == "" {
		f.Fail("password", lg.T("login.needpw"))
	}
	status := http.StatusBadRequest
	if f.OK() {
		_, _, err := s.signIn(w, r, user, pw)
		if err == nil {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		st, detail := classify(err)
		if st == http.StatusInternalServerError {
			s.renderError(ps, w, r, lg, b, err)
			return
		}
		status = st
		if err == errBadCredentials {
			f.Fail("password", detail.Message)
		} else {
			f.Message = detail.Message
		}
	}
	if err := s.render(ps, w, r, status, "login", s.newLoginView(b, f, next)); err != nil {
		s.renderError(ps, w, r, lg, b, err)
	}
}
