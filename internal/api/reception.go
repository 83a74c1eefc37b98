package api

// Citizen reception by heads: the public schedule of sessions, the
// minimum-frequency warnings, and for the handlers of a unit (case.handle)
// planning, cancelling, the reception book and the conclusion notice. Each
// handler decodes, calls one use case of service.Reception and encodes. The
// schedule and the warnings are public: they carry leaders' names and
// positions, never a visit.

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// ReceptionPage is a page of the public schedule.
type ReceptionPage = Page[service.PublicSession]

// ReceptionWarnings is the answer of GET /reception/warnings.
type ReceptionWarnings struct {
	From  string                     `json:"from"`
	To    string                     `json:"to"`
	Rules []service.ReceptionRule    `json:"rules"`
	Items []service.ReceptionWarning `json:"items"`
}

func receptionFeature() feature {
	id := obj{"type": "integer", "format": "int64"}
	date := obj{"type": "string", "format": "date"}
	hm := obj{"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "HH:MM, Vietnam time."}
	text := obj{"type": "string"}
	ver := obj{"type": "integer"}
	c := []obj{paramRef("csrf")}
	manage := "Needs case.handle on the session's unit (case handlers and unit heads of the subtree, administrators); others are answered 404 for reading and 403 for writing. "
	unitQ := param("unit", "query", "Only this unit's subtree.", obj{"type": "integer", "format": "int64", "minimum": 1}, false)
	rule := object([]string{"position", "level", "period", "min", "from", "source"}, obj{
		"position": obj{"type": "string", "enum": service.LeaderPositions}, "level": obj{"type": "string", "enum": []string{service.LevelCommune, service.LevelProvince}},
		"period": obj{"type": "string", "enum": []string{"week", "month"}}, "min": obj{"type": "integer"}, "from": date, "source": text,
	})
	session := obj{
		"id": id, "unit_id": id, "unit_name": text, "leader_name": text, "leader_position": obj{"type": "string", "enum": service.LeaderPositions},
		"held_on": date, "start_time": hm, "end_time": hm, "place": text, "note": text,
		"status": obj{"type": "string", "enum": service.SessionStatuses}, "cancel_reason": text, "version": ver,
	}
	full := obj{}
	for k, v := range session {
		full[k] = v
	}
	full["conclusion_no"], full["conclusion_on"], full["conclusion_text"] = text, date, text
	full["visits"] = arrayOf(ref("ReceptionVisit"))
	sessionReq := []string{"id", "unit_id", "unit_name", "leader_name", "leader_position", "held_on", "start_time", "end_time", "place", "status", "version"}
	visit := obj{
		"id": id, "session_id": id, "at": hm, "people": obj{"type": "integer", "minimum": 1}, "delegation": obj{"type": "boolean"},
		"subject": text, "kind": obj{"type": "string", "enum": service.VisitKinds}, "outcome": obj{"type": "string", "enum": service.VisitOutcomes},
		"outcome_note": text, "case_id": id, "case_code": text,
	}
	recorded := obj{"case": ref("CaseSubmitted")}
	for k, v := range visit {
		recorded[k] = v
	}
	return newFeature("reception", "Citizen reception by heads (Law 42/2013/QH13; Regulation 11-QĐi/TW): the public schedule of sessions, "+
		"the minimum frequencies checked, the reception book (visits, cases opened through intake) and each session's conclusion notice.",
		[]route{
			{"GET", Prefix + "/reception/sessions", false, (*api).listReception},
			{"POST", Prefix + "/reception/sessions", true, (*api).createReception},
			{"GET", Prefix + "/reception/sessions/{id}", true, (*api).getReception},
			{"PUT", Prefix + "/reception/sessions/{id}", true, (*api).updateReception},
			{"POST", Prefix + "/reception/sessions/{id}/cancel", true, (*api).cancelReception},
			{"POST", Prefix + "/reception/sessions/{id}/visits", true, (*api).addReceptionVisit},
			{"PUT", Prefix + "/reception/sessions/{id}/conclusion", true, (*api).concludeReception},
			{"GET", Prefix + "/reception/warnings", false, (*api).receptionWarnings},
		},
		map[string]op{
			"GET " + Prefix + "/reception/sessions": {
				tag: "reception", summary: "The reception schedule (public)",
				desc: "Planned, held and cancelled sessions by day and start time. Leaders' names and positions are public information; no visit is included.",
				params: []obj{unitQ, param("from", "query", "Held on or after (YYYY-MM-DD).", date, false), param("to", "query", "Held on or before (YYYY-MM-DD).", date, false),
					paramRef("limit"), paramRef("offset"), paramRef("page")},
				status: 200, schema: pageOf(ref("PublicSession")), errs: []int{400, 422}, security: optionalAuth,
			},
			"POST " + Prefix + "/reception/sessions": {
				tag: "reception", summary: "Plan a reception session",
				desc:   "Needs case.handle on the unit. The session starts planned. Audited.",
				params: c, body: "SessionInput", status: 201, schema: ref("ReceptionSession"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/reception/sessions/{id}": {
				tag: "reception", summary: "A session with its reception book",
				desc:   manage,
				params: []obj{paramRef("id")}, status: 200, schema: ref("ReceptionSession"), errs: []int{401, 404},
			},
			"PUT " + Prefix + "/reception/sessions/{id}": {
				tag: "reception", summary: "Change a session's plan",
				desc:   manage + "Every field of SessionInput with the version seen (409 when it moved); a cancelled session answers 422. Audited.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "SessionInput", status: 200, schema: ref("ReceptionSession"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/reception/sessions/{id}/cancel": {
				tag: "reception", summary: "Cancel a planned session, with the reason",
				desc:   manage + "The session stays on the schedule, cancelled (STATUS:CANCELLED in the iCalendar feed). Audited.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "CancelInput", status: 200, schema: ref("ReceptionSession"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/reception/sessions/{id}/visits": {
				tag: "reception", summary: "Record a visit in the reception book",
				desc: manage + "The session must not be cancelled nor in the future; it becomes held. With outcome case_opened, case is submitted as POST /cases would on the reception channel " +
					"(to the session's unit unless case.unit_id says otherwise; kind from the visit's kind, title from the subject unless given) and linked; its field errors are named case.*. " +
					"The book keeps no name or address: the case keeps them, encrypted. A refusal needs outcome_note (the reason). Audited.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "VisitInput", status: 201, schema: ref("RecordedVisit"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"PUT " + Prefix + "/reception/sessions/{id}/conclusion": {
				tag: "reception", summary: "Write the session's conclusion notice (thông báo kết luận)",
				desc:   manage + "Number, date (not before the session, not in the future) and text, with the version seen. The session becomes held. Audited.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "ConclusionInput", status: 200, schema: ref("ReceptionSession"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"GET " + Prefix + "/reception/warnings": {
				tag: "reception", summary: "Periods where leaders' reception falls short of the minimum frequency (public)",
				desc: "For each unit and position with a rule (rules lists them) and a session on record within the range or the 92 days before, every ISO week or calendar month overlapping from..to " +
					"whose distinct days with a planned or held session are fewer than required. Cancelled sessions do not count. A period requires at most its number of working days, so a week " +
					"made only of days off (Tết) requires none. At most 400 days.",
				params: []obj{unitQ, param("from", "query", "First day (YYYY-MM-DD).", date, true), param("to", "query", "Last day (YYYY-MM-DD).", date, true)},
				status: 200, schema: ref("ReceptionWarnings"), errs: []int{400, 422}, security: optionalAuth,
			},
		},
		obj{
			"PublicSession":    object(sessionReq, session),
			"ReceptionSession": object(sessionReq, full),
			"ReceptionVisit":   object([]string{"id", "session_id", "at", "people", "delegation", "subject", "kind", "outcome"}, visit),
			"RecordedVisit":    object([]string{"id", "session_id", "at", "people", "delegation", "subject", "kind", "outcome"}, recorded),
			"SessionInput": object([]string{"unit_id", "leader_name", "leader_position", "held_on", "start_time", "end_time", "place"}, obj{
				"unit_id": id, "leader_name": obj{"type": "string", "maxLength": service.MaxReceptionLine}, "leader_position": obj{"type": "string", "enum": service.LeaderPositions},
				"held_on": date, "start_time": hm, "end_time": hm, "place": obj{"type": "string", "maxLength": service.MaxReceptionLine}, "note": text,
				"version": obj{"type": "integer", "description": "On update: the version seen."},
			}),
			"CancelInput": object([]string{"reason", "version"}, obj{"reason": text, "version": ver}),
			"ConclusionInput": object([]string{"number", "date", "text", "version"}, obj{
				"number": obj{"type": "string", "maxLength": service.MaxReceptionLine}, "date": date, "text": text, "version": ver,
			}),
			"VisitInput": object([]string{"at", "subject", "kind", "outcome"}, obj{
				"at": hm, "people": obj{"type": "integer", "minimum": 1, "maximum": service.MaxVisitPeople, "description": "Default 1."}, "delegation": obj{"type": "boolean"},
				"subject": obj{"type": "string", "maxLength": service.MaxReceptionLine, "description": "What it was about, without the visitor's name or address."},
				"kind":    obj{"type": "string", "enum": service.VisitKinds}, "outcome": obj{"type": "string", "enum": service.VisitOutcomes},
				"outcome_note": text, "case": ref("CaseCreate"),
			}),
			"ReceptionRule": rule,
			"ReceptionWarnings": object([]string{"from", "to", "rules", "items"}, obj{"from": date, "to": date, "rules": arrayOf(ref("ReceptionRule")),
				"items": arrayOf(object([]string{"unit_id", "unit_name", "position", "rule", "period_from", "period_to", "year", "days", "required"}, obj{
					"unit_id": id, "unit_name": text, "position": obj{"type": "string", "enum": service.LeaderPositions}, "rule": ref("ReceptionRule"),
					"period_from": date, "period_to": date, "week": obj{"type": "integer", "description": "ISO week, for a weekly rule."},
					"month": obj{"type": "integer", "description": "For a monthly rule."}, "year": obj{"type": "integer"},
					"days": obj{"type": "integer", "description": "Distinct days with a planned or held session."}, "required": obj{"type": "integer"},
				}))}),
		})
}

func (a *api) listReception(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := pageParams(q, false)
	if err != nil {
		return err
	}
	p.Limit = min(p.Limit, service.MaxReceptionPage)
	f := service.ScheduleFilter{From: q.Get("from"), To: q.Get("to"), Limit: p.Limit, Offset: p.Offset}
	if s := q.Get("unit"); s != "" {
		if f.UnitID, err = strconv.ParseInt(s, 10, 64); err != nil || f.UnitID <= 0 {
			return badParam("unit", msgFieldBadInt)
		}
	}
	items, total, err := a.d.Svc.Reception.Schedule(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, p))
}

func (a *api) createReception(w http.ResponseWriter, r *http.Request) error {
	var in service.SessionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	s, err := a.d.Svc.Reception.Create(r.Context(), server.PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s)
}

func (a *api) getReception(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	s, err := a.d.Svc.Reception.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (a *api) updateReception(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.SessionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	s, err := a.d.Svc.Reception.Update(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, s)
}

func (a *api) cancelReception(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.CancelInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	s, err := a.d.Svc.Reception.Cancel(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, s)
}

func (a *api) addReceptionVisit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.VisitInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := a.d.Svc.Reception.AddVisit(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

func (a *api) concludeReception(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.ConclusionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	s, err := a.d.Svc.Reception.Conclude(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, s)
}

func (a *api) receptionWarnings(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var unit int64
	if s := q.Get("unit"); s != "" {
		var err error
		if unit, err = strconv.ParseInt(s, 10, 64); err != nil || unit <= 0 {
			return badParam("unit", msgFieldBadInt)
		}
	}
	items, err := a.d.Svc.Reception.Warnings(r.Context(), server.PrincipalFrom(r.Context()), unit, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []service.ReceptionWarning{}
	}
	return writeJSON(w, http.StatusOK, ReceptionWarnings{From: q.Get("from"), To: q.Get("to"), Rules: service.ReceptionRules, Items: items})
}
