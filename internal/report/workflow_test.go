package report

import (
	"testing"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
)

// TestDueOnAcrossYearAndTet: commune deadlines (2 working days after the
// cut-off) for every monthly window of 2025–2027 land on working days, two
// working days after the window ends — including the windows around Tết and
// the year boundary (December's window ends 14 Dec and is named after it).
func TestDueOnAcrossYearAndTet(t *testing.T) {
	cal := calendar.Calendar{}
	l := LevelDeadline{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}
	for _, y := range []int{2025, 2026, 2027} {
		for _, w := range Windows(Rule{CutoffDay: 15}, Monthly, y) {
			due := DueOn(cal, w, l)
			if !cal.IsWorkingDay(due) || cal.WorkingDaysBetween(w.To, due) != 2 {
				t.Errorf("%s: due %s after %s", w.Label, due, w.To)
			}
		}
	}
	jan := Windows(Rule{CutoffDay: 15}, Monthly, 2026)[0]
	if jan.From.String() != "2025-12-15" || DueOn(cal, jan, l).String() != "2026-01-16" {
		t.Errorf("January 2026: %s–%s due %s", jan.From, jan.To, DueOn(cal, jan, l))
	}
	// Calendar days falling on a weekend move to the next working day.
	cd := LevelDeadline{Level: "province", DaysAfterEnd: 2}
	w := Windows(Rule{CutoffDay: 15}, Monthly, 2025)[9] // ends Tue 14 Oct 2025
	if got := DueOn(cal, w, cd).String(); got != "2025-10-16" {
		t.Errorf("October 2025 calendar-day deadline %s", got)
	}
}

func TestOnTimeIsVietnamDate(t *testing.T) {
	// 23:30 on the due day in Vietnam is 16:30 UTC: on time; 00:30 the next
	// Vietnamese day is late even though it is still the due day in UTC.
	if !OnTime(time.Date(2025, 8, 18, 16, 30, 0, 0, time.UTC), "2025-08-18") {
		t.Error("23:30 ICT on the due day counted late")
	}
	if OnTime(time.Date(2025, 8, 18, 17, 30, 0, 0, time.UTC), "2025-08-18") {
		t.Error("00:30 ICT the next day counted on time")
	}
}

func TestVisibilityAndEditRights(t *testing.T) {
	const prov, ward, other = 1, 2, 3
	wardT := authz.Target{UnitID: ward, Path: []int64{prov, ward}}
	cases := []struct {
		name    string
		g       []authz.Grant
		st      Status
		see     bool
		edit    bool
		reviews bool
	}{
		{"own officer, draft", []authz.Grant{{Role: authz.RoleUnitOfficer, UnitID: ward}}, Draft, true, true, false},
		{"own head cannot review own", []authz.Grant{{Role: authz.RoleUnitHead, UnitID: ward}}, Submitted, true, true, false},
		{"other unit, draft", []authz.Grant{{Role: authz.RoleUnitOfficer, UnitID: other}}, Draft, false, false, false},
		{"other unit, submitted", []authz.Grant{{Role: authz.RoleUnitOfficer, UnitID: other}}, Submitted, false, false, false},
		{"coordinator, draft", []authz.Grant{{Role: authz.RoleCoordinator, UnitID: prov}}, Draft, false, false, true},
		{"coordinator, submitted", []authz.Grant{{Role: authz.RoleCoordinator, UnitID: prov}}, Submitted, true, false, true},
		{"parent head reviews", []authz.Grant{{Role: authz.RoleUnitHead, UnitID: prov}}, Submitted, true, false, true},
		{"leader reads", []authz.Grant{{Role: authz.RoleLeader, UnitID: prov}}, Accepted, true, false, false},
		{"inspector reads", []authz.Grant{{Role: authz.RoleInspector, UnitID: prov}}, Returned, true, false, false},
		{"council reads", []authz.Grant{{Role: authz.RoleCouncilMember, UnitID: prov}}, Submitted, true, false, false},
		{"citizen", []authz.Grant{{Role: authz.RoleCitizen, UnitID: prov}}, Accepted, false, false, false},
	}
	for _, c := range cases {
		if got := CanSee(c.g, wardT, c.st); got != c.see {
			t.Errorf("%s: see = %v", c.name, got)
		}
		if got := CanEdit(c.g, ward); got != c.edit {
			t.Errorf("%s: edit = %v", c.name, got)
		}
		if got := authz.CanReview(c.g, wardT); got != c.reviews {
			t.Errorf("%s: review = %v", c.name, got)
		}
	}
	if Accepted.Editable() || !Returned.Editable() {
		t.Error("editable statuses")
	}
}
