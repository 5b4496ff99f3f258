package sqlite

import (
	"context"
	"fmt"

	"duban"
	"duban/store/internal/supervision"
)

// FindAudit returns a page of an organisation's audit log, newest first, and
// the total count. Limit 0 means 100; at most 1000.
func (s *Store) FindAudit(ctx context.Context, f duban.AuditFilter) (entries []*duban.AuditEntry, total int, err error) {
	defer supervision.WrapErr(&err, "find audit")
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	offset := max(f.Offset, 0)
	var q query
	q.where = append(q.where, "org_id = "+q.arg(f.OrgID))
	if f.Entity != nil {
		q.where = append(q.where, "entity = "+q.arg(*f.Entity))
	}
	if f.EntityID != nil {
		q.where = append(q.where, "entity_id = "+q.arg(*f.EntityID))
	}
	if f.ActorID != nil {
		q.where = append(q.where, "actor_id = "+q.arg(*f.ActorID))
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if err := tx.queryRow(ctx, `SELECT count(*) FROM audit_log`+q.conditions(), q.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	n := len(q.args)
	rows, err := tx.query(ctx, `SELECT id, org_id, actor_id, actor, at, action, entity, entity_id, before, after
		FROM audit_log`+q.conditions()+fmt.Sprintf(` ORDER BY id DESC LIMIT $%d OFFSET $%d`, n+1, n+2),
		append(q.args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	entries = []*duban.AuditEntry{}
	for rows.Next() {
		e := &duban.AuditEntry{}
		if err := rows.Scan(&e.ID, &e.OrgID, &e.ActorID, &e.Actor, timeText{&e.At}, &e.Action, &e.Entity, &e.EntityID,
			jsonText{&e.Before}, jsonText{&e.After}); err != nil {
			return nil, 0, err
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return entries, total, tx.Commit()
}
