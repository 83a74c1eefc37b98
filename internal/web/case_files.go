package web

// The files of citizen cases:
//
//	GET /cases/track/{code}/files/{att}            a public photo, inline (an image, sniffed)
//	GET /cases/track/{code}/files/{att}?secret=    any file of the case, for the author's link, as a download
//	GET /cases/{id}/files/{att}                    any file of the case, for its handlers, as a download
//
// The files themselves arrive with the case on POST /cases/new (multipart);
// what is allowed, public or refused is service.Cases (attachments.go).

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func caseFilesFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// fileKB is a size in whole kilobytes, at least 1.
	funcs["fileKB"] = func(n int64) int64 { return max(1, (n+1023)/1024) }
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /cases/track/{code}/files/{att}", w.caseTrackFile)
		mux.HandleFunc("GET /cases/{id}/files/{att}", w.caseFile)
	}
}

// caseUpload parses the intake form, which may be multipart with files,
// under a cap of the whole request (413 with a translated page beyond it),
// checks its CSRF token and returns the files chosen, each read at most one
// byte over the service's limit. It writes the refusal and answers false
// when it cannot.
func (w *Web) caseUpload(rw http.ResponseWriter, r *http.Request) ([]service.UploadFile, bool) {
	r.Body = http.MaxBytesReader(rw, r.Body, service.MaxCaseUploadBody)
	var err error
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if multipart {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorDetail(rw, r, http.StatusRequestEntityTooLarge, "attachments.err.request_too_large")
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return nil, false
	}
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return nil, false
	}
	if !multipart || r.MultipartForm == nil {
		return nil, true
	}
	var files []service.UploadFile
	for _, fh := range r.MultipartForm.File["files"] {
		// A file input left empty still sends a part without a name.
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			w.errorPage(rw, r, http.StatusBadRequest)
			return nil, false
		}
		data, err := io.ReadAll(io.LimitReader(f, service.MaxCaseFileSize+1))
		f.Close()
		if err != nil {
			w.errorPage(rw, r, http.StatusBadRequest)
			return nil, false
		}
		files = append(files, service.UploadFile{Name: fh.Filename, Data: data})
	}
	return files, true
}

// sendPublicImage answers with a public photo inline: its sniffed image
// type, no sniffing by the browser, a sandbox should it be opened alone,
// and cacheable (the bytes of an attachment never change).
func sendPublicImage(rw http.ResponseWriter, f service.File) {
	h := rw.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	rw.WriteHeader(http.StatusOK)
	_, _ = rw.Write(f.Data)
}

func (w *Web) caseTrackFile(rw http.ResponseWriter, r *http.Request) {
	att, err := strconv.ParseInt(r.PathValue("att"), 10, 64)
	if err != nil || att <= 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	code := r.PathValue("code")
	if secret := r.URL.Query().Get("secret"); secret != "" {
		f, err := w.d.Svc.Cases.OwnAttachment(r.Context(), caseCaller(r), code, secret, att)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		rw.Header().Set("Referrer-Policy", "no-referrer")
		server.SendFile(rw, f.Name, f.ContentType, f.Data)
		return
	}
	f, err := w.d.Svc.Cases.PublicAttachment(r.Context(), code, att)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	sendPublicImage(rw, f)
}

func (w *Web) caseFile(rw http.ResponseWriter, r *http.Request) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	att, err2 := strconv.ParseInt(r.PathValue("att"), 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || att <= 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, err := w.d.Svc.Cases.AttachmentFile(r.Context(), server.PrincipalFrom(r.Context()), id, att)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	server.SendFile(rw, f.Name, f.ContentType, f.Data)
}
