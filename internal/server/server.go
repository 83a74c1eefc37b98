// Package server owns what every HTTP request goes through, whichever door
// (HTML or JSON) it enters by: request ids, structured logs, panic recovery,
// security headers, metrics, the signed-in principal (session cookie or
// bearer token), the request's locale, and health endpoints.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/service"
)

// Deps are what handlers need; built once in main.
type Deps struct {
	Cfg     config.Config
	I18n    *i18n.Bundle
	Log     *slog.Logger
	Policy  account.Policy
	Version string
	Metrics *Metrics
	// Svc holds every use case; the doors call it and nothing else.
	Svc *service.Services
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "danvan_session"

// LangCookie remembers an anonymous visitor's language.
const LangCookie = "danvan_lang"

type ctxKey int

const (
	keyPrincipal ctxKey = iota
	keyLocale
	keyRequestID
	keyPattern
)

// recordPattern sits just outside the mux: the mux sets the matched pattern
// on the request it is given, and the logger (outermost, holding another
// copy of the request) reads it from here for metrics labels.
func recordPattern(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if p, ok := r.Context().Value(keyPattern).(*string); ok {
			*p = r.Pattern
		}
	})
}

// Principal is the signed-in user of a request (see [service.Principal]).
type Principal = service.Principal

// PrincipalFrom returns the request's principal, or nil when anonymous.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(keyPrincipal).(*Principal)
	return p
}

// LocaleFrom returns the request's locale.
func LocaleFrom(ctx context.Context) i18n.Locale {
	l, _ := ctx.Value(keyLocale).(i18n.Locale)
	return l
}

// RequestID returns the request's id.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// Can checks an action on a unit for the request's principal (anonymous
// callers hold no grants). unitID 0 is the installation-wide target. It
// costs no SQL: the services hold the organisation tree in memory.
func (d *Deps) Can(ctx context.Context, a authz.Action, unitID int64) bool {
	return d.Svc.Can(PrincipalFrom(ctx), a, unitID)
}

// Wrap puts the common middleware around h.
func (d *Deps) Wrap(h http.Handler) http.Handler {
	h = recordPattern(h)
	h = d.authenticate(h)
	h = d.locale(h)
	h = d.securityHeaders(h)
	h = d.recoverer(h)
	h = d.logRequests(h)
	return h
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (d *Deps) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newID()
		}
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		pattern := new(string)
		ctx = context.WithValue(ctx, keyPattern, pattern)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(ctx))
		r.Pattern = *pattern
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		// A client that went away before the answer is not a server error:
		// whatever the handler made of the cancelled request, log it as 499.
		if r.Context().Err() != nil && sw.status >= 500 {
			sw.status = statusClientClosed
		}
		dur := time.Since(start)
		if d.Metrics != nil {
			d.Metrics.Observe(r.Method, routeOf(r), sw.status, dur)
		}
		lvl := slog.LevelInfo
		if sw.status >= 500 && sw.status != statusClientClosed {
			lvl = slog.LevelError
		}
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			lvl = slog.LevelDebug
		}
		d.Log.LogAttrs(ctx, lvl, "request", slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", dur), slog.String("remote", ClientIP(r)))
	})
}

func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		if _, p, ok := strings.Cut(r.Pattern, " "); ok {
			return p
		}
		return r.Pattern
	}
	return "other"
}

// ErrorPage renders a translated error page; set by the web package so
// that panics and middleware refusals look like the rest of the site.
var ErrorPage func(w http.ResponseWriter, r *http.Request, status int)

