package service_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// officerOf stores a unit officer of unit (so that notices reach someone).
func (f *progFix) officerOf(unit string) *service.Principal {
	f.t.Helper()
	f.users++
	u := account.User{Username: fmt.Sprintf("officer%d", f.users), FullName: "Cán bộ", PasswordHash: "x"}
	if err := f.st.CreateUser(f.ctx, audit.System("test"), &u); err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.AddGrant(f.ctx, audit.System("test"), u.ID, authz.RoleUnitOfficer, f.unit[unit]); err != nil {
		f.t.Fatal(err)
	}
	return &service.Principal{User: u, Grants: []authz.Grant{{Role: authz.RoleUnitOfficer, UnitID: f.unit[unit]}}}
}

func (f *progFix) noticeCount(p *service.Principal, subject string) int {
	f.t.Helper()
	ns, _, err := f.st.ListNotifications(f.ctx, p.UserID(), false, 500, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	n := 0
	for _, x := range ns {
		if strings.Contains(x.Subject, subject) {
			n++
		}
	}
	return n
}

func (f *progFix) assign(unit string) service.Assignment {
	f.t.Helper()
	as, err := f.svc.Programme.AssignTask(f.ctx, service.SystemPrincipal(), service.AssignInput{TaskID: f.task.ID, UnitIDs: []int64{f.unit[unit]}, Role: "lead", DueOn: "2025-12-31"})
	if err != nil {
		f.t.Fatal(err)
	}
	return as[0]
}

// Only the issuing unit's managers edit and withdraw; others are refused
// and nothing changes.
func TestProgrammeEditPermission(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	as := f.assign("W1")
	refused := []*service.Principal{
		f.principal(authz.RoleCoordinator, "P01"), // manager of another province
		f.principal(authz.RoleUnitHead, "P38"),
		f.principal(authz.RoleLeader, "P38"),
		f.principal(authz.RoleUnitOfficer, "W1"),
	}
	for i, p := range refused {
		if _, err := prog.EditDirective(f.ctx, p, f.d.ID, service.DirectiveEdit{Version: 1, Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", Title: "Khác"}); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("%d edit directive: %v", i, err)
		}
		if _, err := prog.EditTask(f.ctx, p, f.task.ID, service.TaskEdit{Version: 1, Number: "1", Title: "Khác"}); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("%d edit task: %v", i, err)
		}
		if _, err := prog.EditAssignment(f.ctx, p, as.ID, service.AssignmentEdit{Version: as.Version, Role: "lead", DueOn: "2025-11-30"}); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("%d edit assignment: %v", i, err)
		}
		for what, call := range map[string]func() error{
			"directive": func() error {
				_, err := prog.WithdrawDirective(f.ctx, p, f.d.ID, service.WithdrawInput{Version: 1, Reason: "x"})
				return err
			},
			"task": func() error {
				_, err := prog.WithdrawTask(f.ctx, p, f.task.ID, service.WithdrawInput{Version: 1, Reason: "x"})
				return err
			},
			"assignment": func() error {
				_, err := prog.WithdrawAssignment(f.ctx, p, as.ID, service.WithdrawInput{Version: as.Version, Reason: "x"})
				return err
			},
			"bulk": func() error {
				_, err := prog.BulkAssign(f.ctx, p, service.BulkAssignInput{TaskID: f.task.ID, Scope: service.BulkCommunes, Role: "lead", DueOn: "2025-12-31"})
				return err
			},
		} {
			if err := call(); !errors.Is(err, service.ErrForbidden) {
				t.Errorf("%d withdraw %s: %v", i, what, err)
			}
		}
	}
	if _, err := prog.EditDirective(f.ctx, nil, f.d.ID, service.DirectiveEdit{Version: 1}); !errors.Is(err, service.ErrUnauthenticated) {
		t.Errorf("anonymous: %v", err)
	}
	coord := f.principal(authz.RoleCoordinator, "P38")
	d, err := prog.EditDirective(f.ctx, coord, f.d.ID, service.DirectiveEdit{Version: 1, Number: "1471-CV/TU", DocType: "ct", IssuedOn: "2024-02-23",
		Signer: "Nguyễn Văn A", Title: "Về việc tăng cường công tác dân vận trong tình hình mới", Body: "Nội dung"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "1471-CV/TU" || d.DocType != "ct" || d.Version != 2 || d.Texts[0].Title != "Về việc tăng cường công tác dân vận trong tình hình mới" || d.Texts[0].Body != "Nội dung" {
		t.Errorf("edited: %+v", d)
	}
}

func TestProgrammeEditValidationAndLocking(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	root := service.SystemPrincipal()
	_, err := prog.EditDirective(f.ctx, root, f.d.ID, service.DirectiveEdit{Version: 1, Number: "không phải số", DocType: "zz", IssuedOn: "2024-02-31", Title: ""})
	for _, field := range []string{"number", "doc_type", "issued_on", "title"} {
		if !isInvalid(err, field) {
			t.Errorf("no error on %s: %v", field, err)
		}
	}
	// Stale: the directive was edited after the form was opened.
	edit := service.DirectiveEdit{Version: 1, Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", Title: "Tiêu đề mới"}
	if _, err := prog.EditDirective(f.ctx, root, f.d.ID, edit); err != nil {
		t.Fatal(err)
	}
	var stale *service.StaleVersionError
	if _, err := prog.EditDirective(f.ctx, root, f.d.ID, edit); !errors.As(err, &stale) || stale.Current != 2 || !errors.Is(err, service.ErrConflict) {
		t.Errorf("stale: %v", err)
	}
	// A number already registered.
	if _, err := prog.CreateDirective(f.ctx, root, service.DirectiveInput{Number: "1-KH/TU", DocType: "kh", IssuedOn: "2024-03-01", IssuerUnitID: f.unit["P38"],
		Texts: []service.TextInput{{Lang: "vi", Title: "Kế hoạch"}}}); err != nil {
		t.Fatal(err)
	}
	edit.Version, edit.Number = 2, "1-KH/TU"
	var dup *service.DuplicateNumberError
	if _, err := prog.EditDirective(f.ctx, root, f.d.ID, edit); !errors.As(err, &dup) || dup.Field != "number" {
		t.Errorf("duplicate: %v", err)
	}
	// Task: edited, then stale.
	tk, err := prog.EditTask(f.ctx, root, f.task.ID, service.TaskEdit{Version: 1, Number: "2", Weight: "3", Title: "Cải cách hành chính, chuyển đổi số"})
	if err != nil || tk.Number != 2 || tk.Weight != 3 || tk.Version != 2 || tk.Texts[0].Title != "Cải cách hành chính, chuyển đổi số" {
		t.Fatalf("task: %+v %v", tk, err)
	}
	if _, err := prog.EditTask(f.ctx, root, f.task.ID, service.TaskEdit{Version: 1, Number: "2", Title: "x"}); !errors.As(err, &stale) {
		t.Errorf("task stale: %v", err)
	}
	// Assignment: move it to W2, change due date and note; W2 is then told.
	officer := f.officerOf("W2")
	as := f.assign("W1")
	got, err := prog.EditAssignment(f.ctx, root, as.ID, service.AssignmentEdit{Version: as.Version, UnitID: f.unit["W2"], Role: "cooperate", DueOn: "2025-10-31", Note: "Ưu tiên vùng cao"})
	if err != nil || got.UnitID != f.unit["W2"] || got.Role != "cooperate" || got.DueOn != "2025-10-31" || got.Note != "Ưu tiên vùng cao" || got.Version != as.Version+1 {
		t.Fatalf("assignment: %+v %v", got, err)
	}
	if n := f.noticeCount(officer, "1470-CV/TU"); n != 1 {
		t.Errorf("W2 told %d times", n)
	}
	if _, err := prog.EditAssignment(f.ctx, root, as.ID, service.AssignmentEdit{Version: got.Version, Role: "lead", DueOn: "2020-01-01"}); !isInvalid(err, "due_on") {
		t.Errorf("due before the directive: %v", err)
	}
	f.assign("W1")
	if _, err := prog.EditAssignment(f.ctx, root, as.ID, service.AssignmentEdit{Version: got.Version, UnitID: f.unit["W1"], Role: "lead", DueOn: "2025-10-31"}); !errors.As(err, &dup) || dup.Field != "unit_id" {
		t.Errorf("moved onto an assigned unit: %v", err)
	}
}

// A withdrawn assignment leaves the unit's due list and the roll-ups, takes
// no progress, stays visible with who, when and why, and its unit is told.
func TestProgrammeWithdrawAssignment(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	coord := f.principal(authz.RoleCoordinator, "P38")
	coord.User.FullName = "Lê Thị Điều Phối"
	officer := f.officerOf("W1")
	as := f.assign("W1")
	f.assign("W2")
	if _, err := prog.WithdrawAssignment(f.ctx, coord, as.ID, service.WithdrawInput{Version: as.Version, Reason: "  "}); !isInvalid(err, "reason") {
		t.Fatalf("no reason: %v", err)
	}
	if _, err := prog.WithdrawAssignment(f.ctx, coord, as.ID, service.WithdrawInput{Version: as.Version + 5, Reason: "Trùng"}); !errors.Is(err, service.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	before := f.noticeCount(officer, "")
	w, err := prog.WithdrawAssignment(f.ctx, coord, as.ID, service.WithdrawInput{Version: as.Version, Reason: "Giao nhầm đơn vị"})
	if err != nil {
		t.Fatal(err)
	}
	if w.By != "Lê Thị Điều Phối" || w.Reason != "Giao nhầm đơn vị" || !w.At.Equal(progNow) {
		t.Errorf("withdrawal: %+v", w)
	}
	if n := f.noticeCount(officer, "") - before; n != 1 {
		t.Errorf("W1 told %d times", n)
	}
	root := service.SystemPrincipal()
	pl, err := prog.UnitPlan(f.ctx, root, f.unit["W1"], service.PlanOptions{Page: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Assignments) != 0 || len(pl.Withdrawn) != 1 || pl.Withdrawn[0].Withdrawn == nil || pl.Withdrawn[0].Withdrawn.Reason != "Giao nhầm đơn vị" {
		t.Errorf("plan: %+v / %+v", pl.Assignments, pl.Withdrawn)
	}
	if len(pl.Activities) != 1 || !pl.Activities[0].Withdrawn || pl.Rollup.N() != 0 {
		t.Errorf("activities: %+v rollup %+v", pl.Activities, pl.Rollup)
	}
	for _, c := range pl.Tasks {
		if c.ID == f.task.ID {
			t.Errorf("a withdrawn task is still offered for new activities")
		}
	}
	var wd *service.WithdrawnError
	if _, err := prog.PostProgress(f.ctx, root, f.act.ID, service.ProgressInput{Percent: "50", Version: f.version(f.act.ID)}); !errors.As(err, &wd) {
		t.Errorf("progress on a withdrawn assignment: %v", err)
	}
	if a, _ := f.st.GetActivity(f.ctx, f.act.ID); a.Progress != 10 {
		t.Errorf("progress stored: %d", a.Progress)
	}
	v, err := prog.GetDirective(f.ctx, root, f.d.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range v.Summary.Units {
		if u.UnitID == f.unit["W1"] {
			t.Errorf("W1 still in the roll-up: %+v", v.Summary.Units)
		}
	}
	if got := v.Tasks[0].Assignments; len(got) != 2 {
		t.Errorf("the withdrawn assignment must stay visible: %+v", got)
	}
	// Overdue lists ("what is due") leave it out too.
	over, err := f.st.OverdueActivities(f.ctx, []int64{f.unit["W1"]}, "2026-06-01", 10)
	if err != nil || len(over) != 0 {
		t.Errorf("overdue: %+v %v", over, err)
	}
	// Withdrawn twice: refused; assigning again gives it back.
	if _, err := prog.WithdrawAssignment(f.ctx, coord, as.ID, service.WithdrawInput{Version: as.Version + 1, Reason: "x"}); !errors.As(err, &wd) {
		t.Errorf("withdrawn twice: %v", err)
	}
	f.assign("W1")
	if _, err := prog.PostProgress(f.ctx, root, f.act.ID, service.ProgressInput{Percent: "50", Version: f.version(f.act.ID)}); err != nil {
		t.Errorf("given back: %v", err)
	}
}

func TestProgrammeWithdrawTaskAndDirective(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	root := service.SystemPrincipal()
	o1, o2 := f.officerOf("W1"), f.officerOf("W2")
	f.assign("W1")
	f.assign("W2")
	t2, err := prog.AddTask(f.ctx, root, f.d.ID, service.TaskInput{Number: "2", Texts: []service.TextInput{{Lang: "vi", Title: "Dân vận khéo"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prog.WithdrawTask(f.ctx, root, f.task.ID, service.WithdrawInput{Version: 1, Reason: "Đã lồng ghép vào nhiệm vụ 2"}); err != nil {
		t.Fatal(err)
	}
	if f.noticeCount(o1, "Thu hồi nhiệm vụ 1") != 1 || f.noticeCount(o2, "Thu hồi nhiệm vụ 1") != 1 {
		t.Errorf("units not told of the task")
	}
	v, _ := prog.GetDirective(f.ctx, root, f.d.ID, "")
	if len(v.Summary.Tasks) != 1 || v.Summary.Tasks[0].TaskID != t2.ID || v.Tasks[0].Withdrawn == nil {
		t.Errorf("summary: %+v", v.Summary.Tasks)
	}
	var wd *service.WithdrawnError
	if _, err := prog.EditTask(f.ctx, root, f.task.ID, service.TaskEdit{Version: 2, Number: "1", Title: "x"}); !errors.As(err, &wd) {
		t.Errorf("edit a withdrawn task: %v", err)
	}
	if _, err := prog.CreateActivity(f.ctx, root, f.unit["W1"], service.ActivityInput{TaskID: f.task.ID, Title: "Mới", StartOn: "2025-08-01", DueOn: "2025-09-01"}); !isInvalid(err, "task_id") {
		t.Errorf("activity under a withdrawn task: %v", err)
	}
	if _, err := prog.AssignTask(f.ctx, root, service.AssignInput{TaskID: t2.ID, UnitIDs: []int64{f.unit["W2"]}, Role: "lead", DueOn: "2025-12-31"}); err != nil {
		t.Fatal(err)
	}
	if _, err := prog.WithdrawDirective(f.ctx, root, f.d.ID, service.WithdrawInput{Version: 1, Reason: "Văn bản hết hiệu lực"}); err != nil {
		t.Fatal(err)
	}
	if f.noticeCount(o2, "Thu hồi văn bản số 1470-CV/TU") != 1 || f.noticeCount(o1, "Thu hồi văn bản") != 0 {
		t.Errorf("directive notices: W2 %d, W1 %d", f.noticeCount(o2, "Thu hồi văn bản"), f.noticeCount(o1, "Thu hồi văn bản"))
	}
	v, _ = prog.GetDirective(f.ctx, root, f.d.ID, "")
	if v.Withdrawn == nil || v.Withdrawn.Reason != "Văn bản hết hiệu lực" || len(v.Summary.Tasks) != 0 {
		t.Errorf("withdrawn directive: %+v %+v", v.Withdrawn, v.Summary)
	}
	pl, _ := prog.UnitPlan(f.ctx, root, f.unit["W2"], service.PlanOptions{})
	if len(pl.Assignments) != 0 || len(pl.Withdrawn) != 2 {
		t.Errorf("W2 plan: %+v %+v", pl.Assignments, pl.Withdrawn)
	}
	if _, err := prog.EditDirective(f.ctx, root, f.d.ID, service.DirectiveEdit{Version: 2, Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", Title: "x"}); !errors.As(err, &wd) {
		t.Errorf("edit a withdrawn directive: %v", err)
	}
}

// Assigning to every commune: the preview lists exactly what is then
// created, in one transaction; units already assigned are skipped.
func TestProgrammeBulkAssignCommunes(t *testing.T) {
	f := newProgFix(t)
	sys := audit.System("test")
	const n = 166
	for i := 0; i < n-2; i++ { // W1 and W2 are two communes already
		u := org.Unit{Code: fmt.Sprintf("C%03d", i), Name: fmt.Sprintf("Xã %03d", i), Kind: org.KindCommune, ParentID: f.unit["P38"], ValidFrom: "2000-01-01"}
		if err := f.st.CreateUnit(f.ctx, sys, &u); err != nil {
			t.Fatal(err)
		}
	}
	// A commune that no longer exists, and a department: neither is a commune today.
	gone := org.Unit{Code: "OLD", Name: "Thị trấn cũ", Kind: org.KindCommune, ParentID: f.unit["P38"], ValidFrom: "2000-01-01", ValidTo: "2025-06-30"}
	dept := org.Unit{Code: "BDV", Name: "Ban Dân vận", Kind: org.KindPartyCommission, ParentID: f.unit["P38"], ValidFrom: "2000-01-01"}
	for _, u := range []*org.Unit{&gone, &dept} {
		if err := f.st.CreateUnit(f.ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.Tree.Reload(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.assign("W1")
	prog := f.svc.Programme
	coord := f.principal(authz.RoleCoordinator, "P38")
	in := service.BulkAssignInput{DirectiveID: f.d.ID, TaskID: f.task.ID, Scope: service.BulkCommunes, Role: "cooperate", Note: "Báo cáo quý", Preview: true}
	pre, err := prog.BulkAssign(f.ctx, coord, in)
	if err != nil {
		t.Fatal(err)
	}
	if pre.Count != n-1 || len(pre.Units) != n-1 || len(pre.Skipped) != 1 || pre.Skipped[0].ID != f.unit["W1"] || pre.DueOn != "2025-12-31" {
		t.Fatalf("preview: count %d, skipped %+v, due %s", pre.Count, pre.Skipped, pre.DueOn)
	}
	for _, u := range pre.Units {
		if u.ID == gone.ID || u.ID == dept.ID || u.ID == f.unit["X1"] {
			t.Errorf("not a commune of the province today: %+v", u)
		}
	}
	if got, _ := f.st.GetDirective(f.ctx, f.d.ID); len(got.Tasks[0].Assignments) != 1 {
		t.Fatalf("the preview stored something: %d", len(got.Tasks[0].Assignments))
	}
	entries := auditCount(t, f.st, "task.assign_bulk")
	in.Preview = false
	res, err := prog.BulkAssign(f.ctx, coord, in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != pre.Count || len(res.Created) != pre.Count {
		t.Fatalf("created %d, previewed %d", len(res.Created), pre.Count)
	}
	for i, a := range res.Created {
		if a.UnitID != pre.Units[i].ID || a.Role != "cooperate" || a.DueOn != "2025-12-31" || a.Note != "Báo cáo quý" {
			t.Fatalf("created %d: %+v, previewed %+v", i, a, pre.Units[i])
		}
	}
	if got := auditCount(t, f.st, "task.assign_bulk") - entries; got != pre.Count {
		t.Errorf("%d audit entries for %d assignments", got, pre.Count)
	}
	got, _ := f.st.GetDirective(f.ctx, f.d.ID)
	if len(got.Tasks[0].Assignments) != n {
		t.Errorf("%d assignments, want %d", len(got.Tasks[0].Assignments), n)
	}
	// Again: everyone is skipped, nothing is created.
	again, err := prog.BulkAssign(f.ctx, coord, in)
	if err != nil || again.Count != 0 || len(again.Skipped) != n {
		t.Errorf("again: %d created, %d skipped, %v", again.Count, len(again.Skipped), err)
	}
}

func TestProgrammeBulkAssignScopes(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	root := service.SystemPrincipal()
	base := service.BulkAssignInput{DirectiveID: f.d.ID, TaskID: f.task.ID, Role: "lead", DueOn: "2025-12-31", Preview: true}
	in := base
	in.Scope, in.UnitKind = service.BulkKind, "ward"
	res, err := prog.BulkAssign(f.ctx, root, in)
	if err != nil || res.Count != 1 || res.Units[0].ID != f.unit["W1"] {
		t.Errorf("kind: %+v %v", res.Units, err)
	}
	in = base
	in.Scope, in.UnitID = service.BulkSubtree, f.unit["P38"]
	res, err = prog.BulkAssign(f.ctx, root, in)
	if err != nil || res.Count != 3 {
		t.Errorf("subtree: %+v %v", res.Units, err)
	}
	// Issued by a body below the province: the communes are the province's.
	d2, err := prog.CreateDirective(f.ctx, root, service.DirectiveInput{Number: "5-KH/DU", DocType: "kh", IssuedOn: "2025-01-02", IssuerUnitID: f.unit["W1"],
		Texts: []service.TextInput{{Lang: "vi", Title: "Kế hoạch"}}})
	if err != nil {
		t.Fatal(err)
	}
	t2, err := prog.AddTask(f.ctx, root, d2.ID, service.TaskInput{Number: "1", Texts: []service.TextInput{{Lang: "vi", Title: "Nhiệm vụ"}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err = prog.BulkAssign(f.ctx, root, service.BulkAssignInput{TaskID: t2.ID, Scope: service.BulkCommunes, Role: "lead", DueOn: "2025-12-31", Preview: true})
	if err != nil || res.Count != 2 {
		t.Errorf("communes of the issuer's province: %+v %v", res.Units, err)
	}
	for _, c := range []struct {
		field string
		edit  func(*service.BulkAssignInput)
	}{
		{"scope", func(in *service.BulkAssignInput) { in.Scope = "all" }},
		{"unit_kind", func(in *service.BulkAssignInput) { in.Scope, in.UnitKind = service.BulkKind, "planet" }},
		{"unit_kind", func(in *service.BulkAssignInput) { in.Scope, in.UnitKind = service.BulkKind, "district" }},
		{"unit_id", func(in *service.BulkAssignInput) { in.Scope, in.UnitID = service.BulkSubtree, 99999 }},
		{"due_on", func(in *service.BulkAssignInput) { in.Scope, in.DueOn = service.BulkCommunes, "2020-01-01" }},
		{"due_on", func(in *service.BulkAssignInput) { in.Scope, in.DueOn = service.BulkCommunes, "" }}, // nothing to reuse yet
		{"role", func(in *service.BulkAssignInput) { in.Scope, in.Role = service.BulkCommunes, "boss" }},
		{"task_id", func(in *service.BulkAssignInput) { in.Scope, in.TaskID = service.BulkCommunes, 0 }},
	} {
		in := base
		c.edit(&in)
		if _, err := prog.BulkAssign(f.ctx, root, in); !isInvalid(err, c.field) {
			t.Errorf("%+v: want an error on %s, got %v", in, c.field, err)
		}
	}
}

// auditCount counts audit entries of an action.
func auditCount(t *testing.T, st *store.Store, action string) int {
	t.Helper()
	_, n, err := st.ListAudit(t.Context(), store.AuditFilter{Action: action, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A withdrawn task or directive takes no new assignment, task or addressee.
func TestProgrammeWithdrawnRefusesAdditions(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	root := service.SystemPrincipal()
	if _, err := prog.WithdrawTask(f.ctx, root, f.task.ID, service.WithdrawInput{Version: 1, Reason: "Gộp"}); err != nil {
		t.Fatal(err)
	}
	var wd *service.WithdrawnError
	if _, err := prog.AssignTask(f.ctx, root, service.AssignInput{TaskID: f.task.ID, UnitIDs: []int64{f.unit["W1"]}, Role: "lead", DueOn: "2025-12-31"}); !errors.As(err, &wd) {
		t.Errorf("assign a withdrawn task: %v", err)
	}
	if _, err := prog.BulkAssign(f.ctx, root, service.BulkAssignInput{TaskID: f.task.ID, Scope: service.BulkCommunes, Role: "lead", DueOn: "2025-12-31"}); !errors.As(err, &wd) {
		t.Errorf("bulk on a withdrawn task: %v", err)
	}
	if _, err := prog.WithdrawDirective(f.ctx, root, f.d.ID, service.WithdrawInput{Version: 1, Reason: "Hết hiệu lực"}); err != nil {
		t.Fatal(err)
	}
	if _, err := prog.AddTask(f.ctx, root, f.d.ID, service.TaskInput{Number: "9", Texts: []service.TextInput{{Lang: "vi", Title: "Mới"}}}); !errors.As(err, &wd) {
		t.Errorf("task on a withdrawn directive: %v", err)
	}
	if _, err := prog.AddAddressee(f.ctx, root, f.d.ID, service.AddresseeInput{UnitID: f.unit["W1"]}); !errors.As(err, &wd) {
		t.Errorf("addressee on a withdrawn directive: %v", err)
	}
}

func TestProgrammeRemoveAddressee(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	root := service.SystemPrincipal()
	ad, err := prog.AddAddressee(f.ctx, root, f.d.ID, service.AddresseeInput{UnitKind: "commune"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prog.RemoveAddressee(f.ctx, f.principal(authz.RoleUnitHead, "P38"), f.d.ID, ad.ID); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("unit head: %v", err)
	}
	if _, err := prog.RemoveAddressee(f.ctx, root, f.d.ID, ad.ID+99); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown addressee: %v", err)
	}
	if got, err := prog.RemoveAddressee(f.ctx, f.principal(authz.RoleCoordinator, "P38"), f.d.ID, ad.ID); err != nil || got.UnitKind != "commune" {
		t.Fatalf("remove: %+v %v", got, err)
	}
	if v, _ := prog.GetDirective(f.ctx, root, f.d.ID, ""); len(v.Addressees) != 0 {
		t.Errorf("still addressed: %+v", v.Addressees)
	}
	if n := auditCount(t, f.st, "directive.addressee_remove"); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}
