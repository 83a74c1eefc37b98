package service_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

func (f *unitsFixture) user(t *testing.T, name string, role authz.Role, unit string) *service.Principal {
	t.Helper()
	u := account.User{Username: name, FullName: name}
	if err := f.st.CreateUser(t.Context(), audit.System("test"), &u); err != nil {
		t.Fatal(err)
	}
	return &service.Principal{User: u, Grants: []authz.Grant{{Role: role, UnitID: f.unit[unit]}}}
}

func hasField(err error, field, key string) bool {
	inv, ok := service.AsInvalid(err)
	return ok && slices.ContainsFunc(inv.Fields, func(fe service.FieldError) bool { return fe.Field == field && fe.Key == key })
}

func TestUnitsCreateUpdate(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	admin, head := f.user(t, "quantri", authz.RoleAdmin, "P"), f.user(t, "truong", authz.RoleUnitHead, "B")
	in := service.UnitInput{ParentID: f.unit["B"], Name: "Phòng Dân vận cơ sở", Kind: "department", ValidFrom: "2025-08-01"}
	if _, err := units.Create(ctx, head, in); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("unit head: %v", err)
	}
	u, err := units.Create(ctx, admin, in)
	if err != nil || u.ID == 0 {
		t.Fatalf("create: %+v %v", u, err)
	}
	// The tree reloads: the new unit is a child of B at once.
	if v, err := units.Get(ctx, nil, service.UnitQuery{ID: f.unit["B"], At: "2025-08-01"}); err != nil || !slices.ContainsFunc(v.Children, func(c org.Unit) bool { return c.ID == u.ID }) {
		t.Errorf("not in the tree: %+v %v", v.Children, err)
	}
	for _, tt := range []struct {
		name       string
		in         service.UnitInput
		field, key string
	}{
		{"no name", service.UnitInput{Kind: "commune", ValidFrom: "2025-01-01"}, "name", service.MsgRequired},
		{"bad kind", service.UnitInput{Name: "x", Kind: "castle", ValidFrom: "2025-01-01"}, "kind", service.MsgBadChoice},
		{"bad date", service.UnitInput{Name: "x", Kind: "commune", ValidFrom: "2025-02-30"}, "valid_from", service.MsgBadDate},
		{"parent ended", service.UnitInput{Name: "x", Kind: "commune", ParentID: f.unit["D"], ValidFrom: "2025-08-01"}, "parent_id", service.MsgUnitParentInvalid},
		{"code taken", service.UnitInput{Name: "x", Kind: "commune", Code: "W", ParentID: f.unit["P"], ValidFrom: "2025-07-01"}, "code", service.MsgUnitCodeTaken},
	} {
		if _, err := units.Create(ctx, admin, tt.in); !hasField(err, tt.field, tt.key) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	in.Name, in.Remote = "Phòng Dân vận", true
	got, err := units.Update(ctx, admin, u.ID, in)
	if err != nil || got.Name != "Phòng Dân vận" || !got.Remote {
		t.Fatalf("update: %+v %v", got, err)
	}
	// A unit cannot move under its own child.
	if _, err := units.Update(ctx, admin, f.unit["B"], service.UnitInput{ParentID: u.ID, Name: "Ban Dân vận Tỉnh ủy", Kind: "party_commission", ValidFrom: "2025-08-01"}); !hasField(err, "parent_id", service.MsgUnitParentInvalid) {
		t.Errorf("cycle: %v", err)
	}
	if _, err := units.Update(ctx, admin, 999999, in); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
	entries, _, err := f.st.ListAudit(ctx, store.AuditFilter{Entity: "unit", EntityID: strconv.FormatInt(u.ID, 10)})
	if err != nil || len(entries) != 2 {
		t.Errorf("audit: %d %v", len(entries), err)
	}
}

