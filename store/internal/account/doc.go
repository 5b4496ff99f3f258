// Package account keeps the accounts of either database: users, their
// sessions and API tokens, passwords, and failed sign-ins.
//
// Its SQL is the same text on SQLite and PostgreSQL. It runs in the
// transactions of package supervision's Runner, in that package's Dialect
// (how a time is stored and scanned, how a driver error becomes a coded one),
// so that SQLite's writes go through its one writer connection and its group
// commit like every other write, and PostgreSQL runs them side by side.
//
// Every operation checks who may do it itself and writes the audit log in
// the same transaction.
package account
