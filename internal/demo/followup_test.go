package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoFollowup: two inspections with findings and recommendations (one
// overdue), urges of Phường Hạc Thành, notifications for the demo users —
// dated back from the demo's today.
func TestDemoFollowup(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2027, 5, 10, 3, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	ins, total, err := st.ListInspections(ctx, store.Scope{All: true}, "2027-05-10", 10, 0)
	if err != nil || total < 2 {
		t.Fatalf("inspections: %d %v", total, err)
	}
	overdue := 0
	for _, in := range ins {
		full, err := st.GetInspection(ctx, in.ID, "2027-05-10")
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Findings) == 0 || len(full.Recs) == 0 {
			t.Errorf("%s: no findings or recommendations", in.Topic)
		}
		overdue += full.OverdueRecs
	}
	if overdue != 1 {
		t.Errorf("overdue recommendations on 2027-05-10: %d, want 1", overdue)
	}
	for _, name := range []string{"dieuphoi", "truongdonvi", "canbo"} {
		u, err := st.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := st.UnreadCount(ctx, u.ID); err != nil || n == 0 {
			t.Errorf("%s: %d unread notifications (%v)", name, n, err)
		}
	}
	us, n, err := st.ListUrges(ctx, store.UrgeFilter{Scope: store.Scope{All: true}})
	if err != nil || n < 2 || us[0].UnitName != "Phường Hạc Thành" {
		t.Fatalf("urges %d %+v %v", n, us, err)
	}
	for _, u := range us {
		if !strings.Contains(u.Message, "2027") {
			t.Errorf("urge not about the current periods: %q", u.Message)
		}
	}
}
