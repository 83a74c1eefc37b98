package store_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestCaseAttachmentsStore(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w := ids["11"]
	photo := store.NewCaseFile{Name: "đèn.png", ContentType: "image/png", Public: true, Data: []byte("\x89PNG\r\n\x1a\n\x00\xff")}
	doc := store.NewCaseFile{Name: "đơn.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}
	c := newCase("TH-2025-BBBBBB", w)
	if err := st.CreateCase(ctx, sys, c, store.CaseEvent{Action: "receive", Public: true}, photo, doc); err != nil {
		t.Fatal(err)
	}

	// A file that cannot be stored takes the case with it.
	bad := newCase("TH-2025-CCCCCC", w)
	if err := st.CreateCase(ctx, sys, bad, store.CaseEvent{Action: "receive"}, store.NewCaseFile{Name: "x", ContentType: "x", Data: nil}); err == nil {
		t.Fatal("a file without data was stored")
	}
	if _, err := st.CaseByCode(ctx, "TH-2025-CCCCCC"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the case of a refused file exists: %v", err)
	}

	all, err := st.CaseAttachments(ctx, c.ID, false)
	if err != nil || len(all) != 2 || all[0].Name != "đèn.png" || !all[0].Public || all[1].Public || all[1].Size != 8 || len(all[1].SHA256) != 64 {
		t.Fatalf("list: %+v %v", all, err)
	}
	pub, err := st.CaseAttachments(ctx, c.ID, true)
	if err != nil || len(pub) != 1 || pub[0].ID != all[0].ID {
		t.Fatalf("public: %+v %v", pub, err)
	}
	at, data, err := st.CaseAttachmentData(ctx, c.ID, all[0].ID)
	if err != nil || !bytes.Equal(data, photo.Data) || at.ContentType != "image/png" || at.CreatedAt.IsZero() {
		t.Fatalf("read: %+v %v", at, err)
	}
	other := newCase("TH-2025-DDDDDD", w)
	if err := st.CreateCase(ctx, sys, other, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CaseAttachmentData(ctx, other.ID, all[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("through another case: %v", err)
	}

	// Added one by one up to the bound.
	for i := 0; i < 3; i++ {
		if _, err := st.AddCaseAttachment(ctx, sys, c.ID, doc, 5); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddCaseAttachment(ctx, sys, c.ID, doc, 5); !errors.Is(err, store.ErrTooManyFiles) {
		t.Fatalf("sixth file: %v", err)
	}
	if _, err := st.AddCaseAttachment(ctx, sys, 99999, doc, 5); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
	if _, n, err := st.ListAudit(ctx, store.AuditFilter{Action: "case.attach"}); err != nil || n != 5 {
		t.Fatalf("audited: %d %v", n, err)
	}
}
