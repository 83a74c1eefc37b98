package service

// Editing and withdrawing (thu hồi) directives, tasks and assignments, and
// assigning a task to many units at once with a preview. Only the issuing
// unit's managers (directive.manage on the issuer) may do any of it; a
// withdrawal keeps the item, marked with who, when and why, and tells the
// units concerned in the same transaction.

import (
	"context"
	"errors"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
)

// Withdrawal says who withdrew an item, when and why.
type Withdrawal = programme.Withdrawal

// MaxWithdrawReason bounds the reason of a withdrawal (characters).
const MaxWithdrawReason = 2000

// Message keys of editing, withdrawing and bulk assignment (programme_edit.*.json).
const (
	MsgProgrammeWithdrawn   = "programme_edit.err.withdrawn"
	MsgProgrammeStale       = "programme_edit.err.stale"
	MsgProgrammeAssigned    = "programme_edit.err.already_assigned"
	MsgProgrammeNoDue       = "programme_edit.err.no_due"
	MsgProgrammeNoneInRange = "programme_edit.err.no_units"
)

// WithdrawnError: the item was withdrawn and takes no more changes nor
// progress. It is an [ErrConflict].
type WithdrawnError struct{ Withdrawal *Withdrawal }

func (e *WithdrawnError) Error() string { return "withdrawn" }

// Unwrap makes the error an [ErrConflict].
func (e *WithdrawnError) Unwrap() error { return ErrConflict }

// editErr turns what the store answers to an edit into a service error:
// ErrStale a [*StaleVersionError] with the version now stored (current
// reads it), ErrWithdrawn a [*WithdrawnError], a duplicate number a
// [*DuplicateNumberError] with dupKey.
func editErr(op string, err error, dupKey string, current func() int) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrStale):
		return &StaleVersionError{Current: current()}
	case errors.Is(err, store.ErrWithdrawn):
		return &WithdrawnError{}
	case errors.Is(err, ErrConflict) && dupKey != "":
		return &DuplicateNumberError{Field: dupKey2Field(dupKey), Key: dupKey}
	}
	return storeErr(op, err)
}

func dupKey2Field(key string) string {
	if key == MsgProgrammeAssigned {
		return "unit_id"
	}
	return "number"
}

// version checks the version the writer saw.
func version(v *Validator, n int) {
	if n <= 0 {
		v.Add("version", MsgRequired)
	}
}

// --- reads for the edit and confirm pages ---

// TaskView is a task with its directive, for its edit and withdraw pages.
type TaskView struct {
	Task      Task      `json:"task"`
	Directive Directive `json:"directive"`
}

// GetTask reads a task with its directive (directive.manage on its issuer).
func (s *Programme) GetTask(ctx context.Context, p *Principal, id int64) (TaskView, error) {
	if p == nil {
		return TaskView{}, ErrUnauthenticated
	}
	if id <= 0 {
		return TaskView{}, ErrNotFound
	}
	t, err := s.st.GetTask(ctx, id)
	if err != nil {
		return TaskView{}, unavailable("task", err)
	}
	d, err := s.manageDirective(ctx, p, t.DirectiveID)
	if err != nil {
		return TaskView{}, err
	}
	for _, x := range d.Tasks {
		if x.ID == t.ID {
			t.Assignments = x.Assignments
		}
	}
	return TaskView{Task: t, Directive: d}, nil
}

// AssignmentView is an assignment with its task and directive.
type AssignmentView struct {
	Assignment Assignment `json:"assignment"`
	Task       Task       `json:"task"`
	Directive  Directive  `json:"directive"`
}

// GetAssignment reads an assignment with its task and directive
// (directive.manage on the directive's issuer).
func (s *Programme) GetAssignment(ctx context.Context, p *Principal, id int64) (AssignmentView, error) {
	if p == nil {
		return AssignmentView{}, ErrUnauthenticated
	}
	if id <= 0 {
		return AssignmentView{}, ErrNotFound
	}
	as, err := s.st.GetAssignment(ctx, id)
	if err != nil {
		return AssignmentView{}, unavailable("assignment", err)
	}
	d, err := s.manageDirective(ctx, p, as.DirectiveID)
	if err != nil {
		return AssignmentView{}, err
	}
	v := AssignmentView{Assignment: as, Directive: d}
	for _, t := range d.Tasks {
		if t.ID == as.TaskID {
			v.Task = t
		}
	}
	return v, nil
}

