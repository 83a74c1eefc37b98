package benchapi

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/store"
)

// rawServer is the baseline: a plain handler doing one SELECT or one INSERT
// per request on the same database as danvan, with the same settings
// (journal mode, synchronous, busy timeout on SQLite; the same pool size on
// PostgreSQL). On SQLite it writes through one connection and reads through
// a small pool of read-only connections, the usual way to serve SQLite.
type rawServer struct {
	dialect  store.Dialect
	write    *sql.DB
	read     *sql.DB
	settings string
	mux      *http.ServeMux
}

func (r *rawServer) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.mux.ServeHTTP(w, req) }

func (r *rawServer) close() {
	r.write.Close()
	if r.read != r.write {
		r.read.Close()
	}
}

func openRaw(ctx context.Context, st *store.Store, dsn string) (*rawServer, error) {
	r := &rawServer{dialect: st.Dialect(), mux: http.NewServeMux()}
	if r.dialect == store.Postgres {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		n := st.DB().Stats().MaxOpenConnections
		if n <= 0 {
			n = 16
		}
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		r.write, r.read = db, db
		r.settings = fmt.Sprintf("pool of %d connections", n)
		if _, err := db.ExecContext(ctx, `CREATE TABLE bench_raw_rows (id BIGSERIAL PRIMARY KEY, unit_id BIGINT NOT NULL, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)`); err != nil {
			db.Close()
			return nil, err
		}
	} else {
		// The store's own settings, read back from its connection.
		pragma := func(name string) (string, error) {
			var v string
			err := st.DB().QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
			return v, err
		}
		journal, err := pragma("journal_mode")
		if err != nil {
			return nil, err
		}
		syncMode, err := pragma("synchronous")
		if err != nil {
			return nil, err
		}
		busy, err := pragma("busy_timeout")
		if err != nil {
			return nil, err
		}
		path := strings.TrimPrefix(dsn, "sqlite://")
		q := fmt.Sprintf("?_pragma=journal_mode(%s)&_pragma=synchronous(%s)&_pragma=busy_timeout(%s)&_pragma=foreign_keys(1)", journal, syncMode, busy)
		write, err := sql.Open("sqlite", "file:"+path+q+"&_txlock=immediate")
		if err != nil {
			return nil, err
		}
		write.SetMaxOpenConns(1)
		readers := max(4, 2*gomaxprocs())
		read, err := sql.Open("sqlite", "file:"+path+q+"&_pragma=query_only(1)")
		if err != nil {
			write.Close()
			return nil, err
		}
		read.SetMaxOpenConns(readers)
		read.SetMaxIdleConns(readers)
		r.write, r.read = write, read
		r.settings = fmt.Sprintf("journal_mode=%s synchronous=%s busy_timeout=%s; one writer, %d readers", journal, syncMode, busy, readers)
		if _, err := write.ExecContext(ctx, `CREATE TABLE bench_raw_rows (id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
			r.close()
			return nil, err
		}
	}
	sel := `SELECT id, code, name, kind, COALESCE(parent_id, 0), valid_from FROM units WHERE id = ?`
	ins := `INSERT INTO bench_raw_rows (unit_id, body, created_at) VALUES (?, ?, ?) RETURNING id`
	if r.dialect == store.Postgres {
		sel = strings.Replace(sel, "?", "$1", 1)
		ins = `INSERT INTO bench_raw_rows (unit_id, body, created_at) VALUES ($1, $2, $3) RETURNING id`
	}
	r.mux.HandleFunc("GET /api/v1/units/{id}", func(w http.ResponseWriter, req *http.Request) {
		id, err := strconv.ParseInt(req.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		var u struct {
			ID        int64  `json:"id"`
			Code      string `json:"code"`
			Name      string `json:"name"`
			Kind      string `json:"kind"`
			ParentID  int64  `json:"parent_id"`
			ValidFrom string `json:"valid_from"`
		}
		err = r.read.QueryRowContext(req.Context(), sel, id).Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.ValidFrom)
		if errors.Is(err, sql.ErrNoRows) {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, u)
	})
	r.mux.HandleFunc("POST /raw/rows", func(w http.ResponseWriter, req *http.Request) {
		var in struct {
			UnitID int64             `json:"unit_id"`
			Values map[string]string `json:"values"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, req.Body, 1<<20)).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body, _ := json.Marshal(in.Values)
		var at any = time.Now().UTC()
		if r.dialect == store.SQLite {
			at = time.Now().UTC().Format(time.RFC3339Nano)
		}
		var id int64
		if err := r.write.QueryRowContext(req.Context(), ins, in.UnitID, string(body), at).Scan(&id); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
	})
	return r, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
