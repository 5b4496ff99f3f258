package ranking

import (
	"math"
	"strconv"
	"strings"
)

// parts says how s was made from t, part by part.
func (r *Rules) parts(t *tally, s *points) []Part {
	ps := make([]Part, 0, 11) // every kind of part at most once
	ps = append(ps, r.timelinessPart(t, s), r.completionPart(t, s), r.qualityPart(t, s), r.noticePart(t, s))

	deduction := func(kind PartKind, d Deduction, n int, amount float64, zh, unit, one, more string) {
		if n == 0 || d.Points == 0 {
			return
		}
		p := Part{Kind: kind, Points: -amount, Max: d.Cap, Count: n}
		p.Text = zh + itoa(n) + unit + "，每" + unit + "扣" + num(d.Points) + "分，扣" + num(amount) + "分"
		p.TextEN = many(n, one, more) + ", " + pointsEN(d.Points) + " each: −" + num(amount)
		if d.Cap > 0 && d.Points*float64(n) > d.Cap {
			p.Text += "（上限" + num(d.Cap) + "分）"
			p.TextEN += " (at most " + num(d.Cap) + ")"
		}
		ps = append(ps, p)
	}
	deduction(PartReturned, r.Returned, t.returns, s.returned,
		"退回报告", "次", "report returned", "reports returned")
	deduction(PartBeyondGrace, r.BeyondGrace, t.afterGrace+t.missing, s.beyondGrace,
		"超过宽限期报送或未报送", "期", "report after the grace window or missing", "reports after the grace window or missing")
	deduction(PartNoticeOverdue, r.NoticeOverdue, t.noticeLate+t.unanswered, s.noticeOverdue,
		"督办单逾期回复或未回复", "件", "notice answered late or not at all", "notices answered late or not at all")
	deduction(PartPastDeadline, r.PastDeadline, t.pastDeadline, s.pastDeadline,
		"超过完成时限未完成任务", "项", "task past its deadline and not done", "tasks past their deadline and not done")
	if s.capBack > 0 {
		sum := s.deducted + s.capBack
		ps = append(ps, Part{Kind: PartDeductionCap, Points: s.capBack, Max: r.DeductionCap,
			Text:   "扣分合计" + num(sum) + "分，超过上限" + num(r.DeductionCap) + "分，按" + num(r.DeductionCap) + "分扣",
			TextEN: "Deductions total " + num(sum) + ", over the cap of " + num(r.DeductionCap) + ": " + num(r.DeductionCap) + " deducted"})
	}
	if s.bonus > 0 {
		b := r.EarlyClosure
		p := Part{Kind: PartEarlyClosure, Points: s.bonus, Max: b.Cap, Count: t.early}
		if b.DaysAhead > 0 {
			p.Text = "提前" + itoa(b.DaysAhead) + "天以上销号" + itoa(t.early) + "项"
			p.TextEN = many(t.early, "task", "tasks") + " closed " + itoa(b.DaysAhead) + " days or more before the deadline"
		} else {
			p.Text = "在完成时限前销号" + itoa(t.early) + "项"
			p.TextEN = many(t.early, "task", "tasks") + " closed by the deadline"
		}
		p.Text += "，每项加" + num(b.Points) + "分，加" + num(s.bonus) + "分"
		p.TextEN += ", " + pointsEN(b.Points) + " each: +" + num(s.bonus)
		if b.Points*float64(t.early) > b.Cap {
			p.Text += "（上限" + num(b.Cap) + "分）"
			p.TextEN += " (at most " + num(b.Cap) + ")"
		}
		ps = append(ps, p)
	}
	if s.floor > 0 {
		ps = append(ps, Part{Kind: PartFloor, Points: s.floor,
			Text: "扣分后低于0分，按0分计", TextEN: "Below 0 after deductions: counted as 0"})
	}
	return ps
}