// --- edit ---

// DirectiveEdit changes a directive: its number, type, date, signer and the
// title and body of its original text. Version is the one the writer saw.
type DirectiveEdit struct {
	Version     int
	Number      string
	DocType     string
	IssuedOn    string
	Signer      string
	SignerTitle string
	Title       string
	Body        string
}

// EditDirective changes a directive (directive.manage on its issuer). A
// changed directive is a [*StaleVersionError], a withdrawn one a
// [*WithdrawnError], a number already used a [*DuplicateNumberError].
func (s *Programme) EditDirective(ctx context.Context, p *Principal, id int64, in DirectiveEdit) (Directive, error) {
	d, err := s.manageDirective(ctx, p, id)
	if err != nil {
		return Directive{}, err
	}
	if d.Withdrawn != nil {
		return Directive{}, &WithdrawnError{Withdrawal: d.Withdrawn}
	}
	var v Validator
	version(&v, in.Version)
	orig := programme.Original(d.Texts)
	n := Directive{ID: id, IssuerUnitID: d.IssuerUnitID}
	n.Number = v.Line("number", in.Number, 1, MaxDirectiveNumber)
	if !v.Has("number") && !programme.ValidNumber(n.Number) {
		v.Add("number", MsgProgrammeNumber)
	}
	n.DocType = v.Choice("doc_type", in.DocType, programme.DocTypes...)
	n.IssuedOn = v.Date("issued_on", in.IssuedOn, true)
	n.Signer = v.Line("signer", in.Signer, 0, MaxPersonName)
	n.SignerTitle = v.Line("signer_title", in.SignerTitle, 0, MaxPersonName)
	t := DirectiveText{Lang: orig.Lang}
	t.Title = v.Line("title", in.Title, 1, MaxDirectiveTitle)
	t.Body = v.Text("body", in.Body, 0, MaxDirectiveBody)
	n.Texts = []DirectiveText{t}
	if !v.Has("issued_on") {
		// An assignment may not be due before the directive's date.
		for _, tk := range d.Tasks {
			for _, as := range tk.Assignments {
				if as.Withdrawn == nil && as.DueOn < n.IssuedOn && !v.Has("issued_on") {
					v.Add("issued_on", MsgProgrammeDueBefore)
				}
			}
		}
	}
	if err := v.Err(); err != nil {
		return Directive{}, err
	}
	err = s.st.UpdateDirective(ctx, p.Actor(), &n, in.Version)
	if err := editErr("edit directive", err, MsgProgrammeNumberTaken, func() int {
		cur, _ := s.st.GetDirective(ctx, id)
		return cur.Version
	}); err != nil {
		return Directive{}, err
	}
	got, err := s.st.GetDirective(ctx, id)
	if err != nil {
		return Directive{}, unavailable("directive", err)
	}
	fillDirective(&got)
	return got, nil
}

// TaskEdit changes a task: number, weight (typed text; empty: 1), and the
// title and body of its original text.
type TaskEdit struct {
	Version int
	Number  string
	Weight  string
	Title   string
	Body    string
}

// EditTask changes a task (directive.manage on its directive's issuer); the
// errors are those of [Programme.EditDirective].
func (s *Programme) EditTask(ctx context.Context, p *Principal, id int64, in TaskEdit) (Task, error) {
	tv, err := s.GetTask(ctx, p, id)
	if err != nil {
		return Task{}, err
	}
	if w := firstWithdrawal(tv.Directive.Withdrawn, tv.Task.Withdrawn); w != nil {
		return Task{}, &WithdrawnError{Withdrawal: w}
	}
	var v Validator
	version(&v, in.Version)
	t := Task{ID: id, DirectiveID: tv.Task.DirectiveID, Weight: 1}
	t.Number = int(intText(&v, "number", in.Number, 1, MaxTaskNumber, true))
	if w, ok := floatText(&v, "weight", in.Weight, 0, MaxWeight); ok {
		t.Weight = w
	}
	x := DirectiveText{Lang: programme.Original(tv.Task.Texts).Lang}
	x.Title = v.Line("title", in.Title, 1, MaxTaskTitle)
	x.Body = v.Text("body", in.Body, 0, MaxTaskBody)
	t.Texts = []DirectiveText{x}
	if err := v.Err(); err != nil {
		return Task{}, err
	}
	err = s.st.UpdateTask(ctx, p.Actor(), &t, in.Version)
	if err := editErr("edit task", err, MsgProgrammeTaskTaken, func() int {
		cur, _ := s.st.GetTask(ctx, id)
		return cur.Version
	}); err != nil {
		return Task{}, err
	}
	return s.st.GetTask(ctx, id)
}

