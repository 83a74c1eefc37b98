package service

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Types the doors render, re-exported so that they need not import the store.
type (
	// User is an account (the password hash never leaves the service's doors).
	User = account.User
	// Grant is a role held on a unit, with names for display.
	Grant = store.Grant
	// Token is an API token as its owner sees it (never the secret).
	Token = store.Token
	// Session is a signed-in browser.
	Session = account.Session
	// AuditEntry is one entry of the audit log.
	AuditEntry = audit.Entry
	// AuditFilter selects audit entries.
	AuditFilter = store.AuditFilter
	// BrokenChainError says where the audit chain breaks.
	BrokenChainError = audit.BrokenError
)

// Account errors, each also one of the typed errors of the package.
var (
	// ErrSignInFailed: wrong user name or password, or a disabled account —
	// the same answer whichever it is. It is an [ErrUnauthenticated].
	ErrSignInFailed = fmt.Errorf("%w: wrong user name or password", ErrUnauthenticated)
	// ErrUserExists: the user name is taken. It is an [ErrConflict].
	ErrUserExists = fmt.Errorf("user name taken: %w", ErrConflict)
	// ErrLastAdmin: the change would leave no enabled administrator. It is
	// an [ErrConflict].
	ErrLastAdmin = store.ErrLastAdmin
)

