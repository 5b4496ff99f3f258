-- Sign-in through the government's identity systems (OIDC, LDAP). A user who
-- signs in through one has its name in source and their identifier there in
-- subject (NULL for duban's own accounts, so that the unique index leaves
-- them alone), and no password; upstream_secret keeps what the source gave
-- for the periodic check (a sealed OIDC refresh token).
ALTER TABLE users ADD COLUMN source text;
ALTER TABLE users ADD COLUMN subject text;
ALTER TABLE users ADD COLUMN upstream_secret text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_source_subject ON users (source, subject);

-- People no mapping rule gives an account wait here for an administrator.
CREATE TABLE identity_requests (
	id           bigserial PRIMARY KEY,
	org_id       bigint NOT NULL REFERENCES orgs (id),
	source       text NOT NULL,
	subject      text NOT NULL,
	username     text NOT NULL DEFAULT '',
	display_name text NOT NULL DEFAULT '',
	email        text NOT NULL DEFAULT '',
	mobile       text NOT NULL DEFAULT '',
	unit         text NOT NULL DEFAULT '',
	groups       text NOT NULL DEFAULT '[]',
	status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	attempts     integer NOT NULL DEFAULT 1,
	first_at     timestamptz NOT NULL,
	last_at      timestamptz NOT NULL,
	decided_by   text NOT NULL DEFAULT '',
	decided_at   timestamptz,
	user_id      bigint REFERENCES users (id),
	UNIQUE (source, subject)
);
CREATE INDEX identity_requests_org ON identity_requests (org_id, status, id);
