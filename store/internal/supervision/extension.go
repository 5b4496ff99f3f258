package supervision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"duban"
)

const extensionColumns = `x.id, x.org_id, x.task_id, x.unit_id, x.reason, x.old_deadline, x.new_deadline, x.status,
	COALESCE(x.requested_by, 0), x.requested_at, x.decided_by, x.decided_at, x.comment`

func (s *Store) scanExtension(sc interface{ Scan(...any) error }) (*duban.Extension, error) {
	x := &duban.Extension{}
	var status string
	err := sc.Scan(&x.ID, &x.OrgID, &x.TaskID, &x.UnitID, &x.Reason, &x.OldDeadline, &x.NewDeadline, &status,
		&x.RequestedBy, s.d.ScanTime(&x.RequestedAt), &x.DecidedBy, s.d.ScanNullTime(&x.DecidedAt), &x.Comment)
	x.Status = duban.ExtensionStatus(status)
	return x, err
}

// RequestExtension records a lead unit's request to move a task's deadline
// to x.NewDeadline (a date the caller has checked) for x.Reason. Only a
// reporter of a unit leading the task may; a task with a request pending or
// already closed is CodeConflict.
func (s *Store) RequestExtension(ctx context.Context, a duban.Actor, x *duban.Extension) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		t, err := s.task(tx, a, x.TaskID)
		if err != nil {
			return err
		}
		if a.Role != duban.RoleReporter || !t.lead {
			return duban.Errorf(duban.CodeForbidden, "延期由牵头单位申请")
		}
		if t.closed {
			return duban.Errorf(duban.CodeConflict, "任务已销号，不能申请延期")
		}
		x.Reason = strings.TrimSpace(x.Reason)
		if x.Reason == "" {
			return duban.Errorf(duban.CodeInvalid, "请说明延期理由")
		}
		if err := checkText("延期理由", x.Reason, maxShortText*2); err != nil {
			return err
		}
		var pending int
		if err := tx.QueryRow(`SELECT count(*) FROM extensions WHERE task_id = $1 AND status = 'pending'`, x.TaskID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return duban.Errorf(duban.CodeConflict, "该任务已有待审批的延期申请")
		}
		x.OldDeadline = t.deadline
		err = tx.QueryRow(`SELECT new_deadline FROM extensions WHERE task_id = $1 AND status = 'approved' ORDER BY id DESC LIMIT 1`,
			x.TaskID).Scan(&x.OldDeadline)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		x.OrgID, x.UnitID, x.Status = t.org, t.leadUnit, duban.ExtensionPending
		x.RequestedBy, x.RequestedAt = a.UserID, tx.Now()
		err = tx.QueryRow(`INSERT INTO extensions (org_id, task_id, unit_id, reason, old_deadline, new_deadline, status, requested_by, requested_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id`,
			x.OrgID, x.TaskID, x.UnitID, x.Reason, x.OldDeadline, x.NewDeadline, actorRef(a), s.d.Time(x.RequestedAt)).Scan(&x.ID)
		if err != nil {
			return s.d.Err(err, "")
		}
		if err := s.notify(tx, &duban.Notification{OrgID: t.org, Key: fmt.Sprintf("extension:%d:requested", x.ID),
			Kind: duban.NotifyExtension, TaskID: &t.id, Title: "有延期申请待审批：至" + x.NewDeadline,
			Body: excerpt(t.content, 60) + "\n" + x.Reason, Link: taskLink(t.id)}); err != nil {
			return err
		}
		return tx.Audit(t.org, "extension.request", "extension", x.ID, nil, x)
	})
}

// DecideExtension approves or rejects a pending extension request, with a
// comment; an approved one moves the task's deadline, and its progress
// follows. Only the office may; a request already decided is CodeConflict.
func (s *Store) DecideExtension(ctx context.Context, a duban.Actor, id int64, approve bool, comment string) (out *duban.Extension, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return duban.Errorf(duban.CodeForbidden, "只有督查室可以审批延期")
		}
		before, err := s.scanExtension(tx.QueryRow(`SELECT `+extensionColumns+` FROM extensions x WHERE x.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("延期申请")
		}
		if err != nil {
			return err
		}
		t, err := s.task(tx, a, before.TaskID)
		if err != nil {
			return notFound("延期申请")
		}
		if before.Status != duban.ExtensionPending {
			return duban.Errorf(duban.CodeConflict, "该延期申请已审批")
		}
		if err := checkText("审批意见", comment, maxShortText*2); err != nil {
			return err
		}
		status := duban.ExtensionRejected
		if approve {
			status = duban.ExtensionApproved
		}
		if _, err := tx.Exec(`UPDATE extensions SET status = $1, decided_by = $2, decided_at = $3, comment = $4 WHERE id = $5`,
			string(status), actorRef(a), s.d.Time(tx.Now()), comment, id); err != nil {
			return err
		}
		out, err = s.scanExtension(tx.QueryRow(`SELECT `+extensionColumns+` FROM extensions x WHERE x.id = $1`, id))
		if err != nil {
			return err
		}
		title := "延期申请未获批准"
		if approve {
			title = "延期申请已批准：完成时限调整为" + out.NewDeadline
		}
		unit := out.UnitID
		if err := s.notify(tx, &duban.Notification{OrgID: t.org, Key: fmt.Sprintf("extension:%d:decided", id),
			Kind: duban.NotifyExtension, TaskID: &t.id, UnitID: &unit, Title: title, Body: comment, Link: taskLink(t.id)}); err != nil {
			return err
		}
		if err := tx.Audit(t.org, "extension.decide", "extension", id, before, out); err != nil {
			return err
		}
		if approve {
			tx.Later().Refresh(t.org, t.id)
		}
		return nil
	})
	return out, err
}

// taskScope is the condition that the actor may see the task in column col:
// within their organisation and, for a reporter, held by their unit.
func taskScope(a duban.Actor, orgCol, taskCol string, args *[]any) string {
	cond := visible(a, orgCol, args)
	if a.Role == duban.RoleReporter {
		cond += " AND (" + holds(a, taskCol, "lead", args) + " OR " + holds(a, taskCol, "responsible", args) + ")"
	}
	return cond
}

// FindExtensions returns a page of the extension requests the actor may see,
// newest first, and the total count.
func (s *Store) FindExtensions(ctx context.Context, a duban.Actor, f duban.ExtensionFilter) (out []*duban.Extension, total int, err error) {
	limit, offset := page(f.Limit, f.Offset)
	var q filter
	q.where = append(q.where, taskScope(a, "x.org_id", "x.task_id", &q.args))
	if f.OrgID != 0 {
		q.add("x.org_id = ?", f.OrgID)
	}
	if f.TaskID != nil {
		q.add("x.task_id = ?", *f.TaskID)
	}
	if f.Status != nil {
		q.add("x.status = ?", string(*f.Status))
	}
	err = s.run.Read(ctx, a, func(tx Tx) error {
		out, total, err = list(tx, "extensions x", extensionColumns, "x.id DESC", &q, limit, offset, s.scanExtension)
		return err
	})
	return out, total, err
}
