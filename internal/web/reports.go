package web

// Periodic reports in the browser: my units' reports, the report form
// (narrative + indicator table, autosaved drafts, submit, review), version
// history, prefill, attachments and completeness (templates and their
// schedules: templates_builder.go).

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
	"github.com/danvan/danvan/internal/service"
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

func (w *Web) signedInReports(rw http.ResponseWriter, r *http.Request) bool {
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return false
	}
	return true
}

// ---------- list ----------

type reportListData struct {
	Reports   []service.Report
	Templates []service.Template
	Status    string
	Template  int64
	Year      int
	Statuses  []report.Status
	// Keyset paging: the links to the neighbouring pages ("" when none) and
	// the capped count.
	Next, Prev string
	Total      int
	More       bool
	// Opening a report: the user's own units and the periods of this year;
	// after a refused opening, what was chosen and the messages per field.
	OwnUnits []ownUnit
	Years    []int
	Numbers  []int
	Open     service.OpenInput
	OpenErrs map[string]string
}

type ownUnit struct {
	ID   int64
	Name string
}

func (w *Web) reportList(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	w.renderReportList(rw, r, http.StatusOK, nil)
}

// renderReportList renders the list; open, when set, is a refused opening
// to show again with its messages.
func (w *Web) renderReportList(rw http.ResponseWriter, r *http.Request, status int, open *reportListData) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	q := r.URL.Query()
	d := reportListData{Statuses: report.Statuses}
	sq := service.ReportQuery{Limit: 25}
	if s := q.Get("status"); report.Status(s).Valid() {
		sq.Status, d.Status = s, s
	}
	if n, err := strconv.ParseInt(q.Get("template"), 10, 64); err == nil && n > 0 {
		sq.TemplateID, d.Template = n, n
	}
	if n, err := strconv.Atoi(q.Get("year")); err == nil && report.ValidYear(n) {
		sq.Year, d.Year = n, n
	}
	var err error
	if sq.After, err = service.ParseCursor("after", q.Get("after")); err != nil {
		w.fail(rw, r, err)
		return
	}
	if sq.After == nil {
		if sq.Before, err = service.ParseCursor("before", q.Get("before")); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	res, err := w.d.Svc.Reports.List(ctx, p, sq)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Reports, d.Total, d.More = res.Items, res.Total, res.More
	link := func(param string, c *service.ReportCursor) string {
		if c == nil {
			return ""
		}
		v := url.Values{}
		for _, k := range []string{"status", "template", "year"} {
			if x := q.Get(k); x != "" {
				v.Set(k, x)
			}
		}
		v.Set(param, service.EncodeCursor(c))
		return "/reports?" + v.Encode()
	}
	d.Next, d.Prev = link("after", res.Next), link("before", res.Prev)
	if d.Templates, err = w.d.Svc.Reports.ListTemplates(ctx, p, true); err != nil {
		w.fail(rw, r, err)
		return
	}
	seen := map[int64]bool{}
	_, _, own := report.Visibility(p.Grants)
	for _, id := range own {
		if seen[id] {
			continue
		}
		seen[id] = true
		if u, ok := w.d.Svc.Reports.Unit(id); ok {
			d.OwnUnits = append(d.OwnUnits, ownUnit{u.ID, u.Name})
		}
	}
	y := w.d.Svc.Now().In(vietnam).Year()
	d.Years = []int{y + 1, y, y - 1, y - 2}
	for i := 1; i <= 12; i++ {
		d.Numbers = append(d.Numbers, i)
	}
	d.Open.Year = y
	if open != nil {
		d.Open, d.OpenErrs = open.Open, open.OpenErrs
	}
	w.render(rw, r, status, "reports_list", w.page(rw, r, "reports.title", d))
}

// formInt reads a whole number from a form; text that is not one (or does
// not fit) gives -1, which every bounded check refuses.
func formInt(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n != int(int32(n)) {
		return -1
	}
	return n
}

