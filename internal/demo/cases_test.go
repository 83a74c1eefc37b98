package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoCases: the demo holds about a year of cases in many communes and
// some agencies, of every kind and channel, mostly closed, some overdue,
// transferred, second-time complaints linked to the first, ratings,
// encrypted identities readable by the handlers; and dialogues with
// commitments and mediation cases. The same today gives the same cases.
func TestDemoCases(t *testing.T) {
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return now })
	ctx := context.Background()
	start := time.Now()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo loaded in %s", time.Since(start))
	svc := servicetest.New(t, st)
	sys := service.SystemPrincipal()
	rows, err := svc.Cases.Export(ctx, sys, service.CaseExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 1500 || len(rows) > 4000 {
		t.Fatalf("%d demo cases", len(rows))
	}
	kinds, channels, statuses, units := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	late, rated := 0, 0
	oldest := rows[0].ReceivedOn
	for _, r := range rows {
		kinds[r.Kind]++
		channels[r.Channel]++
		statuses[r.Status]++
		units[r.UnitCode]++
		if r.DaysLate > 0 && r.Status != service.CaseClosed {
			late++
		}
		if r.Rating > 0 {
			rated++
		}
	}
	t.Logf("kinds %v channels %v statuses %v units %d late %d rated %d", kinds, channels, statuses, len(units), late, rated)
	for _, k := range service.CaseKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s case", k)
		}
	}
	for _, c := range service.CaseChannels {
		if channels[c] == 0 {
			t.Errorf("no case on channel %s", c)
		}
	}
	if oldest > "2025-11-26" || statuses[service.CaseClosed] < len(rows)/2 || late < 20 || rated < len(rows)/5 ||
		statuses[service.CaseTransferred]+statuses[service.CaseRefused]+statuses[service.CaseReceived]+statuses[service.CaseAccepted] == 0 || len(units) < 120 {
		t.Errorf("demo cases not spread: oldest %s, statuses %v, %d late, %d rated, %d units", oldest, statuses, late, rated, len(units))
	}
	for _, a := range []string{"S-NNMT", "S-YT", "TTT", "UBND"} {
		if units[a] == 0 {
			t.Errorf("no case at agency %s", a)
		}
	}
	// Escalation: transfers in the history, second complaints linked.
	cs, _, err := st.ListCases(ctx, store.CaseFilter{Kind: service.CaseComplaint2, Limit: 5})
	if err != nil || len(cs) == 0 || cs[0].ParentCaseID == 0 {
		t.Fatalf("second complaints: %+v %v", cs, err)
	}
	id, err := svc.Cases.Identity(ctx, sys, cs[0].ID)
	if err != nil || id == nil || id.Name == "" || id.Address == "" {
		t.Fatalf("identity: %+v %v", id, err)
	}
	if cases, _ := svc.Cases.Track(ctx, rows[0].TrackingCode); len(cases.History) == 0 {
		t.Fatalf("no public history: %+v", cases)
	}
	// Dialogues with commitments, some overdue; mediation cases.
	ds, err := svc.Civic.ListDialogues(ctx, sys)
	if err != nil || len(ds) < 4 {
		t.Fatalf("dialogues: %d %v", len(ds), err)
	}
	over, err := svc.Civic.OverdueCommitments(ctx, sys)
	if err != nil || len(over) == 0 {
		t.Fatalf("overdue commitments: %d %v", len(over), err)
	}
	ms, err := svc.Civic.ListMediations(ctx, sys)
	if err != nil || len(ms) < 10 {
		t.Fatalf("mediations: %d %v", len(ms), err)
	}

	// Deterministic: the same today draws the same first cases.
	st2 := storetest.Open(t)
	st2.SetClock(func() time.Time { return now })
	if err := demo.Load(ctx, st2); err != nil {
		t.Fatal(err)
	}
	rows2, err := servicetest.New(t, st2).Cases.Export(ctx, sys, service.CaseExportFilter{})
	if err != nil || len(rows2) != len(rows) {
		t.Fatalf("not deterministic: %d vs %d cases (%v)", len(rows2), len(rows), err)
	}
	for i := range rows {
		a, b := rows[i], rows2[i]
		// Cases opened at today's reception sessions go through the
		// service, which draws their tracking codes at random.
		if a.Channel == service.ChannelReception && a.ReceivedOn == b.ReceivedOn {
			a.TrackingCode, b.TrackingCode = "", ""
		}
		if a != b {
			t.Fatalf("not deterministic at row %d: %+v vs %+v", i, a, b)
		}
	}
}
