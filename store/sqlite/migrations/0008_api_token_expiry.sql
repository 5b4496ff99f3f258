-- API tokens get an optional expiry and are revoked by marking them, so that
-- a revoked token stays on record (its audit entries name it) but signs
-- nobody in. Times are RFC 3339 UTC text; NULL means "never expires" and "not
-- revoked".
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
