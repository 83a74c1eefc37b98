package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Open311 is the GeoReport v2 capability: the case categories as services,
// requests submitted by client applications holding a key, and the public
// search of requests.
//
// What is public: the search lists feedback and recommendations (phản ánh,
// kiến nghị) only, with their description, written address, coordinates
// and photo. Complaints, denunciations and requests for information are
// found only by their tracking code, as on the public tracking page, and
// then without description, address, coordinates or photo, which may name
// or locate people. No answer ever carries a name, e-mail or phone.
type Open311 struct {
	base
	cases *Cases
	keys  *Open311Keys
}

// Open311Keys manages the keys of the client applications allowed to submit
// requests. Administrators create and revoke them; only the SHA-256 of a
// key is stored, the key itself is shown once.
type Open311Keys struct {
	base
}

func newOpen311(b base, cases *Cases) (*Open311, *Open311Keys) {
	k := &Open311Keys{base: b}
	return &Open311{base: b, cases: cases, keys: k}, k
}

// Bounds and message keys of the Open311 capability (open311.*.json).
const (
	MaxMediaURL       = 2000
	MaxOpen311KeyName = 100
	// Open311Window is the widest span of a search, and the default one
	// (the last 90 days).
	Open311Window = 90 * 24 * time.Hour
	// Open311MaxResults is how many requests a search returns at most.
	Open311MaxResults = 1000

	MsgBadMediaURL           = "open311.err.bad_media_url"
	MsgOpen311Location       = "open311.err.location_required"
	MsgOpen311BadStatus      = "open311.err.bad_status"
	MsgOpen311Span           = "open311.err.span"
	MsgOpen311UnknownService = "open311.err.unknown_service"
)

// Open311 statuses.
const (
	Open311Open   = "open"
	Open311Closed = "closed"
)

// open311Public lists the kinds the public search shows.
var open311Public = []string{CaseFeedback, CaseRecommendation}

// webURL reports whether s is an absolute http or https URL with a host.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// --- keys ---

// Open311Key is a client application's key as listed (never the key).
type Open311Key = store.Open311Key

// Create makes a new key named name and returns it with its number; the
// key is shown this once (administrators, audited).
func (s *Open311Keys) Create(ctx context.Context, p *Principal, name string) (string, int64, error) {
	if err := s.admin(p); err != nil {
		return "", 0, err
	}
	var v Validator
	name = v.Line("name", name, 1, MaxOpen311KeyName)
	if err := v.Err(); err != nil {
		return "", 0, err
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", 0, unavailable("open311 key", err)
	}
	key := "o311_" + base64.RawURLEncoding.EncodeToString(b)
	id, err := s.st.CreateOpen311Key(ctx, p.Actor(), name, open311Hash(key))
	if err != nil {
		return "", 0, unavailable("open311 key", err)
	}
	return key, id, nil
}

// List lists the keys, newest first (administrators).
func (s *Open311Keys) List(ctx context.Context, p *Principal) ([]Open311Key, error) {
	if err := s.admin(p); err != nil {
		return nil, err
	}
	out, err := s.st.Open311Keys(ctx)
	if err != nil {
		return nil, unavailable("open311 keys", err)
	}
	return out, nil
}

// Revoke revokes a key (administrators, audited); ErrNotFound when there
// is no such key.
func (s *Open311Keys) Revoke(ctx context.Context, p *Principal, id int64) error {
	if err := s.admin(p); err != nil {
		return err
	}
	return unavailable("revoke open311 key", s.st.RevokeOpen311Key(ctx, p.Actor(), id))
}

// Check reports whether key is a key that was created and not revoked.
func (s *Open311Keys) Check(ctx context.Context, key string) (bool, error) {
	if key == "" || len(key) > 200 {
		return false, nil
	}
	ok, err := s.st.Open311KeyActive(ctx, open311Hash(key))
	if err != nil {
		return false, unavailable("open311 key", err)
	}
	return ok, nil
}

