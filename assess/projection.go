package assess

import (
	"math"
	"strconv"
	"time"

	"duban"
	"duban/ingest"
)

// Point is a cumulative figure: the total from 1 January to the end of Date
// ("1—6月累计", dated 30 June), or, for rate series, the year-to-date growth rate
// in percent ("1—6月增长5.8%").
type Point struct {
	Date  time.Time `json:"date"`
	Value float64   `json:"value"`
}

// ProjectOptions say what the figures are and what else is known.
type ProjectOptions struct {
	// LastYear holds last year's cumulative figures, oldest first, ending with
	// the year's total dated 31 December. With it the projection follows last
	// year's seasonal pattern instead of time-proportional progress.
	LastYear []Point
	// Growth says the target is a growth rate in percent over last year's
	// total, which LastYear must then end with.
	Growth bool
	// Rates says the points are year-to-date growth rates, not amounts: the
	// latest rate is carried to the year end.
	Rates bool
	// AsOf, when set, is the clock: points dated after it are not yet known
	// and are ignored.
	AsOf time.Time
	// Settings give the tolerance, polarity overrides and language of the
	// verdict on the projected value.
	Settings Settings
}

// Projection is a year-end value projected from the figures so far, judged
// against the target.
type Projection struct {
	// Value is the projected year-end value: an amount in the unit of the
	// points, or a growth rate in percent for Growth and Rates. It is rounded
	// to two decimals (three significant digits below 1).
	Value float64 `json:"value"`
	// Method states how Value was found, with the figures used.
	Method string `json:"method"`
	// Elapsed is the share of the year covered by the latest figure.
	Elapsed float64 `json:"elapsed"`
	// Status and Reason are Evaluate's verdict on Value against the target.
	Status Status `json:"status"`
	Reason string `json:"reason"`
	// LikelyMiss is set when the projected value misses the target.
	LikelyMiss bool `json:"likely_miss"`
}

// Project projects the year-end value of a target of the given year from this
// year's cumulative figures, and judges it as Evaluate would judge an outcome.
// The methods, stated in Method:
//   - linear on time-proportional progress (序时进度): the latest cumulative
//     figure divided by the share of the year gone by at its date;
//   - seasonal from last year, when LastYear is given: the latest figure divided
//     by the share of last year's total reached by the same day last year
//     (interpolated between last year's figures);
//   - for Growth, the projected total's growth over last year's total;
//   - for Rates, the latest year-to-date growth rate.
//
// A projection from less than a quarter of the year says so in Method. Project
// is pure: it reads no clock (AsOf is the caller's). It returns a *duban.Error
// with CodeInvalid for no figures, figures outside the year or out of order,
// values that are not finite, and a LastYear that does not end on 31 December
// of the year before.
func Project(target ingest.Expr, pol Polarity, points []Point, year int, opt ProjectOptions) (Projection, error) {
	s := opt.Settings
	var pts []Point
	for _, p := range points {
		if opt.AsOf.IsZero() || !p.Date.After(opt.AsOf) {
			pts = append(pts, p)
		}
	}
	if err := checkPoints(pts, year, "本年"); err != nil {
		return Projection{}, err
	}
	if len(pts) == 0 {
		return Projection{}, duban.Errorf(duban.CodeInvalid, "没有%d年的累计数据，无法推算", year)
	}
	last := pts[len(pts)-1]
	days := float64(daysIn(year))
	elapsed := float64(last.Date.YearDay()) / days
	var total float64
	if len(opt.LastYear) > 0 {
		if err := checkPoints(opt.LastYear, year-1, "上年"); err != nil {
			return Projection{}, err
		}
		end := opt.LastYear[len(opt.LastYear)-1]
		if end.Date.Month() != time.December || end.Date.Day() != 31 {
			return Projection{}, duban.Errorf(duban.CodeInvalid, "上年数据须以全年数（%d年12月31日）结束", year-1)
		}
		total = end.Value
	}
	if opt.Growth && !opt.Rates && (len(opt.LastYear) == 0 || total <= 0) {
		return Projection{}, duban.Errorf(duban.CodeInvalid, "增长目标须给出上年全年数（大于0）")
	}
	when := dayText(last.Date, s)
	var value float64
	var method string
	switch {
	case opt.Rates:
		value = last.Value
		method = pick(s, "按最新累计增速推算：截至"+when+"累计增长"+shown(value)+"%，按此推至年底",
			"latest year-to-date growth rate carried to the year end: "+shown(value)+"% by "+when)
	default:
		share := elapsed
		seasonal := false
		if total > 0 {
			if ly := lastYearAt(opt.LastYear, last.Date, year-1); ly > 0 {
				share, seasonal = ly/total, true
			}
		}
		value = last.Value / share
		if seasonal {
			method = pick(s, "按上年同期进度推算：上年同期完成全年的"+shown(share*100)+"%，截至"+when+"累计"+shown(last.Value)+"，预计全年"+shown(value),
				"seasonal from last year: by the same day last year "+shown(share*100)+"% of the year's total was reached; "+shown(last.Value)+" by "+when+" gives "+shown(value)+" for the year")
		} else {
			method = pick(s, "按序时进度线性推算：截至"+when+"累计"+shown(last.Value)+"，已过全年时间的"+shown(share*100)+"%，预计全年"+shown(value),
				"linear on time-proportional progress (序时进度): "+shown(last.Value)+" by "+when+", "+shown(share*100)+"% of the year, gives "+shown(value)+" for the year")
		}
		if opt.Growth {
			value = (value/total - 1) * 100
			method += pick(s, "，比上年全年"+shown(total)+"增长"+shown(value)+"%",
				", "+shown(value)+"% over last year's "+shown(total))
		}
	}
	if elapsed < 0.25 {
		method += pick(s, "（数据不足一个季度，仅供参考）", " (less than a quarter of the year: a rough guide only)")
	}
	value = round(value)
	r := judge(target, ingest.Expr{Op: ingest.OpReach, Value: &value}, pol, s, forProjection)
	return Projection{
		Value: value, Method: method, Elapsed: round(elapsed),
		Status: r.Status, Reason: r.Reason, LikelyMiss: r.Status == StatusMissed,
	}, nil
}

