// Package synth builds synthetic ledgers through any duban.Store: a city of
// districts, each with the sections, units, groups, leaders, tasks and
// targets of a task decomposition. The benchmarks, the behaviour suite and
// `duban gen` use it; the text reads like the real documents but is made up.
package synth
