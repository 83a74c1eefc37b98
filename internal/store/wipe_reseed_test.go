package store_test

import (
	"testing"

	"github.com/danvan/danvan/internal/store/storetest"
)

// A wiped database keeps the reference data the migrations seed: the legal
// deadline rules, the recorded calendar decisions and the case categories.
func TestWipeReseeds(t *testing.T) {
	st := storetest.Open(t)
	rules, err := st.DeadlineRules(ctx)
	if err != nil || len(rules) == 0 {
		t.Fatalf("rules: %d %v", len(rules), err)
	}
	days, err := st.CalendarDecisions(ctx, 2026)
	if err != nil || len(days) == 0 {
		t.Fatalf("decisions: %d %v", len(days), err)
	}
	cats, err := st.CaseCategories(ctx)
	if err != nil || len(cats) == 0 {
		t.Fatalf("categories: %d %v", len(cats), err)
	}
	smallTree(t, st)
	if err := st.Wipe(ctx); err != nil {
		t.Fatal(err)
	}
	if empty, err := st.IsEmpty(ctx); err != nil || !empty {
		t.Fatalf("not empty: %v", err)
	}
	again, err := st.DeadlineRules(ctx)
	if err != nil || len(again) != len(rules) {
		t.Fatalf("rules after wipe: %d, want %d (%v)", len(again), len(rules), err)
	}
	if d, err := st.CalendarDecisions(ctx, 2026); err != nil || len(d) != len(days) {
		t.Fatalf("decisions after wipe: %d, want %d (%v)", len(d), len(days), err)
	}
	if c, err := st.CaseCategories(ctx); err != nil || len(c) != len(cats) {
		t.Fatalf("categories after wipe: %d, want %d (%v)", len(c), len(cats), err)
	}
}
