package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"duban"
	"duban/store/internal/check"
)

const userColumns = `id, org_id, username, display_name, password_hash, role, unit_id, person_id, disabled, email, mobile, created_at`

func scanUser(sc scanner) (*duban.User, error) {
	u := &duban.User{}
	err := sc.Scan(&u.ID, &u.OrgID, &u.Username, &u.DisplayName, &u.PasswordHash, &u.Role, &u.UnitID, &u.PersonID,
		&u.Disabled, &u.Email, &u.Mobile, timeText{&u.CreatedAt})
	return u, err
}

// CreateUser creates an account. Only an admin of the user's organisation (or
// one above) may (CodeForbidden). A user name already taken is CodeConflict;
// an unknown role, a reporter without a unit, or a unit or person of another
// organisation is CodeInvalid.
func (s *Store) CreateUser(ctx context.Context, a duban.Actor, u *duban.User) (err error) {
	defer wrapErr(&err, "create user")
	if err := check.User(u); err != nil {
		return err
	}
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.manage(ctx, u.OrgID); err != nil {
		return err
	}
	if err := tx.checkUserRefs(ctx, u); err != nil {
		return err
	}
	err = tx.queryRow(ctx, `INSERT INTO users (org_id, username, display_name, password_hash, role, unit_id, person_id, disabled, email, mobile, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $9) RETURNING id`,
		u.OrgID, u.Username, u.DisplayName, u.PasswordHash, string(u.Role), u.UnitID, u.PersonID, u.Disabled, ts(tx.now),
		u.Email, u.Mobile).Scan(&u.ID)
	if err != nil {
		return dbErr(err, "用户名“"+u.Username+"”已被使用")
	}
	u.CreatedAt = tx.now
	if err := tx.audit(ctx, u.OrgID, "user.create", "user", u.ID, nil, u); err != nil {
		return err
	}
	return tx.Commit()
}

// checkUserRefs checks that u's unit and person belong to its organisation.
func (t *txn) checkUserRefs(ctx context.Context, u *duban.User) error {
	if u.UnitID != nil {
		if err := t.checkRefs(ctx, "units", u.OrgID, []int64{*u.UnitID}, "单位"); err != nil {
			return err
		}
	}
	if u.PersonID != nil {
		if err := t.checkRefs(ctx, "people", u.OrgID, []int64{*u.PersonID}, "人员"); err != nil {
			return err
		}
	}
	return nil
}

// UpdateUser changes an account and returns it. An admin of the user's
// organisation (or one above) may change everything; users may change their
// own display name and password hash; anyone else gets CodeForbidden. An
// unknown user is CodeNotFound; the rules of CreateUser apply. A new password
// hash or disabling ends all the user's sessions and revokes all their API
// tokens, in the same transaction and audited as done by a.
func (s *Store) UpdateUser(ctx context.Context, a duban.Actor, id int64, up duban.UserUpdate) (u *duban.User, err error) {
	defer wrapErr(&err, "update user")
	tx, err := s.begin(ctx, a)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := tx.findUser(ctx, `id = $1`, id)
	if err != nil {
		return nil, err
	}
	self := a.UserID != 0 && a.UserID == id && up.Role == nil && up.UnitID == nil && up.PersonID == nil && up.Disabled == nil
	if !self {
		if err := tx.manage(ctx, before.OrgID); err != nil {
			return nil, err
		}
	}
	after := *before
	if up.DisplayName != nil {
		after.DisplayName = strings.TrimSpace(*up.DisplayName)
	}
	if up.PasswordHash != nil {
		after.PasswordHash = *up.PasswordHash
	}
	if up.Role != nil {
		after.Role = *up.Role
	}
	if up.UnitID != nil {
		after.UnitID = *up.UnitID
	}
	if up.PersonID != nil {
		after.PersonID = *up.PersonID
	}
	if up.Disabled != nil {
		after.Disabled = *up.Disabled
	}
	if up.Email != nil {
		after.Email = strings.TrimSpace(*up.Email)
	}
	if up.Mobile != nil {
		after.Mobile = strings.TrimSpace(*up.Mobile)
	}
	if err := check.Role(after.Role, after.UnitID); err != nil {
		return nil, err
	}
	if err := tx.checkUserRefs(ctx, &after); err != nil {
		return nil, err
	}
	_, err = tx.exec(ctx, `UPDATE users SET display_name = $1, password_hash = $2, role = $3, unit_id = $4, person_id = $5, disabled = $6,
		email = $8, mobile = $9 WHERE id = $7`,
		after.DisplayName, after.PasswordHash, string(after.Role), after.UnitID, after.PersonID, after.Disabled, id, after.Email, after.Mobile)
	if err != nil {
		return nil, dbErr(err, "")
	}
	// The audit log shows that the password changed, never the hash.
	action := "user.update"
	if up.PasswordHash != nil && after.PasswordHash != before.PasswordHash {
		action = "user.update_password"
	}
	if err := tx.audit(ctx, after.OrgID, action, "user", id, before, &after); err != nil {
		return nil, err
	}
	if up.PasswordHash != nil || (up.Disabled != nil && *up.Disabled) {
		if err := tx.endCredentials(ctx, after.OrgID, id, ""); err != nil {
			return nil, err
		}
	}
	return &after, tx.Commit()
}

