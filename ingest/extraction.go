package ingest

// Kind is what sort of government document a file holds.
type Kind string

// The document kinds that Extract tells apart.
const (
	KindDecomposition Kind = "decomposition" // 重点工作目标任务分解
	KindPlanReport    Kind = "plan_report"   // 国民经济和社会发展计划执行情况及计划草案的报告
	KindWorkReport    Kind = "work_report"   // 政府工作报告
	KindOther         Kind = "other"
)

// Extraction is everything read from one document. Its JSON form is the public
// contract of `duban extract --json` (see docs/EXTRACT.md): fields may be added but
// never renamed or removed, and absent values are null or [], never omitted.
type Extraction struct {
	Source    string           `json:"source"`
	Kind      Kind             `json:"kind"`
	Title     string           `json:"title"`
	DocNumber *string          `json:"doc_number"` // 发文字号
	Issuer    *string          `json:"issuer"`
	Date      *string          `json:"date"` // 成文日期, ISO 8601
	Year      *int             `json:"year"` // the plan year the document is about
	Tasks     []Task           `json:"tasks"`
	Tables    []IndicatorTable `json:"tables"`
	Targets   []Target         `json:"targets"`
	Glossary  []GlossaryEntry  `json:"glossary"`
	Warnings  []Warning        `json:"warnings"`

	// Headers are the header rows of the task tables, each column with the
	// role it was read in: what the wizard shows for the office to correct.
	Headers []TableHeader `json:"-"`
	// Unread are the paragraphs of the document's body that no rule took: not
	// furniture, metadata, a heading, a task or a target's sentence.
	Unread []Paragraph `json:"-"`
	// KindReason says what decided Kind, for `duban extract --explain`.
	KindReason string `json:"-"`
}

// Task is one task of a decomposition: a row of its table (perhaps flattened
// by a web page), or a numbered item with its responsibility in brackets or on
// labelled lines.
type Task struct {
	Section          string   `json:"section"`    // heading as written, e.g. 一、主要预期指标
	Subsection       *string  `json:"subsection"` // sub-group heading, line breaks removed
	Number           int      `json:"number"`     // as numbered within its section
	Content          string   `json:"content"`    // without the "1." prefix and without the note
	Note             *string  `json:"note"`       // parenthesised remark inside the cell
	Leaders          []string `json:"leaders"`    // 责任区领导, 牵头领导, 分管领导; internal spaces removed
	LeadUnits        []string `json:"lead_units"` // 牵头单位
	ResponsibleUnits []string `json:"responsible_units"`
	Deadline         *string  `json:"deadline"` // 完成时限 as written, when the table has one
	Targets          []Target `json:"targets"`  // quantitative targets found in Content
	Line             int      `json:"line"`     // 1-based line where the task starts

	// Rule names the rule that read the task and EndLine its last line, for
	// `duban extract --explain`: "table/text", "table/pipe"…, "item/bracket",
	// "item/labels", "item/plain", "paragraph".
	Rule    string `json:"-"`
	EndLine int    `json:"-"`
}

// IndicatorTable is an annex table of indicators with target and outcome columns.
type IndicatorTable struct {
	Title      string      `json:"title"`
	Columns    []string    `json:"columns"`
	Indicators []Indicator `json:"indicators"`
	Remarks    []string    `json:"remarks"` // 备注 under the table
	Line       int         `json:"line"`
}

// Indicator is one row of an IndicatorTable.
type Indicator struct {
	Seq       int              `json:"seq"`
	Category  string           `json:"category"`  // 指标类别, carried down merged cells
	Name      string           `json:"name"`      // 指标名称
	Unit      string           `json:"unit"`      // 单位
	Attribute string           `json:"attribute"` // 指标属性: 预期性 or 约束性
	Values    []IndicatorValue `json:"values"`
	Line      int              `json:"line"`
}

// ValueKind says whether a value column holds a target or an outcome.
type ValueKind string

// The kinds of value columns.
const (
	ValueTarget ValueKind = "target" // 计划目标, 预期目标
	ValueActual ValueKind = "actual" // 完成情况
)

// IndicatorValue is one value cell of an indicator row.
type IndicatorValue struct {
	Column string    `json:"column"`
	Year   *int      `json:"year"`
	Kind   ValueKind `json:"kind"`
	Text   string    `json:"text"`
	Expr   Expr      `json:"expr"`
}

// Measure is what a target measures.
type Measure string

// The measures a target can have.
const (
	MeasureGrowth     Measure = "growth"     // 增长6%
	MeasureLevel      Measure = "level"      // 达到1100亿元
	MeasureShare      Measure = "share"      // 占比, 比重
	MeasureCount      Measure = "count"      // 新增50个
	MeasureCumulative Measure = "cumulative" // 累计
	MeasureRate       Measure = "rate"       // 率
	MeasureOther      Measure = "other"
)

// Op is how a target's value is to be read.
type Op string

// The operators of a target expression (DOMAIN.md, "Targets").
const (
	OpApprox      Op = "approx"      // 左右, 约
	OpGE          Op = "ge"          // 以上, ≥, 不低于
	OpGT          Op = "gt"          // ＞, 超过, 突破
	OpLE          Op = "le"          // 以内, ≤, 不超过
	OpLT          Op = "lt"          // ＜, 低于
	OpEq          Op = "eq"          // exactly, e.g. 100 in a binding share
	OpReach       Op = "reach"       // a bare value to be achieved
	OpSync        Op = "sync"        // 与…同步
	OpRank        Op = "rank"        // 保持全市第1
	OpQualitative Op = "qualitative" // 高于全市平均水平
	OpExternal    Op = "external"    // 市计划
	OpUnknown     Op = "unknown"     // ——
)

// Expr is a parsed target or outcome expression, kept beside its source text.
type Expr struct {
	Op    Op       `json:"op"`
	Value *float64 `json:"value"`
	Text  string   `json:"text"`
	// Estimated marks an outcome written as 预计… (expected, not final).
	Estimated bool `json:"estimated"`
}

// Target is a quantitative commitment found in running text or in a task.
type Target struct {
	Text    string   `json:"text"` // the span it came from
	Year    *int     `json:"year"`
	Subject string   `json:"subject"`
	Measure Measure  `json:"measure"`
	Op      Op       `json:"op"`
	Value   *float64 `json:"value"`
	Unit    *string  `json:"unit"`
	// Stretch marks a target introduced by 力争 (strive for).
	Stretch bool `json:"stretch"`
	Line    int  `json:"line"`

	// Rule names the form the target was read in, for `duban extract
	// --explain`: "figure", "count", "respectively", "sync", "external",
	// "yearly", "range", "zero", "rank", "qualitative", "class".
	Rule string `json:"-"`
}

// GlossaryEntry is one 名词解释 entry or footnote.
type GlossaryEntry struct {
	Term       string `json:"term"`
	Definition string `json:"definition"`
	Line       int    `json:"line"`
}

// Warning is a recoverable oddity found while reading, with its place.
type Warning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}
