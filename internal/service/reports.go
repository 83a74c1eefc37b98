package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// Types of the reports capability that the doors render.
type (
	Template     = report.Template
	Report       = report.Report
	ReportValues = report.Values
	Version      = report.Version
	Attachment   = report.Attachment
	Completeness = report.Completeness
	// ReportCursor is a position in the reports list (keyset pagination).
	ReportCursor = store.ReportCursor
	// IndicatorRow is an indicator of a template as stored.
	IndicatorRow = store.IndicatorRow
)

// ReportCountCap bounds the count of a reports list (see [ReportPage.More]).
const ReportCountCap = store.ReportCountCap

// Message keys of the reports capability (internal/i18n/locales/reports.*.json).
const (
	MsgReportInvalid      = "report.invalid"
	MsgReportNotScheduled = "report.not_scheduled"
	MsgCommentNeeded      = "report.comment_required"
	MsgOutsideOwner       = "report.schedule.outside_owner"
	MsgNoUnit             = "report.no_unit"
	MsgTooMany            = "report.too_many"
)

// Bounds of what the reports capability accepts from outside.
const (
	maxTemplateName   = 200
	maxDescription    = 4000
	maxLevels         = 20
	maxLevelName      = 50
	maxNarrative      = 20000
	maxNarrativeParts = 100
	maxValues         = 5000
	maxValueKey       = 200
	maxValue          = 4000
	maxComment        = 4000
	maxAttachmentName = 200 // bytes, cut on a character boundary
	maxVersion        = 1 << 30
)

// Reports is the reports capability: templates, schedules, reports and
// their workflow (draft → submitted → returned/accepted), attachments,
// value import, completeness and the consolidated views.
type Reports struct {
	base
}

func newReports(b base) *Reports { return &Reports{base: b} }

// signedIn is ErrUnauthenticated for an anonymous principal.
func signedIn(p *Principal) error {
	if p == nil || (!p.System && p.User.ID == 0) {
		return ErrUnauthenticated
	}
	return nil
}

func grantsOf(p *Principal) []authz.Grant {
	if p == nil {
		return nil
	}
	return p.Grants
}

// workflowErr turns the store's workflow errors into typed errors; fe are
// the field errors of an invalid report.
func workflowErr(err error, fe report.FieldErrors) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, report.ErrInvalid):
		inv := &InvalidError{Key: MsgReportInvalid}
		keys := make([]string, 0, len(fe))
		for k := range fe {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			inv.Fields = append(inv.Fields, FieldError{Field: "values." + k, Key: fe[k]})
		}
		return inv
	case errors.Is(err, report.ErrLocked), errors.Is(err, report.ErrTransition):
		return fmt.Errorf("%w: %w", ErrConflict, err)
	case errors.Is(err, report.ErrCommentNeeded):
		return Invalid("comment", MsgCommentNeeded)
	case errors.Is(err, store.ErrNotScheduled):
		return Invalid("unit_id", MsgReportNotScheduled)
	case errors.Is(err, report.ErrAttachmentSize):
		return Invalid("file", report.ErrAttachmentSize.Error())
	}
	var te store.TemplateError
	if errors.As(err, &te) {
		inv := &InvalidError{}
		keys := make([]string, 0, len(te))
		for k := range te {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			inv.Fields = append(inv.Fields, FieldError{Field: k, Key: te[k]})
		}
		return inv
	}
	return unavailable("reports", err)
}

// ---------- templates ----------

// TemplateInput is a template as typed in a form or sent as JSON.
type TemplateInput struct {
	Code        string
	Name        string
	Description string
	PeriodType  string
	CutoffDay   *int // nil: the default (15)
	// Definition is the JSON definition (sections, indicators, rules).
	Definition []byte
	Active     *bool // nil: active
	// OwnerUnitID is the unit the template belongs to (0: installation-wide);
	// the principal must manage templates there.
	OwnerUnitID int64
	// Version is the version read (update only).
	Version int
}

