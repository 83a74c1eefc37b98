// Package benchapi is `danvan bench api`: it serves the real danvan handler
// and, in the same run, a minimal handler that does one INSERT or one SELECT
// per request on the same database with the same settings, loads both over
// loopback HTTP with the same clients, and reports each figure with its
// ratio to the raw one. Figures are printed, never asserted.
//
// `danvan bench cases` (cases.go) drives citizen-case intake, tracking
// lookups and the handlers' list over a large synthetic set of cases.
package benchapi

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/app"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// Options size a run.
type Options struct {
	// DB is a postgres:// URL (the run uses a fresh schema there, dropped
	// afterwards); empty means a temporary SQLite file.
	DB string
	// Duration of each measured phase.
	Duration time.Duration
	// Clients are the client counts of the throughput phases; the smallest
	// is also the number of writers while reads are measured.
	Clients []int
	// Readers measure read latency alone and while the writers run.
	Readers int
	// Reports stored in bulk before the list pages are measured.
	Reports int
	// Log receives progress lines and the human-readable figures.
	Log io.Writer
}

// Run performs the benchmark and returns the figures of the last line.
func Run(ctx context.Context, o Options) (map[string]any, error) {
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Duration <= 0 || len(o.Clients) == 0 || o.Readers < 1 || o.Reports < 0 {
		return nil, errors.New("bench api: need a duration, client counts, readers ≥ 1 and reports ≥ 0")
	}
	started := time.Now()
	say := func(format string, a ...any) {
		fmt.Fprintf(o.Log, "  %6.1fs ", time.Since(started).Seconds())
		fmt.Fprintf(o.Log, format+"\n", a...)
	}

	st, dsn, cleanup, err := openStore(ctx, o.DB)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := cleanup(); err != nil {
			fmt.Fprintln(o.Log, "bench api: cleanup:", err)
		}
	}()
	engine := string(st.Dialect())
	maxClients := 0
	for _, c := range o.Clients {
		maxClients = max(maxClients, c)
	}
	minClients := o.Clients[0]
	for _, c := range o.Clients {
		minClients = min(minClients, c)
	}
	fmt.Fprintf(o.Log, "danvan bench api on %s: clients %v, %d readers, %s per phase, %d reports\n", engine, o.Clients, o.Readers, o.Duration, o.Reports)

	fx, err := setup(ctx, st, maxClients, o.Reports, say)
	if err != nil {
		return nil, fmt.Errorf("bench api: setup: %w", err)
	}

	// The danvan server, wired as `danvan serve` wires it.
	danvanURL, stopDanvan, err := startDanvan(ctx, st)
	if err != nil {
		return nil, err
	}
	defer stopDanvan()
	raw, err := openRaw(ctx, st, dsn)
	if err != nil {
		return nil, err
	}
	defer raw.close()
	rawURL, stopRaw, err := serveOnLoopback(raw)
	if err != nil {
		return nil, err
	}
	defer stopRaw()
	say("servers ready: danvan %s, raw %s (%s)", danvanURL, rawURL, raw.settings)

	hc := &http.Client{Transport: &http.Transport{
		MaxIdleConns: 4 * maxClients, MaxIdleConnsPerHost: 4 * maxClients, IdleConnTimeout: time.Minute,
		DisableCompression: true, ForceAttemptHTTP2: false,
	}}
	defer hc.CloseIdleConnections()

	out := map[string]any{"db": engine, "duration_s": o.Duration.Seconds(), "clients": o.Clients, "readers": o.Readers, "reports": fx.reports,
		"gomaxprocs": gomaxprocs(), "raw_settings": raw.settings}

	// List pages and the dashboard at the stored number of reports, before
	// any write phase adds to it.
	pages, failedPages, err := measurePages(ctx, hc, danvanURL, fx, say)
	if err != nil {
		return nil, err
	}
	if len(failedPages) > 0 {
		out["pages_failed"] = failedPages
	}
	slowest, slowestName := 0.0, ""
	for name, ms := range pages {
		if ms > slowest {
			slowest, slowestName = ms, name
		}
	}
	out["pages_ms"] = pages
	out["list_page_100k_ms"] = slowest
	out["list_page_slowest"] = slowestName

	// Drafts for the submission phases (each client submits its own).
	perClient := max(20, min(1200, int(o.Duration.Seconds()*150)))
	if err := fx.seedSubmitDrafts(ctx, st, perClient, minClients); err != nil {
		return nil, fmt.Errorf("bench api: submission drafts: %w", err)
	}
	say("%d drafts ready for submission (%d per client)", perClient*minClients, perClient)

	phase := func(name string, f Figures) Figures {
		fmt.Fprintf(o.Log, "  %-34s %s\n", name, f)
		out[name] = f
		return f
	}
	// Warm both servers up (connections, caches, statements).
	drive(ctx, hc, min(time.Second, o.Duration), readers(danvanURL, fx, maxClients, true), nil)
	drive(ctx, hc, min(time.Second, o.Duration), readers(rawURL, fx, maxClients, false), nil)

	var readD, readR, saveD, saveR, submitD Figures
	for _, n := range o.Clients {
		d := phase(fmt.Sprintf("danvan_read_%d", n), drive(ctx, hc, o.Duration, readers(danvanURL, fx, n, true), nil))
		r := phase(fmt.Sprintf("raw_read_%d", n), drive(ctx, hc, o.Duration, readers(rawURL, fx, n, false), nil))
		if n == maxClients {
			readD, readR = d, r
		}
	}
	for _, n := range o.Clients {
		d := phase(fmt.Sprintf("danvan_save_%d", n), drive(ctx, hc, o.Duration, fx.savers(danvanURL, n), nil))
		r := phase(fmt.Sprintf("raw_insert_%d", n), drive(ctx, hc, o.Duration, rawWriters(rawURL, fx, n), nil))
		if n == minClients {
			saveD, saveR = d, r
		}
	}
	var progressD Figures
	for _, n := range o.Clients {
		f := phase(fmt.Sprintf("danvan_progress_%d", n), drive(ctx, hc, o.Duration, fx.progressers(danvanURL, n), nil))
		if n == minClients {
			progressD = f
		}
	}
	submitD = phase(fmt.Sprintf("danvan_submit_%d", minClients), drive(ctx, hc, o.Duration, fx.submitters(danvanURL, minClients), nil))
	// Reads alone, then the same reads while minClients clients save drafts.
	alone := phase(fmt.Sprintf("danvan_read_alone_%d", o.Readers), drive(ctx, hc, o.Duration, readers(danvanURL, fx, o.Readers, true), nil))
	under := phase(fmt.Sprintf("danvan_read_%d_under_%d_writers", o.Readers, minClients), drive(ctx, hc, o.Duration, readers(danvanURL, fx, o.Readers, true), fx.savers(danvanURL, minClients)))
	rawAlone := phase(fmt.Sprintf("raw_read_alone_%d", o.Readers), drive(ctx, hc, o.Duration, readers(rawURL, fx, o.Readers, false), nil))
	rawUnder := phase(fmt.Sprintf("raw_read_%d_under_%d_writers", o.Readers, minClients), drive(ctx, hc, o.Duration, readers(rawURL, fx, o.Readers, false), rawWriters(rawURL, fx, minClients)))

	errorsSeen := 0
	for _, v := range out {
		if f, ok := v.(Figures); ok {
			errorsSeen += f.Errors
		}
	}
	out["errors"] = errorsSeen
	out["read_ratio"] = ratio(readD.ReqPerSec, readR.ReqPerSec)
	out["save_ratio"] = ratio(saveD.ReqPerSec, saveR.ReqPerSec)
	out["submit_ratio"] = ratio(submitD.ReqPerSec, saveR.ReqPerSec)
	out["progress_ratio"] = ratio(progressD.ReqPerSec, saveR.ReqPerSec)
	out["read_p99_under_writes_ratio"] = ratio(under.P99ms, alone.P99ms)
	out["raw_read_p99_under_writes_ratio"] = ratio(rawUnder.P99ms, rawAlone.P99ms)
	out["read_req_s"], out["raw_read_req_s"] = readD.ReqPerSec, readR.ReqPerSec
	out["save_req_s"], out["raw_insert_req_s"] = saveD.ReqPerSec, saveR.ReqPerSec
	out["submit_req_s"], out["progress_req_s"] = submitD.ReqPerSec, progressD.ReqPerSec
	out["read_p99_alone_ms"], out["read_p99_under_writes_ms"] = alone.P99ms, under.P99ms
	out["total_s"] = round1(time.Since(started).Seconds())
	fmt.Fprintf(o.Log, "\nreads (%d clients)        danvan %.0f / raw %.0f req/s = %.3f×\n", maxClients, readD.ReqPerSec, readR.ReqPerSec, out["read_ratio"])
	fmt.Fprintf(o.Log, "draft saves (%d clients)  danvan %.0f / raw inserts %.0f req/s = %.3f×\n", minClients, saveD.ReqPerSec, saveR.ReqPerSec, out["save_ratio"])
	fmt.Fprintf(o.Log, "progress (%d clients)     danvan %.0f / raw inserts %.0f req/s = %.3f×\n", minClients, progressD.ReqPerSec, saveR.ReqPerSec, out["progress_ratio"])
	fmt.Fprintf(o.Log, "submissions (%d clients)  danvan %.0f / raw inserts %.0f req/s = %.3f×\n", minClients, submitD.ReqPerSec, saveR.ReqPerSec, out["submit_ratio"])
	fmt.Fprintf(o.Log, "read p99 with %d writers  %.2f ms / alone %.2f ms = %.3f× (raw: %.3f×)\n", minClients, under.P99ms, alone.P99ms, out["read_p99_under_writes_ratio"], out["raw_read_p99_under_writes_ratio"])
	fmt.Fprintf(o.Log, "slowest list page at %d reports: %s %.1f ms\n", fx.reports, slowestName, slowest)
	if errorsSeen > 0 {
		fmt.Fprintf(o.Log, "%d requests failed (see first_error of each phase)\n", errorsSeen)
	}
	return out, nil
}

