package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// progFix is a store with two provinces and the services over it:
//
//	P38 Tỉnh Thanh Hóa ─┬─ W1 Phường Hạc Thành (ward)
//	                    └─ W2 Xã Đông Sơn (commune)
//	P01 Thành phố Hà Nội ── X1 Phường Ba Đình (ward)
//
// with a directive D issued by P38 (task T, a file attachment), an
// activity A of W1 with an evidence file.
type progFix struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	svc   *service.Services
	unit  map[string]int64
	d     programme.Directive
	task  programme.Task
	act   programme.Activity
	evID  int64
	attID int64
	users int
}

var progNow = time.Date(2025, 8, 1, 3, 0, 0, 0, time.UTC)

func newProgFix(t *testing.T) *progFix {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return progNow })
	ctx := context.Background()
	sys := audit.System("test")
	f := &progFix{t: t, ctx: ctx, st: st, unit: map[string]int64{}}
	for _, u := range []struct {
		code, name string
		kind       org.Kind
		parent     string
	}{
		{"P38", "Tỉnh Thanh Hóa", org.KindProvince, ""},
		{"W1", "Phường Hạc Thành", org.KindWard, "P38"},
		{"W2", "Xã Đông Sơn", org.KindCommune, "P38"},
		{"P01", "Thành phố Hà Nội", org.KindProvince, ""},
		{"X1", "Phường Ba Đình", org.KindWard, "P01"},
	} {
		x := org.Unit{Code: u.code, Name: u.name, Kind: u.kind, ParentID: f.unit[u.parent], ValidFrom: "2000-01-01"}
		if err := st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		f.unit[u.code] = x.ID
	}
	f.svc = servicetest.New(t, st)
	prog := f.svc.Programme
	root := service.SystemPrincipal()
	var err error
	f.d, err = prog.CreateDirective(ctx, root, service.DirectiveInput{Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: f.unit["P38"],
		Texts:       []service.TextInput{{Lang: "vi", Title: "Về việc tăng cường công tác dân vận"}},
		Attachments: []service.AttachmentInput{{FileName: "1470.pdf", Data: []byte("%PDF-1.4 directive")}}})
	if err != nil {
		t.Fatal(err)
	}
	f.attID = f.d.Attachments[0].ID
	f.task, err = prog.AddTask(ctx, root, f.d.ID, service.TaskInput{Number: "1", Weight: "2", Texts: []service.TextInput{{Lang: "vi", Title: "Cải cách hành chính"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.act, err = prog.CreateActivity(ctx, root, f.unit["W1"], service.ActivityInput{TaskID: f.task.ID, Title: "Rút gọn thủ tục", StartOn: "2025-07-01", DueOn: "2025-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prog.PostProgress(ctx, root, f.act.ID, service.ProgressInput{Percent: "10", Version: f.act.Version, File: &service.FileInput{Name: "biên bản.pdf", Data: []byte("%PDF-1.4 evidence")}}); err != nil {
		t.Fatal(err)
	}
	ups, err := st.UnitUpdates(ctx, f.unit["W1"], 10)
	if err != nil || len(ups) != 1 || ups[0].FileID == 0 {
		t.Fatalf("evidence: %+v %v", ups, err)
	}
	f.evID = ups[0].FileID
	return f
}

// principal creates a user holding role on unit (no grant when role is "").
func (f *progFix) principal(role authz.Role, unit string) *service.Principal {
	f.t.Helper()
	f.users++
	u := account.User{Username: fmt.Sprintf("user%d", f.users), FullName: "Người dùng", PasswordHash: "x"}
	if err := f.st.CreateUser(f.ctx, audit.System("test"), &u); err != nil {
		f.t.Fatal(err)
	}
	p := &service.Principal{User: u}
	if role != "" {
		p.Grants = []authz.Grant{{Role: role, UnitID: f.unit[unit]}}
	}
	return p
}

func (f *progFix) version(id int64) int {
	f.t.Helper()
	a, err := f.st.GetActivity(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return a.Version
}

// progCase is one use case of the matrix, called as p.
type progCase struct {
	name string
	// allowed: the roles that may, with a grant on P38 (inside) and on P01
	// (outside the subtree of every target).
	inside, outside []authz.Role
	call            func(f *progFix, p *service.Principal, n int) error
}

var (
	readers = []authz.Role{authz.RoleAdmin, authz.RoleCoordinator, authz.RoleLeader, authz.RoleUnitHead, authz.RoleUnitOfficer,
		authz.RoleCaseHandler, authz.RoleInspector, authz.RoleCouncilMember}
	managers    = []authz.Role{authz.RoleAdmin, authz.RoleCoordinator}
	planReaders = []authz.Role{authz.RoleAdmin, authz.RoleCoordinator, authz.RoleLeader, authz.RoleUnitHead, authz.RoleUnitOfficer,
		authz.RoleInspector, authz.RoleCouncilMember}
	planEditors = []authz.Role{authz.RoleAdmin, authz.RoleCoordinator, authz.RoleUnitHead, authz.RoleUnitOfficer}
	adminOnly   = []authz.Role{authz.RoleAdmin}
)

var progCases = []progCase{
	{"list directives", readers, readers, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.ListDirectives(f.ctx, p, true)
		return err
	}},
	{"show directive", readers, readers, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.GetDirective(f.ctx, p, f.d.ID, "")
		return err
	}},
	{"directive attachment", readers, readers, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.DirectiveAttachment(f.ctx, p, f.attID)
		return err
	}},
	{"create directive", managers, adminOnly, func(f *progFix, p *service.Principal, n int) error {
		_, err := f.svc.Programme.CreateDirective(f.ctx, p, service.DirectiveInput{Number: fmt.Sprintf("%d-CV/TU", 100+n), DocType: "cv", IssuedOn: "2025-01-02",
			IssuerUnitID: f.unit["P38"], Texts: []service.TextInput{{Lang: "vi", Title: "Văn bản"}}})
		return err
	}},
	{"add task", managers, adminOnly, func(f *progFix, p *service.Principal, n int) error {
		_, err := f.svc.Programme.AddTask(f.ctx, p, f.d.ID, service.TaskInput{Number: fmt.Sprint(100 + n), Texts: []service.TextInput{{Lang: "vi", Title: "Nhiệm vụ"}}})
		return err
	}},
	{"add addressee", managers, adminOnly, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.AddAddressee(f.ctx, p, f.d.ID, service.AddresseeInput{UnitID: f.unit["W1"]})
		return err
	}},
	{"assign task", managers, adminOnly, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.AssignTask(f.ctx, p, service.AssignInput{TaskID: f.task.ID, UnitIDs: []int64{f.unit["W1"]}, Role: "lead", DueOn: "2025-12-31"})
		return err
	}},
	{"unit plan", planReaders, adminOnly, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.UnitPlan(f.ctx, p, f.unit["W1"], service.PlanOptions{Page: true})
		return err
	}},
	{"evidence", planReaders, adminOnly, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.Evidence(f.ctx, p, f.evID)
		return err
	}},
	{"activity unit", planReaders, adminOnly, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.ActivityUnit(f.ctx, p, f.act.ID)
		return err
	}},
	{"create activity", planEditors, adminOnly, func(f *progFix, p *service.Principal, _ int) error {
		_, err := f.svc.Programme.CreateActivity(f.ctx, p, f.unit["W1"], service.ActivityInput{TaskID: f.task.ID, Title: "Hoạt động", StartOn: "2025-08-01", DueOn: "2025-09-30"})
		return err
	}},
	{"post progress", planEditors, adminOnly, func(f *progFix, p *service.Principal, n int) error {
		_, err := f.svc.Programme.PostProgress(f.ctx, p, f.act.ID, service.ProgressInput{Percent: fmt.Sprint(n % 100), Version: f.version(f.act.ID)})
		return err
	}},
}

