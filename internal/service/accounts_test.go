package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// accFixture is an organisation with one user per role, each granted on
// district D; C1 lies inside D's subtree, C2 outside it:
//
//	P  Tỉnh Thử (province)          ← the administrator's grant
//	├── D  Huyện Trong (district)   ← every other role's grant
//	│   └── C1 Xã Trong (commune)
//	└── O  Huyện Ngoài (district)
//	    └── C2 Xã Ngoài (commune)
//
// "lan" holds no role; "adm2" is a second administrator.
type accFixture struct {
	st    *store.Store
	svc   *service.Services
	acc   *service.Accounts
	unit  map[string]int64
	user  map[string]service.User
	now   atomic.Pointer[time.Time]
	hash  string
	ctx   context.Context
	t     *testing.T
	roles []authz.Role
}

const accPassword = "mật khẩu thử nghiệm"

var (
	accHashOnce sync.Once
	accHash     string
)

func newAccFixture(t *testing.T) *accFixture {
	t.Helper()
	f := &accFixture{st: storetest.Open(t), unit: map[string]int64{}, user: map[string]service.User{}, ctx: t.Context(), t: t, roles: authz.AllRoles()}
	start := time.Date(2025, 8, 1, 3, 0, 0, 0, time.UTC)
	f.now.Store(&start)
	f.st.SetClock(func() time.Time { return *f.now.Load() })
	sys := audit.System("test")
	for _, u := range []org.Unit{
		{Code: "P", Name: "Tỉnh Thử", Kind: org.KindProvince, ValidFrom: "2000-01-01"},
		{Code: "D", Name: "Huyện Trong", Kind: org.KindDistrict, ValidFrom: "2000-01-01"},
		{Code: "C1", Name: "Xã Trong", Kind: org.KindCommune, ValidFrom: "2000-01-01"},
		{Code: "O", Name: "Huyện Ngoài", Kind: org.KindDistrict, ValidFrom: "2000-01-01"},
		{Code: "C2", Name: "Xã Ngoài", Kind: org.KindCommune, ValidFrom: "2000-01-01"},
	} {
		switch u.Code {
		case "D", "O":
			u.ParentID = f.unit["P"]
		case "C1":
			u.ParentID = f.unit["D"]
		case "C2":
			u.ParentID = f.unit["O"]
		}
		if err := f.st.CreateUnit(f.ctx, sys, &u); err != nil {
			t.Fatal(u.Code, err)
		}
		f.unit[u.Code] = u.ID
	}
	accHashOnce.Do(func() {
		h, err := account.HashPassword(accPassword)
		if err != nil {
			t.Fatal(err)
		}
		accHash = h
	})
	f.hash = accHash
	add := func(name string, role authz.Role, unit string) {
		u := account.User{Username: name, FullName: "Người " + name, PasswordHash: f.hash}
		if err := f.st.CreateUser(f.ctx, sys, &u); err != nil {
			t.Fatal(err)
		}
		if role != "" {
			if err := f.st.AddGrant(f.ctx, sys, u.ID, role, f.unit[unit]); err != nil {
				t.Fatal(err)
			}
		}
		f.user[name] = u
	}
	for _, r := range f.roles {
		unit := "D"
		if r == authz.RoleAdmin {
			unit = "P"
		}
		add(string(r), r, unit)
	}
	add("adm2", authz.RoleAdmin, "C2")
	add("lan", "", "")
	f.svc = servicetest.New(t, f.st)
	f.acc = f.svc.Accounts
	return f
}

// as is the principal of a fixture user, with their grants as stored.
func (f *accFixture) as(name string) *service.Principal {
	f.t.Helper()
	u, err := f.st.UserByName(f.ctx, name)
	if err != nil {
		f.t.Fatal(name, err)
	}
	gs, err := f.st.AuthzGrants(f.ctx, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return &service.Principal{User: u, Grants: gs}
}

func (f *accFixture) advance(d time.Duration) {
	n := f.now.Load().Add(d)
	f.now.Store(&n)
}

// accOutcome names an error class for the matrix.
func accOutcome(err error) string {
	var inv *service.InvalidError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &inv):
		return "invalid"
	case errors.Is(err, service.ErrUnauthenticated):
		return "unauthenticated"
	case errors.Is(err, service.ErrForbidden):
		return "forbidden"
	case errors.Is(err, service.ErrNotFound):
		return "notfound"
	case errors.Is(err, service.ErrConflict):
		return "conflict"
	case errors.Is(err, service.ErrTooMany):
		return "toomany"
	}
	return "error: " + err.Error()
}

