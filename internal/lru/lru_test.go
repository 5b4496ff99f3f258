package lru

import "testing"

// TestEviction: the values used least recently go first, the total stays
// within the bound, a value larger than the cache is not kept, and keep can
// refuse a replacement.
func TestEviction(t *testing.T) {
	c := New[string, int](100)
	for _, k := range []string{"a", "b", "c", "d"} {
		c.Put(k, 1, 25, nil)
	}
	c.Get("a") // b is now the least recently used
	c.Put("e", 2, 10, nil)
	if _, ok := c.Get("b"); ok {
		t.Error("b, used least recently, was kept")
	}
	for _, k := range []string{"a", "c", "d", "e"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s was dropped", k)
		}
	}
	if c.Size() != 85 || c.Len() != 4 {
		t.Errorf("size %d, len %d; want 85 and 4", c.Size(), c.Len())
	}
	c.Put("huge", 3, 101, nil)
	if _, ok := c.Get("huge"); ok {
		t.Error("a value larger than the cache was kept")
	}
	c.Put("a", 9, 5, func(old int) bool { return old == 1 })
	if v, _ := c.Get("a"); v != 1 || c.Size() != 85 {
		t.Errorf("keep refused the replacement, yet a = %d, size %d", v, c.Size())
	}
	c.Put("a", 9, 5, func(old int) bool { return old > 9 })
	if v, _ := c.Get("a"); v != 9 || c.Size() != 65 {
		t.Errorf("after replacing a: a = %d, size %d; want 9 and 65", v, c.Size())
	}
}

func TestZeroHoldsNothing(t *testing.T) {
	c := New[int, int](0)
	c.Put(1, 1, 1, nil)
	if _, ok := c.Get(1); ok || c.Len() != 0 {
		t.Error("a cache of size 0 kept a value")
	}
}
