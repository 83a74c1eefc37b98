package web

// Programme tracking pages: directives (list, register, read with roll-up,
// tasks, addressees, assignments) and a unit's plan (activities, progress
// updates with evidence). Each handler decodes the form, calls one use case
// of service.Programme (which checks permission and validates) and renders;
// invalid input re-renders the form with each message beside its field and
// what was typed kept.

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// programmeFeature adds the template helpers of these pages to funcs and returns
// their routes; web.New calls it (see features.go).
func programmeFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["statusKey"] = func(s programme.Status) string { return "programme.status." + string(s) }
	funcs["pct"] = func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) }
	funcs["textIn"] = programme.TextIn
	funcs["original"] = programme.Original
	funcs["statuses"] = func() []programme.Status { return programme.Statuses }
	funcs["paras"] = func(s string) []string {
		var out []string
		for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	funcs["langName"] = func(l string) string { return "programme.lang." + l }
	funcs["seq"] = func(xs ...string) []string { return xs }
	funcs["inc"] = func(i int) int { return i + 1 }
	// pair hands a block the page and one more value.
	funcs["pair"] = func(a, b any) struct{ A, B any } { return struct{ A, B any }{a, b} }
	funcs["selected"] = func(id int64, ids []string) bool {
		s := strconv.FormatInt(id, 10)
		for _, x := range ids {
			if x == s {
				return true
			}
		}
		return false
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /programme", w.programmeList)
		mux.HandleFunc("GET /programme/directives/new", w.directiveNew)
		mux.HandleFunc("POST /programme/directives/new", w.directiveCreate)
		mux.HandleFunc("GET /programme/directives/{id}", w.directiveShow)
		mux.HandleFunc("POST /programme/directives/{id}/tasks", w.taskCreate)
		mux.HandleFunc("POST /programme/directives/{id}/addressees", w.addresseeCreate)
		mux.HandleFunc("POST /programme/directives/{id}/assignments", w.assignmentCreate)
		mux.HandleFunc("GET /programme/units/{id}", w.planShow)
		mux.HandleFunc("POST /programme/units/{id}/activities", w.activityCreate)
		mux.HandleFunc("POST /programme/activities/{id}/progress", w.progressCreate)
		mux.HandleFunc("GET /programme/evidence/{id}", w.evidenceDownload)
		mux.HandleFunc("GET /programme/attachments/{id}", w.attachmentDownload)
		programmeEditRoutes(w, mux)
	}
}

// fieldErrs is field → translated message, shown beside each form field.
type fieldErrs map[string]string

// formErrors turns a validation error into messages per field; ok is false
// for other errors, which the caller hands to w.fail.
func formErrors(r *http.Request, err error) (fieldErrs, bool) {
	inv, ok := service.AsInvalid(err)
	if !ok {
		return nil, false
	}
	return FieldMessages(server.LocaleFrom(r.Context()), inv), true
}

// duplicate turns a number already registered into its field message.
func duplicate(r *http.Request, err error) (fieldErrs, bool) {
	var dup *service.DuplicateNumberError
	if !errors.As(err, &dup) {
		return nil, false
	}
	return fieldErrs{dup.Field: server.LocaleFrom(r.Context()).T(dup.Key)}, true
}

// --- directives list ---

type programmeListData struct {
	Directives []programme.Directive
	Rollups    map[int64]programme.Rollup
	At         string
	CanManage  bool
	MyUnits    []org.Unit // units the reader holds a role on, for a link to their plans
}

func (w *Web) programmeList(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	svc := w.d.Svc.Programme
	list, err := svc.ListDirectives(r.Context(), p, true)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := programmeListData{Directives: list.Items, Rollups: list.Rollups, At: list.At, CanManage: svc.CanManageSomewhere(p), MyUnits: svc.PlanUnits(p)}
	w.render(rw, r, http.StatusOK, "programme_list", w.page(rw, r, "programme.title", d))
}

// --- register a directive ---

type directiveForm struct {
	Number, DocType, IssuedOn, IssuerUnitID, Signer, SignerTitle string
	Lang, Title, Body, AttachName, AttachURL                     string
}

type directiveNewData struct {
	Form     directiveForm
	Errors   fieldErrs
	Units    []org.Unit
	DocTypes []string
	Langs    []string
}

