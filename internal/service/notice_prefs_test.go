package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/jobs"
	"github.com/danvan/danvan/internal/mail"
	"github.com/danvan/danvan/internal/mail/smtptest"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
)

// sentMail is one delivered e-mail, decoded.
type sentMail struct{ to, subject, body string }

// deliver sends the outbox to srv and returns every message srv holds.
func deliver(t *testing.T, f *stepFixture, cfg config.Config, srv *smtptest.Server) []sentMail {
	t.Helper()
	if _, failed, err := jobs.DeliverOutbox(context.Background(), f.st, mail.NewSender(cfg.SMTP), slog.New(slog.DiscardHandler)); err != nil || failed != 0 {
		t.Fatalf("deliver: failed %d, %v", failed, err)
	}
	var out []sentMail
	for _, m := range srv.Messages() {
		msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sentMail{to: strings.Join(m.To, ","), subject: subj, body: string(b)})
	}
	return out
}

// mailsTo returns the mails to addr whose subject contains part.
func mailsTo(ms []sentMail, addr, part string) []sentMail {
	var out []sentMail
	for _, m := range ms {
		if strings.Contains(m.to, addr) && strings.Contains(m.subject, part) {
			out = append(out, m)
		}
	}
	return out
}

// hasLine reports whether body has a line that is exactly line.
func hasLine(body, line string) bool {
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}

func TestNoticePrefsEmail(t *testing.T) {
	f := newStepFixture(t)
	ctx := context.Background()
	srv, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg := config.Default()
	cfg.SMTP = config.SMTP{Addr: srv.Addr, From: "Ban Tuyên giáo và Dân vận <no-reply@danvan.example.vn>"}
	cfg.BaseURL = "https://danvan.example.vn"
	svc, err := service.New(ctx, service.Deps{Store: f.st, Cfg: cfg, Policy: account.DefaultPolicy})
	if err != nil {
		t.Fatal(err)
	}
	head, officer, coord := f.heads["A1"], f.officer["A1"], f.as[authz.RoleCoordinator]

	// Everything is e-mailed until turned off.
	got, err := svc.Notices.EmailPrefs(ctx, officer, 0)
	if err != nil || len(got) != len(service.NoticeKinds) {
		t.Fatalf("default prefs: %v %v", got, err)
	}
	for _, p := range got {
		if !p.Email {
			t.Fatalf("default %s off", p.Kind)
		}
	}
	var inv *service.InvalidError
	if _, err := svc.Notices.SetEmailPrefs(ctx, officer, map[string]bool{"report_returned": false, "gossip": false}); !errors.As(err, &inv) || inv.Fields[0].Field != "gossip" {
		t.Fatalf("unknown kind: %v", err)
	}
	got, err = svc.Notices.SetEmailPrefs(ctx, officer, map[string]bool{service.KindReportReturned: false})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if p.Email != (p.Kind != service.KindReportReturned) {
			t.Fatalf("after turning returned off: %+v", got)
		}
	}
	// Only an administrator reads another person's choice.
	if _, err := svc.Notices.EmailPrefs(ctx, head, officer.UserID()); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("head reads officer's prefs: %v", err)
	}
	other, err := svc.Notices.EmailPrefs(ctx, f.as[authz.RoleAdmin], officer.UserID())
	if err != nil || other[1].Kind != service.KindReportReturned || other[1].Email {
		t.Fatalf("admin reads officer's prefs: %+v %v", other, err)
	}
	if _, err := svc.Notices.EmailPrefs(ctx, f.as[authz.RoleAdmin], 987654); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("prefs of nobody: %v", err)
	}

	// A report returned: both get the notice in the app, only the head by e-mail.
	rs := svc.Reports
	if _, err := rs.CreateSchedule(ctx, f.sys, f.tpl.ID, service.ScheduleInput{UnitID: f.unit["P"], Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5, WorkingDays: true}}}); err != nil {
		t.Fatal(err)
	}
	rep, err := rs.Open(ctx, head, service.OpenInput{TemplateID: f.tpl.ID, UnitID: f.unit["A1"], Year: 2026, Number: 4})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := rs.Submit(ctx, head, rep.ID, service.DraftInput{Version: rep.Version, Values: map[string]string{"cases": "4"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Review(ctx, coord, rep.ID, service.ReviewInput{Version: &sub.Version, Comment: "Bổ sung số liệu tập huấn"}, false); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*service.Principal{head, officer} {
		if n := len(f.notes(t, p, service.KindReportReturned)); n != 1 {
			t.Errorf("%s has %d in-app notices of the return, want 1", p.User.Username, n)
		}
	}
	link := fmt.Sprintf("https://danvan.example.vn/reports/%d", rep.ID)
	ms := deliver(t, f, cfg, srv)
	returned := "trả lại"
	if h := mailsTo(ms, head.User.Email, returned); len(h) != 1 || !strings.Contains(h[0].body, "Bổ sung số liệu tập huấn") || !hasLine(h[0].body, link) {
		t.Errorf("head's return e-mails: %+v", h)
	}
	if o := mailsTo(ms, officer.User.Email, returned); len(o) != 0 {
		t.Errorf("officer turned returns off but got %+v", o)
	}
	// The submission e-mail reached the reviewers with its link.
	for _, m := range mailsTo(ms, coord.User.Email, "") {
		if !hasLine(m.body, link) {
			t.Errorf("submission e-mail without link: %+v", m)
		}
	}

	// An inspection opened: the head's e-mail links to the inspection.
	in, err := svc.FollowUp.CreateInspection(ctx, coord, service.InspectionInput{Kind: "supervision", Topic: "Giám sát dân chủ cơ sở", LeadUnitID: f.unit["A"], UnitIDs: []int64{f.unit["A1"]}, StartOn: "2026-05-10", EndOn: "2026-05-20"})
	if err != nil {
		t.Fatal(err)
	}
	ms = deliver(t, f, cfg, srv)
	insp := mailsTo(ms, head.User.Email, "Giám sát dân chủ cơ sở")
	if len(insp) != 1 || !hasLine(insp[0].body, fmt.Sprintf("https://danvan.example.vn/inspections/%d", in.ID)) {
		t.Errorf("inspection e-mail: %+v", insp)
	}

	// Every step's e-mail links to its page, in Vietnamese with its
	// diacritics intact.
	if _, err := svc.FollowUp.AddFinding(ctx, coord, in.ID, service.FindingInput{UnitID: f.unit["A1"], Text: "Chưa niêm yết công khai quy chế"}); err != nil {
		t.Fatal(err)
	}
	ms = deliver(t, f, cfg, srv)
	if fi := mailsTo(ms, officer.User.Email, "Giám sát dân chủ cơ sở"); len(fi) != 1 || !strings.Contains(fi[0].body, "Chưa niêm yết công khai quy chế") ||
		!hasLine(fi[0].body, fmt.Sprintf("https://danvan.example.vn/inspections/%d", in.ID)) {
		t.Errorf("finding e-mail to the officer: %+v", fi)
	}
	for _, m := range ms {
		linked := false
		for _, l := range strings.Split(m.body, "\n") {
			linked = linked || strings.HasPrefix(strings.TrimSpace(l), "https://danvan.example.vn/")
		}
		if !linked || !strings.ContainsAny(m.subject+m.body, "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ") {
			t.Errorf("e-mail without a link or without Vietnamese: %+v", m)
		}
	}
}
