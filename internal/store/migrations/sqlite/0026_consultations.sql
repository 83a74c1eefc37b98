-- 0026: consultation on drafts (Law 10/2022/QH15 Art. 25; social criticism
-- of the Fatherland Front and the mass organisations). A draft of a unit is
-- split into passages; comments are anchored to a passage or to the whole
-- draft and moderated by the drafting unit; an answer takes in (or not) one
-- or more comments; the synthesis is published once the period has closed.
-- Owned by internal/store/consult.go. Whether a published draft is upcoming,
-- open or closed is derived from its dates in Vietnam time, not stored. A
-- comment's contact is personal data, never shown in public.
CREATE TABLE consultations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    opens_on       TEXT NOT NULL,
    closes_on      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'draft', -- draft, published, synthesised
    synthesis      TEXT NOT NULL DEFAULT '',
    synthesised_on TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX consultations_unit ON consultations(unit_id, opens_on);
CREATE INDEX consultations_status ON consultations(status, closes_on);

CREATE TABLE consultation_passages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    ord             INTEGER NOT NULL,
    level           INTEGER NOT NULL DEFAULT 0,
    label           TEXT NOT NULL DEFAULT '',
    text            TEXT NOT NULL
);
CREATE INDEX consultation_passages_consultation ON consultation_passages(consultation_id, ord);

CREATE TABLE consultation_answers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    verdict         TEXT NOT NULL, -- taken, partly, not_taken
    explanation     TEXT NOT NULL,
    created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX consultation_answers_consultation ON consultation_answers(consultation_id);

CREATE TABLE consultation_comments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    passage_id      BIGINT REFERENCES consultation_passages(id) ON DELETE SET NULL,
    author_id       BIGINT REFERENCES users(id) ON DELETE SET NULL,
    author_name     TEXT NOT NULL,
    contact         TEXT NOT NULL DEFAULT '',
    organisation    BOOLEAN NOT NULL DEFAULT FALSE,
    text            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending', -- pending, published, rejected
    reason          TEXT NOT NULL DEFAULT '',
    answer_id       BIGINT REFERENCES consultation_answers(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX consultation_comments_consultation ON consultation_comments(consultation_id, status);

CREATE TABLE consultation_criticisms (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    number          TEXT NOT NULL,
    issued_on       TEXT NOT NULL,
    summary         TEXT NOT NULL,
    file_name       TEXT NOT NULL DEFAULT '',
    content_type    TEXT NOT NULL DEFAULT '',
    size            BIGINT NOT NULL DEFAULT 0,
    data            BLOB,
    answer_id       BIGINT REFERENCES consultation_answers(id) ON DELETE SET NULL,
    created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX consultation_criticisms_consultation ON consultation_criticisms(consultation_id);
