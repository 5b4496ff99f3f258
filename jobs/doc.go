// Package jobs runs the work of the reporting loop that no request starts:
// reminders (催办) before, on and after due dates, escalation to the
// responsible leaders, late supervision notices, the nightly derivation of
// every task's progress as days pass, and the delivery of notifications over
// e-mail, DingTalk, WeCom and webhooks with retries.
//
// A job is a value with a Name and Run(ctx, now). Every job is idempotent:
// what it creates is keyed (a reminder by task, cycle, kind and day), so a
// job run twice, or after a crash, sends nothing twice. The Scheduler runs
// the jobs inside `duban serve`; with several servers on one PostgreSQL
// database, a Locker (an advisory lock) lets exactly one run each job.
// `duban job run NAME -now DATE` runs one job once, for operators and tests.
//
// Jobs act as the system actor. They take the clock as an argument and never
// read it themselves.
package jobs
