package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestTreeReloadsAfterLocalChanges: a unit created or imported through this
// process's store is in the tree at the next read.
func TestTreeReloadsAfterLocalChanges(t *testing.T) {
	st := storetest.Open(t)
	svc := servicetest.New(t, st)
	ctx := t.Context()
	if svc.Tree.Len() != 0 {
		t.Fatalf("empty store, %d units", svc.Tree.Len())
	}
	v0 := svc.Tree.Version()
	p := org.Unit{Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince, Code: "38", ValidFrom: "2000-01-01"}
	if err := st.CreateUnit(ctx, audit.System("test"), &p); err != nil {
		t.Fatal(err)
	}
	if u, ok := svc.Tree.Unit(p.ID); !ok || u.Name != p.Name {
		t.Fatalf("created unit not in the tree: %+v", u)
	}
	if svc.Tree.Version() == v0 {
		t.Error("version did not move")
	}
	importUnits(t, st, "code,name,kind,parent_code,valid_from,valid_to,remote\nD1,Huyện Đông Sơn,district,38,2000-01-01,,\nC1,Xã Đông Hòa,commune,D1,2000-01-01,,\n")
	c1, err := st.UnitByCode(ctx, "C1", "2020-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if path, ok := svc.Tree.Path(c1.ID); !ok || len(path) != 3 || path[0] != p.ID {
		t.Fatalf("imported unit's path: %v", path)
	}
	// A changed parent moves the unit (and a permission granted above it).
	d1, _ := st.UnitByCode(ctx, "D1", "2020-01-01")
	c1.ParentID = p.ID
	if err := st.UpdateUnit(ctx, audit.System("test"), &c1); err != nil {
		t.Fatal(err)
	}
	if svc.Tree.Contains(d1.ID, c1.ID) || !svc.Tree.Contains(p.ID, c1.ID) {
		t.Error("moved unit still under its old parent")
	}
	head := &service.Principal{User: account.User{ID: 9}, Grants: []authz.Grant{{Role: authz.RoleUnitHead, UnitID: d1.ID}}}
	if svc.Can(head, authz.ActionReportRead, c1.ID) {
		t.Error("the district's head still reads the moved commune's reports")
	}
}

// TestTreeRefreshSeesAnotherReplica: a change made through a second store on
// the same database (another replica) reaches this tree at the next
// Refresh, and only then.
func TestTreeRefreshSeesAnotherReplica(t *testing.T) {
	dsn := storetest.DSN(t)
	a := openReplica(t, dsn, true)
	b := openReplica(t, dsn, false)
	ctx := t.Context()
	importUnits(t, a, "code,name,kind,parent_code,valid_from,valid_to,remote\n38,Tỉnh Thanh Hóa,province,,2000-01-01,,\n")
	svc := servicetest.New(t, a)
	if svc.Tree.Len() != 1 {
		t.Fatalf("%d units", svc.Tree.Len())
	}
	refresh := func() {
		t.Helper()
		if err := svc.Tree.Refresh(ctx, a.UnitGeneration); err != nil {
			t.Fatal(err)
		}
	}
	refresh() // nothing changed: no reload
	v := svc.Tree.Version()
	refresh()
	if svc.Tree.Version() != v {
		t.Error("a refresh without a change reloaded")
	}

	// The other replica adds a unit.
	importUnits(t, b, "code,name,kind,parent_code,valid_from,valid_to,remote\nW1,Phường Hạc Thành,ward,38,2025-07-01,,\n")
	w1, err := b.UnitByCode(ctx, "W1", "2025-07-01")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := svc.Tree.Unit(w1.ID); ok {
		t.Fatal("the tree saw another replica's change before a refresh")
	}
	refresh()
	if _, ok := svc.Tree.Unit(w1.ID); !ok {
		t.Fatal("refresh missed a unit added by another replica")
	}

	// It ends the unit's validity (same row count) and links a successor.
	w1.ValidTo = "2030-12-31"
	if err := b.UpdateUnit(ctx, audit.System("test"), &w1); err != nil {
		t.Fatal(err)
	}
	refresh()
	if u, _ := svc.Tree.Unit(w1.ID); u.ValidTo != "2030-12-31" {
		t.Errorf("refresh missed an update: %+v", u)
	}
	importUnits(t, b, "code,name,kind,parent_code,valid_from,valid_to,remote\nW2,Phường Mới,ward,38,2031-01-01,,\n")
	w2, _ := b.UnitByCode(ctx, "W2", "2031-01-01")
	refresh()
	if v, err := svc.Units.Get(ctx, nil, service.UnitQuery{ID: w1.ID, At: "2030-01-01"}); err != nil || len(v.Successors) != 0 {
		t.Fatalf("successors before the link: %+v, %v", v.Successors, err)
	}
	if err := b.AddSuccessor(ctx, audit.System("test"), org.Successor{PredecessorID: w1.ID, SuccessorID: w2.ID, Portion: "full", Effective: "2031-01-01"}); err != nil {
		t.Fatal(err)
	}
	refresh()
	v2, err := svc.Units.Get(ctx, nil, service.UnitQuery{ID: w1.ID, At: "2030-01-01"})
	if err != nil || len(v2.Successors) != 1 || v2.Successors[0].SuccessorID != w2.ID {
		t.Errorf("refresh missed a successor link: %+v, %v", v2.Successors, err)
	}
}

