package api

// Decoding, encoding and problem details: the only place that turns bytes
// into requests and errors into responses.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/danvan/danvan/internal/service"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
)

// statusClientClosed is what the log shows for a request whose client went
// away before the answer (nginx's 499); nothing is written.
const statusClientClosed = 499

// MaxBody is the largest request body accepted (1 MiB).
const MaxBody = 1 << 20

// ProblemType prefixes the type URI of every problem: the URI names the
// kind of problem, clients branch on it; title and detail are for people.
const ProblemType = "urn:danvan:problem:"

// Problem kinds (the suffix of the type URI), with their HTTP status.
const (
	kindBadRequest     = "bad-request"
	kindMalformedJSON  = "malformed-json"
	kindUnknownField   = "unknown-field"
	kindWrongType      = "wrong-type"
	kindBadParameter   = "invalid-parameter"
	kindUnauthorized   = "unauthenticated"
	kindInvalidToken   = "invalid-token"
	kindCSRF           = "csrf"
	kindForbidden      = "forbidden"
	kindNotFound       = "not-found"
	kindNoRoute        = "no-route"
	kindMethod         = "method-not-allowed"
	kindConflict       = "conflict"
	kindTooLarge       = "too-large"
	kindMediaType      = "unsupported-media-type"
	kindValidation     = "validation"
	kindInternal       = "internal"
	kindTooMany        = "too-many-requests"
	kindUnavailable    = "unavailable"
	detailTooMany      = "api.detail.too_many"
	detailUnavailable  = "api.detail.unavailable"
	msgFieldUnknown    = "api.field.unknown"
	msgFieldWrongType  = "api.field.wrong_type"
	msgFieldRequired   = "api.field.required"
	msgFieldTooLong    = "api.field.too_long"
	msgFieldBadChars   = "api.field.bad_chars"
	msgFieldBadDate    = "api.field.bad_date"
	msgFieldBadTime    = "api.field.bad_time"
	msgFieldBadInt     = "api.field.bad_int"
	msgFieldBadLimit   = "api.field.bad_limit"
	msgFieldBadKind    = "api.field.bad_kind"
	msgFieldBadRole    = "api.field.bad_role"
	msgFieldBadBool    = "api.field.bad_bool"
	msgFieldBadEmail   = "api.field.bad_email"
	msgFieldBadLocale  = "api.field.bad_locale"
	msgFieldNoUnit     = "api.field.unit_not_found"
	msgFieldCombine    = "api.field.cannot_combine"
	msgFieldLimitAll   = "api.field.limit_all_tree_only"
	msgFieldUsername   = "api.field.username_invalid"
	msgFieldPwShort    = "api.field.password_short"
	msgFieldPwLong     = "api.field.password_long"
	detailMalformed    = "api.detail.malformed_json"
	detailNotObject    = "api.detail.not_object"
	detailEmptyBody    = "api.detail.empty_body"
	detailTrailing     = "api.detail.trailing_data"
	detailUnknownField = "api.detail.unknown_field"
	detailWrongType    = "api.detail.wrong_type"
	detailTooLarge     = "api.detail.too_large"
	detailMediaType    = "api.detail.unsupported_media_type"
	detailBadParam     = "api.detail.bad_parameter"
	detailUnauth       = "api.detail.unauthenticated"
	detailBadToken     = "api.detail.bad_token"
	detailCSRF         = "api.detail.csrf"
	detailForbidden    = "api.detail.forbidden"
	detailNotFound     = "api.detail.not_found"
	detailNoRoute      = "api.detail.no_route"
	detailMethod       = "api.detail.method_not_allowed"
	detailConflict     = "api.detail.conflict"
	detailUserExists   = "api.detail.user_exists"
	detailLastAdmin    = "api.detail.last_admin"
	detailValidation   = "api.detail.validation"
	detailInternal     = "api.detail.internal"
)

// titleKeys gives the translated title of each status.
var titleKeys = map[int]string{
	http.StatusBadRequest:            "api.title.bad_request",
	http.StatusUnauthorized:          "api.title.unauthorized",
	http.StatusForbidden:             "api.title.forbidden",
	http.StatusNotFound:              "api.title.not_found",
	http.StatusMethodNotAllowed:      "api.title.method_not_allowed",
	http.StatusConflict:              "api.title.conflict",
	http.StatusRequestEntityTooLarge: "api.title.too_large",
	http.StatusUnsupportedMediaType:  "api.title.unsupported_media_type",
	http.StatusUnprocessableEntity:   "api.title.validation",
	http.StatusInternalServerError:   "api.title.internal",
	http.StatusTooManyRequests:       "api.title.too_many",
	http.StatusServiceUnavailable:    "api.title.unavailable",
}

// problem is an error a handler returns; it is translated and written as
// RFC 9457 problem details by [api.fail].
type problem struct {
	status int
	kind   string
	detail string // message key
	fields []fieldErr
	allow  []string // 405: the Allow header
	cause  error    // logged, never shown
}

type fieldErr struct {
	field string
	msg   string // message key
	args  []any  // fill the message's verbs
}

