package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
)

// Programme is the programme capability: directives with their texts,
// attachments, numbered tasks and addressees; task assignments to units;
// each unit's plan of activities and the progress reported on them, with
// evidence; and the derived status and weighted roll-up on a date.
//
// Permission: directive.read to read directives (any role but citizen, on
// the whole installation); directive.manage on the issuing unit to register a
// directive and add its tasks and addressees, and on both the issuing unit
// and the assigned unit to assign a task; plan.read / plan.edit on the unit
// for its plan, activities, progress and evidence. Editing and withdrawing
// directives, tasks and assignments, and assigning to many units at once,
// are in programme_edit.go.
type Programme struct {
	base
	rules programme.Rules
}

func newProgramme(b base) *Programme { return &Programme{base: b, rules: programme.DefaultRules()} }

// Types the doors render.
type (
	Directive      = programme.Directive
	DirectiveText  = programme.Text
	Task           = programme.Task
	Addressee      = programme.Addressee
	Assignment     = programme.Assignment
	Activity       = programme.Activity
	ProgressUpdate = programme.Update
	Rollup         = programme.Rollup
	Summary        = programme.Summary
)

// Bounds of the programme's inputs.
const (
	MaxDirectiveNumber = 60     // characters of a document number
	MaxPersonName      = 200    // signer, signer's title, owner
	MaxDirectiveTitle  = 500    // characters
	MaxDirectiveBody   = 200000 // characters
	MaxTaskTitle       = 1000
	MaxTaskBody        = 50000
	MaxActivityTitle   = 500
	MaxIndicator       = 500
	MaxTarget          = 200
	MaxNote            = 5000
	MaxURL             = 2000 // bytes
	MaxAttachmentName  = 200  // characters of a typed name
	MaxFileName        = 255  // bytes of an uploaded file's name, cut on a character boundary
	MaxAttachments     = 10
	MaxTaskNumber      = 999
	MaxWeight          = 1000
	// MaxAssignUnits bounds one assignment call: a province has a few
	// hundred units of one kind at most.
	MaxAssignUnits = 1000
	// MaxEvidenceSize is the largest uploaded file (10 MiB).
	MaxEvidenceSize = programme.MaxEvidenceSize
)

// Message keys of the programme's own rules (programme.*.json).
const (
	MsgProgrammeNumber      = "programme.err.bad_number"
	MsgProgrammeNumberTaken = "programme.err.number_taken"
	MsgProgrammeTaskTaken   = "programme.err.task_taken"
	MsgProgrammeURL         = "programme.err.bad_url"
	MsgProgrammeLang        = "programme.err.bad_lang"
	MsgProgrammeUnitOrKind  = "programme.err.unit_or_kind"
	MsgProgrammeTooLarge    = "programme.err.too_large"
	MsgProgrammeTooMany     = "programme.err.too_many_units"
	MsgProgrammeNoUnits     = "programme.err.no_units"
	MsgProgrammeDueBefore   = "programme.err.due_before_issue"
)

// DuplicateNumberError: a directive or task number already registered. It
// is an [ErrConflict]; Field and Key say which field to mark.
type DuplicateNumberError struct {
	Field string
	Key   string
}

func (e *DuplicateNumberError) Error() string { return e.Field + ": " + e.Key }

// Unwrap makes the error an [ErrConflict].
func (e *DuplicateNumberError) Unwrap() error { return ErrConflict }

// StaleVersionError: a progress update based on an older version of the
// activity. It is an [ErrConflict]; Current is the version now stored.
type StaleVersionError struct{ Current int }

func (e *StaleVersionError) Error() string {
	return fmt.Sprintf("activity changed: now version %d", e.Current)
}

// Unwrap makes the error an [ErrConflict].
func (e *StaleVersionError) Unwrap() error { return ErrConflict }

// --- reads ---

// DirectiveList is the directives, newest first, with each one's roll-up
// on At.
type DirectiveList struct {
	Items   []Directive
	Rollups map[int64]Rollup
	At      string
}

// ListDirectives lists every directive (directive.read). With rollups, each
// directive's roll-up on today is computed too.
func (s *Programme) ListDirectives(ctx context.Context, p *Principal, rollups bool) (DirectiveList, error) {
	if err := s.authorize(p, authz.ActionDirectiveRead, 0); err != nil {
		return DirectiveList{}, err
	}
	ds, err := s.st.ListDirectives(ctx)
	if err != nil {
		return DirectiveList{}, unavailable("list directives", err)
	}
	out := DirectiveList{Items: ds, Rollups: map[int64]Rollup{}, At: s.Today()}
	for i := range out.Items {
		fillDirective(&out.Items[i])
	}
	if !rollups {
		return out, nil
	}
	// A province has a handful of directives a year: one summary each is cheap.
	for _, d := range ds {
		full, err := s.st.GetDirective(ctx, d.ID)
		if err != nil {
			return out, unavailable("directive", err)
		}
		acts, err := s.st.DirectiveActivities(ctx, d.ID)
		if err != nil {
			return out, unavailable("directive activities", err)
		}
		out.Rollups[d.ID] = programme.Summarise(full, acts, s.rules, out.At).Rollup
	}
	return out, nil
}