func (r *Rules) timelinessPart(t *tally, s *points) Part {
	w := r.Timeliness.Weight
	n := t.onTime + t.late + t.afterGrace + t.missing
	p := Part{Kind: PartTimeliness, Points: s.timeliness, Max: w, Count: t.onTime, Of: n}
	if n == 0 {
		p.Text = "暂无应报期次，得满分" + num(w) + "分"
		p.TextEN = "No report due yet: full " + pointsEN(w)
		return p
	}
	zh := []string{"按时报送" + itoa(t.onTime) + "/" + itoa(n) + "期"}
	en := []string{"On time " + itoa(t.onTime) + " of " + many(n, "report", "reports")}
	if t.late > 0 {
		zh = append(zh, "宽限期内报送"+itoa(t.late)+"期（每期按"+num(r.Timeliness.LateCredit)+"期计）")
		en = append(en, itoa(t.late)+" within the grace window (each counts "+num(r.Timeliness.LateCredit)+")")
	}
	if t.afterGrace > 0 {
		zh = append(zh, "超过宽限期报送"+itoa(t.afterGrace)+"期")
		en = append(en, itoa(t.afterGrace)+" after it")
	}
	if t.missing > 0 {
		zh = append(zh, "未报送"+itoa(t.missing)+"期")
		en = append(en, itoa(t.missing)+" missing")
	}
	p.Text = strings.Join(zh, "，") + "，" + gained(s.timeliness, w)
	p.TextEN = strings.Join(en, ", ") + ": " + gainedEN(s.timeliness, w)
	return p
}

func (r *Rules) completionPart(t *tally, s *points) Part {
	w := r.Completion.Weight
	p := Part{Kind: PartCompletion, Points: s.completion, Max: w, Count: t.closed + t.done + t.onSchedule + t.unknown, Of: t.tasks}
	var zh, en []string
	add := func(n int, z, e string) {
		if n > 0 {
			zh = append(zh, z+itoa(n)+"项")
			en = append(en, itoa(n)+" "+e)
		}
	}
	add(t.closed, "已销号", "closed")
	add(t.done, "已完成", "done")
	add(t.onSchedule, "达到序时进度", "on schedule")
	add(t.behind, "落后序时进度", "behind schedule")
	if t.unknown > 0 {
		zh = append(zh, "未填完成比例"+itoa(t.unknown)+"项（按达到序时进度计）")
		en = append(en, itoa(t.unknown)+" without a percent (counted on schedule)")
	}
	add(t.unreported, "未报进展", "not reported")
	rate := 0.0
	if t.tasks > 0 {
		rate = math.Round(t.rate/float64(t.tasks)*1000) / 10
	}
	p.Text = "参评任务" + itoa(t.tasks) + "项：" + strings.Join(zh, "，") + "；平均完成率" + num(rate) + "%，" + gained(s.completion, w)
	p.TextEN = many(t.tasks, "task", "tasks") + " counted: " + strings.Join(en, ", ") + "; mean completion " + num(rate) + "%: " + gainedEN(s.completion, w)
	return p
}

func (r *Rules) qualityPart(t *tally, s *points) Part {
	w := r.Quality.Weight
	p := Part{Kind: PartQuality, Points: s.quality, Max: w, Count: t.ratings}
	if t.ratings == 0 {
		p.Text = "暂无质量评分，按" + num(r.Quality.Unrated) + "分计，" + gained(s.quality, w)
		p.TextEN = "No rating yet, counted as " + num(r.Quality.Unrated) + " of 5: " + gainedEN(s.quality, w)
		return p
	}
	mean := num(float64(t.ratingSum) / float64(t.ratings))
	p.Text = "质量评分" + itoa(t.ratings) + "次，平均" + mean + "分，" + gained(s.quality, w)
	p.TextEN = many(t.ratings, "rating", "ratings") + ", mean " + mean + " of 5: " + gainedEN(s.quality, w)
	return p
}

