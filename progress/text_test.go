package progress

import (
	"math"
	"testing"
)

func TestNum(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {50, "50"}, {-3, "-3"}, {5.5, "5.5"}, {-0.5, "-0.5"},
		{15.8, "15.8"}, {0.35, "0.35"}, {48.36065573770492, "48.3607"}, {1e20, "100000000000000000000"},
		{-0.00001, "0"}, {1234567.25, "1234567.25"}, {math.Inf(1), "+Inf"}, {math.NaN(), "NaN"},
	}
	for _, tt := range tests {
		if got := num(tt.in); got != tt.want {
			t.Errorf("num(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