// ListTemplates lists the templates (activeOnly: the active ones).
func (r *Reports) ListTemplates(ctx context.Context, p *Principal, activeOnly bool) ([]Template, error) {
	if err := signedIn(p); err != nil {
		return nil, err
	}
	ts, err := r.st.ListTemplates(ctx, activeOnly)
	return ts, unavailable("templates", err)
}

// Template returns a template with its active schedules.
func (r *Reports) Template(ctx context.Context, p *Principal, id int64) (Template, []Schedule, error) {
	if err := signedIn(p); err != nil {
		return Template{}, nil, err
	}
	t, err := r.st.GetTemplate(ctx, id)
	if err != nil {
		return t, nil, unavailable("template", err)
	}
	scs, err := r.st.ListSchedules(ctx, id)
	return t, scs, unavailable("schedules", err)
}

// CanManageTemplates reports whether p manages templates anywhere (to show
// the link); each use case checks the template's own unit.
func (r *Reports) CanManageTemplates(p *Principal) bool {
	if p == nil {
		return false
	}
	if p.System || authz.IsAdmin(p.Grants) {
		return true
	}
	for _, g := range p.Grants {
		if r.can(p, authz.ActionTemplateManage, g.UnitID) {
			return true
		}
	}
	return false
}

// CanManageTemplate reports whether p may change template t.
func (r *Reports) CanManageTemplate(p *Principal, t Template) bool {
	return r.can(p, authz.ActionTemplateManage, t.OwnerUnitID)
}

// checkTemplate validates the input into a template.
func (r *Reports) checkTemplate(in TemplateInput) (Template, error) {
	var v Validator
	t := Template{CutoffDay: report.DefaultCutoffDay, Active: true, OwnerUnitID: in.OwnerUnitID}
	t.Code = v.Line("code", in.Code, 1, 50)
	t.Name = v.Line("name", in.Name, 1, maxTemplateName)
	t.Description = v.Text("description", in.Description, 0, maxDescription)
	if pt, err := report.ParsePeriodType(in.PeriodType); err != nil {
		v.Add("period_type", report.ErrTemplatePeriod.Error())
	} else {
		t.PeriodType = pt
	}
	if in.CutoffDay != nil {
		t.CutoffDay = int(v.Int("cutoff_day", int64(*in.CutoffDay), 1, 28))
	}
	if in.Active != nil {
		t.Active = *in.Active
	}
	if in.OwnerUnitID != 0 {
		if _, ok := r.tree.Unit(in.OwnerUnitID); !ok {
			v.Add("owner_unit_id", MsgNoUnit)
		}
	}
	switch {
	case len(in.Definition) == 0:
		v.Add("definition", MsgRequired)
	case !utf8.Valid(in.Definition) || strings.ContainsRune(string(in.Definition), 0):
		v.Add("definition", MsgBadChars)
	default:
		def, err := report.ParseDefinition(in.Definition)
		var de *report.DefinitionError
		switch {
		case errors.As(err, &de):
			for _, pr := range de.Problems {
				v.Add(strings.TrimSuffix("definition."+pr.Path, "."), pr.Key)
			}
		case err != nil:
			v.Add("definition", report.ErrDefinition.Error())
		default:
			if !cleanDefinition(def) {
				v.Add("definition", MsgBadChars)
			}
			t.Definition = def
		}
	}
	if err := v.Err(); err != nil {
		return t, err
	}
	errs := t.Check()
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.Add(k, errs[k])
	}
	return t, v.Err()
}

// cleanDefinition reports whether every text of a definition is clean.
func cleanDefinition(d report.Definition) bool {
	texts := func(t report.Text) bool {
		for k, s := range t {
			if !CleanLine(k) || !CleanText(s) {
				return false
			}
		}
		return true
	}
	for _, s := range d.Sections {
		if !CleanLine(s.Key) || !texts(s.Title) {
			return false
		}
	}
	for _, in := range d.Indicators {
		if !CleanLine(in.Code) || !texts(in.Name) {
			return false
		}
		if dg := in.Disaggregation; dg != nil {
			for _, c := range dg.Categories {
				if !CleanLine(c.Key) || !texts(c.Name) {
					return false
				}
			}
		}
	}
	return true
}

