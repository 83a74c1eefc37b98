package service

// Dialogues between heads and the people, and grassroots mediation (tasks
// 3–4 of the directive). A dialogue of a unit records the issues the people
// raised and the commitments made, each owned by a unit with a deadline and
// tracked to done; a public dialogue's minutes and commitments are open to
// everyone. A mediation case of a commune-level unit (Law 35/2013/QH13 on
// grassroots mediation) must start within the period of rule
// "mediation.start" after assignment and ends in success (with the
// agreement), failure or ended; its parties are personal data, seen only by
// those who may write the commune's cases (plan.edit: unit heads, unit
// officers and coordinators of the subtree, administrators).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Message keys of dialogues and mediation (civic.*.json).
const (
	MsgCivicCommune      = "civic.err.commune"
	MsgCivicBeforeAssign = "civic.err.before_assigned"
	MsgCivicBeforeStart  = "civic.err.before_started"
	MsgCivicNotStarted   = "civic.err.not_started"
	MsgCivicStarted      = "civic.err.already_started"
	MsgCivicClosed       = "civic.err.closed"
	MsgCivicAgreement    = "civic.err.agreement_required"
	MsgCivicParties      = "civic.err.parties"
	MsgCivicIssue        = "civic.err.issue"
	MsgCivicDone         = "civic.err.done"
	MsgCivicNoAgreement  = "civic.err.no_agreement"
)

// Statuses and outcomes.
const (
	DialoguePlanned = "planned"
	DialogueHeld    = "held"

	CommitmentOpen    = "open"
	CommitmentDone    = "done"
	CommitmentOverdue = "overdue" // derived: open past its due date

	MediationSuccess = "success"
	MediationFailure = "failure"
	MediationEnded   = "ended"
)

// DialogueStatuses and MediationOutcomes list the accepted values.
var (
	DialogueStatuses  = []string{DialoguePlanned, DialogueHeld}
	MediationOutcomes = []string{MediationSuccess, MediationFailure, MediationEnded}
	// DisputeKinds are the kinds of dispute a case may be filed under.
	DisputeKinds = []string{"land", "family", "neighbour", "civil", "other"}
)

// Bounds of the text fields (characters).
const (
	MaxCivicLine  = 300
	MaxCivicText  = 20000
	MaxCivicParty = 20
)

type (
	// Dialogue is a dialogue session with its issues and commitments.
	Dialogue = store.Dialogue
	// DialogueIssue is an issue raised in a dialogue.
	DialogueIssue = store.DialogueIssue
	// Commitment is a commitment made in a dialogue.
	Commitment = store.DialogueCommitment
)

// Party is one party to a mediation case.
type Party struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// Mediation is a mediation case with its parties, and whether it started late.
type Mediation struct {
	store.MediationCase
	Parties []Party `json:"parties"`
	// Late: not started by start_due (started after it, or still waiting past it).
	Late bool `json:"late"`
}

// Civic is the capability of dialogues and grassroots mediation.
type Civic struct {
	base
	deadlines *Deadlines
}

func newCivic(b base, d *Deadlines) *Civic { return &Civic{base: b, deadlines: d} }

// --- dialogues ---

// DialogueInput creates or updates a dialogue; Version is checked on update.
type DialogueInput struct {
	UnitID       int64  `json:"unit_id"`
	HeldOn       string `json:"held_on"`
	Topic        string `json:"topic"`
	Chair        string `json:"chair"`
	Participants string `json:"participants"`
	Public       bool   `json:"public"`
	Minutes      string `json:"minutes"`
	Status       string `json:"status"`
	Version      int    `json:"version"`
}

func (in DialogueInput) check(v *Validator) store.Dialogue {
	d := store.Dialogue{UnitID: in.UnitID, Public: in.Public}
	if in.UnitID <= 0 {
		v.Add("unit_id", MsgRequired)
	}
	d.HeldOn = v.Date("held_on", in.HeldOn, true)
	d.Topic = v.Line("topic", in.Topic, 1, MaxCivicLine)
	d.Chair = v.Line("chair", in.Chair, 0, MaxCivicLine)
	d.Participants = v.Text("participants", in.Participants, 0, MaxCivicText)
	d.Minutes = v.Text("minutes", in.Minutes, 0, MaxCivicText)
	d.Status = strings.TrimSpace(in.Status)
	if d.Status == "" {
		d.Status = DialoguePlanned
	}
	v.Choice("status", d.Status, DialogueStatuses...)
	return d
}

