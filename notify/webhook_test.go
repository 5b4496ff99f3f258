package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/notify"
)

const webhookSecret = "whsec-4f1d2c3b5a6e7f8091a2b3c4d5e6f708"

// checkWebhookSign verifies a request as the package documentation tells
// receivers to: the signature is "sha256=" and the hex HMAC-SHA256, keyed with
// the secret, of the timestamp header, a dot and the raw body, and the
// timestamp is within five minutes.
func checkWebhookSign(t *testing.T, r *http.Request, body []byte, secret string, now time.Time) {
	t.Helper()
	ts := r.Header.Get("X-Duban-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		t.Fatalf("X-Duban-Timestamp %q: %v", ts, err)
	}
	if d := now.Sub(time.Unix(sec, 0)); d < -5*time.Minute || d > 5*time.Minute {
		t.Errorf("timestamp %s is %v from the receiver's clock", ts, d)
	}
	if sec != now.Unix() {
		t.Errorf("timestamp = %d, want %d", sec, now.Unix())
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	got := r.Header.Get("X-Duban-Signature")
	if !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("X-Duban-Signature = %q, want %q", got, want)
	}
	if got := notify.WebhookSignature(secret, ts, body); got != want {
		t.Errorf("WebhookSignature = %q, want %q", got, want)
	}
}

func webhookChannel(rb *robot, secret string) duban.Channel {
	c := map[string]string{"url": rb.URL + "/duban/notify"}
	if secret != "" {
		c["secret"] = secret
	}
	return duban.Channel{ID: 5, OrgID: 1, Kind: duban.ChannelWebhook, Name: "短信网关", Enabled: true, Config: c}
}

func TestWebhookSend(t *testing.T) {
	rb := newRobot(t, func(t *testing.T, r *http.Request, body []byte) {
		if r.URL.Path != "/duban/notify" {
			t.Errorf("path = %s", r.URL.Path)
		}
		if ua := r.Header.Get("User-Agent"); ua != "duban-notify/1" {
			t.Errorf("User-Agent = %q", ua)
		}
		checkWebhookSign(t, r, body, webhookSecret, testNow)
	})
	if err := newTestSenders().Send(context.Background(), webhookChannel(rb, webhookSecret), reminder()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	want := map[string]any{
		"kind":    "before_due",
		"key":     "remind:before_due:task=12:cycle=3:2024-03-25",
		"org_id":  1.0,
		"task_id": 12.0,
		"title":   "关于报送2024年3月工作进展的提醒",
		"body":    "请于3月28日前报送“推进老旧小区改造”的进展情况。\n逾期将按规定通报。",
		"link":    "https://duban.example.gov.cn/tasks/12",
		"at":      "2024-03-25T01:00:00Z",
		"to": map[string]any{
			"emails":  []any{"zhang@example.gov.cn", "li@example.gov.cn"},
			"mobiles": []any{"13800000001"},
		},
	}
	if diff := cmp.Diff([]map[string]any{want}, rb.received()); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
}

func TestWebhookMinimal(t *testing.T) {
	rb := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
		if r.Header.Get("X-Duban-Signature") != "" || r.Header.Get("X-Duban-Timestamp") != "" {
			t.Errorf("unsigned channel sent signature headers")
		}
	})
	s := notify.New(notify.Options{Timeout: 5 * time.Second, Now: fixedNow}) // no BaseURL
	m := notify.Message{Kind: duban.NotifyNotice, OrgID: 2, Title: "督办单", Body: "请按期反馈。", Link: "/notices/3"}
	if err := s.Send(context.Background(), webhookChannel(rb, ""), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	want := map[string]any{
		"kind": "notice", "key": "", "org_id": 2.0, "task_id": nil,
		"title": "督办单", "body": "请按期反馈。", "link": "/notices/3",
		"at": "2024-03-25T01:00:00Z",
		"to": map[string]any{"emails": []any{}, "mobiles": []any{}},
	}
	if diff := cmp.Diff([]map[string]any{want}, rb.received()); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
}

func TestWebhookStatuses(t *testing.T) {
	tests := []struct {
		status    int
		wantErr   bool
		retryable bool
	}{
		{200, false, false},
		{201, false, false},
		{202, false, false},
		{204, false, false},
		{400, true, false},
		{401, true, false},
		{404, true, false},
		{408, true, true},
		{413, true, false},
		{429, true, true},
		{500, true, true},
		{503, true, true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			rb := newRobot(t, nil)
			rb.reply(tt.status, "")
			err := newTestSenders().Send(context.Background(), webhookChannel(rb, webhookSecret), reminder())
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send = %v, want error %v", err, tt.wantErr)
			}
			if got := notify.IsRetryable(err); got != tt.retryable {
				t.Errorf("IsRetryable = %v, want %v", got, tt.retryable)
			}
			var e *notify.Error
			if err != nil && (!errors.As(err, &e) || e.Status != tt.status) {
				t.Errorf("error %v does not carry status %d", err, tt.status)
			}
		})
	}
}
