package web

import (
	"strconv"
	"sync"

	"duban"
)

// The ledger is read far more often than it changes: every desk in a
// district's office opens the same 250 tasks many times a day, and each
// answer is a quarter of a megabyte of JSON. ledgerPages keeps the encoded
// answers by the store's ledger version and the page asked for, so a
// repeated question costs one read of the version and a copy to the socket.
// A change to any task moves the version on and the old answers age out.

// ledgerPages is a bounded cache of encoded task-list answers. It is safe for
// concurrent use.
type ledgerPages struct {
	mu    sync.Mutex
	pages map[string]*ledgerPage
	size  int // bytes held
	max   int
	clock uint64
}

type ledgerPage struct {
	body []byte // never changed once cached
	used uint64
}

// defaultLedgerPageBytes bounds the cache: a few hundred district ledgers.
const defaultLedgerPageBytes = 64 << 20

func newLedgerPages(maxBytes int) *ledgerPages {
	return &ledgerPages{pages: make(map[string]*ledgerPage), max: maxBytes}
}

// ledgerPageKey names the answer for filter f at ledger version v: the
// version and every field of f that the ledger's own page depends on.
func ledgerPageKey(v string, f duban.TaskFilter) string {
	b := make([]byte, 0, len(v)+48)
	b = append(b, v...)
	b = append(b, '|')
	if f.Year != nil {
		b = strconv.AppendInt(b, int64(*f.Year), 10)
	}
	b = append(b, '|')
	if f.Status != nil {
		b = append(b, *f.Status...)
	}
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(f.Limit), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(f.Offset), 10)
	b = append(b, '|')
	if f.Section != nil {
		b = append(b, *f.Section...)
	}
	return string(b)
}

// get returns the encoded answer cached under key, or nil. The bytes must not
// be changed.
func (c *ledgerPages) get(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pages[key]
	if p == nil {
		return nil
	}
	c.clock++
	p.used = c.clock
	return p.body
}

// put caches body under key, dropping the answers used least recently to
// make room. The cache keeps body: the caller must not change it.
func (c *ledgerPages) put(key string, body []byte) {
	if len(body) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.pages[key]; old != nil {
		c.size -= len(old.body)
		delete(c.pages, key)
	}
	for c.size+len(body) > c.max {
		var oldest string
		var o *ledgerPage
		for k, p := range c.pages {
			if o == nil || p.used < o.used {
				oldest, o = k, p
			}
		}
		c.size -= len(o.body)
		delete(c.pages, oldest)
	}
	c.clock++
	c.pages[key] = &ledgerPage{body: body, used: c.clock}
	c.size += len(body)
}

// len returns the number of answers held.
func (c *ledgerPages) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pages)
}
