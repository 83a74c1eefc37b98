package report

import (
	"errors"
	"slices"
	"testing"

	"github.com/danvan/danvan/internal/calendar"
)

func TestDeadlineDue(t *testing.T) {
	jan2025 := nth(t, Rule{}, Monthly, 2025, 1)               // ends Tuesday 2025-01-14
	feb2026 := nth(t, Rule{}, Monthly, 2026, 2)               // ends Saturday 2026-02-14, just before Tết
	mar2025 := nth(t, Rule{}, Monthly, 2025, 3)               // ends Friday 2025-03-14
	year2025 := nth(t, Rule{}, Annual, 2025, 1)               // ends Sunday 2025-12-14
	cal1Jan := nth(t, Rule{CutoffDay: 1}, Quarterly, 2025, 4) // ends Wednesday 2025-12-31
	tests := []struct {
		name string
		w    Window
		dl   Deadline
		want string
	}{
		{"commune, 2 working days", jan2025, Deadline{"commune", 2, true}, "2025-01-16"},
		{"province, 5 working days", jan2025, Deadline{"province", 5, true}, "2025-01-21"},
		{"3 calendar days", jan2025, Deadline{"commune", 3, false}, "2025-01-17"},
		{"working days across Tết 2026", feb2026, Deadline{"commune", 2, true}, "2026-02-24"},
		{"calendar days ending in Tết 2026", feb2026, Deadline{"commune", 3, false}, "2026-02-23"},
		{"1 working day after a Friday cut-off", mar2025, Deadline{"commune", 1, true}, "2025-03-17"},
		{"1 calendar day after a Friday cut-off", mar2025, Deadline{"commune", 1, false}, "2025-03-17"},
		{"Sunday cut-off", year2025, Deadline{"commune", 1, true}, "2025-12-15"},
		{"over New Year", cal1Jan, Deadline{"commune", 1, true}, "2026-01-02"},
	}
	var cal calendar.Calendar
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.dl.Due(cal, tt.w)
			if err != nil || got.String() != tt.want {
				t.Fatalf("Due(%+v, window to %v) = %v, %v; want %s", tt.dl, tt.w.To, got, err, tt.want)
			}
			if cal.WorkingDaysBetween(tt.w.To, got) < 1 {
				t.Fatalf("no working day between cut-off %v and %v", tt.w.To, got)
			}
		})
	}
}

func TestDeadlineValidate(t *testing.T) {
	w := nth(t, Rule{}, Monthly, 2025, 1)
	tests := []struct {
		name string
		dl   Deadline
		want error
	}{
		{"no level", Deadline{"", 2, true}, ErrDeadlineLevel},
		{"zero days", Deadline{"commune", 0, true}, ErrDeadlineDays},
		{"negative days", Deadline{"commune", -3, false}, ErrDeadlineDays},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.dl.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
			if _, err := tt.dl.Due(calendar.Calendar{}, w); !errors.Is(err, tt.want) {
				t.Errorf("Due() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSchedule(t *testing.T) {
	var cal calendar.Calendar
	jan2025 := nth(t, Rule{}, Monthly, 2025, 1)
	mar2025 := nth(t, Rule{}, Monthly, 2025, 3) // ends on a Friday
	feb2026 := nth(t, Rule{}, Monthly, 2026, 2)
	tests := []struct {
		name    string
		w       Window
		levels  []Deadline
		want    []DueDate
		wantErr error
	}{
		{
			name:   "commune 2, province 5 working days",
			w:      jan2025,
			levels: []Deadline{{"commune", 2, true}, {"province", 5, true}},
			want:   []DueDate{{"commune", d("2025-01-16")}, {"province", d("2025-01-21")}},
		},
		{
			name:   "three levels across Tết 2026",
			w:      feb2026,
			levels: []Deadline{{"commune", 1, true}, {"department", 3, true}, {"province", 12, false}},
			want:   []DueDate{{"commune", d("2026-02-23")}, {"department", d("2026-02-25")}, {"province", d("2026-02-26")}},
		},
		{
			name:    "calendar days collapsing onto the same Monday",
			w:       mar2025,
			levels:  []Deadline{{"commune", 2, false}, {"province", 3, false}},
			wantErr: ErrDeadlineNoWorkingDay,
		},
		{
			name:    "higher level due before the lower one",
			w:       jan2025,
			levels:  []Deadline{{"commune", 5, true}, {"province", 2, true}},
			wantErr: ErrDeadlineNoWorkingDay,
		},
		{
			name:    "duplicate level",
			w:       jan2025,
			levels:  []Deadline{{"commune", 2, true}, {"commune", 5, true}},
			wantErr: ErrDeadlineDuplicate,
		},
		{
			name:    "zero days",
			w:       jan2025,
			levels:  []Deadline{{"commune", 0, true}},
			wantErr: ErrDeadlineDays,
		},
		{
			name:   "no levels",
			w:      jan2025,
			levels: nil,
			want:   []DueDate{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Schedule(cal, tt.w, tt.levels)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Schedule() = %v, %v; want error %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Schedule() = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestScheduleEveryWindow checks a typical template against every monthly
// window of several years: working-day deadlines always leave a working day.
func TestScheduleEveryWindow(t *testing.T) {
	levels := []Deadline{{"commune", 2, true}, {"province", 5, true}}
	for year := 2024; year <= 2029; year++ {
		for _, w := range Windows(Rule{}, Monthly, year) {
			if _, err := Schedule(calendar.Calendar{}, w, levels); err != nil {
				t.Fatalf("%s: %v", w.Label, err)
			}
		}
	}
}
