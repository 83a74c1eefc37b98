package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"
)

// maxCachedStmts bounds the statement cache: queries built with literal
// values (a LIMIT, an IN list of varying length) must not grow it for
// ever. Once full, further queries run unprepared, as before.
const maxCachedStmts = 1024

// stmtDB is the read pool with prepared statements kept for reuse. The
// SQLite driver parses every statement again otherwise, and for our short
// reads (the credential join of every authenticated request, a report
// page) parsing costs more than running them. database/sql prepares each
// statement lazily on each connection and keeps it there. PostgreSQL's
// driver caches statements itself: there the cache is off.
type stmtDB struct {
	*sql.DB
	cache bool

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newStmtDB(db *sql.DB, cache bool) *stmtDB {
	return &stmtDB{DB: db, cache: cache, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement of query, or nil to run it unprepared
// (cache off or full, or the statement does not prepare: running it then
// reports the error).
func (d *stmtDB) stmt(ctx context.Context, query string) *sql.Stmt {
	if !d.cache {
		return nil
	}
	d.mu.RLock()
	st, ok := d.stmts[query]
	full := len(d.stmts) >= maxCachedStmts
	d.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := d.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if prev, ok := d.stmts[query]; ok {
		_ = st.Close()
		return prev
	}
	if len(d.stmts) >= maxCachedStmts {
		_ = st.Close()
		return nil
	}
	d.stmts[query] = st
	return st
}

func (d *stmtDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.DB.QueryContext(ctx, query, args...)
}

func (d *stmtDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the cached statements, then the pool.
func (d *stmtDB) Close() error {
	d.mu.Lock()
	for q, st := range d.stmts {
		_ = st.Close()
		delete(d.stmts, q)
	}
	d.mu.Unlock()
	return d.DB.Close()
}

// writeStmts keeps prepared statements for the SQLite writer. Its one
// connection is held by the transaction that first runs a statement, so the
// statement cannot be prepared on the pool then: it runs unprepared, is
// noted, and is prepared on the writer once the transaction has committed
// (in the background, between transactions). Later transactions reuse it
// through Tx.StmtContext, which finds it already prepared on the writer's
// connection.
type writeStmts struct {
	db *sql.DB
	on bool

	mu        sync.Mutex
	stmts     map[string]*sql.Stmt
	pending   map[string]bool
	preparing bool
}

func newWriteStmts(db *sql.DB, on bool) *writeStmts {
	return &writeStmts{db: db, on: on, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// cacheable: one statement (a string of several would prepare only the
// first).
func cacheable(q string) bool {
	q = strings.TrimRight(strings.TrimSpace(q), ";")
	return !strings.Contains(q, ";")
}

// get returns the prepared statement of q, or nil (then q is noted for
// preparing after the transaction).
func (w *writeStmts) get(q string) *sql.Stmt {
	if w == nil || !w.on {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if st, ok := w.stmts[q]; ok {
		return st
	}
	if len(w.stmts)+len(w.pending) < maxCachedStmts && cacheable(q) {
		w.pending[q] = true
	}
	return nil
}

// flush prepares the noted statements in the background.
func (w *writeStmts) flush() {
	if w == nil || !w.on {
		return
	}
	w.mu.Lock()
	if w.preparing || len(w.pending) == 0 {
		w.mu.Unlock()
		return
	}
	qs := make([]string, 0, len(w.pending))
	for q := range w.pending {
		qs = append(qs, q)
	}
	w.preparing = true
	w.mu.Unlock()
	go func() {
		prepared := map[string]*sql.Stmt{}
		for _, q := range qs {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			st, err := w.db.PrepareContext(ctx, q)
			cancel()
			if err == nil {
				prepared[q] = st
			}
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, q := range qs {
			delete(w.pending, q)
		}
		for q, st := range prepared {
			if _, dup := w.stmts[q]; dup {
				_ = st.Close()
				continue
			}
			w.stmts[q] = st
		}
		w.preparing = false
	}()
}

func (w *writeStmts) close() {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for q, st := range w.stmts {
		_ = st.Close()
		delete(w.stmts, q)
	}
	w.on = false
}

// txExec is tx.ExecContext with the writer's prepared statements.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.wst.get(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// txQueryRow is tx.QueryRowContext with the writer's prepared statements
// (one row, read at once: the statement is never busy twice).
func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := s.wst.get(query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}
