package service_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

func TestCaseClassify(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	h := f.principal(authz.RoleCaseHandler, "W1")
	other := f.principal(authz.RoleCaseHandler, "X1")

	// A feedback with a name and address, found to be a complaint.
	fbIn := complaintInput(f)
	fbIn.Kind = service.CaseFeedback
	fb, err := cs.Submit(f.ctx, anon("203.0.113.20"), fbIn)
	if err != nil {
		t.Fatal(err)
	}
	v, err := cs.Get(f.ctx, h, fb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.AcceptDue == "2025-08-18" {
		t.Fatalf("a feedback has the complaint's acceptance period: %s", v.AcceptDue)
	}
	if _, err := cs.Classify(f.ctx, other, fb.ID, service.CaseStep{Version: v.Version, Kind: service.CaseComplaint}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other unit classifies: %v", err)
	}
	_, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: v.Version, Kind: "rumour"})
	wantField(t, err, "kind", service.MsgBadChoice)
	_, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: v.Version, Category: "khong-co"})
	wantField(t, err, "category", service.MsgBadChoice)
	_, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: v.Version, Kind: service.CaseFeedback, Category: "dat-dai"})
	wantField(t, err, "kind", service.MsgCaseClassifySame)
	_, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Kind: service.CaseComplaint})
	wantField(t, err, "version", service.MsgRequired)

	c, err := cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: v.Version, Kind: service.CaseComplaint, Category: "moi-truong", InternalNote: "Có yêu cầu xem xét lại quyết định"})
	if err != nil {
		t.Fatal(err)
	}
	// 10 working days from the day received (Monday 4 Aug 2025).
	if c.Kind != service.CaseComplaint || c.Category != "moi-truong" || c.AcceptDue != "2025-08-18" || c.Status != service.CaseReceived || c.Version != v.Version+1 {
		t.Fatalf("classified: %+v", c)
	}
	// A stale version is a conflict.
	if _, err := cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: v.Version, Kind: service.CaseDenunciation}); !errors.Is(err, service.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	// The identity was sealed again for the new kind: still readable.
	if id, err := cs.Identity(f.ctx, h, fb.ID); err != nil || id == nil || id.Name != "Nguyễn Văn An" {
		t.Fatalf("identity after classify: %+v %v", id, err)
	}
	// The public page shows the new kind and the change, not the internal note.
	pub, err := cs.Track(f.ctx, fb.TrackingCode)
	if err != nil {
		t.Fatal(err)
	}
	last := pub.History[len(pub.History)-1]
	if pub.Kind != service.CaseComplaint || last.Action != service.StepClassify || last.Note != "Phân loại: Phản ánh → Khiếu nại; lĩnh vực: Đất đai → Môi trường" {
		t.Fatalf("public: %+v %+v", pub, last)
	}
	view, _ := cs.Get(f.ctx, h, fb.ID)
	if e := view.Events[len(view.Events)-1]; e.InternalNote != "Có yêu cầu xem xét lại quyết định" || e.ActorID != h.User.ID {
		t.Fatalf("event: %+v", e)
	}
	// The search follows the new category.
	if list, _, err := cs.List(f.ctx, h, service.CaseListFilter{Text: "moi-truong"}); err != nil || len(list) != 1 {
		t.Fatalf("search by new category: %+v %v", list, err)
	}
	// Audited with the kinds before and after.
	entries, _, err := f.st.ListAudit(f.ctx, store.AuditFilter{Action: "case.classify", EntityID: strconv.FormatInt(fb.ID, 10)})
	if err != nil || len(entries) != 1 || entries[0].ActorID != h.User.ID ||
		!strings.Contains(string(entries[0].Before), service.CaseFeedback) || !strings.Contains(string(entries[0].After), service.CaseComplaint) {
		t.Fatalf("audit: %+v %v", entries, err)
	}

	// Accepted: the resolution deadline follows the kind, from acceptance.
	c, err = cs.Accept(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version})
	if err != nil || c.ResolveDue != "2025-09-03" {
		t.Fatalf("accept: %+v %v", c, err)
	}
	c, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version, Kind: service.CaseRecommendation, PublicNote: "Nội dung là kiến nghị"})
	if err != nil || c.ResolveDue != "" || c.Status != service.CaseAccepted {
		t.Fatalf("to recommendation: %+v %v", c, err)
	}
	c, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version, Kind: service.CaseDenunciation})
	if err != nil || c.ResolveDue == "" {
		t.Fatalf("to denunciation: %+v %v", c, err)
	}
	pub, _ = cs.Track(f.ctx, fb.TrackingCode)
	if n := pub.History[len(pub.History)-2].Note; n != "Phân loại: Khiếu nại → Kiến nghị. Nội dung là kiến nghị" {
		t.Fatalf("note with the handler's words: %q", n)
	}

	// A second-time complaint names a first complaint by its code.
	_, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version, Kind: service.CaseComplaint2})
	wantField(t, err, "parent_code", service.MsgCaseParentRequired)
	_, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version, Kind: service.CaseComplaint2, ParentCode: fb.TrackingCode})
	wantField(t, err, "parent_code", service.MsgCaseParentNotFound) // a denunciation, not a complaint
	first, err := cs.Submit(f.ctx, anon("203.0.113.21"), complaintInput(f))
	if err != nil {
		t.Fatal(err)
	}
	c, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version, Kind: service.CaseComplaint2, ParentCode: strings.ToLower(first.TrackingCode)})
	if err != nil || c.ParentCaseID != first.ID || c.Kind != service.CaseComplaint2 {
		t.Fatalf("second-time complaint: %+v %v", c, err)
	}

	// Wrong state: a resolved case is not reclassified.
	c, err = cs.Resolve(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version, PublicNote: "Đã giải quyết"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cs.Classify(f.ctx, h, fb.ID, service.CaseStep{Version: c.Version, Kind: service.CaseComplaint})
	wantField(t, err, "step", service.MsgCaseBadState)

	// An anonymous feedback cannot become a denunciation.
	an, err := cs.Submit(f.ctx, anon("203.0.113.22"), service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit["W1"], Title: "Lấn chiếm vỉa hè", Description: "Quán ăn lấn chiếm vỉa hè.", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cs.Classify(f.ctx, h, an.ID, service.CaseStep{Version: 1, Kind: service.CaseDenunciation})
	wantField(t, err, "kind", service.MsgCaseClassifyIdentity)
	if c, err := cs.Classify(f.ctx, h, an.ID, service.CaseStep{Version: 1, Kind: service.CaseRecommendation}); err != nil || c.AcceptDue == "" {
		t.Fatalf("anonymous to recommendation: %+v %v", c, err)
	}
}
