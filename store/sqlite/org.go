package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"duban"
	"duban/store/internal/check"
	"duban/store/internal/supervision"
)

// CreateOrg creates an organisation. Only an admin may: a top-level one only
// the system actor (OrgID 0), a child one an admin of its parent or above.
// CodeForbidden otherwise, CodeNotFound for an unknown parent.
func (s *Store) CreateOrg(ctx context.Context, a duban.Actor, o *duban.Org) (err error) {
	defer supervision.WrapErr(&err, "create org")
	if err := check.Org(o); err != nil {
		return err
	}
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if o.ParentID == nil {
		if !check.CanManage(a.Role) || a.OrgID != 0 {
			return check.Forbidden()
		}
	} else if err := tx.manage(ctx, *o.ParentID); err != nil {
		return err
	}
	err = tx.queryRow(ctx, `INSERT INTO orgs (parent_id, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
		o.ParentID, o.Name, ts(tx.now)).Scan(&o.ID)
	if err != nil {
		return dbErr(err, "")
	}
	o.CreatedAt = tx.now
	if err := tx.audit(ctx, o.ID, "org.create", "org", o.ID, nil, o); err != nil {
		return err
	}
	return tx.Commit()
}

// FindOrgs returns every organisation, in the order they were created.
func (s *Store) FindOrgs(ctx context.Context) (orgs []*duban.Org, err error) {
	defer supervision.WrapErr(&err, "find orgs")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT id, parent_id, name, created_at FROM orgs ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	orgs = []*duban.Org{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return orgs, tx.Commit()
}

// FindOrgByID returns an organisation, or CodeNotFound.
func (s *Store) FindOrgByID(ctx context.Context, id int64) (o *duban.Org, err error) {
	defer supervision.WrapErr(&err, "find org")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	o, err = scanOrg(tx.queryRow(ctx, `SELECT id, parent_id, name, created_at FROM orgs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("组织")
	}
	if err != nil {
		return nil, err
	}
	return o, tx.Commit()
}

type scanner interface{ Scan(dest ...any) error }

func scanOrg(sc scanner) (*duban.Org, error) {
	o := &duban.Org{}
	err := sc.Scan(&o.ID, &o.ParentID, &o.Name, timeText{&o.CreatedAt})
	return o, err
}

// orgVisible reports whether organisation orgID exists and lies within the
// actor's organisation: the actor's own or one below it. The system actor
// (OrgID 0) sees every organisation.
func (t *txn) orgVisible(ctx context.Context, orgID int64) (bool, error) {
	var n int
	err := t.queryRow(ctx, `WITH RECURSIVE up(id, parent_id) AS (
			SELECT id, parent_id FROM orgs WHERE id = $1
			UNION ALL
			SELECT o.id, o.parent_id FROM orgs o JOIN up ON o.id = up.parent_id)
		SELECT count(*) FROM up WHERE $2 = 0 OR id = $2`, orgID, t.actor.OrgID).Scan(&n)
	return n > 0, err
}

// manage checks that the actor may manage organisation orgID: an admin whose
// organisation is orgID or one above it. CodeForbidden for another role,
// CodeNotFound for an organisation the actor cannot see.
func (t *txn) manage(ctx context.Context, orgID int64) error {
	if !check.CanManage(t.actor.Role) {
		return check.Forbidden()
	}
	ok, err := t.orgVisible(ctx, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return notFound("组织")
	}
	return nil
}

// taskScope adds to q the conditions that limit tasks t to what a may see: the
// actor's organisation and those below it, and for a reporter the tasks whose
// lead or responsible units include their unit or a group holding it. It
// reports false when a sees no task at all.
func (q *query) taskScope(a duban.Actor) bool {
	switch a.Role {
	case duban.RoleAdmin, duban.RoleSupervisor, duban.RoleLeader, duban.RoleViewer:
	case duban.RoleReporter:
		if a.UnitID == nil {
			return false
		}
		q.where = append(q.where, q.unitMatch(*a.UnitID))
	default:
		return false
	}
	if a.OrgID != 0 {
		q.with = append(q.with, fmt.Sprintf(`vis(id) AS (
			SELECT id FROM orgs WHERE id = %s
			UNION ALL
			SELECT o.id FROM orgs o JOIN vis ON o.parent_id = vis.id)`, q.arg(a.OrgID)))
		q.where = append(q.where, "t.org_id IN (SELECT id FROM vis)")
	}
	return true
}

// unitMatch is the condition "task t is held by unit id, directly or through a
// group the unit belongs to".
func (q *query) unitMatch(id int64) string {
	p := q.arg(id)
	return fmt.Sprintf(`EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id
		AND (tu.unit_id = %s OR tu.unit_id IN (SELECT m.group_id FROM unit_members m WHERE m.member_id = %s)))`, p, p)
}
