package report

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/calendar"
)

// TestBounds: years outside 1900–2100 name no window (the lunar calendar is
// never asked about year 2147483647), and a deadline counts at most
// MaxDaysAfterEnd days: 2147483648 days is refused, and a stored one is
// bounded rather than counted towards year 2,969,052.
func TestBounds(t *testing.T) {
	for _, y := range []int{2147483647, -2147483648, 2101, 1899, 0} {
		if ws := Windows(Rule{}, Monthly, y); ws != nil {
			t.Errorf("year %d has %d windows", y, len(ws))
		}
	}
	if _, ok := WindowFor(Rule{}, Monthly, calendar.NewDate(9999, 1, 1)); ok {
		t.Error("a window in 9999")
	}
	if n := len(Windows(Rule{}, Quarterly, 2100)); n != 4 {
		t.Errorf("2100 has %d quarters", n)
	}
	w := Windows(Rule{}, Monthly, 2025)[0]
	for _, days := range []int{2147483648, MaxDaysAfterEnd + 1} {
		dl := Deadline{Level: "x", DaysAfterEnd: days, WorkingDays: true}
		if _, err := dl.Due(calendar.Calendar{}, w); !errors.Is(err, ErrDeadlineTooLate) {
			t.Errorf("%d days: %v", days, err)
		}
		if err := ValidateDeadlines([]Deadline{dl}); !errors.Is(err, ErrDeadlineTooLate) {
			t.Errorf("validate %d days: %v", days, err)
		}
		d := DueOn(calendar.Calendar{}, w, LevelDeadline{Level: "x", DaysAfterEnd: days, WorkingDays: true})
		if d.Year() > 2027 {
			t.Errorf("%d working days after %s: %s", days, w.To, d)
		}
	}
	if d := DueOn(calendar.Calendar{}, w, LevelDeadline{Level: "x", DaysAfterEnd: -5}); !d.After(w.To) {
		t.Errorf("negative days: %s", d)
	}
}
