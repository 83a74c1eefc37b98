package service

// Consultation on drafts (directive tasks 8–9; Law 10/2022/QH15 on
// grassroots democracy, Art. 25: the people comment before decisions). A
// unit (a People's Council, a People's Committee, a commune) publishes a
// draft split into passages with a comment period; anyone comments on a
// passage or on the whole draft while it is open (dates in Vietnam time;
// anonymous comments are rate-limited per address); the drafting unit
// moderates (a rejection gives its reason), the Fatherland Front and the
// mass organisations file their social-criticism documents, and the
// drafting unit answers each comment or group of comments (taken in,
// partly, not taken in) and, once the period has closed, publishes the
// synthesis and the report as DOCX. Managing a consultation is plan.edit
// on its unit; a published one is public, a commenter's contact never is.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Message keys of consultations (consult.*.json).
const (
	MsgConsultNotDraft     = "consult.err.not_draft"
	MsgConsultNotOpen      = "consult.err.not_open"
	MsgConsultNotClosed    = "consult.err.not_closed"
	MsgConsultSynthesised  = "consult.err.synthesised"
	MsgConsultNoPassages   = "consult.err.no_passages"
	MsgConsultTooMany      = "consult.err.too_many_passages"
	MsgConsultPassage      = "consult.err.passage"
	MsgConsultReason       = "consult.err.reason_required"
	MsgConsultModerated    = "consult.err.moderated"
	MsgConsultAnswerNone   = "consult.err.answer_none"
	MsgConsultAnswered     = "consult.err.answered"
	MsgConsultCritic       = "consult.err.critic_unit"
	MsgConsultClosesPassed = "consult.err.closes_passed"
)

// Stored statuses, derived phases and the rest of the vocabulary.
const (
	ConsultDraft       = "draft"
	ConsultPublished   = "published"
	ConsultSynthesised = "synthesised"

	PhaseDraft       = "draft"
	PhaseUpcoming    = "upcoming"
	PhaseOpen        = "open"
	PhaseClosed      = "closed"
	PhaseSynthesised = "synthesised"

	CommentPending   = "pending"
	CommentPublished = "published"
	CommentRejected  = "rejected"

	VerdictTaken    = "taken"
	VerdictPartly   = "partly"
	VerdictNotTaken = "not_taken"
)

// ConsultKinds are the kinds of draft (Law 10/2022/QH15 Art. 25).
var ConsultKinds = []string{"legal_document", "resolution", "plan", "programme", "project", "land_use", "other"}

// Verdicts are the answers' verdicts.
var Verdicts = []string{VerdictTaken, VerdictPartly, VerdictNotTaken}

// consultKindText is how the report names a kind of draft.
var consultKindText = map[string]string{
	"legal_document": "dự thảo văn bản", "resolution": "dự thảo nghị quyết", "plan": "dự thảo kế hoạch", "programme": "dự thảo chương trình",
	"project": "dự thảo đề án, dự án", "land_use": "dự thảo quy hoạch, kế hoạch sử dụng đất", "other": "dự thảo",
}

var verdictText = map[string]string{VerdictTaken: "Tiếp thu", VerdictPartly: "Tiếp thu một phần", VerdictNotTaken: "Không tiếp thu"}

// Rate of anonymous comments per address: bursts of 5, one a minute after.
const (
	ConsultCommentRate  = 1.0 / 60
	ConsultCommentBurst = 5
	MaxConsultLine      = 300
	MaxConsultText      = 10000
)

type (
	// Passage is one part of a draft.
	Passage = store.Passage
	// ConsultComment is a comment on a draft.
	ConsultComment = store.ConsultComment
	// Criticism is a social-criticism document.
	Criticism = store.Criticism
	// ConsultAnswer is an answer of the drafting unit.
	ConsultAnswer = store.ConsultAnswer
)

// Consultation is a draft with its phase.
type Consultation struct {
	store.Consultation
	Phase string `json:"phase"`
}

