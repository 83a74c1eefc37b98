package service_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/service"
)

// statsFix submits, on Monday 4 Aug 2025 (Vietnam), five cases and handles
// them on chosen days:
//
//	W1 A complaint dat-dai  accepted 4 Aug, resolved 6 Aug (on time, 2 days), rated 4
//	W1 B complaint dat-dai  accepted 4 Aug, resolved 1 Dec (late, 119 days), rated 2
//	W1 C feedback  —        refused 5 Aug (on time, 1 day), closed 6 Aug
//	W1 D complaint dat-dai  left received: overdue on 1 Dec
//	W2 E feedback  —        left received: overdue on 1 Dec
//	W2 G complaint dat-dai  accepted 4 Aug, extended to 3 Nov, resolved 3 Nov (on time, 91 days)
//
// and one case received on 1 Dec (outside August). Today is 1 Dec 2025.
type statsFix struct {
	*caseFix
	now     time.Time
	handler *service.Principal
	codes   map[string]string
}

// at sets the clock to 10:00 in Vietnam on day.
func (f *statsFix) at(day string) {
	d, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", service.Vietnam)
	if err != nil {
		f.t.Fatal(err)
	}
	f.now = d
}

func newStatsFix(t *testing.T) *statsFix {
	f := &statsFix{caseFix: newCaseFix(t), codes: map[string]string{}}
	f.st.SetClock(func() time.Time { return f.now })
	f.at("2025-08-04")
	cs := f.svc.Cases
	f.handler = f.principal(authz.RoleCaseHandler, "W1")
	var g int64
	until := ""
	submit := func(name string, in service.CaseInput) (int64, string) {
		sub, err := cs.Submit(f.ctx, service.SystemPrincipal(), in)
		if err != nil {
			t.Fatalf("submit %s: %v", name, err)
		}
		f.codes[name] = sub.TrackingCode
		return sub.ID, sub.Secret
	}
	feedback := func(place string) service.CaseInput {
		return service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit[place], Title: "Đèn đường hỏng", Description: "Đèn đường trước nhà văn hoá thôn bị hỏng."}
	}
	h2 := f.principal(authz.RoleCaseHandler, "W2")
	step := func(id int64, name string, v int, note string) int {
		p := f.handler
		if id == g {
			p = h2
		}
		c, err := cs.Step(f.ctx, p, id, name, service.CaseStep{Version: v, PublicNote: note, Until: until})
		if err != nil {
			t.Fatalf("%s case %d: %v", name, id, err)
		}
		return c.Version
	}
	a, aSecret := submit("A", complaintInput(f.caseFix))
	b, bSecret := submit("B", complaintInput(f.caseFix))
	c, _ := submit("C", feedback("W1"))
	submit("D", complaintInput(f.caseFix))
	submit("E", feedback("W2"))
	gIn := complaintInput(f.caseFix)
	gIn.PlaceUnitID = f.unit["W2"]
	g, _ = submit("G", gIn)
	vg := step(g, service.StepAccept, 1, "")
	until = "2025-11-03"
	vg = step(g, service.StepExtend, vg, "Vụ việc phức tạp")
	until = ""
	va := step(a, service.StepAccept, 1, "")
	vb := step(b, service.StepAccept, 1, "")
	f.at("2025-08-05")
	vc := step(c, service.StepRefuse, 1, "Không thuộc thẩm quyền")
	f.at("2025-08-06")
	step(a, service.StepResolve, va, "Đã giải quyết")
	step(c, service.StepClose, vc, "")
	f.at("2025-11-03")
	step(g, service.StepResolve, vg, "Đã giải quyết")
	f.at("2025-12-01")
	step(b, service.StepResolve, vb, "Đã giải quyết")
	if err := cs.Rate(f.ctx, anon("198.51.100.1"), f.codes["A"], aSecret, 4, ""); err != nil {
		t.Fatal(err)
	}
	if err := cs.Rate(f.ctx, anon("198.51.100.1"), f.codes["B"], bSecret, 2, ""); err != nil {
		t.Fatal(err)
	}
	submit("F", feedback("W1"))
	return f
}

