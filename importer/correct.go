package importer

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"duban"
	"duban/ingest"
)

// extract reads the document, again with the office's column roles when
// they change how a column was read, and returns the roles that did.
func (s *Service) extract(req Request) (*ingest.Extraction, map[string]ingest.ColumnRole, error) {
	lim := s.Limits
	if lim == (ingest.Limits{}) {
		lim = ingest.DefaultLimits
	}
	x, err := ingest.Extract(req.FileName, req.Data, lim)
	if err != nil {
		return nil, nil, documentError(req.FileName, err)
	}
	roles := map[string]ingest.ColumnRole{}
	if len(req.Corrections.Columns) == 0 {
		return x, roles, nil
	}
	read := map[string]ingest.ColumnRole{}
	for _, h := range x.Headers {
		for _, c := range h.Columns {
			read[c.Header] = c.Role
		}
	}
	for header, role := range req.Corrections.Columns {
		header = strings.Map(dropSpace, header)
		was, ok := read[header]
		if !ok {
			return nil, nil, duban.Errorf(duban.CodeInvalid, "文件的任务表中没有表头为“%s”的列", header)
		}
		if !role.Valid() {
			return nil, nil, duban.Errorf(duban.CodeInvalid, "列“%s”的用途“%s”无效", header, role)
		}
		if role != was {
			roles[header] = role
		}
	}
	if len(roles) == 0 {
		return x, roles, nil
	}
	x, err = ingest.ExtractWith(req.FileName, req.Data, lim, ingest.Hints{Columns: roles})
	if err != nil {
		return nil, nil, documentError(req.FileName, err)
	}
	return x, roles, nil
}

// documentError makes a document the reader refuses CodeInvalid with its
// file and line.
func documentError(name string, err error) error {
	var ie *ingest.Error
	if errors.As(err, &ie) {
		return duban.Errorf(duban.CodeInvalid, "%s", ie.Error())
	}
	return fmt.Errorf("extract %s: %w", name, err)
}

// dropSpace is a strings.Map function that removes white space.
func dropSpace(r rune) rune {
	if unicode.IsSpace(r) {
		return -1
	}
	return r
}

// correctedTask is a task of the document with the office's corrections.
type correctedTask struct {
	ingest.Task
	added   bool
	dropped bool
	edited  []string
}

// correct applies the office's corrections to the tasks of x. It returns
// every task in the order of the document, dropped ones marked, and the
// corrections that change something. A line that names no task (or no
// unread paragraph, for Added) is CodeInvalid.
func correct(x *ingest.Extraction, c Corrections) ([]correctedTask, Corrections, error) {
	out := Corrections{Tasks: []TaskEdit{}, Dropped: []int{}, Added: []TaskEdit{}}
	tasks := make([]correctedTask, 0, len(x.Tasks)+len(c.Added))
	byLine := map[int]int{}
	for _, t := range x.Tasks {
		if _, ok := byLine[t.Line]; !ok {
			byLine[t.Line] = len(tasks)
		}
		tasks = append(tasks, correctedTask{Task: t})
	}
	unread := map[int]string{}
	for _, p := range x.Unread {
		unread[p.Line] = p.Text
	}
	dropped := map[int]bool{}
	for _, line := range c.Dropped {
		dropped[line] = true
	}
	edits := map[int]TaskEdit{}
	for _, e := range c.Tasks {
		if _, ok := byLine[e.Line]; !ok && !slices.ContainsFunc(c.Added, func(a TaskEdit) bool { return a.Line == e.Line }) {
			return nil, out, duban.Errorf(duban.CodeInvalid, "第 %d 行没有任务", e.Line)
		}
		edits[e.Line] = mergeEdits(edits[e.Line], e)
	}

	// Paragraphs taken as tasks join the section of the task above them.
	used := map[taskKey]bool{}
	last := map[string]int{}
	for _, t := range x.Tasks {
		used[keyOf(t.Section, t.Number)] = true
		last[t.Section] = max(last[t.Section], t.Number)
	}
	added := slices.Clone(c.Added)
	sort.SliceStable(added, func(i, j int) bool { return added[i].Line < added[j].Line })
	for i, a := range added {
		if i > 0 && added[i-1].Line == a.Line {
			continue
		}
		text, ok := unread[a.Line]
		if !ok {
			if _, isTask := byLine[a.Line]; isTask {
				return nil, out, duban.Errorf(duban.CodeInvalid, "第 %d 行已是任务", a.Line)
			}
			return nil, out, duban.Errorf(duban.CodeInvalid, "第 %d 行没有可作为任务的段落", a.Line)
		}
		if dropped[a.Line] {
			continue
		}
		t := ingest.ItemTask(text, a.Line, x.Year)
		for _, above := range x.Tasks {
			if above.Line < a.Line {
				t.Section, t.Subsection = above.Section, above.Subsection
			}
		}
		if t.Section == "" && len(x.Tasks) > 0 && x.Tasks[0].Line > a.Line {
			t.Section, t.Subsection = x.Tasks[0].Section, x.Tasks[0].Subsection
		}
		if t.Number <= 0 || used[keyOf(t.Section, t.Number)] {
			t.Number = last[t.Section] + 1
		}
		used[keyOf(t.Section, t.Number)] = true
		last[t.Section] = max(last[t.Section], t.Number)
		ct := correctedTask{Task: t, added: true}
		e, err := ct.apply(mergeEdits(a, edits[a.Line]), x.Year)
		if err != nil {
			return nil, out, err
		}
		e.Line = a.Line
		out.Added = append(out.Added, e)
		tasks = append(tasks, ct)
	}
	for _, line := range c.Dropped {
		i, ok := byLine[line]
		switch {
		case ok:
			if !tasks[i].dropped {
				tasks[i].dropped = true
				out.Dropped = append(out.Dropped, line)
			}
		case unread[line] != "":
			// A paragraph taken as a task and dropped again is simply
			// not taken.
		default:
			return nil, out, duban.Errorf(duban.CodeInvalid, "第 %d 行没有任务", line)
		}
	}
	lines := make([]int, 0, len(edits))
	for line := range edits {
		lines = append(lines, line)
	}
	sort.Ints(lines)
	for _, line := range lines {
		i, ok := byLine[line]
		if !ok {
			continue // an added paragraph's, applied above
		}
		e, err := tasks[i].apply(edits[line], x.Year)
		if err != nil {
			return nil, out, err
		}
		if len(tasks[i].edited) > 0 {
			e.Line = line
			out.Tasks = append(out.Tasks, e)
		}
	}
	sort.Ints(out.Dropped)
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].Line < tasks[j].Line })
	return tasks, out, nil
}

