package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"duban"
)

// portalView is a unit's own page: the cycle under way, the unit's tasks
// with their report for it, reports sent back, open supervision notices and
// unread notifications.
type portalView struct {
	*pageBase
	Unit          *duban.Unit
	Cycle         *duban.Cycle
	Rows          []portalRow
	Returned      []portalRow
	Notices       []*duban.Notice
	Notifications []*duban.Notification
	Unread        int
	ToDo          int
	NoticeForms   map[int64]*form
	tasks         map[int64]*duban.Task
}

// portalRow is one of the unit's tasks and its report for the cycle.
type portalRow struct {
	Task   *duban.Task
	Report *duban.Report
	Leads  bool
}

func (s *Server) pagePortal(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		v, err := s.portalView(r, c, b)
		if err != nil {
			return err
		}
		return s.render(ps, w, r, http.StatusOK, "portal", v)
	}
}

func (s *Server) portalView(r *http.Request, c *caller, b *pageBase) (*portalView, error) {
	ctx := r.Context()
	org := c.actor.OrgID
	b.Title = b.T("portal.title")
	b.Active = "nav.portal"
	v := &portalView{pageBase: b, NoticeForms: map[int64]*form{}, tasks: map[int64]*duban.Task{}}
	units, err := s.store.FindUnits(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("find units: %w", err)
	}
	unit := int64(0)
	if c.actor.UnitID != nil {
		unit = *c.actor.UnitID
		for _, u := range units {
			if u.ID == unit {
				v.Unit = u
			}
		}
	}
	all, err := s.allTasks(ctx, c.actor, duban.TaskFilter{OrgID: org})
	if err != nil {
		return nil, err
	}
	year := s.pickYear(r, taskYears(all))
	tasks := ofYear(all, year)
	cycles, err := s.store.FindCycles(ctx, c.actor, org, year)
	if err != nil {
		return nil, fmt.Errorf("find cycles: %w", err)
	}
	v.Cycle = currentCycle(cycles, s.today())
	reports := map[int64]*duban.Report{}
	if v.Cycle != nil {
		id := v.Cycle.ID
		reps, _, err := s.store.FindReports(ctx, c.actor, duban.ReportFilter{OrgID: org, CycleID: &id, Limit: maxReportLimit})
		if err != nil {
			return nil, fmt.Errorf("find reports: %w", err)
		}
		for _, rep := range reps {
			reports[rep.TaskID] = rep
		}
	}
	for _, t := range tasks {
		v.tasks[t.ID] = t
		row := portalRow{Task: t, Report: reports[t.ID], Leads: holds(t.LeadUnitIDs, unit, units)}
		v.Rows = append(v.Rows, row)
		if row.Leads && (row.Report == nil || row.Report.Status == duban.ReportDraft || row.Report.Status == duban.ReportReturned || row.Report.Status == duban.ReportEvidenceRequested) {
			v.ToDo++
		}
		if row.Report != nil && (row.Report.Status == duban.ReportReturned || row.Report.Status == duban.ReportEvidenceRequested) {
			v.Returned = append(v.Returned, row)
		}
	}
	// Tasks to write first: those the unit leads and has not submitted.
	slices.SortStableFunc(v.Rows, func(a, b portalRow) int { return portalRank(a) - portalRank(b) })
	open := duban.NoticeOpen
	if v.Notices, _, err = s.store.FindNotices(ctx, c.actor, duban.NoticeFilter{OrgID: org, Status: &open, Limit: 50}); err != nil {
		return nil, fmt.Errorf("find notices: %w", err)
	}
	for _, n := range v.Notices {
		v.NoticeForms[n.ID] = newForm(nil)
	}
	if v.Notifications, _, v.Unread, err = s.store.FindNotifications(ctx, c.actor, duban.NotificationFilter{Unread: true, Limit: 10}); err != nil {
		return nil, fmt.Errorf("find notifications: %w", err)
	}
	return v, nil
}

func portalRank(r portalRow) int {
	switch {
	case !r.Leads:
		return 3
	case r.Report == nil || r.Report.Status == duban.ReportDraft:
		return 1
	case r.Report.Status == duban.ReportReturned || r.Report.Status == duban.ReportEvidenceRequested:
		return 0
	}
	return 2
}

