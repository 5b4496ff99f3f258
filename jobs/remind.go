package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban"
	"duban/calendar"
	"duban/progress"
)

// Job is one kind of work the scheduler runs: Run does what is due at now
// and may be called again for the same now without doing it twice.
type Job interface {
	Name() string
	Run(ctx context.Context, now time.Time) error
}

// Remind creates the reminders due on now's day for every open task of every
// organisation, for the cycles of now's year: before the due date, on it,
// every working day after it while the report is missing, and an escalation
// to the task's responsible leaders after the configured delay. It also
// tells the lead unit and the office when a supervision notice passes its
// deadline unanswered. Each reminder is created once (by its key).
type Remind struct {
	Store    duban.Store
	Location *time.Location
	// Created counts the notifications of the last run.
	Created int
}

// Name is "remind".
func (j *Remind) Name() string { return "remind" }

// Run creates the reminders of now's day.
func (j *Remind) Run(ctx context.Context, now time.Time) error {
	j.Created = 0
	orgs, err := j.Store.FindOrgs(ctx)
	if err != nil {
		return fmt.Errorf("find orgs: %w", err)
	}
	today := calendar.DateOf(now.In(j.Location))
	var errs []error
	for _, o := range orgs {
		if err := j.org(ctx, o, today); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Name, err))
		}
	}
	return errors.Join(errs...)
}

func (j *Remind) org(ctx context.Context, o *duban.Org, today calendar.Date) error {
	sys := duban.System(o.ID)
	year := today.Year()
	cycles, err := j.Store.FindCycles(ctx, sys, o.ID, year)
	if err != nil || len(cycles) == 0 {
		return err
	}
	days, err := j.Store.FindCalendar(ctx, sys, o.ID)
	if err != nil {
		return err
	}
	cal, err := calendar.New(days)
	if err != nil {
		return err
	}
	set, err := j.Store.FindSettings(ctx, sys, o.ID)
	if err != nil {
		return err
	}
	opts := progress.ReminderOptions{BeforeDays: orOff(set.RemindBeforeDays), EscalateAfterDays: orOff(set.EscalateAfterDays),
		SkipIfReportedWithinDays: orOff(set.SkipIfReportedWithinDays)}
	tasks, err := allTasks(ctx, j.Store, sys, o.ID, year)
	if err != nil {
		return err
	}
	submitted, last, err := j.submissions(ctx, sys, o.ID, year)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.ClosedAt != nil || len(t.LeadUnitIDs) == 0 {
			continue
		}
		for _, c := range cycles {
			in := progress.ReminderInput{Today: today, Cycle: *c, Calendar: cal, Submitted: submitted[[2]int64{t.ID, c.ID}],
				LastReported: last[t.ID], Options: opts}
			for _, r := range progress.Reminders(in) {
				if err := j.send(ctx, sys, t, c, r); err != nil {
					return err
				}
			}
		}
	}
	if err := j.reviewDigest(ctx, sys, o.ID, today); err != nil {
		return err
	}
	return j.lateNotices(ctx, sys, o.ID, today)
}

// reviewDigest tells the office once a day how many reports wait for its
// review, instead of once per report.
func (j *Remind) reviewDigest(ctx context.Context, sys duban.Actor, org int64, today calendar.Date) error {
	waiting := duban.ReportSubmitted
	_, total, err := j.Store.FindReports(ctx, sys, duban.ReportFilter{OrgID: org, Status: &waiting, Limit: 1})
	if err != nil || total == 0 {
		return err
	}
	_, err = j.create(ctx, sys, &duban.Notification{OrgID: org, Key: "digest:review:" + today.String(), Kind: duban.NotifySubmitted,
		Title: fmt.Sprintf("有 %d 份报告待审核", total), Link: "/inbox"})
	return err
}

