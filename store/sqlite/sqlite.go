package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"duban"
	"duban/store/internal/account"
	"duban/store/internal/supervision"
	"duban/store/internal/taskcache"
)

// Options configure Open.
type Options struct {
	// Now is the clock that stamps every change; nil means time.Now.
	Now func() time.Time
	// Migrate applies pending migrations at open. Without it, Open refuses a
	// database whose schema is not current (ErrSchemaOutdated).
	Migrate bool
	// NoSchemaCheck skips the schema check at open, for `duban migrate`,
	// which opens the store only to call Migrate and report what it applied.
	NoSchemaCheck bool
	// ReadConns is the size of the read pool; 0 means max(4, GOMAXPROCS).
	ReadConns int
	// CachedTasks bounds the tasks kept in memory for task lists
	// (store/internal/taskcache); 0 means 100,000 (about 90 MB), and a
	// negative number turns the cache off.
	CachedTasks int
}

// ErrSchemaOutdated is returned (wrapped) by Open when migrations are pending
// and Options.Migrate is not set.
var ErrSchemaOutdated = duban.ErrSchemaOutdated

// Store is the SQLite implementation of duban.Store. All writes go through one
// connection (SQLite has one writer at a time); reads use a pool of read-only
// connections, which WAL lets run beside the writer.
type Store struct {
	// Store holds the reporting and supervision loop, whose writes go
	// through the committer (batch.go).
	*supervision.Store
	// Accounts holds users, sessions, API tokens and failed sign-ins,
	// whose writes go through the committer too.
	*account.Accounts
	committer *committer
	// locks are the job locks held (TryLock).
	locksMu sync.Mutex
	locks   map[string]bool

	path  string
	write *sql.DB // one connection: SQLite has one writer at a time
	read  *sql.DB
	clock atomic.Pointer[func() time.Time]
	cache *taskcache.Cache
	// stmts holds statements prepared on the read pool, by query text:
	// parsing a query costs as much as running it.
	stmts sync.Map
}

var _ duban.Store = (*Store)(nil)

// busyTimeout is how long a connection waits for a lock held by another
// process (a backup, `duban migrate`) before giving up.
const busyTimeout = "10000"

// Open opens (creating if needed) the SQLite database file at path, which may
// carry a "sqlite://" prefix. Connections set busy_timeout first, then WAL,
// foreign_keys=ON and synchronous=FULL: a change is on disk before the store
// returns, so an acknowledged report survives a power cut, not only a killed
// process. The commits that cost are grouped (batch.go).
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "sqlite:")
	switch {
	case path == "":
		return nil, errors.New("open sqlite: empty path")
	case path == ":memory:" || strings.HasPrefix(path, "file:"):
		return nil, fmt.Errorf("open sqlite: %q: give a file path (the writer and the read pool must share one file)", path)
	case strings.ContainsAny(path, "?#"):
		return nil, fmt.Errorf("open sqlite: %q: a path may not contain ? or #", path)
	}
	// busy_timeout first, so that the next pragmas wait for a lock instead of
	// failing; the driver applies _busy_timeout, then _pragma, then
	// _foreign_keys, then _synchronous.
	write, err := sql.Open("sqlite", path+"?_busy_timeout="+busyTimeout+
		"&_pragma=journal_mode(WAL)&_foreign_keys=1&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	// The writer connects first so that the file is in WAL mode before any
	// reader opens it.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read, err := sql.Open("sqlite", path+"?_busy_timeout="+busyTimeout+
		"&_foreign_keys=1&_query_only=1")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	n := opts.ReadConns
	if n <= 0 {
		n = max(4, runtime.GOMAXPROCS(0))
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	cached := opts.CachedTasks
	if cached == 0 {
		cached = 100_000
	}
	s := &Store{path: path, write: write, read: read, cache: taskcache.New(cached)}
	s.Store = supervision.New(s, sharedDialect)
	s.Accounts = account.New(s, sharedDialect)
	s.committer = newCommitter(s)
	s.SetClock(opts.Now)
	switch {
	case opts.Migrate:
		_, err = s.Migrate(ctx)
	case !opts.NoSchemaCheck:
		err = s.checkSchema(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	return s, nil
}

// Close optimises the query planner's statistics and closes the database.
func (s *Store) Close() error {
	// PRAGMA optimize is cheap and keeps the planner's statistics fresh; it
	// is what SQLite recommends running before closing.
	s.committer.close()
	s.write.Exec("PRAGMA optimize")
	return errors.Join(s.read.Close(), s.write.Close())
}

// DB returns the write connection, for tools and tests that need raw SQL. It
// bypasses scope and audit.
func (s *Store) DB() *sql.DB { return s.write }

// SetClock replaces the clock that stamps changes; nil means time.Now. It is
// meant for tests and demo set-ups and is safe to call while the store is in
// use.
func (s *Store) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.clock.Store(&now)
}

// now reads the clock, in UTC and to the microsecond (what both stores keep).
func (s *Store) now() time.Time {
	return (*s.clock.Load())().UTC().Truncate(time.Microsecond)
}

// txn is one store operation: a transaction, the time it fixes and its actor.
type txn struct {
	*sql.Tx
	now   time.Time
	actor duban.Actor
	stmts map[string]*sql.Stmt
	read  *Store // for read transactions: the store whose prepared statements they use
	// search holds the search tokens of the tasks the transaction saved,
	// by task ID, written at commit (flushSearch).
	search map[int64]string
	// unpooled lists the queries this read transaction prepared for itself
	// because the pool had no statement for them yet; they are prepared on
	// the pool once the transaction has given its connection back.
	unpooled []string
}

// begin starts a write transaction. With _txlock=immediate it takes SQLite's
// write lock at once, so that it never fails half-way on a busy database.
func (s *Store) begin(ctx context.Context, a duban.Actor) (*txn, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, now: s.now(), actor: a, stmts: make(map[string]*sql.Stmt)}, nil
}

