package api

// Programme tracking: directives, tasks, addressees, assignments, unit
// plans, progress and downloads. Each handler decodes, calls one use case of
// service.Programme (which checks permission and validates) and encodes.

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// programmeFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func programmeFeature() feature {
	ops, schemas := programmeOps(), programmeSchemas()
	for k, v := range programmeEditOps() {
		ops[k] = v
	}
	for k, v := range programmeEditSchemas() {
		schemas[k] = v
	}
	return newFeature("programme", "Directives, their tasks and addressees, task assignments, unit plans and progress with derived status and weighted roll-up; editing and withdrawing them; assigning a task to many units at once.",
		append([]route{
			{"GET", Prefix + "/directives", true, (*api).listDirectives},
			{"POST", Prefix + "/directives", true, (*api).createDirective},
			{"GET", Prefix + "/directives/{id}", true, (*api).getDirective},
			{"POST", Prefix + "/directives/{id}/tasks", true, (*api).createTask},
			{"POST", Prefix + "/directives/{id}/addressees", true, (*api).createAddressee},
			{"GET", Prefix + "/directive-attachments/{id}", true, (*api).getAttachment},
			{"POST", Prefix + "/tasks/{id}/assignments", true, (*api).createAssignment},
			{"GET", Prefix + "/units/{id}/plan", true, (*api).unitPlan},
			{"POST", Prefix + "/units/{id}/activities", true, (*api).createActivity},
			{"POST", Prefix + "/activities/{id}/progress", true, (*api).postProgress},
			{"GET", Prefix + "/evidence/{id}", true, (*api).getEvidence},
		}, programmeEditRoutes()...),
		ops, schemas)
}

// Detail of a stale write.
const detailStale = "programme.detail.stale"

// DirectivePage is the list of directives.
type DirectivePage = Page[programme.Directive]

func (a *api) listDirectives(w http.ResponseWriter, r *http.Request) error {
	p, err := pageParams(r.URL.Query(), false)
	if err != nil {
		return err
	}
	list, err := a.d.Svc.Programme.ListDirectives(r.Context(), server.PrincipalFrom(r.Context()), false)
	if err != nil {
		return err
	}
	ds := list.Items
	total := len(ds)
	ds = ds[min(p.Offset, total):min(p.Offset+p.Limit, total)]
	return writeJSON(w, http.StatusOK, newPage(a, r, ds, total, p))
}

// TextCreate is one language version of a title and body.
type TextCreate = service.TextInput