// mergeEdits is a with the fields b gives set from b.
func mergeEdits(a, b TaskEdit) TaskEdit {
	if a.Line == 0 {
		a.Line = b.Line
	}
	if b.Section != nil {
		a.Section = b.Section
	}
	if b.Number != nil {
		a.Number = b.Number
	}
	if b.Content != nil {
		a.Content = b.Content
	}
	if b.Leaders != nil {
		a.Leaders = b.Leaders
	}
	if b.LeadUnits != nil {
		a.LeadUnits = b.LeadUnits
	}
	if b.ResponsibleUnits != nil {
		a.ResponsibleUnits = b.ResponsibleUnits
	}
	if b.Deadline != nil {
		a.Deadline = b.Deadline
	}
	return a
}

// apply sets the fields e gives that differ from the task's, and returns
// the edit with only those. A new content is searched for targets again.
func (t *correctedTask) apply(e TaskEdit, year *int) (TaskEdit, error) {
	var out TaskEdit
	if e.Section != nil {
		if v := strings.TrimSpace(*e.Section); v != t.Section {
			t.Section, out.Section = v, &v
			t.edited = append(t.edited, "section")
		}
	}
	if e.Number != nil {
		if *e.Number <= 0 {
			return out, duban.Errorf(duban.CodeInvalid, "第 %d 行任务的序号应为正整数", t.Line)
		}
		if v := *e.Number; v != t.Number {
			t.Number, out.Number = v, &v
			t.edited = append(t.edited, "number")
		}
	}
	if e.Content != nil {
		v := strings.TrimSpace(strings.ReplaceAll(*e.Content, "\r\n", "\n"))
		if v == "" {
			return out, duban.Errorf(duban.CodeInvalid, "第 %d 行任务的内容不能为空", t.Line)
		}
		if v != t.Content {
			t.Content, out.Content = v, &v
			t.Targets = ingest.FindTargets(v, t.Line, year)
			if t.Targets == nil {
				t.Targets = []ingest.Target{}
			}
			t.edited = append(t.edited, "content")
		}
	}
	list := func(field string, given *[]string, have *[]string, set **[]string) {
		if given == nil {
			return
		}
		v := names(*given)
		if !slices.Equal(v, *have) {
			*have, *set = v, &v
			t.edited = append(t.edited, field)
		}
	}
	list("leaders", e.Leaders, &t.Leaders, &out.Leaders)
	list("lead_units", e.LeadUnits, &t.LeadUnits, &out.LeadUnits)
	list("responsible_units", e.ResponsibleUnits, &t.ResponsibleUnits, &out.ResponsibleUnits)
	if e.Deadline != nil {
		if v := strings.TrimSpace(*e.Deadline); v != deref(t.Deadline) {
			out.Deadline = &v
			t.Deadline = nil
			if v != "" {
				t.Deadline = &v
			}
			t.edited = append(t.edited, "deadline")
		}
	}
	return out, nil
}

// names cleans a list of names as the office typed them: white space
// removed (陈  平 is 陈平), empty ones and repeats left out.
func names(in []string) []string {
	out := []string{}
	for _, n := range in {
		n = strings.Map(dropSpace, n)
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
