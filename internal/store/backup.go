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
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"encoding/base64"

	"github.com/danvan/danvan/internal/audit"
)

// notBackedUp are tables a backup leaves out: a restored installation
// starts with everyone signed out, and the migration table is the target's own.
var notBackedUp = map[string]bool{"sessions": true, "login_attempts": true, "schema_migrations": true}

// backupTables lists every table of the schema, parents before children (by
// their foreign keys), so that new features' tables are carried without
// anyone remembering to list them. SQLite's full-text indexes are not
// tables of data: triggers refill them as the rows are restored.
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
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			AND m.name NOT IN (SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow'))`
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
	// Checkpoint is the source's last signed audit checkpoint: a restore
	// checks that the backup holds the entries it counted.
	Checkpoint *audit.Checkpoint `json:"audit_checkpoint,omitempty"`
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
	// Pending audit entries are chained first, and the last checkpoint is
	// read before the snapshot starts, so the snapshot holds what it counts.
	if _, err := s.SealAudit(ctx); err != nil {
		return 0, err
	}
	cps, err := s.readCheckpoints()
	if err != nil {
		return 0, err
	}
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(backupHeader{Format: "danvan-backup-1", Schema: ver, Created: s.Now(), Dialect: s.dialect, Checkpoint: lastCheckpoint(cps)}); err != nil {
		return 0, err
	}
	tables, err := s.backupTables(ctx)
	if err != nil {
		return 0, err
	}
	// One read transaction gives a consistent snapshot across tables: on
	// SQLite a read connection in WAL mode (writers go on meanwhile), on
	// PostgreSQL a repeatable-read transaction.
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
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

// RestoreError says which line of a backup cannot be restored, and why.
type RestoreError struct {
	Line   int // line of the backup's JSON text, the header being line 1
	Table  string
	Column string
	Reason string
}

func (e *RestoreError) Error() string {
	where := fmt.Sprintf("line %d", e.Line)
	if e.Table != "" {
		where += " (" + e.Table
		if e.Column != "" {
			where += "." + e.Column
		}
		where += ")"
	}
	return "restore: " + where + ": " + e.Reason
}

// Restore loads a backup into an empty, migrated database in one
// transaction. It reads the backup twice: the first pass writes nothing and
// refuses a backup whose audit chain does not verify with this
// installation's key (or lacks entries its checkpoint counted), and, on
// PostgreSQL, one holding text PostgreSQL cannot store (NUL bytes), naming
// the line, table and column. A reader that cannot seek is copied to a
// temporary file first.
func (s *Store) Restore(ctx context.Context, r io.Reader) (int, error) {
	return s.restore(ctx, r, false)
}

// ErrLegacyAuditBackup means the backup's audit log is the unkeyed chain of
// an earlier version; RestoreLegacy takes it.
var ErrLegacyAuditBackup = errors.New("restore refused, nothing written: the backup's audit log is the unkeyed chain of an earlier version; restore it with --legacy-audit to check that chain and key it")

// RestoreLegacy restores a backup made by an earlier version, whose audit
// log is an unkeyed hash chain: the chain must verify as such, and is keyed
// (see RekeyAudit) once restored.
func (s *Store) RestoreLegacy(ctx context.Context, r io.Reader) (int, error) {
	return s.restore(ctx, r, true)
}

func (s *Store) restore(ctx context.Context, r io.Reader, legacy bool) (int, error) {
	defer s.unitsChanged.Add(1)
	var existing int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM users)`).Scan(&existing); err != nil {
		return 0, err
	}
	if existing > 0 {
		return 0, ErrNotEmpty
	}
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		tmp, err := os.CreateTemp("", "danvan-restore-*")
		if err != nil {
			return 0, err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if _, err := io.Copy(tmp, r); err != nil {
			return 0, fmt.Errorf("restore: read backup: %w", err)
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		rs = tmp
	}
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	ver, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	tables, err := s.backupTables(ctx)
	if err != nil {
		return 0, err
	}
	key, err := s.auditKey()
	if err != nil {
		return 0, err
	}
	// Pass 1: check, write nothing.
	v := audit.NewVerifier(key)
	if legacy {
		v = audit.NewLegacyVerifier()
	}
	var cp *audit.Checkpoint
	var cpHead string
	inBackup := map[string]bool{}
	err = readBackup(rs, ver, func(h backupHeader) { cp = h.Checkpoint }, func(line int, br backupRow) error {
		inBackup[br.Table] = true
		if !contains(tables, br.Table) {
			return &RestoreError{Line: line, Table: br.Table, Reason: "unknown table"}
		}
		for c, val := range br.Row {
			if !safeIdent(c) {
				return &RestoreError{Line: line, Table: br.Table, Column: c, Reason: "bad column name"}
			}
			if str, ok := val.(string); ok && s.dialect == Postgres && strings.IndexByte(str, 0) >= 0 {
				return &RestoreError{Line: line, Table: br.Table, Column: c, Reason: fmt.Sprintf("the value of row %v holds a NUL byte, which PostgreSQL cannot store; correct it in the source database and back up again", br.Row["id"])}
			}
		}
		if br.Table != "audit_log" {
			return nil
		}
		e, err := backupAuditEntry(br.Row)
		if err != nil {
			return &RestoreError{Line: line, Table: br.Table, Reason: err.Error()}
		}
		if err := v.Next(e); err != nil {
			if !legacy && e.ID == 1 && e.PrevHash == audit.Genesis && e.Hash == audit.LegacyHash(audit.Genesis, e) {
				return ErrLegacyAuditBackup
			}
			return fmt.Errorf("restore refused, nothing written: %w", err)
		}
		if cp != nil && e.ID == cp.Count {
			cpHead = e.Hash
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if cp != nil && !legacy {
		headAt := func(id int64) (string, bool) { return cpHead, cpHead != "" && id == cp.Count }
		if err := cp.Check(key, int64(v.Count), headAt); err != nil {
			return 0, fmt.Errorf("restore refused, nothing written: %w", err)
		}
	}
	// Pass 2: write.
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		return 0, err
	}
	bools, err := s.boolColumns(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// Rows the migrations seed give way to the backup's own.
		for _, t := range seededTables {
			if inBackup[t] {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
					return fmt.Errorf("restore: clear %s: %w", t, err)
				}
			}
		}
		err := readBackup(rs, ver, nil, func(line int, br backupRow) error {
			cols := make([]string, 0, len(br.Row))
			args := make([]any, 0, len(br.Row))
			for c, v := range br.Row {
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
						return &RestoreError{Line: line, Table: br.Table, Column: c, Reason: "bad binary value"}
					}
					v = b
				}
				cols = append(cols, c)
				args = append(args, v)
			}
			ph := strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO `+br.Table+` (`+strings.Join(cols, ",")+`) VALUES (`+ph+`)`), args...); err != nil {
				return &RestoreError{Line: line, Table: br.Table, Reason: err.Error()}
			}
			n++
			return nil
		})
		if err != nil {
			return err
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
	if legacy && v.Count > 0 {
		if _, err := s.RekeyAudit(ctx); err != nil {
			return n, fmt.Errorf("restore: restored, but keying the audit log failed: %w", err)
		}
	} else {
		// The checkpoints of whatever database this one replaces no longer apply.
		s.restartCheckpoints(audit.Checkpoint{Count: int64(v.Count), Head: v.Head()})
	}
	if _, err := s.SealAudit(ctx); err != nil {
		return n, fmt.Errorf("restore: restored, but sealing pending audit entries failed: %w", err)
	}
	return n, nil
}

