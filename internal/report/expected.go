package report

import (
	"context"
	"slices"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
)

// UnitSource is the part of the organisation [ExpectedUnits] reads: a unit
// by id and its direct children in display order (every validity period).
// The services' in-memory tree implements it; so does [UnitList].
type UnitSource interface {
	Unit(id int64) (org.Unit, bool)
	Children(id int64) []org.Unit
}

// ExpectedUnits is the one rule for "which units must send this report in
// this period"; completeness, the dashboard and the reminders all use it.
//
// schedules are a template's active schedules in creation order; w is the
// period. For each schedule the units expected are
//
//   - with no kinds: the scheduled unit itself;
//   - with kinds: every unit of those kinds in the scheduled unit's subtree,
//
// walking only through units valid on the window's last day (a window
// ending before a reorganisation expects the old units, a later one the new
// units) and keeping the units valid on that day. A unit named by two
// schedules is expected once, with the first schedule's level; a unit no
// level applies to ([Assignment.LevelFor]) is not expected. scope (0: the
// whole organisation) keeps the units of its subtree. Due dates come from
// [DueOn] with cal, once per level (bounded by [MaxDaysAfterEnd]). The
// result is in schedule order, then display order. It stops with ctx's
// error when ctx is done.
func ExpectedUnits(ctx context.Context, units UnitSource, schedules []Assignment, w Window, scope int64, cal calendar.Calendar) ([]Expected, error) {
	at := w.To.String()
	inScope := func(int64) bool { return true }
	if scope != 0 {
		inScope = func(id int64) bool { return under(units, scope, id) }
	}
	seen := map[int64]bool{}
	dues := map[Deadline]string{}
	var out []Expected
	add := func(sc Assignment, u org.Unit) {
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
			due = DueOn(cal, w, l).String()
			dues[k] = due
		}
		seen[u.ID] = true
		out = append(out, Expected{UnitID: u.ID, UnitName: u.Name, UnitKind: string(u.Kind), ParentID: u.ParentID, Level: l.Level, DueOn: due})
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

// containser is a [UnitSource] that answers subtree membership itself.
type containser interface {
	Contains(root, id int64) bool
}

// under reports whether id lies in root's subtree (root included).
func under(units UnitSource, root, id int64) bool {
	if c, ok := units.(containser); ok {
		return c.Contains(root, id)
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

// UnitList is a [UnitSource] over a list of units (for callers without the
// services' tree, such as reports built from the database).
type UnitList struct {
	byID     map[int64]org.Unit
	children map[int64][]org.Unit
}

// NewUnitList indexes us, kept in their order as each parent's children.
func NewUnitList(us []org.Unit) *UnitList {
	l := &UnitList{byID: make(map[int64]org.Unit, len(us)), children: map[int64][]org.Unit{}}
	for _, u := range us {
		l.byID[u.ID] = u
		l.children[u.ParentID] = append(l.children[u.ParentID], u)
	}
	return l
}

// Unit returns the unit with id.
func (l *UnitList) Unit(id int64) (org.Unit, bool) { u, ok := l.byID[id]; return u, ok }

// Children returns the units whose parent is id.
func (l *UnitList) Children(id int64) []org.Unit { return l.children[id] }
