package web

// Disclosures of grassroots democracy, for the commune officers:
//
//	GET  /disclosures                 the disclosures of the officer's communes and the form
//	                                  to record one (published, or still to publish)
//	POST /disclosures                 record (multipart: the document is optional)
//	GET  /disclosures/{id}            edit, publish (date and form of publication)
//	POST /disclosures/{id}            save
//	GET  /disclosures/{id}/withdraw   confirm withdrawing, with the reason; POST withdraws
//
// The public list and the documents are in portal.go; the rules in
// service.Disclosures.

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func disclosureFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// disclosureList is the argument of the "disclosure_items" block.
	funcs["disclosureList"] = func(p Page, items []service.Disclosure, showUnit, edit bool) map[string]any {
		return map[string]any{"P": p, "Items": items, "ShowUnit": showUnit, "Edit": edit}
	}
	// disclosureForm is the argument of the "disclosure_fields" block.
	funcs["disclosureForm"] = func(p Page, units []org.Unit, f civicForm) map[string]any {
		return map[string]any{"P": p, "Units": units, "V": f.Values, "E": f.Errors,
			"Categories": service.DisclosureCategories, "Forms": service.DisclosureForms}
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /disclosures", w.disclosuresPage)
		mux.HandleFunc("POST /disclosures", w.disclosureCreate)
		mux.HandleFunc("GET /disclosures/{id}", w.disclosureEdit)
		mux.HandleFunc("POST /disclosures/{id}", w.disclosureUpdate)
		mux.HandleFunc("GET /disclosures/{id}/withdraw", w.disclosureWithdrawConfirm)
		mux.HandleFunc("POST /disclosures/{id}/withdraw", w.disclosureWithdraw)
	}
}

type disclosuresData struct {
	Units []org.Unit
	Items []service.Disclosure
	Today string
	Form  civicForm
}

func (w *Web) disclosuresPage(rw http.ResponseWriter, r *http.Request) {
	w.renderDisclosures(rw, r, http.StatusOK, civicForm{Values: map[string]string{}})
}

func (w *Web) renderDisclosures(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	svc := w.d.Svc
	units := svc.Disclosures.Units(p)
	if len(units) == 0 {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	d := disclosuresData{Units: units, Today: svc.Today(), Form: f}
	for _, u := range units {
		items, err := svc.Disclosures.List(r.Context(), service.DisclosureQuery{UnitID: u.ID, Limit: 100})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		d.Items = append(d.Items, items...)
	}
	w.render(rw, r, status, "disclosure_manage", w.page(rw, r, "disclosure.manage.title", d))
}

// disclosureUpload parses a disclosure form (multipart or not) under a
// cap, checks its CSRF token and returns the input and the document.
func (w *Web) disclosureUpload(rw http.ResponseWriter, r *http.Request) (service.DisclosureInput, bool) {
	r.Body = http.MaxBytesReader(rw, r.Body, service.MaxCaseFileSize+1<<20)
	var err error
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if multipart {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "attachments.err.request_too_large")
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return service.DisclosureInput{}, false
	}
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return service.DisclosureInput{}, false
	}
	ver, _ := strconv.Atoi(r.PostFormValue("version"))
	in := service.DisclosureInput{UnitID: formID(r, "unit_id"), Category: r.PostFormValue("category"), Title: r.PostFormValue("title"),
		Summary: r.PostFormValue("summary"), DecisionNo: r.PostFormValue("decision_no"), DecidedOn: r.PostFormValue("decided_on"),
		PublishedOn: r.PostFormValue("published_on"), Form: r.PostFormValue("form"), Version: ver}
	if multipart && r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && (fhs[0].Filename != "" || fhs[0].Size > 0) {
			f, err := fhs[0].Open()
			if err != nil {
				w.errorPage(rw, r, http.StatusBadRequest)
				return in, false
			}
			data, err := io.ReadAll(io.LimitReader(f, service.MaxCaseFileSize+1))
			f.Close()
			if err != nil {
				w.errorPage(rw, r, http.StatusBadRequest)
				return in, false
			}
			in.File = &service.FileInput{Name: fhs[0].Filename, Data: data}
		}
	}
	return in, true
}

