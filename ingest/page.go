package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The furniture of a government web page around the document it publishes:
// the information-disclosure box (索引号, 发布机构, 主题分类, 成文日期, 文号…),
// the page's own lines (打印, 纠错, 分享到, 字号, 扫一扫…), breadcrumbs, and the
// title repeated above the text. None of it is content; the box holds the
// document's metadata.

// pageLabels are the labels of a disclosure box, spaces removed. Longer first
// where one ends another.
var pageLabels = []string{
	"索引号", "信息索引号", "统一编号", "发布机构", "发文机关", "发文机构", "发布单位", "公开主体", "主题分类", "体裁分类",
	"组配分类", "服务对象分类", "服务对象", "主题词", "关键词", "成文日期", "发文日期", "发布日期", "发布时间",
	"公开日期", "生效日期", "废止日期", "实施日期", "有效性", "效力状态", "文号", "发文字号", "发文文号", "标题", "名称",
	"信息来源", "来源", "作者", "编辑", "责任编辑", "点击量", "点击数", "浏览次数", "阅读次数", "访问量", "字号",
	"公开方式", "公开范围", "公开形式", "公开时限", "信息分类", "所属分类", "分类", "时效", "登记号", "文种", "信息名称",
	"时间", "日期", "文件名称", "公开目录", "公开责任部门", "责任部门", "内容概述", "摘要", "所属机构", "发文单位",
}

// pageNoise are lines of a page that say nothing, spaces removed: its buttons,
// links and accessibility switches.
var pageNoise = []string{
	"打印", "关闭", "纠错", "分享", "分享到", "收藏", "返回顶部", "返回首页", "返回", "打印本页", "关闭窗口",
	"打印整页", "打印内容", "扫一扫在手机打开当前页", "扫一扫在手机上查看当前页面", "无障碍浏览", "长者模式",
	"关怀版", "无障碍阅读", "政府信息公开", "上一篇", "下一篇", "相关链接", "相关文件", "相关解读",
	"【打印】", "【关闭】", "【纠错】", "【收藏】", "[打印]", "[关闭]", "字体", "大", "中", "小", "默认",
	"A+", "A-", "微信", "微博", "QQ空间", "视力保护色", "原文链接", "今天是", "热门搜索", "放大字体", "缩小字体",
	"已收藏", "点击收藏", "点击取消收藏", "取消收藏", "全屏", "下载", "繁体", "简体", "English", "网站地图", "登录", "注册",
	"加大", "还原", "减小", "】", "【", "文章正文", "正文", "超大", "信息公开", "政务公开",
}

