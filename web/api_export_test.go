package web

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExports: the ledger, the targets table, the bulletin and a unit's list
// come out as real files; an editable ledger edited in a spreadsheet program
// and uploaded again changes only what was confirmed.
func TestExports(t *testing.T) {
	h := reportingHarness(t)
	if got := h.do(t, importRequest(t, h, "admin", readTestdata(t, "001_9361f94df469906e.txt"))); got.status != 201 {
		t.Fatalf("import 001: %s", got)
	}
	files := []struct {
		name, path, as, contentType string
		status                      int
	}{
		{"ledger", "/api/v1/exports/ledger?year=2024", "viewer", xlsxType, 200},
		{"ledger by section", "/api/v1/exports/ledger?year=2024&sheets=section", "supervisor", xlsxType, 200},
		{"the city's roll-up", "/api/v1/exports/ledger?year=2024&rollup=true", "admin", xlsxType, 200},
		{"targets of 2021", "/api/v1/exports/targets?year=2021", "leader", docxType, 200},
		{"targets of a year without a plan report", "/api/v1/exports/targets?year=2030", "leader", "", 404},
		{"bulletin", "/api/v1/exports/bulletin?year=2024&period=2024年3月&number=渝中督查〔2024〕3号", "supervisor", docxType, 200},
		{"a unit gets no bulletin", "/api/v1/exports/bulletin?year=2024", "reporter", "", 403},
		{"bulletin as of a day, issue given", "/api/v1/exports/bulletin?year=2024&period=2024年第1季度&issue=3&as_of=2024-03-31", "supervisor", docxType, 200},
		{"bulletin of a period it cannot read", "/api/v1/exports/bulletin?year=2024&period=春季", "supervisor", "", 400},
		{"ledger as of a day", "/api/v1/exports/ledger?year=2024&as_of=2024-06-30", "viewer", xlsxType, 200},
		{"the unit's list as of a day", "/api/v1/exports/unit-tasks?year=2024&as_of=2024-06-30", "reporter", docxType, 200},
		{"the unit's list", "/api/v1/exports/unit-tasks?year=2024", "reporter", docxType, 200},
		{"another unit's list", "/api/v1/exports/unit-tasks?year=2024&unit_id={unit_b}", "reporter", "", 404},
		{"an office ledger for a unit", "/api/v1/exports/ledger?year=2024&editable=office", "reporter", "", 403},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			got := h.do(t, request{method: "GET", path: f.path, as: f.as})
			if got.status != f.status {
				t.Fatalf("%s: %s", f.path, got)
			}
			if f.status == 200 && (got.header.Get("Content-Type") != f.contentType || !bytes.HasPrefix(got.body, []byte("PK\x03\x04")) ||
				!strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment")) {
				t.Errorf("%s: %s, %d bytes, %s", f.path, got.header.Get("Content-Type"), len(got.body), got.header.Get("Content-Disposition"))
			}
		})
	}

	// The unit's ledger as the unit sees it: its tasks only.
	got := h.do(t, request{method: "GET", path: "/api/v1/exports/ledger?year=2024&editable=unit", as: "reporter"})
	if got.status != 200 {
		t.Fatalf("editable ledger: %s", got)
	}
	edited := editLedger(t, got.body, "地区生产总值", "进展情况", "离线填写：一季度增长5.9%", "社会消费品零售总额")
	body, ct := upload(t, "台账.xlsx", edited, nil)
	prev := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter", body: body, contentType: ct})
	if prev.status != 200 || !strings.Contains(string(prev.body), "离线填写") {
		t.Fatalf("preview: %s", prev)
	}
	var p struct {
		Changes []struct {
			TaskID   int64 `json:"task_id"`
			Conflict bool  `json:"conflict"`
		} `json:"changes"`
	}
	prev.decode(t, &p)
	if len(p.Changes) != 1 || p.Changes[0].Conflict || p.Changes[0].TaskID != h.ids["task_a"] {
		t.Fatalf("changes %+v", p.Changes)
	}
	confirm, _ := json.Marshal([]int64{p.Changes[0].TaskID})
	body, ct = upload(t, "台账.xlsx", edited, map[string]string{"confirm": string(confirm)})
	if got := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits", as: "reporter", body: body, contentType: ct}); got.status != 200 ||
		!strings.Contains(string(got.body), `"applied":[`+string(confirm[1:len(confirm)-1])+`]`) {
		t.Fatalf("apply: %s", got)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter"}); got.status != 200 || !strings.Contains(string(got.body), "离线填写") {
		t.Errorf("the draft after the re-import: %s", got)
	}
	// The same file again changes nothing; once the draft moved on in the
	// application, the file's change conflicts with it.
	prev = h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter", body: body, contentType: ct})
	if !strings.Contains(string(prev.body), `"changes":[]`) {
		t.Errorf("re-importing what was applied: %s", prev)
	}
	var draft struct {
		Version int `json:"version"`
	}
	h.do(t, request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter"}).decode(t, &draft)
	moved := h.do(t, request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter",
		body: map[string]any{"progress": "在系统里又改了", "version": draft.Version}})
	if moved.status != 200 {
		t.Fatalf("save: %s", moved)
	}
	prev = h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter", body: body, contentType: ct})
	if !strings.Contains(string(prev.body), `"conflict":true`) {
		t.Errorf("re-importing a stale file: %s", prev)
	}
	// Someone else's file is refused.
	if got := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter_b", body: body, contentType: ct}); got.status == 200 &&
		!strings.Contains(string(got.body), `"conflict":true`) {
		t.Errorf("another unit imports the file: %s", got)
	}
	junk, ct2 := upload(t, "x.xlsx", []byte("not a workbook"), nil)
	if got := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter", body: junk, contentType: ct2}); got.status != 400 {
		t.Errorf("junk: %s", got)
	}
}

