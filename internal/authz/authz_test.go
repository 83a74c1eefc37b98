package authz

import (
	"strings"
	"testing"
)

// The test tree. The grant under test is always held on unit 4.
//
//	1 (root)
//	├── 2
//	│   ├── 4   ← grant
//	│   │   └── 8
//	│   └── 5
//	└── 3
//	    └── 6
const grantUnit = 4

// Positions of the target relative to the grant's unit, one letter each.
var positions = []struct {
	code   byte
	name   string
	target Target
}{
	{'s', "same", Target{UnitID: 4, Path: []int64{1, 2, 4}}},
	{'d', "descendant", Target{UnitID: 8, Path: []int64{1, 2, 4, 8}}},
	{'a', "ancestor", Target{UnitID: 2, Path: []int64{1, 2}}},
	{'b', "sibling", Target{UnitID: 5, Path: []int64{1, 2, 5}}},
	{'u', "unrelated", Target{UnitID: 6, Path: []int64{1, 3, 6}}},
	{'z', "installation", Target{}},
}

// everywhere is every position.
const everywhere = "sdabuz"

// anonymous stands for a visitor with no grants at all.
const anonymous Role = "(anonymous)"

// expected is written out independently of the package's table: for each
// action, each role that may perform it and the positions where it may.
// A role missing from an action's map may not perform it anywhere.
var expected = map[Action]map[Role]string{
	ActionUnitRead: {
		anonymous: everywhere, RoleAdmin: everywhere, RoleCoordinator: everywhere,
		RoleLeader: everywhere, RoleUnitHead: everywhere, RoleUnitOfficer: everywhere,
		RoleCaseHandler: everywhere, RoleInspector: everywhere,
		RoleCouncilMember: everywhere, RoleCitizen: everywhere,
	},
	ActionUnitManage: {RoleAdmin: everywhere},
	ActionUserManage: {RoleAdmin: everywhere},
	ActionRoleGrant: {
		RoleAdmin: everywhere, RoleCoordinator: "sd", RoleUnitHead: "sd",
	},
	ActionAuditRead: {RoleAdmin: everywhere},
	ActionDirectiveManage: {
		RoleAdmin: everywhere, RoleCoordinator: "sd",
	},
	ActionDirectiveRead: {
		RoleAdmin: everywhere, RoleCoordinator: everywhere, RoleLeader: everywhere,
		RoleUnitHead: everywhere, RoleUnitOfficer: everywhere,
		RoleCaseHandler: everywhere, RoleInspector: everywhere,
		RoleCouncilMember: everywhere,
	},
	ActionPlanEdit: {
		RoleAdmin: everywhere, RoleUnitHead: "sd", RoleUnitOfficer: "sd",
		RoleCoordinator: "sd",
	},
	ActionPlanRead: {
		RoleAdmin: everywhere, RoleUnitHead: "sd", RoleUnitOfficer: "sd",
		RoleCoordinator: "sd", RoleLeader: "sd", RoleInspector: "sd",
		RoleCouncilMember: "sd",
	},
	ActionReportEdit: {
		RoleAdmin: everywhere, RoleUnitHead: "sd", RoleUnitOfficer: "sd",
	},
	ActionReportSubmit: {
		RoleAdmin: everywhere, RoleUnitHead: "sd", RoleUnitOfficer: "sd",
	},
	ActionReportReview: {
		RoleAdmin: everywhere, RoleCoordinator: "sd", RoleUnitHead: "d",
	},
	ActionReportRead: {
		RoleAdmin: everywhere, RoleUnitHead: "sd", RoleUnitOfficer: "sd",
		RoleCoordinator: "sd", RoleLeader: "sd", RoleInspector: "sd",
		RoleCouncilMember: "sd",
	},
	ActionTemplateManage: {RoleAdmin: everywhere, RoleCoordinator: "sd"},
	ActionUrgeSend:       {RoleAdmin: everywhere, RoleCoordinator: "sd"},
	ActionInspectionManage: {
		RoleAdmin: everywhere, RoleCoordinator: "sd", RoleInspector: "sd",
	},
	ActionInspectionRead: {
		RoleAdmin: everywhere, RoleCoordinator: "sd", RoleInspector: "sd",
		RoleLeader: "sd", RoleCouncilMember: "sd", RoleUnitHead: "sd",
		RoleUnitOfficer: "sd",
	},
	ActionCaseHandle: {
		RoleAdmin: everywhere, RoleCaseHandler: "sd", RoleUnitHead: "sd",
	},
	ActionCaseRead: {
		RoleAdmin: everywhere, RoleCaseHandler: "sd", RoleUnitHead: "sd",
		RoleCoordinator: "sd", RoleInspector: "sd", RoleLeader: "sd",
	},
	// The denouncer's identity: not even the administrator.
	ActionCaseIdentityRead: {RoleCaseHandler: "sd", RoleUnitHead: "sd"},
	ActionDashboardRead: {
		RoleAdmin: everywhere, RoleCoordinator: "sd", RoleLeader: "sd",
		RoleInspector: "sd", RoleCouncilMember: "sd", RoleUnitHead: "sd",
	},
}

