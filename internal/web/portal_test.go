package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
)

// The portal and the disclosures through the HTML forms: the home's four
// blocks for a visitor, an officer records a disclosure (a bad file is
// refused with a message), the public list and the commune page mark it
// late and name no person, withdrawal asks for a reason first.
func TestPortalAndDisclosurePages(t *testing.T) {
	e := newUenv(t)
	code, body := e.get("/", "192.0.2.20", "vi", "")
	body = html.UnescapeString(body)
	if code != 200 {
		t.Fatalf("home: %d", code)
	}
	for _, want := range []string{`class="hero"`, "Dân biết", "Dân bàn", "Dân kiểm tra, giám sát", "Dân thụ hưởng", `href="/gop-y"`,
		`href="/bang-diem"`, `href="/cases/track"`, `href="/lich-tiep-cong-dan"`, `href="/dan-van-kheo"`, `href="/xa/W"`, "Huyện Đông Sơn",
		`<meta name="description"`, `property="og:title"`, `<ul class="stats">`} {
		if !strings.Contains(body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") {
		t.Error("inline script on the home page")
	}

	officer := e.session("canbo", authz.RoleUnitOfficer)
	if code, _ := e.get("/disclosures", "192.0.2.20", "vi", ""); code != http.StatusSeeOther {
		t.Fatalf("anonymous management page: %d", code)
	}
	if _, body := e.get("/cong-khai", "192.0.2.20", "vi", officer); !strings.Contains(body, `href="/disclosures"`) {
		t.Error("the public list does not lead the officer to the management page")
	}
	code, body = e.get("/disclosures", "192.0.2.20", "vi", officer)
	if code != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `name="csrf"`) {
		t.Fatalf("management page: %d", code)
	}
	w := itoa(e.unit["W"])
	fields := map[string]string{"unit_id": w, "category": "contribution", "title": "Huy động đóng góp làm đường giao thông thôn 3",
		"decision_no": "12/QĐ-UBND", "decided_on": "2025-07-15"}
	code, body = e.upload("/disclosures", officer, fields, "a,b\n1,2\n")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="ds-file-err"`) || !strings.Contains(body, `id="error-summary"`) {
		t.Fatalf("bad file: %d", code)
	}
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	code, _, loc := e.post("/disclosures", "vi", officer, form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/disclosures?flash=disclosure.saved") {
		t.Fatalf("create: %d %s", code, loc)
	}
	id := loc[strings.Index(loc, "#cong-khai-")+len("#cong-khai-"):]

	for _, path := range []string{"/cong-khai", "/cong-khai?overdue=1", "/xa/W"} {
		code, body = e.get(path, "192.0.2.20", "vi", "")
		body = html.UnescapeString(body)
		if code != 200 || !strings.Contains(body, "Huy động đóng góp làm đường giao thông thôn 3") || !strings.Contains(body, "quá hạn, chưa công khai") {
			t.Errorf("%s: %d", path, code)
		}
		if strings.Contains(body, "canbo") {
			t.Errorf("%s names the officer", path)
		}
	}
	_, body = e.get("/xa/W", "192.0.2.20", "vi", "")
	if b := html.UnescapeString(body); !strings.Contains(b, "Huyện Đông Sơn") || !strings.Contains(b, "Xã Đông Hòa") || !strings.Contains(b, "/lich-tiep-cong-dan?unit="+w) {
		t.Error("commune page: former district, predecessors or reception link missing")
	}
	for path, want := range map[string]int{"/xa/nope": 404, "/xa/P": 404, "/cong-khai?xa=abc": 400, "/cong-khai?category=gossip": 422, "/cong-khai/" + id + "/tep": 404} {
		if code, _ := e.get(path, "192.0.2.20", "vi", ""); code != want {
			t.Errorf("%s: %d, want %d", path, code, want)
		}
	}

	// Publish late, then withdraw with confirmation.
	form.Set("published_on", "2025-07-30")
	form.Set("form", "notice_board")
	form.Set("version", "1")
	if code, _, _ := e.post("/disclosures/"+id, "vi", officer, form); code != http.StatusSeeOther {
		t.Fatalf("publish: %d", code)
	}
	_, body = e.get("/cong-khai", "192.0.2.20", "vi", "")
	if b := html.UnescapeString(body); !strings.Contains(b, "chậm 6 ngày làm việc") {
		t.Errorf("late publication not marked")
	}
	code, body = e.get("/disclosures/"+id+"/withdraw", "192.0.2.20", "vi", officer)
	if code != 200 || !strings.Contains(body, `name="reason"`) {
		t.Fatalf("confirm: %d", code)
	}
	if code, body, _ := e.post("/disclosures/"+id+"/withdraw", "vi", officer, url.Values{"version": {"2"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="wd-reason-err"`) {
		t.Fatalf("withdraw without reason: %d", code)
	}
	if code, _, loc := e.post("/disclosures/"+id+"/withdraw", "vi", officer, url.Values{"version": {"2"}, "reason": {"Nhập trùng nội dung"}}); code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", code, loc)
	}
	_, body = e.get("/cong-khai", "192.0.2.20", "vi", "")
	if b := html.UnescapeString(body); !strings.Contains(b, "Nhập trùng nội dung") || !strings.Contains(b, "đã gỡ bỏ") {
		t.Error("withdrawn disclosure not shown with its reason")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The public scorecard has the sections of reports sent on time and of
// dialogue commitments kept.
func TestScorecardRateSections(t *testing.T) {
	e := newUenv(t)
	code, body := e.get("/bang-diem", "192.0.2.21", "vi", "")
	body = html.UnescapeString(body)
	if code != 200 || !strings.Contains(body, `id="sc-reports-h"`) || !strings.Contains(body, "Báo cáo gửi đúng hạn") || !strings.Contains(body, "Cam kết sau đối thoại thực hiện đúng hạn") {
		t.Fatalf("scorecard: %d", code)
	}
}
