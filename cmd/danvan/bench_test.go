package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestBenchReportSmall runs the benchmark on a tiny dataset (SQLite, or the
// test PostgreSQL) and checks the figures line; timings are not asserted.
func TestBenchReportSmall(t *testing.T) {
	args := []string{"bench", "report", "--provinces", "3", "--communes", "12", "--indicators", "12", "--periods", "3", "--reads", "5", "--submits", "3"}
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
	for _, k := range []string{"rows", "build_seconds", "consolidate_province_ms_p50", "consolidate_province_ms_p95", "consolidate_nation_ms_p95", "submit_to_visible_ms", "db"} {
		if _, ok := fig[k]; !ok {
			t.Errorf("figure %s missing: %v", k, fig)
		}
	}
	if fig["rows"].(float64) != 12*12*3 {
		t.Errorf("rows = %v", fig["rows"])
	}
	if code, _, _ := runCLI(t, "", "bench", "nothing"); code != 2 {
		t.Errorf("bench nothing: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "", "bench", "report", "--communes", "1", "--provinces", "2"); code != 2 {
		t.Errorf("fewer communes than provinces: exit %d, want 2", code)
	}
}
