package export

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// openDeadlines are the 完成时限 that are not dates and are kept as written:
// the documents set them for tasks without a day.
var openDeadlines = []string{
	"年底前", "年内", "年底", "全年", "长期坚持", "长期", "持续推进", "持续开展", "常态化推进", "常态化", "按进度推进", "按序时推进",
}

// ParseDeadline reads a 完成时限 as written in a ledger's cell and returns
// the text duban keeps: a date as 2006-01-02, or a recognised non-date
// ("年底前", "长期坚持") as written, trimmed. year is the ledger's, for a
// date without one ("12月31日"). It reads Excel's serial days (45657), ISO
// and slashed or dotted dates (2024-12-31, 2024/12/31, 2024.12.31) and the
// Chinese forms 2024年12月31日, 2024年12月底 (or 末, or 2024年12月: the
// month's last day), 12月31日 and 12月底. An empty cell is "". ok is false
// for anything else, and for a day that does not exist.
func ParseDeadline(s string, year int) (text string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	for _, o := range openDeadlines {
		if s == o {
			return s, true
		}
	}
	if n, err := strconv.Atoi(s); err == nil {
		// Excel's serial day; day 1 is 1900-01-01, counting a 29 February
		// 1900 that never was, so only days from 1 March 1900 are read.
		if n < 61 || n > 2958465 {
			return "", false
		}
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format(time.DateOnly), true
	}
	y, rest, hasYear := leadingNumber(s, 4)
	if hasYear && len(s)-len(rest) != 4 {
		hasYear, rest = false, s // a month, not a year
	}
	if hasYear {
		switch {
		case strings.HasPrefix(rest, "年"):
			rest = rest[len("年"):]
		case strings.HasPrefix(rest, "-"), strings.HasPrefix(rest, "/"), strings.HasPrefix(rest, "."):
			sep := rest[:1]
			m, r2, ok1 := leadingNumber(rest[1:], 2)
			if !ok1 || !strings.HasPrefix(r2, sep) {
				return "", false
			}
			d, r3, ok2 := leadingNumber(r2[1:], 2)
			if !ok2 || r3 != "" {
				return "", false
			}
			return dateText(y, m, d)
		default:
			return "", false
		}
	} else {
		y = year
	}
	m, rest, ok := leadingNumber(rest, 2)
	if !ok || !strings.HasPrefix(rest, "月") {
		return "", false
	}
	rest = rest[len("月"):]
	switch rest {
	case "", "底", "末", "底前", "末前":
		if !hasYear && rest == "" {
			return "", false // "12月" alone is too little
		}
		if m < 1 || m > 12 || y < 1900 || y > 9999 {
			return "", false
		}
		return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), true
	}
	d, rest, ok := leadingNumber(rest, 2)
	if !ok || (rest != "日" && rest != "号" && rest != "日前") {
		return "", false
	}
	return dateText(y, m, d)
}

// dateText writes a day that exists as 2006-01-02.
func dateText(y, m, d int) (string, bool) {
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false // 2月30日
	}
	return t.Format(time.DateOnly), true
}

// leadingNumber reads 1 to max ASCII digits at the start of s.
func leadingNumber(s string, max int) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && i < max && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 || (i < len(s) && s[i] >= '0' && s[i] <= '9') {
		return 0, s, false
	}
	return n, s[i:], utf8.ValidString(s)
}
