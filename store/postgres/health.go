package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"duban/store/internal/supervision"
)

// newestMigration is the name of the last embedded migration.
var newestMigration = sync.OnceValues(func() (string, error) {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return "", fmt.Errorf("no migrations embedded: %v", err)
	}
	return ms[len(ms)-1].name, nil
})

// Ready returns nil when the database answers within two seconds and the
// newest migration recorded is the newest this program embeds; otherwise an
// error, wrapping ErrSchemaOutdated when the schema differs.
func (s *Store) Ready(ctx context.Context) (err error) {
	defer supervision.WrapErr(&err, "ready")
	want, err := newestMigration()
	if err != nil {
		return err
	}
	return supervision.Ready(ctx, s.db, want)
}

// DBStats returns the statistics of the store's connection pool, under the
// name "main". The pool is database/sql's over pgx's driver, so these are
// the pool's own numbers: connections open, in use and idle, and the waits
// for a free one.
func (s *Store) DBStats() map[string]sql.DBStats {
	return map[string]sql.DBStats{"main": s.db.Stats()}
}

// TaskCacheStats returns how often the task cache had an organisation's tasks
// at the asked version (hits) and how often it did not (misses).
func (s *Store) TaskCacheStats() (hits, misses uint64) {
	return s.cache.Stats()
}
