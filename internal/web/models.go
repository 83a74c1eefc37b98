package web

// "Dân vận khéo" models and examples:
//
//	GET  /models                          the models p may read (?status=&field=&page=)
//	GET  /models/new                      register a model; POST /models creates it
//	GET  /models/{id}                     a model: figures, evidence, evaluators, scores,
//	                                      recognition, replications, and the forms of each step
//	GET  /models/{id}/edit                edit a draft; POST /models/{id} saves it
//	POST /models/{id}/submit|evaluators|evaluate|recognise|replications|files  the steps
//	GET  /models/{id}/files/{fid}         download a document (or picture) of a model
//	GET  /models/{id}/files/{fid}/delete  confirm removing a file; POST removes it
//	GET  /models/criteria                 the criteria of a year and field; POST replaces them
//	GET  /dan-van-kheo                    the public gallery (?field=&level=&year=&commune=&page=)
//	GET  /dan-van-kheo/{id}               a recognised model's public page
//	GET  /dan-van-kheo/anh/{fid}/{hash}/{size}  a picture (size 1600 or 480), cached for a year
//
// The rules live in service.Models; these handlers read forms and render.

import (
	"errors"
	"html/template"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// GalleryPath is the public gallery's address.
const GalleryPath = "/dan-van-kheo"

// modelResultRows is how many figure rows the form offers.
const modelResultRows = 6

func modelsFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// modelPhoto is the address of a picture of a model, size "1600" or "480";
	// the content's digest in it lets the picture be cached for good.
	funcs["modelPhoto"] = modelPhotoURL
	// modelTenths shows a score kept in tenths ("85,5").
	funcs["modelTenths"] = func(l interface{ Lang() string }, n int) string {
		s := strconv.Itoa(n/10) + "," + strconv.Itoa(n%10)
		if l.Lang() != "vi" {
			s = strings.Replace(s, ",", ".", 1)
		}
		return s
	}
	// modelNumber shows a figure without a needless fraction.
	funcs["modelNumber"] = modelNumber
	// modelsOpts is the argument of the "models_fields_opts" block.
	funcs["modelsOpts"] = func(p Page, list []string, sel string) map[string]any {
		return map[string]any{"P": p, "List": list, "Sel": sel}
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /models", w.modelsList)
		mux.HandleFunc("GET /models/new", w.modelNew)
		mux.HandleFunc("POST /models", w.modelCreate)
		mux.HandleFunc("GET /models/criteria", w.modelCriteria)
		mux.HandleFunc("POST /models/criteria", w.modelCriteriaSave)
		mux.HandleFunc("GET /models/{id}", w.modelPage)
		mux.HandleFunc("GET /models/{id}/edit", w.modelEdit)
		mux.HandleFunc("POST /models/{id}", w.modelUpdate)
		mux.HandleFunc("POST /models/{id}/submit", w.modelSubmit)
		mux.HandleFunc("POST /models/{id}/evaluators", w.modelAssign)
		mux.HandleFunc("POST /models/{id}/evaluate", w.modelEvaluate)
		mux.HandleFunc("POST /models/{id}/recognise", w.modelRecognise)
		mux.HandleFunc("POST /models/{id}/replications", w.modelReplicate)
		mux.HandleFunc("POST /models/{id}/files", w.modelAttach)
		mux.HandleFunc("GET /models/{id}/files/{fid}", w.modelFileDownload)
		mux.HandleFunc("GET /models/{id}/files/{fid}/delete", w.modelFileDeleteConfirm)
		mux.HandleFunc("POST /models/{id}/files/{fid}/delete", w.modelFileDelete)
		mux.HandleFunc("GET "+GalleryPath, w.gallery)
		mux.HandleFunc("GET "+GalleryPath+"/{id}", w.galleryEntry)
		mux.HandleFunc("GET "+GalleryPath+"/anh/{fid}/{hash}/{size}", w.galleryPhoto)
	}
}

func modelPhotoURL(f service.ModelFile, size string) string {
	h := f.SHA256
	if len(h) > 16 {
		h = h[:16]
	}
	return GalleryPath + "/anh/" + strconv.FormatInt(f.ID, 10) + "/" + h + "/" + size
}

