package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
)

func TestCaseTrackPage(t *testing.T) {
	e := newUenv(t)
	svc := servicetest.New(t, e.st)
	sub, err := svc.Cases.Submit(context.Background(), &service.Principal{IP: "192.0.2.1"}, service.CaseInput{
		Kind: service.CaseComplaint, PlaceUnitID: e.unit["W"], Title: "Khiếu nại bồi thường", Description: "Mức bồi thường quá thấp.",
		Identity: &service.CaseIdentity{Name: "Lê Văn Cường", Phone: "0911222333", Address: "Thôn Đông"}})
	if err != nil {
		t.Fatal(err)
	}

	code, body := e.get("/cases/track", "192.0.2.2", "vi", "")
	if code != http.StatusOK || !strings.Contains(body, `name="code"`) {
		t.Fatalf("form: %d", code)
	}
	// A typed code (lower case) leads to the case's page.
	code, _ = e.get("/cases/track?code="+strings.ToLower(sub.TrackingCode), "192.0.2.2", "vi", "")
	if code != http.StatusSeeOther {
		t.Fatalf("lookup: %d", code)
	}
	code, _ = e.get("/cases/track?code=nonsense", "192.0.2.2", "vi", "")
	if code != http.StatusNotFound {
		t.Fatalf("bad code: %d", code)
	}

	// A deadline (the test services have no deadline source): shown with the days left.
	if _, err := e.st.DB().Exec(`UPDATE cases SET accept_due = '2099-12-31'`); err != nil {
		t.Fatal(err)
	}

	// The public page: kind, status, deadline, history, no personal data.
	code, body = e.get("/cases/track/"+sub.TrackingCode, "192.0.2.2", "vi", "")
	if code != http.StatusOK || !strings.Contains(body, "Khiếu nại") || !strings.Contains(body, "Đã tiếp nhận") || !strings.Contains(body, "Tiếp nhận") ||
		!strings.Contains(body, "Hạn thụ lý") || !strings.Contains(body, "31/12/2099") || !strings.Contains(body, "Còn ") {
		t.Fatalf("public page: %d %s", code, body)
	}
	for _, s := range []string{"Lê Văn Cường", "0911222333", "Thôn Đông", "quá thấp"} {
		if strings.Contains(body, s) {
			t.Fatalf("public page shows %q", s)
		}
	}
	// With the secret: the author's own data; a wrong secret: 404.
	code, body = e.get("/cases/track/"+sub.TrackingCode+"?secret="+sub.Secret, "192.0.2.2", "en", "")
	if code != http.StatusOK || !strings.Contains(body, "Lê Văn Cường") || !strings.Contains(body, "What you submitted") {
		t.Fatalf("own page: %d", code)
	}
	if code, _ = e.get("/cases/track/"+sub.TrackingCode+"?secret=wrong", "192.0.2.2", "vi", ""); code != http.StatusNotFound {
		t.Fatalf("wrong secret: %d", code)
	}
	if strings.Contains(body, `name="rating"`) {
		t.Fatal("rating form before resolution")
	}

	// Once resolved, the author rates the handling, once.
	sys := service.SystemPrincipal()
	c, err := svc.Cases.Accept(context.Background(), sys, sub.ID, service.CaseStep{Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Cases.Resolve(context.Background(), sys, sub.ID, service.CaseStep{Version: c.Version, PublicNote: "Đã trả lời"}); err != nil {
		t.Fatal(err)
	}
	own := "/cases/track/" + sub.TrackingCode + "?secret=" + url.QueryEscape(sub.Secret)
	if code, body = e.get(own, "192.0.2.2", "vi", ""); code != http.StatusOK || !strings.Contains(body, `name="rating"`) {
		t.Fatalf("rating form: %d", code)
	}
	rate := "/cases/track/" + sub.TrackingCode + "/rating"
	if w := e.postAnon(rate, url.Values{"secret": {sub.Secret}, "rating": {"9"}}); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="rate-rating-err"`) {
		t.Fatalf("rating 9: %d", w.Code)
	}
	w := e.postAnon(rate, url.Values{"secret": {sub.Secret}, "rating": {"5"}, "comment": {"Cảm ơn"}})
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "flash=cases.rate.done") {
		t.Fatalf("rate: %d %s", w.Code, w.Header().Get("Location"))
	}
	if code, body = e.get(own, "192.0.2.2", "vi", ""); !strings.Contains(body, "Bạn đã đánh giá: 5/5.") || strings.Contains(body, `name="rating"`) {
		t.Fatalf("after rating: %d", code)
	}
	if w := e.postAnon(rate, url.Values{"secret": {sub.Secret}, "rating": {"4"}}); w.Code != http.StatusConflict {
		t.Fatalf("second rating: %d", w.Code)
	}
}

// postAnon sends a form as a visitor who is not signed in (double-submit
// CSRF cookie).
func (e *uenv) postAnon(path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	const tok = "0123456789abcdef0123456789abcdef"
	form.Set("csrf", tok)
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept-Language", "vi")
	r.RemoteAddr = "192.0.2.50:5000"
	r.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: tok})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func TestCaseSubmitPage(t *testing.T) {
	e := newUenv(t)
	code, body := e.get("/cases/new", "192.0.2.50", "vi", "")
	if code != http.StatusOK || !strings.Contains(body, "Xã Đông Sơn") || !strings.Contains(body, `name="csrf"`) {
		t.Fatalf("form: %d", code)
	}
	// An anonymous denunciation: 422, the law's message beside the fields and in the summary.
	w := e.postAnon("/cases/new", url.Values{"kind": {"denunciation"}, "place_unit_id": {"0"}, "title": {"Tố cáo"}, "description": {"Nội dung"}, "anonymous": {"1"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "nặc danh không được thụ lý") || !strings.Contains(w.Body.String(), `href="#case-identity-name"`) {
		t.Fatalf("anonymous denunciation: %d %s", w.Code, w.Body.String())
	}
	// Feedback: 303 to the author's own page, with the flash.
	w = e.postAnon("/cases/new", url.Values{"kind": {"feedback"}, "place_unit_id": {strconv.FormatInt(e.unit["W"], 10)}, "title": {"Đèn đường hỏng"},
		"description": {"Đèn đường ở thôn 2 hỏng."}, "name": {"Phạm Thị Dung"}, "phone": {"0909123456"}})
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/track/TH-") || !strings.Contains(loc, "secret=") {
		t.Fatalf("submit: %d %q", w.Code, loc)
	}
	code, body = e.get(loc, "192.0.2.50", "vi", "")
	if code != http.StatusOK || !strings.Contains(body, "Phạm Thị Dung") || !strings.Contains(body, "Hãy lưu lại mã tra cứu") {
		t.Fatalf("own page: %d", code)
	}
	// Without the CSRF token: refused.
	r := httptest.NewRequest("POST", "/cases/new", strings.NewReader("kind=feedback"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rw := httptest.NewRecorder()
	e.h.ServeHTTP(rw, r)
	if rw.Code != http.StatusForbidden {
		t.Fatalf("no csrf: %d", rw.Code)
	}
}
