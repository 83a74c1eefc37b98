package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
)

func TestCaseStatsPages(t *testing.T) {
	e := newUenv(t)
	svc := servicetest.New(t, e.st)
	for i := range 6 {
		in := service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: e.unit["W"], Title: "Đường làng xuống cấp", Description: "Mặt đường hư hỏng nặng."}
		if i == 0 {
			in.Identity = &service.CaseIdentity{Name: "Trần Thị Mai", Phone: "0911222444"}
		}
		if _, err := svc.Cases.Submit(context.Background(), service.SystemPrincipal(), in); err != nil {
			t.Fatal(err)
		}
	}

	// The public scorecard: the commune with its figures, no case content.
	code, body := e.get("/bang-diem", "192.0.2.5", "vi", "")
	if code != http.StatusOK || !strings.Contains(body, "Xã Đông Sơn") || !strings.Contains(body, "Xã, phường") || !strings.Contains(body, `data-label="Tiếp nhận">6<`) {
		t.Fatalf("scorecard: %d %s", code, body)
	}
	for _, s := range []string{"Đường làng", "Trần Thị Mai", "0911222444", "TH-"} {
		if strings.Contains(body, s) {
			t.Fatalf("scorecard shows %q", s)
		}
	}
	if code, _ := e.get("/bang-diem?year=abc", "192.0.2.5", "vi", ""); code != http.StatusUnprocessableEntity {
		t.Fatalf("bad year: %d", code)
	}
	if _, body := e.get("/", "192.0.2.5", "vi", ""); !strings.Contains(body, `href="/bang-diem"`) {
		t.Fatal("home page does not link the scorecard")
	}

	// The handlers' figures and the prolonged cases need case.read.
	if code, _ := e.get("/cases/stats", "192.0.2.5", "vi", ""); code != http.StatusSeeOther {
		t.Fatalf("anonymous stats: %d", code)
	}
	coord := e.session("dieuphoi", authz.RoleCoordinator)
	citizen := e.session("congdan", authz.RoleCitizen)
	code, body = e.get("/cases/stats", "192.0.2.5", "vi", coord)
	if code != http.StatusOK || !strings.Contains(body, `<table class="cards">`) || !strings.Contains(body, "Phản ánh") || !strings.Contains(body, "Xã Đông Sơn") {
		t.Fatalf("stats: %d %s", code, body)
	}
	if !strings.Contains(body, `href="/cases/stats.csv?`) {
		t.Fatal("no CSV link")
	}
	code, body = e.get("/cases/stats.csv", "192.0.2.5", "vi", coord)
	if code != http.StatusOK || !strings.Contains(body, "Theo đơn vị,Xã Đông Sơn,6,0,0,,,") || strings.Contains(body, "Đường làng") {
		t.Fatalf("csv: %d %s", code, body)
	}
	if code, body = e.get("/cases/stats.xlsx", "192.0.2.5", "vi", coord); code != http.StatusOK || !strings.HasPrefix(body, "PK") {
		t.Fatalf("xlsx: %d", code)
	}
	if code, _ := e.get("/cases/stats.csv", "192.0.2.5", "vi", citizen); code != http.StatusForbidden {
		t.Fatalf("citizen csv: %d", code)
	}
	code, body = e.get("/cases/stats?from=2026-02-01&to=2025-01-01", "192.0.2.5", "en", coord)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="cs-to-err"`) {
		t.Fatalf("bad period: %d %s", code, body)
	}
	if code, body = e.get("/cases/prolonged", "192.0.2.5", "vi", coord); code != http.StatusOK || !strings.Contains(body, "Vụ việc kéo dài") {
		t.Fatalf("prolonged: %d", code)
	}
	if code, _ := e.get("/cases/prolonged", "192.0.2.5", "vi", citizen); code != http.StatusForbidden {
		t.Fatalf("citizen prolonged: %d", code)
	}
	if code, _ := e.get("/cases/stats?unit=abc", "192.0.2.5", "vi", coord); code != http.StatusNotFound {
		t.Fatalf("bad unit: %d", code)
	}
}
