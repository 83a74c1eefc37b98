package service_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
)

// TestScheduleUpdateAndRemove: a schedule is changed or removed by who
// manages templates on the scheduled unit (and on the new one), with the
// checks of its creation.
func TestScheduleUpdateAndRemove(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	coordA := f.onA[authz.RoleCoordinator]
	in := func(unit string, days int) service.ScheduleInput {
		return service.ScheduleInput{UnitID: f.unit[unit], Deadlines: []report.LevelDeadline{{Level: "xã", DaysAfterEnd: days}}}
	}
	sc, err := f.rs.CreateSchedule(ctx, coordA, f.tpl.ID, in("A1", 3))
	if err != nil {
		t.Fatal(err)
	}
	// The officer of A1 and the coordinator of A1's parent side differ.
	if _, err := f.rs.UpdateSchedule(ctx, f.onA1[authz.RoleUnitOfficer], f.tpl.ID, sc.ID, in("A1", 4)); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("officer updates: %v", err)
	}
	if _, err := f.rs.UpdateSchedule(ctx, coordA, f.tpl.ID, sc.ID, in("B1", 4)); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("moved outside the subtree: %v", err)
	}
	// Validation: the same rule as creating.
	_, err = f.rs.UpdateSchedule(ctx, coordA, f.tpl.ID, sc.ID, in("A1", 0))
	if inv, ok := service.AsInvalid(err); !ok || inv.Fields[0].Field != "deadlines[0].days_after_end" {
		t.Fatalf("0 days: %v", err)
	}
	bad := in("A1", 3)
	bad.Kinds = []string{"planet"}
	if _, ok := service.AsInvalid(func() error { _, err := f.rs.UpdateSchedule(ctx, coordA, f.tpl.ID, sc.ID, bad); return err }()); !ok {
		t.Fatal("a bad kind passed")
	}
	got, err := f.rs.UpdateSchedule(ctx, coordA, f.tpl.ID, sc.ID, service.ScheduleInput{UnitID: f.unit["A"], Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: " xã ", DaysAfterEnd: 6, WorkingDays: true}}})
	if err != nil || got.Deadlines[0].Level != "xã" {
		t.Fatalf("update: %v %+v", err, got)
	}
	stored, err := f.rs.ScheduleOf(ctx, coordA, f.tpl.ID, sc.ID)
	if err != nil || stored.UnitID != f.unit["A"] || strings.Join(stored.Kinds, ",") != "commune" || stored.Deadlines[0].DaysAfterEnd != 6 || !stored.Deadlines[0].WorkingDays {
		t.Fatalf("stored: %v %+v", err, stored)
	}
	// Another template's schedule is not found through this one.
	other, err := f.rs.CreateTemplate(ctx, f.sys, service.TemplateInput{Code: "BC-O", Name: "Khác", PeriodType: "monthly", Definition: []byte(rptDef), OwnerUnitID: f.unit["P"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.rs.ScheduleOf(ctx, coordA, other.ID, sc.ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("through another template: %v", err)
	}
	// Removal: the scheduled unit's managers only; then gone.
	if err := f.rs.RemoveSchedule(ctx, f.onA1[authz.RoleUnitHead], f.tpl.ID, sc.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("head removes: %v", err)
	}
	if err := f.rs.RemoveSchedule(ctx, coordA, f.tpl.ID, sc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.rs.ScheduleOf(ctx, coordA, f.tpl.ID, sc.ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("removed schedule: %v", err)
	}
	if err := f.rs.RemoveSchedule(ctx, coordA, f.tpl.ID, sc.ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("removed twice: %v", err)
	}
	_, scs, err := f.rs.Template(ctx, coordA, f.tpl.ID)
	if err != nil || len(scs) != 1 {
		t.Fatalf("schedules left: %v %+v", err, scs)
	}
}

// TestTemplateInUse: once a report on a template is sent, changes that
// would break it are refused; additions are not.
func TestTemplateInUse(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	upd := func(def string, period string) error {
		cur, _, err := f.rs.Template(ctx, f.sys, f.tpl.ID)
		if err != nil {
			t.Fatal(err)
		}
		cut := cur.CutoffDay
		_, err = f.rs.UpdateTemplate(ctx, f.sys, f.tpl.ID, service.TemplateInput{Code: cur.Code, Name: cur.Name, PeriodType: period, CutoffDay: &cut,
			Definition: []byte(def), OwnerUnitID: cur.OwnerUnitID, Version: cur.Version})
		return err
	}
	textCases := strings.Replace(rptDef, `"code":"cases","name":{"vi":"Số vụ việc"},"type":"integer","required":true,"min":0`, `"code":"cases","name":{"vi":"Số vụ việc"},"type":"text"`, 1)
	textCases = strings.Replace(textCases, `"rules": [{"left":"done","op":"<=","right":"cases"}]`, `"rules": []`, 1)
	// A draft only: anything goes.
	f.open(t, "A1", 7)
	if err := upd(textCases, "monthly"); err != nil {
		t.Fatalf("change with drafts only: %v", err)
	}
	if err := upd(rptDef, "monthly"); err != nil {
		t.Fatal(err)
	}
	f.submitted(t, "B1", 7)
	err := upd(textCases, "monthly")
	if inv, ok := service.AsInvalid(err); !ok || inv.Fields[0].Key != service.MsgTemplateInUse || inv.Fields[0].Field != "definition.indicators[0].type" {
		t.Fatalf("type change after a sent report: %v", err)
	}
	if inv, ok := service.AsInvalid(upd(rptDef, "quarterly")); !ok || inv.Fields[0].Field != "period_type" {
		t.Fatalf("period change after a sent report: %v", inv)
	}
	more := strings.Replace(rptDef, `"min":0}`+"\n ]", `"min":0},
  {"code":"new_one","name":{"vi":"Mới"},"type":"integer"}
 ]`, 1)
	if more == rptDef {
		t.Fatal("fixture text changed")
	}
	if err := upd(more, "monthly"); err != nil {
		t.Fatalf("an added indicator: %v", err)
	}
}
