// Package progress derives where a task stands from its reports: its status,
// its green–yellow–red light with the rules behind it in words, and the
// reminders (催办) its reporting calls for. It reads the 完成时限 of a task as
// decompositions write it.
//
// Everything is a pure function of its arguments: no clock, no files, no store.
//
// The package imports only the standard library, duban, duban/calendar and
// duban/assess.
package progress
