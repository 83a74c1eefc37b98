package store

// Case statistics and follow-up: the figures per unit, kind and category
// aggregated by the database (one GROUP BY, both engines), the prolonged
// cases, the open cases whose deadline is near or past (for reminders), and
// e-mail queued to a citizen who is not a user. The rules (what counts as on
// time, who may see what) live in internal/service/casestats.go.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// CaseStatsQuery selects the cases counted: received between From and To
// (YYYY-MM-DD, inclusive; empty: unbounded) by the units listed (empty:
// every unit); Today decides what is currently overdue.
type CaseStatsQuery struct {
	Units    []int64
	From, To string
	Today    string
}

// CaseStatsRow is the figures of one (unit, kind, category) group.
// HandledDays sums the days from receipt to handling of the handled cases;
// RatingSum and Rated sum and count the ratings.
type CaseStatsRow struct {
	UnitID      int64
	Kind        string
	Category    string
	Received    int
	Handled     int
	OnTime      int
	HandledDays int
	Overdue     int
	RatingSum   int
	Rated       int
}

// caseCurrentDue is the deadline an open case is held to now: acceptance
// while received or just transferred, then the (extended) resolution
// deadline while accepted or in progress; ” for the rest (a suspended
// case's clock stops).
const caseCurrentDue = `CASE WHEN c.status IN ('received', 'transferred') THEN c.accept_due
	WHEN c.status IN ('accepted', 'in_progress') THEN CASE WHEN c.extended_due <> '' THEN c.extended_due ELSE c.resolve_due END
	ELSE '' END`

// caseHandledStatuses are the statuses of a case whose handling is done: a
// decision (resolved), a refusal, or closed after either.
const caseHandledStatuses = `('resolved', 'closed', 'refused')`

// vietnamDay is the SQL for the Vietnamese date (UTC+7) of a timestamp.
func (s *Store) vietnamDay(col string) string {
	if s.dialect == Postgres {
		return `to_char((` + col + ` AT TIME ZONE 'UTC') + INTERVAL '7 hours', 'YYYY-MM-DD')`
	}
	return `date(` + col + `, '+7 hours')`
}

// daysBetween is the SQL for the number of days from date a to date b
// (both YYYY-MM-DD text).
func (s *Store) daysBetween(a, b string) string {
	if s.dialect == Postgres {
		return `(CAST(` + b + ` AS DATE) - CAST(` + a + ` AS DATE))`
	}
	return `CAST(julianday(` + b + `) - julianday(` + a + `) AS INTEGER)`
}