// CreateDialogue records a dialogue of a unit (plan.edit on the unit).
func (s *Civic) CreateDialogue(ctx context.Context, p *Principal, in DialogueInput) (Dialogue, error) {
	var v Validator
	d := in.check(&v)
	if err := v.Err(); err != nil {
		return Dialogue{}, err
	}
	if err := s.authorize(p, authz.ActionPlanEdit, d.UnitID); err != nil {
		return Dialogue{}, err
	}
	if err := s.st.CreateDialogue(ctx, p.Actor(), &d); err != nil {
		return Dialogue{}, unavailable("create dialogue", err)
	}
	return s.dialogue(ctx, d.ID)
}

// UpdateDialogue changes a dialogue (plan.edit on its unit); the unit does
// not change. A stale version is a [*StaleVersionError].
func (s *Civic) UpdateDialogue(ctx context.Context, p *Principal, id int64, in DialogueInput) (Dialogue, error) {
	cur, err := s.editableDialogue(ctx, p, id)
	if err != nil {
		return Dialogue{}, err
	}
	in.UnitID = cur.UnitID
	var v Validator
	d := in.check(&v)
	version(&v, in.Version)
	if err := v.Err(); err != nil {
		return Dialogue{}, err
	}
	d.ID = id
	if err := s.st.UpdateDialogue(ctx, p.Actor(), &d, in.Version); err != nil {
		if errors.Is(err, store.ErrStale) {
			return Dialogue{}, &StaleVersionError{Current: cur.Version}
		}
		return Dialogue{}, unavailable("update dialogue", err)
	}
	return s.dialogue(ctx, id)
}

func (s *Civic) dialogue(ctx context.Context, id int64) (Dialogue, error) {
	if id <= 0 {
		return Dialogue{}, ErrNotFound
	}
	d, err := s.st.GetDialogue(ctx, id)
	if err != nil {
		return Dialogue{}, unavailable("dialogue", err)
	}
	today := s.Today()
	for i := range d.Commitments {
		derive(&d.Commitments[i], today)
	}
	return d, nil
}

// derive marks an open commitment past its due date overdue.
func derive(c *Commitment, today string) {
	if c.Status == CommitmentOpen && c.DueOn < today {
		c.Status = CommitmentOverdue
	}
}

func (s *Civic) editableDialogue(ctx context.Context, p *Principal, id int64) (Dialogue, error) {
	if p == nil {
		return Dialogue{}, ErrUnauthenticated
	}
	d, err := s.dialogue(ctx, id)
	if err != nil {
		return Dialogue{}, err
	}
	if err := s.authorize(p, authz.ActionPlanEdit, d.UnitID); err != nil {
		return Dialogue{}, err
	}
	return d, nil
}

// GetDialogue reads a dialogue: a public one by anyone, another with
// plan.read on its unit.
func (s *Civic) GetDialogue(ctx context.Context, p *Principal, id int64) (Dialogue, error) {
	d, err := s.dialogue(ctx, id)
	if err != nil {
		return Dialogue{}, err
	}
	if d.Public {
		return d, nil
	}
	if err := s.authorize(p, authz.ActionPlanRead, d.UnitID); err != nil {
		if errors.Is(err, ErrForbidden) {
			return Dialogue{}, ErrNotFound
		}
		return Dialogue{}, err
	}
	return d, nil
}

// CanEditDialogue reports whether p may change dialogues of unitID (doors
// use it to show forms).
func (s *Civic) CanEditDialogue(p *Principal, unitID int64) bool {
	return s.can(p, authz.ActionPlanEdit, unitID)
}

// ListDialogues lists the dialogues p may read, newest first: the public
// ones and those of units where p has plan.read.
func (s *Civic) ListDialogues(ctx context.Context, p *Principal) ([]Dialogue, error) {
	all, err := s.st.ListDialogues(ctx, store.DialogueFilter{})
	if err != nil {
		return nil, unavailable("dialogues", err)
	}
	out := all[:0]
	for _, d := range all {
		if d.Public || s.can(p, authz.ActionPlanRead, d.UnitID) {
			out = append(out, d)
		}
	}
	return out, nil
}

// PublicDialogue is what everyone sees of a public dialogue: its minutes
// and commitments.
type PublicDialogue struct {
	ID          int64        `json:"id"`
	UnitName    string       `json:"unit_name"`
	HeldOn      string       `json:"held_on"`
	Topic       string       `json:"topic"`
	Chair       string       `json:"chair"`
	Minutes     string       `json:"minutes"`
	Status      string       `json:"status"`
	Commitments []Commitment `json:"commitments"`
}

