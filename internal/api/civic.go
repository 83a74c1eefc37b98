package api

// Dialogues with the people (issues raised, commitments tracked to done)
// and grassroots mediation cases. Each handler decodes, calls one use case
// of service.Civic and encodes. Mediation parties appear only in the
// answers of /mediations, to those who may handle the commune's cases; the
// public endpoint lists public dialogues' minutes and commitments only.

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Dialogues is the answer of GET /dialogues.
type Dialogues struct {
	Items   []service.Dialogue   `json:"items"`
	Overdue []service.Commitment `json:"overdue"`
}

// Mediations is the answer of GET /mediations.
type Mediations struct {
	Items []service.Mediation `json:"items"`
}

// PublicDialogues is the answer of GET /public/dialogues.
type PublicDialogues struct {
	Items []service.PublicDialogue `json:"items"`
}

func civicFeature() feature {
	id := obj{"type": "integer", "format": "int64"}
	date := obj{"type": "string", "format": "date"}
	dateOpt := obj{"type": "string", "description": "YYYY-MM-DD; empty: today in Vietnam."}
	text := obj{"type": "string"}
	commitment := object([]string{"id", "dialogue_id", "owner_unit_id", "owner_unit_name", "text", "due_on", "status"}, obj{
		"id": id, "dialogue_id": id, "issue_id": id, "owner_unit_id": id, "owner_unit_name": text, "text": text, "due_on": date,
		"status":  obj{"type": "string", "enum": []string{service.CommitmentOpen, service.CommitmentDone, service.CommitmentOverdue}, "description": "overdue: open past due_on (derived)."},
		"done_on": date, "evidence": text,
	})
	mediationStep := "Needs plan.edit on the commune; anyone else is answered 404. The version seen comes in the body (409 when it moved). "
	return newFeature("civic", "Dialogues between heads and the people, with the issues raised and the commitments made (owner unit, deadline, done), and grassroots mediation cases of communes (Law 35/2013/QH13).",
		[]route{
			{"GET", Prefix + "/dialogues", true, (*api).listDialogues},
			{"POST", Prefix + "/dialogues", true, (*api).createDialogue},
			{"GET", Prefix + "/dialogues/{id}", true, (*api).getDialogue},
			{"PUT", Prefix + "/dialogues/{id}", true, (*api).updateDialogue},
			{"POST", Prefix + "/dialogues/{id}/issues", true, (*api).addDialogueIssue},
			{"POST", Prefix + "/dialogues/{id}/commitments", true, (*api).addCommitment},
			{"POST", Prefix + "/commitments/{id}/done", true, (*api).commitmentDone},
			{"GET", Prefix + "/mediations", true, (*api).listMediations},
			{"POST", Prefix + "/mediations", true, (*api).openMediation},
			{"GET", Prefix + "/mediations/{id}", true, (*api).getMediation},
			{"POST", Prefix + "/mediations/{id}/start", true, (*api).startMediation},
			{"POST", Prefix + "/mediations/{id}/outcome", true, (*api).mediationOutcome},
			{"GET", Prefix + "/mediations/{id}/agreement.docx", true, (*api).mediationAgreement},
			{"GET", Prefix + "/public/dialogues", false, (*api).publicDialogues},
		},
		map[string]op{
			"GET " + Prefix + "/dialogues": {
				tag: "civic", summary: "Dialogues the caller may read, and the overdue commitments",
				desc:   "Public dialogues and those of units where the caller has plan.read, newest first (without issues and commitments); overdue lists the open commitments past their due date the caller may read.",
				status: 200, schema: ref("Dialogues"), errs: []int{401},
			},
			"POST " + Prefix + "/dialogues": {
				tag: "civic", summary: "Record a dialogue of a unit",
				desc:   "Needs plan.edit on the unit (unit heads, unit officers, coordinators of the subtree, administrators). Audited.",
				params: []obj{paramRef("csrf")}, body: "DialogueInput", status: 201, schema: ref("Dialogue"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/dialogues/{id}": {
				tag: "civic", summary: "A dialogue with its issues and commitments",
				desc:   "A public dialogue is readable by anyone signed in; another needs plan.read on its unit (404 otherwise).",
				params: []obj{paramRef("id")}, status: 200, schema: ref("Dialogue"), errs: []int{401, 404},
			},
			"PUT " + Prefix + "/dialogues/{id}": {
				tag: "civic", summary: "Change a dialogue (minutes, status, public flag…)",
				desc:   "Every field of DialogueInput but unit_id, with the version seen (409 when it moved). Needs plan.edit on the unit. Audited.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "DialogueInput", status: 200, schema: ref("Dialogue"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/dialogues/{id}/issues": {
				tag: "civic", summary: "Record an issue the people raised",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "IssueInput", status: 201, schema: ref("DialogueIssue"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"POST " + Prefix + "/dialogues/{id}/commitments": {
				tag: "civic", summary: "Record a commitment: owner unit, text, due date, optionally the issue it answers",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "CommitmentInput", status: 201, schema: ref("Commitment"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"POST " + Prefix + "/commitments/{id}/done": {
				tag: "civic", summary: "Mark a commitment done",
				desc:   "Needs plan.edit on the owner unit or on the dialogue's unit. A commitment already done answers 422. Audited.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "CommitmentDone", status: 200, schema: ref("Commitment"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/mediations": {
				tag: "civic", summary: "Mediation cases of the communes where the caller has plan.edit",
				status: 200, schema: ref("Mediations"), errs: []int{401},
			},
			"POST " + Prefix + "/mediations": {
				tag: "civic", summary: "Open a mediation case in a commune",
				desc: "The unit must be commune-level (commune, ward, township, special zone) and the caller must have plan.edit on it. At least two parties. " +
					"start_due is assigned_on plus the period of deadline rule mediation.start in force on assigned_on. Audited without the parties.",
				params: []obj{paramRef("csrf")}, body: "MediationInput", status: 201, schema: ref("Mediation"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/mediations/{id}": {
				tag: "civic", summary: "A mediation case with its parties",
				desc:   mediationStep,
				params: []obj{paramRef("id")}, status: 200, schema: ref("Mediation"), errs: []int{401, 404},
			},
			"POST " + Prefix + "/mediations/{id}/start": {
				tag: "civic", summary: "Record the day mediation started",
				desc:   mediationStep + "Once, not before assigned_on.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "MediationStep", status: 200, schema: ref("Mediation"), errs: []int{400, 401, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/mediations/{id}/outcome": {
				tag: "civic", summary: "Record the outcome: success (with the agreement), failure or ended",
				desc:   mediationStep + "Once, after the start; success needs the agreement text.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "MediationStep", status: 200, schema: ref("Mediation"), errs: []int{400, 401, 404, 409, 413, 415, 422},
			},
			"GET " + Prefix + "/mediations/{id}/agreement.docx": {
				tag: "civic", summary: "The record of a successful mediation (Biên bản hòa giải thành) as DOCX",
				desc: "application/vnd.openxmlformats-officedocument.wordprocessingml.document: the national title and motto, the mediation team, place and date, " +
					"the mediators, the parties, the dispute, the content agreed and the signature table. " + mediationStep + "A case without a successful outcome answers 422.",
				params: []obj{paramRef("id")}, status: 200, errs: []int{401, 404, 422},
			},
			"GET " + Prefix + "/public/dialogues": {
				tag: "civic", summary: "Public dialogues: minutes and commitments (public)",
				desc:   "The dialogues marked public, newest first (at most limit, 200 by default), each with its minutes and commitments. Never any mediation data.",
				params: []obj{param("limit", "query", "At most this many dialogues (1–200).", obj{"type": "integer", "minimum": 1, "maximum": 200}, false)},
				status: 200, schema: ref("PublicDialogues"), errs: []int{400}, security: optionalAuth,
			},
		},
		obj{
			"Dialogues":  object([]string{"items", "overdue"}, obj{"items": arrayOf(ref("Dialogue")), "overdue": arrayOf(ref("Commitment"))}),
			"Mediations": object([]string{"items"}, obj{"items": arrayOf(ref("Mediation"))}),
			"Dialogue": object([]string{"id", "unit_id", "unit_name", "held_on", "topic", "public", "status", "version"}, obj{
				"id": id, "unit_id": id, "unit_name": text, "held_on": date, "topic": text, "chair": text, "participants": text, "public": obj{"type": "boolean"},
				"minutes": text, "status": obj{"type": "string", "enum": service.DialogueStatuses}, "version": obj{"type": "integer"},
				"issues": nullable("array", obj{"items": ref("DialogueIssue")}), "commitments": nullable("array", obj{"items": ref("Commitment")}),
			}),
			"DialogueInput": object([]string{"held_on", "topic"}, obj{
				"unit_id": obj{"type": "integer", "format": "int64", "description": "On create only."}, "held_on": date, "topic": obj{"type": "string", "maxLength": service.MaxCivicLine},
				"chair": text, "participants": text, "public": obj{"type": "boolean"}, "minutes": text,
				"status": obj{"type": "string", "enum": service.DialogueStatuses}, "version": obj{"type": "integer", "description": "On update: the version seen."},
			}),
			"DialogueIssue": object([]string{"id", "dialogue_id", "text"}, obj{"id": id, "dialogue_id": id, "raised_by": text, "text": text}),
			"IssueInput":    object([]string{"text"}, obj{"raised_by": text, "text": text}),
			"Commitment":    commitment,
			"CommitmentInput": object([]string{"owner_unit_id", "text", "due_on"}, obj{
				"issue_id": id, "owner_unit_id": id, "text": text, "due_on": date,
			}),
			"CommitmentDone": object(nil, obj{"done_on": dateOpt, "evidence": text}),
			"Party":          object([]string{"name"}, obj{"name": text, "role": text}),
			"Mediation": object([]string{"id", "unit_id", "unit_name", "parties", "dispute_kind", "summary", "mediators", "assigned_on", "start_due", "late", "version"}, obj{
				"id": id, "unit_id": id, "unit_name": text, "village": text, "parties": arrayOf(ref("Party")),
				"dispute_kind": obj{"type": "string", "enum": service.DisputeKinds}, "summary": text, "mediators": text,
				"assigned_on": date, "start_due": date, "started_on": date,
				"outcome": obj{"type": "string", "enum": service.MediationOutcomes}, "outcome_on": date, "agreement": text,
				"late": obj{"type": "boolean", "description": "Not started by start_due."}, "version": obj{"type": "integer"},
			}),
			"MediationInput": object([]string{"unit_id", "parties", "dispute_kind", "summary", "mediators", "assigned_on"}, obj{
				"unit_id": id, "village": text, "parties": arrayOf(ref("Party")), "dispute_kind": obj{"type": "string", "enum": service.DisputeKinds},
				"summary": text, "mediators": obj{"type": "string", "description": "Names, one a line or separated by commas."}, "assigned_on": date,
			}),
			"MediationStep": object([]string{"version"}, obj{
				"version": obj{"type": "integer"}, "on": dateOpt,
				"outcome": obj{"type": "string", "enum": service.MediationOutcomes, "description": "For /outcome."}, "agreement": obj{"type": "string", "description": "For /outcome; required for success."},
			}),
			"PublicDialogues": object([]string{"items"}, obj{"items": arrayOf(object([]string{"id", "unit_name", "held_on", "topic", "minutes", "status", "commitments"}, obj{
				"id": id, "unit_name": text, "held_on": date, "topic": text, "chair": text, "minutes": text,
				"status": obj{"type": "string", "enum": service.DialogueStatuses}, "commitments": arrayOf(ref("Commitment")),
			}))}),
		})
}

func (a *api) listDialogues(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	ds, err := a.d.Svc.Civic.ListDialogues(r.Context(), p)
	if err != nil {
		return err
	}
	over, err := a.d.Svc.Civic.OverdueCommitments(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, Dialogues{Items: ds, Overdue: over})
}

func (a *api) createDialogue(w http.ResponseWriter, r *http.Request) error {
	var in service.DialogueInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Svc.Civic.CreateDialogue(r.Context(), server.PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

func (a *api) getDialogue(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.d.Svc.Civic.GetDialogue(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) updateDialogue(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.DialogueInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	d, err := a.d.Svc.Civic.UpdateDialogue(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *api) addDialogueIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.IssueInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	i, err := a.d.Svc.Civic.AddIssue(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, i)
}

func (a *api) addCommitment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.CommitmentInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.d.Svc.Civic.AddCommitment(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (a *api) commitmentDone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.DoneInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.d.Svc.Civic.CompleteCommitment(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (a *api) listMediations(w http.ResponseWriter, r *http.Request) error {
	ms, err := a.d.Svc.Civic.ListMediations(r.Context(), server.PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, Mediations{Items: ms})
}

func (a *api) openMediation(w http.ResponseWriter, r *http.Request) error {
	var in service.MediationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := a.d.Svc.Civic.OpenMediation(r.Context(), server.PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (a *api) getMediation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := a.d.Svc.Civic.GetMediation(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

func (a *api) mediationStep(w http.ResponseWriter, r *http.Request, outcome bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.StepInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := server.PrincipalFrom(r.Context())
	var m service.Mediation
	if outcome {
		m, err = a.d.Svc.Civic.RecordOutcome(r.Context(), p, id, in)
	} else {
		m, err = a.d.Svc.Civic.StartMediation(r.Context(), p, id, in)
	}
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, m)
}

func (a *api) startMediation(w http.ResponseWriter, r *http.Request) error {
	return a.mediationStep(w, r, false)
}

func (a *api) mediationOutcome(w http.ResponseWriter, r *http.Request) error {
	return a.mediationStep(w, r, true)
}

func (a *api) mediationAgreement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, name, err := a.d.Svc.Civic.AgreementDOCX(r.Context(), server.PrincipalFrom(r.Context()), id)
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

func (a *api) publicDialogues(w http.ResponseWriter, r *http.Request) error {
	limit := 0
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			return newProblem(http.StatusBadRequest, kindBadRequest, "civic.err.limit")
		}
		limit = n
	}
	ds, err := a.d.Svc.Civic.PublicDialogues(r.Context(), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, PublicDialogues{Items: ds})
}
