-- The reporting and supervision loop: schedules and cycles, reports with every
-- submission and review kept, contributions of responsible units, evidence
-- stored by content hash, closure, extensions, supervision notices, channels,
-- notifications and their deliveries.

ALTER TABLE tasks ADD COLUMN light TEXT NOT NULL DEFAULT ''
	CHECK (light IN ('', 'green', 'yellow', 'red'));
ALTER TABLE tasks ADD COLUMN light_rules TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks ADD COLUMN expected REAL;
ALTER TABLE tasks ADD COLUMN actual REAL;
ALTER TABLE tasks ADD COLUMN closed_at TEXT;
ALTER TABLE tasks ADD COLUMN closed_by INTEGER REFERENCES users (id);
ALTER TABLE tasks ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE schedules (
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	year       INTEGER NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('monthly', 'quarterly', 'semiannual', 'custom')),
	day        INTEGER NOT NULL DEFAULT 0,
	dates      TEXT NOT NULL DEFAULT '[]',
	grace_days INTEGER NOT NULL DEFAULT 0,
	shift      TEXT NOT NULL DEFAULT 'before' CHECK (shift IN ('before', 'after', 'none')),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES users (id),
	PRIMARY KEY (org_id, year)
);

CREATE TABLE calendar_days (
	org_id  INTEGER NOT NULL REFERENCES orgs (id),
	date    TEXT NOT NULL,
	working INTEGER NOT NULL,
	name    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (org_id, date)
);

CREATE TABLE cycles (
	id           INTEGER PRIMARY KEY,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	year         INTEGER NOT NULL,
	seq          INTEGER NOT NULL,
	label        TEXT NOT NULL,
	period_start TEXT NOT NULL,
	period_end   TEXT NOT NULL,
	due          TEXT NOT NULL,
	grace_end    TEXT NOT NULL,
	UNIQUE (org_id, year, seq)
);

CREATE TABLE reports (
	id           INTEGER PRIMARY KEY,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	cycle_id     INTEGER NOT NULL REFERENCES cycles (id),
	unit_id      INTEGER NOT NULL REFERENCES units (id),
	status       TEXT NOT NULL
		CHECK (status IN ('draft', 'submitted', 'returned', 'evidence_requested', 'approved')),
	progress     TEXT NOT NULL DEFAULT '',
	problems     TEXT NOT NULL DEFAULT '',
	next_steps   TEXT NOT NULL DEFAULT '',
	percent      INTEGER CHECK (percent BETWEEN 0 AND 100),
	figures      TEXT NOT NULL DEFAULT '[]',
	late         INTEGER NOT NULL DEFAULT 0,
	submitted_at TEXT,
	submitted_by INTEGER REFERENCES users (id),
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TEXT NOT NULL,
	created_by   INTEGER REFERENCES users (id),
	updated_at   TEXT NOT NULL,
	updated_by   INTEGER REFERENCES users (id),
	UNIQUE (task_id, cycle_id)
);
CREATE INDEX reports_org_status ON reports (org_id, status);
CREATE INDEX reports_cycle_id ON reports (cycle_id);

-- Every submission is kept as it was sent: a report submitted is a report kept.
CREATE TABLE submissions (
	id           INTEGER PRIMARY KEY,
	report_id    INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL,
	progress     TEXT NOT NULL,
	problems     TEXT NOT NULL,
	next_steps   TEXT NOT NULL,
	percent      INTEGER,
	figures      TEXT NOT NULL,
	evidence     TEXT NOT NULL DEFAULT '[]',
	late         INTEGER NOT NULL DEFAULT 0,
	submitted_at TEXT NOT NULL,
	submitted_by INTEGER REFERENCES users (id),
	UNIQUE (report_id, seq)
);

CREATE TABLE reviews (
	id            INTEGER PRIMARY KEY,
	report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	submission_id INTEGER NOT NULL REFERENCES submissions (id),
	decision      TEXT NOT NULL CHECK (decision IN ('approve', 'return', 'request_evidence')),
	comment       TEXT NOT NULL DEFAULT '',
	quality       INTEGER CHECK (quality BETWEEN 1 AND 5),
	reviewer_id   INTEGER REFERENCES users (id),
	reviewer      TEXT NOT NULL,
	at            TEXT NOT NULL
);
CREATE INDEX reviews_report_id ON reviews (report_id);

CREATE TABLE contributions (
	id         INTEGER PRIMARY KEY,
	task_id    INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	cycle_id   INTEGER NOT NULL REFERENCES cycles (id),
	unit_id    INTEGER NOT NULL REFERENCES units (id),
	progress   TEXT NOT NULL DEFAULT '',
	problems   TEXT NOT NULL DEFAULT '',
	next_steps TEXT NOT NULL DEFAULT '',
	figures    TEXT NOT NULL DEFAULT '[]',
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES users (id),
	UNIQUE (task_id, cycle_id, unit_id)
);

