//go:build !unix

package storetest

import "time"

// cpuTime returns 0: the benchmarks report CPU time only on Unix.
func cpuTime() time.Duration { return 0 }
