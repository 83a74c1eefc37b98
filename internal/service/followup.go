package service

// Follow-up: notifications, formal urges (đôn đốc), inspection and
// supervision plans with findings and recommendations tracked to closure,
// and the dashboard. Each use case is here once; internal/web, internal/api
// and internal/demo call it.

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// Types the follow-up doors render.
type (
	Notification   = store.Notification
	Urge           = store.Urge
	Inspection     = store.Inspection
	Finding        = store.Finding
	Recommendation = store.Recommendation
	UnitRef        = store.UnitRef
	UserRef        = store.UserRef
)

// FollowUp is the follow-up capability: notifications, urges, inspections,
// reminders and the dashboard.
type FollowUp struct {
	base
	reports *Reports
}

func newFollowUp(b base, r *Reports) *FollowUp { return &FollowUp{base: b, reports: r} }

// Bounds of follow-up input.
const (
	MaxUrgeMessage     = followup.MaxMessage
	MaxInspectionTopic = followup.MaxTopic
	MaxInspectionText  = followup.MaxText
	MaxOwner           = followup.MaxTopic
	MaxInspectedUnits  = 500
	MaxTeamMembers     = 100
	MaxPageSize        = 500
	fuMinYear          = 1900
	fuMaxYear          = 2100
)

// Message keys of follow-up validation (internal/i18n/locales/followup.*.json).
const (
	fuMsgBadChoice    = followup.MsgBadChoice
	fuMsgNoUnits      = followup.MsgNoUnits
	fuMsgBadRange     = followup.MsgBadRange
	fuMsgUnknownUsers = "followup.unknown_users"
	fuMsgTooMany      = "followup.too_many"
)

// signedIn refuses the anonymous.
func fuSignedIn(p *Principal) error {
	if p == nil || (p.User.ID == 0 && !p.System) {
		return ErrUnauthenticated
	}
	return nil
}

// scope is where p may perform a: everywhere or the subtrees of the units of
// the grants that allow it.
func (f *FollowUp) scope(p *Principal, a authz.Action) store.Scope {
	if p.IsAdmin() {
		return store.Scope{All: true, UserID: p.UserID()}
	}
	_, roots := followup.ScopeRoots(p.Grants, a)
	return store.Scope{Roots: roots, UserID: p.UserID()}
}

// mayAnywhere reports whether p may perform a on at least one unit.
func (f *FollowUp) mayAnywhere(p *Principal, a authz.Action) bool {
	sc := f.scope(p, a)
	return sc.All || len(sc.Roots) > 0
}

func fuPage(limit, offset int) (int, int) {
	if limit <= 0 || limit > MaxPageSize {
		limit = 50
	}
	return limit, max(offset, 0)
}

// UnitChoices lists the units valid today on which p may perform a, depth
// first in display order (Depth set), for a form's selector.
func (f *FollowUp) UnitChoices(p *Principal, a authz.Action) []org.Unit {
	if p == nil || !f.mayAnywhere(p, a) {
		return nil
	}
	today := f.Today()
	var out []org.Unit
	var walk func(id int64)
	walk = func(id int64) {
		for _, u := range f.tree.Children(id) {
			if u.ValidOn(today) && f.can(p, a, u.ID) {
				out = append(out, u)
			}
			walk(u.ID)
		}
	}
	walk(0)
	return out
}

// --- notifications ---

// NotificationList is one page of the principal's notifications.
type NotificationList struct {
	Items  []Notification
	Total  int
	Unread int
}

// Notifications lists p's notifications, newest first.
func (f *FollowUp) Notifications(ctx context.Context, p *Principal, unreadOnly bool, limit, offset int) (NotificationList, error) {
	if err := fuSignedIn(p); err != nil {
		return NotificationList{}, err
	}
	limit, offset = fuPage(limit, offset)
	var out NotificationList
	var err error
	if out.Items, out.Total, err = f.st.ListNotifications(ctx, p.UserID(), unreadOnly, limit, offset); err != nil {
		return out, unavailable("notifications", err)
	}
	if out.Unread, err = f.st.UnreadCount(ctx, p.UserID()); err != nil {
		return out, unavailable("unread notifications", err)
	}
	return out, nil
}

