package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/notify"
)

const (
	dingTalkToken  = "b2c7e1f0a9d84e6f9a1c3d5e7f901234abcdef5678901234abcdef5678901234"
	dingTalkSecret = "SEC8d3c1a5e7b9f2d4c6a8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1"
	weComKey       = "633a31f6-7f9c-4bc4-97a0-0ec1eefa5898"
)

// robot is an httptest server standing in for a robot platform. It checks
// each request with check, keeps its JSON body and answers with answer.
type robot struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
	status int
	answer string
	header http.Header
}

func newRobot(t *testing.T, check func(t *testing.T, r *http.Request, body []byte)) *robot {
	t.Helper()
	rb := &robot{status: http.StatusOK, answer: `{"errcode":0,"errmsg":"ok"}`, header: http.Header{}}
	rb.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read request: %v", err)
			return
		}
		if r.Method != http.MethodPost {
			t.Errorf("method = %s, want POST", r.Method)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		if check != nil {
			check(t, r, body)
		}
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("body is not a JSON object: %v\n%s", err, body)
		}
		rb.mu.Lock()
		rb.bodies = append(rb.bodies, v)
		status, answer := rb.status, rb.answer
		for k, vs := range rb.header {
			w.Header()[k] = vs
		}
		rb.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(rb.Close)
	return rb
}

func (rb *robot) reply(status int, answer string) {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	rb.status, rb.answer = status, answer
}

func (rb *robot) received() []map[string]any {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return append([]map[string]any(nil), rb.bodies...)
}

// checkDingTalkSign verifies a request as DingTalk does: the timestamp is in
// milliseconds and within an hour of the platform's clock, and sign is the
// URL-encoded base64 HMAC-SHA256, keyed with the secret, of the timestamp, a
// newline and the secret.
func checkDingTalkSign(t *testing.T, r *http.Request, secret string, now time.Time) {
	t.Helper()
	q := r.URL.Query()
	if got := q.Get("access_token"); got != dingTalkToken {
		t.Errorf("access_token = %q", got)
	}
	ts := q.Get("timestamp")
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		t.Fatalf("timestamp %q: %v", ts, err)
	}
	if d := now.Sub(time.UnixMilli(ms)); d < -time.Hour || d > time.Hour {
		t.Errorf("timestamp %s is %v from the platform's clock", ts, d)
	}
	if ms != now.UnixMilli() {
		t.Errorf("timestamp = %d, want %d", ms, now.UnixMilli())
	}
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts + "\n" + secret))
	want := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if got := q.Get("sign"); got != want {
		t.Errorf("sign = %q, want %q", got, want)
	}
	// The platform wants the base64 URL-encoded: no raw + / = in the query.
	_, raw, _ := strings.Cut(r.URL.RawQuery, "sign=")
	raw, _, _ = strings.Cut(raw, "&")
	if strings.ContainsAny(raw, "+/=") || raw != url.QueryEscape(want) {
		t.Errorf("sign in the query = %q, want %q", raw, url.QueryEscape(want))
	}
}

func dingTalkChannel(rb *robot, config map[string]string) duban.Channel {
	c := map[string]string{"url": rb.URL + "/robot/send?access_token=" + dingTalkToken}
	for k, v := range config {
		c[k] = v
	}
	return duban.Channel{ID: 3, OrgID: 1, Kind: duban.ChannelDingTalk, Name: "督查室工作群", Enabled: true, Config: c}
}

func weComChannel(rb *robot, config map[string]string) duban.Channel {
	c := map[string]string{"url": rb.URL + "/cgi-bin/webhook/send?key=" + weComKey}
	for k, v := range config {
		c[k] = v
	}
	return duban.Channel{ID: 4, OrgID: 1, Kind: duban.ChannelWeCom, Name: "企业微信群", Enabled: true, Config: c}
}

func newTestSenders() *notify.Senders {
	return notify.New(notify.Options{Timeout: 5 * time.Second, Now: fixedNow, BaseURL: "https://duban.example.gov.cn"})
}

