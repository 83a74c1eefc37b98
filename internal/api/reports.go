package api

// Periodic reports: period windows, templates, reports and their workflow
// (draft → submitted → returned/accepted), completeness, value import.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

const (
	rptMsgBadPeriodType  = "report.api.bad_period_type"
	rptMsgBadYear        = "report.api.bad_year"
	rptMsgBadNumber      = "report.api.bad_number"
	rptMsgBadCutoff      = "report.api.bad_cutoff"
	rptMsgBadStatus      = "report.api.bad_status"
	rptDetailLocked      = "report.locked"
	rptDetailTransition  = "report.illegal_transition"
	rptDetailInvalid     = "report.invalid"
	rptDetailStale       = "report.api.stale_version"
	rptDetailNotSched    = "report.not_scheduled"
	rptDetailImport      = "report.api.import_failed"
	rptMsgCommentNeeded  = "report.comment_required"
	rptMaxImportBody     = 16 << 20
	rptMaxAttachmentBody = report.MaxAttachment + 1<<20
)

// reportsFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func reportsFeature() feature {
	id := paramRef("id")
	csrf := paramRef("csrf")
	yearP := param("year", "query", "Year the windows are named after.", obj{"type": "integer", "minimum": 2000, "maximum": 2100}, true)
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
				tag: "reports", summary: "Create a template (template.manage)", desc: "The definition is checked; every problem is listed with its JSON path.",
				params: []obj{csrf}, body: "ReportTemplateInput", status: 201, schema: ref("ReportTemplate"), errs: []int{400, 401, 403, 409, 413, 415, 422},
			},
			"GET " + Prefix + "/report-templates/{id}": {
				tag: "reports", summary: "A template with its schedules", params: []obj{id},
				status: 200, schema: ref("ReportTemplate"), errs: []int{401, 404},
			},
			"PUT " + Prefix + "/report-templates/{id}": {
				tag: "reports", summary: "Replace a template (template.manage)", desc: "version must be the template's current version (409 otherwise).",
				params: []obj{id, csrf}, body: "ReportTemplateInput", status: 200, schema: ref("ReportTemplate"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/report-templates/{id}/schedules": {
				tag: "reports", summary: "Say who reports on a template (template.manage)",
				desc:   "Every unit of the given kinds in the subtree of unit_id (no kinds: the unit itself), with each level's deadline counted from the window's cut-off (e.g. commune 2 working days, province 5).",
				params: []obj{id, csrf}, body: "ReportSchedule", status: 201, schema: ref("ReportSchedule"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/reports": {
				tag: "reports", summary: "Reports the caller may see",
				desc: "A unit sees all its own reports, drafts included; the parent side, leaders, inspectors and council members see submitted, returned and accepted ones.",
				params: []obj{param("unit", "query", "Unit id.", obj{"type": "integer"}, false), param("template", "query", "Template id.", obj{"type": "integer"}, false),
					param("status", "query", "Status.", obj{"type": "string", "enum": []string{"draft", "submitted", "returned", "accepted"}}, false),
					param("year", "query", "Period year.", obj{"type": "integer"}, false), paramRef("limit"), paramRef("offset"), paramRef("page")},
				status: 200, schema: pageOf(ref("Report")), errs: []int{400, 401},
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
			}},
			"ReportTemplateInput": object([]string{"code", "name", "period_type", "definition"}, obj{
				"code": obj{"type": "string"}, "name": obj{"type": "string"}, "description": obj{"type": "string"},
				"period_type": obj{"type": "string", "enum": rptPeriodTypes()}, "cutoff_day": obj{"type": "integer", "minimum": 1, "maximum": 28},
				"definition": ref("ReportDefinition"), "active": obj{"type": "boolean"}, "version": obj{"type": "integer", "description": "PUT: the version read."},
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
					"level": obj{"type": "string"}, "kinds": arrayOf(ref("UnitKind")), "days_after_end": obj{"type": "integer", "minimum": 1}, "working_days": obj{"type": "boolean"},
				})),
			}),
			"ReportOpen": object([]string{"template_id", "unit_id", "year", "number"}, obj{
				"template_id": obj{"type": "integer"}, "unit_id": obj{"type": "integer"}, "year": obj{"type": "integer"}, "number": obj{"type": "integer"},
			}),
			"ReportDraft": object([]string{"version"}, obj{
				"version": obj{"type": "integer"}, "narrative": obj{"type": "object", "additionalProperties": obj{"type": "string"}},
				"values": obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "indicator_code or indicator_code.category → value as text."},
			}),
			"ReportReview": object(nil, obj{"version": obj{"type": "integer"}, "comment": obj{"type": "string"}}),
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
	year, err := rptIntQuery(q, "year", 2000, 2100, true, rptMsgBadYear)
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
	report.Template
	Schedules []report.Assignment `json:"schedules,omitempty"`
}

