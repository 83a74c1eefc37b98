package service_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// submitN submits one case from its own client address.
func (f *caseFix) submit(in service.CaseInput) service.Submitted {
	f.t.Helper()
	f.users++
	out, err := f.svc.Cases.Submit(f.ctx, anon(fmt.Sprintf("10.9.0.%d", f.users)), in)
	if err != nil {
		f.t.Fatalf("submit %q: %v", in.Title, err)
	}
	return out
}

func feedback(f *caseFix, place, title, desc string) service.CaseInput {
	return service.CaseInput{Kind: service.CaseFeedback, Category: "moi-truong", PlaceUnitID: f.unit[place], Title: title, Description: desc}
}

func TestCaseSearchHandlers(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	a := f.submit(feedback(f, "W1", "Đường bị ngập", "Nước ngập sâu sau mưa."))
	f.submit(feedback(f, "W2", "Đường hỏng", "Ổ gà trên đường làng."))
	in := complaintInput(f)
	in.Description += " Đường vào nhà bị chắn."
	f.submit(in)
	x := f.submit(service.CaseInput{Kind: service.CaseFeedback, Category: "dat-dai", PlaceUnitID: f.unit["X1"], Title: "Đường ngập ở X1", Description: "Ngập."})

	h := f.principal(authz.RoleCaseHandler, "P38")
	list := func(p *service.Principal, flt service.CaseListFilter) (string, int) {
		t.Helper()
		got, n, err := cs.List(f.ctx, p, flt)
		if err != nil {
			t.Fatal(err)
		}
		codes := []string{}
		for _, c := range got {
			codes = append(codes, c.TrackingCode)
		}
		return strings.Join(codes, ","), n
	}
	// "duong" finds "Đường" — but never a case outside the handler's subtree (X1).
	if got, n := list(h, service.CaseListFilter{Text: "duong"}); n != 3 || strings.Contains(got, x.TrackingCode) {
		t.Fatalf("duong: %s (%d)", got, n)
	}
	if got, n := list(h, service.CaseListFilter{Text: "ĐƯỜNG NGẬP"}); got != a.TrackingCode || n != 1 {
		t.Fatalf("đường ngập: %s (%d)", got, n)
	}
	if _, n := list(h, service.CaseListFilter{Text: "duong", Kind: service.CaseComplaint, Unit: f.unit["W1"]}); n != 1 {
		t.Fatalf("with kind and unit: %d", n)
	}
	if _, n := list(h, service.CaseListFilter{Text: "duong", From: "2025-08-05"}); n != 0 {
		t.Fatalf("from tomorrow: %d", n)
	}
	if _, n := list(h, service.CaseListFilter{Text: "duong", From: "2025-08-04", To: "2025-08-04"}); n != 3 {
		t.Fatalf("today: %d", n)
	}
	if got, n := list(f.principal(authz.RoleCaseHandler, "X1"), service.CaseListFilter{Text: "duong"}); got != x.TrackingCode || n != 1 {
		t.Fatalf("X1 handler: %s (%d)", got, n)
	}
	for _, bad := range []service.CaseListFilter{{From: "04/08/2025"}, {From: "2025-08-05", To: "2025-08-04"}, {Text: strings.Repeat("a", service.MaxCaseQuery+1)}} {
		var inv *service.InvalidError
		if _, _, err := cs.List(f.ctx, h, bad); !errors.As(err, &inv) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestCasePublicSearchHidesPersonalData(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	fb := feedback(f, "W1", "Rác thải ở chợ", "Ông Trần Văn Bình bán hàng xả rác.")
	fb.Identity = &service.CaseIdentity{Name: "Lê Thị Cúc", Phone: "0987654321"}
	a := f.submit(fb)
	in := complaintInput(f)
	in.Title = "Khiếu nại rác thải"
	f.submit(in)

	got, n, err := cs.PublicSearch(f.ctx, "rac thai", service.PublicSearchFilter{})
	if err != nil || n != 1 || len(got) != 1 || got[0].TrackingCode != a.TrackingCode || got[0].Title != "Rác thải ở chợ" {
		t.Fatalf("public search: %+v %d %v", got, n, err)
	}
	b, _ := json.Marshal(got)
	for _, secret := range []string{"Trần Văn Bình", "Lê Thị Cúc", "0987654321", "Nguyễn Văn An", "description", "identity"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("public search shows %q: %s", secret, b)
		}
	}
	// Words only in a complaint (its description and author) find nothing.
	for _, q := range []string{"boi thuong", "Nguyễn Văn An", "khieu nai"} {
		if got, n, err := cs.PublicSearch(f.ctx, q, service.PublicSearchFilter{}); err != nil || n != 0 || len(got) != 0 {
			t.Errorf("%q: %+v %d %v", q, got, n, err)
		}
	}
	if got, _, _ := cs.PublicSearch(f.ctx, "", service.PublicSearchFilter{Place: f.unit["W2"]}); len(got) != 0 {
		t.Errorf("other place: %+v", got)
	}
	if got, _, _ := cs.PublicSearch(f.ctx, "", service.PublicSearchFilter{Category: "moi-truong", Status: service.CaseReceived}); len(got) != 1 {
		t.Errorf("category and status: %+v", got)
	}
	var inv *service.InvalidError
	if _, _, err := cs.PublicSearch(f.ctx, "", service.PublicSearchFilter{Status: "nope"}); !errors.As(err, &inv) {
		t.Errorf("bad status: %v", err)
	}
}

func TestCaseSimilar(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	lat, lon := 19.80, 105.77
	near, far := 19.805, 105.80 // ~0.6 km and ~3.2 km away
	a := f.submit(feedback(f, "W1", "Đèn đường hỏng", "Đèn đường ở ngõ 5 hỏng ba tuần."))
	b := f.submit(feedback(f, "W1", "Rác thải", "Rác thải đầy bãi."))
	pt := feedback(f, "W2", "Đèn chiếu sáng hỏng", "Đèn đường tắt.")
	pt.Lat, pt.Lon = &near, &lon
	c := f.submit(pt)
	pt2 := feedback(f, "W2", "Đèn đường hỏng", "Đèn đường tắt.")
	pt2.Lat, pt2.Lon = &lat, &far
	f.submit(pt2)
	closed := f.submit(feedback(f, "W1", "Đèn đường hỏng lâu", "Đèn đường."))
	sys := service.SystemPrincipal()
	v, _ := cs.Get(f.ctx, sys, 5)
	if v.TrackingCode != closed.TrackingCode {
		t.Fatalf("case 5 is %s", v.TrackingCode)
	}
	if _, err := cs.Step(f.ctx, sys, 5, service.StepRefuse, service.CaseStep{Version: 1, PublicNote: "Trùng"}); err != nil {
		t.Fatal(err)
	}

	got, err := cs.Similar(f.ctx, service.SimilarQuery{Category: "moi-truong", PlaceUnitID: f.unit["W1"], Lat: &lat, Lon: &lon, Text: "Đèn đường ở ngõ 5 bị hỏng"})
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{}
	for _, s := range got {
		codes = append(codes, s.TrackingCode)
	}
	// Same place and nearby point, ranked by shared words; not the far one,
	// not the closed one, not the one without a shared word.
	if want := []string{a.TrackingCode, c.TrackingCode}; fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Fatalf("similar: %v, want %v (%+v)", codes, want, got)
	}
	if got, _ := cs.Similar(f.ctx, service.SimilarQuery{Category: "moi-truong", PlaceUnitID: f.unit["W1"]}); len(got) != 2 || got[0].TrackingCode != b.TrackingCode {
		t.Fatalf("without text, newest open first: %+v", got)
	}
	var inv *service.InvalidError
	if _, err := cs.Similar(f.ctx, service.SimilarQuery{Category: "moi-truong"}); !errors.As(err, &inv) || inv.Fields[0].Field != "place" {
		t.Fatalf("no place: %v", err)
	}
}

