package web

import (
	"context"
	"fmt"
	"net/http"

	"duban"
)

// Ranker computes 一榜: an organisation's units ranked for a year by how
// timely and complete their reporting is, each score with how it was made.
// It applies the actor's scope like the store does.
type Ranker interface {
	Rank(ctx context.Context, a duban.Actor, orgID int64, year int) (*Ranking, error)
}

// Ranking is the ranked list of units and the rule that scored them.
type Ranking struct {
	// Rule says in words how a score is made (shown above the table).
	Rule string
	Rows []RankRow
}

// RankRow is one unit's place, score and the parts of the score.
type RankRow struct {
	Rank   int
	UnitID int64
	Unit   string
	Score  float64
	Parts  []ScorePart
}

// ScorePart is one component of a score: its name, the points it gave
// and how they were counted ("11 of 12 reports on time").
type ScorePart struct {
	Name   string
	Points float64
	Detail string
}

// pageRanker returns the ranking service, nil when the server has none. Until
// Deps names one, a store that also ranks is used.
func (s *Server) pageRanker() Ranker {
	if rk, ok := s.store.(Ranker); ok {
		return rk
	}
	return nil
}

type rankingView struct {
	*pageBase
	Configured bool
	Year       int
	Ranking    *Ranking
}

func (s *Server) pageRanking(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		b.Title = b.T("rank.title")
		b.Active = "nav.ranking"
		v := rankingView{pageBase: b}
		rk := s.pageRanker()
		if rk == nil {
			return s.render(ps, w, r, http.StatusOK, "ranking", v)
		}
		v.Configured = true
		all, err := s.allTasks(r.Context(), c.actor, duban.TaskFilter{OrgID: c.actor.OrgID})
		if err != nil {
			return err
		}
		v.Year = s.pickYear(r, taskYears(all))
		if v.Ranking, err = rk.Rank(r.Context(), c.actor, c.actor.OrgID, v.Year); err != nil {
			return fmt.Errorf("rank units: %w", err)
		}
		return s.render(ps, w, r, http.StatusOK, "ranking", v)
	}
}
