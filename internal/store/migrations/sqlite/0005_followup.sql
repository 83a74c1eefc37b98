-- 0005: follow-up — in-app notifications, the e-mail outbox, formal urges
-- (đôn đốc), and inspection and supervision plans with findings and
-- recommendations tracked to closure. Owned by internal/store/followup.go.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    unit_id    INTEGER REFERENCES units(id),
    kind       TEXT NOT NULL,                -- reminder_due, reminder_late, urge, recommendation
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    read_at    TEXT,
    emailed_at TEXT,
    dedupe_key TEXT NOT NULL UNIQUE          -- makes reminders idempotent
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);

-- Written in the notification's transaction; a sender loop delivers it.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    notification_id INTEGER REFERENCES notifications(id),
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at);

CREATE TABLE urges (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    template_id   INTEGER REFERENCES report_templates(id),
    report_id     INTEGER REFERENCES reports(id),
    period_type   TEXT NOT NULL DEFAULT '',
    period_year   INTEGER NOT NULL DEFAULT 0,
    period_number INTEGER NOT NULL DEFAULT 0,
    message       TEXT NOT NULL,
    sent_by       INTEGER REFERENCES users(id),
    sent_by_name  TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX urges_unit ON urges(unit_id, created_at);

CREATE TABLE inspections (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,              -- inspection, supervision
    topic        TEXT NOT NULL,
    lead_unit_id INTEGER NOT NULL REFERENCES units(id),
    start_on     TEXT NOT NULL,
    end_on       TEXT NOT NULL,
    team         TEXT NOT NULL DEFAULT '',   -- members as free text, one per line
    status       TEXT NOT NULL DEFAULT 'planned', -- planned, ongoing, finished
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (end_on >= start_on)
);

CREATE TABLE inspection_units (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (inspection_id, unit_id)
);
CREATE INDEX inspection_units_unit ON inspection_units(unit_id);

-- Team members who have accounts (free-text members are in inspections.team).
CREATE TABLE inspection_members (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (inspection_id, user_id)
);

CREATE TABLE inspection_findings (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    text          TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX inspection_findings_insp ON inspection_findings(inspection_id);

CREATE TABLE inspection_recommendations (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    owner         TEXT NOT NULL DEFAULT '',  -- who at the unit answers for it
    text          TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open', -- open, done
    response      TEXT NOT NULL DEFAULT '',
    closed_at     TEXT,
    closed_by     INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX inspection_recs_insp ON inspection_recommendations(inspection_id);
CREATE INDEX inspection_recs_unit ON inspection_recommendations(unit_id, status);
