package progress

import (
	"math"
	"slices"
	"strings"

	"duban"
	"duban/assess"
)

// target is a quantitative target of the task that figures can be compared
// with.
type target struct {
	t     *duban.Target
	value float64
	// cap is set for a target not to be exceeded: ≤ and ＜ whatever the
	// polarity, and a bare, approximate or exact figure of an indicator that is
	// better when lower (失业率5.5%左右).
	cap bool
	// strict is set for ＞ and ＜.
	strict bool
	// cumulative is set for a target whose figure accumulates over the year
	// and is compared with 序时进度: counts, cumulative amounts and levels
	// that accumulate. Growth rates, rates, shares and levels that are states
	// are compared with the target itself.
	cumulative bool
}

// targets returns the task's targets that figures can be compared with: those
// with a finite value and an operator of a figure (not sync, rank,
// qualitative, external or unknown).
func (d *deriver) targets() []target {
	var ts []target
	for i := range d.in.Task.Targets {
		g := &d.in.Task.Targets[i]
		if g.Value == nil || math.IsNaN(*g.Value) || math.IsInf(*g.Value, 0) {
			continue
		}
		t := target{t: g, value: *g.Value}
		switch g.Op {
		case "ge":
		case "gt":
			t.strict = true
		case "le":
			t.cap = true
		case "lt":
			t.cap, t.strict = true, true
		case "reach", "eq", "approx":
			t.cap = polarityOf(g.Subject, d.in.Polarity) == assess.LowerIsBetter
		default:
			continue
		}
		switch g.Measure {
		case "count", "cumulative":
			t.cumulative = true
		case "growth", "rate", "share":
		default: // level, other
			t.cumulative = accumulates(g)
		}
		if ts == nil {
			ts = make([]target, 0, len(d.in.Task.Targets))
		}
		ts = append(ts, t)
	}
	return ts
}

// Words of a level that does not accumulate over the year: its figure to date
// is comparable with the target itself.
var (
	stateUnits    = []string{"岁", "年", "分", "级", "倍", "星", "个百分点"}
	stateSubjects = []string{"浓度", "强度", "指数", "平均", "均值", "密度", "寿命", "年限", "占比", "比重", "比例", "系数", "排名", "率"}
)

// accumulates reports whether a level adds up over the year, like an amount
// of money, floor space or days (达到1500亿元, 优良天数300天), rather than
// being a state such as a percentage, a ratio or intensity in a unit with "/"
// (PM2.5浓度35微克/立方米), an age, a score or an index.
func accumulates(g *duban.Target) bool {
	if strings.ContainsAny(g.Unit, "%％‰/") || slices.Contains(stateUnits, g.Unit) {
		return false
	}
	for _, w := range stateSubjects {
		if strings.Contains(g.Subject, w) {
			return false
		}
	}
	return true
}

// met reports whether figure f meets the target.
func (t *target) met(f float64) bool {
	switch {
	case t.cap && t.strict:
		return f < t.value
	case t.cap:
		return f <= t.value
	case t.strict:
		return f > t.value
	}
	return f >= t.value
}

func (t *target) name() string {
	switch {
	case t.t.Subject != "":
		return t.t.Subject
	case t.t.Text != "":
		return t.t.Text
	}
	return "目标" + itoa(int(t.t.ID))
}

// goal writes the target as a phrase: 目标50个, 目标6%左右, 目标（不超过5.5%）;
// inside brackets already, 目标不超过5.5%.
func (t *target) goal(bracketed bool) string {
	v := figureText(t.value, t.t.Unit)
	var op string
	switch t.t.Op {
	case "ge":
		op = "不低于"
	case "gt":
		op = "超过"
	case "le":
		op = "不超过"
	case "lt":
		op = "低于"
	case "approx":
		return "目标" + v + "左右"
	default:
		return "目标" + v
	}
	if bracketed {
		return "目标" + op + v
	}
	return "目标（" + op + v + "）"
}

// goalEN writes the target as a phrase in English: the target of at most 5.5%.
func (t *target) goalEN() string {
	v := figureText(t.value, t.t.Unit)
	switch t.t.Op {
	case "ge":
		v = "at least " + v
	case "gt":
		v = "more than " + v
	case "le":
		v = "at most " + v
	case "lt":
		v = "less than " + v
	case "approx":
		v = "about " + v
	}
	return "the target of " + v
}

