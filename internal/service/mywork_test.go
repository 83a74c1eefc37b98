package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
)

// TestMyWork walks a report through its loop and checks, at each step, who
// sees it in "my work": the unit's own people, its reviewers, and nobody of
// the other branch.
func TestMyWork(t *testing.T) {
	f := newStepFixture(t)
	ctx := context.Background()
	mw, rs := f.svc.MyWork, f.svc.Reports
	headA1, headB1, offA1 := f.heads["A1"], f.heads["B1"], f.officer["A1"]
	coord, leader := f.as[authz.RoleCoordinator], f.as[authz.RoleLeader]
	work := func(p *service.Principal) service.Work {
		t.Helper()
		w, err := mw.For(ctx, p)
		if err != nil {
			t.Fatalf("%s: %v", p.User.Username, err)
		}
		return w
	}
	if _, err := mw.For(ctx, nil); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("anonymous: %v", err)
	}

	// Nothing scheduled: nothing due.
	if w := work(headA1); len(w.Due) != 0 || w.Today != "2026-05-04" {
		t.Fatalf("before any schedule: %+v", w)
	}
	if _, err := rs.CreateSchedule(ctx, f.sys, f.tpl.ID, service.ScheduleInput{UnitID: f.unit["P"], Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5}}}); err != nil {
		t.Fatal(err)
	}
	// The current and the previous period are expected of each commune.
	w := work(offA1)
	if len(w.Due) != 2 {
		t.Fatalf("officer A1 due: %+v", w.Due)
	}
	for _, d := range w.Due {
		if d.UnitID != f.unit["A1"] || d.ReportID != 0 || d.TemplateID != f.tpl.ID {
			t.Fatalf("officer A1 due item: %+v", d)
		}
	}
	cur := w.Due[1]
	if cur.DueOn <= w.Today || cur.DaysLeft <= 0 {
		t.Fatalf("the current period is due later: %+v", cur)
	}
	if w.Due[0].DaysLeft >= 0 || w.Due[0].DueOn >= w.Today {
		t.Fatalf("the previous period is late: %+v", w.Due[0])
	}
	for _, p := range []*service.Principal{coord, leader, f.as[authz.RoleUnitOfficer]} {
		if w := work(p); len(w.Due) != 0 {
			t.Fatalf("%s sees due reports of a commune: %+v", p.User.Username, w.Due)
		}
	}
	if w := work(headB1); len(w.Due) != 2 || w.Due[0].UnitID != f.unit["B1"] {
		t.Fatalf("head B1 sees only B1: %+v", w.Due)
	}

	// Opened: the draft replaces the expected period, with its id.
	rep, err := rs.Open(ctx, headA1, service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit["A1"], Year: cur.PeriodYear, Number: cur.PeriodNumber})
	if err != nil {
		t.Fatal(err)
	}
	w = work(offA1)
	if len(w.Due) != 2 || w.Due[1].ReportID != rep.ID || w.Due[1].DueOn != cur.DueOn {
		t.Fatalf("after opening: %+v", w.Due)
	}

	// Submitted: it waits for the coordinator of A (and no-one else).
	sub, err := rs.Submit(ctx, offA1, rep.ID, service.DraftInput{Version: rep.Version, Values: map[string]string{"cases": "4"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if w := work(offA1); len(w.Due) != 1 || w.Due[0].ReportID != 0 {
		t.Fatalf("a submitted report is no longer due: %+v", w.Due)
	}
	if w := work(coord); len(w.Review) != 1 || w.Review[0].ID != rep.ID {
		t.Fatalf("coordinator of A review: %+v", w.Review)
	}
	for _, p := range []*service.Principal{leader, headA1, headB1, offA1, f.as[authz.RoleInspector]} {
		if w := work(p); len(w.Review) != 0 {
			t.Fatalf("%s is asked to review: %+v", p.User.Username, w.Review)
		}
	}

	// Returned with a comment: the unit sees it with the comment.
	const comment = "Bổ sung số liệu"
	version := sub.Version
	if _, err := rs.Review(ctx, coord, rep.ID, service.ReviewInput{Version: &version, Comment: comment}, false); err != nil {
		t.Fatal(err)
	}
	w = work(offA1)
	if len(w.Returned) != 1 || w.Returned[0].ID != rep.ID || w.Returned[0].ReviewComment != comment {
		t.Fatalf("officer A1 returned: %+v", w.Returned)
	}
	if w.Unread == 0 || len(w.Notices) == 0 {
		t.Fatalf("officer A1 has the return notice: %+v", w.Notices)
	}
	if w := work(headB1); len(w.Returned) != 0 {
		t.Fatalf("head B1 sees A1's returned report: %+v", w.Returned)
	}
	if w := work(coord); len(w.Review) != 0 {
		t.Fatalf("returned report still waits for review: %+v", w.Review)
	}

	// An activity past its due date, unfinished: overdue for A1 only.
	prog := f.svc.Programme
	d, err := prog.CreateDirective(ctx, f.sys, service.DirectiveInput{Number: "12-CT/TU", DocType: "ct", IssuedOn: "2026-01-10", IssuerUnitID: f.unit["P"],
		Texts: []service.TextInput{{Lang: "vi", Title: "Về công tác dân vận"}}})
	if err != nil {
		t.Fatal(err)
	}
	task, err := prog.AddTask(ctx, f.sys, d.ID, service.TaskInput{Number: "3", Weight: "1", Texts: []service.TextInput{{Lang: "vi", Title: "Dân vận khéo"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, due := range []string{"2026-04-30", "2026-12-31"} {
		if _, err := prog.CreateActivity(ctx, f.sys, f.unit["A1"], service.ActivityInput{TaskID: task.ID, Title: "Đối thoại " + due, StartOn: "2026-02-01", DueOn: due}); err != nil {
			t.Fatal(err)
		}
	}
	w = work(offA1)
	if len(w.Overdue) != 1 || w.Overdue[0].DueOn != "2026-04-30" || w.Overdue[0].DaysLate != 4 {
		t.Fatalf("officer A1 overdue: %+v", w.Overdue)
	}
	for _, p := range []*service.Principal{headB1, coord, leader} {
		if w := work(p); len(w.Overdue) != 0 {
			t.Fatalf("%s sees A1's overdue activity: %+v", p.User.Username, w.Overdue)
		}
	}

	// An urge to A1 reaches A1's people only.
	if _, err := f.fu.SendUrge(ctx, coord, service.UrgeInput{UnitID: f.unit["A1"], Message: "Đề nghị gửi báo cáo"}); err != nil {
		t.Fatal(err)
	}
	if w := work(headA1); len(w.Urges) != 1 || w.Urges[0].UnitID != f.unit["A1"] {
		t.Fatalf("head A1 urges: %+v", w.Urges)
	}
	if w := work(headB1); len(w.Urges) != 0 {
		t.Fatalf("head B1 urges: %+v", w.Urges)
	}
}

// TestMyWorkLandingAndMenu: leaders land on the dashboard; the menu offers
// only what each role may open.
func TestMyWorkLandingAndMenu(t *testing.T) {
	f := newFuFixture(t)
	mw := f.svc.MyWork
	for r, want := range map[authz.Role]string{
		authz.RoleLeader: "/dashboard", authz.RoleCouncilMember: "/dashboard",
		authz.RoleCoordinator: "/", authz.RoleUnitHead: "/", authz.RoleUnitOfficer: "/", authz.RoleAdmin: "/", authz.RoleCitizen: "/",
	} {
		if got := mw.Landing(f.as[r]); got != want {
			t.Errorf("%s lands on %s, want %s", r, got, want)
		}
	}
	if got := mw.Landing(nil); got != "/" {
		t.Errorf("anonymous lands on %s", got)
	}
	// A leader who also reports for a unit has work to do.
	mixed := *f.as[authz.RoleLeader]
	mixed.Grants = append(mixed.Grants, authz.Grant{Role: authz.RoleUnitOfficer, UnitID: f.unit["A1"]})
	if got := mw.Landing(&mixed); got != "/" {
		t.Errorf("leader and officer lands on %s", got)
	}

	for r, want := range map[authz.Role]service.Menu{
		authz.RoleAdmin:         {Programme: true, Reports: true, Inspections: true, Users: true, Audit: true, Civic: true, Cases: true, Reception: true},
		authz.RoleCoordinator:   {Programme: true, Reports: true, Inspections: true, Civic: true, Cases: true},
		authz.RoleLeader:        {Programme: true, Reports: true, Inspections: true, Cases: true},
		authz.RoleUnitOfficer:   {Programme: true, Reports: true, Inspections: true, Civic: true},
		authz.RoleCaseHandler:   {Programme: true, Cases: true, Reception: true},
		authz.RoleInspector:     {Programme: true, Reports: true, Inspections: true, Cases: true},
		authz.RoleCouncilMember: {Programme: true, Reports: true, Inspections: true},
		authz.RoleCitizen:       {},
	} {
		if got := mw.MenuFor(f.as[r]); got != want {
			t.Errorf("%s menu %+v, want %+v", r, got, want)
		}
	}
	if got := mw.MenuFor(nil); got != (service.Menu{}) {
		t.Errorf("anonymous menu %+v", got)
	}
}
