package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
)

type unitPage struct {
	At     string     `json:"at"`
	Items  []api.Unit `json:"items"`
	Total  int        `json:"total"`
	Limit  int        `json:"limit"`
	Offset int        `json:"offset"`
	Next   *string    `json:"next"`
}

func names(us []api.Unit) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Name)
	}
	return out
}

func TestUnitsBeforeAndAfterReform(t *testing.T) {
	e := newEnv(t)
	before := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-06-30", nil), 200)
	want := []string{"Tỉnh Thanh Hóa", "Thành phố Thanh Hóa", "Phường Điện Biên", "Phường Lam Sơn", "Huyện Đông Sơn", "Xã Đông Hòa", "Xã Đông Tiến"}
	if got := names(before.Items); !slices.Equal(got, want) {
		t.Fatalf("2025-06-30: %q, want %q (depth-first)", got, want)
	}
	if before.Total != 7 || before.At != "2025-06-30" || before.Next != nil {
		t.Fatalf("envelope: %+v", before)
	}
	for _, u := range before.Items {
		depth := map[string]int{"P38": 0, "D380": 1, "D391": 1}[*u.Code]
		if strings.HasPrefix(*u.Code, "C") {
			depth = 2
		}
		if u.Depth == nil || *u.Depth != depth {
			t.Errorf("%s depth %v, want %d", u.Name, u.Depth, depth)
		}
		if (u.ParentID == nil) != (depth == 0) {
			t.Errorf("%s parent_id %v", u.Name, u.ParentID)
		}
	}
	if p := before.Items[2].ParentID; p == nil || *p != e.unit["D380"] {
		t.Errorf("Điện Biên's parent = %v, want %d", p, e.unit["D380"])
	}

	after := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-07-01", nil), 200)
	if got, want := names(after.Items), []string{"Tỉnh Thanh Hóa", "Phường Hạc Thành", "Xã Đông Sơn"}; !slices.Equal(got, want) {
		t.Fatalf("2025-07-01: %q, want %q", got, want)
	}
	if after.Items[1].ValidTo != nil || after.Items[1].ValidFrom != "2025-07-01" {
		t.Errorf("validity: %+v", after.Items[1])
	}
	// Without ?at: today in Vietnam. 18:30 UTC on 30 June is already 1 July there.
	e.st.SetClock(func() time.Time { return time.Date(2025, 6, 30, 18, 30, 0, 0, time.UTC) })
	today := decode[unitPage](t, e.do("GET", "/api/v1/units", nil), 200)
	if today.At != "2025-07-01" || today.Total != 3 {
		t.Fatalf("default date: at=%s total=%d, want 2025-07-01 and 3", today.At, today.Total)
	}
	e.st.SetClock(func() time.Time { return time.Date(2025, 6, 30, 16, 30, 0, 0, time.UTC) })
	if today := decode[unitPage](t, e.do("GET", "/api/v1/units", nil), 200); today.At != "2025-06-30" {
		t.Fatalf("default date at 23:30 in Vietnam: %s", today.At)
	}
}

