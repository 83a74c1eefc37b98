package web

import (
	"errors"
	"html/template"
	"math"
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// consolidatedFeature adds the template helpers of these pages to funcs and returns
// their routes; web.New calls it (see features.go).
func consolidatedFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// consFmt formats a consolidated figure with the locale: whole numbers
	// for sums, minima and maxima of integer indicators, two decimals otherwise.
	funcs["consFmt"] = func(l i18n.Locale, in service.ConsolidatedIndicator, v float64) string {
		if in.ValueType == "integer" && in.Aggregation != "avg" && in.Aggregation != "wavg" && v == math.Trunc(v) {
			return l.Int(int64(v))
		}
		return l.Decimal(v, 2)
	}
	funcs["consChild"] = func(c service.ConsolidatedChild, cell service.ConsolidatedCell) *float64 {
		if v, ok := c.Value(cell); ok {
			return &v
		}
		return nil
	}
	funcs["consDeref"] = func(v *float64) float64 { return *v }
	funcs["consInt64"] = func(n int) int64 { return int64(n) }
	funcs["consAggKey"] = func(a string) string { return "consolidated.agg." + a }
	funcs["consPeriodKey"] = func(t string) string { return "consolidated.period." + t }
	funcs["consBasisNote"] = export.BasisNote
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /reports/consolidated", w.consolidated)
	}
}

type consolidatedData struct {
	Templates   []service.ConsolidationTemplate
	Template    service.ConsolidationTemplate
	Types       []report.Type
	Numbers     []int
	View        service.Consolidation
	Ancestors   []org.Unit
	PreReform   bool
	Drill       service.ConsolidatedCell // the indicator shown for the children
	DrillCells  []service.ConsolidatedCell
	HasDrill    bool
	ReadChild   map[int64]bool
	MappedParam string
	// Basis is the basis shown, carried by every link of the page.
	Basis string
	Bases []service.Basis
}

func (w *Web) consolidated(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	q := r.URL.Query()
	var d consolidatedData
	var err error
	d.Templates, err = w.d.Svc.Reports.ConsolidationTemplates(ctx, p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	unitID, _ := strconv.ParseInt(q.Get("unit"), 10, 64)
	if unitID == 0 {
		// Default: the highest unit the user may read reports of.
		unitID = w.d.Svc.Reports.DefaultReadUnit(p)
	}
	if unitID == 0 {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	if !w.require(rw, r, authz.ActionReportRead, unitID) {
		return
	}
	if len(d.Templates) == 0 {
		u, ok := w.d.Svc.Reports.Unit(unitID)
		if !ok {
			w.fail(rw, r, service.ErrNotFound)
			return
		}
		d.View.Unit = u
		w.render(rw, r, http.StatusOK, "consolidated_view", w.page(rw, r, "consolidated.title", d))
		return
	}
	d.Template = d.Templates[0]
	if id, _ := strconv.ParseInt(q.Get("template"), 10, 64); id != 0 {
		found := false
		for _, t := range d.Templates {
			if t.ID == id {
				d.Template, found = t, true
			}
		}
		if !found {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
	}
	typ := report.Type(d.Template.PeriodType)
	if s := q.Get("type"); s != "" {
		if typ, err = report.ParsePeriodType(s); err != nil {
			w.errorDetail(rw, r, http.StatusBadRequest, "consolidated.bad_period")
			return
		}
	}
	if !typ.Valid() {
		typ = report.Monthly
	}
	// Default period: the one that ended most recently.
	now := calendar.DateOf(w.d.Svc.Now().In(vietnam))
	cur, _ := report.WindowFor(report.Rule{}, typ, now)
	prev, ok := report.WindowFor(report.Rule{}, typ, cur.From.AddDays(-1))
	if !ok {
		prev = cur
	}
	year := intParam(r, "year", prev.Year)
	number := intParam(r, "number", prev.Number)
	if !report.ValidYear(year) || number < 1 || number > typ.PerYear() {
		w.errorDetail(rw, r, http.StatusBadRequest, "consolidated.bad_period")
		return
	}
	d.Types = report.Types
	for i := 1; i <= typ.PerYear(); i++ {
		d.Numbers = append(d.Numbers, i)
	}
	mapped := q.Get("mapped") == "1"
	if mapped {
		d.MappedParam = "1"
	}
	basis, err := service.ParseBasis(q.Get("basis"))
	if err != nil {
		w.errorDetail(rw, r, http.StatusBadRequest, service.MsgBadBasis)
		return
	}
	d.Basis, d.Bases = string(basis), []service.Basis{service.BasisAccepted, service.BasisReceived}
	// Children are shown for one indicator: the chosen one, or the first.
	drillID, _ := strconv.ParseInt(q.Get("indicator"), 10, 64)
	if drillID == 0 {
		inds, err := w.d.Svc.Reports.ConsolidationIndicators(ctx, p, d.Template.ID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		if len(inds) > 0 {
			drillID = inds[0].ID
		}
	}
	d.View, err = w.d.Svc.Reports.Consolidated(ctx, p, service.ConsolidatedQuery{TemplateID: d.Template.ID, UnitID: unitID, Type: string(typ), Year: year, Number: number, Mapped: mapped, Drill: drillID, Basis: basis})
	if _, invalid := service.AsInvalid(err); invalid || errors.Is(err, service.ErrNotFound) {
		w.errorDetail(rw, r, http.StatusBadRequest, "consolidated.bad_period")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.PreReform = service.PeriodBefore(string(typ), year, number, service.ReformDate)
	// Indicator names in the reader's language, from the template definition.
	if t, _, err := w.d.Svc.Reports.Template(ctx, p, d.Template.ID); err == nil {
		lang := server.LocaleFrom(ctx).Lang()
		for i, c := range d.View.Cells {
			if in, ok := t.Definition.Indicator(c.Indicator.Code); ok && in.Name.In(lang) != "" {
				d.View.Cells[i].Indicator.Name = in.Name.In(lang)
			}
		}
	}
	for _, c := range d.View.Cells {
		if c.Category != "" {
			continue
		}
		d.DrillCells = append(d.DrillCells, c)
		if !d.HasDrill || c.Indicator.ID == drillID {
			d.Drill, d.HasDrill = c, c.Indicator.ID == drillID || !d.HasDrill
		}
	}
	d.ReadChild = map[int64]bool{}
	for _, c := range d.View.Children {
		d.ReadChild[c.Unit.ID] = w.d.Can(ctx, authz.ActionReportRead, c.Unit.ID)
	}
	d.Ancestors = w.d.Svc.Reports.ReadableAncestors(p, unitID)
	w.render(rw, r, http.StatusOK, "consolidated_view", w.page(rw, r, "consolidated.title", d))
}
