package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/service"
)

func TestCaseStatsAPI(t *testing.T) {
	e := newEnv(t)
	e.addHandler("xuly1", "W1")
	e.addHandler("xuly2", "W2")
	for range 5 {
		body := map[string]any{"kind": "feedback", "place_unit_id": e.unit["W1"], "title": "Rác thải chưa thu gom", "description": "Điểm tập kết rác quá tải.",
			"identity": map[string]any{"name": "Phạm Văn Hùng", "email": "hung@example.vn"}}
		decode[service.Submitted](t, e.do("POST", "/api/v1/cases", body, e.as("xuly1")), 201)
	}

	// The figures of W1 for its handler; W2's handler may not ask for W1.
	rep := decode[service.CaseStatsReport](t, e.do("GET", "/api/v1/cases/stats?unit="+strconv.FormatInt(e.unit["W1"], 10), nil, e.as("xuly1")), 200)
	if rep.Total.Received != 5 || rep.Total.Handled != 0 || rep.Total.OnTimeRate != -1 || len(rep.Kinds) != 1 || rep.Kinds[0].Key != "feedback" {
		t.Fatalf("stats: %+v", rep)
	}
	problem(t, e.do("GET", "/api/v1/cases/stats?unit="+strconv.FormatInt(e.unit["W1"], 10), nil, e.as("xuly2")), 403, "forbidden")
	problem(t, e.do("GET", "/api/v1/cases/stats?unit=x", nil, e.as("xuly1")), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/cases/stats?from=2026-13-01", nil, e.as("xuly1")), 422, "validation")
	problem(t, e.do("GET", "/api/v1/cases/stats", nil), 401, "unauthenticated")

	// Prolonged: none yet.
	w := e.do("GET", "/api/v1/cases/prolonged", nil, e.as("xuly1"))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"items":[]`) {
		t.Fatalf("prolonged: %d %s", w.Code, w.Body.String())
	}
	problem(t, e.do("GET", "/api/v1/cases/prolonged", nil), 401, "unauthenticated")

	// The public scorecard: aggregates only.
	w = e.do("GET", "/api/v1/public/scorecard", nil)
	card := decode[service.Scorecard](t, w, 200)
	if len(card.Communes)+len(card.Agencies) != 1 {
		t.Fatalf("scorecard: %s", w.Body.String())
	}
	for _, s := range []string{"Rác thải", "Phạm Văn Hùng", "hung@example.vn", "TH-"} {
		if strings.Contains(w.Body.String(), s) {
			t.Fatalf("scorecard carries %q: %s", s, w.Body.String())
		}
	}
	problem(t, e.do("GET", "/api/v1/public/scorecard?year=1990", nil), 422, "validation")
	problem(t, e.do("GET", "/api/v1/public/scorecard?year=abc", nil), 400, "invalid-parameter")
}