// TestAccountsAdminOnlyMatrix: the use cases reserved to user.manage and
// audit.read (administrators only), for every role and for anonymous.
func TestAccountsAdminOnlyMatrix(t *testing.T) {
	f := newAccFixture(t)
	lan := f.user["lan"].ID
	seq := 0
	cases := []struct {
		name string
		run  func(p *service.Principal) error
	}{
		{"list users", func(p *service.Principal) error { _, _, err := f.acc.ListUsers(f.ctx, p, "", 10, 0); return err }},
		{"get another user", func(p *service.Principal) error { _, err := f.acc.GetUser(f.ctx, p, lan); return err }},
		{"create user", func(p *service.Principal) error {
			seq++
			_, err := f.acc.CreateUser(f.ctx, p, service.NewUser{Username: fmt.Sprintf("moi.%d", seq), FullName: "Người mới", Password: "mật khẩu đủ dài"})
			return err
		}},
		{"reset password", func(p *service.Principal) error {
			return f.acc.ResetPassword(f.ctx, p, lan, "mật khẩu mới đủ dài")
		}},
		{"disable", func(p *service.Principal) error { return f.acc.SetDisabled(f.ctx, p, lan, true) }},
		{"enable", func(p *service.Principal) error { return f.acc.SetDisabled(f.ctx, p, lan, false) }},
		{"audit log", func(p *service.Principal) error {
			_, _, err := f.acc.AuditLog(f.ctx, p, service.AuditFilter{Limit: 5})
			return err
		}},
		{"audit entities", func(p *service.Principal) error { _, err := f.acc.AuditEntities(f.ctx, p); return err }},
		{"user by name", func(p *service.Principal) error { _, err := f.acc.UserByName(f.ctx, p, "lan"); return err }},
		{"tokens of a user", func(p *service.Principal) error { _, err := f.acc.UserTokens(f.ctx, p, "lan"); return err }},
	}
	for _, c := range cases {
		if got := accOutcome(c.run(nil)); got != "unauthenticated" {
			t.Errorf("%s as anonymous: %s", c.name, got)
		}
		for _, r := range f.roles {
			want := "forbidden"
			if r == authz.RoleAdmin {
				want = "ok"
			}
			if got := accOutcome(c.run(f.as(string(r)))); got != want {
				t.Errorf("%s as %s: %s, want %s", c.name, r, got, want)
			}
		}
		if got := accOutcome(c.run(service.SystemPrincipal())); got != "ok" {
			t.Errorf("%s as the system: %s", c.name, got)
		}
	}
	// Oneself is always readable.
	for _, r := range f.roles {
		p := f.as(string(r))
		if u, err := f.acc.GetUser(f.ctx, p, p.User.ID); err != nil || u.ID != p.User.ID {
			t.Errorf("%s reads self: %v", r, err)
		}
	}
	// A refused caller learns nothing about which ids exist.
	if a, b := accOutcome2(f.acc.GetUser(f.ctx, f.as("coordinator"), 999999)), accOutcome2(f.acc.GetUser(f.ctx, f.as("coordinator"), lan)); a != b {
		t.Errorf("unknown id %s, known id %s", a, b)
	}
}

func accOutcome2[T any](_ T, err error) string { return accOutcome(err) }

// grantRule is the expected outcome of granting role r on a unit inside or
// outside D's subtree, by the granting role: written out, not computed.
func grantRule(granter, r authz.Role, inside bool) string {
	switch granter {
	case authz.RoleAdmin:
		return "ok"
	case authz.RoleCoordinator:
		if inside && r != authz.RoleAdmin && r != authz.RoleCoordinator {
			return "ok"
		}
	case authz.RoleUnitHead:
		if inside && (r == authz.RoleUnitOfficer || r == authz.RoleCaseHandler) {
			return "ok"
		}
	}
	return "forbidden"
}