// fillDirective replaces nil slices by empty ones (JSON arrays, not null).
func fillDirective(d *Directive) {
	if d.Texts == nil {
		d.Texts = []DirectiveText{}
	}
	if d.Attachments == nil {
		d.Attachments = []programme.Attachment{}
	}
}

// DirectiveView is a directive with its tasks, addressees and roll-up on At.
type DirectiveView struct {
	Directive
	At      string  `json:"at"`
	Summary Summary `json:"summary"`
	// CanManage: the principal may add tasks, addressees and assignments.
	CanManage bool `json:"-"`
}

// GetDirective reads one directive with its summary on at (YYYY-MM-DD;
// empty: today) (directive.read).
func (s *Programme) GetDirective(ctx context.Context, p *Principal, id int64, at string) (DirectiveView, error) {
	if err := s.authorize(p, authz.ActionDirectiveRead, 0); err != nil {
		return DirectiveView{}, err
	}
	var v Validator
	at = s.atDate(&v, at)
	if id <= 0 {
		return DirectiveView{}, ErrNotFound
	}
	if err := v.Err(); err != nil {
		return DirectiveView{}, err
	}
	d, err := s.st.GetDirective(ctx, id)
	if err != nil {
		return DirectiveView{}, unavailable("directive", err)
	}
	acts, err := s.st.DirectiveActivities(ctx, id)
	if err != nil {
		return DirectiveView{}, unavailable("directive activities", err)
	}
	fillDirective(&d)
	if d.Tasks == nil {
		d.Tasks = []Task{}
	}
	if d.Addressees == nil {
		d.Addressees = []Addressee{}
	}
	return DirectiveView{Directive: d, At: at, Summary: programme.Summarise(d, acts, s.rules, at), CanManage: s.can(p, authz.ActionDirectiveManage, d.IssuerUnitID)}, nil
}

// atDate checks an "as of" date; empty is today.
func (s *Programme) atDate(v *Validator, at string) string {
	if strings.TrimSpace(at) == "" {
		return s.Today()
	}
	return v.Date("at", at, true)
}

// CanManageSomewhere reports whether p may register directives for some
// unit: doors use it to offer the form.
func (s *Programme) CanManageSomewhere(p *Principal) bool {
	if p == nil {
		return false
	}
	if p.System || p.IsAdmin() {
		return true
	}
	for _, g := range p.Grants {
		if s.can(p, authz.ActionDirectiveManage, g.UnitID) {
			return true
		}
	}
	return false
}

// ManageableUnits lists, in tree order with depths, the units valid on at
// on which p may manage directives: the choices of the issuing body and of
// the assigned units.
func (s *Programme) ManageableUnits(p *Principal, at string) []org.Unit {
	var out []org.Unit
	var walk func(id int64, n int)
	walk = func(id int64, n int) {
		if n > 64 {
			return
		}
		for _, u := range s.tree.Children(id) {
			if u.ValidOn(at) && s.can(p, authz.ActionDirectiveManage, u.ID) {
				out = append(out, u)
			}
			walk(u.ID, n+1)
		}
	}
	walk(0, 0)
	return out
}

// PlanUnits lists the units p holds a role on whose plans p may read: the
// "plans of my units" links.
func (s *Programme) PlanUnits(p *Principal) []org.Unit {
	if p == nil {
		return nil
	}
	var out []org.Unit
	seen := map[int64]bool{}
	for _, g := range p.Grants {
		if seen[g.UnitID] || !s.can(p, authz.ActionPlanRead, g.UnitID) {
			continue
		}
		seen[g.UnitID] = true
		if u, ok := s.tree.Unit(g.UnitID); ok {
			out = append(out, u)
		}
	}
	return out
}

// --- register a directive ---

// TextInput is one language version of a title and body.
type TextInput struct {
	Lang          string `json:"lang"`
	Title         string `json:"title"`
	Body          string `json:"body"`
	IsTranslation bool   `json:"is_translation"`
}

// AttachmentInput is a link (Name, URL) or an uploaded file (FileName,
// Data; Name, when given, is shown instead of the file's name).
type AttachmentInput struct {
	Name     string
	URL      string
	FileName string
	Data     []byte
}

