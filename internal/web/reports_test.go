package web_test

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
)

const rptWebDef = `{
 "sections": [{"key":"highlights","title":{"vi":"Kết quả nổi bật","en":"Main results"}}],
 "indicators": [
  {"code":"cases_received","name":{"vi":"Số vụ việc tiếp nhận","en":"Cases received"},"type":"integer","required":true,"min":0},
  {"code":"cases_resolved_on_time","name":{"vi":"Giải quyết đúng hạn","en":"Resolved on time"},"type":"integer","min":0},
  {"code":"participants","name":{"vi":"Người tham gia","en":"Participants"},"type":"integer","min":0,
   "disaggregation":{"key":"gender","categories":[{"key":"male","name":{"vi":"Nam","en":"Men"}},{"key":"female","name":{"vi":"Nữ","en":"Women"}}]}}
 ],
 "rules": [{"left":"cases_resolved_on_time","op":"<=","right":"cases_received"}]
}`

func TestReportsWebFlow(t *testing.T) {
	e := newPenv(t)
	ctx := context.Background()
	def, err := report.ParseDefinition([]byte(rptWebDef))
	if err != nil {
		t.Fatal(err)
	}
	tpl := report.Template{Code: "BC-T", Name: "Monthly report", PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true}
	if err := e.st.CreateTemplate(ctx, audit.System("test"), &tpl); err != nil {
		t.Fatal(err)
	}
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: e.unit["P38"], Kinds: []string{"ward"}, Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}}
	if err := e.st.CreateSchedule(ctx, audit.System("test"), &sc); err != nil {
		t.Fatal(err)
	}
	want(t, e.do("canbo", "GET", "/reports", nil), 200, "No reports yet.", `action="/reports/open"`)
	// A unit opens only its own report.
	open := url.Values{"template": {fmt.Sprint(tpl.ID)}, "unit": {fmt.Sprint(e.unit["W2"])}, "year": {"2025"}, "number": {"7"}}
	want(t, e.do("canbo", "POST", "/reports/open", open), 403)
	open.Set("unit", fmt.Sprint(e.unit["W1"]))
	w := e.do("canbo", "POST", "/reports/open", open)
	want(t, w, 303)
	id := lastID(t, w.Header().Get("Location"))
	page := fmt.Sprintf("/reports/%d", id)
	want(t, e.do("canbo", "GET", page, nil), 200, `name="v.participants.female"`, `hx-post="/reports/`, `name="n.highlights"`, "Required.")
	// Another unit and the parent side do not see a draft.
	want(t, e.do("canbo2", "GET", page, nil), 403)
	want(t, e.do("dieuphoi", "GET", page, nil), 403)
	form := url.Values{"version": {"1"}, "n.highlights": {"Đối thoại với Nhân dân"}, "v.cases_received": {"5"}, "v.cases_resolved_on_time": {"7"}}
	want(t, e.do("canbo2", "POST", page+"/draft", form), 403)
	want(t, e.do("canbo", "POST", page+"/draft", form), 303)
	// The page shows the rule's message beside the field.
	want(t, e.do("canbo", "GET", page, nil), 200, "Fails a cross-field rule", `aria-invalid="true"`)
	// A stale save: 409, the user's text shown again.
	form.Set("n.highlights", "Văn bản mới của tôi")
	want(t, e.do("canbo", "POST", page+"/draft", form), 409, "Văn bản mới của tôi", "Someone else has just saved")
	// Autosave through htmx answers the status fragment with the new version.
	form.Set("version", "2")
	r := rptHX(e, "canbo", page+"/draft", form)
	want(t, r, 200, `id="save-status"`, `hx-swap-oob="true"`, `value="3"`, "Saved automatically")
	if strings.Contains(r.Body.String(), "<html") {
		t.Fatal("autosave answered a whole page")
	}
	// Submitting invalid values keeps a draft.
	form.Set("version", "3")
	w = e.do("canbo", "POST", page+"/submit", form)
	want(t, w, 303)
	if !strings.Contains(w.Header().Get("Location"), "kept_as_draft") {
		t.Fatalf("invalid submit went to %s", w.Header().Get("Location"))
	}
	if b := e.do("canbo", "GET", page, nil).Body.String(); !strings.Contains(b, `id="report-version" value="4"`) {
		i := strings.Index(b, "report-version")
		t.Fatalf("version after invalid submit: %s", b[i-20:i+60])
	}
	form.Set("version", "4")
	form.Set("v.cases_resolved_on_time", "4")
	if w := e.do("canbo", "POST", page+"/submit", form); w.Code != 303 {
		b := w.Body.String()
		i := strings.Index(b, "<main")
		t.Fatalf("submit: %d %.1500s", w.Code, b[i:])
	}
	// The parent side reviews; the unit cannot.
	want(t, e.do("canbo", "POST", page+"/accept", url.Values{}), 403)
	want(t, e.do("lanhdao", "GET", page, nil), 200, "Submitted, awaiting review")
	want(t, e.do("dieuphoi", "GET", page, nil), 200, `action="/reports/`+fmt.Sprint(id)+`/return"`)
	// A review needs the version read (never a skipped check) and a clean comment.
	want(t, e.do("dieuphoi", "POST", page+"/return", url.Values{"comment": {"Bổ sung số liệu"}}), 422, `id="rv-comment"`)
	want(t, e.do("dieuphoi", "POST", page+"/return", url.Values{"version": {"0"}, "comment": {"Bổ sung số liệu"}}), 422)
	want(t, e.do("dieuphoi", "POST", page+"/return", url.Values{"version": {"6"}, "comment": {"bad\x00comment"}}), 422, `id="rv-comment-err"`)
	want(t, e.do("dieuphoi", "POST", page+"/return", url.Values{"version": {"6"}, "comment": {"  "}}), 422, `id="rv-comment-err"`)
	want(t, e.do("dieuphoi", "POST", page+"/return", url.Values{"version": {"6"}, "comment": {"Bổ sung số liệu"}}), 303)
	want(t, e.do("canbo", "GET", page, nil), 200, "Bổ sung số liệu", "Returned")
	want(t, e.do("canbo", "POST", page+"/submit", url.Values{"version": {"7"}, "v.cases_received": {"5"}, "v.cases_resolved_on_time": {"4"}, "n.highlights": {"x"}}), 303)
	want(t, e.do("dieuphoi", "POST", page+"/accept", url.Values{}), 422)
	want(t, e.do("dieuphoi", "POST", page+"/accept", url.Values{"version": {"9"}}), 303)
	body := e.do("canbo", "GET", page, nil)
	want(t, body, 200, "Accepted", "locked", "Version history")
	if strings.Contains(body.Body.String(), `formaction="/reports/`+fmt.Sprint(id)+`/submit"`) {
		t.Fatal("accepted report still offers submit")
	}
	want(t, e.do("canbo", "POST", page+"/draft", url.Values{"version": {"9"}}), 409)
	// Prefill from July into a new August report keeps what is typed.
	open.Set("number", "8")
	w = e.do("canbo", "POST", "/reports/open", open)
	aug := fmt.Sprintf("/reports/%d", lastID(t, w.Header().Get("Location")))
	want(t, e.do("canbo", "POST", aug+"/prefill", url.Values{"version": {"1"}, "n.highlights": {"Đang soạn"}, "v.cases_received": {""}, "v.cases_resolved_on_time": {"1"}}), 200,
		"Đang soạn", `name="v.cases_received" inputmode="decimal" size="8" value="5"`, `name="v.cases_resolved_on_time" inputmode="decimal" size="8" value="1"`, "Empty fields were filled")
	// Completeness: W2 is missing; the coordinator gets an urge form.
	w = e.do("dieuphoi", "GET", fmt.Sprintf("/reports/completeness?template=%d&year=2025&number=7", tpl.ID), nil)
	want(t, w, 200, "Xã Đông Sơn", `action="/urges"`, `name="unit_id" value="`+fmt.Sprint(e.unit["W2"])+`"`, `name="period_number" value="7"`)
	want(t, e.do("canbo", "GET", fmt.Sprintf("/reports/completeness?template=%d&year=2025&number=7", tpl.ID), nil), 200)
	if strings.Contains(e.do("canbo", "GET", fmt.Sprintf("/reports/completeness?template=%d&year=2025&number=7", tpl.ID), nil).Body.String(), `action="/urges"`) {
		t.Fatal("unit officer offered urge form")
	}
	// Templates: list, and a bad definition lists every problem.
	want(t, e.do("dieuphoi", "GET", "/reports/templates", nil), 200, "BC-T")
	bad := url.Values{"code": {"X"}, "name": {"X"}, "period_type": {"monthly"}, "cutoff_day": {"15"}, "definition": {`{"indicators":[{"code":"A","name":{"vi":"a"},"type":"float"}]}`}}
	// A coordinator of P38 owns templates on P38 only, never installation-wide.
	want(t, e.do("dieuphoi", "POST", "/reports/templates", bad), 403)
	bad.Set("owner_unit_id", fmt.Sprint(e.unit["P38"]))
	want(t, e.do("dieuphoi", "POST", "/reports/templates", bad), 422, "indicators[0].code", "indicators[0].type")
	want(t, e.do("canbo", "POST", "/reports/templates", bad), 403)
	bad.Set("definition", rptWebDef)
	bad.Set("name", "Tên\x00lỗi")
	want(t, e.do("dieuphoi", "POST", "/reports/templates", bad), 422, `id="t-name-err"`, "Tên")
	bad.Set("name", "X")
	w = e.do("dieuphoi", "POST", "/reports/templates", bad)
	want(t, w, 303)
	own := fmt.Sprintf("/reports/templates/%d", lastID(t, strings.TrimSuffix(strings.Split(w.Header().Get("Location"), "?")[0], "/edit")))
	// The installation-wide template cannot be changed by the coordinator.
	want(t, e.do("dieuphoi", "GET", fmt.Sprintf("/reports/templates/%d/edit", tpl.ID), nil), 200, "<fieldset disabled>")
	upd := url.Values{"code": {"BC-T"}, "name": {"Hijack"}, "period_type": {"monthly"}, "cutoff_day": {"15"}, "definition": {rptWebDef}, "version": {"1"}, "owner_unit_id": {fmt.Sprint(e.unit["P38"])}}
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/reports/templates/%d/edit", tpl.ID), upd), 403)
	// Schedules from the web form: bounded days, units inside the subtree.
	sched := url.Values{"unit_id": {fmt.Sprint(e.unit["P38"])}, "kinds": {"ward"}, "level": {"ward"}, "days_after_end": {"2147483648"}}
	want(t, e.do("dieuphoi", "POST", own+"/schedules", sched), 422, `id="s-days-err"`)
	sched.Set("days_after_end", "367")
	want(t, e.do("dieuphoi", "POST", own+"/schedules", sched), 422, `id="s-days-err"`)
	sched.Set("days_after_end", "5")
	want(t, e.do("canbo", "POST", own+"/schedules", sched), 403)
	want(t, e.do("dieuphoi", "POST", own+"/schedules", sched), 303)
	want(t, e.do("dieuphoi", "GET", own+"/edit", nil), 200, "5 days after the cut-off")
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/reports/templates/%d/schedules", tpl.ID), sched), 303)
	// Years outside 1900–2100, even beyond int32, are a 4xx, never a panic.
	for _, y := range []string{"2147483648", "2147483647", "9999", "-1"} {
		open.Set("year", y)
		if w := e.do("canbo", "POST", "/reports/open", open); w.Code != 422 || !strings.Contains(w.Body.String(), `id="o-year-err"`) {
			t.Fatalf("year %s: %d", y, w.Code)
		}
	}
}

