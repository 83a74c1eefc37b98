package store

// Reads of the public portal that no other capability makes: how each
// unit's reports of a year came in against their due dates.

import (
	"context"
	"fmt"
	"time"
)

// ReportTiming is one report of a year: its unit, due date, and when it
// was (last) sent (zero: not sent).
type ReportTiming struct {
	UnitID      int64
	DueOn       string
	SubmittedAt time.Time
}

// ReportTimings lists the reports of the periods of year.
func (s *Store) ReportTimings(ctx context.Context, year int) ([]ReportTiming, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT unit_id, due_on, submitted_at FROM reports WHERE period_year = ?`), year)
	if err != nil {
		return nil, fmt.Errorf("report timings: %w", err)
	}
	defer rows.Close()
	var out []ReportTiming
	for rows.Next() {
		var r ReportTiming
		var at Time
		if err := rows.Scan(&r.UnitID, &r.DueOn, &at); err != nil {
			return nil, err
		}
		r.SubmittedAt = at.Time
		out = append(out, r)
	}
	return out, rows.Err()
}
