package web

// Follow-up pages: notifications, formal urges (đôn đốc), and inspection and
// supervision plans. The use cases are service.FollowUp's; these handlers
// decode the form, call it and render.

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// followupFeature adds the template helpers of these pages to funcs and returns
// their routes; web.New calls it (see features.go).
func followupFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["fuPeriod"] = followup.PeriodLabel
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

// fuFormInt reads a number as typed; a malformed one becomes -1, which the
// service refuses as out of range.
func fuFormInt(r *http.Request, name string) int64 {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// fuUnitRefs turns units into selector options, indented by depth.
func fuUnitRefs(us []org.Unit) []service.UnitRef {
	out := make([]service.UnitRef, 0, len(us))
	for _, u := range us {
		out = append(out, service.UnitRef{ID: u.ID, Name: fuIndent(u.Depth, u.Name)})
	}
	return out
}

func fuIndent(depth int, name string) string { return strings.Repeat("\u00a0\u00a0", depth) + name }

// --- notifications ---

type notificationsData struct {
	Items  []service.Notification
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
	pageNo := intParam(r, "page", 1)
	list, err := w.d.Svc.FollowUp.Notifications(ctx, p, d.Only, notificationsPageSize, (min(pageNo, 1<<20)-1)*notificationsPageSize)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, list.Total, notificationsPageSize)
	if d.Pager.Page != pageNo {
		if list, err = w.d.Svc.FollowUp.Notifications(ctx, p, d.Only, notificationsPageSize, d.Pager.Offset()); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	d.Items, d.Unread = list.Items, list.Unread
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
	n, err := w.d.Svc.FollowUp.MarkRead(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	next := fuNext(r.PostFormValue("next"), "/notifications")
	if r.PostFormValue("open") == "1" && n.Link != "" {
		next = fuNext(n.Link, next)
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

func (w *Web) notificationsReadAll(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	if _, err := w.d.Svc.FollowUp.MarkAllRead(r.Context(), p); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/notifications?flash=followup.notifications.all_read", http.StatusSeeOther)
}

// --- urges ---

// urgeForm is the urge form as typed, shown again on a validation error.
type urgeForm struct {
	UnitID       int64
	TemplateID   int64
	ReportID     int64
	PeriodType   string
	PeriodYear   int64
	PeriodNumber int64
	Message      string
	Next         string
}

type urgesData struct {
	Items   []service.Urge
	Pager   pager
	CanSend bool
	Units   []service.UnitRef
	Form    urgeForm
	Errors  map[string]string
}

const urgesPageSize = 20

func (w *Web) urges(rw http.ResponseWriter, r *http.Request) {
	if w.fuPrincipal(rw, r) == nil {
		return
	}
	w.urgesPage(rw, r, http.StatusOK, urgeForm{}, nil)
}

func (w *Web) urgesPage(rw http.ResponseWriter, r *http.Request, status int, f urgeForm, errs map[string]string) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	d := urgesData{Form: f, Errors: errs}
	pageNo := intParam(r, "page", 1)
	items, total, err := w.d.Svc.FollowUp.Urges(ctx, p, 0, urgesPageSize, (min(pageNo, 1<<20)-1)*urgesPageSize)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, urgesPageSize)
	if d.Pager.Page != pageNo {
		if items, _, err = w.d.Svc.FollowUp.Urges(ctx, p, 0, urgesPageSize, d.Pager.Offset()); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	d.Items = items
	d.Units = fuUnitRefs(w.d.Svc.FollowUp.UnitChoices(p, authz.ActionUrgeSend))
	d.CanSend = len(d.Units) > 0
	w.render(rw, r, status, "followup_urges", w.page(rw, r, "followup.urges.title", d))
}

func (w *Web) createUrge(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	f := urgeForm{
		UnitID: fuFormID(r, "unit_id"), TemplateID: fuFormID(r, "template_id"), ReportID: fuFormID(r, "report_id"),
		PeriodType: strings.TrimSpace(r.PostFormValue("period_type")), PeriodYear: fuFormInt(r, "period_year"), PeriodNumber: fuFormInt(r, "period_number"),
		Message: r.PostFormValue("message"), Next: fuNext(r.PostFormValue("next"), ""),
	}
	u, err := w.d.Svc.FollowUp.SendUrge(r.Context(), p, service.UrgeInput{UnitID: f.UnitID, TemplateID: f.TemplateID, ReportID: f.ReportID,
		PeriodType: f.PeriodType, PeriodYear: f.PeriodYear, PeriodNumber: f.PeriodNumber, Message: f.Message})
	var inv *service.InvalidError
	if errors.As(err, &inv) {
		// The form again, with what was typed and a message per field.
		w.urgesPage(rw, r, http.StatusUnprocessableEntity, f, FieldMessages(server.LocaleFrom(r.Context()), inv))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	next := f.Next
	if next == "" {
		next = fuReferer(r)
	}
	if next == "" || strings.HasPrefix(next, "/urges") {
		next = fmt.Sprintf("/urges#urge-%d", u.ID)
	}
	http.Redirect(rw, r, fuFlash(next, "followup.urge.sent"), http.StatusSeeOther)
}
