package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"duban"
	"duban/store/internal/check"
	"duban/store/internal/supervision"
)

const userColumns = `id, org_id, username, display_name, password_hash, role, unit_id, person_id, disabled, email, mobile,
	COALESCE(source, ''), COALESCE(subject, ''), created_at`

func (s *Accounts) scanUser(sc scanner) (*duban.User, error) {
	u := &duban.User{}
	err := sc.Scan(&u.ID, &u.OrgID, &u.Username, &u.DisplayName, &u.PasswordHash, &u.Role, &u.UnitID, &u.PersonID,
		&u.Disabled, &u.Email, &u.Mobile, &u.Source, &u.Subject, s.d.ScanTime(&u.CreatedAt))
	return u, err
}

// nullable is s, or NULL when s is empty.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateUser creates an account. Only an admin of the user's organisation (or
// one above) may (CodeForbidden). A user name already taken is CodeConflict;
// an unknown role, a reporter without a unit, or a unit or person of another
// organisation is CodeInvalid.
func (s *Accounts) CreateUser(ctx context.Context, a duban.Actor, u *duban.User) (err error) {
	defer supervision.WrapErr(&err, "create user")
	if err := check.User(u); err != nil {
		return err
	}
	return s.run.Write(ctx, a, func(tx supervision.Tx) error {
		if err := manage(tx, u.OrgID); err != nil {
			return err
		}
		if err := checkUserRefs(tx, u); err != nil {
			return err
		}
		return s.insertUser(tx, u)
	})
}

// insertUser writes a checked account and audits it: "user.provision" for
// one an identity system brought, "user.create" for any other.
func (s *Accounts) insertUser(tx supervision.Tx, u *duban.User) error {
	now := tx.Now()
	err := tx.QueryRow(`INSERT INTO users (org_id, username, display_name, password_hash, role, unit_id, person_id, disabled, email, mobile,
		source, subject, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		u.OrgID, u.Username, u.DisplayName, u.PasswordHash, string(u.Role), u.UnitID, u.PersonID, u.Disabled,
		u.Email, u.Mobile, nullable(u.Source), nullable(u.Subject), s.d.Time(now)).Scan(&u.ID)
	if err != nil {
		return s.d.Err(err, "用户名“"+u.Username+"”已被使用")
	}
	u.CreatedAt = now
	action := "user.create"
	if u.Source != "" {
		action = "user.provision"
	}
	return tx.Audit(u.OrgID, action, "user", u.ID, nil, u)
}

// checkUserRefs checks that u's unit and person belong to its organisation.
func checkUserRefs(tx supervision.Tx, u *duban.User) error {
	if u.UnitID != nil {
		if err := checkRef(tx, "units", u.OrgID, *u.UnitID, "单位"); err != nil {
			return err
		}
	}
	if u.PersonID != nil {
		if err := checkRef(tx, "people", u.OrgID, *u.PersonID, "人员"); err != nil {
			return err
		}
	}
	return nil
}

// checkRef checks that row id of table belongs to organisation orgID:
// CodeInvalid, naming what, if it does not.
func checkRef(tx supervision.Tx, table string, orgID, id int64, what string) error {
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM `+table+` WHERE org_id = $1 AND id = $2`, orgID, id).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return duban.Errorf(duban.CodeInvalid, "%s不存在或不属于本组织", what)
	}
	return nil
}

