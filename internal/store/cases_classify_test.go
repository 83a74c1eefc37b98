package store_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestCaseChangeClassify(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w := ids["11"]
	first := newCase("TH-2025-BBBBBB", w)
	if err := st.CreateCase(ctx, sys, first, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	c := newCase("TH-2025-CCCCCC", w)
	c.Kind = "feedback"
	if err := st.CreateCase(ctx, sys, c, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	kind, cat, parent, due := "complaint2", "moitruong", first.ID, "2025-08-20"
	enc := []byte{9, 8, 7, 6}
	ch := store.CaseChange{ID: c.ID, Version: 1, Status: "received", Kind: &kind, Category: &cat, ParentCaseID: &parent, AcceptDue: &due,
		IdentityEnc: enc, AuditAction: "case.classify", Event: store.CaseEvent{Action: "classify", Public: true, PublicNote: "Phân loại"}}
	after, err := st.ChangeCase(ctx, sys, ch)
	if err != nil || after.Kind != kind || after.Category != cat || after.ParentCaseID != first.ID || after.AcceptDue != due || after.Version != 2 {
		t.Fatalf("classify: %+v %v", after, err)
	}
	got, err := st.GetCase(ctx, c.ID)
	if err != nil || got.Kind != kind || got.Category != cat || got.ParentCaseID != first.ID || got.Status != "received" {
		t.Fatalf("stored: %+v %v", got, err)
	}
	if b, err := st.CaseIdentityEnc(ctx, c.ID); err != nil || !bytes.Equal(b, enc) {
		t.Fatalf("identity: %v %v", b, err)
	}
	// The search follows the new category.
	if list, _, err := st.ListCases(ctx, store.CaseFilter{Text: "moitruong"}); err != nil || len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("search: %+v %v", list, err)
	}
	if _, err := st.ChangeCase(ctx, sys, ch); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	// Back to no parent; other steps leave kind and category alone.
	none, fb := int64(0), "feedback"
	if _, err := st.ChangeCase(ctx, sys, store.CaseChange{ID: c.ID, Version: 2, Status: "received", Kind: &fb, ParentCaseID: &none, AuditAction: "case.classify", Event: store.CaseEvent{Action: "classify"}}); err != nil {
		t.Fatal(err)
	}
	after, err = st.ChangeCase(ctx, sys, store.CaseChange{ID: c.ID, Version: 3, Status: "accepted", AuditAction: "case.accept", Event: store.CaseEvent{Action: "accept"}})
	if err != nil || after.Kind != fb || after.Category != cat || after.ParentCaseID != 0 {
		t.Fatalf("accept after classify: %+v %v", after, err)
	}
	if got, _ := st.GetCase(ctx, c.ID); got.ParentCaseID != 0 || got.Kind != fb {
		t.Fatalf("stored after: %+v", got)
	}
}
