package api

import (
	"errors"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

// User is an account as the API shows it: never the password hash.
type User struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	FullName  string    `json:"full_name"`
	Email     string    `json:"email"`
	Locale    string    `json:"locale"`
	Disabled  bool      `json:"disabled"`
	Locked    bool      `json:"locked"`
	CreatedAt time.Time `json:"created_at"`
}

// Grant is a role held on a unit.
type Grant struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Username  string     `json:"username"`
	Role      authz.Role `json:"role"`
	UnitID    int64      `json:"unit_id"`
	UnitName  string     `json:"unit_name"`
	CreatedAt time.Time  `json:"created_at"`
}

// Me is the signed-in principal.
type Me struct {
	User   User    `json:"user"`
	Grants []Grant `json:"grants"`
	Admin  bool    `json:"admin"`
	// Auth is "session" or "token".
	Auth string `json:"auth"`
	// CSRFToken must be sent as X-CSRF-Token with state-changing requests
	// made with the session cookie; null for bearer tokens.
	CSRFToken *string `json:"csrf_token"`
	Lang      string  `json:"lang"`
}

// UserCreate is the body of POST /users.
type UserCreate struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Locale   string `json:"locale"`
}

// GrantCreate is the body of POST /users/{id}/grants.
type GrantCreate struct {
	Role   string `json:"role"`
	UnitID int64  `json:"unit_id"`
}

func (a *api) userOf(u account.User) User {
	return User{ID: u.ID, Username: u.Username, FullName: u.FullName, Email: u.Email, Locale: u.Locale,
		Disabled: u.Disabled, Locked: u.LockedUntil.After(a.d.Store.Now()), CreatedAt: u.CreatedAt}
}

func grantsOf(gs []store.Grant) []Grant {
	out := make([]Grant, len(gs))
	for i, g := range gs {
		out[i] = Grant{ID: g.ID, UserID: g.UserID, Username: g.Username, Role: g.Role, UnitID: g.UnitID, UnitName: g.UnitName, CreatedAt: g.Created}
	}
	return out
}

// actor is who the audit log records for the request.
func actor(r *http.Request) audit.Actor {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		return audit.Actor{Name: "anonymous", IP: server.ClientIP(r)}
	}
	return audit.Actor{UserID: p.User.ID, Name: p.User.Username, IP: server.ClientIP(r)}
}

// isGranter reports whether the principal may grant some role somewhere.
func isGranter(p *server.Principal) bool {
	for _, g := range p.Grants {
		if authz.Can(p.Grants, authz.ActionRoleGrant, authz.Target{UnitID: g.UnitID}) {
			return true
		}
	}
	return false
}

// me: GET /me.
func (a *api) me(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	gs, err := a.d.Store.UserGrants(r.Context(), p.User.ID)
	if err != nil {
		return err
	}
	out := Me{User: a.userOf(p.User), Grants: grantsOf(gs), Admin: p.IsAdmin(), Auth: "token", Lang: a.locale(r).Lang()}
	if p.Session != nil {
		out.Auth = "session"
		out.CSRFToken = &p.Session.CSRF
	}
	return writeJSON(w, http.StatusOK, out)
}

// listUsers: GET /users?q= (user.manage).
func (a *api) listUsers(w http.ResponseWriter, r *http.Request) error {
	if !a.d.Can(r.Context(), authz.ActionUserManage, 0) {
		return errForbidden()
	}
	q := r.URL.Query()
	search, err := textParam(q, "q", 100)
	if err != nil {
		return err
	}
	pg, err := pageParams(q, false)
	if err != nil {
		return err
	}
	us, total, err := a.d.Store.ListUsers(r.Context(), search, pg.Limit, pg.Offset)
	if err != nil {
		return err
	}
	items := make([]User, len(us))
	for i, u := range us {
		items[i] = a.userOf(u)
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, pg))
}

// validate checks a new user's fields and normalises them.
func (b *UserCreate) validate() error {
	var v invalid
	b.Username = strings.TrimSpace(b.Username)
	b.FullName = strings.TrimSpace(b.FullName)
	b.Email = strings.TrimSpace(b.Email)
	switch {
	case b.Username == "":
		v.add("username", msgFieldRequired)
	case account.ValidUsername(b.Username) != nil:
		v.add("username", msgFieldUsername)
	}
	switch {
	case b.FullName == "":
		v.add("full_name", msgFieldRequired)
	case !cleanText(b.FullName):
		v.add("full_name", msgFieldBadChars)
	case utf8.RuneCountInString(b.FullName) > 200:
		v.add("full_name", msgFieldTooLong)
	}
	if b.Email != "" {
		addr, err := mail.ParseAddress(b.Email)
		if len(b.Email) > 254 || err != nil || addr.Name != "" || addr.Address != b.Email {
			v.add("email", msgFieldBadEmail)
		}
	}
	switch {
	case b.Password == "":
		v.add("password", msgFieldRequired)
	case !utf8.ValidString(b.Password) || strings.ContainsRune(b.Password, 0):
		v.add("password", msgFieldBadChars)
	default:
		switch account.CheckPasswordStrength(b.Password) {
		case nil:
		case account.ErrPasswordLong:
			v.add("password", msgFieldPwLong)
		default:
			v.add("password", msgFieldPwShort)
		}
	}
	switch b.Locale {
	case "", "vi", "en", "ja":
	default:
		v.add("locale", msgFieldBadLocale)
	}
	return v.err()
}