func (a *api) canManageTemplates(r *http.Request) bool {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		return false
	}
	for _, g := range p.Grants {
		if authz.Can(p.Grants, authz.ActionTemplateManage, authz.Target{UnitID: g.UnitID}) {
			return true
		}
	}
	return false
}

func (a *api) listTemplates(w http.ResponseWriter, r *http.Request) error {
	active, err := boolParam(r.URL.Query(), "active")
	if err != nil {
		return err
	}
	ts, err := a.d.Store.ListTemplates(r.Context(), active)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []report.Template{}
	}
	return writeJSON(w, http.StatusOK, obj{"items": ts})
}

func (a *api) getTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := a.d.Store.GetTemplate(r.Context(), id)
	if err != nil {
		return err
	}
	scs, err := a.d.Store.ListSchedules(r.Context(), id)
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
	Version     int             `json:"version"`
}

// toTemplate checks the input; definition problems become field errors
// with their JSON path.
func (in rptTemplateInput) toTemplate() (report.Template, error) {
	var bad invalid
	t := report.Template{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name), Description: in.Description, CutoffDay: report.DefaultCutoffDay, Active: true}
	pt, err := report.ParsePeriodType(in.PeriodType)
	if err != nil {
		bad.add("period_type", rptMsgBadPeriodType)
	}
	t.PeriodType = pt
	if in.CutoffDay != nil {
		t.CutoffDay = *in.CutoffDay
	}
	if in.Active != nil {
		t.Active = *in.Active
	}
	if len(in.Definition) == 0 {
		bad.add("definition", msgFieldRequired)
	} else if def, err := report.ParseDefinition(in.Definition); err != nil {
		var de *report.DefinitionError
		if errors.As(err, &de) {
			for _, p := range de.Problems {
				bad.add(strings.TrimSuffix("definition."+p.Path, "."), p.Key)
			}
		}
	} else {
		t.Definition = def
	}
	if len(bad) == 0 {
		errs := t.Check()
		keys := make([]string, 0, len(errs))
		for k := range errs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			bad.add(k, errs[k])
		}
	}
	return t, bad.err()
}

func (a *api) createTemplate(w http.ResponseWriter, r *http.Request) error {
	if !a.canManageTemplates(r) {
		return errForbidden()
	}
	var in rptTemplateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := in.toTemplate()
	if err != nil {
		return err
	}
	if err := a.d.Store.CreateTemplate(r.Context(), actor(r), &t); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rptTemplateJSON{Template: t})
}

func (a *api) updateTemplate(w http.ResponseWriter, r *http.Request) error {
	if !a.canManageTemplates(r) {
		return errForbidden()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.d.Store.GetTemplate(r.Context(), id); err != nil {
		return err
	}
	var in rptTemplateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := in.toTemplate()
	if err != nil {
		return err
	}
	t.ID = id
	if err := a.d.Store.UpdateTemplate(r.Context(), actor(r), &t, in.Version); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rptTemplateJSON{Template: t})
}

type rptScheduleInput struct {
	ID         int64                  `json:"id"`
	TemplateID int64                  `json:"template_id"`
	UnitID     int64                  `json:"unit_id"`
	Kinds      []string               `json:"kinds"`
	Deadlines  []report.LevelDeadline `json:"deadlines"`
	Active     bool                   `json:"active"`
}

func (a *api) createSchedule(w http.ResponseWriter, r *http.Request) error {
	if !a.canManageTemplates(r) {
		return errForbidden()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.d.Store.GetTemplate(r.Context(), id); err != nil {
		return err
	}
	var in rptScheduleInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var bad invalid
	if _, err := a.d.Store.GetUnit(r.Context(), in.UnitID); err != nil {
		bad.add("unit_id", msgFieldNoUnit)
	}
	for i, k := range in.Kinds {
		if _, err := org.ParseKind(k); err != nil {
			bad.add(fmt.Sprintf("kinds[%d]", i), msgFieldBadKind)
		}
	}
	if len(in.Deadlines) == 0 {
		bad.add("deadlines", msgFieldRequired)
	}
	levels := make([]report.Deadline, len(in.Deadlines))
	for i, l := range in.Deadlines {
		levels[i] = l.Deadline()
		for j, k := range l.Kinds {
			if _, err := org.ParseKind(k); err != nil {
				bad.add(fmt.Sprintf("deadlines[%d].kinds[%d]", i, j), msgFieldBadKind)
			}
		}
	}
	if err := report.ValidateDeadlines(levels); err != nil && len(in.Deadlines) > 0 {
		key := report.ErrDeadlineDays.Error()
		for _, e := range []error{report.ErrDeadlineLevel, report.ErrDeadlineDuplicate, report.ErrDeadlineDays} {
			if errors.Is(err, e) {
				key = e.Error()
			}
		}
		bad.add("deadlines", key)
	}
	if err := bad.err(); err != nil {
		return err
	}
	sc := report.Assignment{TemplateID: id, UnitID: in.UnitID, Kinds: in.Kinds, Deadlines: in.Deadlines}
	if err := a.d.Store.CreateSchedule(r.Context(), actor(r), &sc); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sc)
}

