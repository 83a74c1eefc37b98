-- 0015: consolidation on two bases. The tables of 0004 keep the figures of
-- received reports (submitted or accepted); these keep the same parts over
-- accepted reports only, maintained by internal/store/consolidate.go in the
-- same transactions and by the same rule (rows for a unit only when some
-- report below it counts). Existing data is consolidated here, in SQL, from
-- the reports: every accepted report counted once at each of its ancestors.

CREATE TABLE report_aggregate_units_accepted (
    template_id   BIGINT NOT NULL REFERENCES report_templates(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    period_type   TEXT NOT NULL,
    period_year   INTEGER NOT NULL,
    period_number INTEGER NOT NULL,
    n_reports     INTEGER NOT NULL,           -- accepted reports in the subtree, own included
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (template_id, unit_id, period_type, period_year, period_number)
);

CREATE TABLE report_aggregates_accepted (
    template_id   BIGINT NOT NULL REFERENCES report_templates(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    period_type   TEXT NOT NULL,
    period_year   INTEGER NOT NULL,
    period_number INTEGER NOT NULL,
    indicator_id  BIGINT NOT NULL REFERENCES report_indicators(id),
    category      TEXT NOT NULL DEFAULT '',
    sum           DOUBLE PRECISION NOT NULL,
    cnt           INTEGER NOT NULL,
    min           DOUBLE PRECISION NOT NULL,
    max           DOUBLE PRECISION NOT NULL,
    wsum          DOUBLE PRECISION NOT NULL DEFAULT 0,
    wtotal        DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (template_id, unit_id, period_type, period_year, period_number, indicator_id, category)
);

-- Headers: every strict ancestor of a unit with an accepted report.
WITH RECURSIVE up(unit_id, anc_id, depth) AS (
    SELECT id, id, 0 FROM units
    UNION ALL
    SELECT up.unit_id, u.parent_id, up.depth + 1 FROM up JOIN units u ON u.id = up.anc_id
    WHERE u.parent_id IS NOT NULL AND up.depth < 64
)
INSERT INTO report_aggregate_units_accepted (template_id, unit_id, period_type, period_year, period_number, n_reports, updated_at)
SELECT r.template_id, up.anc_id, r.period_type, r.period_year, r.period_number, COUNT(*), now()
FROM reports r JOIN up ON up.unit_id = r.unit_id
WHERE r.status = 'accepted'
GROUP BY r.template_id, up.anc_id, r.period_type, r.period_year, r.period_number
HAVING MAX(up.depth) > 0;

-- Parts: each header's subtree of accepted values (weighted indicators with
-- their weight in the same report and category).
WITH RECURSIVE up(unit_id, anc_id, depth) AS (
    SELECT id, id, 0 FROM units
    UNION ALL
    SELECT up.unit_id, u.parent_id, up.depth + 1 FROM up JOIN units u ON u.id = up.anc_id
    WHERE u.parent_id IS NOT NULL AND up.depth < 64
),
vals AS (
    SELECT r.template_id, r.unit_id, r.period_type, r.period_year, r.period_number, v.indicator_id, v.category, v.num_value AS s,
        CASE WHEN i.weight_code <> '' THEN COALESCE(v.num_value * wv.num_value, 0) ELSE 0 END AS ws,
        CASE WHEN i.weight_code <> '' THEN COALESCE(wv.num_value, 0) ELSE 0 END AS wt
    FROM reports r JOIN report_values v ON v.report_id = r.id
    JOIN report_indicators i ON i.id = v.indicator_id
    LEFT JOIN report_indicators wi ON i.weight_code <> '' AND wi.template_id = i.template_id AND wi.code = i.weight_code
    LEFT JOIN report_values wv ON wv.report_id = v.report_id AND wv.indicator_id = wi.id AND wv.category = v.category
    WHERE r.status = 'accepted' AND v.num_value IS NOT NULL
        AND i.value_type IN ('integer', 'decimal', 'percent') AND i.aggregation IN ('sum', 'avg', 'wavg', 'min', 'max')
)
INSERT INTO report_aggregates_accepted (template_id, unit_id, period_type, period_year, period_number, indicator_id, category, sum, cnt, min, max, wsum, wtotal)
SELECT x.template_id, up.anc_id, x.period_type, x.period_year, x.period_number, x.indicator_id, x.category, SUM(x.s), COUNT(*), MIN(x.s), MAX(x.s), SUM(x.ws), SUM(x.wt)
FROM vals x JOIN up ON up.unit_id = x.unit_id
JOIN report_aggregate_units_accepted h ON h.template_id = x.template_id AND h.unit_id = up.anc_id
    AND h.period_type = x.period_type AND h.period_year = x.period_year AND h.period_number = x.period_number
GROUP BY x.template_id, up.anc_id, x.period_type, x.period_year, x.period_number, x.indicator_id, x.category;
