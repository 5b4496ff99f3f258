package web

import (
	"fmt"
	"net/http"
	"strconv"

	"duban"
)

type reportList struct {
	Reports []*duban.Report `json:"reports"`
	Total   int             `json:"total"`
	Limit   int             `json:"limit"`
	Offset  int             `json:"offset"`
}

// Reports are listed 50 at a time by default, at most 500.
const (
	defaultReportLimit = 50
	maxReportLimit     = 500
)

// handleReportIndex lists the reports the caller may read:
// ?task_id=&cycle_id=&unit_id=&status=&year=&org_id=&limit=&offset=. The
// office sees submitted reports, units also their drafts.
func (s *Server) handleReportIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	var f duban.ReportFilter
	var err error
	if f.OrgID, err = s.orgParam(r, c); err != nil {
		return err
	}
	if f.TaskID, err = queryInt64(q, "task_id"); err != nil {
		return err
	}
	if f.CycleID, err = queryInt64(q, "cycle_id"); err != nil {
		return err
	}
	if f.UnitID, err = queryInt64(q, "unit_id"); err != nil {
		return err
	}
	if f.Year, err = queryInt(q, "year"); err != nil {
		return err
	}
	if st := queryString(q, "status"); st != nil {
		status := duban.ReportStatus(*st)
		switch status {
		case duban.ReportDraft, duban.ReportSubmitted, duban.ReportReturned, duban.ReportEvidenceRequested, duban.ReportApproved:
		default:
			return duban.Errorf(duban.CodeInvalid, "参数 status 应为 draft、submitted、returned、evidence_requested 或 approved")
		}
		f.Status = &status
	}
	if f.Limit, f.Offset, err = page(q, defaultReportLimit, maxReportLimit); err != nil {
		return err
	}
	reports, total, err := s.store.FindReports(r.Context(), c.actor, f)
	if err != nil {
		return fmt.Errorf("find reports: %w", err)
	}
	return writeJSON(w, http.StatusOK, reportList{Reports: nonNil(reports), Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handleReportShow returns one report with its evidence and reviews.
func (s *Server) handleReportShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := s.store.FindReportByID(r.Context(), c.actor, id)
	if err != nil {
		return fmt.Errorf("find report %d: %w", id, err)
	}
	return writeJSON(w, http.StatusOK, rep)
}

// taskCycle reads the {id} (task) and {cycle} path parameters.
func taskCycle(r *http.Request) (taskID, cycleID int64, err error) {
	if taskID, err = pathID(r); err != nil {
		return 0, 0, err
	}
	cycleID, err = strconv.ParseInt(r.PathValue("cycle"), 10, 64)
	if err != nil || cycleID <= 0 {
		return 0, 0, duban.Errorf(duban.CodeInvalid, "路径中的填报周期编号无效")
	}
	return taskID, cycleID, nil
}

// handleTaskReportShow returns a task's report for a cycle; 404 when none
// was started.
func (s *Server) handleTaskReportShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	taskID, cycleID, err := taskCycle(r)
	if err != nil {
		return err
	}
	reports, _, err := s.store.FindReports(r.Context(), c.actor, duban.ReportFilter{TaskID: &taskID, CycleID: &cycleID, Limit: 1})
	if err != nil {
		return fmt.Errorf("find report: %w", err)
	}
	if len(reports) == 0 {
		return duban.Errorf(duban.CodeNotFound, "本期报告尚未填报")
	}
	return writeJSON(w, http.StatusOK, reports[0])
}