func (s *Open311Keys) admin(p *Principal) error {
	if p.IsAdmin() {
		return nil
	}
	if anonymousCaller(p) {
		return ErrUnauthenticated
	}
	return ErrForbidden
}

func open311Hash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// --- services ---

// Open311Attribute is one attribute of a service definition.
type Open311Attribute struct {
	Code     string
	Datatype string // string, number, datetime, text, singlevaluelist, multivaluelist
	Required bool
	Order    int
	// Values are the allowed keys of a list (their names are translated
	// by the door: "cases.kind.<key>").
	Values []string
}

// Open311KindValues are the values of the "kind" attribute: the kinds a
// citizen may choose (a second-time complaint needs the first one's code
// and goes through the web form).
var Open311KindValues = []string{CaseFeedback, CaseRecommendation, CaseInformation, CaseComplaint, CaseDenunciation}

// Open311Attributes is every service's definition: the same for each
// category.
func Open311Attributes() []Open311Attribute {
	return []Open311Attribute{
		{Code: "kind", Datatype: "singlevaluelist", Required: true, Order: 1, Values: Open311KindValues},
		{Code: "title", Datatype: "string", Order: 2},
		{Code: "address", Datatype: "string", Order: 3},
	}
}

// Services lists the categories of cases, which are the Open311 services.
func (s *Open311) Services(ctx context.Context) ([]CaseCategory, error) {
	return s.cases.Categories(ctx)
}

// Service returns one category by code (ErrNotFound when unknown).
func (s *Open311) Service(ctx context.Context, code string) (CaseCategory, error) {
	cats, err := s.cases.Categories(ctx)
	if err != nil {
		return CaseCategory{}, err
	}
	for _, c := range cats {
		if c.Code == code {
			return c, nil
		}
	}
	return CaseCategory{}, ErrNotFound
}

// --- submitting ---

// Open311Input is a POST requests as the door parsed it.
type Open311Input struct {
	APIKey        string
	ServiceCode   string
	Lat, Long     *float64
	AddressString string
	AddressID     string
	Attributes    map[string][]string
	Email         string
	DeviceID      string
	AccountID     string
	FirstName     string
	LastName      string
	Phone         string
	Description   string
	MediaURL      string
	// Files are photos and documents of a multipart request (extension).
	Files []UploadFile
}