// editLedger edits an exported ledger as a spreadsheet program would: in
// the first row whose task contains task, the column headed column is set
// to value. The ledger must not hold a task containing absent.
func editLedger(t *testing.T, file []byte, task, column, value, absent string) []byte {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	sheet := book.GetSheetName(0)
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	all := ""
	header, first := -1, -1
	for i, r := range rows {
		all += strings.Join(r, "|") + "\n"
		if header < 0 && slices.Contains(r, column) {
			header = i
		}
		if header >= 0 && i > header && len(r) > 1 && strings.Contains(r[1], task) && first < 0 {
			first = i
		}
	}
	if (absent != "" && strings.Contains(all, absent)) || first < 0 {
		t.Fatalf("the ledger holds a task of %q or none of %q:\n%s", absent, task, all)
	}
	col := slices.Index(rows[header], column)
	cell, _ := excelize.CoordinatesToCellName(col+1, first+1)
	if err := book.SetCellStr(sheet, cell, value); err != nil {
		t.Fatal(err)
	}
	var edited bytes.Buffer
	if err := book.Write(&edited); err != nil {
		t.Fatal(err)
	}
	return edited.Bytes()
}

// TestLedgerEditsWholeOrNothing: an office file that changes a task's
// deadline and its report (which only the lead unit may write) writes
// nothing of that task, and says which columns were refused and why; a task
// whose deadline alone changed is written, and the answer names the column.
func TestLedgerEditsWholeOrNothing(t *testing.T) {
	h := reportingHarness(t)
	if got := h.do(t, importRequest(t, h, "admin", readTestdata(t, "001_9361f94df469906e.txt"))); got.status != 201 {
		t.Fatalf("import 001: %s", got)
	}
	got := h.do(t, request{method: "GET", path: "/api/v1/exports/ledger?year=2024&editable=office", as: "supervisor"})
	if got.status != 200 {
		t.Fatalf("office ledger: %s", got)
	}
	both := editLedger(t, got.body, "地区生产总值", "完成时限", "2024-11-30", "")
	both = editLedger(t, both, "地区生产总值", "进展情况", "办公室代填的进展", "")
	deadlineOnly := editLedger(t, got.body, "地区生产总值", "完成时限", "2024-11-30", "")

	taskDeadline := func(id int64) string {
		t.Helper()
		var task struct {
			Deadline string `json:"deadline"`
		}
		h.do(t, request{method: "GET", path: "/api/v1/tasks/" + strconv.FormatInt(id, 10), as: "supervisor"}).decode(t, &task)
		return task.Deadline
	}
	apply := func(file []byte) (int64, string) {
		t.Helper()
		body, ct := upload(t, "台账.xlsx", file, nil)
		var p struct {
			Changes []struct {
				TaskID int64 `json:"task_id"`
			} `json:"changes"`
		}
		h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "supervisor", body: body, contentType: ct}).decode(t, &p)
		if len(p.Changes) != 1 {
			t.Fatalf("changes %+v", p.Changes)
		}
		confirm, _ := json.Marshal([]int64{p.Changes[0].TaskID})
		body, ct = upload(t, "台账.xlsx", file, map[string]string{"confirm": string(confirm)})
		got := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits", as: "supervisor", body: body, contentType: ct})
		if got.status != 200 {
			t.Fatalf("apply: %s", got)
		}
		return p.Changes[0].TaskID, string(got.body)
	}

	id, res := apply(both)
	before := taskDeadline(id)
	for _, want := range []string{`"applied":[]`, `"written":[]`, `"fields":["进展情况","完成时限"]`, "报告由牵头单位填报，办公室不能代填，本行不会导入"} {
		if !strings.Contains(res, want) {
			t.Errorf("deadline and report: %s lacks %s", res, want)
		}
	}
	if before == "2024-11-30" {
		t.Errorf("the refused change wrote the deadline")
	}
	_, res = apply(deadlineOnly)
	if !strings.Contains(res, `"written":[{"task_id":`+strconv.FormatInt(id, 10)) || !strings.Contains(res, `"fields":["完成时限"]`) || !strings.Contains(res, `"skipped":[]`) {
		t.Errorf("deadline alone: %s", res)
	}
	if got := taskDeadline(id); got != "2024-11-30" {
		t.Errorf("deadline after applying it: %q", got)
	}
}