// reportOpen gets or creates the report of one of the user's units.
func (w *Web) reportOpen(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) || !w.form(rw, r) {
		return
	}
	tid, _ := strconv.ParseInt(r.PostFormValue("template"), 10, 64)
	uid, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	in := service.OpenInput{TemplateID: tid, UnitID: uid, Year: formInt(r.PostFormValue("year")), Number: formInt(r.PostFormValue("number"))}
	rep, err := w.d.Svc.Reports.Open(r.Context(), server.PrincipalFrom(r.Context()), in)
	if inv, ok := service.AsInvalid(err); ok {
		// The list again, the choices kept, each message beside its field.
		w.renderReportList(rw, r, http.StatusUnprocessableEntity, &reportListData{Open: in, OpenErrs: FieldMessages(server.LocaleFrom(r.Context()), inv)})
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
	// FieldErrs are the messages of a refused form, beside their fields;
	// Comment is the review comment typed.
	FieldErrs map[string]string
	Comment   string
}

// loadReport fetches a report the user may see, with its template and
// what the user may do with it.
func (w *Web) loadReport(rw http.ResponseWriter, r *http.Request) (service.ReportView, bool) {
	if !w.signedInReports(rw, r) {
		return service.ReportView{}, false
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return service.ReportView{}, false
	}
	v, err := w.d.Svc.Reports.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return v, false
	}
	return v, true
}

// buildReportPage lays out the form with the given (possibly unsaved) content.
func (w *Web) buildReportPage(r *http.Request, v service.ReportView, narrative map[string]string, vals report.Values) (reportPageData, error) {
	l := server.LocaleFrom(r.Context())
	lang := l.Lang()
	rep, tpl := v.Report, v.Template
	fe := report.Validate(tpl.Definition, vals)
	d := reportPageData{R: rep, T: tpl, CanEdit: v.CanEdit, Locked: rep.Status == report.Accepted, CanReview: v.CanReview}
	d.Window = l.DateString(rep.PeriodFrom) + " – " + l.DateString(rep.PeriodTo)
	d.Sections, d.Rows = formRows(tpl.Definition, lang, narrative, vals, fe)
	d.Errors = len(fe)
	p := server.PrincipalFrom(r.Context())
	var err error
	if d.Versions, err = w.d.Svc.Reports.Versions(r.Context(), p, rep.ID); err != nil {
		return d, err
	}
	d.Attachments, err = w.d.Svc.Reports.Attachments(r.Context(), p, rep.ID)
	return d, err
}

func (w *Web) renderReport(rw http.ResponseWriter, r *http.Request, status int, v service.ReportView, narrative map[string]string, vals report.Values, tweak func(*reportPageData)) {
	rep, tpl := v.Report, v.Template
	d, err := w.buildReportPage(r, v, narrative, vals)
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
	v, ok := w.loadReport(rw, r)
	if !ok {
		return
	}
	w.renderReport(rw, r, http.StatusOK, v, v.Report.Narrative, v.Report.Values, nil)
}

// formContent reads the narrative and values posted by the report form.
func formContent(r *http.Request, tpl service.Template) service.DraftInput {
	d := service.DraftInput{Version: formInt(r.PostFormValue("version")), Narrative: map[string]string{}, Values: report.Values{}}
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

// current reloads a report after a refused write, to show the user's text
// again over the current version.
func (w *Web) current(rw http.ResponseWriter, r *http.Request, id int64) (service.ReportView, bool) {
	v, err := w.d.Svc.Reports.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return v, false
	}
	return v, true
}

