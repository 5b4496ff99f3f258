package assess

import (
	"strings"

	"duban/ingest"
)

// Assessment is the attainment of a document's indicator tables. Its JSON form
// is the contract of `duban evaluate --json` (docs/EXTRACT.md): fields may be
// added but never renamed or removed.
type Assessment struct {
	Source      string       `json:"source"`
	Evaluations []Evaluation `json:"evaluations"` // never nil
}

// Evaluation is one indicator's target and outcome for one year, judged.
type Evaluation struct {
	Table  string `json:"table"` // the table's title
	Seq    int    `json:"seq"`
	Name   string `json:"name"`
	Year   *int   `json:"year"`
	Target string `json:"target"` // as written
	Actual string `json:"actual"` // as written
	Status Status `json:"status"`
	Reason string `json:"reason"`
}

// EvaluateExtraction evaluates every indicator of x's tables that has a target
// and an outcome for the same year ("2021年计划目标" beside "2021年完成情况"),
// in the order of tables, rows and columns. A table whose columns are of
// different years (last year's outcome beside next year's target) gives
// nothing. Each indicator's polarity comes from PolarityOf with the overrides
// of s. A 同步 target is judged against the outcome of the indicator it names
// for the same year, found in the same table or else another table of x
// ("与经济发展同步" names the growth of 地区生产总值).
func EvaluateExtraction(x *ingest.Extraction, s Settings) *Assessment {
	out := &Assessment{Source: x.Source, Evaluations: []Evaluation{}}
	for ti, tbl := range x.Tables {
		for _, ind := range tbl.Indicators {
			pol := PolarityOf(ind.Name, s.Polarity)
			for _, p := range pairValues(ind.Values) {
				var r Result
				if ref, ok := syncReference(x, ti, p.target.Expr, p.year); ok {
					r = EvaluateSync(p.target.Expr, p.actual.Expr, ref, pol, s)
				} else {
					r = Evaluate(p.target.Expr, p.actual.Expr, pol, s)
				}
				out.Evaluations = append(out.Evaluations, Evaluation{
					Table: tbl.Title, Seq: ind.Seq, Name: ind.Name, Year: copyInt(p.year),
					Target: p.target.Text, Actual: p.actual.Text,
					Status: r.Status, Reason: r.Reason,
				})
			}
		}
	}
	return out
}

// valuePair is a target and an outcome of one indicator for one year.
type valuePair struct {
	target, actual ingest.IndicatorValue
	year           *int
}

// pairValues pairs each target value with the outcome of the same year. Values
// without a year pair only when they are the row's one target and one outcome.
func pairValues(vs []ingest.IndicatorValue) []valuePair {
	var targets, actuals []ingest.IndicatorValue
	for _, v := range vs {
		switch v.Kind {
		case ingest.ValueTarget:
			targets = append(targets, v)
		case ingest.ValueActual:
			actuals = append(actuals, v)
		}
	}
	var out []valuePair
	for _, t := range targets {
		if t.Year == nil {
			if len(targets) == 1 && len(actuals) == 1 && actuals[0].Year == nil {
				out = append(out, valuePair{t, actuals[0], nil})
			}
			continue
		}
		for _, a := range actuals {
			if a.Year != nil && *a.Year == *t.Year {
				out = append(out, valuePair{t, a, t.Year})
				break
			}
		}
	}
	return out
}

// syncReference returns the outcome, for year, of the indicator a 同步 target
// names (an unknown Expr when that row has no outcome for the year); ok is false
// for a target that is not 同步 and when x has no such indicator.
func syncReference(x *ingest.Extraction, table int, target ingest.Expr, year *int) (ingest.Expr, bool) {
	if target.Op != ingest.OpSync {
		return ingest.Expr{}, false
	}
	key, growth := syncKey(target.Text)
	if key == "" {
		return ingest.Expr{}, false
	}
	order := []int{table}
	for i := range x.Tables {
		if i != table {
			order = append(order, i)
		}
	}
	for _, ti := range order {
		for _, ind := range x.Tables[ti].Indicators {
			if NormalizeName(ind.Name) != key || (growth && !isChangeName(ind.Name)) {
				continue
			}
			for _, v := range ind.Values {
				if v.Kind == ingest.ValueActual && sameYear(v.Year, year) {
					return v.Expr, true
				}
			}
			return ingest.Expr{Op: ingest.OpUnknown}, true
		}
	}
	return ingest.Expr{}, false
}

// syncKey reads the indicator a 同步 target names: "与经济发展同步" and
// "与经济增长同步" name the growth of 地区生产总值; "与地区生产总值增长同步" the
// same; other names are taken as written.
func syncKey(text string) (key string, growth bool) {
	s := looseName(text)
	i := strings.LastIndex(s, "与")
	j := strings.LastIndex(s, "同步")
	if i < 0 || j < i {
		return "", false
	}
	inner := s[i+len("与") : j]
	inner = strings.TrimSuffix(strings.TrimSuffix(inner, "保持"), "基本")
	growth = strings.ContainsAny(inner, "增速幅") || strings.Contains(inner, "发展")
	if strings.Contains(inner, "经济") || inner == "" {
		return "地区生产总值", true
	}
	return NormalizeName(strings.TrimSuffix(inner, "发展")), growth
}

func sameYear(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func copyInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
