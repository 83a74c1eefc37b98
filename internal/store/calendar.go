package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
)

// Kinds of calendar decision rows (calendar_decisions.kind), one per list of
// [calendar.YearOverride].
const (
	DecisionTet            = "tet"             // replaces the default Tết days
	DecisionNationalDay    = "national_day"    // replaces the default National Day days
	DecisionExtra          = "extra"           // a further day off
	DecisionWorking        = "working"         // a weekend day made a working day
	DecisionRemoved        = "removed"         // a day that is not off after all
	DecisionNoCompensation = "no_compensation" // no computed compensatory days that year (Day "")
)

// DecisionKinds lists the kinds in the order pages show them.
var DecisionKinds = []string{DecisionTet, DecisionNationalDay, DecisionExtra, DecisionWorking, DecisionRemoved, DecisionNoCompensation}

// seededTables are filled by migrations (0013 records the known Tết
// decisions); a restored backup that holds them replaces those rows.
var seededTables = []string{"calendar_decisions"}

// CalendarDecision is one item of a year's decision on days off, with the
// document it comes from.
type CalendarDecision struct {
	ID        int64  `json:"id"`
	Year      int    `json:"year"`
	Kind      string `json:"kind"`
	Day       string `json:"day,omitempty"` // YYYY-MM-DD; "" for no_compensation
	Source    string `json:"source"`
	SourceURL string `json:"source_url,omitempty"`
	CreatedBy int64  `json:"created_by,omitempty"`
	CreatedAt Time   `json:"created_at"`
}

// calendarCache holds the working-day calendar built from the stored
// decisions, dropped after every write.
type calendarCache struct {
	mu  sync.Mutex
	cal *calendar.Calendar
}

const decisionCols = `id, year, kind, day, source, source_url, created_by, created_at`

func scanDecision(sc interface{ Scan(...any) error }) (CalendarDecision, error) {
	var d CalendarDecision
	var by sql.NullInt64
	err := sc.Scan(&d.ID, &d.Year, &d.Kind, &d.Day, &d.Source, &d.SourceURL, &by, &d.CreatedAt)
	d.CreatedBy = by.Int64
	return d, err
}

// CalendarDecisions lists the decisions of year (0: every year) by year,
// kind and day.
func (s *Store) CalendarDecisions(ctx context.Context, year int) ([]CalendarDecision, error) {
	q := `SELECT ` + decisionCols + ` FROM calendar_decisions`
	var args []any
	if year != 0 {
		q += ` WHERE year = ?`
		args = append(args, year)
	}
	rows, err := s.db.QueryContext(ctx, s.q(q+` ORDER BY year, day, kind, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("calendar decisions: %w", err)
	}
	defer rows.Close()
	var out []CalendarDecision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, fmt.Errorf("calendar decisions: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CalendarDecision returns one decision item.
func (s *Store) CalendarDecision(ctx context.Context, id int64) (CalendarDecision, error) {
	d, err := scanDecision(s.db.QueryRowContext(ctx, s.q(`SELECT `+decisionCols+` FROM calendar_decisions WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("calendar decision %d: %w", id, ErrNotFound)
	}
	return d, err
}

// AddCalendarDecisions stores decision items in one transaction, each
// audited; an item already stored (same year, kind and day) is ErrConflict
// and nothing is stored. Callers validate the resulting calendar first.
func (s *Store) AddCalendarDecisions(ctx context.Context, a audit.Actor, ds []CalendarDecision) ([]CalendarDecision, error) {
	defer s.dropCalendar()
	out := slices.Clone(ds)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i := range out {
			d := &out[i]
			d.CreatedBy = a.UserID
			d.CreatedAt = Time{s.Now()}
			id, err := s.insertID(ctx, tx, `INSERT INTO calendar_decisions (year, kind, day, source, source_url, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				d.Year, d.Kind, d.Day, d.Source, d.SourceURL, nullID(a.UserID), s.ts(d.CreatedAt.Time))
			if isUnique(err) {
				return fmt.Errorf("calendar decision %d %s %s: %w", d.Year, d.Kind, d.Day, ErrConflict)
			}
			if err != nil {
				return fmt.Errorf("calendar decision: %w", err)
			}
			d.ID = id
			if err := s.appendAudit(ctx, tx, a, "calendar.decision.add", "calendar_decision", id, nil, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteCalendarDecision removes one decision item and audits it.
func (s *Store) DeleteCalendarDecision(ctx context.Context, a audit.Actor, id int64) error {
	defer s.dropCalendar()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanDecision(s.txQueryRow(ctx, tx, s.q(`SELECT `+decisionCols+` FROM calendar_decisions WHERE id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("calendar decision %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM calendar_decisions WHERE id = ?`), id); err != nil {
			return fmt.Errorf("delete calendar decision %d: %w", id, err)
		}
		return s.appendAudit(ctx, tx, a, "calendar.decision.delete", "calendar_decision", id, before, nil)
	})
}

// CalendarOf builds the working-day calendar of decisions ds on top of the
// statutory default.
func CalendarOf(ds []CalendarDecision) calendar.Calendar {
	c := calendar.Calendar{Overrides: map[int]calendar.YearOverride{}}
	for _, d := range ds {
		o := c.Overrides[d.Year]
		if d.Kind == DecisionNoCompensation {
			o.NoCompensation = true
			c.Overrides[d.Year] = o
			continue
		}
		day, err := calendar.ParseDate(d.Day)
		if err != nil {
			continue // refused on the way in; a hand-edited row is ignored
		}
		switch d.Kind {
		case DecisionTet:
			o.Tet = append(o.Tet, day)
		case DecisionNationalDay:
			o.NationalDay = append(o.NationalDay, day)
		case DecisionExtra:
			o.ExtraHolidays = append(o.ExtraHolidays, day)
		case DecisionWorking:
			o.WorkingWeekends = append(o.WorkingWeekends, day)
		case DecisionRemoved:
			o.RemovedHolidays = append(o.RemovedHolidays, day)
		}
		c.Overrides[d.Year] = o
	}
	return c
}

// WorkingCalendar is the calendar deadlines are computed with: the statute
// and the stored yearly decisions. It is read once and kept in memory until
// a decision is written through this store. A failed read answers the
// statutory default (and is retried on the next call).
func (s *Store) WorkingCalendar(ctx context.Context) calendar.Calendar {
	c := &s.cal
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cal != nil {
		return *c.cal
	}
	ds, err := s.CalendarDecisions(ctx, 0)
	if err != nil {
		return Calendar
	}
	cal := CalendarOf(ds)
	c.cal = &cal
	return cal
}

// ReloadCalendar drops the kept calendar, so that decisions written by
// another process are read again.
func (s *Store) ReloadCalendar() { s.dropCalendar() }

func (s *Store) dropCalendar() {
	c := &s.cal
	c.mu.Lock()
	c.cal = nil
	c.mu.Unlock()
}
