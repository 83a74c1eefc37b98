package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

const rptDef = `{
 "sections": [{"key":"highlights","title":{"vi":"Kết quả nổi bật"}}],
 "indicators": [
  {"code":"cases","name":{"vi":"Số vụ việc"},"type":"integer","required":true,"min":0},
  {"code":"done","name":{"vi":"Đã giải quyết"},"type":"integer","min":0}
 ],
 "rules": [{"left":"done","op":"<=","right":"cases"}]
}`

// rptFixture is a province P with two branches, each with a commune:
//
//	P  Tỉnh (province)
//	├── A  Ban A (department) ── A1 Xã A1 (commune)
//	└── B  Ban B (department) ── B1 Xã B1 (commune)
//
// Every role is granted once on A (the parent side of A1) and once on A1
// (the commune itself); B1 is outside every grant but the administrator's.
// The template T (owned by P) asks every commune of P to report monthly.
type rptFixture struct {
	st   *store.Store
	svc  *service.Services
	rs   *service.Reports
	unit map[string]int64
	onA  map[authz.Role]*service.Principal
	onA1 map[authz.Role]*service.Principal
	// heads of the communes, who open and submit their reports.
	head map[string]*service.Principal
	sys  *service.Principal
	tpl  service.Template
}

func newRptFixture(t *testing.T) *rptFixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2025, 9, 1, 3, 0, 0, 0, time.UTC) })
	sys := audit.System("test")
	f := &rptFixture{st: st, unit: map[string]int64{}, onA: map[authz.Role]*service.Principal{}, onA1: map[authz.Role]*service.Principal{},
		head: map[string]*service.Principal{}, sys: service.SystemPrincipal()}
	for _, u := range []struct {
		code, parent string
		kind         org.Kind
	}{{"P", "", org.KindProvince}, {"A", "P", org.KindDepartment}, {"B", "P", org.KindDepartment}, {"A1", "A", org.KindCommune}, {"B1", "B", org.KindCommune}} {
		x := org.Unit{Code: u.code, Name: "Đơn vị " + u.code, Kind: u.kind, ParentID: f.unit[u.parent], ValidFrom: "2020-01-01"}
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
		f.onA[r] = user("a_"+string(r), r, f.unit["A"])
		f.onA1[r] = user("a1_"+string(r), r, f.unit["A1"])
	}
	f.head["A1"] = f.onA1[authz.RoleUnitHead]
	f.head["B1"] = user("head_b1", authz.RoleUnitHead, f.unit["B1"])
	f.svc = servicetest.New(t, st)
	f.rs = f.svc.Reports
	cut := 15
	var err error
	f.tpl, err = f.rs.CreateTemplate(ctx, f.sys, service.TemplateInput{Code: "BC-T", Name: "Báo cáo tháng", PeriodType: "monthly", CutoffDay: &cut, Definition: []byte(rptDef), OwnerUnitID: f.unit["P"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.rs.CreateSchedule(ctx, f.sys, f.tpl.ID, service.ScheduleInput{UnitID: f.unit["P"], Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5, WorkingDays: true}}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// open opens (as the commune's head) the report of unit for month m of 2025.
func (f *rptFixture) open(t *testing.T, unit string, m int) service.Report {
	t.Helper()
	r, err := f.rs.Open(t.Context(), f.head[unit], service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit[unit], Year: 2025, Number: m})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// submitted opens and submits a valid report of unit for month m.
func (f *rptFixture) submitted(t *testing.T, unit string, m int) service.Report {
	t.Helper()
	r := f.open(t, unit, m)
	out, err := f.rs.Submit(t.Context(), f.head[unit], r.ID, service.DraftInput{Version: r.Version, Values: map[string]string{"cases": "4", "done": "3"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// verdict names an outcome for the matrix.
func verdict(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, service.ErrUnauthenticated):
		return "unauthenticated"
	case errors.Is(err, service.ErrForbidden):
		return "forbidden"
	case errors.Is(err, service.ErrNotFound):
		return "not found"
	case errors.Is(err, service.ErrConflict):
		return "conflict"
	}
	if _, ok := service.AsInvalid(err); ok {
		return "invalid"
	}
	return "error: " + err.Error()
}

func ok(b bool) string {
	if b {
		return "ok"
	}
	return "forbidden"
}

// roles lists the principals of the matrix: every role on A and on A1.
func (f *rptFixture) roles() map[string]*service.Principal {
	out := map[string]*service.Principal{}
	for r, p := range f.onA {
		out["A/"+string(r)] = p
	}
	for r, p := range f.onA1 {
		out["A1/"+string(r)] = p
	}
	return out
}

func role(name string) (at string, r authz.Role) {
	at, rs, _ := strings.Cut(name, "/")
	return at, authz.Role(rs)
}

func TestReportsAnonymousIsRefusedEverywhere(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	rep := f.submitted(t, "A1", 7)
	var anon *service.Principal
	for name, err := range map[string]error{
		"list":      func() error { _, err := f.rs.List(ctx, anon, service.ReportQuery{}); return err }(),
		"get":       func() error { _, err := f.rs.Get(ctx, anon, rep.ID); return err }(),
		"templates": func() error { _, err := f.rs.ListTemplates(ctx, anon, false); return err }(),
		"open": func() error {
			_, err := f.rs.Open(ctx, anon, service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit["A1"], Year: 2025, Number: 8})
			return err
		}(),
		"completeness": func() error {
			_, err := f.rs.Completeness(ctx, anon, service.CompletenessQuery{TemplateID: f.tpl.ID, Year: 2025, Number: 7})
			return err
		}(),
		"create": func() error { _, err := f.rs.CreateTemplate(ctx, anon, service.TemplateInput{}); return err }(),
		"review": func() error {
			v := rep.Version
			_, err := f.rs.Review(ctx, anon, rep.ID, service.ReviewInput{Version: &v}, true)
			return err
		}(),
		"consolidated": func() error {
			_, err := f.rs.Consolidated(ctx, anon, service.ConsolidatedQuery{TemplateID: f.tpl.ID, UnitID: f.unit["A"], Type: "monthly", Year: 2025, Number: 7})
			return err
		}(),
	} {
		if !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("%s: %v, want unauthenticated", name, err)
		}
	}
}

// TestReportsOwnUnitMatrix: opening, saving and submitting a report is for
// the unit's own head and officers only, never another unit's.
func TestReportsOwnUnitMatrix(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	for name, p := range f.roles() {
		at, r := role(name)
		own := at == "A1" && (r == authz.RoleUnitHead || r == authz.RoleUnitOfficer)
		for _, unit := range []string{"A1", "B1"} {
			_, err := f.rs.Open(ctx, p, service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit[unit], Year: 2025, Number: 3})
			if got, want := verdict(err), ok(own && unit == "A1"); got != want {
				t.Errorf("%s opens %s: %s, want %s", name, unit, got, want)
			}
		}
	}
	// Saving and submitting a draft of A1 (inside) and of B1 (outside).
	for _, unit := range []string{"A1", "B1"} {
		for name, p := range f.roles() {
			at, r := role(name)
			own := unit == "A1" && at == "A1" && (r == authz.RoleUnitHead || r == authz.RoleUnitOfficer)
			rep := f.open(t, unit, 4)
			cur, err := f.rs.Get(ctx, f.head[unit], rep.ID)
			if err != nil {
				t.Fatal(err)
			}
			saved, _, err := f.rs.SaveDraft(ctx, p, rep.ID, service.DraftInput{Version: cur.Report.Version, Values: map[string]string{"cases": "2"}})
			if got, want := verdict(err), ok(own); got != want {
				t.Errorf("%s saves %s: %s, want %s", name, unit, got, want)
			}
			v := cur.Report.Version
			if err == nil {
				v = saved.Version
			}
			_, err = f.rs.Submit(ctx, p, rep.ID, service.DraftInput{Version: v}, false)
			if got, want := verdict(err), ok(own); got != want {
				t.Errorf("%s submits %s: %s, want %s", name, unit, got, want)
			}
			if err == nil { // back to a draft for the next principal
				back := v + 1
				if _, err := f.rs.Review(ctx, f.sys, rep.ID, service.ReviewInput{Version: &back, Comment: "Làm lại"}, false); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestReportsReadAndReviewMatrix: who sees a draft, a submitted report, and
// who may return or accept it, inside and outside the grant.
func TestReportsReadAndReviewMatrix(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	draftA1, draftB1 := f.open(t, "A1", 2), f.open(t, "B1", 2)
	subA1, subB1 := f.submitted(t, "A1", 1), f.submitted(t, "B1", 1)
	readers := map[authz.Role]bool{authz.RoleUnitHead: true, authz.RoleUnitOfficer: true, authz.RoleCoordinator: true, authz.RoleLeader: true, authz.RoleInspector: true, authz.RoleCouncilMember: true}
	for name, p := range f.roles() {
		at, r := role(name)
		admin := r == authz.RoleAdmin
		ownA1 := at == "A1" && (r == authz.RoleUnitHead || r == authz.RoleUnitOfficer)
		cases := []struct {
			what string
			id   int64
			want bool
		}{
			{"draft A1", draftA1.ID, admin || ownA1},
			{"draft B1", draftB1.ID, admin},
			{"submitted A1", subA1.ID, admin || readers[r]},
			{"submitted B1", subB1.ID, admin},
		}
		for _, c := range cases {
			_, err := f.rs.Get(ctx, p, c.id)
			if got, want := verdict(err), ok(c.want); got != want {
				t.Errorf("%s reads %s: %s, want %s", name, c.what, got, want)
			}
			_, err = f.rs.Versions(ctx, p, c.id)
			if got, want := verdict(err), ok(c.want); got != want {
				t.Errorf("%s reads versions of %s: %s, want %s", name, c.what, got, want)
			}
		}
		// Reviewing: the parent side (coordinator in its subtree, unit head
		// strictly above), never the unit's own head; admin anywhere. A
		// wrong version is checked after permission: conflict means allowed.
		stale := 1
		for _, c := range []struct {
			what string
			id   int64
			want bool
		}{
			{"A1", subA1.ID, admin || r == authz.RoleCoordinator || (r == authz.RoleUnitHead && at == "A")},
			{"B1", subB1.ID, admin},
		} {
			for _, accept := range []bool{false, true} {
				_, err := f.rs.Review(ctx, p, c.id, service.ReviewInput{Version: &stale, Comment: "Xem lại"}, accept)
				want := "forbidden"
				if c.want {
					want = "conflict"
				}
				if got := verdict(err); got != want {
					t.Errorf("%s reviews %s (accept %v): %s, want %s", name, c.what, accept, got, want)
				}
			}
		}
	}
}

// TestReportsTemplateMatrix: template management is checked on the
// template's owner unit, schedules on the scheduled unit.
func TestReportsTemplateMatrix(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	n := 0
	for name, p := range f.roles() {
		at, r := role(name)
		admin := r == authz.RoleAdmin
		coordA := r == authz.RoleCoordinator && at == "A"
		coordA1 := r == authz.RoleCoordinator && at == "A1"
		for _, c := range []struct {
			owner string
			want  bool
		}{{"", admin}, {"P", admin}, {"A", admin || coordA}, {"A1", admin || coordA || coordA1}, {"B", admin}} {
			n++
			cut := 1
			in := service.TemplateInput{Code: fmt.Sprintf("T-%d", n), Name: "Mẫu " + c.owner, PeriodType: "quarterly", CutoffDay: &cut, Definition: []byte(rptDef), OwnerUnitID: f.unit[c.owner]}
			created, err := f.rs.CreateTemplate(ctx, p, in)
			if got, want := verdict(err), ok(c.want); got != want {
				t.Errorf("%s creates a template owned by %q: %s, want %s", name, c.owner, got, want)
			}
			if err != nil {
				continue
			}
			// Replacing it: the same rule; moving it to B needs B too.
			in.Version, in.Name = created.Version, "Mẫu sửa"
			up, err := f.rs.UpdateTemplate(ctx, p, created.ID, in)
			if err != nil {
				t.Errorf("%s updates its own template: %v", name, err)
				continue
			}
			in.Version, in.OwnerUnitID = up.Version, f.unit["B"]
			_, err = f.rs.UpdateTemplate(ctx, p, created.ID, in)
			if got, want := verdict(err), ok(admin); got != want {
				t.Errorf("%s moves a template owned by %q to B: %s, want %s", name, c.owner, got, want)
			}
		}
		// The province's template T: nobody but the administrator replaces it.
		_, err := f.rs.UpdateTemplate(ctx, p, f.tpl.ID, service.TemplateInput{Code: "BC-T", Name: "Chiếm", PeriodType: "monthly", Definition: []byte(rptDef), OwnerUnitID: f.unit["P"], Version: 1})
		want := "forbidden"
		if admin {
			want = "conflict" // allowed, but version 1 is stale by now
		}
		if got := verdict(err); got != want && !(admin && got == "ok") {
			t.Errorf("%s replaces the province template: %s, want %s", name, got, want)
		}
		// Schedules on T (owned by P): on the scheduled unit.
		for _, c := range []struct {
			unit string
			want bool
		}{{"A1", admin || coordA || coordA1}, {"A", admin || coordA}, {"B1", admin}, {"P", admin}} {
			_, err := f.rs.CreateSchedule(ctx, p, f.tpl.ID, service.ScheduleInput{UnitID: f.unit[c.unit], Deadlines: []report.LevelDeadline{{Level: "x", DaysAfterEnd: 3}}})
			if got, want := verdict(err), ok(c.want); got != want {
				t.Errorf("%s schedules %s: %s, want %s", name, c.unit, got, want)
			}
		}
	}
	// A template owned by A schedules only units of A's subtree.
	cut := 1
	ta, err := f.rs.CreateTemplate(ctx, f.onA[authz.RoleCoordinator], service.TemplateInput{Code: "T-A", Name: "Mẫu A", PeriodType: "monthly", CutoffDay: &cut, Definition: []byte(rptDef), OwnerUnitID: f.unit["A"]})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.rs.CreateSchedule(ctx, f.sys, ta.ID, service.ScheduleInput{UnitID: f.unit["B1"], Deadlines: []report.LevelDeadline{{Level: "x", DaysAfterEnd: 3}}})
	if inv, ok := service.AsInvalid(err); !ok || inv.Fields[0].Key != service.MsgOutsideOwner {
		t.Fatalf("schedule outside the owner: %v", err)
	}
}

// TestReportsListAndCompletenessVisibility: lists and completeness show only
// what the principal may read.
func TestReportsListAndCompletenessVisibility(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	f.submitted(t, "A1", 7)
	f.submitted(t, "B1", 7)
	f.open(t, "A1", 8)
	for name, p := range f.roles() {
		at, r := role(name)
		admin := r == authz.RoleAdmin
		reads := map[authz.Role]bool{authz.RoleUnitHead: true, authz.RoleUnitOfficer: true, authz.RoleCoordinator: true, authz.RoleLeader: true, authz.RoleInspector: true, authz.RoleCouncilMember: true}[r]
		own := at == "A1" && (r == authz.RoleUnitHead || r == authz.RoleUnitOfficer)
		want := 0
		switch {
		case admin:
			want = 3
		case own:
			want = 2 // its submitted report and its draft
		case reads:
			want = 1 // A1's submitted report
		}
		pg, err := f.rs.List(ctx, p, service.ReportQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.Items) != want || pg.Total != want {
			t.Errorf("%s lists %d (total %d), want %d", name, len(pg.Items), pg.Total, want)
		}
		c, err := f.rs.Completeness(ctx, p, service.CompletenessQuery{TemplateID: f.tpl.ID, Year: 2025, Number: 7})
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		switch {
		case admin:
			rows = 2
		case reads:
			rows = 1
		}
		if len(c.Rows) != rows || c.Total.Expected != rows {
			t.Errorf("%s sees %d completeness rows (expected %d), want %d", name, len(c.Rows), c.Total.Expected, rows)
		}
		for _, row := range c.Rows {
			if row.UnitID == f.unit["B1"] && !admin {
				t.Errorf("%s sees B1 in completeness", name)
			}
		}
	}
}

// TestReportsValidation: numbers, years, text and versions from outside are
// bounded and clean; refusals are InvalidErrors naming the field.
func TestReportsValidation(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	head := f.head["A1"]
	field := func(err error) string {
		t.Helper()
		inv, ok := service.AsInvalid(err)
		if !ok {
			t.Fatalf("not invalid: %v", err)
		}
		return inv.Fields[0].Field
	}
	for _, y := range []int{2147483647, -2147483648, 9999, 2101, 1899, 0} {
		_, err := f.rs.Open(ctx, head, service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit["A1"], Year: y, Number: 1})
		if got := field(err); got != "year" {
			t.Errorf("year %d: field %s", y, got)
		}
		_, err = f.rs.Completeness(ctx, head, service.CompletenessQuery{TemplateID: f.tpl.ID, Year: y, Number: 1})
		if got := field(err); got != "year" {
			t.Errorf("completeness year %d: field %s", y, got)
		}
		_, err = f.rs.Consolidated(ctx, head, service.ConsolidatedQuery{TemplateID: f.tpl.ID, UnitID: f.unit["A1"], Type: "monthly", Year: y, Number: 1})
		if got := field(err); got != "year" {
			t.Errorf("consolidated year %d: field %s", y, got)
		}
	}
	for _, n := range []int{0, 13, -1, 1 << 40} {
		_, err := f.rs.Open(ctx, head, service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit["A1"], Year: 2025, Number: n})
		if got := field(err); got != "number" {
			t.Errorf("number %d: field %s", n, got)
		}
	}
	// Schedules: every number bounded, the 2147483648-day deadline refused.
	for _, days := range []int{2147483648, 367, 0, -1} {
		_, err := f.rs.CreateSchedule(ctx, f.sys, f.tpl.ID, service.ScheduleInput{UnitID: f.unit["A"], Deadlines: []report.LevelDeadline{{Level: "ban", DaysAfterEnd: days}}})
		if got := field(err); got != "deadlines[0].days_after_end" {
			t.Errorf("days %d: field %s", days, got)
		}
	}
	many := make([]report.LevelDeadline, 21)
	for i := range many {
		many[i] = report.LevelDeadline{Level: fmt.Sprint("l", i), DaysAfterEnd: i + 1}
	}
	if got := field(func() error {
		_, err := f.rs.CreateSchedule(ctx, f.sys, f.tpl.ID, service.ScheduleInput{UnitID: f.unit["A"], Deadlines: many})
		return err
	}()); got != "deadlines" {
		t.Errorf("21 levels: field %s", got)
	}
	// Template names, descriptions and definitions: no NUL, no invalid UTF-8.
	cut := 15
	for _, c := range []struct {
		in    service.TemplateInput
		field string
	}{
		{service.TemplateInput{Code: "N1", Name: "a\x00b", PeriodType: "monthly", Definition: []byte(rptDef)}, "name"},
		{service.TemplateInput{Code: "N2", Name: "a\xffb", PeriodType: "monthly", Definition: []byte(rptDef)}, "name"},
		{service.TemplateInput{Code: "N3", Name: strings.Repeat("ạ", 201), PeriodType: "monthly", Definition: []byte(rptDef)}, "name"},
		{service.TemplateInput{Code: "N4", Name: "x", Description: "\x01", PeriodType: "monthly", Definition: []byte(rptDef)}, "description"},
		{service.TemplateInput{Code: "N5", Name: "x", PeriodType: "monthly", Definition: []byte(strings.Replace(rptDef, "Số vụ việc", `Số\u0000vụ`, 1))}, "definition"},
		{service.TemplateInput{Code: "N6", Name: "x", PeriodType: "weekly", Definition: []byte(rptDef)}, "period_type"},
		{service.TemplateInput{Code: "N7", Name: "x", PeriodType: "monthly", Definition: []byte(rptDef), CutoffDay: func() *int { n := 2147483647; return &n }()}, "cutoff_day"},
	} {
		c.in.OwnerUnitID = f.unit["P"]
		if c.in.CutoffDay == nil {
			c.in.CutoffDay = &cut
		}
		_, err := f.rs.CreateTemplate(ctx, f.sys, c.in)
		if got := field(err); got != c.field {
			t.Errorf("%s: field %s, want %s", c.in.Code, got, c.field)
		}
	}
	// Draft values and narrative: clean, bounded; the version is required.
	rep := f.open(t, "A1", 6)
	for _, c := range []struct {
		in    service.DraftInput
		field string
	}{
		{service.DraftInput{Version: rep.Version, Values: map[string]string{"cases": "1\x00"}}, "values.cases"},
		{service.DraftInput{Version: rep.Version, Values: map[string]string{"cases": "\xc3\x28"}}, "values.cases"},
		{service.DraftInput{Version: rep.Version, Values: map[string]string{"cases": strings.Repeat("1", 4001)}}, "values.cases"},
		{service.DraftInput{Version: rep.Version, Narrative: map[string]string{"highlights": "x\x00"}}, "narrative.highlights"},
		{service.DraftInput{Version: rep.Version, Values: map[string]string{"ca\x00ses": "1"}}, "values"},
		{service.DraftInput{Version: 0, Values: map[string]string{"cases": "1"}}, "version"},
		{service.DraftInput{Version: -1}, "version"},
	} {
		_, _, err := f.rs.SaveDraft(ctx, head, rep.ID, c.in)
		if got := field(err); got != c.field {
			t.Errorf("draft %+v: field %s, want %s", c.in, got, c.field)
		}
	}
	// Reviews: one validator; the version is always required.
	sub := f.submitted(t, "A1", 5)
	coord := f.onA[authz.RoleCoordinator]
	v, zero := sub.Version, 0
	for _, c := range []struct {
		in     service.ReviewInput
		accept bool
		field  string
	}{
		{service.ReviewInput{Comment: "Được"}, true, "version"},
		{service.ReviewInput{Version: &zero, Comment: "Được"}, true, "version"},
		{service.ReviewInput{Version: &v, Comment: "a\x00b"}, true, "comment"},
		{service.ReviewInput{Version: &v, Comment: "a\x1bb"}, false, "comment"},
		{service.ReviewInput{Version: &v, Comment: strings.Repeat("ạ", 4001)}, true, "comment"},
		{service.ReviewInput{Version: &v, Comment: "   "}, false, "comment"},
	} {
		_, err := f.rs.Review(ctx, coord, sub.ID, c.in, c.accept)
		if got := field(err); got != c.field {
			t.Errorf("review %+v: field %s, want %s", c.in, got, c.field)
		}
	}
	// Multi-line comments are fine.
	if _, err := f.rs.Review(ctx, coord, sub.ID, service.ReviewInput{Version: &v, Comment: "Dòng 1\nDòng 2"}, false); err != nil {
		t.Fatal(err)
	}
	// Attachments: names cut on a character boundary, NUL refused.
	draft := f.open(t, "A1", 9)
	if _, err := f.rs.Attach(ctx, head, draft.ID, "a\x00.pdf", []byte("%PDF-1.4")); field(err) != "file" {
		t.Errorf("NUL attachment name: %v", err)
	}
	long := strings.Repeat("ệ", 100) + ".pdf" // 300 bytes: cut inside a character at 200
	at, err := f.rs.Attach(ctx, head, draft.ID, `C:\tmp\`+long, []byte("<html><script>alert(1)</script>"))
	if err != nil {
		t.Fatal(err)
	}
	if len(at.Name) > 200 || !strings.HasPrefix(at.Name, "ệ") || !service.CleanLine(at.Name) {
		t.Errorf("attachment name %q (%d bytes)", at.Name, len(at.Name))
	}
	dl, err := f.rs.Attachment(ctx, head, at.ID)
	if err != nil {
		t.Fatal(err)
	}
	if dl.ContentType != "text/html; charset=utf-8" || string(dl.Data) != "<html><script>alert(1)</script>" {
		t.Errorf("download %q %q", dl.ContentType, dl.Data)
	}
	if _, err := f.rs.Attachment(ctx, f.head["B1"], at.ID); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("B1 downloads A1's draft attachment: %v", err)
	}
}

// TestReportsTemplateUpdateConcurrent: of many updates made with the same
// version at once, exactly one wins; the rest are conflicts.
func TestReportsTemplateUpdateConcurrent(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cut := 15
			_, errs[i] = f.rs.UpdateTemplate(ctx, f.sys, f.tpl.ID, service.TemplateInput{Code: "BC-T", Name: fmt.Sprintf("Tên %d", i), PeriodType: "monthly",
				CutoffDay: &cut, Definition: []byte(rptDef), OwnerUnitID: f.unit["P"], Version: f.tpl.Version})
		}()
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, service.ErrConflict):
		default:
			t.Errorf("update %d: %v", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d updates won, want 1", wins)
	}
	got, _, err := f.rs.Template(ctx, f.sys, f.tpl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != f.tpl.Version+1 {
		t.Fatalf("version %d after one update from %d", got.Version, f.tpl.Version)
	}
}

// TestExpectedUnits: the one answer to "who must report" follows the
// schedules, the units valid at the window's end, and the scope.
func TestExpectedUnits(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	// A commune that ended before August 2025 and one that began after.
	for _, u := range []org.Unit{
		{Code: "A2", Name: "Đơn vị A2", Kind: org.KindCommune, ParentID: f.unit["A"], ValidFrom: "2020-01-01", ValidTo: "2025-06-30"},
		{Code: "A3", Name: "Đơn vị A3", Kind: org.KindCommune, ParentID: f.unit["A"], ValidFrom: "2025-07-01"},
	} {
		if err := f.st.CreateUnit(ctx, audit.System("test"), &u); err != nil {
			t.Fatal(err)
		}
		f.unit[u.Code] = u.ID
	}
	names := func(es []service.ExpectedUnit) string {
		var out []string
		for _, e := range es {
			out = append(out, e.UnitName[len("Đơn vị "):]+"@"+e.DueOn)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		month int
		scope string
		want  string
	}{
		// June 2025 ends 14 Jun: the old commune, not the new one.
		{6, "", "A1@2025-06-20,A2@2025-06-20,B1@2025-06-20"},
		{8, "", "A1@2025-08-21,A3@2025-08-21,B1@2025-08-21"},
		{8, "A", "A1@2025-08-21,A3@2025-08-21"},
		{8, "B1", "B1@2025-08-21"},
	} {
		exp, w, err := f.rs.Expected(ctx, f.tpl.ID, 2025, c.month, f.unit[c.scope])
		if err != nil {
			t.Fatal(err)
		}
		got := names(exp)
		if got != c.want {
			t.Errorf("month %d scope %q (%s): %s, want %s", c.month, c.scope, w.Label, got, c.want)
		}
	}
	// A schedule without kinds expects its own unit; a unit named twice is
	// expected once, with the first schedule's level.
	scs := []service.Schedule{
		// A stored schedule with a runaway deadline is bounded, not counted to year 2,969,052.
		{UnitID: f.unit["B"], Deadlines: []report.LevelDeadline{{Level: "runaway", DaysAfterEnd: 2147483647, WorkingDays: true}}},
		{UnitID: f.unit["A"], Deadlines: []report.LevelDeadline{{Level: "ban", DaysAfterEnd: 10}}},
		{UnitID: f.unit["P"], Kinds: []string{"department", "commune"}, Deadlines: []report.LevelDeadline{{Level: "cap2", DaysAfterEnd: 2, Kinds: []string{"commune"}}, {Level: "cap1", DaysAfterEnd: 3}}},
	}
	w := report.Windows(report.Rule{}, report.Monthly, 2025)[7]
	exp, err := service.ExpectedUnits(ctx, calendar.Calendar{}, f.svc.Tree, scs, w, 0)
	if err != nil {
		t.Fatal(err)
	}
	levels := map[int64]string{}
	for _, e := range exp {
		levels[e.UnitID] = e.Level + "@" + e.DueOn
	}
	if levels[f.unit["A"]] != "ban@2025-08-25" || levels[f.unit["A1"]] != "cap2@2025-08-18" || levels[f.unit["B1"]] != "cap2@2025-08-18" ||
		!strings.HasPrefix(levels[f.unit["B"]], "runaway@2027-") || len(exp) != 5 {
		t.Errorf("expected %v", levels)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := service.ExpectedUnits(cctx, calendar.Calendar{}, f.svc.Tree, scs, w, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestReportsOtherUseCasesMatrix: prefill, attachments, value import,
// exports and the consolidated view follow the same rules as the report
// they concern (or, for consolidation, report.read on the unit).
func TestReportsOtherUseCasesMatrix(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	draft := map[string]service.Report{"A1": f.open(t, "A1", 3), "B1": f.open(t, "B1", 3)}
	sub := map[string]service.Report{"A1": f.submitted(t, "A1", 2), "B1": f.submitted(t, "B1", 2)}
	at := map[string]service.Attachment{}
	for _, u := range []string{"A1", "B1"} {
		a, err := f.rs.Attach(ctx, f.head[u], draft[u].ID, "ghi chú.txt", []byte("ghi chú"))
		if err != nil {
			t.Fatal(err)
		}
		at[u] = a
	}
	readers := map[authz.Role]bool{authz.RoleUnitHead: true, authz.RoleUnitOfficer: true, authz.RoleCoordinator: true, authz.RoleLeader: true, authz.RoleInspector: true, authz.RoleCouncilMember: true}
	for name, p := range f.roles() {
		grantAt, r := role(name)
		admin := r == authz.RoleAdmin
		own := grantAt == "A1" && (r == authz.RoleUnitHead || r == authz.RoleUnitOfficer)
		for _, u := range []string{"A1", "B1"} {
			edit := own && u == "A1"
			_, err := f.rs.Previous(ctx, p, draft[u].ID)
			if got, want := verdict(err), ok(edit); got != want {
				t.Errorf("%s prefills %s: %s, want %s", name, u, got, want)
			}
			_, err = f.rs.Attach(ctx, p, draft[u].ID, "x.txt", []byte("x"))
			if got, want := verdict(err), ok(edit); got != want {
				t.Errorf("%s attaches to %s: %s, want %s", name, u, got, want)
			}
			// A stale version: conflict means the import was allowed.
			_, _, err = f.rs.ImportValues(ctx, p, draft[u].ID, 999, "v.csv", []byte("indicator_code,category,value\ncases,,1\n"))
			want := "forbidden"
			if edit {
				want = "conflict"
			}
			if got := verdict(err); got != want {
				t.Errorf("%s imports into %s: %s, want %s", name, u, got, want)
			}
			_, err = f.rs.Attachment(ctx, p, at[u].ID)
			if got, want := verdict(err), ok(admin || (own && u == "A1")); got != want {
				t.Errorf("%s downloads %s's draft attachment: %s, want %s", name, u, got, want)
			}
			_, err = f.rs.ExportReport(ctx, p, sub[u].ID, exportOptions())
			if got, want := verdict(err), ok(admin || (readers[r] && u == "A1")); got != want {
				t.Errorf("%s exports %s: %s, want %s", name, u, got, want)
			}
			_, err = f.rs.Consolidated(ctx, p, service.ConsolidatedQuery{TemplateID: f.tpl.ID, UnitID: f.unit[u], Type: "monthly", Year: 2025, Number: 2})
			if got, want := verdict(err), ok(admin || (readers[r] && u == "A1")); got != want {
				t.Errorf("%s reads the consolidated view of %s: %s, want %s", name, u, got, want)
			}
		}
		// The parent branch A: only roles granted on A (or admin) read it.
		_, err := f.rs.Consolidated(ctx, p, service.ConsolidatedQuery{TemplateID: f.tpl.ID, UnitID: f.unit["A"], Type: "monthly", Year: 2025, Number: 2})
		if got, want := verdict(err), ok(admin || (readers[r] && grantAt == "A")); got != want {
			t.Errorf("%s reads the consolidated view of A: %s, want %s", name, got, want)
		}
	}
}

func exportOptions() export.Options {
	return export.Options{Now: time.Date(2025, 9, 1, 3, 0, 0, 0, time.UTC)}
}
