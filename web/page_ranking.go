package web

import (
	"fmt"
	"net/http"
	"strconv"

	"duban"
	"duban/briefing"
	"duban/ranking"
)

// rankingView is 一榜: units and leaders' portfolios ranked for the year as
// of yesterday, each score with the parts that made it, the rules in words,
// and the leading units' scores at the end of each cycle.
type rankingView struct {
	*pageBase
	Year    int
	Years   []int
	Ranking *briefing.Ranking
	Max     string
	Chart   string
}

// rankingChartUnits is how many of the best units the history chart draws.
const rankingChartUnits = 8

func (s *Server) pageRanking(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		b.Title = b.T("rank.title")
		b.Active = "nav.ranking"
		all, err := s.allTasks(r.Context(), c.actor, duban.TaskFilter{OrgID: c.actor.OrgID})
		if err != nil {
			return err
		}
		v := &rankingView{pageBase: b, Years: taskYears(all)}
		v.Year = s.pickYear(r, v.Years)
		if v.Ranking, err = briefing.Rank(r.Context(), s.store, c.actor, c.actor.OrgID, v.Year, s.now(), s.cfg.location()); err != nil {
			return fmt.Errorf("rank: %w", err)
		}
		v.Max = strconv.FormatFloat(v.Ranking.Result.Max, 'f', -1, 64)
		if opt, ok := rankingHistory(b, v.Ranking); ok {
			v.Chart = chartJSON(opt)
		}
		return s.render(ps, w, r, http.StatusOK, "ranking", v)
	}
}

// rankingHistory is the best units' scores at each cycle's end.
func rankingHistory(b *pageBase, rk *briefing.Ranking) (map[string]any, bool) {
	if len(rk.History) < 2 {
		return nil, false
	}
	var days []string
	for _, sn := range rk.History {
		days = append(days, sn.Day.String())
	}
	var series []map[string]any
	for _, e := range rk.Result.Units {
		if !e.Rated || len(series) == rankingChartUnits {
			continue
		}
		data := make([]any, len(rk.History))
		for i, sn := range rk.History {
			for _, st := range sn.Units {
				if st.ID == e.ID && st.Rank > 0 {
					data[i] = st.Score
				}
			}
		}
		series = append(series, map[string]any{"name": e.Name, "type": "line", "data": data, "connectNulls": true, "symbolSize": 7})
	}
	if len(series) == 0 {
		return nil, false
	}
	return map[string]any{
		"aria":    map[string]any{"enabled": true},
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"bottom": 0, "type": "scroll"},
		"grid":    map[string]any{"left": 8, "right": 16, "top": 16, "bottom": 40, "containLabel": true},
		"xAxis":   map[string]any{"type": "category", "data": days},
		"yAxis":   map[string]any{"type": "value", "scale": true, "name": b.T("rank.score")},
		"series":  series,
	}, true
}

// Line is a sentence of the ranking in the page's language.
func (v *rankingView) Line(l ranking.Line) string {
	if v.Lang == langEN && l.TextEN != "" {
		return l.TextEN
	}
	return l.Text
}

// PartText says how a part of a score was counted.
func (v *rankingView) PartText(p ranking.Part) string {
	if v.Lang == langEN && p.TextEN != "" {
		return p.TextEN
	}
	return p.Text
}

// Reason says why an entry was not assessed.
func (v *rankingView) Reason(e ranking.Entry) string {
	if v.Lang == langEN && e.ReasonEN != "" {
		return e.ReasonEN
	}
	return e.Reason
}

// Points writes a score's points: 96.5, −2.
func (v *rankingView) Points(p float64) string {
	return strconv.FormatFloat(float64(int(p*10+copySign(0.5, p)))/10, 'f', -1, 64)
}

func copySign(x, sign float64) float64 {
	if sign < 0 {
		return -x
	}
	return x
}
