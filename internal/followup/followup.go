// Package followup holds the pure rules of follow-up work (theo dõi, đôn
// đốc, kiểm tra, giám sát): which reminder stage a report is in on a given
// day, notification kinds and dedupe keys, inspection kinds and statuses,
// and the texts of notifications. No I/O: the store keeps the data,
// service.FollowUp holds the use cases, the jobs package runs the reminders.
package followup

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/calendar"
)

// Notification kinds.
const (
	KindReminderDue    = "reminder_due"            // a report's deadline is near
	KindReminderLate   = "reminder_late"           // a report's deadline has passed
	KindUrge           = "urge"                    // a coordinator's formal urge
	KindRecommendation = "recommendation"          // an inspection recommendation addressed to the unit
	KindResponse       = "recommendation_response" // a unit answered a recommendation (to the team)
)

// Kinds lists the notification kinds.
var Kinds = []string{KindReminderDue, KindReminderLate, KindUrge, KindRecommendation, KindResponse}

// Reminders says when reminders go out: Before are days before the due date
// (e.g. 3 and 1), After days after it was missed (e.g. 1, 3, 7).
type Reminders struct {
	Before []int
	After  []int
}

// DefaultReminders: 3 and 1 days before the deadline; 1, 3 and 7 days after.
var DefaultReminders = Reminders{Before: []int{3, 1}, After: []int{1, 3, 7}}

// ErrBadDays is returned for an unusable list of reminder days.
var ErrBadDays = errors.New("followup.bad_days")

// ParseDays reads "3,1" into sorted, distinct days in 0–366.
func ParseDays(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > 366 {
			return nil, fmt.Errorf("%w: %q", ErrBadDays, f)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Stage is one reminder of a report: before (Late false) or after the due
// date, Days from it.
type Stage struct {
	Late bool
	Days int
}

// Key is the stable part of a dedupe key: "before-3", "after-7".
func (s Stage) Key() string {
	if s.Late {
		return "after-" + strconv.Itoa(s.Days)
	}
	return "before-" + strconv.Itoa(s.Days)
}

// StageOn returns the reminder stage a report due on due (by the end of
// that day) is in on today, if any. A stage starts on its day and lasts
// until the next stage starts, so a reminder missed while the server was
// down is sent late rather than never; the last "after" stage lasts as many
// days again, and then the report is left to the coordinator's urges.
func (r Reminders) StageOn(today, due calendar.Date) (Stage, bool) {
	left := due.Sub(today) // days until due; negative when late
	if left >= 0 {
		before := slices.Clone(r.Before)
		slices.Sort(before) // ascending: 1, 3
		for i, n := range before {
			lower := -1
			if i > 0 {
				lower = before[i-1]
			}
			if left <= n && left > lower {
				return Stage{Days: n}, true
			}
		}
		return Stage{}, false
	}
	late := -left
	after := slices.Clone(r.After)
	slices.Sort(after)
	for i := len(after) - 1; i >= 0; i-- {
		n := after[i]
		upper := 2 * n
		if i+1 < len(after) {
			upper = after[i+1]
		}
		if n > 0 && late >= n && late < upper {
			return Stage{Late: true, Days: n}, true
		}
	}
	return Stage{}, false
}

// Horizon is how far from today due dates can be and still have a stage:
// the earliest due date (in the past) and the latest (in the future).
func (r Reminders) Horizon(today calendar.Date) (from, to calendar.Date) {
	maxBefore, maxAfter := 0, 0
	for _, n := range r.Before {
		maxBefore = max(maxBefore, n)
	}
	for _, n := range r.After {
		maxAfter = max(maxAfter, n)
	}
	return today.AddDays(-2 * maxAfter), today.AddDays(maxBefore)
}

// ReminderKey is the dedupe key of one reminder to one user.
func ReminderKey(templateID, unitID int64, periodType string, year, number int, s Stage, userID int64) string {
	return fmt.Sprintf("remind:%d:%d:%s:%d:%d:%s:%d", templateID, unitID, periodType, year, number, s.Key(), userID)
}

// Inspection kinds and statuses.
const (
	Inspection  = "inspection"
	Supervision = "supervision"

	StatusPlanned  = "planned"
	StatusOngoing  = "ongoing"
	StatusFinished = "finished"

	RecOpen = "open"
	RecDone = "done"
)

var (
	InspectionKinds    = []string{Inspection, Supervision}
	InspectionStatuses = []string{StatusPlanned, StatusOngoing, StatusFinished}
)

// Message keys of follow-up validation (the service adds them to fields).
const (
	MsgBadChoice = "followup.bad_choice"
	MsgBadRange  = "followup.bad_range"
	MsgNoUnits   = "followup.no_units"
)

// Limits of free text.
const (
	MaxTopic   = 500
	MaxText    = 10000
	MaxMessage = 4000
)

// InspectionInput is a checked plan of inspection, as the store keeps it.
type InspectionInput struct {
	Kind       string
	Topic      string
	LeadUnitID int64
	UnitIDs    []int64
	StartOn    string
	EndOn      string
	Team       string
	MemberIDs  []int64
	Status     string
}

// Overdue reports whether an open recommendation due on dueOn is late on today.
func Overdue(status, dueOn, today string) bool {
	return status == RecOpen && dueOn != "" && dueOn < today
}
