package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

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
	// MaxConns bounds the connection pool; 0 means 20.
	MaxConns int
	// CachedTasks bounds the tasks kept in memory for task lists
	// (store/internal/taskcache); 0 means 100,000 (about 90 MB), and a
	// negative number turns the cache off.
	CachedTasks int
	// Dialect names the server: "" or "postgres" for PostgreSQL 12 and
	// later, "opengauss" for openGauss and other servers derived from
	// PostgreSQL 9.2 (see doc.go).
	Dialect string
}

// ErrSchemaOutdated is returned (wrapped) by Open when migrations are pending
// and Options.Migrate is not set.
var ErrSchemaOutdated = duban.ErrSchemaOutdated

// Store is the PostgreSQL implementation of duban.Store.
type Store struct {
	// Store holds the reporting and supervision loop (shared.go).
	*supervision.Store
	// Accounts holds users, sessions, API tokens and failed sign-ins.
	*account.Accounts

	db      *sql.DB
	clock   atomic.Pointer[func() time.Time]
	cache   *taskcache.Cache
	dialect dialect
}

var _ duban.Store = (*Store)(nil)

// dialect holds what differs between PostgreSQL and its descendants.
type dialect struct {
	// followedBy joins the bigrams of a phrase in a tsquery: "<->" where
	// phrase search exists (PostgreSQL 9.6 and later), "&" where it does
	// not, which finds the same bigrams anywhere in the task.
	followedBy string
}

func dialectOf(name string) (dialect, error) {
	switch name {
	case "", "postgres":
		return dialect{followedBy: " <-> "}, nil
	case "opengauss":
		return dialect{followedBy: " & "}, nil
	}
	return dialect{}, fmt.Errorf("unknown dialect %q", name)
}

// Open connects to the PostgreSQL database at url (a postgres:// URL or a
// key=value connection string, as pgx reads it). A search_path parameter in
// the URL selects the schema.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	d, err := dialectOf(opts.Dialect)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	n := opts.MaxConns
	if n <= 0 {
		n = 20
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	cached := opts.CachedTasks
	if cached == 0 {
		cached = 100_000
	}
	s := &Store{db: db, cache: taskcache.New(cached), dialect: d}
	s.Store = supervision.New(s, sharedDialect)
	s.Accounts = account.New(s, sharedDialect)
	s.SetClock(opts.Now)
	switch {
	case opts.Migrate:
		_, err = s.Migrate(ctx)
	case !opts.NoSchemaCheck:
		err = s.checkSchema(ctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return s, nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }

// DB returns the connection pool, for tools and tests that need raw SQL. It
// bypasses scope and audit.
func (s *Store) DB() *sql.DB { return s.db }

// SetClock replaces the clock that stamps changes; nil means time.Now. It is
// meant for tests and demo set-ups and is safe to call while the store is in
// use.
func (s *Store) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.clock.Store(&now)
}

// now reads the clock, in UTC and to the microsecond (what timestamptz keeps).
func (s *Store) now() time.Time {
	return (*s.clock.Load())().UTC().Truncate(time.Microsecond)
}

// txn is one store operation: a transaction, the time it fixes and its actor.
type txn struct {
	*sql.Tx
	now   time.Time
	actor duban.Actor
	// search holds the search tokens of the tasks the transaction saved,
	// by task ID, written at commit (flushSearch).
	search map[int64]string
}

// begin starts a write transaction (READ COMMITTED: updates check the version
// they expect in their WHERE clause).
func (s *Store) begin(ctx context.Context, a duban.Actor) (*txn, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, now: s.now(), actor: a}, nil
}

// beginRead starts a read-only transaction that sees one snapshot in all its
// queries (REPEATABLE READ): the task cache relies on it.
func (s *Store) beginRead(ctx context.Context) (*txn, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, now: s.now()}, nil
}

// Commit writes the queued search tokens and commits the transaction.
func (t *txn) Commit() error {
	if err := t.flushSearch(context.Background()); err != nil {
		return err
	}
	return t.Tx.Commit()
}

