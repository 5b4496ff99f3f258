package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"duban"
)

// The most bytes of text a robot message carries; longer bodies are cut.
const (
	dingTalkMaxText  = 18000 // DingTalk refuses messages of about 20 000 bytes
	weComMaxText     = 2048  // WeCom's limit for text content
	weComMaxMarkdown = 4096  // WeCom's limit for markdown content
)

// The robots' errcodes that time may cure: busy, or too many messages in a
// minute (each robot takes about 20).
var (
	dingTalkRetryable = []int{-1, 130101, 410100}
	weComRetryable    = []int{-1, 45009, 45033}
)

// dingTalk sends to a DingTalk group robot (钉钉自定义机器人), 政务钉钉 too.
type dingTalk struct {
	client *http.Client
	now    func() time.Time
	base   string
}

func (s *dingTalk) Send(ctx context.Context, ch duban.Channel, m Message) error {
	c := ch.Config
	target := c["url"]
	if secret := c["secret"]; secret != "" {
		target = signDingTalk(target, secret, s.now())
	}
	body, err := json.Marshal(dingTalkMessage(c, m, absoluteLink(s.base, m.Link)))
	if err != nil {
		return finish(ch, err)
	}
	return finish(ch, robotSend(ctx, s.client, target, body, s.now, dingTalkRetryable))
}

// signDingTalk appends DingTalk's signature to a robot URL: the time in
// milliseconds and the base64 HMAC-SHA256, keyed with the secret, of the time,
// a newline and the secret, URL-encoded.
func signDingTalk(rawURL, secret string, now time.Time) string {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	sign := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	return rawURL + sep + "timestamp=" + ts + "&sign=" + url.QueryEscape(sign)
}

type dingTalkAt struct {
	AtMobiles []string `json:"atMobiles,omitempty"`
	IsAtAll   bool     `json:"isAtAll"`
}

type dingTalkMarkdown struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type dingTalkText struct {
	Content string `json:"content"`
}

type dingTalkBody struct {
	MsgType  string            `json:"msgtype"`
	Markdown *dingTalkMarkdown `json:"markdown,omitempty"`
	Text     *dingTalkText     `json:"text,omitempty"`
	At       dingTalkAt        `json:"at"`
}

// dingTalkMessage builds the robot message of m. The numbers to mention are
// written into the text as well, as DingTalk requires for markdown.
func dingTalkMessage(c map[string]string, m Message, link string) dingTalkBody {
	title := oneLine(m.Title)
	if kw := c["keyword"]; kw != "" && !strings.Contains(title+m.Body, kw) {
		// A robot secured by keyword drops messages without one.
		title = "【" + kw + "】" + title
	}
	mobiles := cleanList(m.Mobiles)
	at := dingTalkAt{AtMobiles: mobiles}
	var mentions string
	if len(mobiles) > 0 {
		mentions = "@" + strings.Join(mobiles, " @")
	}
	if c["msgtype"] == "text" {
		tail := joinNonEmpty("\n", link, mentions)
		if tail != "" {
			tail = "\n" + tail
		}
		return dingTalkBody{MsgType: "text", Text: &dingTalkText{Content: fit(title+"\n", plainBody(m.Body), tail, dingTalkMaxText)}, At: at}
	}
	head := "#### " + title + "\n\n"
	var tail string
	if link != "" {
		tail = "\n\n[查看详情](" + markdownURL(link) + ")"
	}
	if mentions != "" {
		tail += "\n\n" + mentions
	}
	return dingTalkBody{
		MsgType:  "markdown",
		Markdown: &dingTalkMarkdown{Title: title, Text: fit(head, markdownBody(m.Body), tail, dingTalkMaxText)},
		At:       at,
	}
}

// weCom sends to a WeCom group robot (企业微信群机器人).
type weCom struct {
	client *http.Client
	now    func() time.Time
	base   string
}

func (s *weCom) Send(ctx context.Context, ch duban.Channel, m Message) error {
	body, err := json.Marshal(weComMessage(ch.Config, m, absoluteLink(s.base, m.Link)))
	if err != nil {
		return finish(ch, err)
	}
	return finish(ch, robotSend(ctx, s.client, ch.Config["url"], body, s.now, weComRetryable))
}

type weComMarkdown struct {
	Content string `json:"content"`
}

type weComText struct {
	Content             string   `json:"content"`
	MentionedMobileList []string `json:"mentioned_mobile_list,omitempty"`
}

type weComBody struct {
	MsgType  string         `json:"msgtype"`
	Markdown *weComMarkdown `json:"markdown,omitempty"`
	Text     *weComText     `json:"text,omitempty"`
}

