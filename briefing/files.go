package briefing

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"duban"
	"duban/assess"
	"duban/export"
	"duban/ingest"
	"duban/ranking"
)

// LedgerOptions shape an exported ledger.
type LedgerOptions struct {
	Sheets   export.SheetMode
	Editable export.Editor
	// Rollup takes the tasks of the organisation and those below it (a
	// city's districts), one sheet per organisation unless Sheets says
	// otherwise.
	Rollup bool
}

// tasksOf reads every task the actor may see of an organisation's year.
func tasksOf(ctx context.Context, st duban.Store, a duban.Actor, f duban.TaskFilter) ([]*duban.Task, error) {
	var out []*duban.Task
	for f.Offset = 0; ; f.Offset += 500 {
		f.Limit = 500
		tasks, total, err := st.FindTasks(ctx, a, f)
		if err != nil {
			return nil, err
		}
		out = append(out, tasks...)
		if len(out) >= total || len(tasks) == 0 {
			return out, nil
		}
	}
}

// latestReports returns, by task, the latest report (by cycle) the actor may
// read of the tasks of an organisation's year.
func latestReports(ctx context.Context, st duban.Store, a duban.Actor, org int64, year int) (map[int64]*duban.Report, error) {
	latest, _, err := recentReports(ctx, st, a, org, year)
	return latest, err
}

