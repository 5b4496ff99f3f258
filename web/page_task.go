package web

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"duban"
	"duban/ingest"
)

// taskView is one task: what it says, where it came from, its targets, its
// reports cycle by cycle with their reviews, its evidence, extensions,
// notices and audit trail, and the forms the caller may use on it.
type taskView struct {
	*pageBase
	Task          *duban.Task
	Document      *duban.Document
	Source        []sourceLine
	Reports       []*duban.Report
	History       []historyRow
	Cycle         *duban.Cycle
	Contributions []*duban.Contribution
	Evidence      []duban.Evidence
	Extensions    []*duban.Extension
	Notices       []*duban.Notice
	Audit         []*duban.AuditEntry
	// ToReview is the report waiting for the office's decision.
	ToReview *duban.Report
	// Leads and Shares say whether the reporter's unit leads the task or
	// shares it (it then writes a contribution).
	Leads, Shares bool
	ReportCycle   *duban.Cycle
	cycles        map[int64]*duban.Cycle

	ReviewForm, CloseForm, NoticeForm, ExtForm, EvidenceForm *form
	ReviewFields, NoticeFields, ExtFields                    []fieldView
	CloseField                                               fieldView
}

// sourceLine is a line of the document the task was read from.
type sourceLine struct {
	N    int
	Text string
	Hit  bool
}

// historyRow is a cycle of the task's year and its report.
type historyRow struct {
	Cycle  *duban.Cycle
	Report *duban.Report
	Past   bool
}

func (s *Server) pageTask(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		v, err := s.taskView(r, c, b)
		if err != nil {
			return err
		}
		return s.render(ps, w, r, http.StatusOK, "task", v)
	}
}

// taskView reads everything the task page shows; CodeNotFound for a task
// outside the caller's scope.
func (s *Server) taskView(r *http.Request, c *caller, b *pageBase) (*taskView, error) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	t, err := s.store.FindTaskByID(ctx, c.actor, id)
	if err != nil {
		return nil, fmt.Errorf("find task %d: %w", id, err)
	}
	b.Title = taskRef(t) + " " + shortText(t.Content, 24)
	b.Active = "nav.ledger"
	v := &taskView{pageBase: b, Task: t,
		ReviewForm: newForm(nil), CloseForm: newForm(nil), NoticeForm: newForm(nil), ExtForm: newForm(nil), EvidenceForm: newForm(nil)}
	if t.DocumentID != nil {
		if d, err := s.store.FindDocumentByID(ctx, *t.DocumentID); err == nil && d.OrgID == t.OrgID {
			v.Document = d
			v.Source = s.sourceExcerpt(ctx, d, t.SourceLine)
		}
	}
	cycles, err := s.store.FindCycles(ctx, c.actor, t.OrgID, t.Year)
	if err != nil {
		return nil, fmt.Errorf("find cycles: %w", err)
	}
	today := s.today()
	v.Cycle = currentCycle(cycles, today)
	reps, _, err := s.store.FindReports(ctx, c.actor, duban.ReportFilter{OrgID: t.OrgID, TaskID: &t.ID, Limit: maxReportLimit})
	if err != nil {
		return nil, fmt.Errorf("find reports: %w", err)
	}
	byCycle := map[int64]*duban.Report{}
	for _, rep := range reps {
		byCycle[rep.CycleID] = rep
		if rep.Status == duban.ReportSubmitted {
			v.ToReview = rep
		}
	}
	seq := map[int64]int{}
	v.cycles = map[int64]*duban.Cycle{}
	for _, cy := range cycles {
		v.cycles[cy.ID] = cy
		seq[cy.ID] = cy.Seq
		if cy.PeriodStart <= today || byCycle[cy.ID] != nil {
			v.History = append(v.History, historyRow{Cycle: cy, Report: byCycle[cy.ID], Past: cy.Due < today})
		}
	}
	slices.Reverse(v.History)
	slices.SortStableFunc(reps, func(a, b *duban.Report) int { return cmp.Compare(seq[b.CycleID], seq[a.CycleID]) })
	v.Reports = reps
	if v.Cycle != nil {
		if v.Contributions, err = s.store.FindContributions(ctx, c.actor, t.ID, v.Cycle.ID); err != nil {
			return nil, fmt.Errorf("find contributions: %w", err)
		}
	}
	if v.Evidence, err = s.store.FindEvidence(ctx, c.actor, t.ID); err != nil {
		return nil, fmt.Errorf("find evidence: %w", err)
	}
	if v.Extensions, _, err = s.store.FindExtensions(ctx, c.actor, duban.ExtensionFilter{OrgID: t.OrgID, TaskID: &t.ID, Limit: 50}); err != nil {
		return nil, fmt.Errorf("find extensions: %w", err)
	}
	if v.Notices, _, err = s.store.FindNotices(ctx, c.actor, duban.NoticeFilter{OrgID: t.OrgID, TaskID: &t.ID, Limit: 50}); err != nil {
		return nil, fmt.Errorf("find notices: %w", err)
	}
	switch c.actor.Role {
	case duban.RoleAdmin, duban.RoleSupervisor:
		entity := "task"
		if v.Audit, _, err = s.store.FindAudit(ctx, duban.AuditFilter{OrgID: t.OrgID, Entity: &entity, EntityID: &t.ID, Limit: 30}); err != nil {
			return nil, fmt.Errorf("find audit: %w", err)
		}
	case duban.RoleReporter:
		if c.actor.UnitID != nil {
			units, err := s.store.FindUnits(ctx, t.OrgID)
			if err != nil {
				return nil, fmt.Errorf("find units: %w", err)
			}
			v.Leads = holds(t.LeadUnitIDs, *c.actor.UnitID, units)
			v.Shares = !v.Leads && holds(t.ResponsibleUnitIDs, *c.actor.UnitID, units)
		}
		v.ReportCycle = v.Cycle
	}
	v.fields()
	return v, nil
}

