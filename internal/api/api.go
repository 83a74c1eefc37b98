// Package api is the JSON door onto danvan, under /api/v1: the same domain
// code and permission checks as the HTML pages, RFC 9457 problem details for
// every error, offset pagination, and an OpenAPI 3.1 description that a test
// keeps in step with the routes.
//
// Handlers are thin: decode → validate → check permission → call the store →
// encode. Authentication (session cookie or bearer token), the locale and
// the request id come from the server middleware, so the mux Register fills
// must be served through [server.Deps.Wrap].
package api

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/danvan/danvan/internal/server"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

type api struct {
	d *server.Deps
}

// handlerFunc handles one route; a returned error becomes problem details.
type handlerFunc func(a *api, w http.ResponseWriter, r *http.Request) error

// route is one endpoint. Every endpoint must be in this table (so that
// Routes and the OpenAPI test see it) and described in openapi.go.
type route struct {
	method, path string
	auth         bool // a signed-in principal is required
	h            handlerFunc
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

func coreRoutes() []route {
	return []route{
		{"GET", Prefix + "/openapi.json", false, (*api).openAPI},
		{"GET", Prefix + "/units", false, (*api).listUnits},
		{"GET", Prefix + "/units/{id}", false, (*api).getUnit},
		{"GET", Prefix + "/units/{id}/subtree", false, (*api).unitSubtree},
		{"GET", Prefix + "/me", true, (*api).me},
		{"GET", Prefix + "/users", true, (*api).listUsers},
		{"POST", Prefix + "/users", true, (*api).createUser},
		{"GET", Prefix + "/users/{id}", true, (*api).getUser},
		{"GET", Prefix + "/users/{id}/grants", true, (*api).listGrants},
		{"POST", Prefix + "/users/{id}/grants", true, (*api).createGrant},
		{"DELETE", Prefix + "/grants/{id}", true, (*api).deleteGrant},
		{"POST", Prefix + "/users/{id}/disable", true, (*api).disableUser},
		{"POST", Prefix + "/users/{id}/enable", true, (*api).enableUser},
		{"GET", Prefix + "/me/tokens", true, (*api).myTokens},
		{"DELETE", Prefix + "/me/tokens/{id}", true, (*api).revokeMyToken},
		{"GET", Prefix + "/audit", true, (*api).listAudit},
		{"GET", Prefix + "/audit/verify", true, (*api).verifyAudit},
	}
}

// fallbackMethods get a catch-all under the prefix that answers 404 or 405
// as problem details. Catch-alls are per method, not one method-less
// pattern, so that they cannot conflict with a "GET /" elsewhere on the mux.
var fallbackMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// Routes lists the registered endpoint patterns ("GET /api/v1/units"),
// sorted, without the 404/405 catch-alls.
func Routes() []string {
	out := make([]string, len(apiDoc().routes))
	for i, rt := range apiDoc().routes {
		out[i] = rt.pattern()
	}
	sort.Strings(out)
	return out
}

// Register adds every /api/v1 route to mux.
func Register(mux *http.ServeMux, d *server.Deps) {
	a := &api{d: d}
	for _, rt := range apiDoc().routes {
		mux.Handle(rt.pattern(), a.endpoint(rt))
	}
	catchAll := map[string]bool{}
	for _, m := range fallbackMethods {
		for _, p := range []string{Prefix, Prefix + "/"} {
			pat := m + " " + p
			catchAll[pat] = true
			mux.Handle(pat, a.noRoute(mux, catchAll))
		}
	}
}

// endpoint wraps a handler: panics become a 500 problem, a bad bearer token
// a 401, a missing principal a 401, and state-changing requests signed in by
// session cookie must carry the session's X-CSRF-Token header.
func (a *api) endpoint(rt route) http.Handler {
	unsafe := rt.method != "GET" && rt.method != "HEAD" && rt.method != "OPTIONS"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		if server.BadToken(r) {
			a.fail(w, r, newProblem(http.StatusUnauthorized, kindInvalidToken, detailBadToken))
			return
		}
		p := server.PrincipalFrom(r.Context())
		if (rt.auth || (unsafe && !publicWrites[rt.pattern()])) && p == nil {
			a.fail(w, r, errUnauthenticated())
			return
		}
		if unsafe && p != nil && !p.ViaToken && (r.Header.Get("X-CSRF-Token") == "" || !a.d.CheckCSRF(r)) {
			a.fail(w, r, newProblem(http.StatusForbidden, kindCSRF, detailCSRF))
			return
		}
		if err := rt.h(a, w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// noRoute answers requests under the prefix that no endpoint matched: 405
// with Allow when the path exists for other methods, 404 otherwise.
func (a *api) noRoute(mux *http.ServeMux, catchAll map[string]bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pat := mux.Handler(probe); pat != "" && !catchAll[pat] && strings.HasPrefix(pat, m+" ") || (m == "HEAD" && slices.Contains(allow, "GET")) {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			a.fail(w, r, newProblem(http.StatusNotFound, kindNoRoute, detailNoRoute))
			return
		}
		if r.Method == "OPTIONS" {
			w.Header().Set("Allow", strings.Join(append(allow, "OPTIONS"), ", "))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		p := newProblem(http.StatusMethodNotAllowed, kindMethod, detailMethod)
		p.allow = allow
		a.fail(w, r, p)
	})
}
