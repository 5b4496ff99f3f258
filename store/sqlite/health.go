package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

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

// Ready returns nil when the read pool answers within two seconds and the
// newest migration recorded is the newest this program embeds; otherwise an
// error, wrapping ErrSchemaOutdated when the schema differs. The writer is
// left alone: a probe must not queue behind a batch of submissions.
func (s *Store) Ready(ctx context.Context) (err error) {
	defer supervision.WrapErr(&err, "ready")
	want, err := newestMigration()
	if err != nil {
		return err
	}
	return supervision.Ready(ctx, s.read, want)
}

// DBStats returns the statistics of the store's two connection pools, by
// name: "read" (the read-only pool) and "write" (the one writer connection).
func (s *Store) DBStats() map[string]sql.DBStats {
	return map[string]sql.DBStats{"read": s.read.Stats(), "write": s.write.Stats()}
}

// WriteQueueStats are the totals of the writes the group-committing writer
// has taken since the store opened.
type WriteQueueStats struct {
	Writes  uint64        // writes taken from the queue
	Wait    time.Duration // their time in the queue, summed: from Write to their turn in a batch
	Batches uint64        // transactions committed (or failed)
}

// writeQueueCounters count what WriteQueueStats reports.
type writeQueueCounters struct {
	writes, waitNanos, batches atomic.Uint64
}

// WriteQueueStats returns the totals of the writes queued for the writer.
func (s *Store) WriteQueueStats() WriteQueueStats {
	c := &s.committer.stats
	return WriteQueueStats{
		Writes:  c.writes.Load(),
		Wait:    time.Duration(c.waitNanos.Load()),
		Batches: c.batches.Load(),
	}
}

// TaskCacheStats returns how often the task cache had an organisation's tasks
// at the asked version (hits) and how often it did not (misses).
func (s *Store) TaskCacheStats() (hits, misses uint64) {
	return s.cache.Stats()
}
