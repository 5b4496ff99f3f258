package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"duban"
	"duban/briefing"
	"duban/export"
)

// The media types of the exported files.
const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// writeFile answers with a generated file as an attachment named name.
func writeFile(w http.ResponseWriter, contentType, name string, b []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", fmt.Sprint(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}

// exportAsOf reads ?as_of=2024-11-30, the day an export's figures stand at,
// and returns the end of that day in the organisation's time zone, or now
// when it is absent. Another form is CodeInvalid.
func (s *Server) exportAsOf(r *http.Request) (time.Time, bool, error) {
	loc := s.cfg.location()
	v := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if v == "" {
		return s.now().In(loc), false, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, false, duban.Errorf(duban.CodeInvalid, "参数 as_of 应为日期，如 2024-11-30")
	}
	return day.AddDate(0, 0, 1).Add(-time.Second), true, nil
}

// handleExportLedger writes the ledger (一表) as .xlsx:
// ?year=&sheets=section|unit|org&editable=unit|office&rollup=true&as_of=. A
// reporter's ledger holds the unit's tasks and may be made editable for the
// unit only.
func (s *Server) handleExportLedger(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var opt briefing.LedgerOptions
	switch q.Get("sheets") {
	case "":
	case "section":
		opt.Sheets = export.SheetsBySection
	case "unit":
		opt.Sheets = export.SheetsByLeadUnit
	case "org":
		opt.Sheets = export.SheetsByOrg
	default:
		return duban.Errorf(duban.CodeInvalid, "参数 sheets 应为 section、unit 或 org")
	}
	switch q.Get("editable") {
	case "":
	case "unit":
		opt.Editable = export.EditUnit
	case "office":
		if c.actor.Role != duban.RoleAdmin && c.actor.Role != duban.RoleSupervisor {
			return duban.Errorf(duban.CodeForbidden, "只有办公室可以导出供办公室修改的台账")
		}
		opt.Editable = export.EditOffice
	default:
		return duban.Errorf(duban.CodeInvalid, "参数 editable 应为 unit 或 office")
	}
	if opt.Rollup, err = queryBool(q, "rollup"); err != nil {
		return err
	}
	asOf, _, err := s.exportAsOf(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := briefing.WriteLedger(r.Context(), s.store, c.actor, &buf, org, year, asOf, opt); err != nil {
		return fmt.Errorf("export ledger: %w", err)
	}
	return writeFile(w, xlsxType, fmt.Sprintf("%d年重点工作任务台账.xlsx", year), buf.Bytes())
}

// handleExportTargets writes the year's 主要目标完成情况表 (.docx): ?year=&as_of=.
func (s *Server) handleExportTargets(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	asOf, _, err := s.exportAsOf(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := briefing.WriteTargets(r.Context(), s.store, c.actor, &buf, org, year, asOf); err != nil {
		return fmt.Errorf("export targets: %w", err)
	}
	return writeFile(w, docxType, fmt.Sprintf("%d年主要目标完成情况.docx", year), buf.Bytes())
}

// handleExportBulletin writes a supervision bulletin (督查通报, .docx):
// ?year=&period=2024年11月&number=渝中督查〔2024〕11号&issue=11&as_of=2024-11-30.
// The figures stand at as_of, by default the period's last day or today if
// sooner; the bulletin is dated today.
func (s *Server) handleExportBulletin(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	opt := briefing.BulletinOptions{Number: strings.TrimSpace(q.Get("number")), Period: strings.TrimSpace(q.Get("period"))}
	if err := checkLength("文号", opt.Number, 50); err != nil {
		return err
	}
	if err := checkLength("通报期间", opt.Period, 30); err != nil {
		return err
	}
	if v := q.Get("issue"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			return duban.Errorf(duban.CodeInvalid, "参数 issue 应为 1 至 999 的期号")
		}
		opt.Issue = n
	}
	if asOf, given, err := s.exportAsOf(r); err != nil {
		return err
	} else if given {
		opt.AsOf = asOf
	}
	var buf bytes.Buffer
	if err := briefing.WriteBulletin(r.Context(), s.store, c.actor, &buf, org, year, s.now(), s.cfg.location(), opt); err != nil {
		return fmt.Errorf("export bulletin: %w", err)
	}
	return writeFile(w, docxType, fmt.Sprintf("督查通报（%d年）.docx", year), buf.Bytes())
}

// handleExportUnitTasks writes a unit's task list (.docx): ?unit_id=, the
// reporter's own unit by default; &as_of= as for the other exports.
func (s *Server) handleExportUnitTasks(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, year, err := s.orgYear(r, c)
	if err != nil {
		return err
	}
	unit, err := queryInt64(r.URL.Query(), "unit_id")
	if err != nil {
		return err
	}
	switch {
	case unit == nil && c.actor.UnitID == nil:
		return duban.Errorf(duban.CodeInvalid, "请指定单位（参数 unit_id）")
	case unit == nil:
		unit = c.actor.UnitID
	case c.actor.Role == duban.RoleReporter && *unit != *c.actor.UnitID:
		return duban.Errorf(duban.CodeNotFound, "单位不存在")
	}
	var buf bytes.Buffer
	asOf, _, err := s.exportAsOf(r)
	if err != nil {
		return err
	}
	if err := briefing.WriteUnitTasks(r.Context(), s.store, c.actor, &buf, org, *unit, year, asOf); err != nil {
		return fmt.Errorf("export unit tasks: %w", err)
	}
	return writeFile(w, docxType, fmt.Sprintf("%d年任务清单.docx", year), buf.Bytes())
}

// readLedgerUpload reads the multipart upload of an edited ledger (field
// file) and the field confirm, a JSON array of task IDs.
func (s *Server) readLedgerUpload(w http.ResponseWriter, r *http.Request) (file []byte, confirm []int64, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, min(s.cfg.MaxUploadBytes, export.MaxLedgerBytes)+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, duban.Errorf(duban.CodeInvalid, "请以 multipart/form-data 上传台账（字段 file）")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, uploadError(err)
		}
		switch part.FormName() {
		case "file":
			if file, err = io.ReadAll(part); err != nil {
				return nil, nil, uploadError(err)
			}
		case "confirm":
			b, err := readField(part, 256<<10)
			if err != nil {
				return nil, nil, err
			}
			if err := json.Unmarshal(b, &confirm); err != nil {
				return nil, nil, duban.Errorf(duban.CodeInvalid, "字段 confirm 应为任务编号的 JSON 数组，如 [12, 15]")
			}
		default:
			return nil, nil, duban.Errorf(duban.CodeInvalid, "未知字段 %s", part.FormName())
		}
	}
	if len(file) == 0 {
		return nil, nil, duban.Errorf(duban.CodeInvalid, "缺少上传的台账（字段 file）")
	}
	return file, confirm, nil
}