// ThrottledError refuses a sign-in without checking the password: too many
// failures for the user name (Locked) or from the address, or too many
// password checks running at once. It is an [ErrTooMany]. Known and unknown
// user names are throttled alike.
type ThrottledError struct {
	Locked     bool
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string { return "sign-in throttled" }

// Is makes a ThrottledError an [ErrTooMany].
func (e *ThrottledError) Is(target error) bool { return target == ErrTooMany }

// Message keys of the accounts capability.
const (
	MsgUsernameInvalid = "account.username_invalid"
	MsgPasswordShort   = "account.password_short"
	MsgPasswordLong    = "account.password_long"
	MsgEmailInvalid    = "account.email_invalid"
	MsgCurrentWrong    = "account.current_wrong"
	MsgBadRole         = "users.bad_role"
	MsgBadUnit         = "users.bad_unit"
)

// Token lifetimes, in days.
const (
	TokenDaysDefault = 90
	TokenDaysMax     = 366
)

// MaxConcurrentHashes bounds the argon2id computations (64 MiB each) that run
// at once, whatever the number of requests.
const MaxConcurrentHashes = 3

// signInWait is how long a sign-in waits for a free password check before
// it is refused with [ErrTooMany].
const signInWait = 500 * time.Millisecond

// touchEvery is how often a token's or a session's last use is written.
const touchEvery = time.Minute

// Accounts is the accounts capability: users, grants, API tokens, sign-in
// and authentication, and reading the audit log.
type Accounts struct {
	base
	slots  chan struct{}
	active atomic.Int32
	// hashHook, when set (tests), is called with the number of password
	// checks running, each time one starts.
	hashHook func(running int)
	touched  sync.Map // token id → time.Time of the last recorded use
}

func newAccounts(b base) *Accounts {
	return &Accounts{base: b, slots: make(chan struct{}, MaxConcurrentHashes)}
}

// hashing runs f, an argon2id computation, when one of the
// [MaxConcurrentHashes] slots is free; it waits at most wait (forever when
// negative), then answers a [*ThrottledError].
func (s *Accounts) hashing(ctx context.Context, wait time.Duration, f func()) error {
	select {
	case s.slots <- struct{}{}:
	default:
		if wait == 0 {
			return &ThrottledError{RetryAfter: time.Second}
		}
		var timeout <-chan time.Time
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case s.slots <- struct{}{}:
		case <-timeout:
			return &ThrottledError{RetryAfter: time.Second}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	n := s.active.Add(1)
	defer func() {
		s.active.Add(-1)
		<-s.slots
	}()
	if s.hashHook != nil {
		s.hashHook(int(n))
	}
	f()
	return nil
}

func (s *Accounts) hashPassword(ctx context.Context, pw string) (string, error) {
	var hash string
	var herr error
	if err := s.hashing(ctx, -1, func() { hash, herr = account.HashPassword(pw) }); err != nil {
		return "", err
	}
	return hash, herr
}

// --- authentication ---

// Credentials are what a request presents: a bearer token or a session
// cookie's value (the bearer token wins), and the client address.
type Credentials struct {
	Bearer  string
	Session string
	IP      string
}

// Authenticate resolves a request's credentials to its principal, with the
// user's grants, in one query. No credentials: nil and no error. A token
// that is unknown, revoked or expired, a session that ended, or a disabled
// account: [ErrUnauthenticated]. The database failing: [ErrUnavailable].
// The last use is written at most once a minute per token or session.
func (s *Accounts) Authenticate(ctx context.Context, c Credentials) (*Principal, error) {
	now := s.Now()
	switch {
	case c.Bearer != "":
		if len(c.Bearer) > 256 {
			return nil, ErrUnauthenticated
		}
		cr, err := s.st.TokenCredential(ctx, account.HashToken(c.Bearer))
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrUnauthenticated
		}
		if err != nil {
			return nil, unavailable("authenticate token", err)
		}
		s.touchToken(ctx, cr.Token, now)
		return &Principal{User: cr.User, Grants: cr.Grants, ViaToken: true, TokenID: cr.Token.ID, IP: c.IP}, nil
	case c.Session != "":
		if len(c.Session) > 256 {
			return nil, ErrUnauthenticated
		}
		hash := account.HashToken(c.Session)
		cr, err := s.st.SessionCredential(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrUnauthenticated
		}
		if err != nil {
			return nil, unavailable("authenticate session", err)
		}
		sess := cr.Session
		if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.policy.IdleTimeout {
			_ = s.st.DeleteSession(ctx, hash)
			return nil, ErrUnauthenticated
		}
		if now.Sub(sess.LastSeenAt) > touchEvery {
			if err := s.st.TouchSession(ctx, hash, now); err != nil {
				s.log.Warn("touch session", "err", err)
			}
		}
		return &Principal{User: cr.User, Grants: cr.Grants, Session: &sess, IP: c.IP}, nil
	}
	return nil, nil
}

// touchToken records a token's use at most once a minute: the stored time
// and a per-process memory both say when it was last written.
func (s *Accounts) touchToken(ctx context.Context, t Token, now time.Time) {
	if now.Sub(t.LastUsedAt) < touchEvery {
		return
	}
	if v, ok := s.touched.Load(t.ID); ok && now.Sub(v.(time.Time)) < touchEvery {
		return
	}
	s.touched.Store(t.ID, now)
	if err := s.st.TouchToken(ctx, t.ID, now, now.Add(-touchEvery)); err != nil {
		s.log.Warn("touch token", "err", err)
	}
}

// SignInInput is a sign-in attempt.
type SignInInput struct {
	Username, Password string
	IP, UserAgent      string
	// Lang is the visitor's language choice, kept in an account that has none.
	Lang string
}

// SignedIn is a new session: Token goes into the cookie and is not kept.
type SignedIn struct {
	User    User
	Token   string
	Session Session
}

// SignIn checks a user name and password and starts a session.
//
// The attempt is recorded and counted before the password is hashed, so
// that parallel attempts see each other: past the per-address or per-name
// limit they are refused ([*ThrottledError]) without hashing, alike for
// known and unknown names. At most [MaxConcurrentHashes] password checks run
// at once; a sign-in that cannot get one soon is refused too. A wrong name, a
// wrong password and a disabled account all answer [ErrSignInFailed] and
// cost the same time.
func (s *Accounts) SignIn(ctx context.Context, in SignInInput) (SignedIn, error) {
	name := strings.ToLower(strings.TrimSpace(in.Username))
	if name == "" || len(name) > 64 || len(in.Password) > 256 || !CleanLine(name) {
		return SignedIn{}, ErrSignInFailed
	}
	p := s.policy
	at, err := s.st.BeginSignIn(ctx, name, in.IP, s.Now().Add(-p.IPWindow))
	if err != nil {
		return SignedIn{}, unavailable("sign in", err)
	}
	if p.IPMaxFailures > 0 && at.IPFailures > p.IPMaxFailures {
		return SignedIn{}, &ThrottledError{RetryAfter: p.IPWindow}
	}
	if p.MaxFailures > 0 && at.NameFailures > p.MaxFailures {
		return SignedIn{}, &ThrottledError{Locked: true, RetryAfter: p.LockFor}
	}
	u, uerr := s.st.UserByName(ctx, name)
	if uerr != nil && !errors.Is(uerr, store.ErrNotFound) {
		return SignedIn{}, unavailable("sign in", uerr)
	}
	ok := false
	if err := s.hashing(ctx, signInWait, func() {
		if uerr != nil {
			account.CheckNoUser(in.Password)
			return
		}
		ok = account.CheckPassword(u.PasswordHash, in.Password) && !u.Disabled
	}); err != nil {
		return SignedIn{}, err
	}
	if !ok {
		if p.MaxFailures > 0 && at.NameFailures == p.MaxFailures {
			return SignedIn{}, &ThrottledError{Locked: true, RetryAfter: p.LockFor}
		}
		return SignedIn{}, ErrSignInFailed
	}
	if err := s.st.SignInSucceeded(ctx, at.ID, u.ID); err != nil {
		return SignedIn{}, unavailable("sign in", err)
	}
	token, hash, err := account.NewToken("")
	if err != nil {
		return SignedIn{}, err
	}
	csrf, _, err := account.NewToken("")
	if err != nil {
		return SignedIn{}, err
	}
	now := s.Now()
	sess := Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(p.AbsoluteTimeout)}
	if err := s.st.CreateSession(ctx, sess, in.IP, Truncate(in.UserAgent, 300)); err != nil {
		return SignedIn{}, unavailable("create session", err)
	}
	if u.Locale == "" && i18n.IsSupported(in.Lang) {
		if err := s.st.SetLocale(ctx, u.ID, in.Lang); err == nil {
			u.Locale = in.Lang
		}
	}
	return SignedIn{User: u, Token: token, Session: sess}, nil
}

