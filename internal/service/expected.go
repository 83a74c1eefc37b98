package service

import (
	"context"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/report"
)

// ExpectedUnit is one unit that must send a template's report for one
// period: the unit, the deadline level that applies to it and its due date
// (YYYY-MM-DD).
type ExpectedUnit = report.Expected

// Schedule says which units report on a template (see [report.Assignment]).
type Schedule = report.Assignment

// UnitSource is the part of the organisation [ExpectedUnits] reads: [*Tree]
// implements it.
type UnitSource = report.UnitSource

// ExpectedUnits is the one answer to "which units must send this report in
// this period" ([report.ExpectedUnits] with the working calendar cal: the statute and
// the stored yearly decisions, [store.Store.WorkingCalendar]). Completeness,
// the dashboard and the reminder job all call it — directly, through
// [Reports.Expected], or (from the store, which cannot import the services)
// through report.ExpectedUnits — so that they cannot disagree.
//
// schedules are the template's active schedules, in the order they were
// created (the store lists them by id). Window w is the period. For each
// schedule, the units expected are
//
//   - with no kinds: the scheduled unit itself;
//   - with kinds: every unit of those kinds in the scheduled unit's subtree,
//
// walking only through units valid on the window's last day (so a window
// ending before a reorganisation expects the old units, a later one the new
// units), and keeping the units valid on that day. A unit named by two
// schedules is expected once, with the first schedule's level. A unit no level
// of its schedule applies to ([report.Assignment.LevelFor]) is not expected.
//
// scope (0: the whole organisation) keeps only the units in its subtree. The
// due date is computed once per level with [DueDate] (bounded, see
// [report.MaxDaysAfterEnd]). The result is in schedule order, then tree
// (display) order. It costs no SQL; it stops early, with ctx's error, when
// ctx is done.
func ExpectedUnits(ctx context.Context, cal calendar.Calendar, units UnitSource, schedules []Schedule, w report.Window, scope int64) ([]ExpectedUnit, error) {
	return report.ExpectedUnits(ctx, units, schedules, w, scope, cal)
}

// DueDate is a level's deadline for window w with the working calendar. Days
// beyond [report.MaxDaysAfterEnd] count as that many, so that a bad stored
// schedule cannot make the count run away.
func DueDate(cal calendar.Calendar, w report.Window, l report.LevelDeadline) calendar.Date {
	return report.DueOn(cal, w, l)
}

// Expected lists the units that must send template templateID's report for
// period (type, year, number) of the template's own period rule, within
// scope (0: everywhere). It reads the template and its schedules from the
// store and the units from the in-memory tree; see [ExpectedUnits] for the
// rule. It needs no principal: callers check what the user may see.
func (r *Reports) Expected(ctx context.Context, templateID int64, year, number int, scope int64) ([]ExpectedUnit, report.Window, error) {
	t, err := r.st.GetTemplate(ctx, templateID)
	if err != nil {
		return nil, report.Window{}, unavailable("template", err)
	}
	w, err := PeriodWindow(t, year, number)
	if err != nil {
		return nil, report.Window{}, err
	}
	exp, err := r.ExpectedIn(ctx, templateID, w, scope)
	return exp, w, err
}

// ExpectedIn is [Reports.Expected] for a window already computed.
func (r *Reports) ExpectedIn(ctx context.Context, templateID int64, w report.Window, scope int64) ([]ExpectedUnit, error) {
	scs, err := r.st.ListSchedules(ctx, templateID)
	if err != nil {
		return nil, unavailable("schedules", err)
	}
	return ExpectedUnits(ctx, r.st.WorkingCalendar(ctx), r.tree, scs, w, scope)
}

// PeriodWindow returns window number of year for template t, or an
// [*InvalidError] on "year" or "number" when the period does not exist (years
// are bounded to [report.MinYear]–[report.MaxYear]).
func PeriodWindow(t report.Template, year, number int) (report.Window, error) {
	var v Validator
	v.Int("year", int64(year), report.MinYear, report.MaxYear)
	ws := report.Windows(t.Rule(), t.PeriodType, year)
	if !v.Has("year") {
		v.Int("number", int64(number), 1, int64(max(1, len(ws))))
	}
	if err := v.Err(); err != nil {
		return report.Window{}, err
	}
	if number < 1 || number > len(ws) {
		return report.Window{}, Invalid("number", MsgRange, 1, len(ws))
	}
	return ws[number-1], nil
}
