package web

import (
	"fmt"
	"net/http"
	"slices"

	"duban"
	"duban/assess"
	"duban/ingest"
)

// indicatorsView is the indicator table with each year's target, outcome and
// evaluation (met, missed, borderline, pending), and the trends as charts.
type indicatorsView struct {
	*pageBase
	Rows    []indicatorRow
	Charts  []trendChart
	Counts  map[string]int
	Summary string
	Year    int // the newest year with targets and outcomes; 0 for none
}

// indicatorRow is one indicator in one year.
type indicatorRow struct {
	Indicator   *duban.Indicator
	First       bool // the first year shown of the indicator
	Span        int
	Year        int
	Target      string
	Actual      string
	Result      *assess.Result
	NewCategory string
}

func (s *Server) pageIndicators(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		ctx := r.Context()
		b.Title = b.T("ind.title")
		b.Active = "nav.indicators"
		inds, err := s.store.FindIndicators(ctx, c.actor.OrgID, nil)
		if err != nil {
			return fmt.Errorf("find indicators: %w", err)
		}
		set, err := s.store.FindSettings(ctx, c.actor, c.actor.OrgID)
		if err != nil {
			return fmt.Errorf("find settings: %w", err)
		}
		as := assess.Settings{Tolerance: set.Tolerance, Lang: assess.LangZH}
		if b.Lang == langEN {
			as.Lang = assess.LangEN
		}
		v := indicatorsView{pageBase: b, Counts: map[string]int{}}
		category := "\x00"
		for _, ind := range inds {
			var years []int
			for _, iv := range ind.Values {
				if !slices.Contains(years, iv.Year) {
					years = append(years, iv.Year)
				}
			}
			slices.Sort(years)
			pol := assess.PolarityOf(ind.Name, nil)
			for i, y := range years {
				row := indicatorRow{Indicator: ind, First: i == 0, Span: len(years), Year: y}
				if i == 0 && ind.Category != category {
					category = ind.Category
					row.NewCategory = ind.Category
				}
				var target, actual *duban.IndicatorValue
				for k := range ind.Values {
					iv := &ind.Values[k]
					if iv.Year != y {
						continue
					}
					if iv.Kind == "actual" {
						actual = iv
					} else {
						target = iv
					}
				}
				if target != nil {
					row.Target = target.Text
				}
				if actual != nil {
					row.Actual = actual.Text
				}
				if target != nil && actual != nil {
					v.Year = max(v.Year, y) // the newest year evaluated: what 主要目标完成情况表 is of
				}
				if target != nil {
					res := assess.Evaluate(ingest.ParseExpr(row.Target), ingest.ParseExpr(row.Actual), pol, as)
					row.Result = &res
					if actual != nil {
						v.Counts[string(res.Status)]++
					}
				}
				v.Rows = append(v.Rows, row)
			}
			if opt, ok := trendOption(b, ind); ok {
				v.Charts = append(v.Charts, trendChart{Name: ind.Name, Unit: ind.Unit, Chart: chartJSON(opt)})
			}
		}
		return s.render(ps, w, r, http.StatusOK, "indicators", v)
	}
}

// Verdict names an evaluation's status in the page's language.
func (b *pageBase) Verdict(st any) string { return b.T(fmt.Sprint("verdict.", st)) }
