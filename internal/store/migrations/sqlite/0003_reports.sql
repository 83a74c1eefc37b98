-- 0003: periodic reports — templates, indicators, schedules, reports, values, versions.
-- Owned by internal/report (rules) and internal/store/reports.go (SQL).
CREATE TABLE report_templates (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    period_type TEXT NOT NULL,              -- monthly, quarterly, six_month, nine_month, annual
    cutoff_day  INTEGER NOT NULL DEFAULT 15, -- Decree 09/2019: windows start on the 15th
    definition  TEXT NOT NULL,              -- JSON: sections, indicators, rules (see internal/report)
    version     INTEGER NOT NULL DEFAULT 1,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Indicators are also kept as rows (from the definition) so that values and
-- aggregates can reference them.
CREATE TABLE report_indicators (
    id          INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES report_templates(id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    value_type  TEXT NOT NULL,              -- integer, decimal, percent, text, choice
    aggregation TEXT NOT NULL DEFAULT 'sum', -- sum, avg, wavg, min, max, none
    weight_code TEXT NOT NULL DEFAULT '',   -- for wavg: the indicator giving the weight
    sort_key    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX report_indicators_code ON report_indicators(template_id, code);

-- Who must report: every unit of the given kinds in the subtree of unit_id.
CREATE TABLE report_schedules (
    id          INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES report_templates(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    unit_kinds  TEXT NOT NULL,              -- comma-separated kinds; '' = the unit itself only
    deadlines   TEXT NOT NULL,              -- JSON [{level, days_after_end, working_days}]
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL
);
CREATE INDEX report_schedules_template ON report_schedules(template_id);

CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    template_id    INTEGER NOT NULL REFERENCES report_templates(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    period_type    TEXT NOT NULL,
    period_year    INTEGER NOT NULL,
    period_number  INTEGER NOT NULL,
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'draft', -- draft, submitted, returned, accepted
    version        INTEGER NOT NULL DEFAULT 1,    -- optimistic lock; +1 on every write
    narrative      TEXT NOT NULL DEFAULT '{}',    -- JSON {section_key: text}
    submitted_at   TEXT,
    submitted_by   INTEGER REFERENCES users(id),
    reviewed_at    TEXT,
    reviewed_by    INTEGER REFERENCES users(id),
    review_comment TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX reports_period ON reports(template_id, unit_id, period_type, period_year, period_number);
CREATE INDEX reports_unit ON reports(unit_id);
CREATE INDEX reports_status_due ON reports(status, due_on);

-- One value per indicator and disaggregation category ('' = total).
CREATE TABLE report_values (
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    indicator_id INTEGER NOT NULL REFERENCES report_indicators(id),
    category     TEXT NOT NULL DEFAULT '',
    num_value    REAL,
    text_value   TEXT,
    PRIMARY KEY (report_id, indicator_id, category)
);

-- Every submitted/returned/accepted state is kept.
CREATE TABLE report_versions (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports(id),
    version    INTEGER NOT NULL,
    status     TEXT NOT NULL,
    snapshot   TEXT NOT NULL,               -- JSON: narrative, values, comment
    actor_id   INTEGER REFERENCES users(id),
    at         TEXT NOT NULL
);
CREATE INDEX report_versions_report ON report_versions(report_id, version);

CREATE TABLE report_attachments (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX report_attachments_report ON report_attachments(report_id);
