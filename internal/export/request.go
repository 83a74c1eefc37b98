package export

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// ParamError names a bad request parameter and a message key.
type ParamError struct {
	Param string
	Key   string
}

func (e *ParamError) Error() string { return "export: " + e.Param + ": " + e.Key }

// Parameter message keys.
const (
	MsgBadAbbrev = "exports.bad_abbrev"
	MsgBadPeriod = "exports.bad_period"
	MsgRequired  = "exports.param_required"
)

// ValidAbbrev accepts an abbreviation of 1–20 letters, digits and "-",
// such as "BTGDVTU" or "ĐU".
func ValidAbbrev(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 20 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}
	return true
}

// OptionsFrom reads the document options a request may give: abbrev.
func OptionsFrom(q url.Values) (Options, error) {
	var o Options
	if a := strings.TrimSpace(q.Get("abbrev")); a != "" {
		if !ValidAbbrev(a) {
			return o, &ParamError{"abbrev", MsgBadAbbrev}
		}
		o.Abbrev = a
	}
	return o, nil
}

// QueryFrom reads a consolidated report's parameters: template, unit,
// type (default: the template's), year, number, mapped, basis (checked by
// the service).
func QueryFrom(q url.Values) (Query, error) {
	var out Query
	pos := func(name string) (int64, error) {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			return 0, &ParamError{name, MsgRequired}
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return 0, &ParamError{name, MsgBadPeriod}
		}
		return n, nil
	}
	var err error
	if out.TemplateID, err = pos("template"); err != nil {
		return out, err
	}
	if out.UnitID, err = pos("unit"); err != nil {
		return out, err
	}
	if s := q.Get("type"); s != "" {
		if out.Type, err = report.ParsePeriodType(s); err != nil {
			return out, &ParamError{"type", MsgBadPeriod}
		}
	}
	y, err := pos("year")
	if err != nil {
		return out, err
	}
	n, err := pos("number")
	if err != nil {
		return out, err
	}
	if y < 1900 || y > 9999 {
		return out, &ParamError{"year", MsgBadPeriod}
	}
	if n > 12 || (out.Type != "" && n > int64(out.Type.PerYear())) {
		return out, &ParamError{"number", MsgBadPeriod}
	}
	out.Year, out.Number = int(y), int(n)
	switch q.Get("mapped") {
	case "", "0", "false":
	case "1", "true":
		out.Mapped = true
	default:
		return out, &ParamError{"mapped", MsgBadPeriod}
	}
	out.Basis = store.Basis(q.Get("basis"))
	return out, nil
}