func TestDingTalkSend(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]string
		msg    func(*notify.Message)
		want   map[string]any
	}{
		{
			name:   "markdown signed",
			config: map[string]string{"secret": dingTalkSecret},
			want: map[string]any{
				"msgtype": "markdown",
				"markdown": map[string]any{
					"title": "关于报送2024年3月工作进展的提醒",
					"text": "#### 关于报送2024年3月工作进展的提醒\n\n" +
						"请于3月28日前报送“推进老旧小区改造”的进展情况。\n\n逾期将按规定通报。\n\n" +
						"[查看详情](https://duban.example.gov.cn/tasks/12)\n\n@13800000001",
				},
				"at": map[string]any{"atMobiles": []any{"13800000001"}, "isAtAll": false},
			},
		},
		{
			name:   "text",
			config: map[string]string{"secret": dingTalkSecret, "msgtype": "text"},
			msg:    func(m *notify.Message) { m.Mobiles = []string{"13800000001", " 13900000002 ", "13800000001"} },
			want: map[string]any{
				"msgtype": "text",
				"text": map[string]any{
					"content": "关于报送2024年3月工作进展的提醒\n" +
						"请于3月28日前报送“推进老旧小区改造”的进展情况。\n逾期将按规定通报。\n" +
						"https://duban.example.gov.cn/tasks/12\n@13800000001 @13900000002",
				},
				"at": map[string]any{"atMobiles": []any{"13800000001", "13900000002"}, "isAtAll": false},
			},
		},
		{
			name:   "keyword added",
			config: map[string]string{"secret": dingTalkSecret, "keyword": "督办"},
			msg: func(m *notify.Message) {
				m.Title, m.Body, m.Link, m.Mobiles = "报送提醒", "请按时报送。", "", nil
			},
			want: map[string]any{
				"msgtype": "markdown",
				"markdown": map[string]any{
					"title": "【督办】报送提醒",
					"text":  "#### 【督办】报送提醒\n\n请按时报送。",
				},
				"at": map[string]any{"isAtAll": false},
			},
		},
		{
			name:   "keyword present",
			config: map[string]string{"secret": dingTalkSecret, "keyword": "报送"},
			msg:    func(m *notify.Message) { m.Link, m.Mobiles = "", nil },
			want: map[string]any{
				"msgtype": "markdown",
				"markdown": map[string]any{
					"title": "关于报送2024年3月工作进展的提醒",
					"text": "#### 关于报送2024年3月工作进展的提醒\n\n" +
						"请于3月28日前报送“推进老旧小区改造”的进展情况。\n\n逾期将按规定通报。",
				},
				"at": map[string]any{"isAtAll": false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
				if r.URL.Path != "/robot/send" {
					t.Errorf("path = %s", r.URL.Path)
				}
				checkDingTalkSign(t, r, dingTalkSecret, testNow)
			})
			m := reminder()
			if tt.msg != nil {
				tt.msg(&m)
			}
			if err := newTestSenders().Send(context.Background(), dingTalkChannel(rb, tt.config), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := rb.received()
			if len(got) != 1 {
				t.Fatalf("robot received %d messages, want 1", len(got))
			}
			if diff := cmp.Diff(tt.want, got[0]); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDingTalkUnsigned(t *testing.T) {
	rb := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
		q := r.URL.Query()
		if q.Has("timestamp") || q.Has("sign") {
			t.Errorf("unsigned channel sent %s", r.URL.RawQuery)
		}
		if q.Get("access_token") != dingTalkToken {
			t.Errorf("query = %s", r.URL.RawQuery)
		}
	})
	if err := newTestSenders().Send(context.Background(), dingTalkChannel(rb, nil), reminder()); err != nil {
		t.Fatalf("Send: %v", err)
	}
}

func TestDingTalkPrivateDeployment(t *testing.T) {
	// 政务钉钉 and other private deployments: another host and path, the
	// same signature.
	rb := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
		if r.URL.Path != "/gov/robot/send" {
			t.Errorf("path = %s", r.URL.Path)
		}
		checkDingTalkSign(t, r, dingTalkSecret, testNow)
	})
	ch := dingTalkChannel(rb, map[string]string{"secret": dingTalkSecret})
	ch.Config["url"] = rb.URL + "/gov/robot/send?access_token=" + dingTalkToken
	if err := newTestSenders().Send(context.Background(), ch, reminder()); err != nil {
		t.Fatalf("Send: %v", err)
	}
}

