package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func followupFixture(t *testing.T) (*store.Store, map[string]int64, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 5, 4, 2, 0, 0, 0, time.UTC) })
	sys := audit.System("test")
	units, users := map[string]int64{}, map[string]int64{}
	for _, u := range []struct{ code, parent string }{{"P", ""}, {"A", "P"}, {"B", "P"}, {"A1", "A"}} {
		x := org.Unit{Code: u.code, Name: "Đơn vị " + u.code, Kind: org.KindCommune, ParentID: units[u.parent], ValidFrom: "2025-07-01"}
		if err := st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		units[u.code] = x.ID
	}
	for _, u := range []struct {
		name, unit string
		role       authz.Role
		disabled   bool
	}{{"head", "A", authz.RoleUnitHead, false}, {"off", "A", authz.RoleUnitOfficer, false}, {"gone", "A", authz.RoleUnitOfficer, true}, {"sub", "A1", authz.RoleUnitHead, false}, {"insp", "P", authz.RoleInspector, false}} {
		acc := account.User{Username: u.name, FullName: u.name, Email: u.name + "@example.vn", PasswordHash: "x"}
		if err := st.CreateUser(ctx, sys, &acc); err != nil {
			t.Fatal(err)
		}
		if err := st.AddGrant(ctx, sys, acc.ID, u.role, units[u.unit]); err != nil {
			t.Fatal(err)
		}
		if u.disabled {
			if err := st.SetUserDisabled(ctx, sys, acc.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		users[u.name] = acc.ID
	}
	return st, units, users
}

func TestNotificationsDedupeAndOutbox(t *testing.T) {
	st, units, users := followupFixture(t)
	ctx := context.Background()
	rs, err := st.UnitRecipients(ctx, units["A"])
	if err != nil || len(rs) != 2 || rs[0].Username != "head" || rs[1].Username != "off" {
		t.Fatalf("recipients of A (exact unit, enabled): %+v %v", rs, err)
	}
	n := store.NewNotification{UserID: users["head"], UnitID: units["A"], Kind: followup.KindReminderDue, Subject: "Nhắc hạn", Body: "Nội dung", Link: "/reports", DedupeKey: "k1", Email: "head@example.vn"}
	if c, err := st.Notify(ctx, audit.System("t"), "reminder", []store.NewNotification{n, n}); err != nil || c != 1 {
		t.Fatalf("first: %d %v", c, err)
	}
	if c, err := st.Notify(ctx, audit.System("t"), "reminder", []store.NewNotification{n}); err != nil || c != 0 {
		t.Fatalf("again: %d %v", c, err)
	}
	out, _ := st.Outbox(ctx, 10)
	if len(out) != 1 || out[0].To != "head@example.vn" || out[0].Body != "Nội dung" {
		t.Fatalf("outbox %+v", out)
	}
	due, err := st.ClaimMail(ctx, "one", time.Minute, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("claim: %d %v", len(due), err)
	}
	if other, _ := st.ClaimMail(ctx, "two", time.Minute, 10); len(other) != 0 {
		t.Fatal("a claimed e-mail was claimed again before its lease ended")
	}
	if err := st.MailFailed(ctx, due[0].ID, "one", "connection refused", st.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if due, _ := st.ClaimMail(ctx, "one", time.Minute, 10); len(due) != 0 {
		t.Fatal("failed mail due before its next attempt")
	}
	// An hour later it is due again; a claim whose lease ran out is taken over.
	now := st.Now()
	st.SetClock(func() time.Time { return now.Add(61 * time.Minute) })
	if due, _ = st.ClaimMail(ctx, "one", time.Minute, 10); len(due) != 1 || due[0].Attempts != 1 {
		t.Fatalf("due again: %+v", due)
	}
	st.SetClock(func() time.Time { return now.Add(63 * time.Minute) })
	if due, _ = st.ClaimMail(ctx, "two", time.Minute, 10); len(due) != 1 {
		t.Fatalf("expired lease not reclaimed: %+v", due)
	}
	if err := st.MailSent(ctx, out[0].ID, "one"); err == nil {
		t.Fatal("a sender whose lease was taken over recorded the delivery")
	}
	if err := st.MailSent(ctx, out[0].ID, "two"); err != nil {
		t.Fatal(err)
	}
	if due, _ := st.ClaimMail(ctx, "one", time.Minute, 10); len(due) != 0 {
		t.Fatal("sent mail claimed again")
	}
	ns, total, err := st.ListNotifications(ctx, users["head"], false, 10, 0)
	if err != nil || total != 1 || ns[0].EmailedAt.IsZero() || ns[0].UnitName != "Đơn vị A" {
		t.Fatalf("list %+v %d %v", ns, total, err)
	}
	if err := st.MarkNotificationRead(ctx, users["off"], ns[0].ID); err == nil {
		t.Fatal("another user marked it read")
	}
	if err := st.MarkNotificationRead(ctx, users["head"], ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.UnreadCount(ctx, users["head"]); c != 0 {
		t.Fatalf("unread %d", c)
	}
}

func TestUrgesAndInspectionsScope(t *testing.T) {
	st, units, users := followupFixture(t)
	ctx := context.Background()
	a := audit.Actor{Name: "coord"}
	for _, u := range []string{"A", "A1", "B"} {
		if err := st.CreateUrge(ctx, a, &store.Urge{UnitID: units[u], Message: "Đôn đốc " + u}, []store.NewNotification{{UserID: users["head"], Subject: "s", Body: "b"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		sc   store.Scope
		want int
	}{{store.Scope{All: true}, 3}, {store.Scope{Roots: []int64{units["A"]}}, 2}, {store.Scope{Roots: []int64{units["A1"]}}, 1}, {store.Scope{}, 0}} {
		if _, n, err := st.ListUrges(ctx, store.UrgeFilter{Scope: c.sc}); err != nil || n != c.want {
			t.Errorf("scope %+v: %d %v", c.sc, n, err)
		}
	}
	if _, n, _ := st.ListUrges(ctx, store.UrgeFilter{Scope: store.Scope{All: true}, UnitID: units["B"]}); n != 1 {
		t.Errorf("by unit: %d", n)
	}
	if c, _ := st.UnreadCount(ctx, users["head"]); c != 3 {
		t.Errorf("head notified %d times", c)
	}
	id, err := st.CreateInspection(ctx, a, followup.InspectionInput{Kind: followup.Inspection, Topic: "Kiểm tra", LeadUnitID: units["P"], UnitIDs: []int64{units["A1"]}, StartOn: "2026-01-05", EndOn: "2026-01-09", MemberIDs: []int64{users["insp"]}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateInspection(ctx, a, followup.InspectionInput{Kind: followup.Supervision, Topic: "Giám sát", LeadUnitID: units["P"], UnitIDs: []int64{units["B"]}, StartOn: "2026-02-05", EndOn: "2026-02-09"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sc   store.Scope
		want int
	}{{store.Scope{All: true}, 2}, {store.Scope{Roots: []int64{units["A"]}}, 1}, {store.Scope{Roots: []int64{units["B"]}}, 1}, {store.Scope{UserID: users["insp"]}, 1}, {store.Scope{UserID: users["head"]}, 0}} {
		if _, n, err := st.ListInspections(ctx, c.sc, "2026-05-04", 10, 0); err != nil || n != c.want {
			t.Errorf("inspections scope %+v: %d %v", c.sc, n, err)
		}
	}
	if _, err := st.AddFinding(ctx, a, id, units["A1"], "Phát hiện"); err != nil {
		t.Fatal(err)
	}
	r := store.Recommendation{InspectionID: id, UnitID: units["A1"], Text: "Khắc phục", DueOn: "2026-04-30"}
	if err := st.AddRecommendation(ctx, a, &r, []store.NewNotification{{UserID: users["sub"], Subject: "s", Body: "b"}}); err != nil {
		t.Fatal(err)
	}
	in, err := st.GetInspection(ctx, id, "2026-05-04")
	if err != nil || len(in.Findings) != 1 || len(in.Recs) != 1 || !in.Recs[0].Overdue || in.OverdueRecs != 1 || len(in.Members) != 1 {
		t.Fatalf("inspection %+v %v", in, err)
	}
	if err := st.RespondRecommendation(ctx, audit.Actor{UserID: users["sub"], Name: "sub"}, r.ID, "Đã khắc phục", true, nil); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetRecommendation(ctx, r.ID, "2026-05-04")
	if err != nil || got.Status != followup.RecDone || got.Overdue || got.ClosedAt.IsZero() {
		t.Fatalf("closed %+v %v", got, err)
	}
	if err := st.RespondRecommendation(ctx, a, 999999, "x", true, nil); err == nil {
		t.Fatal("unknown recommendation answered")
	}
	if _, err := st.GetInspection(ctx, 999999, "2026-05-04"); err == nil {
		t.Fatal("unknown inspection found")
	}
}
