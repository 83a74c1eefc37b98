package api

// Consultation on drafts: the drafting unit's routes (create, passages,
// publish, moderation, answers, synthesis) and the public ones (the list,
// a draft passage by passage with its published comments, commenting
// while open, the criticism files, the synthesis and its DOCX report).
// Each handler decodes, calls one use case of service.Consult and encodes.

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Consultations is the answer of GET /consultations and GET /public/consultations.
type Consultations struct {
	Items []service.Consultation `json:"items"`
}

// PassagesUpdate is the body of PUT /consultations/{id}/passages.
type PassagesUpdate struct {
	Version  int                    `json:"version"`
	Passages []service.PassageInput `json:"passages"`
}

// ConsultStep is the body of /publish and /synthesis.
type ConsultStep struct {
	Version   int    `json:"version"`
	Synthesis string `json:"synthesis"`
}

// CriticismCreate is the body of POST /consultations/{id}/criticisms; the
// file comes base64-encoded.
type CriticismCreate struct {
	UnitID   int64  `json:"unit_id"`
	Number   string `json:"number"`
	IssuedOn string `json:"issued_on"`
	Summary  string `json:"summary"`
	FileName string `json:"file_name"`
	File     []byte `json:"file"`
}

// SynthesisAnswer is the answer of GET /consultations/{id}/synthesis.
type SynthesisAnswer struct {
	Rows    []service.SynthesisRow  `json:"rows"`
	Answers []service.ConsultAnswer `json:"answers"`
}

// Anyone may comment on an open draft.
func init() { publicWrites["POST "+Prefix+"/consultations/{id}/comments"] = true }

