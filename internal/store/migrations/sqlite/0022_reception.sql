-- 0022: citizen reception by heads (Law on Citizen Reception 42/2013/QH13;
-- Regulation 11-QĐi/TW): the planned sessions of a body's leader, each
-- with its conclusion notice, and the reception book (one row per citizen
-- or delegation received). Owned by internal/store/reception.go. A session
-- is cancelled with a reason, never deleted. The book keeps no visitor's
-- name or address: a visit that opens a case links it, and the case keeps
-- the identity encrypted.
CREATE TABLE reception_schedules (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    leader_name     TEXT NOT NULL,
    leader_position TEXT NOT NULL,
    held_on         TEXT NOT NULL,
    start_time      TEXT NOT NULL,
    end_time        TEXT NOT NULL,
    place           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'planned',
    cancel_reason   TEXT NOT NULL DEFAULT '',
    conclusion_no   TEXT NOT NULL DEFAULT '',
    conclusion_on   TEXT NOT NULL DEFAULT '',
    conclusion_text TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX reception_schedules_day ON reception_schedules(held_on, unit_id);
CREATE INDEX reception_schedules_unit ON reception_schedules(unit_id, held_on);

CREATE TABLE reception_visits (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id BIGINT NOT NULL REFERENCES reception_schedules(id),
    at_time     TEXT NOT NULL,
    people      INTEGER NOT NULL DEFAULT 1,
    delegation  BOOLEAN NOT NULL DEFAULT FALSE,
    subject     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    outcome_note TEXT NOT NULL DEFAULT '',
    case_id     BIGINT REFERENCES cases(id),
    created_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX reception_visits_schedule ON reception_visits(schedule_id);
