package taskcache

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
)

func tasks(ids ...int64) []*duban.Task {
	var out []*duban.Task
	for _, id := range ids {
		out = append(out, &duban.Task{ID: id})
	}
	return out
}

func TestCache(t *testing.T) {
	c := New(5)
	c.Put(1, 3, tasks(10, 11))
	if c.Org(1, 3) == nil || c.Org(1, 2) != nil || c.Org(1, 4) != nil || c.Org(2, 3) != nil {
		t.Fatal("Org answers for another organisation or sequence number")
	}
	c.Put(1, 2, tasks(12)) // older: ignored
	if m := c.Org(1, 3); len(m) != 2 {
		t.Fatalf("older Put replaced the entry: %v", m)
	}
	c.Put(2, 1, tasks(20, 21))
	c.Org(1, 3) // 1 used more recently than 2
	c.Put(3, 1, tasks(30, 31))
	if c.Org(2, 1) != nil || c.Org(1, 3) == nil || c.Org(3, 1) == nil {
		t.Error("eviction did not drop the least recently used organisation")
	}
	if c.Len() != 4 {
		t.Errorf("Len = %d, want 4", c.Len())
	}
	c.Put(4, 1, tasks(1, 2, 3, 4, 5, 6)) // larger than the cache
	if c.Org(4, 1) != nil {
		t.Error("cached more tasks than allowed")
	}
	off := New(0)
	if off.Put(1, 1, tasks(1)); off.Org(1, 1) != nil || !off.Off() || c.Off() {
		t.Error("a cache turned off holds tasks")
	}
}

func TestClone(t *testing.T) {
	v, e, doc, by := 6.0, 50.0, int64(3), int64(4)
	at := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	orig := &duban.Task{ID: 1, DocumentID: &doc, LeaderIDs: []int64{1}, LeadUnitIDs: []int64{2, 3},
		ResponsibleUnitIDs: []int64{}, Leaders: []string{"a"}, LeadUnits: []string{"b", "c"}, ResponsibleUnits: []string{},
		Targets: []duban.Target{{Value: &v}, {}}, LightRules: []string{"r"}, Expected: &e, Actual: &v,
		ClosedAt: &at, ClosedBy: &by}
	c := Clone(orig)
	if diff := cmp.Diff(orig, c); diff != "" {
		t.Fatalf("Clone mismatch (-orig +clone):\n%s", diff)
	}
	// Every pointer and slice of the clone is its own: change them all.
	*c.DocumentID, *c.ClosedBy, c.LeaderIDs[0], c.LeadUnitIDs[1], c.Leaders[0], c.LeadUnits[1] = 9, 9, 9, 9, "z", "z"
	*c.Targets[0].Value, *c.Expected, *c.Actual, c.LightRules[0] = 9, 9, 9, "z"
	*c.ClosedAt = time.Time{}
	c.LeaderIDs = append(c.LeaderIDs, 7) // must not reach LeadUnitIDs
	if *orig.DocumentID != 3 || *orig.ClosedBy != 4 || orig.LeaderIDs[0] != 1 || orig.LeadUnitIDs[1] != 3 ||
		orig.Leaders[0] != "a" || orig.LeadUnits[1] != "c" || *orig.Targets[0].Value != 6 || *orig.Expected != 50 ||
		*orig.Actual != 6 || orig.LightRules[0] != "r" || !orig.ClosedAt.Equal(at) ||
		c.LeadUnitIDs[0] != 2 {
		t.Errorf("changing the clone changed the original: %+v", orig)
	}
	if c.ResponsibleUnitIDs == nil || c.ResponsibleUnits == nil {
		t.Error("empty lists became nil")
	}
	if n := testing.AllocsPerRun(100, func() { Clone(orig) }); n > 7 {
		t.Errorf("Clone takes %v allocations", n)
	}
}
