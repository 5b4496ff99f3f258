package calendar_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/calendar"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string // a part of the message
	}{
		{in: "2024-07-05", want: "2024-07-05"},
		{in: " 2024-02-29\n", want: "2024-02-29"},
		{in: "2000-02-29", want: "2000-02-29"},
		{in: "0001-01-01", want: "0001-01-01"},
		{in: "9999-12-31", want: "9999-12-31"},
		{in: "2023-02-29", wantErr: "日期“2023-02-29”无效：2023年2月没有29日"},
		{in: "1900-02-29", wantErr: "1900年2月没有29日"},
		{in: "2024-04-31", wantErr: "2024年4月没有31日"},
		{in: "2024-13-01", wantErr: "月份应为01至12"},
		{in: "2024-00-10", wantErr: "月份应为01至12"},
		{in: "2024-01-00", wantErr: "2024年1月没有0日"},
		{in: "0000-01-01", wantErr: "年份不能为0000"},
		{in: "2024-7-5", wantErr: "日期“2024-7-5”无效：应为“年-月-日”格式"},
		{in: "2024/07/05", wantErr: "应为“年-月-日”格式"},
		{in: "2024年7月5日", wantErr: "日期“2024年7月5日”无效"},
		{in: "+024-07-05", wantErr: "应为“年-月-日”格式"},
		{in: "", wantErr: "日期“”无效"},
		{in: strings.Repeat("9", 50), wantErr: "…"},
		{in: "2024-07-0\xff", wantErr: "2024-07-0�"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := calendar.Parse(tt.in)
			if tt.wantErr != "" {
				if duban.ErrorCode(err) != duban.CodeInvalid || !strings.Contains(duban.ErrorMessage(err), tt.wantErr) {
					t.Errorf("Parse(%q) = %v, %v; want a CodeInvalid error with %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("Parse(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	d := calendar.MustParse("2024-02-28")
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"add one", d.AddDays(1).String(), "2024-02-29"},
		{"add two", d.AddDays(2).String(), "2024-03-01"},
		{"back a year", d.AddDays(-365).String(), "2023-02-28"},
		{"sub", calendar.MustParse("2025-01-01").Sub(d), 308},
		{"sub negative", d.Sub(calendar.MustParse("2025-01-01")), -308},
		{"weekday", d.Weekday(), time.Wednesday},
		{"weekday 1970", calendar.MustParse("1970-01-01").Weekday(), time.Thursday},
		{"weekday 1900", calendar.MustParse("1900-01-01").Weekday(), time.Monday},
		{"weekday national day", calendar.MustParse("2024-10-01").Weekday(), time.Tuesday},
		{"compare before", d.Compare(d.AddDays(1)), -1},
		{"compare same", d.Compare(calendar.MustParse("2024-02-28")), 0},
		{"compare after", d.Compare(d.AddDays(-1)), 1},
		{"before", d.Before(d.AddDays(1)), true},
		{"after", d.After(d.AddDays(1)), false},
		{"equal", d == calendar.NewDate(2024, 2, 28), true},
		{"normalised day", calendar.NewDate(2024, 2, 30).String(), "2024-03-01"},
		{"normalised zero day", calendar.NewDate(2024, 3, 0).String(), "2024-02-29"},
		{"normalised month", calendar.NewDate(2024, 13, 1).String(), "2025-01-01"},
		{"year", d.Year(), 2024},
		{"month", d.Month(), 2},
		{"day", d.Day(), 28},
		{"zero", calendar.Date{}.IsZero(), true},
		{"zero string", calendar.Date{}.String(), ""},
		{"not zero", calendar.MustParse("0001-01-01").IsZero(), false},
		{"days in February", calendar.DaysInMonth(2024, 2), 29},
		{"days in February 2100", calendar.DaysInMonth(2100, 2), 28},
		{"days in April", calendar.DaysInMonth(2024, 4), 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	at := time.Date(2024, 3, 28, 16, 30, 0, 0, time.UTC) // 00:30 on 29 March in Beijing
	if got := calendar.DateOf(at).String(); got != "2024-03-28" {
		t.Errorf("DateOf(UTC) = %s, want 2024-03-28", got)
	}
	if got := calendar.DateOf(at.In(shanghai)).String(); got != "2024-03-29" {
		t.Errorf("DateOf(Shanghai) = %s, want 2024-03-29", got)
	}
}

func TestDateJSON(t *testing.T) {
	type row struct {
		Due  calendar.Date `json:"due"`
		Done calendar.Date `json:"done"`
	}
	b, err := json.Marshal(row{Due: calendar.MustParse("2024-03-28")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"due":"2024-03-28","done":""}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var got row
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Due != calendar.MustParse("2024-03-28") || !got.Done.IsZero() {
		t.Errorf("Unmarshal(%s) = %+v", b, got)
	}
	if err := json.Unmarshal([]byte(`{"due":"2024-02-30"}`), &got); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("Unmarshal of a bad date: %v, want CodeInvalid", err)
	}
}

// TestNewDateAgreesWithTime checks the day numbers of NewDate against the time
// package, day by day over four centuries and out-of-range arguments.
func TestNewDateAgreesWithTime(t *testing.T) {
	want := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	d := calendar.NewDate(1800, 1, 1)
	for i := 0; i < 400*366; i++ {
		y, m, day := want.Date()
		if got := calendar.NewDate(y, int(m), day); got != d || got.String() != want.Format("2006-01-02") {
			t.Fatalf("NewDate(%d, %d, %d) = %v, want %s", y, m, day, got, want.Format("2006-01-02"))
		}
		if d.Weekday() != want.Weekday() {
			t.Fatalf("%v is a %s, want %s", d, d.Weekday(), want.Weekday())
		}
		want, d = want.AddDate(0, 0, 1), d.AddDays(1)
	}
	for _, c := range [][3]int{{2024, 2, 30}, {2024, 0, 1}, {2024, 13, 40}, {2024, 3, -1}, {0, 1, 1}, {-5, 6, 7}} {
		want := time.Date(c[0], time.Month(c[1]), c[2], 0, 0, 0, 0, time.UTC)
		wy, wm, wd := want.Date()
		if y, m, day := calendar.NewDate(c[0], c[1], c[2]).Parts(); y != wy || m != int(wm) || day != wd {
			t.Errorf("NewDate(%v) = %d-%d-%d, want %s", c, y, m, day, want.Format("2006-01-02"))
		}
	}
}
