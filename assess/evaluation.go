package assess

import (
	"math"
	"strconv"
	"strings"

	"duban/ingest"
)

// Status is the verdict on one target.
type Status string

// The verdicts of an evaluation.
const (
	StatusMet        Status = "met"
	StatusMissed     Status = "missed"
	StatusBorderline Status = "borderline" // both answers are defensible
	StatusPending    Status = "pending"    // no outcome yet
	// StatusNotApplicable means there is nothing to compare: no target figure,
	// or text that the evaluator cannot decide.
	StatusNotApplicable Status = "not_applicable"
)

// Result is a verdict with a short reason an office worker can read.
type Result struct {
	Status Status `json:"status"`
	Reason string `json:"reason"`
}

// Evaluate judges an outcome against a target, both as ParseExpr reads them,
// for an indicator of the given polarity ("" means HigherIsBetter). The rules
// (docs/EVALUATE.md has them with examples):
//   - no target figure (——): pending if there is no outcome either, else
//     not applicable; no outcome (——): pending, also for 市计划;
//   - ≥ (以上), reach (a bare figure) and eq count inclusively in the good
//     direction; ＞ and ＜ are strict; ≤ and ＜ are caps whatever the polarity;
//   - an approximate target (左右, 约) is met by an outcome inside its band of
//     Settings.Tolerance on the bad side, and by any outcome on the good side;
//   - an approximate outcome counts by its central value, except that against a
//     strict bound it is borderline when the bound lies within its band;
//   - an outcome written as a bound ("5以内", "30以上") is met when the bound
//     settles it, missed when it rules the target out, borderline otherwise;
//   - ranks: rank M meets a target of rank N (第N, 前N) when M ≤ N;
//   - text outcomes are read by their words (未完成 → missed, 基本完成 →
//     borderline, 完成/达到/实现 → met); text on both sides that the evaluator
//     cannot decide, a 市计划 target against a figure, a qualitative target
//     against a figure, and 同步 without its reference are not applicable
//     (EvaluateSync takes the reference);
//   - an outcome written as 预计… is judged as given, with that caveat in the
//     reason.
//
// Evaluate never panics; the reason is Chinese unless Settings.Lang is LangEN.
func Evaluate(target, actual ingest.Expr, pol Polarity, s Settings) Result {
	return judge(target, actual, pol, s, forOutcome)
}

// EvaluateSync is Evaluate for a target "与经济发展同步" (keep pace with another
// indicator): reference is the other indicator's outcome for the same year,
// usually the growth of 地区生产总值. The outcome keeps pace when it is at least
// the reference's central value, less its band of Settings.Tolerance. For a
// target that is not sync, EvaluateSync is Evaluate.
func EvaluateSync(target, actual, reference ingest.Expr, pol Polarity, s Settings) Result {
	if target.Op != ingest.OpSync {
		return Evaluate(target, actual, pol, s)
	}
	switch {
	case kindOf(actual) == kindNone:
		return Result{StatusPending, pick(s, "尚无完成数据", "no outcome yet")}
	case kindOf(actual) != kindNumber:
		return judge(target, actual, pol, s, forOutcome)
	case kindOf(reference) != kindNumber:
		return Result{StatusPending, pick(s, "目标为"+cleanText(target.Text)+"，对照指标尚无数据",
			"the target is to keep pace with another indicator, which has no figure yet")}
	}
	ref := *reference.Value
	t := ingest.Expr{Op: ingest.OpApprox, Value: &ref}
	shown := pick(s, cleanText(target.Text)+"（对照值"+outcomeText(reference, false)+"）",
		"in step with its reference ("+outcomeText(reference, true)+")")
	return finish(compareNumbers(t, actual, HigherIsBetter, s, forOutcome, shown), actual, s, forOutcome)
}

// subject is what is being judged: an outcome or a projection.
type subject int

const (
	forOutcome subject = iota
	forProjection
)

func (sub subject) word(s Settings) string {
	if sub == forProjection {
		return pick(s, "预计全年", "the projected year-end value")
	}
	return pick(s, "完成情况", "outcome")
}

// exprKind sorts expressions by what can be compared.
type exprKind int

const (
	kindNone   exprKind = iota // ——, empty
	kindNumber                 // approx, ge, gt, le, lt, eq, reach with a value
	kindRank
	kindSync
	kindText // qualitative, external
)

