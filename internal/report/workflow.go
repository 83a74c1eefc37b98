package report

import (
	"errors"
	"regexp"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
)

// Status is where a report is in its workflow.
type Status string

// Report statuses: a unit writes a draft and submits it; the parent side
// returns it (with a comment, back to the unit) or accepts it (locked).
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Returned  Status = "returned"
	Accepted  Status = "accepted"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Draft, Submitted, Returned, Accepted}

// Valid reports whether s is a status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Received reports whether the parent side has the report in hand.
func (s Status) Received() bool { return s == Submitted || s == Accepted }

// Editable reports whether the unit may still change the report: drafts
// and returned reports, and submitted ones until they are reviewed.
// Accepted reports are locked for everyone.
func (s Status) Editable() bool { return s == Draft || s == Returned || s == Submitted }

// Workflow errors, as message keys.
var (
	ErrTransition     = errors.New("report.illegal_transition")
	ErrLocked         = errors.New("report.locked")
	ErrInvalid        = errors.New("report.invalid")
	ErrCommentNeeded  = errors.New("report.comment_required")
	ErrNotOwnUnit     = errors.New("report.not_own_unit")
	ErrAttachmentSize = errors.New("report.attachment_too_large")
)

// transitions is the state machine: from → allowed targets.
var transitions = map[Status][]Status{
	Draft:     {Submitted},
	Returned:  {Submitted},
	Submitted: {Returned, Accepted},
}

// CanTransition reports whether a report may move from one status to another.
func CanTransition(from, to Status) bool {
	for _, t := range transitions[from] {
		if t == to {
			return true
		}
	}
	return false
}

// CanEdit reports whether a user holding grants may edit (and submit) the
// report of unitID: only the unit's own head or officers — a grant held on
// the unit itself, not on an ancestor — so that nobody edits another unit's
// report. Callers also check the status ([Status.Editable]).
func CanEdit(grants []authz.Grant, unitID int64) bool {
	for _, g := range grants {
		if g.UnitID == unitID && (g.Role == authz.RoleUnitHead || g.Role == authz.RoleUnitOfficer) {
			return true
		}
	}
	return false
}

// CanSee reports whether a user may read a report of the unit t in status
// st: the unit itself sees all its reports; anyone who may read reports
// there (parent side, leaders, inspectors, council members) or review them
// sees what was submitted — never another unit's draft.
func CanSee(grants []authz.Grant, t authz.Target, st Status) bool {
	if CanEdit(grants, t.UnitID) || authz.IsAdmin(grants) {
		return true
	}
	if st == Draft {
		return false
	}
	return authz.Can(grants, authz.ActionReportRead, t) || authz.CanReview(grants, t)
}