// beginRead starts a read transaction on the pool: one snapshot for all the
// queries of an operation.
func (s *Store) beginRead(ctx context.Context) (*txn, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, now: s.now(), stmts: make(map[string]*sql.Stmt), read: s}, nil
}

// stmt prepares query once per transaction: an import runs the same inserts
// hundreds of times.
func (t *txn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if pooled, ok := t.pooledStmt(query); ok {
		// database/sql prepares a pool statement once per connection.
		st = t.StmtContext(ctx, pooled)
	} else if t.read != nil {
		// Preparing on the pool now would wait for a second connection
		// while this transaction holds one: with every connection held by
		// a transaction doing the same, nobody would ever get one.
		var err error
		if st, err = t.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		t.unpooled = append(t.unpooled, query)
	} else {
		var err error
		if st, err = t.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	t.stmts[query] = st
	return st, nil
}

// pooledStmt returns the read pool's statement for query, if a read
// transaction has prepared it there.
func (t *txn) pooledStmt(query string) (*sql.Stmt, bool) {
	if t.read == nil {
		return nil, false
	}
	st, ok := t.read.stmts.Load(query)
	if !ok {
		return nil, false
	}
	return st.(*sql.Stmt), true
}

// Commit writes the queued search tokens and commits the transaction, then
// prepares on the read pool what it had to prepare for itself.
func (t *txn) Commit() error {
	if err := t.flushSearch(context.Background()); err != nil {
		return err
	}
	err := t.Tx.Commit()
	t.poolStatements()
	return err
}

// Rollback rolls the transaction back (a no-op after Commit), then prepares
// on the read pool what it had to prepare for itself.
func (t *txn) Rollback() error {
	err := t.Tx.Rollback()
	t.poolStatements()
	return err
}

// poolStatements prepares the unpooled queries on the read pool, now that the
// transaction holds no connection. The queries are built from fixed
// fragments, so there are only so many. A failure only means the next
// transaction prepares the query for itself again.
func (t *txn) poolStatements() {
	if len(t.unpooled) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, query := range t.unpooled {
		if _, ok := t.read.stmts.Load(query); ok {
			continue
		}
		st, err := t.read.read.PrepareContext(ctx, query)
		if err != nil {
			break
		}
		if _, loaded := t.read.stmts.LoadOrStore(query, st); loaded {
			st.Close()
		}
	}
	t.unpooled = nil
}

func (t *txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *txn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow is QueryRowContext through the statement cache.
func (t *txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, query)
	if err != nil {
		// Let Scan report the error: QueryRowContext on the transaction
		// prepares again and fails the same way.
		return t.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// actorRef is the actor as a users(id) reference: NULL for the system.
func (t *txn) actorRef() any {
	if t.actor.UserID == 0 {
		return nil
	}
	return t.actor.UserID
}

// audit appends an entry to the audit log: the transaction's actor and time,
// and before and after as JSON of the domain values (nil for none).
func (t *txn) audit(ctx context.Context, orgID int64, action, entity string, entityID int64, before, after any) error {
	b, err := supervision.AuditJSON(before)
	if err != nil {
		return err
	}
	a, err := supervision.AuditJSON(after)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO audit_log (org_id, actor_id, actor, at, action, entity, entity_id, before, after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		orgID, t.actor.UserID, t.actor.Username, ts(t.now), action, entity, entityID, b, a)
	return err
}

// auditEntry is an entry for auditAll: what audit takes besides the context.
type auditEntry struct {
	orgID          int64
	action, entity string
	entityID       int64
	before, after  any
}

// auditAll appends entries to the audit log in one statement, in order, as
// audit would one by one.
func (t *txn) auditAll(ctx context.Context, entries []auditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	// before and after go in as JSON, not as strings of JSON: -> gives back
	// their text as it was (JSONB keeps the text of strings and numbers),
	// without escaping it twice. JSON null is SQL NULL, as in audit.
	rows := make([][6]any, len(entries)) // org_id, action, entity, entity_id, before, after
	for i, e := range entries {
		rows[i] = [6]any{e.orgID, e.action, e.entity, e.entityID, e.before, e.after}
	}
	js, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO audit_log (org_id, actor_id, actor, at, action, entity, entity_id, before, after)
		SELECT value->>0, $1, $2, $3, value->>1, value->>2, value->>3, nullif(value->4, 'null'), nullif(value->5, 'null')
		FROM jsonb_each($4)`,
		t.actor.UserID, t.actor.Username, ts(t.now), string(js))
	return err
}

// dbErr turns a constraint violation into a coded error by SQLite's extended
// result code (never by message text): a unique or primary key violation is
// CodeConflict with message conflict, a foreign key, check or not-null
// violation is CodeInvalid. Other errors pass through.
func dbErr(err error, conflict string) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		if conflict == "" {
			conflict = "记录已存在"
		}
		return duban.Errorf(duban.CodeConflict, "%s", conflict)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return duban.Errorf(duban.CodeInvalid, "引用的记录不存在")
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return duban.Errorf(duban.CodeInvalid, "数据不完整或取值无效")
	}
	return err
}

// notFound is the error for a missing row, or one outside the actor's scope.
func notFound(what string) error { return duban.Errorf(duban.CodeNotFound, "%s不存在", what) }

// timeLayout is RFC 3339 in UTC with a fixed width, so that text order is time
// order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// ts formats t for storage.
func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

// timeText scans stored time text into *t.
type timeText struct{ t *time.Time }

func (d timeText) Scan(v any) error {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*d.t = t.UTC()
	return nil
}

// nullTimeText scans stored time text or NULL into **t.
type nullTimeText struct{ t **time.Time }

func (d nullTimeText) Scan(v any) error {
	if v == nil {
		*d.t = nil
		return nil
	}
	var t time.Time
	if err := (timeText{&t}).Scan(v); err != nil {
		return err
	}
	*d.t = &t
	return nil
}

// jsonText scans a TEXT column holding JSON, or NULL, into a json.RawMessage.
type jsonText struct{ m *json.RawMessage }

func (d jsonText) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*d.m = nil
	case string:
		*d.m = json.RawMessage(v)
	case []byte:
		*d.m = append(json.RawMessage(nil), v...)
	default:
		return fmt.Errorf("scan json: unexpected %T", v)
	}
	return nil
}

// idList encodes ids for `IN (SELECT value FROM json_each($n))`.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// query collects the arguments of a query built from fixed fragments.
type query struct {
	with  []string
	where []string
	args  []any
}

// arg adds v to the arguments and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// prefix returns the WITH clause, if any.
func (q *query) prefix() string {
	if len(q.with) == 0 {
		return ""
	}
	return "WITH RECURSIVE " + strings.Join(q.with, ", ") + " "
}

// conditions returns the WHERE clause.
func (q *query) conditions() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}
