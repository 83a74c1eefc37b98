package calendar

import (
	"errors"
	"fmt"
	"time"
)

// DateLayout is the only text form of a [Date] (ISO 8601, as in the rest of danvan).
const DateLayout = "2006-01-02"

// Vietnam is Vietnam's time zone (ICT, UTC+7, no daylight saving). It is a
// fixed zone so that the package does not depend on the tz database.
var Vietnam = time.FixedZone("ICT", 7*60*60)

// ErrBadDate is returned when a text is not a valid YYYY-MM-DD date.
var ErrBadDate = errors.New("calendar.bad_date")

// Date is a civil date in the proleptic Gregorian calendar, with no time zone
// and no time of day. The fields are unexported so that every Date built by
// [NewDate], [ParseDate] or arithmetic is a real day; the zero Date means
// "no date" ([Date.IsZero]) and must not be used in arithmetic.
//
// Dates are comparable with == and usable as map keys.
type Date struct {
	year  int
	month time.Month
	day   int
}

// NewDate returns the date year-month-day, normalising out-of-range values
// the way [time.Date] does (NewDate(2025, 1, 32) is 2025-02-01, month 0 is
// December of the previous year).
func NewDate(year int, month time.Month, day int) Date {
	t := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// DateOf returns the civil date of t in t's own location. Use
// DateOf(t.In(Vietnam)) for "today in Vietnam".
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a YYYY-MM-DD date. It rejects anything else, including
// out-of-range days such as 2025-02-29.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q", ErrBadDate, s)
	}
	return DateOf(t), nil
}

// MustParseDate is [ParseDate] for literals in configuration code and tests;
// it panics on a bad date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Year returns the year.
func (d Date) Year() int { return d.year }

// Month returns the month.
func (d Date) Month() time.Month { return d.month }

// Day returns the day of the month.
func (d Date) Day() int { return d.day }

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD (the zero Date formats as "").
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, int(d.month), d.day)
}

// MarshalText implements [encoding.TextMarshaler] (YYYY-MM-DD; "" for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]; "" gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// In returns the first instant (midnight) of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, loc)
}

// Time returns midnight UTC of d, for APIs that want a time.Time.
func (d Date) Time() time.Time { return d.In(time.UTC) }

// JulianDay returns the Julian day number of d (the number of the day that
// starts at noon UT of d; 2000-01-01 is 2451545).
func (d Date) JulianDay() int {
	a := (14 - int(d.month)) / 12
	y := d.year + 4800 - a
	m := int(d.month) + 12*a - 3
	return d.day + (153*m+2)/5 + 365*y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) - 32045
}

// DateFromJulianDay is the inverse of [Date.JulianDay].
func DateFromJulianDay(jd int) Date {
	a := jd + 32044
	b := floorDiv(4*a+3, 146097)
	c := a - floorDiv(146097*b, 4)
	d := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*d, 4)
	m := (5*e + 2) / 153
	return Date{
		year:  100*b + d - 4800 + m/10,
		month: time.Month(m + 3 - 12*(m/10)),
		day:   e - (153*m+2)/5 + 1,
	}
}

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return DateFromJulianDay(d.JulianDay() + n) }

// Sub returns the number of days from o to d (d - o).
func (d Date) Sub(o Date) int { return d.JulianDay() - o.JulianDay() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Weekday(floorMod(d.JulianDay()+1, 7))
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.year != o.year:
		return cmpInt(d.year, o.year)
	case d.month != o.month:
		return cmpInt(int(d.month), int(o.month))
	default:
		return cmpInt(d.day, o.day)
	}
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - b*floorDiv(a, b) }
