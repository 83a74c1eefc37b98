package api

// Programme tracking: directives, tasks, assignments, unit plans and
// progress. The rules live in internal/programme; permission checks here:
// directive.manage for the coordinator's registrations, plan.edit on the
// unit for its plan and progress, plan.read to read a plan.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
)

// programmeFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func programmeFeature() feature {
	return newFeature("programme", "Directives, their tasks and addressees, task assignments, unit plans and progress with derived status and weighted roll-up.",
		[]route{
			{"GET", Prefix + "/directives", true, (*api).listDirectives},
			{"POST", Prefix + "/directives", true, (*api).createDirective},
			{"GET", Prefix + "/directives/{id}", true, (*api).getDirective},
			{"POST", Prefix + "/directives/{id}/tasks", true, (*api).createTask},
			{"POST", Prefix + "/tasks/{id}/assignments", true, (*api).createAssignment},
			{"GET", Prefix + "/units/{id}/plan", true, (*api).unitPlan},
			{"POST", Prefix + "/units/{id}/activities", true, (*api).createActivity},
			{"POST", Prefix + "/activities/{id}/progress", true, (*api).postProgress},
		},
		programmeOps(), programmeSchemas())
}

// programmeRules are the status thresholds (programme.DefaultRules).
var programmeRules = programme.DefaultRules()

// Detail of a stale write.
const detailStale = "programme.detail.stale"

// programmeErr turns validation errors into a 422 with one entry per field.
func programmeErr(err error) error {
	var ve programme.Errors
	if errors.As(err, &ve) {
		var inv invalid
		for f, k := range ve {
			inv.add(f, k)
		}
		sortFields(inv)
		return inv.err()
	}
	return err
}

func sortFields(v invalid) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].field < v[j-1].field; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

func (a *api) can(r *http.Request, act authz.Action, unitID int64) error {
	if !a.d.Can(r.Context(), act, unitID) {
		return errForbidden()
	}
	return nil
}

// DirectivePage is the list of directives.
type DirectivePage = Page[programme.Directive]

func (a *api) listDirectives(w http.ResponseWriter, r *http.Request) error {
	if err := a.can(r, authz.ActionDirectiveRead, 0); err != nil {
		return err
	}
	p, err := pageParams(r.URL.Query(), false)
	if err != nil {
		return err
	}
	ds, err := a.d.Store.ListDirectives(r.Context())
	if err != nil {
		return err
	}
	total := len(ds)
	ds = ds[min(p.Offset, total):min(p.Offset+p.Limit, total)]
	for i := range ds {
		fillDirective(&ds[i])
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, ds, total, p))
}

// fillDirective replaces nil slices by empty ones (JSON arrays, not null).
func fillDirective(d *programme.Directive) {
	if d.Texts == nil {
		d.Texts = []programme.Text{}
	}
	if d.Attachments == nil {
		d.Attachments = []programme.Attachment{}
	}
}

// DirectiveCreate is the body of POST /directives.
type DirectiveCreate struct {
	Number       string           `json:"number"`
	DocType      string           `json:"doc_type"`
	IssuedOn     string           `json:"issued_on"`
	IssuerUnitID int64            `json:"issuer_unit_id"`
	Signer       string           `json:"signer"`
	SignerTitle  string           `json:"signer_title"`
	Texts        []programme.Text `json:"texts"`
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
	if in.IssuerUnitID <= 0 {
		return programmeErr(programme.Errors{"issuer_unit_id": programme.MsgRequired})
	}
	if _, err := a.d.Store.GetUnit(r.Context(), in.IssuerUnitID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return invalid{{field: "issuer_unit_id", msg: msgFieldNoUnit}}.err()
		}
		return err
	}
	if err := a.can(r, authz.ActionDirectiveManage, in.IssuerUnitID); err != nil {
		return err
	}
	d := programme.Directive{Number: in.Number, DocType: in.DocType, IssuedOn: in.IssuedOn, IssuerUnitID: in.IssuerUnitID,
		Signer: strings.TrimSpace(in.Signer), SignerTitle: strings.TrimSpace(in.SignerTitle), Texts: in.Texts}
	for _, at := range in.Attachments {
		d.Attachments = append(d.Attachments, programme.Attachment{Name: at.Name, URL: at.URL})
	}
	if err := a.d.Store.CreateDirective(r.Context(), actor(r), &d); err != nil {
		return programmeErr(err)
	}
	got, err := a.d.Store.GetDirective(r.Context(), d.ID)
	if err != nil {
		return err
	}
	fillDirective(&got)
	w.Header().Set("Location", Prefix+"/directives/"+strconv.FormatInt(d.ID, 10))
	return writeJSON(w, http.StatusCreated, got)
}

// DirectiveDetail is a directive with its tasks and roll-up on a date.
type DirectiveDetail struct {
	programme.Directive
	At      string            `json:"at"`
	Summary programme.Summary `json:"summary"`
}

