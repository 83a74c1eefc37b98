package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// stepFixture extends the follow-up fixture with an officer in each commune,
// so that "heads and officers" and "heads only" can be told apart.
type stepFixture struct {
	*fuFixture
	officer map[string]*service.Principal
	all     []*service.Principal // every user of the fixture
}

func newStepFixture(t *testing.T) *stepFixture {
	t.Helper()
	f := &stepFixture{fuFixture: newFuFixture(t), officer: map[string]*service.Principal{}}
	for _, u := range []string{"A1", "B1"} {
		name := "officer_" + strings.ToLower(u)
		x := account.User{Username: name, FullName: "Người " + name, Email: name + "@example.vn", PasswordHash: "x"}
		if err := f.st.CreateUser(t.Context(), audit.System("test"), &x); err != nil {
			t.Fatal(err)
		}
		if err := f.st.AddGrant(t.Context(), audit.System("test"), x.ID, authz.RoleUnitOfficer, f.unit[u]); err != nil {
			t.Fatal(err)
		}
		f.officer[u] = &service.Principal{User: x, Grants: []authz.Grant{{Role: authz.RoleUnitOfficer, UnitID: f.unit[u]}}}
	}
	for _, r := range authz.AllRoles() {
		f.all = append(f.all, f.as[r])
	}
	f.all = append(f.all, f.heads["A1"], f.heads["B1"], f.officer["A1"], f.officer["B1"])
	return f
}

