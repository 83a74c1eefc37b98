-- 0008: indexes the foreign-key lookups need, and the audit entries waiting
-- to be chained.
CREATE INDEX IF NOT EXISTS report_values_indicator ON report_values(indicator_id);
CREATE INDEX IF NOT EXISTS inspections_lead_unit ON inspections(lead_unit_id);
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens(user_id);
CREATE INDEX IF NOT EXISTS report_schedules_unit ON report_schedules(unit_id);

-- An audit entry is written here by the transaction that makes the change
-- (PostgreSQL), and moved into audit_log, chained and keyed, by the sealer
-- right after the commit: unrelated writes never wait for one another.
CREATE TABLE audit_pending (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT ''
);