// Template is a report form: a definition and a period rule.
type Template struct {
	ID          int64      `json:"id"`
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	PeriodType  Type       `json:"period_type"`
	CutoffDay   int        `json:"cutoff_day"`
	Definition  Definition `json:"definition"`
	Version     int        `json:"version"`
	Active      bool       `json:"active"`
	// OwnerUnitID is the unit the template belongs to (0: the whole
	// installation): managing the template is checked on it.
	OwnerUnitID int64     `json:"owner_unit_id"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Rule is the template's period rule.
func (t Template) Rule() Rule { return Rule{CutoffDay: t.CutoffDay} }

// Template errors, as message keys.
var (
	ErrTemplateCode   = errors.New("report.template.bad_code")
	ErrTemplateName   = errors.New("report.template.name_required")
	ErrTemplatePeriod = errors.New("report.template.bad_period")
)

// Check validates the template's own fields (the definition is checked by
// ParseDefinition / Definition.Check).
func (t Template) Check() map[string]string {
	errs := map[string]string{}
	if !codeRE.MatchString(t.Code) {
		errs["code"] = ErrTemplateCode.Error()
	}
	if t.Name == "" || len(t.Name) > 500 {
		errs["name"] = ErrTemplateName.Error()
	}
	if !t.PeriodType.Valid() {
		errs["period_type"] = ErrTemplatePeriod.Error()
	}
	if t.Rule().Validate() != nil {
		errs["cutoff_day"] = ErrBadCutoffDay.Error()
	}
	for _, p := range t.Definition.Check() {
		errs["definition."+p.Path] = p.Key
	}
	return errs
}

// LevelDeadline is one level's sending deadline in a schedule, with the
// unit kinds it applies to (empty: every kind of the schedule).
type LevelDeadline struct {
	Level        string   `json:"level"`
	Kinds        []string `json:"kinds,omitempty"`
	DaysAfterEnd int      `json:"days_after_end"`
	WorkingDays  bool     `json:"working_days"`
}

// Deadline is the period rule's view of the level.
func (l LevelDeadline) Deadline() Deadline {
	return Deadline{Level: l.Level, DaysAfterEnd: l.DaysAfterEnd, WorkingDays: l.WorkingDays}
}

// Assignment says which units report on a template: every unit of Kinds in
// the subtree of UnitID (no kinds: UnitID itself), with their deadlines.
type Assignment struct {
	ID         int64           `json:"id"`
	TemplateID int64           `json:"template_id"`
	UnitID     int64           `json:"unit_id"`
	Kinds      []string        `json:"kinds"`
	Deadlines  []LevelDeadline `json:"deadlines"`
	Active     bool            `json:"active"`
}

// LevelFor returns the deadline applying to a unit of kind.
func (s Assignment) LevelFor(kind string) (LevelDeadline, bool) {
	for _, l := range s.Deadlines {
		if len(l.Kinds) == 0 {
			return l, true
		}
		for _, k := range l.Kinds {
			if k == kind {
				return l, true
			}
		}
	}
	return LevelDeadline{}, false
}

// DueOn computes a level's deadline for window w; when the configured days
// leave no working day after the cut-off it counts working days instead.
// Days are bounded to 1–[MaxDaysAfterEnd], so a bad stored schedule cannot
// make the count run away.
func DueOn(cal calendar.Calendar, w Window, l LevelDeadline) calendar.Date {
	l.DaysAfterEnd = min(max(1, l.DaysAfterEnd), MaxDaysAfterEnd)
	if d, err := l.Deadline().Due(cal, w); err == nil {
		return d
	}
	return cal.AddWorkingDays(w.To, l.DaysAfterEnd)
}

// Report is one unit's report for one template and window.
type Report struct {
	ID            int64             `json:"id"`
	TemplateID    int64             `json:"template_id"`
	UnitID        int64             `json:"unit_id"`
	PeriodType    Type              `json:"period_type"`
	PeriodYear    int               `json:"period_year"`
	PeriodNumber  int               `json:"period_number"`
	PeriodFrom    string            `json:"period_from"`
	PeriodTo      string            `json:"period_to"`
	DueOn         string            `json:"due_on"`
	Status        Status            `json:"status"`
	Version       int               `json:"version"`
	Narrative     map[string]string `json:"narrative"`
	Values        Values            `json:"values"`
	SubmittedAt   *time.Time        `json:"submitted_at"`
	SubmittedBy   int64             `json:"submitted_by,omitempty"`
	ReviewedAt    *time.Time        `json:"reviewed_at"`
	ReviewedBy    int64             `json:"reviewed_by,omitempty"`
	ReviewComment string            `json:"review_comment"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
	// Filled by queries for display.
	UnitName     string `json:"unit_name,omitempty"`
	UnitKind     string `json:"unit_kind,omitempty"`
	TemplateCode string `json:"template_code,omitempty"`
	TemplateName string `json:"template_name,omitempty"`
}

// Window returns the report's period window.
func (r Report) Window() Window {
	from, _ := calendar.ParseDate(r.PeriodFrom)
	to, _ := calendar.ParseDate(r.PeriodTo)
	return Window{Type: r.PeriodType, Year: r.PeriodYear, Number: r.PeriodNumber, From: from, To: to, Label: label(r.PeriodType, r.PeriodYear, r.PeriodNumber)}
}

func label(t Type, y, n int) string {
	for _, w := range Windows(Rule{}, t, y) {
		if w.Number == n {
			return w.Label
		}
	}
	return ""
}

// OnTime reports whether a submission at time at meets due (a date, by
// the end of that day in Vietnam, UTC+7).
func OnTime(at time.Time, due string) bool {
	return at.In(calendar.Vietnam).Format("2006-01-02") <= due
}

// Version is one kept state of a report.
type Version struct {
	ID       int64           `json:"id"`
	ReportID int64           `json:"report_id"`
	Version  int             `json:"version"`
	Status   Status          `json:"status"`
	Snapshot VersionSnapshot `json:"snapshot"`
	ActorID  int64           `json:"actor_id,omitempty"`
	Actor    string          `json:"actor,omitempty"`
	At       time.Time       `json:"at"`
}

// VersionSnapshot is what a version keeps.
type VersionSnapshot struct {
	Narrative map[string]string `json:"narrative"`
	Values    Values            `json:"values"`
	Comment   string            `json:"comment,omitempty"`
}

// Attachment is a file attached to a report (content loaded separately).
type Attachment struct {
	ID          int64     `json:"id"`
	ReportID    int64     `json:"report_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedBy   int64     `json:"created_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxAttachment is the largest attachment (10 MiB).
const MaxAttachment = 10 << 20

// Expected is one unit that must report for a window.
type Expected struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	UnitKind string `json:"unit_kind"`
	ParentID int64  `json:"parent_id,omitempty"`
	Level    string `json:"level"`
	DueOn    string `json:"due_on"`
}