var (
	pageDateTimeRE = regexp.MustCompile(`^(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\d{1,2}:\d{2}(?::\d{2})?)?`)
	indexNumberRE  = regexp.MustCompile(`^[0-9A-Z]{6,}[-/][0-9A-Z\-/]+$`)
	markdownRuleRE = regexp.MustCompile(`^[\s|:\-]+$`)
	dotDateRE      = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?:\d{1,2}:\d{2})?$`)
	numericDateRE  = regexp.MustCompile(`((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})`)
)

// pageMeta is what a page's disclosure box says of the document.
type pageMeta struct {
	title, issuer, docNumber, date string
}

// furniture reports whether a paragraph is page furniture, and fills m with
// what a disclosure box line says.
func furniture(text string, m *pageMeta) bool {
	t := removeSpaces(text)
	if t == "" {
		return false
	}
	if strings.Contains(t, "|") {
		if markdownRuleRE.MatchString(t) {
			return true
		}
		t = strings.Trim(t, "|")
	}
	plain := strings.TrimRight(strings.ReplaceAll(t, "|", ""), "：:")
	if plain == "" {
		return false // a lone colon or bar
	}
	for _, n := range pageNoise {
		if plain == n {
			return true
		}
	}
	if onlyNoise(text) {
		return true
	}
	if c := plain[0]; c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' {
		if indexNumberRE.MatchString(plain) {
			return true
		}
	} else if breadcrumb(plain) {
		return true
	}
	if strings.HasPrefix(plain, "扫一扫") || strings.HasPrefix(plain, "分享到") {
		return true
	}
	if (strings.HasPrefix(plain, "字体") || strings.HasPrefix(plain, "【字") || strings.HasPrefix(plain, "字号") ||
		strings.HasPrefix(plain, "[字")) && runeLen(plain) <= 24 {
		return true // "字体：【默认超大|", "【字号：大中小】"
	}
	if strings.Count(plain, ">") >= 2 && runeLen(plain) <= 80 || strings.HasPrefix(plain, ">") {
		return true // a breadcrumb: "首页 > 政务公开 > 规划计划"
	}
	if isDigitByte(plain[0]) && datedLine(plain, text, m) {
		return true
	}
	fields, ok := labelledFields(t)
	if !ok {
		return false
	}
	for _, f := range fields {
		v := strings.Trim(f.value, "|")
		switch f.label {
		case "标题", "名称", "信息名称", "文件名称":
			if m.title == "" {
				m.title = v
			}
		case "发布机构", "发文机关", "发文机构", "发布单位", "公开主体", "发文单位":
			if m.issuer == "" && v != "" {
				m.issuer = v
			}
		case "文号", "发文字号", "发文文号":
			if m.docNumber == "" {
				m.docNumber = findDocNumber(v)
			}
		case "成文日期", "发文日期":
			if m.date == "" {
				m.date = pageDate(v)
			}
		}
	}
	return true
}

// onlyNoise reports whether a line is made of several noise words set apart
// by spaces: "打印整页 打印内容 分享", "【打印】【关闭】".
func onlyNoise(text string) bool {
	if len(text) > 120 {
		return false // noise words are short, and so are their lines
	}
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return isSpace(r) || r == '|' || r == '【' || r == '】' || r == '[' || r == ']' || r == '，' || r == ','
	})
	if len(fields) < 2 {
		return false
	}
	for _, f := range fields {
		found := false
		for _, n := range pageNoise {
			if f == n {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// field is one label and its value in a disclosure box line.
type field struct{ label, value string }

// labelledFields splits a line of a disclosure box, spaces removed, into
// labels and values: "索引号MB1534522/2023-05475发文日期2023-01-03", or with
// its cells kept by "|": "文号|江政办〔2022〕1号|发文日期|2022-01-30". ok is
// false when the line does not start with a label.
func labelledFields(t string) ([]field, bool) {
	if c, _ := utf8.DecodeRuneInString(t); !labelStarts[c] {
		return nil, false
	}
	var out []field
	if strings.Contains(t, "|") {
		for cell := range strings.SplitSeq(t, "|") {
			cell = strings.TrimRight(cell, "：:")
			if l := labelAt(cell); l != "" && (len(l) == len(cell) || len(out) == 0) {
				out = append(out, field{label: l, value: strings.TrimLeft(cell[len(l):], "：:")})
				continue
			}
			if len(out) == 0 {
				return nil, false
			}
			out[len(out)-1].value += cell
		}
		return out, len(out) > 0
	}
	firstColon := false
	for i := 0; i < len(t); {
		label := labelAt(t[i:])
		if label == "" {
			if len(out) == 0 {
				return nil, false
			}
			_, size := utf8.DecodeRuneInString(t[i:])
			out[len(out)-1].value += t[i : i+size]
			i += size
			continue
		}
		i += len(label)
		colon := len(t[i:]) - len(strings.TrimLeft(t[i:], "：:"))
		if len(out) == 0 {
			firstColon = colon > 0
		}
		out = append(out, field{label: label})
		i += colon
	}
	if len(out) == 1 && !firstColon && weakLabel(out[0].label) {
		return nil, false // "来源广泛…": a word opening a sentence, not a label
	}
	for _, f := range out {
		if runeLen(f.value) > 80 {
			return nil, false // a box's values are short
		}
	}
	return out, len(out) > 0
}

// pageDate reads "2023-01-03", "2023年1月3日" or "2023/01/03 10:00" as an ISO date.
func pageDate(v string) string {
	if d := isoDate(v); d != "" {
		return d
	}
	m := numericDateRE.FindStringSubmatch(v)
	if m == nil {
		return ""
	}
	return isoDate(m[1] + "年" + m[2] + "月" + m[3] + "日")
}

// masthead reports whether a line is a document's masthead, "XX人民政府办公室
// 文件", and returns the body that issues it.
func masthead(t string) (string, bool) {
	t = removeSpaces(t)
	body, ok := strings.CutSuffix(t, "文件")
	if !ok || runeLen(body) < 3 || runeLen(body) > 30 {
		return "", false
	}
	if !issuerRE.MatchString(body) && !strings.HasSuffix(body, "政府") {
		return "", false
	}
	return body, true
}

// labelAt returns the page label that opens s, or "".
func labelAt(s string) string {
	for _, l := range pageLabels {
		if strings.HasPrefix(s, l) {
			return l
		}
	}
	return ""
}

// maxFurnitureBytes bounds the paragraphs looked at as furniture: a disclosure
// box's line is short, and the long paragraphs of the text are spared the test.
const maxFurnitureBytes = 400

// weakLabel reports whether a label is also a common word that may open a
// sentence, so that alone and without a colon it says nothing.
func weakLabel(l string) bool {
	switch l {
	case "索引号", "信息索引号", "发布机构", "发文机关", "发文机构", "主题分类", "成文日期", "发文日期", "发布日期",
		"发布时间", "文号", "发文字号", "有效性", "效力状态", "统一编号", "体裁分类", "组配分类":
		return false
	}
	return true
}

// breadcrumb reports whether a line is a page's trail: "当前位置：首页 > …".
func breadcrumb(s string) bool {
	for _, w := range []string{"当前位置", "所在位置", "您的位置", "您现在的位置", "位置"} {
		if rest, ok := strings.CutPrefix(s, w); ok && (strings.HasPrefix(rest, "：") || strings.HasPrefix(rest, ":")) {
			return true
		}
	}
	return false
}

// labelStarts holds the first character of every page label, so that a line
// that cannot start a disclosure box is passed over at once.
var labelStarts = func() map[rune]bool {
	m := map[rune]bool{}
	for _, l := range pageLabels {
		c, _ := utf8.DecodeRuneInString(l)
		m[c] = true
	}
	return m
}()

// datedLine reports whether a line that starts with a digit is a page's date:
// a news dateline ("13.03.2015 07:51", which dates the document), or the date
// and time the page was published, perhaps with its publisher ("2023-01-05
// 10:00 区人民政府办公室").
func datedLine(plain, text string, m *pageMeta) bool {
	if d := dotDateRE.FindStringSubmatch(plain); d != nil {
		if m.date == "" {
			m.date = isoDate(d[3] + "年" + d[2] + "月" + d[1] + "日")
		}
		return true
	}
	loc := pageDateTimeRE.FindStringIndex(plain)
	if loc == nil {
		return false
	}
	rest := plain[loc[1]:]
	if rest == "" || issuerRE.MatchString(rest) || strings.HasPrefix(rest, "来源") || strings.HasPrefix(rest, "发布") {
		return strings.Contains(plain, ":") || strings.Contains(text, "-")
	}
	return false
}
