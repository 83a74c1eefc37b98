package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestQueueCase: many concurrent intakes share commits; each is stored
// with its event and audit entry, and a taken tracking code fails that
// case alone.
func TestQueueCase(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w := ids["11"]
	if err := st.CreateCase(ctx, sys, newCase("TH-2025-TAKEN0", w), store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	const n = 300
	errs := make([]error, n)
	cases := make([]*store.Case, n)
	var wg sync.WaitGroup
	for i := range n {
		code := fmt.Sprintf("TH-2025-Q%05d", i)
		if i == 137 {
			code = "TH-2025-TAKEN0"
		}
		cases[i] = newCase(code, w)
		wg.Go(func() {
			errs[i] = st.QueueCase(ctx, sys, cases[i], store.CaseEvent{Action: "receive", Public: true})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i == 137 {
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("taken code: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		got, err := st.CaseByCode(ctx, cases[i].TrackingCode)
		if err != nil || got.ID != cases[i].ID {
			t.Fatalf("case %d stored: %+v %v", i, got, err)
		}
		evs, err := st.CaseEvents(ctx, got.ID, true)
		if err != nil || len(evs) != 1 {
			t.Fatalf("case %d events: %+v %v", i, evs, err)
		}
	}
	// One audit entry per stored case (the taken code's first one included).
	_, total, err := st.ListAudit(ctx, store.AuditFilter{Action: "case.create"})
	if err != nil || total != n {
		t.Fatalf("audit entries: %d %v", total, err)
	}
	if _, err := st.VerifyAudit(ctx); err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	// A cancelled caller is answered without storing its case.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := st.QueueCase(cctx, sys, newCase("TH-2025-CANCEL", w), store.CaseEvent{Action: "receive"}); err == nil {
		t.Fatal("cancelled intake stored")
	}
}

// TestSeedCases: a seed list is stored whole with histories and parents,
// or not at all.
func TestSeedCases(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w := ids["11"]
	day := time.Date(2025, 8, 4, 2, 0, 0, 0, time.UTC)
	first := *newCase("TH-2025-SEED01", w)
	first.Status, first.CreatedAt, first.ClosedAt, first.Rating, first.ResolveDue = "closed", day, day.Add(240*time.Hour), 4, "2025-09-03"
	second := *newCase("TH-2025-SEED02", w)
	second.Kind = "complaint2"
	seeds := []store.CaseSeed{
		{Case: first, Events: []store.CaseEvent{{Action: "receive", Public: true, At: day}, {Action: "close", Public: true, At: day.Add(240 * time.Hour)}}},
		{Case: second, ParentCode: "TH-2025-SEED01", Events: []store.CaseEvent{{Action: "receive", Public: true}}},
	}
	got, err := st.SeedCases(ctx, sys, "case.import", seeds)
	if err != nil || len(got) != 2 {
		t.Fatalf("seed: %v %v", got, err)
	}
	c1, err := st.GetCase(ctx, got[0])
	if err != nil || c1.Status != "closed" || c1.Rating != 4 || !c1.CreatedAt.Equal(day) || c1.ClosedAt.IsZero() || c1.ResolveDue != "2025-09-03" {
		t.Fatalf("first: %+v %v", c1, err)
	}
	c2, err := st.GetCase(ctx, got[1])
	if err != nil || c2.ParentCaseID != got[0] {
		t.Fatalf("second: %+v %v", c2, err)
	}
	if evs, _ := st.CaseEvents(ctx, got[0], true); len(evs) != 2 || !evs[1].At.Equal(day.Add(240*time.Hour)) {
		t.Fatalf("history: %+v", evs)
	}
	// All or nothing: a taken code stores none of the list.
	again := []store.CaseSeed{{Case: *newCase("TH-2025-SEED03", w)}, {Case: *newCase("TH-2025-SEED01", w)}}
	if _, err := st.SeedCases(ctx, sys, "case.import", again); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("taken code: %v", err)
	}
	if _, err := st.CaseByCode(ctx, "TH-2025-SEED03"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("partial seed stored: %v", err)
	}
	if _, err := st.VerifyAudit(ctx); err != nil {
		t.Fatalf("audit chain: %v", err)
	}
}
