package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/benchapi"
)

const benchAPISynopsis = "bench api [--db postgres://…] [--duration 3s] [--clients 32,64] [--readers 8] [--reports 100000]"

// runBenchAPI runs `danvan bench api`: the real HTTP server and a raw
// one-query-per-request server on the same database, loaded side by side.
// Its last line is one JSON object with the figures and their ratios.
func runBenchAPI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench api", benchAPISynopsis, stderr)
	dbURL := fs.String("db", "", "PostgreSQL URL: the benchmark runs in a fresh schema there, dropped afterwards (default: a temporary SQLite file)")
	duration := fs.Duration("duration", 3*time.Second, "length of each measured phase")
	clients := fs.String("clients", "32,64", "client counts of the throughput phases (the smallest is also the number of writers while reads are measured)")
	readers := fs.Int("readers", 8, "clients whose read latency is measured alone and while the writers run")
	reports := fs.Int("reports", 100000, "reports stored before the list pages and the dashboard are measured")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("bench api takes no arguments")
	}
	var counts []int
	for _, f := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1024 {
			return usagef("bench api: --clients wants numbers from 1 to 1024, like 32,64")
		}
		counts = append(counts, n)
	}
	if *duration < 10*time.Millisecond || *duration > time.Hour || *readers < 1 || *readers > 1024 || *reports < 0 || *reports > 10_000_000 {
		return usagef("bench api: need 10ms ≤ duration ≤ 1h, 1 ≤ readers ≤ 1024, 0 ≤ reports ≤ 10000000")
	}
	if *dbURL != "" && !strings.HasPrefix(*dbURL, "postgres://") && !strings.HasPrefix(*dbURL, "postgresql://") {
		return usagef("bench api: --db must be a postgres:// URL")
	}
	fig, err := benchapi.Run(ctx, benchapi.Options{DB: *dbURL, Duration: *duration, Clients: counts, Readers: *readers, Reports: *reports, Log: stdout})
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
