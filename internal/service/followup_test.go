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
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// fuFixture is a province P with two branches: A (commune A1 below it) and
// B (commune B1 below it). For every role there is a user granted it on A,
// so A1 is inside their subtree and B1 outside. Each commune has a head
// ("headA1", "headB1") who receives the unit's notifications.
type fuFixture struct {
	st    *store.Store
	svc   *service.Services
	fu    *service.FollowUp
	unit  map[string]int64
	as    map[authz.Role]*service.Principal
	heads map[string]*service.Principal
	tpl   report.Template
	sys   *service.Principal
}

func newFuFixture(t *testing.T) *fuFixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 5, 4, 2, 0, 0, 0, time.UTC) })
	sys := audit.System("test")
	f := &fuFixture{st: st, unit: map[string]int64{}, as: map[authz.Role]*service.Principal{}, heads: map[string]*service.Principal{}, sys: service.SystemPrincipal()}
	for _, u := range []struct {
		code, parent string
		kind         org.Kind
	}{{"P", "", org.KindProvince}, {"A", "P", org.KindDepartment}, {"B", "P", org.KindDepartment}, {"A1", "A", org.KindCommune}, {"B1", "B", org.KindCommune}} {
		x := org.Unit{Code: u.code, Name: "Đơn vị " + u.code, Kind: u.kind, ParentID: f.unit[u.parent], ValidFrom: "2025-07-01"}
		if err := st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		f.unit[u.code] = x.ID
	}
	user := func(name string, role authz.Role, unit int64) *service.Principal {
		u := account.User{Username: name, FullName: "Người " + name, Email: name + "@example.vn", PasswordHash: "x"}
		if err := st.CreateUser(ctx, sys, &u); err != nil {
			t.Fatal(err)
		}
		if err := st.AddGrant(ctx, sys, u.ID, role, unit); err != nil {
			t.Fatal(err)
		}
		return &service.Principal{User: u, Grants: []authz.Grant{{Role: role, UnitID: unit}}}
	}
	for _, r := range authz.AllRoles() {
		f.as[r] = user("u_"+string(r), r, f.unit["A"])
	}
	f.heads["A1"] = user("head_a1", authz.RoleUnitHead, f.unit["A1"])
	f.heads["B1"] = user("head_b1", authz.RoleUnitHead, f.unit["B1"])
	def, err := report.ParseDefinition([]byte(`{"indicators":[{"code":"cases","name":{"vi":"Số vụ việc"},"type":"integer","min":0}]}`))
	if err != nil {
		t.Fatal(err)
	}
	f.tpl = report.Template{Code: "BC-T", Name: "Báo cáo tháng", PeriodType: report.Monthly, CutoffDay: 15, Active: true, Definition: def}
	if err := st.CreateTemplate(ctx, sys, &f.tpl); err != nil {
		t.Fatal(err)
	}
	f.svc = servicetest.New(t, st)
	f.fu = f.svc.FollowUp
	return f
}

// plan creates an inspection as the system, led by lead, of units.
func (f *fuFixture) plan(t *testing.T, lead string, units ...string) service.Inspection {
	t.Helper()
	in := service.InspectionInput{Kind: "inspection", Topic: "Kiểm tra " + lead, LeadUnitID: f.unit[lead], StartOn: "2026-05-01", EndOn: "2026-05-30"}
	for _, u := range units {
		in.UnitIDs = append(in.UnitIDs, f.unit[u])
	}
	got, err := f.fu.CreateInspection(context.Background(), f.sys, in)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (f *fuFixture) rec(t *testing.T, in service.Inspection, unit string) service.Recommendation {
	t.Helper()
	r, err := f.fu.AddRecommendation(context.Background(), f.sys, in.ID, service.RecommendationInput{UnitID: f.unit[unit], Text: "Khắc phục", DueOn: "2026-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func roles(rs ...authz.Role) map[authz.Role]bool {
	m := map[authz.Role]bool{}
	for _, r := range rs {
		m[r] = true
	}
	return m
}

// outcome names an error for the matrix: "ok", "forbidden", "unauthenticated", …
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, service.ErrForbidden):
		return "forbidden"
	case errors.Is(err, service.ErrUnauthenticated):
		return "unauthenticated"
	case errors.Is(err, service.ErrNotFound):
		return "not found"
	}
	if _, ok := service.AsInvalid(err); ok {
		return "invalid: " + err.Error()
	}
	return "error: " + err.Error()
}