// SignOut ends the principal's session (bearer tokens have none).
func (s *Accounts) SignOut(ctx context.Context, p *Principal) error {
	if p == nil || p.Session == nil {
		return nil
	}
	return unavailable("sign out", s.st.DeleteSession(ctx, p.Session.TokenHash))
}

// SetLocale remembers the principal's language.
func (s *Accounts) SetLocale(ctx context.Context, p *Principal, lang string) error {
	if !i18n.IsSupported(lang) {
		return Invalid("lang", MsgBadChoice)
	}
	if p == nil || p.User.ID == 0 {
		return ErrUnauthenticated
	}
	return unavailable("set locale", s.st.SetLocale(ctx, p.User.ID, lang))
}

// --- passwords ---

// checkPassword validates a new password.
func checkPassword(v *Validator, field, pw string) {
	switch {
	case pw == "":
		v.Add(field, MsgRequired)
	case !utf8.ValidString(pw) || strings.ContainsRune(pw, 0):
		v.Add(field, MsgBadChars)
	default:
		switch account.CheckPasswordStrength(pw) {
		case nil:
		case account.ErrPasswordLong:
			v.Add(field, MsgPasswordLong)
		default:
			v.Add(field, MsgPasswordShort)
		}
	}
}

// ChangePassword replaces the principal's own password after checking the
// current one. Every other session of the user ends and every API token is
// revoked; the session that made the change stays signed in, with its
// cookie, CSRF token and expiry unchanged.
func (s *Accounts) ChangePassword(ctx context.Context, p *Principal, current, next string) error {
	if p == nil || p.User.ID == 0 {
		return ErrUnauthenticated
	}
	var v Validator
	checkPassword(&v, "new", next)
	if len(current) > 256 {
		v.Add("current", MsgCurrentWrong)
	}
	if err := v.Err(); err != nil {
		return err
	}
	ok := false
	if err := s.hashing(ctx, -1, func() { ok = account.CheckPassword(p.User.PasswordHash, current) }); err != nil {
		return err
	}
	if !ok {
		return Invalid("current", MsgCurrentWrong)
	}
	hash, err := s.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	// Every other session ends and every token is revoked; the session that
	// made the change stays signed in (in the same transaction).
	keep := ""
	if p.Session != nil {
		keep = p.Session.TokenHash
	}
	return unavailable("set password", s.st.SetPasswordKeeping(ctx, p.Actor(), p.User.ID, hash, keep))
}