func consultFeature() feature {
	id := obj{"type": "integer", "format": "int64"}
	ids := arrayOf(id)
	date := obj{"type": "string", "format": "date"}
	text := obj{"type": "string"}
	integer := obj{"type": "integer"}
	phases := []string{service.PhaseDraft, service.PhaseUpcoming, service.PhaseOpen, service.PhaseClosed, service.PhaseSynthesised}
	manage := "Needs plan.edit on the drafting unit (a draft is answered 404 to anyone else). "
	edit := []int{400, 401, 403, 404, 409, 413, 415, 422}
	cid := param("cid", "path", "The criticism document's id.", id, true)
	return newFeature("consult", "Consultation on drafts (Law 10/2022/QH15 Art. 25): drafts split into passages with a comment period in Vietnam time, comments moderated by the drafting unit, social-criticism documents of the Fatherland Front and the mass organisations, answers (taken in, partly, not taken in) and the synthesis report as DOCX.",
		[]route{
			{"GET", Prefix + "/consultations", true, (*api).listConsultations},
			{"POST", Prefix + "/consultations", true, (*api).createConsultation},
			{"GET", Prefix + "/consultations/{id}", false, (*api).getConsultation},
			{"PUT", Prefix + "/consultations/{id}", true, (*api).updateConsultation},
			{"PUT", Prefix + "/consultations/{id}/passages", true, (*api).setPassages},
			{"POST", Prefix + "/consultations/{id}/publish", true, (*api).publishConsultation},
			{"POST", Prefix + "/consultations/{id}/synthesis", true, (*api).synthesiseConsultation},
			{"GET", Prefix + "/consultations/{id}/synthesis", false, (*api).consultationSynthesis},
			{"GET", Prefix + "/consultations/{id}/synthesis.docx", false, (*api).consultationDOCX},
			{"POST", Prefix + "/consultations/{id}/comments", false, (*api).commentConsultation},
			{"POST", Prefix + "/consultation-comments/{id}/moderation", true, (*api).moderateComment},
			{"POST", Prefix + "/consultations/{id}/criticisms", true, (*api).addCriticism},
			{"GET", Prefix + "/consultations/{id}/criticisms/{cid}/file", false, (*api).criticismFile},
			{"POST", Prefix + "/consultations/{id}/answers", true, (*api).answerComments},
			{"GET", Prefix + "/public/consultations", false, (*api).publicConsultations},
		},
		map[string]op{
			"GET " + Prefix + "/consultations": {
				tag: "consult", summary: "Consultations the caller manages, drafts included",
				status: 200, schema: ref("Consultations"), errs: []int{401},
			},
			"POST " + Prefix + "/consultations": {
				tag: "consult", summary: "Create a draft; its text is split into passages",
				desc:   "Needs plan.edit on the unit. text is split on chapters, sections, articles (\"Điều 5.\"), parts (\"I.\"), clauses (\"1.\") and points (\"a)\"). Audited.",
				params: []obj{paramRef("csrf")}, body: "ConsultInput", status: 201, schema: ref("ConsultDetail"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/consultations/{id}": {
				tag: "consult", summary: "A consultation passage by passage, with its comments, criticism documents and answers (public)",
				desc: "Anyone reads a published consultation: its published comments without contacts, and the answers once synthesised. " +
					"Those who manage it also see pending and rejected comments with contacts, and the answers at once.",
				params: []obj{paramRef("id")}, status: 200, schema: ref("ConsultDetail"), errs: []int{404}, security: optionalAuth,
			},
			"PUT " + Prefix + "/consultations/{id}": {
				tag: "consult", summary: "Change a draft not yet published",
				desc:   manage + "A non-empty text replaces the passages. The version seen comes in the body (409 when it moved).",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "ConsultInput", status: 200, schema: ref("ConsultDetail"), errs: edit,
			},
			"PUT " + Prefix + "/consultations/{id}/passages": {
				tag: "consult", summary: "Replace the passages of a draft with the drafter's corrected list",
				desc:   manage + "Empty passages are dropped.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "PassagesUpdate", status: 200, schema: ref("ConsultDetail"), errs: edit,
			},
			"POST " + Prefix + "/consultations/{id}/publish": {
				tag: "consult", summary: "Publish a draft for comment",
				desc:   manage + "Needs passages and a closing day not past.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "ConsultStep", status: 200, schema: ref("ConsultDetail"), errs: edit,
			},
			"POST " + Prefix + "/consultations/{id}/synthesis": {
				tag: "consult", summary: "Publish the synthesis once the period has closed",
				desc:   manage + "The answers become public.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "ConsultStep", status: 200, schema: ref("ConsultDetail"), errs: edit,
			},
			"GET " + Prefix + "/consultations/{id}/synthesis": {
				tag: "consult", summary: "Comments and answers counted by passage (public)",
				params: []obj{paramRef("id")}, status: 200, schema: ref("SynthesisAnswer"), errs: []int{404}, security: optionalAuth,
			},
			"GET " + Prefix + "/consultations/{id}/synthesis.docx": {
				tag: "consult", summary: "The report \"Báo cáo tổng hợp, giải trình, tiếp thu ý kiến\" as DOCX (public once synthesised)",
				desc:   "In the form of the drafting unit (the State form for a People's Committee or Council). Before the synthesis, to those who manage it only.",
				params: []obj{paramRef("id")}, status: 200, errs: []int{404}, security: optionalAuth,
			},
			"POST " + Prefix + "/consultations/{id}/comments": {
				tag: "consult", summary: "Comment on a passage or on the whole draft while open (public)",
				desc: "The comment waits for moderation. Anonymous authors give a name (shown) and may give a contact (never public); they are rate-limited per address (429). " +
					"A signed-in author's name defaults to their full name.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "CommentInput", status: 201, schema: ref("ConsultComment"),
				errs: []int{400, 404, 413, 415, 422, 429}, security: optionalAuth,
			},
			"POST " + Prefix + "/consultation-comments/{id}/moderation": {
				tag: "consult", summary: "Publish or reject a pending comment",
				desc:   manage + "A rejection gives its reason; a comment is moderated once.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "ModerateInput", status: 200, schema: ref("ConsultComment"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"POST " + Prefix + "/consultations/{id}/criticisms": {
				tag: "consult", summary: "File a social-criticism document of a Front or mass-organisation unit",
				desc:   "Needs plan.edit on that unit; not after the synthesis. The file (optional, base64) is checked by its content: PDF, Word, OpenDocument, images or text.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "CriticismCreate", status: 201, schema: ref("Criticism"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/consultations/{id}/criticisms/{cid}/file": {
				tag: "consult", summary: "The file of a criticism document, as a download (public)",
				params: []obj{paramRef("id"), cid}, status: 200, errs: []int{400, 404}, security: optionalAuth,
			},
			"POST " + Prefix + "/consultations/{id}/answers": {
				tag: "consult", summary: "Answer published comments and criticism documents together",
				desc:   manage + "Before the synthesis; each comment or document is answered once.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "AnswerInput", status: 201, schema: ref("ConsultAnswer"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/public/consultations": {
				tag: "consult", summary: "Published consultations, upcoming, open, closed and synthesised (public)",
				status: 200, schema: ref("Consultations"), security: optionalAuth,
			},
		},
		obj{
			"Consultations": object([]string{"items"}, obj{"items": arrayOf(ref("Consultation"))}),
			"Consultation": object([]string{"id", "unit_id", "unit_name", "kind", "title", "opens_on", "closes_on", "status", "phase", "version"}, obj{
				"id": id, "unit_id": id, "unit_name": text, "kind": obj{"type": "string", "enum": service.ConsultKinds}, "title": text, "summary": text,
				"opens_on": date, "closes_on": date, "status": obj{"type": "string", "enum": []string{service.ConsultDraft, service.ConsultPublished, service.ConsultSynthesised}},
				"phase":     obj{"type": "string", "enum": phases, "description": "Derived from the dates in Vietnam time."},
				"synthesis": text, "synthesised_on": date, "version": integer,
			}),
			"ConsultDetail": obj{"allOf": []obj{ref("Consultation"), object([]string{"passages", "comments", "criticisms", "answers", "manage"}, obj{
				"passages": arrayOf(ref("Passage")), "comments": arrayOf(ref("ConsultComment")), "criticisms": arrayOf(ref("Criticism")),
				"answers": arrayOf(ref("ConsultAnswer")), "manage": obj{"type": "boolean"},
			})}},
			"Passage": object([]string{"id", "ord", "level", "label", "text"}, obj{
				"id": id, "consultation_id": id, "ord": integer, "level": obj{"type": "integer", "minimum": 0, "maximum": 4, "description": "0 chapter, 1 section or part, 2 article, 3 clause, 4 point."},
				"label": text, "text": text,
			}),
			"ConsultComment": object([]string{"id", "consultation_id", "author_name", "organisation", "text", "status", "created_at"}, obj{
				"id": id, "consultation_id": id, "passage_id": id, "author_name": text, "contact": obj{"type": "string", "description": "To those who manage the consultation only."},
				"organisation": obj{"type": "boolean"}, "text": text, "status": obj{"type": "string", "enum": []string{service.CommentPending, service.CommentPublished, service.CommentRejected}},
				"reason": text, "answer_id": id, "created_at": obj{"type": "string", "format": "date-time"},
			}),
			"Criticism": object([]string{"id", "consultation_id", "unit_id", "unit_name", "number", "issued_on", "summary"}, obj{
				"id": id, "consultation_id": id, "unit_id": id, "unit_name": text, "number": text, "issued_on": date, "summary": text,
				"file_name": text, "content_type": text, "size": integer, "answer_id": id,
			}),
			"ConsultAnswer": object([]string{"id", "consultation_id", "verdict", "explanation", "comment_ids", "criticism_ids"}, obj{
				"id": id, "consultation_id": id, "verdict": obj{"type": "string", "enum": service.Verdicts}, "explanation": text, "comment_ids": ids, "criticism_ids": ids,
			}),
			"ConsultInput": object([]string{"kind", "title", "opens_on", "closes_on"}, obj{
				"unit_id": obj{"type": "integer", "format": "int64", "description": "On create only."}, "kind": obj{"type": "string", "enum": service.ConsultKinds},
				"title": obj{"type": "string", "maxLength": service.MaxConsultLine}, "summary": text, "opens_on": date, "closes_on": date,
				"text": obj{"type": "string", "maxLength": service.MaxDraftText, "description": "The whole draft, split into passages."}, "version": obj{"type": "integer", "description": "On update: the version seen."},
			}),
			"PassagesUpdate": object([]string{"version", "passages"}, obj{"version": integer, "passages": arrayOf(object(nil, obj{"level": integer, "label": text, "text": text}))}),
			"ConsultStep":    object([]string{"version"}, obj{"version": integer, "synthesis": obj{"type": "string", "description": "For /synthesis."}}),
			"CommentInput": object([]string{"text"}, obj{
				"passage_id": obj{"type": "integer", "format": "int64", "description": "0 or absent: the whole draft."}, "name": text, "contact": text,
				"organisation": obj{"type": "boolean", "description": "Comment on behalf of an organisation."}, "text": text,
			}),
			"ModerateInput": object([]string{"status"}, obj{"status": obj{"type": "string", "enum": []string{service.CommentPublished, service.CommentRejected}}, "reason": text}),
			"CriticismCreate": object([]string{"unit_id", "number", "issued_on", "summary"}, obj{
				"unit_id": id, "number": text, "issued_on": date, "summary": text, "file_name": text, "file": obj{"type": "string", "format": "byte"},
			}),
			"AnswerInput": object([]string{"verdict", "explanation"}, obj{
				"comment_ids": ids, "criticism_ids": ids, "verdict": obj{"type": "string", "enum": service.Verdicts}, "explanation": text,
			}),
			"SynthesisAnswer": object([]string{"rows", "answers"}, obj{"rows": arrayOf(object([]string{"label", "comments", "taken", "partly", "not_taken"}, obj{
				"passage_id": id, "label": text, "comments": integer, "taken": integer, "partly": integer, "not_taken": integer,
			})), "answers": arrayOf(ref("ConsultAnswer"))}),
		})
}

func (a *api) listConsultations(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.d.Svc.Consult.List(r.Context(), server.PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, Consultations{Items: cs})
}

func (a *api) publicConsultations(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.d.Svc.Consult.Public(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, Consultations{Items: cs})
}

func (a *api) createConsultation(w http.ResponseWriter, r *http.Request) error {
	var in service.ConsultInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Svc.Consult.CreateConsultation(r.Context(), server.PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

func (a *api) getConsultation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.d.Svc.Consult.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) updateConsultation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.ConsultInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	d, err := a.d.Svc.Consult.UpdateConsultation(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) setPassages(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in PassagesUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Svc.Consult.SetPassages(r.Context(), server.PrincipalFrom(r.Context()), id, versionOf(r, in.Version), in.Passages)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) consultStep(w http.ResponseWriter, r *http.Request, synthesis bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in ConsultStep
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, v := server.PrincipalFrom(r.Context()), versionOf(r, in.Version)
	var d service.ConsultDetail
	if synthesis {
		d, err = a.d.Svc.Consult.Synthesise(r.Context(), p, id, v, in.Synthesis)
	} else {
		d, err = a.d.Svc.Consult.Publish(r.Context(), p, id, v)
	}
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) publishConsultation(w http.ResponseWriter, r *http.Request) error {
	return a.consultStep(w, r, false)
}

func (a *api) synthesiseConsultation(w http.ResponseWriter, r *http.Request) error {
	return a.consultStep(w, r, true)
}

func (a *api) consultationSynthesis(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.d.Svc.Consult.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, SynthesisAnswer{Rows: service.Synthesis(d), Answers: d.Answers})
}

func (a *api) consultationDOCX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, name, err := a.d.Svc.Consult.SynthesisDOCX(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

func (a *api) commentConsultation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.CommentInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.d.Svc.Consult.Comment(r.Context(), caller(r), id, in)
	if err != nil {
		return tooMany(w, err)
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (a *api) moderateComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.ModerateInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.d.Svc.Consult.Moderate(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (a *api) addCriticism(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in CriticismCreate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ci := service.CriticismInput{UnitID: in.UnitID, Number: in.Number, IssuedOn: in.IssuedOn, Summary: in.Summary}
	if len(in.File) > 0 {
		ci.File = &service.FileInput{Name: in.FileName, Data: in.File}
	}
	k, err := a.d.Svc.Consult.AddCriticism(r.Context(), server.PrincipalFrom(r.Context()), id, ci)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}

func (a *api) criticismFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cid, err := pathID(r, "cid")
	if err != nil {
		return err
	}
	f, err := a.d.Svc.Consult.CriticismFile(r.Context(), server.PrincipalFrom(r.Context()), id, cid)
	if err != nil {
		return err
	}
	server.SendFile(w, f.Name, f.ContentType, f.Data)
	return nil
}

func (a *api) answerComments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.AnswerInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	an, err := a.d.Svc.Consult.Answer(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, an)
}
