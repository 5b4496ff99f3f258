// Package notify sends notifications over an organisation's external
// channels: e-mail, DingTalk and WeCom group robots (钉钉机器人,
// 企业微信机器人) and plain JSON webhooks. In-app notifications need none of
// it.
//
// New returns the Senders; Senders.Send validates a duban.Channel and sends a
// Message over it, and Senders.Test sends the test message of the
// administrator's "发送测试消息" button. A send either succeeds once the remote
// has taken the message or fails with an *Error that names the channel, says
// what the remote answered and never shows a secret. IsRetryable tells a
// failure that may pass later (network errors, timeouts, HTTP 408, 429 and
// 5xx, SMTP 4xx, a robot that is busy or rate-limited) from one that will not
// (bad configuration, other HTTP 4xx, SMTP 5xx, a robot refusing the keyword,
// signature or token). NextAttempt turns the outcome of an attempt into the
// delivery's next status and time, with exponential backoff and full jitter
// (Backoff) for at most MaxAttempts attempts; storing deliveries and running
// the attempts is the caller's job.
//
// # Config keys
//
// Channel.Config holds strings. ValidateChannel refuses unknown keys that
// have a value; RedactConfig masks the secrets for API output and
// KeepSecrets restores them when a redacted form is saved.
//
// email (SMTP):
//
//	host      the SMTP server, a name or an IP address (required)
//	port      1–65535; default 587 for starttls, 465 for tls, 25 for none
//	tls       starttls (default): STARTTLS is required; tls: implicit TLS
//	          (SMTPS); none: no encryption, for a relay on a trusted network
//	username  SMTP AUTH user; AUTH (PLAIN, else LOGIN) only when set
//	password  SMTP AUTH password (secret). With tls=none it goes unencrypted.
//	from      the sender: duban@example.gov.cn or 督查室 <duban@example.gov.cn>
//
// Each message goes to all of Message.Emails as one e-mail with a UTF-8
// subject, a plain-text part and an HTML part, marked as automatic
// (Auto-Submitted, Precedence: bulk). A server that refuses one recipient
// refuses the message.
//
// dingtalk (钉钉自定义机器人, also private 政务钉钉 deployments):
//
//	url       the full webhook URL, https://oapi.dingtalk.com/robot/send?access_token=…
//	          or the URL of a private deployment (required; the token is a secret)
//	secret    the 加签 secret, SEC…; when set every request is signed
//	keyword   one of the robot's 自定义关键词; added to the title when the text lacks it
//	msgtype   markdown (default) or text
//
// Signing follows DingTalk: the time in milliseconds, a newline and the secret
// are signed with HMAC-SHA256 keyed with the secret; the base64 of the result
// is URL-encoded and appended as &timestamp=…&sign=…. Mobile numbers in
// Message.Mobiles are mentioned (at.atMobiles, and @number in the text).
// The answer {"errcode":0,"errmsg":"ok"} is success; any other errcode is an
// error carrying errmsg.
//
// wecom (企业微信群机器人):
//
//	url       the full webhook URL, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
//	          (required; the key is a secret)
//	msgtype   markdown or text. Unset, a message goes as markdown, or as text
//	          when it mentions someone, since WeCom's markdown cannot mention
//	          by mobile number (text.mentioned_mobile_list).
//
// WeCom cuts text at 2048 bytes and markdown at 4096, so longer bodies are
// cut here first, keeping the link. Answers are read as for DingTalk.
//
// webhook (any receiver):
//
//	url       where to POST (required)
//	secret    when set, requests are signed (see below)
//
// # The JSON webhook
//
// A webhook channel POSTs one JSON object per message, with Content-Type
// application/json; charset=utf-8 and User-Agent duban-notify/1:
//
//	{
//	  "kind": "before_due",          // the notification kind; "test" for a test message
//	  "key": "remind:before_due:task=12:cycle=3:2024-03-25",
//	  "org_id": 1,
//	  "task_id": 12,                 // null when the notification is not about a task
//	  "title": "关于报送2024年3月工作进展的提醒",
//	  "body": "……",                  // Chinese plain text, lines separated by \n
//	  "link": "https://duban.example.gov.cn/tasks/12",
//	  "at": "2024-03-25T01:00:00Z",  // when the notification was made, RFC 3339 UTC
//	  "to": {"emails": ["…"], "mobiles": ["…"]}  // the recipients, possibly empty
//	}
//
// Any 2xx status is success and the answer's body is ignored; 408, 429 and
// 5xx are retried later (a Retry-After in seconds or as a date is honoured up
// to an hour), other statuses are not. Redirects are not followed. A message
// may arrive more than once, when an answer is lost and the message is sent
// again: receivers drop repeats by "key".
//
// When the channel has a secret, two headers let the receiver check that the
// request comes from duban and was not replayed:
//
//	X-Duban-Timestamp: 1711328400
//	X-Duban-Signature: sha256=<64 lowercase hex digits>
//
// The timestamp is the Unix time in seconds when the request was made; the
// signature is "sha256=" and the lowercase hex of HMAC-SHA256, keyed with the
// secret, of the timestamp, a dot and the raw body bytes:
//
//	HMAC-SHA256(secret, timestamp + "." + body)
//
// A receiver recomputes it over the body exactly as received (before any JSON
// parsing), compares it in constant time, and refuses timestamps more than
// five minutes from its clock. In Go:
//
//	mac := hmac.New(sha256.New, []byte(secret))
//	mac.Write([]byte(r.Header.Get("X-Duban-Timestamp") + "."))
//	mac.Write(body)
//	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
//	ok := hmac.Equal([]byte(want), []byte(r.Header.Get("X-Duban-Signature")))
//
// WebhookSignature computes the same value.
package notify
