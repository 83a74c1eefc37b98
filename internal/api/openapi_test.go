package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/server"
)

type openAPIDoc struct {
	OpenAPI    string                               `json:"openapi"`
	Paths      map[string]map[string]map[string]any `json:"paths"`
	Components map[string]map[string]any            `json:"components"`
}

// TestOpenAPICoversEveryRoute fails when an endpoint is registered without
// being described, or described without being registered.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	var doc openAPIDoc
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	var documented []string
	for path, item := range doc.Paths {
		for method, op := range item {
			documented = append(documented, strings.ToUpper(method)+" "+api.Prefix+path)
			if _, ok := op["responses"].(map[string]any)["500"]; !ok {
				t.Errorf("%s %s: no error responses", method, path)
			}
		}
	}
	sort.Strings(documented)
	routes := api.Routes()
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("openapi.json describes %s, which is not registered", d)
		}
	}

	// Every route is really served by the mux under its own pattern.
	mux := http.NewServeMux()
	api.Register(mux, &server.Deps{})
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		if !strings.HasPrefix(path, api.Prefix+"/") {
			t.Errorf("%s is outside %s", r, api.Prefix)
		}
		req := httptest.NewRequest(method, strings.ReplaceAll(path, "{id}", "1"), nil)
		if _, pat := mux.Handler(req); pat != r {
			t.Errorf("%s is served by %q", r, pat)
		}
	}
}

// TestOpenAPIReferencesResolve walks the document for $ref.
func TestOpenAPIReferencesResolve(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	n := 0
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				n++
				var cur any = doc
				for _, part := range strings.Split(strings.TrimPrefix(r, "#/"), "/") {
					m, _ := cur.(map[string]any)
					cur = m[part]
				}
				if cur == nil {
					t.Errorf("$ref %s does not resolve", r)
				}
			}
			for _, v := range x {
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(doc)
	if n < 20 {
		t.Fatalf("only %d references", n)
	}
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if schemes["bearer"] == nil || schemes["cookie"] == nil {
		t.Fatalf("securitySchemes: %v", schemes)
	}
}

func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	w := e.do("GET", "/api/v1/openapi.json", nil)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") || w.Body.String() != string(api.OpenAPI()) {
		t.Fatalf("openapi.json: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}