func kindOf(e ingest.Expr) exprKind {
	switch e.Op {
	case ingest.OpUnknown, "":
		return kindNone
	case ingest.OpRank:
		if finite(e.Value) {
			return kindRank
		}
		return kindText
	case ingest.OpSync:
		return kindSync
	case ingest.OpApprox, ingest.OpGE, ingest.OpGT, ingest.OpLE, ingest.OpLT, ingest.OpEq, ingest.OpReach:
		if finite(e.Value) {
			return kindNumber
		}
	}
	return kindText
}

func finite(v *float64) bool { return v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0) }

func judge(target, actual ingest.Expr, pol Polarity, s Settings, sub subject) Result {
	tk, ak := kindOf(target), kindOf(actual)
	var r Result
	switch {
	case tk == kindNone && ak == kindNone:
		return Result{StatusPending, pick(s, "尚无目标值和完成数据", "no target figure and no outcome yet")}
	case tk == kindNone:
		return Result{StatusNotApplicable, pick(s, "未设定目标值，无法评价", "no target figure to compare with")}
	case ak == kindNone:
		if target.Op == ingest.OpExternal {
			return Result{StatusPending, pick(s, "目标按市计划下达，尚无完成数据", "target set by the city plan (市计划); no outcome yet")}
		}
		return Result{StatusPending, pick(s, "尚无完成数据", "no outcome yet")}
	case ak == kindText || ak == kindSync:
		r = judgeText(target, actual, s, sub)
	case tk == kindText && target.Op == ingest.OpExternal:
		r = Result{StatusNotApplicable, pick(s, "目标按市计划下达，本表没有可比的目标值", "target set by the city plan (市计划); no figure here to compare with")}
	case tk == kindText:
		r = Result{StatusNotApplicable, pick(s, "目标为文字表述（"+cleanText(target.Text)+"），无法与数值比较",
			"the target is qualitative ("+cleanText(target.Text)+") and cannot be compared with a figure")}
	case tk == kindSync:
		r = Result{StatusNotApplicable, pick(s, "目标为"+cleanText(target.Text)+"，缺少对照指标，无法评价",
			"the target is to keep pace with another indicator, which is not given")}
	case tk == kindRank && ak == kindRank:
		r = compareRanks(target, actual, s, sub)
	case tk == kindRank || ak == kindRank:
		r = Result{StatusNotApplicable, pick(s, "目标与完成情况一为名次、一为数值，无法比较",
			"one of target and outcome is a rank and the other a figure; they cannot be compared")}
	default:
		r = compareNumbers(target, actual, pol, s, sub, "")
	}
	return finish(r, actual, s, sub)
}

// finish adds the caveat of an estimated outcome to a verdict that rests on it.
func finish(r Result, actual ingest.Expr, s Settings, sub subject) Result {
	if actual.Estimated && sub == forOutcome && (r.Status == StatusMet || r.Status == StatusMissed || r.Status == StatusBorderline) {
		r.Reason += pick(s, "（预计数，待正式数据确认）", " (estimate, not final)")
	}
	return r
}

// Words that decide a text outcome, checked in this order.
var (
	missedWords  = []string{"未完成", "未达到", "未达标", "未达", "未实现", "没有完成", "没有达到", "不达标", "未能"}
	partialWords = []string{"基本完成", "基本达到", "基本实现", "接近"}
	metWords     = []string{"超额完成", "完成", "达到", "实现", "达标"}
)

func judgeText(target, actual ingest.Expr, s Settings, sub subject) Result {
	said := cleanText(actual.Text)
	word := sub.word(s)
	switch {
	case containsAny(said, missedWords):
		return Result{StatusMissed, pick(s, word+"为“"+said+"”，按文字判断为未完成", word+" says “"+said+"”: read as missed")}
	case containsAny(said, partialWords):
		return Result{StatusBorderline, pick(s, word+"为“"+said+"”，按文字难以判定", word+" says “"+said+"”: cannot tell")}
	case containsAny(said, metWords):
		return Result{StatusMet, pick(s, word+"为“"+said+"”，按文字判断为完成", word+" says “"+said+"”: read as met")}
	case kindOf(target) == kindText && said != "" && looseName(said) == looseName(cleanText(target.Text)):
		return Result{StatusMet, pick(s, word+"“"+said+"”与目标表述一致", word+" “"+said+"” matches the target as written")}
	}
	return Result{StatusNotApplicable, pick(s, "完成情况为文字表述（"+said+"），无法自动判断",
		"the outcome is text ("+said+") that cannot be judged automatically")}
}

func containsAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func compareRanks(target, actual ingest.Expr, s Settings, sub subject) Result {
	n, m := *target.Value, *actual.Value
	a, t := outcomeText(actual, s.en()), targetText(target, s.en())
	word := sub.word(s)
	if m <= n {
		return Result{StatusMet, pick(s, word+a+"，达到目标"+t, word+" "+a+" meets the target of "+t)}
	}
	return Result{StatusMissed, pick(s, word+a+"，未达到目标"+t, word+" "+a+" misses the target of "+t)}
}