// TestAccountsGrantMatrix: granting and revoking, every role × every role
// granted × inside/outside the granter's subtree.
func TestAccountsGrantMatrix(t *testing.T) {
	f := newAccFixture(t)
	lan := f.user["lan"].ID
	sys := service.SystemPrincipal()
	for _, granter := range f.roles {
		p := f.as(string(granter))
		for _, r := range f.roles {
			for _, where := range []string{"C1", "C2"} {
				inside := where == "C1"
				want := grantRule(granter, r, inside)
				g, created, err := f.acc.Grant(f.ctx, p, service.GrantInput{UserID: lan, Role: string(r), UnitID: f.unit[where]})
				if got := accOutcome(err); got != want {
					t.Errorf("%s grants %s on %s: %s, want %s", granter, r, where, got, want)
					continue
				}
				if err != nil {
					continue
				}
				if !created || g.Role != r || g.UnitID != f.unit[where] || g.UserID != lan {
					t.Errorf("%s grants %s on %s: %+v created=%v", granter, r, where, g, created)
				}
				// The same grant again is no new grant.
				if _, again, err := f.acc.Grant(f.ctx, p, service.GrantInput{UserID: lan, Role: string(r), UnitID: f.unit[where]}); err != nil || again {
					t.Errorf("repeat grant: %v %v", again, err)
				}
				if _, err := f.acc.Revoke(f.ctx, p, g.ID); err != nil {
					t.Errorf("%s revokes its grant %s on %s: %v", granter, r, where, err)
				}
			}
		}
	}
	// Revoking a grant made by someone else follows the same rule.
	for _, granter := range f.roles {
		for _, r := range f.roles {
			for _, where := range []string{"C1", "C2"} {
				g, _, err := f.acc.Grant(f.ctx, sys, service.GrantInput{UserID: lan, Role: string(r), UnitID: f.unit[where]})
				if err != nil {
					t.Fatal(err)
				}
				want := grantRule(granter, r, where == "C1")
				_, err = f.acc.Revoke(f.ctx, f.as(string(granter)), g.ID)
				if got := accOutcome(err); got != want {
					t.Errorf("%s revokes %s on %s: %s, want %s", granter, r, where, got, want)
				}
				if err != nil {
					if _, err := f.acc.Revoke(f.ctx, sys, g.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	if got := accOutcome2(f.acc.Revoke(f.ctx, nil, 1)); got != "unauthenticated" {
		t.Errorf("anonymous revoke: %s", got)
	}
}

// TestAccountsNoSelfGrant: nobody but an administrator grants themselves a role.
func TestAccountsNoSelfGrant(t *testing.T) {
	f := newAccFixture(t)
	for _, who := range []string{"coordinator", "unit_head"} {
		p := f.as(who)
		_, _, err := f.acc.Grant(f.ctx, p, service.GrantInput{UserID: p.User.ID, Role: "unit_officer", UnitID: f.unit["C1"]})
		if !errors.Is(err, service.ErrForbidden) {
			t.Errorf("%s grants itself: %v", who, err)
		}
	}
	p := f.as("admin")
	if _, _, err := f.acc.Grant(f.ctx, p, service.GrantInput{UserID: p.User.ID, Role: "inspector", UnitID: f.unit["C2"]}); err != nil {
		t.Errorf("admin grants itself: %v", err)
	}
}

// TestAccountsGrantValidation: the role and unit of a grant.
func TestAccountsGrantValidation(t *testing.T) {
	f := newAccFixture(t)
	lan := f.user["lan"].ID
	for _, c := range []struct {
		in     service.GrantInput
		fields string
	}{
		{service.GrantInput{UserID: lan}, "role unit_id"},
		{service.GrantInput{UserID: lan, Role: "king", UnitID: f.unit["C1"]}, "role"},
		{service.GrantInput{UserID: lan, Role: "admin\x00", UnitID: f.unit["C1"]}, "role"},
		{service.GrantInput{UserID: lan, Role: "inspector", UnitID: -4}, "unit_id"},
		{service.GrantInput{UserID: lan, Role: "inspector", UnitID: 987654}, "unit_id"},
	} {
		_, _, err := f.acc.Grant(f.ctx, f.as("admin"), c.in)
		if got := invalidFields(err); got != c.fields {
			t.Errorf("%+v: fields %q (%v), want %q", c.in, got, err, c.fields)
		}
	}
	// An unknown user: 404, after the permission check.
	if _, _, err := f.acc.Grant(f.ctx, f.as("admin"), service.GrantInput{UserID: 987654, Role: "inspector", UnitID: f.unit["C1"]}); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if _, _, err := f.acc.Grant(f.ctx, f.as("unit_officer"), service.GrantInput{UserID: 987654, Role: "inspector", UnitID: f.unit["C1"]}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("unknown user, no right to grant: %v", err)
	}
}

func invalidFields(err error) string {
	inv, ok := service.AsInvalid(err)
	if !ok {
		return ""
	}
	var out []string
	for _, fe := range inv.Fields {
		out = append(out, fe.Field)
	}
	return strings.Join(out, " ")
}

// TestAccountsUserGrantsVisibility: who sees which grants, and an unknown id
// reveals nothing to someone who cannot read users.
func TestAccountsUserGrantsVisibility(t *testing.T) {
	f := newAccFixture(t)
	sys := service.SystemPrincipal()
	lan := f.user["lan"].ID
	for _, where := range []string{"C1", "C2"} {
		if _, _, err := f.acc.Grant(f.ctx, sys, service.GrantInput{UserID: lan, Role: "unit_officer", UnitID: f.unit[where]}); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range f.roles {
		p := f.as(string(r))
		gs, err := f.acc.UserGrants(f.ctx, p, lan)
		var want string
		switch r {
		case authz.RoleAdmin:
			want = "2"
		case authz.RoleCoordinator, authz.RoleUnitHead:
			want = "1" // the grant on C1, inside their subtree
		default:
			want = "forbidden"
		}
		got := accOutcome(err)
		if err == nil {
			got = fmt.Sprint(len(gs))
		}
		if got != want {
			t.Errorf("%s reads lan's grants: %s, want %s", r, got, want)
		}
		unknown, err := f.acc.UserGrants(f.ctx, p, 987654)
		switch r {
		case authz.RoleAdmin:
			if !errors.Is(err, service.ErrNotFound) {
				t.Errorf("admin, unknown id: %v", err)
			}
		case authz.RoleCoordinator, authz.RoleUnitHead:
			if err != nil || len(unknown) != 0 {
				t.Errorf("%s, unknown id: %v %v (want an empty list, like a user without grants in reach)", r, unknown, err)
			}
		default:
			if !errors.Is(err, service.ErrForbidden) {
				t.Errorf("%s, unknown id: %v", r, err)
			}
		}
		// Everyone sees their own.
		if own, err := f.acc.UserGrants(f.ctx, p, p.User.ID); err != nil || len(own) != 1 {
			t.Errorf("%s, own grants: %v %v", r, own, err)
		}
	}
}

// TestAccountsNewUserValidation: one validator for the HTML form, the JSON
// body and the command line.
func TestAccountsNewUserValidation(t *testing.T) {
	f := newAccFixture(t)
	ok := service.NewUser{Username: "Vu.Lan", FullName: "  Vũ Thị Lan ", Email: "lan@example.vn", Password: "một mật khẩu dài"}
	u, err := f.acc.CreateUser(f.ctx, f.as("admin"), ok)
	if err != nil || u.Username != "vu.lan" || u.FullName != "Vũ Thị Lan" || !account.CheckPassword(u.PasswordHash, "một mật khẩu dài") {
		t.Fatalf("create: %+v %v", u, err)
	}
	if _, err := f.acc.CreateUser(f.ctx, f.as("admin"), ok); !errors.Is(err, service.ErrUserExists) || !errors.Is(err, service.ErrConflict) {
		t.Errorf("taken name: %v", err)
	}
	long := strings.Repeat("ễ", 201)
	for _, c := range []struct {
		in     service.NewUser
		fields string
	}{
		{service.NewUser{}, "username full_name password"},
		{service.NewUser{Username: "Bad Name", Email: "not an address", Password: "short"}, "username full_name email password"},
		{service.NewUser{Username: "ok1", FullName: "A\x00B", Password: "0123456789", Locale: "fr"}, "full_name locale"},
		{service.NewUser{Username: "ok2", FullName: "A\x07B", Password: "0123456789"}, "full_name"},
		{service.NewUser{Username: "ok3", FullName: "A\xffB", Password: "0123456789"}, "full_name"},
		{service.NewUser{Username: "ok4", FullName: "Tab\tin name", Password: "0123456789"}, "full_name"},
		{service.NewUser{Username: "ok5", FullName: long, Password: "0123456789"}, "full_name"},
		{service.NewUser{Username: "ok6", FullName: strings.Repeat("ễ", 200), Password: "0123456789"}, ""},
		{service.NewUser{Username: "ok7", FullName: "Lan", Email: "Lan <lan@example.vn>", Password: "0123456789"}, "email"},
		{service.NewUser{Username: "ok8", FullName: "Lan", Email: "lan@example.vn\x00", Password: "0123456789"}, "email"},
		{service.NewUser{Username: "ok9", FullName: "Lan", Password: strings.Repeat("x", 257)}, "password"},
		{service.NewUser{Username: "ok10", FullName: "Lan", Password: "0123456789\x00"}, "password"},
		{service.NewUser{Username: "ok11", FullName: "Lan", Password: "\xff0123456789"}, "password"},
		{service.NewUser{Username: strings.Repeat("a", 65), FullName: "Lan", Password: "0123456789"}, "username"},
		{service.NewUser{Username: "lê", FullName: "Lan", Password: "0123456789"}, "username"},
	} {
		_, err := f.acc.CreateUser(f.ctx, f.as("admin"), c.in)
		if got := invalidFields(err); got != c.fields || (c.fields == "" && err != nil) {
			t.Errorf("%q: fields %q (%v), want %q", c.in.Username, got, err, c.fields)
		}
	}
	// Invalid input is refused before anything is written, and never
	// reaches the database.
	if _, n, err := f.acc.ListUsers(f.ctx, f.as("admin"), "ok", 50, 0); err != nil || n != 1 {
		t.Errorf("users created by the invalid cases: %d %v", n, err)
	}
	if _, _, err := f.acc.ListUsers(f.ctx, f.as("admin"), "a\x00", 50, 0); invalidFields(err) != "q" {
		t.Errorf("search with NUL: %v", err)
	}
}

// TestAccountsTokens: tokens are created with a bounded lifetime, listed,
// revoked by their owner, expire, and answer 401 at once when revoked.
func TestAccountsTokens(t *testing.T) {
	f := newAccFixture(t)
	lanP := f.as("lan")
	secret, tok, err := f.acc.CreateToken(f.ctx, lanP, service.NewToken{Name: "máy chủ báo cáo"})
	if err != nil || !strings.HasPrefix(secret, "dvt_") || tok.Name != "máy chủ báo cáo" {
		t.Fatalf("create: %q %+v %v", secret, tok, err)
	}
	if got := tok.ExpiresAt.Sub(*f.now.Load()); got != service.TokenDaysDefault*24*time.Hour {
		t.Errorf("default lifetime %v", got)
	}
	p, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret})
	if err != nil || p == nil || p.User.ID != f.user["lan"].ID || !p.ViaToken || p.TokenID != tok.ID {
		t.Fatalf("authenticate: %+v %v", p, err)
	}
	// Validation of the name and lifetime.
	for _, c := range []struct {
		in     service.NewToken
		fields string
	}{
		{service.NewToken{}, "name"},
		{service.NewToken{Name: "a\x00b"}, "name"},
		{service.NewToken{Name: "\xff"}, "name"},
		{service.NewToken{Name: strings.Repeat("ơ", 101)}, "name"},
		{service.NewToken{Name: "x", Days: -1}, "days"},
		{service.NewToken{Name: "x", Days: service.TokenDaysMax + 1}, "days"},
		{service.NewToken{Name: "x", Days: 1 << 40}, "days"},
	} {
		if _, _, err := f.acc.CreateToken(f.ctx, lanP, c.in); invalidFields(err) != c.fields {
			t.Errorf("%+v: %v", c.in, err)
		}
	}
	// Someone else's token is not found, unless one manages users.
	for _, r := range f.roles {
		err := f.acc.RevokeToken(f.ctx, f.as(string(r)), tok.ID)
		want := "notfound"
		if r == authz.RoleAdmin {
			want = "ok"
		}
		if got := accOutcome(err); got != want {
			t.Errorf("%s revokes lan's token: %s, want %s", r, got, want)
		}
		if r == authz.RoleAdmin {
			break // revoked now
		}
	}
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("revoked token still authenticates: %v", err)
	}
	// The owner revokes their own; the list shows it revoked.
	secret2, tok2, err := f.acc.CreateToken(f.ctx, lanP, service.NewToken{Name: "hai", Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.acc.RevokeToken(f.ctx, lanP, tok2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret2}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("revoked token authenticates: %v", err)
	}
	ts, err := f.acc.Tokens(f.ctx, lanP)
	if err != nil || len(ts) != 2 || ts[0].ID != tok2.ID || ts[0].RevokedAt.IsZero() || ts[0].Active(f.acc.Now()) {
		t.Fatalf("list: %+v %v", ts, err)
	}
	// Expiry.
	secret3, _, err := f.acc.CreateToken(f.ctx, lanP, service.NewToken{Name: "ba", Days: 2})
	if err != nil {
		t.Fatal(err)
	}
	f.advance(47 * time.Hour)
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret3}); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	f.advance(2 * time.Hour)
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret3}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("after expiry: %v", err)
	}
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: "dvt_" + strings.Repeat("x", 300)}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("overlong token: %v", err)
	}
	if p, err := f.acc.Authenticate(f.ctx, service.Credentials{}); p != nil || err != nil {
		t.Fatalf("no credentials: %v %v", p, err)
	}
}

