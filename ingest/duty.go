package ingest

import (
	"strings"
	"unicode/utf8"
)

// duty is who answers for a task and by when, as an item of a decomposition
// states it: in a parenthesis at the item's end ("（牵头单位：X；配合单位：Y）",
// "（X牵头，Y、Z按职责分工负责）", "（X负责）"), or on labelled lines under it
// ("牵头单位：X", "责任领导：张三", "完成时限：…").
type duty struct {
	leaders, lead, others []string
	deadline              string
	// labelled is set when a label named the lead (牵头单位, 主办单位); unlabelled
	// 责任单位 then count as cooperating units.
	leadLabelled bool
	// plain holds the units of 责任单位 labels and of "X负责" clauses: the lead
	// when nothing names a lead, cooperating units otherwise.
	plain []string
}

func (d *duty) empty() bool {
	return len(d.leaders) == 0 && len(d.lead) == 0 && len(d.others) == 0 && len(d.plain) == 0 && d.deadline == ""
}

// merge adds what e states to d.
func (d *duty) merge(e duty) {
	d.leaders = append(d.leaders, e.leaders...)
	d.lead = append(d.lead, e.lead...)
	d.others = append(d.others, e.others...)
	d.plain = append(d.plain, e.plain...)
	d.leadLabelled = d.leadLabelled || e.leadLabelled
	if e.deadline != "" {
		d.deadline = e.deadline
	}
}

// units returns the lead units and the other units: the units of a 责任单位
// label or of "X负责" lead when nothing else leads.
func (d *duty) units() (lead, others []string) {
	lead = append([]string{}, d.lead...)
	others = append([]string{}, d.others...)
	if len(lead) == 0 {
		lead = append(lead, d.plain...)
	} else {
		others = append(append([]string{}, d.plain...), others...)
	}
	return dedupeNames(lead), dedupeNames(others)
}

// dutyRole is what a label or a verb makes of the names it goes with.
type dutyRole int

const (
	roleNone dutyRole = iota
	roleLead
	rolePlain // 责任单位, 负责: the lead unless another unit leads
	roleOther
	roleLeader
	roleDeadline
)

// dutyLabels are the labels of an item's responsibility, longest first where one
// ends another ("牵头市领导" before "领导").
var dutyLabels = []struct {
	word string
	role dutyRole
}{
	{"牵头单位", roleLead}, {"牵头部门", roleLead}, {"主办单位", roleLead}, {"主责单位", roleLead},
	{"主责部门", roleLead}, {"牵头责任单位", roleLead}, {"主要责任单位", roleLead}, {"牵头责任部门", roleLead},
	{"牵头负责单位", roleLead}, {"责任主体", rolePlain}, {"牵头", roleLead},
	{"责任单位", rolePlain}, {"责任部门", rolePlain}, {"承办单位", rolePlain}, {"落实单位", rolePlain},
	{"配合单位", roleOther}, {"配合部门", roleOther}, {"协办单位", roleOther}, {"参与单位", roleOther},
	{"协同单位", roleOther}, {"协助单位", roleOther}, {"协作单位", roleOther}, {"协同责任单位", roleOther},
	{"配合责任单位", roleOther}, {"协同配合单位", roleOther}, {"参与部门", roleOther}, {"配合", roleOther},
	{"牵头市领导", roleLeader}, {"牵头区领导", roleLeader}, {"牵头县领导", roleLeader}, {"责任区领导", roleLeader},
	{"责任市领导", roleLeader}, {"责任县领导", roleLeader}, {"责任领导", roleLeader}, {"牵头领导", roleLeader},
	{"分管领导", roleLeader}, {"联系领导", roleLeader}, {"包抓领导", roleLeader}, {"牵头负责领导", roleLeader},
	{"责任人", roleLeader}, {"领导", roleLeader},
	{"完成时限", roleDeadline}, {"完成时间", roleDeadline}, {"时间要求", roleDeadline}, {"时间节点", roleDeadline},
	{"办结时限", roleDeadline}, {"时限要求", roleDeadline}, {"时限", roleDeadline},
}

// dutyLabelStarts holds the first character of every label of duty.
var dutyLabelStarts = func() map[rune]bool {
	m := map[rune]bool{}
	for _, l := range dutyLabels {
		c, _ := utf8.DecodeRuneInString(l.word)
		m[c] = true
	}
	return m
}()

// dutyVerbs end a clause "names + verb" inside a responsibility parenthesis.
// Longest first: "按职责分工负责" before "负责".
var dutyVerbs = []struct {
	word string
	role dutyRole
}{
	{"牵头负责", roleLead}, {"牵头落实", roleLead}, {"牵头推进", roleLead}, {"牵头实施", roleLead},
	{"牵头抓总", roleLead}, {"牵头", roleLead},
	{"按职责分工负责", rolePlain}, {"按照职责分工负责", rolePlain}, {"按职能分工负责", rolePlain},
	{"按职责分工落实", roleOther}, {"按职责负责", rolePlain}, {"分工负责", rolePlain}, {"共同负责", rolePlain},
	{"具体负责", rolePlain}, {"负总责", rolePlain}, {"负责", rolePlain},
	{"结合实际落实", roleOther}, {"结合实际抓好落实", roleOther}, {"抓好落实", roleOther}, {"具体落实", roleOther},
	{"组织实施", roleOther}, {"按职责落实", roleOther}, {"共同推进", roleOther}, {"参与", roleOther},
	{"配合", roleOther}, {"协助", roleOther}, {"协同", roleOther}, {"落实", roleOther},
}