// DirectiveInput registers a directive.
type DirectiveInput struct {
	Number       string
	DocType      string
	IssuedOn     string
	IssuerUnitID int64
	Signer       string
	SignerTitle  string
	Texts        []TextInput
	Attachments  []AttachmentInput
}

// CreateDirective registers a directive (directive.manage on the issuing
// unit). A number already registered is a [*DuplicateNumberError].
func (s *Programme) CreateDirective(ctx context.Context, p *Principal, in DirectiveInput) (Directive, error) {
	var v Validator
	if in.IssuerUnitID <= 0 {
		v.Add("issuer_unit_id", MsgRequired)
	} else if _, ok := s.tree.Unit(in.IssuerUnitID); !ok {
		v.Add("issuer_unit_id", MsgBadChoice)
	}
	if v.Has("issuer_unit_id") {
		// Without a known issuer there is nothing to check permission on;
		// refuse anyone who may register nowhere before saying more.
		if !s.CanManageSomewhere(p) {
			return Directive{}, s.authorize(p, authz.ActionDirectiveManage, 0)
		}
	} else if err := s.authorize(p, authz.ActionDirectiveManage, in.IssuerUnitID); err != nil {
		return Directive{}, err
	}
	d := Directive{IssuerUnitID: in.IssuerUnitID}
	d.Number = v.Line("number", in.Number, 1, MaxDirectiveNumber)
	if !v.Has("number") && !programme.ValidNumber(d.Number) {
		v.Add("number", MsgProgrammeNumber)
	}
	d.DocType = v.Choice("doc_type", in.DocType, programme.DocTypes...)
	d.IssuedOn = v.Date("issued_on", in.IssuedOn, true)
	d.Signer = v.Line("signer", in.Signer, 0, MaxPersonName)
	d.SignerTitle = v.Line("signer_title", in.SignerTitle, 0, MaxPersonName)
	d.Texts = texts(&v, in.Texts, MaxDirectiveTitle, MaxDirectiveBody)
	if len(in.Attachments) > MaxAttachments {
		v.Add("attachments", MsgRange, 0, MaxAttachments)
	}
	for _, a := range in.Attachments {
		if at, ok := attachment(&v, a); ok {
			d.Attachments = append(d.Attachments, at)
		}
	}
	if err := v.Err(); err != nil {
		return Directive{}, err
	}
	err := s.st.CreateDirective(ctx, p.Actor(), &d)
	if errors.Is(err, ErrConflict) {
		return Directive{}, &DuplicateNumberError{Field: "number", Key: MsgProgrammeNumberTaken}
	}
	if err != nil {
		return Directive{}, storeErr("create directive", err)
	}
	got, err := s.st.GetDirective(ctx, d.ID)
	if err != nil {
		return Directive{}, unavailable("directive", err)
	}
	fillDirective(&got)
	return got, nil
}