// rptHX posts a form as htmx does for the report's autosave.
func rptHX(e *penv, user, path string, form url.Values) *httptest.ResponseRecorder {
	form.Set("csrf", e.sess[user][1])
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept-Language", "en")
	r.Header.Set("HX-Request", "true")
	r.Header.Set("HX-Target", "save-status")
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess[user][0]})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// TestReportAttachmentsAndImportWeb: uploads are stored with clean names and
// served as downloads with a sniffed type; CSV values import into the draft;
// the list pages by key.
func TestReportAttachmentsAndImportWeb(t *testing.T) {
	e := newPenv(t)
	ctx := context.Background()
	def, err := report.ParseDefinition([]byte(rptWebDef))
	if err != nil {
		t.Fatal(err)
	}
	tpl := report.Template{Code: "BC-A", Name: "Monthly report", PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true}
	if err := e.st.CreateTemplate(ctx, audit.System("test"), &tpl); err != nil {
		t.Fatal(err)
	}
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: e.unit["P38"], Kinds: []string{"ward"}, Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}}
	if err := e.st.CreateSchedule(ctx, audit.System("test"), &sc); err != nil {
		t.Fatal(err)
	}
	var page string
	for m := 7; m <= 12; m++ {
		w := e.do("canbo", "POST", "/reports/open", url.Values{"template": {fmt.Sprint(tpl.ID)}, "unit": {fmt.Sprint(e.unit["W1"])}, "year": {"2025"}, "number": {fmt.Sprint(m)}})
		want(t, w, 303)
		page = w.Header().Get("Location")
	}
	// An HTML file with a long Vietnamese name and a Windows path.
	long := strings.Repeat("ệ", 100) + ".html"
	want(t, e.doMultipart("canbo", page+"/attachments", map[string]string{}, `C:\Users\x\`+long, []byte("<html><script>alert(1)</script></html>")), 303)
	want(t, e.doMultipart("canbo2", page+"/attachments", map[string]string{}, "x.txt", []byte("x")), 403)
	body := e.do("canbo", "GET", page, nil).Body.String()
	i := strings.Index(body, "/reports/attachments/")
	if i < 0 {
		t.Fatal("no attachment link")
	}
	link := body[i : i+len("/reports/attachments/")+strings.IndexAny(body[i+len("/reports/attachments/"):], `"'`)]
	dl := e.do("canbo", "GET", link, nil)
	want(t, dl, 200)
	h := dl.Header()
	if h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("download headers %v", h)
	}
	_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := params["filename"]
	if err != nil || name == "" || len(name) > 200 || !utf8.ValidString(name) || strings.ContainsAny(name, `\/`) {
		t.Fatalf("stored name %q", name)
	}
	want(t, e.do("canbo2", "GET", link, nil), 403)
	// CSV import: errors listed by line and column; good values saved.
	ver := func() string {
		b := e.do("canbo", "GET", page, nil).Body.String()
		j := strings.Index(b, `id="report-version" value="`)
		rest := b[j+len(`id="report-version" value="`):]
		return rest[:strings.IndexByte(rest, '"')]
	}
	want(t, e.doMultipart("canbo", page+"/import", map[string]string{"version": ver()}, "v.csv", []byte("indicator_code,category,value\ncases_received,,x\n")), 422, "Line 2, column 3")
	want(t, e.doMultipart("canbo", page+"/import", map[string]string{"version": ver()}, "v.csv", []byte("indicator_code,category,value\ncases_received,,12\n")), 303)
	want(t, e.do("canbo", "GET", page, nil), 200, `name="v.cases_received" inputmode="decimal" size="8" value="12"`)
	// The list pages by key: 6 reports, newest first.
	want(t, e.do("canbo", "GET", "/reports", nil), 200, "Reports: 6")
	// A malformed cursor is refused, not a server error.
	if w := e.do("canbo", "GET", "/reports?after=2025-99-99.1", nil); w.Code != 422 {
		t.Fatalf("bad cursor: %d", w.Code)
	}
}
