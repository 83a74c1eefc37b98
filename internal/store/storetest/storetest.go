// Package storetest opens a fresh, migrated store for a test: SQLite in the
// test's temporary directory, or, when DANVAN_TEST_POSTGRES holds a
// postgres:// URL, a schema of its own in that PostgreSQL database, dropped
// when the test ends. Other packages' tests share it so that every test can
// run against both engines.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx" for the admin connection

	"github.com/danvan/danvan/internal/store"
)

// EnvPostgres names the variable that switches tests to PostgreSQL.
const EnvPostgres = "DANVAN_TEST_POSTGRES"

// AuditKey keys the audit chain of every test store, so that a backup taken
// from one test store restores into another.
const AuditKey = "danvan-test-audit-key-0123456789abcdef"

// Options are the store options of a test store: the shared test audit key
// and a data directory of its own for the audit checkpoints.
func Options(t testing.TB) store.Options {
	return store.Options{AuditKey: AuditKey, DataDir: t.TempDir()}
}

// Open returns a migrated, empty store closed (and, on PostgreSQL, dropped)
// when t ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	opts := Options(t)
	dsn := filepath.Join(opts.DataDir, "danvan.db")
	if base := os.Getenv(EnvPostgres); base != "" {
		dsn = postgresSchema(t, ctx, base)
	}
	st, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return st
}

// DSN returns what store.Open takes for a fresh, empty database of the
// engine under test (nothing migrated): a new SQLite file, or a new
// PostgreSQL schema dropped when t ends. Command-line tests pass it as --db
// or --data.
func DSN(t testing.TB) string {
	t.Helper()
	if base := os.Getenv(EnvPostgres); base != "" {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return postgresSchema(t, ctx, base)
	}
	return filepath.Join(t.TempDir(), "danvan.db")
}

// postgresSchema creates a uniquely named schema, registers its removal, and
// returns base with search_path set to it (pgx passes unknown URL
// parameters to the server as run-time parameters).
func postgresSchema(t testing.TB, ctx context.Context, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("storetest: %s must be a postgres:// URL", EnvPostgres)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: postgres: %v", err)
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("storetest: create schema: %v", err)
	}
	// Registered before the store's own Close, so it runs after it.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
