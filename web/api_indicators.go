package web

import (
	"fmt"
	"net/http"

	"duban"
)

type indicatorList struct {
	Indicators []*duban.Indicator `json:"indicators"`
}

// handleIndicatorIndex lists the indicators of the caller's organisation (or
// of org_id below it), with their values; ?year= keeps the indicators with a
// value for that year.
func (s *Server) handleIndicatorIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	year, err := queryInt(r.URL.Query(), "year")
	if err != nil {
		return err
	}
	orgID, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	inds, err := s.store.FindIndicators(r.Context(), orgID, year)
	if err != nil {
		return fmt.Errorf("find indicators: %w", err)
	}
	for _, ind := range inds {
		ind.Values = nonNil(ind.Values)
	}
	return writeJSON(w, http.StatusOK, indicatorList{Indicators: nonNil(inds)})
}
