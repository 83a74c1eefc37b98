package report

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/calendar"
)

// Type is the kind of a periodic report.
type Type string

// Period types. Six- and nine-month reports are cumulative from the start of
// the reporting year; the nine-month report is used by provinces and party
// bodies, not by Decree 09/2019.
const (
	Monthly   Type = "monthly"
	Quarterly Type = "quarterly"
	SixMonth  Type = "six_month"
	NineMonth Type = "nine_month"
	Annual    Type = "annual"
)

// Types lists every period type, shortest first.
var Types = []Type{Monthly, Quarterly, SixMonth, NineMonth, Annual}

// ErrUnknownPeriodType is the message key of [UnknownPeriodTypeError]; test
// for it with errors.Is.
var ErrUnknownPeriodType = errors.New("report.unknown_period_type")

// UnknownPeriodTypeError is returned by [ParsePeriodType] for text that
// names no period type.
type UnknownPeriodTypeError struct {
	Input string
}

func (e *UnknownPeriodTypeError) Error() string {
	return fmt.Sprintf("%s: %q", ErrUnknownPeriodType, e.Input)
}

// Is makes errors.Is(err, ErrUnknownPeriodType) true.
func (e *UnknownPeriodTypeError) Is(target error) bool { return target == ErrUnknownPeriodType }

// ParsePeriodType parses the canonical name of a period type (as stored and
// sent by the API). It ignores surrounding space, letter case and accepts
// "-" for "_"; anything else is an [*UnknownPeriodTypeError].
func ParsePeriodType(s string) (Type, error) {
	norm := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	for _, t := range Types {
		if string(t) == norm {
			return t, nil
		}
	}
	return "", &UnknownPeriodTypeError{Input: s}
}

// Valid reports whether t is one of the period types.
func (t Type) Valid() bool {
	for _, v := range Types {
		if t == v {
			return true
		}
	}
	return false
}

// PerYear returns how many windows of type t a year has (0 for an invalid type).
func (t Type) PerYear() int {
	switch t {
	case Monthly:
		return 12
	case Quarterly:
		return 4
	case SixMonth, NineMonth, Annual:
		return 1
	}
	return 0
}

// Naming says which month gives its name to a window that straddles two
// months.
type Naming int

const (
	// NameByEnd names a window after the month it ends in: with cut-off
	// day 15, 15 Dec 2024 – 14 Jan 2025 is "January 2025", and the reporting
	// year 2025 runs from 15 Dec 2024 to 14 Dec 2025, as in Decree 09/2019.
	NameByEnd Naming = iota
	// NameByStart names a window after the month it starts in: with cut-off
	// day 5, 5 Jan – 4 Feb is "January". For templates whose cut-off falls
	// early in the month, so that the window is mostly the previous month.
	NameByStart
)

// DefaultCutoffDay is the cut-off day of Decree 09/2019/NĐ-CP Art. 12.
const DefaultCutoffDay = 15

// Rule is a report template's period rule.
type Rule struct {
	// CutoffDay is the day of the month on which windows start; they end
	// the day before. 0 means [DefaultCutoffDay] (windows 15th → 14th).
	// 1 gives plain calendar months, quarters and years. At most 28 so
	// that every month has the day.
	CutoffDay int
	// Naming picks the month a straddling window is named after; the zero
	// value is [NameByEnd]. Irrelevant when CutoffDay is 1.
	Naming Naming
}

// Validation errors of a [Rule], as message keys.
var (
	ErrBadCutoffDay = errors.New("report.bad_cutoff_day")
	ErrBadNaming    = errors.New("report.bad_naming")
)

// Validate checks the rule.
func (r Rule) Validate() error {
	if r.CutoffDay < 0 || r.CutoffDay > 28 {
		return fmt.Errorf("%w: %d", ErrBadCutoffDay, r.CutoffDay)
	}
	if r.Naming != NameByEnd && r.Naming != NameByStart {
		return fmt.Errorf("%w: %d", ErrBadNaming, r.Naming)
	}
	return nil
}

func (r Rule) cutoff() int {
	if r.CutoffDay == 0 {
		return DefaultCutoffDay
	}
	return r.CutoffDay
}

// shift is how many months before the month it is named after a window starts.
func (r Rule) shift() int {
	if r.cutoff() > 1 && r.Naming == NameByEnd {
		return 1
	}
	return 0
}

