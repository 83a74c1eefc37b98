package web_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/danvan/danvan/internal/service/servicetest"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
	"github.com/danvan/danvan/internal/web"
)

// The store clock in these tests: 1 Aug 2025, after the reform.
var testNow = time.Date(2025, 8, 1, 3, 0, 0, 0, time.UTC)

type penv struct {
	t    *testing.T
	st   *store.Store
	h    http.Handler
	unit map[string]int64
	sess map[string][2]string // cookie, csrf
}

// newPenv: a real router (HTML and API) over a real store with the
// province P38, wards W1 and W2, and users: dieuphoi (coordinator of P38),
// canbo (officer of W1), canbo2 (officer of W2), lanhdao (leader of P38).
func newPenv(t *testing.T) *penv {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return testNow })
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if m := b.Missing(); len(m) > 0 {
			t.Errorf("missing i18n keys: %q", m)
		}
	})
	d := &server.Deps{Svc: servicetest.New(t, st), Cfg: config.Default(), I18n: b, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy: account.DefaultPolicy, Version: "test", Metrics: server.NewMetrics()}
	w, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux, d)
	w.Register(mux)
	e := &penv{t: t, st: st, h: d.Wrap(mux), unit: map[string]int64{}, sess: map[string][2]string{}}
	ctx := context.Background()
	sys := audit.System("test")
	for _, u := range []struct{ code, name, parent string }{{"P38", "Tỉnh Thanh Hóa", ""}, {"W1", "Phường Hạc Thành", "P38"}, {"W2", "Xã Đông Sơn", "P38"}} {
		kind := org.KindWard
		if u.parent == "" {
			kind = org.KindProvince
		}
		x := org.Unit{Code: u.code, Name: u.name, Kind: kind, ParentID: e.unit[u.parent], ValidFrom: "2025-07-01"}
		if u.code == "P38" {
			x.ValidFrom = "2000-01-01"
		}
		if err := st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		e.unit[u.code] = x.ID
	}
	for _, u := range []struct {
		name string
		role authz.Role
		unit string
	}{{"dieuphoi", authz.RoleCoordinator, "P38"}, {"canbo", authz.RoleUnitOfficer, "W1"}, {"canbo2", authz.RoleUnitOfficer, "W2"}, {"lanhdao", authz.RoleLeader, "P38"}} {
		usr := account.User{Username: u.name, FullName: u.name, PasswordHash: "x"}
		if err := st.CreateUser(ctx, sys, &usr); err != nil {
			t.Fatal(err)
		}
		if err := st.AddGrant(ctx, sys, usr.ID, u.role, e.unit[u.unit]); err != nil {
			t.Fatal(err)
		}
		tok, hash, _ := account.NewToken("")
		csrf, _, _ := account.NewToken("")
		now := st.Now()
		if err := st.CreateSession(ctx, account.Session{TokenHash: hash, UserID: usr.ID, CSRF: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		e.sess[u.name] = [2]string{tok, csrf}
	}
	return e
}

// do sends a request as user (anonymous when ""); a url.Values body is a
// form with the user's CSRF token added.
func (e *penv) do(user, method, path string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case url.Values:
		if user != "" {
			b.Set("csrf", e.sess[user][1])
		}
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case *multipart.Writer:
		panic("use doMultipart")
	}
	r := httptest.NewRequest(method, path, rd)
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	r.Header.Set("Accept-Language", "en")
	if user != "" {
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess[user][0]})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func (e *penv) doMultipart(user, path string, fields map[string]string, fileName string, file []byte) *httptest.ResponseRecorder {
	return e.doMultipartField(user, path, fields, "file", fileName, file)
}

func (e *penv) doMultipartField(user, path string, fields map[string]string, field, fileName string, file []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fields["csrf"] = e.sess[user][1]
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile(field, fileName)
		_, _ = fw.Write(file)
	}
	mw.Close()
	r := httptest.NewRequest("POST", path, &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "en")
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess[user][0]})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func want(t *testing.T, w *httptest.ResponseRecorder, status int, contains ...string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %.2000s", w.Code, status, w.Body.String())
	}
	for _, c := range contains {
		if !strings.Contains(w.Body.String(), c) {
			t.Fatalf("body lacks %q: %.3000s", c, w.Body.String())
		}
	}
}

