-- 0001_init: organisations, units, people, documents, tasks, targets,
-- indicators, users, sessions, API tokens, login failures, the append-only
-- audit log and the search index. Identities are bigserial and every ON
-- CONFLICT names its target, for openGauss (doc.go).

CREATE TABLE orgs (
	id         bigserial PRIMARY KEY,
	parent_id  bigint REFERENCES orgs (id),
	name       text NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX orgs_parent_id ON orgs (parent_id);

CREATE TABLE units (
	id         bigserial PRIMARY KEY,
	org_id     bigint NOT NULL REFERENCES orgs (id),
	name       text NOT NULL,
	kind       text NOT NULL CHECK (kind IN ('unit', 'group')),
	created_at timestamptz NOT NULL,
	UNIQUE (id, org_id)
);
CREATE INDEX units_org_id ON units (org_id);

-- Every name of a unit, its own and its aliases: names are unique per org.
CREATE TABLE unit_names (
	id      bigserial PRIMARY KEY,
	unit_id bigint NOT NULL,
	org_id  bigint NOT NULL,
	name    text NOT NULL,
	UNIQUE (org_id, name),
	FOREIGN KEY (unit_id, org_id) REFERENCES units (id, org_id) ON DELETE CASCADE
);
CREATE INDEX unit_names_unit_id ON unit_names (unit_id);

-- A group (各街道) and the units it stands for, within one org.
CREATE TABLE unit_members (
	org_id    bigint NOT NULL,
	group_id  bigint NOT NULL,
	member_id bigint NOT NULL,
	PRIMARY KEY (group_id, member_id),
	FOREIGN KEY (group_id, org_id) REFERENCES units (id, org_id) ON DELETE CASCADE,
	FOREIGN KEY (member_id, org_id) REFERENCES units (id, org_id) ON DELETE CASCADE
);
CREATE INDEX unit_members_member_id ON unit_members (member_id);

CREATE TABLE people (
	id         bigserial PRIMARY KEY,
	org_id     bigint NOT NULL REFERENCES orgs (id),
	name       text NOT NULL,
	title      text NOT NULL DEFAULT '',
	portfolio  text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	UNIQUE (org_id, name)
);

CREATE TABLE users (
	id            bigserial PRIMARY KEY,
	org_id        bigint NOT NULL REFERENCES orgs (id),
	username      text NOT NULL UNIQUE,
	display_name  text NOT NULL DEFAULT '',
	password_hash text NOT NULL DEFAULT '',
	role          text NOT NULL CHECK (role IN ('admin', 'supervisor', 'leader', 'reporter', 'viewer')),
	unit_id       bigint REFERENCES units (id),
	person_id     bigint REFERENCES people (id),
	disabled      boolean NOT NULL DEFAULT false,
	created_at    timestamptz NOT NULL
);
CREATE INDEX users_org_id ON users (org_id);

CREATE TABLE documents (
	id         bigserial PRIMARY KEY,
	org_id     bigint NOT NULL REFERENCES orgs (id),
	file_name  text NOT NULL DEFAULT '',
	kind       text NOT NULL DEFAULT '',
	title      text NOT NULL DEFAULT '',
	doc_number text NOT NULL DEFAULT '',
	year       integer NOT NULL DEFAULT 0,
	sha256     text NOT NULL,
	size       bigint NOT NULL,
	content    bytea NOT NULL,
	created_at timestamptz NOT NULL,
	created_by bigint REFERENCES users (id),
	UNIQUE (org_id, sha256)
);

CREATE TABLE tasks (
	id          bigserial PRIMARY KEY,
	org_id      bigint NOT NULL REFERENCES orgs (id),
	document_id bigint REFERENCES documents (id),
	year        integer NOT NULL,
	section     text NOT NULL,
	section_pos integer NOT NULL, -- 12 for "十二、…": sections sort by number, not text
	subsection  text NOT NULL DEFAULT '',
	number      integer NOT NULL,
	content     text NOT NULL,
	note        text NOT NULL DEFAULT '',
	deadline    text NOT NULL DEFAULT '',
	source_line integer NOT NULL DEFAULT 0,
	status      text NOT NULL DEFAULT 'not_started'
		CHECK (status IN ('not_started', 'on_track', 'behind', 'done', 'closed')),
	version     integer NOT NULL DEFAULT 1,
	created_at  timestamptz NOT NULL,
	created_by  bigint REFERENCES users (id),
	updated_at  timestamptz NOT NULL,
	updated_by  bigint REFERENCES users (id),
	UNIQUE (org_id, year, section, number)
);
CREATE INDEX tasks_order ON tasks (org_id, year DESC, section_pos, number);
CREATE INDEX tasks_org_status ON tasks (org_id, status);

CREATE TABLE task_leaders (
	task_id   bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	person_id bigint NOT NULL REFERENCES people (id),
	position  integer NOT NULL,
	PRIMARY KEY (task_id, person_id)
);
CREATE INDEX task_leaders_person_id ON task_leaders (person_id);

CREATE TABLE task_units (
	task_id  bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id  bigint NOT NULL REFERENCES units (id),
	role     text NOT NULL CHECK (role IN ('lead', 'responsible')),
	position integer NOT NULL,
	PRIMARY KEY (task_id, role, unit_id)
);
CREATE INDEX task_units_unit_id ON task_units (unit_id);

CREATE TABLE targets (
	id       bigserial PRIMARY KEY,
	task_id  bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	position integer NOT NULL,
	year     integer NOT NULL DEFAULT 0,
	subject  text NOT NULL DEFAULT '',
	measure  text NOT NULL DEFAULT '',
	op       text NOT NULL DEFAULT '',
	value    double precision,
	unit     text NOT NULL DEFAULT '',
	text     text NOT NULL DEFAULT ''
);
CREATE INDEX targets_task_id ON targets (task_id);

CREATE TABLE indicators (
	id          bigserial PRIMARY KEY,
	org_id      bigint NOT NULL REFERENCES orgs (id),
	document_id bigint REFERENCES documents (id),
	name        text NOT NULL,
	category    text NOT NULL DEFAULT '',
	unit        text NOT NULL DEFAULT '',
	attribute   text NOT NULL DEFAULT '',
	UNIQUE (org_id, name)
);

CREATE TABLE indicator_values (
	id           bigserial PRIMARY KEY,
	indicator_id bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	year         integer NOT NULL,
	kind         text NOT NULL CHECK (kind IN ('target', 'actual')),
	text         text NOT NULL DEFAULT '',
	op           text NOT NULL DEFAULT '',
	value        double precision,
	UNIQUE (indicator_id, year, kind)
);

CREATE TABLE sessions (
	token_hash   text PRIMARY KEY,
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
	id           bigserial PRIMARY KEY,
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         text NOT NULL DEFAULT '',
	token_hash   text NOT NULL UNIQUE,
	created_at   timestamptz NOT NULL,
	last_used_at timestamptz
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE login_failures (
	id  bigserial PRIMARY KEY,
	key text NOT NULL,
	at  timestamptz NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- The audit log is append-only: the triggers below refuse changes.
CREATE TABLE audit_log (
	id        bigserial PRIMARY KEY,
	org_id    bigint NOT NULL REFERENCES orgs (id),
	actor_id  bigint NOT NULL, -- 0 for the system; no foreign key, users are never deleted
	actor     text NOT NULL,
	at        timestamptz NOT NULL,
	action    text NOT NULL,
	entity    text NOT NULL,
	entity_id bigint NOT NULL,
	before    json,
	after     json
);
CREATE INDEX audit_log_org_id ON audit_log (org_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE PROCEDURE audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE PROCEDURE audit_log_refuse();

-- The search index: a task's CJK bigrams, words and single characters
-- (store/internal/zh), written as a tsvector literal with positions so that
-- no text search parser or dictionary is involved.
CREATE TABLE task_search (
	task_id bigint PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
	tokens  tsvector NOT NULL
);
CREATE INDEX task_search_tokens ON task_search USING gin (tokens);

-- Each organisation's ledger sequence number, bumped by the triggers below in
-- the transaction of every change to what a task shows: the task, its
-- leaders, units and targets, and the names of units and people. Readers
-- cache an organisation's tasks under this number (store/internal/taskcache).
CREATE TABLE ledger_seq (
	org_id bigint PRIMARY KEY REFERENCES orgs (id),
	seq    bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION ledger_seq_add_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ledger_seq (org_id) VALUES (NEW.id);
	RETURN NULL;
END;
$$;
CREATE TRIGGER orgs_ledger_seq AFTER INSERT ON orgs
	FOR EACH ROW EXECUTE PROCEDURE ledger_seq_add_org();

CREATE FUNCTION ledger_seq_bump_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- Nested IFs: OLD must not be read in an INSERT trigger on older servers.
	IF TG_OP = 'INSERT' THEN
		UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = NEW.org_id;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = OLD.org_id;
	ELSE
		UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = OLD.org_id;
		IF NEW.org_id <> OLD.org_id THEN
			UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = NEW.org_id;
		END IF;
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION ledger_seq_bump_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = NEW.task_id);
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE ledger_seq SET seq = seq + 1 WHERE org_id = (SELECT org_id FROM tasks WHERE id = OLD.task_id);
	ELSE
		UPDATE ledger_seq SET seq = seq + 1
			WHERE org_id IN (SELECT org_id FROM tasks WHERE id IN (OLD.task_id, NEW.task_id));
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_seq AFTER INSERT OR UPDATE OR DELETE ON tasks
	FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_org();
CREATE TRIGGER task_leaders_seq AFTER INSERT OR UPDATE OR DELETE ON task_leaders
	FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_task();
CREATE TRIGGER task_units_seq AFTER INSERT OR UPDATE OR DELETE ON task_units
	FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_task();
CREATE TRIGGER targets_seq AFTER INSERT OR UPDATE OR DELETE ON targets
	FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_task();
CREATE TRIGGER units_rename_seq AFTER UPDATE OF name ON units
	FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_org();
CREATE TRIGGER people_rename_seq AFTER UPDATE OF name ON people
	FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_org();