// TaskOf returns the task a notice is about.
func (v *portalView) TaskOf(id int64) *duban.Task { return v.tasks[id] }

// pageNoticeRespond records a unit's response to a supervision notice.
func (s *Server) pageNoticeRespond(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		resp := strings.TrimSpace(f.V("response"))
		f.need("response", resp, b.T("notice.needresponse"), "反馈", 5000)
		var serr error
		if f.OK() {
			if _, serr = s.store.RespondNotice(r.Context(), c.actor, id, resp); serr == nil {
				return redirect(w, r, "/portal?ok=responded")
			}
			if err := f.Err("response", serr); err != nil {
				return fmt.Errorf("respond to notice %d: %w", id, err)
			}
		}
		v, err := s.portalView(r, c, b)
		if err != nil {
			return err
		}
		v.NoticeForms[id] = f
		return s.render(ps, w, r, f.status(serr), "portal", v)
	}
}

// reportView is the report form of a task for a cycle: the lead unit's
// report, or a responsible unit's contribution.
type reportView struct {
	*pageBase
	Task         *duban.Task
	Cycle        *duban.Cycle
	Report       *duban.Report
	Contribution bool
	Form         *form
	Fields       []fieldView
	Figures      []figureField
	Version      int
	Action       string
	DraftURL     string
	Evidence     []duban.Evidence
	EvidenceForm *form
	Back         string
}

// figureField is the input of one target's figure.
type figureField struct {
	Target duban.Target
	Value  fieldView
	Note   fieldView
}

