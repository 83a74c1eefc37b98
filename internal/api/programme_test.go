package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/programme"
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
	if got := fmt.Sprint(fields(p)); got != "[doc_type issued_on number title]" {
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
	if got := fmt.Sprint(fields(p)); got != "[due_on role]" {
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
	if got := fmt.Sprint(fields(p)); got != "[percent version]" {
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
