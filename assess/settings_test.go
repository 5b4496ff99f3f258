package assess_test

import (
	"testing"

	"duban/assess"
)

func TestParseTolerance(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0.05", 0.05, true},
		{"5%", 0.05, true},
		{" 10 ％ ", 0.1, true},
		{"0", 0, true},
		{"100%", 1, true},
		{"1.5", 0, false},
		{"-0.1", 0, false},
		{"", 0, false},
		{"%", 0, false},
		{"五", 0, false},
		{"1e-2", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"0x1p-3", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := assess.ParseTolerance(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseTolerance(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}
