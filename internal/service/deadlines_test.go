package service_test

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/legal"
	"github.com/danvan/danvan/internal/service"
)

func fieldKey(t *testing.T, err error, field string) string {
	t.Helper()
	inv, ok := service.AsInvalid(err)
	if !ok {
		t.Fatalf("want an invalid error on %s, got %v", field, err)
	}
	for _, f := range inv.Fields {
		if f.Field == field {
			return f.Key
		}
	}
	t.Fatalf("no error on %s: %+v", field, inv.Fields)
	return ""
}

func TestDeadlinesDue(t *testing.T) {
	f := newCalFixture(t)
	ctx, dl := t.Context(), f.svc.Deadlines
	d := calendar.MustParseDate

	// The stored 2026 Tết decision (16–20 Feb) is used.
	due, r, err := dl.Due(ctx, legal.DenunciationAccept, d("2026-02-13"), false)
	if err != nil || due.String() != "2026-03-03" || r.Days != 7 || !r.WorkingDays {
		t.Errorf("denunciation.accept across Tết = %s %+v, %v", due, r, err)
	}
	due, _, err = dl.Due(ctx, legal.ComplaintResolve, d("2026-03-02"), true)
	if err != nil || due.String() != "2026-04-16" {
		t.Errorf("complaint.resolve remote = %s, %v", due, err)
	}
	_, _, err = dl.Due(ctx, "no.such.rule", d("2026-03-02"), false)
	if k := fieldKey(t, err, "rule"); k != service.MsgDeadlineRule {
		t.Errorf("unknown rule: %s", k)
	}
	_, _, err = dl.Due(ctx, legal.DenunciationAccept, d("2018-06-01"), false)
	if k := fieldKey(t, err, "start"); k != service.MsgDeadlineNotYet {
		t.Errorf("before the law: %s", k)
	}
	_, _, err = dl.Due(ctx, legal.DenunciationAccept, calendar.Date{}, false)
	fieldKey(t, err, "start")

	rules, err := dl.Rules(ctx, calendar.Date{})
	if err != nil || len(rules) != len(legal.Defaults()) {
		t.Fatalf("rules in force: %d, %v", len(rules), err)
	}
}

func TestDeadlinesAddVersion(t *testing.T) {
	f := newCalFixture(t)
	ctx, dl := t.Context(), f.svc.Deadlines
	d := calendar.MustParseDate
	in := service.RuleInput{Key: legal.ComplaintAccept, Days: 7, WorkingDays: true, EffectiveFrom: "2026-12-01",
		Name: "Thụ lý khiếu nại", Basis: "Nghị định 155/2026/NĐ-CP"}
	for name, p := range map[string]*service.Principal{"anonymous": {IP: "192.0.2.1"}, "nil": nil, "officer": f.officer} {
		_, err := dl.AddVersion(ctx, p, in)
		if !errors.Is(err, service.ErrForbidden) && !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("%s add: %v", name, err)
		}
	}
	bad := []struct {
		name, field string
		edit        func(*service.RuleInput)
	}{
		{"no key", "key", func(r *service.RuleInput) { r.Key = "" }},
		{"bad key", "key", func(r *service.RuleInput) { r.Key = "Complaint..x" }},
		{"zero days", "days", func(r *service.RuleInput) { r.Days = 0 }},
		{"too many days", "days", func(r *service.RuleInput) { r.Days = 366 }},
		{"remote shorter", "remote_days", func(r *service.RuleInput) { r.RemoteDays = 3 }},
		{"bad date", "effective_from", func(r *service.RuleInput) { r.EffectiveFrom = "2026-02-30" }},
		{"no date", "effective_from", func(r *service.RuleInput) { r.EffectiveFrom = "" }},
		{"not later", "effective_from", func(r *service.RuleInput) { r.EffectiveFrom = "2012-07-01" }},
		{"no basis", "basis", func(r *service.RuleInput) { r.Basis = " " }},
		{"no name", "name", func(r *service.RuleInput) { r.Name = "" }},
	}
	for _, tt := range bad {
		x := in
		tt.edit(&x)
		_, err := dl.AddVersion(ctx, f.admin, x)
		if inv, ok := service.AsInvalid(err); !ok || inv.Fields[0].Field != tt.field {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if _, err := dl.AddVersion(ctx, f.admin, in); err != nil {
		t.Fatal(err)
	}
	// The same effective date again is refused: versions are never edited.
	_, err := dl.AddVersion(ctx, f.admin, in)
	if k := fieldKey(t, err, "effective_from"); k != service.MsgDeadlineNotLater {
		t.Errorf("same date: %s", k)
	}
	// Before the effective date the old version applies; from it, the new one.
	due, r, _ := dl.Due(ctx, legal.ComplaintAccept, d("2026-11-30"), false)
	if r.Days != 10 || due.String() != "2026-12-14" {
		t.Errorf("day before: %s %+v", due, r)
	}
	due, r, _ = dl.Due(ctx, legal.ComplaintAccept, d("2026-12-01"), false)
	if r.Days != 7 || due.String() != "2026-12-10" {
		t.Errorf("effective day: %s %+v", due, r)
	}
	// A new key is accepted.
	nk := service.RuleInput{Key: "reception.conclude", Days: 10, RemoteDays: 15, EffectiveFrom: "2026-07-01", Name: "Thông báo kết luận tiếp công dân", Basis: "Quy định thử"}
	if _, err := dl.AddVersion(ctx, f.admin, nk); err != nil {
		t.Fatal(err)
	}
	due, _, err = dl.Due(ctx, "reception.conclude", d("2026-07-01"), true)
	if err != nil || due.String() != "2026-07-16" {
		t.Errorf("new key: %s, %v", due, err)
	}
}