// modelNumber shows a figure with its thousands grouped and no needless
// fraction: 12.000 and 4,5 in Vietnamese, 12,000 and 4.5 otherwise.
func modelNumber(l interface{ Lang() string }, v float64) string {
	group, point := ",", "."
	if l.Lang() == "vi" {
		group, point = ".", ","
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point + frac)
	}
	return b.String()
}

// pageMeta is what a public page tells search engines and link previews.
type pageMeta struct {
	Description string
	URL         string // absolute
	Image       string // absolute, or empty
	Type        string // website, article
}

// absURL makes p absolute on DANVAN_BASE_URL, or when none is configured
// on the host the request came to.
func (w *Web) absURL(r *http.Request, p string) string {
	base := strings.TrimSuffix(w.d.Cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + p
}

func modelFilterOf(r *http.Request) (service.ModelListFilter, bool) {
	q := r.URL.Query()
	f := service.ModelListFilter{Field: strings.TrimSpace(q.Get("field")), Level: strings.TrimSpace(q.Get("level")), Status: strings.TrimSpace(q.Get("status"))}
	ok := true
	atoi := func(name string) int64 {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			ok = false
		}
		return n
	}
	f.Year, f.CommuneID, f.Page = int(atoi("year")), atoi("commune"), int(atoi("page"))
	return f, ok
}

type galleryData struct {
	F        service.ModelListFilter
	Models   []service.Model
	Total    int
	Page     int
	Pages    int
	Fields   []string
	Levels   []string
	Years    []int
	Communes []org.Unit
	Manage   bool
	Meta     pageMeta
}

