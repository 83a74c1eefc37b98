package api_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/service"
)

// addOfficer creates an officer of unit code with a bearer token.
func (e *env) addOfficer(name, code string) {
	e.t.Helper()
	id := e.addUser(name)
	if err := e.st.AddGrant(context.Background(), audit.System("test"), id, authz.RoleUnitOfficer, e.unit[code]); err != nil {
		e.t.Fatal(err)
	}
	tok, hash, _ := account.NewToken("dvt_")
	if _, err := e.st.CreateToken(context.Background(), audit.System("test"), id, "test", hash); err != nil {
		e.t.Fatal(err)
	}
	e.token[name] = tok
}

// sortedFields names the invalid fields of a problem in alphabetical order.
func sortedFields(p api.ProblemDetails) []string {
	f := fields(p)
	sort.Strings(f)
	return f
}

type directivePage struct {
	Items []programme.Directive `json:"items"`
	Total int                   `json:"total"`
}

type directiveDetail struct {
	programme.Directive
	At      string `json:"at"`
	Summary struct {
		Rollup programme.Rollup `json:"rollup"`
		Tasks  []struct {
			TaskID int64            `json:"task_id"`
			Rollup programme.Rollup `json:"rollup"`
		} `json:"tasks"`
		Units []programme.UnitFigure `json:"units"`
	} `json:"summary"`
}

