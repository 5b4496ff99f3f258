package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"duban"
	"duban/store/internal/supervision"
)

// SQLite writes one transaction at a time and, with synchronous=FULL, waits
// for the disk at every commit: a few hundred commits a second on the disks
// government offices have. When 2,000 units submit before a deadline, their
// writes are committed together instead (group commit): one goroutine takes
// every write waiting, runs each in a savepoint of one transaction, commits
// once, and only then answers each caller. A write that fails rolls back to
// its savepoint and fails alone; a commit that fails fails them all, and
// nothing is acknowledged that is not on disk.

// maxBatch bounds the writes committed together.
const maxBatch = 512

// writeReq is one write waiting for the committer.
type writeReq struct {
	ctx   context.Context
	actor duban.Actor
	fn    func(supervision.Tx) error
	done  chan error
	err   error
	// queued is when the write joined the queue, for WriteQueueStats.
	queued time.Time
}

// committer runs the batched writes of a store.
type committer struct {
	s       *Store
	reqs    chan *writeReq
	quit    chan struct{}
	done    chan struct{}
	closing sync.Once
	stats   writeQueueCounters
}

func newCommitter(s *Store) *committer {
	c := &committer{s: s, reqs: make(chan *writeReq, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// close stops the committer once the writes already queued are committed.
// Calling it again does nothing.
func (c *committer) close() {
	c.closing.Do(func() { close(c.quit) })
	<-c.done
}

func (c *committer) loop() {
	defer close(c.done)
	for {
		var first *writeReq
		select {
		case first = <-c.reqs:
		case <-c.quit:
			// Answer what is still queued, then stop.
			for {
				select {
				case r := <-c.reqs:
					c.commit([]*writeReq{r})
				default:
					return
				}
			}
		}
		batch := []*writeReq{first}
		// Whatever arrived while the last commit waited for the disk goes
		// into this one.
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		c.commit(batch)
	}
}

// commit runs a batch in one transaction and answers its callers.
func (c *committer) commit(batch []*writeReq) {
	// The statements run under a context no caller can cancel: SQLite rolls
	// back the whole transaction when a statement in it is interrupted.
	ctx := context.Background()
	start := time.Now()
	var wait time.Duration
	for _, r := range batch {
		wait += start.Sub(r.queued)
	}
	c.stats.writes.Add(uint64(len(batch)))
	c.stats.waitNanos.Add(uint64(max(wait, 0)))
	c.stats.batches.Add(1)
	tx, err := c.s.begin(ctx, duban.Actor{})
	if err == nil {
		var later supervision.Later
		for _, r := range batch {
			r.err = c.apply(ctx, tx, r, &later)
		}
		tx.actor = duban.System(0)
		if err = c.s.Finish(sharedTx{ctx: ctx, t: tx, later: &later}, &later); err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
	}
	if err != nil {
		err = fmt.Errorf("commit: %w", err)
	}
	for _, r := range batch {
		if err != nil {
			r.err = err
		}
		r.done <- r.err
	}
}

// apply runs one write in a savepoint of tx: on failure, its changes alone
// are undone.
func (c *committer) apply(ctx context.Context, tx *txn, r *writeReq, later *supervision.Later) (err error) {
	if err := r.ctx.Err(); err != nil {
		return err // its caller gave up before it started
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
		return err
	}
	tx.actor = r.actor
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in write: %v", p)
		}
		if err != nil {
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO w"); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if _, rerr := tx.ExecContext(ctx, "RELEASE w"); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	// A write's queued search tokens belong to it: keep them apart so that a
	// rolled-back write leaves none behind.
	search := tx.search
	tx.search = nil
	var mine supervision.Later
	err = r.fn(sharedTx{ctx: ctx, t: tx, later: &mine})
	if err == nil {
		later.Merge(&mine)
		for id, doc := range tx.search {
			if search == nil {
				search = map[int64]string{}
			}
			search[id] = doc
		}
	}
	tx.search = search
	return err
}

// Write runs fn in the next batch and returns once its changes are on disk,
// or with fn's error and none of its changes.
func (s *Store) Write(ctx context.Context, a duban.Actor, fn func(supervision.Tx) error) error {
	c := s.committer
	r := &writeReq{ctx: ctx, actor: a, fn: fn, done: make(chan error, 1), queued: time.Now()}
	select {
	case <-c.quit:
		return errClosed
	default:
	}
	select {
	case c.reqs <- r:
	case <-c.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the write is committed or not whatever the caller does:
	// wait for the answer, so that a 2xx is never sent for a write that
	// then fails, nor an error for one that is on disk.
	select {
	case err := <-r.done:
		return err
	case <-c.done:
		// Closed: the committer answered everything it took before it
		// stopped; a write it never took was not made.
		select {
		case err := <-r.done:
			return err
		default:
			return errClosed
		}
	}
}

// errClosed is the error of a write to a closed store.
var errClosed = errors.New("store is closed")

// Read runs fn in a read transaction: one snapshot.
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

// sharedDialect is how package supervision writes for SQLite.
var sharedDialect = supervision.Dialect{
	Time:         func(t time.Time) any { return ts(t) },
	ScanTime:     func(t *time.Time) sql.Scanner { return timeText{t} },
	ScanNullTime: func(t **time.Time) sql.Scanner { return nullTimeText{t} },
	IDs:          func(p string) string { return "SELECT value FROM json_each(" + p + ")" },
	Err:          dbErr,
}

// TryLock takes the lock named name without waiting. One process serves a
// SQLite database, so the lock is the process's own; a `duban job run` beside
// the server is kept honest by the jobs' idempotence, not by this lock.
func (s *Store) TryLock(_ context.Context, name string) (release func(), ok bool, err error) {
	s.locksMu.Lock()
	defer s.locksMu.Unlock()
	if s.locks == nil {
		s.locks = map[string]bool{}
	}
	if s.locks[name] {
		return nil, false, nil
	}
	s.locks[name] = true
	return func() {
		s.locksMu.Lock()
		defer s.locksMu.Unlock()
		delete(s.locks, name)
	}, true, nil
}
