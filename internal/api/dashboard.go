package api

// The dashboard's figures as JSON: the same service.Dashboard the HTML page
// draws, for one unit's subtree.

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// dashboardFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func dashboardFeature() feature {
	idQ := func(name, desc string) obj {
		return param(name, "query", desc, obj{"type": "integer", "format": "int64", "minimum": 1}, false)
	}
	num := obj{"type": "number"}
	nnum := nullable("number")
	integer := obj{"type": "integer", "minimum": 0}
	status := obj{"type": "string", "enum": []string{"not_started", "on_track", "at_risk", "late", "done"}}
	period := object([]string{"key", "type", "year", "number", "from", "to", "due_on", "expected", "on_time", "late", "missing", "pending"}, obj{
		"key": str("YYYY-N"), "type": str("Period type."), "year": integer, "number": integer,
		"from": obj{"type": "string", "format": "date"}, "to": obj{"type": "string", "format": "date"}, "due_on": obj{"type": "string", "format": "date"},
		"expected": integer, "on_time": integer, "late": integer, "missing": integer,
		"pending": obj{"type": "integer", "minimum": 0, "description": "Not received and not yet due."},
	})
	option := object([]string{"id", "label"}, obj{"id": obj{"type": "integer", "format": "int64"}, "key": obj{"type": "string"}, "label": obj{"type": "string"}})
	return newFeature("dashboard", "Figures for coordinators and leaders: progress, reporting completeness, trends, late lists.",
		[]route{{"GET", Prefix + "/dashboard", true, (*api).dashboard}},
		map[string]op{
			"GET " + Prefix + "/dashboard": {
				tag: "dashboard", summary: "Dashboard figures of a unit's subtree (dashboard.read)",
				desc: "Progress of a directive per task and per unit (weighted roll-up of activities, units lowest first), activities by derived status, " +
					"reporting completeness of a template over the last 6 periods up to `period` (expected, on time, late, missing, pending), " +
					"the on-time share of the periods already due, indicator trends over the last 12 periods at the unit (maintained consolidated figures, " +
					"else the sum of counted reports), and the late lists. Without `unit`: the highest unit the caller may read dashboards of. " +
					"Sections that cannot be read are empty and named in `problems`.",
				params: []obj{idQ("unit", "Scope: this unit and everything below it."), idQ("directive", "Directive (default: the newest)."),
					idQ("template", "Report template (default: the first active one with reports in scope)."),
					param("period", "query", "Last period shown, as YEAR-NUMBER (\"2026-3\").", obj{"type": "string", "pattern": `^[0-9]{4}-[0-9]{1,2}$`}, false)},
				status: 200, schema: ref("Dashboard"), errs: []int{400, 401, 403, 404},
			},
		},
		obj{
			"DashboardPeriod": period,
			"Dashboard": object([]string{"unit_id", "today", "directives", "progress", "status_counts", "tasks", "units", "templates", "period_choices",
				"completeness", "on_time_percent", "trends", "late_reports", "late_activities", "open_recommendations"}, obj{
				"unit_id": obj{"type": "integer", "format": "int64"}, "today": obj{"type": "string", "format": "date"},
				"directives": arrayOf(option), "directive_id": obj{"type": "integer", "format": "int64"}, "directive": str("Number of the directive shown."),
				"progress":        nullable("number", obj{"description": "Weighted progress (0–100) of the directive in scope; null without activities."}),
				"progress_status": status,
				"status_counts":   obj{"type": "object", "additionalProperties": integer, "description": "Activities per derived status."},
				"tasks": arrayOf(object([]string{"task_id", "number", "title", "percent", "status", "units"}, obj{
					"task_id": obj{"type": "integer", "format": "int64"}, "number": integer, "title": obj{"type": "string"}, "percent": num, "status": status, "units": integer})),
				"units": arrayOf(object([]string{"unit_id", "name", "percent", "status", "activities"}, obj{
					"unit_id": obj{"type": "integer", "format": "int64"}, "name": obj{"type": "string"}, "percent": num, "status": status, "activities": integer})),
				"templates": arrayOf(option), "template_id": obj{"type": "integer", "format": "int64"}, "period_type": obj{"type": "string"},
				"period_choices": arrayOf(ref("DashboardPeriod")), "period": str("The last period shown (YYYY-N)."),
				"completeness":    arrayOf(ref("DashboardPeriod")),
				"on_time_percent": nullable("number", obj{"description": "Received on time / expected over the shown periods already due; null when none is due."}),
				"trends": object([]string{"periods", "series", "source"}, obj{
					"periods": arrayOf(ref("DashboardPeriod")),
					"series": arrayOf(object([]string{"indicator_id", "code", "name", "value_type", "values"}, obj{
						"indicator_id": obj{"type": "integer", "format": "int64"}, "code": obj{"type": "string"}, "name": obj{"type": "string"},
						"value_type": obj{"type": "string"}, "values": arrayOf(nnum)})),
					"source": arrayOf(obj{"type": "string", "enum": []string{"consolidated", "values"}}),
				}),
				"late_reports": arrayOf(object([]string{"unit_id", "unit_name", "period", "period_type", "year", "number", "due_on", "status", "days_late"}, obj{
					"report_id": obj{"type": "integer", "format": "int64", "description": "Absent when the unit has not started the report."},
					"unit_id":   obj{"type": "integer", "format": "int64"}, "unit_name": obj{"type": "string"}, "period": obj{"type": "string"},
					"period_type": obj{"type": "string"}, "year": integer, "number": integer, "due_on": obj{"type": "string", "format": "date"},
					"status": obj{"type": "string"}, "days_late": integer})),
				"late_activities": arrayOf(object([]string{"activity_id", "unit_id", "unit_name", "title", "task_number", "due_on", "progress", "days_late"}, obj{
					"activity_id": obj{"type": "integer", "format": "int64"}, "unit_id": obj{"type": "integer", "format": "int64"}, "unit_name": obj{"type": "string"},
					"title": obj{"type": "string"}, "task_number": integer, "due_on": obj{"type": "string", "format": "date"}, "progress": integer, "days_late": integer})),
				"open_recommendations": nullable("integer", obj{"description": "Inspection recommendations not done in scope; null when not tracked."}),
				"problems":             arrayOf(obj{"type": "string"}),
			}),
		})
}

func dashIDParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, badParam(name, msgFieldBadInt)
	}
	return id, nil
}

func (a *api) dashboard(w http.ResponseWriter, r *http.Request) error {
	unitID, err := dashIDParam(r, "unit")
	if err != nil {
		return err
	}
	directive, err := dashIDParam(r, "directive")
	if err != nil {
		return err
	}
	template, err := dashIDParam(r, "template")
	if err != nil {
		return err
	}
	period := r.URL.Query().Get("period")
	if period != "" && !service.DashboardPeriodPattern.MatchString(period) {
		return badParam("period", service.MsgDashBadPeriod)
	}
	d, err := a.d.Svc.FollowUp.Dashboard(r.Context(), server.PrincipalFrom(r.Context()), service.DashboardInput{UnitID: unitID, DirectiveID: directive,
		TemplateID: template, Period: period, Lang: a.locale(r).Lang()})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}
