package supervision

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"duban"
)

// location is the time zone the organisation's days are counted in.
func (s *Store) location() *time.Location {
	if l := s.loc.Load(); l != nil {
		return l
	}
	return shanghai
}

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return l
}()

// SetLocation sets the time zone in which due days are counted (default
// Asia/Shanghai).
func (s *Store) SetLocation(l *time.Location) { s.loc.Store(l) }

// localDay is the day t falls on in the organisation's time zone.
func (s *Store) localDay(t time.Time) string { return t.In(s.location()).Format(time.DateOnly) }

const notificationColumns = `n.id, n.org_id, n.key, n.kind, n.task_id, n.unit_id, n.person_id, n.user_id, n.title, n.body, n.link, n.at`

// notify creates notification n in tx unless one with its key exists, with a
// pending delivery over each enabled channel of its organisation. It reports
// whether it created it.
func (s *Store) notify(tx Tx, n *duban.Notification) error {
	_, err := s.notifyOnce(tx, n)
	return err
}

func (s *Store) notifyOnce(tx Tx, n *duban.Notification) (bool, error) {
	n.At = tx.Now()
	err := tx.QueryRow(`INSERT INTO notifications (org_id, key, kind, task_id, unit_id, person_id, user_id, title, body, link, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (org_id, key) DO NOTHING RETURNING id`,
		n.OrgID, n.Key, string(n.Kind), n.TaskID, n.UnitID, n.PersonID, n.UserID, excerpt(n.Title, 200), n.Body, n.Link,
		s.d.Time(n.At)).Scan(&n.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, s.d.Err(err, "")
	}
	_, err = tx.Exec(`INSERT INTO deliveries (notification_id, channel_id, status, next_attempt_at)
		SELECT $1, c.id, 'pending', $2 FROM channels c WHERE c.org_id = $3 AND c.enabled`, n.ID, s.d.Time(n.At), n.OrgID)
	return true, err
}

// CreateNotification creates a notification once per key (jobs call it again
// and again: the second time nothing happens) and reports whether it did.
// Only the system and the office may.
func (s *Store) CreateNotification(ctx context.Context, a duban.Actor, n *duban.Notification) (created bool, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return forbidden()
		}
		if err := s.orgVisible(tx, a, n.OrgID); err != nil {
			return err
		}
		created, err = s.notifyOnce(tx, n)
		return err
	})
	return created, err
}

// recipient is the condition that notification n is for the actor: to them,
// to their unit, to them as a leader, or, with no recipient named, to the
// office of their organisation.
func recipient(a duban.Actor, f *filter) {
	var conds []string
	f.args = append(f.args, a.UserID)
	conds = append(conds, "n.user_id = $"+itoa(len(f.args)))
	if a.UnitID != nil {
		// A unit's notifications, and those of the groups it belongs to.
		f.args = append(f.args, *a.UnitID)
		p := "$" + itoa(len(f.args))
		conds = append(conds, "n.unit_id = "+p+" OR n.unit_id IN (SELECT m.group_id FROM unit_members m WHERE m.member_id = "+p+")")
	}
	if a.PersonID != nil {
		f.args = append(f.args, *a.PersonID)
		conds = append(conds, "n.person_id = $"+itoa(len(f.args)))
	}
	if isOffice(a) {
		f.args = append(f.args, a.OrgID)
		conds = append(conds, "(n.user_id IS NULL AND n.unit_id IS NULL AND n.person_id IS NULL AND n.org_id = $"+itoa(len(f.args))+")")
	}
	f.where = append(f.where, "("+strings.Join(conds, " OR ")+")")
}

