package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Unit management from the web, for those who may manage units
// (authz.ActionUnitManage: administrators):
//
//	GET  /units/new[?parent=]          form; POST /units creates
//	GET  /units/{id}/edit              form; POST /units/{id} saves
//	GET  /units/{id}/close             form (the confirmation step); POST does it
//	GET  /units/import                 upload form
//	POST /units/import                 preview of what the file changes
//	POST /units/import/confirm         applies exactly the previewed file
//
// unitsFeature adds the routes; web.New calls it (see features.go).
func unitsFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// lineError is a file's line error in the page's language.
	funcs["lineError"] = func(l i18n.Locale, e org.LineError) string {
		if e.Key == "" || !l.Has(e.Key) {
			return e.Msg
		}
		args := slices.Clone(e.Args)
		if e.Key == "units.line.no_parent" && len(args) == 2 {
			if d, ok := args[1].(string); ok {
				args[1] = l.DateString(d)
			}
		}
		return l.T(e.Key, args...)
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /units/new", w.unitNew)
		mux.HandleFunc("POST /units", w.unitCreate)
		mux.HandleFunc("GET /units/{id}/edit", w.unitEdit)
		mux.HandleFunc("POST /units/{id}", w.unitSave)
		mux.HandleFunc("GET /units/{id}/close", w.unitCloseForm)
		mux.HandleFunc("POST /units/{id}/close", w.unitClose)
		mux.HandleFunc("GET /units/import", w.unitImportForm)
		mux.HandleFunc("POST /units/import", w.unitImportPreview)
		mux.HandleFunc("POST /units/import/confirm", w.unitImportConfirm)
	}
}

// unitForm is the create/edit form as typed.
type unitForm struct {
	ParentID                    int64
	Name, Kind, Code, ValidFrom string
	Remote                      bool
}

type unitFormData struct {
	ID      int64 // 0: a new unit
	Form    unitForm
	Kinds   []org.Kind
	Parents []org.Unit
	Errors  map[string]string
}

func (w *Web) canManageUnits(rw http.ResponseWriter, r *http.Request) bool {
	return w.require(rw, r, authz.ActionUnitManage, 0)
}

// parentChoices are the units valid on at, in tree order.
func (w *Web) parentChoices(r *http.Request, at string) []org.Unit {
	us, _, err := w.d.Svc.Units.List(r.Context(), nil, service.UnitList{At: at, All: true})
	if err != nil {
		return nil
	}
	return us
}

func (w *Web) renderUnitForm(rw http.ResponseWriter, r *http.Request, status int, d unitFormData) {
	at := d.Form.ValidFrom
	if _, err := org.ParseDate(at); err != nil {
		at = w.d.Svc.Units.Today()
	}
	d.Kinds, d.Parents = org.Kinds, w.parentChoices(r, at)
	title := "units.new_title"
	if d.ID != 0 {
		title = "units.edit_title"
	}
	w.render(rw, r, status, "units_form", w.page(rw, r, title, d))
}

func (w *Web) unitNew(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) {
		return
	}
	parent, _ := strconv.ParseInt(r.URL.Query().Get("parent"), 10, 64)
	w.renderUnitForm(rw, r, http.StatusOK, unitFormData{Form: unitForm{ParentID: parent, Kind: string(org.KindCommune), ValidFrom: w.d.Svc.Units.Today()}})
}

func formUnit(r *http.Request) unitForm {
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	return unitForm{ParentID: parent, Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), Code: r.PostFormValue("code"),
		ValidFrom: r.PostFormValue("valid_from"), Remote: r.PostFormValue("remote") != ""}
}

func (f unitForm) input() service.UnitInput {
	return service.UnitInput{ParentID: f.ParentID, Name: f.Name, Kind: f.Kind, Code: f.Code, ValidFrom: f.ValidFrom, Remote: f.Remote}
}

func (w *Web) unitCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) || !w.form(rw, r) {
		return
	}
	f := formUnit(r)
	u, err := w.d.Svc.Units.Create(r.Context(), server.PrincipalFrom(r.Context()), f.input())
	if inv, ok := service.AsInvalid(err); ok {
		w.renderUnitForm(rw, r, http.StatusUnprocessableEntity, unitFormData{Form: f, Errors: FieldMessages(server.LocaleFrom(r.Context()), inv)})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, unitURL(u, "units.created"), http.StatusSeeOther)
}

func unitURL(u org.Unit, flash string) string {
	return "/units/" + strconv.FormatInt(u.ID, 10) + "?" + url.Values{"at": {u.ValidFrom}, "flash": {flash}}.Encode()
}

// managedUnit reads the path's unit for a management page.
func (w *Web) managedUnit(rw http.ResponseWriter, r *http.Request) (org.Unit, bool) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return org.Unit{}, false
	}
	v, err := w.d.Svc.Units.Get(r.Context(), server.PrincipalFrom(r.Context()), service.UnitQuery{ID: id, At: w.d.Svc.Units.Today(), LastDay: true})
	if err != nil {
		w.fail(rw, r, err)
		return org.Unit{}, false
	}
	return v.Unit, true
}

func (w *Web) unitEdit(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) {
		return
	}
	u, ok := w.managedUnit(rw, r)
	if !ok {
		return
	}
	w.renderUnitForm(rw, r, http.StatusOK, unitFormData{ID: u.ID, Form: unitForm{ParentID: u.ParentID, Name: u.Name, Kind: string(u.Kind), Code: u.Code, ValidFrom: u.ValidFrom, Remote: u.Remote}})
}