// reportDraft saves the form: the Save button (redirect back) or an htmx
// autosave on change (answers the save-status fragment with the new version).
func (w *Web) reportDraft(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	rep := v.Report
	content := formContent(r, v.Template)
	saved, _, err := w.d.Svc.Reports.SaveDraft(r.Context(), server.PrincipalFrom(r.Context()), rep.ID, content)
	l := server.LocaleFrom(r.Context())
	_, invalid := service.AsInvalid(err)
	if isHX(r) {
		st := saveStatus{Version: rep.Version}
		switch {
		case err == nil:
			st.Version, st.Message = saved.Version, l.T("reports.autosaved", l.DateTime(w.d.Svc.Now().In(vietnam)))
		case errors.Is(err, report.ErrLocked):
			st.Error = l.T("report.locked")
		case errors.Is(err, service.ErrConflict):
			st.Error = l.T("reports.conflict")
		case invalid:
			st.Error = l.T("reports.submitted_edit_invalid")
		case errors.Is(err, service.ErrForbidden), errors.Is(err, service.ErrUnauthenticated):
			w.fail(rw, r, err)
			return
		default:
			st.Error = l.T("reports.save_failed")
		}
		w.render(rw, r, http.StatusOK, "reports_show", w.page(rw, r, "reports.report", st))
		return
	}
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.saved", rep.ID), http.StatusSeeOther)
	case errors.Is(err, report.ErrLocked), errors.Is(err, report.ErrTransition):
		w.errorDetail(rw, r, http.StatusConflict, "report.locked")
	case errors.Is(err, service.ErrConflict), invalid:
		// Nothing is lost: the user's text is shown again, with the current
		// version so that saving again overwrites knowingly.
		cur, ok := w.current(rw, r, rep.ID)
		if !ok {
			return
		}
		conflict := errors.Is(err, service.ErrConflict)
		status := http.StatusConflict
		if !conflict {
			status = http.StatusUnprocessableEntity
		}
		w.renderReport(rw, r, status, cur, content.Narrative, content.Values, func(d *reportPageData) {
			d.Conflict, d.Invalid = conflict, !conflict
			if inv, ok := service.AsInvalid(err); ok {
				d.FieldErrs = FieldMessages(l, inv)
			}
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
	v, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	rep := v.Report
	content := formContent(r, v.Template)
	_, err := w.d.Svc.Reports.Submit(r.Context(), server.PrincipalFrom(r.Context()), rep.ID, content, true)
	inv, invalid := service.AsInvalid(err)
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.submitted", rep.ID), http.StatusSeeOther)
	case invalid && inv.Key == service.MsgReportInvalid:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.kept_as_draft", rep.ID), http.StatusSeeOther)
	case invalid:
		l := server.LocaleFrom(r.Context())
		w.renderReport(rw, r, http.StatusUnprocessableEntity, v, content.Narrative, content.Values, func(d *reportPageData) {
			d.Invalid, d.FieldErrs = true, FieldMessages(l, inv)
		})
	case errors.Is(err, report.ErrLocked), errors.Is(err, report.ErrTransition):
		w.errorDetail(rw, r, http.StatusConflict, "report.illegal_transition")
	case errors.Is(err, service.ErrConflict):
		cur, ok := w.current(rw, r, rep.ID)
		if !ok {
			return
		}
		w.renderReport(rw, r, http.StatusConflict, cur, content.Narrative, content.Values, func(d *reportPageData) { d.Conflict = true })
	default:
		w.fail(rw, r, err)
	}
}

func (w *Web) reportReview(rw http.ResponseWriter, r *http.Request, accept bool) {
	v, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	rep := v.Report
	in := service.ReviewInput{Comment: r.PostFormValue("comment")}
	if s := r.PostFormValue("version"); s != "" {
		n := formInt(s)
		in.Version = &n
	}
	flash := "reports.accepted"
	if !accept {
		flash = "reports.returned"
	}
	_, err := w.d.Svc.Reports.Review(r.Context(), server.PrincipalFrom(r.Context()), rep.ID, in, accept)
	inv, invalid := service.AsInvalid(err)
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=%s", rep.ID, flash), http.StatusSeeOther)
	case invalid:
		// The comment is shown again with its message beside it.
		l := server.LocaleFrom(r.Context())
		w.renderReport(rw, r, http.StatusUnprocessableEntity, v, rep.Narrative, rep.Values, func(d *reportPageData) {
			d.FieldErrs, d.Comment = FieldMessages(l, inv), in.Comment
		})
	case errors.Is(err, report.ErrLocked), errors.Is(err, report.ErrTransition):
		w.errorDetail(rw, r, http.StatusConflict, "report.illegal_transition")
	case errors.Is(err, service.ErrConflict):
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.review_conflict", rep.ID), http.StatusSeeOther)
	default:
		w.fail(rw, r, err)
	}
}

func (w *Web) reportReturn(rw http.ResponseWriter, r *http.Request) { w.reportReview(rw, r, false) }
func (w *Web) reportAccept(rw http.ResponseWriter, r *http.Request) { w.reportReview(rw, r, true) }