// Submit receives a request from a client application: the key must be
// valid (ErrForbidden otherwise), the service known, one location given.
// The request becomes a case on the open311 channel, with every rule of
// [Cases.Submit] (rate limit included). Field errors name the Open311
// parameters.
func (s *Open311) Submit(ctx context.Context, p *Principal, in Open311Input) (Submitted, error) {
	ok, err := s.keys.Check(ctx, in.APIKey)
	if err != nil {
		return Submitted{}, err
	}
	if !ok {
		return Submitted{}, ErrForbidden
	}
	if p == nil {
		p = &Principal{}
	}
	cp := *p
	cp.Client = "open311:" + open311Hash(in.APIKey)[:16]
	p = &cp
	var v Validator
	if strings.TrimSpace(in.ServiceCode) == "" {
		v.Add("service_code", MsgRequired)
	} else if _, err := s.Service(ctx, in.ServiceCode); errors.Is(err, ErrNotFound) {
		v.Add("service_code", MsgOpen311UnknownService)
	} else if err != nil {
		return Submitted{}, err
	}
	attr := func(code string) string {
		if vs := in.Attributes[code]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	kind := attr("kind")
	if kind == "" {
		v.Add("attribute[kind]", MsgRequired)
	} else if !slices.Contains(Open311KindValues, kind) {
		v.Add("attribute[kind]", MsgBadChoice)
	}
	var place int64
	if in.AddressID != "" {
		if u, ok := s.unitByCode(in.AddressID); ok {
			place = u.ID
		} else {
			v.Add("address_id", MsgBadChoice)
		}
	}
	if in.Lat == nil && in.Long == nil && strings.TrimSpace(in.AddressString) == "" && in.AddressID == "" {
		v.Add("lat", MsgOpen311Location)
	}
	if err := v.Err(); err != nil {
		return Submitted{}, err
	}
	if place == 0 {
		// Without a commune or ward, the province receives the request and
		// sends it on.
		place = s.rootUnit()
	}
	desc := strings.TrimSpace(in.Description)
	title := attr("title")
	if title == "" {
		title = firstWords(desc, 120)
	}
	if title == "" {
		cat, _ := s.Service(ctx, in.ServiceCode)
		title = cat.NameVi
	}
	if desc == "" {
		desc = title
	}
	ci := CaseInput{Kind: kind, Category: in.ServiceCode, Channel: ChannelOpen311, PlaceUnitID: place,
		Lat: in.Lat, Lon: in.Long, Title: title, Description: desc,
		MediaURL: strings.TrimSpace(in.MediaURL), AddressString: strings.TrimSpace(in.AddressString), Files: in.Files}
	// Vietnamese names are written family name first.
	name := strings.TrimSpace(strings.TrimSpace(in.LastName) + " " + strings.TrimSpace(in.FirstName))
	id := CaseIdentity{Name: name, Email: strings.TrimSpace(in.Email), Phone: strings.TrimSpace(in.Phone), Address: attr("address")}
	if id.empty() {
		ci.Anonymous = kind == CaseFeedback || kind == CaseRecommendation || kind == CaseInformation
	} else {
		ci.Identity = &id
	}
	out, err := s.cases.Submit(ctx, p, ci)
	return out, open311Fields(err)
}

// open311Fields renames the case fields of a validation error to the
// Open311 parameters they came from.
func open311Fields(err error) error {
	inv, ok := AsInvalid(err)
	if !ok {
		return err
	}
	names := map[string]string{
		"kind": "attribute[kind]", "title": "attribute[title]", "category": "service_code",
		"place_unit_id": "address_id", "unit_id": "address_id", "lon": "long",
		"identity.name": "last_name", "identity.phone": "phone", "identity.email": "email",
		"identity.address": "attribute[address]", "anonymous": "last_name",
	}
	out := &InvalidError{Key: inv.Key}
	for _, f := range inv.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

// firstWords cuts s to at most n runes at a word boundary, on one line.
func firstWords(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + "…"
}

// unitByCode finds the unit valid today with this code (mã đơn vị hành chính).
func (s *Open311) unitByCode(code string) (org.Unit, bool) {
	code = strings.TrimSpace(code)
	if code == "" {
		return org.Unit{}, false
	}
	for _, u := range s.tree.At(s.Today()) {
		if u.Code == code {
			return u, true
		}
	}
	return org.Unit{}, false
}

// rootUnit is the top unit of the tree valid today.
func (s *Open311) rootUnit() int64 {
	for _, u := range s.tree.At(s.Today()) {
		if u.ParentID == 0 {
			return u.ID
		}
	}
	return 0
}

// --- searching ---

// Open311Query is a GET requests search. IDs, when given, win over every
// other filter. Start and End bound the requested time; when neither is
// given the last 90 days are searched.
type Open311Query struct {
	IDs          []string
	ServiceCodes []string
	Statuses     []string // open, closed
	Start, End   time.Time
}

// Open311Request is the public projection of a case.
type Open311Request struct {
	ID          string
	Status      string // open, closed
	StatusNotes string
	Category    CaseCategory
	Kind        string
	Description string // feedback and recommendations only
	Agency      string
	Requested   time.Time
	Updated     time.Time
	Expected    string // YYYY-MM-DD, the current resolution deadline
	Address     string // feedback and recommendations only
	AddressID   string // the code of the commune or ward
	Lat, Long   *float64
	MediaURL    string
	// PhotoID is the first public photo sent with the request (0: none);
	// the door makes its address.
	PhotoID      int64
	PublicDetail bool
}

// Requests searches the requests (public).
func (s *Open311) Requests(ctx context.Context, q Open311Query) ([]Open311Request, error) {
	var f store.Open311Filter
	f.Limit = Open311MaxResults
	if len(q.IDs) > 0 {
		for _, id := range q.IDs {
			if code, ok := NormalizeTrackingCode(id); ok {
				f.Codes = append(f.Codes, code)
			}
		}
		if len(f.Codes) == 0 {
			return []Open311Request{}, nil
		}
	} else {
		var v Validator
		for _, st := range q.Statuses {
			switch st {
			case Open311Open:
				f.Statuses = append(f.Statuses, CaseReceived, CaseAccepted, CaseTransferred, CaseInProgress, CaseSuspended)
			case Open311Closed:
				f.Statuses = append(f.Statuses, CaseRefused, CaseResolved, CaseClosed)
			default:
				v.Add("status", MsgOpen311BadStatus)
			}
		}
		start, end := q.Start, q.End
		switch {
		case start.IsZero() && end.IsZero():
			end = s.st.Now()
			start = end.Add(-Open311Window)
		case start.IsZero():
			start = end.Add(-Open311Window)
		case end.IsZero():
			end = start.Add(Open311Window)
		case end.Before(start):
			v.Add("end_date", MsgDateOrder)
		case end.Sub(start) > Open311Window:
			v.Add("end_date", MsgOpen311Span, 90)
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		f.From, f.To = start, end
		f.Categories = q.ServiceCodes
		f.Kinds = open311Public
	}
	cs, err := s.st.Open311Cases(ctx, f)
	if err != nil {
		return nil, unavailable("open311 requests", err)
	}
	cats, err := s.cases.Categories(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	notes, err := s.st.CaseLastPublicNotes(ctx, ids)
	if err != nil {
		return nil, unavailable("case notes", err)
	}
	photos, err := s.st.FirstPublicPhotos(ctx, ids)
	if err != nil {
		return nil, unavailable("case photos", err)
	}
	out := make([]Open311Request, 0, len(cs))
	for _, c := range cs {
		r := s.project(c, cats, notes[c.ID])
		if r.PublicDetail {
			r.PhotoID = photos[c.ID]
		}
		out = append(out, r)
	}
	return out, nil
}

// Request returns one request by its id (the tracking code); ErrNotFound
// when there is none.
func (s *Open311) Request(ctx context.Context, id string) (Open311Request, error) {
	rs, err := s.Requests(ctx, Open311Query{IDs: []string{id}})
	if err != nil {
		return Open311Request{}, err
	}
	if len(rs) == 0 {
		return Open311Request{}, ErrNotFound
	}
	return rs[0], nil
}

func (s *Open311) project(c Case, cats []CaseCategory, note string) Open311Request {
	r := Open311Request{ID: c.TrackingCode, Status: Open311Open, StatusNotes: note, Kind: c.Kind, Requested: c.CreatedAt, Updated: c.UpdatedAt,
		PublicDetail: slices.Contains(open311Public, c.Kind)}
	switch c.Status {
	case CaseRefused, CaseResolved, CaseClosed:
		r.Status = Open311Closed
	default:
		r.Expected = c.ResolveDue
		if c.ExtendedDue != "" {
			r.Expected = c.ExtendedDue
		}
	}
	r.Category = CaseCategory{Code: c.Category}
	for _, cat := range cats {
		if cat.Code == c.Category {
			r.Category = cat
		}
	}
	if u, ok := s.tree.Unit(c.UnitID); ok {
		r.Agency = u.Name
	}
	if u, ok := s.tree.Unit(c.PlaceUnitID); ok && c.PlaceUnitID != 0 {
		r.AddressID = u.Code
	}
	if r.PublicDetail {
		r.Description, r.Address, r.Lat, r.Long, r.MediaURL = c.Description, c.AddressString, c.Lat, c.Lon, c.MediaURL
	}
	return r
}

// Token resolves a token returned on submission. Requests are stored at
// once, so the token is the request's id itself.
func (s *Open311) Token(ctx context.Context, token string) (string, error) {
	r, err := s.Request(ctx, token)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}
