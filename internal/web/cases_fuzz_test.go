package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/server"
)

// FuzzCaseWebForm sends the public case form, urlencoded or multipart,
// with arbitrary fields and file contents: the answer is never a server
// error, and only a sent form (303 to its tracking page) stores a case.
func FuzzCaseWebForm(f *testing.F) {
	e := newUenv(f)
	e.st.SetClock(func() time.Time { return testNow })
	f.Add(false, "feedback", "", "Đèn đường hỏng", "Đèn đường trước nhà văn hóa thôn 3 hỏng đã lâu.", "Nguyễn Văn An", "0912345678", "a.png", []byte("\x89PNG\r\n\x1a\n"))
	f.Add(true, "denunciation", "giao-thong", "Tố cáo", "x", "", "", "a.html", []byte("<html><script>alert(1)</script>"))
	f.Add(true, "complaint", "khac", "", "", "Lê Thị B", "+84 912", "", []byte{})
	f.Add(false, "bogus\x00", "\xff", strings.Repeat("x", 400), "", "", "not a phone", "../../etc/passwd", []byte("PK\x03\x04"))
	const tok = "0123456789abcdef0123456789abcdef"
	f.Fuzz(func(t *testing.T, multi bool, kind, category, title, desc, name, phone, fileName string, file []byte) {
		fields := map[string]string{"csrf": tok, "kind": kind, "category": category, "title": title, "description": desc,
			"name": name, "phone": phone, "action": "send"}
		var r *http.Request
		if multi {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for k, v := range fields {
				_ = mw.WriteField(k, v)
			}
			if fileName != "" {
				fw, err := mw.CreateFormFile("files", fileName)
				if err != nil {
					return
				}
				_, _ = fw.Write(file)
			}
			_ = mw.Close()
			r = httptest.NewRequest("POST", "/cases/new", &body)
			r.Header.Set("Content-Type", mw.FormDataContentType())
		} else {
			form := make([]string, 0, len(fields))
			for k, v := range fields {
				form = append(form, k+"="+urlEscape(v))
			}
			r = httptest.NewRequest("POST", "/cases/new", strings.NewReader(strings.Join(form, "&")))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		r.Header.Set("Accept-Language", "vi")
		r.RemoteAddr = "192.0.2.90:5000"
		r.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: tok})
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("status %d for kind=%q title=%q file=%q", w.Code, kind, title, fileName)
		}
		if w.Code == http.StatusSeeOther && !strings.Contains(w.Header().Get("Location"), "/cases/track/") {
			t.Fatalf("redirect to %q", w.Header().Get("Location"))
		}
	})
}

func urlEscape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
