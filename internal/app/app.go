// Package app wires the HTTP doors (HTML, JSON and Open311) and the health endpoints
// into one handler, the same for the server and for tests.
package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/open311"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/web"
)

// Handler builds the complete handler. ready reports through /readyz.
func Handler(d *server.Deps, ready *atomic.Bool) (http.Handler, error) {
	w, err := web.New(d)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	d.Health(mux, ready)
	api.Register(mux, d)
	open311.Register(mux, d)
	w.Register(mux)
	// Cross-origin state-changing requests are refused before any handler
	// runs (Sec-Fetch-Site / Origin), in addition to the CSRF tokens. The
	// refusal speaks the door's language: problem details under the API,
	// the error page elsewhere.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(crossOriginDenied))
	// Open311 clients submit with an API key and no cookie: nothing for a
	// cross-origin page to ride on.
	cop.AddInsecureBypassPattern("POST " + open311.Prefix)
	return d.Wrap(cop.Handler(mux)), nil
}

// crossOriginDenied answers a refused cross-origin request with 403.
func crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != api.Prefix && !strings.HasPrefix(r.URL.Path, api.Prefix+"/") {
		if server.ErrorPage != nil {
			server.ErrorPage(w, r, http.StatusForbidden)
			return
		}
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return
	}
	l := server.LocaleFrom(r.Context())
	body := api.ProblemDetails{
		Type:      api.ProblemType + "csrf",
		Title:     l.T("api.title.forbidden"),
		Status:    http.StatusForbidden,
		Detail:    l.T("api.detail.cross_origin"),
		Instance:  r.URL.Path,
		RequestID: server.RequestID(r.Context()),
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", l.Lang())
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	_ = json.NewEncoder(w).Encode(body)
}
