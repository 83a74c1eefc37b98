package api

// "My work" as JSON: the same service.Work the home page of an officer
// shows.

import (
	"net/http"

	"github.com/danvan/danvan/internal/server"
)

// myWorkFeature is this file's part of the API: routes, OpenAPI operations
// and schemas (see features.go).
func myWorkFeature() feature {
	id := obj{"type": "integer", "format": "int64"}
	date := obj{"type": "string", "format": "date"}
	integer := obj{"type": "integer"}
	due := object([]string{"template_id", "template_name", "unit_id", "unit_name", "period_type", "period_year", "period_number", "due_on", "days_left"}, obj{
		"report_id":   obj{"type": "integer", "format": "int64", "description": "Absent when the unit has not opened the report yet."},
		"template_id": id, "template_name": obj{"type": "string"}, "unit_id": id, "unit_name": obj{"type": "string"},
		"period_type": obj{"type": "string"}, "period_year": integer, "period_number": integer, "due_on": date,
		"days_left": obj{"type": "integer", "description": "Calendar days from today to the due date; negative when late."},
	})
	overdue := obj{"allOf": []obj{ref("Activity"), object([]string{"days_late"}, obj{"days_late": obj{"type": "integer", "minimum": 1}})}}
	return newFeature("mywork", "What is waiting for the signed-in user: reports to send, returned or to review, overdue activities, notices, urges.",
		[]route{{"GET", Prefix + "/me/work", true, (*api).myWork}},
		map[string]op{
			"GET " + Prefix + "/me/work": {
				tag: "mywork", summary: "My work (signed in)",
				desc: "The reports the caller's units must send (opened drafts and the current and previous periods not opened yet), earliest due first; " +
					"the reports returned to those units with the reviewer's comment; the submitted reports the caller may review; the unfinished " +
					"activities of the caller's units past their due date; the newest unread notifications with their count; the newest urges received. " +
					"Each list holds at most 20 items; the reports to review are the newest submitted.",
				status: 200, schema: ref("MyWork"), errs: []int{401},
			},
		},
		obj{
			"MyWork": object([]string{"today", "due", "returned", "review", "overdue", "notices", "unread", "urges"}, obj{
				"today": date, "due": arrayOf(due), "returned": arrayOf(ref("Report")), "review": arrayOf(ref("Report")),
				"overdue": arrayOf(overdue), "notices": arrayOf(ref("Notification")), "unread": obj{"type": "integer", "minimum": 0},
				"urges": arrayOf(ref("Urge")),
			}),
		})
}

func (a *api) myWork(w http.ResponseWriter, r *http.Request) error {
	work, err := a.d.Svc.MyWork.For(r.Context(), server.PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, work)
}
