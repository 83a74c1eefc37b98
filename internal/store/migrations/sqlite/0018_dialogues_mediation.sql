-- 0018: dialogues between heads and the people, with the issues raised and
-- the commitments made, and grassroots mediation cases (Law 35/2013/QH13).
-- Owned by internal/store/civic.go. A commitment is overdue when it is open
-- past due_on (derived, not stored). Mediation parties are personal data.
CREATE TABLE dialogues (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    held_on      TEXT NOT NULL,
    topic        TEXT NOT NULL,
    chair        TEXT NOT NULL DEFAULT '',
    participants TEXT NOT NULL DEFAULT '',
    public       BOOLEAN NOT NULL DEFAULT FALSE,
    minutes      TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'planned',
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX dialogues_unit ON dialogues(unit_id, held_on);

CREATE TABLE dialogue_issues (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
    raised_by   TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX dialogue_issues_dialogue ON dialogue_issues(dialogue_id);

CREATE TABLE dialogue_commitments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    dialogue_id   BIGINT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
    issue_id      BIGINT REFERENCES dialogue_issues(id) ON DELETE SET NULL,
    owner_unit_id BIGINT NOT NULL REFERENCES units(id),
    text          TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open',
    done_on       TEXT,
    evidence      TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX dialogue_commitments_dialogue ON dialogue_commitments(dialogue_id);
CREATE INDEX dialogue_commitments_due ON dialogue_commitments(status, due_on);

CREATE TABLE mediation_cases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    village        TEXT NOT NULL DEFAULT '',
    parties        TEXT NOT NULL,
    dispute_kind   TEXT NOT NULL,
    summary        TEXT NOT NULL,
    mediators      TEXT NOT NULL,
    assigned_on    TEXT NOT NULL,
    start_due      TEXT NOT NULL,
    started_on     TEXT,
    outcome        TEXT,
    outcome_on     TEXT,
    agreement      TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX mediation_cases_unit ON mediation_cases(unit_id, assigned_on);

