package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
	"github.com/danvan/danvan/internal/web"
)

// uenv serves the HTML door over a store with a province, one district
// (until the 2025 reform) with one commune, and the ward that succeeds it.
type uenv struct {
	t     testing.TB
	st    *store.Store
	h     http.Handler
	unit  map[string]int64
	admin string // session cookie of an administrator
}

func newUenv(t testing.TB) *uenv {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return testNow })
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if m := b.Missing(); len(m) > 0 {
			t.Errorf("missing i18n keys: %q", m)
		}
	})
	d := &server.Deps{Svc: servicetest.New(t, st), Cfg: config.Default(), I18n: b, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy: account.DefaultPolicy, Version: "test", Metrics: server.NewMetrics()}
	w, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	e := &uenv{t: t, st: st, h: d.Wrap(mux), unit: map[string]int64{}}
	ctx, sys := context.Background(), audit.System("test")
	for _, u := range []struct {
		code, name, parent, from, to string
		kind                         org.Kind
	}{
		{"P", "Tỉnh Thanh Hóa", "", "2000-01-01", "", org.KindProvince},
		{"D", "Huyện Đông Sơn", "P", "2000-01-01", "2025-06-30", org.KindDistrict},
		{"C", "Xã Đông Hòa", "D", "2000-01-01", "2025-06-30", org.KindCommune},
		{"W", "Xã Đông Sơn", "P", "2025-07-01", "", org.KindCommune},
	} {
		x := org.Unit{Code: u.code, Name: u.name, Kind: u.kind, ParentID: e.unit[u.parent], ValidFrom: u.from, ValidTo: u.to}
		if err := st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		e.unit[u.code] = x.ID
	}
	if err := st.AddSuccessor(ctx, sys, org.Successor{PredecessorID: e.unit["C"], SuccessorID: e.unit["W"], Portion: "full", Effective: "2025-07-01"}); err != nil {
		t.Fatal(err)
	}
	admin := account.User{Username: "quantri", FullName: "Quản trị"}
	if err := st.CreateUser(ctx, sys, &admin); err != nil {
		t.Fatal(err)
	}
	if err := st.AddGrant(ctx, sys, admin.ID, authz.RoleAdmin, e.unit["P"]); err != nil {
		t.Fatal(err)
	}
	tok, hash, err := account.NewToken("")
	if err != nil {
		t.Fatal(err)
	}
	now := st.Now()
	if err := st.CreateSession(ctx, account.Session{TokenHash: hash, UserID: admin.ID, CSRF: "x", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	e.admin = tok
	return e
}

// get answers a GET from addr, in lang, signed in with cookie when given.
func (e *uenv) get(path, addr, lang, cookie string) (int, string) {
	e.t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = addr + ":5000"
	if lang != "" {
		r.Header.Set("Accept-Language", lang)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: cookie})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func TestUnitsPages(t *testing.T) {
	e := newUenv(t)
	id := func(code string) string { return fmt.Sprint(e.unit[code]) }
	for _, tc := range []struct {
		path, lang string
		code       int
		want, not  []string
	}{
		// The whole tree, with English plurals.
		{"/units?at=2025-06-30", "en", 200, []string{"3 units", "1 subordinate unit<", "Huyện Đông Sơn", "Xã Đông Hòa"}, []string{"1 units", "Xã Đông Sơn<"}},
		{"/units?at=2025-07-01", "en", 200, []string{"2 units", "Xã Đông Sơn"}, []string{"Huyện Đông Sơn"}},
		{"/units?at=2025-07-01", "vi", 200, []string{"2 đơn vị", "1 đơn vị trực thuộc"}, nil},
		{"/units", "", 200, []string{"Xã Đông Sơn"}, []string{"Huyện Đông Sơn"}},
		// Search with or without diacritics, by kind alone.
		{"/units?q=dong+son", "en", 200, []string{"1 unit found", "Xã Đông Sơn"}, []string{"Huyện Đông Sơn"}},
		{"/units?q=dong+son&at=2025-06-30", "en", 200, []string{"1 unit found", "Huyện Đông Sơn"}, nil},
		{"/units?q=%C4%90%C3%94NG&at=2025-06-30", "en", 200, []string{"2 units found", "Huyện Đông Sơn", "Xã Đông Hòa"}, []string{"1 units"}},
		{"/units?kind=district&at=2025-06-30", "en", 200, []string{"1 unit found", "Huyện Đông Sơn"}, nil},
		{"/units?q=" + strings.Repeat("%C4%91", 300), "", 200, []string{"Không tìm thấy đơn vị nào."}, nil},
		{"/units?q=a%00b", "", 422, nil, nil},
		{"/units?at=2025-13-01", "", 400, nil, nil},
		{"/units?kind=castle", "", 400, nil, nil},
		// One unit: ancestors, children, successors; an ended unit as of its last day.
		{"/units/" + id("C") + "?at=2025-06-30", "vi", 200, []string{"Tỉnh Thanh Hóa", "Huyện Đông Sơn", "Xã Đông Sơn"}, nil},
		{"/units/" + id("D") + "?at=2025-08-01", "vi", 200, []string{"Xã Đông Hòa"}, nil},
		{"/units/" + id("W"), "vi", 200, []string{"Xã Đông Hòa"}, []string{"units.grants"}},
		{"/units/999999", "", 404, nil, nil},
		{"/units/abc", "", 404, nil, nil},
	} {
		code, body := e.get(tc.path, "192.0.2.10", tc.lang, "")
		if code != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.path, code, tc.code)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s (%s): body lacks %q", tc.path, tc.lang, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(body, w) {
				t.Errorf("GET %s (%s): body has %q", tc.path, tc.lang, w)
			}
		}
	}
	// Who holds roles on a unit: shown to an administrator only.
	if _, body := e.get("/units/"+id("P"), "192.0.2.10", "vi", ""); strings.Contains(body, "quantri") {
		t.Error("anonymous visitor sees the grants")
	}
	if code, body := e.get("/units/"+id("P"), "192.0.2.10", "vi", e.admin); code != 200 || !strings.Contains(body, "quantri") {
		t.Errorf("administrator: %d, grants not shown", code)
	}
}

// TestUnitsPageThrottlesAnonymousTree: the whole tree page answers 429 to an
// address that asked for it too often without signing in; searches, other
// addresses and signed-in users still get their pages.
func TestUnitsPageThrottlesAnonymousTree(t *testing.T) {
	e := newUenv(t)
	for i := range service.UnitAnonBurst {
		if code, _ := e.get("/units", "198.51.100.20", "vi", ""); code != 200 {
			t.Fatalf("call %d: %d", i, code)
		}
	}
	if code, body := e.get("/units?at=2025-06-30", "198.51.100.20", "en", ""); code != http.StatusTooManyRequests || !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("over the burst: %d", code)
	}
	if code, _ := e.get("/units?q=dong", "198.51.100.20", "", ""); code != 200 {
		t.Errorf("search: %d", code)
	}
	if code, _ := e.get("/units", "198.51.100.21", "", ""); code != 200 {
		t.Errorf("another address: %d", code)
	}
	if code, _ := e.get("/units", "198.51.100.20", "", e.admin); code != 200 {
		t.Errorf("signed in: %d", code)
	}
}
