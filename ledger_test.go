package duban_test

import (
	"testing"

	"duban"
)

func TestDefaultYear(t *testing.T) {
	tests := []struct {
		name  string
		years []int
		want  int
	}{
		{"an empty ledger shows the current year", nil, 2024},
		{"the current year", []int{2025, 2024, 2019}, 2024},
		{"a stray later year does not move it", []int{2023, 2025}, 2023},
		{"a stray earlier year does not move it", []int{2019, 2023}, 2023},
		{"the newest year before the current one", []int{2021, 2022, 2019}, 2022},
		{"only later years: the nearest", []int{2027, 2025, 2026}, 2025},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := duban.DefaultYear(tt.years, 2024); got != tt.want {
				t.Errorf("DefaultYear(%v, 2024) = %d, want %d", tt.years, got, tt.want)
			}
		})
	}
}
