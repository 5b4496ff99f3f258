package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"duban"
)

// checkDate refuses a value that is not an ISO date (2024-07-05).
func checkDate(field, s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return duban.Errorf(duban.CodeInvalid, "%s应为日期，如 2024-07-05（收到“%s”）", field, s)
	}
	return nil
}

// orgYear reads ?org_id= and ?year=.
func (s *Server) orgYear(r *http.Request, c *caller) (org int64, year int, err error) {
	if org, err = s.orgParam(r, c); err != nil {
		return 0, 0, err
	}
	year, err = s.yearParam(r)
	return org, year, err
}

// yearParam reads ?year=, the current year in the server's time zone by
// default.
func (s *Server) yearParam(r *http.Request) (int, error) {
	y, err := queryInt(r.URL.Query(), "year")
	if err != nil {
		return 0, err
	}
	if y == nil {
		return s.now().In(s.cfg.location()).Year(), nil
	}
	if *y < 2000 || *y > 2100 {
		return 0, duban.Errorf(duban.CodeInvalid, "参数 year 应在 2000 到 2100 之间")
	}
	return *y, nil
}

type cycleList struct {
	Cycles []*duban.Cycle `json:"cycles"`
}

// handleCycleIndex lists an organisation's reporting cycles of a year.
func (s *Server) handleCycleIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	cycles, err := s.store.FindCycles(r.Context(), c.actor, org, year)
	if err != nil {
		return fmt.Errorf("find cycles: %w", err)
	}
	return writeJSON(w, http.StatusOK, cycleList{Cycles: nonNil(cycles)})
}

type scheduleResponse struct {
	Schedule *duban.Schedule `json:"schedule"`
	Cycles   []*duban.Cycle  `json:"cycles"`
}

// handleScheduleShow returns an organisation's schedule of a year with its
// cycles; 404 when none was set.
func (s *Server) handleScheduleShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	sc, err := s.store.FindSchedule(r.Context(), c.actor, org, year)
	if err != nil {
		return fmt.Errorf("find schedule: %w", err)
	}
	cycles, err := s.store.FindCycles(r.Context(), c.actor, org, year)
	if err != nil {
		return fmt.Errorf("find cycles: %w", err)
	}
	return writeJSON(w, http.StatusOK, scheduleResponse{Schedule: sc, Cycles: nonNil(cycles)})
}

type scheduleRequest struct {
	Year      int                `json:"year"`
	Kind      duban.ScheduleKind `json:"kind"`
	Day       int                `json:"day"`
	Dates     []string           `json:"dates"`
	GraceDays int                `json:"grace_days"`
	Shift     duban.Shift        `json:"shift"`
}

// handleScheduleUpdate sets the schedule of a year of the admin's
// organisation and opens its cycles, computed with the organisation's
// calendar.
func (s *Server) handleScheduleUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	var req scheduleRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sc := duban.Schedule{OrgID: org, Year: req.Year, Kind: req.Kind, Day: req.Day, Dates: nonNil(req.Dates),
		GraceDays: req.GraceDays, Shift: req.Shift}
	if sc.Year < 2000 || sc.Year > 2100 {
		return duban.Errorf(duban.CodeInvalid, "年度应在 2000 到 2100 之间")
	}
	for _, d := range sc.Dates {
		if err := checkDate("截止日期", d); err != nil {
			return err
		}
	}
	if sc.Shift == "" {
		sc.Shift = duban.ShiftBefore
	}
	days, err := s.store.FindCalendar(r.Context(), c.actor, org)
	if err != nil {
		return fmt.Errorf("find calendar: %w", err)
	}
	cycles, err := s.cycles(sc, days)
	if err != nil {
		return err
	}
	if err := s.store.SetSchedule(r.Context(), c.actor, &sc, cycles); err != nil {
		return fmt.Errorf("set schedule: %w", err)
	}
	stored, err := s.store.FindCycles(r.Context(), c.actor, org, sc.Year)
	if err != nil {
		return fmt.Errorf("find cycles: %w", err)
	}
	return writeJSON(w, http.StatusOK, scheduleResponse{Schedule: &sc, Cycles: nonNil(stored)})
}

type calendarBody struct {
	Days []duban.CalendarDay `json:"days"`
}

// handleCalendarShow lists the holidays and 调休 days of an organisation.
func (s *Server) handleCalendarShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	days, err := s.store.FindCalendar(r.Context(), c.actor, org)
	if err != nil {
		return fmt.Errorf("find calendar: %w", err)
	}
	return writeJSON(w, http.StatusOK, calendarBody{Days: nonNil(days)})
}

