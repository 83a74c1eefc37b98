package web

import (
	"net/http"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// setPosition saves the signed-in user's position (chức vụ), which the
// signature blocks of their documents print.
func (w *Web) setPosition(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return
	}
	if !w.form(rw, r) {
		return
	}
	pos := r.PostFormValue("position")
	err := w.d.Svc.Accounts.SetPosition(r.Context(), p, p.User.ID, pos)
	if inv, ok := service.AsInvalid(err); ok {
		w.renderAccount(rw, r, http.StatusUnprocessableEntity, accountData{PosError: inv.Fields[0].Text(server.LocaleFrom(r.Context())), Position: pos})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/account?flash=documents.position_saved", http.StatusSeeOther)
}
