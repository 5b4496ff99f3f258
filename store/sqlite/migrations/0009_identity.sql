-- Sign-in through the government's identity systems (OIDC, LDAP). A user who
-- signs in through one has its name in source and their identifier there in
-- subject (NULL for duban's own accounts, so that the unique index leaves
-- them alone), and no password; upstream_secret keeps what the source gave
-- for the periodic check (a sealed OIDC refresh token).
ALTER TABLE users ADD COLUMN source TEXT;
ALTER TABLE users ADD COLUMN subject TEXT;
ALTER TABLE users ADD COLUMN upstream_secret TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_source_subject ON users (source, subject);

-- People no mapping rule gives an account wait here for an administrator.
-- Times are RFC 3339 UTC text.
CREATE TABLE identity_requests (
	id           INTEGER PRIMARY KEY,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	source       TEXT NOT NULL,
	subject      TEXT NOT NULL,
	username     TEXT NOT NULL DEFAULT '',
	display_name TEXT NOT NULL DEFAULT '',
	email        TEXT NOT NULL DEFAULT '',
	mobile       TEXT NOT NULL DEFAULT '',
	unit         TEXT NOT NULL DEFAULT '',
	groups       TEXT NOT NULL DEFAULT '[]',
	status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	attempts     INTEGER NOT NULL DEFAULT 1,
	first_at     TEXT NOT NULL,
	last_at      TEXT NOT NULL,
	decided_by   TEXT NOT NULL DEFAULT '',
	decided_at   TEXT,
	user_id      INTEGER REFERENCES users (id),
	UNIQUE (source, subject)
);
CREATE INDEX identity_requests_org ON identity_requests (org_id, status, id);
