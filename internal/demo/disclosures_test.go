package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoDisclosures: a few dozen communes publish, most on time, some
// late, some waiting, one withdrawn; the portal groups the communes by
// former district and counts the overdue.
func TestDemoDisclosures(t *testing.T) {
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return now })
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	svc := servicetest.New(t, st)
	all, err := svc.Disclosures.List(ctx, service.DisclosureQuery{})
	if err != nil {
		t.Fatal(err)
	}
	units := map[int64]bool{}
	late, waiting, withdrawn, onTime := 0, 0, 0, 0
	for _, d := range all {
		units[d.UnitID] = true
		switch {
		case d.Status == service.DisclosureWithdrawn:
			withdrawn++
		case d.Overdue:
			late++
		case d.PublishedOn == "":
			waiting++
		default:
			onTime++
		}
		if d.DueOn <= d.DecidedOn {
			t.Errorf("due %s not after decision %s", d.DueOn, d.DecidedOn)
		}
	}
	if len(units) < 30 || late < 5 || waiting < 5 || withdrawn != 1 || onTime < late*3 {
		t.Fatalf("communes %d, late %d, waiting %d, withdrawn %d, on time %d", len(units), late, waiting, withdrawn, onTime)
	}
	h, err := svc.Portal.Home(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.Checks.DisclosuresOverdue != late || len(h.Districts) < 20 || h.Districts[0].Name == "" {
		t.Fatalf("portal: overdue %d, districts %d", h.Checks.DisclosuresOverdue, len(h.Districts))
	}
}
