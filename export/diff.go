package export

import (
	"slices"
	"strconv"
	"strings"

	"duban"
)

// CurrentRow is what a task's editable columns hold now in the store: the
// task's version, deadline and note, and its report of the ledger's cycle
// (ReportVersion 0 and empty texts when it has none).
type CurrentRow struct {
	TaskVersion   int
	Deadline      string
	Note          string
	ReportVersion int
	Progress      string
	Problems      string
	NextSteps     string
	Percent       *int
	// TaskRefused and ReportRefused say, in Chinese, why the importer may
	// not change the task's deadline and note, or its report; empty when
	// they may.
	TaskRefused   string
	ReportRefused string
}

// CurrentRowOf returns the CurrentRow of a task and its report of the
// ledger's cycle, nil when it has none yet.
func CurrentRowOf(t *duban.Task, cycleReport *duban.Report) CurrentRow {
	c := CurrentRow{TaskVersion: t.Version, Deadline: t.Deadline, Note: t.Note}
	if cycleReport != nil {
		c.ReportVersion = cycleReport.Version
		c.Progress, c.Problems, c.NextSteps = cycleReport.Progress, cycleReport.Problems, cycleReport.NextSteps
		c.Percent = cycleReport.Percent
	}
	return c
}

// The fields a re-import changes, as FieldChange.Field names them: the
// report's (ReportContent) and the task's (TaskUpdate).
const (
	FieldProgress  = "progress"
	FieldProblems  = "problems"
	FieldNextSteps = "next_steps"
	FieldPercent   = "percent"
	FieldDeadline  = "deadline"
	FieldNote      = "note"
)

// FieldChange is one field of a task that a re-imported ledger changes.
type FieldChange struct {
	Field  string `json:"field"`
	Label  string `json:"label"`  // the column's header: 进展情况
	Before string `json:"before"` // the value now in the store
	After  string `json:"after"`  // the value in the file
	// Conflict is set when what the field belongs to (the task, or its report)
	// changed after the file was exported: Before is then someone else's
	// newer value, which applying After would overwrite.
	Conflict bool `json:"conflict"`
	// Refused is set when the importer may not change the field at all (a
	// report of a task they do not lead, the deadline in a unit's file).
	Refused bool `json:"refused"`
}

// LedgerChange is what a re-imported ledger changes in one task.
type LedgerChange struct {
	TaskID int64  `json:"task_id"`
	Number string `json:"number"` // 序号, as in the file
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	// TaskVersion and ReportVersion are the versions the file was exported
	// with: the versions to name when applying the change, so that the store
	// refuses it with CodeConflict if anything moved since.
	TaskVersion   int           `json:"task_version"`
	ReportVersion int           `json:"report_version"`
	Fields        []FieldChange `json:"fields"`
	// Conflict is set when any field conflicts, or the task is not among the
	// current rows (deleted, or not the importer's); Reason says why, in
	// Chinese. A conflicting change is shown, never applied unconfirmed.
	Conflict bool `json:"conflict"`
	// Refused is set when any field is refused: the change is never applied,
	// and Reason says why.
	Refused bool   `json:"refused"`
	Reason  string `json:"reason"`
}