// --- reports ---

type rptReportJSON struct {
	report.Report
	FieldErrors map[string]string `json:"field_errors,omitempty"`
	CanEdit     bool              `json:"can_edit"`
	CanReview   bool              `json:"can_review"`
}

func (a *api) rptGrants(r *http.Request) []authz.Grant {
	if p := server.PrincipalFrom(r.Context()); p != nil {
		return p.Grants
	}
	return nil
}

// access loads a report and what the caller may do with it; a report the
// caller may not see is 403.
func (a *api) rptAccess(r *http.Request) (report.Report, bool, bool, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return report.Report{}, false, false, err
	}
	rep, err := a.d.Store.GetReport(r.Context(), id)
	if err != nil {
		return rep, false, false, err
	}
	t, err := a.d.Target(r.Context(), rep.UnitID)
	if err != nil {
		return rep, false, false, err
	}
	g := a.rptGrants(r)
	if !report.CanSee(g, t, rep.Status) {
		return rep, false, false, errForbidden()
	}
	canEdit := report.CanEdit(g, rep.UnitID) && authz.Can(g, authz.ActionReportEdit, t) && rep.Status.Editable()
	return rep, canEdit, authz.CanReview(g, t) && rep.Status == report.Submitted, nil
}

func (a *api) rptOut(r *http.Request, rep report.Report, fe report.FieldErrors) rptReportJSON {
	l := a.locale(r)
	j := rptReportJSON{Report: rep}
	if len(fe) > 0 {
		j.FieldErrors = map[string]string{}
		for k, v := range fe {
			j.FieldErrors[k] = l.T(v)
		}
	}
	if t, err := a.d.Target(r.Context(), rep.UnitID); err == nil {
		g := a.rptGrants(r)
		j.CanEdit = report.CanEdit(g, rep.UnitID) && rep.Status.Editable()
		j.CanReview = authz.CanReview(g, t) && rep.Status == report.Submitted
	}
	return j
}

// rptWorkflowErr maps the workflow's errors to problems.
func rptWorkflowErr(err error, fe report.FieldErrors) error {
	switch {
	case errors.Is(err, report.ErrInvalid):
		var bad invalid
		keys := make([]string, 0, len(fe))
		for k := range fe {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			bad.add("values."+k, fe[k])
		}
		p := newProblem(http.StatusUnprocessableEntity, kindValidation, rptDetailInvalid, bad...)
		return p
	case errors.Is(err, report.ErrLocked):
		return newProblem(http.StatusConflict, kindConflict, rptDetailLocked)
	case errors.Is(err, report.ErrTransition):
		return newProblem(http.StatusConflict, kindConflict, rptDetailTransition)
	case errors.Is(err, store.ErrConflict):
		return newProblem(http.StatusConflict, kindConflict, rptDetailStale)
	case errors.Is(err, report.ErrCommentNeeded):
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "comment", msg: rptMsgCommentNeeded})
	case errors.Is(err, store.ErrNotScheduled):
		return newProblem(http.StatusUnprocessableEntity, kindValidation, rptDetailNotSched, fieldErr{field: "unit_id", msg: rptDetailNotSched})
	}
	return err
}

func (a *api) listReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, err := pageParams(q, false)
	if err != nil {
		return err
	}
	all, roots, own := report.Visibility(a.rptGrants(r))
	f := store.ReportFilter{All: all, Roots: roots, Own: own, Limit: pg.Limit, Offset: pg.Offset}
	unit, err := rptIntQuery(q, "unit", 1, 1<<62, false, msgFieldBadInt)
	if err != nil {
		return err
	}
	tpl, err := rptIntQuery(q, "template", 1, 1<<62, false, msgFieldBadInt)
	if err != nil {
		return err
	}
	f.Year, err = rptIntQuery(q, "year", 2000, 2100, false, rptMsgBadYear)
	if err != nil {
		return err
	}
	f.UnitID, f.TemplateID = int64(unit), int64(tpl)
	if s := q.Get("status"); s != "" {
		if !report.Status(s).Valid() {
			return badParam("status", rptMsgBadStatus)
		}
		f.Status = report.Status(s)
	}
	items, total, err := a.d.Store.ListReports(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, pg))
}

