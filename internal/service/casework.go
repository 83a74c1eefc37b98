package service

import (
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
)

// CaseUnits lists the units of today's tree on which p may perform a
// case action (case.read for the handlers' list filter, case.handle for
// recording a case received in person), in tree order.
func (s *Cases) CaseUnits(p *Principal, a authz.Action) []org.Unit {
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if s.can(p, a, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

// TransferUnits lists the units a case may be transferred to: every unit
// of today's tree (see [Cases.Step]).
func (s *Cases) TransferUnits() []org.Unit { return s.tree.At(s.Today()) }

// StepsFrom lists the handling steps allowed from a case's status, in the
// order of [CaseSteps].
func StepsFrom(status string) []string {
	var out []string
	for _, step := range CaseSteps {
		for _, st := range stepFrom[step] {
			if st == status {
				out = append(out, step)
				break
			}
		}
	}
	return out
}

// CurrentDeadline is the deadline a case is now running against (the
// last one not yet met, so an extension replaces the resolution
// deadline), with the days left on today; false when none runs.
func CurrentDeadline(c Case, today string) (CaseDeadline, bool) {
	ds := deadlinesOf(c, today)
	for i := len(ds) - 1; i >= 0; i-- {
		if !ds[i].Met {
			return ds[i], true
		}
	}
	return CaseDeadline{}, false
}
