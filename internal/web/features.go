package web

import (
	"html/template"
	"net/http"
)

// features are the capability pages beyond the core ones in web.go. Each
// adds its template helpers to the map it is given and returns a function
// that adds its routes; New and Register call them in this order. A new
// page family is one more entry here.
var features = []func(funcs template.FuncMap) func(w *Web, mux *http.ServeMux){
	builderFeature,
	calendarFeature,
	casesFeature,
	caseworkFeature,
	caseFilesFeature,
	caseStatsFeature,
	civicFeature,
	consolidatedFeature,
	consultFeature,
	dashboardFeature,
	exportsFeature,
	followupFeature,
	newsFeature,
	modelsFeature,
	noticesFeature,
	portalFeature,
	disclosureFeature,
	programmeFeature,
	receptionFeature,
	reportsFeature,
	unitsFeature,
}
