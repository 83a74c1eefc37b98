package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// RegisterKey names a document register (sổ đăng ký văn bản): an issuing
// body, a year and a kind of document ("BC"). The body is the unit BodyID,
// or, with Organ set ("party", "state"), that organ of the place BodyID.
type RegisterKey struct {
	BodyID int64
	Organ  string
	Year   int
	Kind   string
}

// DocNumber is the number a register gave a document.
type DocNumber struct {
	RegisterKey
	Number int
}

type registerCtxKey struct{}

// WithRegister asks the report submission run with ctx to number the
// report in register k, in the submission's transaction, when the report
// has no number yet (a report returned and submitted again keeps its
// number).
func WithRegister(ctx context.Context, k RegisterKey) context.Context {
	return context.WithValue(ctx, registerCtxKey{}, k)
}

// issueReportNumber numbers report id in the register that ctx names (see
// WithRegister); without one it does nothing.
func (s *Store) issueReportNumber(ctx context.Context, tx *sql.Tx, a audit.Actor, id int64) error {
	k, ok := ctx.Value(registerCtxKey{}).(RegisterKey)
	if !ok || k.BodyID == 0 || k.Kind == "" {
		return nil
	}
	var have int
	err := s.txQueryRow(ctx, tx, s.q(`SELECT number FROM document_numbers WHERE report_id = ?`), id).Scan(&have)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("report %d: number: %w", id, err)
	}
	var n int
	if err := s.txQueryRow(ctx, tx, s.q(`INSERT INTO document_registers (body_unit_id, organ, year, kind, last_number) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (body_unit_id, organ, year, kind) DO UPDATE SET last_number = document_registers.last_number + 1
		RETURNING last_number`), k.BodyID, k.Organ, k.Year, k.Kind).Scan(&n); err != nil {
		return fmt.Errorf("report %d: register: %w", id, err)
	}
	if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO document_numbers (report_id, body_unit_id, organ, year, kind, number) VALUES (?, ?, ?, ?, ?, ?)`),
		id, k.BodyID, k.Organ, k.Year, k.Kind, n); err != nil {
		return fmt.Errorf("report %d: number: %w", id, err)
	}
	return s.appendAudit(ctx, tx, a, "report.number", "report", id, nil, map[string]any{"body_unit_id": k.BodyID, "organ": k.Organ, "year": k.Year, "kind": k.Kind, "number": n})
}

// ReportNumber is the number report id was given (ok false: none yet).
func (s *Store) ReportNumber(ctx context.Context, id int64) (DocNumber, bool, error) {
	var d DocNumber
	err := s.db.QueryRowContext(ctx, s.q(`SELECT body_unit_id, organ, year, kind, number FROM document_numbers WHERE report_id = ?`), id).
		Scan(&d.BodyID, &d.Organ, &d.Year, &d.Kind, &d.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("report %d: number: %w", id, err)
	}
	return d, true, nil
}

// LastNumber is the last number register k gave (0: none).
func (s *Store) LastNumber(ctx context.Context, k RegisterKey) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT last_number FROM document_registers WHERE body_unit_id = ? AND organ = ? AND year = ? AND kind = ?`),
		k.BodyID, k.Organ, k.Year, k.Kind).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("register: %w", err)
	}
	return n, nil
}

// SignerInfo is what a signature block needs of a user.
type SignerInfo struct {
	FullName string
	Position string
}

// Signer returns the full name and position (chức vụ) of user id.
func (s *Store) Signer(ctx context.Context, id int64) (SignerInfo, error) {
	var si SignerInfo
	err := s.db.QueryRowContext(ctx, s.q(`SELECT full_name, position FROM users WHERE id = ?`), id).Scan(&si.FullName, &si.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return si, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return si, fmt.Errorf("user %d: %w", id, err)
	}
	return si, nil
}

// UnitHead returns the full name and position of the head of unit id
// (the first enabled user granted unit_head there); ok false: none.
func (s *Store) UnitHead(ctx context.Context, id int64) (si SignerInfo, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, s.q(`SELECT u.full_name, u.position FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.unit_id = ? AND g.role = 'unit_head' AND u.disabled = ? ORDER BY g.id LIMIT 1`), id, false).Scan(&si.FullName, &si.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return si, false, nil
	}
	if err != nil {
		return si, false, fmt.Errorf("unit %d: head: %w", id, err)
	}
	return si, true, nil
}

// SetPosition sets the position (chức vụ) of user id, audited.
func (s *Store) SetPosition(ctx context.Context, a audit.Actor, id int64, position string) error {
	position = strings.TrimSpace(position)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var old string
		err := s.txQueryRow(ctx, tx, s.q(`SELECT position FROM users WHERE id = ?`), id).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("user %d: %w", id, err)
		}
		if old == position {
			return nil
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE users SET position = ?, updated_at = ? WHERE id = ?`), position, s.ts(s.Now()), id); err != nil {
			return fmt.Errorf("user %d: position: %w", id, err)
		}
		return s.appendAudit(ctx, tx, a, "user.position", "user", id, map[string]any{"position": old}, map[string]any{"position": position})
	})
}

// Unnumbered is a received report without a number (submitted before the
// registers existed).
type Unnumbered struct {
	ID, UnitID, TemplateID int64
	SubmittedAt            time.Time
}

// UnnumberedReports lists up to limit received reports without a number,
// in the order they were submitted.
func (s *Store) UnnumberedReports(ctx context.Context, limit int) ([]Unnumbered, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.id, r.unit_id, r.template_id, r.submitted_at FROM reports r
		WHERE r.status IN ('submitted', 'accepted') AND r.submitted_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM document_numbers n WHERE n.report_id = r.id)
		ORDER BY r.submitted_at, r.id LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("unnumbered reports: %w", err)
	}
	defer rows.Close()
	var out []Unnumbered
	for rows.Next() {
		var u Unnumbered
		var at Time
		if err := rows.Scan(&u.ID, &u.UnitID, &u.TemplateID, &at); err != nil {
			return nil, fmt.Errorf("unnumbered reports: %w", err)
		}
		u.SubmittedAt = at.Time
		out = append(out, u)
	}
	return out, rows.Err()
}

// NumberReport gives report id the next number of register k, audited,
// unless it has a number already.
func (s *Store) NumberReport(ctx context.Context, a audit.Actor, id int64, k RegisterKey) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.issueReportNumber(WithRegister(ctx, k), tx, a, id)
	})
}