// TestFollowUpPermissionMatrix runs every follow-up use case as every role
// granted on branch A, on a unit inside (A1) and outside (B1) that subtree.
func TestFollowUpPermissionMatrix(t *testing.T) {
	f := newFuFixture(t)
	ctx := context.Background()
	// Plans led by P covering both communes (so the lead is not what
	// decides), and plans led inside and outside A.
	both := f.plan(t, "P", "A1", "B1")
	ledA, ledB := f.plan(t, "A", "A1"), f.plan(t, "B", "B1")
	// A plan of A that (as an administrator planned it) also covers B1.
	mixed := f.plan(t, "A", "A1", "B1")
	recA1, recB1 := f.rec(t, ledA, "A1"), f.rec(t, ledB, "B1")

	manage := roles(authz.RoleAdmin, authz.RoleCoordinator, authz.RoleInspector)
	read := roles(authz.RoleAdmin, authz.RoleCoordinator, authz.RoleInspector, authz.RoleLeader, authz.RoleCouncilMember, authz.RoleUnitHead, authz.RoleUnitOfficer)
	urge := roles(authz.RoleAdmin, authz.RoleCoordinator)
	reportRead := roles(authz.RoleAdmin, authz.RoleCoordinator, authz.RoleLeader, authz.RoleInspector, authz.RoleCouncilMember, authz.RoleUnitHead, authz.RoleUnitOfficer)
	dashboard := roles(authz.RoleAdmin, authz.RoleCoordinator, authz.RoleLeader, authz.RoleInspector, authz.RoleCouncilMember, authz.RoleUnitHead)
	respond := roles(authz.RoleAdmin, authz.RoleCoordinator, authz.RoleInspector, authz.RoleUnitHead, authz.RoleUnitOfficer)
	admin := roles(authz.RoleAdmin)

	type useCase struct {
		name    string
		inside  map[authz.Role]bool // who may, on A1 / the plan led by A
		outside map[authz.Role]bool // who may, on B1 / the plan led by B
		run     func(p *service.Principal, unit string) error
	}
	plans := map[string]service.Inspection{"A1": ledA, "B1": ledB}
	recs := map[string]service.Recommendation{"A1": recA1, "B1": recB1}
	cases := []useCase{
		{"send urge", urge, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.SendUrge(ctx, p, service.UrgeInput{UnitID: f.unit[u], Message: "Đề nghị gửi báo cáo"})
			return err
		}},
		{"list urges of a unit", reportRead, admin, func(p *service.Principal, u string) error {
			_, _, err := f.fu.Urges(ctx, p, f.unit[u], 10, 0)
			return err
		}},
		{"create inspection", manage, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.CreateInspection(ctx, p, service.InspectionInput{Kind: "inspection", Topic: "Kiểm tra", LeadUnitID: f.unit[u],
				UnitIDs: []int64{f.unit[u]}, StartOn: "2026-05-01", EndOn: "2026-05-02"})
			return err
		}},
		{"inspect a unit of another branch", manage, admin, func(p *service.Principal, u string) error {
			// The lead unit is always inside; only the inspected unit varies.
			_, err := f.fu.CreateInspection(ctx, p, service.InspectionInput{Kind: "supervision", Topic: "Giám sát", LeadUnitID: f.unit["A"],
				UnitIDs: []int64{f.unit["A1"], f.unit[u]}, StartOn: "2026-05-01", EndOn: "2026-05-02"})
			return err
		}},
		{"see inspection", read, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.Inspection(ctx, p, plans[u].ID)
			return err
		}},
		{"set inspection status", manage, admin, func(p *service.Principal, u string) error {
			return f.fu.SetInspectionStatus(ctx, p, plans[u].ID, "ongoing")
		}},
		{"add finding", manage, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.AddFinding(ctx, p, plans[u].ID, service.FindingInput{UnitID: f.unit[u], Text: "Phát hiện"})
			return err
		}},
		{"add recommendation", manage, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.AddRecommendation(ctx, p, plans[u].ID, service.RecommendationInput{UnitID: f.unit[u], Text: "Kiến nghị", DueOn: "2026-07-01"})
			return err
		}},
		// On A's own plan, a unit of branch B stays out of reach.
		{"finding at another branch's unit", manage, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.AddFinding(ctx, p, mixed.ID, service.FindingInput{UnitID: f.unit[u], Text: "Phát hiện"})
			return err
		}},
		{"recommendation to another branch's unit", manage, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.AddRecommendation(ctx, p, mixed.ID, service.RecommendationInput{UnitID: f.unit[u], Text: "Kiến nghị", DueOn: "2026-07-01"})
			return err
		}},
		// A plan led by P that covers both communes: inspectors of A see it
		// (A1 is theirs) but do not manage its lead, so only an
		// administrator acts on it; on B1 only the administrator too.
		{"finding on a plan of the province", admin, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.AddFinding(ctx, p, both.ID, service.FindingInput{UnitID: f.unit[u], Text: "Phát hiện"})
			return err
		}},
		{"respond to recommendation", respond, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.Respond(ctx, p, recs[u].ID, service.ResponseInput{Response: "Đã khắc phục"})
			return err
		}},
		{"read dashboard", dashboard, admin, func(p *service.Principal, u string) error {
			_, err := f.fu.Dashboard(ctx, p, service.DashboardInput{UnitID: f.unit[u], Lang: "vi"})
			return err
		}},
	}
	for _, c := range cases {
		for _, r := range authz.AllRoles() {
			for _, side := range []string{"A1", "B1"} {
				want := c.inside[r]
				if side == "B1" {
					want = c.outside[r]
				}
				got := outcome(c.run(f.as[r], side))
				if want && got != "ok" || !want && got != "forbidden" {
					t.Errorf("%s as %s on %s: %s, want allowed=%v", c.name, r, side, got, want)
				}
			}
		}
		// Nobody signed in: never allowed, and told to sign in.
		if got := outcome(c.run(nil, "A1")); got != "unauthenticated" {
			t.Errorf("%s anonymously: %s", c.name, got)
		}
	}
	// Who may create at all (the form is shown).
	for _, r := range authz.AllRoles() {
		if got := f.fu.CanCreateInspection(f.as[r]); got != manage[r] {
			t.Errorf("CanCreateInspection(%s) = %v", r, got)
		}
		if got := f.fu.CanUrge(f.as[r]); got != urge[r] {
			t.Errorf("CanUrge(%s) = %v", r, got)
		}
	}
}