// UpdateUser changes an account and returns it. An admin of the user's
// organisation (or one above) may change everything; users may change their
// own display name and password hash; anyone else gets CodeForbidden. An
// unknown user is CodeNotFound; the rules of CreateUser apply. A new password
// hash or disabling ends all the user's sessions and revokes all their API
// tokens, in the same transaction and audited as done by a.
func (s *Accounts) UpdateUser(ctx context.Context, a duban.Actor, id int64, up duban.UserUpdate) (u *duban.User, err error) {
	defer supervision.WrapErr(&err, "update user")
	err = s.run.Write(ctx, a, func(tx supervision.Tx) error {
		before, err := s.findUser(tx, `id = $1`, id)
		if err != nil {
			return err
		}
		self := a.UserID != 0 && a.UserID == id && up.Role == nil && up.UnitID == nil && up.PersonID == nil && up.Disabled == nil
		if !self {
			if err := manage(tx, before.OrgID); err != nil {
				return err
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
			return err
		}
		if err := checkUserRefs(tx, &after); err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE users SET display_name = $1, password_hash = $2, role = $3, unit_id = $4, person_id = $5, disabled = $6,
		email = $8, mobile = $9 WHERE id = $7`,
			after.DisplayName, after.PasswordHash, string(after.Role), after.UnitID, after.PersonID, after.Disabled, id, after.Email, after.Mobile)
		if err != nil {
			return s.d.Err(err, "")
		}
		// The audit log shows that the password changed, never the hash.
		action := "user.update"
		if up.PasswordHash != nil && after.PasswordHash != before.PasswordHash {
			action = "user.update_password"
		}
		if err := tx.Audit(after.OrgID, action, "user", id, before, &after); err != nil {
			return err
		}
		if up.PasswordHash != nil || (up.Disabled != nil && *up.Disabled) {
			if err := s.endCredentials(tx, after.OrgID, id, ""); err != nil {
				return err
			}
		}
		u = &after
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ChangePassword sets the actor's own password hash, ends their sessions but
// keepSessionHash ("" ends all) and revokes all their API tokens, in one
// transaction recorded in the audit log. An actor without a user (the system)
// gets CodeForbidden; an unknown or disabled user is CodeNotFound.
func (s *Accounts) ChangePassword(ctx context.Context, a duban.Actor, passwordHash, keepSessionHash string) (err error) {
	defer supervision.WrapErr(&err, "change password")
	if a.UserID == 0 {
		return check.Forbidden()
	}
	if passwordHash == "" {
		return duban.Errorf(duban.CodeInvalid, "密码不能为空")
	}
	return s.run.Write(ctx, a, func(tx supervision.Tx) error {
		u, err := s.findUser(tx, `id = $1`, a.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return notFound("用户")
		}
		if _, err := tx.Exec(`UPDATE users SET password_hash = $1 WHERE id = $2`, passwordHash, u.ID); err != nil {
			return s.d.Err(err, "")
		}
		// The audit log shows that the password changed, never the hash.
		if err := tx.Audit(u.OrgID, "user.change_password", "user", u.ID, nil, nil); err != nil {
			return err
		}
		return s.endCredentials(tx, u.OrgID, u.ID, keepSessionHash)
	})
}

// endCredentials ends a user's sessions but keep ("" for none) and revokes
// all their API tokens. Each kind that had any is recorded in the audit log
// with its count, as done by the transaction's actor.
func (s *Accounts) endCredentials(tx supervision.Tx, orgID, userID int64, keep string) error {
	res, err := tx.Exec(`DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keep)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n > 0 {
		if err := tx.Audit(orgID, "session.delete_all", "user", userID, nil, map[string]int64{"sessions": n}); err != nil {
			return err
		}
	}
	res, err = tx.Exec(`UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, s.d.Time(tx.Now()), userID)
	if err != nil {
		return err
	}
	if n, err = res.RowsAffected(); err != nil {
		return err
	}
	if n > 0 {
		if err := tx.Audit(orgID, "api_token.revoke_all", "user", userID, nil, map[string]int64{"tokens": n}); err != nil {
			return err
		}
	}
	return nil
}

// FindUserByID returns an account, or CodeNotFound.
func (s *Accounts) FindUserByID(ctx context.Context, id int64) (u *duban.User, err error) {
	defer supervision.WrapErr(&err, "find user")
	return s.readUser(ctx, `id = $1`, id)
}

// FindUserByUsername returns the account with that user name, or
// CodeNotFound.
func (s *Accounts) FindUserByUsername(ctx context.Context, username string) (u *duban.User, err error) {
	defer supervision.WrapErr(&err, "find user")
	return s.readUser(ctx, `username = $1`, strings.TrimSpace(username))
}

// readUser finds a user in a read transaction of its own.
func (s *Accounts) readUser(ctx context.Context, cond string, arg any) (u *duban.User, err error) {
	err = s.run.Read(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		u, err = s.findUser(tx, cond, arg)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Accounts) findUser(tx supervision.Tx, cond string, arg any) (*duban.User, error) {
	u, err := s.scanUser(tx.QueryRow(`SELECT `+userColumns+` FROM users WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("用户")
	}
	return u, err
}

// FindUsers returns the accounts of an organisation in the order they were
// created.
func (s *Accounts) FindUsers(ctx context.Context, orgID int64) (users []*duban.User, err error) {
	defer supervision.WrapErr(&err, "find users")
	err = s.run.Read(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		rows, err := tx.Query(`SELECT `+userColumns+` FROM users WHERE org_id = $1 ORDER BY id`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		users = []*duban.User{}
		for rows.Next() {
			u, err := s.scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return users, nil
}

// ownOrManage returns user userID when the transaction's actor is that user
// or manages their organisation: CodeNotFound for an unknown user,
// CodeForbidden for anyone else.
func (s *Accounts) ownOrManage(tx supervision.Tx, userID int64) (*duban.User, error) {
	u, err := s.findUser(tx, `id = $1`, userID)
	if err != nil {
		return nil, err
	}
	if a := tx.Actor(); a.UserID == 0 || a.UserID != u.ID {
		if err := manage(tx, u.OrgID); err != nil {
			return nil, err
		}
	}
	return u, nil
}
