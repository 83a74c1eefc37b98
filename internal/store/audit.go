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

// appendAudit records one audit entry inside tx, the transaction that makes
// the change, so that the change and its record stand or fall together.
//
// SQLite: the transaction already holds the database's only write lock, so
// the entry is chained (keyed hash of the previous one) right here, at no
// extra cost; the checkpoint is written after the commit.
//
// PostgreSQL: chaining here would make every write transaction wait for the
// previous one. The entry goes to audit_pending instead, and the background
// sealer, woken by the commit, chains it into audit_log (see SealAudit)
// under its own short lock.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, a audit.Actor, action, entity string, entityID any, before, after any) error {
	name := a.Name
	if name == "" {
		name = "system"
	}
	e := audit.Entry{
		At: s.Now().Truncate(time.Microsecond), ActorID: a.UserID, Actor: name,
		Action: action, Entity: entity, EntityID: fmt.Sprint(entityID),
		Before: audit.JSON(before), After: audit.JSON(after), IP: a.IP,
	}
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	if s.dialect == Postgres {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_pending (at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, ip)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			s.ts(e.At), actorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.IP)
		if err != nil {
			return fmt.Errorf("audit append: %w", err)
		}
		s.audit.txs.Store(tx, (*audit.Checkpoint)(nil))
		return nil
	}
	key, err := s.auditKey()
	if err != nil {
		return err
	}
	if err := s.checkTail(ctx, tx, key); err != nil {
		return err
	}
	e.PrevHash = audit.Genesis
	err = s.txQueryRow(ctx, tx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&e.ID, &e.PrevHash)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("audit tail: %w", err)
	}
	e.ID++
	e.Hash = audit.Hash(key, e.PrevHash, e)
	_, err = s.txExec(ctx, tx, `INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, s.ts(e.At), actorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.IP, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	s.audit.txs.Store(tx, &audit.Checkpoint{Count: e.ID, Head: e.Hash})
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

// ListAudit returns entries newest first, and the total matching. Entries
// still pending are sealed first, so a change is listed once it committed.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, int, error) {
	if s.dialect == Postgres {
		if _, err := s.SealAudit(ctx); err != nil {
			return nil, 0, err
		}
	}
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
