package store_test

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestDisclosuresStore(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w, x := ids["11"], ids["10"]
	mk := func(unit int64, cat, decided string, f *store.DisclosureFile) *store.Disclosure {
		d := &store.Disclosure{UnitID: unit, Category: cat, Title: "Dự toán ngân sách xã năm 2026", DecidedOn: decided, DueOn: decided, Status: "pending"}
		if err := st.CreateDisclosure(ctx, sys, d, f); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a := mk(w, "budget", "2026-01-05", &store.DisclosureFile{Name: "du-toan.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 x")})
	mk(w, "fees", "2026-02-01", nil)
	c := mk(x, "budget", "2026-03-01", nil)
	if a.ID == 0 || a.Version != 1 || a.FileSize != 10 {
		t.Fatalf("create: %+v", a)
	}

	a.Status, a.PublishedOn, a.Form = "published", "2026-01-08", "notice_board"
	if err := st.UpdateDisclosure(ctx, sys, a, nil, 1, "disclosure.publish"); err != nil || a.Version != 2 {
		t.Fatalf("publish: %v %d", err, a.Version)
	}
	if err := st.UpdateDisclosure(ctx, sys, a, nil, 1, "disclosure.publish"); !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale: %v", err)
	}
	if err := st.UpdateDisclosure(ctx, sys, &store.Disclosure{ID: 9999}, nil, 1, "disclosure.update"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	got, err := st.GetDisclosure(ctx, a.ID)
	if err != nil || got.PublishedOn != "2026-01-08" || got.Form != "notice_board" || got.UnitName != "Phường Hạc Thành" || got.FileName != "du-toan.pdf" {
		t.Fatalf("get: %+v %v", got, err)
	}
	f, err := st.DisclosureFileData(ctx, a.ID)
	if err != nil || string(f.Data) != "%PDF-1.4 x" || f.ContentType != "application/pdf" {
		t.Fatalf("file: %+v %v", f, err)
	}
	if _, err := st.DisclosureFileData(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("no file: %v", err)
	}

	// Withdraw: gone from the default list, kept when asked.
	c.Status, c.WithdrawnReason = "withdrawn", "Nhập nhầm"
	if err := st.UpdateDisclosure(ctx, sys, c, nil, 1, "disclosure.withdraw"); err != nil {
		t.Fatal(err)
	}
	all, err := st.ListDisclosures(ctx, store.DisclosureFilter{})
	if err != nil || len(all) != 2 || all[0].DecidedOn != "2026-02-01" {
		t.Fatalf("list: %+v %v", all, err)
	}
	all, _ = st.ListDisclosures(ctx, store.DisclosureFilter{IncludeWithdrawn: true})
	if len(all) != 3 {
		t.Fatalf("with withdrawn: %d", len(all))
	}
	byUnit, _ := st.ListDisclosures(ctx, store.DisclosureFilter{Units: []int64{w}, Category: "budget", From: "2026-01-01", To: "2026-01-31"})
	if len(byUnit) != 1 || byUnit[0].ID != a.ID {
		t.Fatalf("filtered: %+v", byUnit)
	}
	none, _ := st.ListDisclosures(ctx, store.DisclosureFilter{Units: []int64{}})
	if len(none) != 0 {
		t.Fatalf("no units: %+v", none)
	}
}
