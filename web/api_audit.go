package web

import (
	"fmt"
	"net/http"

	"duban"
)

// Page sizes of the audit log.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 500
)

type auditList struct {
	Entries []*duban.AuditEntry `json:"entries"`
	Total   int                 `json:"total"`
	Limit   int                 `json:"limit"`
	Offset  int                 `json:"offset"`
}

// handleAuditIndex lists the audit log of the caller's organisation, newest
// first: ?entity=&entity_id=&actor_id=&limit=&offset=.
func (s *Server) handleAuditIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	f := duban.AuditFilter{OrgID: c.actor.OrgID, Entity: queryString(q, "entity")}
	var err error
	if f.EntityID, err = queryInt64(q, "entity_id"); err != nil {
		return err
	}
	if f.ActorID, err = queryInt64(q, "actor_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = page(q, defaultAuditLimit, maxAuditLimit); err != nil {
		return err
	}
	entries, total, err := s.store.FindAudit(r.Context(), f)
	if err != nil {
		return fmt.Errorf("find audit: %w", err)
	}
	return writeJSON(w, http.StatusOK, auditList{Entries: nonNil(entries), Total: total, Limit: f.Limit, Offset: f.Offset})
}
