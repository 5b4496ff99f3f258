package export_test

import (
	"bytes"
	"testing"
	"time"

	"duban"
	"duban/export"
)

// FuzzParseLedger gives ParseLedger any bytes: it never panics, answers in
// bounded time, and either reads rows that hold what a ledger may hold or
// says what is wrong with CodeInvalid. The corpus in testdata/fuzz holds a
// small editable ledger, one for the office, a foreign workbook and broken
// zips; the seeds below add the files the tests make.
func FuzzParseLedger(f *testing.F) {
	var buf bytes.Buffer
	l := sampleLedger()
	l.Editable = export.EditUnit
	l.Tasks = l.Tasks[:3]
	if err := export.Ledger(&buf, l); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:buf.Len()-22])
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		edits, err := export.ParseLedger(bytes.NewReader(data), int64(len(data)))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("ParseLedger took %v for %d bytes", d, len(data))
		}
		if err != nil {
			if duban.ErrorCode(err) != duban.CodeInvalid {
				t.Fatalf("ParseLedger error %v has code %q, want CodeInvalid", err, duban.ErrorCode(err))
			}
			if edits != nil {
				t.Fatalf("ParseLedger returned %d rows with an error", len(edits))
			}
			return
		}
		for _, e := range edits {
			if e.TaskID <= 0 || e.Row < 4 || e.SheetIndex < 1 {
				t.Errorf("row %+v: want a task ID and a place", e)
			}
			if e.Percent != nil && (*e.Percent < 0 || *e.Percent > 100) {
				t.Errorf("row %d: percent %d", e.Row, *e.Percent)
			}
		}
	})
}
