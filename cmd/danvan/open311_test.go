package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/store/storetest"
)

func TestOpen311KeysFromTheCommandLine(t *testing.T) {
	t.Setenv("DANVAN_AUDIT_KEY", storetest.AuditKey)
	var data []string
	// The engine under test, as in TestAdministrationFromTheCommandLine.
	if dsn := storetest.DSN(t); strings.HasPrefix(dsn, "postgres") {
		data = []string{"--db", dsn, "--data", t.TempDir()}
	} else {
		data = []string{"--data", filepath.Dir(dsn)}
	}
	cli := func(args ...string) (int, string) {
		t.Helper()
		code, out, errb := runCLI(t, "", append(args, data...)...)
		return code, out + errb
	}
	code, out := cli("open311", "key", "create", "Ứng dụng Thanh Hóa số")
	key := strings.TrimSpace(out)
	if code != 0 || !regexp.MustCompile(`^o311_[A-Za-z0-9_-]{32}$`).MatchString(key) {
		t.Fatalf("key create: %d %q", code, out)
	}
	if code, out = cli("open311", "key", "create", "Cổng dịch vụ công"); code != 0 || strings.TrimSpace(out) == key {
		t.Fatalf("second key: %d %q", code, out)
	}
	code, out = cli("open311", "key", "list")
	if code != 0 || !strings.Contains(out, "2 key(s)") || !strings.Contains(out, "Ứng dụng Thanh Hóa số") || strings.Contains(out, key) {
		t.Fatalf("key list: %d %q", code, out)
	}
	id := regexp.MustCompile(`(?m)^(\d+)\s+Ứng dụng`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("no id in %q", out)
	}
	if code, out = cli("open311", "key", "revoke", id[1]); code != 0 || !strings.Contains(out, "revoked key "+id[1]) {
		t.Fatalf("key revoke: %d %q", code, out)
	}
	if code, out = cli("open311", "key", "list"); !strings.Contains(out, "revoked ") {
		t.Fatalf("after revoking: %d %q", code, out)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"open311", "key", "revoke", "abc"}, 2, "key number"},
		{[]string{"open311", "key", "revoke", "999999"}, 1, "no key 999999"},
		{[]string{"open311", "key", "create", " "}, 2, "name"},
		{[]string{"open311", "key"}, 2, "want: open311 key"},
		{[]string{"open311", "keys", "list"}, 2, "want: open311 key"},
		{[]string{"open311", "key", "list", "extra"}, 2, "want: open311 key"},
	} {
		if code, out := cli(c.args...); code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("%v: %d %q, want %d %q", c.args, code, out, c.code, c.want)
		}
	}
}