func userExists() *problem {
	return newProblem(http.StatusConflict, kindConflict, detailUserExists, fieldErr{field: "username", msg: detailUserExists})
}

// createUser: POST /users (user.manage).
func (a *api) createUser(w http.ResponseWriter, r *http.Request) error {
	if !a.d.Can(r.Context(), authz.ActionUserManage, 0) {
		return errForbidden()
	}
	var body UserCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := body.validate(); err != nil {
		return err
	}
	ctx := r.Context()
	// Refuse a taken name before paying for the password hash; the unique
	// index still decides races.
	if _, err := a.d.Store.UserByName(ctx, body.Username); err == nil {
		return userExists()
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	hash, err := account.HashPassword(body.Password)
	if err != nil {
		return err
	}
	u := account.User{Username: body.Username, FullName: body.FullName, Email: body.Email, Locale: body.Locale, PasswordHash: hash}
	if err := a.d.Store.CreateUser(ctx, actor(r), &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return userExists()
		}
		return err
	}
	w.Header().Set("Location", Prefix+"/users/"+strconv.FormatInt(u.ID, 10))
	return writeJSON(w, http.StatusCreated, a.userOf(u))
}

// getUser: GET /users/{id} (user.manage, or oneself).
func (a *api) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p := server.PrincipalFrom(r.Context())
	if p.User.ID != id && !a.d.Can(r.Context(), authz.ActionUserManage, 0) {
		return errForbidden()
	}
	u, err := a.d.Store.GetUser(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.userOf(u))
}

// listGrants: GET /users/{id}/grants. Oneself and administrators see every
// grant; someone who may grant roles sees the grants within their reach.
func (a *api) listGrants(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	all := p.User.ID == id || a.d.Can(ctx, authz.ActionUserManage, 0)
	if !all && !isGranter(p) {
		return errForbidden()
	}
	if _, err := a.d.Store.GetUser(ctx, id); err != nil {
		return err
	}
	gs, err := a.d.Store.UserGrants(ctx, id)
	if err != nil {
		return err
	}
	if !all {
		kept := gs[:0]
		for _, g := range gs {
			if a.d.Can(ctx, authz.ActionRoleGrant, g.UnitID) {
				kept = append(kept, g)
			}
		}
		gs = kept
	}
	items := grantsOf(gs)
	return writeJSON(w, http.StatusOK, newPage(a, r, items, len(items), page{All: true}))
}

// validate checks a grant request's fields.
func (b *GrantCreate) validate() error {
	var v invalid
	b.Role = strings.TrimSpace(b.Role)
	if b.Role == "" {
		v.add("role", msgFieldRequired)
	} else if _, err := authz.ParseRole(b.Role); err != nil {
		v.add("role", msgFieldBadRole)
	}
	if b.UnitID == 0 {
		v.add("unit_id", msgFieldRequired)
	} else if b.UnitID < 0 {
		v.add("unit_id", msgFieldBadInt)
	}
	return v.err()
}

// createGrant: POST /users/{id}/grants — authz.CanGrant on the target unit.
// Granting a role the user already holds there answers 200 with that grant.
func (a *api) createGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	if !isGranter(p) {
		return errForbidden()
	}
	var body GrantCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := body.validate(); err != nil {
		return err
	}
	if _, err := a.d.Store.GetUser(ctx, id); err != nil {
		return err
	}
	target, err := a.d.Target(ctx, body.UnitID)
	if errors.Is(err, store.ErrNotFound) {
		return invalid{{field: "unit_id", msg: msgFieldNoUnit}}.err()
	}
	if err != nil {
		return err
	}
	role := authz.Role(body.Role)
	if !authz.CanGrant(p.Grants, role, target) {
		return errForbidden()
	}
	find := func() (*Grant, error) {
		gs, err := a.d.Store.UserGrants(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, g := range grantsOf(gs) {
			if g.Role == role && g.UnitID == body.UnitID {
				return &g, nil
			}
		}
		return nil, nil
	}
	if g, err := find(); err != nil || g != nil {
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, g)
	}
	if err := a.d.Store.AddGrant(ctx, actor(r), id, role, body.UnitID); err != nil {
		return err
	}
	g, err := find()
	if err != nil {
		return err
	}
	if g == nil {
		return errors.New("grant vanished after insert")
	}
	return writeJSON(w, http.StatusCreated, g)
}

// deleteGrant: DELETE /grants/{id} — authz.CanGrant on the grant's unit and
// role. The installation's last administrator grant cannot be revoked.
func (a *api) deleteGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	if !isGranter(p) {
		return errForbidden()
	}
	g, err := a.d.Store.GetGrant(ctx, id)
	if err != nil {
		return err
	}
	target, err := a.d.Target(ctx, g.UnitID)
	if err != nil {
		return err
	}
	if !authz.CanGrant(p.Grants, g.Role, target) {
		return errForbidden()
	}
	if g.Role == authz.RoleAdmin {
		holder, err := a.d.Store.GetUser(ctx, g.UserID)
		if err != nil {
			return err
		}
		n, err := a.d.Store.CountRoleGrants(ctx, authz.RoleAdmin)
		if err != nil {
			return err
		}
		if !holder.Disabled && n <= 1 {
			return newProblem(http.StatusConflict, kindConflict, detailLastAdmin)
		}
	}
	if _, err := a.d.Store.RevokeGrant(ctx, actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
