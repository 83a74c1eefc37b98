package web_test

import (
	"context"
	"fmt"
	"github.com/danvan/danvan/internal/service/servicetest"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store/storetest"
	"github.com/danvan/danvan/internal/web"
)

// TestProgrammeDemoPages loads the demo and reads its programme pages in
// Vietnamese: the directive is the Vietnamese working text with no
// translation mark, and its Japanese source version is marked as a
// translation; the ward's plan shows status badges as text.
func TestProgrammeDemoPages(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := &server.Deps{Svc: servicetest.New(t, st), Cfg: config.Default(), I18n: b, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy: account.DefaultPolicy, Version: "test", Metrics: server.NewMetrics()}
	w, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux, d)
	w.Register(mux)
	h := d.Wrap(mux)
	get := func(user, path, lang string) *httptest.ResponseRecorder {
		t.Helper()
		u, err := st.UserByName(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		tok, hash, _ := account.NewToken("")
		now := st.Now()
		if err := st.CreateSession(ctx, account.Session{TokenHash: hash, UserID: u.ID, CSRF: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Accept-Language", lang)
		r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: tok})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	ds, err := st.ListDirectives(ctx)
	if err != nil || len(ds) != 1 {
		t.Fatalf("%v %v", ds, err)
	}
	// Vietnamese is the working text: no translation mark on the list, the
	// directive or its tasks; one note names the source; the Japanese
	// source version is offered, marked as a translation.
	page := get("lanhdao", "/programme", "vi")
	want(t, page, 200, "1470-CV/TU")
	if strings.Contains(page.Body.String(), `<span class="badge">Bản dịch</span>`) {
		t.Error("the directive list marks the Vietnamese working text as a translation")
	}
	page = get("lanhdao", fmt.Sprintf("/programme/directives/%d", ds[0].ID), "vi")
	want(t, page, 200, "Năm tăng cường công tác dân vận", "Nguồn: bản tin", "Tiếng Nhật (Bản dịch)", "Phường Hạc Thành", "Quá hạn", "Hoàn thành")
	if body := page.Body.String(); strings.Contains(body, "Xem bản gốc") || strings.Contains(body, "Bản dịch</span>") {
		t.Error("the directive page marks the Vietnamese working text or its tasks as a translation")
	}
	want(t, get("lanhdao", fmt.Sprintf("/programme/directives/%d?text=ja", ds[0].ID), "ja"), 200, `lang="ja"`, "省党常務委員会は", "原文を表示")
	hac, err := st.UnitByCode(ctx, "14797", demo.ReformDay)
	if err != nil {
		t.Fatal(err)
	}
	page = get("canbo", fmt.Sprintf("/programme/units/%d", hac.ID), "en")
	want(t, page, 200, "Plan of Phường Hạc Thành", "Assigned tasks", "Done", `name="version"`, "Save progress")
	if !strings.Contains(page.Body.String(), "canbo") {
		t.Error("the updates do not name the officer who posted them")
	}
	// Another ward's officer would be refused; the demo has none, so check a leader reads but cannot edit.
	page = get("lanhdao", fmt.Sprintf("/programme/units/%d", hac.ID), "en")
	want(t, page, 200, "Plan of Phường Hạc Thành")
	if strings.Contains(page.Body.String(), "Save progress") {
		t.Error("a leader is offered the progress form")
	}
}
