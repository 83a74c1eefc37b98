package report

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/calendar"
)

func d(s string) calendar.Date { return calendar.MustParseDate(s) }

// nth returns window number n (1-based) of Windows, failing the test if absent.
func nth(t *testing.T, r Rule, typ Type, year, n int) Window {
	t.Helper()
	ws := Windows(r, typ, year)
	if n < 1 || n > len(ws) {
		t.Fatalf("Windows(%+v, %s, %d) has %d windows, want number %d", r, typ, year, len(ws), n)
	}
	return ws[n-1]
}

func TestWindows(t *testing.T) {
	byStart5 := Rule{CutoffDay: 5, Naming: NameByStart}
	tests := []struct {
		name     string
		rule     Rule
		typ      Type
		year, n  int
		from, to string
		label    string
	}{
		// Decree 09/2019 Art. 12, default cut-off 15.
		{"monthly January 2025", Rule{}, Monthly, 2025, 1, "2024-12-15", "2025-01-14", "2025-01"},
		{"monthly March 2024 (leap February)", Rule{}, Monthly, 2024, 3, "2024-02-15", "2024-03-14", "2024-03"},
		{"monthly December 2025", Rule{}, Monthly, 2025, 12, "2025-11-15", "2025-12-14", "2025-12"},
		{"Q1 2025", Rule{}, Quarterly, 2025, 1, "2024-12-15", "2025-03-14", "2025-Q1"},
		{"Q2 2025", Rule{}, Quarterly, 2025, 2, "2025-03-15", "2025-06-14", "2025-Q2"},
		{"Q4 2025", Rule{}, Quarterly, 2025, 4, "2025-09-15", "2025-12-14", "2025-Q4"},
		{"6-month 2026", Rule{}, SixMonth, 2026, 1, "2025-12-15", "2026-06-14", "2026-H1"},
		{"9-month 2025", Rule{}, NineMonth, 2025, 1, "2024-12-15", "2025-09-14", "2025-9M"},
		{"annual 2025", Rule{}, Annual, 2025, 1, "2024-12-15", "2025-12-14", "2025"},
		{"explicit 15", Rule{CutoffDay: 15}, Annual, 2025, 1, "2024-12-15", "2025-12-14", "2025"},
		// Cut-off 1: plain calendar periods.
		{"calendar February 2024", Rule{CutoffDay: 1}, Monthly, 2024, 2, "2024-02-01", "2024-02-29", "2024-02"},
		{"calendar Q1 2025", Rule{CutoffDay: 1}, Quarterly, 2025, 1, "2025-01-01", "2025-03-31", "2025-Q1"},
		{"calendar Q4 2025", Rule{CutoffDay: 1}, Quarterly, 2025, 4, "2025-10-01", "2025-12-31", "2025-Q4"},
		{"calendar half-year", Rule{CutoffDay: 1}, SixMonth, 2025, 1, "2025-01-01", "2025-06-30", "2025-H1"},
		{"calendar nine months", Rule{CutoffDay: 1}, NineMonth, 2025, 1, "2025-01-01", "2025-09-30", "2025-9M"},
		{"calendar year", Rule{CutoffDay: 1}, Annual, 2025, 1, "2025-01-01", "2025-12-31", "2025"},
		{"calendar year, NameByStart changes nothing", Rule{CutoffDay: 1, Naming: NameByStart}, Annual, 2025, 1, "2025-01-01", "2025-12-31", "2025"},
		// Other cut-off days.
		{"cut-off 20, January", Rule{CutoffDay: 20}, Monthly, 2025, 1, "2024-12-20", "2025-01-19", "2025-01"},
		{"cut-off 28, March", Rule{CutoffDay: 28}, Monthly, 2025, 3, "2025-02-28", "2025-03-27", "2025-03"},
		{"cut-off 5 by start, January", byStart5, Monthly, 2025, 1, "2025-01-05", "2025-02-04", "2025-01"},
		{"cut-off 5 by start, December", byStart5, Monthly, 2025, 12, "2025-12-05", "2026-01-04", "2025-12"},
		{"cut-off 5 by start, year", byStart5, Annual, 2025, 1, "2025-01-05", "2026-01-04", "2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := nth(t, tt.rule, tt.typ, tt.year, tt.n)
			want := Window{Type: tt.typ, Year: tt.year, Number: tt.n, From: d(tt.from), To: d(tt.to), Label: tt.label}
			if w != want {
				t.Fatalf("got  %+v\nwant %+v", w, want)
			}
		})
	}
}

