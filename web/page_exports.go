package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"

	"duban"
	"duban/briefing"
	"duban/export"
)

// The files of 一表一报告 from the pages: the same handlers as the API's
// exports, at addresses of their own so that a failure shows as a page,
// not as JSON; and the wizard that reads an edited ledger back.

// download serves an API file handler as a page: its errors render as the
// error page.
func (s *Server) download(h apiFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, _ *pageBase) error { return h(w, r, c) }
}

// ledgerEditsView is the upload step and, after applying, its result.
type ledgerEditsView struct {
	*pageBase
	Form   *form
	Result *briefing.LedgerResult
}

func (s *Server) pageLedgerEdits(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		return s.renderLedgerEdits(ps, w, r, b, http.StatusOK, newForm(nil), nil)
	}
}

func (s *Server) renderLedgerEdits(ps *pageSet, w http.ResponseWriter, r *http.Request, b *pageBase, status int, f *form,
	res *briefing.LedgerResult) error {
	b.Title = b.T("edits.title")
	b.Active = "nav.ledger"
	return s.render(ps, w, r, status, "ledger_edits", &ledgerEditsView{pageBase: b, Form: f, Result: res})
}

// ledgerPreviewView lists what an edited ledger changes, task by task,
// each with a box to tick; conflicting tasks are shown unticked and
// cannot be applied.
type ledgerPreviewView struct {
	*pageBase
	Changes   []export.LedgerChange
	Conflicts int
	Data      string // the file, base64, for the last step
}

// pageLedgerEditsPreview reads the uploaded ledger and shows its changes.
// Nothing is written.
func (s *Server) pageLedgerEditsPreview(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		release, err := s.enterUpload(r, uploadLedger)
		if err != nil {
			return err
		}
		defer release()
		f := newForm(nil)
		file, _, err := s.readLedgerUpload(w, r)
		if err == nil {
			var le *briefing.LedgerEdits
			if le, err = briefing.PreviewLedgerEdits(r.Context(), s.store, c.actor, bytes.NewReader(file), int64(len(file))); err == nil {
				return s.renderLedgerPreview(ps, w, r, b, le, file)
			}
		}
		if ferr := f.Err("file", err); ferr != nil {
			return fmt.Errorf("preview ledger edits: %w", ferr)
		}
		return s.renderLedgerEdits(ps, w, r, b, http.StatusBadRequest, f, nil)
	}
}

func (s *Server) renderLedgerPreview(ps *pageSet, w http.ResponseWriter, r *http.Request, b *pageBase, le *briefing.LedgerEdits, file []byte) error {
	b.Title = b.T("edits.previewtitle")
	b.Active = "nav.ledger"
	v := &ledgerPreviewView{pageBase: b, Changes: le.Changes, Data: base64.StdEncoding.EncodeToString(file)}
	for _, ch := range le.Changes {
		if ch.Conflict || ch.Refused {
			v.Conflicts++
		}
	}
	return s.render(ps, w, r, http.StatusOK, "ledger_edits_preview", v)
}

// pageLedgerEditsApply reads the ledger again from the form and applies the
// ticked tasks' changes that conflict with nothing; the result says which
// were skipped and why.
func (s *Server) pageLedgerEditsApply(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		release, err := s.enterUpload(r, uploadLedger)
		if err != nil {
			return err
		}
		defer release()
		if err := parseForm(w, r, export.MaxLedgerBytes/3*4+1<<20); err != nil {
			return err
		}
		file, err := base64.StdEncoding.DecodeString(r.PostForm.Get("data"))
		if err != nil || len(file) == 0 {
			return duban.Errorf(duban.CodeInvalid, "台账内容丢失，请重新上传文件")
		}
		var confirm []int64
		for _, v := range r.PostForm["task"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return duban.Errorf(duban.CodeInvalid, "任务编号 %q 无效", v)
			}
			confirm = append(confirm, id)
		}
		le, err := briefing.PreviewLedgerEdits(r.Context(), s.store, c.actor, bytes.NewReader(file), int64(len(file)))
		if err != nil {
			return fmt.Errorf("read ledger edits: %w", err)
		}
		res, err := briefing.ApplyLedgerEdits(r.Context(), s.store, c.actor, le, confirm)
		if err != nil {
			return fmt.Errorf("apply ledger edits: %w", err)
		}
		return s.renderLedgerEdits(ps, w, r, b, http.StatusOK, newForm(nil), res)
	}
}
