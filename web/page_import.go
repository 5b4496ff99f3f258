package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"duban"
	"duban/importer"
	"duban/ingest"
)

// The import wizard: upload a document, see what importing it would do
// (every task with its fields, tasks created and changed, warnings with
// their lines, unit names to decide with the merges proposed, another
// place's issuer or another year to acknowledge), correct it (a task's
// fields, a task dropped, a paragraph the reader passed over taken as a
// task, a table column's role, a unit name that is another unit's), preview
// again, then confirm. The file and the decisions travel with the preview
// form, so nothing is kept on the server between the steps; the importer
// applies the same corrections for the JSON API.

type importView struct {
	*pageBase
	Form      *form
	Documents []*duban.Document
	Result    *duban.ImportResult
}

func (s *Server) pageImport(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		return s.renderImport(ps, w, r, c, b, http.StatusOK, newForm(nil))
	}
}

func (s *Server) renderImport(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase, status int, f *form) error {
	b.Title = b.T("import.title")
	b.Active = "nav.import"
	docs, err := s.store.FindDocuments(r.Context(), c.actor.OrgID)
	if err != nil {
		return fmt.Errorf("find documents: %w", err)
	}
	v := importView{pageBase: b, Form: f, Documents: docs}
	q := r.URL.Query()
	if q.Get("ok") == "imported" {
		res := &duban.ImportResult{}
		res.DocumentID, _ = strconv.ParseInt(q.Get("doc"), 10, 64)
		res.TasksCreated, _ = strconv.Atoi(q.Get("created"))
		res.TasksUpdated, _ = strconv.Atoi(q.Get("updated"))
		res.UnitsCreated, _ = strconv.Atoi(q.Get("units"))
		res.Indicators, _ = strconv.Atoi(q.Get("indicators"))
		v.Result = res
	}
	return s.render(ps, w, r, status, "import", v)
}

// previewView is the wizard's second step: every task with its fields to
// correct, the unit names to decide, the table columns, the paragraphs the
// reader passed over, and what the document's issuer and year are against
// the organisation's.
type previewView struct {
	*pageBase
	Preview  *importer.Preview
	Data     string // the file, base64
	FileName string
	// ProposalsJSON carries the merges proposed so far to the next step;
	// PreviewedJSON the decisions this preview was made with.
	ProposalsJSON string
	PreviewedJSON string
	Message       string
	Redone        bool
	// Refusal is why confirming was refused (an acknowledgement missing, a
	// correction that names no task).
	Refusal      string
	Acknowledged bool
	Units        []unitRow           // names to decide: new, or merged in this import
	Known        []importer.UnitName // names the ledger knows
	UnitOptions  []string            // the datalist of unit names
	Sections     []taskSection       // the tasks by section
	Columns      []columnRow         // the task tables' columns
	Roles        []ingest.ColumnRole // what a column may be
	Added        map[int]bool        // paragraphs taken as tasks
}

// unitRow is a unit name the office decides on: a new unit, or another
// name of one (a proposal ticked, or a name typed).
type unitRow struct {
	importer.UnitName
	Index    int
	Proposal *importer.ProposedMerge
	Accepted bool   // the proposal is ticked
	Into     string // the unit typed
}

// taskSection is the tasks of one section of the document.
type taskSection struct {
	Name  string
	Tasks []taskRow
}

// taskRow is a task with its name lists as the editor shows them.
type taskRow struct {
	importer.PreviewTask
	LeadersText, LeadText, RespText string
}

// columnRow is a column of a task table and the role it was read in.
type columnRow struct {
	Index  int
	Header string
	Role   ingest.ColumnRole
}

// decisions are what the office decided on a preview: the merges and the
// corrections (as the importer gives them back, only those that change
// something). A confirmation imports only when they are the ones previewed.
type decisions struct {
	Merges      map[string]string    `json:"merges"`
	Corrections importer.Corrections `json:"corrections"`
}

func (d decisions) key() string {
	b, _ := json.Marshal(d)
	return string(b)
}

// Status names a task's status in the page's language.
func (v *previewView) Status(s string) string { return v.T("import.status." + s) }

// ColumnRole names a column's role in the page's language.
func (v *previewView) ColumnRole(r ingest.ColumnRole) string { return v.T("import.col." + string(r)) }

// MergeValue is the checkbox value of a proposed merge.
func (v *previewView) MergeValue(m importer.ProposedMerge) string { return m.Name + mergeSep + m.Into }

// MismatchText says a mismatch in the page's language: the importer's
// message in Chinese.
func (v *previewView) MismatchText(m importer.Mismatch) string {
	if v.Lang != langEN {
		return m.Message
	}
	if m.Kind == importer.MismatchIssuer {
		return v.Tf("import.mm.issuer", m.Document, m.Ledger, m.Ledger)
	}
	year := 0
	if m.DefaultYear != nil {
		year = *m.DefaultYear
	}
	return v.Tf("import.mm.year", m.Document, m.Ledger, year)
}

