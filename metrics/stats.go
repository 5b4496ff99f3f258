package metrics

import (
	"database/sql"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// WriteQueue is what the SQLite store's group-committing writer reports:
// writes taken, their summed wait in the queue, and batches committed.
type WriteQueue func() (writes uint64, wait time.Duration, batches uint64)

// WatchPools reads the statistics of connection pools, by pool name, at
// every scrape.
func (m *Metrics) WatchPools(stats func() map[string]sql.DBStats) {
	if m == nil || stats == nil {
		return
	}
	m.stats.mu.Lock()
	defer m.stats.mu.Unlock()
	m.stats.pools = append(m.stats.pools, stats)
}

// WatchWriteQueue reads the writer's queue totals at every scrape.
func (m *Metrics) WatchWriteQueue(stats WriteQueue) {
	if m == nil || stats == nil {
		return
	}
	m.stats.mu.Lock()
	defer m.stats.mu.Unlock()
	m.stats.writeQueues = append(m.stats.writeQueues, stats)
}

// WatchCache reads the hits and misses of the cache called name at every
// scrape.
func (m *Metrics) WatchCache(name string, stats func() (hits, misses uint64)) {
	if m == nil || stats == nil {
		return
	}
	m.stats.mu.Lock()
	defer m.stats.mu.Unlock()
	m.stats.caches = append(m.stats.caches, namedCache{name, stats})
}

type namedCache struct {
	name  string
	stats func() (hits, misses uint64)
}

// statsCollector turns the numbers the stores and caches keep into metrics
// when Prometheus scrapes, so that counting costs them no more than an
// atomic add.
type statsCollector struct {
	mu          sync.Mutex
	pools       []func() map[string]sql.DBStats
	writeQueues []WriteQueue
	caches      []namedCache

	open, inUse, idle, maxOpen, waits, waited *prometheus.Desc
	writes, writeWait, batches                *prometheus.Desc
	hits, misses                              *prometheus.Desc
}

func newStatsCollector() *statsCollector {
	pool := []string{"pool"}
	cache := []string{"cache"}
	return &statsCollector{
		open:      prometheus.NewDesc("duban_db_open_connections", "Connections open in a database pool.", pool, nil),
		inUse:     prometheus.NewDesc("duban_db_in_use_connections", "Connections of a database pool in use.", pool, nil),
		idle:      prometheus.NewDesc("duban_db_idle_connections", "Idle connections of a database pool.", pool, nil),
		maxOpen:   prometheus.NewDesc("duban_db_max_open_connections", "The most connections a database pool opens.", pool, nil),
		waits:     prometheus.NewDesc("duban_db_wait_count_total", "Times a query waited for a free connection of a pool.", pool, nil),
		waited:    prometheus.NewDesc("duban_db_wait_duration_seconds_total", "Time spent waiting for a free connection of a pool.", pool, nil),
		writes:    prometheus.NewDesc("duban_write_queue_writes_total", "Writes the SQLite writer took from its queue.", nil, nil),
		writeWait: prometheus.NewDesc("duban_write_queue_wait_seconds_total", "Time writes waited in the SQLite writer's queue, summed.", nil, nil),
		batches:   prometheus.NewDesc("duban_write_queue_batches_total", "Transactions the SQLite writer committed writes in.", nil, nil),
		hits:      prometheus.NewDesc("duban_cache_hits_total", "Lookups a cache answered.", cache, nil),
		misses:    prometheus.NewDesc("duban_cache_misses_total", "Lookups a cache could not answer.", cache, nil),
	}
}

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.open, c.inUse, c.idle, c.maxOpen, c.waits, c.waited,
		c.writes, c.writeWait, c.batches, c.hits, c.misses} {
		ch <- d
	}
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	pools, queues, caches := c.pools, c.writeQueues, c.caches
	c.mu.Unlock()
	gauge, counter := prometheus.GaugeValue, prometheus.CounterValue
	for _, stats := range pools {
		for name, s := range stats() {
			ch <- prometheus.MustNewConstMetric(c.open, gauge, float64(s.OpenConnections), name)
			ch <- prometheus.MustNewConstMetric(c.inUse, gauge, float64(s.InUse), name)
			ch <- prometheus.MustNewConstMetric(c.idle, gauge, float64(s.Idle), name)
			ch <- prometheus.MustNewConstMetric(c.maxOpen, gauge, float64(s.MaxOpenConnections), name)
			ch <- prometheus.MustNewConstMetric(c.waits, counter, float64(s.WaitCount), name)
			ch <- prometheus.MustNewConstMetric(c.waited, counter, s.WaitDuration.Seconds(), name)
		}
	}
	for _, stats := range queues {
		writes, wait, batches := stats()
		ch <- prometheus.MustNewConstMetric(c.writes, counter, float64(writes))
		ch <- prometheus.MustNewConstMetric(c.writeWait, counter, wait.Seconds())
		ch <- prometheus.MustNewConstMetric(c.batches, counter, float64(batches))
	}
	for _, cc := range caches {
		hits, misses := cc.stats()
		ch <- prometheus.MustNewConstMetric(c.hits, counter, float64(hits), cc.name)
		ch <- prometheus.MustNewConstMetric(c.misses, counter, float64(misses), cc.name)
	}
}