func (a *api) getReport(w http.ResponseWriter, r *http.Request) error {
	rep, _, _, err := a.rptAccess(r)
	if err != nil {
		return err
	}
	def, err := a.d.Store.GetTemplate(r.Context(), rep.TemplateID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, rep, report.Validate(def.Definition, rep.Values)))
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
	tpl, err := a.d.Store.GetTemplate(r.Context(), in.TemplateID)
	if errors.Is(err, store.ErrNotFound) {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "template_id", msg: msgFieldRequired})
	}
	if err != nil {
		return err
	}
	var win report.Window
	for _, x := range report.Windows(tpl.Rule(), tpl.PeriodType, in.Year) {
		if x.Number == in.Number {
			win = x
		}
	}
	if win.IsZero() {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "number", msg: rptMsgBadNumber})
	}
	t, err := a.d.Target(r.Context(), in.UnitID)
	if err != nil {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "unit_id", msg: msgFieldNoUnit})
	}
	if g := a.rptGrants(r); !report.CanEdit(g, in.UnitID) || !authz.Can(g, authz.ActionReportEdit, t) {
		return errForbidden()
	}
	rep, err := a.d.Store.EnsureReport(r.Context(), actor(r), tpl.ID, in.UnitID, win)
	if err != nil {
		return rptWorkflowErr(err, nil)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, rep, nil))
}

type rptDraftInput struct {
	Version   int               `json:"version"`
	Narrative map[string]string `json:"narrative"`
	Values    map[string]string `json:"values"`
}

func rptCheckDraft(in rptDraftInput) error {
	var bad invalid
	if in.Version < 1 {
		bad.add("version", msgFieldRequired)
	}
	for k, v := range in.Narrative {
		if !rptUtf8Clean(v) {
			bad.add("narrative."+k, msgFieldBadChars)
		}
	}
	for k, v := range in.Values {
		if !cleanText(v) {
			bad.add("values."+k, msgFieldBadChars)
		}
	}
	return bad.err()
}

// rptUtf8Clean allows new lines and tabs in long text.
func rptUtf8Clean(s string) bool {
	return cleanText(strings.NewReplacer("\n", "", "\r", "", "\t", "").Replace(s))
}

func (a *api) saveReport(w http.ResponseWriter, r *http.Request) error {
	rep, canEdit, _, err := a.rptAccess(r)
	if err != nil {
		return err
	}
	if !canEdit {
		if rep.Status == report.Accepted && report.CanEdit(a.rptGrants(r), rep.UnitID) {
			return rptWorkflowErr(report.ErrLocked, nil)
		}
		return errForbidden()
	}
	var in rptDraftInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := rptCheckDraft(in); err != nil {
		return err
	}
	out, fe, err := a.d.Store.SaveDraft(r.Context(), actor(r), rep.ID, in.Version, store.ReportDraft{Narrative: in.Narrative, Values: in.Values})
	if err != nil {
		return rptWorkflowErr(err, fe)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, out, fe))
}

func (a *api) submitReport(w http.ResponseWriter, r *http.Request) error {
	rep, canEdit, _, err := a.rptAccess(r)
	if err != nil {
		return err
	}
	g := a.rptGrants(r)
	t, _ := a.d.Target(r.Context(), rep.UnitID)
	if !report.CanEdit(g, rep.UnitID) || !authz.Can(g, authz.ActionReportSubmit, t) {
		return errForbidden()
	}
	_ = canEdit
	var in rptDraftInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := rptCheckDraft(in); err != nil {
		return err
	}
	var d *store.ReportDraft
	if in.Narrative != nil || in.Values != nil {
		d = &store.ReportDraft{Narrative: in.Narrative, Values: in.Values}
		if d.Narrative == nil {
			d.Narrative = rep.Narrative
		}
		if d.Values == nil {
			d.Values = rep.Values
		}
	}
	out, fe, err := a.d.Store.SubmitReport(r.Context(), actor(r), rep.ID, in.Version, d)
	if err != nil {
		return rptWorkflowErr(err, fe)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, out, nil))
}

type rptReviewInput struct {
	Version int    `json:"version"`
	Comment string `json:"comment"`
}