// PublicDialogues lists the public dialogues with their minutes and
// commitments (at most limit, newest first). Public.
func (s *Civic) PublicDialogues(ctx context.Context, limit int) ([]PublicDialogue, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	ds, err := s.st.ListDialogues(ctx, store.DialogueFilter{PublicOnly: true, Limit: limit})
	if err != nil {
		return nil, unavailable("public dialogues", err)
	}
	cs, err := s.st.ListCommitments(ctx, store.CommitmentFilter{PublicOnly: true})
	if err != nil {
		return nil, unavailable("public commitments", err)
	}
	today := s.Today()
	byDialogue := map[int64][]Commitment{}
	for _, c := range cs {
		derive(&c, today)
		c.Evidence = ""
		byDialogue[c.DialogueID] = append(byDialogue[c.DialogueID], c)
	}
	out := make([]PublicDialogue, 0, len(ds))
	for _, d := range ds {
		pc := byDialogue[d.ID]
		if pc == nil {
			pc = []Commitment{}
		}
		out = append(out, PublicDialogue{ID: d.ID, UnitName: d.UnitName, HeldOn: d.HeldOn, Topic: d.Topic, Chair: d.Chair,
			Minutes: d.Minutes, Status: d.Status, Commitments: pc})
	}
	return out, nil
}

// IssueInput is an issue raised in a dialogue.
type IssueInput struct {
	RaisedBy string `json:"raised_by"`
	Text     string `json:"text"`
}

// AddIssue records an issue raised in a dialogue (plan.edit on its unit).
func (s *Civic) AddIssue(ctx context.Context, p *Principal, dialogueID int64, in IssueInput) (DialogueIssue, error) {
	if _, err := s.editableDialogue(ctx, p, dialogueID); err != nil {
		return DialogueIssue{}, err
	}
	var v Validator
	i := DialogueIssue{DialogueID: dialogueID}
	i.RaisedBy = v.Line("raised_by", in.RaisedBy, 0, MaxCivicLine)
	i.Text = v.Text("text", in.Text, 1, MaxCivicText)
	if err := v.Err(); err != nil {
		return DialogueIssue{}, err
	}
	if err := s.st.AddDialogueIssue(ctx, p.Actor(), &i); err != nil {
		return DialogueIssue{}, unavailable("add issue", err)
	}
	return i, nil
}

// CommitmentInput is a commitment made in a dialogue: an owner unit, the
// text, the due date and, optionally, the issue it answers.
type CommitmentInput struct {
	IssueID     int64  `json:"issue_id"`
	OwnerUnitID int64  `json:"owner_unit_id"`
	Text        string `json:"text"`
	DueOn       string `json:"due_on"`
}

// AddCommitment records a commitment (plan.edit on the dialogue's unit).
// The owner may be any existing unit.
func (s *Civic) AddCommitment(ctx context.Context, p *Principal, dialogueID int64, in CommitmentInput) (Commitment, error) {
	d, err := s.editableDialogue(ctx, p, dialogueID)
	if err != nil {
		return Commitment{}, err
	}
	var v Validator
	c := Commitment{DialogueID: dialogueID, IssueID: in.IssueID, OwnerUnitID: in.OwnerUnitID}
	if in.OwnerUnitID <= 0 {
		v.Add("owner_unit_id", MsgRequired)
	} else if _, ok := s.tree.Unit(in.OwnerUnitID); !ok {
		v.Add("owner_unit_id", MsgBadChoice)
	}
	c.Text = v.Text("text", in.Text, 1, MaxCivicText)
	c.DueOn = v.Date("due_on", in.DueOn, true)
	if in.IssueID != 0 {
		found := false
		for _, i := range d.Issues {
			found = found || i.ID == in.IssueID
		}
		if !found {
			v.Add("issue_id", MsgCivicIssue)
		}
	}
	if err := v.Err(); err != nil {
		return Commitment{}, err
	}
	if err := s.st.AddCommitment(ctx, p.Actor(), &c); err != nil {
		return Commitment{}, unavailable("add commitment", err)
	}
	c, err = s.st.GetCommitment(ctx, c.ID)
	derive(&c, s.Today())
	return c, unavailable("commitment", err)
}

// DoneInput marks a commitment done: the day (default today) and the evidence.
type DoneInput struct {
	DoneOn   string `json:"done_on"`
	Evidence string `json:"evidence"`
}

