package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/store/synth"
)

// ProgressSetter is implemented by stores that derive tasks' progress with a
// function they are given. The suite requires it.
type ProgressSetter interface {
	SetProgressFunc(duban.ProgressFunc)
}

// fakeProgress is a deriver simple enough to predict: closed when closed,
// done at an approved 100%, on track once a report was submitted, and not
// started before; the light is red while a report waits for resubmission.
func fakeProgress(in duban.ProgressInput) duban.Progress {
	p := duban.Progress{Status: duban.StatusNotStarted, Light: duban.LightGreen, Rules: []string{"尚未报送"}}
	if in.ClosedAt != nil {
		return duban.Progress{Status: duban.StatusClosed, Rules: []string{"已销号"}}
	}
	for _, r := range in.Reports {
		switch r.Status {
		case duban.ReportSubmitted, duban.ReportApproved:
			p.Status, p.Rules = duban.StatusOnTrack, []string{"已报送"}
			if r.Status == duban.ReportApproved && r.Percent != nil && *r.Percent == 100 {
				p.Status, p.Rules = duban.StatusDone, []string{"已完成"}
			}
		case duban.ReportReturned:
			p.Light, p.Rules = duban.LightRed, []string{"报告被退回"}
		}
	}
	if in.Extension != nil {
		p.Rules = append(p.Rules, "延期至"+in.Extension.NewDeadline)
	}
	return p
}

// reportLedger is the standard ledger with progress derived by fakeProgress
// and a monthly schedule of three cycles (January to March 2024, due on the
// 28th).
type reportLedger struct {
	*ledger
	cycles []*duban.Cycle
}

func newReportLedger(t *testing.T, e *env) *reportLedger {
	t.Helper()
	ps, ok := e.s.(ProgressSetter)
	if !ok {
		t.Fatalf("store %T has no SetProgressFunc method", e.s)
	}
	ps.SetProgressFunc(fakeProgress)
	l := &reportLedger{ledger: newLedger(t, e)}
	sc := &duban.Schedule{OrgID: l.district, Year: 2024, Kind: duban.ScheduleMonthly, Day: 28, Shift: duban.ShiftBefore}
	must(t, "SetSchedule", e.s.SetSchedule(e.ctx, l.admin, sc, monthlyCycles(l.district, 3)))
	cycles, err := e.s.FindCycles(e.ctx, l.admin, l.district, 2024)
	must(t, "FindCycles", err)
	l.cycles = cycles
	return l
}

// monthlyCycles are the first n monthly cycles of 2024, due on the 28th.
func monthlyCycles(org int64, n int) []duban.Cycle {
	var out []duban.Cycle
	for m := 1; m <= n; m++ {
		start := time.Date(2024, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 1, -1)
		out = append(out, duban.Cycle{OrgID: org, Year: 2024, Seq: m, Label: fmt.Sprintf("2024年%d月", m),
			PeriodStart: start.Format(time.DateOnly), PeriodEnd: end.Format(time.DateOnly),
			Due: fmt.Sprintf("2024-%02d-28", m), GraceEnd: fmt.Sprintf("2024-%02d-30", m)})
	}
	return out
}

func pct(n int) *int { return &n }