// weComMessage builds the robot message of m. WeCom's markdown cannot mention
// anyone by mobile number, so unless msgtype says markdown, a message with
// numbers to mention goes as text.
func weComMessage(c map[string]string, m Message, link string) weComBody {
	title := oneLine(m.Title)
	mobiles := cleanList(m.Mobiles)
	if c["msgtype"] == "text" || c["msgtype"] == "" && len(mobiles) > 0 {
		tail := ""
		if link != "" {
			tail = "\n" + link
		}
		return weComBody{MsgType: "text", Text: &weComText{
			Content:             fit(title+"\n", plainBody(m.Body), tail, weComMaxText),
			MentionedMobileList: mobiles,
		}}
	}
	tail := ""
	if link != "" {
		tail = "\n\n[查看详情](" + markdownURL(link) + ")"
	}
	return weComBody{MsgType: "markdown", Markdown: &weComMarkdown{
		Content: fit("**"+title+"**\n\n", markdownBody(m.Body), tail, weComMaxMarkdown),
	}}
}

// robotSend posts a robot message and reads the robot's answer.
func robotSend(ctx context.Context, client *http.Client, target string, body []byte, now func() time.Time, retryable []int) error {
	a, err := post(ctx, client, target, body, nil)
	if err != nil {
		return err
	}
	if err := statusError(a, now()); err != nil {
		return err
	}
	ans, err := parseRobotAnswer(a.body)
	if err != nil {
		return &Error{Status: a.status, Remote: remoteText(a.body), Err: err}
	}
	if ans.OK {
		return nil
	}
	return &Error{Code: ans.Code, Remote: ans.Msg, Retryable: slices.Contains(retryable, ans.Code)}
}

// robotAnswer is what a DingTalk or WeCom robot answered.
type robotAnswer struct {
	OK   bool
	Code int    // errcode; 0 when the answer had none
	Msg  string // errmsg, cleaned by remoteText
}

// errNotRobotAnswer is the error of an answer that is not a robot's JSON.
var errNotRobotAnswer = errors.New("answer is not a robot's JSON object")

// parseRobotAnswer reads a robot's answer, {"errcode":0,"errmsg":"ok"}.
// errcode may be a number or a string of digits; errcode 0 is success and
// any other is failure. Without errcode, a boolean "success" (which some
// private deployments send) decides, and an object with neither is success.
// An answer that is not a JSON object, or whose errcode is not an integer,
// is an error.
func parseRobotAnswer(body []byte) (robotAnswer, error) {
	var raw struct {
		ErrCode json.RawMessage `json:"errcode"`
		ErrMsg  json.RawMessage `json:"errmsg"`
		Success json.RawMessage `json:"success"`
		Message json.RawMessage `json:"message"`
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return robotAnswer{}, errNotRobotAnswer
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return robotAnswer{}, errNotRobotAnswer
	}
	var a robotAnswer
	a.Msg = jsonText(raw.ErrMsg)
	if a.Msg == "" {
		a.Msg = jsonText(raw.Message)
	}
	if code := bytes.TrimSpace(raw.ErrCode); len(code) > 0 && string(code) != "null" {
		if code[0] == '"' {
			var s string
			if json.Unmarshal(code, &s) != nil {
				return robotAnswer{}, errNotRobotAnswer
			}
			code = []byte(strings.TrimSpace(s))
		}
		n, err := strconv.Atoi(string(code))
		if err != nil {
			return robotAnswer{}, errors.New("robot answer: errcode is not an integer")
		}
		a.Code, a.OK = n, n == 0
		return a, nil
	}
	switch string(bytes.TrimSpace(raw.Success)) {
	case "false", `"false"`:
		return a, nil
	}
	a.OK = true
	return a, nil
}

// jsonText returns a JSON string's text, or the raw JSON of anything else,
// cleaned by remoteText.
func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return remoteText([]byte(s))
	}
	return remoteText(raw)
}

// fit joins head, body and tail, cutting body so that the whole stays within
// limit bytes when it can.
func fit(head, body, tail string, limit int) string {
	room := limit - len(head) - len(tail)
	if room < 0 {
		room = 0
	}
	return head + truncate(body, room) + tail
}

// oneLine folds a title onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// plainBody normalises line ends and drops blank lines at either end.
func plainBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Trim(s, "\n")
}

// markdownBody makes each line of a plain body a markdown paragraph, so that
// the robots keep its line breaks.
func markdownBody(s string) string {
	var lines []string
	for line := range strings.SplitSeq(plainBody(s), "\n") {
		if strings.TrimSpace(line) != "" {
			lines = append(lines, strings.TrimRight(line, " \t"))
		}
	}
	return strings.Join(lines, "\n\n")
}

// markdownURL escapes the characters that would end a markdown link early.
func markdownURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(u)
}

// cleanList trims the values, drops empty ones and repeats, and keeps the
// order.
func cleanList(vs []string) []string {
	var out []string
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