// openStore opens a migrated store: a temporary SQLite file, or a fresh
// schema in the PostgreSQL database at pg. It returns the DSN the store was
// opened with, for the raw server.
func openStore(ctx context.Context, pg string) (*store.Store, string, func() error, error) {
	if pg == "" {
		dir, err := os.MkdirTemp("", "danvan-bench-api-")
		if err != nil {
			return nil, "", nil, err
		}
		dsn := filepath.Join(dir, "bench.db")
		st, err := store.Open(ctx, dsn)
		if err == nil {
			_, err = st.Migrate(ctx)
			if err != nil {
				st.Close()
			}
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", nil, err
		}
		return st, dsn, func() error { st.Close(); return os.RemoveAll(dir) }, nil
	}
	u, err := url.Parse(pg)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, "", nil, fmt.Errorf("bench api: %q is not a postgres:// URL", pg)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_api_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		return nil, "", nil, err
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return nil, "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() error {
		defer admin.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		_, err := admin.ExecContext(dctx, `DROP SCHEMA `+schema+` CASCADE`)
		return err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()
	// The audit key and checkpoints live in a data directory, as in production,
	// so that the audit sealer runs during the benchmark.
	dir, err := os.MkdirTemp("", "danvan-bench-api-")
	if err != nil {
		return nil, "", nil, errors.Join(err, drop())
	}
	dropAll := func() error { return errors.Join(drop(), os.RemoveAll(dir)) }
	st, err := store.Open(ctx, dsn, store.Options{DataDir: dir})
	if err != nil {
		return nil, "", nil, errors.Join(err, dropAll())
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, "", nil, errors.Join(err, dropAll())
	}
	return st, dsn, func() error { st.Close(); return dropAll() }, nil
}

