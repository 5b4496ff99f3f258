package web

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"duban"
)

// Page sizes of the task list (the store's own bounds).
const (
	defaultTaskLimit = 50
	maxTaskLimit     = 500
)

type taskList struct {
	Tasks  []*duban.Task `json:"tasks"`
	Total  int           `json:"total"`
	Limit  int           `json:"limit"`
	Offset int           `json:"offset"`
}

// handleTaskIndex lists a page of the tasks the caller may see:
// ?section=&leader_id=&unit_id=&status=&q=&year=&org_id=&rollup=&limit=&offset=.
// A reporter gets only their unit's tasks; the store applies that scope.
func (s *Server) handleTaskIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	f := duban.TaskFilter{
		Section: queryString(q, "section"),
		Query:   queryString(q, "q"),
	}
	var err error
	if f.OrgID, err = s.orgParam(r, c); err != nil {
		return err
	}
	if f.Rollup, err = queryBool(q, "rollup"); err != nil {
		return err
	}
	if f.Year, err = queryInt(q, "year"); err != nil {
		return err
	}
	if f.LeaderID, err = queryInt64(q, "leader_id"); err != nil {
		return err
	}
	if f.UnitID, err = queryInt64(q, "unit_id"); err != nil {
		return err
	}
	if st := queryString(q, "status"); st != nil {
		status := duban.TaskStatus(*st)
		if !validStatus(status) {
			return duban.Errorf(duban.CodeInvalid, "参数 status 应为 not_started、on_track、behind、done 或 closed")
		}
		f.Status = &status
	}
	if f.Query != nil {
		if err := checkLength("搜索词", *f.Query, 100); err != nil {
			return err
		}
	}
	if f.Limit, f.Offset, err = page(q, defaultTaskLimit, maxTaskLimit); err != nil {
		return err
	}
	// A page of the ledger seen whole is answered from ledgerPages while the
	// ledger's version stands still.
	version, err := s.store.LedgerVersion(r.Context(), c.actor, f)
	if err != nil {
		return fmt.Errorf("ledger version: %w", err)
	}
	var key, etag string
	if version != "" {
		key, etag = ledgerPageKey(version, f), `"`+s.epoch+"-"+version+`"`
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			setLedgerVersion(w, etag)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		if body := s.ledgerPages.get(key); body != nil {
			setLedgerVersion(w, etag)
			return writeJSONBytes(w, http.StatusOK, body)
		}
	}
	tasks, total, err := s.store.FindTasks(r.Context(), c.actor, f)
	if err != nil {
		return fmt.Errorf("find tasks: %w", err)
	}
	for _, t := range tasks {
		fillTask(t)
	}
	if version != "" {
		body := appendTaskList(nil, taskList{Tasks: nonNil(tasks), Total: total, Limit: f.Limit, Offset: f.Offset})
		// The page was read in a transaction of its own: it is the page of
		// version only if the version has not moved on meanwhile.
		if now, err := s.store.LedgerVersion(r.Context(), c.actor, f); err == nil && now == version {
			s.ledgerPages.put(key, body)
			setLedgerVersion(w, etag)
		}
		return writeJSONBytes(w, http.StatusOK, body)
	}
	buf := jsonBuffers.Get().(*[]byte)
	*buf = appendTaskList((*buf)[:0], taskList{Tasks: nonNil(tasks), Total: total, Limit: f.Limit, Offset: f.Offset})
	err = writeJSONBytes(w, http.StatusOK, *buf)
	if cap(*buf) <= maxPooledJSON {
		jsonBuffers.Put(buf)
	}
	return err
}

// setLedgerVersion marks an answer as the page of the ledger version etag
// names: a client may ask again with If-None-Match, and must.
func setLedgerVersion(w http.ResponseWriter, etag string) {
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
}

// etagMatch reports whether an If-None-Match header names etag (or is *).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// jsonBuffers keeps the buffers task lists are encoded into: a district's
// ledger is a quarter of a megabyte, and allocating it on every request keeps
// the collector busy.
var jsonBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledJSON bounds the buffers kept in jsonBuffers.
const maxPooledJSON = 4 << 20

