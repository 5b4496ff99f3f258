package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"duban"
	"duban/importer"
	"duban/ingest"
)

// Small form fields of an upload; the file takes the rest of the limit.
const (
	maxMergesBytes      = 256 << 10
	maxCorrectionsBytes = 2 << 20
	maxFingerprintBytes = 1 << 10
)

// readUpload reads the multipart form of an import: the file, the optional
// merges ({"区政服办": "区政务服务办"}: a name to the name it is another name
// of), the optional corrections (importer.Corrections as JSON), the optional
// acknowledge (true: import although the issuer or the year is not the
// organisation's) and the optional fingerprint. It streams the
// parts instead of spooling them to temporary files; the whole body is
// bounded by cfg.MaxUploadBytes (413 beyond it).
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, c *caller) (importer.Request, error) {
	req := importer.Request{OrgID: c.actor.OrgID}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return req, duban.Errorf(duban.CodeInvalid, "请以 multipart/form-data 上传文件（字段 file）")
	}
	var year *int
	var haveFile bool
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return req, uploadError(err)
		}
		switch part.FormName() {
		case "file":
			if haveFile {
				return req, duban.Errorf(duban.CodeInvalid, "一次只能上传一个文件")
			}
			haveFile = true
			req.FileName = path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
			if req.FileName == "." || req.FileName == "/" {
				req.FileName = ""
			}
			if req.Data, err = io.ReadAll(part); err != nil {
				return req, uploadError(err)
			}
		case "merges":
			b, err := readField(part, maxMergesBytes)
			if err != nil {
				return req, err
			}
			if len(bytes.TrimSpace(b)) > 0 {
				if err := json.Unmarshal(b, &req.Merges); err != nil {
					return req, duban.Errorf(duban.CodeInvalid, `字段 merges 应为 JSON 对象，如 {"区政服办": "区政务服务办"}`)
				}
			}
		case "corrections":
			b, err := readField(part, maxCorrectionsBytes)
			if err != nil {
				return req, err
			}
			if len(bytes.TrimSpace(b)) > 0 {
				dec := json.NewDecoder(bytes.NewReader(b))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&req.Corrections); err != nil {
					return req, duban.Errorf(duban.CodeInvalid, `字段 corrections 应为 JSON 对象，如 {"tasks": [{"line": 27, "lead_units": ["区发改委"]}], "dropped": [37]}（%s）`, duban.ErrorMessage(jsonError(err)))
				}
			}
		case "acknowledge":
			b, err := readField(part, 16)
			if err != nil {
				return req, err
			}
			switch strings.TrimSpace(string(b)) {
			case "true", "1", "on":
				req.Acknowledge = true
			case "false", "0", "":
			default:
				return req, duban.Errorf(duban.CodeInvalid, "字段 acknowledge 应为 true 或 false")
			}
		case "fingerprint":
			b, err := readField(part, maxFingerprintBytes)
			if err != nil {
				return req, err
			}
			req.Fingerprint = strings.TrimSpace(string(b))
		case "year":
			b, err := readField(part, 16)
			if err != nil {
				return req, err
			}
			if v := strings.TrimSpace(string(b)); v != "" {
				y, err := strconv.Atoi(v)
				if err != nil {
					return req, duban.Errorf(duban.CodeInvalid, "年度应为四位数字的年份，如 2024")
				}
				year = &y
			}
		default:
			return req, duban.Errorf(duban.CodeInvalid, "未知字段 %s", part.FormName())
		}
	}
	if !haveFile {
		return req, duban.Errorf(duban.CodeInvalid, "缺少上传文件（字段 file）")
	}
	if year != nil {
		req.Corrections.Year = year // the field wins over corrections.year, whatever their order
	}
	if req.FileName == "" {
		return req, duban.Errorf(duban.CodeInvalid, "上传文件缺少文件名")
	}
	if len(req.Data) == 0 {
		return req, duban.Errorf(duban.CodeInvalid, "上传文件为空")
	}
	return req, nil
}

// readField reads a small form field, refusing one over max bytes.
func readField(part io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(part, max+1))
	if err != nil {
		return nil, uploadError(err)
	}
	if int64(len(b)) > max {
		return nil, duban.Errorf(duban.CodeInvalid, "表单字段过长")
	}
	return b, nil
}

// uploadError keeps the size error (413) and calls anything else a broken
// upload.
func uploadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return duban.Errorf(duban.CodeInvalid, "上传内容不完整或格式错误")
}

// handleDocumentPreview shows what importing the uploaded document would do.
// Nothing is written.
func (s *Server) handleDocumentPreview(w http.ResponseWriter, r *http.Request, c *caller) error {
	release, err := s.enterUpload(r, uploadDocument)
	if err != nil {
		return err
	}
	defer release()
	if s.importer == nil {
		return errors.New("no importer configured")
	}
	req, err := s.readUpload(w, r, c)
	if err != nil {
		return err
	}
	p, err := s.importer.Preview(r.Context(), c.actor, req)
	if err != nil {
		return fmt.Errorf("preview import: %w", err)
	}
	fillPreview(p)
	return writeJSON(w, http.StatusOK, p)
}