// HowText says how a unit name was resolved.
func (v *previewView) HowText(u importer.UnitName) string {
	if u.How == importer.UnitExisting || u.How == importer.UnitNew {
		return v.T("import.how." + u.How)
	}
	key := "import.how." + u.How
	return v.Tf(key, u.Unit)
}

const mergeSep = "\u2192" // →

// nameSep joins the names of a list in the editor; splitNames reads them back.
const nameSep = "、"

// splitNames reads a list of names as typed: separated by 、，,；; or line
// breaks, except inside brackets (各县（市、区） is one name). Spaces stay
// inside a name (陈  平 is 陈平) for the importer to remove.
func splitNames(s string) []string {
	out := []string{}
	var cur strings.Builder
	depth := 0
	flush := func() {
		if n := strings.TrimSpace(cur.String()); n != "" {
			out = append(out, n)
		}
		cur.Reset()
	}
	for _, r := range s {
		switch {
		case r == '（' || r == '(':
			depth++
		case (r == '）' || r == ')') && depth > 0:
			depth--
		case depth == 0 && strings.ContainsRune("、，,；;\n", r):
			flush()
			continue
		}
		cur.WriteRune(r)
	}
	flush()
	return out
}

func (s *Server) pageImportPreview(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		release, err := s.enterUpload(r, uploadDocument)
		if err != nil {
			return err
		}
		defer release()
		if s.importer == nil {
			return errors.New("no importer configured")
		}
		f := newForm(nil)
		req, err := s.readUpload(w, r, c)
		if err != nil {
			if ferr := f.Err("file", err); ferr != nil {
				return ferr
			}
			if f.Message != "" {
				f.Fail("file", f.Message)
				f.Message = ""
			}
			return s.renderImport(ps, w, r, c, b, http.StatusBadRequest, f)
		}
		// The proposed merges start unticked: nothing is merged that the
		// office did not confirm.
		p, err := s.importer.Preview(r.Context(), c.actor, req)
		if err != nil {
			if ferr := f.Err("file", err); ferr != nil {
				return fmt.Errorf("preview import: %w", ferr)
			}
			return s.renderImport(ps, w, r, c, b, http.StatusBadRequest, f)
		}
		return s.renderPreview(ps, w, r, c, b, http.StatusOK, req, p, nil, previewNote{})
	}
}

// previewNote is what the preview page says above the preview.
type previewNote struct {
	message      string
	redone       bool
	refusal      string
	acknowledged bool
}

// renderPreview shows the preview p of req; proposals are the merges
// proposed by earlier previews of the same file.
func (s *Server) renderPreview(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase, status int,
	req importer.Request, p *importer.Preview, proposals []importer.ProposedMerge, note previewNote) error {
	fillPreview(p)
	b.Title = b.T("import.previewtitle")
	b.Active = "nav.import"
	for _, m := range p.Merges {
		if !slices.ContainsFunc(proposals, func(o importer.ProposedMerge) bool { return o.Name == m.Name }) {
			proposals = append(proposals, m)
		}
	}
	merges := req.Merges
	if merges == nil {
		merges = map[string]string{}
	}
	pj, _ := json.Marshal(proposals)
	v := previewView{pageBase: b, Preview: p, Data: base64.StdEncoding.EncodeToString(req.Data), FileName: req.FileName,
		ProposalsJSON: string(pj), PreviewedJSON: decisions{merges, p.Corrections}.key(),
		Message: note.message, Redone: note.redone, Refusal: note.refusal, Acknowledged: note.acknowledged,
		Roles: ingest.ColumnRoles, Added: map[int]bool{}}
	for _, a := range p.Corrections.Added {
		v.Added[a.Line] = true
	}
	// The names to decide, each with the merge proposed for it.
	units, err := s.store.FindUnits(r.Context(), c.actor.OrgID)
	if err != nil {
		return fmt.Errorf("find units: %w", err)
	}
	for _, u := range units {
		v.UnitOptions = append(v.UnitOptions, u.Name)
	}
	for _, u := range p.Units {
		if u.How != importer.UnitNew && u.How != importer.UnitMerged {
			v.Known = append(v.Known, u)
			continue
		}
		row := unitRow{UnitName: u, Index: len(v.Units)}
		if u.How == importer.UnitNew && !slices.Contains(v.UnitOptions, u.Name) {
			v.UnitOptions = append(v.UnitOptions, u.Name)
		}
		for i := range proposals {
			if proposals[i].Name == u.Name {
				row.Proposal = &proposals[i]
			}
		}
		if into, ok := merges[u.Name]; ok {
			if row.Proposal != nil && row.Proposal.Into == into {
				row.Accepted = true
			} else {
				row.Into = into
			}
		}
		v.Units = append(v.Units, row)
	}
	seen := map[string]bool{}
	for _, h := range p.Headers {
		for _, col := range h.Columns {
			if !seen[col.Header] {
				seen[col.Header] = true
				v.Columns = append(v.Columns, columnRow{Index: len(v.Columns), Header: col.Header, Role: col.Role})
			}
		}
	}
	for _, t := range p.Tasks {
		if len(v.Sections) == 0 || v.Sections[len(v.Sections)-1].Name != t.Section {
			v.Sections = append(v.Sections, taskSection{Name: t.Section})
		}
		sec := &v.Sections[len(v.Sections)-1]
		sec.Tasks = append(sec.Tasks, taskRow{PreviewTask: t, LeadersText: strings.Join(t.Leaders, nameSep),
			LeadText: strings.Join(t.LeadUnits, nameSep), RespText: strings.Join(t.ResponsibleUnits, nameSep)})
	}
	return s.render(ps, w, r, status, "import_preview", &v)
}

