package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/service"
)

// A consultation through the API: the drafter creates and publishes, an
// anonymous citizen comments (contact never public), the drafter moderates
// and answers; the public reads and gets the DOCX only once synthesised.
func TestConsultAPI(t *testing.T) {
	e := newEnv(t)
	d := decode[service.ConsultDetail](t, e.do("POST", api.Prefix+"/consultations", map[string]any{
		"unit_id": e.unit["W1"], "kind": "plan", "title": "Kế hoạch chỉnh trang đô thị", "opens_on": "2025-07-25", "closes_on": "2025-08-10",
		"text": "I. MỤC ĐÍCH\n1. Chỉnh trang vỉa hè.\n2. Trồng cây xanh.",
	}, e.as("truong")), http.StatusCreated)
	if len(d.Passages) != 3 || d.Phase != "draft" {
		t.Fatalf("created %+v", d)
	}
	path := api.Prefix + "/consultations/" + strconv.FormatInt(d.ID, 10)
	problem(t, e.do("GET", path, nil), 404, "not-found")
	problem(t, e.do("POST", api.Prefix+"/consultations", map[string]any{"unit_id": e.unit["W2"], "kind": "plan", "title": "x", "opens_on": "2025-08-01", "closes_on": "2025-08-02"}, e.as("truong")), 403, "forbidden")
	problem(t, e.do("POST", path+"/publish", map[string]any{"version": 9}, e.as("truong")), 409, "conflict")
	d = decode[service.ConsultDetail](t, e.do("POST", path+"/publish", map[string]any{"version": d.Version}, e.as("truong")), 200)

	c := decode[service.ConsultComment](t, e.do("POST", path+"/comments", map[string]any{
		"passage_id": d.Passages[1].ID, "name": "Nguyễn Văn Hùng", "contact": "hung@example.vn", "text": "Đề nghị lát gạch chống trơn.",
	}), http.StatusCreated)
	problem(t, e.do("POST", path+"/comments", map[string]any{"text": ""}), 422, "validation")
	decode[service.ConsultComment](t, e.do("POST", api.Prefix+"/consultation-comments/"+strconv.FormatInt(c.ID, 10)+"/moderation", map[string]any{"status": "published"}, e.as("canbo")), 200)
	problem(t, e.do("POST", api.Prefix+"/consultation-comments/"+strconv.FormatInt(c.ID, 10)+"/moderation", map[string]any{"status": "published"}, e.as("khach")), 403, "forbidden")
	pub := e.do("GET", path, nil)
	if pub.Code != 200 || strings.Contains(pub.Body.String(), "hung@example.vn") || !strings.Contains(pub.Body.String(), "Nguyễn Văn Hùng") {
		t.Fatalf("public read %d %s", pub.Code, pub.Body.String())
	}
	decode[service.ConsultAnswer](t, e.do("POST", path+"/answers", map[string]any{"comment_ids": []int64{c.ID}, "verdict": "taken", "explanation": "Đã bổ sung vào Khoản 1."}, e.as("truong")), http.StatusCreated)
	problem(t, e.do("GET", path+"/synthesis.docx", nil), 404, "not-found")
	list := decode[api.Consultations](t, e.do("GET", api.Prefix+"/public/consultations", nil), 200)
	if len(list.Items) != 1 || list.Items[0].Phase != "open" {
		t.Fatalf("public list %+v", list)
	}
	syn := decode[api.SynthesisAnswer](t, e.do("GET", path+"/synthesis", nil, e.as("truong")), 200)
	if len(syn.Rows) != 1 || syn.Rows[0].Taken != 1 || syn.Rows[0].Label != "Khoản 1 Phần I" {
		t.Fatalf("synthesis %+v", syn)
	}
	// Still open: no synthesis yet.
	problem(t, e.do("POST", path+"/synthesis", map[string]any{"version": d.Version, "synthesis": "Tổng hợp"}, e.as("truong")), 422, "validation")
	res := e.do("GET", path+"/synthesis.docx", nil, e.as("truong"))
	if res.Code != 200 || !strings.Contains(res.Header().Get("Content-Type"), "wordprocessingml") {
		t.Fatalf("drafter's docx %d", res.Code)
	}
}