// UnreadCount is the number of p's unread notifications (0 when anonymous).
func (f *FollowUp) UnreadCount(ctx context.Context, p *Principal) (int, error) {
	if p == nil || p.UserID() == 0 {
		return 0, nil
	}
	n, err := f.st.UnreadCount(ctx, p.UserID())
	return n, unavailable("unread notifications", err)
}

// MarkRead marks one of p's notifications read and returns it; another
// user's notification is not found.
func (f *FollowUp) MarkRead(ctx context.Context, p *Principal, id int64) (Notification, error) {
	if err := fuSignedIn(p); err != nil {
		return Notification{}, err
	}
	if err := f.st.MarkNotificationRead(ctx, p.UserID(), id); err != nil {
		return Notification{}, unavailable("mark notification read", err)
	}
	n, err := f.st.GetNotification(ctx, p.UserID(), id)
	return n, unavailable("notification", err)
}

// MarkAllRead marks every unread notification of p read.
func (f *FollowUp) MarkAllRead(ctx context.Context, p *Principal) (int, error) {
	if err := fuSignedIn(p); err != nil {
		return 0, err
	}
	n, err := f.st.MarkAllNotificationsRead(ctx, p.UserID())
	return n, unavailable("mark notifications read", err)
}

// --- urges ---

// UrgeInput is a formal urge. With ReportID, the unit, template and period
// come from the report.
type UrgeInput struct {
	ReportID     int64
	TemplateID   int64
	UnitID       int64
	PeriodType   string
	PeriodYear   int64
	PeriodNumber int64
	Message      string
}

// UrgePeriodTypes are the period types an urge may name ("" for none).
var UrgePeriodTypes = []string{"", "monthly", "quarterly", "six_month", "nine_month", "annual"}

func fuPeriodsIn(periodType string) int64 {
	switch periodType {
	case "monthly":
		return 12
	case "quarterly":
		return 4
	}
	return 1
}

// Urges lists the urges p may see (report.read), newest first; unitID
// narrows to one unit, which p must be allowed to read.
func (f *FollowUp) Urges(ctx context.Context, p *Principal, unitID int64, limit, offset int) ([]Urge, int, error) {
	if err := fuSignedIn(p); err != nil {
		return nil, 0, err
	}
	limit, offset = fuPage(limit, offset)
	flt := store.UrgeFilter{Scope: f.scope(p, authz.ActionReportRead), Limit: limit, Offset: offset}
	if unitID != 0 {
		if err := f.authorize(p, authz.ActionReportRead, unitID); err != nil {
			return nil, 0, err
		}
		flt.UnitID, flt.Scope = unitID, store.Scope{All: true}
	}
	us, total, err := f.st.ListUrges(ctx, flt)
	return us, total, unavailable("urges", err)
}

// CanUrge reports whether p may urge some unit (the form is shown).
func (f *FollowUp) CanUrge(p *Principal) bool {
	return p != nil && f.mayAnywhere(p, authz.ActionUrgeSend)
}

