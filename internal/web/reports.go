package web

// Periodic reports in the browser: my units' reports, the report form
// (narrative + indicator table, autosaved drafts, submit, review), version
// history, prefill, attachments, templates and completeness.

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

// reportsFeature adds the template helpers of these pages to funcs and returns
// their routes; web.New calls it (see features.go).
func reportsFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["rptStatusKey"] = func(s report.Status) string { return "reports.status." + string(s) }
	funcs["rptTimelinessKey"] = func(t report.Timeliness) string { return "reports.timeliness." + string(t) }
	funcs["rptPeriod"] = rptPeriodLabel
	funcs["rptWhen"] = func(l interface{ DateTime(time.Time) string }, t *time.Time) string {
		if t == nil {
			return ""
		}
		return l.DateTime(t.In(calendar.Vietnam))
	}
	funcs["rptText"] = func(t report.Text, lang string) string { return t.In(lang) }
	funcs["rptTypes"] = func() []report.Type { return report.Types }
	funcs["rptCell"] = func(p Page, c cellView, in report.Indicator) cellCtx { return cellCtx{P: p, C: c, In: &in} }
	funcs["rptCat"] = func(p Page, c cellView) cellCtx { return cellCtx{P: p, C: c} }
	funcs["rptSaveStatus"] = func(p Page) Page { p.Data = saveStatus{}; return p }
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /reports", w.reportList)
		mux.HandleFunc("POST /reports/open", w.reportOpen)
		mux.HandleFunc("GET /reports/{id}", w.reportShow)
		mux.HandleFunc("POST /reports/{id}/draft", w.reportDraft)
		mux.HandleFunc("POST /reports/{id}/submit", w.reportSubmit)
		mux.HandleFunc("POST /reports/{id}/return", w.reportReturn)
		mux.HandleFunc("POST /reports/{id}/accept", w.reportAccept)
		mux.HandleFunc("POST /reports/{id}/prefill", w.reportPrefill)
		mux.HandleFunc("POST /reports/{id}/attachments", w.reportAttach)
		mux.HandleFunc("POST /reports/{id}/import", w.reportImport)
		mux.HandleFunc("GET /reports/attachments/{id}", w.reportAttachment)
		mux.HandleFunc("GET /reports/templates", w.templateList)
		mux.HandleFunc("GET /reports/templates/new", w.templateNew)
		mux.HandleFunc("POST /reports/templates", w.templateCreate)
		mux.HandleFunc("GET /reports/templates/{id}/edit", w.templateEdit)
		mux.HandleFunc("POST /reports/templates/{id}/edit", w.templateUpdate)
		mux.HandleFunc("GET /reports/completeness", w.completenessPage)
	}
}

// rptPeriodLabel is "Tháng 1/2025", "Quý 1/2025"… in the page's language.
func rptPeriodLabel(l interface{ T(string, ...any) string }, t report.Type, year, number int) string {
	switch t {
	case report.Monthly, report.Quarterly:
		return l.T("reports.period."+string(t), number, year)
	}
	return l.T("reports.period."+string(t), year)
}

func (w *Web) grantsOf(r *http.Request) []authz.Grant {
	if p := server.PrincipalFrom(r.Context()); p != nil {
		return p.Grants
	}
	return nil
}

func (w *Web) signedInReports(rw http.ResponseWriter, r *http.Request) bool {
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return false
	}
	return true
}

// ---------- list ----------

type reportListData struct {
	Reports   []report.Report
	Pager     pager
	Templates []report.Template
	Status    string
	Template  int64
	Year      int
	Statuses  []report.Status
	// Opening a report: the user's own units and the periods of this year.
	OwnUnits []ownUnit
	Years    []int
	Numbers  []int
}

type ownUnit struct {
	ID   int64
	Name string
}