// TestProgrammePermissionMatrix calls every use case as every role, granted
// on the province of the target (inside) and on another province
// (outside), and anonymously.
func TestProgrammePermissionMatrix(t *testing.T) {
	f := newProgFix(t)
	type who struct {
		role  authz.Role
		where string
		p     *service.Principal
	}
	var people []who
	for _, r := range authz.AllRoles() {
		for _, where := range []string{"P38", "P01"} {
			people = append(people, who{r, where, f.principal(r, where)})
		}
	}
	noGrant := f.principal("", "")
	n := 0
	for _, c := range progCases {
		for _, w := range people {
			n++
			allowed := c.outside
			if w.where == "P38" {
				allowed = c.inside
			}
			want := false
			for _, r := range allowed {
				want = want || r == w.role
			}
			err := c.call(f, w.p, n)
			switch {
			case want && err != nil:
				t.Errorf("%s as %s on %s: %v, want allowed", c.name, w.role, w.where, err)
			case !want && !errors.Is(err, service.ErrForbidden):
				t.Errorf("%s as %s on %s: %v, want forbidden", c.name, w.role, w.where, err)
			}
		}
		n++
		if err := c.call(f, nil, n); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("%s anonymously: %v, want unauthenticated", c.name, err)
		}
		n++
		if err := c.call(f, noGrant, n); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("%s without a grant: %v, want forbidden", c.name, err)
		}
	}
}

