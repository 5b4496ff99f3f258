package postgres

import (
	"strconv"
	"strings"
	"testing"

	"duban/store/internal/zh"
)

// TestTSVector checks that tsVector quotes its lexemes as lexeme does.
func TestTSVector(t *testing.T) {
	tk := zh.Tokens{Sequence: []string{"金融", "it's", `a\b`, "gdp"}, Chars: []string{"金", "'", `\`}}
	var want strings.Builder
	for i, tok := range tk.Sequence {
		want.WriteString(lexeme(tok) + ":" + strconv.Itoa(i+1) + " ")
	}
	for _, c := range tk.Chars {
		want.WriteString(lexeme(c) + " ")
	}
	if got := tsVector(tk); got != want.String() {
		t.Errorf("tsVector = %q, want %q", got, want.String())
	}
}