func (w *Web) reportList(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	all, roots, own := report.Visibility(w.grantsOf(r))
	f := store.ReportFilter{All: all, Roots: roots, Own: own}
	d := reportListData{Statuses: report.Statuses}
	if s := q.Get("status"); report.Status(s).Valid() {
		f.Status, d.Status = report.Status(s), s
	}
	if n, err := strconv.ParseInt(q.Get("template"), 10, 64); err == nil && n > 0 {
		f.TemplateID, d.Template = n, n
	}
	if n, err := strconv.Atoi(q.Get("year")); err == nil && n >= 2000 && n <= 2100 {
		f.Year, d.Year = n, n
	}
	const size = 25
	f.Limit = size
	_, total, err := w.d.Store.ListReports(ctx, store.ReportFilter{All: f.All, Roots: f.Roots, Own: f.Own, Status: f.Status, TemplateID: f.TemplateID, Year: f.Year, Limit: 1})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, size)
	f.Offset = d.Pager.Offset()
	d.Reports, _, err = w.d.Store.ListReports(ctx, f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Templates, err = w.d.Store.ListTemplates(ctx, true); err != nil {
		w.fail(rw, r, err)
		return
	}
	seen := map[int64]bool{}
	for _, id := range own {
		if seen[id] {
			continue
		}
		seen[id] = true
		if u, err := w.d.Store.GetUnit(ctx, id); err == nil {
			d.OwnUnits = append(d.OwnUnits, ownUnit{u.ID, u.Name})
		}
	}
	y := time.Now().In(calendar.Vietnam).Year()
	d.Years = []int{y + 1, y, y - 1, y - 2}
	for i := 1; i <= 12; i++ {
		d.Numbers = append(d.Numbers, i)
	}
	w.render(rw, r, http.StatusOK, "reports_list", w.page(rw, r, "reports.title", d))
}

