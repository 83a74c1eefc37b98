package followup

import "github.com/danvan/danvan/internal/authz"

// ScopeRoots says where a holder of grants may perform a: everywhere (all),
// or in the subtrees of roots (the units of the grants that allow it).
func ScopeRoots(grants []authz.Grant, a authz.Action) (all bool, roots []int64) {
	if authz.IsAdmin(grants) {
		return true, nil
	}
	for _, g := range grants {
		if authz.Can([]authz.Grant{g}, a, authz.Target{UnitID: g.UnitID}) {
			roots = append(roots, g.UnitID)
		}
	}
	return false, roots
}

// UnitStaff reports whether grants make the holder a unit head or officer
// (or an administrator) of the unit at target: who answers for it.
func UnitStaff(grants []authz.Grant, target authz.Target) bool {
	var gs []authz.Grant
	for _, g := range grants {
		switch g.Role {
		case authz.RoleAdmin, authz.RoleUnitHead, authz.RoleUnitOfficer:
			gs = append(gs, g)
		}
	}
	return authz.Can(gs, authz.ActionReportEdit, target)
}