// readDecisions reads the office's decisions from the preview form: the
// merges ticked or typed, the tasks dropped, the paragraphs taken as tasks,
// the columns' roles, and the tasks' fields. A field counts as corrected
// when it differs from what the page showed (shown, made with the
// corrections before): those corrections stand, and a field left as shown
// does not hide what a changed column role reads.
func readDecisions(pf url.Values, before importer.Corrections, shown *importer.Preview) (map[string]string, importer.Corrections, error) {
	merges := map[string]string{}
	for _, m := range pf["merge"] {
		if name, into, ok := strings.Cut(m, mergeSep); ok {
			merges[name] = into
		}
	}
	for i := 0; pf.Has(fmt.Sprintf("u.%d.name", i)); i++ {
		name := pf.Get(fmt.Sprintf("u.%d.name", i))
		if into := strings.TrimSpace(pf.Get(fmt.Sprintf("u.%d.into", i))); into != "" && into != name {
			merges[name] = into
		}
	}
	c := importer.Corrections{Tasks: []importer.TaskEdit{}, Dropped: []int{}, Added: []importer.TaskEdit{}, Columns: map[string]ingest.ColumnRole{},
		Year: before.Year}
	if v := strings.TrimSpace(pf.Get("year")); v != "" && (shown.Year == nil || v != strconv.Itoa(*shown.Year)) {
		y, err := strconv.Atoi(v)
		if err != nil {
			return nil, c, duban.Errorf(duban.CodeInvalid, "年度应为四位数字的年份，如 2024")
		}
		c.Year = &y
	}
	lines := func(key string) (map[int]bool, error) {
		out := map[int]bool{}
		for _, v := range pf[key] {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, duban.Errorf(duban.CodeInvalid, "导入表单不完整，请重新上传文件")
			}
			out[n] = true
		}
		return out, nil
	}
	added, err := lines("add")
	if err != nil {
		return nil, c, err
	}
	dropped, err := lines("drop")
	if err != nil {
		return nil, c, err
	}
	c.Dropped = slices.Sorted(maps.Keys(dropped))
	for i := 0; pf.Has(fmt.Sprintf("col.%d.header", i)); i++ {
		c.Columns[pf.Get(fmt.Sprintf("col.%d.header", i))] = ingest.ColumnRole(pf.Get(fmt.Sprintf("col.%d.role", i)))
	}

	// The edits before, by line, then what changed on the page.
	edits := map[int]importer.TaskEdit{}
	for _, e := range before.Tasks {
		edits[e.Line] = e
	}
	for _, e := range before.Added {
		edits[e.Line] = e
	}
	for _, t := range shown.Tasks {
		if t.Added && !added[t.Line] {
			delete(edits, t.Line) // a paragraph no longer taken as a task
			continue
		}
		field := func(name string) (string, bool) {
			key := fmt.Sprintf("t.%d.%s", t.Line, name)
			return pf.Get(key), pf.Has(key)
		}
		e := edits[t.Line]
		e.Line = t.Line
		if v, ok := field("section"); ok && strings.TrimSpace(v) != t.Section {
			e.Section = &v
		}
		if v, ok := field("number"); ok && strings.TrimSpace(v) != strconv.Itoa(t.Number) {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n <= 0 {
				return nil, c, duban.Errorf(duban.CodeInvalid, "第 %d 行任务的序号应为正整数", t.Line)
			}
			e.Number = &n
		}
		if v, ok := field("content"); ok && strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n")) != t.Content {
			e.Content = &v
		}
		list := func(name string, have []string, set **[]string) {
			if v, ok := field(name); ok {
				if names := splitNames(v); !slices.Equal(namesKey(names), namesKey(have)) {
					*set = &names
				}
			}
		}
		list("leaders", t.Leaders, &e.Leaders)
		list("lead", t.LeadUnits, &e.LeadUnits)
		list("resp", t.ResponsibleUnits, &e.ResponsibleUnits)
		if v, ok := field("deadline"); ok && strings.TrimSpace(v) != t.Deadline {
			e.Deadline = &v
		}
		edits[t.Line] = e
	}
	for _, l := range slices.Sorted(maps.Keys(added)) {
		e := edits[l]
		e.Line = l
		c.Added = append(c.Added, e)
		delete(edits, l)
	}
	for _, l := range slices.Sorted(maps.Keys(edits)) {
		if e := edits[l]; e != (importer.TaskEdit{Line: l}) {
			c.Tasks = append(c.Tasks, e)
		}
	}
	return merges, c, nil
}

