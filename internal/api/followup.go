package api

// Follow-up: the caller's notifications, formal urges (đôn đốc), and
// inspection and supervision plans with findings and recommendations. The
// use cases are service.FollowUp's; these handlers decode, call and encode.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// followupFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func followupFeature() feature {
	return newFeature("followup", "Notifications, formal urges (đôn đốc) of units, and inspection and supervision plans with findings and recommendations tracked to closure.",
		[]route{
			{"GET", Prefix + "/notifications", true, (*api).fuNotifications},
			{"POST", Prefix + "/notifications/{id}/read", true, (*api).fuNotificationRead},
			{"GET", Prefix + "/urges", true, (*api).fuUrges},
			{"POST", Prefix + "/urges", true, (*api).fuCreateUrge},
			{"GET", Prefix + "/inspections", true, (*api).fuInspections},
			{"POST", Prefix + "/inspections", true, (*api).fuCreateInspection},
			{"GET", Prefix + "/inspections/{id}", true, (*api).fuInspection},
			{"POST", Prefix + "/inspections/{id}/findings", true, (*api).fuAddFinding},
			{"POST", Prefix + "/inspections/{id}/recommendations", true, (*api).fuAddRecommendation},
			{"POST", Prefix + "/recommendations/{id}/response", true, (*api).fuRespond},
		},
		followupOps(), followupSchemas())
}

// Notification is one message to the caller.
type Notification struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	UnitID    *int64     `json:"unit_id"`
	UnitName  string     `json:"unit_name"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
	EmailedAt *time.Time `json:"emailed_at"`
}

// NotificationPage is the list with the unread count.
type NotificationPage struct {
	Page[Notification]
	Unread int `json:"unread"`
}

// UrgeCreate is the body of POST /urges.
type UrgeCreate struct {
	ReportID     int64  `json:"report_id"`
	TemplateID   int64  `json:"template_id"`
	UnitID       int64  `json:"unit_id"`
	PeriodType   string `json:"period_type"`
	PeriodYear   int64  `json:"period_year"`
	PeriodNumber int64  `json:"period_number"`
	Message      string `json:"message"`
}

// InspectionCreate is the body of POST /inspections.
type InspectionCreate struct {
	Kind       string  `json:"kind"`
	Topic      string  `json:"topic"`
	LeadUnitID int64   `json:"lead_unit_id"`
	UnitIDs    []int64 `json:"unit_ids"`
	StartOn    string  `json:"start_on"`
	EndOn      string  `json:"end_on"`
	Team       string  `json:"team"`
	MemberIDs  []int64 `json:"member_ids"`
	Status     string  `json:"status"`
}

// FindingCreate is the body of POST /inspections/{id}/findings.
type FindingCreate struct {
	UnitID int64  `json:"unit_id"`
	Text   string `json:"text"`
}

// RecommendationCreate is the body of POST /inspections/{id}/recommendations.
type RecommendationCreate struct {
	UnitID int64  `json:"unit_id"`
	Owner  string `json:"owner"`
	Text   string `json:"text"`
	DueOn  string `json:"due_on"`
}

// RecommendationResponse is the body of POST /recommendations/{id}/response.
type RecommendationResponse struct {
	Response string `json:"response"`
	Done     bool   `json:"done"`
}

// Recommendation is a recommendation as the API shows it.
type Recommendation struct {
	ID           int64      `json:"id"`
	InspectionID int64      `json:"inspection_id"`
	UnitID       int64      `json:"unit_id"`
	UnitName     string     `json:"unit_name"`
	Owner        string     `json:"owner"`
	Text         string     `json:"text"`
	DueOn        string     `json:"due_on"`
	Status       string     `json:"status"`
	Response     string     `json:"response"`
	Overdue      bool       `json:"overdue"`
	ClosedAt     *time.Time `json:"closed_at"`
	CreatedAt    time.Time  `json:"created_at"`
}

// Inspection is a plan as the API shows it.
type Inspection struct {
	ID              int64             `json:"id"`
	Kind            string            `json:"kind"`
	Topic           string            `json:"topic"`
	LeadUnitID      int64             `json:"lead_unit_id"`
	LeadUnitName    string            `json:"lead_unit_name"`
	StartOn         string            `json:"start_on"`
	EndOn           string            `json:"end_on"`
	Team            string            `json:"team"`
	Status          string            `json:"status"`
	Units           []service.UnitRef `json:"units"`
	Members         []service.UserRef `json:"members"`
	Findings        []service.Finding `json:"findings"`
	Recommendations []Recommendation  `json:"recommendations"`
	OpenRecs        int               `json:"open_recommendations"`
	OverdueRecs     int               `json:"overdue_recommendations"`
	CreatedAt       time.Time         `json:"created_at"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func recOf(r service.Recommendation) Recommendation {
	return Recommendation{ID: r.ID, InspectionID: r.InspectionID, UnitID: r.UnitID, UnitName: r.UnitName, Owner: r.Owner, Text: r.Text,
		DueOn: r.DueOn, Status: r.Status, Response: r.Response, Overdue: r.Overdue, ClosedAt: timePtr(r.ClosedAt), CreatedAt: r.CreatedAt}
}

