package store

// Schedules of report templates beyond creating and listing them (see
// reports.go): one schedule by id, its replacement and its removal. A
// removed schedule is kept inactive, so that the audit log and old reports
// still name it; only active schedules expect reports.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/report"
)

const scheduleCols = `id, template_id, unit_id, unit_kinds, deadlines, active`

func scanSchedule(sc interface{ Scan(...any) error }) (report.Assignment, error) {
	var a report.Assignment
	var kinds, dl string
	if err := sc.Scan(&a.ID, &a.TemplateID, &a.UnitID, &kinds, &dl, &a.Active); err != nil {
		return a, err
	}
	if kinds != "" {
		a.Kinds = strings.Split(kinds, ",")
	}
	if err := json.Unmarshal([]byte(dl), &a.Deadlines); err != nil {
		return a, fmt.Errorf("schedule %d deadlines: %w", a.ID, err)
	}
	return a, nil
}

// GetSchedule returns an active schedule (ErrNotFound for a removed one).
func (s *Store) GetSchedule(ctx context.Context, id int64) (report.Assignment, error) {
	a, err := scanSchedule(s.db.QueryRowContext(ctx, s.q(`SELECT `+scheduleCols+` FROM report_schedules WHERE id = ? AND active = TRUE`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("schedule %d: %w", id, ErrNotFound)
	}
	return a, err
}

// UpdateSchedule replaces the units and deadlines of active schedule sc.ID.
func (s *Store) UpdateSchedule(ctx context.Context, a audit.Actor, sc *report.Assignment) error {
	levels := make([]report.Deadline, len(sc.Deadlines))
	for i, l := range sc.Deadlines {
		levels[i] = l.Deadline()
	}
	if len(levels) == 0 {
		return fmt.Errorf("schedule: %w", report.ErrDeadlineLevel)
	}
	if err := report.ValidateDeadlines(levels); err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	dl, _ := json.Marshal(sc.Deadlines)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanSchedule(s.txQueryRow(ctx, tx, s.q(`SELECT `+scheduleCols+` FROM report_schedules WHERE id = ? AND active = TRUE`), sc.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("schedule %d: %w", sc.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE report_schedules SET unit_id = ?, unit_kinds = ?, deadlines = ? WHERE id = ?`),
			sc.UnitID, strings.Join(sc.Kinds, ","), string(dl), sc.ID); err != nil {
			return fmt.Errorf("update schedule: %w", err)
		}
		sc.TemplateID, sc.Active = before.TemplateID, true
		return s.appendAudit(ctx, tx, a, "report_schedule.update", "report_schedule", sc.ID, before, sc)
	})
}

// RemoveSchedule makes schedule id inactive: its units are no longer
// expected to report; reports already opened stay.
func (s *Store) RemoveSchedule(ctx context.Context, a audit.Actor, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanSchedule(s.txQueryRow(ctx, tx, s.q(`SELECT `+scheduleCols+` FROM report_schedules WHERE id = ? AND active = TRUE`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("schedule %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE report_schedules SET active = FALSE WHERE id = ?`), id); err != nil {
			return fmt.Errorf("remove schedule: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "report_schedule.remove", "report_schedule", id, before, nil)
	})
}

// TemplateSent reports whether any report on template id has been sent
// (submitted, returned or accepted): its form is then in use.
func (s *Store) TemplateSent(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM (SELECT 1 FROM reports WHERE template_id = ? AND status <> 'draft' LIMIT 1) x`), id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("template %d: reports sent: %w", id, err)
	}
	return n > 0, nil
}