// TestLedgerEditsRefused: what the holder of a file may not change is
// refused in the preview, with the reason, and never applied: a unit's
// report of a task it only supports (配合).
func TestLedgerEditsRefused(t *testing.T) {
	h := reportingHarness(t)
	got := h.do(t, request{method: "GET", path: "/api/v1/exports/ledger?year=2024&editable=unit", as: "reporter_b"})
	if got.status != 200 {
		t.Fatalf("unit ledger: %s", got)
	}
	edited := editLedger(t, got.body, "新增首店品牌", "进展情况", "配合单位写的进展", "")
	body, ct := upload(t, "台账.xlsx", edited, nil)
	prev := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter_b", body: body, contentType: ct})
	for _, want := range []string{`"refused":true`, "本单位是该任务的配合单位，报告由牵头单位填报"} {
		if prev.status != 200 || !strings.Contains(string(prev.body), want) {
			t.Errorf("preview lacks %s: %s", want, prev)
		}
	}
	body, ct = upload(t, "台账.xlsx", edited, map[string]string{"confirm": "[" + strconv.FormatInt(h.ids["task_ab"], 10) + "]"})
	res := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits", as: "reporter_b", body: body, contentType: ct})
	if res.status != 200 || !strings.Contains(string(res.body), `"applied":[]`) || !strings.Contains(string(res.body), "配合单位") {
		t.Errorf("apply: %s", res)
	}
}