// handleTaskReportPrevious returns the task's latest report of a cycle
// before {cycle}, for the unit to copy last period's text; 404 when there is
// none.
func (s *Server) handleTaskReportPrevious(w http.ResponseWriter, r *http.Request, c *caller) error {
	taskID, cycleID, err := taskCycle(r)
	if err != nil {
		return err
	}
	cycles, err := s.store.FindCycles(r.Context(), c.actor, c.actor.OrgID, 0)
	if err != nil {
		return fmt.Errorf("find cycles: %w", err)
	}
	seq := map[int64][2]int{} // cycle → year, seq
	for _, cy := range cycles {
		seq[cy.ID] = [2]int{cy.Year, cy.Seq}
	}
	this, ok := seq[cycleID]
	if !ok {
		return duban.Errorf(duban.CodeNotFound, "填报周期不存在")
	}
	reports, _, err := s.store.FindReports(r.Context(), c.actor, duban.ReportFilter{TaskID: &taskID, Limit: maxReportLimit})
	if err != nil {
		return fmt.Errorf("find reports: %w", err)
	}
	// Newest cycle first: the first one before this cycle.
	for _, rep := range reports {
		if p := seq[rep.CycleID]; p[0] < this[0] || p[0] == this[0] && p[1] < this[1] {
			return writeJSON(w, http.StatusOK, rep)
		}
	}
	return duban.Errorf(duban.CodeNotFound, "没有上一期报告")
}

// handleTaskReportSave saves the draft of a task's report for a cycle: the
// lead unit's reporter only. version is the report's version as read (0 for
// a report not started); a stale one gets 409.
func (s *Server) handleTaskReportSave(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.writeReport(w, r, c, false)
}

// handleTaskReportSubmit saves and submits a task's report for a cycle. The
// answer comes once the report is on disk.
func (s *Server) handleTaskReportSubmit(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.writeReport(w, r, c, true)
}

func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, c *caller, submit bool) (err error) {
	if submit {
		defer func() { s.countSubmission(err) }()
	}
	taskID, cycleID, err := taskCycle(r)
	if err != nil {
		return err
	}
	var content duban.ReportContent
	if err := decodeJSON(w, r, &content); err != nil {
		return err
	}
	save := s.store.SaveReport
	if submit {
		save = s.store.SubmitReport
	}
	rep, err := save(r.Context(), c.actor, taskID, cycleID, content)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return writeJSON(w, http.StatusOK, rep)
}

type reviewRequest struct {
	Decision duban.ReviewDecision `json:"decision"`
	Comment  string               `json:"comment"`
	Quality  *int                 `json:"quality"`
}

// handleReviewCreate records the office's decision on a submitted report:
// {"decision": "approve" | "return" | "request_evidence", "comment", "quality"}.
func (s *Server) handleReviewCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var rv reviewRequest
	if err := decodeJSON(w, r, &rv); err != nil {
		return err
	}
	rep, err := s.store.ReviewReport(r.Context(), c.actor, id, duban.Review{Decision: rv.Decision, Comment: rv.Comment, Quality: rv.Quality})
	if err != nil {
		return fmt.Errorf("review report %d: %w", id, err)
	}
	return writeJSON(w, http.StatusOK, rep)
}

type contributionList struct {
	Contributions []*duban.Contribution `json:"contributions"`
}

// handleContributionIndex lists the responsible units' parts of a task's
// report for a cycle.
func (s *Server) handleContributionIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	taskID, cycleID, err := taskCycle(r)
	if err != nil {
		return err
	}
	cs, err := s.store.FindContributions(r.Context(), c.actor, taskID, cycleID)
	if err != nil {
		return fmt.Errorf("find contributions: %w", err)
	}
	return writeJSON(w, http.StatusOK, contributionList{Contributions: nonNil(cs)})
}

// handleContributionSave saves the caller's unit's part of a task's report:
// a responsible unit's reporter only.
func (s *Server) handleContributionSave(w http.ResponseWriter, r *http.Request, c *caller) error {
	taskID, cycleID, err := taskCycle(r)
	if err != nil {
		return err
	}
	var content duban.ReportContent
	if err := decodeJSON(w, r, &content); err != nil {
		return err
	}
	part, err := s.store.SaveContribution(r.Context(), c.actor, taskID, cycleID, content)
	if err != nil {
		return fmt.Errorf("save contribution: %w", err)
	}
	return writeJSON(w, http.StatusOK, part)
}
