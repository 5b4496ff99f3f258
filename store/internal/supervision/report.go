package supervision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"duban"
)

const reportColumns = `r.id, r.org_id, r.task_id, r.cycle_id, r.unit_id, r.status, r.progress, r.problems, r.next_steps,
	r.percent, r.figures, r.late, r.submitted_at, r.submitted_by, r.version, r.created_at, r.updated_at`

// briefReportColumns are reportColumns without what the report says.
const briefReportColumns = `r.id, r.org_id, r.task_id, r.cycle_id, r.unit_id, r.status, '', '', '',
	r.percent, '[]', r.late, r.submitted_at, r.submitted_by, r.version, r.created_at, r.updated_at`

func (s *Store) scanReport(sc interface{ Scan(...any) error }) (*duban.Report, error) {
	r := &duban.Report{Figures: []duban.Figure{}, Evidence: []duban.Evidence{}, Reviews: []duban.Review{}}
	var status string
	err := sc.Scan(&r.ID, &r.OrgID, &r.TaskID, &r.CycleID, &r.UnitID, &status, &r.Progress, &r.Problems, &r.NextSteps,
		&r.Percent, jsonColumn{&r.Figures}, &r.Late, s.d.ScanNullTime(&r.SubmittedAt), &r.SubmittedBy, &r.Version,
		s.d.ScanTime(&r.CreatedAt), s.d.ScanTime(&r.UpdatedAt))
	r.Status = duban.ReportStatus(status)
	return r, err
}

