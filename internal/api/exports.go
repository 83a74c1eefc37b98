package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/server"
)

// Report exports: a unit report or a consolidated report as a DOCX Party
// document, or its indicator table as XLSX or CSV (internal/export).
// exportsFeature is this file's part of the API: routes, OpenAPI operations and
// schemas (see features.go).
func exportsFeature() feature {
	formats := []string{string(export.DOCX), string(export.XLSX), string(export.CSV)}
	formatP := param("format", "query", "File format: docx (Party document form, Guideline 36-HD/VPTW), xlsx or csv (UTF-8 with BOM).", obj{"type": "string", "enum": formats}, true)
	abbrevP := param("abbrev", "query", "Abbreviation of the issuing body in the number line \"Số {id}-BC/{abbrev}\"; default derived from the unit (e.g. BTGDVTU).",
		obj{"type": "string", "maxLength": 20, "pattern": `^[\p{L}\p{N}-]+$`}, false)
	intP := func(name, desc string) obj {
		return param(name, "query", desc, obj{"type": "integer", "format": "int64", "minimum": 1}, true)
	}
	media := "The body is the file: application/vnd.openxmlformats-officedocument.wordprocessingml.document (docx), " +
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (xlsx) or text/csv; charset=utf-8 (csv), " +
		"with Content-Disposition: attachment naming the file (ASCII filename and UTF-8 filename*). "
	return newFeature("exports", "Reports as files that leave the platform: DOCX in the Party document form, XLSX and CSV indicator tables.",
		[]route{
			{"GET", Prefix + "/reports/{id}/export", true, (*api).exportReport},
			{"GET", Prefix + "/consolidated/export", true, (*api).exportConsolidated},
		},
		map[string]op{
			"GET " + Prefix + "/reports/{id}/export": {
				tag: "exports", summary: "A unit report as DOCX, XLSX or CSV",
				desc: media + "DOCX: A4, Times New Roman 14 pt, issuing body top left with \"Số {report id}-BC/{abbreviation}\" (no colon), " +
					"\"ĐẢNG CỘNG SẢN VIỆT NAM\" top right over the place and date (the submission date, or today) in italics, the narrative sections and the indicator table. " +
					"XLSX and CSV: one row per indicator and category, numbers as numbers; CSV cells that a spreadsheet would run as a formula are prefixed with a quote. " +
					"Readable by whoever may read the report.",
				params: []obj{paramRef("id"), formatP, abbrevP},
				status: 200, errs: []int{400, 401, 403, 404},
			},
			"GET " + Prefix + "/consolidated/export": {
				tag: "exports", summary: "A unit's consolidated report for a period as DOCX, XLSX or CSV",
				desc: media + "The figures of GET /consolidated. XLSX has a sheet of indicators (the consolidated figure, the number of reports with a value and one column per child unit) " +
					"and a sheet of child units; CSV is the first sheet. Needs report.read on the unit.",
				params: []obj{formatP, intP("template", "Report template id."), intP("unit", "Unit id."),
					param("type", "query", "Period type (default: the template's).", obj{"type": "string", "enum": periodTypeNames()}, false),
					param("year", "query", "Period year.", obj{"type": "integer", "minimum": 1900, "maximum": 9999}, true),
					param("number", "query", "Period number: month 1–12, quarter 1–4, 1 for six-month, nine-month and annual.", obj{"type": "integer", "minimum": 1, "maximum": 12}, true),
					param("mapped", "query", "1: map old units' reports onto current units.", obj{"type": "string", "enum": []string{"0", "1", "true", "false"}}, false),
					param("basis", "query", "Reports counted, as in GET /consolidated: received (default) or accepted. The document says which, with the counts.", obj{"type": "string", "enum": []string{"received", "accepted"}, "default": "received"}, false),
					abbrevP},
				status: 200, errs: []int{400, 401, 403, 404},
			},
		}, nil)
}

// exportParams reads the format and the document options.
func exportParams(r *http.Request) (export.Format, export.Options, error) {
	q := r.URL.Query()
	if q.Get("format") == "" {
		return "", export.Options{}, badParam("format", msgFieldRequired)
	}
	f, err := export.ParseFormat(q.Get("format"))
	if err != nil {
		return "", export.Options{}, badParam("format", export.ErrFormat.Error())
	}
	opt, err := export.OptionsFrom(q)
	if err != nil {
		return "", opt, paramProblem(err)
	}
	return f, opt, nil
}

func paramProblem(err error) error {
	var pe *export.ParamError
	if errors.As(err, &pe) {
		return badParam(pe.Param, pe.Key)
	}
	return err
}

func (a *api) exportReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, opt, err := exportParams(r)
	if err != nil {
		return err
	}
	opt.Locale = a.locale(r)
	e, err := a.d.Svc.Reports.ExportReport(r.Context(), server.PrincipalFrom(r.Context()), id, opt)
	if err != nil {
		return err
	}
	return sendExport(w, e, f)
}

func (a *api) exportConsolidated(w http.ResponseWriter, r *http.Request) error {
	f, opt, err := exportParams(r)
	if err != nil {
		return err
	}
	q, err := export.QueryFrom(r.URL.Query())
	if err != nil {
		return paramProblem(err)
	}
	opt.Locale = a.locale(r)
	e, err := a.d.Svc.Reports.ExportConsolidated(r.Context(), server.PrincipalFrom(r.Context()), q, opt)
	if err != nil {
		return err
	}
	return sendExport(w, e, f)
}

func sendExport(w http.ResponseWriter, e export.Export, f export.Format) error {
	var buf bytes.Buffer
	if err := e.Write(&buf, f); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Disposition", export.ContentDisposition(e.Filename(f)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}