// TestProgrammeSubtreeRules: managing a directive needs the issuer, and an
// assignment needs every assigned unit too.
func TestProgrammeSubtreeRules(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	ward := f.principal(authz.RoleCoordinator, "W1") // below the issuer
	if _, err := prog.AssignTask(f.ctx, ward, service.AssignInput{TaskID: f.task.ID, UnitIDs: []int64{f.unit["W1"]}, Role: "lead", DueOn: "2025-12-31"}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("assign by a coordinator below the issuer: %v", err)
	}
	if _, err := prog.AddTask(f.ctx, ward, f.d.ID, service.TaskInput{Number: "7", Texts: []service.TextInput{{Lang: "vi", Title: "x"}}}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("task by a coordinator below the issuer: %v", err)
	}
	prov := f.principal(authz.RoleCoordinator, "P38")
	if _, err := prog.AssignTask(f.ctx, prov, service.AssignInput{TaskID: f.task.ID, UnitIDs: []int64{f.unit["W1"], f.unit["X1"]}, Role: "lead", DueOn: "2025-12-31"}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("assign outside the subtree: %v", err)
	}
	d, _ := f.st.GetDirective(f.ctx, f.d.ID)
	if n := len(d.Tasks[0].Assignments); n != 0 {
		t.Errorf("a refused call stored %d assignments", n)
	}
	if _, err := prog.CreateDirective(f.ctx, prov, service.DirectiveInput{Number: "2-CV/TU", DocType: "cv", IssuedOn: "2025-01-01", IssuerUnitID: f.unit["P01"],
		Texts: []service.TextInput{{Lang: "vi", Title: "x"}}}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("directive of another province: %v", err)
	}
	units := prog.ManageableUnits(prov, "2025-08-01")
	var codes []string
	for _, u := range units {
		codes = append(codes, u.Code)
	}
	if fmt.Sprint(codes) != "[P38 W1 W2]" {
		t.Errorf("manageable units: %v", codes)
	}
	if !prog.CanManageSomewhere(ward) || prog.CanManageSomewhere(f.principal(authz.RoleLeader, "P38")) {
		t.Error("CanManageSomewhere")
	}
	if got := prog.PlanUnits(f.principal(authz.RoleUnitOfficer, "W1")); len(got) != 1 || got[0].ID != f.unit["W1"] {
		t.Errorf("plan units: %+v", got)
	}
}

