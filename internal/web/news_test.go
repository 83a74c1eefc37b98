package web_test

import (
	"bytes"
	"encoding/xml"
	"html"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
)

func newsPicture(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 1600, 900))
	for y := range 900 {
		for x := range 1600 {
			m.Set(x, y, color.RGBA{uint8(x / 7), uint8(y / 4), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postNews sends the editor's multipart form signed in with cookie.
func (e *uenv) postNews(path, cookie string, fields map[string]string, picture []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", "x")
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if picture != nil {
		fw, _ := mw.CreateFormFile("picture", "anh.png")
		_, _ = fw.Write(picture)
	}
	_ = mw.Close()
	r := httptest.NewRequest("POST", path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "vi")
	r.RemoteAddr = "192.0.2.10:5000"
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: cookie})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// getNews is a GET with extra headers, answering the whole response.
func (e *uenv) getNews(path string, hdr map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = "192.0.2.11:5000"
	r.Header.Set("Accept-Language", "vi")
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// The news loop through the HTML forms without JavaScript: write with a
// picture, preview, submit, return, mend, approve with confirmation; then
// the public list, the article with its Open Graph tags, the feeds, the
// picture with its caching headers and the sitemap.
func TestNewsPages(t *testing.T) {
	e := newUenv(t)
	officer := e.session("canbo", authz.RoleUnitOfficer)
	coord := e.session("dieuphoi", authz.RoleCoordinator)
	leader := e.session("lanhdao", authz.RoleLeader)
	ws := strconv.FormatInt(e.unit["W"], 10)

	if code, _ := e.get("/news/manage", "192.0.2.10", "vi", ""); code != http.StatusSeeOther {
		t.Fatalf("anonymous manage: %d", code)
	}
	if code, _ := e.get("/news/manage", "192.0.2.10", "vi", leader); code != http.StatusForbidden {
		t.Fatalf("leader manage: %d", code)
	}
	code, body := e.get("/news/manage/new", "192.0.2.10", "vi", officer)
	if code != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `name="csrf"`) {
		t.Fatalf("editor: %d", code)
	}
	fields := map[string]string{"unit_id": ws, "topic": "models", "title": "Dân vận khéo ở xã Đông Sơn",
		"summary": "Người dân hiến đất làm đường <b>liên thôn</b>.", "body": "Mở đường.\n\n## Kết quả\n- 2 km\n\n<script>alert(1)</script>", "picture_alt": "Con đường mới"}

	// Preview renders the markup without saving; HTML stays text.
	prev := map[string]string{"preview": "1"}
	for k, v := range fields {
		prev[k] = v
	}
	w := e.postNews("/news/manage", officer, prev, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<h2>Kết quả</h2>") || strings.Contains(w.Body.String(), "<script>alert") {
		t.Fatalf("preview: %d", w.Code)
	}
	// Invalid: a picture that is not one; the form comes back with the message.
	w = e.postNews("/news/manage", officer, fields, []byte("GIF89a not really"))
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="n-picture-err"`) || !strings.Contains(w.Body.String(), "Dân vận khéo ở xã Đông Sơn") {
		t.Fatalf("bad picture: %d", w.Code)
	}
	w = e.postNews("/news/manage", officer, fields, newsPicture(t))
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/news/manage/") {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	path := strings.SplitN(loc, "?", 2)[0]
	if code, _, loc := e.post(path+"/submit", "vi", officer, url.Values{"version": {"1"}}); code != http.StatusSeeOther || !strings.Contains(loc, "news.submitted") {
		t.Fatalf("submit: %d %s", code, loc)
	}
	// Not public yet.
	if code, _ := e.get("/tin-tuc/dan-van-kheo-o-xa-dong-son", "192.0.2.11", "vi", ""); code != http.StatusNotFound {
		t.Fatalf("draft public: %d", code)
	}
	// Returning needs a comment; the confirmation page comes first.
	if code, body := e.get(path+"/return", "192.0.2.10", "vi", coord); code != 200 || !strings.Contains(body, `action="`+path+`/return"`) {
		t.Fatalf("return confirm: %d", code)
	}
	if code, body, _ := e.post(path+"/return", "vi", coord, url.Values{"version": {"2"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="c-comment-err"`) {
		t.Fatalf("return without comment: %d", code)
	}
	if code, _, _ := e.post(path+"/return", "vi", coord, url.Values{"version": {"2"}, "comment": {"Thêm số hộ."}}); code != http.StatusSeeOther {
		t.Fatalf("return: %d", code)
	}
	fields["version"] = "3"
	fields["body"] += "\n\n120 hộ tham gia."
	if w := e.postNews(path, officer, fields, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("mend: %d", w.Code)
	}
	if code, _, _ := e.post(path+"/submit", "vi", officer, url.Values{"version": {"4"}}); code != http.StatusSeeOther {
		t.Fatalf("resubmit: %d", code)
	}
	if code, _, _ := e.post(path+"/approve", "vi", officer, url.Values{"version": {"5"}}); code != http.StatusForbidden {
		t.Fatalf("officer approves: %d", code)
	}
	if code, _, _ := e.post(path+"/approve", "vi", coord, url.Values{"version": {"4"}}); code != http.StatusConflict {
		t.Fatalf("stale approve: %d", code)
	}
	if code, _, loc := e.post(path+"/approve", "vi", coord, url.Values{"version": {"5"}}); code != http.StatusSeeOther || !strings.Contains(loc, "news.done_approve") {
		t.Fatalf("approve: %d", code)
	}

	// The public list and the article, readable without signing in.
	code, body = e.get("/tin-tuc?topic=models", "192.0.2.11", "vi", "")
	if code != 200 || !strings.Contains(body, `href="/tin-tuc/dan-van-kheo-o-xa-dong-son"`) || !strings.Contains(body, `type="application/atom+xml"`) ||
		!strings.Contains(body, `<meta name="description"`) {
		t.Fatalf("public list: %d", code)
	}
	if code, _ := e.get("/tin-tuc?topic=gossip", "192.0.2.11", "vi", ""); code != http.StatusNotFound {
		t.Fatalf("unknown topic: %d", code)
	}
	code, body = e.get("/tin-tuc/dan-van-kheo-o-xa-dong-son", "192.0.2.11", "vi", "")
	b := html.UnescapeString(body)
	for _, want := range []string{`<html lang="vi">`, `<title>Dân vận khéo ở xã Đông Sơn`, `property="og:title" content="Dân vận khéo ở xã Đông Sơn"`,
		`property="og:type" content="article"`, `property="og:url" content="http://example.com/tin-tuc/dan-van-kheo-o-xa-dong-son"`,
		`property="og:image" content="http://example.com/tin-tuc/anh/`, `<h2>Kết quả</h2>`, `alt="Con đường mới"`, "<b>liên thôn</b>", "120 hộ tham gia."} {
		if !strings.Contains(b, want) {
			t.Errorf("article lacks %q", want)
		}
	}
	if code != 200 || strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>liên") {
		t.Fatalf("article: %d, or unescaped text", code)
	}

	// The picture: content-hashed, cached for ever.
	i := strings.Index(body, "/tin-tuc/anh/")
	pic := body[i : i+strings.IndexByte(body[i:], '"')]
	w = e.getNews(pic, nil)
	if w.Code != 200 || w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || w.Header().Get("Content-Type") != "image/jpeg" {
		t.Fatalf("picture: %d %v", w.Code, w.Header())
	}
	if w := e.getNews("/tin-tuc/anh/0123.jpg", nil); w.Code != http.StatusNotFound {
		t.Fatalf("unknown picture: %d", w.Code)
	}

	// Feeds: every article, the topic's, the unit's (and its parent's); 304 on the same ETag.
	for _, p := range []string{"/tin-tuc/feed.atom", "/tin-tuc/chu-de/models.atom", "/tin-tuc/don-vi/W.atom", "/tin-tuc/don-vi/P.atom"} {
		w := e.getNews(p, nil)
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" || w.Header().Get("Last-Modified") == "" {
			t.Fatalf("%s: %d %v", p, w.Code, w.Header())
		}
		var f struct {
			Entries []struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &f); err != nil || len(f.Entries) != 1 || f.Entries[0].Title != "Dân vận khéo ở xã Đông Sơn" {
			t.Fatalf("%s: %v %+v", p, err, f)
		}
		if w2 := e.getNews(p, map[string]string{"If-None-Match": w.Header().Get("ETag")}); w2.Code != http.StatusNotModified {
			t.Fatalf("%s: conditional: %d", p, w2.Code)
		}
	}
	for _, p := range []string{"/tin-tuc/chu-de/gossip.atom", "/tin-tuc/don-vi/NOPE.atom", "/tin-tuc/chu-de/models.rss"} {
		if w := e.getNews(p, nil); w.Code != http.StatusNotFound {
			t.Fatalf("%s: %d", p, w.Code)
		}
	}
	if w := e.getNews("/tin-tuc/chu-de/dialogues.atom", nil); w.Code != 200 || strings.Contains(w.Body.String(), "<entry>") {
		t.Fatalf("empty topic feed: %d", w.Code)
	}

	// The sitemap lists the public sections and the article; robots.txt points to it.
	w = e.getNews("/sitemap.xml", nil)
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &sm); err != nil || w.Code != 200 {
		t.Fatalf("sitemap: %d %v", w.Code, err)
	}
	locs := map[string]string{}
	for _, u := range sm.URLs {
		if !strings.HasPrefix(u.Loc, "http://example.com/") {
			t.Errorf("relative or foreign URL %q", u.Loc)
		}
		locs[u.Loc] = u.LastMod
	}
	for _, p := range []string{"/", "/tin-tuc", "/cases/new", "/bang-diem", "/lich-tiep-cong-dan", "/gop-y", "/dan-van-kheo"} {
		if _, ok := locs["http://example.com"+p]; !ok {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	if lm := locs["http://example.com/tin-tuc/dan-van-kheo-o-xa-dong-son"]; !strings.HasSuffix(lm, "+07:00") {
		t.Errorf("article lastmod %q", lm)
	}
	if w := e.getNews("/robots.txt", nil); !strings.Contains(w.Body.String(), "Sitemap: http://example.com/sitemap.xml") {
		t.Errorf("robots: %q", w.Body.String())
	}

	// Withdrawn with a reason: off the portal.
	if code, _, _ := e.post(path+"/withdraw", "vi", coord, url.Values{"version": {"6"}, "comment": {"Sai số liệu"}}); code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", code)
	}
	if code, _ := e.get("/tin-tuc/dan-van-kheo-o-xa-dong-son", "192.0.2.11", "vi", ""); code != http.StatusNotFound {
		t.Fatalf("withdrawn public: %d", code)
	}
}