// FindNotifications returns a page of the actor's notifications, newest
// first, the total and the number unread.
func (s *Store) FindNotifications(ctx context.Context, a duban.Actor, f duban.NotificationFilter) (out []*duban.Notification, total, unread int, err error) {
	limit, offset := page(f.Limit, f.Offset)
	const unreadCond = "NOT EXISTS (SELECT 1 FROM notification_reads nr WHERE nr.notification_id = n.id AND nr.user_id = ?)"
	var all, notRead filter
	recipient(a, &all)
	recipient(a, &notRead)
	notRead.add(unreadCond, a.UserID)
	q := &all
	if f.Unread {
		q = &notRead
	}
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if err := tx.QueryRow(`SELECT count(*) FROM notifications n`+notRead.conditions(), notRead.args...).Scan(&unread); err != nil {
			return err
		}
		if err := tx.QueryRow(`SELECT count(*) FROM notifications n`+q.conditions(), q.args...).Scan(&total); err != nil {
			return err
		}
		n := len(q.args)
		rows, err := tx.Query(`SELECT `+notificationColumns+`,
			(SELECT nr.read_at FROM notification_reads nr WHERE nr.notification_id = n.id AND nr.user_id = $`+itoa(n+1)+`)
			FROM notifications n`+q.conditions()+` ORDER BY n.id DESC LIMIT $`+itoa(n+2)+` OFFSET $`+itoa(n+3),
			append(q.args, a.UserID, limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = []*duban.Notification{}
		for rows.Next() {
			n := &duban.Notification{}
			var kind string
			if err := rows.Scan(&n.ID, &n.OrgID, &n.Key, &kind, &n.TaskID, &n.UnitID, &n.PersonID, &n.UserID, &n.Title, &n.Body,
				&n.Link, s.d.ScanTime(&n.At), s.d.ScanNullTime(&n.ReadAt)); err != nil {
				return err
			}
			n.Kind = duban.NotificationKind(kind)
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, total, unread, err
}

// MarkNotificationRead marks one of the actor's notifications read (all of
// them when id is 0).
func (s *Store) MarkNotificationRead(ctx context.Context, a duban.Actor, id int64) error {
	if a.UserID == 0 {
		return forbidden()
	}
	return s.run.Write(ctx, a, func(tx Tx) error {
		var q filter
		recipient(a, &q)
		if id != 0 {
			q.add("n.id = ?", id)
		}
		q.args = append(q.args, a.UserID, s.d.Time(tx.Now()))
		n := len(q.args)
		res, err := tx.Exec(`INSERT INTO notification_reads (notification_id, user_id, read_at)
			SELECT n.id, $`+itoa(n-1)+`, $`+itoa(n)+` FROM notifications n`+q.conditions()+`
			ON CONFLICT (notification_id, user_id) DO NOTHING`, q.args...)
		if err != nil {
			return err
		}
		if id != 0 {
			if k, _ := res.RowsAffected(); k == 0 {
				var exists int
				args := q.args[:len(q.args)-2]
				if err := tx.QueryRow(`SELECT count(*) FROM notifications n`+q.conditions(), args...).Scan(&exists); err != nil {
					return err
				}
				if exists == 0 {
					return notFound("通知")
				}
			}
		}
		return nil
	})
}

const channelColumns = `c.id, c.org_id, c.kind, c.name, c.enabled, c.config`

func (s *Store) scanChannel(sc interface{ Scan(...any) error }) (*duban.Channel, error) {
	c := &duban.Channel{Config: map[string]string{}}
	var kind string
	err := sc.Scan(&c.ID, &c.OrgID, &kind, &c.Name, &c.Enabled, jsonColumn{&c.Config})
	c.Kind = duban.ChannelKind(kind)
	return c, err
}

// SaveChannel creates a notification channel (ID 0) or replaces one, with
// its configuration as given (the caller has validated it). Only an
// administrator may.
func (s *Store) SaveChannel(ctx context.Context, a duban.Actor, c *duban.Channel) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, c.OrgID); err != nil {
			return err
		}
		if c.Config == nil {
			c.Config = map[string]string{}
		}
		if c.ID == 0 {
			err := tx.QueryRow(`INSERT INTO channels (org_id, kind, name, enabled, config) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				c.OrgID, string(c.Kind), c.Name, c.Enabled, marshal(c.Config)).Scan(&c.ID)
			if err != nil {
				return s.d.Err(err, "通知渠道“"+c.Name+"”已存在")
			}
			return tx.Audit(c.OrgID, "channel.create", "channel", c.ID, nil, redacted(c))
		}
		before, err := s.scanChannel(tx.QueryRow(`SELECT `+channelColumns+` FROM channels c WHERE c.id = $1 AND c.org_id = $2`, c.ID, c.OrgID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("通知渠道")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE channels SET kind = $1, name = $2, enabled = $3, config = $4 WHERE id = $5`,
			string(c.Kind), c.Name, c.Enabled, marshal(c.Config), c.ID); err != nil {
			return s.d.Err(err, "通知渠道“"+c.Name+"”已存在")
		}
		return tx.Audit(c.OrgID, "channel.update", "channel", c.ID, redacted(before), redacted(c))
	})
}

