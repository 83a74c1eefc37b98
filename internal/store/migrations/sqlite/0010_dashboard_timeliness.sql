-- 0010: the dashboard counts a period's received reports as on time or late
-- and lists their units from this index alone, without reading the rows.
CREATE INDEX IF NOT EXISTS reports_timeliness ON reports(template_id, period_type, period_year, period_number, status, unit_id, due_on, submitted_at);