var idRE = regexp.MustCompile(`/(\d+)`)

func lastID(t *testing.T, loc string) int64 {
	t.Helper()
	m := idRE.FindAllStringSubmatch(loc, -1)
	if len(m) == 0 {
		t.Fatalf("no id in %q", loc)
	}
	var id int64
	fmt.Sscan(m[len(m)-1][1], &id)
	return id
}

func TestProgrammeWebFlow(t *testing.T) {
	e := newPenv(t)
	// Anonymous visitors are sent to sign in.
	if w := e.do("", "GET", "/programme", nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/signin") {
		t.Fatalf("anonymous: %d %s", w.Code, w.Header().Get("Location"))
	}
	want(t, e.do("dieuphoi", "GET", "/programme", nil), 200, "No directives yet.", "/programme/directives/new")
	want(t, e.do("canbo", "GET", "/programme", nil), 200, "Plans of my units", fmt.Sprintf(`href="/programme/units/%d"`, e.unit["W1"]))
	want(t, e.do("canbo", "GET", "/programme/directives/new", nil), 403)
	want(t, e.do("dieuphoi", "GET", "/programme/directives/new", nil), 200, `name="number"`)

	// Validation: messages beside each field, typed values kept.
	form := url.Values{"number": {"bad number"}, "doc_type": {"cv"}, "issued_on": {"2024-02-30"}, "issuer_unit_id": {fmt.Sprint(e.unit["P38"])},
		"lang": {"vi"}, "title": {""}, "signer": {"Lại Thế Nguyên"}}
	want(t, e.do("dieuphoi", "POST", "/programme/directives/new", form), 422, `id="d-number-err"`, `id="d-issued-err"`, `id="d-title-err"`, "Lại Thế Nguyên")
	// An officer may not register a directive.
	form = url.Values{"number": {"1470-CV/TU"}, "doc_type": {"cv"}, "issued_on": {"2024-02-22"}, "issuer_unit_id": {fmt.Sprint(e.unit["P38"])}, "lang": {"ja"}, "title": {"大衆動員"}, "body": {"本文"}}
	want(t, e.do("canbo", "POST", "/programme/directives/new", form), 403)
	w := e.do("dieuphoi", "POST", "/programme/directives/new", form)
	want(t, w, http.StatusSeeOther)
	did := lastID(t, w.Header().Get("Location"))
	want(t, e.do("dieuphoi", "POST", "/programme/directives/new", form), 409, "already registered")
	// A directive with an uploaded file as attachment.
	w = e.doMultipartField("dieuphoi", "/programme/directives/new", map[string]string{"number": "15-KH/TU", "doc_type": "kh", "issued_on": "2024-03-01",
		"issuer_unit_id": fmt.Sprint(e.unit["P38"]), "lang": "vi", "title": "Kế hoạch thực hiện"}, "attach_file", "kế hoạch.txt", []byte("Nội dung kế hoạch"))
	want(t, w, http.StatusSeeOther)
	d2, err := e.st.GetDirective(context.Background(), lastID(t, w.Header().Get("Location")))
	if err != nil || len(d2.Attachments) != 1 || d2.Attachments[0].Size != int64(len("Nội dung kế hoạch")) {
		t.Fatalf("attachment: %+v %v", d2.Attachments, err)
	}
	dl := e.do("canbo", "GET", fmt.Sprintf("/programme/attachments/%d", d2.Attachments[0].ID), nil)
	want(t, dl, 200, "Nội dung kế hoạch")
	if ct, cd := dl.Header().Get("Content-Type"), dl.Header().Get("Content-Disposition"); !strings.HasPrefix(ct, "text/plain") || !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("attachment headers: %q %q", ct, cd)
	}
	if w := e.do("", "GET", fmt.Sprintf("/programme/attachments/%d", d2.Attachments[0].ID), nil); w.Code != http.StatusSeeOther {
		t.Errorf("anonymous attachment: %d", w.Code)
	}

	// Tasks: a Vietnamese translation is added by the store test; here one JA task.
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/tasks", did), url.Values{"number": {"x"}, "lang": {"ja"}, "title": {"t"}}), 422, `id="t-number-err"`)
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/tasks", did), url.Values{"number": {"3"}, "weight": {"2"}, "lang": {"ja"}, "title": {"行政改革"}}), http.StatusSeeOther)
	d, err := e.st.GetDirective(context.Background(), did)
	if err != nil || len(d.Tasks) != 1 {
		t.Fatalf("directive: %+v %v", d, err)
	}
	taskID := d.Tasks[0].ID
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/addressees", did), url.Values{"unit_kind": {"ward"}}), http.StatusSeeOther)
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/addressees", did), url.Values{"unit_kind": {"ward"}, "unit_id": {fmt.Sprint(e.unit["W1"])}}), 422, `id="ad-unit-err"`)
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/assignments", did),
		url.Values{"task_id": {fmt.Sprint(taskID)}, "unit_id": {fmt.Sprint(e.unit["W1"])}, "role": {"lead"}, "due_on": {""}}), 422, `id="a-due-err"`)
	want(t, e.do("canbo", "POST", fmt.Sprintf("/programme/directives/%d/assignments", did),
		url.Values{"task_id": {fmt.Sprint(taskID)}, "unit_id": {fmt.Sprint(e.unit["W1"])}, "role": {"lead"}, "due_on": {"2025-12-31"}}), 403)
	want(t, e.do("dieuphoi", "POST", fmt.Sprintf("/programme/directives/%d/assignments", did),
		url.Values{"task_id": {fmt.Sprint(taskID)}, "unit_id": {fmt.Sprint(e.unit["W1"])}, "role": {"lead"}, "due_on": {"2025-12-31"}}), http.StatusSeeOther)

	// The officer of W1 plans; the officer of W2 may not touch W1's plan.
	act := url.Values{"task_id": {fmt.Sprint(taskID)}, "title": {"Rút gọn thủ tục"}, "start_on": {"2025-07-01"}, "due_on": {"2025-12-31"}, "weight": {"1"}}
	want(t, e.do("canbo2", "POST", fmt.Sprintf("/programme/units/%d/activities", e.unit["W1"]), act), 403)
	want(t, e.do("canbo2", "GET", fmt.Sprintf("/programme/units/%d", e.unit["W1"]), nil), 403)
	if w := e.do("", "GET", fmt.Sprintf("/programme/units/%d", e.unit["W1"]), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("anonymous plan: %d", w.Code)
	}
	bad := url.Values{"task_id": {fmt.Sprint(taskID)}, "title": {"Rút gọn thủ tục"}, "start_on": {"2025-07-01"}, "due_on": {"2025-06-01"}}
	want(t, e.do("canbo", "POST", fmt.Sprintf("/programme/units/%d/activities", e.unit["W1"]), bad), 422, `id="n-due-err"`, "Rút gọn thủ tục")
	w = e.do("canbo", "POST", fmt.Sprintf("/programme/units/%d/activities", e.unit["W1"]), act)
	want(t, w, http.StatusSeeOther)
	acts, _ := e.st.UnitActivities(context.Background(), e.unit["W1"])
	if len(acts) != 1 {
		t.Fatalf("activities: %+v", acts)
	}
	aid := acts[0].ID
	page := e.do("canbo", "GET", fmt.Sprintf("/programme/units/%d", e.unit["W1"]), nil)
	want(t, page, 200, "Rút gọn thủ tục", "Not started", `name="version" value="1"`)
	want(t, e.do("lanhdao", "GET", fmt.Sprintf("/programme/units/%d", e.unit["W1"]), nil), 200, "Rút gọn thủ tục")

	// Progress with an evidence file; then a stale form keeps its text and answers 409.
	w = e.doMultipart("canbo", fmt.Sprintf("/programme/activities/%d/progress", aid),
		map[string]string{"percent": "30", "note": "Đã rà soát", "version": "1"}, "biên bản.pdf", []byte("%PDF-1.4 test"))
	want(t, w, http.StatusSeeOther)
	w = e.doMultipart("canbo", fmt.Sprintf("/programme/activities/%d/progress", aid),
		map[string]string{"percent": "35", "note": "Ghi chú tôi vừa gõ", "version": "1"}, "", nil)
	want(t, w, http.StatusConflict, "Someone else updated this activity", "Ghi chú tôi vừa gõ", `name="version" value="2"`)
	want(t, e.doMultipart("canbo", fmt.Sprintf("/programme/activities/%d/progress", aid), map[string]string{"percent": "150", "version": "2"}, "", nil), 422, fmt.Sprintf(`id="p%d-pct-err"`, aid))
	want(t, e.doMultipart("canbo2", fmt.Sprintf("/programme/activities/%d/progress", aid), map[string]string{"percent": "50", "version": "2"}, "", nil), 403)
	a, _ := e.st.GetActivity(context.Background(), aid)
	if a.Progress != 30 || a.Version != 2 {
		t.Fatalf("after: %+v", a)
	}
	ups, _ := e.st.UnitUpdates(context.Background(), e.unit["W1"], 10)
	if len(ups) != 1 || ups[0].FileID == 0 {
		t.Fatalf("updates: %+v", ups)
	}
	dl = e.do("lanhdao", "GET", fmt.Sprintf("/programme/evidence/%d", ups[0].FileID), nil)
	want(t, dl, 200, "%PDF-1.4 test")
	if ct := dl.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := dl.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''bi%C3%AAn%20b%E1%BA%A3n.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	want(t, e.do("canbo2", "GET", fmt.Sprintf("/programme/evidence/%d", ups[0].FileID), nil), 403)

	// The directive page: original JA text (no translation in English yet), tasks with roll-up, per-unit table.
	page = e.do("lanhdao", "GET", fmt.Sprintf("/programme/directives/%d", did), nil)
	want(t, page, 200, "1470-CV/TU", "大衆動員", "Original text in Japanese", "Phường Hạc Thành", "30 %")
	if strings.Contains(page.Body.String(), `action="/programme/directives/`) {
		t.Error("a leader sees management forms")
	}
	want(t, e.do("dieuphoi", "GET", fmt.Sprintf("/programme/directives/%d", did), nil), 200, `action="/programme/directives/`)
	want(t, e.do("dieuphoi", "GET", "/programme/directives/999999", nil), 404)
}

