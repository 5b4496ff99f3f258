package notify_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/notify"
)

// emailChannel returns an e-mail channel to the test server.
func emailChannel(s *smtpServer, config map[string]string) duban.Channel {
	c := map[string]string{
		"host": "127.0.0.1",
		"port": s.port,
		"from": "督查室 <duban@example.gov.cn>",
		"tls":  "none",
	}
	for k, v := range config {
		c[k] = v
	}
	return duban.Channel{ID: 7, OrgID: 1, Kind: duban.ChannelEmail, Name: "督查室邮箱", Enabled: true, Config: c}
}

// parsedMail is a received e-mail, decoded.
type parsedMail struct {
	Header mail.Header
	From   string
	To     []string
	Parts  map[string]string // content type → decoded text
}

func parseMail(t *testing.T, data string) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	p := parsedMail{Header: m.Header, Parts: map[string]string{}}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From %q: %v", m.Header.Get("From"), err)
	}
	p.From = from[0].Name + " <" + from[0].Address + ">"
	to, err := m.Header.AddressList("To")
	if err != nil {
		t.Fatalf("To %q: %v", m.Header.Get("To"), err)
	}
	for _, a := range to {
		p.To = append(p.To, a.Address)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		p.Parts[mediaType] = decodePart(t, m.Header.Get("Content-Transfer-Encoding"), m.Body)
		return p
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		ct, params, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if cs := strings.ToLower(params["charset"]); cs != "utf-8" {
			t.Errorf("part %s has charset %q, want utf-8", ct, cs)
		}
		// multipart decodes quoted-printable itself and drops the header.
		p.Parts[ct] = decodePart(t, part.Header.Get("Content-Transfer-Encoding"), part)
	}
	return p
}

func decodePart(t *testing.T, cte string, r io.Reader) string {
	t.Helper()
	if strings.EqualFold(cte, "base64") {
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read part: %v", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func decodeHeader(t *testing.T, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		t.Fatalf("decode header %q: %v", v, err)
	}
	return s
}

