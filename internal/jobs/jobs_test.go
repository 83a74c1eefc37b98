package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/jobs"
	"github.com/danvan/danvan/internal/mail"
	"github.com/danvan/danvan/internal/mail/smtptest"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

type fixture struct {
	st    *store.Store
	now   time.Time
	units map[string]int64
	users map[string]int64
}

func (f *fixture) at(vnDate string) {
	d, err := time.ParseInLocation("2006-01-02 15:04", vnDate+" 10:00", time.FixedZone("ICT", 7*3600))
	if err != nil {
		panic(err)
	}
	f.now = d.UTC()
}

// exec runs fixture SQL for tables this package does not own (the reports
// schema); values are literals so the text suits both engines.
func (f *fixture) exec(t *testing.T, q string) {
	t.Helper()
	if _, err := f.st.DB().ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{st: storetest.Open(t), units: map[string]int64{}, users: map[string]int64{}}
	f.at("2026-03-01")
	f.st.SetClock(func() time.Time { return f.now })
	sys := audit.System("test")
	for _, u := range []struct {
		code, name string
		kind       org.Kind
		parent     string
		from       string
	}{
		{"P38", "Tỉnh Thanh Hóa", org.KindProvince, "", "2000-01-01"},
		{"W1", "Phường Hạc Thành", org.KindWard, "P38", "2025-07-01"},
		{"W2", "Xã Đông Sơn", org.KindCommune, "P38", "2025-07-01"},
	} {
		x := org.Unit{Code: u.code, Name: u.name, Kind: u.kind, ParentID: f.units[u.parent], ValidFrom: u.from}
		if err := f.st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		f.units[u.code] = x.ID
	}
	for _, u := range []struct {
		name, email, locale string
		role                authz.Role
		unit                string
	}{
		{"truong", "truong@hacthanh.example.vn", "", authz.RoleUnitHead, "W1"},
		{"canbo", "canbo@hacthanh.example.vn", "en", authz.RoleUnitOfficer, "W1"},
		{"xa", "", "", authz.RoleUnitOfficer, "W2"},
		{"dieuphoi", "dp@example.vn", "", authz.RoleCoordinator, "P38"},
	} {
		acc := account.User{Username: u.name, FullName: "Đồng chí " + u.name, Email: u.email, Locale: u.locale, PasswordHash: "x"}
		if err := f.st.CreateUser(ctx, sys, &acc); err != nil {
			t.Fatal(err)
		}
		if err := f.st.AddGrant(ctx, sys, acc.ID, u.role, f.units[u.unit]); err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = acc.ID
	}
	f.exec(t, `INSERT INTO report_templates (id, code, name, period_type, cutoff_day, definition, created_at, updated_at)
		VALUES (501, 'DV-THANG', 'Báo cáo công tác dân vận', 'monthly', 15, '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`)
	f.exec(t, fmt.Sprintf(`INSERT INTO report_schedules (template_id, unit_id, unit_kinds, deadlines, created_at)
		VALUES (501, %d, 'ward,commune', '[{"level":"commune","days_after_end":3,"working_days":false}]', '2026-01-01T00:00:00Z')`, f.units["P38"]))
	return f
}

// March 2026 (window 15 Feb – 14 Mar) is due on Tuesday 17 Mar 2026.
func (f *fixture) addReport(t *testing.T, id int64, unit, status string) {
	f.exec(t, fmt.Sprintf(`INSERT INTO reports (id, template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, created_at, updated_at)
		VALUES (%d, 501, %d, 'monthly', 2026, 3, '2026-02-15', '2026-03-14', '2026-03-17', '%s', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`, id, f.units[unit], status))
}

