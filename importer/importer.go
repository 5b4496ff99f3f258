// Package importer turns an official document into changes of the ledger: it
// extracts the document, compares it with what the ledger holds, shows the
// result as a preview (what will be created or changed, warnings with lines,
// proposed unit merges, group expansion), and on confirmation writes it in one
// transaction through the store.
package importer

import (
	"time"

	"duban"
	"duban/ingest"
)

// Request is one import: the file and the admin's decisions on the preview.
type Request struct {
	OrgID    int64
	FileName string
	Data     []byte
	// Merges confirms proposed merges: an unknown unit name mapped to the name
	// of the unit it is another name of — an existing unit, or another new name
	// in the same document. The name is remembered as an alias. Unknown names
	// left out are created as new units.
	Merges map[string]string
	// Corrections are the office's corrections to what the reader took from
	// the document, applied after extraction.
	Corrections Corrections
	// Acknowledge confirms an import whose issuer or year is not the
	// organisation's (Preview.Mismatches): Confirm refuses such an import
	// without it, with CodeInvalid and the reason.
	Acknowledge bool
	// Fingerprint is the preview's fingerprint the admin confirmed. Confirm
	// refuses with CodeConflict when the plan is no longer the one previewed
	// (the ledger or the decisions changed in between).
	Fingerprint string
}

// Corrections are an office's corrections to what the reader took from a
// document: fields of the tasks it found, tasks not to import, paragraphs it
// passed over that are tasks, and the roles of a task table's columns. Tasks
// and paragraphs are named by the line they start on. The importer applies
// them after extraction, for the preview and the confirmation alike, and
// Preview.Corrections gives back those that change something.
type Corrections struct {
	// Tasks corrects fields of the tasks found.
	Tasks []TaskEdit `json:"tasks"`
	// Dropped are the lines of tasks found that are not to be imported.
	Dropped []int `json:"dropped"`
	// Added are paragraphs of Preview.Unread to import as tasks: each is read
	// as a numbered item with its responsibility (ingest.ItemTask), then its
	// fields given here replace what was read. It joins the section of the
	// task above it, numbered as written or after the last of that section.
	Added []TaskEdit `json:"added"`
	// Columns gives the columns of a task table with this header a role
	// (ingest.ColumnRoles), and the document is read again with it.
	Columns map[string]ingest.ColumnRole `json:"columns"`
	// Year is the year the document is about, as the office gives it: over
	// the year read from the title or the date, or where none was found (a
	// web page that names no year).
	Year *int `json:"year"`
}

// TaskEdit corrects the fields of the task that starts on Line. A nil field
// keeps what was read; an empty list or deadline clears it.
type TaskEdit struct {
	Line             int       `json:"line"`
	Section          *string   `json:"section"`
	Number           *int      `json:"number"`
	Content          *string   `json:"content"`
	Leaders          *[]string `json:"leaders"`
	LeadUnits        *[]string `json:"lead_units"`
	ResponsibleUnits *[]string `json:"responsible_units"`
	Deadline         *string   `json:"deadline"`
}

// IsZero reports whether c corrects nothing.
func (c Corrections) IsZero() bool {
	return len(c.Tasks) == 0 && len(c.Dropped) == 0 && len(c.Added) == 0 && len(c.Columns) == 0 && c.Year == nil
}

// Preview shows what confirming an import would do. Nothing is written.
type Preview struct {
	Fingerprint string `json:"fingerprint"`
	// AlreadyImported is the document this very file (same SHA-256) was
	// imported as, nil when it is new: confirming it again is refused.
	AlreadyImported *int64      `json:"already_imported"`
	FileName        string      `json:"file_name"`
	SHA256          string      `json:"sha256"`
	Kind            ingest.Kind `json:"kind"`
	Title           string      `json:"title"`
	DocNumber       *string     `json:"doc_number"`
	Issuer          *string     `json:"issuer"`
	Year            *int        `json:"year"`
	// Org is the name of the organisation the document is imported into.
	Org string `json:"org"`
	// Mismatches are the reasons to doubt that the document belongs in
	// this ledger: another place's issuer, another year. Confirming an
	// import that has any needs Request.Acknowledge.
	Mismatches []Mismatch       `json:"mismatches"`
	Created    []TaskChange     `json:"created"`
	Updated    []TaskChange     `json:"updated"`
	Unchanged  int              `json:"unchanged"`
	Missing    []TaskRef        `json:"missing"` // in the ledger for that year but no longer in the document
	NewUnits   []string         `json:"new_units"`
	Merges     []ProposedMerge  `json:"proposed_merges"`
	Groups     []GroupExpansion `json:"groups"`
	NewPeople  []string         `json:"new_people"`
	Indicators int              `json:"indicators"`
	Warnings   []ingest.Warning `json:"warnings"`
	// Tasks are every task of the document as the import would write it,
	// corrections applied, in the order of the document; a dropped task is
	// listed too, so that it can be taken back.
	Tasks []PreviewTask `json:"tasks"`
	// Units are the unit names the tasks write, each with the unit it stands
	// for and how that was decided.
	Units []UnitName `json:"units"`
	// Unread are the paragraphs of the body the reader took for neither a
	// task nor anything else: Corrections.Added may take one as a task.
	Unread []ingest.Paragraph `json:"unread"`
	// Headers are the header rows of the task tables with the role each
	// column was read in: Corrections.Columns may change one.
	Headers []ingest.TableHeader `json:"headers"`
	// Corrections are the request's corrections that change something.
	Corrections Corrections        `json:"corrections"`
	Extraction  *ingest.Extraction `json:"-"`
}

