package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestBackupFromSQLiteRestoreIntoEngine backs up a SQLite installation and
// restores it into the engine under test (PostgreSQL when
// DANVAN_TEST_POSTGRES is set), from a file and from standard input; a
// source whose audit chain was changed is refused and nothing is written.
func TestBackupFromSQLiteRestoreIntoEngine(t *testing.T) {
	t.Setenv("DANVAN_AUDIT_KEY", storetest.AuditKey)
	src := []string{"--data", t.TempDir()}
	target := func() []string {
		dsn := storetest.DSN(t)
		if strings.HasPrefix(dsn, "postgres") {
			return []string{"--db", dsn, "--data", t.TempDir()}
		}
		return []string{"--data", filepath.Dir(dsn)}
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "units.csv")
	if err := os.WriteFile(csvPath, []byte("code,name,kind,parent_code,valid_from,valid_to,remote\nP1,Tỉnh Thử,province,,2020-01-01,,\nC1,Xã Đông Sơn,commune,P1,2020-01-01,,true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	step := func(in string, want string, code int, args ...string) string {
		t.Helper()
		c, out, errOut := runCLI(t, in, args...)
		if c != code || !strings.Contains(out+errOut, want) {
			t.Fatalf("%v: exit %d (want %d): %q %q, want %q", args, c, code, out, errOut, want)
		}
		return out
	}
	with := func(where []string, args ...string) []string { return append(args, where...) }
	step("", "2 created", 0, with(src, "import", "units", csvPath)...)
	step("mật khẩu đủ dài\n", "created user lan", 0, with(src, "user", "add", "lan", "--name", "Vũ Thị Lan")...)
	b := filepath.Join(dir, "b.gz")
	step("", "backed up", 0, with(src, "backup", b)...)

	dst := target()
	step("", "audit chain verified", 0, with(dst, "restore", b)...)
	step("", "Vũ Thị Lan", 0, with(dst, "user", "list")...)
	step("", "audit log intact", 0, with(dst, "audit", "verify")...)

	raw, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	step(string(raw), "audit chain verified", 0, with(target(), "restore", "-")...)

	// Change an audit entry of the source behind danvan's back.
	st, err := store.Open(context.Background(), filepath.Join(src[1], "danvan.db"), store.Options{DataDir: src[1], AuditKey: storetest.AuditKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE audit_log SET actor_name = 'mallory' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	step("", "audit chain broken at entry 2", 1, with(src, "audit", "verify")...)
	step("", "backed up", 0, with(src, "backup", b)...)
	dst = target()
	step("", "refused, nothing written", 1, with(dst, "restore", b)...)
	if out := step("", "", 0, with(dst, "user", "list")...); strings.Contains(out, "lan") {
		t.Fatalf("a refused restore wrote users: %q", out)
	}
}
