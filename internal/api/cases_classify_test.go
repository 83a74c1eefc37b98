package api_test

import (
	"fmt"
	"testing"

	"github.com/danvan/danvan/internal/service"
)

func TestCasesAPIClassify(t *testing.T) {
	e := newEnv(t)
	e.addHandler("xuly1", "W1")
	e.addHandler("xulyp", "D380")

	// A feedback that names its author, then found to be a denunciation.
	body := map[string]any{
		"kind": "feedback", "place_unit_id": e.unit["W1"], "title": "Phản ánh cán bộ nhận tiền",
		"description": "Cán bộ địa chính nhận tiền.",
		"identity":    map[string]any{"name": "Trần Thị Bình", "address": "Thôn 3"},
	}
	sub := decode[service.Submitted](t, e.do("POST", "/api/v1/cases", body), 201)
	path := fmt.Sprintf("/api/v1/cases/%d/classify", sub.ID)
	problem(t, e.do("POST", path, map[string]any{"version": 1, "kind": "denunciation"}), 401, "unauthenticated")
	problem(t, e.do("POST", path, map[string]any{"version": 1, "kind": "denunciation"}, e.as("xulyp")), 403, "forbidden")
	p := problem(t, e.do("POST", path, map[string]any{"version": 1, "kind": "nope"}, e.as("xuly1")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[kind]" {
		t.Fatalf("fields: %s", got)
	}
	c := decode[service.Case](t, e.do("POST", path, map[string]any{"version": 1, "kind": "denunciation", "internal_note": "Nội dung tố cáo hành vi"}, e.as("xuly1")), 200)
	if c.Kind != service.CaseDenunciation || c.AcceptDue == "" || c.Version != 2 {
		t.Fatalf("classified: %+v", c)
	}
	problem(t, e.do("POST", path, map[string]any{"version": 1, "kind": "complaint"}, e.as("xuly1")), 409, "conflict")
	pub := decode[service.PublicCase](t, e.do("GET", "/api/v1/tracking/"+sub.TrackingCode, nil), 200)
	if pub.Kind != service.CaseDenunciation || pub.History[len(pub.History)-1].Action != "classify" {
		t.Fatalf("public: %+v", pub)
	}
	// A second-time complaint needs the first one's code.
	p = problem(t, e.do("POST", path, map[string]any{"version": c.Version, "kind": "complaint2"}, e.as("xuly1")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[parent_code]" {
		t.Fatalf("fields: %s", got)
	}
}
