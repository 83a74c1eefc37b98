package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Downloads of a unit report and of a consolidated report as DOCX (the
// Party document form), XLSX or CSV:
//
//	GET /reports/{id}/export.docx|.xlsx|.csv[?abbrev=…]
//	GET /reports/consolidated/export.docx|.xlsx|.csv?template=&unit=&type=&year=&number=[&mapped=1][&abbrev=…]
//
// The patterns are "/reports/{id}/{file}" and "/reports/consolidated/{file}"
// because a literal "export.docx" after a wildcard would overlap
// "/reports/attachments/{id}" on the mux.
//
// Pages link to them with the helper exportFormats, e.g.
//
//	{{range exportFormats}}<a href="/reports/{{$.Data.Report.ID}}/export.{{.}}" download>{{$.L.T (printf "exports.format.%s" .)}}</a>{{end}}
//
// exportsFeature adds the template helpers of these pages to funcs and returns
// their routes; web.New calls it (see features.go).
func exportsFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["exportFormats"] = func() []string {
		out := make([]string, len(export.Formats))
		for i, f := range export.Formats {
			out[i] = string(f)
		}
		return out
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /reports/{id}/{file}", w.exportReport)
		mux.HandleFunc("GET /reports/consolidated/{file}", w.exportConsolidated)
	}
}

// exportFormat reads "export.docx" etc. from the path.
func exportFormat(r *http.Request) (export.Format, bool) {
	name, ok := strings.CutPrefix(r.PathValue("file"), "export.")
	if !ok {
		return "", false
	}
	f, err := export.ParseFormat(name)
	return f, err == nil && string(f) == name
}

func (w *Web) exportReport(rw http.ResponseWriter, r *http.Request) {
	format, ok := exportFormat(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	// loadReport checks that the user may see the report.
	v, ok := w.loadReport(rw, r)
	if !ok {
		return
	}
	opt, err := export.OptionsFrom(r.URL.Query())
	if err != nil {
		w.exportParamError(rw, r, err)
		return
	}
	opt.Locale = server.LocaleFrom(r.Context())
	e, err := w.d.Svc.Reports.ExportReport(r.Context(), server.PrincipalFrom(r.Context()), v.Report.ID, opt)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.sendExport(rw, r, e, format)
}

func (w *Web) exportConsolidated(rw http.ResponseWriter, r *http.Request) {
	format, ok := exportFormat(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if server.PrincipalFrom(r.Context()) == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	q, err := export.QueryFrom(r.URL.Query())
	if err != nil {
		w.exportParamError(rw, r, err)
		return
	}
	opt, err := export.OptionsFrom(r.URL.Query())
	if err != nil {
		w.exportParamError(rw, r, err)
		return
	}
	opt.Locale = server.LocaleFrom(r.Context())
	e, err := w.d.Svc.Reports.ExportConsolidated(r.Context(), server.PrincipalFrom(r.Context()), q, opt)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.sendExport(rw, r, e, format)
}

func (w *Web) exportParamError(rw http.ResponseWriter, r *http.Request, err error) {
	var pe *export.ParamError
	if errors.As(err, &pe) {
		w.errorDetail(rw, r, http.StatusBadRequest, pe.Key)
		return
	}
	w.fail(rw, r, err)
}

// sendExport writes the file whole, so that a failure is still an error page.
func (w *Web) sendExport(rw http.ResponseWriter, r *http.Request, e export.Export, f export.Format) {
	var buf bytes.Buffer
	if err := e.Write(&buf, f); err != nil {
		w.fail(rw, r, err)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Disposition", export.ContentDisposition(e.Filename(f)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(http.StatusOK)
	_, _ = rw.Write(buf.Bytes())
}
