package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"

	"duban"
)

// Sender sends a message over a channel. Send returns nil once the remote has
// taken the message, or an *Error that says whether to try again (see
// IsRetryable).
type Sender interface {
	Send(ctx context.Context, ch duban.Channel, m Message) error
}

// Options configure the senders. The zero value works.
type Options struct {
	// Timeout bounds one send from connecting to reading the answer (the
	// whole SMTP session for e-mail). Default 15 s.
	Timeout time.Duration
	// DialTimeout bounds connecting and the TLS handshake. Default 5 s, or
	// Timeout if that is shorter.
	DialTimeout time.Duration
	// TLSConfig is the base of every TLS connection, for instance to trust
	// a government CA with RootCAs. It is cloned; nil uses the system roots.
	TLSConfig *tls.Config
	// Transport replaces the HTTP transport, for instance to go through a
	// proxy; Timeout still bounds each request. Nil uses a transport with
	// the timeouts above and no proxy.
	Transport http.RoundTripper
	// BaseURL makes relative links absolute: "https://duban.example.gov.cn".
	BaseURL string
	// HELO is the name SMTP greets with; the host name if empty.
	HELO string
	// Location is the time zone of the time in test messages; UTC if nil.
	Location *time.Location
	// Now is the clock of signatures and Date headers; time.Now if nil.
	Now func() time.Time
}

// Senders sends over every kind of channel, choosing the sender by the
// channel's kind. It is safe for concurrent use.
type Senders struct {
	byKind map[duban.ChannelKind]Sender
	now    func() time.Time
	loc    *time.Location
}

// New returns the senders of every kind of channel, configured by opts.
func New(opts Options) *Senders {
	if opts.Timeout <= 0 {
		opts.Timeout = 15 * time.Second
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = min(5*time.Second, opts.Timeout)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	client := newHTTPClient(opts)
	return &Senders{
		byKind: map[duban.ChannelKind]Sender{
			duban.ChannelEmail: &email{
				timeout:     opts.Timeout,
				dialTimeout: opts.DialTimeout,
				tlsConfig:   opts.TLSConfig,
				helo:        opts.HELO,
				now:         opts.Now,
				base:        opts.BaseURL,
			},
			duban.ChannelDingTalk: &dingTalk{client: client, now: opts.Now, base: opts.BaseURL},
			duban.ChannelWeCom:    &weCom{client: client, now: opts.Now, base: opts.BaseURL},
			duban.ChannelWebhook:  &webhook{client: client, now: opts.Now, base: opts.BaseURL},
		},
		now: opts.Now,
		loc: opts.Location,
	}
}

// Send validates ch (see ValidateChannel) and sends m over it. It returns nil
// or an *Error; a channel that is not configured correctly gives a permanent
// *Error wrapping the *duban.Error of CodeInvalid. Send does not look at
// ch.Enabled: whether to send over a disabled channel is the caller's choice.
func (s *Senders) Send(ctx context.Context, ch duban.Channel, m Message) error {
	if err := ValidateChannel(ch); err != nil {
		return finish(ch, err)
	}
	sender, ok := s.byKind[ch.Kind]
	if !ok {
		return finish(ch, errorf("no sender for channel kind %q", ch.Kind))
	}
	return sender.Send(ctx, ch, m)
}

// Test sends a test message over ch, for the administrator's "发送测试消息"
// button. An e-mail goes to the given addresses, or to the channel's sender
// address when none are given; robots and webhooks mention nobody. It returns
// nil or a *duban.Error of CodeInvalid whose Chinese message says what to
// check, followed by the details of the failure.
func (s *Senders) Test(ctx context.Context, ch duban.Channel, emails ...string) error {
	if err := ValidateChannel(ch); err != nil {
		return err
	}
	now := s.now()
	m := Message{
		// Unique, so that a receiver dropping repeats by key keeps each test.
		Key:   "test:channel=" + strconv.FormatInt(ch.ID, 10) + ":" + now.UTC().Format(time.RFC3339Nano),
		Kind:  KindTest,
		OrgID: ch.OrgID,
		Title: "督办系统测试消息",
		Body: "这是一条测试消息，用于检查通知渠道「" + ch.Name + "」能否送达，收到即表示配置正确。\n" +
			"发送时间：" + now.In(s.loc).Format("2006-01-02 15:04:05"),
		Link:   "/",
		At:     now,
		Emails: emails,
	}
	if ch.Kind == duban.ChannelEmail && len(m.Emails) == 0 {
		m.Emails = []string{ch.Config["from"]}
	}
	err := s.Send(ctx, ch, m)
	if err == nil {
		return nil
	}
	return duban.Errorf(duban.CodeInvalid, "测试消息发送失败：%s。详情：%s", hint(err), err)
}

// The robot errcodes that say the URL's token is wrong: the robot was
// removed, disabled or never existed.
var (
	dingTalkBadToken = []int{300001, 300005, 400101, 400102}
	weComBadToken    = []int{93000, 93008}
)

// hint says in Chinese what an administrator should check after err.
func hint(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return "请检查渠道配置"
	}
	var (
		cert       *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		dns        *net.DNSError
		ne         net.Error
		isTimedOut = errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
	)
	switch {
	case e.Kind == duban.ChannelDingTalk && e.Code == 310000:
		return "钉钉拒绝了消息，请检查机器人的安全设置：签名密钥（secret）、自定义关键词（keyword）或IP地址段"
	case e.Kind == duban.ChannelDingTalk && slices.Contains(dingTalkBadToken, e.Code):
		return "请检查Webhook地址（url）中的 access_token，机器人可能已被删除或停用"
	case e.Kind == duban.ChannelWeCom && slices.Contains(weComBadToken, e.Code):
		return "请检查Webhook地址（url）中的 key，机器人可能已被移出群聊"
	case e.Code != 0 && e.Retryable:
		return "机器人发送过于频繁或平台繁忙，请稍后再试"
	case e.Code != 0:
		return "机器人返回错误"
	case e.Kind == duban.ChannelEmail && (e.Status == 530 || e.Status == 534 || e.Status == 535):
		return "邮件服务器拒绝登录，请检查用户名（username）和密码（password）"
	case e.Kind == duban.ChannelEmail && e.Status >= 500:
		return "邮件服务器拒绝了邮件，请检查发件人（from）和收件地址"
	case e.Kind == duban.ChannelEmail && e.Status >= 400:
		return "邮件服务器暂时不可用，请稍后再试"
	case e.Status != 0 && e.Retryable:
		return "对方服务暂时不可用，请稍后再试"
	case e.Status != 0:
		return "对方拒绝了请求，请检查Webhook地址（url）和签名密钥（secret）"
	case errors.As(err, &cert), errors.As(err, &unknownCA):
		return "TLS证书校验失败，请检查服务器证书或加密方式（tls）"
	case errors.As(err, &dns):
		return "无法解析服务器地址，请检查地址是否正确"
	case isTimedOut:
		return "连接超时，请检查地址、端口、网络和防火墙"
	case e.Retryable:
		return "无法连接，请检查地址、端口和网络"
	}
	return "请检查渠道配置"
}