// judgeTarget compares the latest figure f of a target, from report r, with
// the target: a cumulative figure with the target times 序时进度, any other
// with the target itself.
func (d *deriver) judgeTarget(t *target, f float64, r *report) Rule {
	goal, goalEN := t.goal(false), t.goalEN()
	e := d.expected(r.asOf)
	red, yellow := d.gaps()
	light := duban.LightGreen
	verb := "累计"
	// The rule reads name, day, figure, then mid (the share of the target)
	// and tail (the verdict).
	var mid, midEN, tail, tailEN string
	switch {
	case t.cumulative && !t.cap && t.value <= 0:
		if t.met(f) {
			tail, tailEN = "，达到"+goal, ", meeting "+goalEN
		} else {
			light, tail, tailEN = duban.LightYellow, "，未达到"+goal, ", short of "+goalEN
		}
	case t.cumulative && !t.cap:
		p := f / t.value * 100
		mid, midEN = "，为"+goal+"的"+pct(p), ", "+pct(p)+" of "+goalEN
		switch light = d.gapLight(e - p); {
		case t.met(f):
			light, tail, tailEN = duban.LightGreen, "，已达到目标", ", target reached"
		case light == duban.LightRed:
			tail, tailEN = "，低于序时进度"+pct(e)+"超过"+red+"个百分点", ", more than "+red+" points behind time-proportional progress of "+pct(e)
		case light == duban.LightYellow:
			tail, tailEN = "，低于序时进度"+pct(e)+"超过"+yellow+"个百分点", ", more than "+yellow+" points behind time-proportional progress of "+pct(e)
		case p >= e:
			tail, tailEN = "，达到序时进度"+pct(e), ", on time-proportional progress of "+pct(e)
		default:
			tail, tailEN = "，略低于序时进度"+pct(e)+"，差距在"+yellow+"个百分点以内", ", within "+yellow+" points of time-proportional progress of "+pct(e)
		}
	case t.cumulative && !t.met(f):
		light, tail, tailEN = duban.LightRed, "，已超出全年控制"+goal, ", already beyond "+goalEN+" for the year"
	case t.cumulative && t.value <= 0:
		tail, tailEN = "，符合控制"+goal, ", within "+goalEN
	case t.cumulative:
		p := f / t.value * 100
		mid, midEN = "，占全年控制"+goal+"的"+pct(p), ", "+pct(p)+" of the year's limit, "+goalEN
		switch light = d.gapLight(p - e); light {
		case duban.LightRed:
			tail, tailEN = "，高于序时进度"+pct(e)+"超过"+red+"个百分点", ", more than "+red+" points ahead of time-proportional progress of "+pct(e)
		case duban.LightYellow:
			tail, tailEN = "，高于序时进度"+pct(e)+"超过"+yellow+"个百分点", ", more than "+yellow+" points ahead of time-proportional progress of "+pct(e)
		default:
			tail, tailEN = "，在序时控制范围内", ", within time-proportional limits"
		}
	default:
		// A rate, a share or a growth rate to date is comparable with the
		// year's target itself: a miss is yellow, a wide one red.
		verb = "为"
		switch {
		case t.met(f) && t.cap:
			tail, tailEN = "，在控制"+goal+"以内", ", within "+goalEN
		case t.met(f):
			tail, tailEN = "，达到"+goal, ", meeting "+goalEN
		default:
			gap := math.Inf(1)
			if t.value > 0 {
				gap = math.Abs(f-t.value) / t.value * 100
			}
			word, wordEN := "，低于", ", short of "
			if t.cap {
				word, wordEN = "，高于", ", above "
			}
			light, tail, tailEN = duban.LightYellow, word+goal, wordEN+goalEN
			if gap > d.s.RedGap {
				light, tail, tailEN = duban.LightRed, word+goal+"，相差超过目标值的"+red+"%", wordEN+goalEN+" by more than "+red+"% of it"
			}
		}
	}
	name, fig := t.name(), figureText(f, t.t.Unit)
	return Rule{Kind: RuleTarget, Light: light, CycleID: r.r.CycleID, TargetID: t.t.ID,
		Text:   name + "截至" + zhDay(r.asOf, d.year) + verb + fig + mid + tail,
		TextEN: name + ": " + fig + " by " + enDay(r.asOf, d.year) + midEN + tailEN}
}
