-- 0001_init: organisations, units, people, documents, tasks, targets,
-- indicators, users, sessions, API tokens, login failures, the append-only
-- audit log and the search index. Times are RFC 3339 UTC text.

CREATE TABLE orgs (
	id         INTEGER PRIMARY KEY,
	parent_id  INTEGER REFERENCES orgs (id),
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX orgs_parent_id ON orgs (parent_id);

CREATE TABLE units (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('unit', 'group')),
	created_at TEXT NOT NULL,
	UNIQUE (id, org_id)
);
CREATE INDEX units_org_id ON units (org_id);

-- Every name of a unit, its own and its aliases: names are unique per org.
CREATE TABLE unit_names (
	id      INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL,
	org_id  INTEGER NOT NULL,
	name    TEXT NOT NULL,
	UNIQUE (org_id, name),
	FOREIGN KEY (unit_id, org_id) REFERENCES units (id, org_id) ON DELETE CASCADE
);
CREATE INDEX unit_names_unit_id ON unit_names (unit_id);

-- A group (各街道) and the units it stands for, within one org.
CREATE TABLE unit_members (
	org_id    INTEGER NOT NULL,
	group_id  INTEGER NOT NULL,
	member_id INTEGER NOT NULL,
	PRIMARY KEY (group_id, member_id),
	FOREIGN KEY (group_id, org_id) REFERENCES units (id, org_id) ON DELETE CASCADE,
	FOREIGN KEY (member_id, org_id) REFERENCES units (id, org_id) ON DELETE CASCADE
);
CREATE INDEX unit_members_member_id ON unit_members (member_id);

CREATE TABLE people (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	name       TEXT NOT NULL,
	title      TEXT NOT NULL DEFAULT '',
	portfolio  TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	UNIQUE (org_id, name)
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	org_id        INTEGER NOT NULL REFERENCES orgs (id),
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'leader', 'reporter', 'viewer')),
	unit_id       INTEGER REFERENCES units (id),
	person_id     INTEGER REFERENCES people (id),
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at    TEXT NOT NULL
);
CREATE INDEX users_org_id ON users (org_id);

CREATE TABLE documents (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	file_name  TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL DEFAULT '',
	doc_number TEXT NOT NULL DEFAULT '',
	year       INTEGER NOT NULL DEFAULT 0,
	sha256     TEXT NOT NULL,
	size       INTEGER NOT NULL,
	content    BLOB NOT NULL,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES users (id),
	UNIQUE (org_id, sha256)
);

CREATE TABLE tasks (
	id          INTEGER PRIMARY KEY,
	org_id      INTEGER NOT NULL REFERENCES orgs (id),
	document_id INTEGER REFERENCES documents (id),
	year        INTEGER NOT NULL,
	section     TEXT NOT NULL,
	section_pos INTEGER NOT NULL, -- 12 for "十二、…": sections sort by number, not text
	subsection  TEXT NOT NULL DEFAULT '',
	number      INTEGER NOT NULL,
	content     TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	deadline    TEXT NOT NULL DEFAULT '',
	source_line INTEGER NOT NULL DEFAULT 0,
	status      TEXT NOT NULL DEFAULT 'not_started'
		CHECK (status IN ('not_started', 'on_track', 'behind', 'done', 'closed')),
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TEXT NOT NULL,
	created_by  INTEGER REFERENCES users (id),
	updated_at  TEXT NOT NULL,
	updated_by  INTEGER REFERENCES users (id),
	UNIQUE (org_id, year, section, number)
);
CREATE INDEX tasks_order ON tasks (org_id, year DESC, section_pos, number);
CREATE INDEX tasks_org_status ON tasks (org_id, status);

CREATE TABLE task_leaders (
	task_id   INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people (id),
	position  INTEGER NOT NULL,
	PRIMARY KEY (task_id, person_id)
);
CREATE INDEX task_leaders_person_id ON task_leaders (person_id);

CREATE TABLE task_units (
	task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id  INTEGER NOT NULL REFERENCES units (id),
	role     TEXT NOT NULL CHECK (role IN ('lead', 'responsible')),
	position INTEGER NOT NULL,
	PRIMARY KEY (task_id, role, unit_id)
);
CREATE INDEX task_units_unit_id ON task_units (unit_id);