// parseDuty reads the inside of a responsibility parenthesis, or one labelled
// line, as clauses separated by ；; ，, (outside nested brackets). ok is false
// when a clause is neither a label nor names followed by a verb of duty: the
// parenthesis is then a remark ("（含驻区单位）"), not a responsibility.
func parseDuty(s string) (d duty, ok bool) {
	s = strings.TrimRight(trimSpace(s), "。.；;，,")
	if s == "" {
		return d, false
	}
	// A labelled clause runs to the next label, so the units after
	// "配合单位：" may be separated by commas: split on ；; first, then on
	// commas only where no label is open.
	for part := range splitTop(s, "；;") {
		part = trimSpace(part)
		if part == "" {
			continue
		}
		if role, rest, found := cutLabel(part); found {
			for _, seg := range splitLabelled(rest) {
				if !d.add(seg.role(role), seg.text) {
					return d, false
				}
			}
			continue
		}
		for clause := range splitTop(part, "，,") {
			clause = trimSpace(clause)
			if clause == "" {
				continue
			}
			if role, rest, found := cutLabel(clause); found {
				if !d.add(role, rest) {
					return d, false
				}
				continue
			}
			role, names := cutVerb(clause)
			if role == roleNone {
				return d, false
			}
			// "X会同Y负责": X leads and Y works with it.
			if x, y, found := strings.Cut(names, "会同"); found && (role == roleLead || role == rolePlain) {
				if !d.add(role, x) || !d.add(roleOther, y) {
					return d, false
				}
				continue
			}
			if !d.add(role, names) {
				return d, false
			}
		}
	}
	return d, !d.empty()
}

// labelled is a piece of a labelled clause: "配合单位：X，责任领导：Y" gives
// two, the second with its own label.
type labelled struct {
	label dutyRole // roleNone: the clause's own label
	text  string
}

func (l labelled) role(first dutyRole) dutyRole {
	if l.label != roleNone {
		return l.label
	}
	return first
}

// splitLabelled splits what follows a label where another label starts after a
// comma or a run of spaces: "X、Y，完成时限：2024年底".
func splitLabelled(s string) []labelled {
	var out []labelled
	cur := labelled{}
	var b strings.Builder
	for part := range splitTop(s, "，,") {
		if role, rest, found := cutLabel(trimSpace(part)); found {
			cur.text = b.String()
			out = append(out, cur)
			cur, b = labelled{label: role}, strings.Builder{}
			b.WriteString(rest)
			continue
		}
		if b.Len() > 0 {
			b.WriteString("，")
		}
		b.WriteString(part)
	}
	cur.text = b.String()
	return append(out, cur)
}

// add records the names of one clause under role. It refuses names that are
// not names: a clause of a sentence, not of a responsibility.
func (d *duty) add(role dutyRole, text string) bool {
	text = trimSpace(text)
	switch role {
	case roleDeadline:
		if text == "" {
			return false
		}
		d.deadline = removeSpaces(text)
		return true
	case roleLeader:
		names := splitNames(text)
		for _, n := range names {
			if runeLen(n) > 12 {
				return false
			}
		}
		d.leaders = append(d.leaders, names...)
		return len(names) > 0
	}
	units := splitDutyUnits(text)
	if len(units) == 0 {
		return false
	}
	for _, u := range units {
		if !unitLike(u) {
			return false
		}
	}
	switch role {
	case roleLead:
		d.lead = append(d.lead, units...)
		d.leadLabelled = true
	case rolePlain:
		d.plain = append(d.plain, units...)
	case roleOther:
		d.others = append(d.others, units...)
	default:
		return false
	}
	return true
}

// cutLabel splits "牵头单位：X" into its role and X. The colon may be full or
// half width, or missing when the label is followed by spaces.
func cutLabel(s string) (dutyRole, string, bool) {
	if c, _ := utf8.DecodeRuneInString(s); !dutyLabelStarts[c] {
		return roleNone, "", false
	}
	for _, l := range dutyLabels {
		rest, ok := strings.CutPrefix(s, l.word)
		if !ok {
			continue
		}
		r2 := strings.TrimLeft(rest, " \t\u3000")
		switch {
		case strings.HasPrefix(r2, "："):
			return l.role, r2[len("："):], true
		case strings.HasPrefix(r2, ":"):
			return l.role, r2[1:], true
		case len(r2) < len(rest) && r2 != "" && l.role != roleLead && l.role != roleOther:
			return l.role, r2, true // "责任单位  区发改委"
		}
	}
	return roleNone, "", false
}

