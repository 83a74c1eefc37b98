// Package app wires the HTTP doors (HTML and JSON) and the health endpoints
// into one handler, the same for the server and for tests.
package app

import (
	"net/http"
	"sync/atomic"

	"github.com/danvan/danvan/internal/api"
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
	w.Register(mux)
	// Cross-origin state-changing requests are refused before anything else
	// (Sec-Fetch-Site / Origin), in addition to the CSRF tokens.
	return http.NewCrossOriginProtection().Handler(d.Wrap(mux)), nil
}
