package assess

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"duban/ingest"
)

// FindingKind is what a consistency check found.
type FindingKind string

// The kinds of findings.
const (
	// FindingTargetMismatch: one year's target stated differently in the work
	// report, the decomposition and the plan report (or in a report's text and
	// its table).
	FindingTargetMismatch FindingKind = "target_mismatch"
	// FindingTargetRestated: a later document restates a year's target (the
	// plan report's "2021年计划目标") differently from that year's documents.
	FindingTargetRestated FindingKind = "target_restated"
	// FindingOutcomeMismatch: one year's outcome differs between two tables.
	FindingOutcomeMismatch FindingKind = "outcome_mismatch"
	// FindingNoTask: a target of the work report with no task in that year's
	// decomposition.
	FindingNoTask FindingKind = "commitment_without_task"
)

// Severity is how much a finding matters.
type Severity string

// The severities, from the least to the most serious.
const (
	SeverityNotice  Severity = "notice"  // same figure, worded differently: "6%以上" and "＞6"
	SeverityWarning Severity = "warning" // one side has no figure, the forms differ, or no task
	SeverityError   Severity = "error"   // the figures differ
)

// Finding is one inconsistency between two places of the documents.
type Finding struct {
	Kind      FindingKind `json:"kind"`
	Severity  Severity    `json:"severity"`
	Year      *int        `json:"year"`      // the year of the target or outcome
	Indicator string      `json:"indicator"` // the name as A writes it
	A         Place       `json:"a"`         // the reference: the work report, or the year's own document
	B         Place       `json:"b"`         // the place that differs from A
	Message   string      `json:"message"`
}

// Place is where a statement stands in a document. Line is null for a whole
// document (the decomposition that lacks a task).
type Place struct {
	Source string `json:"source"`
	Line   *int   `json:"line"`
	Where  string `json:"where"` // the table's title, the task ("一、… 第3项"), or 正文 (running text)
	Name   string `json:"name"`  // the indicator or subject as written there
	Text   string `json:"text"`  // the cell or the sentence part as written
}

// statement is a target or an outcome found somewhere in the documents.
type statement struct {
	doc      int
	part     int // 0 running text or tasks, 1+i table i
	place    Place
	year     int
	key      string // NormalizeName of the name
	change   bool   // a growth or reduction rate rather than a level
	unit     string
	expr     ingest.Expr
	shown    string // the figure as quoted in a message
	restated bool   // a year's target stated in a document about a later year
}

// Check compares the documents with each other and returns what does not agree,
// errors first, then by place. It never returns nil. Documents are compared only
// when they are of the same government (read from issuer or title: 渝中区,
// 云溪县; a document whose government cannot be read is compared with all).
// Indicators meet by NormalizeName and by measure (a growth rate is not compared
// with a level), and figures in different units only when one unit is a
// multiple of the other (万元 and 亿元). The four kinds:
//   - target_mismatch and target_restated: a year's target in two places that
//     differ — the same figure worded differently (≥ against ＞, 6 against
//     6左右) is a notice, different figures or directions are errors, a figure
//     against none or against text is a warning. When one place states several
//     targets under one name (one per zone), a place that agrees with any of
//     them agrees, and figures are compared only one to one.
//   - outcome_mismatch: a year's outcome in two tables, with the same severities.
//   - commitment_without_task: a target of a year's work report that no task of
//     that year's decomposition mentions: a warning.
//
// Messages are Chinese unless s.Lang is LangEN.
func Check(docs []*ingest.Extraction, s Settings) []Finding {
	var targets, outcomes []statement
	govs := make([]string, len(docs))
	for i, x := range docs {
		govs[i] = government(x)
		t, o := statements(i, x)
		targets = append(targets, t...)
		outcomes = append(outcomes, o...)
	}
	out := []Finding{}
	for _, c := range clusters(govs) {
		out = append(out, compareGroups(filter(targets, c), docs, s, false)...)
		out = append(out, compareGroups(filter(outcomes, c), docs, s, true)...)
		out = append(out, missingTasks(docs, c, s)...)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(severityRank(b.Severity), severityRank(a.Severity)),
			cmp.Compare(a.A.Source, b.A.Source),
			cmp.Compare(lineOf(a.A), lineOf(b.A)),
			cmp.Compare(a.B.Source, b.B.Source),
			cmp.Compare(lineOf(a.B), lineOf(b.B)),
			cmp.Compare(a.Kind, b.Kind),
		)
	})
	return slices.CompactFunc(out, func(a, b Finding) bool {
		return a.Kind == b.Kind && samePlace(a.A, b.A) && samePlace(a.B, b.B)
	})
}

