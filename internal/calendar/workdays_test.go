package calendar

import "testing"

func TestAddWorkingDays(t *testing.T) {
	bridge2025 := Calendar{Overrides: map[int]YearOverride{2025: {
		ExtraHolidays:   []Date{d("2025-01-27")},
		WorkingWeekends: []Date{d("2025-02-08")},
	}}}
	tests := []struct {
		name  string
		cal   Calendar
		start string
		n     int
		want  string
	}{
		{"10 from a Friday", Calendar{}, "2025-03-07", 10, "2025-03-21"},
		{"1 from a Friday is Monday", Calendar{}, "2025-03-07", 1, "2025-03-10"},
		{"5 from a Monday", Calendar{}, "2025-03-10", 5, "2025-03-17"},
		{"from a Saturday", Calendar{}, "2025-03-08", 1, "2025-03-10"},
		{"zero is the start", Calendar{}, "2025-03-08", 0, "2025-03-08"},
		{"backwards", Calendar{}, "2025-03-10", -1, "2025-03-07"},
		{"backwards over Tết 2026", Calendar{}, "2026-02-23", -1, "2026-02-13"},
		{"across Tết 2026", Calendar{}, "2026-02-12", 5, "2026-02-26"},
		{"10 working days across Tết 2026", Calendar{}, "2026-02-11", 10, "2026-03-04"},
		{"across Tết 2025 and its compensatory day", Calendar{}, "2025-01-24", 2, "2025-02-04"},
		{"bridge day and compensatory day skipped", bridge2025, "2025-01-24", 1, "2025-02-04"},
		{"swapped Saturday counts", bridge2025, "2025-02-07", 1, "2025-02-08"},
		{"30/4–1/5 2026", Calendar{}, "2026-04-29", 1, "2026-05-04"},
		{"Hùng Kings 2026 on Sunday", Calendar{}, "2026-04-24", 1, "2026-04-28"},
		{"over New Year", Calendar{}, "2025-12-31", 1, "2026-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.AddWorkingDays(d(tt.start), tt.n).String(); got != tt.want {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", tt.start, tt.n, got, tt.want)
			}
		})
	}
}

func TestAddCalendarDays(t *testing.T) {
	tests := []struct {
		name  string
		cal   Calendar
		start string
		n     int
		want  string
	}{
		{"ends on a weekday", Calendar{}, "2025-03-03", 10, "2025-03-13"},
		{"30 days ending on a Sunday roll to Monday", Calendar{}, "2025-01-31", 30, "2025-03-03"},
		{"ending on a Saturday", Calendar{}, "2025-03-05", 3, "2025-03-10"},
		{"ending in Tết 2026 rolls past it", Calendar{}, "2026-01-17", 30, "2026-02-23"},
		{"10 days ending on the last Tết day", Calendar{}, "2026-02-10", 10, "2026-02-23"},
		{"crossing Tết 2026, ending after it", Calendar{}, "2026-02-10", 15, "2026-02-25"},
		{"ending on 30/4 rolls past 1/5 and the weekend", Calendar{}, "2026-04-20", 10, "2026-05-04"},
		{"ending on 2 Sep 2025", Calendar{}, "2025-08-03", 30, "2025-09-03"},
		{"ending on a swapped working Saturday", Calendar{Overrides: map[int]YearOverride{2025: {
			WorkingWeekends: []Date{d("2025-02-08")}}}}, "2025-01-29", 10, "2025-02-08"},
		{"90 days (filing a complaint)", Calendar{}, "2025-10-01", 90, "2025-12-30"},
		{"zero days on a working day", Calendar{}, "2025-03-03", 0, "2025-03-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.AddCalendarDays(d(tt.start), tt.n).String(); got != tt.want {
				t.Fatalf("AddCalendarDays(%s, %d) = %s, want %s", tt.start, tt.n, got, tt.want)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	tests := []struct {
		from, to string
		want     int
	}{
		{"2025-03-07", "2025-03-21", 10},
		{"2025-03-07", "2025-03-07", 0},
		{"2025-03-07", "2025-03-09", 0}, // Friday → Sunday
		{"2025-03-08", "2025-03-10", 1},
		{"2026-02-13", "2026-02-23", 1}, // Tết 2026 in between
		{"2026-01-31", "2026-02-28", 15},
		{"2025-03-21", "2025-03-07", -10},
		{"2025-03-09", "2025-03-07", -1},  // [Fri, Sun) holds Friday
		{"2024-12-31", "2025-12-31", 250}, // 261 weekdays − 11 days off
	}
	var cal Calendar
	for _, tt := range tests {
		if got := cal.WorkingDaysBetween(d(tt.from), d(tt.to)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

// TestCountingIdentities checks that the counting functions agree with each
// other for every pair of days in a window around Tết 2025 and 2026.
func TestCountingIdentities(t *testing.T) {
	var cal Calendar
	for _, span := range [][2]string{{"2025-01-10", "2025-02-20"}, {"2026-02-01", "2026-03-10"}} {
		from, to := d(span[0]), d(span[1])
		for a := from; !a.After(to); a = a.AddDays(1) {
			for b := from; !b.After(to); b = b.AddDays(1) {
				n := cal.WorkingDaysBetween(a, b)
				if cal.IsWorkingDay(b) && cal.AddWorkingDays(a, n) != b {
					t.Fatalf("AddWorkingDays(%v, WorkingDaysBetween(%v, %v)=%d) = %v", a, a, b, n, cal.AddWorkingDays(a, n))
				}
			}
			for n := 1; n <= 20; n++ {
				end := cal.AddWorkingDays(a, n)
				if !cal.IsWorkingDay(end) || cal.WorkingDaysBetween(a, end) != n {
					t.Fatalf("AddWorkingDays(%v, %d) = %v, WorkingDaysBetween = %d", a, n, end, cal.WorkingDaysBetween(a, end))
				}
				c := cal.AddCalendarDays(a, n)
				if !cal.IsWorkingDay(c) || c.Before(a.AddDays(n)) || cal.WorkingDaysBetween(a.AddDays(n-1), c) != 1 && cal.IsWorkingDay(a.AddDays(n)) {
					t.Fatalf("AddCalendarDays(%v, %d) = %v", a, n, c)
				}
			}
		}
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	var cal Calendar
	start := d("2026-02-11")
	for b.Loop() {
		cal.AddWorkingDays(start, 30)
	}
}
