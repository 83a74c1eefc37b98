package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// consolidatedFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func consolidatedFeature() feature {
	intP := func(name, desc string, required bool) obj {
		return param(name, "query", desc, obj{"type": "integer", "format": "int64", "minimum": 1}, required)
	}
	return newFeature("consolidation", "Report indicators consolidated up the organisation tree, current the moment a report is submitted, returned or accepted.",
		[]route{{"GET", Prefix + "/consolidated", true, (*api).consolidated}},
		map[string]op{
			"GET " + Prefix + "/consolidated": {
				tag: "consolidation", summary: "A unit's consolidated indicators for one period, with its children for drill-down",
				desc: "As organised then: the unit's figures over the counted (submitted or accepted) reports of its subtree as the tree stood, " +
					"so periods before 1 Jul 2025 consolidate over the old districts and communes. With mapped=1, every counted report is attributed " +
					"to the unit that continues its reporting unit today (full merge: wholly; split unit: wholly to its lowest-id successor, flagged " +
					"approximate; no successor: to its parent). Each cell holds the value by the indicator's method (sum, avg, wavg, min, max) and the " +
					"number of reports with a value. Children carry the same cells; `indicator` limits them to one indicator. " +
					"`basis` chooses the reports counted: `received` (the default: submitted reports still waiting for review and accepted ones, " +
					"so figures move the moment a unit submits) or `accepted` (accepted reports only); `accepted` and `pending` count both kinds " +
					"in scope whichever basis is chosen, and `note` says it in the caller's language.",
				params: []obj{intP("template", "Report template id.", true), intP("unit", "Unit id.", true),
					param("type", "query", "Period type.", obj{"type": "string", "enum": periodTypeNames()}, true),
					param("year", "query", "Period year.", obj{"type": "integer", "minimum": report.MinYear, "maximum": report.MaxYear}, true),
					param("number", "query", "Period number: month 1–12, quarter 1–4, 1 for six-month, nine-month and annual.", obj{"type": "integer", "minimum": 1, "maximum": 12}, true),
					param("mapped", "query", "1: map old units' reports onto current units.", obj{"type": "string", "enum": []string{"0", "1", "true", "false"}}, false),
					intP("indicator", "Children: only this indicator (not with mapped=1).", false),
					param("basis", "query", "Reports counted: received (default; submitted and accepted) or accepted (accepted only).", obj{"type": "string", "enum": []string{"received", "accepted"}, "default": "received"}, false)},
				status: 200, schema: ref("Consolidation"), errs: []int{400, 401, 403, 404},
			},
		},
		obj{
			"ConsolidatedIndicator": object([]string{"id", "code", "name", "value_type", "aggregation"}, obj{
				"id": obj{"type": "integer", "format": "int64"}, "code": str("Indicator code."), "name": str("Indicator name."),
				"value_type":  obj{"type": "string", "enum": []string{"integer", "decimal", "percent"}},
				"aggregation": obj{"type": "string", "enum": []string{"sum", "avg", "wavg", "min", "max"}},
				"weight_code": str("For wavg: the indicator giving the weight."),
			}),
			"ConsolidatedCell": object([]string{"indicator_id", "code", "category", "value", "count"}, obj{
				"indicator_id": obj{"type": "integer", "format": "int64"}, "code": str("Indicator code."),
				"category": str("Disaggregation category; empty for the total."),
				"value":    nullable("number", obj{"description": "The figure by the indicator's method; null when no report has a value."}),
				"count":    obj{"type": "integer", "description": "Reports with a value."},
			}),
			"ConsolidatedChild": object([]string{"unit", "n_reports", "cells"}, obj{
				"unit": ref("Unit"), "n_reports": obj{"type": "integer"}, "approximate": obj{"type": "boolean"},
				"cells": arrayOf(ref("ConsolidatedCell")),
			}),
			"Consolidation": object([]string{"template_id", "unit", "period", "basis", "n_reports", "accepted", "pending", "note", "mapped", "approximate", "indicators", "cells", "children"}, obj{
				"template_id": obj{"type": "integer", "format": "int64"}, "unit": ref("Unit"),
				"period": object([]string{"type", "year", "number", "from", "to"}, obj{
					"type": obj{"type": "string", "enum": periodTypeNames()}, "year": obj{"type": "integer"}, "number": obj{"type": "integer"},
					"from": obj{"type": "string", "format": "date"}, "to": obj{"type": "string", "format": "date"},
				}),
				"n_reports": obj{"type": "integer", "description": "Counted reports included."},
				"basis":     obj{"type": "string", "enum": []string{"received", "accepted"}, "description": "Which reports are counted."},
				"accepted":  obj{"type": "integer", "description": "Accepted reports in scope."},
				"pending":   obj{"type": "integer", "description": "Reports in scope still waiting for review (counted on the received basis only)."},
				"note":      str("What is counted, as one sentence in the caller's language (the same sentence as the page and the exports)."),
				"mapped":    obj{"type": "boolean"}, "approximate": obj{"type": "boolean"},
				"indicators": arrayOf(ref("ConsolidatedIndicator")),
				"cells":      arrayOf(ref("ConsolidatedCell")),
				"children":   arrayOf(ref("ConsolidatedChild")),
			}),
		})
}