// holds reports whether unit is among ids, directly or through a group.
func holds(ids []int64, unit int64, units []*duban.Unit) bool {
	if slices.Contains(ids, unit) {
		return true
	}
	for _, u := range units {
		if u.Kind == duban.UnitGroup && slices.Contains(ids, u.ID) && slices.Contains(u.MemberIDs, unit) {
			return true
		}
	}
	return false
}

// fields builds the task page's forms from what was typed.
func (v *taskView) fields() {
	b := v.pageBase
	v.ReviewFields = []fieldView{
		v.ReviewForm.field("decision", b.T("review.decision"), "select", true,
			option{Value: "approve", Label: b.T("review.approve")},
			option{Value: "return", Label: b.T("review.return")},
			option{Value: "request_evidence", Label: b.T("review.evidence")}),
		v.ReviewForm.field("comment", b.T("review.comment"), "textarea", false),
		v.ReviewForm.field("quality", b.T("review.quality"), "select", false,
			option{Value: "", Label: b.T("form.none")}, option{Value: "5", Label: "5"}, option{Value: "4", Label: "4"},
			option{Value: "3", Label: "3"}, option{Value: "2", Label: "2"}, option{Value: "1", Label: "1"}),
	}
	v.ReviewFields[1].Hint = b.T("review.commenthint")
	v.ReviewFields[1].Rows = 3
	v.CloseField = v.CloseForm.field("reason", b.T("task.closereason"), "textarea", true)
	v.CloseField.Rows = 2
	v.NoticeFields = []fieldView{
		v.NoticeForm.field("title", b.T("notice.title"), "text", true),
		v.NoticeForm.field("body", b.T("notice.body"), "textarea", true),
		v.NoticeForm.field("deadline", b.T("notice.deadline"), "date", true),
	}
	v.NoticeFields[1].Rows = 3
	v.ExtFields = []fieldView{
		v.ExtForm.field("new_deadline", b.T("ext.newdeadline"), "date", true),
		v.ExtForm.field("reason", b.T("ext.reason"), "textarea", true),
	}
	v.ExtFields[1].Rows = 3
}

