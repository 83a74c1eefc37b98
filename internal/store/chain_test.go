package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// users creates n users, one audit entry each.
func users(t *testing.T, st *store.Store, prefix string, n int) {
	t.Helper()
	for i := range n {
		u := account.User{Username: fmt.Sprintf("%s%03d", prefix, i), FullName: "Người dùng", PasswordHash: "x"}
		if err := st.CreateUser(ctx, sys, &u); err != nil {
			t.Fatal(err)
		}
	}
}

func auditCount(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantBroken(t *testing.T, err error, id int64, reason string) {
	t.Helper()
	var be *audit.BrokenError
	if !errors.As(err, &be) {
		t.Fatalf("tampering not detected: %v", err)
	}
	if id != 0 && be.ID != id {
		t.Fatalf("broken at %d, want %d: %v", be.ID, id, err)
	}
	if !strings.Contains(be.Reason, reason) {
		t.Fatalf("reason %q, want it to say %q", be.Reason, reason)
	}
}

func TestAuditChainDeleteLast50(t *testing.T) {
	st := storetest.Open(t)
	users(t, st, "u", 80)
	n, err := st.VerifyAudit(ctx)
	if err != nil || n != 80 {
		t.Fatalf("verify: %d %v", n, err)
	}
	if _, err := st.DB().ExecContext(ctx, `DELETE FROM audit_log WHERE id > 30`); err != nil {
		t.Fatal(err)
	}
	_, err = st.VerifyAudit(ctx)
	wantBroken(t, err, 31, "removed")
}

func TestAuditChainChangeAndRecomputeWithoutKey(t *testing.T) {
	st := storetest.Open(t)
	users(t, st, "u", 20)
	if _, err := st.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	// Change entry 5, then recompute every hash from it on, as someone with
	// the database but not the key would: an unkeyed chain verified that.
	rows, _, err := st.ListAudit(ctx, store.AuditFilter{Limit: 500})
	if err != nil || len(rows) != 20 {
		t.Fatalf("list: %d %v", len(rows), err)
	}
	es := make([]audit.Entry, len(rows))
	for i, e := range rows {
		es[len(rows)-1-i] = e
	}
	es[4].Actor = "mallory"
	guess := []byte("not the installation's key, at least 32 bytes")
	for i := 4; i < len(es); i++ {
		es[i].PrevHash = es[i-1].Hash
		es[i].Hash = audit.Hash(guess, es[i].PrevHash, es[i])
		q := `UPDATE audit_log SET actor_name = ?, prev_hash = ?, hash = ? WHERE id = ?`
		if st.Dialect() == store.Postgres {
			q = `UPDATE audit_log SET actor_name = $1, prev_hash = $2, hash = $3 WHERE id = $4`
		}
		if _, err := st.DB().ExecContext(ctx, q, es[i].Actor, es[i].PrevHash, es[i].Hash, es[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	_, err = st.VerifyAudit(ctx)
	wantBroken(t, err, 5, "content does not match")
}

func TestAuditCheckpointFileAltered(t *testing.T) {
	// A store of the engine under test whose data directory this test knows.
	opts := storetest.Options(t)
	dsn := storetest.DSN(t)
	if !strings.HasPrefix(dsn, "postgres") {
		dsn = filepath.Join(opts.DataDir, "c.db")
	}
	lite, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if _, err := lite.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	users(t, lite, "v", 3)
	if _, err := lite.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(opts.DataDir, store.AuditCheckpointFile)
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(b, []byte(`"n":3`)) {
		t.Fatalf("checkpoints: %q %v", b, err)
	}
	// A checkpoint lowered by hand (to hide a truncation) is not signed.
	forged := bytes.Replace(b, []byte(`"n":3`), []byte(`"n":2`), 1)
	if err := os.WriteFile(path, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = lite.VerifyAudit(ctx)
	wantBroken(t, err, 0, "not signed")
}

func TestAuditConcurrentWritersAllChained(t *testing.T) {
	st := storetest.Open(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				u := account.User{Username: fmt.Sprintf("w%d-%d", w, i), FullName: "Người dùng", PasswordHash: "x"}
				if err := st.CreateUser(ctx, sys, &u); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, err := st.SealAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := auditCount(t, st); got != 120 {
		t.Fatalf("%d entries chained, want 120", got)
	}
	if n, err := st.VerifyAudit(ctx); err != nil || n != 120 {
		t.Fatalf("verify: %d %v", n, err)
	}
}

func TestAuditVerifyJob(t *testing.T) {
	st := storetest.Open(t)
	users(t, st, "u", 5)
	first := st.AuditVerifyJob(true)
	if !first.Running || first.Started.IsZero() {
		t.Fatalf("not started: %+v", first)
	}
	var last store.AuditVerification
	for {
		last = st.AuditVerifyJob(false)
		if !last.Running {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if last.Err != nil || last.Count != 5 || last.Finished.IsZero() {
		t.Fatalf("job: %+v", last)
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE audit_log SET after_json = '{}' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	st.AuditVerifyJob(true)
	for last = st.AuditVerifyJob(false); last.Running; last = st.AuditVerifyJob(false) {
		time.Sleep(5 * time.Millisecond)
	}
	wantBroken(t, last.Err, 2, "content")
}

func backup(t *testing.T, st *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := st.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// nothingRestored checks that a refused restore left the target empty.
func nothingRestored(t *testing.T, dst *store.Store) {
	t.Helper()
	var n int
	if err := dst.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM units)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a refused restore wrote %d rows (%v)", n, err)
	}
}

func TestRestoreRefusesBrokenChain(t *testing.T) {
	t.Run("changed entry", func(t *testing.T) {
		src := storetest.Open(t)
		users(t, src, "u", 10)
		if _, err := src.SealAudit(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := src.DB().ExecContext(ctx, `UPDATE audit_log SET actor_name = 'mallory' WHERE id = 4`); err != nil {
			t.Fatal(err)
		}
		dst := storetest.Open(t)
		_, err := dst.Restore(ctx, bytes.NewReader(backup(t, src)))
		wantBroken(t, err, 4, "content")
		nothingRestored(t, dst)
	})
	t.Run("last entries removed before the backup", func(t *testing.T) {
		src := storetest.Open(t)
		users(t, src, "u", 60)
		if _, err := src.SealAudit(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := src.DB().ExecContext(ctx, `DELETE FROM audit_log WHERE id > 10`); err != nil {
			t.Fatal(err)
		}
		dst := storetest.Open(t)
		_, err := dst.Restore(ctx, bytes.NewReader(backup(t, src)))
		wantBroken(t, err, 11, "removed")
		nothingRestored(t, dst)
	})
	t.Run("another installation's key", func(t *testing.T) {
		src := storetest.Open(t)
		users(t, src, "u", 3)
		b := backup(t, src)
		dir := t.TempDir()
		dst, err := store.Open(ctx, filepath.Join(dir, "d.db"), store.Options{DataDir: dir}) // its own audit.key
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		if _, err := dst.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		_, err = dst.Restore(ctx, bytes.NewReader(b))
		wantBroken(t, err, 1, "another key")
		nothingRestored(t, dst)
		if fi, err := os.Stat(filepath.Join(dir, store.AuditKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", fi, err)
		}
	})
}

// TestBackupSQLiteRestoreIntoEngine takes a SQLite backup and restores it
// into the engine under test (PostgreSQL when DANVAN_TEST_POSTGRES is set),
// through a reader that cannot seek, as from standard input. A value with a
// NUL byte, which SQLite stores and PostgreSQL cannot, is named by line,
// table and column, and nothing is written.
func TestBackupSQLiteRestoreIntoEngine(t *testing.T) {
	src := openSQLite(t)
	smallTree(t, src)
	users(t, src, "u", 5)
	b := backup(t, src)
	dst := storetest.Open(t)
	n, err := dst.Restore(ctx, struct{ io_Reader }{bytes.NewReader(b)})
	if err != nil || n == 0 {
		t.Fatalf("restore: %d %v", n, err)
	}
	if v, err := dst.VerifyAudit(ctx); err != nil || v != auditCount(t, src) {
		t.Fatalf("verify after restore: %d %v", v, err)
	}
	// The restored installation goes on chaining from the restored head.
	users(t, dst, "after", 2)
	if _, err := dst.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}

	// A NUL byte in a unit name.
	if _, err := src.DB().ExecContext(ctx, `UPDATE units SET name = 'Xã' || char(0) || 'Lạc' WHERE code = 'D1'`); err != nil {
		t.Fatal(err)
	}
	b = backup(t, src)
	dst = storetest.Open(t)
	_, err = dst.Restore(ctx, bytes.NewReader(b))
	if dst.Dialect() == store.SQLite {
		if err != nil {
			t.Fatalf("restore into SQLite: %v", err)
		}
		u, err := dst.UnitByCode(ctx, "D1", "2025-01-01")
		if err != nil || u.Name != "Xã\x00Lạc" {
			t.Fatalf("unit after restore: %q %v", u.Name, err)
		}
		return
	}
	var re *store.RestoreError
	if !errors.As(err, &re) || re.Table != "units" || re.Column != "name" || re.Line < 2 || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("restore of a NUL byte into PostgreSQL: %v", err)
	}
	nothingRestored(t, dst)
}

// io_Reader hides a reader's Seek method.
type io_Reader interface{ Read([]byte) (int, error) }

// TestReadsDoNotWaitForWrites holds a write transaction open and reads on
// the store meanwhile: the read completes (it would wait forever behind a
// single connection), sees the last committed state, and, after the commit,
// sees the write.
func TestReadsDoNotWaitForWrites(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	q := `UPDATE units SET name = 'Tỉnh Mới' WHERE id = ?`
	if st.Dialect() == store.Postgres {
		q = `UPDATE units SET name = 'Tỉnh Mới' WHERE id = $1`
	}
	if _, err := tx.ExecContext(ctx, q, ids["P38"]); err != nil {
		t.Fatal(err)
	}
	// The deadline only keeps a regression from hanging the run.
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	done := make(chan error, 1)
	var name string
	go func() {
		u, err := st.GetUnit(rctx, ids["P38"])
		name = u.Name
		done <- err
	}()
	if err := <-done; err != nil {
		t.Fatalf("read during a write transaction: %v", err)
	}
	if name != "Tỉnh Thanh Hóa" {
		t.Fatalf("read saw uncommitted %q", name)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if u, err := st.GetUnit(ctx, ids["P38"]); err != nil || u.Name != "Tỉnh Mới" {
		t.Fatalf("read after commit: %q %v", u.Name, err)
	}
}

// TestReadPoolRefusesWrites: a write sent to the read pool fails on SQLite
// instead of queueing for the write lock.
func TestReadPoolRefusesWrites(t *testing.T) {
	st := storetest.Open(t)
	_, err := st.ReadDB().ExecContext(ctx, `DELETE FROM units`)
	if st.Dialect() == store.SQLite && err == nil {
		t.Fatal("the SQLite read pool accepted a write")
	}
	if st.Dialect() == store.Postgres && err != nil {
		t.Fatalf("PostgreSQL shares one pool: %v", err)
	}
}

func TestUniqueViolationIsConflict(t *testing.T) {
	st := storetest.Open(t)
	smallTree(t, st)
	// A unique index (code, valid_from) and a primary key.
	u := org.Unit{Code: "P38", Name: "Trùng", Kind: org.KindProvince, ValidFrom: "2000-01-01"}
	if err := st.CreateUnit(ctx, sys, &u); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate unit code: %v", err)
	}
	users(t, st, "dup", 1)
	d := account.User{Username: "dup000", FullName: "x", PasswordHash: "x"}
	if err := st.CreateUser(ctx, sys, &d); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate user: %v", err)
	}
}

// TestRekeyLegacyChain: a log written by an earlier version (an unkeyed
// SHA-256 chain), with entries appended after the upgrade, is re-keyed once
// and then verifies; a changed legacy log is refused and left as it was.
func TestRekeyLegacyChain(t *testing.T) {
	st := storetest.Open(t)
	users(t, st, "u", 6)
	rows, _, err := st.ListAudit(ctx, store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite entries 1–4 as the earlier version did; 5 and 6 stay as
	// written after the upgrade, chained onto the old hashes.
	es := make([]audit.Entry, len(rows))
	for i, e := range rows {
		es[len(rows)-1-i] = e
	}
	key := []byte(storetest.AuditKey)
	prev := audit.Genesis
	ph := func(q string) string {
		if st.Dialect() == store.Postgres {
			return strings.NewReplacer("?1", "$1", "?2", "$2", "?3", "$3").Replace(q)
		}
		return strings.NewReplacer("?1", "?", "?2", "?", "?3", "?").Replace(q)
	}
	for i := range es {
		es[i].PrevHash = prev
		if i < 4 {
			es[i].Hash = audit.LegacyHash(prev, es[i])
		} else {
			es[i].Hash = audit.Hash(key, prev, es[i])
		}
		prev = es[i].Hash
		if _, err := st.DB().ExecContext(ctx, ph(`UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3`), es[i].PrevHash, es[i].Hash, es[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.VerifyAudit(ctx); err == nil {
		t.Fatal("an unkeyed chain verified")
	}
	// A legacy log changed behind danvan's back is not re-keyed.
	if _, err := st.DB().ExecContext(ctx, ph(`UPDATE audit_log SET actor_name = 'mallory' WHERE id = ?1`), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RekeyAudit(ctx); !errors.Is(err, store.ErrNotLegacy) {
		t.Fatalf("changed legacy log re-keyed: %v", err)
	}
	if _, err := st.DB().ExecContext(ctx, ph(`UPDATE audit_log SET actor_name = ?1 WHERE id = ?2`), es[1].Actor, 2); err != nil {
		t.Fatal(err)
	}
	n, err := st.RekeyAudit(ctx)
	if err != nil || n != 6 {
		t.Fatalf("rekey: %d %v", n, err)
	}
	users(t, st, "after", 2)
	if n, err := st.VerifyAudit(ctx); err != nil || n != 8 {
		t.Fatalf("verify after rekey: %d %v", n, err)
	}
	if _, err := st.RekeyAudit(ctx); !errors.Is(err, store.ErrNotLegacy) {
		t.Fatalf("a keyed chain re-keyed again: %v", err)
	}
}

// TestRestoreLegacyBackup: a backup of an earlier version (unkeyed chain) is
// refused by a plain restore, with a pointer to --legacy-audit, and restored
// and keyed by RestoreLegacy.
func TestRestoreLegacyBackup(t *testing.T) {
	src := storetest.Open(t)
	users(t, src, "u", 4)
	rows, _, err := src.ListAudit(ctx, store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	q := `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`
	if src.Dialect() == store.Postgres {
		q = `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3`
	}
	prev := audit.Genesis
	for i := len(rows) - 1; i >= 0; i-- {
		e := rows[i]
		e.PrevHash, e.Hash = prev, audit.LegacyHash(prev, e)
		if _, err := src.DB().ExecContext(ctx, q, e.PrevHash, e.Hash, e.ID); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	b := backup(t, src)
	dst := storetest.Open(t)
	if _, err := dst.Restore(ctx, bytes.NewReader(b)); !errors.Is(err, store.ErrLegacyAuditBackup) {
		t.Fatalf("plain restore of a legacy backup: %v", err)
	}
	nothingRestored(t, dst)
	if _, err := dst.RestoreLegacy(ctx, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	if n, err := dst.VerifyAudit(ctx); err != nil || n != 4 {
		t.Fatalf("verify after legacy restore: %d %v", n, err)
	}
}

// TestAnotherKeyCannotExtendTheChain: a second process on the same database
// with another audit key (a command run without the server's
// DANVAN_AUDIT_KEY) does not chain entries with it.
func TestAnotherKeyCannotExtendTheChain(t *testing.T) {
	opts := storetest.Options(t)
	dsn := storetest.DSN(t)
	if !strings.HasPrefix(dsn, "postgres") {
		dsn = filepath.Join(opts.DataDir, "k.db")
	}
	st, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	users(t, st, "u", 2)
	if _, err := st.SealAudit(ctx); err != nil {
		t.Fatal(err)
	}
	other := opts
	other.AuditKey = "a different key, at least 32 characters"
	st2, err := store.Open(ctx, dsn, other)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	u := account.User{Username: "other_key", FullName: "Khác", PasswordHash: "x"}
	err = st2.CreateUser(ctx, sys, &u)
	if st2.Dialect() == store.SQLite {
		if !errors.Is(err, store.ErrAuditKeyMismatch) {
			t.Fatalf("write with another key: %v", err)
		}
	} else {
		// PostgreSQL: the entry waits in audit_pending; the other key does not seal it.
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st2.SealAudit(ctx); !errors.Is(err, store.ErrAuditKeyMismatch) {
			t.Fatalf("seal with another key: %v", err)
		}
	}
	if n, err := st.VerifyAudit(ctx); err != nil || (n != 2 && n != 3) {
		t.Fatalf("verify with the right key: %d %v", n, err)
	}
}

// TestTwoProcessesShareOneChain: two stores on one database (two replicas,
// or the server and a command) write at once; the chain has every entry
// once, in one line.
func TestTwoProcessesShareOneChain(t *testing.T) {
	opts := storetest.Options(t)
	dsn := storetest.DSN(t)
	if !strings.HasPrefix(dsn, "postgres") {
		dsn = filepath.Join(opts.DataDir, "two.db")
	}
	var sts []*store.Store
	for range 2 {
		st, err := store.Open(ctx, dsn, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		sts = append(sts, st)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := sts[w%2]
			for i := range 10 {
				u := account.User{Username: fmt.Sprintf("r%d-%d", w, i), FullName: "Người dùng", PasswordHash: "x"}
				if err := st.CreateUser(ctx, sys, &u); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, st := range sts {
		if n, err := st.VerifyAudit(ctx); err != nil || n != 80 {
			t.Fatalf("verify: %d %v", n, err)
		}
	}
}