func TestWindowsInvalid(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		typ  Type
	}{
		{"cut-off 29", Rule{CutoffDay: 29}, Monthly},
		{"negative cut-off", Rule{CutoffDay: -1}, Monthly},
		{"bad naming", Rule{Naming: 7}, Monthly},
		{"unknown type", Rule{}, Type("weekly")},
		{"empty type", Rule{}, Type("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ws := Windows(tt.rule, tt.typ, 2025); ws != nil {
				t.Errorf("Windows = %v, want nil", ws)
			}
			if w, ok := WindowFor(tt.rule, tt.typ, d("2025-05-05")); ok || !w.IsZero() {
				t.Errorf("WindowFor = %+v, %v; want zero, false", w, ok)
			}
		})
	}
	if err := (Rule{CutoffDay: 29}).Validate(); !errors.Is(err, ErrBadCutoffDay) {
		t.Errorf("Validate(29) = %v", err)
	}
	if err := (Rule{Naming: 7}).Validate(); !errors.Is(err, ErrBadNaming) {
		t.Errorf("Validate(naming 7) = %v", err)
	}
}

func TestWindowFor(t *testing.T) {
	tests := []struct {
		name  string
		rule  Rule
		typ   Type
		date  string
		label string // "" when no window contains the date
	}{
		{"20 Dec 2025 is in January 2026", Rule{}, Monthly, "2025-12-20", "2026-01"},
		{"15 Dec 2025 opens January 2026", Rule{}, Monthly, "2025-12-15", "2026-01"},
		{"14 Dec 2025 closes December 2025", Rule{}, Monthly, "2025-12-14", "2025-12"},
		{"14 Jan 2025 closes January 2025", Rule{}, Monthly, "2025-01-14", "2025-01"},
		{"1 Jan 2025 is in January 2025", Rule{}, Monthly, "2025-01-01", "2025-01"},
		{"15 Jun is in July", Rule{}, Monthly, "2025-06-15", "2025-07"},
		{"20 Dec 2025 is in Q1 2026", Rule{}, Quarterly, "2025-12-20", "2026-Q1"},
		{"14 Mar 2025 is in Q1", Rule{}, Quarterly, "2025-03-14", "2025-Q1"},
		{"15 Mar 2025 is in Q2", Rule{}, Quarterly, "2025-03-15", "2025-Q2"},
		{"14 Dec 2025 is in Q4", Rule{}, Quarterly, "2025-12-14", "2025-Q4"},
		{"20 Dec 2025 is in year 2026", Rule{}, Annual, "2025-12-20", "2026"},
		{"14 Dec 2025 is in year 2025", Rule{}, Annual, "2025-12-14", "2025"},
		{"15 Dec 2025 opens H1 2026", Rule{}, SixMonth, "2025-12-15", "2026-H1"},
		{"14 Jun 2026 closes H1 2026", Rule{}, SixMonth, "2026-06-14", "2026-H1"},
		{"15 Jun 2026 is in no six-month window", Rule{}, SixMonth, "2026-06-15", ""},
		{"14 Dec 2025 is in no six-month window", Rule{}, SixMonth, "2025-12-14", ""},
		{"14 Sep 2025 closes 9M 2025", Rule{}, NineMonth, "2025-09-14", "2025-9M"},
		{"15 Sep 2025 is in no nine-month window", Rule{}, NineMonth, "2025-09-15", ""},
		{"calendar months: 20 Dec is December", Rule{CutoffDay: 1}, Monthly, "2025-12-20", "2025-12"},
		{"calendar months: 31 Dec is Q4", Rule{CutoffDay: 1}, Quarterly, "2025-12-31", "2025-Q4"},
		{"calendar months: 1 Jan is year 2026", Rule{CutoffDay: 1}, Annual, "2026-01-01", "2026"},
		{"by start: 4 Jan 2026 is December 2025", Rule{CutoffDay: 5, Naming: NameByStart}, Monthly, "2026-01-04", "2025-12"},
		{"by start: 5 Jan 2026 is January 2026", Rule{CutoffDay: 5, Naming: NameByStart}, Monthly, "2026-01-05", "2026-01"},
		{"by start: 3 Jan 2026 is year 2025", Rule{CutoffDay: 5, Naming: NameByStart}, Annual, "2026-01-03", "2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, ok := WindowFor(tt.rule, tt.typ, d(tt.date))
			if tt.label == "" {
				if ok {
					t.Fatalf("WindowFor = %+v, want none", w)
				}
				return
			}
			if !ok || w.Label != tt.label || !w.Contains(d(tt.date)) {
				t.Fatalf("WindowFor = %+v, %v; want %s", w, ok, tt.label)
			}
			if w != nth(t, tt.rule, tt.typ, w.Year, w.Number) {
				t.Fatalf("WindowFor = %+v, differs from Windows", w)
			}
		})
	}
}

