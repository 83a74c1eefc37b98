package api

// Search over cases: the public search of feedback and recommendations,
// similar open cases before sending, and the handlers' duplicates and
// merging. The handlers' text and date search is GET /cases (cases.go).
// Each handler decodes, calls one use case of service.Cases and encodes.

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func caseSearchFeature() feature {
	rs := []route{
		{"GET", Prefix + "/public/cases", false, (*api).publicCases},
		{"GET", Prefix + "/cases/similar", false, (*api).similarCases},
		{"GET", Prefix + "/cases/{id}/duplicates", true, (*api).caseDuplicates},
		{"POST", Prefix + "/cases/{id}/merge", true, (*api).mergeCase},
	}
	return newFeature("case-search", "Search over cases: the public search of feedback and recommendations (no description, no personal data), similar open cases offered before sending, and duplicates (same person by a keyed hash, or same category, place and words) that handlers merge.",
		rs, caseSearchOps(), caseSearchSchemas())
}

// PublicCasePage is a page of the public search.
type PublicCasePage = Page[service.CaseSummary]

func (a *api) publicCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := pageParams(q, false)
	if err != nil {
		return err
	}
	f := service.PublicSearchFilter{Category: q.Get("category"), Status: q.Get("status"), Limit: p.Limit, Offset: p.Offset}
	if f.Place, err = idParam(q.Get("place"), "place"); err != nil {
		return err
	}
	items, total, err := a.d.Svc.Cases.PublicSearch(r.Context(), q.Get("q"), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, p))
}

func (a *api) similarCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	sq := service.SimilarQuery{Category: q.Get("category"), Text: q.Get("text")}
	var err error
	if sq.PlaceUnitID, err = idParam(q.Get("place"), "place"); err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		to   **float64
	}{{"lat", &sq.Lat}, {"lon", &sq.Lon}} {
		if s := q.Get(c.name); s != "" {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return badParam(c.name, msgFieldWrongType)
			}
			*c.to = &x
		}
	}
	items, err := a.d.Svc.Cases.Similar(r.Context(), sq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// idParam parses an optional positive id of a query parameter (0 when absent).
func idParam(s, name string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, badParam(name, msgFieldBadInt)
	}
	return id, nil
}

func (a *api) caseDuplicates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.d.Svc.Cases.Duplicates(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// CaseMerge is the body of POST /cases/{id}/merge: the case to keep, and
// the version of case {id} as read.
type CaseMerge struct {
	IntoID  int64 `json:"into_id"`
	Version int   `json:"version"`
}

func (a *api) mergeCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in CaseMerge
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.d.Svc.Cases.Merge(r.Context(), server.PrincipalFrom(r.Context()), in.IntoID, id, in.Version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func caseSearchOps() map[string]op {
	public := []obj{{}}
	place := param("place", "query", "The commune or ward concerned (unit id).", obj{"type": "integer", "format": "int64", "minimum": 1}, false)
	return map[string]op{
		"GET " + Prefix + "/public/cases": {
			tag: "case-search", summary: "Search the public cases (feedback and recommendations), newest first",
			desc: "q matches every word as a prefix, with or without Vietnamese diacritics (\"duong\" finds \"Đường\"). " +
				"Complaints, denunciations and requests for information are never listed; no description or personal data is shown. " +
				"With q, total is counted up to 1001 (read: more than 1 000).",
			params: []obj{param("q", "query", "Words to find.", obj{"type": "string", "maxLength": service.MaxCaseQuery}, false),
				param("category", "query", "Only this category (code).", obj{"type": "string"}, false), place,
				param("status", "query", "Only this status.", obj{"type": "string", "enum": service.CaseStatuses}, false),
				paramRef("limit"), paramRef("offset"), paramRef("page")},
			status: 200, schema: pageOf(ref("CaseSummary")), errs: []int{400, 422}, security: public,
		},
		"GET " + Prefix + "/cases/similar": {
			tag: "case-search", summary: "Open public cases like the one being typed (before sending)",
			desc: "Same category, at the same place or within about 1 km when both have a point; ranked by the words shared with text. At most 5.",
			params: []obj{param("category", "query", "The category (code); none: cases without a category.", obj{"type": "string"}, false), place,
				param("lat", "query", "Latitude of the point.", obj{"type": "number", "minimum": -90, "maximum": 90}, false),
				param("lon", "query", "Longitude of the point.", obj{"type": "number", "minimum": -180, "maximum": 180}, false),
				param("text", "query", "The title and description typed so far.", obj{"type": "string"}, false)},
			status: 200, schema: object([]string{"items"}, obj{"items": arrayOf(ref("SimilarCase"))}), errs: []int{400, 422}, security: public,
		},
		"GET " + Prefix + "/cases/{id}/duplicates": {
			tag: "case-search", summary: "Cases that may repeat this one (case.read)",
			desc:   "The same person's cases (by a keyed hash of the ID number, phone or e-mail; never the identifier), then cases of the same category and place with similar words. Only cases the caller may read.",
			params: []obj{paramRef("id")},
			status: 200, schema: object([]string{"items"}, obj{"items": arrayOf(ref("DuplicateCase"))}), errs: []int{401, 403, 404},
		},
		"POST " + Prefix + "/cases/{id}/merge": {
			tag: "case-search", summary: "Merge case {id} into another as a duplicate (case.handle on both)",
			desc: "Case {id} is closed with the status merged; its public history gives the kept case's tracking code. " +
				"version is case {id}'s as read (409 when stale); 422 when into_id is {id}, unknown, or merged, or case {id} is closed.",
			params: []obj{paramRef("id"), paramRef("csrf")}, body: "CaseMerge",
			status: 200, schema: ref("Case"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
		},
	}
}

func caseSearchSchemas() obj {
	s := obj{"type": "string"}
	id := obj{"type": "integer", "format": "int64"}
	sumProps := obj{"tracking_code": s, "kind": obj{"type": "string", "enum": service.CaseKinds}, "category": s, "title": s,
		"status": obj{"type": "string", "enum": service.CaseStatuses}, "place_unit_id": id, "received_on": obj{"type": "string", "format": "date"}}
	simProps := obj{"shared": obj{"type": "integer", "description": "Words shared with the text."}}
	for k, v := range sumProps {
		simProps[k] = v
	}
	dup := obj{"allOf": []obj{ref("Case"), object([]string{"same_person", "similarity"}, obj{
		"same_person": obj{"type": "boolean"}, "similarity": obj{"type": "number", "minimum": 0, "maximum": 1}})}}
	return obj{
		"CaseSummary":   object([]string{"tracking_code", "kind", "category", "title", "status", "received_on"}, sumProps),
		"SimilarCase":   object([]string{"tracking_code", "shared"}, simProps),
		"DuplicateCase": dup,
		"CaseMerge":     object([]string{"into_id", "version"}, obj{"into_id": id, "version": obj{"type": "integer", "minimum": 1}}),
	}
}
