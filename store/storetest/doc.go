// Package storetest is the one behaviour suite every duban.Store passes. The
// SQLite and PostgreSQL stores run it from their tests:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) duban.Store { return mustOpen(t) })
//	}
//
// Each case gets a fresh, migrated, empty store from open, sets its clock
// through SetClock, and builds what it needs through the store itself. The
// package also holds the benchmarks both stores run (Benchmark*).
package storetest
