// Package briefing gathers from a store what leaders ask of the ledger: the
// evaluation of an organisation's indicators against their targets, the
// consistency of its documents across years, the lineage of its indicators,
// the projected year-end values of its quantitative targets, and the
// ranking of its units (赛马比拼). The judging itself is done by packages
// assess and ranking; briefing reads what they need, through the store and
// in the actor's scope, and hands their answers to the API, the pages and
// the exported files alike.
package briefing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"duban"
	"duban/assess"
	"duban/ingest"
)

// polarityKey is the organisation's configuration document of indicator
// polarities (name → higher or lower), overriding assess's presets.
const polarityKey = "polarity"

// Polarities returns the organisation's polarity overrides by indicator name.
func Polarities(ctx context.Context, st duban.Store, a duban.Actor, org int64) (map[string]assess.Polarity, error) {
	out := map[string]assess.Polarity{}
	if _, err := st.FindConfig(ctx, a, org, polarityKey, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// SetPolarities replaces the organisation's polarity overrides; each value
// must be higher or lower (CodeInvalid).
func SetPolarities(ctx context.Context, st duban.Store, a duban.Actor, org int64, p map[string]assess.Polarity) error {
	for name, pol := range p {
		if pol != assess.HigherIsBetter && pol != assess.LowerIsBetter {
			return duban.Errorf(duban.CodeInvalid, "指标“%s”的方向应为 higher（越大越好）或 lower（越小越好）", name)
		}
		if strings.TrimSpace(name) == "" {
			return duban.Errorf(duban.CodeInvalid, "指标名称不能为空")
		}
	}
	return st.SetConfig(ctx, a, org, polarityKey, p)
}

// settings are the evaluation settings of an organisation.
func settings(ctx context.Context, st duban.Store, a duban.Actor, org int64, lang assess.Lang) (assess.Settings, error) {
	set, err := st.FindSettings(ctx, a, org)
	if err != nil {
		return assess.Settings{}, err
	}
	pol, err := Polarities(ctx, st, a, org)
	if err != nil {
		return assess.Settings{}, err
	}
	return assess.Settings{Tolerance: set.Tolerance, Lang: lang, Polarity: pol}, nil
}

// IndicatorEvaluation is one indicator's target and outcome for a year,
// judged.
type IndicatorEvaluation struct {
	IndicatorID int64           `json:"indicator_id"`
	Name        string          `json:"name"`
	Category    string          `json:"category"`
	Unit        string          `json:"unit"`
	Attribute   string          `json:"attribute"`
	Year        int             `json:"year"`
	Target      string          `json:"target"` // as written; "" when none
	Actual      string          `json:"actual"` // as written; "" when none yet
	Polarity    assess.Polarity `json:"polarity"`
	Status      assess.Status   `json:"status"`
	Reason      string          `json:"reason"`
}

// Evaluate judges every indicator of an organisation that has a target for
// year against its outcome of that year (pending when there is none yet),
// with the organisation's tolerance and polarities, in the order the store
// keeps them.
func Evaluate(ctx context.Context, st duban.Store, a duban.Actor, org int64, year int, lang assess.Lang) ([]IndicatorEvaluation, error) {
	s, err := settings(ctx, st, a, org, lang)
	if err != nil {
		return nil, err
	}
	inds, err := st.FindIndicators(ctx, org, &year)
	if err != nil {
		return nil, fmt.Errorf("find indicators: %w", err)
	}
	out := []IndicatorEvaluation{}
	for _, ind := range inds {
		var target, actual *duban.IndicatorValue
		for i := range ind.Values {
			v := &ind.Values[i]
			if v.Year != year {
				continue
			}
			switch v.Kind {
			case "target":
				target = v
			case "actual":
				actual = v
			}
		}
		if target == nil {
			continue
		}
		e := IndicatorEvaluation{IndicatorID: ind.ID, Name: ind.Name, Category: ind.Category, Unit: ind.Unit,
			Attribute: ind.Attribute, Year: year, Target: target.Text, Polarity: assess.PolarityOf(ind.Name, s.Polarity)}
		outcome := ingest.ParseExpr("——")
		if actual != nil {
			e.Actual = actual.Text
			outcome = ingest.ParseExpr(actual.Text)
		}
		r := assess.Evaluate(ingest.ParseExpr(target.Text), outcome, e.Polarity, s)
		e.Status, e.Reason = r.Status, r.Reason
		out = append(out, e)
	}
	return out, nil
}

// Consistency checks the organisation's imported documents against each
// other (assess.CheckDocuments): targets stated differently in the work
// report, the decomposition and the plan report, outcomes differing between
// a report's tables, last year's targets restated, commitments without a
// task. The documents are read again from what was imported, verbatim.
func Consistency(ctx context.Context, st duban.Store, a duban.Actor, org int64, lang assess.Lang) (*assess.CheckReport, error) {
	s, err := settings(ctx, st, a, org, lang)
	if err != nil {
		return nil, err
	}
	docs, err := st.FindDocuments(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("find documents: %w", err)
	}
	var xs []*ingest.Extraction
	for _, d := range docs {
		content, err := st.FindDocumentContent(ctx, d.ID)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", d.ID, err)
		}
		x, err := ingest.Extract(d.FileName, content, ingest.DefaultLimits)
		if err != nil {
			// Imported once, a document reads again; a synthetic one
			// (load tests) may not: leave it out.
			continue
		}
		xs = append(xs, x)
	}
	return assess.CheckDocuments(xs, s), nil
}

// LineageProposal suggests that an indicator continues an earlier one under
// another name: the two never have values in the same year, and their names
// read the same once normalised (assess.NormalizeName) or one holds the
// other.
type LineageProposal struct {
	IndicatorID int64  `json:"indicator_id"`
	Name        string `json:"name"`
	PreviousID  int64  `json:"previous_id"`
	Previous    string `json:"previous"`
	Reason      string `json:"reason"`
}

// Lineage is an organisation's confirmed links and the links it is proposed.
type Lineage struct {
	Links     []duban.IndicatorLink `json:"links"`
	Proposals []LineageProposal     `json:"proposals"`
}

// FindLineage returns an organisation's indicator links with proposals for
// the indicators not linked yet.
func FindLineage(ctx context.Context, st duban.Store, a duban.Actor, org int64) (*Lineage, error) {
	links, err := st.FindIndicatorLinks(ctx, a, org)
	if err != nil {
		return nil, err
	}
	inds, err := st.FindIndicators(ctx, org, nil)
	if err != nil {
		return nil, fmt.Errorf("find indicators: %w", err)
	}
	return &Lineage{Links: links, Proposals: ProposeLineage(inds, links)}, nil
}

// ProposeLineage finds indicators that may continue earlier ones: for each
// indicator, the latest earlier one with a name that reads the same, whose
// years all come before it. Pairs already linked are left out.
func ProposeLineage(inds []*duban.Indicator, links []duban.IndicatorLink) []LineageProposal {
	linked := map[[2]int64]bool{}
	for _, l := range links {
		linked[[2]int64{l.IndicatorID, l.PreviousID}] = true
	}
	type span struct {
		ind        *duban.Indicator
		key        string
		first, end int
	}
	var spans []span
	for _, ind := range inds {
		sp := span{ind: ind, key: assess.NormalizeName(ind.Name), first: 1 << 30, end: -1}
		for _, v := range ind.Values {
			sp.first, sp.end = min(sp.first, v.Year), max(sp.end, v.Year)
		}
		if sp.end >= 0 && sp.key != "" {
			spans = append(spans, sp)
		}
	}
	out := []LineageProposal{}
	for _, later := range spans {
		var best *span
		for i := range spans {
			earlier := &spans[i]
			if earlier.ind.ID == later.ind.ID || earlier.end >= later.first || linked[[2]int64{later.ind.ID, earlier.ind.ID}] {
				continue
			}
			if earlier.key != later.key && !strings.Contains(earlier.key, later.key) && !strings.Contains(later.key, earlier.key) {
				continue
			}
			if best == nil || earlier.end > best.end {
				best = earlier
			}
		}
		if best != nil {
			out = append(out, LineageProposal{IndicatorID: later.ind.ID, Name: later.ind.Name, PreviousID: best.ind.ID,
				Previous: best.ind.Name, Reason: fmt.Sprintf("“%s”（%d年起）与“%s”（至%d年）名称相近，年份前后相接", later.ind.Name, later.first, best.ind.Name, best.end)})
		}
	}
	slices.SortFunc(out, func(x, y LineageProposal) int { return int(x.IndicatorID - y.IndicatorID) })
	return out
}

// TargetProjection is a quantitative target of a task with its year-end
// value projected from the figures its reports gave so far.
type TargetProjection struct {
	TaskID   int64  `json:"task_id"`
	TargetID int64  `json:"target_id"`
	Subject  string `json:"subject"`
	Target   string `json:"target"` // as written in the task
	// Figures are the cumulative figures the projection used, by the end of
	// each reported period.
	Figures    []assess.Point    `json:"figures"`
	Projection assess.Projection `json:"projection"`
}

// Projections projects, for every quantitative target of the
// organisation's tasks of year, its year-end value from the figures the
// tasks' reports gave (submitted or approved, by the end of their periods),
// as of asOf. Targets with no figures yet are left out.
func Projections(ctx context.Context, st duban.Store, a duban.Actor, org int64, year int, asOf time.Time, lang assess.Lang) ([]TargetProjection, error) {
	s, err := settings(ctx, st, a, org, lang)
	if err != nil {
		return nil, err
	}
	cycles, err := st.FindCycles(ctx, a, org, year)
	if err != nil {
		return nil, err
	}
	periodEnd := map[int64]time.Time{}
	for _, c := range cycles {
		if d, err := time.Parse(time.DateOnly, c.PeriodEnd); err == nil {
			periodEnd[c.ID] = d.Add(23 * time.Hour)
		}
	}
	figures := map[int64][]assess.Point{} // by target
	for offset := 0; ; offset += 500 {
		reports, total, err := st.FindReports(ctx, a, duban.ReportFilter{OrgID: org, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, r := range reports {
			end, ok := periodEnd[r.CycleID]
			if !ok || r.SubmittedAt == nil || r.Status == duban.ReportDraft {
				continue
			}
			for _, f := range r.Figures {
				figures[f.TargetID] = append(figures[f.TargetID], assess.Point{Date: end, Value: f.Value})
			}
		}
		if offset+len(reports) >= total || len(reports) == 0 {
			break
		}
	}
	out := []TargetProjection{}
	for offset := 0; ; offset += 500 {
		tasks, total, err := st.FindTasks(ctx, a, duban.TaskFilter{OrgID: org, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			for _, g := range t.Targets {
				points := figures[g.ID]
				if len(points) == 0 || g.Value == nil {
					continue
				}
				slices.SortFunc(points, func(x, y assess.Point) int { return x.Date.Compare(y.Date) })
				expr := ingest.Expr{Op: ingest.Op(g.Op), Value: g.Value, Text: g.Text}
				opt := assess.ProjectOptions{AsOf: asOf, Settings: s, Rates: g.Measure == string(ingest.MeasureGrowth) || g.Unit == "%"}
				p, err := assess.Project(expr, assess.PolarityOf(g.Subject, s.Polarity), points, year, opt)
				if err != nil {
					continue // figures the projection cannot use (out of the year, out of order)
				}
				out = append(out, TargetProjection{TaskID: t.ID, TargetID: g.ID, Subject: g.Subject, Target: g.Text, Figures: points, Projection: p})
			}
		}
		if offset+len(tasks) >= total || len(tasks) == 0 {
			break
		}
	}
	return out, nil
}
