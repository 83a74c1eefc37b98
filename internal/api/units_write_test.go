package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/danvan/danvan/internal/api"
)

func TestUnitWritesAPI(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"parent_id": e.unit["P38"], "name": "Phường Mới", "kind": "ward", "code": "99001", "valid_from": "2025-08-01"}
	for _, who := range []string{"dieuphoi", "truong", "canbo"} {
		if w := e.do("POST", api.Prefix+"/units", body, e.as(who)); w.Code != http.StatusForbidden {
			t.Errorf("%s: %d", who, w.Code)
		}
	}
	u := decode[api.Unit](t, e.do("POST", api.Prefix+"/units", body, e.as("admin")), 201)
	if u.ID == 0 || u.Name != "Phường Mới" || u.ParentID == nil || *u.ParentID != e.unit["P38"] {
		t.Fatalf("%+v", u)
	}
	if w := e.do("POST", api.Prefix+"/units", map[string]any{"name": "x", "kind": "ward", "valid_from": "2025-02-30"}, e.as("admin")); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d", w.Code)
	}
	body["name"] = "Phường Mới Sửa"
	u = decode[api.Unit](t, e.do("PUT", fmt.Sprintf("%s/units/%d", api.Prefix, u.ID), body, e.as("admin")), 200)
	if u.Name != "Phường Mới Sửa" {
		t.Errorf("update: %+v", u)
	}
	if w := e.do("PUT", api.Prefix+"/units/999999", body, e.as("admin")); w.Code != http.StatusNotFound {
		t.Errorf("unknown: %d", w.Code)
	}
	closed := decode[api.Unit](t, e.do("POST", fmt.Sprintf("%s/units/%d/close", api.Prefix, u.ID),
		map[string]any{"valid_to": "2025-12-31", "successors": []map[string]any{{"unit_id": e.unit["W1"], "portion": "full"}}}, e.as("admin")), 200)
	if closed.ValidTo == nil || *closed.ValidTo != "2025-12-31" {
		t.Errorf("close: %+v", closed)
	}
	d := decode[api.UnitDetail](t, e.do("GET", fmt.Sprintf("%s/units/%d?at=2025-12-31", api.Prefix, u.ID), nil), 200)
	if len(d.Successors) != 1 || d.Successors[0].UnitID != e.unit["W1"] {
		t.Errorf("successors: %+v", d.Successors)
	}
	if w := e.do("POST", fmt.Sprintf("%s/units/%d/close", api.Prefix, u.ID), map[string]any{"valid_to": "2026-01-31"}, e.as("admin")); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("closed twice: %d", w.Code)
	}
}
