package web

// The case handlers' pages:
//
//	GET  /cases                          the cases the signed-in person may read, with filters
//	GET  /cases/record                   record a case received in person, by phone or by post
//	POST /cases/record                   record it; then the tracking code and secret link to hand over
//	GET  /cases/{id}                     one case: summary, deadlines, history, step forms
//	POST /cases/{id}/identity            show who submitted it (an audited read)
//	GET  /cases/{id}/confirm/{step}      confirm refusing or closing a case
//	/cases/{id}/files, /cases/{id}/merge its files and possible duplicates (casework_files.go)
//	POST /cases/{id}/{step}              run a handling step (classify, accept, refuse, transfer,
//	                                     extend, suspend, resolve, close)
//
// Every rule (who may read, handle or see the identity, which step is
// allowed when, the deadlines) is service.Cases; these handlers read forms
// and render.

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func caseworkFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// caseDays hands a deadline and the page to the casework-days block.
	funcs["caseDays"] = func(p Page, d any) caseDaysCtx {
		switch x := d.(type) {
		case caseDue:
			return caseDaysCtx{P: p, D: x}
		case *caseDue:
			return caseDaysCtx{P: p, D: *x}
		}
		return caseDaysCtx{P: p}
	}
	// caseNotes hands a step's note fields, and the page's form, to the
	// casework-notes block.
	funcs["caseNotes"] = func(p Page, step string, required bool) caseNotesCtx {
		out := caseNotesCtx{P: p, Step: step, Required: required}
		switch d := p.Data.(type) {
		case caseDetailData:
			out.Form = d.Form
		case caseConfirmData:
			out.Form = d.Form
		}
		return out
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /cases", w.caseList)
		mux.HandleFunc("GET /cases/record", w.caseRecordForm)
		mux.HandleFunc("POST /cases/record", w.caseRecord)
		mux.HandleFunc("GET /cases/{id}", w.caseDetail)
		mux.HandleFunc("POST /cases/{id}/identity", w.caseIdentity)
		mux.HandleFunc("GET /cases/{id}/confirm/{step}", w.caseConfirm)
		mux.HandleFunc("POST /cases/{id}/{step}", w.caseStep)
		mux.HandleFunc("POST /cases/{id}/files", w.caseAttach)
		mux.HandleFunc("GET /cases/{id}/merge/{into}", w.caseMergeConfirm)
		mux.HandleFunc("POST /cases/{id}/merge", w.caseMerge)
	}
}

// casePageSize is the number of cases a list page shows.
const casePageSize = 50

// caseDue is a deadline as shown: the date, the days left or late, met.
type caseDue struct {
	Name     string
	Due      string
	DaysLeft int
	DaysLate int
	Met      bool
	Late     bool
}

func newCaseDue(d service.CaseDeadline) caseDue {
	out := caseDue{Name: d.Name, Due: d.Due, Met: d.Met}
	if !d.Met {
		if d.DaysLeft < 0 {
			out.Late, out.DaysLate = true, -d.DaysLeft
		} else {
			out.DaysLeft = d.DaysLeft
		}
	}
	return out
}

type caseDaysCtx struct {
	P Page
	D caseDue
}

type caseNotesCtx struct {
	P        Page
	Step     string
	Form     caseStepForm
	Required bool
}

// caseRow is one line of the list.
type caseRow struct {
	service.Case
	UnitName     string
	CategoryName string
	Due          *caseDue
}

// caseFilterForm is the list's filter as typed.
type caseFilterForm struct {
	Unit, Kind, Status, From, To, Q string
	Overdue                         bool
}

type caseListData struct {
	Rows  []caseRow
	Total int
	// More: a search by words matched more than Total cases (the count
	// stops at service.CaseSearchCountCap).
	More      bool
	Filter    caseFilterForm
	Units     []org.Unit
	Kinds     []string
	Statuses  []string
	Errors    map[string]string
	Page      int
	Pages     int
	Prev      string
	Next      string
	CanRecord bool
}

// caseNames resolves unit and category names for the pages.
type caseNames struct {
	units map[int64]string
	cats  map[string]string
}

func (w *Web) caseNames(r *http.Request) caseNames {
	n := caseNames{units: map[int64]string{}, cats: map[string]string{}}
	for _, u := range w.d.Svc.Cases.TransferUnits() {
		n.units[u.ID] = u.Name
	}
	lang := server.LocaleFrom(r.Context()).Lang()
	cats, _ := w.d.Svc.Cases.Categories(r.Context())
	for _, c := range cats {
		name := c.NameVi
		if lang == "en" && c.NameEn != "" {
			name = c.NameEn
		} else if lang == "ja" && c.NameJa != "" {
			name = c.NameJa
		}
		n.cats[c.Code] = name
	}
	return n
}

