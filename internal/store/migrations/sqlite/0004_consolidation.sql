-- 0004: maintained consolidation of report indicators up the organisation tree.
-- Owned by internal/store/consolidate.go. A unit has rows here only when some
-- report below it counts (submitted or accepted); a leaf's figures are its own
-- report's values. Rows are rewritten inside the transaction that changes a
-- report's status or values, from the unit's own report and its direct
-- children, then the parent's, up to the root: no batch job.

-- One header per (template, unit, period) that has consolidated rows.
CREATE TABLE report_aggregate_units (
    template_id   INTEGER NOT NULL REFERENCES report_templates(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    period_type   TEXT NOT NULL,
    period_year   INTEGER NOT NULL,
    period_number INTEGER NOT NULL,
    n_reports     INTEGER NOT NULL,           -- counted reports in the subtree, own included
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (template_id, unit_id, period_type, period_year, period_number)
);

-- Per indicator and category: the parts every aggregation method is made of.
CREATE TABLE report_aggregates (
    template_id   INTEGER NOT NULL REFERENCES report_templates(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    period_type   TEXT NOT NULL,
    period_year   INTEGER NOT NULL,
    period_number INTEGER NOT NULL,
    indicator_id  INTEGER NOT NULL REFERENCES report_indicators(id),
    category      TEXT NOT NULL DEFAULT '',
    sum           REAL NOT NULL,              -- Σ value
    cnt           INTEGER NOT NULL,           -- reports with a value
    min           REAL NOT NULL,
    max           REAL NOT NULL,
    wsum          REAL NOT NULL DEFAULT 0,    -- Σ value × weight (wavg)
    wtotal        REAL NOT NULL DEFAULT 0,    -- Σ weight (wavg)
    PRIMARY KEY (template_id, unit_id, period_type, period_year, period_number, indicator_id, category)
);

-- Finding a period's counted reports of a unit's children.
CREATE INDEX reports_consolidation ON reports(template_id, period_type, period_year, period_number, unit_id);
