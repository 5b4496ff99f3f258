-- The lineage of indicators across years and documents: a later indicator
-- confirmed by the office as the same one renamed, or redefined (a share
-- that became a growth rate). And settings kept as JSON documents by key:
-- the ranking rules, the polarity of indicators.

CREATE TABLE indicator_links (
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	indicator_id INTEGER NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	previous_id  INTEGER NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL CHECK (kind IN ('renamed', 'redefined')),
	note         TEXT NOT NULL DEFAULT '',
	confirmed_by INTEGER REFERENCES users (id),
	confirmed_at TEXT NOT NULL,
	PRIMARY KEY (indicator_id, previous_id),
	CHECK (indicator_id <> previous_id)
);
CREATE INDEX indicator_links_org_id ON indicator_links (org_id);

CREATE TABLE org_config (
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	key        TEXT NOT NULL,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES users (id),
	PRIMARY KEY (org_id, key)
);