// texts checks per-language texts: 1 to 3, a known language each, no
// language twice, one original at least.
func texts(v *Validator, in []TextInput, maxTitle, maxBody int) []DirectiveText {
	if len(in) == 0 {
		v.Add("title", MsgRequired)
		return nil
	}
	if len(in) > len(programme.Langs) {
		v.Add("lang", MsgProgrammeLang)
		return nil
	}
	seen := map[string]bool{}
	original := false
	out := make([]DirectiveText, 0, len(in))
	for _, t := range in {
		lang := strings.TrimSpace(t.Lang)
		if !v.Has("lang") && (!contains(programme.Langs, lang) || seen[lang]) {
			v.Add("lang", MsgProgrammeLang)
		}
		seen[lang] = true
		original = original || !t.IsTranslation
		x := DirectiveText{Lang: lang, IsTranslation: t.IsTranslation}
		if !v.Has("title") {
			x.Title = v.Line("title", t.Title, 1, maxTitle)
		}
		if !v.Has("body") {
			x.Body = v.Text("body", t.Body, 0, maxBody)
		}
		out = append(out, x)
	}
	if !original && !v.Has("lang") {
		v.Add("lang", MsgProgrammeLang)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// link checks an optional http(s) address.
func link(v *Validator, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !CleanLine(s) {
		v.Add(field, MsgBadChars)
		return s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > MaxURL {
		v.Add(field, MsgProgrammeURL)
	}
	return s
}

// attachment checks one attachment: an uploaded file, or a link with a name.
func attachment(v *Validator, a AttachmentInput) (programme.Attachment, bool) {
	if a.Data != nil {
		if len(a.Data) > MaxEvidenceSize {
			v.Add("attach_file", MsgProgrammeTooLarge)
			return programme.Attachment{}, false
		}
		name := CleanFileName(a.FileName, "attachment")
		if strings.TrimSpace(a.Name) != "" {
			name = v.Line("attachments", a.Name, 1, MaxAttachmentName)
		}
		return programme.Attachment{Name: name, ContentType: http.DetectContentType(a.Data), Data: a.Data}, true
	}
	u := link(v, "attachments", a.URL)
	if u == "" && !v.Has("attachments") {
		v.Add("attachments", MsgProgrammeURL)
	}
	name := strings.TrimSpace(a.Name)
	if name == "" {
		name = Truncate(u, MaxAttachmentName)
	}
	name = v.Line("attachments", name, 1, MaxAttachmentName)
	return programme.Attachment{Name: name, URL: u}, true
}

// CleanFileName keeps the base name of an uploaded file: valid UTF-8,
// without path, control characters or quotes, at most [MaxFileName] bytes
// cut on a character boundary; def when nothing is left.
func CleanFileName(name, def string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(Truncate(strings.TrimSpace(name), MaxFileName))
	if name == "" {
		return def
	}
	return name
}

// storeErr turns what the store answers into a service error: its own
// validation (a second line behind this package's) becomes an
// [*InvalidError], a missing row [ErrNotFound], anything else [ErrUnavailable].
func storeErr(op string, err error) error {
	var pe programme.Errors
	if errors.As(err, &pe) {
		var v Validator
		for f, k := range pe {
			v.Add(f, k)
		}
		return v.Err()
	}
	return unavailable(op, err)
}

// --- tasks, addressees, assignments ---

// TaskInput adds a numbered task. Number and Weight are the typed text (a
// form field, or a JSON number): the service parses and bounds them.
// An empty weight is 1.
type TaskInput struct {
	Number string
	Weight string
	Texts  []TextInput
}

// manageDirective reads a directive and checks directive.manage on its issuer.
func (s *Programme) manageDirective(ctx context.Context, p *Principal, id int64) (Directive, error) {
	if p == nil {
		return Directive{}, ErrUnauthenticated
	}
	if id <= 0 {
		return Directive{}, ErrNotFound
	}
	d, err := s.st.GetDirective(ctx, id)
	if err != nil {
		return d, unavailable("directive", err)
	}
	if err := s.authorize(p, authz.ActionDirectiveManage, d.IssuerUnitID); err != nil {
		return d, err
	}
	return d, nil
}

// AddTask adds a numbered task to a directive (directive.manage on its
// issuer). A number already used is a [*DuplicateNumberError].
func (s *Programme) AddTask(ctx context.Context, p *Principal, directiveID int64, in TaskInput) (Task, error) {
	if d, err := s.manageDirective(ctx, p, directiveID); err != nil {
		return Task{}, err
	} else if d.Withdrawn != nil {
		return Task{}, &WithdrawnError{Withdrawal: d.Withdrawn}
	}
	var v Validator
	t := Task{DirectiveID: directiveID, Weight: 1}
	t.Number = int(intText(&v, "number", in.Number, 1, MaxTaskNumber, true))
	if w, ok := floatText(&v, "weight", in.Weight, 0, MaxWeight); ok {
		t.Weight = w
	}
	t.Texts = texts(&v, in.Texts, MaxTaskTitle, MaxTaskBody)
	if err := v.Err(); err != nil {
		return Task{}, err
	}
	err := s.st.AddTask(ctx, p.Actor(), &t)
	if errors.Is(err, ErrConflict) {
		return Task{}, &DuplicateNumberError{Field: "number", Key: MsgProgrammeTaskTaken}
	}
	if err != nil {
		return Task{}, storeErr("add task", err)
	}
	return t, nil
}

// intText parses a whole number typed as text and checks it lies in
// [min, max]; empty is an error only when required.
func intText(v *Validator, field, s string, min, max int64, required bool) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, MsgRequired)
		}
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < min || n > max {
		v.Add(field, MsgRange, min, max)
		return 0
	}
	return n
}

// floatText parses an optional decimal number (a comma is accepted as the
// decimal mark) in [min, max]; ok is false when empty or invalid.
func floatText(v *Validator, field, s string, min, max int64) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if len(s) > 32 {
		v.Add(field, MsgRange, min, max)
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < float64(min) || f > float64(max) {
		v.Add(field, MsgRange, min, max)
		return 0, false
	}
	return f, true
}

// AddresseeInput addresses a directive to one unit or to every unit of a kind.
type AddresseeInput struct {
	UnitID   int64
	UnitKind string
}