// CompleteCommitment marks a commitment done (plan.edit on its owner unit
// or on the dialogue's unit). Done twice is an [*InvalidError].
func (s *Civic) CompleteCommitment(ctx context.Context, p *Principal, id int64, in DoneInput) (Commitment, error) {
	if p == nil {
		return Commitment{}, ErrUnauthenticated
	}
	if id <= 0 {
		return Commitment{}, ErrNotFound
	}
	c, err := s.st.GetCommitment(ctx, id)
	if err != nil {
		return Commitment{}, unavailable("commitment", err)
	}
	d, err := s.st.GetDialogue(ctx, c.DialogueID)
	if err != nil {
		return Commitment{}, unavailable("dialogue", err)
	}
	if !s.can(p, authz.ActionPlanEdit, c.OwnerUnitID) {
		if err := s.authorize(p, authz.ActionPlanEdit, d.UnitID); err != nil {
			return Commitment{}, err
		}
	}
	var v Validator
	on := v.Date("done_on", in.DoneOn, false)
	if on == "" {
		on = s.Today()
	}
	evidence := v.Text("evidence", in.Evidence, 0, MaxCivicText)
	if c.Status == CommitmentDone {
		v.Add("status", MsgCivicDone)
	}
	if err := v.Err(); err != nil {
		return Commitment{}, err
	}
	if err := s.st.CompleteCommitment(ctx, p.Actor(), id, on, evidence); err != nil {
		if errors.Is(err, ErrConflict) {
			return Commitment{}, Invalid("status", MsgCivicDone)
		}
		return Commitment{}, unavailable("complete commitment", err)
	}
	c, err = s.st.GetCommitment(ctx, id)
	return c, unavailable("commitment", err)
}

// OverdueCommitments lists the open commitments past their due date that
// p may read (plan.read on the owner unit or on the dialogue's unit).
func (s *Civic) OverdueCommitments(ctx context.Context, p *Principal) ([]Commitment, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	today := s.Today()
	cs, err := s.st.ListCommitments(ctx, store.CommitmentFilter{OpenDueBefore: today})
	if err != nil {
		return nil, unavailable("overdue commitments", err)
	}
	units := map[int64]int64{}
	out := []Commitment{}
	for _, c := range cs {
		if !s.can(p, authz.ActionPlanRead, c.OwnerUnitID) {
			u, ok := units[c.DialogueID]
			if !ok {
				d, err := s.st.GetDialogue(ctx, c.DialogueID)
				if err != nil {
					return nil, unavailable("dialogue", err)
				}
				u, units[c.DialogueID] = d.UnitID, d.UnitID
			}
			if !s.can(p, authz.ActionPlanRead, u) {
				continue
			}
		}
		derive(&c, today)
		out = append(out, c)
	}
	return out, nil
}

// --- mediation ---

// mediationKinds are the units that hold grassroots mediation teams.
var mediationKinds = map[org.Kind]bool{org.KindCommune: true, org.KindWard: true, org.KindTownship: true, org.KindSpecialZone: true}

// MediationInput opens a mediation case in a commune-level unit.
type MediationInput struct {
	UnitID      int64   `json:"unit_id"`
	Village     string  `json:"village"`
	Parties     []Party `json:"parties"`
	DisputeKind string  `json:"dispute_kind"`
	Summary     string  `json:"summary"`
	Mediators   string  `json:"mediators"`
	AssignedOn  string  `json:"assigned_on"`
}

