package api

// Citizen cases: public intake and tracking, the handlers' list, reading,
// handling steps and the audited identity. Each handler decodes, calls one
// use case of service.Cases (which checks permission, validates and rate-
// limits) and encodes. Public tracking lives under /tracking/{code}: under
// /cases it would collide with /cases/{id}/identity.

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// publicWrites are the state-changing routes open to anonymous callers:
// they carry no ambient credential, so the CSRF header is asked only of a
// signed-in browser.
var publicWrites = map[string]bool{
	"POST " + Prefix + "/cases":                  true,
	"POST " + Prefix + "/tracking/{code}/verify": true,
	"POST " + Prefix + "/tracking/{code}/rating": true,
}

func casesFeature() feature {
	rs := []route{
		{"POST", Prefix + "/cases", false, (*api).submitCase},
		{"GET", Prefix + "/cases", true, (*api).listCases},
		{"GET", Prefix + "/cases/{id}", true, (*api).getCase},
		{"GET", Prefix + "/cases/{id}/identity", true, (*api).caseIdentity},
		{"GET", Prefix + "/case-categories", false, (*api).caseCategories},
		{"GET", Prefix + "/tracking/{code}", false, (*api).trackCase},
		{"POST", Prefix + "/tracking/{code}/verify", false, (*api).verifyCase},
		{"POST", Prefix + "/tracking/{code}/rating", false, (*api).rateCase},
	}
	for _, st := range service.CaseSteps {
		rs = append(rs, route{"POST", Prefix + "/cases/{id}/" + st, true, stepHandler(st)})
	}
	return newFeature("cases", "Citizen cases: feedback, recommendations, complaints, denunciations and requests for information; public intake with a tracking code and a secret link; handling steps with legal deadlines; the author's identity, encrypted at rest and shown, audited, to the case's handlers only.",
		rs, casesOps(), casesSchemas())
}

// caller is the request's principal, or an anonymous one carrying the
// client address the service's rate limits count.
func caller(r *http.Request) *service.Principal {
	if p := server.PrincipalFrom(r.Context()); p != nil {
		return p
	}
	return &service.Principal{IP: server.ClientIP(r)}
}

// tooMany sets Retry-After before the 429 problem is written.
func tooMany(w http.ResponseWriter, err error) error {
	if errors.Is(err, service.ErrTooMany) {
		w.Header().Set("Retry-After", strconv.Itoa(int(service.CaseRetryAfter.Seconds())))
	}
	return err
}

// CaseCreate is the body of POST /cases.
type CaseCreate = service.CaseInput

func (a *api) submitCase(w http.ResponseWriter, r *http.Request) error {
	var in CaseCreate
	var err error
	if isMultipart(r) {
		in, err = caseMultipart(w, r)
	} else {
		err = decodeJSON(w, r, &in)
	}
	if err != nil {
		return err
	}
	out, err := a.d.Svc.Cases.Submit(r.Context(), caller(r), in)
	if err != nil {
		return tooMany(w, err)
	}
	w.Header().Set("Location", Prefix+"/tracking/"+out.TrackingCode)
	return writeJSON(w, http.StatusCreated, out)
}

func (a *api) caseCategories(w http.ResponseWriter, r *http.Request) error {
	cats, err := a.d.Svc.Cases.Categories(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": cats})
}

func (a *api) trackCase(w http.ResponseWriter, r *http.Request) error {
	out, err := a.d.Svc.Cases.Track(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// CaseSecret is the body of POST /tracking/{code}/verify.
type CaseSecret struct {
	Secret string `json:"secret"`
}

func (a *api) verifyCase(w http.ResponseWriter, r *http.Request) error {
	var in CaseSecret
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := a.d.Svc.Cases.Verify(r.Context(), caller(r), r.PathValue("code"), in.Secret)
	if err != nil {
		return tooMany(w, err)
	}
	return writeJSON(w, http.StatusOK, out)
}

// CaseRating is the body of POST /tracking/{code}/rating.
type CaseRating struct {
	Secret  string `json:"secret"`
	Rating  int    `json:"rating"`
	Comment string `json:"comment"`
}

func (a *api) rateCase(w http.ResponseWriter, r *http.Request) error {
	var in CaseRating
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Svc.Cases.Rate(r.Context(), caller(r), r.PathValue("code"), in.Secret, in.Rating, in.Comment); err != nil {
		return tooMany(w, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// CasePage is a page of cases.
type CasePage = Page[service.Case]

func (a *api) listCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := pageParams(q, false)
	if err != nil {
		return err
	}
	f := service.CaseListFilter{Status: q.Get("status"), Kind: q.Get("kind"), Limit: p.Limit, Offset: p.Offset,
		Text: q.Get("q"), From: q.Get("from"), To: q.Get("to")}
	if s := q.Get("unit"); s != "" {
		if f.Unit, err = strconv.ParseInt(s, 10, 64); err != nil || f.Unit <= 0 {
			return badParam("unit", msgFieldBadInt)
		}
	}
	if f.Overdue, err = boolParam(q, "overdue"); err != nil {
		return err
	}
	items, total, err := a.d.Svc.Cases.List(r.Context(), server.PrincipalFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, p))
}

func (a *api) getCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.d.Svc.Cases.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(v.Version)))
	return writeJSON(w, http.StatusOK, v)
}

func (a *api) caseIdentity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ident, err := a.d.Svc.Cases.Identity(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"identity": ident})
}

