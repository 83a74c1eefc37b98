package web

// Citizen reception by heads:
//
//	GET  /reception                      the schedule by month (?month=YYYY-MM&unit=ID), the
//	                                     frequency warnings, the form to plan a session
//	POST /reception                      plan a session
//	GET  /reception/{id}                 a session: its book, the forms to record a visit
//	                                     (which may open a case), the conclusion notice,
//	                                     mark held, edit
//	POST /reception/{id}                 edit; …/held, …/visits, …/conclusion the steps
//	GET  /reception/{id}/cancel          confirm cancelling (with the reason); POST cancels
//	GET  /lich-tiep-cong-dan             the public schedule of the coming weeks (?unit=ID)
//	GET  /reception.ics                  the public schedule as iCalendar (?unit=ID)
//
// The rules live in service.Reception; these handlers read forms and render.

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/ical"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func receptionFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// receptionForm is the argument of the "reception_fields" block: the
	// page, the id prefix, the units and positions offered, the values and
	// the messages.
	funcs["receptionForm"] = func(p Page, prefix string, units []org.Unit, positions []string, v, e map[string]string) map[string]any {
		return map[string]any{"P": p, "Prefix": prefix, "Units": units, "Positions": positions, "V": v, "E": e}
	}
	// receptionValues are a session's fields as the edit form's values, or
	// what was posted when the edit form comes back with messages.
	funcs["receptionValues"] = func(s service.ReceptionSession, f civicForm) map[string]string {
		if f.Which == "edit" {
			return f.Values
		}
		return map[string]string{"unit_id": strconv.FormatInt(s.UnitID, 10), "leader_name": s.LeaderName, "leader_position": s.LeaderPosition,
			"held_on": s.HeldOn, "start_time": s.StartTime, "end_time": s.EndTime, "place": s.Place, "note": s.Note}
	}
	// receptionErrs are the messages of a form when they belong to form which.
	funcs["receptionErrs"] = func(f civicForm, which string) map[string]string {
		if f.Which != which {
			return nil
		}
		return f.Errors
	}
	// receptionNone is an empty map, for a template variable assigned later.
	funcs["receptionNone"] = func() map[string]string { return nil }
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /reception", w.receptionPage)
		mux.HandleFunc("POST /reception", w.receptionCreate)
		mux.HandleFunc("GET /reception/{id}", w.receptionSession)
		mux.HandleFunc("POST /reception/{id}", w.receptionUpdate)
		mux.HandleFunc("POST /reception/{id}/held", w.receptionHeld)
		mux.HandleFunc("POST /reception/{id}/visits", w.receptionVisit)
		mux.HandleFunc("POST /reception/{id}/conclusion", w.receptionConclusion)
		mux.HandleFunc("GET /reception/{id}/cancel", w.receptionCancelConfirm)
		mux.HandleFunc("POST /reception/{id}/cancel", w.receptionCancel)
		mux.HandleFunc("GET /lich-tiep-cong-dan", w.receptionPublic)
		mux.HandleFunc("GET /reception.ics", w.receptionICS)
	}
}

// PublicReceptionPath is the public schedule's address.
const PublicReceptionPath = "/lich-tiep-cong-dan"

type receptionMonth struct {
	Month, Prev, Next string // YYYY-MM
	Year, MonthNum    int
}

type receptionData struct {
	M         receptionMonth
	UnitID    int64
	Units     []org.Unit // the filter
	Managed   []org.Unit // where the principal may plan
	Sessions  []service.PublicSession
	Total     int
	Page      int
	Warnings  []service.ReceptionWarning
	Positions []string
	Form      civicForm
}

// monthOf reads ?month=YYYY-MM, defaulting to today's month.
func monthOf(r *http.Request, today string) (receptionMonth, calendar.Date, calendar.Date, bool) {
	m := strings.TrimSpace(r.URL.Query().Get("month"))
	if m == "" {
		m = today[:7]
	}
	t, err := time.Parse("2006-01", m)
	if err != nil || t.Year() < 1900 || t.Year() > 2100 {
		return receptionMonth{}, calendar.Date{}, calendar.Date{}, false
	}
	first := calendar.NewDate(t.Year(), t.Month(), 1)
	last := calendar.NewDate(t.Year(), t.Month()+1, 1).AddDays(-1)
	return receptionMonth{Month: m, Year: t.Year(), MonthNum: int(t.Month()),
		Prev: t.AddDate(0, -1, 0).Format("2006-01"), Next: t.AddDate(0, 1, 0).Format("2006-01")}, first, last, true
}

