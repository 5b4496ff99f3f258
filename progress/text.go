package progress

import (
	"math"
	"strconv"
	"strings"

	"duban/calendar"
)

func itoa(n int) string { return strconv.Itoa(n) }

// days writes a number of days in English.
func days(n int) string { return itoa(n) + plural(n, " day", " days") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// round1 keeps one decimal.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// num writes a figure without needless decimals: 50, 5.5, 0.35.
func num(v float64) string {
	if math.Abs(v) < 1e14 {
		v = math.Round(v*10000) / 10000
		// Whole numbers and one decimal, the usual figures, without the
		// cost of the shortest representation.
		if r := v * 10; r == math.Trunc(r) {
			n, sign := int(r), ""
			if n < 0 {
				n, sign = -n, "-"
			}
			if n%10 == 0 {
				return sign + strconv.Itoa(n/10)
			}
			return sign + strconv.Itoa(n/10) + "." + string(rune('0'+n%10))
		}
	}
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// pct writes a percentage with at most one decimal: 62%, 44.5%.
func pct(v float64) string { return num(round1(v)) + "%" }

// pp writes a number of percentage points.
func pp(v float64) string { return num(round1(v)) }

func figureText(v float64, unit string) string { return num(v) + unit }

var englishMonths = [13]string{"", "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// zhDay writes a day in Chinese, without its year when that is year: 3月28日,
// 2025年1月10日.
func zhDay(d calendar.Date, year int) string {
	y, m, day := d.Parts()
	s := itoa(m) + "月" + itoa(day) + "日"
	if y != year {
		s = itoa(y) + "年" + s
	}
	return s
}

// enDay writes a day in English, without its year when that is year: 28
// March, 10 January 2025.
func enDay(d calendar.Date, year int) string {
	y, m, day := d.Parts()
	s := itoa(day) + " " + englishMonths[m]
	if y != year {
		s += " " + itoa(y)
	}
	return s
}

// labels are the names of a cycle in rules: "3月" and "the March 2024".
type labels struct{ zh, en string }

// cycleLabel shortens a cycle's label for rules about a task of year:
// "2024年3月" is "3月" in Chinese.
func cycleLabel(label string, year int) labels {
	zh := strings.TrimPrefix(label, itoa(year)+"年")
	if zh == "" {
		zh = label
	}
	return labels{zh: zh, en: "the " + calendar.EnglishLabel(label)}
}

// label names the cycle of a report, or the latest report when it has none.
func (d *deriver) label(r *report) labels {
	if r.cycle >= 0 {
		return cycleLabel(d.cycles[r.cycle].c.Label, d.year)
	}
	return labels{zh: "最近一期", en: "the latest"}
}
