package service_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
)

// The five working days to publish skip Tết: a decision of Tuesday 10
// February 2026 is due on 24 February (Tết holidays 14–22 February), not on
// the 17th; a plain week counts Monday to Friday.
func TestDisclosureDueAcrossTet(t *testing.T) {
	f := newCivicFix(t)
	d := f.svc.Disclosures
	for decided, want := range map[string]string{
		"2026-02-10": "2026-02-24",
		"2026-02-12": "2026-02-26",
		"2026-01-30": "2026-02-06",
		"2026-08-28": "2026-09-08", // 1 and 2 September off
	} {
		if got := d.DueOn(f.ctx, decided); got != want {
			t.Errorf("due of %s = %s, want %s", decided, got, want)
		}
	}
}

func TestDisclosurePublishAndOverdue(t *testing.T) {
	f := newCivicFix(t) // today: 2026-11-10
	d := f.svc.Disclosures
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	in := service.DisclosureInput{UnitID: f.unit["W1"], Category: "budget", Title: "Dự toán thu, chi ngân sách phường năm 2026",
		DecisionNo: "45/QĐ-UBND", DecidedOn: "2026-02-10", PublishedOn: "2026-02-24", Form: "notice_board",
		File: &service.FileInput{Name: "du-toan.pdf", Data: []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")}}
	onTime, err := d.Create(f.ctx, officer, in)
	if err != nil {
		t.Fatal(err)
	}
	if onTime.DueOn != "2026-02-24" || onTime.Overdue || onTime.Status != service.DisclosurePublished || onTime.FileType != "application/pdf" {
		t.Fatalf("on time: %+v", onTime)
	}
	in.File, in.PublishedOn, in.Title = nil, "2026-02-25", "Danh sách hộ nghèo năm 2026"
	in.Category = "beneficiaries"
	late, err := d.Create(f.ctx, officer, in)
	if err != nil || !late.Overdue || late.DaysLate != 1 {
		t.Fatalf("late: %+v %v", late, err)
	}
	// Recorded, not published, past due: overdue until published.
	in.PublishedOn, in.Form, in.DecidedOn, in.Title = "", "", "2026-11-02", "Mức thu phí chợ"
	in.Category = "fees"
	pending, err := d.Create(f.ctx, officer, in)
	if err != nil || !pending.Overdue || pending.Status != service.DisclosurePending || pending.DueOn != "2026-11-09" {
		t.Fatalf("pending: %+v %v", pending, err)
	}
	in.PublishedOn, in.Form, in.Version = "2026-11-10", "loudspeaker", pending.Version
	pub, err := d.Update(f.ctx, officer, pending.ID, in)
	if err != nil || pub.Status != service.DisclosurePublished || !pub.Overdue || pub.DaysLate != 1 {
		t.Fatalf("publish late: %+v %v", pub, err)
	}

	over, err := d.List(f.ctx, service.DisclosureQuery{OverdueOnly: true})
	if err != nil || len(over) != 2 {
		t.Fatalf("overdue list: %+v %v", over, err)
	}
	ts, _ := d.Tallies(f.ctx)
	if len(ts) != 1 || ts[0].Total != 3 || ts[0].Overdue != 2 || ts[0].OnTime != 1 {
		t.Fatalf("tallies: %+v", ts)
	}
	file, err := d.File(f.ctx, onTime.ID)
	if err != nil || file.ContentType != "application/pdf" {
		t.Fatalf("file: %v", err)
	}

	// Withdraw needs a reason and the version; the item stays, marked.
	if _, err := d.Withdraw(f.ctx, officer, late.ID, "", late.Version); civicFields(err) != "reason=validation.required" {
		t.Fatalf("no reason: %v", err)
	}
	w, err := d.Withdraw(f.ctx, officer, late.ID, "Danh sách chưa được họp thôn bình xét", late.Version)
	if err != nil || w.Status != service.DisclosureWithdrawn || w.Overdue {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	if _, err := d.Withdraw(f.ctx, officer, late.ID, "Lần nữa", w.Version); civicFields(err) != "status="+service.MsgDisclosureWithdrawn {
		t.Fatalf("twice: %v", err)
	}
	if _, err := d.Withdraw(f.ctx, officer, onTime.ID, "Văn bản cũ", 99); !errors.As(err, new(*service.StaleVersionError)) {
		t.Fatalf("stale: %v", err)
	}
}

func TestDisclosureValidation(t *testing.T) {
	f := newCivicFix(t)
	d := f.svc.Disclosures
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	cases := []struct {
		in   service.DisclosureInput
		want string
	}{
		{service.DisclosureInput{UnitID: f.unit["W1"], Category: "gossip", Title: "Kế hoạch", DecidedOn: "2026-01-02"}, "category=validation.bad_choice"},
		{service.DisclosureInput{UnitID: f.unit["W1"], Category: "plan", Title: "Kế hoạch", DecidedOn: "2026-13-40"}, "decided_on=validation.bad_date"},
		{service.DisclosureInput{UnitID: f.unit["W1"], Category: "plan", Title: "Kế hoạch", DecidedOn: "2026-12-01"}, "decided_on=" + service.MsgDisclosureFuture},
		{service.DisclosureInput{UnitID: f.unit["W1"], Category: "plan", Title: "Kế hoạch", DecidedOn: "2026-03-02", PublishedOn: "2026-03-01", Form: "website"}, "published_on=" + service.MsgDisclosurePublishedBefore},
		{service.DisclosureInput{UnitID: f.unit["W1"], Category: "plan", Title: "Kế hoạch", DecidedOn: "2026-03-02", PublishedOn: "2026-03-03", Form: "tv"}, "form=validation.bad_choice"},
		{service.DisclosureInput{UnitID: f.unit["W1"], Category: "plan", Title: "Kế hoạch", DecidedOn: "2026-03-02",
			File: &service.FileInput{Name: "x.html", Data: []byte("<html>")}}, "file=attachments.err.type"},
	}
	for _, c := range cases {
		_, err := d.Create(f.ctx, officer, c.in)
		if got := civicFields(err); got != c.want {
			t.Errorf("%+v: got %q (%v), want %q", c.in, got, err, c.want)
		}
	}
}

// Only whoever writes a commune's reports publishes for it; the province's
// officers publish for no commune of theirs by accident of kind.
func TestDisclosurePermissions(t *testing.T) {
	f := newCivicFix(t)
	d := f.svc.Disclosures
	in := service.DisclosureInput{UnitID: f.unit["W1"], Category: "plan", Title: "Kế hoạch phát triển kinh tế - xã hội năm 2027", DecidedOn: "2026-11-02"}
	if _, err := d.Create(f.ctx, nil, in); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("anonymous: %v", err)
	}
	if _, err := d.Create(f.ctx, f.principal(authz.RoleUnitOfficer, "W2"), in); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other commune: %v", err)
	}
	if _, err := d.Create(f.ctx, f.principal(authz.RoleCitizen, "W1"), in); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("citizen: %v", err)
	}
	dept := f.principal(authz.RoleUnitOfficer, "S1")
	in.UnitID = f.unit["S1"]
	if _, err := d.Create(f.ctx, dept, in); civicFields(err) != "unit_id="+service.MsgDisclosureNotCommune {
		t.Fatalf("department: %v", err)
	}
	if us := d.Units(dept); len(us) != 0 {
		t.Fatalf("department units: %+v", us)
	}
	in.UnitID = f.unit["W1"]
	head := f.principal(authz.RoleUnitHead, "W1")
	x, err := d.Create(f.ctx, head, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Withdraw(f.ctx, f.principal(authz.RoleUnitOfficer, "W2"), x.ID, "Không đúng", x.Version); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("withdraw by another: %v", err)
	}
	if _, err := d.Get(f.ctx, x.ID); err != nil {
		t.Fatalf("public read: %v", err)
	}
}

