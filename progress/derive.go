package progress

import (
	"math"
	"time"

	"duban"
	"duban/assess"
	"duban/calendar"
)

// The defaults of Settings.
const (
	DefaultDueSoonDays = 3
	DefaultYellowGap   = 10.0
	DefaultRedGap      = 20.0
)

// Settings are what an office may set for the lights. A zero field takes its
// default.
type Settings struct {
	// DueSoonDays is how many calendar days before a due date a report not
	// yet submitted turns the light yellow (DefaultDueSoonDays; 0 means the
	// default, a negative value never).
	DueSoonDays int `json:"due_soon_days"`
	// YellowGap and RedGap are how many percentage points a task may lag
	// behind 序时进度 before its light turns yellow and red
	// (DefaultYellowGap and DefaultRedGap). A RedGap below YellowGap is
	// raised to it.
	YellowGap float64 `json:"yellow_gap"`
	RedGap    float64 `json:"red_gap"`
}

func (s Settings) withDefaults() Settings {
	if s.DueSoonDays == 0 {
		s.DueSoonDays = DefaultDueSoonDays
	}
	if !(s.YellowGap > 0) || math.IsInf(s.YellowGap, 0) {
		s.YellowGap = DefaultYellowGap
	}
	if !(s.RedGap > 0) || math.IsInf(s.RedGap, 0) {
		s.RedGap = DefaultRedGap
	}
	if s.RedGap < s.YellowGap {
		s.RedGap = s.YellowGap
	}
	return s
}

// Input is what Derive judges a task by.
type Input struct {
	// Today is the day of the judgement, in the organisation's time zone.
	Today calendar.Date
	// Task is the task with its Deadline (完成时限 as written), Year and
	// Targets.
	Task duban.Task
	// ClosedAt is when the task was closed (销号), nil while it is open.
	ClosedAt *time.Time
	// Extensions are the task's extension requests; the approved one decided
	// last moves the deadline. Others are ignored.
	Extensions []duban.Extension
	// Cycles are the organisation's reporting cycles of the year, in any
	// order; a report belongs to the cycle whose ID is its CycleID.
	Cycles []duban.Cycle
	// Reports are the task's reports, one per cycle, in any order.
	Reports []duban.Report
	// Polarity overrides the presets of assess.PolarityOf by indicator name,
	// matched against a target's Subject.
	Polarity map[string]assess.Polarity
	Settings Settings
	// Location is the organisation's time zone, in which SubmittedAt,
	// ClosedAt and DecidedAt are read as days; nil reads them where they are.
	Location *time.Location
}

// Result is where a task stands.
type Result struct {
	Status duban.TaskStatus `json:"status"`
	Light  duban.Light      `json:"light"`
	// Deadline is the deadline in force: an approved extension's, else the
	// 完成时限 as ParseDeadline reads it, else the year end.
	Deadline calendar.Date `json:"deadline"`
	// AsOf is the day the progress is judged at: the day the latest report's
	// figures stand at (the end of its cycle's period, or its submission if
	// earlier), or Today when nothing has been reported.
	AsOf calendar.Date `json:"as_of"`
	// Expected is 序时进度 at AsOf: the share, in percent, of the days from 1
	// January of the task's year to its deadline that have gone by.
	Expected float64 `json:"expected"`
	// Actual is the progress reported, in percent: the latest submitted or
	// approved report's Percent, else the mean share of their targets reached
	// by its figures (targets to be reached, each counted up to 100); nil
	// when neither is known.
	Actual *float64 `json:"actual"`
	// Rules are the reasons for the light, worst first: every red and yellow
	// rule that holds, or the green ones when nothing is wrong.
	Rules []Rule `json:"rules"`
}

// RuleKind names a rule of the table in the package documentation.
type RuleKind string

// The rules.
const (
	RuleClosed            RuleKind = "closed"             // 已销号
	RuleDone              RuleKind = "done"               // 已完成
	RuleDeadlinePassed    RuleKind = "deadline_passed"    // 超过完成时限
	RuleReportMissing     RuleKind = "report_missing"     // 逾期未报, past the grace window
	RuleReportOverdue     RuleKind = "report_overdue"     // 逾期, still within the grace window
	RuleReportReturned    RuleKind = "report_returned"    // 退回未重报
	RuleEvidenceRequested RuleKind = "evidence_requested" // 待补充佐证材料
	RuleReportDueSoon     RuleKind = "report_due_soon"    // 即将截止
	RuleProgress          RuleKind = "progress"           // 完成进度与序时进度
	RuleTarget            RuleKind = "target"             // 量化目标与序时进度
	RuleReported          RuleKind = "reported"           // 已报送
	RuleNotStarted        RuleKind = "not_started"        // 尚未报送
)