// orOff turns a setting of 0 (none) into the reminders' "off" (-1): in the
// settings 0 days means no such reminder, in the options 0 means the default.
func orOff(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// submissions returns the day each task's report of each cycle of the year
// was submitted, and the day each task last submitted any report.
func (j *Remind) submissions(ctx context.Context, sys duban.Actor, org int64, year int) (map[[2]int64]calendar.Date, map[int64]calendar.Date, error) {
	byCycle := map[[2]int64]calendar.Date{}
	last := map[int64]calendar.Date{}
	for offset := 0; ; offset += 500 {
		reports, total, err := j.Store.FindReports(ctx, sys, duban.ReportFilter{OrgID: org, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range reports {
			if r.SubmittedAt == nil {
				continue
			}
			day := calendar.DateOf(r.SubmittedAt.In(j.Location))
			byCycle[[2]int64{r.TaskID, r.CycleID}] = day
			if day.After(last[r.TaskID]) {
				last[r.TaskID] = day
			}
		}
		if offset+len(reports) >= total || len(reports) == 0 {
			return byCycle, last, nil
		}
	}
}

// send creates one reminder: to the lead unit, or, escalated, to each of the
// task's responsible leaders.
func (j *Remind) send(ctx context.Context, sys duban.Actor, t *duban.Task, c *duban.Cycle, r progress.Reminder) error {
	key := fmt.Sprintf("remind:task=%d:%s", t.ID, r.Key)
	n := &duban.Notification{OrgID: t.OrgID, Key: key, Kind: r.Kind, TaskID: &t.ID, Link: fmt.Sprintf("/tasks/%d", t.ID),
		Body: excerpt(t.Content, 80)}
	due := c.Due
	switch r.Kind {
	case duban.NotifyBeforeDue:
		n.Title = fmt.Sprintf("%s报告将于%s截止，请按时报送", c.Label, due)
	case duban.NotifyDue:
		n.Title = fmt.Sprintf("%s报告今天（%s）截止", c.Label, due)
	case duban.NotifyOverdue:
		n.Title = fmt.Sprintf("%s报告已逾期（截止%s），请尽快报送", c.Label, due)
	case duban.NotifyEscalation:
		n.Title = fmt.Sprintf("督办提醒：%s牵头的任务%s报告逾期未报", firstName(t.LeadUnits), c.Label)
		for _, person := range t.LeaderIDs {
			esc := *n
			esc.Key = fmt.Sprintf("%s:person=%d", key, person)
			esc.PersonID = &person
			if _, err := j.create(ctx, sys, &esc); err != nil {
				return err
			}
		}
		return nil
	}
	unit := t.LeadUnitIDs[0]
	n.UnitID = &unit
	_, err := j.create(ctx, sys, n)
	return err
}

func (j *Remind) create(ctx context.Context, sys duban.Actor, n *duban.Notification) (bool, error) {
	created, err := j.Store.CreateNotification(ctx, sys, n)
	if created {
		j.Created++
	}
	return created, err
}

// lateNotices tells the lead unit and the office once when an open notice
// passed its deadline.
func (j *Remind) lateNotices(ctx context.Context, sys duban.Actor, org int64, today calendar.Date) error {
	open := duban.NoticeOpen
	for offset := 0; ; offset += 500 {
		notices, total, err := j.Store.FindNotices(ctx, sys, duban.NoticeFilter{OrgID: org, Status: &open, Limit: 500, Offset: offset})
		if err != nil {
			return err
		}
		for _, n := range notices {
			deadline, err := calendar.Parse(n.Deadline)
			if err != nil || !today.After(deadline) {
				continue
			}
			title := fmt.Sprintf("%s已过反馈期限（%s）仍未反馈", n.Number, n.Deadline)
			unit := n.UnitID
			for _, note := range []*duban.Notification{
				{OrgID: org, Key: fmt.Sprintf("notice:%d:late:unit", n.ID), Kind: duban.NotifyNoticeLate, TaskID: &n.TaskID, UnitID: &unit,
					Title: title, Body: n.Title, Link: fmt.Sprintf("/tasks/%d", n.TaskID)},
				{OrgID: org, Key: fmt.Sprintf("notice:%d:late:office", n.ID), Kind: duban.NotifyNoticeLate, TaskID: &n.TaskID,
					Title: title, Body: n.Title, Link: fmt.Sprintf("/tasks/%d", n.TaskID)},
			} {
				if _, err := j.create(ctx, sys, note); err != nil {
					return err
				}
			}
		}
		if offset+len(notices) >= total || len(notices) == 0 {
			return nil
		}
	}
}

// allTasks reads every task of an organisation's year, 500 at a time.
func allTasks(ctx context.Context, st duban.Store, sys duban.Actor, org int64, year int) ([]*duban.Task, error) {
	var out []*duban.Task
	for offset := 0; ; offset += 500 {
		tasks, total, err := st.FindTasks(ctx, sys, duban.TaskFilter{OrgID: org, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		out = append(out, tasks...)
		if len(out) >= total || len(tasks) == 0 {
			return out, nil
		}
	}
}

func firstName(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// excerpt shortens text to n characters.
func excerpt(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n]) + "…"
}