// AddAddressee adds an addressee (directive.manage on the issuer).
func (s *Programme) AddAddressee(ctx context.Context, p *Principal, directiveID int64, in AddresseeInput) (Addressee, error) {
	if d, err := s.manageDirective(ctx, p, directiveID); err != nil {
		return Addressee{}, err
	} else if d.Withdrawn != nil {
		return Addressee{}, &WithdrawnError{Withdrawal: d.Withdrawn}
	}
	var v Validator
	kind := strings.TrimSpace(in.UnitKind)
	switch {
	case (in.UnitID != 0) == (kind != ""):
		v.Add("unit_id", MsgProgrammeUnitOrKind)
	case kind != "":
		if _, err := org.ParseKind(kind); err != nil {
			v.Add("unit_kind", MsgBadChoice)
		}
	default:
		if _, ok := s.tree.Unit(in.UnitID); !ok || in.UnitID < 0 {
			v.Add("unit_id", MsgBadChoice)
		}
	}
	if err := v.Err(); err != nil {
		return Addressee{}, err
	}
	ad := Addressee{UnitID: in.UnitID, UnitKind: kind}
	if err := s.st.AddAddressee(ctx, p.Actor(), directiveID, &ad); err != nil {
		return Addressee{}, storeErr("add addressee", err)
	}
	if u, ok := s.tree.Unit(ad.UnitID); ok {
		ad.UnitName = u.Name
	}
	return ad, nil
}

// AssignInput gives a task to units: the listed ones, or every unit of a
// kind (valid on the due date's day of assignment) under the issuing body.
// DirectiveID, when set, is the directive the task must belong to.
type AssignInput struct {
	DirectiveID int64
	TaskID      int64
	UnitIDs     []int64
	UnitKind    string
	Role        string
	DueOn       string
}

