package calendar

import (
	"errors"
	"fmt"
	"math"
	"sync"
)

// The lunar calendar follows Hồ Ngọc Đức's published algorithm ("Âm lịch
// Việt Nam", based on Jean Meeus, Astronomical Algorithms): a lunar month
// starts on the local day of the new moon; month 11 contains the winter
// solstice; in a year with 13 months the first month after month 11 that
// contains no major solar term is the leap month. Everything is computed at
// UTC+7, the legal time of Vietnam since 1967/1975 (the Chinese calendar uses
// UTC+8, so the two differ when a new moon or solar term falls between 23:00
// and 24:00 Vietnam time, e.g. Tết 1985 and 2007). The approximations are
// good for the years 1800–2199; outside that range results are not reliable.

// vnTimeZone is the offset, in hours, at which Vietnam's lunar calendar is computed.
const vnTimeZone = 7.0

// ErrNoSuchLunarDate is returned by [LunarToSolar] for a lunar date that does
// not exist (a leap month the year does not have, day 30 of a 29-day month…).
var ErrNoSuchLunarDate = errors.New("calendar.no_such_lunar_date")

// Lunar is a date of the Vietnamese lunar calendar. Year is the Gregorian
// number of the lunar year (the year in which its Tết falls); Leap marks the
// intercalary (nhuận) month that repeats Month.
type Lunar struct {
	Day   int
	Month int
	Year  int
	Leap  bool
}

// SolarToLunar converts a civil date to the Vietnamese lunar calendar.
func SolarToLunar(d Date) Lunar { return solarToLunar(d.JulianDay(), vnTimeZone) }

// LunarToSolar converts a Vietnamese lunar date to a civil date. It returns
// [ErrNoSuchLunarDate] for a month outside 1–12, a leap month the year does
// not have, or a day outside the month's 29 or 30 days.
func LunarToSolar(l Lunar) (Date, error) {
	jd, err := lunarToSolar(l, vnTimeZone)
	if err != nil {
		return Date{}, err
	}
	return DateFromJulianDay(jd), nil
}

// LeapMonth returns the leap month of the given lunar year (1–12), or 0 if
// the year has 12 months.
func LeapMonth(lunarYear int) int { return leapMonth(lunarYear, vnTimeZone) }

// LunarNewYear returns the first day of Tết (mùng 1 tháng Giêng) of the lunar
// year that starts in the given Gregorian year.
func LunarNewYear(year int) Date { return yearDates(year).tet }

// HungKingsDay returns the day of the Hùng Kings' commemoration (10th day of
// the 3rd lunar month, never the leap 3rd month) in the given year.
func HungKingsDay(year int) Date { return yearDates(year).hung }

type lunarYearDates struct{ tet, hung Date }

// lunarCache memoises the two lunar holidays per year: every holiday list
// needs them, and they are pure functions of the year.
var lunarCache sync.Map // int → lunarYearDates

func yearDates(year int) lunarYearDates {
	if v, ok := lunarCache.Load(year); ok {
		return v.(lunarYearDates)
	}
	tet, err1 := LunarToSolar(Lunar{Day: 1, Month: 1, Year: year})
	hung, err2 := LunarToSolar(Lunar{Day: 10, Month: 3, Year: year})
	if err1 != nil || err2 != nil { // cannot happen: every year has these days
		panic(fmt.Sprintf("calendar: lunar year %d: %v %v", year, err1, err2))
	}
	v := lunarYearDates{tet, hung}
	lunarCache.Store(year, v)
	return v
}

func solarToLunar(dayNumber int, tz float64) Lunar {
	// Find the new moon starting the month of dayNumber. The mean-lunation
	// estimate can be one month off near a new moon (Hồ Ngọc Đức's code then
	// returns day 0, e.g. for 2054-05-07), so correct it both ways.
	k := int(math.Floor((float64(dayNumber) - 2415021.076998695) / 29.530588853))
	for newMoonDay(k, tz) > dayNumber {
		k--
	}
	for newMoonDay(k+1, tz) <= dayNumber {
		k++
	}
	monthStart := newMoonDay(k, tz)
	y := DateFromJulianDay(dayNumber).year
	a11 := lunarMonth11(y, tz)
	b11 := a11
	var lunarYear int
	if a11 >= monthStart {
		lunarYear = y
		a11 = lunarMonth11(y-1, tz)
	} else {
		lunarYear = y + 1
		b11 = lunarMonth11(y+1, tz)
	}
	l := Lunar{Day: dayNumber - monthStart + 1}
	diff := (monthStart - a11) / 29
	l.Month = diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11, tz)
		if diff >= leapDiff {
			l.Month = diff + 10
			l.Leap = diff == leapDiff
		}
	}
	if l.Month > 12 {
		l.Month -= 12
	}
	if l.Month >= 11 && diff < 4 {
		lunarYear--
	}
	l.Year = lunarYear
	return l
}

