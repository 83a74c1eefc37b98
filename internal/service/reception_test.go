package service_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
)

// newReceptionFix is the civic fixture with the bodies that receive
// citizens: the provincial People's Committee and Party committee, and a
// ward's Party committee under the provincial one.
func newReceptionFix(t *testing.T) *civicFix {
	t.Helper()
	f := newCivicFix(t)
	add := func(code, name string, kind org.Kind, parent string) {
		u := org.Unit{Code: code, Name: name, Kind: kind, ParentID: f.unit[parent], ValidFrom: "2025-07-01"}
		if err := f.st.CreateUnit(f.ctx, audit.System("test"), &u); err != nil {
			t.Fatal(err)
		}
		f.unit[code] = u.ID
	}
	add("UBND", "Ủy ban nhân dân tỉnh", org.KindPeoplesCommittee, "P38")
	add("TU", "Tỉnh ủy Thanh Hóa", org.KindPartyCommittee, "P38")
	add("DU1", "Đảng ủy phường Hạc Thành", org.KindPartyCommittee, "TU")
	f.svc = servicetest.New(t, f.st)
	return f
}

func (f *civicFix) session(p *service.Principal, unit, pos, day string) service.ReceptionSession {
	f.t.Helper()
	r, err := f.svc.Reception.Create(f.ctx, p, service.SessionInput{UnitID: f.unit[unit], LeaderName: "Nguyễn Văn A",
		LeaderPosition: pos, HeldOn: day, StartTime: "07:30", EndTime: "11:30", Place: "Trụ sở tiếp công dân"})
	if err != nil {
		f.t.Fatalf("session %s %s: %v", unit, day, err)
	}
	return r
}

func TestReceptionLevels(t *testing.T) {
	f := newReceptionFix(t)
	r := f.svc.Reception
	for code, want := range map[string]string{"W1": "commune", "W2": "commune", "P38": "province", "UBND": "province",
		"TU": "province", "DU1": "commune", "S1": ""} {
		if got := r.UnitLevel(f.unit[code]); got != want {
			t.Errorf("level of %s = %q, want %q", code, got, want)
		}
	}
}

