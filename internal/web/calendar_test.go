package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
)

// session signs in a new user holding role on the province.
func (e *uenv) session(name string, role authz.Role) string {
	e.t.Helper()
	ctx, sys := context.Background(), audit.System("test")
	u := account.User{Username: name, FullName: name}
	if err := e.st.CreateUser(ctx, sys, &u); err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.AddGrant(ctx, sys, u.ID, role, e.unit["P"]); err != nil {
		e.t.Fatal(err)
	}
	tok, hash, err := account.NewToken("")
	if err != nil {
		e.t.Fatal(err)
	}
	now := e.st.Now()
	if err := e.st.CreateSession(ctx, account.Session{TokenHash: hash, UserID: u.ID, CSRF: "x", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// post sends a form (with the session's CSRF token) signed in with cookie.
func (e *uenv) post(path, lang, cookie string, form url.Values) (int, string, string) {
	e.t.Helper()
	form.Set("csrf", "x")
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "192.0.2.10:5000"
	if lang != "" {
		r.Header.Set("Accept-Language", lang)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: cookie})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header().Get("Location")
}

func TestCalendarAdminPages(t *testing.T) {
	e := newUenv(t)
	officer := e.session("canbo", authz.RoleUnitOfficer)

	// Administrators only.
	if code, _ := e.get("/admin/calendar?year=2025", "192.0.2.10", "vi", officer); code != http.StatusForbidden {
		t.Errorf("officer: %d", code)
	}
	if code, _ := e.get("/admin/calendar", "192.0.2.10", "vi", ""); code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", code)
	}
	if code, _, _ := e.post("/admin/calendar", "vi", officer, url.Values{"year": {"2027"}, "kind": {"extra"}, "from": {"2027-02-12"}, "source": {"x"}}); code != http.StatusForbidden {
		t.Errorf("officer post: %d", code)
	}

	// The 2025 decision recorded at first start, with its source, among the statutory days.
	code, body := e.get("/admin/calendar?year=2025", "192.0.2.10", "vi", e.admin)
	body = html.UnescapeString(body)
	if code != 200 {
		t.Fatalf("admin: %d", code)
	}
	for _, want := range []string{"Lịch nghỉ năm 2025", "Thông báo 6150/TB-LĐTBXH", "Ngày làm việc bù", "Tết Âm lịch", "Quốc khánh", "Theo luật", `<table class="cards"`, `data-label="Ngày"`} {
		if !strings.Contains(body, want) {
			t.Errorf("2025 page lacks %q", want)
		}
	}
	if code, _ := e.get("/admin/calendar?year=abc", "192.0.2.10", "vi", e.admin); code != http.StatusUnprocessableEntity {
		t.Errorf("bad year: %d", code)
	}

	// A bad date: 422 with the message beside the field, the input kept.
	code, body, _ = e.post("/admin/calendar", "vi", e.admin, url.Values{"year": {"2027"}, "kind": {"extra"}, "from": {"2027-02-30"}, "source": {"Quyết định thử"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="cal-from-err"`) || !strings.Contains(body, "Quyết định thử") {
		t.Errorf("bad date: %d\n%s", code, body)
	}
	code, body, _ = e.post("/admin/calendar", "en", e.admin, url.Values{"year": {"2027"}, "kind": {"working"}, "from": {"2027-02-10"}, "source": {"x"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a weekly rest day") {
		t.Errorf("working weekday: %d", code)
	}

	// Add, then delete through the confirmation page.
	code, _, loc := e.post("/admin/calendar", "vi", e.admin, url.Values{"year": {"2027"}, "kind": {"extra"}, "from": {"2027-02-12"}, "source": {"Thông báo thử 2027"}, "source_url": {"https://example.gov.vn/tb"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "year=2027") {
		t.Fatalf("add: %d %s", code, loc)
	}
	_, body = e.get(loc, "192.0.2.10", "vi", e.admin)
	if !strings.Contains(body, "Thông báo thử 2027") || !strings.Contains(body, `href="https://example.gov.vn/tb"`) || !strings.Contains(body, "Đã ghi nhận") {
		t.Errorf("after add:\n%s", body)
	}
	m := regexp.MustCompile(`/admin/calendar/decisions/(\d+)/delete`).FindString(body)
	if m == "" {
		t.Fatal("no delete link")
	}
	code, body = e.get(m, "192.0.2.10", "vi", e.admin)
	if code != 200 || !strings.Contains(body, `method="post" action="`+m+`"`) {
		t.Fatalf("confirm: %d\n%s", code, body)
	}
	if code, _ := e.get(m, "192.0.2.10", "vi", officer); code != http.StatusForbidden {
		t.Errorf("officer confirm: %d", code)
	}
	if ds, _ := e.st.CalendarDecisions(context.Background(), 2027); len(ds) != 1 {
		t.Fatalf("the confirmation page deleted: %d left", len(ds))
	}
	if code, _, _ := e.post(m, "vi", e.admin, url.Values{}); code != http.StatusSeeOther {
		t.Errorf("delete: %d", code)
	}
	if ds, _ := e.st.CalendarDecisions(context.Background(), 2027); len(ds) != 0 {
		t.Errorf("after delete: %d left", len(ds))
	}
	if code, _, _ := e.post(m, "vi", e.admin, url.Values{}); code != http.StatusNotFound {
		t.Errorf("second delete: %d", code)
	}
}
