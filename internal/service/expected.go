package service

import (
	"context"
	"slices"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
)

// ExpectedUnit is one unit that must send a template's report for one
// period: the unit, the deadline level that applies to it and its due date
// (YYYY-MM-DD).
type ExpectedUnit = report.Expected

// Schedule says which units report on a template (see [report.Assignment]).
type Schedule = report.Assignment

// ReportCalendar is the working-day calendar every deadline is computed
// with: completeness, the dashboard and the reminders use the same one.
var ReportCalendar = calendar.Calendar{}

// UnitSource is the part of the organisation [ExpectedUnits] reads: [*Tree]
// implements it.
type UnitSource interface {
	Unit(id int64) (org.Unit, bool)
	Children(id int64) []org.Unit
}

// ExpectedUnits is the one answer to "which units must send this report in
// this period". Completeness, the dashboard and the reminder job all call it
// (directly or through [Reports.Expected]) so that they cannot disagree.
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
func ExpectedUnits(ctx context.Context, units UnitSource, schedules []Schedule, w report.Window, scope int64) ([]ExpectedUnit, error) {
	at := w.To.String()
	inScope := func(id int64) bool { return true }
	if scope != 0 {
		inScope = func(id int64) bool { return unitUnder(units, scope, id) }
	}
	seen := map[int64]bool{}
	dues := map[report.Deadline]string{}
	var out []ExpectedUnit
	add := func(sc Schedule, u org.Unit) {
		if seen[u.ID] || !u.ValidOn(at) || !inScope(u.ID) {
			return
		}
		l, ok := sc.LevelFor(string(u.Kind))
		if !ok {
			return
		}
		k := l.Deadline()
		due, ok := dues[k]
		if !ok {
			due = DueDate(w, l).String()
			dues[k] = due
		}
		seen[u.ID] = true
		out = append(out, ExpectedUnit{UnitID: u.ID, UnitName: u.Name, UnitKind: string(u.Kind), ParentID: u.ParentID, Level: l.Level, DueOn: due})
	}
	for _, sc := range schedules {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		root, ok := units.Unit(sc.UnitID)
		if !ok {
			continue
		}
		if len(sc.Kinds) == 0 {
			add(sc, root)
			continue
		}
		// Depth first, through units valid at the window's end.
		stack := []org.Unit{root}
		visited := map[int64]bool{}
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[u.ID] {
				continue
			}
			visited[u.ID] = true
			if slices.Contains(sc.Kinds, string(u.Kind)) {
				add(sc, u)
			}
			kids := units.Children(u.ID)
			for i := len(kids) - 1; i >= 0; i-- {
				if kids[i].ValidOn(at) {
					stack = append(stack, kids[i])
				}
			}
		}
	}
	return out, nil
}

// unitUnder reports whether id lies in root's subtree (root included).
func unitUnder(units UnitSource, root, id int64) bool {
	if t, ok := units.(*Tree); ok {
		return t.Contains(root, id)
	}
	for i := 0; i < 64 && id != 0; i++ {
		if id == root {
			return true
		}
		u, ok := units.Unit(id)
		if !ok {
			return false
		}
		id = u.ParentID
	}
	return false
}

// DueDate is a level's deadline for window w with [ReportCalendar]. Days
// beyond [report.MaxDaysAfterEnd] count as that many, so that a bad stored
// schedule cannot make the count run away.
func DueDate(w report.Window, l report.LevelDeadline) calendar.Date {
	return report.DueOn(ReportCalendar, w, l)
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
	return ExpectedUnits(ctx, r.tree, scs, w, scope)
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
