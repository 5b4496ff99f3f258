package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"duban"
	"duban/assess"
	"duban/ingest"
)

// Preview extracts the document, applies the office's corrections and
// compares the result with the ledger. Nothing is written. A document that
// cannot be read gives CodeInvalid with the file and line, and so does a
// correction that names no task.
func (s *Service) Preview(ctx context.Context, a duban.Actor, req Request) (*Preview, error) {
	p, _, err := s.plan(ctx, a, req)
	return p, err
}

// Confirm writes the import previewed with the same request in one transaction.
// It gives CodeConflict when the plan is no longer the one whose fingerprint the
// request carries, and CodeInvalid with the reasons when the document's issuer
// or year is not the organisation's (Preview.Mismatches) and the request does
// not acknowledge it.
func (s *Service) Confirm(ctx context.Context, a duban.Actor, req Request) (*duban.ImportResult, error) {
	p, plan, err := s.plan(ctx, a, req)
	if err != nil {
		return nil, err
	}
	if len(p.Mismatches) > 0 {
		if !req.Acknowledge {
			var why []string
			for _, m := range p.Mismatches {
				why = append(why, m.Message)
			}
			return nil, duban.Errorf(duban.CodeInvalid, "%s。核对无误后，请明确确认再导入", strings.Join(why, "；"))
		}
		for _, m := range p.Mismatches {
			plan.Review.Acknowledged = append(plan.Review.Acknowledged, m.Kind)
		}
	}
	if req.Fingerprint != "" && req.Fingerprint != p.Fingerprint {
		return nil, duban.Errorf(duban.CodeConflict, "预览之后台账或确认事项已发生变化，请重新预览后再确认")
	}
	return s.Store.ApplyImport(ctx, a, plan)
}

// ledgerState is what the ledger holds for the organisation.
type ledgerState struct {
	units  map[string]*duban.Unit // by every name and alias
	people map[string]*duban.Person
	tasks  map[taskKey]*duban.Task
}

type taskKey struct {
	section string // the section's ordinal, 一 in 一、主要预期指标
	number  int
}

var sectionOrdinalRE = regexp.MustCompile(`^[一二三四五六七八九十百〇零]+`)

func keyOf(section string, number int) taskKey {
	if m := sectionOrdinalRE.FindString(section); m != "" {
		return taskKey{m, number}
	}
	return taskKey{section, number}
}