func testSchedule(t *testing.T, e *env) {
	l := newReportLedger(t, e)
	if len(l.cycles) != 3 || l.cycles[0].Label != "2024年1月" || l.cycles[2].Due != "2024-03-28" {
		t.Fatalf("cycles = %+v", l.cycles)
	}
	sc, err := e.s.FindSchedule(e.ctx, l.repFGW, l.district, 2024)
	must(t, "FindSchedule", err)
	if sc.Kind != duban.ScheduleMonthly || sc.Day != 28 || sc.Dates == nil {
		t.Errorf("schedule = %+v", sc)
	}
	_, err = e.s.FindSchedule(e.ctx, l.admin, l.district, 2031)
	wantCode(t, "FindSchedule of a year without one", err, duban.CodeNotFound)
	for name, a := range map[string]duban.Actor{"supervisor": l.super, "reporter": l.repFGW, "other district": l.otherAdmin} {
		err := e.s.SetSchedule(e.ctx, a, &duban.Schedule{OrgID: l.district, Year: 2024, Kind: duban.ScheduleQuarterly}, nil)
		if code := duban.ErrorCode(err); code != duban.CodeForbidden && code != duban.CodeNotFound {
			t.Errorf("%s sets the schedule: %v", name, err)
		}
	}

	// A cycle that holds a report keeps its period.
	_, err = e.s.SubmitReport(e.ctx, l.repFGW, l.tasks["一1"].ID, l.cycles[0].ID, duban.ReportContent{Progress: "一月进展"})
	must(t, "SubmitReport", err)
	moved := monthlyCycles(l.district, 3)
	moved[0].PeriodEnd = "2024-01-15"
	err = e.s.SetSchedule(e.ctx, l.admin, &duban.Schedule{OrgID: l.district, Year: 2024, Kind: duban.ScheduleMonthly, Day: 28, Shift: duban.ShiftBefore}, moved)
	wantCode(t, "SetSchedule moving a cycle with reports", err, duban.CodeConflict)
	err = e.s.SetSchedule(e.ctx, l.admin, &duban.Schedule{OrgID: l.district, Year: 2024, Kind: duban.ScheduleMonthly, Day: 25, Shift: duban.ShiftBefore},
		monthlyCycles(l.district, 2))
	must(t, "SetSchedule dropping an empty cycle", err)
	cycles, err := e.s.FindCycles(e.ctx, l.viewer, l.district, 2024)
	must(t, "FindCycles", err)
	if len(cycles) != 2 || cycles[0].ID != l.cycles[0].ID {
		t.Errorf("after the change: %+v", cycles)
	}

	days := []duban.CalendarDay{{Date: "2024-10-01", Name: "国庆节"}, {Date: "2024-10-12", Working: true, Name: "国庆节调休"}}
	must(t, "SetCalendar", e.s.SetCalendar(e.ctx, l.admin, l.district, days))
	got, err := e.s.FindCalendar(e.ctx, l.super, l.district)
	must(t, "FindCalendar", err)
	if len(got) != 2 || !got[1].Working || got[0].Name != "国庆节" {
		t.Errorf("calendar = %+v", got)
	}
	wantCode(t, "SetCalendar as supervisor", e.s.SetCalendar(e.ctx, l.super, l.district, nil), duban.CodeForbidden)

	set, err := e.s.FindSettings(e.ctx, l.super, l.district)
	must(t, "FindSettings", err)
	if set != duban.DefaultOrgSettings() {
		t.Errorf("settings of a new organisation = %+v", set)
	}
	set.RemindBeforeDays = 5
	must(t, "UpdateSettings", e.s.UpdateSettings(e.ctx, l.admin, l.district, set))
	if got, _ := e.s.FindSettings(e.ctx, l.super, l.district); got.RemindBeforeDays != 5 {
		t.Errorf("settings after update = %+v", got)
	}
}

