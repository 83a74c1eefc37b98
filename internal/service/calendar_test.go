package service_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

type calFixture struct {
	st             *store.Store
	svc            *service.Services
	admin, officer *service.Principal
}

func newCalFixture(t *testing.T) *calFixture {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) })
	importUnits(t, st, unitsCSV)
	f := &calFixture{st: st, svc: servicetest.New(t, st)}
	root, err := st.UnitByCode(t.Context(), "P", "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	user := func(name string, role authz.Role) *service.Principal {
		u := account.User{Username: name, FullName: name}
		if err := st.CreateUser(t.Context(), audit.System("test"), &u); err != nil {
			t.Fatal(err)
		}
		return &service.Principal{User: u, Grants: []authz.Grant{{Role: role, UnitID: root.ID}}}
	}
	f.admin, f.officer = user("quantri", authz.RoleAdmin), user("canbo", authz.RoleUnitOfficer)
	return f
}

func TestCalendarWritesAreForAdministrators(t *testing.T) {
	f := newCalFixture(t)
	ctx, cal := t.Context(), f.svc.Calendar
	in := service.DecisionInput{Year: 2027, Kind: service.DecisionExtra, From: "2027-02-12", Source: "Thông báo thử"}
	for name, p := range map[string]*service.Principal{"anonymous": {IP: "192.0.2.1"}, "nil": nil, "officer": f.officer} {
		_, err := cal.AddDecision(ctx, p, in)
		if !errors.Is(err, service.ErrForbidden) && !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("%s add: %v", name, err)
		}
	}
	added, err := cal.AddDecision(ctx, f.admin, in)
	if err != nil || len(added) != 1 || added[0].ID == 0 || added[0].CreatedBy != f.admin.User.ID {
		t.Fatalf("admin add: %+v, %v", added, err)
	}
	if err := cal.DeleteDecision(ctx, f.officer, added[0].ID); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("officer delete: %v", err)
	}
	// Reads are public.
	ds, err := cal.Decisions(ctx, 2027)
	if err != nil || len(ds) != 1 || ds[0].Source != "Thông báo thử" {
		t.Fatalf("decisions: %+v, %v", ds, err)
	}
	if err := cal.DeleteDecision(ctx, f.admin, added[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := cal.DeleteDecision(ctx, f.admin, added[0].ID); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	// Both writes are audited.
	entries, _, err := f.st.ListAudit(ctx, store.AuditFilter{Entity: "calendar_decision"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if !slices.Contains(actions, "calendar.decision.add") || !slices.Contains(actions, "calendar.decision.delete") {
		t.Errorf("audit: %v", actions)
	}
}

func TestCalendarValidation(t *testing.T) {
	f := newCalFixture(t)
	ctx, cal := t.Context(), f.svc.Calendar
	tests := []struct {
		name       string
		in         service.DecisionInput
		field, key string
	}{
		{"no source", service.DecisionInput{Year: 2027, Kind: "extra", From: "2027-02-12"}, "source", service.MsgRequired},
		{"bad kind", service.DecisionInput{Year: 2027, Kind: "holiday", From: "2027-02-12", Source: "x"}, "kind", service.MsgBadChoice},
		{"bad date", service.DecisionInput{Year: 2027, Kind: "extra", From: "2027-02-30", Source: "x"}, "from", service.MsgBadDate},
		{"no date", service.DecisionInput{Year: 2027, Kind: "extra", Source: "x"}, "from", service.MsgRequired},
		{"day outside the year", service.DecisionInput{Year: 2027, Kind: "extra", From: "2026-12-31", Source: "x"}, "from", service.MsgCalendarYear},
		{"range leaving the year", service.DecisionInput{Year: 2027, Kind: "extra", From: "2027-12-30", To: "2028-01-02", Source: "x"}, "to", service.MsgCalendarYear},
		{"range backwards", service.DecisionInput{Year: 2027, Kind: "tet", From: "2027-02-08", To: "2027-02-05", Source: "x"}, "to", service.MsgDateOrder},
		{"range too long", service.DecisionInput{Year: 2027, Kind: "extra", From: "2027-01-01", To: "2027-03-01", Source: "x"}, "to", service.MsgCalendarRange},
		{"working day on a weekday", service.DecisionInput{Year: 2027, Kind: "working", From: "2027-02-10", Source: "x"}, "from", service.MsgCalendarWeekend},
		{"bad year", service.DecisionInput{Year: 1800, Kind: "extra", From: "1800-02-10", Source: "x"}, "year", service.MsgRange},
		{"bad link", service.DecisionInput{Year: 2027, Kind: "extra", From: "2027-02-12", Source: "x", SourceURL: "javascript:alert(1)"}, "source_url", service.MsgCalendarURL},
		{"control characters", service.DecisionInput{Year: 2027, Kind: "extra", From: "2027-02-12", Source: "a\x00b"}, "source", service.MsgBadChars},
	}
	for _, tt := range tests {
		_, err := cal.AddDecision(ctx, f.admin, tt.in)
		inv, ok := service.AsInvalid(err)
		if !ok || !slices.ContainsFunc(inv.Fields, func(fe service.FieldError) bool { return fe.Field == tt.field && fe.Key == tt.key }) {
			t.Errorf("%s: %v, want %s %s", tt.name, err, tt.field, tt.key)
		}
	}
	// A day recorded twice is refused, and nothing of the second range is stored.
	if _, err := cal.AddDecision(ctx, f.admin, service.DecisionInput{Year: 2027, Kind: "working", From: "2027-02-13", Source: "x"}); err != nil {
		t.Fatal(err)
	}
	_, err := cal.AddDecision(ctx, f.admin, service.DecisionInput{Year: 2027, Kind: "working", From: "2027-02-13", To: "2027-02-14", Source: "x"})
	if inv, ok := service.AsInvalid(err); !ok || inv.Fields[0].Key != "calendar.error.duplicate" {
		t.Errorf("duplicate: %v", err)
	}
	if ds, _ := cal.Decisions(ctx, 2027); len(ds) != 1 {
		t.Errorf("after a refused range: %d items", len(ds))
	}
}

// TestCalendarDecisionMovesDeadlines: a decided day off moves a report
// deadline counted in working days, and removing it moves it back.
func TestCalendarDecisionMovesDeadlines(t *testing.T) {
	f := newCalFixture(t)
	ctx, cal := t.Context(), f.svc.Calendar
	w, ok := report.WindowFor(report.Rule{}, report.Monthly, calendar.MustParseDate("2027-05-10"))
	if !ok {
		t.Fatal("no window")
	}
	level := report.LevelDeadline{Level: "commune", DaysAfterEnd: 3, WorkingDays: true}
	before := service.DueDate(f.svc.Calendar.Calendar(ctx), w, level)
	added, err := cal.AddDecision(ctx, f.admin, service.DecisionInput{Year: 2027, Kind: "extra", From: before.String(), Source: "Quyết định thử"})
	if err != nil {
		t.Fatal(err)
	}
	after := service.DueDate(f.svc.Calendar.Calendar(ctx), w, level)
	if !after.After(before) {
		t.Fatalf("deadline %s did not move after %s became a day off (now %s)", before, before, after)
	}
	if got := f.svc.Calendar.Calendar(ctx); !got.IsHoliday(before) {
		t.Errorf("calendar in memory does not have %s off", before)
	}
	if err := cal.DeleteDecision(ctx, f.admin, added[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := service.DueDate(f.svc.Calendar.Calendar(ctx), w, level); got != before {
		t.Errorf("after removal: %s, want %s", got, before)
	}
}

func TestCalendarHolidaysAndSeed(t *testing.T) {
	f := newCalFixture(t)
	ctx, cal := t.Context(), f.svc.Calendar
	days, err := cal.Holidays(ctx, 2025)
	if err != nil {
		t.Fatal(err)
	}
	find := func(date string) (service.DayOff, bool) {
		i := slices.IndexFunc(days, func(d service.DayOff) bool { return d.Date == date })
		if i < 0 {
			return service.DayOff{}, false
		}
		return days[i], true
	}
	// The 2025 Tết decision recorded at first start: Monday 27 Jan off,
	// Saturday 8 Feb worked, each with its source.
	if d, ok := find("2025-01-27"); !ok || d.Kind != "extra" || len(d.Sources) != 1 {
		t.Errorf("27 Jan 2025: %+v %v", d, ok)
	}
	if d, ok := find("2025-02-08"); !ok || d.Kind != service.KindWorkingWeekend || len(d.Sources) != 1 {
		t.Errorf("8 Feb 2025: %+v %v", d, ok)
	}
	if d, ok := find("2025-01-29"); !ok || d.Kind != "tet" || len(d.Sources) != 1 {
		t.Errorf("29 Jan 2025: %+v %v", d, ok)
	}
	// A statutory day has no source.
	if d, ok := find("2025-09-02"); !ok || d.Kind != "national_day" || len(d.Sources) != 0 {
		t.Errorf("2 Sep 2025: %+v %v", d, ok)
	}
	if !slices.IsSortedFunc(days, func(a, b service.DayOff) int { return compareStrings(a.Date, b.Date) }) {
		t.Error("not sorted")
	}
	if _, err := cal.Holidays(ctx, 99999); err == nil {
		t.Error("year 99999 accepted")
	}
	if l, err := cal.Lunar("2026-02-17"); err != nil || l != (calendar.Lunar{Day: 1, Month: 1, Year: 2026}) {
		t.Errorf("lunar: %+v %v", l, err)
	}
	if _, err := cal.Lunar("2026-02-30"); err == nil {
		t.Error("bad date accepted")
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
