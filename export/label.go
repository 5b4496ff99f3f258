package export

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"duban"
	"duban/docx"
)

// statusLabel returns a task status in the words of a ledger.
func statusLabel(s duban.TaskStatus) string {
	switch s {
	case duban.StatusNotStarted:
		return "未启动"
	case duban.StatusOnTrack:
		return "正常推进"
	case duban.StatusBehind:
		return "滞后"
	case duban.StatusDone:
		return "已完成"
	case duban.StatusClosed:
		return "已销号"
	}
	return "—"
}

// lightLabel returns a light in one word: 红, 黄, 绿, or a dash for none.
func lightLabel(l duban.Light) string {
	switch l {
	case duban.LightRed:
		return "红"
	case duban.LightYellow:
		return "黄"
	case duban.LightGreen:
		return "绿"
	}
	return "—"
}

// lightShade returns the cell colour of a light, the same in Word and Excel;
// "" for none.
func lightShade(l duban.Light) docx.Shade {
	switch l {
	case duban.LightRed:
		return docx.ShadeRed
	case duban.LightYellow:
		return docx.ShadeYellow
	case duban.LightGreen:
		return docx.ShadeGreen
	}
	return ""
}

// sectionNumber reads the ordinal of a section heading written "一、…" or
// "十二、…"; ok is false when the heading does not start with one.
func sectionNumber(heading string) (n int, ok bool) {
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	s := strings.TrimSpace(heading)
	i := strings.IndexAny(s, "、.．")
	if i <= 0 {
		return 0, false
	}
	num := []rune(s[:i])
	if v, err := strconv.Atoi(string(num)); err == nil && v > 0 {
		return v, true
	}
	tens, units, seenTen := 0, 0, false
	for _, r := range num {
		switch {
		case r == '十' && !seenTen:
			seenTen = true
			tens = max(units, 1)
			units = 0
		case digits[r] > 0 && units == 0:
			units = digits[r]
		default:
			return 0, false
		}
	}
	n = tens*10 + units
	return n, n > 0
}

// taskNumber returns the 序号 of a task: its section's ordinal and its number
// within the section, "3.12"; just the number when the section has none.
func taskNumber(section int, t *duban.Task) string {
	if section <= 0 {
		return strconv.Itoa(t.Number)
	}
	return strconv.Itoa(section) + "." + strconv.Itoa(t.Number)
}

// joinNames joins the names of a cell, one a line as the decomposition lists
// them.
func joinNames(names []string) string { return strings.Join(names, "\n") }

// formatFigure writes a figure or a target value without trailing zeros,
// rounded to 15 significant digits so that arithmetic's last bits do not
// show (3.91, not 3.9099999999999997), and never as "-0".
func formatFigure(v float64) string {
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if v == 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// figuresText returns a task's targets, each with the latest figure a report
// gives for it: "新增首店品牌50个；最新42个（1-10月累计）", one a line.
func figuresText(t *duban.Task, r *duban.Report) string {
	var lines []string
	for _, tg := range t.Targets {
		line := tg.Text
		if line == "" {
			line = tg.Subject
		}
		if r != nil {
			for _, f := range r.Figures {
				if f.TargetID != 0 && f.TargetID == tg.ID {
					line += "；最新" + formatFigure(f.Value) + tg.Unit
					if f.Note != "" {
						line += "（" + f.Note + "）"
					}
					break
				}
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// localDate returns the civil date of t in loc as "2024-11-26", "" for nil.
func localDate(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.DateOnly)
}

// chineseDate writes a day as official documents do: "2024年11月15日".
func chineseDate(t time.Time) string {
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// location returns the location of t, which carries the organisation's time
// zone into the package without a setting.
func location(t time.Time) *time.Location { return t.Location() }

// cleanCell makes s fit a spreadsheet cell: "\r\n" becomes "\n", characters
// XML cannot hold are dropped, and the text is cut at the 32,767 characters a
// cell holds, ending with "…".
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == utf8.RuneError || !xmlChar(r) {
			continue
		}
		if n == maxCellChars-1 {
			b.WriteRune('…')
			break
		}
		b.WriteRune(r)
		// Excel counts UTF-16 units.
		n += utf16Len(r)
	}
	return b.String()
}

// maxCellChars is the most a cell holds, in UTF-16 units.
const maxCellChars = 32767

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// xmlChar reports whether r is a character of XML 1.0.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= unicode.MaxRune
}

// normalizeText is how texts are compared on re-import: line ends unified,
// spaces trimmed at the ends of the text and of each line.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
