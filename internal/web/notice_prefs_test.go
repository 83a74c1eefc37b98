package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestAccountNoticePrefs: the account page offers one box per kind of
// notice, all ticked at first; saving with "returned" unticked keeps that
// choice, shown again on the page.
func TestAccountNoticePrefs(t *testing.T) {
	e := newFuEnv(t)
	w := e.req("GET", "/account", "canbo", nil)
	e.expect(w, 200, "Nhận thông báo qua thư điện tử", "Báo cáo bị trả lại", `name="email" value="report_returned" checked`, `action="/account/notices"`)

	form := url.Values{"email": {"report_submitted", "report_accepted", "urge"}}
	w = e.req("POST", "/account/notices", "canbo", form)
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/account?flash=notices.saved") {
		t.Fatalf("save: %d %q", w.Code, w.Header().Get("Location"))
	}
	prefs, err := e.st.NoticeEmailPrefs(context.Background(), e.users["canbo"])
	if err != nil {
		t.Fatal(err)
	}
	if prefs["report_returned"] || !prefs["report_accepted"] || !prefs["urge"] || prefs["inspection_opened"] {
		t.Fatalf("stored: %v", prefs)
	}
	w = e.req("GET", "/account?flash=notices.saved", "canbo", nil)
	e.expect(w, 200, "Đã lưu lựa chọn", `value="report_accepted" checked`)
	if strings.Contains(w.Body.String(), `value="report_returned" checked`) {
		t.Error("returned still ticked after unticking it")
	}
	// Another person's choice is untouched.
	if prefs, _ := e.st.NoticeEmailPrefs(context.Background(), e.users["xa"]); len(prefs) != 0 {
		t.Errorf("xa's prefs changed: %v", prefs)
	}
	// Without the CSRF token, or signed out, nothing is saved.
	if w := e.req("POST", "/account/notices", "canbo", url.Values{"csrf": {"wrong"}}); w.Code != 403 {
		t.Errorf("bad csrf: %d", w.Code)
	}
	if w := e.req("POST", "/account/notices", "", url.Values{}); w.Code < 300 || strings.HasPrefix(w.Header().Get("Location"), "/account") {
		t.Errorf("signed out: %d %q", w.Code, w.Header().Get("Location"))
	}
}
