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
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
	"github.com/danvan/danvan/internal/web"
)

// TestReportsDemoPages reads the demo's report pages in all three
// languages: every text comes from the catalogs.
func TestReportsDemoPages(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC) })
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
	hac, _ := st.UnitByCode(ctx, "14797", demo.ReformDay)
	mine, _, err := st.ListReports(ctx, store.ReportFilter{Own: []int64{hac.ID}, Status: report.Draft})
	if err != nil || len(mine) == 0 {
		t.Fatalf("Hạc Thành has no draft: %v", err)
	}
	tpl, _ := st.TemplateByCode(ctx, demo.MonthlyTemplate)
	for _, lang := range []string{"vi", "en", "ja"} {
		want(t, get("canbo", "/reports", lang), 200, "Phường Hạc Thành")
		want(t, get("canbo", fmt.Sprintf("/reports/%d", mine[0].ID), lang), 200, `name="v.participants.female"`, `hx-post=`)
		want(t, get("dieuphoi", fmt.Sprintf("/reports/completeness?template=%d&year=2026&number=10", tpl.ID), lang), 200, `action="/urges"`)
		want(t, get("dieuphoi", "/reports/templates", lang), 200, demo.MonthlyTemplate, demo.QuarterlyTemplate)
		want(t, get("dieuphoi", fmt.Sprintf("/reports/templates/%d/edit", tpl.ID), lang), 200, "cases_resolved_on_time")
	}
	page := get("dieuphoi", "/reports?status=submitted", "vi").Body.String()
	if !strings.Contains(page, "Đã gửi, chờ xem xét") {
		t.Error("no submitted report awaiting review in the coordinator's list")
	}
	if m := b.Missing(); len(m) > 0 {
		t.Errorf("missing i18n keys: %q", m)
	}
}