// CreateTemplate creates a template owned by in.OwnerUnitID; p must manage
// templates on that unit (installation-wide templates: administrators).
func (r *Reports) CreateTemplate(ctx context.Context, p *Principal, in TemplateInput) (Template, error) {
	if err := signedIn(p); err != nil {
		return Template{}, err
	}
	if in.OwnerUnitID != 0 {
		if _, ok := r.tree.Unit(in.OwnerUnitID); !ok {
			return Template{}, Invalid("owner_unit_id", MsgNoUnit)
		}
	}
	if err := r.authorize(p, authz.ActionTemplateManage, in.OwnerUnitID); err != nil {
		return Template{}, err
	}
	t, err := r.checkTemplate(in)
	if err != nil {
		return t, err
	}
	if err := r.st.CreateTemplate(ctx, p.Actor(), &t); err != nil {
		return t, workflowErr(err, nil)
	}
	return t, nil
}

// UpdateTemplate replaces template id. p must manage templates on its
// current owner unit and on the new one; in.Version must be the version
// read (ErrConflict otherwise, also when another update wins the race).
func (r *Reports) UpdateTemplate(ctx context.Context, p *Principal, id int64, in TemplateInput) (Template, error) {
	if err := signedIn(p); err != nil {
		return Template{}, err
	}
	cur, err := r.st.GetTemplate(ctx, id)
	if err != nil {
		return Template{}, unavailable("template", err)
	}
	if err := r.authorize(p, authz.ActionTemplateManage, cur.OwnerUnitID); err != nil {
		return Template{}, err
	}
	if in.OwnerUnitID != cur.OwnerUnitID {
		if _, ok := r.tree.Unit(in.OwnerUnitID); !ok && in.OwnerUnitID != 0 {
			return Template{}, Invalid("owner_unit_id", MsgNoUnit)
		}
		if err := r.authorize(p, authz.ActionTemplateManage, in.OwnerUnitID); err != nil {
			return Template{}, err
		}
	}
	var v Validator
	v.Int("version", int64(in.Version), 1, maxVersion)
	if err := v.Err(); err != nil {
		return Template{}, err
	}
	t, err := r.checkTemplate(in)
	if err != nil {
		return t, err
	}
	t.ID = id
	if err := r.checkInUse(ctx, cur, t); err != nil {
		return t, err
	}
	if err := r.st.UpdateTemplate(ctx, p.Actor(), &t, in.Version); err != nil {
		return t, workflowErr(err, nil)
	}
	return t, nil
}

// ---------- reports ----------

// ReportQuery narrows the reports list.
type ReportQuery struct {
	UnitID     int64
	TemplateID int64
	Status     string
	Year       int
	Limit      int // 1–200, default 50
	Offset     int // deprecated paging by offset
	// After / Before page by key: the cursor of the last (first) report of
	// the page shown.
	After, Before *ReportCursor
}

// ReportPage is one page of the reports list.
type ReportPage struct {
	Items []Report
	// Total counts the matching reports up to [ReportCountCap]; More is set
	// when there are more than that.
	Total int
	More  bool
	// Next and Prev are the cursors of the neighbouring pages (nil: none).
	Next, Prev *ReportCursor
}

