package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/legal"
)

func TestDeadlineRulesPage(t *testing.T) {
	e := newUenv(t)
	officer := e.session("canbo", authz.RoleUnitOfficer)

	// Administrators only.
	if code, _ := e.get("/admin/calendar/rules", "192.0.2.10", "vi", officer); code != http.StatusForbidden {
		t.Errorf("officer: %d", code)
	}
	if code, _ := e.get("/admin/calendar/rules", "192.0.2.10", "vi", ""); code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", code)
	}
	form := url.Values{"key": {"complaint.accept"}, "name": {"Thụ lý khiếu nại"}, "days": {"7"}, "working_days": {"1"},
		"effective_from": {"2027-01-01"}, "basis": {"Nghị định thử 155"}}
	if code, _, _ := e.post("/admin/calendar/rules", "vi", officer, form); code != http.StatusForbidden {
		t.Errorf("officer post: %d", code)
	}

	// The calendar page links to the rules; the rules in force are listed with their basis.
	if _, body := e.get("/admin/calendar", "192.0.2.10", "vi", e.admin); !strings.Contains(body, `href="/admin/calendar/rules"`) {
		t.Error("calendar page lacks the link to the rules")
	}
	code, body := e.get("/admin/calendar/rules?on=2026-06-01", "192.0.2.10", "vi", e.admin)
	body = html.UnescapeString(body)
	if code != 200 {
		t.Fatalf("admin: %d", code)
	}
	for _, want := range []string{"Quy định thời hạn", "complaint.resolve.second.complex", "Luật Tố cáo số 25/2018/QH14", "10 ngày làm việc", "45 ngày", `<table class="cards"`, `data-label="Căn cứ pháp lý"`, `<label for="rule-key">`} {
		if !strings.Contains(body, want) {
			t.Errorf("rules page lacks %q", want)
		}
	}
	if code, _ := e.get("/admin/calendar/rules?on=2026-13-01", "192.0.2.10", "vi", e.admin); code != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d", code)
	}

	// Bad input: 422, the message beside the field, the input kept.
	bad := url.Values{"key": {"Khiếu nại"}, "name": {"Quy định thử"}, "days": {"abc"}, "effective_from": {"2027-01-01"}, "basis": {"x"}}
	code, body, _ = e.post("/admin/calendar/rules", "vi", e.admin, bad)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rule-key-err"`) || !strings.Contains(body, `id="rule-days-err"`) || !strings.Contains(body, "Quy định thử") {
		t.Errorf("bad input: %d\n%s", code, body)
	}

	code, _, loc := e.post("/admin/calendar/rules", "vi", e.admin, form)
	if code != http.StatusSeeOther {
		t.Fatalf("add: %d", code)
	}
	_, body = e.get(loc, "192.0.2.10", "vi", e.admin)
	if !strings.Contains(html.UnescapeString(body), "Đã thêm phiên bản") {
		t.Errorf("after add: no confirmation")
	}
	_, body = e.get("/admin/calendar/rules?on=2027-01-01", "192.0.2.10", "vi", e.admin)
	if !strings.Contains(html.UnescapeString(body), "Nghị định thử 155") {
		t.Error("new version not in force on its effective date")
	}
	rs, err := e.st.DeadlineRules(context.Background())
	if err != nil || len(rs) != len(legal.Defaults())+1 {
		t.Errorf("stored versions: %d, %v", len(rs), err)
	}
	// The same effective date again is refused beside the field.
	code, body, _ = e.post("/admin/calendar/rules", "en", e.admin, form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rule-effective_from-err"`) || !strings.Contains(body, "01/01/2027") {
		t.Errorf("same date: %d", code)
	}
}
