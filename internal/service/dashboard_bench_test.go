package service_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// BenchmarkDashboard reads the dashboard of the nation, a province and a
// commune over about 100,000 submitted reports (48 monthly periods of 2,084
// communes; DANVAN_BENCH_COMMUNES changes the size) and prints each read's
// median and slowest time. The target is < 50 ms for every read.
func BenchmarkDashboard(b *testing.B) {
	ctx := context.Background()
	communes := 2084
	if v, err := strconv.Atoi(os.Getenv("DANVAN_BENCH_COMMUNES")); err == nil && v > 0 {
		communes = v
	}
	st := storetest.Open(b)
	start := time.Now()
	d, err := st.BenchLoad(ctx, store.BenchParams{Provinces: 20, Communes: communes, Indicators: 4, Periods: 48, FirstYear: 2022}, func(string) {})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.RebuildAggregates(ctx, d.TemplateID); err != nil {
		b.Fatal(err)
	}
	sc := report.Assignment{TemplateID: d.TemplateID, UnitID: d.NationID, Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5, WorkingDays: true}}}
	if err := st.CreateSchedule(ctx, audit.System("bench"), &sc); err != nil {
		b.Fatal(err)
	}
	st.SetClock(func() time.Time { return time.Date(2026, 1, 20, 3, 0, 0, 0, time.UTC) })
	svc := servicetest.New(b, st)
	fmt.Printf("dashboard bench on %s: %d reports, built in %.1fs\n", st.Dialect(), d.Reports, time.Since(start).Seconds())
	sys := service.SystemPrincipal()
	scopes := []struct {
		name string
		unit int64
	}{{"nation", d.NationID}, {"province", d.Provinces[0]}, {"commune", d.Communes[0]}}
	b.ResetTimer()
	for _, s := range scopes {
		var ts []time.Duration
		for range max(b.N, 5) {
			t0 := time.Now()
			dash, err := svc.FollowUp.Dashboard(ctx, sys, service.DashboardInput{UnitID: s.unit, Lang: "vi"})
			if err != nil {
				b.Fatal(err)
			}
			ts = append(ts, time.Since(t0))
			if len(dash.Completeness) == 0 || len(dash.Problems) > 0 {
				b.Fatalf("%s: completeness %d, problems %v", s.name, len(dash.Completeness), dash.Problems)
			}
		}
		slices.Sort(ts)
		p50, worst := ts[len(ts)/2], ts[len(ts)-1]
		b.ReportMetric(float64(p50.Microseconds())/1000, s.name+"_p50_ms")
		fmt.Printf("dashboard %-8s p50 %6.1f ms  max %6.1f ms  (%d reads)\n", s.name, float64(p50.Microseconds())/1000, float64(worst.Microseconds())/1000, len(ts))
	}
}
