package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/benchapi"
)

const benchCasesSynopsis = "bench cases [--db postgres://…] [--clients 64] [--cases 1000000] [--duration 10s] [--cpuprofile FILE]"

// runBenchCases runs `danvan bench cases`: public intake (web form and
// JSON API), tracking lookups and the handlers' list over loopback HTTP,
// on a temporary database holding --cases synthetic cases. Its last line
// is one JSON object with intake_rps, intake_p99_ms, lookup_rps,
// search_p95_ms and rss_mb among others.
func runBenchCases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench cases", benchCasesSynopsis, stderr)
	dbURL := fs.String("db", "", "PostgreSQL URL: the benchmark runs in a fresh schema there, dropped afterwards (default: a temporary SQLite file)")
	clients := fs.Int("clients", 64, "concurrent HTTP clients of each phase")
	cases := fs.Int("cases", 1000000, "synthetic cases stored before the phases")
	duration := fs.Duration("duration", 10*time.Second, "length of each measured phase")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("bench cases takes no arguments")
	}
	if *duration < 10*time.Millisecond || *duration > time.Hour || *clients < 1 || *clients > 1024 || *cases < 1 || *cases > 10_000_000 {
		return usagef("bench cases: need 10ms ≤ duration ≤ 1h, 1 ≤ clients ≤ 1024, 1 ≤ cases ≤ 10000000")
	}
	if *dbURL != "" && !strings.HasPrefix(*dbURL, "postgres://") && !strings.HasPrefix(*dbURL, "postgresql://") {
		return usagef("bench cases: --db must be a postgres:// URL")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fig, err := benchapi.RunCases(ctx, benchapi.CasesOptions{DB: *dbURL, Clients: *clients, Cases: *cases, Duration: *duration, Log: stdout})
	if err != nil {
		return err
	}
	b, err := json.Marshal(fig)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, string(b))
	return nil
}
