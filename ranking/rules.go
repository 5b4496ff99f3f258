package ranking

import (
	"math"
	"strconv"

	"duban"
)

// Rules are the scoring rules an office sets for its ranking, stored per
// organisation as JSON. The zero Rules score nothing; start from DefaultRules.
// The package documentation explains each part.
type Rules struct {
	Timeliness Timeliness `json:"timeliness"` // 按时报送
	Completion Completion `json:"completion"` // 任务完成
	Quality    Quality    `json:"quality"`    // 报告质量
	Notice     Response   `json:"notice"`     // 督办响应
	// Returned, BeyondGrace, NoticeOverdue and PastDeadline are the
	// deductions (扣分): per returned report, per report missing beyond its
	// grace window, per notice answered late or not at all, per task past
	// its deadline and not done.
	Returned      Deduction `json:"returned"`
	BeyondGrace   Deduction `json:"beyond_grace"`
	NoticeOverdue Deduction `json:"notice_overdue"`
	PastDeadline  Deduction `json:"past_deadline"`
	// DeductionCap is the most all deductions together take off a score; 0
	// means no cap. No score goes below 0 whatever the cap.
	DeductionCap float64 `json:"deduction_cap"`
	// EarlyClosure is the bonus (加分) for tasks closed ahead of their
	// deadline.
	EarlyClosure Bonus `json:"early_closure"`
}

// Timeliness is the part for reports submitted on time (按时报送).
type Timeliness struct {
	Weight float64 `json:"weight"`
	// LateCredit is what a report submitted after its due date but within
	// its grace window counts for, from 0 to 1 (an on-time report counts 1).
	LateCredit float64 `json:"late_credit"`
}

// Completion is the part for how far the tasks are (任务完成).
type Completion struct {
	Weight float64 `json:"weight"`
}

// Quality is the part for the office's ratings of the reports (报告质量).
type Quality struct {
	Weight float64 `json:"weight"`
	// Unrated is the mean rating, from 0 to 5, of a unit none of whose
	// reports has been rated.
	Unrated float64 `json:"unrated"`
}

// Response is the part for answering supervision notices (督办响应).
type Response struct {
	Weight float64 `json:"weight"`
	// LateCredit is what a notice answered after its deadline counts for,
	// from 0 to 1 (one answered in time counts 1).
	LateCredit float64 `json:"late_credit"`
}

// Deduction takes Points off a score for each item, at most Cap in all (0:
// no cap of its own).
type Deduction struct {
	Points float64 `json:"points"`
	Cap    float64 `json:"cap"`
}

// Bonus adds Points to a score for each task closed at least DaysAhead days
// before its deadline (0: on or before it), at most Cap in all. Cap must be
// set when Points is.
type Bonus struct {
	Points    float64 `json:"points"`
	Cap       float64 `json:"cap"`
	DaysAhead int     `json:"days_ahead"`
}

// DefaultRules returns the rules of an office that has set none: 100 points
// (按时报送 30, 任务完成 40, 报告质量 20, 督办响应 10) with deductions and up to
// 5 points of bonus, as the package documentation tabulates.
func DefaultRules() Rules {
	return Rules{
		Timeliness:    Timeliness{Weight: 30, LateCredit: 0.5},
		Completion:    Completion{Weight: 40},
		Quality:       Quality{Weight: 20, Unrated: 3},
		Notice:        Response{Weight: 10, LateCredit: 0.5},
		Returned:      Deduction{Points: 1, Cap: 5},
		BeyondGrace:   Deduction{Points: 2, Cap: 10},
		NoticeOverdue: Deduction{Points: 2, Cap: 10},
		PastDeadline:  Deduction{Points: 3, Cap: 15},
		DeductionCap:  30,
		EarlyClosure:  Bonus{Points: 1, Cap: 5, DaysAhead: 30},
	}
}

// The limits Validate holds the rules to.
const (
	MaxWeight    = 1000 // of a part, and of a cap
	MaxPoints    = 100  // of one deduction or bonus item
	MaxDaysAhead = 366
)

