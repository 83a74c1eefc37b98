package web

// Follow-up pages: notifications, formal urges (đôn đốc), and inspection and
// supervision plans. Rules are in internal/followup, storage in
// internal/store/followup.go.

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/jobs"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

// followupFeature adds the template helpers of these pages to funcs and returns
// their routes; web.New calls it (see features.go).
func followupFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["fuTime"] = func(l i18n.Locale, t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return l.DateTime(t.In(vietnam))
	}
	funcs["fuDate"] = followup.DateLabel
	funcs["fuPeriod"] = followup.PeriodLabel
	funcs["fuISO"] = func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /notifications", w.notifications)
		mux.HandleFunc("POST /notifications/read-all", w.notificationsReadAll)
		mux.HandleFunc("POST /notifications/{id}/read", w.notificationRead)
		mux.HandleFunc("GET /urges", w.urges)
		mux.HandleFunc("POST /urges", w.createUrge)
		mux.HandleFunc("GET /inspections", w.inspections)
		mux.HandleFunc("GET /inspections/new", w.inspectionNew)
		mux.HandleFunc("POST /inspections", w.createInspection)
		mux.HandleFunc("GET /inspections/{id}", w.inspection)
		mux.HandleFunc("POST /inspections/{id}/status", w.inspectionStatus)
		mux.HandleFunc("POST /inspections/{id}/findings", w.addFinding)
		mux.HandleFunc("POST /inspections/{id}/recommendations", w.addRecommendation)
		mux.HandleFunc("POST /recommendations/{id}/response", w.respondRecommendation)
	}
}

// fuPrincipal returns the principal, or sends the visitor to sign in.
func (w *Web) fuPrincipal(rw http.ResponseWriter, r *http.Request) *server.Principal {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
	}
	return p
}

// fuToday is today's date in Vietnam by the store's clock.
func (w *Web) fuToday() string { return jobs.Today(w.d.Store).String() }

// fuNext accepts only a local path for a redirect.
func fuNext(s, def string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return def
	}
	return s
}

// fuReferer returns the local page the form was posted from ("" when the
// Referer is absent or from elsewhere), so that a form on another page (the
// completeness list) comes back to it.
func fuReferer(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Path == "" || (u.Host != "" && u.Host != r.Host) {
		return ""
	}
	q := u.Query()
	q.Del("flash")
	out := u.Path
	if len(q) > 0 {
		out += "?" + q.Encode()
	}
	return fuNext(out, "")
}

// fuFlash adds ?flash=key to a local URL.
func fuFlash(u, key string) string {
	base, frag, _ := strings.Cut(u, "#")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	out := base + sep + "flash=" + url.QueryEscape(key)
	if frag != "" {
		out += "#" + frag
	}
	return out
}

func fuFormID(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func fuFormInt(r *http.Request, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// --- notifications ---

type notificationsData struct {
	Items  []store.Notification
	Unread int
	Only   bool
	Pager  pager
}

const notificationsPageSize = 20

func (w *Web) notifications(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return
	}
	ctx := r.Context()
	d := notificationsData{Only: r.URL.Query().Get("unread") == "1"}
	var err error
	if d.Unread, err = w.d.Store.UnreadCount(ctx, p.User.ID); err != nil {
		w.fail(rw, r, err)
		return
	}
	_, total, err := w.d.Store.ListNotifications(ctx, p.User.ID, d.Only, 1, 0)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, notificationsPageSize)
	if d.Items, _, err = w.d.Store.ListNotifications(ctx, p.User.ID, d.Only, notificationsPageSize, d.Pager.Offset()); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "followup_notifications", w.page(rw, r, "followup.notifications.title", d))
}

