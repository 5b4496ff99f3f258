package notify

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzRobotAnswer reads any bytes as a robot's answer. It must not panic; an
// answer it accepts has a message that is one clean line of at most maxRemote
// bytes, and writing the answer back as JSON reads the same. remoteText, which
// cleans everything a remote says, must keep the same promise and give the
// same text when applied twice.
func FuzzRobotAnswer(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		checkClean(t, "remoteText", remoteText(body))
		if again := remoteText([]byte(remoteText(body))); again != remoteText(body) {
			t.Errorf("remoteText not idempotent: %q then %q", remoteText(body), again)
		}

		a, err := parseRobotAnswer(body)
		if err != nil {
			if a != (robotAnswer{}) {
				t.Errorf("error %v with answer %+v", err, a)
			}
			return
		}
		checkClean(t, "Msg", a.Msg)
		if a.OK && a.Code != 0 {
			t.Errorf("OK with errcode %d", a.Code)
		}
		var again []byte
		if a.OK || a.Code != 0 {
			again, _ = json.Marshal(map[string]any{"errcode": a.Code, "errmsg": a.Msg})
		} else {
			again, _ = json.Marshal(map[string]any{"success": false, "errmsg": a.Msg})
		}
		b, err := parseRobotAnswer(again)
		if err != nil || b != a {
			t.Errorf("%s read as %+v, %v; want %+v", again, b, err, a)
		}
	})
}

func checkClean(t *testing.T, name, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s %q is not UTF-8", name, s)
	}
	if len(s) > maxRemote {
		t.Errorf("%s is %d bytes, more than %d", name, len(s), maxRemote)
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\n' }) >= 0 {
		t.Errorf("%s %q has control characters", name, s)
	}
	if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Errorf("%s %q has stray spaces", name, s)
	}
}

// FuzzRetryAfter reads any string as a Retry-After header. The wait must be
// between zero and a day, and a number of seconds must be read as such.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2024, 3, 25, 1, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d := parseRetryAfter(v, now)
		if d < 0 || d > 24*time.Hour {
			t.Fatalf("parseRetryAfter(%q) = %v, outside [0, 24h]", v, d)
		}
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n < 24*60*60 {
			if want := time.Duration(n) * time.Second; d != want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", v, d, want)
			}
		}
	})
}