// ResetPassword sets another user's password (user.manage). Their sessions
// end and their API tokens are revoked.
func (s *Accounts) ResetPassword(ctx context.Context, p *Principal, userID int64, pw string) error {
	if err := s.authorize(p, authz.ActionUserManage, 0); err != nil {
		return err
	}
	var v Validator
	checkPassword(&v, "password", pw)
	if err := v.Err(); err != nil {
		return err
	}
	if _, err := s.st.GetUser(ctx, userID); err != nil {
		return unavailable("user", err)
	}
	hash, err := s.hashPassword(ctx, pw)
	if err != nil {
		return err
	}
	return unavailable("set password", s.st.SetPassword(ctx, p.Actor(), userID, hash))
}

// --- users ---

// NewUser is a user to create. HTML form, JSON body and command line share
// its validation.
type NewUser struct {
	Username, FullName, Email, Password, Locale string
	// Position is the user's position (chức vụ), printed in signature blocks.
	Position string
}

// Validate normalises the fields (user name lower-cased, spaces trimmed)
// and checks them.
func (in *NewUser) Validate() error {
	var v Validator
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	switch {
	case in.Username == "":
		v.Add("username", MsgRequired)
	case account.ValidUsername(in.Username) != nil:
		v.Add("username", MsgUsernameInvalid)
	}
	in.FullName = v.Line("full_name", in.FullName, 1, 200)
	in.Position = v.Line("position", in.Position, 0, maxPosition)
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" {
		addr, err := mail.ParseAddress(in.Email)
		if !CleanLine(in.Email) || len(in.Email) > 254 || err != nil || addr.Name != "" || addr.Address != in.Email {
			v.Add("email", MsgEmailInvalid)
		}
	}
	checkPassword(&v, "password", in.Password)
	in.Locale = strings.TrimSpace(in.Locale)
	if in.Locale != "" {
		v.Choice("locale", in.Locale, i18n.Supported()...)
	}
	return v.Err()
}

// CreateUser creates an account (user.manage). A taken name is
// [ErrUserExists], found before the password is hashed.
func (s *Accounts) CreateUser(ctx context.Context, p *Principal, in NewUser) (User, error) {
	if err := s.authorize(p, authz.ActionUserManage, 0); err != nil {
		return User{}, err
	}
	if err := in.Validate(); err != nil {
		return User{}, err
	}
	if _, err := s.st.UserByName(ctx, in.Username); err == nil {
		return User{}, ErrUserExists
	} else if !errors.Is(err, store.ErrNotFound) {
		return User{}, unavailable("user", err)
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return User{}, err
	}
	u := User{Username: in.Username, FullName: in.FullName, Email: in.Email, Locale: in.Locale, PasswordHash: hash}
	if err := s.st.CreateUser(ctx, p.Actor(), &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return User{}, ErrUserExists
		}
		return User{}, unavailable("create user", err)
	}
	if in.Position != "" {
		if err := s.st.SetPosition(ctx, p.Actor(), u.ID, in.Position); err != nil {
			return u, unavailable("create user", err)
		}
	}
	return u, nil
}

// ListUsers lists users by name (user.manage); query searches names.
func (s *Accounts) ListUsers(ctx context.Context, p *Principal, query string, limit, offset int) ([]User, int, error) {
	if err := s.authorize(p, authz.ActionUserManage, 0); err != nil {
		return nil, 0, err
	}
	var v Validator
	query = v.Line("q", query, 0, 100)
	v.Int("limit", int64(limit), 1, 500)
	v.Int("offset", int64(offset), 0, 1<<30)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	us, n, err := s.st.ListUsers(ctx, query, limit, offset)
	return us, n, unavailable("users", err)
}

// GetUser returns a user: oneself, or anyone with user.manage. Others are
// refused whether or not the id exists.
func (s *Accounts) GetUser(ctx context.Context, p *Principal, id int64) (User, error) {
	if p == nil || (p.User.ID == 0 && !p.System) {
		return User{}, ErrUnauthenticated
	}
	if p.User.ID != id && !s.can(p, authz.ActionUserManage, 0) {
		return User{}, ErrForbidden
	}
	u, err := s.st.GetUser(ctx, id)
	return u, unavailable("user", err)
}

// UserByName returns a user by name (user.manage): the command line.
func (s *Accounts) UserByName(ctx context.Context, p *Principal, name string) (User, error) {
	if err := s.authorize(p, authz.ActionUserManage, 0); err != nil {
		return User{}, err
	}
	u, err := s.st.UserByName(ctx, name)
	return u, unavailable("user", err)
}