// CaseStepBody is the body of every handling step.
type CaseStepBody = service.CaseStep

func stepHandler(step string) handlerFunc {
	return func(a *api, w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in CaseStepBody
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
		c, err := a.d.Svc.Cases.Step(r.Context(), server.PrincipalFrom(r.Context()), id, step, in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	}
}

func casesOps() map[string]op {
	c := []obj{paramRef("csrf")}
	code := param("code", "path", "The tracking code, e.g. TH-2026-7K3QX9 (case-insensitive).", obj{"type": "string", "maxLength": 20}, true)
	public := []obj{{}}
	ops := map[string]op{
		"POST " + Prefix + "/cases": {
			tag: "cases", summary: "Submit a case (public; rate-limited per client address)",
			desc: "Anyone may submit on the web and open311 channels; other channels (reception, phone, post, transfer) are recorded by a handler of the competent unit (case.handle). " +
				"Complaints and denunciations must give the author's name and address (Law 02/2011/QH13 Art. 8, Law 25/2018/QH14 Art. 23); an anonymous one answers 422. " +
				"The answer carries the tracking code and, this once, the secret of the author's link. 429 with Retry-After when the client submitted too many. " +
				"With photos or documents, send multipart/form-data: the JSON body in the part \"case\", the files (at most 5, 10 MiB each, checked by content as for POST /cases/{id}/attachments) in parts \"files\"; the whole request at most 55 MiB. A refused file refuses the case (422).",
			params: c, body: "CaseCreate", form: "CaseCreateMultipart",
			status: 201, schema: ref("CaseSubmitted"), errs: []int{400, 401, 403, 413, 415, 422, 429}, security: optionalAuth,
		},
		"GET " + Prefix + "/cases": {
			tag: "cases", summary: "List cases, newest first (case.read)",
			params: []obj{param("unit", "query", "Only this unit's subtree.", obj{"type": "integer", "format": "int64", "minimum": 1}, false),
				param("status", "query", "Only this status.", obj{"type": "string", "enum": service.CaseStatuses}, false),
				param("kind", "query", "Only this kind.", obj{"type": "string", "enum": service.CaseKinds}, false),
				param("overdue", "query", "Only cases past their current deadline.", obj{"type": "string", "enum": []string{"0", "1", "true", "false"}}, false),
				param("q", "query", "Words to find, each a prefix, with or without diacritics; the total is then counted up to 10001 (more than 10 000).", obj{"type": "string", "maxLength": service.MaxCaseQuery}, false),
				param("from", "query", "Only cases received on or after this date.", obj{"type": "string", "format": "date"}, false),
				param("to", "query", "Only cases received on or before this date.", obj{"type": "string", "format": "date"}, false),
				paramRef("limit"), paramRef("offset"), paramRef("page")},
			status: 200, schema: pageOf(ref("Case")), errs: []int{400, 401, 403, 404, 422},
		},
		"GET " + Prefix + "/cases/{id}": {
			tag: "cases", summary: "A case with its deadlines and history (case.read)",
			desc:   "Handlers of a unit the case was transferred away from keep reading it. The identity is not included: see /cases/{id}/identity.",
			params: []obj{paramRef("id")},
			status: 200, schema: ref("CaseDetail"), errs: []int{401, 403, 404},
		},
		"GET " + Prefix + "/cases/{id}/identity": {
			tag: "cases", summary: "The author's identity (handlers of the case only; every view audit-logged)",
			desc:   "case.identity.read on the case's current unit; administrators do not hold it as such. identity is null when the author gave none.",
			params: []obj{paramRef("id")},
			status: 200, schema: object([]string{"identity"}, obj{"identity": obj{"oneOf": []obj{ref("CaseIdentity"), {"type": "null"}}}}), errs: []int{401, 403, 404},
		},
		"GET " + Prefix + "/case-categories": {
			tag: "cases", summary: "The categories of cases, with their default competent unit (public)",
			status: 200, schema: object([]string{"items"}, obj{"items": arrayOf(ref("CaseCategory"))}), security: public,
		},
		"GET " + Prefix + "/tracking/{code}": {
			tag: "cases", summary: "The public view of a case (no personal data)",
			params: []obj{code},
			status: 200, schema: ref("PublicCase"), errs: []int{404}, security: public,
		},
		"POST " + Prefix + "/tracking/{code}/verify": {
			tag: "cases", summary: "The author's view of a case, with the secret of their link",
			desc:   "A wrong secret answers 404. Checks are rate-limited per client address (429 with Retry-After).",
			params: []obj{code}, body: "CaseSecret",
			status: 200, schema: ref("OwnCase"), errs: []int{400, 404, 413, 415, 429}, security: optionalAuth,
		},
		"POST " + Prefix + "/tracking/{code}/rating": {
			tag: "cases", summary: "Rate the handling of a resolved or closed case, once",
			desc:   "rating 1–5; 422 before resolution, 409 when already rated.",
			params: []obj{code}, body: "CaseRating",
			status: 204, errs: []int{400, 404, 409, 413, 415, 422, 429}, security: optionalAuth,
		},
	}
	summaries := map[string]string{
		service.StepAccept:   "Accept (thụ lý) a received or transferred case; sets the resolution deadline",
		service.StepRefuse:   "Refuse (không thụ lý) a case; public_note gives the reason",
		service.StepTransfer: "Transfer a case to the competent unit (to_unit_id); public_note gives the reason",
		service.StepExtend:   "Extend the resolution deadline (until, or the legal extension); public_note gives the reason",
		service.StepSuspend:  "Suspend the resolution; public_note gives the reason",
		service.StepResolve:  "Resolve a case; public_note is the decision or answer",
		service.StepClose:    "Close a resolved or refused case",
		service.StepClassify: "Classify (phân loại) a received or accepted case: kind, category and, for a second-time complaint, parent_code; recomputes the deadlines of the new kind",
	}
	for _, st := range service.CaseSteps {
		ops["POST "+Prefix+"/cases/{id}/"+st] = op{
			tag: "cases", summary: summaries[st] + " (case.handle)",
			desc:   "version is the case's version as read; a stale one answers 409. A step not allowed in the case's status answers 422.",
			params: []obj{paramRef("id"), paramRef("csrf")}, body: "CaseStep",
			status: 200, schema: ref("Case"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		}
	}
	return ops
}

func casesSchemas() obj {
	id := obj{"type": "integer", "format": "int64"}
	date := obj{"type": "string", "format": "date"}
	s := obj{"type": "string"}
	kind := obj{"type": "string", "enum": service.CaseKinds}
	status := obj{"type": "string", "enum": service.CaseStatuses}
	identity := object(nil, obj{"name": s, "phone": s, "email": s, "address": s, "id_number": s})
	deadline := object([]string{"name", "due", "days_left", "met"}, obj{
		"name": obj{"type": "string", "enum": []string{"accept", "resolve", "extended"}}, "due": date,
		"days_left": obj{"type": "integer", "description": "Calendar days from today; negative when late."}, "met": obj{"type": "boolean"},
	})
	pubEvent := object([]string{"at", "action"}, obj{"at": obj{"type": "string", "format": "date-time"}, "action": s, "note": s})
	publicProps := obj{"tracking_code": s, "kind": kind, "category": s, "status": status, "received_on": date,
		"deadlines": arrayOf(deadline), "history": arrayOf(pubEvent), "rated": obj{"type": "boolean"}, "photos": arrayOf(ref("CaseFileInfo"))}
	ownProps := obj{"title": s, "description": s, "identity": obj{"oneOf": []obj{ref("CaseIdentity"), {"type": "null"}}}, "can_rate": obj{"type": "boolean"}, "rating": obj{"type": "integer"}, "files": arrayOf(ref("CaseFileInfo"))}
	for k, v := range publicProps {
		ownProps[k] = v
	}
	caseProps := obj{
		"id": id, "tracking_code": s, "kind": kind, "category": s, "channel": obj{"type": "string", "enum": service.CaseChannels},
		"unit_id": id, "place_unit_id": id, "lat": obj{"type": "number"}, "lon": obj{"type": "number"}, "title": s, "description": s,
		"status": status, "anonymous": obj{"type": "boolean"}, "has_identity": obj{"type": "boolean"}, "submitter_id": id, "parent_case_id": id,
		"remote": obj{"type": "boolean"}, "accept_due": date, "resolve_due": date, "extended_due": date, "resolution": s,
		"rating": obj{"type": "integer"}, "rating_comment": s, "received_on": date,
		"created_at": obj{"type": "string", "format": "date-time"}, "updated_at": obj{"type": "string", "format": "date-time"},
		"closed_at": obj{"type": "string", "format": "date-time"}, "version": obj{"type": "integer", "description": "Optimistic-lock version."},
	}
	detail := obj{"deadlines": arrayOf(deadline), "events": arrayOf(object(nil, obj{
		"id": id, "case_id": id, "at": obj{"type": "string", "format": "date-time"}, "actor_id": id, "actor": s, "action": s,
		"public": obj{"type": "boolean"}, "public_note": s, "internal_note": s, "from_unit_id": id, "to_unit_id": id,
	})), "can_handle": obj{"type": "boolean"}, "can_see_identity": obj{"type": "boolean"}}
	for k, v := range caseProps {
		detail[k] = v
	}
	return obj{
		"CaseIdentity": identity,
		"CaseCategory": object([]string{"code", "name_vi", "name_en", "name_ja"}, obj{
			"code": s, "name_vi": s, "name_en": s, "name_ja": s,
			"default_kind":    obj{"type": "string", "description": "Cases go to the nearest unit of this kind at or above their place."},
			"default_unit_id": obj{"type": "integer", "format": "int64", "description": "Or to this unit."},
		}),
		"CaseCreate": object([]string{"kind", "title", "description"}, obj{
			"kind": kind, "category": s, "channel": obj{"type": "string", "enum": service.CaseChannels, "default": "web"},
			"unit_id":       obj{"type": "integer", "format": "int64", "description": "The competent unit; default: the place."},
			"place_unit_id": obj{"type": "integer", "format": "int64", "description": "The commune or ward concerned."},
			"lat":           nullable("number", obj{"minimum": -90, "maximum": 90}), "lon": nullable("number", obj{"minimum": -180, "maximum": 180}),
			"title": obj{"type": "string", "maxLength": service.MaxCaseTitle}, "description": obj{"type": "string", "maxLength": service.MaxCaseDescription},
			"anonymous": obj{"type": "boolean"}, "identity": obj{"oneOf": []obj{ref("CaseIdentity"), {"type": "null"}}},
			"parent_code": obj{"type": "string", "description": "For a second-time complaint: the tracking code of the first."},
		}),
		"CaseSubmitted": object([]string{"id", "tracking_code", "secret", "secret_link", "received_on"}, obj{
			"id": id, "tracking_code": s, "secret": obj{"type": "string", "description": "Shown once; stored hashed."},
			"secret_link": s, "received_on": date, "accept_due": date,
		}),
		"CaseSecret": object([]string{"secret"}, obj{"secret": s}),
		"CaseRating": object([]string{"secret", "rating"}, obj{"secret": s, "rating": obj{"type": "integer", "minimum": 1, "maximum": 5}, "comment": s}),
		"CaseStep": object([]string{"version"}, obj{"version": obj{"type": "integer", "minimum": 1}, "public_note": s, "internal_note": s, "to_unit_id": id, "until": date,
			"kind":        obj{"type": "string", "enum": service.CaseKinds, "description": "classify: the new kind; empty: unchanged."},
			"category":    obj{"type": "string", "maxLength": service.MaxCaseCategory, "description": "classify: the new category code; empty: unchanged."},
			"parent_code": obj{"type": "string", "description": "classify to complaint2: the tracking code of the first complaint."}}),
		"PublicCase": object([]string{"tracking_code", "kind", "status", "received_on", "deadlines", "history", "rated"}, publicProps),
		"OwnCase":    object(nil, ownProps),
		"Case":       object(nil, caseProps),
		"CaseDetail": object(nil, detail),
	}
}
