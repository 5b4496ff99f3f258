-- The reporting and supervision loop: schedules and cycles, reports with every
-- submission and review kept, contributions of responsible units, evidence
-- stored by content hash, closure, extensions, supervision notices, channels,
-- notifications and their deliveries.

ALTER TABLE tasks ADD COLUMN light text NOT NULL DEFAULT ''
	CHECK (light IN ('', 'green', 'yellow', 'red'));
ALTER TABLE tasks ADD COLUMN light_rules text NOT NULL DEFAULT '[]';
ALTER TABLE tasks ADD COLUMN expected double precision;
ALTER TABLE tasks ADD COLUMN actual double precision;
ALTER TABLE tasks ADD COLUMN closed_at timestamptz;
ALTER TABLE tasks ADD COLUMN closed_by bigint REFERENCES users (id);
ALTER TABLE tasks ADD COLUMN close_reason text NOT NULL DEFAULT '';

CREATE TABLE schedules (
	org_id     bigint NOT NULL REFERENCES orgs (id),
	year       integer NOT NULL,
	kind       text NOT NULL CHECK (kind IN ('monthly', 'quarterly', 'semiannual', 'custom')),
	day        integer NOT NULL DEFAULT 0,
	dates      text NOT NULL DEFAULT '[]',
	grace_days integer NOT NULL DEFAULT 0,
	shift      text NOT NULL DEFAULT 'before' CHECK (shift IN ('before', 'after', 'none')),
	updated_at timestamptz NOT NULL,
	updated_by bigint REFERENCES users (id),
	PRIMARY KEY (org_id, year)
);

CREATE TABLE calendar_days (
	org_id  bigint NOT NULL REFERENCES orgs (id),
	date    text NOT NULL,
	working boolean NOT NULL,
	name    text NOT NULL DEFAULT '',
	PRIMARY KEY (org_id, date)
);

CREATE TABLE cycles (
	id           bigserial PRIMARY KEY,
	org_id       bigint NOT NULL REFERENCES orgs (id),
	year         integer NOT NULL,
	seq          integer NOT NULL,
	label        text NOT NULL,
	period_start text NOT NULL,
	period_end   text NOT NULL,
	due          text NOT NULL,
	grace_end    text NOT NULL,
	UNIQUE (org_id, year, seq)
);

CREATE TABLE reports (
	id           bigserial PRIMARY KEY,
	org_id       bigint NOT NULL REFERENCES orgs (id),
	task_id      bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	cycle_id     bigint NOT NULL REFERENCES cycles (id),
	unit_id      bigint NOT NULL REFERENCES units (id),
	status       text NOT NULL
		CHECK (status IN ('draft', 'submitted', 'returned', 'evidence_requested', 'approved')),
	progress     text NOT NULL DEFAULT '',
	problems     text NOT NULL DEFAULT '',
	next_steps   text NOT NULL DEFAULT '',
	percent      integer CHECK (percent BETWEEN 0 AND 100),
	figures      text NOT NULL DEFAULT '[]',
	late         boolean NOT NULL DEFAULT false,
	submitted_at timestamptz,
	submitted_by bigint REFERENCES users (id),
	version      integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL,
	created_by   bigint REFERENCES users (id),
	updated_at   timestamptz NOT NULL,
	updated_by   bigint REFERENCES users (id),
	UNIQUE (task_id, cycle_id)
);
CREATE INDEX reports_org_status ON reports (org_id, status);
CREATE INDEX reports_cycle_id ON reports (cycle_id);

-- Every submission is kept as it was sent: a report submitted is a report kept.
CREATE TABLE submissions (
	id           bigserial PRIMARY KEY,
	report_id    bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	seq          integer NOT NULL,
	progress     text NOT NULL,
	problems     text NOT NULL,
	next_steps   text NOT NULL,
	percent      integer,
	figures      text NOT NULL,
	evidence     text NOT NULL DEFAULT '[]',
	late         boolean NOT NULL DEFAULT false,
	submitted_at timestamptz NOT NULL,
	submitted_by bigint REFERENCES users (id),
	UNIQUE (report_id, seq)
);

CREATE TABLE reviews (
	id            bigserial PRIMARY KEY,
	report_id     bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	submission_id bigint NOT NULL REFERENCES submissions (id),
	decision      text NOT NULL CHECK (decision IN ('approve', 'return', 'request_evidence')),
	comment       text NOT NULL DEFAULT '',
	quality       integer CHECK (quality BETWEEN 1 AND 5),
	reviewer_id   bigint REFERENCES users (id),
	reviewer      text NOT NULL,
	at            timestamptz NOT NULL
);
CREATE INDEX reviews_report_id ON reviews (report_id);

CREATE TABLE contributions (
	id         bigserial PRIMARY KEY,
	task_id    bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	cycle_id   bigint NOT NULL REFERENCES cycles (id),
	unit_id    bigint NOT NULL REFERENCES units (id),
	progress   text NOT NULL DEFAULT '',
	problems   text NOT NULL DEFAULT '',
	next_steps text NOT NULL DEFAULT '',
	figures    text NOT NULL DEFAULT '[]',
	updated_at timestamptz NOT NULL,
	updated_by bigint REFERENCES users (id),
	UNIQUE (task_id, cycle_id, unit_id)
);

