package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// caseFix: P38 ─┬─ W1 (ward), W2 (commune, remote); P01 ── X1.
type caseFix struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	svc   *service.Services
	unit  map[string]int64
	users int
}

var caseNow = time.Date(2025, 8, 4, 3, 0, 0, 0, time.UTC) // Monday

func newCaseFix(t *testing.T) *caseFix {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return caseNow })
	f := &caseFix{t: t, ctx: context.Background(), st: st, unit: map[string]int64{}}
	for _, u := range []struct {
		code   string
		kind   org.Kind
		parent string
		remote bool
	}{
		{"P38", org.KindProvince, "", false},
		{"W1", org.KindWard, "P38", false},
		{"W2", org.KindCommune, "P38", true},
		{"P01", org.KindProvince, "", false},
		{"X1", org.KindWard, "P01", false},
	} {
		x := org.Unit{Code: u.code, Name: "Đơn vị " + u.code, Kind: u.kind, ParentID: f.unit[u.parent], Remote: u.remote, ValidFrom: "2000-01-01"}
		if err := st.CreateUnit(f.ctx, audit.System("test"), &x); err != nil {
			t.Fatal(err)
		}
		f.unit[u.code] = x.ID
	}
	f.svc = servicetest.New(t, st)
	for _, c := range []service.CaseCategory{
		{Code: "dat-dai", NameVi: "Đất đai"},
		{Code: "moi-truong", NameVi: "Môi trường", DefaultKind: string(org.KindProvince)},
		{Code: "bhxh", NameVi: "Bảo hiểm xã hội", DefaultUnitID: f.unit["P01"]},
	} {
		if err := f.svc.Cases.PutCategory(f.ctx, service.SystemPrincipal(), c); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *caseFix) principal(role authz.Role, unit string) *service.Principal {
	f.t.Helper()
	f.users++
	u := account.User{Username: fmt.Sprintf("cb%d", f.users), FullName: "Cán bộ", PasswordHash: "x"}
	if err := f.st.CreateUser(f.ctx, audit.System("test"), &u); err != nil {
		f.t.Fatal(err)
	}
	p := &service.Principal{User: u}
	if role != "" {
		p.Grants = []authz.Grant{{Role: role, UnitID: f.unit[unit]}}
	}
	return p
}

func anon(ip string) *service.Principal { return &service.Principal{IP: ip} }

func complaintInput(f *caseFix) service.CaseInput {
	return service.CaseInput{Kind: service.CaseComplaint, Category: "dat-dai", PlaceUnitID: f.unit["W1"],
		Title: "Khiếu nại quyết định thu hồi đất", Description: "Gia đình tôi không đồng ý với mức bồi thường.",
		Identity: &service.CaseIdentity{Name: "Nguyễn Văn An", Phone: "0912 345 678", Email: "an@example.vn", Address: "Số 5, phố Lê Lợi"}}
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	inv, ok := service.AsInvalid(err)
	if !ok {
		t.Fatalf("want invalid %s=%s, got %v", field, key, err)
	}
	for _, fe := range inv.Fields {
		if fe.Field == field && fe.Key == key {
			return
		}
	}
	t.Fatalf("want %s=%s, got %v", field, key, err)
}

