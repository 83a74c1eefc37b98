package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// IsEmpty reports whether the database holds no unit and no user.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM users)`).Scan(&n); err != nil {
		return false, fmt.Errorf("count units and users: %w", err)
	}
	return n == 0, nil
}

// Wipe deletes every row of every table but the migration record (the
// schema stays) and the reference rows the migrations seed (the legal
// deadline rules, the recorded calendar decisions), which it writes again;
// it restarts the identity counters, and moves the audit
// checkpoint file aside, since the chain it vouches for is gone. It is for
// throw-away databases such as the demo's: the caller decides that the data
// may go. The store must be closed afterwards; reopen it to write again.
func (s *Store) Wipe(ctx context.Context) error {
	defer s.unitsChanged.Add(1)
	tables, err := s.backupTables(ctx)
	if err != nil {
		return err
	}
	for t := range notBackedUp {
		if t != "schema_migrations" {
			tables = append(tables, t)
		}
	}
	for _, t := range tables {
		if !safeIdent(t) {
			return fmt.Errorf("wipe: table name %q", t)
		}
	}
	if s.dialect == Postgres {
		if _, err := s.wdb.ExecContext(ctx, `TRUNCATE TABLE `+strings.Join(tables, ", ")+` RESTART IDENTITY CASCADE`); err != nil {
			return fmt.Errorf("wipe: %w", err)
		}
	} else {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			// Children first: backupTables lists parents first.
			for i := len(tables) - 1; i >= 0; i-- {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+tables[i]); err != nil {
					return fmt.Errorf("%s: %w", tables[i], err)
				}
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM sqlite_sequence`)
			return err
		})
		if err != nil {
			return fmt.Errorf("wipe: %w", err)
		}
	}
	if err := s.reseed(ctx); err != nil {
		return fmt.Errorf("wipe: %w", err)
	}
	if s.opts.DataDir == "" {
		return nil
	}
	a := s.audit
	a.cpMu.Lock()
	defer a.cpMu.Unlock()
	if a.cpFile != nil {
		a.cpFile.Close()
		a.cpFile = nil
	}
	path := filepath.Join(s.opts.DataDir, AuditCheckpointFile)
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, path+".wiped-"+time.Now().UTC().Format("20060102T150405.000")); err != nil {
			return fmt.Errorf("wipe: audit checkpoints: %w", err)
		}
	}
	return nil
}

// reseed runs again the plain INSERT statements of the migrations: the
// reference data they seed, as on a freshly migrated database.
func (s *Store) reseed(ctx context.Context) error {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, m := range ms {
			// The statements of a trigger's body (CREATE TRIGGER … BEGIN …;
			// …; END) are not seeds.
			inTrigger := false
			for _, stmt := range strings.Split(m.SQL, ";\n") {
				var lines []string
				for _, l := range strings.Split(stmt, "\n") {
					if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
						lines = append(lines, l)
					}
				}
				body := strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";")
				if strings.HasPrefix(strings.ToUpper(body), "CREATE TRIGGER ") {
					inTrigger = true
				}
				if inTrigger {
					inTrigger = !strings.HasSuffix(strings.ToUpper(body), "END")
					continue
				}
				if !strings.HasPrefix(body, "INSERT INTO ") {
					continue
				}
				if _, err := tx.ExecContext(ctx, body); err != nil {
					return fmt.Errorf("reseed %s: %w", m.Name, err)
				}
			}
		}
		return nil
	})
}