// reportView reads the task, the cycle and what was written so far; f, when
// given, is what was typed.
func (s *Server) reportView(r *http.Request, c *caller, b *pageBase, f *form) (*reportView, error) {
	ctx := r.Context()
	taskID, cycleID, err := taskCycle(r)
	if err != nil {
		return nil, err
	}
	t, err := s.store.FindTaskByID(ctx, c.actor, taskID)
	if err != nil {
		return nil, fmt.Errorf("find task %d: %w", taskID, err)
	}
	cycles, err := s.store.FindCycles(ctx, c.actor, t.OrgID, t.Year)
	if err != nil {
		return nil, fmt.Errorf("find cycles: %w", err)
	}
	i := slices.IndexFunc(cycles, func(cy *duban.Cycle) bool { return cy.ID == cycleID })
	if i < 0 {
		return nil, duban.Errorf(duban.CodeNotFound, "填报周期不存在")
	}
	units, err := s.store.FindUnits(ctx, t.OrgID)
	if err != nil {
		return nil, fmt.Errorf("find units: %w", err)
	}
	unit := int64(0)
	if c.actor.UnitID != nil {
		unit = *c.actor.UnitID
	}
	v := &reportView{pageBase: b, Task: t, Cycle: cycles[i], EvidenceForm: newForm(nil)}
	v.Contribution = !holds(t.LeadUnitIDs, unit, units)
	if v.Contribution && !holds(t.ResponsibleUnitIDs, unit, units) {
		return nil, duban.Errorf(duban.CodeForbidden, "本单位不承担此项任务")
	}
	base := "/tasks/" + strconv.FormatInt(t.ID, 10) + "/report/" + strconv.FormatInt(cycleID, 10)
	v.Action, v.DraftURL, v.Back = base, base+"/draft", base
	b.Title = v.Cycle.Label + " " + b.T("report.title")
	b.Active = "nav.portal"

	stored := url0()
	if v.Contribution {
		parts, err := s.store.FindContributions(ctx, c.actor, t.ID, cycleID)
		if err != nil {
			return nil, fmt.Errorf("find contributions: %w", err)
		}
		for _, p := range parts {
			if p.UnitID == unit {
				stored.Set("progress", p.Progress)
				stored.Set("problems", p.Problems)
				stored.Set("next_steps", p.NextSteps)
				setFigures(stored, p.Figures)
			}
		}
	} else {
		reps, _, err := s.store.FindReports(ctx, c.actor, duban.ReportFilter{OrgID: t.OrgID, TaskID: &t.ID, CycleID: &cycleID, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("find report: %w", err)
		}
		if len(reps) > 0 {
			v.Report = reps[0]
			v.Version = v.Report.Version
			stored.Set("progress", v.Report.Progress)
			stored.Set("problems", v.Report.Problems)
			stored.Set("next_steps", v.Report.NextSteps)
			if v.Report.Percent != nil {
				stored.Set("percent", strconv.Itoa(*v.Report.Percent))
			}
			setFigures(stored, v.Report.Figures)
		}
	}
	if f == nil {
		f = newForm(stored)
	}
	v.Form = f
	if ev, err := s.store.FindEvidence(ctx, c.actor, t.ID); err == nil {
		for _, e := range ev {
			if v.Report != nil && e.ReportID != nil && *e.ReportID == v.Report.ID {
				v.Evidence = append(v.Evidence, e)
			}
		}
	} else {
		return nil, fmt.Errorf("find evidence: %w", err)
	}
	v.fields()
	return v, nil
}

// url0 is an empty set of form values.
func url0() url.Values { return url.Values{} }

func setFigures(v map[string][]string, figs []duban.Figure) {
	for _, fg := range figs {
		id := strconv.FormatInt(fg.TargetID, 10)
		v["fig_"+id] = []string{strconv.FormatFloat(fg.Value, 'f', -1, 64)}
		v["note_"+id] = []string{fg.Note}
	}
}

func (v *reportView) fields() {
	b, f := v.pageBase, v.Form
	v.Fields = []fieldView{
		f.field("progress", b.T("report.progress"), "textarea", true),
		f.field("problems", b.T("report.problems"), "textarea", false),
		f.field("next_steps", b.T("report.next"), "textarea", false),
	}
	v.Fields[0].Hint = b.T("report.progresshint")
	v.Fields[0].Rows = 7
	v.Fields[1].Rows, v.Fields[2].Rows = 4, 4
	if !v.Contribution {
		p := f.field("percent", b.T("report.percent"), "number", false)
		p.Attrs = template.HTMLAttr(`min="0" max="100" step="1" inputmode="numeric"`)
		p.Hint = b.T("report.percenthint")
		p.Class = "short"
		v.Fields = append(v.Fields, p)
	}
	v.Figures = nil
	for _, tg := range v.Task.Targets {
		id := strconv.FormatInt(tg.ID, 10)
		label := tg.Subject + b.Measure(tg.Measure)
		val := f.field("fig_"+id, label, "text", false)
		val.Attrs = template.HTMLAttr(`inputmode="decimal"`)
		val.Hint = b.T("report.target") + "：" + tg.Text
		note := f.field("note_"+id, b.T("report.fignote"), "text", false)
		note.Hint = b.T("report.fignotehint")
		v.Figures = append(v.Figures, figureField{Target: tg, Value: val, Note: note})
	}
}

// Editable reports whether the unit may still change the report.
func (v *reportView) Editable() bool {
	return v.Report == nil || v.Report.Status == duban.ReportDraft || v.Report.Status == duban.ReportReturned ||
		v.Report.Status == duban.ReportEvidenceRequested
}

// LastReview is the office's latest decision on the report.
func (v *reportView) LastReview() *duban.Review {
	if v.Report == nil || len(v.Report.Reviews) == 0 {
		return nil
	}
	return &v.Report.Reviews[len(v.Report.Reviews)-1]
}

func (s *Server) pageReportForm(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		v, err := s.reportView(r, c, b, nil)
		if err != nil {
			return err
		}
		return s.render(ps, w, r, http.StatusOK, "report", v)
	}
}