func queryInt(r *http.Request, name string) (int64, bool) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

func (w *Web) receptionPage(rw http.ResponseWriter, r *http.Request) {
	w.renderReception(rw, r, http.StatusOK, civicForm{Values: map[string]string{"start_time": "07:30", "end_time": "11:30"}})
}

func (w *Web) renderReception(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	svc := w.d.Svc
	m, first, last, ok := monthOf(r, svc.Today())
	unit, okU := queryInt(r, "unit")
	page, okP := queryInt(r, "page")
	if !ok || !okU || !okP {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	page = max(page, 1)
	d := receptionData{M: m, UnitID: unit, Page: int(page), Units: svc.Tree.At(svc.Today()), Managed: svc.Reception.ManagedUnits(p),
		Positions: service.LeaderPositions, Form: f}
	var err error
	d.Sessions, d.Total, err = svc.Reception.Schedule(r.Context(), service.ScheduleFilter{UnitID: unit, From: first.String(), To: last.String(),
		Limit: service.MaxReceptionPage, Offset: (d.Page - 1) * service.MaxReceptionPage})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Warnings, err = svc.Reception.Warnings(r.Context(), p, unit, first.String(), last.String()); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "reception_list", w.page(rw, r, "reception.title", d))
}

func sessionInput(r *http.Request) service.SessionInput {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return service.SessionInput{UnitID: formID(r, "unit_id"), LeaderName: r.PostFormValue("leader_name"),
		LeaderPosition: r.PostFormValue("leader_position"), HeldOn: r.PostFormValue("held_on"), StartTime: r.PostFormValue("start_time"),
		EndTime: r.PostFormValue("end_time"), Place: r.PostFormValue("place"), Note: r.PostFormValue("note"), Version: v}
}

