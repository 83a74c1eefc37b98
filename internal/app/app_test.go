package app_test

import (
	"context"
	"github.com/danvan/danvan/internal/service/servicetest"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/app"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

const password = "mật khẩu thử nghiệm"

type env struct {
	t      testing.TB
	st     *store.Store
	srv    *httptest.Server
	bundle *i18n.Bundle
	units  map[string]int64
	clock  *atomic.Pointer[time.Time]
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	e := &env{t: t, st: st, units: map[string]int64{}, clock: &atomic.Pointer[time.Time]{}}
	now := time.Now().UTC()
	e.clock.Store(&now)
	st.SetClock(func() time.Time { return *e.clock.Load() })
	csv := "code,name,kind,parent_code,valid_from,valid_to,remote\n" +
		"P38,Tỉnh Thanh Hóa,province,,2000-01-01,,\n" +
		"D1,Huyện Đông Sơn,district,P38,2000-01-01,2025-06-30,\n" +
		"1,Xã Đông Hòa,commune,D1,2000-01-01,2025-06-30,\n" +
		"11,Phường Hạc Thành,ward,P38,2025-07-01,,\n" +
		"12,Xã Đông Tiến,commune,P38,2025-07-01,,\n"
	rows, err := org.ParseCSV(strings.NewReader(csv), org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportUnits(ctx, audit.System("test"), rows); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"P38", "11", "12"} {
		u, err := st.UnitByCode(ctx, c, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		e.units[c] = u.ID
	}
	hash, _ := account.HashPassword(password)
	for _, u := range []struct {
		name string
		role authz.Role
		unit string
	}{{"admin", authz.RoleAdmin, "P38"}, {"canbo", authz.RoleUnitOfficer, "11"}} {
		acc := account.User{Username: u.name, FullName: u.name, PasswordHash: hash}
		if err := st.CreateUser(ctx, audit.System("test"), &acc); err != nil {
			t.Fatal(err)
		}
		if err := st.AddGrant(ctx, audit.System("test"), acc.ID, u.role, e.units[u.unit]); err != nil {
			t.Fatal(err)
		}
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e.bundle = bundle
	cfg := config.Default()
	d := &server.Deps{Svc: servicetest.New(t, st), Cfg: cfg, I18n: bundle, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy: account.DefaultPolicy, Version: "test", Metrics: server.NewMetrics()}
	var ready atomic.Bool
	ready.Store(true)
	h, err := app.Handler(d, &ready)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// client is a browser: a cookie jar, no automatic redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) get(c *http.Client, path string, hdr ...string) (int, string, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post submits a form, taking the CSRF token from the page at from.
func (e *env) post(c *http.Client, from, path string, form url.Values) (int, string, http.Header) {
	e.t.Helper()
	_, page, _ := e.get(c, from)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		e.t.Fatalf("no csrf token on %s", from)
	}
	form.Set("csrf", m[1])
	return e.postRaw(c, path, form.Encode(), "application/x-www-form-urlencoded")
}

func (e *env) postRaw(c *http.Client, path, body, ctype string, hdr ...string) (int, string, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (e *env) signIn(c *http.Client, user string) {
	e.t.Helper()
	code, body, hdr := e.post(c, "/signin", "/signin", url.Values{"username": {user}, "password": {password}, "next": {"/units"}})
	if code != http.StatusSeeOther || hdr.Get("Location") != "/units" {
		e.t.Fatalf("sign in %s: %d %s %q", user, code, hdr.Get("Location"), body)
	}
}

func TestPublicPagesAndLanguages(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	tests := []struct {
		path, accept string
		code         int
		want         []string
	}{
		{"/", "", 200, []string{`<html lang="vi">`, "Đăng nhập", "Trang chủ"}},
		{"/", "en-US,en;q=0.9", 200, []string{`<html lang="en">`, "Sign in"}},
		{"/", "ja", 200, []string{`<html lang="ja">`, "ログイン"}},
		{"/?lang=en", "", 200, []string{`<html lang="en">`}},
		{"/units", "", 200, []string{"Phường Hạc Thành", "Xã Đông Tiến"}},
		{"/units?at=2025-03-01", "", 200, []string{"Huyện Đông Sơn", "Xã Đông Hòa"}},
		{"/units?q=dong+tien", "", 200, []string{"Xã Đông Tiến"}},
		{"/units?q=%C4%90%C3%94NG", "", 200, []string{"Xã Đông Tiến"}},
		{"/units?q=dong&at=2025-03-01", "", 200, []string{"Huyện Đông Sơn", "Xã Đông Hòa"}},
		{"/units?q=zzzz", "", 200, []string{"Không tìm thấy đơn vị nào."}},
		{"/units?at=2025-13-45", "", 400, []string{"Ngày không hợp lệ"}},
		{"/units?kind=castle", "", 400, []string{"Loại đơn vị không hợp lệ"}},
		{"/units/99999", "", 404, []string{"<html lang=\"vi\">"}},
		{"/units/abc", "", 404, nil},
		{"/no/such/page", "en", 404, []string{`<html lang="en">`}},
		{"/signin", "", 200, []string{`name="password"`}},
		{"/admin/users", "", 303, nil},
		{"/healthz", "", 200, []string{"ok"}},
		{"/readyz", "", 200, []string{"ready"}},
	}
	for _, tc := range tests {
		code, body, hdr := e.get(c, tc.path, "Accept-Language", tc.accept)
		if code != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.path, code, tc.code)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: body lacks %q", tc.path, w)
			}
		}
		if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: CSP %q", tc.path, csp)
		}
		if hdr.Get("X-Content-Type-Options") != "nosniff" || hdr.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: security headers missing", tc.path)
		}
	}
	// The unit page shows successors for an old unit and predecessors for a new one.
	old, _ := e.st.UnitByCode(context.Background(), "1", "2025-01-01")
	if err := e.st.AddSuccessor(context.Background(), audit.System("t"), org.Successor{PredecessorID: old.ID, SuccessorID: e.units["12"], Portion: "full", Effective: "2025-07-01"}); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := e.get(c, "/units/"+itoa(old.ID)); !strings.Contains(body, "Xã Đông Tiến") {
		t.Error("successor not shown")
	}
	if _, body, _ := e.get(c, "/units/"+itoa(e.units["12"])); !strings.Contains(body, "Xã Đông Hòa") {
		t.Error("predecessor not shown")
	}
	// /metrics is not public: an administrator, or the scraper's token.
	if code, body, _ := e.get(c, "/metrics"); code != http.StatusUnauthorized || strings.Contains(body, "danvan_http_requests_total") {
		t.Errorf("anonymous metrics: %d", code)
	}
	officer := e.client()
	e.signIn(officer, "canbo")
	if code, _, _ := e.get(officer, "/metrics"); code != http.StatusUnauthorized {
		t.Errorf("officer's metrics: %d", code)
	}
	admin := e.client()
	e.signIn(admin, "admin")
	if _, body, _ := e.get(admin, "/metrics"); !strings.Contains(body, "danvan_http_requests_total") {
		t.Error("metrics missing for an administrator")
	}
	t.Setenv(server.MetricsTokenEnv, "scraper-token-0123456789")
	if _, body, _ := e.get(c, "/metrics", "Authorization", "Bearer scraper-token-0123456789"); !strings.Contains(body, "danvan_http_requests_total") {
		t.Error("metrics missing for the scraper's token")
	}
	if code, _, _ := e.get(c, "/metrics", "Authorization", "Bearer scraper-token-01234567xx"); code != http.StatusUnauthorized {
		t.Errorf("wrong scraper token: %d", code)
	}
	if missing := e.bundle.Missing(); len(missing) > 0 {
		t.Errorf("pages asked for keys missing from the catalogs: %v", missing)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSignInFailuresAndLockout(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	unknown := url.Values{"username": {"nobody"}, "password": {"whatever password"}}
	code, bodyUnknown, _ := e.post(c, "/signin", "/signin", unknown)
	if code != 401 {
		t.Fatalf("unknown user: %d", code)
	}
	code, bodyWrong, _ := e.post(c, "/signin", "/signin", url.Values{"username": {"canbo"}, "password": {"wrong password"}})
	if code != 401 {
		t.Fatalf("wrong password: %d", code)
	}
	msg := "Tên đăng nhập hoặc mật khẩu không đúng."
	if !strings.Contains(bodyUnknown, msg) || !strings.Contains(bodyWrong, msg) {
		t.Fatal("the two failures must show the same message")
	}
	// 5 failures in all lock the account; even the right password is refused then.
	for i := 0; i < 3; i++ {
		e.post(c, "/signin", "/signin", url.Values{"username": {"canbo"}, "password": {"wrong password"}})
	}
	code, body, _ := e.post(c, "/signin", "/signin", url.Values{"username": {"canbo"}, "password": {"wrong password"}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, "tạm khoá") {
		t.Fatalf("no lockout after 5 failures: %d", code)
	}
	code, _, _ = e.post(c, "/signin", "/signin", url.Values{"username": {"canbo"}, "password": {password}})
	if code != http.StatusTooManyRequests {
		t.Fatalf("locked account accepted the right password: %d", code)
	}
	// An unknown name is locked in the same way: the answers do not tell
	// which names exist.
	for i := 0; i < 3; i++ {
		if code, _, _ := e.post(c, "/signin", "/signin", unknown); code != http.StatusUnauthorized {
			t.Fatalf("unknown name, failure %d: %d", i+2, code)
		}
	}
	if code, body, hdr := e.post(c, "/signin", "/signin", unknown); code != http.StatusTooManyRequests || !strings.Contains(body, "tạm khoá") || hdr.Get("Retry-After") == "" {
		t.Fatalf("unknown name after 5 failures: %d", code)
	}
	// After the lock expires the right password works.
	later := time.Now().UTC().Add(16 * time.Minute)
	e.clock.Store(&later)
	e.signIn(c, "canbo")
	// An off-site redirect target is ignored.
	c2 := e.client()
	code, _, hdr := e.post(c2, "/signin", "/signin", url.Values{"username": {"admin"}, "password": {password}, "next": {"//evil.example/"}})
	if code != 303 || hdr.Get("Location") != "/" {
		t.Fatalf("open redirect: %d %q", code, hdr.Get("Location"))
	}
}

func TestCSRFAndCrossOrigin(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.signIn(c, "admin")
	form := url.Values{"username": {"x1"}, "full_name": {"X"}, "password": {"long enough password"}}
	if code, body, _ := e.postRaw(c, "/admin/users", form.Encode(), "application/x-www-form-urlencoded"); code != 403 || !strings.Contains(body, "<html") {
		t.Fatalf("POST without csrf: %d", code)
	}
	form.Set("csrf", "forged")
	if code, _, _ := e.postRaw(c, "/admin/users", form.Encode(), "application/x-www-form-urlencoded"); code != 403 {
		t.Fatalf("POST with a forged csrf: %d", code)
	}
	if code, _, _ := e.postRaw(c, "/signout", "", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"); code != 403 {
		t.Fatalf("cross-site POST: %d", code)
	}
}

func TestAdministration(t *testing.T) {
	e := newEnv(t)
	officer := e.client()
	e.signIn(officer, "canbo")
	if code, _, _ := e.get(officer, "/admin/users"); code != 403 {
		t.Fatalf("officer on /admin/users: %d", code)
	}
	if code, _, _ := e.get(officer, "/admin/audit"); code != 403 {
		t.Fatalf("officer on /admin/audit: %d", code)
	}
	admin := e.client()
	e.signIn(admin, "admin")
	// Validation: every problem beside its field, nothing created.
	code, body, _ := e.post(admin, "/admin/users", "/admin/users", url.Values{"username": {"Bad Name"}, "full_name": {""}, "password": {"short"}})
	if code != 422 || !strings.Contains(body, "ít nhất 10 ký tự") || !strings.Contains(body, "Trường này là bắt buộc.") || !strings.Contains(body, `value="bad name"`) {
		t.Fatalf("validation: %d", code)
	}
	code, _, hdr := e.post(admin, "/admin/users", "/admin/users", url.Values{"username": {"lan"}, "full_name": {"Vũ Thị Lan"}, "password": {"correct horse battery"}})
	if code != 303 {
		t.Fatalf("create: %d", code)
	}
	userPage := strings.Split(hdr.Get("Location"), "?")[0]
	code, _, _ = e.post(admin, "/admin/users", "/admin/users", url.Values{"username": {"lan"}, "full_name": {"Lan"}, "password": {"correct horse battery"}})
	if code != 409 {
		t.Fatalf("duplicate: %d", code)
	}
	code, _, _ = e.post(admin, userPage, userPage+"/grants", url.Values{"role": {"unit_officer"}, "unit_id": {itoa(e.units["12"])}})
	if code != 303 {
		t.Fatalf("grant: %d", code)
	}
	if code, _, _ := e.post(admin, userPage, userPage+"/grants", url.Values{"role": {"emperor"}, "unit_id": {itoa(e.units["12"])}}); code != 422 {
		t.Fatalf("bad role: %d", code)
	}
	if code, _, _ := e.post(admin, userPage, userPage+"/grants", url.Values{"role": {"leader"}, "unit_id": {"nope"}}); code != 422 {
		t.Fatalf("bad unit: %d", code)
	}
	_, body, _ = e.get(admin, userPage)
	if !strings.Contains(body, "Cán bộ đơn vị") || !strings.Contains(body, "Xã Đông Tiến") {
		t.Fatal("grant not listed")
	}
	revoke := regexp.MustCompile(`href="(/admin/grants/\d+/revoke)"`).FindStringSubmatch(body)
	if revoke == nil {
		t.Fatal("no revoke link")
	}
	// The confirmation page, then the revocation.
	if code, body, _ := e.get(admin, revoke[1]); code != 200 || !strings.Contains(body, "Thu hồi") {
		t.Fatalf("confirm page: %d", code)
	}
	if code, _, _ := e.post(admin, revoke[1], revoke[1], url.Values{}); code != 303 {
		t.Fatalf("revoke: %d", code)
	}
	_, body, _ = e.get(admin, "/admin/audit?verify=1")
	for _, w := range []string{"user.create", "grant.add", "grant.revoke", "toàn vẹn"} {
		if !strings.Contains(body, w) {
			t.Errorf("audit page lacks %q", w)
		}
	}
	if _, body, _ := e.get(admin, "/admin/audit?action=grant.&actor=admin"); strings.Contains(body, "user.create") || !strings.Contains(body, "grant.add") {
		t.Error("audit filter does not filter")
	}
	// Language choice is remembered in the account.
	if code, _, _ := e.post(admin, "/", "/lang", url.Values{"lang": {"ja"}, "next": {"/"}}); code != 303 {
		t.Fatalf("lang: %d", code)
	}
	fresh := e.client()
	e.signIn(fresh, "admin")
	if _, body, _ := e.get(fresh, "/"); !strings.Contains(body, `<html lang="ja">`) {
		t.Fatal("language not remembered for the user")
	}
	if missing := e.bundle.Missing(); len(missing) > 0 {
		t.Errorf("missing catalog keys: %v", missing)
	}
}

func TestSessionTimeouts(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.signIn(c, "admin")
	if code, _, _ := e.get(c, "/admin/users"); code != 200 {
		t.Fatalf("signed in: %d", code)
	}
	later := time.Now().UTC().Add(31 * time.Minute)
	e.clock.Store(&later)
	if code, _, hdr := e.get(c, "/admin/users"); code != 303 || !strings.HasPrefix(hdr.Get("Location"), "/signin") {
		t.Fatalf("idle session still valid: %d", code)
	}
}

func TestCookiesAreHardened(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	code, _, hdr := e.post(c, "/signin", "/signin", url.Values{"username": {"admin"}, "password": {password}})
	if code != 303 {
		t.Fatal(code)
	}
	var found bool
	for _, sc := range hdr.Values("Set-Cookie") {
		if strings.HasPrefix(sc, server.SessionCookie+"=") {
			found = true
			for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(sc, attr) {
					t.Errorf("session cookie lacks %s: %s", attr, sc)
				}
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

// FuzzFormDecoding posts arbitrary bodies to the form handlers: a bad form
// is a 4xx, never a 5xx.
func FuzzFormDecoding(f *testing.F) {
	f.Add("/signin", "username=admin&password=x", "application/x-www-form-urlencoded")
	f.Add("/admin/users", "username=%ZZ&full_name=a", "application/x-www-form-urlencoded")
	f.Add("/lang", "lang=xx", "multipart/form-data; boundary=zz")
	f.Add("/signin", strings.Repeat("a=b&", 100), "text/plain")
	f.Add("/admin/users/1/grants", "role=admin&unit_id=-1", "application/x-www-form-urlencoded")
	f.Add("/units", "", "")
	e := newEnv(f)
	c := e.client()
	e.signIn(c, "admin")
	_, page, _ := e.get(c, "/")
	token := csrfRE.FindStringSubmatch(page)[1]
	f.Fuzz(func(t *testing.T, path, body, ctype string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " #?%") || len(path) > 200 || strings.IndexFunc(path, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
			return // not a path a client can send
		}
		if strings.IndexFunc(ctype, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			return // not a header a client can send
		}
		if strings.Contains(ctype, "urlencoded") {
			body = "csrf=" + token + "&" + body
		}
		e.t = t
		code, _, _ := e.postRaw(c, path, body, ctype)
		if code >= 500 {
			t.Fatalf("POST %s %q (%s): %d", path, body, ctype, code)
		}
	})
}

func TestCrossOriginRefusalSpeaksEachDoor(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	code, body, hdr := e.postRaw(c, "/api/v1/users", `{}`, "application/json", "Sec-Fetch-Site", "cross-site")
	if code != http.StatusForbidden || !strings.HasPrefix(hdr.Get("Content-Type"), "application/problem+json") ||
		!strings.Contains(body, `"type":"urn:danvan:problem:csrf"`) || !strings.Contains(body, `"status":403`) {
		t.Fatalf("API cross-origin: %d %q %s", code, hdr.Get("Content-Type"), body)
	}
	code, body, hdr = e.postRaw(c, "/signout", "", "application/x-www-form-urlencoded", "Origin", "https://evil.example")
	if code != http.StatusForbidden || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html") {
		t.Fatalf("HTML cross-origin: %d %q", code, hdr.Get("Content-Type"))
	}
}

var tokenRE = regexp.MustCompile(`<code class="token">(dvt_[^<]+)</code>`)

// TestOffboardingFromTheWeb: tokens are listed and revoked on the account
// page; an administrator disables an account (after a confirmation page),
// which ends its sessions and revokes its tokens at once, and resets a
// password.
func TestOffboardingFromTheWeb(t *testing.T) {
	e := newEnv(t)
	officer := e.client()
	e.signIn(officer, "canbo")
	newToken := func(name string) string {
		code, body, _ := e.post(officer, "/account", "/account/tokens", url.Values{"name": {name}, "days": {"30"}})
		m := tokenRE.FindStringSubmatch(body)
		if code != 200 || m == nil {
			t.Fatalf("create token: %d", code)
		}
		return m[1]
	}
	api := func(tok string) int {
		code, _, _ := e.get(e.client(), "/api/v1/me", "Authorization", "Bearer "+tok)
		return code
	}
	first, second := newToken("máy một"), newToken("máy hai")
	if api(first) != 200 || api(second) != 200 {
		t.Fatal("new tokens refused")
	}
	if code, _, _ := e.post(officer, "/account", "/account/tokens", url.Values{"name": {"x"}, "days": {"9999"}}); code != 422 {
		t.Errorf("lifetime out of bounds: %d", code)
	}
	_, body, _ := e.get(officer, "/account")
	if !strings.Contains(body, "máy một") || !strings.Contains(body, "máy hai") {
		t.Fatal("tokens not listed")
	}
	links := regexp.MustCompile(`href="(/account/tokens/\d+/revoke)"`).FindAllStringSubmatch(body, -1)
	if len(links) != 2 {
		t.Fatalf("revoke links: %v", links)
	}
	// Newest first: the first link revokes "máy hai".
	if code, body, _ := e.get(officer, links[0][1]); code != 200 || !strings.Contains(body, "máy hai") {
		t.Fatalf("confirmation page: %d", code)
	}
	if code, _, hdr := e.post(officer, links[0][1], links[0][1], url.Values{}); code != 303 || !strings.Contains(hdr.Get("Location"), "token_revoked") {
		t.Fatalf("revoke: %d", code)
	}
	if api(second) != http.StatusUnauthorized || api(first) != 200 {
		t.Fatal("revoking one token must stop it at once and leave the other")
	}
	// Someone else's token cannot be revoked from one's account page.
	admin := e.client()
	e.signIn(admin, "admin")
	if code, _, _ := e.get(admin, links[1][1]); code != 404 {
		t.Errorf("another user's token: %d", code)
	}
	// Disabling canbo ends their session and revokes their tokens.
	var canbo int64
	if u, err := e.st.UserByName(context.Background(), "canbo"); err == nil {
		canbo = u.ID
	}
	page := "/admin/users/" + itoa(canbo)
	if code, body, _ := e.get(admin, page+"/disable"); code != 200 || !strings.Contains(body, "canbo") {
		t.Fatalf("disable confirmation: %d", code)
	}
	if code, _, _ := e.post(admin, page+"/disable", page+"/disable", url.Values{}); code != 303 {
		t.Fatalf("disable: %d", code)
	}
	if api(first) != http.StatusUnauthorized {
		t.Error("a disabled account's token still works")
	}
	if code, _, hdr := e.get(officer, "/account"); code != 303 || !strings.HasPrefix(hdr.Get("Location"), "/signin") {
		t.Errorf("a disabled account's session still works: %d", code)
	}
	if _, body, _ := e.get(admin, page); !strings.Contains(body, "Đã khóa") {
		t.Error("user page does not show the account disabled")
	}
	// Enable again, then reset the password: the old one stops working.
	if code, _, _ := e.post(admin, page+"/disable", page+"/disable", url.Values{}); code != 303 {
		t.Fatalf("enable: %d", code)
	}
	if code, _, _ := e.post(admin, page, page+"/password", url.Values{"password": {"short"}}); code != 422 {
		t.Errorf("short reset: %d", code)
	}
	if code, _, _ := e.post(admin, page, page+"/password", url.Values{"password": {"một mật khẩu mới"}}); code != 303 {
		t.Fatalf("reset: %d", code)
	}
	fresh := e.client()
	if code, _, _ := e.post(fresh, "/signin", "/signin", url.Values{"username": {"canbo"}, "password": {password}}); code != 401 {
		t.Errorf("old password after reset: %d", code)
	}
	// The last administrator cannot be disabled.
	var adminID int64
	if u, err := e.st.UserByName(context.Background(), "admin"); err == nil {
		adminID = u.ID
	}
	ap := "/admin/users/" + itoa(adminID)
	if code, body, _ := e.post(admin, ap+"/disable", ap+"/disable", url.Values{}); code != 409 || !strings.Contains(body, "quản trị viên cuối cùng") {
		t.Errorf("disable the last admin: %d", code)
	}
	if missing := e.bundle.Missing(); len(missing) > 0 {
		t.Errorf("missing catalog keys: %v", missing)
	}
}
