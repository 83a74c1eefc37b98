package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/jobs"
	"github.com/danvan/danvan/internal/mail"
	"github.com/danvan/danvan/internal/mail/smtptest"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// caseFixture adds case handlers to the reports fixture (xuly on W1, tinh
// on P38, with addresses) and services that send e-mail to a real SMTP
// test server.
func caseFixture(t *testing.T) (*fixture, *service.Services, *smtptest.Server, *mail.Sender) {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	for _, u := range []struct{ name, unit string }{{"xuly", "W1"}, {"tinh", "P38"}} {
		acc := account.User{Username: u.name, FullName: "Đồng chí " + u.name, Email: u.name + "@example.vn", PasswordHash: "x"}
		if err := f.st.CreateUser(ctx, audit.System("test"), &acc); err != nil {
			t.Fatal(err)
		}
		if err := f.st.AddGrant(ctx, audit.System("test"), acc.ID, authz.RoleCaseHandler, f.units[u.unit]); err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = acc.ID
	}
	srv, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg := config.Default()
	cfg.SMTP = config.SMTP{Addr: srv.Addr, From: "Ban Dân vận <no-reply@danvan.example.vn>"}
	cfg.BaseURL = "https://danvan.example.vn"
	svc, err := service.New(ctx, service.Deps{Store: f.st, Cfg: cfg, Policy: account.DefaultPolicy, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	sender := mail.NewSender(cfg.SMTP)
	sender.Timeout = 2 * time.Second
	return f, svc, srv, sender
}

func submitComplaint(t *testing.T, f *fixture, svc *service.Services) service.Submitted {
	t.Helper()
	sub, err := svc.Cases.Submit(context.Background(), service.SystemPrincipal(), service.CaseInput{
		Kind: service.CaseComplaint, PlaceUnitID: f.units["W1"], Title: "Khiếu nại về bồi thường", Description: "Không đồng ý mức bồi thường.",
		Identity: &service.CaseIdentity{Name: "Lê Thị Dân", Email: "dan@example.vn", Address: "Thôn 3"}})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// caseNotes are the notices of user about cases.
func (f *fixture) caseNotes(t *testing.T, user string) []store.Notification {
	t.Helper()
	ns, _, err := f.st.ListNotifications(context.Background(), f.users[user], false, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Notification
	for _, n := range ns {
		if strings.HasPrefix(n.Kind, "case_") {
			out = append(out, n)
		}
	}
	return out
}

func handler(t *testing.T, f *fixture, name string, role authz.Role, unit string) *service.Principal {
	t.Helper()
	u, err := f.st.GetUser(context.Background(), f.users[name])
	if err != nil {
		t.Fatal(err)
	}
	return &service.Principal{User: u, Grants: []authz.Grant{{Role: role, UnitID: f.units[unit]}}}
}

func TestCaseRemindersOnce(t *testing.T) {
	f, svc, srv, sender := caseFixture(t)
	ctx := context.Background()
	f.at("2026-03-02") // Monday: acceptance due 10 working days later, Monday 16 March
	sub := submitComplaint(t, f, svc)
	if sub.AcceptDue != "2026-03-16" {
		t.Fatalf("accept due %s", sub.AcceptDue)
	}
	// The unit's handlers (xuly, and truong as unit head) heard of the new case.
	for _, u := range []string{"xuly", "truong"} {
		if ns := f.caseNotes(t, u); len(ns) != 1 || ns[0].Kind != service.KindCaseAssigned || !strings.Contains(ns[0].Subject, sub.TrackingCode) {
			t.Fatalf("%s: %+v", u, ns)
		}
	}
	for _, step := range []struct {
		day  string
		want int
	}{
		{"2026-03-02", 0},
		{"2026-03-11", 0}, // 3 working days before
		{"2026-03-12", 2}, // 2 working days before: xuly and truong
		{"2026-03-13", 0}, // already reminded of this deadline
		{"2026-03-16", 0}, // due today
		{"2026-03-17", 2}, // overdue
		{"2026-03-20", 0},
		{"2026-03-23", 1}, // overdue 5 working days: tinh on P38
		{"2026-03-24", 0},
	} {
		f.at(step.day)
		n, err := jobs.RunCaseReminders(ctx, svc)
		if err != nil || n != step.want {
			t.Fatalf("%s: %d notices (%v), want %d", step.day, n, err, step.want)
		}
	}
	kinds := func(u string) []string {
		var out []string
		for _, n := range f.caseNotes(t, u) {
			out = append(out, n.Kind)
		}
		slices.Sort(out)
		return out
	}
	if got := kinds("xuly"); !slices.Equal(got, []string{service.KindCaseAssigned, service.KindCaseDue, service.KindCaseDue}) {
		t.Errorf("xuly: %v", got)
	}
	if got := kinds("tinh"); !slices.Equal(got, []string{service.KindCaseEscalated}) {
		t.Errorf("tinh: %v", got)
	}
	if got := kinds("dieuphoi"); len(got) != 0 {
		t.Errorf("coordinator reminded: %v", got)
	}
	// E-mails go out once each through the SMTP server.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, failed, err := jobs.DeliverOutbox(ctx, f.st, sender, log); err != nil || failed != 0 {
		t.Fatalf("deliver: %d %v", failed, err)
	}
	if sent, _, _ := jobs.DeliverOutbox(ctx, f.st, sender, log); sent != 0 {
		t.Fatalf("sent again: %d", sent)
	}
	toTinh := 0
	for _, m := range srv.Messages() {
		if slices.Contains(m.To, "tinh@example.vn") {
			toTinh++
			subj, body := decode(t, m.Data)
			if !strings.Contains(subj, sub.TrackingCode) || !strings.Contains(body, "https://danvan.example.vn/cases/") || !strings.Contains(body, "16/03/2026") {
				t.Errorf("escalation mail: %s\n%s", subj, body)
			}
		}
	}
	if toTinh != 1 {
		t.Errorf("%d e-mails to tinh", toTinh)
	}
}

func TestCitizenMailOnResolve(t *testing.T) {
	f, svc, srv, sender := caseFixture(t)
	ctx := context.Background()
	f.at("2026-03-02")
	sub := submitComplaint(t, f, svc)
	h := handler(t, f, "xuly", authz.RoleCaseHandler, "W1")
	c, err := svc.Cases.Accept(ctx, h, sub.ID, service.CaseStep{Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	f.at("2026-03-10")
	if _, err := svc.Cases.Resolve(ctx, h, sub.ID, service.CaseStep{Version: c.Version,
		PublicNote: "UBND phường đã điều chỉnh mức bồi thường theo quy định.", InternalNote: "Hồ sơ lưu tại phòng địa chính, người xử lý bí mật X17."}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, failed, err := jobs.DeliverOutbox(ctx, f.st, sender, log); err != nil || failed != 0 {
		t.Fatalf("deliver: %d %v", failed, err)
	}
	var bodies []string
	for _, m := range srv.Messages() {
		if slices.Contains(m.To, "dan@example.vn") {
			subj, body := decode(t, m.Data)
			bodies = append(bodies, subj+"\n"+body)
		}
	}
	// Accepted, then resolved.
	if len(bodies) != 2 {
		t.Fatalf("%d e-mails to the citizen: %q", len(bodies), bodies)
	}
	last := bodies[1]
	for _, want := range []string{sub.TrackingCode, "Đã giải quyết", "điều chỉnh mức bồi thường", "https://danvan.example.vn/cases/track/" + sub.TrackingCode} {
		if !strings.Contains(last, want) {
			t.Errorf("citizen mail lacks %q:\n%s", want, last)
		}
	}
	for _, no := range []string{"X17", "địa chính", "secret="} {
		if strings.Contains(last, no) {
			t.Errorf("citizen mail carries %q:\n%s", no, last)
		}
	}
}