// DiffLedger compares the rows of a re-imported ledger with the current rows,
// by task ID, and returns, in the order of the file, the tasks where anything
// differs, with each field's current and new value. A task whose version
// differs from the exported one conflicts in its deadline and note; one whose
// report version differs conflicts in the report's fields; a task missing
// from current conflicts as a whole. When the row keeps the digests of its
// values as exported (LedgerEdit.Exported) the compare is three-way instead:
// a field is a change only if the file's value differs from the exported
// one, and it conflicts only if the store's differs too (and from the file's). A field the importer may not change
// (CurrentRow's TaskRefused, ReportRefused) is refused, and with it its
// task's change, Reason naming why. Rows that change nothing are left out.
// Texts are compared with line ends unified and spaces trimmed at line ends.
func DiffLedger(edits []LedgerEdit, current map[int64]CurrentRow) []LedgerChange {
	out := []LedgerChange{}
	for _, e := range edits {
		c, ok := current[e.TaskID]
		ch := LedgerChange{
			TaskID: e.TaskID, Number: e.Number, Sheet: e.Sheet, Row: e.Row,
			TaskVersion: e.TaskVersion, ReportVersion: e.ReportVersion,
		}
		reportMoved := ok && c.ReportVersion != e.ReportVersion
		taskMoved := ok && c.TaskVersion != e.TaskVersion
		var refusals []string
		// cell is the value as the file holds it, after as it is written.
		addCell := func(i int, field, label, before, after, cell string, moved bool, refused string) {
			if e.Exported != nil {
				// Three ways: the value when exported, the file's, the store's.
				if valueDigest(cell) == e.Exported[i] {
					return // the user left it as it was
				}
				moved = valueDigest(before) != e.Exported[i]
			}
			if normalizeText(before) == normalizeText(after) || normalizeText(before) == normalizeText(cell) {
				return
			}
			ch.Fields = append(ch.Fields, FieldChange{Field: field, Label: label, Before: before, After: after,
				Conflict: moved || !ok, Refused: ok && refused != ""})
			if ok && refused != "" && !slices.Contains(refusals, refused) {
				refusals = append(refusals, refused)
			}
		}
		add := func(i int, field, label, before, after string, moved bool, refused string) {
			addCell(i, field, label, before, after, after, moved, refused)
		}
		add(0, FieldProgress, "进展情况", c.Progress, e.Progress, reportMoved, c.ReportRefused)
		add(1, FieldProblems, "存在问题", c.Problems, e.Problems, reportMoved, c.ReportRefused)
		add(2, FieldNextSteps, "下一步措施", c.NextSteps, e.NextSteps, reportMoved, c.ReportRefused)
		add(3, FieldPercent, "完成进度（%）", percentText(c.Percent), percentText(e.Percent), reportMoved, c.ReportRefused)
		if e.Deadline != nil {
			cell := e.DeadlineCell
			if cell == "" {
				cell = *e.Deadline
			}
			addCell(4, FieldDeadline, "完成时限", c.Deadline, *e.Deadline, cell, taskMoved, c.TaskRefused)
		}
		if e.Note != nil {
			add(5, FieldNote, "备注", c.Note, *e.Note, taskMoved, c.TaskRefused)
		}
		if len(ch.Fields) == 0 {
			continue
		}
		var taskConflict, reportConflict bool
		for _, f := range ch.Fields {
			ch.Conflict = ch.Conflict || f.Conflict
			if f.Conflict && (f.Field == FieldDeadline || f.Field == FieldNote) {
				taskConflict = true
			} else if f.Conflict {
				reportConflict = true
			}
		}
		ch.Refused = len(refusals) > 0
		switch {
		case ch.Refused:
			ch.Reason = strings.Join(refusals, "；") + "，本行不会导入，请在系统中办理或删去这些修改"
		case !ok:
			ch.Reason = "任务已不存在，或不在您可填报的范围内"
		case reportConflict && taskConflict:
			ch.Reason = "导出后任务和本期报告都已被他人修改（任务版本" + versions(e.TaskVersion, c.TaskVersion) +
				"，报告版本" + versions(e.ReportVersion, c.ReportVersion) + "），请核对后确认"
		case reportConflict:
			ch.Reason = "导出后本期报告已被他人修改（版本" + versions(e.ReportVersion, c.ReportVersion) + "），请核对后确认"
		case ch.Conflict:
			ch.Reason = "导出后任务已被他人修改（版本" + versions(e.TaskVersion, c.TaskVersion) + "），请核对后确认"
		}
		out = append(out, ch)
	}
	return out
}

// DeletedChange is the change shown for a task whose row was deleted in the
// file but which duban still holds: refused, with nothing to apply.
func DeletedChange(taskID int64, number string) LedgerChange {
	return LedgerChange{TaskID: taskID, Number: number, Fields: []FieldChange{}, Refused: true,
		Reason: "在文件中删除，系统中未删除，未做任何更改"}
}

func versions(from, to int) string { return strconv.Itoa(from) + "→" + strconv.Itoa(to) }

func percentText(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}