func (n caseNames) unit(id int64) string {
	if s, ok := n.units[id]; ok {
		return s
	}
	if id == 0 {
		return ""
	}
	return "#" + strconv.FormatInt(id, 10)
}

func (n caseNames) category(code string) string {
	if s, ok := n.cats[code]; ok {
		return s
	}
	return code
}

func (w *Web) caseList(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	q := r.URL.Query()
	f := caseFilterForm{Unit: q.Get("unit"), Kind: q.Get("kind"), Status: q.Get("status"), From: q.Get("from"), To: q.Get("to"),
		Q: service.Truncate(q.Get("q"), 200), Overdue: q.Get("overdue") != ""}
	sf := service.CaseListFilter{Kind: f.Kind, Status: f.Status, Overdue: f.Overdue, Text: strings.TrimSpace(f.Q), From: f.From, To: f.To}
	if f.Unit != "" {
		// Not a number: an id no unit has, which the service refuses.
		id, err := strconv.ParseInt(f.Unit, 10, 64)
		if err != nil || id <= 0 {
			id = -1
		}
		sf.Unit = id
	}
	d := caseListData{Filter: f, Units: w.d.Svc.Cases.CaseUnits(p, authz.ActionCaseRead), Kinds: service.CaseKinds, Statuses: service.CaseStatuses,
		CanRecord: len(w.d.Svc.Cases.CaseUnits(p, authz.ActionCaseHandle)) > 0}
	page := intParam(r, "page", 1)
	sf.Limit, sf.Offset = casePageSize, (page-1)*casePageSize
	cases, total, err := w.d.Svc.Cases.List(r.Context(), p, sf)
	if inv, ok := service.AsInvalid(err); ok {
		d.Errors = FieldMessages(server.LocaleFrom(r.Context()), inv)
		w.render(rw, r, http.StatusUnprocessableEntity, "casework_list", w.page(rw, r, "casework.list.title", d))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	names, today := w.caseNames(r), w.d.Svc.Today()
	for _, c := range cases {
		row := caseRow{Case: c, UnitName: names.unit(c.UnitID), CategoryName: names.category(c.Category)}
		if dl, ok := service.CurrentDeadline(c, today); ok {
			due := newCaseDue(dl)
			row.Due = &due
		}
		d.Rows = append(d.Rows, row)
	}
	d.Total, d.Page = total, page
	if total > service.CaseSearchCountCap {
		d.Total, d.More = service.CaseSearchCountCap, true
	}
	d.Pages = max(1, (total+casePageSize-1)/casePageSize)
	link := func(n int) string {
		q := r.URL.Query()
		q.Del("flash")
		q.Set("page", strconv.Itoa(n))
		return "/cases?" + q.Encode()
	}
	if page > 1 {
		d.Prev = link(min(page-1, d.Pages))
	}
	if page < d.Pages {
		d.Next = link(page + 1)
	}
	w.render(rw, r, http.StatusOK, "casework_list", w.page(rw, r, "casework.list.title", d))
}

// caseStepForm is a step form as typed, and the messages of its fields.
type caseStepForm struct {
	Step   string
	Values map[string]string
	Errors map[string]string
}

type caseDetailData struct {
	C             service.CaseView
	UnitName      string
	PlaceName     string
	CategoryName  string
	ParentCode    string
	Deadlines     []caseDue
	Events        []caseEventRow
	Steps         []string
	TransferUnits []org.Unit
	Identity      *service.CaseIdentity
	Form          caseStepForm
	// Stale: the case changed since the handler loaded it.
	Stale bool
	// Files, and the bounds told beside the upload form.
	Files                []caseFileRow
	MaxFiles, MaxFileMiB int
	// Duplicates: for those who may handle the case; Mergeable: the case
	// may be merged into one of them.
	Duplicates []caseDupRow
	Mergeable  bool
	// Classify: the classification form, when that step is allowed.
	Classify *caseClassifyForm
}

type caseEventRow struct {
	service.CaseEvent
	FromName, ToName string
}

// caseID is the {id} of the path.
func caseID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func (w *Web) caseDetail(rw http.ResponseWriter, r *http.Request) {
	w.renderCaseDetail(rw, r, http.StatusOK, caseStepForm{}, nil, false)
}

func (w *Web) renderCaseDetail(rw http.ResponseWriter, r *http.Request, status int, f caseStepForm, ident *service.CaseIdentity, stale bool) {
	id, ok := caseID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	cv, err := w.d.Svc.Cases.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	names := w.caseNames(r)
	d := caseDetailData{C: cv, UnitName: names.unit(cv.UnitID), PlaceName: names.unit(cv.PlaceUnitID), CategoryName: names.category(cv.Category),
		Identity: ident, Form: f, Stale: stale}
	if cv.ParentCaseID != 0 {
		if parent, err := w.d.Svc.Cases.Get(r.Context(), p, cv.ParentCaseID); err == nil {
			d.ParentCode = parent.TrackingCode
		}
	}
	for _, dl := range cv.Deadlines {
		d.Deadlines = append(d.Deadlines, newCaseDue(dl))
	}
	for _, e := range cv.Events {
		d.Events = append(d.Events, caseEventRow{CaseEvent: e, FromName: names.unit(e.FromUnitID), ToName: names.unit(e.ToUnitID)})
	}
	if cv.CanHandle {
		d.Steps = service.StepsFrom(cv.Status)
		if slices.Contains(d.Steps, service.StepTransfer) {
			for _, u := range w.d.Svc.Cases.TransferUnits() {
				if u.ID != cv.UnitID {
					d.TransferUnits = append(d.TransferUnits, u)
				}
			}
		}
	}
	if slices.Contains(d.Steps, service.StepClassify) {
		if d.Classify, err = w.caseClassifyForm(r, names, d); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if err := w.caseFilesAndDuplicates(r, p, cv, &d); err != nil {
		w.fail(rw, r, err)
		return
	}
	if status == http.StatusOK && ident == nil {
		rw.Header().Set("Referrer-Policy", "same-origin")
	}
	w.render(rw, r, status, "casework_case", w.page(rw, r, "casework.case.title", d))
}

// caseIdentity shows the submitter's identity: the read is audit-logged
// by the service, hence a POST.
func (w *Web) caseIdentity(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := caseID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	ident, err := w.d.Svc.Cases.Identity(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if ident == nil {
		ident = &service.CaseIdentity{}
	}
	rw.Header().Set("Referrer-Policy", "no-referrer")
	w.renderCaseDetail(rw, r, http.StatusOK, caseStepForm{}, ident, false)
}

type caseConfirmData struct {
	C       service.CaseView
	Step    string
	Version string
	Form    caseStepForm
}

// caseConfirm is the confirmation page of refusing or closing a case,
// which also carries the reason.
func (w *Web) caseConfirm(rw http.ResponseWriter, r *http.Request) {
	w.renderCaseConfirm(rw, r, http.StatusOK, caseStepForm{Step: r.PathValue("step"), Values: map[string]string{"version": r.URL.Query().Get("version")}})
}

func (w *Web) renderCaseConfirm(rw http.ResponseWriter, r *http.Request, status int, f caseStepForm) {
	id, ok := caseID(r)
	if !ok || (f.Step != service.StepRefuse && f.Step != service.StepClose) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	cv, err := w.d.Svc.Cases.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !cv.CanHandle {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	version := f.Values["version"]
	if version == "" {
		version = strconv.Itoa(cv.Version)
	}
	w.render(rw, r, status, "casework_confirm", w.page(rw, r, "casework.confirm."+f.Step, caseConfirmData{C: cv, Step: f.Step, Version: version, Form: f}))
}

// caseStep runs one handling step and redirects back to the case with a
// banner; invalid input shows the form again with its messages, a stale
// version the case as it now is.
func (w *Web) caseStep(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := caseID(r)
	step := r.PathValue("step")
	if !ok || !slices.Contains(service.CaseSteps, step) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f := caseStepForm{Step: step, Values: map[string]string{}}
	for k, v := range r.PostForm {
		if k != "csrf" && len(v) > 0 {
			f.Values[k] = v[0]
		}
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	in := service.CaseStep{Version: version, PublicNote: r.PostFormValue("public_note"), InternalNote: r.PostFormValue("internal_note"),
		ToUnitID: formID(r, "to_unit_id"), Until: r.PostFormValue("until"),
		Kind: r.PostFormValue("kind"), Category: r.PostFormValue("category"), ParentCode: r.PostFormValue("parent_code")}
	if raw := strings.TrimSpace(r.PostFormValue("to_unit_id")); raw != "" && in.ToUnitID <= 0 {
		in.ToUnitID = -1 // not a number: a unit no one has, refused as a bad choice
	}
	_, err := w.d.Svc.Cases.Step(r.Context(), server.PrincipalFrom(r.Context()), id, step, in)
	if inv, ok := service.AsInvalid(err); ok {
		f.Errors = FieldMessages(server.LocaleFrom(r.Context()), inv)
		if step == service.StepRefuse || step == service.StepClose {
			w.renderCaseConfirm(rw, r, http.StatusUnprocessableEntity, f)
			return
		}
		w.renderCaseDetail(rw, r, http.StatusUnprocessableEntity, f, nil, false)
		return
	}
	if errors.Is(err, service.ErrConflict) {
		w.renderCaseDetail(rw, r, http.StatusConflict, caseStepForm{}, nil, true)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/cases/"+strconv.FormatInt(id, 10)+"?flash=casework.done."+step, http.StatusSeeOther)
}

// caseRecordForm is the record form as typed.
type caseRecordFormData struct {
	caseForm
	Channel, Unit string
}

type caseRecordData struct {
	Form       caseRecordFormData
	Kinds      []string
	Channels   []string
	Categories []service.CaseCategory
	Units      []org.Unit
	Places     []org.Unit
	Errors     map[string]string
	Summary    []caseFieldError
	Done       *service.Submitted
}

// caseRecordChannels are the channels a handler records a case from.
var caseRecordChannels = []string{service.ChannelReception, service.ChannelPhone, service.ChannelPost, service.ChannelTransfer}

// caseRecordFields are the record form's fields in order.
var caseRecordFields = append([]string{"channel", "unit_id"}, caseFields...)

func (w *Web) caseRecordForm(rw http.ResponseWriter, r *http.Request) {
	w.renderCaseRecord(rw, r, http.StatusOK, caseRecordFormData{caseForm: caseForm{Kind: service.CaseFeedback}, Channel: service.ChannelReception}, nil, nil)
}

func (w *Web) renderCaseRecord(rw http.ResponseWriter, r *http.Request, status int, f caseRecordFormData, errs map[string]string, done *service.Submitted) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	units := w.d.Svc.Cases.CaseUnits(p, authz.ActionCaseHandle)
	if len(units) == 0 {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	cats, err := w.d.Svc.Cases.Categories(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var places []org.Unit
	for _, u := range w.d.Svc.Cases.TransferUnits() {
		if u.Kind == org.KindCommune || u.Kind == org.KindWard || u.Kind == org.KindSpecialZone {
			places = append(places, u)
		}
	}
	slices.SortFunc(places, func(a, b org.Unit) int { return strings.Compare(a.Name, b.Name) })
	d := caseRecordData{Form: f, Kinds: service.CaseKinds, Channels: caseRecordChannels, Categories: cats, Units: units, Places: places, Errors: errs, Done: done}
	for _, field := range caseRecordFields {
		if m, ok := errs[field]; ok {
			d.Summary = append(d.Summary, caseFieldError{ID: caseFieldID(field), Msg: m})
		}
	}
	for field, m := range errs {
		if !slices.Contains(caseRecordFields, field) {
			d.Summary = append(d.Summary, caseFieldError{ID: "case-title", Msg: m})
		}
	}
	if done != nil {
		// The secret link is on this page: it must not leak in a Referer.
		rw.Header().Set("Referrer-Policy", "no-referrer")
	}
	w.render(rw, r, status, "casework_record", w.page(rw, r, "casework.record.title", d))
}

func (w *Web) caseRecord(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	v := r.PostFormValue
	f := caseRecordFormData{caseForm: caseForm{Kind: v("kind"), Category: v("category"), Place: v("place_unit_id"), Title: v("title"), Description: v("description"),
		Name: v("name"), Phone: v("phone"), Email: v("email"), Address: v("address"), IDNumber: v("id_number"), ParentCode: v("parent_code"),
		Anonymous: v("anonymous") != ""}, Channel: v("channel"), Unit: v("unit_id")}
	in := service.CaseInput{Kind: f.Kind, Category: f.Category, Channel: f.Channel, Title: f.Title, Description: f.Description,
		Anonymous: f.Anonymous, ParentCode: f.ParentCode,
		Identity: &service.CaseIdentity{Name: f.Name, Phone: f.Phone, Email: f.Email, Address: f.Address, IDNumber: f.IDNumber}}
	if !slices.Contains(caseRecordChannels, f.Channel) {
		// The public channels are the public form's; here they are a bad choice.
		in.Channel = "-"
	}
	parseUnit := func(s string) int64 {
		if s == "" {
			return 0
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return -1
		}
		return id
	}
	in.PlaceUnitID, in.UnitID = parseUnit(f.Place), parseUnit(f.Unit)
	sub, err := w.d.Svc.Cases.Submit(r.Context(), server.PrincipalFrom(r.Context()), in)
	if inv, ok := service.AsInvalid(err); ok {
		w.renderCaseRecord(rw, r, http.StatusUnprocessableEntity, f, FieldMessages(server.LocaleFrom(r.Context()), inv), nil)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !strings.HasPrefix(sub.SecretLink, "http") {
		// No base URL configured: the address this page was asked at, so
		// that the link handed to the citizen is whole.
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		sub.SecretLink = scheme + "://" + r.Host + "/cases/track/" + url.PathEscape(sub.TrackingCode) + "?secret=" + url.QueryEscape(sub.Secret)
	}
	w.renderCaseRecord(rw, r, http.StatusOK, caseRecordFormData{caseForm: caseForm{Kind: service.CaseFeedback}, Channel: f.Channel, Unit: f.Unit}, nil, &sub)
}