// redacted is a channel for the audit log: its secrets masked.
func redacted(c *duban.Channel) *duban.Channel {
	out := *c
	out.Config = map[string]string{}
	for k, v := range c.Config {
		if k == "secret" || k == "password" {
			v = "******"
		}
		out.Config[k] = v
	}
	return &out
}

// DeleteChannel deletes a channel and its deliveries. Only an administrator
// may.
func (s *Store) DeleteChannel(ctx context.Context, a duban.Actor, orgID, id int64) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, orgID); err != nil {
			return err
		}
		before, err := s.scanChannel(tx.QueryRow(`SELECT `+channelColumns+` FROM channels c WHERE c.id = $1 AND c.org_id = $2`, id, orgID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("通知渠道")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM channels WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.Audit(orgID, "channel.delete", "channel", id, redacted(before), nil)
	})
}

// FindChannels returns an organisation's channels, secrets included: the
// web layer masks them. Only the office and the system may.
func (s *Store) FindChannels(ctx context.Context, a duban.Actor, orgID int64) (out []*duban.Channel, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return forbidden()
		}
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT `+channelColumns+` FROM channels c WHERE c.org_id = $1 ORDER BY c.id`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = []*duban.Channel{}
		for rows.Next() {
			c, err := s.scanChannel(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// FindDueDeliveries returns up to limit deliveries waiting for an attempt at
// or before now, each with its notification and channel. Only the system
// may: jobs send them.
func (s *Store) FindDueDeliveries(ctx context.Context, a duban.Actor, now time.Time, limit int) (out []duban.DueDelivery, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if a.OrgID != 0 || a.Role != duban.RoleAdmin {
			return forbidden()
		}
		rows, err := tx.Query(`SELECT d.id, d.notification_id, d.channel_id, d.status, d.attempts, d.next_attempt_at, d.last_error, d.sent_at,
			`+notificationColumns+`, `+channelColumns+`
			FROM deliveries d JOIN notifications n ON n.id = d.notification_id JOIN channels c ON c.id = d.channel_id
			WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND c.enabled ORDER BY d.next_attempt_at, d.id LIMIT $2`,
			s.d.Time(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = []duban.DueDelivery{}
		for rows.Next() {
			var dd duban.DueDelivery
			var status, nkind, ckind string
			c := &dd.Channel
			n := &dd.Notification
			d := &dd.Delivery
			c.Config = map[string]string{}
			if err := rows.Scan(&d.ID, &d.NotificationID, &d.ChannelID, &status, &d.Attempts, s.d.ScanNullTime(&d.NextAttemptAt),
				&d.LastError, s.d.ScanNullTime(&d.SentAt),
				&n.ID, &n.OrgID, &n.Key, &nkind, &n.TaskID, &n.UnitID, &n.PersonID, &n.UserID, &n.Title, &n.Body, &n.Link, s.d.ScanTime(&n.At),
				&c.ID, &c.OrgID, &ckind, &c.Name, &c.Enabled, jsonColumn{&c.Config}); err != nil {
				return err
			}
			d.Status, n.Kind, c.Kind = duban.DeliveryStatus(status), duban.NotificationKind(nkind), duban.ChannelKind(ckind)
			out = append(out, dd)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			if out[i].Emails, out[i].Mobiles, err = s.recipients(tx, &out[i].Notification); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// recipients returns the e-mail addresses and mobile numbers of the enabled
// users a notification is for.
func (s *Store) recipients(tx Tx, n *duban.Notification) (emails, mobiles []string, err error) {
	var cond string
	var arg any
	switch {
	case n.UserID != nil:
		cond, arg = `u.id = $1`, *n.UserID
	case n.UnitID != nil:
		cond, arg = `(u.unit_id = $1 OR u.unit_id IN (SELECT m.member_id FROM unit_members m WHERE m.group_id = $1))`, *n.UnitID
	case n.PersonID != nil:
		cond, arg = `u.person_id = $1`, *n.PersonID
	default:
		cond, arg = `u.org_id = $1 AND u.role IN ('admin', 'supervisor')`, n.OrgID
	}
	rows, err := tx.Query(`SELECT u.email, u.mobile FROM users u WHERE NOT u.disabled AND `+cond+` ORDER BY u.id`, arg)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	emails, mobiles = []string{}, []string{}
	for rows.Next() {
		var email, mobile string
		if err := rows.Scan(&email, &mobile); err != nil {
			return nil, nil, err
		}
		if email != "" {
			emails = append(emails, email)
		}
		if mobile != "" {
			mobiles = append(mobiles, mobile)
		}
	}
	return emails, mobiles, rows.Err()
}

// RecordDeliveryAttempt logs one attempt to send delivery id and moves it to
// status: sent, pending again at next, or failed. Only the system may.
func (s *Store) RecordDeliveryAttempt(ctx context.Context, a duban.Actor, id int64, attemptErr string, status duban.DeliveryStatus, next *time.Time) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if a.OrgID != 0 || a.Role != duban.RoleAdmin {
			return forbidden()
		}
		now := tx.Now()
		if _, err := tx.Exec(`INSERT INTO delivery_attempts (delivery_id, at, ok, error) VALUES ($1, $2, $3, $4)`,
			id, s.d.Time(now), attemptErr == "", excerpt(attemptErr, 1000)); err != nil {
			return s.d.Err(err, "")
		}
		var nextArg, sentArg any
		if next != nil {
			nextArg = s.d.Time(*next)
		}
		if status == duban.DeliverySent {
			sentArg = s.d.Time(now)
		}
		_, err := tx.Exec(`UPDATE deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
			sent_at = COALESCE($4, sent_at) WHERE id = $5`, string(status), nextArg, excerpt(attemptErr, 1000), sentArg, id)
		return err
	})
}

// FindDeliveries returns the latest deliveries of an organisation's
// notifications, newest first, for the administrator's send log.
func (s *Store) FindDeliveries(ctx context.Context, a duban.Actor, orgID int64, limit, offset int) (out []*duban.Delivery, total int, err error) {
	limit, offset = page(limit, offset)
	var q filter
	q.add("n.org_id = ?", orgID)
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return forbidden()
		}
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		out, total, err = list(tx, "deliveries d JOIN notifications n ON n.id = d.notification_id",
			"d.id, d.notification_id, d.channel_id, d.status, d.attempts, d.next_attempt_at, d.last_error, d.sent_at", "d.id DESC",
			&q, limit, offset, func(sc interface{ Scan(...any) error }) (*duban.Delivery, error) {
				d := &duban.Delivery{}
				var status string
				err := sc.Scan(&d.ID, &d.NotificationID, &d.ChannelID, &status, &d.Attempts, s.d.ScanNullTime(&d.NextAttemptAt),
					&d.LastError, s.d.ScanNullTime(&d.SentAt))
				d.Status = duban.DeliveryStatus(status)
				return d, err
			})
		return err
	})
	return out, total, err
}

// StartJobRun records the start of a job's run for the day now and returns
// its ID; FinishJobRun records its end. Only the system may.
func (s *Store) StartJobRun(ctx context.Context, a duban.Actor, job string, now time.Time) (id int64, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		return tx.QueryRow(`INSERT INTO job_runs (job, started_at, now) VALUES ($1, $2, $3) RETURNING id`,
			job, s.d.Time(tx.Now()), s.d.Time(now)).Scan(&id)
	})
	return id, err
}

// FinishJobRun records the end of a job's run, with its error ("" for
// success) and a one-line summary.
func (s *Store) FinishJobRun(ctx context.Context, a duban.Actor, id int64, runErr, summary string) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		_, err := tx.Exec(`UPDATE job_runs SET finished_at = $1, ok = $2, error = $3, summary = $4 WHERE id = $5`,
			s.d.Time(tx.Now()), runErr == "", excerpt(runErr, 1000), excerpt(summary, 1000), id)
		return err
	})
}
