package calendar_test

import (
	"fmt"

	"github.com/danvan/danvan/internal/calendar"
)

func ExampleCalendar_AddCalendarDays() {
	var cal calendar.Calendar // statutory defaults
	// A 30-day period from 17 Jan 2026 would end on 16 Feb, the first day
	// of the Tết holiday; it ends at the close of the next working day.
	fmt.Println(cal.AddCalendarDays(calendar.MustParseDate("2026-01-17"), 30))
	// Output: 2026-02-23
}

func ExampleCalendar_AddWorkingDays() {
	cal := calendar.Calendar{Overrides: map[int]calendar.YearOverride{
		2025: {WorkingWeekends: []calendar.Date{calendar.MustParseDate("2025-02-08")}},
	}}
	fmt.Println(cal.AddWorkingDays(calendar.MustParseDate("2025-03-07"), 10))
	fmt.Println(cal.AddWorkingDays(calendar.MustParseDate("2025-02-07"), 1)) // swapped Saturday
	// Output:
	// 2025-03-21
	// 2025-02-08
}

func ExampleSolarToLunar() {
	l := calendar.SolarToLunar(calendar.MustParseDate("2025-07-25"))
	fmt.Printf("%d/%d/%d leap=%v\n", l.Day, l.Month, l.Year, l.Leap)
	fmt.Println(calendar.LunarNewYear(2026), calendar.HungKingsDay(2026))
	// Output:
	// 1/6/2025 leap=true
	// 2026-02-17 2026-04-26
}
