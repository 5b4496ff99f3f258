package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"duban"
	"duban/notify"
)

// ChannelTester sends a test message over a channel, for the administrator's
// 发送测试消息 button; *notify.Senders is the implementation.
type ChannelTester interface {
	Test(ctx context.Context, ch duban.Channel, emails ...string) error
}

type notificationList struct {
	Notifications []*duban.Notification `json:"notifications"`
	Total         int                   `json:"total"`
	Unread        int                   `json:"unread"`
}

// handleNotificationIndex lists the caller's notifications: ?unread=true for
// the unread ones.
func (s *Server) handleNotificationIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	var f duban.NotificationFilter
	var err error
	if f.Unread, err = queryBool(q, "unread"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = page(q, defaultReportLimit, maxReportLimit); err != nil {
		return err
	}
	list, total, unread, err := s.store.FindNotifications(r.Context(), c.actor, f)
	if err != nil {
		return fmt.Errorf("find notifications: %w", err)
	}
	return writeJSON(w, http.StatusOK, notificationList{Notifications: nonNil(list), Total: total, Unread: unread})
}

// handleNotificationRead marks one notification read: 204.
func (s *Server) handleNotificationRead(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.MarkNotificationRead(r.Context(), c.actor, id); err != nil {
		return fmt.Errorf("mark notification %d read: %w", id, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleNotificationReadAll marks all of the caller's notifications read:
// 204.
func (s *Server) handleNotificationReadAll(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := s.store.MarkNotificationRead(r.Context(), c.actor, 0); err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type channelList struct {
	Channels []duban.Channel `json:"channels"`
}

// handleChannelIndex lists the organisation's notification channels, their
// secrets masked.
func (s *Server) handleChannelIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	chans, err := s.store.FindChannels(r.Context(), c.actor, org)
	if err != nil {
		return fmt.Errorf("find channels: %w", err)
	}
	out := []duban.Channel{}
	for _, ch := range chans {
		out = append(out, notify.RedactConfig(*ch))
	}
	return writeJSON(w, http.StatusOK, channelList{Channels: out})
}

type channelRequest struct {
	Kind    duban.ChannelKind `json:"kind"`
	Name    string            `json:"name"`
	Enabled bool              `json:"enabled"`
	Config  map[string]string `json:"config"`
}

// handleChannelCreate adds a channel after checking its settings.
func (s *Server) handleChannelCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	var req channelRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ch := duban.Channel{OrgID: org, Kind: req.Kind, Name: strings.TrimSpace(req.Name), Enabled: req.Enabled, Config: req.Config}
	if err := s.saveChannel(r.Context(), c, &ch); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, notify.RedactConfig(ch))
}

// handleChannelUpdate replaces a channel's settings; secrets sent back
// masked keep their stored values.
func (s *Server) handleChannelUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	stored, err := s.findChannel(r, c, id)
	if err != nil {
		return err
	}
	var req channelRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ch := duban.Channel{ID: id, OrgID: stored.OrgID, Kind: req.Kind, Name: strings.TrimSpace(req.Name), Enabled: req.Enabled, Config: req.Config}
	ch = notify.KeepSecrets(ch, *stored)
	if err := s.saveChannel(r.Context(), c, &ch); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, notify.RedactConfig(ch))
}

func (s *Server) saveChannel(ctx context.Context, c *caller, ch *duban.Channel) error {
	if ch.Name == "" {
		return duban.Errorf(duban.CodeInvalid, "请填写渠道名称")
	}
	if err := checkLength("渠道名称", ch.Name, 50); err != nil {
		return err
	}
	if err := notify.ValidateChannel(*ch); err != nil {
		return err
	}
	if err := s.store.SaveChannel(ctx, c.actor, ch); err != nil {
		return fmt.Errorf("save channel: %w", err)
	}
	return nil
}

// findChannel finds a channel of the caller's organisation (or below it).
func (s *Server) findChannel(r *http.Request, c *caller, id int64) (*duban.Channel, error) {
	org, err := s.orgParam(r, c)
	if err != nil {
		return nil, err
	}
	chans, err := s.store.FindChannels(r.Context(), c.actor, org)
	if err != nil {
		return nil, fmt.Errorf("find channels: %w", err)
	}
	for _, ch := range chans {
		if ch.ID == id {
			return ch, nil
		}
	}
	return nil, duban.Errorf(duban.CodeNotFound, "通知渠道不存在")
}

