package notify

import (
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"duban"
)

// Masked stands for a secret in a redacted channel. A channel edited from a
// redacted copy keeps its stored secret where the value is still Masked (see
// KeepSecrets).
const Masked = "******"

// The config keys of each kind of channel.
var configKeys = map[duban.ChannelKind][]string{
	duban.ChannelEmail:    {"host", "port", "username", "password", "from", "tls", "to"},
	duban.ChannelDingTalk: {"url", "secret", "msgtype", "keyword"},
	duban.ChannelWeCom:    {"url", "msgtype"},
	duban.ChannelWebhook:  {"url", "secret"},
}

// The names of the config keys in messages to administrators.
var configLabels = map[string]string{
	"host":     "邮件服务器地址（host）",
	"port":     "端口（port）",
	"username": "用户名（username）",
	"password": "密码（password）",
	"from":     "发件人（from）",
	"tls":      "加密方式（tls）",
	"to":       "抄送地址（to，逗号分隔）",
	"url":      "Webhook地址（url）",
	"secret":   "签名密钥（secret）",
	"msgtype":  "消息格式（msgtype）",
	"keyword":  "自定义关键词（keyword）",
}

// ValidateChannel checks a channel's kind, name and config before it is saved
// or used. It returns nil or a *duban.Error of CodeInvalid whose Chinese
// message names every field at fault, separated by "；". Unknown config keys
// with a value are refused, so a misspelt key does not go unnoticed; empty
// ones are ignored.
func ValidateChannel(ch duban.Channel) error {
	var problems []string
	add := func(p string) { problems = append(problems, p) }
	if strings.TrimSpace(ch.Name) == "" {
		add("渠道名称（name）不能为空")
	}
	keys, ok := configKeys[ch.Kind]
	if !ok {
		add("渠道类型（kind）只能是 email、dingtalk、wecom 或 webhook")
		return duban.Errorf(duban.CodeInvalid, "%s", strings.Join(problems, "；"))
	}
	var unknown []string
	for k, v := range ch.Config {
		if v != "" && !slices.Contains(keys, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		add("不支持的配置项：" + strconv.Quote(k))
	}
	c := ch.Config
	switch ch.Kind {
	case duban.ChannelEmail:
		host := strings.TrimSpace(c["host"])
		switch {
		case host == "":
			add(configLabels["host"] + "不能为空")
		case net.ParseIP(host) == nil && strings.ContainsAny(host, " /:@[]"):
			add(configLabels["host"] + "只填主机名或IP地址，例如 smtp.example.gov.cn")
		}
		if p := c["port"]; p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				add(configLabels["port"] + "必须是1到65535之间的整数")
			}
		}
		switch c["tls"] {
		case "", "starttls", "tls", "none":
		default:
			add(configLabels["tls"] + "只能是 starttls、tls 或 none")
		}
		if c["from"] == "" {
			add(configLabels["from"] + "不能为空")
		} else if _, err := mail.ParseAddress(c["from"]); err != nil {
			add(configLabels["from"] + "格式不正确，例如 督查室 <duban@example.gov.cn>")
		}
		if c["password"] != "" && c["username"] == "" {
			add("填写了" + configLabels["password"] + "，但" + configLabels["username"] + "为空")
		}
	default:
		if p := urlProblem(c["url"]); p != "" {
			add(p)
		}
		switch c["msgtype"] {
		case "", "markdown", "text":
		default:
			add(configLabels["msgtype"] + "只能是 markdown 或 text")
		}
	}
	if len(problems) > 0 {
		return duban.Errorf(duban.CodeInvalid, "%s", strings.Join(problems, "；"))
	}
	return nil
}

// urlProblem says what is wrong with a webhook URL, or "" when nothing is.
func urlProblem(raw string) string {
	label := configLabels["url"]
	if strings.TrimSpace(raw) == "" {
		return label + "不能为空"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return label + "格式不正确"
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return label + "必须以 http:// 或 https:// 开头"
	}
	if u.Host == "" || u.Hostname() == "" {
		return label + "缺少主机名"
	}
	if u.User != nil {
		return label + "不能包含用户名或密码"
	}
	if u.Fragment != "" {
		return label + "不能包含 # 片段"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return label + "中的端口必须是1到65535之间的整数"
		}
	}
	return ""
}

// RedactConfig returns a copy of ch fit for API output: the password and the
// signing secret become Masked, and so does every query value of the URL (the
// access_token of a DingTalk robot, the key of a WeCom robot). Empty values
// stay empty, so the form shows which secrets are set. ch is not modified.
func RedactConfig(ch duban.Channel) duban.Channel {
	out := ch
	if ch.Config == nil {
		return out
	}
	out.Config = make(map[string]string, len(ch.Config))
	for k, v := range ch.Config {
		switch {
		case v == "":
			out.Config[k] = v
		case k == "password" || k == "secret":
			out.Config[k] = Masked
		case k == "url":
			out.Config[k] = redactURL(v)
		default:
			out.Config[k] = v
		}
	}
	return out
}

// KeepSecrets returns edited with its secrets taken from stored wherever the
// client sent back what RedactConfig showed it: a password or secret that is
// Masked, a URL equal to the redacted stored URL. Use it when saving a channel
// edited in a form filled from a redacted copy. edited is not modified.
func KeepSecrets(edited, stored duban.Channel) duban.Channel {
	out := edited
	if edited.Config == nil {
		return out
	}
	out.Config = make(map[string]string, len(edited.Config))
	for k, v := range edited.Config {
		old := stored.Config[k]
		switch {
		case (k == "password" || k == "secret") && v == Masked:
			v = old
		case k == "url" && old != "" && v == redactURL(old):
			v = old
		}
		out.Config[k] = v
	}
	return out
}

// redactURL masks every query value of raw. A URL that does not parse is
// masked whole.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Masked
	}
	if u.User != nil {
		u.User = url.User(Masked)
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			name, value, _ := strings.Cut(p, "=")
			if value != "" {
				parts[i] = name + "=" + Masked
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return u.String()
}

// hostOf returns the scheme and host of raw, all an error shows of a URL.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid url)"
	}
	return u.Scheme + "://" + u.Host
}

// secretsOf returns the values in ch that no error text may show: the
// password, the signing secret, the URL's query values, user info and path
// segments that look like tokens.
func secretsOf(ch duban.Channel) []string {
	var out []string
	add := func(s string) {
		// Very short values would mask ordinary words of an answer.
		if len(s) >= 4 {
			out = append(out, s)
		}
	}
	add(ch.Config["password"])
	add(ch.Config["secret"])
	if raw := ch.Config["url"]; raw != "" {
		if u, err := url.Parse(raw); err == nil {
			for _, vs := range u.Query() {
				for _, v := range vs {
					add(v)
				}
			}
			if u.User != nil {
				add(u.User.String())
			}
			for seg := range strings.SplitSeq(u.Path, "/") {
				if len(seg) >= 16 {
					add(seg)
				}
			}
		}
	}
	// Longest first, so a secret containing another is masked whole.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
