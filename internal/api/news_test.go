package api_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"strconv"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/service"
)

// News through the API: an officer writes with a picture and submits, the
// coordinator returns then approves, the published article is public by
// slug and in the lists by topic and unit; others are refused.
func TestNewsAPI(t *testing.T) {
	e := newEnv(t)
	m := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := range 600 {
		for x := range 800 {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 60, 255})
		}
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, m, nil); err != nil {
		t.Fatal(err)
	}
	base := api.Prefix + "/news/articles"
	in := map[string]any{"unit_id": e.unit["W1"], "topic": "dialogues", "title": "Đối thoại với Nhân dân phường Hạc Thành",
		"summary": "Bí thư đối thoại về chỉnh trang đô thị.", "body": "Hơn 200 người dự.", "picture": pic.Bytes(), "picture_alt": "Quang cảnh buổi đối thoại"}
	problem(t, e.do("POST", base, in), 401, "unauthenticated")
	problem(t, e.do("POST", base, map[string]any{"unit_id": e.unit["W2"], "topic": "dialogues", "title": "x", "summary": "y", "body": "z"}, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", base, map[string]any{"unit_id": e.unit["W1"], "topic": "gossip"}, e.as("canbo")), 422, "validation")
	n := decode[service.NewsArticle](t, e.do("POST", base, in, e.as("canbo")), http.StatusCreated)
	if n.Slug != "doi-thoai-voi-nhan-dan-phuong-hac-thanh" || n.PictureWidth != 800 || n.ThumbWidth != 480 || n.Status != "draft" {
		t.Fatalf("created: %+v", n)
	}
	path := base + "/" + strconv.FormatInt(n.ID, 10)
	problem(t, e.do("GET", path, nil, e.as("khach")), 403, "forbidden")
	n = decode[service.NewsArticle](t, e.do("POST", path+"/submit", map[string]any{"version": n.Version}, e.as("canbo")), 200)
	problem(t, e.do("POST", path+"/approve", map[string]any{"version": n.Version}, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", path+"/return", map[string]any{"version": n.Version}, e.as("dieuphoi")), 422, "validation")
	n = decode[service.NewsArticle](t, e.do("POST", path+"/return", map[string]any{"version": n.Version, "comment": "Thêm ảnh."}, e.as("dieuphoi")), 200)
	in["version"] = n.Version
	delete(in, "picture")
	n = decode[service.NewsArticle](t, e.do("PUT", path, in, e.as("canbo")), 200)
	problem(t, e.do("PUT", path, in, e.as("canbo")), 409, "conflict")
	n = decode[service.NewsArticle](t, e.do("POST", path+"/submit", map[string]any{"version": n.Version}, e.as("canbo")), 200)
	n = decode[service.NewsArticle](t, e.do("POST", path+"/approve", map[string]any{"version": n.Version}, e.as("dieuphoi")), 200)
	if n.Status != "approved" || n.PublishedAt.IsZero() || n.Picture == "" {
		t.Fatalf("approved: %+v", n)
	}

	// Public reads.
	got := decode[service.NewsArticle](t, e.do("GET", api.Prefix+"/news/published/"+n.Slug, nil), 200)
	if got.ID != n.ID {
		t.Fatalf("by slug: %+v", got)
	}
	for _, q := range []string{"", "?topic=dialogues", "?unit=W1", "?unit=P38"} {
		page := decode[api.NewsPage](t, e.do("GET", api.Prefix+"/news"+q, nil), 200)
		if page.Total != 1 || page.Items[0].ID != n.ID {
			t.Fatalf("list %q: %+v", q, page)
		}
	}
	problem(t, e.do("GET", api.Prefix+"/news?topic=gossip", nil), 404, "not-found")
	problem(t, e.do("GET", api.Prefix+"/news/published/nope", nil), 404, "not-found")
	mine := decode[api.NewsPage](t, e.do("GET", base+"?status=approved", nil, e.as("canbo")), 200)
	if mine.Total != 1 {
		t.Fatalf("manage list: %+v", mine)
	}
	n = decode[service.NewsArticle](t, e.do("POST", path+"/withdraw", map[string]any{"version": n.Version, "comment": "Đăng trùng."}, e.as("dieuphoi")), 200)
	problem(t, e.do("GET", api.Prefix+"/news/published/"+n.Slug, nil), 404, "not-found")
}
