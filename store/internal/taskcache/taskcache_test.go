package taskcache

import (
	"testing"

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
	v, doc := 6.0, int64(3)
	orig := &duban.Task{ID: 1, DocumentID: &doc, LeaderIDs: []int64{1}, Leaders: []string{"a"},
		Targets: []duban.Target{{Value: &v}}}
	c := Clone(orig)
	if diff := cmp.Diff(orig, c); diff != "" {
		t.Fatalf("Clone mismatch (-orig +clone):\n%s", diff)
	}
	*c.DocumentID, c.LeaderIDs[0], c.Leaders[0], *c.Targets[0].Value = 9, 9, "z", 9
	if *orig.DocumentID != 3 || orig.LeaderIDs[0] != 1 || orig.Leaders[0] != "a" || *orig.Targets[0].Value != 6 {
		t.Errorf("changing the clone changed the original: %+v", orig)
	}
}