// ChangePassword sets the actor's own password hash, ends their sessions but
// keepSessionHash ("" ends all) and revokes all their API tokens, in one
// transaction recorded in the audit log. An actor without a user (the system)
// gets CodeForbidden; an unknown or disabled user is CodeNotFound.
func (s *Store) ChangePassword(ctx context.Context, a duban.Actor, passwordHash, keepSessionHash string) (err error) {
	defer wrapErr(&err, "change password")
	if a.UserID == 0 {
		return check.Forbidden()
	}
	if passwordHash == "" {
		return duban.Errorf(duban.CodeInvalid, "密码不能为空")
	}
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := tx.findUser(ctx, `id = $1`, a.UserID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return notFound("用户")
	}
	if _, err := tx.exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, passwordHash, u.ID); err != nil {
		return dbErr(err, "")
	}
	// The audit log shows that the password changed, never the hash.
	if err := tx.audit(ctx, u.OrgID, "user.change_password", "user", u.ID, nil, nil); err != nil {
		return err
	}
	if err := tx.endCredentials(ctx, u.OrgID, u.ID, keepSessionHash); err != nil {
		return err
	}
	return tx.Commit()
}

// endCredentials ends a user's sessions but keep ("" for none) and revokes
// all their API tokens. Each kind that had any is recorded in the audit log
// with its count, as done by the transaction's actor.
func (t *txn) endCredentials(ctx context.Context, orgID, userID int64, keep string) error {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keep)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n > 0 {
		if err := t.audit(ctx, orgID, "session.delete_all", "user", userID, nil, map[string]int64{"sessions": n}); err != nil {
			return err
		}
	}
	res, err = t.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, ts(t.now), userID)
	if err != nil {
		return err
	}
	if n, err = res.RowsAffected(); err != nil {
		return err
	}
	if n > 0 {
		if err := t.audit(ctx, orgID, "api_token.revoke_all", "user", userID, nil, map[string]int64{"tokens": n}); err != nil {
			return err
		}
	}
	return nil
}

// FindUserByID returns an account, or CodeNotFound.
func (s *Store) FindUserByID(ctx context.Context, id int64) (u *duban.User, err error) {
	defer wrapErr(&err, "find user")
	return s.findUser(ctx, `id = $1`, id)
}

// FindUserByUsername returns the account with that user name, or
// CodeNotFound.
func (s *Store) FindUserByUsername(ctx context.Context, username string) (u *duban.User, err error) {
	defer wrapErr(&err, "find user")
	return s.findUser(ctx, `username = $1`, strings.TrimSpace(username))
}

func (s *Store) findUser(ctx context.Context, cond string, arg any) (*duban.User, error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := tx.findUser(ctx, cond, arg)
	if err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

func (t *txn) findUser(ctx context.Context, cond string, arg any) (*duban.User, error) {
	u, err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("用户")
	}
	return u, err
}

// FindUsers returns the accounts of an organisation in the order they were
// created.
func (s *Store) FindUsers(ctx context.Context, orgID int64) (users []*duban.User, err error) {
	defer wrapErr(&err, "find users")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	users = []*duban.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return users, tx.Commit()
}

