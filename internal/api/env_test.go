package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/danvan/danvan/internal/service/servicetest"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// testNow is the store's clock in these tests: 1 Aug 2025, after the reform.
var testNow = time.Date(2025, 8, 1, 3, 0, 0, 0, time.UTC)

// env is a real router over a real store with a small tree and accounts.
type env struct {
	t     *testing.T
	st    *store.Store
	d     *server.Deps
	mux   *http.ServeMux
	h     http.Handler
	unit  map[string]int64  // by code
	user  map[string]int64  // by user name
	token map[string]string // bearer token by user name
}

// session is a signed-in browser: cookie value and CSRF token.
type session struct{ cookie, csrf string }

var (
	hashOnce sync.Once
	pwHash   string
)

// testHash is one argon2id hash shared by every fixture account: hashing is
// deliberately slow.
func testHash(t testing.TB) string {
	hashOnce.Do(func() {
		h, err := account.HashPassword("fixture-password-1")
		if err != nil {
			t.Fatal(err)
		}
		pwHash = h
	})
	return pwHash
}

func newBundle(t testing.TB) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Every text the API answered with must exist in every catalog.
	t.Cleanup(func() {
		if m := b.Missing(); len(m) > 0 {
			t.Errorf("missing i18n keys: %q", m)
		}
	})
	return b
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return testNow })
	d := &server.Deps{
		Svc:     servicetest.New(t, st),
		Cfg:     config.Default(),
		I18n:    newBundle(t),
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy:  account.DefaultPolicy,
		Version: "test",
		Metrics: server.NewMetrics(),
	}
	mux := http.NewServeMux()
	api.Register(mux, d)
	e := &env{t: t, st: st, d: d, mux: mux, h: d.Wrap(mux), unit: map[string]int64{}, user: map[string]int64{}, token: map[string]string{}}
	e.loadTree()
	e.loadUsers()
	return e
}

// loadTree builds:
//
//	P38 Tỉnh Thanh Hóa (2000-)
//	├── D380 Thành phố Thanh Hóa (2000–2025-06-30)
//	│   ├── C1 Phường Điện Biên (–2025-06-30) ─┐
//	│   └── C2 Phường Lam Sơn   (–2025-06-30) ─┴→ W1 Phường Hạc Thành (2025-07-01-)
//	├── D391 Huyện Đông Sơn (2000–2025-06-30)
//	│   ├── C3 Xã Đông Hòa (–2025-06-30) → W2 Xã Đông Sơn (2025-07-01-)
//	│   └── C4 Xã Đông Tiến (–2025-06-30) → W2
//	├── W1 Phường Hạc Thành (2025-07-01-)
//	└── W2 Xã Đông Sơn (2025-07-01-)
func (e *env) loadTree() {
	e.t.Helper()
	ctx := context.Background()
	sys := audit.System("test")
	add := func(code, name string, kind org.Kind, parent, from, to string) {
		u := org.Unit{Code: code, Name: name, Kind: kind, ParentID: e.unit[parent], ValidFrom: from, ValidTo: to}
		if err := e.st.CreateUnit(ctx, sys, &u); err != nil {
			e.t.Fatalf("unit %s: %v", code, err)
		}
		e.unit[code] = u.ID
	}
	add("P38", "Tỉnh Thanh Hóa", org.KindProvince, "", "2000-01-01", "")
	add("D380", "Thành phố Thanh Hóa", org.KindCity, "P38", "2000-01-01", "2025-06-30")
	add("D391", "Huyện Đông Sơn", org.KindDistrict, "P38", "2000-01-01", "2025-06-30")
	add("C1", "Phường Điện Biên", org.KindWard, "D380", "2000-01-01", "2025-06-30")
	add("C2", "Phường Lam Sơn", org.KindWard, "D380", "2000-01-01", "2025-06-30")
	add("C3", "Xã Đông Hòa", org.KindCommune, "D391", "2000-01-01", "2025-06-30")
	add("C4", "Xã Đông Tiến", org.KindCommune, "D391", "2000-01-01", "2025-06-30")
	add("W1", "Phường Hạc Thành", org.KindWard, "P38", "2025-07-01", "")
	add("W2", "Xã Đông Sơn", org.KindCommune, "P38", "2025-07-01", "")
	for _, l := range [][2]string{{"C1", "W1"}, {"C2", "W1"}, {"C3", "W2"}, {"C4", "W2"}} {
		if err := e.st.AddSuccessor(ctx, sys, org.Successor{PredecessorID: e.unit[l[0]], SuccessorID: e.unit[l[1]], Kind: "merge", Portion: "full", Effective: "2025-07-01"}); err != nil {
			e.t.Fatal(err)
		}
	}
}