func testReportFlow(t *testing.T, e *env) {
	l := newReportLedger(t, e)
	task := l.tasks["一1"] // led by 区发改委, 各街道 responsible
	cyc := l.cycles[0]

	// Who may write the report: the lead unit only.
	content := duban.ReportContent{Progress: "一季度地区生产总值增长5.8%", Problems: "消费恢复偏慢", NextSteps: "抓好重点项目", Percent: pct(20),
		Figures: []duban.Figure{{TargetID: task.Targets[0].ID, Value: 5.8, Note: "1-2月"}}}
	for name, a := range map[string]duban.Actor{"supervisor": l.super, "admin": l.admin, "leader": l.leader, "viewer": l.viewer, "street": l.repJFB} {
		_, err := e.s.SaveReport(e.ctx, a, task.ID, cyc.ID, content)
		wantCode(t, name+" writes the report", err, duban.CodeForbidden)
	}
	_, err := e.s.SaveReport(e.ctx, l.repCZJ, task.ID, cyc.ID, content)
	wantCode(t, "a unit not holding the task", err, duban.CodeNotFound)
	bad := content
	bad.Figures = []duban.Figure{{TargetID: 987654, Value: 1}}
	_, err = e.s.SaveReport(e.ctx, l.repFGW, task.ID, cyc.ID, bad)
	wantCode(t, "a figure of another target", err, duban.CodeInvalid)
	bad = content
	bad.Percent = pct(120)
	_, err = e.s.SaveReport(e.ctx, l.repFGW, task.ID, cyc.ID, bad)
	wantCode(t, "percent over 100", err, duban.CodeInvalid)
	_, err = e.s.SaveReport(e.ctx, l.repFGW, task.ID, l.cycles[0].ID+1000, content)
	wantCode(t, "an unknown cycle", err, duban.CodeNotFound)

	draft, err := e.s.SaveReport(e.ctx, l.repFGW, task.ID, cyc.ID, content)
	must(t, "SaveReport", err)
	if draft.Status != duban.ReportDraft || draft.Version != 1 || draft.UnitID != l.fgw || draft.SubmittedAt != nil || len(draft.Figures) != 1 {
		t.Fatalf("draft = %+v", draft)
	}
	_, err = e.s.SaveReport(e.ctx, l.repFGW, task.ID, cyc.ID, content) // version 0 again
	wantCode(t, "a save from a stale form", err, duban.CodeConflict)
	content.Version = draft.Version
	content.Progress += "，重点项目开工12个"
	draft, err = e.s.SaveReport(e.ctx, l.repFGW, task.ID, cyc.ID, content)
	must(t, "SaveReport again", err)
	if draft.Version != 2 {
		t.Errorf("version after the second save = %d", draft.Version)
	}

	// Drafts stay with the units.
	reports, total, err := e.s.FindReports(e.ctx, l.super, duban.ReportFilter{OrgID: l.district})
	must(t, "FindReports as supervisor", err)
	if total != 0 || len(reports) != 0 {
		t.Errorf("the office sees %d drafts", total)
	}
	_, total, err = e.s.FindReports(e.ctx, l.repJFB, duban.ReportFilter{OrgID: l.district})
	must(t, "FindReports as street", err)
	if total != 1 {
		t.Errorf("a responsible unit sees %d reports of its task", total)
	}
	_, total, err = e.s.FindReports(e.ctx, l.repCZJ, duban.ReportFilter{OrgID: l.district})
	must(t, "FindReports as another unit", err)
	if total != 0 {
		t.Errorf("another unit sees %d reports", total)
	}

	// The street contributes its part.
	part, err := e.s.SaveContribution(e.ctx, l.repJFB, task.ID, cyc.ID, duban.ReportContent{Progress: "解放碑商圈销售额增长8%"})
	must(t, "SaveContribution", err)
	if part.UnitID != l.jfb || part.Unit != "解放碑街道" {
		t.Errorf("contribution = %+v", part)
	}
	_, err = e.s.SaveContribution(e.ctx, l.repFGW, task.ID, cyc.ID, duban.ReportContent{Progress: "x"})
	wantCode(t, "the lead unit contributes", err, duban.CodeForbidden)
	parts, err := e.s.FindContributions(e.ctx, l.repFGW, task.ID, cyc.ID)
	must(t, "FindContributions", err)
	if len(parts) != 1 {
		t.Errorf("contributions = %d", len(parts))
	}
	_, err = e.s.FindContributions(e.ctx, l.repFGW, task.ID, cyc.ID+1_000_000)
	wantCode(t, "contributions of a cycle not in the task's organisation", err, duban.CodeNotFound)

	// Submitted on 1 March, the January report is late.
	content.Version = draft.Version
	sub, err := e.s.SubmitReport(e.ctx, l.repFGW, task.ID, cyc.ID, content)
	must(t, "SubmitReport", err)
	if sub.Status != duban.ReportSubmitted || !sub.Late || sub.SubmittedAt == nil || !sub.SubmittedAt.Equal(e.clock.Now()) {
		t.Fatalf("submitted = %+v", sub)
	}
	got, err := e.s.FindTaskByID(e.ctx, l.viewer, task.ID)
	must(t, "FindTaskByID", err)
	if got.Status != duban.StatusOnTrack || len(got.LightRules) != 1 || got.LightRules[0] != "已报送" {
		t.Errorf("task after submission: %s %v", got.Status, got.LightRules)
	}
	// The office is not told of each submission (its inbox and the daily
	// digest are), so a deadline does not bury it in notifications.
	notes, _, unread, err := e.s.FindNotifications(e.ctx, l.super, duban.NotificationFilter{})
	must(t, "FindNotifications", err)
	if unread != 0 || len(notes) != 0 {
		t.Errorf("the office's notifications after a submission: %d unread, %+v", unread, notes)
	}

	// Review.
	_, err = e.s.ReviewReport(e.ctx, l.repFGW, sub.ID, duban.Review{Decision: duban.DecisionApprove})
	wantCode(t, "a unit approves", err, duban.CodeForbidden)
	_, err = e.s.ReviewReport(e.ctx, l.leader, sub.ID, duban.Review{Decision: duban.DecisionApprove})
	wantCode(t, "a leader approves", err, duban.CodeForbidden)
	_, err = e.s.ReviewReport(e.ctx, l.super, sub.ID, duban.Review{Decision: duban.DecisionReturn})
	wantCode(t, "a return without comment", err, duban.CodeInvalid)
	_, err = e.s.ReviewReport(e.ctx, l.otherAdmin, sub.ID, duban.Review{Decision: duban.DecisionApprove})
	wantCode(t, "another district's office", err, duban.CodeNotFound)
	returned, err := e.s.ReviewReport(e.ctx, l.super, sub.ID, duban.Review{Decision: duban.DecisionReturn, Comment: "请补充重点项目进展的具体数据", Quality: pct(2)})
	must(t, "return", err)
	if returned.Status != duban.ReportReturned || len(returned.Reviews) != 1 || returned.Reviews[0].Reviewer != "yz_super" {
		t.Fatalf("returned = %+v", returned)
	}
	_, err = e.s.ReviewReport(e.ctx, l.super, sub.ID, duban.Review{Decision: duban.DecisionApprove})
	wantCode(t, "approving a returned report", err, duban.CodeConflict)
	if got, _ := e.s.FindTaskByID(e.ctx, l.admin, task.ID); got.Light != duban.LightRed {
		t.Errorf("light of a task whose report was returned: %q", got.Light)
	}
	notes, _, _, err = e.s.FindNotifications(e.ctx, l.repFGW, duban.NotificationFilter{Unread: true})
	must(t, "FindNotifications as unit", err)
	if len(notes) != 1 || notes[0].Kind != duban.NotifyReturned {
		t.Errorf("the unit's notifications: %+v", notes)
	}
	must(t, "MarkNotificationRead", e.s.MarkNotificationRead(e.ctx, l.repFGW, notes[0].ID))
	_, _, unread, _ = e.s.FindNotifications(e.ctx, l.repFGW, duban.NotificationFilter{})
	if unread != 0 {
		t.Errorf("unread after reading: %d", unread)
	}
	wantCode(t, "reading another's notification", e.s.MarkNotificationRead(e.ctx, l.repCZJ, notes[0].ID), duban.CodeNotFound)

	// Resubmitted and approved; every submission is kept.
	content.Version = returned.Version
	content.Progress += "，其中12个项目已完成投资40亿元"
	content.Percent = pct(100)
	resub, err := e.s.SubmitReport(e.ctx, l.repFGW, task.ID, cyc.ID, content)
	must(t, "resubmit", err)
	if !resub.Late || !resub.SubmittedAt.Equal(sub.SubmittedAt.UTC()) {
		t.Errorf("a resubmission keeps the first submission's time and lateness: %+v", resub)
	}
	approved, err := e.s.ReviewReport(e.ctx, l.super, sub.ID, duban.Review{Decision: duban.DecisionApprove, Quality: pct(4)})
	must(t, "approve", err)
	if approved.Status != duban.ReportApproved || len(approved.Reviews) != 2 {
		t.Fatalf("approved = %+v", approved)
	}
	_, err = e.s.SaveReport(e.ctx, l.repFGW, task.ID, cyc.ID, duban.ReportContent{Version: approved.Version})
	wantCode(t, "changing an approved report", err, duban.CodeConflict)
	if got, _ := e.s.FindTaskByID(e.ctx, l.admin, task.ID); got.Status != duban.StatusDone {
		t.Errorf("status at an approved 100%%: %s", got.Status)
	}
	raw, ok := e.s.(RawDB)
	if !ok {
		t.Fatal("the store does not expose its database")
	}
	var submissions int
	must(t, "count submissions", raw.DB().QueryRowContext(e.ctx, `SELECT count(*) FROM submissions WHERE report_id = $1`, sub.ID).Scan(&submissions))
	if submissions != 2 {
		t.Errorf("%d submissions kept, want 2", submissions)
	}
	if _, err := raw.DB().ExecContext(e.ctx, `UPDATE submissions SET progress = 'forged' WHERE report_id = $1`, sub.ID); err == nil {
		t.Error("a kept submission was changed behind the store's back")
	}

	// The audit log has every step.
	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: ptr("report"), EntityID: &sub.ID})
	must(t, "FindAudit", err)
	want := map[string]int{"report.save": 2, "report.submit": 2, "report.review": 2}
	for _, en := range entries {
		want[en.Action]--
		if en.Actor == "" || en.At.IsZero() {
			t.Errorf("audit entry without actor or time: %+v", en)
		}
	}
	for action, n := range want {
		if n != 0 {
			t.Errorf("audit: %s off by %d", action, n)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func testEvidenceAndClosure(t *testing.T, e *env) {
	l := newReportLedger(t, e)
	task := l.tasks["一1"]
	cyc := l.cycles[0]

	wantCode(t, "closing without evidence", e.s.CloseTask(e.ctx, l.super, task.ID, "已完成"), duban.CodeConflict)
	ev := &duban.Evidence{TaskID: task.ID, FileName: "项目清单.pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.4 清单")}
	must(t, "AddEvidence", e.s.AddEvidence(e.ctx, l.repFGW, ev))
	if ev.ID == 0 || len(ev.SHA256) != 64 || ev.Size != int64(len(ev.Content)) {
		t.Errorf("evidence = %+v", ev)
	}
	// The same file twice is kept once.
	again := &duban.Evidence{TaskID: task.ID, FileName: "副本.pdf", ContentType: "application/pdf", Content: ev.Content}
	must(t, "AddEvidence again", e.s.AddEvidence(e.ctx, l.repFGW, again))
	raw := e.s.(RawDB)
	var blobs int
	must(t, "count blobs", raw.DB().QueryRowContext(e.ctx, `SELECT count(*) FROM blobs WHERE sha256 = $1`, ev.SHA256).Scan(&blobs))
	if blobs != 1 {
		t.Errorf("%d copies of one file", blobs)
	}
	wantCode(t, "evidence by another unit", e.s.AddEvidence(e.ctx, l.repCZJ, &duban.Evidence{TaskID: task.ID, FileName: "x", Content: []byte("x")}), duban.CodeNotFound)
	got, err := e.s.FindEvidenceContent(e.ctx, l.viewer, ev.ID)
	must(t, "FindEvidenceContent", err)
	if string(got.Content) != string(ev.Content) || got.FileName != "项目清单.pdf" {
		t.Errorf("content = %q", got.Content)
	}
	_, err = e.s.FindEvidenceContent(e.ctx, l.repCZJ, ev.ID)
	wantCode(t, "another unit downloads", err, duban.CodeNotFound)
	list, err := e.s.FindEvidence(e.ctx, l.super, task.ID)
	must(t, "FindEvidence", err)
	if len(list) != 2 {
		t.Errorf("evidence list = %d", len(list))
	}

	wantCode(t, "closing without an approved report", e.s.CloseTask(e.ctx, l.super, task.ID, "已完成"), duban.CodeConflict)
	r, err := e.s.SubmitReport(e.ctx, l.repFGW, task.ID, cyc.ID, duban.ReportContent{Progress: "全部完成", Percent: pct(100)})
	must(t, "SubmitReport", err)
	_, err = e.s.ReviewReport(e.ctx, l.super, r.ID, duban.Review{Decision: duban.DecisionApprove})
	must(t, "approve", err)
	full, _, err := e.s.FindReports(e.ctx, l.super, duban.ReportFilter{OrgID: l.district, TaskID: &task.ID})
	must(t, "FindReports", err)
	brief, _, err := e.s.FindReports(e.ctx, l.super, duban.ReportFilter{OrgID: l.district, TaskID: &task.ID, Brief: true, Limit: 5000})
	must(t, "FindReports brief", err)
	if len(brief) != len(full) || len(full) == 0 {
		t.Fatalf("%d brief reports, %d full", len(brief), len(full))
	}
	for i, b := range brief {
		f := full[i]
		if b.ID != f.ID || b.Status != f.Status || *b.Percent != *f.Percent || len(b.Reviews) != len(f.Reviews) || b.Progress != "" ||
			len(b.Evidence) != 0 || b.SubmittedAt == nil || !b.SubmittedAt.Equal(*f.SubmittedAt) {
			t.Errorf("brief report %+v\nof %+v", b, f)
		}
	}
	wantCode(t, "a unit closes", e.s.CloseTask(e.ctx, l.repFGW, task.ID, "完成"), duban.CodeForbidden)
	must(t, "CloseTask", e.s.CloseTask(e.ctx, l.super, task.ID, "经核实已完成"))
	closed, err := e.s.FindTaskByID(e.ctx, l.viewer, task.ID)
	must(t, "FindTaskByID", err)
	if closed.Status != duban.StatusClosed || closed.ClosedAt == nil || closed.ClosedBy == nil || *closed.ClosedBy != l.super.UserID ||
		closed.CloseReason != "经核实已完成" {
		t.Errorf("closed task = %+v", closed)
	}
	wantCode(t, "closing twice", e.s.CloseTask(e.ctx, l.super, task.ID, ""), duban.CodeConflict)
	_, err = e.s.SubmitReport(e.ctx, l.repFGW, task.ID, l.cycles[1].ID, duban.ReportContent{Progress: "x"})
	wantCode(t, "reporting on a closed task", err, duban.CodeConflict)
	wantCode(t, "reopening without a reason", e.s.ReopenTask(e.ctx, l.super, task.ID, " "), duban.CodeInvalid)
	must(t, "ReopenTask", e.s.ReopenTask(e.ctx, l.super, task.ID, "复核发现尚有2个项目未完工"))
	reopened, _ := e.s.FindTaskByID(e.ctx, l.viewer, task.ID)
	if reopened.ClosedAt != nil || reopened.Status == duban.StatusClosed {
		t.Errorf("reopened task = %+v", reopened)
	}
	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: ptr("task"), EntityID: &task.ID})
	must(t, "FindAudit", err)
	var reasons []string
	for _, en := range entries {
		if en.Action == "task.reopen" || en.Action == "task.close" {
			reasons = append(reasons, en.Action+" by "+en.Actor+": "+string(en.After))
		}
	}
	if len(reasons) != 2 {
		t.Errorf("closure in the audit log: %v", reasons)
	}
}

