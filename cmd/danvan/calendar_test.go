package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/store/storetest"
)

func TestCalendarHolidaysCommand(t *testing.T) {
	t.Setenv("DANVAN_AUDIT_KEY", storetest.AuditKey)
	var data []string
	if dsn := storetest.DSN(t); strings.HasPrefix(dsn, "postgres") {
		data = []string{"--db", dsn, "--data", t.TempDir()}
	} else {
		data = []string{"--data", filepath.Dir(dsn)}
	}
	if code, _, stderr := runCLI(t, "", append([]string{"migrate"}, data...)...); code != 0 {
		t.Fatalf("migrate: %d %s", code, stderr)
	}
	code, out, stderr := runCLI(t, "", append([]string{"calendar", "holidays", "2025"}, data...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"2025-01-01\tnew_year\tstatute\n", "2025-01-27\textra\tThông báo 6150/TB-LĐTBXH", "2025-02-08\tworking_weekend\t", "2025-09-02\tnational_day\tstatute\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2025-02-03") {
		t.Errorf("3 Feb 2025 listed as a day off:\n%s", out)
	}
	for _, args := range [][]string{{"calendar", "holidays", "abc"}, {"calendar", "holidays", "1800"}, {"calendar"}} {
		if code, _, _ := runCLI(t, "", append(args, data...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
