package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// appendAudit writes one hash-chained audit entry inside tx. Entries are
// serialised: PostgreSQL takes a transaction-scoped advisory lock, SQLite has
// a single writer. The id is chosen here because it is part of the hash.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, a audit.Actor, action, entity string, entityID any, before, after any) error {
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7261002)`); err != nil {
			return fmt.Errorf("audit lock: %w", err)
		}
	}
	var lastID int64
	prev := audit.Genesis
	err := tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&lastID, &prev)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("audit tail: %w", err)
	}
	name := a.Name
	if name == "" {
		name = "system"
	}
	e := audit.Entry{
		ID: lastID + 1, At: s.Now().Truncate(time.Microsecond), ActorID: a.UserID, Actor: name,
		Action: action, Entity: entity, EntityID: fmt.Sprint(entityID),
		Before: audit.JSON(before), After: audit.JSON(after), IP: a.IP, PrevHash: prev,
	}
	e.Hash = audit.Hash(prev, e)
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		e.ID, s.ts(e.At), actorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.IP, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return nil
}

// AuditFilter narrows the audit list.
type AuditFilter struct {
	Actor    string
	Action   string
	Entity   string
	EntityID string
	From, To time.Time
	Limit    int
	Offset   int
}

// ListAudit returns entries newest first, and the total matching.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, int, error) {
	var where []string
	var args []any
	if f.Actor != "" {
		where = append(where, "actor_name = ?")
		args = append(args, f.Actor)
	}
	if f.Action != "" {
		where = append(where, "action LIKE ? ESCAPE '\\'")
		args = append(args, likePrefix(f.Action))
	}
	if f.Entity != "" {
		where = append(where, "entity = ?")
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = ?")
		args = append(args, f.EntityID)
	}
	if !f.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, s.ts(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, s.ts(f.To))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM audit_log"+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("audit count: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash
		FROM audit_log`+cond+` ORDER BY id DESC LIMIT `+strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(max(f.Offset, 0))), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit list: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

func scanAudit(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	var at Time
	err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.IP, &e.PrevHash, &e.Hash)
	e.At = at.Time
	return e, err
}

// VerifyAudit walks the whole chain in id order. It returns the number of
// entries checked and an *audit.BrokenError at the first bad one.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	v := audit.NewVerifier()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Count, err
		}
		if err := v.Next(e); err != nil {
			return v.Count, err
		}
	}
	return v.Count, rows.Err()
}

// likePrefix escapes LIKE wildcards and appends %.
func likePrefix(s string) string { return escapeLike(s) + "%" }

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// AuditEntities lists the kinds of entity the log has entries for.
func (s *Store) AuditEntities(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT entity FROM audit_log ORDER BY entity`)
	if err != nil {
		return nil, fmt.Errorf("audit entities: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