// OpenMediation opens a case (plan.edit on the commune); start_due is the
// assignment day plus the period of rule "mediation.start" (the remote
// period for a unit in a remote area).
func (s *Civic) OpenMediation(ctx context.Context, p *Principal, in MediationInput) (Mediation, error) {
	if p == nil {
		return Mediation{}, ErrUnauthenticated
	}
	var v Validator
	m := store.MediationCase{UnitID: in.UnitID}
	u, ok := s.tree.Unit(in.UnitID)
	switch {
	case in.UnitID <= 0:
		v.Add("unit_id", MsgRequired)
	case !ok:
		v.Add("unit_id", MsgBadChoice)
	case !mediationKinds[u.Kind]:
		v.Add("unit_id", MsgCivicCommune)
	}
	if ok {
		if err := s.authorize(p, authz.ActionPlanEdit, in.UnitID); err != nil {
			return Mediation{}, err
		}
	}
	m.Village = v.Line("village", in.Village, 0, MaxCivicLine)
	parties := make([]Party, 0, len(in.Parties))
	for _, x := range in.Parties {
		x.Name, x.Role = strings.TrimSpace(x.Name), strings.TrimSpace(x.Role)
		if x.Name == "" && x.Role == "" {
			continue
		}
		if x.Name == "" || !CleanLine(x.Name) || !CleanLine(x.Role) || len([]rune(x.Name)) > MaxCivicLine || len([]rune(x.Role)) > MaxCivicLine {
			v.Add("parties", MsgCivicParties)
			break
		}
		parties = append(parties, x)
	}
	if !v.Has("parties") && (len(parties) < 2 || len(parties) > MaxCivicParty) {
		v.Add("parties", MsgCivicParties)
	}
	m.DisputeKind = v.Choice("dispute_kind", strings.TrimSpace(in.DisputeKind), DisputeKinds...)
	m.Summary = v.Text("summary", in.Summary, 1, MaxCivicText)
	m.Mediators = v.Text("mediators", in.Mediators, 1, MaxCivicLine*4)
	m.AssignedOn = v.Date("assigned_on", in.AssignedOn, true)
	if !v.Has("assigned_on") {
		start, err := calendar.ParseDate(m.AssignedOn)
		if err == nil {
			due, _, err := s.deadlines.Due(ctx, "mediation.start", start, u.Remote)
			if inv, bad := AsInvalid(err); bad {
				for _, f := range inv.Fields {
					v.Add("assigned_on", f.Key, f.Args...)
				}
			} else if err != nil {
				return Mediation{}, err
			} else {
				m.StartDue = due.String()
			}
		} else {
			v.Add("assigned_on", MsgBadDate)
		}
	}
	if err := v.Err(); err != nil {
		return Mediation{}, err
	}
	js, _ := json.Marshal(parties)
	m.Parties = string(js)
	if err := s.st.CreateMediation(ctx, p.Actor(), &m); err != nil {
		return Mediation{}, unavailable("open mediation", err)
	}
	return s.mediation(ctx, m.ID)
}

func (s *Civic) mediation(ctx context.Context, id int64) (Mediation, error) {
	if id <= 0 {
		return Mediation{}, ErrNotFound
	}
	mc, err := s.st.GetMediation(ctx, id)
	if err != nil {
		return Mediation{}, unavailable("mediation", err)
	}
	return s.view(mc), nil
}

func (s *Civic) view(mc store.MediationCase) Mediation {
	m := Mediation{MediationCase: mc, Parties: []Party{}}
	_ = json.Unmarshal([]byte(mc.Parties), &m.Parties)
	if mc.StartedOn != "" {
		m.Late = mc.StartedOn > mc.StartDue
	} else {
		m.Late = mc.Outcome == "" && s.Today() > mc.StartDue
	}
	return m
}

// GetMediation reads a case with its parties (plan.edit on the commune;
// anyone else is told it does not exist).
func (s *Civic) GetMediation(ctx context.Context, p *Principal, id int64) (Mediation, error) {
	if p == nil {
		return Mediation{}, ErrUnauthenticated
	}
	m, err := s.mediation(ctx, id)
	if err != nil {
		return Mediation{}, err
	}
	if !s.can(p, authz.ActionPlanEdit, m.UnitID) {
		return Mediation{}, ErrNotFound
	}
	return m, nil
}