// loadUsers creates an administrator, a coordinator, a unit head and an
// officer of W1, and a user with no grant; each gets a bearer token.
func (e *env) loadUsers() {
	e.t.Helper()
	for _, u := range []struct {
		name string
		role authz.Role
		unit string
	}{
		{"admin", authz.RoleAdmin, "P38"},
		{"dieuphoi", authz.RoleCoordinator, "P38"},
		{"truong", authz.RoleUnitHead, "W1"},
		{"canbo", authz.RoleUnitOfficer, "W1"},
		{"khach", "", ""},
	} {
		id := e.addUser(u.name)
		if u.role != "" {
			if err := e.st.AddGrant(context.Background(), audit.System("test"), id, u.role, e.unit[u.unit]); err != nil {
				e.t.Fatal(err)
			}
		}
		tok, hash, err := account.NewToken("dvt_")
		if err != nil {
			e.t.Fatal(err)
		}
		if _, err := e.st.CreateToken(context.Background(), audit.System("test"), id, "test", hash); err != nil {
			e.t.Fatal(err)
		}
		e.token[u.name] = tok
	}
}

func (e *env) addUser(name string) int64 {
	e.t.Helper()
	u := account.User{Username: name, FullName: "Người dùng " + name, PasswordHash: testHash(e.t)}
	if err := e.st.CreateUser(context.Background(), audit.System("test"), &u); err != nil {
		e.t.Fatal(err)
	}
	e.user[name] = u.ID
	return u.ID
}

// signIn opens a browser session for a user.
func (e *env) signIn(name string) session {
	e.t.Helper()
	tok, hash, _ := account.NewToken("")
	csrf, _, _ := account.NewToken("")
	now := e.st.Now()
	s := account.Session{TokenHash: hash, UserID: e.user[name], CSRF: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := e.st.CreateSession(context.Background(), s, "127.0.0.1", "test"); err != nil {
		e.t.Fatal(err)
	}
	return session{cookie: tok, csrf: csrf}
}

// opt changes a request before it is sent.
type opt func(*http.Request)

func bearer(tok string) opt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

func (e *env) as(name string) opt { return bearer(e.token[name]) }

func withSession(s session, csrf bool) opt {
	return func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: s.cookie})
		if csrf {
			r.Header.Set("X-CSRF-Token", s.csrf)
		}
	}
}

func header(k, v string) opt { return func(r *http.Request) { r.Header.Set(k, v) } }

// raw is a literal body; any other body is encoded as JSON.
type raw string

func (e *env) do(method, path string, body any, opts ...opt) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case raw:
		rd = strings.NewReader(string(b))
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	r := httptest.NewRequest(method, path, rd)
	if rd != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(r)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// ok decodes a successful JSON answer, failing unless the status is want.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder, want int) T {
	t.Helper()
	var v T
	if w.Code != want {
		t.Fatalf("status %d, want %d: %s", w.Code, want, w.Body.String())
	}
	if w.Body.Len() == 0 {
		return v
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, w.Body.String())
	}
	return v
}

// problem checks a problem-details answer and returns it.
func problem(t *testing.T, w *httptest.ResponseRecorder, status int, kind string) api.ProblemDetails {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p api.ProblemDetails
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	if p.Status != status || p.Type != api.ProblemType+kind || p.Title == "" || p.Detail == "" || p.Instance == "" {
		t.Fatalf("problem = %+v, want status %d kind %s with title, detail and instance", p, status, kind)
	}
	for _, f := range p.Errors {
		if f.Message == "" {
			t.Fatalf("field error without message: %+v", p)
		}
	}
	return p
}

func fields(p api.ProblemDetails) []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}
