// Package taskcache keeps organisations' tasks in memory for the stores' task
// lists, which would otherwise read every task, leader, unit and target row on
// every request.
//
// It is safe because it is never trusted blindly: every change to what a task
// shows (the task row, its leaders, units and targets, the names of units and
// people) bumps its organisation's row in ledger_seq, by triggers in the
// schema, in the same transaction. A reader reads the sequence number in its
// own transaction and uses a cached organisation only at exactly that number;
// otherwise it loads the organisation in that transaction and caches it. Only
// read transactions fill the cache, so uncommitted data never enters it.
package taskcache
