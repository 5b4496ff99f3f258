package export_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"duban/export"
)

func TestParseDeadline(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"45657", "2024-12-31", true},
		{"2024-12-31", "2024-12-31", true},
		{"2024/6/30", "2024-06-30", true},
		{"2024.06.30", "2024-06-30", true},
		{"2024年12月31日", "2024-12-31", true},
		{"2024年12月底", "2024-12-31", true},
		{"2024年2月末", "2024-02-29", true},
		{"2024年6月", "2024-06-30", true},
		{"12月31日", "2024-12-31", true},
		{"6月底", "2024-06-30", true},
		{" 年底前 ", "年底前", true},
		{"长期坚持", "长期坚持", true},
		{"2024年2月30日", "", false},
		{"12月", "", false},
		{"13月底", "", false},
		{"60", "", false},
		{"尽快", "", false},
		{"2024-12-31 前后", "", false},
		{"45657.5", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := export.ParseDeadline(tt.in, 2024)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseDeadline(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzParseDeadline: ParseDeadline never panics, a date it returns is a
// real day that it reads back as itself, and anything else it accepts is
// the input trimmed.
func FuzzParseDeadline(f *testing.F) {
	for _, s := range []string{"45657", "2024年12月底", "12月31日", "年底前", "2024/2/29", "9999-12-31", "1900年1月"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := export.ParseDeadline(s, 2024)
		if !ok {
			if got != "" {
				t.Fatalf("ParseDeadline(%q) = %q, false", s, got)
			}
			return
		}
		if got == "" || !utf8.ValidString(got) {
			return
		}
		if _, err := time.Parse(time.DateOnly, got); err == nil {
			if again, ok := export.ParseDeadline(got, 2024); !ok || again != got {
				t.Fatalf("ParseDeadline(%q) = %q, which reads back as %q, %v", s, got, again, ok)
			}
		}
	})
}