// TestTreeMatchesStore compares the tree's dated reads with the store's SQL
// on a generated organisation with units that start and end on many dates.
func TestTreeMatchesStore(t *testing.T) {
	st := storetest.Open(t)
	svc := servicetest.New(t, st)
	ctx := t.Context()
	var b strings.Builder
	b.WriteString("code,name,kind,parent_code,valid_from,valid_to,remote\n")
	b.WriteString("P,Tỉnh,province,,2000-01-01,,\n")
	dates := []string{"2000-01-01", "2010-06-30", "2015-01-01", "2020-12-31", "2025-07-01"}
	for d := range 6 {
		from, to := dates[d%3], ""
		if d%2 == 1 {
			to = dates[3]
		}
		fmt.Fprintf(&b, "D%d,Huyện %c %d,district,P,%s,%s,\n", d, 'Z'-d, d, from, to)
		for c := range 7 {
			cfrom := dates[max(d%3, c%5)]
			cto := ""
			if c%3 == 0 && to == "" {
				cto = "2030-01-01"
			}
			if to != "" && cfrom > to {
				continue
			}
			if to != "" {
				cto = to
			}
			fmt.Fprintf(&b, "D%d-%d,Xã Đông %c%d,commune,D%d,%s,%s,\n", d, c, 'A'+c, d, d, cfrom, cto)
		}
	}
	importUnits(t, st, b.String())
	for _, at := range []string{"1999-01-01", "2000-01-01", "2012-03-04", "2020-12-31", "2021-01-01", "2025-07-01", "2031-01-01"} {
		want, err := st.UnitsAt(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		got := svc.Tree.At(at)
		if !slices.Equal(unitNames(got), unitNames(want)) || !slices.Equal(depths(got), depths(want)) {
			t.Errorf("At(%s):\n tree  %q %v\n store %q %v", at, unitNames(got), depths(got), unitNames(want), depths(want))
		}
		for _, root := range want {
			sw, err := st.Subtree(ctx, root.ID, at)
			if err != nil {
				t.Fatal(err)
			}
			sg, ok := svc.Tree.SubtreeAt(root.ID, at)
			if !ok || !slices.Equal(unitNames(sg), unitNames(sw)) || !slices.Equal(depths(sg), depths(sw)) {
				t.Errorf("SubtreeAt(%s, %s): tree %q, store %q", root.Name, at, unitNames(sg), unitNames(sw))
			}
			cw, err := st.Children(ctx, root.ID, at)
			if err != nil {
				t.Fatal(err)
			}
			if cg := svc.Tree.ChildrenAt(root.ID, at); !slices.Equal(unitNames(cg), unitNames(cw)) {
				t.Errorf("ChildrenAt(%s, %s): tree %q, store %q", root.Name, at, unitNames(cg), unitNames(cw))
			}
			aw, err := st.Ancestors(ctx, root.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ag := svc.Tree.Ancestors(root.ID); !slices.Equal(unitNames(ag), unitNames(aw)) {
				t.Errorf("Ancestors(%s): tree %q, store %q", root.Name, unitNames(ag), unitNames(aw))
			}
		}
		n, err := st.CountUnitsAt(ctx, at, org.KindCommune)
		if err != nil {
			t.Fatal(err)
		}
		if got := svc.Tree.CountAt(at, org.KindCommune); got != n {
			t.Errorf("CountAt(%s) = %d, store %d", at, got, n)
		}
		for _, q := range []string{"dong", "xa dong b", "huyen"} {
			sw, total, err := st.SearchUnits(ctx, store.UnitSearch{Query: q, At: at, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			sg, gtotal := svc.Tree.Search(service.TreeSearch{Query: q, At: at, Limit: 1000})
			if gtotal != total || !slices.Equal(unitNames(sg), unitNames(sw)) {
				t.Errorf("Search(%q, %s): tree %q (%d), store %q (%d)", q, at, unitNames(sg), gtotal, unitNames(sw), total)
			}
		}
	}
}

// bigTree imports a province with 40 districts of 100 communes (4,041 units).
func bigTree(b testing.TB, st *store.Store) (province, commune int64, district int64) {
	rows := []org.ImportRow{{Line: 1, Code: "BIG", Name: "Tỉnh Lớn", Kind: org.KindProvince, ValidFrom: "2000-01-01"}}
	for d := range 40 {
		dc := fmt.Sprintf("BIG-%d", d)
		rows = append(rows, org.ImportRow{Line: len(rows) + 1, Code: dc, Name: "Huyện " + dc, Kind: org.KindDistrict, ParentCode: "BIG", ValidFrom: "2000-01-01"})
		for c := range 100 {
			cc := fmt.Sprintf("%s-%d", dc, c)
			rows = append(rows, org.ImportRow{Line: len(rows) + 1, Code: cc, Name: "Xã " + cc, Kind: org.KindCommune, ParentCode: dc, ValidFrom: "2000-01-01"})
		}
	}
	ctx := context.Background()
	if _, err := st.ImportUnits(ctx, audit.System("bench"), rows); err != nil {
		b.Fatal(err)
	}
	p, _ := st.UnitByCode(ctx, "BIG", "2020-01-01")
	d, _ := st.UnitByCode(ctx, "BIG-39", "2020-01-01")
	c, _ := st.UnitByCode(ctx, "BIG-39-99", "2020-01-01")
	return p.ID, c.ID, d.ID
}

// BenchmarkCan: a permission check on a 4,041-unit tree, with the database
// closed to show it runs no SQL.
func BenchmarkCan(b *testing.B) {
	dsn := storetest.DSN(b)
	st := openReplica(b, dsn, true)
	_, commune, district := bigTree(b, st)
	svc := servicetest.New(b, st)
	if svc.Tree.Len() != 4041 {
		b.Fatalf("%d units", svc.Tree.Len())
	}
	_ = st.Close()
	officer := &service.Principal{User: account.User{ID: 5}, Grants: []authz.Grant{
		{Role: authz.RoleUnitOfficer, UnitID: commune}, {Role: authz.RoleInspector, UnitID: district},
	}}
	if !svc.Can(officer, authz.ActionReportSubmit, commune) || svc.Can(officer, authz.ActionReportSubmit, district) {
		b.Fatal("wrong answers")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if !svc.Can(officer, authz.ActionReportRead, commune) {
			b.Fatal("refused")
		}
	}
}

// BenchmarkUnitsGet: one unit with ancestors, children and links.
func BenchmarkUnitsGet(b *testing.B) {
	st := storetest.Open(b)
	_, commune, _ := bigTree(b, st)
	svc := servicetest.New(b, st)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Units.Get(ctx, nil, service.UnitQuery{ID: commune, At: "2025-01-01"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnitsWholeTree: the whole tree on a date, uncached listing.
func BenchmarkTreeAt(b *testing.B) {
	st := storetest.Open(b)
	bigTree(b, st)
	svc := servicetest.New(b, st)
	b.ReportAllocs()
	for b.Loop() {
		if us := svc.Tree.At("2025-01-01"); len(us) != 4041 {
			b.Fatal(len(us))
		}
	}
}