func (w *Web) notificationRead(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if err := w.d.Store.MarkNotificationRead(r.Context(), p.User.ID, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	next := fuNext(r.PostFormValue("next"), "/notifications")
	if r.PostFormValue("open") == "1" {
		n, err := w.d.Store.GetNotification(r.Context(), p.User.ID, id)
		if err == nil && n.Link != "" {
			next = fuNext(n.Link, next)
		}
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

func (w *Web) notificationsReadAll(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	if _, err := w.d.Store.MarkAllNotificationsRead(r.Context(), p.User.ID); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/notifications?flash=followup.notifications.all_read", http.StatusSeeOther)
}

// --- urges ---

type urgeForm struct {
	UnitID       int64
	TemplateID   int64
	ReportID     int64
	PeriodType   string
	PeriodYear   int
	PeriodNumber int
	Message      string
}

type urgesData struct {
	Items   []store.Urge
	Pager   pager
	CanSend bool
	Units   []store.UnitRef
	Form    urgeForm
	Errors  followup.Errors
}

const urgesPageSize = 20

func (w *Web) urges(rw http.ResponseWriter, r *http.Request) {
	if w.fuPrincipal(rw, r) == nil {
		return
	}
	w.urgesPage(rw, r, http.StatusOK, urgeForm{}, nil)
}

func (w *Web) urgesPage(rw http.ResponseWriter, r *http.Request, status int, f urgeForm, errs followup.Errors) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	all, roots := followup.ScopeRoots(p.Grants, authz.ActionReportRead)
	sc := store.Scope{All: all, Roots: roots}
	d := urgesData{Form: f, Errors: errs}
	_, total, err := w.d.Store.ListUrges(ctx, store.UrgeFilter{Scope: sc, Limit: 1})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, urgesPageSize)
	if d.Items, _, err = w.d.Store.ListUrges(ctx, store.UrgeFilter{Scope: sc, Limit: urgesPageSize, Offset: d.Pager.Offset()}); err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Units, err = w.fuUnitChoices(ctx, p, authz.ActionUrgeSend); err != nil {
		w.fail(rw, r, err)
		return
	}
	d.CanSend = len(d.Units) > 0
	w.render(rw, r, status, "followup_urges", w.page(rw, r, "followup.urges.title", d))
}

// fuUnitChoices lists the units valid today on which the principal may perform a.
func (w *Web) fuUnitChoices(ctx context.Context, p *server.Principal, a authz.Action) ([]store.UnitRef, error) {
	all, roots := followup.ScopeRoots(p.Grants, a)
	if !all && len(roots) == 0 {
		return nil, nil
	}
	us, err := w.d.Store.UnitsAt(ctx, w.fuToday())
	if err != nil {
		return nil, err
	}
	var out []store.UnitRef
	for _, u := range us {
		if all || w.d.Can(ctx, a, u.ID) {
			out = append(out, store.UnitRef{ID: u.ID, Name: fuIndent(u.Depth, u.Name)})
		}
	}
	return out, nil
}

func fuIndent(depth int, name string) string { return strings.Repeat("\u00a0\u00a0", depth) + name }

func (w *Web) createUrge(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	f := urgeForm{
		UnitID: fuFormID(r, "unit_id"), TemplateID: fuFormID(r, "template_id"), ReportID: fuFormID(r, "report_id"),
		PeriodType: strings.TrimSpace(r.PostFormValue("period_type")), PeriodYear: fuFormInt(r, "period_year"), PeriodNumber: fuFormInt(r, "period_number"),
		Message: strings.TrimSpace(r.PostFormValue("message")),
	}
	if f.ReportID != 0 {
		rs, err := w.d.Store.ReportStateOf(ctx, f.ReportID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		f.UnitID, f.TemplateID, f.PeriodType, f.PeriodYear, f.PeriodNumber = rs.UnitID, rs.TemplateID, rs.PeriodType, rs.PeriodYear, rs.PeriodNumber
	}
	if f.UnitID != 0 && !w.require(rw, r, authz.ActionUrgeSend, f.UnitID) {
		return
	}
	next := fuNext(r.PostFormValue("next"), fuReferer(r))
	errs := followup.CheckUrge(f.UnitID, f.Message)
	if len(errs) > 0 {
		if next != "" {
			http.Redirect(rw, r, fuFlash(next, "followup.urge.invalid"), http.StatusSeeOther)
			return
		}
		w.urgesPage(rw, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	u := store.Urge{UnitID: f.UnitID, TemplateID: f.TemplateID, ReportID: f.ReportID, PeriodType: f.PeriodType, PeriodYear: f.PeriodYear, PeriodNumber: f.PeriodNumber, Message: f.Message}
	if err := jobs.SendUrge(ctx, w.d.Store, w.d.Cfg, actor(r), fuActorName(p), &u); err != nil {
		w.fail(rw, r, err)
		return
	}
	if next == "" {
		next = fmt.Sprintf("/urges#urge-%d", u.ID)
	}
	http.Redirect(rw, r, fuFlash(next, "followup.urge.sent"), http.StatusSeeOther)
}

func fuActorName(p *server.Principal) string {
	if p.User.FullName != "" {
		return p.User.FullName
	}
	return p.User.Username
}