// ConsultDetail is a consultation as a reader sees it: the passages, the
// comments (published only, without contacts, unless the reader manages
// it), the criticism documents, and the answers (public once synthesised).
type ConsultDetail struct {
	Consultation
	Passages   []Passage        `json:"passages"`
	Comments   []ConsultComment `json:"comments"`
	Criticisms []Criticism      `json:"criticisms"`
	Answers    []ConsultAnswer  `json:"answers"`
	Manage     bool             `json:"manage"`
}

// Consult is the capability of consultations on drafts.
type Consult struct {
	base
	comments *Limiter
}

func newConsult(b base) *Consult {
	return &Consult{base: b, comments: NewLimiter(ConsultCommentRate, ConsultCommentBurst)}
}

// LimitComments replaces the limiter of anonymous comments (tests).
func (s *Consult) LimitComments(l *Limiter) { s.comments = l }

// phase derives where a consultation stands on day today.
func phase(c store.Consultation, today string) string {
	switch {
	case c.Status == ConsultDraft:
		return PhaseDraft
	case c.Status == ConsultSynthesised:
		return PhaseSynthesised
	case today < c.OpensOn:
		return PhaseUpcoming
	case today > c.ClosesOn:
		return PhaseClosed
	}
	return PhaseOpen
}

func (s *Consult) view(c store.Consultation) Consultation {
	return Consultation{Consultation: c, Phase: phase(c, s.Today())}
}

