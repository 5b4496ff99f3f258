package supervision

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"duban"
)

// Tx is one transaction of a store, as this package uses it: statements, the
// time and actor the transaction fixed, and the audit log. Its statements run
// under the context its Runner chose: a store that commits many callers'
// writes together must not let one caller who gives up cancel the others'.
type Tx interface {
	Exec(query string, args ...any) (sql.Result, error)
	Query(query string, args ...any) (*sql.Rows, error)
	QueryRow(query string, args ...any) *sql.Row
	Now() time.Time
	Actor() duban.Actor
	// Audit appends an entry with the transaction's actor and time.
	Audit(orgID int64, action, entity string, entityID int64, before, after any) error
	// Later is what the transaction does once at its end, after all the
	// writes it carries (Finish).
	Later() *Later
}

// Later collects what a transaction does once at its end: deriving the
// progress of the tasks its writes touched. A store committing many writes
// together derives each task once, with one set of queries, instead of once
// per write; a write that fails leaves nothing in it.
type Later struct {
	refresh map[int64][]int64 // organisation → tasks
}

// Refresh asks for the progress of tasks of organisation org to be derived
// at the end of the transaction.
func (l *Later) Refresh(org int64, ids ...int64) {
	if l.refresh == nil {
		l.refresh = map[int64][]int64{}
	}
	l.refresh[org] = append(l.refresh[org], ids...)
}

// Merge adds what o holds.
func (l *Later) Merge(o *Later) {
	for org, ids := range o.refresh {
		l.Refresh(org, ids...)
	}
}

// Finish does what l holds, in tx, just before the store commits it.
func (s *Store) Finish(tx Tx, l *Later) error {
	for org, ids := range l.refresh {
		slices.Sort(ids)
		if err := s.refresh(tx, org, slices.Compact(ids)); err != nil {
			return err
		}
	}
	l.refresh = nil
	return nil
}

// Dialect is what differs between the databases.
type Dialect struct {
	// Time is a time as a statement argument.
	Time func(time.Time) any
	// ScanTime and ScanNullTime scan a stored time (NULL for the latter).
	ScanTime     func(*time.Time) sql.Scanner
	ScanNullTime func(**time.Time) sql.Scanner
	// IDs is a subquery of the ids held, as a JSON array, by parameter p.
	IDs func(p string) string
	// Err turns a driver error into a coded one; conflict is the message of
	// a unique violation.
	Err func(err error, conflict string) error
	// LockLedger takes an organisation's ledger lock before its tasks
	// change, where the database needs one; nil where it does not.
	LockLedger func(tx Tx, orgID int64) error
}

// Runner runs the operations of this package in transactions of its store.
// Write commits fn's changes or, when fn fails, none of them; Read gives fn
// one snapshot.
type Runner interface {
	Write(ctx context.Context, a duban.Actor, fn func(Tx) error) error
	Read(ctx context.Context, a duban.Actor, fn func(Tx) error) error
}

// Store is the reporting and supervision part of a store.
type Store struct {
	run      Runner
	d        Dialect
	progress atomic.Pointer[duban.ProgressFunc]
	loc      atomic.Pointer[time.Location]
}

// New returns the part of a store that runs through r in dialect d.
func New(r Runner, d Dialect) *Store {
	return &Store{run: r, d: d}
}

// SetProgressFunc sets how tasks' progress is derived; nil leaves progress as
// it is (tests of other things). It is safe to call while the store is in use.
func (s *Store) SetProgressFunc(f duban.ProgressFunc) {
	if f == nil {
		s.progress.Store(nil)
		return
	}
	s.progress.Store(&f)
}

// Text limits of what units write.
const (
	maxReportText = 10000 // characters per field of a report
	maxShortText  = 500
)

func checkText(field, s string, max int) error {
	if n := len([]rune(s)); n > max {
		return duban.Errorf(duban.CodeInvalid, "%s不能超过 %d 个字（现有 %d 个）", field, max, n)
	}
	return nil
}

func forbidden() error { return duban.Errorf(duban.CodeForbidden, "无权进行此操作") }

func notFound(what string) error { return duban.Errorf(duban.CodeNotFound, "%s不存在", what) }

// isOffice reports whether the actor works in the government office: the
// administrator (办公室) or the supervision office (督查室).
func isOffice(a duban.Actor) bool {
	return a.Role == duban.RoleAdmin || a.Role == duban.RoleSupervisor
}

// visible is the condition that the organisation in column col lies within
// the actor's (theirs or below it), with its arguments appended to args.
func visible(a duban.Actor, col string, args *[]any) string {
	if a.OrgID == 0 {
		return "TRUE"
	}
	*args = append(*args, a.OrgID)
	p := "$" + strconv.Itoa(len(*args))
	return col + ` IN (WITH RECURSIVE vis(id) AS (
		SELECT id FROM orgs WHERE id = ` + p + `
		UNION ALL
		SELECT o.id FROM orgs o JOIN vis ON o.parent_id = vis.id) SELECT id FROM vis)`
}

