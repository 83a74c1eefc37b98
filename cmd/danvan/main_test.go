package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/store/storetest"
)

// cli runs the command in-process and returns its exit status and output.
func runCLI(t *testing.T, in string, args ...string) (int, string, string) {
	t.Helper()
	stdin = strings.NewReader(in)
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		code, _, stderr := runCLI(t, "", c.name, "--help")
		if code != 0 {
			t.Errorf("%s --help: exit %d", c.name, code)
		}
		if !strings.Contains(stderr, "Usage: danvan "+c.name) {
			t.Errorf("%s --help printed no usage: %q", c.name, stderr)
		}
	}
	if code, out, _ := runCLI(t, "", "--help"); code != 0 || !strings.Contains(out, "import") {
		t.Fatalf("danvan --help: %d %q", code, out)
	}
	if code, _, stderr := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, stderr)
	}
}

func TestAdministrationFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	// Both installations share the audit key, so that one restores the other's backup.
	t.Setenv("DANVAN_AUDIT_KEY", storetest.AuditKey)
	// The engine under test: a SQLite data directory, or a fresh PostgreSQL
	// schema with a data directory of its own (for the audit checkpoints).
	where := func() []string {
		dsn := storetest.DSN(t)
		if strings.HasPrefix(dsn, "postgres") {
			return []string{"--db", dsn, "--data", t.TempDir()}
		}
		return []string{"--data", filepath.Dir(dsn)}
	}
	data := where()
	csvPath := filepath.Join(dir, "units.csv")
	os.WriteFile(csvPath, []byte("code,name,kind,parent_code,valid_from,valid_to,remote\nP1,Tỉnh Thử,province,,2020-01-01,,\nC1,Xã Đông Sơn,commune,P1,2020-01-01,,true\n"), 0o600)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("code,name,kind,parent_code,valid_from,valid_to,remote\nX1,,commune,,2020-01-01,,\nX2,Xã B,hamlet,,2020-01-01,,\n"), 0o600)

	merges := filepath.Join(dir, "merges.json")
	os.WriteFile(merges, []byte(`{"province":{"level2s":[{"level2_id":"W1","name":"Phường Mới","merges":[{"old_id":"C1","name":"Xã Đông Sơn","type":"full"}]}]}}`), 0o600)

	steps := []struct {
		name string
		in   string
		args []string
		code int
		want string
	}{
		{"migrate", "", []string{"migrate"}, 0, "schema version"},
		{"import bad", "", []string{"import", "units", bad}, 1, "line 2, column name"},
		{"import", "", []string{"import", "units", csvPath}, 0, "2 created"},
		{"import again", "", []string{"import", "units", csvPath}, 0, "2 unchanged"},
		{"import missing file", "", []string{"import", "units", filepath.Join(dir, "nope.csv")}, 1, "no such file"},
		{"import wrong kind", "", []string{"import", "people", csvPath}, 2, "want: import units FILE"},
		{"import merges bad date", "", []string{"import", "merges", merges, "--effective", "2025-13-01"}, 2, "effective: "},
		{"user add short password", "short\n", []string{"user", "add", "lan", "--name", "Vũ Thị Lan"}, 2, "at least 10"},
		{"user add", "mật khẩu đủ dài\n", []string{"user", "add", "lan", "--name", "Vũ Thị Lan"}, 0, "created user lan"},
		{"user add twice", "mật khẩu đủ dài\n", []string{"user", "add", "lan"}, 1, "already exists"},
		{"grant bad role", "", []string{"user", "grant", "lan", "king", "C1"}, 2, "unknown role"},
		{"grant bad unit", "", []string{"user", "grant", "lan", "unit_officer", "ZZZ"}, 1, "no unit"},
		{"grant", "", []string{"user", "grant", "lan", "unit_officer", "C1"}, 0, "granted unit_officer to lan on Xã Đông Sơn"},
		{"list", "", []string{"user", "list"}, 0, "unit_officer@Xã Đông Sơn"},
		{"passwd", "mật khẩu mới dài\n", []string{"user", "passwd", "lan"}, 0, "password changed"},
		{"token", "", []string{"token", "create", "lan"}, 0, "dvt_"},
		{"audit verify", "", []string{"audit", "verify"}, 0, "audit log intact"},
		{"backup", "", []string{"backup", filepath.Join(dir, "b.gz")}, 0, ""},
		{"version", "", []string{"version"}, 0, "danvan"},
	}
	for _, s := range steps {
		args := s.args
		if s.name != "version" {
			args = append(append([]string{}, s.args...), data...)
		}
		code, out, errOut := runCLI(t, s.in, args...)
		if code != s.code || !strings.Contains(out+errOut, s.want) {
			t.Fatalf("%s: exit %d (want %d), output %q %q, want %q", s.name, code, s.code, out, errOut, s.want)
		}
	}
	// Offboarding: tokens are listed and revoked; disabling revokes the rest.
	cli := func(in string, args ...string) (int, string) {
		t.Helper()
		code, out, errOut := runCLI(t, in, append(args, data...)...)
		return code, out + errOut
	}
	if code, out := cli("", "token", "create", "lan", "--name", "thứ hai", "--days", "7"); code != 0 || !strings.HasPrefix(out, "dvt_") {
		t.Fatalf("token create --days: %d %q", code, out)
	}
	if code, out := cli("", "token", "create", "lan", "--days", "100000"); code != 2 || !strings.Contains(out, "days") {
		t.Fatalf("token create with a lifetime out of bounds: %d %q", code, out)
	}
	code, out := cli("", "token", "list", "lan")
	ids := regexp.MustCompile(`(?m)^(\d+)\s+thứ hai\s.*active$`).FindStringSubmatch(out)
	if code != 0 || ids == nil || !strings.Contains(out, "2 token(s)") {
		t.Fatalf("token list: %d %q", code, out)
	}
	if code, out := cli("", "token", "revoke", ids[1]); code != 0 || !strings.Contains(out, "revoked token "+ids[1]) {
		t.Fatalf("token revoke: %d %q", code, out)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"token", "revoke", "abc"}, 2, "token number"},
		{[]string{"token", "revoke", "999999"}, 1, "no token 999999"},
		{[]string{"token", "list", "nobody"}, 1, "no user nobody"},
		{[]string{"user", "disable", "nobody"}, 1, "no user nobody"},
		{[]string{"user", "disable"}, 2, "want: user disable USERNAME"},
		{[]string{"user", "disable", "lan"}, 0, "disabled lan"},
		{[]string{"user", "list"}, 0, "(disabled)"},
		{[]string{"user", "enable", "lan"}, 0, "enabled lan"},
	} {
		if code, out := cli("", c.args...); code != c.code || !strings.Contains(out, c.want) {
			t.Fatalf("%v: exit %d (want %d), %q, want %q", c.args, code, c.code, out, c.want)
		}
	}
	code, out = cli("", "token", "list", "lan")
	if code != 0 || strings.Contains(out, "active") || strings.Count(out, "revoked ") != 2 {
		t.Fatalf("after disabling, every token is revoked: %q", out)
	}
	// Restore into a second, empty data directory; restoring again is refused.
	other := where()
	if code, out, errOut := runCLI(t, "", append([]string{"restore", filepath.Join(dir, "b.gz")}, other...)...); code != 0 || !strings.Contains(out, "audit chain verified") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", append([]string{"restore", filepath.Join(dir, "b.gz")}, other...)...); code != 1 || !strings.Contains(errOut, "empty database") {
		t.Fatalf("second restore: %d %q", code, errOut)
	}
	if code, out, _ := runCLI(t, "", append([]string{"user", "list"}, other...)...); code != 0 || !strings.Contains(out, "Vũ Thị Lan") {
		t.Fatalf("restored users: %q", out)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--addr", "nonsense"}, "address"},
		{[]string{"serve", "--db", "mysql://x"}, "postgres://"},
		{[]string{"serve", "--secure-cookie", "sometimes"}, "secure-cookie"},
		{[]string{"migrate", "--no-such-flag"}, "flag provided but not defined"},
	}
	for _, tc := range tests {
		code, _, errOut := runCLI(t, "", tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q (want %q)", tc.args, code, errOut, tc.want)
		}
	}
}