func firstWithdrawal(ws ...*Withdrawal) *Withdrawal {
	for _, w := range ws {
		if w != nil {
			return w
		}
	}
	return nil
}

// AssignmentEdit changes an assignment: its unit, role, due date and note.
type AssignmentEdit struct {
	Version int
	UnitID  int64
	Role    string
	DueOn   string
	Note    string
}

// EditAssignment changes an assignment (directive.manage on the directive's
// issuer, and on the new unit when it changes). Moving it to a unit that
// already has the task is a [*DuplicateNumberError] on unit_id. A new unit,
// or a new due date, is told about it.
func (s *Programme) EditAssignment(ctx context.Context, p *Principal, id int64, in AssignmentEdit) (Assignment, error) {
	av, err := s.GetAssignment(ctx, p, id)
	if err != nil {
		return Assignment{}, err
	}
	if w := firstWithdrawal(av.Directive.Withdrawn, av.Task.Withdrawn, av.Assignment.Withdrawn); w != nil {
		return Assignment{}, &WithdrawnError{Withdrawal: w}
	}
	var v Validator
	version(&v, in.Version)
	as := Assignment{ID: id, TaskID: av.Assignment.TaskID, UnitID: in.UnitID}
	if in.UnitID == 0 {
		as.UnitID = av.Assignment.UnitID
	}
	if _, ok := s.tree.Unit(as.UnitID); !ok || as.UnitID <= 0 {
		v.Add("unit_id", MsgBadChoice)
	}
	as.Role = v.Choice("role", strings.TrimSpace(in.Role), programme.RoleLead, programme.RoleCooperate)
	as.DueOn = v.Date("due_on", in.DueOn, true)
	if !v.Has("due_on") && as.DueOn < av.Directive.IssuedOn {
		v.Add("due_on", MsgProgrammeDueBefore)
	}
	as.Note = v.Text("note", in.Note, 0, MaxNote)
	if err := v.Err(); err != nil {
		return Assignment{}, err
	}
	if as.UnitID != av.Assignment.UnitID {
		if err := s.authorize(p, authz.ActionDirectiveManage, as.UnitID); err != nil {
			return Assignment{}, err
		}
	}
	var notes []store.NewNotification
	if as.UnitID != av.Assignment.UnitID || as.DueOn != av.Assignment.DueOn || as.Role != av.Assignment.Role {
		if notes, err = s.assignNotes(ctx, av.Directive, av.Task, []Assignment{as}); err != nil {
			return Assignment{}, err
		}
	}
	err = s.st.UpdateAssignment(ctx, p.Actor(), &as, in.Version, notes...)
	if err := editErr("edit assignment", err, MsgProgrammeAssigned, func() int {
		cur, _ := s.st.GetAssignment(ctx, id)
		return cur.Version
	}); err != nil {
		return Assignment{}, err
	}
	return s.st.GetAssignment(ctx, id)
}

// --- withdraw ---

// WithdrawInput withdraws an item: the version seen and a reason (required).
type WithdrawInput struct {
	Version int
	Reason  string
}

func (s *Programme) withdrawInput(in WithdrawInput) (string, error) {
	var v Validator
	version(&v, in.Version)
	reason := v.Text("reason", in.Reason, 1, MaxWithdrawReason)
	return reason, v.Err()
}

// WithdrawDirective withdraws a directive (directive.manage on its issuer):
// it stays readable, marked withdrawn; its tasks and assignments leave
// roll-ups and take no progress. Every unit holding one of its assignments
// is told.
func (s *Programme) WithdrawDirective(ctx context.Context, p *Principal, id int64, in WithdrawInput) (Withdrawal, error) {
	d, err := s.manageDirective(ctx, p, id)
	if err != nil {
		return Withdrawal{}, err
	}
	if d.Withdrawn != nil {
		return Withdrawal{}, &WithdrawnError{Withdrawal: d.Withdrawn}
	}
	reason, err := s.withdrawInput(in)
	if err != nil {
		return Withdrawal{}, err
	}
	var as []Assignment
	for _, t := range d.Tasks {
		if t.Withdrawn != nil {
			continue
		}
		for _, a := range t.Assignments {
			if a.Withdrawn == nil {
				as = append(as, a)
			}
		}
	}
	notes, err := s.withdrawNotes(ctx, p, d, nil, as, reason)
	if err != nil {
		return Withdrawal{}, err
	}
	w, err := s.st.Withdraw(ctx, p.Actor(), store.WithdrawDirective, id, in.Version, displayName(p), reason, notes...)
	return w, editErr("withdraw directive", err, "", func() int {
		cur, _ := s.st.GetDirective(ctx, id)
		return cur.Version
	})
}