func figures(t *testing.T, what string, got service.CaseFigures, received, handled, onTime, overdue int, rate, days, rating float64) {
	t.Helper()
	if got.Received != received || got.Handled != handled || got.OnTime != onTime || got.Overdue != overdue ||
		got.OnTimeRate != rate || got.AvgDays != days || got.AvgRating != rating {
		t.Errorf("%s: got %+v, want received %d handled %d on time %d overdue %d rate %v days %v rating %v",
			what, got, received, handled, onTime, overdue, rate, days, rating)
	}
}

func TestCaseStatsFigures(t *testing.T) {
	f := newStatsFix(t)
	coord := f.principal(authz.RoleCoordinator, "P38")
	l := i18n.Default().For("vi")
	rep, err := f.svc.CaseStats.Stats(f.ctx, coord, service.CaseStatsFilter{From: "2025-08-01", To: "2025-08-31"}, l)
	if err != nil {
		t.Fatal(err)
	}
	figures(t, "total", rep.Total, 6, 4, 3, 2, 75, 53.3, 3)
	byUnit := map[int64]service.CaseFigures{}
	for _, u := range rep.Units {
		byUnit[u.UnitID] = u.CaseFigures
	}
	figures(t, "W1", byUnit[f.unit["W1"]], 4, 3, 2, 1, 66.7, 40.7, 3)
	figures(t, "W2", byUnit[f.unit["W2"]], 2, 1, 1, 1, 100, 91, -1)
	byKind := map[string]service.CaseFigures{}
	for _, k := range rep.Kinds {
		byKind[k.Key] = k.CaseFigures
	}
	figures(t, "complaints", byKind[service.CaseComplaint], 4, 3, 2, 1, 66.7, 70.7, 3)
	figures(t, "feedback", byKind[service.CaseFeedback], 2, 1, 1, 1, 100, 1, -1)
	if len(rep.Categories) != 2 || rep.Categories[0].Key != "dat-dai" || rep.Categories[0].Name != "Đất đai" || rep.Categories[0].Received != 4 {
		t.Errorf("categories: %+v", rep.Categories)
	}

	// The whole year so far counts F too; W1's handler sees W1 only.
	rep, err = f.svc.CaseStats.Stats(f.ctx, f.handler, service.CaseStatsFilter{}, l)
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != "2025-01-01" || rep.To != "2025-12-01" || len(rep.Units) != 1 || rep.Total.Received != 5 {
		t.Errorf("handler's year: %+v", rep)
	}
	// Permission and input.
	if _, err := f.svc.CaseStats.Stats(f.ctx, f.handler, service.CaseStatsFilter{Unit: f.unit["W2"]}, l); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("other unit: %v", err)
	}
	if _, err := f.svc.CaseStats.Stats(f.ctx, anon("198.51.100.2"), service.CaseStatsFilter{}, l); !errors.Is(err, service.ErrUnauthenticated) {
		t.Errorf("anonymous: %v", err)
	}
	_, err = f.svc.CaseStats.Stats(f.ctx, coord, service.CaseStatsFilter{From: "2025-09-01", To: "2025-08-01"}, l)
	wantField(t, err, "to", service.MsgCaseStatsPeriod)
	_, err = f.svc.CaseStats.Stats(f.ctx, coord, service.CaseStatsFilter{From: "1/8/2025"}, l)
	if _, ok := service.AsInvalid(err); !ok {
		t.Errorf("bad date: %v", err)
	}
}

