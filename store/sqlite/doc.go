// Package sqlite is the SQLite implementation of duban.Store, for one office
// on one server: modernc.org/sqlite, pure Go, no cgo, so it builds for amd64,
// arm64 and loong64 alike.
//
// Open takes a file path. Connections set busy_timeout first, then WAL,
// foreign_keys=ON and synchronous=NORMAL (a killed process loses nothing, a
// power cut may lose the last commits). All writes go through one connection
// (its own *sql.DB with one connection) and begin IMMEDIATE, so a write never
// fails half-way on a busy database; reads use a pool of query_only
// connections, which WAL lets run beside the writer. Times are stored as RFC
// 3339 UTC text of fixed width, so that text order is time order.
//
// Schema: migrations/NNNN_name.sql, embedded, each applied in its own
// transaction and recorded in schema_migrations. Released files are never
// edited; a fix is a new file. Open refuses a database with pending
// migrations (ErrSchemaOutdated) unless Options.Migrate is set; Migrate
// applies them and reports which.
//
// Every method runs in one transaction that fixes the time (Options.Now, or
// SetClock) and the actor, and every change appends to audit_log, which
// triggers keep append-only. Scope is part of each task query: a reporter's
// queries join on their unit and the groups holding it, so a handler cannot
// forget it. Constraint violations become *duban.Error codes by SQLite's
// extended result codes (2067 and 1555 → CodeConflict, 787 → CodeInvalid).
//
// Search: each task's text is tokenised in Go (store/internal/zh: CJK
// bigrams, the last character of each run and words, already folded) into a
// contentless FTS5 table whose ascii tokenizer only splits them at spaces;
// queries are tokenised the same way and matched as phrases, so
// two-character queries such as "金融" work, which FTS5's own trigram
// tokenizer cannot do, and a one-character query is a prefix ("金"*).
//
// Task lists: modernc's SQLite spends most of a 250-task list reading column
// values, so task lists read only the page's task IDs and take the tasks from
// store/internal/taskcache, which triggers keep exact through each
// organisation's ledger_seq row (see that package). Backup writes a
// consistent copy with VACUUM INTO while the store serves.
package sqlite