func samePlace(a, b Place) bool {
	return a.Source == b.Source && lineOf(a) == lineOf(b) && a.Where == b.Where && a.Name == b.Name && a.Text == b.Text
}

func severityRank(s Severity) int {
	switch s {
	case SeverityError:
		return 2
	case SeverityWarning:
		return 1
	}
	return 0
}

func lineOf(p Place) int {
	if p.Line == nil {
		return 0
	}
	return *p.Line
}

// statements lists the targets and the outcomes stated in x.
func statements(doc int, x *ingest.Extraction) (targets, outcomes []statement) {
	docYear := 0
	if x.Year != nil {
		docYear = *x.Year
	}
	yearOf := func(y *int) int {
		if y != nil {
			return *y
		}
		return docYear
	}
	for ti, tbl := range x.Tables {
		for _, ind := range tbl.Indicators {
			for _, v := range ind.Values {
				y := yearOf(v.Year)
				if y == 0 {
					continue
				}
				st := statement{
					doc: doc, part: 1 + ti, year: y,
					place: Place{Source: x.Source, Line: linePtr(ind.Line), Where: tbl.Title, Name: ind.Name, Text: v.Text},
					key:   NormalizeName(ind.Name), change: isChangeName(ind.Name), unit: ind.Unit,
					expr: v.Expr, shown: v.Text,
				}
				switch v.Kind {
				case ingest.ValueTarget:
					st.restated = docYear != 0 && y < docYear
					targets = append(targets, st)
				case ingest.ValueActual:
					outcomes = append(outcomes, st)
				}
			}
		}
	}
	add := func(t ingest.Target, where string, line int) {
		y := yearOf(t.Year)
		if y == 0 || t.Subject == "" {
			return
		}
		unit := deref(t.Unit)
		e := ingest.Expr{Op: t.Op, Value: t.Value, Text: t.Text}
		if t.Line > 0 {
			line = t.Line
		}
		targets = append(targets, statement{
			doc: doc, year: y,
			place: Place{Source: x.Source, Line: linePtr(line), Where: where, Name: t.Subject, Text: t.Text},
			key:   NormalizeName(t.Subject), change: t.Measure == ingest.MeasureGrowth, unit: unit,
			expr: e, shown: figureText(e, unit), restated: docYear != 0 && y < docYear,
		})
	}
	for _, t := range x.Targets {
		add(t, "正文", t.Line)
	}
	for _, task := range x.Tasks {
		for _, t := range task.Targets {
			add(t, taskWhere(task), task.Line)
		}
	}
	return targets, outcomes
}

func taskWhere(t ingest.Task) string {
	return t.Section + " 第" + strconv.Itoa(t.Number) + "项"
}

func linePtr(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}

// figureText writes a running-text target's figure as a table would: "6%以上",
// "超过100亿元", "完成市下达任务".
func figureText(e ingest.Expr, unit string) string {
	if !finite(e.Value) {
		return e.Text
	}
	v := num(*e.Value) + unit
	switch e.Op {
	case ingest.OpApprox:
		return v + "左右"
	case ingest.OpGE:
		return v + "以上"
	case ingest.OpGT:
		return "超过" + v
	case ingest.OpLE:
		return v + "以内"
	case ingest.OpLT:
		return "低于" + v
	case ingest.OpRank:
		return "第" + num(*e.Value)
	}
	return v
}

// reductionEnds close the name of a rate of reduction.
var reductionEnds = []string{"降低", "下降", "降幅", "减少", "下降率", "降低率"}

// isChangeName reports whether an indicator's name says it is a rate of change:
// …增速, …增长, …增幅, …增长率, …降低, …下降, …降幅, …减少.
func isChangeName(name string) bool {
	s := dropBrackets(foldName(name))
	for _, ws := range [][]string{changeWords, reductionEnds} {
		for _, w := range ws {
			if strings.HasSuffix(s, w) {
				return true
			}
		}
	}
	return false
}

