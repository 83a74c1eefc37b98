package calendar

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// d is a test shorthand for MustParseDate.
func d(s string) Date { return MustParseDate(s) }

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2025-01-29", want: NewDate(2025, time.January, 29)},
		{in: "2024-02-29", want: NewDate(2024, time.February, 29)},
		{in: "0001-01-01", want: NewDate(1, time.January, 1)},
		{in: "9999-12-31", want: NewDate(9999, time.December, 31)},
		{in: "2025-02-29", wantErr: true},
		{in: "2025-13-01", wantErr: true},
		{in: "2025-00-10", wantErr: true},
		{in: "2025-04-31", wantErr: true},
		{in: "2025-1-2", wantErr: true},
		{in: "20250102", wantErr: true},
		{in: " 2025-01-02", wantErr: true},
		{in: "2025-01-02T00:00:00Z", wantErr: true},
		{in: "02/01/2025", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrBadDate) {
					t.Fatalf("ParseDate(%q) error = %v, want ErrBadDate", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestMustParseDatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustParseDate did not panic on a bad date")
		}
	}()
	MustParseDate("2025-02-30")
}

func TestNewDateNormalises(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		day  int
		want string
	}{
		{2025, time.January, 32, "2025-02-01"},
		{2025, time.March, 0, "2025-02-28"},
		{2024, time.March, 0, "2024-02-29"},
		{2025, 0, 15, "2024-12-15"},
		{2025, 13, 14, "2026-01-14"},
		{2025, -1, 1, "2024-11-01"},
	}
	for _, tt := range tests {
		if got := NewDate(tt.y, tt.m, tt.day).String(); got != tt.want {
			t.Errorf("NewDate(%d, %d, %d) = %s, want %s", tt.y, tt.m, tt.day, got, tt.want)
		}
	}
}

func TestZeroDate(t *testing.T) {
	var z Date
	if !z.IsZero() || z.String() != "" {
		t.Fatalf("zero Date: IsZero=%v String=%q", z.IsZero(), z.String())
	}
	if d("2025-01-01").IsZero() {
		t.Fatal("a real date reported IsZero")
	}
}

func TestJulianDay(t *testing.T) {
	tests := []struct {
		date string
		jd   int
	}{
		{"2000-01-01", 2451545},
		{"1900-01-01", 2415021},
		{"1582-10-15", 2299161}, // first day of the Gregorian calendar
		{"1970-01-01", 2440588},
		{"2025-01-29", 2460705},
	}
	for _, tt := range tests {
		if got := d(tt.date).JulianDay(); got != tt.jd {
			t.Errorf("%s.JulianDay() = %d, want %d", tt.date, got, tt.jd)
		}
		if got := DateFromJulianDay(tt.jd).String(); got != tt.date {
			t.Errorf("DateFromJulianDay(%d) = %s, want %s", tt.jd, got, tt.date)
		}
	}
}

// TestDateAgreesWithTime checks day arithmetic and weekdays against the
// standard library over several centuries, including leap-year rules.
func TestDateAgreesWithTime(t *testing.T) {
	start := time.Date(1799, time.December, 25, 0, 0, 0, 0, time.UTC)
	base := DateOf(start)
	for i := 0; i < 400*366; i += 7 {
		tm := start.AddDate(0, 0, i)
		want := DateOf(tm)
		got := base.AddDays(i)
		if got != want {
			t.Fatalf("AddDays(%d) = %v, want %v", i, got, want)
		}
		if got.Weekday() != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", got, got.Weekday(), tm.Weekday())
		}
		if got.Sub(base) != i {
			t.Fatalf("%v.Sub(%v) = %d, want %d", got, base, got.Sub(base), i)
		}
		if !got.Time().Equal(tm) {
			t.Fatalf("%v.Time() = %v, want %v", got, got.Time(), tm)
		}
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2025-01-01", "2025-01-01", 0},
		{"2024-12-31", "2025-01-01", -1},
		{"2025-02-01", "2025-01-31", 1},
		{"2025-01-02", "2025-01-10", -1},
	}
	for _, tt := range tests {
		a, b := d(tt.a), d(tt.b)
		if got := a.Compare(b); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if a.Before(b) != (tt.want < 0) || a.After(b) != (tt.want > 0) {
			t.Errorf("Before/After disagree with Compare for %s, %s", tt.a, tt.b)
		}
	}
}

func TestDateOfAndIn(t *testing.T) {
	// 17:30 UTC on 16 Feb 2026 is already 17 Feb (Tết) in Vietnam.
	tm := time.Date(2026, time.February, 16, 17, 30, 0, 0, time.UTC)
	if got := DateOf(tm); got != d("2026-02-16") {
		t.Errorf("DateOf(UTC) = %v", got)
	}
	if got := DateOf(tm.In(Vietnam)); got != d("2026-02-17") {
		t.Errorf("DateOf(in Vietnam) = %v", got)
	}
	start := d("2026-02-17").In(Vietnam)
	if !start.Equal(time.Date(2026, time.February, 16, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("In(Vietnam) = %v", start)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due  Date `json:"due"`
		Seen Date `json:"seen"`
	}
	b, err := json.Marshal(doc{Due: d("2026-02-26")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"due":"2026-02-26","seen":""}` {
		t.Fatalf("Marshal = %s", b)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.Due != d("2026-02-26") || !back.Seen.IsZero() {
		t.Fatalf("Unmarshal = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"2026-02-30"}`), &back); !errors.Is(err, ErrBadDate) {
		t.Fatalf("Unmarshal of a bad date: err = %v", err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-01-29", "2024-02-29", "2025-02-29", "", "0000-01-01", "9999-12-31", "2025-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrBadDate) {
				t.Fatalf("ParseDate(%q) error %v is not ErrBadDate", s, err)
			}
			return
		}
		if v.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, v.String())
		}
		if DateFromJulianDay(v.JulianDay()) != v {
			t.Fatalf("%v does not survive a Julian day round trip", v)
		}
		if l := SolarToLunar(v); l.Day < 1 || l.Day > 30 || l.Month < 1 || l.Month > 12 {
			t.Fatalf("SolarToLunar(%v) = %+v", v, l)
		}
	})
}
