package web

import "net/http"

// Feature files (programme.go, reports.go, …) add their pages from an init
// function with registerFeature; Register calls each. Template helpers a
// feature needs go into funcs from the same init function, and its
// templates are files of their own in templates/ (parsed at start-up).
var featureRoutes []func(w *Web, mux *http.ServeMux)

func registerFeature(f func(w *Web, mux *http.ServeMux)) {
	featureRoutes = append(featureRoutes, f)
}