// sourceExcerpt returns the lines of a document around the line a task was
// read from: the row of the table holding it. Files other than text are read
// into lines by the document reader.
func (s *Server) sourceExcerpt(ctx context.Context, d *duban.Document, line int) []sourceLine {
	if line <= 0 {
		return nil
	}
	content, err := s.store.FindDocumentContent(ctx, d.ID)
	if err != nil {
		return nil
	}
	var lines []string
	if strings.EqualFold(path.Ext(d.FileName), ".txt") {
		if !utf8.Valid(content) {
			if dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(content); err == nil {
				content = dec
			}
		}
		content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
		lines = strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n")
	} else {
		doc, err := ingest.Read(d.FileName, content, ingest.DefaultLimits)
		if err != nil {
			return nil
		}
		lines = docLines(doc)
	}
	if line > len(lines) {
		return nil
	}
	// From the line, back to the start of its row (after an empty line) and
	// on to its end, at most a dozen lines each way.
	start, end := line-1, line-1
	for start > 0 && line-1-start < 12 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	for end+1 < len(lines) && end-(line-1) < 12 && strings.TrimSpace(lines[end+1]) != "" {
		end++
	}
	var out []sourceLine
	for i := start; i <= end; i++ {
		out = append(out, sourceLine{N: i + 1, Text: strings.ReplaceAll(lines[i], "\t", "    "), Hit: i == line-1})
	}
	return out
}

// docLines lays a read document out as numbered lines: each block and each
// table row at its line, rows' cells separated by tabs.
func docLines(doc *ingest.Doc) []string {
	var lines []string
	put := func(n int, text string) {
		if n <= 0 || n > 1<<20 {
			return
		}
		for len(lines) < n {
			lines = append(lines, "")
		}
		if lines[n-1] == "" {
			lines[n-1] = text
		} else {
			lines[n-1] += "\t" + text
		}
	}
	for _, bl := range doc.Blocks {
		if bl.Table == nil {
			put(bl.Line, bl.Text)
			continue
		}
		for _, row := range bl.Table.Rows {
			for _, cell := range row.Cells {
				if !cell.Merged {
					put(cmp.Or(cell.Line, row.Line), strings.ReplaceAll(cell.Text, "\n", " "))
				}
			}
		}
	}
	return lines
}

// reportRedirect is where a form on the task page goes back to.
func taskURL(id int64, ok string) string {
	u := "/tasks/" + strconv.FormatInt(id, 10)
	if ok != "" {
		u += "?ok=" + ok
	}
	return u
}

// taskForm shows the task page again with a form's errors.
func (s *Server) taskForm(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase, status int, set func(*taskView)) error {
	v, err := s.taskView(r, c, b)
	if err != nil {
		return err
	}
	set(v)
	v.fields()
	return s.render(ps, w, r, status, "task", v)
}