func TestProgrammeAPI(t *testing.T) {
	e := newEnv(t)
	e.addOfficer("canbo2", "W2")

	// Anonymous: 401; no grant: 403; empty list for a coordinator.
	problem(t, e.do("GET", "/api/v1/directives", nil), 401, "unauthenticated")
	problem(t, e.do("GET", "/api/v1/directives", nil, e.as("khach")), 403, "forbidden")
	if p := decode[directivePage](t, e.do("GET", "/api/v1/directives", nil, e.as("dieuphoi")), 200); p.Total != 0 || p.Items == nil {
		t.Fatalf("empty list: %+v", p)
	}

	body := map[string]any{
		"number": "1470-CV/TU", "doc_type": "cv", "issued_on": "2024-02-22", "issuer_unit_id": e.unit["P38"],
		"signer": "Lại Thế Nguyên", "signer_title": "Phó Bí thư Thường trực Tỉnh ủy",
		"texts": []map[string]any{
			{"lang": "ja", "title": "大衆動員", "body": "本文"},
			{"lang": "vi", "title": "Về việc dân vận", "body": "Nội dung", "is_translation": true},
		},
		"attachments": []map[string]any{{"name": "Bản gốc", "url": "https://example.org/1470.pdf"}},
	}
	problem(t, e.do("POST", "/api/v1/directives", body, e.as("canbo")), 403, "forbidden")
	bad := map[string]any{"number": "nope", "doc_type": "memo", "issued_on": "2024-02-30", "issuer_unit_id": e.unit["P38"], "texts": []map[string]any{}}
	p := problem(t, e.do("POST", "/api/v1/directives", bad, e.as("dieuphoi")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[doc_type issued_on number title]" {
		t.Fatalf("fields: %s", got)
	}
	problem(t, e.do("POST", "/api/v1/directives", map[string]any{"number": "1-CV/TU", "issuer_unit_id": 999999}, e.as("dieuphoi")), 422, "validation")
	w := e.do("POST", "/api/v1/directives", body, e.as("dieuphoi"))
	d := decode[programme.Directive](t, w, 201)
	if d.ID == 0 || len(d.Texts) != 2 || len(d.Attachments) != 1 || w.Header().Get("Location") != fmt.Sprintf("/api/v1/directives/%d", d.ID) {
		t.Fatalf("created: %+v %s", d, w.Header().Get("Location"))
	}
	problem(t, e.do("POST", "/api/v1/directives", body, e.as("dieuphoi")), 409, "conflict")

	// Tasks.
	taskPath := fmt.Sprintf("/api/v1/directives/%d/tasks", d.ID)
	problem(t, e.do("POST", taskPath, map[string]any{"number": 3, "texts": []map[string]any{{"lang": "ja", "title": "行政改革"}}}, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", taskPath, map[string]any{"number": 0, "weight": -1, "texts": []map[string]any{{"lang": "ja", "title": "x"}}}, e.as("dieuphoi")), 422, "validation")
	task := decode[programme.Task](t, e.do("POST", taskPath, map[string]any{"number": 3, "weight": 2, "texts": []map[string]any{{"lang": "ja", "title": "行政改革"}, {"lang": "en", "title": "Administrative reform", "is_translation": true}}}, e.as("dieuphoi")), 201)
	problem(t, e.do("POST", taskPath, map[string]any{"number": 3, "texts": []map[string]any{{"lang": "ja", "title": "x"}}}, e.as("dieuphoi")), 409, "conflict")
	problem(t, e.do("POST", "/api/v1/directives/999999/tasks", map[string]any{"number": 1}, e.as("dieuphoi")), 404, "not-found")

	// Assignments.
	asgPath := fmt.Sprintf("/api/v1/tasks/%d/assignments", task.ID)
	problem(t, e.do("POST", asgPath, map[string]any{"unit_id": e.unit["W1"], "role": "lead", "due_on": "2025-12-31"}, e.as("truong")), 403, "forbidden")
	p = problem(t, e.do("POST", asgPath, map[string]any{"unit_id": e.unit["W1"], "role": "boss", "due_on": "31/12/2025"}, e.as("dieuphoi")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[due_on role]" {
		t.Fatalf("fields: %s", got)
	}
	as := decode[programme.Assignment](t, e.do("POST", asgPath, map[string]any{"unit_id": e.unit["W1"], "role": "lead", "due_on": "2025-12-31"}, e.as("dieuphoi")), 201)
	if as.UnitName != "Phường Hạc Thành" || as.Role != "lead" {
		t.Fatalf("assignment: %+v", as)
	}

	// Plans: the officer of W1 writes W1's plan; the officer of W2 may not.
	actPath := fmt.Sprintf("/api/v1/units/%d/activities", e.unit["W1"])
	act := map[string]any{"task_id": task.ID, "title": "Rút gọn thủ tục", "owner": "Văn phòng", "start_on": "2025-07-01", "due_on": "2025-12-31", "indicator": "Số thủ tục", "target": "20"}
	problem(t, e.do("POST", actPath, act, e.as("canbo2")), 403, "forbidden")
	problem(t, e.do("POST", actPath, act), 401, "unauthenticated")
	problem(t, e.do("POST", actPath, map[string]any{"task_id": task.ID, "title": "", "start_on": "2025-07-01", "due_on": "2025-06-01"}, e.as("canbo")), 422, "validation")
	w = e.do("POST", actPath, act, e.as("canbo"))
	a := decode[programme.Activity](t, w, 201)
	if a.Version != 1 || a.Status != programme.StatusNotStarted || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("activity: %+v %s", a, w.Header().Get("ETag"))
	}

	// Progress with optimistic locking.
	progPath := fmt.Sprintf("/api/v1/activities/%d/progress", a.ID)
	problem(t, e.do("POST", progPath, map[string]any{"percent": 40, "version": 1}, e.as("canbo2")), 403, "forbidden")
	p = problem(t, e.do("POST", progPath, map[string]any{"note": "x"}, e.as("canbo")), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[percent version]" {
		t.Fatalf("fields: %s", got)
	}
	problem(t, e.do("POST", progPath, map[string]any{"percent": 140, "version": 1}, e.as("canbo")), 422, "validation")
	problem(t, e.do("POST", progPath, map[string]any{"percent": 40, "version": 1, "evidence_url": "ftp://x"}, e.as("canbo")), 422, "validation")
	w = e.do("POST", progPath, map[string]any{"percent": 40, "note": "Đã rà soát", "evidence_url": "https://example.org/bb"}, e.as("canbo"), header("If-Match", `"1"`))
	a = decode[programme.Activity](t, w, 201)
	if a.Progress != 40 || a.Version != 2 || w.Header().Get("ETag") != `"2"` {
		t.Fatalf("after progress: %+v", a)
	}
	w = e.do("POST", progPath, map[string]any{"percent": 90, "version": 1}, e.as("truong"))
	problem(t, w, 409, "conflict")
	if w.Header().Get("ETag") != `"2"` {
		t.Fatalf("conflict ETag %q", w.Header().Get("ETag"))
	}
	decode[programme.Activity](t, e.do("POST", progPath, map[string]any{"percent": 100, "version": 2}, e.as("truong")), 201)

	// Reading: the plan (officer, leader-like roles), not another unit's officer.
	planPath := fmt.Sprintf("/api/v1/units/%d/plan", e.unit["W1"])
	problem(t, e.do("GET", planPath, nil, e.as("canbo2")), 403, "forbidden")
	problem(t, e.do("GET", planPath, nil), 401, "unauthenticated")
	plan := decode[api.Plan](t, e.do("GET", planPath, nil, e.as("canbo")), 200)
	if len(plan.Activities) != 1 || plan.Activities[0].Status != programme.StatusDone || plan.Rollup.Percent != 100 || len(plan.Assignments) != 1 || plan.UnitName != "Phường Hạc Thành" {
		t.Fatalf("plan: %+v", plan)
	}
	prov := decode[api.Plan](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d/plan", e.unit["P38"]), nil, e.as("dieuphoi")), 200)
	if len(prov.Activities) != 0 || prov.SubtreeRollup.Percent != 100 || prov.SubtreeRollup.N() != 1 {
		t.Fatalf("province plan: %+v", prov)
	}
	problem(t, e.do("GET", planPath+"?at=2025-13-01", nil, e.as("canbo")), 400, "invalid-parameter")

	dd := decode[directiveDetail](t, e.do("GET", fmt.Sprintf("/api/v1/directives/%d", d.ID), nil, e.as("canbo")), 200)
	if len(dd.Tasks) != 1 || len(dd.Tasks[0].Assignments) != 1 || dd.Summary.Rollup.Percent != 100 || len(dd.Summary.Units) != 1 || dd.At != "2025-08-01" {
		t.Fatalf("detail: %+v", dd)
	}
	problem(t, e.do("GET", "/api/v1/directives/999999", nil, e.as("canbo")), 404, "not-found")
	list := decode[directivePage](t, e.do("GET", "/api/v1/directives", nil, e.as("truong")), 200)
	if list.Total != 1 || list.Items[0].TaskCount != 1 {
		t.Fatalf("list: %+v", list)
	}
}

// TestProgrammeAPIInput: addressees, assignment to several units, bad text
// and numbers answered 422 on both engines, and downloads.
func TestProgrammeAPIInput(t *testing.T) {
	e := newEnv(t)
	d := decode[programme.Directive](t, e.do("POST", "/api/v1/directives", map[string]any{
		"number": "15-KH/TU", "doc_type": "kh", "issued_on": "2025-07-15", "issuer_unit_id": e.unit["P38"],
		"texts": []map[string]any{{"lang": "vi", "title": "Kế hoạch"}}}, e.as("dieuphoi")), 201)
	for name, body := range map[string]map[string]any{
		"NUL":           {"number": "16-KH/TU", "doc_type": "kh", "issued_on": "2025-07-15", "issuer_unit_id": e.unit["P38"], "texts": []map[string]any{{"lang": "vi", "title": "a\u0000b"}}},
		"control":       {"number": "16-KH/TU", "doc_type": "kh", "issued_on": "2025-07-15", "issuer_unit_id": e.unit["P38"], "signer": "x\u001by", "texts": []map[string]any{{"lang": "vi", "title": "t"}}},
		"year 2101":     {"number": "16-KH/TU", "doc_type": "kh", "issued_on": "2101-01-01", "issuer_unit_id": e.unit["P38"], "texts": []map[string]any{{"lang": "vi", "title": "t"}}},
		"negative unit": {"number": "16-KH/TU", "doc_type": "kh", "issued_on": "2025-07-15", "issuer_unit_id": -5, "texts": []map[string]any{{"lang": "vi", "title": "t"}}},
	} {
		if w := e.do("POST", "/api/v1/directives", body, e.as("dieuphoi")); w.Code != 422 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body.String())
		}
	}
	// Invalid UTF-8 in a JSON string reaches the service as U+FFFD: refused.
	problem(t, e.do("POST", "/api/v1/directives", raw("{\"number\":\"16-KH/TU\",\"doc_type\":\"kh\",\"issued_on\":\"2025-07-15\",\"issuer_unit_id\":"+fmt.Sprint(e.unit["P38"])+
		",\"texts\":[{\"lang\":\"vi\",\"title\":\"a\xffb\"}]}"), e.as("dieuphoi")), 422, "validation")

	taskPath := fmt.Sprintf("/api/v1/directives/%d/tasks", d.ID)
	for _, body := range []string{`{"number": 2147483648, "texts": [{"lang": "vi", "title": "t"}]}`, `{"number": 2, "weight": 1e400, "texts": [{"lang": "vi", "title": "t"}]}`,
		`{"number": 2.5, "texts": [{"lang": "vi", "title": "t"}]}`} {
		problem(t, e.do("POST", taskPath, raw(body), e.as("dieuphoi")), 422, "validation")
	}
	task := decode[programme.Task](t, e.do("POST", taskPath, raw(`{"number": 1, "weight": 1.5, "texts": [{"lang": "vi", "title": "Đối thoại"}]}`), e.as("dieuphoi")), 201)
	if task.Weight != 1.5 {
		t.Errorf("weight %v", task.Weight)
	}

	// Addressees.
	addrPath := fmt.Sprintf("/api/v1/directives/%d/addressees", d.ID)
	problem(t, e.do("POST", addrPath, map[string]any{"unit_kind": "ward"}, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", addrPath, map[string]any{"unit_kind": "ward", "unit_id": e.unit["W1"]}, e.as("dieuphoi")), 422, "validation")
	problem(t, e.do("POST", addrPath, map[string]any{"unit_kind": "planet"}, e.as("dieuphoi")), 422, "validation")
	ad := decode[programme.Addressee](t, e.do("POST", addrPath, map[string]any{"unit_id": e.unit["W1"]}, e.as("dieuphoi")), 201)
	if ad.ID == 0 || ad.UnitName != "Phường Hạc Thành" {
		t.Errorf("addressee: %+v", ad)
	}

	// Assignments: a list in one call; the due date not before the plan's date.
	asgPath := fmt.Sprintf("/api/v1/tasks/%d/assignments", task.ID)
	problem(t, e.do("POST", asgPath, map[string]any{"unit_ids": []int64{e.unit["W1"]}, "role": "lead", "due_on": "2025-07-01"}, e.as("dieuphoi")), 422, "validation")
	problem(t, e.do("POST", asgPath, map[string]any{"unit_ids": []int64{e.unit["W1"]}, "role": "lead", "due_on": "2025-12-31"}, e.as("truong")), 403, "forbidden")
	list := decode[api.AssignmentList](t, e.do("POST", asgPath, map[string]any{"unit_ids": []int64{e.unit["W1"], e.unit["W2"]}, "role": "cooperate", "due_on": "2025-12-31"}, e.as("dieuphoi")), 201)
	if len(list.Items) != 2 || list.Items[1].UnitName != "Xã Đông Sơn" {
		t.Fatalf("assignments: %+v", list)
	}

	// Progress: bounded numbers; downloads typed by their bytes.
	a := decode[programme.Activity](t, e.do("POST", fmt.Sprintf("/api/v1/units/%d/activities", e.unit["W1"]),
		map[string]any{"task_id": task.ID, "title": "Đối thoại", "start_on": "2025-08-01", "due_on": "2025-10-31", "weight": 2}, e.as("canbo")), 201)
	progPath := fmt.Sprintf("/api/v1/activities/%d/progress", a.ID)
	for _, body := range []string{`{"percent": 2147483648, "version": 1}`, `{"percent": 1e400, "version": 1}`, `{"percent": -1, "version": 1}`, `{"percent": 5, "version": 1, "note": "\u0000"}`} {
		problem(t, e.do("POST", progPath, raw(body), e.as("canbo")), 422, "validation")
	}
	if _, err := e.d.Svc.Programme.PostProgress(context.Background(), service.SystemPrincipal(), a.ID, service.ProgressInput{Percent: "10", Version: 1,
		File: &service.FileInput{Name: "ảnh.png", Data: []byte("<html><script>alert(1)</script></html>")}}); err != nil {
		t.Fatal(err)
	}
	ups, err := e.st.UnitUpdates(context.Background(), e.unit["W1"], 1)
	if err != nil || len(ups) != 1 {
		t.Fatalf("%+v %v", ups, err)
	}
	evPath := fmt.Sprintf("/api/v1/evidence/%d", ups[0].FileID)
	problem(t, e.do("GET", evPath, nil), 401, "unauthenticated")
	problem(t, e.do("GET", evPath, nil, e.as("khach")), 403, "forbidden")
	w := e.do("GET", evPath, nil, e.as("truong"))
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || w.Header().Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
		t.Errorf("evidence: %d %v", w.Code, w.Header())
	}
	problem(t, e.do("GET", "/api/v1/evidence/999999", nil, e.as("truong")), 404, "not-found")
	got := decode[programme.Directive](t, e.do("POST", "/api/v1/directives", map[string]any{
		"number": "17-KH/TU", "doc_type": "kh", "issued_on": "2025-07-15", "issuer_unit_id": e.unit["P38"], "texts": []map[string]any{{"lang": "vi", "title": "t"}},
		"attachments": []map[string]any{{"name": "", "url": "https://example.org/17.pdf"}}}, e.as("dieuphoi")), 201)
	w = e.do("GET", fmt.Sprintf("/api/v1/directive-attachments/%d", got.Attachments[0].ID), nil, e.as("canbo"))
	if w.Code != 303 || w.Header().Get("Location") != "https://example.org/17.pdf" || got.Attachments[0].Name != "https://example.org/17.pdf" {
		t.Errorf("link attachment: %d %q %+v", w.Code, w.Header().Get("Location"), got.Attachments)
	}
	problem(t, e.do("GET", "/api/v1/units/"+fmt.Sprint(e.unit["W1"])+"/plan?at=2101-01-01", nil, e.as("canbo")), 422, "validation")
}
