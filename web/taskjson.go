package web

import (
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"duban"
)

// The task list is the busiest answer of the API: a district's 250 tasks are a
// quarter of a megabyte of JSON, and encoding/json spends most of a request
// on reflection. appendTask writes exactly what json.Marshal writes for a
// duban.Task (TestTaskJSONMatchesEncodingJSON holds it to that, field by
// field), without reflection.

// appendTaskList appends the JSON of a page of tasks, as json.Marshal writes
// taskList, and a newline.
func appendTaskList(b []byte, l taskList) []byte {
	// A task is about a kilobyte of JSON: grow once, not log(n) times.
	b = slices.Grow(b, 1024*len(l.Tasks)+64)
	b = append(b, `{"tasks":[`...)
	for i, t := range l.Tasks {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTask(b, t)
	}
	b = append(b, `],"total":`...)
	b = strconv.AppendInt(b, int64(l.Total), 10)
	b = append(b, `,"limit":`...)
	b = strconv.AppendInt(b, int64(l.Limit), 10)
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, int64(l.Offset), 10)
	return append(b, "}\n"...)
}

// appendTask appends the JSON of t, as json.Marshal writes it.
func appendTask(b []byte, t *duban.Task) []byte {
	if t == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, t.ID, 10)
	b = append(b, `,"org_id":`...)
	b = strconv.AppendInt(b, t.OrgID, 10)
	b = append(b, `,"document_id":`...)
	b = appendInt64Ptr(b, t.DocumentID)
	b = append(b, `,"year":`...)
	b = strconv.AppendInt(b, int64(t.Year), 10)
	b = appendKeyString(b, `,"section":`, t.Section)
	b = appendKeyString(b, `,"subsection":`, t.Subsection)
	b = append(b, `,"number":`...)
	b = strconv.AppendInt(b, int64(t.Number), 10)
	b = appendKeyString(b, `,"content":`, t.Content)
	b = appendKeyString(b, `,"note":`, t.Note)
	b = appendKeyString(b, `,"deadline":`, t.Deadline)
	b = append(b, `,"source_line":`...)
	b = strconv.AppendInt(b, int64(t.SourceLine), 10)
	b = append(b, `,"leader_ids":`...)
	b = appendInt64s(b, t.LeaderIDs)
	b = append(b, `,"lead_unit_ids":`...)
	b = appendInt64s(b, t.LeadUnitIDs)
	b = append(b, `,"responsible_unit_ids":`...)
	b = appendInt64s(b, t.ResponsibleUnitIDs)
	b = append(b, `,"leaders":`...)
	b = appendStrings(b, t.Leaders)
	b = append(b, `,"lead_units":`...)
	b = appendStrings(b, t.LeadUnits)
	b = append(b, `,"responsible_units":`...)
	b = appendStrings(b, t.ResponsibleUnits)
	b = append(b, `,"targets":`...)
	if t.Targets == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range t.Targets {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendTarget(b, &t.Targets[i])
		}
		b = append(b, ']')
	}
	b = appendKeyString(b, `,"status":`, string(t.Status))
	b = appendKeyString(b, `,"light":`, string(t.Light))
	b = append(b, `,"light_rules":`...)
	b = appendStrings(b, t.LightRules)
	b = append(b, `,"expected":`...)
	b = appendFloatPtr(b, t.Expected)
	b = append(b, `,"actual":`...)
	b = appendFloatPtr(b, t.Actual)
	b = append(b, `,"closed_at":`...)
	b = appendTimePtr(b, t.ClosedAt)
	b = append(b, `,"closed_by":`...)
	b = appendInt64Ptr(b, t.ClosedBy)
	b = appendKeyString(b, `,"close_reason":`, t.CloseReason)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(t.Version), 10)
	b = append(b, `,"created_at":`...)
	b = appendTime(b, t.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendTime(b, t.UpdatedAt)
	return append(b, '}')
}

func appendTarget(b []byte, g *duban.Target) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, g.ID, 10)
	b = append(b, `,"year":`...)
	b = strconv.AppendInt(b, int64(g.Year), 10)
	b = appendKeyString(b, `,"subject":`, g.Subject)
	b = appendKeyString(b, `,"measure":`, g.Measure)
	b = appendKeyString(b, `,"op":`, g.Op)
	b = append(b, `,"value":`...)
	b = appendFloatPtr(b, g.Value)
	b = appendKeyString(b, `,"unit":`, g.Unit)
	b = appendKeyString(b, `,"text":`, g.Text)
	return append(b, '}')
}

func appendKeyString(b []byte, key, s string) []byte {
	return appendString(append(b, key...), s)
}

func appendInt64Ptr(b []byte, p *int64) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *p, 10)
}

func appendFloatPtr(b []byte, p *float64) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	return appendFloat(b, *p)
}

func appendTimePtr(b []byte, p *time.Time) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	return appendTime(b, *p)
}

func appendInt64s(b []byte, v []int64) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, n := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, n, 10)
	}
	return append(b, ']')
}

func appendStrings(b []byte, v []string) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendTime writes a time as time.Time's MarshalJSON does: RFC 3339 with
// nanoseconds as needed. Times outside years 0–9999, which MarshalJSON
// refuses, never come out of a store; they are written as they format.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendFloat writes a number as encoding/json does: the shortest
// representation, in exponent form only for very small or large magnitudes.
// NaN and infinities, which JSON cannot hold, are written as null.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does by
// default: ", \ and control characters escaped, <, > and & as \u003c…,
// U+2028 and U+2029 escaped, and invalid UTF-8 replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		return appendInvalidString(b, s)
	}
	// Valid UTF-8, as stored text is: copy runs of bytes, stopping only at
	// ASCII that needs escaping and at U+2028 and U+2029 (E2 80 A8/A9).
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plainByte[c] {
			continue
		}
		if c >= utf8.RuneSelf { // 0xE2, the first byte of U+2028 and U+2029
			if i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 {
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]-0xA0])
				i += 2
				start = i + 1
			}
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscapedASCII(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainByte tells the bytes of valid UTF-8 that appendString copies as they
// are: all but control characters, ", \\, <, >, & and 0xE2.
var plainByte = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0xE2
	}
	return t
}()

// appendEscapedASCII writes the escape of an ASCII byte that JSON strings
// may not hold as is, or that encoding/json escapes for HTML.
func appendEscapedASCII(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// appendInvalidString is appendString for text that is not valid UTF-8: each
// invalid byte becomes U+FFFD, as encoding/json writes it.
func appendInvalidString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedASCII(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
