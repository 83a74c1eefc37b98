// Package web is the HTML door onto danvan: server-rendered, embedded
// html/template pages that work without JavaScript, enhanced by htmx for
// partial updates. Handlers parse the form, check permission, call the
// store, and render or redirect.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"github.com/danvan/danvan/internal/service"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
)

//go:embed templates
var templatesFS embed.FS

//go:embed static
var staticFS embed.FS

// Web holds parsed templates and dependencies.
type Web struct {
	zone   *time.Location
	d      *server.Deps
	pages  map[string]*template.Template
	routes []func(w *Web, mux *http.ServeMux)
}

// Page is what every template receives.
type Page struct {
	L      i18n.Locale
	P      *server.Principal
	CSRF   string
	Title  string
	Path   string // current path with query, for the language switch's return
	Demo   bool
	Flash  string
	Unread int // unread notifications of the signed-in user
	// CanDashboard: the principal may read a dashboard somewhere (the menu
	// offers no page that would answer 403).
	CanDashboard bool
	// Menu: the other sections the principal may open.
	Menu    service.Menu
	Version string
	// Zone is where times are shown (config TimeZone).
	Zone *time.Location
	Data any
}

// funcs are the template helpers; the locale comes from the Page.
var funcs = template.FuncMap{
	"kindKey": func(k org.Kind) string { return "units.kind." + string(k) },
	"roleKey": func(r authz.Role) string { return "role." + string(r) },
	"indent":  func(depth int) int { return depth * 16 },
	"add":     func(a, b int) int { return a + b },
	"sub":     func(a, b int) int { return a - b },
	"query": func(base string, kv ...any) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			s := fmt.Sprint(kv[i+1])
			if s != "" && s != "0" {
				v.Set(fmt.Sprint(kv[i]), s)
			}
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	},
	"pretty":      prettyJSON,
	"auditWord":   auditWord,
	"auditFields": auditFields,
	// vn converts a stored instant to Vietnam time before it is shown.
	"vn":      func(t time.Time) time.Time { return t.In(vietnam) },
	"nodeCtx": func(p Page, n *node) nodeCtx { return nodeCtx{P: p, N: n} },
	// indentName shows depth in a <select>, where markup is not allowed.
	"indentName": func(u org.Unit) string { return strings.Repeat("\u00a0\u00a0", u.Depth) + u.Name },
}

