package supervision

import (
	"context"
	"slices"
	"strings"

	"duban"
)

// refresh derives the progress of tasks (all of organisation orgID's when ids
// is nil) with the store's ProgressFunc and writes what changed. It returns
// through changed the number of tasks whose progress moved.
func (s *Store) refresh(tx Tx, orgID int64, ids []int64) error {
	_, err := s.refreshCount(tx, orgID, ids)
	return err
}

func (s *Store) refreshCount(tx Tx, orgID int64, ids []int64) (changed int, err error) {
	fn := s.progress.Load()
	if fn == nil {
		return 0, nil
	}
	set, err := s.settings(tx, orgID)
	if err != nil {
		return 0, err
	}
	// Which tasks: the ones named, or every task of the organisation.
	which, arg := `t.org_id = $1`, any(orgID)
	if ids != nil {
		which, arg = `t.id IN (`+s.d.IDs("$1")+`)`, marshal(ids)
	}
	rows, err := tx.Query(`SELECT t.id, t.org_id, t.year, t.section, t.number, t.content, t.deadline, t.status, t.light,
		t.light_rules, t.expected, t.actual, t.closed_at FROM tasks t WHERE `+which, arg)
	if err != nil {
		return 0, err
	}
	var tasks []*duban.ProgressInput
	byID := map[int64]*duban.ProgressInput{}
	for rows.Next() {
		t := &duban.Task{Targets: []duban.Target{}, LightRules: []string{}}
		in := &duban.ProgressInput{Now: tx.Now(), Task: t, Settings: set, Reports: []*duban.Report{}}
		var status, light string
		if err := rows.Scan(&t.ID, &t.OrgID, &t.Year, &t.Section, &t.Number, &t.Content, &t.Deadline, &status, &light,
			jsonColumn{&t.LightRules}, &t.Expected, &t.Actual, s.d.ScanNullTime(&in.ClosedAt)); err != nil {
			rows.Close()
			return 0, err
		}
		t.Status, t.Light, t.ClosedAt = duban.TaskStatus(status), duban.Light(light), in.ClosedAt
		tasks = append(tasks, in)
		byID[t.ID] = in
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(tasks) == 0 {
		return 0, nil
	}
	taskSet := `(SELECT t.id FROM tasks t WHERE ` + which + `)`

	rows, err = tx.Query(`SELECT g.task_id, g.id, g.year, g.subject, g.measure, g.op, g.value, g.unit, g.text
		FROM targets g WHERE g.task_id IN `+taskSet+` ORDER BY g.task_id, g.position`, arg)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var taskID int64
		var g duban.Target
		if err := rows.Scan(&taskID, &g.ID, &g.Year, &g.Subject, &g.Measure, &g.Op, &g.Value, &g.Unit, &g.Text); err != nil {
			rows.Close()
			return 0, err
		}
		if in := byID[taskID]; in != nil {
			in.Task.Targets = append(in.Task.Targets, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}

	cycles := map[int][]*duban.Cycle{}
	for _, in := range tasks {
		if _, ok := cycles[in.Task.Year]; !ok {
			if cycles[in.Task.Year], err = s.cycles(tx, orgID, in.Task.Year); err != nil {
				return 0, err
			}
		}
		in.Cycles = cycles[in.Task.Year]
	}

	rows, err = tx.Query(`SELECT `+reportColumns+` FROM reports r WHERE r.task_id IN `+taskSet+` ORDER BY r.task_id, r.cycle_id`, arg)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		r, err := s.scanReport(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		byID[r.TaskID].Reports = append(byID[r.TaskID].Reports, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}

	rows, err = tx.Query(`SELECT `+extensionColumns+` FROM extensions x
		WHERE x.status = 'approved' AND x.task_id IN `+taskSet+` ORDER BY x.id`, arg)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		x, err := s.scanExtension(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		byID[x.TaskID].Extension = x // the latest approved one wins
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}

	locked := false
	for _, in := range tasks {
		p := (*fn)(*in)
		if p.Rules == nil {
			p.Rules = []string{}
		}
		t := in.Task
		if p.Status == t.Status && p.Light == t.Light && slices.Equal(p.Rules, t.LightRules) &&
			samePercent(p.Expected, t.Expected) && samePercent(p.Actual, t.Actual) {
			continue
		}
		if !locked && s.d.LockLedger != nil {
			if err := s.d.LockLedger(tx, orgID); err != nil {
				return 0, err
			}
			locked = true
		}
		if _, err := tx.Exec(`UPDATE tasks SET status = $1, light = $2, light_rules = $3, expected = $4, actual = $5 WHERE id = $6`,
			string(p.Status), string(p.Light), marshal(p.Rules), p.Expected, p.Actual, t.ID); err != nil {
			return 0, s.d.Err(err, "")
		}
		changed++
	}
	return changed, nil
}

func samePercent(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// RefreshProgress derives the progress of every task of an organisation
// again, as the nightly job does when days pass, and returns how many tasks
// changed. Only the office and the system may.
func (s *Store) RefreshProgress(ctx context.Context, a duban.Actor, orgID int64) (changed int, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return forbidden()
		}
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		changed, err = s.refreshCount(tx, orgID, nil)
		return err
	})
	return changed, err
}

// CloseTask closes a task (销号): it needs evidence on the task and its latest
// report approved (CodeConflict otherwise), and records who closed it, when
// and why. Only the office may.
func (s *Store) CloseTask(ctx context.Context, a duban.Actor, taskID int64, reason string) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return duban.Errorf(duban.CodeForbidden, "只有督查室可以销号")
		}
		t, err := s.task(tx, a, taskID)
		if err != nil {
			return err
		}
		if t.closed {
			return duban.Errorf(duban.CodeConflict, "任务已销号")
		}
		if err := checkText("销号说明", reason, maxShortText); err != nil {
			return err
		}
		var evidence int
		if err := tx.QueryRow(`SELECT count(*) FROM evidence WHERE task_id = $1`, taskID).Scan(&evidence); err != nil {
			return err
		}
		if evidence == 0 {
			return duban.Errorf(duban.CodeConflict, "销号需要佐证材料：请先上传完成情况的佐证")
		}
		var latest string
		err = tx.QueryRow(`SELECT r.status FROM reports r JOIN cycles c ON c.id = r.cycle_id
			WHERE r.task_id = $1 AND r.status <> 'draft' ORDER BY c.year DESC, c.seq DESC LIMIT 1`, taskID).Scan(&latest)
		if err != nil || latest != string(duban.ReportApproved) {
			return duban.Errorf(duban.CodeConflict, "销号需要最近一期报告审核通过")
		}
		if s.d.LockLedger != nil {
			if err := s.d.LockLedger(tx, t.org); err != nil {
				return err
			}
		}
		now := tx.Now()
		if _, err := tx.Exec(`UPDATE tasks SET closed_at = $1, closed_by = $2, close_reason = $3 WHERE id = $4`,
			s.d.Time(now), actorRef(a), strings.TrimSpace(reason), taskID); err != nil {
			return err
		}
		if err := tx.Audit(t.org, "task.close", "task", taskID, nil, map[string]any{"closed_at": now, "reason": reason}); err != nil {
			return err
		}
		tx.Later().Refresh(t.org, taskID)
		return nil
	})
}

// ReopenTask reopens a closed task; it needs a reason (CodeInvalid), which
// the audit log keeps. Only the office may.
func (s *Store) ReopenTask(ctx context.Context, a duban.Actor, taskID int64, reason string) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return duban.Errorf(duban.CodeForbidden, "只有督查室可以撤销销号")
		}
		t, err := s.task(tx, a, taskID)
		if err != nil {
			return err
		}
		if !t.closed {
			return duban.Errorf(duban.CodeConflict, "任务未销号")
		}
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return duban.Errorf(duban.CodeInvalid, "撤销销号须说明理由")
		}
		if err := checkText("理由", reason, maxShortText); err != nil {
			return err
		}
		if s.d.LockLedger != nil {
			if err := s.d.LockLedger(tx, t.org); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`UPDATE tasks SET closed_at = NULL, closed_by = NULL, close_reason = '' WHERE id = $1`, taskID); err != nil {
			return err
		}
		if err := tx.Audit(t.org, "task.reopen", "task", taskID, nil, map[string]any{"reason": reason}); err != nil {
			return err
		}
		tx.Later().Refresh(t.org, taskID)
		return nil
	})
}