// exec, query and queryRow run a statement in the transaction. pgx prepares
// and caches statements per connection by itself.
func (t *txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, query, args...)
}

func (t *txn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, query, args...)
}

func (t *txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.QueryRowContext(ctx, query, args...)
}

// actorRef is the actor as a users(id) reference: NULL for the system.
func (t *txn) actorRef() any {
	if t.actor.UserID == 0 {
		return nil
	}
	return t.actor.UserID
}

// lockLedger takes organisation orgID's ledger lock (its ledger_seq row)
// before a transaction changes its tasks. Every such transaction takes it
// first, so two of them never wait for each other's task rows in opposite
// orders (the sequence triggers would otherwise take it half-way).
func (t *txn) lockLedger(ctx context.Context, orgID int64) error {
	_, err := t.exec(ctx, `UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = $1`, orgID)
	return err
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
		orgID, t.actor.UserID, t.actor.Username, t.now, action, entity, entityID, b, a)
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
	orgs, ids := make([]int64, len(entries)), make([]int64, len(entries))
	actions, entities := make([]string, len(entries)), make([]string, len(entries))
	befores, afters := make([]*string, len(entries)), make([]*string, len(entries))
	for i, e := range entries {
		b, err := supervision.AuditJSON(e.before)
		if err != nil {
			return err
		}
		a, err := supervision.AuditJSON(e.after)
		if err != nil {
			return err
		}
		orgs[i], actions[i], entities[i], ids[i] = e.orgID, e.action, e.entity, e.entityID
		if b, ok := b.(string); ok {
			befores[i] = &b
		}
		if a, ok := a.(string); ok {
			afters[i] = &a
		}
	}
	// ORDER BY: the entries take their IDs in order.
	_, err := t.exec(ctx, `INSERT INTO audit_log (org_id, actor_id, actor, at, action, entity, entity_id, before, after)
		SELECT ($1::bigint[])[i], $2::bigint, $3::text, $4::timestamptz, ($5::text[])[i], ($6::text[])[i], ($7::bigint[])[i],
			($8::text[])[i]::json, ($9::text[])[i]::json
		FROM generate_series(1, array_length($1::bigint[], 1)) AS i ORDER BY i`,
		orgs, t.actor.UserID, t.actor.Username, t.now, actions, entities, ids, befores, afters)
	return err
}

// dbErr turns a constraint violation into a coded error by SQLSTATE (never by
// message text): unique_violation is CodeConflict with message conflict,
// foreign_key_violation, check_violation and not_null_violation are
// CodeInvalid. Other errors pass through.
func dbErr(err error, conflict string) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case "23505": // unique_violation
		if conflict == "" {
			conflict = "记录已存在"
		}
		return duban.Errorf(duban.CodeConflict, "%s", conflict)
	case "23503": // foreign_key_violation
		return duban.Errorf(duban.CodeInvalid, "引用的记录不存在")
	case "23514", "23502": // check_violation, not_null_violation
		return duban.Errorf(duban.CodeInvalid, "数据不完整或取值无效")
	}
	return err
}

// notFound is the error for a missing row, or one outside the actor's scope.
func notFound(what string) error { return duban.Errorf(duban.CodeNotFound, "%s不存在", what) }

// ts returns t in UTC for storage.
func ts(t time.Time) time.Time { return t.UTC() }

// utcTime scans a timestamptz into *t, in UTC.
type utcTime struct{ t *time.Time }

func (d utcTime) Scan(v any) error {
	t, ok := v.(time.Time)
	if !ok {
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	*d.t = t.UTC()
	return nil
}

// nullUTCTime scans a timestamptz or NULL into **t, in UTC.
type nullUTCTime struct{ t **time.Time }

func (d nullUTCTime) Scan(v any) error {
	if v == nil {
		*d.t = nil
		return nil
	}
	var t time.Time
	if err := (utcTime{&t}).Scan(v); err != nil {
		return err
	}
	*d.t = &t
	return nil
}

// jsonText scans a json column, or NULL, into a json.RawMessage.
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

// idList is ids for `= ANY($n)`, never NULL.
func idList(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
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
