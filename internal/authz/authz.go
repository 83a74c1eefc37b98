// Package authz decides who may do what where. It is pure: callers load a
// user's grants and compute the target's position in the organisation tree,
// and the functions here answer yes or no without any I/O.
//
// A role is granted on a unit and holds for the unit's whole subtree. A
// target names a unit together with its path from the root, so "grant covers
// target" is simply "the grant's unit is on the target's path". Which roles
// may perform which action is kept in one table in this file. The
// administrator role is installation-wide: an admin grant on any unit allows
// every action everywhere, except reading a denouncer's identity, which the
// law reserves to the handlers of the case (see [CanSeeDenouncer]).
package authz

import "fmt"

// Role is what a user may do, held on a unit of the organisation tree.
type Role string

// The roles. The string values are stored in the database; do not change them.
const (
	RoleAdmin         Role = "admin"
	RoleCoordinator   Role = "coordinator"
	RoleLeader        Role = "leader"
	RoleUnitHead      Role = "unit_head"
	RoleUnitOfficer   Role = "unit_officer"
	RoleCaseHandler   Role = "case_handler"
	RoleInspector     Role = "inspector"
	RoleCouncilMember Role = "council_member"
	RoleCitizen       Role = "citizen"
)

var allRoles = []Role{
	RoleAdmin, RoleCoordinator, RoleLeader, RoleUnitHead, RoleUnitOfficer,
	RoleCaseHandler, RoleInspector, RoleCouncilMember, RoleCitizen,
}

// AllRoles lists every role, most powerful first. The slice is a fresh copy.
func AllRoles() []Role { return append([]Role(nil), allRoles...) }

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	for _, x := range allRoles {
		if x == r {
			return true
		}
	}
	return false
}

// ParseRole accepts a role's code exactly as stored ("unit_head").
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.Valid() {
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q", s)
}

// Grant is one role held on one unit; it applies to the unit's whole subtree.
type Grant struct {
	Role   Role
	UnitID int64
}

// Target is the unit an action is performed on. Path is the chain of unit ids
// from the root down to and including UnitID; the caller computes it from the
// tree. An empty Path is read as {UnitID}: only a grant held on the unit
// itself covers it. A Path that does not end in UnitID is malformed and no
// unit-scoped grant covers it.
//
// The zero Target (UnitID 0) means installation-wide: only admin covers it,
// plus the actions that any holder of an allowed role may perform anywhere
// (unit.read and directive.read).
type Target struct {
	UnitID int64
	Path   []int64
}

// IsInstallation reports whether t is the installation-wide target.
func (t Target) IsInstallation() bool { return t.UnitID == 0 }

// path returns the normalised path, or nil when t is installation-wide or
// malformed.
func (t Target) path() []int64 {
	if t.UnitID <= 0 {
		return nil
	}
	if len(t.Path) == 0 {
		return []int64{t.UnitID}
	}
	if t.Path[len(t.Path)-1] != t.UnitID {
		return nil
	}
	return t.Path
}

// covers reports whether a grant on unit u applies to t (u is t's unit or one
// of its ancestors).
func covers(u int64, t Target) bool {
	if u <= 0 {
		return false
	}
	for _, id := range t.path() {
		if id == u {
			return true
		}
	}
	return false
}

// coversStrictly reports whether unit u is a strict ancestor of t's unit.
func coversStrictly(u int64, t Target) bool {
	p := t.path()
	if u <= 0 || len(p) == 0 {
		return false
	}
	for _, id := range p[:len(p)-1] {
		if id == u {
			return true
		}
	}
	return false
}

// Action is something a user does.
type Action string