func inspectionOf(in service.Inspection) Inspection {
	out := Inspection{ID: in.ID, Kind: in.Kind, Topic: in.Topic, LeadUnitID: in.LeadUnitID, LeadUnitName: in.LeadUnitName, StartOn: in.StartOn,
		EndOn: in.EndOn, Team: in.Team, Status: in.Status, Units: in.Units, Members: in.Members, Findings: in.Findings,
		OpenRecs: in.OpenRecs, OverdueRecs: in.OverdueRecs, CreatedAt: in.CreatedAt, Recommendations: []Recommendation{}}
	for _, r := range in.Recs {
		out.Recommendations = append(out.Recommendations, recOf(r))
	}
	if out.Units == nil {
		out.Units = []service.UnitRef{}
	}
	if out.Members == nil {
		out.Members = []service.UserRef{}
	}
	if out.Findings == nil {
		out.Findings = []service.Finding{}
	}
	return out
}

// --- notifications ---

func (a *api) fuNotifications(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	q := r.URL.Query()
	pg, err := pageParams(q, false)
	if err != nil {
		return err
	}
	unread, err := boolParam(q, "unread")
	if err != nil {
		return err
	}
	list, err := a.d.Svc.FollowUp.Notifications(r.Context(), p, unread, pg.Limit, pg.Offset)
	if err != nil {
		return err
	}
	items := make([]Notification, len(list.Items))
	for i, x := range list.Items {
		items[i] = Notification{ID: x.ID, Kind: x.Kind, UnitName: x.UnitName, Subject: x.Subject, Body: x.Body, Link: x.Link,
			CreatedAt: x.CreatedAt, ReadAt: timePtr(x.ReadAt), EmailedAt: timePtr(x.EmailedAt)}
		if x.UnitID != 0 {
			id := x.UnitID
			items[i].UnitID = &id
		}
	}
	return writeJSON(w, http.StatusOK, NotificationPage{Page: newPage(a, r, items, list.Total, pg), Unread: list.Unread})
}

func (a *api) fuNotificationRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.d.Svc.FollowUp.MarkRead(r.Context(), server.PrincipalFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// --- urges ---

func (a *api) fuUrges(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, err := pageParams(q, false)
	if err != nil {
		return err
	}
	var unit int64
	if v := q.Get("unit"); v != "" {
		if unit, err = strconv.ParseInt(v, 10, 64); err != nil || unit <= 0 {
			return badParam("unit", msgFieldBadInt)
		}
	}
	us, total, err := a.d.Svc.FollowUp.Urges(r.Context(), server.PrincipalFrom(r.Context()), unit, pg.Limit, pg.Offset)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, us, total, pg))
}