// Timeliness of one expected report.
type Timeliness string

// Timeliness values: received by the deadline, received after it, not
// received and past the deadline, not received and not yet due.
const (
	OnTimeStatus Timeliness = "on_time"
	LateStatus   Timeliness = "late"
	MissingState Timeliness = "missing"
	PendingState Timeliness = "pending"
)

// CompletenessRow is one expected unit's state.
type CompletenessRow struct {
	Expected
	ReportID    int64      `json:"report_id,omitempty"`
	Status      Status     `json:"status,omitempty"` // "" when no report exists
	SubmittedAt *time.Time `json:"submitted_at"`
	Timeliness  Timeliness `json:"timeliness"`
}

// Counts are completeness totals.
type Counts struct {
	Expected int `json:"expected"`
	Received int `json:"received"`
	OnTime   int `json:"on_time"`
	Late     int `json:"late"`
	Missing  int `json:"missing"`
	Pending  int `json:"pending"`
}

// Add counts one row.
func (c *Counts) Add(r CompletenessRow) {
	c.Expected++
	switch r.Timeliness {
	case OnTimeStatus:
		c.Received++
		c.OnTime++
	case LateStatus:
		c.Received++
		c.Late++
	case MissingState:
		c.Missing++
	case PendingState:
		c.Pending++
	}
}

// Completeness is the reporting completeness and timeliness of one
// template and window.
type Completeness struct {
	TemplateID int64             `json:"template_id"`
	Window     Window            `json:"-"`
	Label      string            `json:"label"`
	AsOf       string            `json:"as_of"`
	Rows       []CompletenessRow `json:"rows"`
	Total      Counts            `json:"total"`
	ByLevel    map[string]Counts `json:"by_level"`
	ByKind     map[string]Counts `json:"by_kind"`
}

// Classify fills a row's timeliness as of today (YYYY-MM-DD, Vietnam).
func (r *CompletenessRow) Classify(today string) {
	switch {
	case r.Status.Received() && r.SubmittedAt != nil && OnTime(*r.SubmittedAt, r.DueOn):
		r.Timeliness = OnTimeStatus
	case r.Status.Received():
		r.Timeliness = LateStatus
	case today > r.DueOn:
		r.Timeliness = MissingState
	default:
		r.Timeliness = PendingState
	}
}

// Late and Missing list the rows a coordinator acts on.
func (c Completeness) Late() []CompletenessRow    { return c.filter(LateStatus) }
func (c Completeness) Missing() []CompletenessRow { return c.filter(MissingState) }

func (c Completeness) filter(t Timeliness) []CompletenessRow {
	var out []CompletenessRow
	for _, r := range c.Rows {
		if r.Timeliness == t {
			out = append(out, r)
		}
	}
	return out
}

var codeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// readRoles may read the submitted reports of their subtree.
var readRoles = map[authz.Role]bool{
	authz.RoleCoordinator: true, authz.RoleLeader: true, authz.RoleUnitHead: true, authz.RoleUnitOfficer: true,
	authz.RoleInspector: true, authz.RoleCouncilMember: true,
}

// Visibility turns grants into a list filter: all (administrators), the
// subtrees whose submitted reports are visible, and the units whose drafts
// are visible too (the user's own units).
func Visibility(grants []authz.Grant) (all bool, roots, own []int64) {
	if authz.IsAdmin(grants) {
		return true, nil, nil
	}
	for _, g := range grants {
		if readRoles[g.Role] {
			roots = append(roots, g.UnitID)
		}
		if g.Role == authz.RoleUnitHead || g.Role == authz.RoleUnitOfficer {
			own = append(own, g.UnitID)
		}
	}
	return false, roots, own
}

// Only returns the completeness restricted to the units keep accepts, with
// the totals recomputed (what a user may see of it).
func (c Completeness) Only(keep func(unitID int64) bool) Completeness {
	out := Completeness{TemplateID: c.TemplateID, Window: c.Window, Label: c.Label, AsOf: c.AsOf, ByLevel: map[string]Counts{}, ByKind: map[string]Counts{}}
	for _, row := range c.Rows {
		if keep(row.UnitID) {
			out.AddRow(row)
		}
	}
	return out
}

// AddRow appends a row and counts it in the totals.
func (c *Completeness) AddRow(row CompletenessRow) {
	if c.ByLevel == nil {
		c.ByLevel = map[string]Counts{}
	}
	if c.ByKind == nil {
		c.ByKind = map[string]Counts{}
	}
	c.Rows = append(c.Rows, row)
	c.Total.Add(row)
	l := c.ByLevel[row.Level]
	l.Add(row)
	c.ByLevel[row.Level] = l
	k := c.ByKind[row.UnitKind]
	k.Add(row)
	c.ByKind[row.UnitKind] = k
}