func periodTypeNames() []string {
	out := make([]string, len(report.Types))
	for i, t := range report.Types {
		out[i] = string(t)
	}
	return out
}

// ConsolidatedCell is one figure in the API.
type ConsolidatedCell struct {
	IndicatorID int64    `json:"indicator_id"`
	Code        string   `json:"code"`
	Category    string   `json:"category"`
	Value       *float64 `json:"value"`
	Count       int64    `json:"count"`
}

// ConsolidatedChild is a child unit's figures.
type ConsolidatedChild struct {
	Unit        Unit               `json:"unit"`
	NReports    int                `json:"n_reports"`
	Approximate bool               `json:"approximate"`
	Cells       []ConsolidatedCell `json:"cells"`
}

// ConsolidatedPeriod names the period and its window.
type ConsolidatedPeriod struct {
	Type   string `json:"type"`
	Year   int    `json:"year"`
	Number int    `json:"number"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// Consolidation is the answer of GET /consolidated.
type Consolidation struct {
	TemplateID  int64                           `json:"template_id"`
	Unit        Unit                            `json:"unit"`
	Period      ConsolidatedPeriod              `json:"period"`
	Basis       service.Basis                   `json:"basis"`
	NReports    int                             `json:"n_reports"`
	Accepted    int                             `json:"accepted"`
	Pending     int                             `json:"pending"`
	Note        string                          `json:"note"`
	Mapped      bool                            `json:"mapped"`
	Approximate bool                            `json:"approximate"`
	Indicators  []service.ConsolidatedIndicator `json:"indicators"`
	Cells       []ConsolidatedCell              `json:"cells"`
	Children    []ConsolidatedChild             `json:"children"`
}

func posIntParam(q url.Values, name string, required bool) (int64, error) {
	s := q.Get(name)
	if s == "" {
		if required {
			return 0, badParam(name, msgFieldRequired)
		}
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, badParam(name, msgFieldBadInt)
	}
	return n, nil
}

func (a *api) consolidated(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	tpl, err := posIntParam(q, "template", true)
	if err != nil {
		return err
	}
	unit, err := posIntParam(q, "unit", true)
	if err != nil {
		return err
	}
	typ, err := report.ParsePeriodType(q.Get("type"))
	if err != nil {
		return badParam("type", "consolidated.bad_period")
	}
	year, err := posIntParam(q, "year", true)
	if err != nil {
		return err
	}
	number, err := posIntParam(q, "number", true)
	if err != nil {
		return err
	}
	if year < report.MinYear || year > report.MaxYear {
		return badParam("year", "consolidated.bad_period")
	}
	if number > int64(typ.PerYear()) {
		return badParam("number", "consolidated.bad_period")
	}
	mapped, err := boolParam(q, "mapped")
	if err != nil {
		return err
	}
	ind, err := posIntParam(q, "indicator", false)
	if err != nil {
		return err
	}
	basis, err := service.ParseBasis(q.Get("basis"))
	if err != nil {
		return badParam("basis", service.MsgBadBasis)
	}
	c, err := a.d.Svc.Reports.Consolidated(r.Context(), server.PrincipalFrom(r.Context()),
		service.ConsolidatedQuery{TemplateID: tpl, UnitID: unit, Type: string(typ), Year: int(year), Number: int(number), Mapped: mapped, Drill: ind, Basis: basis})
	if err != nil {
		return err
	}
	out := Consolidation{TemplateID: c.TemplateID, Unit: unitOf(c.Unit), NReports: c.NReports, Mapped: c.Mapped, Approximate: c.Approximate,
		Basis: c.Basis, Accepted: c.Accepted, Pending: c.Pending, Note: export.BasisNote(a.locale(r), c),
		Period:     ConsolidatedPeriod{Type: c.Period.Type, Year: c.Period.Year, Number: c.Period.Number, From: c.From, To: c.To},
		Indicators: []service.ConsolidatedIndicator{}, Cells: []ConsolidatedCell{}, Children: []ConsolidatedChild{}}
	seen := map[int64]bool{}
	for _, cell := range c.Cells {
		if !seen[cell.Indicator.ID] {
			seen[cell.Indicator.ID] = true
			out.Indicators = append(out.Indicators, cell.Indicator)
		}
		out.Cells = append(out.Cells, ConsolidatedCell{IndicatorID: cell.Indicator.ID, Code: cell.Indicator.Code, Category: cell.Category, Value: cell.Value, Count: cell.Count})
	}
	for _, ch := range c.Children {
		oc := ConsolidatedChild{Unit: unitOf(ch.Unit), NReports: ch.NReports, Approximate: ch.Approximate, Cells: []ConsolidatedCell{}}
		for _, cell := range c.Cells {
			p, ok := ch.Values[service.AggKey{IndicatorID: cell.Indicator.ID, Category: cell.Category}]
			if !ok {
				continue
			}
			cc := ConsolidatedCell{IndicatorID: cell.Indicator.ID, Code: cell.Indicator.Code, Category: cell.Category, Count: p.Cnt}
			if v, ok := p.Value(cell.Indicator.Aggregation); ok {
				cc.Value = &v
			}
			oc.Cells = append(oc.Cells, cc)
		}
		out.Children = append(out.Children, oc)
	}
	return writeJSON(w, http.StatusOK, out)
}