// The actions.
const (
	ActionUnitRead         Action = "unit.read"
	ActionUnitManage       Action = "unit.manage"
	ActionUserManage       Action = "user.manage"
	ActionRoleGrant        Action = "role.grant"
	ActionAuditRead        Action = "audit.read"
	ActionDirectiveManage  Action = "directive.manage"
	ActionDirectiveRead    Action = "directive.read"
	ActionPlanEdit         Action = "plan.edit"
	ActionPlanRead         Action = "plan.read"
	ActionReportEdit       Action = "report.edit"
	ActionReportSubmit     Action = "report.submit"
	ActionReportReview     Action = "report.review"
	ActionReportRead       Action = "report.read"
	ActionTemplateManage   Action = "template.manage"
	ActionUrgeSend         Action = "urge.send"
	ActionInspectionManage Action = "inspection.manage"
	ActionInspectionRead   Action = "inspection.read"
	ActionCaseHandle       Action = "case.handle"
	ActionCaseRead         Action = "case.read"
	ActionCaseIdentityRead Action = "case.identity.read"
	ActionDashboardRead    Action = "dashboard.read"
)

// scope says where a role's grant lets it act.
type scope uint8

const (
	// subtree: the grant's unit is the target unit or one of its ancestors.
	subtree scope = iota + 1
	// below: the grant's unit is a strict ancestor of the target unit (a
	// parent reviewing a child, never itself).
	below
	// anywhere: holding the role on any unit is enough, whatever the target,
	// including the installation-wide one.
	anywhere
)

// rule is one row of the permission table.
type rule struct {
	// public: anyone may, signed in or not, with or without grants.
	public bool
	// noAdmin: the admin override does not apply (legal confidentiality).
	noAdmin bool
	// roles allowed, with their scope. Admin is implied unless noAdmin.
	roles map[Role]scope
}

func sub(rs ...Role) map[Role]scope {
	m := make(map[Role]scope, len(rs))
	for _, r := range rs {
		m[r] = subtree
	}
	return m
}

// table is the single source of truth for Can. Admin is implied on every row
// except those marked noAdmin.
var table = map[Action]rule{
	ActionUnitRead:        {public: true},
	ActionUnitManage:      {},
	ActionUserManage:      {},
	ActionRoleGrant:       {roles: sub(RoleCoordinator, RoleUnitHead)}, // which roles: CanGrant
	ActionAuditRead:       {},
	ActionDirectiveManage: {roles: sub(RoleCoordinator)},
	ActionDirectiveRead: {roles: map[Role]scope{
		RoleCoordinator: anywhere, RoleLeader: anywhere, RoleUnitHead: anywhere,
		RoleUnitOfficer: anywhere, RoleCaseHandler: anywhere, RoleInspector: anywhere,
		RoleCouncilMember: anywhere,
	}},
	ActionPlanEdit: {roles: sub(RoleUnitHead, RoleUnitOfficer, RoleCoordinator)},
	ActionPlanRead: {roles: sub(RoleUnitHead, RoleUnitOfficer, RoleCoordinator,
		RoleLeader, RoleInspector, RoleCouncilMember)},
	ActionReportEdit:   {roles: sub(RoleUnitHead, RoleUnitOfficer)},
	ActionReportSubmit: {roles: sub(RoleUnitHead, RoleUnitOfficer)},
	ActionReportReview: {roles: map[Role]scope{RoleCoordinator: subtree, RoleUnitHead: below}},
	ActionReportRead: {roles: sub(RoleUnitHead, RoleUnitOfficer, RoleCoordinator,
		RoleLeader, RoleInspector, RoleCouncilMember)},
	ActionTemplateManage:   {roles: sub(RoleCoordinator)},
	ActionUrgeSend:         {roles: sub(RoleCoordinator)},
	ActionInspectionManage: {roles: sub(RoleCoordinator, RoleInspector)},
	ActionInspectionRead: {roles: sub(RoleCoordinator, RoleInspector, RoleLeader,
		RoleCouncilMember, RoleUnitHead, RoleUnitOfficer)},
	ActionCaseHandle: {roles: sub(RoleCaseHandler, RoleUnitHead)},
	ActionCaseRead: {roles: sub(RoleCaseHandler, RoleUnitHead, RoleCoordinator,
		RoleInspector, RoleLeader)},
	// Necessary, not sufficient: the user must also be assigned to the case
	// (CanSeeDenouncer). Not even an administrator may read it.
	ActionCaseIdentityRead: {noAdmin: true, roles: sub(RoleCaseHandler, RoleUnitHead)},
	ActionDashboardRead: {roles: sub(RoleCoordinator, RoleLeader, RoleInspector,
		RoleCouncilMember, RoleUnitHead)},
}

