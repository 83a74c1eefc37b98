package api

// Grassroots-democracy disclosures (Law 10/2022/QH15 Art. 11) and the
// public portal. Reading is open to anyone; recording, publishing and
// withdrawing need report.edit on the commune. Each handler decodes, calls
// one use case of service.Disclosures or service.Portal and encodes.

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// DisclosureList is the answer of GET /disclosures.
type DisclosureList struct {
	Items []service.Disclosure `json:"items"`
}

// WithdrawInput is the body of POST /disclosures/{id}/withdraw.
type WithdrawInput struct {
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

func disclosuresFeature() feature {
	id := obj{"type": "integer", "format": "int64"}
	date := obj{"type": "string", "format": "date"}
	text := obj{"type": "string"}
	n := obj{"type": "integer"}
	rate := obj{"type": "number", "description": "Percent, one decimal; absent when nothing is counted."}
	cat := obj{"type": "string", "enum": service.DisclosureCategories}
	form := obj{"type": "string", "enum": service.DisclosureForms}
	status := obj{"type": "string", "enum": []string{service.DisclosurePending, service.DisclosurePublished, service.DisclosureWithdrawn}}
	progress := obj{"type": "string", "enum": []string{"not_started", "on_track", "at_risk", "late", "done"}}
	write := "Needs report.edit on the commune (its unit heads and officers, and those above). Audited. "
	dID := paramRef("id")
	return newFeature("disclosures", "Grassroots-democracy disclosures (Law 10/2022/QH15 Art. 11): what communes publish — plans, budgets, projects, land decisions, "+
		"funds raised, beneficiaries, relief, inspections, fees, procedures — due within 5 working days of the decision by the working calendar; "+
		"and the public portal's aggregated blocks.",
		[]route{
			{"GET", Prefix + "/disclosures", false, (*api).listDisclosures},
			{"POST", Prefix + "/disclosures", true, (*api).createDisclosure},
			{"GET", Prefix + "/disclosures/{id}", false, (*api).getDisclosure},
			{"PUT", Prefix + "/disclosures/{id}", true, (*api).updateDisclosure},
			{"POST", Prefix + "/disclosures/{id}/withdraw", true, (*api).withdrawDisclosure},
			{"GET", Prefix + "/disclosures/{id}/file", false, (*api).getDisclosureFile},
			{"PUT", Prefix + "/disclosures/{id}/file", true, (*api).putDisclosureFile},
			{"GET", Prefix + "/portal", false, (*api).portalHome},
			{"GET", Prefix + "/portal/communes/{code}", false, (*api).portalCommune},
		},
		map[string]op{
			"GET " + Prefix + "/disclosures": {
				tag: "disclosures", summary: "Disclosures of the communes (public)",
				desc: "Newest decision first, at most 500. Each carries its due date and whether it is overdue (published after the due date, or unpublished past it). " +
					"Withdrawn disclosures are listed with their reason, except with overdue=1.",
				params: []obj{param("unit", "query", "Only this commune.", obj{"type": "integer", "format": "int64", "minimum": 1}, false),
					param("category", "query", "Only this category.", cat, false), param("overdue", "query", "1: only the overdue.", obj{"type": "string", "enum": []string{"1"}}, false)},
				status: 200, schema: ref("DisclosureList"), errs: []int{400, 404, 422}, security: optionalAuth,
			},
			"POST " + Prefix + "/disclosures": {
				tag: "disclosures", summary: "Record a disclosure",
				desc:   write + "Without published_on it waits to be published; with it, form is required. The decision may not be in the future. The document is put with PUT …/file.",
				params: []obj{paramRef("csrf")}, body: "DisclosureInput", status: 201, schema: ref("Disclosure"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/disclosures/{id}": {
				tag: "disclosures", summary: "A disclosure (public)",
				params: []obj{dID}, status: 200, schema: ref("Disclosure"), errs: []int{404}, security: optionalAuth,
			},
			"PUT " + Prefix + "/disclosures/{id}": {
				tag: "disclosures", summary: "Change or publish a disclosure",
				desc:   write + "Every field of DisclosureInput with the version seen (409 when it moved); the commune does not change; a withdrawn disclosure answers 422.",
				params: []obj{dID, paramRef("csrf")}, body: "DisclosureInput", status: 200, schema: ref("Disclosure"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/disclosures/{id}/withdraw": {
				tag: "disclosures", summary: "Withdraw a disclosure, with the reason",
				desc:   write + "It stays on record, withdrawn, with the reason.",
				params: []obj{dID, paramRef("csrf")}, body: "DisclosureWithdraw", status: 200, schema: ref("Disclosure"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"GET " + Prefix + "/disclosures/{id}/file": {
				tag: "disclosures", summary: "Download the document of a disclosure (public)",
				desc:   "Always a download with the type sniffed on upload; 404 when there is none or the disclosure is withdrawn.",
				params: []obj{dID}, status: 200, schema: obj{"type": "string", "format": "binary"}, errs: []int{404}, security: optionalAuth,
			},
			"PUT " + Prefix + "/disclosures/{id}/file": {
				tag: "disclosures", summary: "Put the document of a disclosure (multipart/form-data, part \"file\")",
				desc:   write + "PDF, DOCX, XLSX, ODT, images or UTF-8 text, judged by content, at most 10 MiB; it replaces the one there.",
				params: []obj{dID, paramRef("csrf")}, form: "DisclosureFileUpload", status: 200, schema: ref("Disclosure"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/portal": {
				tag: "disclosures", summary: "The public portal's blocks (public)",
				desc: "People know (directives in force and their progress by unit), discuss (open consultations, when a source is wired), check and supervise " +
					"(this year's rates of cases handled on time, reports sent on time, dialogue commitments kept; overdue disclosures), benefit (results), " +
					"and the communes grouped by the former district of the communes they continue. Aggregates only; kept in memory for 30 seconds.",
				status: 200, schema: ref("PortalHome"), errs: []int{}, security: optionalAuth,
			},
			"GET " + Prefix + "/portal/communes/{code}": {
				tag: "disclosures", summary: "Everything public about one commune (public)",
				params: []obj{param("code", "path", "The commune's code.", obj{"type": "string"}, true)},
				status: 200, schema: ref("PortalCommune"), errs: []int{404}, security: optionalAuth,
			},
		},
		obj{
			"Disclosure": object([]string{"id", "unit_id", "unit_name", "category", "title", "decided_on", "due_on", "status", "version", "overdue"}, obj{
				"id": id, "unit_id": id, "unit_name": text, "category": cat, "title": text, "summary": text, "decision_no": text,
				"decided_on": date, "due_on": obj{"type": "string", "format": "date", "description": "5 working days after the decision."},
				"published_on": date, "form": form, "status": status, "withdrawn_reason": text,
				"file_name": text, "file_type": text, "file_size": n, "version": n,
				"overdue": obj{"type": "boolean"}, "days_late": obj{"type": "integer", "description": "Working days past due."},
			}),
			"DisclosureList": object([]string{"items"}, obj{"items": arrayOf(ref("Disclosure"))}),
			"DisclosureInput": object([]string{"unit_id", "category", "title", "decided_on"}, obj{
				"unit_id": id, "category": cat, "title": obj{"type": "string", "minLength": 3, "maxLength": 300}, "summary": obj{"type": "string", "maxLength": 4000},
				"decision_no": obj{"type": "string", "maxLength": 60}, "decided_on": date, "published_on": date, "form": form,
				"version": obj{"type": "integer", "description": "On update: the version seen."},
			}),
			"DisclosureWithdraw":   object([]string{"reason", "version"}, obj{"reason": obj{"type": "string", "minLength": 3, "maxLength": 500}, "version": n}),
			"DisclosureFileUpload": object([]string{"file"}, obj{"file": obj{"type": "string", "format": "binary"}}),
			"RateLine": object([]string{"unit_id", "name", "commune", "due", "on_time"}, obj{
				"unit_id": id, "name": text, "commune": obj{"type": "boolean"}, "due": n, "on_time": n, "rate": rate,
			}),
			"PortalHome": object([]string{"today", "directives", "consultations", "checks", "results", "districts"}, obj{
				"today": date,
				"directives": arrayOf(object([]string{"id", "number", "title", "issued_on", "issuer", "tasks", "percent", "status", "units"}, obj{
					"id": id, "number": text, "title": text, "issued_on": date, "issuer": text, "tasks": n, "percent": obj{"type": "number"}, "status": progress,
					"done": n, "on_track": n, "at_risk": n, "late": n,
					"units": arrayOf(object([]string{"unit_id", "name", "percent", "status"}, obj{"unit_id": id, "name": text, "percent": obj{"type": "number"}, "status": progress})),
				})),
				"consultations": arrayOf(object([]string{"title", "url"}, obj{"title": text, "url": text, "meta": text})),
				"checks": object([]string{"year", "cases_received", "cases_handled", "disclosures", "disclosures_overdue", "latest_overdue"}, obj{
					"year": n, "cases_received": n, "cases_handled": n, "cases_on_time_rate": rate, "reports_on_time_rate": rate, "commitments_kept_rate": rate,
					"disclosures": n, "disclosures_overdue": n, "latest_overdue": arrayOf(ref("Disclosure")),
				}),
				"results": object([]string{"activities_done", "cases_resolved", "commitments_kept", "dialogues_held", "disclosures_published"}, obj{
					"activities_done": n, "cases_resolved": n, "commitments_kept": n, "dialogues_held": n, "disclosures_published": n,
				}),
				"districts": arrayOf(object([]string{"name", "communes"}, obj{"name": obj{"type": "string", "description": "Empty: not known."},
					"communes": arrayOf(object([]string{"code", "name", "disclosures_overdue"}, obj{"code": text, "name": text, "disclosures_overdue": n}))})),
			}),
			"PortalCommune": object([]string{"unit", "former_units", "disclosures", "disclosures_overdue", "progress", "dialogues"}, obj{
				"unit": obj{"type": "object"}, "former_district": text, "former_units": arrayOf(text),
				"disclosures": arrayOf(ref("Disclosure")), "disclosures_overdue": n,
				"cases": ref("ScoreLine"), "reports": ref("RateLine"), "commitments": ref("RateLine"),
				"progress": arrayOf(object([]string{"directive_id", "number", "title", "percent", "status"}, obj{
					"directive_id": id, "number": text, "title": text, "percent": obj{"type": "number"}, "status": progress})),
				"dialogues": arrayOf(object([]string{"id", "held_on", "topic"}, obj{"id": id, "held_on": date, "topic": text})),
			}),
		})
}

func (a *api) listDisclosures(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	in := service.DisclosureQuery{Category: q.Get("category"), OverdueOnly: q.Get("overdue") == "1"}
	if s := q.Get("unit"); s != "" {
		var err error
		if in.UnitID, err = strconv.ParseInt(s, 10, 64); err != nil || in.UnitID <= 0 {
			return badParam("unit", msgFieldBadInt)
		}
	}
	items, err := a.d.Svc.Disclosures.List(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, DisclosureList{Items: items})
}

func (a *api) createDisclosure(w http.ResponseWriter, r *http.Request) error {
	var in service.DisclosureInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Svc.Disclosures.Create(r.Context(), server.PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	a.d.Svc.Portal.Drop()
	return writeJSON(w, http.StatusCreated, d)
}

func (a *api) getDisclosure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.d.Svc.Disclosures.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) updateDisclosure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.DisclosureInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	d, err := a.d.Svc.Disclosures.Update(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	a.d.Svc.Portal.Drop()
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) withdrawDisclosure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in WithdrawInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Svc.Disclosures.Withdraw(r.Context(), server.PrincipalFrom(r.Context()), id, in.Reason, versionOf(r, in.Version))
	if err != nil {
		return editFail(w, err)
	}
	a.d.Svc.Portal.Drop()
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) getDisclosureFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := a.d.Svc.Disclosures.File(r.Context(), id)
	if err != nil {
		return err
	}
	server.SendFile(w, f.Name, f.ContentType, f.Data)
	return nil
}

func (a *api) putDisclosureFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if !isMultipart(r) {
		return newProblem(http.StatusUnsupportedMediaType, kindMediaType, detailBadForm)
	}
	if err := parseMultipart(w, r, service.MaxCaseFileSize+1<<20); err != nil {
		return err
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "file", msg: msgFieldRequired})
	}
	f, err := fhs[0].Open()
	if err != nil {
		return newProblem(http.StatusBadRequest, kindBadRequest, detailBadForm)
	}
	defer f.Close()
	d, err := a.d.Svc.Disclosures.AttachFile(r.Context(), server.PrincipalFrom(r.Context()), id, fhs[0].Filename, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) portalHome(w http.ResponseWriter, r *http.Request) error {
	h, err := a.d.Svc.Portal.Home(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, h)
}

func (a *api) portalCommune(w http.ResponseWriter, r *http.Request) error {
	c, err := a.d.Svc.Portal.Commune(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}
