package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
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
	// Position (chức vụ) is printed in the signature block of the documents
	// the user signs.
	Position string `json:"position"`
}

// GrantCreate is the body of POST /users/{id}/grants.
type GrantCreate struct {
	Role   string `json:"role"`
	UnitID int64  `json:"unit_id"`
}

// Token is an API token as its owner sees it: never the secret.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	Active     bool       `json:"active"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (a *api) tokenOf(t service.Token) Token {
	return Token{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: optTime(t.ExpiresAt), LastUsedAt: optTime(t.LastUsedAt),
		RevokedAt: optTime(t.RevokedAt), Active: t.Active(a.d.Svc.Accounts.Now())}
}

func (a *api) userOf(u service.User) User {
	return User{ID: u.ID, Username: u.Username, FullName: u.FullName, Email: u.Email, Locale: u.Locale,
		Disabled: u.Disabled, Locked: u.LockedUntil.After(a.d.Svc.Accounts.Now()), CreatedAt: u.CreatedAt}
}

func grantsOf(gs []service.Grant) []Grant {
	out := make([]Grant, len(gs))
	for i, g := range gs {
		out[i] = grantOf(g)
	}
	return out
}

func grantOf(g service.Grant) Grant {
	return Grant{ID: g.ID, UserID: g.UserID, Username: g.Username, Role: g.Role, UnitID: g.UnitID, UnitName: g.UnitName, CreatedAt: g.Created}
}

// me: GET /me.
func (a *api) me(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	gs, err := a.d.Svc.Accounts.UserGrants(r.Context(), p, p.User.ID)
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
	q := r.URL.Query()
	search, err := textParam(q, "q", 100)
	if err != nil {
		return err
	}
	pg, err := pageParams(q, false)
	if err != nil {
		return err
	}
	us, total, err := a.d.Svc.Accounts.ListUsers(r.Context(), server.PrincipalFrom(r.Context()), search, pg.Limit, pg.Offset)
	if err != nil {
		return err
	}
	items := make([]User, len(us))
	for i, u := range us {
		items[i] = a.userOf(u)
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, pg))
}

func userExists() *problem {
	return newProblem(http.StatusConflict, kindConflict, detailUserExists, fieldErr{field: "username", msg: detailUserExists})
}

func lastAdmin() *problem { return newProblem(http.StatusConflict, kindConflict, detailLastAdmin) }

// createUser: POST /users (user.manage).
func (a *api) createUser(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	var body UserCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	u, err := a.d.Svc.Accounts.CreateUser(r.Context(), p, service.NewUser{Username: body.Username, FullName: body.FullName, Email: body.Email, Password: body.Password, Locale: body.Locale, Position: body.Position})
	if errors.Is(err, service.ErrUserExists) {
		return userExists()
	}
	if err != nil {
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
	u, err := a.d.Svc.Accounts.GetUser(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.userOf(u))
}

// setDisabled: POST /users/{id}/disable and /users/{id}/enable
// (user.manage). Disabling ends the user's sessions and revokes their API
// tokens; the last enabled administrator cannot be disabled (409).
func (a *api) setDisabled(disabled bool) handlerFunc {
	return func(a *api, w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ctx := r.Context()
		p := server.PrincipalFrom(ctx)
		err = a.d.Svc.Accounts.SetDisabled(ctx, p, id, disabled)
		if errors.Is(err, service.ErrLastAdmin) {
			return lastAdmin()
		}
		if err != nil {
			return err
		}
		u, err := a.d.Svc.Accounts.GetUser(ctx, p, id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, a.userOf(u))
	}
}

func (a *api) disableUser(w http.ResponseWriter, r *http.Request) error {
	return a.setDisabled(true)(a, w, r)
}

func (a *api) enableUser(w http.ResponseWriter, r *http.Request) error {
	return a.setDisabled(false)(a, w, r)
}

// listGrants: GET /users/{id}/grants. Oneself and administrators see every
// grant; someone who may grant roles sees the grants within their reach (an
// unknown id looks like a user without any); anyone else is refused.
func (a *api) listGrants(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	gs, err := a.d.Svc.Accounts.UserGrants(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	items := grantsOf(gs)
	return writeJSON(w, http.StatusOK, newPage(a, r, items, len(items), page{All: true}))
}

// createGrant: POST /users/{id}/grants — authz.CanGrant on the target unit.
// Granting a role the user already holds there answers 200 with that grant.
func (a *api) createGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body GrantCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	g, created, err := a.d.Svc.Accounts.Grant(r.Context(), server.PrincipalFrom(r.Context()), service.GrantInput{UserID: id, Role: body.Role, UnitID: body.UnitID})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return writeJSON(w, status, grantOf(g))
}

// deleteGrant: DELETE /grants/{id} — authz.CanGrant on the grant's unit and
// role. The installation's last administrator grant cannot be revoked.
func (a *api) deleteGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = a.d.Svc.Accounts.Revoke(r.Context(), server.PrincipalFrom(r.Context()), id)
	if errors.Is(err, service.ErrLastAdmin) {
		return lastAdmin()
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// myTokens: GET /me/tokens — the caller's API tokens, newest first.
func (a *api) myTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := a.d.Svc.Accounts.Tokens(r.Context(), server.PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	items := make([]Token, len(ts))
	for i, t := range ts {
		items[i] = a.tokenOf(t)
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, len(items), page{All: true}))
}

// revokeMyToken: DELETE /me/tokens/{id} — revokes one of the caller's own
// tokens; anyone else's is 404. It answers 401 from the next request on.
func (a *api) revokeMyToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	ts, err := a.d.Svc.Accounts.Tokens(ctx, p)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ts, func(t service.Token) bool { return t.ID == id }) {
		return errNotFound()
	}
	if err := a.d.Svc.Accounts.RevokeToken(ctx, p, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