func TestUnitsClose(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	admin := f.user(t, "quantri", authz.RoleAdmin, "P")
	// B has a child still valid: it cannot close alone.
	err := units.Close(ctx, admin, f.unit["B"], service.UnitClose{ValidTo: "2025-12-31"})
	if !hasField(err, "valid_to", service.MsgUnitChildrenOpen) {
		t.Errorf("children open: %v", err)
	}
	if err := units.Close(ctx, admin, f.unit["D"], service.UnitClose{ValidTo: "2025-12-31"}); !hasField(err, "valid_to", service.MsgUnitClosed) {
		t.Errorf("already closed: %v", err)
	}
	// A successor must be valid the day after, and not the unit itself.
	err = units.Close(ctx, admin, f.unit["B1"], service.UnitClose{ValidTo: "2025-12-31", Successors: []service.UnitSuccessor{{UnitID: f.unit["C1"], Portion: "full"}, {UnitID: f.unit["B1"], Portion: "full"}, {UnitID: f.unit["W"], Portion: "half"}}})
	for _, fe := range []struct{ field, key string }{{"successors[0].unit_id", service.MsgUnitSuccessor}, {"successors[1].unit_id", service.MsgUnitSuccessor}, {"successors[2].portion", service.MsgBadChoice}} {
		if !hasField(err, fe.field, fe.key) {
			t.Errorf("%s: %v", fe.field, err)
		}
	}
	if u, _ := f.st.GetUnit(ctx, f.unit["B1"]); u.ValidTo != "" {
		t.Fatal("a refused close changed the unit")
	}
	err = units.Close(ctx, admin, f.unit["B1"], service.UnitClose{ValidTo: "2025-12-31", Kind: "split", Successors: []service.UnitSuccessor{{UnitID: f.unit["W"], Portion: "partial"}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := units.Get(ctx, nil, service.UnitQuery{ID: f.unit["B1"], At: "2026-01-01"})
	if err != nil || v.Unit.ValidTo != "2025-12-31" || v.ValidAt || len(v.Successors) != 1 || v.Successors[0].SuccessorID != f.unit["W"] || v.Successors[0].Portion != "partial" || v.Successors[0].Effective != "2026-01-01" {
		t.Errorf("after close: %+v %v", v, err)
	}
	if err := units.Close(ctx, f.user(t, "canbo", authz.RoleUnitOfficer, "P"), f.unit["W"], service.UnitClose{ValidTo: "2025-12-31"}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("officer: %v", err)
	}
}

func TestUnitsImportPreviewAndConfirm(t *testing.T) {
	f := newUnitsFixture(t)
	ctx, units := t.Context(), f.svc.Units
	admin, other := f.user(t, "quantri", authz.RoleAdmin, "P"), f.user(t, "quantri2", authz.RoleAdmin, "P")
	csv := "code,name,kind,parent_code,valid_from,valid_to,remote\n" +
		"W,Xã Đông Sơn,commune,P,2025-07-01,,\n" + // unchanged
		"B1,Phòng Tổng hợp - Kiểm tra,department,B,2000-01-01,,\n" + // changed
		"C9,Xã Mới,commune,P,2025-08-01,,\n" + // new
		"B,Ban Dân vận Tỉnh ủy,party_commission,P,2000-01-01,2025-12-31,\n" // closed
	pv, err := units.PreviewImport(ctx, admin, strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []string{}
	for _, r := range pv.Rows {
		outcomes = append(outcomes, r.Outcome)
	}
	if !slices.Equal(outcomes, []string{"unchanged", "changed", "new", "closed"}) || pv.New != 1 || pv.Changed != 1 || pv.Closed != 1 || pv.Unchanged != 1 || pv.Token == "" {
		t.Fatalf("preview: %v %+v", outcomes, pv)
	}
	if !slices.Equal(pv.Rows[1].Fields, []string{"name"}) {
		t.Errorf("changed fields: %v", pv.Rows[1].Fields)
	}
	// Nothing is written by the preview.
	if u, _ := f.st.GetUnit(ctx, f.unit["B1"]); u.Name != "Phòng Tổng hợp" {
		t.Fatal("preview wrote")
	}
	// Another administrator cannot apply someone else's preview; a bad token is refused.
	if _, err := units.ApplyImport(ctx, other, pv.Token); !hasField(err, "token", service.MsgUnitImportToken) {
		t.Errorf("other user: %v", err)
	}
	if _, err := units.ApplyImport(ctx, admin, "nope"); !hasField(err, "token", service.MsgUnitImportToken) {
		t.Errorf("bad token: %v", err)
	}
	res, err := units.ApplyImport(ctx, admin, pv.Token)
	if err != nil || res.Created != 1 || res.Updated != 2 || res.Unchanged != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if u, _ := f.st.GetUnit(ctx, f.unit["B1"]); u.Name != "Phòng Tổng hợp - Kiểm tra" {
		t.Error("not applied")
	}
	if _, err := units.ApplyImport(ctx, admin, pv.Token); !hasField(err, "token", service.MsgUnitImportToken) {
		t.Errorf("token used twice: %v", err)
	}

	// A file with errors: line and column, no token.
	pv, err = units.PreviewImport(ctx, admin, strings.NewReader("code,name,kind,parent_code,valid_from,valid_to,remote\nX1,Xã X,commune,NOPE,2025-08-01,,\nX2,,commune,P,2025-08-01,,\n"))
	if err != nil || pv.Token != "" || len(pv.Errors) == 0 || pv.Errors[0].Line == 0 {
		t.Errorf("bad file: %+v %v", pv, err)
	}
	pv, err = units.PreviewImport(ctx, admin, strings.NewReader("code,name,kind,parent_code,valid_from,valid_to,remote\nX1,Xã X,commune,NOPE,2025-08-01,,\n"))
	if err != nil || pv.Token != "" || len(pv.Errors) != 1 || pv.Errors[0].Line != 2 || pv.Errors[0].Column != "parent_code" {
		t.Errorf("unknown parent: %+v %v", pv, err)
	}
	if _, err := units.PreviewImport(ctx, f.user(t, "canbo", authz.RoleUnitOfficer, "P"), strings.NewReader(csv)); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("officer: %v", err)
	}
}
