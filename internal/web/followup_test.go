package web_test

import (
	"context"
	"fmt"
	"github.com/danvan/danvan/internal/service/servicetest"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/app"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

type fuEnv struct {
	t     *testing.T
	st    *store.Store
	h     http.Handler
	units map[string]int64
	users map[string]int64
	sess  map[string][2]string // cookie, csrf
}

func newFuEnv(t *testing.T) *fuEnv {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	now := time.Date(2026, 4, 10, 3, 0, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return now })
	e := &fuEnv{t: t, st: st, units: map[string]int64{}, users: map[string]int64{}, sess: map[string][2]string{}}
	sys := audit.System("test")
	for _, u := range []struct{ code, name, parent string }{{"P38", "Tỉnh Thanh Hóa", ""}, {"W1", "Phường Hạc Thành", "P38"}, {"W2", "Xã Đông Sơn", "P38"}} {
		kind := org.KindWard
		if u.parent == "" {
			kind = org.KindProvince
		}
		x := org.Unit{Code: u.code, Name: u.name, Kind: kind, ParentID: e.units[u.parent], ValidFrom: "2025-07-01"}
		if err := st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		e.units[u.code] = x.ID
	}
	for _, u := range []struct {
		name string
		role authz.Role
		unit string
	}{{"dieuphoi", authz.RoleCoordinator, "P38"}, {"canbo", authz.RoleUnitOfficer, "W1"}, {"xa", authz.RoleUnitHead, "W2"}} {
		acc := account.User{Username: u.name, FullName: "Đồng chí " + u.name, PasswordHash: "x"}
		if err := st.CreateUser(ctx, sys, &acc); err != nil {
			t.Fatal(err)
		}
		if err := st.AddGrant(ctx, sys, acc.ID, u.role, e.units[u.unit]); err != nil {
			t.Fatal(err)
		}
		e.users[u.name] = acc.ID
		tok, hash, _ := account.NewToken("")
		csrf, _, _ := account.NewToken("")
		s := account.Session{TokenHash: hash, UserID: acc.ID, CSRF: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := st.CreateSession(ctx, s, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		e.sess[u.name] = [2]string{tok, csrf}
	}
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
	var ready atomic.Bool
	ready.Store(true)
	if e.h, err = app.Handler(d, &ready); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *fuEnv) req(method, path, user string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		form = cloneValues(form)
		if user != "" && form.Get("csrf") == "" {
			form.Set("csrf", e.sess[user][1])
		}
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if user != "" {
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess[user][0]})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func (e *fuEnv) expect(w *httptest.ResponseRecorder, code int, want ...string) {
	e.t.Helper()
	if w.Code != code {
		e.t.Fatalf("status %d, want %d: %s", w.Code, code, w.Body.String())
	}
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) && !strings.Contains(w.Header().Get("Location"), s) {
			e.t.Errorf("response lacks %q:\n%s", s, w.Body.String())
		}
	}
}

