package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

type accountData struct {
	Grants   []service.Grant
	Tokens   []service.Token
	PwError  string
	TokError map[string]string
	NewToken string
	Now      time.Time
	Notices  noticeSection
	// Position is the user's position (chức vụ), printed in signature
	// blocks; PosError the translated message about it.
	Position string
	PosError string
}

func (w *Web) accountPage(rw http.ResponseWriter, r *http.Request) {
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return
	}
	w.renderAccount(rw, r, http.StatusOK, accountData{})
}

func (w *Web) renderAccount(rw http.ResponseWriter, r *http.Request, status int, d accountData) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	acc := w.d.Svc.Accounts
	var err error
	if d.Grants, err = acc.UserGrants(ctx, p, p.User.ID); err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Tokens, err = acc.Tokens(ctx, p); err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Now = acc.Now()
	d.Notices = w.noticeSection(ctx, p)
	if d.PosError == "" {
		if d.Position, err = acc.Position(ctx, p, p.User.ID); err != nil {
			w.fail(rw, r, err)
			return
		}
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
	err := w.d.Svc.Accounts.ChangePassword(r.Context(), p, r.PostFormValue("current"), r.PostFormValue("new"))
	if inv, ok := service.AsInvalid(err); ok {
		w.renderAccount(rw, r, http.StatusUnprocessableEntity, accountData{PwError: inv.Fields[0].Key})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// This session stays signed in; every other one ended.
	http.Redirect(rw, r, "/account?flash=account.password_changed", http.StatusSeeOther)
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
	in := service.NewToken{Name: r.PostFormValue("name")}
	if s := strings.TrimSpace(r.PostFormValue("days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n == 0 {
			n = -1
		}
		in.Days = n
	}
	tok, _, err := w.d.Svc.Accounts.CreateToken(r.Context(), p, in)
	if inv, ok := service.AsInvalid(err); ok {
		w.renderAccount(rw, r, http.StatusUnprocessableEntity, accountData{TokError: FieldMessages(server.LocaleFrom(r.Context()), inv)})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// Shown once; only its hash is kept.
	w.renderAccount(rw, r, http.StatusOK, accountData{NewToken: tok})
}

// confirmData is a page that asks before a destructive action: it works
// without JavaScript.
type confirmData struct {
	Message string // translated
	Action  string // where the form posts
	Button  string // translated
	Cancel  string
}

// tokenOf finds one of the principal's own tokens.
func (w *Web) tokenOf(rw http.ResponseWriter, r *http.Request) (service.Token, bool) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return service.Token{}, false
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return service.Token{}, false
	}
	ts, err := w.d.Svc.Accounts.Tokens(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return service.Token{}, false
	}
	for _, t := range ts {
		if t.ID == id {
			return t, true
		}
	}
	w.errorPage(rw, r, http.StatusNotFound)
	return service.Token{}, false
}

func (w *Web) revokeTokenConfirm(rw http.ResponseWriter, r *http.Request) {
	t, ok := w.tokenOf(rw, r)
	if !ok {
		return
	}
	l := server.LocaleFrom(r.Context())
	w.render(rw, r, http.StatusOK, "confirm", w.page(rw, r, "account.token_revoke_title", confirmData{
		Message: l.T("account.token_revoke_confirm", t.Name),
		Action:  fmt.Sprintf("/account/tokens/%d/revoke", t.ID),
		Button:  l.T("account.token_revoke"),
		Cancel:  "/account",
	}))
}

func (w *Web) revokeToken(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, server.ErrUnauthenticated)
		return
	}
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	// Only one's own tokens here, administrators included.
	if _, ok := w.tokenOf(rw, r); !ok {
		return
	}
	if err := w.d.Svc.Accounts.RevokeToken(r.Context(), p, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/account?flash=account.token_revoked", http.StatusSeeOther)
}
