package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

type userForm struct {
	Username, FullName, Email, Position string
}

type usersData struct {
	Q      string
	Users  []service.User
	Pager  pager
	Form   userForm
	Errors map[string]string // field → translated message
}

const usersPageSize = 50

func (w *Web) users(rw http.ResponseWriter, r *http.Request) {
	w.usersPage(rw, r, http.StatusOK, userForm{}, nil)
}

func (w *Web) usersPage(rw http.ResponseWriter, r *http.Request, status int, f userForm, errs map[string]string) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	acc := w.d.Svc.Accounts
	d := usersData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Form: f, Errors: errs}
	_, total, err := acc.ListUsers(ctx, p, d.Q, 1, 0)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, usersPageSize)
	if d.Users, _, err = acc.ListUsers(ctx, p, d.Q, usersPageSize, d.Pager.Offset()); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "users", w.page(rw, r, "users.title", d))
}

func (w *Web) createUser(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	in := service.NewUser{
		Username: r.PostFormValue("username"),
		FullName: r.PostFormValue("full_name"),
		Email:    r.PostFormValue("email"),
		Password: r.PostFormValue("password"),
		Position: r.PostFormValue("position"),
	}
	u, err := w.d.Svc.Accounts.CreateUser(ctx, server.PrincipalFrom(ctx), in)
	f := userForm{Username: strings.ToLower(strings.TrimSpace(in.Username)), FullName: strings.TrimSpace(in.FullName), Email: strings.TrimSpace(in.Email), Position: strings.TrimSpace(in.Position)}
	l := server.LocaleFrom(ctx)
	if inv, ok := service.AsInvalid(err); ok {
		w.usersPage(rw, r, http.StatusUnprocessableEntity, f, FieldMessages(l, inv))
		return
	}
	if errors.Is(err, service.ErrUserExists) {
		w.usersPage(rw, r, http.StatusConflict, f, map[string]string{"username": l.T("users.taken")})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d?flash=users.created", u.ID), http.StatusSeeOther)
}

type userData struct {
	User    service.User
	Grants  []service.Grant
	Roles   []authz.Role
	Units   []org.Unit
	Error   string            // message key
	PwError map[string]string // field → translated message
}

func (w *Web) user(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.userPage(rw, r, http.StatusOK, id, userData{})
}

func (w *Web) userPage(rw http.ResponseWriter, r *http.Request, status int, id int64, d userData) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	acc := w.d.Svc.Accounts
	if !w.require(rw, r, authz.ActionUserManage, 0) {
		return
	}
	u, err := acc.GetUser(ctx, p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.User, d.Roles = u, authz.AllRoles()
	if d.Grants, err = acc.UserGrants(ctx, p, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Units = acc.GrantableUnits(p, acc.Today())
	pg := w.page(rw, r, "users.title", d)
	pg.Title = u.FullName
	w.render(rw, r, status, "user", pg)
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
	unitID, err := strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	if err != nil {
		unitID = -1
	}
	_, _, err = w.d.Svc.Accounts.Grant(ctx, server.PrincipalFrom(ctx), service.GrantInput{UserID: id, Role: r.PostFormValue("role"), UnitID: unitID})
	if inv, ok := service.AsInvalid(err); ok {
		w.userPage(rw, r, http.StatusUnprocessableEntity, id, userData{Error: inv.Fields[0].Key})
		return
	}
	if err != nil {
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
	g, err := w.d.Svc.Accounts.GetGrant(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "revoke", w.page(rw, r, "users.revoke_title", struct{ Grant service.Grant }{g}))
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
	g, err := w.d.Svc.Accounts.Revoke(ctx, server.PrincipalFrom(ctx), id)
	if errors.Is(err, service.ErrLastAdmin) {
		w.errorDetail(rw, r, http.StatusConflict, "users.last_admin")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d?flash=users.revoked", g.UserID), http.StatusSeeOther)
}

// disableConfirm asks before disabling (or enabling) an account.
func (w *Web) disableConfirm(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) {
		return
	}
	ctx := r.Context()
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	u, err := w.d.Svc.Accounts.GetUser(ctx, server.PrincipalFrom(ctx), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(ctx)
	d := confirmData{Action: fmt.Sprintf("/admin/users/%d/disable", u.ID), Cancel: fmt.Sprintf("/admin/users/%d", u.ID)}
	title := "users.disable_title"
	if u.Disabled {
		title, d.Message, d.Button = "users.enable_title", l.T("users.enable_confirm", u.Username), l.T("users.enable")
	} else {
		d.Message, d.Button = l.T("users.disable_confirm", u.Username), l.T("users.disable")
	}
	w.render(rw, r, http.StatusOK, "confirm", w.page(rw, r, title, d))
}

// setDisabled disables an enabled account or enables a disabled one.
func (w *Web) setDisabled(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	acc := w.d.Svc.Accounts
	u, err := acc.GetUser(ctx, p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	err = acc.SetDisabled(ctx, p, id, !u.Disabled)
	if errors.Is(err, service.ErrLastAdmin) {
		w.errorDetail(rw, r, http.StatusConflict, "users.last_admin")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	flash := "users.disabled_done"
	if u.Disabled {
		flash = "users.enabled_done"
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d?flash=%s", id, flash), http.StatusSeeOther)
}

// resetPassword sets another user's password; their sessions end and their
// tokens are revoked.
func (w *Web) resetPassword(rw http.ResponseWriter, r *http.Request) {
	if !w.require(rw, r, authz.ActionUserManage, 0) || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	err := w.d.Svc.Accounts.ResetPassword(ctx, server.PrincipalFrom(ctx), id, r.PostFormValue("password"))
	if inv, ok := service.AsInvalid(err); ok {
		w.userPage(rw, r, http.StatusUnprocessableEntity, id, userData{PwError: FieldMessages(server.LocaleFrom(ctx), inv)})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d?flash=users.password_reset", id), http.StatusSeeOther)
}

type auditData struct {
	F         service.AuditFilter
	Entries   []service.AuditEntry
	Entities  []string
	Pager     pager
	Verified  bool
	VerifyURL string
	VerifyOK  bool
	VerifyMsg string
}

const auditPageSize = 50

func (w *Web) auditLog(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	acc := w.d.Svc.Accounts
	q := r.URL.Query()
	f := service.AuditFilter{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")), Entity: q.Get("entity"), EntityID: strings.TrimSpace(q.Get("entity_id")), Limit: 1}
	entities, err := acc.AuditEntities(ctx, p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := auditData{F: f, Entities: entities, Verified: q.Get("verify") != ""}
	_, total, err := acc.AuditLog(ctx, p, f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, auditPageSize)
	d.VerifyURL = "/admin/audit?verify=1"
	f.Limit, f.Offset = auditPageSize, d.Pager.Offset()
	if d.Entries, _, err = acc.AuditLog(ctx, p, f); err != nil {
		w.fail(rw, r, err)
		return
	}
	if !d.Verified {
		// Walking the whole chain costs time on a long log: only on request.
		w.render(rw, r, http.StatusOK, "audit", w.page(rw, r, "audit.title", d))
		return
	}
	l := server.LocaleFrom(ctx)
	v, verr := acc.CheckAudit(ctx, p)
	if verr != nil {
		w.fail(rw, r, verr)
		return
	}
	var be *service.BrokenChainError
	switch {
	case v.Finished.IsZero():
		d.VerifyMsg = l.T("audit.verify_running")
	case v.Err == nil && v.Running:
		d.VerifyOK, d.VerifyMsg = true, l.N("audit.verify_ok", v.Count)+" "+l.T("audit.verify_running")
	case v.Err == nil:
		d.VerifyOK, d.VerifyMsg = true, l.N("audit.verify_ok", v.Count)
	case errors.As(v.Err, &be):
		d.VerifyMsg = l.T("audit.verify_broken", be.ID)
	default:
		w.fail(rw, r, v.Err)
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
