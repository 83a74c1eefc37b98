package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/server"
)

// TestAccountPasswordChange: POST /account/password keeps the session that
// made the change signed in and ends the user's other sessions; a wrong
// current password answers 422 and changes nothing.
func TestAccountPasswordChange(t *testing.T) {
	e := newUenv(t)
	ctx, sys := context.Background(), audit.System("test")
	hash, err := account.HashPassword("mật khẩu cũ đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	u := account.User{Username: "lan", FullName: "Nguyễn Thị Lan", PasswordHash: hash}
	if err := e.st.CreateUser(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	session := func() string {
		tok, th, err := account.NewToken("")
		if err != nil {
			t.Fatal(err)
		}
		now := e.st.Now()
		if err := e.st.CreateSession(ctx, account.Session{TokenHash: th, UserID: u.ID, CSRF: "csrf-" + tok[:8], CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	other, this := session(), session()
	post := func(current, next string) *httptest.ResponseRecorder {
		form := url.Values{"csrf": {"csrf-" + this[:8]}, "current": {current}, "new": {next}}
		r := httptest.NewRequest("POST", "/account/password", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Accept-Language", "en")
		r.RemoteAddr = "192.0.2.30:5000"
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: this})
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		return w
	}
	if w := post("not the password", "mật khẩu mới hoàn toàn"); w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current password: %d", w.Code)
	}
	if code, _ := e.get("/account", "192.0.2.30", "en", other); code != 200 {
		t.Fatalf("other session after a refused change: %d", code)
	}
	w := post("mật khẩu cũ đủ dài", "mật khẩu mới hoàn toàn")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account?flash=account.password_changed" {
		t.Fatalf("change: %d %q", w.Code, w.Header().Get("Location"))
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == server.SessionCookie {
			t.Errorf("the session cookie was replaced: %+v", c)
		}
	}
	code, body := e.get("/account?flash=account.password_changed", "192.0.2.30", "en", this)
	if code != 200 || !strings.Contains(body, "Your other sessions were signed out") {
		t.Errorf("the changing session: %d", code)
	}
	if code, _ := e.get("/account", "192.0.2.30", "en", other); code == 200 {
		t.Error("the other session is still signed in")
	}
}

// TestTimesShownInVietnam: the audit log shows its instants in Vietnam time
// (the store clock reads 03:00 UTC, 10:00 in Vietnam).
func TestTimesShownInVietnam(t *testing.T) {
	e := newUenv(t)
	code, body := e.get("/admin/audit", "192.0.2.31", "en", e.admin)
	if code != 200 {
		t.Fatalf("audit log: %d", code)
	}
	local := testNow.In(time.FixedZone("UTC+7", 7*3600))
	want := `<time datetime="` + local.Format(time.RFC3339) + `">` + local.Format("02/01/2006 15:04") + `</time>`
	if !strings.Contains(body, want) {
		t.Errorf("audit log times are not marked up in Vietnam time: want %s", want)
	}
	if strings.Contains(body, testNow.Format("02/01/2006 15:04")) {
		t.Error("audit log shows UTC times")
	}
}

// TestAuditInWords: the audit log names actions, objects and changed fields
// in the reader's language, not as codes or raw JSON.
func TestAuditInWords(t *testing.T) {
	e := newUenv(t)
	code, body := e.get("/admin/audit", "192.0.2.32", "vi", e.admin)
	if code != 200 {
		t.Fatalf("audit log: %d", code)
	}
	for _, want := range []string{"Tạo tài khoản", "Tài khoản #", "Tên đăng nhập", "Nội dung thay đổi"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	if i := strings.Index(body, "{&#34;"); i >= 0 { // JSON as html/template escapes it
		t.Errorf("audit log shows raw JSON: %s", body[i:min(len(body), i+80)])
	}
}
