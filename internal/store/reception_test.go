package store_test

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestReceptionStore(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w, x := ids["11"], ids["10"]
	mk := func(unit int64, day, start string) *store.ReceptionSession {
		r := &store.ReceptionSession{UnitID: unit, LeaderName: "Trần Minh Đức", LeaderPosition: "chairman", HeldOn: day,
			StartTime: start, EndTime: "11:30", Place: "Trụ sở", Status: "planned"}
		if err := st.CreateReceptionSession(ctx, sys, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := mk(w, "2025-08-04", "07:30")
	mk(w, "2025-08-04", "07:00")
	mk(x, "2025-08-11", "08:00")
	c := mk(w, "2025-09-01", "07:30")
	if a.ID == 0 || a.Version != 1 {
		t.Fatalf("create: %+v", a)
	}

	// Cancel under the version lock; a stale write is refused.
	a.Status, a.CancelReason = "cancelled", "Họp đột xuất"
	if err := st.UpdateReceptionSession(ctx, sys, a, 1, "reception.cancel"); err != nil || a.Version != 2 {
		t.Fatalf("update: %v %d", err, a.Version)
	}
	if err := st.UpdateReceptionSession(ctx, sys, a, 1, "reception.cancel"); !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale: %v", err)
	}
	if err := st.UpdateReceptionSession(ctx, sys, &store.ReceptionSession{ID: 9999}, 1, "reception.update"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}

	// The book, one visit linked to a case.
	cs := newCase("TH-2025-RCPT01", w)
	if err := st.CreateCase(ctx, sys, cs, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []store.ReceptionVisit{
		{SessionID: c.ID, At: "09:00", People: 5, Delegation: true, Subject: "Đền bù giải phóng mặt bằng", Kind: "complaint", Outcome: "case_opened", CaseID: cs.ID},
		{SessionID: c.ID, At: "08:00", People: 1, Subject: "Hỏi thủ tục", Kind: "other", Outcome: "guided"},
	} {
		if err := st.AddReceptionVisit(ctx, sys, &v); err != nil || v.ID == 0 {
			t.Fatalf("visit: %v", err)
		}
	}
	got, err := st.GetReceptionSession(ctx, c.ID)
	if err != nil || len(got.Visits) != 2 || got.Visits[0].At != "08:00" || got.Visits[1].CaseCode != "TH-2025-RCPT01" || !got.Visits[1].Delegation || got.UnitName != "Phường Hạc Thành" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := st.GetReceptionSession(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}

	// Listing: by day and start time, filters, paging with the total.
	all, total, err := st.ListReceptionSessions(ctx, store.ReceptionFilter{})
	if err != nil || total != 4 || all[0].StartTime != "07:00" || all[1].ID != a.ID || all[3].ID != c.ID || all[0].Visits != nil {
		t.Fatalf("all: %+v %d %v", all, total, err)
	}
	page, total, err := st.ListReceptionSessions(ctx, store.ReceptionFilter{UnitIDs: []int64{w}, From: "2025-08-01", To: "2025-08-31", Limit: 1, Offset: 1})
	if err != nil || total != 2 || len(page) != 1 || page[0].ID != a.ID || page[0].Status != "cancelled" || page[0].CancelReason != "Họp đột xuất" {
		t.Fatalf("page: %+v %d %v", page, total, err)
	}
	live, total, err := st.ListReceptionSessions(ctx, store.ReceptionFilter{Statuses: []string{"planned", "held"}, To: "2025-08-31"})
	if err != nil || total != 2 || len(live) != 2 {
		t.Fatalf("statuses: %+v %d %v", live, total, err)
	}
	none, total, err := st.ListReceptionSessions(ctx, store.ReceptionFilter{UnitIDs: []int64{}})
	if err != nil || total != 0 || len(none) != 0 {
		t.Fatalf("no units: %v %d %v", none, total, err)
	}
}
