package web

import (
	"fmt"
	"net/http"
	"strings"

	"duban"
)

type unitList struct {
	Units []*duban.Unit `json:"units"`
}

// handleUnitIndex lists the unit directory of the caller's organisation (or
// of org_id below it).
func (s *Server) handleUnitIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	orgID, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	units, err := s.store.FindUnits(r.Context(), orgID)
	if err != nil {
		return fmt.Errorf("find units: %w", err)
	}
	for _, u := range units {
		fillUnit(u)
	}
	return writeJSON(w, http.StatusOK, unitList{Units: nonNil(units)})
}

type unitCreateRequest struct {
	Name      string         `json:"name"`
	Kind      duban.UnitKind `json:"kind"`
	Aliases   []string       `json:"aliases"`
	MemberIDs []int64        `json:"member_ids"`
}

// handleUnitCreate adds a unit or a group to the admin's directory.
func (s *Server) handleUnitCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req unitCreateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	name, err := cleanName("单位名称", req.Name, 100)
	if err != nil {
		return err
	}
	aliases, err := cleanAliases(req.Aliases)
	if err != nil {
		return err
	}
	// The store checks the kind (unit when empty) and that only a group has
	// members.
	u := &duban.Unit{
		OrgID:     c.actor.OrgID,
		Name:      name,
		Kind:      req.Kind,
		Aliases:   aliases,
		MemberIDs: nonNil(req.MemberIDs),
	}
	if err := s.store.CreateUnit(r.Context(), c.actor, u); err != nil {
		return fmt.Errorf("create unit: %w", err)
	}
	fillUnit(u)
	return writeJSON(w, http.StatusCreated, u)
}

type unitUpdateRequest struct {
	Name      *string   `json:"name"`
	Aliases   *[]string `json:"aliases"`
	MemberIDs *[]int64  `json:"member_ids"`
}

// handleUnitUpdate renames a unit, replaces its aliases or (for a group) its
// members.
func (s *Server) handleUnitUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req unitUpdateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	up := duban.UnitUpdate{Aliases: req.Aliases, MemberIDs: req.MemberIDs}
	if req.Name != nil {
		name, err := cleanName("单位名称", *req.Name, 100)
		if err != nil {
			return err
		}
		up.Name = &name
	}
	if req.Aliases != nil {
		aliases, err := cleanAliases(*req.Aliases)
		if err != nil {
			return err
		}
		up.Aliases = &aliases
	}
	u, err := s.store.UpdateUnit(r.Context(), c.actor, id, up)
	if err != nil {
		return fmt.Errorf("update unit %d: %w", id, err)
	}
	fillUnit(u)
	return writeJSON(w, http.StatusOK, u)
}

// cleanAliases trims aliases and drops blanks and repeats.
func cleanAliases(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, a := range in {
		a = strings.TrimSpace(a)
		if a == "" || seen[a] {
			continue
		}
		if err := checkLength("别名", a, 100); err != nil {
			return nil, err
		}
		seen[a] = true
		out = append(out, a)
	}
	return out, nil
}

// fillUnit makes a unit's lists [] rather than null in JSON.
func fillUnit(u *duban.Unit) {
	u.Aliases = nonNil(u.Aliases)
	u.MemberIDs = nonNil(u.MemberIDs)
}
