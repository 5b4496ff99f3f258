package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"duban"
)

// The headers of a signed webhook request.
const (
	HeaderTimestamp = "X-Duban-Timestamp"
	HeaderSignature = "X-Duban-Signature"
)

// WebhookBody is the JSON a webhook channel posts (see the package
// documentation).
type WebhookBody struct {
	Kind   duban.NotificationKind `json:"kind"`
	Key    string                 `json:"key"`
	OrgID  int64                  `json:"org_id"`
	TaskID *int64                 `json:"task_id"`
	Title  string                 `json:"title"`
	Body   string                 `json:"body"`
	Link   string                 `json:"link"`
	At     time.Time              `json:"at"`
	To     WebhookRecipients      `json:"to"`
}

// WebhookRecipients are the addresses of a webhook message's recipients, for
// a receiver that forwards it (to SMS, to an internal messenger).
type WebhookRecipients struct {
	Emails  []string `json:"emails"`
	Mobiles []string `json:"mobiles"`
}

// WebhookSignature returns the value of the X-Duban-Signature header of a
// request with the given X-Duban-Timestamp and body: "sha256=" and the hex
// HMAC-SHA256, keyed with the secret, of the timestamp, a dot and the body.
func WebhookSignature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// webhook posts a message as JSON to any receiver.
type webhook struct {
	client *http.Client
	now    func() time.Time
	base   string
}

func (s *webhook) Send(ctx context.Context, ch duban.Channel, m Message) error {
	now := s.now()
	at := m.At
	if at.IsZero() {
		at = now
	}
	link := absoluteLink(s.base, m.Link)
	if link == "" {
		link = m.Link
	}
	b := WebhookBody{
		Kind:   m.Kind,
		Key:    m.Key,
		OrgID:  m.OrgID,
		TaskID: m.TaskID,
		Title:  m.Title,
		Body:   m.Body,
		Link:   link,
		At:     at.UTC(),
		To:     WebhookRecipients{Emails: cleanList(m.Emails), Mobiles: cleanList(m.Mobiles)},
	}
	if b.To.Emails == nil {
		b.To.Emails = []string{}
	}
	if b.To.Mobiles == nil {
		b.To.Mobiles = []string{}
	}
	body, err := json.Marshal(b)
	if err != nil {
		return finish(ch, err)
	}
	header := http.Header{}
	if secret := ch.Config["secret"]; secret != "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		header.Set(HeaderTimestamp, ts)
		header.Set(HeaderSignature, WebhookSignature(secret, ts, body))
	}
	a, err := post(ctx, s.client, ch.Config["url"], body, header)
	if err != nil {
		return finish(ch, err)
	}
	return finish(ch, statusError(a, now))
}
