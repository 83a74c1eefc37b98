package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
)

type urgeOut struct {
	ID       int64  `json:"id"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Message  string `json:"message"`
}

func TestUrgePermissionAndNotifications(t *testing.T) {
	e := newEnv(t)
	w1 := e.unit["W1"]
	body := map[string]any{"unit_id": w1, "message": "Đề nghị phường khẩn trương gửi báo cáo tháng 7/2025."}
	problem(t, e.do("POST", api.Prefix+"/urges", body, e.as("canbo")), http.StatusForbidden, "forbidden")
	problem(t, e.do("POST", api.Prefix+"/urges", body, e.as("truong")), http.StatusForbidden, "forbidden")
	problem(t, e.do("POST", api.Prefix+"/urges", map[string]any{"unit_id": w1, "message": "  "}, e.as("dieuphoi")), http.StatusUnprocessableEntity, "validation")
	problem(t, e.do("POST", api.Prefix+"/urges", map[string]any{"unit_id": 999999, "message": "x"}, e.as("dieuphoi")), http.StatusUnprocessableEntity, "validation")
	// Session without X-CSRF-Token is refused.
	problem(t, e.do("POST", api.Prefix+"/urges", body, withSession(e.signIn("dieuphoi"), false)), http.StatusForbidden, "csrf")
	u := decode[urgeOut](t, e.do("POST", api.Prefix+"/urges", body, withSession(e.signIn("dieuphoi"), true)), http.StatusCreated)
	if u.ID == 0 || u.UnitID != w1 || u.UnitName != "Phường Hạc Thành" {
		t.Fatalf("urge %+v", u)
	}
	// The unit sees it.
	list := decode[api.Page[urgeOut]](t, e.do("GET", api.Prefix+"/urges", nil, e.as("canbo")), http.StatusOK)
	if list.Total != 1 || list.Items[0].Message != body["message"] {
		t.Fatalf("canbo urges %+v", list)
	}
	byUnit := decode[api.Page[urgeOut]](t, e.do("GET", fmt.Sprintf("%s/urges?unit=%d", api.Prefix, w1), nil, e.as("truong")), http.StatusOK)
	if byUnit.Total != 1 {
		t.Fatalf("by unit %+v", byUnit)
	}
	if other := decode[api.Page[urgeOut]](t, e.do("GET", api.Prefix+"/urges", nil, e.as("khach")), http.StatusOK); other.Total != 0 {
		t.Fatalf("a user without grants sees urges: %+v", other)
	}
	problem(t, e.do("GET", fmt.Sprintf("%s/urges?unit=%d", api.Prefix, e.unit["W2"]), nil, e.as("canbo")), http.StatusForbidden, "forbidden")
	// Notifications for the unit's head and officer, none for the coordinator.
	type notif struct {
		ID      int64  `json:"id"`
		Kind    string `json:"kind"`
		Subject string `json:"subject"`
		Body    string `json:"body"`
		Link    string `json:"link"`
		ReadAt  *string
	}
	type page struct {
		Items  []notif `json:"items"`
		Total  int     `json:"total"`
		Unread int     `json:"unread"`
	}
	np := decode[page](t, e.do("GET", api.Prefix+"/notifications", nil, e.as("canbo")), http.StatusOK)
	if np.Total != 1 || np.Unread != 1 || np.Items[0].Kind != "urge" || np.Items[0].Link != fmt.Sprintf("/urges#urge-%d", u.ID) {
		t.Fatalf("canbo notifications %+v", np)
	}
	if dp := decode[page](t, e.do("GET", api.Prefix+"/notifications", nil, e.as("dieuphoi")), http.StatusOK); dp.Total != 0 {
		t.Fatalf("coordinator notified: %+v", dp)
	}
	nid := np.Items[0].ID
	problem(t, e.do("POST", fmt.Sprintf("%s/notifications/%d/read", api.Prefix, nid), nil, e.as("truong")), http.StatusNotFound, "not-found")
	if w := e.do("POST", fmt.Sprintf("%s/notifications/%d/read", api.Prefix, nid), nil, e.as("canbo")); w.Code != http.StatusNoContent {
		t.Fatalf("read: %d %s", w.Code, w.Body)
	}
	if np := decode[page](t, e.do("GET", api.Prefix+"/notifications?unread=1", nil, e.as("canbo")), http.StatusOK); np.Total != 0 || np.Unread != 0 {
		t.Fatalf("after read %+v", np)
	}
	if n, _ := e.st.UnreadCount(t.Context(), e.user["truong"]); n != 1 {
		t.Fatalf("truong unread %d", n)
	}
	// The audit log records the urge.
	type auditPage struct {
		Total int `json:"total"`
	}
	if ap := decode[auditPage](t, e.do("GET", api.Prefix+"/audit?action=urge.", nil, e.as("admin")), http.StatusOK); ap.Total != 1 {
		t.Fatalf("audit urge entries %d", ap.Total)
	}
}

type recOut struct {
	ID       int64  `json:"id"`
	UnitID   int64  `json:"unit_id"`
	Status   string `json:"status"`
	Response string `json:"response"`
	Overdue  bool   `json:"overdue"`
	DueOn    string `json:"due_on"`
}

type inspOut struct {
	ID       int64  `json:"id"`
	Topic    string `json:"topic"`
	Status   string `json:"status"`
	Findings []struct {
		ID   int64  `json:"id"`
		Text string `json:"text"`
	} `json:"findings"`
	Recommendations []recOut `json:"recommendations"`
	OverdueRecs     int      `json:"overdue_recommendations"`
	Members         []struct {
		Username string `json:"username"`
	} `json:"members"`
}

func TestInspectionsCRUDAndVisibility(t *testing.T) {
	e := newEnv(t)
	w1, w2, p38 := e.unit["W1"], e.unit["W2"], e.unit["P38"]
	plan := map[string]any{"kind": "inspection", "topic": "Kiểm tra thực hiện Quy chế dân chủ ở cơ sở", "lead_unit_id": p38,
		"unit_ids": []int64{w1}, "start_on": "2025-07-10", "end_on": "2025-07-20", "team": "Vũ Thị Lan — trưởng đoàn"}
	problem(t, e.do("POST", api.Prefix+"/inspections", plan, e.as("canbo")), http.StatusForbidden, "forbidden")
	bad := map[string]any{"kind": "audit", "topic": "", "lead_unit_id": p38, "unit_ids": []int64{}, "start_on": "2025-07-20", "end_on": "2025-07-10"}
	p := problem(t, e.do("POST", api.Prefix+"/inspections", bad, e.as("dieuphoi")), http.StatusUnprocessableEntity, "validation")
	if got := fields(p); len(got) != 4 { // end_on, kind, topic, unit_ids
		t.Fatalf("fields %v", got)
	}
	in1 := decode[inspOut](t, e.do("POST", api.Prefix+"/inspections", plan, e.as("dieuphoi")), http.StatusCreated)
	plan2 := map[string]any{"kind": "supervision", "topic": "Giám sát tiếp công dân", "lead_unit_id": p38, "unit_ids": []int64{w2},
		"start_on": "2025-08-01", "end_on": "2025-08-05", "member_ids": []int64{e.user["khach"]}}
	in2 := decode[inspOut](t, e.do("POST", api.Prefix+"/inspections", plan2, e.as("dieuphoi")), http.StatusCreated)
	if len(in2.Members) != 1 || in2.Members[0].Username != "khach" {
		t.Fatalf("members %+v", in2.Members)
	}
	// Visibility: W1's officer sees only the plan of W1; a team member sees
	// their plan; the coordinator sees both.
	type list struct {
		Items []inspOut `json:"items"`
		Total int       `json:"total"`
	}
	if l := decode[list](t, e.do("GET", api.Prefix+"/inspections", nil, e.as("canbo")), http.StatusOK); l.Total != 1 || l.Items[0].ID != in1.ID {
		t.Fatalf("canbo sees %+v", l)
	}
	if l := decode[list](t, e.do("GET", api.Prefix+"/inspections", nil, e.as("khach")), http.StatusOK); l.Total != 1 || l.Items[0].ID != in2.ID {
		t.Fatalf("member sees %+v", l)
	}
	if l := decode[list](t, e.do("GET", api.Prefix+"/inspections", nil, e.as("dieuphoi")), http.StatusOK); l.Total != 2 {
		t.Fatalf("coordinator sees %+v", l)
	}
	problem(t, e.do("GET", fmt.Sprintf("%s/inspections/%d", api.Prefix, in2.ID), nil, e.as("canbo")), http.StatusForbidden, "forbidden")
	decode[inspOut](t, e.do("GET", fmt.Sprintf("%s/inspections/%d", api.Prefix, in1.ID), nil, e.as("canbo")), http.StatusOK)
	problem(t, e.do("GET", api.Prefix+"/inspections/999999", nil, e.as("dieuphoi")), http.StatusNotFound, "not-found")

	// Findings and recommendations: managers only, at inspected units only.
	fpath := fmt.Sprintf("%s/inspections/%d/findings", api.Prefix, in1.ID)
	problem(t, e.do("POST", fpath, map[string]any{"unit_id": w1, "text": "x"}, e.as("canbo")), http.StatusForbidden, "forbidden")
	problem(t, e.do("POST", fpath, map[string]any{"unit_id": w2, "text": "x"}, e.as("dieuphoi")), http.StatusUnprocessableEntity, "validation")
	decode[map[string]any](t, e.do("POST", fpath, map[string]any{"unit_id": w1, "text": "Niêm yết công khai chưa đầy đủ."}, e.as("dieuphoi")), http.StatusCreated)
	rpath := fmt.Sprintf("%s/inspections/%d/recommendations", api.Prefix, in1.ID)
	problem(t, e.do("POST", rpath, map[string]any{"unit_id": w1, "text": "x", "due_on": "2025-02-30"}, e.as("dieuphoi")), http.StatusUnprocessableEntity, "validation")
	late := decode[recOut](t, e.do("POST", rpath, map[string]any{"unit_id": w1, "owner": "Chủ tịch UBND phường", "text": "Bổ sung niêm yết công khai.", "due_on": "2025-07-25"}, e.as("dieuphoi")), http.StatusCreated)
	if !late.Overdue || late.Status != "open" {
		t.Fatalf("overdue rec %+v", late)
	}
	later := decode[recOut](t, e.do("POST", rpath, map[string]any{"unit_id": w1, "text": "Tổ chức đối thoại.", "due_on": "2025-09-30"}, e.as("dieuphoi")), http.StatusCreated)
	if later.Overdue {
		t.Fatalf("not yet due but overdue: %+v", later)
	}
	got := decode[inspOut](t, e.do("GET", fmt.Sprintf("%s/inspections/%d", api.Prefix, in1.ID), nil, e.as("truong")), http.StatusOK)
	if len(got.Findings) != 1 || len(got.Recommendations) != 2 || got.OverdueRecs != 1 {
		t.Fatalf("detail %+v", got)
	}
	// The unit was told: of the plan, the finding and the two recommendations.
	type page struct {
		Total int `json:"total"`
	}
	if np := decode[page](t, e.do("GET", api.Prefix+"/notifications", nil, e.as("truong")), http.StatusOK); np.Total != 4 {
		t.Fatalf("truong notified %d times", np.Total)
	}
	// The unit responds and closes; others may not.
	resp := fmt.Sprintf("%s/recommendations/%d/response", api.Prefix, late.ID)
	problem(t, e.do("POST", resp, map[string]any{"response": "x", "done": true}, e.as("khach")), http.StatusForbidden, "forbidden")
	problem(t, e.do("POST", resp, map[string]any{"response": "", "done": true}, e.as("canbo")), http.StatusUnprocessableEntity, "validation")
	closed := decode[recOut](t, e.do("POST", resp, map[string]any{"response": "Đã niêm yết đầy đủ tại trụ sở.", "done": true}, e.as("canbo")), http.StatusOK)
	if closed.Status != "done" || closed.Overdue || closed.Response == "" {
		t.Fatalf("closed %+v", closed)
	}
	got = decode[inspOut](t, e.do("GET", fmt.Sprintf("%s/inspections/%d", api.Prefix, in1.ID), nil, e.as("dieuphoi")), http.StatusOK)
	if got.OverdueRecs != 0 {
		t.Fatalf("overdue after closing: %d", got.OverdueRecs)
	}
}

// TestFollowUpScopeAndBadBytes: a coordinator of one unit cannot plan,
// record or recommend at a unit of another branch (403), and NUL bytes,
// invalid UTF-8 and out-of-range years are refused with 422 on both engines.
func TestFollowUpScopeAndBadBytes(t *testing.T) {
	e := newEnv(t)
	w1, w2, p38 := e.unit["W1"], e.unit["W2"], e.unit["P38"]
	e.addUser("dp_w1")
	if err := e.st.AddGrant(context.Background(), audit.System("test"), e.user["dp_w1"], authz.RoleCoordinator, w1); err != nil {
		t.Fatal(err)
	}
	local := withSession(e.signIn("dp_w1"), true)
	plan := func(lead int64, units ...int64) map[string]any {
		return map[string]any{"kind": "inspection", "topic": "Kiểm tra", "lead_unit_id": lead, "unit_ids": units, "start_on": "2025-07-10", "end_on": "2025-07-20"}
	}
	problem(t, e.do("POST", api.Prefix+"/inspections", plan(w1, w1, w2), local), http.StatusForbidden, "forbidden")
	problem(t, e.do("POST", api.Prefix+"/urges", map[string]any{"unit_id": w2, "message": "x"}, local), http.StatusForbidden, "forbidden")
	// A plan of the province covering both wards: the ward's coordinator
	// may not record findings in it.
	both := decode[inspOut](t, e.do("POST", api.Prefix+"/inspections", plan(p38, w1, w2), e.as("dieuphoi")), http.StatusCreated)
	problem(t, e.do("POST", fmt.Sprintf("%s/inspections/%d/findings", api.Prefix, both.ID), map[string]any{"unit_id": w2, "text": "x"}, local), http.StatusForbidden, "forbidden")
	problem(t, e.do("POST", fmt.Sprintf("%s/inspections/%d/recommendations", api.Prefix, both.ID), map[string]any{"unit_id": w2, "text": "x", "due_on": "2025-09-01"}, local), http.StatusForbidden, "forbidden")

	for name, body := range map[string]raw{
		"team with NUL":             raw(`{"kind":"inspection","topic":"Kiểm tra","lead_unit_id":` + fmt.Sprint(p38) + `,"unit_ids":[` + fmt.Sprint(w1) + `],"start_on":"2025-07-10","end_on":"2025-07-20","team":"a\u0000b"}`),
		"team with invalid UTF-8":   raw("{\"kind\":\"inspection\",\"topic\":\"Kiểm tra\",\"lead_unit_id\":" + fmt.Sprint(p38) + ",\"unit_ids\":[" + fmt.Sprint(w1) + "],\"start_on\":\"2025-07-10\",\"end_on\":\"2025-07-20\",\"team\":\"a\xff\xfeb\"}"),
		"finding with NUL":          raw(`{"unit_id":` + fmt.Sprint(w1) + `,"text":"a\u0000b"}`),
		"recommendation with NUL":   raw(`{"unit_id":` + fmt.Sprint(w1) + `,"text":"a\u0000b","due_on":"2025-09-01"}`),
		"recommendation bad UTF-8":  raw("{\"unit_id\":" + fmt.Sprint(w1) + ",\"owner\":\"\xc3\",\"text\":\"x\",\"due_on\":\"2025-09-01\"}"),
		"urge in year 2^31":         raw(`{"unit_id":` + fmt.Sprint(w1) + `,"period_type":"monthly","period_year":2147483648,"period_number":1,"message":"x"}`),
		"urge with an unknown form": raw(`{"unit_id":` + fmt.Sprint(w1) + `,"template_id":999999,"message":"x"}`),
	} {
		path := api.Prefix + "/inspections"
		switch {
		case strings.HasPrefix(name, "finding"):
			path = fmt.Sprintf("%s/inspections/%d/findings", api.Prefix, both.ID)
		case strings.HasPrefix(name, "recommendation"):
			path = fmt.Sprintf("%s/inspections/%d/recommendations", api.Prefix, both.ID)
		case strings.HasPrefix(name, "urge"):
			path = api.Prefix + "/urges"
		}
		w := e.do("POST", path, body, e.as("dieuphoi"))
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", name, w.Code, w.Body.String())
		}
	}
}
