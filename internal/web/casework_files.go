package web

// The files and the possible duplicates on the handlers' case page:
//
//	POST /cases/{id}/files                add one file to the case (multipart), back with a banner
//	GET  /cases/{id}/merge/{into}         confirm merging case id into case into
//	POST /cases/{id}/merge                merge it (fields into, version); on to the kept case
//
// What may be attached, who may merge what, and when, is service.Cases
// (attachments.go, casesearch.go); these handlers read forms and render.

import (
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// caseFileRow is a file of a case as listed.
type caseFileRow struct {
	service.CaseAttachment
	Type string
	Size string
}

// caseDupRow is a possible duplicate as listed.
type caseDupRow struct {
	service.DuplicateCase
	Percent  int
	CanMerge bool
}

// caseFileTypes names the accepted content types briefly.
var caseFileTypes = map[string]string{
	"image/jpeg":      "JPEG",
	"image/png":       "PNG",
	"image/webp":      "WebP",
	"image/gif":       "GIF",
	"application/pdf": "PDF",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       "XLSX",
	"application/vnd.oasis.opendocument.text":                                 "ODT",
	"text/plain; charset=utf-8":                                               "TXT",
}

// fileSize is a size in KB under a megabyte, else in MB with one decimal
// in the locale's way.
func fileSize(l i18n.Locale, n int64) string {
	if n < 1<<20 {
		return l.T("attachments.size_kb", max(1, (n+1023)/1024))
	}
	s := strconv.FormatFloat(math.Round(float64(n)/(1<<20)*10)/10, 'f', 1, 64)
	if l.Lang() == "vi" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return l.T("casework.files.size_mb", s)
}

// caseFilesAndDuplicates fills the files of the case, and for those who
// may handle it its possible duplicates.
func (w *Web) caseFilesAndDuplicates(r *http.Request, p *service.Principal, cv service.CaseView, d *caseDetailData) error {
	l := server.LocaleFrom(r.Context())
	ats, err := w.d.Svc.Cases.Attachments(r.Context(), p, cv.ID)
	if err != nil {
		return err
	}
	for _, at := range ats {
		t, ok := caseFileTypes[at.ContentType]
		if !ok {
			t = at.ContentType
		}
		d.Files = append(d.Files, caseFileRow{CaseAttachment: at, Type: t, Size: fileSize(l, at.Size)})
	}
	d.MaxFiles, d.MaxFileMiB = service.MaxCaseFiles, service.MaxCaseFileSize>>20
	if !cv.CanHandle {
		return nil
	}
	dups, err := w.d.Svc.Cases.Duplicates(r.Context(), p, cv.ID)
	if err != nil {
		return err
	}
	d.Mergeable = service.Mergeable(cv.Status)
	for _, dc := range dups {
		d.Duplicates = append(d.Duplicates, caseDupRow{DuplicateCase: dc, Percent: int(math.Round(dc.Similarity * 100)),
			CanMerge: d.Mergeable && dc.Status != service.CaseMerged && w.d.Svc.Cases.CanHandleUnit(p, dc.UnitID)})
	}
	return nil
}

// caseAttach adds one file to a case; a refused file shows the page again
// with the message beside the field.
func (w *Web) caseAttach(rw http.ResponseWriter, r *http.Request) {
	id, ok := caseID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, service.MaxCaseFileSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "casework.files.too_large")
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return
	}
	// No file chosen: a nil reader, which the service refuses as missing.
	var (
		name string
		file io.Reader
	)
	if f, fh, err := r.FormFile("file"); err == nil && (fh.Filename != "" || fh.Size > 0) {
		defer f.Close()
		name, file = fh.Filename, f
	}
	_, err := w.d.Svc.Cases.Attach(r.Context(), server.PrincipalFrom(r.Context()), id, name, file)
	if inv, ok := service.AsInvalid(err); ok {
		w.renderCaseDetail(rw, r, http.StatusUnprocessableEntity, caseStepForm{Step: "files", Errors: FieldMessages(server.LocaleFrom(r.Context()), inv)}, nil, false)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/cases/"+strconv.FormatInt(id, 10)+"?flash=casework.files.done#files-h", http.StatusSeeOther)
}

type caseMergeData struct {
	C, Into service.CaseView
	Version string
	Errors  map[string]string
}

// caseMergeConfirm says what merging does and asks to confirm it.
func (w *Web) caseMergeConfirm(rw http.ResponseWriter, r *http.Request) {
	into, err := strconv.ParseInt(r.PathValue("into"), 10, 64)
	if err != nil || into <= 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.renderCaseMerge(rw, r, http.StatusOK, into, r.URL.Query().Get("version"), nil)
}

func (w *Web) renderCaseMerge(rw http.ResponseWriter, r *http.Request, status int, into int64, version string, errs map[string]string) {
	id, ok := caseID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	cv, err := w.d.Svc.Cases.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !cv.CanHandle {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	keep, err := w.d.Svc.Cases.Get(r.Context(), p, into)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if _, err := strconv.Atoi(version); err != nil {
		version = strconv.Itoa(cv.Version)
	}
	w.render(rw, r, status, "casework_merge", w.page(rw, r, "casework.merge.title", caseMergeData{C: cv, Into: keep, Version: version, Errors: errs}))
}

// caseMerge merges the case into another and goes on to the kept case.
func (w *Web) caseMerge(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := caseID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	into, err := strconv.ParseInt(r.PostFormValue("into"), 10, 64)
	if err != nil || into <= 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err = w.d.Svc.Cases.Merge(r.Context(), server.PrincipalFrom(r.Context()), into, id, version)
	if inv, ok := service.AsInvalid(err); ok {
		w.renderCaseMerge(rw, r, http.StatusUnprocessableEntity, into, r.PostFormValue("version"), FieldMessages(server.LocaleFrom(r.Context()), inv))
		return
	}
	if errors.Is(err, service.ErrConflict) {
		w.renderCaseDetail(rw, r, http.StatusConflict, caseStepForm{}, nil, true)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/cases/"+strconv.FormatInt(into, 10)+"?flash=casework.merge.done", http.StatusSeeOther)
}
