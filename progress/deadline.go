package progress

import (
	"strings"
	"unicode"

	"duban/calendar"
)

// ParseDeadline reads the 完成时限 of a task as decompositions write it and
// returns the day it falls on, as YYYY-MM-DD. year is the ledger's year, used
// where the text names none. It reads:
//   - a month: "6月", "6月底", "6月底前", "6月份", "十二月底", "12月末" → its
//     last day; "9月上旬" → the 10th, "9月中旬" → the 20th, "9月下旬" → the
//     last day; "6月前" counts as the end of June, the lenient reading, so
//     that nobody is marked late on a reading of the text;
//   - a day: "9月30日", "9月30号", "2024年9月30日前", "2024-09-30", "2024.9.30";
//   - a quarter: "一季度", "第三季度", "3季度", "三季度末", "Q3" → its last day;
//   - a half or the year: "上半年", "年中" → 30 June; "下半年", "年底", "年底前",
//     "年末", "年内", "全年" → 31 December;
//   - a year: "2024年", "2024年底", "2025年6月", "明年", "次年3月" (the year
//     after year), "今年"; a year of its own is its 31 December. A written
//     year stays in force for the months after it.
//
// When the text names several days ("6月底前完成设计，12月底前开工", "2024-2026年")
// the latest counts. Text with no day in it ("长期坚持", "持续推进", "按上级要求",
// "") gives ok false: then the year end counts. A day that does not exist
// (2月30日), and a day outside the years calendar.MinYear to calendar.MaxYear
// (1900–2200), is skipped. Full-width digits and white space are accepted.
// ParseDeadline never panics.
func ParseDeadline(text string, year int) (date string, ok bool) {
	d := parseDeadline(text, year)
	if d.IsZero() {
		return "", false
	}
	return d.String(), true
}

// deadlineWords name a day of the year without a month: what they mean, as a
// month and day (0: the month's last day).
var deadlineWords = []struct {
	word       string
	month, day int
}{
	{"上半年", 6, 0}, {"下半年", 12, 0}, {"年中", 6, 0},
	{"年底", 12, 0}, {"年末", 12, 0}, {"年内", 12, 0}, {"全年", 12, 0},
	{"一季度", 3, 0}, {"二季度", 6, 0}, {"三季度", 9, 0}, {"四季度", 12, 0},
	{"1季度", 3, 0}, {"2季度", 6, 0}, {"3季度", 9, 0}, {"4季度", 12, 0},
	{"Q1", 3, 0}, {"Q2", 6, 0}, {"Q3", 9, 0}, {"Q4", 12, 0},
	{"q1", 3, 0}, {"q2", 6, 0}, {"q3", 9, 0}, {"q4", 12, 0},
}

// parseDeadline returns the latest day text names, or the zero Date.
func parseDeadline(text string, year int) calendar.Date {
	rs := normalize(text)
	var latest calendar.Date
	keep := func(y, m, d int) {
		if y < calendar.MinYear || y > calendar.MaxYear || m < 1 || m > 12 {
			return
		}
		last := calendar.DaysInMonth(y, m)
		if d == 0 {
			d = last
		}
		if d < 1 || d > last {
			return
		}
		if v := calendar.NewDate(y, m, d); v.After(latest) {
			latest = v
		}
	}
	ctx := year // the year in force
	for i := 0; i < len(rs); {
		// A written year: 2024年, 2024-09-30, 2024.9, 2024/9/30.
		if y, n := yearAt(rs, i); n > 0 {
			j := i + n
			if j < len(rs) && rs[j] == '年' {
				ctx = y
				i = j + 1
				if i == len(rs) || !startsDay(rs, i) {
					keep(y, 12, 0)
				}
				continue
			}
			if j < len(rs) && (rs[j] == '-' || rs[j] == '.' || rs[j] == '/') {
				if m, k := number(rs, j+1, 2); k > 0 {
					day, p := 0, j+1+k
					if p < len(rs) && rs[p] == rs[j] {
						if dd, k2 := number(rs, p+1, 2); k2 > 0 {
							day, p = dd, p+1+k2
						}
					}
					if m >= 1 && m <= 12 {
						keep(y, m, day)
						ctx = y
					}
					i = p
					continue
				}
			}
		}
		switch {
		case hasAt(rs, i, "明年") || hasAt(rs, i, "次年") || hasAt(rs, i, "来年"):
			ctx = year + 1
			i += 2
			if i == len(rs) || !startsDay(rs, i) {
				keep(ctx, 12, 0)
			}
			continue
		case hasAt(rs, i, "今年") || hasAt(rs, i, "当年") || hasAt(rs, i, "本年"):
			ctx = year
			i += 2
			if i == len(rs) || !startsDay(rs, i) {
				keep(ctx, 12, 0)
			}
			continue
		}
		if m, n := monthAt(rs, i); n > 0 {
			j := i + n
			day := 0
			switch {
			case hasAt(rs, j, "上旬") || hasAt(rs, j, "初"):
				day = 10
			case hasAt(rs, j, "中旬") || (hasAt(rs, j, "中") && !hasAt(rs, j, "中下旬")):
				day = 20
			default:
				if d, k := dayAt(rs, j); k > 0 {
					day = d
					j += k
				}
			}
			keep(ctx, m, day)
			i = j
			continue
		}
		matched := false
		for _, w := range deadlineWords {
			if hasAt(rs, i, w.word) {
				// 三年内 and 两年内 are spans, not this year's end.
				if w.word == "年内" && i > 0 && isNumeral(rs[i-1]) {
					break
				}
				keep(ctx, w.month, w.day)
				i += len([]rune(w.word))
				matched = true
				break
			}
		}
		if !matched {
			i++
		}
	}
	return latest
}

