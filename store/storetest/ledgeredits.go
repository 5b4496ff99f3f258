package storetest

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"duban"
	"duban/briefing"
	"duban/export"
)

// editedLedger opens an office's editable ledger of the district, lets edit
// change it as a clerk would in Excel, and returns the file.
func editedLedger(t *testing.T, l *ledger, edit func(f *excelize.File, sheet string, col map[string]string, row func(content string) int)) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, "WriteLedger", briefing.WriteLedger(l.ctx, l.s, l.admin, &buf, l.district, 2024, l.clock.Now(),
		briefing.LedgerOptions{Editable: export.EditOffice}))
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	must(t, "open the ledger", err)
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	must(t, "read the ledger", err)
	col := map[string]string{}
	for i, h := range rows[2] {
		name, err := excelize.ColumnNumberToName(i + 1)
		must(t, "column name", err)
		col[h] = name
	}
	row := func(content string) int {
		for i, r := range rows {
			if len(r) > 1 && strings.HasPrefix(r[1], content) {
				return i + 1
			}
		}
		t.Fatalf("no row of %q in the ledger", content)
		return 0
	}
	edit(f, sheet, col, row)
	var out bytes.Buffer
	must(t, "write the edited ledger", f.Write(&out))
	return out.Bytes()
}

// applyEdits previews a file as the office and applies every change it
// finds.
func applyEdits(t *testing.T, l *ledger, file []byte) (*briefing.LedgerEdits, *briefing.LedgerResult) {
	t.Helper()
	le, err := briefing.PreviewLedgerEdits(l.ctx, l.s, l.admin, bytes.NewReader(file), int64(len(file)))
	must(t, "PreviewLedgerEdits", err)
	var ids []int64
	for _, c := range le.Changes {
		ids = append(ids, c.TaskID)
	}
	res, err := briefing.ApplyLedgerEdits(l.ctx, l.s, l.admin, le, ids)
	must(t, "ApplyLedgerEdits", err)
	return le, res
}

// testLedgerEditsRoundTrip brings the office's edited ledger back on the
// store: a change the office may not make in full writes nothing of it, an
// Excel date is read as a date, and a task row deleted in the file changes
// nothing in the store.
func testLedgerEditsRoundTrip(t *testing.T, e *env) {
	l := newLedger(t, e)
	gdp := l.tasks["一1"]
	deadline := func() string {
		t.Helper()
		got, err := e.s.FindTaskByID(e.ctx, l.admin, gdp.ID)
		must(t, "FindTaskByID", err)
		return got.Deadline
	}
	before := deadline()

	// The deadline (the office's) and the progress (the lead unit's) of one
	// task: nothing is written, and the answer says why.
	both := editedLedger(t, l, func(f *excelize.File, sheet string, col map[string]string, row func(string) int) {
		r := strconv.Itoa(row("地区生产总值"))
		must(t, "set deadline", f.SetCellValue(sheet, col["完成时限"]+r, "2024-11-30"))
		must(t, "set progress", f.SetCellValue(sheet, col["进展情况"]+r, "办公室代填的进展"))
	})
	_, res := applyEdits(t, l, both)
	if len(res.Written) != 0 || deadline() != before {
		t.Errorf("a change the office may not make in full wrote %+v; deadline %q, was %q", res.Written, deadline(), before)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "办公室不能代填") {
		t.Errorf("skipped = %+v, want the task with the reason", res.Skipped)
	}

	// The deadline alone, typed as Excel stores a date (serial day 45657):
	// written as the day it is.
	dated := editedLedger(t, l, func(f *excelize.File, sheet string, col map[string]string, row func(string) int) {
		must(t, "set deadline", f.SetCellValue(sheet, col["完成时限"]+strconv.Itoa(row("地区生产总值")), 45657))
	})
	_, res = applyEdits(t, l, dated)
	if len(res.Written) != 1 || !slices.Contains(res.Written[0].Fields, "完成时限") {
		t.Errorf("written = %+v, want the deadline", res.Written)
	}
	if got := deadline(); got != "2024-12-31" {
		t.Errorf("deadline after applying serial day 45657 = %q, want 2024-12-31", got)
	}

	// A row deleted in the file is listed, refused, and the task stays.
	deleted := editedLedger(t, l, func(f *excelize.File, sheet string, _ map[string]string, row func(string) int) {
		must(t, "remove row", f.RemoveRow(sheet, row("金融业增加值")))
	})
	le, res := applyEdits(t, l, deleted)
	finance := l.tasks["一2"]
	listed := false
	for _, c := range le.Changes {
		if c.TaskID == finance.ID && strings.Contains(c.Reason, "删除") {
			listed = true
		}
	}
	if !listed {
		t.Errorf("the deleted row is not in the preview: %+v", le.Changes)
	}
	for _, w := range res.Written {
		if w.TaskID == finance.ID {
			t.Errorf("the deleted row wrote %+v", w)
		}
	}
	if _, err := e.s.FindTaskByID(e.ctx, l.admin, finance.ID); err != nil {
		t.Errorf("the task deleted in the file: %v", err)
	}
}

// testLedgerEditsThreeWay: a report saved in duban after the export is no
// change of the file's; only what the office changed in the file is, and
// applying it keeps the report saved since.
func testLedgerEditsThreeWay(t *testing.T, e *env) {
	rl := newReportLedger(t, e)
	l := rl.ledger
	gdp := l.tasks["一1"]
	cyc := rl.cycles[2] // March: the cycle of the clock's day
	version := 0
	save := func(progress string) {
		t.Helper()
		r, err := e.s.SaveReport(e.ctx, l.repFGW, gdp.ID, cyc.ID, duban.ReportContent{Progress: progress, Percent: pct(30), Version: version})
		must(t, "SaveReport", err)
		version = r.Version
	}
	save("一季度地区生产总值增长5.8%")
	file := editedLedger(t, l, func(f *excelize.File, sheet string, col map[string]string, row func(string) int) {
		must(t, "set deadline", f.SetCellValue(sheet, col["完成时限"]+strconv.Itoa(row("地区生产总值")), "2024年12月底"))
	})
	save("一季度地区生产总值增长6.1%，好于预期") // after the export

	le, res := applyEdits(t, l, file)
	if len(le.Changes) != 1 {
		t.Fatalf("changes = %+v, want the deadline of one task", le.Changes)
	}
	c := le.Changes[0]
	if c.Conflict || len(c.Fields) != 1 || c.Fields[0].Label != "完成时限" || c.Fields[0].After != "2024-12-31" {
		t.Errorf("change = %+v, want only the deadline, 2024-12-31, without conflict", c)
	}
	if len(res.Written) != 1 {
		t.Errorf("written = %+v, want the deadline", res.Written)
	}
	rs, _, err := e.s.FindReports(e.ctx, l.repFGW, duban.ReportFilter{TaskID: &gdp.ID, CycleID: &cyc.ID, Limit: 1})
	must(t, "FindReports", err)
	if len(rs) != 1 || rs[0].Progress != "一季度地区生产总值增长6.1%，好于预期" {
		t.Errorf("the report saved after the export became %+v", rs)
	}
}
