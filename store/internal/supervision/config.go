package supervision

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"duban"
)

// LinkIndicators records that indicator id continues indicator previous (both
// of organisation orgID) as kind, with a note. Only an administrator may; an
// indicator of another organisation is CodeNotFound, a link twice
// CodeConflict.
func (s *Store) LinkIndicators(ctx context.Context, a duban.Actor, orgID int64, l *duban.IndicatorLink) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, orgID); err != nil {
			return err
		}
		if l.Kind != duban.LinkRenamed && l.Kind != duban.LinkRedefined {
			return duban.Errorf(duban.CodeInvalid, "指标关联应为 renamed（更名）或 redefined（口径调整）")
		}
		if l.IndicatorID == l.PreviousID {
			return duban.Errorf(duban.CodeInvalid, "指标不能关联到自身")
		}
		l.Note = strings.TrimSpace(l.Note)
		if err := checkText("说明", l.Note, maxShortText); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM indicators WHERE org_id = $1 AND id IN ($2, $3)`, orgID, l.IndicatorID, l.PreviousID).Scan(&n); err != nil {
			return err
		}
		if n != 2 {
			return notFound("指标")
		}
		l.ConfirmedBy, l.ConfirmedAt = a.UserID, tx.Now()
		if _, err := tx.Exec(`INSERT INTO indicator_links (org_id, indicator_id, previous_id, kind, note, confirmed_by, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, orgID, l.IndicatorID, l.PreviousID, string(l.Kind), l.Note, actorRef(a), s.d.Time(l.ConfirmedAt)); err != nil {
			return s.d.Err(err, "这两个指标已经关联")
		}
		return tx.Audit(orgID, "indicator.link", "indicator", l.IndicatorID, nil, l)
	})
}

// UnlinkIndicators removes a link. Only an administrator may.
func (s *Store) UnlinkIndicators(ctx context.Context, a duban.Actor, orgID, id, previousID int64) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, orgID); err != nil {
			return err
		}
		res, err := tx.Exec(`DELETE FROM indicator_links WHERE org_id = $1 AND indicator_id = $2 AND previous_id = $3`, orgID, id, previousID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("指标关联")
		}
		return tx.Audit(orgID, "indicator.unlink", "indicator", id, map[string]int64{"previous_id": previousID}, nil)
	})
}

// FindIndicatorLinks returns the links of an organisation's indicators.
func (s *Store) FindIndicatorLinks(ctx context.Context, a duban.Actor, orgID int64) (out []duban.IndicatorLink, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT indicator_id, previous_id, kind, note, COALESCE(confirmed_by, 0), confirmed_at
			FROM indicator_links WHERE org_id = $1 ORDER BY indicator_id, previous_id`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = []duban.IndicatorLink{}
		for rows.Next() {
			var l duban.IndicatorLink
			var kind string
			if err := rows.Scan(&l.IndicatorID, &l.PreviousID, &kind, &l.Note, &l.ConfirmedBy, s.d.ScanTime(&l.ConfirmedAt)); err != nil {
				return err
			}
			l.Kind = duban.LinkKind(kind)
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

// FindConfig reads the configuration document key of an organisation into v
// (as JSON) and reports whether one was set. Anyone who sees the
// organisation may.
func (s *Store) FindConfig(ctx context.Context, a duban.Actor, orgID int64, key string, v any) (found bool, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		var text string
		err := tx.QueryRow(`SELECT value FROM org_config WHERE org_id = $1 AND key = $2`, orgID, key).Scan(&text)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return json.Unmarshal([]byte(text), v)
	})
	return found, err
}

// SetConfig stores v as the configuration document key of an organisation.
// Only an administrator may.
func (s *Store) SetConfig(ctx context.Context, a duban.Actor, orgID int64, key string, v any) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, orgID); err != nil {
			return err
		}
		var before *string
		var text string
		err := tx.QueryRow(`SELECT value FROM org_config WHERE org_id = $1 AND key = $2`, orgID, key).Scan(&text)
		if err == nil {
			before = &text
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		value := marshal(v)
		if _, err := tx.Exec(`INSERT INTO org_config (org_id, key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (org_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			orgID, key, value, s.d.Time(tx.Now()), actorRef(a)); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = json.RawMessage(*before)
		}
		return tx.Audit(orgID, "config.update", "config:"+key, orgID, b, json.RawMessage(value))
	})
}
