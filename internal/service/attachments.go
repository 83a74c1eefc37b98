package service

// Photos and documents on citizen cases. A file is judged by its content:
// its type is sniffed from the bytes (http.DetectContentType, and for the
// zip-based office formats the main part inside the archive) and must
// agree with the extension of its name; HTML, SVG, scripts, executables and
// anything else are refused. Images attached to feedback and
// recommendations are public (shown on the tracking page); every other
// file is seen only by the case's handlers and by the holder of the
// author's secret link. The doors serve files as downloads (server.SendFile),
// public images alone inline.

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/store"
)

// Bounds of the files of a case.
const (
	// MaxCaseFiles is the most files a case holds.
	MaxCaseFiles = 5
	// MaxCaseFileSize is the largest file (10 MiB).
	MaxCaseFileSize = 10 << 20
	// MaxCaseUploadBody bounds a whole intake request: the files and the
	// text around them.
	MaxCaseUploadBody = MaxCaseFiles*MaxCaseFileSize + 5<<20
)

// Message keys of the attachments capability (attachments.*.json).
const (
	MsgFileType     = "attachments.err.type"
	MsgFileEmpty    = "attachments.err.empty"
	MsgFileTooLarge = "attachments.err.too_large" // %d: the limit in MiB
	MsgFileTooMany  = "attachments.err.too_many"  // %d: the most files
	MsgFileRequired = "attachments.err.required"
)

// UploadFile is a file as the door received it: its name as sent and its
// bytes, read with a cap of MaxCaseFileSize+1 so that the service can
// refuse what is too large.
type UploadFile = FileInput

// CaseAttachment is a file of a case, without its bytes.
type CaseAttachment = store.CaseAttachment

// CaseFileInfo is a file as the public and the author see it: no
// uploader, no digest; the public see no name either (a name may carry
// one).
type CaseFileInfo struct {
	ID          int64  `json:"id"`
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Public      bool   `json:"public"`
}

// allowedTypes maps each accepted extension to the type its content must
// sniff as.
var allowedTypes = map[string]string{
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".webp": "image/webp",
	".gif":  "image/gif",
	".pdf":  "application/pdf",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".odt":  "application/vnd.oasis.opendocument.text",
	".txt":  "text/plain; charset=utf-8",
}

// zipMain is the part a zip-based document must contain.
var zipMain = map[string]string{
	".docx": "word/document.xml",
	".xlsx": "xl/workbook.xml",
	".odt":  "content.xml",
}

// SniffUpload checks a file by its content and returns the type to store
// and serve it with; what is not allowed, or does not match its name's
// extension, answers MsgFileType, an empty file MsgFileEmpty, a file over
// MaxCaseFileSize MsgFileTooLarge.
func SniffUpload(name string, data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", Invalid("file", MsgFileEmpty)
	case len(data) > MaxCaseFileSize:
		return "", Invalid("file", MsgFileTooLarge, MaxCaseFileSize>>20)
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	want, ok := allowedTypes[ext]
	if !ok {
		return "", Invalid("file", MsgFileType)
	}
	got := http.DetectContentType(data)
	switch {
	case zipMain[ext] != "":
		if got != "application/zip" || !zipHas(data, ext) {
			return "", Invalid("file", MsgFileType)
		}
	case ext == ".txt":
		if got != want || !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
			return "", Invalid("file", MsgFileType)
		}
	case got != want:
		return "", Invalid("file", MsgFileType)
	}
	return want, nil
}

// zipHas reports whether data is a zip archive holding the main part of
// the document type ext (for ODT, also the mimetype entry naming it).
// Nothing is decompressed but the few bytes of that entry.
func zipHas(data []byte, ext string) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	main, mimeOK := false, ext != ".odt"
	for _, f := range zr.File {
		switch f.Name {
		case zipMain[ext]:
			main = true
		case "mimetype":
			if ext != ".odt" {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return false
			}
			b, _ := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			mimeOK = string(b) == allowedTypes[".odt"]
		}
	}
	return main && mimeOK
}

// caseFile checks one upload for a case of kind; field names the errors.
func caseFile(field, kind string, f UploadFile) (store.NewCaseFile, *FieldError) {
	ct, err := SniffUpload(f.Name, f.Data)
	if inv, ok := AsInvalid(err); ok {
		fe := inv.Fields[0]
		fe.Field = field
		return store.NewCaseFile{}, &fe
	}
	public := strings.HasPrefix(ct, "image/") && (kind == CaseFeedback || kind == CaseRecommendation)
	return store.NewCaseFile{Name: CleanFileName(f.Name, "file"), ContentType: ct, Public: public, Data: f.Data}, nil
}

// caseFiles checks the files of an intake; it adds the first problem found
// to v, under "files".
func caseFiles(v *Validator, kind string, files []UploadFile) []store.NewCaseFile {
	if len(files) > MaxCaseFiles {
		v.Add("files", MsgFileTooMany, MaxCaseFiles)
		return nil
	}
	out := make([]store.NewCaseFile, 0, len(files))
	for _, f := range files {
		nf, fe := caseFile("files", kind, f)
		if fe != nil {
			if !v.Has("files") {
				v.Add(fe.Field, fe.Key, fe.Args...)
			}
			continue
		}
		out = append(out, nf)
	}
	return out
}

