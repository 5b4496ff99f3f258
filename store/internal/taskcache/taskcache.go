package taskcache

import (
	"slices"
	"sync"

	"duban"
)

// Cache holds the tasks of organisations, each as of a sequence number. It is
// safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	orgs  map[int64]*entry
	size  int // tasks held
	max   int
	clock uint64
}

type entry struct {
	seq     int64
	byID    map[int64]*duban.Task // never changed once cached
	ordered []*duban.Task         // the same tasks, in the order Put was given them
	used    uint64
}

// New returns a cache holding at most maxTasks tasks; 0 or less disables it.
func New(maxTasks int) *Cache {
	return &Cache{orgs: make(map[int64]*entry), max: maxTasks}
}

// Org returns the tasks of organisation orgID as of seq, by ID, or nil when
// they are not cached at that sequence number. The tasks must not be changed:
// hand out Clones.
func (c *Cache) Org(orgID, seq int64) map[int64]*duban.Task {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.orgs[orgID]
	if e == nil || e.seq != seq {
		return nil
	}
	c.clock++
	e.used = c.clock
	return e.byID
}

// Ordered returns the tasks of organisation orgID as of seq in the order Put
// was given them (the ledger's order), or nil when they are not cached at that
// sequence number. Neither the slice nor the tasks may be changed: hand out
// Clones.
func (c *Cache) Ordered(orgID, seq int64) []*duban.Task {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.orgs[orgID]
	if e == nil || e.seq != seq {
		return nil
	}
	c.clock++
	e.used = c.clock
	return e.ordered
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.orgs[orgID]; e != nil {
		if e.seq > seq {
			return
		}
		c.size -= len(e.byID)
		delete(c.orgs, orgID)
	}
	// Make room by dropping the organisations used least recently.
	for c.size+len(tasks) > c.max {
		var oldest int64
		var e *entry
		for id, o := range c.orgs {
			if e == nil || o.used < e.used {
				oldest, e = id, o
			}
		}
		c.size -= len(e.byID)
		delete(c.orgs, oldest)
	}
	c.clock++
	c.orgs[orgID] = &entry{seq: seq, byID: byID, ordered: tasks, used: c.clock}
	c.size += len(tasks)
}

// Clone returns a copy of t that shares nothing with it.
func Clone(t *duban.Task) *duban.Task {
	c := *t
	if t.DocumentID != nil {
		id := *t.DocumentID
		c.DocumentID = &id
	}
	c.LeaderIDs = slices.Clone(t.LeaderIDs)
	c.LeadUnitIDs = slices.Clone(t.LeadUnitIDs)
	c.ResponsibleUnitIDs = slices.Clone(t.ResponsibleUnitIDs)
	c.Leaders = slices.Clone(t.Leaders)
	c.LeadUnits = slices.Clone(t.LeadUnits)
	c.ResponsibleUnits = slices.Clone(t.ResponsibleUnits)
	c.Targets = slices.Clone(t.Targets)
	for i := range c.Targets {
		if v := c.Targets[i].Value; v != nil {
			x := *v
			c.Targets[i].Value = &x
		}
	}
	return &c
}

// Off reports whether the cache is turned off (holds nothing).
func (c *Cache) Off() bool { return c.max <= 0 }

// Len returns the number of tasks held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
