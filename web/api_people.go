package web

import (
	"fmt"
	"net/http"
	"strings"

	"duban"
)

type personList struct {
	People []*duban.Person `json:"people"`
}

// handlePersonIndex lists the leaders of the caller's organisation (or of
// org_id below it).
func (s *Server) handlePersonIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	orgID, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	people, err := s.store.FindPeople(r.Context(), orgID)
	if err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	return writeJSON(w, http.StatusOK, personList{People: nonNil(people)})
}

type personCreateRequest struct {
	Name      string `json:"name"`
	Title     string `json:"title"`
	Portfolio string `json:"portfolio"`
}

// handlePersonCreate adds a leader to the admin's organisation.
func (s *Server) handlePersonCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req personCreateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	name, err := cleanName("姓名", req.Name, 50)
	if err != nil {
		return err
	}
	p := &duban.Person{
		OrgID:     c.actor.OrgID,
		Name:      name,
		Title:     strings.TrimSpace(req.Title),
		Portfolio: strings.TrimSpace(req.Portfolio),
	}
	if err := checkLength("职务", p.Title, 100); err != nil {
		return err
	}
	if err := checkLength("分管领域", p.Portfolio, 1000); err != nil {
		return err
	}
	if err := s.store.CreatePerson(r.Context(), c.actor, p); err != nil {
		return fmt.Errorf("create person: %w", err)
	}
	return writeJSON(w, http.StatusCreated, p)
}