// CaseStats aggregates the cases of q per unit, kind and category. A handled
// case is on time when its handling day (in Vietnam) is on or before the
// deadline it answered: the extended, else the resolution deadline for a
// decision, the acceptance deadline for a refusal; none: on time.
func (s *Store) CaseStats(ctx context.Context, q CaseStatsQuery) ([]CaseStatsRow, error) {
	var where string
	var args []any
	if q.From != "" {
		where += ` AND c.received_on >= ?`
		args = append(args, q.From)
	}
	if q.To != "" {
		where += ` AND c.received_on <= ?`
		args = append(args, q.To)
	}
	if len(q.Units) > 0 {
		where += ` AND c.unit_id IN (` + placeholders(len(q.Units)) + `)`
		for _, u := range q.Units {
			args = append(args, u)
		}
	}
	handledOn := s.vietnamDay(`COALESCE(h.res_at, h.ref_at, c.closed_at)`)
	query := `WITH h AS (
			SELECT e.case_id, MAX(CASE WHEN e.action = 'resolve' THEN e.at END) AS res_at, MAX(CASE WHEN e.action = 'refuse' THEN e.at END) AS ref_at
			FROM case_events e JOIN cases c ON c.id = e.case_id
			WHERE e.action IN ('resolve', 'refuse')` + where + `
			GROUP BY e.case_id),
		b AS (
			SELECT c.unit_id, c.kind, c.category, c.status, c.received_on, c.rating,
				CASE WHEN c.status IN ` + caseHandledStatuses + ` THEN ` + handledOn + ` END AS handled_on,
				CASE WHEN h.res_at IS NOT NULL THEN CASE WHEN c.extended_due <> '' THEN c.extended_due ELSE c.resolve_due END
					WHEN h.ref_at IS NOT NULL THEN c.accept_due ELSE '' END AS due,
				` + caseCurrentDue + ` AS cur_due
			FROM cases c LEFT JOIN h ON h.case_id = c.id
			WHERE 1 = 1` + where + `)
		SELECT unit_id, kind, category, COUNT(*),
			SUM(CASE WHEN handled_on IS NOT NULL THEN 1 ELSE 0 END),
			SUM(CASE WHEN handled_on IS NOT NULL AND (due = '' OR handled_on <= due) THEN 1 ELSE 0 END),
			SUM(CASE WHEN handled_on IS NOT NULL THEN ` + s.daysBetween(`received_on`, `handled_on`) + ` ELSE 0 END),
			SUM(CASE WHEN cur_due <> '' AND cur_due < ? THEN 1 ELSE 0 END),
			SUM(COALESCE(rating, 0)), COUNT(rating)
		FROM b GROUP BY unit_id, kind, category ORDER BY unit_id, kind, category`
	all := append(append(append([]any{}, args...), args...), q.Today)
	rows, err := s.db.QueryContext(ctx, s.q(query), all...)
	if err != nil {
		return nil, fmt.Errorf("case stats: %w", err)
	}
	defer rows.Close()
	out := []CaseStatsRow{}
	for rows.Next() {
		var r CaseStatsRow
		if err := rows.Scan(&r.UnitID, &r.Kind, &r.Category, &r.Received, &r.Handled, &r.OnTime, &r.HandledDays, &r.Overdue, &r.RatingSum, &r.Rated); err != nil {
			return nil, fmt.Errorf("case stats: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ProlongedCase is a case that drags on, with why: past its current
// deadline (Overdue, that deadline in Due), a complaint complained about a
// second time (Repeated), or transferred again and again (Transfers).
type ProlongedCase struct {
	Case
	Due       string `json:"due,omitempty"`
	Overdue   bool   `json:"overdue"`
	Repeated  bool   `json:"repeated"`
	Transfers int    `json:"transfers"`
}

// ProlongedCases lists the prolonged cases of the units listed (empty:
// every unit) on today: open and past their current deadline, complaints
// with a second-time complaint, or transferred at least minTransfers times;
// oldest first, at most limit.
func (s *Store) ProlongedCases(ctx context.Context, units []int64, today string, minTransfers, limit int) ([]ProlongedCase, error) {
	var args []any
	in := ""
	if len(units) > 0 {
		in = ` AND c.unit_id IN (` + placeholders(len(units)) + `)`
		for _, u := range units {
			args = append(args, u)
		}
	}
	if limit <= 0 {
		limit = 200
	}
	query := `SELECT * FROM (SELECT ` + caseCols + `, ` + caseCurrentDue + ` AS cur_due,
			EXISTS (SELECT 1 FROM cases r WHERE r.parent_case_id = c.id AND r.kind = 'complaint2') AS repeated,
			(SELECT COUNT(*) FROM case_events t WHERE t.case_id = c.id AND t.action = 'transfer') AS transfers
		FROM cases c WHERE c.status <> 'closed'` + in + `) x
		WHERE (x.cur_due <> '' AND x.cur_due < ?) OR x.repeated OR x.transfers >= ?
		ORDER BY x.received_on, x.id LIMIT ?`
	rows, err := s.db.QueryContext(ctx, s.q(query), append(args, today, minTransfers, limit)...)
	if err != nil {
		return nil, fmt.Errorf("prolonged cases: %w", err)
	}
	defer rows.Close()
	out := []ProlongedCase{}
	for rows.Next() {
		var p ProlongedCase
		var repeated bool
		c, err := scanCase(rowScanner{rows, []any{&p.Due, &repeated, &p.Transfers}})
		if err != nil {
			return nil, fmt.Errorf("prolonged cases: %w", err)
		}
		p.Case, p.Repeated = c, repeated
		p.Overdue = p.Due != "" && p.Due < today
		p.IdentityEnc = nil
		out = append(out, p)
	}
	return out, rows.Err()
}

// rowScanner scans a case followed by extra columns.
type rowScanner struct {
	rows  *sql.Rows
	extra []any
}

func (r rowScanner) Scan(dst ...any) error { return r.rows.Scan(append(dst, r.extra...)...) }

// OpenCaseDue is an open case with the deadline it is held to now.
type OpenCaseDue struct {
	ID           int64
	TrackingCode string
	Title        string
	Kind         string
	UnitID       int64
	Due          string
}

// OpenCasesDueBy lists the open cases whose current deadline is on or before
// by (YYYY-MM-DD) and on or after since: the inputs of the case reminders.
func (s *Store) OpenCasesDueBy(ctx context.Context, since, by string) ([]OpenCaseDue, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT * FROM (SELECT c.id, c.tracking_code, c.title, c.kind, c.unit_id, `+caseCurrentDue+` AS cur_due FROM cases c
		WHERE c.status IN ('received', 'transferred', 'accepted', 'in_progress')) x
		WHERE x.cur_due <> '' AND x.cur_due >= ? AND x.cur_due <= ? ORDER BY x.cur_due, x.id`), since, by)
	if err != nil {
		return nil, fmt.Errorf("open cases due: %w", err)
	}
	defer rows.Close()
	var out []OpenCaseDue
	for rows.Next() {
		var c OpenCaseDue
		if err := rows.Scan(&c.ID, &c.TrackingCode, &c.Title, &c.Kind, &c.UnitID, &c.Due); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CaseHandlerRecipients lists the enabled users who handle the cases of
// exactly this unit: its case handlers and unit heads.
func (s *Store) CaseHandlerRecipients(ctx context.Context, unitID int64) ([]Recipient, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT u.id, u.username, u.full_name, u.email, u.locale FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.unit_id = ? AND g.role IN ('case_handler', 'unit_head') AND u.disabled = ? ORDER BY u.username`), unitID, false)
	if err != nil {
		return nil, fmt.Errorf("case handlers of unit %d: %w", unitID, err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.UserID, &r.Username, &r.FullName, &r.Email, &r.Locale); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// QueueCaseMail queues an e-mail to the author of case caseID (who has no
// account, so no notification row) and audits it without the address.
func (s *Store) QueueCaseMail(ctx context.Context, a audit.Actor, caseID int64, to, subject, body string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Truncate(time.Microsecond)
		if _, err := s.insertID(ctx, tx, `INSERT INTO mail_outbox (to_addr, subject, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)`,
			to, subject, body, s.ts(now), s.ts(now)); err != nil {
			return fmt.Errorf("case mail: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "case.mail", "case", caseID, nil, map[string]any{"subject": subject})
	})
}

// CaseIdentityEnc returns the encrypted identity of a case (nil when there
// is none) for the service to read the address it writes to; the e-mail
// queued with it ([Store.QueueCaseMail]) is the audited trace.
func (s *Store) CaseIdentityEnc(ctx context.Context, id int64) ([]byte, error) {
	var enc []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT identity_enc FROM cases WHERE id = ?`), id).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("case %d: %w", id, ErrNotFound)
	}
	return enc, err
}