// AssignTask gives a task to one or many units in one transaction, one
// audit entry per unit; assigning a unit again changes its role and due
// date, and gives back a withdrawn assignment. A withdrawn task or
// directive is a [*WithdrawnError]. The principal needs directive.manage on the directive's issuer and
// on every unit.
func (s *Programme) AssignTask(ctx context.Context, p *Principal, in AssignInput) ([]Assignment, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	if in.TaskID <= 0 {
		return nil, Invalid("task_id", MsgRequired)
	}
	task, err := s.st.GetTask(ctx, in.TaskID)
	if errors.Is(err, ErrNotFound) {
		if in.DirectiveID > 0 {
			return nil, Invalid("task_id", MsgBadChoice)
		}
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, unavailable("task", err)
	}
	if in.DirectiveID > 0 && task.DirectiveID != in.DirectiveID {
		return nil, Invalid("task_id", MsgBadChoice)
	}
	d, err := s.manageDirective(ctx, p, task.DirectiveID)
	if err != nil {
		return nil, err
	}
	if w := firstWithdrawal(d.Withdrawn, task.Withdrawn); w != nil {
		return nil, &WithdrawnError{Withdrawal: w}
	}
	var v Validator
	role := v.Choice("role", strings.TrimSpace(in.Role), programme.RoleLead, programme.RoleCooperate)
	due := v.Date("due_on", in.DueOn, true)
	if !v.Has("due_on") && due < d.IssuedOn {
		v.Add("due_on", MsgProgrammeDueBefore)
	}
	kind := strings.TrimSpace(in.UnitKind)
	var units []int64
	switch {
	case len(in.UnitIDs) > 0 && kind != "":
		v.Add("unit_id", MsgProgrammeUnitOrKind)
	case len(in.UnitIDs) > MaxAssignUnits:
		v.Add("unit_id", MsgProgrammeTooMany, MaxAssignUnits)
	case len(in.UnitIDs) > 0:
		seen := map[int64]bool{}
		for _, id := range in.UnitIDs {
			if _, ok := s.tree.Unit(id); !ok || id <= 0 {
				v.Add("unit_id", MsgBadChoice)
				break
			}
			if !seen[id] {
				seen[id] = true
				units = append(units, id)
			}
		}
	case kind != "":
		k, err := org.ParseKind(kind)
		if err != nil {
			v.Add("unit_kind", MsgBadChoice)
			break
		}
		today := s.Today()
		for _, id := range s.tree.SubtreeIDs(d.IssuerUnitID) {
			if u, ok := s.tree.Unit(id); ok && u.Kind == k && u.ValidOn(today) && s.can(p, authz.ActionDirectiveManage, id) {
				units = append(units, id)
			}
		}
		switch {
		case len(units) == 0:
			v.Add("unit_kind", MsgProgrammeNoUnits)
		case len(units) > MaxAssignUnits:
			v.Add("unit_kind", MsgProgrammeTooMany, MaxAssignUnits)
		}
	default:
		v.Add("unit_id", MsgRequired)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	for _, id := range units {
		if err := s.authorize(p, authz.ActionDirectiveManage, id); err != nil {
			return nil, err
		}
	}
	as := make([]Assignment, len(units))
	for i, id := range units {
		as[i] = Assignment{TaskID: task.ID, UnitID: id, Role: role, DueOn: due}
	}
	notes, err := s.assignNotes(ctx, d, task, as)
	if err != nil {
		return nil, err
	}
	if err := s.st.AssignTasks(ctx, p.Actor(), as, notes...); err != nil {
		return nil, storeErr("assign task", err)
	}
	for i := range as {
		if u, ok := s.tree.Unit(as[i].UnitID); ok {
			as[i].UnitName = u.Name
		}
	}
	return as, nil
}

// --- a unit's plan ---

// TaskChoice is a task a unit may plan for.
type TaskChoice struct {
	ID              int64
	DirectiveNumber string
	Number          int
	Texts           []DirectiveText
}

// Plan is a unit's assigned tasks and activities with their status on a date.
type Plan struct {
	UnitID      int64        `json:"unit_id"`
	UnitName    string       `json:"unit_name"`
	At          string       `json:"at"`
	Assignments []Assignment `json:"assignments"`
	// Withdrawn lists the unit's withdrawn assignments (their own, their
	// task's or their directive's withdrawal): no longer due, kept in sight.
	Withdrawn     []Assignment `json:"withdrawn_assignments"`
	Activities    []Activity   `json:"activities"`
	Rollup        Rollup       `json:"rollup"`
	SubtreeRollup Rollup       `json:"subtree_rollup"`

	// Filled for pages (PlanOptions.Page).
	Unit    org.Unit                   `json:"-"`
	CanEdit bool                       `json:"-"`
	Updates map[int64][]ProgressUpdate `json:"-"` // the latest 5 per activity
	Tasks   []TaskChoice               `json:"-"` // when CanEdit: assigned tasks first, then every other
}

// PlanOptions choose what [Programme.UnitPlan] reads.
type PlanOptions struct {
	At   string // YYYY-MM-DD; empty: today
	Page bool   // also the updates, and the task choices when the plan is editable
}

// UnitPlan reads a unit's plan with statuses and roll-ups (plan.read).
func (s *Programme) UnitPlan(ctx context.Context, p *Principal, unitID int64, o PlanOptions) (Plan, error) {
	u, ok := s.tree.Unit(unitID)
	if !ok {
		if p == nil {
			return Plan{}, ErrUnauthenticated
		}
		return Plan{}, ErrNotFound
	}
	if err := s.authorize(p, authz.ActionPlanRead, unitID); err != nil {
		return Plan{}, err
	}
	var v Validator
	at := s.atDate(&v, o.At)
	if err := v.Err(); err != nil {
		return Plan{}, err
	}
	pl := Plan{UnitID: unitID, UnitName: u.Name, At: at, Unit: u, CanEdit: s.can(p, authz.ActionPlanEdit, unitID)}
	var err error
	all, err := s.st.UnitAssignments(ctx, unitID)
	if err != nil {
		return pl, unavailable("assignments", err)
	}
	pl.Assignments, pl.Withdrawn = []Assignment{}, []Assignment{}
	for _, a := range all {
		if a.Withdrawn != nil {
			pl.Withdrawn = append(pl.Withdrawn, a)
		} else {
			pl.Assignments = append(pl.Assignments, a)
		}
	}
	if pl.Activities, err = s.st.UnitActivities(ctx, unitID); err != nil {
		return pl, unavailable("activities", err)
	}
	s.rules.Derive(pl.Activities, at)
	items := make([]programme.Item, 0, len(pl.Activities))
	for _, a := range pl.Activities {
		if !a.Withdrawn {
			items = append(items, a.Item())
		}
	}
	pl.Rollup = programme.Roll(items)
	under, parent, err := s.st.ActivitiesUnder(ctx, unitID)
	if err != nil {
		return pl, unavailable("activities under", err)
	}
	s.rules.Derive(under, at)
	own := map[int64][]programme.Item{}
	for _, a := range under {
		own[a.UnitID] = append(own[a.UnitID], a.Item())
	}
	rolls := map[int64]Rollup{}
	for id, its := range own {
		rolls[id] = programme.Roll(its)
	}
	if sub, ok := programme.RollTree(rolls, parent)[unitID]; ok {
		pl.SubtreeRollup = sub
	} else {
		pl.SubtreeRollup = programme.Roll(nil)
	}
	if pl.Assignments == nil {
		pl.Assignments = []Assignment{}
	}
	if pl.Activities == nil {
		pl.Activities = []Activity{}
	}
	if !o.Page {
		return pl, nil
	}
	pl.Updates = map[int64][]ProgressUpdate{}
	ups, err := s.st.UnitUpdates(ctx, unitID, 500)
	if err != nil {
		return pl, unavailable("updates", err)
	}
	for _, up := range ups {
		up.At = up.At.In(Vietnam)
		if len(pl.Updates[up.ActivityID]) < 5 {
			pl.Updates[up.ActivityID] = append(pl.Updates[up.ActivityID], up)
		}
	}
	if !pl.CanEdit {
		return pl, nil
	}
	seen := map[int64]bool{}
	for _, a := range pl.Withdrawn {
		seen[a.TaskID] = true // no new activities under a withdrawn assignment
	}
	for _, a := range pl.Assignments {
		if !seen[a.TaskID] {
			seen[a.TaskID] = true
			pl.Tasks = append(pl.Tasks, TaskChoice{ID: a.TaskID, DirectiveNumber: a.DirectiveNumber, Number: a.TaskNumber, Texts: a.TaskTexts})
		}
	}
	ds, err := s.st.ListDirectives(ctx)
	if err != nil {
		return pl, unavailable("directives", err)
	}
	for _, d := range ds {
		full, err := s.st.GetDirective(ctx, d.ID)
		if err != nil {
			return pl, unavailable("directive", err)
		}
		if full.Withdrawn != nil {
			continue
		}
		for _, t := range full.Tasks {
			if !seen[t.ID] && t.Withdrawn == nil {
				seen[t.ID] = true
				pl.Tasks = append(pl.Tasks, TaskChoice{ID: t.ID, DirectiveNumber: d.Number, Number: t.Number, Texts: t.Texts})
			}
		}
	}
	return pl, nil
}

// ActivityInput adds an activity to a unit's plan. Weight is typed text
// (empty: 1).
type ActivityInput struct {
	TaskID    int64
	Title     string
	Owner     string
	StartOn   string
	DueOn     string
	Indicator string
	Target    string
	Weight    string
}

// CreateActivity adds an activity to a unit's plan (plan.edit on the unit).
// It returns the activity with its status today.
func (s *Programme) CreateActivity(ctx context.Context, p *Principal, unitID int64, in ActivityInput) (Activity, error) {
	if _, ok := s.tree.Unit(unitID); !ok {
		if p == nil {
			return Activity{}, ErrUnauthenticated
		}
		return Activity{}, ErrNotFound
	}
	if err := s.authorize(p, authz.ActionPlanEdit, unitID); err != nil {
		return Activity{}, err
	}
	var v Validator
	a := Activity{UnitID: unitID, TaskID: in.TaskID, Weight: 1}
	if in.TaskID <= 0 {
		v.Add("task_id", MsgRequired)
	} else if t, err := s.st.GetTask(ctx, in.TaskID); errors.Is(err, ErrNotFound) {
		v.Add("task_id", MsgBadChoice)
	} else if err != nil {
		return Activity{}, unavailable("task", err)
	} else if t.Withdrawn != nil {
		v.Add("task_id", MsgProgrammeWithdrawn)
	}
	a.Title = v.Line("title", in.Title, 1, MaxActivityTitle)
	a.Owner = v.Line("owner", in.Owner, 0, MaxPersonName)
	a.Indicator = v.Line("indicator", in.Indicator, 0, MaxIndicator)
	a.Target = v.Line("target", in.Target, 0, MaxTarget)
	a.StartOn = v.Date("start_on", in.StartOn, true)
	a.DueOn = v.Date("due_on", in.DueOn, true)
	if !v.Has("start_on") && !v.Has("due_on") && a.DueOn < a.StartOn {
		v.Add("due_on", MsgDateOrder)
	}
	if w, ok := floatText(&v, "weight", in.Weight, 0, MaxWeight); ok {
		a.Weight = w
	}
	if err := v.Err(); err != nil {
		return Activity{}, err
	}
	if err := s.st.CreateActivity(ctx, p.Actor(), &a); err != nil {
		return Activity{}, storeErr("create activity", err)
	}
	got, err := s.st.GetActivity(ctx, a.ID)
	if err != nil {
		return Activity{}, unavailable("activity", err)
	}
	got.Status = s.rules.StatusOf(got.StartOn, got.DueOn, got.Progress, s.Today())
	return got, nil
}

// FileInput is an uploaded file: its name as sent and its bytes.
type FileInput struct {
	Name string
	Data []byte
}

// ProgressInput reports progress on an activity. Percent is typed text (a
// whole number 0–100); Version is the activity version the writer saw.
type ProgressInput struct {
	Percent     string
	Note        string
	EvidenceURL string
	Version     int
	File        *FileInput
}

// PostProgress records progress on an activity (plan.edit on its unit),
// with an evidence link or file. A write based on an older version is a
// [*StaleVersionError] and stores nothing. It returns the activity now,
// with its status today.
func (s *Programme) PostProgress(ctx context.Context, p *Principal, activityID int64, in ProgressInput) (Activity, error) {
	if p == nil {
		return Activity{}, ErrUnauthenticated
	}
	if activityID <= 0 {
		return Activity{}, ErrNotFound
	}
	act, err := s.st.GetActivity(ctx, activityID)
	if err != nil {
		return Activity{}, unavailable("activity", err)
	}
	if err := s.authorize(p, authz.ActionPlanEdit, act.UnitID); err != nil {
		return Activity{}, err
	}
	if act.Withdrawn {
		return Activity{}, &WithdrawnError{}
	}
	var v Validator
	u := ProgressUpdate{ActivityID: activityID}
	u.Percent = int(intText(&v, "percent", in.Percent, 0, 100, true))
	u.Note = v.Text("note", in.Note, 0, MaxNote)
	u.EvidenceURL = link(&v, "evidence_url", in.EvidenceURL)
	if in.Version <= 0 {
		v.Add("version", MsgRequired)
	}
	var file *programme.Evidence
	if in.File != nil && in.File.Data != nil {
		if len(in.File.Data) > MaxEvidenceSize {
			v.Add("file", MsgProgrammeTooLarge)
		} else {
			file = &programme.Evidence{Name: CleanFileName(in.File.Name, "evidence"), ContentType: http.DetectContentType(in.File.Data), Data: in.File.Data}
		}
	}
	if err := v.Err(); err != nil {
		return Activity{}, err
	}
	got, err := s.st.PostProgress(ctx, p.Actor(), &u, in.Version, file)
	if errors.Is(err, store.ErrWithdrawn) {
		return Activity{}, &WithdrawnError{}
	}
	if errors.Is(err, ErrConflict) {
		cur, cerr := s.st.GetActivity(ctx, activityID)
		if cerr != nil {
			return Activity{}, unavailable("activity", cerr)
		}
		return Activity{}, &StaleVersionError{Current: cur.Version}
	}
	if err != nil {
		return Activity{}, storeErr("post progress", err)
	}
	got.Status = s.rules.StatusOf(got.StartOn, got.DueOn, got.Progress, s.Today())
	return got, nil
}

// ActivityUnit returns the unit whose plan holds an activity (plan.read).
func (s *Programme) ActivityUnit(ctx context.Context, p *Principal, id int64) (int64, error) {
	if p == nil {
		return 0, ErrUnauthenticated
	}
	if id <= 0 {
		return 0, ErrNotFound
	}
	a, err := s.st.GetActivity(ctx, id)
	if err != nil {
		return 0, unavailable("activity", err)
	}
	if err := s.authorize(p, authz.ActionPlanRead, a.UnitID); err != nil {
		return 0, err
	}
	return a.UnitID, nil
}

// --- downloads ---

// File is an uploaded file to serve as a download, or a link (URL set,
// Data nil). ContentType is sniffed from the bytes, never the uploader's.
type File struct {
	Name        string
	ContentType string
	Data        []byte
	URL         string
}

// Evidence returns an evidence file (plan.read on its activity's unit).
func (s *Programme) Evidence(ctx context.Context, p *Principal, id int64) (File, error) {
	if p == nil {
		return File{}, ErrUnauthenticated
	}
	if id <= 0 {
		return File{}, ErrNotFound
	}
	ev, unitID, err := s.st.GetEvidence(ctx, id)
	if err != nil {
		return File{}, unavailable("evidence", err)
	}
	if err := s.authorize(p, authz.ActionPlanRead, unitID); err != nil {
		return File{}, err
	}
	return File{Name: CleanFileName(ev.Name, "evidence"), ContentType: http.DetectContentType(ev.Data), Data: ev.Data}, nil
}

// DirectiveAttachment returns a directive's attachment (directive.read).
func (s *Programme) DirectiveAttachment(ctx context.Context, p *Principal, id int64) (File, error) {
	if err := s.authorize(p, authz.ActionDirectiveRead, 0); err != nil {
		return File{}, err
	}
	if id <= 0 {
		return File{}, ErrNotFound
	}
	at, err := s.st.GetDirectiveAttachment(ctx, id)
	if err != nil {
		return File{}, unavailable("attachment", err)
	}
	if at.Data == nil {
		if at.URL == "" {
			return File{}, ErrNotFound
		}
		return File{Name: at.Name, URL: at.URL}, nil
	}
	return File{Name: CleanFileName(at.Name, "attachment"), ContentType: http.DetectContentType(at.Data), Data: at.Data}, nil
}