func (a *api) fuCreateUrge(w http.ResponseWriter, r *http.Request) error {
	var in UrgeCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := a.d.Svc.FollowUp.SendUrge(r.Context(), server.PrincipalFrom(r.Context()), service.UrgeInput{ReportID: in.ReportID, TemplateID: in.TemplateID,
		UnitID: in.UnitID, PeriodType: in.PeriodType, PeriodYear: in.PeriodYear, PeriodNumber: in.PeriodNumber, Message: in.Message})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

// --- inspections ---

func (a *api) fuInspections(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageParams(r.URL.Query(), false)
	if err != nil {
		return err
	}
	ins, total, err := a.d.Svc.FollowUp.Inspections(r.Context(), server.PrincipalFrom(r.Context()), pg.Limit, pg.Offset)
	if err != nil {
		return err
	}
	items := make([]Inspection, len(ins))
	for i, in := range ins {
		items[i] = inspectionOf(in)
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, pg))
}

func (a *api) fuCreateInspection(w http.ResponseWriter, r *http.Request) error {
	var in InspectionCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	got, err := a.d.Svc.FollowUp.CreateInspection(r.Context(), server.PrincipalFrom(r.Context()), service.InspectionInput{Kind: in.Kind, Topic: in.Topic,
		LeadUnitID: in.LeadUnitID, UnitIDs: in.UnitIDs, StartOn: in.StartOn, EndOn: in.EndOn, Team: in.Team, MemberIDs: in.MemberIDs, Status: in.Status})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, inspectionOf(got))
}

func (a *api) fuInspection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.d.Svc.FollowUp.Inspection(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, inspectionOf(v.Inspection))
}

func (a *api) fuAddFinding(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body FindingCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	f, err := a.d.Svc.FollowUp.AddFinding(r.Context(), server.PrincipalFrom(r.Context()), id, service.FindingInput{UnitID: body.UnitID, Text: body.Text})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

func (a *api) fuAddRecommendation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body RecommendationCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	rec, err := a.d.Svc.FollowUp.AddRecommendation(r.Context(), server.PrincipalFrom(r.Context()), id,
		service.RecommendationInput{UnitID: body.UnitID, Owner: body.Owner, Text: body.Text, DueOn: body.DueOn})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, recOf(rec))
}

func (a *api) fuRespond(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body RecommendationResponse
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	rec, err := a.d.Svc.FollowUp.Respond(r.Context(), server.PrincipalFrom(r.Context()), id, service.ResponseInput{Response: body.Response, Done: body.Done})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, recOf(rec))
}

// --- OpenAPI ---

