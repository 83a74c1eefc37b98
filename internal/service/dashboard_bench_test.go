package service_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"syscall"
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
// median and slowest time over at least 5 reads. The target is < 50 ms for
// every read. Run it once: go test -run X -bench Dashboard -benchtime 1x.
func BenchmarkDashboard(b *testing.B) {
	ctx := context.Background()
	communes := 2084
	if v, err := strconv.Atoi(os.Getenv("DANVAN_BENCH_COMMUNES")); err == nil && v > 0 {
		communes = v
	}
	svc, units := buildDashBench(b, communes)
	sys := service.SystemPrincipal()
	scopes := []struct {
		name string
		unit int64
	}{{"nation", units[0]}, {"province", units[1]}, {"commune", units[2]}}
	b.ResetTimer()
	for _, s := range scopes {
		var ts []time.Duration
		cpu0 := cpuTime()
		for range max(b.N, 10) {
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
		cpu := (cpuTime() - cpu0) / time.Duration(len(ts))
		slices.Sort(ts)
		p50, worst := ts[len(ts)/2], ts[len(ts)-1]
		b.ReportMetric(float64(p50.Microseconds())/1000, s.name+"_p50_ms")
		// CPU time per read (this process, database included on SQLite) says
		// what a read costs when the machine is shared.
		fmt.Printf("dashboard %-8s p50 %6.1f ms  max %6.1f ms  cpu/read %6.1f ms  (%d reads)\n", s.name,
			ms(p50), ms(worst), ms(cpu), len(ts))
	}
}

func buildDashBench(b *testing.B, communes int) (*service.Services, [3]int64) {
	ctx := context.Background()
	st := storetest.Open(b)
	start := time.Now()
	d, err := st.BenchLoad(ctx, store.BenchParams{Provinces: 20, Communes: communes, Indicators: 4, Periods: 48, FirstYear: 2022}, func(string) {})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.RebuildAggregates(ctx, d.TemplateID); err != nil {
		b.Fatal(err)
	}
	if st.Dialect() == store.Postgres {
		// What autovacuum does after a bulk load: the planner needs statistics.
		if _, err := st.DB().ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	sc := report.Assignment{TemplateID: d.TemplateID, UnitID: d.NationID, Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5, WorkingDays: true}}}
	if err := st.CreateSchedule(ctx, audit.System("bench"), &sc); err != nil {
		b.Fatal(err)
	}
	st.SetClock(func() time.Time { return time.Date(2026, 1, 20, 3, 0, 0, 0, time.UTC) })
	svc := servicetest.New(b, st)
	fmt.Printf("dashboard bench on %s: %d reports, built in %.1fs\n", st.Dialect(), d.Reports, time.Since(start).Seconds())
	return svc, [3]int64{d.NationID, d.Provinces[0], d.Communes[0]}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