// ListMediations lists the cases of the units where p has plan.edit.
func (s *Civic) ListMediations(ctx context.Context, p *Principal) ([]Mediation, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	var ids []int64
	for _, u := range s.tree.At(s.Today()) {
		if mediationKinds[u.Kind] && s.can(p, authz.ActionPlanEdit, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	cs, err := s.st.ListMediations(ctx, ids)
	if err != nil {
		return nil, unavailable("mediations", err)
	}
	out := make([]Mediation, 0, len(cs))
	for _, c := range cs {
		out = append(out, s.view(c))
	}
	return out, nil
}

// MediationCommunes lists the commune-level units where p may open cases.
func (s *Civic) MediationCommunes(p *Principal) []org.Unit {
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if mediationKinds[u.Kind] && s.can(p, authz.ActionPlanEdit, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

// StepInput is a step of a case: the day (default today), the version
// seen, and for an outcome the outcome and the agreement.
type StepInput struct {
	Version   int    `json:"version"`
	On        string `json:"on"`
	Outcome   string `json:"outcome"`
	Agreement string `json:"agreement"`
}

// StartMediation records the day mediation started: not before the
// assignment, once.
func (s *Civic) StartMediation(ctx context.Context, p *Principal, id int64, in StepInput) (Mediation, error) {
	m, err := s.GetMediation(ctx, p, id)
	if err != nil {
		return Mediation{}, err
	}
	var v Validator
	version(&v, in.Version)
	on := v.Date("on", in.On, false)
	if on == "" && !v.Has("on") {
		on = s.Today()
	}
	switch {
	case m.StartedOn != "":
		v.Add("on", MsgCivicStarted)
	case !v.Has("on") && on < m.AssignedOn:
		v.Add("on", MsgCivicBeforeAssign)
	}
	if err := v.Err(); err != nil {
		return Mediation{}, err
	}
	if err := s.st.StartMediation(ctx, p.Actor(), id, in.Version, on); err != nil {
		return Mediation{}, s.stepErr("start mediation", err, m.Version)
	}
	return s.mediation(ctx, id)
}

func (s *Civic) stepErr(op string, err error, current int) error {
	if errors.Is(err, store.ErrStale) {
		return &StaleVersionError{Current: current}
	}
	return unavailable(op, err)
}

// RecordOutcome records how a started case ended; success needs the
// agreement text, and the outcome is recorded once.
func (s *Civic) RecordOutcome(ctx context.Context, p *Principal, id int64, in StepInput) (Mediation, error) {
	m, err := s.GetMediation(ctx, p, id)
	if err != nil {
		return Mediation{}, err
	}
	var v Validator
	version(&v, in.Version)
	outcome := v.Choice("outcome", strings.TrimSpace(in.Outcome), MediationOutcomes...)
	on := v.Date("on", in.On, false)
	if on == "" && !v.Has("on") {
		on = s.Today()
	}
	min := 0
	if outcome == MediationSuccess {
		min = 1
	}
	agreement := v.Text("agreement", in.Agreement, min, MaxCivicText)
	if v.Has("agreement") && outcome == MediationSuccess && agreement == "" {
		v.inv.Fields[len(v.inv.Fields)-1].Key = MsgCivicAgreement
	}
	switch {
	case m.Outcome != "":
		v.Add("outcome", MsgCivicClosed)
	case m.StartedOn == "":
		v.Add("outcome", MsgCivicNotStarted)
	case !v.Has("on") && on < m.StartedOn:
		v.Add("on", MsgCivicBeforeStart)
	}
	if err := v.Err(); err != nil {
		return Mediation{}, err
	}
	if err := s.st.RecordMediationOutcome(ctx, p.Actor(), id, in.Version, outcome, on, agreement); err != nil {
		return Mediation{}, s.stepErr("mediation outcome", err, m.Version)
	}
	return s.mediation(ctx, id)
}

// AgreementDOCX is the record of a successful mediation ("Biên bản hòa
// giải thành") as a .docx file, with its file name. A case without a
// successful outcome is an [*InvalidError] on "outcome".
func (s *Civic) AgreementDOCX(ctx context.Context, p *Principal, id int64) ([]byte, string, error) {
	m, err := s.GetMediation(ctx, p, id)
	if err != nil {
		return nil, "", err
	}
	if m.Outcome != MediationSuccess {
		return nil, "", Invalid("outcome", MsgCivicNoAgreement)
	}
	u, _ := s.tree.Unit(m.UnitID)
	on, err := time.ParseInLocation(org.DateLayout, m.OutcomeOn, Vietnam)
	if err != nil {
		on = s.Now().In(Vietnam)
	}
	rec := export.MediationRecord{
		ID: m.ID, Commune: u.Name, Place: export.PlaceName(u, s.tree.Ancestors(u.ID)), Village: m.Village,
		On: on, Summary: m.Summary, Agreement: m.Agreement, Mediators: splitNames(m.Mediators),
	}
	for _, x := range m.Parties {
		rec.Parties = append(rec.Parties, export.MediationParty{Name: x.Name, Role: x.Role})
	}
	var buf bytes.Buffer
	if err := export.MediationAgreement(rec).Write(&buf); err != nil {
		return nil, "", unavailable("agreement docx", err)
	}
	return buf.Bytes(), rec.Filename(), nil
}

// splitNames splits the mediators text on lines, commas and semicolons.
func splitNames(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// DialogueUnits lists the units where p may record dialogues, in tree order.
func (s *Civic) DialogueUnits(p *Principal) []org.Unit {
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if s.can(p, authz.ActionPlanEdit, u.ID) {
			out = append(out, u)
		}
	}
	return out
}