// Mismatch is a reason to doubt that a document belongs in the ledger it is
// imported into.
type Mismatch struct {
	Kind     string `json:"kind"`     // issuer or year
	Document string `json:"document"` // what the document says: 云溪县, 2025
	Ledger   string `json:"ledger"`   // what the organisation is or has: 渝中区, 2024
	// DefaultYear, for a year, is the year the pages show by default once
	// the document is imported (duban.DefaultYear).
	DefaultYear *int   `json:"default_year"`
	Message     string `json:"message"` // in Chinese, with what confirming does
}

// The kinds of Mismatch.
const (
	MismatchIssuer = "issuer"
	MismatchYear   = "year"
)

// PreviewTask is a task as the import would write it, corrections applied.
// Units are as the document (or the office) writes them; Preview.Units says
// which unit each stands for.
type PreviewTask struct {
	Line             int             `json:"line"`
	ID               int64           `json:"id"` // the ledger's task it updates; 0 for a new one
	Section          string          `json:"section"`
	Subsection       string          `json:"subsection"`
	Number           int             `json:"number"`
	Content          string          `json:"content"`
	Note             string          `json:"note"`
	Leaders          []string        `json:"leaders"`
	LeadUnits        []string        `json:"lead_units"`
	ResponsibleUnits []string        `json:"responsible_units"`
	Deadline         string          `json:"deadline"`
	Targets          []PreviewTarget `json:"targets"`
	// Status is what the import does with it: created, updated, unchanged,
	// dropped (Corrections.Dropped) or repeated (its section and number
	// came before; only the first is imported).
	Status string `json:"status"`
	// Added marks a paragraph the office took as a task.
	Added bool `json:"added"`
	// Edited lists the fields the office corrected.
	Edited []string `json:"edited"`
}

// PreviewTarget is a quantitative target found in a task's content, beside
// the text it was read from.
type PreviewTarget struct {
	Text    string   `json:"text"` // as written: 地区生产总值增长6%左右
	Subject string   `json:"subject"`
	Measure string   `json:"measure"`
	Op      string   `json:"op"`
	Value   *float64 `json:"value"`
	Unit    string   `json:"unit"`
	Year    int      `json:"year"`
}

// The statuses of a PreviewTask.
const (
	TaskCreated   = "created"
	TaskUpdated   = "updated"
	TaskUnchanged = "unchanged"
	TaskDropped   = "dropped"
	TaskRepeated  = "repeated"
)

// UnitName is a unit name the tasks write and the unit it stands for.
type UnitName struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`    // the unit's own name
	UnitID int64  `json:"unit_id"` // 0 when the import creates it
	// How it was decided: unit (the ledger's unit of that name), alias (a
	// name the ledger learned for the unit, e.g. from an earlier merge),
	// merge (the office's merge in this import), new (a unit the import
	// creates). Group marks a collective name (各街道).
	How   string `json:"how"`
	Group bool   `json:"group"`
	Tasks int    `json:"tasks"` // how many tasks write it
}

// The ways a UnitName is resolved.
const (
	UnitExisting = "unit"
	UnitAlias    = "alias"
	UnitMerged   = "merge"
	UnitNew      = "new"
)

// TaskRef names a task by its place in the decomposition.
type TaskRef struct {
	ID      int64  `json:"id"`
	Section string `json:"section"`
	Number  int    `json:"number"`
	Line    int    `json:"line"`
}

// TaskChange is a task the import creates or changes, with the changed fields.
type TaskChange struct {
	TaskRef
	Content string        `json:"content"`
	Changes []FieldChange `json:"changes"` // empty for a created task
}

// FieldChange is one field of a task before and after the import.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// ProposedMerge suggests that an unknown unit name is another name of an
// existing unit (区政服办 for 区政务服务办), with the reason.
type ProposedMerge struct {
	Name   string `json:"name"`
	Into   string `json:"into"`    // the name to merge into
	UnitID int64  `json:"unit_id"` // the existing unit, 0 when Into is new too
	Reason string `json:"reason"`
}

// GroupExpansion shows what a group name (各街道) in the document stands for.
type GroupExpansion struct {
	Name    string   `json:"name"`
	UnitID  int64    `json:"unit_id"` // 0 when the group is new and has no members yet
	Members []string `json:"members"`
}

// Service previews and confirms imports against a store.
type Service struct {
	Store  duban.Store
	Limits ingest.Limits
	// Now and Location give the current year a document's year is checked
	// against; nil means time.Now and time.Local.
	Now      func() time.Time
	Location *time.Location
}
