package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"duban"
	"duban/assess"
	"duban/briefing"
	"duban/ranking"
)

// langParam reads ?lang=en for English reasons; Chinese otherwise.
func langParam(r *http.Request) assess.Lang {
	if r.URL.Query().Get("lang") == "en" {
		return assess.LangEN
	}
	return assess.LangZH
}

type evaluationList struct {
	Year        int                            `json:"year"`
	Evaluations []briefing.IndicatorEvaluation `json:"evaluations"`
}

// handleEvaluationIndex judges the organisation's indicators of a year
// against their targets: met, missed, borderline, pending or not applicable,
// each with its reason.
func (s *Server) handleEvaluationIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	evals, err := briefing.Evaluate(r.Context(), s.store, c.actor, org, year, langParam(r))
	if err != nil {
		return fmt.Errorf("evaluate indicators: %w", err)
	}
	return writeJSON(w, http.StatusOK, evaluationList{Year: year, Evaluations: evals})
}

// handleLineageIndex lists the confirmed links between indicators across
// years and the links proposed.
func (s *Server) handleLineageIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	l, err := briefing.FindLineage(r.Context(), s.store, c.actor, org)
	if err != nil {
		return fmt.Errorf("find lineage: %w", err)
	}
	return writeJSON(w, http.StatusOK, l)
}

type linkRequest struct {
	PreviousID int64          `json:"previous_id"`
	Kind       duban.LinkKind `json:"kind"`
	Note       string         `json:"note"`
}

// handleLineageCreate confirms that indicator {id} continues previous_id.
func (s *Server) handleLineageCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req linkRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	l := &duban.IndicatorLink{IndicatorID: id, PreviousID: req.PreviousID, Kind: req.Kind, Note: req.Note}
	if err := s.store.LinkIndicators(r.Context(), c.actor, c.actor.OrgID, l); err != nil {
		return fmt.Errorf("link indicators: %w", err)
	}
	return writeJSON(w, http.StatusCreated, l)
}

// handleLineageDelete removes a link: 204.
func (s *Server) handleLineageDelete(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	prev, err := strconv.ParseInt(r.PathValue("previous"), 10, 64)
	if err != nil || prev <= 0 {
		return duban.Errorf(duban.CodeInvalid, "路径中的指标编号无效")
	}
	if err := s.store.UnlinkIndicators(r.Context(), c.actor, c.actor.OrgID, id, prev); err != nil {
		return fmt.Errorf("unlink indicators: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type polarityBody struct {
	Polarity map[string]assess.Polarity `json:"polarity"`
}

// handlePolarityShow lists the organisation's polarity overrides (indicator
// name → higher or lower); indicators not listed follow the presets.
func (s *Server) handlePolarityShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	p, err := briefing.Polarities(r.Context(), s.store, c.actor, org)
	if err != nil {
		return fmt.Errorf("find polarities: %w", err)
	}
	return writeJSON(w, http.StatusOK, polarityBody{Polarity: p})
}

// handlePolarityUpdate replaces them.
func (s *Server) handlePolarityUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	var body polarityBody
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if body.Polarity == nil {
		body.Polarity = map[string]assess.Polarity{}
	}
	if err := briefing.SetPolarities(r.Context(), s.store, c.actor, org, body.Polarity); err != nil {
		return fmt.Errorf("set polarities: %w", err)
	}
	return writeJSON(w, http.StatusOK, body)
}

// handleConsistencyShow checks the organisation's documents against each
// other.
func (s *Server) handleConsistencyShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	rep, err := briefing.Consistency(r.Context(), s.store, c.actor, org, langParam(r))
	if err != nil {
		return fmt.Errorf("check documents: %w", err)
	}
	return writeJSON(w, http.StatusOK, rep)
}

type projectionList struct {
	Year        int                         `json:"year"`
	Projections []briefing.TargetProjection `json:"projections"`
}

// handleProjectionIndex projects the year-end values of the organisation's
// quantitative targets from the figures reported so far.
func (s *Server) handleProjectionIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	ps, err := briefing.Projections(r.Context(), s.store, c.actor, org, year, s.now(), langParam(r))
	if err != nil {
		return fmt.Errorf("project targets: %w", err)
	}
	return writeJSON(w, http.StatusOK, projectionList{Year: year, Projections: ps})
}

// handleRankingShow is 一榜: the organisation's units and leaders' portfolios
// scored and ranked for a year as of yesterday (or ?as_of=YYYY-MM-DD, taken
// as the day after the data), with how each score was made and the history
// at each cycle's end.
func (s *Server) handleRankingShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	asOf := s.now()
	if d := r.URL.Query().Get("as_of"); d != "" {
		if err := checkDate("参数 as_of", d); err != nil {
			return err
		}
		t, _ := time.ParseInLocation(time.DateOnly, d, s.cfg.location())
		asOf = t.Add(12 * time.Hour)
	}
	rk, err := briefing.Rank(r.Context(), s.store, c.actor, org, year, asOf, s.cfg.location())
	if err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	return writeJSON(w, http.StatusOK, rk)
}

type rulesBody struct {
	Rules ranking.Rules  `json:"rules"`
	Lines []ranking.Line `json:"lines"`
}

// handleRankingRulesShow returns the organisation's scoring rules and the
// same in words.
func (s *Server) handleRankingRulesShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	rules, err := briefing.Rules(r.Context(), s.store, c.actor, org)
	if err != nil {
		return fmt.Errorf("find rules: %w", err)
	}
	return writeJSON(w, http.StatusOK, rulesBody{Rules: rules, Lines: rules.Lines()})
}

type rulesRequest struct {
	Rules ranking.Rules `json:"rules"`
}

// handleRankingRulesUpdate replaces them, checked.
func (s *Server) handleRankingRulesUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	var req rulesRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := briefing.SetRules(r.Context(), s.store, c.actor, org, req.Rules); err != nil {
		return fmt.Errorf("set rules: %w", err)
	}
	return writeJSON(w, http.StatusOK, rulesBody{Rules: req.Rules, Lines: req.Rules.Lines()})
}