// government reads the government a document belongs to from its issuer, else
// its title: the last administrative name before the organ, "渝中区" from
// "重庆市渝中区人民政府办公室". It returns "" when there is none.
func government(x *ingest.Extraction) string {
	var cands []string
	if x.Issuer != nil {
		cands = append(cands, *x.Issuer)
	}
	cands = append(cands, x.Title)
	for _, c := range cands {
		if g := placeName(c); g != "" {
			return g
		}
	}
	return ""
}

// organs are the words that follow a government's name in an issuer or title.
var organs = []string{"人民政府", "人民代表大会", "人大常委会", "发展和改革委员会", "发展改革委员会", "发展改革委", "发改委", "政府", "国民经济和社会发展"}

func placeName(s string) string {
	s = foldName(s)
	cut := -1
	for _, o := range organs {
		if i := strings.Index(s, o); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		return ""
	}
	// The name is the last run of Chinese characters (years, brackets and
	// quotes end a run) that ends in an administrative suffix.
	r := []rune(s[:cut])
	last, start := "", 0
	for i, c := range r {
		if !unicode.Is(unicode.Han, c) || c == '年' || c == '月' || c == '日' {
			start = i + 1
			continue
		}
		switch c {
		case '省', '市', '区', '县', '州', '旗', '盟':
			seg := string(r[start : i+1])
			for _, w := range []string{"关于印发", "关于", "印发"} {
				seg = strings.TrimPrefix(seg, w)
			}
			if enough(seg) {
				last = seg
			}
			start = i + 1
		}
	}
	return last
}

// clusters groups documents by government; a document whose government is
// unknown joins every group.
func clusters(govs []string) [][]bool {
	var names []string
	for _, g := range govs {
		if g != "" && !slices.Contains(names, g) {
			names = append(names, g)
		}
	}
	if len(names) == 0 {
		names = []string{""}
	}
	out := make([][]bool, len(names))
	for k, n := range names {
		out[k] = make([]bool, len(govs))
		for i, g := range govs {
			out[k][i] = g == "" || g == n
		}
	}
	return out
}

func filter(sts []statement, in []bool) []statement {
	var out []statement
	for _, st := range sts {
		if in[st.doc] {
			out = append(out, st)
		}
	}
	return out
}

// docRank orders documents by authority: the work report first.
func docRank(k ingest.Kind) int {
	switch k {
	case ingest.KindWorkReport:
		return 0
	case ingest.KindDecomposition:
		return 1
	case ingest.KindPlanReport:
		return 2
	}
	return 3
}

