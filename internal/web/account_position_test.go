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

// TestAccountPosition: the account page sets the position (chức vụ) that
// signature blocks print; a too long one answers 422 with the message
// beside the field and keeps what was typed.
func TestAccountPosition(t *testing.T) {
	e := newUenv(t)
	ctx := context.Background()
	u := account.User{Username: "hai", FullName: "Lê Văn Hải", PasswordHash: "x"}
	if err := e.st.CreateUser(ctx, audit.System("test"), &u); err != nil {
		t.Fatal(err)
	}
	tok, th, err := account.NewToken("")
	if err != nil {
		t.Fatal(err)
	}
	now := e.st.Now()
	if err := e.st.CreateSession(ctx, account.Session{TokenHash: th, UserID: u.ID, CSRF: "csrf-" + tok[:8], CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	post := func(pos string) *httptest.ResponseRecorder {
		form := url.Values{"csrf": {"csrf-" + tok[:8]}, "position": {pos}}
		r := httptest.NewRequest("POST", "/account/position", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "192.0.2.40:5000"
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: tok})
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		return w
	}
	if w := post("Phó Giám đốc"); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account?flash=documents.position_saved" {
		t.Fatalf("save: %d %q", w.Code, w.Header().Get("Location"))
	}
	if si, err := e.st.Signer(ctx, u.ID); err != nil || si.Position != "Phó Giám đốc" {
		t.Errorf("stored position %+v %v", si, err)
	}
	code, body := e.get("/account?flash=documents.position_saved", "192.0.2.40", "vi", tok)
	if code != 200 || !strings.Contains(body, `value="Phó Giám đốc"`) || !strings.Contains(body, "Đã lưu chức vụ.") || !strings.Contains(body, `<label for="pos">Chức vụ</label>`) {
		t.Errorf("account page: %d", code)
	}
	long := strings.Repeat("Phó ", 30)
	w := post(long)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `aria-invalid="true"`) || !strings.Contains(w.Body.String(), strings.TrimSpace(long)) {
		t.Errorf("too long: %d", w.Code)
	}
	if si, _ := e.st.Signer(ctx, u.ID); si.Position != "Phó Giám đốc" {
		t.Errorf("a refused position was stored: %q", si.Position)
	}
}