// TestFollowUpOutsideStaffNotNotified: a refused recommendation or urge on
// another branch leaves its staff without notifications.
func TestFollowUpOutsideStaffNotNotified(t *testing.T) {
	f := newFuFixture(t)
	ctx := context.Background()
	ledB, mixed := f.plan(t, "B", "B1"), f.plan(t, "A", "A1", "B1")
	// Opening the plans told the heads; start with nothing unread.
	for _, h := range f.heads {
		if _, err := f.fu.MarkAllRead(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []authz.Role{authz.RoleCoordinator, authz.RoleInspector} {
		p := f.as[r]
		for _, in := range []service.Inspection{ledB, mixed} {
			if _, err := f.fu.AddRecommendation(ctx, p, in.ID, service.RecommendationInput{UnitID: f.unit["B1"], Text: "x", DueOn: "2026-07-01"}); !errors.Is(err, service.ErrForbidden) {
				t.Errorf("%s: recommendation on B1 in plan %d: %v", r, in.ID, err)
			}
		}
		if _, err := f.fu.SendUrge(ctx, p, service.UrgeInput{UnitID: f.unit["B1"], Message: "x"}); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("%s: urge of B1: %v", r, err)
		}
	}
	if n, err := f.fu.UnreadCount(ctx, f.heads["B1"]); err != nil || n != 0 {
		t.Fatalf("B1's head has %d notifications (%v)", n, err)
	}
	// Inside, the head is told.
	if _, err := f.fu.SendUrge(ctx, f.as[authz.RoleCoordinator], service.UrgeInput{UnitID: f.unit["A1"], Message: "Đề nghị gửi báo cáo tháng 4"}); err != nil {
		t.Fatal(err)
	}
	list, err := f.fu.Notifications(ctx, f.heads["A1"], true, 10, 0)
	if err != nil || list.Unread != 1 || len(list.Items) != 1 || !strings.Contains(list.Items[0].Body, "Đề nghị gửi báo cáo tháng 4") {
		t.Fatalf("A1's head: %+v %v", list, err)
	}
	// Marking read is the owner's only.
	if _, err := f.fu.MarkRead(ctx, f.heads["B1"], list.Items[0].ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("another user's notification: %v", err)
	}
	if _, err := f.fu.MarkRead(ctx, f.heads["A1"], list.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.fu.UnreadCount(ctx, f.heads["A1"]); n != 0 {
		t.Fatalf("unread after reading: %d", n)
	}
}

// fieldOf returns the fields of an invalid-input error ("" when the error
// is of another kind).
func fieldsOf(err error) []string {
	inv, ok := service.AsInvalid(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range inv.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestFollowUpValidation(t *testing.T) {
	f := newFuFixture(t)
	ctx := context.Background()
	coord := f.as[authz.RoleCoordinator]
	plan := f.plan(t, "A", "A1")
	inactive := report.Template{Code: "BC-OLD", Name: "Mẫu cũ", PeriodType: report.Monthly, CutoffDay: 15, Definition: f.tpl.Definition}
	if err := f.st.CreateTemplate(ctx, audit.System("test"), &inactive); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{"NUL": "a\x00b", "invalid UTF-8": "a\xff\xfeb", "control": "a\x07b"}
	type vcase struct {
		name  string
		field string
		run   func() error
	}
	cases := []vcase{
		{"urge without unit", "unit_id", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{Message: "x"})
			return err
		}},
		{"urge of an unknown unit", "unit_id", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: 1 << 40, Message: "x"})
			return err
		}},
		{"urge without message", "message", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], Message: "  "})
			return err
		}},
		{"urge message too long", "message", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], Message: strings.Repeat("ắ", service.MaxUrgeMessage+1)})
			return err
		}},
		{"urge year 2^31", "period_year", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], PeriodType: "monthly", PeriodYear: 1 << 31, PeriodNumber: 1, Message: "x"})
			return err
		}},
		{"urge month 13", "period_number", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], PeriodType: "monthly", PeriodYear: 2026, PeriodNumber: 13, Message: "x"})
			return err
		}},
		{"urge period type unknown", "period_type", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], PeriodType: "weekly", PeriodYear: 2026, PeriodNumber: 1, Message: "x"})
			return err
		}},
		{"urge of an unknown template", "template_id", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], TemplateID: 1 << 40, Message: "x"})
			return err
		}},
		{"urge of an inactive template", "template_id", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], TemplateID: inactive.ID, Message: "x"})
			return err
		}},
		{"urge of an unknown report", "report_id", func() error {
			_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{ReportID: 1 << 40, Message: "x"})
			return err
		}},
		{"inspection ends before it starts", "end_on", func() error {
			_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "x", LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-02", EndOn: "2026-05-01"})
			return err
		}},
		{"inspection in year 10000", "start_on", func() error {
			_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "x", LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "10000-01-01", EndOn: "2026-05-01"})
			return err
		}},
		{"inspection of no unit", "unit_ids", func() error {
			_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "x", LeadUnitID: f.unit["A"], StartOn: "2026-05-01", EndOn: "2026-05-01"})
			return err
		}},
		{"inspection of an unknown unit", "unit_ids", func() error {
			_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "x", LeadUnitID: f.unit["A"], UnitIDs: []int64{-1}, StartOn: "2026-05-01", EndOn: "2026-05-01"})
			return err
		}},
		{"inspection kind unknown", "kind", func() error {
			_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "audit", Topic: "x", LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-01", EndOn: "2026-05-01"})
			return err
		}},
		{"inspection team member unknown", "member_ids", func() error {
			_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "x", LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-01", EndOn: "2026-05-01", MemberIDs: []int64{1 << 40}})
			return err
		}},
		{"inspection team name unknown", "members", func() error {
			_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "x", LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-01", EndOn: "2026-05-01", MemberNames: []string{"khong_co"}})
			return err
		}},
		{"finding on a unit not inspected", "unit_id", func() error {
			_, err := f.fu.AddFinding(ctx, coord, plan.ID, service.FindingInput{UnitID: f.unit["A"], Text: "x"})
			return err
		}},
		{"finding without text", "text", func() error {
			_, err := f.fu.AddFinding(ctx, coord, plan.ID, service.FindingInput{UnitID: f.unit["A1"], Text: " "})
			return err
		}},
		{"recommendation with a bad due date", "due_on", func() error {
			_, err := f.fu.AddRecommendation(ctx, coord, plan.ID, service.RecommendationInput{UnitID: f.unit["A1"], Text: "x", DueOn: "2026-02-30"})
			return err
		}},
		{"closing without a response", "response", func() error {
			rec := f.rec(t, plan, "A1")
			_, err := f.fu.Respond(ctx, f.heads["A1"], rec.ID, service.ResponseInput{Done: true})
			return err
		}},
		{"status unknown", "status", func() error { return f.fu.SetInspectionStatus(ctx, coord, plan.ID, "closed") }},
		{"dashboard period malformed", "period", func() error {
			_, err := f.fu.Dashboard(ctx, coord, service.DashboardInput{UnitID: f.unit["A"], Period: "2026-x"})
			return err
		}},
	}
	// NUL bytes, invalid UTF-8 and control characters in every free-text
	// field: refused before they reach either engine.
	for name, s := range bad {
		cases = append(cases,
			vcase{"urge message with " + name, "message", func() error {
				_, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], Message: s})
				return err
			}},
			vcase{"inspection topic with " + name, "topic", func() error {
				_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: s, LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-01", EndOn: "2026-05-01"})
				return err
			}},
			vcase{"inspection team with " + name, "team", func() error {
				_, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "x", Team: s, LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-01", EndOn: "2026-05-01"})
				return err
			}},
			vcase{"finding with " + name, "text", func() error {
				_, err := f.fu.AddFinding(ctx, coord, plan.ID, service.FindingInput{UnitID: f.unit["A1"], Text: s})
				return err
			}},
			vcase{"recommendation text with " + name, "text", func() error {
				_, err := f.fu.AddRecommendation(ctx, coord, plan.ID, service.RecommendationInput{UnitID: f.unit["A1"], Text: s, DueOn: "2026-07-01"})
				return err
			}},
			vcase{"recommendation owner with " + name, "owner", func() error {
				_, err := f.fu.AddRecommendation(ctx, coord, plan.ID, service.RecommendationInput{UnitID: f.unit["A1"], Owner: s, Text: "x", DueOn: "2026-07-01"})
				return err
			}},
			vcase{"response with " + name, "response", func() error {
				rec := f.rec(t, plan, "A1")
				_, err := f.fu.Respond(ctx, f.heads["A1"], rec.ID, service.ResponseInput{Response: s})
				return err
			}},
		)
	}
	for _, c := range cases {
		err := c.run()
		if !slices.Contains(fieldsOf(err), c.field) {
			t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
		}
	}
	// Multi-line text keeps its line breaks; nothing invalid was stored.
	got, err := f.fu.AddFinding(ctx, coord, plan.ID, service.FindingInput{UnitID: f.unit["A1"], Text: "Dòng 1\nDòng 2\tcột"})
	if err != nil || got.Text != "Dòng 1\nDòng 2\tcột" {
		t.Fatalf("multi-line finding: %+v %v", got, err)
	}
	v, err := f.fu.Inspection(ctx, coord, plan.ID)
	if err != nil || len(v.Findings) != 1 {
		t.Fatalf("findings stored: %+v %v", v.Findings, err)
	}
}