// WithdrawTask withdraws a task (directive.manage on its directive's
// issuer); the units holding it are told.
func (s *Programme) WithdrawTask(ctx context.Context, p *Principal, id int64, in WithdrawInput) (Withdrawal, error) {
	tv, err := s.GetTask(ctx, p, id)
	if err != nil {
		return Withdrawal{}, err
	}
	if w := firstWithdrawal(tv.Directive.Withdrawn, tv.Task.Withdrawn); w != nil {
		return Withdrawal{}, &WithdrawnError{Withdrawal: w}
	}
	reason, err := s.withdrawInput(in)
	if err != nil {
		return Withdrawal{}, err
	}
	var as []Assignment
	for _, a := range tv.Task.Assignments {
		if a.Withdrawn == nil {
			as = append(as, a)
		}
	}
	notes, err := s.withdrawNotes(ctx, p, tv.Directive, &tv.Task, as, reason)
	if err != nil {
		return Withdrawal{}, err
	}
	w, err := s.st.Withdraw(ctx, p.Actor(), store.WithdrawTask, id, in.Version, displayName(p), reason, notes...)
	return w, editErr("withdraw task", err, "", func() int {
		cur, _ := s.st.GetTask(ctx, id)
		return cur.Version
	})
}

// WithdrawAssignment withdraws one assignment (directive.manage on the
// directive's issuer); its unit is told.
func (s *Programme) WithdrawAssignment(ctx context.Context, p *Principal, id int64, in WithdrawInput) (Withdrawal, error) {
	av, err := s.GetAssignment(ctx, p, id)
	if err != nil {
		return Withdrawal{}, err
	}
	if w := firstWithdrawal(av.Directive.Withdrawn, av.Task.Withdrawn, av.Assignment.Withdrawn); w != nil {
		return Withdrawal{}, &WithdrawnError{Withdrawal: w}
	}
	reason, err := s.withdrawInput(in)
	if err != nil {
		return Withdrawal{}, err
	}
	notes, err := s.withdrawNotes(ctx, p, av.Directive, &av.Task, []Assignment{av.Assignment}, reason)
	if err != nil {
		return Withdrawal{}, err
	}
	w, err := s.st.Withdraw(ctx, p.Actor(), store.WithdrawAssignment, id, in.Version, displayName(p), reason, notes...)
	return w, editErr("withdraw assignment", err, "", func() int {
		cur, _ := s.st.GetAssignment(ctx, id)
		return cur.Version
	})
}

// withdrawNotes tells each unit of as (once per unit) that the directive,
// or its task when task is not nil, was withdrawn, with the reason. They are
// of the kind [KindTaskAssigned]: news of the unit's assignments.
func (s *Programme) withdrawNotes(ctx context.Context, p *Principal, d Directive, task *Task, as []Assignment, reason string) ([]store.NewNotification, error) {
	by := displayName(p)
	seen := map[int64]bool{}
	var out []store.NewNotification
	for _, a := range as {
		if seen[a.UnitID] {
			continue
		}
		seen[a.UnitID] = true
		unit, _ := s.tree.Unit(a.UnitID)
		number := 0
		if task != nil {
			number = task.Number
		} else {
			for _, t := range d.Tasks {
				if t.ID == a.TaskID {
					number = t.Number
				}
			}
		}
		ns, err := s.unitNotes(ctx, a.UnitID, planLink(a.UnitID), func(l i18n.Locale) (string, string) {
			if task == nil {
				return l.T("programme_edit.notice.directive_subject", d.Number),
					l.T("programme_edit.notice.directive_body", unit.Name, d.Number, by, reason)
			}
			return l.T("programme_edit.notice.task_subject", number, d.Number),
				l.T("programme_edit.notice.task_body", unit.Name, number, d.Number, by, reason)
		})
		if err != nil {
			return nil, err
		}
		for i := range ns {
			ns[i].Link = planLink(a.UnitID)
		}
		out = append(out, withKind(ns, KindTaskAssigned)...)
	}
	return out, nil
}

