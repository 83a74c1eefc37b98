package web

// Report templates in the browser: the list, the template page with its
// builder (general fields, narrative sections and indicators, each added,
// edited, moved and removed with plain forms), the preview of the form as
// a unit officer sees it, JSON export and import, and the template's
// schedules. Every change of the definition is saved through the one
// service path of the JSON door (UpdateTemplate), with the version read.

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// builderFeature returns the routes of the template pages (see features.go).
func builderFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["bldTypes"] = func() []report.ValueType {
		return []report.ValueType{report.TypeInteger, report.TypeDecimal, report.TypePercent, report.TypeText, report.TypeChoice}
	}
	funcs["bldAggs"] = func() []report.Aggregation {
		return []report.Aggregation{report.AggSum, report.AggAvg, report.AggWavg, report.AggMin, report.AggMax, report.AggNone}
	}
	funcs["bldOps"] = func() []string { return report.Ops }
	funcs["bldNum"] = func(l i18n.Locale, v *float64) string {
		if v == nil {
			return ""
		}
		return l.Decimal(*v, -1)
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /reports/templates", w.templateList)
		mux.HandleFunc("GET /reports/templates/new", w.templateNew)
		mux.HandleFunc("POST /reports/templates", w.templateCreate)
		mux.HandleFunc("GET /reports/templates/{id}/edit", w.templateEdit)
		mux.HandleFunc("POST /reports/templates/{id}/edit", w.templateUpdate)
		mux.HandleFunc("GET /reports/templates/{id}/preview", w.templatePreview)
		mux.HandleFunc("GET /reports/templates/{id}/definition.json", w.templateExport)
		mux.HandleFunc("POST /reports/templates/{id}/import", w.templateImport)
		mux.HandleFunc("GET /reports/templates/{id}/sections/new", w.sectionForm)
		mux.HandleFunc("POST /reports/templates/{id}/sections", w.sectionSave)
		mux.HandleFunc("GET /reports/templates/{id}/sections/{key}/edit", w.sectionForm)
		mux.HandleFunc("POST /reports/templates/{id}/sections/{key}", w.sectionSave)
		mux.HandleFunc("POST /reports/templates/{id}/sections/{key}/move", w.sectionMove)
		mux.HandleFunc("GET /reports/templates/{id}/sections/{key}/delete", w.sectionConfirm)
		mux.HandleFunc("POST /reports/templates/{id}/sections/{key}/delete", w.sectionDelete)
		mux.HandleFunc("GET /reports/templates/{id}/indicators/new", w.indicatorForm)
		mux.HandleFunc("POST /reports/templates/{id}/indicators", w.indicatorSave)
		mux.HandleFunc("GET /reports/templates/{id}/indicators/{code}/edit", w.indicatorForm)
		mux.HandleFunc("POST /reports/templates/{id}/indicators/{code}", w.indicatorSave)
		mux.HandleFunc("POST /reports/templates/{id}/indicators/{code}/move", w.indicatorMove)
		mux.HandleFunc("GET /reports/templates/{id}/indicators/{code}/delete", w.indicatorConfirm)
		mux.HandleFunc("POST /reports/templates/{id}/indicators/{code}/delete", w.indicatorDelete)
		mux.HandleFunc("POST /reports/templates/{id}/schedules", w.scheduleCreate)
		mux.HandleFunc("GET /reports/templates/{id}/schedules/{sid}/edit", w.scheduleEdit)
		mux.HandleFunc("POST /reports/templates/{id}/schedules/{sid}", w.scheduleUpdate)
		mux.HandleFunc("GET /reports/templates/{id}/schedules/{sid}/delete", w.scheduleConfirm)
		mux.HandleFunc("POST /reports/templates/{id}/schedules/{sid}/delete", w.scheduleDelete)
	}
}

// ---------- the list and the template page ----------

type templateForm struct {
	ID          int64
	Version     int
	Code, Name  string
	Description string
	PeriodType  string
	CutoffDay   int
	Active      bool
	Definition  string
	OwnerUnitID int64
	Errors      map[string]string
	Problems    []report.Problem
	ReadOnly    bool
	// Owners are the units the user may own templates for.
	Owners []ownUnit
	// The builder's view of the stored definition.
	Sections   []report.Section
	Indicators []report.Indicator
	Rules      []report.CrossRule
	// Schedules of the template, and the schedule form.
	Schedules []scheduleRow
	Schedule  scheduleForm
	Units     []ownUnit
	Kinds     []string
}

// scheduleRow is a schedule as listed on the template page.
type scheduleRow struct {
	service.Schedule
	UnitName string
}

// scheduleForm is one schedule as typed: a unit, the kinds that report and
// the deadline of each level (a blank row to add one more).
type scheduleForm struct {
	ID     int64
	UnitID int64
	Kinds  []string
	Levels []levelRow
	Errors map[string]string
}

// levelRow is one level's deadline as typed; Suffix tells its fields apart
// ("" for the first row, "_1", "_2"… for the next).
type levelRow struct {
	Suffix      string
	Level       string
	Days        string
	WorkingDays bool
	Kinds       []string
}

// withBlank numbers the rows and adds an empty one for a further level.
func (sf *scheduleForm) withBlank() {
	if n := len(sf.Levels); n < maxFormLevels && (n == 0 || sf.Levels[n-1].Level != "" || sf.Levels[n-1].Days != "") {
		sf.Levels = append(sf.Levels, levelRow{})
	}
	for i := range sf.Levels {
		sf.Levels[i].Suffix = ""
		if i > 0 {
			sf.Levels[i].Suffix = "_" + strconv.Itoa(i)
		}
	}
}

// maxFormLevels bounds the level rows a schedule form reads.
const maxFormLevels = 20