// handleChannelDelete deletes a channel: 204.
func (s *Server) handleChannelDelete(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ch, err := s.findChannel(r, c, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteChannel(r.Context(), c.actor, ch.OrgID, id); err != nil {
		return fmt.Errorf("delete channel %d: %w", id, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type channelTestRequest struct {
	Emails []string `json:"emails"`
}

// handleChannelTest sends a test message over a channel and answers 204, or
// 400 with what went wrong in words.
func (s *Server) handleChannelTest(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ch, err := s.findChannel(r, c, id)
	if err != nil {
		return err
	}
	var req channelTestRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if s.tester == nil {
		return duban.Errorf(duban.CodeInvalid, "本服务未配置消息发送")
	}
	if err := s.tester.Test(r.Context(), *ch, req.Emails...); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type deliveryList struct {
	Deliveries []*duban.Delivery `json:"deliveries"`
	Total      int               `json:"total"`
}

// handleDeliveryIndex is the send log: every delivery with its attempts
// counted and its last error.
func (s *Server) handleDeliveryIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	org, err := s.orgParam(r, c)
	if err != nil {
		return err
	}
	limit, offset, err := page(r.URL.Query(), defaultReportLimit, maxReportLimit)
	if err != nil {
		return err
	}
	list, total, err := s.store.FindDeliveries(r.Context(), c.actor, org, limit, offset)
	if err != nil {
		return fmt.Errorf("find deliveries: %w", err)
	}
	return writeJSON(w, http.StatusOK, deliveryList{Deliveries: nonNil(list), Total: total})
}

type evidenceList struct {
	Evidence []duban.Evidence `json:"evidence"`
}

// handleEvidenceIndex lists the evidence of a task.
func (s *Server) handleEvidenceIndex(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	list, err := s.store.FindEvidence(r.Context(), c.actor, id)
	if err != nil {
		return fmt.Errorf("find evidence: %w", err)
	}
	return writeJSON(w, http.StatusOK, evidenceList{Evidence: nonNil(list)})
}

// handleEvidenceCreate stores an uploaded evidence file (multipart: file, and
// report_id to attach it to a report), checked for size against the
// organisation's limit and for type against what it says it is.
func (s *Server) handleEvidenceCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	release, err := s.enterUpload(r, uploadEvidence)
	if err != nil {
		return err
	}
	defer release()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	set, err := s.store.FindSettings(r.Context(), c.actor, c.actor.OrgID)
	if err != nil {
		return fmt.Errorf("find settings: %w", err)
	}
	r.Body = http.MaxBytesReader(w, r.Body, min(set.MaxEvidenceBytes, s.cfg.MaxUploadBytes)+4<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return duban.Errorf(duban.CodeInvalid, "请以 multipart/form-data 上传文件（字段 file）")
	}
	e := &duban.Evidence{TaskID: id}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return uploadError(err)
		}
		switch part.FormName() {
		case "file":
			if e.FileName != "" {
				return duban.Errorf(duban.CodeInvalid, "一次只能上传一个文件")
			}
			e.FileName = path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
			if e.Content, err = io.ReadAll(io.LimitReader(part, set.MaxEvidenceBytes+1)); err != nil {
				return uploadError(err)
			}
			if int64(len(e.Content)) > set.MaxEvidenceBytes {
				return duban.Errorf(codeTooLarge, "文件过大：佐证材料不能超过 %s", formatBytes(set.MaxEvidenceBytes))
			}
		case "report_id":
			b, err := readField(part, 20)
			if err != nil {
				return err
			}
			rid, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
			if err != nil || rid <= 0 {
				return duban.Errorf(duban.CodeInvalid, "字段 report_id 应为报告编号")
			}
			e.ReportID = &rid
		default:
			return duban.Errorf(duban.CodeInvalid, "未知字段 %s", part.FormName())
		}
	}
	if e.FileName == "" || e.FileName == "." || e.FileName == "/" {
		return duban.Errorf(duban.CodeInvalid, "缺少上传文件（字段 file）")
	}
	if len(e.Content) == 0 {
		return duban.Errorf(duban.CodeInvalid, "上传文件为空")
	}
	if e.ContentType, err = evidenceType(e.FileName, e.Content); err != nil {
		return err
	}
	if err := s.store.AddEvidence(r.Context(), c.actor, e); err != nil {
		return fmt.Errorf("add evidence: %w", err)
	}
	return writeJSON(w, http.StatusCreated, e)
}

// evidenceKinds are the files accepted as evidence, by extension, with the
// type they are served as and what their first bytes must look like.
var evidenceKinds = map[string]struct {
	contentType string
	sniffed     []string // what http.DetectContentType may say
}{
	".pdf":  {"application/pdf", []string{"application/pdf"}},
	".jpg":  {"image/jpeg", []string{"image/jpeg"}},
	".jpeg": {"image/jpeg", []string{"image/jpeg"}},
	".png":  {"image/png", []string{"image/png"}},
	".gif":  {"image/gif", []string{"image/gif"}},
	".webp": {"image/webp", []string{"image/webp"}},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{"application/zip"}},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{"application/zip"}},
	".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", []string{"application/zip"}},
	".ofd":  {"application/ofd", []string{"application/zip"}},
	".zip":  {"application/zip", []string{"application/zip"}},
	".doc":  {"application/msword", []string{"application/octet-stream"}},
	".xls":  {"application/vnd.ms-excel", []string{"application/octet-stream"}},
	".txt":  {"text/plain; charset=utf-8", []string{"text/plain; charset=utf-8"}},
}

// oleMagic begins the legacy Office files (.doc, .xls).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// evidenceType returns the type a file is kept and served as, or CodeInvalid
// when its extension is not accepted or its content is not what the
// extension says (an executable renamed .pdf).
func evidenceType(name string, content []byte) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	kind, ok := evidenceKinds[ext]
	if !ok {
		return "", duban.Errorf(duban.CodeInvalid, "不支持的文件类型 %s：请上传 PDF、图片、Word、Excel、PPT、OFD、ZIP 或文本文件", ext)
	}
	sniffed := http.DetectContentType(content)
	match := false
	for _, s := range kind.sniffed {
		match = match || sniffed == s
	}
	if (ext == ".doc" || ext == ".xls") && !bytes.HasPrefix(content, oleMagic) {
		match = false
	}
	if !match {
		return "", duban.Errorf(duban.CodeInvalid, "文件“%s”的内容与扩展名 %s 不符", name, ext)
	}
	return kind.contentType, nil
}

// handleEvidenceContent downloads an evidence file.
func (s *Server) handleEvidenceContent(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := s.store.FindEvidenceContent(r.Context(), c.actor, id)
	if err != nil {
		return fmt.Errorf("find evidence %d: %w", id, err)
	}
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": e.FileName})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("ETag", `"`+e.SHA256+`"`)
	h.Set("Cache-Control", "private, max-age=0, must-revalidate")
	http.ServeContent(w, r, "", e.UploadedAt, bytes.NewReader(e.Content))
	return nil
}
