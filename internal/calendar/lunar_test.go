package calendar

import (
	"errors"
	"testing"
	"time"
)

func TestLunarNewYear(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{2000, "2000-02-05"},
		{2010, "2010-02-14"},
		{2020, "2020-01-25"},
		{2021, "2021-02-12"},
		{2022, "2022-02-01"},
		{2023, "2023-01-22"},
		{2024, "2024-02-10"},
		{2025, "2025-01-29"},
		{2026, "2026-02-17"},
		{2027, "2027-02-06"},
		{2028, "2028-01-26"},
		{2029, "2029-02-13"},
	}
	for _, tt := range tests {
		if got := LunarNewYear(tt.year).String(); got != tt.want {
			t.Errorf("LunarNewYear(%d) = %s, want %s", tt.year, got, tt.want)
		}
		if got := SolarToLunar(d(tt.want)); got != (Lunar{Day: 1, Month: 1, Year: tt.year}) {
			t.Errorf("SolarToLunar(%s) = %+v, want 1/1/%d", tt.want, got, tt.year)
		}
	}
}

func TestHungKingsDay(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{2007, "2007-04-26"}, // first year it was a paid holiday
		{2024, "2024-04-18"},
		{2025, "2025-04-07"},
		{2026, "2026-04-26"},
	}
	for _, tt := range tests {
		if got := HungKingsDay(tt.year).String(); got != tt.want {
			t.Errorf("HungKingsDay(%d) = %s, want %s", tt.year, got, tt.want)
		}
		if got := SolarToLunar(d(tt.want)); got != (Lunar{Day: 10, Month: 3, Year: tt.year}) {
			t.Errorf("SolarToLunar(%s) = %+v, want 10/3/%d", tt.want, got, tt.year)
		}
	}
}

// TestTimeZoneMatters covers years where computing at UTC+7 (Vietnam) and
// at UTC+8 (China) gives a different Tết because a new moon falls between
// 23:00 and 24:00 Vietnam time, or a month boundary moves with it.
func TestTimeZoneMatters(t *testing.T) {
	tests := []struct {
		year           int
		vietnam, china string
	}{
		{1968, "1968-01-29", "1968-01-30"}, // Tết Mậu Thân: the North used the new calendar
		{1985, "1985-01-21", "1985-02-20"}, // a whole month apart
		{2007, "2007-02-17", "2007-02-18"},
	}
	for _, tt := range tests {
		if got := LunarNewYear(tt.year).String(); got != tt.vietnam {
			t.Errorf("Vietnamese Tết %d = %s, want %s", tt.year, got, tt.vietnam)
		}
		jd, err := lunarToSolar(Lunar{Day: 1, Month: 1, Year: tt.year}, 8)
		if err != nil || DateFromJulianDay(jd).String() != tt.china {
			t.Errorf("Chinese New Year %d = %v (%v), want %s", tt.year, DateFromJulianDay(jd), err, tt.china)
		}
		if l := solarToLunar(d(tt.china).JulianDay(), 8); l != (Lunar{Day: 1, Month: 1, Year: tt.year}) {
			t.Errorf("at UTC+8, %s = %+v, want 1/1/%d", tt.china, l, tt.year)
		}
		if l := SolarToLunar(d(tt.china)); l == (Lunar{Day: 1, Month: 1, Year: tt.year}) {
			t.Errorf("at UTC+7, %s is also 1/1/%d", tt.china, tt.year)
		}
	}
}

func TestSolarToLunar(t *testing.T) {
	tests := []struct {
		date string
		want Lunar
	}{
		{"2025-01-28", Lunar{Day: 29, Month: 12, Year: 2024}}, // Tết Ất Tỵ had no 30th of the 12th month
		{"2025-01-29", Lunar{Day: 1, Month: 1, Year: 2025}},
		{"2024-12-31", Lunar{Day: 1, Month: 12, Year: 2024}},
		{"2025-07-25", Lunar{Day: 1, Month: 6, Year: 2025, Leap: true}},
		{"2025-07-24", Lunar{Day: 30, Month: 6, Year: 2025}},
		{"2025-10-06", Lunar{Day: 15, Month: 8, Year: 2025}}, // Mid-Autumn 2025
		{"2020-05-23", Lunar{Day: 1, Month: 4, Year: 2020, Leap: true}},
	}
	for _, tt := range tests {
		if got := SolarToLunar(d(tt.date)); got != tt.want {
			t.Errorf("SolarToLunar(%s) = %+v, want %+v", tt.date, got, tt.want)
		}
		if got, err := LunarToSolar(tt.want); err != nil || got != d(tt.date) {
			t.Errorf("LunarToSolar(%+v) = %v, %v; want %s", tt.want, got, err, tt.date)
		}
	}
}