// New parses every template at start-up: a broken template stops the
// program before it serves anything.
func New(d *server.Deps) (*Web, error) {
	zone, err := d.Cfg.Location()
	if err != nil {
		return nil, err
	}
	w := &Web{d: d, zone: zone, pages: map[string]*template.Template{}}
	fm := maps.Clone(funcs)
	for _, f := range features {
		w.routes = append(w.routes, f(fm))
	}
	layout, err := fs.ReadFile(templatesFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	// Partials: template files with no "content" block hold blocks that
	// pages include (account_notices.html); every page is parsed with them.
	partials := map[string]string{}
	for _, e := range entries {
		if b, err := fs.ReadFile(templatesFS, "templates/"+e.Name()); err == nil && e.Name() != "layout.html" && !strings.Contains(string(b), `{{define "content"}}`) {
			partials[e.Name()] = string(b)
		}
	}
	for _, e := range entries {
		name := e.Name()
		if name == "layout.html" || !strings.HasSuffix(name, ".html") || partials[name] != "" {
			continue
		}
		body, err := fs.ReadFile(templatesFS, "templates/"+name)
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Funcs(fm).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("layout: %w", err)
		}
		for pn, pb := range partials {
			if _, err := t.Parse(pb); err != nil {
				return nil, fmt.Errorf("template %s: %w", pn, err)
			}
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		w.pages[strings.TrimSuffix(name, ".html")] = t
	}
	server.ErrorPage = w.errorPage
	return w, nil
}

// page builds the common part of a Page.
func (w *Web) page(rw http.ResponseWriter, r *http.Request, titleKey string, data any) Page {
	l := server.LocaleFrom(r.Context())
	p := Page{
		L: l, P: server.PrincipalFrom(r.Context()), CSRF: w.d.CSRFToken(rw, r),
		Title: l.T(titleKey), Path: r.URL.RequestURI(), Demo: w.d.Cfg.Demo, Version: w.d.Version, Data: data, Zone: w.zone,
		Flash: flashKey(l, r.URL.Query().Get("flash")),
	}
	if p.P != nil {
		p.Unread, _ = w.d.Svc.FollowUp.UnreadCount(r.Context(), p.P)
		p.CanDashboard = len(w.d.Svc.FollowUp.DashboardTops(p.P)) > 0
		p.Menu = w.d.Svc.MyWork.MenuFor(p.P)
	}
	return p
}

// flashKey accepts a ?flash= message key only when it names a complete
// message (one without placeholders), so a link cannot make the page show an
// arbitrary or broken text.
func flashKey(l i18n.Locale, key string) string {
	if key == "" || len(key) > 80 || !l.Has(key) || strings.Contains(l.T(key), "%") {
		return ""
	}
	return key
}

// render executes a page; an htmx request for a fragment gets only the
// named block.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name string, p Page) {
	t, ok := w.pages[name]
	if !ok {
		w.d.Log.Error("missing template", "name", name)
		w.errorPage(rw, r, http.StatusInternalServerError)
		return
	}
	block := "layout"
	if frag := r.Header.Get("HX-Target"); frag != "" && r.Header.Get("HX-Request") == "true" && t.Lookup("fragment-"+frag) != nil {
		block = "fragment-" + frag
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		w.d.Log.Error("render", "template", name, "err", err, "request_id", server.RequestID(r.Context()))
		w.errorPage(rw, r, http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Vary", "HX-Request, HX-Target, Cookie, Accept-Language")
	rw.WriteHeader(status)
	_, _ = rw.Write(buf.Bytes())
}

type errorData struct {
	Status   int
	Detail   string
	Messages []string
}

// errorPage renders a translated error page.
func (w *Web) errorPage(rw http.ResponseWriter, r *http.Request, status int) {
	w.errorDetail(rw, r, status, "")
}

func (w *Web) errorDetail(rw http.ResponseWriter, r *http.Request, status int, detailKey string) {
	l := server.LocaleFrom(r.Context())
	key := fmt.Sprintf("error.%d", status)
	detail := l.T(key + ".detail")
	if detailKey != "" {
		detail = l.T(detailKey)
	}
	p := w.page(rw, r, key+".title", errorData{Status: status, Detail: detail})
	t := w.pages["error"]
	var buf bytes.Buffer
	if t == nil || t.ExecuteTemplate(&buf, "layout", p) != nil {
		http.Error(rw, l.T(key+".title"), status)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	_, _ = rw.Write(buf.Bytes())
}

// fail maps a service error to a page: the one table of the HTML door.
// Pages that re-render their form on invalid input handle
// [service.InvalidError] themselves; here it becomes a 422 page that lists
// the messages.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	var inv *service.InvalidError
	switch {
	case errors.As(err, &inv):
		w.invalidPage(rw, r, inv)
	case errors.Is(err, service.ErrUnauthenticated):
		http.Redirect(rw, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	case errors.Is(err, service.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	case errors.Is(err, service.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, service.ErrConflict):
		w.errorPage(rw, r, http.StatusConflict)
	case errors.Is(err, service.ErrTooMany):
		w.errorPage(rw, r, http.StatusTooManyRequests)
	case errors.Is(err, context.Canceled):
		// The client went away; nothing to render, nothing to log as an error.
	case errors.Is(err, service.ErrUnavailable):
		w.d.Log.Error("request failed", "err", err, "request_id", server.RequestID(r.Context()))
		w.errorPage(rw, r, http.StatusServiceUnavailable)
	default:
		w.d.Log.Error("request failed", "err", err, "request_id", server.RequestID(r.Context()))
		w.errorPage(rw, r, http.StatusInternalServerError)
	}
}

// invalidPage answers 422 with every field message, translated.
func (w *Web) invalidPage(rw http.ResponseWriter, r *http.Request, inv *service.InvalidError) {
	l := server.LocaleFrom(r.Context())
	msgs := make([]string, 0, len(inv.Fields)+1)
	if inv.Key != "" {
		msgs = append(msgs, l.T(inv.Key))
	}
	for _, f := range inv.Fields {
		msgs = append(msgs, f.Text(l))
	}
	p := w.page(rw, r, "error.422.title", errorData{Status: http.StatusUnprocessableEntity, Detail: l.T("error.422.detail"), Messages: msgs})
	w.render(rw, r, http.StatusUnprocessableEntity, "error", p)
}

// FieldMessages turns an invalid-input error into translated messages per
// field, for forms that show each message beside its field.
func FieldMessages(l i18n.Locale, inv *service.InvalidError) map[string]string {
	out := map[string]string{}
	for _, f := range inv.Fields {
		if _, dup := out[f.Field]; !dup {
			out[f.Field] = f.Text(l)
		}
	}
	return out
}

// require checks that the principal may perform a on unitID; it writes the
// refusal (redirect to sign-in or 403) and returns false when not.
func (w *Web) require(rw http.ResponseWriter, r *http.Request, a authz.Action, unitID int64) bool {
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return false
	}
	if !w.d.Can(r.Context(), a, unitID) {
		w.fail(rw, r, server.ErrForbidden)
		return false
	}
	return true
}

// form parses a POST form and checks its CSRF token.
func (w *Web) form(rw http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(rw, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorPage(rw, r, http.StatusRequestEntityTooLarge)
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return false
	}
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return false
	}
	return true
}

// Register adds the HTML routes and static files to mux.
func (w *Web) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	fileServer := http.FileServer(http.FS(static))
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(fileServer)))
	mux.HandleFunc("GET /{$}", w.home)
	mux.HandleFunc("GET /signin", w.signinForm)
	mux.HandleFunc("POST /signin", w.signin)
	mux.HandleFunc("POST /signout", w.signout)
	mux.HandleFunc("POST /lang", w.setLang)
	mux.HandleFunc("GET /units", w.units)
	mux.HandleFunc("GET /units/{id}", w.unit)
	mux.HandleFunc("GET /admin/users", w.users)
	mux.HandleFunc("POST /admin/users", w.createUser)
	mux.HandleFunc("GET /admin/users/{id}", w.user)
	mux.HandleFunc("POST /admin/users/{id}/grants", w.grant)
	mux.HandleFunc("GET /admin/grants/{id}/revoke", w.revokeConfirm)
	mux.HandleFunc("POST /admin/grants/{id}/revoke", w.revoke)
	mux.HandleFunc("GET /admin/audit", w.auditLog)
	mux.HandleFunc("GET /account", w.accountPage)
	mux.HandleFunc("POST /account/password", w.changePassword)
	mux.HandleFunc("POST /account/position", w.setPosition)
	mux.HandleFunc("POST /account/tokens", w.createToken)
	mux.HandleFunc("GET /account/tokens/{id}/revoke", w.revokeTokenConfirm)
	mux.HandleFunc("POST /account/tokens/{id}/revoke", w.revokeToken)
	mux.HandleFunc("GET /admin/users/{id}/disable", w.disableConfirm)
	mux.HandleFunc("POST /admin/users/{id}/disable", w.setDisabled)
	mux.HandleFunc("POST /admin/users/{id}/password", w.resetPassword)
	for _, f := range w.routes {
		f(w, mux)
	}
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.errorPage(rw, r, http.StatusMethodNotAllowed)
			return
		}
		w.errorPage(rw, r, http.StatusNotFound)
	})
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(rw, r)
	})
}

