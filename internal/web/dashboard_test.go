package web_test

import (
	"context"
	"encoding/xml"
	"github.com/danvan/danvan/internal/service/servicetest"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
	"github.com/danvan/danvan/internal/web"
)

// dashNow is the store clock of the dashboard tests: 20 Mar 2026.
var dashNow = time.Date(2026, 3, 20, 3, 0, 0, 0, time.UTC)

type denv struct {
	t    *testing.T
	st   *store.Store
	h    http.Handler
	unit map[string]int64
	sess map[string]string
}

// newDenv: province P38 with wards W1 and W2; users dieuphoi (coordinator
// of P38), lanhdao (leader of P38), truong (unit head of W1), canbo
// (officer of W1) and khach (no grant).
func newDenv(t *testing.T) *denv {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return dashNow })
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if m := b.Missing(); len(m) > 0 {
			t.Errorf("missing i18n keys: %q", m)
		}
	})
	d := &server.Deps{Svc: servicetest.New(t, st), Cfg: config.Default(), I18n: b, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy: account.DefaultPolicy, Version: "test", Metrics: server.NewMetrics()}
	w, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux, d)
	w.Register(mux)
	e := &denv{t: t, st: st, h: d.Wrap(mux), unit: map[string]int64{}, sess: map[string]string{}}
	ctx := context.Background()
	sys := audit.System("test")
	for _, u := range []struct {
		code, name, parent string
		kind               org.Kind
	}{{"P38", "Tỉnh Thanh Hóa", "", org.KindProvince}, {"W1", "Phường Hạc Thành", "P38", org.KindWard}, {"W2", "Xã <Đông> Sơn", "P38", org.KindCommune}} {
		x := org.Unit{Code: u.code, Name: u.name, Kind: u.kind, ParentID: e.unit[u.parent], ValidFrom: "2025-07-01"}
		if err := st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		e.unit[u.code] = x.ID
	}
	hash, _ := account.HashPassword("dashboard-test-1")
	for _, u := range []struct {
		name string
		role authz.Role
		unit string
	}{{"dieuphoi", authz.RoleCoordinator, "P38"}, {"lanhdao", authz.RoleLeader, "P38"}, {"truong", authz.RoleUnitHead, "W1"}, {"canbo", authz.RoleUnitOfficer, "W1"}, {"khach", "", ""}} {
		usr := account.User{Username: u.name, FullName: u.name, PasswordHash: hash}
		if err := st.CreateUser(ctx, sys, &usr); err != nil {
			t.Fatal(err)
		}
		if u.role != "" {
			if err := st.AddGrant(ctx, sys, usr.ID, u.role, e.unit[u.unit]); err != nil {
				t.Fatal(err)
			}
		}
		tok, th, _ := account.NewToken("")
		csrf, _, _ := account.NewToken("")
		now := st.Now()
		if err := st.CreateSession(ctx, account.Session{TokenHash: th, UserID: usr.ID, CSRF: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		e.sess[u.name] = tok
	}
	return e
}

func (e *denv) get(user, path, lang string) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	if user != "" {
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess[user]})
	}
	if lang != "" {
		r.Header.Set("Accept-Language", lang)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// exec runs a query written with '?' on either engine; INSERTs into tables
// with an id return it.
func (e *denv) exec(query string, args ...any) int64 {
	e.t.Helper()
	if e.st.Dialect() == store.Postgres {
		n := 0
		query = regexp.MustCompile(`\?`).ReplaceAllStringFunc(query, func(string) string { n++; return "$" + strconv.Itoa(n) })
	}
	if strings.HasPrefix(query, "INSERT") && !strings.Contains(query, "report_values") && !strings.Contains(query, "task_texts") {
		var id int64
		if err := e.st.DB().QueryRowContext(context.Background(), query+" RETURNING id", args...).Scan(&id); err != nil {
			e.t.Fatalf("%s: %v", query, err)
		}
		return id
	}
	if _, err := e.st.DB().ExecContext(context.Background(), query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return 0
}

func (e *denv) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if e.st.Dialect() == store.Postgres {
		return t
	}
	return t.Format(time.RFC3339Nano)
}

// seed: directive 1470-CV/TU with a task for each ward, plans, a monthly
// template scheduled for wards and communes, reports of Jan–Mar 2026.
func (e *denv) seed() {
	now := e.ts(dashNow)
	dir := e.exec(`INSERT INTO directives (number, doc_type, issued_on, issuer_unit_id, lang, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		"1470-CV/TU", "cv", "2024-02-22", e.unit["P38"], "vi", "Năm dân vận", now, now)
	for n, x := range []struct{ unit, title string }{{"W1", "Quán triệt <quy định> & \"dân vận\""}, {"W2", "Cải cách hành chính"}} {
		task := e.exec(`INSERT INTO directive_tasks (directive_id, number, weight, created_at) VALUES (?, ?, ?, ?)`, dir, n+1, 1.0, now)
		e.exec(`INSERT INTO directive_task_texts (task_id, lang, title, body, is_translation) VALUES (?, ?, ?, ?, ?)`, task, "vi", x.title, "", false)
		e.exec(`INSERT INTO task_assignments (task_id, unit_id, role, due_on, created_at) VALUES (?, ?, ?, ?, ?)`, task, e.unit[x.unit], "lead", "2026-12-31", now)
		e.exec(`INSERT INTO plan_activities (unit_id, task_id, title, start_on, due_on, weight, progress, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.unit[x.unit], task, "Hội nghị <quán triệt> "+x.unit, "2026-01-01", "2026-02-28", 1.0, 30*(n+1), now, now)
	}
	tpl := e.exec(`INSERT INTO report_templates (code, name, period_type, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		"BC-THANG", "Báo cáo tháng", "monthly", "{}", now, now)
	ind := e.exec(`INSERT INTO report_indicators (template_id, code, name, value_type, aggregation, sort_key) VALUES (?, ?, ?, ?, ?, ?)`, tpl, "tiep_cd", "Số buổi tiếp công dân", "integer", "sum", 1)
	rate := e.exec(`INSERT INTO report_indicators (template_id, code, name, value_type, aggregation, sort_key) VALUES (?, ?, ?, ?, ?, ?)`, tpl, "ty_le", "Tỷ lệ giải quyết", "percent", "avg", 2)
	e.exec(`INSERT INTO report_schedules (template_id, unit_id, unit_kinds, deadlines, created_at) VALUES (?, ?, ?, ?, ?)`, tpl, e.unit["P38"], "ward,commune", `[{"level":"commune","days_after_end":6}]`, now)
	win := map[int][3]string{1: {"2025-12-15", "2026-01-14", "2026-01-20"}, 2: {"2026-01-15", "2026-02-14", "2026-02-23"}, 3: {"2026-02-15", "2026-03-14", "2026-03-20"}}
	for _, r := range []struct {
		unit   string
		n      int
		status string
		at     time.Time
		v      float64
	}{
		{"W1", 1, "accepted", time.Date(2026, 1, 19, 2, 0, 0, 0, time.UTC), 5},
		{"W2", 1, "submitted", time.Date(2026, 1, 25, 2, 0, 0, 0, time.UTC), 8},
		{"W1", 2, "submitted", time.Date(2026, 2, 20, 2, 0, 0, 0, time.UTC), 6},
		{"W2", 2, "returned", time.Date(2026, 2, 21, 2, 0, 0, 0, time.UTC), 1},
		{"W1", 3, "draft", time.Time{}, 2},
	} {
		w := win[r.n]
		id := e.exec(`INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, submitted_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tpl, e.unit[r.unit], "monthly", 2026, r.n, w[0], w[1], w[2], r.status, e.ts(r.at), now, now)
		e.exec(`INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES (?, ?, ?, ?)`, id, ind, "", r.v)
		e.exec(`INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES (?, ?, ?, ?)`, id, rate, "", 10*r.v)
	}
}