// SendUrge records a formal urge of a unit in p's subtree and notifies the
// unit's heads and officers.
func (f *FollowUp) SendUrge(ctx context.Context, p *Principal, in UrgeInput) (Urge, error) {
	if err := fuSignedIn(p); err != nil {
		return Urge{}, err
	}
	var v Validator
	if in.ReportID < 0 {
		v.Add("report_id", fuMsgBadChoice)
	} else if in.ReportID > 0 {
		rs, err := f.st.ReportStateOf(ctx, in.ReportID)
		switch {
		case fuNotFound(err):
			v.Add("report_id", fuMsgBadChoice)
		case err != nil:
			return Urge{}, unavailable("report", err)
		default:
			in.UnitID, in.TemplateID, in.PeriodType = rs.UnitID, rs.TemplateID, rs.PeriodType
			in.PeriodYear, in.PeriodNumber = int64(rs.PeriodYear), int64(rs.PeriodNumber)
		}
	}
	switch {
	case in.UnitID == 0:
		v.Add("unit_id", MsgRequired)
	case !f.known(in.UnitID):
		v.Add("unit_id", fuMsgBadChoice)
	default:
		if err := f.authorize(p, authz.ActionUrgeSend, in.UnitID); err != nil {
			return Urge{}, err
		}
	}
	in.Message = v.Text("message", in.Message, 1, MaxUrgeMessage)
	v.Choice("period_type", in.PeriodType, UrgePeriodTypes...)
	if in.PeriodType == "" {
		if in.PeriodYear != 0 {
			v.Add("period_year", MsgRange, 0, 0)
		}
		if in.PeriodNumber != 0 {
			v.Add("period_number", MsgRange, 0, 0)
		}
	} else {
		v.Int("period_year", in.PeriodYear, fuMinYear, fuMaxYear)
		v.Int("period_number", in.PeriodNumber, 1, fuPeriodsIn(in.PeriodType))
	}
	var templateName string
	if in.TemplateID < 0 {
		v.Add("template_id", fuMsgBadChoice)
	} else if in.TemplateID > 0 {
		t, err := f.st.GetTemplate(ctx, in.TemplateID)
		switch {
		case fuNotFound(err), err == nil && !f.templateVisible(p, t, in.UnitID, in.ReportID != 0):
			v.Add("template_id", fuMsgBadChoice)
		case err != nil:
			return Urge{}, unavailable("template", err)
		default:
			templateName = t.Name
		}
	}
	if err := v.Err(); err != nil {
		return Urge{}, err
	}
	u := Urge{UnitID: in.UnitID, TemplateID: in.TemplateID, TemplateName: templateName, ReportID: in.ReportID,
		PeriodType: in.PeriodType, PeriodYear: int(in.PeriodYear), PeriodNumber: int(in.PeriodNumber), Message: in.Message}
	if err := f.sendUrge(ctx, p, &u); err != nil {
		return Urge{}, err
	}
	return u, nil
}

// templateVisible: an urge may name an active template (any, when it comes
// from a report) that belongs to the whole installation, to a unit where p
// reads reports, or to a unit above the urged one.
func (f *FollowUp) templateVisible(p *Principal, t report.Template, unitID int64, fromReport bool) bool {
	if !t.Active && !fromReport {
		return false
	}
	return t.OwnerUnitID == 0 || f.can(p, authz.ActionReportRead, t.OwnerUnitID) || (unitID != 0 && f.tree.Contains(t.OwnerUnitID, unitID))
}

// known reports whether the unit exists.
func (f *FollowUp) known(id int64) bool {
	_, ok := f.tree.Unit(id)
	return ok
}

// --- inspections ---

// InspectionInput is a plan of inspection or supervision. Team members are
// named by id (MemberIDs) or by user name (MemberNames).
type InspectionInput struct {
	Kind        string
	Topic       string
	LeadUnitID  int64
	UnitIDs     []int64
	StartOn     string
	EndOn       string
	Team        string
	Status      string
	MemberIDs   []int64
	MemberNames []string
}

// FindingInput is what the team found at one inspected unit.
type FindingInput struct {
	UnitID int64
	Text   string
}

// RecommendationInput is what an inspected unit must do, by when.
type RecommendationInput struct {
	UnitID int64
	Owner  string
	Text   string
	DueOn  string
}

// ResponseInput is a unit's answer to a recommendation; Done closes it.
type ResponseInput struct {
	Response string
	Done     bool
}

// InspectionView is a plan with what the principal may do on it.
type InspectionView struct {
	Inspection
	CanManage bool
	Respond   map[int64]bool // recommendation id → p may respond
	Today     string
}

// CanCreateInspection reports whether p may plan an inspection somewhere.
func (f *FollowUp) CanCreateInspection(p *Principal) bool {
	return p != nil && f.mayAnywhere(p, authz.ActionInspectionManage)
}

// Inspections lists the plans p may see, newest start first.
func (f *FollowUp) Inspections(ctx context.Context, p *Principal, limit, offset int) ([]Inspection, int, error) {
	if err := fuSignedIn(p); err != nil {
		return nil, 0, err
	}
	limit, offset = fuPage(limit, offset)
	ins, total, err := f.st.ListInspections(ctx, f.scope(p, authz.ActionInspectionRead), f.Today(), limit, offset)
	return ins, total, unavailable("inspections", err)
}

