package web

// Editing and withdrawing directives, tasks and assignments, and assigning
// a task to many units with a preview. Edit pages re-render with each
// message beside its field; a withdrawal has a confirmation page (GET) with
// a mandatory reason, the POST does it; the bulk assignment's preview is a
// GET of the directive's form, its confirmation one POST.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func programmeEditRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /programme/directives/{id}/edit", w.editPage(editDirective))
	mux.HandleFunc("POST /programme/directives/{id}/edit", w.editSave(editDirective))
	mux.HandleFunc("GET /programme/tasks/{id}/edit", w.editPage(editTask))
	mux.HandleFunc("POST /programme/tasks/{id}/edit", w.editSave(editTask))
	mux.HandleFunc("GET /programme/assignments/{id}/edit", w.editPage(editAssignment))
	mux.HandleFunc("POST /programme/assignments/{id}/edit", w.editSave(editAssignment))
	mux.HandleFunc("GET /programme/directives/{id}/withdraw", w.withdrawPage(editDirective))
	mux.HandleFunc("POST /programme/directives/{id}/withdraw", w.withdrawDo(editDirective))
	mux.HandleFunc("GET /programme/tasks/{id}/withdraw", w.withdrawPage(editTask))
	mux.HandleFunc("POST /programme/tasks/{id}/withdraw", w.withdrawDo(editTask))
	mux.HandleFunc("GET /programme/assignments/{id}/withdraw", w.withdrawPage(editAssignment))
	mux.HandleFunc("POST /programme/assignments/{id}/withdraw", w.withdrawDo(editAssignment))
	mux.HandleFunc("GET /programme/directives/{id}/assign-many", w.bulkPreview)
	mux.HandleFunc("POST /programme/directives/{id}/assign-many", w.bulkAssign)
	mux.HandleFunc("GET /programme/directives/{id}/addressees/{aid}/remove", w.addresseeRemovePage)
	mux.HandleFunc("POST /programme/directives/{id}/addressees/{aid}/remove", w.addresseeRemove)
}

// What an edit or withdraw page is about.
const (
	editDirective  = "directive"
	editTask       = "task"
	editAssignment = "assignment"
)

// editForm is what an edit page shows and posts (the fields of its kind).
type editForm struct {
	Version                                        int
	Number, DocType, IssuedOn, Signer, SignerTitle string
	Title, Body, Weight, UnitID, Role, DueOn, Note string
}

type editData struct {
	Kind     string
	Heading  string
	Back     string // the directive page
	Action   string
	D        programme.Directive
	Task     programme.Task
	Asg      programme.Assignment
	Form     editForm
	Errors   fieldErrs
	Problem  string // a message for the whole form: stale, withdrawn
	TextLang string // language of the original text edited
	DocTypes []string
	Units    []org.Unit
}

// editItem is an item read for its edit or withdraw page.
type editItem struct {
	d    programme.Directive
	task programme.Task
	asg  programme.Assignment
	// units: assigned units told of a withdrawal.
	units int
}

func (w *Web) readEditItem(rw http.ResponseWriter, r *http.Request, kind string) (int64, editItem, bool) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return 0, editItem{}, false
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	svc := w.d.Svc.Programme
	var it editItem
	var err error
	switch kind {
	case editDirective:
		var v service.DirectiveView
		if v, err = svc.GetDirective(ctx, p, id, ""); err == nil && !v.CanManage {
			err = service.ErrForbidden
		}
		it.d = v.Directive
		seen := map[int64]bool{}
		for _, t := range it.d.Tasks {
			for _, a := range t.Assignments {
				if t.Withdrawn == nil && a.Withdrawn == nil && !seen[a.UnitID] {
					seen[a.UnitID] = true
					it.units++
				}
			}
		}
	case editTask:
		var v service.TaskView
		v, err = svc.GetTask(ctx, p, id)
		it.d, it.task = v.Directive, v.Task
		for _, a := range it.task.Assignments {
			if a.Withdrawn == nil {
				it.units++
			}
		}
	default:
		var v service.AssignmentView
		v, err = svc.GetAssignment(ctx, p, id)
		it.d, it.task, it.asg = v.Directive, v.Task, v.Assignment
		it.units = 1
	}
	if err != nil {
		w.fail(rw, r, err)
		return 0, editItem{}, false
	}
	return id, it, true
}