// subjects are the rows of the matrix: every role, plus anonymous.
var subjects = []Role{
	anonymous, RoleAdmin, RoleCoordinator, RoleLeader, RoleUnitHead,
	RoleUnitOfficer, RoleCaseHandler, RoleInspector, RoleCouncilMember,
	RoleCitizen,
}

func grantsOf(r Role) []Grant {
	if r == anonymous {
		return nil
	}
	return []Grant{{Role: r, UnitID: grantUnit}}
}

func TestCanMatrix(t *testing.T) {
	for _, a := range Actions() {
		want, ok := expected[a]
		if !ok {
			t.Errorf("action %q has no expectation in the test", a)
			continue
		}
		for _, r := range subjects {
			for _, p := range positions {
				allow := strings.IndexByte(want[r], p.code) >= 0
				if got := Can(grantsOf(r), a, p.target); got != allow {
					t.Errorf("Can(%s on unit %d, %s, %s target %d) = %v, want %v",
						r, grantUnit, a, p.name, p.target.UnitID, got, allow)
				}
			}
		}
	}
	if got, want := len(Actions()), len(expected); got != want {
		t.Errorf("Actions() has %d actions, the test expects %d", got, want)
	}
}

func TestCanEdgeCases(t *testing.T) {
	child := Target{UnitID: 8, Path: []int64{1, 2, 4, 8}}
	tests := []struct {
		name   string
		grants []Grant
		action Action
		target Target
		want   bool
	}{
		{"unknown action refused even for admin", []Grant{{RoleAdmin, 1}}, "nuke.everything", child, false},
		{"empty action refused", []Grant{{RoleAdmin, 1}}, "", child, false},
		{"admin on an unrelated leaf is installation-wide", []Grant{{RoleAdmin, 6}}, ActionUnitManage, child, true},
		{"admin grant on unit 0 still admin", []Grant{{RoleAdmin, 0}}, ActionAuditRead, Target{}, true},
		{"admin cannot read denouncer identity", []Grant{{RoleAdmin, 1}}, ActionCaseIdentityRead, child, false},
		{"admin plus handler may pass the role gate", []Grant{{RoleAdmin, 1}, {RoleCaseHandler, 4}}, ActionCaseIdentityRead, child, true},
		{"grants are a union", []Grant{{RoleCitizen, 4}, {RoleUnitOfficer, 3}}, ActionReportEdit, Target{UnitID: 6, Path: []int64{1, 3, 6}}, true},
		{"union does not leak across branches", []Grant{{RoleCitizen, 4}, {RoleUnitOfficer, 3}}, ActionReportEdit, child, false},
		{"root grant covers the whole tree", []Grant{{RoleCoordinator, 1}}, ActionUrgeSend, child, true},
		{"root grant does not cover installation", []Grant{{RoleCoordinator, 1}}, ActionUrgeSend, Target{}, false},
		{"unknown role ignored", []Grant{{"superuser", 1}}, ActionPlanRead, child, false},
		{"non-admin grant on unit 0 covers nothing", []Grant{{RoleCoordinator, 0}}, ActionPlanRead, Target{}, false},
		{"empty path: exact unit covered", []Grant{{RoleUnitOfficer, 8}}, ActionPlanEdit, Target{UnitID: 8}, true},
		{"empty path: ancestor unknown, refused", []Grant{{RoleUnitOfficer, 4}}, ActionPlanEdit, Target{UnitID: 8}, false},
		{"malformed path refused", []Grant{{RoleUnitOfficer, 4}}, ActionPlanEdit, Target{UnitID: 6, Path: []int64{1, 2, 4}}, false},
		{"malformed path still public", nil, ActionUnitRead, Target{UnitID: 6, Path: []int64{1, 2, 4}}, true},
		{"malformed path still admin", []Grant{{RoleAdmin, 1}}, ActionPlanEdit, Target{UnitID: 6, Path: []int64{1, 2, 4}}, true},
		{"citizen cannot read directives", []Grant{{RoleCitizen, 1}}, ActionDirectiveRead, Target{}, false},
		{"anonymous cannot read directives", nil, ActionDirectiveRead, Target{}, false},
		{"unit head never reviews own unit", []Grant{{RoleUnitHead, 8}}, ActionReportReview, child, false},
		{"unit head of parent reviews child", []Grant{{RoleUnitHead, 4}}, ActionReportReview, child, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Can(tt.grants, tt.action, tt.target); got != tt.want {
				t.Errorf("Can(%v, %q, %+v) = %v, want %v", tt.grants, tt.action, tt.target, got, tt.want)
			}
		})
	}
}