// report loads the report of a task for a cycle, nil when there is none yet.
func (s *Store) report(tx Tx, taskID, cycleID int64) (*duban.Report, error) {
	r, err := s.scanReport(tx.QueryRow(`SELECT `+reportColumns+` FROM reports r WHERE r.task_id = $1 AND r.cycle_id = $2`, taskID, cycleID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// checkContent validates what a unit writes, against the task's targets.
func (s *Store) checkContent(tx Tx, taskID int64, c *duban.ReportContent) error {
	for _, f := range []struct{ name, text string }{{"进展情况", c.Progress}, {"存在问题", c.Problems}, {"下一步措施", c.NextSteps}} {
		if err := checkText(f.name, f.text, maxReportText); err != nil {
			return err
		}
	}
	if c.Percent != nil && (*c.Percent < 0 || *c.Percent > 100) {
		return duban.Errorf(duban.CodeInvalid, "完成进度应在 0 到 100 之间")
	}
	if c.Figures == nil {
		c.Figures = []duban.Figure{}
	}
	if len(c.Figures) == 0 {
		return nil
	}
	rows, err := tx.Query(`SELECT id FROM targets WHERE task_id = $1`, taskID)
	if err != nil {
		return err
	}
	defer rows.Close()
	known := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		known[id] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, f := range c.Figures {
		if !known[f.TargetID] {
			return duban.Errorf(duban.CodeInvalid, "目标 %d 不属于本任务", f.TargetID)
		}
		if seen[f.TargetID] {
			return duban.Errorf(duban.CodeInvalid, "目标 %d 的数值填了两次", f.TargetID)
		}
		seen[f.TargetID] = true
		if err := checkText("数值说明", f.Note, 200); err != nil {
			return err
		}
	}
	return nil
}

// SaveReport saves the draft of a task's report for a cycle, as the unit
// types. Only a reporter of a unit that leads the task may (CodeForbidden for
// anyone else: the office does not write for a unit); a stale Version is
// CodeConflict; a report submitted and waiting for review, approved, or of a
// closed task cannot change (CodeConflict).
func (s *Store) SaveReport(ctx context.Context, a duban.Actor, taskID, cycleID int64, c duban.ReportContent) (*duban.Report, error) {
	return s.writeReport(ctx, a, taskID, cycleID, c, false)
}

// SubmitReport saves and submits a task's report for a cycle in one step: the
// submission is kept as it was sent, the report waits for review, and the
// task's progress follows. The rules of SaveReport apply; a report waiting for
// review may be submitted again (its newer text replaces the older for the
// review). Once SubmitReport returns, the report is on disk.
func (s *Store) SubmitReport(ctx context.Context, a duban.Actor, taskID, cycleID int64, c duban.ReportContent) (*duban.Report, error) {
	return s.writeReport(ctx, a, taskID, cycleID, c, true)
}

func (s *Store) writeReport(ctx context.Context, a duban.Actor, taskID, cycleID int64, c duban.ReportContent, submit bool) (out *duban.Report, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		t, err := s.task(tx, a, taskID)
		if err != nil {
			return err
		}
		if a.Role != duban.RoleReporter || !t.lead {
			if a.Role == duban.RoleReporter {
				return duban.Errorf(duban.CodeForbidden, "本单位不是该任务的牵头单位，请通过“配合单位填报”提供材料")
			}
			return duban.Errorf(duban.CodeForbidden, "报告由牵头单位填报，其他角色不能代填")
		}
		if t.closed {
			return duban.Errorf(duban.CodeConflict, "任务已销号，不能再填报")
		}
		cyc, err := s.cycle(tx, t.org, cycleID)
		if err != nil {
			return err
		}
		if cyc.Year != t.year {
			return duban.Errorf(duban.CodeInvalid, "填报周期“%s”不属于任务所在年度 %d", cyc.Label, t.year)
		}
		if err := s.checkContent(tx, taskID, &c); err != nil {
			return err
		}
		before, err := s.report(tx, taskID, cycleID)
		if err != nil {
			return err
		}
		now := tx.Now()
		r := &duban.Report{}
		switch {
		case before == nil && c.Version != 0:
			return duban.Errorf(duban.CodeConflict, "报告已被删除或尚未创建，请刷新后再填报")
		case before == nil:
			err = tx.QueryRow(`INSERT INTO reports (org_id, task_id, cycle_id, unit_id, status, progress, problems, next_steps,
				percent, figures, late, version, created_at, created_by, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10, 1, $11, $12, $11, $12) RETURNING id`,
				t.org, taskID, cycleID, t.leadUnit, c.Progress, c.Problems, c.NextSteps, c.Percent, marshal(c.Figures), false,
				s.d.Time(now), actorRef(a)).Scan(&r.ID)
			if err != nil {
				return s.d.Err(err, "本期报告已存在，请刷新后再填报")
			}
		case c.Version != before.Version:
			return duban.Errorf(duban.CodeConflict, "报告已被他人修改（当前版本 %d），请刷新后再保存", before.Version)
		case before.Status == duban.ReportApproved:
			return duban.Errorf(duban.CodeConflict, "本期报告已审核通过，不能再修改")
		case before.Status == duban.ReportSubmitted && !submit:
			return duban.Errorf(duban.CodeConflict, "报告已报送，正在等待审核；如需修改请再次报送")
		default:
			r.ID = before.ID
			_, err = tx.Exec(`UPDATE reports SET progress = $1, problems = $2, next_steps = $3, percent = $4, figures = $5,
				version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $8`,
				c.Progress, c.Problems, c.NextSteps, c.Percent, marshal(c.Figures), s.d.Time(now), actorRef(a), r.ID)
			if err != nil {
				return err
			}
		}
		action := "report.save"
		if submit {
			action = "report.submit"
			if err := s.submit(tx, t, cyc, r.ID, before); err != nil {
				return err
			}
		}
		if out, err = s.reportByID(tx, r.ID); err != nil {
			return err
		}
		if err := tx.Audit(t.org, action, "report", r.ID, before, out); err != nil {
			return err
		}
		if submit {
			tx.Later().Refresh(t.org, taskID)
		}
		return nil
	})
	return out, err
}

// submit marks report id submitted and keeps this submission as it is.
func (s *Store) submit(tx Tx, t *taskRef, cyc *duban.Cycle, id int64, before *duban.Report) error {
	now := tx.Now()
	// A report is late when it is first submitted after its due day ends.
	late := before != nil && before.Late
	if before == nil || before.SubmittedAt == nil {
		late = s.localDay(now) > cyc.Due
	}
	_, err := tx.Exec(`UPDATE reports SET status = 'submitted', late = $1,
		submitted_at = COALESCE(submitted_at, $2), submitted_by = COALESCE(submitted_by, $3) WHERE id = $4`,
		late, s.d.Time(now), actorRef(tx.Actor()), id)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO submissions (report_id, seq, progress, problems, next_steps, percent, figures, evidence,
			late, submitted_at, submitted_by)
		SELECT r.id, (SELECT COALESCE(max(seq), 0) + 1 FROM submissions WHERE report_id = r.id), r.progress, r.problems,
			r.next_steps, r.percent, r.figures,
			COALESCE((SELECT '[' || string_agg(CAST(e.id AS TEXT), ',') || ']' FROM evidence e WHERE e.report_id = r.id), '[]'),
			r.late, $1, $2
		FROM reports r WHERE r.id = $3`, s.d.Time(now), actorRef(tx.Actor()), id)
	// The office learns of submissions from its inbox and the daily digest
	// of the reminder job, not one notification per report: 2,000 of them
	// arrive in the hour before a deadline.
	return err
}

// ReviewReport records the office's decision on a submitted report:
// approve, return with comments (the unit must resubmit), or ask for
// evidence. Only the administrator or the supervision office may
// (CodeForbidden); a report not waiting for review is CodeConflict; returning
// or asking for evidence needs a comment (CodeInvalid).
func (s *Store) ReviewReport(ctx context.Context, a duban.Actor, reportID int64, rv duban.Review) (out *duban.Report, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		if !isOffice(a) {
			return duban.Errorf(duban.CodeForbidden, "只有督查室可以审核报告")
		}
		before, err := s.reportByID(tx, reportID)
		if err != nil {
			return err
		}
		t, err := s.task(tx, a, before.TaskID)
		if err != nil {
			return err
		}
		status := map[duban.ReviewDecision]duban.ReportStatus{
			duban.DecisionApprove: duban.ReportApproved, duban.DecisionReturn: duban.ReportReturned,
			duban.DecisionRequestEvidence: duban.ReportEvidenceRequested,
		}[rv.Decision]
		switch {
		case status == "":
			return duban.Errorf(duban.CodeInvalid, "审核结论应为 approve（通过）、return（退回）或 request_evidence（补充佐证）")
		case before.Status != duban.ReportSubmitted:
			return duban.Errorf(duban.CodeConflict, "该报告不在待审核状态（当前：%s）", reportStatusName(before.Status))
		case rv.Decision != duban.DecisionApprove && strings.TrimSpace(rv.Comment) == "":
			return duban.Errorf(duban.CodeInvalid, "退回或要求补充佐证时请写明意见")
		case rv.Quality != nil && (*rv.Quality < 1 || *rv.Quality > 5):
			return duban.Errorf(duban.CodeInvalid, "报告质量评分应为 1 到 5")
		}
		if err := checkText("审核意见", rv.Comment, maxShortText*4); err != nil {
			return err
		}
		now := tx.Now()
		_, err = tx.Exec(`INSERT INTO reviews (report_id, submission_id, decision, comment, quality, reviewer_id, reviewer, at)
			VALUES ($1, (SELECT max(id) FROM submissions WHERE report_id = $1), $2, $3, $4, $5, $6, $7)`,
			reportID, string(rv.Decision), rv.Comment, rv.Quality, actorRef(a), a.Username, s.d.Time(now))
		if err != nil {
			return s.d.Err(err, "")
		}
		if _, err := tx.Exec(`UPDATE reports SET status = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4`,
			string(status), s.d.Time(now), actorRef(a), reportID); err != nil {
			return err
		}
		if out, err = s.reportByID(tx, reportID); err != nil {
			return err
		}
		kind, title := duban.NotifyReturned, "报告被退回，请修改后重新报送"
		switch rv.Decision {
		case duban.DecisionApprove:
			kind, title = duban.NotifyReviewed, "报告已审核通过"
		case duban.DecisionRequestEvidence:
			title = "请补充佐证材料后重新报送"
		}
		unit := out.UnitID
		if err := s.notify(tx, &duban.Notification{
			OrgID: t.org, Key: fmt.Sprintf("review:report=%d:%s", reportID, now.Format(time.RFC3339Nano)), Kind: kind,
			TaskID: &t.id, UnitID: &unit, Title: title, Body: excerpt(t.content, 60) + "\n" + rv.Comment, Link: taskLink(t.id),
		}); err != nil {
			return err
		}
		if err := tx.Audit(t.org, "report.review", "report", reportID, before, out); err != nil {
			return err
		}
		tx.Later().Refresh(t.org, t.id)
		return nil
	})
	return out, err
}

func reportStatusName(st duban.ReportStatus) string {
	switch st {
	case duban.ReportDraft:
		return "草稿"
	case duban.ReportSubmitted:
		return "待审核"
	case duban.ReportReturned:
		return "已退回"
	case duban.ReportEvidenceRequested:
		return "待补充佐证"
	case duban.ReportApproved:
		return "已通过"
	}
	return string(st)
}

// reportByID loads a report with its evidence and reviews.
func (s *Store) reportByID(tx Tx, id int64) (*duban.Report, error) {
	r, err := s.scanReport(tx.QueryRow(`SELECT `+reportColumns+` FROM reports r WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("报告")
	}
	if err != nil {
		return nil, err
	}
	return r, s.fillReports(tx, []*duban.Report{r}, true)
}