func validStatus(s duban.TaskStatus) bool {
	switch s {
	case duban.StatusNotStarted, duban.StatusOnTrack, duban.StatusBehind, duban.StatusDone, duban.StatusClosed:
		return true
	}
	return false
}

// handleTaskShow returns one task; 404 for a task outside the caller's scope.
func (s *Server) handleTaskShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.store.FindTaskByID(r.Context(), c.actor, id)
	if err != nil {
		return fmt.Errorf("find task %d: %w", id, err)
	}
	fillTask(t)
	return writeJSONBytes(w, http.StatusOK, append(appendTask(nil, t), '\n'))
}

type taskUpdateRequest struct {
	Version            *int     `json:"version"`
	Content            *string  `json:"content"`
	Note               *string  `json:"note"`
	Deadline           *string  `json:"deadline"`
	LeaderIDs          *[]int64 `json:"leader_ids"`
	LeadUnitIDs        *[]int64 `json:"lead_unit_ids"`
	ResponsibleUnitIDs *[]int64 `json:"responsible_unit_ids"`
}

// conflictBody is a 409 for a stale edit, with the task as it now stands so
// that the editor can merge and retry.
type conflictBody struct {
	Error   errorDetail `json:"error"`
	Current *duban.Task `json:"current"`
}

// handleTaskUpdate edits a task. The body names the version the editor read;
// when someone saved in between, nothing is overwritten and the answer is 409
// with the current task.
func (s *Server) handleTaskUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req taskUpdateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Version == nil {
		return duban.Errorf(duban.CodeInvalid, "缺少 version：请带上读取任务时的版本号")
	}
	up := duban.TaskUpdate{
		Version:            *req.Version,
		Note:               req.Note,
		Deadline:           req.Deadline,
		LeaderIDs:          req.LeaderIDs,
		LeadUnitIDs:        req.LeadUnitIDs,
		ResponsibleUnitIDs: req.ResponsibleUnitIDs,
	}
	if req.Content != nil {
		content, err := cleanName("任务内容", *req.Content, 10000)
		if err != nil {
			return err
		}
		up.Content = &content
	}
	if req.Note != nil {
		if err := checkLength("备注", *req.Note, 10000); err != nil {
			return err
		}
	}
	if req.Deadline != nil {
		if err := checkLength("完成时限", *req.Deadline, 200); err != nil {
			return err
		}
	}
	t, err := s.store.UpdateTask(r.Context(), c.actor, id, up)
	if duban.ErrorCode(err) == duban.CodeConflict {
		return s.writeConflict(w, r, c, id, t, err)
	}
	if err != nil {
		return fmt.Errorf("update task %d: %w", id, err)
	}
	fillTask(t)
	return writeJSON(w, http.StatusOK, t)
}

// writeConflict answers a stale edit with the current task: the one the
// store returned beside the conflict, or a fresh read.
func (s *Server) writeConflict(w http.ResponseWriter, r *http.Request, c *caller, id int64, current *duban.Task, conflict error) error {
	if current == nil {
		var err error
		current, err = s.store.FindTaskByID(r.Context(), c.actor, id)
		if err != nil {
			return fmt.Errorf("find task %d after conflict: %w", id, err)
		}
	}
	fillTask(current)
	_, detail := classify(conflict)
	detail.RequestID = requestID(r.Context())
	return writeJSON(w, http.StatusConflict, conflictBody{Error: detail, Current: current})
}

// fillTask makes a task's lists [] rather than null in JSON.
func fillTask(t *duban.Task) {
	t.LeaderIDs = nonNil(t.LeaderIDs)
	t.LeadUnitIDs = nonNil(t.LeadUnitIDs)
	t.ResponsibleUnitIDs = nonNil(t.ResponsibleUnitIDs)
	t.Leaders = nonNil(t.Leaders)
	t.LeadUnits = nonNil(t.LeadUnits)
	t.ResponsibleUnits = nonNil(t.ResponsibleUnits)
	t.Targets = nonNil(t.Targets)
}