// Rule is one reason for a task's light, in Chinese (Text) and English
// (TextEN).
type Rule struct {
	Kind   RuleKind    `json:"kind"`
	Light  duban.Light `json:"light"`
	Text   string      `json:"text"`
	TextEN string      `json:"text_en"`
	// CycleID and TargetID point at the cycle or the target the rule is
	// about, 0 when it is about neither.
	CycleID  int64 `json:"cycle_id"`
	TargetID int64 `json:"target_id"`
}

// cycle is a duban.Cycle with its dates read.
type cycle struct {
	c               *duban.Cycle
	end, due, grace calendar.Date
}

// report is a duban.Report with what Derive needs of it.
type report struct {
	r         *duban.Report
	cycle     int // index into cycles, -1 if none
	submitted calendar.Date
	cover     calendar.Date // the end of the period it reports on
	asOf      calendar.Date // the day its figures stand at
	counted   bool          // submitted, approved or evidence requested
}

// deriver holds one call of Derive.
type deriver struct {
	in       Input
	s        Settings
	year     int
	start    calendar.Date // 1 January of the task's year
	deadline calendar.Date
	extended bool
	cycles   []cycle
	reports  []report
	rules    []Rule
	// redText and yellowText are the gaps as rules write them.
	redText, yellowText string
}

// Derive judges a task as of in.Today by the rules of the package
// documentation. It is pure and never panics: cycles and reports with dates
// that do not parse are left out.
func Derive(in Input) Result {
	d := deriver{in: in, s: in.Settings.withDefaults(), rules: make([]Rule, 0, 8)}
	d.year = in.Task.Year
	if d.year < 1 || d.year > 9999 {
		d.year = in.Today.Year()
	}
	d.start = calendar.NewDate(d.year, 1, 1)
	d.findDeadline()
	res := Result{Deadline: d.deadline, AsOf: in.Today}

	if in.ClosedAt != nil {
		day := d.day(*in.ClosedAt)
		res.Status, res.Light = duban.StatusClosed, duban.LightNone
		res.Expected = d.expected(in.Today)
		res.Rules = []Rule{{Kind: RuleClosed, Light: duban.LightNone,
			Text: "已于" + zhDay(day, 0) + "销号", TextEN: "closed on " + enDay(day, 0)}}
		return res
	}

	d.readCycles()
	d.readReports()
	latest := d.latest(false)
	if latest != nil {
		res.AsOf = latest.asOf
	}
	res.Expected = d.expected(res.AsOf)
	targets := d.targets()
	res.Actual = d.actual(latest, targets)

	if rule, ok := d.done(targets); ok {
		res.Status, res.Light = duban.StatusDone, duban.LightGreen
		res.Rules = []Rule{rule}
		return res
	}

	d.checkDeadline(latest)
	d.checkReporting()
	behind := d.checkTrajectory(latest, targets)
	for _, r := range d.rules {
		if r.Light == duban.LightRed {
			behind = true
		}
	}

	switch {
	case behind:
		res.Status = duban.StatusBehind
	case !d.anyReported() || (res.Actual != nil && *res.Actual == 0):
		res.Status = duban.StatusNotStarted
	default:
		res.Status = duban.StatusOnTrack
	}
	if len(d.rules) == 0 {
		d.fallback(res.Status)
	}
	res.Light, res.Rules = pickRules(d.rules)
	return res
}

// day reads an instant as a day in the organisation's time zone.
func (d *deriver) day(t time.Time) calendar.Date {
	if d.in.Location != nil {
		t = t.In(d.in.Location)
	}
	return calendar.DateOf(t)
}

// findDeadline sets the deadline in force.
func (d *deriver) findDeadline() {
	var decidedLast calendar.Date
	for i := range d.in.Extensions {
		e := &d.in.Extensions[i]
		if e.Status != duban.ExtensionApproved {
			continue
		}
		nd, err := calendar.Parse(e.NewDeadline)
		if err != nil {
			continue
		}
		var decided calendar.Date
		if e.DecidedAt != nil {
			decided = d.day(*e.DecidedAt)
		}
		if !d.extended || !decided.Before(decidedLast) {
			d.deadline, d.extended, decidedLast = nd, true, decided
		}
	}
	if d.extended {
		return
	}
	if v := parseDeadline(d.in.Task.Deadline, d.year); !v.IsZero() {
		d.deadline = v
		return
	}
	d.deadline = calendar.NewDate(d.year, 12, 31)
}

