package store

// Citizen reception by heads: the planned sessions of a body's leader
// (reception_schedules, with the session's conclusion notice) and the
// reception book (reception_visits). Every write is audited in its own
// transaction; sessions carry a version checked on each write (optimistic
// lock). The book holds no visitor's name or address.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/danvan/danvan/internal/audit"
)

// ReceptionSession is one planned reception session of a leader of a body.
type ReceptionSession struct {
	ID             int64            `json:"id"`
	UnitID         int64            `json:"unit_id"`
	UnitName       string           `json:"unit_name"`
	LeaderName     string           `json:"leader_name"`
	LeaderPosition string           `json:"leader_position"`
	HeldOn         string           `json:"held_on"`
	StartTime      string           `json:"start_time"`
	EndTime        string           `json:"end_time"`
	Place          string           `json:"place"`
	Note           string           `json:"note"`
	Status         string           `json:"status"` // planned, held, cancelled
	CancelReason   string           `json:"cancel_reason,omitempty"`
	ConclusionNo   string           `json:"conclusion_no,omitempty"`
	ConclusionOn   string           `json:"conclusion_on,omitempty"`
	ConclusionText string           `json:"conclusion_text,omitempty"`
	Version        int              `json:"version"`
	Visits         []ReceptionVisit `json:"visits,omitempty"`
}

// ReceptionVisit is one citizen or delegation received at a session.
type ReceptionVisit struct {
	ID          int64  `json:"id"`
	SessionID   int64  `json:"session_id"`
	At          string `json:"at"` // HH:MM on the session's day
	People      int    `json:"people"`
	Delegation  bool   `json:"delegation"`
	Subject     string `json:"subject"`
	Kind        string `json:"kind"`
	Outcome     string `json:"outcome"`
	OutcomeNote string `json:"outcome_note,omitempty"`
	CaseID      int64  `json:"case_id,omitempty"`
	CaseCode    string `json:"case_code,omitempty"`
}

const receptionCols = `r.id, r.unit_id, u.name, r.leader_name, r.leader_position, r.held_on, r.start_time, r.end_time, r.place, r.note,
	r.status, r.cancel_reason, r.conclusion_no, r.conclusion_on, r.conclusion_text, r.version`

const receptionFrom = ` FROM reception_schedules r JOIN units u ON u.id = r.unit_id`

func scanReception(sc interface{ Scan(...any) error }) (ReceptionSession, error) {
	var r ReceptionSession
	err := sc.Scan(&r.ID, &r.UnitID, &r.UnitName, &r.LeaderName, &r.LeaderPosition, &r.HeldOn, &r.StartTime, &r.EndTime, &r.Place, &r.Note,
		&r.Status, &r.CancelReason, &r.ConclusionNo, &r.ConclusionOn, &r.ConclusionText, &r.Version)
	return r, err
}

// CreateReceptionSession stores a new session and sets its id and version.
func (s *Store) CreateReceptionSession(ctx context.Context, a audit.Actor, r *ReceptionSession) error {
	now := s.ts(s.Now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO reception_schedules (unit_id, leader_name, leader_position, held_on, start_time, end_time, place, note,
			status, cancel_reason, conclusion_no, conclusion_on, conclusion_text, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			r.UnitID, r.LeaderName, r.LeaderPosition, r.HeldOn, r.StartTime, r.EndTime, r.Place, r.Note,
			r.Status, r.CancelReason, r.ConclusionNo, r.ConclusionOn, r.ConclusionText, nullID(a.UserID), now, now)
		if err != nil {
			return fmt.Errorf("insert reception session: %w", err)
		}
		r.ID, r.Version = id, 1
		return s.appendAudit(ctx, tx, a, "reception.create", "reception_session", id, nil, r)
	})
}

