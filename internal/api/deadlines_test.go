package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/legal"
)

func TestCalendarDeadlineAPI(t *testing.T) {
	e := newEnv(t)
	got := decode[api.DeadlineAnswer](t, e.do("GET", api.Prefix+"/calendar/deadline?start=2026-02-13&rule=denunciation.accept", nil), 200)
	if got.Due != "2026-03-03" || got.Start != "2026-02-13" || got.Rule != "denunciation.accept" || got.Days != 7 || !got.WorkingDays ||
		got.Remote || got.EffectiveFrom != "2019-01-01" || !strings.Contains(got.Basis, "25/2018/QH14") {
		t.Errorf("denunciation.accept across Tết: %+v", got)
	}
	got = decode[api.DeadlineAnswer](t, e.do("GET", api.Prefix+"/calendar/deadline?start=2026-03-02&rule=complaint.resolve.second.complex&remote=1", nil), 200)
	if got.Due != "2026-05-11" || got.Days != 70 || !got.Remote || got.WorkingDays {
		t.Errorf("remote: %+v", got)
	}
	got = decode[api.DeadlineAnswer](t, e.do("GET", api.Prefix+"/calendar/deadline?start=2026-03-02&rule=complaint.resolve.second.complex&remote=0", nil), 200)
	if got.Due != "2026-05-04" || got.Days != 60 {
		t.Errorf("remote=0: %+v", got)
	}
	for q, field := range map[string]string{
		"?rule=complaint.accept":                             "start",
		"?start=&rule=complaint.accept":                      "start",
		"?start=2026-02-30&rule=complaint.accept":            "start",
		"?start=13/02/2026&rule=complaint.accept":            "start",
		"?start=1800-01-01&rule=complaint.accept":            "start",
		"?start=2026-02-13":                                  "rule",
		"?start=2026-02-13&rule=no.such":                     "rule",
		"?start=2026-02-13&rule=complaint.accept&remote=yes": "remote",
		"?start=2010-01-04&rule=denunciation.accept":         "start", // before Law 25/2018
	} {
		w := e.do("GET", api.Prefix+"/calendar/deadline"+q, nil)
		if w.Code != http.StatusBadRequest || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("deadline%s: %d %s", q, w.Code, w.Body.String())
			continue
		}
		var p api.ProblemDetails
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Message == "" {
			t.Errorf("deadline%s: %+v, %v", q, p, err)
		}
	}
}

func TestCalendarRulesAPI(t *testing.T) {
	e := newEnv(t)
	list := decode[api.DeadlineRules](t, e.do("GET", api.Prefix+"/calendar/rules?on=2026-06-01", nil), 200)
	if list.On != "2026-06-01" || len(list.Items) != len(legal.Defaults()) {
		t.Fatalf("rules: %+v", list)
	}
	if w := e.do("GET", api.Prefix+"/calendar/rules?on=x", nil); w.Code != http.StatusBadRequest {
		t.Errorf("bad on: %d", w.Code)
	}
	body := map[string]any{"key": "complaint.accept", "name": "Thụ lý khiếu nại", "days": 7, "working_days": true,
		"effective_from": "2027-01-01", "basis": "Nghị định thử"}
	for _, who := range []string{"canbo", "dieuphoi"} {
		if w := e.do("POST", api.Prefix+"/calendar/rules", body, e.as(who)); w.Code != http.StatusForbidden {
			t.Errorf("%s: %d", who, w.Code)
		}
	}
	if w := e.do("POST", api.Prefix+"/calendar/rules", body); w.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", w.Code)
	}
	added := decode[api.DeadlineRule](t, e.do("POST", api.Prefix+"/calendar/rules", body, e.as("admin")), 201)
	if added.Key != "complaint.accept" || added.Days != 7 || added.EffectiveFrom != "2027-01-01" {
		t.Errorf("added: %+v", added)
	}
	if w := e.do("POST", api.Prefix+"/calendar/rules", body, e.as("admin")); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("same effective date again: %d %s", w.Code, w.Body.String())
	}
	bad := map[string]any{"key": "Bad Key", "name": "x", "days": 400, "effective_from": "2027-01-01", "basis": "x"}
	if w := e.do("POST", api.Prefix+"/calendar/rules", bad, e.as("admin")); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("bad input: %d %s", w.Code, w.Body.String())
	}
	got := decode[api.DeadlineAnswer](t, e.do("GET", api.Prefix+"/calendar/deadline?start=2027-01-04&rule=complaint.accept", nil), 200)
	if got.Days != 7 || got.EffectiveFrom != "2027-01-01" || got.Due != "2027-01-13" {
		t.Errorf("new version not used: %+v", got)
	}
	got = decode[api.DeadlineAnswer](t, e.do("GET", api.Prefix+"/calendar/deadline?start=2026-12-31&rule=complaint.accept", nil), 200)
	if got.Days != 10 {
		t.Errorf("old version not used before the effective date: %+v", got)
	}
}
