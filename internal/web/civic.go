package web

// Dialogues with the people and grassroots mediation: /dialogues (list,
// overdue commitments, new form), /dialogues/{id} (minutes, issues,
// commitments with their done forms), /mediations (list and new case) and
// /mediations/{id} (start, outcome, the agreement record as DOCX). Every
// rule lives in service.Civic; these handlers read forms and render.

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func civicFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /dialogues", w.dialoguesPage)
		mux.HandleFunc("POST /dialogues", w.dialogueCreate)
		mux.HandleFunc("GET /dialogues/{id}", w.dialoguePage)
		mux.HandleFunc("POST /dialogues/{id}", w.dialogueUpdate)
		mux.HandleFunc("POST /dialogues/{id}/issues", w.dialogueIssue)
		mux.HandleFunc("POST /dialogues/{id}/commitments", w.dialogueCommitment)
		mux.HandleFunc("POST /commitments/{id}/done", w.commitmentDone)
		mux.HandleFunc("GET /mediations", w.mediationsPage)
		mux.HandleFunc("POST /mediations", w.mediationCreate)
		mux.HandleFunc("GET /mediations/{id}", w.mediationPage)
		mux.HandleFunc("POST /mediations/{id}/start", w.mediationStart)
		mux.HandleFunc("POST /mediations/{id}/outcome", w.mediationOutcome)
		mux.HandleFunc("GET /mediations/{id}/agreement.docx", w.mediationDOCX)
	}
}

// civicForm is a posted form as typed, and the messages of its fields.
type civicForm struct {
	Values map[string]string
	Errors map[string]string
	// Which form on the page the errors belong to.
	Which string
}

func postedForm(r *http.Request, which string) civicForm {
	f := civicForm{Values: map[string]string{}, Which: which}
	for k, v := range r.PostForm {
		if k != "csrf" && len(v) > 0 {
			f.Values[k] = v[0]
		}
	}
	return f
}

// invalid fills f's errors from err and reports whether err was an invalid input.
func (f *civicForm) invalid(r *http.Request, err error) bool {
	inv, ok := service.AsInvalid(err)
	if ok {
		f.Errors = FieldMessages(server.LocaleFrom(r.Context()), inv)
	}
	return ok
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}

type dialoguesData struct {
	Items   []service.Dialogue
	Overdue []service.Commitment
	Units   []org.Unit
	Form    civicForm
}

func (w *Web) dialoguesPage(rw http.ResponseWriter, r *http.Request) {
	w.renderDialogues(rw, r, http.StatusOK, civicForm{Values: map[string]string{"status": service.DialoguePlanned}})
}

