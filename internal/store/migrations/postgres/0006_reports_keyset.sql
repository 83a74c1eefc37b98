-- 0006: reports — keyset pagination of the reports list (newest period
-- first, then id), and the owner unit of a template (NULL: installation-
-- wide), on which its management is checked.
ALTER TABLE report_templates ADD COLUMN owner_unit_id BIGINT REFERENCES units(id);
CREATE INDEX IF NOT EXISTS report_templates_owner ON report_templates(owner_unit_id);
CREATE INDEX IF NOT EXISTS reports_keyset ON reports(period_to DESC, id DESC);
CREATE INDEX IF NOT EXISTS reports_unit_keyset ON reports(unit_id, period_to DESC, id DESC);
CREATE INDEX IF NOT EXISTS reports_template_keyset ON reports(template_id, period_to DESC, id DESC);
CREATE INDEX IF NOT EXISTS reports_status_keyset ON reports(status, period_to DESC, id DESC);