// The portal: the commune page shows its disclosures and overdue count and
// nothing about persons; an unknown or non-commune code is not found.
func TestPortalCommune(t *testing.T) {
	f := newCivicFix(t)
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	if _, err := f.svc.Disclosures.Create(f.ctx, officer, service.DisclosureInput{UnitID: f.unit["W1"], Category: "fees",
		Title: "Mức thu phí vệ sinh môi trường", DecidedOn: "2026-10-01"}); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.Portal.Commune(f.ctx, "W1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Unit.Name != "Phường Hạc Thành" || len(c.Disclosures) != 1 || c.Overdue != 1 {
		t.Fatalf("commune: %+v", c)
	}
	for _, code := range []string{"S1", "P38", "nope", ""} {
		if _, err := f.svc.Portal.Commune(f.ctx, code); !errors.Is(err, service.ErrNotFound) {
			t.Errorf("%q: %v", code, err)
		}
	}
	h, err := f.svc.Portal.Home(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.Checks.DisclosuresOverdue != 1 || len(h.Checks.LatestOverdue) != 1 || len(h.Districts) != 1 || len(h.Districts[0].Communes) != 2 {
		t.Fatalf("home: %+v", h)
	}
	if !strings.Contains(h.Districts[0].Communes[1].Name, "Hạc Thành") && !strings.Contains(h.Districts[0].Communes[0].Name, "Hạc Thành") {
		t.Fatalf("communes: %+v", h.Districts)
	}
}

// The scorecard counts dialogue commitments kept by their due date: done
// in time counts, done late or open past due does not, not yet due is left
// out.
func TestScorecardCommitmentsKept(t *testing.T) {
	f := newCivicFix(t) // today: 2026-11-10
	c := f.svc.Civic
	head := f.principal(authz.RoleUnitHead, "W1")
	d, err := c.CreateDialogue(f.ctx, head, service.DialogueInput{UnitID: f.unit["W1"], HeldOn: "2026-10-05", Topic: "Đối thoại về chỉnh trang đô thị", Chair: "Chủ tịch UBND phường"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(text, due string) service.Commitment {
		x, err := c.AddCommitment(f.ctx, head, d.ID, service.CommitmentInput{OwnerUnitID: f.unit["W1"], Text: text, DueOn: due})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	kept := add("Lắp đèn chiếu sáng ngõ 5", "2026-11-05")
	lateDone := add("Khơi thông cống", "2026-10-20")
	add("Sửa mặt đường", "2026-10-30")
	add("Trồng cây", "2026-12-30")
	if _, err := c.CompleteCommitment(f.ctx, head, kept.ID, service.DoneInput{DoneOn: "2026-11-04", Evidence: "Đã lắp 12 bóng."}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompleteCommitment(f.ctx, head, lateDone.ID, service.DoneInput{DoneOn: "2026-11-02", Evidence: "Đã nạo vét."}); err != nil {
		t.Fatal(err)
	}
	card, err := f.svc.CaseStats.Scorecard(f.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(card.Commitments) != 1 {
		t.Fatalf("commitments: %+v", card.Commitments)
	}
	l := card.Commitments[0]
	if l.UnitID != f.unit["W1"] || l.Due != 3 || l.OnTime != 1 || l.Rate == nil || *l.Rate != 33.3 || !l.Commune {
		t.Fatalf("line: %+v", l)
	}
	if card.Reports == nil {
		t.Fatal("reports: nil")
	}
}
