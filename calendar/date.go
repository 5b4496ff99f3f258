package calendar

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"duban"
)

// Date is a civil date: a day in the organisation's time zone, not an instant.
// The zero Date is no date at all: IsZero reports it and String gives "".
// Dates compare with == and with Compare, Before and After.
type Date struct {
	// n counts days from 0001-01-01, which is 1, so that 0 is the zero Date.
	n int
}

// unixShift is the day number of 1970-01-01.
const unixShift = 719163

// NewDate returns the date of year, month and day, normalised as time.Date
// normalises them: NewDate(2024, 2, 30) is 2024-03-01, NewDate(2024, 3, 0) is
// 2024-02-29.
func NewDate(year, month, day int) Date {
	if year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month) {
		// The days of the years before, of the months before, and the day.
		y := year - 1
		n := 365*y + y/4 - y/100 + y/400 + daysBefore[month-1] + day
		if month > 2 && DaysInMonth(year, 2) == 29 {
			n++
		}
		return Date{n: n}
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return Date{n: int(t.Unix()/86400) + unixShift}
}

// daysBefore[m] is the number of days before month m+1 in a common year.
var daysBefore = [12]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// DateOf returns the day of t in t's own location: convert t with In to the
// organisation's time zone first.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, int(m), d)
}

// Parse reads a date written as YYYY-MM-DD ("2024-07-05"), white space around
// it ignored. Anything else, and a day the month does not have, gives a
// *duban.Error with CodeInvalid whose message names the value.
func Parse(s string) (Date, error) {
	t := strings.TrimSpace(s)
	if len(t) != 10 || t[4] != '-' || t[7] != '-' {
		return Date{}, invalidDate(s, "应为“年-月-日”格式，如2024-07-05")
	}
	y, ok1 := digits(t[0:4])
	m, ok2 := digits(t[5:7])
	d, ok3 := digits(t[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, invalidDate(s, "应为“年-月-日”格式，如2024-07-05")
	}
	switch {
	case y == 0:
		return Date{}, invalidDate(s, "年份不能为0000")
	case m < 1 || m > 12:
		return Date{}, invalidDate(s, "月份应为01至12")
	case d < 1 || d > DaysInMonth(y, m):
		return Date{}, invalidDate(s, strconv.Itoa(y)+"年"+strconv.Itoa(m)+"月没有"+strconv.Itoa(d)+"日")
	}
	return NewDate(y, m, d), nil
}

// MustParse is Parse for dates written in code and tests; it panics on a bad
// date.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// invalidDate names the bad value in the message, shortened and made valid
// UTF-8 so that the message can be shown as is.
func invalidDate(s, why string) *duban.Error {
	v := strings.ToValidUTF8(s, "�")
	if utf8.RuneCountInString(v) > 40 {
		v = string([]rune(v)[:40]) + "…"
	}
	return duban.Errorf(duban.CodeInvalid, "日期“%s”无效：%s", v, why)
}

// DaysInMonth returns the number of days of month (1–12) of year.
func DaysInMonth(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.n == 0 }

func (d Date) time() time.Time {
	return time.Unix(int64(d.n-unixShift)*86400, 0).UTC()
}

// Year returns d's year.
func (d Date) Year() int { return d.time().Year() }

// Month returns d's month, 1 to 12.
func (d Date) Month() int { return int(d.time().Month()) }

// Day returns d's day of the month.
func (d Date) Day() int { return d.time().Day() }

// Parts returns d's year, month and day.
func (d Date) Parts() (year, month, day int) {
	y, m, dd := d.time().Date()
	return y, int(m), dd
}

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (d.n - unixShift + int(time.Thursday)) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns the date n days after d (before it for negative n).
func (d Date) AddDays(n int) Date { return Date{n: d.n + n} }

// Sub returns the number of days from e to d: positive when d is later.
func (d Date) Sub(e Date) int { return d.n - e.n }

// Compare returns -1, 0 or +1 as d is before, the same as or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// Equal reports whether d and e are the same day, as d == e does.
func (d Date) Equal(e Date) bool { return d.n == e.n }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// String returns d as YYYY-MM-DD, and "" for the zero Date.
func (d Date) String() string {
	if d.n == 0 {
		return ""
	}
	y, m, dd := d.Parts()
	if y < 0 || y > 9999 {
		return d.time().Format("2006-01-02")
	}
	b := make([]byte, 10)
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[7] = '-', '-'
	b[5], b[6] = byte('0'+m/10), byte('0'+m%10)
	b[8], b[9] = byte('0'+dd/10), byte('0'+dd%10)
	return string(b)
}

// MarshalText writes d as String does.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date as Parse does; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