// List returns the reports p may see that match q: a unit sees all its own
// reports; the parent side, leaders, inspectors and council members see
// what was submitted in their subtrees.
func (r *Reports) List(ctx context.Context, p *Principal, q ReportQuery) (ReportPage, error) {
	if err := signedIn(p); err != nil {
		return ReportPage{}, err
	}
	var v Validator
	if q.Status != "" && !report.Status(q.Status).Valid() {
		v.Add("status", MsgBadChoice)
	}
	if q.Year != 0 {
		v.Int("year", int64(q.Year), report.MinYear, report.MaxYear)
	}
	v.Int("offset", int64(q.Offset), 0, 1<<20)
	if q.Limit == 0 {
		q.Limit = 50
	}
	v.Int("limit", int64(q.Limit), 1, 200)
	for _, c := range []*ReportCursor{q.After, q.Before} {
		if c != nil && (c.ID < 1 || len(c.PeriodTo) != 10) {
			v.Add("cursor", MsgBadChoice)
		}
	}
	if err := v.Err(); err != nil {
		return ReportPage{}, err
	}
	f := store.ReportFilter{UnitID: q.UnitID, TemplateID: q.TemplateID, Status: report.Status(q.Status), Year: q.Year, Limit: q.Limit + 1, Offset: q.Offset, After: q.After, Before: q.Before}
	if p.System {
		f.All = true
	} else {
		f.All, f.Roots, f.Own = report.Visibility(p.Grants)
		seen := map[int64]bool{}
		for _, root := range f.Roots {
			if seen[root] {
				continue
			}
			for _, id := range r.tree.SubtreeIDs(root) {
				if !seen[id] {
					seen[id] = true
					f.Visible = append(f.Visible, id)
				}
			}
		}
	}
	items, total, err := r.st.ListReports(ctx, f)
	if err != nil {
		return ReportPage{}, unavailable("reports", err)
	}
	pg := ReportPage{Total: min(total, ReportCountCap), More: total > ReportCountCap}
	more := len(items) > q.Limit
	if more {
		if q.Before != nil {
			items = items[1:]
		} else {
			items = items[:q.Limit]
		}
	}
	pg.Items = items
	if len(items) > 0 {
		first, last := store.Cursor(items[0]), store.Cursor(items[len(items)-1])
		if more || q.Before != nil {
			pg.Next = &last
		}
		if q.After != nil || q.Offset > 0 || (q.Before != nil && more) {
			pg.Prev = &first
		}
	}
	return pg, nil
}

// access loads a report p may see, with what p may do with it.
type access struct {
	rep       Report
	target    authz.Target
	canEdit   bool // the unit's own officers, status editable
	canReview bool // the parent side, report submitted
	ownUnit   bool // p edits this unit's reports
}

func (r *Reports) load(ctx context.Context, p *Principal, id int64) (access, error) {
	if err := signedIn(p); err != nil {
		return access{}, err
	}
	rep, err := r.st.GetReport(ctx, id)
	if err != nil {
		return access{}, unavailable("report", err)
	}
	t, err := r.tree.Target(rep.UnitID)
	if err != nil {
		return access{}, err
	}
	return r.accessTo(p, rep, t)
}

func (r *Reports) accessTo(p *Principal, rep Report, t authz.Target) (access, error) {
	g := grantsOf(p)
	a := access{rep: rep, target: t}
	if !p.System && !report.CanSee(g, t, rep.Status) {
		return a, ErrForbidden
	}
	a.ownUnit = p.System || (report.CanEdit(g, rep.UnitID) && authz.Can(g, authz.ActionReportEdit, t))
	a.canEdit = a.ownUnit && rep.Status.Editable()
	a.canReview = (p.System || authz.CanReview(g, t)) && rep.Status == report.Submitted
	return a, nil
}

// ReportView is a report as a reader sees it.
type ReportView struct {
	Report    Report
	Template  Template
	Problems  report.FieldErrors // message keys, per field
	CanEdit   bool
	CanReview bool
}

// Get returns report id with its template and what p may do with it.
func (r *Reports) Get(ctx context.Context, p *Principal, id int64) (ReportView, error) {
	a, err := r.load(ctx, p, id)
	if err != nil {
		return ReportView{}, err
	}
	return r.view(ctx, a)
}

func (r *Reports) view(ctx context.Context, a access) (ReportView, error) {
	t, err := r.st.GetTemplate(ctx, a.rep.TemplateID)
	if err != nil {
		return ReportView{}, unavailable("template", err)
	}
	return ReportView{Report: a.rep, Template: t, Problems: report.Validate(t.Definition, a.rep.Values), CanEdit: a.canEdit, CanReview: a.canReview}, nil
}

