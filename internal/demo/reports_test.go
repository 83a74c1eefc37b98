package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoReports loads the demo at a fixed "today" (25 Nov 2026) and
// checks the lived-in mix of report statuses and the completeness figures
// on both sides of the 2025 reform.
func TestDemoReports(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	start := time.Now()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo loaded in %s", time.Since(start))
	tpl, err := st.TemplateByCode(ctx, demo.MonthlyTemplate)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[report.Status]int{}
	for _, s := range report.Statuses {
		_, n, err := st.ListReports(ctx, store.ReportFilter{All: true, Status: s})
		if err != nil {
			t.Fatal(err)
		}
		counts[s] = n
	}
	t.Logf("reports by status: %v", counts)
	if counts[report.Accepted] < 200 || counts[report.Submitted] < 3 || counts[report.Returned] < 2 || counts[report.Draft] < 2 {
		t.Fatalf("status mix: %v", counts)
	}
	// Before the reform the old communes report, after it the new ones.
	for _, c := range []struct{ y, m int }{{2025, 3}, {2025, 9}, {2026, 10}} {
		w := report.Windows(tpl.Rule(), report.Monthly, c.y)[c.m-1]
		comp, err := st.Completeness(ctx, tpl.ID, w, "2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		commune := comp.ByLevel["commune"]
		t.Logf("%s: %+v", w.Label, comp.Total)
		if c.y == 2025 && c.m == 3 && commune.Expected < 500 {
			t.Errorf("%s: %d communes expected, want the ~549 old ones", w.Label, commune.Expected)
		}
		if c.m != 3 && (commune.Expected < 160 || commune.Expected > 170) {
			t.Errorf("%s: %d communes expected, want the 166 new ones", w.Label, commune.Expected)
		}
		if comp.Total.Received == 0 || comp.Total.Missing == 0 {
			t.Errorf("%s: %+v", w.Label, comp.Total)
		}
	}
}
