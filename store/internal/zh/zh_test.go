package zh

import (
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want Tokens
	}{
		{"bigrams and the end of the run", []string{"金融业发展"}, Tokens{
			Sequence: []string{"金融", "融业", "业发", "发展"},
			Ends:     []string{"展"},
		}},
		{"punctuation splits runs", []string{"金融，5G基站"}, Tokens{
			Sequence: []string{"金融", "5g", "基站"},
			Ends:     []string{"融", "站"},
		}},
		{"full-width folded", []string{"ＧＤＰ增长"}, Tokens{
			Sequence: []string{"gdp", "增长"},
			Ends:     []string{"长"},
		}},
		{"several texts", []string{"区", "区发改委"}, Tokens{
			Sequence: []string{"区发", "发改", "改委"},
			Ends:     []string{"区", "委"},
		}},
		{"an end once", []string{"发改委、财政委"}, Tokens{
			Sequence: []string{"发改", "改委", "财政", "政委"},
			Ends:     []string{"委"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Tokenize(tt.in...)); diff != "" {
				t.Errorf("Tokenize(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []Term
	}{
		{"金融", []Term{{Tokens: []string{"金融"}}}},
		{"金", []Term{{Tokens: []string{"金"}, Prefix: true}}},
		{"g", []Term{{Tokens: []string{"g"}}}},
		{"金融业 GDP", []Term{{Tokens: []string{"金融", "融业"}}, {Tokens: []string{"gdp"}}}},
		{"，。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Query(tt.in)); diff != "" {
				t.Errorf("Query(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSectionOrder(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"一、主要预期指标", 1},
		{"十、民生", 10},
		{"十二、政府建设", 12},
		{"二十一、其他", 21},
		{"（三）城市更新", 3},
		{"第四章", 4},
		{"3. 其他", 3},
		{"其他事项", 1000},
		{"", 1000},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := SectionOrder(tt.in, 1000); got != tt.want {
				t.Errorf("SectionOrder(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// TestIsHan: the fast paths agree with the Unicode table for every rune.
func TestIsHan(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isHan(r) != unicode.Is(unicode.Han, r) {
			t.Fatalf("isHan(%U) = %v", r, isHan(r))
		}
	}
}
