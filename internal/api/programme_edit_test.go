package api_test

import (
	"fmt"
	"testing"

	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/service"
)

type bulkResult struct {
	Preview bool                   `json:"preview"`
	Count   int                    `json:"count"`
	Units   []struct{ ID int64 }   `json:"units"`
	Skipped []struct{ ID int64 }   `json:"skipped"`
	Created []programme.Assignment `json:"created"`
}

func TestProgrammeEditAPI(t *testing.T) {
	e := newEnv(t)
	d := decode[programme.Directive](t, e.do("POST", "/api/v1/directives", map[string]any{"number": "1470-CV/TU", "doc_type": "cv", "issued_on": "2024-02-22",
		"issuer_unit_id": e.unit["P38"], "texts": []map[string]any{{"lang": "vi", "title": "Về việc dân vận"}}}, e.as("dieuphoi")), 201)
	if d.Version != 1 {
		t.Fatalf("version %d", d.Version)
	}
	task := decode[programme.Task](t, e.do("POST", fmt.Sprintf("/api/v1/directives/%d/tasks", d.ID), map[string]any{"number": 1, "texts": []map[string]any{{"lang": "vi", "title": "Cải cách hành chính"}}}, e.as("dieuphoi")), 201)
	as := decode[programme.Assignment](t, e.do("POST", fmt.Sprintf("/api/v1/tasks/%d/assignments", task.ID), map[string]any{"unit_id": e.unit["W1"], "role": "lead", "due_on": "2025-12-31"}, e.as("dieuphoi")), 201)

	// Edit: refused to others, 422 on bad input, 409 when stale (with the current ETag).
	path := fmt.Sprintf("/api/v1/directives/%d", d.ID)
	edit := map[string]any{"version": 1, "number": "1470-CV/TU", "doc_type": "ct", "issued_on": "2024-02-22", "title": "Về việc dân vận khéo"}
	problem(t, e.do("PUT", path, edit, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("PUT", path, edit), 401, "unauthenticated")
	p := problem(t, e.do("PUT", path, map[string]any{"version": 1, "number": "x", "doc_type": "ct", "issued_on": "2024-02-22", "title": ""}, e.as("dieuphoi")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[number title]" {
		t.Errorf("fields %s", got)
	}
	w := e.do("PUT", path, edit, e.as("dieuphoi"))
	got := decode[programme.Directive](t, w, 200)
	if got.DocType != "ct" || got.Version != 2 || w.Header().Get("ETag") != `"2"` {
		t.Errorf("edited: %+v %s", got, w.Header().Get("ETag"))
	}
	w = e.do("PUT", path, edit, e.as("dieuphoi"))
	problem(t, w, 409, "conflict")
	if w.Header().Get("ETag") != `"2"` {
		t.Errorf("stale ETag %q", w.Header().Get("ETag"))
	}
	delete(edit, "version")
	decode[programme.Directive](t, e.do("PUT", path, edit, e.as("dieuphoi"), header("If-Match", `"2"`)), 200)

	tp := fmt.Sprintf("/api/v1/tasks/%d", task.ID)
	if got := decode[programme.Task](t, e.do("PUT", tp, map[string]any{"version": 1, "number": 1, "weight": 2.5, "title": "Chuyển đổi số"}, e.as("dieuphoi")), 200); got.Weight != 2.5 || got.Version != 2 {
		t.Errorf("task: %+v", got)
	}
	ap := fmt.Sprintf("/api/v1/assignments/%d", as.ID)
	if got := decode[programme.Assignment](t, e.do("PUT", ap, map[string]any{"version": as.Version, "role": "cooperate", "due_on": "2025-11-30", "note": "Ưu tiên"}, e.as("dieuphoi")), 200); got.Note != "Ưu tiên" || got.Role != "cooperate" || got.UnitID != e.unit["W1"] {
		t.Errorf("assignment: %+v", got)
	}

	// Bulk: preview, then the same in one call; units already assigned are skipped.
	bp := fmt.Sprintf("/api/v1/tasks/%d/assignments/bulk", task.ID)
	body := map[string]any{"scope": service.BulkCommunes, "role": "cooperate", "due_on": "2025-12-31", "preview": true}
	problem(t, e.do("POST", bp, body, e.as("canbo")), 403, "forbidden")
	p = problem(t, e.do("POST", bp, map[string]any{"scope": "everything", "role": "lead", "due_on": "2025-12-31"}, e.as("dieuphoi")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[scope]" {
		t.Errorf("bulk fields %s", got)
	}
	pre := decode[bulkResult](t, e.do("POST", bp, body, e.as("dieuphoi")), 200)
	if !pre.Preview || pre.Count != 1 || pre.Units[0].ID != e.unit["W2"] || len(pre.Skipped) != 1 || pre.Skipped[0].ID != e.unit["W1"] || len(pre.Created) != 0 {
		t.Fatalf("preview: %+v", pre)
	}
	body["preview"] = false
	res := decode[bulkResult](t, e.do("POST", bp, body, e.as("dieuphoi")), 201)
	if res.Count != 1 || len(res.Created) != 1 || res.Created[0].UnitID != e.unit["W2"] {
		t.Fatalf("created: %+v", res)
	}

	// Withdraw: a reason is required; then the plan lists it as withdrawn.
	wp := fmt.Sprintf("/api/v1/assignments/%d/withdraw", as.ID)
	p = problem(t, e.do("POST", wp, map[string]any{"version": 2}, e.as("dieuphoi")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[reason]" {
		t.Errorf("withdraw fields %s", got)
	}
	wd := decode[programme.Withdrawal](t, e.do("POST", wp, map[string]any{"version": 2, "reason": "Giao nhầm"}, e.as("dieuphoi")), 200)
	if wd.Reason != "Giao nhầm" || wd.By == "" || wd.At.IsZero() {
		t.Errorf("withdrawal: %+v", wd)
	}
	problem(t, e.do("POST", wp, map[string]any{"version": 3, "reason": "lại"}, e.as("dieuphoi")), 409, "conflict")
	plan := decode[service.Plan](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d/plan", e.unit["W1"]), nil, e.as("canbo")), 200)
	if len(plan.Assignments) != 0 || len(plan.Withdrawn) != 1 || plan.Withdrawn[0].Withdrawn == nil {
		t.Errorf("plan: %+v / %+v", plan.Assignments, plan.Withdrawn)
	}
	decode[programme.Withdrawal](t, e.do("POST", fmt.Sprintf("/api/v1/tasks/%d/withdraw", task.ID), map[string]any{"version": 2, "reason": "Gộp"}, e.as("dieuphoi")), 200)
	decode[programme.Withdrawal](t, e.do("POST", path+"/withdraw", map[string]any{"reason": "Hết hiệu lực"}, e.as("dieuphoi"), header("If-Match", `"3"`)), 200)
	det := decode[directiveDetail](t, e.do("GET", path, nil, e.as("canbo")), 200)
	if det.Withdrawn == nil || det.Withdrawn.Reason != "Hết hiệu lực" || det.Tasks[0].Withdrawn == nil {
		t.Errorf("detail: %+v", det.Directive)
	}
}

func TestProgrammeRemoveAddresseeAPI(t *testing.T) {
	e := newEnv(t)
	d := decode[programme.Directive](t, e.do("POST", "/api/v1/directives", map[string]any{"number": "1470-CV/TU", "doc_type": "cv", "issued_on": "2024-02-22",
		"issuer_unit_id": e.unit["P38"], "texts": []map[string]any{{"lang": "vi", "title": "Về việc dân vận"}}}, e.as("dieuphoi")), 201)
	ad := decode[programme.Addressee](t, e.do("POST", fmt.Sprintf("/api/v1/directives/%d/addressees", d.ID), map[string]any{"unit_kind": "ward"}, e.as("dieuphoi")), 201)
	path := fmt.Sprintf("/api/v1/directives/%d/addressees/%d", d.ID, ad.ID)
	problem(t, e.do("DELETE", path, nil, e.as("canbo")), 403, "forbidden")
	if w := e.do("DELETE", path, nil, e.as("dieuphoi")); w.Code != 204 {
		t.Fatalf("delete: %d %s", w.Code, w.Body.String())
	}
	problem(t, e.do("DELETE", path, nil, e.as("dieuphoi")), 404, "not-found")
}
