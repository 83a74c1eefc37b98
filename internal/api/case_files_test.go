package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/service"
)

type part struct {
	field, name string // name "": a plain field
	data        []byte
}

// multipartBody builds a multipart body and its content type.
func multipartBody(t *testing.T, parts ...part) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		if p.name == "" {
			if err := mw.WriteField(p.field, string(p.data)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := mw.CreateFormFile(p.field, p.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(p.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

func TestCaseFilesAPI(t *testing.T) {
	e := newEnv(t)
	e.addHandler("xuly1", "W1")
	e.addHandler("xulyp", "D380")
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	caseJSON, _ := json.Marshal(map[string]any{"kind": "feedback", "place_unit_id": e.unit["W1"], "title": "Rác thải",
		"description": "Bãi rác tự phát bên bờ sông.", "anonymous": true})

	// A script named as a photo refuses the whole case.
	body, ct := multipartBody(t, part{"case", "", caseJSON}, part{"files", "anh.jpg", []byte("<html><script>x</script></html>")})
	p := problem(t, e.do("POST", "/api/v1/cases", body, header("Content-Type", ct)), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[files]" {
		t.Fatalf("fields: %s", got)
	}
	// Malformed forms: a 4xx problem, never a 500.
	body, ct = multipartBody(t, part{"case", "", []byte(`{"kind": 1}`)})
	problem(t, e.do("POST", "/api/v1/cases", body, header("Content-Type", ct)), 400, "wrong-type")
	body, ct = multipartBody(t, part{"files", "a.png", img.Bytes()})
	problem(t, e.do("POST", "/api/v1/cases", body, header("Content-Type", ct)), 422, "validation")
	body, ct = multipartBody(t, part{"case", "", caseJSON}, part{"other", "", []byte("x")})
	problem(t, e.do("POST", "/api/v1/cases", body, header("Content-Type", ct)), 400, "unknown-field")
	problem(t, e.do("POST", "/api/v1/cases", raw("--x\r\nnot a part"), header("Content-Type", "multipart/form-data; boundary=x")), 400, "bad-request")

	// A photo and a PDF with the case (the JSON may also come as a file part).
	body, ct = multipartBody(t, part{"case", "case.json", caseJSON}, part{"files", "rác.png", img.Bytes()}, part{"files", "đơn.pdf", []byte("%PDF-1.4 đơn")})
	sub := decode[service.Submitted](t, e.do("POST", "/api/v1/cases", body, header("Content-Type", ct)), 201)
	pub := decode[service.PublicCase](t, e.do("GET", "/api/v1/tracking/"+sub.TrackingCode, nil), 200)
	if len(pub.Photos) != 1 || pub.Photos[0].Name != "" {
		t.Fatalf("public photos: %+v", pub.Photos)
	}

	// The handlers' list and downloads.
	path := fmt.Sprintf("/api/v1/cases/%d/attachments", sub.ID)
	problem(t, e.do("GET", path, nil), 401, "unauthenticated")
	problem(t, e.do("GET", path, nil, e.as("xulyp")), 403, "forbidden")
	list := decode[struct{ Items []service.CaseAttachment }](t, e.do("GET", path, nil, e.as("xuly1")), 200)
	if len(list.Items) != 2 || list.Items[1].Name != "đơn.pdf" || list.Items[1].ContentType != "application/pdf" || !list.Items[0].Public {
		t.Fatalf("list: %+v", list)
	}
	w := e.do("GET", fmt.Sprintf("%s/%d", path, list.Items[0].ID), nil, e.as("xuly1"))
	h := w.Header()
	if w.Code != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Content-Type") != "image/png" || !bytes.Equal(w.Body.Bytes(), img.Bytes()) {
		t.Fatalf("download: %d %v", w.Code, h)
	}
	problem(t, e.do("GET", path+"/99999", nil, e.as("xuly1")), 404, "not-found")

	// A handler adds a file; bad content and a missing part are 422, JSON 415.
	body, ct = multipartBody(t, part{"file", "biên bản.pdf", []byte("%PDF-1.4 xác minh")})
	at := decode[service.CaseAttachment](t, e.do("POST", path, body, header("Content-Type", ct), e.as("xuly1")), 201)
	if at.Public || at.Name != "biên bản.pdf" || at.CreatedBy != e.user["xuly1"] {
		t.Fatalf("added: %+v", at)
	}
	problem(t, e.do("POST", path, body, header("Content-Type", ct), e.as("xulyp")), 403, "forbidden")
	body, ct = multipartBody(t, part{"file", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)})
	p = problem(t, e.do("POST", path, body, header("Content-Type", ct), e.as("xuly1")), 422, "validation")
	if len(p.Errors) != 1 || p.Errors[0].Field != "file" {
		t.Fatalf("svg: %+v", p)
	}
	body, ct = multipartBody(t, part{"other", "a.pdf", []byte("%PDF-")})
	problem(t, e.do("POST", path, body, header("Content-Type", ct), e.as("xuly1")), 422, "validation")
	problem(t, e.do("POST", path, map[string]any{"file": "x"}, e.as("xuly1")), 415, "unsupported-media-type")
}