// --- assign to many units ---

// Scopes of a bulk assignment.
const (
	BulkCommunes = "communes" // every commune-level unit (xã, phường, đặc khu) of the issuer's province, valid today
	BulkKind     = "kind"     // every unit of a kind of the issuer's province, valid today
	BulkSubtree  = "subtree"  // a unit and every unit below it, valid today
)

// BulkScopes lists the scopes in the order the form offers them.
var BulkScopes = []string{BulkCommunes, BulkKind, BulkSubtree}

// communeKinds are the commune-level kinds.
var communeKinds = []org.Kind{org.KindCommune, org.KindWard, org.KindTownship, org.KindSpecialZone}

// BulkAssignInput assigns a task to many units: every commune, every unit
// of a kind, or a subtree. DueOn is optional: empty takes the latest due
// date of the task's assignments. With Preview nothing is stored.
type BulkAssignInput struct {
	DirectiveID int64
	TaskID      int64
	Scope       string
	UnitKind    string
	UnitID      int64
	Role        string
	DueOn       string
	Note        string
	Preview     bool
}

// BulkAssignResult is what a bulk assignment does (Preview) or did: the
// units that get the task, and those skipped because they already hold it.
type BulkAssignResult struct {
	Preview  bool            `json:"preview"`
	TaskID   int64           `json:"task_id"`
	Role     string          `json:"role"`
	DueOn    string          `json:"due_on"`
	Note     string          `json:"note"`
	Count    int             `json:"count"`
	Units    []org.Unit      `json:"units"`
	Skipped  []org.Unit      `json:"skipped"`
	Created  []Assignment    `json:"created"`
	TaskText []DirectiveText `json:"-"`
	Number   int             `json:"-"`
}

