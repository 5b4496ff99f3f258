-- API tokens get an optional expiry and are revoked by marking them, so that
-- a revoked token stays on record (its audit entries name it) but signs
-- nobody in. NULL means "never expires" and "not revoked". Numbered 0008 as
-- in the SQLite store (PostgreSQL has no 0007), so one change has one name.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN revoked_at timestamptz;
