package service_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// unitsFixture is a small organisation before and after the 2025 reform:
//
//	P   Tỉnh Thanh Hóa (2000-)
//	├── D  Huyện Đông Sơn (2000–2025-06-30)
//	│   ├── C1 Xã Đông Hòa  (–2025-06-30) ─┐
//	│   └── C2 Xã Đông Tiến (–2025-06-30) ─┴→ W Xã Đông Sơn (2025-07-01-)
//	├── W  Xã Đông Sơn (2025-07-01-)
//	└── B  Ban Dân vận Tỉnh ủy (2000-)
//	    └── B1 Phòng Tổng hợp (2000-)
type unitsFixture struct {
	st   *store.Store
	svc  *service.Services
	unit map[string]int64
}

var unitsCSV = "code,name,kind,parent_code,valid_from,valid_to,remote\n" +
	"P,Tỉnh Thanh Hóa,province,,2000-01-01,,\n" +
	"D,Huyện Đông Sơn,district,P,2000-01-01,2025-06-30,\n" +
	"C1,Xã Đông Hòa,commune,D,2000-01-01,2025-06-30,\n" +
	"C2,Xã Đông Tiến,commune,D,2000-01-01,2025-06-30,1\n" +
	"W,Xã Đông Sơn,commune,P,2025-07-01,,\n" +
	"B,Ban Dân vận Tỉnh ủy,party_commission,P,2000-01-01,,\n" +
	"B1,Phòng Tổng hợp,department,B,2000-01-01,,\n"

func newUnitsFixture(t *testing.T) *unitsFixture {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2025, 8, 1, 3, 0, 0, 0, time.UTC) })
	f := &unitsFixture{st: st, svc: servicetest.New(t, st), unit: map[string]int64{}}
	importUnits(t, st, unitsCSV)
	for _, c := range []string{"P", "D", "C1", "C2", "W", "B", "B1"} {
		at := "2020-01-01"
		if c == "W" {
			at = "2025-07-01"
		}
		u, err := st.UnitByCode(t.Context(), c, at)
		if err != nil {
			t.Fatal(c, err)
		}
		f.unit[c] = u.ID
	}
	for _, pred := range []string{"C1", "C2"} {
		if err := st.AddSuccessor(t.Context(), audit.System("test"), org.Successor{PredecessorID: f.unit[pred], SuccessorID: f.unit["W"], Portion: "full", Effective: "2025-07-01"}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func importUnits(t testing.TB, st *store.Store, csv string) {
	t.Helper()
	rows, err := org.ParseCSV(strings.NewReader(csv), org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportUnits(context.Background(), audit.System("test"), rows); err != nil {
		t.Fatal(err)
	}
}

func unitNames(us []org.Unit) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Name)
	}
	return out
}

func depths(us []org.Unit) []int {
	out := []int{}
	for _, u := range us {
		out = append(out, u.Depth)
	}
	return out
}

// principals: anonymous, the system, and one user per role granted on the
// district D (inside: D and its communes; outside: B, B1, W).
func (f *unitsFixture) principals() map[string]*service.Principal {
	out := map[string]*service.Principal{
		"anonymous": {IP: "192.0.2.1"},
		"system":    service.SystemPrincipal(),
	}
	for i, r := range authz.AllRoles() {
		out[string(r)] = &service.Principal{User: account.User{ID: int64(100 + i), Username: string(r)}, Grants: []authz.Grant{{Role: r, UnitID: f.unit["D"]}}}
	}
	return out
}

func TestUnitsReadsArePublicForEveryRole(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	for name, p := range f.principals() {
		for _, code := range []string{"D", "C1", "B1", "W"} { // inside and outside the grant
			v, err := units.Get(ctx, p, service.UnitQuery{ID: f.unit[code], At: "2025-06-30"})
			if err != nil || v.Unit.ID != f.unit[code] {
				t.Errorf("%s Get %s: %v", name, code, err)
			}
			if _, _, err := units.List(ctx, p, service.UnitList{At: "2025-06-30", Root: f.unit[code]}); err != nil {
				t.Errorf("%s List root %s: %v", name, code, err)
			}
		}
		if _, total, err := units.Search(ctx, p, service.UnitSearch{Query: "dong"}); err != nil || total != 4 {
			t.Errorf("%s Search: %d, %v", name, total, err)
		}
		if n, err := units.Count(ctx, p, "2025-06-30", org.KindCommune); err != nil || n != 2 {
			t.Errorf("%s Count: %d, %v", name, n, err)
		}
	}
}