func (w *Web) newEditData(r *http.Request, kind string, id int64, it editItem) *editData {
	l := server.LocaleFrom(r.Context())
	ed := &editData{Kind: kind, D: it.d, Task: it.task, Asg: it.asg, Back: fmt.Sprintf("/programme/directives/%d", it.d.ID),
		Action: fmt.Sprintf("/programme/%ss/%d/edit", kind, id), DocTypes: programme.DocTypes}
	switch kind {
	case editDirective:
		o := programme.Original(it.d.Texts)
		ed.Heading, ed.TextLang = l.T("programme_edit.edit_directive_title", it.d.Number), o.Lang
		ed.Form = editForm{Version: it.d.Version, Number: it.d.Number, DocType: it.d.DocType, IssuedOn: it.d.IssuedOn, Signer: it.d.Signer,
			SignerTitle: it.d.SignerTitle, Title: o.Title, Body: o.Body}
	case editTask:
		o := programme.Original(it.task.Texts)
		ed.Heading, ed.TextLang = l.T("programme_edit.edit_task_title", it.task.Number, it.d.Number), o.Lang
		ed.Form = editForm{Version: it.task.Version, Number: strconv.Itoa(it.task.Number), Weight: strconv.FormatFloat(it.task.Weight, 'f', -1, 64), Title: o.Title, Body: o.Body}
		ed.Back += "#task-" + strconv.FormatInt(it.task.ID, 10)
	default:
		ed.Heading = l.T("programme_edit.edit_assignment_title", it.task.Number, it.asg.UnitName)
		ed.Form = editForm{Version: it.asg.Version, UnitID: strconv.FormatInt(it.asg.UnitID, 10), Role: it.asg.Role, DueOn: it.asg.DueOn, Note: it.asg.Note}
		ed.Units = w.d.Svc.Programme.ManageableUnits(server.PrincipalFrom(r.Context()), w.d.Svc.Programme.Today())
		ed.Back += "#task-" + strconv.FormatInt(it.task.ID, 10)
	}
	return ed
}

// withdrawn is the withdrawal that stops an item from changing, if any.
func (it editItem) withdrawn() *programme.Withdrawal {
	for _, x := range []*programme.Withdrawal{it.d.Withdrawn, it.task.Withdrawn, it.asg.Withdrawn} {
		if x != nil {
			return x
		}
	}
	return nil
}

func (w *Web) renderEdit(rw http.ResponseWriter, r *http.Request, status int, ed *editData) {
	p := w.page(rw, r, "programme.title", ed)
	p.Title = ed.Heading
	w.render(rw, r, status, "programme_edit", p)
}

func (w *Web) editPage(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		id, it, ok := w.readEditItem(rw, r, kind)
		if !ok {
			return
		}
		ed := w.newEditData(r, kind, id, it)
		status := http.StatusOK
		if it.withdrawn() != nil {
			ed.Problem, status = server.LocaleFrom(r.Context()).T(service.MsgProgrammeWithdrawn), http.StatusConflict
		}
		w.renderEdit(rw, r, status, ed)
	}
}