// startDanvan serves app.Handler over st on a loopback port.
func startDanvan(ctx context.Context, st *store.Store) (string, func(), error) {
	return startDanvanWith(ctx, st, nil)
}

// startDanvanWith is startDanvan with a hook that tunes the services
// before they serve (nil: none).
func startDanvanWith(ctx context.Context, st *store.Store, tune func(*service.Services)) (string, func(), error) {
	cfg := config.Default()
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	bundle, err := i18n.Load()
	if err != nil {
		return "", nil, err
	}
	policy := account.DefaultPolicy
	svc, err := service.New(ctx, service.Deps{Store: st, Cfg: cfg, Policy: policy, Log: log})
	if err != nil {
		return "", nil, err
	}
	if tune != nil {
		tune(svc)
	}
	d := &server.Deps{Cfg: cfg, I18n: bundle, Log: log, Policy: policy, Version: "bench", Metrics: server.NewMetrics(), Svc: svc}
	var ready atomic.Bool
	ready.Store(true)
	h, err := app.Handler(d, &ready)
	if err != nil {
		return "", nil, err
	}
	return serveOnLoopback(h)
}

func serveOnLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelWarn)}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}, nil
}

// readers are n clients reading random communes: GET /api/v1/units/{id}
// with a bearer token on danvan, the same path without one on the raw server.
func readers(base string, fx *fixture, n int, danvan bool) []worker {
	ws := make([]worker, n)
	for i := range ws {
		token := ""
		if danvan {
			token = fx.writers[i%len(fx.writers)].token
		}
		seed := uint64(i)*2654435761 + 1
		ws[i] = worker{next: func() (call, bool) {
			seed = seed*6364136223846793005 + 1442695040888963407
			id := fx.communes[int(seed>>33)%len(fx.communes)]
			return request("GET", fmt.Sprintf("%s/api/v1/units/%d", base, id), token, nil), true
		}}
	}
	return ws
}

// rawWriters are n clients inserting one row per request into the raw server.
func rawWriters(base string, fx *fixture, n int) []worker {
	ws := make([]worker, n)
	for i := range ws {
		unit := fx.communes[i%len(fx.communes)]
		k := 0
		ws[i] = worker{next: func() (call, bool) {
			k++
			body, _ := json.Marshal(map[string]any{"unit_id": unit, "values": draftValues(k)})
			return request("POST", base+"/raw/rows", "", body), true
		}}
	}
	return ws
}