// readReport reads the report form into content, with an error per field
// that is wrong. submit asks for what a submitted report must hold.
func readReport(b *pageBase, f *form, t *duban.Task, submit, contribution bool) duban.ReportContent {
	c := duban.ReportContent{
		Progress:  strings.TrimSpace(f.V("progress")),
		Problems:  strings.TrimSpace(f.V("problems")),
		NextSteps: strings.TrimSpace(f.V("next_steps")),
	}
	c.Version, _ = strconv.Atoi(f.V("version"))
	if submit && c.Progress == "" {
		f.Fail("progress", b.T("report.needprogress"))
	}
	for name, text := range map[string]string{"progress": c.Progress, "problems": c.Problems, "next_steps": c.NextSteps} {
		if err := checkLength(b.T("report."+map[string]string{"progress": "progress", "problems": "problems", "next_steps": "next"}[name]), text, 10000); err != nil {
			f.Fail(name, duban.ErrorMessage(err))
		}
	}
	if p := strings.TrimSpace(f.V("percent")); p != "" && !contribution {
		n, err := strconv.Atoi(strings.TrimSuffix(p, "%"))
		if err != nil || n < 0 || n > 100 {
			f.Fail("percent", b.T("report.badpercent"))
		} else {
			c.Percent = &n
		}
	}
	for _, tg := range t.Targets {
		id := strconv.FormatInt(tg.ID, 10)
		raw := strings.TrimSpace(f.V("fig_" + id))
		if raw == "" {
			continue
		}
		val, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", ""), 64)
		if err != nil {
			f.Fail("fig_"+id, b.T("report.badfigure"))
			continue
		}
		c.Figures = append(c.Figures, duban.Figure{TargetID: tg.ID, Value: val, Note: strings.TrimSpace(f.V("note_" + id))})
	}
	return c
}

// pageReportPost saves the draft (action=save) or submits the report
// (action=submit), then goes back to the form or the portal. A form with
// errors is shown again as typed: 400, or 409 when someone saved in between.
func (s *Server) pageReportPost(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		if err := parseForm(w, r, 256<<10); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		v, err := s.reportView(r, c, b, f)
		if err != nil {
			return err
		}
		submit := f.V("action") == "submit"
		content := readReport(b, f, v.Task, submit, v.Contribution)
		var serr error
		if f.OK() {
			switch {
			case v.Contribution:
				_, serr = s.store.SaveContribution(r.Context(), c.actor, v.Task.ID, v.Cycle.ID, content)
			case submit:
				_, serr = s.store.SubmitReport(r.Context(), c.actor, v.Task.ID, v.Cycle.ID, content)
				s.countSubmission(serr)
			default:
				_, serr = s.store.SaveReport(r.Context(), c.actor, v.Task.ID, v.Cycle.ID, content)
			}
			if serr == nil {
				if submit && !v.Contribution {
					return redirect(w, r, "/portal?ok=submitted")
				}
				return redirect(w, r, v.Action+"?ok=saved")
			}
			if err := f.Err("", serr); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
			if duban.ErrorCode(serr) == duban.CodeConflict && v.Report != nil {
				// Keep what was typed, on the version now stored, so that
				// sending it again after a look is possible.
				f.Message = b.T("report.conflict")
				f.Values.Set("version", strconv.Itoa(v.Report.Version))
			}
		} else if submit && !v.Contribution {
			s.countSubmission(duban.Errorf(duban.CodeInvalid, "表单有误"))
		}
		v.Form = f
		v.fields()
		return s.render(ps, w, r, f.status(serr), "report", v)
	}
}

// pageReportDraft saves the draft as the unit types (htmx, every few
// seconds) and answers a fragment: the saved time and the new version.
func (s *Server) pageReportDraft(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
	if err := parseForm(w, r, 256<<10); err != nil {
		return err
	}
	f := newForm(r.PostForm)
	v, err := s.reportView(r, c, b, f)
	if err != nil {
		return err
	}
	content := readReport(b, f, v.Task, false, v.Contribution)
	msg := ""
	version := content.Version
	if !f.OK() {
		msg = b.T("report.draftinvalid")
	} else if v.Contribution {
		if _, err := s.store.SaveContribution(r.Context(), c.actor, v.Task.ID, v.Cycle.ID, content); err != nil {
			if duban.ErrorCode(err) == duban.CodeInternal {
				return err
			}
			msg = b.T("report.draftfailed") + duban.ErrorMessage(err)
		}
	} else if rep, err := s.store.SaveReport(r.Context(), c.actor, v.Task.ID, v.Cycle.ID, content); err != nil {
		if duban.ErrorCode(err) == duban.CodeInternal {
			return err
		}
		msg = b.T("report.draftfailed") + duban.ErrorMessage(err)
	} else {
		version = rep.Version
	}
	if msg == "" {
		msg = b.T("report.draftsaved") + " " + s.now().In(s.cfg.location()).Format("15:04:05")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<span id="draft-status" class="draft-status" role="status">%s</span><input type="hidden" id="f-version" name="version" value="%d" hx-swap-oob="true">`,
		template.HTMLEscapeString(msg), version)
	return nil
}
