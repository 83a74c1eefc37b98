package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
)

// Dialogues and mediation through the HTML forms, without JavaScript.
func TestCivicPages(t *testing.T) {
	e := newUenv(t)
	head := e.session("truong", authz.RoleUnitHead)
	w := e.unit["W"]
	ws := strconv.FormatInt(w, 10)

	code, body := e.get("/dialogues", "192.0.2.10", "vi", head)
	if code != 200 || !strings.Contains(body, `href="/dialogues"`) || !strings.Contains(body, `name="csrf"`) {
		t.Fatalf("dialogues: %d", code)
	}
	// A bad date: 422 with the message in the error summary, the topic kept.
	code, body, _ = e.post("/dialogues", "vi", head, url.Values{"unit_id": {ws}, "held_on": {"2025-02-30"}, "topic": {"Đối thoại thử"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="dl-held_on-err"`) || !strings.Contains(body, "Đối thoại thử") {
		t.Fatalf("bad date: %d", code)
	}
	code, _, loc := e.post("/dialogues", "vi", head, url.Values{"unit_id": {ws}, "held_on": {"2025-07-20"}, "topic": {"Đối thoại về giao thông"}, "public": {"1"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/dialogues/") {
		t.Fatalf("create: %d %s", code, loc)
	}
	path := strings.SplitN(loc, "?", 2)[0]
	if code, _, _ := e.post(path+"/issues", "vi", head, url.Values{"text": {"Đường liên thôn xuống cấp"}}); code != http.StatusSeeOther {
		t.Fatalf("issue: %d", code)
	}
	if code, _, _ := e.post(path+"/commitments", "vi", head, url.Values{"text": {"Sửa đường liên thôn"}, "owner_unit_id": {ws}, "due_on": {"2025-07-30"}}); code != http.StatusSeeOther {
		t.Fatalf("commitment: %d", code)
	}
	_, body = e.get(path, "192.0.2.10", "vi", head)
	body = html.UnescapeString(body)
	for _, want := range []string{"Đường liên thôn xuống cấp", "Sửa đường liên thôn", "Quá hạn", "30/07/2025", `<table class="cards"`, `data-label="Hạn"`} {
		if !strings.Contains(body, want) {
			t.Errorf("dialogue page lacks %q", want)
		}
	}
	done := regexp.MustCompile(`/commitments/\d+/done`).FindString(body)
	if code, _, _ := e.post(done, "vi", head, url.Values{"evidence": {"Đã rải nhựa 1 km"}}); code != http.StatusSeeOther {
		t.Fatalf("done: %d", code)
	}
	_, body = e.get(path, "192.0.2.10", "vi", head)
	if !strings.Contains(html.UnescapeString(body), "Đã rải nhựa 1 km") {
		t.Errorf("evidence not shown")
	}

	// Mediation: open, start, success, DOCX.
	code, body, loc = e.post("/mediations", "vi", head, url.Values{"unit_id": {ws}, "dispute_kind": {"land"}, "summary": {"Tranh chấp ranh giới"},
		"mediators": {"Lê Văn Dũng"}, "assigned_on": {"2025-07-28"}, "party1_name": {"Nguyễn Văn Bình"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="md-parties-err"`) {
		t.Fatalf("one party: %d", code)
	}
	code, _, loc = e.post("/mediations", "vi", head, url.Values{"unit_id": {ws}, "dispute_kind": {"land"}, "summary": {"Tranh chấp ranh giới"},
		"mediators": {"Lê Văn Dũng"}, "assigned_on": {"2025-07-28"}, "party1_name": {"Nguyễn Văn Bình"}, "party2_name": {"Trần Thị Cúc"}})
	if code != http.StatusSeeOther {
		t.Fatalf("open: %d", code)
	}
	mpath := strings.SplitN(loc, "?", 2)[0]
	_, body = e.get(mpath, "192.0.2.10", "vi", head)
	if !strings.Contains(html.UnescapeString(body), "31/07/2025") {
		t.Errorf("start due not shown")
	}
	if code, _, _ := e.post(mpath+"/start", "vi", head, url.Values{"version": {"1"}, "on": {"2025-07-29"}}); code != http.StatusSeeOther {
		t.Fatalf("start: %d", code)
	}
	code, body, _ = e.post(mpath+"/outcome", "vi", head, url.Values{"version": {"2"}, "outcome": {"success"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "Hòa giải thành phải ghi nội dung") {
		t.Fatalf("success without agreement: %d", code)
	}
	if code, _, _ := e.post(mpath+"/outcome", "vi", head, url.Values{"version": {"2"}, "outcome": {"success"}, "agreement": {"Cắm lại mốc"}}); code != http.StatusSeeOther {
		t.Fatalf("outcome: %d", code)
	}
	if code, _ := e.get(mpath+"/agreement.docx", "192.0.2.10", "vi", head); code != 200 {
		t.Errorf("docx: %d", code)
	}
	if code, _ := e.get(mpath, "192.0.2.10", "vi", e.session("lanhdao", authz.RoleLeader)); code != http.StatusNotFound {
		t.Errorf("leader sees the case: %d", code)
	}
}
