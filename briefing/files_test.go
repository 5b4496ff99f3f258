package briefing_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/briefing"
	"duban/store/sqlite"
	"duban/store/synth"
)

func TestPeriodBounds(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, cst) }
	tests := []struct {
		period   string
		from, to time.Time
		ok       bool
	}{
		{"2024年11月", day(2024, 11, 1), day(2024, 12, 1), true},
		{"2024年12月", day(2024, 12, 1), day(2025, 1, 1), true},
		{"2024年第4季度", day(2024, 10, 1), day(2025, 1, 1), true},
		{"2024年二季度", day(2024, 4, 1), day(2024, 7, 1), true},
		{"2024年", day(2024, 1, 1), day(2025, 1, 1), true},
		{"2024年13月", time.Time{}, time.Time{}, false},
		{"2024年第5季度", time.Time{}, time.Time{}, false},
		{"春季", time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.period, func(t *testing.T) {
			from, to, ok := briefing.PeriodBounds(tt.period, cst)
			if ok != tt.ok || !from.Equal(tt.from) || !to.Equal(tt.to) {
				t.Errorf("PeriodBounds(%q) = %v, %v, %v; want %v, %v, %v", tt.period, from, to, ok, tt.from, tt.to, tt.ok)
			}
		})
	}
}

// TestBulletinCountsThePeriodsReturns: a district with ten months of
// reports, a few returned each month and none resubmitted; October's
// bulletin counts October's returns only, and its text stands at the day
// given.
func TestBulletinCountsThePeriodsReturns(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2024, 11, 15, 9, 0, 0, 0, time.UTC)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "duban.db"), sqlite.Options{Migrate: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	city, err := synth.Seed(ctx, st, 1, 60)
	if err != nil {
		t.Fatal(err)
	}
	org := city.Districts[0].ID
	if err := synth.Reports(ctx, st, org, 2024, synth.ReportOptions{Months: 10, PasswordHash: "x",
		SetClock: func(at time.Time) { st.SetClock(func() time.Time { return at }) }}); err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return now })
	office := duban.Actor{Username: "office", Role: duban.RoleSupervisor, OrgID: org}

	year := 2024
	rs, _, err := st.FindReports(ctx, office, duban.ReportFilter{OrgID: org, Year: &year, Brief: true, Limit: duban.MaxBriefReports})
	if err != nil {
		t.Fatal(err)
	}
	october, all := 0, 0
	for _, r := range rs {
		returned, inOctober := false, false
		for _, v := range r.Reviews {
			if v.Decision == duban.DecisionReturn {
				returned = true
				inOctober = inOctober || v.At.In(time.Local).Month() == time.October
			}
		}
		if returned {
			all++
		}
		if inOctober {
			october++
		}
	}
	if october == 0 || october == all {
		t.Fatalf("the synthetic year has %d returns, %d of them in October: want some in October and some not", all, october)
	}

	var buf bytes.Buffer
	opt := briefing.BulletinOptions{Period: "2024年10月", AsOf: time.Date(2024, 10, 31, 0, 0, 0, 0, time.UTC)}
	if err := briefing.WriteBulletin(ctx, st, office, &buf, org, 2024, now, time.Local, opt); err != nil {
		t.Fatal(err)
	}
	text := docxText(t, buf.Bytes())
	for _, want := range []string{
		fmt.Sprintf("本期退回报告%d份，", october),
		"截至2024年10月31日",
		fmt.Sprintf("已重新报送0份（其中审核通过0份），尚待整改%d份。", october),
		"第10期",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("October's bulletin lacks %q", want)
		}
	}
}

// docxText returns the text of the w:t elements of a .docx's body.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		body, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, part := range strings.Split(string(body), "<w:t xml:space=\"preserve\">")[1:] {
			b.WriteString(part[:strings.Index(part, "</w:t>")])
		}
		return b.String()
	}
	t.Fatal("no word/document.xml")
	return ""
}