// readBackup decodes a backup: the header (checked against the schema
// version ver), then each row with its line number.
func readBackup(r io.Reader, ver int, header func(backupHeader), row func(line int, br backupRow) error) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("restore: not a danvan backup (gzip): %w", err)
	}
	defer zr.Close()
	dec := json.NewDecoder(bufio.NewReader(zr))
	dec.UseNumber()
	var h backupHeader
	if err := dec.Decode(&h); err != nil || h.Format != "danvan-backup-1" {
		return fmt.Errorf("restore: not a danvan backup")
	}
	if h.Schema > ver {
		return fmt.Errorf("restore: backup has schema %d, this program knows %d; upgrade danvan first", h.Schema, ver)
	}
	if header != nil {
		header(h)
	}
	for line := 2; ; line++ {
		var br backupRow
		err := dec.Decode(&br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &RestoreError{Line: line, Reason: err.Error()}
		}
		if err := row(line, br); err != nil {
			return err
		}
	}
}

// backupAuditEntry reads an audit_log row of a backup.
func backupAuditEntry(m map[string]any) (audit.Entry, error) {
	var e audit.Entry
	num := func(k string) (int64, error) {
		switch v := m[k].(type) {
		case nil:
			return 0, nil
		case json.Number:
			return v.Int64()
		default:
			return 0, fmt.Errorf("%s is not a number", k)
		}
	}
	str := func(k string) string { v, _ := m[k].(string); return v }
	var err error
	if e.ID, err = num("id"); err != nil {
		return e, err
	}
	if e.ActorID, err = num("actor_id"); err != nil {
		return e, err
	}
	var at Time
	if err := at.parse(str("at")); err != nil {
		return e, err
	}
	e.At = at.Time
	e.Actor, e.Action, e.Entity, e.EntityID = str("actor_name"), str("action"), str("entity"), str("entity_id")
	e.Before, e.After, e.IP, e.PrevHash, e.Hash = str("before_json"), str("after_json"), str("ip"), str("prev_hash"), str("hash")
	return e, nil
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
