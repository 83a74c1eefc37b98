package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoReports loads the demo at two fixed "todays" and checks that the
// history moved with them: most reports of past periods came on time
// (80–95 %), some returned reports wait for correction, some submissions
// wait for review, a few are overdue, the current period is open, and
// State, Party, Front, mass-organisation and commune bodies all report.
func TestDemoReports(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC),
		time.Date(2028, 2, 17, 3, 0, 0, 0, time.UTC),
	} {
		t.Run(now.Format("2006-01-02"), func(t *testing.T) { checkDemoReports(t, now) })
	}
}

func checkDemoReports(t *testing.T, now time.Time) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return now })
	ctx := context.Background()
	start := time.Now()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo loaded in %s", time.Since(start))
	today := now.In(calendar.Vietnam).Format("2006-01-02")
	tpl, err := st.TemplateByCode(ctx, demo.MonthlyTemplate)
	if err != nil {
		t.Fatal(err)
	}
	// The last twelve monthly periods that have begun.
	var ws []report.Window
	y := now.Year()
	for _, yy := range []int{y - 1, y, y + 1} {
		for _, w := range report.Windows(tpl.Rule(), report.Monthly, yy) {
			if w.From.String() <= today {
				ws = append(ws, w)
			}
		}
	}
	ws = ws[len(ws)-12:]
	var due, onTime, open int
	status := map[report.Status]int{}
	overdue := 0
	kinds := map[string]int{}
	for _, w := range ws {
		c, err := st.Completeness(ctx, tpl.ID, w, today)
		if err != nil {
			t.Fatal(err)
		}
		if c.Total.Expected < 180 {
			t.Errorf("%s: %d expected reports, want every commune and body", w.Label, c.Total.Expected)
		}
		due += c.Total.Expected - c.Total.Pending
		onTime += c.Total.OnTime
		open += c.Total.Pending
		overdue += c.Total.Missing
		for _, r := range c.Rows {
			status[r.Status]++
			if r.Status.Received() {
				kinds[r.UnitKind]++
			}
		}
	}
	share := 100 * float64(onTime) / float64(due)
	t.Logf("on time %d of %d due (%.1f %%), %d not yet due, %d overdue, statuses %v, kinds %v", onTime, due, share, open, overdue, status, kinds)
	if share < 80 || share > 95 {
		t.Errorf("on-time share %.1f %%, want 80–95 %%", share)
	}
	if status[report.Returned] < 1 || status[report.Submitted] < 1 || overdue < 1 || open < 1 {
		t.Errorf("want returned, awaiting review, overdue and not yet due reports: %v, %d overdue, %d open", status, overdue, open)
	}
	if overdue > due/10 {
		t.Errorf("%d overdue of %d: the province looks like it is failing", overdue, due)
	}
	for _, k := range []org.Kind{org.KindPartyCommission, org.KindPartyCommittee, org.KindDepartment, org.KindFatherlandFront, org.KindMassOrg, org.KindWard, org.KindCommune} {
		if kinds[string(k)] == 0 {
			t.Errorf("no report received from a %s", k)
		}
	}
	// The demo officers' ward has a returned report and a draft.
	hac, err := st.UnitByCode(ctx, demo.HomeUnitCode, today)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []report.Status{report.Returned, report.Draft} {
		if _, n, err := st.ListReports(ctx, store.ReportFilter{All: true, UnitID: hac.ID, Status: s}); err != nil || n == 0 {
			t.Errorf("Phường Hạc Thành: %d %s reports (%v)", n, s, err)
		}
	}
}
