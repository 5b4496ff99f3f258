package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"duban"
	"duban/importer"
)

// The import wizard: upload a document, see what importing it would do
// (tasks created and changed, warnings with their lines, proposed unit
// merges to accept or refuse), then confirm. The file travels with the
// preview form, so nothing is kept on the server between the steps.

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

// previewView is the wizard's second step.
type previewView struct {
	*pageBase
	Preview   *importer.Preview
	Proposals []importer.ProposedMerge
	Chosen    map[string]string
	Data      string // the file, base64
	FileName  string
	// ProposalsJSON and ChosenJSON carry the proposals and the merges the
	// preview was made with to the next step.
	ProposalsJSON string
	ChosenJSON    string
	Message       string
	Redone        bool
}

// Accepted reports whether a proposed merge is chosen.
func (v *previewView) Accepted(m importer.ProposedMerge) bool { return v.Chosen[m.Name] == m.Into }

// MergeValue is the checkbox value of a proposed merge.
func (v *previewView) MergeValue(m importer.ProposedMerge) string { return m.Name + mergeSep + m.Into }

const mergeSep = "\u2192" // →

func (s *Server) pageImportPreview(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
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
		// A first look finds the merges to propose; they start unticked:
		// nothing is merged that the office did not confirm.
		first, err := s.importer.Preview(r.Context(), c.actor, req)
		if err != nil {
			if ferr := f.Err("file", err); ferr != nil {
				return fmt.Errorf("preview import: %w", ferr)
			}
			return s.renderImport(ps, w, r, c, b, http.StatusBadRequest, f)
		}
		return s.renderPreview(ps, w, r, c, b, http.StatusOK, req, first.Merges, map[string]string{}, "", false)
	}
}

// renderPreview previews req with the chosen merges and shows the result.
func (s *Server) renderPreview(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase, status int,
	req importer.Request, proposals []importer.ProposedMerge, chosen map[string]string, msg string, redone bool) error {
	req.Merges = chosen
	req.Fingerprint = ""
	p, err := s.importer.Preview(r.Context(), c.actor, req)
	if err != nil {
		f := newForm(nil)
		if ferr := f.Err("file", err); ferr != nil {
			return fmt.Errorf("preview import: %w", ferr)
		}
		return s.renderImport(ps, w, r, c, b, http.StatusBadRequest, f)
	}
	fillPreview(p)
	b.Title = b.T("import.previewtitle")
	b.Active = "nav.import"
	pj, _ := json.Marshal(proposals)
	cj, _ := json.Marshal(chosen)
	v := previewView{pageBase: b, Preview: p, Proposals: proposals, Chosen: chosen,
		Data: base64.StdEncoding.EncodeToString(req.Data), FileName: req.FileName,
		ProposalsJSON: string(pj), ChosenJSON: string(cj), Message: msg, Redone: redone}
	return s.render(ps, w, r, status, "import_preview", &v)
}

// pageImportConfirm is the wizard's last step: with the merges as
// previewed it imports; with other merges it previews again.
func (s *Server) pageImportConfirm(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		if s.importer == nil {
			return errors.New("no importer configured")
		}
		if err := parseForm(w, r, s.cfg.MaxUploadBytes/3*4+1<<20); err != nil {
			return err
		}
		pf := r.PostForm
		data, err := base64.StdEncoding.DecodeString(pf.Get("data"))
		if err != nil || len(data) == 0 {
			return duban.Errorf(duban.CodeInvalid, "导入内容丢失，请重新上传文件")
		}
		req := importer.Request{OrgID: c.actor.OrgID, FileName: pf.Get("file_name"), Data: data}
		var proposals []importer.ProposedMerge
		var previewed map[string]string
		if json.Unmarshal([]byte(pf.Get("proposals")), &proposals) != nil || json.Unmarshal([]byte(pf.Get("previewed")), &previewed) != nil {
			return duban.Errorf(duban.CodeInvalid, "导入表单不完整，请重新上传文件")
		}
		chosen := map[string]string{}
		for _, m := range pf["merge"] {
			if name, into, ok := strings.Cut(m, mergeSep); ok {
				chosen[name] = into
			}
		}
		if pf.Get("action") != "confirm" || !maps.Equal(chosen, previewed) {
			return s.renderPreview(ps, w, r, c, b, http.StatusOK, req, proposals, chosen, b.T("import.redone"), true)
		}
		req.Merges = chosen
		req.Fingerprint = pf.Get("fingerprint")
		res, err := s.importer.Confirm(r.Context(), c.actor, req)
		if err != nil {
			if code := duban.ErrorCode(err); code == duban.CodeConflict || code == duban.CodeInvalid {
				return s.renderPreview(ps, w, r, c, b, statusOf(code), req, proposals, chosen, duban.ErrorMessage(err), true)
			}
			return fmt.Errorf("confirm import: %w", err)
		}
		return redirect(w, r, fmt.Sprintf("/import?ok=imported&doc=%d&created=%d&updated=%d&units=%d&indicators=%d",
			res.DocumentID, res.TasksCreated, res.TasksUpdated, res.UnitsCreated, res.Indicators))
	}
}
