package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoConsultations: one open, one synthesised with social criticism
// and answers, one upcoming; the synthesised one's report is public.
func TestDemoConsultations(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(ctx, service.Deps{Store: st, Cfg: config.Default()})
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.Consult.Public(ctx)
	if err != nil || len(list) != 3 {
		t.Fatalf("%d consultations %v", len(list), err)
	}
	phases := map[string]int64{}
	for _, c := range list {
		phases[c.Phase] = c.ID
	}
	for _, p := range []string{service.PhaseOpen, service.PhaseSynthesised, service.PhaseUpcoming} {
		if phases[p] == 0 {
			t.Fatalf("no %s consultation: %+v", p, phases)
		}
	}
	d, err := svc.Consult.Get(ctx, nil, phases[service.PhaseSynthesised])
	if err != nil || len(d.Criticisms) != 2 || len(d.Answers) != 4 || len(d.Comments) != 3 {
		t.Fatalf("synthesised %v %+v", err, d)
	}
	rows := service.Synthesis(d)
	if len(rows) != 3 || rows[0].Label != "Điều 2" || rows[1].Label != "Khoản 1 Điều 3" || rows[1].Partly != 1 {
		t.Errorf("rows %+v", rows)
	}
	open, _ := svc.Consult.Get(ctx, nil, phases[service.PhaseOpen])
	if len(open.Comments) != 3 || !strings.HasPrefix(open.Passages[5].Label, "Khoản") {
		t.Errorf("open: %d comments, passage 5 %q", len(open.Comments), open.Passages[5].Label)
	}
	if _, _, err := svc.Consult.SynthesisDOCX(ctx, nil, d.ID); err != nil {
		t.Fatal(err)
	}
}