func TestUnitsGrantsMatrix(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	holder := account.User{Username: "truongdonvi", FullName: "Trưởng đơn vị"}
	if err := f.st.CreateUser(ctx, audit.System("test"), &holder); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddGrant(ctx, audit.System("test"), holder.ID, authz.RoleUnitHead, f.unit["C1"]); err != nil {
		t.Fatal(err)
	}
	// Who may see the roles held on a unit: those who may grant roles there
	// (coordinator and unit head in their subtree) or manage users (admin).
	seesInside := map[string]bool{"system": true, string(authz.RoleAdmin): true, string(authz.RoleCoordinator): true, string(authz.RoleUnitHead): true}
	seesOutside := map[string]bool{"system": true, string(authz.RoleAdmin): true}
	for name, p := range f.principals() {
		for code, want := range map[string]bool{"C1": seesInside[name], "B1": seesOutside[name]} {
			if got := units.CanSeeGrants(p, f.unit[code]); got != want {
				t.Errorf("%s CanSeeGrants %s = %v, want %v", name, code, got, want)
			}
			gs, err := units.Grants(ctx, p, f.unit[code])
			switch {
			case want && err != nil:
				t.Errorf("%s Grants %s: %v", name, code, err)
			case want && code == "C1" && (len(gs) != 1 || gs[0].Username != "truongdonvi" || gs[0].Role != authz.RoleUnitHead):
				t.Errorf("%s Grants C1: %+v", name, gs)
			case !want && name == "anonymous" && !errors.Is(err, service.ErrUnauthenticated):
				t.Errorf("anonymous Grants %s: %v, want unauthenticated", code, err)
			case !want && name != "anonymous" && !errors.Is(err, service.ErrForbidden):
				t.Errorf("%s Grants %s: %v, want forbidden", name, code, err)
			}
		}
	}
	if _, err := units.Grants(ctx, f.principals()["admin"], 999999); !errors.Is(err, service.ErrNotFound) && !errors.Is(err, service.ErrForbidden) {
		t.Errorf("grants of an unknown unit: %v", err)
	}
}

