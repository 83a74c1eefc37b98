package service

import (
	"context"
	"slices"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// MyWork is "my work": what is waiting for the signed-in user today, read
// in one call — the reports the user's units must send, those returned to
// them, those waiting for the user's review, the overdue activities of the
// user's units, unread notices and urges received — and where the user
// lands after signing in.
type MyWork struct {
	base
	reports *Reports
}

func newMyWork(b base, r *Reports) *MyWork { return &MyWork{base: b, reports: r} }

// workListSize bounds each block of the page.
const workListSize = 20

// DueReport is a report one of the user's units must send: opened already
// (ReportID set, a draft) or only expected for a current period.
type DueReport struct {
	ReportID     int64       `json:"report_id,omitempty"`
	TemplateID   int64       `json:"template_id"`
	TemplateName string      `json:"template_name"`
	UnitID       int64       `json:"unit_id"`
	UnitName     string      `json:"unit_name"`
	PeriodType   report.Type `json:"period_type"`
	PeriodYear   int         `json:"period_year"`
	PeriodNumber int         `json:"period_number"`
	DueOn        string      `json:"due_on"`
	// DaysLeft counts calendar days from today to the due date: 0 is due
	// today, a negative number is days late.
	DaysLeft int `json:"days_left"`
}

// WorkActivity is an overdue plan activity with the days since its due date.
type WorkActivity struct {
	Activity
	DaysLate int `json:"days_late"`
}

// Work is what [MyWork.For] returns; every list is empty rather than nil.
type Work struct {
	Today string `json:"today"`
	// Due: reports to send (drafts and expected ones), earliest due first.
	Due []DueReport `json:"due"`
	// Returned: reports sent back to the user's units, with the reviewer's comment.
	Returned []Report `json:"returned"`
	// Review: submitted reports the user may accept or return.
	Review []Report `json:"review"`
	// Overdue: unfinished activities of the user's units past their due date.
	Overdue []WorkActivity `json:"overdue"`
	// Notices: the newest unread notifications; Unread counts them all.
	Notices []Notification `json:"notices"`
	Unread  int            `json:"unread"`
	// Urges: the newest urges received by the user's units.
	Urges []Urge `json:"urges"`
}

// ownUnits are the units p reports for: those where p is head or officer.
func ownUnits(p *Principal) []int64 {
	var out []int64
	for _, g := range grantsOf(p) {
		if (g.Role == authz.RoleUnitHead || g.Role == authz.RoleUnitOfficer) && !slices.Contains(out, g.UnitID) {
			out = append(out, g.UnitID)
		}
	}
	return out
}

// For returns p's work on today's date. Only a signed-in user has work.
func (m *MyWork) For(ctx context.Context, p *Principal) (Work, error) {
	if p == nil || p.System || p.User.ID == 0 {
		return Work{}, ErrUnauthenticated
	}
	today := m.Today()
	w := Work{Today: today, Due: []DueReport{}, Returned: []Report{}, Review: []Report{}, Overdue: []WorkActivity{}, Notices: []Notification{}, Urges: []Urge{}}
	td, _ := calendar.ParseDate(today)
	own := ownUnits(p)

	if len(own) > 0 {
		if err := m.due(ctx, p, own, td, &w); err != nil {
			return w, err
		}
		acts, err := m.st.OverdueActivities(ctx, own, today, workListSize)
		if err != nil {
			return w, unavailable("overdue activities", err)
		}
		for _, a := range acts {
			d, _ := calendar.ParseDate(a.DueOn)
			w.Overdue = append(w.Overdue, WorkActivity{Activity: a, DaysLate: td.Sub(d)})
		}
		urges, _, err := m.st.ListUrges(ctx, store.UrgeFilter{Scope: store.Scope{Roots: own}, Limit: 5})
		if err != nil {
			return w, unavailable("urges", err)
		}
		w.Urges = append(w.Urges, urges...)
	}

	if err := m.review(ctx, p, &w); err != nil {
		return w, err
	}
	notes, total, err := m.st.ListNotifications(ctx, p.UserID(), true, 5, 0)
	if err != nil {
		return w, unavailable("notifications", err)
	}
	w.Notices, w.Unread = append(w.Notices, notes...), total
	return w, nil
}

// due fills the reports to send and those returned. A report counts once:
// an opened draft or returned report is shown as it is; a period whose
// report is not opened yet is shown when the unit is expected to send it
// (the current and the previous period of every active template).
func (m *MyWork) due(ctx context.Context, p *Principal, own []int64, today calendar.Date, w *Work) error {
	// Reports of the last year and a half, and every one still open.
	since := today.AddDays(-550).String()
	reps, err := m.st.UnitReports(ctx, own, []report.Status{report.Draft, report.Returned}, since, maxWorkRowsHint)
	if err != nil {
		return unavailable("unit reports", err)
	}
	type key struct {
		tpl, unit    int64
		year, number int
	}
	opened := map[key]bool{}
	for _, r := range reps {
		opened[key{r.TemplateID, r.UnitID, r.PeriodYear, r.PeriodNumber}] = true
		switch r.Status {
		case report.Draft:
			w.Due = append(w.Due, dueOf(r, today))
		case report.Returned:
			w.Returned = append(w.Returned, r)
		}
	}
	tpls, err := m.st.ListTemplates(ctx, true)
	if err != nil {
		return unavailable("templates", err)
	}
	for _, t := range tpls {
		cur, ok := report.WindowFor(t.Rule(), t.PeriodType, today)
		windows := []report.Window{}
		if ok {
			if prev, ok := report.WindowFor(t.Rule(), t.PeriodType, cur.From.AddDays(-1)); ok {
				windows = append(windows, prev)
			}
			windows = append(windows, cur)
		}
		for _, win := range windows {
			for _, unit := range own {
				if opened[key{t.ID, unit, win.Year, win.Number}] || !m.can(p, authz.ActionReportEdit, unit) {
					continue
				}
				exp, err := m.reports.ExpectedIn(ctx, t.ID, win, unit)
				if err != nil {
					return err
				}
				for _, e := range exp {
					if e.UnitID != unit {
						continue
					}
					due, _ := calendar.ParseDate(e.DueOn)
					name := ""
					if u, ok := m.tree.Unit(unit); ok {
						name = u.Name
					}
					w.Due = append(w.Due, DueReport{TemplateID: t.ID, TemplateName: t.Name, UnitID: unit, UnitName: name,
						PeriodType: win.Type, PeriodYear: win.Year, PeriodNumber: win.Number, DueOn: e.DueOn, DaysLeft: due.Sub(today)})
				}
			}
		}
	}
	slices.SortStableFunc(w.Due, func(a, b DueReport) int {
		if a.DueOn != b.DueOn {
			if a.DueOn < b.DueOn {
				return -1
			}
			return 1
		}
		return int(a.UnitID - b.UnitID)
	})
	if len(w.Due) > workListSize {
		w.Due = w.Due[:workListSize]
	}
	if len(w.Returned) > workListSize {
		w.Returned = w.Returned[:workListSize]
	}
	return nil
}

// maxWorkRowsHint sizes the read of a unit's open reports.
const maxWorkRowsHint = 200

func dueOf(r Report, today calendar.Date) DueReport {
	d, _ := calendar.ParseDate(r.DueOn)
	return DueReport{ReportID: r.ID, TemplateID: r.TemplateID, TemplateName: r.TemplateName, UnitID: r.UnitID, UnitName: r.UnitName,
		PeriodType: r.PeriodType, PeriodYear: r.PeriodYear, PeriodNumber: r.PeriodNumber, DueOn: r.DueOn, DaysLeft: d.Sub(today)}
}

// review fills the submitted reports p may review: coordinators in their
// subtree, unit heads below their unit. (An administrator may review
// anywhere but is not asked to: the province's queue is the coordinators'.)
func (m *MyWork) review(ctx context.Context, p *Principal, w *Work) error {
	var roots []int64
	for _, g := range p.Grants {
		switch g.Role {
		case authz.RoleCoordinator, authz.RoleUnitHead:
			if !slices.Contains(roots, g.UnitID) {
				roots = append(roots, g.UnitID)
			}
		}
	}
	if len(roots) == 0 {
		return nil
	}
	reps, err := m.st.SubmittedUnder(ctx, roots, 3*workListSize)
	if err != nil {
		return unavailable("reports to review", err)
	}
	for _, r := range reps {
		t, err := m.tree.Target(r.UnitID)
		if err != nil || !authz.CanReview(p.Grants, t) {
			continue
		}
		if w.Review = append(w.Review, r); len(w.Review) == workListSize {
			break
		}
	}
	return nil
}

// readOnlyRoles only look at the organisation's work: a user holding
// nothing else lands on the dashboard.
var readOnlyRoles = map[authz.Role]bool{authz.RoleLeader: true, authz.RoleCouncilMember: true}

// Landing is where p goes on opening the site: "/dashboard" for a leader
// (only read-only roles, and a dashboard to read), "/" for everyone else.
func (m *MyWork) Landing(p *Principal) string {
	if p == nil || p.System || len(p.Grants) == 0 {
		return "/"
	}
	for _, g := range p.Grants {
		if !readOnlyRoles[g.Role] {
			return "/"
		}
	}
	for _, g := range p.Grants {
		if m.can(p, authz.ActionDashboardRead, g.UnitID) {
			return "/dashboard"
		}
	}
	return "/"
}

// Menu says which sections p may open, so that no menu entry leads to a
// refusal. It costs no SQL.
type Menu struct {
	Programme   bool
	Reports     bool
	Inspections bool
	Users       bool
	Audit       bool
	// Civic: dialogues and mediation cases ([Civic]) are kept somewhere.
	Civic bool
	// Cases: citizens' cases ([Cases]) are read somewhere.
	Cases bool
	// Reception: citizen reception sessions ([Reception]) are kept somewhere.
	Reception bool
}

// MenuFor computes p's [Menu] from the grants and the in-memory tree.
func (m *MyWork) MenuFor(p *Principal) Menu {
	if p == nil || p.OnlyCitizen() {
		return Menu{}
	}
	mu := Menu{
		Programme: m.can(p, authz.ActionDirectiveRead, 0),
		Users:     m.can(p, authz.ActionUserManage, 0),
		Audit:     m.can(p, authz.ActionAuditRead, 0),
	}
	if p.IsAdmin() {
		mu.Reports, mu.Inspections, mu.Civic, mu.Cases, mu.Reception = true, true, true, true, true
		return mu
	}
	for _, g := range p.Grants {
		mu.Reports = mu.Reports || m.can(p, authz.ActionReportRead, g.UnitID)
		mu.Inspections = mu.Inspections || m.can(p, authz.ActionInspectionRead, g.UnitID)
		// The same permission the civic service asks to keep a dialogue.
		mu.Civic = mu.Civic || m.can(p, authz.ActionPlanEdit, g.UnitID)
		// The same permission the cases service asks to list a unit's cases.
		mu.Cases = mu.Cases || m.can(p, authz.ActionCaseRead, g.UnitID)
		// The same permission the reception service asks to keep a session.
		mu.Reception = mu.Reception || m.can(p, authz.ActionCaseHandle, g.UnitID)
	}
	return mu
}
