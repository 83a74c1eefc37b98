package service_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
)

const consultDraft = `Căn cứ Luật Thực hiện dân chủ ở cơ sở năm 2022;
I. MỤC ĐÍCH
1. Nâng cao chất lượng sinh hoạt cộng đồng.
2. Phát huy quyền làm chủ của Nhân dân.
II. NHIỆM VỤ
1. Sửa chữa nhà văn hóa thôn.`

// consultFix adds a commune People's Committee and the Fatherland Front to
// the civic fixture (clock 10 Nov 2026, 10:00 in Vietnam).
func newConsultFix(t *testing.T) *civicFix {
	f := newCivicFix(t)
	for _, u := range []org.Unit{
		{Code: "W1UB", Name: "Ủy ban nhân dân phường Hạc Thành", Kind: org.KindPeoplesCommittee, ParentID: f.unit["W1"]},
		{Code: "MT", Name: "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", Kind: org.KindFatherlandFront, ParentID: f.unit["P38"]},
	} {
		u.ValidFrom = "2025-07-01"
		if err := f.st.CreateUnit(f.ctx, audit.System("test"), &u); err != nil {
			t.Fatal(err)
		}
		f.unit[u.Code] = u.ID
	}
	if err := f.svc.Tree.Reload(f.ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *civicFix) draft(p *service.Principal, opens, closes string) service.ConsultDetail {
	f.t.Helper()
	d, err := f.svc.Consult.CreateConsultation(f.ctx, p, service.ConsultInput{UnitID: f.unit["W1UB"], Kind: "plan", Title: "Kế hoạch sửa chữa nhà văn hóa",
		OpensOn: opens, ClosesOn: closes, Text: consultDraft})
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func TestConsultLifecycle(t *testing.T) {
	f := newConsultFix(t)
	c := f.svc.Consult
	head := f.principal(authz.RoleUnitHead, "W1")
	d := f.draft(head, "2026-11-01", "2026-11-20")
	if d.Phase != service.PhaseDraft || len(d.Passages) != 6 || d.Passages[2].Label != "Khoản 1 Phần I" {
		t.Fatalf("draft %+v", d)
	}
	// A draft is hidden from the public and cannot be commented on.
	if _, err := c.Get(f.ctx, nil, d.ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("public draft: %v", err)
	}
	if _, err := c.Comment(f.ctx, &service.Principal{IP: "192.0.2.1"}, d.ID, service.CommentInput{Name: "A", Text: "x"}); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("comment on draft: %v", err)
	}
	// The drafter corrects the passages, then publishes.
	var in []service.PassageInput
	for _, p := range d.Passages {
		in = append(in, service.PassageInput{Level: p.Level, Label: p.Label, Text: p.Text})
	}
	in[2].Label = "Mục 1"
	d, err := c.SetPassages(f.ctx, head, d.ID, d.Version, in)
	if err != nil || d.Passages[2].Label != "Mục 1" {
		t.Fatalf("set passages: %v %+v", err, d.Passages)
	}
	if _, err := c.Publish(f.ctx, head, d.ID, d.Version-1); !isStale(err) {
		t.Fatalf("stale publish: %v", err)
	}
	d, err = c.Publish(f.ctx, head, d.ID, d.Version)
	if err != nil || d.Phase != service.PhaseOpen {
		t.Fatalf("publish: %v %+v", err, d.Consultation)
	}
	if _, err := c.SetPassages(f.ctx, head, d.ID, d.Version, in); civicFields(err) != "status=consult.err.not_draft" {
		t.Fatalf("edit published: %v", err)
	}

	// Anonymous comment: a name is required; the contact is never public.
	anon := &service.Principal{IP: "192.0.2.7"}
	if _, err := c.Comment(f.ctx, anon, d.ID, service.CommentInput{Text: "Ý kiến"}); civicFields(err) != "name=validation.required" {
		t.Fatalf("no name: %v", err)
	}
	if _, err := c.Comment(f.ctx, anon, d.ID, service.CommentInput{PassageID: 999999, Name: "A", Text: "x"}); civicFields(err) != "passage_id=consult.err.passage" {
		t.Fatalf("bad passage: %v", err)
	}
	c1, err := c.Comment(f.ctx, anon, d.ID, service.CommentInput{PassageID: d.Passages[2].ID, Name: "Lê Thị Mai", Contact: "0912 345 678", Text: "Đề nghị bổ sung sân chơi cho thiếu nhi."})
	if err != nil || c1.Status != service.CommentPending {
		t.Fatalf("comment: %v %+v", err, c1)
	}
	c2, err := c.Comment(f.ctx, head, d.ID, service.CommentInput{Text: "Cần nêu rõ nguồn kinh phí.", Organisation: true})
	if err != nil || c2.AuthorName != "Cán bộ" {
		t.Fatalf("signed-in comment: %v %+v", err, c2)
	}
	c3, _ := c.Comment(f.ctx, anon, d.ID, service.CommentInput{Name: "X", Text: "Quảng cáo"})
	pub, _ := c.Get(f.ctx, nil, d.ID)
	if len(pub.Comments) != 0 {
		t.Fatalf("pending comments are public: %+v", pub.Comments)
	}

	// Moderation: only the drafting unit; a rejection needs its reason.
	other := f.principal(authz.RoleUnitHead, "W2")
	if _, err := c.Moderate(f.ctx, other, c1.ID, service.ModerateInput{Status: "published"}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other unit moderates: %v", err)
	}
	if _, err := c.Moderate(f.ctx, head, c3.ID, service.ModerateInput{Status: "rejected"}); civicFields(err) != "reason=consult.err.reason_required" {
		t.Fatalf("reject without reason: %v", err)
	}
	for _, id := range []int64{c1.ID, c2.ID} {
		if _, err := c.Moderate(f.ctx, head, id, service.ModerateInput{Status: "published"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Moderate(f.ctx, head, c3.ID, service.ModerateInput{Status: "rejected", Reason: "Không liên quan đến dự thảo"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Moderate(f.ctx, head, c3.ID, service.ModerateInput{Status: "published"}); civicFields(err) != "status=consult.err.moderated" {
		t.Fatalf("moderate twice: %v", err)
	}
	pub, _ = c.Get(f.ctx, nil, d.ID)
	if len(pub.Comments) != 2 || pub.Comments[0].Contact != "" || pub.Manage {
		t.Fatalf("public comments %+v", pub.Comments)
	}
	own, _ := c.Get(f.ctx, head, d.ID)
	if len(own.Comments) != 3 || own.Comments[0].Contact != "0912 345 678" {
		t.Fatalf("drafter's comments %+v", own.Comments)
	}

	// Social criticism from the Front only.
	front := f.principal(authz.RoleUnitOfficer, "MT")
	if _, err := c.AddCriticism(f.ctx, head, d.ID, service.CriticismInput{UnitID: f.unit["W1UB"], Number: "1", IssuedOn: "2026-11-09", Summary: "x"}); civicFields(err) != "unit_id=consult.err.critic_unit" {
		t.Fatalf("criticism from the committee: %v", err)
	}
	if _, err := c.AddCriticism(f.ctx, head, d.ID, service.CriticismInput{UnitID: f.unit["MT"], Number: "1", IssuedOn: "2026-11-09", Summary: "x"}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("criticism for another unit: %v", err)
	}
	if _, err := c.AddCriticism(f.ctx, front, d.ID, service.CriticismInput{UnitID: f.unit["MT"], Number: "12/BC-MTTQ", IssuedOn: "2026-11-09", Summary: "x",
		File: &service.FileInput{Name: "a.pdf", Data: []byte("not a pdf")}}); civicFields(err) != "file=attachments.err.type" && !strings.HasPrefix(civicFields(err), "file=") {
		t.Fatalf("bad file: %v", err)
	}
	k, err := c.AddCriticism(f.ctx, front, d.ID, service.CriticismInput{UnitID: f.unit["MT"], Number: "12/BC-MTTQ", IssuedOn: "2026-11-09",
		Summary: "Đồng tình với dự thảo; đề nghị làm rõ cơ chế giám sát của Nhân dân.", File: &service.FileInput{Name: "phan-bien.txt", Data: []byte("Văn bản phản biện")}})
	if err != nil {
		t.Fatal(err)
	}
	if file, err := c.CriticismFile(f.ctx, nil, d.ID, k.ID); err != nil || string(file.Data) != "Văn bản phản biện" {
		t.Fatalf("criticism file: %v", err)
	}

	// Answers: published comments only, once each.
	if _, err := c.Answer(f.ctx, head, d.ID, service.AnswerInput{CommentIDs: []int64{c3.ID}, Verdict: "taken", Explanation: "x"}); civicFields(err) != "comment_ids=validation.bad_choice" {
		t.Fatalf("answer a rejected comment: %v", err)
	}
	a, err := c.Answer(f.ctx, head, d.ID, service.AnswerInput{CommentIDs: []int64{c1.ID, c2.ID}, CriticismIDs: []int64{k.ID}, Verdict: "partly", Explanation: "Bổ sung sân chơi; kinh phí nêu tại Mục III."})
	if err != nil || len(a.CommentIDs) != 2 {
		t.Fatalf("answer: %v %+v", err, a)
	}
	if _, err := c.Answer(f.ctx, head, d.ID, service.AnswerInput{CommentIDs: []int64{c1.ID}, Verdict: "taken", Explanation: "x"}); civicFields(err) != "comment_ids=consult.err.answered" {
		t.Fatalf("answer twice: %v", err)
	}
	if pub, _ = c.Get(f.ctx, nil, d.ID); len(pub.Answers) != 0 {
		t.Fatalf("answers public before the synthesis")
	}
	// The synthesis waits for the period to close (20 Nov, Vietnam time).
	if _, err := c.Synthesise(f.ctx, head, d.ID, d.Version, "Tổng hợp"); civicFields(err) != "status=consult.err.not_closed" {
		t.Fatalf("synthesise while open: %v", err)
	}
	f.st.SetClock(func() time.Time { return time.Date(2026, 11, 20, 16, 59, 0, 0, time.UTC) }) // 23:59 on the 20th in Vietnam
	if _, err := c.Comment(f.ctx, &service.Principal{IP: "192.0.2.70"}, d.ID, service.CommentInput{Name: "B", Text: "Kịp hạn"}); err != nil {
		t.Fatalf("last minute comment: %v", err)
	}
	f.st.SetClock(func() time.Time { return time.Date(2026, 11, 20, 17, 1, 0, 0, time.UTC) }) // 00:01 on the 21st
	if _, err := c.Comment(f.ctx, &service.Principal{IP: "192.0.2.71"}, d.ID, service.CommentInput{Name: "B", Text: "Muộn"}); civicFields(err) != "text=consult.err.not_open" {
		t.Fatalf("late comment: %v", err)
	}
	d, err = c.Synthesise(f.ctx, head, d.ID, d.Version, "Đã tiếp thu phần lớn ý kiến.")
	if err != nil || d.Phase != service.PhaseSynthesised {
		t.Fatalf("synthesise: %v", err)
	}
	pub, _ = c.Get(f.ctx, nil, d.ID)
	rows := service.Synthesis(pub)
	if len(pub.Answers) != 1 || len(rows) != 2 || rows[0].Label != "Toàn văn dự thảo" || rows[0].Partly != 1 || rows[1].Label != "Mục 1" || rows[1].Comments != 1 {
		t.Fatalf("synthesis %+v answers %+v", rows, pub.Answers)
	}
	if _, err := c.AddCriticism(f.ctx, front, d.ID, service.CriticismInput{UnitID: f.unit["MT"], Number: "13", IssuedOn: "2026-11-21", Summary: "x"}); civicFields(err) != "status=consult.err.synthesised" {
		t.Fatalf("criticism after synthesis: %v", err)
	}
	doc, name, err := c.SynthesisDOCX(f.ctx, nil, d.ID)
	if err != nil || name != "bao-cao-tong-hop-y-kien-1.docx" {
		t.Fatalf("docx: %v %s", err, name)
	}
	text := docxText(t, doc)
	for _, want := range []string{"BÁO CÁO TỔNG HỢP, GIẢI TRÌNH, TIẾP THU Ý KIẾN", "ỦY BAN NHÂN DÂN", "PHƯỜNG HẠC THÀNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Tiếp thu một phần", "Lê Thị Mai", "12/BC-MTTQ", "Đã tiếp thu phần lớn ý kiến."} {
		if !strings.Contains(text, want) {
			t.Errorf("docx lacks %q", want)
		}
	}
	if strings.Contains(text, "0912 345 678") {
		t.Error("docx shows a contact")
	}
}

// docxText is the text of a .docx's main part.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			return string(x)
		}
	}
	t.Fatal("no document.xml")
	return ""
}

// Comments open on the opening day in Vietnam and not before; drafts of
// other units are not listed nor editable; anonymous comments are limited.
func TestConsultPeriodsAndLimits(t *testing.T) {
	f := newConsultFix(t)
	c := f.svc.Consult
	head := f.principal(authz.RoleUnitHead, "W1")
	d := f.draft(head, "2026-11-11", "2026-11-30")
	if _, err := c.Publish(f.ctx, head, d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	anon := &service.Principal{IP: "192.0.2.9"}
	if pub, _ := c.Get(f.ctx, nil, d.ID); pub.Phase != service.PhaseUpcoming {
		t.Fatalf("phase %s", pub.Phase)
	}
	if _, err := c.Comment(f.ctx, anon, d.ID, service.CommentInput{Name: "A", Text: "Sớm"}); civicFields(err) != "text=consult.err.not_open" {
		t.Fatalf("early comment: %v", err)
	}
	f.st.SetClock(func() time.Time { return time.Date(2026, 11, 10, 17, 30, 0, 0, time.UTC) }) // 00:30 on the 11th in Vietnam
	for i := range service.ConsultCommentBurst - 1 {
		if _, err := c.Comment(f.ctx, anon, d.ID, service.CommentInput{Name: "A", Text: "Ý kiến " + string(rune('a'+i))}); err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
	}
	if _, err := c.Comment(f.ctx, anon, d.ID, service.CommentInput{Name: "A", Text: "Quá nhiều"}); !errors.Is(err, service.ErrTooMany) {
		t.Fatalf("flood: %v", err)
	}
	if _, err := c.Comment(f.ctx, head, d.ID, service.CommentInput{Text: "Người đăng nhập không bị giới hạn"}); err != nil {
		t.Fatalf("signed-in: %v", err)
	}
	other := f.principal(authz.RoleUnitHead, "W2")
	if l, _ := c.List(f.ctx, other); len(l) != 0 {
		t.Fatalf("other unit lists %+v", l)
	}
	if _, err := c.UpdateConsultation(f.ctx, other, d.ID, service.ConsultInput{}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other unit edits: %v", err)
	}
	if _, err := c.CreateConsultation(f.ctx, other, service.ConsultInput{UnitID: f.unit["W1UB"], Kind: "plan", Title: "x", OpensOn: "2026-11-11", ClosesOn: "2026-11-12"}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other unit creates: %v", err)
	}
	if _, err := c.CreateConsultation(f.ctx, head, service.ConsultInput{UnitID: f.unit["W1UB"], Kind: "poem", Title: "", OpensOn: "2026-11-12", ClosesOn: "2026-11-11"}); civicFields(err) != "kind=validation.bad_choice,title=validation.required,closes_on=validation.date_order" {
		t.Fatalf("invalid: %v", civicFields(err))
	}
	if l, _ := c.Public(f.ctx); len(l) != 1 || l[0].Phase != service.PhaseOpen {
		t.Fatalf("public list %+v", l)
	}
}

func isStale(err error) bool {
	var s *service.StaleVersionError
	return errors.As(err, &s)
}

// The portal's "Dân bàn" block lists the drafts open today, soonest
// closing first, and nothing that is not open.
func TestConsultOpenForPortal(t *testing.T) {
	f := newConsultFix(t)
	c := f.svc.Consult
	head := f.principal(authz.RoleUnitHead, "W1")
	for _, d := range []service.ConsultDetail{f.draft(head, "2026-11-01", "2026-11-30"), f.draft(head, "2026-11-05", "2026-11-20"), f.draft(head, "2026-11-20", "2026-12-20")} {
		if _, err := c.Publish(f.ctx, head, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
	}
	f.draft(head, "2026-11-01", "2026-11-30") // never published
	items, err := c.OpenConsultations(f.ctx, 5)
	if err != nil || len(items) != 2 || items[0].Meta != "2026-11-20" || items[1].Meta != "2026-11-30" || !strings.HasPrefix(items[0].URL, "/gop-y/") {
		t.Fatalf("open consultations: %+v %v", items, err)
	}
	f.svc.Portal.Drop()
	home, err := f.svc.Portal.Home(f.ctx)
	if err != nil || len(home.Consultations) != 2 {
		t.Fatalf("portal home: %d consultations, %v", len(home.Consultations), err)
	}
}