func (s *Service) load(ctx context.Context, a duban.Actor, orgID int64, year int) (*ledgerState, error) {
	st := &ledgerState{units: map[string]*duban.Unit{}, people: map[string]*duban.Person{}, tasks: map[taskKey]*duban.Task{}}
	units, err := s.Store.FindUnits(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	for _, u := range units {
		st.units[u.Name] = u
		for _, alias := range u.Aliases {
			st.units[alias] = u
		}
	}
	people, err := s.Store.FindPeople(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	for _, p := range people {
		st.people[p.Name] = p
	}
	for offset := 0; ; {
		page, total, err := s.Store.FindTasks(ctx, a, duban.TaskFilter{OrgID: orgID, Year: &year, Limit: 500, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("load tasks: %w", err)
		}
		for _, t := range page {
			st.tasks[keyOf(t.Section, t.Number)] = t
		}
		offset += len(page)
		if len(page) == 0 || offset >= total {
			break
		}
	}
	return st, nil
}

// plan extracts the document and computes both the preview and the plan.
func (s *Service) plan(ctx context.Context, a duban.Actor, req Request) (*Preview, *duban.ImportPlan, error) {
	if a.Role != duban.RoleAdmin {
		return nil, nil, duban.Errorf(duban.CodeForbidden, "只有管理员可以导入文件")
	}
	if req.OrgID == 0 {
		req.OrgID = a.OrgID
	}
	if req.OrgID != a.OrgID {
		return nil, nil, duban.Errorf(duban.CodeForbidden, "不能导入到其他单位的台账")
	}
	x, columns, err := s.extract(req)
	if err != nil {
		return nil, nil, err
	}
	read := x.Year
	if y := req.Corrections.Year; y != nil {
		if *y < 1949 || *y > 2100 {
			return nil, nil, duban.Errorf(duban.CodeInvalid, "年度 %d 不是有效的年份", *y)
		}
		x.Year = y
	}
	if x.Year == nil {
		return nil, nil, duban.Errorf(duban.CodeInvalid, "%s: 无法确定文件所属年度（标题、落款和正文开头都没有年份）：请在导入时填写年度", req.FileName)
	}
	tasks, corrections, err := correct(x, req.Corrections)
	if err != nil {
		return nil, nil, err
	}
	if err := checkMerges(req.Merges); err != nil {
		return nil, nil, err
	}
	corrections.Columns = columns
	if read == nil || *read != *x.Year {
		corrections.Year = x.Year
	}
	org, err := s.Store.FindOrgByID(ctx, req.OrgID)
	if err != nil {
		return nil, nil, fmt.Errorf("find organisation: %w", err)
	}
	sum := sha256.Sum256(req.Data)
	p := &Preview{FileName: req.FileName, SHA256: hex.EncodeToString(sum[:]), Kind: x.Kind, Title: x.Title,
		DocNumber: x.DocNumber, Issuer: x.Issuer, Year: x.Year, Org: org.Name, Mismatches: []Mismatch{},
		Created: []TaskChange{}, Updated: []TaskChange{}, Missing: []TaskRef{},
		NewUnits: []string{}, Merges: []ProposedMerge{}, Groups: []GroupExpansion{}, NewPeople: []string{},
		Warnings: slices.Clone(x.Warnings), Tasks: []PreviewTask{}, Units: []UnitName{},
		Unread: nonNil(x.Unread), Headers: nonNil(x.Headers), Corrections: corrections, Extraction: x}
	st, err := s.load(ctx, a, req.OrgID, *x.Year)
	if err != nil {
		return nil, nil, err
	}
	docs, err := s.Store.FindDocuments(ctx, req.OrgID)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range docs {
		if d.SHA256 == p.SHA256 {
			p.AlreadyImported = &d.ID
		}
	}
	plan := &duban.ImportPlan{OrgID: req.OrgID, Document: duban.Document{
		OrgID: req.OrgID, FileName: req.FileName, Kind: string(x.Kind), Title: x.Title, DocNumber: deref(x.DocNumber),
		Year: *x.Year, SHA256: p.SHA256, Size: int64(len(req.Data)), Content: req.Data,
	}, Review: review(corrections)}
	r := newResolver(st, req.Merges)
	seen := map[taskKey]bool{}
	for _, t := range tasks {
		pv := PreviewTask{Line: t.Line, Section: t.Section, Subsection: deref(t.Subsection), Number: t.Number,
			Content: t.Content, Note: deref(t.Note), Leaders: nonNil(t.Leaders), LeadUnits: nonNil(t.LeadUnits),
			ResponsibleUnits: nonNil(t.ResponsibleUnits), Deadline: deref(t.Deadline), Targets: previewTargets(t.Targets, *x.Year),
			Added: t.added, Edited: nonNil(t.edited)}
		key := keyOf(t.Section, t.Number)
		switch {
		case t.dropped:
			pv.Status = TaskDropped
			p.Tasks = append(p.Tasks, pv)
			continue
		case seen[key]:
			p.Warnings = append(p.Warnings, ingest.Warning{Line: t.Line, Message: fmt.Sprintf("任务 %s%d 重复出现，只导入第一处；改这一处的编号即可一并导入", key.section, t.Number)})
			pv.Status = TaskRepeated
			p.Tasks = append(p.Tasks, pv)
			continue
		}
		seen[key] = true
		pt := duban.PlannedTask{Task: duban.Task{
			OrgID: req.OrgID, Year: *x.Year, Section: t.Section, Subsection: deref(t.Subsection), Number: t.Number,
			Content: t.Content, Note: deref(t.Note), Deadline: deref(t.Deadline), SourceLine: t.Line,
			Targets: targetsOf(t.Targets, *x.Year),
		}}
		pt.LeaderNames = r.people(t.Leaders)
		pt.LeadUnitNames = r.units(t.LeadUnits, t.Line, &p.Warnings)
		pt.ResponsibleUnitNames = r.units(t.ResponsibleUnits, t.Line, &p.Warnings)
		r.countTask()
		ref := TaskRef{Section: t.Section, Number: t.Number, Line: t.Line}
		if old := st.tasks[key]; old != nil {
			ref.ID, pv.ID = old.ID, old.ID
			changes := diffTask(old, &pt)
			if len(changes) == 0 {
				p.Unchanged++
				pv.Status = TaskUnchanged
				p.Tasks = append(p.Tasks, pv)
				continue
			}
			pt.ID, pt.Version = old.ID, old.Version
			p.Updated = append(p.Updated, TaskChange{TaskRef: ref, Content: t.Content, Changes: changes})
			pv.Status = TaskUpdated
		} else {
			p.Created = append(p.Created, TaskChange{TaskRef: ref, Content: t.Content, Changes: []FieldChange{}})
			pv.Status = TaskCreated
		}
		p.Tasks = append(p.Tasks, pv)
		plan.Tasks = append(plan.Tasks, pt)
	}
	if x.Kind == ingest.KindDecomposition {
		for key, t := range st.tasks {
			if !seen[key] {
				p.Missing = append(p.Missing, TaskRef{ID: t.ID, Section: t.Section, Number: t.Number, Line: t.SourceLine})
			}
		}
		sort.Slice(p.Missing, func(i, j int) bool { return p.Missing[i].ID < p.Missing[j].ID })
	}
	plan.Indicators = indicatorsOf(x, req.OrgID)
	existing, err := s.Store.FindIndicators(ctx, req.OrgID, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("load indicators: %w", err)
	}
	plan.Indicators = withStatedTargets(x, plan.Indicators, existing, req.OrgID)
	p.Indicators = len(plan.Indicators)
	r.finish(p, plan)

	if m := issuerMismatch(x, org.Name); m != nil {
		p.Mismatches = append(p.Mismatches, *m)
	}
	years, err := s.ledgerYears(ctx, a, req.OrgID, docs, *x.Year, st)
	if err != nil {
		return nil, nil, err
	}
	if m := yearMismatch(*x.Year, s.currentYear(), years, len(plan.Tasks) > 0); m != nil {
		p.Mismatches = append(p.Mismatches, *m)
	}
	p.Fingerprint = fingerprint(p, plan)
	return p, plan, nil
}

func previewTargets(ts []ingest.Target, year int) []PreviewTarget {
	out := []PreviewTarget{}
	for _, t := range targetsOf(ts, year) {
		out = append(out, PreviewTarget{Text: t.Text, Subject: t.Subject, Measure: t.Measure, Op: t.Op, Value: t.Value, Unit: t.Unit, Year: t.Year})
	}
	return out
}

// checkMerges refuses merges that lead round in a circle (A is B, B is A):
// no unit would hold the names.
func checkMerges(merges map[string]string) error {
	for name := range merges {
		path := []string{name}
		for n := merges[name]; n != "" && n != path[len(path)-1]; n = merges[n] {
			if slices.Contains(path, n) {
				return duban.Errorf(duban.CodeInvalid, "单位名称的合并形成循环：%s → %s", strings.Join(path, " → "), n)
			}
			path = append(path, n)
		}
	}
	return nil
}

// review is what the audit log keeps of the office's corrections.
func review(c Corrections) duban.ImportReview {
	rv := duban.ImportReview{Edited: []int{}, Dropped: slices.Clone(c.Dropped), Added: []int{}, Columns: map[string]string{},
		Acknowledged: []string{}}
	for _, e := range c.Tasks {
		rv.Edited = append(rv.Edited, e.Line)
	}
	for _, e := range c.Added {
		rv.Added = append(rv.Added, e.Line)
	}
	for h, role := range c.Columns {
		rv.Columns[h] = string(role)
	}
	rv.Year = c.Year
	return rv
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func targetsOf(ts []ingest.Target, year int) []duban.Target {
	out := make([]duban.Target, 0, len(ts))
	for _, t := range ts {
		y := year
		if t.Year != nil {
			y = *t.Year
		}
		out = append(out, duban.Target{Year: y, Subject: t.Subject, Measure: string(t.Measure), Op: string(t.Op),
			Value: t.Value, Unit: deref(t.Unit), Text: t.Text})
	}
	return out
}

// indicatorsOf merges the rows of a document's indicator tables by name: the
// completion table and the proposal table hold the same indicators.
func indicatorsOf(x *ingest.Extraction, orgID int64) []duban.Indicator {
	var out []duban.Indicator
	index := map[string]int{}
	for _, t := range x.Tables {
		for _, ind := range t.Indicators {
			i, ok := index[ind.Name]
			if !ok {
				i = len(out)
				index[ind.Name] = i
				out = append(out, duban.Indicator{OrgID: orgID, Name: ind.Name, Category: ind.Category, Unit: ind.Unit,
					Attribute: ind.Attribute, Values: []duban.IndicatorValue{}})
			}
			for _, v := range ind.Values {
				if v.Year == nil {
					continue
				}
				nv := duban.IndicatorValue{Year: *v.Year, Kind: string(v.Kind), Text: v.Text, Op: string(v.Expr.Op), Value: v.Expr.Value}
				dup := slices.ContainsFunc(out[i].Values, func(o duban.IndicatorValue) bool { return o.Year == nv.Year && o.Kind == nv.Kind })
				if !dup {
					out[i].Values = append(out[i].Values, nv)
				}
			}
		}
	}
	return out
}

// diffTask lists the fields an import would change on an existing task.
func diffTask(old *duban.Task, nt *duban.PlannedTask) []FieldChange {
	var out []FieldChange
	add := func(field, before, after string) {
		if before != after {
			out = append(out, FieldChange{Field: field, Before: before, After: after})
		}
	}
	add("section", old.Section, nt.Section)
	add("subsection", old.Subsection, nt.Subsection)
	add("content", old.Content, nt.Content)
	add("note", old.Note, nt.Note)
	add("deadline", old.Deadline, nt.Deadline)
	add("leaders", strings.Join(old.Leaders, "、"), strings.Join(nt.LeaderNames, "、"))
	add("lead_units", strings.Join(old.LeadUnits, "、"), strings.Join(nt.LeadUnitNames, "、"))
	add("responsible_units", strings.Join(old.ResponsibleUnits, "、"), strings.Join(nt.ResponsibleUnitNames, "、"))
	return out
}

// fingerprint identifies a plan: the document and every decision in it.
func fingerprint(p *Preview, plan *duban.ImportPlan) string {
	h := sha256.New()
	h.Write([]byte(p.SHA256))
	type view struct {
		Tasks       []duban.PlannedTask
		Units       []duban.Unit
		People      []duban.Person
		Aliases     []duban.UnitAlias
		Indicators  []duban.Indicator
		Corrections Corrections
	}
	b, _ := json.Marshal(view{plan.Tasks, plan.NewUnits, plan.NewPeople, plan.Aliases, plan.Indicators, p.Corrections})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// withStatedTargets adds to the indicator system the targets a work report
// or a decomposition states for the year: a target of an indicator already
// known (from this document's tables or an earlier import, by
// assess.NormalizeName) becomes that indicator's target of the year unless a
// table gave one; the targets of a decomposition's first section (主要预期指标)
// that match none become indicators of their own.
func withStatedTargets(x *ingest.Extraction, inds []duban.Indicator, existing []*duban.Indicator, orgID int64) []duban.Indicator {
	type known struct {
		i      int // in inds, or -1
		values []duban.IndicatorValue
	}
	byKey := map[string]*known{}
	for i := range inds {
		byKey[assess.NormalizeName(inds[i].Name)] = &known{i: i, values: inds[i].Values}
	}
	for _, e := range existing {
		if k := assess.NormalizeName(e.Name); byKey[k] == nil {
			byKey[k] = &known{i: -1, values: e.Values}
			inds = append(inds, duban.Indicator{ID: e.ID, OrgID: orgID, Name: e.Name, Category: e.Category, Unit: e.Unit,
				Attribute: e.Attribute, Values: []duban.IndicatorValue{}})
			byKey[k].i = len(inds) - 1
		}
	}
	var stated []ingest.Target
	create := map[int]bool{} // indexes in stated of targets that may become indicators
	switch x.Kind {
	case ingest.KindWorkReport:
		stated = x.Targets
	case ingest.KindDecomposition:
		for _, t := range x.Tasks {
			first := strings.HasPrefix(t.Section, "一、") && strings.Contains(t.Section, "指标")
			for _, g := range t.Targets {
				if first {
					create[len(stated)] = true
				}
				stated = append(stated, g)
			}
		}
	}
	for n, t := range stated {
		if t.Year == nil || t.Value == nil && t.Op != ingest.OpExternal && t.Op != ingest.OpSync {
			continue
		}
		name := t.Subject
		if t.Measure == ingest.MeasureGrowth && !strings.ContainsAny(name, "增降") {
			name += "增速"
		}
		k := assess.NormalizeName(name)
		kn := byKey[k]
		if kn == nil {
			if !create[n] {
				continue
			}
			inds = append(inds, duban.Indicator{OrgID: orgID, Name: name, Category: "主要预期指标", Unit: deref(t.Unit),
				Attribute: "预期性", Values: []duban.IndicatorValue{}})
			kn = &known{i: len(inds) - 1}
			byKey[k] = kn
		}
		has := func(vs []duban.IndicatorValue) bool {
			return slices.ContainsFunc(vs, func(v duban.IndicatorValue) bool { return v.Year == *t.Year && v.Kind == "target" })
		}
		if has(kn.values) || has(inds[kn.i].Values) {
			continue // a table's target, or an earlier one, stands
		}
		inds[kn.i].Values = append(inds[kn.i].Values, duban.IndicatorValue{Year: *t.Year, Kind: "target", Text: t.Text, Op: string(t.Op), Value: t.Value})
	}
	// Existing indicators this document adds nothing to are left alone.
	out := inds[:0]
	for _, ind := range inds {
		if ind.ID == 0 || len(ind.Values) > 0 {
			out = append(out, ind)
		}
	}
	return out
}
