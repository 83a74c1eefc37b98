package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/report"
)

const reportDef = `{
 "sections": [{"key":"highlights","title":{"vi":"Kết quả nổi bật"}}],
 "indicators": [
  {"code":"cases_received","name":{"vi":"Số vụ việc tiếp nhận"},"type":"integer","required":true,"min":0},
  {"code":"cases_resolved_on_time","name":{"vi":"Giải quyết đúng hạn"},"type":"integer","min":0}
 ],
 "rules": [{"left":"cases_resolved_on_time","op":"<=","right":"cases_received"}]
}`

type rptOut struct {
	report.Report
	FieldErrors map[string]string `json:"field_errors"`
}

// rptEnv adds a template scheduled for the new communes and wards, an
// officer of W2 and a leader; returns the template id.
func rptEnv(t *testing.T) (*env, int64) {
	e := newEnv(t)
	w := e.do("POST", "/api/v1/report-templates", map[string]any{
		"code": "BC-T", "name": "Báo cáo tháng", "period_type": "monthly", "cutoff_day": 15, "definition": rptRaw(reportDef), "owner_unit_id": e.unit["P38"],
	}, e.as("dieuphoi"))
	tpl := decode[report.Template](t, w, http.StatusCreated)
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: e.unit["P38"], Kinds: []string{"commune", "ward"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}}
	if err := e.st.CreateSchedule(context.Background(), audit.System("test"), &sc); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		role authz.Role
		unit string
	}{{"canbo2", authz.RoleUnitOfficer, "W2"}, {"lanhdao", authz.RoleLeader, "P38"}} {
		id := e.addUser(u.name)
		if err := e.st.AddGrant(context.Background(), audit.System("test"), id, u.role, e.unit[u.unit]); err != nil {
			t.Fatal(err)
		}
		e.token[u.name] = e.rptToken(id)
	}
	return e, tpl.ID
}

type rptRaw string

func (r rptRaw) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func (e *env) rptToken(userID int64) string {
	e.t.Helper()
	tok, hash, err := account.NewToken("dvt_")
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.CreateToken(context.Background(), audit.System("test"), userID, "test", hash); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func TestPeriodsEndpoint(t *testing.T) {
	e := newEnv(t)
	var got struct {
		Items []struct {
			Type, From, To, Label string
			Year, Number          int
		}
	}
	got = decode[struct {
		Items []struct {
			Type, From, To, Label string
			Year, Number          int
		}
	}](t, e.do("GET", "/api/v1/periods?type=monthly&year=2025", nil), 200)
	if len(got.Items) != 12 || got.Items[0].From != "2024-12-15" || got.Items[0].To != "2025-01-14" || got.Items[0].Label != "2025-01" {
		t.Fatalf("monthly 2025: %+v", got.Items[:1])
	}
	got = decode[struct {
		Items []struct {
			Type, From, To, Label string
			Year, Number          int
		}
	}](t, e.do("GET", "/api/v1/periods?type=quarterly&year=2026&cutoff=1", nil), 200)
	if len(got.Items) != 4 || got.Items[1].From != "2026-04-01" || got.Items[1].To != "2026-06-30" {
		t.Fatalf("quarterly calendar: %+v", got.Items)
	}
	problem(t, e.do("GET", "/api/v1/periods?type=weekly&year=2025", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/periods?type=monthly&year=abc", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/periods?type=monthly", nil), 400, "invalid-parameter")
}

func TestTemplateValidationAndPermission(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"code": "X", "name": "X", "period_type": "monthly", "definition": rptRaw(`{"indicators":[{"code":"A","name":{"vi":"a"},"type":"float"}]}`), "owner_unit_id": e.unit["P38"]}
	problem(t, e.do("POST", "/api/v1/report-templates", body, e.as("canbo")), 403, "forbidden")
	p := problem(t, e.do("POST", "/api/v1/report-templates", body, e.as("dieuphoi")), 422, "validation")
	f := fields(p)
	if len(f) != 2 || f[0] != "definition.indicators[0].code" || f[1] != "definition.indicators[0].type" {
		t.Fatalf("fields = %v", f)
	}
}