func (d *Deps) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				d.Log.Error("panic", "request_id", RequestID(r.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if ErrorPage != nil {
					ErrorPage(w, r, http.StatusInternalServerError)
					return
				}
				http.Error(w, http.StatusText(500), 500)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (d *Deps) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// No inline script anywhere: scripts come from /static only.
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if d.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// secure reports whether cookies should carry the Secure attribute.
func (d *Deps) secure(r *http.Request) bool {
	switch d.Cfg.SecureCookie {
	case "always":
		return true
	case "never":
		return false
	}
	return r.TLS != nil || strings.HasPrefix(d.Cfg.BaseURL, "https://")
}

// Secure is exported for handlers that set cookies.
func (d *Deps) Secure(r *http.Request) bool { return d.secure(r) }

func (d *Deps) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pref := ""
		if c, err := r.Cookie(LangCookie); err == nil {
			pref = c.Value
		}
		if q := r.URL.Query().Get("lang"); q != "" {
			pref = q
		}
		lang := i18n.Negotiate(pref, r.Header.Get("Accept-Language"))
		ctx := context.WithValue(r.Context(), keyLocale, d.I18n.For(lang))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// authenticate resolves the session cookie or bearer token through the
// accounts service (one query, no cache: a revoked token answers 401 at
// once). A user's saved language overrides the negotiated one.
func (d *Deps) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		c := service.Credentials{IP: ClientIP(r)}
		bearer := false
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			c.Bearer, bearer = strings.TrimSpace(strings.TrimPrefix(auth, "Bearer ")), true
			if c.Bearer == "" {
				c.Bearer = "-"
			}
		} else if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
			c.Session = ck.Value
		}
		p, err := d.Svc.Accounts.Authenticate(ctx, c)
		switch {
		case err == nil:
		case errors.Is(err, service.ErrUnauthenticated):
			if bearer {
				ctx = context.WithValue(ctx, badTokenKey{}, true)
			} else {
				d.ClearSessionCookie(w, r)
			}
		default:
			// The credentials could not be checked: say so, rather than
			// treating the caller as anonymous (a misleading 401 or 403).
			d.Log.Error("authenticate", "err", err, "request_id", RequestID(ctx))
			d.unavailable(w, r.WithContext(ctx))
			return
		}
		if p != nil {
			ctx = context.WithValue(ctx, keyPrincipal, p)
			if p.User.Locale != "" && r.URL.Query().Get("lang") == "" {
				ctx = context.WithValue(ctx, keyLocale, d.I18n.For(i18n.Negotiate(p.User.Locale, "")))
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type badTokenKey struct{}

// unavailable answers 503 in the door's language: problem details under
// /api/, the error page elsewhere.
func (d *Deps) unavailable(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "5")
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		if ErrorPage != nil {
			ErrorPage(w, r, http.StatusServiceUnavailable)
			return
		}
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}
	l := LocaleFrom(r.Context())
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Language", l.Lang())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "urn:danvan:problem:unavailable", "title": l.T("api.title.unavailable"), "status": http.StatusServiceUnavailable,
		"detail": l.T("api.detail.unavailable"), "instance": r.URL.Path, "request_id": RequestID(r.Context()),
	})
}

// BadToken reports whether the request carried a bearer token that is not valid.
func BadToken(r *http.Request) bool { v, _ := r.Context().Value(badTokenKey{}).(bool); return v }

// SetSessionCookie gives the browser a session started by the accounts
// service.
func (d *Deps) SetSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: d.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: int(d.Policy.AbsoluteTimeout / time.Second)})
}

// ClearSessionCookie removes the session cookie.
func (d *Deps) ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: d.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// ClientIP is the peer address (no proxy headers are trusted by default).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// --- health and metrics ---