// handleLedgerEditsPreview shows what an edited ledger would change, and
// what conflicts with changes made since it was exported. Nothing is
// written.
func (s *Server) handleLedgerEditsPreview(w http.ResponseWriter, r *http.Request, c *caller) error {
	release, err := s.enterUpload(r, uploadLedger)
	if err != nil {
		return err
	}
	defer release()
	file, _, err := s.readLedgerUpload(w, r)
	if err != nil {
		return err
	}
	le, err := briefing.PreviewLedgerEdits(r.Context(), s.store, c.actor, bytes.NewReader(file), int64(len(file)))
	if err != nil {
		return fmt.Errorf("preview ledger edits: %w", err)
	}
	return writeJSON(w, http.StatusOK, le)
}

// handleLedgerEditsApply applies the confirmed changes of an edited ledger
// that conflict with nothing, and says which were skipped and why.
func (s *Server) handleLedgerEditsApply(w http.ResponseWriter, r *http.Request, c *caller) error {
	release, err := s.enterUpload(r, uploadLedger)
	if err != nil {
		return err
	}
	defer release()
	file, confirm, err := s.readLedgerUpload(w, r)
	if err != nil {
		return err
	}
	le, err := briefing.PreviewLedgerEdits(r.Context(), s.store, c.actor, bytes.NewReader(file), int64(len(file)))
	if err != nil {
		return fmt.Errorf("read ledger edits: %w", err)
	}
	res, err := briefing.ApplyLedgerEdits(r.Context(), s.store, c.actor, le, confirm)
	if err != nil {
		return fmt.Errorf("apply ledger edits: %w", err)
	}
	return writeJSON(w, http.StatusOK, res)
}
