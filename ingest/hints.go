package ingest

// ColumnRole is what a column of a task table holds, as the wizard names it.
type ColumnRole string

// The roles a task table's column can have.
const (
	ColumnNone        ColumnRole = "none"        // not read
	ColumnGroup       ColumnRole = "group"       // sub-group heading (类别)
	ColumnSeq         ColumnRole = "seq"         // 序号
	ColumnContent     ColumnRole = "content"     // 任务内容
	ColumnLeaders     ColumnRole = "leaders"     // 责任领导
	ColumnLead        ColumnRole = "lead"        // 牵头单位
	ColumnResponsible ColumnRole = "responsible" // 责任单位, 配合单位
	ColumnDeadline    ColumnRole = "deadline"    // 完成时限
)

// ColumnRoles lists every role, in the order the wizard offers them.
var ColumnRoles = []ColumnRole{ColumnContent, ColumnLeaders, ColumnLead, ColumnResponsible, ColumnDeadline, ColumnSeq, ColumnGroup, ColumnNone}

var roleColumns = map[ColumnRole]column{
	ColumnNone: colNone, ColumnGroup: colGroup, ColumnSeq: colSeq, ColumnContent: colContent,
	ColumnLeaders: colLeaders, ColumnLead: colLead, ColumnResponsible: colResponsible, ColumnDeadline: colDeadline,
}

// role is the ColumnRole of an internal column.
func (c column) role() ColumnRole {
	for r, col := range roleColumns {
		if col == c {
			return r
		}
	}
	return ColumnNone
}

// Valid reports whether r is one of the roles.
func (r ColumnRole) Valid() bool {
	_, ok := roleColumns[r]
	return ok
}

// Hints are an office's corrections to how a document is read, given back to
// the reader on a second look at the same file.
type Hints struct {
	// Columns gives the table columns with this header (as written, white
	// space removed) a role, overriding what the header's words say.
	Columns map[string]ColumnRole
}

// TableHeader is the header row of a task table, as the reader understood it.
type TableHeader struct {
	Line    int            `json:"line"`
	Columns []HeaderColumn `json:"columns"`
}

// HeaderColumn is one column of a TableHeader with the role it was read in.
type HeaderColumn struct {
	Header string     `json:"header"`
	Role   ColumnRole `json:"role"`
}

// Paragraph is a paragraph of a document with its line.
type Paragraph struct {
	Line int    `json:"line"`
	Text string `json:"text"`
}

// ExtractWith is Extract with an office's hints.
func ExtractWith(name string, data []byte, lim Limits, h Hints) (*Extraction, error) {
	doc, err := Read(name, data, lim)
	if err != nil {
		return nil, err
	}
	return InterpretWith(doc, h)
}
