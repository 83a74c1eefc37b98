package service

import (
	"slices"

	"github.com/danvan/danvan/internal/authz"
)

// Mergeable reports whether a case in status may be merged into another
// (the rule [Cases.Merge] applies), so that the doors offer the action
// only where it can succeed.
func Mergeable(status string) bool { return slices.Contains(mergeable, status) }

// CanHandleUnit reports whether p may handle the cases of unit
// (case.handle), so that the doors offer a step on another case only to
// those the service will let take it.
func (s *Cases) CanHandleUnit(p *Principal, unit int64) bool {
	return s.can(p, authz.ActionCaseHandle, unit)
}