-- Files are kept once by the SHA-256 of their content.
CREATE TABLE blobs (
	sha256  text PRIMARY KEY,
	size    bigint NOT NULL,
	content bytea NOT NULL
);

CREATE TABLE evidence (
	id           bigserial PRIMARY KEY,
	org_id       bigint NOT NULL REFERENCES orgs (id),
	task_id      bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	report_id    bigint REFERENCES reports (id),
	file_name    text NOT NULL,
	content_type text NOT NULL,
	size         bigint NOT NULL,
	sha256       text NOT NULL REFERENCES blobs (sha256),
	uploaded_by  bigint REFERENCES users (id),
	uploaded_at  timestamptz NOT NULL
);
CREATE INDEX evidence_task_id ON evidence (task_id);

CREATE TABLE extensions (
	id           bigserial PRIMARY KEY,
	org_id       bigint NOT NULL REFERENCES orgs (id),
	task_id      bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id      bigint NOT NULL REFERENCES units (id),
	reason       text NOT NULL,
	old_deadline text NOT NULL,
	new_deadline text NOT NULL,
	status       text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
	requested_by bigint REFERENCES users (id),
	requested_at timestamptz NOT NULL,
	decided_by   bigint REFERENCES users (id),
	decided_at   timestamptz,
	comment      text NOT NULL DEFAULT ''
);
CREATE INDEX extensions_org_status ON extensions (org_id, status);
CREATE INDEX extensions_task_id ON extensions (task_id);

CREATE TABLE notices (
	id           bigserial PRIMARY KEY,
	org_id       bigint NOT NULL REFERENCES orgs (id),
	task_id      bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id      bigint NOT NULL REFERENCES units (id),
	year         integer NOT NULL,
	seq          integer NOT NULL,
	number       text NOT NULL,
	title        text NOT NULL,
	body         text NOT NULL DEFAULT '',
	deadline     text NOT NULL,
	status       text NOT NULL CHECK (status IN ('open', 'responded', 'closed')),
	issued_by    bigint REFERENCES users (id),
	issued_at    timestamptz NOT NULL,
	response     text NOT NULL DEFAULT '',
	responded_by bigint REFERENCES users (id),
	responded_at timestamptz,
	closed_at    timestamptz,
	UNIQUE (org_id, year, seq)
);
CREATE INDEX notices_task_id ON notices (task_id);

CREATE TABLE channels (
	id      bigserial PRIMARY KEY,
	org_id  bigint NOT NULL REFERENCES orgs (id),
	kind    text NOT NULL CHECK (kind IN ('email', 'dingtalk', 'wecom', 'webhook')),
	name    text NOT NULL,
	enabled boolean NOT NULL DEFAULT true,
	config  text NOT NULL DEFAULT '{}',
	UNIQUE (org_id, name)
);

-- A notification is created once per key: jobs that run again find it and
-- send nothing more.
CREATE TABLE notifications (
	id        bigserial PRIMARY KEY,
	org_id    bigint NOT NULL REFERENCES orgs (id),
	key       text NOT NULL,
	kind      text NOT NULL,
	task_id   bigint REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id   bigint REFERENCES units (id),
	person_id bigint REFERENCES people (id),
	user_id   bigint REFERENCES users (id),
	title     text NOT NULL,
	body      text NOT NULL DEFAULT '',
	link      text NOT NULL DEFAULT '',
	at        timestamptz NOT NULL,
	UNIQUE (org_id, key)
);
CREATE INDEX notifications_unit_id ON notifications (unit_id, id);
CREATE INDEX notifications_user_id ON notifications (user_id, id);
CREATE INDEX notifications_person_id ON notifications (person_id, id);

CREATE TABLE notification_reads (
	notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
	user_id         bigint NOT NULL REFERENCES users (id),
	read_at         timestamptz NOT NULL,
	PRIMARY KEY (notification_id, user_id)
);

CREATE TABLE deliveries (
	id              bigserial PRIMARY KEY,
	notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
	channel_id      bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
	status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz,
	last_error      text NOT NULL DEFAULT '',
	sent_at         timestamptz,
	UNIQUE (notification_id, channel_id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);

-- Every attempt to send is logged.
CREATE TABLE delivery_attempts (
	id          bigserial PRIMARY KEY,
	delivery_id bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
	at          timestamptz NOT NULL,
	ok          boolean NOT NULL,
	error       text NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery_id ON delivery_attempts (delivery_id);

-- Settings an administrator changes while the system runs.
CREATE TABLE org_settings (
	org_id bigint PRIMARY KEY REFERENCES orgs (id),
	value  text NOT NULL DEFAULT '{}'
);

-- Jobs record each run, so that an operator sees what ran and when.
CREATE TABLE job_runs (
	id          bigserial PRIMARY KEY,
	job         text NOT NULL,
	started_at  timestamptz NOT NULL,
	finished_at timestamptz,
	now         timestamptz NOT NULL,
	ok          boolean,
	error       text NOT NULL DEFAULT '',
	summary     text NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job ON job_runs (job, id);

-- Submissions and reviews are kept as they were written.
CREATE FUNCTION append_only_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
	FOR EACH ROW EXECUTE PROCEDURE append_only_refuse();
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
	FOR EACH ROW EXECUTE PROCEDURE append_only_refuse();