// submitTaskForm runs do when form f holds no errors and, once it is done,
// goes to done. Otherwise, or when the store refuses, it shows the task page
// again with f (set places it) keeping what was typed, the store's refusal
// under field ("" above the form). what names the action in an internal error.
func (s *Server) submitTaskForm(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase,
	f *form, field, done, what string, do func() error, set func(*taskView)) error {
	var serr error
	if f.OK() {
		if serr = do(); serr == nil {
			return redirect(w, r, done)
		}
		if err := f.Err(field, serr); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return s.taskForm(ps, w, r, c, b, f.status(serr), set)
}

func (s *Server) pageReview(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		rid, _ := strconv.ParseInt(f.V("report_id"), 10, 64)
		rv := duban.Review{Decision: duban.ReviewDecision(f.V("decision")), Comment: strings.TrimSpace(f.V("comment"))}
		switch rv.Decision {
		case duban.DecisionApprove, duban.DecisionReturn, duban.DecisionRequestEvidence:
		default:
			f.Fail("decision", b.T("review.needdecision"))
		}
		if rv.Decision != duban.DecisionApprove && rv.Comment == "" && f.E("decision") == "" {
			f.Fail("comment", b.T("review.needcomment"))
		}
		if err := checkLength("审核意见", rv.Comment, 2000); err != nil {
			f.Fail("comment", duban.ErrorMessage(err))
		}
		if q := f.V("quality"); q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < 1 || n > 5 {
				f.Fail("quality", b.T("review.badquality"))
			}
			rv.Quality = &n
		}
		if rid <= 0 {
			f.Message = b.T("review.noreport")
		}
		return s.submitTaskForm(ps, w, r, c, b, f, "", taskURL(id, "reviewed"), fmt.Sprintf("review report %d", rid),
			func() error { _, err := s.store.ReviewReport(r.Context(), c.actor, rid, rv); return err },
			func(v *taskView) { v.ReviewForm = f })
	}
}

func (s *Server) pageClose(ps *pageSet) pageFunc {
	return s.closeOrReopenPage(ps, s.store.CloseTask, "closed")
}

func (s *Server) pageReopen(ps *pageSet) pageFunc {
	return s.closeOrReopenPage(ps, s.store.ReopenTask, "reopened")
}

func (s *Server) closeOrReopenPage(ps *pageSet, op func(context.Context, duban.Actor, int64, string) error, ok string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		reason := strings.TrimSpace(f.V("reason"))
		f.need("reason", reason, b.T("task.needreason"), "理由", 2000)
		return s.submitTaskForm(ps, w, r, c, b, f, "reason", taskURL(id, ok), fmt.Sprintf("task %d", id),
			func() error { return op(r.Context(), c.actor, id, reason) },
			func(v *taskView) { v.CloseForm = f })
	}
}

func (s *Server) pageNoticeIssue(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		n := &duban.Notice{TaskID: id, Title: strings.TrimSpace(f.V("title")), Body: strings.TrimSpace(f.V("body")), Deadline: f.V("deadline")}
		f.need("title", n.Title, b.T("notice.needtitle"), "标题", 200)
		f.need("body", n.Body, b.T("notice.needbody"), "督办事项", 5000)
		if err := checkDate("反馈期限", n.Deadline); err != nil {
			f.Fail("deadline", b.T("form.baddate"))
		}
		return s.submitTaskForm(ps, w, r, c, b, f, "", taskURL(id, "notice"), "issue notice",
			func() error { return s.store.IssueNotice(r.Context(), c.actor, n) },
			func(v *taskView) { v.NoticeForm = f })
	}
}

func (s *Server) pageExtensionRequest(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		x := &duban.Extension{TaskID: id, Reason: strings.TrimSpace(f.V("reason")), NewDeadline: f.V("new_deadline")}
		if err := checkDate("新的完成时限", x.NewDeadline); err != nil {
			f.Fail("new_deadline", b.T("form.baddate"))
		} else if x.NewDeadline <= s.today() {
			f.Fail("new_deadline", b.T("ext.future"))
		}
		f.need("reason", x.Reason, b.T("ext.needreason"), "理由", 2000)
		return s.submitTaskForm(ps, w, r, c, b, f, "", taskURL(id, "extension"), "request extension",
			func() error { return s.store.RequestExtension(r.Context(), c.actor, x) },
			func(v *taskView) { v.ExtForm = f })
	}
}