// TestAccountsTokenLastUse: last_used_at is written at most once a minute.
func TestAccountsTokenLastUse(t *testing.T) {
	f := newAccFixture(t)
	lanP := f.as("lan")
	secret, _, err := f.acc.CreateToken(f.ctx, lanP, service.NewToken{Name: "đo"})
	if err != nil {
		t.Fatal(err)
	}
	lastUse := func() time.Time {
		ts, err := f.acc.Tokens(f.ctx, lanP)
		if err != nil {
			t.Fatal(err)
		}
		return ts[0].LastUsedAt
	}
	first := *f.now.Load()
	for range 5 {
		if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret}); err != nil {
			t.Fatal(err)
		}
		f.advance(5 * time.Second)
	}
	if got := lastUse(); !got.Equal(first) {
		t.Fatalf("last use %v, want the first request %v", got, first)
	}
	f.advance(time.Minute)
	now := *f.now.Load()
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret}); err != nil {
		t.Fatal(err)
	}
	if got := lastUse(); !got.Equal(now) {
		t.Fatalf("last use %v, want %v a minute later", got, now)
	}
}

// TestAccountsOffboarding: a password change or a disabled account revokes
// every token and ends the sessions (a password change keeps the session
// that made it).
func TestAccountsOffboarding(t *testing.T) {
	f := newAccFixture(t)
	signIn := func(name string) string {
		s, err := f.acc.SignIn(f.ctx, service.SignInInput{Username: name, Password: accPassword, IP: "10.0.0.9"})
		if err != nil {
			t.Fatalf("sign in %s: %v", name, err)
		}
		return s.Token
	}
	// Password change by the user, from one of two sessions.
	other := signIn("lan")
	cookie := signIn("lan")
	p, err := f.acc.Authenticate(f.ctx, service.Credentials{Session: cookie})
	if err != nil || p == nil || p.Session == nil {
		t.Fatalf("session: %v %v", p, err)
	}
	secret, _, err := f.acc.CreateToken(f.ctx, p, service.NewToken{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.acc.ChangePassword(f.ctx, p, "wrong current", "mật khẩu mới hoàn toàn"); invalidFields(err) != "current" {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := f.acc.ChangePassword(f.ctx, p, accPassword, "short"); invalidFields(err) != "new" {
		t.Fatalf("short new password: %v", err)
	}
	if err := f.acc.ChangePassword(f.ctx, p, accPassword, "mật khẩu mới hoàn toàn"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []service.Credentials{{Session: other}, {Bearer: secret}} {
		if _, err := f.acc.Authenticate(f.ctx, c); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("after password change %+v: %v", c, err)
		}
	}
	kept, err := f.acc.Authenticate(f.ctx, service.Credentials{Session: cookie})
	if err != nil || kept == nil || kept.Session == nil || kept.User.ID != p.User.ID {
		t.Fatalf("the session that changed the password: %v %v", kept, err)
	}
	if kept.Session.CSRF != p.Session.CSRF || !kept.Session.ExpiresAt.Equal(p.Session.ExpiresAt) {
		t.Errorf("kept session changed: %+v, was %+v", kept.Session, p.Session)
	}
	if _, err := f.acc.SignIn(f.ctx, service.SignInInput{Username: "lan", Password: accPassword, IP: "10.0.0.9"}); !errors.Is(err, service.ErrSignInFailed) {
		t.Errorf("sign in with the old password: %v", err)
	}
	if _, err := f.acc.SignIn(f.ctx, service.SignInInput{Username: "lan", Password: "mật khẩu mới hoàn toàn", IP: "10.0.0.9"}); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	// Disabled by an administrator.
	cookie = signIn("inspector")
	ip := f.as("inspector")
	secret, _, err = f.acc.CreateToken(f.ctx, ip, service.NewToken{Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.acc.SetDisabled(f.ctx, f.as("admin"), ip.User.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []service.Credentials{{Session: cookie}, {Bearer: secret}} {
		if _, err := f.acc.Authenticate(f.ctx, c); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("after disabling %+v: %v", c, err)
		}
	}
	if _, err := f.acc.SignIn(f.ctx, service.SignInInput{Username: "inspector", Password: accPassword, IP: "10.0.0.9"}); !errors.Is(err, service.ErrSignInFailed) {
		t.Errorf("disabled account signs in: %v", err)
	}
	// Enabled again: the tokens stay revoked, the password works.
	if err := f.acc.SetDisabled(f.ctx, f.as("admin"), ip.User.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Errorf("token revived by enabling: %v", err)
	}
	signIn("inspector")
	// An administrator's reset does the same.
	secret, _, err = f.acc.CreateToken(f.ctx, f.as("leader"), service.NewToken{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.acc.ResetPassword(f.ctx, f.as("admin"), f.user["leader"].ID, "x"); invalidFields(err) != "password" {
		t.Errorf("short reset: %v", err)
	}
	if err := f.acc.ResetPassword(f.ctx, f.as("admin"), f.user["leader"].ID, "mật khẩu đặt lại"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Bearer: secret}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Errorf("token after reset: %v", err)
	}
	if err := f.acc.SetDisabled(f.ctx, f.as("admin"), 987654, true); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("disable unknown user: %v", err)
	}
}

// TestAccountsLastAdmin: the last administrator grant cannot be revoked, nor
// its holder disabled; two administrators revoking each other at once
// cannot both succeed (the count and the removal are one transaction).
func TestAccountsLastAdmin(t *testing.T) {
	f := newAccFixture(t)
	adminGrant := func(name string) int64 {
		gs, err := f.st.UserGrants(f.ctx, f.user[name].ID)
		if err != nil || len(gs) != 1 {
			t.Fatalf("%s: %v %v", name, gs, err)
		}
		return gs[0].ID
	}
	for round := range 8 {
		a, b := f.as("admin"), f.as("adm2")
		ga, gb := adminGrant("admin"), adminGrant("adm2")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		wg.Add(2)
		go func() { defer wg.Done(); <-start; _, errs[0] = f.acc.Revoke(f.ctx, a, gb) }()
		go func() { defer wg.Done(); <-start; _, errs[1] = f.acc.Revoke(f.ctx, b, ga) }()
		close(start)
		wg.Wait()
		okN, lastN := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				okN++
			case errors.Is(err, service.ErrLastAdmin):
				lastN++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if okN != 1 || lastN != 1 {
			t.Fatalf("round %d: %d revoked, %d refused: %v", round, okN, lastN, errs)
		}
		n, err := f.st.CountRoleGrants(f.ctx, authz.RoleAdmin)
		if err != nil || n != 1 {
			t.Fatalf("round %d: %d admin grants left (%v)", round, n, err)
		}
		// Give the role back to whoever lost it.
		sys := service.SystemPrincipal()
		for _, name := range []string{"admin", "adm2"} {
			unit := f.unit["P"]
			if name == "adm2" {
				unit = f.unit["C2"]
			}
			if _, _, err := f.acc.Grant(f.ctx, sys, service.GrantInput{UserID: f.user[name].ID, Role: "admin", UnitID: unit}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Alone, the last one can be neither revoked nor disabled.
	if _, err := f.acc.Revoke(f.ctx, f.as("admin"), adminGrant("adm2")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.Revoke(f.ctx, f.as("admin"), adminGrant("admin")); !errors.Is(err, service.ErrLastAdmin) || !errors.Is(err, service.ErrConflict) {
		t.Errorf("revoke the last admin: %v", err)
	}
	if err := f.acc.SetDisabled(f.ctx, service.SystemPrincipal(), f.user["admin"].ID, true); !errors.Is(err, service.ErrLastAdmin) {
		t.Errorf("disable the last admin: %v", err)
	}
	// A disabled administrator does not count.
	if _, _, err := f.acc.Grant(f.ctx, service.SystemPrincipal(), service.GrantInput{UserID: f.user["adm2"].ID, Role: "admin", UnitID: f.unit["C2"]}); err != nil {
		t.Fatal(err)
	}
	if err := f.acc.SetDisabled(f.ctx, f.as("admin"), f.user["adm2"].ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.Revoke(f.ctx, f.as("admin"), adminGrant("admin")); !errors.Is(err, service.ErrLastAdmin) {
		t.Errorf("revoke the last enabled admin: %v", err)
	}
}

// TestAccountsSignInThrottles: the throttles count attempts before hashing
// and treat known and unknown user names alike.
func TestAccountsSignInThrottles(t *testing.T) {
	f := newAccFixture(t)
	attempt := func(name, pw, ip string) string {
		_, err := f.acc.SignIn(f.ctx, service.SignInInput{Username: name, Password: pw, IP: ip})
		var th *service.ThrottledError
		if errors.As(err, &th) && th.Locked {
			return "locked"
		}
		return accOutcome(err)
	}
	if got := attempt("LAN ", accPassword, "10.1.0.1"); got != "ok" {
		t.Fatalf("sign in: %s", got)
	}
	// The same sequence for an existing and an unknown name, each from its
	// own address.
	seq := func(name, ip string) []string {
		var out []string
		for range account.DefaultPolicy.MaxFailures + 2 {
			out = append(out, attempt(name, "sai mật khẩu", ip))
		}
		return out
	}
	known, unknown := seq("lan", "10.2.0.1"), seq("khong-co-ai", "10.2.0.2")
	if fmt.Sprint(known) != fmt.Sprint(unknown) {
		t.Errorf("known %v, unknown %v: the answers tell them apart", known, unknown)
	}
	if known[0] != "unauthenticated" || known[len(known)-1] != "locked" {
		t.Errorf("sequence %v", known)
	}
	// Locked: even the right password is refused, until the window passes.
	if got := attempt("lan", accPassword, "10.2.0.3"); got != "locked" {
		t.Errorf("right password while locked: %s", got)
	}
	f.advance(account.DefaultPolicy.LockFor + time.Minute)
	if got := attempt("lan", accPassword, "10.2.0.3"); got != "ok" {
		t.Errorf("after the lock: %s", got)
	}
	// Per address: many names from one address.
	var last string
	for i := range account.DefaultPolicy.IPMaxFailures + 1 {
		last = attempt(fmt.Sprintf("ten-%d", i), "sai", "10.3.0.1")
	}
	if last != "toomany" {
		t.Errorf("address over its limit: %s", last)
	}
	if got := attempt("lan", accPassword, "10.3.0.1"); got != "toomany" {
		t.Errorf("right password from a throttled address: %s", got)
	}
	// Garbage names are refused without hashing or storing.
	for _, name := range []string{"", "a\x00b", "\xff\xfe", strings.Repeat("a", 65)} {
		if got := attempt(name, "x", "10.4.0.1"); got != "unauthenticated" {
			t.Errorf("name %q: %s", name, got)
		}
	}
}

// TestAccountsSignInParallel: 40 wrong sign-ins at once from one address do
// not run 40 password hashes (64 MiB each): most are refused with 429
// before hashing, and at most MaxConcurrentHashes hashes run at a time.
func TestAccountsSignInParallel(t *testing.T) {
	f := newAccFixture(t)
	var running, peak, total atomic.Int32
	service.SetHashHook(f.acc, func(n int) {
		total.Add(1)
		for {
			p := peak.Load()
			if int32(n) <= p || peak.CompareAndSwap(p, int32(n)) {
				break
			}
		}
		running.Store(int32(n))
	})
	const n = 40
	var wg sync.WaitGroup
	results := make([]string, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.acc.SignIn(f.ctx, service.SignInInput{Username: "lan", Password: fmt.Sprintf("sai-%d", i), IP: "10.9.9.9"})
			results[i] = accOutcome(err)
		}()
	}
	close(start)
	wg.Wait()
	counts := map[string]int{}
	for _, r := range results {
		counts[r]++
	}
	if counts["ok"] != 0 || counts["toomany"] < n/2 || counts["toomany"]+counts["unauthenticated"] != n {
		t.Errorf("answers %v", counts)
	}
	if p := peak.Load(); p < 1 || p > service.MaxConcurrentHashes {
		t.Errorf("peak concurrent hashes %d, want 1..%d", p, service.MaxConcurrentHashes)
	}
	if h := total.Load(); int(h) > account.DefaultPolicy.MaxFailures {
		t.Errorf("%d hashes ran for one name; the limit is %d failures", h, account.DefaultPolicy.MaxFailures)
	}
}

// TestAccountsSessions: a session ends after the idle timeout and at its
// absolute end; signing out ends it.
func TestAccountsSessions(t *testing.T) {
	f := newAccFixture(t)
	s, err := f.acc.SignIn(f.ctx, service.SignInInput{Username: "leader", Password: accPassword, IP: "10.0.0.1", Lang: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	if s.User.Locale != "ja" {
		t.Errorf("the visitor's language is not kept: %q", s.User.Locale)
	}
	p, err := f.acc.Authenticate(f.ctx, service.Credentials{Session: s.Token})
	if err != nil || p.User.Username != "leader" || len(p.Grants) != 1 || p.Grants[0].Role != authz.RoleLeader {
		t.Fatalf("session principal: %+v %v", p, err)
	}
	f.advance(account.DefaultPolicy.IdleTimeout - time.Minute)
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Session: s.Token}); err != nil {
		t.Fatalf("active session: %v", err)
	}
	f.advance(account.DefaultPolicy.IdleTimeout + time.Minute)
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Session: s.Token}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("idle session: %v", err)
	}
	s, err = f.acc.SignIn(f.ctx, service.SignInInput{Username: "leader", Password: accPassword, IP: "10.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	p, err = f.acc.Authenticate(f.ctx, service.Credentials{Session: s.Token})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.acc.SignOut(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.Authenticate(f.ctx, service.Credentials{Session: s.Token}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("signed-out session: %v", err)
	}
}

// FuzzNewUserValidate: whatever the input, an accepted user has a valid
// name and password and clean, bounded text that either engine stores.
func FuzzNewUserValidate(f *testing.F) {
	for _, s := range [][5]string{
		{"lan.vu", "Vũ Thị Lan", "lan@example.vn", "một mật khẩu dài", "vi"},
		{"Bad Name", "", "not an address", "short", "fr"},
		{"ok", "A\x00B", "a@b\x00", "0123456789\x00", ""},
		{"ok", "\xff\xfe", "\u202e@x.vn", "\xed\xa0\x80", "ja"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, username, fullName, email, password, locale string) {
		in := service.NewUser{Username: username, FullName: fullName, Email: email, Password: password, Locale: locale}
		if in.Validate() != nil {
			return
		}
		if account.ValidUsername(in.Username) != nil || account.CheckPasswordStrength(in.Password) != nil || strings.ContainsRune(in.Password, 0) ||
			!service.CleanLine(in.FullName) || in.FullName == "" || len([]rune(in.FullName)) > 200 ||
			!service.CleanLine(in.Email) || len(in.Email) > 254 || (in.Locale != "" && in.Locale != "vi" && in.Locale != "en" && in.Locale != "ja") {
			t.Fatalf("accepted %+v", in)
		}
	})
}
