package store

import (
	"context"
	"database/sql"
	"sync"
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