// SetDisabled disables or enables an account (user.manage). Disabling ends
// every session and revokes every API token of the user at once; disabling
// the last enabled administrator is [ErrLastAdmin].
func (s *Accounts) SetDisabled(ctx context.Context, p *Principal, userID int64, disabled bool) error {
	if err := s.authorize(p, authz.ActionUserManage, 0); err != nil {
		return err
	}
	return unavailable("disable user", s.st.SetUserDisabled(ctx, p.Actor(), userID, disabled))
}

// --- grants ---

// isGranter reports whether p may grant some role somewhere.
func (s *Accounts) isGranter(p *Principal) bool {
	if p == nil {
		return false
	}
	if p.IsAdmin() {
		return true
	}
	for _, g := range p.Grants {
		if s.can(p, authz.ActionRoleGrant, g.UnitID) {
			return true
		}
	}
	return false
}

// canGrant is [authz.CanGrant] on the in-memory tree.
func (s *Accounts) canGrant(p *Principal, r authz.Role, unitID int64) bool {
	if p == nil {
		return false
	}
	if p.System {
		return r.Valid()
	}
	t, err := s.tree.Target(unitID)
	if err != nil {
		return false
	}
	return authz.CanGrant(p.Grants, r, t)
}

// UserGrants lists a user's grants. Oneself and user managers see every
// grant; someone who may grant roles sees the grants within their reach, and
// an unknown id looks like a user with none (it reveals nothing); anyone
// else is refused.
func (s *Accounts) UserGrants(ctx context.Context, p *Principal, userID int64) ([]Grant, error) {
	if p == nil || (p.User.ID == 0 && !p.System) {
		return nil, ErrUnauthenticated
	}
	all := p.User.ID == userID || s.can(p, authz.ActionUserManage, 0)
	if !all && !s.isGranter(p) {
		return nil, ErrForbidden
	}
	if all {
		if _, err := s.st.GetUser(ctx, userID); err != nil {
			return nil, unavailable("user", err)
		}
	}
	gs, err := s.st.UserGrants(ctx, userID)
	if err != nil {
		return nil, unavailable("grants", err)
	}
	if !all {
		kept := gs[:0]
		for _, g := range gs {
			if s.canGrant(p, g.Role, g.UnitID) {
				kept = append(kept, g)
			}
		}
		gs = kept
	}
	return gs, nil
}

// GrantInput gives a user a role on a unit.
type GrantInput struct {
	UserID int64
	Role   string
	UnitID int64
}

// Grant gives a user a role on a unit, by [authz.CanGrant] on the unit: an
// administrator anything anywhere, a coordinator or unit head only the
// roles they may grant and only inside their subtree. Nobody but an
// administrator grants a role to themselves. Granting a role the user
// already holds there returns that grant with created false.
func (s *Accounts) Grant(ctx context.Context, p *Principal, in GrantInput) (g Grant, created bool, err error) {
	if p == nil || (p.User.ID == 0 && !p.System) {
		return Grant{}, false, ErrUnauthenticated
	}
	if !s.isGranter(p) {
		return Grant{}, false, ErrForbidden
	}
	var v Validator
	in.Role = strings.TrimSpace(in.Role)
	role, rerr := authz.ParseRole(in.Role)
	switch {
	case in.Role == "":
		v.Add("role", MsgRequired)
	case rerr != nil:
		v.Add("role", MsgBadRole)
	}
	switch {
	case in.UnitID == 0:
		v.Add("unit_id", MsgRequired)
	case in.UnitID < 0:
		v.Add("unit_id", MsgBadUnit)
	default:
		if _, ok := s.tree.Unit(in.UnitID); !ok {
			v.Add("unit_id", MsgBadUnit)
		}
	}
	if err := v.Err(); err != nil {
		return Grant{}, false, err
	}
	if !s.canGrant(p, role, in.UnitID) {
		return Grant{}, false, ErrForbidden
	}
	if in.UserID == p.User.ID && !p.IsAdmin() {
		return Grant{}, false, ErrForbidden
	}
	find := func() (Grant, bool, error) {
		gs, err := s.st.UserGrants(ctx, in.UserID)
		if err != nil {
			return Grant{}, false, unavailable("grants", err)
		}
		for _, g := range gs {
			if g.Role == role && g.UnitID == in.UnitID {
				return g, true, nil
			}
		}
		return Grant{}, false, nil
	}
	if _, err := s.st.GetUser(ctx, in.UserID); err != nil {
		return Grant{}, false, unavailable("user", err)
	}
	if g, ok, err := find(); err != nil || ok {
		return g, false, err
	}
	if err := s.st.AddGrant(ctx, p.Actor(), in.UserID, role, in.UnitID); err != nil {
		return Grant{}, false, unavailable("grant", err)
	}
	g, ok, err := find()
	if err == nil && !ok {
		err = unavailable("grant", errors.New("grant vanished after insert"))
	}
	return g, true, err
}

