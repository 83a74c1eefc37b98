package api

// "Dân vận khéo" models and examples: registration by a unit's officers,
// the criteria kept as data, evaluators' scores, recognition by level and
// year, replication by other units, and the public gallery of recognised
// models. Each handler decodes, calls one use case of service.Models and
// encodes.

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// ModelsPage is a page of models.
type ModelsPage = Page[service.Model]

// CriteriaBody is the body of PUT /models/criteria.
type CriteriaBody struct {
	Year     int                      `json:"year"`
	Field    string                   `json:"field"`
	Criteria []service.CriterionInput `json:"criteria"`
}

// VersionBody is a body carrying only the version seen.
type VersionBody struct {
	Version int `json:"version"`
}

// EvaluatorBody names a user to assign.
type EvaluatorBody struct {
	Username string `json:"username"`
}

func modelsFeature() feature {
	id := obj{"type": "integer", "format": "int64"}
	date := obj{"type": "string", "format": "date"}
	text := obj{"type": "string"}
	ver := obj{"type": "integer"}
	year := obj{"type": "integer", "minimum": 1990, "maximum": 2100}
	idP := paramRef("id")
	c := paramRef("csrf")
	read := "A model not yet recognised is read by its unit's staff (report.read), the steering body (directive.manage) and its evaluators; others are answered 404. "
	filters := []obj{
		param("field", "query", "Only this field.", obj{"type": "string", "enum": service.ModelFields}, false),
		param("level", "query", "Only models recognised at this level.", obj{"type": "string", "enum": service.ModelLevels}, false),
		param("year", "query", "Only models recognised this year.", year, false),
		param("commune", "query", "Only models placed in this commune or ward.", id, false),
		paramRef("limit"), paramRef("offset"), paramRef("page"),
	}
	result := object([]string{"label", "value", "unit"}, obj{"label": text, "value": obj{"type": "number"}, "unit": text})
	recognition := object([]string{"model_id", "level", "year", "decision_no", "decided_on", "commendation"}, obj{
		"model_id": id, "level": obj{"type": "string", "enum": service.ModelLevels}, "year": year, "decision_no": text, "decided_on": date, "commendation": text})
	file := object([]string{"id", "model_id", "kind", "name", "content_type", "size", "sha256"}, obj{
		"id": id, "model_id": id, "kind": obj{"type": "string", "enum": []string{service.ModelFilePhoto, service.ModelFileDocument}}, "name": text, "caption": text,
		"content_type": text, "size": obj{"type": "integer"}, "sha256": obj{"type": "string", "description": "Of the stored bytes (a photo's 1600 px version)."},
		"width": obj{"type": "integer"}, "height": obj{"type": "integer"}, "thumb_width": obj{"type": "integer"}, "thumb_height": obj{"type": "integer"},
	})
	model := obj{
		"id": id, "kind": obj{"type": "string", "enum": service.ModelKinds}, "name": text, "field": obj{"type": "string", "enum": service.ModelFields},
		"unit_id": id, "unit_name": text, "place_unit_id": id, "place_name": text, "commune_id": id, "period_from": date, "period_to": date,
		"summary": text, "description": text, "results": arrayOf(ref("ModelResult")), "links": arrayOf(obj{"type": "string", "format": "uri"}),
		"status": obj{"type": "string", "enum": service.ModelStatuses}, "version": ver, "updated_at": obj{"type": "string", "format": "date-time"},
		"recognition": ref("ModelRecognition"), "cover": ref("ModelFile"),
	}
	modelReq := []string{"id", "kind", "name", "field", "unit_id", "unit_name", "period_from", "summary", "description", "results", "links", "status", "version"}
	view := obj{
		"files":          arrayOf(ref("ModelFile")),
		"evaluators":     arrayOf(object([]string{"user_id", "username", "full_name"}, obj{"user_id": id, "username": text, "full_name": text})),
		"evaluations":    arrayOf(ref("ModelEvaluation")),
		"replications":   arrayOf(ref("ModelReplication")),
		"average_tenths": obj{"type": "integer", "description": "Mean of the evaluations' totals, in tenths of a point out of 100."},
	}
	for k, v := range model {
		view[k] = v
	}
	score := object([]string{"criterion_id", "score"}, obj{"criterion_id": id, "score": obj{"type": "integer", "minimum": 0, "maximum": 10}, "comment": text})
	return newFeature("models", "“Dân vận khéo” models and examples (DOMAIN §5): a unit registers a collective model or an individual example with figures and evidence; "+
		"the province keeps weighted criteria per year and field; assigned evaluators score; the steering body recognises at commune or province level; other units replicate. "+
		"Only recognised models are public.",
		[]route{
			{"GET", Prefix + "/public/models", false, (*api).publicModels},
			{"GET", Prefix + "/public/models/{id}", false, (*api).publicModel},
			{"GET", Prefix + "/models", true, (*api).listModels},
			{"POST", Prefix + "/models", true, (*api).createModel},
			{"GET", Prefix + "/models/criteria", false, (*api).modelCriteria},
			{"PUT", Prefix + "/models/criteria", true, (*api).setModelCriteria},
			{"GET", Prefix + "/models/{id}", true, (*api).getModel},
			{"PUT", Prefix + "/models/{id}", true, (*api).updateModel},
			{"POST", Prefix + "/models/{id}/submit", true, (*api).submitModel},
			{"POST", Prefix + "/models/{id}/evaluators", true, (*api).assignModelEvaluator},
			{"POST", Prefix + "/models/{id}/evaluations", true, (*api).evaluateModel},
			{"POST", Prefix + "/models/{id}/recognition", true, (*api).recogniseModel},
			{"POST", Prefix + "/models/{id}/replications", true, (*api).replicateModel},
			{"POST", Prefix + "/models/{id}/files", true, (*api).addModelFile},
			{"DELETE", Prefix + "/models/{id}/files/{file}", true, (*api).deleteModelFile},
		},
		map[string]op{
			"GET " + Prefix + "/public/models": {
				tag: "models", summary: "The public gallery: recognised models (public)",
				desc:   "Recognised models, newest recognition year first, each with its first photo (cover). Pictures are served by the web door at /dan-van-kheo/anh/{file}/{first 16 hex of sha256}/{1600|480}, cached for a year.",
				params: filters, status: 200, schema: pageOf(ref("Model")), errs: []int{400, 422}, security: optionalAuth,
			},
			"GET " + Prefix + "/public/models/{id}": {
				tag: "models", summary: "A recognised model as the public sees it (public)",
				desc:   "Photos only (no documents), the recognition and the replications; no evaluator or score. A model not recognised answers 404.",
				params: []obj{idP}, status: 200, schema: ref("ModelView"), errs: []int{404}, security: optionalAuth,
			},
			"GET " + Prefix + "/models": {
				tag: "models", summary: "The models the caller may read",
				desc:   "Those of the units where the caller reads reports or steers the movement, and those the caller evaluates.",
				params: append([]obj{param("status", "query", "Only this status.", obj{"type": "string", "enum": service.ModelStatuses}, false)}, filters...),
				status: 200, schema: pageOf(ref("Model")), errs: []int{400, 401, 422},
			},
			"POST " + Prefix + "/models": {
				tag: "models", summary: "Register a model or example (report.edit on its unit)",
				desc:   "It starts as a draft. Empty rows of results and links are dropped. Audited.",
				params: []obj{c}, body: "ModelInput", status: 201, schema: ref("Model"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/models/criteria": {
				tag: "models", summary: "The criteria of a year and field (public)",
				params: []obj{param("year", "query", "The year.", year, true), param("field", "query", "The field.", obj{"type": "string", "enum": service.ModelFields}, true)},
				status: 200, schema: object([]string{"items"}, obj{"items": arrayOf(ref("ModelCriterion"))}), errs: []int{400, 422}, security: optionalAuth,
			},
			"PUT " + Prefix + "/models/criteria": {
				tag: "models", summary: "Replace the criteria of a year and field (template.manage on the province)",
				desc:   "Codes unique, weights 1–100 adding up to 100 (422 otherwise). Audited.",
				params: []obj{c}, body: "CriteriaBody", status: 200, schema: object([]string{"items"}, obj{"items": arrayOf(ref("ModelCriterion"))}), errs: []int{400, 401, 403, 413, 415, 422},
			},
			"GET " + Prefix + "/models/{id}": {
				tag: "models", summary: "A model with its files, evaluators, scores and replications",
				desc:   read + "Others who may not read it internally see a recognised model as the public does.",
				params: []obj{idP}, status: 200, schema: ref("ModelView"), errs: []int{401, 404},
			},
			"PUT " + Prefix + "/models/{id}": {
				tag: "models", summary: "Edit a draft (report.edit on its unit)",
				desc:   read + "Every field of ModelInput with the version seen (409 when it moved); a model not in draft answers 422. Audited.",
				params: []obj{idP, c}, body: "ModelInput", status: 200, schema: ref("Model"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/models/{id}/submit": {
				tag: "models", summary: "Submit a draft for evaluation (report.edit on its unit)",
				desc:   "Needs a description and at least one figure. Audited.",
				params: []obj{idP, c}, body: "VersionBody", status: 200, schema: ref("Model"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/models/{id}/evaluators": {
				tag: "models", summary: "Assign an evaluator by user name (directive.manage on the model's unit)",
				desc:   "The model must be under evaluation. Audited.",
				params: []obj{idP, c}, body: "EvaluatorBody", status: 204, errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"POST " + Prefix + "/models/{id}/evaluations": {
				tag: "models", summary: "Score a model against the criteria of a year (assigned evaluators)",
				desc:   "Every criterion of the year and the model's field scored once, 0–10; the total is the weighted score in tenths of a point out of 100. A second call replaces the caller's scores. Audited.",
				params: []obj{idP, c}, body: "EvaluationInput", status: 200, schema: ref("ModelEvaluation"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"POST " + Prefix + "/models/{id}/recognition": {
				tag: "models", summary: "Record the recognition decision",
				desc: "The model must be under evaluation with at least one evaluation. Commune level needs directive.manage on the commune the model lies in (422 when it lies in none), " +
					"province level on the province. The decision date is not in the future. With the version seen (409 when it moved). Audited.",
				params: []obj{idP, c}, body: "RecognitionInput", status: 200, schema: ref("Model"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/models/{id}/replications": {
				tag: "models", summary: "Record (or update) a unit replicating a recognised model (report.edit on that unit)",
				params: []obj{idP, c}, body: "ReplicationInput", status: 200, schema: ref("ModelReplication"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"POST " + Prefix + "/models/{id}/files": {
				tag: "models", summary: "Add a photo or document (report.edit on the model's unit; multipart/form-data, parts \"file\" and \"caption\")",
				desc: "Judged by content like case files (10 MiB at most, 20 files a model). A picture is re-encoded as a 1600 px version and a 480 px thumbnail; " +
					"the original and its metadata (EXIF, GPS) are not kept. Audited.",
				params: []obj{idP, c}, form: "ModelFileUpload", status: 201, schema: ref("ModelFile"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"DELETE " + Prefix + "/models/{id}/files/{file}": {
				tag: "models", summary: "Remove a file of a model not yet recognised (report.edit on its unit)",
				params: []obj{idP, param("file", "path", "The file's id.", id, true), c}, status: 204, errs: []int{400, 401, 403, 404, 422},
			},
		},
		obj{
			"ModelResult":      result,
			"ModelRecognition": recognition,
			"ModelFile":        file,
			"Model":            object(modelReq, model),
			"ModelView":        object(append(modelReq, "files", "replications"), view),
			"ModelInput": object([]string{"kind", "name", "field", "unit_id", "period_from"}, obj{
				"kind": obj{"type": "string", "enum": service.ModelKinds}, "name": obj{"type": "string", "maxLength": service.MaxModelLine},
				"field": obj{"type": "string", "enum": service.ModelFields}, "unit_id": id, "place_unit_id": id,
				"period_from": date, "period_to": date, "summary": obj{"type": "string", "maxLength": service.MaxModelSummary}, "description": text,
				"results": obj{"type": "array", "maxItems": service.MaxModelResults, "items": ref("ModelResult")},
				"links":   obj{"type": "array", "maxItems": service.MaxModelLinks, "items": obj{"type": "string", "format": "uri"}},
				"version": obj{"type": "integer", "description": "On update: the version seen."},
			}),
			"ModelCriterion": object([]string{"id", "year", "field", "code", "name", "weight", "guidance"}, obj{
				"id": id, "year": year, "field": obj{"type": "string", "enum": service.ModelFields}, "code": text, "name": text,
				"weight": obj{"type": "integer", "minimum": 1, "maximum": 100}, "guidance": text}),
			"CriteriaBody": object([]string{"year", "field", "criteria"}, obj{"year": year, "field": obj{"type": "string", "enum": service.ModelFields},
				"criteria": obj{"type": "array", "minItems": 1, "maxItems": service.MaxModelCriteria, "items": object([]string{"code", "name", "weight"}, obj{
					"code": text, "name": text, "weight": obj{"type": "integer", "minimum": 1, "maximum": 100}, "guidance": text})}}),
			"VersionBody":     object([]string{"version"}, obj{"version": ver}),
			"EvaluatorBody":   object([]string{"username"}, obj{"username": text}),
			"ModelScore":      score,
			"EvaluationInput": object([]string{"year", "scores"}, obj{"year": year, "scores": arrayOf(ref("ModelScore")), "comment": text}),
			"ModelEvaluation": object([]string{"id", "model_id", "evaluator_id", "scores", "total_tenths"}, obj{
				"id": id, "model_id": id, "evaluator_id": id, "evaluator_name": text, "scores": arrayOf(ref("ModelScore")), "comment": text,
				"total_tenths": obj{"type": "integer", "minimum": 0, "maximum": 1000, "description": "Weighted score in tenths of a point out of 100."},
				"updated_at":   obj{"type": "string", "format": "date-time"}}),
			"RecognitionInput": object([]string{"level", "year", "decision_no", "decided_on", "version"}, obj{
				"level": obj{"type": "string", "enum": service.ModelLevels}, "year": year, "decision_no": text, "decided_on": date, "commendation": text, "version": ver}),
			"ReplicationInput": object([]string{"unit_id", "started_on", "status"}, obj{
				"unit_id": id, "started_on": date, "status": obj{"type": "string", "enum": service.ReplicationStatuses}, "note": text}),
			"ModelReplication": object([]string{"id", "model_id", "unit_id", "unit_name", "started_on", "status", "note"}, obj{
				"id": id, "model_id": id, "unit_id": id, "unit_name": text, "started_on": date, "status": obj{"type": "string", "enum": service.ReplicationStatuses}, "note": text}),
			"ModelFileUpload": object([]string{"file"}, obj{"file": obj{"type": "string", "format": "binary"}, "caption": text}),
		})
}

// modelFilter reads the list filters and the window.
func modelFilter(q url.Values) (service.ModelListFilter, page, error) {
	p, err := pageParams(q, false)
	if err != nil {
		return service.ModelListFilter{}, p, err
	}
	p.Limit = min(p.Limit, 100)
	f := service.ModelListFilter{Field: q.Get("field"), Level: q.Get("level"), Status: q.Get("status"), Limit: p.Limit, Offset: p.Offset}
	if s := q.Get("year"); s != "" {
		if f.Year, err = strconv.Atoi(s); err != nil {
			return f, p, badParam("year", msgFieldBadInt)
		}
	}
	if s := q.Get("commune"); s != "" {
		if f.CommuneID, err = strconv.ParseInt(s, 10, 64); err != nil || f.CommuneID <= 0 {
			return f, p, badParam("commune", msgFieldBadInt)
		}
	}
	return f, p, nil
}

func (a *api) publicModels(w http.ResponseWriter, r *http.Request) error {
	f, p, err := modelFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.Status = ""
	items, total, err := a.d.Svc.Models.Gallery(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, p))
}

func (a *api) publicModel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.d.Svc.Models.Public(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (a *api) listModels(w http.ResponseWriter, r *http.Request) error {
	f, p, err := modelFilter(r.URL.Query())
	if err != nil {
		return err
	}
	items, total, err := a.d.Svc.Models.List(r.Context(), server.PrincipalFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, p))
}

func (a *api) createModel(w http.ResponseWriter, r *http.Request) error {
	var in service.ModelInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := a.d.Svc.Models.Create(r.Context(), server.PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (a *api) modelCriteria(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil {
		return badParam("year", msgFieldBadInt)
	}
	cs, err := a.d.Svc.Models.Criteria(r.Context(), year, q.Get("field"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": cs})
}

func (a *api) setModelCriteria(w http.ResponseWriter, r *http.Request) error {
	var in CriteriaBody
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	cs, err := a.d.Svc.Models.SetCriteria(r.Context(), server.PrincipalFrom(r.Context()), in.Year, in.Field, in.Criteria)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": cs})
}

func (a *api) getModel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.d.Svc.Models.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (a *api) updateModel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.ModelInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	m, err := a.d.Svc.Models.Update(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, m)
}

func (a *api) submitModel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in VersionBody
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := a.d.Svc.Models.Submit(r.Context(), server.PrincipalFrom(r.Context()), id, versionOf(r, in.Version))
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, m)
}

func (a *api) assignModelEvaluator(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in EvaluatorBody
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Svc.Models.AssignEvaluator(r.Context(), server.PrincipalFrom(r.Context()), id, in.Username); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) evaluateModel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.EvaluationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := a.d.Svc.Models.Evaluate(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (a *api) recogniseModel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.RecognitionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	m, err := a.d.Svc.Models.Recognise(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, m)
}

func (a *api) replicateModel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.ReplicationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	rep, err := a.d.Svc.Models.Replicate(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (a *api) addModelFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p := server.PrincipalFrom(r.Context())
	// Check access before reading a large body.
	if _, err := a.d.Svc.Models.Get(r.Context(), p, id); err != nil {
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
	data, err := readPart(fhs[0], service.MaxCaseFileSize)
	if err != nil {
		return err
	}
	f, err := a.d.Svc.Models.AddFile(r.Context(), p, id, service.UploadFile{Name: fhs[0].Filename, Data: data}, r.FormValue("caption"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

func (a *api) deleteModelFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "file")
	if err != nil {
		return err
	}
	if err := a.d.Svc.Models.DeleteFile(r.Context(), server.PrincipalFrom(r.Context()), id, fid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