func TestLeapMonth(t *testing.T) {
	tests := []struct{ year, want int }{
		{2012, 4},
		{2014, 9},
		{2017, 6},
		{2020, 4},
		{2023, 2},
		{2024, 0},
		{2025, 6},
		{2026, 0},
		{2027, 0},
		{2028, 5},
	}
	for _, tt := range tests {
		if got := LeapMonth(tt.year); got != tt.want {
			t.Errorf("LeapMonth(%d) = %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestLunarToSolarRejects(t *testing.T) {
	tests := []struct {
		name string
		in   Lunar
	}{
		{"leap month the year lacks", Lunar{Day: 1, Month: 6, Year: 2024, Leap: true}},
		{"leap month other than the year's", Lunar{Day: 1, Month: 5, Year: 2025, Leap: true}},
		{"30th of a 29-day month", Lunar{Day: 30, Month: 12, Year: 2024}},
		{"day 0", Lunar{Day: 0, Month: 1, Year: 2025}},
		{"day 31", Lunar{Day: 31, Month: 1, Year: 2025}},
		{"month 0", Lunar{Day: 1, Month: 0, Year: 2025}},
		{"month 13", Lunar{Day: 1, Month: 13, Year: 2025}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := LunarToSolar(tt.in); !errors.Is(err, ErrNoSuchLunarDate) {
				t.Fatalf("LunarToSolar(%+v) = %v, %v; want ErrNoSuchLunarDate", tt.in, got, err)
			}
		})
	}
}

// TestLunarCalendarConsistency walks every day of 1800–2199 and checks the
// structure of the calendar: conversions round-trip, days advance by one,
// months have 29 or 30 days, years have 12 or 13 months with the leap month
// where LeapMonth says, and Tết falls between 21 Jan and 20 Feb.
func TestLunarCalendarConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 146,000 days")
	}
	from, to := d("1800-01-25"), d("2199-12-31") // from is the first Tết of the range
	prev := SolarToLunar(from)
	if prev != (Lunar{Day: 1, Month: 1, Year: from.Year()}) {
		t.Fatalf("SolarToLunar(%v) = %+v", from, prev)
	}
	months := 1
	for day := from.AddDays(1); !day.After(to); day = day.AddDays(1) {
		l := SolarToLunar(day)
		if back, err := LunarToSolar(l); err != nil || back != day {
			t.Fatalf("round trip %v → %+v → %v, %v", day, l, back, err)
		}
		if l.Day != 1 {
			if l.Day != prev.Day+1 || l.Month != prev.Month || l.Year != prev.Year || l.Leap != prev.Leap {
				t.Fatalf("%v: %+v does not follow %+v", day, l, prev)
			}
			prev = l
			continue
		}
		if prev.Day != 29 && prev.Day != 30 {
			t.Fatalf("%v: month %+v ended on day %d", day, prev, prev.Day)
		}
		switch {
		case l.Leap:
			if l.Month != prev.Month || prev.Leap || LeapMonth(l.Year) != l.Month {
				t.Fatalf("%v: leap month %+v after %+v (LeapMonth=%d)", day, l, prev, LeapMonth(l.Year))
			}
			months++
		case l.Month == 1:
			if prev.Month != 12 || l.Year != prev.Year+1 {
				t.Fatalf("%v: new year %+v after %+v", day, l, prev)
			}
			want := 12
			if LeapMonth(prev.Year) != 0 {
				want = 13
			}
			if months != want {
				t.Fatalf("lunar year %d had %d months, want %d", prev.Year, months, want)
			}
			if day.Before(NewDate(day.Year(), time.January, 21)) || day.After(NewDate(day.Year(), time.February, 20)) {
				t.Fatalf("Tết %d on %v", l.Year, day)
			}
			if LunarNewYear(day.Year()) != day {
				t.Fatalf("LunarNewYear(%d) = %v, want %v", day.Year(), LunarNewYear(day.Year()), day)
			}
			months = 1
		default:
			if l.Month != prev.Month+1 || l.Year != prev.Year {
				t.Fatalf("%v: month %+v after %+v", day, l, prev)
			}
			months++
		}
		prev = l
	}
}
