package store

// Open311 GeoReport v2: the keys of the client applications that submit
// requests (stored as SHA-256 hashes), and the public search of cases the
// Open311 door answers. The rules (who may create keys, which cases and
// fields are public) live in internal/service/open311.go.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// Open311Key is a client application's key, without the key itself.
type Open311Key struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// CreateOpen311Key stores the hash of a new key, audited.
func (s *Store) CreateOpen311Key(ctx context.Context, a audit.Actor, name, hash string) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO open311_keys (name, key_hash, created_at, created_by) VALUES (?, ?, ?, ?)`,
			name, hash, s.ts(s.Now()), nullID(a.UserID))
		if isUnique(err) {
			return fmt.Errorf("open311 key: %w", ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("create open311 key: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "open311.key.create", "open311_key", id, nil, map[string]any{"name": name})
	})
	return id, err
}

// Open311Keys lists the keys, newest first, revoked ones included.
func (s *Store) Open311Keys(ctx context.Context) ([]Open311Key, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created_at, created_by, revoked_at FROM open311_keys ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("open311 keys: %w", err)
	}
	defer rows.Close()
	out := []Open311Key{}
	for rows.Next() {
		var k Open311Key
		var created, revoked Time
		var by sql.NullInt64
		if err := rows.Scan(&k.ID, &k.Name, &created, &by, &revoked); err != nil {
			return nil, err
		}
		k.CreatedAt, k.CreatedBy, k.RevokedAt = created.Time, by.Int64, revoked.Time
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeOpen311Key revokes a key, audited; revoking a revoked key changes
// nothing.
func (s *Store) RevokeOpen311Key(ctx context.Context, a audit.Actor, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var name string
		err := s.txQueryRow(ctx, tx, s.q(`SELECT name FROM open311_keys WHERE id = ?`), id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("open311 key %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		res, err := s.txExec(ctx, tx, s.q(`UPDATE open311_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), s.ts(s.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.appendAudit(ctx, tx, a, "open311.key.revoke", "open311_key", id, nil, map[string]any{"name": name})
	})
}

// Open311KeyActive reports whether a key with this hash exists and is not
// revoked.
func (s *Store) Open311KeyActive(ctx context.Context, hash string) (bool, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id FROM open311_keys WHERE key_hash = ? AND revoked_at IS NULL`), hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open311 key: %w", err)
	}
	return true, nil
}

// Open311Filter narrows the public search of cases. Empty lists match
// everything; From and To bound created_at (From ≤ created_at ≤ To).
type Open311Filter struct {
	Codes      []string
	Kinds      []string
	Categories []string
	Statuses   []string
	From, To   time.Time
	Limit      int
}

// Open311Cases returns the cases matching f, newest first.
func (s *Store) Open311Cases(ctx context.Context, f Open311Filter) ([]Case, error) {
	var where []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("c.tracking_code", f.Codes)
	in("c.kind", f.Kinds)
	in("c.category", f.Categories)
	in("c.status", f.Statuses)
	// SQLite keeps timestamps as RFC 3339 text of varying length: the
	// bounds are widened by a second here and applied exactly below.
	if !f.From.IsZero() {
		where = append(where, "c.created_at >= ?")
		args = append(args, s.ts(f.From.Add(-time.Second)))
	}
	if !f.To.IsZero() {
		where = append(where, "c.created_at <= ?")
		args = append(args, s.ts(f.To.Add(time.Second)))
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+caseCols+` FROM cases c`+w+` ORDER BY c.created_at DESC, c.id DESC LIMIT ?`), append(args, limit+2)...)
	if err != nil {
		return nil, fmt.Errorf("open311 cases: %w", err)
	}
	defer rows.Close()
	out := []Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		c.IdentityEnc = nil
		if (!f.From.IsZero() && c.CreatedAt.Before(f.From)) || (!f.To.IsZero() && c.CreatedAt.After(f.To)) {
			continue
		}
		if len(out) < limit {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// CaseLastPublicNotes returns, for each of the cases, the public note of
// its latest public event that has one.
func (s *Store) CaseLastPublicNotes(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT case_id, public_note FROM case_events
		WHERE case_id IN (`+ph+`) AND public = TRUE AND public_note <> '' ORDER BY id`), args...)
	if err != nil {
		return nil, fmt.Errorf("case notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var note string
		if err := rows.Scan(&id, &note); err != nil {
			return nil, err
		}
		out[id] = note
	}
	return out, rows.Err()
}
