package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/programme"
)

// setupDirective registers a directive with one task assigned to W1, from
// the web as the coordinator, and returns it as stored.
func (e *penv) setupDirective() programme.Directive {
	e.t.Helper()
	w := e.do("dieuphoi", "POST", "/programme/directives/new", url.Values{"number": {"1470-CV/TU"}, "doc_type": {"cv"}, "issued_on": {"2024-02-22"},
		"issuer_unit_id": {fmt.Sprint(e.unit["P38"])}, "lang": {"vi"}, "title": {"Về việc tăng cường công tác dân vận"}})
	if w.Code != http.StatusSeeOther {
		e.t.Fatalf("create: %d %.500s", w.Code, w.Body.String())
	}
	id := lastID(e.t, strings.Split(w.Header().Get("Location"), "?")[0])
	w = e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/tasks", id), url.Values{"number": {"1"}, "weight": {"1"}, "lang": {"vi"}, "title": {"Cải cách hành chính"}})
	if w.Code != http.StatusSeeOther {
		e.t.Fatalf("task: %d", w.Code)
	}
	d, err := e.st.GetDirective(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	w = e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/assignments", id), url.Values{"task_id": {fmt.Sprint(d.Tasks[0].ID)},
		"unit_id": {fmt.Sprint(e.unit["W1"])}, "role": {"lead"}, "due_on": {"2025-12-31"}})
	if w.Code != http.StatusSeeOther {
		e.t.Fatalf("assign: %d %.500s", w.Code, w.Body.String())
	}
	d, _ = e.st.GetDirective(context.Background(), id)
	return d
}

