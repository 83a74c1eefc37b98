package web

// The public pages of citizen cases:
//
//	GET  /cases/new                         the form to submit a case
//	POST /cases/new                         submit, with photos and documents (multipart); then
//	                                        the author's own page (the secret link)
//	GET  /cases/track                       the form to type a tracking code (?code= looks it up)
//	GET /cases/track/{code}[?secret=]      the public view; with the secret of the author's
//	                                       link, their own text and contact too, and the
//	                                       rating form once the case is resolved
//	POST /cases/track/{code}/rating         rate the handling (the secret in the form)
//
// The rules (what is public, the secret, the rate limits) are service.Cases.

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/org"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func casesFeature(template.FuncMap) func(w *Web, mux *http.ServeMux) {
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /cases/new", w.caseNew)
		mux.HandleFunc("POST /cases/new", w.caseSubmit)
		mux.HandleFunc("GET /cases/track", w.caseTrackForm)
		mux.HandleFunc("GET /cases/track/{code}", w.caseTrack)
		mux.HandleFunc("POST /cases/track/{code}/rating", w.caseRate)
	}
}

type caseTrackData struct {
	Code     string
	Secret   string
	NotFound bool
	Ratings  []int
	Errors   map[string]string
	Case     *service.PublicCase
	Own      *service.OwnCase
}

// caseCaller is the request's principal, or an anonymous one carrying the
// client address the service's rate limits count.
func caseCaller(r *http.Request) *service.Principal {
	if p := server.PrincipalFrom(r.Context()); p != nil {
		return p
	}
	return &service.Principal{IP: server.ClientIP(r)}
}

func (w *Web) caseTrackForm(rw http.ResponseWriter, r *http.Request) {
	typed := r.URL.Query().Get("code")
	if typed == "" {
		w.render(rw, r, http.StatusOK, "cases_track", w.page(rw, r, "cases.track.title", caseTrackData{}))
		return
	}
	if code, ok := service.NormalizeTrackingCode(typed); ok {
		http.Redirect(rw, r, "/cases/track/"+url.PathEscape(code), http.StatusSeeOther)
		return
	}
	d := caseTrackData{Code: service.Truncate(typed, 40), NotFound: true}
	w.render(rw, r, http.StatusNotFound, "cases_track", w.page(rw, r, "cases.track.title", d))
}

