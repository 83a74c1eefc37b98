package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// civicFix is a province with two wards (one remote) and a department,
// and a clock on 10 Nov 2026.
type civicFix struct {
	t    *testing.T
	ctx  context.Context
	st   *store.Store
	svc  *service.Services
	unit map[string]int64
	n    int
}

func newCivicFix(t *testing.T) *civicFix {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 10, 3, 0, 0, 0, time.UTC) })
	f := &civicFix{t: t, ctx: context.Background(), st: st, unit: map[string]int64{}}
	add := func(code, name string, kind org.Kind, parent string, remote bool) {
		u := org.Unit{Code: code, Name: name, Kind: kind, ParentID: f.unit[parent], ValidFrom: "2025-07-01", Remote: remote}
		if err := st.CreateUnit(f.ctx, audit.System("test"), &u); err != nil {
			t.Fatal(err)
		}
		f.unit[code] = u.ID
	}
	add("P38", "Tỉnh Thanh Hóa", org.KindProvince, "", false)
	add("W1", "Phường Hạc Thành", org.KindWard, "P38", false)
	add("W2", "Xã Mường Lát", org.KindCommune, "P38", true)
	add("S1", "Sở Tư pháp", org.KindDepartment, "P38", false)
	f.svc = servicetest.New(t, st)
	return f
}

func (f *civicFix) principal(role authz.Role, unit string) *service.Principal {
	f.t.Helper()
	f.n++
	u := account.User{Username: "civic" + string(rune('a'+f.n)), FullName: "Cán bộ", PasswordHash: "x"}
	if err := f.st.CreateUser(f.ctx, audit.System("test"), &u); err != nil {
		f.t.Fatal(err)
	}
	return &service.Principal{User: u, Grants: []authz.Grant{{Role: role, UnitID: f.unit[unit]}}}
}

func civicFields(err error) string {
	inv, ok := service.AsInvalid(err)
	if !ok {
		return ""
	}
	var out []string
	for _, f := range inv.Fields {
		out = append(out, f.Field+"="+f.Key)
	}
	return strings.Join(out, ",")
}

// Unit staff write dialogues in their subtree only; a public dialogue is
// readable by anyone, a private one is hidden from other units.
func TestCivicDialoguePermissions(t *testing.T) {
	f := newCivicFix(t)
	c := f.svc.Civic
	head := f.principal(authz.RoleUnitHead, "W1")
	in := service.DialogueInput{UnitID: f.unit["W1"], HeldOn: "2026-11-05", Topic: "Đối thoại về chỉnh trang đô thị", Chair: "Chủ tịch UBND phường"}
	d, err := c.CreateDialogue(f.ctx, head, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != service.DialoguePlanned || d.Version != 1 {
		t.Fatalf("created %+v", d)
	}
	other := f.principal(authz.RoleUnitOfficer, "W2")
	in2 := in
	in2.Topic = "Khác"
	if _, err := c.CreateDialogue(f.ctx, other, in2); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("officer of W2 created in W1: %v", err)
	}
	if _, err := c.CreateDialogue(f.ctx, f.principal(authz.RoleLeader, "P38"), in2); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("leader created: %v", err)
	}
	if _, err := c.CreateDialogue(f.ctx, f.principal(authz.RoleCoordinator, "P38"), in2); err != nil {
		t.Errorf("coordinator of the province: %v", err)
	}
	if _, err := c.GetDialogue(f.ctx, other, d.ID); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("private dialogue read by another unit: %v", err)
	}
	if _, err := c.AddIssue(f.ctx, other, d.ID, service.IssueInput{Text: "x"}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("issue by another unit: %v", err)
	}
	up := in
	up.Public, up.Status, up.Minutes, up.Version = true, service.DialogueHeld, "Biên bản đối thoại.", d.Version
	d, err = c.UpdateDialogue(f.ctx, head, d.ID, up)
	if err != nil || !d.Public || d.Version != 2 {
		t.Fatalf("update: %+v %v", d, err)
	}
	if _, err := c.UpdateDialogue(f.ctx, head, d.ID, up); !errors.As(err, new(*service.StaleVersionError)) {
		t.Errorf("stale update: %v", err)
	}
	if _, err := c.GetDialogue(f.ctx, other, d.ID); err != nil {
		t.Errorf("public dialogue: %v", err)
	}
	pub, err := c.PublicDialogues(f.ctx, 0)
	if err != nil || len(pub) != 1 || pub[0].Minutes != "Biên bản đối thoại." {
		t.Errorf("public: %+v %v", pub, err)
	}
}

