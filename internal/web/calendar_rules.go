package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/legal"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// rulesForm is the add-version form as typed.
type rulesForm struct {
	Key, Name, Days, RemoteDays, EffectiveFrom, Basis string
	WorkingDays                                       bool
}

type rulesData struct {
	On     string
	Rules  []legal.Rule
	Keys   []string
	Form   rulesForm
	Errors map[string]string
}

// rulesOn reads ?on= (YYYY-MM-DD); absent means today.
func (w *Web) rulesOn(r *http.Request) (calendar.Date, bool) {
	s := r.URL.Query().Get("on")
	if s == "" {
		return calendar.DateOf(w.d.Svc.Deadlines.Now().In(w.zone)), true
	}
	d, err := calendar.ParseDate(s)
	return d, err == nil && d.Year() >= service.CalendarMinYear && d.Year() <= service.CalendarMaxYear
}

func (w *Web) rulesPage(rw http.ResponseWriter, r *http.Request) {
	if !w.calendarAdmin(rw, r) {
		return
	}
	on, ok := w.rulesOn(r)
	if !ok {
		w.fail(rw, r, service.Invalid("on", service.MsgBadDate))
		return
	}
	w.renderRules(rw, r, http.StatusOK, on, rulesForm{}, nil)
}

func (w *Web) renderRules(rw http.ResponseWriter, r *http.Request, status int, on calendar.Date, f rulesForm, errs map[string]string) {
	rules, err := w.d.Svc.Deadlines.Rules(r.Context(), on)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	keys := make([]string, 0, len(rules))
	for _, x := range rules {
		keys = append(keys, x.Key)
	}
	w.render(rw, r, status, "calendar_rules", w.page(rw, r, "deadlines.title", rulesData{On: on.String(), Rules: rules, Keys: keys, Form: f, Errors: errs}))
}

// ruleDays reads a number of days typed in a form; anything else is -1, which
// the service refuses with a range message.
func ruleDays(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func (w *Web) rulesAdd(rw http.ResponseWriter, r *http.Request) {
	if !w.calendarAdmin(rw, r) || !w.form(rw, r) {
		return
	}
	f := rulesForm{Key: r.PostFormValue("key"), Name: r.PostFormValue("name"), Days: r.PostFormValue("days"),
		RemoteDays: r.PostFormValue("remote_days"), EffectiveFrom: r.PostFormValue("effective_from"),
		Basis: r.PostFormValue("basis"), WorkingDays: r.PostFormValue("working_days") == "1"}
	_, err := w.d.Svc.Deadlines.AddVersion(r.Context(), server.PrincipalFrom(r.Context()), service.RuleInput{
		Key: strings.TrimSpace(f.Key), Name: f.Name, Days: ruleDays(f.Days), WorkingDays: f.WorkingDays,
		RemoteDays: ruleDays(f.RemoteDays), EffectiveFrom: f.EffectiveFrom, Basis: f.Basis})
	if inv, ok := service.AsInvalid(err); ok {
		on, _ := w.rulesOn(r)
		w.renderRules(rw, r, http.StatusUnprocessableEntity, on, f, FieldMessages(server.LocaleFrom(r.Context()), inv))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/admin/calendar/rules?"+url.Values{"flash": {"deadlines.added"}}.Encode(), http.StatusSeeOther)
}