func TestCaseDuplicatesAndMerge(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	first := complaintInput(f)
	a := f.submit(first)
	again := complaintInput(f)
	again.Title, again.Description = "Đơn về tiền điện", "Nội dung khác hẳn."
	again.Identity.Phone = "+84 912-345-678" // the same number, written otherwise
	again.Identity.Email = ""
	b := f.submit(again)
	near := complaintInput(f)
	near.Identity = &service.CaseIdentity{Name: "Người khác", Address: "Xóm 2", Phone: "0900000001"}
	near.Title = "Khiếu nại quyết định thu hồi đất của xã"
	c := f.submit(near)
	unrelated := complaintInput(f)
	unrelated.Identity = &service.CaseIdentity{Name: "Người thứ ba", Address: "Xóm 3"}
	unrelated.Title, unrelated.Description = "Tranh chấp lối đi", "Hàng xóm xây tường."
	f.submit(unrelated)

	// The clear identity is never stored outside the encrypted column.
	var ph string
	if err := f.st.DB().QueryRowContext(f.ctx, `SELECT person_hash FROM cases WHERE id = 1`).Scan(&ph); err != nil {
		t.Fatal(err)
	}
	if len(ph) != 64 || strings.Contains(ph, "912") {
		t.Fatalf("person hash %q", ph)
	}

	h := f.principal(authz.RoleCaseHandler, "W1")
	dups, err := cs.Duplicates(f.ctx, h, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(dups) != 2 || dups[0].ID != b.ID || !dups[0].SamePerson || dups[1].ID != c.ID || dups[1].SamePerson || dups[1].Similarity < service.MinDuplicateSimilarity {
		t.Fatalf("duplicates: %+v", dups)
	}
	if dups[0].IdentityEnc != nil {
		t.Fatal("identity leaked")
	}
	if _, err := cs.Duplicates(f.ctx, f.principal(authz.RoleCaseHandler, "X1"), a.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("outsider: %v", err)
	}

	// Merge b into a.
	var inv *service.InvalidError
	if _, err := cs.Merge(f.ctx, h, a.ID, a.ID, 1); !errors.As(err, &inv) {
		t.Fatalf("self: %v", err)
	}
	if _, err := cs.Merge(f.ctx, f.principal(authz.RoleCaseHandler, "X1"), a.ID, b.ID, 1); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("outsider merge: %v", err)
	}
	if _, err := cs.Merge(f.ctx, h, a.ID, b.ID, 7); !errors.Is(err, service.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	m, err := cs.Merge(f.ctx, h, a.ID, b.ID, 1)
	if err != nil || m.Status != service.CaseMerged || m.ClosedAt.IsZero() {
		t.Fatalf("merge: %+v %v", m, err)
	}
	pub, err := cs.Track(f.ctx, b.TrackingCode)
	if err != nil || pub.Status != service.CaseMerged {
		t.Fatalf("track: %+v %v", pub, err)
	}
	last := pub.History[len(pub.History)-1]
	if last.Action != "merge" || last.Note != a.TrackingCode {
		t.Fatalf("public note: %+v", last)
	}
	if _, err := cs.Merge(f.ctx, h, a.ID, b.ID, m.Version); !errors.As(err, &inv) {
		t.Fatalf("merge twice: %v", err)
	}
	if _, err := cs.Merge(f.ctx, h, b.ID, c.ID, 1); !errors.As(err, &inv) {
		t.Fatalf("into a merged case: %v", err)
	}
	if _, n, err := f.st.ListAudit(f.ctx, store.AuditFilter{Action: "case.merge"}); err != nil || n != 1 {
		t.Fatalf("audit: %d %v", n, err)
	}
}