// svgs checks that every chart on the page is well-formed XML with an
// accessible name, and returns how many there are.
func svgs(t *testing.T, body string) int {
	t.Helper()
	re := regexp.MustCompile(`(?s)<svg .*?</svg>`)
	all := re.FindAllString(body, -1)
	for _, s := range all {
		dec := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("chart is not well-formed: %v\n%s", err, s)
			}
		}
		if !strings.Contains(s, `role="img"`) || !strings.Contains(s, "<title") || !strings.Contains(s, "<desc") {
			t.Fatalf("chart without role, title or desc: %s", s)
		}
	}
	return len(all)
}

// The menu offers the dashboard only to those who may read one: a unit
// officer, who would get 403, does not see the link.
func TestDashboardMenuLink(t *testing.T) {
	e := newDenv(t)
	for user, want := range map[string]bool{"dieuphoi": true, "lanhdao": true, "canbo": false} {
		w := e.get(user, "/notifications", "vi")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", user, w.Code)
		}
		if got := strings.Contains(w.Body.String(), `href="/dashboard"`); got != want {
			t.Errorf("%s: dashboard link shown %v, want %v", user, got, want)
		}
		if code := e.get(user, "/dashboard", "vi").Code; (code == http.StatusOK) != want {
			t.Errorf("%s: /dashboard answers %d", user, code)
		}
	}
}

