package ingest_test

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"duban/ingest"
)

var (
	validOps = map[ingest.Op]bool{
		ingest.OpApprox: true, ingest.OpGE: true, ingest.OpGT: true, ingest.OpLE: true, ingest.OpLT: true,
		ingest.OpEq: true, ingest.OpReach: true, ingest.OpSync: true, ingest.OpRank: true,
		ingest.OpQualitative: true, ingest.OpExternal: true, ingest.OpUnknown: true,
	}
	validMeasures = map[ingest.Measure]bool{
		ingest.MeasureGrowth: true, ingest.MeasureLevel: true, ingest.MeasureShare: true, ingest.MeasureCount: true,
		ingest.MeasureCumulative: true, ingest.MeasureRate: true, ingest.MeasureOther: true,
	}
)

// FuzzParseExpr checks that ParseExpr never panics, keeps the trimmed text and
// gives only finite values and known operators.
func FuzzParseExpr(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		e := ingest.ParseExpr(s)
		if want := strings.TrimSpace(s); e.Text != want {
			t.Errorf("ParseExpr(%q).Text = %q, want %q", s, e.Text, want)
		}
		if !validOps[e.Op] {
			t.Errorf("ParseExpr(%q).Op = %q, not a known operator", s, e.Op)
		}
		if e.Value != nil && (math.IsNaN(*e.Value) || math.IsInf(*e.Value, 0)) {
			t.Errorf("ParseExpr(%q).Value = %v, want a finite number", s, *e.Value)
		}
		if e.Estimated && !strings.Contains(withoutSpace(s), "预计") {
			t.Errorf("ParseExpr(%q).Estimated without 预计", s)
		}
	})
}

// FuzzFindTargets checks that FindTargets never panics and that every target
// comes from the text with a finite value.
func FuzzFindTargets(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		checkTargets(t, s, ingest.FindTargets(s, 1, nil))
	})
}

// checkTargets checks what must hold for any input: a non-nil result, each Text
// a part of the input once white space is taken out of both, a subject, a known
// measure and operator, and a finite value.
func checkTargets(t *testing.T, in string, ts []ingest.Target) {
	t.Helper()
	if ts == nil {
		t.Errorf("FindTargets(%q) = nil, want a non-nil slice", in)
	}
	compact := withoutSpace(in)
	for _, tg := range ts {
		if tg.Text == "" || !strings.Contains(compact, withoutSpace(tg.Text)) {
			t.Errorf("target text %q is not in %q", tg.Text, in)
		}
		if tg.Subject == "" {
			t.Errorf("target %q has no subject", tg.Text)
		}
		if !validOps[tg.Op] || !validMeasures[tg.Measure] {
			t.Errorf("target %q: op %q, measure %q", tg.Text, tg.Op, tg.Measure)
		}
		if tg.Value != nil && (math.IsNaN(*tg.Value) || math.IsInf(*tg.Value, 0)) {
			t.Errorf("target %q: value %v, want a finite number", tg.Text, *tg.Value)
		}
		if tg.Unit != nil && *tg.Unit == "" {
			t.Errorf("target %q: empty unit, want nil", tg.Text)
		}
	}
}

// withoutSpace drops white space (and zero-width spaces) from s and keeps every
// other byte as it is, valid UTF-8 or not.
func withoutSpace(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if !(unicode.IsSpace(c) || c == '\u200b' || c == '\ufeff') {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