// GetGrant returns a grant the principal may revoke.
func (s *Accounts) GetGrant(ctx context.Context, p *Principal, id int64) (Grant, error) {
	if p == nil || (p.User.ID == 0 && !p.System) {
		return Grant{}, ErrUnauthenticated
	}
	if !s.isGranter(p) {
		return Grant{}, ErrForbidden
	}
	g, err := s.st.GetGrant(ctx, id)
	if err != nil {
		return Grant{}, unavailable("grant", err)
	}
	if !s.canGrant(p, g.Role, g.UnitID) {
		return Grant{}, ErrForbidden
	}
	return g, nil
}

// Revoke removes a grant, by the same rule as [Accounts.Grant]. The
// installation's last administrator grant cannot be revoked
// ([ErrLastAdmin]); the check and the removal are one transaction, so two
// administrators revoking each other at once cannot both succeed.
func (s *Accounts) Revoke(ctx context.Context, p *Principal, id int64) (Grant, error) {
	g, err := s.GetGrant(ctx, p, id)
	if err != nil {
		return Grant{}, err
	}
	if _, err := s.st.RevokeGrant(ctx, p.Actor(), id); err != nil {
		return Grant{}, unavailable("revoke", err)
	}
	return g, nil
}

// GrantableUnits lists the units valid on day at (YYYY-MM-DD) on which p
// may grant some role, in tree order with their depth set.
func (s *Accounts) GrantableUnits(p *Principal, at string) []org.Unit {
	var out []org.Unit
	var walk func(id int64, depth int)
	walk = func(id int64, depth int) {
		for _, u := range s.tree.Children(id) {
			if !u.ValidOn(at) {
				continue
			}
			if s.can(p, authz.ActionRoleGrant, u.ID) {
				u.Depth = depth
				out = append(out, u)
			}
			if depth < 64 {
				walk(u.ID, depth+1)
			}
		}
	}
	walk(0, 0)
	return out
}

// UnitCount counts the units of the given kinds valid on day at: the
// figures of the home page, from the in-memory tree.
func (s *Accounts) UnitCount(at string, kinds ...org.Kind) int {
	want := map[org.Kind]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	n := 0
	var walk func(id int64, depth int)
	walk = func(id int64, depth int) {
		for _, u := range s.tree.Children(id) {
			if u.ValidOn(at) && want[u.Kind] {
				n++
			}
			if depth < 64 {
				walk(u.ID, depth+1)
			}
		}
	}
	walk(0, 0)
	return n
}

// --- API tokens ---

// NewToken names a token to create and its lifetime in days (0: the
// default, [TokenDaysDefault]; at most [TokenDaysMax]).
type NewToken struct {
	Name string
	Days int
}

// CreateToken creates an API token for the principal. The secret is
// returned once; only its hash is kept.
func (s *Accounts) CreateToken(ctx context.Context, p *Principal, in NewToken) (string, Token, error) {
	if p == nil || p.User.ID == 0 {
		return "", Token{}, ErrUnauthenticated
	}
	return s.createToken(ctx, p, p.User.ID, in)
}

// CreateTokenFor creates an API token for the user named username
// (user.manage): the command line.
func (s *Accounts) CreateTokenFor(ctx context.Context, p *Principal, username string, in NewToken) (string, Token, error) {
	u, err := s.UserByName(ctx, p, username)
	if err != nil {
		return "", Token{}, err
	}
	return s.createToken(ctx, p, u.ID, in)
}

