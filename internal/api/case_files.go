package api

// Files of citizen cases: the multipart form of POST /cases (the case as
// JSON in the part "case", the files in parts "files"), the handlers' list
// and downloads, and a handler adding a file. What is allowed, public or
// refused is service.Cases (attachments.go); files are always answered as
// downloads (server.SendFile).

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Problem details of multipart bodies (attachments.*.json).
const (
	detailFormTooLarge = "attachments.api.too_large"
	detailBadForm      = "attachments.api.bad_multipart"
)

func caseFilesFeature() feature {
	return newFeature("case-files", "Photos and documents of citizen cases: sent with the case (multipart POST /cases) or added by a handler; checked by content, at most 5 files of 10 MiB per case; always answered as downloads.",
		[]route{
			{"GET", Prefix + "/cases/{id}/attachments", true, (*api).listCaseFiles},
			{"GET", Prefix + "/cases/{id}/attachments/{att}", true, (*api).getCaseFile},
			{"POST", Prefix + "/cases/{id}/attachments", true, (*api).addCaseFile},
		}, caseFilesOps(), caseFilesSchemas())
}

// isMultipart reports whether the request body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// parseMultipart reads a multipart body of at most limit bytes.
func parseMultipart(w http.ResponseWriter, r *http.Request, limit int64) error {
	if r.ContentLength > limit {
		return newProblem(http.StatusRequestEntityTooLarge, kindTooLarge, detailFormTooLarge)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return newProblem(http.StatusRequestEntityTooLarge, kindTooLarge, detailFormTooLarge)
		}
		return newProblem(http.StatusBadRequest, kindBadRequest, detailBadForm)
	}
	return nil
}

// readPart reads an uploaded part at most one byte over max: the service
// refuses what is too large.
func readPart(fh *multipart.FileHeader, max int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, kindBadRequest, detailBadForm)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, kindBadRequest, detailBadForm)
	}
	return data, nil
}

// caseMultipart decodes the multipart form of POST /cases: exactly one
// part "case" holding the JSON body (as a field, or as a file of type
// application/json), and any number of parts "files". Other parts are
// refused, like unknown JSON fields.
func caseMultipart(w http.ResponseWriter, r *http.Request) (CaseCreate, error) {
	var in CaseCreate
	if err := parseMultipart(w, r, service.MaxCaseUploadBody); err != nil {
		return in, err
	}
	form := r.MultipartForm
	for name := range form.Value {
		if name != "case" {
			return in, newProblem(http.StatusBadRequest, kindUnknownField, detailUnknownField, fieldErr{field: name, msg: msgFieldUnknown})
		}
	}
	for name := range form.File {
		if name != "case" && name != "files" {
			return in, newProblem(http.StatusBadRequest, kindUnknownField, detailUnknownField, fieldErr{field: name, msg: msgFieldUnknown})
		}
	}
	var body []byte
	switch vs, fs := form.Value["case"], form.File["case"]; {
	case len(vs)+len(fs) != 1:
		return in, newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "case", msg: msgFieldRequired})
	case len(vs) == 1:
		body = []byte(vs[0])
	default:
		var err error
		if body, err = readPart(fs[0], MaxBody); err != nil {
			return in, err
		}
	}
	if len(body) > MaxBody {
		return in, newProblem(http.StatusRequestEntityTooLarge, kindTooLarge, detailTooLarge)
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, decodeError(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err == nil {
			return in, newProblem(http.StatusBadRequest, kindMalformedJSON, detailTrailing)
		}
		return in, decodeError(err)
	}
	for _, fh := range form.File["files"] {
		data, err := readPart(fh, service.MaxCaseFileSize)
		if err != nil {
			return in, err
		}
		in.Files = append(in.Files, service.UploadFile{Name: fh.Filename, Data: data})
	}
	return in, nil
}

func (a *api) listCaseFiles(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.d.Svc.Cases.Attachments(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, obj{"items": items})
}

func (a *api) getCaseFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	att, err := pathID(r, "att")
	if err != nil {
		return err
	}
	f, err := a.d.Svc.Cases.AttachmentFile(r.Context(), server.PrincipalFrom(r.Context()), id, att)
	if err != nil {
		return err
	}
	server.SendFile(w, f.Name, f.ContentType, f.Data)
	return nil
}