func (p *problem) Error() string {
	if p.cause != nil {
		return fmt.Sprintf("%d %s: %v", p.status, p.kind, p.cause)
	}
	return fmt.Sprintf("%d %s", p.status, p.kind)
}

func newProblem(status int, kind, detail string, fields ...fieldErr) *problem {
	return &problem{status: status, kind: kind, detail: detail, fields: fields}
}

func errUnauthenticated() *problem {
	return newProblem(http.StatusUnauthorized, kindUnauthorized, detailUnauth)
}
func errForbidden() *problem { return newProblem(http.StatusForbidden, kindForbidden, detailForbidden) }
func errNotFound() *problem  { return newProblem(http.StatusNotFound, kindNotFound, detailNotFound) }

// badParam is a 400 for a query parameter.
func badParam(field, msg string) *problem {
	return newProblem(http.StatusBadRequest, kindBadParameter, detailBadParam, fieldErr{field: field, msg: msg})
}

// ProblemDetails is the JSON body of every error response.
type ProblemDetails struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// locale is the request's locale (the zero Locale, outside the middleware,
// is Vietnamese).
func (a *api) locale(r *http.Request) i18n.Locale { return server.LocaleFrom(r.Context()) }

// fail writes err as problem details. Errors that are not problems are
// mapped: not found → 404, conflict → 409, anything else → 500 (logged).
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var p *problem
	var inv *service.InvalidError
	switch {
	case errors.As(err, &p):
	case errors.As(err, &inv):
		p = newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation)
		if inv.Key != "" {
			p.detail = inv.Key
		}
		for _, f := range inv.Fields {
			p.fields = append(p.fields, fieldErr{field: f.Field, msg: f.Key, args: f.Args})
		}
	case errors.Is(err, service.ErrUnauthenticated):
		p = errUnauthenticated()
	case errors.Is(err, service.ErrForbidden):
		p = errForbidden()
	case errors.Is(err, service.ErrNotFound):
		p = errNotFound()
	case errors.Is(err, service.ErrConflict):
		p = newProblem(http.StatusConflict, kindConflict, detailConflict)
	case errors.Is(err, service.ErrTooMany):
		p = &problem{status: http.StatusTooManyRequests, kind: kindTooMany, detail: detailTooMany}
	case errors.Is(err, context.Canceled):
		// The client went away: nothing to answer, nothing to log as an error.
		p = &problem{status: statusClientClosed, kind: kindInternal, detail: detailInternal}
	case errors.Is(err, service.ErrUnavailable):
		p = &problem{status: http.StatusServiceUnavailable, kind: kindUnavailable, detail: detailUnavailable, cause: err}
	default:
		p = &problem{status: http.StatusInternalServerError, kind: kindInternal, detail: detailInternal, cause: err}
	}
	if p.status == statusClientClosed {
		w.WriteHeader(p.status)
		return
	}
	if p.status >= 500 && a.d.Log != nil {
		a.d.Log.Error("api", "request_id", server.RequestID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	l := a.locale(r)
	body := ProblemDetails{
		Type:      ProblemType + p.kind,
		Title:     l.T(titleKeys[p.status]),
		Status:    p.status,
		Detail:    l.T(p.detail),
		Instance:  r.URL.Path,
		RequestID: server.RequestID(r.Context()),
	}
	for _, f := range p.fields {
		body.Errors = append(body.Errors, FieldError{Field: f.field, Message: service.FieldError{Key: f.msg, Args: f.args}.Text(l)})
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", l.Lang())
	h.Set("Cache-Control", "no-store")
	if len(p.allow) > 0 {
		h.Set("Allow", strings.Join(p.allow, ", "))
	}
	if p.status == http.StatusUnauthorized {
		if p.kind == kindInvalidToken {
			h.Set("WWW-Authenticate", `Bearer realm="danvan", error="invalid_token"`)
		} else {
			h.Set("WWW-Authenticate", `Bearer realm="danvan"`)
		}
	}
	w.WriteHeader(p.status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeJSON encodes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// decodeJSON reads one JSON object from the body into dst, refusing unknown
// fields, trailing data, other media types and bodies over MaxBody.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return newProblem(http.StatusUnsupportedMediaType, kindMediaType, detailMediaType)
	}
	if r.ContentLength > MaxBody {
		return newProblem(http.StatusRequestEntityTooLarge, kindTooLarge, detailTooLarge)
	}
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	// Exactly one value: anything after it but white space is an error.
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err == nil {
			return newProblem(http.StatusBadRequest, kindMalformedJSON, detailTrailing)
		}
		return decodeError(err)
	}
	return nil
}

// decodeError classifies what encoding/json says about a body.
func decodeError(err error) error {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return newProblem(http.StatusRequestEntityTooLarge, kindTooLarge, detailTooLarge)
	case errors.Is(err, io.EOF):
		return newProblem(http.StatusBadRequest, kindMalformedJSON, detailEmptyBody)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &syntax):
		return newProblem(http.StatusBadRequest, kindMalformedJSON, detailMalformed)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return newProblem(http.StatusBadRequest, kindMalformedJSON, detailNotObject)
		}
		return newProblem(http.StatusBadRequest, kindWrongType, detailWrongType, fieldErr{field: typ.Field, msg: msgFieldWrongType})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			name = ""
		}
		return newProblem(http.StatusBadRequest, kindUnknownField, detailUnknownField, fieldErr{field: name, msg: msgFieldUnknown})
	}
	var inv *json.InvalidUnmarshalError
	if errors.As(err, &inv) {
		return err // a programming error: 500
	}
	// A read error (the client went away, a broken chunked body).
	return newProblem(http.StatusBadRequest, kindMalformedJSON, detailMalformed)
}

