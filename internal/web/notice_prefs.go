package web

// The account page's section "Nhận thông báo qua thư điện tử": one checkbox
// per kind of notice; the rule (which kinds, who may change what) is
// service.Notices.

import (
	"context"
	"html/template"
	"net/http"
	"slices"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// noticeSection is what the section shows: the person's choice, or the
// key of an error to show above it.
type noticeSection struct {
	Prefs []service.NoticePref
	Error string
}

func noticesFeature(template.FuncMap) func(w *Web, mux *http.ServeMux) {
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("POST /account/notices", w.saveNoticePrefs)
	}
}

// noticeSection loads p's choice for the account page.
func (w *Web) noticeSection(ctx context.Context, p *service.Principal) noticeSection {
	prefs, err := w.d.Svc.Notices.EmailPrefs(ctx, p, 0)
	if err != nil {
		w.d.Log.Error("notice prefs", "err", err)
		return noticeSection{Error: "notices.unavailable"}
	}
	return noticeSection{Prefs: prefs}
}

// saveNoticePrefs records the boxes ticked: a kind left unticked is not
// e-mailed.
func (w *Web) saveNoticePrefs(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return
	}
	if !w.form(rw, r) {
		return
	}
	ticked := r.PostForm["email"]
	prefs := make(map[string]bool, len(service.NoticeKinds))
	for _, k := range service.NoticeKinds {
		prefs[k] = slices.Contains(ticked, k)
	}
	if _, err := w.d.Svc.Notices.SetEmailPrefs(r.Context(), p, prefs); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/account?flash=notices.saved#notices-h", http.StatusSeeOther)
}