// TestWindowsTile checks, for several rules and years, that monthly,
// quarterly and annual windows follow each other without gap or overlap,
// that longer windows are unions of monthly ones, and that WindowFor finds
// each window from its first and last day.
func TestWindowsTile(t *testing.T) {
	rules := []Rule{{}, {CutoffDay: 1}, {CutoffDay: 20}, {CutoffDay: 28}, {CutoffDay: 5, Naming: NameByStart}, {CutoffDay: 2}}
	for _, r := range rules {
		for _, typ := range Types {
			var prev Window
			for year := 2023; year <= 2029; year++ {
				ws := Windows(r, typ, year)
				if len(ws) != typ.PerYear() {
					t.Fatalf("%+v %s %d: %d windows", r, typ, year, len(ws))
				}
				for _, w := range ws {
					if w.From.After(w.To) {
						t.Fatalf("%+v: empty window %+v", r, w)
					}
					if (typ == Monthly || typ == Quarterly || typ == Annual) && !prev.IsZero() && w.From != prev.To.AddDays(1) {
						t.Fatalf("%+v %s: %+v does not follow %+v", r, typ, w, prev)
					}
					for _, day := range []calendar.Date{w.From, w.To} {
						if got, ok := WindowFor(r, typ, day); !ok || got != w {
							t.Fatalf("%+v: WindowFor(%s, %v) = %+v, %v; want %+v", r, typ, day, got, ok, w)
						}
					}
					prev = w
				}
				months := Windows(r, Monthly, year)
				first := func(n int) Window { return months[n-1] }
				checkSpan := func(w Window, a, b int) {
					if w.From != first(a).From || w.To != first(b).To {
						t.Fatalf("%+v: %+v is not months %d–%d (%v – %v)", r, w, a, b, first(a).From, first(b).To)
					}
				}
				switch typ {
				case Quarterly:
					for q, w := range ws {
						checkSpan(w, 3*q+1, 3*q+3)
					}
				case SixMonth:
					checkSpan(ws[0], 1, 6)
				case NineMonth:
					checkSpan(ws[0], 1, 9)
				case Annual:
					checkSpan(ws[0], 1, 12)
				}
			}
		}
	}
}