func testExtensionsAndNotices(t *testing.T, e *env) {
	l := newReportLedger(t, e)
	task := l.tasks["一2"] // led by 区财政局, deadline 2024年12月底

	x := &duban.Extension{TaskID: task.ID, Reason: "市级资金下达推迟", NewDeadline: "2025-03-31"}
	wantCode(t, "the office asks for more time", e.s.RequestExtension(e.ctx, l.super, x), duban.CodeForbidden)
	wantCode(t, "without a reason", e.s.RequestExtension(e.ctx, l.repCZJ, &duban.Extension{TaskID: task.ID, NewDeadline: "2025-03-31"}), duban.CodeInvalid)
	must(t, "RequestExtension", e.s.RequestExtension(e.ctx, l.repCZJ, x))
	if x.OldDeadline != "2024年12月底" || x.Status != duban.ExtensionPending || x.UnitID != l.czj {
		t.Errorf("extension = %+v", x)
	}
	wantCode(t, "a second pending request", e.s.RequestExtension(e.ctx, l.repCZJ, &duban.Extension{TaskID: task.ID, Reason: "再议", NewDeadline: "2025-06-30"}), duban.CodeConflict)
	_, err := e.s.DecideExtension(e.ctx, l.repCZJ, x.ID, true, "")
	wantCode(t, "a unit decides", err, duban.CodeForbidden)
	decided, err := e.s.DecideExtension(e.ctx, l.super, x.ID, true, "同意延期")
	must(t, "DecideExtension", err)
	if decided.Status != duban.ExtensionApproved || decided.DecidedBy == nil || decided.DecidedAt == nil {
		t.Errorf("decided = %+v", decided)
	}
	_, err = e.s.DecideExtension(e.ctx, l.super, x.ID, false, "")
	wantCode(t, "deciding twice", err, duban.CodeConflict)
	got, _ := e.s.FindTaskByID(e.ctx, l.admin, task.ID)
	if len(got.LightRules) == 0 || got.LightRules[len(got.LightRules)-1] != "延期至2025-03-31" {
		t.Errorf("the approved extension did not reach the progress: %v", got.LightRules)
	}
	list, total, err := e.s.FindExtensions(e.ctx, l.repCZJ, duban.ExtensionFilter{OrgID: l.district})
	must(t, "FindExtensions", err)
	if total != 1 || list[0].ID != x.ID {
		t.Errorf("extensions seen by the unit: %d", total)
	}
	_, total, _ = e.s.FindExtensions(e.ctx, l.repJFB, duban.ExtensionFilter{OrgID: l.district})
	if total != 0 {
		t.Errorf("another unit sees %d extensions", total)
	}

	n := &duban.Notice{TaskID: task.ID, Title: "关于加快金融业增加值工作的督办单", Body: "请说明进度滞后原因", Deadline: "2024-03-15"}
	wantCode(t, "a unit issues a notice", e.s.IssueNotice(e.ctx, l.repCZJ, n), duban.CodeForbidden)
	must(t, "IssueNotice", e.s.IssueNotice(e.ctx, l.super, n))
	if n.Number != "督办〔2024〕1号" || n.UnitID != l.czj || n.Status != duban.NoticeOpen {
		t.Errorf("notice = %+v", n)
	}
	n2 := &duban.Notice{TaskID: task.ID, Title: "第二次督办", Deadline: "2024-03-20"}
	must(t, "IssueNotice again", e.s.IssueNotice(e.ctx, l.super, n2))
	if n2.Number != "督办〔2024〕2号" {
		t.Errorf("second number = %q", n2.Number)
	}
	_, err = e.s.RespondNotice(e.ctx, l.repFGW, n.ID, "已推进")
	wantCode(t, "a responsible unit responds", err, duban.CodeForbidden)
	_, err = e.s.RespondNotice(e.ctx, l.repJFB, n.ID, "已推进")
	wantCode(t, "a unit not holding the task responds", err, duban.CodeNotFound)
	resp, err := e.s.RespondNotice(e.ctx, l.repCZJ, n.ID, "已约谈相关企业，3月底前完成")
	must(t, "RespondNotice", err)
	if resp.Status != duban.NoticeResponded || resp.RespondedAt == nil {
		t.Errorf("responded = %+v", resp)
	}
	closed, err := e.s.CloseNotice(e.ctx, l.super, n.ID)
	must(t, "CloseNotice", err)
	if closed.Status != duban.NoticeClosed || closed.ClosedAt == nil {
		t.Errorf("closed = %+v", closed)
	}
	_, err = e.s.RespondNotice(e.ctx, l.repCZJ, n.ID, "补充")
	wantCode(t, "responding to a closed notice", err, duban.CodeConflict)
	notices, total, err := e.s.FindNotices(e.ctx, l.repCZJ, duban.NoticeFilter{OrgID: l.district, Status: ptr(duban.NoticeOpen)})
	must(t, "FindNotices", err)
	if total != 1 || notices[0].ID != n2.ID {
		t.Errorf("open notices of the unit: %d", total)
	}
	notes, _, _, _ := e.s.FindNotifications(e.ctx, l.repCZJ, duban.NotificationFilter{})
	kinds := map[duban.NotificationKind]int{}
	for _, nt := range notes {
		kinds[nt.Kind]++
	}
	if kinds[duban.NotifyNotice] != 2 || kinds[duban.NotifyExtension] != 1 {
		t.Errorf("the unit's notifications by kind: %v", kinds)
	}
}

