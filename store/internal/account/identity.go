package account

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"duban"
	"duban/store/internal/check"
	"duban/store/internal/supervision"
)

// FindExternalUser returns the user who signs in through source as subject,
// or CodeNotFound.
func (s *Accounts) FindExternalUser(ctx context.Context, source, subject string) (u *duban.User, err error) {
	defer supervision.WrapErr(&err, "find external user")
	if source == "" || subject == "" {
		return nil, notFound("用户")
	}
	err = s.run.Read(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		u, err = s.scanUser(tx.QueryRow(`SELECT `+userColumns+` FROM users WHERE source = $1 AND subject = $2`, source, subject))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("用户")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// FindExternalAccounts returns every user who signs in through source, in
// the order they were created.
func (s *Accounts) FindExternalAccounts(ctx context.Context, source string) (out []duban.ExternalAccount, err error) {
	defer supervision.WrapErr(&err, "find external accounts")
	err = s.run.Read(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		rows, err := tx.Query(`SELECT id, org_id, username, subject, upstream_secret, disabled FROM users WHERE source = $1 ORDER BY id`, source)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = []duban.ExternalAccount{}
		for rows.Next() {
			var a duban.ExternalAccount
			if err := rows.Scan(&a.UserID, &a.OrgID, &a.Username, &a.Subject, &a.Secret, &a.Disabled); err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}

// SetExternalSecret keeps what the source gave at a sign-in or check. It is
// not audited: it changes nothing anyone may do.
func (s *Accounts) SetExternalSecret(ctx context.Context, userID int64, secret string) (err error) {
	defer supervision.WrapErr(&err, "set external secret")
	return s.run.Write(ctx, duban.Actor{}, func(tx supervision.Tx) error {
		res, err := tx.Exec(`UPDATE users SET upstream_secret = $1 WHERE id = $2 AND source IS NOT NULL`, secret, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("用户")
		}
		return nil
	})
}

const requestColumns = `id, org_id, source, subject, username, display_name, email, mobile, unit, groups, status, attempts,
	first_at, last_at, decided_by, decided_at, user_id`

func (s *Accounts) scanRequest(sc scanner) (*duban.IdentityRequest, error) {
	r := &duban.IdentityRequest{}
	var groups string
	err := sc.Scan(&r.ID, &r.OrgID, &r.Source, &r.Subject, &r.Username, &r.DisplayName, &r.Email, &r.Mobile, &r.Unit,
		&groups, &r.Status, &r.Attempts, s.d.ScanTime(&r.FirstAt), s.d.ScanTime(&r.LastAt), &r.DecidedBy,
		s.d.ScanNullTime(&r.DecidedAt), &r.UserID)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(groups), &r.Groups); err != nil {
		return nil, err
	}
	if r.Groups == nil {
		r.Groups = []string{}
	}
	return r, nil
}

// maxRequestGroups bounds the groups kept of a request: a directory can put a
// person in hundreds, and the administrator needs only enough to decide.
const maxRequestGroups = 50

// RecordIdentityRequest notes a person no mapping rule gives an account. The
// first attempt is recorded in the audit log as "identity.request"; a later
// one counts, refreshes what the source said and leaves the status alone.
func (s *Accounts) RecordIdentityRequest(ctx context.Context, in *duban.IdentityRequest) (out *duban.IdentityRequest, err error) {
	defer supervision.WrapErr(&err, "record identity request")
	if in.Source == "" || in.Subject == "" {
		return nil, duban.Errorf(duban.CodeInvalid, "申请须有来源和标识")
	}
	groups := in.Groups
	if len(groups) > maxRequestGroups {
		groups = groups[:maxRequestGroups]
	}
	if groups == nil {
		groups = []string{}
	}
	gb, err := json.Marshal(groups)
	if err != nil {
		return nil, err
	}
	err = s.run.Write(ctx, duban.Actor{Username: in.Username}, func(tx supervision.Tx) error {
		now := s.d.Time(tx.Now())
		before, err := s.scanRequest(tx.QueryRow(`SELECT `+requestColumns+` FROM identity_requests WHERE source = $1 AND subject = $2`,
			in.Source, in.Subject))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			org := in.OrgID
			if org == 0 {
				if org, err = topOrg(tx); err != nil {
					return err
				}
			}
			var id int64
			err = tx.QueryRow(`INSERT INTO identity_requests (org_id, source, subject, username, display_name, email, mobile, unit, groups,
				first_at, last_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
				org, in.Source, in.Subject, in.Username, in.DisplayName, in.Email, in.Mobile, in.Unit, string(gb), now).Scan(&id)
			if err != nil {
				return s.d.Err(err, "")
			}
			if out, err = s.findRequest(tx, id); err != nil {
				return err
			}
			return tx.Audit(org, "identity.request", "identity_request", id, nil, out)
		case err != nil:
			return err
		}
		_, err = tx.Exec(`UPDATE identity_requests SET username = $1, display_name = $2, email = $3, mobile = $4, unit = $5, groups = $6,
			attempts = attempts + 1, last_at = $7 WHERE id = $8`,
			in.Username, in.DisplayName, in.Email, in.Mobile, in.Unit, string(gb), now, before.ID)
		if err != nil {
			return err
		}
		out, err = s.findRequest(tx, before.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Accounts) findRequest(tx supervision.Tx, id int64) (*duban.IdentityRequest, error) {
	r, err := s.scanRequest(tx.QueryRow(`SELECT `+requestColumns+` FROM identity_requests WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("申请")
	}
	return r, err
}

// topOrg is the organisation at the top: the first without a parent.
func topOrg(tx supervision.Tx) (int64, error) {
	var id int64
	err := tx.QueryRow(`SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, duban.Errorf(duban.CodeInvalid, "尚未建立组织")
	}
	return id, err
}

// FindIdentityRequests returns the requests of the organisations the actor
// manages, in status ("" for all), newest first. Only admins may ask.
func (s *Accounts) FindIdentityRequests(ctx context.Context, a duban.Actor, status string) (out []*duban.IdentityRequest, err error) {
	defer supervision.WrapErr(&err, "find identity requests")
	if !check.CanManage(a.Role) {
		return nil, check.Forbidden()
	}
	switch status {
	case "", duban.RequestPending, duban.RequestApproved, duban.RequestRejected:
	default:
		return nil, duban.Errorf(duban.CodeInvalid, "申请状态“%s”无效", status)
	}
	err = s.run.Read(ctx, a, func(tx supervision.Tx) error {
		// The organisations the actor manages: theirs and those below it
		// (all of them for the system).
		rows, err := tx.Query(`WITH RECURSIVE down(id) AS (
				SELECT id FROM orgs WHERE CAST($1 AS BIGINT) = 0 OR id = $1
				UNION
				SELECT o.id FROM orgs o JOIN down ON o.parent_id = down.id)
			SELECT `+requestColumns+` FROM identity_requests
			WHERE org_id IN (SELECT id FROM down) AND ($2 = '' OR status = $2)
			ORDER BY last_at DESC, id DESC LIMIT 500`, a.OrgID, status)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = []*duban.IdentityRequest{}
		for rows.Next() {
			r, err := s.scanRequest(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// DecideIdentityRequest approves a pending request, creating its account as
// the decision says, or rejects it, in one transaction recorded in the audit
// log. Only an admin of the request's organisation (or one above) may, and
// of the account's organisation for an approval.
func (s *Accounts) DecideIdentityRequest(ctx context.Context, a duban.Actor, id int64, d duban.IdentityDecision) (r *duban.IdentityRequest, u *duban.User, err error) {
	defer supervision.WrapErr(&err, "decide identity request")
	if !check.CanManage(a.Role) {
		return nil, nil, check.Forbidden()
	}
	err = s.run.Write(ctx, a, func(tx supervision.Tx) error {
		before, err := s.findRequest(tx, id)
		if err != nil {
			return err
		}
		if err := manage(tx, before.OrgID); err != nil {
			if duban.ErrorCode(err) == duban.CodeNotFound {
				return notFound("申请")
			}
			return err
		}
		if before.Status != duban.RequestPending {
			return duban.Errorf(duban.CodeConflict, "该申请已处理")
		}
		status := duban.RequestRejected
		var userID *int64
		if d.Approve {
			status = duban.RequestApproved
			org := d.OrgID
			if org == 0 {
				org = before.OrgID
			}
			if err := manage(tx, org); err != nil {
				return err
			}
			name := strings.TrimSpace(d.Username)
			if name == "" {
				name = before.Username
			}
			u = &duban.User{OrgID: org, Username: name, DisplayName: before.DisplayName, Role: d.Role,
				UnitID: d.UnitID, PersonID: d.PersonID, Email: before.Email, Mobile: before.Mobile,
				Source: before.Source, Subject: before.Subject}
			if err := check.User(u); err != nil {
				return err
			}
			if err := checkUserRefs(tx, u); err != nil {
				return err
			}
			if err := s.insertUser(tx, u); err != nil {
				return err
			}
			userID = &u.ID
		}
		_, err = tx.Exec(`UPDATE identity_requests SET status = $1, decided_by = $2, decided_at = $3, user_id = $4 WHERE id = $5`,
			status, a.Username, s.d.Time(tx.Now()), userID, id)
		if err != nil {
			return err
		}
		if r, err = s.findRequest(tx, id); err != nil {
			return err
		}
		action := "identity.reject"
		if d.Approve {
			action = "identity.approve"
		}
		return tx.Audit(before.OrgID, action, "identity_request", id, before, r)
	})
	if err != nil {
		return nil, nil, err
	}
	return r, u, nil
}

// RecordSignIn writes a sign-in event to the audit log of the user's
// organisation, or for a name nobody has of e.OrgID or the top one, as done
// by the person who tried.
func (s *Accounts) RecordSignIn(ctx context.Context, e duban.SignInEvent) (err error) {
	defer supervision.WrapErr(&err, "record sign-in")
	a := duban.Actor{UserID: e.UserID, Username: e.Username}
	if a.Username == "" {
		a.Username = "(匿名)"
	}
	return s.run.Write(ctx, a, func(tx supervision.Tx) error {
		var org int64
		if e.UserID != 0 {
			if err := tx.QueryRow(`SELECT org_id FROM users WHERE id = $1`, e.UserID).Scan(&org); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if org == 0 {
			org = e.OrgID
		}
		if org == 0 {
			var err error
			if org, err = topOrg(tx); err != nil {
				return err
			}
		}
		action := "session.fail"
		if e.Outcome == "pending" {
			action = "session.pending"
		}
		return tx.Audit(org, action, "user", e.UserID, nil, e)
	})
}