func (a *api) rptReview(w http.ResponseWriter, r *http.Request, accept bool) error {
	rep, _, _, err := a.rptAccess(r)
	if err != nil {
		return err
	}
	t, err := a.d.Target(r.Context(), rep.UnitID)
	if err != nil {
		return err
	}
	if !authz.CanReview(a.rptGrants(r), t) {
		return errForbidden()
	}
	var in rptReviewInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if !rptUtf8Clean(in.Comment) || len(in.Comment) > 4000 {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "comment", msg: msgFieldBadChars})
	}
	var out report.Report
	if accept {
		out, err = a.d.Store.AcceptReport(r.Context(), actor(r), rep.ID, in.Version, in.Comment)
	} else {
		out, err = a.d.Store.ReturnReport(r.Context(), actor(r), rep.ID, in.Version, in.Comment)
	}
	if err != nil {
		return rptWorkflowErr(err, nil)
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
	rep, _, _, err := a.rptAccess(r)
	if err != nil {
		return err
	}
	vs, err := a.d.Store.ReportVersions(r.Context(), rep.ID)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []report.Version{}
	}
	return writeJSON(w, http.StatusOK, obj{"items": vs})
}

func (a *api) importValues(w http.ResponseWriter, r *http.Request) error {
	rep, canEdit, _, err := a.rptAccess(r)
	if err != nil {
		return err
	}
	if !canEdit {
		return errForbidden()
	}
	r.Body = http.MaxBytesReader(w, r.Body, rptMaxImportBody)
	if err := r.ParseMultipartForm(rptMaxImportBody); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return newProblem(http.StatusRequestEntityTooLarge, kindTooLarge, detailTooLarge)
		}
		return newProblem(http.StatusUnsupportedMediaType, kindMediaType, detailMediaType)
	}
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
	tpl, err := a.d.Store.GetTemplate(r.Context(), rep.TemplateID)
	if err != nil {
		return err
	}
	vals, err := report.ImportFile(tpl.Definition, fh.Filename, data)
	if err != nil {
		var ie report.ImportErrors
		if errors.As(err, &ie) {
			var bad invalid
			for _, e := range ie {
				bad.add(fmt.Sprintf("line %d, column %d", e.Line, e.Column), e.Key)
			}
			return newProblem(http.StatusUnprocessableEntity, kindValidation, rptDetailImport, bad...)
		}
		return err
	}
	merged := report.Values{}
	for k, v := range rep.Values {
		merged[k] = v
	}
	for k, v := range vals {
		merged[k] = v
	}
	out, fe, err := a.d.Store.SaveDraft(r.Context(), actor(r), rep.ID, version, store.ReportDraft{Narrative: rep.Narrative, Values: merged})
	if err != nil {
		return rptWorkflowErr(err, fe)
	}
	return writeJSON(w, http.StatusOK, a.rptOut(r, out, fe))
}

func (a *api) completeness(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	tid, err := rptIntQuery(q, "template", 1, 1<<62, true, msgFieldBadInt)
	if err != nil {
		return err
	}
	tpl, err := a.d.Store.GetTemplate(r.Context(), int64(tid))
	if err != nil {
		return err
	}
	pt := tpl.PeriodType
	if s := q.Get("type"); s != "" {
		if pt, err = report.ParsePeriodType(s); err != nil {
			return badParam("type", rptMsgBadPeriodType)
		}
	}
	year, err := rptIntQuery(q, "year", 2000, 2100, true, rptMsgBadYear)
	if err != nil {
		return err
	}
	num, err := rptIntQuery(q, "number", 1, 12, true, rptMsgBadNumber)
	if err != nil {
		return err
	}
	var win report.Window
	for _, x := range report.Windows(tpl.Rule(), pt, year) {
		if x.Number == num {
			win = x
		}
	}
	if win.IsZero() {
		return badParam("number", rptMsgBadNumber)
	}
	c, err := a.d.Store.Completeness(r.Context(), tpl.ID, win, a.today())
	if err != nil {
		return err
	}
	c, err = rptVisibleCompleteness(r, a.d, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// rptVisibleCompleteness keeps the rows of units whose reports the caller may
// read, with the totals recomputed.
func rptVisibleCompleteness(r *http.Request, d *server.Deps, c report.Completeness) (report.Completeness, error) {
	var g []authz.Grant
	if p := server.PrincipalFrom(r.Context()); p != nil {
		g = p.Grants
	}
	all, roots, _ := report.Visibility(g)
	if all {
		return c, nil
	}
	vis, err := d.Store.SubtreeIDs(r.Context(), roots)
	if err != nil {
		return c, err
	}
	return c.Only(func(id int64) bool { return vis[id] }), nil
}