func TestCanReview(t *testing.T) {
	// Reports of unit 8 (child of 4, grandchild of 2).
	child := Target{UnitID: 8, Path: []int64{1, 2, 4, 8}}
	tests := []struct {
		name   string
		grants []Grant
		target Target
		want   bool
	}{
		{"head of parent", []Grant{{RoleUnitHead, 4}}, child, true},
		{"head of grandparent", []Grant{{RoleUnitHead, 2}}, child, true},
		{"head of root", []Grant{{RoleUnitHead, 1}}, child, true},
		{"head of the unit itself", []Grant{{RoleUnitHead, 8}}, child, false},
		{"head of the unit itself, unit also root", []Grant{{RoleUnitHead, 1}}, Target{UnitID: 1, Path: []int64{1}}, false},
		{"head of own unit and parent", []Grant{{RoleUnitHead, 8}, {RoleUnitHead, 4}}, child, true},
		{"head of a child reviewing the parent", []Grant{{RoleUnitHead, 8}}, Target{UnitID: 4, Path: []int64{1, 2, 4}}, false},
		{"head of a sibling", []Grant{{RoleUnitHead, 5}}, child, false},
		{"head, unit known without path", []Grant{{RoleUnitHead, 8}}, Target{UnitID: 8}, false},
		{"coordinator on the unit itself", []Grant{{RoleCoordinator, 8}}, child, true},
		{"coordinator above", []Grant{{RoleCoordinator, 1}}, child, true},
		{"coordinator elsewhere", []Grant{{RoleCoordinator, 3}}, child, false},
		{"admin anywhere", []Grant{{RoleAdmin, 6}}, child, true},
		{"officer of parent", []Grant{{RoleUnitOfficer, 4}}, child, false},
		{"leader of root", []Grant{{RoleLeader, 1}}, child, false},
		{"inspector of root", []Grant{{RoleInspector, 1}}, child, false},
		{"nobody", nil, child, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanReview(tt.grants, tt.target); got != tt.want {
				t.Errorf("CanReview(%v, %+v) = %v, want %v", tt.grants, tt.target, got, tt.want)
			}
		})
	}
}

// expectedGrant: for each granter role, which roles it may grant and where
// (same position letters as the Can matrix).
var expectedGrant = map[Role]map[Role]string{
	RoleAdmin: {
		RoleAdmin: everywhere, RoleCoordinator: everywhere, RoleLeader: everywhere,
		RoleUnitHead: everywhere, RoleUnitOfficer: everywhere,
		RoleCaseHandler: everywhere, RoleInspector: everywhere,
		RoleCouncilMember: everywhere, RoleCitizen: everywhere,
	},
	RoleCoordinator: {
		RoleLeader: "sd", RoleUnitHead: "sd", RoleUnitOfficer: "sd",
		RoleCaseHandler: "sd", RoleInspector: "sd", RoleCouncilMember: "sd",
		RoleCitizen: "sd",
	},
	RoleUnitHead: {RoleUnitOfficer: "sd", RoleCaseHandler: "sd"},
}

func TestCanGrantMatrix(t *testing.T) {
	for _, granter := range subjects {
		for _, r := range AllRoles() {
			for _, p := range positions {
				allow := strings.IndexByte(expectedGrant[granter][r], p.code) >= 0
				if got := CanGrant(grantsOf(granter), r, p.target); got != allow {
					t.Errorf("CanGrant(%s on unit %d, %s, %s target %d) = %v, want %v",
						granter, grantUnit, r, p.name, p.target.UnitID, got, allow)
				}
			}
		}
	}
}

