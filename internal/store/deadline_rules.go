package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/danvan/danvan/internal/audit"
)

// DeadlineRule is one stored version of a legal deadline rule (see
// internal/legal): Days days, working days when WorkingDays, RemoteDays in
// remote and disadvantaged areas (0: the same), in force for cases starting
// on or after EffectiveFrom (YYYY-MM-DD) until a later version of the key.
// Versions are never edited in place.
type DeadlineRule struct {
	ID            int64  `json:"id"`
	Key           string `json:"key"`
	Days          int    `json:"days"`
	WorkingDays   bool   `json:"working_days"`
	RemoteDays    int    `json:"remote_days"`
	EffectiveFrom string `json:"effective_from"`
	Basis         string `json:"basis"`
	Name          string `json:"name"`
	CreatedBy     int64  `json:"created_by,omitempty"`
	CreatedAt     Time   `json:"created_at"`
}

func init() { seededTables = append(seededTables, "deadline_rules") }

const deadlineRuleCols = `id, key, days, working_days, remote_days, effective_from, basis, name, created_by, created_at`

func scanDeadlineRule(sc interface{ Scan(...any) error }) (DeadlineRule, error) {
	var r DeadlineRule
	var by sql.NullInt64
	err := sc.Scan(&r.ID, &r.Key, &r.Days, &r.WorkingDays, &r.RemoteDays, &r.EffectiveFrom, &r.Basis, &r.Name, &by, &r.CreatedAt)
	r.CreatedBy = by.Int64
	return r, err
}

// DeadlineRules lists every stored version (migration 0016 seeds today's
// law) by key and effective date, oldest first.
func (s *Store) DeadlineRules(ctx context.Context) ([]DeadlineRule, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+deadlineRuleCols+` FROM deadline_rules ORDER BY key, effective_from, id`)
	if err != nil {
		return nil, fmt.Errorf("deadline rules: %w", err)
	}
	defer rows.Close()
	var out []DeadlineRule
	for rows.Next() {
		r, err := scanDeadlineRule(rows)
		if err != nil {
			return nil, fmt.Errorf("deadline rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddDeadlineRule stores a new version and audits it. A version of the same
// key with the same effective date is ErrConflict. Callers validate first.
func (s *Store) AddDeadlineRule(ctx context.Context, a audit.Actor, r DeadlineRule) (DeadlineRule, error) {
	r.CreatedBy = a.UserID
	r.CreatedAt = Time{s.Now()}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO deadline_rules (key, days, working_days, remote_days, effective_from, basis, name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Key, r.Days, r.WorkingDays, r.RemoteDays, r.EffectiveFrom, r.Basis, r.Name, nullID(a.UserID), s.ts(r.CreatedAt.Time))
		if isUnique(err) {
			return fmt.Errorf("deadline rule %s from %s: %w", r.Key, r.EffectiveFrom, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("deadline rule: %w", err)
		}
		r.ID = id
		return s.appendAudit(ctx, tx, a, "deadline_rule.add", "deadline_rule", id, nil, r)
	})
	if err != nil {
		return DeadlineRule{}, err
	}
	return r, nil
}
