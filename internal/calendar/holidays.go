package calendar

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// HolidayKind says why a day is off.
type HolidayKind string

// Public holidays of the Labour Code 45/2019/QH14 Art. 112(1), and the
// days derived from them.
const (
	KindNewYear      HolidayKind = "new_year"     // 1 Jan
	KindTet          HolidayKind = "tet"          // Lunar New Year, 5 days
	KindHungKings    HolidayKind = "hung_kings"   // 10th day of the 3rd lunar month
	KindVictoryDay   HolidayKind = "victory_day"  // 30 Apr
	KindLabourDay    HolidayKind = "labour_day"   // 1 May
	KindNationalDay  HolidayKind = "national_day" // 2 Sep and one adjacent day
	KindRecurring    HolidayKind = "recurring"    // a [RecurringHoliday] from configuration
	KindCompensatory HolidayKind = "compensatory" // nghỉ bù for a holiday on a weekend day
	KindExtra        HolidayKind = "extra"        // from [YearOverride.ExtraHolidays]
)

// Holiday is one day off.
type Holiday struct {
	Date Date
	Kind HolidayKind
	// Name is the configured name of a recurring holiday; empty otherwise
	// (user-facing names of the statutory holidays belong to the i18n catalogs).
	Name string
	// Compensates is, for a compensatory day, the holiday it makes up for.
	Compensates Date
}

// RecurringHoliday is a holiday on the same civil day every year, within an
// optional validity range, for holidays added after the Labour Code 2019
// (e.g. the 24 Nov holiday proposed in 2026 — to be verified before use).
type RecurringHoliday struct {
	Name  string
	Month time.Month
	Day   int
	From  Date // first date it applies; zero means always
	Until Date // last date it applies; zero means forever
}

// YearOverride records what the Prime Minister decides for one Gregorian
// year (Labour Code Art. 112(3)): the exact Tết and National Day days, bridge
// and compensatory days off, and the weekend days swapped to working days.
// Every date must fall in the year the override is filed under.
type YearOverride struct {
	// Tet, if non-nil, replaces the default five Tết days (30 Tết – mùng 4).
	Tet []Date
	// NationalDay, if non-nil, replaces the default National Day days (1–2 Sep).
	NationalDay []Date
	// ExtraHolidays are additional days off (bridge days, compensatory days
	// decided by decree). They are never compensated themselves.
	ExtraHolidays []Date
	// WorkingWeekends are weekend days declared working days (to make up for
	// a bridge day). A listed day is a working day whatever else applies.
	WorkingWeekends []Date
	// RemovedHolidays are days that are not off after all, including
	// compensatory days computed by default.
	RemovedHolidays []Date
	// NoCompensation turns off the automatic compensatory days this year,
	// for years whose decision lists every day off in ExtraHolidays.
	NoCompensation bool
}

// Calendar decides which days are working days. The zero Calendar is the
// statutory default for state agencies: Saturday and Sunday off, the
// holidays of the Labour Code Art. 112 with the default Tết and National Day
// days, and a compensatory day for each holiday falling on a weekend day.
//
// A Calendar is plain data: safe for concurrent use as long as nobody
// mutates it.
type Calendar struct {
	// Weekend lists the weekly rest days; nil means Saturday and Sunday
	// (civil servants' 40-hour week, Decision 188/1999/QĐ-TTg).
	Weekend []time.Weekday
	// NoCompensation turns off compensatory days (nghỉ bù) for holidays
	// falling on a weekend day (Labour Code Art. 111(3)), in every year.
	NoCompensation bool
	// Recurring adds holidays beyond Art. 112. 29 February is not allowed.
	Recurring []RecurringHoliday
	// Overrides holds each year's decisions, keyed by Gregorian year.
	Overrides map[int]YearOverride
}

// Validation errors of a [Calendar], as message keys.
var (
	ErrBadWeekend        = errors.New("calendar.bad_weekend")
	ErrBadRecurring      = errors.New("calendar.bad_recurring_holiday")
	ErrOverrideWrongYear = errors.New("calendar.override_wrong_year")
	ErrWorkingWeekendDay = errors.New("calendar.working_weekend_not_weekend")
)

