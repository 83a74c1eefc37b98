-- 0002: programme tracking — directives, their texts in several languages,
-- numbered tasks, addressees, assignments, unit plans and progress.
-- Owned by internal/programme (rules) and internal/store/programme.go (SQL).
CREATE TABLE directives (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,          -- e.g. 1470-CV/TU
    doc_type       TEXT NOT NULL,                 -- cv (công văn), ct, nq, kh, kl, qd, other
    issued_on      TEXT NOT NULL,                 -- YYYY-MM-DD
    issuer_unit_id INTEGER NOT NULL REFERENCES units(id),
    signer         TEXT NOT NULL DEFAULT '',
    signer_title   TEXT NOT NULL DEFAULT '',
    lang           TEXT NOT NULL,                 -- language of title and body below
    title          TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Every language version, the original included (is_translation = FALSE).
CREATE TABLE directive_texts (
    directive_id   INTEGER NOT NULL REFERENCES directives(id),
    lang           TEXT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    is_translation BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (directive_id, lang)
);

-- A link (url) or an uploaded file (data).
CREATE TABLE directive_attachments (
    id           INTEGER PRIMARY KEY,
    directive_id INTEGER NOT NULL REFERENCES directives(id),
    name         TEXT NOT NULL,
    url          TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    data         BLOB,
    created_at   TEXT NOT NULL
);
CREATE INDEX directive_attachments_directive ON directive_attachments(directive_id);

CREATE TABLE directive_tasks (
    id           INTEGER PRIMARY KEY,
    directive_id INTEGER NOT NULL REFERENCES directives(id),
    number       INTEGER NOT NULL,
    weight       REAL NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    CHECK (weight >= 0)
);
CREATE UNIQUE INDEX directive_tasks_number ON directive_tasks(directive_id, number);

CREATE TABLE directive_task_texts (
    task_id        INTEGER NOT NULL REFERENCES directive_tasks(id),
    lang           TEXT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    is_translation BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (task_id, lang)
);

-- An addressee is one unit, or every unit of a kind.
CREATE TABLE directive_addressees (
    id           INTEGER PRIMARY KEY,
    directive_id INTEGER NOT NULL REFERENCES directives(id),
    unit_id      INTEGER REFERENCES units(id),
    unit_kind    TEXT,
    CHECK ((unit_id IS NULL) <> (unit_kind IS NULL))
);
CREATE INDEX directive_addressees_directive ON directive_addressees(directive_id);

CREATE TABLE task_assignments (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES directive_tasks(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    role       TEXT NOT NULL,                     -- lead, cooperate
    due_on     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX task_assignments_unique ON task_assignments(task_id, unit_id);
CREATE INDEX task_assignments_unit ON task_assignments(unit_id);

CREATE TABLE plan_activities (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    task_id    INTEGER NOT NULL REFERENCES directive_tasks(id),
    title      TEXT NOT NULL,
    owner      TEXT NOT NULL DEFAULT '',
    start_on   TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    indicator  TEXT NOT NULL DEFAULT '',
    target     TEXT NOT NULL DEFAULT '',
    weight     REAL NOT NULL DEFAULT 1,
    progress   INTEGER NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL DEFAULT 1,        -- optimistic lock; +1 on every write
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (progress BETWEEN 0 AND 100),
    CHECK (due_on >= start_on),
    CHECK (weight >= 0)
);
CREATE INDEX plan_activities_unit ON plan_activities(unit_id);
CREATE INDEX plan_activities_task ON plan_activities(task_id);

-- Uploaded evidence, at most 10 MiB each (checked by the application).
CREATE TABLE progress_files (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES plan_activities(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX progress_files_activity ON progress_files(activity_id);

CREATE TABLE progress_updates (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES plan_activities(id),
    percent      INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    evidence_url TEXT NOT NULL DEFAULT '',
    file_id      INTEGER REFERENCES progress_files(id),
    actor_id     INTEGER REFERENCES users(id),
    actor_name   TEXT NOT NULL,
    at           TEXT NOT NULL,
    CHECK (percent BETWEEN 0 AND 100)
);
CREATE INDEX progress_updates_activity ON progress_updates(activity_id);