-- Files are kept once by the SHA-256 of their content.
CREATE TABLE blobs (
	sha256  TEXT PRIMARY KEY,
	size    INTEGER NOT NULL,
	content BLOB NOT NULL
);

CREATE TABLE evidence (
	id           INTEGER PRIMARY KEY,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	report_id    INTEGER REFERENCES reports (id),
	file_name    TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL REFERENCES blobs (sha256),
	uploaded_by  INTEGER REFERENCES users (id),
	uploaded_at  TEXT NOT NULL
);
CREATE INDEX evidence_task_id ON evidence (task_id);

CREATE TABLE extensions (
	id           INTEGER PRIMARY KEY,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id      INTEGER NOT NULL REFERENCES units (id),
	reason       TEXT NOT NULL,
	old_deadline TEXT NOT NULL,
	new_deadline TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
	requested_by INTEGER REFERENCES users (id),
	requested_at TEXT NOT NULL,
	decided_by   INTEGER REFERENCES users (id),
	decided_at   TEXT,
	comment      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX extensions_org_status ON extensions (org_id, status);
CREATE INDEX extensions_task_id ON extensions (task_id);

CREATE TABLE notices (
	id           INTEGER PRIMARY KEY,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id      INTEGER NOT NULL REFERENCES units (id),
	year         INTEGER NOT NULL,
	seq          INTEGER NOT NULL,
	number       TEXT NOT NULL,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL DEFAULT '',
	deadline     TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('open', 'responded', 'closed')),
	issued_by    INTEGER REFERENCES users (id),
	issued_at    TEXT NOT NULL,
	response     TEXT NOT NULL DEFAULT '',
	responded_by INTEGER REFERENCES users (id),
	responded_at TEXT,
	closed_at    TEXT,
	UNIQUE (org_id, year, seq)
);
CREATE INDEX notices_task_id ON notices (task_id);

CREATE TABLE channels (
	id      INTEGER PRIMARY KEY,
	org_id  INTEGER NOT NULL REFERENCES orgs (id),
	kind    TEXT NOT NULL CHECK (kind IN ('email', 'dingtalk', 'wecom', 'webhook')),
	name    TEXT NOT NULL,
	enabled INTEGER NOT NULL DEFAULT 1,
	config  TEXT NOT NULL DEFAULT '{}',
	UNIQUE (org_id, name)
);

-- A notification is created once per key: jobs that run again find it and
-- send nothing more.
CREATE TABLE notifications (
	id        INTEGER PRIMARY KEY,
	org_id    INTEGER NOT NULL REFERENCES orgs (id),
	key       TEXT NOT NULL,
	kind      TEXT NOT NULL,
	task_id   INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id   INTEGER REFERENCES units (id),
	person_id INTEGER REFERENCES people (id),
	user_id   INTEGER REFERENCES users (id),
	title     TEXT NOT NULL,
	body      TEXT NOT NULL DEFAULT '',
	link      TEXT NOT NULL DEFAULT '',
	at        TEXT NOT NULL,
	UNIQUE (org_id, key)
);
CREATE INDEX notifications_unit_id ON notifications (unit_id, id);
CREATE INDEX notifications_user_id ON notifications (user_id, id);
CREATE INDEX notifications_person_id ON notifications (person_id, id);

CREATE TABLE notification_reads (
	notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
	user_id         INTEGER NOT NULL REFERENCES users (id),
	read_at         TEXT NOT NULL,
	PRIMARY KEY (notification_id, user_id)
);

CREATE TABLE deliveries (
	id              INTEGER PRIMARY KEY,
	notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
	channel_id      INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
	status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT,
	last_error      TEXT NOT NULL DEFAULT '',
	sent_at         TEXT,
	UNIQUE (notification_id, channel_id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);

-- Every attempt to send is logged.
CREATE TABLE delivery_attempts (
	id          INTEGER PRIMARY KEY,
	delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	ok          INTEGER NOT NULL,
	error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery_id ON delivery_attempts (delivery_id);

-- Settings an administrator changes while the system runs.
CREATE TABLE org_settings (
	org_id INTEGER PRIMARY KEY REFERENCES orgs (id),
	value  TEXT NOT NULL DEFAULT '{}'
);

-- Jobs record each run, so that an operator sees what ran and when.
CREATE TABLE job_runs (
	id          INTEGER PRIMARY KEY,
	job         TEXT NOT NULL,
	started_at  TEXT NOT NULL,
	finished_at TEXT,
	now         TEXT NOT NULL,
	ok          INTEGER,
	error       TEXT NOT NULL DEFAULT '',
	summary     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job ON job_runs (job, id);

-- The audit log refuses changes: submissions and reviews are kept the same way.
CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
BEGIN
	SELECT RAISE(ABORT, 'submissions are append-only');
END;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN
	SELECT RAISE(ABORT, 'reviews are append-only');
END;
