// Package programme owns the rules of programme tracking: directives with
// numbered tasks and addressees, task assignments to units, the activities
// of each unit's plan, the status derived from an activity's dates and
// progress, and the weighted roll-up of progress from activities to tasks,
// directives and up the organisation tree. It is pure: no I/O.
package programme

import (
	"time"
)

// Status is derived, never stored: it depends on the date it is asked on.
type Status string

// The statuses, from best to worst as the roll-up sees them.
const (
	StatusDone       Status = "done"
	StatusNotStarted Status = "not_started"
	StatusOnTrack    Status = "on_track"
	StatusAtRisk     Status = "at_risk"
	StatusLate       Status = "late"
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusNotStarted, StatusOnTrack, StatusAtRisk, StatusLate, StatusDone}

// Rules are the thresholds of the derived status. They are configuration:
// a province may be stricter or more lenient.
type Rules struct {
	// RiskMargin: at risk when the elapsed share of [start, due] exceeds the
	// progress by more than this many percentage points.
	RiskMargin int
	// SoonDays and SoonPercent: at risk when the due date is at most SoonDays
	// away and progress is below SoonPercent.
	SoonDays    int
	SoonPercent int
}

// DefaultRules: 20 points behind schedule, or due within 7 days and below 80 %.
func DefaultRules() Rules { return Rules{RiskMargin: 20, SoonDays: 7, SoonPercent: 80} }

const dateLayout = "2006-01-02"

func day(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

func daysBetween(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// Elapsed is the share (0–100) of the window [start, due] that has passed on
// today. Both ends are whole days: on the due date the window has fully elapsed.
func Elapsed(start, due, today string) float64 {
	s, ok1 := day(start)
	d, ok2 := day(due)
	t, ok3 := day(today)
	if !ok1 || !ok2 || !ok3 || t.Before(s) {
		return 0
	}
	span := daysBetween(s, d)
	if span <= 0 || !t.Before(d) {
		return 100
	}
	return 100 * float64(daysBetween(s, t)) / float64(span)
}

// StatusOf derives an activity's status on today (YYYY-MM-DD), in this order:
//
//  1. done: progress is 100 %;
//  2. late: today is after the due date;
//  3. at risk: the due date is at most SoonDays away and progress < SoonPercent;
//  4. at risk: the elapsed share of [start, due] exceeds progress by more than RiskMargin points;
//  5. not started: progress is 0 (before the start date, or just after it);
//  6. on track: otherwise.
//
// Malformed dates give not_started: they cannot be judged.
func (r Rules) StatusOf(start, due string, progress int, today string) Status {
	if progress >= 100 {
		return StatusDone
	}
	d, ok1 := day(due)
	t, ok2 := day(today)
	if _, ok := day(start); !ok || !ok1 || !ok2 {
		return StatusNotStarted
	}
	if t.After(d) {
		return StatusLate
	}
	if daysBetween(t, d) <= r.SoonDays && progress < r.SoonPercent {
		return StatusAtRisk
	}
	if Elapsed(start, due, today)-float64(progress) > float64(r.RiskMargin) {
		return StatusAtRisk
	}
	if progress <= 0 {
		return StatusNotStarted
	}
	return StatusOnTrack
}
