package service

// The dashboard read: figures of one unit's subtree for coordinators and
// leaders. Which units must report comes from [ExpectedUnits], as for
// completeness and the reminders.

import (
	"context"
	"regexp"
	"slices"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// Types the dashboard doors render.
type (
	Dashboard        = store.Dashboard
	DashOption       = store.DashOption
	DashPeriod       = store.DashPeriod
	DashTask         = store.DashTask
	DashUnit         = store.DashUnit
	DashSeries       = store.DashSeries
	DashLateReport   = store.DashLateReport
	DashLateActivity = store.DashLateActivity
)

// DashboardInput selects what the dashboard shows; zero values mean the
// defaults (the highest unit p may read, the newest directive, the first
// template with reports, the latest period begun).
type DashboardInput struct {
	UnitID      int64
	DirectiveID int64
	TemplateID  int64
	Period      string // YYYY-N
	Lang        string
}

// DashboardPeriodPattern is the form of a period key.
var DashboardPeriodPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}$`)

// MsgDashBadPeriod is the message of a malformed period.
const MsgDashBadPeriod = "dashboard.api.bad_period"

// DashboardTops lists the highest units p may read dashboards of: the roots
// for an administrator, else the units of p's grants that allow it, highest
// first.
func (f *FollowUp) DashboardTops(p *Principal) []int64 {
	if p == nil {
		return nil
	}
	today := f.Today()
	if p.IsAdmin() {
		var ids []int64
		for _, u := range f.tree.Children(0) {
			if u.ValidOn(today) {
				ids = append(ids, u.ID)
			}
		}
		return ids
	}
	depth := map[int64]int{}
	for _, g := range p.Grants {
		if !f.can(p, authz.ActionDashboardRead, g.UnitID) {
			continue
		}
		if path, ok := f.tree.Path(g.UnitID); ok {
			depth[g.UnitID] = len(path)
		}
	}
	ids := make([]int64, 0, len(depth))
	for id := range depth {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if depth[a] != depth[b] {
			return depth[a] - depth[b]
		}
		return int(a - b)
	})
	return ids
}

// Dashboard reads the figures of in.UnitID's subtree.
func (f *FollowUp) Dashboard(ctx context.Context, p *Principal, in DashboardInput) (Dashboard, error) {
	if err := fuSignedIn(p); err != nil {
		return Dashboard{}, err
	}
	var v Validator
	v.Int("unit", in.UnitID, 0, 1<<53)
	v.Int("directive", in.DirectiveID, 0, 1<<53)
	v.Int("template", in.TemplateID, 0, 1<<53)
	if in.Period != "" && !DashboardPeriodPattern.MatchString(in.Period) {
		v.Add("period", MsgDashBadPeriod)
	}
	if err := v.Err(); err != nil {
		return Dashboard{}, err
	}
	if in.UnitID == 0 {
		tops := f.DashboardTops(p)
		if len(tops) == 0 {
			return Dashboard{}, ErrForbidden
		}
		in.UnitID = tops[0]
	}
	if err := f.authorize(p, authz.ActionDashboardRead, in.UnitID); err != nil {
		return Dashboard{}, err
	}
	scope := in.UnitID
	units := &memoUnits{t: f.tree, kids: map[int64][]org.Unit{}, root: scope, in: map[int64]bool{}}
	for _, id := range f.tree.SubtreeIDs(scope) {
		units.in[id] = true
	}
	// The template's schedules are read once per request.
	var cached map[int64][]Schedule
	schedules := func(ctx context.Context, templateID int64) ([]Schedule, error) {
		if scs, ok := cached[templateID]; ok {
			return scs, nil
		}
		scs, err := f.st.ListSchedules(ctx, templateID)
		if err != nil {
			return nil, err
		}
		if cached == nil {
			cached = map[int64][]Schedule{}
		}
		cached[templateID] = scs
		return scs, nil
	}
	d, err := f.st.Dashboard(ctx, store.DashboardQuery{UnitID: in.UnitID, DirectiveID: in.DirectiveID, TemplateID: in.TemplateID,
		Period: in.Period, Today: f.Today(), Lang: in.Lang,
		Expected: func(ctx context.Context, templateID int64, w report.Window) ([]report.Expected, error) {
			scs, err := schedules(ctx, templateID)
			if err != nil {
				return nil, err
			}
			return ExpectedUnits(ctx, f.st.WorkingCalendar(ctx), units, scs, w, scope)
		},
		UnitName: func(id int64) string {
			u, _ := f.tree.Unit(id)
			return u.Name
		},
		DueOn: func(ctx context.Context, templateID int64, w report.Window) (string, error) {
			scs, err := schedules(ctx, templateID)
			if err != nil {
				return "", err
			}
			first := ""
			for _, sc := range scs {
				for _, l := range sc.Deadlines {
					if due := DueDate(f.st.WorkingCalendar(ctx), w, l).String(); first == "" || due < first {
						first = due
					}
				}
			}
			if first == "" {
				first = w.To.String()
			}
			return first, nil
		}})
	if err != nil {
		return d, unavailable("dashboard", err)
	}
	for _, pr := range d.Problems {
		f.log.Warn("dashboard section", "problem", pr)
	}
	return d, nil
}

// DashboardUnits are the units offered in the dashboard's selector: the
// highest units p may read with their children, and the chosen unit with
// its children, so that one can drill down. Depth is set for indentation.
func (f *FollowUp) DashboardUnits(p *Principal, chosen int64) []org.Unit {
	today := f.Today()
	seen := map[int64]bool{}
	var out []org.Unit
	kids := func(id int64, depth int) []org.Unit {
		var ks []org.Unit
		for _, k := range f.tree.Children(id) {
			if !seen[k.ID] && k.ValidOn(today) {
				seen[k.ID] = true
				k.Depth = depth
				ks = append(ks, k)
			}
		}
		return ks
	}
	add := func(id int64) {
		u, ok := f.tree.Unit(id)
		if !ok || seen[id] {
			return
		}
		seen[id] = true
		u.Depth = 0
		out = append(out, u)
		out = append(out, kids(id, 1)...)
	}
	for _, id := range f.DashboardTops(p) {
		add(id)
	}
	if !seen[chosen] {
		add(chosen)
		return out
	}
	at := slices.IndexFunc(out, func(u org.Unit) bool { return u.ID == chosen })
	if at < 0 {
		return out
	}
	more := kids(chosen, out[at].Depth+1)
	return append(out[:at+1], append(more, out[at+1:]...)...)
}

// memoUnits is the tree as one request walks it: the dashboard asks "who must
// report" for several periods, and each walk would copy every unit's
// children again.
type memoUnits struct {
	t    *Tree
	kids map[int64][]org.Unit
	root int64          // the request's scope
	in   map[int64]bool // root's subtree
}

func (m *memoUnits) Unit(id int64) (org.Unit, bool) { return m.t.Unit(id) }

func (m *memoUnits) Children(id int64) []org.Unit {
	if ks, ok := m.kids[id]; ok {
		return ks
	}
	ks := m.t.Children(id)
	m.kids[id] = ks
	return ks
}

// Contains answers from the scope's subtree, read once per request.
func (m *memoUnits) Contains(root, id int64) bool {
	if root == m.root {
		return m.in[id]
	}
	return m.t.Contains(root, id)
}