func (w *Web) receptionCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	s, err := w.d.Svc.Reception.Create(r.Context(), server.PrincipalFrom(r.Context()), sessionInput(r))
	if f := postedForm(r, "new"); f.invalid(r, err) {
		w.renderReception(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/reception/"+strconv.FormatInt(s.ID, 10)+"?flash=reception.saved", http.StatusSeeOther)
}

type receptionSessionData struct {
	S         service.ReceptionSession
	Units     []org.Unit
	Positions []string
	Kinds     []string
	Outcomes  []string
	Today     string
	Form      civicForm
}

func (w *Web) receptionSession(rw http.ResponseWriter, r *http.Request) {
	w.renderSession(rw, r, http.StatusOK, civicForm{})
}

func (w *Web) renderSession(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	s, err := w.d.Svc.Reception.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f.Values == nil {
		f.Values = map[string]string{"people": "1", "date": w.d.Svc.Today()}
	}
	d := receptionSessionData{S: s, Units: w.d.Svc.Reception.ManagedUnits(p), Positions: service.LeaderPositions,
		Kinds: service.VisitKinds, Outcomes: service.VisitOutcomes, Today: w.d.Svc.Today(), Form: f}
	w.render(rw, r, status, "reception_session", w.page(rw, r, "reception.session", d))
}

// receptionStep runs one write of the session page and redirects back, or
// shows the page again with the messages of form which.
func (w *Web) receptionStep(rw http.ResponseWriter, r *http.Request, which string, run func(p *service.Principal, id int64) (string, error)) {
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
		w.renderSession(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		var stale *service.StaleVersionError
		if errors.As(err, &stale) {
			w.errorDetail(rw, r, http.StatusConflict, "reception.stale")
			return
		}
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/reception/"+strconv.FormatInt(id, 10)+"?flash="+flash+"#"+which, http.StatusSeeOther)
}

func (w *Web) receptionUpdate(rw http.ResponseWriter, r *http.Request) {
	w.receptionStep(rw, r, "edit", func(p *service.Principal, id int64) (string, error) {
		_, err := w.d.Svc.Reception.Update(r.Context(), p, id, sessionInput(r))
		return "reception.saved", err
	})
}

func (w *Web) receptionHeld(rw http.ResponseWriter, r *http.Request) {
	w.receptionStep(rw, r, "held", func(p *service.Principal, id int64) (string, error) {
		v, _ := strconv.Atoi(r.PostFormValue("version"))
		_, err := w.d.Svc.Reception.MarkHeld(r.Context(), p, id, service.HeldInput{Version: v})
		return "reception.saved", err
	})
}

func (w *Web) receptionConclusion(rw http.ResponseWriter, r *http.Request) {
	w.receptionStep(rw, r, "conclusion", func(p *service.Principal, id int64) (string, error) {
		v, _ := strconv.Atoi(r.PostFormValue("version"))
		_, err := w.d.Svc.Reception.Conclude(r.Context(), p, id, service.ConclusionInput{Number: r.PostFormValue("number"),
			Date: r.PostFormValue("date"), Text: r.PostFormValue("text"), Version: v})
		return "reception.saved", err
	})
}

func (w *Web) receptionVisit(rw http.ResponseWriter, r *http.Request) {
	w.receptionStep(rw, r, "visits", func(p *service.Principal, id int64) (string, error) {
		people, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("people")))
		if err != nil {
			return "", service.Invalid("people", service.MsgRange, 1, service.MaxVisitPeople)
		}
		in := service.VisitInput{At: r.PostFormValue("at"), People: people, Delegation: r.PostFormValue("delegation") != "",
			Subject: r.PostFormValue("subject"), Kind: r.PostFormValue("kind"), Outcome: r.PostFormValue("outcome"),
			OutcomeNote: r.PostFormValue("outcome_note")}
		if in.Outcome == service.OutcomeCaseOpened {
			in.Case = &service.CaseInput{Description: r.PostFormValue("case.description"), Category: r.PostFormValue("case.category")}
			id := service.CaseIdentity{Name: strings.TrimSpace(r.PostFormValue("case.identity.name")),
				Address: strings.TrimSpace(r.PostFormValue("case.identity.address")), Phone: strings.TrimSpace(r.PostFormValue("case.identity.phone"))}
			if id != (service.CaseIdentity{}) {
				in.Case.Identity = &id
			}
		}
		v, err := w.d.Svc.Reception.AddVisit(r.Context(), p, id, in)
		if err == nil && v.Case != nil {
			return "reception.case_opened", nil
		}
		return "reception.visit_saved", err
	})
}

func (w *Web) receptionCancelConfirm(rw http.ResponseWriter, r *http.Request) {
	w.renderCancel(rw, r, http.StatusOK, civicForm{})
}

type receptionCancelData struct {
	S    service.ReceptionSession
	Form civicForm
}

func (w *Web) renderCancel(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	s, err := w.d.Svc.Reception.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "reception_cancel", w.page(rw, r, "reception.cancel_title", receptionCancelData{S: s, Form: f}))
}

