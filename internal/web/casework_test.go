package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
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
)

// sessionAt signs in a new user holding role on one unit.
func (e *uenv) sessionAt(name string, role authz.Role, unit int64) string {
	e.t.Helper()
	ctx, sys := context.Background(), audit.System("test")
	u := account.User{Username: name, FullName: name}
	if err := e.st.CreateUser(ctx, sys, &u); err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.AddGrant(ctx, sys, u.ID, role, unit); err != nil {
		e.t.Fatal(err)
	}
	tok, hash, err := account.NewToken("")
	if err != nil {
		e.t.Fatal(err)
	}
	now := e.st.Now()
	if err := e.st.CreateSession(ctx, account.Session{TokenHash: hash, UserID: u.ID, CSRF: "x", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, "127.0.0.1", "test"); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// caseworkEnv is the units test tree with a second commune, a handler in
// each commune, an officer without case roles, and two cases in W.
type caseworkEnv struct {
	*uenv
	handlerW, handlerX, officer string
	feedback, complaint         service.Submitted
}

func newCaseworkEnv(t *testing.T) caseworkEnv {
	e := newUenv(t)
	x := org.Unit{Code: "X", Name: "Xã Đông Tiến", Kind: org.KindCommune, ParentID: e.unit["P"], ValidFrom: "2025-07-01"}
	if err := e.st.CreateUnit(context.Background(), audit.System("test"), &x); err != nil {
		t.Fatal(err)
	}
	e.unit["X"] = x.ID
	svc := servicetest.New(t, e.st)
	anon := &service.Principal{IP: "192.0.2.1"}
	fb, err := svc.Cases.Submit(context.Background(), anon, service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: e.unit["W"],
		Title: "Đèn đường hỏng", Description: "Đèn đường thôn 2 hỏng đã một tháng.",
		Identity: &service.CaseIdentity{Name: "Phạm Thị Dung", Phone: "0909123456", Address: "Thôn 2"}})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := svc.Cases.Submit(context.Background(), anon, service.CaseInput{Kind: service.CaseComplaint, PlaceUnitID: e.unit["W"],
		Title: "Khiếu nại bồi thường", Description: "Mức bồi thường quá thấp.",
		Identity: &service.CaseIdentity{Name: "Lê Văn Cường", Phone: "0911222333", Address: "Thôn Đông"}})
	if err != nil {
		t.Fatal(err)
	}
	return caseworkEnv{uenv: e, handlerW: e.sessionAt("xulyw", authz.RoleCaseHandler, e.unit["W"]),
		handlerX: e.sessionAt("xulyx", authz.RoleCaseHandler, x.ID), officer: e.sessionAt("canbo", authz.RoleUnitOfficer, e.unit["P"]),
		feedback: fb, complaint: cp}
}

func (e caseworkEnv) page(path, cookie string) (int, string) {
	e.t.Helper()
	code, body := e.get(path, "192.0.2.10", "vi", cookie)
	return code, html.UnescapeString(body)
}

func TestCaseworkList(t *testing.T) {
	e := newCaseworkEnv(t)
	code, body := e.page("/cases", e.handlerW)
	if code != http.StatusOK {
		t.Fatalf("list: %d", code)
	}
	for _, want := range []string{e.feedback.TrackingCode, e.complaint.TrackingCode, `<table class="cards">`, "Xã Đông Sơn", "Trang 1/1", "2 vụ việc",
		`class="badge c-received"`, "Đã tiếp nhận", `href="/cases"`, `href="/cases/record"`} {
		if !strings.Contains(body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	// Filters: kind, status (none closed: the empty state), unit.
	_, body = e.page("/cases?kind=complaint", e.handlerW)
	if !strings.Contains(body, e.complaint.TrackingCode) || strings.Contains(body, e.feedback.TrackingCode) {
		t.Errorf("kind filter")
	}
	_, body = e.page("/cases?status=closed", e.handlerW)
	if !strings.Contains(body, "Không có vụ việc nào phù hợp.") || strings.Contains(body, e.feedback.TrackingCode) {
		t.Errorf("status filter")
	}
	if code, _ := e.page("/cases?kind=castle", e.handlerW); code != http.StatusUnprocessableEntity {
		t.Errorf("bad kind: %d", code)
	}
	_, body = e.page("/cases?unit="+strconv.FormatInt(e.unit["W"], 10)+"&overdue=1", e.handlerW)
	if strings.Contains(body, e.feedback.TrackingCode) {
		t.Errorf("overdue filter shows a case without a passed deadline")
	}
	// The handler of another commune sees neither case, nor may they filter on W.
	if _, body = e.page("/cases", e.handlerX); strings.Contains(body, e.feedback.TrackingCode) {
		t.Errorf("handler of X sees W's case")
	}
	if code, _ := e.page("/cases?unit="+strconv.FormatInt(e.unit["W"], 10), e.handlerX); code != http.StatusForbidden {
		t.Errorf("handler of X filters on W: %d", code)
	}
	// Without a case role: 403 and no menu entry; not signed in: sign-in.
	if code, _ := e.page("/cases", e.officer); code != http.StatusForbidden {
		t.Errorf("officer: %d", code)
	}
	if _, body := e.page("/account", e.officer); strings.Contains(body, `href="/cases"`) {
		t.Errorf("officer's menu offers the cases")
	}
	if code, _ := e.page("/cases", ""); code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", code)
	}
	// Deadlines: days left and late.
	if _, err := e.st.DB().Exec(bind(e.st, `UPDATE cases SET accept_due = '2000-01-03' WHERE id = ?`), e.complaint.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.DB().Exec(bind(e.st, `UPDATE cases SET accept_due = '2099-12-31' WHERE id = ?`), e.feedback.ID); err != nil {
		t.Fatal(err)
	}
	_, body = e.page("/cases", e.handlerW)
	if !strings.Contains(body, "quá hạn ") || !strings.Contains(body, "còn ") || !strings.Contains(body, "31/12/2099") {
		t.Errorf("days left / late not shown")
	}
	_, body = e.page("/cases?overdue=1", e.handlerW)
	if !strings.Contains(body, e.complaint.TrackingCode) || strings.Contains(body, e.feedback.TrackingCode) {
		t.Errorf("overdue filter")
	}
}

func TestCaseworkPagination(t *testing.T) {
	e := newCaseworkEnv(t)
	svc := servicetest.New(t, e.st)
	for i := range 50 {
		if _, err := svc.Cases.Submit(context.Background(), service.SystemPrincipal(), service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: e.unit["W"],
			Title: "Phản ánh " + strconv.Itoa(i), Description: "Nội dung"}); err != nil {
			t.Fatal(err)
		}
	}
	_, body := e.page("/cases?kind=feedback", e.handlerW)
	if !strings.Contains(body, "Trang 1/2") || !strings.Contains(body, `href="/cases?kind=feedback&page=2"`) || strings.Contains(body, `rel="prev"`) {
		t.Fatalf("page 1")
	}
	_, body = e.page("/cases?kind=feedback&page=2", e.handlerW)
	if !strings.Contains(body, "Trang 2/2") || !strings.Contains(body, `href="/cases?kind=feedback&page=1"`) || strings.Contains(body, `rel="next"`) {
		t.Fatalf("page 2")
	}
}

func TestCaseworkDetailAndSteps(t *testing.T) {
	e := newCaseworkEnv(t)
	id := strconv.FormatInt(e.feedback.ID, 10)
	path := "/cases/" + id
	code, body := e.page(path, e.handlerW)
	if code != http.StatusOK {
		t.Fatalf("detail: %d", code)
	}
	for _, want := range []string{e.feedback.TrackingCode, "Đèn đường thôn 2 hỏng", "Cổng thông tin điện tử", "Xem thông tin người gửi",
		`action="/cases/` + id + `/accept"`, `action="/cases/` + id + `/transfer"`, `/cases/` + id + `/confirm/refuse?version=1`, "Người dân chưa đánh giá."} {
		if !strings.Contains(body, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	if strings.Contains(body, "Phạm Thị Dung") || strings.Contains(body, `action="/cases/`+id+`/resolve"`) {
		t.Errorf("detail shows the identity or a step not allowed yet")
	}
	if code, _ := e.page(path, e.handlerX); code != http.StatusForbidden {
		t.Errorf("handler of X reads W's case: %d", code)
	}
	if code, _ := e.page("/cases/999999", e.handlerW); code != http.StatusNotFound {
		t.Errorf("no case: %d", code)
	}

	// Accept; then a step on the stale version: 409, the page again with the message.
	step := func(cookie, name string, form url.Values) (int, string, string) {
		t.Helper()
		c, b, loc := e.post(path+"/"+name, "vi", cookie, form)
		return c, html.UnescapeString(b), loc
	}
	code, _, loc := step(e.handlerW, "accept", url.Values{"version": {"1"}, "public_note": {"Đã giao thôn 2 kiểm tra"}})
	if code != http.StatusSeeOther || loc != path+"?flash=casework.done.accept" {
		t.Fatalf("accept: %d %q", code, loc)
	}
	if _, body = e.page(loc, e.handlerW); !strings.Contains(body, "Đã thụ lý vụ việc.") || !strings.Contains(body, "Đã giao thôn 2 kiểm tra") {
		t.Errorf("after accept: banner or note missing")
	}
	code, body, _ = step(e.handlerW, "suspend", url.Values{"version": {"1"}, "public_note": {"Chờ giám định"}})
	if code != http.StatusConflict || !strings.Contains(body, "vừa được người khác cập nhật") {
		t.Errorf("stale version: %d", code)
	}
	// Field errors beside the field: a reason is required, a date must be a date.
	code, body, _ = step(e.handlerW, "suspend", url.Values{"version": {"2"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="suspend-public_note-err"`) {
		t.Errorf("suspend without reason: %d", code)
	}
	code, body, _ = step(e.handlerW, "extend", url.Values{"version": {"2"}, "until": {"2099-02-30"}, "public_note": {"Cần thêm thời gian"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="extend-until-err"`) {
		t.Errorf("extend bad date: %d", code)
	}
	if code, _, _ = step(e.handlerW, "extend", url.Values{"version": {"2"}, "until": {"2099-03-01"}, "public_note": {"Cần thêm thời gian"}}); code != http.StatusSeeOther {
		t.Errorf("extend: %d", code)
	}
	if code, _, _ = step(e.handlerW, "suspend", url.Values{"version": {"3"}, "public_note": {"Chờ giám định"}}); code != http.StatusSeeOther {
		t.Errorf("suspend: %d", code)
	}
	// Transfer to X: the unit is required; then X's handler resolves and closes.
	code, body, _ = step(e.handlerW, "transfer", url.Values{"version": {"4"}, "public_note": {"Thuộc thẩm quyền xã Đông Tiến"}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("transfer from suspended: %d", code)
	}
	if code, _, _ = step(e.handlerW, "resolve", url.Values{"version": {"4"}, "public_note": {"Đã thay đèn"}}); code != http.StatusSeeOther {
		t.Fatalf("resolve: %d", code)
	}
	// Close goes through a confirmation page.
	code, body = e.page(path+"/confirm/close?version=5", e.handlerW)
	if code != http.StatusOK || !strings.Contains(body, `action="/cases/`+id+`/close"`) || !strings.Contains(body, `name="version" value="5"`) {
		t.Fatalf("close confirm: %d", code)
	}
	if code, _ = e.page(path+"/confirm/close", e.handlerX); code != http.StatusForbidden {
		t.Errorf("close confirm for X: %d", code)
	}
	if code, _, _ = step(e.handlerW, "close", url.Values{"version": {"5"}}); code != http.StatusSeeOther {
		t.Fatalf("close: %d", code)
	}
	if _, body = e.page(path, e.handlerW); !strings.Contains(body, `class="badge c-closed"`) || strings.Contains(body, `class="steps"`) {
		t.Errorf("closed case page: status not shown or steps offered")
	}

	// The complaint: transfer to X, X accepts; W keeps reading the history.
	cid := strconv.FormatInt(e.complaint.ID, 10)
	cpath := "/cases/" + cid
	code, body, _ = e.post(cpath+"/transfer", "vi", e.handlerW, url.Values{"version": {"1"}, "public_note": {"Chuyển xã Đông Tiến"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="transfer-to_unit_id-err"`) {
		t.Errorf("transfer without unit: %d", code)
	}
	if code, _, _ = e.post(cpath+"/transfer", "vi", e.handlerW, url.Values{"version": {"1"}, "to_unit_id": {strconv.FormatInt(e.unit["X"], 10)}, "public_note": {"Chuyển xã Đông Tiến"}}); code != http.StatusSeeOther {
		t.Fatalf("transfer: %d", code)
	}
	if code, body = e.page(cpath, e.handlerW); code != http.StatusOK || !strings.Contains(body, "Từ Xã Đông Sơn sang Xã Đông Tiến") || strings.Contains(body, `action="/cases/`+cid+`/accept"`) {
		t.Errorf("W after the transfer: %d", code)
	}
	// Refusal goes through a confirmation page that asks the reason.
	if code, body = e.page(cpath+"/confirm/refuse?version=2", e.handlerX); code != http.StatusOK || !strings.Contains(body, `id="refuse-public_note"`) {
		t.Fatalf("refuse confirm: %d", code)
	}
	code, body, _ = e.post(cpath+"/refuse", "vi", e.handlerX, url.Values{"version": {"2"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="refuse-public_note-err"`) || !strings.Contains(body, `action="/cases/`+cid+`/refuse"`) {
		t.Errorf("refuse without reason: %d", code)
	}
	if code, _, _ = e.post(cpath+"/refuse", "vi", e.handlerX, url.Values{"version": {"2"}, "public_note": {"Đã hết thời hiệu khiếu nại"}}); code != http.StatusSeeOther {
		t.Errorf("refuse: %d", code)
	}
	if code, _, _ = e.post(cpath+"/refuse", "vi", e.handlerW, url.Values{"version": {"3"}, "public_note": {"x"}}); code != http.StatusForbidden {
		t.Errorf("W steps X's case: %d", code)
	}
	if code, _, _ = e.post(cpath+"/nonsense", "vi", e.handlerX, url.Values{"version": {"3"}}); code != http.StatusNotFound {
		t.Errorf("unknown step: %d", code)
	}
}

func TestCaseworkIdentity(t *testing.T) {
	e := newCaseworkEnv(t)
	path := "/cases/" + strconv.FormatInt(e.feedback.ID, 10) + "/identity"
	count := func() int {
		_, n, err := e.st.ListAudit(context.Background(), store.AuditFilter{Action: "case.identity_view"})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if code, _, _ := e.post(path, "vi", e.handlerX, url.Values{}); code != http.StatusForbidden {
		t.Errorf("handler of another unit: %d", code)
	}
	if code, _, _ := e.post(path, "vi", e.admin, url.Values{}); code != http.StatusForbidden {
		t.Errorf("administrator: %d", code)
	}
	if count() != before {
		t.Errorf("refused views were logged")
	}
	code, body, _ := e.post(path, "vi", e.handlerW, url.Values{})
	body = html.UnescapeString(body)
	if code != http.StatusOK || !strings.Contains(body, "Phạm Thị Dung") || !strings.Contains(body, "0909123456") || !strings.Contains(body, "Thôn 2") ||
		!strings.Contains(body, "đã được ghi vào nhật ký kiểm tra") {
		t.Fatalf("identity: %d", code)
	}
	if count() != before+1 {
		t.Errorf("identity view not audited: %d, want %d", count(), before+1)
	}
}

func TestCaseworkRecord(t *testing.T) {
	e := newCaseworkEnv(t)
	if code, body := e.page("/cases/record", e.handlerW); code != http.StatusOK || !strings.Contains(body, `name="channel"`) || !strings.Contains(body, "Xã Đông Sơn") {
		t.Fatalf("form: %d", code)
	}
	if code, _ := e.page("/cases/record", e.officer); code != http.StatusForbidden {
		t.Errorf("officer form: %d", code)
	}
	w := strconv.FormatInt(e.unit["W"], 10)
	form := func(channel, unit string) url.Values {
		return url.Values{"channel": {channel}, "unit_id": {unit}, "kind": {"complaint"}, "place_unit_id": {w}, "title": {"Khiếu nại thu hồi đất"},
			"description": {"Ông Tâm đến trụ sở trình bày."}, "name": {"Trần Văn Tâm"}, "address": {"Thôn 3"}, "phone": {"0912345678"}}
	}
	code, body, _ := e.post("/cases/record", "vi", e.handlerW, form("web", w))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="case-channel-err"`) {
		t.Errorf("public channel: %d", code)
	}
	if code, _, _ = e.post("/cases/record", "vi", e.handlerX, form("reception", w)); code != http.StatusForbidden {
		t.Errorf("handler of X records for W: %d", code)
	}
	code, body, _ = e.post("/cases/record", "vi", e.handlerW, form("reception", w))
	body = html.UnescapeString(body)
	tc := regexp.MustCompile(`TH-\d{4}-[0-9A-Z]+`).FindString(body)
	if code != http.StatusOK || tc == "" || !strings.Contains(body, "/cases/track/"+tc+"?secret=") {
		t.Fatalf("record: %d %q", code, tc)
	}
	_, body = e.page("/cases?q=&kind=complaint", e.handlerW)
	if !strings.Contains(body, tc) {
		t.Errorf("recorded case not listed")
	}
	if _, body = e.page("/cases?kind=complaint", e.handlerW); !strings.Contains(body, tc) {
		t.Errorf("recorded case not listed")
	}
}

// bind writes a one-parameter test query in the engine's placeholder.
func bind(st *store.Store, q string) string {
	if st.Dialect() == store.Postgres {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}
