package store_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// TestDocumentRegisters: a submission numbers the report in the register
// named in its context, per body, organ, year and kind, from 1; numbering
// again keeps the number; without a register nothing is numbered, and the
// backfill finds those reports in submission order.
func TestDocumentRegisters(t *testing.T) {
	st, ids, tpl, a := reportFixture(t)
	ward := store.RegisterKey{BodyID: ids["11"], Organ: "state", Year: 2025, Kind: "BC"}
	submit := func(unit string, m int, k *store.RegisterKey) report.Report {
		t.Helper()
		r, err := st.EnsureReport(ctx, a, tpl.ID, ids[unit], window(t, 2025, m))
		if err != nil {
			t.Fatal(err)
		}
		c := ctx
		if k != nil {
			c = store.WithRegister(ctx, *k)
		}
		r, fe, err := st.SubmitReport(c, a, r.ID, r.Version, &store.ReportDraft{Values: report.Values{"cases_received": "2"}})
		if err != nil || len(fe) > 0 {
			t.Fatalf("submit: %v %v", err, fe)
		}
		return r
	}
	aug, sep := submit("11", 8, &ward), submit("11", 9, &ward)
	other := store.RegisterKey{BodyID: ids["10"], Organ: "party", Year: 2025, Kind: "BC"}
	first := submit("10", 8, &other)
	plain := submit("10", 9, nil)
	for _, c := range []struct {
		id   int64
		want int
		k    store.RegisterKey
	}{{aug.ID, 1, ward}, {sep.ID, 2, ward}, {first.ID, 1, other}} {
		n, ok, err := st.ReportNumber(ctx, c.id)
		if err != nil || !ok || n.Number != c.want || n.RegisterKey != c.k {
			t.Errorf("report %d: %+v %v %v, want %d in %+v", c.id, n, ok, err, c.want, c.k)
		}
	}
	if _, ok, err := st.ReportNumber(ctx, plain.ID); ok || err != nil {
		t.Errorf("a report submitted without a register has a number (%v)", err)
	}
	// Numbering again (a resubmission, the backfill) keeps the number.
	if err := st.NumberReport(ctx, a, aug.ID, ward); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := st.ReportNumber(ctx, aug.ID); n.Number != 1 {
		t.Errorf("renumbered: %+v", n)
	}
	if last, err := st.LastNumber(ctx, ward); err != nil || last != 2 {
		t.Errorf("last number %d %v, want 2", last, err)
	}
	un, err := st.UnnumberedReports(ctx, 10)
	if err != nil || len(un) != 1 || un[0].ID != plain.ID || un[0].UnitID != ids["10"] || un[0].SubmittedAt.IsZero() {
		t.Fatalf("unnumbered %+v %v", un, err)
	}
	if err := st.NumberReport(ctx, a, plain.ID, other); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := st.ReportNumber(ctx, plain.ID); n.Number != 2 {
		t.Errorf("backfilled number %+v, want 2", n)
	}
	if un, _ := st.UnnumberedReports(ctx, 10); len(un) != 0 {
		t.Errorf("still unnumbered: %+v", un)
	}
}

// TestDocumentRegistersConcurrent: concurrent issues never give one number
// twice.
func TestDocumentRegistersConcurrent(t *testing.T) {
	st, ids, tpl, a := reportFixture(t)
	k := store.RegisterKey{BodyID: ids["P38"], Organ: "state", Year: 2025, Kind: "BC"}
	var reps []report.Report
	for m := 7; m <= 12; m++ {
		for _, u := range []string{"10", "11"} {
			r, err := st.EnsureReport(ctx, a, tpl.ID, ids[u], window(t, 2025, m))
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, r)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(reps))
	for _, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- st.NumberReport(ctx, a, r.ID, k)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, store.ErrConflict) {
			t.Fatal(err)
		}
	}
	seen := map[int]bool{}
	for _, r := range reps {
		n, ok, err := st.ReportNumber(ctx, r.ID)
		if err != nil || !ok || seen[n.Number] || n.Number < 1 || n.Number > len(reps) {
			t.Errorf("report %d: %+v %v %v (seen %v)", r.ID, n, ok, err, seen)
		}
		seen[n.Number] = true
	}
}

func TestSignerPosition(t *testing.T) {
	st, ids, _, a := reportFixture(t)
	if err := st.SetPosition(ctx, a, a.UserID, "  Phó Chủ tịch "); err != nil {
		t.Fatal(err)
	}
	si, err := st.Signer(ctx, a.UserID)
	if err != nil || si.FullName != "Cán bộ" || si.Position != "Phó Chủ tịch" {
		t.Errorf("signer %+v %v", si, err)
	}
	if _, err := st.Signer(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if err := st.SetPosition(ctx, a, 9999, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("position of an unknown user: %v", err)
	}
	// The unit's head: the user granted unit_head there.
	if _, ok, err := st.UnitHead(ctx, ids["11"]); ok || err != nil {
		t.Errorf("a unit without a head has one (%v)", err)
	}
	if err := st.AddGrant(ctx, sys, a.UserID, authz.RoleUnitOfficer, ids["11"]); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := st.UnitHead(ctx, ids["11"]); ok {
		t.Error("an officer taken for the head")
	}
	if err := st.AddGrant(ctx, sys, a.UserID, authz.RoleUnitHead, ids["11"]); err != nil {
		t.Fatal(err)
	}
	if h, ok, err := st.UnitHead(ctx, ids["11"]); !ok || err != nil || h.FullName != "Cán bộ" || h.Position != "Phó Chủ tịch" {
		t.Errorf("head %+v %v %v", h, ok, err)
	}
}