// BulkAssign assigns a task to many units in one transaction (one audit
// entry per assignment, one notice per unit's heads and officers), or with
// Preview says what it would do. The principal needs directive.manage on the
// directive's issuer; units it may not manage are left out. Units that hold
// the task already are skipped, never changed.
func (s *Programme) BulkAssign(ctx context.Context, p *Principal, in BulkAssignInput) (BulkAssignResult, error) {
	if p == nil {
		return BulkAssignResult{}, ErrUnauthenticated
	}
	if in.TaskID <= 0 {
		if _, err := s.manageDirective(ctx, p, in.DirectiveID); err != nil && in.DirectiveID > 0 {
			return BulkAssignResult{}, err
		}
		return BulkAssignResult{}, Invalid("task_id", MsgRequired)
	}
	tv, err := s.GetTask(ctx, p, in.TaskID)
	if errors.Is(err, ErrNotFound) && in.DirectiveID > 0 {
		return BulkAssignResult{}, Invalid("task_id", MsgBadChoice)
	}
	if err != nil {
		return BulkAssignResult{}, err
	}
	if in.DirectiveID > 0 && tv.Task.DirectiveID != in.DirectiveID {
		return BulkAssignResult{}, Invalid("task_id", MsgBadChoice)
	}
	if w := firstWithdrawal(tv.Directive.Withdrawn, tv.Task.Withdrawn); w != nil {
		return BulkAssignResult{}, &WithdrawnError{Withdrawal: w}
	}
	d := tv.Directive
	var v Validator
	res := BulkAssignResult{Preview: in.Preview, TaskID: tv.Task.ID, TaskText: tv.Task.Texts, Number: tv.Task.Number}
	res.Role = v.Choice("role", strings.TrimSpace(in.Role), programme.RoleLead, programme.RoleCooperate)
	res.Note = v.Text("note", in.Note, 0, MaxNote)
	if strings.TrimSpace(in.DueOn) == "" {
		for _, a := range tv.Task.Assignments {
			if a.Withdrawn == nil && a.DueOn > res.DueOn {
				res.DueOn = a.DueOn
			}
		}
		if res.DueOn == "" {
			v.Add("due_on", MsgProgrammeNoDue)
		}
	} else {
		res.DueOn = v.Date("due_on", in.DueOn, true)
		if !v.Has("due_on") && res.DueOn < d.IssuedOn {
			v.Add("due_on", MsgProgrammeDueBefore)
		}
	}
	today := s.Today()
	var kinds []org.Kind
	// The issuing body (a provincial Party committee's standing board, say)
	// rarely has the communes under it: they are found from the top of its
	// tree, the province.
	root := d.IssuerUnitID
	if as := s.tree.Ancestors(root); len(as) > 0 {
		root = as[0].ID
	}
	switch strings.TrimSpace(in.Scope) {
	case BulkCommunes:
		kinds = communeKinds
	case BulkKind:
		k, err := org.ParseKind(strings.TrimSpace(in.UnitKind))
		if err != nil {
			v.Add("unit_kind", MsgBadChoice)
		}
		kinds = []org.Kind{k}
	case BulkSubtree:
		if u, ok := s.tree.Unit(in.UnitID); !ok || in.UnitID <= 0 || !u.ValidOn(today) {
			v.Add("unit_id", MsgBadChoice)
		}
		root = in.UnitID
	default:
		v.Add("scope", MsgBadChoice)
	}
	if err := v.Err(); err != nil {
		return BulkAssignResult{}, err
	}
	held := map[int64]bool{}
	for _, a := range tv.Task.Assignments {
		if a.Withdrawn == nil {
			held[a.UnitID] = true
		}
	}
	units, _ := s.tree.SubtreeAt(root, today)
	for _, u := range units {
		if !u.ValidOn(today) || (kinds != nil && !containsKind(kinds, u.Kind)) || !s.can(p, authz.ActionDirectiveManage, u.ID) {
			continue
		}
		if held[u.ID] {
			res.Skipped = append(res.Skipped, u)
		} else {
			res.Units = append(res.Units, u)
		}
	}
	switch {
	case len(res.Units)+len(res.Skipped) == 0:
		v.Add(scopeField(in.Scope), MsgProgrammeNoneInRange)
	case len(res.Units) > MaxAssignUnits:
		v.Add(scopeField(in.Scope), MsgProgrammeTooMany, MaxAssignUnits)
	}
	if err := v.Err(); err != nil {
		return BulkAssignResult{}, err
	}
	res.Count = len(res.Units)
	res.Created = []Assignment{}
	if res.Units == nil {
		res.Units = []org.Unit{}
	}
	if res.Skipped == nil {
		res.Skipped = []org.Unit{}
	}
	if in.Preview || res.Count == 0 {
		return res, nil
	}
	as := make([]Assignment, len(res.Units))
	for i, u := range res.Units {
		as[i] = Assignment{TaskID: tv.Task.ID, UnitID: u.ID, Role: res.Role, DueOn: res.DueOn, Note: res.Note}
	}
	notes, err := s.assignNotes(ctx, d, tv.Task, as)
	if err != nil {
		return BulkAssignResult{}, err
	}
	done, err := s.st.BulkAssign(ctx, p.Actor(), as, notes...)
	if err != nil {
		return BulkAssignResult{}, storeErr("bulk assign", err)
	}
	for i := range done {
		if u, ok := s.tree.Unit(done[i].UnitID); ok {
			done[i].UnitName = u.Name
		}
	}
	res.Created, res.Count = done, len(done)
	return res, nil
}

func containsKind(ks []org.Kind, k org.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// scopeField is the field a scope's "no units" message belongs to.
func scopeField(scope string) string {
	switch scope {
	case BulkKind:
		return "unit_kind"
	case BulkSubtree:
		return "unit_id"
	}
	return "scope"
}

// --- addressees ---

// RemoveAddressee takes an addressee off a directive (directive.manage on
// its issuer); a withdrawn directive is a [*WithdrawnError]. It returns the
// addressee removed.
func (s *Programme) RemoveAddressee(ctx context.Context, p *Principal, directiveID, addresseeID int64) (Addressee, error) {
	d, err := s.manageDirective(ctx, p, directiveID)
	if err != nil {
		return Addressee{}, err
	}
	if d.Withdrawn != nil {
		return Addressee{}, &WithdrawnError{Withdrawal: d.Withdrawn}
	}
	var ad Addressee
	for _, x := range d.Addressees {
		if x.ID == addresseeID {
			ad = x
		}
	}
	if ad.ID == 0 {
		return Addressee{}, ErrNotFound
	}
	if err := s.st.RemoveAddressee(ctx, p.Actor(), directiveID, addresseeID); err != nil {
		return Addressee{}, unavailable("remove addressee", err)
	}
	return ad, nil
}