func (a *api) addCaseFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p := server.PrincipalFrom(r.Context())
	// Check access before reading a large body.
	if _, err := a.d.Svc.Cases.Get(r.Context(), p, id); err != nil {
		return err
	}
	if !isMultipart(r) {
		return newProblem(http.StatusUnsupportedMediaType, kindMediaType, detailBadForm)
	}
	if err := parseMultipart(w, r, service.MaxCaseFileSize+1<<20); err != nil {
		return err
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		return newProblem(http.StatusUnprocessableEntity, kindValidation, detailValidation, fieldErr{field: "file", msg: msgFieldRequired})
	}
	f, err := fhs[0].Open()
	if err != nil {
		return newProblem(http.StatusBadRequest, kindBadRequest, detailBadForm)
	}
	defer f.Close()
	at, err := a.d.Svc.Cases.Attach(r.Context(), p, id, fhs[0].Filename, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, at)
}

func caseFilesOps() map[string]op {
	id := paramRef("id")
	att := param("att", "path", "Attachment id.", obj{"type": "integer", "format": "int64", "minimum": 1}, true)
	binary := obj{"type": "string", "format": "binary"}
	return map[string]op{
		"GET " + Prefix + "/cases/{id}/attachments": {
			tag: "case-files", summary: "The files of a case, without their content (case.read)",
			params: []obj{id},
			status: 200, schema: object([]string{"items"}, obj{"items": arrayOf(ref("CaseAttachment"))}), errs: []int{401, 403, 404},
		},
		"GET " + Prefix + "/cases/{id}/attachments/{att}": {
			tag: "case-files", summary: "Download a file of a case (case.read)",
			desc:   "Always a download: Content-Disposition: attachment, the type sniffed from the bytes when uploaded, X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy.",
			params: []obj{id, att},
			status: 200, schema: binary, errs: []int{401, 403, 404},
		},
		"POST " + Prefix + "/cases/{id}/attachments": {
			tag: "case-files", summary: "Add a file to a case (case.handle; multipart/form-data, part \"file\")",
			desc: "The file is judged by its content: JPEG, PNG, WebP and GIF images, PDF, DOCX, XLSX, ODT (the main part must be in the archive) and UTF-8 plain text are accepted when the name's extension agrees; anything else (HTML, SVG, scripts, executables), an empty file or one over 10 MiB answers 422. " +
				"A case holds at most 5 files (422 beyond). Images of feedback and recommendations are public on the tracking page.",
			params: []obj{id, paramRef("csrf")}, form: "CaseFileUpload",
			status: 201, schema: ref("CaseAttachment"), errs: []int{400, 401, 403, 404, 413, 415, 422},
		},
	}
}

func caseFilesSchemas() obj {
	id := obj{"type": "integer", "format": "int64"}
	s := obj{"type": "string"}
	binary := obj{"type": "string", "format": "binary"}
	return obj{
		"CaseAttachment": object([]string{"id", "case_id", "name", "content_type", "size", "sha256", "public", "created_at"}, obj{
			"id": id, "case_id": id, "name": s, "content_type": obj{"type": "string", "description": "Sniffed from the bytes."},
			"size": obj{"type": "integer"}, "sha256": s, "public": obj{"type": "boolean", "description": "Shown on the public tracking page."},
			"created_at": obj{"type": "string", "format": "date-time"}, "created_by": id,
		}),
		"CaseFileInfo": object([]string{"id", "content_type", "size", "public"}, obj{
			"id": id, "name": obj{"type": "string", "description": "Not given on the public view."}, "content_type": s, "size": obj{"type": "integer"}, "public": obj{"type": "boolean"},
		}),
		"CaseCreateMultipart": object([]string{"case"}, obj{
			"case":  obj{"type": "string", "contentMediaType": "application/json", "description": "The case as the JSON body of CaseCreate."},
			"files": obj{"type": "array", "maxItems": service.MaxCaseFiles, "items": binary, "description": "Photos and documents, at most 10 MiB each."},
		}),
		"CaseFileUpload": object([]string{"file"}, obj{"file": binary}),
	}
}
