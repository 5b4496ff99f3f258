package web

import (
	"context"
	"fmt"
	"net/http"

	"duban"
)

// subtree returns the organisations at or below root: the caller's own
// organisation and, for a city, its districts.
func subtree(orgs []*duban.Org, root int64) []*duban.Org {
	parent := make(map[int64]*int64, len(orgs))
	for _, o := range orgs {
		parent[o.ID] = o.ParentID
	}
	var out []*duban.Org
	for _, o := range orgs {
		if descends(parent, o.ID, root) {
			out = append(out, o)
		}
	}
	return out
}

// descends reports whether id is root or below it. The walk is bounded so
// that a cycle in bad data cannot hang a request.
func descends(parent map[int64]*int64, id, root int64) bool {
	for range len(parent) + 1 {
		if id == root {
			return true
		}
		p, ok := parent[id]
		if !ok || p == nil {
			return false
		}
		id = *p
	}
	return false
}

// inScope reports whether organisation orgID is the caller's or below it.
func (s *Server) inScope(ctx context.Context, c *caller, orgID int64) (bool, error) {
	if orgID == c.actor.OrgID {
		return true, nil
	}
	orgs, err := s.store.FindOrgs(ctx)
	if err != nil {
		return false, fmt.Errorf("find orgs: %w", err)
	}
	parent := make(map[int64]*int64, len(orgs))
	for _, o := range orgs {
		parent[o.ID] = o.ParentID
	}
	return descends(parent, orgID, c.actor.OrgID), nil
}

// orgParam reads the optional org_id parameter of a list: the caller's
// organisation when absent, and CodeNotFound for one outside their scope.
func (s *Server) orgParam(r *http.Request, c *caller) (int64, error) {
	id, err := queryInt64(r.URL.Query(), "org_id")
	if err != nil || id == nil {
		return c.actor.OrgID, err
	}
	ok, err := s.inScope(r.Context(), c, *id)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, duban.Errorf(duban.CodeNotFound, "组织不存在")
	}
	return *id, nil
}

type orgList struct {
	Orgs []*duban.Org `json:"orgs"`
}

// handleOrgIndex lists the caller's organisation and those below it.
func (s *Server) handleOrgIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	orgs, err := s.store.FindOrgs(r.Context())
	if err != nil {
		return fmt.Errorf("find orgs: %w", err)
	}
	return writeJSON(w, http.StatusOK, orgList{Orgs: nonNil(subtree(orgs, c.actor.OrgID))})
}

type orgCreateRequest struct {
	Name     string `json:"name"`
	ParentID *int64 `json:"parent_id"`
}

// handleOrgCreate adds an organisation below the admin's own (or below one of
// its children): a city's admin adds its districts. Top-level organisations
// are made with the command line.
func (s *Server) handleOrgCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req orgCreateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	name, err := cleanName("组织名称", req.Name, 100)
	if err != nil {
		return err
	}
	parent := c.actor.OrgID
	if req.ParentID != nil {
		parent = *req.ParentID
	}
	ok, err := s.inScope(r.Context(), c, parent)
	if err != nil {
		return err
	}
	if !ok {
		return duban.Errorf(duban.CodeNotFound, "上级组织不存在")
	}
	o := &duban.Org{Name: name, ParentID: &parent}
	if err := s.store.CreateOrg(r.Context(), c.actor, o); err != nil {
		return fmt.Errorf("create org: %w", err)
	}
	return writeJSON(w, http.StatusCreated, o)
}

type rollupResponse struct {
	OrgID int64              `json:"org_id"`
	Orgs  []duban.OrgSummary `json:"orgs"`
}

// handleOrgRollup sums the tasks of an organisation and its children by
// status. An organisation above or beside the caller's is not found.
func (s *Server) handleOrgRollup(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// The store limits the sums to what the caller sees; asked for the city
	// above them, it would sum only their own district under the city's ID.
	ok, err := s.inScope(r.Context(), c, id)
	if err != nil {
		return err
	}
	if !ok {
		return duban.Errorf(duban.CodeNotFound, "组织不存在")
	}
	sums, err := s.store.RollUp(r.Context(), c.actor, id)
	if err != nil {
		return fmt.Errorf("roll up org %d: %w", id, err)
	}
	for i := range sums {
		if sums[i].ByStatus == nil {
			sums[i].ByStatus = map[duban.TaskStatus]int{}
		}
	}
	return writeJSON(w, http.StatusOK, rollupResponse{OrgID: id, Orgs: nonNil(sums)})
}

// nonNil returns s, or an empty slice for nil, so that JSON lists are [] and
// never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
