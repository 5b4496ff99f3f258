package draft

import (
	"fmt"

	"duban/ingest"
)

// Draft is a decomposition drafted from a work report. Its JSON form is the
// `duban extract --json` contract of a decomposition (kind "decomposition"),
// each task with two more fields, basis and confidence, and the draft with
// the sources of its history.
type Draft struct {
	*ingest.Extraction
	// Tasks shadow the extraction's tasks in JSON.
	Tasks []Task `json:"tasks"`
	// History names the earlier decompositions the suggestions come from.
	History []string `json:"history"`
}

// Task is a drafted task: as the report states it, with the leaders and
// units proposed from history.
type Task struct {
	ingest.Task
	// Basis are the earlier tasks most like this one, best first.
	Basis []Basis `json:"basis"`
	// Confidence (0–1) is how strongly the history points at the first lead
	// unit proposed; 0 when nothing is proposed.
	Confidence float64 `json:"confidence"`
}

// Make drafts the decomposition of a work report: Split, then Suggest for
// every task from the history (earlier decompositions, already read). The
// report's own reading gives the draft its year and issuer; its warnings
// are not repeated. Tasks like nothing in the history get a warning each.
func Make(report *ingest.Doc, history []*ingest.Extraction, aliases map[string]string) (*Draft, error) {
	x, err := ingest.Interpret(report)
	if err != nil {
		return nil, err
	}
	tasks, warns := Split(report, x.Year)
	ix := NewIndex(history, aliases)
	title := "政府工作报告重点工作目标任务分解（草稿）"
	if x.Year != nil {
		title = fmt.Sprintf("%d年%s", *x.Year, title)
	}
	d := &Draft{
		Extraction: &ingest.Extraction{
			Source:   report.Source,
			Kind:     ingest.KindDecomposition,
			Title:    title,
			Issuer:   x.Issuer,
			Year:     x.Year,
			Tasks:    []ingest.Task{},
			Tables:   []ingest.IndicatorTable{},
			Targets:  []ingest.Target{},
			Glossary: []ingest.GlossaryEntry{},
			Warnings: warns,
		},
		Tasks:   make([]Task, 0, len(tasks)),
		History: []string{},
	}
	for _, h := range history {
		d.History = append(d.History, h.Source)
	}
	if len(history) == 0 {
		d.Warnings = append(d.Warnings, ingest.Warning{Message: "没有给出往年的任务分解，未建议责任领导和单位"})
	}
	for _, t := range tasks {
		dt := Task{Task: t, Basis: []Basis{}}
		if ix.Len() > 0 {
			s := ix.Suggest(t)
			dt.Leaders = pick(s.Leaders, s.LeaderCount)
			dt.LeadUnits = pick(s.LeadUnits, s.LeadCount)
			dt.ResponsibleUnits = pick(s.ResponsibleUnits, s.ResponsibleCount)
			dt.Basis = append(dt.Basis, s.Basis...)
			dt.Confidence = s.Confidence
			if len(dt.LeadUnits) == 0 {
				d.Warnings = append(d.Warnings, ingest.Warning{Line: t.Line,
					Message: fmt.Sprintf("%s第%d项与往年任务都不相似，未建议责任单位", sectionOrdinal(t.Section), t.Number)})
			}
		}
		d.Tasks = append(d.Tasks, dt)
	}
	return d, nil
}

// sectionOrdinal is the "一、" of a section, or "".
func sectionOrdinal(section string) string {
	for i, r := range section {
		if r == '、' {
			return section[:i+len("、")]
		}
		if i > 9 {
			break
		}
	}
	return ""
}