func (w *Web) disclosureCreate(rw http.ResponseWriter, r *http.Request) {
	in, ok := w.disclosureUpload(rw, r)
	if !ok {
		return
	}
	d, err := w.d.Svc.Disclosures.Create(r.Context(), server.PrincipalFrom(r.Context()), in)
	if f := postedForm(r, "new"); f.invalid(r, err) {
		w.renderDisclosures(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.d.Svc.Portal.Drop()
	http.Redirect(rw, r, "/disclosures?flash=disclosure.saved#cong-khai-"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
}

type disclosureEditData struct {
	D     service.Disclosure
	Units []org.Unit
	Form  civicForm
}

func (w *Web) disclosureEdit(rw http.ResponseWriter, r *http.Request) {
	w.renderDisclosureEdit(rw, r, http.StatusOK, nil)
}

// renderDisclosureEdit shows the edit form: with f (what was posted and
// its messages), or filled from the stored disclosure.
func (w *Web) renderDisclosureEdit(rw http.ResponseWriter, r *http.Request, status int, f *civicForm) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	d, err := w.d.Svc.Disclosures.Get(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !w.d.Svc.Can(p, authz.ActionReportEdit, d.UnitID) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	if f == nil {
		f = &civicForm{Values: map[string]string{"unit_id": strconv.FormatInt(d.UnitID, 10), "category": d.Category, "title": d.Title,
			"summary": d.Summary, "decision_no": d.DecisionNo, "decided_on": d.DecidedOn, "published_on": d.PublishedOn, "form": d.Form}}
	}
	u, _ := w.d.Svc.Tree.Unit(d.UnitID)
	w.render(rw, r, status, "disclosure_edit", w.page(rw, r, "disclosure.edit", disclosureEditData{D: d, Units: []org.Unit{u}, Form: *f}))
}

func (w *Web) disclosureUpdate(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	in, ok := w.disclosureUpload(rw, r)
	if !ok {
		return
	}
	_, err := w.d.Svc.Disclosures.Update(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if f := postedForm(r, "edit"); f.invalid(r, err) {
		w.renderDisclosureEdit(rw, r, http.StatusUnprocessableEntity, &f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.d.Svc.Portal.Drop()
	http.Redirect(rw, r, "/disclosures?flash=disclosure.saved#cong-khai-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

type disclosureWithdrawData struct {
	D      service.Disclosure
	Reason string
	Errors map[string]string
}

func (w *Web) disclosureWithdrawConfirm(rw http.ResponseWriter, r *http.Request) {
	w.renderDisclosureWithdraw(rw, r, http.StatusOK, "", nil)
}

func (w *Web) renderDisclosureWithdraw(rw http.ResponseWriter, r *http.Request, status int, reason string, errs map[string]string) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	d, err := w.d.Svc.Disclosures.Get(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !w.d.Svc.Can(p, authz.ActionReportEdit, d.UnitID) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	w.render(rw, r, status, "disclosure_withdraw", w.page(rw, r, "disclosure.withdraw.title", disclosureWithdrawData{D: d, Reason: reason, Errors: errs}))
}

func (w *Web) disclosureWithdraw(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if !w.form(rw, r) {
		return
	}
	ver, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := w.d.Svc.Disclosures.Withdraw(r.Context(), server.PrincipalFrom(r.Context()), id, r.PostFormValue("reason"), ver)
	if inv, ok := service.AsInvalid(err); ok {
		w.renderDisclosureWithdraw(rw, r, http.StatusUnprocessableEntity, r.PostFormValue("reason"), FieldMessages(server.LocaleFrom(r.Context()), inv))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.d.Svc.Portal.Drop()
	http.Redirect(rw, r, "/disclosures?flash=disclosure.withdrawn", http.StatusSeeOther)
}
