// Package metrics counts what operators watch — requests, report
// submissions, job runs, notifications, database pools, the SQLite writer's
// queue and caches — and serves it at /metrics in the Prometheus text format.
//
// It is the only package that imports the Prometheus client. The domain, the
// stores and the jobs know nothing of it: they count in plain numbers or call
// hooks, and cmd/duban and web hand those to a *Metrics, which reads the
// numbers when Prometheus scrapes. Each *Metrics has a registry of its own,
// so tests may run several servers in one process.
//
// Every method is safe for concurrent use, and does nothing on a nil
// *Metrics: code that is given none counts nothing.
package metrics
