package calendar

import (
	"errors"
	"slices"
	"testing"
	"time"
)

type hol struct {
	date string
	kind HolidayKind
}

func holidayList(hs []Holiday) []hol {
	out := make([]hol, len(hs))
	for i, h := range hs {
		out[i] = hol{h.Date.String(), h.Kind}
	}
	return out
}

func TestDefaultHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []hol
	}{
		{2025, []hol{
			{"2025-01-01", KindNewYear},
			{"2025-01-28", KindTet}, // 29 tháng Chạp, the last day of the year
			{"2025-01-29", KindTet},
			{"2025-01-30", KindTet},
			{"2025-01-31", KindTet},
			{"2025-02-01", KindTet}, // Saturday
			{"2025-02-03", KindCompensatory},
			{"2025-04-07", KindHungKings},
			{"2025-04-30", KindVictoryDay},
			{"2025-05-01", KindLabourDay},
			{"2025-09-01", KindNationalDay},
			{"2025-09-02", KindNationalDay},
		}},
		{2026, []hol{
			{"2026-01-01", KindNewYear},
			{"2026-02-16", KindTet},
			{"2026-02-17", KindTet},
			{"2026-02-18", KindTet},
			{"2026-02-19", KindTet},
			{"2026-02-20", KindTet},
			{"2026-04-26", KindHungKings}, // Sunday
			{"2026-04-27", KindCompensatory},
			{"2026-04-30", KindVictoryDay},
			{"2026-05-01", KindLabourDay},
			{"2026-09-01", KindNationalDay},
			{"2026-09-02", KindNationalDay},
		}},
		{2022, []hol{
			{"2022-01-01", KindNewYear}, // Saturday
			{"2022-01-03", KindCompensatory},
			{"2022-01-31", KindTet},
			{"2022-02-01", KindTet},
			{"2022-02-02", KindTet},
			{"2022-02-03", KindTet},
			{"2022-02-04", KindTet},
			{"2022-04-10", KindHungKings}, // Sunday
			{"2022-04-11", KindCompensatory},
			{"2022-04-30", KindVictoryDay}, // Saturday
			{"2022-05-01", KindLabourDay},  // Sunday
			{"2022-05-02", KindCompensatory},
			{"2022-05-03", KindCompensatory},
			{"2022-09-01", KindNationalDay},
			{"2022-09-02", KindNationalDay},
		}},
	}
	var cal Calendar
	for _, tt := range tests {
		got := holidayList(cal.Holidays(tt.year))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Holidays(%d):\n got %v\nwant %v", tt.year, got, tt.want)
		}
	}
}

func TestCompensatesField(t *testing.T) {
	h, ok := Calendar{}.HolidayOn(d("2022-05-03"))
	if !ok || h.Kind != KindCompensatory || h.Compensates != d("2022-05-01") {
		t.Fatalf("HolidayOn(2022-05-03) = %+v, %v", h, ok)
	}
}

func TestOverrides(t *testing.T) {
	cal := Calendar{Overrides: map[int]YearOverride{
		// Mechanics only, shaped like a Prime Minister's decision: a bridge
		// Monday before Tết made up on a Saturday.
		2025: {
			ExtraHolidays:   []Date{d("2025-01-27")},
			WorkingWeekends: []Date{d("2025-02-08")},
		},
		// National Day on 2–3 Sep instead of the default 1–2 Sep.
		2024: {NationalDay: []Date{d("2024-09-02"), d("2024-09-03")}},
		// A decision that lists every day off itself.
		2028: {
			Tet:             []Date{d("2028-01-24"), d("2028-01-25"), d("2028-01-26"), d("2028-01-27"), d("2028-01-28")},
			RemovedHolidays: []Date{d("2028-04-30")},
			NoCompensation:  true,
		},
		// Drop one computed compensatory day.
		2022: {RemovedHolidays: []Date{d("2022-05-03")}},
	}}
	if err := cal.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date    string
		working bool
	}{
		{"2025-01-24", true},  // Friday
		{"2025-01-27", false}, // bridge day
		{"2025-02-03", false}, // still the compensatory day for Saturday 1 Feb
		{"2025-02-08", true},  // swapped working Saturday
		{"2025-02-09", false}, // ordinary Sunday
		{"2024-09-01", false}, // Sunday, no longer a holiday but still a weekend day
		{"2024-09-02", false},
		{"2024-09-03", false},
		{"2024-09-04", true},
		{"2028-01-01", false}, // Saturday New Year…
		{"2028-01-03", true},  // …not compensated in 2028
		{"2028-01-24", false},
		{"2028-01-28", false},
		{"2028-01-29", false}, // Saturday
		{"2028-01-31", true},  // no compensation
		{"2028-04-30", false}, // removed, but a Sunday anyway
		{"2028-05-01", false},
		{"2022-05-02", false},
		{"2022-05-03", true}, // removed compensatory day
	}
	for _, tt := range tests {
		if got := cal.IsWorkingDay(d(tt.date)); got != tt.working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.working)
		}
	}
	if h, ok := cal.HolidayOn(d("2024-09-01")); ok {
		t.Errorf("2024-09-01 still a holiday: %+v", h)
	}
	if h, _ := cal.HolidayOn(d("2025-01-27")); h.Kind != KindExtra {
		t.Errorf("2025-01-27 kind = %q, want extra", h.Kind)
	}
}