// Rights says what p may do with rep (for a report already loaded).
func (r *Reports) Rights(p *Principal, rep Report) (canEdit, canReview bool) {
	t, err := r.tree.Target(rep.UnitID)
	if err != nil {
		return false, false
	}
	a, err := r.accessTo(p, rep, t)
	if err != nil {
		return false, false
	}
	return a.canEdit, a.canReview
}

// OpenInput names a unit's report for one period.
type OpenInput struct {
	TemplateID int64
	UnitID     int64
	Year       int
	Number     int
}

// Open returns (creating it if needed) the report of a unit for a period.
// Only the unit's own officers may. Years are bounded to 1900–2100.
func (r *Reports) Open(ctx context.Context, p *Principal, in OpenInput) (Report, error) {
	if err := signedIn(p); err != nil {
		return Report{}, err
	}
	var v Validator
	v.Int("year", int64(in.Year), report.MinYear, report.MaxYear)
	v.Int("number", int64(in.Number), 1, 12)
	if in.TemplateID < 1 {
		v.Add("template_id", MsgRequired)
	}
	if _, ok := r.tree.Unit(in.UnitID); !ok {
		v.Add("unit_id", MsgNoUnit)
	}
	if err := v.Err(); err != nil {
		return Report{}, err
	}
	t, err := r.st.GetTemplate(ctx, in.TemplateID)
	if errors.Is(err, ErrNotFound) {
		return Report{}, Invalid("template_id", MsgRequired)
	}
	if err != nil {
		return Report{}, unavailable("template", err)
	}
	if t.PeriodType.PerYear() == 1 {
		in.Number = 1 // one window a year: any number names it
	}
	w, err := PeriodWindow(t, in.Year, in.Number)
	if err != nil {
		return Report{}, err
	}
	tg, err := r.tree.Target(in.UnitID)
	if err != nil {
		return Report{}, err
	}
	if !p.System && (!report.CanEdit(p.Grants, in.UnitID) || !authz.Can(p.Grants, authz.ActionReportEdit, tg)) {
		return Report{}, ErrForbidden
	}
	// A new report's due date comes from the one answer to "who must
	// report" (the unit must be expected for the period).
	rep, err := r.st.EnsureReportDue(ctx, p.Actor(), t.ID, in.UnitID, w, func() (string, error) {
		exp, err := r.ExpectedIn(ctx, t.ID, w, in.UnitID)
		if err != nil {
			return "", err
		}
		for _, e := range exp {
			if e.UnitID == in.UnitID {
				return e.DueOn, nil
			}
		}
		return "", store.ErrNotScheduled
	})
	return rep, workflowErr(err, nil)
}

// DraftInput is an edit of a report: the version read, narrative sections
// and values (indicator code, or code.category → value as typed).
type DraftInput struct {
	Version   int
	Narrative map[string]string
	Values    map[string]string
}

