package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// The calendar's yearly decisions, for administrators:
//
//	GET  /admin/calendar[?year=]                     days off of a year, its decisions, the form to add one
//	POST /admin/calendar                             add decision days
//	GET  /admin/calendar/decisions/{id}/delete       confirm
//	POST /admin/calendar/decisions/{id}/delete       remove one decision day
//	GET  /admin/calendar/rules[?on=]                 legal deadline rules in force, the form to add a version
//	POST /admin/calendar/rules                       add a rule version
//
// calendarFeature adds the routes; web.New calls it (see features.go).
func calendarFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// weekdayKey names the weekday of a YYYY-MM-DD date ("calendar.weekday.0" is Sunday).
	funcs["weekdayKey"] = func(s string) string {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return "calendar.weekday.unknown"
		}
		return "calendar.weekday." + strconv.Itoa(int(d.Weekday()))
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /admin/calendar", w.calendarPage)
		mux.HandleFunc("POST /admin/calendar", w.calendarAdd)
		mux.HandleFunc("GET /admin/calendar/decisions/{id}/delete", w.calendarDeleteConfirm)
		mux.HandleFunc("POST /admin/calendar/decisions/{id}/delete", w.calendarDelete)
		mux.HandleFunc("GET /admin/calendar/rules", w.rulesPage)
		mux.HandleFunc("POST /admin/calendar/rules", w.rulesAdd)
	}
}

// calendarForm is the add-decision form as typed.
type calendarForm struct {
	Kind, From, To, Source, SourceURL string
}

type calendarData struct {
	Year       int
	Prev, Next int
	Days       []service.DayOff
	Decisions  []service.CalendarDecision
	Kinds      []string
	Form       calendarForm
	Errors     map[string]string
}

// calendarAdmin lets administrators through; others get the sign-in page
// or 403.
func (w *Web) calendarAdmin(rw http.ResponseWriter, r *http.Request) bool {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return false
	}
	if !w.d.Svc.Calendar.CanEdit(p) {
		w.fail(rw, r, service.ErrForbidden)
		return false
	}
	return true
}

// calendarYear reads ?year= (or the form's year); absent means this year.
func (w *Web) calendarYear(r *http.Request) (int, bool) {
	s := r.FormValue("year")
	if s == "" {
		return time.Now().In(w.zone).Year(), true
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= service.CalendarMinYear && y <= service.CalendarMaxYear
}

func (w *Web) calendarPage(rw http.ResponseWriter, r *http.Request) {
	if !w.calendarAdmin(rw, r) {
		return
	}
	year, ok := w.calendarYear(r)
	if !ok {
		w.fail(rw, r, service.Invalid("year", service.MsgRange, service.CalendarMinYear, service.CalendarMaxYear))
		return
	}
	w.renderCalendar(rw, r, http.StatusOK, year, calendarForm{Kind: service.DecisionExtra}, nil)
}

func (w *Web) renderCalendar(rw http.ResponseWriter, r *http.Request, status, year int, f calendarForm, errs map[string]string) {
	ctx := r.Context()
	days, err := w.d.Svc.Calendar.Holidays(ctx, year)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ds, err := w.d.Svc.Calendar.Decisions(ctx, year)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := calendarData{Year: year, Prev: year - 1, Next: year + 1, Days: days, Decisions: ds, Kinds: service.DecisionKinds, Form: f, Errors: errs}
	if d.Prev < service.CalendarMinYear {
		d.Prev = 0
	}
	if d.Next > service.CalendarMaxYear {
		d.Next = 0
	}
	w.render(rw, r, status, "calendar", w.page(rw, r, "calendar.title", d))
}

func (w *Web) calendarAdd(rw http.ResponseWriter, r *http.Request) {
	if !w.calendarAdmin(rw, r) || !w.form(rw, r) {
		return
	}
	year, ok := w.calendarYear(r)
	if !ok {
		w.fail(rw, r, service.Invalid("year", service.MsgRange, service.CalendarMinYear, service.CalendarMaxYear))
		return
	}
	f := calendarForm{Kind: r.PostFormValue("kind"), From: r.PostFormValue("from"), To: r.PostFormValue("to"),
		Source: r.PostFormValue("source"), SourceURL: r.PostFormValue("source_url")}
	_, err := w.d.Svc.Calendar.AddDecision(r.Context(), server.PrincipalFrom(r.Context()), service.DecisionInput{
		Year: year, Kind: f.Kind, From: f.From, To: f.To, Source: f.Source, SourceURL: f.SourceURL})
	if inv, ok := service.AsInvalid(err); ok {
		w.renderCalendar(rw, r, http.StatusUnprocessableEntity, year, f, FieldMessages(server.LocaleFrom(r.Context()), inv))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/admin/calendar?"+url.Values{"year": {strconv.Itoa(year)}, "flash": {"calendar.added"}}.Encode(), http.StatusSeeOther)
}

func (w *Web) calendarDeleteConfirm(rw http.ResponseWriter, r *http.Request) {
	if !w.calendarAdmin(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	d, err := w.d.Svc.Calendar.Decision(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(r.Context())
	day := d.Day
	if day != "" {
		day = l.DateString(day)
	}
	w.render(rw, r, http.StatusOK, "confirm", w.page(rw, r, "calendar.delete_title", confirmData{
		Message: l.T("calendar.delete_confirm", l.T("calendar.decision."+d.Kind), day, d.Source),
		Action:  "/admin/calendar/decisions/" + strconv.FormatInt(id, 10) + "/delete",
		Button:  l.T("calendar.delete"),
		Cancel:  "/admin/calendar?year=" + strconv.Itoa(d.Year),
	}))
}

func (w *Web) calendarDelete(rw http.ResponseWriter, r *http.Request) {
	if !w.calendarAdmin(rw, r) || !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	d, err := w.d.Svc.Calendar.Decision(ctx, id)
	if err == nil {
		err = w.d.Svc.Calendar.DeleteDecision(ctx, server.PrincipalFrom(ctx), id)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/admin/calendar?"+url.Values{"year": {strconv.Itoa(d.Year)}, "flash": {"calendar.deleted"}}.Encode(), http.StatusSeeOther)
}