// checkPoints checks that points are of the year, in order and finite.
func checkPoints(pts []Point, year int, which string) error {
	for i, p := range pts {
		if p.Date.Year() != year {
			return duban.Errorf(duban.CodeInvalid, "%s数据的日期%s不在%d年内", which, p.Date.Format("2006-01-02"), year)
		}
		if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
			return duban.Errorf(duban.CodeInvalid, "%s数据（%s）不是有效数值", which, p.Date.Format("2006-01-02"))
		}
		if i > 0 && !p.Date.After(pts[i-1].Date) {
			return duban.Errorf(duban.CodeInvalid, "%s数据须按日期先后排列，%s重复或顺序颠倒", which, p.Date.Format("2006-01-02"))
		}
	}
	return nil
}

// lastYearAt returns last year's cumulative figure on the same month and day as
// d (28 February for 29 February), interpolated linearly between last year's
// figures from zero on 1 January; 0 if it cannot be had.
func lastYearAt(ly []Point, d time.Time, year int) float64 {
	month, day := d.Month(), d.Day()
	if month == time.February && day == 29 && daysIn(year) == 365 {
		day = 28
	}
	at := float64(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).YearDay())
	prevDay, prevValue := 0.0, 0.0
	for _, p := range ly {
		pd := float64(p.Date.YearDay())
		if pd == at {
			return p.Value
		}
		if pd > at {
			return prevValue + (p.Value-prevValue)*(at-prevDay)/(pd-prevDay)
		}
		prevDay, prevValue = pd, p.Value
	}
	return 0
}

func daysIn(year int) int {
	return time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC).YearDay()
}

func dayText(d time.Time, s Settings) string {
	if s.en() {
		return strconv.Itoa(d.Day()) + " " + d.Month().String()
	}
	return strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日"
}

// round keeps two decimals, or three significant digits below 1.
func round(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
		return v
	}
	dec := 2
	if a := math.Abs(v); a < 1 {
		dec = 2 - int(math.Floor(math.Log10(a)))
	}
	if dec > 15 {
		return v
	}
	p := math.Pow(10, float64(dec))
	return math.Round(v*p) / p
}

func shown(v float64) string { return num(round(v)) }
