// Package lru holds a map bounded by the total size of its values: to make
// room it drops the values used least recently. The task cache of the stores
// and the web server's encoded ledger pages keep their contents in one.
package lru

import "sync"

// Cache maps keys to values of a stated size, holding at most max in all. It
// is safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]*item[V]
	size  int
	max   int
	clock uint64
}

type item[V any] struct {
	value V
	size  int
	used  uint64
}

// New returns a cache holding values of at most max in all; 0 or less holds
// nothing.
func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]*item[V]), max: max}
}

// Get returns the value under k and marks it used.
func (c *Cache[K, V]) Get(k K) (v V, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it := c.items[k]
	if it == nil {
		return v, false
	}
	c.clock++
	it.used = c.clock
	return it.value, true
}

// Put keeps v of the given size under k, in place of what was there, unless
// keep reports that the value there should stay (keep may be nil) or v alone
// is larger than the cache. To make room it drops the values used least
// recently.
func (c *Cache[K, V]) Put(k K, v V, size int, keep func(old V) bool) {
	if c.max <= 0 || size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.items[k]; old != nil {
		if keep != nil && keep(old.value) {
			return
		}
		c.size -= old.size
		delete(c.items, k)
	}
	for c.size+size > c.max {
		var oldest K
		var o *item[V]
		for key, it := range c.items {
			if o == nil || it.used < o.used {
				oldest, o = key, it
			}
		}
		c.size -= o.size
		delete(c.items, oldest)
	}
	c.clock++
	c.items[k] = &item[V]{value: v, size: size, used: c.clock}
	c.size += size
}

// Len returns the number of values held.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Size returns the total size of the values held.
func (c *Cache[K, V]) Size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
