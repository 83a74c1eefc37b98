package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/danvan/danvan/internal/api"
)

func TestCalendarHolidaysAPI(t *testing.T) {
	e := newEnv(t)
	h := decode[api.Holidays](t, e.do("GET", api.Prefix+"/calendar/holidays?year=2025", nil, header("Accept-Language", "en")), 200)
	if h.Year != 2025 || len(h.Items) == 0 {
		t.Fatalf("%+v", h)
	}
	byDate := map[string]api.Holiday{}
	for _, x := range h.Items {
		byDate[x.Date] = x
	}
	for date, want := range map[string]string{"2025-01-01": "new_year", "2025-01-27": "extra", "2025-01-29": "tet", "2025-02-08": "working_weekend", "2025-09-02": "national_day"} {
		if got := byDate[date]; got.Kind != want || got.Name == "" {
			t.Errorf("%s: %+v, want kind %s", date, got, want)
		}
	}
	if got := byDate["2025-01-27"]; len(got.Sources) != 1 || got.Sources[0].Source == "" {
		t.Errorf("27 Jan sources: %+v", got.Sources)
	}
	if got := byDate["2025-09-02"]; got.Name != "National Day" || len(got.Sources) != 0 {
		t.Errorf("2 Sep: %+v", got)
	}
	if _, ok := byDate["2025-01-04"]; ok {
		t.Error("an ordinary Saturday is listed")
	}
	for _, q := range []string{"", "?year=abc", "?year=1800", "?year=2025-01"} {
		w := e.do("GET", api.Prefix+"/calendar/holidays"+q, nil)
		if w.Code != http.StatusBadRequest || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("holidays%s: %d %s", q, w.Code, w.Body.String())
		}
	}
}

func TestCalendarLunarAPI(t *testing.T) {
	e := newEnv(t)
	l := decode[api.LunarAnswer](t, e.do("GET", api.Prefix+"/calendar/lunar?date=2026-02-17", nil), 200)
	if l.Date != "2026-02-17" || l.Lunar != (api.LunarDate{Day: 1, Month: 1, Year: 2026}) {
		t.Errorf("%+v", l)
	}
	// 2023 had a leap second month: 2023-03-22 is its first day.
	l = decode[api.LunarAnswer](t, e.do("GET", api.Prefix+"/calendar/lunar?date=2023-03-22", nil), 200)
	if l.Lunar != (api.LunarDate{Day: 1, Month: 2, Year: 2023, Leap: true}) {
		t.Errorf("leap: %+v", l)
	}
	for _, q := range []string{"", "?date=2026-02-30", "?date=17/02/2026", "?date=1800-01-01"} {
		w := e.do("GET", api.Prefix+"/calendar/lunar"+q, nil)
		if w.Code != http.StatusBadRequest || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("lunar%s: %d %s", q, w.Code, w.Body.String())
		}
	}
}

func TestCalendarDecisionsAPI(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"year": 2027, "kind": "extra", "from": "2027-02-11", "to": "2027-02-12", "source": "Thông báo thử", "source_url": "https://example.gov.vn/tb"}
	for _, who := range []string{"canbo", "dieuphoi"} {
		if w := e.do("POST", api.Prefix+"/calendar/decisions", body, e.as(who)); w.Code != http.StatusForbidden {
			t.Errorf("%s: %d", who, w.Code)
		}
	}
	if w := e.do("POST", api.Prefix+"/calendar/decisions", body); w.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", w.Code)
	}
	got := decode[api.Decisions](t, e.do("POST", api.Prefix+"/calendar/decisions", body, e.as("admin")), 201)
	if len(got.Items) != 2 || got.Items[0].Day == nil || *got.Items[0].Day != "2027-02-11" {
		t.Fatalf("%+v", got)
	}
	w := e.do("POST", api.Prefix+"/calendar/decisions", map[string]any{"year": 2027, "kind": "working", "from": "2027-02-10", "source": "x"}, e.as("admin"))
	if w.Code != http.StatusUnprocessableEntity {
		t.Errorf("working weekday: %d %s", w.Code, w.Body.String())
	}
	list := decode[api.Decisions](t, e.do("GET", api.Prefix+"/calendar/decisions?year=2027", nil), 200)
	if len(list.Items) != 2 {
		t.Errorf("list: %+v", list)
	}
	h := decode[api.Holidays](t, e.do("GET", api.Prefix+"/calendar/holidays?year=2027", nil), 200)
	found := false
	for _, x := range h.Items {
		found = found || (x.Date == "2027-02-12" && x.Kind == "extra" && len(x.Sources) == 1)
	}
	if !found {
		t.Errorf("decided day not in holidays: %+v", h.Items)
	}
	id := list.Items[0].ID
	if w := e.do("DELETE", fmt.Sprintf("%s/calendar/decisions/%d", api.Prefix, id), nil, e.as("canbo")); w.Code != http.StatusForbidden {
		t.Errorf("officer delete: %d", w.Code)
	}
	if w := e.do("DELETE", fmt.Sprintf("%s/calendar/decisions/%d", api.Prefix, id), nil, e.as("admin")); w.Code != http.StatusNoContent {
		t.Errorf("delete: %d", w.Code)
	}
	if w := e.do("DELETE", fmt.Sprintf("%s/calendar/decisions/%d", api.Prefix, id), nil, e.as("admin")); w.Code != http.StatusNotFound {
		t.Errorf("second delete: %d", w.Code)
	}
}