// CreateSession stores a signed-in session and records the sign-in in the
// audit log, as done by the user. An unknown user is CodeInvalid; a token
// hash already stored is CodeConflict.
func (s *Store) CreateSession(ctx context.Context, ss *duban.Session) (err error) {
	defer wrapErr(&err, "create session")
	tx, err := s.begin(ctx, duban.Actor{})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		ss.TokenHash, ss.UserID, ts(ss.CreatedAt), ts(ss.LastSeenAt), ts(ss.ExpiresAt))
	if err != nil {
		return dbErr(err, "")
	}
	if err := tx.auditUser(ctx, ss.UserID, "session.create", ss); err != nil {
		return err
	}
	return tx.Commit()
}

// auditUser records an action a user did on their own account (signing in and
// out), in their organisation's audit log.
func (t *txn) auditUser(ctx context.Context, userID int64, action string, after any) error {
	b, err := auditJSON(after)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO audit_log (org_id, actor_id, actor, at, action, entity, entity_id, before, after)
		SELECT org_id, id, username, $1, $2, 'user', id, NULL, $3 FROM users WHERE id = $4`,
		ts(t.now), action, b, userID)
	return err
}

const sessionColumns = `token_hash, user_id, created_at, last_seen_at, expires_at`

// FindSession returns the session with that token hash. A missing or expired
// session (by the store's clock) is CodeNotFound.
func (s *Store) FindSession(ctx context.Context, tokenHash string) (ss *duban.Session, err error) {
	defer wrapErr(&err, "find session")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ss = &duban.Session{}
	err = tx.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = $1 AND expires_at > $2`, tokenHash, ts(tx.now)).
		Scan(&ss.TokenHash, &ss.UserID, timeText{&ss.CreatedAt}, timeText{&ss.LastSeenAt}, timeText{&ss.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, duban.Errorf(duban.CodeNotFound, "会话不存在或已过期")
	}
	if err != nil {
		return nil, err
	}
	return ss, tx.Commit()
}

// TouchSession records that a session was used at a time; an unknown session
// is CodeNotFound. It writes no audit entry.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) (err error) {
	defer wrapErr(&err, "touch session")
	tx, err := s.begin(ctx, duban.Actor{})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, ts(at), tokenHash)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return duban.Errorf(duban.CodeNotFound, "会话不存在或已过期")
	}
	return tx.Commit()
}

// DeleteSession ends a session (signing out) and records it in the audit log.
// Ending a session that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) (err error) {
	defer wrapErr(&err, "delete session")
	tx, err := s.begin(ctx, duban.Actor{})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var userID int64
	err = tx.queryRow(ctx, `DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id`, tokenHash).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.auditUser(ctx, userID, "session.delete", nil); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteUserSessions ends every session of a user (after a password change,
// or to lock them out) and records it in the audit log when there were any.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (err error) {
	defer wrapErr(&err, "delete user sessions")
	tx, err := s.begin(ctx, duban.Actor{})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n > 0 {
		if err := tx.auditUser(ctx, userID, "session.delete_all", map[string]int64{"sessions": n}); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// CreateAPIToken stores an API token for a user. Users may create their own;
// an admin of the user's organisation (or one above) anyone's; others get
// CodeForbidden. An unknown user is CodeNotFound; a token hash already stored
// is CodeConflict; an expiry not after the store's clock is CodeInvalid.
func (s *Store) CreateAPIToken(ctx context.Context, a duban.Actor, tok *duban.APIToken) (err error) {
	defer wrapErr(&err, "create api token")
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	owner, err := tx.findUser(ctx, `id = $1`, tok.UserID)
	if err != nil {
		return err
	}
	if a.UserID == 0 || a.UserID != owner.ID {
		if err := tx.manage(ctx, owner.OrgID); err != nil {
			return err
		}
	}
	if tok.ExpiresAt != nil && !tok.ExpiresAt.After(tx.now) {
		return duban.Errorf(duban.CodeInvalid, "令牌的到期时间应晚于现在")
	}
	tok.Name = strings.TrimSpace(tok.Name)
	err = tx.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		tok.UserID, tok.Name, tok.TokenHash, ts(tx.now), nullTS(tok.ExpiresAt)).Scan(&tok.ID)
	if err != nil {
		return dbErr(err, "")
	}
	tok.CreatedAt, tok.LastUsedAt = tx.now, nil
	if err := tx.audit(ctx, owner.OrgID, "api_token.create", "api_token", tok.ID, nil, tok); err != nil {
		return err
	}
	return tx.Commit()
}

// tokenUseResolution is how stale a token's last use may get before
// FindAPIToken records a new one: a script calling every second must not turn
// every read into a write.
const tokenUseResolution = time.Minute

const tokenColumns = `id, user_id, name, token_hash, created_at, last_used_at, expires_at`

func scanAPIToken(sc scanner) (*duban.APIToken, error) {
	tok := &duban.APIToken{}
	err := sc.Scan(&tok.ID, &tok.UserID, &tok.Name, &tok.TokenHash, timeText{&tok.CreatedAt}, nullTimeText{&tok.LastUsedAt},
		nullTimeText{&tok.ExpiresAt})
	return tok, err
}

// nullTS formats an optional time for storage (NULL for nil).
func nullTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// FindAPIToken returns the unrevoked token with that hash, expired or not, or
// CodeNotFound, and records the use of one that has not expired (at most once
// a minute, after the read, in a write of its own).
func (s *Store) FindAPIToken(ctx context.Context, tokenHash string) (tok *duban.APIToken, err error) {
	defer wrapErr(&err, "find api token")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	tok, err = scanAPIToken(tx.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, duban.Errorf(duban.CodeNotFound, "令牌不存在")
	}
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	now := tx.now
	if !tok.Expired(now) && (tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= tokenUseResolution) {
		if _, err := s.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, ts(now), tok.ID); err != nil {
			return nil, err
		}
		tok.LastUsedAt = &now
	}
	return tok, nil
}

