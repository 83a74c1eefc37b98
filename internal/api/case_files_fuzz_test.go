package api

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/danvan/danvan/internal/service"
)

// FuzzCaseMultipart: any multipart body of POST /cases decodes into a case
// or answers a 4xx problem; never a panic or a 500, and never more file
// bytes than the limit.
func FuzzCaseMultipart(f *testing.F) {
	const b = "XyZ"
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n{\"kind\": \"feedback\", \"title\": \"T\", \"description\": \"D\"}\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--XyZ--\r\n"))
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"case\"; filename=\"c.json\"\r\n\r\n{\"x\": 1}\r\n--XyZ--\r\n"))
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n{}{}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n{}\r\n--XyZ--\r\n"))
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n--XyZ"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/cases", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary="+b)
		in, err := caseMultipart(httptest.NewRecorder(), r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			var p *problem
			if !errors.As(err, &p) || p.status < 400 || p.status > 499 {
				t.Fatalf("body %q: %v, want a 4xx problem", body, err)
			}
			return
		}
		for _, fl := range in.Files {
			if len(fl.Data) > service.MaxCaseFileSize+1 {
				t.Fatalf("file of %d bytes read", len(fl.Data))
			}
			// The service judges the files by content; it must not panic either.
			_, _ = service.SniffUpload(fl.Name, fl.Data)
		}
	})
}
