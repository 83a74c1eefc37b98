package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
)

// bldCreate makes a template owned by P38 from the web form and returns
// its page's path ("/reports/templates/N").
func bldCreate(t *testing.T, e *penv, code, def string) string {
	t.Helper()
	w := e.do("dieuphoi", "POST", "/reports/templates", url.Values{"code": {code}, "name": {"Báo cáo " + code}, "period_type": {"monthly"},
		"cutoff_day": {"15"}, "active": {"1"}, "owner_unit_id": {fmt.Sprint(e.unit["P38"])}, "definition": {def}})
	want(t, w, 303)
	return fmt.Sprintf("/reports/templates/%d", lastID(t, strings.Split(w.Header().Get("Location"), "/edit")[0]))
}

// bldDef reads the stored definition of the template at path.
func bldDef(t *testing.T, e *penv, path string) report.Template {
	t.Helper()
	tpl, err := e.st.GetTemplate(t.Context(), lastID(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// doVi sends a form in Vietnamese, the default language.
func doVi(e *penv, user, path string, form url.Values) *httptest.ResponseRecorder {
	form.Set("csrf", e.sess[user][1])
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept-Language", "vi")
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess[user][0]})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func codes(tpl report.Template) string {
	var cs []string
	for _, in := range tpl.Definition.Indicators {
		cs = append(cs, in.Code)
	}
	return strings.Join(cs, ",")
}

// TestTemplateBuilderWeb: sections and indicators are added, edited, moved
// and removed with plain forms, each save checked by the service.
func TestTemplateBuilderWeb(t *testing.T) {
	e := newPenv(t)
	tp := bldCreate(t, e, "BC-B", `{"sections":[{"key":"highlights","title":{"vi":"Kết quả nổi bật"}}]}`)
	want(t, e.do("dieuphoi", "GET", tp+"/edit", nil), 200, "No reporting schedule yet", `href="/reports/templates/`, "No indicators yet.")
	v := func() string { return fmt.Sprint(bldDef(t, e, tp).Version) }

	// A section.
	want(t, e.do("dieuphoi", "GET", tp+"/sections/new", nil), 200, `name="title_vi"`)
	want(t, e.do("dieuphoi", "POST", tp+"/sections", url.Values{"version": {v()}, "title_vi": {""}}), 422, `id="sec-title-err"`)
	want(t, e.do("dieuphoi", "POST", tp+"/sections", url.Values{"version": {v()}, "title_vi": {"Tồn tại, hạn chế"}, "title_en": {"Shortcomings"}}), 303)
	tpl := bldDef(t, e, tp)
	if n := len(tpl.Definition.Sections); n != 2 || tpl.Definition.Sections[1].Title["en"] != "Shortcomings" {
		t.Fatalf("sections: %+v", tpl.Definition.Sections)
	}
	// An indicator broken down by sex.
	want(t, e.do("dieuphoi", "GET", tp+"/indicators/new", nil), 200, `value="gender"`, `name="aggregation"`)
	ind := url.Values{"code": {"participants"}, "name_vi": {"Số người tham gia"}, "type": {"integer"}, "unit": {"người"}, "min": {"0"},
		"aggregation": {"sum"}, "disaggregation": {"gender"}, "required": {"1"}}
	ind.Set("version", v())
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", ind), 303)
	in, ok := bldDef(t, e, tp).Definition.Indicator("participants")
	if !ok || in.Disaggregation == nil || in.Disaggregation.Key != "gender" || len(in.Disaggregation.Categories) != 2 ||
		in.Disaggregation.Categories[1].Name["vi"] != "Nữ" || in.Unit != "người" || !in.Required || in.Min == nil || *in.Min != 0 {
		t.Fatalf("indicator: %+v", in)
	}
	// min above max: 422, the message beside the field and in the summary, in Vietnamese by default.
	bad := url.Values{"code": {"trainings"}, "name_vi": {"Số lớp tập huấn"}, "type": {"integer"}, "min": {"10"}, "max": {"1"}, "aggregation": {"sum"}, "version": {v()}}
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", bad), 422, `id="in-min-err"`, "The minimum is above the maximum.", `href="#in-min"`)
	want(t, doVi(e, "dieuphoi", tp+"/indicators", bad), 422, `<small class="field-error" id="in-min-err">Giá trị nhỏ nhất lớn hơn giá trị lớn nhất.</small>`)
	bad.Set("max", "mười")
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", bad), 422, `id="in-max-err"`)
	// A rule naming an unknown indicator is shown beside the rules.
	bad.Set("max", "")
	bad["rule_op"], bad["rule_right"] = []string{"<="}, []string{"nobody"}
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", bad), 422, `id="in-rules"`)
	bad["rule_right"] = []string{"participants"}
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", bad), 303)
	tpl = bldDef(t, e, tp)
	if codes(tpl) != "participants,trainings" || len(tpl.Definition.Rules) != 1 || tpl.Definition.Rules[0] != (report.CrossRule{Left: "trainings", Op: "<=", Right: "participants"}) {
		t.Fatalf("after add: %s %+v", codes(tpl), tpl.Definition.Rules)
	}
	// A stale version is refused.
	bad.Set("code", "other")
	bad.Set("version", "1")
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", bad), 409, "Someone else has just changed the template")
	// Edit: rename, and the rule follows.
	edit := url.Values{"code": {"people"}, "name_vi": {"Số người tham gia"}, "type": {"integer"}, "min": {"0"}, "aggregation": {"sum"}, "disaggregation": {"gender"}, "version": {v()}}
	want(t, e.do("dieuphoi", "GET", tp+"/indicators/participants/edit", nil), 200, `value="participants"`, `value="gender" checked`)
	want(t, e.do("dieuphoi", "POST", tp+"/indicators/participants", edit), 303)
	if tpl = bldDef(t, e, tp); codes(tpl) != "people,trainings" || tpl.Definition.Rules[0].Right != "people" {
		t.Fatalf("after rename: %s %+v", codes(tpl), tpl.Definition.Rules)
	}
	// Move up, then down again; out of range does nothing.
	want(t, e.do("dieuphoi", "POST", tp+"/indicators/trainings/move", url.Values{"dir": {"up"}, "version": {v()}}), 303)
	if c := codes(bldDef(t, e, tp)); c != "trainings,people" {
		t.Fatalf("after move: %s", c)
	}
	want(t, e.do("dieuphoi", "POST", tp+"/indicators/trainings/move", url.Values{"dir": {"up"}, "version": {v()}}), 303)
	if c := codes(bldDef(t, e, tp)); c != "trainings,people" {
		t.Fatalf("after a move past the top: %s", c)
	}
	want(t, e.do("dieuphoi", "POST", tp+"/sections/highlights/move", url.Values{"dir": {"down"}, "version": {v()}}), 303)
	if s := bldDef(t, e, tp).Definition.Sections; s[1].Key != "highlights" {
		t.Fatalf("sections after move: %+v", s)
	}
	// Remove asks first; the removal drops the rules naming the indicator.
	want(t, e.do("dieuphoi", "GET", tp+"/indicators/people/delete", nil), 200, `action="`+tp+`/indicators/people/delete"`, "Remove the indicator")
	want(t, e.do("dieuphoi", "POST", tp+"/indicators/people/delete", url.Values{"version": {v()}}), 303)
	if tpl = bldDef(t, e, tp); codes(tpl) != "trainings" || len(tpl.Definition.Rules) != 0 {
		t.Fatalf("after remove: %s %+v", codes(tpl), tpl.Definition.Rules)
	}
	want(t, e.do("dieuphoi", "GET", tp+"/sections/highlights/delete", nil), 200, "Remove the section")
	want(t, e.do("dieuphoi", "POST", tp+"/sections/highlights/delete", url.Values{"version": {v()}}), 303)
	want(t, e.do("dieuphoi", "GET", tp+"/indicators/nobody/edit", nil), 404)
	// Others may look, not change.
	want(t, e.do("canbo", "GET", tp+"/indicators/new", nil), 403)
	want(t, e.do("canbo", "POST", tp+"/indicators", ind), 403)
	want(t, e.do("canbo", "POST", tp+"/indicators/trainings/delete", url.Values{"version": {v()}}), 403)

	// Preview: the officer's form, read-only, nothing to send.
	w := e.do("dieuphoi", "GET", tp+"/preview", nil)
	want(t, w, 200, `name="v.trainings"`, "<fieldset disabled>", "Preview: Báo cáo BC-B")
	if strings.Contains(w.Body.String(), "/submit") || strings.Contains(w.Body.String(), `action="/reports`) {
		t.Fatal("the preview can send")
	}
	// Export and import.
	w = e.do("dieuphoi", "GET", tp+"/definition.json", nil)
	want(t, w, 200, `"trainings"`)
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "BC-B.json") {
		t.Fatalf("disposition %q", cd)
	}
	if _, err := report.ParseDefinition(w.Body.Bytes()); err != nil {
		t.Fatalf("exported definition: %v", err)
	}
	w = e.doMultipartField("dieuphoi", tp+"/import", map[string]string{"version": v()}, "definition_file", "x.json", []byte(`{"indicators":[{"code":"a","name":{"vi":"A"},"type":"float"}]}`))
	want(t, w, 422, "indicators[0].type")
	w = e.doMultipartField("dieuphoi", tp+"/import", map[string]string{"version": v()}, "definition_file", "x.json", []byte(rptWebDef))
	want(t, w, 303)
	if c := codes(bldDef(t, e, tp)); c != "cases_received,cases_resolved_on_time,participants" {
		t.Fatalf("after import: %s", c)
	}
	// A new template from a file.
	w = e.doMultipartField("dieuphoi", "/reports/templates", map[string]string{"code": "BC-F", "name": "Từ tệp", "period_type": "quarterly", "cutoff_day": "15",
		"owner_unit_id": fmt.Sprint(e.unit["P38"]), "definition": ""}, "definition_file", "f.json", []byte(rptWebDef))
	want(t, w, 303)
	var def report.Definition
	if err := json.Unmarshal(bldDef(t, e, w.Header().Get("Location")[:strings.Index(w.Header().Get("Location"), "/edit")]).Definition.JSON(), &def); err != nil || len(def.Indicators) != 3 {
		t.Fatalf("imported template: %v %+v", err, def)
	}
}

// TestTemplateScheduleWeb: a template built on the web gets a schedule;
// the units concerned open and submit their reports; then the schedule is
// edited and removed (with confirmation).
func TestTemplateScheduleWeb(t *testing.T) {
	e := newPenv(t)
	tp := bldCreate(t, e, "BC-E", `{"sections":[{"key":"highlights","title":{"vi":"Kết quả nổi bật"}}]}`)
	v := func() string { return fmt.Sprint(bldDef(t, e, tp).Version) }
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", url.Values{"code": {"participants"}, "name_vi": {"Số người tham gia"}, "type": {"integer"},
		"min": {"0"}, "aggregation": {"sum"}, "disaggregation": {"gender"}, "required": {"1"}, "version": {v()}}), 303)
	tid := fmt.Sprint(lastID(t, tp))
	open := url.Values{"template": {tid}, "unit": {fmt.Sprint(e.unit["W1"])}, "year": {"2025"}, "number": {"7"}}
	// No schedule: the page says so, and the unit cannot open a report.
	r := httptest.NewRequest("GET", tp+"/edit", nil)
	r.Header.Set("Accept-Language", "vi")
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess["dieuphoi"][0]})
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	want(t, rec, 200, "Chưa có lịch báo cáo — đơn vị chưa thể nộp")
	if w := e.do("canbo", "POST", "/reports/open", open); w.Code == 303 {
		t.Fatal("opened a report with no schedule")
	}
	sched := url.Values{"unit_id": {fmt.Sprint(e.unit["P38"])}, "kinds": {"ward"}, "level": {"ward"}, "days_after_end": {"5"}, "working_days": {"1"}}
	want(t, e.do("canbo", "POST", tp+"/schedules", sched), 403)
	want(t, e.do("dieuphoi", "POST", tp+"/schedules", sched), 303)
	w := e.do("dieuphoi", "GET", tp+"/edit", nil)
	want(t, w, 200, "Tỉnh Thanh Hóa", "5 days after the cut-off")
	if strings.Contains(w.Body.String(), "No reporting schedule yet") {
		t.Fatal("the call to action stays")
	}
	// The officer of W1 opens and submits the report.
	w = e.do("canbo", "POST", "/reports/open", open)
	want(t, w, 303)
	page := w.Header().Get("Location")
	want(t, e.do("canbo", "GET", page, nil), 200, `name="v.participants.female"`, `name="n.highlights"`)
	w = e.do("canbo", "POST", page+"/submit", url.Values{"version": {"1"}, "n.highlights": {"Tổ chức 2 lớp"}, "v.participants": {"30"},
		"v.participants.male": {"12"}, "v.participants.female": {"18"}})
	want(t, w, 303)
	if !strings.Contains(w.Header().Get("Location"), "reports.submitted") {
		t.Fatalf("not submitted: %s", w.Header().Get("Location"))
	}
	// Sent reports keep the form: no type change, no lost category.
	want(t, e.do("dieuphoi", "POST", tp+"/indicators/participants", url.Values{"code": {"participants"}, "name_vi": {"Số người"}, "type": {"text"},
		"aggregation": {"none"}, "version": {v()}}), 422, "Reports on this template have been sent")
	want(t, e.do("dieuphoi", "POST", tp+"/indicators/participants", url.Values{"code": {"participants"}, "name_vi": {"Số người"}, "type": {"integer"},
		"aggregation": {"sum"}, "version": {v()}}), 422, `id="in-disaggregation"`)
	// Adding an indicator stays possible.
	want(t, e.do("dieuphoi", "POST", tp+"/indicators", url.Values{"code": {"trainings"}, "name_vi": {"Số lớp"}, "type": {"integer"}, "aggregation": {"sum"}, "version": {v()}}), 303)

	// Edit the schedule, then remove it after confirming.
	scs, err := e.st.ListSchedules(t.Context(), lastID(t, tp))
	if err != nil || len(scs) != 1 {
		t.Fatalf("schedules: %v %+v", err, scs)
	}
	sp := fmt.Sprintf("%s/schedules/%d", tp, scs[0].ID)
	want(t, e.do("dieuphoi", "GET", sp+"/edit", nil), 200, `value="ward"`)
	sched.Set("days_after_end", "0")
	want(t, e.do("dieuphoi", "POST", sp, sched), 422, `id="s-days-err"`)
	sched.Set("days_after_end", "7")
	want(t, e.do("canbo", "POST", sp, sched), 403)
	want(t, e.do("dieuphoi", "POST", sp, sched), 303)
	want(t, e.do("dieuphoi", "GET", tp+"/edit", nil), 200, "7 days after the cut-off")
	// A second level with its own deadline and kinds.
	want(t, e.do("dieuphoi", "GET", sp+"/edit", nil), 200, `name="level_1"`)
	sched["kinds"] = []string{"ward", "province"}
	sched["level_kinds"] = []string{"ward"}
	sched.Set("level_1", "province")
	sched.Set("days_after_end_1", "0")
	sched["level_kinds_1"] = []string{"province"}
	want(t, e.do("dieuphoi", "POST", sp, sched), 422, `id="s-days_1-err"`, `name="level_2"`)
	sched.Set("days_after_end_1", "12")
	want(t, e.do("dieuphoi", "POST", sp, sched), 303)
	scs, _ = e.st.ListSchedules(t.Context(), lastID(t, tp))
	if d := scs[0].Deadlines; len(d) != 2 || d[1].Level != "province" || d[1].DaysAfterEnd != 12 || strings.Join(d[1].Kinds, ",") != "province" || strings.Join(d[0].Kinds, ",") != "ward" {
		t.Fatalf("levels: %+v", d)
	}
	want(t, e.do("dieuphoi", "GET", tp+"/edit", nil), 200, "province (Province): 12 days after the cut-off")
	want(t, e.do("dieuphoi", "GET", sp+"/delete", nil), 200, `action="`+sp+`/delete"`)
	want(t, e.do("dieuphoi", "POST", sp+"/delete", url.Values{}), 303)
	want(t, e.do("dieuphoi", "GET", tp+"/edit", nil), 200, "No reporting schedule yet")
	want(t, e.do("dieuphoi", "GET", sp+"/edit", nil), 404)
}