// vietnam is the one time zone times are shown in.
var vietnam = service.Vietnam

func intParam(r *http.Request, name string, def int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || n < 1 {
		return def
	}
	return n
}

// pager holds pagination for lists.
type pager struct {
	Page, Pages, Total, Size int
	Base                     string // URL without page
	Label                    string // accessible name of the pagination landmark
}

func newPager(r *http.Request, total, size int) pager {
	p := pager{Page: intParam(r, "page", 1), Total: total, Size: size, Label: server.LocaleFrom(r.Context()).T("pagination.label")}
	p.Pages = (total + size - 1) / size
	if p.Pages == 0 {
		p.Pages = 1
	}
	if p.Page > p.Pages {
		p.Page = p.Pages
	}
	q := r.URL.Query()
	q.Del("page")
	q.Del("flash")
	p.Base = r.URL.Path + "?" + q.Encode()
	if len(q) > 0 {
		p.Base += "&"
	}
	return p
}

func (p pager) Offset() int { return (p.Page - 1) * p.Size }

// When shows an instant in the configured zone (Vietnam unless --timezone
// says otherwise), marked up with its machine-readable value.
func (p Page) When(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	t = t.In(p.zone())
	return template.HTML(`<time datetime="` + t.Format(time.RFC3339) + `">` +
		template.HTMLEscapeString(p.L.DateTime(t)) + `</time>`)
}

// Day shows a legal date stored as YYYY-MM-DD, marked up with <time>;
// other text is shown as it is.
func (p Page) Day(s string) template.HTML {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return template.HTML(template.HTMLEscapeString(s))
	}
	return template.HTML(`<time datetime="` + s + `">` + template.HTMLEscapeString(p.L.Date(d)) + `</time>`)
}

func (p Page) zone() *time.Location {
	if p.Zone != nil {
		return p.Zone
	}
	return vietnam
}
