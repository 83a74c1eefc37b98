-- 0019: Open311 GeoReport v2. The keys of the client applications allowed to
-- submit requests (only the SHA-256 of each key is kept), and what an
-- Open311 request carries beyond a case: the photo's address and the
-- location as the citizen wrote it. Owned by internal/store/open311.go.
CREATE TABLE open311_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    revoked_at TEXT
);

ALTER TABLE cases ADD COLUMN media_url TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN address_string TEXT NOT NULL DEFAULT '';