func (w *Web) caseTrack(rw http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	d := caseTrackData{Code: service.Truncate(code, 40)}
	var err error
	if secret := r.URL.Query().Get("secret"); secret != "" {
		var own service.OwnCase
		own, err = w.d.Svc.Cases.Verify(r.Context(), caseCaller(r), code, secret)
		if err == nil {
			d.Own, d.Case, d.Secret, d.Ratings = &own, &own.PublicCase, secret, []int{5, 4, 3, 2, 1}
		}
	} else {
		var pub service.PublicCase
		pub, err = w.d.Svc.Cases.Track(r.Context(), code)
		if err == nil {
			d.Case = &pub
		}
	}
	if errors.Is(err, service.ErrNotFound) {
		d.NotFound = true
		w.render(rw, r, http.StatusNotFound, "cases_track", w.page(rw, r, "cases.track.title", d))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The secret must not travel further in a Referer header.
	rw.Header().Set("Referrer-Policy", "no-referrer")
	w.render(rw, r, http.StatusOK, "cases_track", w.page(rw, r, "cases.track.title", d))
}

// caseForm is the submission form as typed.
type caseForm struct {
	Kind, Category, Place, Title, Description         string
	Name, Phone, Email, Address, IDNumber, ParentCode string
	Anonymous                                         bool
	// HadFiles: files were sent, which the browser does not send again.
	HadFiles bool
}

type caseNewData struct {
	Form       caseForm
	Kinds      []string
	Categories []service.CaseCategory
	Places     []org.Unit
	Errors     map[string]string
	// Summary lists the errors in form order: field id and message.
	Summary []caseFieldError
	// MaxFiles and MaxFileMiB are the bounds of the files, for the hint.
	MaxFiles, MaxFileMiB int
	// Similar open cases, when the citizen asked before sending
	// (casesearch.go); SimilarNeeds: the category or place is missing.
	SimilarChecked, SimilarNeeds bool
	Similar                      []service.SimilarCase
}

type caseFieldError struct{ ID, Msg string }

// caseFields are the form's fields in order, by the service's field name.
var caseFields = []string{"kind", "category", "place_unit_id", "title", "description", "files", "anonymous",
	"identity.name", "identity.phone", "identity.email", "identity.address", "identity.id_number", "parent_code"}

// caseFieldID is the HTML id of a field.
func caseFieldID(field string) string {
	return "case-" + strings.NewReplacer(".", "-", "_", "-").Replace(field)
}

func (w *Web) caseNew(rw http.ResponseWriter, r *http.Request) {
	w.renderCaseNew(rw, r, http.StatusOK, caseForm{Kind: service.CaseFeedback}, nil)
}

func (w *Web) renderCaseNew(rw http.ResponseWriter, r *http.Request, status int, f caseForm, errs map[string]string, similar ...func(*caseNewData)) {
	cats, err := w.d.Svc.Cases.Categories(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var places []org.Unit
	for _, u := range w.d.Svc.Tree.At(w.d.Svc.Today()) {
		if u.Kind == org.KindCommune || u.Kind == org.KindWard || u.Kind == org.KindSpecialZone {
			places = append(places, u)
		}
	}
	slices.SortFunc(places, func(a, b org.Unit) int { return strings.Compare(a.Name, b.Name) })
	d := caseNewData{Form: f, Kinds: service.CaseKinds, Categories: cats, Places: places, Errors: errs,
		MaxFiles: service.MaxCaseFiles, MaxFileMiB: service.MaxCaseFileSize >> 20}
	for _, fn := range similar {
		fn(&d)
	}
	for _, field := range caseFields {
		if m, ok := errs[field]; ok {
			d.Summary = append(d.Summary, caseFieldError{ID: caseFieldID(field), Msg: m})
		}
	}
	for field, m := range errs {
		if !slices.Contains(caseFields, field) {
			d.Summary = append(d.Summary, caseFieldError{ID: "case-title", Msg: m})
		}
	}
	w.render(rw, r, status, "cases_new", w.page(rw, r, "cases.new.title", d))
}

func (w *Web) caseSubmit(rw http.ResponseWriter, r *http.Request) {
	files, ok := w.caseUpload(rw, r)
	if !ok {
		return
	}
	v := r.PostFormValue
	f := caseForm{Kind: v("kind"), Category: v("category"), Place: v("place_unit_id"), Title: v("title"), Description: v("description"),
		Name: v("name"), Phone: v("phone"), Email: v("email"), Address: v("address"), IDNumber: v("id_number"), ParentCode: v("parent_code"),
		Anonymous: v("anonymous") != ""}
	in := service.CaseInput{Kind: f.Kind, Category: f.Category, Channel: service.ChannelWeb, Title: f.Title, Description: f.Description,
		Anonymous: f.Anonymous, ParentCode: f.ParentCode,
		Identity: &service.CaseIdentity{Name: f.Name, Phone: f.Phone, Email: f.Email, Address: f.Address, IDNumber: f.IDNumber},
		Files:    files}
	f.HadFiles = len(files) > 0
	if f.Place != "" {
		// Not a number: an id no unit has, which the service refuses as a bad choice.
		id, err := strconv.ParseInt(f.Place, 10, 64)
		if err != nil || id == 0 {
			id = -1
		}
		in.PlaceUnitID = id
	}
	if v("check_similar") != "" {
		w.caseSimilar(rw, r, f, in)
		return
	}
	sub, err := w.d.Svc.Cases.Submit(r.Context(), caseCaller(r), in)
	if inv, ok := service.AsInvalid(err); ok {
		w.renderCaseNew(rw, r, http.StatusUnprocessableEntity, f, FieldMessages(server.LocaleFrom(r.Context()), inv))
		return
	}
	if errors.Is(err, service.ErrTooMany) {
		rw.Header().Set("Retry-After", strconv.Itoa(int(service.CaseRetryAfter.Seconds())))
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The author's own page is the secret link: shown now, to be kept.
	http.Redirect(rw, r, "/cases/track/"+url.PathEscape(sub.TrackingCode)+"?secret="+url.QueryEscape(sub.Secret)+"&flash=cases.new.done", http.StatusSeeOther)
}

// caseRate records the author's rating, then shows their page again.
func (w *Web) caseRate(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	code, secret := r.PathValue("code"), r.PostFormValue("secret")
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	err := w.d.Svc.Cases.Rate(r.Context(), caseCaller(r), code, secret, rating, r.PostFormValue("comment"))
	if inv, ok := service.AsInvalid(err); ok {
		own, verr := w.d.Svc.Cases.Verify(r.Context(), caseCaller(r), code, secret)
		if verr != nil {
			w.fail(rw, r, verr)
			return
		}
		d := caseTrackData{Code: own.TrackingCode, Own: &own, Case: &own.PublicCase, Secret: secret, Ratings: []int{5, 4, 3, 2, 1},
			Errors: FieldMessages(server.LocaleFrom(r.Context()), inv)}
		rw.Header().Set("Referrer-Policy", "no-referrer")
		w.render(rw, r, http.StatusUnprocessableEntity, "cases_track", w.page(rw, r, "cases.track.title", d))
		return
	}
	if errors.Is(err, service.ErrTooMany) {
		rw.Header().Set("Retry-After", strconv.Itoa(int(service.CaseRetryAfter.Seconds())))
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/cases/track/"+url.PathEscape(code)+"?secret="+url.QueryEscape(secret)+"&flash=cases.rate.done", http.StatusSeeOther)
}
