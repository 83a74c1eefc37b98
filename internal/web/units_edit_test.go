package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
)

// upload posts a unit file to /units/import.
func (e *uenv) upload(path, cookie string, fields map[string]string, file string) (int, string) {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", "x")
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "units.csv")
		_, _ = fw.Write([]byte(file))
	}
	_ = mw.Close()
	r := httptest.NewRequest("POST", path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: cookie})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func TestUnitManagementPages(t *testing.T) {
	e := newUenv(t)
	officer := e.session("canbo", authz.RoleUnitOfficer)
	ctx := context.Background()
	for _, p := range []string{"/units/new", "/units/import", fmt.Sprintf("/units/%d/edit", e.unit["W"]), fmt.Sprintf("/units/%d/close", e.unit["W"])} {
		if code, _ := e.get(p, "192.0.2.10", "vi", officer); code != http.StatusForbidden {
			t.Errorf("officer %s: %d", p, code)
		}
		if code, _ := e.get(p, "192.0.2.10", "vi", e.admin); code != http.StatusOK {
			t.Errorf("admin %s: %d", p, code)
		}
	}
	// Links for administrators only.
	if _, body := e.get(fmt.Sprintf("/units/%d", e.unit["W"]), "192.0.2.10", "vi", e.admin); !strings.Contains(body, "/close") || !strings.Contains(body, "/edit") {
		t.Error("admin sees no management links")
	}
	if _, body := e.get(fmt.Sprintf("/units/%d", e.unit["W"]), "192.0.2.10", "vi", officer); strings.Contains(body, "/edit") {
		t.Error("officer sees management links")
	}

	// Create: a bad date is a 422 with the message by the field; then a good one.
	form := url.Values{"name": {"Phường Mới"}, "kind": {"ward"}, "parent_id": {fmt.Sprint(e.unit["P"])}, "code": {"99001"}, "valid_from": {"2025-02-30"}}
	code, body, _ := e.post("/units", "vi", e.admin, form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="u-valid_from-err"`) || !strings.Contains(body, "Phường Mới") {
		t.Fatalf("bad date: %d", code)
	}
	if code, _, _ := e.post("/units", "vi", officer, form); code != http.StatusForbidden {
		t.Errorf("officer create: %d", code)
	}
	form.Set("valid_from", "2025-08-01")
	code, _, loc := e.post("/units", "vi", e.admin, form)
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	id := regexp.MustCompile(`/units/(\d+)`).FindStringSubmatch(loc)
	if id == nil {
		t.Fatalf("location %q", loc)
	}
	if _, body := e.get(loc, "192.0.2.10", "vi", e.admin); !strings.Contains(body, "Phường Mới") || !strings.Contains(body, "Đã tạo đơn vị") {
		t.Error("created unit page")
	}

	// Edit.
	form.Set("name", "Phường Mới Sửa")
	form.Set("remote", "1")
	if code, _, _ := e.post("/units/"+id[1], "vi", e.admin, form); code != http.StatusSeeOther {
		t.Errorf("save: %d", code)
	}

	// Close with a successor: the form is the confirmation, the POST does it.
	var newID int64
	fmt.Sscan(id[1], &newID)
	if u, _ := e.st.GetUnit(ctx, newID); u.Name != "Phường Mới Sửa" || !u.Remote {
		t.Errorf("after save: %+v", u)
	}
	code, body, _ = e.post("/units/"+id[1]+"/close", "vi", e.admin, url.Values{"valid_to": {"2025-12-31"}, "kind": {"merge"}, "successor": {fmt.Sprint(e.unit["C"])}, "portion": {"full"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Đơn vị kế thừa phải") {
		t.Errorf("closed successor: %d", code)
	}
	code, _, _ = e.post("/units/"+id[1]+"/close", "vi", e.admin, url.Values{"valid_to": {"2025-12-31"}, "kind": {"merge"}, "successor": {fmt.Sprint(e.unit["W"]), ""}, "portion": {"full", "full"}})
	if code != http.StatusSeeOther {
		t.Fatalf("close: %d", code)
	}
	if u, _ := e.st.GetUnit(ctx, newID); u.ValidTo != "2025-12-31" {
		t.Errorf("not closed: %+v", u)
	}
	if succ, _ := e.st.Successors(ctx, newID); len(succ) != 1 || succ[0].SuccessorID != e.unit["W"] {
		t.Errorf("successors: %+v", succ)
	}
}

func TestUnitImportPreviewPages(t *testing.T) {
	e := newUenv(t)
	ctx := context.Background()
	file := "code,name,kind,parent_code,valid_from,valid_to,remote\n" +
		"W,Xã Đông Sơn,commune,P,2025-07-01,,\n" +
		"N1,Xã Mới Một,commune,P,2025-08-01,,\n"
	code, body := e.upload("/units/import", e.admin, nil, file)
	if code != http.StatusOK || !strings.Contains(body, "Đơn vị mới: 1") || !strings.Contains(body, "Không đổi: 1") || !strings.Contains(body, `<table class="cards" id="import-rows"`) {
		t.Fatalf("preview: %d\n%s", code, body)
	}
	if _, err := e.st.UnitByCode(ctx, "N1", "2025-08-01"); err == nil {
		t.Fatal("the preview imported")
	}
	tok := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(body)
	if tok == nil {
		t.Fatal("no token")
	}
	// A file with an error: line and column shown, nothing to confirm.
	code, body = e.upload("/units/import", e.admin, nil, "code,name,kind,parent_code,valid_from,valid_to,remote\nN2,Xã Hai,commune,NOPE,2025-08-01,,\n")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "parent_code") || !strings.Contains(body, "Không có đơn vị mã NOPE còn hiệu lực vào ngày 01/08/2025") || strings.Contains(body, `name="token"`) {
		t.Errorf("bad file: %d", code)
	}
	code, body = e.upload("/units/import", e.admin, nil, "code,name,kind,parent_code,valid_from,valid_to,remote\nN3,,castle,,2025-08-01,,\n")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Loại đơn vị «castle» không hợp lệ") {
		t.Errorf("bad kind: %d", code)
	}
	if code, _ := e.upload("/units/import", e.admin, nil, ""); code != http.StatusUnprocessableEntity {
		t.Errorf("no file: %d", code)
	}
	officer := e.session("canbo", authz.RoleUnitOfficer)
	if code, _ := e.upload("/units/import", officer, nil, file); code != http.StatusForbidden {
		t.Errorf("officer upload: %d", code)
	}
	if code, _, _ := e.post("/units/import/confirm", "vi", e.admin, url.Values{"token": {"wrong"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("wrong token: %d", code)
	}
	code, _, loc := e.post("/units/import/confirm", "vi", e.admin, url.Values{"token": {tok[1]}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "units.imported") {
		t.Fatalf("confirm: %d %s", code, loc)
	}
	if _, err := e.st.UnitByCode(ctx, "N1", "2025-08-01"); err != nil {
		t.Errorf("not imported: %v", err)
	}
}