func TestCaseLifecycle(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	h1 := f.principal(authz.RoleCaseHandler, "W1")
	h2 := f.principal(authz.RoleCaseHandler, "W2")
	other := f.principal(authz.RoleCaseHandler, "X1")
	admin := f.principal(authz.RoleAdmin, "P38")

	sub, err := cs.Submit(f.ctx, anon("203.0.113.1"), complaintInput(f))
	if err != nil {
		t.Fatal(err)
	}
	if code, ok := service.NormalizeTrackingCode(strings.ToLower(sub.TrackingCode)); !ok || code != sub.TrackingCode || !strings.HasPrefix(code, "TH-2025-") {
		t.Fatalf("tracking code %q", sub.TrackingCode)
	}
	// 10 working days after Monday 4 Aug 2025 (2 Sep is a holiday only in the real calendar).
	if sub.Secret == "" || sub.AcceptDue != "2025-08-18" || sub.SecretLink != "/cases/track/"+sub.TrackingCode+"?secret="+sub.Secret {
		t.Fatalf("submitted: %+v", sub)
	}

	// The public projection carries no personal data.
	pub, err := cs.Track(f.ctx, sub.TrackingCode)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(pub)
	for _, s := range []string{"Nguyễn", "0912", "example.vn", "Lê Lợi", "bồi thường"} {
		if strings.Contains(string(b), s) {
			t.Fatalf("public view carries %q: %s", s, b)
		}
	}
	if pub.Status != service.CaseReceived || len(pub.History) != 1 || len(pub.Deadlines) != 1 {
		t.Fatalf("public: %s", b)
	}
	if _, err := cs.Track(f.ctx, "TH-2025-XXXXX"); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("bad code: %v", err)
	}

	// Other branch: forbidden on the case and its identity.
	if _, err := cs.Get(f.ctx, other, sub.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other branch get: %v", err)
	}
	if _, err := cs.Identity(f.ctx, other, sub.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other branch identity: %v", err)
	}
	// An administrator handles, but does not see the identity.
	if _, err := cs.Identity(f.ctx, admin, sub.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("admin identity: %v", err)
	}

	// The handler sees the identity, and the view is audited.
	id, err := cs.Identity(f.ctx, h1, sub.ID)
	if err != nil || id == nil || id.Name != "Nguyễn Văn An" || id.Phone != "0912 345 678" {
		t.Fatalf("identity: %+v %v", id, err)
	}
	entries, _, err := f.st.ListAudit(f.ctx, store.AuditFilter{Action: "case.identity_view", EntityID: strconv.FormatInt(sub.ID, 10)})
	if err != nil || len(entries) != 1 || entries[0].ActorID != h1.User.ID {
		t.Fatalf("identity audit: %+v %v", entries, err)
	}
	// Nothing personal in the audit log or the database in clear.
	var raw []byte
	if err := f.st.DB().QueryRow(`SELECT identity_enc FROM cases WHERE id = ` + strconv.FormatInt(sub.ID, 10)).Scan(&raw); err != nil || strings.Contains(string(raw), "Nguyễn") || len(raw) < 20 {
		t.Fatalf("identity at rest: %q %v", raw, err)
	}

	v, err := cs.Get(f.ctx, h1, sub.ID)
	if err != nil || !v.CanHandle || !v.CanSeeIdentity {
		t.Fatalf("get: %+v %v", v, err)
	}
	c, err := cs.Accept(f.ctx, h1, sub.ID, service.CaseStep{Version: v.Version})
	if err != nil || c.Status != service.CaseAccepted || c.ResolveDue != "2025-09-03" {
		t.Fatalf("accept: %+v %v", c, err)
	}
	// Stale version.
	if _, err := cs.Suspend(f.ctx, h1, sub.ID, service.CaseStep{Version: v.Version, PublicNote: "Chờ giám định"}); !errors.Is(err, service.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	// Transfer needs a reason; then the case moves to W2.
	_, err = cs.Transfer(f.ctx, h1, sub.ID, service.CaseStep{Version: c.Version, ToUnitID: f.unit["W2"]})
	wantField(t, err, "public_note", service.MsgRequired)
	c, err = cs.Transfer(f.ctx, h1, sub.ID, service.CaseStep{Version: c.Version, ToUnitID: f.unit["W2"], PublicNote: "Thuộc thẩm quyền của xã Đông Sơn"})
	if err != nil || c.UnitID != f.unit["W2"] || c.Status != service.CaseTransferred {
		t.Fatalf("transfer: %+v %v", c, err)
	}
	// The old handler keeps the history, loses the identity and the handling.
	if v, err := cs.Get(f.ctx, h1, sub.ID); err != nil || v.CanHandle || v.CanSeeIdentity {
		t.Fatalf("old handler: %+v %v", v, err)
	}
	if _, err := cs.Identity(f.ctx, h1, sub.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("old handler identity: %v", err)
	}
	if _, err := cs.Accept(f.ctx, h1, sub.ID, service.CaseStep{Version: c.Version}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("old handler accept: %v", err)
	}
	if _, err := cs.Identity(f.ctx, h2, sub.ID); err != nil {
		t.Fatalf("new handler identity: %v", err)
	}
	c, err = cs.Accept(f.ctx, h2, sub.ID, service.CaseStep{Version: c.Version})
	if err != nil || c.ResolveDue != "2025-09-03" { // the place (W1) is not remote: 30 days
		t.Fatalf("accept at W2: %+v %v", c, err)
	}
	c, err = cs.Extend(f.ctx, h2, sub.ID, service.CaseStep{Version: c.Version, PublicNote: "Vụ việc phức tạp"})
	if err != nil || c.ExtendedDue != "2025-09-18" || c.Status != service.CaseInProgress {
		t.Fatalf("extend: %+v %v", c, err)
	}
	// Rating before resolution is refused.
	if err := cs.Rate(f.ctx, anon("203.0.113.1"), sub.TrackingCode, sub.Secret, 5, ""); err == nil {
		t.Fatal("rated before resolution")
	}
	c, err = cs.Resolve(f.ctx, h2, sub.ID, service.CaseStep{Version: c.Version, PublicNote: "Quyết định giải quyết khiếu nại số 12/QĐ-UBND"})
	if err != nil || c.Status != service.CaseResolved || c.Resolution == "" {
		t.Fatalf("resolve: %+v %v", c, err)
	}
	c, err = cs.Close(f.ctx, h2, sub.ID, service.CaseStep{Version: c.Version})
	if err != nil || c.Status != service.CaseClosed || c.ClosedAt.IsZero() {
		t.Fatalf("close: %+v %v", c, err)
	}
	// Wrong secret: not found; the right one: own view, rate once.
	if _, err := cs.Verify(f.ctx, anon("203.0.113.1"), sub.TrackingCode, "wrong"); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("wrong secret: %v", err)
	}
	own, err := cs.Verify(f.ctx, anon("203.0.113.1"), sub.TrackingCode, sub.Secret)
	if err != nil || !own.CanRate || own.Identity == nil || own.Identity.Email != "an@example.vn" {
		t.Fatalf("verify: %+v %v", own, err)
	}
	if err := cs.Rate(f.ctx, anon("203.0.113.1"), sub.TrackingCode, sub.Secret, 6, ""); err == nil {
		t.Fatal("rating 6 accepted")
	}
	if err := cs.Rate(f.ctx, anon("203.0.113.1"), sub.TrackingCode, sub.Secret, 4, "Giải quyết đúng hạn"); err != nil {
		t.Fatal(err)
	}
	if err := cs.Rate(f.ctx, anon("203.0.113.1"), sub.TrackingCode, sub.Secret, 5, ""); !errors.Is(err, service.ErrConflict) {
		t.Fatalf("second rating: %v", err)
	}
	pub, _ = cs.Track(f.ctx, sub.TrackingCode)
	var actions []string
	for _, e := range pub.History {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "receive,accept,transfer,accept,extend,resolve,close,rate" || !pub.Rated {
		t.Fatalf("history: %s", got)
	}
	// Handlers' list: W2's handler sees it, X1's sees nothing of P38.
	list, total, err := cs.List(f.ctx, h2, service.CaseListFilter{})
	if err != nil || total != 1 || list[0].ID != sub.ID {
		t.Fatalf("list: %+v %d %v", list, total, err)
	}
	if _, _, err := cs.List(f.ctx, other, service.CaseListFilter{Unit: f.unit["P38"]}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other list: %v", err)
	}
}

