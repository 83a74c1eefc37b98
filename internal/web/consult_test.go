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

// A consultation through the HTML forms, without JavaScript: the drafter
// pastes the text, corrects a label and publishes; a visitor comments on a
// passage; the drafter publishes the comment and answers it. The public
// page never shows the contact.
func TestConsultPages(t *testing.T) {
	e := newUenv(t)
	head := e.session("truong", authz.RoleUnitHead)
	ws := strconv.FormatInt(e.unit["W"], 10)

	code, body := e.get("/consultations", "192.0.2.10", "vi", head)
	if code != 200 || !strings.Contains(body, `name="text"`) {
		t.Fatalf("list: %d", code)
	}
	code, body, _ = e.post("/consultations", "vi", head, url.Values{"unit_id": {ws}, "kind": {"plan"}, "title": {"Kế hoạch làm đường"}, "opens_on": {"2025-08-05"}, "closes_on": {"2025-08-01"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="cn-closes_on-err"`) || !strings.Contains(body, "Kế hoạch làm đường") {
		t.Fatalf("bad dates: %d", code)
	}
	code, _, loc := e.post("/consultations", "vi", head, url.Values{"unit_id": {ws}, "kind": {"plan"}, "title": {"Kế hoạch làm đường giao thông nông thôn"},
		"summary": {"Bê tông hóa 3 km đường liên thôn."}, "opens_on": {"2025-07-30"}, "closes_on": {"2025-08-15"},
		"text": {"Căn cứ Nghị quyết của Hội đồng nhân dân xã;\nĐiều 1. Phạm vi\n1. Đường thôn 3.\n2. Đường thôn 5."}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/consultations/") {
		t.Fatalf("create: %d %s", code, loc)
	}
	path := strings.SplitN(loc, "?", 2)[0]
	id := strings.TrimPrefix(path, "/consultations/")
	public := "/gop-y/" + id
	if code, _ := e.get(public, "192.0.2.11", "vi", ""); code != http.StatusNotFound {
		t.Fatalf("draft is public: %d", code)
	}
	_, body = e.get(path, "192.0.2.10", "vi", head)
	if !strings.Contains(body, `name="label-2"`) || !strings.Contains(body, `value="Khoản 1 Điều 1"`) {
		t.Fatalf("passages editor missing")
	}
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)[1]
	form := url.Values{"version": {version}}
	for i, p := range [][3]string{{"0", "", "Căn cứ Nghị quyết của Hội đồng nhân dân xã;"}, {"2", "Điều 1", "Phạm vi"}, {"3", "Khoản 1 Điều 1", "Đường thôn 3."}, {"3", "Khoản 2 Điều 1", "Đường thôn 5 (nối dài)."}} {
		n := strconv.Itoa(i)
		form.Set("level-"+n, p[0])
		form.Set("label-"+n, p[1])
		form.Set("text-"+n, p[2])
	}
	if code, _, _ := e.post(path+"/passages", "vi", head, form); code != http.StatusSeeOther {
		t.Fatalf("passages: %d", code)
	}
	if code, _, _ := e.post(path+"/publish", "vi", head, url.Values{"version": {version}}); code != http.StatusConflict {
		t.Fatalf("stale publish: %d", code)
	}
	v, _ := strconv.Atoi(version)
	if code, _, _ := e.post(path+"/publish", "vi", head, url.Values{"version": {strconv.Itoa(v + 1)}}); code != http.StatusSeeOther {
		t.Fatalf("publish: %d", code)
	}

	// The public page: passage by passage, a form per passage in a <details>.
	code, body = e.get("/gop-y", "192.0.2.11", "vi", "")
	if code != 200 || !strings.Contains(body, `href="/gop-y/`+id+`"`) || !strings.Contains(body, `<meta name="description"`) {
		t.Fatalf("public list: %d", code)
	}
	code, body = e.get(public, "192.0.2.11", "vi", "")
	body = html.UnescapeString(body)
	if code != 200 || !strings.Contains(body, "Đường thôn 5 (nối dài).") || strings.Count(body, "<details") < 5 || !strings.Contains(body, `property="og:title"`) {
		t.Fatalf("public page: %d", code)
	}
	passage := regexp.MustCompile(`name="passage_id" value="([1-9]\d*)"`).FindAllStringSubmatch(body, -1)[3][1]
	w := e.postAnon(public+"/y-kien", url.Values{"passage_id": {passage}, "text": {"Đề nghị làm rãnh thoát nước."}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="c`+passage+`-name-err"`) || !strings.Contains(w.Body.String(), "<details open>") {
		t.Fatalf("no name: %d", w.Code)
	}
	w = e.postAnon(public+"/y-kien", url.Values{"passage_id": {passage}, "name": {"Lê Văn Tám"}, "contact": {"0988 111 222"}, "text": {"Đề nghị làm rãnh thoát nước."}})
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "#doan-"+passage) {
		t.Fatalf("comment: %d", w.Code)
	}
	if _, body = e.get(public, "192.0.2.11", "vi", ""); strings.Contains(html.UnescapeString(body), "rãnh thoát nước") {
		t.Fatal("pending comment shown")
	}

	// Moderation and answer.
	_, body = e.get(path, "192.0.2.10", "vi", head)
	body = html.UnescapeString(body)
	if !strings.Contains(body, "0988 111 222") {
		t.Fatal("the drafter does not see the contact")
	}
	mod := regexp.MustCompile(`/consultations/\d+/comments/(\d+)/moderate`).FindStringSubmatch(body)
	if code, _, _ := e.post(mod[0], "vi", head, url.Values{"status": {"rejected"}}); code != http.StatusUnprocessableEntity {
		t.Fatalf("reject without reason: %d", code)
	}
	if code, _, _ := e.post("/consultations/999/comments/"+mod[1]+"/moderate", "vi", head, url.Values{"status": {"published"}}); code != http.StatusNotFound {
		t.Fatalf("moderate under another consultation: %d", code)
	}
	if code, _, _ := e.post(mod[0], "vi", head, url.Values{"status": {"published"}}); code != http.StatusSeeOther {
		t.Fatalf("publish comment: %d", code)
	}
	if code, _, _ := e.post(path+"/answers", "vi", head, url.Values{"comment_ids": {mod[1]}, "verdict": {"taken"}, "explanation": {"Bổ sung rãnh thoát nước vào Khoản 2."}}); code != http.StatusSeeOther {
		t.Fatalf("answer: %d", code)
	}
	_, body = e.get(public, "192.0.2.11", "vi", "")
	body = html.UnescapeString(body)
	if !strings.Contains(body, "Lê Văn Tám") || strings.Contains(body, "0988 111 222") || strings.Contains(body, "Bổ sung rãnh thoát nước") {
		t.Fatal("public page after moderation")
	}
	if code, _ := e.get(public+"/bao-cao-tong-hop.docx", "192.0.2.11", "vi", ""); code != http.StatusNotFound {
		t.Fatalf("docx before synthesis: %d", code)
	}
}
