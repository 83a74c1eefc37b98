package api

// Schedules of report templates beyond creating them (reports.go): list,
// replace, remove.

import (
	"net/http"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// reportSchedulesFeature is this file's part of the API (see features.go).
func reportSchedulesFeature() feature {
	id := paramRef("id")
	csrf := paramRef("csrf")
	sid := param("sid", "path", "Schedule id.", obj{"type": "integer", "minimum": 1}, true)
	return newFeature("report-schedules", "Who reports on a template and by when: a unit, or every unit of some kinds in its subtree, with each level's deadline.",
		[]route{
			{"GET", Prefix + "/report-templates/{id}/schedules", true, (*api).listSchedules},
			{"PUT", Prefix + "/report-templates/{id}/schedules/{sid}", true, (*api).updateSchedule},
			{"DELETE", Prefix + "/report-templates/{id}/schedules/{sid}", true, (*api).deleteSchedule},
		},
		map[string]op{
			"GET " + Prefix + "/report-templates/{id}/schedules": {
				tag: "report-schedules", summary: "The active schedules of a template", desc: "An empty list means no unit can open a report on the template yet.",
				params: []obj{id}, status: 200, schema: obj{"type": "object", "properties": obj{"items": arrayOf(ref("ReportSchedule"))}}, errs: []int{401, 404},
			},
			"PUT " + Prefix + "/report-templates/{id}/schedules/{sid}": {
				tag: "report-schedules", summary: "Replace a schedule (template.manage on the unit scheduled now and on the new one)",
				desc:   "Checked as on creation: the unit within the template's owner unit, known kinds, 1–20 levels of 1–366 days after the cut-off.",
				params: []obj{id, sid, csrf}, body: "ReportSchedule", status: 200, schema: ref("ReportSchedule"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"DELETE " + Prefix + "/report-templates/{id}/schedules/{sid}": {
				tag: "report-schedules", summary: "Remove a schedule (template.manage on the scheduled unit)",
				desc:   "Its units are no longer expected to report on the template; reports already opened stay.",
				params: []obj{id, sid, csrf}, status: 204, errs: []int{401, 403, 404},
			},
		}, obj{})
}

func (a *api) listSchedules(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, scs, err := a.d.Svc.Reports.Template(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if scs == nil {
		scs = []service.Schedule{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": scs})
}

func (a *api) updateSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sid, err := pathID(r, "sid")
	if err != nil {
		return err
	}
	var in rptScheduleInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	sc, err := a.d.Svc.Reports.UpdateSchedule(r.Context(), server.PrincipalFrom(r.Context()), id, sid, service.ScheduleInput{UnitID: in.UnitID, Kinds: in.Kinds, Deadlines: in.Deadlines})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sc)
}

func (a *api) deleteSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sid, err := pathID(r, "sid")
	if err != nil {
		return err
	}
	if err := a.d.Svc.Reports.RemoveSchedule(r.Context(), server.PrincipalFrom(r.Context()), id, sid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