// FindAPITokens returns a user's unrevoked tokens, expired ones included,
// oldest first. The user themself or an admin of their organisation (or one
// above) may ask; others get CodeForbidden. An unknown user is CodeNotFound.
func (s *Store) FindAPITokens(ctx context.Context, a duban.Actor, userID int64) (toks []*duban.APIToken, err error) {
	defer wrapErr(&err, "find api tokens")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	tx.actor = a
	if _, err := tx.ownOrManage(ctx, userID); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	toks = []*duban.APIToken{}
	for rows.Next() {
		tok, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return toks, tx.Commit()
}

// RevokeAPIToken revokes token id of user userID and records it in the audit
// log. Who may is as for FindAPITokens; a token that is not the user's or is
// revoked already is CodeNotFound.
func (s *Store) RevokeAPIToken(ctx context.Context, a duban.Actor, userID, id int64) (err error) {
	defer wrapErr(&err, "revoke api token")
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	owner, err := tx.ownOrManage(ctx, userID)
	if err != nil {
		return err
	}
	tok, err := scanAPIToken(tx.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return duban.Errorf(duban.CodeNotFound, "令牌不存在或已撤销")
	}
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, ts(tx.now), id); err != nil {
		return err
	}
	if err := tx.audit(ctx, owner.OrgID, "api_token.revoke", "api_token", id, tok, nil); err != nil {
		return err
	}
	return tx.Commit()
}

// ownOrManage returns user userID when the transaction's actor is that user
// or manages their organisation: CodeNotFound for an unknown user,
// CodeForbidden for anyone else.
func (t *txn) ownOrManage(ctx context.Context, userID int64) (*duban.User, error) {
	u, err := t.findUser(ctx, `id = $1`, userID)
	if err != nil {
		return nil, err
	}
	if t.actor.UserID == 0 || t.actor.UserID != u.ID {
		if err := t.manage(ctx, u.OrgID); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// RecordLoginFailure notes a failed sign-in for key at a time, forgets the
// key's failures before since, and returns the failures since then.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at, since time.Time) (n int, err error) {
	defer wrapErr(&err, "record login failure")
	tx, err := s.begin(ctx, duban.Actor{})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = $1 AND at < $2`, key, ts(since)); err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, ts(at)); err != nil {
		return 0, err
	}
	if err := tx.queryRow(ctx, `SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, ts(since)).Scan(&n); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// ClearLoginFailures forgets the failed sign-ins for key (after a successful
// one).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) (err error) {
	defer wrapErr(&err, "clear login failures")
	tx, err := s.begin(ctx, duban.Actor{})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key); err != nil {
		return err
	}
	return tx.Commit()
}
