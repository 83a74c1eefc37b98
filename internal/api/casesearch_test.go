package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/service"
)

func TestCaseSearchAPI(t *testing.T) {
	e := newEnv(t)
	e.addHandler("xuly1", "W1")
	e.addHandler("xuly2", "W2")
	if err := e.d.Svc.Cases.PutCategory(context.Background(), service.SystemPrincipal(), service.CaseCategory{Code: "giao-thong", NameVi: "Giao thông"}); err != nil {
		t.Fatal(err)
	}
	who := map[string]any{"name": "Trần Thị Bình", "phone": "0987654321", "address": "Thôn 3"}
	submit := func(kind, title, desc string) service.Submitted {
		t.Helper()
		return decode[service.Submitted](t, e.do("POST", "/api/v1/cases", map[string]any{"kind": kind, "category": "giao-thong",
			"place_unit_id": e.unit["W1"], "title": title, "description": desc, "identity": who}), 201)
	}
	a := submit("feedback", "Đường bị ngập", "Ông Lê Văn Tám đổ đất lấp cống.")
	b := submit("feedback", "Đường ngập nước", "Cống tắc.")
	c := submit("complaint", "Khiếu nại đường", "Tiền bồi thường thấp.")

	// Public search: diacritic-insensitive, feedback only, no description, no personal data.
	w := e.do("GET", "/api/v1/public/cases?q="+url.QueryEscape("duong ngap"), nil)
	pg := decode[struct {
		Items []service.CaseSummary
		Total int
	}](t, w, 200)
	if pg.Total != 2 || len(pg.Items) != 2 || pg.Items[0].TrackingCode != b.TrackingCode {
		t.Fatalf("public search: %s", w.Body.String())
	}
	for _, s := range []string{"Lê Văn Tám", "Trần", "0987654321", "Thôn 3", c.TrackingCode, "description"} {
		if strings.Contains(w.Body.String(), s) {
			t.Fatalf("public search carries %q: %s", s, w.Body.String())
		}
	}
	problem(t, e.do("GET", "/api/v1/public/cases?place=x", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/public/cases?status=nope", nil), 422, "validation")

	// Handlers: q, from, to on the list; outside the subtree nothing.
	w = e.do("GET", "/api/v1/cases?q=duong&from=2000-01-01", nil, e.as("xuly1"))
	if got := decode[struct{ Total int }](t, w, 200); got.Total != 3 {
		t.Fatalf("handler search: %s", w.Body.String())
	}
	if got := decode[struct{ Total int }](t, e.do("GET", "/api/v1/cases?q=duong", nil, e.as("xuly2")), 200); got.Total != 0 {
		t.Fatalf("other unit finds %d", got.Total)
	}
	problem(t, e.do("GET", "/api/v1/cases?from=01-01-2000", nil, e.as("xuly1")), 422, "validation")

	// Similar before sending.
	w = e.do("GET", fmt.Sprintf("/api/v1/cases/similar?category=giao-thong&place=%d&text=%s", e.unit["W1"], url.QueryEscape("Ngập đường")), nil)
	sim := decode[struct{ Items []service.SimilarCase }](t, w, 200)
	if len(sim.Items) != 2 || strings.Contains(w.Body.String(), c.TrackingCode) {
		t.Fatalf("similar: %s", w.Body.String())
	}
	problem(t, e.do("GET", "/api/v1/cases/similar?category=giao-thong", nil), 422, "validation") // no place
	problem(t, e.do("GET", "/api/v1/cases/similar?category=giao-thong&lat=x", nil), 400, "invalid-parameter")

	// Duplicates by the same person, and merging.
	dpath := fmt.Sprintf("/api/v1/cases/%d/duplicates", b.ID)
	problem(t, e.do("GET", dpath, nil), 401, "unauthenticated")
	problem(t, e.do("GET", dpath, nil, e.as("xuly2")), 403, "forbidden")
	w = e.do("GET", dpath, nil, e.as("xuly1"))
	dups := decode[struct{ Items []service.DuplicateCase }](t, w, 200)
	if len(dups.Items) != 2 || !dups.Items[0].SamePerson || strings.Contains(w.Body.String(), "0987654321") {
		t.Fatalf("duplicates: %s", w.Body.String())
	}
	mpath := fmt.Sprintf("/api/v1/cases/%d/merge", b.ID)
	problem(t, e.do("POST", mpath, map[string]any{"into_id": a.ID, "version": 1}, e.as("xuly2")), 403, "forbidden")
	problem(t, e.do("POST", mpath, map[string]any{"into_id": b.ID, "version": 1}, e.as("xuly1")), 422, "validation")
	problem(t, e.do("POST", mpath, map[string]any{"into_id": a.ID, "version": 9}, e.as("xuly1")), 409, "conflict")
	m := decode[service.Case](t, e.do("POST", mpath, map[string]any{"into_id": a.ID, "version": 1}, e.as("xuly1")), 200)
	if m.Status != service.CaseMerged {
		t.Fatalf("merged: %+v", m)
	}
	pub := decode[service.PublicCase](t, e.do("GET", "/api/v1/tracking/"+b.TrackingCode, nil), 200)
	if last := pub.History[len(pub.History)-1]; pub.Status != "merged" || last.Action != "merge" || last.Note != a.TrackingCode {
		t.Fatalf("public view of the merged case: %+v", pub)
	}
}
