package api_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/service"
)

// Dialogues and mediation through the API; the public endpoint shows the
// public dialogues' minutes and commitments and never a mediation party.
func TestCivicAPI(t *testing.T) {
	e := newEnv(t)
	w1 := e.unit["W1"]
	d := decode[service.Dialogue](t, e.do("POST", api.Prefix+"/dialogues", map[string]any{
		"unit_id": w1, "held_on": "2025-07-20", "topic": "Đối thoại về môi trường", "public": true, "status": "held", "minutes": "Nhân dân nêu 2 ý kiến.",
	}, e.as("truong")), http.StatusCreated)
	problem(t, e.do("POST", api.Prefix+"/dialogues", map[string]any{"unit_id": w1, "held_on": "x", "topic": ""}, e.as("truong")), 422, "validation")
	problem(t, e.do("POST", api.Prefix+"/dialogues", map[string]any{"unit_id": e.unit["W2"], "held_on": "2025-07-20", "topic": "x"}, e.as("truong")), 403, "forbidden")
	c := decode[service.Commitment](t, e.do("POST", api.Prefix+"/dialogues/"+strconv.FormatInt(d.ID, 10)+"/commitments", map[string]any{
		"owner_unit_id": w1, "text": "Thu gom rác hằng ngày", "due_on": "2025-07-25",
	}, e.as("canbo")), http.StatusCreated)
	if c.Status != "overdue" {
		t.Errorf("status %q", c.Status)
	}
	list := decode[api.Dialogues](t, e.do("GET", api.Prefix+"/dialogues", nil, e.as("canbo")), 200)
	if len(list.Items) != 1 || len(list.Overdue) != 1 {
		t.Errorf("list %+v", list)
	}

	m := decode[service.Mediation](t, e.do("POST", api.Prefix+"/mediations", map[string]any{
		"unit_id": w1, "village": "Tổ dân phố 3", "dispute_kind": "neighbour", "summary": "Tranh chấp lối đi chung.",
		"parties":   []map[string]string{{"name": "Hoàng Văn Kiên", "role": "bên yêu cầu"}, {"name": "Đỗ Thị Lan"}},
		"mediators": "Ngô Văn Minh", "assigned_on": "2025-07-28",
	}, e.as("truong")), http.StatusCreated)
	if m.StartDue != "2025-07-31" {
		t.Errorf("start_due %q", m.StartDue)
	}
	path := api.Prefix + "/mediations/" + strconv.FormatInt(m.ID, 10)
	problem(t, e.do("GET", path, nil, e.as("khach")), 404, "not-found")
	m = decode[service.Mediation](t, e.do("POST", path+"/start", map[string]any{"version": m.Version, "on": "2025-07-29"}, e.as("canbo")), 200)
	problem(t, e.do("POST", path+"/outcome", map[string]any{"version": m.Version, "outcome": "success"}, e.as("canbo")), 422, "validation")
	problem(t, e.do("POST", path+"/outcome", map[string]any{"version": 1, "outcome": "failure"}, e.as("canbo")), 409, "conflict")
	m = decode[service.Mediation](t, e.do("POST", path+"/outcome", map[string]any{"version": m.Version, "outcome": "success", "agreement": "Hai bên để lối đi rộng 2 m."}, e.as("canbo")), 200)
	res := e.do("GET", path+"/agreement.docx", nil, e.as("truong"))
	if res.Code != 200 || !strings.Contains(res.Header().Get("Content-Type"), "wordprocessingml") {
		t.Fatalf("docx %d %s", res.Code, res.Body.String())
	}
	z, err := zip.NewReader(bytes.NewReader(res.Body.Bytes()), int64(res.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			doc = string(b)
		}
	}
	for _, want := range []string{"Độc lập - Tự do - Hạnh phúc", "BIÊN BẢN HÒA GIẢI THÀNH", "Hoàng Văn Kiên", "Đỗ Thị Lan", "lối đi rộng 2 m"} {
		if !strings.Contains(doc, want) {
			t.Errorf("docx lacks %q", want)
		}
	}

	pub := e.do("GET", api.Prefix+"/public/dialogues", nil)
	if pub.Code != 200 {
		t.Fatalf("public %d %s", pub.Code, pub.Body.String())
	}
	body := pub.Body.String()
	if !strings.Contains(body, "Nhân dân nêu 2 ý kiến.") || !strings.Contains(body, "Thu gom rác hằng ngày") {
		t.Errorf("public lacks minutes or commitments: %s", body)
	}
	for _, secret := range []string{"Hoàng Văn Kiên", "Đỗ Thị Lan", "lối đi", "Ngô Văn Minh"} {
		if strings.Contains(body, secret) {
			t.Errorf("public shows %q", secret)
		}
	}
	problem(t, e.do("GET", api.Prefix+"/public/dialogues?limit=0", nil), 400, "bad-request")
	problem(t, e.do("GET", api.Prefix+"/mediations", nil), 401, "unauthenticated")
}
