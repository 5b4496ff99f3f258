package assess_test

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"duban/assess"
	"duban/ingest"
)

// FuzzNormalizeName checks that NormalizeName never panics, gives valid UTF-8
// without white space, and is its own fixed point.
func FuzzNormalizeName(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		got := assess.NormalizeName(s)
		if !utf8.ValidString(got) {
			t.Errorf("NormalizeName(%q) = %q, not valid UTF-8", s, got)
		}
		if strings.IndexFunc(got, unicode.IsSpace) >= 0 {
			t.Errorf("NormalizeName(%q) = %q, has white space", s, got)
		}
		if again := assess.NormalizeName(got); again != got {
			t.Errorf("NormalizeName(%q) = %q, but NormalizeName(%q) = %q", s, got, got, again)
		}
	})
}

var validStatus = map[assess.Status]bool{
	assess.StatusMet: true, assess.StatusMissed: true, assess.StatusBorderline: true,
	assess.StatusPending: true, assess.StatusNotApplicable: true,
}

// FuzzEvaluate checks that Evaluate never panics, gives a known status with a
// reason in both languages, and that the language does not change the verdict.
func FuzzEvaluate(f *testing.F) {
	f.Fuzz(func(t *testing.T, target, actual string, lower bool, tol float64) {
		pol := assess.HigherIsBetter
		if lower {
			pol = assess.LowerIsBetter
		}
		te, ae := ingest.ParseExpr(target), ingest.ParseExpr(actual)
		zh := assess.Evaluate(te, ae, pol, assess.Settings{Tolerance: tol})
		en := assess.Evaluate(te, ae, pol, assess.Settings{Tolerance: tol, Lang: assess.LangEN})
		if !validStatus[zh.Status] || zh.Reason == "" || en.Reason == "" {
			t.Errorf("Evaluate(%q, %q) = %+v / %+v", target, actual, zh, en)
		}
		if zh.Status != en.Status {
			t.Errorf("Evaluate(%q, %q): %s in Chinese, %s in English", target, actual, zh.Status, en.Status)
		}
		if !utf8.ValidString(zh.Reason) || !utf8.ValidString(en.Reason) {
			t.Errorf("Evaluate(%q, %q): reason not valid UTF-8", target, actual)
		}
	})
}

// FuzzParseTolerance checks that ParseTolerance never panics and accepts only
// finite values from 0 to 1.
func FuzzParseTolerance(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		v, err := assess.ParseTolerance(s)
		if err == nil && (math.IsNaN(v) || v < 0 || v > 1) {
			t.Errorf("ParseTolerance(%q) = %v", s, v)
		}
	})
}
