package sqlite

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"duban/store/internal/supervision"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered file of migrations/.
type migration struct {
	name string // "0001_init"
	sql  string
}

// migrations returns the embedded migrations in order.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var ms []migration
	for _, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "migrations/"), ".sql")
		ms = append(ms, migration{name: name, sql: string(b)})
	}
	return ms, nil
}

const createSchemaMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	name       TEXT PRIMARY KEY,
	applied_at TEXT NOT NULL
)`

// Migrate applies the pending migrations, each in its own transaction and
// recorded in schema_migrations, and returns the names of those it applied.
// Several processes may call it at once: SQLite's write lock serialises them.
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	defer supervision.WrapErr(&err, "migrate")
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	if _, err := s.write.ExecContext(ctx, createSchemaMigrations); err != nil {
		return nil, err
	}
	for _, m := range ms {
		ok, err := s.applyMigration(ctx, m)
		if err != nil {
			return applied, fmt.Errorf("%s: %w", m.name, err)
		}
		if ok {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// applyMigration applies m unless it is recorded already.
func (s *Store) applyMigration(ctx context.Context, m migration) (bool, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, m.name).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, m.name, ts(s.now())); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// checkSchema returns an error wrapping ErrSchemaOutdated when migrations are
// pending, and an error when the database holds migrations this program does
// not know (it was migrated by a newer version).
func (s *Store) checkSchema(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var exists int
	if err := s.read.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists); err != nil {
		return err
	}
	done := make(map[string]bool)
	if exists > 0 {
		rows, err := s.read.QueryContext(ctx, `SELECT name FROM schema_migrations`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return err
			}
			done[name] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	var pending []string
	for _, m := range ms {
		if !done[m.name] {
			pending = append(pending, m.name)
		}
		delete(done, m.name)
	}
	if len(done) > 0 {
		return errors.New("database schema is newer than this program: upgrade duban")
	}
	if len(pending) > 0 {
		return fmt.Errorf("%w: %d migrations pending (%s); run `duban migrate` or start with -migrate",
			ErrSchemaOutdated, len(pending), strings.Join(pending, ", "))
	}
	return nil
}
