// Package importer turns an official document into changes of the ledger: it
// extracts the document, compares it with what the ledger holds, shows the
// result as a preview (what will be created or changed, warnings with lines,
// proposed unit merges, group expansion), and on confirmation writes it in one
// transaction through the store.
package importer

import (
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
	// Fingerprint is the preview's fingerprint the admin confirmed. Confirm
	// refuses with CodeConflict when the plan is no longer the one previewed
	// (the ledger or the decisions changed in between).
	Fingerprint string
}

// Preview shows what confirming an import would do. Nothing is written.
type Preview struct {
	Fingerprint string `json:"fingerprint"`
	// AlreadyImported is the document this very file (same SHA-256) was
	// imported as, nil when it is new: confirming it again is refused.
	AlreadyImported *int64             `json:"already_imported"`
	FileName        string             `json:"file_name"`
	SHA256          string             `json:"sha256"`
	Kind            ingest.Kind        `json:"kind"`
	Title           string             `json:"title"`
	DocNumber       *string            `json:"doc_number"`
	Year            *int               `json:"year"`
	Created         []TaskChange       `json:"created"`
	Updated         []TaskChange       `json:"updated"`
	Unchanged       int                `json:"unchanged"`
	Missing         []TaskRef          `json:"missing"` // in the ledger for that year but no longer in the document
	NewUnits        []string           `json:"new_units"`
	Merges          []ProposedMerge    `json:"proposed_merges"`
	Groups          []GroupExpansion   `json:"groups"`
	NewPeople       []string           `json:"new_people"`
	Indicators      int                `json:"indicators"`
	Warnings        []ingest.Warning   `json:"warnings"`
	Extraction      *ingest.Extraction `json:"-"`
}

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
}