type templateListData struct {
	Templates []service.Template
	CanManage bool
}

func (w *Web) templateList(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	p := server.PrincipalFrom(r.Context())
	ts, err := w.d.Svc.Reports.ListTemplates(r.Context(), p, false)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "reports_templates", w.page(rw, r, "reports.templates", templateListData{ts, w.d.Svc.Reports.CanManageTemplates(p)}))
}

// owners lists the units the user may own templates for: the units of its
// template.manage grants (administrators: installation-wide, 0, as well).
func (w *Web) owners(r *http.Request) []ownUnit {
	p := server.PrincipalFrom(r.Context())
	var out []ownUnit
	seen := map[int64]bool{}
	if p.IsAdmin() {
		out = append(out, ownUnit{0, server.LocaleFrom(r.Context()).T("reports.owner_everywhere")})
	}
	for _, g := range p.Grants {
		if seen[g.UnitID] || !w.d.Can(r.Context(), authz.ActionTemplateManage, g.UnitID) {
			continue
		}
		seen[g.UnitID] = true
		if u, ok := w.d.Svc.Reports.Unit(g.UnitID); ok {
			out = append(out, ownUnit{u.ID, u.Name})
		}
	}
	return out
}

// scheduleUnits are the units a schedule may name: the template's owner
// unit and the units of the user's grants, those the user manages.
func (w *Web) scheduleUnits(r *http.Request, ownerID int64) []ownUnit {
	var out []ownUnit
	if u, ok := w.d.Svc.Reports.Unit(ownerID); ok && w.d.Can(r.Context(), authz.ActionTemplateManage, ownerID) {
		out = append(out, ownUnit{u.ID, u.Name})
	}
	for _, o := range w.owners(r) {
		if o.ID != 0 && o.ID != ownerID {
			out = append(out, o)
		}
	}
	return out
}

func kindNames() []string {
	out := make([]string, len(org.Kinds))
	for i, k := range org.Kinds {
		out[i] = string(k)
	}
	return out
}

func (w *Web) templateNew(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	if !w.d.Svc.Reports.CanManageTemplates(server.PrincipalFrom(r.Context())) {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	f := templateForm{PeriodType: string(report.Monthly), CutoffDay: report.DefaultCutoffDay, Active: true, Owners: w.owners(r),
		Definition: "{\n  \"sections\": [{\"key\": \"highlights\", \"title\": {\"vi\": \"Kết quả nổi bật\"}}],\n  \"indicators\": [{\"code\": \"dialogues\", \"name\": {\"vi\": \"Số cuộc đối thoại\"}, \"type\": \"integer\", \"min\": 0}]\n}"}
	if len(f.Owners) > 0 {
		f.OwnerUnitID = f.Owners[0].ID
	}
	w.render(rw, r, http.StatusOK, "reports_template_form", w.page(rw, r, "reports.template_new", f))
}

// templateFormOf fills the template page from a stored template.
func (w *Web) templateFormOf(r *http.Request, id int64) (templateForm, error) {
	p := server.PrincipalFrom(r.Context())
	t, scs, err := w.d.Svc.Reports.Template(r.Context(), p, id)
	if err != nil {
		return templateForm{}, err
	}
	f := templateForm{ID: t.ID, Version: t.Version, Code: t.Code, Name: t.Name, Description: t.Description, PeriodType: string(t.PeriodType),
		CutoffDay: t.CutoffDay, Active: t.Active, Definition: prettyJSON(string(t.Definition.JSON())), OwnerUnitID: t.OwnerUnitID,
		Kinds: kindNames(), Owners: w.owners(r), ReadOnly: !w.d.Svc.Reports.CanManageTemplate(p, t),
		Sections: t.Definition.Sections, Indicators: t.Definition.Indicators, Rules: t.Definition.Rules}
	for _, sc := range scs {
		row := scheduleRow{Schedule: sc}
		if u, ok := w.d.Svc.Reports.Unit(sc.UnitID); ok {
			row.UnitName = u.Name
		}
		f.Schedules = append(f.Schedules, row)
	}
	f.Units = w.scheduleUnits(r, t.OwnerUnitID)
	f.Schedule.UnitID = t.OwnerUnitID
	f.Schedule.Levels = []levelRow{{Days: "5"}}
	f.Schedule.withBlank()
	return f, nil
}

func (w *Web) templateEdit(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, err := w.templateFormOf(r, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "reports_template_form", w.page(rw, r, "reports.template_edit", f))
}

func (w *Web) templateCreate(rw http.ResponseWriter, r *http.Request) { w.templateSave(rw, r, 0) }

func (w *Web) templateUpdate(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.templateSave(rw, r, id)
}

// maxDefinitionFile bounds an imported definition.
const maxDefinitionFile = 2 << 20

// anyForm parses a form, urlencoded or multipart (a file import).
func (w *Web) anyForm(rw http.ResponseWriter, r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return w.multipartForm(rw, r, maxDefinitionFile+(64<<10))
	}
	return w.form(rw, r)
}

// definitionFile returns the content of the uploaded definition file, if any.
func definitionFile(r *http.Request) ([]byte, bool) {
	file, _, err := r.FormFile("definition_file")
	if err != nil {
		return nil, false
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, maxDefinitionFile))
	if err != nil || len(b) == 0 {
		return nil, false
	}
	return b, true
}

