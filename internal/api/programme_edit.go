package api

// Editing and withdrawing directives, tasks and assignments, and assigning
// a task to many units with a preview. Each handler decodes, calls one use
// case of service.Programme and encodes; the version seen comes in the body
// or as If-Match, and a stale write answers 409 with the current ETag.

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// programmeEditRoutes are this file's routes, part of the programme feature.
func programmeEditRoutes() []route {
	return []route{
		{"PUT", Prefix + "/directives/{id}", true, (*api).updateDirective},
		{"POST", Prefix + "/directives/{id}/withdraw", true, (*api).withdrawDirective},
		{"PUT", Prefix + "/tasks/{id}", true, (*api).updateTask},
		{"POST", Prefix + "/tasks/{id}/withdraw", true, (*api).withdrawTask},
		{"PUT", Prefix + "/assignments/{id}", true, (*api).updateAssignment},
		{"POST", Prefix + "/assignments/{id}/withdraw", true, (*api).withdrawAssignment},
		{"POST", Prefix + "/tasks/{id}/assignments/bulk", true, (*api).bulkAssign},
		{"DELETE", Prefix + "/directives/{id}/addressees/{aid}", true, (*api).removeAddressee},
	}
}

// Details of this file's conflicts.
const (
	detailEditStale = "programme_edit.err.stale"
	detailWithdrawn = "programme_edit.err.withdrawn"
)

// versionOf is the version sent in the body, else in If-Match.
func versionOf(r *http.Request, body int) int {
	if body > 0 {
		return body
	}
	return ifMatchVersion(r)
}

// editFail maps a stale write (409 with the current ETag) and a withdrawn
// item (409); other errors go to the common table.
func editFail(w http.ResponseWriter, err error) error {
	var stale *service.StaleVersionError
	var wd *service.WithdrawnError
	switch {
	case errors.As(err, &stale):
		w.Header().Set("ETag", etag(stale.Current))
		return newProblem(http.StatusConflict, kindConflict, detailEditStale)
	case errors.As(err, &wd):
		return newProblem(http.StatusConflict, kindConflict, detailWithdrawn)
	}
	return err
}

// DirectiveUpdate is the body of PUT /directives/{id}: every editable field.
type DirectiveUpdate struct {
	Version     int    `json:"version"`
	Number      string `json:"number"`
	DocType     string `json:"doc_type"`
	IssuedOn    string `json:"issued_on"`
	Signer      string `json:"signer"`
	SignerTitle string `json:"signer_title"`
	Title       string `json:"title"`
	Body        string `json:"body"`
}

func (a *api) updateDirective(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in DirectiveUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Svc.Programme.EditDirective(r.Context(), server.PrincipalFrom(r.Context()), id, service.DirectiveEdit{Version: versionOf(r, in.Version),
		Number: in.Number, DocType: in.DocType, IssuedOn: in.IssuedOn, Signer: in.Signer, SignerTitle: in.SignerTitle, Title: in.Title, Body: in.Body})
	if err != nil {
		return editFail(w, err)
	}
	w.Header().Set("ETag", etag(d.Version))
	return writeJSON(w, http.StatusOK, d)
}

// TaskUpdate is the body of PUT /tasks/{id}.
type TaskUpdate struct {
	Version int         `json:"version"`
	Number  json.Number `json:"number"`
	Weight  json.Number `json:"weight"`
	Title   string      `json:"title"`
	Body    string      `json:"body"`
}

func (a *api) updateTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in TaskUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := a.d.Svc.Programme.EditTask(r.Context(), server.PrincipalFrom(r.Context()), id, service.TaskEdit{Version: versionOf(r, in.Version),
		Number: in.Number.String(), Weight: in.Weight.String(), Title: in.Title, Body: in.Body})
	if err != nil {
		return editFail(w, err)
	}
	w.Header().Set("ETag", etag(t.Version))
	return writeJSON(w, http.StatusOK, t)
}

// AssignmentUpdate is the body of PUT /assignments/{id}; unit_id 0 keeps the unit.
type AssignmentUpdate struct {
	Version int    `json:"version"`
	UnitID  int64  `json:"unit_id"`
	Role    string `json:"role"`
	DueOn   string `json:"due_on"`
	Note    string `json:"note"`
}

func (a *api) updateAssignment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in AssignmentUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	as, err := a.d.Svc.Programme.EditAssignment(r.Context(), server.PrincipalFrom(r.Context()), id, service.AssignmentEdit{Version: versionOf(r, in.Version),
		UnitID: in.UnitID, Role: in.Role, DueOn: in.DueOn, Note: in.Note})
	if err != nil {
		return editFail(w, err)
	}
	w.Header().Set("ETag", etag(as.Version))
	return writeJSON(w, http.StatusOK, as)
}