func (w *Web) editSave(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if server.PrincipalFrom(r.Context()) == nil {
			w.fail(rw, r, service.ErrUnauthenticated)
			return
		}
		if !w.form(rw, r) {
			return
		}
		id, it, ok := w.readEditItem(rw, r, kind)
		if !ok {
			return
		}
		f := editForm{Number: r.PostFormValue("number"), DocType: r.PostFormValue("doc_type"), IssuedOn: r.PostFormValue("issued_on"),
			Signer: r.PostFormValue("signer"), SignerTitle: r.PostFormValue("signer_title"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
			Weight: r.PostFormValue("weight"), UnitID: r.PostFormValue("unit_id"), Role: r.PostFormValue("role"), DueOn: r.PostFormValue("due_on"), Note: r.PostFormValue("note")}
		f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
		ctx, p, svc := r.Context(), server.PrincipalFrom(r.Context()), w.d.Svc.Programme
		var err error
		anchor := ""
		switch kind {
		case editDirective:
			_, err = svc.EditDirective(ctx, p, id, service.DirectiveEdit{Version: f.Version, Number: f.Number, DocType: f.DocType, IssuedOn: f.IssuedOn,
				Signer: f.Signer, SignerTitle: f.SignerTitle, Title: f.Title, Body: f.Body})
		case editTask:
			_, err = svc.EditTask(ctx, p, id, service.TaskEdit{Version: f.Version, Number: f.Number, Weight: f.Weight, Title: f.Title, Body: f.Body})
			anchor = fmt.Sprintf("#task-%d", id)
		default:
			uid, perr := strconv.ParseInt(strings.TrimSpace(f.UnitID), 10, 64)
			if perr != nil {
				uid = -1 // not a unit: refused as an invalid choice
			}
			_, err = svc.EditAssignment(ctx, p, id, service.AssignmentEdit{Version: f.Version, UnitID: uid, Role: f.Role, DueOn: f.DueOn, Note: f.Note})
			anchor = fmt.Sprintf("#task-%d", it.task.ID)
		}
		if err == nil {
			http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme_edit.flash.updated%s", it.d.ID, anchor), http.StatusSeeOther)
			return
		}
		ed := w.newEditData(r, kind, id, it)
		ed.Form = f
		if status, ok := w.problem(r, err, ed); ok {
			w.renderEdit(rw, r, status, ed)
			return
		}
		w.fail(rw, r, err)
	}
}

// problem puts an edit's refusal on the form: field messages (422), a
// number or unit already taken, a stale version or a withdrawn item (409).
func (w *Web) problem(r *http.Request, err error, ed *editData) (int, bool) {
	l := server.LocaleFrom(r.Context())
	var stale *service.StaleVersionError
	var wd *service.WithdrawnError
	if errs, ok := formErrors(r, err); ok {
		ed.Errors = errs
		return http.StatusUnprocessableEntity, true
	}
	if errs, ok := duplicate(r, err); ok {
		ed.Errors = errs
		return http.StatusConflict, true
	}
	switch {
	case errors.As(err, &stale):
		ed.Problem = l.T(service.MsgProgrammeStale)
		return http.StatusConflict, true
	case errors.As(err, &wd):
		ed.Problem = l.T(service.MsgProgrammeWithdrawn)
		return http.StatusConflict, true
	}
	return 0, false
}

// --- withdraw ---

type withdrawData struct {
	Kind    string
	Heading string
	Effect  string
	Back    string
	Action  string
	Version int
	Reason  string
	Errors  fieldErrs
	Problem string
	Item    string // what is withdrawn, in words
	D       programme.Directive
}

func (w *Web) newWithdrawData(r *http.Request, kind string, id int64, it editItem) *withdrawData {
	l := server.LocaleFrom(r.Context())
	wd := &withdrawData{Kind: kind, D: it.d, Back: fmt.Sprintf("/programme/directives/%d", it.d.ID), Action: fmt.Sprintf("/programme/%ss/%d/withdraw", kind, id)}
	title := programme.TextIn(it.task.Texts, l.Lang()).Title
	switch kind {
	case editDirective:
		wd.Heading, wd.Version = l.T("programme_edit.withdraw.directive_title", it.d.Number), it.d.Version
		wd.Effect = l.N("programme_edit.withdraw.directive_effect", it.units)
		wd.Item = programme.TextIn(it.d.Texts, l.Lang()).Title
	case editTask:
		wd.Heading, wd.Version = l.T("programme_edit.withdraw.task_title", it.task.Number, it.d.Number), it.task.Version
		wd.Effect = l.N("programme_edit.withdraw.task_effect", it.units)
		wd.Item = title
		wd.Back += "#task-" + strconv.FormatInt(it.task.ID, 10)
	default:
		wd.Heading, wd.Version = l.T("programme_edit.withdraw.assignment_title", it.task.Number, it.asg.UnitName), it.asg.Version
		wd.Effect = l.T("programme_edit.withdraw.assignment_effect")
		wd.Item = title
		wd.Back += "#task-" + strconv.FormatInt(it.task.ID, 10)
	}
	return wd
}