func TestProgrammeWebEdit(t *testing.T) {
	e := newPenv(t)
	d := e.setupDirective()
	page := fmt.Sprintf("/programme/directives/%d", d.ID)
	want(t, e.do("dieuphoi", "GET", page, nil), 200, page+"/edit", page+"/withdraw", fmt.Sprintf("/programme/tasks/%d/edit", d.Tasks[0].ID),
		fmt.Sprintf("/programme/assignments/%d/withdraw", d.Tasks[0].Assignments[0].ID), `<table class="cards">`, "Assign to many units")
	if body := e.do("lanhdao", "GET", page, nil).Body.String(); strings.Contains(body, "/edit") || strings.Contains(body, "/withdraw") {
		t.Error("a leader is offered to edit or withdraw")
	}
	want(t, e.do("lanhdao", "GET", page+"/edit", nil), 403)
	want(t, e.do("canbo", "POST", page+"/edit", url.Values{"version": {"1"}, "number": {"1-CV/TU"}}), 403)
	want(t, e.do("dieuphoi", "GET", page+"/edit", nil), 200, `name="version" value="1"`, `value="1470-CV/TU"`, "Về việc tăng cường công tác dân vận")

	// Bad input: 422, messages beside the fields, what was typed kept.
	form := url.Values{"version": {"1"}, "number": {"1470-CV/TU"}, "doc_type": {"cv"}, "issued_on": {"2024-02-30"}, "title": {""}, "signer": {"Lại Thế Nguyên"}}
	want(t, e.do("dieuphoi", "POST", page+"/edit", form), 422, `id="e-issued_on-err"`, `id="e-title-err"`, `value="Lại Thế Nguyên"`, `href="#e-title"`)
	form.Set("issued_on", "2024-02-23")
	form.Set("title", "Về việc tăng cường công tác dân vận trong tình hình mới")
	w := e.do("dieuphoi", "POST", page+"/edit", form)
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "programme_edit.flash.updated") {
		t.Fatalf("save: %d %s", w.Code, w.Header().Get("Location"))
	}
	want(t, e.do("dieuphoi", "GET", page, nil), 200, "trong tình hình mới", "23/02/2024")
	// The same form again: someone changed it since (version 1 → 2).
	want(t, e.do("dieuphoi", "POST", page+"/edit", form), 409, "Someone else changed this")

	// A task and an assignment.
	tk := d.Tasks[0]
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/programme/tasks/%d/edit", tk.ID), url.Values{"version": {"1"}, "number": {"0"}, "title": {"x"}}), 422, `id="e-number-err"`)
	if w := e.do("dieuphoi", "POST", fmt.Sprintf("/programme/tasks/%d/edit", tk.ID), url.Values{"version": {"1"}, "number": {"1"}, "weight": {"2"}, "title": {"Cải cách hành chính, chuyển đổi số"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("task: %d %.500s", w.Code, w.Body.String())
	}
	as := tk.Assignments[0]
	asg := fmt.Sprintf("/programme/assignments/%d/edit", as.ID)
	want(t, e.do("dieuphoi", "GET", asg, nil), 200, `name="note"`, `name="due_on"`)
	want(t, e.do("dieuphoi", "POST", asg, url.Values{"version": {"1"}, "unit_id": {fmt.Sprint(e.unit["W1"])}, "role": {"lead"}, "due_on": {"2020-01-01"}}), 422, `id="e-due_on-err"`)
	if w := e.do("dieuphoi", "POST", asg, url.Values{"version": {"1"}, "unit_id": {fmt.Sprint(e.unit["W1"])}, "role": {"lead"}, "due_on": {"2025-11-30"}, "note": {"Làm trước Tết"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("assignment: %d %.500s", w.Code, w.Body.String())
	}
	want(t, e.do("dieuphoi", "GET", page, nil), 200, "chuyển đổi số", "30/11/2025", "Làm trước Tết")
}

func TestProgrammeWebWithdraw(t *testing.T) {
	e := newPenv(t)
	d := e.setupDirective()
	ctx := context.Background()
	as := d.Tasks[0].Assignments[0]
	act := programme.Activity{UnitID: e.unit["W1"], TaskID: d.Tasks[0].ID, Title: "Rút gọn thủ tục", StartOn: "2025-07-01", DueOn: "2025-12-31", Weight: 1}
	if err := e.st.CreateActivity(ctx, audit.System("test"), &act); err != nil {
		t.Fatal(err)
	}
	confirm := fmt.Sprintf("/programme/assignments/%d/withdraw", as.ID)
	want(t, e.do("canbo", "GET", confirm, nil), 403)
	want(t, e.do("dieuphoi", "GET", confirm, nil), 200, `name="reason"`, `name="version" value="1"`, "Confirm withdrawal", `name="csrf"`)
	// A GET changes nothing; a POST without a reason is refused.
	want(t, e.do("dieuphoi", "POST", confirm, url.Values{"version": {"1"}, "reason": {"  "}}), 422, `id="w-reason-err"`, `aria-invalid="true"`)
	w := e.do("dieuphoi", "POST", confirm, url.Values{"version": {"1"}, "reason": {"Giao nhầm đơn vị"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %.500s", w.Code, w.Body.String())
	}
	want(t, e.do("dieuphoi", "GET", fmt.Sprintf("/programme/directives/%d", d.ID), nil), 200, "Withdrawn", "Giao nhầm đơn vị", "dieuphoi")
	want(t, e.do("dieuphoi", "POST", confirm, url.Values{"version": {"2"}, "reason": {"lại"}}), 409, "has been withdrawn")
	// The unit sees it among withdrawn tasks, with no progress form.
	plan := e.do("canbo", "GET", fmt.Sprintf("/programme/units/%d", e.unit["W1"]), nil)
	want(t, plan, 200, "Withdrawn tasks", "Giao nhầm đơn vị")
	if strings.Contains(plan.Body.String(), fmt.Sprintf(`action="/programme/activities/%d/progress"`, act.ID)) {
		t.Error("progress form offered on a withdrawn assignment")
	}
	want(t, e.do("canbo", "POST", fmt.Sprintf("/programme/activities/%d/progress", act.ID), url.Values{"percent": {"50"}, "version": {"1"}}), 409)

	// The directive: confirm page says how many units are told.
	page := fmt.Sprintf("/programme/directives/%d/withdraw", d.ID)
	want(t, e.do("lanhdao", "GET", page, nil), 403)
	want(t, e.do("dieuphoi", "GET", page, nil), 200, "Withdraw directive 1470-CV/TU", "0 assigned units will be told")
	if w := e.do("dieuphoi", "POST", page, url.Values{"version": {"1"}, "reason": {"Hết hiệu lực"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("withdraw directive: %d", w.Code)
	}
	body := e.do("dieuphoi", "GET", fmt.Sprintf("/programme/directives/%d", d.ID), nil)
	want(t, body, 200, "This directive has been withdrawn.", "Hết hiệu lực")
	if strings.Contains(body.Body.String(), "/edit") {
		t.Error("a withdrawn directive offers edit links")
	}
}

func TestProgrammeWebBulkAssign(t *testing.T) {
	e := newPenv(t)
	d := e.setupDirective()
	base := fmt.Sprintf("/programme/directives/%d/assign-many", d.ID)
	q := url.Values{"task_id": {fmt.Sprint(d.Tasks[0].ID)}, "scope": {"communes"}, "role": {"cooperate"}, "note": {"Báo cáo quý"}}
	want(t, e.do("lanhdao", "GET", base+"?"+q.Encode(), nil), 403)
	// Preview: W2 gets it, W1 (already assigned) is skipped; nothing is stored.
	pre := e.do("dieuphoi", "GET", base+"?"+q.Encode(), nil)
	want(t, pre, 200, "1 unit will get the task.", "Xã Đông Sơn", "1 unit skipped", "Phường Hạc Thành", `name="csrf"`, `value="Báo cáo quý"`, "31/12/2025", `<table class="cards">`)
	if got, _ := e.st.GetDirective(context.Background(), d.ID); len(got.Tasks[0].Assignments) != 1 {
		t.Fatal("the preview stored assignments")
	}
	// Bad choices: the directive page again, 422, the message by the field.
	bad := url.Values{"task_id": {fmt.Sprint(d.Tasks[0].ID)}, "scope": {"kind"}, "unit_kind": {"planet"}, "role": {"lead"}}
	want(t, e.do("dieuphoi", "GET", base+"?"+bad.Encode(), nil), 422, `id="b-unit_kind-err"`, `href="#b-unit_kind"`)
	bad = url.Values{"task_id": {fmt.Sprint(d.Tasks[0].ID)}, "scope": {"subtree"}, "unit_id": {"abc"}, "role": {"lead"}, "due_on": {"2020-01-01"}}
	want(t, e.do("dieuphoi", "GET", base+"?"+bad.Encode(), nil), 422, `id="b-unit_id-err"`, `id="b-due_on-err"`)
	// Confirm: one POST.
	w := e.do("dieuphoi", "POST", base, q)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("assign: %d %.1000s", w.Code, w.Body.String())
	}
	got, _ := e.st.GetDirective(context.Background(), d.ID)
	if len(got.Tasks[0].Assignments) != 2 {
		t.Fatalf("assignments: %+v", got.Tasks[0].Assignments)
	}
	for _, a := range got.Tasks[0].Assignments {
		if a.UnitID == e.unit["W2"] && (a.Role != "cooperate" || a.Note != "Báo cáo quý" || a.DueOn != "2025-12-31") {
			t.Errorf("W2: %+v", a)
		}
	}
	want(t, e.do("dieuphoi", "GET", base+"?"+q.Encode(), nil), 200, "Every unit in this range already holds the task")
	// Without the CSRF token nothing happens.
	r := e.do("", "POST", base, url.Values{})
	if r.Code != http.StatusSeeOther && r.Code != http.StatusForbidden {
		t.Errorf("anonymous: %d", r.Code)
	}
}

func TestProgrammeWebRemoveAddressee(t *testing.T) {
	e := newPenv(t)
	d := e.setupDirective()
	page := fmt.Sprintf("/programme/directives/%d", d.ID)
	if w := e.do("dieuphoi", "POST", page+"/addressees", url.Values{"unit_id": {fmt.Sprint(e.unit["W2"])}}); w.Code != http.StatusSeeOther {
		t.Fatalf("add: %d", w.Code)
	}
	got, _ := e.st.GetDirective(context.Background(), d.ID)
	rm := fmt.Sprintf("%s/addressees/%d/remove", page, got.Addressees[0].ID)
	want(t, e.do("dieuphoi", "GET", page, nil), 200, rm)
	want(t, e.do("lanhdao", "GET", rm, nil), 403)
	// The GET only asks; the POST does it.
	want(t, e.do("dieuphoi", "GET", rm, nil), 200, "Remove this addressee from directive 1470-CV/TU?", "Xã Đông Sơn", `name="csrf"`)
	if got, _ := e.st.GetDirective(context.Background(), d.ID); len(got.Addressees) != 1 {
		t.Fatal("the confirmation page removed it")
	}
	if w := e.do("dieuphoi", "POST", rm, url.Values{}); w.Code != http.StatusSeeOther {
		t.Fatalf("remove: %d", w.Code)
	}
	if got, _ := e.st.GetDirective(context.Background(), d.ID); len(got.Addressees) != 0 {
		t.Fatal("not removed")
	}
	want(t, e.do("dieuphoi", "GET", rm, nil), 404)
}