// joinInvalid merges the field errors of two validations; any other error
// of a wins.
func joinInvalid(a, b error) error {
	ia, okA := AsInvalid(a)
	ib, okB := AsInvalid(b)
	switch {
	case a != nil && !okA:
		return a
	case b != nil && !okB:
		return b
	case okA && okB:
		return &InvalidError{Key: ia.Key, Fields: append(append([]FieldError(nil), ia.Fields...), ib.Fields...)}
	case okA:
		return a
	case okB:
		return b
	}
	return nil
}

// Attach adds a file to a case (case.handle on its unit), read from r up
// to one byte over the limit, checked by content, at most MaxCaseFiles per
// case. The citizen's own files arrive with the case (CaseInput.Files).
func (s *Cases) Attach(ctx context.Context, p *Principal, caseID int64, name string, r io.Reader) (CaseAttachment, error) {
	c, err := s.st.GetCase(ctx, caseID)
	if err != nil {
		if errors.Is(err, ErrNotFound) && anonymousCaller(p) {
			return CaseAttachment{}, ErrUnauthenticated
		}
		return CaseAttachment{}, unavailable("case", err)
	}
	if err := s.authorize(p, authz.ActionCaseHandle, c.UnitID); err != nil {
		return CaseAttachment{}, err
	}
	if r == nil {
		return CaseAttachment{}, Invalid("file", MsgFileRequired)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCaseFileSize+1))
	if err != nil {
		return CaseAttachment{}, unavailable("read upload", err)
	}
	nf, fe := caseFile("file", c.Kind, UploadFile{Name: name, Data: data})
	if fe != nil {
		return CaseAttachment{}, &InvalidError{Fields: []FieldError{*fe}}
	}
	at, err := s.st.AddCaseAttachment(ctx, p.Actor(), caseID, nf, MaxCaseFiles)
	if errors.Is(err, store.ErrTooManyFiles) {
		return CaseAttachment{}, Invalid("file", MsgFileTooMany, MaxCaseFiles)
	}
	if err != nil {
		return CaseAttachment{}, unavailable("attach", err)
	}
	return at, nil
}

// Attachments lists the files of a case for its handlers (the permission
// of [Cases.Get]).
func (s *Cases) Attachments(ctx context.Context, p *Principal, caseID int64) ([]CaseAttachment, error) {
	if _, err := s.Get(ctx, p, caseID); err != nil {
		return nil, err
	}
	out, err := s.st.CaseAttachments(ctx, caseID, false)
	if err != nil {
		return nil, unavailable("case attachments", err)
	}
	return out, nil
}

// AttachmentFile returns one file of a case to its handlers (the
// permission of [Cases.Get]).
func (s *Cases) AttachmentFile(ctx context.Context, p *Principal, caseID, attID int64) (File, error) {
	if _, err := s.Get(ctx, p, caseID); err != nil {
		return File{}, err
	}
	return s.file(ctx, caseID, attID, false)
}

// PublicAttachment returns a public file (an image of a feedback or a
// recommendation) of the case with tracking code; any other answers
// ErrNotFound.
func (s *Cases) PublicAttachment(ctx context.Context, code string, attID int64) (File, error) {
	c, err := s.byCode(ctx, code)
	if err != nil {
		return File{}, err
	}
	return s.file(ctx, c.ID, attID, true)
}

// OwnAttachment returns any file of a case to the holder of its secret
// link (each check costs a token of the secret limiter).
func (s *Cases) OwnAttachment(ctx context.Context, p *Principal, code, secret string, attID int64) (File, error) {
	c, err := s.verify(ctx, p, code, secret)
	if err != nil {
		return File{}, err
	}
	return s.file(ctx, c.ID, attID, false)
}

func (s *Cases) file(ctx context.Context, caseID, attID int64, publicOnly bool) (File, error) {
	at, data, err := s.st.CaseAttachmentData(ctx, caseID, attID)
	if err != nil {
		return File{}, unavailable("case attachment", err)
	}
	if publicOnly && (!at.Public || !strings.HasPrefix(at.ContentType, "image/")) {
		return File{}, ErrNotFound
	}
	return File{Name: at.Name, ContentType: at.ContentType, Data: data}, nil
}

// fileInfos projects the files of a case for the public (names hidden)
// or for its author.
func (s *Cases) fileInfos(ctx context.Context, caseID int64, public bool) ([]CaseFileInfo, error) {
	ats, err := s.st.CaseAttachments(ctx, caseID, public)
	if err != nil {
		return nil, unavailable("case attachments", err)
	}
	out := make([]CaseFileInfo, 0, len(ats))
	for _, at := range ats {
		fi := CaseFileInfo{ID: at.ID, ContentType: at.ContentType, Size: at.Size, Public: at.Public}
		if !public {
			fi.Name = at.Name
		}
		out = append(out, fi)
	}
	return out, nil
}