func TestReportPermissionsAndWorkflow(t *testing.T) {
	e, tid := rptEnv(t)
	open := func(user, unit string) *httptest.ResponseRecorder {
		return e.do("POST", "/api/v1/reports", map[string]any{"template_id": tid, "unit_id": e.unit[unit], "year": 2025, "number": 8}, e.as(user))
	}
	// A unit opens only its own report.
	problem(t, open("canbo", "W2"), 403, "forbidden")
	problem(t, open("dieuphoi", "W1"), 403, "forbidden")
	r1 := decode[rptOut](t, open("canbo", "W1"), 200)
	r2 := decode[rptOut](t, open("canbo2", "W2"), 200)
	if r1.DueOn != "2025-08-18" || r1.Status != report.Draft {
		t.Fatalf("opened %+v", r1.Report)
	}
	path := func(id int64, s string) string { return "/api/v1/reports/" + rptID(id) + s }
	// Drafts are the unit's own: not the other unit's, not the parent's.
	problem(t, e.do("GET", path(r2.ID, ""), nil, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("GET", path(r1.ID, ""), nil, e.as("dieuphoi")), 403, "forbidden")
	problem(t, e.do("GET", path(r1.ID, ""), nil, e.as("lanhdao")), 403, "forbidden")
	// Nobody edits another unit's report.
	save := map[string]any{"version": r1.Version, "values": map[string]string{"cases_received": "5", "cases_resolved_on_time": "6"}}
	problem(t, e.do("PUT", path(r1.ID, ""), save, e.as("canbo2")), 403, "forbidden")
	problem(t, e.do("PUT", path(r1.ID, ""), save, e.as("dieuphoi")), 403, "forbidden")
	saved := decode[rptOut](t, e.do("PUT", path(r1.ID, ""), save, e.as("canbo")), 200)
	if saved.Version != 2 || saved.FieldErrors["cases_resolved_on_time"] == "" {
		t.Fatalf("draft save: %+v", saved)
	}
	// Stale version: 409, nothing changed.
	problem(t, e.do("PUT", path(r1.ID, ""), save, e.as("canbo")), 409, "conflict")
	// Invalid submit: 422 listing the field; kept as draft.
	p := problem(t, e.do("POST", path(r1.ID, "/submit"), map[string]any{"version": 2}, e.as("canbo")), 422, "validation")
	if f := fields(p); len(f) != 1 || f[0] != "values.cases_resolved_on_time" {
		t.Fatalf("submit fields %v", f)
	}
	sub := decode[rptOut](t, e.do("POST", path(r1.ID, "/submit"), map[string]any{"version": 2, "values": map[string]string{"cases_received": "5", "cases_resolved_on_time": "4"}}, e.as("canbo")), 200)
	if sub.Status != report.Submitted {
		t.Fatalf("submitted: %+v", sub.Report)
	}
	// The parent side and leaders now see it; the unit cannot accept its own.
	decode[rptOut](t, e.do("GET", path(r1.ID, ""), nil, e.as("lanhdao")), 200)
	problem(t, e.do("POST", path(r1.ID, "/accept"), map[string]any{}, e.as("truong")), 403, "forbidden")
	problem(t, e.do("POST", path(r1.ID, "/accept"), map[string]any{}, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", path(r1.ID, "/accept"), map[string]any{}, e.as("lanhdao")), 403, "forbidden")
	problem(t, e.do("POST", path(r1.ID, "/return"), map[string]any{"version": sub.Version, "comment": ""}, e.as("dieuphoi")), 422, "validation")
	// The optimistic lock always applies: no version, version 0 or a null body are refused.
	problem(t, e.do("POST", path(r1.ID, "/return"), map[string]any{"comment": "Bổ sung"}, e.as("dieuphoi")), 422, "validation")
	problem(t, e.do("POST", path(r1.ID, "/return"), map[string]any{"version": 0, "comment": "Bổ sung"}, e.as("dieuphoi")), 422, "validation")
	problem(t, e.do("POST", path(r1.ID, "/accept"), raw("null"), e.as("dieuphoi")), 422, "validation")
	problem(t, e.do("POST", path(r1.ID, "/accept"), map[string]any{"version": sub.Version - 1}, e.as("dieuphoi")), 409, "conflict")
	// One comment validator: control characters and overlong comments are refused.
	problem(t, e.do("POST", path(r1.ID, "/return"), map[string]any{"version": sub.Version, "comment": "a\x00b"}, e.as("dieuphoi")), 422, "validation")
	problem(t, e.do("POST", path(r1.ID, "/return"), map[string]any{"version": sub.Version, "comment": strings.Repeat("ạ", 4001)}, e.as("dieuphoi")), 422, "validation")
	ret := decode[rptOut](t, e.do("POST", path(r1.ID, "/return"), map[string]any{"version": sub.Version, "comment": "Bổ sung"}, e.as("dieuphoi")), 200)
	if ret.Status != report.Returned || ret.ReviewComment != "Bổ sung" {
		t.Fatalf("returned %+v", ret.Report)
	}
	problem(t, e.do("POST", path(r1.ID, "/accept"), map[string]any{"version": ret.Version}, e.as("dieuphoi")), 409, "conflict")
	sub = decode[rptOut](t, e.do("POST", path(r1.ID, "/submit"), map[string]any{"version": ret.Version}, e.as("canbo")), 200)
	acc := decode[rptOut](t, e.do("POST", path(r1.ID, "/accept"), map[string]any{"version": sub.Version}, e.as("dieuphoi")), 200)
	if acc.Status != report.Accepted {
		t.Fatalf("accepted %+v", acc.Report)
	}
	// Locked for everyone.
	problem(t, e.do("PUT", path(r1.ID, ""), map[string]any{"version": acc.Version, "values": map[string]string{"cases_received": "9"}}, e.as("canbo")), 409, "conflict")
	problem(t, e.do("PUT", path(r1.ID, ""), map[string]any{"version": acc.Version}, e.as("admin")), 403, "forbidden")
	vs := decode[struct{ Items []report.Version }](t, e.do("GET", path(r1.ID, "/versions"), nil, e.as("lanhdao")), 200)
	if len(vs.Items) != 4 {
		t.Fatalf("versions %d", len(vs.Items))
	}
	// Lists follow the same visibility.
	l := decode[struct{ Total int }](t, e.do("GET", "/api/v1/reports?year=2025", nil, e.as("dieuphoi")), 200)
	if l.Total != 1 {
		t.Fatalf("coordinator sees %d reports", l.Total)
	}
	l = decode[struct{ Total int }](t, e.do("GET", "/api/v1/reports?status=draft", nil, e.as("canbo2")), 200)
	if l.Total != 1 {
		t.Fatalf("W2 officer sees %d drafts", l.Total)
	}
	problem(t, e.do("GET", "/api/v1/reports?status=nope", nil, e.as("canbo")), 400, "invalid-parameter")
	// Completeness: as of 1 Aug 2025 (test clock) August is not yet due.
	c := decode[report.Completeness](t, e.do("GET", "/api/v1/completeness?template="+rptID(tid)+"&year=2025&number=8", nil, e.as("dieuphoi")), 200)
	if c.Total.Expected != 2 || c.Total.Received != 1 || c.Total.Pending != 1 {
		t.Fatalf("completeness %+v", c.Total)
	}
	c = decode[report.Completeness](t, e.do("GET", "/api/v1/completeness?template="+rptID(tid)+"&year=2025&number=8", nil, e.as("canbo2")), 200)
	if c.Total.Expected != 1 {
		t.Fatalf("W2 completeness %+v", c.Total)
	}
}

func TestImportEndpoint(t *testing.T) {
	e, tid := rptEnv(t)
	r := decode[rptOut](t, e.do("POST", "/api/v1/reports", map[string]any{"template_id": tid, "unit_id": e.unit["W1"], "year": 2025, "number": 8}, e.as("canbo")), 200)
	upload := func(csv string, version int) *httptest.ResponseRecorder {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("version", rptID(int64(version)))
		fw, _ := mw.CreateFormFile("file", "values.csv")
		_, _ = fw.Write([]byte(csv))
		_ = mw.Close()
		req := httptest.NewRequest("POST", "/api/v1/reports/"+rptID(r.ID)+"/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.token["canbo"])
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		return w
	}
	p := problem(t, upload("indicator_code,category,value\ncases_received,,x\nnope,,1\n", r.Version), 422, "validation")
	if f := fields(p); len(f) != 2 || f[0] != "line 2, column 3" || f[1] != "line 3, column 1" {
		t.Fatalf("import fields %v", f)
	}
	got := decode[rptOut](t, upload("indicator_code,category,value\ncases_received,,12\n", r.Version), 200)
	if got.Values["cases_received"] != "12" {
		t.Fatalf("imported %+v", got.Values)
	}
}

func rptID(n int64) string { return strconv.FormatInt(n, 10) }

func TestScheduleEndpoint(t *testing.T) {
	e := newEnv(t)
	tpl := decode[report.Template](t, e.do("POST", "/api/v1/report-templates", map[string]any{
		"code": "BC-Q", "name": "Báo cáo quý", "period_type": "quarterly", "definition": rptRaw(reportDef), "owner_unit_id": e.unit["P38"],
	}, e.as("dieuphoi")), http.StatusCreated)
	path := "/api/v1/report-templates/" + rptID(tpl.ID) + "/schedules"
	body := map[string]any{"unit_id": e.unit["P38"], "kinds": []string{"commune", "ward"}, "deadlines": []map[string]any{{"level": "commune", "days_after_end": 2, "working_days": true}}}
	problem(t, e.do("POST", path, body, e.as("canbo")), 403, "forbidden")
	decode[report.Assignment](t, e.do("POST", path, body, e.as("dieuphoi")), 201)
	p := problem(t, e.do("POST", path, map[string]any{"unit_id": 99999, "kinds": []string{"village"}, "deadlines": []map[string]any{{"level": "", "days_after_end": 0}}}, e.as("dieuphoi")), 422, "validation")
	if f := fields(p); len(f) != 4 {
		t.Fatalf("fields %v", f)
	}
	// Every number is bounded: a deadline of 2147483648 days is refused.
	for _, days := range []any{2147483648, 367, -1} {
		problem(t, e.do("POST", path, map[string]any{"unit_id": e.unit["P38"], "deadlines": []map[string]any{{"level": "province", "days_after_end": days}}}, e.as("dieuphoi")), 422, "validation")
	}
	got := decode[struct{ Schedules []report.Assignment }](t, e.do("GET", "/api/v1/report-templates/"+rptID(tpl.ID), nil, e.as("canbo")), 200)
	if len(got.Schedules) != 1 || got.Schedules[0].Deadlines[0].Level != "commune" {
		t.Fatalf("schedules %+v", got.Schedules)
	}
}

// TestReportBadInput: template management follows the subtree; years,
// numbers and text from outside are bounded and clean, on both engines.
func TestReportBadInput(t *testing.T) {
	e, tid := rptEnv(t)
	// A coordinator of P38 cannot make installation-wide templates, nor
	// replace one, nor schedule units outside its subtree.
	body := map[string]any{"code": "BC-W", "name": "Toàn quốc", "period_type": "monthly", "definition": rptRaw(reportDef)}
	problem(t, e.do("POST", "/api/v1/report-templates", body, e.as("dieuphoi")), 403, "forbidden")
	wide := decode[report.Template](t, e.do("POST", "/api/v1/report-templates", body, e.as("admin")), http.StatusCreated)
	body["version"], body["owner_unit_id"] = wide.Version, e.unit["P38"]
	problem(t, e.do("PUT", "/api/v1/report-templates/"+rptID(wide.ID), body, e.as("dieuphoi")), 403, "forbidden")
	problem(t, e.do("POST", "/api/v1/report-templates/"+rptID(tid)+"/schedules", map[string]any{"unit_id": e.unit["W1"], "deadlines": []map[string]any{{"level": "ward", "days_after_end": 3}}}, e.as("truong")), 403, "forbidden")
	// Template updates need the version read.
	body["name"] = "Tháng"
	delete(body, "version")
	body["owner_unit_id"] = 0
	problem(t, e.do("PUT", "/api/v1/report-templates/"+rptID(wide.ID), body, e.as("admin")), 422, "validation")
	body["version"] = wide.Version + 1
	problem(t, e.do("PUT", "/api/v1/report-templates/"+rptID(wide.ID), body, e.as("admin")), 409, "conflict")
	body["version"] = wide.Version
	decode[report.Template](t, e.do("PUT", "/api/v1/report-templates/"+rptID(wide.ID), body, e.as("admin")), 200)
	// NUL and invalid UTF-8 in template names: 422.
	for _, name := range []string{"a\x00b", "a\xffb"} {
		body := map[string]any{"code": "BC-N", "name": name, "period_type": "monthly", "definition": rptRaw(reportDef), "owner_unit_id": e.unit["P38"]}
		problem(t, e.do("POST", "/api/v1/report-templates", body, e.as("dieuphoi")), 422, "validation")
	}
	// Years out of range, including the int32 edge: 422, never a panic.
	for _, y := range []int64{2147483647, 2147483648, 9999, 2101, 1899, 0, -5} {
		problem(t, e.do("POST", "/api/v1/reports", map[string]any{"template_id": tid, "unit_id": e.unit["W1"], "year": y, "number": 1}, e.as("canbo")), 422, "validation")
	}
	problem(t, e.do("POST", "/api/v1/reports", map[string]any{"template_id": tid, "unit_id": e.unit["W1"], "year": 2025, "number": 13}, e.as("canbo")), 422, "validation")
	problem(t, e.do("GET", "/api/v1/completeness?template="+rptID(tid)+"&year=2147483648&number=1", nil, e.as("dieuphoi")), 400, "invalid-parameter")
	// Draft values and narrative with NUL or invalid UTF-8: 422.
	r := decode[rptOut](t, e.do("POST", "/api/v1/reports", map[string]any{"template_id": tid, "unit_id": e.unit["W1"], "year": 2025, "number": 8}, e.as("canbo")), 200)
	for _, v := range []string{"1\x00", "\xc3\x28", strings.Repeat("9", 4001)} {
		problem(t, e.do("PUT", "/api/v1/reports/"+rptID(r.ID), map[string]any{"version": r.Version, "values": map[string]string{"cases_received": v}}, e.as("canbo")), 422, "validation")
	}
	problem(t, e.do("PUT", "/api/v1/reports/"+rptID(r.ID), map[string]any{"version": r.Version, "narrative": map[string]string{"highlights": "x\x00"}}, e.as("canbo")), 422, "validation")
	problem(t, e.do("PUT", "/api/v1/reports/"+rptID(r.ID), map[string]any{"version": 0, "values": map[string]string{"cases_received": "1"}}, e.as("canbo")), 422, "validation")
	got := decode[rptOut](t, e.do("PUT", "/api/v1/reports/"+rptID(r.ID), map[string]any{"version": r.Version, "values": map[string]string{"cases_received": "7"}}, e.as("canbo")), 200)
	if got.Values["cases_received"] != "7" || got.Version != r.Version+1 {
		t.Fatalf("saved %+v", got.Report)
	}
}

// TestReportListKeyset pages through the reports list by key.
func TestReportListKeyset(t *testing.T) {
	e, tid := rptEnv(t)
	var ids []int64
	for m := 1; m <= 5; m++ {
		r := decode[rptOut](t, e.do("POST", "/api/v1/reports", map[string]any{"template_id": tid, "unit_id": e.unit["W1"], "year": 2025, "number": m + 6}, e.as("canbo")), 200)
		ids = append(ids, r.ID)
	}
	type page struct {
		Items      []report.Report
		Total      int
		TotalMore  bool   `json:"total_more"`
		NextCursor string `json:"next_cursor"`
		PrevCursor string `json:"prev_cursor"`
		Next       *string
	}
	var seen []int64
	q := "/api/v1/reports?limit=2"
	for range 5 {
		p := decode[page](t, e.do("GET", q, nil, e.as("canbo")), 200)
		if p.Total != 5 || p.TotalMore {
			t.Fatalf("total %d more %v", p.Total, p.TotalMore)
		}
		for _, r := range p.Items {
			seen = append(seen, r.ID)
		}
		if p.NextCursor == "" {
			if p.Next != nil {
				t.Fatal("next link without cursor")
			}
			break
		}
		q = "/api/v1/reports?limit=2&after=" + p.NextCursor
	}
	// Newest period first: December, November, … July.
	if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
		t.Fatalf("pages gave %v, created %v", seen, ids)
	}
	problem(t, e.do("GET", "/api/v1/reports?after=garbage", nil, e.as("canbo")), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/reports?after=2025-01-14.1&offset=2", nil, e.as("canbo")), 400, "invalid-parameter")
}
