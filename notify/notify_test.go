package notify_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"duban"
	"duban/notify"
)

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"retryable error", &notify.Error{Retryable: true}, true},
		{"permanent error", &notify.Error{Status: 400}, false},
		{"wrapped", fmt.Errorf("outbox: %w", &notify.Error{Retryable: true}), true},
		{"bad config", duban.Errorf(duban.CodeInvalid, "Webhook地址（url）不能为空"), false},
		{"deadline", context.DeadlineExceeded, true},
		{"canceled", context.Canceled, true},
		{"eof", io.ErrUnexpectedEOF, true},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"no such host", &net.DNSError{Err: "no such host", Name: "smtp.example.invalid", IsNotFound: true}, false},
		{"dns timeout", &net.DNSError{Err: "i/o timeout", Name: "smtp.example.gov.cn", IsTimeout: true}, true},
		{"unknown authority", fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}), false},
		{"anything else", errors.New("boom"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := notify.IsRetryable(tt.err); got != tt.want {
				t.Errorf("IsRetryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestSendValidates(t *testing.T) {
	rb := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
		t.Errorf("an invalid channel sent a request")
	})
	ch := dingTalkChannel(rb, map[string]string{"msgtype": "card"})
	err := newTestSenders().Send(context.Background(), ch, reminder())
	if duban.ErrorCode(err) != duban.CodeInvalid || notify.IsRetryable(err) {
		t.Fatalf("Send = %v, want a permanent CodeInvalid error", err)
	}
	var e *notify.Error
	if !errors.As(err, &e) || e.ChannelID != ch.ID || e.Kind != duban.ChannelDingTalk {
		t.Errorf("Send = %#v, want an *Error naming channel %d", err, ch.ID)
	}
	if want := "消息格式（msgtype）只能是 markdown 或 text"; duban.ErrorMessage(err) != want {
		t.Errorf("message = %q, want %q", duban.ErrorMessage(err), want)
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *notify.Error
		want string
	}{
		{&notify.Error{ChannelID: 3, Kind: duban.ChannelDingTalk, Name: "群", Code: 310000, Remote: "sign not match"},
			`dingtalk channel 3 "群": errcode 310000: sign not match`},
		{&notify.Error{ChannelID: 5, Kind: duban.ChannelWebhook, Status: 503, Remote: "busy"},
			"webhook channel 5: http 503: busy"},
		{&notify.Error{ChannelID: 7, Kind: duban.ChannelEmail, Name: "邮箱", Status: 550, Err: errors.New("user unknown")},
			`email channel 7 "邮箱": smtp 550: user unknown`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func testSenders() *notify.Senders {
	return notify.New(notify.Options{
		Timeout:  5 * time.Second,
		Now:      fixedNow,
		BaseURL:  "https://duban.example.gov.cn",
		Location: time.FixedZone("CST", 8*60*60),
	})
}

func TestTestRobot(t *testing.T) {
	rb := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
		checkDingTalkSign(t, r, dingTalkSecret, testNow)
	})
	if err := testSenders().Test(context.Background(), dingTalkChannel(rb, map[string]string{"secret": dingTalkSecret})); err != nil {
		t.Fatalf("Test: %v", err)
	}
	md := rb.received()[0]["markdown"].(map[string]any)
	wh := newRobot(t, nil)
	if err := testSenders().Test(context.Background(), webhookChannel(wh, "")); err != nil {
		t.Fatalf("Test: %v", err)
	}
	if got, want := wh.received()[0]["key"], "test:channel=5:2024-03-25T01:00:00Z"; got != want {
		t.Errorf("webhook test key = %v, want %v", got, want)
	}
	if got := wh.received()[0]["kind"]; got != "test" {
		t.Errorf("webhook test kind = %v, want test", got)
	}
	if md["title"] != "督办系统测试消息" {
		t.Errorf("title = %v", md["title"])
	}
	text := md["text"].(string)
	for _, want := range []string{"「督查室工作群」", "发送时间：2024-03-25 09:00:00", "(https://duban.example.gov.cn/)"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

func TestTestFailure(t *testing.T) {
	rb := newRobot(t, nil)
	rb.reply(http.StatusOK, `{"errcode":310000,"errmsg":"sign not match"}`)
	err := testSenders().Test(context.Background(), dingTalkChannel(rb, map[string]string{"secret": dingTalkSecret}))
	if duban.ErrorCode(err) != duban.CodeInvalid {
		t.Fatalf("Test = %v, want CodeInvalid", err)
	}
	msg := duban.ErrorMessage(err)
	if !strings.HasPrefix(msg, "测试消息发送失败：钉钉拒绝了消息") || !strings.Contains(msg, "sign not match") {
		t.Errorf("message = %q", msg)
	}
	if strings.Contains(msg, dingTalkToken) || strings.Contains(msg, dingTalkSecret) {
		t.Errorf("message shows a secret: %q", msg)
	}

	err = testSenders().Test(context.Background(), duban.Channel{Kind: duban.ChannelWebhook, Name: "x"})
	if want := "Webhook地址（url）不能为空"; duban.ErrorMessage(err) != want {
		t.Errorf("Test of an invalid channel = %v, want %q", err, want)
	}

	err = testSenders().Test(context.Background(), duban.Channel{Kind: duban.ChannelWebhook, Name: "x", Config: map[string]string{"url": closedURL(t)}})
	if msg := duban.ErrorMessage(err); !strings.HasPrefix(msg, "测试消息发送失败：无法连接") {
		t.Errorf("Test of a closed port = %q", msg)
	}
}

func TestTestEmail(t *testing.T) {
	srv := newSMTPServer(t, nil)
	s := testSenders()
	if err := s.Test(context.Background(), emailChannel(srv, nil)); err != nil {
		t.Fatalf("Test: %v", err)
	}
	if err := s.Test(context.Background(), emailChannel(srv, nil), "admin@example.gov.cn"); err != nil {
		t.Fatalf("Test: %v", err)
	}
	got := srv.received()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want 2", len(got))
	}
	if to := got[0].To; len(to) != 1 || to[0] != "duban@example.gov.cn" {
		t.Errorf("test without addresses went to %v, want the sender", to)
	}
	if to := got[1].To; len(to) != 1 || to[0] != "admin@example.gov.cn" {
		t.Errorf("test went to %v, want admin@example.gov.cn", to)
	}
	m := parseMail(t, got[0].Data)
	if subj := decodeHeader(t, m.Header.Get("Subject")); subj != "督办系统测试消息" {
		t.Errorf("Subject = %q", subj)
	}
	if !strings.Contains(m.Parts["text/plain"], "「督查室邮箱」") {
		t.Errorf("text lacks the channel name:\n%s", m.Parts["text/plain"])
	}
}

func TestSendConcurrently(t *testing.T) {
	rb := newRobot(t, func(t *testing.T, r *http.Request, body []byte) {
		checkWebhookSign(t, r, body, webhookSecret, testNow)
	})
	s := newTestSenders()
	ch := webhookChannel(rb, webhookSecret)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			m := reminder()
			m.Key = fmt.Sprintf("k%d", i)
			if err := s.Send(context.Background(), ch, m); err != nil {
				t.Errorf("Send: %v", err)
			}
		})
	}
	wg.Wait()
	if n := len(rb.received()); n != 20 {
		t.Errorf("receiver got %d messages, want 20", n)
	}
}