// verdict names the case a numeric comparison ends in, for its reason.
type verdict int

const (
	vMet           verdict = iota
	vMetInBand             // approximate target, outcome short of it but inside the band
	vShort                 // on the bad side of the target
	vNotReached            // not beyond a strict bound, or ruled out by an outcome bound
	vOutsideBand           // approximate target, outcome beyond the band
	vLevelWithEdge         // approximate outcome level with a strict bound
	vUndecided             // an outcome bound that does not settle it
)

// compareNumbers judges a numeric outcome against a numeric target. shown, if
// not empty, is how the target is written in the reason.
func compareNumbers(target, actual ingest.Expr, pol Polarity, s Settings, sub subject, shown string) Result {
	t, a := *target.Value, *actual.Value
	tol := s.tolerance()
	upper, strict, approx, byPolarity := false, false, false, false
	switch target.Op {
	case ingest.OpGT:
		strict = true
	case ingest.OpLE:
		upper = true
	case ingest.OpLT:
		upper, strict = true, true
	case ingest.OpReach, ingest.OpEq:
		upper, byPolarity = pol == LowerIsBetter, true
	case ingest.OpApprox:
		upper, approx, byPolarity = pol == LowerIsBetter, true, true
	}
	band := 0.0
	if approx {
		band = tol * math.Abs(t)
	}
	// Work in the direction where larger is better: an upper bound is a lower
	// bound of the negated values, and an outcome's bound turns round with it.
	sign := 1.0
	if upper {
		sign = -1
	}
	th := sign*t - band
	x := sign * a
	aop := actual.Op
	if upper {
		aop = flipOp(aop)
	}
	pass := func(v float64) bool {
		if strict {
			return v > th
		}
		return v >= th
	}
	var v verdict
	switch aop {
	case ingest.OpGE, ingest.OpGT: // the outcome is at least x
		if x > th || (x == th && (!strict || aop == ingest.OpGT)) {
			v = vMet
		} else {
			v = vUndecided
		}
	case ingest.OpLE, ingest.OpLT: // the outcome is at most x
		if x < th || (x == th && (strict || aop == ingest.OpLT)) {
			v = vNotReached
		} else {
			v = vUndecided
		}
	default:
		switch {
		case strict && actual.Op == ingest.OpApprox && math.Abs(a-t) <= tol*math.Max(math.Abs(a), math.Abs(t)):
			v = vLevelWithEdge
		case pass(x) && approx && x < sign*t:
			v = vMetInBand
		case pass(x):
			v = vMet
		case approx:
			v = vOutsideBand
		case x < sign*t:
			v = vShort
		default:
			v = vNotReached
		}
	}
	return numberReason(v, target, actual, upper, byPolarity, s, sub, shown)
}

func flipOp(op ingest.Op) ingest.Op {
	switch op {
	case ingest.OpGE:
		return ingest.OpLE
	case ingest.OpGT:
		return ingest.OpLT
	case ingest.OpLE:
		return ingest.OpGE
	case ingest.OpLT:
		return ingest.OpGT
	}
	return op
}

func numberReason(v verdict, target, actual ingest.Expr, upper, byPolarity bool, s Settings, sub subject, shown string) Result {
	word := sub.word(s)
	edge := num(*target.Value)
	band := "±" + num(math.Round(s.tolerance()*1000)/10) + "%"
	if s.en() {
		return numberReasonEN(v, target, actual, upper, byPolarity, word, edge, band, shown)
	}
	a := outcomeText(actual, false)
	t := shown
	if t == "" {
		t = targetText(target, false)
	}
	bad := "低于"
	if upper {
		bad = "高于"
	}
	var r Result
	switch v {
	case vMet:
		r = Result{StatusMet, word + a + "，达到目标" + t}
	case vMetInBand:
		r = Result{StatusMet, word + a + "，略" + bad + edge + "，仍在目标" + t + "的范围内（" + band + "）"}
	case vShort:
		r = Result{StatusMissed, word + a + "，" + bad + "目标" + t}
	case vNotReached:
		r = Result{StatusMissed, word + a + "，未达到目标" + t}
	case vOutsideBand:
		r = Result{StatusMissed, word + a + "，" + bad + "目标" + t + "，超出“左右”的范围（" + band + "）"}
	case vLevelWithEdge:
		return Result{StatusBorderline, word + a + "，与目标" + t + "的界限大致持平，难以判定"}
	default:
		return Result{StatusBorderline, word + a + "，无法确定是否达到目标" + t}
	}
	if upper && byPolarity {
		r.Reason += "（该指标越低越好）"
	}
	return r
}