// reportOpen gets or creates the report of one of the user's units.
func (w *Web) reportOpen(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	tid, _ := strconv.ParseInt(r.PostFormValue("template"), 10, 64)
	uid, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	num, _ := strconv.Atoi(r.PostFormValue("number"))
	if !report.CanEdit(w.grantsOf(r), uid) || !w.d.Can(ctx, authz.ActionReportEdit, uid) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	tpl, err := w.d.Store.GetTemplate(ctx, tid)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var win report.Window
	for _, x := range report.Windows(tpl.Rule(), tpl.PeriodType, year) {
		if x.Number == num || (tpl.PeriodType.PerYear() == 1 && num >= 1) {
			win = x
			break
		}
	}
	if win.IsZero() {
		w.errorDetail(rw, r, http.StatusBadRequest, "reports.err.bad_period")
		return
	}
	rep, err := w.d.Store.EnsureReport(ctx, actor(r), tpl.ID, uid, win)
	if errors.Is(err, store.ErrNotScheduled) {
		w.errorDetail(rw, r, http.StatusUnprocessableEntity, "report.not_scheduled")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/%d", rep.ID), http.StatusSeeOther)
}

// ---------- the report form ----------

type cellView struct {
	Key, ID, Label, Value, Err string
}

type indicatorView struct {
	In    report.Indicator
	Name  string
	Total cellView
	Cats  []cellView
}

type sectionView struct {
	Key, ID, Title, Text, Err string
}

type reportPageData struct {
	R           report.Report
	T           report.Template
	Sections    []sectionView
	Rows        []indicatorView
	Errors      int
	CanEdit     bool
	CanReview   bool
	Locked      bool
	Conflict    bool
	Invalid     bool
	Versions    []report.Version
	Attachments []report.Attachment
	ImportErrs  []report.ImportError
	Saved       string
	Window      string
}

// loadReport fetches a report and checks that the user may see it.
func (w *Web) loadReport(rw http.ResponseWriter, r *http.Request) (report.Report, authz.Target, bool) {
	if !w.signedInReports(rw, r) {
		return report.Report{}, authz.Target{}, false
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return report.Report{}, authz.Target{}, false
	}
	rep, err := w.d.Store.GetReport(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return rep, authz.Target{}, false
	}
	t, err := w.d.Target(r.Context(), rep.UnitID)
	if err != nil {
		w.fail(rw, r, err)
		return rep, t, false
	}
	if !report.CanSee(w.grantsOf(r), t, rep.Status) {
		w.fail(rw, r, server.ErrForbidden)
		return rep, t, false
	}
	return rep, t, true
}

func (w *Web) canEditReport(r *http.Request, rep report.Report, t authz.Target) bool {
	g := w.grantsOf(r)
	return report.CanEdit(g, rep.UnitID) && authz.Can(g, authz.ActionReportEdit, t) && rep.Status.Editable()
}

// buildReportPage lays out the form with the given (possibly unsaved) content.
func (w *Web) buildReportPage(r *http.Request, rep report.Report, t authz.Target, tpl report.Template, narrative map[string]string, vals report.Values) (reportPageData, error) {
	l := server.LocaleFrom(r.Context())
	lang := l.Lang()
	fe := report.Validate(tpl.Definition, vals)
	d := reportPageData{R: rep, T: tpl, CanEdit: w.canEditReport(r, rep, t), Locked: rep.Status == report.Accepted}
	d.CanReview = authz.CanReview(w.grantsOf(r), t) && rep.Status == report.Submitted
	d.Window = l.DateString(rep.PeriodFrom) + " – " + l.DateString(rep.PeriodTo)
	for _, s := range tpl.Definition.Sections {
		d.Sections = append(d.Sections, sectionView{Key: s.Key, ID: "n-" + s.Key, Title: s.Title.In(lang), Text: narrative[s.Key]})
	}
	for _, in := range tpl.Definition.Indicators {
		name := in.Name.In(lang)
		iv := indicatorView{In: in, Name: name, Total: cellView{Key: in.Code, ID: "v-" + in.Code, Label: name, Value: vals[in.Code], Err: fe[in.Code]}}
		if dg := in.Disaggregation; dg != nil {
			for _, c := range dg.Categories {
				k := report.FieldKey(in.Code, c.Key)
				iv.Cats = append(iv.Cats, cellView{Key: k, ID: "v-" + in.Code + "-" + c.Key, Label: name + " — " + c.Name.In(lang), Value: vals[k], Err: fe[k]})
			}
		}
		d.Rows = append(d.Rows, iv)
	}
	d.Errors = len(fe)
	var err error
	if d.Versions, err = w.d.Store.ReportVersions(r.Context(), rep.ID); err != nil {
		return d, err
	}
	d.Attachments, err = w.d.Store.ListReportAttachments(r.Context(), rep.ID)
	return d, err
}

func (w *Web) renderReport(rw http.ResponseWriter, r *http.Request, status int, rep report.Report, t authz.Target, narrative map[string]string, vals report.Values, tweak func(*reportPageData)) {
	tpl, err := w.d.Store.GetTemplate(r.Context(), rep.TemplateID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d, err := w.buildReportPage(r, rep, t, tpl, narrative, vals)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if tweak != nil {
		tweak(&d)
	}
	l := server.LocaleFrom(r.Context())
	p := w.page(rw, r, "reports.report", d)
	p.Title = tpl.Name + " — " + rep.UnitName + " — " + rptPeriodLabel(l, rep.PeriodType, rep.PeriodYear, rep.PeriodNumber)
	w.render(rw, r, status, "reports_show", p)
}

func (w *Web) reportShow(rw http.ResponseWriter, r *http.Request) {
	rep, t, ok := w.loadReport(rw, r)
	if !ok {
		return
	}
	w.renderReport(rw, r, http.StatusOK, rep, t, rep.Narrative, rep.Values, nil)
}

// formContent reads the narrative and values posted by the report form.
func formContent(r *http.Request, tpl report.Template) store.ReportDraft {
	d := store.ReportDraft{Narrative: map[string]string{}, Values: report.Values{}}
	for _, s := range tpl.Definition.Sections {
		d.Narrative[s.Key] = r.PostFormValue("n." + s.Key)
	}
	for _, in := range tpl.Definition.Indicators {
		d.Values[in.Code] = r.PostFormValue("v." + in.Code)
		if dg := in.Disaggregation; dg != nil {
			for _, c := range dg.Categories {
				k := report.FieldKey(in.Code, c.Key)
				d.Values[k] = r.PostFormValue("v." + k)
			}
		}
	}
	return d
}

func isHX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// reportDraft saves the form: the Save button (redirect back) or an htmx
// autosave on change (answers the save-status fragment with the new version).
func (w *Web) reportDraft(rw http.ResponseWriter, r *http.Request) {
	rep, t, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	if !w.canEditReport(r, rep, t) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	tpl, err := w.d.Store.GetTemplate(r.Context(), rep.TemplateID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	content := formContent(r, tpl)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	saved, _, err := w.d.Store.SaveDraft(r.Context(), actor(r), rep.ID, version, content)
	l := server.LocaleFrom(r.Context())
	if isHX(r) {
		st := saveStatus{Version: rep.Version}
		switch {
		case err == nil:
			st.Version, st.Message = saved.Version, l.T("reports.autosaved", l.DateTime(time.Now().In(calendar.Vietnam)))
		case errors.Is(err, store.ErrConflict):
			st.Error = l.T("reports.conflict")
		case errors.Is(err, report.ErrInvalid):
			st.Error = l.T("reports.submitted_edit_invalid")
		default:
			st.Error = l.T("reports.save_failed")
		}
		w.render(rw, r, http.StatusOK, "reports_show", w.page(rw, r, "reports.report", st))
		return
	}
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.saved", rep.ID), http.StatusSeeOther)
	case errors.Is(err, store.ErrConflict), errors.Is(err, report.ErrInvalid):
		// Nothing is lost: the user's text is shown again, with the current
		// version so that saving again overwrites knowingly.
		cur, gerr := w.d.Store.GetReport(r.Context(), rep.ID)
		if gerr != nil {
			w.fail(rw, r, gerr)
			return
		}
		conflict := errors.Is(err, store.ErrConflict)
		w.renderReport(rw, r, http.StatusConflict, cur, t, content.Narrative, content.Values, func(d *reportPageData) {
			d.Conflict, d.Invalid = conflict, !conflict
		})
	default:
		w.fail(rw, r, err)
	}
}

// cellCtx is what the "rptcell" template receives: In is nil for a
// category cell (always numeric).
type cellCtx struct {
	P  Page
	C  cellView
	In *report.Indicator
}

// saveStatus is the autosave fragment's data.
type saveStatus struct {
	Version        int
	Message, Error string
}

func (w *Web) reportSubmit(rw http.ResponseWriter, r *http.Request) {
	rep, t, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	g := w.grantsOf(r)
	if !report.CanEdit(g, rep.UnitID) || !authz.Can(g, authz.ActionReportSubmit, t) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	tpl, err := w.d.Store.GetTemplate(r.Context(), rep.TemplateID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	content := formContent(r, tpl)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, _, err = w.d.Store.SubmitReport(r.Context(), actor(r), rep.ID, version, &content)
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.submitted", rep.ID), http.StatusSeeOther)
	case errors.Is(err, report.ErrInvalid):
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.kept_as_draft", rep.ID), http.StatusSeeOther)
	case errors.Is(err, store.ErrConflict):
		cur, gerr := w.d.Store.GetReport(r.Context(), rep.ID)
		if gerr != nil {
			w.fail(rw, r, gerr)
			return
		}
		w.renderReport(rw, r, http.StatusConflict, cur, t, content.Narrative, content.Values, func(d *reportPageData) { d.Conflict = true })
	case errors.Is(err, report.ErrLocked), errors.Is(err, report.ErrTransition):
		w.errorDetail(rw, r, http.StatusConflict, "report.illegal_transition")
	default:
		w.fail(rw, r, err)
	}
}

func (w *Web) reportReview(rw http.ResponseWriter, r *http.Request, accept bool) {
	rep, t, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	if !authz.CanReview(w.grantsOf(r), t) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	var err error
	flash := "reports.accepted"
	if accept {
		_, err = w.d.Store.AcceptReport(r.Context(), actor(r), rep.ID, version, comment)
	} else {
		flash = "reports.returned"
		_, err = w.d.Store.ReturnReport(r.Context(), actor(r), rep.ID, version, comment)
	}
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=%s", rep.ID, flash), http.StatusSeeOther)
	case errors.Is(err, report.ErrCommentNeeded):
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=report.comment_required#review", rep.ID), http.StatusSeeOther)
	case errors.Is(err, store.ErrConflict):
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.review_conflict", rep.ID), http.StatusSeeOther)
	case errors.Is(err, report.ErrLocked), errors.Is(err, report.ErrTransition):
		w.errorDetail(rw, r, http.StatusConflict, "report.illegal_transition")
	default:
		w.fail(rw, r, err)
	}
}

func (w *Web) reportReturn(rw http.ResponseWriter, r *http.Request) { w.reportReview(rw, r, false) }
func (w *Web) reportAccept(rw http.ResponseWriter, r *http.Request) { w.reportReview(rw, r, true) }

// reportPrefill shows the form filled with the previous period's values
// (not saved until the user saves).
func (w *Web) reportPrefill(rw http.ResponseWriter, r *http.Request) {
	rep, t, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	if !w.canEditReport(r, rep, t) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	prev, err := w.d.Store.PreviousValues(r.Context(), rep.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	tpl, err := w.d.Store.GetTemplate(r.Context(), rep.TemplateID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// Start from what the user has on screen (posted), so nothing typed is lost.
	content := formContent(r, tpl)
	vals := content.Values
	for k, v := range prev {
		if strings.TrimSpace(vals[k]) == "" {
			vals[k] = v
		}
	}
	r.URL.RawQuery = url.Values{"flash": {"reports.prefilled"}}.Encode()
	if len(prev) == 0 {
		r.URL.RawQuery = url.Values{"flash": {"reports.no_previous"}}.Encode()
	}
	w.renderReport(rw, r, http.StatusOK, rep, t, content.Narrative, vals, nil)
}

// multipartForm parses an upload form of at most limit bytes and checks CSRF.
func (w *Web) multipartForm(rw http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(rw, r.Body, limit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "reports.err.too_large")
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

func (w *Web) reportAttach(rw http.ResponseWriter, r *http.Request) {
	rep, t, ok := w.loadReport(rw, r)
	if !ok || !w.multipartForm(rw, r, report.MaxAttachment+1<<20) {
		return
	}
	defer r.MultipartForm.RemoveAll()
	if !w.canEditReport(r, rep, t) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.err.no_file#attachments", rep.ID), http.StatusSeeOther)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, report.MaxAttachment+1))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ct := fh.Header.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	_, err = w.d.Store.AddReportAttachment(r.Context(), actor(r), rep.ID, cleanName(fh.Filename), ct, data)
	if errors.Is(err, report.ErrAttachmentSize) {
		w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "reports.err.too_large")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.attached#attachments", rep.ID), http.StatusSeeOther)
}

func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 32 || r == '/' || r == '\\' || r == '"' {
			return '_'
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200]
	}
	if s == "" {
		s = "file"
	}
	return s
}

func (w *Web) reportImport(rw http.ResponseWriter, r *http.Request) {
	rep, t, ok := w.loadReport(rw, r)
	if !ok || !w.multipartForm(rw, r, 16<<20) {
		return
	}
	defer r.MultipartForm.RemoveAll()
	if !w.canEditReport(r, rep, t) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	tpl, err := w.d.Store.GetTemplate(r.Context(), rep.TemplateID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.err.no_file#import", rep.ID), http.StatusSeeOther)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	vals, err := report.ImportFile(tpl.Definition, fh.Filename, data)
	var ie report.ImportErrors
	if errors.As(err, &ie) {
		w.renderReport(rw, r, http.StatusUnprocessableEntity, rep, t, rep.Narrative, rep.Values, func(d *reportPageData) { d.ImportErrs = ie })
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	merged := report.Values{}
	for k, v := range rep.Values {
		merged[k] = v
	}
	for k, v := range vals {
		merged[k] = v
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, _, err := w.d.Store.SaveDraft(r.Context(), actor(r), rep.ID, version, store.ReportDraft{Narrative: rep.Narrative, Values: merged}); err != nil {
		if errors.Is(err, store.ErrConflict) || errors.Is(err, report.ErrInvalid) {
			w.renderReport(rw, r, http.StatusConflict, rep, t, rep.Narrative, merged, func(d *reportPageData) { d.Conflict = errors.Is(err, store.ErrConflict); d.Invalid = !d.Conflict })
			return
		}
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.imported", rep.ID), http.StatusSeeOther)
}

func (w *Web) reportAttachment(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	at, data, err := w.d.Store.GetReportAttachment(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	rep, err := w.d.Store.GetReport(r.Context(), at.ReportID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	t, err := w.d.Target(r.Context(), rep.UnitID)
	if err != nil || !report.CanSee(w.grantsOf(r), t, rep.Status) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	rw.Header().Set("Content-Type", "application/octet-stream")
	rw.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(at.Name))
	rw.Header().Set("Cache-Control", "private, no-store")
	_, _ = rw.Write(data)
}

// ---------- templates ----------

func (w *Web) canManageTemplates(r *http.Request) bool {
	g := w.grantsOf(r)
	for _, x := range g {
		if authz.Can(g, authz.ActionTemplateManage, authz.Target{UnitID: x.UnitID}) {
			return true
		}
	}
	return false
}

type templateForm struct {
	ID          int64
	Version     int
	Code, Name  string
	Description string
	PeriodType  string
	CutoffDay   int
	Active      bool
	Definition  string
	Errors      map[string]string
	Problems    []report.Problem
}

type templateListData struct {
	Templates []report.Template
	CanManage bool
}

func (w *Web) templateList(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	ts, err := w.d.Store.ListTemplates(r.Context(), false)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "reports_templates", w.page(rw, r, "reports.templates", templateListData{ts, w.canManageTemplates(r)}))
}

func (w *Web) templateNew(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	if !w.canManageTemplates(r) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	f := templateForm{PeriodType: string(report.Monthly), CutoffDay: report.DefaultCutoffDay, Active: true,
		Definition: "{\n  \"sections\": [{\"key\": \"highlights\", \"title\": {\"vi\": \"Kết quả nổi bật\"}}],\n  \"indicators\": [{\"code\": \"dialogues\", \"name\": {\"vi\": \"Số cuộc đối thoại\"}, \"type\": \"integer\", \"min\": 0}]\n}"}
	w.render(rw, r, http.StatusOK, "reports_template_form", w.page(rw, r, "reports.template_new", f))
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
	t, err := w.d.Store.GetTemplate(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := templateForm{ID: t.ID, Version: t.Version, Code: t.Code, Name: t.Name, Description: t.Description, PeriodType: string(t.PeriodType),
		CutoffDay: t.CutoffDay, Active: t.Active, Definition: prettyJSON(string(t.Definition.JSON()))}
	if !w.canManageTemplates(r) {
		f.Errors = map[string]string{"_readonly": "1"}
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

func (w *Web) templateSave(rw http.ResponseWriter, r *http.Request, id int64) {
	if !w.signedInReports(rw, r) || !w.form(rw, r) {
		return
	}
	if !w.canManageTemplates(r) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	f := templateForm{ID: id, Code: strings.TrimSpace(r.PostFormValue("code")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Description: r.PostFormValue("description"), PeriodType: r.PostFormValue("period_type"), Active: r.PostFormValue("active") != "",
		Definition: r.PostFormValue("definition"), Errors: map[string]string{}}
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	f.CutoffDay, _ = strconv.Atoi(r.PostFormValue("cutoff_day"))
	t := report.Template{ID: id, Code: f.Code, Name: f.Name, Description: f.Description, PeriodType: report.Type(f.PeriodType), CutoffDay: f.CutoffDay, Active: f.Active}
	def, err := report.ParseDefinition([]byte(f.Definition))
	var de *report.DefinitionError
	if errors.As(err, &de) {
		f.Problems = de.Problems
		f.Errors["definition"] = "report.definition_invalid"
	} else {
		t.Definition = def
	}
	if len(f.Problems) == 0 {
		for k, v := range t.Check() {
			f.Errors[k] = v
		}
	}
	title := "reports.template_new"
	if id != 0 {
		title = "reports.template_edit"
	}
	if len(f.Errors) > 0 {
		w.render(rw, r, http.StatusUnprocessableEntity, "reports_template_form", w.page(rw, r, title, f))
		return
	}
	if id == 0 {
		err = w.d.Store.CreateTemplate(r.Context(), actor(r), &t)
	} else {
		err = w.d.Store.UpdateTemplate(r.Context(), actor(r), &t, f.Version)
	}
	if errors.Is(err, store.ErrConflict) {
		f.Errors["code"] = "reports.err.template_conflict"
		w.render(rw, r, http.StatusConflict, "reports_template_form", w.page(rw, r, title, f))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/templates/%d/edit?flash=reports.template_saved", t.ID), http.StatusSeeOther)
}

// ---------- completeness ----------

type levelTotal struct {
	Name string
	report.Counts
}

type completenessData struct {
	Templates []report.Template
	Template  report.Template
	Year      int
	Number    int
	Numbers   []int
	Years     []int
	C         *report.Completeness
	Levels    []levelTotal
	Kinds     []levelTotal
	CanUrge   map[int64]bool
}

func (w *Web) completenessPage(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	d := completenessData{CanUrge: map[int64]bool{}}
	var err error
	if d.Templates, err = w.d.Store.ListTemplates(ctx, true); err != nil {
		w.fail(rw, r, err)
		return
	}
	now := time.Now().In(calendar.Vietnam)
	d.Years = []int{now.Year() + 1, now.Year(), now.Year() - 1, now.Year() - 2}
	tid, _ := strconv.ParseInt(q.Get("template"), 10, 64)
	for _, t := range d.Templates {
		if t.ID == tid || (tid == 0 && d.Template.ID == 0) {
			d.Template = t
		}
	}
	if d.Template.ID == 0 {
		w.render(rw, r, http.StatusOK, "reports_completeness", w.page(rw, r, "reports.completeness", d))
		return
	}
	for i := 1; i <= d.Template.PeriodType.PerYear(); i++ {
		d.Numbers = append(d.Numbers, i)
	}
	// Default: the latest window already ended.
	today := calendar.DateOf(now)
	if cur, ok := report.WindowFor(d.Template.Rule(), d.Template.PeriodType, today.AddDays(-7)); ok {
		d.Year, d.Number = cur.Year, cur.Number
	} else {
		d.Year, d.Number = now.Year(), 1
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 2000 && y <= 2100 {
		d.Year = y
	}
	if n, err := strconv.Atoi(q.Get("number")); err == nil && n >= 1 && n <= len(d.Numbers) {
		d.Number = n
	}
	var win report.Window
	for _, x := range report.Windows(d.Template.Rule(), d.Template.PeriodType, d.Year) {
		if x.Number == d.Number {
			win = x
		}
	}
	c, err := w.d.Store.Completeness(ctx, d.Template.ID, win, today.String())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	all, roots, _ := report.Visibility(w.grantsOf(r))
	if !all {
		vis, err := w.d.Store.SubtreeIDs(ctx, roots)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		c = c.Only(func(id int64) bool { return vis[id] })
	}
	for _, row := range c.Rows {
		if row.Timeliness == report.LateStatus || row.Timeliness == report.MissingState {
			d.CanUrge[row.UnitID] = w.d.Can(ctx, authz.ActionUrgeSend, row.UnitID)
		}
	}
	l := server.LocaleFrom(ctx)
	for k, v := range c.ByLevel {
		d.Levels = append(d.Levels, levelTotal{l.T("reports.level." + k), v})
	}
	for k, v := range c.ByKind {
		d.Kinds = append(d.Kinds, levelTotal{l.T("units.kind." + k), v})
	}
	sort.Slice(d.Levels, func(i, j int) bool { return d.Levels[i].Name < d.Levels[j].Name })
	sort.Slice(d.Kinds, func(i, j int) bool { return d.Kinds[i].Name < d.Kinds[j].Name })
	d.C = &c
	w.render(rw, r, http.StatusOK, "reports_completeness", w.page(rw, r, "reports.completeness", d))
}
