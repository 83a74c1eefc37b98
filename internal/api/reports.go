package api

// Periodic reports: period windows, templates, reports and their workflow
// (draft → submitted → returned/accepted), completeness, value import.

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

const (
	rptMsgBadPeriodType = "report.api.bad_period_type"
	rptMsgBadYear       = "report.api.bad_year"
	rptMsgBadNumber     = "report.api.bad_number"
	rptMsgBadCutoff     = "report.api.bad_cutoff"
	rptMsgBadStatus     = "report.api.bad_status"
	rptDetailLocked     = "report.locked"
	rptDetailTransition = "report.illegal_transition"
	rptDetailStale      = "report.api.stale_version"
	rptMaxImportBody    = 16 << 20
)

// reportsFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func reportsFeature() feature {
	id := paramRef("id")
	csrf := paramRef("csrf")
	yearP := param("year", "query", "Year the windows are named after.", obj{"type": "integer", "minimum": report.MinYear, "maximum": report.MaxYear}, true)
	return newFeature("reports", "Periodic reports: templates, submissions, review, completeness.",
		[]route{
			{"GET", Prefix + "/periods", false, (*api).listPeriods},
			{"GET", Prefix + "/report-templates", true, (*api).listTemplates},
			{"POST", Prefix + "/report-templates", true, (*api).createTemplate},
			{"GET", Prefix + "/report-templates/{id}", true, (*api).getTemplate},
			{"PUT", Prefix + "/report-templates/{id}", true, (*api).updateTemplate},
			{"POST", Prefix + "/report-templates/{id}/schedules", true, (*api).createSchedule},
			{"GET", Prefix + "/reports", true, (*api).listReports},
			{"POST", Prefix + "/reports", true, (*api).openReport},
			{"GET", Prefix + "/reports/{id}", true, (*api).getReport},
			{"PUT", Prefix + "/reports/{id}", true, (*api).saveReport},
			{"POST", Prefix + "/reports/{id}/submit", true, (*api).submitReport},
			{"POST", Prefix + "/reports/{id}/return", true, (*api).returnReport},
			{"POST", Prefix + "/reports/{id}/accept", true, (*api).acceptReport},
			{"GET", Prefix + "/reports/{id}/versions", true, (*api).reportVersions},
			{"POST", Prefix + "/reports/{id}/import", true, (*api).importValues},
			{"GET", Prefix + "/completeness", true, (*api).completeness},
		},
		map[string]op{
			"GET " + Prefix + "/periods": {
				tag: "reports", summary: "Report period windows of a year (Decree 09/2019 cut-offs)",
				desc: "Monthly windows run from the cut-off day (default 15) of the previous month to the day before it; quarterly from the 15th of the month before the quarter; six-month, nine-month and annual from 15 Dec of the previous year.",
				params: []obj{param("type", "query", "Period type.", obj{"type": "string", "enum": rptPeriodTypes()}, true), yearP,
					param("cutoff", "query", "Cut-off day 1–28 (default 15).", obj{"type": "integer", "minimum": 1, "maximum": 28}, false)},
				status: 200, schema: obj{"type": "object", "properties": obj{"items": arrayOf(ref("PeriodWindow"))}}, errs: []int{400}, security: optionalAuth,
			},
			"GET " + Prefix + "/report-templates": {
				tag: "reports", summary: "Report templates", params: []obj{param("active", "query", "1: only active templates.", obj{"type": "string"}, false)},
				status: 200, schema: obj{"type": "object", "properties": obj{"items": arrayOf(ref("ReportTemplate"))}}, errs: []int{400, 401},
			},
			"POST " + Prefix + "/report-templates": {
				tag: "reports", summary: "Create a template (template.manage on owner_unit_id)", desc: "The definition is checked; every problem is listed with its JSON path. The template belongs to owner_unit_id (absent or 0: installation-wide, administrators only); managing it later is checked on that unit.",
				params: []obj{csrf}, body: "ReportTemplateInput", status: 201, schema: ref("ReportTemplate"), errs: []int{400, 401, 403, 409, 413, 415, 422},
			},
			"GET " + Prefix + "/report-templates/{id}": {
				tag: "reports", summary: "A template with its schedules", params: []obj{id},
				status: 200, schema: ref("ReportTemplate"), errs: []int{401, 404},
			},
			"PUT " + Prefix + "/report-templates/{id}": {
				tag: "reports", summary: "Replace a template (template.manage on its owner unit, and on the new one)", desc: "version is required and must be the template's current version (409 otherwise, also when a concurrent update wins).",
				params: []obj{id, csrf}, body: "ReportTemplateInput", status: 200, schema: ref("ReportTemplate"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/report-templates/{id}/schedules": {
				tag: "reports", summary: "Say who reports on a template (template.manage on unit_id, within the template's owner unit)",
				desc:   "Every unit of the given kinds in the subtree of unit_id (no kinds: the unit itself), with each level's deadline counted from the window's cut-off (e.g. commune 2 working days, province 5).",
				params: []obj{id, csrf}, body: "ReportSchedule", status: 201, schema: ref("ReportSchedule"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/reports": {
				tag: "reports", summary: "Reports the caller may see",
				desc: "A unit sees all its own reports, drafts included; the parent side, leaders, inspectors and council members see submitted, returned and accepted ones. " +
					"Newest period first, then highest id. Page by key: pass next_cursor as after (or prev_cursor as before), or follow next / prev; a deep page costs the same as the first. " +
					"offset and page still work but cost more the deeper they go. total counts at most 1,000 matching reports; total_more is true when there are more.",
				params: []obj{param("unit", "query", "Unit id.", obj{"type": "integer"}, false), param("template", "query", "Template id.", obj{"type": "integer"}, false),
					param("status", "query", "Status.", obj{"type": "string", "enum": []string{"draft", "submitted", "returned", "accepted"}}, false),
					param("year", "query", "Period year.", obj{"type": "integer", "minimum": report.MinYear, "maximum": report.MaxYear}, false),
					param("after", "query", "Cursor (next_cursor of the previous answer): the reports after it.", obj{"type": "string", "pattern": `^\d{4}-\d{2}-\d{2}\.\d+$`}, false),
					param("before", "query", "Cursor (prev_cursor of the previous answer): the reports before it.", obj{"type": "string", "pattern": `^\d{4}-\d{2}-\d{2}\.\d+$`}, false),
					paramRef("limit"), paramRef("offset"), paramRef("page")},
				status: 200, schema: obj{"type": "object", "required": []string{"items", "total", "total_more", "limit", "offset", "next", "prev"}, "properties": obj{
					"items": arrayOf(ref("Report")), "total": obj{"type": "integer", "minimum": 0, "maximum": 1000, "description": "Matching reports, counted up to 1,000."},
					"total_more": obj{"type": "boolean", "description": "More than total match."}, "limit": obj{"type": "integer"}, "offset": obj{"type": "integer"},
					"next":        nullable("string", obj{"format": "uri-reference", "description": "The next page, or null on the last one."}),
					"prev":        nullable("string", obj{"format": "uri-reference", "description": "The previous page, or null on the first one."}),
					"next_cursor": obj{"type": "string"}, "prev_cursor": obj{"type": "string"},
				}}, errs: []int{400, 401, 422},
			},
			"POST " + Prefix + "/reports": {
				tag: "reports", summary: "Open (get or create) the report of a unit for a period (report.edit on the unit)",
				params: []obj{csrf}, body: "ReportOpen", status: 200, schema: ref("Report"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/reports/{id}": {
				tag: "reports", summary: "A report with narrative, values and field errors", params: []obj{id},
				status: 200, schema: ref("Report"), errs: []int{401, 403, 404},
			},
			"PUT " + Prefix + "/reports/{id}": {
				tag: "reports", summary: "Save a draft (the unit's own officers)",
				desc:   "version is the version read; a stale version answers 409 and nothing is saved. field_errors in the answer are advisory for drafts; an edit of a submitted report must be valid (422).",
				params: []obj{id, csrf}, body: "ReportDraft", status: 200, schema: ref("Report"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/reports/{id}/submit": {
				tag: "reports", summary: "Submit (optionally saving narrative and values first)",
				desc:   "Invalid values: 422 with every field error; the edit is kept as a draft.",
				params: []obj{id, csrf}, body: "ReportDraft", status: 200, schema: ref("Report"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/reports/{id}/return": {
				tag: "reports", summary: "Return to the unit with a comment (reviewer: the parent side)",
				params: []obj{id, csrf}, body: "ReportReview", status: 200, schema: ref("Report"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/reports/{id}/accept": {
				tag: "reports", summary: "Accept (reviewer: the parent side); the report is then locked",
				params: []obj{id, csrf}, body: "ReportReview", status: 200, schema: ref("Report"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"GET " + Prefix + "/reports/{id}/versions": {
				tag: "reports", summary: "Kept versions (one per status change)", params: []obj{id},
				status: 200, schema: obj{"type": "object", "properties": obj{"items": arrayOf(obj{"type": "object"})}}, errs: []int{401, 403, 404},
			},
			"POST " + Prefix + "/reports/{id}/import": {
				tag: "reports", summary: "Import indicator values from CSV or XLSX (multipart/form-data)",
				desc:   "Form fields: file (columns indicator_code, category, value) and version. Every error is listed as \"line L, column C\"; nothing is imported unless all lines are right. Imported values replace the same cells; the report stays a draft.",
				params: []obj{id, csrf}, status: 200, schema: ref("Report"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"GET " + Prefix + "/completeness": {
				tag: "reports", summary: "Completeness and timeliness of a template for one period",
				desc: "Per expected unit: status, submitted_at and timeliness (on_time, late, missing, pending), with totals, per deadline level and per unit kind; only units the caller may read.",
				params: []obj{param("template", "query", "Template id.", obj{"type": "integer"}, true),
					param("type", "query", "Period type (default: the template's).", obj{"type": "string", "enum": rptPeriodTypes()}, false),
					yearP, param("number", "query", "Month, quarter, or 1.", obj{"type": "integer", "minimum": 1, "maximum": 12}, true)},
				status: 200, schema: ref("Completeness"), errs: []int{400, 401, 404},
			},
		},
		obj{
			"PeriodWindow": object([]string{"type", "year", "number", "from", "to", "label"}, obj{
				"type": obj{"type": "string"}, "year": obj{"type": "integer"}, "number": obj{"type": "integer"},
				"from": obj{"type": "string", "format": "date"}, "to": obj{"type": "string", "format": "date"}, "label": obj{"type": "string"},
			}),
			"ReportDefinition": obj{"type": "object", "description": "sections [{key, title{vi,en,ja}}], indicators [{code, name, type integer|decimal|percent|text|choice, choices, unit, required, min, max, aggregation sum|avg|wavg|min|max|none, weight_code, disaggregation {key, categories [{key, name}]}}], rules [{left, op, right}]."},
			"ReportTemplate": obj{"type": "object", "properties": obj{
				"id": obj{"type": "integer"}, "code": obj{"type": "string"}, "name": obj{"type": "string"}, "description": obj{"type": "string"},
				"period_type": obj{"type": "string"}, "cutoff_day": obj{"type": "integer"}, "definition": ref("ReportDefinition"),
				"version": obj{"type": "integer"}, "active": obj{"type": "boolean"}, "schedules": arrayOf(obj{"type": "object"}),
				"owner_unit_id": obj{"type": "integer", "description": "The unit the template belongs to (0: installation-wide)."},
			}},
			"ReportTemplateInput": object([]string{"code", "name", "period_type", "definition"}, obj{
				"code": obj{"type": "string"}, "name": obj{"type": "string"}, "description": obj{"type": "string"},
				"period_type": obj{"type": "string", "enum": rptPeriodTypes()}, "cutoff_day": obj{"type": "integer", "minimum": 1, "maximum": 28},
				"definition": ref("ReportDefinition"), "active": obj{"type": "boolean"}, "version": obj{"type": "integer", "minimum": 1, "description": "PUT: the version read (required)."},
				"owner_unit_id": obj{"type": "integer", "description": "The unit the template belongs to; managing it needs template.manage there. 0 or absent: installation-wide (administrators)."},
			}),
			"Report": obj{"type": "object", "properties": obj{
				"id": obj{"type": "integer"}, "template_id": obj{"type": "integer"}, "unit_id": obj{"type": "integer"},
				"period_type": obj{"type": "string"}, "period_year": obj{"type": "integer"}, "period_number": obj{"type": "integer"},
				"period_from": obj{"type": "string", "format": "date"}, "period_to": obj{"type": "string", "format": "date"}, "due_on": obj{"type": "string", "format": "date"},
				"status":  obj{"type": "string", "enum": []string{"draft", "submitted", "returned", "accepted"}},
				"version": obj{"type": "integer"}, "narrative": obj{"type": "object"}, "values": obj{"type": "object", "additionalProperties": obj{"type": "string"}},
				"submitted_at": nullable("string"), "reviewed_at": nullable("string"), "review_comment": obj{"type": "string"},
				"field_errors": obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "Field → translated message."},
			}},
			"ReportSchedule": object([]string{"unit_id", "deadlines"}, obj{
				"id": obj{"type": "integer"}, "template_id": obj{"type": "integer"}, "unit_id": obj{"type": "integer"}, "active": obj{"type": "boolean"},
				"kinds": arrayOf(ref("UnitKind")),
				"deadlines": arrayOf(object([]string{"level", "days_after_end"}, obj{
					"level": obj{"type": "string"}, "kinds": arrayOf(ref("UnitKind")), "days_after_end": obj{"type": "integer", "minimum": 1, "maximum": report.MaxDaysAfterEnd}, "working_days": obj{"type": "boolean"},
				})),
			}),
			"ReportOpen": object([]string{"template_id", "unit_id", "year", "number"}, obj{
				"template_id": obj{"type": "integer"}, "unit_id": obj{"type": "integer"}, "year": obj{"type": "integer", "minimum": report.MinYear, "maximum": report.MaxYear}, "number": obj{"type": "integer", "minimum": 1, "maximum": 12},
			}),
			"ReportDraft": object([]string{"version"}, obj{
				"version": obj{"type": "integer"}, "narrative": obj{"type": "object", "additionalProperties": obj{"type": "string"}},
				"values": obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "indicator_code or indicator_code.category → value as text."},
			}),
			"ReportReview": object([]string{"version"}, obj{"version": obj{"type": "integer", "minimum": 1}, "comment": obj{"type": "string", "maxLength": 4000}}),
			"Completeness": obj{"type": "object"},
		})
}

func rptPeriodTypes() []string {
	out := make([]string, len(report.Types))
	for i, t := range report.Types {
		out[i] = string(t)
	}
	return out
}

type rptPeriodJSON struct {
	Type   string `json:"type"`
	Year   int    `json:"year"`
	Number int    `json:"number"`
	From   string `json:"from"`
	To     string `json:"to"`
	Label  string `json:"label"`
}

func rptIntQuery(q url.Values, name string, lo, hi int, required bool, msg string) (int, error) {
	v := q.Get(name)
	if v == "" {
		if required {
			return 0, badParam(name, msg)
		}
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, msg)
	}
	return n, nil
}

func (a *api) listPeriods(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	t, err := report.ParsePeriodType(q.Get("type"))
	if err != nil {
		return badParam("type", rptMsgBadPeriodType)
	}
	year, err := rptIntQuery(q, "year", report.MinYear, report.MaxYear, true, rptMsgBadYear)
	if err != nil {
		return err
	}
	cutoff, err := rptIntQuery(q, "cutoff", 1, 28, false, rptMsgBadCutoff)
	if err != nil {
		return err
	}
	items := []rptPeriodJSON{}
	for _, win := range report.Windows(report.Rule{CutoffDay: cutoff}, t, year) {
		items = append(items, rptPeriodJSON{string(win.Type), win.Year, win.Number, win.From.String(), win.To.String(), win.Label})
	}
	return writeJSON(w, http.StatusOK, obj{"items": items})
}

// --- templates ---

type rptTemplateJSON struct {
	service.Template
	Schedules []service.Schedule `json:"schedules,omitempty"`
}

func (a *api) listTemplates(w http.ResponseWriter, r *http.Request) error {
	active, err := boolParam(r.URL.Query(), "active")
	if err != nil {
		return err
	}
	ts, err := a.d.Svc.Reports.ListTemplates(r.Context(), server.PrincipalFrom(r.Context()), active)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []service.Template{}
	}
	return writeJSON(w, http.StatusOK, obj{"items": ts})
}

func (a *api) getTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, scs, err := a.d.Svc.Reports.Template(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rptTemplateJSON{t, scs})
}

type rptTemplateInput struct {
	Code        string          `json:"code"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	PeriodType  string          `json:"period_type"`
	CutoffDay   *int            `json:"cutoff_day"`
	Definition  json.RawMessage `json:"definition"`
	Active      *bool           `json:"active"`
	OwnerUnitID int64           `json:"owner_unit_id"`
	Version     int             `json:"version"`
}

func (in rptTemplateInput) input() service.TemplateInput {
	return service.TemplateInput{Code: in.Code, Name: in.Name, Description: in.Description, PeriodType: in.PeriodType, CutoffDay: in.CutoffDay,
		Definition: in.Definition, Active: in.Active, OwnerUnitID: in.OwnerUnitID, Version: in.Version}
}

func (a *api) createTemplate(w http.ResponseWriter, r *http.Request) error {
	var in rptTemplateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := a.d.Svc.Reports.CreateTemplate(r.Context(), server.PrincipalFrom(r.Context()), in.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rptTemplateJSON{Template: t})
}

func (a *api) updateTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rptTemplateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := a.d.Svc.Reports.UpdateTemplate(r.Context(), server.PrincipalFrom(r.Context()), id, in.input())
	if err != nil {
		return rptWorkflowErr(err)
	}
	return writeJSON(w, http.StatusOK, rptTemplateJSON{Template: t})
}

type rptScheduleInput struct {
	UnitID    int64                  `json:"unit_id"`
	Kinds     []string               `json:"kinds"`
	Deadlines []report.LevelDeadline `json:"deadlines"`
}

func (a *api) createSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rptScheduleInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	sc, err := a.d.Svc.Reports.CreateSchedule(r.Context(), server.PrincipalFrom(r.Context()), id, service.ScheduleInput{UnitID: in.UnitID, Kinds: in.Kinds, Deadlines: in.Deadlines})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sc)
}

// --- reports ---

type rptReportJSON struct {
	service.Report
	FieldErrors map[string]string `json:"field_errors,omitempty"`
	CanEdit     bool              `json:"can_edit"`
	CanReview   bool              `json:"can_review"`
}

func (a *api) rptOut(r *http.Request, rep service.Report, fe report.FieldErrors) rptReportJSON {
	l := a.locale(r)
	j := rptReportJSON{Report: rep}
	if len(fe) > 0 {
		j.FieldErrors = map[string]string{}
		for k, v := range fe {
			j.FieldErrors[k] = l.T(v)
		}
	}
	j.CanEdit, j.CanReview = a.d.Svc.Reports.Rights(server.PrincipalFrom(r.Context()), rep)
	return j
}

// rptWorkflowErr keeps the workflow's own explanations (locked, illegal
// transition, stale version) in the problem's detail; every other error
// goes to the shared table.
func rptWorkflowErr(err error) error {
	switch {
	case errors.Is(err, report.ErrLocked):
		return newProblem(http.StatusConflict, kindConflict, rptDetailLocked)
	case errors.Is(err, report.ErrTransition):
		return newProblem(http.StatusConflict, kindConflict, rptDetailTransition)
	case errors.Is(err, service.ErrConflict):
		return newProblem(http.StatusConflict, kindConflict, rptDetailStale)
	}
	return err
}

// rptReportPage is a page of the reports list with keyset cursors.
type rptReportPage struct {
	Items []service.Report `json:"items"`
	// Total is capped: total_more says there are more than total.
	Total     int     `json:"total"`
	TotalMore bool    `json:"total_more"`
	Limit     int     `json:"limit"`
	Offset    int     `json:"offset"`
	Next      *string `json:"next"`
	Prev      *string `json:"prev"`
	NextAfter string  `json:"next_cursor,omitempty"`
	PrevAfter string  `json:"prev_cursor,omitempty"`
}

func (a *api) listReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, err := pageParams(q, false)
	if err != nil {
		return err
	}
	sq := service.ReportQuery{Limit: min(pg.Limit, 200), Offset: pg.Offset, Status: q.Get("status")}
	unit, err := rptIntQuery(q, "unit", 1, 1<<62, false, msgFieldBadInt)
	if err != nil {
		return err
	}
	tpl, err := rptIntQuery(q, "template", 1, 1<<62, false, msgFieldBadInt)
	if err != nil {
		return err
	}
	if sq.Year, err = rptIntQuery(q, "year", report.MinYear, report.MaxYear, false, rptMsgBadYear); err != nil {
		return err
	}
	if sq.Status != "" && !report.Status(sq.Status).Valid() {
		return badParam("status", rptMsgBadStatus)
	}
	sq.UnitID, sq.TemplateID = int64(unit), int64(tpl)
	if sq.After, err = service.ParseCursor("after", q.Get("after")); err != nil {
		return badParam("after", msgFieldBadInt)
	}
	if sq.Before, err = service.ParseCursor("before", q.Get("before")); err != nil {
		return badParam("before", msgFieldBadInt)
	}
	if (sq.After != nil || sq.Before != nil) && (sq.Offset != 0 || sq.After != nil && sq.Before != nil) {
		return badParam("after", msgFieldCombine)
	}
	res, err := a.d.Svc.Reports.List(r.Context(), server.PrincipalFrom(r.Context()), sq)
	if err != nil {
		return err
	}
	out := rptReportPage{Items: res.Items, Total: res.Total, TotalMore: res.More, Limit: sq.Limit, Offset: sq.Offset}
	if out.Items == nil {
		out.Items = []service.Report{}
	}
	link := func(param string, c *service.ReportCursor) *string {
		if c == nil {
			return nil
		}
		v := r.URL.Query()
		v.Del("page")
		v.Del("offset")
		v.Del("after")
		v.Del("before")
		v.Set(param, service.EncodeCursor(c))
		v.Set("limit", strconv.Itoa(sq.Limit))
		u := strings.TrimRight(a.d.Cfg.BaseURL, "/") + r.URL.Path + "?" + v.Encode()
		return &u
	}
	out.Next, out.Prev = link("after", res.Next), link("before", res.Prev)
	out.NextAfter, out.PrevAfter = service.EncodeCursor(res.Next), service.EncodeCursor(res.Prev)
	return writeJSON(w, http.StatusOK, out)
}

func (a *api) getReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.d.Svc.Reports.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, v.Report, v.Problems))
}

type rptOpenInput struct {
	TemplateID int64 `json:"template_id"`
	UnitID     int64 `json:"unit_id"`
	Year       int   `json:"year"`
	Number     int   `json:"number"`
}

func (a *api) openReport(w http.ResponseWriter, r *http.Request) error {
	var in rptOpenInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	rep, err := a.d.Svc.Reports.Open(r.Context(), server.PrincipalFrom(r.Context()), service.OpenInput{TemplateID: in.TemplateID, UnitID: in.UnitID, Year: in.Year, Number: in.Number})
	if err != nil {
		return rptWorkflowErr(err)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, rep, nil))
}

type rptDraftInput struct {
	Version   int               `json:"version"`
	Narrative map[string]string `json:"narrative"`
	Values    map[string]string `json:"values"`
}

func (in rptDraftInput) input() service.DraftInput {
	return service.DraftInput{Version: in.Version, Narrative: in.Narrative, Values: in.Values}
}

func (a *api) saveReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rptDraftInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, fe, err := a.d.Svc.Reports.SaveDraft(r.Context(), server.PrincipalFrom(r.Context()), id, in.input())
	if err != nil {
		return rptWorkflowErr(err)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, out, fe))
}

func (a *api) submitReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rptDraftInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := a.d.Svc.Reports.Submit(r.Context(), server.PrincipalFrom(r.Context()), id, in.input(), in.Narrative != nil || in.Values != nil)
	if err != nil {
		return rptWorkflowErr(err)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, out, nil))
}

type rptReviewInput struct {
	Version *int   `json:"version"`
	Comment string `json:"comment"`
}

func (a *api) rptReview(w http.ResponseWriter, r *http.Request, accept bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rptReviewInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := a.d.Svc.Reports.Review(r.Context(), server.PrincipalFrom(r.Context()), id, service.ReviewInput{Version: in.Version, Comment: in.Comment}, accept)
	if err != nil {
		return rptWorkflowErr(err)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, out, nil))
}

func (a *api) returnReport(w http.ResponseWriter, r *http.Request) error {
	return a.rptReview(w, r, false)
}
func (a *api) acceptReport(w http.ResponseWriter, r *http.Request) error {
	return a.rptReview(w, r, true)
}

func (a *api) reportVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vs, err := a.d.Svc.Reports.Versions(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []service.Version{}
	}
	return writeJSON(w, http.StatusOK, obj{"items": vs})
}

func (a *api) importValues(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// Check access before reading a large body.
	if _, err := a.d.Svc.Reports.Get(r.Context(), server.PrincipalFrom(r.Context()), id); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, rptMaxImportBody)
	if err := r.ParseMultipartForm(rptMaxImportBody); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return newProblem(http.StatusRequestEntityTooLarge, kindTooLarge, detailTooLarge)
		}
		return newProblem(http.StatusUnsupportedMediaType, kindMediaType, detailMediaType)
	}
	defer r.MultipartForm.RemoveAll()
	version, err := strconv.Atoi(r.FormValue("version"))
	if err != nil || version < 1 {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "version", msg: msgFieldRequired})
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "file", msg: msgFieldRequired})
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	out, fe, err := a.d.Svc.Reports.ImportValues(r.Context(), server.PrincipalFrom(r.Context()), id, version, fh.Filename, data)
	if err != nil {
		return rptWorkflowErr(err)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, out, fe))
}

func (a *api) completeness(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	tid, err := rptIntQuery(q, "template", 1, 1<<62, true, msgFieldBadInt)
	if err != nil {
		return err
	}
	if s := q.Get("type"); s != "" {
		if _, err := report.ParsePeriodType(s); err != nil {
			return badParam("type", rptMsgBadPeriodType)
		}
	}
	year, err := rptIntQuery(q, "year", report.MinYear, report.MaxYear, true, rptMsgBadYear)
	if err != nil {
		return err
	}
	num, err := rptIntQuery(q, "number", 1, 12, true, rptMsgBadNumber)
	if err != nil {
		return err
	}
	c, err := a.d.Svc.Reports.Completeness(r.Context(), server.PrincipalFrom(r.Context()),
		service.CompletenessQuery{TemplateID: int64(tid), PeriodType: q.Get("type"), Year: year, Number: num, Today: a.today()})
	if err != nil {
		var inv *service.InvalidError
		if errors.As(err, &inv) && len(inv.Fields) == 1 && inv.Fields[0].Field == "number" {
			return badParam("number", rptMsgBadNumber)
		}
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}