// Validate checks the configuration. Methods of an invalid Calendar do not
// panic or loop, but their answers are unspecified.
func (c Calendar) Validate() error {
	var all uint8
	for _, w := range c.Weekend {
		if w < time.Sunday || w > time.Saturday {
			return fmt.Errorf("%w: %d", ErrBadWeekend, w)
		}
		all |= 1 << w
	}
	if all == 0x7f {
		return fmt.Errorf("%w: every day is a rest day", ErrBadWeekend)
	}
	for _, r := range c.Recurring {
		if r.Month < time.January || r.Month > time.December || r.Day < 1 ||
			r.Day > daysIn(r.Month, 2023) || (!r.From.IsZero() && !r.Until.IsZero() && r.Until.Before(r.From)) {
			return fmt.Errorf("%w: %q %d-%d", ErrBadRecurring, r.Name, r.Month, r.Day)
		}
	}
	for y, o := range c.Overrides {
		for _, list := range [][]Date{o.Tet, o.NationalDay, o.ExtraHolidays, o.WorkingWeekends, o.RemovedHolidays} {
			for _, d := range list {
				if d.Year() != y {
					return fmt.Errorf("%w: %s filed under %d", ErrOverrideWrongYear, d, y)
				}
			}
		}
		for _, d := range o.WorkingWeekends {
			if !c.isWeekend(d) {
				return fmt.Errorf("%w: %s is a %s", ErrWorkingWeekendDay, d, d.Weekday())
			}
		}
	}
	return nil
}

// weekendMask returns the rest days as a bit set (bit i for weekday i). A
// configuration making every day a rest day is invalid; it falls back to the
// default so that day counting always terminates.
func (c Calendar) weekendMask() uint8 {
	const satSun = 1<<time.Saturday | 1<<time.Sunday
	if c.Weekend == nil {
		return satSun
	}
	var m uint8
	for _, w := range c.Weekend {
		if w >= time.Sunday && w <= time.Saturday {
			m |= 1 << w
		}
	}
	if m == 0x7f {
		return satSun
	}
	return m
}

func (c Calendar) isWeekend(d Date) bool { return c.weekendMask()&(1<<d.Weekday()) != 0 }

// IsWeekend reports whether d is a weekly rest day (whether or not it was
// swapped to a working day).
func (c Calendar) IsWeekend(d Date) bool { return c.isWeekend(d) }

// Holidays returns the days off of the given year in date order: statutory
// holidays, compensatory days and extra days off, minus removed ones. It
// does not list ordinary weekends. A compensatory day for a holiday late in
// the year may fall in the next year; it is listed under the holiday's year.
func (c Calendar) Holidays(year int) []Holiday { return c.holidays(year, true) }

