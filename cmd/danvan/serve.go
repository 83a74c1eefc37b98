package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/danvan/danvan/internal/service"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/app"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/jobs"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

// loadConfig reads defaults, then the environment, then flags.
func loadConfig(fs *flag.FlagSet, args []string, serveFlags bool) (config.Config, []string, error) {
	cfg := config.Default()
	if err := cfg.FromEnv(); err != nil {
		return cfg, nil, usageError{err.Error()}
	}
	if serveFlags {
		cfg.ServeFlags(fs)
	} else {
		cfg.DataFlags(fs)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return cfg, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, usageError{err.Error()}
	}
	return cfg, pos, nil
}

// openStore opens and migrates the configured database.
func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.DSN(), storeOptions(cfg))
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--addr HOST:PORT] [--data DIR | --db URL]", stderr)
	cfg, pos, err := loadConfig(fs, args, true)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes no arguments")
	}
	return serve(ctx, cfg, stdout, stderr, nil)
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "demo [--addr HOST:PORT] [--data DIR | --db URL] [--reset [--yes]]", stderr)
	reset := fs.Bool("reset", false, "wipe the demo database and load the demo afresh (refused unless the database holds only the demo)")
	yes := fs.Bool("yes", false, "confirm --reset on a PostgreSQL database")
	cfg, pos, err := loadConfig(fs, args, true)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("demo takes no arguments")
	}
	if *reset {
		if err := resetDemo(ctx, cfg, *yes, stdout); err != nil {
			return err
		}
	}
	cfg.Demo = true
	return serve(ctx, cfg, stdout, stderr, func(ctx context.Context, st *store.Store, log *slog.Logger) error {
		if demo.Loaded(ctx, st) {
			log.Info("demo data already present; reusing it (danvan demo --reset starts afresh)")
			return nil
		}
		if state, err := demo.Inspect(ctx, st); err != nil {
			return err
		} else if state != demo.Empty {
			return fmt.Errorf("%w; the demo needs an empty database (use another --data directory or --db)", demo.ErrNotDemo)
		}
		start := time.Now()
		if err := demo.Load(ctx, st); err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
		log.Info("demo data loaded", "duration", time.Since(start).Round(time.Millisecond))
		return nil
	})
}

// resetDemo wipes the configured database when it holds only the demo; a
// PostgreSQL database also needs --yes.
func resetDemo(ctx context.Context, cfg config.Config, yes bool, stdout io.Writer) error {
	if cfg.DB != "" && !yes {
		return usagef("--reset on PostgreSQL wipes every table of the database: add --yes to confirm")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	err = demo.Wipe(ctx, st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	where := cfg.DSN()
	if cfg.DB != "" {
		where = "the PostgreSQL database"
	}
	fmt.Fprintf(stdout, "demo reset: wiped %s; loading the demo afresh\n", where)
	return nil
}

// serve opens the database, optionally prepares it, and serves until ctx ends.
// The listener opens first so /readyz can answer "starting" while the demo loads.
func serve(ctx context.Context, cfg config.Config, stdout, stderr io.Writer, prepare func(context.Context, *store.Store, *slog.Logger) error) error {
	log := newLogger(cfg, stderr)
	started := time.Now()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	policy := account.DefaultPolicy
	policy.IdleTimeout, policy.AbsoluteTimeout = cfg.IdleTimeout, cfg.MaxSession
	svc, err := service.New(ctx, service.Deps{Store: st, Cfg: cfg, Policy: policy, Log: log})
	if err != nil {
		return err
	}
	go refreshTree(ctx, svc, st, log)
	d := &server.Deps{Cfg: cfg, I18n: bundle, Log: log, Policy: policy, Version: version, Metrics: server.NewMetrics(), Svc: svc}
	var ready atomic.Bool
	handler, err := app.Handler(d, &ready)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if prepare != nil {
		if err := prepare(ctx, st, log); err != nil {
			srv.Close()
			return err
		}
	}
	ready.Store(true)
	go purgeLoop(ctx, st, policy, log)
	// Reminders, escalations and the e-mail outbox.
	stopJobs := jobs.Start(ctx, st, cfg, log)
	defer stopJobs()
	url := "http://" + ln.Addr().String() + "/"
	log.Info("danvan ready", "url", url, "database", string(st.Dialect()), "version", version, "startup", time.Since(started).Round(time.Millisecond))
	fmt.Fprintf(stdout, "danvan %s listening on %s (%s)\n", version, url, st.Dialect())
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func purgeLoop(ctx context.Context, st *store.Store, p account.Policy, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := st.PurgeExpired(ctx, p); err != nil && ctx.Err() == nil {
				log.Warn("purge sessions", "err", err)
			}
		}
	}
}

// refreshTree reloads the in-memory organisation tree when another replica
// changed the units (this process's own changes reload it at once), and
// drops the kept working calendar so that yearly decisions recorded through
// another replica are read again (one small query per period).
func refreshTree(ctx context.Context, svc *service.Services, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := svc.Tree.Refresh(ctx, st.UnitGeneration); err != nil && ctx.Err() == nil {
				log.Warn("refresh organisation tree", "err", err)
			}
			st.ReloadCalendar()
		}
	}
}