// DirectiveCreate is the body of POST /directives.
type DirectiveCreate struct {
	Number       string       `json:"number"`
	DocType      string       `json:"doc_type"`
	IssuedOn     string       `json:"issued_on"`
	IssuerUnitID int64        `json:"issuer_unit_id"`
	Signer       string       `json:"signer"`
	SignerTitle  string       `json:"signer_title"`
	Texts        []TextCreate `json:"texts"`
	Attachments  []struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"attachments"`
}

func (a *api) createDirective(w http.ResponseWriter, r *http.Request) error {
	var in DirectiveCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	din := service.DirectiveInput{Number: in.Number, DocType: in.DocType, IssuedOn: in.IssuedOn, IssuerUnitID: in.IssuerUnitID,
		Signer: in.Signer, SignerTitle: in.SignerTitle, Texts: in.Texts}
	for _, at := range in.Attachments {
		din.Attachments = append(din.Attachments, service.AttachmentInput{Name: at.Name, URL: at.URL})
	}
	d, err := a.d.Svc.Programme.CreateDirective(r.Context(), server.PrincipalFrom(r.Context()), din)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/directives/"+strconv.FormatInt(d.ID, 10))
	return writeJSON(w, http.StatusCreated, d)
}

// DirectiveDetail is a directive with its tasks and roll-up on a date.
type DirectiveDetail = service.DirectiveView

func (a *api) getDirective(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	at, err := dateParam(r.URL.Query(), "at", "")
	if err != nil {
		return err
	}
	d, err := a.d.Svc.Programme.GetDirective(r.Context(), server.PrincipalFrom(r.Context()), id, at)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// TaskCreate is the body of POST /directives/{id}/tasks.
type TaskCreate struct {
	Number json.Number  `json:"number"`
	Weight json.Number  `json:"weight"`
	Texts  []TextCreate `json:"texts"`
}

func (a *api) createTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in TaskCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := a.d.Svc.Programme.AddTask(r.Context(), server.PrincipalFrom(r.Context()), id,
		service.TaskInput{Number: in.Number.String(), Weight: in.Weight.String(), Texts: in.Texts})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

// AddresseeCreate is the body of POST /directives/{id}/addressees.
type AddresseeCreate struct {
	UnitID   int64  `json:"unit_id"`
	UnitKind string `json:"unit_kind"`
}

func (a *api) createAddressee(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in AddresseeCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ad, err := a.d.Svc.Programme.AddAddressee(r.Context(), server.PrincipalFrom(r.Context()), id, service.AddresseeInput{UnitID: in.UnitID, UnitKind: in.UnitKind})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, ad)
}

// AssignmentCreate is the body of POST /tasks/{id}/assignments: one unit
// (unit_id), a list (unit_ids), or every unit of a kind (unit_kind).
type AssignmentCreate struct {
	UnitID   int64   `json:"unit_id"`
	UnitIDs  []int64 `json:"unit_ids"`
	UnitKind string  `json:"unit_kind"`
	Role     string  `json:"role"`
	DueOn    string  `json:"due_on"`
}

// AssignmentList answers an assignment to several units.
type AssignmentList struct {
	Items []programme.Assignment `json:"items"`
}

func (a *api) createAssignment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in AssignmentCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	units := in.UnitIDs
	if in.UnitID != 0 {
		units = append([]int64{in.UnitID}, units...)
	}
	as, err := a.d.Svc.Programme.AssignTask(r.Context(), server.PrincipalFrom(r.Context()),
		service.AssignInput{TaskID: id, UnitIDs: units, UnitKind: in.UnitKind, Role: in.Role, DueOn: in.DueOn})
	if err != nil {
		return err
	}
	if in.UnitID != 0 && len(in.UnitIDs) == 0 && len(as) == 1 {
		return writeJSON(w, http.StatusCreated, as[0])
	}
	return writeJSON(w, http.StatusCreated, AssignmentList{Items: as})
}

// Plan is a unit's assigned tasks and activities with their status on a date.
type Plan = service.Plan

func (a *api) unitPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	at, err := dateParam(r.URL.Query(), "at", "")
	if err != nil {
		return err
	}
	p, err := a.d.Svc.Programme.UnitPlan(r.Context(), server.PrincipalFrom(r.Context()), id, service.PlanOptions{At: at})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// ActivityCreate is the body of POST /units/{id}/activities.
type ActivityCreate struct {
	TaskID    int64       `json:"task_id"`
	Title     string      `json:"title"`
	Owner     string      `json:"owner"`
	StartOn   string      `json:"start_on"`
	DueOn     string      `json:"due_on"`
	Indicator string      `json:"indicator"`
	Target    string      `json:"target"`
	Weight    json.Number `json:"weight"`
}

func (a *api) createActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in ActivityCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	got, err := a.d.Svc.Programme.CreateActivity(r.Context(), server.PrincipalFrom(r.Context()), id, service.ActivityInput{
		TaskID: in.TaskID, Title: in.Title, Owner: in.Owner, StartOn: in.StartOn, DueOn: in.DueOn,
		Indicator: in.Indicator, Target: in.Target, Weight: in.Weight.String()})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(got.Version))
	return writeJSON(w, http.StatusCreated, got)
}

// ProgressCreate is the body of POST /activities/{id}/progress. The version
// seen (or an If-Match header) is required: a write based on an older
// version answers 409 and changes nothing.
type ProgressCreate struct {
	Percent     json.Number `json:"percent"`
	Note        string      `json:"note"`
	EvidenceURL string      `json:"evidence_url"`
	Version     int         `json:"version"`
}

func etag(v int) string { return `"` + strconv.Itoa(v) + `"` }

// ifMatchVersion reads If-Match: "3", W/"3" or 3; 0 when absent or unreadable.
func ifMatchVersion(r *http.Request) int {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	v = strings.TrimPrefix(v, "W/")
	n, err := strconv.Atoi(strings.Trim(v, `"`))
	if err != nil || n < 1 {
		return 0
	}
	return n
}

func (a *api) postProgress(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in ProgressCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	version := in.Version
	if version == 0 {
		version = ifMatchVersion(r)
	}
	got, err := a.d.Svc.Programme.PostProgress(r.Context(), server.PrincipalFrom(r.Context()), id,
		service.ProgressInput{Percent: in.Percent.String(), Note: in.Note, EvidenceURL: in.EvidenceURL, Version: version})
	var stale *service.StaleVersionError
	if errors.As(err, &stale) {
		w.Header().Set("ETag", etag(stale.Current))
		return newProblem(http.StatusConflict, kindConflict, detailStale)
	}
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(got.Version))
	return writeJSON(w, http.StatusCreated, got)
}