// fillReports loads the evidence and reviews of reports.
func (s *Store) fillReports(tx Tx, reports []*duban.Report, evidence bool) error {
	if len(reports) == 0 {
		return nil
	}
	byID := map[int64]*duban.Report{}
	ids := make([]int64, len(reports))
	for i, r := range reports {
		byID[r.ID], ids[i] = r, r.ID
	}
	set := s.d.IDs("$1")
	if evidence {
		rows, err := tx.Query(`SELECT `+evidenceColumns+` FROM evidence e WHERE e.report_id IN (`+set+`) ORDER BY e.id`, marshal(ids))
		if err != nil {
			return err
		}
		for rows.Next() {
			e, err := s.scanEvidence(rows)
			if err != nil {
				rows.Close()
				return err
			}
			r := byID[*e.ReportID]
			r.Evidence = append(r.Evidence, *e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	rows, err := tx.Query(`SELECT v.id, v.report_id, v.decision, v.comment, v.quality, COALESCE(v.reviewer_id, 0), v.reviewer, v.at
		FROM reviews v WHERE v.report_id IN (`+set+`) ORDER BY v.id`, marshal(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v duban.Review
		var decision string
		if err := rows.Scan(&v.ID, &v.ReportID, &decision, &v.Comment, &v.Quality, &v.ReviewerID, &v.Reviewer, s.d.ScanTime(&v.At)); err != nil {
			return err
		}
		v.Decision = duban.ReviewDecision(decision)
		byID[v.ReportID].Reviews = append(byID[v.ReportID].Reviews, v)
	}
	return rows.Err()
}

// reportScope is the condition that the actor may read report r: of a task
// they may see; drafts only for the units of the task.
func reportScope(a duban.Actor, args *[]any) string {
	cond := taskScope(a, "r.org_id", "r.task_id", args)
	if a.Role != duban.RoleReporter {
		cond += " AND r.status <> 'draft'"
	}
	return cond
}

// FindReports returns a page of the reports the actor may read, newest cycle
// first, and the total count. The office does not see drafts.
func (s *Store) FindReports(ctx context.Context, a duban.Actor, f duban.ReportFilter) (reports []*duban.Report, total int, err error) {
	limit, offset := page(f.Limit, f.Offset)
	if f.Brief && f.Limit > limit {
		limit = min(f.Limit, duban.MaxBriefReports)
	}
	var q filter
	q.where = append(q.where, reportScope(a, &q.args))
	if f.OrgID != 0 {
		q.add("r.org_id = ?", f.OrgID)
	}
	if f.TaskID != nil {
		q.add("r.task_id = ?", *f.TaskID)
	}
	if f.CycleID != nil {
		q.add("r.cycle_id = ?", *f.CycleID)
	}
	if f.UnitID != nil {
		q.add("r.unit_id = ?", *f.UnitID)
	}
	if f.Status != nil {
		q.add("r.status = ?", string(*f.Status))
	}
	if f.Year != nil {
		q.add("c.year = ?", *f.Year)
	}
	err = s.run.Read(ctx, a, func(tx Tx) error {
		cols := reportColumns
		if f.Brief {
			cols = briefReportColumns
		}
		reports, total, err = list(tx, "reports r JOIN cycles c ON c.id = r.cycle_id", cols,
			"c.year DESC, c.seq DESC, r.task_id", &q, limit, offset, s.scanReport)
		if err != nil {
			return err
		}
		return s.fillReports(tx, reports, !f.Brief)
	})
	return reports, total, err
}

// FindReportByID returns a report the actor may read, with its evidence and
// reviews; CodeNotFound otherwise.
func (s *Store) FindReportByID(ctx context.Context, a duban.Actor, id int64) (r *duban.Report, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		args := []any{id}
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM reports r WHERE r.id = $1 AND `+reportScope(a, &args), args...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return notFound("报告")
		}
		r, err = s.reportByID(tx, id)
		return err
	})
	return r, err
}

// SaveContribution saves a responsible unit's part of a task's report for a
// cycle, which the lead unit consolidates. Only a reporter of a unit among
// the task's responsible units may.
func (s *Store) SaveContribution(ctx context.Context, a duban.Actor, taskID, cycleID int64, c duban.ReportContent) (out *duban.Contribution, err error) {
	err = s.run.Write(ctx, a, func(tx Tx) error {
		t, err := s.task(tx, a, taskID)
		if err != nil {
			return err
		}
		if a.Role != duban.RoleReporter || !t.responsible {
			return duban.Errorf(duban.CodeForbidden, "只有配合单位可以提供配合材料")
		}
		if t.closed {
			return duban.Errorf(duban.CodeConflict, "任务已销号，不能再填报")
		}
		cyc, err := s.cycle(tx, t.org, cycleID)
		if err != nil {
			return err
		}
		if cyc.Year != t.year {
			return duban.Errorf(duban.CodeInvalid, "填报周期“%s”不属于任务所在年度 %d", cyc.Label, t.year)
		}
		if err := s.checkContent(tx, taskID, &c); err != nil {
			return err
		}
		now := tx.Now()
		var id int64
		err = tx.QueryRow(`INSERT INTO contributions (task_id, cycle_id, unit_id, progress, problems, next_steps, figures, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (task_id, cycle_id, unit_id) DO UPDATE SET progress = excluded.progress, problems = excluded.problems,
				next_steps = excluded.next_steps, figures = excluded.figures, updated_at = excluded.updated_at, updated_by = excluded.updated_by
			RETURNING id`, taskID, cycleID, *a.UnitID, c.Progress, c.Problems, c.NextSteps, marshal(c.Figures), s.d.Time(now), actorRef(a)).Scan(&id)
		if err != nil {
			return s.d.Err(err, "")
		}
		cs, err := s.contributions(tx, "c.id = $1", id)
		if err != nil {
			return err
		}
		out = cs[0]
		return tx.Audit(t.org, "contribution.save", "contribution", id, nil, out)
	})
	return out, err
}

// FindContributions returns the contributions to a task's report for a
// cycle, for anyone who may see the task; CodeNotFound for a task the actor
// does not see or a cycle of another organisation.
func (s *Store) FindContributions(ctx context.Context, a duban.Actor, taskID, cycleID int64) (cs []*duban.Contribution, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		t, err := s.task(tx, a, taskID)
		if err != nil {
			return err
		}
		// A cycle of another organisation is not found, like any foreign ID,
		// rather than an empty list.
		if _, err := s.cycle(tx, t.org, cycleID); err != nil {
			return err
		}
		cs, err = s.contributions(tx, "c.task_id = $1 AND c.cycle_id = $2", taskID, cycleID)
		return err
	})
	return cs, err
}

func (s *Store) contributions(tx Tx, cond string, args ...any) ([]*duban.Contribution, error) {
	rows, err := tx.Query(`SELECT c.id, c.task_id, c.cycle_id, c.unit_id, u.name, c.progress, c.problems, c.next_steps,
		c.figures, c.updated_at, COALESCE(c.updated_by, 0)
		FROM contributions c JOIN units u ON u.id = c.unit_id WHERE `+cond+` ORDER BY u.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*duban.Contribution{}
	for rows.Next() {
		c := &duban.Contribution{Figures: []duban.Figure{}}
		if err := rows.Scan(&c.ID, &c.TaskID, &c.CycleID, &c.UnitID, &c.Unit, &c.Progress, &c.Problems, &c.NextSteps,
			jsonColumn{&c.Figures}, s.d.ScanTime(&c.UpdatedAt), &c.UpdatedBy); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// excerpt shortens text to n characters.
func excerpt(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n]) + "…"
}

// taskLink is the page of a task in the web application.
func taskLink(id int64) string { return "/tasks/" + strconv.FormatInt(id, 10) }