var actionOrder = []Action{
	ActionUnitRead, ActionUnitManage, ActionUserManage, ActionRoleGrant,
	ActionAuditRead, ActionDirectiveManage, ActionDirectiveRead,
	ActionPlanEdit, ActionPlanRead, ActionReportEdit, ActionReportSubmit,
	ActionReportReview, ActionReportRead, ActionTemplateManage, ActionUrgeSend,
	ActionInspectionManage, ActionInspectionRead, ActionCaseHandle,
	ActionCaseRead, ActionCaseIdentityRead, ActionDashboardRead,
}

// Actions lists every action in a stable order. The slice is a fresh copy.
func Actions() []Action { return append([]Action(nil), actionOrder...) }

// ParseAction accepts an action's code ("report.submit").
func ParseAction(s string) (Action, error) {
	if _, ok := table[Action(s)]; ok {
		return Action(s), nil
	}
	return "", fmt.Errorf("unknown action %q", s)
}

// IsAdmin reports whether the grants include the administrator role, which
// is installation-wide whatever unit it was granted on.
func IsAdmin(grants []Grant) bool {
	for _, g := range grants {
		if g.Role == RoleAdmin {
			return true
		}
	}
	return false
}

// Can reports whether a user holding grants may perform a on t. An unknown
// action is refused. For report.review it is the same as [CanReview]; for
// case.identity.read it is only the role check, and the caller must also
// require [CanSeeDenouncer].
func Can(grants []Grant, a Action, t Target) bool {
	r, ok := table[a]
	if !ok {
		return false
	}
	if r.public {
		return true
	}
	if !r.noAdmin && IsAdmin(grants) {
		return true
	}
	for _, g := range grants {
		switch r.roles[g.Role] {
		case anywhere:
			return true
		case subtree:
			if covers(g.UnitID, t) {
				return true
			}
		case below:
			if coversStrictly(g.UnitID, t) {
				return true
			}
		}
	}
	return false
}

// CanReview reports whether a user may review (accept or return) the report
// of the unit childTarget. A unit head reviews only the units strictly below
// its own, never its own unit's report; a coordinator reviews anywhere in its
// subtree; an admin anywhere.
func CanReview(grants []Grant, childTarget Target) bool {
	return Can(grants, ActionReportReview, childTarget)
}

// CanGrant reports whether a user holding grants may grant (or revoke) role r
// on the unit t:
//   - admin: any role, anywhere;
//   - coordinator: any role except admin and coordinator, within its subtree;
//   - unit head: unit_officer and case_handler, within its subtree;
//   - nobody else.
func CanGrant(grants []Grant, r Role, t Target) bool {
	if !r.Valid() {
		return false
	}
	if IsAdmin(grants) {
		return true
	}
	for _, g := range grants {
		if !covers(g.UnitID, t) {
			continue
		}
		switch g.Role {
		case RoleCoordinator:
			if r != RoleAdmin && r != RoleCoordinator {
				return true
			}
		case RoleUnitHead:
			if r == RoleUnitOfficer || r == RoleCaseHandler {
				return true
			}
		}
	}
	return false
}

// CanSeeDenouncer reports whether user userID may see the identity of the
// denouncer of a case whose assigned handlers are handlerIDs. The identity is
// confidential (Law on Denunciations 25/2018/QH14): only the handlers of that
// case may see it, whatever their roles elsewhere. Callers should also require
// Can(grants, ActionCaseIdentityRead, caseUnit).
func CanSeeDenouncer(userID int64, handlerIDs []int64) bool {
	if userID <= 0 {
		return false
	}
	for _, id := range handlerIDs {
		if id == userID {
			return true
		}
	}
	return false
}