CREATE TABLE targets (
	id       INTEGER PRIMARY KEY,
	task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	year     INTEGER NOT NULL DEFAULT 0,
	subject  TEXT NOT NULL DEFAULT '',
	measure  TEXT NOT NULL DEFAULT '',
	op       TEXT NOT NULL DEFAULT '',
	value    REAL,
	unit     TEXT NOT NULL DEFAULT '',
	text     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX targets_task_id ON targets (task_id);

CREATE TABLE indicators (
	id          INTEGER PRIMARY KEY,
	org_id      INTEGER NOT NULL REFERENCES orgs (id),
	document_id INTEGER REFERENCES documents (id),
	name        TEXT NOT NULL,
	category    TEXT NOT NULL DEFAULT '',
	unit        TEXT NOT NULL DEFAULT '',
	attribute   TEXT NOT NULL DEFAULT '',
	UNIQUE (org_id, name)
);

CREATE TABLE indicator_values (
	id           INTEGER PRIMARY KEY,
	indicator_id INTEGER NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	year         INTEGER NOT NULL,
	kind         TEXT NOT NULL CHECK (kind IN ('target', 'actual')),
	text         TEXT NOT NULL DEFAULT '',
	op           TEXT NOT NULL DEFAULT '',
	value        REAL,
	UNIQUE (indicator_id, year, kind)
);

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL DEFAULT '',
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   TEXT NOT NULL,
	last_used_at TEXT
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE login_failures (
	id  INTEGER PRIMARY KEY,
	key TEXT NOT NULL,
	at  TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- The audit log is append-only: the triggers below refuse changes.
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	org_id    INTEGER NOT NULL REFERENCES orgs (id),
	actor_id  INTEGER NOT NULL, -- 0 for the system; no foreign key, users are never deleted
	actor     TEXT NOT NULL,
	at        TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id INTEGER NOT NULL,
	before    TEXT,
	after     TEXT
);
CREATE INDEX audit_log_org_id ON audit_log (org_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The search index: rowid is the task id, tokens are the task's CJK bigrams,
-- words and single characters separated by spaces (store/internal/zh).
CREATE VIRTUAL TABLE task_search USING fts5 (tokens, tokenize = 'unicode61');

-- Each organisation's ledger sequence number, bumped by the triggers below in
-- the transaction of every change to what a task shows: the task, its
-- leaders, units and targets, and the names of units and people. Readers
-- cache an organisation's tasks under this number (store/internal/taskcache).
CREATE TABLE ledger_seq (
	org_id INTEGER PRIMARY KEY REFERENCES orgs (id),
	seq    INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER orgs_ledger_seq AFTER INSERT ON orgs
BEGIN
	INSERT INTO ledger_seq (org_id) VALUES (NEW.id);
END;

CREATE TRIGGER tasks_insert_seq AFTER INSERT ON tasks
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = NEW.org_id;
END;
CREATE TRIGGER tasks_update_seq AFTER UPDATE ON tasks
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER tasks_delete_seq AFTER DELETE ON tasks
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = OLD.org_id;
END;

CREATE TRIGGER task_leaders_insert_seq AFTER INSERT ON task_leaders
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = NEW.task_id);
END;
CREATE TRIGGER task_leaders_update_seq AFTER UPDATE ON task_leaders
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id IN (SELECT org_id FROM tasks WHERE id IN (OLD.task_id, NEW.task_id));
END;
CREATE TRIGGER task_leaders_delete_seq AFTER DELETE ON task_leaders
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = OLD.task_id);
END;

CREATE TRIGGER task_units_insert_seq AFTER INSERT ON task_units
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = NEW.task_id);
END;
CREATE TRIGGER task_units_update_seq AFTER UPDATE ON task_units
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id IN (SELECT org_id FROM tasks WHERE id IN (OLD.task_id, NEW.task_id));
END;
CREATE TRIGGER task_units_delete_seq AFTER DELETE ON task_units
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = OLD.task_id);
END;

CREATE TRIGGER targets_insert_seq AFTER INSERT ON targets
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = NEW.task_id);
END;
CREATE TRIGGER targets_update_seq AFTER UPDATE ON targets
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id IN (SELECT org_id FROM tasks WHERE id IN (OLD.task_id, NEW.task_id));
END;
CREATE TRIGGER targets_delete_seq AFTER DELETE ON targets
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = OLD.task_id);
END;

CREATE TRIGGER units_rename_seq AFTER UPDATE OF name ON units
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = NEW.org_id;
END;
CREATE TRIGGER people_rename_seq AFTER UPDATE OF name ON people
BEGIN
	UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = NEW.org_id;
END;
