package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"duban"
)

// inboxView is the supervision office's work: reports to review, tasks
// whose report is overdue, what was sent, supervision notices and extension
// requests.
type inboxView struct {
	*pageBase
	ToReview     []*duban.Report
	Overdue      []*duban.Task
	OverdueMore  int
	DueCycle     *duban.Cycle
	Deliveries   []*duban.Delivery
	DeliveryN    int
	Channels     map[int64]string
	Notices      []*duban.Notice
	Extensions   []*duban.Extension
	ExtForms     map[int64]*form
	tasks        map[int64]*duban.Task
	cycles       map[int64]*duban.Cycle
	Year         int
	ReviewTotal  int
	OverdueTotal int
}

// inboxListMax bounds the overdue list.
const inboxListMax = 30

func (s *Server) pageInbox(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		v, err := s.inboxView(r, c, b)
		if err != nil {
			return err
		}
		return s.render(ps, w, r, http.StatusOK, "inbox", v)
	}
}

func (s *Server) inboxView(r *http.Request, c *caller, b *pageBase) (*inboxView, error) {
	ctx := r.Context()
	org := c.actor.OrgID
	b.Title = b.T("inbox.title")
	b.Active = "nav.inbox"
	v := &inboxView{pageBase: b, ExtForms: map[int64]*form{}, tasks: map[int64]*duban.Task{},
		cycles: map[int64]*duban.Cycle{}, Channels: map[int64]string{}}
	all, err := s.allTasks(ctx, c.actor, duban.TaskFilter{OrgID: org})
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		v.tasks[t.ID] = t
	}
	v.Year = s.pickYear(r, taskYears(all))
	cycles, err := s.store.FindCycles(ctx, c.actor, org, v.Year)
	if err != nil {
		return nil, fmt.Errorf("find cycles: %w", err)
	}
	today := s.today()
	for _, cy := range cycles {
		v.cycles[cy.ID] = cy
		if cy.GraceEnd < today {
			v.DueCycle = cy
		}
	}
	submitted := duban.ReportSubmitted
	if v.ToReview, v.ReviewTotal, err = s.store.FindReports(ctx, c.actor, duban.ReportFilter{OrgID: org, Status: &submitted, Limit: 100}); err != nil {
		return nil, fmt.Errorf("find reports: %w", err)
	}
	if v.DueCycle != nil {
		id := v.DueCycle.ID
		sent := map[int64]bool{}
		for offset := 0; ; offset += maxReportLimit {
			reps, total, err := s.store.FindReports(ctx, c.actor, duban.ReportFilter{OrgID: org, CycleID: &id, Limit: maxReportLimit, Offset: offset})
			if err != nil {
				return nil, fmt.Errorf("find reports: %w", err)
			}
			for _, rep := range reps {
				if rep.Status != duban.ReportDraft {
					sent[rep.TaskID] = true
				}
			}
			if len(reps) == 0 || offset+len(reps) >= total {
				break
			}
		}
		for _, t := range ofYear(all, v.Year) {
			if !sent[t.ID] && t.Status != duban.StatusClosed && t.Status != duban.StatusDone && len(t.LeadUnitIDs) > 0 {
				v.Overdue = append(v.Overdue, t)
			}
		}
		v.OverdueTotal = len(v.Overdue)
		if len(v.Overdue) > inboxListMax {
			v.OverdueMore, v.Overdue = len(v.Overdue)-inboxListMax, v.Overdue[:inboxListMax]
		}
	}
	if v.Deliveries, v.DeliveryN, err = s.store.FindDeliveries(ctx, c.actor, org, 20, 0); err != nil {
		return nil, fmt.Errorf("find deliveries: %w", err)
	}
	chans, err := s.store.FindChannels(ctx, c.actor, org)
	if err != nil {
		return nil, fmt.Errorf("find channels: %w", err)
	}
	for _, ch := range chans {
		v.Channels[ch.ID] = ch.Name
	}
	notices, _, err := s.store.FindNotices(ctx, c.actor, duban.NoticeFilter{OrgID: org, Limit: 100})
	if err != nil {
		return nil, fmt.Errorf("find notices: %w", err)
	}
	for _, n := range notices {
		if n.Status != duban.NoticeClosed {
			v.Notices = append(v.Notices, n)
		}
	}
	pending := duban.ExtensionPending
	if v.Extensions, _, err = s.store.FindExtensions(ctx, c.actor, duban.ExtensionFilter{OrgID: org, Status: &pending, Limit: 100}); err != nil {
		return nil, fmt.Errorf("find extensions: %w", err)
	}
	for _, x := range v.Extensions {
		v.ExtForms[x.ID] = newForm(nil)
	}
	return v, nil
}

// TaskOf returns a task by ID (nil outside the caller's scope).
func (v *inboxView) TaskOf(id int64) *duban.Task { return v.tasks[id] }

// CycleLabel names a cycle.
func (v *inboxView) CycleLabel(id int64) string {
	if c, ok := v.cycles[id]; ok {
		return c.Label
	}
	return "—"
}

// pageNoticeClose closes a supervision notice (办结).
func (s *Server) pageNoticeClose(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if _, err := s.store.CloseNotice(r.Context(), c.actor, id); err != nil {
			return fmt.Errorf("close notice %d: %w", id, err)
		}
		return redirect(w, r, "/inbox?ok=noticeclosed#notices")
	}
}

// pageExtensionDecide approves or rejects an extension request; a
// rejection says why.
func (s *Server) pageExtensionDecide(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := parseForm(w, r, maxFormBytes); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		comment := strings.TrimSpace(f.V("comment"))
		approve := f.V("approve") == "1"
		if f.V("approve") != "1" && f.V("approve") != "0" {
			f.Fail("approve", b.T("review.needdecision"))
		}
		if !approve && comment == "" && f.E("approve") == "" {
			f.Fail("comment", b.T("ext.needcomment"))
		}
		if err := checkLength("意见", comment, 2000); err != nil {
			f.Fail("comment", duban.ErrorMessage(err))
		}
		var serr error
		if f.OK() {
			if _, serr = s.store.DecideExtension(r.Context(), c.actor, id, approve, comment); serr == nil {
				return redirect(w, r, "/inbox?ok=decided#extensions")
			}
			if err := f.Err("comment", serr); err != nil {
				return fmt.Errorf("decide extension %d: %w", id, err)
			}
		}
		v, err := s.inboxView(r, c, b)
		if err != nil {
			return err
		}
		v.ExtForms[id] = f
		return s.render(ps, w, r, f.status(serr), "inbox", v)
	}
}

// itoa writes an ID for a link.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }
