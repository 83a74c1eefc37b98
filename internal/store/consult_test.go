package store_test

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestConsultStore(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w := ids["11"]
	c := store.Consultation{UnitID: w, Kind: "plan", Title: "Kế hoạch", OpensOn: "2025-08-01", ClosesOn: "2025-08-20", Status: "draft"}
	if err := st.CreateConsultation(ctx, sys, &c, []store.Passage{{Label: "Điều 1", Level: 2, Text: "Một"}, {Label: "Khoản 1 Điều 1", Level: 3, Text: "Hai"}}); err != nil {
		t.Fatal(err)
	}
	got, ps, err := st.GetConsultation(ctx, c.ID)
	if err != nil || got.Version != 1 || len(ps) != 2 || ps[1].Ord != 2 || ps[1].Label != "Khoản 1 Điều 1" {
		t.Fatalf("get %v %+v %+v", err, got, ps)
	}
	// Passages replaced; a stale version changes nothing.
	c.Title = "Kế hoạch năm 2026"
	if err := st.UpdateConsultation(ctx, sys, &c, 1, []store.Passage{{Label: "Điều 1", Level: 2, Text: "Mới"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateConsultation(ctx, sys, &c, 1, nil); !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale update: %v", err)
	}
	if err := st.SetConsultationStatus(ctx, sys, c.ID, 2, "published", "synthesised", "x", "2025-08-21"); !errors.Is(err, store.ErrStale) {
		t.Fatalf("wrong from: %v", err)
	}
	if err := st.SetConsultationStatus(ctx, sys, c.ID, 2, "draft", "published", "", ""); err != nil {
		t.Fatal(err)
	}
	got, ps, _ = st.GetConsultation(ctx, c.ID)
	if got.Status != "published" || got.Version != 3 || got.Title != "Kế hoạch năm 2026" || len(ps) != 1 || ps[0].Text != "Mới" {
		t.Fatalf("after publish %+v %+v", got, ps)
	}
	if l, _ := st.ListConsultations(ctx, store.ConsultationFilter{Published: true}); len(l) != 1 {
		t.Fatalf("published list %+v", l)
	}
	if l, _ := st.ListConsultations(ctx, store.ConsultationFilter{UnitIDs: []int64{}}); len(l) != 0 {
		t.Fatalf("empty unit filter %+v", l)
	}

	// Comments: moderated once; contacts kept.
	a := store.ConsultComment{ConsultationID: c.ID, PassageID: ps[0].ID, AuthorName: "Lê Văn A", Contact: "0912", Text: "Ý kiến", Status: "pending"}
	b := store.ConsultComment{ConsultationID: c.ID, AuthorName: "Hội Nông dân", Organisation: true, Text: "Ý kiến chung", Status: "pending"}
	for _, x := range []*store.ConsultComment{&a, &b} {
		if err := st.AddConsultComment(ctx, sys, x); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.ModerateConsultComment(ctx, sys, a.ID, "published", ""); err != nil {
		t.Fatal(err)
	}
	if err := st.ModerateConsultComment(ctx, sys, a.ID, "rejected", "x"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("moderate twice: %v", err)
	}
	cs, _ := st.ListConsultComments(ctx, store.ConsultCommentFilter{ConsultationID: c.ID, Status: "published"})
	if len(cs) != 1 || cs[0].Contact != "0912" || cs[0].PassageID != ps[0].ID || cs[0].CreatedAt.IsZero() {
		t.Fatalf("published comments %+v", cs)
	}

	// A criticism document with its file.
	k := store.Criticism{ConsultationID: c.ID, UnitID: ids["10"], Number: "12/BC-MTTQ", IssuedOn: "2025-08-10", Summary: "Đồng tình",
		FileName: "pb.txt", ContentType: "text/plain; charset=utf-8", Size: 3, Data: []byte("abc")}
	if err := st.AddCriticism(ctx, sys, &k); err != nil {
		t.Fatal(err)
	}
	if f, err := st.CriticismFile(ctx, k.ID); err != nil || string(f.Data) != "abc" || f.ConsultationID != c.ID {
		t.Fatalf("file %v %+v", err, f)
	}
	if _, err := st.CriticismFile(ctx, 99999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing file: %v", err)
	}

	// Answers link once; a second answer to the same comment stores nothing.
	an := store.ConsultAnswer{ConsultationID: c.ID, Verdict: "partly", Explanation: "Tiếp thu một phần", CommentIDs: []int64{a.ID}, CriticismIDs: []int64{k.ID}}
	if err := st.AddConsultAnswer(ctx, sys, &an); err != nil {
		t.Fatal(err)
	}
	again := store.ConsultAnswer{ConsultationID: c.ID, Verdict: "taken", Explanation: "x", CommentIDs: []int64{b.ID, a.ID}}
	if err := st.AddConsultAnswer(ctx, sys, &again); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("answer twice: %v", err)
	}
	as, err := st.ListConsultAnswers(ctx, c.ID)
	if err != nil || len(as) != 1 || len(as[0].CommentIDs) != 1 || as[0].CriticismIDs[0] != k.ID {
		t.Fatalf("answers %v %+v", err, as)
	}
	if cs, _ := st.ListConsultComments(ctx, store.ConsultCommentFilter{ID: b.ID}); cs[0].AnswerID != 0 {
		t.Fatal("rolled-back answer left a link")
	}
	if err := st.SetConsultationStatus(ctx, sys, c.ID, 3, "published", "synthesised", "Tổng hợp", "2025-08-21"); err != nil {
		t.Fatal(err)
	}
	got, _, _ = st.GetConsultation(ctx, c.ID)
	if got.Status != "synthesised" || got.Synthesis != "Tổng hợp" || got.SynthesisedOn != "2025-08-21" {
		t.Fatalf("synthesised %+v", got)
	}
}
