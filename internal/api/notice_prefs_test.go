package api_test

import (
	"fmt"
	"testing"

	"github.com/danvan/danvan/internal/api"
)

func TestNoticePrefsAPI(t *testing.T) {
	e := newEnv(t)
	const path = "/api/v1/me/notice-preferences"
	problem(t, e.do("GET", path, nil), 401, "unauthenticated")

	got := decode[api.NoticePrefs](t, e.do("GET", path, nil, e.as("canbo")), 200)
	if got.UserID != e.user["canbo"] || len(got.Preferences) == 0 {
		t.Fatalf("defaults: %+v", got)
	}
	for _, p := range got.Preferences {
		if !p.Email {
			t.Fatalf("default %s off", p.Kind)
		}
	}

	body := map[string]any{"preferences": []map[string]any{{"kind": "report_returned", "email": false}}}
	got = decode[api.NoticePrefs](t, e.do("PUT", path, body, e.as("canbo")), 200)
	for _, p := range got.Preferences {
		if p.Email != (p.Kind != "report_returned") {
			t.Fatalf("after PUT: %+v", got.Preferences)
		}
	}
	// An unknown kind changes nothing.
	bad := map[string]any{"preferences": []map[string]any{{"kind": "report_accepted", "email": false}, {"kind": "gossip", "email": false}}}
	problem(t, e.do("PUT", path, bad, e.as("canbo")), 422, "validation")
	got = decode[api.NoticePrefs](t, e.do("GET", path, nil, e.as("canbo")), 200)
	for _, p := range got.Preferences {
		if p.Kind == "report_accepted" && !p.Email {
			t.Fatal("a refused PUT changed report_accepted")
		}
	}
	problem(t, e.do("PUT", path, map[string]any{"prefs": 1}, e.as("canbo")), 400, "unknown-field")

	// An administrator reads another person's choice; others may not.
	other := fmt.Sprintf("%s?user=%d", path, e.user["canbo"])
	if got := decode[api.NoticePrefs](t, e.do("GET", other, nil, e.as("admin")), 200); got.UserID != e.user["canbo"] || got.Preferences[1].Email {
		t.Errorf("admin reads canbo's: %+v", got)
	}
	problem(t, e.do("GET", other, nil, e.as("truong")), 403, "forbidden")
	problem(t, e.do("GET", path+"?user=x", nil, e.as("admin")), 400, "invalid-parameter")
}
