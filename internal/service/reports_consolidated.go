package service

import (
	"context"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// Types of the consolidated views that the doors render.
type (
	Consolidation         = store.Consolidation
	ConsolidationTemplate = store.ConsolidationTemplate
	ConsolidatedIndicator = store.ConsolidatedIndicator
	ConsolidatedCell      = store.ConsolidatedCell
	ConsolidatedChild     = store.ConsolidatedChild
	AggKey                = store.AggKey
	// Basis says which reports a consolidation counts.
	Basis = store.Basis
)

// The bases of consolidation: accepted reports only, or every report
// received (submitted and waiting for review, or accepted).
const (
	BasisAccepted = store.BasisAccepted
	BasisReceived = store.BasisReceived
)

// DefaultBasis is the basis of a consolidated view that names none: every
// report received, so that figures move the moment a unit submits; the
// view says how many of them still wait for review, and the coordinator
// may switch to accepted reports only.
const DefaultBasis = BasisReceived

// MsgBadBasis is the message of an unknown basis.
const MsgBadBasis = "consolidated.bad_basis"

// ParseBasis reads a basis name ("" is [DefaultBasis]).
func ParseBasis(s string) (Basis, error) {
	b, ok := store.ParseBasis(s, DefaultBasis)
	if !ok {
		return "", Invalid("basis", MsgBadBasis)
	}
	return b, nil
}

// ReformDate is the day the two-level local government began (1 Jul 2025):
// periods ending before it are reported by the old communes.
const ReformDate = store.ReformDate

// PeriodBefore reports whether period (type, year, number) ends before date.
func PeriodBefore(periodType string, year, number int, date string) bool {
	return store.PeriodBefore(periodType, year, number, date)
}

// MsgBadPeriod is the message of a period that does not exist.
const MsgBadPeriod = "consolidated.bad_period"

// ConsolidationTemplates lists the templates with consolidated figures.
func (r *Reports) ConsolidationTemplates(ctx context.Context, p *Principal) ([]ConsolidationTemplate, error) {
	if err := signedIn(p); err != nil {
		return nil, err
	}
	ts, err := r.st.ConsolidationTemplates(ctx)
	return ts, unavailable("consolidation templates", err)
}

// ConsolidationIndicators lists a template's consolidated indicators.
func (r *Reports) ConsolidationIndicators(ctx context.Context, p *Principal, templateID int64) ([]ConsolidatedIndicator, error) {
	if err := signedIn(p); err != nil {
		return nil, err
	}
	is, err := r.st.ConsolidationIndicators(ctx, templateID)
	return is, unavailable("consolidation indicators", err)
}

// ConsolidatedQuery names a consolidated view: a template, a unit and a
// period; Mapped re-attributes old units' reports to today's units; Drill
// is the indicator shown per child (0: none); Basis says which reports
// count ("" is [DefaultBasis]).
type ConsolidatedQuery struct {
	TemplateID int64
	UnitID     int64
	Type       string
	Year       int
	Number     int
	Mapped     bool
	Drill      int64
	Basis      Basis
}

// checkPeriod validates a consolidated query's period.
func checkPeriod(q ConsolidatedQuery) (report.Type, error) {
	var v Validator
	t, err := report.ParsePeriodType(q.Type)
	if err != nil {
		v.Add("type", MsgBadPeriod)
	}
	v.Int("year", int64(q.Year), report.MinYear, report.MaxYear)
	if err == nil {
		v.Int("number", int64(q.Number), 1, int64(t.PerYear()))
	}
	return t, v.Err()
}

// Consolidated returns the consolidated figures of a unit for a period;
// p must read reports there.
func (r *Reports) Consolidated(ctx context.Context, p *Principal, q ConsolidatedQuery) (Consolidation, error) {
	if err := signedIn(p); err != nil {
		return Consolidation{}, err
	}
	t, err := checkPeriod(q)
	if err != nil {
		return Consolidation{}, err
	}
	b, err := ParseBasis(string(q.Basis))
	if err != nil {
		return Consolidation{}, err
	}
	if err := r.authorize(p, authz.ActionReportRead, q.UnitID); err != nil {
		return Consolidation{}, err
	}
	var c Consolidation
	if q.Mapped {
		c, err = r.st.MappedViewOn(ctx, b, q.TemplateID, q.UnitID, string(t), q.Year, q.Number)
	} else {
		var drill []int64
		if q.Drill != 0 {
			drill = []int64{q.Drill}
		}
		c, err = r.st.ConsolidatedViewOn(ctx, b, q.TemplateID, q.UnitID, string(t), q.Year, q.Number, drill...)
	}
	if err != nil {
		return c, unavailable("consolidated view", err)
	}
	// Categories in the template's order (Nam before Nữ), as in the documents.
	tpl, err := r.st.GetTemplate(ctx, q.TemplateID)
	if err != nil {
		return c, unavailable("consolidated view", err)
	}
	c.Cells = export.InTemplateOrder(c.Cells, tpl.Definition)
	return c, nil
}

// ReadableAncestors lists the ancestors of unitID (root first) whose
// reports p may read, for the breadcrumb.
func (r *Reports) ReadableAncestors(p *Principal, unitID int64) []org.Unit {
	path, ok := r.tree.Path(unitID)
	if !ok {
		return nil
	}
	var out []org.Unit
	for _, id := range path[:len(path)-1] {
		if u, ok := r.tree.Unit(id); ok && r.can(p, authz.ActionReportRead, id) {
			out = append(out, u)
		}
	}
	return out
}

// DefaultReadUnit is the first unit of p's grants where it may read
// reports (0: none).
func (r *Reports) DefaultReadUnit(p *Principal) int64 {
	if p == nil {
		return 0
	}
	for _, g := range p.Grants {
		if r.can(p, authz.ActionReportRead, g.UnitID) {
			return g.UnitID
		}
	}
	if p.System || p.IsAdmin() {
		if roots := r.tree.Children(0); len(roots) > 0 {
			return roots[0].ID
		}
	}
	return 0
}

// ExportReport builds the export of report id when p may see it.
func (r *Reports) ExportReport(ctx context.Context, p *Principal, id int64, o export.Options) (export.Export, error) {
	if _, err := r.load(ctx, p, id); err != nil {
		return export.Export{}, err
	}
	e, _, err := export.LoadReport(ctx, r.st, id, o)
	return e, unavailable("export", err)
}

// ExportConsolidated builds the export of a consolidated view; p must read
// reports at the unit.
func (r *Reports) ExportConsolidated(ctx context.Context, p *Principal, q export.Query, o export.Options) (export.Export, error) {
	if err := signedIn(p); err != nil {
		return export.Export{}, err
	}
	if q.Year != 0 && !report.ValidYear(q.Year) {
		return export.Export{}, Invalid("year", MsgBadPeriod)
	}
	var err error
	if q.Basis, err = ParseBasis(string(q.Basis)); err != nil {
		return export.Export{}, err
	}
	if err := r.authorize(p, authz.ActionReportRead, q.UnitID); err != nil {
		return export.Export{}, err
	}
	e, err := export.LoadConsolidated(ctx, r.st, q, o)
	return e, unavailable("export", err)
}