func TestParsePeriodType(t *testing.T) {
	tests := []struct {
		in   string
		want Type
	}{
		{"monthly", Monthly},
		{"quarterly", Quarterly},
		{"six_month", SixMonth},
		{"nine_month", NineMonth},
		{"annual", Annual},
		{" Quarterly ", Quarterly},
		{"SIX-MONTH", SixMonth},
		{"nine-month", NineMonth},
	}
	for _, tt := range tests {
		got, err := ParsePeriodType(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriodType(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "weekly", "month", "yearly", "six month", "six__month", "annual\x00", "6_month", "monthlyy"} {
		got, err := ParsePeriodType(in)
		var ue *UnknownPeriodTypeError
		if !errors.As(err, &ue) || ue.Input != in || !errors.Is(err, ErrUnknownPeriodType) || got != "" {
			t.Errorf("ParsePeriodType(%q) = %q, %v; want *UnknownPeriodTypeError", in, got, err)
		}
	}
}

func TestTypeMethods(t *testing.T) {
	for _, typ := range Types {
		if !typ.Valid() || typ.PerYear() == 0 {
			t.Errorf("%s: Valid=%v PerYear=%d", typ, typ.Valid(), typ.PerYear())
		}
	}
	if Type("weekly").Valid() || Type("weekly").PerYear() != 0 {
		t.Error("unknown type reported valid")
	}
	if w := nth(t, Rule{}, Monthly, 2024, 3); w.Days() != 29 {
		t.Errorf("March 2024 window has %d days, want 29", w.Days())
	}
}

func FuzzParsePeriodType(f *testing.F) {
	for _, s := range []string{"monthly", "six_month", "NINE-MONTH", " annual ", "", "weekly", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, err := ParsePeriodType(s)
		if err != nil {
			var ue *UnknownPeriodTypeError
			if !errors.As(err, &ue) || ue.Input != s || typ != "" {
				t.Fatalf("ParsePeriodType(%q) = %q, %v", s, typ, err)
			}
			return
		}
		if !typ.Valid() {
			t.Fatalf("ParsePeriodType(%q) = invalid %q", s, typ)
		}
		if again, err := ParsePeriodType(string(typ)); err != nil || again != typ {
			t.Fatalf("canonical %q does not parse to itself: %q, %v", typ, again, err)
		}
	})
}

func FuzzWindowFor(f *testing.F) {
	f.Add(0, uint8(0), uint8(0), uint8(0))     // 2000-01-01, monthly, default rule
	f.Add(9480, uint8(4), uint8(15), uint8(0)) // 2025-12-15, annual
	f.Add(-1, uint8(2), uint8(1), uint8(1))
	f.Add(200000, uint8(3), uint8(28), uint8(1))
	f.Add(365, uint8(5), uint8(29), uint8(2)) // invalid type, cut-off and naming
	f.Fuzz(func(t *testing.T, offset int, typ, cutoff, naming uint8) {
		day := calendar.NewDate(2000, 1, 1).AddDays(offset % 1_000_000) // years ~ -700 to 4700
		rule := Rule{CutoffDay: int(cutoff) % 31, Naming: Naming(naming % 3)}
		kind := Type("bogus")
		if int(typ)%6 < len(Types) {
			kind = Types[int(typ)%6]
		}
		w, ok := WindowFor(rule, kind, day)
		if rule.Validate() != nil || !kind.Valid() {
			if ok {
				t.Fatalf("WindowFor(%+v, %q, %v) ok for invalid input", rule, kind, day)
			}
			return
		}
		// The window of this type that could contain day is named in its year or the next.
		want := false
		for _, y := range []int{day.Year() - 1, day.Year(), day.Year() + 1} {
			for _, c := range Windows(rule, kind, y) {
				if c.Contains(day) {
					want = true
					if ok && c != w {
						t.Fatalf("WindowFor(%+v, %s, %v) = %+v, but %+v contains it", rule, kind, day, w, c)
					}
				}
			}
		}
		if ok != want {
			t.Fatalf("WindowFor(%+v, %s, %v) ok = %v, want %v", rule, kind, day, ok, want)
		}
		if kind != SixMonth && kind != NineMonth && !ok {
			t.Fatalf("WindowFor(%+v, %s, %v): no window", rule, kind, day)
		}
		if ok && (!w.Contains(day) || w.Type != kind) {
			t.Fatalf("WindowFor(%+v, %s, %v) = %+v does not contain the day", rule, kind, day, w)
		}
	})
}
