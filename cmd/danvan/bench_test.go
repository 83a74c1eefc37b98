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

// TestBenchAPISmall runs `danvan bench api` with tiny phases and few reports
// (SQLite, or the test PostgreSQL) and checks that the last line carries
// every figure, that every phase answered, and that no request failed.
// Timings and ratios are printed by the command, never asserted.
func TestBenchAPISmall(t *testing.T) {
	args := []string{"bench", "api", "--duration", "150ms", "--reports", "40", "--clients", "2,3", "--readers", "2"}
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
	for _, k := range []string{"db", "read_ratio", "save_ratio", "submit_ratio", "read_p99_under_writes_ratio", "list_page_100k_ms", "progress_ratio",
		"read_req_s", "raw_read_req_s", "save_req_s", "raw_insert_req_s", "submit_req_s", "read_p99_alone_ms", "read_p99_under_writes_ms", "pages_ms"} {
		if _, ok := fig[k]; !ok {
			t.Errorf("figure %s missing", k)
		}
	}
	for _, phase := range []string{"danvan_read_2", "raw_read_2", "danvan_read_3", "raw_read_3", "danvan_save_2", "raw_insert_2", "danvan_save_3", "raw_insert_3",
		"danvan_progress_2", "danvan_progress_3", "danvan_submit_2", "danvan_read_alone_2", "danvan_read_2_under_2_writers", "raw_read_alone_2", "raw_read_2_under_2_writers"} {
		f, ok := fig[phase].(map[string]any)
		if !ok {
			t.Errorf("phase %s missing", phase)
			continue
		}
		for _, k := range []string{"req_s", "p50_ms", "p99_ms"} {
			if _, ok := f[k]; !ok {
				t.Errorf("phase %s: %s missing", phase, k)
			}
		}
		if n, _ := f["ok"].(float64); n < float64(f["clients"].(float64)) {
			t.Errorf("phase %s: %v requests answered, want at least one per client: %v", phase, n, f)
		}
	}
	if n := fig["errors"]; n != float64(0) {
		t.Errorf("%v requests failed:\n%s", n, out)
	}
	if n := fig["reports"]; n != float64(40) {
		t.Errorf("reports = %v, want 40", n)
	}
	if pf, ok := fig["pages_failed"]; ok {
		t.Errorf("pages failed: %v", pf)
	}
	pages, _ := fig["pages_ms"].(map[string]any)
	for _, p := range []string{"api_reports_first_admin", "api_reports_last_leader", "api_dashboard_leader", "html_reports_first", "html_reports_last", "html_dashboard"} {
		if _, ok := pages[p]; !ok {
			t.Errorf("page %s not measured: %v", p, pages)
		}
	}
	for _, bad := range [][]string{{"--clients", "0"}, {"--clients", "x"}, {"--duration", "1ns"}, {"--db", "mysql://x"}, {"extra"}} {
		if code, _, _ := runCLI(t, "", append([]string{"bench", "api"}, bad...)...); code != 2 {
			t.Errorf("bench api %v: exit %d, want 2", bad, code)
		}
	}
}
