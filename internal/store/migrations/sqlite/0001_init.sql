-- 0001: organisation tree, accounts, sessions, tokens, audit log.
-- Legal dates are TEXT 'YYYY-MM-DD'; timestamps are TEXT RFC 3339 UTC (TIMESTAMPTZ on PostgreSQL).
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    parent_id   INTEGER REFERENCES units(id),
    remote      BOOLEAN NOT NULL DEFAULT FALSE,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    sort_key    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX units_code_from ON units(code, valid_from);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_folded ON units(name_folded);

CREATE TABLE unit_successors (
    predecessor_id INTEGER NOT NULL REFERENCES units(id),
    successor_id   INTEGER NOT NULL REFERENCES units(id),
    kind           TEXT NOT NULL,
    portion        TEXT NOT NULL,
    effective      TEXT NOT NULL,
    PRIMARY KEY (predecessor_id, successor_id)
);
CREATE INDEX unit_successors_succ ON unit_successors(successor_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    locale        TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE grants (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    granted_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX grants_unique ON grants(user_id, role, unit_id);
CREATE INDEX grants_unit ON grants(unit_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    ok       BOOLEAN NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX login_attempts_ip_at ON login_attempts(ip, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id);