func TestEmailSend(t *testing.T) {
	srv := newSMTPServer(t, nil)
	s := notify.New(notify.Options{Timeout: 5 * time.Second, Now: fixedNow, BaseURL: "https://duban.example.gov.cn"})
	if err := s.Send(context.Background(), emailChannel(srv, nil), reminder()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if diff := cmp.Diff([]string{"zhang@example.gov.cn", "li@example.gov.cn"}, got[0].To); diff != "" {
		t.Errorf("RCPT TO mismatch (-want +got):\n%s", diff)
	}
	if got[0].From != "duban@example.gov.cn" {
		t.Errorf("MAIL FROM = %q, want duban@example.gov.cn", got[0].From)
	}
	m := parseMail(t, got[0].Data)
	if subj := decodeHeader(t, m.Header.Get("Subject")); subj != "关于报送2024年3月工作进展的提醒" {
		t.Errorf("Subject = %q", subj)
	}
	if want := "督查室 <duban@example.gov.cn>"; m.From != want {
		t.Errorf("From = %s, want %s", m.From, want)
	}
	if diff := cmp.Diff([]string{"zhang@example.gov.cn", "li@example.gov.cn"}, m.To); diff != "" {
		t.Errorf("To mismatch (-want +got):\n%s", diff)
	}
	wantText := "请于3月28日前报送“推进老旧小区改造”的进展情况。\n逾期将按规定通报。\n\n" +
		"查看详情：https://duban.example.gov.cn/tasks/12\n\n——\n此邮件由督办系统自动发送，请勿直接回复。\n"
	if diff := cmp.Diff(wantText, m.Parts["text/plain"]); diff != "" {
		t.Errorf("text part mismatch (-want +got):\n%s", diff)
	}
	html := m.Parts["text/html"]
	for _, want := range []string{
		"<p>请于3月28日前报送“推进老旧小区改造”的进展情况。</p>",
		"<p>逾期将按规定通报。</p>",
		`<a href="https://duban.example.gov.cn/tasks/12">查看详情</a>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("html part lacks %q:\n%s", want, html)
		}
	}
	for name, want := range map[string]string{
		"Auto-Submitted": "auto-generated",
		"Precedence":     "bulk",
	} {
		if got := m.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if id := m.Header.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.gov.cn>") {
		t.Errorf("Message-ID = %q, want one in the sender's domain", id)
	}
	if d, err := m.Header.Date(); err != nil || !d.Equal(testNow) {
		t.Errorf("Date = %v (%v), want %v", d, err, testNow)
	}
}

func TestEmailHTMLEscapes(t *testing.T) {
	srv := newSMTPServer(t, nil)
	s := notify.New(notify.Options{Timeout: 5 * time.Second, Now: fixedNow})
	m := notify.Message{Title: "<b>标题</b>", Body: `<script>alert("x")</script>`, Emails: []string{"a@example.gov.cn"}}
	if err := s.Send(context.Background(), emailChannel(srv, nil), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	html := parseMail(t, srv.received()[0].Data).Parts["text/html"]
	if strings.Contains(html, "<script>") || strings.Contains(html, "<b>") {
		t.Errorf("html part not escaped:\n%s", html)
	}
	if !strings.Contains(html, "&lt;script&gt;") {
		t.Errorf("html part lacks the escaped body:\n%s", html)
	}
}

func TestEmailAuthAndTLS(t *testing.T) {
	serverTLS, roots := testCertificate(t)
	tests := []struct {
		name  string
		setup func(*smtpServer)
		tls   string
	}{
		{"starttls plain", func(s *smtpServer) { s.tlsConfig, s.mechs = serverTLS, "PLAIN" }, "starttls"},
		{"starttls login", func(s *smtpServer) { s.tlsConfig, s.mechs = serverTLS, "LOGIN" }, "starttls"},
		{"implicit tls", func(s *smtpServer) { s.tlsConfig, s.implicitTLS = serverTLS, true }, "tls"},
		{"default is starttls", func(s *smtpServer) { s.tlsConfig = serverTLS }, ""},
		{"none", nil, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSMTPServer(t, func(s *smtpServer) {
				s.users = map[string]string{"duban": "p@ss-wörd"}
				if tt.setup != nil {
					tt.setup(s)
				}
			})
			s := notify.New(notify.Options{Timeout: 5 * time.Second, Now: fixedNow, TLSConfig: &tls.Config{RootCAs: roots}})
			ch := emailChannel(srv, map[string]string{"tls": tt.tls, "username": "duban", "password": "p@ss-wörd"})
			if err := s.Send(context.Background(), ch, reminder()); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := srv.received()
			if len(got) != 1 {
				t.Fatalf("server received %d messages, want 1", len(got))
			}
			if got[0].User != "duban" {
				t.Errorf("authenticated user = %q, want duban", got[0].User)
			}
			if wantTLS := tt.tls != "none"; got[0].TLS != wantTLS {
				t.Errorf("encrypted = %v, want %v", got[0].TLS, wantTLS)
			}
		})
	}
}

func TestEmailFailures(t *testing.T) {
	serverTLS, _ := testCertificate(t)
	tests := []struct {
		name      string
		setup     func(*smtpServer)
		config    map[string]string
		step      string // the step whose reply is replaced
		reply     string
		retryable bool
		status    int
	}{
		{name: "greeting 421", step: "greeting", reply: "421 4.3.2 service not available", retryable: true, status: 421},
		{name: "greeting 554", step: "greeting", reply: "554 5.7.1 no service for you", retryable: false, status: 554},
		{name: "mail 451", step: "MAIL", reply: "451 4.3.0 try again later", retryable: true, status: 451},
		{name: "rcpt 550", step: "RCPT", reply: "550 5.1.1 user unknown", retryable: false, status: 550},
		{name: "rcpt 452", step: "RCPT", reply: "452 4.2.2 mailbox full", retryable: true, status: 452},
		{name: "data 554", step: "DATA", reply: "554 5.5.1 no valid recipients", retryable: false, status: 554},
		{name: "end of data 451", step: "DATAEND", reply: "451 4.7.1 greylisted", retryable: true, status: 451},
		{name: "end of data 552", step: "DATAEND", reply: "552 5.3.4 message too big", retryable: false, status: 552},
		{
			name:   "wrong password",
			setup:  func(s *smtpServer) { s.users = map[string]string{"duban": "right"} },
			config: map[string]string{"username": "duban", "password": "wrong"},
			status: 535,
		},
		{
			name:      "auth 454",
			setup:     func(s *smtpServer) { s.users = map[string]string{"duban": "right"} },
			config:    map[string]string{"username": "duban", "password": "right"},
			step:      "AUTH",
			reply:     "454 4.7.0 temporary authentication failure",
			retryable: true,
			status:    454,
		},
		{
			name:   "server without AUTH",
			config: map[string]string{"username": "duban", "password": "right"},
		},
		{name: "starttls required but not offered", config: map[string]string{"tls": "starttls"}},
		{
			name:   "untrusted certificate",
			setup:  func(s *smtpServer) { s.tlsConfig = serverTLS },
			config: map[string]string{"tls": "starttls"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSMTPServer(t, tt.setup)
			if tt.step != "" {
				srv.setReply(tt.step, tt.reply)
			}
			s := notify.New(notify.Options{Timeout: 5 * time.Second, Now: fixedNow})
			err := s.Send(context.Background(), emailChannel(srv, tt.config), reminder())
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			t.Logf("error: %v", err)
			if got := notify.IsRetryable(err); got != tt.retryable {
				t.Errorf("IsRetryable = %v, want %v (err: %v)", got, tt.retryable, err)
			}
			var e *notify.Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, want *notify.Error", err)
			}
			if e.Status != tt.status {
				t.Errorf("Status = %d, want %d (err: %v)", e.Status, tt.status, err)
			}
			if e.ChannelID != 7 || e.Kind != duban.ChannelEmail {
				t.Errorf("error names channel %d %s, want 7 email", e.ChannelID, e.Kind)
			}
			if len(srv.received()) != 0 {
				t.Errorf("server accepted a message")
			}
		})
	}
}

func TestEmailTimeout(t *testing.T) {
	srv := newSMTPServer(t, func(s *smtpServer) { s.stall = true })
	s := notify.New(notify.Options{Timeout: 300 * time.Millisecond, Now: fixedNow})
	start := time.Now()
	err := s.Send(context.Background(), emailChannel(srv, nil), reminder())
	if err == nil {
		t.Fatal("Send succeeded, want a timeout")
	}
	if !notify.IsRetryable(err) {
		t.Errorf("IsRetryable = false for %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v with a timeout of 300ms", d)
	}
}

func TestEmailContextCanceled(t *testing.T) {
	srv := newSMTPServer(t, func(s *smtpServer) { s.stall = true })
	s := notify.New(notify.Options{Timeout: 10 * time.Second, Now: fixedNow})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := s.Send(ctx, emailChannel(srv, nil), reminder())
	if err == nil || !notify.IsRetryable(err) {
		t.Errorf("Send = %v, want a retryable error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}
}

func TestEmailConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	s := notify.New(notify.Options{Timeout: 2 * time.Second, Now: fixedNow})
	ch := emailChannel(&smtpServer{port: port}, nil)
	err = s.Send(context.Background(), ch, reminder())
	if err == nil || !notify.IsRetryable(err) {
		t.Errorf("Send = %v, want a retryable error", err)
	}
}

func TestEmailWithoutRecipients(t *testing.T) {
	srv := newSMTPServer(t, nil)
	s := notify.New(notify.Options{Timeout: 2 * time.Second, Now: fixedNow})
	m := reminder()
	m.Emails = []string{" ", ""}
	err := s.Send(context.Background(), emailChannel(srv, nil), m)
	if err == nil || notify.IsRetryable(err) {
		t.Errorf("Send = %v, want a permanent error", err)
	}
}

func TestEmailSecretsNotInErrors(t *testing.T) {
	const password = "Zx9-very-secret-pw"
	srv := newSMTPServer(t, func(s *smtpServer) { s.users = map[string]string{"duban": "other"} })
	srv.setReply("AUTH", "535 5.7.8 bad password "+password)
	s := notify.New(notify.Options{Timeout: 2 * time.Second, Now: fixedNow})
	err := s.Send(context.Background(), emailChannel(srv, map[string]string{"username": "duban", "password": password}), reminder())
	if err == nil {
		t.Fatal("Send succeeded")
	}
	if strings.Contains(err.Error(), password) {
		t.Errorf("error shows the password: %v", err)
	}
}
