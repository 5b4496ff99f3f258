package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"duban"
	"duban/store/internal/supervision"
)

// CreateAPIToken stores an API token for a user. Users may create their own;
// an admin of the user's organisation (or one above) anyone's; others get
// CodeForbidden. An unknown user is CodeNotFound; a token hash already stored
// is CodeConflict; an expiry not after the store's clock is CodeInvalid.
func (s *Accounts) CreateAPIToken(ctx context.Context, a duban.Actor, tok *duban.APIToken) (err error) {
	defer supervision.WrapErr(&err, "create api token")
	return s.run.Write(ctx, a, func(tx supervision.Tx) error {
		owner, err := s.findUser(tx, `id = $1`, tok.UserID)
		if err != nil {
			return err
		}
		if a.UserID == 0 || a.UserID != owner.ID {
			if err := manage(tx, owner.OrgID); err != nil {
				return err
			}
		}
		now := tx.Now()
		if tok.ExpiresAt != nil && !tok.ExpiresAt.After(now) {
			return duban.Errorf(duban.CodeInvalid, "令牌的到期时间应晚于现在")
		}
		tok.Name = strings.TrimSpace(tok.Name)
		err = tx.QueryRow(`INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			tok.UserID, tok.Name, tok.TokenHash, s.d.Time(now), s.nullTime(tok.ExpiresAt)).Scan(&tok.ID)
		if err != nil {
			return s.d.Err(err, "")
		}
		tok.CreatedAt, tok.LastUsedAt = now, nil
		return tx.Audit(owner.OrgID, "api_token.create", "api_token", tok.ID, nil, tok)
	})
}

// tokenUseResolution is how stale a token's last use may get before
// FindAPIToken records a new one: a script calling every second must not turn
// every read into a write.
const tokenUseResolution = time.Minute

const tokenColumns = `id, user_id, name, token_hash, created_at, last_used_at, expires_at`

func (s *Accounts) scanAPIToken(sc scanner) (*duban.APIToken, error) {
	tok := &duban.APIToken{}
	err := sc.Scan(&tok.ID, &tok.UserID, &tok.Name, &tok.TokenHash, s.d.ScanTime(&tok.CreatedAt), s.d.ScanNullTime(&tok.LastUsedAt),
		s.d.ScanNullTime(&tok.ExpiresAt))
	return tok, err
}

// nullTime is an optional time as a statement argument (NULL for nil).
func (s *Accounts) nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return s.d.Time(*t)
}

// FindAPIToken returns the unrevoked token with that hash, expired or not, or
// CodeNotFound, and records the use of one that has not expired (at most once
// a minute, after the read, in a write of its own).
func (s *Accounts) FindAPIToken(ctx context.Context, tokenHash string) (tok *duban.APIToken, err error) {
	defer supervision.WrapErr(&err, "find api token")
	var now time.Time
	err = s.run.Read(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		now = tx.Now()
		tok, err = s.scanAPIToken(tx.QueryRow(`SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash))
		if errors.Is(err, sql.ErrNoRows) {
			return duban.Errorf(duban.CodeNotFound, "令牌不存在")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !tok.Expired(now) && (tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= tokenUseResolution) {
		err := s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
			_, err := tx.Exec(`UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, s.d.Time(now), tok.ID)
			return err
		})
		if err != nil {
			return nil, err
		}
		tok.LastUsedAt = &now
	}
	return tok, nil
}

// FindAPITokens returns a user's unrevoked tokens, expired ones included,
// oldest first. The user themself or an admin of their organisation (or one
// above) may ask; others get CodeForbidden. An unknown user is CodeNotFound.
func (s *Accounts) FindAPITokens(ctx context.Context, a duban.Actor, userID int64) (toks []*duban.APIToken, err error) {
	defer supervision.WrapErr(&err, "find api tokens")
	err = s.run.Read(ctx, a, func(tx supervision.Tx) error {
		if _, err := s.ownOrManage(tx, userID); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		toks = []*duban.APIToken{}
		for rows.Next() {
			tok, err := s.scanAPIToken(rows)
			if err != nil {
				return err
			}
			toks = append(toks, tok)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return toks, nil
}

// RevokeAPIToken revokes token id of user userID and records it in the audit
// log. Who may is as for FindAPITokens; a token that is not the user's or is
// revoked already is CodeNotFound.
func (s *Accounts) RevokeAPIToken(ctx context.Context, a duban.Actor, userID, id int64) (err error) {
	defer supervision.WrapErr(&err, "revoke api token")
	return s.run.Write(ctx, a, func(tx supervision.Tx) error {
		owner, err := s.ownOrManage(tx, userID)
		if err != nil {
			return err
		}
		tok, err := s.scanAPIToken(tx.QueryRow(`SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return duban.Errorf(duban.CodeNotFound, "令牌不存在或已撤销")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, s.d.Time(tx.Now()), id); err != nil {
			return err
		}
		return tx.Audit(owner.OrgID, "api_token.revoke", "api_token", id, tok, nil)
	})
}
