package account

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"duban"
	"duban/store/internal/supervision"
)

const sessionColumns = `token_hash, user_id, created_at, last_seen_at, expires_at`

// CreateSession stores a signed-in session and records the sign-in in the
// audit log, as done by the user. An unknown user is CodeInvalid; a token
// hash already stored is CodeConflict.
func (s *Accounts) CreateSession(ctx context.Context, ss *duban.Session) (err error) {
	defer supervision.WrapErr(&err, "create session")
	return s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		_, err := tx.Exec(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			ss.TokenHash, ss.UserID, s.d.Time(ss.CreatedAt), s.d.Time(ss.LastSeenAt), s.d.Time(ss.ExpiresAt))
		if err != nil {
			return s.d.Err(err, "")
		}
		return s.auditUser(tx, ss.UserID, "session.create", ss)
	})
}

// auditUser records an action a user did on their own account (signing in and
// out), in their organisation's audit log. An unknown user records nothing.
func (s *Accounts) auditUser(tx supervision.Tx, userID int64, action string, after any) error {
	b, err := supervision.AuditJSON(after)
	if err != nil {
		return err
	}
	var orgID int64
	var username string
	err = tx.QueryRow(`SELECT org_id, username FROM users WHERE id = $1`, userID).Scan(&orgID, &username)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO audit_log (org_id, actor_id, actor, at, action, entity, entity_id, before, after)
		VALUES ($1, $2, $3, $4, $5, 'user', $6, NULL, $7)`,
		orgID, userID, username, s.d.Time(tx.Now()), action, userID, b)
	return err
}

// FindSession returns the session with that token hash. A missing or expired
// session (by the store's clock) is CodeNotFound.
func (s *Accounts) FindSession(ctx context.Context, tokenHash string) (ss *duban.Session, err error) {
	defer supervision.WrapErr(&err, "find session")
	ss = &duban.Session{}
	err = s.run.Read(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		err := tx.QueryRow(`SELECT `+sessionColumns+` FROM sessions WHERE token_hash = $1 AND expires_at > $2`, tokenHash, s.d.Time(tx.Now())).
			Scan(&ss.TokenHash, &ss.UserID, s.d.ScanTime(&ss.CreatedAt), s.d.ScanTime(&ss.LastSeenAt), s.d.ScanTime(&ss.ExpiresAt))
		if errors.Is(err, sql.ErrNoRows) {
			return duban.Errorf(duban.CodeNotFound, "会话不存在或已过期")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// TouchSession records that a session was used at a time; an unknown session
// is CodeNotFound. It writes no audit entry.
func (s *Accounts) TouchSession(ctx context.Context, tokenHash string, at time.Time) (err error) {
	defer supervision.WrapErr(&err, "touch session")
	return s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		res, err := tx.Exec(`UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, s.d.Time(at), tokenHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return duban.Errorf(duban.CodeNotFound, "会话不存在或已过期")
		}
		return nil
	})
}

// DeleteSession ends a session (signing out) and records it in the audit log.
// Ending a session that does not exist is not an error.
func (s *Accounts) DeleteSession(ctx context.Context, tokenHash string) (err error) {
	defer supervision.WrapErr(&err, "delete session")
	return s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		var userID int64
		err := tx.QueryRow(`DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id`, tokenHash).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.auditUser(tx, userID, "session.delete", nil)
	})
}

// DeleteUserSessions ends every session of a user (after a password change,
// or to lock them out) and records it in the audit log when there were any.
func (s *Accounts) DeleteUserSessions(ctx context.Context, userID int64) (err error) {
	defer supervision.WrapErr(&err, "delete user sessions")
	return s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		res, err := tx.Exec(`DELETE FROM sessions WHERE user_id = $1`, userID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n > 0 {
			return s.auditUser(tx, userID, "session.delete_all", map[string]int64{"sessions": n})
		}
		return nil
	})
}

// RecordLoginFailure notes a failed sign-in for key at a time, forgets the
// key's failures before since, and returns the failures since then.
func (s *Accounts) RecordLoginFailure(ctx context.Context, key string, at, since time.Time) (n int, err error) {
	defer supervision.WrapErr(&err, "record login failure")
	err = s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		if _, err := tx.Exec(`DELETE FROM login_failures WHERE key = $1 AND at < $2`, key, s.d.Time(since)); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, s.d.Time(at)); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, s.d.Time(since)).Scan(&n)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ClearLoginFailures forgets the failed sign-ins for key (after a successful
// one).
func (s *Accounts) ClearLoginFailures(ctx context.Context, key string) (err error) {
	defer supervision.WrapErr(&err, "clear login failures")
	return s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		_, err := tx.Exec(`DELETE FROM login_failures WHERE key = $1`, key)
		return err
	})
}

// PruneLoginFailures deletes the failed sign-ins noted before before, of
// every key: the nightly job keeps the table to what the lockout still
// reads.
func (s *Accounts) PruneLoginFailures(ctx context.Context, before time.Time) (n int, err error) {
	defer supervision.WrapErr(&err, "prune login failures")
	err = s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		res, err := tx.Exec(`DELETE FROM login_failures WHERE at < $1`, s.d.Time(before))
		if err != nil {
			return err
		}
		m, err := res.RowsAffected()
		n = int(m)
		return err
	})
	return n, err
}
