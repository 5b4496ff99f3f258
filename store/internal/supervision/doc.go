// Package supervision keeps the reporting and supervision loop in either
// database: schedules and cycles, the reports units write and the reviews of
// the supervision office, contributions of responsible units, evidence,
// closure (销号), extensions, supervision notices (督办单), notification
// channels, notifications and their deliveries, and job runs.
//
// Its SQL is the same text on SQLite and PostgreSQL (both bind $1…$N, both
// take INSERT … RETURNING and ON CONFLICT (cols) DO …); where the dialects
// differ (how a time is stored, how a JSON array is expanded) a Dialect says
// so. Each store runs the package's operations in its own transactions
// through a Runner, which is where SQLite commits many reports at once
// (group commit) and PostgreSQL runs them side by side.
//
// Every operation checks the actor's scope itself, writes the audit log, and
// derives the progress of the tasks it touches in the same transaction, with
// the ProgressFunc the store was given.
package supervision
