package postgres

import (
	"context"
	"database/sql"
	"time"

	"duban"
	"duban/store/internal/supervision"
)

// Write runs fn in a transaction of its own: PostgreSQL commits concurrent
// transactions together by itself.
func (s *Store) Write(ctx context.Context, a duban.Actor, fn func(supervision.Tx) error) error {
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var later supervision.Later
	stx := sharedTx{ctx: ctx, t: tx, later: &later}
	if err := fn(stx); err != nil {
		return err
	}
	if err := s.Finish(stx, &later); err != nil {
		return err
	}
	return tx.Commit()
}

// Read runs fn in a read-only transaction: one snapshot.
func (s *Store) Read(ctx context.Context, a duban.Actor, fn func(supervision.Tx) error) error {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tx.actor = a
	if err := fn(sharedTx{ctx: ctx, t: tx, later: &supervision.Later{}}); err != nil {
		return err
	}
	return tx.Commit()
}

// sharedTx is a transaction of this store as package supervision uses it.
type sharedTx struct {
	ctx   context.Context
	t     *txn
	later *supervision.Later
}

func (x sharedTx) Exec(query string, args ...any) (sql.Result, error) {
	return x.t.exec(x.ctx, query, args...)
}

func (x sharedTx) Query(query string, args ...any) (*sql.Rows, error) {
	return x.t.query(x.ctx, query, args...)
}

func (x sharedTx) QueryRow(query string, args ...any) *sql.Row {
	return x.t.queryRow(x.ctx, query, args...)
}

func (x sharedTx) Now() time.Time            { return x.t.now }
func (x sharedTx) Later() *supervision.Later { return x.later }
func (x sharedTx) Actor() duban.Actor        { return x.t.actor }

func (x sharedTx) Audit(orgID int64, action, entity string, entityID int64, before, after any) error {
	return x.t.audit(x.ctx, orgID, action, entity, entityID, before, after)
}

// sharedDialect is how package supervision writes for PostgreSQL.
var sharedDialect = supervision.Dialect{
	Time:         func(t time.Time) any { return t.UTC() },
	ScanTime:     func(t *time.Time) sql.Scanner { return utcTime{t} },
	ScanNullTime: func(t **time.Time) sql.Scanner { return nullUTCTime{t} },
	IDs:          func(p string) string { return "SELECT (jsonb_array_elements_text(" + p + "::jsonb))::bigint" },
	Err:          dbErr,
	LockLedger: func(tx supervision.Tx, orgID int64) error {
		_, err := tx.Exec(`UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = $1`, orgID)
		return err
	},
}

// TryLock takes the session-level advisory lock named name on a connection
// of its own, without waiting, so that of several servers on one database
// exactly one runs a job. The lock lasts until release, or until the
// connection dies with its server.
func (s *Store) TryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, name).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtext($1))`, name)
		conn.Close()
	}, true, nil
}
