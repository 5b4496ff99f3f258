package taskcache

import (
	"slices"
	"sync/atomic"

	"duban"
	"duban/internal/lru"
)

// Cache holds the tasks of organisations, each as of a sequence number, at
// most a number of tasks in all (the organisations used least recently go
// first). It is safe for concurrent use.
type Cache struct {
	orgs *lru.Cache[int64, *entry] // the size of an entry is its tasks
	max  int
	// hits and misses count the lookups of Org and Ordered, for Stats.
	hits, misses atomic.Uint64
}

type entry struct {
	seq     int64
	byID    map[int64]*duban.Task // never changed once cached
	ordered []*duban.Task         // the same tasks, in the order Put was given them
}

// New returns a cache holding at most maxTasks tasks; 0 or less disables it.
func New(maxTasks int) *Cache {
	return &Cache{orgs: lru.New[int64, *entry](maxTasks), max: maxTasks}
}

// Org returns the tasks of organisation orgID as of seq, by ID, or nil when
// they are not cached at that sequence number. The tasks must not be changed:
// hand out Clones.
func (c *Cache) Org(orgID, seq int64) map[int64]*duban.Task {
	if e, ok := c.orgs.Get(orgID); ok && e.seq == seq {
		c.hits.Add(1)
		return e.byID
	}
	c.misses.Add(1)
	return nil
}

// Ordered returns the tasks of organisation orgID as of seq in the order Put
// was given them (the ledger's order), or nil when they are not cached at that
// sequence number. Neither the slice nor the tasks may be changed: hand out
// Clones.
func (c *Cache) Ordered(orgID, seq int64) []*duban.Task {
	if e, ok := c.orgs.Get(orgID); ok && e.seq == seq {
		c.hits.Add(1)
		return e.ordered
	}
	c.misses.Add(1)
	return nil
}

// Stats returns how many lookups (Org and Ordered) found the organisation's
// tasks at the sequence number asked for, and how many did not.
func (c *Cache) Stats() (hits, misses uint64) {
	return c.hits.Load(), c.misses.Load()
}

// Put caches tasks as all the tasks of organisation orgID as of seq, read in
// one committed snapshot, in the ledger's order. An older sequence number than
// the one cached is ignored. The cache keeps the tasks and the slice: the
// caller must not change them.
func (c *Cache) Put(orgID, seq int64, tasks []*duban.Task) {
	if len(tasks) > c.max {
		return
	}
	byID := make(map[int64]*duban.Task, len(tasks))
	for _, t := range tasks {
		byID[t.ID] = t
	}
	c.orgs.Put(orgID, &entry{seq: seq, byID: byID, ordered: tasks}, len(tasks), func(old *entry) bool { return old.seq > seq })
}

// Clone returns a copy of t that shares nothing with it. A page of a few
// hundred tasks is cloned for every request, so the copy takes at most six
// allocations: the task, its numbers, its names, its numbers with fractions,
// its targets and its closing time.
func Clone(t *duban.Task) *duban.Task {
	c := *t
	ids := make([]int64, 0, len(t.LeaderIDs)+len(t.LeadUnitIDs)+len(t.ResponsibleUnitIDs)+2)
	if t.DocumentID != nil {
		c.DocumentID = &take(&ids, []int64{*t.DocumentID})[0]
	}
	if t.ClosedBy != nil {
		c.ClosedBy = &take(&ids, []int64{*t.ClosedBy})[0]
	}
	c.LeaderIDs = take(&ids, t.LeaderIDs)
	c.LeadUnitIDs = take(&ids, t.LeadUnitIDs)
	c.ResponsibleUnitIDs = take(&ids, t.ResponsibleUnitIDs)
	names := make([]string, 0, len(t.Leaders)+len(t.LeadUnits)+len(t.ResponsibleUnits)+len(t.LightRules))
	c.Leaders = take(&names, t.Leaders)
	c.LeadUnits = take(&names, t.LeadUnits)
	c.ResponsibleUnits = take(&names, t.ResponsibleUnits)
	c.LightRules = take(&names, t.LightRules)
	var values []float64
	value := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		if values == nil {
			values = make([]float64, 0, len(t.Targets)+2)
		}
		return &take(&values, []float64{*p})[0]
	}
	c.Expected, c.Actual = value(t.Expected), value(t.Actual)
	c.Targets = slices.Clone(t.Targets)
	for i := range c.Targets {
		c.Targets[i].Value = value(c.Targets[i].Value)
	}
	if t.ClosedAt != nil {
		at := *t.ClosedAt
		c.ClosedAt = &at
	}
	return &c
}

// Covers reports whether the page a store gives actor a for f depends on
// nothing but the organisation's tasks, so that Page answers it from them: a
// page by year, section or status, for anyone but a reporter (whose page
// depends on their unit).
func Covers(a duban.Actor, f duban.TaskFilter) bool {
	return !f.Rollup && f.LeaderID == nil && f.UnitID == nil && f.Query == nil && a.Role != duban.RoleReporter
}

// Page returns, as clones, the page [offset, offset+limit) of the tasks of
// all (in the ledger's order) that match f's year, section and status, and
// how many match. The other fields of f are the store's to apply.
func Page(all []*duban.Task, f duban.TaskFilter, limit, offset int) ([]*duban.Task, int) {
	page := []*duban.Task{}
	total := 0
	for _, t := range all {
		if f.Year != nil && t.Year != *f.Year || f.Section != nil && t.Section != *f.Section || f.Status != nil && t.Status != *f.Status {
			continue
		}
		if total >= offset && len(page) < limit {
			page = append(page, Clone(t))
		}
		total++
	}
	return page, total
}

// take appends src to *buf, which has room for it, and returns the part of
// *buf that holds the copy, capped so that appending to it cannot reach the
// next part. A nil src stays nil (JSON null), an empty one empty ([]).
func take[T any](buf *[]T, src []T) []T {
	if src == nil {
		return nil
	}
	start := len(*buf)
	*buf = append(*buf, src...)
	return (*buf)[start:len(*buf):len(*buf)]
}

// Off reports whether the cache is turned off (holds nothing).
func (c *Cache) Off() bool { return c.max <= 0 }

// Len returns the number of tasks held.
func (c *Cache) Len() int { return c.orgs.Size() }