func (w *Web) renderDialogues(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	c := w.d.Svc.Civic
	items, err := c.ListDialogues(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	over, err := c.OverdueCommitments(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "civic_dialogues", w.page(rw, r, "civic.dialogues", dialoguesData{Items: items, Overdue: over, Units: c.DialogueUnits(p), Form: f}))
}

func dialogueInput(r *http.Request) service.DialogueInput {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return service.DialogueInput{UnitID: formID(r, "unit_id"), HeldOn: r.PostFormValue("held_on"), Topic: r.PostFormValue("topic"),
		Chair: r.PostFormValue("chair"), Participants: r.PostFormValue("participants"), Public: r.PostFormValue("public") != "",
		Minutes: r.PostFormValue("minutes"), Status: r.PostFormValue("status"), Version: v}
}

func (w *Web) dialogueCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	d, err := w.d.Svc.Civic.CreateDialogue(r.Context(), server.PrincipalFrom(r.Context()), dialogueInput(r))
	if f := postedForm(r, "new"); f.invalid(r, err) {
		w.renderDialogues(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/dialogues/"+strconv.FormatInt(d.ID, 10)+"?flash=civic.saved", http.StatusSeeOther)
}

type dialogueData struct {
	D       service.Dialogue
	CanEdit bool
	Units   []org.Unit
	Form    civicForm
}

func (w *Web) dialoguePage(rw http.ResponseWriter, r *http.Request) {
	w.renderDialogue(rw, r, http.StatusOK, civicForm{})
}

func (w *Web) renderDialogue(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	c := w.d.Svc.Civic
	d, err := c.GetDialogue(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	dd := dialogueData{D: d, CanEdit: c.CanEditDialogue(p, d.UnitID), Form: f}
	if dd.CanEdit {
		dd.Units = w.d.Svc.Tree.At(w.d.Svc.Today())
	}
	w.render(rw, r, status, "civic_dialogue", w.page(rw, r, "civic.dialogue", dd))
}

// dialogueStep runs one write of the dialogue page and redirects back, or
// shows the page again with the messages of form which.
func (w *Web) dialogueStep(rw http.ResponseWriter, r *http.Request, which string, run func(p *service.Principal, id int64) (int64, error)) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	back, err := run(server.PrincipalFrom(r.Context()), id)
	if f := postedForm(r, which); f.invalid(r, err) {
		if which == "done" {
			f.Which = "done-" + strconv.FormatInt(id, 10)
			r.SetPathValue("id", strconv.FormatInt(back, 10))
		}
		w.renderDialogue(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		var stale *service.StaleVersionError
		if errors.As(err, &stale) {
			w.errorDetail(rw, r, http.StatusConflict, "civic.stale")
			return
		}
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/dialogues/"+strconv.FormatInt(back, 10)+"?flash=civic.saved#"+which, http.StatusSeeOther)
}

func (w *Web) dialogueUpdate(rw http.ResponseWriter, r *http.Request) {
	w.dialogueStep(rw, r, "edit", func(p *service.Principal, id int64) (int64, error) {
		_, err := w.d.Svc.Civic.UpdateDialogue(r.Context(), p, id, dialogueInput(r))
		return id, err
	})
}

func (w *Web) dialogueIssue(rw http.ResponseWriter, r *http.Request) {
	w.dialogueStep(rw, r, "issues", func(p *service.Principal, id int64) (int64, error) {
		_, err := w.d.Svc.Civic.AddIssue(r.Context(), p, id, service.IssueInput{RaisedBy: r.PostFormValue("raised_by"), Text: r.PostFormValue("text")})
		return id, err
	})
}

func (w *Web) dialogueCommitment(rw http.ResponseWriter, r *http.Request) {
	w.dialogueStep(rw, r, "commitments", func(p *service.Principal, id int64) (int64, error) {
		_, err := w.d.Svc.Civic.AddCommitment(r.Context(), p, id, service.CommitmentInput{IssueID: formID(r, "issue_id"),
			OwnerUnitID: formID(r, "owner_unit_id"), Text: r.PostFormValue("text"), DueOn: r.PostFormValue("due_on")})
		return id, err
	})
}

func (w *Web) commitmentDone(rw http.ResponseWriter, r *http.Request) {
	w.dialogueStep(rw, r, "done", func(p *service.Principal, id int64) (int64, error) {
		dialogue := formID(r, "dialogue_id")
		c, err := w.d.Svc.Civic.CompleteCommitment(r.Context(), p, id, service.DoneInput{DoneOn: r.PostFormValue("done_on"), Evidence: r.PostFormValue("evidence")})
		if err == nil {
			dialogue = c.DialogueID
		}
		return dialogue, err
	})
}

type mediationsData struct {
	Items    []service.Mediation
	Communes []org.Unit
	Kinds    []string
	// PartySlots numbers the party fields of the form.
	PartySlots []int
	Form       civicForm
}

func (w *Web) mediationsPage(rw http.ResponseWriter, r *http.Request) {
	w.renderMediations(rw, r, http.StatusOK, civicForm{Values: map[string]string{"assigned_on": w.d.Svc.Today()}})
}

func (w *Web) renderMediations(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	p := server.PrincipalFrom(r.Context())
	items, err := w.d.Svc.Civic.ListMediations(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "civic_mediations", w.page(rw, r, "civic.mediations", mediationsData{Items: items,
		Communes: w.d.Svc.Civic.MediationCommunes(p), Kinds: service.DisputeKinds, PartySlots: []int{1, 2, 3, 4}, Form: f}))
}

func (w *Web) mediationCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	in := service.MediationInput{UnitID: formID(r, "unit_id"), Village: r.PostFormValue("village"), DisputeKind: r.PostFormValue("dispute_kind"),
		Summary: r.PostFormValue("summary"), Mediators: r.PostFormValue("mediators"), AssignedOn: r.PostFormValue("assigned_on")}
	for i := 1; i <= 4; i++ {
		n := strconv.Itoa(i)
		in.Parties = append(in.Parties, service.Party{Name: r.PostFormValue("party" + n + "_name"), Role: r.PostFormValue("party" + n + "_role")})
	}
	m, err := w.d.Svc.Civic.OpenMediation(r.Context(), server.PrincipalFrom(r.Context()), in)
	if f := postedForm(r, "new"); f.invalid(r, err) {
		w.renderMediations(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/mediations/"+strconv.FormatInt(m.ID, 10)+"?flash=civic.saved", http.StatusSeeOther)
}

type mediationData struct {
	M        service.Mediation
	Outcomes []string
	Today    string
	Form     civicForm
}

func (w *Web) mediationPage(rw http.ResponseWriter, r *http.Request) {
	w.renderMediation(rw, r, http.StatusOK, civicForm{})
}

func (w *Web) renderMediation(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	m, err := w.d.Svc.Civic.GetMediation(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "civic_mediation", w.page(rw, r, "civic.mediation", mediationData{M: m, Outcomes: service.MediationOutcomes, Today: w.d.Svc.Today(), Form: f}))
}

func (w *Web) mediationStep(rw http.ResponseWriter, r *http.Request, which string) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	in := service.StepInput{Version: v, On: r.PostFormValue("on"), Outcome: r.PostFormValue("outcome"), Agreement: r.PostFormValue("agreement")}
	p := server.PrincipalFrom(r.Context())
	var err error
	if which == "outcome" {
		_, err = w.d.Svc.Civic.RecordOutcome(r.Context(), p, id, in)
	} else {
		_, err = w.d.Svc.Civic.StartMediation(r.Context(), p, id, in)
	}
	if f := postedForm(r, which); f.invalid(r, err) {
		w.renderMediation(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		var stale *service.StaleVersionError
		if errors.As(err, &stale) {
			w.errorDetail(rw, r, http.StatusConflict, "civic.stale")
			return
		}
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/mediations/"+strconv.FormatInt(id, 10)+"?flash=civic.saved", http.StatusSeeOther)
}

func (w *Web) mediationStart(rw http.ResponseWriter, r *http.Request) {
	w.mediationStep(rw, r, "start")
}

func (w *Web) mediationOutcome(rw http.ResponseWriter, r *http.Request) {
	w.mediationStep(rw, r, "outcome")
}

func (w *Web) mediationDOCX(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	b, name, err := w.d.Svc.Civic.AgreementDOCX(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = rw.Write(b)
}
