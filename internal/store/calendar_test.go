package store_test

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestCalendarDecisionsStore(t *testing.T) {
	st := storetest.Open(t)
	d := calendar.MustParseDate

	// The known Tết decisions are there from the first start.
	seeded, err := st.CalendarDecisions(ctx, 2025)
	if err != nil || len(seeded) == 0 {
		t.Fatalf("2025 seed: %d, %v", len(seeded), err)
	}
	cal := st.WorkingCalendar(ctx)
	if !cal.IsHoliday(d("2025-01-27")) || !cal.IsWorkingDay(d("2025-02-08")) || !cal.IsWorkingDay(d("2025-02-03")) {
		t.Error("2025 bridge day, make-up Saturday or return on 3 Feb missing")
	}
	if cal.IsHoliday(d("2027-03-11")) {
		t.Fatal("2027-03-11 off before any decision")
	}

	added, err := st.AddCalendarDecisions(ctx, sys, []store.CalendarDecision{
		{Year: 2027, Kind: store.DecisionExtra, Day: "2027-03-11", Source: "Thông báo thử", SourceURL: "https://example.gov.vn/tb"},
		{Year: 2027, Kind: store.DecisionWorking, Day: "2027-03-20", Source: "Thông báo thử"},
		{Year: 2027, Kind: store.DecisionNoCompensation, Source: "Thông báo thử"},
	})
	if err != nil || len(added) != 3 || added[0].ID == 0 {
		t.Fatalf("add: %+v, %v", added, err)
	}
	// The kept calendar is dropped by the write.
	cal = st.WorkingCalendar(ctx)
	if !cal.IsHoliday(d("2027-03-11")) || !cal.IsWorkingDay(d("2027-03-20")) || !cal.Overrides[2027].NoCompensation {
		t.Errorf("2027 decisions not in the calendar: %+v", cal.Overrides[2027])
	}
	got, err := st.CalendarDecision(ctx, added[0].ID)
	if err != nil || got.Source != "Thông báo thử" || got.SourceURL != "https://example.gov.vn/tb" || got.Day != "2027-03-11" || got.CreatedAt.IsZero() {
		t.Errorf("get: %+v, %v", got, err)
	}

	// The same year, kind and day twice is a conflict, and the batch is not stored.
	_, err = st.AddCalendarDecisions(ctx, sys, []store.CalendarDecision{
		{Year: 2027, Kind: store.DecisionExtra, Day: "2027-03-12", Source: "x"},
		{Year: 2027, Kind: store.DecisionExtra, Day: "2027-03-11", Source: "x"},
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate: %v", err)
	}
	if ds, _ := st.CalendarDecisions(ctx, 2027); len(ds) != 3 {
		t.Errorf("after a failed batch: %d rows", len(ds))
	}

	if err := st.DeleteCalendarDecision(ctx, sys, added[0].ID); err != nil {
		t.Fatal(err)
	}
	if st.WorkingCalendar(ctx).IsHoliday(d("2027-03-11")) {
		t.Error("deleted day still off")
	}
	if err := st.DeleteCalendarDecision(ctx, sys, added[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	entries, _, err := st.ListAudit(ctx, store.AuditFilter{Entity: "calendar_decision"})
	if err != nil || len(entries) != 4 {
		t.Errorf("audit: %d entries, %v", len(entries), err)
	}
}