func numberReasonEN(v verdict, target, actual ingest.Expr, upper, byPolarity bool, word, edge, band, shown string) Result {
	a := outcomeText(actual, true)
	t := "the target " + shown
	if shown == "" {
		t = targetPhraseEN(target)
	}
	bad := "below"
	if upper {
		bad = "above"
	}
	var r Result
	switch v {
	case vMet:
		r = Result{StatusMet, word + " " + a + " meets " + t}
	case vMetInBand:
		r = Result{StatusMet, word + " " + a + " is slightly " + bad + " " + edge + " but within the band of " + t + " (" + band + ")"}
	case vShort:
		r = Result{StatusMissed, word + " " + a + " is " + bad + " " + t}
	case vNotReached:
		r = Result{StatusMissed, word + " " + a + " does not reach " + t}
	case vOutsideBand:
		r = Result{StatusMissed, word + " " + a + " is " + bad + " " + t + ", outside its band (" + band + ")"}
	case vLevelWithEdge:
		return Result{StatusBorderline, word + " " + a + " is about level with the bound of " + t + "; cannot tell"}
	default:
		return Result{StatusBorderline, word + " " + a + " does not tell whether " + t + " is met"}
	}
	if upper && byPolarity {
		r.Reason += " (lower is better)"
	}
	return r
}

// targetPhraseEN names a target in an English reason: "the target 0.8", "the
// target of at least 40".
func targetPhraseEN(e ingest.Expr) string {
	t := targetText(e, true)
	switch e.Op {
	case ingest.OpReach, ingest.OpEq:
		return "the target " + t
	}
	return "the target of " + t
}

// pick returns zh or en as the settings ask.
func pick(s Settings, zh, en string) string {
	if s.en() {
		return en
	}
	return zh
}

// num writes a value the shortest way that reads back as it: 6, 0.7, 0.0043.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// cleanText is a cell as the reason quotes it: valid UTF-8, without 预计 (the
// caveat says it) and without brackets around the whole.
func cleanText(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "预计", ""))
	for {
		r := []rune(s)
		if len(r) < 2 {
			return s
		}
		open, end := r[0], r[len(r)-1]
		if !((open == '（' && end == '）') || (open == '(' && end == ')')) {
			return s
		}
		s = strings.TrimSpace(string(r[1 : len(r)-1]))
	}
}

// outcomeText writes an outcome for a reason: "约0.7", "5以内", "保持全市第1";
// in English "about 0.7", "at most 5", "rank 1".
func outcomeText(e ingest.Expr, en bool) string {
	if kindOf(e) == kindNumber || kindOf(e) == kindRank {
		v := num(*e.Value)
		if en {
			return opText(e.Op, v)
		}
		switch e.Op {
		case ingest.OpApprox:
			return "约" + v
		case ingest.OpReach:
			return v
		}
		if c := cleanText(e.Text); c != "" {
			return c
		}
		return zhOpText(e.Op, v)
	}
	if c := cleanText(e.Text); c != "" || !en {
		return c
	}
	return string(e.Op)
}

// targetText writes a target for a reason: as written in Chinese ("≥40",
// "6左右"), by its operator in English ("at least 40", "about 6").
func targetText(e ingest.Expr, en bool) string {
	if en && (kindOf(e) == kindNumber || kindOf(e) == kindRank) {
		return opText(e.Op, num(*e.Value))
	}
	if c := cleanText(e.Text); c != "" {
		return c
	}
	if kindOf(e) == kindNumber || kindOf(e) == kindRank {
		return zhOpText(e.Op, num(*e.Value))
	}
	return string(e.Op)
}

func opText(op ingest.Op, v string) string {
	switch op {
	case ingest.OpApprox:
		return "about " + v
	case ingest.OpGE:
		return "at least " + v
	case ingest.OpGT:
		return "more than " + v
	case ingest.OpLE:
		return "at most " + v
	case ingest.OpLT:
		return "less than " + v
	case ingest.OpRank:
		return "rank " + v
	}
	return v
}

func zhOpText(op ingest.Op, v string) string {
	switch op {
	case ingest.OpApprox:
		return v + "左右"
	case ingest.OpGE:
		return v + "以上"
	case ingest.OpGT:
		return "超过" + v
	case ingest.OpLE:
		return v + "以内"
	case ingest.OpLT:
		return "低于" + v
	case ingest.OpRank:
		return "第" + v
	}
	return v
}
