package server_test

import (
	"bytes"
	"context"
	"github.com/danvan/danvan/internal/store"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store/storetest"
)

func newDeps(t *testing.T, log *bytes.Buffer) *server.Deps {
	t.Helper()
	d, _ := newDepsStore(t, log)
	return d
}

// newDepsStore also returns the store under the services.
func newDepsStore(t *testing.T, log *bytes.Buffer) (*server.Deps, *store.Store) {
	t.Helper()
	st := storetest.Open(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &server.Deps{
		Svc: servicetest.New(t, st), Cfg: config.Default(), I18n: b, Policy: account.DefaultPolicy,
		Log: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})), Metrics: server.NewMetrics(),
	}, st
}

// A client that went away is logged as 499 at info level, not as a server
// error, whatever the handler made of the cancelled request; a real 500
// stays an error.
func TestClientGoneIsNotAServerError(t *testing.T) {
	var log bytes.Buffer
	d := newDeps(t, &log)
	h := d.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		http.Error(w, "cancelled", http.StatusInternalServerError)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow", nil).WithContext(ctx))
	if s := log.String(); !strings.Contains(s, "status=499") || strings.Contains(s, "level=ERROR") {
		t.Errorf("log: %s", s)
	}
	log.Reset()
	h = d.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/broken", nil))
	if s := log.String(); !strings.Contains(s, "status=500") || !strings.Contains(s, "level=ERROR") {
		t.Errorf("log: %s", s)
	}
}

// A bearer token that is not valid is marked for the doors, and a session
// cookie that is not valid is cleared.
func TestBadCredentials(t *testing.T) {
	var log bytes.Buffer
	d := newDeps(t, &log)
	var bad bool
	var who *server.Principal
	h := d.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bad, who = server.BadToken(r), server.PrincipalFrom(r.Context())
	}))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer dvt_nope")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if !bad || who != nil {
		t.Errorf("bad token: %v %v", bad, who)
	}
	r = httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: "stale"})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if bad || who != nil || !strings.Contains(w.Header().Get("Set-Cookie"), server.SessionCookie+"=;") {
		t.Errorf("stale session: %v %v %q", bad, who, w.Header().Get("Set-Cookie"))
	}
}

// When the credentials cannot be checked (the database is down), the answer
// is 503, not a misleading 401 or 403 as if the caller were anonymous.
func TestAuthenticationUnavailable(t *testing.T) {
	var log bytes.Buffer
	d, st := newDepsStore(t, &log)
	reached := false
	h := d.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	st.Close()
	r := httptest.NewRequest("GET", "/api/v1/me", nil)
	r.Header.Set("Authorization", "Bearer dvt_anything")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if reached || w.Code != http.StatusServiceUnavailable || w.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(w.Body.String(), "unavailable") {
		t.Errorf("API: %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	// Without credentials there is nothing to check.
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !reached {
		t.Error("an anonymous request was refused")
	}
}