func followupOps() map[string]op {
	idp := []obj{paramRef("id")}
	return map[string]op{
		"GET " + Prefix + "/notifications": {
			tag: "followup", summary: "The caller's notifications, newest first, with the unread count",
			params: []obj{param("unread", "query", "1: only unread ones.", obj{"type": "string", "enum": []string{"0", "1", "true", "false"}}, false), paramRef("limit"), paramRef("offset"), paramRef("page")},
			status: 200, schema: ref("NotificationPage"), errs: []int{400, 401},
		},
		"POST " + Prefix + "/notifications/{id}/read": {
			tag: "followup", summary: "Mark one of the caller's notifications read",
			params: append(idp, paramRef("csrf")), status: 204, errs: []int{401, 403, 404},
		},
		"GET " + Prefix + "/urges": {
			tag: "followup", summary: "Formal urges visible to the caller (report.read), newest first",
			params: []obj{param("unit", "query", "Only urges of this unit (report.read on it).", obj{"type": "integer", "format": "int64", "minimum": 1}, false), paramRef("limit"), paramRef("offset"), paramRef("page")},
			status: 200, schema: pageOf(ref("Urge")), errs: []int{400, 401, 403},
		},
		"POST " + Prefix + "/urges": {
			tag: "followup", summary: "Urge a unit (urge.send: coordinator)",
			desc:   "Records the urge and an audit entry, and notifies the unit's heads and officers in the app and by e-mail. With report_id, the unit, template and period come from the report.",
			params: []obj{paramRef("csrf")}, body: "UrgeCreate",
			status: 201, schema: ref("Urge"), errs: []int{400, 401, 403, 413, 415, 422},
		},
		"GET " + Prefix + "/inspections": {
			tag: "followup", summary: "Inspection and supervision plans visible to the caller",
			desc:   "Plans whose lead or inspected units are where the caller may read inspections (inspection.read), and plans the caller is a team member of.",
			params: []obj{paramRef("limit"), paramRef("offset"), paramRef("page")},
			status: 200, schema: pageOf(ref("Inspection")), errs: []int{400, 401},
		},
		"POST " + Prefix + "/inspections": {
			tag: "followup", summary: "Plan an inspection or supervision (inspection.manage on the lead unit and on every inspected unit)",
			params: []obj{paramRef("csrf")}, body: "InspectionCreate",
			status: 201, schema: ref("Inspection"), errs: []int{400, 401, 403, 413, 415, 422},
		},
		"GET " + Prefix + "/inspections/{id}": {
			tag: "followup", summary: "A plan with its findings and recommendations",
			params: idp, status: 200, schema: ref("Inspection"), errs: []int{401, 403, 404},
		},
		"POST " + Prefix + "/inspections/{id}/findings": {
			tag: "followup", summary: "Record a finding at an inspected unit (inspection.manage)",
			params: append(idp, paramRef("csrf")), body: "FindingCreate",
			status: 201, schema: ref("Finding"), errs: []int{400, 401, 403, 404, 413, 415, 422},
		},
		"POST " + Prefix + "/inspections/{id}/recommendations": {
			tag: "followup", summary: "Address a recommendation to an inspected unit (inspection.manage)",
			desc:   "The unit's heads and officers are notified.",
			params: append(idp, paramRef("csrf")), body: "RecommendationCreate",
			status: 201, schema: ref("Recommendation"), errs: []int{400, 401, 403, 404, 413, 415, 422},
		},
		"POST " + Prefix + "/recommendations/{id}/response": {
			tag: "followup", summary: "The unit's response; done closes the recommendation",
			desc:   "Allowed to the unit's heads and officers and to whoever manages the inspection. Closing needs a response.",
			params: append(idp, paramRef("csrf")), body: "RecommendationResponse",
			status: 200, schema: ref("Recommendation"), errs: []int{400, 401, 403, 404, 413, 415, 422},
		},
	}
}