// download answers with an uploaded file as a download.
func download(w http.ResponseWriter, f service.File) error {
	server.SendFile(w, f.Name, f.ContentType, f.Data)
	return nil
}

func (a *api) getEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := a.d.Svc.Programme.Evidence(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return download(w, f)
}

func (a *api) getAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := a.d.Svc.Programme.DirectiveAttachment(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if f.Data == nil {
		http.Redirect(w, r, f.URL, http.StatusSeeOther)
		return nil
	}
	return download(w, f)
}

func programmeOps() map[string]op {
	c := []obj{paramRef("csrf")}
	return map[string]op{
		"GET " + Prefix + "/directives": {
			tag: "programme", summary: "List directives, newest first (directive.read)",
			params: []obj{paramRef("limit"), paramRef("offset"), paramRef("page")},
			status: 200, schema: pageOf(ref("Directive")), errs: []int{400, 401, 403},
		},
		"POST " + Prefix + "/directives": {
			tag: "programme", summary: "Register a directive (directive.manage on the issuing unit)",
			desc:   "texts holds one entry per language; at least one must be the original (is_translation false). A number already registered answers 409.",
			params: c, body: "DirectiveCreate",
			status: 201, schema: ref("Directive"), errs: []int{400, 401, 403, 409, 413, 415, 422},
		},
		"GET " + Prefix + "/directives/{id}": {
			tag: "programme", summary: "A directive with its texts, tasks, assignments, addressees and roll-up on a date (directive.read)",
			desc: "summary.rollup is the directive's weighted percent and worst status; summary.tasks gives each task's roll-up with each unit's figure. " +
				"Status is derived on `at`: done (100 %), late (past due), at_risk (behind schedule by more than 20 points, or due within 7 days below 80 %), not_started, on_track.",
			params: []obj{paramRef("id"), paramRef("at")},
			status: 200, schema: ref("DirectiveDetail"), errs: []int{400, 401, 403, 404},
		},
		"POST " + Prefix + "/directives/{id}/tasks": {
			tag: "programme", summary: "Add a numbered task (directive.manage)",
			params: append([]obj{paramRef("id")}, c...), body: "DirectiveTaskCreate",
			status: 201, schema: ref("DirectiveTask"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
		"POST " + Prefix + "/directives/{id}/addressees": {
			tag: "programme", summary: "Address a directive to one unit or to every unit of a kind (directive.manage on the issuing unit)",
			params: append([]obj{paramRef("id")}, c...), body: "AddresseeCreate",
			status: 201, schema: ref("Addressee"), errs: []int{400, 401, 403, 404, 413, 415, 422},
		},
		"GET " + Prefix + "/directive-attachments/{id}": {
			tag: "programme", summary: "Download a directive's attachment (directive.read)",
			desc:   "An uploaded file is answered as a download (Content-Disposition: attachment) with a type sniffed from its bytes; a link answers 303 to its address.",
			params: []obj{paramRef("id")},
			status: 200, schema: obj{"type": "string", "format": "binary"}, errs: []int{400, 401, 403, 404},
		},
		"GET " + Prefix + "/evidence/{id}": {
			tag: "programme", summary: "Download an evidence file of a progress update (plan.read on the activity's unit)",
			desc:   "Answered as a download (Content-Disposition: attachment) with a type sniffed from its bytes, never the uploader's declared type.",
			params: []obj{paramRef("id")},
			status: 200, schema: obj{"type": "string", "format": "binary"}, errs: []int{400, 401, 403, 404},
		},
		"POST " + Prefix + "/tasks/{id}/assignments": {
			tag: "programme", summary: "Assign a task to units as lead or cooperating, with a due date (directive.manage on the issuing unit and on every unit)",
			desc: "Give one unit (unit_id: the answer is the assignment), a list (unit_ids, at most 1000) or a kind of unit (unit_kind: every unit of that kind under the issuing body, valid today); " +
				"the answer then lists the assignments. All are stored in one transaction, or none. Assigning the same unit again changes its role and due date. The due date may not be before the directive's date.",
			params: append([]obj{paramRef("id")}, c...), body: "AssignmentCreate",
			status: 201, schema: obj{"oneOf": []obj{ref("Assignment"), object([]string{"items"}, obj{"items": arrayOf(ref("Assignment"))})}}, errs: []int{400, 401, 403, 404, 413, 415, 422},
		},
		"GET " + Prefix + "/units/{id}/plan": {
			tag: "programme", summary: "A unit's assigned tasks and plan, with statuses and roll-ups on a date (plan.read)",
			desc:   "rollup covers the unit's own activities; subtree_rollup every activity of the unit and the units below it.",
			params: []obj{paramRef("id"), paramRef("at")},
			status: 200, schema: ref("Plan"), errs: []int{400, 401, 403, 404},
		},
		"POST " + Prefix + "/units/{id}/activities": {
			tag: "programme", summary: "Add an activity to a unit's plan (plan.edit on the unit)",
			params: append([]obj{paramRef("id")}, c...), body: "ActivityCreate",
			status: 201, schema: ref("Activity"), errs: []int{400, 401, 403, 404, 413, 415, 422},
		},
		"POST " + Prefix + "/activities/{id}/progress": {
			tag: "programme", summary: "Report progress on an activity (plan.edit on its unit)",
			desc: "Optimistic locking: send the activity version you saw, in the body (version) or as If-Match (the ETag of the activity). " +
				"When someone else updated it first the answer is 409 with the current ETag and nothing is stored.",
			params: append([]obj{paramRef("id"), param("If-Match", "header", "The activity's ETag (its version), instead of the version field.", obj{"type": "string"}, false)}, c...),
			body:   "ProgressCreate",
			status: 201, schema: ref("Activity"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
	}
}

func programmeSchemas() obj {
	date := obj{"type": "string", "format": "date"}
	id := obj{"type": "integer", "format": "int64"}
	status := obj{"type": "string", "enum": []string{"not_started", "on_track", "at_risk", "late", "done"}}
	text := object([]string{"lang", "title"}, obj{
		"lang": obj{"type": "string", "enum": programme.Langs}, "title": obj{"type": "string"}, "body": obj{"type": "string"},
		"is_translation": obj{"type": "boolean", "description": "True when this text is a translation of the original."},
	})
	rollup := obj{"type": "object", "properties": obj{
		"percent": obj{"type": "number"}, "status": status, "weight": obj{"type": "number"},
		"counts": obj{"type": "object", "additionalProperties": obj{"type": "integer"}, "description": "Activities per status."},
	}}
	assignment := obj{"type": "object", "properties": obj{
		"id": id, "task_id": id, "unit_id": id, "unit_name": obj{"type": "string"}, "role": obj{"type": "string", "enum": []string{"lead", "cooperate"}},
		"due_on": date, "note": obj{"type": "string"}, "version": obj{"type": "integer", "description": "Optimistic-lock version; also the ETag."},
		"withdrawn": ref("Withdrawal"), "directive_id": id, "directive_number": obj{"type": "string"}, "task_number": obj{"type": "integer"}, "task_texts": arrayOf(ref("DirectiveText")),
	}}
	task := obj{"type": "object", "properties": obj{
		"id": id, "directive_id": id, "number": obj{"type": "integer"}, "weight": obj{"type": "number"},
		"texts": arrayOf(ref("DirectiveText")), "assignments": arrayOf(ref("Assignment")),
		"version": obj{"type": "integer"}, "withdrawn": ref("Withdrawal"),
	}}
	directive := obj{"type": "object", "properties": obj{
		"id": id, "number": obj{"type": "string", "examples": []string{"1470-CV/TU"}}, "doc_type": obj{"type": "string", "enum": programme.DocTypes},
		"issued_on": date, "issuer_unit_id": id, "issuer_name": obj{"type": "string"}, "signer": obj{"type": "string"}, "signer_title": obj{"type": "string"},
		"texts": arrayOf(ref("DirectiveText")), "task_count": obj{"type": "integer"},
		"version": obj{"type": "integer", "description": "Optimistic-lock version; also the ETag of an edit."}, "withdrawn": ref("Withdrawal"),
		"attachments": arrayOf(obj{"type": "object", "properties": obj{"id": id, "name": obj{"type": "string"}, "url": obj{"type": "string"}, "content_type": obj{"type": "string"}, "size": obj{"type": "integer"}}}),
		"tasks":       arrayOf(ref("DirectiveTask")),
		"addressees":  arrayOf(obj{"type": "object", "properties": obj{"id": id, "unit_id": id, "unit_name": obj{"type": "string"}, "unit_kind": ref("UnitKind")}}),
	}}
	detail := obj{"allOf": []obj{ref("Directive"), {"type": "object", "properties": obj{
		"at": date,
		"summary": obj{"type": "object", "properties": obj{
			"rollup": ref("Rollup"),
			"tasks": arrayOf(obj{"type": "object", "properties": obj{"task_id": id, "number": obj{"type": "integer"}, "rollup": ref("Rollup"),
				"units": arrayOf(ref("UnitFigure"))}}),
			"units": arrayOf(ref("UnitFigure")),
		}},
	}}}}
	activity := obj{"type": "object", "properties": obj{
		"id": id, "unit_id": id, "task_id": id, "title": obj{"type": "string"}, "owner": obj{"type": "string"}, "start_on": date, "due_on": date,
		"indicator": obj{"type": "string"}, "target": obj{"type": "string"}, "weight": obj{"type": "number"},
		"progress": obj{"type": "integer", "minimum": 0, "maximum": 100}, "version": obj{"type": "integer", "description": "Optimistic-lock version; also the ETag."},
		"directive_id": id, "directive_number": obj{"type": "string"}, "task_number": obj{"type": "integer"}, "unit_name": obj{"type": "string"}, "status": status,
		"withdrawn": obj{"type": "boolean", "description": "Its directive, task or unit's assignment was withdrawn: it takes no progress and counts in no roll-up."},
	}}
	return obj{
		"DirectiveText":   text,
		"Directive":       directive,
		"DirectiveDetail": detail,
		"DirectiveTask":   task,
		"Assignment":      assignment,
		"Activity":        activity,
		"Rollup":          rollup,
		"UnitFigure":      obj{"type": "object", "properties": obj{"unit_id": id, "unit_name": obj{"type": "string"}, "rollup": ref("Rollup")}},
		"Plan": object([]string{"unit_id", "at", "assignments", "activities", "rollup", "subtree_rollup"}, obj{
			"unit_id": id, "unit_name": obj{"type": "string"}, "at": date, "assignments": arrayOf(ref("Assignment")), "activities": arrayOf(ref("Activity")),
			"withdrawn_assignments": arrayOf(ref("Assignment")),
			"rollup":                ref("Rollup"), "subtree_rollup": ref("Rollup"),
		}),
		"DirectiveCreate": object([]string{"number", "doc_type", "issued_on", "issuer_unit_id", "texts"}, obj{
			"number": obj{"type": "string", "maxLength": 60}, "doc_type": obj{"type": "string", "enum": programme.DocTypes}, "issued_on": date,
			"issuer_unit_id": id, "signer": obj{"type": "string", "maxLength": 200}, "signer_title": obj{"type": "string", "maxLength": 200},
			"texts":       arrayOf(ref("DirectiveText")),
			"attachments": arrayOf(object([]string{"name", "url"}, obj{"name": obj{"type": "string"}, "url": obj{"type": "string", "format": "uri"}})),
		}),
		"DirectiveTaskCreate": object([]string{"number", "texts"}, obj{
			"number": obj{"type": "integer", "minimum": 1}, "weight": obj{"type": "number", "minimum": 0, "default": 1}, "texts": arrayOf(ref("DirectiveText")),
		}),
		"AssignmentCreate": object([]string{"role", "due_on"}, obj{
			"unit_id": id, "unit_ids": obj{"type": "array", "items": id, "maxItems": 1000}, "unit_kind": ref("UnitKind"),
			"role": obj{"type": "string", "enum": []string{"lead", "cooperate"}}, "due_on": date,
		}),
		"Addressee":       obj{"type": "object", "properties": obj{"id": id, "unit_id": id, "unit_name": obj{"type": "string"}, "unit_kind": ref("UnitKind")}},
		"AddresseeCreate": object(nil, obj{"unit_id": id, "unit_kind": ref("UnitKind")}),
		"ActivityCreate": object([]string{"task_id", "title", "start_on", "due_on"}, obj{
			"task_id": id, "title": obj{"type": "string", "maxLength": 500}, "owner": obj{"type": "string"}, "start_on": date, "due_on": date,
			"indicator": obj{"type": "string"}, "target": obj{"type": "string"}, "weight": obj{"type": "number", "minimum": 0, "default": 1},
		}),
		"ProgressCreate": object([]string{"percent"}, obj{
			"percent": obj{"type": "integer", "minimum": 0, "maximum": 100}, "note": obj{"type": "string", "maxLength": 5000},
			"evidence_url": obj{"type": "string", "format": "uri"}, "version": obj{"type": "integer", "minimum": 1, "description": "The version you saw (or send If-Match)."},
		}),
	}
}