func TestCaseIntakeRules(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases

	// An anonymous denunciation is refused: the law requires name and address.
	in := service.CaseInput{Kind: service.CaseDenunciation, PlaceUnitID: f.unit["W1"], Title: "Tố cáo cán bộ", Description: "Nội dung", Anonymous: true}
	_, err := cs.Submit(f.ctx, anon("198.51.100.1"), in)
	wantField(t, err, "anonymous", service.MsgCaseAnonymousRefused)
	wantField(t, err, "identity.name", service.MsgCaseNameRequired)
	wantField(t, err, "identity.address", service.MsgCaseAddressRequired)

	// Anonymous feedback without contact is accepted and stores no identity.
	fb, err := cs.Submit(f.ctx, anon("198.51.100.1"), service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit["W1"], Title: "Đèn đường hỏng", Description: "Đèn đường ngõ 5 hỏng đã một tuần.", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	h := f.principal(authz.RoleCaseHandler, "W1")
	if id, err := cs.Identity(f.ctx, h, fb.ID); err != nil || id != nil {
		t.Fatalf("no identity: %+v %v", id, err)
	}

	// Bad input: field errors, never a panic.
	bad := service.CaseInput{Kind: "rumour", Channel: "pigeon", Title: "", Description: "x\x00", Lat: new(float64),
		Identity: &service.CaseIdentity{Phone: "abc", Email: "not-an-address"}}
	_, err = cs.Submit(f.ctx, anon("198.51.100.2"), bad)
	for _, fe := range [][2]string{{"kind", service.MsgBadChoice}, {"channel", service.MsgBadChoice}, {"title", service.MsgRequired},
		{"description", service.MsgBadChars}, {"lat", service.MsgCaseBadPoint}, {"identity.phone", service.MsgCaseBadPhone},
		{"identity.email", service.MsgCaseBadEmail}, {"place_unit_id", service.MsgCaseUnitRequired}} {
		wantField(t, err, fe[0], fe[1])
	}

	// A second complaint links to the first; it needs a first complaint's code.
	first, err := cs.Submit(f.ctx, anon("198.51.100.3"), complaintInput(f))
	if err != nil {
		t.Fatal(err)
	}
	second := complaintInput(f)
	second.Kind = service.CaseComplaint2
	second.UnitID = f.unit["P38"]
	_, err = cs.Submit(f.ctx, anon("198.51.100.3"), second)
	wantField(t, err, "parent_code", service.MsgCaseParentRequired)
	second.ParentCode = fb.TrackingCode // feedback, not a complaint
	_, err = cs.Submit(f.ctx, anon("198.51.100.3"), second)
	wantField(t, err, "parent_code", service.MsgCaseParentNotFound)
	second.ParentCode = strings.ToLower(first.TrackingCode)
	s2, err := cs.Submit(f.ctx, anon("198.51.100.3"), second)
	if err != nil {
		t.Fatal(err)
	}
	hp := f.principal(authz.RoleCaseHandler, "P38")
	v, err := cs.Get(f.ctx, hp, s2.ID)
	if err != nil || v.ParentCaseID != first.ID || v.UnitID != f.unit["P38"] {
		t.Fatalf("second complaint: %+v %v", v, err)
	}

	// Categories: unknown refused; the default kind or unit routes the case.
	cat := service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit["W1"], Title: "Ô nhiễm", Description: "Khói từ nhà máy.", Category: "khong-co"}
	_, err = cs.Submit(f.ctx, anon("198.51.100.6"), cat)
	wantField(t, err, "category", service.MsgBadChoice)
	for code, unit := range map[string]string{"moi-truong": "P38", "bhxh": "P01", "dat-dai": "W1"} {
		cat.Category = code
		sc, err := cs.Submit(f.ctx, anon("198.51.100."+strconv.Itoa(len(code))), cat)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := cs.Get(f.ctx, service.SystemPrincipal(), sc.ID); err != nil || v.UnitID != f.unit[unit] {
			t.Errorf("category %s: unit %d, want %s (%v)", code, v.UnitID, unit, err)
		}
	}
	if err := cs.PutCategory(f.ctx, h, service.CaseCategory{Code: "x", NameVi: "X"}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("handler puts a category: %v", err)
	}

	// A case in a remote commune gets the longer resolution period.
	far := complaintInput(f)
	far.PlaceUnitID = f.unit["W2"]
	sf, err := cs.Submit(f.ctx, anon("198.51.100.5"), far)
	if err != nil {
		t.Fatal(err)
	}
	h2 := f.principal(authz.RoleCaseHandler, "W2")
	if c, err := cs.Accept(f.ctx, h2, sf.ID, service.CaseStep{Version: 1}); err != nil || !c.Remote || c.ResolveDue != "2025-09-18" {
		t.Fatalf("remote: %+v %v", c, err)
	}

	// Channels other than the public ones need a handler of the unit.
	rec := service.CaseInput{Kind: service.CaseRecommendation, Channel: service.ChannelReception, PlaceUnitID: f.unit["W1"], Title: "Kiến nghị làm đường", Description: "Đường liên thôn xuống cấp."}
	if _, err := cs.Submit(f.ctx, anon("198.51.100.4"), rec); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("anonymous reception: %v", err)
	}
	if _, err := cs.Submit(f.ctx, h, rec); err != nil {
		t.Fatalf("reception by handler: %v", err)
	}
}