func TestUnitsTreeOnADate(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	for _, tc := range []struct {
		at     string
		names  []string
		depths []int
	}{
		{"2025-06-30", []string{"Tỉnh Thanh Hóa", "Ban Dân vận Tỉnh ủy", "Phòng Tổng hợp", "Huyện Đông Sơn", "Xã Đông Hòa", "Xã Đông Tiến"}, []int{0, 1, 2, 1, 2, 2}},
		{"2025-07-01", []string{"Tỉnh Thanh Hóa", "Ban Dân vận Tỉnh ủy", "Phòng Tổng hợp", "Xã Đông Sơn"}, []int{0, 1, 2, 1}},
		{"1999-12-31", []string{}, []int{}},
	} {
		us, total, err := units.List(ctx, nil, service.UnitList{At: tc.at, All: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := unitNames(us); !slices.Equal(got, tc.names) || total != len(tc.names) || !slices.Equal(depths(us), tc.depths) {
			t.Errorf("%s: %q %v (total %d), want %q %v", tc.at, got, depths(us), total, tc.names, tc.depths)
		}
		// The store's SQL answers the same (the tree is an oracle-checked copy).
		sql, err := f.st.UnitsAt(ctx, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(unitNames(sql), unitNames(us)) || !slices.Equal(depths(sql), depths(us)) {
			t.Errorf("%s: tree %q, store %q", tc.at, unitNames(us), unitNames(sql))
		}
	}
	// A subtree counts depth from its root; the root shows whatever its dates.
	sub, total, err := units.List(ctx, nil, service.UnitList{At: "2025-07-01", Root: f.unit["D"], All: true})
	if err != nil || total != 1 || sub[0].Name != "Huyện Đông Sơn" || sub[0].Depth != 0 {
		t.Errorf("subtree of an ended district: %q, %v", unitNames(sub), err)
	}
	sub, _, _ = units.List(ctx, nil, service.UnitList{At: "2025-06-30", Root: f.unit["D"], All: true})
	if !slices.Equal(unitNames(sub), []string{"Huyện Đông Sơn", "Xã Đông Hòa", "Xã Đông Tiến"}) || !slices.Equal(depths(sub), []int{0, 1, 1}) {
		t.Errorf("subtree: %q %v", unitNames(sub), depths(sub))
	}
	// Kind and window.
	communes, total, _ := units.List(ctx, nil, service.UnitList{At: "2025-06-30", Kind: org.KindCommune, Limit: 1, Offset: 1})
	if total != 2 || !slices.Equal(unitNames(communes), []string{"Xã Đông Tiến"}) {
		t.Errorf("kind window: %q of %d", unitNames(communes), total)
	}
	past, total, _ := units.List(ctx, nil, service.UnitList{At: "2025-06-30", Offset: 500})
	if total != 6 || past == nil || len(past) != 0 {
		t.Errorf("past the end: %v of %d", past, total)
	}
	if _, _, err := units.List(ctx, nil, service.UnitList{At: "2025-06-30", Root: 999999}); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown root: %v", err)
	}
	if n, _ := units.Count(ctx, nil, "2025-07-01"); n != 4 {
		t.Errorf("count on 2025-07-01: %d", n)
	}
}

func TestUnitsGetWithoutSQL(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	v, err := units.Get(ctx, nil, service.UnitQuery{ID: f.unit["C1"], At: "2025-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(unitNames(v.Ancestors), []string{"Tỉnh Thanh Hóa", "Huyện Đông Sơn"}) || !v.ValidAt || v.At != "2025-06-30" {
		t.Errorf("C1: %+v", v)
	}
	if len(v.Successors) != 1 || v.Successors[0].SuccessorID != f.unit["W"] || v.Successors[0].OtherName != "Xã Đông Sơn" || v.Predecessors == nil || len(v.Predecessors) != 0 {
		t.Errorf("C1 links: %+v / %+v", v.Successors, v.Predecessors)
	}
	w, _ := units.Get(ctx, nil, service.UnitQuery{ID: f.unit["W"], At: "2025-08-01"})
	if got := []string{w.Predecessors[0].OtherName, w.Predecessors[1].OtherName}; len(w.Predecessors) != 2 || !slices.Equal(got, []string{"Xã Đông Hòa", "Xã Đông Tiến"}) {
		t.Errorf("W predecessors: %+v", w.Predecessors)
	}
	// An ended unit: as asked, or as of its last day.
	d, _ := units.Get(ctx, nil, service.UnitQuery{ID: f.unit["D"], At: "2025-08-01"})
	if d.ValidAt || len(d.Children) != 0 || d.Children == nil {
		t.Errorf("D on 2025-08-01: %+v", d)
	}
	d, _ = units.Get(ctx, nil, service.UnitQuery{ID: f.unit["D"], At: "2025-08-01", LastDay: true})
	if !d.ValidAt || d.At != "2025-06-30" || !slices.Equal(unitNames(d.Children), []string{"Xã Đông Hòa", "Xã Đông Tiến"}) {
		t.Errorf("D on its last day: %+v", d)
	}
	if _, err := units.Get(ctx, nil, service.UnitQuery{ID: 999999, At: "2025-08-01"}); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}

	// With the database gone, every unit read but search still answers:
	// none of them runs SQL.
	dsn := storetest.DSN(t)
	st2 := openReplica(t, dsn, true)
	importUnits(t, st2, unitsCSV)
	svc2 := servicetest.New(t, st2)
	c1, err := st2.UnitByCode(ctx, "C1", "2020-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc2.Units.Get(ctx, nil, service.UnitQuery{ID: c1.ID, At: "2025-06-30"}); err != nil { // loads the links once
		t.Fatal(err)
	}
	if err := st2.Close(); err != nil {
		t.Fatal(err)
	}
	v2, err := svc2.Units.Get(ctx, nil, service.UnitQuery{ID: c1.ID, At: "2025-06-30"})
	if err != nil || len(v2.Ancestors) != 2 {
		t.Errorf("Get after the database closed: %+v, %v", v2, err)
	}
	if us, _, err := svc2.Units.List(ctx, nil, service.UnitList{At: "2025-06-30", All: true}); err != nil || len(us) != 6 {
		t.Errorf("List after the database closed: %d, %v", len(us), err)
	}
	if _, _, err := svc2.Units.Search(ctx, nil, service.UnitSearch{Query: "đông"}); err != nil {
		t.Errorf("Search after the database closed: %v", err)
	}
	if !svc2.Can(&service.Principal{User: account.User{ID: 1}, Grants: []authz.Grant{{Role: authz.RoleUnitHead, UnitID: v2.Ancestors[1].ID}}}, authz.ActionReportRead, c1.ID) {
		t.Error("permission check after the database closed")
	}
}

// openReplica opens another store on dsn (migrating it when migrate).
func openReplica(t testing.TB, dsn string, migrate bool) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if migrate {
		if _, err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func TestUnitsSearch(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	for _, tc := range []struct {
		q    service.UnitSearch
		want []string
	}{
		{service.UnitSearch{Query: "dong son"}, []string{"Huyện Đông Sơn", "Xã Đông Sơn"}},
		{service.UnitSearch{Query: "ĐÔNG SƠN"}, []string{"Huyện Đông Sơn", "Xã Đông Sơn"}},
		{service.UnitSearch{Query: "  dong   son "}, []string{"Huyện Đông Sơn", "Xã Đông Sơn"}},
		{service.UnitSearch{Query: "dong", At: "2025-07-01"}, []string{"Xã Đông Sơn"}},
		{service.UnitSearch{Query: "dong", Kind: org.KindDistrict}, []string{"Huyện Đông Sơn"}},
		{service.UnitSearch{Kind: org.KindDepartment}, []string{"Phòng Tổng hợp"}},
		{service.UnitSearch{Query: "100%"}, []string{}},
		{service.UnitSearch{Query: "dong", Limit: 2, Offset: 1}, []string{"Xã Đông Hòa", "Xã Đông Sơn"}},
	} {
		us, total, err := units.Search(ctx, nil, tc.q)
		if err != nil || !slices.Equal(unitNames(us), tc.want) {
			t.Errorf("%+v: %q, %v; want %q", tc.q, unitNames(us), err, tc.want)
		}
		if tc.q.Limit == 0 && total != len(tc.want) {
			t.Errorf("%+v: total %d", tc.q, total)
		}
	}
}

func TestUnitsValidation(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	invalid := func(name, field string, err error) {
		t.Helper()
		inv, ok := service.AsInvalid(err)
		if !ok {
			t.Errorf("%s: %v, want invalid", name, err)
			return
		}
		for _, fe := range inv.Fields {
			if fe.Field == field {
				return
			}
		}
		t.Errorf("%s: fields %+v, want %s", name, inv.Fields, field)
	}
	for name, q := range map[string]service.UnitSearch{
		"empty":         {},
		"blank":         {Query: "   "},
		"NUL":           {Query: "a\x00b"},
		"control":       {Query: "a\x1bb"},
		"invalid UTF-8": {Query: "\xff\xfe"},
		"too long":      {Query: strings.Repeat("đ", service.UnitQueryMax+1)},
	} {
		_, _, err := units.Search(ctx, nil, q)
		invalid("search "+name, "q", err)
	}
	if _, _, err := units.Search(ctx, nil, service.UnitSearch{Query: strings.Repeat("đ", service.UnitQueryMax)}); err != nil {
		t.Errorf("%d characters (%d bytes) are allowed: %v", service.UnitQueryMax, 2*service.UnitQueryMax, err)
	}
	for name, tc := range map[string]struct {
		q     service.UnitSearch
		field string
	}{
		"bad kind":      {service.UnitSearch{Query: "a", Kind: "castle"}, "kind"},
		"bad date":      {service.UnitSearch{Query: "a", At: "2025-02-30"}, "at"},
		"year 2101":     {service.UnitSearch{Query: "a", At: "2101-01-01"}, "at"},
		"limit 501":     {service.UnitSearch{Query: "a", Limit: 501}, "limit"},
		"limit -1":      {service.UnitSearch{Query: "a", Limit: -1}, "limit"},
		"offset -1":     {service.UnitSearch{Query: "a", Offset: -1}, "offset"},
		"offset beyond": {service.UnitSearch{Query: "a", Offset: service.UnitOffsetMax + 1}, "offset"},
	} {
		_, _, err := units.Search(ctx, nil, tc.q)
		invalid("search "+name, tc.field, err)
	}
	for name, tc := range map[string]struct {
		q     service.UnitList
		field string
	}{
		"no date":       {service.UnitList{}, "at"},
		"bad date":      {service.UnitList{At: "2025-7-1"}, "at"},
		"year 1899":     {service.UnitList{At: "1899-12-31"}, "at"},
		"bad kind":      {service.UnitList{At: "2025-07-01", Kind: "castle"}, "kind"},
		"negative root": {service.UnitList{At: "2025-07-01", Root: -5}, "root"},
		"limit 501":     {service.UnitList{At: "2025-07-01", Limit: 501}, "limit"},
		"offset beyond": {service.UnitList{At: "2025-07-01", Offset: service.UnitOffsetMax + 1}, "offset"},
	} {
		_, _, err := units.List(ctx, nil, tc.q)
		invalid("list "+name, tc.field, err)
	}
	_, err := units.Get(ctx, nil, service.UnitQuery{ID: f.unit["P"], At: "2147483647-01-01"})
	invalid("get huge year", "at", err)
	_, err = units.Count(ctx, nil, "")
	invalid("count without date", "at", err)
	_, err = units.Rendered(ctx, nil, service.UnitList{At: "x"}, "v", func([]org.Unit) ([]byte, error) { return nil, nil })
	invalid("rendered bad date", "at", err)
}

func TestUnitsRenderedCache(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	calls := 0
	render := func(us []org.Unit) ([]byte, error) {
		calls++
		return []byte(fmt.Sprintf("%d:%s", calls, strings.Join(unitNames(us), ","))), nil
	}
	admin := &service.Principal{User: account.User{ID: 1}, Grants: []authz.Grant{{Role: authz.RoleAdmin, UnitID: f.unit["P"]}}}
	first, err := units.Rendered(ctx, admin, service.UnitList{At: "2025-07-01"}, "test.vi", render)
	if err != nil || !strings.HasPrefix(string(first), "1:Tỉnh Thanh Hóa,") {
		t.Fatalf("first: %q, %v", first, err)
	}
	for range 5 {
		again, _ := units.Rendered(ctx, admin, service.UnitList{At: "2025-07-01"}, "test.vi", render)
		if string(again) != string(first) {
			t.Fatalf("cached: %q", again)
		}
	}
	if calls != 1 {
		t.Errorf("rendered %d times for one date and variant", calls)
	}
	// Another language, date or root is another entry.
	units.Rendered(ctx, admin, service.UnitList{At: "2025-07-01"}, "test.en", render)
	units.Rendered(ctx, admin, service.UnitList{At: "2025-06-30"}, "test.vi", render)
	sub, _ := units.Rendered(ctx, admin, service.UnitList{At: "2025-06-30", Root: f.unit["B"]}, "test.vi", render)
	if calls != 4 || string(sub) != "4:Ban Dân vận Tỉnh ủy,Phòng Tổng hợp" {
		t.Errorf("entries: %d renders, subtree %q", calls, sub)
	}
	// A change to the units is seen at once.
	importUnits(t, f.st, "code,name,kind,parent_code,valid_from,valid_to,remote\nW2,Phường Hạc Thành,ward,P,2025-07-01,,\n")
	after, _ := units.Rendered(ctx, admin, service.UnitList{At: "2025-07-01"}, "test.vi", render)
	if calls != 5 || !strings.Contains(string(after), "Phường Hạc Thành") {
		t.Errorf("after an import: %d renders, %q", calls, after)
	}
	if _, err := units.Rendered(ctx, admin, service.UnitList{At: "2025-07-01", Root: 999999}, "test.vi", render); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown root: %v", err)
	}
	boom := errors.New("boom")
	if _, err := units.Rendered(ctx, admin, service.UnitList{At: "2025-01-01"}, "test.vi", func([]org.Unit) ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("render error: %v", err)
	}
}

func TestUnitsAnonymousWholeTreeIsLimited(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	now := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
	lim := service.NewLimiter(0.5, 3)
	lim.SetClock(func() time.Time { return now })
	units.LimitAnonymous(lim)
	render := func(us []org.Unit) ([]byte, error) { return []byte("x"), nil }
	whole := service.UnitList{At: "2025-07-01", All: true}
	a, b := &service.Principal{IP: "198.51.100.7"}, &service.Principal{IP: "198.51.100.8"}
	for i := range 2 {
		if _, _, err := units.List(ctx, a, whole); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if _, err := units.Rendered(ctx, a, whole, "v", render); err != nil {
		t.Fatalf("third call: %v", err)
	}
	if _, err := units.Rendered(ctx, a, whole, "v", render); !errors.Is(err, service.ErrTooMany) {
		t.Errorf("fourth whole tree from one address: %v, want too many", err)
	}
	if _, _, err := units.List(ctx, a, whole); !errors.Is(err, service.ErrTooMany) {
		t.Errorf("whole list from a limited address: %v", err)
	}
	// Cheap reads are not limited; nor are other addresses, signed-in users
	// or the system.
	if _, _, err := units.List(ctx, a, service.UnitList{At: "2025-07-01", Limit: 10}); err != nil {
		t.Errorf("a window: %v", err)
	}
	if _, err := units.Get(ctx, a, service.UnitQuery{ID: f.unit["P"], At: "2025-07-01"}); err != nil {
		t.Errorf("one unit: %v", err)
	}
	if _, err := units.Rendered(ctx, b, whole, "v", render); err != nil {
		t.Errorf("another address: %v", err)
	}
	user := &service.Principal{User: account.User{ID: 7}, IP: "198.51.100.7"}
	for range 10 {
		if _, err := units.Rendered(ctx, user, whole, "v", render); err != nil {
			t.Fatalf("signed-in user: %v", err)
		}
		if _, err := units.Rendered(ctx, service.SystemPrincipal(), whole, "v", render); err != nil {
			t.Fatalf("system: %v", err)
		}
		if _, _, err := units.List(ctx, nil, whole); err != nil {
			t.Fatalf("a use case reading for its own page (nil principal): %v", err)
		}
	}
	// Two seconds later one token is back.
	now = now.Add(2 * time.Second)
	if _, err := units.Rendered(ctx, a, whole, "v", render); err != nil {
		t.Errorf("after the refill: %v", err)
	}
	if _, err := units.Rendered(ctx, a, whole, "v", render); !errors.Is(err, service.ErrTooMany) {
		t.Errorf("one token only: %v", err)
	}
}

// TestUnitsConcurrentReadsDuringChanges: reads from many goroutines while
// units are imported (run with -race); afterwards every read sees every unit.
func TestUnitsConcurrentReadsDuringChanges(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	admin := service.SystemPrincipal()
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				var err error
				switch g {
				case 0:
					_, err = units.Get(ctx, admin, service.UnitQuery{ID: f.unit["C1"], At: "2025-06-30"})
				case 1:
					_, _, err = units.List(ctx, admin, service.UnitList{At: "2025-07-01", All: true})
				case 2:
					_, err = units.Rendered(ctx, admin, service.UnitList{At: "2025-07-01"}, "t", func(us []org.Unit) ([]byte, error) { return []byte(strings.Join(unitNames(us), ",")), nil })
				case 3:
					_, _, err = units.Search(ctx, admin, service.UnitSearch{Query: "phuong"})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 20 {
		importUnits(t, f.st, fmt.Sprintf("code,name,kind,parent_code,valid_from,valid_to,remote\nX%d,Phường Mới %d,ward,P,2025-07-01,,\n", i, i))
	}
	close(stop)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	b, _ := units.Rendered(ctx, admin, service.UnitList{At: "2025-07-01"}, "t", func(us []org.Unit) ([]byte, error) { return []byte(strings.Join(unitNames(us), ",")), nil })
	_, total, _ := units.List(ctx, admin, service.UnitList{At: "2025-07-01", All: true})
	_, found, _ := units.Search(ctx, admin, service.UnitSearch{Query: "phuong moi"})
	if strings.Count(string(b), "Phường Mới") != 20 || total != 24 || found != 20 {
		t.Errorf("after the imports: rendered %d new wards, listed %d units, found %d", strings.Count(string(b), "Phường Mới"), total, found)
	}
}

func TestUnitsImportMatrix(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	rows := func(code string) []org.ImportRow {
		return []org.ImportRow{{Line: 2, Code: code, Name: "Phường " + code, Kind: org.KindWard, ParentCode: "P", ValidFrom: "2025-07-01"}}
	}
	// Installation-wide: administrators and the system only, wherever their grant.
	for name, p := range f.principals() {
		_, err := units.Import(ctx, p, rows("N-"+name))
		switch name {
		case "system", string(authz.RoleAdmin):
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case "anonymous":
			if !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("anonymous: %v", err)
			}
		default:
			if !errors.Is(err, service.ErrForbidden) {
				t.Errorf("%s: %v, want forbidden", name, err)
			}
		}
	}
	// The tree has the new units at once; the audit names the actor.
	if us, total, _ := units.Search(ctx, nil, service.UnitSearch{Query: "phuong n-"}); total != 2 {
		t.Errorf("imported units found: %q", unitNames(us))
	}
	// Line errors come back as they are; nothing lands.
	_, err := units.Import(ctx, service.SystemPrincipal(), []org.ImportRow{
		{Line: 2, Code: "Z1", Name: "Xã Z1", Kind: org.KindCommune, ParentCode: "NOPE", ValidFrom: "2025-07-01"},
	})
	var ie *org.ImportError
	if !errors.As(err, &ie) || len(ie.Lines) != 1 || ie.Lines[0].Column != "parent_code" {
		t.Errorf("line errors: %v", err)
	}
	_, err = units.Import(ctx, service.SystemPrincipal(), nil)
	if _, ok := service.AsInvalid(err); !ok {
		t.Errorf("no rows: %v", err)
	}
	// Merges.
	importUnits(t, f.st, "code,name,kind,parent_code,valid_from,valid_to,remote\nB2,Phòng Cũ,department,B,2000-01-01,2025-06-30,\nB3,Phòng Mới,department,B,2025-07-01,,\n")
	ms := []org.Merge{{NewCode: "B3", NewName: "Phòng Mới", From: []org.MergeSource{{OldCode: "B2", OldName: "Phòng Cũ", Portion: "full"}}}}
	if _, err := units.ImportMerges(ctx, f.principals()[string(authz.RoleCoordinator)], ms, "2025-07-01"); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("coordinator merges: %v", err)
	}
	if _, err := units.ImportMerges(ctx, service.SystemPrincipal(), ms, "2025-13-01"); err == nil {
		t.Error("bad effective date accepted")
	}
	n, err := units.ImportMerges(ctx, service.SystemPrincipal(), ms, "2025-07-01")
	if err != nil || n != 1 {
		t.Fatalf("merges: %d, %v", n, err)
	}
	b2, _ := f.st.UnitByCode(ctx, "B2", "2020-01-01")
	v, _ := units.Get(ctx, nil, service.UnitQuery{ID: b2.ID, At: "2025-06-30"})
	if len(v.Successors) != 1 || v.Successors[0].OtherName != "Phòng Mới" {
		t.Errorf("successor after merges: %+v", v.Successors)
	}
}