// versioned wraps a call whose JSON answer carries the new version.
func versioned(c call, version *int) call {
	return func(ctx context.Context, hc *http.Client) (int, []byte, error) {
		status, body, err := c(ctx, hc)
		if err == nil && status >= 200 && status < 300 {
			var v struct {
				Version int `json:"version"`
			}
			if json.Unmarshal(body, &v) == nil && v.Version > 0 {
				*version = v.Version
			}
		} else if status == http.StatusConflict {
			// Someone else moved the version (should not happen: one client
			// per draft); read it back so that the next call succeeds.
			*version = -1
		}
		return status, body, err
	}
}

// savers are n clients saving their own draft again and again
// (PUT /api/v1/reports/{id}).
func (fx *fixture) savers(base string, n int) []worker {
	ws := make([]worker, n)
	for i := range ws {
		w := &fx.writers[i%len(fx.writers)]
		k := 0
		ws[i] = worker{next: func() (call, bool) {
			k++
			if w.draftVersion < 0 {
				return fx.refresh(base, w, fmt.Sprintf("/api/v1/reports/%d", w.draftID), &w.draftVersion), true
			}
			body, _ := json.Marshal(map[string]any{"version": w.draftVersion, "values": draftValues(k),
				"narrative": map[string]string{"highlights": fmt.Sprintf("Tổ chức %d buổi đối thoại với Nhân dân.", k%9+1)}})
			return versioned(request("PUT", fmt.Sprintf("%s/api/v1/reports/%d", base, w.draftID), w.token, body), &w.draftVersion), true
		}}
	}
	return ws
}

// progressers are n clients recording progress on their own activity
// (POST /api/v1/activities/{id}/progress).
func (fx *fixture) progressers(base string, n int) []worker {
	ws := make([]worker, n)
	for i := range ws {
		w := &fx.writers[i%len(fx.writers)]
		k := 0
		ws[i] = worker{next: func() (call, bool) {
			k++
			if w.activityVersion < 0 {
				return fx.refresh(base, w, fmt.Sprintf("/api/v1/units/%d/plan", w.unitID), nil), true
			}
			body, _ := json.Marshal(map[string]any{"version": w.activityVersion, "percent": k % 101, "note": "Đã triển khai tại các thôn."})
			return versioned(request("POST", fmt.Sprintf("%s/api/v1/activities/%d/progress", base, w.activityID), w.token, body), &w.activityVersion), true
		}}
	}
	return ws
}

// submitters are n clients each submitting its own drafts, one per request
// (POST /api/v1/reports/{id}/submit); a client stops when it has none left.
func (fx *fixture) submitters(base string, n int) []worker {
	ws := make([]worker, n)
	for i := range ws {
		w := &fx.writers[i%len(fx.writers)]
		ws[i] = worker{next: func() (call, bool) {
			if len(w.toSubmit) == 0 {
				return nil, false
			}
			id := w.toSubmit[0]
			w.toSubmit = w.toSubmit[1:]
			body, _ := json.Marshal(map[string]any{"version": 1, "values": draftValues(int(id))})
			return request("POST", fmt.Sprintf("%s/api/v1/reports/%d/submit", base, id), w.token, body), true
		}}
	}
	return ws
}

// refresh reads a writer's draft (or plan) back after a conflict; the call
// counts as a request of the phase.
func (fx *fixture) refresh(base string, w *writer, path string, version *int) call {
	c := request("GET", base+path, w.token, nil)
	return func(ctx context.Context, hc *http.Client) (int, []byte, error) {
		status, body, err := c(ctx, hc)
		if err != nil || status != http.StatusOK {
			return status, body, err
		}
		if version != nil {
			var v struct {
				Version int `json:"version"`
			}
			if json.Unmarshal(body, &v) == nil && v.Version > 0 {
				*version = v.Version
			}
			return status, body, nil
		}
		// The plan: find the writer's activity.
		var plan struct {
			Activities []struct {
				ID      int64 `json:"id"`
				Version int   `json:"version"`
			} `json:"activities"`
		}
		_ = json.Unmarshal(body, &plan)
		for _, a := range plan.Activities {
			if a.ID == w.activityID {
				w.activityVersion = a.Version
			}
		}
		if w.activityVersion < 0 {
			w.activityVersion = 0 // the API then asks for a version: an error, counted
		}
		return status, body, nil
	}
}

// draftValues are the values a client saves: every indicator of the bench
// template, varying with k.
func draftValues(k int) map[string]string {
	out := map[string]string{}
	for i, code := range indicatorCodes {
		out[code] = fmt.Sprint((k*7 + i*13) % 500)
	}
	return out
}

// gomaxprocs is recorded with the figures.
func gomaxprocs() int { return runtime.GOMAXPROCS(0) }
