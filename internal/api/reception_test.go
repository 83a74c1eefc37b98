package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/service"
)

// Reception through the API: the unit head plans and keeps the book, a
// visit opens a case through intake, an officer is refused, the schedule
// and the warnings are public and carry no visit.
func TestReceptionAPI(t *testing.T) {
	e := newEnv(t)
	w1 := e.unit["W1"]
	base := api.Prefix + "/reception/sessions"
	in := map[string]any{"unit_id": w1, "leader_name": "Trần Minh Đức", "leader_position": "chairman", "held_on": "2025-07-28",
		"start_time": "07:30", "end_time": "11:30", "place": "Trụ sở UBND phường"}
	problem(t, e.do("POST", base, in, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", base, map[string]any{"unit_id": w1, "leader_position": "king", "start_time": "7h"}, e.as("truong")), 422, "validation")
	s := decode[service.ReceptionSession](t, e.do("POST", base, in, e.as("truong")), http.StatusCreated)
	path := base + "/" + strconv.FormatInt(s.ID, 10)
	problem(t, e.do("GET", path, nil, e.as("canbo")), 404, "not-found")

	v := decode[service.RecordedVisit](t, e.do("POST", path+"/visits", map[string]any{"at": "08:00", "subject": "Tố cáo cán bộ địa chính", "kind": "denunciation",
		"outcome": "case_opened", "case": map[string]any{"description": "Nội dung tố cáo.", "identity": map[string]string{"name": "Phan Văn Lực", "address": "Tổ 5, phường Hạc Thành"}}},
		e.as("truong")), http.StatusCreated)
	if v.CaseID == 0 || v.Case == nil || v.Case.TrackingCode == "" {
		t.Fatalf("visit: %+v", v)
	}
	problem(t, e.do("POST", path+"/visits", map[string]any{"at": "09:00", "subject": "x", "kind": "complaint", "outcome": "case_opened",
		"case": map[string]any{"description": "y"}}, e.as("truong")), 422, "validation")

	got := decode[service.ReceptionSession](t, e.do("GET", path, nil, e.as("truong")), 200)
	if got.Status != "held" || len(got.Visits) != 1 || got.Visits[0].CaseCode != v.Case.TrackingCode {
		t.Fatalf("session: %+v", got)
	}
	problem(t, e.do("PUT", path+"/conclusion", map[string]any{"number": "3/TB-UBND", "date": "2025-07-29", "text": "Chuyển đơn tố cáo đến cơ quan có thẩm quyền.", "version": 1}, e.as("truong")), 409, "conflict")
	got = decode[service.ReceptionSession](t, e.do("PUT", path+"/conclusion", map[string]any{"number": "3/TB-UBND", "date": "2025-07-29",
		"text": "Chuyển đơn tố cáo đến cơ quan có thẩm quyền.", "version": got.Version}, e.as("truong")), 200)
	if got.ConclusionNo != "3/TB-UBND" {
		t.Fatalf("conclusion: %+v", got)
	}

	in["held_on"] = "2025-08-11"
	next := decode[service.ReceptionSession](t, e.do("POST", base, in, e.as("truong")), http.StatusCreated)
	npath := base + "/" + strconv.FormatInt(next.ID, 10)
	in["place"], in["version"] = "Hội trường phường", next.Version
	next = decode[service.ReceptionSession](t, e.do("PUT", npath, in, e.as("truong")), 200)
	problem(t, e.do("POST", npath+"/cancel", map[string]any{"reason": "", "version": next.Version}, e.as("truong")), 422, "validation")
	next = decode[service.ReceptionSession](t, e.do("POST", npath+"/cancel", map[string]any{"reason": "Trùng lịch họp", "version": next.Version}, e.as("truong")), 200)
	if next.Status != "cancelled" || next.Place != "Hội trường phường" {
		t.Fatalf("cancelled: %+v", next)
	}

	// Public reads.
	page := decode[api.ReceptionPage](t, e.do("GET", base+"?unit="+strconv.FormatInt(w1, 10)+"&from=2025-07-01&limit=1", nil), 200)
	if page.Total != 2 || len(page.Items) != 1 || page.Next == nil || page.Items[0].LeaderName != "Trần Minh Đức" {
		t.Fatalf("schedule: %+v", page)
	}
	res := e.do("GET", base, nil)
	if body := res.Body.String(); res.Code != 200 || strings.Contains(body, "Phan Văn Lực") || strings.Contains(body, "Tố cáo cán bộ") || strings.Contains(body, "visits") {
		t.Fatalf("public schedule shows the book: %s", body)
	}
	problem(t, e.do("GET", base+"?from=2025-02-30", nil), 422, "validation")
	problem(t, e.do("GET", base+"?unit=x", nil), 400, "invalid-parameter")
	ws := decode[api.ReceptionWarnings](t, e.do("GET", api.Prefix+"/reception/warnings?from=2025-07-28&to=2025-08-17", nil), 200)
	// Weeks 31 (28 Jul) has the held session; 32 none; 33 only a cancelled one.
	if len(ws.Items) != 2 || ws.Items[0].Week != 32 || ws.Items[1].Week != 33 || ws.Items[0].Required != 1 || len(ws.Rules) == 0 {
		t.Fatalf("warnings: %+v", ws.Items)
	}
	problem(t, e.do("GET", api.Prefix+"/reception/warnings?from=2025-08-01", nil), 422, "validation")
}
