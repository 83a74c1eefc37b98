package web

import (
	"net/http"
	"strings"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

type accountData struct {
	Grants   []store.Grant
	PwError  string
	NewToken string
}

func (w *Web) accountPage(rw http.ResponseWriter, r *http.Request) {
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return
	}
	w.renderAccount(rw, r, http.StatusOK, accountData{})
}

func (w *Web) renderAccount(rw http.ResponseWriter, r *http.Request, status int, d accountData) {
	p := server.PrincipalFrom(r.Context())
	var err error
	if d.Grants, err = w.d.Store.UserGrants(r.Context(), p.User.ID); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "account", w.page(rw, r, "account.title", d))
}

func (w *Web) changePassword(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return
	}
	if !w.form(rw, r) {
		return
	}
	if !account.CheckPassword(p.User.PasswordHash, r.PostFormValue("current")) {
		w.renderAccount(rw, r, http.StatusUnprocessableEntity, accountData{PwError: "account.current_wrong"})
		return
	}
	pw := r.PostFormValue("new")
	if err := account.CheckPasswordStrength(pw); err != nil {
		w.renderAccount(rw, r, http.StatusUnprocessableEntity, accountData{PwError: err.Error()})
		return
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// SetPassword ends every session of the user, this one included: sign in again.
	if err := w.d.Store.SetPassword(r.Context(), actor(r), p.User.ID, hash); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.d.ClearSessionCookie(rw, r)
	http.Redirect(rw, r, "/signin?flash=account.password_changed", http.StatusSeeOther)
}

func (w *Web) createToken(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return
	}
	if !w.form(rw, r) {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len(name) > 100 {
		w.renderAccount(rw, r, http.StatusUnprocessableEntity, accountData{})
		return
	}
	tok, hash, err := account.NewToken("dvt_")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if _, err := w.d.Store.CreateToken(r.Context(), actor(r), p.User.ID, name, hash); err != nil {
		w.fail(rw, r, err)
		return
	}
	// Shown once; only its hash is kept.
	w.renderAccount(rw, r, http.StatusOK, accountData{NewToken: tok})
}