// cutVerb splits "X、Y按职责分工负责" into the verb's role and the names. The
// verb may sit before the names as well: "牵头：X" is a label, "由X牵头" a verb.
func cutVerb(s string) (dutyRole, string) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "。"), "等")
	for _, v := range dutyVerbs {
		if names, ok := strings.CutSuffix(s, v.word); ok {
			return v.role, strings.TrimPrefix(trimSpace(names), "由")
		}
	}
	return roleNone, ""
}

// splitDutyUnits splits a run of unit names on 、，,/ and on 和, 及, 与 where
// both sides are whole unit names. Brackets are kept whole: 各县（市、区）.
func splitDutyUnits(s string) []string {
	var out []string
	for part := range splitTop(s, "、，,/／") {
		for _, p := range splitJoined(part) {
			if p = removeSpaces(strings.Trim(p, " \t")); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// splitJoined splits "市发展改革委和市财政局" at a 和, 及 or 与 between two
// whole names, and leaves "市住房和城乡建设局" whole: the part before the joiner
// must end as a unit ends, and the part after must start as one starts.
func splitJoined(s string) []string {
	for _, j := range []string{"和", "及", "与"} {
		for from := 0; ; {
			k := strings.Index(s[from:], j)
			if k < 0 {
				break
			}
			k += from
			left, right := s[:k], s[k+len(j):]
			if unitEnd(left) && unitStart(right) {
				return append(splitJoined(left), splitJoined(right)...)
			}
			from = k + len(j)
		}
	}
	return []string{s}
}

// unitEnd reports whether s ends as the name of a unit or group does.
func unitEnd(s string) bool {
	s = strings.TrimSuffix(s, "等")
	for suf := range unitSuffixes {
		if strings.HasSuffix(s, suf) && runeLen(s) > runeLen(suf) {
			return true
		}
	}
	for _, suf := range []string{"政府", "公司", "集团", "银行", "法院", "检察院", "部门", "单位", "街道", "镇", "乡", "园区", "开发区", "新区", "医院", "学校", "大学", "协会", "联合会", "总工会", "团委", "妇联", "科协", "残联", "工商联", "海关", "税务局", "分行", "支行", "中心", "集团"} {
		if strings.HasSuffix(s, suf) && runeLen(s) > runeLen(suf) {
			return true
		}
	}
	return false
}

// unitStart reports whether s starts as a unit's name does: with the level of
// government (市, 区, 县, 省, 国家) or a collective (各).
func unitStart(s string) bool {
	for _, p := range []string{"省", "市", "区", "县", "州", "盟", "旗", "镇", "乡", "国家", "中央", "各", "有关", "相关", "团", "人行", "人民银行"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// unitLike reports whether s can be a unit's or a group's name: two to forty
// characters, without sentence punctuation or figures.
func unitLike(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 2 && n <= 40 && !strings.ContainsAny(s, "。；;：:！？0123456789")
}

// dedupeNames drops repeated names, keeping the first of each.
func dedupeNames(names []string) []string {
	out := names[:0:0]
	for _, n := range names {
		dup := false
		for _, o := range out {
			if o == n {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, n)
		}
	}
	return out
}

// splitTop yields the parts of s separated by any rune of seps that is not
// inside brackets ("各县（市、区）" stays whole).
func splitTop(s, seps string) func(func(string) bool) {
	return func(yield func(string) bool) {
		depth, start := 0, 0
		for i, c := range s {
			switch {
			case c == '（' || c == '(' || c == '【' || c == '[' || c == '《' || c == '“':
				depth++
			case (c == '）' || c == ')' || c == '】' || c == ']' || c == '》' || c == '”') && depth > 0:
				depth--
			case depth == 0 && strings.ContainsRune(seps, c):
				if !yield(s[start:i]) {
					return
				}
				start = i + utf8.RuneLen(c)
			}
		}
		yield(s[start:])
	}
}

// trailingParen returns the text inside the balanced parenthesis that ends s
// (after which only 。；; and spaces may follow), and s without it. ok is false
// when s does not end with one.
func trailingParen(s string) (inner, before string, ok bool) {
	t := strings.TrimRight(s, " \t\u3000。；;.")
	if !strings.HasSuffix(t, "）") && !strings.HasSuffix(t, ")") {
		return "", s, false
	}
	depth := 0
	for i := len(t); i > 0; {
		c, size := utf8.DecodeLastRuneInString(t[:i])
		i -= size
		switch c {
		case '）', ')':
			depth++
		case '（', '(':
			depth--
			if depth == 0 {
				return t[i+size : len(t)-len(closer(t))], strings.TrimRight(t[:i], " \t\u3000"), true
			}
		}
	}
	return "", s, false
}

func closer(t string) string {
	if strings.HasSuffix(t, "）") {
		return "）"
	}
	return ")"
}
