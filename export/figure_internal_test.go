package export

import (
	"math"
	"testing"
)

// TestFormatFigure: a figure reads as a person would write it, whatever
// arithmetic made it.
func TestFormatFigure(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{4.6 * 0.85, "3.91"},
		{0.1 + 0.2, "0.3"},
		{3.9099999999999997, "3.91"},
		{50, "50"},
		{12345.678, "12345.678"},
		{0.0000001, "0.0000001"},
		{math.Copysign(0, -1), "0"},
		{-2.5, "-2.5"},
		{1e15 + 0.5, "1000000000000000"},
	}
	for _, tt := range tests {
		if got := formatFigure(tt.v); got != tt.want {
			t.Errorf("formatFigure(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
