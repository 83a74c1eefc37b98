package open311_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/app"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// now is the store's clock: 20 Nov 2026, 10:00 in Vietnam.
var now = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

type env struct {
	t    *testing.T
	st   *store.Store
	d    *server.Deps
	h    http.Handler
	key  string
	unit map[string]int64
	at   time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.Open(t)
	e := &env{t: t, st: st, unit: map[string]int64{}, at: now}
	st.SetClock(func() time.Time { return e.at })
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if m := b.Missing(); len(m) > 0 {
			t.Errorf("missing i18n keys: %q", m)
		}
	})
	cfg := config.Default()
	cfg.BaseURL = "https://dichvucong.thanhhoa.gov.vn"
	e.d = &server.Deps{Svc: servicetest.New(t, st), Cfg: cfg, I18n: b, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy: account.DefaultPolicy, Version: "test", Metrics: server.NewMetrics()}
	ctx := context.Background()
	sys := audit.System("test")
	add := func(code, name string, kind org.Kind, parent string) {
		u := org.Unit{Code: code, Name: name, Kind: kind, ParentID: e.unit[parent], ValidFrom: "2025-07-01"}
		if err := st.CreateUnit(ctx, sys, &u); err != nil {
			t.Fatal(err)
		}
		e.unit[code] = u.ID
	}
	add("38", "Tỉnh Thanh Hóa", org.KindProvince, "")
	add("14932", "Phường Hạc Thành", org.KindWard, "38")
	add("15841", "Xã Đông Sơn", org.KindCommune, "38")
	for _, c := range []store.CaseCategory{
		{Code: "road", NameVi: "Giao thông, đường sá", NameEn: "Roads and traffic"},
		{Code: "env", NameVi: "Môi trường", NameEn: "Environment"},
	} {
		if err := st.PutCaseCategory(ctx, sys, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.d.Svc.Tree.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	var ready atomic.Bool
	ready.Store(true)
	if e.h, err = app.Handler(e.d, &ready); err != nil {
		t.Fatal(err)
	}
	e.key, _, err = e.d.Svc.Open311Keys.Create(ctx, service.SystemPrincipal(), "Ứng dụng Hành chính công")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) get(path string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func (e *env) post(path string, form url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

type apiError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

// wantErrors checks the specification's error list, JSON or XML, and its status.
func wantErrors(t *testing.T, w *httptest.ResponseRecorder, status int) []apiError {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
	var errs []apiError
	if strings.HasPrefix(w.Header().Get("Content-Type"), "text/xml") {
		var x struct {
			XMLName xml.Name   `xml:"errors"`
			Errors  []apiError `xml:"error"`
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("errors XML: %v: %s", err, w.Body.String())
		}
		errs = x.Errors
	} else if err := json.Unmarshal(w.Body.Bytes(), &errs); err != nil {
		t.Fatalf("errors JSON: %v: %s", err, w.Body.String())
	}
	if len(errs) == 0 {
		t.Fatalf("empty error list: %s", w.Body.String())
	}
	for _, x := range errs {
		if x.Code != status || x.Description == "" {
			t.Fatalf("error %+v in a %d answer", x, status)
		}
	}
	return errs
}

func decodeJSON[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d %s: %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, w.Body.String())
	}
	return v
}

func decodeXML[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/xml") {
		t.Fatalf("status %d %s: %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, w.Body.String())
	}
	return v
}

func TestDiscovery(t *testing.T) {
	e := newEnv(t)
	type endpoint struct {
		Specification string   `json:"specification" xml:"specification"`
		URL           string   `json:"url" xml:"url"`
		Changeset     string   `json:"changeset" xml:"changeset"`
		Type          string   `json:"type" xml:"type"`
		Formats       []string `json:"formats" xml:"formats>format"`
	}
	type discovery struct {
		XMLName    xml.Name   `json:"-" xml:"discovery"`
		Changeset  string     `json:"changeset" xml:"changeset"`
		Contact    string     `json:"contact" xml:"contact"`
		KeyService string     `json:"key_service" xml:"key_service"`
		Endpoints  []endpoint `json:"endpoints" xml:"endpoints>endpoint"`
	}
	check := func(d discovery) {
		t.Helper()
		if d.Changeset == "" || d.Contact == "" || d.KeyService == "" || len(d.Endpoints) != 1 {
			t.Fatalf("discovery: %+v", d)
		}
		ep := d.Endpoints[0]
		if ep.Specification != "http://wiki.open311.org/GeoReport_v2" || ep.URL != "https://dichvucong.thanhhoa.gov.vn/open311/v2" ||
			ep.Type != "production" || strings.Join(ep.Formats, ",") != "text/xml,application/json" {
			t.Fatalf("endpoint: %+v", ep)
		}
		if _, err := time.Parse(time.RFC3339, ep.Changeset); err != nil {
			t.Fatalf("changeset %q: %v", ep.Changeset, err)
		}
	}
	check(decodeJSON[discovery](t, e.get("/open311/v2/discovery.json")))
	check(decodeXML[discovery](t, e.get("/open311/v2/discovery.xml")))
}

type svc struct {
	Code        string `json:"service_code" xml:"service_code"`
	Name        string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

func TestServicesAndDefinitions(t *testing.T) {
	e := newEnv(t)
	// Every category is a service: the ones the migrations seed and the two
	// added here.
	cats, err := e.d.Svc.Cases.Categories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	list := decodeJSON[[]svc](t, e.get("/open311/v2/services.json"))
	find := func(list []svc, code string) svc {
		for _, s := range list {
			if s.Code == code {
				return s
			}
		}
		t.Fatalf("service %s missing from %+v", code, list)
		return svc{}
	}
	if road := find(list, "road"); len(list) != len(cats) || find(list, "env").Name != "Môi trường" || road.Name != "Giao thông, đường sá" || !road.Metadata || road.Type != "realtime" {
		t.Fatalf("services: %d of %d categories: %+v", len(list), len(cats), list)
	}
	// The language follows Accept-Language.
	en := decodeJSON[[]svc](t, e.get("/open311/v2/services.json", "Accept-Language", "en"))
	if find(en, "road").Name != "Roads and traffic" {
		t.Fatalf("services in English: %+v", en)
	}
	x := decodeXML[struct {
		XMLName  xml.Name `xml:"services"`
		Services []svc    `xml:"service"`
	}](t, e.get("/open311/v2/services.xml"))
	if len(x.Services) != len(cats) || find(x.Services, "road").Name != "Giao thông, đường sá" || !find(x.Services, "road").Metadata {
		t.Fatalf("services XML: %+v", x)
	}
	// jurisdiction_id: ours or none; another is not found.
	decodeJSON[[]svc](t, e.get("/open311/v2/services.json?jurisdiction_id=dichvucong.thanhhoa.gov.vn"))
	wantErrors(t, e.get("/open311/v2/services.json?jurisdiction_id=sf.gov"), 404)

	type value struct {
		Key  string `json:"key" xml:"key"`
		Name string `json:"name" xml:"name"`
	}
	type attribute struct {
		Variable            bool    `json:"variable" xml:"variable"`
		Code                string  `json:"code" xml:"code"`
		Datatype            string  `json:"datatype" xml:"datatype"`
		Required            bool    `json:"required" xml:"required"`
		DatatypeDescription string  `json:"datatype_description" xml:"datatype_description"`
		Order               int     `json:"order" xml:"order"`
		Description         string  `json:"description" xml:"description"`
		Values              []value `json:"values" xml:"values>value"`
	}
	type definition struct {
		XMLName    xml.Name    `json:"-" xml:"service_definition"`
		Code       string      `json:"service_code" xml:"service_code"`
		Attributes []attribute `json:"attributes" xml:"attributes>attribute"`
	}
	check := func(d definition) {
		t.Helper()
		if d.Code != "road" || len(d.Attributes) != 3 {
			t.Fatalf("definition: %+v", d)
		}
		k := d.Attributes[0]
		if k.Code != "kind" || k.Datatype != "singlevaluelist" || !k.Required || !k.Variable || k.Order != 1 || k.Description == "" || len(k.Values) != 5 {
			t.Fatalf("kind attribute: %+v", k)
		}
		if k.Values[0] != (value{"feedback", "Phản ánh"}) || k.Values[4] != (value{"denunciation", "Tố cáo"}) {
			t.Fatalf("kind values: %+v", k.Values)
		}
		if d.Attributes[1].Code != "title" || d.Attributes[1].Datatype != "string" || d.Attributes[1].Required {
			t.Fatalf("title attribute: %+v", d.Attributes[1])
		}
	}
	check(decodeJSON[definition](t, e.get("/open311/v2/services/road.json")))
	check(decodeXML[definition](t, e.get("/open311/v2/services/road.xml")))
	wantErrors(t, e.get("/open311/v2/services/nope.json"), 404)
	wantErrors(t, e.get("/open311/v2/services/nope.xml"), 404)

	// The format suffix is required; unknown paths and methods answer errors.
	wantErrors(t, e.get("/open311/v2/services"), 404)
	wantErrors(t, e.get("/open311/v2/discovery"), 404)
	wantErrors(t, e.get("/open311/v2/nothing.json"), 404)
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, httptest.NewRequest("DELETE", "/open311/v2/services.json", nil))
	wantErrors(t, w, 405)
	wantErrors(t, e.post("/open311/v2/services.xml", nil), 405)
}

type request struct {
	ID                string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat" xml:"lat"`
	Long              *float64 `json:"long" xml:"long"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
	Token             string   `json:"token" xml:"token"`
	AccountID         string   `json:"account_id" xml:"account_id"`
}

type requestsXML struct {
	XMLName  xml.Name  `xml:"service_requests"`
	Requests []request `xml:"request"`
}

// submit posts a request and returns its id.
func (e *env) submit(form url.Values) string {
	e.t.Helper()
	form.Set("api_key", e.key)
	rs := decodeJSON[[]request](e.t, e.post("/open311/v2/requests.json", form))
	if len(rs) != 1 || !strings.HasPrefix(rs[0].ID, "TH-2026-") || rs[0].ServiceNotice == "" {
		e.t.Fatalf("submitted: %+v", rs)
	}
	return rs[0].ID
}

func ids(rs []request) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return strings.Join(out, ",")
}

func TestRequests(t *testing.T) {
	e := newEnv(t)
	e.d.Svc.Cases.LimitIntake(nil) // every request comes from one address here
	ctx := context.Background()
	base := url.Values{"service_code": {"road"}, "attribute[kind]": {"feedback"}, "lat": {"19.8067"}, "long": {"105.7852"},
		"address_string": {"12 Lê Lợi, Phường Hạc Thành"},
		"first_name":     {"Thị Bình"}, "last_name": {"Trần"}, "email": {"binh@example.vn"}, "phone": {"0987654321"},
		"media_url": {"https://anh.example.vn/o-ga.jpg"}, "account_id": {"acc-77"}}
	base["description"] = []string{"Ổ gà lớn trước số 12 đường Lê Lợi."}

	// Without a key, with a wrong key: 403 in the error format.
	noKey := url.Values{}
	for k, v := range base {
		noKey[k] = v
	}
	wantErrors(t, e.post("/open311/v2/requests.json", noKey), 403)
	noKey.Set("api_key", "o311_wrong")
	wantErrors(t, e.post("/open311/v2/requests.xml", noKey), 403)

	// Bad input: 400, naming the parameter.
	bad := func(change func(url.Values), param string) {
		t.Helper()
		f := url.Values{"api_key": {e.key}}
		for k, v := range base {
			f[k] = v
		}
		change(f)
		errs := wantErrors(t, e.post("/open311/v2/requests.json", f), 400)
		if !strings.HasPrefix(errs[0].Description, param+": ") {
			t.Fatalf("error names %q, want %s", errs[0].Description, param)
		}
	}
	other := url.Values{"api_key": {e.key}, "jurisdiction_id": {"sf.gov"}}
	for k, v := range base {
		other[k] = v
	}
	wantErrors(t, e.post("/open311/v2/requests.json", other), 404)
	bad(func(f url.Values) { f.Del("service_code") }, "service_code")
	bad(func(f url.Values) { f.Set("service_code", "nope") }, "service_code")
	bad(func(f url.Values) { f.Del("attribute[kind]") }, "attribute[kind]")
	bad(func(f url.Values) { f.Set("lat", "north") }, "lat")
	bad(func(f url.Values) { f.Del("long") }, "lat")
	bad(func(f url.Values) { f.Set("lat", "91") }, "lat")
	bad(func(f url.Values) { f.Del("lat"); f.Del("long"); f.Del("address_string") }, "lat")
	bad(func(f url.Values) { f.Set("address_id", "99999") }, "address_id")
	bad(func(f url.Values) { f.Set("media_url", "javascript:alert(1)") }, "media_url")
	bad(func(f url.Values) { f.Set("email", "not an address") }, "email")
	// A denunciation needs the author's address.
	bad(func(f url.Values) { f.Set("attribute[kind]", "denunciation") }, "attribute[address]")

	// With a key: 200 and the request's id (also its token).
	w := e.post("/open311/v2/requests.json", func() url.Values {
		f := url.Values{"api_key": {e.key}}
		for k, v := range base {
			f[k] = v
		}
		return f
	}())
	posted := decodeJSON[[]request](t, w)
	if len(posted) != 1 || posted[0].ID == "" || posted[0].Token != posted[0].ID || posted[0].AccountID != "acc-77" {
		t.Fatalf("posted: %s", w.Body.String())
	}
	pothole := posted[0].ID

	// XML, an address_id instead of coordinates, an older request.
	e.at = now.AddDate(0, 0, -60)
	f := url.Values{"api_key": {e.key}, "service_code": {"env"}, "attribute[kind]": {"recommendation"}, "address_id": {"15841"},
		"description": {"Đề nghị thu gom rác thôn 3 hai lần một tuần."}, "attribute[title]": {"Thu gom rác"}}
	x := decodeXML[requestsXML](t, e.post("/open311/v2/requests.xml", f))
	if len(x.Requests) != 1 || x.Requests[0].ID == "" {
		t.Fatalf("posted XML: %+v", x)
	}
	garbage := x.Requests[0].ID
	// A complaint (multipart, the documented extension): public only by its id, and without detail.
	e.at = now.AddDate(0, 0, -1)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"api_key": e.key, "service_code": "road", "attribute[kind]": "complaint", "address_id": "14932",
		"description": "Khiếu nại quyết định thu hồi đất của ông Lê Văn Cường.", "first_name": "Văn Dũng", "last_name": "Phạm",
		"phone": "0912345678", "attribute[address]": "Thôn 5, Xã Đông Sơn"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("media", "anh.jpg")
	fw.Write([]byte("\xff\xd8\xff not really a photo"))
	mw.Close()
	r := httptest.NewRequest("POST", "/open311/v2/requests.json", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w = httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	complaint := decodeJSON[[]request](t, w)[0].ID
	e.at = now

	// The default search: the last 90 days, feedback and recommendations only.
	all := decodeJSON[[]request](t, e.get("/open311/v2/requests.json"))
	if ids(all) != pothole+","+garbage {
		t.Fatalf("default search: %s", ids(all))
	}
	p := all[0]
	if p.Status != "open" || p.ServiceCode != "road" || p.ServiceName != "Giao thông, đường sá" || p.AgencyResponsible != "Tỉnh Thanh Hóa" ||
		p.Description != "Ổ gà lớn trước số 12 đường Lê Lợi." || p.Address != "12 Lê Lợi, Phường Hạc Thành" ||
		p.Lat == nil || *p.Lat != 19.8067 || *p.Long != 105.7852 || p.MediaURL != "https://anh.example.vn/o-ga.jpg" ||
		p.RequestedDatetime != "2026-11-20T10:00:00+07:00" || p.UpdatedDatetime != "2026-11-20T10:00:00+07:00" {
		t.Fatalf("pothole: %+v", p)
	}
	if g := all[1]; g.AddressID != "15841" || g.AgencyResponsible != "Xã Đông Sơn" || g.Lat != nil {
		t.Fatalf("garbage: %+v", g)
	}
	// service_request_id: a list, and other filters are then ignored.
	byID := decodeJSON[[]request](t, e.get("/open311/v2/requests.json?service_request_id="+complaint+","+pothole+"&service_code=env&status=closed"))
	if ids(byID) != pothole+","+complaint {
		t.Fatalf("by id: %s", ids(byID))
	}
	if c := byID[1]; c.Description != "" || c.Address != "" || c.AddressID != "14932" || c.Lat != nil || c.MediaURL != "" || c.ServiceCode != "road" {
		t.Fatalf("a complaint carries detail: %+v", c)
	}
	// service_code, status, start_date and end_date.
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?service_code=env"))); got != garbage {
		t.Fatalf("service_code=env: %s", got)
	}
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?service_code=env,road"))); got != pothole+","+garbage {
		t.Fatalf("service_code=env,road: %s", got)
	}
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?start_date=2026-11-01T00:00:00+07:00"))); got != pothole {
		t.Fatalf("start_date (unencoded +): %s", got)
	}
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?end_date="+url.QueryEscape("2026-10-01T00:00:00Z")))); got != garbage {
		t.Fatalf("end_date: %s", got)
	}
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?start_date=2026-10-01T00:00:00Z&end_date=2026-10-31T00:00:00Z"))); got != "" {
		t.Fatalf("an empty window: %s", got)
	}
	wantErrors(t, e.get("/open311/v2/requests.json?start_date=yesterday"), 400)
	wantErrors(t, e.get("/open311/v2/requests.xml?end_date=2026-13-01"), 400)
	wantErrors(t, e.get("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z"), 400)
	wantErrors(t, e.get("/open311/v2/requests.json?start_date=2026-11-01T00:00:00Z&end_date=2026-10-01T00:00:00Z"), 400)
	wantErrors(t, e.get("/open311/v2/requests.json?status=pending"), 400)

	// Closing the pothole: status closed, the public note as status_notes.
	c, err := e.st.CaseByCode(ctx, pothole)
	if err != nil {
		t.Fatal(err)
	}
	sys := service.SystemPrincipal()
	if c, err = e.d.Svc.Cases.Step(ctx, sys, c.ID, service.StepAccept, service.CaseStep{Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err = e.d.Svc.Cases.Step(ctx, sys, c.ID, service.StepResolve, service.CaseStep{Version: c.Version, PublicNote: "Đã vá xong ổ gà."}); err != nil {
		t.Fatal(err)
	}
	closed := decodeJSON[[]request](t, e.get("/open311/v2/requests.json?status=closed"))
	if ids(closed) != pothole || closed[0].StatusNotes != "Đã vá xong ổ gà." || closed[0].Status != "closed" {
		t.Fatalf("closed: %+v", closed)
	}
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?status=open"))); got != garbage {
		t.Fatalf("open: %s", got)
	}
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?status=open,closed"))); got != pothole+","+garbage {
		t.Fatalf("open,closed: %s", got)
	}
	if got := ids(decodeJSON[[]request](t, e.get("/open311/v2/requests.json?status=closed&status=open"))); got != pothole+","+garbage {
		t.Fatalf("status repeated: %s", got)
	}

	// One request, JSON and XML; an unknown id is a 404 error list.
	one := decodeJSON[[]request](t, e.get("/open311/v2/requests/"+garbage+".json"))
	if len(one) != 1 || one[0].ID != garbage || one[0].Description == "" {
		t.Fatalf("one: %+v", one)
	}
	ox := decodeXML[requestsXML](t, e.get("/open311/v2/requests/"+complaint+".xml"))
	if len(ox.Requests) != 1 || ox.Requests[0].ID != complaint || ox.Requests[0].Status != "open" {
		t.Fatalf("one XML: %+v", ox)
	}
	wantErrors(t, e.get("/open311/v2/requests/TH-2026-ZZZZZZ.json"), 404)
	wantErrors(t, e.get("/open311/v2/requests/42.xml"), 404)
	wantErrors(t, e.get("/open311/v2/requests/"+garbage), 404)

	// Tokens.
	tok := decodeJSON[[]request](t, e.get("/open311/v2/tokens/"+pothole+".json"))
	if len(tok) != 1 || tok[0].ID != pothole || tok[0].Token != pothole {
		t.Fatalf("token: %+v", tok)
	}
	tx := decodeXML[requestsXML](t, e.get("/open311/v2/tokens/"+pothole+".xml"))
	if len(tx.Requests) != 1 || tx.Requests[0].ID != pothole {
		t.Fatalf("token XML: %+v", tx)
	}
	wantErrors(t, e.get("/open311/v2/tokens/nope.json"), 404)

	// No answer carries personal data.
	for _, path := range []string{
		"/open311/v2/requests.json", "/open311/v2/requests.xml", "/open311/v2/requests.json?status=closed",
		"/open311/v2/requests.json?service_request_id=" + pothole + "," + garbage + "," + complaint,
		"/open311/v2/requests.xml?service_request_id=" + pothole + "," + garbage + "," + complaint,
		"/open311/v2/requests/" + complaint + ".json", "/open311/v2/requests/" + pothole + ".xml",
		"/open311/v2/tokens/" + complaint + ".json",
	} {
		w := e.get(path)
		for _, s := range []string{"Trần", "Thị Bình", "binh@example.vn", "0987654321", "Phạm", "Văn Dũng", "0912345678", "Thôn 5", "Lê Văn Cường", "acc-77"} {
			if strings.Contains(w.Body.String(), s) {
				t.Fatalf("%s carries %q: %s", path, s, w.Body.String())
			}
		}
	}
	// …while the handlers see who wrote.
	cc, _ := e.st.CaseByCode(ctx, complaint)
	id, err := e.d.Svc.Cases.Identity(ctx, sys, cc.ID)
	if err != nil || id.Name != "Phạm Văn Dũng" || id.Phone != "0912345678" || id.Address != "Thôn 5, Xã Đông Sơn" || cc.Channel != "open311" {
		t.Fatalf("identity: %+v %v (channel %s)", id, err, cc.Channel)
	}

	// A revoked key submits no more.
	keys, err := e.d.Svc.Open311Keys.List(ctx, sys)
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys: %+v %v", keys, err)
	}
	if err := e.d.Svc.Open311Keys.Revoke(ctx, sys, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	wantErrors(t, e.post("/open311/v2/requests.json", f), 403)
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t)
	e.d.Svc.Cases.LimitIntake(service.NewLimiter(service.CaseIntakeRate, 1))
	f := url.Values{"service_code": {"road"}, "attribute[kind]": {"feedback"}, "address_string": {"Chợ Vườn Hoa"}, "description": {"Đèn đường hỏng."}}
	e.submit(f)
	w := e.post("/open311/v2/requests.json", f)
	wantErrors(t, w, 429)
	if w.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}

func TestKeysNeedAdministrator(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, _, err := e.d.Svc.Open311Keys.Create(ctx, nil, "x"); err != service.ErrUnauthenticated {
		t.Fatalf("anonymous: %v", err)
	}
	officer := &service.Principal{User: account.User{ID: 99, Username: "canbo"}}
	if _, _, err := e.d.Svc.Open311Keys.Create(ctx, officer, "x"); err != service.ErrForbidden {
		t.Fatalf("officer: %v", err)
	}
	if _, _, err := e.d.Svc.Open311Keys.Create(ctx, service.SystemPrincipal(), " "); err == nil {
		t.Fatal("an empty name accepted")
	}
	if ok, _ := e.d.Svc.Open311Keys.Check(ctx, e.key); !ok {
		t.Fatal("the key is not accepted")
	}
	if _, n, err := e.st.ListAudit(ctx, store.AuditFilter{Action: "open311.key.create"}); err != nil || n != 1 {
		t.Fatalf("key creation audited: %d %v", n, err)
	}
}

// postMultipart sends fields and one file as multipart/form-data.
func (e *env) postMultipart(fields map[string]string, name string, data []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("media", name)
	fw.Write(data)
	mw.Close()
	r := httptest.NewRequest("POST", "/open311/v2/requests.json", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// A photo uploaded with a request (the multipart extension) is kept with the
// case, judged by its content, and its public address is the media_url.
func TestMultipartPhoto(t *testing.T) {
	e := newEnv(t)
	var png bytes.Buffer
	png.Write([]byte("\x89PNG\r\n\x1a\n"))
	png.Write([]byte("\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"))
	fields := map[string]string{"api_key": e.key, "service_code": "road", "attribute[kind]": "feedback",
		"address_id": "14932", "description": "Ổ gà trước cổng chợ."}
	w := e.postMultipart(fields, "o-ga.png", png.Bytes())
	id := decodeJSON[[]request](t, w)[0].ID
	rs := decodeJSON[[]request](t, e.get("/open311/v2/requests/"+id+".json"))
	prefix := "https://dichvucong.thanhhoa.gov.vn/cases/track/" + id + "/files/"
	if len(rs) != 1 || !strings.HasPrefix(rs[0].MediaURL, prefix) {
		t.Fatalf("media_url of an uploaded photo: %+v", rs)
	}
	img := e.get(strings.TrimPrefix(rs[0].MediaURL, "https://dichvucong.thanhhoa.gov.vn"))
	if img.Code != 200 || !bytes.Equal(img.Body.Bytes(), png.Bytes()) || img.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("photo: %d %q", img.Code, img.Header().Get("Content-Type"))
	}
	// HTML dressed as a photo is refused in the specification's format, and no case is made.
	before := decodeJSON[[]request](t, e.get("/open311/v2/requests.json"))
	w = e.postMultipart(fields, "anh.jpg", []byte("<html><script>alert(1)</script></html>"))
	if errs := wantErrors(t, w, 400); len(errs) == 0 || errs[0].Description == "" {
		t.Fatalf("errors: %+v", errs)
	}
	if after := decodeJSON[[]request](t, e.get("/open311/v2/requests.json")); len(after) != len(before) {
		t.Fatalf("a refused upload made a case: %d → %d", len(before), len(after))
	}
}

// A client application holding a key is counted on its own allowance, not
// on the few submissions a single address gets on the public form.
func TestKeyedClientAllowance(t *testing.T) {
	e := newEnv(t)
	f := url.Values{"service_code": {"road"}, "attribute[kind]": {"feedback"}, "address_string": {"Chợ Vườn Hoa"}, "description": {"Đèn đường hỏng."}}
	for i := 0; i < 3*service.CaseIntakeBurst; i++ {
		e.submit(f)
	}
	// The same address on the public JSON API is limited as before.
	var last int
	for i := 0; i <= service.CaseIntakeBurst; i++ {
		r := httptest.NewRequest("POST", "/api/v1/cases", strings.NewReader(`{"kind":"feedback","title":"Đèn đường","description":"Đèn đường hỏng."}`))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		last = w.Code
	}
	if last != 429 {
		t.Fatalf("public intake after %d submissions: %d, want 429", service.CaseIntakeBurst+1, last)
	}
}
