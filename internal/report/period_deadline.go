package report

import (
	"errors"
	"fmt"

	"github.com/danvan/danvan/internal/calendar"
)

// Deadline is when one level of a multi-level report must be sent, counted
// from the end of the window (its cut-off date, [Window.To]) with the Civil
// Code rules of [calendar.Calendar]: the cut-off day itself is not counted,
// and a deadline in calendar days that falls on a weekend or holiday moves to
// the next working day. The report is due by the end of the computed day.
type Deadline struct {
	Level        string // who sends, e.g. "commune", "province"
	DaysAfterEnd int    // at least 1
	WorkingDays  bool   // count working days (ngày làm việc) rather than calendar days
}

// DueDate is one level's computed deadline.
type DueDate struct {
	Level string
	Due   calendar.Date
}

// Deadline errors, as message keys.
var (
	ErrDeadlineLevel     = errors.New("report.deadline_level_required")
	ErrDeadlineDuplicate = errors.New("report.deadline_level_duplicate")
	ErrDeadlineDays      = errors.New("report.deadline_days_too_few")
	ErrDeadlineTooLate   = errors.New("report.deadline_days_too_many")
	// ErrDeadlineNoWorkingDay: Decree 09/2019/NĐ-CP requires at least one
	// working day between the cut-off and the sending deadline, and each
	// level needs one working day after the level below to consolidate.
	ErrDeadlineNoWorkingDay = errors.New("report.deadline_no_working_day")
)

// Validate checks one level's deadline on its own.
func (dl Deadline) Validate() error {
	if dl.Level == "" {
		return ErrDeadlineLevel
	}
	if dl.DaysAfterEnd < 1 {
		return fmt.Errorf("%w: level %q: %d", ErrDeadlineDays, dl.Level, dl.DaysAfterEnd)
	}
	if dl.DaysAfterEnd > MaxDaysAfterEnd {
		return fmt.Errorf("%w: level %q: %d", ErrDeadlineTooLate, dl.Level, dl.DaysAfterEnd)
	}
	return nil
}

// MaxDaysAfterEnd bounds a deadline: at most a year after the cut-off, so
// that counting working days towards it stays short.
const MaxDaysAfterEnd = 366

// Due returns the day by whose end the level must send the report for w.
func (dl Deadline) Due(cal calendar.Calendar, w Window) (calendar.Date, error) {
	if err := dl.Validate(); err != nil {
		return calendar.Date{}, err
	}
	var due calendar.Date
	if dl.WorkingDays {
		due = cal.AddWorkingDays(w.To, dl.DaysAfterEnd)
	} else {
		due = cal.AddCalendarDays(w.To, dl.DaysAfterEnd)
	}
	if cal.WorkingDaysBetween(w.To, due) < 1 {
		return calendar.Date{}, fmt.Errorf("%w: level %q due %s, cut-off %s", ErrDeadlineNoWorkingDay, dl.Level, due, w.To)
	}
	return due, nil
}

// ValidateDeadlines checks a template's levels, listed from the lowest
// (first to send) to the highest, independently of any window: names are
// given and unique, and every level counts at least one day.
func ValidateDeadlines(levels []Deadline) error {
	seen := map[string]bool{}
	for _, dl := range levels {
		if err := dl.Validate(); err != nil {
			return err
		}
		if seen[dl.Level] {
			return fmt.Errorf("%w: %q", ErrDeadlineDuplicate, dl.Level)
		}
		seen[dl.Level] = true
	}
	return nil
}

// Schedule computes each level's deadline for window w, lowest level first,
// and checks that there is at least one working day between the cut-off and
// the first deadline and between each level's deadline and the next one's
// (the next level consolidates what the lower one sent). Whether that holds
// depends on the window's weekends and holidays, so a template should be
// checked against the windows it will be used for.
func Schedule(cal calendar.Calendar, w Window, levels []Deadline) ([]DueDate, error) {
	if err := ValidateDeadlines(levels); err != nil {
		return nil, err
	}
	out := make([]DueDate, 0, len(levels))
	prev := w.To
	for i, dl := range levels {
		due, err := dl.Due(cal, w)
		if err != nil {
			return nil, err
		}
		if i > 0 && cal.WorkingDaysBetween(prev, due) < 1 {
			return nil, fmt.Errorf("%w: level %q due %s, no working day after level %q due %s",
				ErrDeadlineNoWorkingDay, dl.Level, due, levels[i-1].Level, prev)
		}
		out = append(out, DueDate{Level: dl.Level, Due: due})
		prev = due
	}
	return out, nil
}