// handleDocumentCreate confirms an import previewed before: the same file and
// merges plus the preview's fingerprint. 201 with what was written; 409 when
// the ledger changed since the preview.
func (s *Server) handleDocumentCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	release, err := s.enterUpload(r, uploadDocument)
	if err != nil {
		return err
	}
	defer release()
	if s.importer == nil {
		return errors.New("no importer configured")
	}
	req, err := s.readUpload(w, r, c)
	if err != nil {
		return err
	}
	if req.Fingerprint == "" {
		return duban.Errorf(duban.CodeInvalid, "缺少 fingerprint：请先预览，再确认导入")
	}
	res, err := s.importer.Confirm(r.Context(), c.actor, req)
	if err != nil {
		return fmt.Errorf("confirm import: %w", err)
	}
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(res.DocumentID, 10))
	return writeJSON(w, http.StatusCreated, res)
}

type documentList struct {
	Documents []*duban.Document `json:"documents"`
}

// handleDocumentIndex lists the imported documents of the caller's
// organisation (or of org_id below it).
func (s *Server) handleDocumentIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	orgID, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	docs, err := s.store.FindDocuments(r.Context(), orgID)
	if err != nil {
		return fmt.Errorf("find documents: %w", err)
	}
	return writeJSON(w, http.StatusOK, documentList{Documents: nonNil(docs)})
}

// findDocument returns a document in the caller's scope; CodeNotFound for
// one outside it, exactly as for one that does not exist.
func (s *Server) findDocument(r *http.Request, c *caller) (*duban.Document, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	d, err := s.store.FindDocumentByID(r.Context(), id)
	if err != nil {
		return nil, fmt.Errorf("find document %d: %w", id, err)
	}
	ok, err := s.inScope(r.Context(), c, d.OrgID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, duban.Errorf(duban.CodeNotFound, "文档不存在")
	}
	return d, nil
}

// handleDocumentShow returns a document's record.
func (s *Server) handleDocumentShow(w http.ResponseWriter, r *http.Request, c *caller) error {
	d, err := s.findDocument(r, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// handleDocumentContent returns the file as it was uploaded, as an
// attachment.
func (s *Server) handleDocumentContent(w http.ResponseWriter, r *http.Request, c *caller) error {
	d, err := s.findDocument(r, c)
	if err != nil {
		return err
	}
	content, err := s.store.FindDocumentContent(r.Context(), d.ID)
	if err != nil {
		return fmt.Errorf("find document content %d: %w", d.ID, err)
	}
	h := w.Header()
	h.Set("Content-Type", documentType(d.FileName))
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": d.FileName})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("ETag", `"`+d.SHA256+`"`)
	// The stored file never changes; private, because it passed an access check.
	h.Set("Cache-Control", "private, max-age=0, must-revalidate")
	http.ServeContent(w, r, "", d.CreatedAt, bytes.NewReader(content))
	return nil
}

// documentType names the media type of an uploaded file. Text files are sent
// without a charset: they may be GB18030 as uploaded.
func documentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt":
		return "text/plain"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}

// fillPreview makes a preview's lists [] rather than null in JSON.
func fillPreview(p *importer.Preview) {
	p.Created = nonNil(p.Created)
	p.Updated = nonNil(p.Updated)
	for i := range p.Created {
		p.Created[i].Changes = nonNil(p.Created[i].Changes)
	}
	for i := range p.Updated {
		p.Updated[i].Changes = nonNil(p.Updated[i].Changes)
	}
	p.Missing = nonNil(p.Missing)
	p.NewUnits = nonNil(p.NewUnits)
	p.Merges = nonNil(p.Merges)
	p.Groups = nonNil(p.Groups)
	for i := range p.Groups {
		p.Groups[i].Members = nonNil(p.Groups[i].Members)
	}
	p.NewPeople = nonNil(p.NewPeople)
	p.Warnings = nonNil(p.Warnings)
	p.Mismatches = nonNil(p.Mismatches)
	p.Tasks = nonNil(p.Tasks)
	for i := range p.Tasks {
		t := &p.Tasks[i]
		t.Leaders, t.LeadUnits, t.ResponsibleUnits = nonNil(t.Leaders), nonNil(t.LeadUnits), nonNil(t.ResponsibleUnits)
		t.Targets, t.Edited = nonNil(t.Targets), nonNil(t.Edited)
	}
	p.Units = nonNil(p.Units)
	p.Unread = nonNil(p.Unread)
	p.Headers = nonNil(p.Headers)
	for i := range p.Headers {
		p.Headers[i].Columns = nonNil(p.Headers[i].Columns)
	}
	c := &p.Corrections
	c.Tasks, c.Dropped, c.Added = nonNil(c.Tasks), nonNil(c.Dropped), nonNil(c.Added)
	if c.Columns == nil {
		c.Columns = map[string]ingest.ColumnRole{}
	}
}
