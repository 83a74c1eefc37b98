package web

// Programme tracking pages: directives (list, register, read with roll-up,
// tasks, addressees, assignments) and a unit's plan (activities, progress
// updates with evidence). The rules are in internal/programme; permission:
// directive.read to read directives, directive.manage to register and
// assign, plan.read / plan.edit on the unit for its plan.

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
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
	}
}

var programmeRules = programme.DefaultRules()

// vnToday is the date in Vietnam by the store's clock.
func (w *Web) vnToday() string { return w.d.Store.Now().In(vietnam).Format(org.DateLayout) }

// signedIn redirects anonymous visitors to sign in.
func (w *Web) signedIn(rw http.ResponseWriter, r *http.Request) bool {
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return false
	}
	return true
}

// fieldErrors turns a domain validation error into field → message key;
// ok is false for other errors.
func fieldErrors(err error) (programme.Errors, bool) {
	var ve programme.Errors
	if errors.As(err, &ve) {
		return ve, true
	}
	return nil, false
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
	if !w.require(rw, r, authz.ActionDirectiveRead, 0) {
		return
	}
	ds, err := w.d.Store.ListDirectives(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := programmeListData{Directives: ds, Rollups: map[int64]programme.Rollup{}, At: w.vnToday(), CanManage: w.canManageSomewhere(r)}
	seen := map[int64]bool{}
	for _, g := range server.PrincipalFrom(r.Context()).Grants {
		if seen[g.UnitID] || !w.d.Can(r.Context(), authz.ActionPlanRead, g.UnitID) {
			continue
		}
		seen[g.UnitID] = true
		if u, err := w.d.Store.GetUnit(r.Context(), g.UnitID); err == nil {
			d.MyUnits = append(d.MyUnits, u)
		}
	}
	// A province has a handful of directives a year: one summary each is cheap.
	for _, x := range ds {
		full, err := w.d.Store.GetDirective(r.Context(), x.ID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		acts, err := w.d.Store.DirectiveActivities(r.Context(), x.ID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		d.Rollups[x.ID] = programme.Summarise(full, acts, programmeRules, d.At).Rollup
	}
	w.render(rw, r, http.StatusOK, "programme_list", w.page(rw, r, "programme.title", d))
}

// canManageSomewhere: the principal may register directives for some unit.
func (w *Web) canManageSomewhere(r *http.Request) bool {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		return false
	}
	return p.IsAdmin() || p.HasRole(authz.RoleCoordinator)
}

// --- register a directive ---

type directiveForm struct {
	Number, DocType, IssuedOn, IssuerUnitID, Signer, SignerTitle string
	Lang, Title, Body, AttachName, AttachURL                     string
}

type directiveNewData struct {
	Form     directiveForm
	Errors   programme.Errors
	Units    []org.Unit
	DocTypes []string
	Langs    []string
}

func (w *Web) directiveNewPage(rw http.ResponseWriter, r *http.Request, status int, f directiveForm, errs programme.Errors) {
	units, err := w.d.Store.UnitsAt(r.Context(), w.vnToday())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := directiveNewData{Form: f, Errors: errs, Units: units, DocTypes: programme.DocTypes, Langs: programme.Langs}
	w.render(rw, r, status, "programme_new", w.page(rw, r, "programme.new_title", d))
}

func (w *Web) directiveNew(rw http.ResponseWriter, r *http.Request) {
	if !w.signedIn(rw, r) {
		return
	}
	if !w.canManageSomewhere(r) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	w.directiveNewPage(rw, r, http.StatusOK, directiveForm{DocType: "cv", Lang: server.LocaleFrom(r.Context()).Lang()}, nil)
}

func (w *Web) directiveCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.signedIn(rw, r) || !w.uploadForm(rw, r) {
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	f := directiveForm{
		Number: strings.TrimSpace(r.PostFormValue("number")), DocType: r.PostFormValue("doc_type"), IssuedOn: r.PostFormValue("issued_on"),
		IssuerUnitID: r.PostFormValue("issuer_unit_id"), Signer: strings.TrimSpace(r.PostFormValue("signer")), SignerTitle: strings.TrimSpace(r.PostFormValue("signer_title")),
		Lang: r.PostFormValue("lang"), Title: strings.TrimSpace(r.PostFormValue("title")), Body: r.PostFormValue("body"),
		AttachName: strings.TrimSpace(r.PostFormValue("attach_name")), AttachURL: strings.TrimSpace(r.PostFormValue("attach_url")),
	}
	issuer, _ := strconv.ParseInt(f.IssuerUnitID, 10, 64)
	if issuer > 0 && !w.d.Can(r.Context(), authz.ActionDirectiveManage, issuer) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	if issuer <= 0 && !w.canManageSomewhere(r) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	d := programme.Directive{Number: f.Number, DocType: f.DocType, IssuedOn: f.IssuedOn, IssuerUnitID: issuer, Signer: f.Signer, SignerTitle: f.SignerTitle,
		Texts: []programme.Text{{Lang: f.Lang, Title: f.Title, Body: f.Body}}}
	errs := programme.Errors{}
	if f.AttachURL != "" || f.AttachName != "" {
		name := f.AttachName
		if name == "" {
			name = f.AttachURL
		}
		d.Attachments = []programme.Attachment{{Name: name, URL: f.AttachURL}}
	}
	data, fname, ctype, errKey, err := uploadedFile(r, "attach_file")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if errKey != "" {
		errs["attach_file"] = errKey
		w.directiveNewPage(rw, r, http.StatusUnprocessableEntity, f, errs)
		return
	} else if data != nil {
		d.Attachments = append(d.Attachments, programme.Attachment{Name: fname, ContentType: ctype, Data: data})
	}
	err = w.d.Store.CreateDirective(r.Context(), actor(r), &d)
	if ve, ok := fieldErrors(err); ok {
		for k, v := range ve {
			errs[k] = v
		}
		w.directiveNewPage(rw, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	if errors.Is(err, store.ErrConflict) {
		errs["number"] = "programme.err.number_taken"
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
type assignForm struct{ TaskID, UnitID, Role, DueOn string }
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
	TaskErrors programme.Errors
	AsgForm    assignForm
	AsgErrors  programme.Errors
	AddrForm   addresseeForm
	AddrErrors programme.Errors
}

func (w *Web) directiveData(rw http.ResponseWriter, r *http.Request) (*directiveData, bool) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return nil, false
	}
	if !w.require(rw, r, authz.ActionDirectiveRead, 0) {
		return nil, false
	}
	ctx := r.Context()
	d, err := w.d.Store.GetDirective(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	acts, err := w.d.Store.DirectiveActivities(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	at := w.vnToday()
	lang := server.LocaleFrom(ctx).Lang()
	if t := r.URL.Query().Get("text"); t != "" {
		lang = t
	}
	dd := &directiveData{D: d, Text: programme.TextIn(d.Texts, lang), Orig: programme.Original(d.Texts), At: at,
		Summary: programme.Summarise(d, acts, programmeRules, at), Kinds: org.Kinds, Langs: programme.Langs,
		CanManage: w.d.Can(ctx, authz.ActionDirectiveManage, d.IssuerUnitID), TextLang: lang,
		TaskForm: taskForm{Number: strconv.Itoa(len(d.Tasks) + 1), Weight: "1", Lang: programme.Original(d.Texts).Lang}, AsgForm: assignForm{Role: programme.RoleLead}}
	if dd.CanManage {
		if dd.Units, err = w.d.Store.UnitsAt(ctx, at); err != nil {
			w.fail(rw, r, err)
			return nil, false
		}
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

func (w *Web) taskCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.signedIn(rw, r) || !w.form(rw, r) {
		return
	}
	dd, ok := w.directiveData(rw, r)
	if !ok {
		return
	}
	if !dd.CanManage {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	f := taskForm{Number: strings.TrimSpace(r.PostFormValue("number")), Weight: strings.TrimSpace(r.PostFormValue("weight")), Lang: r.PostFormValue("lang"),
		Title: strings.TrimSpace(r.PostFormValue("title")), Body: r.PostFormValue("body")}
	errs := programme.Errors{}
	n, err := strconv.Atoi(f.Number)
	if err != nil {
		errs["number"] = programme.MsgBadNumber
	}
	wt := 1.0
	if f.Weight != "" {
		if wt, err = strconv.ParseFloat(f.Weight, 64); err != nil {
			errs["weight"] = programme.MsgBadWeight
		}
	}
	t := programme.Task{DirectiveID: dd.D.ID, Number: n, Weight: wt, Texts: []programme.Text{{Lang: f.Lang, Title: f.Title, Body: f.Body}}}
	if len(errs) == 0 {
		err = w.d.Store.AddTask(r.Context(), actor(r), &t)
		if ve, ok := fieldErrors(err); ok {
			errs = ve
		} else if errors.Is(err, store.ErrConflict) {
			errs["number"] = "programme.err.task_taken"
		} else if err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if len(errs) > 0 {
		dd.TaskForm, dd.TaskErrors = f, errs
		w.renderDirective(rw, r, http.StatusUnprocessableEntity, dd)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme.flash.task_added#tasks-h", dd.D.ID), http.StatusSeeOther)
}

func (w *Web) addresseeCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.signedIn(rw, r) || !w.form(rw, r) {
		return
	}
	dd, ok := w.directiveData(rw, r)
	if !ok {
		return
	}
	if !dd.CanManage {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	f := addresseeForm{UnitID: r.PostFormValue("unit_id"), UnitKind: r.PostFormValue("unit_kind")}
	uid, _ := strconv.ParseInt(f.UnitID, 10, 64)
	ad := programme.Addressee{UnitID: uid, UnitKind: f.UnitKind}
	errs := programme.Errors{}
	if f.UnitKind != "" {
		if _, err := org.ParseKind(f.UnitKind); err != nil {
			errs["unit_kind"] = programme.MsgBadChoice
		}
	}
	if len(errs) == 0 {
		err := w.d.Store.AddAddressee(r.Context(), actor(r), dd.D.ID, &ad)
		if ve, ok := fieldErrors(err); ok {
			errs = ve
		} else if errors.Is(err, store.ErrNotFound) {
			errs["unit_id"] = programme.MsgBadChoice
		} else if err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if len(errs) > 0 {
		dd.AddrForm, dd.AddrErrors = f, errs
		w.renderDirective(rw, r, http.StatusUnprocessableEntity, dd)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme.flash.addressee_added#addr-h", dd.D.ID), http.StatusSeeOther)
}

func (w *Web) assignmentCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.signedIn(rw, r) || !w.form(rw, r) {
		return
	}
	dd, ok := w.directiveData(rw, r)
	if !ok {
		return
	}
	f := assignForm{TaskID: r.PostFormValue("task_id"), UnitID: r.PostFormValue("unit_id"), Role: r.PostFormValue("role"), DueOn: r.PostFormValue("due_on")}
	taskID, _ := strconv.ParseInt(f.TaskID, 10, 64)
	unitID, _ := strconv.ParseInt(f.UnitID, 10, 64)
	errs := programme.Errors{}
	found := false
	for _, t := range dd.D.Tasks {
		found = found || t.ID == taskID
	}
	if !found {
		errs["task_id"] = programme.MsgRequired
	}
	if unitID > 0 && !w.d.Can(r.Context(), authz.ActionDirectiveManage, unitID) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	if !dd.CanManage {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	as := programme.Assignment{TaskID: taskID, UnitID: unitID, Role: f.Role, DueOn: f.DueOn}
	if err := as.Validate(); err != nil {
		ve, _ := fieldErrors(err)
		for k, v := range ve {
			errs[k] = v
		}
	}
	if len(errs) == 0 {
		err := w.d.Store.AssignTask(r.Context(), actor(r), &as)
		if errors.Is(err, store.ErrNotFound) {
			errs["unit_id"] = programme.MsgBadChoice
		} else if err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if len(errs) > 0 {
		dd.AsgForm, dd.AsgErrors = f, errs
		w.renderDirective(rw, r, http.StatusUnprocessableEntity, dd)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/directives/%d?flash=programme.flash.assigned#asg-h", dd.D.ID), http.StatusSeeOther)
}

// --- a unit's plan ---

type activityForm struct{ TaskID, Title, Owner, StartOn, DueOn, Indicator, Target, Weight string }

type progressForm struct {
	Percent, Note, EvidenceURL string
	Version                    int
	Errors                     programme.Errors
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
	Activities  []programme.Activity
	Rollup      programme.Rollup
	Subtree     programme.Rollup
	Updates     map[int64][]programme.Update
	CanEdit     bool
	Tasks       []taskOption
	ActForm     activityForm
	ActErrors   programme.Errors
	Forms       map[int64]*progressForm
	Lang        string
}

func (w *Web) planData(rw http.ResponseWriter, r *http.Request, unitID int64) (*planData, bool) {
	ctx := r.Context()
	u, err := w.d.Store.GetUnit(ctx, unitID)
	if err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	if !w.require(rw, r, authz.ActionPlanRead, unitID) {
		return nil, false
	}
	at := w.vnToday()
	pd := &planData{Unit: u, At: at, Updates: map[int64][]programme.Update{}, Forms: map[int64]*progressForm{}, Lang: server.LocaleFrom(ctx).Lang(),
		CanEdit: w.d.Can(ctx, authz.ActionPlanEdit, unitID), ActForm: activityForm{Weight: "1", StartOn: at}}
	if pd.Assignments, err = w.d.Store.UnitAssignments(ctx, unitID); err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	if pd.Activities, err = w.d.Store.UnitActivities(ctx, unitID); err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	programmeRules.Derive(pd.Activities, at)
	items := make([]programme.Item, len(pd.Activities))
	for i, a := range pd.Activities {
		items[i] = a.Item()
		pd.Forms[a.ID] = &progressForm{Percent: strconv.Itoa(a.Progress), Version: a.Version}
	}
	pd.Rollup = programme.Roll(items)
	under, parent, err := w.d.Store.ActivitiesUnder(ctx, unitID)
	if err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	programmeRules.Derive(under, at)
	own := map[int64][]programme.Item{}
	for _, a := range under {
		own[a.UnitID] = append(own[a.UnitID], a.Item())
	}
	rolls := map[int64]programme.Rollup{}
	for id, its := range own {
		rolls[id] = programme.Roll(its)
	}
	pd.Subtree = programme.RollTree(rolls, parent)[unitID]
	ups, err := w.d.Store.UnitUpdates(ctx, unitID, 500)
	if err != nil {
		w.fail(rw, r, err)
		return nil, false
	}
	for _, up := range ups {
		up.At = up.At.In(vietnam)
		if len(pd.Updates[up.ActivityID]) < 5 {
			pd.Updates[up.ActivityID] = append(pd.Updates[up.ActivityID], up)
		}
	}
	if pd.CanEdit {
		// Tasks the unit may plan for: those assigned first, then every task of every directive.
		seen := map[int64]bool{}
		for _, a := range pd.Assignments {
			seen[a.TaskID] = true
			pd.Tasks = append(pd.Tasks, taskOption{a.TaskID, fmt.Sprintf("%s · %d. %s", a.DirectiveNumber, a.TaskNumber, programme.TextIn(a.TaskTexts, pd.Lang).Title)})
		}
		ds, err := w.d.Store.ListDirectives(ctx)
		if err != nil {
			w.fail(rw, r, err)
			return nil, false
		}
		for _, d := range ds {
			full, err := w.d.Store.GetDirective(ctx, d.ID)
			if err != nil {
				w.fail(rw, r, err)
				return nil, false
			}
			for _, t := range full.Tasks {
				if !seen[t.ID] {
					pd.Tasks = append(pd.Tasks, taskOption{t.ID, fmt.Sprintf("%s · %d. %s", d.Number, t.Number, programme.TextIn(t.Texts, pd.Lang).Title)})
				}
			}
		}
		for i := range pd.Tasks {
			if r := []rune(pd.Tasks[i].Label); len(r) > 110 {
				pd.Tasks[i].Label = string(r[:110]) + "…"
			}
		}
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
	if !w.signedIn(rw, r) {
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
	if !w.signedIn(rw, r) || !w.form(rw, r) {
		return
	}
	if !w.require(rw, r, authz.ActionPlanEdit, id) {
		return
	}
	f := activityForm{TaskID: r.PostFormValue("task_id"), Title: strings.TrimSpace(r.PostFormValue("title")), Owner: strings.TrimSpace(r.PostFormValue("owner")),
		StartOn: r.PostFormValue("start_on"), DueOn: r.PostFormValue("due_on"), Indicator: strings.TrimSpace(r.PostFormValue("indicator")),
		Target: strings.TrimSpace(r.PostFormValue("target")), Weight: strings.TrimSpace(r.PostFormValue("weight"))}
	taskID, _ := strconv.ParseInt(f.TaskID, 10, 64)
	errs := programme.Errors{}
	wt := 1.0
	if f.Weight != "" {
		var err error
		if wt, err = strconv.ParseFloat(f.Weight, 64); err != nil {
			errs["weight"] = programme.MsgBadWeight
		}
	}
	a := programme.Activity{UnitID: id, TaskID: taskID, Title: f.Title, Owner: f.Owner, StartOn: f.StartOn, DueOn: f.DueOn, Indicator: f.Indicator, Target: f.Target, Weight: wt}
	if len(errs) == 0 {
		err := w.d.Store.CreateActivity(r.Context(), actor(r), &a)
		if ve, ok := fieldErrors(err); ok {
			errs = ve
		} else if err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if len(errs) > 0 {
		pd, ok := w.planData(rw, r, id)
		if !ok {
			return
		}
		pd.ActForm, pd.ActErrors = f, errs
		w.renderPlan(rw, r, http.StatusUnprocessableEntity, pd)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/units/%d?flash=programme.flash.activity_added#act-%d", id, a.ID), http.StatusSeeOther)
}

// maxProgressBody bounds a progress form: the evidence file (10 MiB) and the
// text fields. A larger body is refused with 413 before it is read.
const maxProgressBody = programme.MaxEvidenceSize + 1<<20

func (w *Web) progressCreate(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if !w.signedIn(rw, r) {
		return
	}
	if !w.uploadForm(rw, r) {
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	ctx := r.Context()
	act, err := w.d.Store.GetActivity(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !w.require(rw, r, authz.ActionPlanEdit, act.UnitID) {
		return
	}
	f := &progressForm{Percent: strings.TrimSpace(r.PostFormValue("percent")), Note: r.PostFormValue("note"), EvidenceURL: strings.TrimSpace(r.PostFormValue("evidence_url"))}
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	errs := programme.Errors{}
	pct, err := strconv.Atoi(f.Percent)
	if err != nil {
		errs["percent"] = programme.MsgBadPercent
	}
	var file *programme.Evidence
	data, name, ctype, errKey, err := uploadedFile(r, "file")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if errKey != "" {
		errs["file"] = errKey
	} else if data != nil {
		file = &programme.Evidence{Name: name, ContentType: ctype, Data: data}
	}
	if f.Version <= 0 {
		f.Conflict = true // a form without the version it was based on cannot be checked: treat as stale
	}
	if len(errs) == 0 && !f.Conflict {
		u := programme.Update{ActivityID: id, Percent: pct, Note: strings.TrimSpace(f.Note), EvidenceURL: f.EvidenceURL}
		_, err = w.d.Store.PostProgress(ctx, actor(r), &u, f.Version, file)
		switch ve, isVal := fieldErrors(err); {
		case isVal:
			errs = ve
		case errors.Is(err, store.ErrConflict):
			f.Conflict = true
		case err != nil:
			w.fail(rw, r, err)
			return
		}
	}
	if len(errs) > 0 || f.Conflict {
		pd, ok := w.planData(rw, r, act.UnitID)
		if !ok {
			return
		}
		f.Errors = errs
		// Keep what was typed; the next submission is checked against the
		// version now stored, so that it can overwrite after reading the change.
		if cur, ok := pd.Forms[id]; ok {
			f.Version = cur.Version
		}
		pd.Forms[id] = f
		status := http.StatusUnprocessableEntity
		if f.Conflict {
			status = http.StatusConflict
		}
		w.renderPlan(rw, r, status, pd)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/programme/units/%d?flash=programme.flash.progress_saved#act-%d", act.UnitID, id), http.StatusSeeOther)
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

// uploadedFile reads the file field name, if one was sent: nil and no
// error key when none; the error key when it is too large.
func uploadedFile(r *http.Request, name string) (data []byte, fileName, contentType, errKey string, err error) {
	if r.MultipartForm == nil {
		return nil, "", "", "", nil
	}
	fh := r.MultipartForm.File[name]
	if len(fh) == 0 || fh[0].Filename == "" {
		return nil, "", "", "", nil
	}
	if fh[0].Size > programme.MaxEvidenceSize {
		return nil, "", "", programme.MsgTooLarge, nil
	}
	fl, err := fh[0].Open()
	if err != nil {
		return nil, "", "", "", err
	}
	defer fl.Close()
	data, err = io.ReadAll(io.LimitReader(fl, programme.MaxEvidenceSize+1))
	if err != nil {
		return nil, "", "", "", err
	}
	if len(data) > programme.MaxEvidenceSize {
		return nil, "", "", programme.MsgTooLarge, nil
	}
	return data, cleanFileName(fh[0].Filename), evidenceType(fh[0].Header.Get("Content-Type"), data), "", nil
}

// cleanFileName keeps the base name of an uploaded file, without path or control characters.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if name == "" {
		name = "evidence"
	}
	return name
}

// evidenceType trusts the browser's declared type only when it parses;
// otherwise it sniffs the bytes.
func evidenceType(declared string, data []byte) string {
	if mt, _, err := mime.ParseMediaType(declared); err == nil && mt != "" && mt != "application/octet-stream" {
		return mt
	}
	return http.DetectContentType(data)
}

func (w *Web) attachmentDownload(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if !w.require(rw, r, authz.ActionDirectiveRead, 0) {
		return
	}
	at, err := w.d.Store.GetDirectiveAttachment(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if at.Data == nil {
		if at.URL != "" {
			http.Redirect(rw, r, at.URL, http.StatusSeeOther)
			return
		}
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	sendFile(rw, at.Name, at.ContentType, at.Data)
}

// sendFile answers with an uploaded file, always as a download: uploaded
// HTML or SVG must never run on this origin.
func sendFile(rw http.ResponseWriter, name, ct string, data []byte) {
	if _, _, err := mime.ParseMediaType(ct); err != nil || ct == "" {
		ct = "application/octet-stream"
	}
	h := rw.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = rw.Write(data)
}

func (w *Web) evidenceDownload(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if !w.signedIn(rw, r) {
		return
	}
	ev, unitID, err := w.d.Store.GetEvidence(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !w.require(rw, r, authz.ActionPlanRead, unitID) {
		return
	}
	sendFile(rw, ev.Name, ev.ContentType, ev.Data)
}
