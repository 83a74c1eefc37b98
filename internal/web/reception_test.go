package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
)

// Citizen reception through the HTML forms, without JavaScript: plan,
// record a visit that opens a case, the conclusion notice, cancel with
// confirmation; the public page and the feed show no visit.
func TestReceptionPages(t *testing.T) {
	e := newUenv(t)
	h := e.session("tiepdan", authz.RoleCaseHandler)
	ws := strconv.FormatInt(e.unit["W"], 10)

	code, body := e.get("/reception", "192.0.2.10", "vi", h)
	if code != 200 || !strings.Contains(body, `action="/reception"`) || !strings.Contains(body, `name="csrf"`) || !strings.Contains(body, "Tháng 8/2025") {
		t.Fatalf("schedule page: %d", code)
	}
	if code, _ := e.get("/reception", "192.0.2.10", "vi", ""); code != http.StatusSeeOther {
		t.Fatalf("anonymous management page: %d", code)
	}
	if code, _ := e.get("/reception?month=2025-13", "192.0.2.10", "vi", h); code != http.StatusBadRequest {
		t.Fatalf("bad month: %d", code)
	}
	plan := url.Values{"unit_id": {ws}, "leader_name": {"Lê Văn Tâm"}, "leader_position": {"chairman"}, "held_on": {"2025-07-28"},
		"start_time": {"07:30"}, "end_time": {"07:00"}, "place": {"Trụ sở UBND xã"}}
	code, body, _ = e.post("/reception", "vi", h, plan)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rn-end_time-err"`) || !strings.Contains(body, "Lê Văn Tâm") {
		t.Fatalf("bad times: %d", code)
	}
	plan.Set("end_time", "11:30")
	code, _, loc := e.post("/reception", "vi", h, plan)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/reception/") {
		t.Fatalf("create: %d %s", code, loc)
	}
	path := strings.SplitN(loc, "?", 2)[0]

	// Warnings: the chairman of a commune has weekly reception; August
	// has weeks without a session.
	_, body = e.get("/reception?month=2025-08", "192.0.2.10", "vi", h)
	if b := html.UnescapeString(body); !strings.Contains(b, "Xã Đông Sơn — Chủ tịch UBND: tuần 32/2025") {
		t.Errorf("no weekly warning in %s", b[strings.Index(b, "warn-h"):][:600])
	}

	// A complaint without the name: the case fields are refused, nothing recorded.
	visit := url.Values{"at": {"08:10"}, "people": {"1"}, "subject": {"Khiếu nại việc thu hồi đất"}, "kind": {"complaint"}, "outcome": {"case_opened"},
		"case.description": {"Trình bày việc thu hồi đất thiếu 20 m²."}}
	code, body, _ = e.post(path+"/visits", "vi", h, visit)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#vi-case.identity.name"`) {
		t.Fatalf("complaint without name: %d", code)
	}
	visit.Set("case.identity.name", "Nguyễn Thị Hoa")
	visit.Set("case.identity.address", "Thôn Quang Trung, xã Đông Sơn")
	code, _, loc = e.post(path+"/visits", "vi", h, visit)
	if code != http.StatusSeeOther || !strings.Contains(loc, "flash=reception.case_opened") {
		t.Fatalf("visit: %d %s", code, loc)
	}
	_, body = e.get(path, "192.0.2.10", "vi", h)
	b := html.UnescapeString(body)
	caseCode := regexp.MustCompile(`/cases/\d+">(TH-2025-[A-Z0-9]+)<`).FindStringSubmatch(b)
	if caseCode == nil || !strings.Contains(b, "Khiếu nại việc thu hồi đất") || !strings.Contains(b, "Đã tiếp") {
		t.Fatalf("book lacks the case or the held status")
	}
	if strings.Contains(b, "Nguyễn Thị Hoa") {
		t.Errorf("the book shows the visitor's name")
	}
	// The case exists, on the reception channel, at the commune.
	cs, err := e.st.CaseByCode(context.Background(), caseCode[1])
	if err != nil || cs.Channel != "reception" || cs.UnitID != e.unit["W"] {
		t.Fatalf("case: %+v %v", cs, err)
	}

	// Conclusion notice.
	ver := regexp.MustCompile(`action="/reception/\d+/conclusion" class="stack">\s*<input type="hidden" name="csrf" value="[^"]*"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(body)
	if ver == nil {
		t.Fatal("no conclusion form")
	}
	code, _, _ = e.post(path+"/conclusion", "vi", h, url.Values{"version": {ver[1]}, "number": {"12/TB-UBND"}, "date": {"2025-07-30"}, "text": {"Giao công chức địa chính kiểm tra, trả lời bà Hoa trong 10 ngày."}})
	if code != http.StatusSeeOther {
		t.Fatalf("conclusion: %d", code)
	}

	// An upcoming session, cancelled through its confirmation page.
	plan.Set("held_on", "2025-08-04")
	_, _, loc = e.post("/reception", "vi", h, plan)
	up := strings.SplitN(loc, "?", 2)[0]
	code, body = e.get(up+"/cancel", "192.0.2.10", "vi", h)
	if code != 200 || !strings.Contains(body, `name="reason"`) || !strings.Contains(body, `action="`+up+`/cancel"`) {
		t.Fatalf("confirm page: %d", code)
	}
	if code, body, _ := e.post(up+"/cancel", "vi", h, url.Values{"version": {"1"}, "reason": {""}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="ca-reason-err"`) {
		t.Fatalf("cancel without reason: %d", code)
	}
	if code, _, _ := e.post(up+"/cancel", "vi", h, url.Values{"version": {"1"}, "reason": {"Chủ tịch họp tỉnh; buổi tiếp dời sang thứ Năm"}}); code != http.StatusSeeOther {
		t.Fatalf("cancel: %d", code)
	}
	plan.Set("held_on", "2025-08-07")
	e.post("/reception", "vi", h, plan)

	// The public page: anonymous, the leader's name, no visit.
	code, body = e.get("/lich-tiep-cong-dan", "192.0.2.11", "vi", "")
	b = html.UnescapeString(body)
	if code != 200 || !strings.Contains(b, "Lê Văn Tâm") || !strings.Contains(b, "07/08/2025") || !strings.Contains(b, "Đã hủy") || !strings.Contains(b, `href="/reception.ics"`) {
		t.Fatalf("public page: %d", code)
	}
	if strings.Contains(body, "&lt;time") {
		t.Error("a date is escaped into the text")
	}
	for _, secret := range []string{"Nguyễn Thị Hoa", "thu hồi đất", "Quang Trung", caseCode[1]} {
		if strings.Contains(b, secret) {
			t.Errorf("public page shows %q", secret)
		}
	}
	if code, _ := e.get("/lich-tiep-cong-dan?unit=abc", "192.0.2.11", "vi", ""); code != http.StatusBadRequest {
		t.Fatalf("bad unit: %d", code)
	}
	_, home := e.get("/", "192.0.2.11", "vi", "")
	if !strings.Contains(home, `href="/lich-tiep-cong-dan"`) {
		t.Error("the public home does not link the reception schedule")
	}

	// The feed.
	r := httptest.NewRequest("GET", "/reception.ics?unit="+ws, nil)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("ics: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	raw := rec.Body.String()
	if strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
		t.Fatal("a line ending is not CRLF")
	}
	unfolded := strings.ReplaceAll(raw, "\r\n ", "")
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh", "DTSTART;TZID=Asia/Ho_Chi_Minh:20250728T073000",
		"SUMMARY:Tiếp công dân: Chủ tịch UBND Lê Văn Tâm (Xã Đông Sơn)", "STATUS:CANCELLED", "Chủ tịch họp tỉnh\\; buổi tiếp dời sang thứ Năm", "END:VCALENDAR\r\n"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("feed lacks %q", want)
		}
	}
	if strings.Count(unfolded, "BEGIN:VEVENT") != 3 || strings.Contains(unfolded, "Hoa") {
		t.Errorf("feed: %d events or a visitor", strings.Count(unfolded, "BEGIN:VEVENT"))
	}
	uid := regexp.MustCompile(`UID:reception-\d+@[^\r]+`).FindAllString(unfolded, -1)
	if len(uid) != 3 {
		t.Errorf("uids: %v", uid)
	}
}
