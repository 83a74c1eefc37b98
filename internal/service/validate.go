package service

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/org"
)

// Message keys of the shared validator (internal/i18n/locales/service.*.json).
const (
	MsgRequired  = "validation.required"
	MsgTooLong   = "validation.too_long"  // %d: the maximum number of characters
	MsgTooShort  = "validation.too_short" // %d: the minimum number of characters
	MsgBadChars  = "validation.bad_chars"
	MsgRange     = "validation.range" // %d, %d: the bounds
	MsgBadDate   = "validation.bad_date"
	MsgDateOrder = "validation.date_order"
	MsgBadChoice = "validation.bad_choice"
)

// Validator collects field errors; the same validator serves the HTML form
// and the JSON body of a use case, so both doors refuse the same input with
// the same messages.
type Validator struct {
	inv InvalidError
}

// Add records an error on field.
func (v *Validator) Add(field, key string, args ...any) {
	v.inv.Fields = append(v.inv.Fields, FieldError{Field: field, Key: key, Args: args})
}

// Has reports whether field already has an error.
func (v *Validator) Has(field string) bool {
	for _, f := range v.inv.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when every check passed, else an [*InvalidError].
func (v *Validator) Err() error {
	if len(v.inv.Fields) == 0 {
		return nil
	}
	e := v.inv
	return &e
}

// CleanLine reports whether s is valid UTF-8 without control characters
// (NUL included): what may safely reach either database engine or a log.
func CleanLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// CleanText is [CleanLine] for multi-line text: tab, line feed and carriage
// return are allowed.
func CleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// Line checks a one-line text field: trimmed, clean, between min and max
// characters (min 0: optional). It returns the trimmed value.
func (v *Validator) Line(field, s string, min, max int) string {
	return v.text(field, s, min, max, CleanLine)
}

// Text checks a multi-line text field like [Validator.Line].
func (v *Validator) Text(field, s string, min, max int) string {
	return v.text(field, s, min, max, CleanText)
}

func (v *Validator) text(field, s string, min, max int, clean func(string) bool) string {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case !clean(s):
		v.Add(field, MsgBadChars)
	case n == 0 && min > 0:
		v.Add(field, MsgRequired)
	case n < min:
		v.Add(field, MsgTooShort, min)
	case max > 0 && n > max:
		v.Add(field, MsgTooLong, max)
	}
	return s
}

// Int checks that n lies in [min, max].
func (v *Validator) Int(field string, n, min, max int64) int64 {
	if n < min || n > max {
		v.Add(field, MsgRange, min, max)
	}
	return n
}

// Date checks a YYYY-MM-DD date; empty is allowed unless required. Years are
// bounded to 1900–2100, the range of the legal calendar.
func (v *Validator) Date(field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, MsgRequired)
		}
		return ""
	}
	d, err := org.ParseDate(s)
	if err != nil || d < "1900-01-01" || d > "2100-12-31" {
		v.Add(field, MsgBadDate)
		return s
	}
	return d
}

// Choice checks that s is one of allowed.
func (v *Validator) Choice(field, s string, allowed ...string) string {
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	v.Add(field, MsgBadChoice)
	return s
}

// Truncate cuts s to at most max bytes on a character boundary.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}