func TestUnitsRootKindAndWholeTree(t *testing.T) {
	e := newEnv(t)
	sub := decode[unitPage](t, e.do("GET", fmt.Sprintf("/api/v1/units?at=2025-06-30&root=%d", e.unit["D391"]), nil), 200)
	if got := names(sub.Items); !slices.Equal(got, []string{"Huyện Đông Sơn", "Xã Đông Hòa", "Xã Đông Tiến"}) || *sub.Items[0].Depth != 0 {
		t.Fatalf("root subtree: %q", got)
	}
	communes := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-06-30&kind=commune", nil), 200)
	if got := names(communes.Items); !slices.Equal(got, []string{"Xã Đông Hòa", "Xã Đông Tiến"}) || communes.Total != 2 {
		t.Fatalf("kind=commune: %q", got)
	}
	all := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-06-30&limit=all", nil), 200)
	if len(all.Items) != 7 || all.Total != 7 || all.Limit != 7 || all.Next != nil {
		t.Fatalf("limit=all: %d items, %+v", len(all.Items), all)
	}
	// The subtree endpoint answers the whole subtree, flat or nested.
	flat := decode[unitPage](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d/subtree?at=2025-06-30&limit=1", e.unit["P38"]), nil), 200)
	if len(flat.Items) != 7 || flat.Next != nil {
		t.Fatalf("subtree: %d items", len(flat.Items))
	}
	type node struct {
		api.Unit
		Children []node `json:"children"`
	}
	type tree struct {
		At    string `json:"at"`
		Items []node `json:"items"`
		Total int    `json:"total"`
	}
	for _, path := range []string{"/api/v1/units?at=2025-06-30&tree=1", fmt.Sprintf("/api/v1/units/%d/subtree?at=2025-06-30&tree=1", e.unit["P38"])} {
		tr := decode[tree](t, e.do("GET", path, nil), 200)
		if tr.Total != 7 || len(tr.Items) != 1 {
			t.Fatalf("%s: total %d, %d roots", path, tr.Total, len(tr.Items))
		}
		p := tr.Items[0]
		if len(p.Children) != 2 || p.Children[0].Name != "Thành phố Thanh Hóa" || len(p.Children[0].Children) != 2 || p.Children[1].Children[1].Name != "Xã Đông Tiến" {
			t.Fatalf("%s: nested tree wrong: %+v", path, tr)
		}
		if p.Children[0].Children[0].Children == nil {
			t.Fatalf("leaves must have children: []")
		}
	}
	problem(t, e.do("GET", "/api/v1/units?tree=1&kind=ward", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?root=999999", nil), 404, "not-found")
	problem(t, e.do("GET", "/api/v1/units/999999/subtree", nil), 404, "not-found")
}

func TestUnitsPagination(t *testing.T) {
	e := newEnv(t)
	var seen []string
	next := "/api/v1/units?at=2025-06-30&limit=3"
	pages := 0
	for next != "" {
		p := decode[unitPage](t, e.do("GET", next, nil), 200)
		pages++
		if p.Total != 7 || p.Limit != 3 {
			t.Fatalf("page %d: %+v", pages, p)
		}
		seen = append(seen, names(p.Items)...)
		next = ""
		if p.Next != nil {
			u, err := url.Parse(*p.Next)
			if err != nil || u.Query().Get("at") != "2025-06-30" || u.Query().Get("offset") != fmt.Sprint(p.Offset+3) {
				t.Fatalf("next link %q keeps the query and moves the offset", *p.Next)
			}
			next = *p.Next
		}
	}
	if pages != 3 || len(seen) != 7 {
		t.Fatalf("%d pages, %d units", pages, len(seen))
	}
	p := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-06-30&limit=3&page=3", nil), 200)
	if p.Offset != 6 || len(p.Items) != 1 || p.Next != nil {
		t.Fatalf("page=3: %+v", p)
	}
	if p := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-06-30&limit=100000", nil), 200); p.Limit != api.MaxLimit {
		t.Fatalf("limit is capped at %d, got %d", api.MaxLimit, p.Limit)
	}
	if p := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-06-30&offset=50", nil), 200); len(p.Items) != 0 || p.Next != nil || p.Items == nil {
		t.Fatalf("past the end: %+v", p)
	}
	for _, q := range []string{"limit=0", "limit=-1", "limit=abc", "offset=-3", "offset=x", "page=0", "page=2&offset=1", "limit=all&offset=2"} {
		p := problem(t, e.do("GET", "/api/v1/units?"+q, nil), 400, "invalid-parameter")
		if len(p.Errors) != 1 {
			t.Errorf("%s: %+v", q, p)
		}
	}
}

func TestUnitSearchWithoutDiacritics(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"hac thanh", []string{"Phường Hạc Thành"}},
		{"Hạc Thành", []string{"Phường Hạc Thành"}},
		{"HAC THANH", []string{"Phường Hạc Thành"}},
		{"dong", []string{"Huyện Đông Sơn", "Xã Đông Hòa", "Xã Đông Sơn", "Xã Đông Tiến"}},
		{"đông sơn", []string{"Huyện Đông Sơn", "Xã Đông Sơn"}},
		{"100%", nil},
	} {
		p := decode[unitPage](t, e.do("GET", "/api/v1/units?q="+url.QueryEscape(c.q), nil), 200)
		if got := names(p.Items); !slices.Equal(got, c.want) || p.Total != len(c.want) {
			t.Errorf("q=%q: %q (total %d), want %q", c.q, got, p.Total, c.want)
		}
	}
	// With a date, only the units valid then.
	p := decode[unitPage](t, e.do("GET", "/api/v1/units?q=dong&at=2025-07-01", nil), 200)
	if got := names(p.Items); !slices.Equal(got, []string{"Xã Đông Sơn"}) {
		t.Errorf("q=dong at 2025-07-01: %q", got)
	}
	p = decode[unitPage](t, e.do("GET", "/api/v1/units?q=dong&kind=district", nil), 200)
	if got := names(p.Items); !slices.Equal(got, []string{"Huyện Đông Sơn"}) {
		t.Errorf("q=dong kind=district: %q", got)
	}
	p = decode[unitPage](t, e.do("GET", "/api/v1/units?q=dong&limit=2", nil), 200)
	if p.Total != 4 || len(p.Items) != 2 || p.Next == nil || !strings.Contains(*p.Next, "q=dong") {
		t.Errorf("search paging: %+v", p)
	}
	problem(t, e.do("GET", "/api/v1/units?q=dong&tree=1", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?q=dong&limit=all", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?q=a%00b", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?q=%ff%fe", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?q="+strings.Repeat("a", 201), nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?q="+strings.Repeat("%C4%91", 201), nil), 400, "invalid-parameter")
	// 200 characters are allowed, whatever their bytes.
	decode[unitPage](t, e.do("GET", "/api/v1/units?q="+strings.Repeat("%C4%91", 200), nil), 200)
}

func TestUnitDetail(t *testing.T) {
	e := newEnv(t)
	d := decode[api.UnitDetail](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d?at=2025-06-30", e.unit["C1"]), nil), 200)
	if d.Name != "Phường Điện Biên" || !d.ValidAt || d.At != "2025-06-30" {
		t.Fatalf("detail: %+v", d)
	}
	if got := names(d.Path); !slices.Equal(got, []string{"Tỉnh Thanh Hóa", "Thành phố Thanh Hóa"}) {
		t.Errorf("path: %q", got)
	}
	if len(d.Successors) != 1 || d.Successors[0].UnitID != e.unit["W1"] || d.Successors[0].Name != "Phường Hạc Thành" || d.Successors[0].Effective != "2025-07-01" {
		t.Errorf("successors: %+v", d.Successors)
	}
	if d.Children == nil || len(d.Predecessors) != 0 || d.Predecessors == nil {
		t.Errorf("empty lists must be [], not null: %+v", d)
	}
	// Today (1 Aug 2025) the ward is gone; the detail still answers.
	if d := decode[api.UnitDetail](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d", e.unit["C1"]), nil), 200); d.ValidAt {
		t.Errorf("C1 is not valid on %s", d.At)
	}
	w1 := decode[api.UnitDetail](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d", e.unit["W1"]), nil), 200)
	var preds []string
	for _, l := range w1.Predecessors {
		preds = append(preds, l.Name)
	}
	slices.Sort(preds) // the store orders by raw name
	if !slices.Equal(preds, []string{"Phường Lam Sơn", "Phường Điện Biên"}) {
		t.Errorf("predecessors: %q", preds)
	}
	p38 := decode[api.UnitDetail](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d?at=2025-06-30", e.unit["P38"]), nil), 200)
	if got := names(p38.Children); !slices.Equal(got, []string{"Thành phố Thanh Hóa", "Huyện Đông Sơn"}) || len(p38.Path) != 0 {
		t.Errorf("province children on 2025-06-30: %q", got)
	}
	for _, path := range []string{"/api/v1/units/abc", "/api/v1/units/0", "/api/v1/units/-1", "/api/v1/units/99999999", "/api/v1/units/99999999999999999999999", "/api/v1/units/1.5/subtree"} {
		problem(t, e.do("GET", path, nil), 404, "not-found")
	}
	for _, at := range []string{"2025-13-01", "2025-02-30", "yesterday", "2025-7-1", "20250701"} {
		p := problem(t, e.do("GET", fmt.Sprintf("/api/v1/units/%d?at=%s", e.unit["P38"], at), nil), 400, "invalid-parameter")
		if !slices.Equal(fields(p), []string{"at"}) {
			t.Errorf("at=%s: fields %q", at, fields(p))
		}
		problem(t, e.do("GET", "/api/v1/units?at="+at, nil), 400, "invalid-parameter")
	}
	problem(t, e.do("GET", "/api/v1/units?kind=galaxy", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?root=abc", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/units?tree=maybe", nil), 400, "invalid-parameter")
}

// TestWholeTreeOfThousands: an installation's few thousand units come back
// in one call, flat or nested.
func TestWholeTreeOfThousands(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 5000 units")
	}
	e := newEnv(t)
	rows := []org.ImportRow{{Line: 1, Code: "BIG", Name: "Tỉnh Lớn", Kind: org.KindProvince, ValidFrom: "2000-01-01"}}
	for d := range 50 {
		dc := fmt.Sprintf("BIG-%d", d)
		rows = append(rows, org.ImportRow{Line: len(rows) + 1, Code: dc, Name: "Huyện " + dc, Kind: org.KindDistrict, ParentCode: "BIG", ValidFrom: "2000-01-01"})
		for c := range 100 {
			cc := fmt.Sprintf("%s-%d", dc, c)
			rows = append(rows, org.ImportRow{Line: len(rows) + 1, Code: cc, Name: "Xã " + cc, Kind: org.KindCommune, ParentCode: dc, ValidFrom: "2000-01-01"})
		}
	}
	if _, err := e.st.ImportUnits(t.Context(), audit.System("test"), rows); err != nil {
		t.Fatal(err)
	}
	big, err := e.st.UnitByCode(t.Context(), "BIG", "2025-08-01")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	all := decode[unitPage](t, e.do("GET", "/api/v1/units?limit=all", nil), 200)
	if len(all.Items) != 5051+3 || all.Total != len(all.Items) || all.Next != nil {
		t.Fatalf("limit=all: %d items, total %d", len(all.Items), all.Total)
	}
	sub := decode[unitPage](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d/subtree", big.ID), nil), 200)
	if len(sub.Items) != 5051 || *sub.Items[5050].Depth != 2 {
		t.Fatalf("subtree: %d items", len(sub.Items))
	}
	type node struct {
		Children []node `json:"children"`
	}
	tr := decode[struct {
		Items []node `json:"items"`
		Total int    `json:"total"`
	}](t, e.do("GET", fmt.Sprintf("/api/v1/units?root=%d&tree=1", big.ID), nil), 200)
	if tr.Total != 5051 || len(tr.Items) != 1 || len(tr.Items[0].Children) != 50 || len(tr.Items[0].Children[49].Children) != 100 {
		t.Fatalf("tree: total %d", tr.Total)
	}
	t.Logf("three whole-tree calls over 5051 units: %v", time.Since(start))
}

// TestUnitsAnonymousWholeTreeIsThrottled: one address without an account
// gets a burst of whole-tree reads, then 429; accounts, other addresses and
// paged reads are not affected.
func TestUnitsAnonymousWholeTreeIsThrottled(t *testing.T) {
	e := newEnv(t)
	from := func(addr string) opt { return func(r *http.Request) { r.RemoteAddr = addr + ":4242" } }
	paths := []string{"/api/v1/units?tree=1", "/api/v1/units?limit=all", fmt.Sprintf("/api/v1/units/%d/subtree", e.unit["P38"])}
	for i := range service.UnitAnonBurst {
		if w := e.do("GET", paths[i%len(paths)], nil, from("203.0.113.5")); w.Code != 200 {
			t.Fatalf("call %d: %d %s", i, w.Code, w.Body)
		}
	}
	for _, path := range paths {
		p := problem(t, e.do("GET", path, nil, from("203.0.113.5")), 429, "too-many-requests")
		if p.Status != 429 || p.Detail == "" {
			t.Errorf("%s: %+v", path, p)
		}
	}
	decode[unitPage](t, e.do("GET", "/api/v1/units?limit=10", nil, from("203.0.113.5")), 200)
	decode[api.UnitDetail](t, e.do("GET", fmt.Sprintf("/api/v1/units/%d", e.unit["P38"]), nil, from("203.0.113.5")), 200)
	decode[unitPage](t, e.do("GET", "/api/v1/units?tree=1", nil, from("203.0.113.6")), 200)
	for range 3 {
		decode[unitPage](t, e.do("GET", "/api/v1/units?tree=1", nil, from("203.0.113.5"), e.as("khach")), 200)
	}
}

// TestUnitsWholeTreeServedFromCache: repeated whole-tree reads answer the
// same bytes; a unit change is in the next answer.
func TestUnitsWholeTreeServedFromCache(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/units?at=2025-07-01&tree=1", "/api/v1/units?at=2025-07-01&limit=all", "/api/v1/units?at=2025-07-01&limit=all&kind=ward"} {
		first := e.do("GET", path, nil, e.as("admin"))
		second := e.do("GET", path, nil, e.as("admin"))
		if first.Code != 200 || first.Body.String() != second.Body.String() || second.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("%s: %d, %q then %q", path, first.Code, first.Body, second.Body)
		}
	}
	flat := decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-07-01&limit=all&kind=ward", nil), 200)
	if got := names(flat.Items); !slices.Equal(got, []string{"Phường Hạc Thành"}) || flat.Total != 1 || flat.Limit != 1 || flat.At != "2025-07-01" {
		t.Fatalf("kind=ward, whole: %+v", flat)
	}
	u := org.Unit{Code: "W3", Name: "Phường Quảng Hưng", Kind: org.KindWard, ParentID: e.unit["P38"], ValidFrom: "2025-07-01"}
	if err := e.st.CreateUnit(t.Context(), audit.System("test"), &u); err != nil {
		t.Fatal(err)
	}
	tr := decode[struct {
		Items []struct {
			api.Unit
			Children []api.Unit `json:"children"`
		} `json:"items"`
		Total int `json:"total"`
	}](t, e.do("GET", "/api/v1/units?at=2025-07-01&tree=1", nil, e.as("admin")), 200)
	if tr.Total != 4 || !slices.Contains(names(tr.Items[0].Children), "Phường Quảng Hưng") {
		t.Fatalf("after a new unit: total %d, %q", tr.Total, names(tr.Items[0].Children))
	}
	flat = decode[unitPage](t, e.do("GET", "/api/v1/units?at=2025-07-01&limit=all&kind=ward", nil), 200)
	if flat.Total != 2 {
		t.Fatalf("kind=ward after a new ward: %+v", flat)
	}
}
