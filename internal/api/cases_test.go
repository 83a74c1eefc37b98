package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// addHandler creates a case handler of unit code with a bearer token.
func (e *env) addHandler(name, code string) {
	e.t.Helper()
	e.addOfficer(name, code)
	if err := e.st.AddGrant(context.Background(), audit.System("test"), e.user[name], authz.RoleCaseHandler, e.unit[code]); err != nil {
		e.t.Fatal(err)
	}
}

func TestCasesAPI(t *testing.T) {
	e := newEnv(t)
	e.addHandler("xuly1", "W1")
	e.addHandler("xuly2", "W2")
	e.addHandler("xulyp", "D380") // a branch that no longer holds W1's cases

	body := map[string]any{
		"kind": "denunciation", "place_unit_id": e.unit["W1"], "title": "Tố cáo sai phạm",
		"description": "Cán bộ địa chính nhận tiền.",
		"identity":    map[string]any{"name": "Trần Thị Bình", "phone": "0987654321", "email": "binh@example.vn", "address": "Thôn 3"},
	}
	// Anonymous denunciation refused with field errors.
	anonDen := map[string]any{"kind": "denunciation", "place_unit_id": e.unit["W1"], "title": "Tố cáo", "description": "Nội dung", "anonymous": true}
	p := problem(t, e.do("POST", "/api/v1/cases", anonDen), 422, "validation")
	if got := fmt.Sprint(sortedFields(p)); got != "[anonymous identity.address identity.name]" {
		t.Fatalf("fields: %s", got)
	}

	w := e.do("POST", "/api/v1/cases", body)
	sub := decode[service.Submitted](t, w, 201)
	if sub.TrackingCode == "" || sub.Secret == "" || w.Header().Get("Location") != "/api/v1/tracking/"+sub.TrackingCode {
		t.Fatalf("submitted: %+v %s", sub, w.Header())
	}

	// The public projection never carries personal data.
	w = e.do("GET", "/api/v1/tracking/"+strings.ToLower(sub.TrackingCode), nil)
	pub := decode[service.PublicCase](t, w, 200)
	for _, s := range []string{"Trần", "0987654321", "binh@example.vn", "Thôn 3", "nhận tiền"} {
		if strings.Contains(w.Body.String(), s) {
			t.Fatalf("public view carries %q: %s", s, w.Body.String())
		}
	}
	if pub.Status != "received" {
		t.Fatalf("public: %+v", pub)
	}
	problem(t, e.do("GET", "/api/v1/tracking/TH-2025-ZZZZZZ", nil), 404, "not-found")

	// Handlers' reads: anonymous 401, another branch 403, the handler 200 without identity.
	path := fmt.Sprintf("/api/v1/cases/%d", sub.ID)
	problem(t, e.do("GET", path, nil), 401, "unauthenticated")
	problem(t, e.do("GET", path, nil, e.as("xulyp")), 403, "forbidden")
	problem(t, e.do("GET", path+"/identity", nil, e.as("xulyp")), 403, "forbidden")
	problem(t, e.do("GET", path+"/identity", nil, e.as("admin")), 403, "forbidden")
	w = e.do("GET", path, nil, e.as("xuly1"))
	v := decode[service.CaseView](t, w, 200)
	if strings.Contains(w.Body.String(), "Trần") || !v.CanSeeIdentity || v.Version != 1 {
		t.Fatalf("handler view: %s", w.Body.String())
	}
	id := decode[struct{ Identity service.CaseIdentity }](t, e.do("GET", path+"/identity", nil, e.as("xuly1")), 200)
	if id.Identity.Name != "Trần Thị Bình" {
		t.Fatalf("identity: %+v", id)
	}
	if _, n, err := e.st.ListAudit(context.Background(), store.AuditFilter{Action: "case.identity_view"}); err != nil || n != 1 {
		t.Fatalf("identity views audited: %d %v", n, err)
	}

	// Steps: accept, stale version 409, transfer, resolve, close; rate with the secret.
	c := decode[service.Case](t, e.do("POST", path+"/accept", map[string]any{"version": 1}, e.as("xuly1")), 200)
	problem(t, e.do("POST", path+"/suspend", map[string]any{"version": 1, "public_note": "Chờ xác minh"}, e.as("xuly1")), 409, "conflict")
	problem(t, e.do("POST", path+"/transfer", map[string]any{"version": c.Version, "to_unit_id": e.unit["W2"]}, e.as("xuly1")), 422, "validation")
	c = decode[service.Case](t, e.do("POST", path+"/transfer", map[string]any{"version": c.Version, "to_unit_id": e.unit["W2"], "public_note": "Chuyển xã Đông Sơn"}, e.as("xuly1")), 200)
	problem(t, e.do("GET", path+"/identity", nil, e.as("xuly1")), 403, "forbidden")
	c = decode[service.Case](t, e.do("POST", path+"/accept", map[string]any{"version": c.Version}, e.as("xuly2")), 200)
	c = decode[service.Case](t, e.do("POST", path+"/resolve", map[string]any{"version": c.Version, "public_note": "Kết luận nội dung tố cáo"}, e.as("xuly2")), 200)
	c = decode[service.Case](t, e.do("POST", path+"/close", map[string]any{"version": c.Version}, e.as("xuly2")), 200)
	if c.Status != "closed" {
		t.Fatalf("closed: %+v", c)
	}
	rate := "/api/v1/tracking/" + sub.TrackingCode + "/rating"
	problem(t, e.do("POST", rate, map[string]any{"secret": "nope", "rating": 5}), 404, "not-found")
	if w := e.do("POST", rate, map[string]any{"secret": sub.Secret, "rating": 5, "comment": "Cảm ơn"}); w.Code != 204 {
		t.Fatalf("rate: %d %s", w.Code, w.Body.String())
	}
	problem(t, e.do("POST", rate, map[string]any{"secret": sub.Secret, "rating": 4}), 409, "conflict")
	own := decode[service.OwnCase](t, e.do("POST", "/api/v1/tracking/"+sub.TrackingCode+"/verify", map[string]any{"secret": sub.Secret}), 200)
	if own.Identity == nil || own.Identity.Email != "binh@example.vn" || !own.Rated {
		t.Fatalf("own: %+v", own)
	}

	// Categories are public.
	if err := e.d.Svc.Cases.PutCategory(context.Background(), service.SystemPrincipal(), service.CaseCategory{Code: "dat-dai", NameVi: "Đất đai, nhà ở"}); err != nil {
		t.Fatal(err)
	}
	cats := decode[struct{ Items []service.CaseCategory }](t, e.do("GET", "/api/v1/case-categories", nil), 200)
	if len(cats.Items) < 10 || cats.Items[3].Code != "dat-dai" || cats.Items[3].NameVi != "Đất đai, nhà ở" {
		t.Fatalf("categories: %+v", cats)
	}

	// The list.
	list := decode[struct {
		Items []service.Case `json:"items"`
		Total int            `json:"total"`
	}](t, e.do("GET", "/api/v1/cases?status=closed", nil, e.as("xuly2")), 200)
	if list.Total != 1 || list.Items[0].ID != sub.ID {
		t.Fatalf("list: %+v", list)
	}
	problem(t, e.do("GET", "/api/v1/cases?status=nope", nil, e.as("xuly2")), 422, "validation")
}

func TestCasesAPIRateLimit(t *testing.T) {
	e := newEnv(t)
	now := testNow
	l := service.NewLimiter(service.CaseIntakeRate, 1)
	l.SetClock(func() time.Time { return now })
	e.d.Svc.Cases.LimitIntake(l)
	body := map[string]any{"kind": "feedback", "place_unit_id": e.unit["W1"], "title": "Ngập úng", "description": "Đường ngập sau mưa."}
	decode[service.Submitted](t, e.do("POST", "/api/v1/cases", body), 201)
	w := e.do("POST", "/api/v1/cases", body)
	problem(t, w, 429, "too-many-requests")
	if w.Header().Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	// A signed-in browser still needs the CSRF header on the public intake.
	s := e.signIn("canbo")
	problem(t, e.do("POST", "/api/v1/cases", body, withSession(s, false)), 403, "csrf")
}