func (w *Web) gallery(rw http.ResponseWriter, r *http.Request) {
	f, ok := modelFilterOf(r)
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	svc := w.d.Svc
	list, total, err := svc.Models.Gallery(r.Context(), f)
	if _, bad := service.AsInvalid(err); bad {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	years, err := svc.Models.Years(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	communes, err := svc.Models.GalleryCommunes(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(r.Context())
	d := galleryData{F: f, Models: list, Total: total, Page: max(f.Page, 1), Pages: (total + service.MaxModelPage - 1) / service.MaxModelPage,
		Fields: service.ModelFields, Levels: service.ModelLevels, Years: years, Communes: communes,
		Meta: pageMeta{Description: l.T("models.gallery_description"), URL: w.absURL(r, r.URL.RequestURI()), Type: "website"}}
	if len(list) > 0 && list[0].Cover != nil {
		d.Meta.Image = w.absURL(r, modelPhotoURL(*list[0].Cover, "1600"))
	}
	if p := server.PrincipalFrom(r.Context()); p != nil {
		d.Manage = !p.OnlyCitizen()
	}
	w.render(rw, r, http.StatusOK, "models_gallery", w.page(rw, r, "models.gallery_title", d))
}

type galleryEntryData struct {
	V      service.ModelView
	Photos []service.ModelFile
	Manage bool
	Meta   pageMeta
}

func (w *Web) galleryEntry(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, err := w.d.Svc.Models.Public(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := galleryEntryData{V: v, Photos: v.Photos(), Meta: pageMeta{Description: v.Summary, URL: w.absURL(r, GalleryPath+"/"+strconv.FormatInt(id, 10)), Type: "article"}}
	if d.Meta.Description == "" {
		d.Meta.Description = server.LocaleFrom(r.Context()).T("models.gallery_description")
	}
	if len(d.Photos) > 0 {
		d.Meta.Image = w.absURL(r, modelPhotoURL(d.Photos[0], "1600"))
	}
	if p := server.PrincipalFrom(r.Context()); p != nil {
		d.Manage = !p.OnlyCitizen()
	}
	pg := w.page(rw, r, "models.gallery_title", d)
	pg.Title = v.Name
	w.render(rw, r, http.StatusOK, "models_entry", pg)
}

// galleryPhoto serves a picture. The address carries the content's digest,
// so a public picture is cached for a year and never revalidated; a
// picture of a model not yet public is served privately to those who may
// read it. A wrong digest is not found.
func (w *Web) galleryPhoto(rw http.ResponseWriter, r *http.Request) {
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	size := r.PathValue("size")
	if err != nil || fid <= 0 || (size != "1600" && size != "480") {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, data, public, err := w.d.Svc.Models.FileData(r.Context(), server.PrincipalFrom(r.Context()), fid, size == "480")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	hash := r.PathValue("hash")
	if f.Kind != service.ModelFilePhoto || len(hash) != 16 || !strings.HasPrefix(f.SHA256, hash) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	etag := `"` + hash + "-" + size + `"`
	h := rw.Header()
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if public {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "private, no-cache")
		h.Set("Vary", "Cookie")
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == etag || inm == "*" || strings.Contains(inm, etag)) {
		rw.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	rw.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = rw.Write(data)
	}
}

// ---- officers' pages ----

type modelsListData struct {
	F        service.ModelListFilter
	Models   []service.Model
	Total    int
	Page     int
	Pages    int
	Fields   []string
	Statuses []string
	Register bool
	Criteria bool
}

func (w *Web) modelsList(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	f, ok := modelFilterOf(r)
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	svc := w.d.Svc
	list, total, err := svc.Models.List(r.Context(), p, f)
	if _, bad := service.AsInvalid(err); bad {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := modelsListData{F: f, Models: list, Total: total, Page: max(f.Page, 1), Pages: (total + service.MaxModelPage - 1) / service.MaxModelPage,
		Fields: service.ModelFields, Statuses: service.ModelStatuses, Register: len(svc.Models.RegisterUnits(p)) > 0, Criteria: svc.Models.CanKeepCriteria(p)}
	w.render(rw, r, http.StatusOK, "models_list", w.page(rw, r, "models.title", d))
}

type modelFormData struct {
	ID      int64
	Version int
	Units   []org.Unit
	Places  []org.Unit
	Kinds   []string
	Fields  []string
	Rows    []int
	Form    civicForm
}

func (w *Web) modelNew(rw http.ResponseWriter, r *http.Request) {
	w.renderModelForm(rw, r, http.StatusOK, 0, 0, civicForm{Values: map[string]string{"kind": service.ModelCollective}})
}

func (w *Web) renderModelForm(rw http.ResponseWriter, r *http.Request, status int, id int64, version int, f civicForm) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	svc := w.d.Svc
	units := svc.Models.RegisterUnits(p)
	if len(units) == 0 {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	rows := make([]int, modelResultRows)
	for i := range rows {
		rows[i] = i
	}
	d := modelFormData{ID: id, Version: version, Units: units, Places: svc.Models.Communes(), Kinds: service.ModelKinds, Fields: service.ModelFields, Rows: rows, Form: f}
	title := "models.new"
	if id != 0 {
		title = "models.edit"
	}
	w.render(rw, r, status, "models_form", w.page(rw, r, title, d))
}

func modelInput(r *http.Request) service.ModelInput {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	in := service.ModelInput{Kind: r.PostFormValue("kind"), Name: r.PostFormValue("name"), Field: r.PostFormValue("field"),
		UnitID: formID(r, "unit_id"), PlaceUnitID: formID(r, "place_unit_id"), PeriodFrom: r.PostFormValue("period_from"),
		PeriodTo: r.PostFormValue("period_to"), Summary: r.PostFormValue("summary"), Description: r.PostFormValue("description"), Version: v}
	for i := range modelResultRows {
		k := "results." + strconv.Itoa(i)
		label, unit := r.PostFormValue(k+".label"), r.PostFormValue(k+".unit")
		raw := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(k+".value"), ",", "."))
		val, err := strconv.ParseFloat(raw, 64)
		if raw != "" && err != nil {
			val = 1e300 // refused by the service's range check
		}
		in.Results = append(in.Results, service.ModelResult{Label: label, Value: val, Unit: unit})
	}
	for _, l := range strings.Split(r.PostFormValue("links"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			in.Links = append(in.Links, l)
		}
	}
	return in
}

func (w *Web) modelCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	m, err := w.d.Svc.Models.Create(r.Context(), server.PrincipalFrom(r.Context()), modelInput(r))
	if f := postedForm(r, "model"); f.invalid(r, err) {
		w.renderModelForm(rw, r, http.StatusUnprocessableEntity, 0, 0, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/models/"+strconv.FormatInt(m.ID, 10)+"?flash=models.saved", http.StatusSeeOther)
}

func (w *Web) modelEdit(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, err := w.d.Svc.Models.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	m := v.Model
	vals := map[string]string{"kind": m.Kind, "name": m.Name, "field": m.Field, "unit_id": strconv.FormatInt(m.UnitID, 10),
		"place_unit_id": strconv.FormatInt(m.PlaceUnitID, 10), "period_from": m.PeriodFrom, "period_to": m.PeriodTo,
		"summary": m.Summary, "description": m.Description, "links": strings.Join(m.Links, "\n")}
	for i, res := range m.Results {
		k := "results." + strconv.Itoa(i)
		vals[k+".label"], vals[k+".value"], vals[k+".unit"] = res.Label, strconv.FormatFloat(res.Value, 'f', -1, 64), res.Unit
	}
	w.renderModelForm(rw, r, http.StatusOK, id, m.Version, civicForm{Values: vals})
}

func (w *Web) modelUpdate(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	in := modelInput(r)
	_, err := w.d.Svc.Models.Update(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if f := postedForm(r, "model"); f.invalid(r, err) {
		w.renderModelForm(rw, r, http.StatusUnprocessableEntity, id, in.Version, f)
		return
	}
	if w.modelStale(rw, r, err) {
		return
	}
	http.Redirect(rw, r, "/models/"+strconv.FormatInt(id, 10)+"?flash=models.saved", http.StatusSeeOther)
}

// modelStale writes the answer to a failed write; false when err is nil.
func (w *Web) modelStale(rw http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	var st *service.StaleVersionError
	if errors.As(err, &st) {
		w.errorDetail(rw, r, http.StatusConflict, "models.stale")
		return true
	}
	w.fail(rw, r, err)
	return true
}

type modelPageData struct {
	V          service.ModelView
	Criteria   []service.ModelCriterion
	Year       int
	Register   bool // p may edit, submit, attach
	Manage     bool // p assigns evaluators and recognises
	Evaluator  bool
	ReplUnits  []org.Unit
	Levels     []string
	ReplStatus []string
	Today      string
	Form       civicForm
	MyScores   map[int64]int
	MyComments map[int64]string
}

func (w *Web) modelPage(rw http.ResponseWriter, r *http.Request) {
	w.renderModel(rw, r, http.StatusOK, civicForm{})
}

func (w *Web) renderModel(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
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
	svc := w.d.Svc
	v, err := svc.Models.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	today := svc.Today()
	year, _ := strconv.Atoi(today[:4])
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 1990 && y <= 2100 {
		year = y
	} else if v.Recognition != nil {
		year = v.Recognition.Year
	}
	d := modelPageData{V: v, Year: year, Register: svc.Models.CanRegister(p, v.UnitID), Manage: svc.Models.CanManage(p, v.UnitID),
		Levels: service.ModelLevels, ReplStatus: service.ReplicationStatuses, Today: today, Form: f,
		MyScores: map[int64]int{}, MyComments: map[int64]string{}}
	for _, e := range v.Evaluators {
		if e.UserID == p.User.ID {
			d.Evaluator = true
		}
	}
	for _, e := range v.Evaluations {
		if e.EvaluatorID == p.User.ID {
			for _, s := range e.Scores {
				d.MyScores[s.CriterionID], d.MyComments[s.CriterionID] = s.Score, s.Comment
			}
		}
	}
	if d.Evaluator {
		if d.Criteria, err = svc.Models.Criteria(r.Context(), year, v.Field); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if v.Status == service.ModelRecognised {
		for _, u := range svc.Models.RegisterUnits(p) {
			if u.ID != v.UnitID {
				d.ReplUnits = append(d.ReplUnits, u)
			}
		}
	}
	w.render(rw, r, status, "models_show", w.page(rw, r, "models.model", d))
}

// modelStep runs one write of the model page and redirects back, or shows
// the page again with the messages of form which.
func (w *Web) modelStep(rw http.ResponseWriter, r *http.Request, which string, run func(p *service.Principal, id int64) (string, error)) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	flash, err := run(server.PrincipalFrom(r.Context()), id)
	if f := postedForm(r, which); f.invalid(r, err) {
		w.renderModel(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if w.modelStale(rw, r, err) {
		return
	}
	http.Redirect(rw, r, "/models/"+strconv.FormatInt(id, 10)+"?flash="+flash+"#"+which, http.StatusSeeOther)
}

func (w *Web) modelSubmit(rw http.ResponseWriter, r *http.Request) {
	w.modelStep(rw, r, "submit", func(p *service.Principal, id int64) (string, error) {
		v, _ := strconv.Atoi(r.PostFormValue("version"))
		_, err := w.d.Svc.Models.Submit(r.Context(), p, id, v)
		return "models.submitted", err
	})
}

func (w *Web) modelAssign(rw http.ResponseWriter, r *http.Request) {
	w.modelStep(rw, r, "evaluators", func(p *service.Principal, id int64) (string, error) {
		return "models.assigned", w.d.Svc.Models.AssignEvaluator(r.Context(), p, id, r.PostFormValue("username"))
	})
}

func (w *Web) modelEvaluate(rw http.ResponseWriter, r *http.Request) {
	w.modelStep(rw, r, "evaluate", func(p *service.Principal, id int64) (string, error) {
		year, _ := strconv.Atoi(r.PostFormValue("year"))
		in := service.EvaluationInput{Year: year, Comment: r.PostFormValue("comment")}
		for _, c := range r.PostForm["criterion"] {
			cid, err := strconv.ParseInt(c, 10, 64)
			if err != nil {
				continue
			}
			k := "scores." + c
			raw := strings.TrimSpace(r.PostFormValue(k))
			score, err := strconv.Atoi(raw)
			if err != nil {
				if raw == "" {
					continue // the service reports the missing score
				}
				score = -1
			}
			in.Scores = append(in.Scores, service.ModelScore{CriterionID: cid, Score: score, Comment: r.PostFormValue(k + ".comment")})
		}
		_, err := w.d.Svc.Models.Evaluate(r.Context(), p, id, in)
		return "models.evaluated", err
	})
}

func (w *Web) modelRecognise(rw http.ResponseWriter, r *http.Request) {
	w.modelStep(rw, r, "recognise", func(p *service.Principal, id int64) (string, error) {
		v, _ := strconv.Atoi(r.PostFormValue("version"))
		year, _ := strconv.Atoi(r.PostFormValue("year"))
		_, err := w.d.Svc.Models.Recognise(r.Context(), p, id, service.RecognitionInput{Level: r.PostFormValue("level"), Year: year,
			DecisionNo: r.PostFormValue("decision_no"), DecidedOn: r.PostFormValue("decided_on"), Commendation: r.PostFormValue("commendation"), Version: v})
		return "models.recognised", err
	})
}

func (w *Web) modelReplicate(rw http.ResponseWriter, r *http.Request) {
	w.modelStep(rw, r, "replications", func(p *service.Principal, id int64) (string, error) {
		_, err := w.d.Svc.Models.Replicate(r.Context(), p, id, service.ReplicationInput{UnitID: formID(r, "unit_id"),
			StartedOn: r.PostFormValue("started_on"), Status: r.PostFormValue("status"), Note: r.PostFormValue("note")})
		return "models.replicated", err
	})
}

// modelAttach adds one photo or document to a model.
func (w *Web) modelAttach(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, service.MaxCaseFileSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "models.too_large")
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return
	}
	var up service.UploadFile
	if f, fh, err := r.FormFile("file"); err == nil {
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, service.MaxCaseFileSize+1))
		if err != nil {
			w.errorPage(rw, r, http.StatusBadRequest)
			return
		}
		up = service.UploadFile{Name: fh.Filename, Data: data}
	}
	_, err := w.d.Svc.Models.AddFile(r.Context(), server.PrincipalFrom(r.Context()), id, up, r.PostFormValue("caption"))
	if f := postedForm(r, "files"); f.invalid(r, err) {
		w.renderModel(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/models/"+strconv.FormatInt(id, 10)+"?flash=models.file_added#files", http.StatusSeeOther)
}

func fileID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	return id, err == nil && id > 0
}

func (w *Web) modelFileDownload(rw http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r)
	fid, ok2 := fileID(r)
	if !ok1 || !ok2 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, data, _, err := w.d.Svc.Models.FileData(r.Context(), server.PrincipalFrom(r.Context()), fid, false)
	if err == nil && f.ModelID != id {
		err = service.ErrNotFound
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	server.SendFile(rw, f.Name, f.ContentType, data)
}

type modelFileDeleteData struct {
	V service.ModelView
	F service.ModelFile
}

func (w *Web) modelFileDeleteConfirm(rw http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r)
	fid, ok2 := fileID(r)
	if !ok1 || !ok2 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, err := w.d.Svc.Models.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, f := range v.Files {
		if f.ID == fid {
			w.render(rw, r, http.StatusOK, "models_file_delete", w.page(rw, r, "models.file_delete", modelFileDeleteData{V: v, F: f}))
			return
		}
	}
	w.errorPage(rw, r, http.StatusNotFound)
}

func (w *Web) modelFileDelete(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok1 := pathID(r)
	fid, ok2 := fileID(r)
	if !ok1 || !ok2 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if err := w.d.Svc.Models.DeleteFile(r.Context(), server.PrincipalFrom(r.Context()), id, fid); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/models/"+strconv.FormatInt(id, 10)+"?flash=models.file_deleted#files", http.StatusSeeOther)
}

type modelCriteriaData struct {
	Year     int
	Field    string
	Fields   []string
	Criteria []service.ModelCriterion
	Rows     []int
	Edit     bool
	Form     civicForm
}

func (w *Web) modelCriteria(rw http.ResponseWriter, r *http.Request) {
	w.renderCriteria(rw, r, http.StatusOK, civicForm{})
}

func (w *Web) renderCriteria(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	svc := w.d.Svc
	year, _ := strconv.Atoi(svc.Today()[:4])
	field := service.FieldEconomy
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil {
		year = y
	}
	if fl := q.Get("field"); fl != "" {
		field = fl
	}
	cs, err := svc.Models.Criteria(r.Context(), year, field)
	if _, bad := service.AsInvalid(err); bad {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := modelCriteriaData{Year: year, Field: field, Fields: service.ModelFields, Criteria: cs, Edit: svc.Models.CanKeepCriteria(p), Form: f}
	if f.Values == nil {
		d.Form.Values = map[string]string{}
		for i, c := range cs {
			k := "criteria." + strconv.Itoa(i)
			d.Form.Values[k+".code"], d.Form.Values[k+".name"], d.Form.Values[k+".weight"], d.Form.Values[k+".guidance"] = c.Code, c.Name, strconv.Itoa(c.Weight), c.Guidance
		}
	}
	for i := range max(len(cs)+2, 8) {
		d.Rows = append(d.Rows, i)
	}
	w.render(rw, r, status, "models_criteria", w.page(rw, r, "models.criteria", d))
}

func (w *Web) modelCriteriaSave(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	var in []service.CriterionInput
	for i := range service.MaxModelCriteria {
		k := "criteria." + strconv.Itoa(i)
		code, name := r.PostFormValue(k+".code"), r.PostFormValue(k+".name")
		rawW := strings.TrimSpace(r.PostFormValue(k + ".weight"))
		if strings.TrimSpace(code) == "" && strings.TrimSpace(name) == "" && rawW == "" {
			continue
		}
		weight, err := strconv.Atoi(rawW)
		if err != nil {
			weight = -1
		}
		in = append(in, service.CriterionInput{Code: code, Name: name, Weight: weight, Guidance: r.PostFormValue(k + ".guidance")})
	}
	field := r.PostFormValue("field")
	_, err := w.d.Svc.Models.SetCriteria(r.Context(), server.PrincipalFrom(r.Context()), year, field, in)
	if f := postedForm(r, "criteria"); f.invalid(r, err) {
		w.renderCriteria(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/models/criteria?year="+strconv.Itoa(year)+"&field="+field+"&flash=models.criteria_saved", http.StatusSeeOther)
}