// expected returns 序时进度 at day, in percent.
func (d *deriver) expected(day calendar.Date) float64 {
	span := d.deadline.Sub(d.start) + 1
	if span <= 0 {
		return 100
	}
	gone := day.Sub(d.start) + 1
	switch {
	case gone <= 0:
		return 0
	case gone >= span:
		return 100
	}
	return 100 * float64(gone) / float64(span)
}

func (d *deriver) readCycles() {
	d.cycles = make([]cycle, 0, len(d.in.Cycles))
	for i := range d.in.Cycles {
		c := &d.in.Cycles[i]
		end, err1 := calendar.Parse(c.PeriodEnd)
		due, err2 := calendar.Parse(c.Due)
		if err1 != nil || err2 != nil {
			continue
		}
		grace, err := calendar.Parse(c.GraceEnd)
		if err != nil || grace.Before(due) {
			grace = due
		}
		d.cycles = append(d.cycles, cycle{c: c, end: end, due: due, grace: grace})
	}
	// Insertion sort by due date: a year has a dozen cycles at most.
	for i := 1; i < len(d.cycles); i++ {
		for j := i; j > 0 && d.cycles[j].due.Before(d.cycles[j-1].due); j-- {
			d.cycles[j], d.cycles[j-1] = d.cycles[j-1], d.cycles[j]
		}
	}
}

func (d *deriver) readReports() {
	d.reports = make([]report, 0, len(d.in.Reports))
	for i := range d.in.Reports {
		r := &d.in.Reports[i]
		rp := report{r: r, cycle: -1}
		switch r.Status {
		case duban.ReportSubmitted, duban.ReportApproved, duban.ReportEvidenceRequested:
			rp.counted = true
		case duban.ReportReturned:
		default:
			continue // a draft is not a report yet
		}
		for j := range d.cycles {
			if d.cycles[j].c.ID == r.CycleID {
				rp.cycle = j
				break
			}
		}
		if r.SubmittedAt != nil {
			rp.submitted = d.day(*r.SubmittedAt)
		}
		switch {
		case rp.cycle >= 0:
			rp.cover = d.cycles[rp.cycle].end
		case !rp.submitted.IsZero():
			rp.cover = rp.submitted
		default:
			rp.cover = d.in.Today
		}
		rp.asOf = rp.cover
		if !rp.submitted.IsZero() && rp.submitted.Before(rp.asOf) {
			rp.asOf = rp.submitted
		}
		if d.in.Today.Before(rp.asOf) {
			rp.asOf = d.in.Today
		}
		d.reports = append(d.reports, rp)
	}
}

// later reports whether a is a later report than b.
func later(a, b *report) bool {
	if a.cover != b.cover {
		return a.cover.After(b.cover)
	}
	return !a.submitted.Before(b.submitted)
}

// latest returns the latest counted report, or the latest approved one.
func (d *deriver) latest(approved bool) *report {
	var best *report
	for i := range d.reports {
		r := &d.reports[i]
		if !r.counted || (approved && r.r.Status != duban.ReportApproved) {
			continue
		}
		if best == nil || later(r, best) {
			best = r
		}
	}
	return best
}

func (d *deriver) anyReported() bool { return len(d.reports) > 0 }

// figure returns the latest figure for target id among counted (or approved)
// reports, with the report it comes from.
func (d *deriver) figure(id int64, approved bool) (float64, *report) {
	var best *report
	var v float64
	for i := range d.reports {
		r := &d.reports[i]
		if !r.counted || (approved && r.r.Status != duban.ReportApproved) {
			continue
		}
		if best != nil && !later(r, best) {
			continue
		}
		for _, f := range r.r.Figures {
			if f.TargetID == id && !math.IsNaN(f.Value) && !math.IsInf(f.Value, 0) {
				best, v = r, f.Value
			}
		}
	}
	return v, best
}

