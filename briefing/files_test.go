package briefing_test

import (
	"testing"
	"time"

	"duban/briefing"
)

func TestPeriodBounds(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, cst) }
	tests := []struct {
		period   string
		from, to time.Time
		ok       bool
	}{
		{"2024年11月", day(2024, 11, 1), day(2024, 12, 1), true},
		{"2024年12月", day(2024, 12, 1), day(2025, 1, 1), true},
		{"2024年第4季度", day(2024, 10, 1), day(2025, 1, 1), true},
		{"2024年二季度", day(2024, 4, 1), day(2024, 7, 1), true},
		{"2024年", day(2024, 1, 1), day(2025, 1, 1), true},
		{"2024年13月", time.Time{}, time.Time{}, false},
		{"2024年第5季度", time.Time{}, time.Time{}, false},
		{"春季", time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.period, func(t *testing.T) {
			from, to, ok := briefing.PeriodBounds(tt.period, cst)
			if ok != tt.ok || !from.Equal(tt.from) || !to.Equal(tt.to) {
				t.Errorf("PeriodBounds(%q) = %v, %v, %v; want %v, %v, %v", tt.period, from, to, ok, tt.from, tt.to, tt.ok)
			}
		})
	}
}
