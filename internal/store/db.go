// Package store is the only package that speaks SQL. It opens the embedded
// SQLite database or PostgreSQL behind one type, runs the forward-only
// migrations for either, and implements the storage each domain needs.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"modernc.org/sqlite"               // pure-Go SQLite driver "sqlite": no cgo, FTS5 and JSON built in
)

//go:embed migrations
var migrationsFS embed.FS

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned when a row asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would break a uniqueness rule or an
// optimistic lock.
var ErrConflict = errors.New("conflict")

// Store wraps the database handles with the dialect it speaks.
//
// On SQLite, db is a pool of read-only connections and wdb the one writer
// connection: in WAL mode readers see the last committed state and never
// wait for a write transaction. Every write (inTx, and any ExecContext that
// changes rows) goes through wdb. On PostgreSQL both are the same pool.
type Store struct {
	db      *stmtDB // reads (prepared statements kept on SQLite)
	wdb     *sql.DB // writes
	wst     *writeStmts
	dialect Dialect
	url     string
	opts    Options
	// audit is the keyed chain's state: key, checkpoints, sealer.
	audit *auditState
	// now is the clock; tests may replace it.
	now func() time.Time
	// unitsChanged moves on every unit write (see UnitsChanged).
	unitsChanged atomic.Int64
	// cal keeps the working-day calendar (see WorkingCalendar).
	cal calendarCache
	// caseQueue groups concurrent case intakes into shared commits (see QueueCase).
	caseQueue caseQueue
}

// Options are the settings a store takes besides its address.
type Options struct {
	// DataDir holds the audit key file (audit.key, unless AuditKey is set)
	// and the signed audit checkpoints (audit.checkpoints). Empty means the
	// SQLite file's directory; PostgreSQL needs it or AuditKey.
	DataDir string
	// AuditKey is the secret that keys the audit chain (DANVAN_AUDIT_KEY);
	// empty means the key file in DataDir, created on first use.
	AuditKey string
	// ReadConns is the size of the SQLite read pool (default 4×CPUs, at
	// least 8: a long read, a backup or a verification, leaves room for others).
	ReadConns int
	// Synchronous is SQLite's synchronous setting for the writer: "FULL"
	// (default: an acknowledged write survives power loss) or "NORMAL".
	Synchronous string
}

// busyTimeoutMS is how long a SQLite connection waits for a lock held by
// another process (a CLI command next to the server) before failing.
const busyTimeoutMS = 10000

// Open connects to dsn: a postgres:// or postgresql:// URL selects PostgreSQL,
// anything else is taken as a SQLite file path (created if missing). At most
// one Options may be given.
func Open(ctx context.Context, dsn string, options ...Options) (*Store, error) {
	var o Options
	if len(options) > 0 {
		o = options[0]
	}
	s := &Store{url: dsn, opts: o, now: func() time.Time { return time.Now().UTC() }}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.dialect = Postgres
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.db, s.wdb = newStmtDB(db, false), db
		s.wst = newWriteStmts(db, false)
	} else {
		s.dialect = SQLite
		path := strings.TrimPrefix(dsn, "sqlite://")
		dir := filepath.Dir(path)
		if dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
		if s.opts.DataDir == "" {
			s.opts.DataDir = dir
		}
		syncMode := strings.ToUpper(s.opts.Synchronous)
		if syncMode == "" {
			syncMode = "FULL"
		}
		if syncMode != "FULL" && syncMode != "NORMAL" {
			return nil, fmt.Errorf("sqlite synchronous must be FULL or NORMAL, not %q", s.opts.Synchronous)
		}
		// The writer: WAL, foreign keys, BEGIN IMMEDIATE (a write transaction
		// takes the lock at its start instead of failing to upgrade later),
		// and one connection, since SQLite has one writer anyway.
		busy := "&_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")"
		wq := "?_pragma=journal_mode(WAL)" + busy + "&_pragma=foreign_keys(1)&_pragma=synchronous(" + syncMode + ")&_txlock=immediate"
		w, err := sql.Open("sqlite", "file:"+path+wq)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxIdleTime(0)
		w.SetConnMaxLifetime(0)
		s.wdb = w
		s.wst = newWriteStmts(w, true)
		// The writer opens first so that the file exists and is in WAL mode.
		pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err = w.PingContext(pctx)
		cancel()
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("connect to sqlite database: %w", err)
		}
		// The readers: query_only refuses any write, so a write sent to
		// the wrong handle fails loudly instead of taking the write lock.
		rq := "?_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")&_pragma=foreign_keys(1)&_pragma=query_only(1)"
		r, err := sql.Open("sqlite", "file:"+path+rq)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		n := s.opts.ReadConns
		if n <= 0 {
			n = max(8, 4*runtime.GOMAXPROCS(0))
		}
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
		r.SetConnMaxIdleTime(5 * time.Minute)
		s.db = newStmtDB(r, true)
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := s.db.PingContext(pctx); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("connect to %s database: %w", s.dialect, err)
	}
	if err := s.startAudit(); err != nil {
		s.closeDBs()
		return nil, err
	}
	return s, nil
}