// --- query parameters ---

// cleanText reports whether s is valid UTF-8 without control characters:
// what may safely reach a database (PostgreSQL refuses NUL) or a log.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// textParam returns a free-text query parameter, refusing control
// characters and more than max bytes.
func textParam(q url.Values, name string, max int) (string, error) {
	v := strings.TrimSpace(q.Get(name))
	if !cleanText(v) {
		return "", badParam(name, msgFieldBadChars)
	}
	if len(v) > max {
		return "", badParam(name, msgFieldTooLong)
	}
	return v, nil
}

// pathID parses the {name} wildcard as a positive id; anything else is a
// resource that cannot exist: 404.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound()
	}
	return id, nil
}

// today is the current date in Vietnam by the store's clock.
func (a *api) today() string { return a.d.Svc.Today() }

// dateParam reads a YYYY-MM-DD parameter; def when absent.
func dateParam(q url.Values, name, def string) (string, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	d, err := org.ParseDate(v)
	if err != nil || len(v) != len(org.DateLayout) {
		return "", badParam(name, msgFieldBadDate)
	}
	return d, nil
}

// timeParam reads a date (start of that day in Vietnam; with endOfDay the
// start of the next day, so that "to" includes the whole day) or an RFC 3339
// timestamp.
func timeParam(q url.Values, name string, endOfDay bool) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if len(v) == len(org.DateLayout) {
		t, err := time.ParseInLocation(org.DateLayout, v, service.Vietnam)
		if err != nil {
			return time.Time{}, badParam(name, msgFieldBadTime)
		}
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil || t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, badParam(name, msgFieldBadTime)
	}
	return t.UTC(), nil
}

// boolParam reads 1/true/0/false.
func boolParam(q url.Values, name string) (bool, error) {
	switch strings.ToLower(q.Get(name)) {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	}
	return false, badParam(name, msgFieldBadBool)
}

// Pagination defaults.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// page is a requested window of a list. All means the whole list (only
// where an endpoint allows ?limit=all).
type page struct {
	Limit, Offset int
	All           bool
}

// pageParams reads ?limit= (default 50, at most 500; "all" when allowAll),
// and ?offset= or the 1-based ?page=.
func pageParams(q url.Values, allowAll bool) (page, error) {
	p := page{Limit: DefaultLimit}
	if v := q.Get("limit"); v != "" {
		if v == "all" {
			if !allowAll {
				return p, badParam("limit", msgFieldBadLimit)
			}
			p.All = true
		} else {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return p, badParam("limit", msgFieldBadLimit)
			}
			p.Limit = min(n, MaxLimit)
		}
	}
	off, pg := q.Get("offset"), q.Get("page")
	switch {
	case off != "" && pg != "":
		return p, badParam("page", msgFieldCombine)
	case off != "":
		n, err := strconv.Atoi(off)
		if err != nil || n < 0 || n > 1<<30 {
			return p, badParam("offset", msgFieldBadInt)
		}
		p.Offset = n
	case pg != "":
		n, err := strconv.Atoi(pg)
		if err != nil || n < 1 || n > 1<<30/MaxLimit {
			return p, badParam("page", msgFieldBadInt)
		}
		p.Offset = (n - 1) * p.Limit
	}
	if p.All && p.Offset != 0 {
		return p, badParam("offset", msgFieldCombine)
	}
	return p, nil
}

// Page is the envelope of every list.
type Page[T any] struct {
	Items  []T     `json:"items"`
	Total  int     `json:"total"`
	Limit  int     `json:"limit"`
	Offset int     `json:"offset"`
	Next   *string `json:"next"`
}

// newPage fills the envelope; next links to the following window with the
// request's other parameters kept, or is null on the last one.
func newPage[T any](a *api, r *http.Request, items []T, total int, p page) Page[T] {
	if items == nil {
		items = []T{}
	}
	out := Page[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset}
	if p.All {
		out.Limit, out.Offset = len(items), 0
		return out
	}
	if p.Offset+len(items) < total && len(items) > 0 {
		q := r.URL.Query()
		q.Del("page")
		q.Set("offset", strconv.Itoa(p.Offset+len(items)))
		q.Set("limit", strconv.Itoa(p.Limit))
		next := strings.TrimRight(a.d.Cfg.BaseURL, "/") + r.URL.Path + "?" + q.Encode()
		out.Next = &next
	}
	return out
}
