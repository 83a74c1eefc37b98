package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoReception: a year of sessions with the book and conclusion
// notices, a session today whose visits opened cases, and warnings for a
// few leaders this month — on a Monday and on a Wednesday.
func TestDemoReception(t *testing.T) {
	for _, now := range []time.Time{time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), time.Date(2027, 5, 12, 3, 0, 0, 0, time.UTC)} {
		st := storetest.Open(t)
		st.SetClock(func() time.Time { return now })
		ctx := context.Background()
		if err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		today := now.Format("2006-01-02")
		all, total, err := st.ListReceptionSessions(ctx, store.ReceptionFilter{})
		if err != nil || total < 300 {
			t.Fatalf("%s: %d sessions %v", today, total, err)
		}
		held, cancelled, concluded, todays := 0, 0, 0, 0
		var todayID int64
		for _, s := range all {
			switch s.Status {
			case service.SessionHeld:
				held++
			case service.SessionCancelled:
				cancelled++
			}
			if s.ConclusionNo != "" {
				concluded++
			}
			if s.HeldOn == today && s.UnitName == "Phường Hạc Thành" {
				todays++
				todayID = s.ID
			}
		}
		if held < 200 || cancelled == 0 || concluded < 150 || todays != 1 {
			t.Errorf("%s: held %d, cancelled %d, concluded %d, Hạc Thành today %d", today, held, cancelled, concluded, todays)
		}
		s, err := st.GetReceptionSession(ctx, todayID)
		cases := 0
		for _, v := range s.Visits {
			if v.CaseCode != "" {
				cases++
			}
		}
		if err != nil || cases != 2 {
			t.Errorf("%s: today's session opened %d cases (%v)", today, cases, err)
		}
		svc, err := service.New(ctx, service.Deps{Store: st, Cfg: config.Default(), Policy: account.DefaultPolicy})
		if err != nil {
			t.Fatal(err)
		}
		ws, err := svc.Reception.Warnings(ctx, nil, 0, today[:8]+"01", today)
		if err != nil || len(ws) < 2 {
			t.Errorf("%s: warnings %v %v", today, ws, err)
		}
	}
}
