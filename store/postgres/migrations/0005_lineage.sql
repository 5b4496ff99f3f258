-- The lineage of indicators across years and documents: a later indicator
-- confirmed by the office as the same one renamed, or redefined (a share
-- that became a growth rate). And settings kept as JSON documents by key:
-- the ranking rules, the polarity of indicators.

CREATE TABLE indicator_links (
	org_id       bigint NOT NULL REFERENCES orgs (id),
	indicator_id bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	previous_id  bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	kind         text NOT NULL CHECK (kind IN ('renamed', 'redefined')),
	note         text NOT NULL DEFAULT '',
	confirmed_by bigint REFERENCES users (id),
	confirmed_at timestamptz NOT NULL,
	PRIMARY KEY (indicator_id, previous_id),
	CHECK (indicator_id <> previous_id)
);
CREATE INDEX indicator_links_org_id ON indicator_links (org_id);

CREATE TABLE org_config (
	org_id     bigint NOT NULL REFERENCES orgs (id),
	key        text NOT NULL,
	value      text NOT NULL,
	updated_at timestamptz NOT NULL,
	updated_by bigint REFERENCES users (id),
	PRIMARY KEY (org_id, key)
);