func (d *deriver) actual(latest *report, targets []target) *float64 {
	if latest == nil {
		return nil
	}
	if p := latest.r.Percent; p != nil {
		v := float64(min(max(*p, 0), 100))
		return &v
	}
	sum, n := 0.0, 0
	for i := range targets {
		t := &targets[i]
		if t.cap || t.value <= 0 {
			continue
		}
		if f, r := d.figure(t.t.ID, false); r == latest {
			sum += math.Min(math.Max(f/t.value*100, 0), 100)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	v := round1(sum / float64(n))
	return &v
}

// done says whether the task is done, and why.
func (d *deriver) done(targets []target) (Rule, bool) {
	if a := d.latest(true); a != nil && a.r.Percent != nil && *a.r.Percent >= 100 {
		l := d.label(a)
		return Rule{Kind: RuleDone, Light: duban.LightGreen, CycleID: a.r.CycleID,
			Text:   l.zh + "报告已审核，完成进度100%",
			TextEN: l.en + " report was approved at 100% complete"}, true
	}
	if len(targets) == 0 {
		return Rule{}, false
	}
	zh, en := "量化目标均已达到：", "every quantitative target is met: "
	for i := range targets {
		t := &targets[i]
		f, r := d.figure(t.t.ID, true)
		if r == nil || !t.met(f) {
			return Rule{}, false
		}
		// A rate, a share or a cap is met only once the year (or the task's
		// span) is over; an amount to reach is met as soon as it is reached.
		if (t.cap || !t.cumulative) && r.cover.Before(d.deadline) {
			return Rule{}, false
		}
		if i > 0 {
			zh, en = zh+"；", en+"; "
		}
		zh += t.name() + figureText(f, t.t.Unit) + "（" + t.goal(true) + "）"
		en += t.name() + " " + figureText(f, t.t.Unit) + " (" + t.goalEN() + ")"
	}
	return Rule{Kind: RuleDone, Light: duban.LightGreen, Text: zh, TextEN: en}, true
}

func (d *deriver) add(r Rule) { d.rules = append(d.rules, r) }

func (d *deriver) checkDeadline(latest *report) {
	today := d.in.Today
	if !today.After(d.deadline) {
		return
	}
	n := today.Sub(d.deadline)
	which, whichEN := "完成时限", "deadline"
	if d.extended {
		which, whichEN = "延期后的完成时限", "extended deadline"
	}
	head := "已超过" + which + "（" + zhDay(d.deadline, d.year) + "）" + itoa(n) + "天"
	headEN := "past its " + whichEN + " (" + enDay(d.deadline, d.year) + ") by " + days(n)
	if latest != nil && latest.r.Percent != nil && *latest.r.Percent >= 100 {
		// Reported done and waiting for the office: not the unit's delay.
		d.add(Rule{Kind: RuleDeadlinePassed, Light: duban.LightYellow, CycleID: latest.r.CycleID,
			Text: head + "，报告称已完成，待审核确认", TextEN: headEN + "; reported done, waiting for approval"})
		return
	}
	d.add(Rule{Kind: RuleDeadlinePassed, Light: duban.LightRed, Text: head + "，尚未完成", TextEN: headEN + " and not done"})
}

// cycleState is what the reports of one cycle add up to.
type cycleState struct {
	counted, returned, evidence bool
	report                      *report
}

func (d *deriver) state(i int) cycleState {
	var st cycleState
	for j := range d.reports {
		r := &d.reports[j]
		if r.cycle != i {
			continue
		}
		switch {
		case r.counted:
			st.counted = true
			st.evidence = r.r.Status == duban.ReportEvidenceRequested
			st.report = r
		case !st.counted:
			st.returned = true
			st.report = r
		}
	}
	if st.counted {
		st.returned = false
	}
	return st
}

// checkReporting looks at the latest cycle past its due date and the next one
// due.
func (d *deriver) checkReporting() {
	today := d.in.Today
	last, next := -1, -1
	for i := range d.cycles {
		if d.cycles[i].due.Before(today) {
			last = i
		} else if next < 0 {
			next = i
		}
	}
	if last >= 0 {
		d.checkPast(last)
	}
	if next >= 0 {
		d.checkNext(next)
	}
}

func (d *deriver) checkPast(i int) {
	c, today := &d.cycles[i], d.in.Today
	st := d.state(i)
	l := cycleLabel(c.c.Label, d.year)
	late := today.Sub(c.due)
	due, grace := zhDay(c.due, d.year), zhDay(c.grace, d.year)
	dueEN, graceEN := enDay(c.due, d.year), enDay(c.grace, d.year)
	inGrace := !today.After(c.grace)
	if !st.counted && d.reportedAfter(i) {
		// A report of a later cycle covers the progress to date; the
		// missing one counts in timeliness, not in the light.
		return
	}
	switch {
	case st.counted && st.evidence:
		d.add(Rule{Kind: RuleEvidenceRequested, Light: duban.LightYellow, CycleID: c.c.ID,
			Text:   l.zh + "报告需补充佐证材料",
			TextEN: l.en + " report needs more evidence"})
	case st.counted:
		zh, en := l.zh+"报告已报送", l.en+" report is in"
		if s := st.report.submitted; !s.IsZero() {
			zh, en = l.zh+"报告已于"+zhDay(s, d.year)+"报送", l.en+" report was submitted on "+enDay(s, d.year)
		}
		d.add(Rule{Kind: RuleReported, Light: duban.LightGreen, CycleID: c.c.ID, Text: zh, TextEN: en})
	case st.returned && inGrace:
		d.add(Rule{Kind: RuleReportReturned, Light: duban.LightYellow, CycleID: c.c.ID,
			Text:   l.zh + "报告被退回，须在宽限期（" + grace + "）内重新报送",
			TextEN: l.en + " report was returned and must be resubmitted by " + graceEN})
	case st.returned:
		d.add(Rule{Kind: RuleReportReturned, Light: duban.LightRed, CycleID: c.c.ID,
			Text:   l.zh + "报告被退回后逾期未重新报送（宽限至" + grace + "）",
			TextEN: l.en + " report was returned and not resubmitted by the end of its grace window (" + graceEN + ")"})
	case inGrace:
		d.add(Rule{Kind: RuleReportOverdue, Light: duban.LightYellow, CycleID: c.c.ID,
			Text:   l.zh + "报告已逾期" + itoa(late) + "天未报送（截止" + due + "，宽限至" + grace + "）",
			TextEN: l.en + " report is " + days(late) + " overdue (due " + dueEN + ", grace until " + graceEN + ")"})
	default:
		zh := l.zh + "报告已逾期" + itoa(late) + "天未报送（截止" + due + "）"
		en := l.en + " report is " + days(late) + " overdue (due " + dueEN + ")"
		if n := d.missingBefore(i); n > 0 {
			zh += "，此前另有" + itoa(n) + "期未报送"
			en += "; " + itoa(n) + " earlier " + plural(n, "report is", "reports are") + " missing too"
		}
		d.add(Rule{Kind: RuleReportMissing, Light: duban.LightRed, CycleID: c.c.ID, Text: zh, TextEN: en})
	}
}

// reportedAfter reports whether a cycle after cycle i has a report.
func (d *deriver) reportedAfter(i int) bool {
	for j := range d.reports {
		if r := &d.reports[j]; r.counted && r.cycle > i {
			return true
		}
	}
	return false
}

// missingBefore counts the cycles before cycle i without a report since the
// last one with a report.
func (d *deriver) missingBefore(i int) int {
	n := 0
	for j := i - 1; j >= 0; j-- {
		if d.state(j).counted {
			break
		}
		n++
	}
	return n
}

func (d *deriver) checkNext(i int) {
	c, today := &d.cycles[i], d.in.Today
	st := d.state(i)
	l := cycleLabel(c.c.Label, d.year)
	due, dueEN := zhDay(c.due, d.year), enDay(c.due, d.year)
	left := c.due.Sub(today)
	switch {
	case st.counted && st.evidence:
		d.add(Rule{Kind: RuleEvidenceRequested, Light: duban.LightYellow, CycleID: c.c.ID,
			Text:   l.zh + "报告需补充佐证材料（截止" + due + "）",
			TextEN: l.en + " report needs more evidence (due " + dueEN + ")"})
	case st.counted:
		// Reported early: nothing to say beyond the past cycle's rule.
	case st.returned:
		d.add(Rule{Kind: RuleReportReturned, Light: duban.LightYellow, CycleID: c.c.ID,
			Text:   l.zh + "报告被退回，须在" + due + "前重新报送",
			TextEN: l.en + " report was returned and must be resubmitted by " + dueEN})
	case d.s.DueSoonDays < 0 || left > d.s.DueSoonDays:
		// Not yet due soon.
	case left == 0:
		d.add(Rule{Kind: RuleReportDueSoon, Light: duban.LightYellow, CycleID: c.c.ID,
			Text:   l.zh + "报告今天（" + due + "）截止，尚未报送",
			TextEN: l.en + " report is due today (" + dueEN + ") and not yet submitted"})
	default:
		d.add(Rule{Kind: RuleReportDueSoon, Light: duban.LightYellow, CycleID: c.c.ID,
			Text:   l.zh + "报告将于" + due + "截止，尚未报送（还有" + itoa(left) + "天）",
			TextEN: l.en + " report is due on " + dueEN + " and not yet submitted (" + days(left) + " left)"})
	}
}

// checkTrajectory compares the latest percent and figures with 序时进度, and
// reports whether the task lags by more than the yellow gap.
func (d *deriver) checkTrajectory(latest *report, targets []target) bool {
	behind := false
	if latest != nil && latest.r.Percent != nil {
		p := float64(min(max(*latest.r.Percent, 0), 100))
		e := d.expected(latest.asOf)
		light, zh, en := d.gapLight(e-p), "", ""
		red, yellow := d.gaps()
		when, whenEN := zhDay(latest.asOf, d.year), enDay(latest.asOf, d.year)
		head := "截至" + when + "累计完成" + pct(p)
		headEN := pct(p) + " done by " + whenEN
		switch light {
		case duban.LightRed:
			zh = head + "，低于序时进度" + pct(e) + "超过" + red + "个百分点"
			en = headEN + ", more than " + red + " points behind time-proportional progress of " + pct(e)
		case duban.LightYellow:
			zh = head + "，低于序时进度" + pct(e) + "超过" + yellow + "个百分点"
			en = headEN + ", more than " + yellow + " points behind time-proportional progress of " + pct(e)
		default:
			if p >= e {
				zh = head + "，达到序时进度" + pct(e)
				en = headEN + ", on time-proportional progress of " + pct(e)
			} else {
				zh = head + "，略低于序时进度" + pct(e) + "，差距在" + yellow + "个百分点以内"
				en = headEN + ", within " + yellow + " points of time-proportional progress of " + pct(e)
			}
		}
		behind = behind || light != duban.LightGreen
		d.add(Rule{Kind: RuleProgress, Light: light, CycleID: latest.r.CycleID, Text: zh, TextEN: en})
	}
	for i := range targets {
		t := &targets[i]
		f, r := d.figure(t.t.ID, false)
		if r == nil {
			continue
		}
		rule := d.judgeTarget(t, f, r)
		behind = behind || rule.Light != duban.LightGreen
		d.add(rule)
	}
	return behind
}

// gaps writes the red and yellow gaps for rules.
func (d *deriver) gaps() (red, yellow string) {
	if d.redText == "" {
		d.redText, d.yellowText = pp(d.s.RedGap), pp(d.s.YellowGap)
	}
	return d.redText, d.yellowText
}

// gapLight is the light of lagging gap percentage points behind.
func (d *deriver) gapLight(gap float64) duban.Light {
	switch {
	case gap > d.s.RedGap:
		return duban.LightRed
	case gap > d.s.YellowGap:
		return duban.LightYellow
	}
	return duban.LightGreen
}

func (d *deriver) fallback(status duban.TaskStatus) {
	if status == duban.StatusNotStarted {
		zh, en := "尚未报送进展", "nothing reported yet"
		for i := range d.cycles {
			if !d.cycles[i].due.Before(d.in.Today) {
				c := &d.cycles[i]
				l := cycleLabel(c.c.Label, d.year)
				zh += "，" + l.zh + "报告于" + zhDay(c.due, d.year) + "截止"
				en += "; the next report, " + l.en + ", is due on " + enDay(c.due, d.year)
				break
			}
		}
		d.add(Rule{Kind: RuleNotStarted, Light: duban.LightNone, Text: zh, TextEN: en})
		return
	}
	d.add(Rule{Kind: RuleReported, Light: duban.LightGreen, Text: "报告按时报送，进度无滞后", TextEN: "reports in on time, no lag"})
}

var lightRank = map[duban.Light]int{duban.LightRed: 3, duban.LightYellow: 2, duban.LightGreen: 1, duban.LightNone: 0}

// pickRules returns the worst light of rules and the rules that explain it,
// worst first: the red and yellow ones when there are any, else all.
func pickRules(rules []Rule) (duban.Light, []Rule) {
	worst := duban.LightNone
	for _, r := range rules {
		if lightRank[r.Light] > lightRank[worst] {
			worst = r.Light
		}
	}
	out := make([]Rule, 0, len(rules))
	for rank := 3; rank >= 0; rank-- {
		if rank < 2 && lightRank[worst] >= 2 {
			break
		}
		for _, r := range rules {
			if lightRank[r.Light] == rank {
				out = append(out, r)
			}
		}
	}
	return worst, out
}