func TestCaseIntakeRateLimit(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	now := caseNow
	l := service.NewLimiter(service.CaseIntakeRate, 2)
	l.SetClock(func() time.Time { return now })
	cs.LimitIntake(l)
	in := service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit["W1"], Title: "Rác thải", Description: "Bãi rác tự phát."}
	for i := range 2 {
		if _, err := cs.Submit(f.ctx, anon("192.0.2.7"), in); err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
	}
	if _, err := cs.Submit(f.ctx, anon("192.0.2.7"), in); !errors.Is(err, service.ErrTooMany) {
		t.Fatalf("third: %v", err)
	}
	if _, err := cs.Submit(f.ctx, anon("192.0.2.8"), in); err != nil {
		t.Fatalf("another address: %v", err)
	}
	now = now.Add(time.Minute)
	if _, err := cs.Submit(f.ctx, anon("192.0.2.7"), in); err != nil {
		t.Fatalf("after a minute: %v", err)
	}
}

func FuzzCaseSubmit(f *testing.F) {
	f.Add("complaint", "web", "Tiêu đề", "Nội dung", "Nguyễn Văn An", "0912345678", "a@b.vn", "Số 1", "", false, 1.0, 2.0)
	f.Add("denunciation", "", "", "x\x00", "", "abc", "@", "", "th-2025-abcdef", true, 91.0, -181.0)
	f.Add("complaint2", "post", "T", "D", "N", "+84 912", "x", "A", "TH-2025-7K3QX9", false, 0.0, 0.0)
	st := storetest.Open(f)
	svc := servicetest.New(f, st)
	f.Fuzz(func(t *testing.T, kind, channel, title, desc, name, phone, email, addr, parent string, anonymous bool, lat, lon float64) {
		in := service.CaseInput{Kind: kind, Channel: channel, Title: title, Description: desc, Anonymous: anonymous, ParentCode: parent,
			Lat: &lat, Lon: &lon, Identity: &service.CaseIdentity{Name: name, Phone: phone, Email: email, Address: addr}}
		err := svc.Cases.ValidateCaseInput(in)
		if err == nil {
			t.Fatalf("accepted without a unit: %+v", in)
		}
		if _, ok := service.AsInvalid(err); !ok {
			t.Fatalf("not a field error: %v", err)
		}
		service.NormalizeTrackingCode(parent)
	})
}
