// Package postgres is the PostgreSQL implementation of duban.Store, for a city
// whose districts share one database: pgx through database/sql (the "pgx"
// driver of github.com/jackc/pgx/v5/stdlib).
//
// Open takes a postgres:// URL or a key=value connection string; a
// search_path parameter selects the schema (the tests give each test a schema
// of its own this way). Migrations are numbered files in migrations/,
// embedded, each applied in its own transaction under
// pg_advisory_xact_lock(hashtext('duban.migrate.' || current_schema())), so
// that several instances starting together apply each one once, and recorded
// in schema_migrations. Open refuses pending migrations (ErrSchemaOutdated)
// unless Options.Migrate is set.
//
// Every method runs in one transaction that fixes the time and the actor and
// writes the audit log, which a trigger keeps append-only (UPDATE, DELETE and
// TRUNCATE raise). Reads that take several queries run REPEATABLE READ, READ
// ONLY: one snapshot. Writes run READ COMMITTED; an update names the version
// it read in its WHERE clause, so a concurrent editor gets CodeConflict, and
// a transaction that changes an organisation's tasks first locks that
// organisation's ledger_seq row, so two of them never deadlock on task rows.
// Constraint violations become *duban.Error codes by SQLSTATE (23505 →
// CodeConflict, 23503, 23514 and 23502 → CodeInvalid).
//
// Search: each task's text is tokenised in Go (store/internal/zh: CJK
// bigrams, the last character of each run and words) and stored as a
// tsvector literal with positions in task_search, under a GIN index. The literal is what
// to_tsvector('simple', bigrams) would produce, without depending on the
// server's text search parser and locale. Queries are tsquery literals
// tokenised the same way, each term a phrase ("金融业" is '金融' <-> '融业'),
// a single character a prefix ('金':*).
// Task lists are served through store/internal/taskcache, kept exact by the
// ledger_seq triggers; several instances each keep their own cache.
//
// Domestic descendants of PostgreSQL (信创): the SQL is kept to what
// openGauss (PostgreSQL 9.2 based) and KingbaseES accept — bigserial
// identities, every ON CONFLICT with its target, EXECUTE PROCEDURE in
// triggers, no OLD in INSERT triggers. What still differs lives in the
// dialect hook (Options.Dialect): "opengauss" replaces the phrase operator
// <->, which 9.2 lacks, by &, finding the same bigrams anywhere in the task.
// openGauss's default SHA256 authentication confuses pgx: such deployments set
// password_encryption_type=1 and md5 in pg_hba.conf. None of this is tested
// here; the PostgreSQL suite runs with the dialect switched on.
package postgres
