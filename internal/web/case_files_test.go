package web_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type upload struct {
	name string
	data []byte
}

// postCaseMultipart submits the public case form as a visitor, with files.
func (e *uenv) postCaseMultipart(fields map[string]string, files ...upload) *httptest.ResponseRecorder {
	e.t.Helper()
	const tok = "0123456789abcdef0123456789abcdef"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", tok)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			e.t.Fatal(err)
		}
		_, _ = fw.Write(f.data)
	}
	if err := mw.Close(); err != nil {
		e.t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/cases/new", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "vi")
	r.RemoteAddr = "192.0.2.60:5000"
	r.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: tok})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// getRaw answers a GET with its headers, signed in with cookie when given.
func (e *uenv) getRaw(path, cookie string) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = "192.0.2.61:5000"
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: cookie})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func TestCaseFilesPages(t *testing.T) {
	e := newUenv(t)
	code, body := e.get("/cases/new", "192.0.2.60", "vi", "")
	if code != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `type="file" id="case-files" name="files" multiple`) ||
		!strings.Contains(body, "Tối đa 5 tệp, mỗi tệp không quá 10 MiB") {
		t.Fatalf("form: %d", code)
	}
	fields := map[string]string{"kind": "feedback", "place_unit_id": strconv.FormatInt(e.unit["W"], 10), "title": "Ổ gà trên đường",
		"description": "Ổ gà lớn trước cổng trường, rất nguy hiểm.", "anonymous": "1"}

	// An HTML page named as a photo: 422, the error beside the field, the typed text kept.
	w := e.postCaseMultipart(fields, upload{"photo.jpg", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="case-files-err"`) ||
		!strings.Contains(w.Body.String(), "Ổ gà lớn trước cổng trường, rất nguy hiểm.") || !strings.Contains(w.Body.String(), `href="#case-files"`) ||
		!strings.Contains(w.Body.String(), "hãy chọn lại tệp") {
		t.Fatalf("html upload: %d %s", w.Code, w.Body.String())
	}
	// Without the CSRF cookie the multipart form is refused.
	r := httptest.NewRequest("POST", "/cases/new", strings.NewReader("--x--\r\n"))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("no csrf: %d", rec.Code)
	}

	// A PNG and a PDF: the case is created; the tracking page shows the photo.
	pngData := testPNG(t)
	w = e.postCaseMultipart(fields, upload{"ổ gà.png", pngData}, upload{"đơn.pdf", []byte("%PDF-1.4 nội dung")})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", w.Code, w.Body.String())
	}
	loc, _ := url.Parse(w.Header().Get("Location"))
	trackPath, secret := loc.Path, loc.Query().Get("secret")
	code, body = e.get(trackPath, "192.0.2.62", "vi", "")
	m := regexp.MustCompile(`<img src="(/cases/track/[^"]+/files/(\d+))" alt="Ảnh 1 người gửi đính kèm vụ việc"`).FindStringSubmatch(body)
	if code != 200 || m == nil || strings.Contains(body, "đơn.pdf") || strings.Contains(body, "ổ gà.png") {
		t.Fatalf("tracking page: %d %s", code, body)
	}
	img := e.getRaw(m[1], "")
	h := img.Header()
	if img.Code != 200 || h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || h.Get("Content-Disposition") != "" || !bytes.Equal(img.Body.Bytes(), pngData) {
		t.Fatalf("public photo: %d %v", img.Code, h)
	}

	// The author's page lists both files; they download as attachments.
	code, body = e.get(trackPath+"?secret="+url.QueryEscape(secret), "192.0.2.62", "vi", "")
	links := regexp.MustCompile(`href="(/cases/track/[^"]+/files/(\d+)\?secret=[^"]+)" download>([^<]+)<`).FindAllStringSubmatch(body, -1)
	if code != 200 || len(links) != 2 || links[1][3] != "đơn.pdf" {
		t.Fatalf("own page: %d %q", code, links)
	}
	pdfPath := strings.ReplaceAll(links[1][1], "&amp;", "&")
	own := e.getRaw(pdfPath, "")
	if own.Code != 200 || !strings.HasPrefix(own.Header().Get("Content-Disposition"), "attachment") || own.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("own file: %d %v", own.Code, own.Header())
	}
	// The PDF is not public.
	if w := e.getRaw(trackPath+"/files/"+links[1][2], ""); w.Code != http.StatusNotFound {
		t.Fatalf("pdf without secret: %d", w.Code)
	}

	// The handlers download every file as an attachment; visitors are sent to sign in.
	var caseID string
	if err := e.st.DB().QueryRow(`SELECT id FROM cases`).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	dl := "/cases/" + caseID + "/files/" + m[2]
	if w := e.getRaw(dl, ""); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/signin") {
		t.Fatalf("anonymous download: %d", w.Code)
	}
	officer := e.session("canbo", authz.RoleUnitOfficer)
	if w := e.getRaw(dl, officer); w.Code != http.StatusForbidden {
		t.Fatalf("officer download: %d", w.Code)
	}
	handler := e.session("xuly", authz.RoleCaseHandler)
	w = e.getRaw(dl, handler)
	h = w.Header()
	if w.Code != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Content-Type") != "image/png" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("handler download: %d %v", w.Code, h)
	}
	if w := e.getRaw("/cases/"+caseID+"/files/999", handler); w.Code != http.StatusNotFound {
		t.Fatalf("missing file: %d", w.Code)
	}
}

// zeros reads zero bytes without end.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestCaseSubmitTooLarge(t *testing.T) {
	e := newUenv(t)
	const tok = "0123456789abcdef0123456789abcdef"
	head := "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + tok + "\r\n" +
		"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\n\r\n"
	body := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, service.MaxCaseUploadBody+1))
	r := httptest.NewRequest("POST", "/cases/new", body)
	r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	r.Header.Set("Accept-Language", "vi")
	r.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: tok})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "mỗi tệp không quá 10 MiB") {
		t.Fatalf("too large: %d %s", w.Code, w.Body.String())
	}
}