func (s *Accounts) createToken(ctx context.Context, p *Principal, userID int64, in NewToken) (string, Token, error) {
	var v Validator
	name := v.Line("name", in.Name, 1, 100)
	days := in.Days
	if days == 0 {
		days = TokenDaysDefault
	}
	v.Int("days", int64(days), 1, TokenDaysMax)
	if err := v.Err(); err != nil {
		return "", Token{}, err
	}
	secret, hash, err := account.NewToken("dvt_")
	if err != nil {
		return "", Token{}, err
	}
	expires := s.Now().Add(time.Duration(days) * 24 * time.Hour)
	id, err := s.st.CreateTokenUntil(ctx, p.Actor(), userID, name, hash, expires)
	if err != nil {
		return "", Token{}, unavailable("create token", err)
	}
	t, err := s.st.GetToken(ctx, id)
	return secret, t, unavailable("token", err)
}

// Tokens lists the principal's own tokens, newest first.
func (s *Accounts) Tokens(ctx context.Context, p *Principal) ([]Token, error) {
	if p == nil || p.User.ID == 0 {
		return nil, ErrUnauthenticated
	}
	ts, err := s.st.ListTokens(ctx, p.User.ID)
	return ts, unavailable("tokens", err)
}

// UserTokens lists the tokens of the user named username (user.manage).
func (s *Accounts) UserTokens(ctx context.Context, p *Principal, username string) ([]Token, error) {
	u, err := s.UserByName(ctx, p, username)
	if err != nil {
		return nil, err
	}
	ts, err := s.st.ListTokens(ctx, u.ID)
	return ts, unavailable("tokens", err)
}

// RevokeToken revokes a token: one's own, or anyone's with user.manage.
// Someone else's token is [ErrNotFound], like a token that does not exist.
// The token answers 401 from the next request on.
func (s *Accounts) RevokeToken(ctx context.Context, p *Principal, id int64) error {
	if p == nil || (p.User.ID == 0 && !p.System) {
		return ErrUnauthenticated
	}
	t, err := s.st.GetToken(ctx, id)
	if err != nil {
		return unavailable("token", err)
	}
	if t.UserID != p.User.ID && !s.can(p, authz.ActionUserManage, 0) {
		return ErrNotFound
	}
	return unavailable("revoke token", s.st.RevokeToken(ctx, p.Actor(), id))
}

// --- audit log ---

// AuditLog lists audit entries, newest first, with the total (audit.read).
func (s *Accounts) AuditLog(ctx context.Context, p *Principal, f AuditFilter) ([]AuditEntry, int, error) {
	if err := s.authorize(p, authz.ActionAuditRead, 0); err != nil {
		return nil, 0, err
	}
	var v Validator
	f.Actor = v.Line("actor", f.Actor, 0, 100)
	f.Action = v.Line("action", f.Action, 0, 100)
	f.Entity = v.Line("entity", f.Entity, 0, 100)
	f.EntityID = v.Line("entity_id", f.EntityID, 0, 100)
	v.Int("limit", int64(f.Limit), 0, 500)
	v.Int("offset", int64(f.Offset), 0, 1<<30)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	es, n, err := s.st.ListAudit(ctx, f)
	return es, n, unavailable("audit", err)
}

// AuditEntities lists the entity names found in the audit log (audit.read).
func (s *Accounts) AuditEntities(ctx context.Context, p *Principal) ([]string, error) {
	if err := s.authorize(p, authz.ActionAuditRead, 0); err != nil {
		return nil, err
	}
	es, err := s.st.AuditEntities(ctx)
	return es, unavailable("audit", err)
}

// AuditVerification is the state of the background verification of the
// audit chain: Running, and the last finished run's Count and Err (nil, a
// [*BrokenChainError], or another failure).
type AuditVerification = store.AuditVerification

// auditVerifyWait is how long a request waits for a verification it started
// before it answers with "running": short logs answer at once, long ones do
// not hold the request.
const auditVerifyWait = 2 * time.Second

// CheckAudit (audit.read) starts a background verification of the audit
// chain when none is running and answers its state: the verification walks
// the chain in batches on the read connections, so no page waits for it,
// and at most one runs at a time.
func (s *Accounts) CheckAudit(ctx context.Context, p *Principal) (AuditVerification, error) {
	if err := s.authorize(p, authz.ActionAuditRead, 0); err != nil {
		return AuditVerification{}, err
	}
	v := s.st.AuditVerifyJob(true)
	deadline := time.NewTimer(auditVerifyWait)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for v.Running {
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-deadline.C:
			return v, nil
		case <-tick.C:
			v = s.st.AuditVerifyJob(false)
		}
	}
	return v, nil
}