// namesKey is a list of names as the importer compares them: white space
// removed, empty ones left out.
func namesKey(names []string) []string {
	out := []string{}
	for _, n := range names {
		if n = strings.Join(strings.Fields(n), ""); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// pageImportConfirm is the wizard's last step: with the decisions as
// previewed it imports; with other decisions it previews again.
func (s *Server) pageImportConfirm(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		release, err := s.enterUpload(r, uploadDocument)
		if err != nil {
			return err
		}
		defer release()
		if s.importer == nil {
			return errors.New("no importer configured")
		}
		if err := parseForm(w, r, s.cfg.MaxUploadBytes/3*4+8<<20); err != nil {
			return err
		}
		pf := r.PostForm
		data, err := base64.StdEncoding.DecodeString(pf.Get("data"))
		if err != nil || len(data) == 0 {
			return duban.Errorf(duban.CodeInvalid, "导入内容丢失，请重新上传文件")
		}
		base := importer.Request{OrgID: c.actor.OrgID, FileName: pf.Get("file_name"), Data: data}
		var proposals []importer.ProposedMerge
		var previewed decisions
		if json.Unmarshal([]byte(pf.Get("proposals")), &proposals) != nil || json.Unmarshal([]byte(pf.Get("previewed")), &previewed) != nil {
			return duban.Errorf(duban.CodeInvalid, "导入表单不完整，请重新上传文件")
		}
		note := previewNote{acknowledged: pf.Get("acknowledge") != ""}
		// The preview the page showed: what the form's fields are read
		// against, and what is shown again when this step fails.
		before := base
		before.Merges, before.Corrections = previewed.Merges, previewed.Corrections
		shown, err := s.importer.Preview(r.Context(), c.actor, before)
		if err != nil {
			if duban.ErrorCode(err) == duban.CodeInvalid {
				return duban.Errorf(duban.CodeInvalid, "导入表单不完整，请重新上传文件")
			}
			return fmt.Errorf("preview import: %w", err)
		}
		back := func(status int, msg string) error {
			note.refusal = msg
			return s.renderPreview(ps, w, r, c, b, status, before, shown, proposals, note)
		}
		req := base
		if req.Merges, req.Corrections, err = readDecisions(pf, previewed.Corrections, shown); err != nil {
			if duban.ErrorCode(err) != duban.CodeInvalid {
				return err
			}
			return back(http.StatusBadRequest, duban.ErrorMessage(err))
		}
		p, err := s.importer.Preview(r.Context(), c.actor, req)
		if err != nil {
			if duban.ErrorCode(err) != duban.CodeInvalid {
				return fmt.Errorf("preview import: %w", err)
			}
			return back(http.StatusBadRequest, duban.ErrorMessage(err))
		}
		if pf.Get("action") != "confirm" || (decisions{req.Merges, p.Corrections}).key() != previewed.key() {
			note.message, note.redone = b.T("import.redone"), true
			return s.renderPreview(ps, w, r, c, b, http.StatusOK, req, p, proposals, note)
		}
		req.Fingerprint = pf.Get("fingerprint")
		req.Acknowledge = note.acknowledged
		res, err := s.importer.Confirm(r.Context(), c.actor, req)
		if err != nil {
			code := duban.ErrorCode(err)
			if code != duban.CodeConflict && code != duban.CodeInvalid {
				return fmt.Errorf("confirm import: %w", err)
			}
			note.refusal = duban.ErrorMessage(err)
			if p, err = s.importer.Preview(r.Context(), c.actor, req); err != nil {
				return fmt.Errorf("preview import: %w", err)
			}
			return s.renderPreview(ps, w, r, c, b, statusOf(code), req, p, proposals, note)
		}
		return redirect(w, r, fmt.Sprintf("/import?ok=imported&doc=%d&created=%d&updated=%d&units=%d&indicators=%d",
			res.DocumentID, res.TasksCreated, res.TasksUpdated, res.UnitsCreated, res.Indicators))
	}
}
