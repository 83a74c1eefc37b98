-- 0025: "Dân vận khéo" models and examples (DOMAIN §5): a unit registers a
-- collective model or an individual example with its figures and evidence;
-- the province keeps the criteria as data (per year and field, each with a
-- weight); assigned evaluators score against them; the steering body
-- recognises at commune or province level; other units replicate it.
-- Owned by internal/store/models.go. Pictures are kept twice, resized on
-- upload (a large version and a thumbnail), never as uploaded.
CREATE TABLE models (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,                  -- collective, individual
    name          TEXT NOT NULL,
    field         TEXT NOT NULL,                  -- economy, culture_society, defence_security, political_system
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    place_unit_id BIGINT REFERENCES units(id),
    commune_id    BIGINT REFERENCES units(id),    -- the commune or ward the place lies in, for the public filter
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    results       TEXT NOT NULL DEFAULT '[]',     -- JSON [{label, value, unit}]
    links         TEXT NOT NULL DEFAULT '[]',     -- JSON ["https://…"]
    status        TEXT NOT NULL DEFAULT 'draft',  -- draft, submitted, recognised
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX models_unit ON models(unit_id, status);
CREATE INDEX models_public ON models(status, field, commune_id);

CREATE TABLE model_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id     BIGINT NOT NULL REFERENCES models(id),
    kind         TEXT NOT NULL,                   -- photo, document
    name         TEXT NOT NULL,
    caption      TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,                   -- sniffed or re-encoded
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,                   -- a photo's large version
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    thumb        BLOB,                            -- a photo's thumbnail
    thumb_type   TEXT NOT NULL DEFAULT '',
    thumb_width  INTEGER NOT NULL DEFAULT 0,
    thumb_height INTEGER NOT NULL DEFAULT 0,
    created_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX model_files_model ON model_files(model_id, id);

CREATE TABLE model_criteria (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    year     INTEGER NOT NULL,
    field    TEXT NOT NULL,
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    weight   INTEGER NOT NULL,
    guidance TEXT NOT NULL DEFAULT '',
    UNIQUE (year, field, code)
);

CREATE TABLE model_evaluators (
    model_id    BIGINT NOT NULL REFERENCES models(id),
    user_id     BIGINT NOT NULL REFERENCES users(id),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (model_id, user_id)
);

CREATE TABLE model_evaluations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id     BIGINT NOT NULL REFERENCES models(id),
    evaluator_id BIGINT NOT NULL REFERENCES users(id),
    scores       TEXT NOT NULL,                   -- JSON [{criterion_id, score, comment}]
    comment      TEXT NOT NULL DEFAULT '',
    total        INTEGER NOT NULL,                -- weighted score out of 1000 (tenths of a point out of 100)
    updated_at   TEXT NOT NULL,
    UNIQUE (model_id, evaluator_id)
);

CREATE TABLE model_recognitions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id     BIGINT NOT NULL UNIQUE REFERENCES models(id),
    level        TEXT NOT NULL,                   -- commune, province
    year         INTEGER NOT NULL,
    decision_no  TEXT NOT NULL,
    decided_on   TEXT NOT NULL,
    commendation TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX model_recognitions_year ON model_recognitions(year, level);

CREATE TABLE model_replications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id   BIGINT NOT NULL REFERENCES models(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    started_on TEXT NOT NULL,
    status     TEXT NOT NULL,                     -- started, spreading, done
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (model_id, unit_id)
);
