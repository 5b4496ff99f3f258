package notify

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"html"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"duban"
)

// emailFooter ends every e-mail.
const emailFooter = "此邮件由督办系统自动发送，请勿直接回复。"

// email sends over SMTP.
type email struct {
	timeout     time.Duration
	dialTimeout time.Duration
	tlsConfig   *tls.Config
	helo        string
	now         func() time.Time
	base        string
}

func (s *email) Send(ctx context.Context, ch duban.Channel, m Message) error {
	return finish(ch, s.send(ctx, ch.Config, m))
}

func (s *email) send(ctx context.Context, c map[string]string, m Message) error {
	host := strings.TrimSpace(c["host"])
	mode := c["tls"]
	if mode == "" {
		mode = "starttls"
	}
	port := map[string]int{"starttls": 587, "tls": 465, "none": 25}[mode]
	if c["port"] != "" {
		n, err := strconv.Atoi(c["port"])
		if err != nil || n < 1 || n > 65535 {
			return errorf("bad port")
		}
		port = n
	}
	from, err := mail.ParseAddress(c["from"])
	if err != nil {
		return errorf("bad from address: %v", err)
	}
	rcpts := cleanList(m.Emails)
	if len(rcpts) == 0 {
		return errorf("message has no e-mail recipients")
	}

	msg := gomail.NewMsg()
	msg.FromMailAddress(from)
	if err := msg.To(rcpts...); err != nil {
		return errorf("bad recipient address: %v", err)
	}
	msg.Subject(oneLine(m.Title))
	msg.SetDateWithValue(s.now())
	msg.SetMessageIDWithValue(messageID(from.Address))
	// Mark the mail as automatic, so out-of-office replies stay away.
	msg.SetBulk()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	link := absoluteLink(s.base, m.Link)
	msg.SetBodyString(gomail.TypeTextPlain, emailText(m.Body, link))
	msg.AddAlternativeString(gomail.TypeTextHTML, emailHTML(m.Title, m.Body, link))

	tlsConfig := &tls.Config{}
	if s.tlsConfig != nil {
		tlsConfig = s.tlsConfig.Clone()
	}
	tlsConfig.ServerName = host
	if tlsConfig.MinVersion < tls.VersionTLS12 {
		tlsConfig.MinVersion = tls.VersionTLS12
	}

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	// go-mail bounds each SMTP command with its timeout but does not watch
	// the context once connected; closing the connection when the context
	// ends stops a session that outlives it.
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	closeAll := func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}
	stop := context.AfterFunc(ctx, closeAll)
	defer stop()
	// go-mail leaves the connection open when the greeting, STARTTLS or
	// AUTH fails; close it whatever happened.
	defer closeAll()
	dial := func(dctx context.Context, _, _ string) (net.Conn, error) {
		d := net.Dialer{Timeout: s.dialTimeout}
		conn, err := d.DialContext(dctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			return nil, err
		}
		if mode == "tls" {
			tc := tls.Client(conn, tlsConfig)
			if err := tc.HandshakeContext(dctx); err != nil {
				conn.Close()
				return nil, err
			}
			conn = tc
		}
		mu.Lock()
		conns = append(conns, conn)
		mu.Unlock()
		return conn, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(port),
		gomail.WithTimeout(s.timeout),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSConfig(tlsConfig),
	}
	if mode == "starttls" {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	} else {
		// Implicit TLS is done by dial; "none" is a plain relay.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.helo != "" {
		opts = append(opts, gomail.WithHELO(s.helo))
	}
	if c["username"] != "" {
		plain, login := gomail.SMTPAuthPlain, gomail.SMTPAuthLogin
		if mode == "none" {
			// The administrator chose a connection without TLS; go-mail
			// would otherwise refuse to send the password over it.
			plain, login = gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc
		}
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(plain, login),
			gomail.WithUsername(c["username"]),
			gomail.WithPassword(c["password"]))
	}
	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return errorf("smtp client: %v", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil || msg.IsDelivered() {
		// The server took the message; a failed RSET or QUIT after it
		// does not make it undelivered, and sending again would repeat it.
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &Error{Err: fmt.Errorf("smtp session: %w (%v)", ctxErr, err), Retryable: true}
	}
	return smtpError(err)
}

// messageID returns a random Message-ID in the sender's domain, rather than
// in the name of the machine that sends.
func messageID(from string) string {
	_, domain, ok := strings.Cut(from, "@")
	if !ok || domain == "" {
		domain = "duban.invalid"
	}
	return rand.Text() + "@" + domain
}

// smtpError classifies an error of go-mail: SMTP 4xx replies and lost
// connections are retryable; 5xx replies, addresses go-mail refuses and
// failures of TLS or authentication are permanent.
func smtpError(err error) *Error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		e := &Error{Status: code, Err: err}
		switch {
		case code >= 400 && code < 500:
			e.Retryable = true
		case code >= 500:
			e.Retryable = false
		default:
			switch se.Reason {
			case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
				e.Retryable = false
			default:
				// go-mail's own check of a connection that went away,
				// or a write that failed.
				e.Retryable = true
			}
		}
		return e
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return &Error{Status: te.Code, Err: err, Retryable: te.Code >= 400 && te.Code < 500}
	}
	return &Error{Err: err, Retryable: transient(err)}
}

// emailText is the plain-text part: the body, the link, the footer.
func emailText(body, link string) string {
	var b strings.Builder
	b.WriteString(plainBody(body))
	if link != "" {
		b.WriteString("\n\n查看详情：")
		b.WriteString(link)
	}
	b.WriteString("\n\n——\n")
	b.WriteString(emailFooter)
	b.WriteString("\n")
	return b.String()
}

// emailHTML is the HTML part: the same text, a paragraph a line, and no
// resource from outside.
func emailHTML(title, body, link string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(oneLine(title)))
	b.WriteString("</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.6\">\n")
	for line := range strings.SplitSeq(plainBody(body), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(html.EscapeString(line))
		b.WriteString("</p>\n")
	}
	if link != "" {
		b.WriteString("<p><a href=\"")
		b.WriteString(html.EscapeString(link))
		b.WriteString("\">查看详情</a></p>\n")
	}
	b.WriteString("<hr>\n<p style=\"color: #888; font-size: small\">")
	b.WriteString(emailFooter)
	b.WriteString("</p>\n</body></html>\n")
	return b.String()
}