func TestDashboardPage(t *testing.T) {
	e := newDenv(t)

	// Before any data: every section says so, nothing fails.
	w := e.get("dieuphoi", "/dashboard", "vi")
	if w.Code != http.StatusOK {
		t.Fatalf("empty dashboard: %d\n%s", w.Code, w.Body.String())
	}
	if body := w.Body.String(); !strings.Contains(body, "Chưa có văn bản chỉ đạo nào.") || !strings.Contains(body, "Chưa có mẫu báo cáo nào.") || svgs(t, body) < 5 {
		t.Fatalf("empty dashboard lacks its empty states:\n%s", body)
	}

	e.seed()
	w = e.get("dieuphoi", "/dashboard", "vi")
	if w.Code != http.StatusOK {
		t.Fatalf("dashboard: %d\n%s", w.Code, w.Body.String())
	}
	body := w.Body.String()
	for _, want := range []string{
		"Bảng điều hành — Tỉnh Thanh Hóa",
		"Quán triệt &lt;quy định&gt; &amp; &#34;dân vận&#34;", // escaped in the chart and the table
		"Xã &lt;Đông&gt; Sơn",
		"Tháng 1/2026", "Tháng 3/2026",
		"Số buổi tiếp công dân",
		`<th scope="col">`, `<th scope="row">`,
		"/reports/", "/programme/units/",
		"45%", // directive progress: (30 + 60) / 2
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := svgs(t, body); n < 7 {
		t.Errorf("%d charts, want at least 7 (2 rings, tasks, status, units, completeness, 2 trends)", n)
	}
	if strings.Contains(body, "%!") || strings.Contains(body, "<quy định>") {
		t.Error("format error or unescaped label in the page")
	}

	// A coordinator can urge a late unit from the list; the form goes to the
	// follow-up work's POST /urges and comes back here.
	m := regexp.MustCompile(`(?s)<form method="post" action="/urges" class="inline">(.*?)</form>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no urge form for the coordinator")
	}
	form := url.Values{}
	for _, f := range regexp.MustCompile(`name="([a-z_]+)" value="([^"]*)"`).FindAllStringSubmatch(m[1], -1) {
		form.Set(f[1], html.UnescapeString(f[2]))
	}
	if form.Get("message") == "" || form.Get("csrf") == "" || !strings.HasPrefix(form.Get("next"), "/dashboard") {
		t.Fatalf("urge form fields: %v", form)
	}
	r := httptest.NewRequest("POST", "/urges", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess["dieuphoi"]})
	uw := httptest.NewRecorder()
	e.h.ServeHTTP(uw, r)
	if uw.Code != http.StatusSeeOther || !strings.HasPrefix(uw.Header().Get("Location"), "/dashboard") {
		t.Errorf("urge: %d %s\n%s", uw.Code, uw.Header().Get("Location"), uw.Body.String())
	}
	if strings.Contains(e.get("lanhdao", "/dashboard", "vi").Body.String(), `action="/urges"`) {
		t.Error("a leader may not urge, yet sees the button")
	}

	// Same page in English and Japanese: no missing keys (checked at cleanup).
	for _, lang := range []string{"en", "ja"} {
		if w := e.get("lanhdao", "/dashboard?period=2026-2", lang); w.Code != http.StatusOK {
			t.Errorf("%s: %d", lang, w.Code)
		}
	}

	// A unit head sees its own unit, not the province.
	if w := e.get("truong", "/dashboard", "vi"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Bảng điều hành — Phường Hạc Thành") {
		t.Errorf("unit head: %d", w.Code)
	}
	if w := e.get("truong", "/dashboard?unit="+strconv.FormatInt(e.unit["P38"], 10), "vi"); w.Code != http.StatusForbidden {
		t.Errorf("unit head on the province: %d, want 403", w.Code)
	}
	// Officers and users without a role may not; anonymous users sign in.
	for _, u := range []string{"canbo", "khach"} {
		if w := e.get(u, "/dashboard", "vi"); w.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", u, w.Code)
		}
	}
	if w := e.get("", "/dashboard", "vi"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/signin") {
		t.Errorf("anonymous: %d %s, want 303 to /signin", w.Code, w.Header().Get("Location"))
	}
	// Junk parameters fall back to the defaults.
	if w := e.get("dieuphoi", "/dashboard?directive=x&template=-1&period=%3Cb%3E", "vi"); w.Code != http.StatusOK {
		t.Errorf("junk parameters: %d", w.Code)
	}
	if w := e.get("dieuphoi", "/dashboard?unit=999999", "vi"); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
		t.Errorf("unknown unit: %d", w.Code)
	}
}