// Validate reports the first rule out of range as a *duban.Error with
// CodeInvalid whose message names the rule in Chinese: weights and caps from 0
// to MaxWeight, with at least one weight above 0; credits from 0 to 1; Unrated
// from 0 to 5; points from 0 to MaxPoints; DaysAhead from 0 to MaxDaysAhead;
// and a cap for a bonus that gives points.
func (r Rules) Validate() error {
	checks := []struct {
		name     string
		v, limit float64
	}{
		{"按时报送分值", r.Timeliness.Weight, MaxWeight},
		{"宽限期内报送折算比例", r.Timeliness.LateCredit, 1},
		{"任务完成分值", r.Completion.Weight, MaxWeight},
		{"报告质量分值", r.Quality.Weight, MaxWeight},
		{"未评分报告按分", r.Quality.Unrated, 5},
		{"督办响应分值", r.Notice.Weight, MaxWeight},
		{"督办单逾期回复折算比例", r.Notice.LateCredit, 1},
		{"退回报告每次扣分", r.Returned.Points, MaxPoints},
		{"退回报告扣分上限", r.Returned.Cap, MaxWeight},
		{"超期未报每期扣分", r.BeyondGrace.Points, MaxPoints},
		{"超期未报扣分上限", r.BeyondGrace.Cap, MaxWeight},
		{"督办单逾期每件扣分", r.NoticeOverdue.Points, MaxPoints},
		{"督办单逾期扣分上限", r.NoticeOverdue.Cap, MaxWeight},
		{"逾期未完成任务每项扣分", r.PastDeadline.Points, MaxPoints},
		{"逾期未完成任务扣分上限", r.PastDeadline.Cap, MaxWeight},
		{"扣分总上限", r.DeductionCap, MaxWeight},
		{"提前销号每项加分", r.EarlyClosure.Points, MaxPoints},
		{"提前销号加分上限", r.EarlyClosure.Cap, MaxWeight},
	}
	for _, c := range checks {
		if math.IsNaN(c.v) || c.v < 0 || c.v > c.limit {
			return duban.Errorf(duban.CodeInvalid, "%s应在0至%s之间，现为%s", c.name, num(c.limit), num(c.v))
		}
	}
	if r.EarlyClosure.DaysAhead < 0 || r.EarlyClosure.DaysAhead > MaxDaysAhead {
		return duban.Errorf(duban.CodeInvalid, "提前销号天数应在0至%d之间，现为%d", MaxDaysAhead, r.EarlyClosure.DaysAhead)
	}
	if r.Timeliness.Weight+r.Completion.Weight+r.Quality.Weight+r.Notice.Weight == 0 {
		return duban.Errorf(duban.CodeInvalid, "按时报送、任务完成、报告质量、督办响应的分值不能都为0")
	}
	if r.EarlyClosure.Points > 0 && r.EarlyClosure.Cap == 0 {
		return duban.Errorf(duban.CodeInvalid, "提前销号加分上限应大于0")
	}
	return nil
}

// sane returns r with every value Validate refuses brought into range, so
// that Score never goes wrong on rules nobody validated: a value that is not
// a number counts 0, and a bonus without a cap gives nothing.
func (r Rules) sane() Rules {
	clamp := func(v *float64, limit float64) {
		switch {
		case math.IsNaN(*v) || *v < 0:
			*v = 0
		case *v > limit:
			*v = limit
		}
	}
	clamp(&r.Timeliness.Weight, MaxWeight)
	clamp(&r.Timeliness.LateCredit, 1)
	clamp(&r.Completion.Weight, MaxWeight)
	clamp(&r.Quality.Weight, MaxWeight)
	clamp(&r.Quality.Unrated, 5)
	clamp(&r.Notice.Weight, MaxWeight)
	clamp(&r.Notice.LateCredit, 1)
	for _, d := range []*Deduction{&r.Returned, &r.BeyondGrace, &r.NoticeOverdue, &r.PastDeadline} {
		clamp(&d.Points, MaxPoints)
		clamp(&d.Cap, MaxWeight)
	}
	clamp(&r.DeductionCap, MaxWeight)
	clamp(&r.EarlyClosure.Points, MaxPoints)
	clamp(&r.EarlyClosure.Cap, MaxWeight)
	if r.EarlyClosure.Cap == 0 {
		r.EarlyClosure.Points = 0
	}
	r.EarlyClosure.DaysAhead = min(max(r.EarlyClosure.DaysAhead, 0), MaxDaysAhead)
	return r
}

// max returns the highest score the rules give: the weights plus the bonus
// cap, rounded step by step as a score is.
func (r Rules) max() float64 {
	r = r.sane()
	base := round2(round2(r.Timeliness.Weight) + round2(r.Completion.Weight) + round2(r.Quality.Weight) + round2(r.Notice.Weight))
	bonus := 0.0
	if r.EarlyClosure.Points > 0 {
		bonus = round2(r.EarlyClosure.Cap)
	}
	return round2(base + bonus)
}

// round2 rounds x to hundredths, the precision of every point shown.
func round2(x float64) float64 {
	v := math.Round(x*100) / 100
	if v == 0 {
		return 0 // no -0
	}
	return v
}

// num writes x, rounded to hundredths, without trailing zeros: 27.5, 30, 0.33.
func num(x float64) string {
	x = round2(x)
	if math.IsNaN(x) || math.Abs(x) >= 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	// In whole hundredths, which is quicker than the shortest float form.
	c := int64(math.Round(x * 100))
	var b [24]byte
	out := b[:0]
	if c < 0 {
		out, c = append(out, '-'), -c
	}
	out = strconv.AppendInt(out, c/100, 10)
	switch f := c % 100; {
	case f == 0:
	case f%10 == 0:
		out = append(out, '.', byte('0'+f/10))
	default:
		out = append(out, '.', byte('0'+f/10), byte('0'+f%10))
	}
	return string(out)
}