func testNotificationDelivery(t *testing.T, e *env) {
	l := newReportLedger(t, e)
	ch := &duban.Channel{OrgID: l.district, Kind: duban.ChannelWebhook, Name: "督查群", Enabled: true,
		Config: map[string]string{"url": "http://127.0.0.1:1/hook", "secret": "s3cret"}}
	wantCode(t, "SaveChannel as supervisor", e.s.SaveChannel(e.ctx, l.super, ch), duban.CodeForbidden)
	must(t, "SaveChannel", e.s.SaveChannel(e.ctx, l.admin, ch))
	off := &duban.Channel{OrgID: l.district, Kind: duban.ChannelEmail, Name: "邮件（停用）", Enabled: false}
	must(t, "SaveChannel disabled", e.s.SaveChannel(e.ctx, l.admin, off))
	wantCode(t, "a second channel of the same name", e.s.SaveChannel(e.ctx, l.admin, &duban.Channel{OrgID: l.district, Kind: duban.ChannelWeCom, Name: "督查群"}), duban.CodeConflict)

	task := l.tasks["一1"]
	n := &duban.Notification{OrgID: l.district, Key: "remind:before_due:task=1:cycle=1:2024-01-25", Kind: duban.NotifyBeforeDue,
		TaskID: &task.ID, UnitID: &l.fgw, Title: "1月报告将于1月28日截止"}
	created, err := e.s.CreateNotification(e.ctx, l.sys, n)
	must(t, "CreateNotification", err)
	again, err := e.s.CreateNotification(e.ctx, l.sys, &duban.Notification{OrgID: l.district, Key: n.Key, Kind: n.Kind, Title: "again"})
	must(t, "CreateNotification again", err)
	if !created || again {
		t.Fatalf("created %v, then again %v; want true, false", created, again)
	}
	_, err = e.s.CreateNotification(e.ctx, l.repFGW, &duban.Notification{OrgID: l.district, Key: "x", Kind: duban.NotifyDue})
	wantCode(t, "a unit creates a notification", err, duban.CodeForbidden)

	due, err := e.s.FindDueDeliveries(e.ctx, l.sys, e.clock.Now(), 10)
	must(t, "FindDueDeliveries", err)
	if len(due) != 1 || due[0].Channel.ID != ch.ID || due[0].Notification.Key != n.Key || due[0].Channel.Config["secret"] != "s3cret" {
		t.Fatalf("due deliveries = %+v", due)
	}
	_, err = e.s.FindDueDeliveries(e.ctx, l.admin, e.clock.Now(), 10)
	wantCode(t, "FindDueDeliveries as admin", err, duban.CodeForbidden)
	next := e.clock.Now().Add(time.Minute)
	must(t, "RecordDeliveryAttempt", e.s.RecordDeliveryAttempt(e.ctx, l.sys, due[0].Delivery.ID, "connection refused", duban.DeliveryPending, &next))
	if due, _ := e.s.FindDueDeliveries(e.ctx, l.sys, e.clock.Now(), 10); len(due) != 0 {
		t.Errorf("a delivery waiting for its retry is due: %+v", due)
	}
	if due, _ := e.s.FindDueDeliveries(e.ctx, l.sys, next, 10); len(due) != 1 || due[0].Delivery.Attempts != 1 || due[0].Delivery.LastError != "connection refused" {
		t.Errorf("at the retry: %+v", due)
	}
	must(t, "RecordDeliveryAttempt sent", e.s.RecordDeliveryAttempt(e.ctx, l.sys, due[0].Delivery.ID, "", duban.DeliverySent, nil))
	log, total, err := e.s.FindDeliveries(e.ctx, l.admin, l.district, 0, 0)
	must(t, "FindDeliveries", err)
	if total != 1 || log[0].Status != duban.DeliverySent || log[0].Attempts != 2 || log[0].SentAt == nil {
		t.Errorf("send log = %+v", log)
	}
	var attempts int
	must(t, "count attempts", e.s.(RawDB).DB().QueryRowContext(e.ctx, `SELECT count(*) FROM delivery_attempts`).Scan(&attempts))
	if attempts != 2 {
		t.Errorf("%d attempts logged", attempts)
	}
	chans, err := e.s.FindChannels(e.ctx, l.admin, l.district)
	must(t, "FindChannels", err)
	if len(chans) != 2 {
		t.Errorf("channels = %d", len(chans))
	}
	entries, _, _ := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: ptr("channel")})
	for _, en := range entries {
		if string(en.After) != "" && strings.Contains(string(en.After), "s3cret") {
			t.Errorf("the audit log keeps a channel's secret: %s", en.After)
		}
	}
	must(t, "DeleteChannel", e.s.DeleteChannel(e.ctx, l.admin, l.district, off.ID))

	id, err := e.s.StartJobRun(e.ctx, l.sys, "remind", e.clock.Now())
	must(t, "StartJobRun", err)
	must(t, "FinishJobRun", e.s.FinishJobRun(e.ctx, l.sys, id, "", "3 reminders"))
}

