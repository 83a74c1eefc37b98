package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/api"
)

type userPage struct {
	Items []api.User `json:"items"`
	Total int        `json:"total"`
	Next  *string    `json:"next"`
}

type grantPage struct {
	Items []api.Grant `json:"items"`
	Total int         `json:"total"`
}

type auditPage struct {
	Items []api.AuditEntry `json:"items"`
	Total int              `json:"total"`
	Next  *string          `json:"next"`
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	w := e.do("GET", "/api/v1/me", nil)
	problem(t, w, 401, "unauthenticated")
	if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate %q", got)
	}
	w = e.do("GET", "/api/v1/units", nil, bearer("dvt_not-a-token"))
	problem(t, w, 401, "invalid-token")
	if got := w.Header().Get("WWW-Authenticate"); !strings.Contains(got, `error="invalid_token"`) {
		t.Errorf("WWW-Authenticate %q", got)
	}
	for _, path := range []string{"/api/v1/users", "/api/v1/audit", "/api/v1/audit/verify", "/api/v1/users/1", "/api/v1/users/1/grants"} {
		problem(t, e.do("GET", path, nil), 401, "unauthenticated")
	}
	problem(t, e.do("POST", "/api/v1/users", raw(`{}`)), 401, "unauthenticated")
	problem(t, e.do("DELETE", "/api/v1/grants/1", nil), 401, "unauthenticated")

	// A bearer token.
	me := decode[api.Me](t, e.do("GET", "/api/v1/me", nil, e.as("truong")), 200)
	if me.User.Username != "truong" || me.Auth != "token" || me.CSRFToken != nil || me.Admin {
		t.Fatalf("me: %+v", me)
	}
	if len(me.Grants) != 1 || me.Grants[0].Role != "unit_head" || me.Grants[0].UnitName != "Phường Hạc Thành" {
		t.Fatalf("grants: %+v", me.Grants)
	}
	// A session cookie.
	s := e.signIn("admin")
	me = decode[api.Me](t, e.do("GET", "/api/v1/me", nil, withSession(s, false)), 200)
	if me.Auth != "session" || me.CSRFToken == nil || *me.CSRFToken != s.csrf || !me.Admin {
		t.Fatalf("me by session: %+v", me)
	}
	if strings.Contains(e.do("GET", "/api/v1/me", nil, e.as("admin")).Body.String(), "argon2") {
		t.Fatal("the password hash leaks")
	}
}