// TestProgrammeAssignMany assigns a task to a list and to a kind in one call each.
func TestProgrammeAssignMany(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	p := f.principal(authz.RoleCoordinator, "P38")
	as, err := prog.AssignTask(f.ctx, p, service.AssignInput{DirectiveID: f.d.ID, TaskID: f.task.ID, UnitIDs: []int64{f.unit["W1"], f.unit["W2"], f.unit["W1"]}, Role: "cooperate", DueOn: "2025-12-31"})
	if err != nil || len(as) != 2 || as[0].UnitName != "Phường Hạc Thành" || as[1].UnitID != f.unit["W2"] {
		t.Fatalf("list: %+v %v", as, err)
	}
	// Every ward under the issuer: W1 only (X1 is in another province); it becomes lead.
	as, err = prog.AssignTask(f.ctx, p, service.AssignInput{TaskID: f.task.ID, UnitKind: "ward", Role: "lead", DueOn: "2026-01-31"})
	if err != nil || len(as) != 1 || as[0].UnitID != f.unit["W1"] {
		t.Fatalf("kind: %+v %v", as, err)
	}
	d, err := f.st.GetDirective(f.ctx, f.d.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, a := range d.Tasks[0].Assignments {
		got[a.UnitID] = a.Role + " " + a.DueOn
	}
	if len(got) != 2 || got[f.unit["W1"]] != "lead 2026-01-31" || got[f.unit["W2"]] != "cooperate 2025-12-31" {
		t.Errorf("stored: %v", got)
	}
	// A task of another directive posted to this directive's form is refused.
	if _, err := prog.AssignTask(f.ctx, p, service.AssignInput{DirectiveID: f.d.ID + 1, TaskID: f.task.ID, UnitIDs: []int64{f.unit["W1"]}, Role: "lead", DueOn: "2025-12-31"}); !isInvalid(err, "task_id") {
		t.Errorf("task of another directive: %v", err)
	}
}

func isInvalid(err error, field string) bool {
	inv, ok := service.AsInvalid(err)
	if !ok {
		return false
	}
	for _, f := range inv.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// TestProgrammeValidation refuses bad input with a field error, the same
// on both engines, and stores nothing.
func TestProgrammeValidation(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	coord := f.principal(authz.RoleCoordinator, "P38")
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	long := func(n int) string { return strings.Repeat("ệ", n) }
	dir := func(mod func(*service.DirectiveInput)) error {
		in := service.DirectiveInput{Number: "9-CV/TU", DocType: "cv", IssuedOn: "2025-01-02", IssuerUnitID: f.unit["P38"], Texts: []service.TextInput{{Lang: "vi", Title: "Văn bản"}}}
		mod(&in)
		_, err := prog.CreateDirective(f.ctx, coord, in)
		return err
	}
	task := func(number, weight, title, body string) error {
		_, err := prog.AddTask(f.ctx, coord, f.d.ID, service.TaskInput{Number: number, Weight: weight, Texts: []service.TextInput{{Lang: "vi", Title: title, Body: body}}})
		return err
	}
	assign := func(mod func(*service.AssignInput)) error {
		in := service.AssignInput{TaskID: f.task.ID, UnitIDs: []int64{f.unit["W1"]}, Role: "lead", DueOn: "2025-12-31"}
		mod(&in)
		_, err := prog.AssignTask(f.ctx, coord, in)
		return err
	}
	activity := func(mod func(*service.ActivityInput)) error {
		in := service.ActivityInput{TaskID: f.task.ID, Title: "Hoạt động", StartOn: "2025-08-01", DueOn: "2025-09-30"}
		mod(&in)
		_, err := prog.CreateActivity(f.ctx, officer, f.unit["W1"], in)
		return err
	}
	progress := func(mod func(*service.ProgressInput)) error {
		in := service.ProgressInput{Percent: "50", Version: f.version(f.act.ID)}
		mod(&in)
		_, err := prog.PostProgress(f.ctx, officer, f.act.ID, in)
		return err
	}
	many := make([]int64, service.MaxAssignUnits+1)
	for i := range many {
		many[i] = f.unit["W1"]
	}
	cases := []struct {
		name, field string
		err         error
	}{
		{"number empty", "number", dir(func(in *service.DirectiveInput) { in.Number = "" })},
		{"number malformed", "number", dir(func(in *service.DirectiveInput) { in.Number = "nope" })},
		{"number too long", "number", dir(func(in *service.DirectiveInput) { in.Number = strings.Repeat("1", 61) + "-CV/TU" })},
		{"number NUL", "number", dir(func(in *service.DirectiveInput) { in.Number = "9-CV/TU\x00" })},
		{"doc type", "doc_type", dir(func(in *service.DirectiveInput) { in.DocType = "memo" })},
		{"issued impossible", "issued_on", dir(func(in *service.DirectiveInput) { in.IssuedOn = "2024-02-30" })},
		{"issued year 2101", "issued_on", dir(func(in *service.DirectiveInput) { in.IssuedOn = "2101-01-01" })},
		{"issued year 1899", "issued_on", dir(func(in *service.DirectiveInput) { in.IssuedOn = "1899-12-31" })},
		{"issuer unknown", "issuer_unit_id", dir(func(in *service.DirectiveInput) { in.IssuerUnitID = 999999 })},
		{"issuer missing", "issuer_unit_id", dir(func(in *service.DirectiveInput) { in.IssuerUnitID = 0 })},
		{"signer invalid UTF-8", "signer", dir(func(in *service.DirectiveInput) { in.Signer = "L\xffi" })},
		{"signer control", "signer", dir(func(in *service.DirectiveInput) { in.Signer = "Lại\x1bThế" })},
		{"signer too long", "signer", dir(func(in *service.DirectiveInput) { in.Signer = long(201) })},
		{"no text", "title", dir(func(in *service.DirectiveInput) { in.Texts = nil })},
		{"title NUL", "title", dir(func(in *service.DirectiveInput) { in.Texts[0].Title = "a\x00b" })},
		{"title too long", "title", dir(func(in *service.DirectiveInput) { in.Texts[0].Title = long(501) })},
		{"body invalid UTF-8", "body", dir(func(in *service.DirectiveInput) { in.Texts[0].Body = "đoạn\xc3" })},
		{"language twice", "lang", dir(func(in *service.DirectiveInput) {
			in.Texts = append(in.Texts, service.TextInput{Lang: "vi", Title: "x"})
		})},
		{"language unknown", "lang", dir(func(in *service.DirectiveInput) { in.Texts[0].Lang = "fr" })},
		{"no original", "lang", dir(func(in *service.DirectiveInput) { in.Texts[0].IsTranslation = true })},
		{"attachment link scheme", "attachments", dir(func(in *service.DirectiveInput) {
			in.Attachments = []service.AttachmentInput{{Name: "x", URL: "javascript:alert(1)"}}
		})},
		{"attachment name NUL", "attachments", dir(func(in *service.DirectiveInput) {
			in.Attachments = []service.AttachmentInput{{Name: "x\x00", URL: "https://example.org/x"}}
		})},
		{"attachment too large", "attach_file", dir(func(in *service.DirectiveInput) {
			in.Attachments = []service.AttachmentInput{{FileName: "x.bin", Data: make([]byte, service.MaxEvidenceSize+1)}}
		})},
		{"task number 0", "number", task("0", "", "t", "")},
		{"task number 1000", "number", task("1000", "", "t", "")},
		{"task number 2^31", "number", task("2147483648", "", "t", "")},
		{"task number text", "number", task("abc", "", "t", "")},
		{"task number empty", "number", task("", "", "t", "")},
		{"weight negative", "weight", task("5", "-1", "t", "")},
		{"weight too big", "weight", task("5", "1001", "t", "")},
		{"weight NaN", "weight", task("5", "NaN", "t", "")},
		{"weight Inf", "weight", task("5", "Inf", "t", "")},
		{"weight 1e400", "weight", task("5", "1e400", "t", "")},
		{"task title control", "title", task("5", "", "a\x07b", "")},
		{"task title too long", "title", task("5", "", long(1001), "")},
		{"task body NUL", "body", task("5", "", "t", "x\x00")},
		{"role", "role", assign(func(in *service.AssignInput) { in.Role = "boss" })},
		{"due format", "due_on", assign(func(in *service.AssignInput) { in.DueOn = "31/12/2025" })},
		{"due year 9999", "due_on", assign(func(in *service.AssignInput) { in.DueOn = "9999-12-31" })},
		{"due before the directive", "due_on", assign(func(in *service.AssignInput) { in.DueOn = "2024-01-01" })},
		{"no unit", "unit_id", assign(func(in *service.AssignInput) { in.UnitIDs = nil })},
		{"unknown unit", "unit_id", assign(func(in *service.AssignInput) { in.UnitIDs = []int64{999999} })},
		{"negative unit", "unit_id", assign(func(in *service.AssignInput) { in.UnitIDs = []int64{-1} })},
		{"too many units", "unit_id", assign(func(in *service.AssignInput) { in.UnitIDs = many })},
		{"units and kind", "unit_id", assign(func(in *service.AssignInput) { in.UnitKind = "ward" })},
		{"unknown kind", "unit_kind", assign(func(in *service.AssignInput) { in.UnitIDs, in.UnitKind = nil, "planet" })},
		{"kind with no unit", "unit_kind", assign(func(in *service.AssignInput) { in.UnitIDs, in.UnitKind = nil, "district" })},
		{"activity task missing", "task_id", activity(func(in *service.ActivityInput) { in.TaskID = 0 })},
		{"activity task unknown", "task_id", activity(func(in *service.ActivityInput) { in.TaskID = 999999 })},
		{"activity title empty", "title", activity(func(in *service.ActivityInput) { in.Title = "  " })},
		{"activity title too long", "title", activity(func(in *service.ActivityInput) { in.Title = long(501) })},
		{"owner NUL", "owner", activity(func(in *service.ActivityInput) { in.Owner = "\x00" })},
		{"indicator invalid UTF-8", "indicator", activity(func(in *service.ActivityInput) { in.Indicator = "\xed\xa0\x80" })},
		{"target too long", "target", activity(func(in *service.ActivityInput) { in.Target = long(201) })},
		{"target newline", "target", activity(func(in *service.ActivityInput) { in.Target = "20\n30" })},
		{"due before start", "due_on", activity(func(in *service.ActivityInput) { in.DueOn = "2025-07-01" })},
		{"start year 1899", "start_on", activity(func(in *service.ActivityInput) { in.StartOn = "1899-01-01" })},
		{"start missing", "start_on", activity(func(in *service.ActivityInput) { in.StartOn = "" })},
		{"activity weight", "weight", activity(func(in *service.ActivityInput) { in.Weight = "1e9" })},
		{"percent 101", "percent", progress(func(in *service.ProgressInput) { in.Percent = "101" })},
		{"percent -1", "percent", progress(func(in *service.ProgressInput) { in.Percent = "-1" })},
		{"percent 2^31", "percent", progress(func(in *service.ProgressInput) { in.Percent = "2147483648" })},
		{"percent missing", "percent", progress(func(in *service.ProgressInput) { in.Percent = "" })},
		{"percent decimal", "percent", progress(func(in *service.ProgressInput) { in.Percent = "50.5" })},
		{"note NUL", "note", progress(func(in *service.ProgressInput) { in.Note = "ghi\x00chú" })},
		{"note too long", "note", progress(func(in *service.ProgressInput) { in.Note = long(5001) })},
		{"evidence link scheme", "evidence_url", progress(func(in *service.ProgressInput) { in.EvidenceURL = "ftp://x" })},
		{"evidence link control", "evidence_url", progress(func(in *service.ProgressInput) { in.EvidenceURL = "https://x/\x00" })},
		{"version missing", "version", progress(func(in *service.ProgressInput) { in.Version = 0 })},
		{"evidence too large", "file", progress(func(in *service.ProgressInput) {
			in.File = &service.FileInput{Name: "x.bin", Data: make([]byte, service.MaxEvidenceSize+1)}
		})},
	}
	for _, c := range cases {
		if !isInvalid(c.err, c.field) {
			t.Errorf("%s: %v, want an invalid %s", c.name, c.err, c.field)
		}
	}
	if _, err := prog.UnitPlan(f.ctx, officer, f.unit["W1"], service.PlanOptions{At: "9999-01-01"}); !isInvalid(err, "at") {
		t.Errorf("plan in 9999: %v", err)
	}
	if _, err := prog.GetDirective(f.ctx, officer, f.d.ID, "2025-02-30"); !isInvalid(err, "at") {
		t.Errorf("directive on 30 February: %v", err)
	}
	// Nothing was stored by the refused calls.
	if n, _ := f.st.CountDirectives(f.ctx); n != 1 {
		t.Errorf("%d directives", n)
	}
	d, _ := f.st.GetDirective(f.ctx, f.d.ID)
	if len(d.Tasks) != 1 || len(d.Tasks[0].Assignments) != 0 {
		t.Errorf("tasks: %+v", d.Tasks)
	}
	if a, _ := f.st.GetActivity(f.ctx, f.act.ID); a.Progress != 10 {
		t.Errorf("progress %d", a.Progress)
	}
}

// TestProgrammeConflictsAndFiles: duplicate numbers and stale versions are
// conflicts naming what to show; files keep a clean name cut on a character
// boundary and are typed by their bytes, not by their name.
func TestProgrammeConflictsAndFiles(t *testing.T) {
	f := newProgFix(t)
	prog := f.svc.Programme
	coord := f.principal(authz.RoleCoordinator, "P38")
	_, err := prog.CreateDirective(f.ctx, coord, service.DirectiveInput{Number: " 1470-CV/TU ", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: f.unit["P38"],
		Texts: []service.TextInput{{Lang: "vi", Title: "x"}}})
	var dup *service.DuplicateNumberError
	if !errors.As(err, &dup) || dup.Field != "number" || !errors.Is(err, service.ErrConflict) {
		t.Errorf("duplicate directive: %v", err)
	}
	_, err = prog.AddTask(f.ctx, coord, f.d.ID, service.TaskInput{Number: "1", Texts: []service.TextInput{{Lang: "vi", Title: "x"}}})
	if !errors.As(err, &dup) || dup.Key != service.MsgProgrammeTaskTaken {
		t.Errorf("duplicate task: %v", err)
	}
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	_, err = prog.PostProgress(f.ctx, officer, f.act.ID, service.ProgressInput{Percent: "20", Version: 1})
	var stale *service.StaleVersionError
	if !errors.As(err, &stale) || stale.Current != 2 || !errors.Is(err, service.ErrConflict) {
		t.Errorf("stale: %v", err)
	}
	if _, err := prog.PostProgress(f.ctx, officer, 999999, service.ProgressInput{Percent: "20", Version: 1}); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown activity: %v", err)
	}
	if _, err := prog.GetDirective(f.ctx, officer, 999999, ""); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown directive: %v", err)
	}
	if _, err := prog.UnitPlan(f.ctx, officer, 999999, service.PlanOptions{}); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}

	// A script uploaded under an image's name is served as what it is, as a download.
	// The directory part goes, control characters go, and 300 bytes of
	// three-byte characters are cut to at most MaxFileName on a boundary.
	name := "C:\\tmp\\" + strings.Repeat("ệ", 100) + "\x07.png"
	act, err := prog.PostProgress(f.ctx, officer, f.act.ID, service.ProgressInput{Percent: "20", Version: 2, Note: "  Đã rà soát  ",
		File: &service.FileInput{Name: name, Data: []byte("<html><script>alert(1)</script>")}})
	if err != nil || act.Progress != 20 || act.Version != 3 {
		t.Fatalf("progress: %+v %v", act, err)
	}
	ups, _ := f.st.UnitUpdates(f.ctx, f.unit["W1"], 1)
	if len(ups) != 1 || ups[0].Note != "Đã rà soát" {
		t.Fatalf("updates: %+v", ups)
	}
	file, err := prog.Evidence(f.ctx, officer, ups[0].FileID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(file.ContentType, "text/html") {
		t.Errorf("content type %q, want the sniffed text/html", file.ContentType)
	}
	if len(file.Name) > service.MaxFileName || !utf8.ValidString(file.Name) || strings.ContainsAny(file.Name, "\\/\x07") || !strings.HasPrefix(file.Name, "ệệ") {
		t.Errorf("file name %q (%d bytes)", file.Name, len(file.Name))
	}
	att, err := prog.DirectiveAttachment(f.ctx, officer, f.attID)
	if err != nil || att.ContentType != "application/pdf" || string(att.Data) != "%PDF-1.4 directive" {
		t.Errorf("attachment: %q %q %v", att.ContentType, att.Data, err)
	}

	// Reads: status and roll-up on a date.
	v, err := prog.GetDirective(f.ctx, officer, f.d.ID, "2025-08-01")
	if err != nil || v.At != "2025-08-01" || v.Summary.Rollup.Percent != 20 || v.CanManage {
		t.Errorf("directive view: %+v %v", v.Summary.Rollup, err)
	}
	pl, err := prog.UnitPlan(f.ctx, f.principal(authz.RoleLeader, "P38"), f.unit["P38"], service.PlanOptions{At: "2026-01-01"})
	if err != nil || pl.SubtreeRollup.Status != programme.StatusLate || len(pl.Activities) != 0 || pl.CanEdit {
		t.Errorf("province plan: %+v %v", pl, err)
	}
	pl, err = prog.UnitPlan(f.ctx, officer, f.unit["W1"], service.PlanOptions{Page: true})
	if err != nil || !pl.CanEdit || len(pl.Tasks) != 1 || len(pl.Updates[f.act.ID]) != 2 || pl.Activities[0].Status == "" {
		t.Errorf("ward plan: %+v %v", pl, err)
	}
}