// handleCalendarUpdate replaces them. Cycles already set keep their due
// dates until the schedule is set again.
func (s *Server) handleCalendarUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	var body calendarBody
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if len(body.Days) > 1000 {
		return duban.Errorf(duban.CodeInvalid, "节假日不能超过 1000 天")
	}
	for _, d := range body.Days {
		if err := checkDate("日期", d.Date); err != nil {
			return err
		}
	}
	if err := s.store.SetCalendar(r.Context(), c.actor, org, body.Days); err != nil {
		return fmt.Errorf("set calendar: %w", err)
	}
	return writeJSON(w, http.StatusOK, calendarBody{Days: nonNil(body.Days)})
}

// handleSettingsShow returns the settings of an organisation's reporting
// loop.
func (s *Server) handleSettingsShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	set, err := s.store.FindSettings(r.Context(), c.actor, org)
	if err != nil {
		return fmt.Errorf("find settings: %w", err)
	}
	return writeJSON(w, http.StatusOK, set)
}

// handleSettingsUpdate replaces them, within sensible bounds.
func (s *Server) handleSettingsUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	var set duban.OrgSettings
	if err := decodeJSON(w, r, &set); err != nil {
		return err
	}
	switch {
	case set.RemindBeforeDays < 0 || set.RemindBeforeDays > 30:
		return duban.Errorf(duban.CodeInvalid, "提前提醒天数应在 0 到 30 之间")
	case set.EscalateAfterDays < 0 || set.EscalateAfterDays > 60:
		return duban.Errorf(duban.CodeInvalid, "逾期升级天数应在 0 到 60 之间")
	case set.SkipIfReportedWithinDays < 0 || set.SkipIfReportedWithinDays > 60:
		return duban.Errorf(duban.CodeInvalid, "近期已报送免提醒天数应在 0 到 60 之间")
	case set.SoonDays < 0 || set.SoonDays > 30:
		return duban.Errorf(duban.CodeInvalid, "临近截止天数应在 0 到 30 之间")
	case set.YellowBelow < 0 || set.RedBelow < set.YellowBelow || set.RedBelow > 100:
		return duban.Errorf(duban.CodeInvalid, "黄灯、红灯阈值应满足 0 ≤ 黄灯 ≤ 红灯 ≤ 100")
	case set.Tolerance < 0 || set.Tolerance > 0.5:
		return duban.Errorf(duban.CodeInvalid, "“左右”的容差应在 0 到 0.5 之间")
	case set.MaxEvidenceBytes < 1<<10 || set.MaxEvidenceBytes > s.cfg.MaxUploadBytes:
		return duban.Errorf(duban.CodeInvalid, "佐证材料大小上限应在 1 KB 到 %s 之间", formatBytes(s.cfg.MaxUploadBytes))
	}
	if err := s.store.UpdateSettings(r.Context(), c.actor, org, set); err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	return writeJSON(w, http.StatusOK, set)
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

// handleTaskClose closes a task (销号): the office only, on evidence and an
// approved report.
func (s *Server) handleTaskClose(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.closeOrReopen(w, r, c, s.store.CloseTask)
}

// handleTaskReopen reopens a closed task, with a reason.
func (s *Server) handleTaskReopen(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.closeOrReopen(w, r, c, s.store.ReopenTask)
}

func (s *Server) closeOrReopen(w http.ResponseWriter, r *http.Request, c *caller, op func(context.Context, duban.Actor, int64, string) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := op(r.Context(), c.actor, id, req.Reason); err != nil {
		return fmt.Errorf("task %d: %w", id, err)
	}
	t, err := s.store.FindTaskByID(r.Context(), c.actor, id)
	if err != nil {
		return fmt.Errorf("find task %d: %w", id, err)
	}
	fillTask(t)
	return writeJSONBytes(w, http.StatusOK, append(appendTask(nil, t), '\n'))
}

type extensionRequest struct {
	Reason      string `json:"reason"`
	NewDeadline string `json:"new_deadline"`
}

// handleExtensionCreate records the lead unit's request for more time.
func (s *Server) handleExtensionCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req extensionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := checkDate("新的完成时限", req.NewDeadline); err != nil {
		return err
	}
	if req.NewDeadline <= s.now().In(s.cfg.location()).Format(time.DateOnly) {
		return duban.Errorf(duban.CodeInvalid, "新的完成时限应晚于今天")
	}
	x := &duban.Extension{TaskID: id, Reason: req.Reason, NewDeadline: req.NewDeadline}
	if err := s.store.RequestExtension(r.Context(), c.actor, x); err != nil {
		return fmt.Errorf("request extension: %w", err)
	}
	return writeJSON(w, http.StatusCreated, x)
}