func (a *api) getDirective(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.can(r, authz.ActionDirectiveRead, 0); err != nil {
		return err
	}
	at, err := dateParam(r.URL.Query(), "at", a.today())
	if err != nil {
		return err
	}
	d, err := a.d.Store.GetDirective(r.Context(), id)
	if err != nil {
		return err
	}
	acts, err := a.d.Store.DirectiveActivities(r.Context(), id)
	if err != nil {
		return err
	}
	fillDirective(&d)
	if d.Tasks == nil {
		d.Tasks = []programme.Task{}
	}
	if d.Addressees == nil {
		d.Addressees = []programme.Addressee{}
	}
	return writeJSON(w, http.StatusOK, DirectiveDetail{Directive: d, At: at, Summary: programme.Summarise(d, acts, programmeRules, at)})
}

// TaskCreate is the body of POST /directives/{id}/tasks.
type TaskCreate struct {
	Number int              `json:"number"`
	Weight *float64         `json:"weight"`
	Texts  []programme.Text `json:"texts"`
}

func (a *api) createTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.d.Store.GetDirective(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.can(r, authz.ActionDirectiveManage, d.IssuerUnitID); err != nil {
		return err
	}
	var in TaskCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t := programme.Task{DirectiveID: id, Number: in.Number, Weight: 1, Texts: in.Texts}
	if in.Weight != nil {
		t.Weight = *in.Weight
	}
	if err := a.d.Store.AddTask(r.Context(), actor(r), &t); err != nil {
		return programmeErr(err)
	}
	return writeJSON(w, http.StatusCreated, t)
}

// AssignmentCreate is the body of POST /tasks/{id}/assignments.
type AssignmentCreate struct {
	UnitID int64  `json:"unit_id"`
	Role   string `json:"role"`
	DueOn  string `json:"due_on"`
}

func (a *api) createAssignment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.d.Store.GetTask(r.Context(), id); err != nil {
		return err
	}
	var in AssignmentCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	as := programme.Assignment{TaskID: id, UnitID: in.UnitID, Role: in.Role, DueOn: in.DueOn}
	if err := as.Validate(); err != nil {
		return programmeErr(err)
	}
	u, err := a.d.Store.GetUnit(r.Context(), in.UnitID)
	if errors.Is(err, store.ErrNotFound) {
		return invalid{{field: "unit_id", msg: msgFieldNoUnit}}.err()
	}
	if err != nil {
		return err
	}
	if err := a.can(r, authz.ActionDirectiveManage, u.ID); err != nil {
		return err
	}
	if err := a.d.Store.AssignTask(r.Context(), actor(r), &as); err != nil {
		return programmeErr(err)
	}
	as.UnitName = u.Name
	return writeJSON(w, http.StatusCreated, as)
}

// Plan is a unit's assigned tasks and activities with their status on a date.
type Plan struct {
	UnitID        int64                  `json:"unit_id"`
	UnitName      string                 `json:"unit_name"`
	At            string                 `json:"at"`
	Assignments   []programme.Assignment `json:"assignments"`
	Activities    []programme.Activity   `json:"activities"`
	Rollup        programme.Rollup       `json:"rollup"`
	SubtreeRollup programme.Rollup       `json:"subtree_rollup"`
}

func (a *api) unitPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.d.Store.GetUnit(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.can(r, authz.ActionPlanRead, id); err != nil {
		return err
	}
	at, err := dateParam(r.URL.Query(), "at", a.today())
	if err != nil {
		return err
	}
	p, err := BuildPlan(r, a.d.Store, u.ID, at)
	if err != nil {
		return err
	}
	p.UnitName = u.Name
	return writeJSON(w, http.StatusOK, p)
}

// BuildPlan reads a unit's plan with statuses and roll-ups on at.
func BuildPlan(r *http.Request, st *store.Store, unitID int64, at string) (Plan, error) {
	ctx := r.Context()
	p := Plan{UnitID: unitID, At: at}
	var err error
	if p.Assignments, err = st.UnitAssignments(ctx, unitID); err != nil {
		return p, err
	}
	if p.Activities, err = st.UnitActivities(ctx, unitID); err != nil {
		return p, err
	}
	programmeRules.Derive(p.Activities, at)
	items := make([]programme.Item, len(p.Activities))
	for i, x := range p.Activities {
		items[i] = x.Item()
	}
	p.Rollup = programme.Roll(items)
	under, parent, err := st.ActivitiesUnder(ctx, unitID)
	if err != nil {
		return p, err
	}
	programmeRules.Derive(under, at)
	own := map[int64][]programme.Item{}
	for _, x := range under {
		own[x.UnitID] = append(own[x.UnitID], x.Item())
	}
	rolls := map[int64]programme.Rollup{}
	for u, its := range own {
		rolls[u] = programme.Roll(its)
	}
	if sub, ok := programme.RollTree(rolls, parent)[unitID]; ok {
		p.SubtreeRollup = sub
	} else {
		p.SubtreeRollup = programme.Roll(nil)
	}
	if p.Assignments == nil {
		p.Assignments = []programme.Assignment{}
	}
	if p.Activities == nil {
		p.Activities = []programme.Activity{}
	}
	return p, nil
}

