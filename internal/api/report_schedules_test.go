package api_test

import (
	"net/http"
	"testing"

	"github.com/danvan/danvan/internal/report"
)

// TestScheduleListUpdateDelete: schedules are listed, replaced (checked as
// on creation) and removed by who manages the scheduled unit.
func TestScheduleListUpdateDelete(t *testing.T) {
	e := newEnv(t)
	tpl := decode[report.Template](t, e.do("POST", "/api/v1/report-templates", map[string]any{
		"code": "BC-S", "name": "Báo cáo tháng", "period_type": "monthly", "definition": rptRaw(reportDef), "owner_unit_id": e.unit["P38"],
	}, e.as("dieuphoi")), http.StatusCreated)
	path := "/api/v1/report-templates/" + rptID(tpl.ID) + "/schedules"
	list := func() []report.Assignment {
		return decode[struct{ Items []report.Assignment }](t, e.do("GET", path, nil, e.as("canbo")), 200).Items
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("no schedule yet: %+v", got)
	}
	body := map[string]any{"unit_id": e.unit["P38"], "kinds": []string{"ward"}, "deadlines": []map[string]any{{"level": "ward", "days_after_end": 2}}}
	sc := decode[report.Assignment](t, e.do("POST", path, body, e.as("dieuphoi")), 201)
	one := path + "/" + rptID(sc.ID)
	body["deadlines"] = []map[string]any{{"level": "ward", "days_after_end": 0}}
	problem(t, e.do("PUT", one, body, e.as("dieuphoi")), 422, "validation")
	body["deadlines"] = []map[string]any{{"level": "ward", "days_after_end": 4, "working_days": true}}
	problem(t, e.do("PUT", one, body, e.as("canbo")), 403, "forbidden")
	got := decode[report.Assignment](t, e.do("PUT", one, body, e.as("dieuphoi")), 200)
	if got.Deadlines[0].DaysAfterEnd != 4 || list()[0].Deadlines[0].DaysAfterEnd != 4 {
		t.Fatalf("updated %+v", got)
	}
	problem(t, e.do("PUT", path+"/99999", body, e.as("dieuphoi")), 404, "not-found")
	problem(t, e.do("DELETE", one, nil, e.as("canbo")), 403, "forbidden")
	if w := e.do("DELETE", one, nil, e.as("dieuphoi")); w.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", w.Code, w.Body.String())
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("after delete: %+v", got)
	}
	problem(t, e.do("DELETE", one, nil, e.as("dieuphoi")), 404, "not-found")
}
