package open311

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// --- discovery ---

// Discovery is the answer of discovery.{fmt}.
type Discovery struct {
	XMLName    xml.Name   `json:"-" xml:"discovery"`
	Changeset  string     `json:"changeset" xml:"changeset"`
	Contact    string     `json:"contact" xml:"contact"`
	KeyService string     `json:"key_service" xml:"key_service"`
	Endpoints  []Endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

// Endpoint is one endpoint of the discovery.
type Endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

func (h *door) discovery(w http.ResponseWriter, r *http.Request, format, _ string) {
	l := h.l(r)
	h.write(w, r, format, http.StatusOK, Discovery{
		Changeset: Changeset, Contact: l.T("open311.contact"), KeyService: l.T("open311.key_service"),
		Endpoints: []Endpoint{{Specification: Specification, URL: h.base(r) + strings.TrimSuffix(Prefix, "/"), Changeset: Changeset,
			Type: "production", Formats: []string{"text/xml", "application/json"}}},
	})
}

// base is the public URL of the installation (or of the request).
func (h *door) base(r *http.Request) string {
	if b := strings.TrimSuffix(h.d.Cfg.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// --- services ---

// Service is one service of services.{fmt}.
type Service struct {
	Code        string `json:"service_code" xml:"service_code"`
	Name        string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

// Services is the list; its XML root is <services>.
type Services struct {
	XMLName  xml.Name  `json:"-" xml:"services"`
	Services []Service `xml:"service"`
}

// MarshalJSON writes the bare list.
func (s Services) MarshalJSON() ([]byte, error) { return marshalList(s.Services) }

func categoryName(l i18n.Locale, c service.CaseCategory) string {
	switch {
	case l.Lang() == "en" && c.NameEn != "":
		return c.NameEn
	case l.Lang() == "ja" && c.NameJa != "":
		return c.NameJa
	case c.NameVi != "":
		return c.NameVi
	}
	return c.Code
}

func (h *door) services(w http.ResponseWriter, r *http.Request, format, _ string) {
	cats, err := h.d.Svc.Open311.Services(r.Context())
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	l := h.l(r)
	out := Services{Services: []Service{}}
	for _, c := range cats {
		name := categoryName(l, c)
		out.Services = append(out.Services, Service{Code: c.Code, Name: name, Description: l.T("open311.service.description", name),
			Metadata: true, Type: "realtime", Keywords: l.T("open311.service.keywords")})
	}
	h.write(w, r, format, http.StatusOK, out)
}

// Definition is the answer of services/{service_code}.{fmt}.
type Definition struct {
	XMLName    xml.Name    `json:"-" xml:"service_definition"`
	Code       string      `json:"service_code" xml:"service_code"`
	Attributes []Attribute `json:"attributes" xml:"attributes>attribute"`
}

// Attribute is one attribute of a service definition.
type Attribute struct {
	Variable            bool    `json:"variable" xml:"variable"`
	Code                string  `json:"code" xml:"code"`
	Datatype            string  `json:"datatype" xml:"datatype"`
	Required            bool    `json:"required" xml:"required"`
	DatatypeDescription string  `json:"datatype_description" xml:"datatype_description"`
	Order               int     `json:"order" xml:"order"`
	Description         string  `json:"description" xml:"description"`
	Values              []Value `json:"values" xml:"values>value"`
}

// Value is one value of a list attribute.
type Value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

func (h *door) definition(w http.ResponseWriter, r *http.Request, format, code string) {
	cat, err := h.d.Svc.Open311.Service(r.Context(), code)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	l := h.l(r)
	out := Definition{Code: cat.Code, Attributes: []Attribute{}}
	for _, a := range service.Open311Attributes() {
		at := Attribute{Variable: true, Code: a.Code, Datatype: a.Datatype, Required: a.Required, Order: a.Order,
			DatatypeDescription: l.T("open311.attr." + a.Code + ".datatype"), Description: l.T("open311.attr." + a.Code + ".description"), Values: []Value{}}
		for _, v := range a.Values {
			at.Values = append(at.Values, Value{Key: v, Name: l.T("cases.kind." + v)})
		}
		out.Attributes = append(out.Attributes, at)
	}
	h.write(w, r, format, http.StatusOK, out)
}

// --- requests ---

// Request is one service request as answered. Absent coordinates are null
// in JSON and left out in XML.
type Request struct {
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
	Lat               *float64 `json:"lat" xml:"lat,omitempty"`
	Long              *float64 `json:"long" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

// Requests is a list of requests; its XML root is <service_requests>.
type Requests struct {
	XMLName  xml.Name  `json:"-" xml:"service_requests"`
	Requests []Request `xml:"request"`
}

// MarshalJSON writes the bare list.
func (s Requests) MarshalJSON() ([]byte, error) { return marshalList(s.Requests) }

func (h *door) project(r *http.Request, l i18n.Locale, in service.Open311Request) Request {
	out := Request{ID: in.ID, Status: in.Status, StatusNotes: in.StatusNotes, ServiceName: categoryName(l, in.Category),
		ServiceCode: in.Category.Code, Description: in.Description, AgencyResponsible: in.Agency,
		RequestedDatetime: w3c(in.Requested), UpdatedDatetime: w3c(in.Updated), Address: in.Address, AddressID: in.AddressID,
		Lat: in.Lat, Long: in.Long, MediaURL: in.MediaURL}
	if out.MediaURL == "" && in.PhotoID != 0 {
		out.MediaURL = fmt.Sprintf("%s/cases/track/%s/files/%d", h.base(r), in.ID, in.PhotoID)
	}
	if in.Expected != "" {
		// A legal deadline is a whole day: the request is expected by its end.
		out.ExpectedDatetime = in.Expected + "T23:59:59+07:00"
	}
	return out
}

func (h *door) search(w http.ResponseWriter, r *http.Request, format, _ string) {
	q, bad := parseQuery(r.URL.Query())
	if len(bad) > 0 {
		h.fail(w, r, format, http.StatusBadRequest, h.describe(r, bad)...)
		return
	}
	rs, err := h.d.Svc.Open311.Requests(r.Context(), q)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	l := h.l(r)
	out := Requests{Requests: []Request{}}
	for _, x := range rs {
		out.Requests = append(out.Requests, h.project(r, l, x))
	}
	h.write(w, r, format, http.StatusOK, out)
}

func (h *door) request(w http.ResponseWriter, r *http.Request, format, id string) {
	x, err := h.d.Svc.Open311.Request(r.Context(), id)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	h.write(w, r, format, http.StatusOK, Requests{Requests: []Request{h.project(r, h.l(r), x)}})
}

// Token is the answer of tokens/{token}.{fmt} and of POST requests.
type Token struct {
	ID            string `json:"service_request_id" xml:"service_request_id"`
	Token         string `json:"token,omitempty" xml:"token,omitempty"`
	ServiceNotice string `json:"service_notice,omitempty" xml:"service_notice,omitempty"`
	AccountID     string `json:"account_id,omitempty" xml:"account_id,omitempty"`
}

// Tokens is a list of tokens; its XML root is <service_requests>.
type Tokens struct {
	XMLName xml.Name `json:"-" xml:"service_requests"`
	Tokens  []Token  `xml:"request"`
}

// MarshalJSON writes the bare list.
func (s Tokens) MarshalJSON() ([]byte, error) { return marshalList(s.Tokens) }

func (h *door) token(w http.ResponseWriter, r *http.Request, format, tok string) {
	id, err := h.d.Svc.Open311.Token(r.Context(), tok)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	h.write(w, r, format, http.StatusOK, Tokens{Tokens: []Token{{ID: id, Token: tok}}})
}

// submit answers POST requests.{fmt}: 200 with the request's id (which is
// also its token: requests are stored at once).
func (h *door) submit(w http.ResponseWriter, r *http.Request, format, _ string) {
	vals, files, err := readForm(w, r)
	if err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		h.fail(w, r, format, status, h.l(r).T("open311.err.body"))
		return
	}
	if j := vals.Get("jurisdiction_id"); j != "" && j != h.jurisdiction() {
		h.fail(w, r, format, http.StatusNotFound, h.l(r).T("open311.err.jurisdiction"))
		return
	}
	in, bad := ParseRequestForm(vals)
	in.Files = files
	if len(bad) > 0 {
		h.fail(w, r, format, http.StatusBadRequest, h.describe(r, bad)...)
		return
	}
	out, err := h.d.Svc.Open311.Submit(r.Context(), &service.Principal{IP: server.ClientIP(r)}, in)
	if err != nil {
		h.failErr(w, r, format, err)
		return
	}
	l := h.l(r)
	notice := l.T("open311.notice", out.TrackingCode)
	h.write(w, r, format, http.StatusOK, Tokens{Tokens: []Token{{ID: out.TrackingCode, Token: out.TrackingCode, ServiceNotice: notice, AccountID: in.AccountID}}})
}

// readForm reads an urlencoded or (extension) multipart body; the file
// parts of a multipart body (any field name, "media" by convention) are
// photos and documents of the request, each read one byte past the
// service's limit so that the service judges and refuses what is too
// large.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, []service.UploadFile, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxMultipart)
		if err := r.ParseMultipartForm(maxForm); err != nil {
			return nil, nil, err
		}
		defer r.MultipartForm.RemoveAll()
		out := url.Values{}
		for k, v := range r.URL.Query() {
			out[k] = v
		}
		for k, v := range r.MultipartForm.Value {
			out[k] = append(out[k], v...)
		}
		var files []service.UploadFile
		for _, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				if len(files) > service.MaxCaseFiles {
					break // the service refuses more than it holds
				}
				f, err := fh.Open()
				if err != nil {
					return nil, nil, err
				}
				data, err := io.ReadAll(io.LimitReader(f, service.MaxCaseFileSize+1))
				f.Close()
				if err != nil {
					return nil, nil, err
				}
				files = append(files, service.UploadFile{Name: fh.Filename, Data: data})
			}
		}
		return out, files, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return nil, nil, err
	}
	return r.Form, nil, nil
}

// describe translates parse errors: "parameter: message".
func (h *door) describe(r *http.Request, bad []service.FieldError) []string {
	l := h.l(r)
	out := make([]string, 0, len(bad))
	for _, f := range bad {
		out = append(out, f.Field+": "+f.Text(l))
	}
	return out
}

// marshalList encodes a list, never null.
func marshalList[T any](xs []T) ([]byte, error) {
	if xs == nil {
		xs = []T{}
	}
	return json.Marshal(xs)
}

// --- parsers of outside input ---

// Message keys of the parsers.
const (
	msgBadNumber   = "open311.err.bad_number"
	msgBadDate     = "open311.err.bad_date"
	msgBothLatLong = "open311.err.lat_long"
)

// maxListItems bounds comma-separated lists of a search.
const maxListItems = 100

// ParseRequestForm reads the parameters of POST requests. Unknown
// parameters are ignored; attribute[CODE] and attribute[CODE][] are
// gathered by code.
func ParseRequestForm(v url.Values) (service.Open311Input, []service.FieldError) {
	var bad []service.FieldError
	in := service.Open311Input{
		APIKey: v.Get("api_key"), ServiceCode: strings.TrimSpace(v.Get("service_code")),
		AddressString: v.Get("address_string"), AddressID: strings.TrimSpace(v.Get("address_id")),
		Email: v.Get("email"), DeviceID: v.Get("device_id"), AccountID: v.Get("account_id"),
		FirstName: v.Get("first_name"), LastName: v.Get("last_name"), Phone: v.Get("phone"),
		Description: v.Get("description"), MediaURL: v.Get("media_url"),
		Attributes: map[string][]string{},
	}
	num := func(name string) *float64 {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f != f {
			bad = append(bad, service.FieldError{Field: name, Key: msgBadNumber})
			return nil
		}
		return &f
	}
	in.Lat, in.Long = num("lat"), num("long")
	if (in.Lat == nil) != (in.Long == nil) && len(bad) == 0 {
		bad = append(bad, service.FieldError{Field: "lat", Key: msgBothLatLong})
	}
	for k, vs := range v {
		code, ok := strings.CutPrefix(k, "attribute[")
		if !ok {
			continue
		}
		code = strings.TrimSuffix(code, "[]")
		code, ok = strings.CutSuffix(code, "]")
		if !ok || code == "" || strings.ContainsAny(code, "[]") || len(in.Attributes) >= maxListItems {
			continue
		}
		in.Attributes[code] = append(in.Attributes[code], vs...)
	}
	return in, bad
}

// parseQuery reads the filters of GET requests.
func parseQuery(v url.Values) (service.Open311Query, []service.FieldError) {
	var bad []service.FieldError
	list := func(name string) []string {
		// A list may be comma-separated, the parameter repeated, or both.
		var out []string
		for _, item := range v[name] {
			for _, s := range strings.Split(item, ",") {
				if s = strings.TrimSpace(s); s != "" && len(out) < maxListItems {
					out = append(out, s)
				}
			}
		}
		return out
	}
	q := service.Open311Query{IDs: list("service_request_id"), ServiceCodes: list("service_code"), Statuses: list("status")}
	for _, name := range []string{"start_date", "end_date"} {
		s := v.Get(name)
		if s == "" {
			continue
		}
		t, ok := parseW3C(s)
		if !ok {
			bad = append(bad, service.FieldError{Field: name, Key: msgBadDate})
			continue
		}
		if name == "start_date" {
			q.Start = t
		} else {
			q.End = t
		}
	}
	return q, bad
}