func TestScorecardPublic(t *testing.T) {
	f := newStatsFix(t)
	card, err := f.svc.CaseStats.Scorecard(f.ctx, 2025)
	if err != nil {
		t.Fatal(err)
	}
	// W1 (ward) received 5 cases: enough; W2 (commune) 2: not enough.
	if len(card.Agencies) != 0 || len(card.Communes) != 2 || card.MinCases != 5 {
		t.Fatalf("scorecard: %+v", card)
	}
	for _, l := range card.Communes {
		switch l.UnitID {
		case f.unit["W1"]:
			if !l.Enough || l.Received != 5 || l.OnTimeRate == nil || *l.OnTimeRate != 66.7 || *l.Overdue != 1 || *l.AvgRating != 3 {
				t.Errorf("W1: %+v", l)
			}
		case f.unit["W2"]:
			if l.Enough || l.OnTimeRate != nil || l.Overdue != nil || l.AvgDays != nil || l.AvgRating != nil {
				t.Errorf("W2 shows figures: %+v", l)
			}
		}
	}
	b, _ := json.Marshal(card)
	for _, s := range []string{"Nguyễn", "an@example.vn", "Lê Lợi", "Khiếu nại", "Đèn đường", "TH-2025", "Đã giải quyết"} {
		if strings.Contains(string(b), s) {
			t.Errorf("scorecard carries %q: %s", s, b)
		}
	}
	if _, err := f.svc.CaseStats.Scorecard(f.ctx, 2027); err == nil {
		t.Error("future year accepted")
	}
	if card, err := f.svc.CaseStats.Scorecard(f.ctx, 2024); err != nil || len(card.Communes) != 0 {
		t.Errorf("2024: %+v %v", card, err)
	}
}

func TestProlongedCases(t *testing.T) {
	f := newStatsFix(t)
	cs := f.svc.Cases
	// A second complaint about A (resolved): A is repeated.
	in := complaintInput(f.caseFix)
	in.Kind, in.ParentCode = service.CaseComplaint2, f.codes["A"]
	if _, err := cs.Submit(f.ctx, service.SystemPrincipal(), in); err != nil {
		t.Fatal(err)
	}
	// F is transferred W1 → W2 → W1.
	f1, err := f.st.CaseByCode(f.ctx, f.codes["F"])
	if err != nil {
		t.Fatal(err)
	}
	h2 := f.principal(authz.RoleCaseHandler, "W2")
	c, err := cs.Step(f.ctx, f.handler, f1.ID, service.StepTransfer, service.CaseStep{Version: f1.Version, PublicNote: "Chuyển xã", ToUnitID: f.unit["W2"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Step(f.ctx, h2, f1.ID, service.StepTransfer, service.CaseStep{Version: c.Version, PublicNote: "Trả lại", ToUnitID: f.unit["W1"]}); err != nil {
		t.Fatal(err)
	}
	parent := f.principal(authz.RoleCaseHandler, "P38")
	list, err := f.svc.CaseStats.Prolonged(f.ctx, parent, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]service.ProlongedCase{}
	for _, p := range list {
		got[p.TrackingCode] = p
	}
	if len(got) != 4 || !got[f.codes["A"]].Repeated || !got[f.codes["D"]].Overdue || !got[f.codes["E"]].Overdue || got[f.codes["F"]].Transfers != 2 {
		t.Fatalf("prolonged: %+v", list)
	}
	if got[f.codes["D"]].Due != "2025-08-18" || got[f.codes["F"]].Overdue {
		t.Errorf("D due %q, F overdue %v", got[f.codes["D"]].Due, got[f.codes["F"]].Overdue)
	}
	// The coordinator sees them; W2's handler sees W2's only; X1's sees none
	// of them and not P38's subtree.
	if l, err := f.svc.CaseStats.Prolonged(f.ctx, f.principal(authz.RoleCoordinator, "P38"), 0); err != nil || len(l) != 4 {
		t.Errorf("coordinator: %d %v", len(l), err)
	}
	if l, err := f.svc.CaseStats.Prolonged(f.ctx, h2, 0); err != nil || len(l) != 1 || l[0].TrackingCode != f.codes["E"] {
		t.Errorf("W2 handler: %+v %v", l, err)
	}
	x1 := f.principal(authz.RoleCaseHandler, "X1")
	if l, err := f.svc.CaseStats.Prolonged(f.ctx, x1, 0); err != nil || len(l) != 0 {
		t.Errorf("X1 handler: %+v %v", l, err)
	}
	if _, err := f.svc.CaseStats.Prolonged(f.ctx, x1, f.unit["P38"]); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("X1 on P38: %v", err)
	}
	if _, err := f.svc.CaseStats.Prolonged(f.ctx, f.principal(authz.RoleCitizen, "P38"), 0); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("citizen: %v", err)
	}
	if _, err := f.svc.CaseStats.Prolonged(f.ctx, anon("198.51.100.3"), 0); !errors.Is(err, service.ErrUnauthenticated) {
		t.Errorf("anonymous: %v", err)
	}
}
