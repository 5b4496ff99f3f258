package calendar

import (
	"time"

	"duban"
)

// Calendar is an organisation's working calendar: Monday to Friday are working
// days, Saturday and Sunday are not, except where a duban.CalendarDay says
// otherwise (a public holiday on a weekday, a weekend day worked in exchange,
// 调休). The zero Calendar is the plain working week. A Calendar is not changed
// after New and may be shared between goroutines.
type Calendar struct {
	except map[Date]exception
}

type exception struct {
	working bool
	name    string
}

// New returns the calendar of the given exceptions. A date that does not parse,
// and a date listed twice as both working and not, give a *duban.Error with
// CodeInvalid.
func New(days []duban.CalendarDay) (Calendar, error) {
	if len(days) == 0 {
		return Calendar{}, nil
	}
	m := make(map[Date]exception, len(days))
	for _, cd := range days {
		d, err := Parse(cd.Date)
		if err != nil {
			return Calendar{}, duban.Errorf(duban.CodeInvalid, "节假日设置有误：%s", duban.ErrorMessage(err))
		}
		if old, ok := m[d]; ok && old.working != cd.Working {
			return Calendar{}, duban.Errorf(duban.CodeInvalid, "节假日设置有误：%s既设为工作日又设为休息日", d)
		}
		m[d] = exception{working: cd.Working, name: cd.Name}
	}
	return Calendar{except: m}, nil
}

// IsWorkingDay reports whether d is a working day.
func (c Calendar) IsWorkingDay(d Date) bool {
	if e, ok := c.except[d]; ok {
		return e.working
	}
	w := d.Weekday()
	return w != time.Saturday && w != time.Sunday
}

// DayName returns the name the calendar gives d (国庆节, 国庆节调休), or "" when
// d is an ordinary day.
func (c Calendar) DayName(d Date) string { return c.except[d].name }

// NextWorkingDay returns the first working day after d.
func (c Calendar) NextWorkingDay(d Date) Date {
	for {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			return d
		}
	}
}

// PrevWorkingDay returns the last working day before d.
func (c Calendar) PrevWorkingDay(d Date) Date {
	for {
		d = d.AddDays(-1)
		if c.IsWorkingDay(d) {
			return d
		}
	}
}

// AddWorkingDays returns the day n working days after d: AddWorkingDays(d, 1)
// is NextWorkingDay(d) whether or not d is a working day itself. A negative n
// counts back from d; n = 0 returns d unchanged.
func (c Calendar) AddWorkingDays(d Date, n int) Date {
	for ; n > 0; n-- {
		d = c.NextWorkingDay(d)
	}
	for ; n < 0; n++ {
		d = c.PrevWorkingDay(d)
	}
	return d
}

// WorkingDaysBetween returns the number of working days after from up to and
// including to, so that WorkingDaysBetween(d, c.AddWorkingDays(d, n)) is n for
// n ≥ 0. It is negative when to is before from.
func (c Calendar) WorkingDaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkingDaysBetween(to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