func (w *Web) templateSave(rw http.ResponseWriter, r *http.Request, id int64) {
	if !w.signedInReports(rw, r) || !w.anyForm(rw, r) {
		return
	}
	p := server.PrincipalFrom(r.Context())
	f := templateForm{ID: id, Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		Description: r.PostFormValue("description"), PeriodType: r.PostFormValue("period_type"), Active: r.PostFormValue("active") != "",
		Definition: r.PostFormValue("definition"), Errors: map[string]string{}, Owners: w.owners(r), Kinds: kindNames()}
	if b, ok := definitionFile(r); ok {
		f.Definition = string(b)
	}
	f.Version = formInt(r.PostFormValue("version"))
	f.CutoffDay = formInt(r.PostFormValue("cutoff_day"))
	f.OwnerUnitID, _ = strconv.ParseInt(r.PostFormValue("owner_unit_id"), 10, 64)
	cutoff := f.CutoffDay
	in := service.TemplateInput{Code: f.Code, Name: f.Name, Description: f.Description, PeriodType: f.PeriodType, CutoffDay: &cutoff,
		Definition: []byte(f.Definition), Active: &f.Active, OwnerUnitID: f.OwnerUnitID, Version: f.Version}
	var t service.Template
	var err error
	title := "reports.template_new"
	if id == 0 {
		t, err = w.d.Svc.Reports.CreateTemplate(r.Context(), p, in)
	} else {
		title = "reports.template_edit"
		t, err = w.d.Svc.Reports.UpdateTemplate(r.Context(), p, id, in)
	}
	if inv, ok := service.AsInvalid(err); ok {
		l := server.LocaleFrom(r.Context())
		f.Errors = FieldMessages(l, inv)
		for _, fe := range inv.Fields {
			if path, ok := strings.CutPrefix(fe.Field, "definition."); ok {
				f.Problems = append(f.Problems, report.Problem{Path: path, Key: fe.Key})
			}
		}
		if len(f.Problems) > 0 && f.Errors["definition"] == "" {
			f.Errors["definition"] = l.T("report.definition_invalid")
		}
		w.keepStored(r, &f)
		w.render(rw, r, http.StatusUnprocessableEntity, "reports_template_form", w.page(rw, r, title, f))
		return
	}
	if errors.Is(err, service.ErrConflict) {
		f.Errors["code"] = server.LocaleFrom(r.Context()).T("reports.err.template_conflict")
		w.keepStored(r, &f)
		w.render(rw, r, http.StatusConflict, "reports_template_form", w.page(rw, r, title, f))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/templates/%d/edit?flash=reports.template_saved", t.ID), http.StatusSeeOther)
}

// keepStored fills a refused template form with what the page shows beside
// it: the stored builder lists and schedules.
func (w *Web) keepStored(r *http.Request, f *templateForm) {
	if f.ID == 0 {
		return
	}
	if cur, err := w.templateFormOf(r, f.ID); err == nil {
		f.Sections, f.Indicators, f.Rules = cur.Sections, cur.Indicators, cur.Rules
		f.Schedules, f.Schedule, f.Units, f.ReadOnly = cur.Schedules, cur.Schedule, cur.Units, cur.ReadOnly
	}
}

// ---------- JSON export and import ----------

func (w *Web) templateExport(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.loadTemplate(rw, r)
	if !ok {
		return
	}
	server.SendFile(rw, t.Code+".json", "application/json", []byte(prettyJSON(string(t.Definition.JSON()))+"\n"))
}

// templateImport replaces the definition of a template with an uploaded
// JSON file; the problems are listed with their JSON paths.
func (w *Web) templateImport(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if !w.anyForm(rw, r) {
		return
	}
	p := server.PrincipalFrom(r.Context())
	t, _, err := w.d.Svc.Reports.Template(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	b, ok := definitionFile(r)
	if !ok {
		f, err := w.templateFormOf(r, id)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		f.Errors = map[string]string{"definition_file": server.LocaleFrom(r.Context()).T("builder.import_missing")}
		w.render(rw, r, http.StatusUnprocessableEntity, "reports_template_form", w.page(rw, r, "reports.template_edit", f))
		return
	}
	in := inputOf(t, formInt(r.PostFormValue("version")))
	in.Definition = b
	if _, err := w.d.Svc.Reports.UpdateTemplate(r.Context(), p, id, in); err != nil {
		w.templateRefused(rw, r, id, err, "definition_file")
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/templates/%d/edit?flash=builder.imported", id), http.StatusSeeOther)
}

// templateRefused shows the template page again with the problems of a
// refused change; field names the form part the summary points to.
func (w *Web) templateRefused(rw http.ResponseWriter, r *http.Request, id int64, err error, field string) {
	inv, isInv := service.AsInvalid(err)
	if !isInv && !errors.Is(err, service.ErrConflict) {
		w.fail(rw, r, err)
		return
	}
	f, ferr := w.templateFormOf(r, id)
	if ferr != nil {
		w.fail(rw, r, ferr)
		return
	}
	l := server.LocaleFrom(r.Context())
	f.Errors = map[string]string{}
	status := http.StatusConflict
	if isInv {
		status = http.StatusUnprocessableEntity
		f.Errors[field] = l.T("report.definition_invalid")
		for _, fe := range inv.Fields {
			f.Problems = append(f.Problems, report.Problem{Path: strings.TrimPrefix(fe.Field, "definition."), Key: fe.Key})
		}
	} else {
		f.Errors[field] = l.T("builder.conflict")
	}
	w.render(rw, r, status, "reports_template_form", w.page(rw, r, "reports.template_edit", f))
}

// ---------- the builder: shared parts ----------

// loadTemplate reads the template of the path's id.
func (w *Web) loadTemplate(rw http.ResponseWriter, r *http.Request) (service.Template, bool) {
	if !w.signedInReports(rw, r) {
		return service.Template{}, false
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return service.Template{}, false
	}
	t, _, err := w.d.Svc.Reports.Template(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return t, false
	}
	return t, true
}

// managedTemplate reads the template and checks that the user may change it
// (the service checks again on saving; this spares a useless form).
func (w *Web) managedTemplate(rw http.ResponseWriter, r *http.Request) (service.Template, bool) {
	t, ok := w.loadTemplate(rw, r)
	if ok && !w.d.Svc.Reports.CanManageTemplate(server.PrincipalFrom(r.Context()), t) {
		w.fail(rw, r, service.ErrForbidden)
		return t, false
	}
	return t, ok
}

// inputOf is the template as stored, to be saved with a changed definition.
func inputOf(t service.Template, version int) service.TemplateInput {
	cutoff, active := t.CutoffDay, t.Active
	return service.TemplateInput{Code: t.Code, Name: t.Name, Description: t.Description, PeriodType: string(t.PeriodType), CutoffDay: &cutoff,
		Definition: t.Definition.JSON(), Active: &active, OwnerUnitID: t.OwnerUnitID, Version: version}
}

// saveDefinition saves def as template t's definition with the version the
// form was read at.
func (w *Web) saveDefinition(r *http.Request, t service.Template, def report.Definition) error {
	in := inputOf(t, formInt(r.PostFormValue("version")))
	in.Definition = def.JSON()
	_, err := w.d.Svc.Reports.UpdateTemplate(r.Context(), server.PrincipalFrom(r.Context()), t.ID, in)
	return err
}

// cloneDefinition copies def so that edits do not touch the template read.
func cloneDefinition(def report.Definition) report.Definition {
	return report.Definition{Sections: slices.Clone(def.Sections), Indicators: slices.Clone(def.Indicators), Rules: slices.Clone(def.Rules)}
}

func builderDone(rw http.ResponseWriter, r *http.Request, id int64, flash, anchor string) {
	http.Redirect(rw, r, fmt.Sprintf("/reports/templates/%d/edit?flash=%s#%s", id, flash, anchor), http.StatusSeeOther)
}

// moveAt moves element i of s one place up or down (dir "up" or "down").
func moveAt[T any](s []T, i int, dir string) bool {
	j := i + 1
	if dir == "up" {
		j = i - 1
	}
	if i < 0 || j < 0 || j >= len(s) {
		return false
	}
	s[i], s[j] = s[j], s[i]
	return true
}

// pathIndex reads "sections[3].title.vi" as ("sections", 3, "title.vi").
var pathIndexRE = regexp.MustCompile(`^definition\.([a-z_]+)\[(\d+)\]\.?(.*)$`)

func pathIndex(field string) (list string, i int, rest string, ok bool) {
	m := pathIndexRE.FindStringSubmatch(field)
	if m == nil {
		return "", 0, "", false
	}
	i, err := strconv.Atoi(m[2])
	return m[1], i, m[3], err == nil
}

// bldConfirm is a confirmation step before a removal.
type bldConfirm struct {
	Question string
	Action   string
	Cancel   string
	Version  int
}

func (w *Web) confirm(rw http.ResponseWriter, r *http.Request, question, action, cancel string, version int) {
	w.render(rw, r, http.StatusOK, "reports_template_confirm", w.page(rw, r, "builder.confirm_title", bldConfirm{question, action, cancel, version}))
}

// itemErrors sorts the messages of a refused definition into the edited
// item's fields (list[index].field → field) and the rest (a summary with
// the JSON path); fieldOf names the form field of a path rest.
type itemErrors struct {
	Fields  map[string]string
	Summary []string
}

func sortErrors(l i18n.Locale, inv *service.InvalidError, list string, index int, ruleIdx map[int]bool, fieldOf func(string) string) itemErrors {
	out := itemErrors{Fields: map[string]string{}}
	for _, fe := range inv.Fields {
		msg := fe.Text(l)
		name := ""
		if ls, i, rest, ok := pathIndex(fe.Field); ok {
			switch {
			case ls == list && i == index:
				name = fieldOf(rest)
			case ls == "rules" && ruleIdx[i]:
				name = "rules"
			}
		}
		if name == "" {
			out.Summary = append(out.Summary, strings.TrimPrefix(fe.Field, "definition.")+": "+msg)
			continue
		}
		if _, dup := out.Fields[name]; !dup {
			out.Fields[name] = msg
		}
	}
	return out
}

// ---------- sections ----------

type sectionFormData struct {
	TemplateID   int64
	TemplateName string
	Version      int
	Key          string // "" for a new section
	TitleVi      string
	TitleEn      string
	TitleJa      string
	Errors       map[string]string
	Summary      []string
}

func (w *Web) sectionForm(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok {
		return
	}
	d := sectionFormData{TemplateID: t.ID, TemplateName: t.Name, Version: t.Version}
	title := "builder.section_new"
	if key := r.PathValue("key"); key != "" {
		i := slices.IndexFunc(t.Definition.Sections, func(s report.Section) bool { return s.Key == key })
		if i < 0 {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		s := t.Definition.Sections[i]
		d.Key, d.TitleVi, d.TitleEn, d.TitleJa = s.Key, s.Title["vi"], s.Title["en"], s.Title["ja"]
		title = "builder.section_edit"
	}
	w.render(rw, r, http.StatusOK, "reports_template_section", w.page(rw, r, title, d))
}

// freeKey is the first "muc_N" no section uses.
func freeKey(def report.Definition) string {
	for n := len(def.Sections) + 1; ; n++ {
		k := fmt.Sprintf("muc_%d", n)
		if !slices.ContainsFunc(def.Sections, func(s report.Section) bool { return s.Key == k }) {
			return k
		}
	}
}

func text(vi, en, ja string) report.Text {
	t := report.Text{"vi": strings.TrimSpace(vi)}
	if s := strings.TrimSpace(en); s != "" {
		t["en"] = s
	}
	if s := strings.TrimSpace(ja); s != "" {
		t["ja"] = s
	}
	return t
}

func (w *Web) sectionSave(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	d := sectionFormData{TemplateID: t.ID, TemplateName: t.Name, Version: formInt(r.PostFormValue("version")), Key: r.PathValue("key"),
		TitleVi: r.PostFormValue("title_vi"), TitleEn: r.PostFormValue("title_en"), TitleJa: r.PostFormValue("title_ja")}
	def := cloneDefinition(t.Definition)
	s := report.Section{Key: d.Key, Title: text(d.TitleVi, d.TitleEn, d.TitleJa)}
	idx := len(def.Sections)
	title := "builder.section_new"
	if d.Key == "" {
		s.Key = freeKey(def)
		def.Sections = append(def.Sections, s)
	} else {
		title = "builder.section_edit"
		idx = slices.IndexFunc(def.Sections, func(x report.Section) bool { return x.Key == d.Key })
		if idx < 0 {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		def.Sections[idx] = s
	}
	err := w.saveDefinition(r, t, def)
	if inv, ok := service.AsInvalid(err); ok {
		e := sortErrors(server.LocaleFrom(r.Context()), inv, "sections", idx, nil, func(rest string) string {
			if strings.HasPrefix(rest, "title") {
				return "title"
			}
			return ""
		})
		d.Errors, d.Summary = e.Fields, e.Summary
		w.render(rw, r, http.StatusUnprocessableEntity, "reports_template_section", w.page(rw, r, title, d))
		return
	}
	if errors.Is(err, service.ErrConflict) {
		d.Summary = []string{server.LocaleFrom(r.Context()).T("builder.conflict")}
		w.render(rw, r, http.StatusConflict, "reports_template_section", w.page(rw, r, title, d))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	builderDone(rw, r, t.ID, "builder.saved", "sections")
}

func (w *Web) sectionMove(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	def := cloneDefinition(t.Definition)
	i := slices.IndexFunc(def.Sections, func(s report.Section) bool { return s.Key == r.PathValue("key") })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if moveAt(def.Sections, i, r.PostFormValue("dir")) {
		if err := w.saveDefinition(r, t, def); err != nil {
			w.templateRefused(rw, r, t.ID, err, "sections")
			return
		}
	}
	builderDone(rw, r, t.ID, "builder.saved", "sections")
}

func (w *Web) sectionConfirm(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok {
		return
	}
	i := slices.IndexFunc(t.Definition.Sections, func(s report.Section) bool { return s.Key == r.PathValue("key") })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	l := server.LocaleFrom(r.Context())
	s := t.Definition.Sections[i]
	w.confirm(rw, r, l.T("builder.section_remove_q", s.Title.In(l.Lang())),
		fmt.Sprintf("/reports/templates/%d/sections/%s/delete", t.ID, s.Key), fmt.Sprintf("/reports/templates/%d/edit#sections", t.ID), t.Version)
}

func (w *Web) sectionDelete(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	def := cloneDefinition(t.Definition)
	i := slices.IndexFunc(def.Sections, func(s report.Section) bool { return s.Key == r.PathValue("key") })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	def.Sections = slices.Delete(def.Sections, i, i+1)
	if err := w.saveDefinition(r, t, def); err != nil {
		w.templateRefused(rw, r, t.ID, err, "sections")
		return
	}
	builderDone(rw, r, t.ID, "builder.removed", "sections")
}

// ---------- indicators ----------

// Disaggregations the builder offers; a definition imported with another
// one keeps it ("custom").
var disaggPresets = map[string]report.Disaggregation{
	"gender": {Key: "gender", Name: report.Text{"vi": "Giới tính", "en": "Gender", "ja": "性別"}, Categories: []report.Category{
		{Key: "male", Name: report.Text{"vi": "Nam", "en": "Men", "ja": "男性"}},
		{Key: "female", Name: report.Text{"vi": "Nữ", "en": "Women", "ja": "女性"}}}},
	"ethnic_group": {Key: "ethnic_group", Name: report.Text{"vi": "Dân tộc", "en": "Ethnic group", "ja": "民族"}, Categories: []report.Category{
		{Key: "kinh", Name: report.Text{"vi": "Kinh", "en": "Kinh", "ja": "キン族"}},
		{Key: "minority", Name: report.Text{"vi": "Dân tộc thiểu số", "en": "Ethnic minorities", "ja": "少数民族"}}}},
}

// disaggChoice names an indicator's disaggregation for the form.
func disaggChoice(dg *report.Disaggregation) string {
	if dg == nil {
		return ""
	}
	if p, ok := disaggPresets[dg.Key]; ok && sameCategories(p, *dg) {
		return dg.Key
	}
	return "custom"
}

func sameCategories(a, b report.Disaggregation) bool {
	if len(a.Categories) != len(b.Categories) {
		return false
	}
	for i := range a.Categories {
		if a.Categories[i].Key != b.Categories[i].Key {
			return false
		}
	}
	return true
}

type ruleRow struct{ Op, Right string }

type indicatorFormData struct {
	TemplateID   int64
	TemplateName string
	Version      int
	Orig         string // the code edited; "" for a new indicator
	Code         string
	NameVi       string
	NameEn       string
	NameJa       string
	Type         string
	Choices      string
	Unit         string
	Required     bool
	Min, Max     string
	Aggregation  string
	WeightCode   string
	Disagg       string
	HasCustom    bool // the indicator has a disaggregation the builder does not offer
	Rules        []ruleRow
	Others       []report.Indicator
	Errors       map[string]string
	Summary      []string
}

func fmtNum(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func (w *Web) indicatorForm(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok {
		return
	}
	d := indicatorFormData{TemplateID: t.ID, TemplateName: t.Name, Version: t.Version, Type: string(report.TypeInteger), Aggregation: string(report.AggSum), Min: "0"}
	title := "builder.indicator_new"
	if code := r.PathValue("code"); code != "" {
		in, ok := t.Definition.Indicator(code)
		if !ok {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		title = "builder.indicator_edit"
		d.Orig, d.Code, d.NameVi, d.NameEn, d.NameJa = in.Code, in.Code, in.Name["vi"], in.Name["en"], in.Name["ja"]
		d.Type, d.Choices, d.Unit, d.Required = string(in.Type), strings.Join(in.Choices, "\n"), in.Unit, in.Required
		d.Min, d.Max, d.Aggregation, d.WeightCode = fmtNum(in.Min), fmtNum(in.Max), string(in.Aggregation), in.WeightCode
		d.Disagg = disaggChoice(in.Disaggregation)
		d.HasCustom = d.Disagg == "custom"
		for _, ru := range t.Definition.Rules {
			if ru.Left == code {
				d.Rules = append(d.Rules, ruleRow{ru.Op, ru.Right})
			}
		}
	}
	d.Rules = append(d.Rules, ruleRow{})
	d.Others = others(t.Definition, d.Orig)
	w.render(rw, r, http.StatusOK, "reports_template_indicator", w.page(rw, r, title, d))
}

// others are the numeric indicators other than code (for weights and rules).
func others(def report.Definition, code string) []report.Indicator {
	var out []report.Indicator
	for _, in := range def.Indicators {
		if in.Code != code && in.Type.Numeric() {
			out = append(out, in)
		}
	}
	return out
}

// parseNum reads an optional number typed with a dot or a comma.
func parseNum(s string) (*float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return nil, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}

// indicatorField names the form field of a problem's path within an indicator.
func indicatorField(rest string) string {
	name, _, _ := strings.Cut(rest, ".")
	name, _, _ = strings.Cut(name, "[")
	switch name {
	case "code", "name", "type", "choices", "unit", "min", "max", "aggregation", "weight_code", "disaggregation":
		return name
	}
	return ""
}

func (w *Web) indicatorSave(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	l := server.LocaleFrom(r.Context())
	f := r.PostForm
	d := indicatorFormData{TemplateID: t.ID, TemplateName: t.Name, Version: formInt(f.Get("version")), Orig: r.PathValue("code"),
		Code: strings.TrimSpace(f.Get("code")), NameVi: f.Get("name_vi"), NameEn: f.Get("name_en"), NameJa: f.Get("name_ja"),
		Type: f.Get("type"), Choices: f.Get("choices"), Unit: strings.TrimSpace(f.Get("unit")), Required: f.Get("required") != "",
		Min: f.Get("min"), Max: f.Get("max"), Aggregation: f.Get("aggregation"), WeightCode: f.Get("weight_code"), Disagg: f.Get("disaggregation"),
		Errors: map[string]string{}}
	title := "builder.indicator_new"
	if d.Orig != "" {
		title = "builder.indicator_edit"
	}
	ops, rights := f["rule_op"], f["rule_right"]
	for i := range min(len(ops), len(rights)) {
		if ops[i] != "" || strings.TrimSpace(rights[i]) != "" {
			d.Rules = append(d.Rules, ruleRow{ops[i], strings.TrimSpace(rights[i])})
		}
	}
	d.Others = others(t.Definition, d.Orig)
	show := func(status int) {
		d.Rules = append(d.Rules, ruleRow{})
		w.render(rw, r, status, "reports_template_indicator", w.page(rw, r, title, d))
	}
	in := report.Indicator{Code: d.Code, Name: text(d.NameVi, d.NameEn, d.NameJa), Type: report.ValueType(d.Type), Unit: d.Unit,
		Required: d.Required, Aggregation: report.Aggregation(d.Aggregation)}
	if in.Aggregation == report.AggWavg {
		in.WeightCode = d.WeightCode
	}
	if in.Type == report.TypeChoice {
		for _, c := range strings.Split(d.Choices, "\n") {
			if c = strings.TrimSpace(c); c != "" {
				in.Choices = append(in.Choices, c)
			}
		}
	}
	var okMin, okMax bool
	in.Min, okMin = parseNum(d.Min)
	in.Max, okMax = parseNum(d.Max)
	if !okMin {
		d.Errors["min"] = l.T("builder.err.number")
	}
	if !okMax {
		d.Errors["max"] = l.T("builder.err.number")
	}
	if len(d.Errors) > 0 {
		show(http.StatusUnprocessableEntity)
		return
	}
	def := cloneDefinition(t.Definition)
	idx := len(def.Indicators)
	if d.Orig != "" {
		idx = slices.IndexFunc(def.Indicators, func(x report.Indicator) bool { return x.Code == d.Orig })
		if idx < 0 {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
	}
	switch d.Disagg {
	case "":
	case "custom":
		if d.Orig != "" {
			in.Disaggregation = def.Indicators[idx].Disaggregation
		}
	default:
		if p, ok := disaggPresets[d.Disagg]; ok {
			in.Disaggregation = &p
		} else {
			d.Errors["disaggregation"] = l.T(service.MsgBadChoice)
			show(http.StatusUnprocessableEntity)
			return
		}
	}
	if d.Orig == "" {
		def.Indicators = append(def.Indicators, in)
	} else {
		def.Indicators[idx] = in
	}
	// The indicator's rules: those of the form replace those it had; a
	// renamed indicator keeps the rules and weights that name it.
	var rules []report.CrossRule
	for _, ru := range def.Rules {
		if d.Orig != "" && ru.Left == d.Orig {
			continue
		}
		if d.Orig != "" && ru.Right == d.Orig {
			ru.Right = in.Code
		}
		rules = append(rules, ru)
	}
	mine := map[int]bool{}
	for _, ru := range d.Rules {
		mine[len(rules)] = true
		rules = append(rules, report.CrossRule{Left: in.Code, Op: ru.Op, Right: ru.Right})
	}
	def.Rules = rules
	if d.Orig != "" && d.Orig != in.Code {
		for i := range def.Indicators {
			if def.Indicators[i].WeightCode == d.Orig {
				def.Indicators[i].WeightCode = in.Code
			}
		}
	}
	err := w.saveDefinition(r, t, def)
	if inv, ok := service.AsInvalid(err); ok {
		e := sortErrors(l, inv, "indicators", idx, mine, indicatorField)
		d.Errors, d.Summary = e.Fields, e.Summary
		show(http.StatusUnprocessableEntity)
		return
	}
	if errors.Is(err, service.ErrConflict) {
		d.Summary = []string{l.T("builder.conflict")}
		show(http.StatusConflict)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	builderDone(rw, r, t.ID, "builder.saved", "indicators")
}

func (w *Web) indicatorMove(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	def := cloneDefinition(t.Definition)
	i := slices.IndexFunc(def.Indicators, func(x report.Indicator) bool { return x.Code == r.PathValue("code") })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if moveAt(def.Indicators, i, r.PostFormValue("dir")) {
		if err := w.saveDefinition(r, t, def); err != nil {
			w.templateRefused(rw, r, t.ID, err, "indicators")
			return
		}
	}
	builderDone(rw, r, t.ID, "builder.saved", "indicators")
}

func (w *Web) indicatorConfirm(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok {
		return
	}
	in, found := t.Definition.Indicator(r.PathValue("code"))
	if !found {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	l := server.LocaleFrom(r.Context())
	w.confirm(rw, r, l.T("builder.indicator_remove_q", in.Name.In(l.Lang()), in.Code),
		fmt.Sprintf("/reports/templates/%d/indicators/%s/delete", t.ID, in.Code), fmt.Sprintf("/reports/templates/%d/edit#indicators", t.ID), t.Version)
}

// indicatorDelete removes an indicator and the rules that name it (values
// already sent keep their rows).
func (w *Web) indicatorDelete(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.managedTemplate(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	code := r.PathValue("code")
	def := cloneDefinition(t.Definition)
	i := slices.IndexFunc(def.Indicators, func(x report.Indicator) bool { return x.Code == code })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	def.Indicators = slices.Delete(def.Indicators, i, i+1)
	def.Rules = slices.DeleteFunc(def.Rules, func(ru report.CrossRule) bool { return ru.Left == code || ru.Right == code })
	if err := w.saveDefinition(r, t, def); err != nil {
		w.templateRefused(rw, r, t.ID, err, "indicators")
		return
	}
	builderDone(rw, r, t.ID, "builder.removed", "indicators")
}

// ---------- preview ----------

type previewData struct {
	T        service.Template
	Sections []sectionView
	Rows     []indicatorView
}

// templatePreview shows the report form as a unit officer sees it, empty
// and read-only.
func (w *Web) templatePreview(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.loadTemplate(rw, r)
	if !ok {
		return
	}
	d := previewData{T: t}
	d.Sections, d.Rows = formRows(t.Definition, server.LocaleFrom(r.Context()).Lang(), nil, nil, nil)
	p := w.page(rw, r, "builder.preview", d)
	p.Title = p.L.T("builder.preview_of", t.Name)
	w.render(rw, r, http.StatusOK, "reports_template_preview", p)
}

// formRows lays out a report form: the narrative sections and the indicator
// rows with their categories, holding the given texts, values and field
// errors (any may be nil).
func formRows(def report.Definition, lang string, narrative map[string]string, vals report.Values, fe map[string]string) ([]sectionView, []indicatorView) {
	var secs []sectionView
	var rows []indicatorView
	for _, s := range def.Sections {
		secs = append(secs, sectionView{Key: s.Key, ID: "n-" + s.Key, Title: s.Title.In(lang), Text: narrative[s.Key]})
	}
	for _, in := range def.Indicators {
		name := in.Name.In(lang)
		iv := indicatorView{In: in, Name: name, Total: cellView{Key: in.Code, ID: "v-" + in.Code, Label: name, Value: vals[in.Code], Err: fe[in.Code]}}
		if dg := in.Disaggregation; dg != nil {
			for _, c := range dg.Categories {
				k := report.FieldKey(in.Code, c.Key)
				iv.Cats = append(iv.Cats, cellView{Key: k, ID: "v-" + in.Code + "-" + c.Key, Label: name + " — " + c.Name.In(lang), Value: vals[k], Err: fe[k]})
			}
		}
		rows = append(rows, iv)
	}
	return secs, rows
}

// ---------- schedules ----------

// scheduleInput reads the schedule form.
// A row left empty (no level, no days) is skipped; the first row counts
// always, so that an empty form says what is missing.
func scheduleInput(r *http.Request) (scheduleForm, service.ScheduleInput) {
	sf := scheduleForm{Kinds: r.PostForm["kinds"]}
	sf.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	in := service.ScheduleInput{UnitID: sf.UnitID, Kinds: sf.Kinds}
	for i := range maxFormLevels {
		sfx := ""
		if i > 0 {
			sfx = "_" + strconv.Itoa(i)
		}
		l := levelRow{Level: r.PostFormValue("level" + sfx), Days: r.PostFormValue("days_after_end" + sfx),
			WorkingDays: r.PostFormValue("working_days"+sfx) != "", Kinds: r.PostForm["level_kinds"+sfx]}
		if i > 0 && strings.TrimSpace(l.Level) == "" && strings.TrimSpace(l.Days) == "" {
			continue
		}
		sf.Levels = append(sf.Levels, l)
		in.Deadlines = append(in.Deadlines, report.LevelDeadline{Level: l.Level, DaysAfterEnd: formInt(l.Days), WorkingDays: l.WorkingDays, Kinds: l.Kinds})
	}
	return sf, in
}

// deadlineRE reads "deadlines[2].days_after_end" as (2, "days_after_end").
var deadlineRE = regexp.MustCompile(`^deadlines\[(\d+)\]\.([a-z_]+)`)

// scheduleErrors puts the messages of a refused schedule beside its fields:
// "unit_id", "kinds", "level", "days_after_end", "level_kinds" with the
// row's suffix, and "deadlines" for the levels as a whole.
func scheduleErrors(l i18n.Locale, inv *service.InvalidError, rows []levelRow) map[string]string {
	out := map[string]string{}
	for k, m := range FieldMessages(l, inv) {
		name := "deadlines"
		switch mm := deadlineRE.FindStringSubmatch(k); {
		case mm != nil:
			i, _ := strconv.Atoi(mm[1])
			field := mm[2]
			if field == "kinds" {
				field = "level_kinds"
			}
			if i < len(rows) {
				name = field + rows[i].Suffix
			}
		case strings.HasPrefix(k, "kinds"):
			name = "kinds"
		case k == "unit_id":
			name = "unit_id"
		}
		if _, dup := out[name]; !dup {
			out[name] = m
		}
	}
	return out
}

// scheduleCreate says who reports on a template, from the template page.
func (w *Web) scheduleCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) || !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	sf, in := scheduleInput(r)
	_, err := w.d.Svc.Reports.CreateSchedule(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if inv, ok := service.AsInvalid(err); ok {
		f, ferr := w.templateFormOf(r, id)
		if ferr != nil {
			w.fail(rw, r, ferr)
			return
		}
		sf.withBlank()
		sf.Errors = scheduleErrors(server.LocaleFrom(r.Context()), inv, sf.Levels)
		f.Schedule = sf
		w.render(rw, r, http.StatusUnprocessableEntity, "reports_template_form", w.page(rw, r, "reports.template_edit", f))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/templates/%d/edit?flash=builder.schedule_saved#schedules", id), http.StatusSeeOther)
}

type scheduleFormData struct {
	TemplateID   int64
	TemplateName string
	S            scheduleForm
	Units        []ownUnit
	Kinds        []string
}

// loadSchedule reads the path's template and schedule.
func (w *Web) loadSchedule(rw http.ResponseWriter, r *http.Request) (service.Template, service.Schedule, bool) {
	t, ok := w.managedTemplate(rw, r)
	if !ok {
		return t, service.Schedule{}, false
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil {
		w.errorPage(rw, r, http.StatusNotFound)
		return t, service.Schedule{}, false
	}
	sc, err := w.d.Svc.Reports.ScheduleOf(r.Context(), server.PrincipalFrom(r.Context()), t.ID, sid)
	if err != nil {
		w.fail(rw, r, err)
		return t, sc, false
	}
	return t, sc, true
}

func (w *Web) scheduleEdit(rw http.ResponseWriter, r *http.Request) {
	t, sc, ok := w.loadSchedule(rw, r)
	if !ok {
		return
	}
	sf := scheduleForm{ID: sc.ID, UnitID: sc.UnitID, Kinds: sc.Kinds}
	for _, l := range sc.Deadlines {
		sf.Levels = append(sf.Levels, levelRow{Level: l.Level, Days: strconv.Itoa(l.DaysAfterEnd), WorkingDays: l.WorkingDays, Kinds: l.Kinds})
	}
	sf.withBlank()
	w.render(rw, r, http.StatusOK, "reports_template_schedule", w.page(rw, r, "builder.schedule_edit",
		scheduleFormData{t.ID, t.Name, sf, w.scheduleUnits(r, t.OwnerUnitID), kindNames()}))
}

func (w *Web) scheduleUpdate(rw http.ResponseWriter, r *http.Request) {
	t, sc, ok := w.loadSchedule(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	sf, in := scheduleInput(r)
	sf.ID = sc.ID
	_, err := w.d.Svc.Reports.UpdateSchedule(r.Context(), server.PrincipalFrom(r.Context()), t.ID, sc.ID, in)
	if inv, ok := service.AsInvalid(err); ok {
		sf.withBlank()
		sf.Errors = scheduleErrors(server.LocaleFrom(r.Context()), inv, sf.Levels)
		w.render(rw, r, http.StatusUnprocessableEntity, "reports_template_schedule", w.page(rw, r, "builder.schedule_edit",
			scheduleFormData{t.ID, t.Name, sf, w.scheduleUnits(r, t.OwnerUnitID), kindNames()}))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	builderDone(rw, r, t.ID, "builder.schedule_saved", "schedules")
}

func (w *Web) scheduleConfirm(rw http.ResponseWriter, r *http.Request) {
	t, sc, ok := w.loadSchedule(rw, r)
	if !ok {
		return
	}
	l := server.LocaleFrom(r.Context())
	name := ""
	if u, ok := w.d.Svc.Reports.Unit(sc.UnitID); ok {
		name = u.Name
	}
	w.confirm(rw, r, l.T("builder.schedule_remove_q", name),
		fmt.Sprintf("/reports/templates/%d/schedules/%d/delete", t.ID, sc.ID), fmt.Sprintf("/reports/templates/%d/edit#schedules", t.ID), 0)
}

func (w *Web) scheduleDelete(rw http.ResponseWriter, r *http.Request) {
	t, sc, ok := w.loadSchedule(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	if err := w.d.Svc.Reports.RemoveSchedule(r.Context(), server.PrincipalFrom(r.Context()), t.ID, sc.ID); err != nil {
		w.fail(rw, r, err)
		return
	}
	builderDone(rw, r, t.ID, "builder.schedule_removed", "schedules")
}
