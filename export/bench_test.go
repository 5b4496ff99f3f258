package export_test

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"testing"
	"time"

	"duban"
	"duban/export"
)

// cityRollup is a city's ledger: 40 districts of 250 tasks each, made from
// the 2024 decomposition of 渝中区 with reports for nine tasks in ten.
func cityRollup(tb testing.TB, sheets export.SheetMode) export.LedgerInput {
	tb.Helper()
	x := seedExtraction(tb, "002_df832bfe8d5b9f39.txt")
	l := export.LedgerInput{
		OrgName: "重庆市", Year: 2024, Cycle: november, Generated: exportTime, Sheets: sheets,
		Reports: map[int64]*duban.Report{}, OrgNames: map[int64]string{},
	}
	for d := range 40 {
		org := int64(100 + d)
		l.OrgNames[org] = fmt.Sprintf("第%d区", d+1)
		tasks, reports := seedTasks(tb, x, org, org*1000, 250)
		l.Tasks = append(l.Tasks, tasks...)
		maps.Copy(l.Reports, reports)
	}
	return l
}

// BenchmarkLedger writes a city's roll-up, 10,000 tasks, in one workbook: one
// sheet per district or per section, to read or to edit. The target is under
// 5 s.
func BenchmarkLedger(b *testing.B) {
	for _, bc := range []struct {
		name   string
		sheets export.SheetMode
		editor export.Editor
	}{
		{"city/by-org", export.SheetsByOrg, export.EditNone},
		{"city/by-section", export.SheetsBySection, export.EditNone},
		{"city/by-org/editable", export.SheetsByOrg, export.EditOffice},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l := cityRollup(b, bc.sheets)
			l.Editable = bc.editor
			var n int64
			for b.Loop() {
				cw := &countingWriter{}
				if err := export.Ledger(cw, l); err != nil {
					b.Fatal(err)
				}
				n = cw.n
			}
			b.ReportMetric(float64(n)/(1<<20), "MB")
		})
	}
}

// BenchmarkParseLedger reads back the city's editable roll-up.
func BenchmarkParseLedger(b *testing.B) {
	l := cityRollup(b, export.SheetsByOrg)
	l.Editable = export.EditOffice
	var buf bytes.Buffer
	if err := export.Ledger(&buf, l); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		edits, err := export.ParseLedger(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil || len(edits) != 10000 {
			b.Fatalf("ParseLedger: %d rows, %v", len(edits), err)
		}
	}
}

// TestCityLedgerUnderFiveSeconds is the target as a test: the city's
// roll-up is written in under 5 s, with room for a loaded machine and the race
// detector.
func TestCityLedgerUnderFiveSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not timing the city's roll-up")
	}
	l := cityRollup(t, export.SheetsByOrg)
	start := time.Now()
	if err := export.Ledger(io.Discard, l); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("city roll-up of %d tasks written in %v", len(l.Tasks), d)
	limit := 5 * time.Second
	if raceEnabled {
		limit *= 4 // the race detector slows code down several times
	}
	if d > limit {
		t.Errorf("the city's roll-up took %v, want under %v", d, limit)
	}
}

// countingWriter counts what is written to it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
