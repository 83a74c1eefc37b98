-- 0017: citizen cases (phản ánh, kiến nghị, khiếu nại, tố cáo, yêu cầu cung
-- cấp thông tin): categories, the cases with their tracking code and the
-- hash of their secret link, and the history of each case. The identity of
-- the person who submitted a case is encrypted by the application
-- (AES-256-GCM) before it reaches this table.
CREATE TABLE case_categories (
    code         TEXT PRIMARY KEY,
    name_vi      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    name_ja      TEXT NOT NULL DEFAULT '',
    default_kind TEXT NOT NULL DEFAULT '',          -- unit kind competent by default
    default_unit_id INTEGER REFERENCES units(id)    -- or one competent unit
);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    tracking_code  TEXT NOT NULL UNIQUE,            -- TH-2026-7K3QX9
    secret_hash    TEXT NOT NULL,                   -- SHA-256 of the secret link token
    kind           TEXT NOT NULL,                   -- feedback, recommendation, complaint, complaint2, denunciation, information
    category       TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,                   -- web, open311, reception, phone, post, transfer
    unit_id        INTEGER NOT NULL REFERENCES units(id),  -- competent (handling) unit
    place_unit_id  INTEGER REFERENCES units(id),    -- commune or ward concerned
    lat            REAL,
    lon            REAL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    status         TEXT NOT NULL,                   -- received, accepted, refused, transferred, in_progress, suspended, resolved, closed
    anonymous      BOOLEAN NOT NULL DEFAULT FALSE,
    identity_enc   BLOB,                            -- NULL: anonymous without contact
    submitter_id   INTEGER REFERENCES users(id),
    parent_case_id INTEGER REFERENCES cases(id),    -- second complaint → first
    remote         BOOLEAN NOT NULL DEFAULT FALSE,      -- remote or difficult area (longer deadlines)
    accept_due     TEXT NOT NULL DEFAULT '',        -- YYYY-MM-DD
    resolve_due    TEXT NOT NULL DEFAULT '',
    extended_due   TEXT NOT NULL DEFAULT '',
    resolution     TEXT NOT NULL DEFAULT '',
    rating         INTEGER,
    rating_comment TEXT NOT NULL DEFAULT '',
    received_on    TEXT NOT NULL,                   -- YYYY-MM-DD in Vietnam
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_unit_status ON cases (unit_id, status);
CREATE INDEX cases_created ON cases (created_at, id);
CREATE INDEX cases_parent ON cases (parent_case_id);

CREATE TABLE case_events (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    at            TEXT NOT NULL,
    actor_id      INTEGER REFERENCES users(id),
    actor         TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    public        BOOLEAN NOT NULL DEFAULT TRUE,
    public_note   TEXT NOT NULL DEFAULT '',
    internal_note TEXT NOT NULL DEFAULT '',
    from_unit_id  INTEGER REFERENCES units(id),
    to_unit_id    INTEGER REFERENCES units(id)
);
CREATE INDEX case_events_case ON case_events (case_id, id);