func lunarToSolar(l Lunar, tz float64) (int, error) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return 0, fmt.Errorf("%w: %+v", ErrNoSuchLunarDate, l)
	}
	var a11, b11 int
	if l.Month < 11 {
		a11 = lunarMonth11(l.Year-1, tz)
		b11 = lunarMonth11(l.Year, tz)
	} else {
		a11 = lunarMonth11(l.Year, tz)
		b11 = lunarMonth11(l.Year+1, tz)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := l.Month - 11
	if off < 0 {
		off += 12
	}
	hasLeap := false
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11, tz)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		hasLeap = l.Month == leapMonth
		if l.Leap || off >= leapOff {
			off++
		}
	}
	if l.Leap && !hasLeap {
		return 0, fmt.Errorf("%w: %+v (no such leap month)", ErrNoSuchLunarDate, l)
	}
	start := newMoonDay(k+off, tz)
	if length := newMoonDay(k+off+1, tz) - start; l.Day > length {
		return 0, fmt.Errorf("%w: %+v (month has %d days)", ErrNoSuchLunarDate, l, length)
	}
	return start + l.Day - 1, nil
}

func leapMonth(lunarYear int, tz float64) int {
	// Months 1–10 of lunarYear lie between month 11 of the previous year and
	// month 11 of this one; a leap 11th or 12th month lies after this year's 11.
	a11, b11 := lunarMonth11(lunarYear-1, tz), lunarMonth11(lunarYear, tz)
	if b11-a11 > 365 {
		if off := leapMonthOffset(a11, tz); off >= 3 {
			return off - 2
		}
	}
	c11 := lunarMonth11(lunarYear+1, tz)
	if c11-b11 > 365 {
		if off := leapMonthOffset(b11, tz); off <= 2 {
			return off + 10
		}
	}
	return 0
}

// newMoon returns the Julian date (with fraction, UT) of the k-th new moon
// after the one of 1900-01-01 13:52 UT.
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	t := kf / 1236.85 // Julian centuries from 1900 January 0.5
	t2 := t * t
	t3 := t2 * t
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)      // mean new moon
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3    // Sun's mean anomaly
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3 // Moon's mean anomaly
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3    // Moon's argument of latitude
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 = c1 - 0.0004*math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltat float64
	if t < -11 {
		deltat = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltat = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltat
}

// newMoonDay returns the day number (local date at tz) of the k-th new moon.
func newMoonDay(k int, tz float64) int {
	return int(math.Floor(newMoon(k) + 0.5 + tz/24))
}

// sunLongitude returns the Sun's apparent longitude, in radians in [0, 2π),
// at Julian date jdn (UT).
func sunLongitude(jdn float64) float64 {
	const dr = math.Pi / 180
	t := (jdn - 2451545.0) / 36525 // Julian centuries from 2000-01-01 12:00 UT
	t2 := t * t
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2 // mean anomaly, degrees
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2                  // mean longitude, degrees
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// sunSector returns which of the 12 major-term sectors (0–11, 30° each) the
// Sun is in at the local midnight that starts day dayNumber.
func sunSector(dayNumber int, tz float64) int {
	return int(math.Floor(sunLongitude(float64(dayNumber)-0.5-tz/24) / math.Pi * 6))
}

// lunarMonth11 returns the day number of the first day of lunar month 11
// (the month containing the winter solstice) that starts in Gregorian year y.
func lunarMonth11(y int, tz float64) int {
	key := month11Key{y, tz}
	if v, ok := month11Cache.Load(key); ok {
		return v.(int)
	}
	nm := computeLunarMonth11(y, tz)
	month11Cache.Store(key, nm)
	return nm
}

type month11Key struct {
	year int
	tz   float64
}

// month11Cache memoises lunarMonth11, which every conversion needs two or
// three times and which does not change.
var month11Cache sync.Map // month11Key → int

func computeLunarMonth11(y int, tz float64) int {
	off := NewDate(y, 12, 31).JulianDay() - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k, tz)
	if sunSector(nm, tz) >= 9 { // new moon after 270° (the solstice): month 11 began earlier
		nm = newMoonDay(k-1, tz)
	}
	return nm
}

// leapMonthOffset returns, for a 13-month year starting at month 11 a11,
// the offset (in months after a11) of the first month without a major term.
func leapMonthOffset(a11 int, tz float64) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k+i, tz), tz)
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k+i, tz), tz)
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}