// ConsultInput creates or updates a draft; Text, when given, is split into
// the passages (replacing those of a draft being updated).
type ConsultInput struct {
	UnitID   int64  `json:"unit_id"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	OpensOn  string `json:"opens_on"`
	ClosesOn string `json:"closes_on"`
	Text     string `json:"text"`
	Version  int    `json:"version"`
}

func (in ConsultInput) check(v *Validator) (store.Consultation, []Passage) {
	c := store.Consultation{UnitID: in.UnitID, Status: ConsultDraft}
	if in.UnitID <= 0 {
		v.Add("unit_id", MsgRequired)
	}
	c.Kind = v.Choice("kind", strings.TrimSpace(in.Kind), ConsultKinds...)
	c.Title = v.Line("title", in.Title, 1, MaxConsultLine)
	c.Summary = v.Text("summary", in.Summary, 0, MaxConsultText)
	c.OpensOn = v.Date("opens_on", in.OpensOn, true)
	c.ClosesOn = v.Date("closes_on", in.ClosesOn, true)
	if !v.Has("opens_on") && !v.Has("closes_on") && c.ClosesOn < c.OpensOn {
		v.Add("closes_on", MsgDateOrder)
	}
	var ps []Passage
	if strings.TrimSpace(in.Text) != "" {
		text := v.Text("text", in.Text, 1, MaxDraftText)
		if !v.Has("text") {
			ps = SplitDraft(text)
			checkPassages(v, ps)
		}
	}
	return c, ps
}

func checkPassages(v *Validator, ps []Passage) {
	if len(ps) > MaxDraftPassages {
		v.Add("text", MsgConsultTooMany, MaxDraftPassages)
		return
	}
	for _, p := range ps {
		if len([]rune(p.Text)) > MaxPassageText || len([]rune(p.Label)) > MaxConsultLine {
			v.Add("text", MsgTooLong, MaxPassageText)
			return
		}
	}
}

// CreateConsultation stores a draft of a unit (plan.edit on the unit).
func (s *Consult) CreateConsultation(ctx context.Context, p *Principal, in ConsultInput) (ConsultDetail, error) {
	if p == nil {
		return ConsultDetail{}, ErrUnauthenticated
	}
	var v Validator
	c, ps := in.check(&v)
	if _, ok := s.tree.Unit(in.UnitID); !ok && in.UnitID > 0 {
		v.Add("unit_id", MsgBadChoice)
	}
	if err := v.Err(); err != nil {
		return ConsultDetail{}, err
	}
	if err := s.authorize(p, authz.ActionPlanEdit, c.UnitID); err != nil {
		return ConsultDetail{}, err
	}
	if ps == nil {
		ps = []Passage{}
	}
	if err := s.st.CreateConsultation(ctx, p.Actor(), &c, ps); err != nil {
		return ConsultDetail{}, unavailable("create consultation", err)
	}
	return s.Get(ctx, p, c.ID)
}

// managed reads a consultation that p may manage.
func (s *Consult) managed(ctx context.Context, p *Principal, id int64) (store.Consultation, []Passage, error) {
	if p == nil {
		return store.Consultation{}, nil, ErrUnauthenticated
	}
	if id <= 0 {
		return store.Consultation{}, nil, ErrNotFound
	}
	c, ps, err := s.st.GetConsultation(ctx, id)
	if err != nil {
		return c, nil, unavailable("consultation", err)
	}
	if err := s.authorize(p, authz.ActionPlanEdit, c.UnitID); err != nil {
		if c.Status == ConsultDraft && errors.Is(err, ErrForbidden) {
			return c, nil, ErrNotFound
		}
		return c, nil, err
	}
	return c, ps, nil
}

// UpdateConsultation changes a draft not yet published (its unit stays);
// a stale version is a [*StaleVersionError].
func (s *Consult) UpdateConsultation(ctx context.Context, p *Principal, id int64, in ConsultInput) (ConsultDetail, error) {
	cur, _, err := s.managed(ctx, p, id)
	if err != nil {
		return ConsultDetail{}, err
	}
	in.UnitID = cur.UnitID
	var v Validator
	c, ps := in.check(&v)
	version(&v, in.Version)
	if cur.Status != ConsultDraft {
		v.Add("status", MsgConsultNotDraft)
	}
	if err := v.Err(); err != nil {
		return ConsultDetail{}, err
	}
	c.ID = id
	if err := s.st.UpdateConsultation(ctx, p.Actor(), &c, in.Version, ps); err != nil {
		return ConsultDetail{}, s.stale("update consultation", err, cur.Version)
	}
	return s.Get(ctx, p, id)
}

func (s *Consult) stale(op string, err error, current int) error {
	if errors.Is(err, store.ErrStale) {
		return &StaleVersionError{Current: current}
	}
	return unavailable(op, err)
}

// PassageInput is one passage as the drafter corrected it.
type PassageInput struct {
	Level int    `json:"level"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// SetPassages replaces the passages of a draft not yet published with the
// drafter's corrected list (empty ones are dropped).
func (s *Consult) SetPassages(ctx context.Context, p *Principal, id int64, ver int, in []PassageInput) (ConsultDetail, error) {
	cur, _, err := s.managed(ctx, p, id)
	if err != nil {
		return ConsultDetail{}, err
	}
	var v Validator
	version(&v, ver)
	if cur.Status != ConsultDraft {
		v.Add("status", MsgConsultNotDraft)
	}
	ps := make([]Passage, 0, len(in))
	for i, x := range in {
		f := "passages." + strconv.Itoa(i)
		label := v.Line(f+".label", x.Label, 0, MaxConsultLine)
		text := v.Text(f+".text", x.Text, 0, MaxPassageText)
		v.Int(f+".level", int64(x.Level), LevelChapter, LevelPoint)
		if label == "" && text == "" {
			continue
		}
		ps = append(ps, Passage{Level: x.Level, Label: label, Text: text})
	}
	if len(ps) > MaxDraftPassages {
		v.Add("passages", MsgConsultTooMany, MaxDraftPassages)
	}
	if err := v.Err(); err != nil {
		return ConsultDetail{}, err
	}
	c := cur
	if err := s.st.UpdateConsultation(ctx, p.Actor(), &c, ver, ps); err != nil {
		return ConsultDetail{}, s.stale("set passages", err, cur.Version)
	}
	return s.Get(ctx, p, id)
}

// Publish opens a draft to the public: it needs passages and a period not
// yet over.
func (s *Consult) Publish(ctx context.Context, p *Principal, id int64, ver int) (ConsultDetail, error) {
	cur, ps, err := s.managed(ctx, p, id)
	if err != nil {
		return ConsultDetail{}, err
	}
	var v Validator
	version(&v, ver)
	switch {
	case cur.Status != ConsultDraft:
		v.Add("status", MsgConsultNotDraft)
	case len(ps) == 0:
		v.Add("text", MsgConsultNoPassages)
	case cur.ClosesOn < s.Today():
		v.Add("closes_on", MsgConsultClosesPassed)
	}
	if err := v.Err(); err != nil {
		return ConsultDetail{}, err
	}
	if err := s.st.SetConsultationStatus(ctx, p.Actor(), id, ver, ConsultDraft, ConsultPublished, "", ""); err != nil {
		return ConsultDetail{}, s.stale("publish consultation", err, cur.Version)
	}
	return s.Get(ctx, p, id)
}

// Synthesise publishes the synthesis of a consultation whose period has
// closed; the answers become public with it.
func (s *Consult) Synthesise(ctx context.Context, p *Principal, id int64, ver int, synthesis string) (ConsultDetail, error) {
	cur, _, err := s.managed(ctx, p, id)
	if err != nil {
		return ConsultDetail{}, err
	}
	var v Validator
	version(&v, ver)
	text := v.Text("synthesis", synthesis, 1, MaxConsultText)
	if ph := phase(cur, s.Today()); ph != PhaseClosed {
		v.Add("status", MsgConsultNotClosed)
	}
	if err := v.Err(); err != nil {
		return ConsultDetail{}, err
	}
	if err := s.st.SetConsultationStatus(ctx, p.Actor(), id, ver, ConsultPublished, ConsultSynthesised, text, s.Today()); err != nil {
		return ConsultDetail{}, s.stale("synthesise consultation", err, cur.Version)
	}
	return s.Get(ctx, p, id)
}

// CanManage reports whether p may manage the consultations of unitID.
func (s *Consult) CanManage(p *Principal, unitID int64) bool {
	return s.can(p, authz.ActionPlanEdit, unitID)
}

// Get reads a consultation: a published one by anyone, a draft by those
// who manage it (anyone else is told it does not exist).
func (s *Consult) Get(ctx context.Context, p *Principal, id int64) (ConsultDetail, error) {
	if id <= 0 {
		return ConsultDetail{}, ErrNotFound
	}
	c, ps, err := s.st.GetConsultation(ctx, id)
	if err != nil {
		return ConsultDetail{}, unavailable("consultation", err)
	}
	manage := p != nil && s.can(p, authz.ActionPlanEdit, c.UnitID)
	if c.Status == ConsultDraft && !manage {
		return ConsultDetail{}, ErrNotFound
	}
	d := ConsultDetail{Consultation: s.view(c), Passages: ps, Manage: manage}
	filter := store.ConsultCommentFilter{ConsultationID: id}
	if !manage {
		filter.Status = CommentPublished
	}
	if d.Comments, err = s.st.ListConsultComments(ctx, filter); err != nil {
		return ConsultDetail{}, unavailable("comments", err)
	}
	if !manage {
		for i := range d.Comments {
			d.Comments[i].Contact = ""
		}
	}
	if d.Criticisms, err = s.st.ListCriticisms(ctx, id); err != nil {
		return ConsultDetail{}, unavailable("criticisms", err)
	}
	d.Answers = []ConsultAnswer{}
	if manage || c.Status == ConsultSynthesised {
		if d.Answers, err = s.st.ListConsultAnswers(ctx, id); err != nil {
			return ConsultDetail{}, unavailable("answers", err)
		}
	}
	return d, nil
}

// List lists the consultations p manages (drafts included), latest first.
func (s *Consult) List(ctx context.Context, p *Principal) ([]Consultation, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	all, err := s.st.ListConsultations(ctx, store.ConsultationFilter{})
	if err != nil {
		return nil, unavailable("consultations", err)
	}
	out := []Consultation{}
	for _, c := range all {
		if s.can(p, authz.ActionPlanEdit, c.UnitID) {
			out = append(out, s.view(c))
		}
	}
	return out, nil
}

// Public lists the published consultations, latest first. Public.
func (s *Consult) Public(ctx context.Context) ([]Consultation, error) {
	all, err := s.st.ListConsultations(ctx, store.ConsultationFilter{Published: true})
	if err != nil {
		return nil, unavailable("consultations", err)
	}
	out := make([]Consultation, 0, len(all))
	for _, c := range all {
		out = append(out, s.view(c))
	}
	return out, nil
}

// Units lists the units where p may publish drafts.
func (s *Consult) Units(p *Principal) []org.Unit {
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if s.can(p, authz.ActionPlanEdit, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

// CommentInput is a comment on a passage (0: the whole draft). A signed-in
// author's name defaults to their full name; an anonymous one must give a
// name (shown) and may give a contact (never shown).
type CommentInput struct {
	PassageID    int64  `json:"passage_id"`
	Name         string `json:"name"`
	Contact      string `json:"contact"`
	Organisation bool   `json:"organisation"`
	Text         string `json:"text"`
}

// Comment records a comment while the consultation is open; it waits for
// moderation. Anonymous comments are rate-limited per address
// ([ErrTooMany]).
func (s *Consult) Comment(ctx context.Context, p *Principal, id int64, in CommentInput) (ConsultComment, error) {
	if id <= 0 {
		return ConsultComment{}, ErrNotFound
	}
	c, ps, err := s.st.GetConsultation(ctx, id)
	if err != nil {
		return ConsultComment{}, unavailable("consultation", err)
	}
	if c.Status == ConsultDraft {
		return ConsultComment{}, ErrNotFound
	}
	if anonymousCaller(p) && s.comments != nil && !s.comments.Allow(callerIP(p)) {
		return ConsultComment{}, ErrTooMany
	}
	var v Validator
	cm := ConsultComment{ConsultationID: id, PassageID: in.PassageID, Organisation: in.Organisation, Status: CommentPending}
	if in.PassageID != 0 && !slices.ContainsFunc(ps, func(x Passage) bool { return x.ID == in.PassageID }) {
		v.Add("passage_id", MsgConsultPassage)
	}
	name := in.Name
	if strings.TrimSpace(name) == "" && p != nil && p.User.ID != 0 {
		name = p.User.FullName
		if strings.TrimSpace(name) == "" {
			name = p.User.Username
		}
	}
	cm.AuthorName = v.Line("name", name, 1, MaxConsultLine)
	cm.Contact = v.Line("contact", in.Contact, 0, MaxConsultLine)
	cm.Text = v.Text("text", in.Text, 1, MaxConsultText)
	if ph := phase(c, s.Today()); ph != PhaseOpen {
		v.Add("text", MsgConsultNotOpen)
	}
	if err := v.Err(); err != nil {
		return ConsultComment{}, err
	}
	if p != nil {
		cm.AuthorID = p.User.ID
	}
	if err := s.st.AddConsultComment(ctx, p.Actor(), &cm); err != nil {
		return ConsultComment{}, unavailable("add comment", err)
	}
	return cm, nil
}

// ModerateInput publishes or rejects a pending comment; a rejection gives
// its reason.
type ModerateInput struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
	// ConsultationID, when set, is the consultation the door found the
	// comment under: another one is not found.
	ConsultationID int64 `json:"-"`
}

// Moderate decides on a pending comment (plan.edit on the drafting unit).
func (s *Consult) Moderate(ctx context.Context, p *Principal, commentID int64, in ModerateInput) (ConsultComment, error) {
	cm, err := s.comment(ctx, commentID)
	if err != nil {
		return ConsultComment{}, err
	}
	if in.ConsultationID != 0 && in.ConsultationID != cm.ConsultationID {
		return ConsultComment{}, ErrNotFound
	}
	if _, _, err := s.managed(ctx, p, cm.ConsultationID); err != nil {
		return ConsultComment{}, err
	}
	var v Validator
	st := v.Choice("status", strings.TrimSpace(in.Status), CommentPublished, CommentRejected)
	min := 0
	if st == CommentRejected {
		min = 1
	}
	reason := v.Text("reason", in.Reason, min, MaxConsultLine*4)
	if v.Has("reason") && st == CommentRejected && reason == "" {
		v.inv.Fields[len(v.inv.Fields)-1].Key = MsgConsultReason
	}
	if cm.Status != CommentPending {
		v.Add("status", MsgConsultModerated)
	}
	if err := v.Err(); err != nil {
		return ConsultComment{}, err
	}
	if err := s.st.ModerateConsultComment(ctx, p.Actor(), commentID, st, reason); err != nil {
		if errors.Is(err, ErrConflict) {
			return ConsultComment{}, Invalid("status", MsgConsultModerated)
		}
		return ConsultComment{}, unavailable("moderate comment", err)
	}
	return s.comment(ctx, commentID)
}

func (s *Consult) comment(ctx context.Context, id int64) (ConsultComment, error) {
	if id <= 0 {
		return ConsultComment{}, ErrNotFound
	}
	cs, err := s.st.ListConsultComments(ctx, store.ConsultCommentFilter{ID: id})
	if err != nil {
		return ConsultComment{}, unavailable("comment", err)
	}
	if len(cs) == 0 {
		return ConsultComment{}, ErrNotFound
	}
	return cs[0], nil
}

// CriticismInput is a social-criticism document of a Front or
// mass-organisation unit, with its file (optional; checked by
// [SniffUpload]).
type CriticismInput struct {
	UnitID   int64      `json:"unit_id"`
	Number   string     `json:"number"`
	IssuedOn string     `json:"issued_on"`
	Summary  string     `json:"summary"`
	File     *FileInput `json:"-"`
}

// criticKinds are the units that file social criticism.
var criticKinds = map[org.Kind]bool{org.KindFatherlandFront: true, org.KindMassOrg: true}

// CriticUnits lists the Front and mass-organisation units p may file for.
func (s *Consult) CriticUnits(p *Principal) []org.Unit {
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if criticKinds[u.Kind] && s.can(p, authz.ActionPlanEdit, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

// AddCriticism files a social-criticism document on a published
// consultation not yet synthesised (plan.edit on the Front or
// mass-organisation unit).
func (s *Consult) AddCriticism(ctx context.Context, p *Principal, id int64, in CriticismInput) (Criticism, error) {
	if p == nil {
		return Criticism{}, ErrUnauthenticated
	}
	d, err := s.Get(ctx, p, id)
	if err != nil {
		return Criticism{}, err
	}
	var v Validator
	k := Criticism{ConsultationID: id, UnitID: in.UnitID}
	u, ok := s.tree.Unit(in.UnitID)
	switch {
	case in.UnitID <= 0:
		v.Add("unit_id", MsgRequired)
	case !ok || !criticKinds[u.Kind]:
		v.Add("unit_id", MsgConsultCritic)
	default:
		if err := s.authorize(p, authz.ActionPlanEdit, in.UnitID); err != nil {
			return Criticism{}, err
		}
	}
	k.Number = v.Line("number", in.Number, 1, 60)
	k.IssuedOn = v.Date("issued_on", in.IssuedOn, true)
	k.Summary = v.Text("summary", in.Summary, 1, MaxConsultText)
	if in.File != nil && len(in.File.Data) > 0 {
		ct, err := SniffUpload(in.File.Name, in.File.Data)
		if inv, bad := AsInvalid(err); bad {
			v.inv.Fields = append(v.inv.Fields, inv.Fields...)
		} else {
			k.FileName, k.ContentType, k.Size, k.Data = CleanFileName(in.File.Name, "phan-bien"), ct, int64(len(in.File.Data)), in.File.Data
		}
	}
	switch d.Phase {
	case PhaseDraft:
		return Criticism{}, ErrNotFound
	case PhaseSynthesised:
		v.Add("status", MsgConsultSynthesised)
	}
	if err := v.Err(); err != nil {
		return Criticism{}, err
	}
	if err := s.st.AddCriticism(ctx, p.Actor(), &k); err != nil {
		return Criticism{}, unavailable("add criticism", err)
	}
	k.Data, k.UnitName = nil, u.Name
	return k, nil
}

// CriticismFile is the file of a criticism document of a published
// consultation. Public.
func (s *Consult) CriticismFile(ctx context.Context, p *Principal, id, criticismID int64) (File, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return File{}, err
	}
	k, err := s.st.CriticismFile(ctx, criticismID)
	if err != nil {
		return File{}, unavailable("criticism file", err)
	}
	if k.ConsultationID != id || len(k.Data) == 0 {
		return File{}, ErrNotFound
	}
	return File{Name: k.FileName, ContentType: k.ContentType, Data: k.Data}, nil
}

// AnswerInput answers published comments and criticism documents of one
// consultation together.
type AnswerInput struct {
	CommentIDs   []int64 `json:"comment_ids"`
	CriticismIDs []int64 `json:"criticism_ids"`
	Verdict      string  `json:"verdict"`
	Explanation  string  `json:"explanation"`
}

// Answer records the drafting unit's answer (plan.edit), before the
// synthesis. Each comment must be published and each item answered once.
func (s *Consult) Answer(ctx context.Context, p *Principal, id int64, in AnswerInput) (ConsultAnswer, error) {
	cur, _, err := s.managed(ctx, p, id)
	if err != nil {
		return ConsultAnswer{}, err
	}
	d, err := s.Get(ctx, p, id)
	if err != nil {
		return ConsultAnswer{}, err
	}
	var v Validator
	a := ConsultAnswer{ConsultationID: id, CommentIDs: dedupe(in.CommentIDs), CriticismIDs: dedupe(in.CriticismIDs)}
	a.Verdict = v.Choice("verdict", strings.TrimSpace(in.Verdict), Verdicts...)
	a.Explanation = v.Text("explanation", in.Explanation, 1, MaxConsultText)
	if len(a.CommentIDs)+len(a.CriticismIDs) == 0 {
		v.Add("comment_ids", MsgConsultAnswerNone)
	}
	for _, cid := range a.CommentIDs {
		i := slices.IndexFunc(d.Comments, func(c ConsultComment) bool { return c.ID == cid })
		switch {
		case i < 0 || d.Comments[i].Status != CommentPublished:
			v.Add("comment_ids", MsgBadChoice)
		case d.Comments[i].AnswerID != 0:
			v.Add("comment_ids", MsgConsultAnswered)
		}
		if v.Has("comment_ids") {
			break
		}
	}
	for _, kid := range a.CriticismIDs {
		i := slices.IndexFunc(d.Criticisms, func(c Criticism) bool { return c.ID == kid })
		switch {
		case i < 0:
			v.Add("criticism_ids", MsgBadChoice)
		case d.Criticisms[i].AnswerID != 0:
			v.Add("criticism_ids", MsgConsultAnswered)
		}
		if v.Has("criticism_ids") {
			break
		}
	}
	switch cur.Status {
	case ConsultDraft:
		v.Add("status", MsgConsultNotOpen)
	case ConsultSynthesised:
		v.Add("status", MsgConsultSynthesised)
	}
	if err := v.Err(); err != nil {
		return ConsultAnswer{}, err
	}
	if err := s.st.AddConsultAnswer(ctx, p.Actor(), &a); err != nil {
		if errors.Is(err, ErrConflict) {
			return ConsultAnswer{}, Invalid("comment_ids", MsgConsultAnswered)
		}
		return ConsultAnswer{}, unavailable("add answer", err)
	}
	return a, nil
}

func dedupe(ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// SynthesisRow is one passage (or the whole draft, ID 0) of the synthesis.
type SynthesisRow struct {
	PassageID int64  `json:"passage_id"`
	Label     string `json:"label"`
	Comments  int    `json:"comments"`
	Taken     int    `json:"taken"`
	Partly    int    `json:"partly"`
	NotTaken  int    `json:"not_taken"`
}

// Synthesis counts, per passage with comments, the published comments and
// how their answers went; the whole-draft row comes first when it has any.
func Synthesis(d ConsultDetail) []SynthesisRow {
	verdict := map[int64]string{}
	for _, a := range d.Answers {
		verdict[a.ID] = a.Verdict
	}
	rows := map[int64]*SynthesisRow{}
	for _, c := range d.Comments {
		if c.Status != CommentPublished {
			continue
		}
		r := rows[c.PassageID]
		if r == nil {
			r = &SynthesisRow{PassageID: c.PassageID}
			rows[c.PassageID] = r
		}
		r.Comments++
		switch verdict[c.AnswerID] {
		case VerdictTaken:
			r.Taken++
		case VerdictPartly:
			r.Partly++
		case VerdictNotTaken:
			r.NotTaken++
		}
	}
	out := []SynthesisRow{}
	if r := rows[0]; r != nil {
		r.Label = "Toàn văn dự thảo"
		out = append(out, *r)
	}
	for _, p := range d.Passages {
		if r := rows[p.ID]; r != nil {
			r.Label = p.Label
			if r.Label == "" {
				r.Label = "Phần mở đầu"
			}
			out = append(out, *r)
		}
	}
	return out
}

// SynthesisDOCX is the report "Báo cáo tổng hợp, giải trình, tiếp thu ý
// kiến" in the issuing body's form, with its file name: public once the
// synthesis is published, before that to those who manage it.
func (s *Consult) SynthesisDOCX(ctx context.Context, p *Principal, id int64) ([]byte, string, error) {
	d, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, "", err
	}
	if d.Status != ConsultSynthesised && !d.Manage {
		return nil, "", ErrNotFound
	}
	u, _ := s.tree.Unit(d.UnitID)
	on := s.Now().In(Vietnam)
	if d.SynthesisedOn != "" {
		if t, err := time.ParseInLocation(org.DateLayout, d.SynthesisedOn, Vietnam); err == nil {
			on = t
		}
	}
	rec := export.ConsultReport{ID: d.ID, Unit: u, Ancestors: s.tree.Ancestors(u.ID), Lookup: s.tree.Children, Title: d.Title,
		KindText: consultKindText[d.Kind], OpensOn: dayText(d.OpensOn), ClosesOn: dayText(d.ClosesOn), On: on, Conclusion: d.Synthesis}
	for _, c := range d.Comments {
		if c.Status == CommentPublished {
			rec.Comments++
		}
	}
	for _, k := range d.Criticisms {
		rec.Criticisms = append(rec.Criticisms, fmt.Sprintf("%s: văn bản số %s ngày %s", k.UnitName, k.Number, dayText(k.IssuedOn)))
	}
	for _, r := range Synthesis(d) {
		rec.Rows = append(rec.Rows, export.ConsultRow{Label: r.Label, Comments: r.Comments, Taken: r.Taken, Partly: r.Partly, No: r.NotTaken})
	}
	label := map[int64]string{}
	for _, p := range d.Passages {
		label[p.ID] = p.Label
	}
	for _, a := range d.Answers {
		var what []string
		for _, cid := range a.CommentIDs {
			for _, c := range d.Comments {
				if c.ID == cid {
					w := "Ý kiến của " + c.AuthorName
					if l := label[c.PassageID]; l != "" {
						w += " (" + l + ")"
					}
					what = append(what, w)
				}
			}
		}
		for _, kid := range a.CriticismIDs {
			for _, k := range d.Criticisms {
				if k.ID == kid {
					what = append(what, "Văn bản phản biện số "+k.Number+" của "+k.UnitName)
				}
			}
		}
		rec.Answers = append(rec.Answers, export.ConsultAnswerItem{Verdict: verdictText[a.Verdict], Explanation: a.Explanation, Answers: strings.Join(what, "; ")})
	}
	var buf bytes.Buffer
	if err := export.ConsultSynthesis(rec).Write(&buf); err != nil {
		return nil, "", unavailable("synthesis docx", err)
	}
	return buf.Bytes(), rec.Filename(), nil
}

// dayText writes a YYYY-MM-DD date as dd/mm/yyyy.
func dayText(s string) string {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return s
	}
	return dmy(d)
}
