package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
)

// postFile sends one file to path as the handlers' upload form does,
// signed in with cookie; an empty name sends no file.
func (e *uenv) postFile(path, cookie, name string, data []byte) (int, string, string) {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", "x")
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			e.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	if err := mw.Close(); err != nil {
		e.t.Fatal(err)
	}
	r := httptest.NewRequest("POST", path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "vi")
	r.RemoteAddr = "192.0.2.10:5000"
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: cookie})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w.Code, html.UnescapeString(w.Body.String()), w.Header().Get("Location")
}

func TestCaseworkFiles(t *testing.T) {
	e := newCaseworkEnv(t)
	coordinator := e.sessionAt("dieuphoi", authz.RoleCoordinator, e.unit["P"])
	id := strconv.FormatInt(e.feedback.ID, 10)
	path := "/cases/" + id
	code, body := e.page(path, e.handlerW)
	if code != http.StatusOK || !strings.Contains(body, "Vụ việc chưa có tệp đính kèm.") || !strings.Contains(body, `action="/cases/`+id+`/files"`) ||
		!strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "tối đa 5 tệp, mỗi tệp không quá 10 MiB") {
		t.Fatalf("empty files section or no upload form: %d", code)
	}
	// A handler attaches a photo (public on a feedback) and a text (not public).
	code, _, loc := e.postFile(path+"/files", e.handlerW, "hien-truong.png", testPNG(t))
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, path+"?flash=casework.files.done") {
		t.Fatalf("upload: %d %q", code, loc)
	}
	if code, _, _ = e.postFile(path+"/files", e.handlerW, "bien-ban.txt", bytes.Repeat([]byte("Biên bản làm việc.\n"), 2000)); code != http.StatusSeeOther {
		t.Fatalf("upload text: %d", code)
	}
	if code, _, _ = e.postFile(path+"/files", e.handlerW, "so-lieu.txt", bytes.Repeat([]byte("a"), 3<<19)); code != http.StatusSeeOther {
		t.Fatalf("upload 1.5 MiB: %d", code)
	}
	_, body = e.page(path+"?flash=casework.files.done", e.handlerW)
	for _, want := range []string{"Đã đính kèm tệp vào vụ việc.", "hien-truong.png", "bien-ban.txt", "PNG", "TXT", "1 KB", "49 KB", "1,5 MB", "Công khai",
		"Chỉ cán bộ xử lý và người gửi", `href="/cases/` + id + `/files/`} {
		if !strings.Contains(body, want) {
			t.Errorf("files section lacks %q", want)
		}
	}
	// A refused type: the page again, 422, the message beside the field.
	code, body, _ = e.postFile(path+"/files", e.handlerW, "trang.html", []byte("<html><script>alert(1)</script></html>"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="files-err"`) || !strings.Contains(body, "Loại tệp không được chấp nhận") ||
		!strings.Contains(body, `href="#files"`) {
		t.Errorf("refused type: %d", code)
	}
	if code, body, _ = e.postFile(path+"/files", e.handlerW, "", nil); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Hãy chọn một tệp.") {
		t.Errorf("no file: %d", code)
	}
	// A reader who may not handle the case: the files, no form, 403 on upload.
	code, body = e.page(path, coordinator)
	if code != http.StatusOK || !strings.Contains(body, "hien-truong.png") || strings.Contains(body, `action="/cases/`+id+`/files"`) {
		t.Errorf("coordinator's page: %d", code)
	}
	if code, _, _ = e.postFile(path+"/files", coordinator, "x.png", testPNG(t)); code != http.StatusForbidden {
		t.Errorf("coordinator uploads: %d", code)
	}
	if code, _, _ = e.postFile(path+"/files", e.handlerX, "x.png", testPNG(t)); code != http.StatusForbidden {
		t.Errorf("handler of X uploads: %d", code)
	}
	// Without the CSRF token: refused.
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.Close()
	r := httptest.NewRequest("POST", path+"/files", &b)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.handlerW})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("no CSRF: %d", w.Code)
	}
	var n int
	if err := e.st.DB().QueryRow(bind(e.st, `SELECT COUNT(*) FROM case_attachments WHERE case_id = ?`), e.feedback.ID).Scan(&n); err != nil || n != 3 {
		t.Errorf("attachments stored: %d %v", n, err)
	}
}

func TestCaseworkDuplicatesAndMerge(t *testing.T) {
	e := newCaseworkEnv(t)
	coordinator := e.sessionAt("dieuphoi", authz.RoleCoordinator, e.unit["P"])
	svc := servicetest.New(t, e.st)
	// The same person (the same phone, written otherwise) writes again.
	again, err := svc.Cases.Submit(context.Background(), &service.Principal{IP: "192.0.2.2"}, service.CaseInput{Kind: service.CaseFeedback,
		PlaceUnitID: e.unit["W"], Title: "Lại chuyện đèn đường", Description: "Vẫn chưa ai sửa đèn.",
		Identity: &service.CaseIdentity{Name: "Phạm Thị Dung", Phone: "+84 909 123 456"}})
	if err != nil {
		t.Fatal(err)
	}
	id, keep := strconv.FormatInt(again.ID, 10), strconv.FormatInt(e.feedback.ID, 10)
	path := "/cases/" + id
	code, body := e.page(path, e.handlerW)
	confirm := path + "/merge/" + keep + "?version=1"
	for _, want := range []string{"Vụ việc có thể trùng", e.feedback.TrackingCode, "Cùng người gửi", "Gộp vào vụ việc này", `href="` + confirm + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("duplicates lack %q (%d)", want, code)
		}
	}
	if strings.Contains(body, e.complaint.TrackingCode) {
		t.Errorf("the other person's complaint is offered as a duplicate")
	}
	// Readers who may not handle: no section; the complaint: none found.
	if _, body = e.page(path, coordinator); strings.Contains(body, "Vụ việc có thể trùng") {
		t.Errorf("coordinator sees duplicates")
	}
	if _, body = e.page("/cases/"+strconv.FormatInt(e.complaint.ID, 10), e.handlerW); !strings.Contains(body, "Không thấy vụ việc nào có thể trùng.") {
		t.Errorf("no empty state")
	}
	// The confirmation says what happens.
	code, body = e.page(confirm, e.handlerW)
	if code != http.StatusOK || !strings.Contains(body, `action="`+path+`/merge"`) || !strings.Contains(body, `name="into" value="`+keep+`"`) ||
		!strings.Contains(body, `name="version" value="1"`) || !strings.Contains(body, "Vụ việc "+again.TrackingCode+" sẽ được kết thúc") ||
		!strings.Contains(body, "trong vụ việc "+e.feedback.TrackingCode) {
		t.Fatalf("confirm: %d", code)
	}
	if code, _ = e.page(confirm, coordinator); code != http.StatusForbidden {
		t.Errorf("coordinator's confirm: %d", code)
	}
	// Stale version: 409, the case as it now is.
	code, body, _ = e.post(path+"/merge", "vi", e.handlerW, url.Values{"into": {keep}, "version": {"7"}})
	if code != http.StatusConflict || !strings.Contains(html.UnescapeString(body), "vừa được người khác cập nhật") {
		t.Errorf("stale: %d", code)
	}
	// Into itself: the confirmation again with the message.
	code, body, _ = e.post(path+"/merge", "vi", e.handlerW, url.Values{"into": {id}, "version": {"1"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "Không thể gộp một hồ sơ vào chính nó.") {
		t.Errorf("into itself: %d", code)
	}
	code, _, loc := e.post(path+"/merge", "vi", e.handlerW, url.Values{"into": {keep}, "version": {"1"}})
	if code != http.StatusSeeOther || loc != "/cases/"+keep+"?flash=casework.merge.done" {
		t.Fatalf("merge: %d %q", code, loc)
	}
	if _, body = e.page(loc, e.handlerW); !strings.Contains(body, "Đã gộp vụ việc trùng vào vụ việc này.") {
		t.Errorf("no banner on the kept case")
	}
	_, body = e.page(path, e.handlerW)
	if !strings.Contains(body, `class="badge c-merged"`) || !strings.Contains(body, "Đã gộp vào hồ sơ khác") || strings.Contains(body, "Gộp vào vụ việc này") {
		t.Errorf("merged case: status not shown or merge still offered")
	}
	if _, body = e.page("/cases?status=merged", e.handlerW); !strings.Contains(body, again.TrackingCode) || !strings.Contains(body, `class="badge c-merged"`) {
		t.Errorf("merged case not listed with its tag")
	}
}
