package followup

import (
	"testing"

	"github.com/danvan/danvan/internal/calendar"
)

func TestStageOn(t *testing.T) {
	due := calendar.MustParseDate("2026-03-20")
	r := DefaultReminders
	for _, c := range []struct {
		today string
		want  string // "" = none
	}{
		{"2026-03-10", ""},
		{"2026-03-16", ""},
		{"2026-03-17", "before-3"},
		{"2026-03-18", "before-3"},
		{"2026-03-19", "before-1"},
		{"2026-03-20", "before-1"}, // due today
		{"2026-03-21", "after-1"},
		{"2026-03-22", "after-1"},
		{"2026-03-23", "after-3"},
		{"2026-03-26", "after-3"},
		{"2026-03-27", "after-7"},
		{"2026-04-02", "after-7"},
		{"2026-04-03", ""}, // 14 days late: left to urges
		{"2027-01-01", ""},
	} {
		s, ok := r.StageOn(calendar.MustParseDate(c.today), due)
		got := ""
		if ok {
			got = s.Key()
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.today, got, c.want)
		}
	}
	// Across a year boundary.
	s, ok := r.StageOn(calendar.MustParseDate("2026-01-02"), calendar.MustParseDate("2025-12-30"))
	if !ok || s.Key() != "after-3" {
		t.Errorf("year boundary: %v %v", s, ok)
	}
	from, to := r.Horizon(calendar.MustParseDate("2026-03-20"))
	if from.String() != "2026-03-06" || to.String() != "2026-03-23" {
		t.Errorf("horizon %s %s", from, to)
	}
}

func TestParseDays(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []int
		err  bool
	}{
		{"3,1", []int{1, 3}, false},
		{" 7, 1 ,3,3", []int{1, 3, 7}, false},
		{"", nil, false},
		{"x", nil, true},
		{"-1", nil, true},
		{"400", nil, true},
	} {
		got, err := ParseDays(c.in)
		if (err != nil) != c.err || len(got) != len(c.want) {
			t.Errorf("%q: %v %v", c.in, got, err)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: %v", c.in, got)
			}
		}
	}
}

func TestOverdue(t *testing.T) {
	if !Overdue(RecOpen, "2026-01-01", "2026-01-02") || Overdue(RecDone, "2026-01-01", "2026-01-02") || Overdue(RecOpen, "2026-01-02", "2026-01-02") {
		t.Error("overdue rule")
	}
}

func FuzzParseDays(f *testing.F) {
	f.Add("3,1")
	f.Add(" 7, 1 ,3,3")
	f.Add("-1,x")
	f.Fuzz(func(t *testing.T, s string) {
		days, err := ParseDays(s)
		if err != nil {
			return
		}
		for i, d := range days {
			if d < 0 || d > 366 || (i > 0 && days[i-1] >= d) {
				t.Fatalf("ParseDays(%q) = %v", s, days)
			}
		}
		r := Reminders{Before: days, After: days}
		today := calendar.MustParseDate("2026-03-01")
		for off := -800; off <= 400; off += 7 {
			r.StageOn(today, today.AddDays(off))
		}
	})
}
