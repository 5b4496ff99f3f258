package web

import (
	"strconv"

	"duban"
	"duban/internal/lru"
)

// The ledger is read far more often than it changes: every desk in a
// district's office opens the same 250 tasks many times a day, and each
// answer is a quarter of a megabyte of JSON. ledgerPages keeps the encoded
// answers by the store's ledger version and the page asked for, so a
// repeated question costs one read of the version and a copy to the socket.
// A change to any task moves the version on and the old answers age out.

// ledgerPages is a bounded cache of encoded task-list answers, safe for
// concurrent use. A page larger than a quarter of it is not kept.
type ledgerPages struct {
	pages *lru.Cache[string, []byte] // by ledgerPageKey; never changed once cached
	max   int
	// lookups counts get's hits and misses, for the metrics.
	lookups cacheCounters
}

// defaultLedgerPageBytes bounds the cache: a few hundred district ledgers.
const defaultLedgerPageBytes = 64 << 20

func newLedgerPages(maxBytes int) *ledgerPages {
	return &ledgerPages{pages: lru.New[string, []byte](maxBytes), max: maxBytes}
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
	body, _ := c.pages.Get(key)
	c.lookups.count(body != nil)
	return body
}

// put caches body under key, dropping the answers used least recently to
// make room. The cache keeps body: the caller must not change it.
func (c *ledgerPages) put(key string, body []byte) {
	if len(body) <= c.max/4 {
		c.pages.Put(key, body, len(body), nil)
	}
}
