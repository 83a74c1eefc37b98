package store_test

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/legal"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestDeadlineRulesStore(t *testing.T) {
	st := storetest.Open(t)

	// Migration 0016 seeds exactly the default table of internal/legal.
	stored, err := st.DeadlineRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]store.DeadlineRule{}
	for _, r := range stored {
		byKey[r.Key] = r
	}
	defaults := legal.Defaults()
	if len(stored) != len(defaults) {
		t.Fatalf("%d seeded rules, want %d", len(stored), len(defaults))
	}
	for _, want := range defaults {
		got, ok := byKey[want.Key]
		if !ok || got.Days != want.Days || got.WorkingDays != want.WorkingDays || got.RemoteDays != want.RemoteDays ||
			got.EffectiveFrom != want.EffectiveFrom.String() || got.Basis != want.Basis || got.Name != want.Name {
			t.Errorf("seeded %s = %+v, want %+v", want.Key, got, want)
		}
	}

	in := store.DeadlineRule{Key: legal.ComplaintAccept, Days: 7, WorkingDays: true, EffectiveFrom: "2026-07-01", Basis: "Nghị định thử", Name: "Thụ lý khiếu nại"}
	added, err := st.AddDeadlineRule(ctx, sys, in)
	if err != nil || added.ID == 0 || added.CreatedAt.IsZero() {
		t.Fatalf("add: %+v, %v", added, err)
	}
	// The same key and effective date twice is a conflict.
	if _, err := st.AddDeadlineRule(ctx, sys, in); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate version: %v", err)
	}
	after, err := st.DeadlineRules(ctx)
	if err != nil || len(after) != len(defaults)+1 {
		t.Fatalf("after add: %d rules, %v", len(after), err)
	}
	var versions []store.DeadlineRule
	for _, r := range after {
		if r.Key == legal.ComplaintAccept {
			versions = append(versions, r)
		}
	}
	if len(versions) != 2 || versions[0].EffectiveFrom != "2012-07-01" || versions[1].Days != 7 || !versions[1].WorkingDays {
		t.Errorf("complaint.accept versions: %+v", versions)
	}
}
