package notify_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/notify"
)

func channel(kind duban.ChannelKind, config map[string]string) duban.Channel {
	return duban.Channel{ID: 1, OrgID: 1, Kind: kind, Name: "渠道", Enabled: true, Config: config}
}

func TestValidateChannel(t *testing.T) {
	okEmail := func(change map[string]string) map[string]string {
		c := map[string]string{"host": "smtp.example.gov.cn", "from": "督查室 <duban@example.gov.cn>"}
		for k, v := range change {
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name string
		ch   duban.Channel
		want string // the message; "" for valid
	}{
		{"email minimal", channel(duban.ChannelEmail, okEmail(nil)), ""},
		{"email full", channel(duban.ChannelEmail, okEmail(map[string]string{
			"port": "465", "tls": "tls", "username": "duban", "password": "x", "from": "duban@example.gov.cn",
		})), ""},
		{"email ip host", channel(duban.ChannelEmail, okEmail(map[string]string{"host": "10.1.2.3", "tls": "none", "port": "25"})), ""},
		{"email ipv6 host", channel(duban.ChannelEmail, okEmail(map[string]string{"host": "fd00::25"})), ""},
		{"email unknown key left empty", channel(duban.ChannelEmail, okEmail(map[string]string{"url": ""})), ""},
		{"dingtalk", channel(duban.ChannelDingTalk, map[string]string{
			"url": "https://oapi.dingtalk.com/robot/send?access_token=abc", "secret": "SECabc", "keyword": "督办", "msgtype": "text",
		}), ""},
		{"wecom", channel(duban.ChannelWeCom, map[string]string{"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "msgtype": "markdown"}), ""},
		{"webhook on the intranet", channel(duban.ChannelWebhook, map[string]string{"url": "http://10.0.0.8:8080/hook", "secret": "s"}), ""},

		{"no name", duban.Channel{Kind: duban.ChannelWebhook, Name: " ", Config: map[string]string{"url": "https://x.example"}}, "渠道名称（name）不能为空"},
		{"bad kind", channel("sms", nil), "渠道类型（kind）只能是 email、dingtalk、wecom 或 webhook"},
		{"email without host", channel(duban.ChannelEmail, okEmail(map[string]string{"host": ""})), "邮件服务器地址（host）不能为空"},
		{"email host with scheme", channel(duban.ChannelEmail, okEmail(map[string]string{"host": "smtp://smtp.example.gov.cn"})), "邮件服务器地址（host）只填主机名或IP地址，例如 smtp.example.gov.cn"},
		{"email host with port", channel(duban.ChannelEmail, okEmail(map[string]string{"host": "smtp.example.gov.cn:25"})), "邮件服务器地址（host）只填主机名或IP地址，例如 smtp.example.gov.cn"},
		{"email port zero", channel(duban.ChannelEmail, okEmail(map[string]string{"port": "0"})), "端口（port）必须是1到65535之间的整数"},
		{"email port too big", channel(duban.ChannelEmail, okEmail(map[string]string{"port": "70000"})), "端口（port）必须是1到65535之间的整数"},
		{"email port not a number", channel(duban.ChannelEmail, okEmail(map[string]string{"port": "smtp"})), "端口（port）必须是1到65535之间的整数"},
		{"email bad tls", channel(duban.ChannelEmail, okEmail(map[string]string{"tls": "ssl"})), "加密方式（tls）只能是 starttls、tls 或 none"},
		{"email without from", channel(duban.ChannelEmail, okEmail(map[string]string{"from": ""})), "发件人（from）不能为空"},
		{"email bad from", channel(duban.ChannelEmail, okEmail(map[string]string{"from": "督查室"})), "发件人（from）格式不正确，例如 督查室 <duban@example.gov.cn>"},
		{"email password without user", channel(duban.ChannelEmail, okEmail(map[string]string{"password": "x"})), "填写了密码（password），但用户名（username）为空"},
		{"robot without url", channel(duban.ChannelDingTalk, map[string]string{"secret": "s"}), "Webhook地址（url）不能为空"},
		{"url not http", channel(duban.ChannelWeCom, map[string]string{"url": "ftp://qyapi.weixin.qq.com/x"}), "Webhook地址（url）必须以 http:// 或 https:// 开头"},
		{"url without scheme", channel(duban.ChannelWebhook, map[string]string{"url": "hooks.example.gov.cn/x"}), "Webhook地址（url）必须以 http:// 或 https:// 开头"},
		{"url without host", channel(duban.ChannelWebhook, map[string]string{"url": "https:///x"}), "Webhook地址（url）缺少主机名"},
		{"url with user", channel(duban.ChannelWebhook, map[string]string{"url": "https://u:p@x.example/"}), "Webhook地址（url）不能包含用户名或密码"},
		{"url with fragment", channel(duban.ChannelWebhook, map[string]string{"url": "https://x.example/#a"}), "Webhook地址（url）不能包含 # 片段"},
		{"url bad port", channel(duban.ChannelWebhook, map[string]string{"url": "https://x.example:99999/"}), "Webhook地址（url）中的端口必须是1到65535之间的整数"},
		{"url with spaces", channel(duban.ChannelWebhook, map[string]string{"url": "https://x .example/"}), "Webhook地址（url）格式不正确"},
		{"bad msgtype", channel(duban.ChannelDingTalk, map[string]string{"url": "https://x.example/", "msgtype": "card"}), "消息格式（msgtype）只能是 markdown 或 text"},
		{"misspelt key", channel(duban.ChannelDingTalk, map[string]string{"url": "https://x.example/", "secert": "s"}), `不支持的配置项："secert"`},
		{"key of another kind", channel(duban.ChannelWeCom, map[string]string{"url": "https://x.example/", "secret": "s"}), `不支持的配置项："secret"`},
		{
			"every problem",
			duban.Channel{Kind: duban.ChannelEmail, Config: map[string]string{"port": "x", "tls": "ssl", "zeta": "1", "alpha": "2"}},
			`渠道名称（name）不能为空；不支持的配置项："alpha"；不支持的配置项："zeta"；邮件服务器地址（host）不能为空；` +
				"端口（port）必须是1到65535之间的整数；加密方式（tls）只能是 starttls、tls 或 none；发件人（from）不能为空",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := notify.ValidateChannel(tt.ch)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ValidateChannel = %v, want nil", err)
				}
				return
			}
			if code := duban.ErrorCode(err); code != duban.CodeInvalid {
				t.Fatalf("ValidateChannel = %v (code %q), want CodeInvalid", err, code)
			}
			if diff := cmp.Diff(tt.want, duban.ErrorMessage(err)); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func secretChannels() []duban.Channel {
	return []duban.Channel{
		channel(duban.ChannelEmail, map[string]string{
			"host": "smtp.example.gov.cn", "username": "duban", "password": "pw-Secret-1", "from": "duban@example.gov.cn",
		}),
		channel(duban.ChannelDingTalk, map[string]string{
			"url":    "https://oapi.dingtalk.com/robot/send?access_token=tok-Secret-2",
			"secret": "SEC-Secret-3",
		}),
		channel(duban.ChannelWeCom, map[string]string{"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=key-Secret-4&debug=1"}),
		channel(duban.ChannelWebhook, map[string]string{"url": "https://hooks.example.gov.cn/in?token=tok-Secret-5", "secret": "wh-Secret-6"}),
		channel(duban.ChannelWebhook, map[string]string{"url": "https://user:pw-Secret-7@hooks.example.gov.cn/in", "secret": ""}),
		channel(duban.ChannelWebhook, map[string]string{"url": "http://[bad url pw-Secret-8"}),
	}
}

func TestRedactConfig(t *testing.T) {
	for _, ch := range secretChannels() {
		t.Run(string(ch.Kind), func(t *testing.T) {
			before, _ := json.Marshal(ch)
			got := notify.RedactConfig(ch)
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), "Secret-") {
				t.Errorf("redacted channel leaks a secret: %s", out)
			}
			after, _ := json.Marshal(ch)
			if string(before) != string(after) {
				t.Errorf("RedactConfig modified its argument:\n%s\n%s", before, after)
			}
			if got.ID != ch.ID || got.Name != ch.Name || got.Kind != ch.Kind || len(got.Config) != len(ch.Config) {
				t.Errorf("RedactConfig changed more than secrets: %+v", got)
			}
		})
	}
}

func TestRedactConfigValues(t *testing.T) {
	ch := channel(duban.ChannelDingTalk, map[string]string{
		"url":     "https://oapi.dingtalk.com/robot/send?access_token=abc&x=&y",
		"secret":  "SECabc",
		"keyword": "督办",
		"msgtype": "",
	})
	want := map[string]string{
		"url":     "https://oapi.dingtalk.com/robot/send?access_token=******&x=&y",
		"secret":  "******",
		"keyword": "督办",
		"msgtype": "",
	}
	if diff := cmp.Diff(want, notify.RedactConfig(ch).Config); diff != "" {
		t.Errorf("RedactConfig mismatch (-want +got):\n%s", diff)
	}
	if got := notify.RedactConfig(duban.Channel{Kind: duban.ChannelWebhook}); got.Config != nil {
		t.Errorf("RedactConfig of a nil config = %v", got.Config)
	}
}

func TestKeepSecrets(t *testing.T) {
	for _, stored := range secretChannels() {
		t.Run(string(stored.Kind), func(t *testing.T) {
			if diff := cmp.Diff(stored, notify.KeepSecrets(notify.RedactConfig(stored), stored)); diff != "" {
				t.Errorf("saving the redacted form unchanged lost secrets (-want +got):\n%s", diff)
			}
		})
	}
	stored := secretChannels()[1]
	edited := notify.RedactConfig(stored)
	edited.Config["secret"] = "SEC-new"
	edited.Config["url"] = "https://oapi.dingtalk.com/robot/send?access_token=new-token"
	got := notify.KeepSecrets(edited, stored)
	want := map[string]string{"url": "https://oapi.dingtalk.com/robot/send?access_token=new-token", "secret": "SEC-new"}
	if diff := cmp.Diff(want, got.Config); diff != "" {
		t.Errorf("new secrets not kept (-want +got):\n%s", diff)
	}
	if edited.Config["secret"] != "SEC-new" {
		t.Errorf("KeepSecrets modified its argument")
	}
}