// reportPrefill shows the form filled with the previous period's values
// (not saved until the user saves).
func (w *Web) reportPrefill(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadReport(rw, r)
	if !ok || !w.form(rw, r) {
		return
	}
	prev, err := w.d.Svc.Reports.Previous(r.Context(), server.PrincipalFrom(r.Context()), v.Report.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// Start from what the user has on screen (posted), so nothing typed is lost.
	content := formContent(r, v.Template)
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
	w.renderReport(rw, r, http.StatusOK, v, content.Narrative, vals, nil)
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
	v, ok := w.loadReport(rw, r)
	if !ok || !w.multipartForm(rw, r, report.MaxAttachment+1<<20) {
		return
	}
	defer r.MultipartForm.RemoveAll()
	rep := v.Report
	if !v.CanEdit {
		w.fail(rw, r, service.ErrForbidden)
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
	if len(data) > report.MaxAttachment {
		w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "reports.err.too_large")
		return
	}
	if _, err := w.d.Svc.Reports.Attach(r.Context(), server.PrincipalFrom(r.Context()), rep.ID, fh.Filename, data); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.attached#attachments", rep.ID), http.StatusSeeOther)
}

func (w *Web) reportImport(rw http.ResponseWriter, r *http.Request) {
	v, ok := w.loadReport(rw, r)
	if !ok || !w.multipartForm(rw, r, 16<<20) {
		return
	}
	defer r.MultipartForm.RemoveAll()
	rep := v.Report
	if !v.CanEdit {
		w.fail(rw, r, service.ErrForbidden)
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
	_, _, err = w.d.Svc.Reports.ImportValues(r.Context(), server.PrincipalFrom(r.Context()), rep.ID, formInt(r.PostFormValue("version")), fh.Filename, data)
	inv, invalid := service.AsInvalid(err)
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/reports/%d?flash=reports.imported", rep.ID), http.StatusSeeOther)
	case invalid && inv.Key == "report.api.import_failed":
		var ie []report.ImportError
		for _, f := range inv.Fields {
			var line, col int
			if _, err := fmt.Sscanf(f.Field, "line %d, column %d", &line, &col); err == nil {
				ie = append(ie, report.ImportError{Line: line, Column: col, Key: f.Key})
			}
		}
		w.renderReport(rw, r, http.StatusUnprocessableEntity, v, rep.Narrative, rep.Values, func(d *reportPageData) { d.ImportErrs = ie })
	case errors.Is(err, service.ErrConflict) || invalid:
		w.renderReport(rw, r, http.StatusConflict, v, rep.Narrative, rep.Values, func(d *reportPageData) {
			d.Conflict = errors.Is(err, service.ErrConflict)
			d.Invalid = !d.Conflict
		})
	default:
		w.fail(rw, r, err)
	}
}

// reportAttachment serves an attachment as a download, with the type
// sniffed from its content, never rendered in the page's origin.
func (w *Web) reportAttachment(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	dl, err := w.d.Svc.Reports.Attachment(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	server.SendFile(rw, dl.Name, dl.ContentType, dl.Data)
}

// ---------- completeness ----------

type levelTotal struct {
	Name string
	report.Counts
}

type completenessData struct {
	Templates []service.Template
	Template  service.Template
	Year      int
	Number    int
	Numbers   []int
	Years     []int
	C         *service.Completeness
	Levels    []levelTotal
	Kinds     []levelTotal
	CanUrge   map[int64]bool
}

func (w *Web) completenessPage(rw http.ResponseWriter, r *http.Request) {
	if !w.signedInReports(rw, r) {
		return
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	q := r.URL.Query()
	d := completenessData{CanUrge: map[int64]bool{}}
	var err error
	if d.Templates, err = w.d.Svc.Reports.ListTemplates(ctx, p, true); err != nil {
		w.fail(rw, r, err)
		return
	}
	now := w.d.Svc.Now().In(vietnam)
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
	if y, err := strconv.Atoi(q.Get("year")); err == nil && report.ValidYear(y) {
		d.Year = y
	}
	if n, err := strconv.Atoi(q.Get("number")); err == nil && n >= 1 && n <= len(d.Numbers) {
		d.Number = n
	}
	c, err := w.d.Svc.Reports.Completeness(ctx, p, service.CompletenessQuery{TemplateID: d.Template.ID, Year: d.Year, Number: d.Number, Today: today.String()})
	if err != nil {
		w.fail(rw, r, err)
		return
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
