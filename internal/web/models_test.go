package web_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
)

// "Dân vận khéo" through the HTML forms, without JavaScript: an officer
// registers and submits with a photo, the coordinator keeps the criteria,
// assigns an evaluator and recognises; the public gallery shows only the
// recognised model, with its filters, its page's meta tags and pictures
// cached for good.
func TestModelsPages(t *testing.T) {
	e := newUenv(t)
	officer := e.sessionAt("canbo", authz.RoleUnitOfficer, e.unit["W"])
	coord := e.session("dieuphoi", authz.RoleCoordinator)
	evaluator := e.session("thamdinh", authz.RoleCitizen)

	if code, _ := e.get("/models", "192.0.2.10", "vi", ""); code != http.StatusSeeOther {
		t.Fatalf("anonymous list: %d", code)
	}
	code, body := e.get("/models/new", "192.0.2.10", "vi", officer)
	if code != 200 || !strings.Contains(body, `name="csrf"`) || !strings.Contains(body, "Xã Đông Sơn") {
		t.Fatalf("new form: %d", code)
	}
	form := url.Values{"kind": {"collective"}, "name": {"Mô hình “Dân vận khéo” trong xây dựng nông thôn mới"}, "field": {"economy"},
		"unit_id": {strconv.FormatInt(e.unit["W"], 10)}, "period_from": {"2021-01-01"}, "period_to": {"2023-12-31"},
		"summary": {"Nhân dân hiến 12.000 m² đất làm đường"}, "description": {"Họp dân ở từng thôn, công khai dự toán."},
		"results.0.label": {"Đất hiến làm đường"}, "results.0.value": {"12000"}, "results.0.unit": {"m²"},
		"results.1.label": {"Đường bê tông"}, "results.1.value": {"abc"}, "links": {"javascript:alert(1)"}}
	code, body, _ = e.post("/models", "vi", officer, form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "error-msg") || !strings.Contains(html.UnescapeString(body), "Nhân dân hiến 12.000 m²") {
		t.Fatalf("bad figures and link: %d", code)
	}
	form.Set("results.1.value", "8,5")
	form.Set("results.1.unit", "km")
	form.Set("links", "https://thanhhoa.gov.vn/nong-thon-moi")
	code, _, loc := e.post("/models", "vi", officer, form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/models/") {
		t.Fatalf("create: %d %s", code, loc)
	}
	path := strings.SplitN(loc, "?", 2)[0]
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/models/"), 10, 64)

	// A draft with another model: neither is public.
	form.Set("name", "Bản nháp chưa gửi")
	if code, _, _ := e.post("/models", "vi", officer, form); code != http.StatusSeeOther {
		t.Fatalf("second draft: %d", code)
	}

	// A photo.
	img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	for x := range 1200 {
		for y := range 900 {
			img.Set(x, y, color.RGBA{uint8(x / 5), 120, uint8(y / 4), 255})
		}
	}
	var pic bytes.Buffer
	_ = png.Encode(&pic, img)
	if code, body, _ := e.postFile(path+"/files", officer, "anh.svg", []byte("<svg/>")); code != http.StatusUnprocessableEntity || !strings.Contains(body, "fi-file-err") {
		t.Fatalf("svg: %d", code)
	}
	if code, _, _ := e.postFile(path+"/files", officer, "hop-dan.png", pic.Bytes()); code != http.StatusSeeOther {
		t.Fatalf("photo: %d", code)
	}
	_, body = e.get(path, "192.0.2.10", "vi", officer)
	photo := regexp.MustCompile(`/dan-van-kheo/anh/(\d+)/([0-9a-f]{16})/480`).FindString(body)
	if photo == "" || !strings.Contains(body, `action="`+path+`/submit"`) {
		t.Fatalf("model page lacks the photo or the submit button")
	}
	// The draft's picture is private.
	if w := e.getRaw(photo, ""); w.Code != http.StatusNotFound {
		t.Fatalf("draft photo public: %d", w.Code)
	}
	if w := e.getRaw(photo, officer); w.Code != 200 || !strings.HasPrefix(w.Header().Get("Cache-Control"), "private") {
		t.Fatalf("draft photo for the officer: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	if code, _, loc := e.post(path+"/submit", "vi", officer, url.Values{"version": {"1"}}); code != http.StatusSeeOther || !strings.Contains(loc, "models.submitted") {
		t.Fatalf("submit: %d %s", code, loc)
	}

	// Criteria: weights must add up to 100.
	crit := url.Values{"year": {"2023"}, "field": {"economy"},
		"criteria.0.code": {"1"}, "criteria.0.name": {"Gắn với chỉ đạo của địa phương"}, "criteria.0.weight": {"50"},
		"criteria.1.code": {"2"}, "criteria.1.name": {"Kết quả thiết thực"}, "criteria.1.weight": {"40"}}
	if code, body, _ := e.post("/models/criteria", "vi", coord, crit); code != http.StatusUnprocessableEntity || !strings.Contains(body, "100") {
		t.Fatalf("weights 90: %d", code)
	}
	crit.Set("criteria.1.weight", "50")
	if code, _, _ := e.post("/models/criteria", "vi", officer, crit); code != http.StatusForbidden {
		t.Fatalf("officer keeps criteria: %d", code)
	}
	if code, _, _ := e.post("/models/criteria", "vi", coord, crit); code != http.StatusSeeOther {
		t.Fatalf("criteria: %d", code)
	}
	if code, _, _ := e.post(path+"/evaluators", "vi", coord, url.Values{"username": {"thamdinh"}}); code != http.StatusSeeOther {
		t.Fatalf("assign: %d", code)
	}
	cs, err := e.st.ModelCriteria(context.Background(), 2023, "economy")
	if err != nil || len(cs) != 2 {
		t.Fatalf("criteria: %v", err)
	}
	_, body = e.get(path+"?year=2023", "192.0.2.10", "vi", evaluator)
	if !strings.Contains(body, `name="scores.`+strconv.FormatInt(cs[0].ID, 10)+`"`) {
		t.Fatalf("evaluator sees no scoring form")
	}
	score := url.Values{"year": {"2023"}, "criterion": {strconv.FormatInt(cs[0].ID, 10), strconv.FormatInt(cs[1].ID, 10)},
		"scores." + strconv.FormatInt(cs[0].ID, 10): {"9"}, "scores." + strconv.FormatInt(cs[1].ID, 10): {"12"}}
	if code, _, _ := e.post(path+"/evaluate", "vi", evaluator, score); code != http.StatusUnprocessableEntity {
		t.Fatalf("score 12: %d", code)
	}
	score.Set("scores."+strconv.FormatInt(cs[1].ID, 10), "8")
	if code, _, _ := e.post(path+"/evaluate", "vi", evaluator, score); code != http.StatusSeeOther {
		t.Fatalf("evaluate: %d", code)
	}
	_, body = e.get(path, "192.0.2.10", "vi", coord)
	if !strings.Contains(body, "85,0/100") {
		t.Fatalf("the total 85,0 is not shown")
	}
	rec := url.Values{"level": {"commune"}, "year": {"2023"}, "decision_no": {"45/QĐ-UBND"}, "decided_on": {"2023-12-15"}, "commendation": {"Giấy khen"}, "version": {"1"}}
	if code, _, _ := e.post(path+"/recognise", "vi", coord, rec); code != http.StatusConflict {
		t.Fatalf("stale recognition: %d", code)
	}
	rec.Set("version", "2")
	if code, _, _ := e.post(path+"/recognise", "vi", officer, rec); code != http.StatusForbidden {
		t.Fatalf("officer recognises: %d", code)
	}
	if code, _, loc := e.post(path+"/recognise", "vi", coord, rec); code != http.StatusSeeOther || !strings.Contains(loc, "models.recognised") {
		t.Fatalf("recognise: %d %s", code, loc)
	}

	// The public gallery: the recognised model only.
	code, body = e.get("/dan-van-kheo", "192.0.2.20", "vi", "")
	b := html.UnescapeString(body)
	if code != 200 || !strings.Contains(b, "xây dựng nông thôn mới") || strings.Contains(b, "Bản nháp chưa gửi") {
		t.Fatalf("gallery: %d", code)
	}
	for _, want := range []string{`<meta name="description"`, `property="og:title"`, `property="og:image"`, `lang="vi"`, `width="480"`} {
		if !strings.Contains(body, want) {
			t.Errorf("gallery lacks %s", want)
		}
	}
	for q, n := range map[string]bool{"?field=economy": true, "?field=culture_society": false, "?level=commune&year=2023": true, "?level=province": false,
		"?year=2022": false, "?commune=" + strconv.FormatInt(e.unit["W"], 10): true} {
		_, body := e.get("/dan-van-kheo"+q, "192.0.2.20", "vi", "")
		if got := strings.Contains(html.UnescapeString(body), "xây dựng nông thôn mới</a>"); got != n {
			t.Errorf("filter %s: shown %v, want %v", q, got, n)
		}
	}
	if code, _ := e.get("/dan-van-kheo?field=sport", "192.0.2.20", "vi", ""); code != http.StatusBadRequest {
		t.Errorf("bad field: %d", code)
	}
	if code, _ := e.get("/dan-van-kheo?page=x", "192.0.2.20", "vi", ""); code != http.StatusBadRequest {
		t.Errorf("bad page: %d", code)
	}

	// The entry page: figures, recognition, photo with srcset, no scores.
	entry := "/dan-van-kheo/" + strconv.FormatInt(id, 10)
	code, body = e.get(entry, "192.0.2.20", "vi", "")
	b = html.UnescapeString(body)
	if code != 200 || !strings.Contains(b, "12.000 m²") || !strings.Contains(b, "8,5 km") || !strings.Contains(b, "45/QĐ-UBND") || !strings.Contains(body, "srcset=") ||
		!strings.Contains(body, `property="og:type" content="article"`) || strings.Contains(b, "thamdinh") || strings.Contains(b, "85,0") {
		t.Fatalf("entry page: %d", code)
	}
	draftID := id + 1
	if code, _ := e.get("/dan-van-kheo/"+strconv.FormatInt(draftID, 10), "192.0.2.20", "vi", ""); code != http.StatusNotFound {
		t.Fatalf("draft entry page: %d", code)
	}

	// Pictures: cached for a year, revalidated by ETag, a wrong digest not found.
	w := e.getRaw(photo, "")
	if w.Code != 200 || w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || w.Header().Get("ETag") == "" || w.Header().Get("Content-Type") != "image/jpeg" {
		t.Fatalf("photo headers: %d %v", w.Code, w.Header())
	}
	if c, _, err := image.DecodeConfig(bytes.NewReader(w.Body.Bytes())); err != nil || c.Width != 480 {
		t.Fatalf("thumbnail: %v %d", err, c.Width)
	}
	r := httptest.NewRequest("GET", photo, nil)
	r.Header.Set("If-None-Match", w.Header().Get("ETag"))
	w2 := httptest.NewRecorder()
	e.h.ServeHTTP(w2, r)
	if w2.Code != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", w2.Code)
	}
	bad := regexp.MustCompile(`/[0-9a-f]{16}/`).ReplaceAllString(photo, "/0000000000000000/")
	if w := e.getRaw(bad, ""); w.Code != http.StatusNotFound {
		t.Fatalf("wrong digest: %d", w.Code)
	}
	if w := e.getRaw(strings.Replace(photo, "/480", "/999", 1), ""); w.Code != http.StatusNotFound {
		t.Fatalf("bad size: %d", w.Code)
	}
}
