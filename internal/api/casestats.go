package api

// Case statistics: the handlers' figures per unit, kind and category, the
// prolonged cases, and the public scorecard. Each handler decodes, calls
// one use case of service.CaseStats and encodes.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func caseStatsFeature() feature {
	rs := []route{
		{"GET", Prefix + "/cases/stats", true, (*api).caseStats},
		{"GET", Prefix + "/cases/prolonged", true, (*api).prolongedCases},
		{"GET", Prefix + "/public/scorecard", false, (*api).scorecard},
	}
	return newFeature("casestats", "Case statistics per unit, kind and category; prolonged cases for the parent units and the coordinator; the public scorecard per agency and commune (aggregates only).",
		rs, caseStatsOps(), caseStatsSchemas())
}

// unitParam reads ?unit= (0 when absent).
func unitParam(r *http.Request) (int64, error) {
	s := strings.TrimSpace(r.URL.Query().Get("unit"))
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, badParam("unit", msgFieldBadInt)
	}
	return id, nil
}

func (a *api) caseStats(w http.ResponseWriter, r *http.Request) error {
	unit, err := unitParam(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	out, err := a.d.Svc.CaseStats.Stats(r.Context(), server.PrincipalFrom(r.Context()),
		service.CaseStatsFilter{Unit: unit, From: q.Get("from"), To: q.Get("to")}, server.LocaleFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *api) prolongedCases(w http.ResponseWriter, r *http.Request) error {
	unit, err := unitParam(r)
	if err != nil {
		return err
	}
	out, err := a.d.Svc.CaseStats.Prolonged(r.Context(), server.PrincipalFrom(r.Context()), unit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (a *api) scorecard(w http.ResponseWriter, r *http.Request) error {
	year := 0
	if s := strings.TrimSpace(r.URL.Query().Get("year")); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return badParam("year", msgFieldBadInt)
		}
		year = y
	}
	out, err := a.d.Svc.CaseStats.Scorecard(r.Context(), year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func caseStatsOps() map[string]op {
	unit := param("unit", "query", "Only this unit's subtree (default: the subtrees of the caller's grants).", obj{"type": "integer", "format": "int64", "minimum": 1}, false)
	return map[string]op{
		"GET " + Prefix + "/cases/stats": {
			tag: "casestats", summary: "Case figures per unit, kind and category (case.read)",
			desc: "Cases received from–to (default: this year so far). A case is handled when resolved, refused or closed; on time when handled on or before the deadline it answered " +
				"(the extended, else the resolution deadline; for a refusal the acceptance deadline). Rates and averages are -1 when there is nothing to divide.",
			params: []obj{unit,
				param("from", "query", "First day of receipt (YYYY-MM-DD).", obj{"type": "string", "format": "date"}, false),
				param("to", "query", "Last day of receipt (YYYY-MM-DD).", obj{"type": "string", "format": "date"}, false)},
			status: 200, schema: ref("CaseStatsReport"), errs: []int{400, 401, 403, 404, 422},
		},
		"GET " + Prefix + "/cases/prolonged": {
			tag: "casestats", summary: "Prolonged cases (vụ việc kéo dài) of the units below (case.read)",
			desc:   "Open cases past their current deadline, complaints with a second-time complaint, and cases transferred two times or more.",
			params: []obj{unit},
			status: 200, schema: object([]string{"items"}, obj{"items": arrayOf(ref("ProlongedCase"))}), errs: []int{400, 401, 403, 404},
		},
		"GET " + Prefix + "/public/scorecard": {
			tag: "casestats", summary: "The public scorecard of a year per agency and commune (aggregates only)",
			desc: "Units that received fewer than min_cases cases show enough=false and no figures. " +
				"No case content or personal data.",
			params: []obj{param("year", "query", "The year (default: this year).", obj{"type": "integer"}, false)},
			status: 200, schema: ref("Scorecard"), errs: []int{400, 422}, security: []obj{{}},
		},
	}
}

func caseStatsSchemas() obj {
	n := obj{"type": "integer"}
	f := obj{"type": "number"}
	date := obj{"type": "string", "format": "date"}
	figures := obj{"received": n, "handled": n, "on_time": n, "on_time_rate": f, "avg_days": f, "overdue": n, "avg_rating": f, "rated": n}
	line := obj{"key": obj{"type": "string"}, "unit_id": obj{"type": "integer", "format": "int64"}, "name": obj{"type": "string"}}
	for k, v := range figures {
		line[k] = v
	}
	return obj{
		"CaseFigures":   object([]string{"received", "handled", "on_time", "on_time_rate", "avg_days", "overdue", "avg_rating", "rated"}, figures),
		"CaseStatsLine": object([]string{"key", "name", "received"}, line),
		"CaseStatsReport": object([]string{"from", "to", "today", "total", "units", "kinds", "categories"}, obj{
			"from": date, "to": date, "today": date, "unit": obj{"type": "integer", "format": "int64"}, "total": ref("CaseFigures"),
			"units": arrayOf(ref("CaseStatsLine")), "kinds": arrayOf(ref("CaseStatsLine")), "categories": arrayOf(ref("CaseStatsLine")),
		}),
		"ProlongedCase": obj{"allOf": []obj{ref("Case"), object([]string{"overdue", "repeated", "transfers"}, obj{
			"due": date, "overdue": obj{"type": "boolean"}, "repeated": obj{"type": "boolean"}, "transfers": n,
		})}},
		"ScoreLine": object([]string{"unit_id", "name", "enough", "received"}, obj{
			"unit_id": obj{"type": "integer", "format": "int64"}, "name": obj{"type": "string"}, "enough": obj{"type": "boolean"},
			"received": n, "on_time_rate": f, "overdue": n, "avg_days": f, "avg_rating": f,
		}),
		"Scorecard": object([]string{"year", "from", "to", "min_cases", "agencies", "communes", "reports", "commitments"}, obj{
			"year": n, "from": date, "to": date, "min_cases": n, "agencies": arrayOf(ref("ScoreLine")), "communes": arrayOf(ref("ScoreLine")),
			"reports":     obj{"type": "array", "items": ref("RateLine"), "description": "Reports of the year already due, and those sent by their due date, per unit."},
			"commitments": obj{"type": "array", "items": ref("RateLine"), "description": "Dialogue commitments due in the year by today, and those done by their due date, per owning unit."},
		}),
	}
}
