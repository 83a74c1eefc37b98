package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
)

// addUser gives the dashboard environment one more signed-in user.
func (e *denv) addUser(name string, role authz.Role, unit string) {
	e.t.Helper()
	ctx, sys := context.Background(), audit.System("test")
	usr := account.User{Username: name, FullName: name, PasswordHash: "x"}
	if err := e.st.CreateUser(ctx, sys, &usr); err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.AddGrant(ctx, sys, usr.ID, role, e.unit[unit]); err != nil {
		e.t.Fatal(err)
	}
	tok, th, _ := account.NewToken("")
	csrf, _, _ := account.NewToken("")
	now := e.st.Now()
	if err := e.st.CreateSession(ctx, account.Session{TokenHash: th, UserID: usr.ID, CSRF: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
		e.t.Fatal(err)
	}
	e.sess[name] = tok
}

// TestHomePerRole: visitors and users without a role see the public home,
// leaders land on the dashboard, officers see "my work".
func TestHomePerRole(t *testing.T) {
	e := newDenv(t)
	for _, user := range []string{"", "khach"} {
		w := e.get(user, "/", "vi")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `class="hero"`) || strings.Contains(w.Body.String(), "Việc của tôi</h1>") {
			t.Errorf("%q: public home expected, got %d", user, w.Code)
		}
	}
	if w := e.get("lanhdao", "/", "vi"); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard" {
		t.Errorf("leader: %d → %q", w.Code, w.Header().Get("Location"))
	}
	for _, user := range []string{"canbo", "truong", "dieuphoi"} {
		w := e.get(user, "/", "vi")
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, "<h1>Việc của tôi</h1>") || strings.Contains(body, `class="hero"`) {
			t.Fatalf("%s: my work expected, got %d", user, w.Code)
		}
		for _, empty := range []string{"Không có báo cáo nào bị trả lại.", "Không có báo cáo nào chờ xem xét.", "Không có thông báo mới."} {
			if !strings.Contains(body, empty) {
				t.Errorf("%s: empty state %q missing", user, empty)
			}
		}
	}
	// The same work as JSON.
	w := e.get("canbo", "/api/v1/me/work", "")
	var work map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &work); w.Code != http.StatusOK || err != nil {
		t.Fatalf("api: %d %v", w.Code, err)
	}
	for _, k := range []string{"today", "due", "returned", "review", "overdue", "notices", "unread", "urges"} {
		if _, ok := work[k]; !ok {
			t.Errorf("api: no %q in %s", k, w.Body)
		}
	}
	if work["today"] != "2026-03-20" {
		t.Errorf("api today: %v", work["today"])
	}
	if code := e.get("", "/api/v1/me/work", "").Code; code != http.StatusUnauthorized {
		t.Errorf("anonymous api: %d", code)
	}
}

// TestMenuMatrix: the menu offers a section exactly when the section opens
// for the user (no link leads to a refusal).
func TestMenuMatrix(t *testing.T) {
	e := newDenv(t)
	e.addUser("quantri", authz.RoleAdmin, "P38")
	e.addUser("congdan", authz.RoleCitizen, "W1")
	links := []string{"/dashboard", "/programme", "/reports", "/inspections", "/admin/users", "/admin/audit"}
	want := map[string][]string{
		"quantri":  links,
		"dieuphoi": {"/dashboard", "/programme", "/reports", "/inspections"},
		"lanhdao":  {"/dashboard", "/programme", "/reports", "/inspections"},
		"truong":   {"/dashboard", "/programme", "/reports", "/inspections"},
		"canbo":    {"/programme", "/reports", "/inspections"},
		"congdan":  {},
		"khach":    {},
	}
	for user, shown := range want {
		w := e.get(user, "/notifications", "vi")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: /notifications %d", user, w.Code)
		}
		body := w.Body.String()
		nav := body[strings.Index(body, "<nav"):strings.Index(body, "</nav>")]
		for _, l := range links {
			has := strings.Contains(nav, `href="`+l+`"`)
			if has != contains(shown, l) {
				t.Errorf("%s: menu link %s shown %v", user, l, has)
			}
			if code := e.get(user, l, "vi").Code; has && code != http.StatusOK {
				t.Errorf("%s: menu link %s answers %d", user, l, code)
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