func (w *Web) unitSave(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) || !w.form(rw, r) {
		return
	}
	u, ok := w.managedUnit(rw, r)
	if !ok {
		return
	}
	f := formUnit(r)
	saved, err := w.d.Svc.Units.Update(r.Context(), server.PrincipalFrom(r.Context()), u.ID, f.input())
	if inv, ok := service.AsInvalid(err); ok {
		w.renderUnitForm(rw, r, http.StatusUnprocessableEntity, unitFormData{ID: u.ID, Form: f, Errors: FieldMessages(server.LocaleFrom(r.Context()), inv)})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, unitURL(saved, "units.saved"), http.StatusSeeOther)
}

// closeRows is how many successor rows the close form offers.
const closeRows = 5

type closeRow struct {
	UnitID  int64
	Portion string
}

type unitCloseData struct {
	Unit       org.Unit
	ValidTo    string
	Kind       string
	Kinds      []string
	Rows       []closeRow
	Candidates []org.Unit
	Errors     map[string]string
}

func (w *Web) renderClose(rw http.ResponseWriter, r *http.Request, status int, d unitCloseData) {
	// Successors are valid the day after the last day: offer the units valid then.
	at := service.DayAfter(d.ValidTo)
	if at == "" {
		at = w.d.Svc.Units.Today()
	}
	for _, u := range w.parentChoices(r, at) {
		if u.ID != d.Unit.ID {
			d.Candidates = append(d.Candidates, u)
		}
	}
	d.Kinds = []string{"merge", "split", "rename"}
	for len(d.Rows) < closeRows {
		d.Rows = append(d.Rows, closeRow{Portion: "full"})
	}
	pg := w.page(rw, r, "units.close_title", d)
	pg.Title = server.LocaleFrom(r.Context()).T("units.close_title_of", d.Unit.Name)
	w.render(rw, r, status, "units_close", pg)
}

func (w *Web) unitCloseForm(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) {
		return
	}
	u, ok := w.managedUnit(rw, r)
	if !ok {
		return
	}
	w.renderClose(rw, r, http.StatusOK, unitCloseData{Unit: u, ValidTo: w.d.Svc.Units.Today(), Kind: "merge"})
}

func (w *Web) unitClose(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) || !w.form(rw, r) {
		return
	}
	u, ok := w.managedUnit(rw, r)
	if !ok {
		return
	}
	d := unitCloseData{Unit: u, ValidTo: r.PostFormValue("valid_to"), Kind: r.PostFormValue("kind")}
	in := service.UnitClose{ValidTo: d.ValidTo, Kind: d.Kind}
	ids, portions := r.PostForm["successor"], r.PostForm["portion"]
	for i := range ids {
		row := closeRow{Portion: "full"}
		if i < len(portions) {
			row.Portion = portions[i]
		}
		row.UnitID, _ = strconv.ParseInt(ids[i], 10, 64)
		d.Rows = append(d.Rows, row)
		if strings.TrimSpace(ids[i]) != "" {
			in.Successors = append(in.Successors, service.UnitSuccessor{UnitID: row.UnitID, Portion: row.Portion})
		}
	}
	err := w.d.Svc.Units.Close(r.Context(), server.PrincipalFrom(r.Context()), u.ID, in)
	if inv, ok := service.AsInvalid(err); ok {
		d.Errors = FieldMessages(server.LocaleFrom(r.Context()), inv)
		w.renderClose(rw, r, http.StatusUnprocessableEntity, d)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	u.ValidFrom = d.ValidTo // show it as of its last day
	http.Redirect(rw, r, unitURL(u, "units.closed"), http.StatusSeeOther)
}

type unitImportData struct {
	Preview *service.UnitPreview
	Errors  map[string]string
}

func (w *Web) unitImportForm(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) {
		return
	}
	w.render(rw, r, http.StatusOK, "units_import", w.page(rw, r, "units.import_title", unitImportData{}))
}

// maxUnitUpload bounds an uploaded unit file.
const maxUnitUpload = 32 << 20

func (w *Web) unitImportPreview(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) {
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, maxUnitUpload+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorPage(rw, r, http.StatusRequestEntityTooLarge)
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return
	}
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return
	}
	l := server.LocaleFrom(r.Context())
	file, _, err := r.FormFile("file")
	if err != nil {
		w.render(rw, r, http.StatusUnprocessableEntity, "units_import", w.page(rw, r, "units.import_title",
			unitImportData{Errors: map[string]string{"file": l.T(service.MsgRequired)}}))
		return
	}
	defer file.Close()
	pv, err := w.d.Svc.Units.PreviewImport(r.Context(), server.PrincipalFrom(r.Context()), file)
	if _, ok := service.AsInvalid(err); ok { // no rows
		w.render(rw, r, http.StatusUnprocessableEntity, "units_import", w.page(rw, r, "units.import_title",
			unitImportData{Errors: map[string]string{"file": l.T("units.import_empty")}}))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	status := http.StatusOK
	if len(pv.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	w.render(rw, r, status, "units_import", w.page(rw, r, "units.import_title", unitImportData{Preview: &pv}))
}

func (w *Web) unitImportConfirm(rw http.ResponseWriter, r *http.Request) {
	if !w.canManageUnits(rw, r) || !w.form(rw, r) {
		return
	}
	res, err := w.d.Svc.Units.ApplyImport(r.Context(), server.PrincipalFrom(r.Context()), r.PostFormValue("token"))
	if inv, ok := service.AsInvalid(err); ok {
		w.render(rw, r, http.StatusUnprocessableEntity, "units_import", w.page(rw, r, "units.import_title",
			unitImportData{Errors: map[string]string{"file": FieldMessages(server.LocaleFrom(r.Context()), inv)["token"]}}))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	q := url.Values{"flash": {"units.imported"}, "created": {strconv.Itoa(res.Created)}, "updated": {strconv.Itoa(res.Updated)}}
	http.Redirect(rw, r, "/units?"+q.Encode(), http.StatusSeeOther)
}