// Health registers /healthz, /readyz and /metrics.
func (d *Deps) Health(mux *http.ServeMux, ready *atomic.Bool) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if !ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "starting")
			return
		}
		if err := d.Svc.Accounts.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "database unavailable")
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !d.metricsAllowed(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="danvan-metrics"`)
			http.Error(w, "metrics need an administrator or the metrics token", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		d.Metrics.Write(w, d.Svc.Accounts.OpenConnections())
	})
}

// MetricsTokenEnv names the environment variable holding the bearer token
// that a Prometheus scraper presents to /metrics.
const MetricsTokenEnv = "DANVAN_METRICS_TOKEN"

// statusClientClosed is what the log shows for a request whose client went
// away before the answer (nginx's 499).
const statusClientClosed = 499

// metricsAllowed: /metrics is not public. It answers an administrator, or a
// scraper presenting the token of DANVAN_METRICS_TOKEN (at least 16
// characters) as a bearer token.
func (d *Deps) metricsAllowed(r *http.Request) bool {
	if p := PrincipalFrom(r.Context()); p != nil && p.IsAdmin() {
		return true
	}
	want := os.Getenv(MetricsTokenEnv)
	auth := r.Header.Get("Authorization")
	if len(want) < 16 || !strings.HasPrefix(auth, "Bearer ") {
		return false
	}
	got := strings.TrimSpace(strings.TrimPrefix(auth, "Bearer "))
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// Metrics counts requests in the Prometheus text format, without a
// client library: a handful of counters do not justify one.
type Metrics struct {
	mu       sync.Mutex
	requests map[[3]string]uint64
	durSum   map[string]float64
	durCount map[string]uint64
	buckets  map[string][]uint64
	started  time.Time
}

var bucketBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// NewMetrics starts the counters.
func NewMetrics() *Metrics {
	return &Metrics{requests: map[[3]string]uint64{}, durSum: map[string]float64{}, durCount: map[string]uint64{}, buckets: map[string][]uint64{}, started: time.Now()}
}

// Observe records one request.
func (m *Metrics) Observe(method, route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[3]string{method, route, fmt.Sprint(status)}]++
	s := d.Seconds()
	m.durSum[route] += s
	m.durCount[route]++
	b := m.buckets[route]
	if b == nil {
		b = make([]uint64, len(bucketBounds))
		m.buckets[route] = b
	}
	for i, ub := range bucketBounds {
		if s <= ub {
			b[i]++
		}
	}
}

// Write renders the metrics.
func (m *Metrics) Write(w http.ResponseWriter, openConns int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP danvan_http_requests_total HTTP requests by method, route and status.")
	fmt.Fprintln(w, "# TYPE danvan_http_requests_total counter")
	for k, v := range m.requests {
		fmt.Fprintf(w, "danvan_http_requests_total{method=%q,route=%q,status=%q} %d\n", k[0], k[1], k[2], v)
	}
	fmt.Fprintln(w, "# HELP danvan_http_request_duration_seconds HTTP request latency by route.")
	fmt.Fprintln(w, "# TYPE danvan_http_request_duration_seconds histogram")
	for route, b := range m.buckets {
		for i, ub := range bucketBounds {
			fmt.Fprintf(w, "danvan_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", route, ub, b[i])
		}
		fmt.Fprintf(w, "danvan_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, m.durCount[route])
		fmt.Fprintf(w, "danvan_http_request_duration_seconds_sum{route=%q} %g\n", route, m.durSum[route])
		fmt.Fprintf(w, "danvan_http_request_duration_seconds_count{route=%q} %d\n", route, m.durCount[route])
	}
	fmt.Fprintln(w, "# HELP danvan_db_open_connections Open database connections.")
	fmt.Fprintln(w, "# TYPE danvan_db_open_connections gauge")
	fmt.Fprintf(w, "danvan_db_open_connections %d\n", openConns)
	fmt.Fprintln(w, "# HELP danvan_uptime_seconds Seconds since the process started.")
	fmt.Fprintln(w, "# TYPE danvan_uptime_seconds gauge")
	fmt.Fprintf(w, "danvan_uptime_seconds %g\n", time.Since(m.started).Seconds())
}

// ErrForbidden and friends are returned by helpers that check access.
var (
	ErrUnauthenticated = service.ErrUnauthenticated
	ErrForbidden       = service.ErrForbidden
)

// WithLocale binds a locale to ctx (error pages rendered outside the middleware).
func WithLocale(ctx context.Context, l i18n.Locale) context.Context {
	return context.WithValue(ctx, keyLocale, l)
}