// compareGroups compares the statements of each (year, indicator, measure)
// across places: each place against the group's reference place, the first
// by authority.
func compareGroups(sts []statement, docs []*ingest.Extraction, s Settings, outcomes bool) []Finding {
	type groupKey struct {
		year   int
		key    string
		change bool
	}
	groups := map[groupKey][]statement{}
	var order []groupKey
	for _, st := range sts {
		k := groupKey{st.year, st.key, st.change}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], st)
	}
	var out []Finding
	for _, k := range order {
		g := groups[k]
		slices.SortStableFunc(g, func(a, b statement) int {
			return cmp.Or(
				cmp.Compare(boolRank(a.restated), boolRank(b.restated)),
				cmp.Compare(docRank(docs[a.doc].Kind), docRank(docs[b.doc].Kind)),
				cmp.Compare(a.doc, b.doc),
				cmp.Compare(a.part, b.part),
				cmp.Compare(lineOf(a.place), lineOf(b.place)),
			)
		})
		type placeKey struct{ doc, part int }
		var parts []placeKey
		byPart := map[placeKey][]statement{}
		for _, st := range g {
			pk := placeKey{st.doc, st.part}
			if _, ok := byPart[pk]; !ok {
				parts = append(parts, pk)
			}
			byPart[pk] = append(byPart[pk], st)
		}
		ref := byPart[parts[0]]
		for _, pk := range parts[1:] {
			if f, ok := comparePlaces(ref, byPart[pk], s, outcomes); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// agreement is how two statements compare.
type agreement int

const (
	agreeSame     agreement = iota
	agreeNear               // same figure, worded differently
	agreeMissing            // one has a figure, the other none
	agreeForm               // different forms (a figure against text or a rank)
	agreeConflict           // different figures or directions
	agreeUnits              // units that cannot be compared: not the same indicator
)

// comparePlaces compares the statements of a reference place with those of
// another place and returns the finding, if any.
func comparePlaces(ref, other []statement, s Settings, outcomes bool) (Finding, bool) {
	var near *[2]statement
	for _, b := range other {
		for _, a := range ref {
			switch agree(a, b) {
			case agreeSame:
				return Finding{}, false
			case agreeNear:
				if near == nil {
					near = &[2]statement{a, b}
				}
			}
		}
	}
	if near != nil {
		return finding(near[0], near[1], agreeNear, s, outcomes), true
	}
	if len(ref) != 1 || len(other) != 1 {
		return Finding{}, false // several under one name: nothing to pair one to one
	}
	ag := agree(ref[0], other[0])
	if ag == agreeUnits {
		return Finding{}, false
	}
	return finding(ref[0], other[0], ag, s, outcomes), true
}

// agree compares two statements of one indicator.
func agree(a, b statement) agreement {
	ka, kb := kindOf(a.expr), kindOf(b.expr)
	switch {
	case ka == kindNone && kb == kindNone:
		return agreeSame
	case ka == kindNone || kb == kindNone:
		return agreeMissing
	case ka != kb:
		return agreeForm
	case ka == kindSync:
		return agreeSame
	case ka == kindText:
		if a.expr.Op == b.expr.Op && (a.expr.Op == ingest.OpExternal || looseName(cleanText(a.expr.Text)) == looseName(cleanText(b.expr.Text))) {
			return agreeSame
		}
		return agreeNear
	}
	fa, fb, ok := unitFactors(a.unit, b.unit)
	if !ok {
		return agreeUnits
	}
	va, vb := *a.expr.Value*fa, *b.expr.Value*fb
	if math.Abs(va-vb) > 1e-9*math.Max(math.Abs(va), math.Abs(vb)) {
		return agreeConflict
	}
	if ka == kindRank || a.expr.Op == b.expr.Op {
		return agreeSame
	}
	if direction(a.expr.Op)*direction(b.expr.Op) < 0 {
		return agreeConflict
	}
	return agreeNear
}

// direction is +1 for a lower bound (≥, ＞), -1 for an upper bound (≤, ＜), 0
// for a figure to reach or approach.
func direction(op ingest.Op) int {
	switch op {
	case ingest.OpGE, ingest.OpGT:
		return 1
	case ingest.OpLE, ingest.OpLT:
		return -1
	}
	return 0
}

// multiples are the prefixes that scale a unit, longest first.
var multiples = []struct {
	w string
	f float64
}{{"万亿", 1e12}, {"千万", 1e7}, {"百万", 1e6}, {"十万", 1e5}, {"亿", 1e8}, {"万", 1e4}, {"千", 1e3}, {"百", 1e2}}

// unitFactors returns the factors that bring values in units a and b to one
// unit; ok is false when they measure different things. A missing unit fits any.
func unitFactors(a, b string) (fa, fb float64, ok bool) {
	a, b = foldName(a), foldName(b)
	if a == "" || b == "" || a == b {
		return 1, 1, true
	}
	ba, fa := splitMultiple(a)
	bb, fb := splitMultiple(b)
	if ba != bb {
		return 0, 0, false
	}
	return fa, fb, true
}

func splitMultiple(u string) (string, float64) {
	for _, m := range multiples {
		if rest, ok := strings.CutPrefix(u, m.w); ok && rest != "" {
			return rest, m.f
		}
	}
	return u, 1
}

func finding(a, b statement, ag agreement, s Settings, outcomes bool) Finding {
	kind := FindingTargetMismatch
	switch {
	case outcomes:
		kind = FindingOutcomeMismatch
	case a.restated != b.restated:
		kind = FindingTargetRestated
	}
	sev := SeverityError
	switch ag {
	case agreeNear:
		sev = SeverityNotice
	case agreeMissing, agreeForm:
		sev = SeverityWarning
	}
	year := a.year
	return Finding{
		Kind: kind, Severity: sev, Year: &year, Indicator: a.place.Name,
		A: a.place, B: b.place,
		Message: message(kind, ag, a, b, s),
	}
}

func message(kind FindingKind, ag agreement, a, b statement, s Settings) string {
	qa, qb := quote(a.shown), quote(b.shown)
	y := strconv.Itoa(a.year)
	var zh, en string
	switch ag {
	case agreeNear:
		zh, en = "数值相同、表述不同", "same figure, worded differently"
	case agreeMissing:
		zh, en = "一处有数值、一处没有", "one place gives a figure and the other none"
	case agreeForm:
		zh, en = "表述方式不同，无法对照", "different forms that cannot be matched"
	default:
		zh, en = "数值不一致", "the figures differ"
	}
	switch kind {
	case FindingTargetRestated:
		zh, en = "重述"+y+"年目标时"+zh, "the "+y+" target restated: "+en
	case FindingOutcomeMismatch:
		zh, en = "两张表的"+y+"年完成情况"+zh, "the "+y+" outcome in two tables: "+en
	default:
		zh, en = y+"年目标"+zh, "the "+y+" target: "+en
	}
	return pick(s, zh+"："+qa+"与"+qb, en+": "+qa+" and "+qb)
}

func quote(t string) string { return "“" + t + "”" }

// missingTasks finds the targets of each work report that no task of the same
// year's decomposition mentions.
func missingTasks(docs []*ingest.Extraction, in []bool, s Settings) []Finding {
	var out []Finding
	for wi, w := range docs {
		if !in[wi] || w.Kind != ingest.KindWorkReport || w.Year == nil {
			continue
		}
		for di, d := range docs {
			if !in[di] || d.Kind != ingest.KindDecomposition || d.Year == nil || *d.Year != *w.Year || len(d.Tasks) == 0 {
				continue
			}
			idx := newTaskIndex(d)
			for _, t := range w.Targets {
				if t.Subject == "" || idx.covers(t.Subject) {
					continue
				}
				year := *w.Year
				if t.Year != nil {
					year = *t.Year
				}
				if year != *d.Year {
					continue
				}
				shown := t.Text
				if strings.Contains(shown, "分别") {
					// The span is shared by the targets of one 分别 sentence.
					shown = t.Subject
					if t.Measure == ingest.MeasureGrowth {
						shown += "增长"
					}
					shown += figureText(ingest.Expr{Op: t.Op, Value: t.Value, Text: t.Text}, deref(t.Unit))
				}
				stretch := ""
				if t.Stretch {
					stretch = pick(s, "（力争目标）", " (a stretch target)")
				}
				out = append(out, Finding{
					Kind: FindingNoTask, Severity: SeverityWarning, Year: &year, Indicator: t.Subject,
					A: Place{Source: w.Source, Line: linePtr(t.Line), Where: "正文", Name: t.Subject, Text: t.Text},
					B: Place{Source: d.Source, Where: d.Title},
					Message: pick(s,
						"政府工作报告的目标“"+shown+"”"+stretch+"在任务分解中没有对应任务",
						"the work report's target “"+shown+"”"+stretch+" has no task in the decomposition"),
				})
			}
		}
	}
	return out
}

// taskIndex answers whether a decomposition has a task for a subject.
type taskIndex struct {
	keys     map[string]bool // NormalizeName of every task target's subject
	contents []string        // looseName of every task's content and note
}

func newTaskIndex(d *ingest.Extraction) taskIndex {
	idx := taskIndex{keys: map[string]bool{}}
	for _, task := range d.Tasks {
		for _, t := range task.Targets {
			idx.keys[NormalizeName(t.Subject)] = true
		}
		c := task.Content
		if task.Note != nil {
			c += *task.Note
		}
		idx.contents = append(idx.contents, looseName(c))
	}
	return idx
}

// covers reports whether some task states a target for subject or mentions it.
func (idx taskIndex) covers(subject string) bool {
	key := NormalizeName(subject)
	if idx.keys[key] {
		return true
	}
	loose := looseName(subject)
	bare := strings.TrimPrefix(key, "新增")
	for _, c := range idx.contents {
		if strings.Contains(c, loose) || strings.Contains(c, key) || (enough(bare) && strings.Contains(c, bare)) {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// CheckReport is the result of `duban check --json`: the documents compared, by
// file name, and the findings of Check.
type CheckReport struct {
	Sources  []string  `json:"sources"`
	Findings []Finding `json:"findings"`
}

// CheckDocuments runs Check and names the documents it compared.
func CheckDocuments(docs []*ingest.Extraction, s Settings) *CheckReport {
	r := &CheckReport{Sources: []string{}, Findings: Check(docs, s)}
	for _, x := range docs {
		r.Sources = append(r.Sources, x.Source)
	}
	return r
}
