package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestBenchCasesSmall runs `danvan bench cases` on 2,000 cases for a
// second per phase (SQLite, or the test PostgreSQL) and checks the last
// line: every figure present, no request failed, every acknowledged case
// stored. Timings are printed, never asserted.
func TestBenchCasesSmall(t *testing.T) {
	args := []string{"bench", "cases", "--cases", "2000", "--duration", "1s", "--clients", "8"}
	if pg := os.Getenv("DANVAN_TEST_POSTGRES"); pg != "" {
		args = append(args, "--db", pg)
	}
	code, out, stderr := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var fig map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &fig); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"intake_rps", "intake_p99_ms", "lookup_rps", "search_p95_ms", "rss_mb", "db", "cases"} {
		if _, ok := fig[k]; !ok {
			t.Errorf("figure %s missing: %v", k, fig)
		}
	}
	if fig["errors"] != 0.0 || fig["intake_rps"] == 0.0 || fig["lookup_rps"] == 0.0 || fig["intake_acked"] != fig["intake_stored"] || fig["cases"] != 2000.0 {
		t.Errorf("figures: %v", fig)
	}
	if code, _, _ := runCLI(t, "", "bench", "cases", "--clients", "0"); code != 2 {
		t.Errorf("no clients: exit %d, want 2", code)
	}
}
