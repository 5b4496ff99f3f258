package supervision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"duban"
)

const noticeColumns = `n.id, n.org_id, n.task_id, n.unit_id, n.number, n.title, n.body, n.deadline, n.status,
	COALESCE(n.issued_by, 0), n.issued_at, n.response, n.responded_by, n.responded_at, n.closed_at`

func (s *Store) scanNotice(sc interface{ Scan(...any) error }) (*duban.Notice, error) {
	n := &duban.Notice{}
	var status string
	err := sc.Scan(&n.ID, &n.OrgID, &n.TaskID, &n.UnitID, &n.Number, &n.Title, &n.Body, &n.Deadline, &status,
		&n.IssuedBy, s.d.ScanTime(&n.IssuedAt), &n.Response, &n.RespondedBy, s.d.ScanNullTime(&n.RespondedAt),
		s.d.ScanNullTime(&n.ClosedAt))
	n.Status = duban.NoticeStatus(status)
	return n, err
}

func (s *Store) notice(tx Tx, id int64) (*duban.Notice, error) {
	n, err := s.scanNotice(tx.QueryRow(`SELECT `+noticeColumns+` FROM notices n WHERE n.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("督办单")
	}
	return n, err
}

// IssueNotice issues a supervision notice (督办单) about a task to its lead
// unit, numbered in the organisation's year (督办〔2024〕3号), with a deadline
// for the response (a date the caller has checked). Only the office may.
func (s *Store) IssueNotice(ctx context.Context, a duban.Actor, n *duban.Notice) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return duban.Errorf(duban.CodeForbidden, "只有督查室可以下发督办单")
		}
		t, err := s.task(tx, a, n.TaskID)
		if err != nil {
			return err
		}
		n.Title, n.Body = strings.TrimSpace(n.Title), strings.TrimSpace(n.Body)
		if n.Title == "" {
			return duban.Errorf(duban.CodeInvalid, "请填写督办事项")
		}
		if err := checkText("督办事项", n.Title, 200); err != nil {
			return err
		}
		if err := checkText("督办要求", n.Body, maxReportText); err != nil {
			return err
		}
		if t.leadUnit == 0 {
			return duban.Errorf(duban.CodeInvalid, "该任务没有牵头单位，无法下发督办单")
		}
		now := tx.Now()
		year := now.In(s.location()).Year()
		var seq int
		if err := tx.QueryRow(`SELECT COALESCE(max(seq), 0) + 1 FROM notices WHERE org_id = $1 AND year = $2`, t.org, year).Scan(&seq); err != nil {
			return err
		}
		n.OrgID, n.UnitID, n.Status = t.org, t.leadUnit, duban.NoticeOpen
		n.Number = fmt.Sprintf("督办〔%d〕%d号", year, seq)
		n.IssuedBy, n.IssuedAt = a.UserID, now
		err = tx.QueryRow(`INSERT INTO notices (org_id, task_id, unit_id, year, seq, number, title, body, deadline, status, issued_by, issued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11) RETURNING id`,
			n.OrgID, n.TaskID, n.UnitID, year, seq, n.Number, n.Title, n.Body, n.Deadline, actorRef(a), s.d.Time(now)).Scan(&n.ID)
		if err != nil {
			return s.d.Err(err, "督办单编号重复，请重试")
		}
		unit := n.UnitID
		if err := s.notify(tx, &duban.Notification{OrgID: t.org, Key: fmt.Sprintf("notice:%d:issued", n.ID),
			Kind: duban.NotifyNotice, TaskID: &t.id, UnitID: &unit, Title: n.Number + " " + n.Title,
			Body: n.Body + "\n请于" + n.Deadline + "前反馈。", Link: taskLink(t.id)}); err != nil {
			return err
		}
		return tx.Audit(t.org, "notice.issue", "notice", n.ID, nil, n)
	})
}

// RespondNotice records the lead unit's response to an open notice. Only a
// reporter of a unit leading the notice's task may; a notice closed already
// is CodeConflict.
func (s *Store) RespondNotice(ctx context.Context, a duban.Actor, id int64, response string) (out *duban.Notice, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		before, err := s.notice(tx, id)
		if err != nil {
			return err
		}
		t, err := s.task(tx, a, before.TaskID)
		if err != nil {
			return notFound("督办单")
		}
		if a.Role != duban.RoleReporter || !t.lead {
			return duban.Errorf(duban.CodeForbidden, "督办单由牵头单位反馈")
		}
		if before.Status == duban.NoticeClosed {
			return duban.Errorf(duban.CodeConflict, "督办单已办结")
		}
		response = strings.TrimSpace(response)
		if response == "" {
			return duban.Errorf(duban.CodeInvalid, "请填写反馈内容")
		}
		if err := checkText("反馈内容", response, maxReportText); err != nil {
			return err
		}
		now := tx.Now()
		if _, err := tx.Exec(`UPDATE notices SET status = 'responded', response = $1, responded_by = $2, responded_at = $3 WHERE id = $4`,
			response, actorRef(a), s.d.Time(now), id); err != nil {
			return err
		}
		if out, err = s.notice(tx, id); err != nil {
			return err
		}
		if err := s.notify(tx, &duban.Notification{OrgID: t.org, Key: fmt.Sprintf("notice:%d:responded:%d", id, now.UnixNano()),
			Kind: duban.NotifyNotice, TaskID: &t.id, Title: out.Number + " 已反馈", Body: excerpt(response, 100), Link: taskLink(t.id)}); err != nil {
			return err
		}
		return tx.Audit(t.org, "notice.respond", "notice", id, before, out)
	})
	return out, err
}

// CloseNotice closes a notice (办结). Only the office may; a notice closed
// already is CodeConflict.
func (s *Store) CloseNotice(ctx context.Context, a duban.Actor, id int64) (out *duban.Notice, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return duban.Errorf(duban.CodeForbidden, "只有督查室可以办结督办单")
		}
		before, err := s.notice(tx, id)
		if err != nil {
			return err
		}
		if _, err := s.task(tx, a, before.TaskID); err != nil {
			return notFound("督办单")
		}
		if before.Status == duban.NoticeClosed {
			return duban.Errorf(duban.CodeConflict, "督办单已办结")
		}
		if _, err := tx.Exec(`UPDATE notices SET status = 'closed', closed_at = $1 WHERE id = $2`, s.d.Time(tx.Now()), id); err != nil {
			return err
		}
		if out, err = s.notice(tx, id); err != nil {
			return err
		}
		return tx.Audit(before.OrgID, "notice.close", "notice", id, before, out)
	})
	return out, err
}

// FindNotices returns a page of the notices the actor may see, newest first,
// and the total count.
func (s *Store) FindNotices(ctx context.Context, a duban.Actor, f duban.NoticeFilter) (out []*duban.Notice, total int, err error) {
	limit, offset := page(f.Limit, f.Offset)
	var q filter
	q.where = append(q.where, taskScope(a, "n.org_id", "n.task_id", &q.args))
	if f.OrgID != 0 {
		q.add("n.org_id = ?", f.OrgID)
	}
	if f.TaskID != nil {
		q.add("n.task_id = ?", *f.TaskID)
	}
	if f.Status != nil {
		q.add("n.status = ?", string(*f.Status))
	}
	err = s.run.Read(ctx, a, func(tx Tx) error {
		out, total, err = list(tx, "notices n", noticeColumns, "n.id DESC", &q, limit, offset, s.scanNotice)
		return err
	})
	return out, total, err
}