// pageEvidence uploads a file of evidence for a task (to a report when
// report_id is given), then goes back where the form was: the task page or
// the report form.
func (s *Server) pageEvidence(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		release, err := s.enterUpload(r, uploadEvidence)
		if err != nil {
			return err
		}
		defer release()
		id, err := pathID(r)
		if err != nil {
			return err
		}
		set, err := s.store.FindSettings(r.Context(), c.actor, c.actor.OrgID)
		if err != nil {
			return fmt.Errorf("find settings: %w", err)
		}
		limit := min(set.MaxEvidenceBytes, s.cfg.MaxUploadBytes)
		r.Body = http.MaxBytesReader(w, r.Body, limit+8<<10)
		f := newForm(nil)
		e := &duban.Evidence{TaskID: id}
		back := ""
		if err := r.ParseMultipartForm(limit + 8<<10); err != nil {
			f.Fail("file", uploadMessage(err, limit))
		} else {
			back = localPath(r.FormValue("back"))
			if rid := r.FormValue("report_id"); rid != "" {
				n, err := strconv.ParseInt(rid, 10, 64)
				if err == nil && n > 0 {
					e.ReportID = &n
				}
			}
			file, hdr, err := r.FormFile("file")
			if err != nil {
				f.Fail("file", b.T("evidence.needfile"))
			} else {
				defer file.Close()
				e.FileName = path.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
				e.Content, _ = io.ReadAll(io.LimitReader(file, limit+1))
				switch {
				case int64(len(e.Content)) > limit:
					f.Fail("file", fmt.Sprintf(b.T("evidence.toolarge"), formatBytes(limit)))
				case len(e.Content) == 0:
					f.Fail("file", b.T("evidence.empty"))
				default:
					if e.ContentType, err = evidenceType(e.FileName, e.Content); err != nil {
						f.Fail("file", duban.ErrorMessage(err))
					}
				}
			}
		}
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		done := taskURL(id, "evidence")
		if back != "/" && back != "" {
			done = back + "?ok=evidence"
		}
		return s.submitTaskForm(ps, w, r, c, b, f, "file", done, "add evidence",
			func() error { return s.store.AddEvidence(r.Context(), c.actor, e) },
			func(v *taskView) { v.EvidenceForm = f })
	}
}

// uploadMessage says why an upload could not be read.
func uploadMessage(err error, limit int64) string {
	_, detail := classify(err)
	if detail.Code == codeTooLarge {
		return fmt.Sprintf("文件过大：不能超过 %s", formatBytes(limit))
	}
	return "上传内容不完整或格式错误"
}

// Days is how many days are left until a date (negative once past).
func (b *pageBase) Days(date string) int {
	d, err := time.Parse(time.DateOnly, date)
	t, err2 := time.Parse(time.DateOnly, b.Today)
	if err != nil || err2 != nil {
		return 0
	}
	return int(d.Sub(t).Hours() / 24)
}

// CycleLabel names a cycle of the task's year: 2024年3月.
func (v *taskView) CycleLabel(id int64) string {
	if c, ok := v.cycles[id]; ok {
		return c.Label
	}
	return "—"
}

// Figure is the newest figure reported for a target, with its note.
func (v *taskView) Figure(targetID int64) string {
	for _, rep := range v.Reports {
		for _, f := range rep.Figures {
			if f.TargetID == targetID {
				s := strconv.FormatFloat(f.Value, 'f', -1, 64)
				if f.Note != "" {
					s += "（" + f.Note + "）"
				}
				return s + " · " + v.CycleLabel(rep.CycleID)
			}
		}
	}
	return "—"
}

// Decision, NoticeStatus, ExtStatus and Action name values in the page's
// language.
func (b *pageBase) Decision(d duban.ReviewDecision) string   { return b.T("decision." + string(d)) }
func (b *pageBase) NoticeStatus(s duban.NoticeStatus) string { return b.T("notice." + string(s)) }
func (b *pageBase) ExtStatus(s duban.ExtensionStatus) string { return b.T("ext." + string(s)) }
func (b *pageBase) Action(a string) string {
	if b.Lang.has("audit." + a) {
		return b.T("audit." + a)
	}
	return a
}

// Measure names what a target measures, in brackets: （增速）; "" for other
// measures.
func (b *pageBase) Measure(m string) string {
	if m == "" || m == "other" || !b.Lang.has("measure."+m) {
		return ""
	}
	return "（" + b.T("measure."+m) + "）"
}