func TestWebUrgesAndNotifications(t *testing.T) {
	e := newFuEnv(t)
	w1 := fmt.Sprint(e.units["W1"])
	e.expect(e.req("GET", "/notifications", "", nil), http.StatusSeeOther, "/signin")
	e.expect(e.req("GET", "/notifications", "canbo", nil), http.StatusOK, "Chưa có thông báo nào.")
	e.expect(e.req("GET", "/urges", "canbo", nil), http.StatusOK, "Chưa có đôn đốc nào.")
	msg := "Đề nghị phường gửi ngay báo cáo quý I/2026."
	// A unit officer may not urge; a coordinator may; the CSRF token is required.
	e.expect(e.req("POST", "/urges", "canbo", url.Values{"unit_id": {w1}, "message": {msg}}), http.StatusForbidden)
	e.expect(e.req("POST", "/urges", "dieuphoi", url.Values{"unit_id": {w1}, "message": {msg}, "csrf": {"wrong"}}), http.StatusForbidden)
	e.expect(e.req("POST", "/urges", "dieuphoi", url.Values{"unit_id": {w1}, "message": {""}}), http.StatusUnprocessableEntity, "Vui lòng sửa")
	e.expect(e.req("POST", "/urges", "dieuphoi", url.Values{"unit_id": {w1}, "message": {msg}, "period_type": {"quarterly"}, "period_year": {"2026"}, "period_number": {"1"},
		"next": {"/reports/completeness?template=1"}}), http.StatusSeeOther, "/reports/completeness?template=1&flash=followup.urge.sent")
	e.expect(e.req("GET", "/urges", "canbo", nil), http.StatusOK, msg, "quý 1/2026", "Đồng chí dieuphoi")
	// Without next, back to the page the form was on (same host only).
	r := httptest.NewRequest("POST", "/urges", strings.NewReader(url.Values{"unit_id": {w1}, "message": {"Lần 2"}, "csrf": {e.sess["dieuphoi"][1]}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Referer", "http://example.com/reports/completeness?template=3&flash=x")
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.sess["dieuphoi"][0]})
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	e.expect(rec, http.StatusSeeOther, "/reports/completeness?template=3&flash=followup.urge.sent")
	e.expect(e.req("GET", "/urges", "xa", nil), http.StatusOK, "Chưa có đôn đốc nào.")
	ns, _, _ := e.st.ListNotifications(context.Background(), e.users["canbo"], false, 10, 0)
	if len(ns) != 2 || ns[0].Kind != followup.KindUrge {
		t.Fatalf("notifications %+v", ns)
	}
	e.expect(e.req("GET", "/notifications?lang=en", "canbo", nil), http.StatusOK, "Unread: 2", "Đôn đốc: báo cáo quý 1/2026 — Phường Hạc Thành")
	e.expect(e.req("POST", fmt.Sprintf("/notifications/%d/read", ns[0].ID), "xa", url.Values{}), http.StatusNotFound)
	e.expect(e.req("POST", fmt.Sprintf("/notifications/%d/read", ns[0].ID), "canbo", url.Values{"open": {"1"}}), http.StatusSeeOther, fmt.Sprintf("/urges#urge-"))
	if n, _ := e.st.UnreadCount(context.Background(), e.users["canbo"]); n != 1 {
		t.Fatalf("unread %d", n)
	}
	e.expect(e.req("POST", "/notifications/read-all", "canbo", url.Values{}), http.StatusSeeOther)
	e.expect(e.req("GET", "/notifications?unread=1", "canbo", nil), http.StatusOK, "Không có thông báo chưa đọc.")
}

func TestWebInspections(t *testing.T) {
	e := newFuEnv(t)
	w1, w2, p38 := fmt.Sprint(e.units["W1"]), fmt.Sprint(e.units["W2"]), fmt.Sprint(e.units["P38"])
	e.expect(e.req("GET", "/inspections", "canbo", nil), http.StatusOK, "Chưa có cuộc kiểm tra, giám sát nào.")
	e.expect(e.req("GET", "/inspections/new", "canbo", nil), http.StatusForbidden)
	e.expect(e.req("GET", "/inspections/new", "dieuphoi", nil), http.StatusOK, `name="unit_ids"`)
	plan := url.Values{"kind": {"inspection"}, "topic": {"Kiểm tra Quy chế dân chủ"}, "lead_unit_id": {p38}, "unit_ids": {w1},
		"start_on": {"2026-03-02"}, "end_on": {"2026-03-13"}, "team": {"Vũ Thị Lan"}, "members": {"nobody"}}
	e.expect(e.req("POST", "/inspections", "canbo", plan), http.StatusForbidden)
	e.expect(e.req("POST", "/inspections", "dieuphoi", plan), http.StatusUnprocessableEntity, "Có tên đăng nhập không tồn tại.")
	plan.Set("members", "")
	w := e.req("POST", "/inspections", "dieuphoi", plan)
	e.expect(w, http.StatusSeeOther, "flash=followup.inspections.created")
	loc1 := strings.Split(w.Header().Get("Location"), "?")[0]
	plan2 := url.Values{"kind": {"supervision"}, "topic": {"Giám sát tiếp công dân"}, "lead_unit_id": {p38}, "unit_ids": {w2}, "start_on": {"2026-03-02"}, "end_on": {"2026-03-03"}}
	loc2 := strings.Split(e.req("POST", "/inspections", "dieuphoi", plan2).Header().Get("Location"), "?")[0]
	e.expect(e.req("GET", "/inspections", "canbo", nil), http.StatusOK, "Kiểm tra Quy chế dân chủ")
	if strings.Contains(e.req("GET", "/inspections", "canbo", nil).Body.String(), "Giám sát tiếp công dân") {
		t.Error("W1's officer sees W2's supervision")
	}
	e.expect(e.req("GET", loc2, "canbo", nil), http.StatusForbidden)
	e.expect(e.req("GET", loc1, "canbo", nil), http.StatusOK, "Chưa ghi kết quả nào.")
	e.expect(e.req("POST", loc1+"/findings", "canbo", url.Values{"unit_id": {w1}, "text": {"x"}}), http.StatusForbidden)
	e.expect(e.req("POST", loc1+"/findings", "dieuphoi", url.Values{"unit_id": {w2}, "text": {"x"}}), http.StatusUnprocessableEntity)
	e.expect(e.req("POST", loc1+"/findings", "dieuphoi", url.Values{"unit_id": {w1}, "text": {"Chưa niêm yết công khai đầy đủ."}}), http.StatusSeeOther)
	e.expect(e.req("POST", loc1+"/recommendations", "dieuphoi", url.Values{"unit_id": {w1}, "text": {"Niêm yết đầy đủ."}, "owner": {"Văn phòng"}, "due_on": {"2026-03-31"}}), http.StatusSeeOther)
	page := e.req("GET", loc1, "canbo", nil)
	e.expect(page, http.StatusOK, "Chưa niêm yết công khai đầy đủ.", "Niêm yết đầy đủ.", "Quá hạn", "Báo cáo kết quả thực hiện")
	in, _, _ := e.st.ListInspections(context.Background(), store.Scope{All: true}, "2026-04-10", 10, 0)
	var recID int64
	for _, x := range in {
		full, _ := e.st.GetInspection(context.Background(), x.ID, "2026-04-10")
		for _, r := range full.Recs {
			recID = r.ID
		}
	}
	e.expect(e.req("POST", fmt.Sprintf("/recommendations/%d/response", recID), "xa", url.Values{"response": {"x"}, "done": {"1"}}), http.StatusForbidden)
	e.expect(e.req("POST", fmt.Sprintf("/recommendations/%d/response", recID), "canbo", url.Values{"response": {""}, "done": {"1"}}), http.StatusSeeOther, "followup.rec.response_required")
	e.expect(e.req("POST", fmt.Sprintf("/recommendations/%d/response", recID), "canbo", url.Values{"response": {"Đã niêm yết ngày 5/4/2026."}, "done": {"1"}}), http.StatusSeeOther)
	page = e.req("GET", loc1, "dieuphoi", nil)
	e.expect(page, http.StatusOK, "Đã niêm yết ngày 5/4/2026.", "Đã hoàn thành")
	if strings.Contains(page.Body.String(), `<span class="badge">Quá hạn</span>`) {
		t.Error("closed recommendation still marked overdue")
	}
	e.expect(e.req("POST", loc1+"/status", "dieuphoi", url.Values{"status": {"finished"}}), http.StatusSeeOther)
	e.expect(e.req("GET", "/inspections?lang=ja", "dieuphoi", nil), http.StatusOK, "終了", "監督")
}

// TestWebUrgeKeepsTextAndBadBytes: a refused urge shows the form again with
// what was typed; NUL bytes and invalid UTF-8 in inspection fields are
// refused with 422.
func TestWebUrgeKeepsTextAndBadBytes(t *testing.T) {
	e := newFuEnv(t)
	w1, p38 := fmt.Sprint(e.units["W1"]), fmt.Sprint(e.units["P38"])
	typed := "Đề nghị phường gửi báo cáo tháng 13 — giữ nguyên chữ đã gõ"
	w := e.req("POST", "/urges", "dieuphoi", url.Values{"unit_id": {w1}, "message": {typed}, "period_type": {"monthly"}, "period_year": {"2147483648"}, "period_number": {"13"},
		"next": {"/dashboard"}})
	e.expect(w, http.StatusUnprocessableEntity, typed, `name="period_year" value="2147483648"`, `name="next" value="/dashboard"`)
	e.expect(e.req("POST", "/urges", "dieuphoi", url.Values{"unit_id": {w1}, "message": {"a\x00b"}}), http.StatusUnprocessableEntity)
	plan := url.Values{"kind": {"inspection"}, "topic": {"Kiểm tra"}, "lead_unit_id": {p38}, "unit_ids": {w1},
		"start_on": {"2026-03-02"}, "end_on": {"2026-03-13"}, "team": {"a\x00b"}}
	e.expect(e.req("POST", "/inspections", "dieuphoi", plan), http.StatusUnprocessableEntity, "Kiểm tra")
	plan.Set("team", "a\xffb")
	e.expect(e.req("POST", "/inspections", "dieuphoi", plan), http.StatusUnprocessableEntity)
	plan.Set("team", "Vũ Thị Lan")
	loc := strings.Split(e.req("POST", "/inspections", "dieuphoi", plan).Header().Get("Location"), "?")[0]
	e.expect(e.req("POST", loc+"/findings", "dieuphoi", url.Values{"unit_id": {w1}, "text": {"a\x00b"}}), http.StatusUnprocessableEntity)
	e.expect(e.req("POST", loc+"/recommendations", "dieuphoi", url.Values{"unit_id": {w1}, "text": {"x"}, "owner": {"\xc3"}, "due_on": {"2026-03-31"}}), http.StatusUnprocessableEntity)
	if in, _, _ := e.st.ListInspections(context.Background(), store.Scope{All: true}, "2026-04-10", 10, 0); len(in) != 1 {
		t.Fatalf("%d plans stored, want 1", len(in))
	}
}