func TestCanGrantEdgeCases(t *testing.T) {
	leaf := Target{UnitID: 8, Path: []int64{1, 2, 4, 8}}
	tests := []struct {
		name   string
		grants []Grant
		role   Role
		target Target
		want   bool
	}{
		{"unknown role refused even for admin", []Grant{{RoleAdmin, 1}}, "root", leaf, false},
		{"empty role refused", []Grant{{RoleAdmin, 1}}, "", leaf, false},
		{"admin grants admin on installation", []Grant{{RoleAdmin, 6}}, RoleAdmin, Target{}, true},
		{"coordinator cannot grant coordinator below", []Grant{{RoleCoordinator, 1}}, RoleCoordinator, leaf, false},
		{"coordinator cannot grant admin", []Grant{{RoleCoordinator, 1}}, RoleAdmin, leaf, false},
		{"coordinator grants unit head below", []Grant{{RoleCoordinator, 1}}, RoleUnitHead, leaf, true},
		{"unit head cannot grant unit head", []Grant{{RoleUnitHead, 4}}, RoleUnitHead, leaf, false},
		{"unit head grants officer on own unit", []Grant{{RoleUnitHead, 8}}, RoleUnitOfficer, leaf, true},
		{"two grants, the covering one decides", []Grant{{RoleUnitHead, 3}, {RoleCoordinator, 2}}, RoleInspector, leaf, true},
		{"leader cannot grant", []Grant{{RoleLeader, 1}}, RoleCitizen, leaf, false},
		{"malformed target refused", []Grant{{RoleCoordinator, 1}}, RoleLeader, Target{UnitID: 8, Path: []int64{1, 2}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanGrant(tt.grants, tt.role, tt.target); got != tt.want {
				t.Errorf("CanGrant(%v, %q, %+v) = %v, want %v", tt.grants, tt.role, tt.target, got, tt.want)
			}
		})
	}
}

func TestCanSeeDenouncer(t *testing.T) {
	tests := []struct {
		name     string
		user     int64
		handlers []int64
		want     bool
	}{
		{"assigned handler", 7, []int64{3, 7}, true},
		{"only handler", 7, []int64{7}, true},
		{"not assigned", 8, []int64{3, 7}, false},
		{"no handlers", 7, nil, false},
		{"anonymous user", 0, []int64{0, 7}, false},
		{"negative id", -1, []int64{-1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanSeeDenouncer(tt.user, tt.handlers); got != tt.want {
				t.Errorf("CanSeeDenouncer(%d, %v) = %v, want %v", tt.user, tt.handlers, got, tt.want)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in      string
		want    Role
		wantErr bool
	}{
		{"admin", RoleAdmin, false},
		{"coordinator", RoleCoordinator, false},
		{"leader", RoleLeader, false},
		{"unit_head", RoleUnitHead, false},
		{"unit_officer", RoleUnitOfficer, false},
		{"case_handler", RoleCaseHandler, false},
		{"inspector", RoleInspector, false},
		{"council_member", RoleCouncilMember, false},
		{"citizen", RoleCitizen, false},
		{"Admin", "", true},
		{" admin", "", true},
		{"unit-head", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := ParseRole(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestAllRoles(t *testing.T) {
	want := []Role{"admin", "coordinator", "leader", "unit_head", "unit_officer",
		"case_handler", "inspector", "council_member", "citizen"}
	got := AllRoles()
	if len(got) != len(want) {
		t.Fatalf("AllRoles() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("AllRoles()[%d] = %q, want %q", i, got[i], want[i])
		}
	}
	got[0] = "mutated"
	if AllRoles()[0] != RoleAdmin {
		t.Error("AllRoles returns a shared slice")
	}
}

func TestParseAction(t *testing.T) {
	for a := range expected {
		if got, err := ParseAction(string(a)); err != nil || got != a {
			t.Errorf("ParseAction(%q) = %q, %v", a, got, err)
		}
	}
	for _, s := range []string{"", "unit", "UNIT.READ", "report.delete"} {
		if _, err := ParseAction(s); err == nil {
			t.Errorf("ParseAction(%q) succeeded", s)
		}
	}
}