func (w *Web) directiveNewPage(rw http.ResponseWriter, r *http.Request, status int, f directiveForm, errs fieldErrs) {
	svc := w.d.Svc.Programme
	d := directiveNewData{Form: f, Errors: errs, Units: svc.ManageableUnits(server.PrincipalFrom(r.Context()), svc.Today()), DocTypes: programme.DocTypes, Langs: programme.Langs}
	w.render(rw, r, status, "programme_new", w.page(rw, r, "programme.new_title", d))
}

func (w *Web) directiveNew(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	if !w.d.Svc.Programme.CanManageSomewhere(p) {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	w.directiveNewPage(rw, r, http.StatusOK, directiveForm{DocType: "cv", Lang: server.LocaleFrom(r.Context()).Lang()}, nil)
}

func (w *Web) directiveCreate(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	if !w.uploadForm(rw, r) {
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	f := directiveForm{
		Number: r.PostFormValue("number"), DocType: r.PostFormValue("doc_type"), IssuedOn: r.PostFormValue("issued_on"),
		IssuerUnitID: r.PostFormValue("issuer_unit_id"), Signer: r.PostFormValue("signer"), SignerTitle: r.PostFormValue("signer_title"),
		Lang: r.PostFormValue("lang"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		AttachName: r.PostFormValue("attach_name"), AttachURL: r.PostFormValue("attach_url"),
	}
	issuer, _ := strconv.ParseInt(strings.TrimSpace(f.IssuerUnitID), 10, 64)
	in := service.DirectiveInput{Number: f.Number, DocType: f.DocType, IssuedOn: f.IssuedOn, IssuerUnitID: issuer, Signer: f.Signer, SignerTitle: f.SignerTitle,
		Texts: []service.TextInput{{Lang: f.Lang, Title: f.Title, Body: f.Body}}}
	file, err := uploadedFile(r, "attach_file")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The typed name names the link, or the file when no link is given.
	switch link := strings.TrimSpace(f.AttachURL) != ""; {
	case file != nil && !link:
		in.Attachments = append(in.Attachments, service.AttachmentInput{Name: f.AttachName, FileName: file.Name, Data: file.Data})
	case file != nil:
		in.Attachments = append(in.Attachments, service.AttachmentInput{Name: f.AttachName, URL: f.AttachURL}, service.AttachmentInput{FileName: file.Name, Data: file.Data})
	case link || strings.TrimSpace(f.AttachName) != "":
		in.Attachments = append(in.Attachments, service.AttachmentInput{Name: f.AttachName, URL: f.AttachURL})
	}
	d, err := w.d.Svc.Programme.CreateDirective(r.Context(), p, in)
	if errs, ok := formErrors(r, err); ok {
		w.directiveNewPage(rw, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	if errs, ok := duplicate(r, err); ok {
		w.directiveNewPage(rw, r, http.StatusConflict, f, errs)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme.flash.created", d.ID), http.StatusSeeOther)
}

// --- one directive ---

type taskForm struct{ Number, Weight, Lang, Title, Body string }
type assignForm struct {
	TaskID   string
	UnitIDs  []string
	UnitKind string
	Role     string
	DueOn    string
}
type addresseeForm struct{ UnitID, UnitKind string }

type directiveData struct {
	D          programme.Directive
	Text       programme.Text
	Orig       programme.Text
	TextLang   string
	Summary    programme.Summary
	At         string
	CanManage  bool
	Units      []org.Unit
	Kinds      []org.Kind
	Langs      []string
	TaskForm   taskForm
	TaskErrors fieldErrs
	AsgForm    assignForm
	AsgErrors  fieldErrs
	AddrForm   addresseeForm
	AddrErrors fieldErrs
	BulkForm   bulkForm
	BulkErrors fieldErrs
	Scopes     []string
	// Translated: some task is shown in a translation of TaskOrigLang (said
	// once on the page, not per task).
	Translated   bool
	TaskOrigLang string
}

// directiveData reads the directive page; it writes the refusal and returns
// false when it cannot.
func (w *Web) directiveData(rw http.ResponseWriter, r *http.Request) (*directiveData, bool) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return nil, false
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	svc := w.d.Svc.Programme
	v, err := svc.GetDirective(ctx, p, id, "")
	if err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	lang := server.LocaleFrom(ctx).Lang()
	if t := r.URL.Query().Get("text"); t != "" {
		lang = t
	}
	d := v.Directive
	dd := &directiveData{D: d, Text: programme.TextIn(d.Texts, lang), Orig: programme.Original(d.Texts), At: v.At,
		Summary: v.Summary, Kinds: org.Kinds, Langs: programme.Langs, CanManage: v.CanManage, TextLang: lang,
		TaskForm: taskForm{Number: strconv.Itoa(len(d.Tasks) + 1), Weight: "1", Lang: programme.Original(d.Texts).Lang}, AsgForm: assignForm{Role: programme.RoleLead},
		BulkForm: bulkForm{Scope: service.BulkCommunes, Role: programme.RoleLead}, Scopes: service.BulkScopes}
	for _, t := range d.Tasks {
		if x := programme.TextIn(t.Texts, lang); x.IsTranslation {
			dd.Translated, dd.TaskOrigLang = true, programme.Original(t.Texts).Lang
		}
	}
	if dd.CanManage {
		dd.Units = svc.ManageableUnits(p, v.At)
	}
	return dd, true
}

func (w *Web) directiveShow(rw http.ResponseWriter, r *http.Request) {
	dd, ok := w.directiveData(rw, r)
	if !ok {
		return
	}
	w.renderDirective(rw, r, http.StatusOK, dd)
}

func (w *Web) renderDirective(rw http.ResponseWriter, r *http.Request, status int, dd *directiveData) {
	p := w.page(rw, r, "programme.title", dd)
	p.Title = dd.D.Number
	w.render(rw, r, status, "programme_directive", p)
}

// directivePost parses a form posted to a directive; it writes the refusal
// and returns false when it cannot.
func (w *Web) directivePost(rw http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return 0, false
	}
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return 0, false
	}
	return id, w.form(rw, r)
}

// rerenderDirective shows the directive page again with a form's messages;
// set puts the form and its messages in place.
func (w *Web) rerenderDirective(rw http.ResponseWriter, r *http.Request, status int, set func(*directiveData)) {
	dd, ok := w.directiveData(rw, r)
	if !ok {
		return
	}
	set(dd)
	w.renderDirective(rw, r, status, dd)
}

func (w *Web) taskCreate(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.directivePost(rw, r)
	if !ok {
		return
	}
	f := taskForm{Number: r.PostFormValue("number"), Weight: r.PostFormValue("weight"), Lang: r.PostFormValue("lang"),
		Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	_, err := w.d.Svc.Programme.AddTask(r.Context(), server.PrincipalFrom(r.Context()), id,
		service.TaskInput{Number: f.Number, Weight: f.Weight, Texts: []service.TextInput{{Lang: f.Lang, Title: f.Title, Body: f.Body}}})
	status := http.StatusUnprocessableEntity
	errs, ok := formErrors(r, err)
	if !ok {
		errs, ok = duplicate(r, err)
		status = http.StatusConflict
	}
	if ok {
		w.rerenderDirective(rw, r, status, func(dd *directiveData) { dd.TaskForm, dd.TaskErrors = f, errs })
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme.flash.task_added#tasks-h", id), http.StatusSeeOther)
}

func (w *Web) addresseeCreate(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.directivePost(rw, r)
	if !ok {
		return
	}
	f := addresseeForm{UnitID: r.PostFormValue("unit_id"), UnitKind: r.PostFormValue("unit_kind")}
	uid, err := strconv.ParseInt(strings.TrimSpace(f.UnitID), 10, 64)
	if err != nil && strings.TrimSpace(f.UnitID) != "" {
		uid = -1 // not a unit: refused as an invalid choice
	}
	_, err = w.d.Svc.Programme.AddAddressee(r.Context(), server.PrincipalFrom(r.Context()), id, service.AddresseeInput{UnitID: uid, UnitKind: f.UnitKind})
	if errs, ok := formErrors(r, err); ok {
		w.rerenderDirective(rw, r, http.StatusUnprocessableEntity, func(dd *directiveData) { dd.AddrForm, dd.AddrErrors = f, errs })
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme.flash.addressee_added#addr-h", id), http.StatusSeeOther)
}

func (w *Web) assignmentCreate(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.directivePost(rw, r)
	if !ok {
		return
	}
	f := assignForm{TaskID: r.PostFormValue("task_id"), UnitKind: r.PostFormValue("unit_kind"), Role: r.PostFormValue("role"), DueOn: r.PostFormValue("due_on")}
	in := service.AssignInput{DirectiveID: id, UnitKind: f.UnitKind, Role: f.Role, DueOn: f.DueOn}
	in.TaskID, _ = strconv.ParseInt(strings.TrimSpace(f.TaskID), 10, 64)
	for _, s := range r.PostForm["unit_id"] {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		f.UnitIDs = append(f.UnitIDs, s)
		uid, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			uid = -1 // not a unit: refused as an invalid choice
		}
		in.UnitIDs = append(in.UnitIDs, uid)
	}
	_, err := w.d.Svc.Programme.AssignTask(r.Context(), server.PrincipalFrom(r.Context()), in)
	if errs, ok := formErrors(r, err); ok {
		w.rerenderDirective(rw, r, http.StatusUnprocessableEntity, func(dd *directiveData) { dd.AsgForm, dd.AsgErrors = f, errs })
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme.flash.assigned#asg-h", id), http.StatusSeeOther)
}

// --- a unit's plan ---

type activityForm struct{ TaskID, Title, Owner, StartOn, DueOn, Indicator, Target, Weight string }

type progressForm struct {
	Percent, Note, EvidenceURL string
	Version                    int
	Errors                     fieldErrs
	Conflict                   bool
}

type taskOption struct {
	ID    int64
	Label string
}

type planData struct {
	Unit        org.Unit
	At          string
	Assignments []programme.Assignment
	Withdrawn   []programme.Assignment
	Activities  []programme.Activity
	Rollup      programme.Rollup
	Subtree     programme.Rollup
	Updates     map[int64][]programme.Update
	CanEdit     bool
	Tasks       []taskOption
	ActForm     activityForm
	ActErrors   fieldErrs
	Forms       map[int64]*progressForm
	Lang        string
}

func (w *Web) planData(rw http.ResponseWriter, r *http.Request, unitID int64) (*planData, bool) {
	ctx := r.Context()
	pl, err := w.d.Svc.Programme.UnitPlan(ctx, server.PrincipalFrom(ctx), unitID, service.PlanOptions{Page: true})
	if err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	lang := server.LocaleFrom(ctx).Lang()
	pd := &planData{Unit: pl.Unit, At: pl.At, Assignments: pl.Assignments, Withdrawn: pl.Withdrawn, Activities: pl.Activities, Rollup: pl.Rollup, Subtree: pl.SubtreeRollup,
		Updates: pl.Updates, CanEdit: pl.CanEdit, Forms: map[int64]*progressForm{}, Lang: lang, ActForm: activityForm{Weight: "1", StartOn: pl.At}}
	for _, a := range pd.Activities {
		pd.Forms[a.ID] = &progressForm{Percent: strconv.Itoa(a.Progress), Version: a.Version}
	}
	for _, t := range pl.Tasks {
		label := fmt.Sprintf("%s · %d. %s", t.DirectiveNumber, t.Number, programme.TextIn(t.Texts, lang).Title)
		if rs := []rune(label); len(rs) > 110 {
			label = string(rs[:110]) + "…"
		}
		pd.Tasks = append(pd.Tasks, taskOption{t.ID, label})
	}
	return pd, true
}

func (w *Web) renderPlan(rw http.ResponseWriter, r *http.Request, status int, pd *planData) {
	p := w.page(rw, r, "programme.plan_title", pd)
	p.Title = server.LocaleFrom(r.Context()).T("programme.plan_of", pd.Unit.Name)
	w.render(rw, r, status, "programme_unit", p)
}

func (w *Web) planShow(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	pd, ok := w.planData(rw, r, id)
	if !ok {
		return
	}
	w.renderPlan(rw, r, http.StatusOK, pd)
}

func (w *Web) activityCreate(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	if !w.form(rw, r) {
		return
	}
	f := activityForm{TaskID: r.PostFormValue("task_id"), Title: r.PostFormValue("title"), Owner: r.PostFormValue("owner"),
		StartOn: r.PostFormValue("start_on"), DueOn: r.PostFormValue("due_on"), Indicator: r.PostFormValue("indicator"),
		Target: r.PostFormValue("target"), Weight: r.PostFormValue("weight")}
	taskID, _ := strconv.ParseInt(strings.TrimSpace(f.TaskID), 10, 64)
	a, err := w.d.Svc.Programme.CreateActivity(r.Context(), server.PrincipalFrom(r.Context()), id, service.ActivityInput{
		TaskID: taskID, Title: f.Title, Owner: f.Owner, StartOn: f.StartOn, DueOn: f.DueOn, Indicator: f.Indicator, Target: f.Target, Weight: f.Weight})
	if errs, ok := formErrors(r, err); ok {
		pd, ok := w.planData(rw, r, id)
		if !ok {
			return
		}
		pd.ActForm, pd.ActErrors = f, errs
		w.renderPlan(rw, r, http.StatusUnprocessableEntity, pd)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/units/%d?flash=programme.flash.activity_added#act-%d", id, a.ID), http.StatusSeeOther)
}

// maxProgressBody bounds a form with a file: the file (10 MiB) and the text
// fields. A larger body is refused with 413 before it is read.
const maxProgressBody = service.MaxEvidenceSize + 1<<20

func (w *Web) progressCreate(rw http.ResponseWriter, r *http.Request) {
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
	if !w.uploadForm(rw, r) {
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	f := &progressForm{Percent: r.PostFormValue("percent"), Note: r.PostFormValue("note"), EvidenceURL: r.PostFormValue("evidence_url")}
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	in := service.ProgressInput{Percent: f.Percent, Note: f.Note, EvidenceURL: f.EvidenceURL, Version: f.Version}
	file, err := uploadedFile(r, "file")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	in.File = file
	act, err := w.d.Svc.Programme.PostProgress(r.Context(), p, id, in)
	var stale *service.StaleVersionError
	errs, invalid := formErrors(r, err)
	switch {
	case errors.As(err, &stale):
		f.Conflict = true
	case invalid:
		if _, noVersion := errs["version"]; noVersion {
			// A form without the version it was based on cannot be checked: treat it as stale.
			delete(errs, "version")
			f.Conflict = true
		}
		f.Errors = errs
	case err != nil:
		w.fail(rw, r, err)
		return
	default:
		http.Redirect(rw, r, fmt.Sprintf("/programme/units/%d?flash=programme.flash.progress_saved#act-%d", act.UnitID, id), http.StatusSeeOther)
		return
	}
	// Show the plan again: what was typed is kept, and the next submission
	// is checked against the version now stored, so that it can overwrite
	// after reading the change.
	unitID := act.UnitID
	if unitID == 0 {
		if unitID, err = w.d.Svc.Programme.ActivityUnit(r.Context(), p, id); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	pd, ok := w.planData(rw, r, unitID)
	if !ok {
		return
	}
	if cur, ok := pd.Forms[id]; ok {
		f.Version = cur.Version
	}
	pd.Forms[id] = f
	status := http.StatusUnprocessableEntity
	if f.Conflict {
		status = http.StatusConflict
	}
	w.renderPlan(rw, r, status, pd)
}

// uploadForm parses a form that may carry one file of at most 10 MiB
// (multipart or not) and checks its CSRF token; it writes the refusal and
// returns false when it cannot.
func (w *Web) uploadForm(rw http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(rw, r.Body, maxProgressBody)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "programme.err.too_large")
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return false
	}
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return false
	}
	return true
}

// uploadedFile reads the file field name, if one was sent (nil when none),
// at most one byte over the limit: the service refuses what is too large.
func uploadedFile(r *http.Request, name string) (*service.FileInput, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	fh := r.MultipartForm.File[name]
	if len(fh) == 0 || fh[0].Filename == "" {
		return nil, nil
	}
	fl, err := fh[0].Open()
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	data, err := io.ReadAll(io.LimitReader(fl, service.MaxEvidenceSize+1))
	if err != nil {
		return nil, err
	}
	if data == nil {
		data = []byte{}
	}
	return &service.FileInput{Name: fh[0].Filename, Data: data}, nil
}

// sendFile answers with an uploaded file as a download.
func sendFile(rw http.ResponseWriter, f service.File) {
	server.SendFile(rw, f.Name, f.ContentType, f.Data)
}

func (w *Web) attachmentDownload(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, err := w.d.Svc.Programme.DirectiveAttachment(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f.Data == nil {
		http.Redirect(rw, r, f.URL, http.StatusSeeOther)
		return
	}
	sendFile(rw, f)
}

func (w *Web) evidenceDownload(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, err := w.d.Svc.Programme.Evidence(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	sendFile(rw, f)
}