// monthStart returns the first day of the window named month m of year y
// (m may be outside 1–12 and is normalised).
func (r Rule) monthStart(y, m int) calendar.Date {
	return calendar.NewDate(y, time.Month(m-r.shift()), r.cutoff())
}

// Window is one report period: the data of From to To (both inclusive) goes
// into the report of Type number Number of Year.
//
// Naming convention: a window is named after the month (quarter, year) it
// mostly covers, by default the one it ends in ([NameByEnd]). So with the
// default rule, Year is the year of To: the monthly window 2024-12-15 –
// 2025-01-14 is month 1 of 2025, and 2025-12-20 falls in month 1 of 2026.
type Window struct {
	Type   Type
	Year   int
	Number int // month 1–12, quarter 1–4; 1 for six-month, nine-month and annual
	From   calendar.Date
	To     calendar.Date
	// Label is a stable, locale-neutral key: "2025-01", "2025-Q1",
	// "2025-H1", "2025-9M", "2025". Display text comes from the i18n
	// catalogs using Type, Year and Number.
	Label string
}

// Contains reports whether d lies in the window.
func (w Window) Contains(d calendar.Date) bool { return !d.Before(w.From) && !d.After(w.To) }

// IsZero reports whether w is the zero Window.
func (w Window) IsZero() bool { return w == Window{} }

// Days returns the number of days in the window.
func (w Window) Days() int { return w.To.Sub(w.From) + 1 }

// MinYear and MaxYear bound the years a report period may be named after:
// the range of the legal and lunar calendars danvan computes holidays with.
const (
	MinYear = 1900
	MaxYear = 2100
)

// ValidYear reports whether year lies in [MinYear, MaxYear].
func ValidYear(year int) bool { return year >= MinYear && year <= MaxYear }

// Windows returns the windows of type t named in year, in order. It returns
// nil if the rule is invalid ([Rule.Validate]), the type unknown or the year
// outside [MinYear, MaxYear].
func Windows(rule Rule, t Type, year int) []Window {
	if rule.Validate() != nil || !t.Valid() || !ValidYear(year) {
		return nil
	}
	n := t.PerYear()
	out := make([]Window, n)
	for i := range n {
		out[i] = window(rule, t, year, i+1)
	}
	return out
}

// window builds window number n of type t in year; rule and t are valid.
func window(rule Rule, t Type, year, n int) Window {
	first, months, label := 1, 12, fmt.Sprint(year) // annual
	switch t {
	case Monthly:
		first, months, label = n, 1, fmt.Sprintf("%d-%02d", year, n)
	case Quarterly:
		first, months, label = 3*n-2, 3, fmt.Sprintf("%d-Q%d", year, n)
	case SixMonth:
		months, label = 6, fmt.Sprintf("%d-H1", year)
	case NineMonth:
		months, label = 9, fmt.Sprintf("%d-9M", year)
	}
	return Window{
		Type:   t,
		Year:   year,
		Number: n,
		From:   rule.monthStart(year, first),
		To:     rule.monthStart(year, first+months).AddDays(-1),
		Label:  label,
	}
}

// WindowFor returns the window of type t that contains d. Monthly, quarterly
// and annual windows cover every day, so ok is always true for them. Six-
// and nine-month windows are cumulative from the start of the reporting year
// and cover only its first six or nine months: for a later day ok is false.
// ok is also false for an invalid rule or type.
func WindowFor(rule Rule, t Type, d calendar.Date) (w Window, ok bool) {
	if rule.Validate() != nil || !t.Valid() || d.IsZero() || !ValidYear(d.Year()) {
		return Window{}, false
	}
	// The month the day's monthly window is named after.
	y, m := d.Year(), int(d.Month())+rule.shift()
	if d.Day() < rule.cutoff() {
		m--
	}
	if m > 12 {
		y, m = y+1, m-12
	} else if m < 1 {
		y, m = y-1, m+12
	}
	switch t {
	case Monthly:
		w = window(rule, t, y, m)
	case Quarterly:
		w = window(rule, t, y, (m-1)/3+1)
	default:
		w = window(rule, t, y, 1)
	}
	if !w.Contains(d) {
		return Window{}, false
	}
	return w, true
}
