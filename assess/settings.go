package assess

import (
	"math"
	"strconv"
	"strings"

	"duban"
)

// Lang is the language of reasons and messages.
type Lang string

// The languages of reasons.
const (
	LangZH Lang = "zh" // the default
	LangEN Lang = "en"
)

// DefaultTolerance is the default half-width of the band of 左右 and 约, relative
// to the value: 6左右 covers 5.7 to 6.3.
const DefaultTolerance = 0.05

// Settings are what an office may set for an evaluation. The zero value is
// usable: Chinese reasons, presets for polarity, and a tolerance of 0 (左右 read
// as the figure itself); DefaultSettings gives the default tolerance.
type Settings struct {
	// Tolerance is the half-width of the band of 左右/约 relative to the value
	// (0.05 for ±5%). An approximate target is met by an outcome inside its band
	// on the bad side; against a strict bound (＞, ＜) an approximate outcome
	// within its band of the bound is borderline. Values outside [0, 1] are
	// clamped.
	Tolerance float64
	// Lang is LangZH (also for "") or LangEN.
	Lang Lang
	// Polarity overrides the presets of PolarityOf, by indicator name.
	Polarity map[string]Polarity
}

// DefaultSettings returns the settings used when an office has set nothing:
// DefaultTolerance and Chinese.
func DefaultSettings() Settings {
	return Settings{Tolerance: DefaultTolerance, Lang: LangZH}
}

func (s Settings) tolerance() float64 {
	switch t := s.Tolerance; {
	case math.IsNaN(t) || t < 0:
		return 0
	case t > 1:
		return 1
	default:
		return t
	}
}

func (s Settings) en() bool { return s.Lang == LangEN }

// ParseTolerance reads a tolerance as an office writes it: a fraction ("0.05")
// or a percentage ("5%", "5％"). It returns a *duban.Error with CodeInvalid for
// anything else, and for values outside 0 to 100%.
func ParseTolerance(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct := false
	if rest, ok := strings.CutSuffix(t, "%"); ok {
		t, pct = strings.TrimSpace(rest), true
	} else if rest, ok := strings.CutSuffix(t, "％"); ok {
		t, pct = strings.TrimSpace(rest), true
	}
	if t == "" || strings.ContainsAny(t, "eEinfINFxXpP_") {
		return 0, duban.Errorf(duban.CodeInvalid, "容差应为小数（如 0.05）或百分数（如 5%%）")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, duban.Errorf(duban.CodeInvalid, "容差应为小数（如 0.05）或百分数（如 5%%）")
	}
	if pct {
		v /= 100
	}
	if v < 0 || v > 1 {
		return 0, duban.Errorf(duban.CodeInvalid, "容差应在 0 到 100%% 之间")
	}
	return v, nil
}