// UpdateReceptionSession writes a session's fields (status, cancellation
// and conclusion notice included) when its version is still version:
// ErrStale otherwise, ErrNotFound for an unknown id. action names the
// audit entry (reception.update, reception.cancel, …).
func (s *Store) UpdateReceptionSession(ctx context.Context, a audit.Actor, r *ReceptionSession, version int, action string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanReception(s.txQueryRow(ctx, tx, s.q(`SELECT `+receptionCols+receptionFrom+` WHERE r.id = ?`), r.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reception session %d: %w", r.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := s.bump(ctx, tx, "reception_schedules", `unit_id = ?, leader_name = ?, leader_position = ?, held_on = ?, start_time = ?, end_time = ?, place = ?, note = ?,
			status = ?, cancel_reason = ?, conclusion_no = ?, conclusion_on = ?, conclusion_text = ?, updated_at = ?`,
			r.ID, version, r.UnitID, r.LeaderName, r.LeaderPosition, r.HeldOn, r.StartTime, r.EndTime, r.Place, r.Note,
			r.Status, r.CancelReason, r.ConclusionNo, r.ConclusionOn, r.ConclusionText, s.ts(s.Now())); err != nil {
			return err
		}
		r.Version = version + 1
		r.Visits = nil
		return s.appendAudit(ctx, tx, a, action, "reception_session", r.ID, before, r)
	})
}

// GetReceptionSession reads a session with its visits.
func (s *Store) GetReceptionSession(ctx context.Context, id int64) (ReceptionSession, error) {
	r, err := scanReception(s.db.QueryRowContext(ctx, s.q(`SELECT `+receptionCols+receptionFrom+` WHERE r.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("reception session %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT v.id, v.schedule_id, v.at_time, v.people, v.delegation, v.subject, v.kind, v.outcome, v.outcome_note,
		COALESCE(v.case_id, 0), COALESCE(c.tracking_code, '')
		FROM reception_visits v LEFT JOIN cases c ON c.id = v.case_id WHERE v.schedule_id = ? ORDER BY v.at_time, v.id`), id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	r.Visits = []ReceptionVisit{}
	for rows.Next() {
		var v ReceptionVisit
		if err := rows.Scan(&v.ID, &v.SessionID, &v.At, &v.People, &v.Delegation, &v.Subject, &v.Kind, &v.Outcome, &v.OutcomeNote, &v.CaseID, &v.CaseCode); err != nil {
			return r, err
		}
		r.Visits = append(r.Visits, v)
	}
	return r, rows.Err()
}

// ReceptionFilter chooses sessions: of the given units (nil: all), held on
// From..To inclusive (empty: open), with one of Statuses (empty: any),
// Limit rows after Offset (Limit 0: all).
type ReceptionFilter struct {
	UnitIDs  []int64
	From, To string
	Statuses []string
	Limit    int
	Offset   int
}

// ListReceptionSessions lists sessions by day and start time (without
// their visits) and the number matching before paging.
func (s *Store) ListReceptionSessions(ctx context.Context, f ReceptionFilter) ([]ReceptionSession, int, error) {
	where := ` WHERE 1 = 1`
	var args []any
	if f.UnitIDs != nil {
		if len(f.UnitIDs) == 0 {
			return []ReceptionSession{}, 0, nil
		}
		where += ` AND r.unit_id IN (` + placeholders(len(f.UnitIDs)) + `)`
		for _, id := range f.UnitIDs {
			args = append(args, id)
		}
	}
	if f.From != "" {
		where += ` AND r.held_on >= ?`
		args = append(args, f.From)
	}
	if f.To != "" {
		where += ` AND r.held_on <= ?`
		args = append(args, f.To)
	}
	if len(f.Statuses) > 0 {
		where += ` AND r.status IN (` + placeholders(len(f.Statuses)) + `)`
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*)`+receptionFrom+where), args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + receptionCols + receptionFrom + where + ` ORDER BY r.held_on, r.start_time, u.name, r.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []ReceptionSession{}
	for rows.Next() {
		r, err := scanReception(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// AddReceptionVisit records a visit in the reception book and sets its id.
func (s *Store) AddReceptionVisit(ctx context.Context, a audit.Actor, v *ReceptionVisit) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO reception_visits (schedule_id, at_time, people, delegation, subject, kind, outcome, outcome_note, case_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.SessionID, v.At, v.People, v.Delegation, v.Subject, v.Kind, v.Outcome, v.OutcomeNote, nullID(v.CaseID), nullID(a.UserID), s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert reception visit: %w", err)
		}
		v.ID = id
		return s.appendAudit(ctx, tx, a, "reception.visit", "reception_session", v.SessionID, nil, v)
	})
}
