// Package open311 is the Open311 GeoReport v2 door onto danvan's citizen
// cases, under /open311/v2/, written from the specification
// (http://wiki.open311.org/GeoReport_v2): discovery, services (the case
// categories) and their definitions, submitting requests with an API key,
// searching requests, one request, tokens; every path in .json or .xml;
// errors as the specification's list of {code, description}.
//
// The door parses, calls [service.Open311] and encodes; which cases and
// fields are public is decided there. An extension to the specification:
// POST requests also accepts multipart/form-data bodies whose file parts
// (photos and documents, judged by content like every upload) are kept
// with the request; media_url carries the address of a photo elsewhere.
package open311

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Prefix is where the door lives.
const Prefix = "/open311/v2/"

// Specification is the address of the specification served.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// Changeset is when this door's behaviour last changed (discovery).
const Changeset = "2026-11-30T00:00:00+07:00"

// Body limits: a form, and a multipart body with its files.
const (
	maxForm      = 1 << 20
	maxMultipart = service.MaxCaseUploadBody
)

// Formats.
const (
	fmtJSON = "json"
	fmtXML  = "xml"
)

type door struct {
	d *server.Deps
}

// Register adds the door to mux: one catch-all per method under Prefix, so
// that unknown paths and methods answer in the specification's error
// format and cannot conflict with a "GET /" elsewhere on the mux.
func Register(mux *http.ServeMux, d *server.Deps) {
	h := &door{d: d}
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		mux.Handle(m+" "+Prefix, h)
	}
}

// ServeHTTP routes by path: the format suffix is required on every path.
func (h *door) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	format := fmtJSON
	base := rest
	switch {
	case strings.HasSuffix(rest, ".json"):
		base = strings.TrimSuffix(rest, ".json")
	case strings.HasSuffix(rest, ".xml"):
		base, format = strings.TrimSuffix(rest, ".xml"), fmtXML
	default:
		h.fail(w, r, format, http.StatusNotFound, h.l(r).T("open311.err.not_found"))
		return
	}
	if j := r.URL.Query().Get("jurisdiction_id"); j != "" && j != h.jurisdiction() {
		h.fail(w, r, format, http.StatusNotFound, h.l(r).T("open311.err.jurisdiction"))
		return
	}
	seg, arg, _ := strings.Cut(base, "/")
	var allow string
	var run func(http.ResponseWriter, *http.Request, string, string)
	switch {
	case seg == "discovery" && arg == "" && !strings.Contains(rest, "/"):
		allow, run = "GET", h.discovery
	case seg == "services" && arg == "":
		allow, run = "GET", h.services
	case seg == "services" && !strings.Contains(arg, "/"):
		allow, run = "GET", h.definition
	case seg == "requests" && arg == "":
		allow = "GET, POST"
		run = h.search
		if r.Method == http.MethodPost {
			run = h.submit
		}
	case seg == "requests" && !strings.Contains(arg, "/"):
		allow, run = "GET", h.request
	case seg == "tokens" && arg != "" && !strings.Contains(arg, "/"):
		allow, run = "GET", h.token
	default:
		h.fail(w, r, format, http.StatusNotFound, h.l(r).T("open311.err.not_found"))
		return
	}
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	if !read && !(r.Method == http.MethodPost && strings.Contains(allow, "POST")) {
		w.Header().Set("Allow", allow)
		h.fail(w, r, format, http.StatusMethodNotAllowed, h.l(r).T("open311.err.method"))
		return
	}
	run(w, r, format, arg)
}

func (h *door) l(r *http.Request) i18n.Locale { return server.LocaleFrom(r.Context()) }

// jurisdiction is the one jurisdiction served: the host of the public URL.
func (h *door) jurisdiction() string {
	if u, err := url.Parse(h.d.Cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// --- encoding ---

// write encodes v as JSON, or as XML under its XML root.
func (h *door) write(w http.ResponseWriter, r *http.Request, format string, status int, v any) {
	hd := w.Header()
	hd.Set("Content-Language", h.l(r).Lang())
	if format == fmtXML {
		hd.Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(xml.Header))
		enc := xml.NewEncoder(w)
		enc.Indent("", " ")
		_ = enc.Encode(v)
		return
	}
	hd.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Error is one error of the specification's error list.
type Error struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

// Errors is the error list; its XML root is <errors>.
type Errors struct {
	XMLName xml.Name `json:"-" xml:"errors"`
	Errors  []Error  `xml:"error"`
}

// MarshalJSON writes the bare list.
func (e Errors) MarshalJSON() ([]byte, error) { return json.Marshal(e.Errors) }

func (h *door) fail(w http.ResponseWriter, r *http.Request, format string, status int, descs ...string) {
	out := Errors{}
	for _, d := range descs {
		out.Errors = append(out.Errors, Error{Code: status, Description: d})
	}
	w.Header().Set("Cache-Control", "no-store")
	h.write(w, r, format, status, out)
}

// failErr maps a service error through one table.
func (h *door) failErr(w http.ResponseWriter, r *http.Request, format string, err error) {
	l := h.l(r)
	if inv, ok := service.AsInvalid(err); ok {
		var descs []string
		if inv.Key != "" {
			descs = append(descs, l.T(inv.Key))
		}
		for _, f := range inv.Fields {
			descs = append(descs, f.Field+": "+f.Text(l))
		}
		h.fail(w, r, format, http.StatusBadRequest, descs...)
		return
	}
	switch {
	case errors.Is(err, service.ErrForbidden), errors.Is(err, service.ErrUnauthenticated):
		h.fail(w, r, format, http.StatusForbidden, l.T("open311.err.api_key"))
	case errors.Is(err, service.ErrNotFound):
		h.fail(w, r, format, http.StatusNotFound, l.T("open311.err.not_found"))
	case errors.Is(err, service.ErrTooMany):
		w.Header().Set("Retry-After", strconv.Itoa(int(service.CaseRetryAfter.Seconds())))
		h.fail(w, r, format, http.StatusTooManyRequests, l.T("open311.err.too_many"))
	default:
		h.d.Log.ErrorContext(r.Context(), "open311", "err", err, "request_id", server.RequestID(r.Context()))
		h.fail(w, r, format, http.StatusInternalServerError, l.T("open311.err.internal"))
	}
}

// w3c formats a time as the specification's W3C datetime, in Vietnam.
func w3c(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(service.Vietnam).Format("2006-01-02T15:04:05-07:00")
}

// parseW3C reads a W3C datetime: a date, a date and time with a zone, with
// or without seconds and fractions. A "+" of the zone that arrived as a
// space (an unencoded query) is restored.
func parseW3C(s string) (time.Time, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "+")
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, service.Vietnam); err == nil {
		return t, true
	}
	return time.Time{}, false
}
