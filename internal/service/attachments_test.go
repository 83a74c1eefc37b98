package service_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

func pngBytes(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipWith builds a zip archive holding the named parts.
func zipWith(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniffUpload(t *testing.T) {
	docx := zipWith(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
	xlsx := zipWith(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
	odt := zipWith(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"})
	for _, c := range []struct {
		name string
		data []byte
		want string // "" when refused with key
		key  string
	}{
		{"ảnh hiện trường.PNG", pngBytes(t), "image/png", ""},
		{"photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00rest"), "image/jpeg", ""},
		{"a.gif", []byte("GIF89a......"), "image/gif", ""},
		{"a.webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 rest"), "image/webp", ""},
		{"đơn.pdf", []byte("%PDF-1.7\n..."), "application/pdf", ""},
		{"đơn.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"bảng.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"biên bản.odt", odt, "application/vnd.oasis.opendocument.text", ""},
		{"ghi chú.txt", []byte("Đường hỏng ở thôn 3."), "text/plain; charset=utf-8", ""},
		// Judged by content: HTML named as a photo, a PNG named as a PDF.
		{"photo.jpg", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "", service.MsgFileType},
		{"a.pdf", pngBytes(t), "", service.MsgFileType},
		{"note.txt", []byte("<html><body>x</body></html>"), "", service.MsgFileType},
		{"a.txt", []byte("a\x00b"), "", service.MsgFileType},
		{"a.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", service.MsgFileType},
		{"a.html", []byte("<p>hi</p>"), "", service.MsgFileType},
		{"setup.exe", []byte("MZ\x90\x00"), "", service.MsgFileType},
		{"noext", pngBytes(t), "", service.MsgFileType},
		// A zip that is not the document its name says.
		{"x.docx", xlsx, "", service.MsgFileType},
		{"x.docx", zipWith(t, map[string]string{"evil.js": "x"}), "", service.MsgFileType},
		{"x.odt", zipWith(t, map[string]string{"mimetype": "application/zip", "content.xml": "x"}), "", service.MsgFileType},
		{"x.docx", []byte("PK\x03\x04 broken"), "", service.MsgFileType},
		{"empty.png", []byte{}, "", service.MsgFileEmpty},
		{"big.txt", bytes.Repeat([]byte("a"), service.MaxCaseFileSize+1), "", service.MsgFileTooLarge},
	} {
		got, err := service.SniffUpload(c.name, c.data)
		if c.want != "" {
			if err != nil || got != c.want {
				t.Errorf("%s: %q %v, want %q", c.name, got, err, c.want)
			}
			continue
		}
		inv, ok := service.AsInvalid(err)
		if !ok || inv.Fields[0].Key != c.key {
			t.Errorf("%s: %q %v, want %s", c.name, got, err, c.key)
		}
	}
}

func feedbackInput(f *caseFix, files ...service.UploadFile) service.CaseInput {
	return service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit["W1"], Title: "Đèn đường hỏng",
		Description: "Đèn đường thôn 3 hỏng đã một tháng.", Anonymous: true, Files: files}
}

func TestCaseAttachments(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	h1 := f.principal(authz.RoleCaseHandler, "W1")
	other := f.principal(authz.RoleCaseHandler, "X1")
	photo := service.UploadFile{Name: "C:\\Ảnh\\đèn.png", Data: pngBytes(t)}
	pdf := service.UploadFile{Name: "đơn.pdf", Data: []byte("%PDF-1.4 đơn")}

	// All or nothing: a refused file means no case, and the text errors come with it.
	n := func() int {
		_, total, err := cs.List(f.ctx, service.SystemPrincipal(), service.CaseListFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	bad := feedbackInput(f, photo, service.UploadFile{Name: "photo.jpg", Data: []byte("<html><script>x</script></html>")})
	bad.Title = ""
	_, err := cs.Submit(f.ctx, anon("203.0.113.1"), bad)
	wantField(t, err, "files", service.MsgFileType)
	wantField(t, err, "title", service.MsgRequired)
	six := make([]service.UploadFile, 6)
	for i := range six {
		six[i] = photo
	}
	_, err = cs.Submit(f.ctx, anon("203.0.113.1"), feedbackInput(f, six...))
	wantField(t, err, "files", service.MsgFileTooMany)
	_, err = cs.Submit(f.ctx, anon("203.0.113.1"), feedbackInput(f, service.UploadFile{Name: "big.pdf", Data: append([]byte("%PDF-"), make([]byte, service.MaxCaseFileSize)...)}))
	wantField(t, err, "files", service.MsgFileTooLarge)
	if got := n(); got != 0 {
		t.Fatalf("%d cases after refused intakes", got)
	}

	// A feedback with a photo and a PDF: the photo is public, the PDF is not.
	sub, err := cs.Submit(f.ctx, anon("203.0.113.1"), feedbackInput(f, photo, pdf))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := cs.Track(f.ctx, sub.TrackingCode)
	if err != nil || len(pub.Photos) != 1 || pub.Photos[0].ContentType != "image/png" || pub.Photos[0].Name != "" {
		t.Fatalf("public photos: %+v %v", pub.Photos, err)
	}
	file, err := cs.PublicAttachment(f.ctx, sub.TrackingCode, pub.Photos[0].ID)
	if err != nil || file.ContentType != "image/png" || !bytes.Equal(file.Data, photo.Data) || file.Name != "đèn.png" {
		t.Fatalf("public photo: %+v %v", file.Name, err)
	}
	list, err := cs.Attachments(f.ctx, h1, sub.ID)
	if err != nil || len(list) != 2 || list[1].Public || list[1].ContentType != "application/pdf" || list[1].SHA256 == "" {
		t.Fatalf("handler list: %+v %v", list, err)
	}
	if _, err := cs.PublicAttachment(f.ctx, sub.TrackingCode, list[1].ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("the PDF is public: %v", err)
	}
	own, err := cs.Verify(f.ctx, anon("203.0.113.2"), sub.TrackingCode, sub.Secret)
	if err != nil || len(own.Files) != 2 || own.Files[1].Name != "đơn.pdf" {
		t.Fatalf("own files: %+v %v", own.Files, err)
	}
	if file, err = cs.OwnAttachment(f.ctx, anon("203.0.113.2"), sub.TrackingCode, sub.Secret, list[1].ID); err != nil || string(file.Data) != "%PDF-1.4 đơn" {
		t.Fatalf("own file: %v", err)
	}
	if _, err := cs.OwnAttachment(f.ctx, anon("203.0.113.2"), sub.TrackingCode, "wrong", list[1].ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("wrong secret: %v", err)
	}
	if file, err = cs.AttachmentFile(f.ctx, h1, sub.ID, list[1].ID); err != nil || file.Name != "đơn.pdf" {
		t.Fatalf("handler file: %v", err)
	}
	if _, err := cs.AttachmentFile(f.ctx, other, sub.ID, list[1].ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other branch: %v", err)
	}
	if _, err := cs.Attachments(f.ctx, other, sub.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other branch list: %v", err)
	}

	// Handlers add files up to the bound, checked by content; others may not.
	if _, err := cs.Attach(f.ctx, other, sub.ID, "a.pdf", strings.NewReader("%PDF-1.4")); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other branch attach: %v", err)
	}
	_, err = cs.Attach(f.ctx, h1, sub.ID, "report.pdf", strings.NewReader("<html>"))
	wantField(t, err, "file", service.MsgFileType)
	_, err = cs.Attach(f.ctx, h1, sub.ID, "big.pdf", bytes.NewReader(make([]byte, service.MaxCaseFileSize+100)))
	wantField(t, err, "file", service.MsgFileTooLarge)
	for i := 0; i < 3; i++ {
		at, err := cs.Attach(f.ctx, h1, sub.ID, "biên bản.pdf", strings.NewReader("%PDF-1.4 xác minh"))
		if err != nil || at.CreatedBy != h1.User.ID || at.Public {
			t.Fatalf("attach %d: %+v %v", i, at, err)
		}
	}
	_, err = cs.Attach(f.ctx, h1, sub.ID, "c.pdf", strings.NewReader("%PDF-1.4"))
	wantField(t, err, "file", service.MsgFileTooMany)

	// Every stored file is audited.
	if _, total, err := f.st.ListAudit(f.ctx, store.AuditFilter{Action: "case.attach"}); err != nil || total != 5 {
		t.Fatalf("audited uploads: %d %v", total, err)
	}

	// A complaint's photo is not public.
	in := complaintInput(f)
	in.Files = []service.UploadFile{photo}
	sub2, err := cs.Submit(f.ctx, anon("203.0.113.3"), in)
	if err != nil {
		t.Fatal(err)
	}
	if pub, err := cs.Track(f.ctx, sub2.TrackingCode); err != nil || len(pub.Photos) != 0 {
		t.Fatalf("complaint photos: %+v %v", pub.Photos, err)
	}
	// A file of another case is not found through this one.
	if _, err := cs.PublicAttachment(f.ctx, sub2.TrackingCode, list[0].ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("other case's file: %v", err)
	}
}

// FuzzSniffUpload: any name and bytes answer an allowed type that agrees
// with the name, or a field error; never a panic, never HTML or a script.
func FuzzSniffUpload(f *testing.F) {
	f.Add("a.png", pngBytes(f))
	f.Add("a.docx", zipWith(f, map[string]string{"word/document.xml": "x"}))
	f.Add("a.odt", zipWith(f, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "x"}))
	f.Add("a.txt", []byte("xin chào"))
	f.Add("a.jpg", []byte("<html>"))
	f.Add("a.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00"))
	f.Add("", []byte{})
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		ct, err := service.SniffUpload(name, data)
		if err != nil {
			if _, ok := service.AsInvalid(err); !ok {
				t.Fatalf("not a field error: %v", err)
			}
			return
		}
		if len(data) == 0 || strings.Contains(ct, "html") || strings.Contains(ct, "svg") || strings.Contains(ct, "script") {
			t.Fatalf("%q accepted as %q", name, ct)
		}
	})
}
