package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

type userForm struct {
	Username, FullName, Email string
}

type usersData struct {
	Q      string
	Users  []account.User
	Pager  pager
	Form   userForm
	Errors map[string]string // field → message key
}

const usersPageSize = 50

func (w *Web) users(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) {
		return
	}
	w.usersPage(rw, r, http.StatusOK, userForm{}, nil)
}

func (w *Web) usersPage(rw http.ResponseWriter, r *http.Request, status int, f userForm, errs map[string]string) {
	d := usersData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Form: f, Errors: errs}
	_, total, err := w.d.Store.ListUsers(r.Context(), d.Q, 1, 0)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, usersPageSize)
	if d.Users, _, err = w.d.Store.ListUsers(r.Context(), d.Q, usersPageSize, d.Pager.Offset()); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "users", w.page(rw, r, "users.title", d))
}

// validateNewUser is shared by the HTML form and the command line.
func validateNewUser(f userForm, password string) map[string]string {
	errs := map[string]string{}
	if err := account.ValidUsername(f.Username); err != nil {
		errs["username"] = err.Error()
	}
	if f.FullName == "" {
		errs["full_name"] = "form.required"
	} else if utf8.RuneCountInString(f.FullName) > 200 {
		errs["full_name"] = "form.too_long"
	}
	if f.Email != "" {
		if _, err := mail.ParseAddress(f.Email); err != nil {
			errs["email"] = "form.invalid"
		}
	}
	if err := account.CheckPasswordStrength(password); err != nil {
		errs["password"] = err.Error()
	}
	return errs
}

func (w *Web) createUser(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) || !w.form(rw, r) {
		return
	}
	f := userForm{
		Username: strings.ToLower(strings.TrimSpace(r.PostFormValue("username"))),
		FullName: strings.TrimSpace(r.PostFormValue("full_name")),
		Email:    strings.TrimSpace(r.PostFormValue("email")),
	}
	pw := r.PostFormValue("password")
	if errs := validateNewUser(f, pw); len(errs) > 0 {
		w.usersPage(rw, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	u := account.User{Username: f.Username, FullName: f.FullName, Email: f.Email, PasswordHash: hash}
	if err := w.d.Store.CreateUser(r.Context(), actor(r), &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			w.usersPage(rw, r, http.StatusConflict, f, map[string]string{"username": "users.taken"})
			return
		}
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d?flash=users.created", u.ID), http.StatusSeeOther)
}

type userData struct {
	User   account.User
	Grants []store.Grant
	Roles  []authz.Role
	Units  []org.Unit
	Error  string
}

func (w *Web) user(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.userPage(rw, r, http.StatusOK, id, "")
}

func (w *Web) userPage(rw http.ResponseWriter, r *http.Request, status int, id int64, errKey string) {
	ctx := r.Context()
	u, err := w.d.Store.GetUser(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := userData{User: u, Roles: authz.AllRoles(), Error: errKey}
	if d.Grants, err = w.d.Store.UserGrants(ctx, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Units, err = w.d.Store.UnitsAt(ctx, today()); err != nil {
		w.fail(rw, r, err)
		return
	}
	p := w.page(rw, r, "users.title", d)
	p.Title = u.FullName
	w.render(rw, r, status, "user", p)
}

func (w *Web) grant(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	role, err := authz.ParseRole(r.PostFormValue("role"))
	if err != nil {
		w.userPage(rw, r, http.StatusUnprocessableEntity, id, "users.bad_role")
		return
	}
	unitID, err := strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	if err != nil {
		w.userPage(rw, r, http.StatusUnprocessableEntity, id, "users.bad_unit")
		return
	}
	if _, err := w.d.Store.GetUnit(ctx, unitID); err != nil {
		w.userPage(rw, r, http.StatusUnprocessableEntity, id, "users.bad_unit")
		return
	}
	if _, err := w.d.Store.GetUser(ctx, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	t, err := w.d.Target(ctx, unitID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !authz.CanGrant(server.PrincipalFrom(ctx).Grants, role, t) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	if err := w.d.Store.AddGrant(ctx, actor(r), id, role, unitID); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d?flash=users.granted", id), http.StatusSeeOther)
}

// revokeConfirm asks before removing a role: a destructive action gets its
// own page, so it works without JavaScript.
func (w *Web) revokeConfirm(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	g, err := w.d.Store.GetGrant(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "revoke", w.page(rw, r, "users.revoke_title", struct{ Grant store.Grant }{g}))
}

func (w *Web) revoke(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	g, err := w.d.Store.GetGrant(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	t, err := w.d.Target(ctx, g.UnitID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !authz.CanGrant(server.PrincipalFrom(ctx).Grants, g.Role, t) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	if _, err := w.d.Store.RevokeGrant(ctx, actor(r), id); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d?flash=users.revoked", g.UserID), http.StatusSeeOther)
}

type auditData struct {
	F         store.AuditFilter
	Entries   []audit.Entry
	Entities  []string
	Pager     pager
	Verified  bool
	VerifyURL string
	VerifyOK  bool
	VerifyMsg string
}

const auditPageSize = 50

func (w *Web) auditLog(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionAuditRead, 0) {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	f := store.AuditFilter{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")), Entity: q.Get("entity"), EntityID: strings.TrimSpace(q.Get("entity_id")), Limit: 1}
	entities, err := w.d.Store.AuditEntities(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := auditData{F: f, Entities: entities, Verified: q.Get("verify") != ""}
	_, total, err := w.d.Store.ListAudit(ctx, f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, auditPageSize)
	d.VerifyURL = "/admin/audit?verify=1"
	f.Limit, f.Offset = auditPageSize, d.Pager.Offset()
	if d.Entries, _, err = w.d.Store.ListAudit(ctx, f); err != nil {
		w.fail(rw, r, err)
		return
	}
	if !d.Verified {
		// Walking the whole chain costs time on a long log: only on request.
		w.render(rw, r, http.StatusOK, "audit", w.page(rw, r, "audit.title", d))
		return
	}
	l := server.LocaleFrom(ctx)
	n, verr := w.d.Store.VerifyAudit(ctx)
	var be *audit.BrokenError
	switch {
	case verr == nil:
		d.VerifyOK, d.VerifyMsg = true, l.T("audit.verify_ok", n)
	case errors.As(verr, &be):
		d.VerifyMsg = l.T("audit.verify_broken", be.ID)
	default:
		w.fail(rw, r, verr)
		return
	}
	w.render(rw, r, http.StatusOK, "audit", w.page(rw, r, "audit.title", d))
}

// prettyJSON shows an audit before/after value compactly.
func prettyJSON(s string) string {
	if s == "" {
		return "—"
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}