func TestWeComSend(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]string
		msg    func(*notify.Message)
		want   map[string]any
	}{
		{
			name: "markdown",
			msg:  func(m *notify.Message) { m.Mobiles = nil },
			want: map[string]any{
				"msgtype": "markdown",
				"markdown": map[string]any{
					"content": "**关于报送2024年3月工作进展的提醒**\n\n" +
						"请于3月28日前报送“推进老旧小区改造”的进展情况。\n\n逾期将按规定通报。\n\n" +
						"[查看详情](https://duban.example.gov.cn/tasks/12)",
				},
			},
		},
		{
			name: "mentions go as text",
			want: map[string]any{
				"msgtype": "text",
				"text": map[string]any{
					"content": "关于报送2024年3月工作进展的提醒\n" +
						"请于3月28日前报送“推进老旧小区改造”的进展情况。\n逾期将按规定通报。\n" +
						"https://duban.example.gov.cn/tasks/12",
					"mentioned_mobile_list": []any{"13800000001"},
				},
			},
		},
		{
			name:   "markdown asked for",
			config: map[string]string{"msgtype": "markdown"},
			msg:    func(m *notify.Message) { m.Link = "" },
			want: map[string]any{
				"msgtype": "markdown",
				"markdown": map[string]any{
					"content": "**关于报送2024年3月工作进展的提醒**\n\n" +
						"请于3月28日前报送“推进老旧小区改造”的进展情况。\n\n逾期将按规定通报。",
				},
			},
		},
		{
			name:   "text asked for",
			config: map[string]string{"msgtype": "text"},
			msg:    func(m *notify.Message) { m.Mobiles, m.Link = nil, "https://other.example.gov.cn/x" },
			want: map[string]any{
				"msgtype": "text",
				"text": map[string]any{
					"content": "关于报送2024年3月工作进展的提醒\n" +
						"请于3月28日前报送“推进老旧小区改造”的进展情况。\n逾期将按规定通报。\n" +
						"https://other.example.gov.cn/x",
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
				if r.URL.Path != "/cgi-bin/webhook/send" || r.URL.Query().Get("key") != weComKey {
					t.Errorf("request to %s", r.URL)
				}
			})
			m := reminder()
			if tt.msg != nil {
				tt.msg(&m)
			}
			if err := newTestSenders().Send(context.Background(), weComChannel(rb, tt.config), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := rb.received()
			if len(got) != 1 {
				t.Fatalf("robot received %d messages, want 1", len(got))
			}
			if diff := cmp.Diff(tt.want, got[0]); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWeComCutsLongBodies(t *testing.T) {
	for _, msgtype := range []string{"markdown", "text"} {
		t.Run(msgtype, func(t *testing.T) {
			rb := newRobot(t, nil)
			m := reminder()
			m.Mobiles = nil
			m.Body = strings.Repeat("督办事项进展情况，", 1000)
			if err := newTestSenders().Send(context.Background(), weComChannel(rb, map[string]string{"msgtype": msgtype}), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			content := rb.received()[0][msgtype].(map[string]any)["content"].(string)
			limit := map[string]int{"markdown": 4096, "text": 2048}[msgtype]
			if len(content) > limit {
				t.Errorf("content is %d bytes, over WeCom's %d", len(content), limit)
			}
			if !strings.Contains(content, "…") || !strings.Contains(content, "https://duban.example.gov.cn/tasks/12") {
				t.Errorf("cut content lacks the ellipsis or the link: ...%s", content[len(content)-200:])
			}
		})
	}
}

func TestRobotAnswers(t *testing.T) {
	tests := []struct {
		name      string
		kind      duban.ChannelKind
		status    int
		answer    string
		header    map[string]string
		wantErr   bool
		retryable bool
		code      int
		remote    string
		after     time.Duration
	}{
		{name: "dingtalk ok", kind: duban.ChannelDingTalk, answer: `{"errcode":0,"errmsg":"ok"}`},
		{name: "wecom ok", kind: duban.ChannelWeCom, answer: `{"errcode":0,"errmsg":"ok"}`},
		{name: "errcode as a string", kind: duban.ChannelDingTalk, answer: `{"errcode":"0","errmsg":"ok"}`},
		{name: "success true", kind: duban.ChannelDingTalk, answer: `{"success":true}`},
		{
			name: "success false", kind: duban.ChannelDingTalk, answer: `{"success":false,"message":"机器人不存在"}`,
			wantErr: true, remote: "机器人不存在",
		},
		{
			name: "dingtalk keyword", kind: duban.ChannelDingTalk,
			answer:  `{"errcode":310000,"errmsg":"关键词不匹配\n"}`,
			wantErr: true, code: 310000, remote: "关键词不匹配",
		},
		{
			name: "dingtalk sign", kind: duban.ChannelDingTalk,
			answer:  `{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}`,
			wantErr: true, code: 310000, remote: "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
		},
		{
			name: "dingtalk token", kind: duban.ChannelDingTalk, answer: `{"errcode":300001,"errmsg":"token is not exist"}`,
			wantErr: true, code: 300001, remote: "token is not exist",
		},
		{
			name: "dingtalk too fast", kind: duban.ChannelDingTalk,
			answer:  `{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`,
			wantErr: true, retryable: true, code: 130101, remote: "send too fast, exceed 20 times per minute",
		},
		{
			name: "dingtalk busy", kind: duban.ChannelDingTalk, answer: `{"errcode":-1,"errmsg":"系统繁忙"}`,
			wantErr: true, retryable: true, code: -1, remote: "系统繁忙",
		},
		{
			name: "wecom bad key", kind: duban.ChannelWeCom,
			answer:  `{"errcode":93000,"errmsg":"invalid webhook url, hint: [1711328400_abc]"}`,
			wantErr: true, code: 93000, remote: "invalid webhook url, hint: [1711328400_abc]",
		},
		{
			name: "wecom rate limit", kind: duban.ChannelWeCom, answer: `{"errcode":45009,"errmsg":"api freq out of limit"}`,
			wantErr: true, retryable: true, code: 45009, remote: "api freq out of limit",
		},
		{
			name: "html page", kind: duban.ChannelDingTalk, answer: "<html><body>网关错误</body></html>",
			wantErr: true, remote: "<html><body>网关错误</body></html>",
		},
		{name: "empty answer", kind: duban.ChannelWeCom, answer: "", wantErr: true},
		{
			name: "http 500", kind: duban.ChannelDingTalk, status: 500, answer: "internal error",
			wantErr: true, retryable: true, remote: "internal error",
		},
		{
			name: "http 502", kind: duban.ChannelWeCom, status: 502, answer: "bad gateway",
			wantErr: true, retryable: true, remote: "bad gateway",
		},
		{
			name: "http 429 retry-after", kind: duban.ChannelWeCom, status: 429, answer: "slow down",
			header:  map[string]string{"Retry-After": "120"},
			wantErr: true, retryable: true, remote: "slow down", after: 2 * time.Minute,
		},
		{
			name: "http 404", kind: duban.ChannelDingTalk, status: 404, answer: "not found",
			wantErr: true, remote: "not found",
		},
		{
			name: "http 403", kind: duban.ChannelWeCom, status: 403, answer: "forbidden",
			wantErr: true, remote: "forbidden",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb := newRobot(t, nil)
			status := tt.status
			if status == 0 {
				status = http.StatusOK
			}
			rb.reply(status, tt.answer)
			for k, v := range tt.header {
				rb.header.Set(k, v)
			}
			ch := dingTalkChannel(rb, map[string]string{"secret": dingTalkSecret})
			if tt.kind == duban.ChannelWeCom {
				ch = weComChannel(rb, nil)
			}
			err := newTestSenders().Send(context.Background(), ch, reminder())
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			t.Logf("error: %v", err)
			var e *notify.Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, want *notify.Error", err)
			}
			got := struct {
				Retryable  bool
				Code       int
				Status     int
				Remote     string
				RetryAfter time.Duration
				Channel    int64
			}{notify.IsRetryable(err), e.Code, e.Status, e.Remote, e.RetryAfter, e.ChannelID}
			want := got
			want.Retryable, want.Code, want.Remote, want.RetryAfter, want.Channel = tt.retryable, tt.code, tt.remote, tt.after, ch.ID
			// The status is kept when it, or an answer that is no robot's, is the fault.
			want.Status = 0
			if tt.status != 0 || !strings.HasPrefix(tt.answer, "{") {
				want.Status = status
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// hang is an HTTP server that never answers until the test ends.
func hang(t *testing.T) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() {
		close(done)
		srv.Close()
	})
	return srv
}

// closedURL returns a URL on 127.0.0.1 where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestHTTPTimeoutsAndNetworkErrors(t *testing.T) {
	slow := hang(t)
	closed := closedURL(t)
	channels := []duban.Channel{
		{ID: 3, Kind: duban.ChannelDingTalk, Name: "钉钉", Config: map[string]string{"secret": dingTalkSecret}},
		{ID: 4, Kind: duban.ChannelWeCom, Name: "企业微信", Config: map[string]string{}},
		{ID: 5, Kind: duban.ChannelWebhook, Name: "接口", Config: map[string]string{"secret": webhookSecret}},
	}
	for _, ch := range channels {
		for _, base := range []string{slow.URL, closed} {
			name := string(ch.Kind) + " timeout"
			if base == closed {
				name = string(ch.Kind) + " refused"
			}
			t.Run(name, func(t *testing.T) {
				ch.Config["url"] = base + "/hook/" + weComKey + "?access_token=" + dingTalkToken + "&key=" + weComKey
				s := notify.New(notify.Options{Timeout: 200 * time.Millisecond, Now: fixedNow})
				start := time.Now()
				err := s.Send(context.Background(), ch, reminder())
				if err == nil {
					t.Fatal("Send succeeded")
				}
				t.Logf("error: %v", err)
				if !notify.IsRetryable(err) {
					t.Errorf("IsRetryable = false, want true")
				}
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("Send took %v with a timeout of 200ms", d)
				}
				for _, secret := range []string{dingTalkToken, weComKey, dingTalkSecret, webhookSecret} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error shows a secret: %v", err)
					}
				}
				if !strings.Contains(err.Error(), strconv.FormatInt(ch.ID, 10)) {
					t.Errorf("error does not name the channel: %v", err)
				}
			})
		}
	}
}

func TestRobotErrorsHideSecrets(t *testing.T) {
	// A remote that echoes the token and the signature back.
	rb := newRobot(t, nil)
	rb.reply(http.StatusBadRequest, "invalid access_token "+dingTalkToken+" with secret "+dingTalkSecret)
	err := newTestSenders().Send(context.Background(), dingTalkChannel(rb, map[string]string{"secret": dingTalkSecret}), reminder())
	if err == nil {
		t.Fatal("Send succeeded")
	}
	for _, secret := range []string{dingTalkToken, dingTalkSecret} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows a secret: %v", err)
		}
	}
	if !strings.Contains(err.Error(), "invalid access_token ******") {
		t.Errorf("error = %v, want the remote's words with the token masked", err)
	}
}