func (f *fixture) notes(t *testing.T, user string) []store.Notification {
	t.Helper()
	ns, _, err := f.st.ListNotifications(context.Background(), f.users[user], false, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Only March 2026: earlier windows may also be in a reminder stage.
	var out []store.Notification
	for _, n := range ns {
		if strings.Contains(n.Subject, "3/2026") {
			out = append(out, n)
		}
	}
	return out
}

func TestRemindersWithFixedClock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cfg := config.Default()
	opts := jobs.Options{Reminders: followup.DefaultReminders}
	f.addReport(t, 9001, "W2", "submitted") // W2 is done; W1 has not even started (missing)

	run := func(day string) int {
		t.Helper()
		f.at(day)
		n, err := jobs.RunReminders(ctx, f.st, cfg, opts)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	run("2026-03-10") // 7 days before: nothing for March
	if got := len(f.notes(t, "truong")); got != 0 {
		t.Fatalf("7 days before: %d reminders", got)
	}
	run("2026-03-14")
	ns := f.notes(t, "truong")
	if len(ns) != 1 || ns[0].Kind != followup.KindReminderDue || !strings.Contains(ns[0].Subject, "Báo cáo công tác dân vận") || !strings.Contains(ns[0].Body, "Phường Hạc Thành") || ns[0].Link != "/reports" {
		t.Fatalf("3 days before: %+v", ns)
	}
	if en := f.notes(t, "canbo"); len(en) != 1 || !strings.HasPrefix(en[0].Subject, "Reminder:") {
		t.Fatalf("officer (English): %+v", en)
	}
	if got := f.notes(t, "xa"); len(got) != 0 {
		t.Fatalf("W2 submitted but reminded: %+v", got)
	}
	if n := run("2026-03-14"); n != 0 {
		t.Fatalf("second run the same day created %d", n)
	}
	if n := run("2026-03-15"); n != 0 {
		t.Fatalf("next day, same stage, created %d", n)
	}
	run("2026-03-16") // 1 day before
	if got := len(f.notes(t, "truong")); got != 2 {
		t.Fatalf("1 day before: %d", got)
	}
	f.addReport(t, 9002, "W1", "draft") // started, not sent
	run("2026-03-18")                   // 1 day late
	ns = f.notes(t, "truong")
	if len(ns) != 3 || ns[0].Kind != followup.KindReminderLate || !strings.Contains(ns[0].Subject, "Quá hạn") || ns[0].Link != "/reports/9002" {
		t.Fatalf("1 day late: %+v", ns)
	}
	if n := run("2026-03-18"); n != 0 {
		t.Fatalf("idempotent: %d", n)
	}
	run("2026-03-20") // 3 days late
	if got := len(f.notes(t, "truong")); got != 4 {
		t.Fatalf("3 days late: %d", got)
	}
	f.exec(t, `UPDATE reports SET status = 'submitted' WHERE id = 9002`)
	run("2026-03-24") // 7 days late, but submitted now
	if got := len(f.notes(t, "truong")); got != 4 {
		t.Fatalf("submitted report still reminded: %d", got)
	}
	if n, _ := f.st.UnreadCount(ctx, f.users["truong"]); n < 4 {
		t.Fatalf("unread %d", n)
	}
	// E-mail is disabled: nothing queued.
	if out, _ := f.st.Outbox(ctx, 10); len(out) != 0 {
		t.Fatalf("outbox without SMTP: %d", len(out))
	}
}

func decode(t *testing.T, data []byte) (string, string) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subj, string(b)
}

func TestOutboxRetriesUntilServerIsUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Reserve an address, then close it: the server is "down".
	srv, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr
	srv.Close()
	cfg := config.Default()
	cfg.SMTP = config.SMTP{Addr: addr, From: "Ban Tuyên giáo và Dân vận <no-reply@danvan.example.vn>"}
	cfg.BaseURL = "https://danvan.example.vn"
	f.at("2026-03-14")
	n, err := jobs.RunReminders(ctx, f.st, cfg, jobs.Options{})
	if err != nil || n == 0 {
		t.Fatalf("reminders: %d %v", n, err)
	}
	// truong and canbo have addresses (xa has none; W2 has no report and is reminded in the app only).
	out, _ := f.st.Outbox(ctx, 100)
	march := 0
	for _, m := range out {
		if strings.Contains(m.Subject, "3/2026") {
			march++
		}
	}
	if march != 2 {
		t.Fatalf("queued %d March e-mails: %+v", march, out)
	}
	sender := mail.NewSender(cfg.SMTP)
	sender.Timeout = 2 * time.Second
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sent, failed, err := jobs.DeliverOutbox(ctx, f.st, sender, log)
	if err != nil || sent != 0 || failed != len(out) {
		t.Fatalf("server down: sent %d failed %d err %v", sent, failed, err)
	}
	out, _ = f.st.Outbox(ctx, 100)
	for _, m := range out {
		if m.Attempts != 1 || m.LastError == "" || !m.SentAt.IsZero() {
			t.Fatalf("after failure: %+v", m)
		}
	}
	// Not due again before the backoff.
	if sent, failed, _ := jobs.DeliverOutbox(ctx, f.st, sender, log); sent+failed != 0 {
		t.Fatalf("retried before backoff: %d %d", sent, failed)
	}
	// The server comes back on the same address.
	srv, err = smtptest.StartAt(addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	defer srv.Close()
	f.now = f.now.Add(jobs.Backoff(0) + time.Second)
	sent, failed, err = jobs.DeliverOutbox(ctx, f.st, sender, log)
	if err != nil || failed != 0 || sent != len(out) {
		t.Fatalf("server up: sent %d failed %d err %v", sent, failed, err)
	}
	var found bool
	for _, m := range srv.Messages() {
		subj, body := decode(t, m.Data)
		if m.To[0] == "truong@hacthanh.example.vn" && strings.Contains(subj, "3/2026") {
			found = true
			if !strings.HasPrefix(subj, "Nhắc hạn: Báo cáo công tác dân vận tháng 3/2026") {
				t.Errorf("subject %q", subj)
			}
			if !strings.Contains(body, "Phường Hạc Thành phải gửi trước hết ngày 17/03/2026") || !strings.Contains(body, "https://danvan.example.vn/reports") {
				t.Errorf("body %q", body)
			}
		}
	}
	if !found {
		t.Fatal("truong's March reminder did not arrive")
	}
	ns := f.notes(t, "truong")
	if len(ns) != 1 || ns[0].EmailedAt.IsZero() {
		t.Fatalf("notification not stamped e-mailed: %+v", ns)
	}
	if sent, failed, _ := jobs.DeliverOutbox(ctx, f.st, sender, log); sent+failed != 0 {
		t.Fatal("delivered twice")
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{0, time.Minute}, {1, 2 * time.Minute}, {3, 8 * time.Minute}, {20, 6 * time.Hour}} {
		if got := jobs.Backoff(c.n); got != c.want {
			t.Errorf("Backoff(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

func TestStartStops(t *testing.T) {
	f := newFixture(t)
	stop := jobs.Start(context.Background(), f.st, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not return")
	}
}

// TestOutboxTwoRunnersSendOnce: two senders (two replicas) deliver one
// outbox at the same time; each claims its own rows, so every e-mail
// arrives exactly once.
func TestOutboxTwoRunnersSendOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	srv, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const n = 200
	var notes []store.NewNotification
	for i := range n {
		notes = append(notes, store.NewNotification{UserID: f.users["truong"], Kind: followup.KindUrge, Subject: fmt.Sprintf("Thư %d", i), Body: "Nội dung",
			DedupeKey: fmt.Sprintf("two-runners:%d", i), Email: fmt.Sprintf("u%d@example.vn", i)})
	}
	if c, err := f.st.Notify(ctx, audit.System("test"), "urge", notes); err != nil || c != n {
		t.Fatalf("queued %d: %v", c, err)
	}
	sender := mail.NewSender(config.SMTP{Addr: srv.Addr, From: "no-reply@danvan.example.vn"})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	type result struct {
		sent, failed int
		err          error
	}
	results := make(chan result, 2)
	start := make(chan struct{})
	for _, owner := range []string{"replica-a", "replica-b"} {
		go func() {
			<-start
			var r result
			for {
				s, fl, err := jobs.DeliverOutboxAs(ctx, f.st, sender, log, owner)
				r.sent, r.failed = r.sent+s, r.failed+fl
				if err != nil || s+fl == 0 {
					r.err = err
					break
				}
			}
			results <- r
		}()
	}
	close(start)
	total := 0
	for range 2 {
		r := <-results
		if r.err != nil || r.failed != 0 {
			t.Fatalf("runner: %+v", r)
		}
		total += r.sent
	}
	if total != n {
		t.Fatalf("runners report %d sent, want %d", total, n)
	}
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[m.To[0]]++
	}
	for i := range n {
		if c := got[fmt.Sprintf("u%d@example.vn", i)]; c != 1 {
			t.Errorf("u%d received %d copies", i, c)
		}
	}
	out, _ := f.st.Outbox(ctx, 500)
	for _, m := range out {
		if m.SentAt.IsZero() || m.Attempts != 1 {
			t.Fatalf("outbox row %+v", m)
		}
	}
}

// TestRemindersFollowWhoMustReport: the reminder job reminds exactly the
// units service.ExpectedUnits names for the period — not a district the
// schedule does not name, not a ward that does not exist yet.
func TestRemindersFollowWhoMustReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sys := audit.System("test")
	extra := map[string]string{}
	for _, u := range []struct {
		code, name, user string
		kind             org.Kind
		from             string
	}{
		{"H1", "Huyện cũ", "huyen", org.KindDistrict, "2000-01-01"},
		{"W4", "Phường mới", "moi", org.KindWard, "2026-04-01"},
	} {
		x := org.Unit{Code: u.code, Name: u.name, Kind: u.kind, ParentID: f.units["P38"], ValidFrom: u.from}
		if err := f.st.CreateUnit(ctx, sys, &x); err != nil {
			t.Fatal(err)
		}
		f.units[u.code] = x.ID
		acc := account.User{Username: u.user, FullName: u.user, PasswordHash: "x"}
		if err := f.st.CreateUser(ctx, sys, &acc); err != nil {
			t.Fatal(err)
		}
		if err := f.st.AddGrant(ctx, sys, acc.ID, authz.RoleUnitOfficer, x.ID); err != nil {
			t.Fatal(err)
		}
		f.users[u.user] = acc.ID
		extra[u.code] = u.user
	}
	f.at("2026-03-14")
	if _, err := jobs.RunReminders(ctx, f.st, config.Default(), jobs.Options{}); err != nil {
		t.Fatal(err)
	}
	// The one answer, asked directly for March 2026.
	tree := service.NewTree(func(ctx context.Context) ([]org.Unit, int64, error) { return f.st.AllUnits(ctx) }, f.st.UnitsChanged)
	if err := tree.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	scs, err := f.st.ListSchedules(ctx, 501)
	if err != nil {
		t.Fatal(err)
	}
	w := report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, 2026)[2]
	exp, err := service.ExpectedUnits(ctx, f.st.WorkingCalendar(ctx), tree, scs, w, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	for _, e := range exp {
		want[e.UnitID] = true
	}
	if len(want) != 2 || !want[f.units["W1"]] || !want[f.units["W2"]] {
		t.Fatalf("expected units %+v", exp)
	}
	reminded := map[string]bool{
		"W1": len(f.notes(t, "truong")) > 0, "W2": len(f.notes(t, "xa")) > 0,
		"H1": len(f.notes(t, "huyen")) > 0, "W4": len(f.notes(t, "moi")) > 0,
	}
	for code, got := range reminded {
		if got != want[f.units[code]] {
			t.Errorf("%s reminded %v, expected to report %v", code, got, want[f.units[code]])
		}
	}
}