// holds is the condition that the actor's unit holds task column col in role
// ("lead" or "responsible"), directly or through a group it belongs to.
func holds(a duban.Actor, col, role string, args *[]any) string {
	if a.UnitID == nil {
		return "FALSE"
	}
	*args = append(*args, *a.UnitID)
	p := "$" + strconv.Itoa(len(*args))
	return `EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = ` + col + ` AND tu.role = '` + role + `'
		AND (tu.unit_id = ` + p + ` OR tu.unit_id IN (SELECT m.group_id FROM unit_members m WHERE m.member_id = ` + p + `)))`
}

// taskRef is what an operation needs to know of a task and of the actor's
// place in it.
type taskRef struct {
	id, org     int64
	year        int
	content     string
	deadline    string
	closed      bool
	lead        bool  // the actor's unit leads it
	responsible bool  // the actor's unit is among its responsible units
	leadUnit    int64 // the unit that reports: the actor's, when it leads directly, else the first lead unit
}

// task finds task id as actor a may see it: within the actor's organisation,
// and for a reporter only a task their unit holds. A task outside that scope
// is CodeNotFound, exactly as one that does not exist.
func (s *Store) task(tx Tx, a duban.Actor, id int64) (*taskRef, error) {
	args := []any{id}
	cond := visible(a, "t.org_id", &args)
	lead := holds(a, "t.id", "lead", &args)
	resp := holds(a, "t.id", "responsible", &args)
	var unitArg any = int64(0)
	if a.UnitID != nil {
		unitArg = *a.UnitID
	}
	args = append(args, unitArg)
	direct := "$" + strconv.Itoa(len(args))
	r := &taskRef{}
	var closedAt any
	err := tx.QueryRow(`SELECT t.id, t.org_id, t.year, t.content, t.deadline, t.closed_at, `+lead+`, `+resp+`,
		COALESCE((SELECT tu.unit_id FROM task_units tu WHERE tu.task_id = t.id AND tu.role = 'lead' AND tu.unit_id = `+direct+`),
			(SELECT tu.unit_id FROM task_units tu WHERE tu.task_id = t.id AND tu.role = 'lead' ORDER BY tu.position LIMIT 1), 0)
		FROM tasks t WHERE t.id = $1 AND `+cond, args...).
		Scan(&r.id, &r.org, &r.year, &r.content, &r.deadline, &closedAt, &r.lead, &r.responsible, &r.leadUnit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("任务")
	}
	if err != nil {
		return nil, err
	}
	r.closed = closedAt != nil
	if a.Role == duban.RoleReporter && !r.lead && !r.responsible {
		return nil, notFound("任务")
	}
	return r, nil
}

// marshal encodes v as JSON text for a column.
func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only domain values are encoded here: a failure is a programmer's
		// mistake.
		panic(fmt.Sprintf("supervision: encode %T: %v", v, err))
	}
	return string(b)
}

// jsonColumn scans a text column holding JSON into a value.
type jsonColumn struct{ v any }

func (j jsonColumn) Scan(src any) error {
	switch src := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(src), j.v)
	case []byte:
		return json.Unmarshal(src, j.v)
	}
	return fmt.Errorf("scan json: unexpected %T", src)
}

// page bounds a list: 50 by default, at most 500.
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = 50
	}
	return min(limit, 500), max(offset, 0)
}

// placeholders returns "$from, $from+1, …" for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// actorRef is the actor as a users(id) reference: NULL for the system.
func actorRef(a duban.Actor) any {
	if a.UserID == 0 {
		return nil
	}
	return a.UserID
}

// filter collects the conditions and arguments of a list query.
type filter struct {
	where []string
	args  []any
}

// add adds a condition whose ? stands for v.
func (f *filter) add(cond string, v any) {
	f.args = append(f.args, v)
	f.where = append(f.where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(f.args))))
}

func (f *filter) conditions() string {
	if len(f.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.where, " AND ")
}

// list runs a filtered, paged query in tx: the total count of from (a table
// with its alias, and joins) under f, and the page of rows selected by cols in
// order, each read by scan.
func list[T any](tx Tx, from, cols, order string, f *filter, limit, offset int,
	scan func(interface{ Scan(...any) error }) (T, error)) ([]T, int, error) {
	var total int
	cond := f.conditions()
	if err := tx.QueryRow(`SELECT count(*) FROM `+from+cond, f.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	n := len(f.args)
	rows, err := tx.Query(`SELECT `+cols+` FROM `+from+cond+
		fmt.Sprintf(` ORDER BY %s LIMIT $%d OFFSET $%d`, order, n+1, n+2), append(f.args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

func itoa(n int) string { return strconv.Itoa(n) }

// AuditJSON encodes v for the audit log: nil (SQL NULL) for nothing. Both
// stores and the shared parts write audit values with it.
func AuditJSON(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if string(b) == "null" {
		return nil, nil
	}
	return string(b), nil
}

// WrapErr prefixes a failing operation's error with op, for a deferred call
// on a named error result. Codes survive: they are found with errors.As.
func WrapErr(err *error, op string) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", op, *err)
	}
}