// ActivityCreate is the body of POST /units/{id}/activities.
type ActivityCreate struct {
	TaskID    int64    `json:"task_id"`
	Title     string   `json:"title"`
	Owner     string   `json:"owner"`
	StartOn   string   `json:"start_on"`
	DueOn     string   `json:"due_on"`
	Indicator string   `json:"indicator"`
	Target    string   `json:"target"`
	Weight    *float64 `json:"weight"`
}

func (a *api) createActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.d.Store.GetUnit(r.Context(), id); err != nil {
		return err
	}
	if err := a.can(r, authz.ActionPlanEdit, id); err != nil {
		return err
	}
	var in ActivityCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	act := programme.Activity{UnitID: id, TaskID: in.TaskID, Title: in.Title, Owner: strings.TrimSpace(in.Owner), StartOn: in.StartOn, DueOn: in.DueOn,
		Indicator: strings.TrimSpace(in.Indicator), Target: strings.TrimSpace(in.Target), Weight: 1}
	if in.Weight != nil {
		act.Weight = *in.Weight
	}
	if err := a.d.Store.CreateActivity(r.Context(), actor(r), &act); err != nil {
		return programmeErr(err)
	}
	got, err := a.d.Store.GetActivity(r.Context(), act.ID)
	if err != nil {
		return err
	}
	got.Status = programmeRules.StatusOf(got.StartOn, got.DueOn, got.Progress, a.today())
	w.Header().Set("ETag", etag(got.Version))
	return writeJSON(w, http.StatusCreated, got)
}

// ProgressCreate is the body of POST /activities/{id}/progress. The version
// seen (or an If-Match header) is required: a write based on an older
// version answers 409 and changes nothing.
type ProgressCreate struct {
	Percent     *int   `json:"percent"`
	Note        string `json:"note"`
	EvidenceURL string `json:"evidence_url"`
	Version     int    `json:"version"`
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
	act, err := a.d.Store.GetActivity(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.can(r, authz.ActionPlanEdit, act.UnitID); err != nil {
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
	var inv invalid
	if in.Percent == nil {
		inv.add("percent", programme.MsgRequired)
	}
	if version <= 0 {
		inv.add("version", programme.MsgRequired)
	}
	if err := inv.err(); err != nil {
		return err
	}
	u := programme.Update{ActivityID: id, Percent: *in.Percent, Note: strings.TrimSpace(in.Note), EvidenceURL: strings.TrimSpace(in.EvidenceURL)}
	got, err := a.d.Store.PostProgress(r.Context(), actor(r), &u, version, nil)
	if errors.Is(err, store.ErrConflict) {
		cur, _ := a.d.Store.GetActivity(r.Context(), id)
		w.Header().Set("ETag", etag(cur.Version))
		return newProblem(http.StatusConflict, kindConflict, detailStale)
	}
	if err != nil {
		return programmeErr(err)
	}
	got.Status = programmeRules.StatusOf(got.StartOn, got.DueOn, got.Progress, a.today())
	w.Header().Set("ETag", etag(got.Version))
	return writeJSON(w, http.StatusCreated, got)
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
		"POST " + Prefix + "/tasks/{id}/assignments": {
			tag: "programme", summary: "Assign a task to a unit as lead or cooperating, with a due date (directive.manage on the unit)",
			desc:   "Assigning the same unit again changes its role and due date.",
			params: append([]obj{paramRef("id")}, c...), body: "AssignmentCreate",
			status: 201, schema: ref("Assignment"), errs: []int{400, 401, 403, 404, 413, 415, 422},
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
		"due_on": date, "directive_id": id, "directive_number": obj{"type": "string"}, "task_number": obj{"type": "integer"}, "task_texts": arrayOf(ref("DirectiveText")),
	}}
	task := obj{"type": "object", "properties": obj{
		"id": id, "directive_id": id, "number": obj{"type": "integer"}, "weight": obj{"type": "number"},
		"texts": arrayOf(ref("DirectiveText")), "assignments": arrayOf(ref("Assignment")),
	}}
	directive := obj{"type": "object", "properties": obj{
		"id": id, "number": obj{"type": "string", "examples": []string{"1470-CV/TU"}}, "doc_type": obj{"type": "string", "enum": programme.DocTypes},
		"issued_on": date, "issuer_unit_id": id, "issuer_name": obj{"type": "string"}, "signer": obj{"type": "string"}, "signer_title": obj{"type": "string"},
		"texts": arrayOf(ref("DirectiveText")), "task_count": obj{"type": "integer"},
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
			"rollup": ref("Rollup"), "subtree_rollup": ref("Rollup"),
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
		"AssignmentCreate": object([]string{"unit_id", "role", "due_on"}, obj{
			"unit_id": id, "role": obj{"type": "string", "enum": []string{"lead", "cooperate"}}, "due_on": date,
		}),
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