// Withdraw is the body of POST …/withdraw: the version seen and a reason.
type Withdraw struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

func (a *api) withdraw(w http.ResponseWriter, r *http.Request, do func(id int64, in service.WithdrawInput) (service.Withdrawal, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in Withdraw
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	wd, err := do(id, service.WithdrawInput{Version: versionOf(r, in.Version), Reason: in.Reason})
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, wd)
}

func (a *api) withdrawDirective(w http.ResponseWriter, r *http.Request) error {
	return a.withdraw(w, r, func(id int64, in service.WithdrawInput) (service.Withdrawal, error) {
		return a.d.Svc.Programme.WithdrawDirective(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	})
}

func (a *api) withdrawTask(w http.ResponseWriter, r *http.Request) error {
	return a.withdraw(w, r, func(id int64, in service.WithdrawInput) (service.Withdrawal, error) {
		return a.d.Svc.Programme.WithdrawTask(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	})
}

func (a *api) withdrawAssignment(w http.ResponseWriter, r *http.Request) error {
	return a.withdraw(w, r, func(id int64, in service.WithdrawInput) (service.Withdrawal, error) {
		return a.d.Svc.Programme.WithdrawAssignment(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	})
}

// BulkAssign is the body of POST /tasks/{id}/assignments/bulk.
type BulkAssign struct {
	Scope    string `json:"scope"`
	UnitKind string `json:"unit_kind"`
	UnitID   int64  `json:"unit_id"`
	Role     string `json:"role"`
	DueOn    string `json:"due_on"`
	Note     string `json:"note"`
	Preview  bool   `json:"preview"`
}

func (a *api) bulkAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in BulkAssign
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := a.d.Svc.Programme.BulkAssign(r.Context(), server.PrincipalFrom(r.Context()), service.BulkAssignInput{TaskID: id, Scope: in.Scope,
		UnitKind: in.UnitKind, UnitID: in.UnitID, Role: in.Role, DueOn: in.DueOn, Note: in.Note, Preview: in.Preview})
	if err != nil {
		return editFail(w, err)
	}
	status := http.StatusCreated
	if in.Preview || res.Count == 0 {
		status = http.StatusOK
	}
	return writeJSON(w, status, res)
}

func (a *api) removeAddressee(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return err
	}
	if _, err := a.d.Svc.Programme.RemoveAddressee(r.Context(), server.PrincipalFrom(r.Context()), id, aid); err != nil {
		return editFail(w, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func programmeEditOps() map[string]op {
	c := []obj{paramRef("csrf")}
	ifMatch := param("If-Match", "header", "The ETag (version) you saw, instead of the version field.", obj{"type": "string"}, false)
	lock := "Optimistic locking: send the version you saw (body or If-Match); when someone changed it first the answer is 409 with the current ETag and nothing is stored. " +
		"A withdrawn item answers 409 and takes no change."
	withdraw := "A withdrawal is a status, never a delete: the item stays readable with withdrawn.{at,by,reason}, leaves every roll-up and due list, and takes no progress. " +
		"The units concerned are notified in the same transaction. reason is required."
	return map[string]op{
		"DELETE " + Prefix + "/directives/{id}/addressees/{aid}": {
			tag: "programme", summary: "Take an addressee off a directive (directive.manage on the issuer)",
			desc:   "A withdrawn directive answers 409.",
			params: append([]obj{paramRef("id"), param("aid", "path", "The addressee's id.", obj{"type": "integer", "format": "int64"}, true)}, c...),
			status: 204, errs: []int{400, 401, 403, 404, 409},
		},
		"PUT " + Prefix + "/directives/{id}": {
			tag: "programme", summary: "Edit a directive: number, type, date, signer, and the title and body of its original text (directive.manage on the issuer)",
			desc: lock + " A number already registered answers 409.", params: append([]obj{paramRef("id"), ifMatch}, c...), body: "DirectiveUpdate",
			status: 200, schema: ref("Directive"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
		"PUT " + Prefix + "/tasks/{id}": {
			tag: "programme", summary: "Edit a task: number, weight, and the title and body of its original text (directive.manage on the issuer)",
			desc: lock, params: append([]obj{paramRef("id"), ifMatch}, c...), body: "TaskUpdate",
			status: 200, schema: ref("DirectiveTask"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
		"PUT " + Prefix + "/assignments/{id}": {
			tag: "programme", summary: "Edit an assignment: unit, role, due date, note (directive.manage on the issuer, and on the new unit)",
			desc: lock + " Moving it to a unit that already holds the task answers 409. A new unit or due date is notified.", params: append([]obj{paramRef("id"), ifMatch}, c...), body: "AssignmentUpdate",
			status: 200, schema: ref("Assignment"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
		"POST " + Prefix + "/directives/{id}/withdraw": {
			tag: "programme", summary: "Withdraw (thu hồi) a directive with all its tasks and assignments (directive.manage on the issuer)",
			desc: withdraw, params: append([]obj{paramRef("id"), ifMatch}, c...), body: "Withdraw",
			status: 200, schema: ref("Withdrawal"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
		"POST " + Prefix + "/tasks/{id}/withdraw": {
			tag: "programme", summary: "Withdraw a task with its assignments (directive.manage on the issuer)",
			desc: withdraw, params: append([]obj{paramRef("id"), ifMatch}, c...), body: "Withdraw",
			status: 200, schema: ref("Withdrawal"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
		"POST " + Prefix + "/assignments/{id}/withdraw": {
			tag: "programme", summary: "Withdraw one assignment (directive.manage on the issuer)",
			desc: withdraw + " Assigning the unit again gives the assignment back.", params: append([]obj{paramRef("id"), ifMatch}, c...), body: "Withdraw",
			status: 200, schema: ref("Withdrawal"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
		"POST " + Prefix + "/tasks/{id}/assignments/bulk": {
			tag: "programme", summary: "Assign a task to many units at once: every commune, every unit of a kind, or a subtree (directive.manage on the issuer)",
			desc: "scope communes: every commune, ward and special zone of the issuing body's province (the top of its tree) valid today; kind: every unit of unit_kind there; subtree: unit_id and every unit below it valid today. " +
				"Units the caller may not manage are left out; units that already hold the task are listed in skipped and left as they are. due_on is optional: empty reuses the latest due date of the task's assignments. " +
				"With preview true nothing is stored and the answer (200) lists what would be done; with preview false every assignment is created in one transaction, one audit entry (task.assign_bulk) and one notice per unit, and the answer is 201 with created.",
			params: append([]obj{paramRef("id")}, c...), body: "BulkAssign",
			status: 201, schema: ref("BulkAssignResult"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
	}
}

func programmeEditSchemas() obj {
	date := obj{"type": "string", "format": "date"}
	id := obj{"type": "integer", "format": "int64"}
	version := obj{"type": "integer", "minimum": 1, "description": "The version you saw (or send If-Match)."}
	unit := obj{"type": "object", "properties": obj{"id": id, "code": obj{"type": "string"}, "name": obj{"type": "string"}, "kind": ref("UnitKind"), "parent_id": id}}
	return obj{
		"Withdrawal": object([]string{"at", "by", "reason"}, obj{"at": obj{"type": "string", "format": "date-time"}, "by": obj{"type": "string"}, "reason": obj{"type": "string"}}),
		"DirectiveUpdate": object([]string{"number", "doc_type", "issued_on", "title"}, obj{
			"version": version, "number": obj{"type": "string", "maxLength": 60}, "doc_type": obj{"type": "string", "enum": programme.DocTypes}, "issued_on": date,
			"signer": obj{"type": "string", "maxLength": 200}, "signer_title": obj{"type": "string", "maxLength": 200},
			"title": obj{"type": "string", "maxLength": 500}, "body": obj{"type": "string"},
		}),
		"TaskUpdate": object([]string{"number", "title"}, obj{
			"version": version, "number": obj{"type": "integer", "minimum": 1}, "weight": obj{"type": "number", "minimum": 0, "default": 1},
			"title": obj{"type": "string", "maxLength": 1000}, "body": obj{"type": "string"},
		}),
		"AssignmentUpdate": object([]string{"role", "due_on"}, obj{
			"version": version, "unit_id": id, "role": obj{"type": "string", "enum": []string{"lead", "cooperate"}}, "due_on": date, "note": obj{"type": "string", "maxLength": 5000},
		}),
		"Withdraw": object([]string{"reason"}, obj{"version": version, "reason": obj{"type": "string", "minLength": 1, "maxLength": 2000}}),
		"BulkAssign": object([]string{"scope", "role"}, obj{
			"scope": obj{"type": "string", "enum": service.BulkScopes}, "unit_kind": ref("UnitKind"), "unit_id": id,
			"role": obj{"type": "string", "enum": []string{"lead", "cooperate"}}, "due_on": date, "note": obj{"type": "string", "maxLength": 5000},
			"preview": obj{"type": "boolean", "default": false},
		}),
		"BulkAssignResult": object([]string{"preview", "task_id", "count", "units", "skipped", "created"}, obj{
			"preview": obj{"type": "boolean"}, "task_id": id, "role": obj{"type": "string"}, "due_on": date, "note": obj{"type": "string"},
			"count": obj{"type": "integer", "description": "Units assigned (or, in a preview, to be assigned)."},
			"units": arrayOf(unit), "skipped": arrayOf(unit), "created": arrayOf(ref("Assignment")),
		}),
	}
}