func TestRobotRedirectNotFollowed(t *testing.T) {
	target := newRobot(t, func(t *testing.T, r *http.Request, _ []byte) {
		t.Errorf("redirect followed to %s", r.URL)
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	ch := duban.Channel{ID: 3, Kind: duban.ChannelDingTalk, Name: "钉钉", Config: map[string]string{"url": srv.URL + "/robot/send?access_token=x"}}
	err := newTestSenders().Send(context.Background(), ch, reminder())
	var e *notify.Error
	if !errors.As(err, &e) || e.Status != http.StatusTemporaryRedirect || notify.IsRetryable(err) {
		t.Errorf("Send = %v, want a permanent error with status 307", err)
	}
}

func TestResponseBodyLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		chunk := []byte(strings.Repeat("x", 1<<10))
		for range 10 << 10 { // 10 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	ch := duban.Channel{ID: 5, Kind: duban.ChannelWebhook, Name: "接口", Config: map[string]string{"url": srv.URL}}
	err := newTestSenders().Send(context.Background(), ch, reminder())
	var e *notify.Error
	if !errors.As(err, &e) || e.Status != 500 || !notify.IsRetryable(err) {
		t.Fatalf("Send = %v, want a retryable 500", err)
	}
	if len(e.Remote) > 400 {
		t.Errorf("error keeps %d bytes of the answer", len(e.Remote))
	}
}
