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
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"encoding/base64"
)

// notBackedUp are tables a backup leaves out: a restored installation
// starts with everyone signed out, and the migration table is the target's own.
var notBackedUp = map[string]bool{"sessions": true, "login_attempts": true, "schema_migrations": true}

// backupTables lists every table of the schema, parents before children (by
// their foreign keys), so that new features' tables are carried without
// anyone remembering to list them.
func (s *Store) backupTables(ctx context.Context) ([]string, error) {
	var q string
	if s.dialect == Postgres {
		q = `SELECT t.table_name, COALESCE(ccu.table_name, '')
			FROM information_schema.tables t
			LEFT JOIN information_schema.table_constraints tc ON tc.table_schema = t.table_schema AND tc.table_name = t.table_name AND tc.constraint_type = 'FOREIGN KEY'
			LEFT JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_schema = tc.constraint_schema AND ccu.constraint_name = tc.constraint_name
			WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`
	} else {
		q = `SELECT m.name, COALESCE(f."table", '') FROM sqlite_master m LEFT JOIN pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	deps := map[string]map[string]bool{}
	for rows.Next() {
		var t, parent string
		if err := rows.Scan(&t, &parent); err != nil {
			return nil, err
		}
		if deps[t] == nil {
			deps[t] = map[string]bool{}
		}
		if parent != "" && parent != t {
			deps[t][parent] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(deps))
	for t := range deps {
		names = append(names, t)
	}
	sort.Strings(names)
	var out []string
	done := map[string]bool{}
	var visit func(t string, depth int)
	visit = func(t string, depth int) {
		if done[t] || depth > 64 {
			return
		}
		done[t] = true
		parents := make([]string, 0, len(deps[t]))
		for p := range deps[t] {
			parents = append(parents, p)
		}
		sort.Strings(parents)
		for _, p := range parents {
			visit(p, depth+1)
		}
		if !notBackedUp[t] {
			out = append(out, t)
		}
	}
	for _, t := range names {
		visit(t, 0)
	}
	return out, nil
}

// columnTypes returns, for the target engine, which columns are booleans
// (SQLite keeps them as 0/1) and which are binary.
func (s *Store) boolColumns(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	if s.dialect != Postgres {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'boolean'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// b64 marks binary values in the JSON lines.
const b64Key = "$base64"

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
	// Listed before the transaction: SQLite has a single connection.
	tables, err := s.backupTables(ctx)
	if err != nil {
		return 0, err
	}
	// One read transaction gives a consistent snapshot across tables.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: s.dialect == Postgres})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n := 0
	for _, t := range tables {
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
					if utf8.Valid(v) && s.dialect == SQLite {
						m[c] = string(v) // modernc returns TEXT as []byte in some expressions
					} else {
						m[c] = map[string]string{b64Key: base64.StdEncoding.EncodeToString(v)}
					}
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
	defer s.unitsChanged.Add(1)
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
	tables, err := s.backupTables(ctx)
	if err != nil {
		return 0, err
	}
	bools, err := s.boolColumns(ctx)
	if err != nil {
		return 0, err
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
			if !contains(tables, br.Table) {
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
				if i, ok := v.(int64); ok && bools[br.Table+"."+c] {
					v = i != 0 // SQLite keeps booleans as 0/1
				}
				if m, ok := v.(map[string]any); ok {
					enc, _ := m[b64Key].(string)
					b, err := base64.StdEncoding.DecodeString(enc)
					if err != nil {
						return fmt.Errorf("restore: %s.%s: bad binary value", br.Table, c)
					}
					v = b
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
			for _, t := range tables {
				var seq sql.NullString
				err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence(table_name, 'id') FROM information_schema.columns
					WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'`, t).Scan(&seq)
				if err != nil || !seq.Valid {
					continue // no identity column
				}
				if _, err := tx.ExecContext(ctx, `SELECT setval('`+seq.String+`', COALESCE((SELECT MAX(id) FROM `+t+`), 0) + 1, false)`); err != nil {
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