// The frequency rules over February 2026, whose week 16–22 is all Tết: the
// ward chairman's weekly rule does not ask for that week, the ward Party
// secretary's monthly two days stand, cancelled sessions do not count, and
// two sessions on one day are one day.
func TestReceptionWarningsTet(t *testing.T) {
	f := newReceptionFix(t)
	admin := f.principal(authz.RoleAdmin, "P38")
	f.session(admin, "W1", service.PositionChairman, "2026-02-02")
	f.session(admin, "W1", service.PositionChairman, "2026-02-10")
	// week 9 (23 Feb–1 Mar): only a cancelled session.
	c := f.session(admin, "W1", service.PositionChairman, "2026-02-24")
	if _, err := f.svc.Reception.Cancel(f.ctx, admin, c.ID, service.CancelInput{Reason: "Họp đột xuất", Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	f.session(admin, "DU1", service.PositionSecretary, "2026-02-05")
	f.session(admin, "DU1", service.PositionSecretary, "2026-02-05")
	f.session(admin, "TU", service.PositionSecretary, "2026-02-12")
	// A deputy has no rule.
	f.session(admin, "UBND", service.PositionViceChairman, "2026-02-12")

	ws, err := f.svc.Reception.Warnings(f.ctx, nil, 0, "2026-02-02", "2026-02-28")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, w.PeriodFrom+" "+w.Position+" "+w.UnitName)
		if w.Days >= w.Required {
			t.Errorf("not short: %v", w)
		}
	}
	want := []string{
		"2026-02-01 party_secretary Đảng ủy phường Hạc Thành", // 1 of 2 days
		"2026-02-23 chairman Phường Hạc Thành",                // the cancelled week
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("warnings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ws[0].Days != 1 || ws[0].Required != 2 || ws[0].Rule.Source == "" {
		t.Fatalf("secretary: %+v", ws[0])
	}
	// Week 8 (16–22 Feb) is all days off: not asked for. Week 6 (2–8) and
	// 7 (9–15) have a session. Scope: the ward alone.
	ws, err = f.svc.Reception.Warnings(f.ctx, nil, f.unit["W1"], "2026-02-02", "2026-02-28")
	if err != nil || len(ws) != 1 || ws[0].Week != 9 {
		t.Fatalf("ward scope: %v %v", ws, err)
	}
	if _, err := f.svc.Reception.Warnings(f.ctx, nil, 0, "2026-02-28", "2026-02-01"); civicFields(err) != "to="+service.MsgDateOrder {
		t.Fatalf("order: %v", err)
	}
	if _, err := f.svc.Reception.Warnings(f.ctx, nil, 0, "2025-01-01", "2026-12-31"); civicFields(err) != "to="+service.MsgReceptionRangeTooBig {
		t.Fatalf("range: %v", err)
	}
}

// Case handlers and unit heads manage their unit's sessions; others are
// refused; the schedule is public and carries no visit.
func TestReceptionPermissions(t *testing.T) {
	f := newReceptionFix(t)
	handler := f.principal(authz.RoleCaseHandler, "W1")
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	in := service.SessionInput{UnitID: f.unit["W1"], LeaderName: "Trần Minh Đức", LeaderPosition: "chairman",
		HeldOn: "2026-11-09", StartTime: "07:30", EndTime: "11:00", Place: "Phòng tiếp công dân"}
	if _, err := f.svc.Reception.Create(f.ctx, officer, in); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("officer: %v", err)
	}
	if _, err := f.svc.Reception.Create(f.ctx, nil, in); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("anonymous: %v", err)
	}
	other := in
	other.UnitID = f.unit["W2"]
	if _, err := f.svc.Reception.Create(f.ctx, handler, other); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other unit: %v", err)
	}
	bad := in
	bad.StartTime, bad.EndTime, bad.LeaderPosition = "25:00", "07:00", "king"
	if got := civicFields(func() error { _, err := f.svc.Reception.Create(f.ctx, handler, bad); return err }()); got != "leader_position=validation.bad_choice,start_time="+service.MsgReceptionBadTime {
		t.Fatalf("bad input: %s", got)
	}
	s, err := f.svc.Reception.Create(f.ctx, handler, in)
	if err != nil || s.Status != service.SessionPlanned || s.UnitName != "Phường Hạc Thành" {
		t.Fatalf("create: %+v %v", s, err)
	}
	if _, err := f.svc.Reception.Get(f.ctx, officer, s.ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("officer reads the book: %v", err)
	}
	up := in
	up.Place, up.Version = "Hội trường", s.Version
	s2, err := f.svc.Reception.Update(f.ctx, handler, s.ID, up)
	if err != nil || s2.Place != "Hội trường" || s2.Version != 2 {
		t.Fatalf("update: %+v %v", s2, err)
	}
	if _, err := f.svc.Reception.Update(f.ctx, handler, s.ID, up); !errors.As(err, new(*service.StaleVersionError)) {
		t.Fatalf("stale: %v", err)
	}
	v, err := f.svc.Reception.AddVisit(f.ctx, handler, s.ID, service.VisitInput{At: "08:15", People: 1, Subject: "Hỏi về cấp giấy chứng nhận", Kind: "feedback", Outcome: "answered"})
	if err != nil || v.ID == 0 {
		t.Fatalf("visit: %+v %v", v, err)
	}
	list, total, err := f.svc.Reception.Schedule(f.ctx, service.ScheduleFilter{UnitID: f.unit["P38"]})
	if err != nil || total != 1 || list[0].Status != service.SessionHeld || list[0].LeaderName != "Trần Minh Đức" {
		t.Fatalf("schedule: %+v %d %v", list, total, err)
	}
	if _, _, err := f.svc.Reception.Schedule(f.ctx, service.ScheduleFilter{Limit: 5000}); civicFields(err) != "limit="+service.MsgRange {
		t.Fatalf("limit: %v", err)
	}
}