// TestFollowUpUrgeFromReportAndTeam: an urge named by its report takes the
// report's unit and period; a team member sees the plan and is told of a
// response.
func TestFollowUpUrgeFromReportAndTeam(t *testing.T) {
	f := newFuFixture(t)
	ctx := context.Background()
	coord := f.as[authz.RoleCoordinator]
	u, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], TemplateID: f.tpl.ID, PeriodType: "monthly", PeriodYear: 2026, PeriodNumber: 4, Message: "Đề nghị gửi"})
	if err != nil || u.ID == 0 || u.UnitName != "Đơn vị A1" || u.TemplateName != "Báo cáo tháng" || u.SentByName != coord.User.FullName {
		t.Fatalf("urge: %+v %v", u, err)
	}
	us, total, err := f.fu.Urges(ctx, f.heads["A1"], 0, 10, 0)
	if err != nil || total != 1 || us[0].ID != u.ID {
		t.Fatalf("the unit's head sees the urge: %+v %d %v", us, total, err)
	}
	if _, total, _ := f.fu.Urges(ctx, f.heads["B1"], 0, 10, 0); total != 0 {
		t.Fatalf("B1's head sees %d urges of A1", total)
	}
	// A citizen on the team sees the plan and hears of the response.
	citizen := f.as[authz.RoleCitizen]
	in, err := f.fu.CreateInspection(ctx, coord, service.InspectionInput{Kind: "inspection", Topic: "Kiểm tra", LeadUnitID: f.unit["A"],
		UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-01", EndOn: "2026-05-10", MemberNames: []string{citizen.User.Username}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.fu.Inspection(ctx, citizen, in.ID); err != nil {
		t.Fatalf("team member: %v", err)
	}
	items, _, err := f.fu.Inspections(ctx, citizen, 10, 0)
	if err != nil || len(items) != 1 || items[0].ID != in.ID {
		t.Fatalf("team member's list: %+v %v", items, err)
	}
	rec := f.rec(t, in, "A1")
	got, err := f.fu.Respond(ctx, f.heads["A1"], rec.ID, service.ResponseInput{Response: "Đã khắc phục", Done: true})
	if err != nil || got.Status != "done" || got.ClosedAt.IsZero() {
		t.Fatalf("respond: %+v %v", got, err)
	}
	list, err := f.fu.Notifications(ctx, citizen, true, 10, 0)
	if err != nil || list.Unread != 1 {
		t.Fatalf("team member told: %+v %v", list, err)
	}
	// Overdue marks: an open recommendation past its due date.
	late, err := f.fu.AddRecommendation(ctx, coord, in.ID, service.RecommendationInput{UnitID: f.unit["A1"], Text: "Quá hạn", DueOn: "2026-05-01"})
	if err != nil || !late.Overdue {
		t.Fatalf("overdue: %+v %v", late, err)
	}
	v, _ := f.fu.Inspection(ctx, coord, in.ID)
	if v.OverdueRecs != 1 || v.OpenRecs != 1 || !v.CanManage || !v.Respond[late.ID] {
		t.Fatalf("view: open %d overdue %d manage %v", v.OpenRecs, v.OverdueRecs, v.CanManage)
	}
	if v, _ := f.fu.Inspection(ctx, f.as[authz.RoleLeader], in.ID); v.CanManage || v.Respond[late.ID] {
		t.Fatalf("a leader may manage or respond: %+v", v.Respond)
	}
}

func TestFollowUpDashboardDefaultsAndUnits(t *testing.T) {
	f := newFuFixture(t)
	ctx := context.Background()
	d, err := f.fu.Dashboard(ctx, f.as[authz.RoleLeader], service.DashboardInput{})
	if err != nil || d.UnitID != f.unit["A"] {
		t.Fatalf("default unit: %d %v", d.UnitID, err)
	}
	if _, err := f.fu.Dashboard(ctx, f.as[authz.RoleCitizen], service.DashboardInput{}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("citizen: %v", err)
	}
	us := f.fu.DashboardUnits(f.as[authz.RoleLeader], f.unit["A"])
	var names []string
	for _, u := range us {
		names = append(names, fmt.Sprintf("%s/%d", u.Code, u.Depth))
	}
	if strings.Join(names, " ") != "A/0 A1/1" {
		t.Fatalf("units offered: %v", names)
	}
	if d, err := f.fu.Dashboard(ctx, f.sys, service.DashboardInput{}); err != nil || d.UnitID != f.unit["P"] {
		t.Fatalf("system: %d %v", d.UnitID, err)
	}
}