// canSee is the one visibility rule of a plan: p may read or manage
// inspections at its lead unit, or read them at one of its inspected units,
// or is on its team.
func (f *FollowUp) canSee(p *Principal, in Inspection) bool {
	if f.can(p, authz.ActionInspectionRead, in.LeadUnitID) || f.can(p, authz.ActionInspectionManage, in.LeadUnitID) {
		return true
	}
	for _, u := range in.Units {
		if f.can(p, authz.ActionInspectionRead, u.ID) {
			return true
		}
	}
	for _, m := range in.Members {
		if m.ID != 0 && m.ID == p.UserID() {
			return true
		}
	}
	return false
}

// canManage: p manages inspections at the plan's lead unit and at unitID
// (0: the lead unit only). A body never acts on a unit outside its subtree.
func (f *FollowUp) canManage(p *Principal, in Inspection, unitID int64) bool {
	if !f.can(p, authz.ActionInspectionManage, in.LeadUnitID) {
		return false
	}
	return unitID == 0 || f.can(p, authz.ActionInspectionManage, unitID)
}

// unitStaff: p answers for the unit (its head or officer, or an administrator).
func (f *FollowUp) unitStaff(p *Principal, unitID int64) bool {
	if p.System {
		return true
	}
	t, err := f.tree.Target(unitID)
	return err == nil && followup.UnitStaff(p.Grants, t)
}

func (f *FollowUp) mayRespond(p *Principal, in Inspection, rec Recommendation) bool {
	return f.unitStaff(p, rec.UnitID) || f.canManage(p, in, rec.UnitID)
}

// load fetches a plan p may see.
func (f *FollowUp) load(ctx context.Context, p *Principal, id int64) (Inspection, error) {
	if err := fuSignedIn(p); err != nil {
		return Inspection{}, err
	}
	in, err := f.st.GetInspection(ctx, id, f.Today())
	if err != nil {
		return in, unavailable("inspection", err)
	}
	if !f.canSee(p, in) {
		return in, ErrForbidden
	}
	return in, nil
}

// Inspection returns a plan p may see, with what p may do on it.
func (f *FollowUp) Inspection(ctx context.Context, p *Principal, id int64) (InspectionView, error) {
	in, err := f.load(ctx, p, id)
	if err != nil {
		return InspectionView{}, err
	}
	v := InspectionView{Inspection: in, CanManage: f.canManage(p, in, 0), Respond: map[int64]bool{}, Today: f.Today()}
	for _, r := range in.Recs {
		v.Respond[r.ID] = f.mayRespond(p, in, r)
	}
	return v, nil
}