func TestCivicDialogueValidation(t *testing.T) {
	f := newCivicFix(t)
	head := f.principal(authz.RoleUnitHead, "W1")
	_, err := f.svc.Civic.CreateDialogue(f.ctx, head, service.DialogueInput{UnitID: f.unit["W1"], HeldOn: "5/11/2026", Topic: " ", Status: "cancelled"})
	if got := civicFields(err); got != "held_on=validation.bad_date,topic=validation.required,status=validation.bad_choice" {
		t.Errorf("fields %q (%v)", got, err)
	}
}

// Commitments are overdue when open past their date, and done once.
func TestCivicCommitmentsOverdue(t *testing.T) {
	f := newCivicFix(t)
	c := f.svc.Civic
	head := f.principal(authz.RoleUnitHead, "W1")
	d, err := c.CreateDialogue(f.ctx, head, service.DialogueInput{UnitID: f.unit["W1"], HeldOn: "2026-10-01", Topic: "Đối thoại"})
	if err != nil {
		t.Fatal(err)
	}
	is, err := c.AddIssue(f.ctx, head, d.ID, service.IssueInput{RaisedBy: "Ông Lê Văn A", Text: "Đường ngập khi mưa lớn."})
	if err != nil {
		t.Fatal(err)
	}
	late, err := c.AddCommitment(f.ctx, head, d.ID, service.CommitmentInput{IssueID: is.ID, OwnerUnitID: f.unit["S1"], Text: "Khơi thông cống", DueOn: "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	if late.Status != service.CommitmentOverdue {
		t.Errorf("status %q", late.Status)
	}
	if _, err := c.AddCommitment(f.ctx, head, d.ID, service.CommitmentInput{OwnerUnitID: f.unit["W1"], Text: "Lắp đèn", DueOn: "2026-12-01"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AddCommitment(f.ctx, head, d.ID, service.CommitmentInput{IssueID: 9999, OwnerUnitID: 9999, Text: "", DueOn: ""})
	if got := civicFields(err); got != "owner_unit_id=validation.bad_choice,text=validation.required,due_on=validation.required,issue_id=civic.err.issue" {
		t.Errorf("fields %q", got)
	}
	over, err := c.OverdueCommitments(f.ctx, head)
	if err != nil || len(over) != 1 || over[0].ID != late.ID {
		t.Fatalf("overdue %+v %v", over, err)
	}
	if over, _ := c.OverdueCommitments(f.ctx, f.principal(authz.RoleUnitHead, "W2")); len(over) != 0 {
		t.Errorf("W2 sees %+v", over)
	}
	// The owner unit (the department) may mark it done.
	owner := f.principal(authz.RoleUnitOfficer, "S1")
	done, err := c.CompleteCommitment(f.ctx, owner, late.ID, service.DoneInput{Evidence: "Đã nạo vét 300 m cống."})
	if err != nil || done.Status != service.CommitmentDone || done.DoneOn != "2026-11-10" {
		t.Fatalf("done %+v %v", done, err)
	}
	if _, err := c.CompleteCommitment(f.ctx, owner, late.ID, service.DoneInput{}); civicFields(err) != "status=civic.err.done" {
		t.Errorf("done twice: %v", err)
	}
	if _, err := c.CompleteCommitment(f.ctx, f.principal(authz.RoleUnitHead, "W2"), late.ID, service.DoneInput{}); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("done by W2: %v", err)
	}
	if over, _ := c.OverdueCommitments(f.ctx, head); len(over) != 0 {
		t.Errorf("still overdue %+v", over)
	}
}

func mediationInput(unit int64) service.MediationInput {
	return service.MediationInput{UnitID: unit, Village: "Tổ dân phố 5", DisputeKind: "land",
		Parties:   []service.Party{{Name: "Nguyễn Văn Bình", Role: "bên yêu cầu"}, {Name: "Trần Thị Cúc", Role: "bên kia"}},
		Summary:   "Tranh chấp ranh giới đất giữa hai hộ liền kề.",
		Mediators: "Lê Văn Dũng, Phạm Thị Hoa", AssignedOn: "2026-11-06"}
}

// A case opens in a commune only, with start_due from rule mediation.start;
// success needs the agreement, and the DOCX record carries the form.
func TestCivicMediation(t *testing.T) {
	f := newCivicFix(t)
	c := f.svc.Civic
	head := f.principal(authz.RoleUnitHead, "W1")
	m, err := c.OpenMediation(f.ctx, head, mediationInput(f.unit["W1"]))
	if err != nil {
		t.Fatal(err)
	}
	if m.StartDue != "2026-11-09" || len(m.Parties) != 2 || !m.Late {
		t.Fatalf("opened %+v", m)
	}
	if _, err := c.OpenMediation(f.ctx, head, mediationInput(f.unit["W2"])); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("W1 head opened in W2: %v", err)
	}
	if _, err := c.OpenMediation(f.ctx, service.SystemPrincipal(), mediationInput(f.unit["S1"])); civicFields(err) != "unit_id=civic.err.commune" {
		t.Errorf("department: %v", err)
	}
	bad := mediationInput(f.unit["W1"])
	bad.Parties, bad.DisputeKind, bad.AssignedOn = bad.Parties[:1], "x", ""
	if got := civicFields(func() error { _, err := c.OpenMediation(f.ctx, head, bad); return err }()); got != "parties=civic.err.parties,dispute_kind=validation.bad_choice,assigned_on=validation.required" {
		t.Errorf("fields %q", got)
	}
	if _, err := c.GetMediation(f.ctx, f.principal(authz.RoleLeader, "P38"), m.ID); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("leader read the parties: %v", err)
	}
	if _, err := c.RecordOutcome(f.ctx, head, m.ID, service.StepInput{Version: m.Version, Outcome: "success", Agreement: "x"}); civicFields(err) != "outcome=civic.err.not_started" {
		t.Errorf("outcome before start: %v", err)
	}
	if _, err := c.StartMediation(f.ctx, head, m.ID, service.StepInput{Version: m.Version, On: "2026-11-01"}); civicFields(err) != "on=civic.err.before_assigned" {
		t.Errorf("start before assignment: %v", err)
	}
	m, err = c.StartMediation(f.ctx, head, m.ID, service.StepInput{Version: m.Version, On: "2026-11-08"})
	if err != nil || m.StartedOn != "2026-11-08" || m.Late {
		t.Fatalf("start %+v %v", m, err)
	}
	if _, err := c.StartMediation(f.ctx, head, m.ID, service.StepInput{Version: 1}); !errors.Is(err, service.ErrConflict) && civicFields(err) == "" {
		t.Errorf("start twice: %v", err)
	}
	if _, _, err := c.AgreementDOCX(f.ctx, head, m.ID); civicFields(err) != "outcome=civic.err.no_agreement" {
		t.Errorf("docx before success: %v", err)
	}
	if _, err := c.RecordOutcome(f.ctx, head, m.ID, service.StepInput{Version: m.Version, Outcome: "success", Agreement: "  "}); civicFields(err) != "agreement=civic.err.agreement_required" {
		t.Errorf("success without agreement: %v", err)
	}
	m, err = c.RecordOutcome(f.ctx, head, m.ID, service.StepInput{Version: m.Version, Outcome: "success", On: "2026-11-09",
		Agreement: "Hai hộ thống nhất cắm mốc ranh giới theo bản đồ địa chính năm 2015."})
	if err != nil || m.Outcome != "success" {
		t.Fatalf("outcome %+v %v", m, err)
	}
	b, name, err := c.AgreementDOCX(f.ctx, head, m.ID)
	if err != nil || !strings.HasSuffix(name, ".docx") {
		t.Fatal(name, err)
	}
	text := documentXML(t, b)
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BIÊN BẢN HÒA GIẢI THÀNH",
		"Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Văn Dũng", "cắm mốc ranh giới", "Hạc Thành, ngày 09 tháng 11 năm 2026", "TỔ DÂN PHỐ 5"} {
		if !strings.Contains(text, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	// A remote commune: the same rule (no longer remote period) — the due day is computed by the rule.
	m2, err := c.OpenMediation(f.ctx, service.SystemPrincipal(), mediationInput(f.unit["W2"]))
	if err != nil || m2.StartDue != "2026-11-09" {
		t.Errorf("remote: %+v %v", m2, err)
	}
	// The audit log records the case without its parties (personal data).
	entries, _, err := f.st.ListAudit(f.ctx, store.AuditFilter{Entity: "mediation_case", Limit: 50})
	if err != nil || len(entries) < 3 {
		t.Fatalf("audit %d %v", len(entries), err)
	}
	for _, en := range entries {
		if strings.Contains(en.Before+en.After, "Nguyễn Văn Bình") {
			t.Errorf("audit %s holds a party: %s", en.Action, en.After)
		}
	}
	list, err := c.ListMediations(f.ctx, head)
	if err != nil || len(list) != 1 || list[0].ID != m.ID {
		t.Errorf("list %+v %v", list, err)
	}
}

// documentXML is word/document.xml of a .docx file.
func documentXML(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, _ := io.ReadAll(r)
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}