func followupSchemas() obj {
	id := obj{"type": "integer", "format": "int64"}
	date := obj{"type": "string", "format": "date"}
	dt := obj{"type": "string", "format": "date-time"}
	ndt := nullable("string", obj{"format": "date-time"})
	notifPage := pageOf(ref("Notification"))
	notifPage["properties"].(obj)["unread"] = obj{"type": "integer", "minimum": 0, "description": "Unread notifications of the caller."}
	notifPage["required"] = append(notifPage["required"].([]string), "unread")
	return obj{
		"Notification": object([]string{"id", "kind", "unit_id", "unit_name", "subject", "body", "link", "created_at", "read_at", "emailed_at"}, obj{
			"id": id, "kind": obj{"type": "string", "enum": followup.Kinds}, "unit_id": nullable("integer", obj{"format": "int64"}),
			"unit_name": obj{"type": "string"}, "subject": obj{"type": "string"}, "body": obj{"type": "string"},
			"link":       obj{"type": "string", "format": "uri-reference", "description": "Where to act, relative to the site."},
			"created_at": dt, "read_at": ndt, "emailed_at": ndt,
		}),
		"NotificationPage": notifPage,
		"Urge": object([]string{"id", "unit_id", "unit_name", "message", "sent_by_name", "created_at"}, obj{
			"id": id, "unit_id": id, "unit_name": obj{"type": "string"}, "template_id": id, "template_name": obj{"type": "string"},
			"report_id": id, "period_type": obj{"type": "string"}, "period_year": obj{"type": "integer"}, "period_number": obj{"type": "integer"},
			"message": obj{"type": "string"}, "sent_by": id, "sent_by_name": obj{"type": "string"}, "created_at": dt,
		}),
		"UrgeCreate": object([]string{"message"}, obj{
			"report_id":     obj{"type": "integer", "format": "int64", "description": "The late report; fills unit, template and period."},
			"template_id":   obj{"type": "integer", "format": "int64"},
			"unit_id":       obj{"type": "integer", "format": "int64", "description": "Required unless report_id is given."},
			"period_type":   obj{"type": "string", "enum": []string{"", "monthly", "quarterly", "six_month", "nine_month", "annual"}},
			"period_year":   obj{"type": "integer", "minimum": 0, "maximum": 2100, "description": "1900–2100 with a period type; 0 without."},
			"period_number": obj{"type": "integer", "minimum": 0, "maximum": 12},
			"message":       obj{"type": "string", "maxLength": followup.MaxMessage},
		}),
		"UnitRef": object([]string{"id", "name"}, obj{"id": id, "name": obj{"type": "string"}}),
		"UserRef": object([]string{"id", "username", "full_name"}, obj{"id": id, "username": obj{"type": "string"}, "full_name": obj{"type": "string"}}),
		"Finding": object([]string{"id", "unit_id", "unit_name", "text", "created_at"}, obj{
			"id": id, "unit_id": id, "unit_name": obj{"type": "string"}, "text": obj{"type": "string"}, "created_at": dt,
		}),
		"Recommendation": object([]string{"id", "inspection_id", "unit_id", "unit_name", "owner", "text", "due_on", "status", "response", "overdue", "closed_at", "created_at"}, obj{
			"id": id, "inspection_id": id, "unit_id": id, "unit_name": obj{"type": "string"}, "owner": obj{"type": "string"},
			"text": obj{"type": "string"}, "due_on": date, "status": obj{"type": "string", "enum": []string{followup.RecOpen, followup.RecDone}},
			"response": obj{"type": "string"}, "overdue": obj{"type": "boolean", "description": "Open and past its due date (Vietnam time)."},
			"closed_at": ndt, "created_at": dt,
		}),
		"Inspection": object([]string{"id", "kind", "topic", "lead_unit_id", "lead_unit_name", "start_on", "end_on", "team", "status", "units", "members", "findings", "recommendations", "open_recommendations", "overdue_recommendations", "created_at"}, obj{
			"id": id, "kind": obj{"type": "string", "enum": followup.InspectionKinds}, "topic": obj{"type": "string"},
			"lead_unit_id": id, "lead_unit_name": obj{"type": "string"}, "start_on": date, "end_on": date,
			"team":   obj{"type": "string", "description": "Team members as free text, one a line."},
			"status": obj{"type": "string", "enum": followup.InspectionStatuses}, "units": arrayOf(ref("UnitRef")), "members": arrayOf(ref("UserRef")),
			"findings": arrayOf(ref("Finding")), "recommendations": arrayOf(ref("Recommendation")),
			"open_recommendations": obj{"type": "integer"}, "overdue_recommendations": obj{"type": "integer"}, "created_at": dt,
		}),
		"InspectionCreate": object([]string{"kind", "topic", "lead_unit_id", "unit_ids", "start_on", "end_on"}, obj{
			"kind": obj{"type": "string", "enum": followup.InspectionKinds}, "topic": obj{"type": "string", "maxLength": followup.MaxTopic},
			"lead_unit_id": id, "unit_ids": arrayOf(id), "start_on": date, "end_on": date,
			"team": obj{"type": "string"}, "member_ids": arrayOf(id), "status": obj{"type": "string", "enum": followup.InspectionStatuses},
		}),
		"FindingCreate": object([]string{"unit_id", "text"}, obj{"unit_id": id, "text": obj{"type": "string", "maxLength": followup.MaxText}}),
		"RecommendationCreate": object([]string{"unit_id", "text", "due_on"}, obj{
			"unit_id": id, "owner": obj{"type": "string"}, "text": obj{"type": "string", "maxLength": followup.MaxText}, "due_on": date,
		}),
		"RecommendationResponse": object([]string{"response"}, obj{"response": obj{"type": "string"}, "done": obj{"type": "boolean"}}),
	}
}