func (w *Web) renderWithdraw(rw http.ResponseWriter, r *http.Request, status int, wd *withdrawData) {
	p := w.page(rw, r, "programme.title", wd)
	p.Title = wd.Heading
	w.render(rw, r, status, "programme_withdraw", p)
}

func (w *Web) withdrawPage(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		id, it, ok := w.readEditItem(rw, r, kind)
		if !ok {
			return
		}
		wd := w.newWithdrawData(r, kind, id, it)
		status := http.StatusOK
		if it.withdrawn() != nil {
			wd.Problem, status = server.LocaleFrom(r.Context()).T(service.MsgProgrammeWithdrawn), http.StatusConflict
		}
		w.renderWithdraw(rw, r, status, wd)
	}
}

func (w *Web) withdrawDo(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if server.PrincipalFrom(r.Context()) == nil {
			w.fail(rw, r, service.ErrUnauthenticated)
			return
		}
		if !w.form(rw, r) {
			return
		}
		id, it, ok := w.readEditItem(rw, r, kind)
		if !ok {
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		in := service.WithdrawInput{Version: version, Reason: r.PostFormValue("reason")}
		ctx, p, svc := r.Context(), server.PrincipalFrom(r.Context()), w.d.Svc.Programme
		var err error
		switch kind {
		case editDirective:
			_, err = svc.WithdrawDirective(ctx, p, id, in)
		case editTask:
			_, err = svc.WithdrawTask(ctx, p, id, in)
		default:
			_, err = svc.WithdrawAssignment(ctx, p, id, in)
		}
		if err == nil {
			anchor := ""
			if kind != editDirective {
				anchor = fmt.Sprintf("#task-%d", it.task.ID)
			}
			http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme_edit.flash.withdrawn%s", it.d.ID, anchor), http.StatusSeeOther)
			return
		}
		wd := w.newWithdrawData(r, kind, id, it)
		wd.Version, wd.Reason = version, in.Reason
		ed := &editData{}
		if status, ok := w.problem(r, err, ed); ok {
			wd.Errors, wd.Problem = ed.Errors, ed.Problem
			w.renderWithdraw(rw, r, status, wd)
			return
		}
		w.fail(rw, r, err)
	}
}

// --- assign to many units ---

// bulkForm is the directive page's "assign to many units" form.
type bulkForm struct {
	TaskID, Scope, UnitKind, UnitID, Role, DueOn, Note string
}

func bulkFormOf(v url.Values) bulkForm {
	return bulkForm{TaskID: v.Get("task_id"), Scope: v.Get("scope"), UnitKind: v.Get("unit_kind"), UnitID: v.Get("unit_id"),
		Role: v.Get("role"), DueOn: v.Get("due_on"), Note: v.Get("note")}
}

func (f bulkForm) input(directiveID int64, preview bool) service.BulkAssignInput {
	in := service.BulkAssignInput{DirectiveID: directiveID, Scope: f.Scope, UnitKind: f.UnitKind, Role: f.Role, DueOn: f.DueOn, Note: f.Note, Preview: preview}
	in.TaskID, _ = strconv.ParseInt(strings.TrimSpace(f.TaskID), 10, 64)
	if s := strings.TrimSpace(f.UnitID); s != "" {
		var err error
		if in.UnitID, err = strconv.ParseInt(s, 10, 64); err != nil {
			in.UnitID = -1 // not a unit: refused as an invalid choice
		}
	}
	return in
}