// Cancelling needs a reason and a planned session; the session stays,
// cancelled, and takes no visit.
func TestReceptionCancel(t *testing.T) {
	f := newReceptionFix(t)
	h := f.principal(authz.RoleUnitHead, "W1")
	s := f.session(h, "W1", service.PositionChairman, "2026-11-16")
	if _, err := f.svc.Reception.Cancel(f.ctx, h, s.ID, service.CancelInput{Reason: "  ", Version: s.Version}); civicFields(err) != "reason="+service.MsgReceptionReason {
		t.Fatalf("no reason: %v", err)
	}
	c, err := f.svc.Reception.Cancel(f.ctx, h, s.ID, service.CancelInput{Reason: "Chủ tịch đi công tác", Version: s.Version})
	if err != nil || c.Status != service.SessionCancelled || c.CancelReason != "Chủ tịch đi công tác" {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	if _, err := f.svc.Reception.Cancel(f.ctx, h, s.ID, service.CancelInput{Reason: "lần nữa", Version: c.Version}); civicFields(err) != "status="+service.MsgCaseBadState {
		t.Fatalf("twice: %v", err)
	}
	if _, err := f.svc.Reception.AddVisit(f.ctx, h, s.ID, service.VisitInput{At: "08:00", Subject: "x", Kind: "other", Outcome: "guided"}); !strings.Contains(civicFields(err), "status="+service.MsgReceptionCancelled) {
		t.Fatalf("visit on cancelled: %v", err)
	}
	_, total, _ := f.svc.Reception.Schedule(f.ctx, service.ScheduleFilter{})
	if total != 1 {
		t.Fatalf("a cancelled session stays on the schedule: %d", total)
	}
}

// A visit that opens a case submits it on the reception channel to the
// session's unit and links it; the book keeps no name; the conclusion
// notice closes the session.
func TestReceptionVisitOpensCase(t *testing.T) {
	f := newReceptionFix(t)
	h := f.principal(authz.RoleCaseHandler, "W1")
	s := f.session(h, "W1", service.PositionChairman, "2026-11-09")
	in := service.VisitInput{At: "09:00", People: 1, Subject: "Khiếu nại quyết định thu hồi đất", Kind: "complaint", Outcome: "case_opened",
		Case: &service.CaseInput{Description: "Ông trình bày việc thu hồi đất không đúng diện tích."}}
	if got := civicFields(func() error { _, err := f.svc.Reception.AddVisit(f.ctx, h, s.ID, in); return err }()); got != "case.identity.name="+service.MsgCaseNameRequired+",case.identity.address="+service.MsgCaseAddressRequired {
		t.Fatalf("complaint without name: %s", got)
	}
	in.Case.Identity = &service.CaseIdentity{Name: "Lê Văn Bình", Address: "Thôn 3, phường Hạc Thành"}
	v, err := f.svc.Reception.AddVisit(f.ctx, h, s.ID, in)
	if err != nil || v.CaseID == 0 || v.Case == nil || v.Case.TrackingCode == "" {
		t.Fatalf("visit: %+v %v", v, err)
	}
	cv, err := f.svc.Cases.Get(f.ctx, h, v.CaseID)
	if err != nil || cv.Channel != service.ChannelReception || cv.UnitID != f.unit["W1"] || cv.Kind != service.CaseComplaint || cv.Title != in.Subject {
		t.Fatalf("case: %+v %v", cv.Case, err)
	}
	got, err := f.svc.Reception.Get(f.ctx, h, s.ID)
	if err != nil || len(got.Visits) != 1 || got.Visits[0].CaseCode != v.Case.TrackingCode || got.Status != service.SessionHeld {
		t.Fatalf("book: %+v %v", got, err)
	}
	refused := service.VisitInput{At: "10:00", Subject: "Đòi giải quyết lại vụ đã có kết luận", Kind: "complaint", Outcome: "refused"}
	if civicFields(func() error { _, err := f.svc.Reception.AddVisit(f.ctx, h, s.ID, refused); return err }()) != "outcome_note="+service.MsgReceptionReason {
		t.Fatal("refusal without reason")
	}
	deleg := service.VisitInput{At: "10:30", People: 1, Delegation: true, Subject: "Đoàn đông người", Kind: "recommendation", Outcome: "guided"}
	if civicFields(func() error { _, err := f.svc.Reception.AddVisit(f.ctx, h, s.ID, deleg); return err }()) != "people="+service.MsgReceptionDelegation {
		t.Fatal("delegation of one")
	}
	con := service.ConclusionInput{Number: "15/TB-UBND", Date: "2026-11-08", Text: "Giao phòng Kinh tế kiểm tra, trả lời.", Version: got.Version}
	if civicFields(func() error { _, err := f.svc.Reception.Conclude(f.ctx, h, s.ID, con); return err }()) != "date="+service.MsgReceptionConclusion {
		t.Fatal("notice before the session")
	}
	con.Date = "2026-11-10"
	done, err := f.svc.Reception.Conclude(f.ctx, h, s.ID, con)
	if err != nil || done.ConclusionNo != "15/TB-UBND" || done.Status != service.SessionHeld {
		t.Fatalf("conclude: %+v %v", done, err)
	}
	future := f.session(h, "W1", service.PositionChairman, "2026-11-23")
	if _, err := f.svc.Reception.MarkHeld(f.ctx, h, future.ID, service.HeldInput{Version: future.Version}); civicFields(err) != "held_on="+service.MsgReceptionFuture {
		t.Fatalf("held in the future: %v", err)
	}
}