func (r *Rules) noticePart(t *tally, s *points) Part {
	w := r.Notice.Weight
	p := Part{Kind: PartNotice, Points: s.notice, Max: w, Count: t.noticeOnTime, Of: t.notices}
	if t.notices == 0 {
		p.Text = "暂无到期督办单，得满分" + num(w) + "分"
		p.TextEN = "No supervision notice due: full " + pointsEN(w)
		return p
	}
	zh := []string{"督办单" + itoa(t.notices) + "件：按期回复" + itoa(t.noticeOnTime) + "件"}
	en := []string{many(t.notices, "notice", "notices") + ": " + itoa(t.noticeOnTime) + " answered in time"}
	if t.noticeLate > 0 {
		zh = append(zh, "逾期回复"+itoa(t.noticeLate)+"件（每件按"+num(r.Notice.LateCredit)+"件计）")
		en = append(en, itoa(t.noticeLate)+" answered late (each counts "+num(r.Notice.LateCredit)+")")
	}
	if t.unanswered > 0 {
		zh = append(zh, "逾期未回复"+itoa(t.unanswered)+"件")
		en = append(en, itoa(t.unanswered)+" unanswered past the deadline")
	}
	p.Text = strings.Join(zh, "，") + "，" + gained(s.notice, w)
	p.TextEN = strings.Join(en, ", ") + ": " + gainedEN(s.notice, w)
	return p
}

func gained(v, w float64) string   { return "得" + num(v) + "分（满分" + num(w) + "分）" }
func gainedEN(v, w float64) string { return num(v) + " of " + pointsEN(w) }

// many is n of a noun in English: "1 task", "2 tasks".
func many(n int, one, more string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + more
}

// pointsEN is x points in English: "1 point", "2.5 points".
func pointsEN(x float64) string {
	if round2(x) == 1 {
		return "1 point"
	}
	return num(x) + " points"
}

func itoa(n int) string { return strconv.Itoa(n) }

// tieBreak says why an entry with the score of the one ranked above it, at
// rank above, comes after it.
func tieBreak(above int, prev, cur *points, sameName bool) *Line {
	a := itoa(above)
	zh, en := "与第"+a+"名同分（"+num(cur.total)+"分）", "Same score as no. "+a+" ("+num(cur.total)+")"
	switch {
	case prev.completion != cur.completion:
		zh += "，任务完成得分较低"
		en += "; fewer completion points"
	case prev.timeliness != cur.timeliness:
		zh += "，任务完成得分相同，按时报送得分较低"
		en += "; the same completion points, fewer timeliness points"
	case !sameName:
		zh += "，任务完成、按时报送得分均相同，按名称排序"
		en += "; the same completion and timeliness points, ordered by name"
	default:
		zh += "，任务完成、按时报送得分及名称均相同，按编号排序"
		en += "; the same completion and timeliness points and name, ordered by ID"
	}
	return &Line{Text: zh, TextEN: en}
}

// notRated says why a unit or a leader is not assessed.
func notRated(hasTasks, leader bool) (zh, en string) {
	switch {
	case leader && !hasTasks:
		return "未参评：无分管任务", "Not assessed: no task in charge"
	case leader:
		return "未参评：分管任务尚无到期事项", "Not assessed: nothing of the tasks in charge is due yet"
	case !hasTasks:
		return "未参评：无牵头任务", "Not assessed: leads no task"
	}
	return "未参评：牵头任务尚无到期事项", "Not assessed: nothing of the tasks it leads is due yet"
}