// CreateInspection plans an inspection led by a unit where p manages
// inspections, of units all inside p's subtree.
func (f *FollowUp) CreateInspection(ctx context.Context, p *Principal, in InspectionInput) (Inspection, error) {
	if err := fuSignedIn(p); err != nil {
		return Inspection{}, err
	}
	if !f.CanCreateInspection(p) {
		return Inspection{}, ErrForbidden
	}
	var v Validator
	in.Kind = v.Choice("kind", in.Kind, followup.InspectionKinds...)
	if in.Status == "" {
		in.Status = followup.StatusPlanned
	}
	in.Status = v.Choice("status", in.Status, followup.InspectionStatuses...)
	in.Topic = v.Line("topic", in.Topic, 1, MaxInspectionTopic)
	in.Team = v.Text("team", in.Team, 0, MaxInspectionText)
	switch {
	case in.LeadUnitID == 0:
		v.Add("lead_unit_id", MsgRequired)
	case !f.known(in.LeadUnitID):
		v.Add("lead_unit_id", fuMsgBadChoice)
	default:
		if err := f.authorize(p, authz.ActionInspectionManage, in.LeadUnitID); err != nil {
			return Inspection{}, err
		}
	}
	var units []int64
	for _, u := range in.UnitIDs {
		if !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	switch {
	case len(units) == 0:
		v.Add("unit_ids", fuMsgNoUnits)
	case len(units) > MaxInspectedUnits:
		v.Add("unit_ids", fuMsgTooMany, MaxInspectedUnits)
	default:
		for _, u := range units {
			if !f.known(u) {
				v.Add("unit_ids", fuMsgBadChoice)
				break
			}
		}
		if !v.Has("unit_ids") {
			for _, u := range units {
				if !f.can(p, authz.ActionInspectionManage, u) {
					return Inspection{}, ErrForbidden
				}
			}
		}
	}
	in.StartOn = v.Date("start_on", in.StartOn, true)
	in.EndOn = v.Date("end_on", in.EndOn, true)
	if !v.Has("start_on") && !v.Has("end_on") && in.EndOn < in.StartOn {
		v.Add("end_on", fuMsgBadRange)
	}
	members, err := f.members(ctx, &v, in)
	if err != nil {
		return Inspection{}, err
	}
	if err := v.Err(); err != nil {
		return Inspection{}, err
	}
	plan := followup.InspectionInput{Kind: in.Kind, Topic: in.Topic, LeadUnitID: in.LeadUnitID,
		UnitIDs: units, StartOn: in.StartOn, EndOn: in.EndOn, Team: in.Team, MemberIDs: members, Status: in.Status}
	notes, err := f.inspectionNotes(ctx, plan)
	if err != nil {
		return Inspection{}, err
	}
	id, err := f.st.CreateInspection(ctx, p.Actor(), plan, notes...)
	if err != nil {
		return Inspection{}, unavailable("create inspection", err)
	}
	got, err := f.st.GetInspection(ctx, id, f.Today())
	return got, unavailable("inspection", err)
}

// members resolves the team members named by id or by user name.
func (f *FollowUp) members(ctx context.Context, v *Validator, in InspectionInput) ([]int64, error) {
	if len(in.MemberIDs)+len(in.MemberNames) > MaxTeamMembers {
		v.Add("members", fuMsgTooMany, MaxTeamMembers)
		return nil, nil
	}
	var out []int64
	for _, id := range in.MemberIDs {
		if id <= 0 {
			v.Add("member_ids", fuMsgUnknownUsers)
			return nil, nil
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > 0 {
		rs, err := f.st.UserRecipients(ctx, out)
		if err != nil {
			return nil, unavailable("team members", err)
		}
		if len(rs) != len(out) {
			v.Add("member_ids", fuMsgUnknownUsers)
			return nil, nil
		}
	}
	var names []string
	for _, n := range in.MemberNames {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if !CleanLine(n) || len(n) > 200 {
			v.Add("members", fuMsgUnknownUsers)
			return nil, nil
		}
		names = append(names, n)
	}
	if len(names) > 0 {
		ids, unknown, err := f.st.UsersByName(ctx, names)
		if err != nil {
			return nil, unavailable("team members", err)
		}
		if len(unknown) > 0 {
			v.Add("members", fuMsgUnknownUsers)
			return nil, nil
		}
		for _, id := range ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out, nil
}

// SetInspectionStatus moves a plan to planned, ongoing or finished.
func (f *FollowUp) SetInspectionStatus(ctx context.Context, p *Principal, id int64, status string) error {
	in, err := f.load(ctx, p, id)
	if err != nil {
		return err
	}
	if !f.canManage(p, in, 0) {
		return ErrForbidden
	}
	var v Validator
	v.Choice("status", status, followup.InspectionStatuses...)
	if err := v.Err(); err != nil {
		return err
	}
	return unavailable("inspection status", f.st.SetInspectionStatus(ctx, p.Actor(), in.ID, status))
}

// inspectedUnit checks that unitID is one of the plan's units and inside p's
// subtree.
func (f *FollowUp) inspectedUnit(p *Principal, in Inspection, v *Validator, unitID int64) error {
	switch {
	case unitID == 0:
		v.Add("unit_id", MsgRequired)
	case !slices.ContainsFunc(in.Units, func(u UnitRef) bool { return u.ID == unitID }):
		v.Add("unit_id", fuMsgBadChoice)
	case !f.canManage(p, in, unitID):
		return ErrForbidden
	}
	return nil
}

// AddFinding records a finding at an inspected unit.
func (f *FollowUp) AddFinding(ctx context.Context, p *Principal, inspectionID int64, in FindingInput) (Finding, error) {
	insp, err := f.load(ctx, p, inspectionID)
	if err != nil {
		return Finding{}, err
	}
	if !f.canManage(p, insp, 0) {
		return Finding{}, ErrForbidden
	}
	var v Validator
	if err := f.inspectedUnit(p, insp, &v, in.UnitID); err != nil {
		return Finding{}, err
	}
	in.Text = v.Text("text", in.Text, 1, MaxInspectionText)
	if err := v.Err(); err != nil {
		return Finding{}, err
	}
	notes, err := f.findingNotes(ctx, insp, in.UnitID, in.Text)
	if err != nil {
		return Finding{}, err
	}
	id, err := f.st.AddFinding(ctx, p.Actor(), insp.ID, in.UnitID, in.Text, notes...)
	if err != nil {
		return Finding{}, unavailable("add finding", err)
	}
	got, err := f.st.GetInspection(ctx, insp.ID, f.Today())
	if err != nil {
		return Finding{}, unavailable("inspection", err)
	}
	for _, x := range got.Findings {
		if x.ID == id {
			return x, nil
		}
	}
	return Finding{}, ErrNotFound
}

// AddRecommendation addresses a recommendation to an inspected unit and
// notifies its heads and officers.
func (f *FollowUp) AddRecommendation(ctx context.Context, p *Principal, inspectionID int64, in RecommendationInput) (Recommendation, error) {
	insp, err := f.load(ctx, p, inspectionID)
	if err != nil {
		return Recommendation{}, err
	}
	if !f.canManage(p, insp, 0) {
		return Recommendation{}, ErrForbidden
	}
	var v Validator
	if err := f.inspectedUnit(p, insp, &v, in.UnitID); err != nil {
		return Recommendation{}, err
	}
	in.Owner = v.Line("owner", in.Owner, 0, MaxOwner)
	in.Text = v.Text("text", in.Text, 1, MaxInspectionText)
	in.DueOn = v.Date("due_on", in.DueOn, true)
	if err := v.Err(); err != nil {
		return Recommendation{}, err
	}
	rec := Recommendation{InspectionID: insp.ID, UnitID: in.UnitID, Owner: in.Owner, Text: in.Text, DueOn: in.DueOn}
	if err := f.addRecommendation(ctx, p, insp.Topic, &rec); err != nil {
		return Recommendation{}, err
	}
	got, err := f.st.GetRecommendation(ctx, rec.ID, f.Today())
	return got, unavailable("recommendation", err)
}

// Respond records a unit's response to a recommendation (Done closes it)
// and tells the inspection's team.
func (f *FollowUp) Respond(ctx context.Context, p *Principal, recID int64, in ResponseInput) (Recommendation, error) {
	if err := fuSignedIn(p); err != nil {
		return Recommendation{}, err
	}
	rec, err := f.st.GetRecommendation(ctx, recID, f.Today())
	if err != nil {
		return Recommendation{}, unavailable("recommendation", err)
	}
	insp, err := f.st.GetInspection(ctx, rec.InspectionID, f.Today())
	if err != nil {
		return Recommendation{}, unavailable("inspection", err)
	}
	if !f.mayRespond(p, insp, rec) {
		return Recommendation{}, ErrForbidden
	}
	var v Validator
	minLen := 0
	if in.Done {
		minLen = 1
	}
	in.Response = v.Text("response", in.Response, minLen, MaxInspectionText)
	if err := v.Err(); err != nil {
		return Recommendation{}, err
	}
	if err := f.respond(ctx, p, rec, insp, in.Response, in.Done); err != nil {
		return Recommendation{}, err
	}
	got, err := f.st.GetRecommendation(ctx, recID, f.Today())
	return got, unavailable("recommendation", err)
}

func fuNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// Recommendation returns a recommendation p may respond to or whose plan p
// may see.
func (f *FollowUp) Recommendation(ctx context.Context, p *Principal, id int64) (Recommendation, error) {
	if err := fuSignedIn(p); err != nil {
		return Recommendation{}, err
	}
	rec, err := f.st.GetRecommendation(ctx, id, f.Today())
	if err != nil {
		return rec, unavailable("recommendation", err)
	}
	insp, err := f.st.GetInspection(ctx, rec.InspectionID, f.Today())
	if err != nil {
		return rec, unavailable("inspection", err)
	}
	if !f.canSee(p, insp) && !f.mayRespond(p, insp, rec) {
		return rec, ErrForbidden
	}
	return rec, nil
}
