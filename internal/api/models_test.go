package api_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/service"
)

// The life of a model through the API: the officer registers and submits,
// the coordinator keeps the criteria, assigns an evaluator and recognises;
// only then is the model public, without its scores.
func TestModelsAPI(t *testing.T) {
	e := newEnv(t)
	base := api.Prefix + "/models"
	in := map[string]any{"kind": "collective", "name": "Dân vận khéo trong giải phóng mặt bằng", "field": "economy", "unit_id": e.unit["W1"],
		"period_from": "2025-07-01", "summary": "Vận động 215 hộ bàn giao mặt bằng", "description": "Đối thoại trực tiếp, công khai phương án bồi thường.",
		"results": []map[string]any{{"label": "Hộ bàn giao mặt bằng", "value": 215, "unit": "hộ"}}, "links": []string{"https://thanhhoa.gov.vn"}}
	problem(t, e.do("POST", base, in, e.as("khach")), 403, "forbidden")
	problem(t, e.do("POST", base, map[string]any{"kind": "x", "field": "sport"}, e.as("canbo")), 422, "validation")
	m := decode[service.Model](t, e.do("POST", base, in, e.as("canbo")), http.StatusCreated)
	path := base + "/" + strconv.FormatInt(m.ID, 10)
	public := api.Prefix + "/public/models"
	problem(t, e.do("GET", public+"/"+strconv.FormatInt(m.ID, 10), nil), 404, "not-found")
	problem(t, e.do("GET", path, nil, e.as("khach")), 404, "not-found")

	// A photo, re-encoded.
	img := image.NewRGBA(image.Rect(0, 0, 2000, 1000))
	for x := range 2000 {
		img.Set(x, x/2, color.RGBA{200, 30, 30, 255})
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, img, nil); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "anh.jpg")
	_, _ = fw.Write(pic.Bytes())
	_ = mw.WriteField("caption", "Đối thoại với nhân dân")
	_ = mw.Close()
	req := httptest.NewRequest("POST", path+"/files", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.token["canbo"])
	res := httptest.NewRecorder()
	e.h.ServeHTTP(res, req)
	f := decode[service.ModelFile](t, res, http.StatusCreated)
	if f.Width != 1600 || f.ThumbWidth != 480 || f.Caption != "Đối thoại với nhân dân" {
		t.Fatalf("file: %+v", f)
	}

	m = decode[service.Model](t, e.do("POST", path+"/submit", map[string]any{"version": m.Version}, e.as("canbo")), 200)
	crit := map[string]any{"year": 2025, "field": "economy", "criteria": []map[string]any{
		{"code": "1", "name": "Gắn với chỉ đạo của địa phương", "weight": 40}, {"code": "2", "name": "Kết quả thiết thực", "weight": 50}}}
	problem(t, e.do("PUT", base+"/criteria", crit, e.as("dieuphoi")), 422, "validation") // 90
	crit["criteria"].([]map[string]any)[1]["weight"] = 60
	problem(t, e.do("PUT", base+"/criteria", crit, e.as("canbo")), 403, "forbidden")
	cs := decode[struct{ Items []service.ModelCriterion }](t, e.do("PUT", base+"/criteria", crit, e.as("dieuphoi")), 200).Items
	if got := decode[struct{ Items []service.ModelCriterion }](t, e.do("GET", base+"/criteria?year=2025&field=economy", nil), 200).Items; len(got) != 2 {
		t.Fatalf("criteria: %+v", got)
	}
	if w := e.do("POST", path+"/evaluators", map[string]any{"username": "khach"}, e.as("dieuphoi")); w.Code != http.StatusNoContent {
		t.Fatalf("assign: %d %s", w.Code, w.Body)
	}
	rec := map[string]any{"level": "province", "year": 2025, "decision_no": "12-QĐ/TU", "decided_on": "2025-07-30", "version": m.Version}
	problem(t, e.do("POST", path+"/recognition", rec, e.as("dieuphoi")), 422, "validation") // no evaluation
	ev := decode[service.ModelEvaluation](t, e.do("POST", path+"/evaluations", map[string]any{"year": 2025, "scores": []map[string]any{
		{"criterion_id": cs[0].ID, "score": 8}, {"criterion_id": cs[1].ID, "score": 9, "comment": "Số liệu rõ"}}}, e.as("khach")), 200)
	if ev.Total != 860 { // 40·8 + 60·9 = 860
		t.Fatalf("total: %d", ev.Total)
	}
	problem(t, e.do("POST", path+"/recognition", rec, e.as("canbo")), 403, "forbidden")
	m = decode[service.Model](t, e.do("POST", path+"/recognition", rec, e.as("dieuphoi")), 200)
	if m.Status != "recognised" || m.Recognition == nil || m.Recognition.Year != 2025 {
		t.Fatalf("recognised: %+v", m)
	}

	// Public now: no scores, no evaluators.
	res = e.do("GET", public+"/"+strconv.FormatInt(m.ID, 10), nil)
	v := decode[service.ModelView](t, res, 200)
	if len(v.Files) != 1 || v.Evaluations != nil || strings.Contains(res.Body.String(), "Số liệu rõ") {
		t.Fatalf("public view: %s", res.Body)
	}
	page := decode[api.ModelsPage](t, e.do("GET", public+"?field=economy&level=province&year=2025", nil), 200)
	if page.Total != 1 || page.Items[0].Cover == nil {
		t.Fatalf("gallery: %+v", page)
	}
	if page := decode[api.ModelsPage](t, e.do("GET", public+"?level=commune", nil), 200); page.Total != 0 {
		t.Fatalf("commune level: %+v", page)
	}
	problem(t, e.do("GET", public+"?year=abc", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", public+"?field=sport", nil), 422, "validation")

	// Replication: by whoever writes the replicating unit's reports, not W1's officer for W2.
	problem(t, e.do("POST", path+"/replications", map[string]any{"unit_id": e.unit["W2"], "started_on": "2025-07-15", "status": "started"}, e.as("canbo")), 403, "forbidden")
	rep := decode[service.ModelReplication](t, e.do("POST", path+"/replications", map[string]any{"unit_id": e.unit["W2"], "started_on": "2025-07-15", "status": "started"}, e.as("admin")), 200)
	if rep.UnitName != "Xã Đông Sơn" {
		t.Fatalf("replication: %+v", rep)
	}
	list := decode[api.ModelsPage](t, e.do("GET", base+"?status=recognised", nil, e.as("canbo")), 200)
	if list.Total != 1 {
		t.Fatalf("list: %+v", list)
	}
}