func TestPermissionRefusals(t *testing.T) {
	e := newEnv(t)
	for _, who := range []string{"canbo", "truong", "dieuphoi", "khach"} {
		problem(t, e.do("GET", "/api/v1/users", nil, e.as(who)), 403, "forbidden")
		problem(t, e.do("POST", "/api/v1/users", map[string]string{"username": "x1"}, e.as(who)), 403, "forbidden")
		problem(t, e.do("GET", "/api/v1/audit", nil, e.as(who)), 403, "forbidden")
		problem(t, e.do("GET", "/api/v1/audit/verify", nil, e.as(who)), 403, "forbidden")
		problem(t, e.do("GET", fmt.Sprintf("/api/v1/users/%d", e.user["admin"]), nil, e.as(who)), 403, "forbidden")
	}
	// Oneself is always visible.
	if u := decode[api.User](t, e.do("GET", fmt.Sprintf("/api/v1/users/%d", e.user["canbo"]), nil, e.as("canbo")), 200); u.Username != "canbo" {
		t.Fatalf("self: %+v", u)
	}
	// Someone without any power to grant sees only their own grants.
	problem(t, e.do("GET", fmt.Sprintf("/api/v1/users/%d/grants", e.user["truong"]), nil, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"]), map[string]any{"role": "citizen", "unit_id": e.unit["W1"]}, e.as("canbo")), 403, "forbidden")
	users := decode[userPage](t, e.do("GET", "/api/v1/users?q=o", nil, e.as("admin")), 200)
	if got := len(users.Items); got != 3 || users.Total != 3 { // canbo, dieuphoi, truong
		t.Fatalf("q=an: %+v", users)
	}
	problem(t, e.do("GET", "/api/v1/users/424242", nil, e.as("admin")), 404, "not-found")
}

func TestCreateUser(t *testing.T) {
	e := newEnv(t)
	body := map[string]string{"username": "lan.vu", "full_name": "Vũ Thị Lan", "email": "lan@example.vn", "password": "một mật khẩu dài", "position": "Phó Trưởng ban"}
	w := e.do("POST", "/api/v1/users", body, e.as("admin"))
	u := decode[api.User](t, w, 201)
	if si, err := e.st.Signer(t.Context(), u.ID); err != nil || si.Position != "Phó Trưởng ban" {
		t.Errorf("position for signature blocks: %+v %v", si, err)
	}
	if u.ID == 0 || u.Username != "lan.vu" || u.FullName != "Vũ Thị Lan" || u.Disabled {
		t.Fatalf("created: %+v", u)
	}
	if loc := w.Header().Get("Location"); loc != fmt.Sprintf("/api/v1/users/%d", u.ID) {
		t.Errorf("Location %q", loc)
	}
	stored, err := e.st.UserByName(t.Context(), "lan.vu")
	if err != nil || !strings.HasPrefix(stored.PasswordHash, "$argon2id$") || !account.CheckPassword(stored.PasswordHash, "một mật khẩu dài") {
		t.Fatalf("stored hash: %v %q", err, stored.PasswordHash)
	}
	if got := decode[api.User](t, e.do("GET", fmt.Sprintf("/api/v1/users/%d", u.ID), nil, e.as("admin")), 200); got != u {
		t.Errorf("read back %+v, want %+v", got, u)
	}
	p := problem(t, e.do("POST", "/api/v1/users", body, e.as("admin")), 409, "conflict")
	if !slices.Equal(fields(p), []string{"username"}) {
		t.Errorf("duplicate: %+v", p)
	}
	p = problem(t, e.do("POST", "/api/v1/users", map[string]string{"username": "Bad Name", "email": "not an address", "password": "short"}, e.as("admin")), 422, "validation")
	if got := fields(p); !slices.Equal(got, []string{"username", "full_name", "email", "password"}) {
		t.Errorf("validation fields %q", got)
	}
	p = problem(t, e.do("POST", "/api/v1/users", map[string]string{"username": "ok", "full_name": "A\x00B", "password": "0123456789", "locale": "fr"}, e.as("admin")), 422, "validation")
	if got := fields(p); !slices.Equal(got, []string{"full_name", "locale"}) {
		t.Errorf("validation fields %q", got)
	}
	// The audit log names the actor and the address.
	a := decode[auditPage](t, e.do("GET", "/api/v1/audit?action=user.create&entity_id="+fmt.Sprint(u.ID), nil, e.as("admin")), 200)
	if a.Total != 1 || a.Items[0].Actor != "admin" || a.Items[0].ActorID == nil || *a.Items[0].ActorID != e.user["admin"] || a.Items[0].IP != "192.0.2.1" {
		t.Fatalf("audit: %+v", a)
	}
	if strings.Contains(string(a.Items[0].After), "argon2") || !strings.Contains(string(a.Items[0].After), `"lan.vu"`) {
		t.Errorf("audit after: %s", a.Items[0].After)
	}
}

func TestMalformedBodies(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	grants := fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"])
	for _, c := range []struct {
		name   string
		path   string
		body   any
		ct     string
		status int
		kind   string
		field  string
	}{
		{"syntax", "/api/v1/users", raw(`{"username": "a",`), "", 400, "malformed-json", ""},
		{"not json", "/api/v1/users", raw(`username=a`), "", 400, "malformed-json", ""},
		{"empty", "/api/v1/users", raw(``), "", 400, "malformed-json", ""},
		{"array", "/api/v1/users", raw(`[1,2]`), "", 400, "malformed-json", ""},
		{"string", grants, raw(`"role"`), "", 400, "malformed-json", ""},
		{"two values", "/api/v1/users", raw(`{} {}`), "", 400, "malformed-json", ""},
		{"unknown field", "/api/v1/users", raw(`{"username": "a", "is_admin": true}`), "", 400, "unknown-field", "is_admin"},
		{"unknown field grant", grants, raw(`{"role": "citizen", "unit": 1}`), "", 400, "unknown-field", "unit"},
		{"wrong type", "/api/v1/users", raw(`{"username": 42}`), "", 400, "wrong-type", "username"},
		{"wrong type id", grants, raw(`{"role": "citizen", "unit_id": "1"}`), "", 400, "wrong-type", "unit_id"},
		{"float id", grants, raw(`{"role": "citizen", "unit_id": 1.5}`), "", 400, "wrong-type", "unit_id"},
		{"huge id", grants, raw(`{"role": "citizen", "unit_id": 1e40}`), "", 400, "wrong-type", "unit_id"},
		{"huge body", "/api/v1/users", raw(`{"full_name": "` + strings.Repeat("a", api.MaxBody) + `"}`), "", 413, "too-large", ""},
		{"huge white space", grants, raw(`{}` + strings.Repeat(" ", api.MaxBody)), "chunked", 413, "too-large", ""},
		{"huge chunked", "/api/v1/users", raw(`{"full_name": "` + strings.Repeat("a", 2*api.MaxBody) + `"}`), "chunked", 413, "too-large", ""},
		{"form", "/api/v1/users", raw(`username=a`), "application/x-www-form-urlencoded", 415, "unsupported-media-type", ""},
		{"no type", grants, raw(`{}`), "-", 415, "unsupported-media-type", ""},
		{"bad type", grants, raw(`{}`), "application/json; charset", 415, "unsupported-media-type", ""},
		{"null", grants, raw(`null`), "", 422, "validation", "role"},
		{"bad role", grants, raw(`{"role": "emperor", "unit_id": 1}`), "", 422, "validation", "role"},
		{"missing unit", grants, raw(`{"role": "citizen", "unit_id": 987654}`), "", 422, "validation", "unit_id"},
		{"negative unit", grants, raw(`{"role": "citizen", "unit_id": -4}`), "", 422, "validation", "unit_id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := []opt{admin}
			switch c.ct {
			case "":
			case "chunked": // length unknown until read
				opts = append(opts, func(r *http.Request) { r.ContentLength = -1 })
			case "-":
				opts = append(opts, func(r *http.Request) { r.Header.Del("Content-Type") })
			default:
				opts = append(opts, header("Content-Type", c.ct))
			}
			p := problem(t, e.do("POST", c.path, c.body, opts...), c.status, c.kind)
			if c.field != "" && !slices.Contains(fields(p), c.field) {
				t.Errorf("fields %q, want %q", fields(p), c.field)
			}
		})
	}
	// application/merge-patch+json-style suffixes are JSON too.
	problem(t, e.do("POST", grants, raw(`{}`), admin, header("Content-Type", "application/vnd.danvan+json; charset=utf-8")), 422, "validation")
	problem(t, e.do("POST", "/api/v1/users/abc/grants", raw(`{}`), admin), 404, "not-found")
	problem(t, e.do("POST", "/api/v1/users/777777/grants", map[string]any{"role": "citizen", "unit_id": e.unit["W1"]}, admin), 404, "not-found")
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	s := e.signIn("admin")
	body := map[string]any{"role": "citizen", "unit_id": e.unit["W1"]}
	path := fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"])
	problem(t, e.do("POST", path, body, withSession(s, false)), 403, "csrf")
	problem(t, e.do("POST", path, body, withSession(s, false), header("X-CSRF-Token", "forged")), 403, "csrf")
	problem(t, e.do("DELETE", "/api/v1/grants/1", nil, withSession(s, false)), 403, "csrf")
	g := decode[api.Grant](t, e.do("POST", path, body, withSession(s, true)), 201)
	if g.Role != "citizen" || g.UserID != e.user["khach"] {
		t.Fatalf("grant: %+v", g)
	}
	// Reads need no token; bearer-token changes need none either.
	decode[grantPage](t, e.do("GET", path, nil, withSession(s, false)), 200)
	decode[api.Grant](t, e.do("POST", path, body, e.as("admin")), 200)
}

func TestGrantRoundTripIsAudited(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	path := fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"])
	body := map[string]any{"role": "case_handler", "unit_id": e.unit["W1"]}
	g := decode[api.Grant](t, e.do("POST", path, body, admin), 201)
	if g.ID == 0 || g.Role != "case_handler" || g.UnitID != e.unit["W1"] || g.UnitName != "Phường Hạc Thành" || g.Username != "khach" {
		t.Fatalf("grant: %+v", g)
	}
	if again := decode[api.Grant](t, e.do("POST", path, body, admin), 200); again.ID != g.ID {
		t.Fatalf("idempotent grant: %+v", again)
	}
	list := decode[grantPage](t, e.do("GET", path, nil, admin), 200)
	if list.Total != 1 || list.Items[0] != g {
		t.Fatalf("grants: %+v", list)
	}
	// The holder sees it through /me and their own list.
	if me := decode[api.Me](t, e.do("GET", "/api/v1/me", nil, e.as("khach")), 200); len(me.Grants) != 1 {
		t.Fatalf("me: %+v", me)
	}
	w := e.do("DELETE", fmt.Sprintf("/api/v1/grants/%d", g.ID), nil, admin)
	if w.Code != 204 || w.Body.Len() != 0 {
		t.Fatalf("revoke: %d %s", w.Code, w.Body.String())
	}
	problem(t, e.do("DELETE", fmt.Sprintf("/api/v1/grants/%d", g.ID), nil, admin), 404, "not-found")
	if list := decode[grantPage](t, e.do("GET", path, nil, admin), 200); list.Total != 0 || list.Items == nil {
		t.Fatalf("after revoke: %+v", list)
	}
	a := decode[auditPage](t, e.do("GET", fmt.Sprintf("/api/v1/audit?action=grant.&entity=user&entity_id=%d", e.user["khach"]), nil, admin), 200)
	if a.Total != 2 || a.Items[0].Action != "grant.revoke" || a.Items[1].Action != "grant.add" {
		t.Fatalf("audit: %+v", a)
	}
	for _, it := range a.Items {
		if it.Actor != "admin" || it.IP != "192.0.2.1" || !strings.Contains(string(it.Before)+string(it.After), `"case_handler"`) {
			t.Errorf("audit entry: %+v", it)
		}
	}
	v := decode[api.AuditVerify](t, e.do("GET", "/api/v1/audit/verify", nil, admin), 200)
	if !v.OK || v.Count < 10 || v.BrokenAt != nil || v.Reason != nil {
		t.Fatalf("verify: %+v", v)
	}
	// Tamper with the chain: verify says where it breaks.
	if _, err := e.st.DB().Exec(`UPDATE audit_log SET actor_name = 'mallory' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	v = decode[api.AuditVerify](t, e.do("GET", "/api/v1/audit/verify", nil, admin), 200)
	if v.OK || v.Count != 2 || v.BrokenAt == nil || *v.BrokenAt != 3 || v.Reason == nil {
		t.Fatalf("verify after tampering: %+v", v)
	}
}

func TestGrantScopes(t *testing.T) {
	e := newEnv(t)
	grant := func(who, role, unit string) *httptest.ResponseRecorder {
		return e.do("POST", fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"]), map[string]any{"role": role, "unit_id": e.unit[unit]}, e.as(who))
	}
	// A unit head grants officers and case handlers in their own unit only.
	g := decode[api.Grant](t, grant("truong", "unit_officer", "W1"), 201)
	problem(t, grant("truong", "coordinator", "W1"), 403, "forbidden")
	problem(t, grant("truong", "unit_officer", "W2"), 403, "forbidden")
	problem(t, grant("truong", "unit_officer", "P38"), 403, "forbidden")
	// A coordinator: anything but admin and coordinator in their subtree.
	decode[api.Grant](t, grant("dieuphoi", "leader", "W2"), 201)
	problem(t, grant("dieuphoi", "admin", "W2"), 403, "forbidden")
	// The unit head sees only the grants within reach.
	list := decode[grantPage](t, e.do("GET", fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"]), nil, e.as("truong")), 200)
	if list.Total != 1 || list.Items[0].ID != g.ID {
		t.Fatalf("unit head's view: %+v", list)
	}
	// Revoking follows the same rules.
	admins := decode[grantPage](t, e.do("GET", fmt.Sprintf("/api/v1/users/%d/grants", e.user["admin"]), nil, e.as("admin")), 200)
	problem(t, e.do("DELETE", fmt.Sprintf("/api/v1/grants/%d", admins.Items[0].ID), nil, e.as("dieuphoi")), 403, "forbidden")
	problem(t, e.do("DELETE", fmt.Sprintf("/api/v1/grants/%d", admins.Items[0].ID), nil, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("DELETE", "/api/v1/grants/abc", nil, e.as("admin")), 404, "not-found")
	// The last administrator cannot remove themselves.
	problem(t, e.do("DELETE", fmt.Sprintf("/api/v1/grants/%d", admins.Items[0].ID), nil, e.as("admin")), 409, "conflict")
	if w := e.do("DELETE", fmt.Sprintf("/api/v1/grants/%d", g.ID), nil, e.as("truong")); w.Code != 204 {
		t.Fatalf("unit head revokes: %d %s", w.Code, w.Body.String())
	}
}

func TestAuditFilters(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	all := decode[auditPage](t, e.do("GET", "/api/v1/audit?limit=5", nil, admin), 200)
	if all.Total < 10 || len(all.Items) != 5 || all.Next == nil || all.Items[0].ID < all.Items[1].ID {
		t.Fatalf("audit: total %d, %d items, next %v", all.Total, len(all.Items), all.Next)
	}
	for _, q := range []string{"from=2025-08-01&to=2025-08-01", "from=2025-08-01T09:59:00%2B07:00", "to=2025-08-02", "actor=test"} {
		if p := decode[auditPage](t, e.do("GET", "/api/v1/audit?"+q, nil, admin), 200); p.Total != all.Total {
			t.Errorf("%s: total %d, want %d", q, p.Total, all.Total)
		}
	}
	for _, q := range []string{"from=2025-08-02", "to=2025-07-31", "from=2025-08-01T10:00:01%2B07:00", "actor=nobody", "entity=galaxy"} {
		if p := decode[auditPage](t, e.do("GET", "/api/v1/audit?"+q, nil, admin), 200); p.Total != 0 {
			t.Errorf("%s: total %d, want 0", q, p.Total)
		}
	}
	for _, q := range []string{"from=yesterday", "to=2025-02-30", "from=2025-08-01T25:00:00Z", "actor=%00", "limit=all"} {
		problem(t, e.do("GET", "/api/v1/audit?"+q, nil, admin), 400, "invalid-parameter")
	}
}

func TestNoRouteAndWrongMethod(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/nope", "/api/v1", "/api/v1/", "/api/v1/units/", "/api/v1/units/1/nope", "/api/v1/grants"} {
		problem(t, e.do("GET", path, nil), 404, "no-route")
	}
	for _, c := range []struct{ method, path, allow string }{
		{"PUT", "/api/v1/units", "GET, HEAD, POST"},
		{"DELETE", "/api/v1/users", "GET, HEAD, POST"},
		{"PATCH", "/api/v1/users/5", "GET, HEAD"},
		{"GET", "/api/v1/grants/5", "DELETE"},
		{"POST", "/api/v1/audit/verify", "GET, HEAD"},
	} {
		w := e.do(c.method, c.path, nil, e.as("admin"))
		problem(t, w, 405, "method-not-allowed")
		if got := w.Header().Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
	if w := e.do("OPTIONS", "/api/v1/users", nil); w.Code != 204 || w.Header().Get("Allow") != "GET, HEAD, POST, OPTIONS" {
		t.Errorf("OPTIONS: %d %q", w.Code, w.Header().Get("Allow"))
	}
}

func TestProblemLanguage(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		opts  []opt
		lang  string
		title string
	}{
		{nil, "vi", "Không tìm thấy"},
		{[]opt{header("Accept-Language", "ja-JP,ja;q=0.9")}, "ja", "見つかりません"},
		{[]opt{header("Accept-Language", "ja"), header("X-Ignored", "")}, "ja", "見つかりません"},
	} {
		w := e.do("GET", "/api/v1/units/999999", nil, c.opts...)
		p := problem(t, w, 404, "not-found")
		if p.Title != c.title || w.Header().Get("Content-Language") != c.lang {
			t.Errorf("%s: title %q, Content-Language %q", c.lang, p.Title, w.Header().Get("Content-Language"))
		}
	}
	w := e.do("GET", "/api/v1/users/999999?lang=en", nil, e.as("admin"))
	if p := problem(t, w, 404, "not-found"); p.Title != "Not found" || w.Header().Get("Content-Language") != "en" {
		t.Errorf("?lang=en: %+v", p)
	}
	p := problem(t, e.do("POST", "/api/v1/users?lang=en", map[string]string{"username": "ok", "full_name": "Ok", "password": "short"}, e.as("admin")), 422, "validation")
	if len(p.Errors) != 1 || p.Errors[0].Field != "password" || p.Errors[0].Message != "The password must have at least 10 characters." {
		t.Errorf("field message: %+v", p.Errors)
	}
}

type tokenPage struct {
	Items []api.Token `json:"items"`
	Total int         `json:"total"`
}

// TestTokensAndOffboarding: GET /me/tokens, DELETE /me/tokens/{id}, and
// POST /users/{id}/disable|enable; a revoked token answers 401 at once.
func TestTokensAndOffboarding(t *testing.T) {
	e := newEnv(t)
	problem(t, e.do("GET", "/api/v1/me/tokens", nil), 401, "unauthenticated")
	mine := decode[tokenPage](t, e.do("GET", "/api/v1/me/tokens", nil, e.as("canbo")), 200)
	if mine.Total != 1 || len(mine.Items) != 1 || !mine.Items[0].Active || mine.Items[0].Name != "test" || mine.Items[0].LastUsedAt == nil {
		t.Fatalf("my tokens: %+v", mine)
	}
	if strings.Contains(e.do("GET", "/api/v1/me/tokens", nil, e.as("canbo")).Body.String(), "hash") {
		t.Fatal("the token hash leaks")
	}
	id := mine.Items[0].ID
	// Someone else's token: 404, like one that does not exist.
	theirs := decode[tokenPage](t, e.do("GET", "/api/v1/me/tokens", nil, e.as("truong")), 200).Items[0].ID
	problem(t, e.do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", theirs), nil, e.as("canbo")), 404, "not-found")
	problem(t, e.do("DELETE", "/api/v1/me/tokens/999999", nil, e.as("canbo")), 404, "not-found")
	problem(t, e.do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", theirs), nil, e.as("admin")), 404, "not-found")
	// With a session cookie, the CSRF header is required.
	s := e.signIn("canbo")
	problem(t, e.do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", id), nil, withSession(s, false)), 403, "csrf")
	if w := e.do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", id), nil, withSession(s, true)); w.Code != 204 {
		t.Fatalf("revoke: %d %s", w.Code, w.Body.String())
	}
	problem(t, e.do("GET", "/api/v1/me", nil, e.as("canbo")), 401, "invalid-token")
	after := decode[tokenPage](t, e.do("GET", "/api/v1/me/tokens", nil, withSession(s, false)), 200)
	if after.Items[0].Active || after.Items[0].RevokedAt == nil {
		t.Fatalf("after revoking: %+v", after.Items[0])
	}
	// Disabling: user.manage only; ends the sessions and revokes the tokens.
	truong := e.user["truong"]
	for _, who := range []string{"truong", "dieuphoi", "khach"} { // canbo's token is revoked by now
		problem(t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/disable", truong), nil, e.as(who)), 403, "forbidden")
	}
	problem(t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/disable", truong), nil), 401, "unauthenticated")
	problem(t, e.do("POST", "/api/v1/users/999999/disable", nil, e.as("admin")), 404, "not-found")
	ts := e.signIn("truong")
	u := decode[api.User](t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/disable", truong), nil, e.as("admin")), 200)
	if !u.Disabled {
		t.Fatalf("disabled: %+v", u)
	}
	problem(t, e.do("GET", "/api/v1/me", nil, e.as("truong")), 401, "invalid-token")
	problem(t, e.do("GET", "/api/v1/me", nil, withSession(ts, false)), 401, "unauthenticated")
	u = decode[api.User](t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/enable", truong), nil, e.as("admin")), 200)
	if u.Disabled {
		t.Fatalf("enabled: %+v", u)
	}
	problem(t, e.do("GET", "/api/v1/me", nil, e.as("truong")), 401, "invalid-token") // revoked for good
	// The last administrator cannot be disabled.
	p := problem(t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/disable", e.user["admin"]), nil, e.as("admin")), 409, "conflict")
	if !strings.Contains(p.Detail, "quản trị") {
		t.Errorf("last admin: %+v", p)
	}
}

// TestGrantsRevealNothing: someone who may not read users cannot tell which
// user ids exist, and nobody but an administrator grants themselves a role.
func TestGrantsRevealNothing(t *testing.T) {
	e := newEnv(t)
	// A unit head may grant within W1: an unknown id looks like a user
	// without grants in reach.
	known := decode[grantPage](t, e.do("GET", fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"]), nil, e.as("truong")), 200)
	unknown := decode[grantPage](t, e.do("GET", "/api/v1/users/999999/grants", nil, e.as("truong")), 200)
	if known.Total != 0 || unknown.Total != 0 {
		t.Fatalf("known %+v unknown %+v", known, unknown)
	}
	// Without any power to grant: 403 whether or not the id exists.
	problem(t, e.do("GET", "/api/v1/users/999999/grants", nil, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("GET", fmt.Sprintf("/api/v1/users/%d/grants", e.user["khach"]), nil, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("GET", "/api/v1/users/999999", nil, e.as("canbo")), 403, "forbidden")
	// Self-grant.
	problem(t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/grants", e.user["truong"]), map[string]any{"role": "unit_officer", "unit_id": e.unit["W1"]}, e.as("truong")), 403, "forbidden")
	problem(t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/grants", e.user["dieuphoi"]), map[string]any{"role": "leader", "unit_id": e.unit["W1"]}, e.as("dieuphoi")), 403, "forbidden")
	decode[api.Grant](t, e.do("POST", fmt.Sprintf("/api/v1/users/%d/grants", e.user["admin"]), map[string]any{"role": "leader", "unit_id": e.unit["W1"]}, e.as("admin")), 201)
	// Control characters in a user's name are refused like the web form's.
	p := problem(t, e.do("POST", "/api/v1/users", map[string]string{"username": "lan", "full_name": "Vũ\u0007Lan", "password": "một mật khẩu dài"}, e.as("admin")), 422, "validation")
	if !slices.Equal(fields(p), []string{"full_name"}) {
		t.Errorf("control character: %+v", p)
	}
}