// testConcurrentSubmissions submits the reports of every task for every
// cycle at once: each is kept, each once.
func testConcurrentSubmissions(t *testing.T, e *env) {
	l := newReportLedger(t, e)
	type job struct {
		a      duban.Actor
		task   int64
		cycle  int64
		writer string
	}
	leads := map[string]duban.Actor{"一1": l.repFGW, "一2": l.repCZJ, "二1": l.repJFB, "二2": l.repFGW}
	var jobs []job
	for key, a := range leads {
		for _, c := range l.cycles {
			jobs = append(jobs, job{a: a, task: l.tasks[key].ID, cycle: c.ID, writer: key})
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(jobs))
	for _, j := range jobs {
		wg.Go(func() {
			_, err := e.s.SubmitReport(e.ctx, j.a, j.task, j.cycle, duban.ReportContent{Progress: "进展 " + j.writer})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent submission: %v", err)
		}
	}
	_, total, err := e.s.FindReports(e.ctx, l.super, duban.ReportFilter{OrgID: l.district, Limit: 100})
	must(t, "FindReports", err)
	if total != len(jobs) {
		t.Errorf("%d reports kept, want %d", total, len(jobs))
	}
}

// testSyntheticReports: the generator of load tests reports through the
// store's own path, and what it made reads back.
func testSyntheticReports(t *testing.T, e *env) {
	ps := e.s.(ProgressSetter)
	ps.SetProgressFunc(fakeProgress)
	city, err := synth.Seed(e.ctx, e.s, 1, 20)
	must(t, "synth.Seed", err)
	org := city.Districts[0].ID
	must(t, "synth.Reports", synth.Reports(e.ctx, e.s, org, 2024, synth.ReportOptions{Months: 3, PasswordHash: "x"}))
	reports, total, err := e.s.FindReports(e.ctx, duban.System(org), duban.ReportFilter{OrgID: org, Limit: 500})
	must(t, "FindReports", err)
	if total != 60 {
		t.Fatalf("%d reports, want 3 for each of 20 tasks", total)
	}
	statuses := map[duban.ReportStatus]int{}
	for _, r := range reports {
		statuses[r.Status]++
		if len(r.Reviews) != 1 || r.SubmittedAt == nil {
			t.Fatalf("report %+v", r)
		}
	}
	if statuses[duban.ReportApproved] == 0 || statuses[duban.ReportApproved]+statuses[duban.ReportReturned] != 60 {
		t.Errorf("statuses %v", statuses)
	}
}