type bulkData struct {
	D         programme.Directive
	Form      bulkForm
	Res       service.BulkAssignResult
	TaskTitle programme.Text
}

func (w *Web) bulkRun(rw http.ResponseWriter, r *http.Request, id int64, f bulkForm, preview bool) {
	res, err := w.d.Svc.Programme.BulkAssign(r.Context(), server.PrincipalFrom(r.Context()), f.input(id, preview))
	if errs, ok := formErrors(r, err); ok {
		w.rerenderDirective(rw, r, http.StatusUnprocessableEntity, func(dd *directiveData) { dd.BulkForm, dd.BulkErrors = f, errs })
		return
	}
	var wd *service.WithdrawnError
	if errors.As(err, &wd) {
		w.rerenderDirective(rw, r, http.StatusConflict, func(dd *directiveData) {
			dd.BulkForm, dd.BulkErrors = f, fieldErrs{"task_id": server.LocaleFrom(r.Context()).T(service.MsgProgrammeWithdrawn)}
		})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !preview {
		http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme_edit.flash.bulk_assigned#task-%d", id, res.TaskID), http.StatusSeeOther)
		return
	}
	v, err := w.d.Svc.Programme.GetDirective(r.Context(), server.PrincipalFrom(r.Context()), id, "")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(r.Context())
	p := w.page(rw, r, "programme.title", bulkData{D: v.Directive, Form: f, Res: res, TaskTitle: programme.TextIn(res.TaskText, l.Lang())})
	p.Title = l.T("programme_edit.bulk.preview_title", res.Number)
	w.render(rw, r, http.StatusOK, "programme_bulk", p)
}

func (w *Web) bulkPreview(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	w.bulkRun(rw, r, id, bulkFormOf(r.URL.Query()), true)
}

func (w *Web) bulkAssign(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.directivePost(rw, r)
	if !ok {
		return
	}
	w.bulkRun(rw, r, id, bulkFormOf(r.PostForm), false)
}

// --- remove an addressee ---

type addresseeRemoveData struct {
	D  programme.Directive
	Ad programme.Addressee
}

// addresseeOf reads the directive (which p must manage) and its addressee
// {aid}; it writes the refusal and returns false when it cannot.
func (w *Web) addresseeOf(rw http.ResponseWriter, r *http.Request) (programme.Directive, programme.Addressee, bool) {
	id, ok := pathID(r)
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if !ok || err != nil || aid <= 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return programme.Directive{}, programme.Addressee{}, false
	}
	v, err := w.d.Svc.Programme.GetDirective(r.Context(), server.PrincipalFrom(r.Context()), id, "")
	if err == nil && !v.CanManage {
		err = service.ErrForbidden
	}
	if err != nil {
		w.fail(rw, r, err)
		return programme.Directive{}, programme.Addressee{}, false
	}
	for _, ad := range v.Addressees {
		if ad.ID == aid {
			return v.Directive, ad, true
		}
	}
	w.errorPage(rw, r, http.StatusNotFound)
	return programme.Directive{}, programme.Addressee{}, false
}

func (w *Web) addresseeRemovePage(rw http.ResponseWriter, r *http.Request) {
	d, ad, ok := w.addresseeOf(rw, r)
	if !ok {
		return
	}
	p := w.page(rw, r, "programme_edit.remove_addressee", addresseeRemoveData{D: d, Ad: ad})
	w.render(rw, r, http.StatusOK, "programme_addressee_remove", p)
}

func (w *Web) addresseeRemove(rw http.ResponseWriter, r *http.Request) {
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	if !w.form(rw, r) {
		return
	}
	d, ad, ok := w.addresseeOf(rw, r)
	if !ok {
		return
	}
	if _, err := w.d.Svc.Programme.RemoveAddressee(r.Context(), server.PrincipalFrom(r.Context()), d.ID, ad.ID); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme_edit.flash.addressee_removed#addr-h", d.ID), http.StatusSeeOther)
}