// TestLedgerEditsThreeWay: a report saved in duban after the export leaves
// the untouched cells of the file alone: the file's 存在问题 is written and
// the progress saved in duban is kept.
func TestLedgerEditsThreeWay(t *testing.T) {
	h := reportingHarness(t)
	got := h.do(t, request{method: "GET", path: "/api/v1/exports/ledger?year=2024&editable=unit", as: "reporter"})
	if got.status != 200 {
		t.Fatalf("unit ledger: %s", got)
	}
	edited := editLedger(t, got.body, "地区生产总值", "存在问题", "文件里写的问题", "")
	if saved := h.do(t, request{method: "PUT", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter",
		body: map[string]any{"progress": "系统里写的进展", "version": 0}}); saved.status != 200 {
		t.Fatalf("save: %s", saved)
	}
	body, ct := upload(t, "台账.xlsx", edited, nil)
	prev := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter", body: body, contentType: ct})
	if prev.status != 200 || strings.Contains(string(prev.body), `"conflict":true`) || strings.Contains(string(prev.body), `"field":"progress"`) ||
		!strings.Contains(string(prev.body), `"field":"problems"`) {
		t.Fatalf("preview: %s", prev)
	}
	body, ct = upload(t, "台账.xlsx", edited, map[string]string{"confirm": "[" + strconv.FormatInt(h.ids["task_a"], 10) + "]"})
	if res := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits", as: "reporter", body: body, contentType: ct}); res.status != 200 ||
		!strings.Contains(string(res.body), `"skipped":[]`) {
		t.Fatalf("apply: %s", res)
	}
	rep := h.do(t, request{method: "GET", path: "/api/v1/tasks/{task_a}/reports/{cycle3}", as: "reporter"})
	if !strings.Contains(string(rep.body), "系统里写的进展") || !strings.Contains(string(rep.body), "文件里写的问题") {
		t.Errorf("the report after the re-import: %s", rep)
	}
}

// TestLedgerEditsDeletedRow: a task row deleted in the file is listed in
// the preview as deleted in the file only, and applying it changes nothing.
func TestLedgerEditsDeletedRow(t *testing.T) {
	h := reportingHarness(t)
	got := h.do(t, request{method: "GET", path: "/api/v1/exports/ledger?year=2024&editable=unit", as: "reporter"})
	if got.status != 200 {
		t.Fatalf("unit ledger: %s", got)
	}
	book, err := excelize.OpenReader(bytes.NewReader(got.body))
	if err != nil {
		t.Fatal(err)
	}
	sheet := book.GetSheetName(0)
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	deleted := false
	for i, r := range rows {
		if len(r) > 1 && strings.Contains(r[1], "地区生产总值") {
			if err := book.RemoveRow(sheet, i+1); err != nil {
				t.Fatal(err)
			}
			deleted = true
			break
		}
	}
	if !deleted {
		t.Fatal("no row of 地区生产总值")
	}
	var edited bytes.Buffer
	if err := book.Write(&edited); err != nil {
		t.Fatal(err)
	}
	body, ct := upload(t, "台账.xlsx", edited.Bytes(), nil)
	prev := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits/preview", as: "reporter", body: body, contentType: ct})
	want := `"task_id":` + strconv.FormatInt(h.ids["task_a"], 10)
	if prev.status != 200 || !strings.Contains(string(prev.body), want) || !strings.Contains(string(prev.body), "在文件中删除，系统中未删除，未做任何更改") {
		t.Fatalf("preview: %s", prev)
	}
	body, ct = upload(t, "台账.xlsx", edited.Bytes(), map[string]string{"confirm": "[" + strconv.FormatInt(h.ids["task_a"], 10) + "]"})
	if res := h.do(t, request{method: "POST", path: "/api/v1/ledger/edits", as: "reporter", body: body, contentType: ct}); res.status != 200 ||
		!strings.Contains(string(res.body), `"applied":[]`) {
		t.Errorf("apply: %s", res)
	}
	if got := h.do(t, request{method: "GET", path: "/api/v1/tasks/{task_a}", as: "reporter"}); got.status != 200 {
		t.Errorf("the task after the re-import: %s", got)
	}
}