// notes returns p's notifications of kind.
func (f *stepFixture) notes(t *testing.T, p *service.Principal, kind string) []store.Notification {
	t.Helper()
	ns, _, err := f.st.ListNotifications(t.Context(), p.UserID(), false, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Notification
	for _, n := range ns {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// total counts every notification of kind, whoever holds it.
func (f *stepFixture) total(t *testing.T, kind string) int {
	t.Helper()
	n := 0
	for _, p := range f.all {
		n += len(f.notes(t, p, kind))
	}
	return n
}

// expect checks that exactly the principals in want got one notification of
// kind (beyond those counted in before) with link, whose subject and body
// contain the given parts, and that nobody else got any.
func (f *stepFixture) expect(t *testing.T, kind, link string, before map[int64]int, want []*service.Principal, parts ...string) {
	t.Helper()
	wanted := map[int64]bool{}
	for _, p := range want {
		wanted[p.UserID()] = true
	}
	for _, p := range f.all {
		ns := f.notes(t, p, kind)
		got := len(ns) - before[p.UserID()]
		if !wanted[p.UserID()] {
			if got != 0 {
				t.Errorf("%s: %s got %d notices, want none", kind, p.User.Username, got)
			}
			continue
		}
		if got != 1 {
			t.Errorf("%s: %s got %d notices, want 1", kind, p.User.Username, got)
			continue
		}
		n := ns[0] // newest first
		if n.Link != link {
			t.Errorf("%s: %s link %q, want %q", kind, p.User.Username, n.Link, link)
		}
		text := n.Subject + "\n" + n.Body
		for _, s := range parts {
			if !strings.Contains(text, s) {
				t.Errorf("%s: %s notice %q lacks %q", kind, p.User.Username, text, s)
			}
		}
	}
}

// counts is how many notices of kind each user holds now.
func (f *stepFixture) counts(t *testing.T, kind string) map[int64]int {
	t.Helper()
	out := map[int64]int{}
	for _, p := range f.all {
		out[p.UserID()] = len(f.notes(t, p, kind))
	}
	return out
}

func (f *stepFixture) reviewersOfA1() []*service.Principal {
	tgt := authz.Target{UnitID: f.unit["A1"], Path: []int64{f.unit["P"], f.unit["A"], f.unit["A1"]}}
	var out []*service.Principal
	for _, p := range f.all {
		if authz.CanReview(p.Grants, tgt) && p.UserID() != f.heads["A1"].UserID() {
			out = append(out, p)
		}
	}
	return out
}

func TestNotifyStepsReportLoop(t *testing.T) {
	f := newStepFixture(t)
	ctx := context.Background()
	rs := f.svc.Reports
	head, coord := f.heads["A1"], f.as[authz.RoleCoordinator]
	reviewers := f.reviewersOfA1()
	if len(reviewers) == 0 {
		t.Fatal("no reviewer of A1 in the fixture")
	}
	for _, p := range reviewers {
		if p.UserID() == f.heads["B1"].UserID() || p.UserID() == f.officer["A1"].UserID() {
			t.Fatalf("%s should not review A1", p.User.Username)
		}
	}
	vi := i18n.Default().For("vi")
	if _, err := rs.CreateSchedule(ctx, f.sys, f.tpl.ID, service.ScheduleInput{UnitID: f.unit["P"], Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5, WorkingDays: true}}}); err != nil {
		t.Fatal(err)
	}

	rep, err := rs.Open(ctx, head, service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit["A1"], Year: 2026, Number: 4})
	if err != nil {
		t.Fatal(err)
	}
	link := fmt.Sprintf("/reports/%d", rep.ID)

	// Refused and failed submissions notify nobody.
	if _, err := rs.Submit(ctx, f.heads["B1"], rep.ID, service.DraftInput{Version: rep.Version, Values: map[string]string{"cases": "4"}}, true); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("outsider submit: %v", err)
	}
	if _, err := rs.Submit(ctx, head, rep.ID, service.DraftInput{Version: rep.Version + 7, Values: map[string]string{"cases": "4"}}, true); err == nil {
		t.Fatal("stale submit accepted")
	}
	bad, err := rs.Submit(ctx, head, rep.ID, service.DraftInput{Version: rep.Version, Values: map[string]string{"cases": "-1"}}, true)
	var inv *service.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("invalid submit: %v", err)
	}
	if n := f.total(t, service.KindReportSubmitted); n != 0 {
		t.Fatalf("refused or failed submissions created %d notices", n)
	}

	before := f.counts(t, service.KindReportSubmitted)
	sub, err := rs.Submit(ctx, head, rep.ID, service.DraftInput{Version: bad.Version, Values: map[string]string{"cases": "4"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	f.expect(t, service.KindReportSubmitted, link, before, reviewers,
		vi.T("followup.step.submitted_subject", "Báo cáo tháng", "Đơn vị A1"), "Người head_a1")

	// A return without a comment, by an outsider or on a stale version
	// notifies nobody.
	if _, err := rs.Review(ctx, coord, rep.ID, service.ReviewInput{Version: &sub.Version}, false); !errors.As(err, &inv) {
		t.Fatalf("return without comment: %v", err)
	}
	if _, err := rs.Review(ctx, f.heads["B1"], rep.ID, service.ReviewInput{Version: &sub.Version, Comment: "x"}, false); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("outsider return: %v", err)
	}
	stale := sub.Version - 1
	if _, err := rs.Review(ctx, coord, rep.ID, service.ReviewInput{Version: &stale, Comment: "x"}, false); !errors.Is(err, service.ErrConflict) {
		t.Fatalf("stale return: %v", err)
	}
	if n := f.total(t, service.KindReportReturned); n != 0 {
		t.Fatalf("refused or failed returns created %d notices", n)
	}

	unitSide := []*service.Principal{head, f.officer["A1"]}
	before = f.counts(t, service.KindReportReturned)
	ret, err := rs.Review(ctx, coord, rep.ID, service.ReviewInput{Version: &sub.Version, Comment: "Bổ sung số liệu tập huấn"}, false)
	if err != nil {
		t.Fatal(err)
	}
	f.expect(t, service.KindReportReturned, link, before, unitSide,
		vi.T("followup.step.returned_subject", "Báo cáo tháng", "Đơn vị A1"), "Bổ sung số liệu tập huấn", "Người u_coordinator")

	before = f.counts(t, service.KindReportSubmitted)
	sub2, err := rs.Submit(ctx, head, rep.ID, service.DraftInput{Version: ret.Version, Values: map[string]string{"cases": "5"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	f.expect(t, service.KindReportSubmitted, link, before, reviewers)

	before = f.counts(t, service.KindReportAccepted)
	if _, err := rs.Review(ctx, coord, rep.ID, service.ReviewInput{Version: &sub2.Version, Comment: "Đạt yêu cầu"}, true); err != nil {
		t.Fatal(err)
	}
	f.expect(t, service.KindReportAccepted, link, before, unitSide,
		vi.T("followup.step.accepted_subject", "Báo cáo tháng", "Đơn vị A1"), "Đạt yêu cầu")
}

func TestNotifyStepsAssign(t *testing.T) {
	f := newStepFixture(t)
	ctx := context.Background()
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
	in := service.AssignInput{TaskID: task.ID, UnitIDs: []int64{f.unit["A1"]}, Role: "lead", DueOn: "2026-06-30"}

	// Refused and invalid assignments notify nobody.
	if _, err := prog.AssignTask(ctx, f.heads["B1"], in); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("outsider assign: %v", err)
	}
	early := in
	early.DueOn = "2025-01-01"
	var inv *service.InvalidError
	if _, err := prog.AssignTask(ctx, f.sys, early); !errors.As(err, &inv) {
		t.Fatalf("due before issue: %v", err)
	}
	if n := f.total(t, service.KindTaskAssigned); n != 0 {
		t.Fatalf("refused assignments created %d notices", n)
	}

	before := f.counts(t, service.KindTaskAssigned)
	if _, err := prog.AssignTask(ctx, f.sys, in); err != nil {
		t.Fatal(err)
	}
	vi := i18n.Default().For("vi")
	f.expect(t, service.KindTaskAssigned, fmt.Sprintf("/programme/units/%d", f.unit["A1"]), before,
		[]*service.Principal{f.heads["A1"], f.officer["A1"]},
		vi.T("followup.step.assigned_subject", 3, "12-CT/TU"), "Về công tác dân vận", "30/06/2026")

	// The same assignment again changes nothing and tells nobody twice.
	before = f.counts(t, service.KindTaskAssigned)
	if _, err := prog.AssignTask(ctx, f.sys, in); err != nil {
		t.Fatal(err)
	}
	f.expect(t, service.KindTaskAssigned, "", before, nil)

	// Two units at once, with a new due date: each unit's people hear about
	// their own unit once.
	before = f.counts(t, service.KindTaskAssigned)
	two := in
	two.UnitIDs, two.DueOn = []int64{f.unit["A1"], f.unit["B1"]}, "2026-07-31"
	if _, err := prog.AssignTask(ctx, f.sys, two); err != nil {
		t.Fatal(err)
	}
	own := map[int64]string{}
	for _, u := range []string{"A1", "B1"} {
		own[f.heads[u].UserID()], own[f.officer[u].UserID()] = u, u
	}
	for _, p := range f.all {
		ns := f.notes(t, p, service.KindTaskAssigned)
		got := len(ns) - before[p.UserID()]
		u, ok := own[p.UserID()]
		switch {
		case !ok && got != 0:
			t.Errorf("%s got %d notices, want none", p.User.Username, got)
		case ok && got != 1:
			t.Errorf("%s got %d notices, want 1", p.User.Username, got)
		case ok && (ns[0].Link != fmt.Sprintf("/programme/units/%d", f.unit[u]) || !strings.Contains(ns[0].Body, "Đơn vị "+u) || !strings.Contains(ns[0].Body, "31/07/2026")):
			t.Errorf("%s: %+v", p.User.Username, ns[0])
		}
	}
}

func TestNotifyStepsInspection(t *testing.T) {
	f := newStepFixture(t)
	ctx := context.Background()
	coord := f.as[authz.RoleCoordinator]
	in := service.InspectionInput{Kind: "supervision", Topic: "Giám sát dân chủ cơ sở", LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-10", EndOn: "2026-05-20"}

	// Refused and invalid plans notify nobody.
	if _, err := f.fu.CreateInspection(ctx, f.heads["B1"], in); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("outsider plan: %v", err)
	}
	outside := in
	outside.UnitIDs = []int64{f.unit["A1"], f.unit["B1"]}
	if _, err := f.fu.CreateInspection(ctx, coord, outside); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("plan outside the subtree: %v", err)
	}
	backwards := in
	backwards.EndOn = "2026-05-01"
	var inv *service.InvalidError
	if _, err := f.fu.CreateInspection(ctx, coord, backwards); !errors.As(err, &inv) {
		t.Fatalf("end before start: %v", err)
	}
	if n := f.total(t, service.KindInspectionOpened); n != 0 {
		t.Fatalf("refused plans created %d notices", n)
	}

	before := f.counts(t, service.KindInspectionOpened)
	got, err := f.fu.CreateInspection(ctx, coord, in)
	if err != nil {
		t.Fatal(err)
	}
	link := fmt.Sprintf("/inspections/%d", got.ID)
	vi := i18n.Default().For("vi")
	// Heads only: the officer of A1 is not told of the plan.
	f.expect(t, service.KindInspectionOpened, link, before, []*service.Principal{f.heads["A1"]},
		vi.T("followup.step.inspection_subject", vi.T("followup.inspection_kind.supervision"), "Giám sát dân chủ cơ sở"), "Đơn vị A", "10/05/2026", "20/05/2026")

	// Findings: refused or invalid ones notify nobody.
	if _, err := f.fu.AddFinding(ctx, f.heads["B1"], got.ID, service.FindingInput{UnitID: f.unit["A1"], Text: "x"}); err == nil {
		t.Fatal("outsider finding accepted")
	}
	if _, err := f.fu.AddFinding(ctx, coord, got.ID, service.FindingInput{UnitID: f.unit["A1"], Text: " "}); !errors.As(err, &inv) {
		t.Fatalf("empty finding: %v", err)
	}
	if _, err := f.fu.AddFinding(ctx, coord, got.ID, service.FindingInput{UnitID: f.unit["B1"], Text: "x"}); err == nil {
		t.Fatal("finding at a unit not inspected accepted")
	}
	if n := f.total(t, service.KindInspectionFinding); n != 0 {
		t.Fatalf("refused findings created %d notices", n)
	}
	before = f.counts(t, service.KindInspectionFinding)
	if _, err := f.fu.AddFinding(ctx, coord, got.ID, service.FindingInput{UnitID: f.unit["A1"], Text: "Chưa niêm yết công khai quy chế"}); err != nil {
		t.Fatal(err)
	}
	f.expect(t, service.KindInspectionFinding, link, before, []*service.Principal{f.heads["A1"], f.officer["A1"]},
		vi.T("followup.step.finding_subject", "Giám sát dân chủ cơ sở"), "Chưa niêm yết công khai quy chế", "Đơn vị A1")
}