// holidays computes a year's days off. With lookahead, a compensatory day
// spilling into the next year also avoids that year's days off.
func (c Calendar) holidays(year int, lookahead bool) []Holiday {
	o := c.Overrides[year]
	removed := dateSet(o.RemovedHolidays)

	var out []Holiday
	add := func(d Date, k HolidayKind, name string) {
		if !removed[d] && !slices.ContainsFunc(out, func(h Holiday) bool { return h.Date == d }) {
			out = append(out, Holiday{Date: d, Kind: k, Name: name})
		}
	}
	add(NewDate(year, time.January, 1), KindNewYear, "")
	if o.Tet != nil {
		for _, d := range o.Tet {
			add(d, KindTet, "")
		}
	} else {
		first := LunarNewYear(year)
		for i := -1; i <= 3; i++ { // 30 Tết (the last day of the old year, 29 or 30) to mùng 4
			add(first.AddDays(i), KindTet, "")
		}
	}
	add(HungKingsDay(year), KindHungKings, "")
	add(NewDate(year, time.April, 30), KindVictoryDay, "")
	add(NewDate(year, time.May, 1), KindLabourDay, "")
	if o.NationalDay != nil {
		for _, d := range o.NationalDay {
			add(d, KindNationalDay, "")
		}
	} else {
		add(NewDate(year, time.September, 1), KindNationalDay, "")
		add(NewDate(year, time.September, 2), KindNationalDay, "")
	}
	for _, r := range c.Recurring {
		d := NewDate(year, r.Month, r.Day)
		if (r.From.IsZero() || !d.Before(r.From)) && (r.Until.IsZero() || !d.After(r.Until)) {
			add(d, KindRecurring, r.Name)
		}
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })

	extra := dateSet(o.ExtraHolidays)
	if !c.NoCompensation && !o.NoCompensation {
		// Art. 111(3): a holiday on a weekly rest day is made up on the next
		// working day; several such holidays take successive working days.
		statutory := map[Date]bool{}
		for _, h := range out {
			statutory[h.Date] = true
		}
		taken := map[Date]bool{}
		var next map[Date]bool // days off of year+1, computed on first spill
		busy := func(d Date) bool {
			if c.isWeekend(d) || statutory[d] || taken[d] || extra[d] {
				return true
			}
			if d.Year() > year && lookahead {
				if next == nil {
					next = map[Date]bool{}
					for _, h := range c.holidays(year+1, false) {
						next[h.Date] = true
					}
				}
				return next[d]
			}
			return false
		}
		var comp []Holiday
		for _, h := range out {
			if !c.isWeekend(h.Date) {
				continue
			}
			d := h.Date.AddDays(1)
			for busy(d) {
				d = d.AddDays(1)
			}
			taken[d] = true
			if !removed[d] {
				comp = append(comp, Holiday{Date: d, Kind: KindCompensatory, Compensates: h.Date})
			}
		}
		out = append(out, comp...)
	}
	for _, d := range o.ExtraHolidays {
		if !slices.ContainsFunc(out, func(h Holiday) bool { return h.Date == d }) {
			out = append(out, Holiday{Date: d, Kind: KindExtra})
		}
	}
	slices.SortStableFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
}

// IsHoliday reports whether d is a day off other than an ordinary weekend
// day: a public holiday, a compensatory day or an extra day off.
func (c Calendar) IsHoliday(d Date) bool {
	_, ok := c.HolidayOn(d)
	return ok
}

// HolidayOn returns the holiday on d, if any.
func (c Calendar) HolidayOn(d Date) (Holiday, bool) {
	// The previous year is consulted for compensatory days spilling over New Year.
	for _, y := range []int{d.Year(), d.Year() - 1} {
		for _, h := range c.Holidays(y) {
			if h.Date == d {
				return h, true
			}
		}
	}
	return Holiday{}, false
}

// IsWorkingDay reports whether d is a working day: a weekend day swapped to
// a working day, or a day that is neither a weekend day nor a holiday.
func (c Calendar) IsWorkingDay(d Date) bool { return c.index().isWorkingDay(d) }

// dayIndex answers IsWorkingDay for many days in a row, computing each
// year's days off once instead of once per day counted.
type dayIndex struct {
	c       Calendar
	daysOff map[int]map[Date]bool // year → days off listed under that year
}

func (c Calendar) index() *dayIndex {
	return &dayIndex{c: c, daysOff: map[int]map[Date]bool{}}
}

func (ix *dayIndex) yearOff(y int) map[Date]bool {
	m, ok := ix.daysOff[y]
	if !ok {
		hs := ix.c.Holidays(y)
		m = make(map[Date]bool, len(hs))
		for _, h := range hs {
			m[h.Date] = true
		}
		ix.daysOff[y] = m
	}
	return m
}

func (ix *dayIndex) isWorkingDay(d Date) bool {
	y := d.Year()
	if slices.Contains(ix.c.Overrides[y].WorkingWeekends, d) {
		return true
	}
	// The previous year is consulted for compensatory days spilling over New Year.
	return !ix.c.isWeekend(d) && !ix.yearOff(y)[d] && !ix.yearOff(y - 1)[d]
}

func dateSet(ds []Date) map[Date]bool {
	m := make(map[Date]bool, len(ds))
	for _, d := range ds {
		m[d] = true
	}
	return m
}

func daysIn(m time.Month, year int) int {
	return NewDate(year, m+1, 0).Day()
}