// recentReports returns, by task, the latest report (by cycle) the actor may
// read of the tasks of an organisation's year, and the latest of a cycle
// before that one.
func recentReports(ctx context.Context, st duban.Store, a duban.Actor, org int64, year int) (latest, previous map[int64]*duban.Report, err error) {
	latest, previous = map[int64]*duban.Report{}, map[int64]*duban.Report{}
	for offset := 0; ; offset += 500 {
		// Newest cycle first: the first report of a task is its latest.
		reports, total, err := st.FindReports(ctx, a, duban.ReportFilter{OrgID: org, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range reports {
			l, ok := latest[r.TaskID]
			if !ok {
				latest[r.TaskID] = r
				continue
			}
			if _, ok := previous[r.TaskID]; !ok && r.CycleID != l.CycleID {
				previous[r.TaskID] = r
			}
		}
		if offset+len(reports) >= total || len(reports) == 0 {
			return latest, previous, nil
		}
	}
}

// currentCycle is the cycle of now's day: the one whose period holds it, or
// the latest that began before it, or the first.
func currentCycle(cycles []*duban.Cycle, day string) duban.Cycle {
	var cur *duban.Cycle
	for _, c := range cycles {
		if c.PeriodStart <= day {
			cur = c
		}
	}
	if cur == nil && len(cycles) > 0 {
		cur = cycles[0]
	}
	if cur == nil {
		return duban.Cycle{}
	}
	return *cur
}

// WriteLedger writes an organisation's ledger (一表) of a year as .xlsx: the
// tasks the actor may see, each with its latest report, made in the cycle of
// now's day.
func WriteLedger(ctx context.Context, st duban.Store, a duban.Actor, w io.Writer, org int64, year int, now time.Time, opt LedgerOptions) error {
	o, err := st.FindOrgByID(ctx, org)
	if err != nil {
		return err
	}
	tasks, err := tasksOf(ctx, st, a, duban.TaskFilter{OrgID: org, Year: &year, Rollup: opt.Rollup})
	if err != nil {
		return err
	}
	in := export.LedgerInput{OrgName: o.Name, Year: year, Tasks: tasks, Reports: map[int64]*duban.Report{},
		Previous: map[int64]*duban.Report{}, Generated: now, Sheets: opt.Sheets, Editable: opt.Editable}
	if opt.Editable == export.EditUnit && a.UnitID != nil {
		in.Unit = *a.UnitID
	}
	orgs := []int64{org}
	if opt.Rollup {
		in.OrgNames = map[int64]string{}
		all, err := st.FindOrgs(ctx)
		if err != nil {
			return err
		}
		for _, x := range all {
			in.OrgNames[x.ID] = x.Name
		}
		orgs = nil
		for _, t := range tasks {
			if !slices.Contains(orgs, t.OrgID) {
				orgs = append(orgs, t.OrgID)
			}
		}
		if in.Sheets == "" {
			in.Sheets = export.SheetsByOrg
		}
	}
	for _, id := range orgs {
		reports, previous, err := recentReports(ctx, st, a, id, year)
		if err != nil {
			return err
		}
		maps.Copy(in.Reports, reports)
		maps.Copy(in.Previous, previous)
	}
	cycles, err := st.FindCycles(ctx, a, org, year)
	if err != nil {
		return err
	}
	in.Cycle = currentCycle(cycles, now.Format(time.DateOnly))
	return export.Ledger(w, in)
}

// WriteTargets writes the year's 主要目标完成情况表 (.docx) from the
// organisation's plan reports, newest first: the first whose tables hold the
// year's targets and outcomes, each judged with the office's settings; when
// none does, the targets of the year's tasks with their latest figures.
// CodeNotFound when the tasks have no target either.
func WriteTargets(ctx context.Context, st duban.Store, a duban.Actor, w io.Writer, org int64, year int, now time.Time) error {
	o, err := st.FindOrgByID(ctx, org)
	if err != nil {
		return err
	}
	s, err := settings(ctx, st, a, org, assess.LangZH)
	if err != nil {
		return err
	}
	docs, err := st.FindDocuments(ctx, org)
	if err != nil {
		return err
	}
	for i := len(docs) - 1; i >= 0; i-- {
		d := docs[i]
		if d.Kind != string(ingest.KindPlanReport) {
			continue
		}
		content, err := st.FindDocumentContent(ctx, d.ID)
		if err != nil {
			return err
		}
		x, err := ingest.Extract(d.FileName, content, ingest.DefaultLimits)
		if err != nil {
			continue
		}
		in, err := export.TargetsFromExtraction(o.Name, year, x, assess.EvaluateExtraction(x, s))
		if duban.ErrorCode(err) == duban.CodeNotFound {
			continue
		}
		if err != nil {
			return err
		}
		in.Date = now
		return export.TargetsReport(w, in)
	}
	// No plan report has reported on the year yet (the year under way): the
	// targets of its tasks with their latest figures.
	tasks, err := tasksOf(ctx, st, a, duban.TaskFilter{OrgID: org, Year: &year})
	if err != nil {
		return err
	}
	reports, err := latestReports(ctx, st, a, org, year)
	if err != nil {
		return err
	}
	in, err := export.TargetsFromTasks(o.Name, year, tasks, reports, s)
	if duban.ErrorCode(err) == duban.CodeNotFound {
		return duban.Errorf(duban.CodeNotFound, "没有含%d年计划目标和完成情况的计划报告，%d年的任务中也没有目标", year, year)
	}
	if err != nil {
		return err
	}
	in.Date = now
	return export.TargetsReport(w, in)
}

// BulletinOptions are what the office writes on a bulletin.
type BulletinOptions struct {
	Number string // 渝中督查〔2024〕11号; empty for none
	Period string // 2024年11月, 2024年第4季度 or 2024年; empty for now's month
	Issue  int    // 期号; 0 for the period's month
	// AsOf is the day the figures stand at; zero means the period's last
	// day, or now when the period has not ended.
	AsOf time.Time
}

// WriteBulletin writes a supervision bulletin (督查通报, .docx) of an
// organisation's year: status by section, red tasks, the reports returned in
// the period and whether they came back, open notices, and the ranking of
// units with how it was made. The period bounds the returns counted and,
// with opt.AsOf, the day the text says the figures stand at; the bulletin is
// dated now. A period it cannot read is CodeInvalid.
func WriteBulletin(ctx context.Context, st duban.Store, a duban.Actor, w io.Writer, org int64, year int, now time.Time, loc *time.Location, opt BulletinOptions) error {
	o, err := st.FindOrgByID(ctx, org)
	if err != nil {
		return err
	}
	tasks, err := tasksOf(ctx, st, a, duban.TaskFilter{OrgID: org, Year: &year})
	if err != nil {
		return err
	}
	local := now.In(loc)
	period := opt.Period
	if period == "" {
		period = fmt.Sprintf("%d年%d月", local.Year(), int(local.Month()))
	}
	from, to, ok := PeriodBounds(period, loc)
	if !ok {
		return duban.Errorf(duban.CodeInvalid, "通报期间“%s”无法识别，应为“2024年11月”“2024年第4季度”或“2024年”", period)
	}
	asOf := opt.AsOf
	if asOf.IsZero() {
		asOf = local
		if last := to.AddDate(0, 0, -1); last.Before(asOf) {
			asOf = last
		}
	}
	b := export.BulletinInput{OrgName: o.Name, Issuer: o.Name + "人民政府督查室", Number: opt.Number, Period: period,
		Issue: opt.Issue, From: from, To: to, Date: local, AsOf: asOf, Tasks: tasks}
	if opt.Issue == 0 && !strings.Contains(period, "月") {
		b.Issue = -1 // no issue for a quarter or a year unless given
	}
	// Every report of the year that was ever returned: the bulletin counts
	// those returned in the period, resubmitted since or not.
	for offset := 0; ; offset += duban.MaxBriefReports {
		rs, total, err := st.FindReports(ctx, a, duban.ReportFilter{OrgID: org, Year: &year, Brief: true, Limit: duban.MaxBriefReports, Offset: offset})
		if err != nil {
			return err
		}
		for _, r := range rs {
			if slices.ContainsFunc(r.Reviews, func(v duban.Review) bool { return v.Decision == duban.DecisionReturn }) {
				b.Returned = append(b.Returned, r)
			}
		}
		if offset+len(rs) >= total || len(rs) == 0 {
			break
		}
	}
	for _, st0 := range []duban.NoticeStatus{duban.NoticeOpen, duban.NoticeResponded} {
		ns, _, err := st.FindNotices(ctx, a, duban.NoticeFilter{OrgID: org, Status: &st0, Limit: 500})
		if err != nil {
			return err
		}
		b.Notices = append(b.Notices, ns...)
	}
	rk, err := Rank(ctx, st, a, org, year, now, loc)
	if err != nil {
		return err
	}
	var rule []string
	for _, l := range rk.Result.Rules {
		rule = append(rule, l.Text)
	}
	b.RankingRule = strings.Join(rule, "；")
	for _, e := range rk.Result.Units {
		if !e.Rated {
			continue
		}
		// The weighted parts, then what was deducted and added, each a
		// column; the rule under the table says how each was counted.
		row := export.RankRow{Rank: e.Rank, Unit: e.Name, Score: e.Score}
		for _, p := range e.Parts {
			if name, ok := partNames[p.Kind]; ok {
				row.Parts = append(row.Parts, export.RankPart{Name: name, Points: p.Points})
			}
		}
		if e.Deducted != 0 {
			row.Parts = append(row.Parts, export.RankPart{Name: "扣分", Points: e.Deducted})
		}
		if e.Bonus != 0 {
			row.Parts = append(row.Parts, export.RankPart{Name: "加分", Points: e.Bonus})
		}
		b.Ranking = append(b.Ranking, row)
	}
	return export.Bulletin(w, b)
}

// partNames are the weighted parts of a score, each a column of the
// bulletin's ranking; deductions and bonuses go to its 备注.
var partNames = map[ranking.PartKind]string{
	ranking.PartTimeliness: "按时报送",
	ranking.PartCompletion: "任务完成",
	ranking.PartQuality:    "报告质量",
	ranking.PartNotice:     "督办响应",
}

// PeriodBounds reads a bulletin's period — "2024年11月", "2024年第4季度" (or
// "2024年四季度"), "2024年" — and returns its first day and the day after its
// last, at midnight in loc, and whether it could.
func PeriodBounds(period string, loc *time.Location) (from, to time.Time, ok bool) {
	p := strings.TrimSpace(period)
	y, rest, found := strings.Cut(p, "年")
	year, err := strconv.Atoi(strings.TrimSpace(y))
	if !found || err != nil || year < 1900 || year > 9999 {
		return time.Time{}, time.Time{}, false
	}
	rest = strings.TrimSpace(rest)
	day := func(m int) time.Time { return time.Date(year, time.Month(m), 1, 0, 0, 0, 0, loc) }
	switch {
	case rest == "" || rest == "度" || rest == "全年":
		return day(1), day(13), true
	case strings.HasSuffix(rest, "季度"):
		q := strings.TrimPrefix(strings.TrimSuffix(rest, "季度"), "第")
		n := 0
		if q != "" && strings.Contains("一二三四", q) {
			n = strings.Index("一二三四", q)/len("一") + 1
		}
		if i, err := strconv.Atoi(q); err == nil {
			n = i
		}
		if n < 1 || n > 4 {
			return time.Time{}, time.Time{}, false
		}
		return day(3*n - 2), day(3*n + 1), true
	case strings.HasSuffix(rest, "月"):
		m, err := strconv.Atoi(strings.TrimSuffix(rest, "月"))
		if err != nil || m < 1 || m > 12 {
			return time.Time{}, time.Time{}, false
		}
		return day(m), day(m + 1), true
	}
	return time.Time{}, time.Time{}, false
}

// WriteUnitTasks writes a unit's task list (.docx) of an organisation's
// year: the tasks it leads and those it supports, with their latest reports.
func WriteUnitTasks(ctx context.Context, st duban.Store, a duban.Actor, w io.Writer, org, unitID int64, year int, now time.Time) error {
	o, err := st.FindOrgByID(ctx, org)
	if err != nil {
		return err
	}
	u, err := st.FindUnitByID(ctx, unitID)
	if err != nil || u.OrgID != org {
		return duban.Errorf(duban.CodeNotFound, "单位不存在")
	}
	tasks, err := tasksOf(ctx, st, a, duban.TaskFilter{OrgID: org, Year: &year, UnitID: &unitID})
	if err != nil {
		return err
	}
	reports, err := latestReports(ctx, st, a, org, year)
	if err != nil {
		return err
	}
	return export.UnitTasks(w, export.UnitTasksInput{OrgName: o.Name, Year: year, Unit: u.Name, UnitID: u.ID,
		Tasks: tasks, Reports: reports, Date: now})
}

// LedgerEdits is what an edited ledger would change, task by task.
type LedgerEdits struct {
	Changes []export.LedgerChange `json:"changes"`
	// edits are the rows as read, and current what the store held when
	// they were compared, for ApplyLedgerEdits.
	edits   map[int64]export.LedgerEdit
	current map[int64]export.CurrentRow
}

// maxDeletedShown bounds the task rows deleted in a file that a preview
// looks up and lists.
const maxDeletedShown = 200

// PreviewLedgerEdits reads an edited ledger (made by WriteLedger with
// Editable) and compares it with what the store holds now, in the actor's
// scope: for each task what changes, and what conflicts with a change made
// since the export. Nothing is written.
func PreviewLedgerEdits(ctx context.Context, st duban.Store, a duban.Actor, r io.Reader, size int64) (*LedgerEdits, error) {
	file, err := export.ReadLedger(r, size)
	if err != nil {
		return nil, err
	}
	edits := file.Edits
	le := &LedgerEdits{edits: map[int64]export.LedgerEdit{}}
	current := map[int64]export.CurrentRow{}
	for _, e := range edits {
		le.edits[e.TaskID] = e
		t, err := st.FindTaskByID(ctx, a, e.TaskID)
		if duban.ErrorCode(err) == duban.CodeNotFound {
			continue // DiffLedger flags a task that is not there (or not the actor's)
		}
		if err != nil {
			return nil, err
		}
		var rep *duban.Report
		if e.CycleID != 0 {
			rs, _, err := st.FindReports(ctx, a, duban.ReportFilter{TaskID: &e.TaskID, CycleID: &e.CycleID, Limit: 1})
			if err != nil {
				return nil, err
			}
			if len(rs) > 0 {
				rep = rs[0]
			}
		}
		cur := export.CurrentRowOf(t, rep)
		cur.TaskRefused, cur.ReportRefused = ledgerRefusals(a, t)
		current[e.TaskID] = cur
	}
	le.current = current
	le.Changes = export.DiffLedger(edits, current)
	// A task row deleted in the file deletes nothing: say so for the tasks
	// duban still holds in the actor's scope, the first maxDeletedShown.
	for i, id := range file.Deleted {
		if i == maxDeletedShown {
			break
		}
		t, err := st.FindTaskByID(ctx, a, id)
		if duban.ErrorCode(err) == duban.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		le.Changes = append(le.Changes, export.DeletedChange(id, strconv.Itoa(t.Number)))
	}
	return le, nil
}

// ledgerRefusals says why the actor may not change the deadline and note of
// t, or its report, in an edited ledger; empty when they may. Only the office
// changes a task, and only a unit that leads it reports on it.
func ledgerRefusals(a duban.Actor, t *duban.Task) (task, report string) {
	if a.Role != duban.RoleAdmin && a.Role != duban.RoleSupervisor {
		task = "只有办公室可以修改完成时限和备注"
	}
	switch {
	case a.Role != duban.RoleReporter:
		report = "报告由牵头单位填报，办公室不能代填"
	case a.UnitID == nil || !slices.Contains(t.LeadUnitIDs, *a.UnitID):
		report = "本单位是该任务的配合单位，报告由牵头单位填报"
	}
	return task, report
}

// LedgerResult says what applying an edited ledger did: every confirmed task
// with changes is either in Written, with the columns written, or in Skipped,
// with the columns refused and why. Applied lists the IDs of Written.
type LedgerResult struct {
	Applied []int64         `json:"applied"` // tasks changed
	Written []LedgerWritten `json:"written"`
	Skipped []LedgerSkipped `json:"skipped"`
}

// LedgerWritten is a confirmed task whose changes were all written.
type LedgerWritten struct {
	TaskID int64    `json:"task_id"`
	Number string   `json:"number"`
	Fields []string `json:"fields"` // the columns' headers: 完成时限
}

// LedgerSkipped is a confirmed task of which nothing was written, and why.
type LedgerSkipped struct {
	TaskID int64    `json:"task_id"`
	Number string   `json:"number"`
	Fields []string `json:"fields"` // the columns the file changed
	Reason string   `json:"reason"`
}

// ApplyLedgerEdits applies the changes of an edited ledger that the user
// confirmed (by task) and that conflict with nothing: a unit's report of the
// cycle is saved as its draft (the unit submits it when it has read it
// again), keeping its figures; the office's deadline and note go to the
// task. Each change names the versions it was exported with, so the store
// refuses one that moved meanwhile; those are skipped with the reason.
//
// A task's change is applied whole or not at all. Who may change what is
// checked for all its columns before anything is written, and since only the
// office may change a task's deadline and note and only the lead unit its
// report, a change that passes is one store call: one transaction per task.
// Different tasks are independent; a task refused does not hold back another.
func ApplyLedgerEdits(ctx context.Context, st duban.Store, a duban.Actor, le *LedgerEdits, confirm []int64) (*LedgerResult, error) {
	res := &LedgerResult{Applied: []int64{}, Written: []LedgerWritten{}, Skipped: []LedgerSkipped{}}
	for _, c := range le.Changes {
		if !slices.Contains(confirm, c.TaskID) || len(c.Fields) == 0 {
			continue
		}
		var report, task bool
		labels := make([]string, 0, len(c.Fields))
		for _, f := range c.Fields {
			labels = append(labels, f.Label)
			switch f.Field {
			case export.FieldDeadline, export.FieldNote:
				task = true
			default:
				report = true
			}
		}
		skip := func(reason string) {
			res.Skipped = append(res.Skipped, LedgerSkipped{TaskID: c.TaskID, Number: c.Number, Fields: labels, Reason: reason})
		}
		office := a.Role == duban.RoleAdmin || a.Role == duban.RoleSupervisor
		switch {
		case c.Refused, c.Conflict:
			skip(c.Reason)
			continue
		case task && !office:
			skip("只有办公室可以修改完成时限和备注，本行未做任何更改")
			continue
		case report && a.Role != duban.RoleReporter:
			skip("报告由牵头单位填报，办公室不能代填，本行未做任何更改")
			continue
		}
		// Only the fields the file changed are written, over what the store
		// held when compared: a field changed since the export but not in the
		// file is kept. The versions are those compared, so the store refuses
		// the change if anything moved since the preview.
		e, cur := le.edits[c.TaskID], le.current[c.TaskID]
		changed := func(field string) bool {
			return slices.ContainsFunc(c.Fields, func(f export.FieldChange) bool { return f.Field == field })
		}
		pick := func(field, file, now string) string {
			if changed(field) {
				return file
			}
			return now
		}
		if task {
			up := duban.TaskUpdate{Version: cur.TaskVersion}
			if changed(export.FieldDeadline) {
				up.Deadline = e.Deadline
			}
			if changed(export.FieldNote) {
				up.Note = e.Note
			}
			if _, err := st.UpdateTask(ctx, a, c.TaskID, up); err != nil {
				if duban.ErrorCode(err) == duban.CodeInternal {
					return nil, err
				}
				skip(duban.ErrorMessage(err))
				continue
			}
		}
		if report {
			content := duban.ReportContent{
				Progress:  pick(export.FieldProgress, e.Progress, cur.Progress),
				Problems:  pick(export.FieldProblems, e.Problems, cur.Problems),
				NextSteps: pick(export.FieldNextSteps, e.NextSteps, cur.NextSteps),
				Percent:   cur.Percent,
				Version:   cur.ReportVersion,
			}
			if changed(export.FieldPercent) {
				content.Percent = e.Percent
			}
			if cur.ReportVersion > 0 {
				rs, _, err := st.FindReports(ctx, a, duban.ReportFilter{TaskID: &e.TaskID, CycleID: &e.CycleID, Limit: 1})
				if err != nil {
					return nil, err
				}
				if len(rs) > 0 {
					content.Figures = rs[0].Figures // the ledger does not edit figures
				}
			}
			if _, err := st.SaveReport(ctx, a, c.TaskID, e.CycleID, content); err != nil {
				if duban.ErrorCode(err) == duban.CodeInternal {
					return nil, err
				}
				skip(duban.ErrorMessage(err))
				continue
			}
		}
		res.Applied = append(res.Applied, c.TaskID)
		res.Written = append(res.Written, LedgerWritten{TaskID: c.TaskID, Number: c.Number, Fields: labels})
	}
	return res, nil
}
