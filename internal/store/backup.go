package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// backupTables lists the tables a backup carries, parents before children.
// Sessions and sign-in attempts are deliberately left out: a restored
// installation starts with everyone signed out.
var backupTables = []string{"units", "unit_successors", "users", "grants", "api_tokens", "audit_log"}

// timestampCols are converted between engines on restore.
var timestampCols = map[string]bool{"created_at": true, "updated_at": true, "locked_until": true, "last_used_at": true, "revoked_at": true, "at": true, "last_seen_at": true, "expires_at": true}

// boolCols hold booleans, which SQLite stores as integers.
var boolCols = map[string]bool{"remote": true, "disabled": true, "ok": true}

type backupHeader struct {
	Format  string    `json:"format"`
	Schema  int       `json:"schema"`
	Created time.Time `json:"created"`
	Dialect Dialect   `json:"dialect"`
}

type backupRow struct {
	Table string         `json:"t"`
	Row   map[string]any `json:"r"`
}

// Backup writes every table as gzip-compressed JSON lines. The format is the
// same for both engines, so a SQLite backup restores into PostgreSQL.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int, error) {
	ver, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(backupHeader{Format: "danvan-backup-1", Schema: ver, Created: s.Now(), Dialect: s.dialect}); err != nil {
		return 0, err
	}
	// One read transaction gives a consistent snapshot across tables.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: s.dialect == Postgres})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n := 0
	for _, t := range backupTables {
		rows, err := tx.QueryContext(ctx, `SELECT * FROM `+t+` ORDER BY 1`)
		if err != nil {
			return n, fmt.Errorf("backup %s: %w", t, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return n, err
			}
			m := make(map[string]any, len(cols))
			for i, c := range cols {
				switch v := vals[i].(type) {
				case []byte:
					m[c] = string(v)
				case time.Time:
					m[c] = v.UTC().Format(time.RFC3339Nano)
				default:
					m[c] = v
				}
			}
			if err := enc.Encode(backupRow{Table: t, Row: m}); err != nil {
				rows.Close()
				return n, err
			}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	return n, zw.Close()
}

// ErrNotEmpty means restore was asked to overwrite an installation with data.
var ErrNotEmpty = errors.New("the database already holds units or users; restore needs an empty database")

// Restore loads a backup into an empty, migrated database in one
// transaction, then checks the audit chain.
func (s *Store) Restore(ctx context.Context, r io.Reader) (int, error) {
	var existing int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM users)`).Scan(&existing); err != nil {
		return 0, err
	}
	if existing > 0 {
		return 0, ErrNotEmpty
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("restore: not a danvan backup (gzip): %w", err)
	}
	dec := json.NewDecoder(bufio.NewReader(zr))
	dec.UseNumber()
	var h backupHeader
	if err := dec.Decode(&h); err != nil || h.Format != "danvan-backup-1" {
		return 0, fmt.Errorf("restore: not a danvan backup")
	}
	ver, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if h.Schema > ver {
		return 0, fmt.Errorf("restore: backup has schema %d, this program knows %d; upgrade danvan first", h.Schema, ver)
	}
	n := 0
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for {
			var br backupRow
			err := dec.Decode(&br)
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("restore: row %d: %w", n+1, err)
			}
			if !contains(backupTables, br.Table) {
				return fmt.Errorf("restore: unknown table %q", br.Table)
			}
			cols := make([]string, 0, len(br.Row))
			args := make([]any, 0, len(br.Row))
			for c, v := range br.Row {
				if !safeIdent(c) {
					return fmt.Errorf("restore: bad column %q", c)
				}
				if num, ok := v.(json.Number); ok {
					if i, err := num.Int64(); err == nil {
						v = i
					} else {
						v, _ = num.Float64()
					}
				}
				if i, ok := v.(int64); ok && boolCols[c] {
					v = i != 0 // SQLite keeps booleans as 0/1
				}
				if str, ok := v.(string); ok && timestampCols[c] {
					var t Time
					if err := t.parse(str); err == nil {
						v = s.ts(t.Time)
					}
				}
				cols = append(cols, c)
				args = append(args, v)
			}
			ph := strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO `+br.Table+` (`+strings.Join(cols, ",")+`) VALUES (`+ph+`)`), args...); err != nil {
				return fmt.Errorf("restore: %s row: %w", br.Table, err)
			}
			n++
		}
		if s.dialect == Postgres {
			// Explicit ids were inserted: move identity sequences past them.
			for _, t := range []string{"units", "users", "grants", "api_tokens", "audit_log"} {
				if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE((SELECT MAX(id) FROM `+t+`), 0) + 1, false)`); err != nil {
					return fmt.Errorf("restore: sequence %s: %w", t, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		return n, fmt.Errorf("restore: restored, but %w", err)
	}
	return n, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func safeIdent(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