type decisionRequest struct {
	Approve bool   `json:"approve"`
	Comment string `json:"comment"`
}

// handleExtensionDecide approves or rejects a pending request: the office
// only.
func (s *Server) handleExtensionDecide(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req decisionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	x, err := s.store.DecideExtension(r.Context(), c.actor, id, req.Approve, strings.TrimSpace(req.Comment))
	if err != nil {
		return fmt.Errorf("decide extension %d: %w", id, err)
	}
	return writeJSON(w, http.StatusOK, x)
}

// taskList reads the parameters of a list about tasks: ?org_id=, ?task_id=,
// the page, and ?status= (one of statuses, "" when absent).
func (s *Server) taskList(r *http.Request, c *caller, org *int64, taskID **int64, limit, offset *int, statuses ...string) (string, error) {
	q := r.URL.Query()
	var err error
	if *org, err = s.orgParam(r, c); err != nil {
		return "", err
	}
	if *taskID, err = queryInt64(q, "task_id"); err != nil {
		return "", err
	}
	if *limit, *offset, err = page(q, defaultReportLimit, maxReportLimit); err != nil {
		return "", err
	}
	st := queryString(q, "status")
	if st == nil {
		return "", nil
	}
	if !slices.Contains(statuses, *st) {
		return "", duban.Errorf(duban.CodeInvalid, "参数 status 应为 %s", strings.Join(statuses, "、"))
	}
	return *st, nil
}

type extensionList struct {
	Extensions []*duban.Extension `json:"extensions"`
	Total      int                `json:"total"`
}

// handleExtensionIndex lists extension requests: ?status=&task_id=.
func (s *Server) handleExtensionIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	var f duban.ExtensionFilter
	status, err := s.taskList(r, c, &f.OrgID, &f.TaskID, &f.Limit, &f.Offset, "pending", "approved", "rejected")
	if err != nil {
		return err
	}
	if status != "" {
		st := duban.ExtensionStatus(status)
		f.Status = &st
	}
	list, total, err := s.store.FindExtensions(r.Context(), c.actor, f)
	if err != nil {
		return fmt.Errorf("find extensions: %w", err)
	}
	return writeJSON(w, http.StatusOK, extensionList{Extensions: nonNil(list), Total: total})
}

type noticeRequest struct {
	TaskID   int64  `json:"task_id"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	Deadline string `json:"deadline"`
}

// handleNoticeCreate issues a supervision notice (督办单): the office only.
func (s *Server) handleNoticeCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req noticeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := checkDate("反馈期限", req.Deadline); err != nil {
		return err
	}
	n := &duban.Notice{TaskID: req.TaskID, Title: req.Title, Body: req.Body, Deadline: req.Deadline}
	if err := s.store.IssueNotice(r.Context(), c.actor, n); err != nil {
		return fmt.Errorf("issue notice: %w", err)
	}
	return writeJSON(w, http.StatusCreated, n)
}

type responseRequest struct {
	Response string `json:"response"`
}

// handleNoticeRespond records the lead unit's response.
func (s *Server) handleNoticeRespond(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req responseRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	n, err := s.store.RespondNotice(r.Context(), c.actor, id, req.Response)
	if err != nil {
		return fmt.Errorf("respond to notice %d: %w", id, err)
	}
	return writeJSON(w, http.StatusOK, n)
}

// handleNoticeClose closes a notice (办结): the office only.
func (s *Server) handleNoticeClose(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.store.CloseNotice(r.Context(), c.actor, id)
	if err != nil {
		return fmt.Errorf("close notice %d: %w", id, err)
	}
	return writeJSON(w, http.StatusOK, n)
}

type noticeList struct {
	Notices []*duban.Notice `json:"notices"`
	Total   int             `json:"total"`
}

// handleNoticeIndex lists notices: ?status=&task_id=.
func (s *Server) handleNoticeIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	var f duban.NoticeFilter
	status, err := s.taskList(r, c, &f.OrgID, &f.TaskID, &f.Limit, &f.Offset, "open", "responded", "closed")
	if err != nil {
		return err
	}
	if status != "" {
		st := duban.NoticeStatus(status)
		f.Status = &st
	}
	list, total, err := s.store.FindNotices(r.Context(), c.actor, f)
	if err != nil {
		return fmt.Errorf("find notices: %w", err)
	}
	return writeJSON(w, http.StatusOK, noticeList{Notices: nonNil(list), Total: total})
}