// TestProgrammeWebInput: bad characters are refused beside their field with
// what was typed kept; a task goes to several units in one post; uploaded
// files come back as downloads typed by their bytes.
func TestProgrammeWebInput(t *testing.T) {
	e := newPenv(t)
	form := url.Values{"number": {"1470-CV/TU"}, "doc_type": {"cv"}, "issued_on": {"2024-02-22"}, "issuer_unit_id": {fmt.Sprint(e.unit["P38"])},
		"lang": {"vi"}, "title": {"Về việc\x00dân vận"}, "signer": {"Lại Thế Nguyên"}}
	want(t, e.do("dieuphoi", "POST", "/programme/directives/new", form), 422, `id="d-title-err"`, "Lại Thế Nguyên", "not allowed")
	form.Set("title", "Về việc dân vận")
	form.Set("signer", "L\xffi")
	want(t, e.do("dieuphoi", "POST", "/programme/directives/new", form), 422, `id="d-signer-err"`)
	form.Set("signer", "Lại Thế Nguyên")
	form.Set("issued_on", "2101-01-01")
	want(t, e.do("dieuphoi", "POST", "/programme/directives/new", form), 422, `id="d-issued-err"`)
	form.Set("issued_on", "2024-02-22")
	w := e.do("dieuphoi", "POST", "/programme/directives/new", form)
	want(t, w, http.StatusSeeOther)
	did := lastID(t, w.Header().Get("Location"))
	path := fmt.Sprintf("/programme/directives/%d", did)
	want(t, e.do("dieuphoi", "POST", path+"/tasks", url.Values{"number": {"2147483648"}, "lang": {"vi"}, "title": {"t"}}), 422, `id="t-number-err"`, "between 1 and 999")
	want(t, e.do("dieuphoi", "POST", path+"/tasks", url.Values{"number": {"1"}, "weight": {"NaN"}, "lang": {"vi"}, "title": {"t"}}), 422, `id="t-weight-err"`)
	want(t, e.do("dieuphoi", "POST", path+"/tasks", url.Values{"number": {"1"}, "weight": {"1,5"}, "lang": {"vi"}, "title": {"Cải cách"}}), http.StatusSeeOther)
	want(t, e.do("dieuphoi", "POST", path+"/tasks", url.Values{"number": {"1"}, "lang": {"vi"}, "title": {"Lặp lại"}}), http.StatusConflict, "already has a task", "Lặp lại")
	vw, err := e.st.GetDirective(context.Background(), did)
	if err != nil || len(vw.Tasks) != 1 || vw.Tasks[0].Weight != 1.5 {
		t.Fatalf("tasks: %+v %v", vw.Tasks, err)
	}
	taskID := fmt.Sprint(vw.Tasks[0].ID)

	// Several units in one post; then every ward under the issuer.
	asg := url.Values{"task_id": {taskID}, "unit_id": {fmt.Sprint(e.unit["W1"]), fmt.Sprint(e.unit["W2"])}, "role": {"cooperate"}, "due_on": {"2025-12-31"}}
	want(t, e.do("dieuphoi", "POST", path+"/assignments", asg), http.StatusSeeOther)
	want(t, e.do("dieuphoi", "POST", path+"/assignments", url.Values{"task_id": {taskID}, "unit_kind": {"ward"}, "role": {"lead"}, "due_on": {"2024-01-01"}}), 422, `id="a-due-err"`)
	want(t, e.do("dieuphoi", "POST", path+"/assignments", url.Values{"task_id": {taskID}, "unit_kind": {"ward"}, "role": {"lead"}, "due_on": {"2026-03-31"}}), http.StatusSeeOther)
	want(t, e.do("dieuphoi", "POST", path+"/assignments", url.Values{"task_id": {taskID}, "unit_id": {"abc"}, "role": {"lead"}, "due_on": {"2026-03-31"}}), 422, `id="a-unit-err"`)
	vw, _ = e.st.GetDirective(context.Background(), did)
	if as := vw.Tasks[0].Assignments; len(as) != 2 || as[0].Role != "lead" || as[1].Role != "lead" || as[0].DueOn != "2026-03-31" {
		t.Fatalf("assignments: %+v", as)
	}

	// An activity, then progress with a script named like an image.
	act := url.Values{"task_id": {taskID}, "title": {"Đối thoại"}, "start_on": {"2025-07-01"}, "due_on": {"2025-12-31"}, "owner": {"Văn\x07phòng"}}
	want(t, e.do("canbo", "POST", fmt.Sprintf("/programme/units/%d/activities", e.unit["W1"]), act), 422, `id="n-owner-err"`, "Đối thoại")
	act.Set("owner", "Văn phòng")
	want(t, e.do("canbo", "POST", fmt.Sprintf("/programme/units/%d/activities", e.unit["W1"]), act), http.StatusSeeOther)
	acts, _ := e.st.UnitActivities(context.Background(), e.unit["W1"])
	if len(acts) != 1 {
		t.Fatalf("activities: %+v", acts)
	}
	aid := acts[0].ID
	want(t, e.doMultipart("canbo", fmt.Sprintf("/programme/activities/%d/progress", aid), map[string]string{"percent": "20", "version": "1", "note": "a\x00b"}, "", nil),
		422, fmt.Sprintf(`id="p%d-note-err"`, aid))
	want(t, e.doMultipart("canbo", fmt.Sprintf("/programme/activities/%d/progress", aid), map[string]string{"percent": "20"}, "", nil), http.StatusConflict)
	want(t, e.doMultipart("canbo", fmt.Sprintf("/programme/activities/%d/progress", aid), map[string]string{"percent": "20", "version": "1"}, "ảnh.png",
		[]byte("<html><script>alert(1)</script></html>")), http.StatusSeeOther)
	ups, _ := e.st.UnitUpdates(context.Background(), e.unit["W1"], 1)
	if len(ups) != 1 || ups[0].FileID == 0 {
		t.Fatalf("updates: %+v", ups)
	}
	dl := e.do("canbo", "GET", fmt.Sprintf("/programme/evidence/%d", ups[0].FileID), nil)
	want(t, dl, 200)
	if h := dl.Header(); !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
		t.Errorf("download headers: %v", h)
	}
	want(t, e.do("canbo", "GET", "/programme/evidence/999999", nil), 404)
	want(t, e.do("canbo", "GET", "/programme/units/999999", nil), 404)
}