func TestCompensationSkipsOtherDaysOff(t *testing.T) {
	// 2023: National Day 2 Sep is a Saturday, 1 Sep a holiday: make up on Monday 4 Sep.
	if h, ok := (Calendar{}).HolidayOn(d("2023-09-04")); !ok || h.Compensates != d("2023-09-02") {
		t.Errorf("2023-09-04 = %+v, %v; want compensation for 2023-09-02", h, ok)
	}
	// An extra day off on the Monday pushes the compensatory day to Tuesday.
	cal := Calendar{Overrides: map[int]YearOverride{2023: {ExtraHolidays: []Date{d("2023-09-04")}}}}
	if h, ok := cal.HolidayOn(d("2023-09-05")); !ok || h.Kind != KindCompensatory {
		t.Errorf("2023-09-05 = %+v, %v; want compensatory", h, ok)
	}
	// Nothing compensated when turned off for the whole calendar.
	if (Calendar{NoCompensation: true}).IsHoliday(d("2023-09-04")) {
		t.Error("compensatory day given with NoCompensation")
	}
}

func TestCompensationAcrossNewYear(t *testing.T) {
	// A configured 31 Dec holiday on Saturday 2022-12-31 must not take the
	// same Monday as the compensation for Sunday 2023-01-01.
	cal := Calendar{Recurring: []RecurringHoliday{{Name: "test", Month: time.December, Day: 31}}}
	got := map[string]string{}
	for _, s := range []string{"2023-01-02", "2023-01-03"} {
		h, ok := cal.HolidayOn(d(s))
		if !ok || h.Kind != KindCompensatory {
			t.Fatalf("%s = %+v, %v; want compensatory", s, h, ok)
		}
		got[s] = h.Compensates.String()
	}
	if got["2023-01-02"] == got["2023-01-03"] {
		t.Fatalf("both days compensate %s", got["2023-01-02"])
	}
	if !cal.IsWorkingDay(d("2023-01-04")) {
		t.Error("2023-01-04 should be a working day")
	}
}

func TestRecurringHoliday(t *testing.T) {
	cal := Calendar{Recurring: []RecurringHoliday{{
		Name: "proposed 24 Nov", Month: time.November, Day: 24, From: d("2026-01-01"),
	}}}
	if cal.IsHoliday(d("2025-11-24")) {
		t.Error("recurring holiday applied before From")
	}
	h, ok := cal.HolidayOn(d("2026-11-24"))
	if !ok || h.Kind != KindRecurring || h.Name != "proposed 24 Nov" {
		t.Errorf("HolidayOn(2026-11-24) = %+v, %v", h, ok)
	}
	until := Calendar{Recurring: []RecurringHoliday{{Month: time.November, Day: 24, Until: d("2026-12-31")}}}
	if !until.IsHoliday(d("2026-11-24")) || until.IsHoliday(d("2027-11-24")) {
		t.Error("Until not honoured")
	}
}

func TestWeekendConfig(t *testing.T) {
	sundayOnly := Calendar{Weekend: []time.Weekday{time.Sunday}}
	tests := []struct {
		cal     Calendar
		date    string
		working bool
	}{
		{sundayOnly, "2025-03-08", true},  // Saturday works
		{sundayOnly, "2025-03-09", false}, // Sunday
		{sundayOnly, "2025-02-01", false}, // Tết on Saturday, a holiday…
		{sundayOnly, "2025-02-03", true},  // …but on a working day, so not compensated
		{Calendar{}, "2025-02-03", false},
		{Calendar{Weekend: []time.Weekday{}}, "2025-03-09", true}, // no weekly rest day at all
	}
	for _, tt := range tests {
		if got := tt.cal.IsWorkingDay(d(tt.date)); got != tt.working {
			t.Errorf("%v IsWorkingDay(%s) = %v, want %v", tt.cal.Weekend, tt.date, got, tt.working)
		}
	}
	// An invalid all-days weekend falls back to Saturday–Sunday instead of hanging.
	all := Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
	if got := all.NextWorkingDay(d("2025-03-07")); got != d("2025-03-10") {
		t.Errorf("all-days weekend: NextWorkingDay = %v", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cal  Calendar
		want error
	}{
		{"zero", Calendar{}, nil},
		{"every day off", Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}, ErrBadWeekend},
		{"bad weekday", Calendar{Weekend: []time.Weekday{7}}, ErrBadWeekend},
		{"bad recurring month", Calendar{Recurring: []RecurringHoliday{{Month: 13, Day: 1}}}, ErrBadRecurring},
		{"29 Feb", Calendar{Recurring: []RecurringHoliday{{Month: 2, Day: 29}}}, ErrBadRecurring},
		{"31 Apr", Calendar{Recurring: []RecurringHoliday{{Month: 4, Day: 31}}}, ErrBadRecurring},
		{"until before from", Calendar{Recurring: []RecurringHoliday{{Month: 11, Day: 24, From: d("2026-01-01"), Until: d("2025-01-01")}}}, ErrBadRecurring},
		{"override in wrong year", Calendar{Overrides: map[int]YearOverride{2025: {ExtraHolidays: []Date{d("2026-01-02")}}}}, ErrOverrideWrongYear},
		{"working weekend on a weekday", Calendar{Overrides: map[int]YearOverride{2025: {WorkingWeekends: []Date{d("2025-02-07")}}}}, ErrWorkingWeekendDay},
		{"good override", Calendar{Overrides: map[int]YearOverride{2025: {WorkingWeekends: []Date{d("2025-02-08")}}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cal.Validate()
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}