// normalize turns full-width digits and letters into ASCII and drops white
// space.
func normalize(text string) []rune {
	rs := make([]rune, 0, len(text))
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r == 'Ｑ' || r == 'ｑ':
			r = 'Q'
		case r == '－' || r == '—' || r == '–' || r == '～' || r == '~':
			r = '~' // a range, never a date separator
		case r == '．':
			r = '.'
		case r == '／':
			r = '/'
		}
		rs = append(rs, r)
	}
	return rs
}

func hasAt(rs []rune, i int, w string) bool {
	for _, r := range w {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isNumeral(r rune) bool {
	return isDigit(r) || strings.ContainsRune("一二三四五六七八九十两〇零", r)
}

// number reads up to max ASCII digits at i; n is how many it read.
func number(rs []rune, i, max int) (v, n int) {
	for n < max && i+n < len(rs) && isDigit(rs[i+n]) {
		v = v*10 + int(rs[i+n]-'0')
		n++
	}
	if i+n < len(rs) && isDigit(rs[i+n]) {
		return 0, 0 // longer than max: not this kind of number
	}
	return v, n
}

// yearAt reads a year of four digits at i, from calendar.MinYear to
// calendar.MaxYear, not part of a longer number.
func yearAt(rs []rune, i int) (y, n int) {
	if i > 0 && isDigit(rs[i-1]) {
		return 0, 0
	}
	y, n = number(rs, i, 4)
	if n != 4 || y < calendar.MinYear || y > calendar.MaxYear {
		return 0, 0
	}
	return y, n
}

// startsDay reports whether a month, a quarter or a word for a part of the
// year starts at i.
func startsDay(rs []rune, i int) bool {
	if _, n := monthAt(rs, i); n > 0 {
		return true
	}
	if hasAt(rs, i, "第") {
		i++
	}
	for _, w := range deadlineWords {
		if hasAt(rs, i, w.word) {
			return true
		}
	}
	return false
}

var chineseDigits = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads a Chinese numeral from 一 to 三十九 at i.
func chineseNumber(rs []rune, i int) (v, n int) {
	if i < len(rs) && rs[i] == '十' {
		v, n = 10, 1
		if d, ok := chineseDigits[at(rs, i+1)]; ok {
			v, n = 10+d, 2
		}
		return v, n
	}
	d, ok := chineseDigits[at(rs, i)]
	if !ok {
		return 0, 0
	}
	if at(rs, i+1) == '十' && d <= 3 {
		v, n = d*10, 2
		if e, ok := chineseDigits[at(rs, i+2)]; ok {
			v, n = d*10+e, 3
		}
		return v, n
	}
	return d, 1
}

func at(rs []rune, i int) rune {
	if i < 0 || i >= len(rs) {
		return 0
	}
	return rs[i]
}

// monthAt reads a month at i: "6月", "12月", "十二月", "元月", not part of a
// longer number ("2024年" has been read before) nor a count of months (6个月).
func monthAt(rs []rune, i int) (m, n int) {
	if i > 0 && isNumeral(rs[i-1]) {
		return 0, 0
	}
	if hasAt(rs, i, "元月") {
		return 1, 2
	}
	if isDigit(at(rs, i)) {
		m, n = number(rs, i, 2)
	} else {
		m, n = chineseNumber(rs, i)
	}
	if n == 0 || at(rs, i+n) != '月' || m < 1 || m > 12 {
		return 0, 0
	}
	return m, n + 1
}

// dayAt reads a day of the month at i: "30日", "30号", "三十日".
func dayAt(rs []rune, i int) (d, n int) {
	if isDigit(at(rs, i)) {
		d, n = number(rs, i, 2)
	} else {
		d, n = chineseNumber(rs, i)
	}
	if n == 0 || (at(rs, i+n) != '日' && at(rs, i+n) != '号') {
		return 0, 0
	}
	return d, n + 1
}