func (s *Store) closeDBs() error {
	s.wst.close()
	err := s.db.Close()
	if s.wdb != s.db.DB {
		err = errors.Join(err, s.wdb.Close())
	}
	return err
}

// Close seals what is left of the audit log, stops the background work and
// releases the database.
func (s *Store) Close() error {
	s.stopAudit()
	return s.closeDBs()
}

// Dialect reports which engine this store speaks.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the writing handle, for health checks and tests that change
// rows behind the store's back. It sees every committed write.
func (s *Store) DB() *sql.DB { return s.wdb }

// ReadDB exposes the reading pool (the same as DB on PostgreSQL).
func (s *Store) ReadDB() *sql.DB { return s.db.DB }

// SetClock replaces the clock (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Now is the store's clock in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// q rewrites '?' placeholders to $n for PostgreSQL. Queries are written with
// '?' and never contain a literal question mark.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// ts converts a time to what the engine stores for a timestamp column.
func (s *Store) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if s.dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Time scans a timestamp column from either engine.
type Time struct{ time.Time }

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = x.UTC()
	case string:
		return t.parse(x)
	case []byte:
		return t.parse(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T into Time", v)
	}
	return nil
}

func (t *Time) parse(x string) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if p, err := time.Parse(layout, x); err == nil {
			t.Time = p.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: bad timestamp %q", x)
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn inside a write transaction, committing on success. After a
// commit that wrote audit entries it records the audit checkpoint (SQLite)
// or seals the entries (PostgreSQL).
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		s.auditRolledBack(tx)
		return err
	}
	if err := tx.Commit(); err != nil {
		s.auditRolledBack(tx)
		return fmt.Errorf("commit: %w", err)
	}
	s.auditCommitted(ctx, tx)
	s.wst.flush()
	return nil
}

// insertID runs an INSERT … RETURNING id and returns the id.
func (s *Store) insertID(ctx context.Context, qr querier, query string, args ...any) (int64, error) {
	var id int64
	row := (*sql.Row)(nil)
	if tx, ok := qr.(*sql.Tx); ok {
		row = s.txQueryRow(ctx, tx, s.q(query+" RETURNING id"), args...)
	} else {
		row = qr.QueryRowContext(ctx, s.q(query+" RETURNING id"), args...)
	}
	if err := row.Scan(&id); err != nil {
		return 0, err
	}
	return id, nil
}

// SQLite extended result codes for uniqueness (sqlite3.h).
const (
	sqliteConstraintPrimaryKey = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
	sqliteConstraintUnique     = 2067 // SQLITE_CONSTRAINT_UNIQUE
)

// isUnique reports whether err is a uniqueness violation on either engine:
// SQLSTATE 23505 on PostgreSQL, the extended constraint codes on SQLite.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqliteConstraintUnique || c == sqliteConstraintPrimaryKey
	}
	return false
}

// Migration is one numbered forward-only schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations for a dialect in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", name)
		}
		b, err := fs.ReadFile(migrationsFS, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns how many it applied.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	if _, err := s.wdb.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	ms, err := Migrations(s.dialect)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	applied := 0
	for _, m := range ms {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if s.dialect == Postgres {
				// Two processes migrating at once: the second waits, then sees the row.
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7261001)`); err != nil {
					return err
				}
			}
			var n int
			if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.Version, m.Name, s.Now().Format(time.RFC3339)); err != nil {
				return err
			}
			applied++
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
	}
	return applied, nil
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// Column describes one column of the live schema.
type Column struct {
	Table, Name string
	NotNull     bool
}

// Columns lists the columns of every table in the current schema, sorted, so
// that a test can check that both engines' migrations agree. SQLite's
// full-text indexes (virtual tables and their shadow tables) are left out:
// PostgreSQL keeps its index inside the table.
func (s *Store) Columns(ctx context.Context) ([]Column, error) {
	var q string
	if s.dialect == Postgres {
		q = `SELECT table_name, column_name, is_nullable = 'NO' FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, column_name`
	} else {
		q = `SELECT m.name, p.name, p."notnull" <> 0 OR p.pk > 0 FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			AND m.name NOT IN (SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow')) ORDER BY m.name, p.name`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Table, &c.Name, &c.NotNull); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