// Lines are the rules in words, one line per part, then the deductions, the
// bonus and the order of the ranking: what the office shows beside it (一榜,
// with the rule shown). Parts with no weight and deductions of no points are
// left out. Values Validate refuses are shown as Score uses them.
func (r Rules) Lines() []Line {
	r = r.sane()
	var ls []Line
	if w := num(r.Timeliness.Weight); r.Timeliness.Weight > 0 {
		c := num(r.Timeliness.LateCredit)
		ls = append(ls, Line{
			Text: "按时报送（" + w + "分）：每期应报的报告在截止日及以前报送计1期，宽限期内报送计" + c +
				"期，超过宽限期报送或未报送不计；得分＝" + w + "分×计入期数÷应报期数，尚无应报期次的得满分",
			TextEN: "Timeliness (" + w + " points): each report due counts 1 when submitted by its due date, " + c +
				" within the grace window, 0 after it or never; points = " + w + " × counted ÷ due, full when none is due yet",
		})
	}
	if w := num(r.Completion.Weight); r.Completion.Weight > 0 {
		ls = append(ls, Line{
			Text: "任务完成（" + w + "分）：每项参评任务的完成率为最新报告的完成比例÷序时进度（最高100%），" +
				"已销号或已完成的按100%计，超过完成时限后按完成比例计，未报进展的按0计；得分＝" + w + "分×平均完成率",
			TextEN: "Completion (" + w + " points): each task counted scores the percent of its latest report ÷ its " +
				"time-proportional progress (at most 100%), 100% when closed or done, the percent itself once past its " +
				"deadline, 0 when nothing is reported; points = " + w + " × the mean",
		})
	}
	if w := num(r.Quality.Weight); r.Quality.Weight > 0 {
		u := num(r.Quality.Unrated)
		ls = append(ls, Line{
			Text:   "报告质量（" + w + "分）：督查室审核报告时的质量评分（1至5分）的平均分÷5×" + w + "分，尚无评分的按" + u + "分计",
			TextEN: "Quality (" + w + " points): the mean of the office's ratings of the reports (1 to 5) ÷ 5 × " + w + ", counted as " + u + " while there is none",
		})
	}
	if w := num(r.Notice.Weight); r.Notice.Weight > 0 {
		c := num(r.Notice.LateCredit)
		ls = append(ls, Line{
			Text: "督办响应（" + w + "分）：督办单按期回复计1件，逾期回复计" + c + "件，逾期未回复不计；得分＝" + w +
				"分×计入件数÷到期件数，尚无到期督办单的得满分",
			TextEN: "Notices (" + w + " points): each supervision notice counts 1 when answered by its deadline, " + c +
				" when answered later, 0 when unanswered past it; points = " + w + " × counted ÷ due, full when none is due yet",
		})
	}
	var zh, en []string
	ded := func(d Deduction, z, unit, e string) {
		if d.Points == 0 {
			return
		}
		s, t := z+"每"+unit+"扣"+num(d.Points)+"分", e+" "+num(d.Points)
		if d.Cap > 0 {
			s += "（最多" + num(d.Cap) + "分）"
			t += " (at most " + num(d.Cap) + ")"
		}
		zh, en = append(zh, s), append(en, t)
	}
	ded(r.Returned, "退回报告", "次", "each returned report")
	ded(r.BeyondGrace, "超过宽限期报送或未报送", "期", "each report after its grace window or missing")
	ded(r.NoticeOverdue, "督办单逾期回复或未回复", "件", "each notice answered late or not at all")
	ded(r.PastDeadline, "超过完成时限未完成任务", "项", "each task past its deadline and not done")
	if len(zh) > 0 {
		l := Line{Text: "扣分：" + strings.Join(zh, "；"), TextEN: "Deductions: " + strings.Join(en, "; ")}
		if r.DeductionCap > 0 {
			l.Text += "；扣分合计最多" + num(r.DeductionCap) + "分"
			l.TextEN += "; at most " + num(r.DeductionCap) + " in all"
		}
		l.Text += "；总分不低于0分"
		l.TextEN += "; no score below 0"
		ls = append(ls, l)
	}
	if b := r.EarlyClosure; b.Points > 0 {
		when, whenEN := "提前"+itoa(b.DaysAhead)+"天以上销号", "closed "+itoa(b.DaysAhead)+" days or more before its deadline"
		if b.DaysAhead == 0 {
			when, whenEN = "在完成时限前销号", "closed by its deadline"
		}
		ls = append(ls, Line{
			Text:   "加分：" + when + "的任务每项加" + num(b.Points) + "分，最多加" + num(b.Cap) + "分",
			TextEN: "Bonus: " + num(b.Points) + " for each task " + whenEN + ", at most " + num(b.Cap),
		})
	}
	ls = append(ls, Line{
		Text:   "排名：按总分从高到低；同分的依次比较任务完成得分、按时报送得分，再按名称排序；尚无到期事项的不参评",
		TextEN: "Order: by score, highest first; equal scores by completion points, then timeliness points, then name; those with nothing due yet are not assessed",
	})
	return ls
}