// checkDraft validates an edit: version given, bounded sizes, clean text.
func checkDraft(in DraftInput) error {
	var v Validator
	v.Int("version", int64(in.Version), 1, maxVersion)
	if len(in.Narrative) > maxNarrativeParts {
		v.Add("narrative", MsgTooMany)
	}
	if len(in.Values) > maxValues {
		v.Add("values", MsgTooMany)
	}
	if v.Err() != nil {
		return v.Err()
	}
	for _, k := range sortedKeys(in.Narrative) {
		if !CleanLine(k) || len(k) > maxValueKey {
			v.Add("narrative", MsgBadChars)
			continue
		}
		v.Text("narrative."+k, in.Narrative[k], 0, maxNarrative)
	}
	for _, k := range sortedKeys(in.Values) {
		if !CleanLine(k) || len(k) > maxValueKey {
			v.Add("values", MsgBadChars)
			continue
		}
		v.Text("values."+k, in.Values[k], 0, maxValue)
	}
	return v.Err()
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// SaveDraft saves the unit's edit of report id. The returned problems are
// advisory for drafts and returned reports; an edit of a submitted report
// must be valid (an [*InvalidError] otherwise). A stale version is
// ErrConflict; an accepted report is locked (ErrConflict wrapping
// report.ErrLocked).
func (r *Reports) SaveDraft(ctx context.Context, p *Principal, id int64, in DraftInput) (Report, report.FieldErrors, error) {
	a, err := r.load(ctx, p, id)
	if err != nil {
		return Report{}, nil, err
	}
	if !a.canEdit {
		if a.ownUnit && a.rep.Status == report.Accepted {
			return Report{}, nil, workflowErr(report.ErrLocked, nil)
		}
		return Report{}, nil, ErrForbidden
	}
	if err := checkDraft(in); err != nil {
		return Report{}, nil, err
	}
	out, fe, err := r.st.SaveDraft(ctx, p.Actor(), id, in.Version, store.ReportDraft{Narrative: in.Narrative, Values: in.Values})
	if err != nil {
		return Report{}, fe, workflowErr(err, fe)
	}
	return out, fe, nil
}

// Submit sends report id to the parent side. With content set, the edit is
// saved first (same version check); invalid values keep the edit as a draft
// and give an [*InvalidError] listing every field.
func (r *Reports) Submit(ctx context.Context, p *Principal, id int64, in DraftInput, content bool) (Report, error) {
	a, err := r.load(ctx, p, id)
	if err != nil {
		return Report{}, err
	}
	if !p.System && (!report.CanEdit(p.Grants, a.rep.UnitID) || !authz.Can(p.Grants, authz.ActionReportSubmit, a.target)) {
		return Report{}, ErrForbidden
	}
	if err := checkDraft(in); err != nil {
		return Report{}, err
	}
	var d *store.ReportDraft
	if content {
		d = &store.ReportDraft{Narrative: in.Narrative, Values: in.Values}
		if d.Narrative == nil {
			d.Narrative = a.rep.Narrative
		}
		if d.Values == nil {
			d.Values = a.rep.Values
		}
	}
	notes, err := r.submitNotes(ctx, p, a.rep)
	if err != nil {
		return Report{}, err
	}
	ctx, err = r.withRegister(ctx, a.rep)
	if err != nil {
		return Report{}, err
	}
	out, fe, err := r.st.SubmitReport(ctx, p.Actor(), id, in.Version, d, notes...)
	if err != nil {
		return out, workflowErr(err, fe)
	}
	return out, nil
}

// ReviewInput is a reviewer's decision: the version read (required: a
// missing or zero version is refused, never a skipped check) and a comment.
type ReviewInput struct {
	Version *int
	Comment string
}

// checkReview is the one validator of review comments and versions.
func checkReview(in ReviewInput, commentRequired bool) (int, string, error) {
	var v Validator
	ver := 0
	if in.Version == nil {
		v.Add("version", MsgRequired)
	} else {
		ver = int(v.Int("version", int64(*in.Version), 1, maxVersion))
	}
	min := 0
	if commentRequired {
		min = 1
	}
	c := v.Text("comment", in.Comment, min, maxComment)
	if v.Has("comment") && commentRequired && strings.TrimSpace(in.Comment) == "" {
		v = Validator{}
		if in.Version == nil {
			v.Add("version", MsgRequired)
		} else {
			v.Int("version", int64(*in.Version), 1, maxVersion)
		}
		v.Add("comment", MsgCommentNeeded)
	}
	return ver, c, v.Err()
}

// Review returns (accept false) or accepts report id; only the parent side
// may. Returning needs a comment.
func (r *Reports) Review(ctx context.Context, p *Principal, id int64, in ReviewInput, accept bool) (Report, error) {
	a, err := r.load(ctx, p, id)
	if err != nil {
		return Report{}, err
	}
	if !p.System && !authz.CanReview(p.Grants, a.target) {
		return Report{}, ErrForbidden
	}
	ver, comment, err := checkReview(in, !accept)
	if err != nil {
		return Report{}, err
	}
	notes, err := r.reviewNotes(ctx, p, a.rep, accept, comment)
	if err != nil {
		return Report{}, err
	}
	var out Report
	if accept {
		out, err = r.st.AcceptReport(ctx, p.Actor(), id, ver, comment, notes...)
	} else {
		out, err = r.st.ReturnReport(ctx, p.Actor(), id, ver, comment, notes...)
	}
	return out, workflowErr(err, nil)
}

// Versions lists the kept versions of report id.
func (r *Reports) Versions(ctx context.Context, p *Principal, id int64) ([]Version, error) {
	if _, err := r.load(ctx, p, id); err != nil {
		return nil, err
	}
	vs, err := r.st.ReportVersions(ctx, id)
	return vs, unavailable("versions", err)
}

// Previous returns the values of the unit's previous report on the same
// template, to prefill the form; only the unit's own officers may.
func (r *Reports) Previous(ctx context.Context, p *Principal, id int64) (ReportValues, error) {
	a, err := r.load(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !a.canEdit {
		return nil, ErrForbidden
	}
	vs, err := r.st.PreviousValues(ctx, id)
	return vs, unavailable("previous values", err)
}

// ImportValues reads indicator values from a CSV or XLSX file into the
// draft of report id (version: the version read). Line errors come back as
// an [*InvalidError] with fields "line L, column C".
func (r *Reports) ImportValues(ctx context.Context, p *Principal, id int64, version int, filename string, data []byte) (Report, report.FieldErrors, error) {
	a, err := r.load(ctx, p, id)
	if err != nil {
		return Report{}, nil, err
	}
	if !a.canEdit {
		return Report{}, nil, ErrForbidden
	}
	var v Validator
	v.Int("version", int64(version), 1, maxVersion)
	if len(data) == 0 {
		v.Add("file", MsgRequired)
	}
	if err := v.Err(); err != nil {
		return Report{}, nil, err
	}
	t, err := r.st.GetTemplate(ctx, a.rep.TemplateID)
	if err != nil {
		return Report{}, nil, unavailable("template", err)
	}
	vals, err := report.ImportFile(t.Definition, filename, data)
	if err != nil {
		var ie report.ImportErrors
		if errors.As(err, &ie) {
			inv := &InvalidError{Key: "report.api.import_failed"}
			for _, e := range ie {
				inv.Fields = append(inv.Fields, FieldError{Field: fmt.Sprintf("line %d, column %d", e.Line, e.Column), Key: e.Key})
			}
			return Report{}, nil, inv
		}
		return Report{}, nil, Invalid("file", "report.api.import_failed")
	}
	merged := report.Values{}
	for k, x := range a.rep.Values {
		merged[k] = x
	}
	for k, x := range vals {
		merged[k] = x
	}
	return r.SaveDraft(ctx, p, id, DraftInput{Version: version, Narrative: a.rep.Narrative, Values: merged})
}

// Attachments lists the files attached to report id.
func (r *Reports) Attachments(ctx context.Context, p *Principal, id int64) ([]Attachment, error) {
	if _, err := r.load(ctx, p, id); err != nil {
		return nil, err
	}
	as, err := r.st.ListReportAttachments(ctx, id)
	return as, unavailable("attachments", err)
}

// AttachmentName cleans an uploaded file's name: no path, no quotes, at
// most 200 bytes cut on a character boundary; "" when it is not clean
// UTF-8 text.
func AttachmentName(name string) string {
	if !CleanLine(name) {
		return ""
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.ReplaceAll(name, `"`, "_"))
	return Truncate(name, maxAttachmentName)
}

// Attach stores a file with report id; only the unit's own officers may,
// while the report is editable. The type is sniffed from the content, not
// taken from the uploader.
func (r *Reports) Attach(ctx context.Context, p *Principal, id int64, name string, data []byte) (Attachment, error) {
	a, err := r.load(ctx, p, id)
	if err != nil {
		return Attachment{}, err
	}
	if !a.canEdit {
		return Attachment{}, ErrForbidden
	}
	var v Validator
	clean := AttachmentName(name)
	switch {
	case !CleanLine(name):
		v.Add("file", MsgBadChars)
	case clean == "":
		v.Add("file", MsgRequired)
	}
	if len(data) > report.MaxAttachment {
		v.Add("file", report.ErrAttachmentSize.Error())
	}
	if err := v.Err(); err != nil {
		return Attachment{}, err
	}
	at, err := r.st.AddReportAttachment(ctx, p.Actor(), id, clean, http.DetectContentType(data), data)
	return at, workflowErr(err, nil)
}

// Download is an attachment to serve: always as a download, with a type
// sniffed from its content.
type Download struct {
	Attachment
	ContentType string
	Data        []byte
}

// Attachment returns attachment id when p may see its report.
func (r *Reports) Attachment(ctx context.Context, p *Principal, id int64) (Download, error) {
	if err := signedIn(p); err != nil {
		return Download{}, err
	}
	at, data, err := r.st.GetReportAttachment(ctx, id)
	if err != nil {
		return Download{}, unavailable("attachment", err)
	}
	if _, err := r.load(ctx, p, at.ReportID); err != nil {
		return Download{}, err
	}
	return Download{Attachment: at, ContentType: http.DetectContentType(data), Data: data}, nil
}

// CompletenessQuery names a template and a period.
type CompletenessQuery struct {
	TemplateID int64
	PeriodType string // "": the template's
	Year       int
	Number     int
	Today      string // YYYY-MM-DD; "": today in Vietnam
}

// Completeness tells, for one period, which expected units sent their
// report on time, late, not at all, or are not yet due; only the units
// whose reports p may read are listed.
func (r *Reports) Completeness(ctx context.Context, p *Principal, q CompletenessQuery) (Completeness, error) {
	if err := signedIn(p); err != nil {
		return Completeness{}, err
	}
	var v Validator
	v.Int("year", int64(q.Year), report.MinYear, report.MaxYear)
	v.Int("number", int64(q.Number), 1, 12)
	if q.TemplateID < 1 {
		v.Add("template", MsgRequired)
	}
	if err := v.Err(); err != nil {
		return Completeness{}, err
	}
	t, err := r.st.GetTemplate(ctx, q.TemplateID)
	if err != nil {
		return Completeness{}, unavailable("template", err)
	}
	if q.PeriodType != "" {
		pt, err := report.ParsePeriodType(q.PeriodType)
		if err != nil {
			return Completeness{}, Invalid("type", MsgBadChoice)
		}
		t.PeriodType = pt
	}
	w, err := PeriodWindow(t, q.Year, q.Number)
	if err != nil {
		return Completeness{}, err
	}
	exp, err := r.ExpectedIn(ctx, t.ID, w, 0)
	if err != nil {
		return Completeness{}, err
	}
	if q.Today == "" {
		q.Today = r.Today()
	}
	c, err := r.st.CompletenessOf(ctx, t.ID, w, exp, q.Today)
	if err != nil {
		return c, unavailable("completeness", err)
	}
	if p.System {
		return c, nil
	}
	all, roots, _ := report.Visibility(p.Grants)
	if all {
		return c, nil
	}
	return c.Only(func(id int64) bool {
		for _, root := range roots {
			if r.tree.Contains(root, id) {
				return true
			}
		}
		return false
	}), nil
}

// Unit returns a unit of the organisation (for labels).
func (r *Reports) Unit(id int64) (org.Unit, bool) { return r.tree.Unit(id) }

// EncodeCursor writes a list position for a URL: "YYYY-MM-DD.ID".
func EncodeCursor(c *ReportCursor) string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf("%s.%d", c.PeriodTo, c.ID)
}

// ParseCursor reads [EncodeCursor]'s text; "" is no cursor. A malformed
// cursor is an [*InvalidError] on field.
func ParseCursor(field, s string) (*ReportCursor, error) {
	if s == "" {
		return nil, nil
	}
	d, id, ok := strings.Cut(s, ".")
	var n int64
	if ok && len(id) > 0 && len(id) <= 18 {
		for _, c := range id {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			n = n*10 + int64(c-'0')
		}
	}
	if _, err := org.ParseDate(d); !ok || err != nil || n < 1 {
		return nil, Invalid(field, MsgBadChoice)
	}
	return &ReportCursor{PeriodTo: d, ID: n}, nil
}
