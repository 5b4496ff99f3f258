package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"duban"
	"duban/metrics"
	"duban/progress"
	"duban/store/postgres"
	"duban/store/sqlite"
)

// ledgerStore is what the commands need of a store: the ledger and its
// migrations. Both stores provide it.
type ledgerStore interface {
	duban.Store
	Migrate(ctx context.Context) ([]string, error)
	SetProgressFunc(duban.ProgressFunc)
	SetLocation(*time.Location)
	SetClock(func() time.Time)
}

// schemaMode says what opening a store does about pending migrations.
type schemaMode int

const (
	schemaCheck   schemaMode = iota // refuse an old schema (serve without -migrate)
	schemaMigrate                   // apply pending migrations
	schemaIgnore                    // neither: `duban migrate` reports what it applies
)

// isPostgres reports whether a database URL names PostgreSQL.
func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// sqlitePath returns the file of a sqlite:// URL: sqlite:///var/lib/duban.db
// is an absolute path, sqlite://duban.db a relative one.
func sqlitePath(url string) string {
	return strings.TrimPrefix(url, "sqlite://")
}

// openStore opens the store cfg.DatabaseURL names. Only this file names the
// concrete stores.
func openStore(ctx context.Context, cfg Config, mode schemaMode) (ledgerStore, error) {
	if isPostgres(cfg.DatabaseURL) {
		st, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{
			Migrate:       mode == schemaMigrate,
			NoSchemaCheck: mode == schemaIgnore,
			Dialect:       cfg.Dialect,
		})
		if err != nil {
			return nil, explainSchema(err)
		}
		configure(st, cfg)
		return st, nil
	}
	path := sqlitePath(cfg.DatabaseURL)
	if mode != schemaMigrate {
		// Opening creates the file: a typo in the path must not give an
		// empty database that then refuses to start for lack of a schema.
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist: create it with `duban migrate`", path)
		}
	} else if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	st, err := sqlite.Open(ctx, path, sqlite.Options{
		Migrate:       mode == schemaMigrate,
		NoSchemaCheck: mode == schemaIgnore,
	})
	if err != nil {
		return nil, explainSchema(err)
	}
	configure(st, cfg)
	return st, nil
}

// configure gives a store what derives its tasks' progress, in the
// configured time zone (validated with the configuration).
func configure(st ledgerStore, cfg Config) {
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		loc = time.UTC
	}
	st.SetLocation(loc)
	st.SetProgressFunc(progress.Func(loc))
}

// explainSchema tells the operator what to do about an old schema.
func explainSchema(err error) error {
	if errors.Is(err, sqlite.ErrSchemaOutdated) || errors.Is(err, postgres.ErrSchemaOutdated) {
		return fmt.Errorf("%w: run `duban migrate` first, or start with -migrate", err)
	}
	return err
}

// watchStore lets m read the store's pool statistics, its task cache's hits
// and misses and, for SQLite, its writer's queue at every scrape.
func watchStore(m *metrics.Metrics, st ledgerStore) {
	if p, ok := st.(interface{ DBStats() map[string]sql.DBStats }); ok {
		m.WatchPools(p.DBStats)
	}
	if c, ok := st.(interface{ TaskCacheStats() (hits, misses uint64) }); ok {
		m.WatchCache("tasks", c.TaskCacheStats)
	}
	if s, ok := st.(*sqlite.Store); ok {
		m.WatchWriteQueue(func() (uint64, time.Duration, uint64) {
			q := s.WriteQueueStats()
			return q.Writes, q.Wait, q.Batches
		})
	}
}
