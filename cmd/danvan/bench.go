package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// runBench runs `danvan bench report`: a synthetic national dataset in a
// temporary database, then timings of consolidated reads and of a
// commune's submission becoming visible in the national figure.
// `danvan bench api` is in bench_api.go.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "api" {
		return runBenchAPI(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "cases" {
		return runBenchCases(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "report" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, "Usage: danvan bench report [--db postgres://…] [--provinces 34] [--communes 3321] [--indicators 200] [--periods 48]")
			fmt.Fprintln(stderr, "       danvan "+benchAPISynopsis)
			fmt.Fprintln(stderr, "       danvan "+benchCasesSynopsis)
			return nil
		}
		return usagef("bench: want a benchmark name: report, api or cases")
	}
	fs := newFlags("bench report", "bench report [--db postgres://…] [--provinces 34] [--communes 3321] [--indicators 200] [--periods 48] [--reads 200] [--submits 20]", stderr)
	dbURL := fs.String("db", "", "PostgreSQL URL: the benchmark runs in a fresh schema there, dropped afterwards (default: a temporary SQLite file)")
	provinces := fs.Int("provinces", 34, "provinces")
	communes := fs.Int("communes", 3321, "communes, spread over the provinces")
	indicators := fs.Int("indicators", 200, "numeric indicators in the template")
	periods := fs.Int("periods", 48, "monthly periods (from January 2022)")
	reads := fs.Int("reads", 200, "consolidated reads measured at each level")
	submits := fs.Int("submits", 20, "submissions measured")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("bench report takes no arguments")
	}
	if *provinces < 1 || *communes < *provinces || *indicators < 1 || *indicators > 500 || *periods < 1 || *reads < 1 || *submits < 1 {
		return usagef("bench report: need provinces ≥ 1, communes ≥ provinces, 1 ≤ indicators ≤ 500, periods, reads, submits ≥ 1")
	}
	if *dbURL != "" && !strings.HasPrefix(*dbURL, "postgres://") && !strings.HasPrefix(*dbURL, "postgresql://") {
		return usagef("bench report: --db must be a postgres:// URL")
	}

	var st *store.Store
	var cleanup func() error
	if *dbURL != "" {
		st, cleanup, err = store.OpenScratchSchema(ctx, *dbURL)
		if err != nil {
			return err
		}
	} else {
		dir, err := os.MkdirTemp("", "danvan-bench-")
		if err != nil {
			return err
		}
		st, err = store.Open(ctx, filepath.Join(dir, "bench.db"))
		if err != nil {
			os.RemoveAll(dir)
			return err
		}
		if _, err := st.Migrate(ctx); err != nil {
			st.Close()
			os.RemoveAll(dir)
			return err
		}
		cleanup = func() error { st.Close(); return os.RemoveAll(dir) }
	}
	defer func() {
		if err := cleanup(); err != nil {
			fmt.Fprintln(stderr, "bench: cleanup:", err)
		}
	}()
	db := string(st.Dialect())
	fmt.Fprintf(stdout, "danvan bench report on %s: %d provinces, %d communes, %d indicators, %d monthly periods\n", db, *provinces, *communes, *indicators, *periods)

	start := time.Now()
	progress := func(msg string) { fmt.Fprintf(stdout, "  %6.1fs %s\n", time.Since(start).Seconds(), msg) }
	d, err := st.BenchLoad(ctx, store.BenchParams{Provinces: *provinces, Communes: *communes, Indicators: *indicators, Periods: *periods}, progress)
	if err != nil {
		return err
	}
	load := time.Since(start)
	progress(fmt.Sprintf("%d values loaded", d.Values))
	t0 := time.Now()
	if err := st.RebuildAggregates(ctx, d.TemplateID); err != nil {
		return err
	}
	rebuild := time.Since(t0)
	build := time.Since(start)
	progress(fmt.Sprintf("aggregates built in %.1fs", rebuild.Seconds()))

	rng := rand.New(rand.NewPCG(1, 2))
	// A read is what the page does: the unit's figures for every indicator
	// and its children's figures for one indicator (drill).
	view := func(unit int64, p store.Period, drill ...int64) (store.Consolidation, time.Duration, error) {
		t := time.Now()
		c, err := st.ConsolidatedView(ctx, d.TemplateID, unit, p.Type, p.Year, p.Number, drill...)
		return c, time.Since(t), err
	}
	ind := func() int64 { return d.Indicators[rng.IntN(len(d.Indicators))] }
	var prov, nation, provFull, nationFull []time.Duration
	for i := 0; i < *reads; i++ {
		p := d.Periods[rng.IntN(len(d.Periods))]
		c, dt, err := view(d.Provinces[rng.IntN(len(d.Provinces))], p, ind())
		if err != nil {
			return err
		}
		if c.NReports == 0 {
			return fmt.Errorf("bench: province view has no reports")
		}
		prov = append(prov, dt)
		c, dt, err = view(d.NationID, d.Periods[rng.IntN(len(d.Periods))], ind())
		if err != nil {
			return err
		}
		if c.NReports != len(d.Communes) {
			return fmt.Errorf("bench: nation view counts %d reports, want %d", c.NReports, len(d.Communes))
		}
		nation = append(nation, dt)
	}
	// The same with the children's figures for every indicator (the API's default).
	for i := 0; i < max(*reads/4, 1); i++ {
		_, dt, err := view(d.Provinces[rng.IntN(len(d.Provinces))], d.Periods[rng.IntN(len(d.Periods))])
		if err != nil {
			return err
		}
		provFull = append(provFull, dt)
		_, dt, err = view(d.NationID, d.Periods[rng.IntN(len(d.Periods))])
		if err != nil {
			return err
		}
		nationFull = append(nationFull, dt)
	}

	// Submit to visible: the parent returns a commune's report; the commune
	// changes a value and submits again through the reports code (as the web
	// does); the national figure is read back and checked.
	sumIdx := 5 // a summed indicator
	if sumIdx >= len(d.Indicators) {
		sumIdx = 0
	}
	code := fmt.Sprintf("i%03d", sumIdx)
	actor := audit.System("bench")
	var visible []time.Duration
	for i := 0; i < *submits; i++ {
		p := d.Periods[rng.IntN(len(d.Periods))]
		unit := d.Communes[rng.IntN(len(d.Communes))]
		before, _, err := view(d.NationID, p, d.Indicators[sumIdx])
		if err != nil {
			return err
		}
		old := cellValue(before, d.Indicators[sumIdx])
		rid, err := st.BenchReportID(ctx, d.TemplateID, unit, p)
		if err != nil {
			return err
		}
		rep, err := st.GetReport(ctx, rid)
		if err != nil {
			return err
		}
		rep, err = st.ReturnReport(ctx, actor, rid, rep.Version, "bench: please correct")
		if err != nil {
			return fmt.Errorf("bench: return: %w", err)
		}
		cur, _ := report.ParseNumber(rep.Values[code])
		delta := float64(1 + rng.IntN(9))
		vals := report.Values{}
		for k, v := range rep.Values {
			vals[k] = v
		}
		vals[code] = report.FormatNumber(cur + delta)
		t := time.Now()
		if _, fe, err := st.SubmitReport(ctx, actor, rid, rep.Version, &store.ReportDraft{Values: vals}); err != nil {
			return fmt.Errorf("bench: submit: %w %v", err, fe)
		}
		after, err := st.ConsolidatedView(ctx, d.TemplateID, d.NationID, p.Type, p.Year, p.Number, d.Indicators[sumIdx])
		if err != nil {
			return err
		}
		dt := time.Since(t)
		if got := cellValue(after, d.Indicators[sumIdx]); got != old+delta {
			return fmt.Errorf("bench: national figure %v after submit, want %v", got, old+delta)
		}
		visible = append(visible, dt)
	}

	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	q := func(ds []time.Duration, f float64) float64 {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return ms(s[min(len(s)-1, int(f*float64(len(s))))])
	}
	fmt.Fprintf(stdout, "\nrows (report values)           %d in %d reports\n", d.Values, d.Reports)
	fmt.Fprintf(stdout, "build                          %.1f s (load %.1f s, aggregates %.1f s)\n", build.Seconds(), load.Seconds(), rebuild.Seconds())
	fmt.Fprintf(stdout, "consolidated read, province    p50 %.1f ms, p95 %.1f ms (%d reads, children: one indicator)\n", q(prov, 0.5), q(prov, 0.95), len(prov))
	fmt.Fprintf(stdout, "consolidated read, nation      p50 %.1f ms, p95 %.1f ms (%d reads, children: one indicator)\n", q(nation, 0.5), q(nation, 0.95), len(nation))
	fmt.Fprintf(stdout, "  … children × all indicators  province p50 %.1f ms, p95 %.1f ms; nation p50 %.1f ms, p95 %.1f ms (%d reads each)\n", q(provFull, 0.5), q(provFull, 0.95), q(nationFull, 0.5), q(nationFull, 0.95), len(provFull))
	fmt.Fprintf(stdout, "submit → visible at nation     p50 %.1f ms, max %.1f ms (%d submissions)\n", q(visible, 0.5), q(visible, 1), len(visible))
	out := map[string]any{
		"db": db, "provinces": *provinces, "communes": *communes, "indicators": *indicators, "periods": *periods,
		"reports": d.Reports, "rows": d.Values,
		"build_seconds": round1(build.Seconds()), "load_seconds": round1(load.Seconds()), "aggregate_seconds": round1(rebuild.Seconds()),
		"consolidate_province_ms_p50": q(prov, 0.5), "consolidate_province_ms_p95": q(prov, 0.95),
		"consolidate_nation_ms_p50": q(nation, 0.5), "consolidate_nation_ms_p95": q(nation, 0.95),
		"province_all_children_ms_p95": q(provFull, 0.95), "nation_all_children_ms_p95": q(nationFull, 0.95),
		"submit_to_visible_ms": q(visible, 0.5), "submit_to_visible_ms_max": q(visible, 1),
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, string(b))
	return nil
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

// cellValue is the total of an indicator in a view (0 when absent).
func cellValue(c store.Consolidation, indicatorID int64) float64 {
	for _, cell := range c.Cells {
		if cell.Indicator.ID == indicatorID && cell.Category == "" && cell.Value != nil {
			return *cell.Value
		}
	}
	return 0
}
