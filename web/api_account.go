package web

import (
	"fmt"
	"net/http"
	"time"

	"duban"
)

// A user's own account: their API tokens and their password.

// maxTokenDays bounds the life of an API token given in days: ten years.
const maxTokenDays = 3650

// tokenExpiry is when a token asked for with expiresAt or expiresInDays (at
// most one of them) expires at now: nil for never; CodeInvalid for both, a
// time not in the future or a number of days out of 1–3650.
func tokenExpiry(now time.Time, expiresAt *time.Time, expiresInDays *int) (*time.Time, error) {
	switch {
	case expiresAt != nil && expiresInDays != nil:
		return nil, duban.Errorf(duban.CodeInvalid, "expires_at 与 expires_in_days 只能给一个")
	case expiresInDays != nil:
		if *expiresInDays < 1 || *expiresInDays > maxTokenDays {
			return nil, duban.Errorf(duban.CodeInvalid, "有效天数应为 1 到 %d 天", maxTokenDays)
		}
		t := now.Add(time.Duration(*expiresInDays) * 24 * time.Hour).UTC()
		return &t, nil
	case expiresAt != nil:
		if !expiresAt.After(now) {
			return nil, duban.Errorf(duban.CodeInvalid, "令牌的到期时间应晚于现在")
		}
		if expiresAt.After(now.Add(maxTokenDays * 24 * time.Hour)) {
			return nil, duban.Errorf(duban.CodeInvalid, "令牌有效期不能超过 %d 天", maxTokenDays)
		}
		t := expiresAt.UTC()
		return &t, nil
	}
	return nil, nil
}

// tokenJSON is a token as its owner sees it: never the secret, and whether
// it has expired.
type tokenJSON struct {
	*duban.APIToken
	Expired bool `json:"expired"`
}

type tokenList struct {
	Tokens []tokenJSON `json:"tokens"`
}

// handleTokenIndex lists the caller's own API tokens, expired ones included
// (marked), revoked ones not.
func (s *Server) handleTokenIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	toks, err := s.store.FindAPITokens(r.Context(), c.actor, c.user.ID)
	if err != nil {
		return fmt.Errorf("find api tokens: %w", err)
	}
	now := s.now()
	list := tokenList{Tokens: []tokenJSON{}}
	for _, t := range toks {
		list.Tokens = append(list.Tokens, tokenJSON{APIToken: t, Expired: t.Expired(now)})
	}
	return writeJSON(w, http.StatusOK, list)
}

// handleTokenDelete revokes one of the caller's own API tokens: 204, or 404
// for a token that is not theirs or is revoked already.
func (s *Server) handleTokenDelete(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), c.actor, c.user.ID, id); err != nil {
		return fmt.Errorf("revoke api token %d: %w", id, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type passwordChangeRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

var errWrongCurrentPassword = duban.Errorf(duban.CodeInvalid, "当前密码不正确")

// changePassword checks the caller's current password and sets the new one,
// which ends their other sessions and revokes all their API tokens (a
// password someone else learned must not leave them a way back in). It needs
// a browser session: a token cannot change the password. Wrong current
// passwords count against the sign-in limits of the caller's address and
// account, as a sign-in would.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, c *caller, current, next string) error {
	if c.sessionHash == "" {
		return duban.Errorf(duban.CodeForbidden, "请登录后在浏览器中修改密码")
	}
	if current == "" {
		return duban.Errorf(duban.CodeInvalid, "请输入当前密码")
	}
	if err := CheckPasswordPolicy(next); err != nil {
		return err
	}
	if next == current {
		return duban.Errorf(duban.CodeInvalid, "新密码不能与当前密码相同")
	}
	if len(current) > maxPasswordLen {
		return errWrongCurrentPassword
	}
	now := s.now()
	if ok, wait := s.loginAddresses.take(addressKey(s.clientIP(r)), now); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		return duban.Errorf(duban.CodeTooMany, "本机登录请求过多，请稍后再试")
	}
	account := accountKey(c.user.Username)
	if ok, wait := s.loginAccounts.take(account, now); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		return duban.Errorf(duban.CodeTooMany, "该账号密码错误次数过多，请稍后再试")
	}
	match, err := checkPassword(r.Context(), c.user.PasswordHash, current)
	if err != nil {
		return err
	}
	if !match {
		return errWrongCurrentPassword
	}
	s.loginAccounts.give(account, now)
	hash, err := hashPassword(r.Context(), next)
	if err != nil {
		return err
	}
	if err := s.store.ChangePassword(r.Context(), c.actor, hash, c.sessionHash); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}

// handlePasswordChange changes the caller's own password from JSON
// {current_password, new_password}: 204. The session the request came with
// stays signed in; the caller's other sessions end and all their API tokens
// are revoked.
func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req passwordChangeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.changePassword(w, r, c, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
