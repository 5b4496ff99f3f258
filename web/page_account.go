package web

import (
	"fmt"
	"net/http"
	"strconv"

	"duban"
)

// The account page (我的账号): the signed-in user changes their password and
// creates, sees and revokes their API tokens. Every user has one, whatever
// their role; the header links to it from the user's name.

// tokenDays are the validities offered for a new token; 0 is never.
var tokenDays = []int{30, 90, 365, 0}

type accountView struct {
	*pageBase
	Tokens   []tokenJSON
	Password *form
	Token    *form
	Fields   []fieldView
	Days     []int
	// NewToken is the secret of the token just created, shown once.
	NewToken string
}

func (s *Server) pageAccount(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		return s.renderAccount(ps, w, r, c, b, http.StatusOK, nil, nil, "")
	}
}

// renderAccount shows the page; pw and tok are the forms typed into (nil
// for empty ones), secret a token just made.
func (s *Server) renderAccount(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase, status int, pw, tok *form, secret string) error {
	toks, err := s.store.FindAPITokens(r.Context(), c.actor, c.user.ID)
	if err != nil {
		return fmt.Errorf("find api tokens: %w", err)
	}
	if pw == nil {
		pw = newForm(nil)
	}
	if tok == nil {
		tok = newForm(nil)
	}
	b.Title = b.T("account.title")
	b.Active = "account"
	v := &accountView{pageBase: b, Password: pw, Token: tok, Days: tokenDays, NewToken: secret}
	now := s.now()
	for _, t := range toks {
		v.Tokens = append(v.Tokens, tokenJSON{APIToken: t, Expired: t.Expired(now)})
	}
	v.Fields = []fieldView{
		pw.field("current_password", b.T("account.current"), "password", true),
		pw.field("new_password", b.T("account.new"), "password", true),
		pw.field("confirm_password", b.T("account.confirm"), "password", true),
	}
	v.Fields[0].Attrs = `autocomplete="current-password"`
	v.Fields[1].Attrs = `autocomplete="new-password"`
	v.Fields[2].Attrs = `autocomplete="new-password"`
	v.Fields[1].Hint = b.Tf("admin.passwordhint", minPasswordLen)
	return s.render(ps, w, r, status, "account", v)
}

// pageAccountPassword changes the user's own password from the form, then
// back to the page; the session stays, other sessions and tokens end.
func (s *Server) pageAccountPassword(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		current, next := f.V("current_password"), f.V("new_password")
		for _, k := range []string{"current_password", "new_password", "confirm_password"} {
			f.Values.Del(k) // passwords are never shown again
		}
		if next != r.PostForm.Get("confirm_password") {
			f.Fail("confirm_password", b.T("account.mismatch"))
			return s.renderAccount(ps, w, r, c, b, http.StatusBadRequest, f, nil, "")
		}
		err := s.changePassword(w, r, c, current, next)
		if err == nil {
			return redirect(w, r, "/account?ok=password")
		}
		status, detail := classify(err)
		switch {
		case status == http.StatusInternalServerError:
			return err
		case err == errWrongCurrentPassword:
			f.Fail("current_password", detail.Message)
		case duban.ErrorCode(err) == duban.CodeInvalid:
			f.Fail("new_password", detail.Message)
		default:
			f.Message = detail.Message
		}
		return s.renderAccount(ps, w, r, c, b, status, f, nil, "")
	}
}

// pageAccountToken creates a token from the form and shows the page with its
// secret, once (it cannot go into a redirect).
func (s *Server) pageAccountToken(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		if c.sessionHash == "" {
			return duban.Errorf(duban.CodeForbidden, "请登录后在浏览器中创建令牌")
		}
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		name, err := cleanName(b.T("account.tokenname"), f.V("name"), 100)
		if err != nil {
			f.Fail("name", duban.ErrorMessage(err))
		}
		var days *int
		if d, err := strconv.Atoi(f.V("days")); err != nil || d < 0 || d > maxTokenDays {
			f.Fail("days", b.T("form.errors"))
		} else if d > 0 {
			days = &d
		}
		if !f.OK() {
			return s.renderAccount(ps, w, r, c, b, http.StatusBadRequest, nil, f, "")
		}
		expires, err := tokenExpiry(s.now(), nil, days)
		if err != nil {
			return err
		}
		secret := tokenPrefix + newToken()
		t := &duban.APIToken{UserID: c.user.ID, Name: name, TokenHash: hashToken(secret), CreatedAt: s.now(), ExpiresAt: expires}
		if err := s.store.CreateAPIToken(r.Context(), c.actor, t); err != nil {
			if ferr := f.Err("name", err); ferr != nil {
				return fmt.Errorf("create api token: %w", ferr)
			}
			return s.renderAccount(ps, w, r, c, b, f.status(err), nil, f, "")
		}
		return s.renderAccount(ps, w, r, c, b, http.StatusCreated, nil, nil, secret)
	}
}

// pageAccountRevoke revokes one of the user's own tokens, then back to the
// page.
func (s *Server) pageAccountRevoke(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := s.store.RevokeAPIToken(r.Context(), c.actor, c.user.ID, id); err != nil {
			return fmt.Errorf("revoke api token %d: %w", id, err)
		}
		return redirect(w, r, "/account?ok=revoked")
	}
}