func (w *Web) receptionCancel(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := w.d.Svc.Reception.Cancel(r.Context(), server.PrincipalFrom(r.Context()), id, service.CancelInput{Reason: r.PostFormValue("reason"), Version: v})
	if f := postedForm(r, "cancel"); f.invalid(r, err) {
		w.renderCancel(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		var stale *service.StaleVersionError
		if errors.As(err, &stale) {
			w.errorDetail(rw, r, http.StatusConflict, "reception.stale")
			return
		}
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/reception/"+strconv.FormatInt(id, 10)+"?flash=reception.cancelled", http.StatusSeeOther)
}

// PublicDays is how far ahead the public schedule looks.
const PublicDays = 60

type receptionUnitGroup struct {
	UnitName string
	Sessions []service.PublicSession
}

type receptionPublicData struct {
	UnitID  int64
	Units   []org.Unit
	Groups  []receptionUnitGroup
	From    string
	To      string
	ICS     string
	Manage  bool
	Omitted int
}

// receptionPublic lists the sessions of the coming weeks, by unit.
func (w *Web) receptionPublic(rw http.ResponseWriter, r *http.Request) {
	unit, ok := queryInt(r, "unit")
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	svc := w.d.Svc
	today := calendar.MustParseDate(svc.Today())
	to := today.AddDays(PublicDays)
	list, total, err := svc.Reception.Schedule(r.Context(), service.ScheduleFilter{UnitID: unit, From: today.String(), To: to.String(), Limit: service.MaxReceptionPage})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := receptionPublicData{UnitID: unit, From: today.String(), To: to.String(), ICS: "/reception.ics", Omitted: total - len(list)}
	if unit != 0 {
		d.ICS += "?unit=" + strconv.FormatInt(unit, 10)
	}
	for _, u := range svc.Tree.At(svc.Today()) {
		if svc.Reception.UnitLevel(u.ID) != "" {
			d.Units = append(d.Units, u)
		}
	}
	idx := map[string]int{}
	for _, s := range list {
		i, ok := idx[s.UnitName]
		if !ok {
			i = len(d.Groups)
			idx[s.UnitName] = i
			d.Groups = append(d.Groups, receptionUnitGroup{UnitName: s.UnitName})
		}
		d.Groups[i].Sessions = append(d.Groups[i].Sessions, s)
	}
	if p := server.PrincipalFrom(r.Context()); p != nil {
		d.Manage = len(svc.Reception.ManagedUnits(p)) > 0
	}
	w.render(rw, r, http.StatusOK, "reception_public", w.page(rw, r, "reception.public_title", d))
}

// receptionICS is the schedule from 30 days back to 180 days ahead as an
// iCalendar feed in Vietnamese; a cancelled session stays in it, cancelled.
func (w *Web) receptionICS(rw http.ResponseWriter, r *http.Request) {
	unit, ok := queryInt(r, "unit")
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	svc := w.d.Svc
	today := calendar.MustParseDate(svc.Today())
	f := service.ScheduleFilter{UnitID: unit, From: today.AddDays(-30).String(), To: today.AddDays(180).String(), Limit: service.MaxReceptionPage}
	// The feed is read by calendar programs, which send no language: Vietnamese.
	l := i18n.Default().For("vi")
	cal := ical.Calendar{ProdID: "-//danvan//reception//VI", Name: l.T("reception.public_title"), Zone: ical.Vietnam, Stamp: svc.Now()}
	base := strings.TrimSuffix(w.d.Cfg.BaseURL, "/")
	host := "danvan"
	if i := strings.Index(base, "://"); i >= 0 {
		host = strings.Trim(base[i+3:], "/")
	}
	for {
		list, total, err := svc.Reception.Schedule(r.Context(), f)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		for _, s := range list {
			day := calendar.MustParseDate(s.HeldOn)
			at := func(hm string) time.Time {
				t, _ := time.Parse("15:04", hm)
				return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
			}
			desc := l.T("reception.position."+s.LeaderPosition) + " " + s.LeaderName + " — " + s.UnitName
			if s.Note != "" {
				desc += "\n" + s.Note
			}
			if s.CancelReason != "" {
				desc += "\n" + l.T("reception.cancel_reason") + ": " + s.CancelReason
			}
			cal.Events = append(cal.Events, ical.Event{
				UID:   "reception-" + strconv.FormatInt(s.ID, 10) + "@" + host,
				Start: at(s.StartTime), End: at(s.EndTime),
				Summary:     l.T("reception.ics_summary", l.T("reception.position."+s.LeaderPosition), s.LeaderName, s.UnitName),
				Location:    s.Place,
				Description: desc,
				URL:         base + PublicReceptionPath + "?unit=" + strconv.FormatInt(s.UnitID, 10),
				Cancelled:   s.Status == service.SessionCancelled,
				Sequence:    s.Version - 1,
			})
		}
		f.Offset += len(list)
		if len(list) == 0 || f.Offset >= total {
			break
		}
	}
	rw.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	rw.Header().Set("Content-Disposition", `inline; filename="lich-tiep-cong-dan.ics"`)
	rw.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = rw.Write(cal.Bytes())
}
